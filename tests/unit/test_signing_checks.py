"""issue() signs only what verify() accepts: the negative corpus, replayed at signing time.

Every case of the verifier's negative corpus (tests/unit/test_verify_negative.py) is either
decidable when signing -- then ``issue()``, given the same unsigned credential and key, refuses
it with the check's error code -- or listed in ``NOT_AT_SIGNING_TIME`` with the reason.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from mcbadge import issue
from mcbadge._internal.multibase import base64url_decode
from mcbadge.demo import sample_microcredential
from mcbadge.errors import InvalidInputError, McBadgeError, StrictJsonLdError
from mcbadge.keys import KeyPair
from mcbadge.verify import verify
from mcbadge.verify.signing import SigningRefusedError, signing_checks
from tests.unit import test_verify_negative as corpus
from tests.unit.test_verify import ISSUER, OTHER, ob3_credential

_JWT_CLAIMS = ("iss", "jti", "nbf", "sub", "exp", "iat")

# case name -> (key, issue() options) used to sign the case's unsigned credential again
AT_SIGNING_TIME: dict[str, tuple[KeyPair, dict[str, Any]]] = {
    "wrong_key_di": (OTHER, {"verification_method": ISSUER.did_key_verification_method}),
    "wrong_key_jwt": (OTHER, {"verification_method": ISSUER.did_key_verification_method}),
    "key_of_another_issuer_di": (OTHER, {}),
    "key_of_another_issuer_jwt": (OTHER, {}),
    "https_key_outside_the_issuer": (
        ISSUER,
        {"verification_method": "https://elders.example/keys#key-1"},
    ),
    "https_key_beside_the_issuer_path": (
        ISSUER,
        {"verification_method": "https://hs-voorbeeld.example/issuers/10#key-1"},
    ),
    "jwk_header_of_another_key": (OTHER, {"embed_jwk": True}),
    "created_in_future": (ISSUER, {"created": "2999-01-01T00:00:00Z"}),
    "status_malformed": (ISSUER, {}),
    "unknown_cryptosuite": (ISSUER, {"cryptosuite": "eddsa-foo-2022"}),
    "missing_subject_identifier": (ISSUER, {}),
    "bad_schema": (ISSUER, {}),
    "bad_context_order": (ISSUER, {}),
    "vc_context_missing": (ISSUER, {}),
    "not_a_verifiable_credential": (ISSUER, {}),
    "undefined_term": (ISSUER, {}),
    "refresh_service_not_https": (ISSUER, {}),
    "endorsement_with_bad_proof": (ISSUER, {}),
    "endorsement_jwt_expired": (ISSUER, {}),
    "endorsement_of_wrong_type": (ISSUER, {}),
}

NOT_AT_SIGNING_TIME: dict[str, str] = {
    "tampered_di": "changed after signing",
    "tampered_jcs": "changed after signing",
    "tampered_proof_options": "changed after signing",
    "tampered_jwt": "changed after signing",
    "key_not_for_assertions": "the verifier's key document says which relationships a key has",
    "unresolvable_https_key": "an HTTPS key resolves with the network, when verifying",
    "unresolvable_jwt_kid": "an HTTPS key resolves with the network, when verifying",
    "jwt_without_key_reference": "issue() always writes a kid or a jwk",
    "expired": "VC 2.0: validUntil may be in the past when issuing",
    "expired_jwt": "VC 2.0: validUntil may be in the past when issuing",
    "not_yet_valid": "VC 2.0: validFrom may be in the future when issuing",
    "not_yet_valid_jwt": "VC 2.0: validFrom may be in the future when issuing",
    "jwt_issued_in_future": "issue() writes iat itself",
    "proof_expired": "issue() writes no proof expiry",
    "revoked": "status bits change after issuing",
    "suspended": "status bits change after issuing",
    "status_unavailable": "whether a verifier can fetch the list is a verification question",
    "unknown_proof_type": "issue() writes the proof type",
    "malformed_proof_value": "issue() writes the proof value",
    "second_proof_bad": "issue() writes the proof value",
    "broken_chain": "changed after signing",
    "no_proof": "issue() adds the proof",
    "wrong_proof_purpose": "issue() writes assertionMethod",
    "untrusted_issuer": "the trusted-issuer list is the verifier's",
    "wrong_recipient": "the expected recipient is the verifier's",
    "wrong_recipient_subject_id": "the expected recipient is the verifier's",
    "alg_none": "issue() never writes alg none",
}


def _name(build: Callable[[], Any]) -> str:
    return build.__name__.lstrip("_")


def _unsigned(value: Any) -> tuple[dict[str, Any], str]:
    """The unsigned credential inside a case's value, and its format."""
    if isinstance(value, str):
        payload = json.loads(base64url_decode(value.split(".")[1]))
        return {k: v for k, v in payload.items() if k not in _JWT_CLAIMS}, "jwt"
    return {k: v for k, v in value.items() if k != "proof"}, "di"


