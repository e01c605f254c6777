"""Batch issuance: cohort formats, the journal, and resuming after a crash at every point."""

from __future__ import annotations

import json
import os
import signal
import threading
import uuid
from pathlib import Path
from typing import Any

import pytest

from mcbadge.batch import (
    JOURNAL_NAME,
    SUMMARY_NAME,
    BatchProgress,
    BatchResult,
    Cohort,
    StatusListState,
    checkpoints,
    issue_batch,
    load_cohort,
    load_unit,
    read_document,
    signing_identity,
)
from mcbadge.batch import journal as journal_module
from mcbadge.errors import (
    BatchError,
    InvalidInputError,
    ModelValidationError,
    PolicyError,
    StatusListError,
)
from mcbadge.keys import KeyPair
from mcbadge.proofs import verify_proofs
from tests.conftest import PROJECT_ROOT

EXAMPLES = PROJECT_ROOT / "examples"
STATUS_URL = "https://www.hs-voorbeeld.nl/status/1"
KEY = KeyPair.from_seed(bytes(range(32)))
FAST = "eddsa-jcs-2022"  # the journal logic does not depend on the suite; JCS is the quickest


class Crash(BaseException):
    """Stands in for kill -9: raised at a crash point, caught by nothing in mcbadge."""


@pytest.fixture(scope="module")
def unit() -> dict[str, Any]:
    return load_unit(EXAMPLES / "cohort.unit.toml")


def learners(count: int) -> list[dict[str, Any]]:
    return [
        {
            "name": f"Learner {n}",
            "email": f"learner{n}@student.hs-voorbeeld.nl",
            "student_number": str(1000 + n),
            "grade": "7.5",
        }
        for n in range(1, count + 1)
    ]


def status_state(tmp_path: Path) -> Path:
    path = tmp_path / "status.json"
    StatusListState.create(STATUS_URL).save(path)
    return path


def run(cohort: Cohort, tmp_path: Path, **options: Any) -> BatchResult:
    options.setdefault("cryptosuite", FAST)
    options.setdefault("status_state", tmp_path / "status.json")
    return issue_batch(cohort, KEY, out_dir=tmp_path / "out", handle_signals=False, **options)


def outputs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.name[0].isdigit()}


def assert_complete(out: Path, state_path: Path, rows: int) -> list[dict[str, Any]]:
    """Exactly one verifying credential per row, distinct ids and indexes, all allocated."""
    files = outputs(out)
    assert len(files) == rows, sorted(files)
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
    docs = [json.loads(data) for data in files.values()]
    assert len({d["id"] for d in docs}) == rows
    indexes = [int(d["credentialStatus"]["statusListIndex"]) for d in docs]
    assert len(set(indexes)) == rows
    state = StatusListState.load(state_path)
    assert all(state.allocator.is_allocated(i) for i in indexes)
    for doc in docs:
        assert [r.verified for r in verify_proofs(doc)] == [True]
    return docs


# --------------------------------------------------------------------------- cohort formats


def test_example_cohort_reads_three_learners_with_their_lines() -> None:
    cohort = load_cohort(EXAMPLES / "cohort.csv")
    assert [(r.number, r.line, r.fields["name"]) for r in cohort.rows] == [
        (1, 2, "Jan Jansen"),
        (2, 3, "Fatima El Amrani"),
        (3, 4, "Zoë Bakker"),
    ]
    assert cohort.unit["unit"]["name"] == "Data Privacy in de Zorg"
    assert cohort.rows[0].fields["grade"] == "8.5"


def test_dutch_spreadsheet_csv_semicolons_bom_and_spaced_headers(
    tmp_path: Path, unit: dict[str, Any]
) -> None:
    (tmp_path / "c.unit.json").write_text(json.dumps(unit), encoding="utf-8")
    text = '\ufeffName;Student number;E-mail\r\n"Jansen; Jan";123;jan@x.nl\r\n;;\r\nPiet;456;\r\n'
    (tmp_path / "c.csv").write_bytes(text.replace("E-mail", "email").encode("utf-8"))
    cohort = load_cohort(tmp_path / "c.csv")
    assert [(r.number, r.line, dict(r.fields)) for r in cohort.rows] == [
        (1, 2, {"name": "Jansen; Jan", "student_number": "123", "email": "jan@x.nl"}),
        (2, 4, {"name": "Piet", "student_number": "456"}),
    ]


