"""Issue 10, F8: a VC-JWT is valid only inside its own ``nbf``/``exp`` too.

Before, a token whose ``exp`` had passed verified when the credential had no ``validUntil``,
and the report said that ``exp`` "agrees with the credential".
"""

from __future__ import annotations

from datetime import datetime

from tests.unit.test_verify import (
    NOW,
    failures,
    generic_credential,
    jwt_payload,
    kid_header,
    ob3_credential,
    raw_jws,
    report_of,
)

PAST = int(datetime.fromisoformat("2026-03-01T00:00:00+00:00").timestamp())
FUTURE = int(datetime.fromisoformat("2027-01-01T00:00:00+00:00").timestamp())


def test_a_vc_jwt_whose_exp_has_passed_fails_without_valid_until() -> None:
    doc = ob3_credential()
    assert "validUntil" not in doc
    report = report_of(raw_jws(kid_header(), jwt_payload(doc, exp=PAST)))
    assert failures(report) == [("valid_until", "expired")]
    message = report.check("valid_until").message  # type: ignore[union-attr]
    assert "exp 2026-03-01T00:00:00Z" in message
    assert "no validUntil" in message


def test_the_report_does_not_say_an_unmatched_exp_agrees_with_the_credential() -> None:
    report = report_of(raw_jws(kid_header(), jwt_payload(ob3_credential(), exp=FUTURE)))
    assert report.verified
    claims = report.check("jwt.claims").message  # type: ignore[union-attr]
    assert claims.startswith("iss, jti, nbf, sub agree with the credential") or (
        "exp agree" not in claims
    )
    assert "exp has no validUntil" in claims
    assert "2027-01-01T00:00:00Z" in report.check("valid_until").message  # type: ignore[union-attr]


def test_a_vc_jwt_whose_exp_agrees_with_an_expired_valid_until_fails_as_expired() -> None:
    doc = ob3_credential(validUntil="2026-03-01T00:00:00Z")
    report = report_of(raw_jws(kid_header(), jwt_payload(doc)))
    assert failures(report) == [("valid_until", "expired")]


def test_a_vc_jwt_whose_nbf_is_in_the_future_is_not_yet_valid() -> None:
    doc = generic_credential()
    later = int(NOW.timestamp()) + 86_400
    report = report_of(raw_jws(kid_header(), jwt_payload(doc, nbf=later)))
    assert ("valid_from", "not_yet_valid") in failures(report)
    assert "nbf" in report.check("valid_from").message  # type: ignore[union-attr]


def test_an_exp_that_is_no_number_is_invalid_even_without_valid_until() -> None:
    report = report_of(raw_jws(kid_header(), jwt_payload(ob3_credential(), exp="tomorrow")))
    assert ("jwt.claims", "jwt_claim_invalid") in failures(report)
    assert not report.verified