def test_every_corpus_case_is_classified() -> None:
    names = {_name(build) for build in corpus.CASES}
    credential_cases = {n for n in names if not n.startswith(("vp_", "jwt_claim_"))}
    assert set(AT_SIGNING_TIME) | set(NOT_AT_SIGNING_TIME) == credential_cases
    assert not set(AT_SIGNING_TIME) & set(NOT_AT_SIGNING_TIME)


@pytest.mark.parametrize(
    "build",
    [b for b in corpus.CASES if _name(b) in AT_SIGNING_TIME],
    ids=_name,
)
def test_issue_refuses_what_verify_refuses_with_the_same_code(build: Callable[[], Any]) -> None:
    case = build()
    credential, fmt = _unsigned(case.value)
    key, options = AT_SIGNING_TIME[_name(build)]
    with pytest.raises(McBadgeError) as caught:
        issue(credential, key, format=fmt, **options)  # type: ignore[call-overload]
    error = caught.value
    assert error.code == case.code, error
    if isinstance(error, SigningRefusedError):
        assert error.check == case.check
        assert "verify() would refuse" in error.message
    else:  # raised by the proof suite itself, as verify() reports it
        assert isinstance(error, StrictJsonLdError | InvalidInputError)


def test_the_quickstart_without_issuer_id_is_refused_with_the_binding_code() -> None:
    key = KeyPair.generate("Ed25519")
    credential = sample_microcredential().to_credential(
        id="urn:uuid:0f5a3b1c-1111-4c1e-9d0e-5f3c2a1b6d4e", valid_from="2026-01-15T10:00:00Z"
    )
    for fmt in ("di", "jwt"):
        with pytest.raises(SigningRefusedError) as caught:
            issue(credential, key, format=fmt)  # type: ignore[call-overload]
        assert caught.value.code == "issuer_key_mismatch"
        assert caught.value.check == "proof.issuer_binding"
        assert "issuer_id=key.did_key" in caught.value.message
    # the fix the message names gives a credential that verifies
    fixed = sample_microcredential().to_credential(
        id="urn:uuid:0f5a3b1c-1111-4c1e-9d0e-5f3c2a1b6d4e",
        valid_from="2026-01-15T10:00:00Z",
        issuer_id=key.did_key,
    )
    assert verify(issue(fixed, key)).issuer_id == key.did_key


def test_a_foreign_key_is_an_explicit_option_and_the_report_says_so() -> None:
    credential = ob3_credential()  # issued by ISSUER
    signed = issue(credential, OTHER, allow_foreign_key=True)
    assert signed["proof"][0]["verificationMethod"] == OTHER.did_key_verification_method
    report = signing_checks(credential, OTHER, allow_foreign_key=True)
    binding = report.check("proof.issuer_binding")
    assert binding is not None and binding.status == "skipped"
    assert "allow_foreign_key" in binding.message


def test_a_key_that_is_not_a_signer_is_a_typed_error() -> None:
    with pytest.raises(InvalidInputError) as caught:
        issue(ob3_credential(), "not a key")  # type: ignore[call-overload]
    assert caught.value.code == "key_invalid"


