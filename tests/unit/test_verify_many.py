"""verify_many(): the report verification_report() gives each input one by one, in order."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

import mcbadge
from mcbadge._internal.parallel import ordered_map
from mcbadge.errors import InvalidInputError
from mcbadge.verify import VerifyOutcome, verification_report, verify_many
from tests.unit.test_verify import ISSUER, OTHER, ob3_credential, sign, sign_jwt


def _inputs() -> list[Any]:
    good = sign(ob3_credential())
    tampered = json.loads(json.dumps(good))
    tampered["name"] = "Something else"
    expired = sign(ob3_credential(validUntil="2026-06-01T00:00:00Z"))
    return [
        good,
        json.dumps(good).encode(),  # JSON bytes, as read from a file
        sign_jwt(ob3_credential()),
        tampered,
        b"not a credential",
        expired,
        sign(ob3_credential(), OTHER),  # a key that is not the issuer's
        sign_jwt(ob3_credential(), OTHER),
        {"just": "an object"},
    ] * 3


def _clock() -> datetime:  # a closure-free clock; the test below also passes a closure
    return datetime(2026, 9, 1, tzinfo=UTC)


def _one_by_one(inputs: list[Any], **options: Any) -> list[dict[str, Any]]:
    expected = []
    for item in inputs:
        try:
            expected.append({"report": verification_report(item, **options).to_dict()})
        except InvalidInputError as exc:
            expected.append({"error": exc.to_dict()})
    return expected


def _as_dicts(outcomes: list[VerifyOutcome]) -> list[dict[str, Any]]:
    return [
        {"report": o.report.to_dict()}
        if o.report is not None
        else {"error": o.error.to_dict() if o.error is not None else None}
        for o in outcomes
    ]


@pytest.mark.parametrize("workers", [1, 2])
def test_same_reports_as_one_by_one_in_order(workers: int) -> None:
    inputs = _inputs()
    moment = datetime(2026, 9, 1, tzinfo=UTC)
    options: dict[str, Any] = {
        "trusted_issuers": [ISSUER.did_key],
        "skip_status": True,
        "clock": lambda: moment,  # a closure: the workers are forked, nothing is pickled
    }
    outcomes = list(verify_many(inputs, workers=workers, chunk_size=2, **options))
    assert [o.index for o in outcomes] == list(range(len(inputs)))
    assert _as_dicts(outcomes) == _one_by_one(inputs, **options)
    verdicts = [o.verified for o in outcomes[:9]]
    assert verdicts == [True, True, True, False, False, False, False, False, False]
    assert outcomes[4].error is not None and outcomes[4].error.code == "input_unrecognized"


def test_it_is_public_and_reads_its_inputs_lazily() -> None:
    assert mcbadge.verify_many is verify_many
    assert "verify_many" in mcbadge.__all__ and "VerifyOutcome" in mcbadge.__all__
    taken: list[int] = []

    def produce() -> Any:
        for n in range(100):
            taken.append(n)
            yield b"{}"

    outcomes = verify_many(produce(), workers=2, chunk_size=4, clock=_clock)
    first = next(outcomes)
    assert first.index == 0 and not first.verified
    assert len(taken) < 100  # a bounded window, not the whole input
    outcomes.close()


def test_bad_options_are_typed_errors() -> None:
    for options in ({"workers": 0}, {"chunk_size": 0}):
        with pytest.raises(InvalidInputError) as info:
            verify_many([], **options)
        assert info.value.code == "invalid_option"


def test_ordered_map_keeps_order_across_workers() -> None:
    assert list(ordered_map(str, range(200), workers=2, chunk_size=7)) == [
        str(n) for n in range(200)
    ]
    assert list(ordered_map(str, [], workers=2)) == []
    assert list(ordered_map(str, [1], workers=2)) == ["1"]
