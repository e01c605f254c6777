"""The store port, run on both adapters: SQLite (a temp file) and a real PostgreSQL server.

The PostgreSQL server is started once for this module (initdb + pg_ctl on a unix socket in a
temp dir, see tests/pgserver.py); ``make test`` installs the binaries when missing.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from mcbadge.errors import StoreError
from mcbadge.store import Store, open_store
from mcbadge.store.migrations import MIGRATIONS, SCHEMA_TABLE, latest_version, pending
from mcbadge.store.sqlite import DEFAULT_FILE_NAME, SqliteStore
from tests.pgserver import PostgresServer


def url_for(purpose: str, seq: int) -> str:
    return f"https://hs.example/status/{purpose}/{seq}"


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    with PostgresServer() as server:
        yield server


def _fresh_pg_database(server: PostgresServer) -> str:
    import psycopg

    name = "t" + uuid.uuid4().hex[:12]
    with psycopg.connect(server.url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return server.url.replace("/postgres?", f"/{name}?")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "store.sqlite3")
    server: PostgresServer = request.getfixturevalue("postgres")
    return _fresh_pg_database(server)


@pytest.fixture()
def store(database: str) -> Iterator[Store]:
    with open_store(database) as opened:
        yield opened


def _allocate(
    store: Store,
    purposes: tuple[str, ...] = ("revocation",),
    *,
    length: int = 64,
    credential_id: str | None = None,
) -> list:
    return store.allocate(
        purposes,
        url_for=url_for,
        length=length,
        issuance_id=str(uuid.uuid4()),
        credential_id=credential_id,
    )


def test_store_opens_at_the_latest_schema_version(store: Store, database: str) -> None:
    assert store.schema_version() == latest_version() == MIGRATIONS[-1].version
    # opening again migrates nothing and keeps the version
    with open_store(database) as again:
        assert again.schema_version() == latest_version()


def test_migrations_are_numbered_without_gaps_and_pending_is_forward_only() -> None:
    assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    assert pending(latest_version()) == ()
    assert pending(0) == MIGRATIONS


def test_store_refuses_a_database_migrated_by_a_newer_mcbadge(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    SqliteStore(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute(
            f"INSERT INTO {SCHEMA_TABLE} (version, name, applied_at) VALUES (999, 'x', 'now')"  # noqa: S608
        )
    with pytest.raises(StoreError) as caught:
        SqliteStore(path)
    assert caught.value.code == "store_schema_newer"


def test_open_store_in_a_data_dir_uses_the_default_file(tmp_path: Path) -> None:
    with open_store(data_dir=tmp_path / "data") as store:
        assert store.schema_version() == latest_version()
    assert (tmp_path / "data" / DEFAULT_FILE_NAME).is_file()


@pytest.mark.parametrize(
    "url", ["mysql://db/x", "sqlite://relative/path", ""], ids=["scheme", "relative", "empty"]
)
def test_open_store_refuses_an_unknown_url(url: str) -> None:
    with pytest.raises(StoreError) as caught:
        open_store(url)
    assert caught.value.code == "store_url_invalid"


def test_open_store_without_anything_is_refused() -> None:
    with pytest.raises(StoreError) as caught:
        open_store()
    assert caught.value.code == "store_url_invalid"


def test_allocation_gives_distinct_indexes_and_opens_a_new_list_when_full(store: Store) -> None:
    seen = set()
    for _ in range(20):
        (allocation,) = _allocate(store, length=8)
        seen.add((allocation.list_url, allocation.index))
        assert 0 <= allocation.index < 8
    assert len(seen) == 20
    lists = store.status_lists()
    assert [info.url for info in lists] == [url_for("revocation", n) for n in (1, 2, 3)]
    assert [info.allocated for info in lists] == [8, 8, 4]
    assert sorted(store.allocated_indexes(url_for("revocation", 1))) == list(range(8))


def test_allocation_is_spread_over_the_list(store: Store) -> None:
    indexes = {_allocate(store, length=131072)[0].index for _ in range(30)}
    # random, not sequential: 30 draws from 131,072 are neither 0..29 nor all in one corner
    assert indexes != set(range(30))
    assert max(indexes) - min(indexes) > 1000


def test_both_purposes_get_one_entry_each(store: Store) -> None:
    allocations = _allocate(store, ("suspension", "revocation"), credential_id="urn:x:1")
    assert [a.purpose for a in allocations] == ["revocation", "suspension"]
    assert {a.list_url for a in allocations} == {
        url_for("revocation", 1),
        url_for("suspension", 1),
    }
    statuses = store.entry_statuses("urn:x:1")
    assert [(a.purpose, value) for a, value in statuses] == [
        ("revocation", 0),
        ("suspension", 0),
    ]


def test_revoke_suspend_reinstate_change_the_bits_and_the_version(store: Store) -> None:
    revocation, suspension = _allocate(store, ("revocation", "suspension"), credential_id="c1")
    before = store.status_list(revocation.list_url)
    assert before is not None
    (change,) = store.set_status(
        purpose="revocation", value=True, credential_id="c1", reason="fraud"
    )
    assert change.changed and change.action == "revoke" and change.reason == "fraud"
    assert store.set_indexes(revocation.list_url) == [revocation.index]
    after = store.status_list(revocation.list_url)
    assert after is not None and after.version == before.version + 1
    # the same change again changes nothing
    (again,) = store.set_status(purpose="revocation", value=True, credential_id="c1")
    assert not again.changed
    store.set_status(purpose="suspension", value=True, credential_id="c1")
    assert store.set_indexes(suspension.list_url) == [suspension.index]
    (reinstated,) = store.set_status(purpose="suspension", value=False, credential_id="c1")
    assert reinstated.action == "reinstate" and reinstated.changed
    assert store.set_indexes(suspension.list_url) == []


def test_a_revocation_cannot_be_undone(store: Store) -> None:
    _allocate(store, credential_id="c2")
    store.set_status(purpose="revocation", value=True, credential_id="c2")
    with pytest.raises(StoreError) as caught:
        store.set_status(purpose="revocation", value=False, credential_id="c2")
    assert caught.value.code == "status_not_reversible"


def test_status_of_an_unknown_credential_is_not_found(store: Store) -> None:
    with pytest.raises(StoreError) as caught:
        store.set_status(purpose="revocation", value=True, credential_id="nobody")
    assert caught.value.code == "status_entry_not_found"


def test_status_by_list_and_index(store: Store) -> None:
    (allocation,) = _allocate(store)
    (change,) = store.set_status(
        purpose="revocation", value=True, list_url=allocation.list_url, index=allocation.index
    )
    assert change.changed and change.credential_id is None


def test_issuance_log_keeps_the_signed_credential_and_its_entries(store: Store) -> None:
    from mcbadge.store import IssuanceRecord

    issuance_id = str(uuid.uuid4())
    allocations = store.allocate(
        ("revocation",),
        url_for=url_for,
        length=64,
        issuance_id=issuance_id,
        credential_id="urn:uuid:a",
    )
    store.record_issuance(
        IssuanceRecord(
            issuance_id=issuance_id,
            credential_id="urn:uuid:a",
            subject="did:example:learner",
            issued_at="2026-01-01T00:00:00Z",
            key_id="did:key:z6Mk#z6Mk",
            format="di",
            credential='{"id": "urn:uuid:a"}',
        )
    )
    (record,) = store.issuances("urn:uuid:a")
    assert record.credential == '{"id": "urn:uuid:a"}'
    assert record.subject == "did:example:learner"
    assert record.statuses == tuple(allocations)
    assert store.issuance_count() == 1
    assert store.issuances("urn:uuid:other") == []


def test_issuance_allocations_and_a_replaced_log_entry(store: Store) -> None:
    """A batch finds its rows' allocations by issuance id and re-logs a row signed again."""
    from dataclasses import replace

    from mcbadge.errors import StoreError
    from mcbadge.store import IssuanceRecord

    ids = [f"batch:b1:row:{n}" for n in range(1, 4)]
    given = {
        i: store.allocate(
            ("revocation",), url_for=url_for, length=64, issuance_id=i, credential_id=None
        )
        for i in ids[:2]
    }
    assert store.issuance_allocations([*ids, "batch:other:row:1"]) == given
    assert store.issuance_allocations([]) == {}
    record = IssuanceRecord(
        issuance_id=ids[0],
        credential_id="urn:uuid:b1-1",
        subject=None,
        issued_at="2026-01-01T00:00:00Z",
        key_id="did:key:z6Mk#z6Mk",
        format="jwt",
        credential="first",
    )
    store.record_issuance(record)
    with pytest.raises(StoreError):
        store.record_issuance(replace(record, credential="second"))
    store.record_issuance(replace(record, credential="second"), replace=True)
    (logged,) = store.issuances("urn:uuid:b1-1")
    assert logged.credential == "second" and logged.statuses == tuple(given[ids[0]])
    assert store.issuance_count() == 1