@pytest.mark.parametrize("where", ["value", "key"])
def test_a_lone_surrogate_is_a_typed_error(where: str) -> None:
    credential = ob3_credential()
    if where == "value":
        credential["name"] = "bad \ud800 text"
    else:
        credential["credentialSubject"]["\udc00"] = "x"
    for fmt in ("di", "jwt"):
        with pytest.raises(InvalidInputError) as caught:
            issue(credential, ISSUER, format=fmt)  # type: ignore[call-overload]
        assert caught.value.code == "string_lone_surrogate"


def test_signing_checks_pass_for_a_good_credential_and_run_the_schema() -> None:
    report = signing_checks(ob3_credential(), ISSUER)
    assert report.verified, report
    assert report.check("schema.ob3").status == "passed"  # type: ignore[union-attr]
    assert report.check("jsonld.strict").status == "passed"  # type: ignore[union-attr]


def test_an_ob3_credential_without_id_is_refused_like_the_schema_refuses_it() -> None:
    credential = ob3_credential()
    del credential["id"]
    with pytest.raises(SigningRefusedError) as caught:
        issue(credential, ISSUER)
    assert caught.value.code == "schema_invalid"


# SD-JWT VC: the same corpus, the same codes. Not applicable to SD-JWT: the Data Integrity
# proof options (cryptosuite, created), the jwk header, and JSON-LD (an SD-JWT VC is plain
# JSON, its claims carry no @context, so safe mode is not a question).
VCT = "https://hs-voorbeeld.example/vct/microcredential"
SD_JWT_SIGNATURE = {
    "signature_invalid": ("sdjwt_signature_invalid", "sdjwt.signature"),
    "jwt_signature_invalid": ("sdjwt_signature_invalid", "sdjwt.signature"),
}
SD_JWT_NOT_APPLICABLE: dict[str, str] = {
    "created_in_future": "an SD-JWT VC has no proof created time",
    "unknown_cryptosuite": "an SD-JWT VC has no cryptosuite",
    "jwk_header_of_another_key": "issue() writes a kid for an SD-JWT VC",
    "undefined_term": "an SD-JWT VC is plain JSON: JSON-LD safe mode does not apply",
}
# An SD-JWT VC issuer with an HTTPS id may publish its key in its JWT VC Issuer Metadata
# (SD-JWT VC §5); verify() reads it with the network, so the binding is decided then.
SD_JWT_BOUND_BY_METADATA = {"https_key_outside_the_issuer", "https_key_beside_the_issuer_path"}


@pytest.mark.parametrize(
    "build",
    [
        b
        for b in corpus.CASES
        if _name(b) in AT_SIGNING_TIME
        and _name(b) not in SD_JWT_NOT_APPLICABLE
        and _name(b) not in SD_JWT_BOUND_BY_METADATA
    ],
    ids=_name,
)
def test_sd_jwt_issue_refuses_what_verify_refuses_with_the_same_code(
    build: Callable[[], Any],
) -> None:
    case = build()
    credential, _ = _unsigned(case.value)
    key, options = AT_SIGNING_TIME[_name(build)]
    with pytest.raises(McBadgeError) as caught:
        issue(credential, key, format="sd-jwt", vct=VCT, **options)
    error = caught.value
    # the signature check of an SD-JWT VC has its own id and code in verify()
    code, check = SD_JWT_SIGNATURE.get(case.code, (case.code, case.check))
    assert error.code == code, error
    if isinstance(error, SigningRefusedError):
        assert error.check == check
        assert "verify() would refuse" in error.message
    else:
        assert isinstance(error, InvalidInputError)


def test_sd_jwt_issue_signs_what_passes_the_same_checks() -> None:
    token = issue(ob3_credential(), ISSUER, format="sd-jwt", vct=VCT)
    assert verify(token).issuer_id == ISSUER.did_key
    report = signing_checks(ob3_credential(), ISSUER, format="sd-jwt")
    assert report.verified and report.format == "sd-jwt"
    assert report.check("jsonld.strict") is None  # plain JSON: no JSON-LD safe mode


