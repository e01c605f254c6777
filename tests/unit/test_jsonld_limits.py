"""Issue 10, F4: the JSON-LD work is bounded before anything is expanded.

An inline ``@context`` makes the fast path decline, and pyld's node map is quadratic in the
length of an array of objects: 10,000 subjects (272 KB) took 27-33 s, 20,000 (570 KB) 99 s,
no key needed. Depth, value count, array length and the pairwise array work are now checked
in one linear walk first; a document over a limit gets ``jsonld_too_large`` naming it. The
largest legitimate inputs (the OB3 reference examples, presentations of many credentials, a
10,000-row revocation list) stay well inside. The service side is in
``tests/integration/test_hostile_input.py``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mcbadge.errors import JsonLdError
from mcbadge.jsonld.strict import (
    MAX_ARRAY_LENGTH,
    MAX_DEPTH,
    MAX_VALUES,
    check_size,
    check_strict,
    to_rdf_dataset,
)
from mcbadge.jsonld.urls import VC_V2_CONTEXT_URL
from mcbadge.verify import presentation_report
from tests.unit.test_status import (
    CREDENTIAL_ID,
    EDTECH_STATUS,
    REVOCATION_LIST_URL,
    _checker,
    _edtech_list,
)
from tests.unit.test_verify import (
    clock,
    failures,
    make_presentation,
    ob3_credential,
    report_of,
    sign,
)


def many_subjects(count: int) -> dict[str, Any]:
    """A credential with ``count`` subjects and an inline context (the fast path declines)."""
    return {
        "@context": [VC_V2_CONTEXT_URL, {"grade": "https://hs-voorbeeld.example/vocab#grade"}],
        "id": "urn:uuid:5b1f2a0e-6c1d-4d0e-9a8b-2f3c4d5e6f70",
        "type": ["VerifiableCredential"],
        "issuer": "did:example:hs-voorbeeld",
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": [
            {"id": f"did:example:learner-{index}", "grade": "8.5"} for index in range(count)
        ],
    }


def limit_of(error: pytest.ExceptionInfo[JsonLdError]) -> str:
    assert error.value.code == "jsonld_too_large"
    limit: str = error.value.details["limit"]
    return limit


@pytest.mark.parametrize("count", [10_000, 20_000])
def test_ten_and_twenty_thousand_subjects_are_refused_by_the_limit(count: int) -> None:
    document = many_subjects(count)
    for process in (to_rdf_dataset, check_strict):
        with pytest.raises(JsonLdError) as error:
            process(document)
        assert limit_of(error) == "array_length"
    signed = dict(document, proof=sign(ob3_credential())["proof"])
    report = report_of(signed)
    assert not report.verified
    assert ("jsonld.strict", "jsonld_too_large") in failures(report)


def test_many_arrays_of_objects_are_refused_on_their_total_work() -> None:
    document = many_subjects(1)
    document["credentialSubject"] = [
        {"id": f"did:example:{n}", "grade": [{"@value": str(i)} for i in range(300)]}
        for n in range(20)
    ]
    with pytest.raises(JsonLdError) as error:
        to_rdf_dataset(document)
    assert limit_of(error) == "array_work"


def test_deep_nesting_and_too_many_values_are_refused() -> None:
    deep: dict[str, Any] = {"grade": "8.5"}
    for _ in range(MAX_DEPTH):
        deep = {"grade": deep}
    with pytest.raises(JsonLdError) as error:
        check_size(deep)
    assert limit_of(error) == "depth"
    wide = {"grade": [[str(i) for i in range(MAX_ARRAY_LENGTH)] for _ in range(MAX_VALUES // 999)]}
    with pytest.raises(JsonLdError) as error:
        check_size(wide)
    assert limit_of(error) == "values"


def test_a_thousand_subjects_still_fit_the_array_length() -> None:
    check_size({"credentialSubject": ["did:example:x"] * MAX_ARRAY_LENGTH})


def test_reference_examples_are_well_inside_the_limits(reference_dir: Path) -> None:
    checked = 0
    for path in sorted((reference_dir / "ob3").rglob("*.json")):
        check_size(json.loads(path.read_text(encoding="utf-8")))
        checked += 1
    assert checked > 10


def test_a_presentation_of_many_credentials_verifies() -> None:
    credentials = [
        sign(ob3_credential(id=f"urn:uuid:5b1f2a0e-6c1d-4d0e-9a8b-{index:012d}"))
        for index in range(40)
    ]
    presentation = make_presentation(credentials)
    check_size({"verifiableCredential": credentials * 20})  # 800 credentials
    report = presentation_report(
        presentation, challenge="c-123", domain="verifier.example", clock=clock
    )
    assert report.verified, failures(report)


def test_a_ten_thousand_row_revocation_list_is_read() -> None:
    rows = [f"urn:uuid:00000000-0000-4000-8000-{n:012d}" for n in range(9_999)]
    document = _edtech_list(*rows, CREDENTIAL_ID)
    checker = _checker(document, url=REVOCATION_LIST_URL)
    result = checker.check(EDTECH_STATUS, credential_id=CREDENTIAL_ID)
    assert result.revoked