def test_signed_list_is_kept_only_for_the_current_version(store: Store) -> None:
    (allocation,) = _allocate(store, credential_id="c3")
    version, signed, signed_version = store.signed_list(allocation.list_url)
    assert signed is None and signed_version is None
    assert store.save_signed_list(allocation.list_url, version, "doc-v0")
    assert store.signed_list(allocation.list_url) == (version, "doc-v0", version)
    store.set_status(purpose="revocation", value=True, credential_id="c3")
    # a signature of the old version is stale and is not saved over the change
    assert not store.save_signed_list(allocation.list_url, version, "late")
    new_version, signed, signed_version = store.signed_list(allocation.list_url)
    assert new_version == version + 1 and signed_version == version


def test_import_list_keeps_indexes_and_bits_and_is_not_allocated_from(store: Store) -> None:
    info = store.import_list(
        url="https://hs.example/status/old",
        purpose="revocation",
        length=16,
        allocated=[1, 5, 9],
        set_indexes=[5],
    )
    assert info.allocated == 3 and not info.allocating
    assert store.set_indexes(info.url) == [5]
    (allocation,) = _allocate(store, length=16)
    assert allocation.list_url != info.url
    with pytest.raises(StoreError) as caught:
        store.import_list(
            url=info.url, purpose="revocation", length=16, allocated=[], set_indexes=[]
        )
    assert caught.value.code == "status_list_exists"


def _allocate_many(database: str, count: int, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    with open_store(database) as store:
        out = [(a.list_url, a.index) for _ in range(count) for a in _allocate(store, length=512)]
    queue.put(out)


def test_allocation_is_safe_across_processes(database: str) -> None:
    open_store(database).close()  # migrate once up front
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    workers = [
        context.Process(target=_allocate_many, args=(database, 150, queue)) for _ in range(3)
    ]
    for worker in workers:
        worker.start()
    results = [queue.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    everything = [item for result in results for item in result]
    assert len(everything) == 450
    assert len(set(everything)) == 450  # no index handed out twice
    with open_store(database) as store:
        lists = store.status_lists()
        assert sum(info.allocated for info in lists) == 450
        assert [info.allocated for info in lists] == [512] * (450 // 512) + [450 % 512]