def test_sd_jwt_issue_without_issuer_id_is_refused_with_the_binding_code() -> None:
    key = KeyPair.generate("Ed25519")
    credential = sample_microcredential().to_credential(
        id="urn:uuid:0f5a3b1c-1111-4c1e-9d0e-5f3c2a1b6d4e",
        valid_from="2026-01-15T10:00:00Z",
        issuer_id="did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
    )
    with pytest.raises(SigningRefusedError) as caught:
        issue(credential, key, format="sd-jwt", vct=VCT)
    assert (caught.value.code, caught.value.check) == (
        "issuer_key_mismatch",
        "proof.issuer_binding",
    )


@pytest.mark.parametrize(
    "build", [b for b in corpus.CASES if _name(b) in SD_JWT_BOUND_BY_METADATA], ids=_name
)
def test_sd_jwt_binding_to_an_https_issuer_is_left_to_its_metadata(
    build: Callable[[], Any],
) -> None:
    """What the Data Integrity and VC-JWT forms refuse (a key outside the HTTPS issuer) an
    SD-JWT VC issuer may publish in its JWT VC Issuer Metadata: not decided offline, and the
    report says so (never a silent pass)."""
    credential, _ = _unsigned(build().value)
    key, options = AT_SIGNING_TIME[_name(build)]
    report = signing_checks(credential, key, format="sd-jwt", **options)
    binding = report.check("proof.issuer_binding")
    assert binding is not None and binding.status == "skipped"
    assert binding.details.get("reason_code") == "issuer_metadata"
    assert "JWT VC Issuer Metadata" in binding.message
    for fmt in ("di", "jwt"):
        refused = signing_checks(credential, key, format=fmt, **options)
        assert refused.check("proof.issuer_binding").status == "failed"  # type: ignore[union-attr]


@pytest.mark.parametrize("where", ["value", "key"])
def test_sd_jwt_issue_refuses_a_lone_surrogate_like_the_other_formats(where: str) -> None:
    credential = ob3_credential()
    if where == "value":
        credential["name"] = "bad \ud800 text"
    else:
        credential["credentialSubject"]["\udc00"] = "x"
    with pytest.raises(InvalidInputError) as caught:
        issue(credential, ISSUER, format="sd-jwt", vct=VCT)
    assert caught.value.code == "string_lone_surrogate"


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({1: "one", "1": "uno"}, "json_duplicate_member"),  # the same member once written
        ({"n": 10**1200}, "json_number_too_long"),
        ({"n": float("nan")}, "input_not_json"),
        ({"n": [1.5, float("-inf")]}, "input_not_json"),
        ({"s": "\ud800"}, "string_lone_surrogate"),
        ({"t": {1, 2}}, "input_not_json"),
    ],
)
def test_the_checked_copy_refuses_what_the_strict_reader_refuses(
    extra: dict[Any, Any], code: str
) -> None:
    """signing_checks() reads the credential back from its JSON text; the quick path for
    plain dicts gives the same refusals as the strict reader."""
    key = KeyPair.generate("Ed25519")
    doc = sample_microcredential().to_credential_dict(id="urn:uuid:1", issuer_id=key.did_key)
    doc["credentialSubject"]["extra"] = extra
    report = signing_checks(doc, key)
    assert [(c.id, c.error_code) for c in report.failed_checks] == [("format", code)]
    doc["credentialSubject"]["extra"] = {"n": 2**64}  # beyond orjson's 64 bits: still read
    assert signing_checks(doc, key).credential["credentialSubject"]["extra"] == {  # type: ignore[index]
        "n": 2**64
    }
    tupled = {**doc, "type": ("VerifiableCredential", "OpenBadgeCredential")}
    del tupled["credentialSubject"]["extra"]
    assert signing_checks(tupled, key).credential["type"] == [  # type: ignore[index]
        "VerifiableCredential",
        "OpenBadgeCredential",
    ]
