"""A batch on the service's store: crash anywhere, resume, every row once, no index twice.

The same crash points as ``test_batch.py``'s state-file test, on a real SQLite store: the
indexes are committed in the store before the journal names them, a resumed run takes back
its own allocations (never another's), and each signed row is in the issuance log.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mcbadge._internal.multibase import base64url_decode
from mcbadge.batch import Cohort, StoreStatus, checkpoints, issue_batch, load_unit
from mcbadge.errors import BatchError, InvalidInputError
from mcbadge.proofs import verify_proofs
from mcbadge.store import open_store
from tests.unit.test_batch import CRASH_POINTS, EXAMPLES, FAST, KEY, Crash, learners, outputs

PUBLIC = "https://badges.hs-voorbeeld.nl"


@pytest.fixture(scope="module")
def unit() -> dict[str, Any]:
    return load_unit(EXAMPLES / "cohort.unit.toml")


def url_for(purpose: str, n: int) -> str:
    return f"{PUBLIC}/status/{purpose}/{n}"


def run(cohort: Cohort, tmp_path: Path, data: Path, **options: Any) -> Any:
    with open_store(data_dir=data) as store:
        return issue_batch(
            cohort,
            KEY,
            out_dir=tmp_path / "out",
            handle_signals=False,
            cryptosuite=FAST,
            status_store=StoreStatus(store, "revocation", url_for, 1024),
            **options,
        )


# the state file's points, less the one the store does not have
STORE_CRASH_POINTS = [(p, n) for p, n in CRASH_POINTS if p != "status_state_saved"]


@pytest.mark.parametrize(("point", "nth"), STORE_CRASH_POINTS)
def test_store_batch_crash_at_any_point_then_resume_issues_each_row_once(
    tmp_path: Path, unit: dict[str, Any], monkeypatch: pytest.MonkeyPatch, point: str, nth: int
) -> None:
    data = tmp_path / "data"
    cohort = Cohort.from_records(unit, learners(70))
    calls = {"n": 0}

    def crash_at(name: str) -> None:
        if name == point:
            calls["n"] += 1
            if calls["n"] == nth:
                raise Crash(name)

    monkeypatch.setattr(checkpoints, "reached", crash_at)
    with pytest.raises(Crash):
        run(cohort, tmp_path, data)
    monkeypatch.setattr(checkpoints, "reached", lambda name: None)
    result = run(cohort, tmp_path, data)
    assert result.ok and len(result.issued) == 70
    docs = [json.loads(b) for b in outputs(tmp_path / "out").values()]
    assert len(docs) == 70 and len({d["id"] for d in docs}) == 70
    entries = [d["credentialStatus"] for d in docs]
    assert {e["statusListCredential"] for e in entries} == {url_for("revocation", 1)}
    indexes = sorted(int(e["statusListIndex"]) for e in entries)
    assert len(set(indexes)) == 70
    for doc in docs[:3]:
        assert [r.verified for r in verify_proofs(doc)] == [True]
    with open_store(data_dir=data) as store:
        # the resumed run took back its own allocations: none wasted, none shared
        assert store.allocated_indexes(url_for("revocation", 1)) == indexes
        assert store.issuance_count() == 70
        for doc in docs:
            (logged,) = store.issuances(doc["id"])
            assert json.loads(logged.credential) == doc
            assert [a.index for a in logged.statuses] == [
                int(doc["credentialStatus"]["statusListIndex"])
            ]


def test_store_batch_rolls_over_to_the_next_list_and_another_batch_never_shares(
    tmp_path: Path, unit: dict[str, Any]
) -> None:
    data = tmp_path / "data"
    with open_store(data_dir=data) as store:
        status = StoreStatus(store, "suspension", url_for, 8)  # tiny lists: 8 entries each
        first, second = (
            issue_batch(
                Cohort.from_records(unit, learners(rows)),
                KEY,
                out_dir=tmp_path / folder,
                handle_signals=False,
                cryptosuite=FAST,
                status_store=status,
            )
            for folder, rows in (("a", 12), ("b", 3))
        )
        assert first.ok and second.ok
        docs = [json.loads(b) for folder in ("a", "b") for b in outputs(tmp_path / folder).values()]
        pairs = {
            (
                d["credentialStatus"]["statusListCredential"],
                d["credentialStatus"]["statusListIndex"],
            )
            for d in docs
        }
        assert len(pairs) == 15  # no index twice, across both batches
        assert {d["credentialStatus"]["statusPurpose"] for d in docs} == {"suspension"}
        lists = {info.url: info.allocated for info in store.status_lists()}
        assert lists == {url_for("suspension", 1): 8, url_for("suspension", 2): 7}


def test_store_batch_resumed_on_another_store_is_refused(
    tmp_path: Path, unit: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    cohort = Cohort.from_records(unit, learners(5))

    def crash_at(name: str) -> None:
        if name == "output_written":
            raise Crash(name)

    monkeypatch.setattr(checkpoints, "reached", crash_at)
    with pytest.raises(Crash):
        run(cohort, tmp_path, tmp_path / "data")
    monkeypatch.setattr(checkpoints, "reached", lambda name: None)
    with pytest.raises(BatchError) as caught:
        run(cohort, tmp_path, tmp_path / "other")
    assert caught.value.code == "batch_store_mismatch"


def test_store_and_state_file_together_are_refused(tmp_path: Path, unit: dict[str, Any]) -> None:
    with pytest.raises(InvalidInputError) as caught:
        run(Cohort.from_records(unit, learners(1)), tmp_path, tmp_path / "d", status_state="s.json")
    assert caught.value.code == "invalid_option"


def test_store_batch_of_vc_jwts_logs_each_token_with_its_subject_reference(
    tmp_path: Path, unit: dict[str, Any]
) -> None:
    data = tmp_path / "data"
    result = run(Cohort.from_records(unit, learners(3)), tmp_path, data, format="jwt")
    assert result.ok
    tokens = {p.name: p.read_text(encoding="ascii").strip() for p in (tmp_path / "out").glob("0*")}
    assert len(tokens) == 3
    with open_store(data_dir=data) as store:
        for row in result.issued:
            (logged,) = store.issuances(row.id)
            assert logged.format == "jwt" and logged.credential == tokens[row.file]
            claims = json.loads(base64url_decode(logged.credential.split(".")[1]))
            subject = claims["credentialSubject"]
            assert logged.subject == subject["identifier"][0]["identityHash"]
            assert [a.index for a in logged.statuses] == [row.status_list_index]