def test_quoted_multiline_cell_keeps_the_line_numbers_of_later_rows(
    tmp_path: Path, unit: dict[str, Any]
) -> None:
    (tmp_path / "c.unit.json").write_text(json.dumps(unit), encoding="utf-8")
    (tmp_path / "c.csv").write_text('name,grade\n"Jan\nJansen",8\nPiet,7\n', encoding="utf-8")
    rows = load_cohort(tmp_path / "c.csv").rows
    assert [(r.number, r.line) for r in rows] == [(1, 2), (2, 4)]


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("name,emial", "cohort_unknown_column"),
        ("email,grade", "cohort_missing_column"),
        ("name,Name", "cohort_duplicate_column"),
    ],
)
def test_bad_csv_headers_are_refused_naming_the_column(
    tmp_path: Path, unit: dict[str, Any], header: str, code: str
) -> None:
    (tmp_path / "c.unit.json").write_text(json.dumps(unit), encoding="utf-8")
    (tmp_path / "c.csv").write_text(f"{header}\nJan,x\n", encoding="utf-8")
    with pytest.raises(InvalidInputError) as caught:
        load_cohort(tmp_path / "c.csv")
    assert caught.value.code == code


def test_cohort_without_unit_file_says_where_to_put_it(tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text("name\nJan\n", encoding="utf-8")
    with pytest.raises(InvalidInputError) as caught:
        load_cohort(tmp_path / "c.csv")
    assert caught.value.code == "cohort_unit_missing"
    assert "c.unit.toml" in caught.value.message


def test_unit_file_with_a_learner_or_a_bad_level_is_refused(
    tmp_path: Path, unit: dict[str, Any]
) -> None:
    path = tmp_path / "u.json"
    path.write_text(json.dumps({**unit, "learner": {"name": "Jan"}}), encoding="utf-8")
    with pytest.raises(InvalidInputError) as caught:
        load_unit(path)
    assert caught.value.code == "unit_has_learner"
    path.write_text(json.dumps({**unit, "nlqf": 9}), encoding="utf-8")
    with pytest.raises(ModelValidationError) as bad:
        load_unit(path)
    assert str(path) in bad.value.message
    assert "nlqf" in bad.value.message


def test_toml_dates_become_rfc3339_text(tmp_path: Path) -> None:
    path = tmp_path / "u.toml"
    path.write_text("valid_from = 2026-01-15T10:00:00Z\nlocal = 2026-01-15T10:00:00\n")
    assert read_document(path) == {
        "valid_from": "2026-01-15T10:00:00Z",
        "local": "2026-01-15T10:00:00",
    }


def test_jsonl_rows_with_problems_fail_alone(tmp_path: Path, unit: dict[str, Any]) -> None:
    (tmp_path / "c.unit.json").write_text(json.dumps(unit), encoding="utf-8")
    lines = [
        json.dumps({"name": "Jan", "grade": 8}),
        "{not json",
        "",
        json.dumps({"name": "Piet", "shoe_size": "44"}),
        json.dumps({"name": "Kees", "passed": True}),
    ]
    (tmp_path / "c.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = load_cohort(tmp_path / "c.jsonl").rows
    assert [(r.number, r.line) for r in rows] == [(1, 1), (2, 2), (3, 4), (4, 5)]
    assert rows[0].fields == {"name": "Jan", "grade": "8"}
    assert rows[1].problem is not None and rows[1].problem["code"] == "row_malformed"
    assert rows[2].problem is not None and rows[2].problem["code"] == "row_unknown_field"
    assert rows[3].fields["passed"] is True


def test_two_rows_with_one_explicit_credential_id_are_refused(unit: dict[str, Any]) -> None:
    records = [{"name": "A", "id": "urn:uuid:1"}, {"name": "B", "id": "urn:uuid:1"}]
    with pytest.raises(InvalidInputError) as caught:
        Cohort.from_records(unit, records)
    assert caught.value.code == "cohort_duplicate_id"


# --------------------------------------------------------------------------- issuing


def test_batch_issues_every_row_once_with_ids_from_the_batch_and_row(
    tmp_path: Path, unit: dict[str, Any]
) -> None:
    state = status_state(tmp_path)
    cohort = Cohort.from_records(unit, learners(5))
    result = run(cohort, tmp_path, cryptosuite="eddsa-rdfc-2022")
    assert result.ok and result.issued_this_run == 5
    docs = assert_complete(tmp_path / "out", state, 5)
    namespace = uuid.UUID(result.batch_id)
    assert [d["id"] for d in docs] == [
        f"urn:uuid:{uuid.uuid5(namespace, f'row-{n}')}" for n in range(1, 6)
    ]
    assert [r.file for r in result.issued][:2] == ["000001-learner-1.json", "000002-learner-2.json"]
    assert docs[0]["validFrom"] == result.created  # no date in the unit: the batch start
    assert docs[0]["proof"][0]["created"] == result.created
    summary = json.loads((tmp_path / "out" / SUMMARY_NAME).read_text(encoding="utf-8"))
    listing = summary.pop("credentials")
    assert summary == json.loads(json.dumps(result.to_dict()))
    assert summary["summary"] == str(tmp_path / "out" / SUMMARY_NAME)
    assert listing == [row.to_dict() for row in result.issued]
    assert [c["row"] for c in listing] == [1, 2, 3, 4, 5]
    assert listing[0]["status_list_index"] == int(docs[0]["credentialStatus"]["statusListIndex"])
    # run again: nothing to do, nothing changes
    before = outputs(tmp_path / "out")
    again = run(cohort, tmp_path, cryptosuite="eddsa-rdfc-2022")
    assert again.ok and again.issued_this_run == 0
    assert outputs(tmp_path / "out") == before


def test_bad_rows_are_reported_by_row_and_line_while_good_rows_are_issued(
    tmp_path: Path, unit: dict[str, Any]
) -> None:
    status_state(tmp_path)
    records = learners(5)
    records[1]["passed"] = "nee"
    records[2]["valid_from"] = "gisteren"
    records[3]["name"] = ""
    cohort = Cohort.from_records(unit, records)
    result = run(cohort, tmp_path)
    assert not result.ok
    assert [r.row for r in result.issued] == [1, 5]
    assert [(e.row, e.line, e.code) for e in result.errors] == [
        (2, 2, "row_not_passed"),
        (3, 3, "model_invalid"),
        (4, 4, "row_missing_name"),
    ]
    assert "valid_from" in result.errors[1].message
    # correct two rows and run again: the issued rows stay, the corrected ones are issued
    records[2]["valid_from"] = "2026-01-15T10:00:00Z"
    records[3]["name"] = "Learner 4"
    fixed = run(Cohort.from_records(unit, records), tmp_path)
    assert [r.row for r in fixed.issued] == [1, 3, 4, 5]
    assert [e.row for e in fixed.errors] == [2]
    assert fixed.issued_this_run == 2
    summary = json.loads((tmp_path / "out" / SUMMARY_NAME).read_text(encoding="utf-8"))
    assert [c["row"] for c in summary["credentials"]] == [1, 3, 4, 5]
    assert [(e["row"], e["line"], e["code"]) for e in summary["errors"]] == [
        (2, 2, "row_not_passed")
    ]
    assert "credentials" not in fixed.to_dict()


def test_issued_rows_read_like_a_tuple_of_issued_rows(tmp_path: Path, unit: dict[str, Any]) -> None:
    result = run(Cohort.from_records(unit, learners(3)), tmp_path, status_state=None)
    rows = tuple(result.issued)
    assert len(result.issued) == 3 and [r.row for r in rows] == [1, 2, 3]
    assert result.issued[-1] == rows[2] and result.issued[0:2] == rows[:2]
    assert result.issued == rows and rows[0].status_list_index is None
    with pytest.raises(IndexError):
        result.issued[3]


def test_failed_run_writes_a_summary_with_no_credentials(
    tmp_path: Path, unit: dict[str, Any]
) -> None:
    records = learners(2)
    for record in records:
        record["passed"] = "nee"
    result = run(Cohort.from_records(unit, records), tmp_path, status_state=None)
    summary = json.loads((tmp_path / "out" / SUMMARY_NAME).read_text(encoding="utf-8"))
    assert summary["credentials"] == [] and len(result.issued) == 0
    assert [e["row"] for e in summary["errors"]] == [1, 2]


def test_issued_row_changed_afterwards_is_refused(tmp_path: Path, unit: dict[str, Any]) -> None:
    status_state(tmp_path)
    records = learners(3)
    run(Cohort.from_records(unit, records), tmp_path)
    records[1]["grade"] = "9"
    with pytest.raises(BatchError) as caught:
        run(Cohort.from_records(unit, records), tmp_path)
    assert caught.value.code == "batch_input_changed"
    assert caught.value.details["rows"] == [2]
    # a row inserted at the top shifts every row: refused too
    with pytest.raises(BatchError):
        run(Cohort.from_records(unit, [{"name": "New"}, *learners(3)]), tmp_path)


def test_rows_appended_later_are_issued_by_the_same_batch(
    tmp_path: Path, unit: dict[str, Any]
) -> None:
    state = status_state(tmp_path)
    first = run(Cohort.from_records(unit, learners(3)), tmp_path)
    more = run(Cohort.from_records(unit, learners(5)), tmp_path)
    assert more.batch_id == first.batch_id and more.issued_this_run == 2
    assert_complete(tmp_path / "out", state, 5)


@pytest.mark.parametrize(
    ("change", "differ"),
    [
        ({"format": "jwt"}, "format"),
        ({"policy": "eu"}, "policy"),
        ({"cryptosuite": "eddsa-rdfc-2022"}, "cryptosuite"),
    ],
)
def test_resuming_with_other_options_is_refused_naming_them(
    tmp_path: Path, unit: dict[str, Any], change: dict[str, Any], differ: str
) -> None:
    status_state(tmp_path)
    cohort = Cohort.from_records(unit, learners(2))
    run(cohort, tmp_path)
    with pytest.raises(BatchError) as caught:
        run(cohort, tmp_path, **change)
    assert caught.value.code == "batch_mismatch"
    assert differ in caught.value.details["differ"]


def test_resuming_with_another_key_or_unit_is_refused(tmp_path: Path, unit: dict[str, Any]) -> None:
    status_state(tmp_path)
    cohort = Cohort.from_records(unit, learners(2))
    run(cohort, tmp_path)
    with pytest.raises(BatchError, match="key"):
        issue_batch(
            cohort,
            KeyPair.generate(),
            out_dir=tmp_path / "out",
            status_state=tmp_path / "status.json",
            cryptosuite=FAST,
        )
    other_unit = Cohort.from_records({**unit, "ects": 6}, learners(2))
    with pytest.raises(BatchError, match="unit"):
        run(other_unit, tmp_path)


def test_a_folder_with_other_files_and_no_journal_is_refused(
    tmp_path: Path, unit: dict[str, Any]
) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("mine")
    with pytest.raises(BatchError) as caught:
        run(Cohort.from_records(unit, learners(1)), tmp_path, status_state=None)
    assert caught.value.code == "batch_mismatch"
    assert (tmp_path / "out" / "notes.txt").read_text() == "mine"


def test_a_folder_in_use_by_another_run_is_refused(tmp_path: Path, unit: dict[str, Any]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with journal_module._Journal.open(out):
        with pytest.raises(BatchError) as caught:
            run(Cohort.from_records(unit, learners(1)), tmp_path, status_state=None)
    assert caught.value.code == "batch_locked"


def test_unit_breaking_the_policy_stops_before_any_row(
    tmp_path: Path, unit: dict[str, Any]
) -> None:
    cohort = Cohort.from_records({**unit, "ects": 40}, learners(2))
    with pytest.raises(PolicyError) as caught:
        run(cohort, tmp_path, status_state=None)
    assert caught.value.rule == "hbo-wo.ects-range"
    assert not (tmp_path / "out").exists()


def test_jwt_batch_writes_tokens_that_are_reissued_byte_for_byte(
    tmp_path: Path, unit: dict[str, Any]
) -> None:
    from mcbadge.proofs.jwt import decode_credential_jwt

    status_state(tmp_path)
    cohort = Cohort.from_records(unit, learners(2))
    result = run(cohort, tmp_path, format="jwt")
    out = tmp_path / "out"
    token = (out / "000001-learner-1.jwt").read_text().strip()
    payload = decode_credential_jwt(token, key=KEY.public_key).credential
    assert payload["id"] == result.issued[0].id
    before = outputs(out)
    (out / "000001-learner-1.jwt").unlink()
    (out / "000002-learner-2.jwt").write_bytes(before["000002-learner-2.jwt"][:-20] + b"\n")
    again = run(cohort, tmp_path, format="jwt")
    assert again.issued_this_run == 2
    assert outputs(out) == before


def test_rsa_key_issues_vc_jwts_as_its_did_jwk(tmp_path: Path, unit: dict[str, Any]) -> None:
    from mcbadge.proofs.jwt import decode_credential_jwt

    rsa = KeyPair.generate("RSA")
    cohort = Cohort.from_records(unit, learners(2))
    options: dict[str, Any] = {
        "out_dir": tmp_path / "out",
        "format": "jwt",
        "handle_signals": False,
    }
    result = issue_batch(cohort, rsa, **options)
    token = (tmp_path / "out" / result.issued[0].file).read_bytes()
    credential = decode_credential_jwt(token.decode().strip(), key=rsa.public_key).credential
    assert credential["issuer"]["id"].startswith("did:jwk:")
    (tmp_path / "out" / result.issued[0].file).write_bytes(token[:-40] + b"\n")
    assert issue_batch(cohort, rsa, **options).issued_this_run == 1
    assert (tmp_path / "out" / result.issued[0].file).read_bytes() == token


def test_edubadges_profile_needs_jwt(tmp_path: Path, unit: dict[str, Any]) -> None:
    with pytest.raises(InvalidInputError) as caught:
        run(Cohort.from_records(unit, learners(1)), tmp_path, profile="edubadges")
    assert caught.value.code == "profile_needs_jwt"


def test_signing_identity_of_each_key_type() -> None:
    issuer, vm = signing_identity(KEY)
    assert issuer == KEY.did_key and vm == KEY.did_key_verification_method
    rsa = KeyPair.generate("RSA")
    issuer, vm = signing_identity(rsa, format="jwt")
    assert issuer.startswith("did:jwk:") and vm == issuer + "#0"
    assert signing_identity(KEY, verification_method="did:web:hs.nl#key-1") == (
        "did:web:hs.nl",
        "did:web:hs.nl#key-1",
    )
    with pytest.raises(InvalidInputError) as p256:
        signing_identity(KeyPair.generate("P-256"), format="di")
    assert p256.value.code == "key_unsupported_for_format"
    with pytest.raises(InvalidInputError) as mismatch:
        signing_identity(KEY, issuer_id="https://hs.nl")
    assert mismatch.value.code == "issuer_key_mismatch"


# --------------------------------------------------------------------------- crashes


CRASH_POINTS = [
    ("journal_started", 1),
    ("indexes_allocated", 1),
    ("status_state_saved", 1),
    ("indexes_journaled", 1),
    ("output_written", 1),
    ("output_written", 40),
    ("outcomes_journaled", 1),
    ("outcomes_journaled", 2),
]


@pytest.mark.parametrize(("point", "nth"), CRASH_POINTS)
def test_crash_at_any_point_then_resume_issues_each_row_exactly_once(
    tmp_path: Path,
    unit: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    point: str,
    nth: int,
) -> None:
    state = status_state(tmp_path)
    cohort = Cohort.from_records(unit, learners(70))  # three chunks of up to 32 rows
    calls = {"n": 0}
    written: dict[str, bytes] = {}

    def crash_at(name: str) -> None:
        if name == point:
            calls["n"] += 1
            if calls["n"] == nth:
                written.update(outputs(tmp_path / "out"))
                raise Crash(name)

    monkeypatch.setattr(checkpoints, "reached", crash_at)
    with pytest.raises(Crash):
        run(cohort, tmp_path)
    monkeypatch.setattr(checkpoints, "reached", lambda name: None)
    result = run(cohort, tmp_path)
    assert result.ok and len(result.issued) == 70
    assert_complete(tmp_path / "out", state, 70)
    after = outputs(tmp_path / "out")
    # whatever was signed before the crash is the same credential, byte for byte
    assert {name: after[name] for name in written} == written
    wasted = StatusListState.load(state).allocator.allocated_count - 70
    assert wasted == (70 if point == "status_state_saved" else 0)


def test_torn_journal_tail_is_cut_off_and_nothing_is_issued_twice(
    tmp_path: Path, unit: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    state = status_state(tmp_path)
    cohort = Cohort.from_records(unit, learners(4))
    run(cohort, tmp_path)
    journal = tmp_path / "out" / JOURNAL_NAME
    with journal.open("ab") as handle:
        handle.write(b'{"t":"done","row":9,"fi')
    monkeypatch.setattr(journal_module, "_READ_SIZE", 7)  # records split across reads
    result = run(cohort, tmp_path)
    assert result.journal_repairs == 1 and result.issued_this_run == 0
    assert journal.read_bytes().endswith(b"\n")
    assert_complete(tmp_path / "out", state, 4)


def test_damaged_journal_line_is_skipped_and_its_row_issued_again_identically(
    tmp_path: Path, unit: dict[str, Any]
) -> None:
    state = status_state(tmp_path)
    cohort = Cohort.from_records(unit, learners(4))
    run(cohort, tmp_path)
    before = outputs(tmp_path / "out")
    journal = tmp_path / "out" / JOURNAL_NAME
    lines = journal.read_bytes().splitlines(keepends=True)
    done = [i for i, line in enumerate(lines) if b'"t":"done","row":2,' in line][0]
    lines[done] = b"\x00" * 20 + b"\n"
    journal.write_bytes(b"".join(lines))
    result = run(cohort, tmp_path)
    assert result.journal_repairs == 1 and result.issued_this_run == 1
    assert outputs(tmp_path / "out") == before
    assert_complete(tmp_path / "out", state, 4)


def test_explicit_and_derived_ids_survive_a_resume_from_the_journal(
    tmp_path: Path, unit: dict[str, Any]
) -> None:
    records = learners(3)
    records[1]["id"] = "https://hs.nl/credentials/eigen-id"
    cohort = Cohort.from_records(unit, records)
    first = run(cohort, tmp_path, status_state=None)
    before = outputs(tmp_path / "out")
    (tmp_path / "out" / first.issued[1].file).unlink()
    again = run(cohort, tmp_path, status_state=None)
    assert again.issued_this_run == 1 and outputs(tmp_path / "out") == before
    assert [r.id for r in again.issued] == [r.id for r in first.issued]
    assert again.issued[1].id == "https://hs.nl/credentials/eigen-id"
    namespace = uuid.UUID(again.batch_id)
    assert again.issued[2].id == f"urn:uuid:{uuid.uuid5(namespace, 'row-3')}"


def test_damaged_journal_header_refuses_to_guess(tmp_path: Path, unit: dict[str, Any]) -> None:
    status_state(tmp_path)
    cohort = Cohort.from_records(unit, learners(2))
    run(cohort, tmp_path)
    journal = tmp_path / "out" / JOURNAL_NAME
    journal.write_bytes(b"garbage\n" + journal.read_bytes().split(b"\n", 1)[1])
    with pytest.raises(BatchError) as caught:
        run(cohort, tmp_path)
    assert caught.value.code == "batch_journal_damaged"


def test_missing_or_truncated_output_is_issued_again_identically(
    tmp_path: Path, unit: dict[str, Any]
) -> None:
    state = status_state(tmp_path)
    cohort = Cohort.from_records(unit, learners(3))
    run(cohort, tmp_path)
    out = tmp_path / "out"
    before = outputs(out)
    (out / "000001-learner-1.json").unlink()
    (out / "000003-learner-3.json").write_bytes(before["000003-learner-3.json"][:100])
    result = run(cohort, tmp_path)
    assert result.issued_this_run == 2
    assert outputs(out) == before
    assert_complete(out, state, 3)


def test_leftovers_of_a_crashed_attempt_are_removed(
    tmp_path: Path, unit: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    state = status_state(tmp_path)
    records = learners(3)

    def crash(name: str) -> None:
        if name == "output_written":
            raise Crash(name)

    monkeypatch.setattr(checkpoints, "reached", crash)
    with pytest.raises(Crash):
        run(Cohort.from_records(unit, records), tmp_path)
    monkeypatch.setattr(checkpoints, "reached", lambda name: None)
    out = tmp_path / "out"
    assert (out / "000001-learner-1.json").exists()
    (out / ".000002-learner-2.json.99999.tmp").write_bytes(b"{")
    records[0]["name"] = "Learner Een"  # not journaled as issued yet: may still change
    result = run(Cohort.from_records(unit, records), tmp_path)
    assert result.ok
    assert sorted(outputs(out)) == [
        "000001-learner-een.json",
        "000002-learner-2.json",
        "000003-learner-3.json",
    ]
    assert not list(out.glob(".*.tmp"))
    assert_complete(out, state, 3)


def test_a_restored_status_state_gets_the_journaled_indexes_back(
    tmp_path: Path, unit: dict[str, Any]
) -> None:
    state = status_state(tmp_path)
    backup = state.read_bytes()
    cohort = Cohort.from_records(unit, learners(3))
    result = run(cohort, tmp_path)
    state.write_bytes(backup)  # an old backup put back: it forgot the three indexes
    run(cohort, tmp_path)
    restored = StatusListState.load(state)
    assert all(restored.allocator.is_allocated(r.status_list_index or -1) for r in result.issued)


def test_first_ctrl_c_stops_after_the_chunk_in_hand_and_the_run_resumes(
    tmp_path: Path, unit: dict[str, Any]
) -> None:
    state = status_state(tmp_path)
    cohort = Cohort.from_records(unit, learners(70))
    # what the run must put back: Python's default handler, or SIG_IGN when the test process
    # was started in the background by a shell without job control
    before = signal.getsignal(signal.SIGINT)

    def interrupt(progress: BatchProgress) -> None:
        if progress.issued_this_run == 32:
            os.kill(os.getpid(), signal.SIGINT)

    result = issue_batch(
        cohort,
        KEY,
        out_dir=tmp_path / "out",
        status_state=state,
        cryptosuite=FAST,
        progress=interrupt,
    )
    assert result.interrupted and len(result.issued) == 32
    assert signal.getsignal(signal.SIGINT) is before
    assert run(cohort, tmp_path).ok
    assert_complete(tmp_path / "out", state, 70)


# --------------------------------------------------------------------------- status state


def test_status_state_round_trips_and_a_failed_edit_changes_nothing(tmp_path: Path) -> None:
    path = status_state(tmp_path)
    with StatusListState.edit(path) as state:
        first = state.allocator.allocate()
        state.status_list.revoke(first)
    with pytest.raises(RuntimeError), StatusListState.edit(path) as state:
        state.allocator.allocate_many(10)
        raise RuntimeError("boom")
    loaded = StatusListState.load(path)
    assert loaded.allocator.allocated_count == 1
    assert loaded.status_list.nonzero_indexes() == [first]
    assert loaded.url == STATUS_URL and loaded.purpose == "revocation"


def test_concurrent_edits_never_hand_out_an_index_twice(tmp_path: Path) -> None:
    path = status_state(tmp_path)
    taken: list[int] = []
    lock = threading.Lock()

    def take() -> None:
        for _ in range(10):
            with StatusListState.edit(path) as state:
                indexes = state.allocator.allocate_many(5)
            with lock:
                taken.extend(indexes)

    threads = [threading.Thread(target=take) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(taken) == len(set(taken)) == 200
    assert StatusListState.load(path).allocator.allocated_count == 200


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (None, "status_state_missing"),
        ("{}", "status_state_invalid"),
        ('{"type": "mcbadge.StatusListState", "version": 1}', "status_state_invalid"),
    ],
)
def test_missing_or_damaged_status_state_is_refused(
    tmp_path: Path, content: str | None, code: str
) -> None:
    path = tmp_path / "s.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(StatusListError) as caught:
        StatusListState.load(path)
    assert caught.value.code == code


@pytest.mark.parametrize("seed", range(5))
def test_derived_ids_are_rfc_9562_name_based_uuids(seed: int) -> None:
    """The written-out version-5 UUID equals the standard library's, for any batch and row."""
    namespace = uuid.UUID(int=(seed * 0x9E3779B97F4A7C15) % 2**128)
    for row in [0, 1, 2, 9, 10, 99, 12345, 2**31, 10**12]:
        assert journal_module._derived_id(namespace, row) == (
            f"urn:uuid:{uuid.uuid5(namespace, f'row-{row}')}"
        )
    assert journal_module._derived_id(uuid.uuid4(), 7) != journal_module._derived_id(
        uuid.uuid4(), 7
    )


def _row_plan(unit: dict[str, Any]) -> Any:
    """A worker's plan for building rows in this process (Data Integrity, no status)."""
    from mcbadge.batch.workers import _Plan

    return _Plan(
        batch_id=str(uuid.UUID(int=7)), created="2026-02-01T09:00:00Z", salt_key="ab" * 32,
        unit=unit, format="di", cryptosuite=FAST, profile="ob3", policy=None,
        issuer_id=KEY.did_key, verification_method=KEY.did_key_verification_method,
        status_url=None, status_purpose=None, out_dir=".", fsync_each_file=False,
    )  # fmt: skip


def test_rows_share_the_unit_part_and_equal_the_builder_document(unit: dict[str, Any]) -> None:
    """A worker builds the unit's part of the credential (achievement, issuer) once; every
    row's document equals the one built without sharing, whatever the row varies."""
    from mcbadge.batch.workers import _RowIssuer, _Task

    plan = _row_plan(unit)
    shared = _RowIssuer(plan, KEY)
    fresh = _RowIssuer(plan, KEY, share_unit_part=False)
    rows: list[dict[str, str | bool]] = [
        {"name": "Jan", "email": "jan@hs-voorbeeld.nl", "grade": "7.5"},
        {"name": "Piet", "student_number": "123", "grade": "6,0"},
        {"name": "Kees"},  # no grade: another result description
        {"name": "Els", "did": "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"},
        {"name": "Ans", "grade": "9.0", "valid_until": "2030-01-01T00:00:00Z"},
        {"name": "Wim", "grade": "5.5", "id": "urn:uuid:3f1d2c4b-0000-4000-8000-000000000001"},
    ]
    docs = []
    for number, fields in enumerate(rows, start=1):
        task = _Task(row=number, fields=fields, problem=None, index=None, file="x.json")
        doc = shared.build(task)
        assert doc == fresh.build(task)
        docs.append(doc)
    graded = [d for d, f in zip(docs, rows, strict=True) if "grade" in f]
    achievements = {id(d["credentialSubject"]["achievement"]) for d in graded}
    assert len(achievements) == 1  # built once for the graded rows ...
    assert (
        docs[2]["credentialSubject"]["achievement"]
        is not graded[0]["credentialSubject"]["achievement"]
    )  # ... and once for the row without a grade (its result description differs)


def test_unsigned_cohort_credentials_share_nothing(unit: dict[str, Any]) -> None:
    """cohort_credentials() hands its documents out: changing one changes no other."""
    from mcbadge.batch import cohort_credentials

    cohort = Cohort.from_records(unit, learners(3))
    first, second, _ = (
        item.credential for item in cohort_credentials(cohort, issuer_id=KEY.did_key)
    )
    assert first is not None and second is not None
    first["credentialSubject"]["achievement"]["name"] = "changed"
    first["issuer"]["name"] = "changed"
    assert second["credentialSubject"]["achievement"]["name"] != "changed"
    assert second["issuer"]["name"] != "changed"


def test_row_identities_built_without_validators_are_valid(unit: dict[str, Any]) -> None:
    """A worker builds each row's hashed identities without pydantic's validators (their
    values are valid by construction); validating the same values gives the same objects."""
    from mcbadge.batch.cohort import _IDENTIFIER_COLUMNS
    from mcbadge.batch.workers import _RowIssuer
    from mcbadge.microcredential import HashedIdentity

    plan = _row_plan(unit)
    fields: dict[str, str | bool] = {"name": "Jan", "email": "jan@hs-voorbeeld.nl"}
    fields.update({column: f"value of {column}" for column, _ in _IDENTIFIER_COLUMNS[1:]})
    learner = _RowIssuer(plan, KEY)._learner(3, fields)
    assert len(learner.hashed_identities) == len(_IDENTIFIER_COLUMNS)
    for built in learner.hashed_identities:
        assert HashedIdentity(**built.model_dump()) == built
