"""Results that mean what they say: pass marks, scales, the Dutch decimal comma, e-mail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mcbadge.batch import Cohort, issue_batch, load_unit
from mcbadge.demo import sample_microcredential
from mcbadge.errors import ModelValidationError, PolicyError
from mcbadge.keys import KeyPair
from mcbadge.microcredential import Institution, Learner, Microcredential, Result
from mcbadge.render import render_certificate_svg
from tests.conftest import PROJECT_ROOT

KEY = KeyPair.from_seed(bytes(range(32)))


def _rule(call: Any) -> str:
    with pytest.raises(PolicyError) as caught:
        call()
    assert caught.value.code == "policy_violation"
    assert caught.value.rule in caught.value.message
    return caught.value.rule


def test_a_grade_below_the_pass_mark_is_refused_naming_the_rule() -> None:
    assert _rule(lambda: Result(grade="4.0")) == "result.below-pass-mark"
    assert _rule(lambda: Result.from_dict({"grade": "5.4"})) == "result.below-pass-mark"
    assert _rule(lambda: Result(grade="5,4")) == "result.below-pass-mark"
    assert Result(grade="5.5").grade == "5.5"  # the pass mark itself passes


def test_a_result_not_achieved_is_said_in_the_credential_and_on_the_certificate() -> None:
    result = Result(grade="4.0", passed=False)
    mc = sample_microcredential().model_copy(update={"result": result})
    doc = mc.to_credential(
        id="urn:uuid:6f1e2d3c-0000-4000-8000-000000000001",
        valid_from="2026-01-15T10:00:00Z",
        issuer_id=KEY.did_key,
    ).to_json_dict()
    (subject_result,) = doc["credentialSubject"]["result"]
    assert subject_result["value"] == "4.0"
    assert subject_result["status"] == "Failed"
    svg = render_certificate_svg(doc, lang="nl")
    assert "met goed gevolg" not in svg
    assert "niet behaald" in svg


@pytest.mark.parametrize(
    ("result", "rule"),
    [
        ({"grade": "12"}, "result.grade-on-scale"),
        ({"grade": "0"}, "result.grade-on-scale"),
        ({"grade": "A"}, "result.grade-numeric"),
        ({"grade": "8", "scale_min": "10", "scale_max": "1"}, "result.scale"),
        ({"grade": "8", "pass_mark": "11"}, "result.pass-mark-on-scale"),
        (
            {"grade": "101", "scale_min": "0", "scale_max": "100", "pass_mark": "55"},
            "result.grade-on-scale",
        ),
    ],
)
def test_grades_are_checked_against_their_scale(result: dict[str, Any], rule: str) -> None:
    assert _rule(lambda: Result(**result)) == rule


def test_a_letter_grade_needs_a_letter_result_type_and_no_numeric_scale() -> None:
    letter = Result(
        grade="A", result_type="LetterGrade", scale_min=None, scale_max=None, pass_mark=None
    )
    assert letter.grade == "A"


@pytest.mark.parametrize(
    ("given", "written"),
    [("7,5", "7.5"), ("7,50", "7.50"), ("10", "10"), ("6.0", "6.0"), ("+7,5", "+7.5")],
)
def test_the_dutch_decimal_comma_is_written_with_a_point(given: str, written: str) -> None:
    result = Result(grade=given)
    assert result.grade == written
    mc = sample_microcredential().model_copy(update={"result": result})
    doc = mc.to_credential(
        id="urn:uuid:6f1e2d3c-0000-4000-8000-000000000002",
        valid_from="2026-01-15T10:00:00Z",
        issuer_id=KEY.did_key,
    ).to_json_dict()
    assert doc["credentialSubject"]["result"][0]["value"] == written


def test_the_scale_may_be_written_with_commas_too() -> None:
    result = Result(grade="6,8", scale_min="1,0", scale_max="10,0", pass_mark="5,5")
    assert (result.scale_min, result.scale_max, result.pass_mark) == ("1.0", "10.0", "5.5")


@pytest.mark.parametrize(
    "address",
    [
        "not-an-email",
        "jan@",
        "@example.nl",
        "jan@example",
        "jan @example.nl",
        "jan@@example.nl",
        "jan@exa mple.nl",
        "jan@example..nl",
        "jan.@example.nl",
        "jan@-example.nl",
        "jan@1.2.3.4",
    ],
)
def test_bad_email_addresses_are_refused(address: str) -> None:
    with pytest.raises(ModelValidationError, match="e-mail") as caught:
        Learner(name="Jan", email=address)
    assert caught.value.errors[0]["loc"] == "email"
    with pytest.raises(ModelValidationError, match="e-mail"):
        Institution(name="HS", url="https://hs.example", email=address)


@pytest.mark.parametrize(
    "address",
    [
        "jan@example.nl",
        "jan.jansen+mc@student.hs-voorbeeld.nl",
        "o'brien@example.ie",
        "jørgen@eksempel.dk",
        "j@bücher.de",
    ],
)
def test_good_email_addresses_pass(address: str) -> None:
    assert Learner(name="Jan", email=address).email == address


def test_the_batch_refuses_a_row_below_the_pass_mark_naming_the_rule(tmp_path: Path) -> None:
    unit = load_unit(PROJECT_ROOT / "examples" / "cohort.unit.toml")
    rows = [
        {"name": "Geslaagd", "email": "a@student.hs-voorbeeld.nl", "grade": "7,5"},
        {"name": "Gezakt", "email": "b@student.hs-voorbeeld.nl", "grade": "4,0"},
        {"name": "Buiten schaal", "email": "c@student.hs-voorbeeld.nl", "grade": "12"},
        {"name": "Fout adres", "email": "not-an-email", "grade": "8"},
    ]
    result = issue_batch(
        Cohort.from_records(unit, rows),
        KEY,
        out_dir=tmp_path / "out",
        handle_signals=False,
        cryptosuite="eddsa-jcs-2022",
    )
    assert len(result.issued) == 1
    errors = {e.row: e for e in result.errors}
    assert errors[2].code == "policy_violation"
    assert "result.below-pass-mark" in errors[2].message
    assert errors[3].code == "policy_violation"
    assert "result.grade-on-scale" in errors[3].message
    assert errors[4].code == "model_invalid"
    assert "e-mail" in errors[4].message
    (issued,) = result.issued
    import json

    doc = json.loads((tmp_path / "out" / issued.file).read_bytes())
    assert doc["credentialSubject"]["result"][0]["value"] == "7.5"


def test_microcredential_with_a_failing_result_is_refused_by_the_builder() -> None:
    data = {
        name: getattr(sample_microcredential(), name)
        for name in type(sample_microcredential()).model_fields
    }
    data["eqf"] = None
    data["result"] = {"grade": "3"}
    with pytest.raises(PolicyError) as caught:
        Microcredential(**data)
    assert caught.value.rule == "result.below-pass-mark"
