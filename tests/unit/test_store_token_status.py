"""IETF Token Status Lists kept in the store (SQLite and a real PostgreSQL)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from mcbadge.errors import StatusListError
from mcbadge.keys import KeyPair
from mcbadge.status.token_list import (
    StatusReference,
    TokenStatusChecker,
    TokenStatusRegistry,
)
from mcbadge.store import Store, open_store
from tests.pgserver import PostgresServer

URI = "https://hs.example/status/token/1"


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    with PostgresServer() as server:
        yield server


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "store.sqlite3")
    import psycopg

    server: PostgresServer = request.getfixturevalue("postgres")
    name = "t" + uuid.uuid4().hex[:12]
    with psycopg.connect(server.url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return server.url.replace("/postgres?", f"/{name}?")


@pytest.fixture()
def store(database: str) -> Iterator[Store]:
    with open_store(database) as opened:
        yield opened


def test_registry_allocates_through_the_store_without_reuse(store: Store) -> None:
    registry = TokenStatusRegistry(URI, store=store, size=64, bits=2)
    with ThreadPoolExecutor(max_workers=4) as pool:
        indexes = list(pool.map(lambda _: registry.allocate().idx, range(64)))
    assert sorted(indexes) == list(range(64))
    assert store.token_status_info(URI) == (64, 2, 64, 0)
    with pytest.raises(StatusListError) as info:
        registry.allocate()
    assert info.value.code == "status_list_full"


def test_statuses_survive_reopening_the_store(store: Store, database: str) -> None:
    registry = TokenStatusRegistry(URI, store=store, size=128, bits=2)
    revoked, suspended = registry.allocate(), registry.allocate()
    registry.revoke(revoked.idx)
    registry.suspend(suspended.idx)
    with open_store(database) as again:
        values = again.token_status_values(URI)
        lst = TokenStatusRegistry(URI, store=again, size=128, bits=2).status_list()
    assert values == {revoked.idx: 1, suspended.idx: 2}
    assert lst.get(revoked.idx) == 1 and lst.get(suspended.idx) == 2
    assert store.token_status_info(URI) == (128, 2, 2, 2)


def test_the_store_keeps_revocation_final_and_refuses_unallocated_indexes(store: Store) -> None:
    registry = TokenStatusRegistry(URI, store=store, size=32, bits=2)
    ref = registry.allocate()
    registry.revoke(ref.idx)
    with pytest.raises(StatusListError) as info:
        store.token_status_set(URI, ref.idx, 0)
    assert info.value.code == "status_revoked_final"
    free = next(i for i in range(32) if i != ref.idx)
    with pytest.raises(StatusListError) as info:
        store.token_status_set(URI, free, 1)
    assert info.value.code == "status_index_not_allocated"
    assert store.token_status_set(URI, ref.idx, 1) is False  # already revoked: no change


def test_a_list_keeps_its_size_and_bits(store: Store) -> None:
    TokenStatusRegistry(URI, store=store, size=32, bits=1).allocate()
    with pytest.raises(StatusListError) as info:
        TokenStatusRegistry(URI, store=store, size=32, bits=2).allocate()
    assert info.value.code == "status_list_mismatch"


def test_published_token_from_the_store_checks_as_revoked(store: Store) -> None:
    key = KeyPair.generate("P-256")
    registry = TokenStatusRegistry(URI, store=store, size=256)
    kept, gone = registry.allocate(), registry.allocate()
    registry.revoke(gone.idx)
    token = registry.token(key)
    checker = TokenStatusChecker(fetcher={URI: token}.__getitem__)
    assert checker.check(gone.to_claim(), issuer_key=key.public_key).revoked
    assert not checker.check(StatusReference(kept.idx, URI), issuer_key=key.public_key).is_set
