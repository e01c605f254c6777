"""The negative corpus: for every check, a credential that fails exactly that check.

Each case builds its credential (or presentation) from a valid one by one change, verifies it
at a fixed clock, and asserts that the *only* failed check is the expected one, with the
expected stable error code.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from mcbadge._internal.multibase import base64url_decode, base64url_encode
from mcbadge.did import VerificationMethod
from mcbadge.verify import presentation_report
from tests.unit.test_verify import (
    ISSUER,
    OB3,
    OB3_EXTENSIONS,
    OTHER,
    STATUS_ENTRY,
    VC_V2,
    FixedStatus,
    clock,
    endorsement_credential,
    failures,
    generic_credential,
    jwt_payload,
    kid_header,
    make_presentation,
    ob3_credential,
    raw_jws,
    report_of,
    sign,
    sign_jwt,
)

HTTPS_ISSUER = "https://hs-voorbeeld.example/issuers/1"


@dataclass(frozen=True)
class Case:
    """One refused input: what to verify, with which options, and the one failure expected."""

    value: Any
    check: str
    code: str
    options: dict[str, Any] = field(default_factory=dict)
    presentation: dict[str, Any] | None = None


def _tampered_di() -> Case:
    doc = sign(ob3_credential())
    doc["credentialSubject"]["achievement"]["name"] = "Advanced Data Privacy"
    return Case(doc, "proof[0].signature", "signature_invalid")


def _tampered_jcs() -> Case:
    doc = sign(ob3_credential(), suite="eddsa-jcs-2022")
    doc["validFrom"] = "2025-01-01T00:00:00Z"
    return Case(doc, "proof[0].signature", "signature_invalid")


def _tampered_proof_options() -> Case:
    doc = sign(ob3_credential())
    doc["proof"][0]["created"] = "2026-01-02T00:00:00Z"
    return Case(doc, "proof[0].signature", "signature_invalid")


def _tampered_jwt() -> Case:
    token = sign_jwt(ob3_credential())
    head, payload, signature = token.split(".")
    data = json.loads(base64url_decode(payload))
    data["name"] = "Advanced Data Privacy"
    changed = base64url_encode(json.dumps(data).encode("utf-8"))
    return Case(f"{head}.{changed}.{signature}", "jwt.signature", "jwt_signature_invalid")


def _wrong_key_di() -> Case:
    # Signed by OTHER while naming ISSUER's key.
    doc = sign(ob3_credential(), OTHER, verification_method=ISSUER.did_key_verification_method)
    return Case(doc, "proof[0].signature", "signature_invalid")


def _wrong_key_jwt() -> Case:
    doc = ob3_credential()
    return Case(
        raw_jws(kid_header(ISSUER), jwt_payload(doc), OTHER),
        "jwt.signature",
        "jwt_signature_invalid",
    )


def _key_of_another_issuer_di() -> Case:
    return Case(sign(ob3_credential(), OTHER), "proof.issuer_binding", "issuer_key_mismatch")


def _key_of_another_issuer_jwt() -> Case:
    return Case(sign_jwt(ob3_credential(), OTHER), "proof.issuer_binding", "issuer_key_mismatch")


def _https_key_outside_the_issuer() -> Case:
    vm = "https://elders.example/keys#key-1"
    doc = sign(ob3_credential(HTTPS_ISSUER), verification_method=vm)
    return Case(
        doc,
        "proof.issuer_binding",
        "issuer_key_mismatch",
        options={"keys": {vm: ISSUER.public_key}},
    )


def _https_key_beside_the_issuer_path() -> Case:
    vm = "https://hs-voorbeeld.example/issuers/10#key-1"
    doc = sign(ob3_credential(HTTPS_ISSUER), verification_method=vm)
    return Case(
        doc,
        "proof.issuer_binding",
        "issuer_key_mismatch",
        options={"keys": {vm: ISSUER.public_key}},
    )


def _jwk_header_of_another_key() -> Case:
    token = sign_jwt(ob3_credential(), OTHER, embed_jwk=True)
    return Case(token, "proof.issuer_binding", "issuer_key_mismatch")


def _key_not_for_assertions() -> Case:
    vm = HTTPS_ISSUER + "#auth-key"
    doc = sign(ob3_credential(HTTPS_ISSUER), verification_method=vm)
    method = VerificationMethod(
        id=vm,
        controller=HTTPS_ISSUER,
        type="Multikey",
        public_key=ISSUER.public_key,
        relationships=frozenset({"authentication"}),
    )
    return Case(
        doc,
        "proof.issuer_binding",
        "verification_method_not_authorized",
        options={"keys": {vm: method}},
    )


def _unresolvable_https_key() -> Case:
    doc = sign(ob3_credential(HTTPS_ISSUER), verification_method=HTTPS_ISSUER + "#key-1")
    return Case(doc, "proof[0].signature", "verification_method_unresolved")


def _unresolvable_jwt_kid() -> Case:
    token = sign_jwt(ob3_credential(HTTPS_ISSUER), verification_method=HTTPS_ISSUER + "#key-1")
    return Case(token, "jwt.signature", "jwt_key_unresolved")


def _jwt_without_key_reference() -> Case:
    doc = ob3_credential(HTTPS_ISSUER)
    return Case(
        raw_jws({"alg": "EdDSA", "typ": "JWT"}, jwt_payload(doc)),
        "jwt.signature",
        "jwt_no_key_reference",
    )


def _expired() -> Case:
    doc = sign(ob3_credential(validUntil="2026-03-01T00:00:00Z"))
    return Case(doc, "valid_until", "expired")


def _expired_jwt() -> Case:
    return Case(
        sign_jwt(ob3_credential(validUntil="2026-03-01T00:00:00Z")), "valid_until", "expired"
    )


def _not_yet_valid() -> Case:
    return Case(
        sign(ob3_credential(validFrom="2027-01-01T00:00:00Z")), "valid_from", "not_yet_valid"
    )


def _not_yet_valid_jwt() -> Case:
    return Case(
        sign_jwt(ob3_credential(validFrom="2027-01-01T00:00:00Z")), "valid_from", "not_yet_valid"
    )


def _created_in_future() -> Case:
    return Case(
        sign(ob3_credential(), created="2027-01-01T00:00:00Z"),
        "proof.created",
        "proof_created_in_future",
    )


def _jwt_issued_in_future() -> Case:
    doc = ob3_credential()
    return Case(
        raw_jws(kid_header(), jwt_payload(doc, iat=1798761600)),
        "proof.created",
        "proof_created_in_future",
    )


def _proof_expired() -> Case:
    return Case(
        sign(ob3_credential(), expires="2026-02-01T00:00:00Z"), "proof.expires", "proof_expired"
    )


def _revoked() -> Case:
    return Case(
        sign(ob3_credential(credentialStatus=STATUS_ENTRY)),
        "status",
        "revoked",
        options={"status_checker": FixedStatus(is_set=True)},
    )


def _suspended() -> Case:
    return Case(
        sign(ob3_credential(credentialStatus=STATUS_ENTRY)),
        "status",
        "suspended",
        options={"status_checker": FixedStatus(purpose="suspension", is_set=True)},
    )


def _status_unavailable() -> Case:
    return Case(sign(ob3_credential(credentialStatus=STATUS_ENTRY)), "status", "status_unavailable")


def _status_malformed() -> Case:
    token = sign_jwt(generic_credential(credentialStatus=["revoked?"]))
    return Case(token, "status", "status_malformed")


def _unknown_cryptosuite() -> Case:
    doc = sign(ob3_credential())
    doc["proof"][0]["cryptosuite"] = "eddsa-foo-2022"
    return Case(doc, "proof[0].signature", "unknown_cryptosuite")


def _unknown_proof_type() -> Case:
    doc = sign(ob3_credential())
    doc["proof"][0]["type"] = "https://proofs.example/BbsBlsSignature2030"
    return Case(doc, "proof[0].signature", "unknown_proof_type")


def _malformed_proof_value() -> Case:
    doc = sign(ob3_credential())
    doc["proof"][0]["proofValue"] = "u" + doc["proof"][0]["proofValue"][1:]
    return Case(doc, "proof[0].signature", "proof_value_malformed")


def _second_proof_bad() -> Case:
    doc = sign(sign(ob3_credential()), created="2026-01-02T00:00:00Z")
    doc["proof"][1]["proofValue"] = sign(ob3_credential(), created="2026-01-03T00:00:00Z")["proof"][
        0
    ]["proofValue"]
    return Case(doc, "proof[1].signature", "signature_invalid")


def _broken_chain() -> Case:
    first = sign(ob3_credential(), proof_id="urn:uuid:proof-1")
    chained = sign(first, created="2026-01-02T00:00:00Z", previous_proof="urn:uuid:proof-1")
    chained["proof"][1]["previousProof"] = "urn:uuid:proof-9"
    return Case(chained, "proof[1].signature", "previous_proof_missing")


def _no_proof() -> Case:
    return Case(ob3_credential(), "proof", "proof_missing")


def _wrong_proof_purpose() -> Case:
    return Case(
        sign(ob3_credential(), proof_purpose="authentication"),
        "proof.purpose",
        "proof_purpose_mismatch",
    )


def _missing_subject_identifier() -> Case:
    doc = ob3_credential()
    del doc["credentialSubject"]["id"]
    del doc["credentialSubject"]["identifier"]
    return Case(sign(doc), "subject.identifier", "subject_identifier_missing")


def _claim(name: str, value: Any, code: str = "jwt_claim_mismatch") -> Callable[[], Case]:
    def build() -> Case:
        doc = ob3_credential(validUntil="2027-01-01T00:00:00Z")
        payload = jwt_payload(doc, **{name: value})
        return Case(raw_jws(kid_header(), payload), "jwt.claims", code)

    build.__name__ = f"_jwt_claim_{name}_{code}"
    return build


def _bad_schema() -> Case:
    doc = ob3_credential()
    doc["credentialSubject"]["achievement"]["inLanguage"] = "Nederlands"
    return Case(sign(doc), "schema.ob3", "schema_invalid")


def _bad_context_order() -> Case:
    examples = "https://www.w3.org/ns/credentials/examples/v2"
    token = sign_jwt(generic_credential(**{"@context": [examples, VC_V2]}))
    return Case(token, "context", "context_order")


def _vc_context_missing() -> Case:
    examples = "https://www.w3.org/ns/credentials/examples/v2"
    return Case(
        sign_jwt(generic_credential(**{"@context": [examples]})), "context", "context_missing"
    )


def _not_a_verifiable_credential() -> Case:
    return Case(sign_jwt(generic_credential(type=["AlumniCredential"])), "type", "type_mismatch")


def _undefined_term() -> Case:
    doc = sign(ob3_credential())
    doc["credentialSubject"]["colour"] = "blue"
    return Case(doc, "jsonld.strict", "jsonld_not_strict")


def _refresh_service_not_https() -> Case:
    doc = ob3_credential(
        refreshService={
            "id": "http://hs-voorbeeld.example/refresh",
            "type": "1EdTechCredentialRefresh",
        }
    )
    doc["@context"] = [VC_V2, OB3, OB3_EXTENSIONS]
    return Case(sign(doc), "refresh_service", "refresh_service_invalid")


def _endorsement_with_bad_proof() -> Case:
    endorsement = sign(endorsement_credential(), OTHER)
    endorsement["credentialSubject"]["endorsementComment"] = "Outstanding in every way."
    return Case(
        sign(ob3_credential(endorsement=[endorsement])), "endorsement[0]", "endorsement_invalid"
    )


def _endorsement_jwt_expired() -> Case:
    endorsement = sign_jwt(endorsement_credential(validUntil="2026-02-01T00:00:00Z"), OTHER)
    return Case(
        sign_jwt(ob3_credential(endorsementJwt=[endorsement])),
        "endorsement[0]",
        "endorsement_invalid",
    )


def _endorsement_of_wrong_type() -> Case:
    # An embedded credential that is not an EndorsementCredential (the OB3 schema only types
    # endorsementJwt entries as strings, so only this check can notice).
    not_an_endorsement = sign_jwt(ob3_credential(OTHER.did_key), OTHER)
    return Case(
        sign_jwt(ob3_credential(endorsementJwt=[not_an_endorsement])),
        "endorsement[0]",
        "endorsement_type",
    )


def _untrusted_issuer() -> Case:
    return Case(
        sign(ob3_credential()),
        "trusted_issuer",
        "issuer_not_trusted",
        options={"trusted_issuers": [OTHER.did_key]},
    )


def _wrong_recipient() -> Case:
    return Case(
        sign(ob3_credential()),
        "recipient",
        "recipient_mismatch",
        options={"expected_recipient": "piet.puk@student.hs-voorbeeld.nl"},
    )


def _wrong_recipient_subject_id() -> Case:
    return Case(
        sign_jwt(generic_credential()),
        "recipient",
        "recipient_mismatch",
        options={"expected_recipient": "did:example:learner-2"},
    )


def _alg_none() -> Case:
    doc = ob3_credential()
    head = base64url_encode(b'{"alg":"none","typ":"JWT"}')
    body = base64url_encode(json.dumps(jwt_payload(doc)).encode("utf-8"))
    return Case(f"{head}.{body}.AA", "format", "jwt_alg_none")


def _vp_case(check: str, code: str, **changes: Any) -> Callable[[], Case]:
    def build() -> Case:
        options = dict(changes)
        credential = options.pop("credential", None) or sign(ob3_credential())
        vp = make_presentation([credential], **options)
        return Case(None, check, code, presentation=vp)

    build.__name__ = f"_vp_{check}_{code}"
    return build


def _vp_holder_key_mismatch() -> Case:
    vp = make_presentation([sign(ob3_credential())], holder=OTHER)
    return Case(None, "proof.holder_binding", "issuer_key_mismatch", presentation=vp)


def _vp_tampered() -> Case:
    vp = make_presentation([sign(ob3_credential())])
    vp["holder"] = OTHER.did_key
    return Case(None, "proof[0].signature", "signature_invalid", presentation=vp)


def _vp_bad_credential() -> Case:
    credential = sign(ob3_credential())
    credential["name"] = "Something else"
    vp = make_presentation([credential])
    return Case(None, "credential[0]", "credential_invalid", presentation=vp)


def test_vp_with_a_bare_jwt_under_an_rdfc_proof_fails_twice() -> None:
    # JSON-LD drops a bare string in verifiableCredential, so an rdfc proof does not cover it.
    # mcbadge refuses to sign such a presentation (strict JSON-LD: graph_scalar_dropped), so
    # the attacker's presentation is signed here with the strict check switched off. Both the
    # strict check and the credential check refuse it.
    from unittest import mock

    with (
        mock.patch("mcbadge.jsonld.fastrdf.canonicalize", return_value=None),
        mock.patch("mcbadge.jsonld.strict._raise_if_problems"),
    ):
        vp = make_presentation([sign_jwt(ob3_credential())])
    report = presentation_report(vp, challenge="c-123", domain="verifier.example", clock=clock)
    assert not report.verified
    assert failures(report) == [
        ("jsonld.strict", "jsonld_not_strict"),
        ("credential[0]", "credential_not_covered"),
    ]


CASES: list[Callable[[], Case]] = [
    _tampered_di,
    _tampered_jcs,
    _tampered_proof_options,
    _tampered_jwt,
    _wrong_key_di,
    _wrong_key_jwt,
    _key_of_another_issuer_di,
    _key_of_another_issuer_jwt,
    _https_key_outside_the_issuer,
    _https_key_beside_the_issuer_path,
    _jwk_header_of_another_key,
    _key_not_for_assertions,
    _unresolvable_https_key,
    _unresolvable_jwt_kid,
    _jwt_without_key_reference,
    _expired,
    _expired_jwt,
    _not_yet_valid,
    _not_yet_valid_jwt,
    _created_in_future,
    _jwt_issued_in_future,
    _proof_expired,
    _revoked,
    _suspended,
    _status_unavailable,
    _status_malformed,
    _unknown_cryptosuite,
    _unknown_proof_type,
    _malformed_proof_value,
    _second_proof_bad,
    _broken_chain,
    _no_proof,
    _wrong_proof_purpose,
    _missing_subject_identifier,
    _claim("iss", "https://elders.example/issuers/1"),
    _claim("sub", "did:example:learner-2"),
    _claim("jti", "urn:uuid:00000000-0000-0000-0000-000000000000"),
    _claim("nbf", 1767225601),
    _claim("exp", 1798761599),
    _claim("iss", None, "jwt_claim_missing"),
    _claim("nbf", None, "jwt_claim_missing"),
    _claim("exp", None, "jwt_claim_missing"),
    _claim("nbf", "yesterday", "jwt_claim_invalid"),
    _bad_schema,
    _bad_context_order,
    _vc_context_missing,
    _not_a_verifiable_credential,
    _undefined_term,
    _refresh_service_not_https,
    _endorsement_with_bad_proof,
    _endorsement_jwt_expired,
    _endorsement_of_wrong_type,
    _untrusted_issuer,
    _wrong_recipient,
    _wrong_recipient_subject_id,
    _alg_none,
    _vp_case("proof.challenge", "challenge_mismatch", challenge="c-999"),
    _vp_case("proof.domain", "domain_mismatch", domain="attacker.example"),
    _vp_case("proof.purpose", "proof_purpose_mismatch", purpose="assertionMethod"),
    _vp_holder_key_mismatch,
    _vp_tampered,
    _vp_bad_credential,
]


@pytest.mark.parametrize("build", CASES, ids=lambda f: f.__name__.lstrip("_"))
def test_refused_with_exactly_one_failing_check(build: Callable[[], Case]) -> None:
    case = build()
    if case.presentation is not None:
        report = presentation_report(
            case.presentation,
            challenge="c-123",
            domain="verifier.example",
            clock=clock,
            **case.options,
        )
    else:
        report = report_of(copy.deepcopy(case.value), **case.options)
    assert not report.verified
    assert failures(report) == [(case.check, case.code)], report
    failed = report.failed_checks[0]
    assert failed.message, "a failure must say why"


@pytest.mark.parametrize(
    "contexts",
    [[VC_V2], [OB3, VC_V2], [VC_V2, "https://www.w3.org/ns/credentials/examples/v2", OB3]],
)
def test_ob3_context_problems_fail_the_context_check_and_the_schema(contexts: Any) -> None:
    report = report_of(sign_jwt(ob3_credential(**{"@context": contexts})))
    assert {c.id for c in report.failed_checks} == {"context", "schema.ob3"}
    assert report.check("context").error_code in ("context_order", "context_missing")  # type: ignore[union-attr]


def test_undefined_term_skips_the_signature_instead_of_failing_it_twice() -> None:
    report = report_of(_undefined_term().value)
    signature = report.check("proof[0].signature")
    assert signature is not None and signature.status == "skipped"
    assert "jsonld.strict" in signature.message


def test_revoked_and_suspended_fail_even_with_other_checks_passing() -> None:
    for build, code in ((_revoked, "revoked"), (_suspended, "suspended")):
        case = build()
        report = report_of(case.value, **case.options)
        assert [c.id for c in report.checks if c.status == "failed"] == ["status"]
        assert report.check("status").error_code == code  # type: ignore[union-attr]


def test_the_corpus_covers_every_check_that_can_fail() -> None:
    covered = {build().check for build in CASES}
    assert covered >= {
        "format",
        "jsonld.strict",
        "context",
        "type",
        "schema.ob3",
        "subject.identifier",
        "proof",
        "proof[0].signature",
        "jwt.signature",
        "proof.issuer_binding",
        "proof.holder_binding",
        "proof.purpose",
        "proof.challenge",
        "proof.domain",
        "jwt.claims",
        "refresh_service",
        "status",
        "valid_from",
        "valid_until",
        "proof.created",
        "proof.expires",
        "recipient",
        "endorsement[0]",
        "trusted_issuer",
        "credential[0]",
    }
