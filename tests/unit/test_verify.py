"""verify(): the report, the input forms, the options, status, presentations, no network, fuzz.

The module-level helpers (keys, a small OB3 credential, signing shortcuts, a fixed clock) are
shared with the other ``test_verify_*`` modules.
"""

from __future__ import annotations

import copy
import json
import socket
import struct
import zlib
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcbadge._internal.multibase import base64url_encode
from mcbadge.did import VerificationMethod, did_jwk
from mcbadge.errors import InvalidInputError, StatusListError, VerificationError
from mcbadge.keys import KeyPair
from mcbadge.model import IdentityObject
from mcbadge.proofs import add_proof
from mcbadge.proofs.jwt import sign_credential_jwt
from mcbadge.report import Check, VerificationReport, format_report
from mcbadge.status import (
    BitstringStatusList,
    StatusResult,
    entry,
    status_list_credential,
)
from mcbadge.verify import (
    presentation_report,
    verification_report,
    verify,
    verify_presentation,
)

# --------------------------------------------------------------------------- shared helpers

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
START = "2026-01-01T00:00:00Z"
VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB3_EXTENSIONS = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
EMAIL = "jan.jansen@student.hs-voorbeeld.nl"
EMAIL_IDENTITY = IdentityObject.hashed("emailAddress", EMAIL, salt="zout").to_json_dict()


def clock() -> datetime:
    """The fixed "now" every test verifies at."""
    return NOW


def _key(seed: int) -> KeyPair:
    pair = KeyPair.from_seed(bytes([seed]) * 32)
    return pair.with_verification_method(pair.did_key_verification_method)


ISSUER = _key(1)
OTHER = _key(2)
HOLDER = _key(3)


def ob3_credential(issuer: str | None = None, **changes: Any) -> dict[str, Any]:
    """A small valid OpenBadgeCredential issued by ``issuer`` (default: ISSUER's did:key)."""
    doc: dict[str, Any] = {
        "@context": [VC_V2, OB3],
        "id": "urn:uuid:5b1f2a0e-6c1d-4d0e-9a8b-2f3c4d5e6f70",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": issuer or ISSUER.did_key,
            "type": ["Profile"],
            "name": "Hogeschool Voorbeeld",
        },
        "validFrom": "2026-01-01T00:00:00Z",
        "name": "Data Privacy in de Zorg",
        "credentialSubject": {
            "id": "did:example:learner-1",
            "type": ["AchievementSubject"],
            "identifier": [EMAIL_IDENTITY],
            "achievement": {
                "id": "https://hs-voorbeeld.example/achievements/dpz-01",
                "type": ["Achievement"],
                "name": "Data Privacy in de Zorg",
                "description": "Veilig verwerken van gezondheidsgegevens.",
                "criteria": {"narrative": "Tentamen gehaald."},
            },
        },
    }
    doc.update(changes)
    return doc


def generic_credential(issuer: str | None = None, **changes: Any) -> dict[str, Any]:
    """A plain W3C VC 2.0 credential (no OB3 type)."""
    doc: dict[str, Any] = {
        "@context": [VC_V2],
        "id": "urn:uuid:0c4b2a4e-8f3a-4d2b-9a51-3b7e5a7f0c11",
        "type": ["VerifiableCredential"],
        "issuer": issuer or ISSUER.did_key,
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner-1"},
    }
    doc.update(changes)
    return doc


def endorsement_credential(issuer: KeyPair = OTHER, **changes: Any) -> dict[str, Any]:
    """An EndorsementCredential of the ISSUER's profile, by ``issuer``."""
    doc: dict[str, Any] = {
        "@context": [VC_V2, OB3],
        "id": "urn:uuid:9e3f7a52-1d2c-4b5a-8e6f-7a8b9c0d1e2f",
        "type": ["VerifiableCredential", "EndorsementCredential"],
        "issuer": {"id": issuer.did_key, "type": ["Profile"], "name": "Accreditatie NL"},
        "validFrom": "2026-01-01T00:00:00Z",
        "name": "Endorsement of Hogeschool Voorbeeld",
        "credentialSubject": {
            "id": ISSUER.did_key,
            "type": ["EndorsementSubject"],
            "endorsementComment": "In good standing.",
        },
    }
    doc.update(changes)
    return doc


def sign(
    doc: Mapping[str, Any],
    key: KeyPair = ISSUER,
    *,
    suite: Any = "eddsa-rdfc-2022",
    created: str = "2026-01-01T00:00:00Z",
    **options: Any,
) -> dict[str, Any]:
    """Data Integrity sign ``doc`` with ``key`` (its did:key verification method by default)."""
    return add_proof(doc, key, cryptosuite=suite, created=created, **options)


def sign_jwt(doc: Mapping[str, Any], key: KeyPair = ISSUER, **options: Any) -> str:
    """VC-JWT sign ``doc`` (header kid = the key's did:key verification method).

    Signs with the unchecked low-level signer: the corpus needs credentials that ``issue()``
    refuses to make (a key that is not the issuer's, a schema violation...).
    """
    embed_jwk = bool(options.pop("embed_jwk", False))
    vm = options.pop("verification_method", None) or key.did_key_verification_method
    assert not options, options
    return sign_credential_jwt(doc, key, kid=None if embed_jwk else vm, embed_jwk=embed_jwk)


def raw_jws(header: Mapping[str, Any], payload: Mapping[str, Any], key: KeyPair = ISSUER) -> str:
    """A compact JWS over exactly this header and payload (to make inconsistent tokens)."""

    def part(value: Mapping[str, Any]) -> str:
        return base64url_encode(json.dumps(value, separators=(",", ":")).encode("utf-8"))

    signing_input = f"{part(header)}.{part(payload)}"
    return f"{signing_input}.{base64url_encode(key.sign(signing_input.encode('ascii')))}"


def jwt_payload(doc: Mapping[str, Any], **claims: Any) -> dict[str, Any]:
    """The OB3 VC-JWT payload of ``doc`` with its derived claims, then ``claims`` applied."""
    payload = dict(doc)
    payload.update(
        {
            "iss": doc["issuer"]["id"] if isinstance(doc["issuer"], dict) else doc["issuer"],
            "jti": doc["id"],
            "nbf": int(datetime.fromisoformat(doc["validFrom"]).timestamp()),
            "sub": doc["credentialSubject"]["id"],
        }
    )
    if "validUntil" in doc:
        payload["exp"] = int(datetime.fromisoformat(doc["validUntil"]).timestamp())
    for name, value in claims.items():
        if value is None:
            payload.pop(name, None)
        else:
            payload[name] = value
    return payload


def kid_header(key: KeyPair = ISSUER) -> dict[str, Any]:
    return {"alg": "EdDSA", "kid": key.did_key_verification_method, "typ": "JWT"}


def report_of(value: Any, **options: Any) -> VerificationReport:
    """``verification_report`` at the fixed clock."""
    options.setdefault("clock", clock)
    return verification_report(value, **options)


def failures(report: VerificationReport) -> list[tuple[str, str | None]]:
    """``[(check id, error code)]`` of every failed check."""
    return [(c.id, c.error_code) for c in report.failed_checks]


class FixedStatus:
    """A status checker that answers every entry with one purpose and bit."""

    def __init__(self, *, purpose: str = "revocation", is_set: bool = False) -> None:
        self.purpose = purpose
        self.is_set = is_set
        self.seen: list[Mapping[str, Any]] = []

    def check(self, entry: Mapping[str, Any]) -> StatusResult:
        self.seen.append(entry)
        return StatusResult(
            type="BitstringStatusListEntry",
            purpose=self.purpose,
            index=42,
            value=1 if self.is_set else 0,
            list_credential="https://hs-voorbeeld.example/status/1",
            list_issuer=ISSUER.did_key,
            message=None,
            checked_at=NOW,
        )


STATUS_ENTRY = {
    "id": "https://hs-voorbeeld.example/status/1#42",
    "type": "BitstringStatusListEntry",
    "statusPurpose": "revocation",
    "statusListIndex": "42",
    "statusListCredential": "https://hs-voorbeeld.example/status/1",
}


@pytest.fixture(scope="module")
def signed() -> dict[str, Any]:
    return sign(ob3_credential())


@pytest.fixture(scope="module")
def token() -> str:
    return sign_jwt(ob3_credential())


# --------------------------------------------------------------------------- happy paths


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
def test_verify_accepts_a_signed_ob3_credential_in_both_suites(suite: str) -> None:
    doc = ob3_credential()
    original = copy.deepcopy(doc)
    secured = sign(doc, suite=suite)
    before = copy.deepcopy(secured)
    result = verify(secured, clock=clock, trusted_issuers=[ISSUER.did_key])
    assert result.report.verified
    assert result.format == "di" and not result.legacy
    assert result.issuer_id == ISSUER.did_key
    assert result.credential == secured
    assert secured == before and doc == original  # inputs are never mutated
    assert result.report.check("trusted_issuer").status == "passed"  # type: ignore[union-attr]


def test_verify_accepts_a_vc_jwt_and_returns_the_inner_credential(token: str) -> None:
    result = verify(token, clock=clock)
    assert result.format == "jwt"
    assert result.credential == ob3_credential()
    assert result.report.check("jwt.signature").status == "passed"  # type: ignore[union-attr]
    assert result.report.check("jsonld.strict").status == "skipped"  # type: ignore[union-attr]


def test_report_lists_every_check_in_the_ob3_order(signed: dict[str, Any]) -> None:
    report = report_of(signed)
    assert [c.id for c in report.checks] == [
        "format",
        "jsonld.strict",
        "context",
        "type",
        "structure",
        "schema.ob3",
        "subject.identifier",
        "proof[0].signature",
        "proof.issuer_binding",
        "proof.purpose",
        "refresh_service",
        "status",
        "valid_from",
        "valid_until",
        "proof.created",
        "recipient",
        "trusted_issuer",
    ]
    assert report.verified and not report.failed_checks
    assert {c.id for c in report.skipped_checks} == {"recipient", "trusted_issuer"}
    assert all(c.message for c in report.checks)


def test_jwt_report_has_the_jwt_checks_in_order(token: str) -> None:
    ids = [c.id for c in report_of(token).checks]
    assert ids[ids.index("subject.identifier") + 1 :][:4] == [
        "jwt.signature",
        "proof.issuer_binding",
        "proof.purpose",
        "jwt.claims",
    ]


def test_report_to_dict_is_json_and_carries_codes(signed: dict[str, Any]) -> None:
    tampered = copy.deepcopy(signed)
    tampered["name"] = "Something else"
    data = report_of(tampered).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["verified"] is False
    assert data["format"] == "di"
    assert data["issuer"] == ISSUER.did_key
    failed = [c for c in data["checks"] if c["status"] == "failed"]
    assert [(c["id"], c["error_code"]) for c in failed] == [
        ("proof[0].signature", "signature_invalid")
    ]
    assert all(c["error_code"] is None for c in data["checks"] if c["status"] != "failed")
    assert "credential" not in data
    assert report_of(tampered).to_dict(include_credential=True)["credential"] == tampered


def test_format_report_draws_a_table_with_codes(signed: dict[str, Any]) -> None:
    tampered = copy.deepcopy(signed)
    tampered["validFrom"] = "2025-01-01T00:00:00Z"
    report = report_of(tampered)
    text = format_report(report)
    assert text.startswith("NOT VERIFIED (format: di)")
    assert "[signature_invalid]" in text
    assert "FAILED   proof[0].signature" in text
    assert str(report) == text
    ok = format_report(report_of(signed))
    assert ok.startswith("VERIFIED") and "FAILED" not in ok


def test_verification_error_carries_the_report(signed: dict[str, Any]) -> None:
    with pytest.raises(VerificationError) as info:
        verify(signed, clock=clock, trusted_issuers=["did:example:someone-else"])
    assert info.value.code == "verification_failed"
    assert isinstance(info.value.report, VerificationReport)
    assert info.value.details["failed"] == ["trusted_issuer"]
    assert "trusted_issuer (issuer_not_trusted)" in info.value.message


def test_generic_vc_verifies_and_skips_the_ob3_checks() -> None:
    report = report_of(sign(generic_credential()))
    assert report.verified
    for check_id in ("schema.ob3", "subject.identifier"):
        check = report.check(check_id)
        assert check is not None and check.status == "skipped"
        assert check.message == "not an OB3 credential"


def test_endorsement_credential_is_checked_against_the_endorsement_schema() -> None:
    report = report_of(sign(endorsement_credential(), OTHER))
    assert report.verified
    check = report.check("schema.ob3")
    assert check is not None and "endorsementcredential" in check.message


def test_embedded_endorsements_are_verified_recursively() -> None:
    endorsement = sign(endorsement_credential(), OTHER)
    doc = ob3_credential(endorsement=[endorsement])
    doc["issuer"] = {**doc["issuer"], "endorsement": [endorsement]}
    doc["credentialSubject"]["achievement"]["endorsement"] = [endorsement]
    report = report_of(sign(doc))
    assert report.verified, failures(report)
    checks = [c for c in report.checks if c.id.startswith("endorsement[")]
    assert [c.details["path"] for c in checks] == [
        "endorsement[0]",
        "issuer.endorsement[0]",
        "credentialSubject.achievement.endorsement[0]",
    ]
    assert all(c.report is not None and c.report.verified for c in checks)


def test_endorsement_jwts_in_a_vc_jwt_are_verified() -> None:
    # endorsementJwt is not a term of the pinned OB3 3.0.3 context: only a VC-JWT carries it.
    jwt_endorsement = sign_jwt(endorsement_credential(), OTHER)
    report = report_of(sign_jwt(ob3_credential(endorsementJwt=[jwt_endorsement])))
    assert report.verified, failures(report)
    check = report.check("endorsement[0]")
    assert check is not None and check.details["path"] == "endorsementJwt[0]"
    assert check.report is not None and check.report.format == "jwt"


def test_endorsements_beyond_the_depth_limit_are_skipped_not_failed() -> None:
    endorsement = sign(endorsement_credential(), OTHER)
    report = report_of(sign(ob3_credential(endorsement=[endorsement])), max_endorsement_depth=0)
    assert report.verified
    check = report.check("endorsement[0]")
    assert check is not None and check.status == "skipped"
    assert check.details["reason_code"] == "depth_limit"


def test_refresh_service_is_reported_not_followed() -> None:
    service = {"id": "https://hs-voorbeeld.example/refresh", "type": "1EdTechCredentialRefresh"}
    doc = ob3_credential(refreshService=service)
    doc["@context"] = [VC_V2, OB3, OB3_EXTENSIONS]  # 1EdTechCredentialRefresh is defined there
    report = report_of(sign(doc))
    assert report.verified
    check = report.check("refresh_service")
    assert check is not None and check.status == "skipped"
    assert check.message.startswith("not followed")
    assert any("refresh service" in w for w in report.warnings)


# --------------------------------------------------------------------------- keys and binding


def test_https_key_given_with_keys_is_bound_by_its_url() -> None:
    issuer = "https://hs-voorbeeld.example/issuers/1"
    vm = issuer + "#key-1"
    secured = sign(ob3_credential(issuer), verification_method=vm)
    assert report_of(secured, keys={vm: ISSUER.public_key}).verified
    offline = report_of(secured)
    assert failures(offline) == [("proof[0].signature", "verification_method_unresolved")]
    assert "keys=" in offline.failed_checks[0].message


def test_https_key_under_the_issuer_origin_and_path_is_bound() -> None:
    issuer = "https://hs-voorbeeld.example/issuers/1"
    vm = "https://hs-voorbeeld.example/issuers/1/keys/2024"
    secured = sign(ob3_credential(issuer), verification_method=vm)
    assert report_of(secured, keys={vm: ISSUER.public_key}).verified


def test_verification_method_entry_names_its_controller() -> None:
    vm = OTHER.did_key_verification_method
    secured = sign(ob3_credential("https://hs-voorbeeld.example/issuers/1"), OTHER)
    entry_ = VerificationMethod(
        id=vm,
        controller="https://hs-voorbeeld.example/issuers/1",
        type="Multikey",
        public_key=OTHER.public_key,
        relationships=frozenset({"assertionMethod"}),
    )
    assert report_of(secured, keys={vm: entry_}).verified
    assert failures(report_of(secured)) == [("proof.issuer_binding", "issuer_key_mismatch")]


def test_jwt_with_embedded_jwk_verifies_when_the_issuer_is_that_did_jwk() -> None:
    pair = KeyPair.generate("P-256")
    token = sign_jwt(ob3_credential(did_jwk(pair)), pair, embed_jwk=True)
    result = verify(token, clock=clock)
    binding = result.report.check("proof.issuer_binding")
    assert binding is not None and "did:jwk" in binding.message


def test_jwt_with_embedded_jwk_verifies_when_the_key_is_trusted_for_the_issuer() -> None:
    issuer = "https://hs-voorbeeld.example/issuers/1"
    token = sign_jwt(ob3_credential(issuer), ISSUER, embed_jwk=True)
    assert report_of(token, keys={issuer + "#key-1": ISSUER.public_key}).verified
    assert failures(report_of(token)) == [("proof.issuer_binding", "issuer_key_mismatch")]


@pytest.mark.parametrize("kind", ["RSA", "P-256"])
def test_jwt_with_rsa_and_p256_keys_given_by_kid(kind: Any) -> None:
    pair = KeyPair.generate(kind)
    issuer = "https://hs-voorbeeld.example/issuers/1"
    vm = issuer + "#key-1"
    token = sign_jwt(ob3_credential(issuer), pair, verification_method=vm)
    assert report_of(token, keys={vm: pair.public_key}).verified


def test_legacy_vc_claim_jwt_verifies_with_a_key_given_for_its_issuer() -> None:
    issuer = "https://hs-voorbeeld.example/issuers/1"
    vc = {
        "@context": ["https://www.w3.org/2018/credentials/v1", OB3],
        "id": "urn:uuid:1",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": "HS"},
        "issuanceDate": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner-1", "type": ["AchievementSubject"]},
    }
    token = raw_jws(
        {"alg": "EdDSA", "typ": "JWT"},
        {
            "vc": vc,
            "iss": issuer,
            "nbf": 1767225600,
            "jti": "urn:uuid:1",
            "sub": "did:example:learner-1",
        },
    )
    result = verify(token, clock=clock, keys={issuer: ISSUER.public_key})
    assert result.format == "jwt-legacy" and result.legacy
    assert result.warnings and "legacy" in result.warnings[0]
    legacy = result.report.check("legacy")
    assert legacy is not None and legacy.status == "passed"
    assert failures(report_of(token)) == [("jwt.signature", "jwt_no_key_reference")]


# --------------------------------------------------------------------------- dates


def test_leeway_tolerates_small_clock_skew() -> None:
    soon = (NOW + timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    secured = sign(ob3_credential(validFrom=soon), created=soon)
    assert report_of(secured).verified
    assert failures(report_of(secured, leeway=timedelta(0))) == [
        ("valid_from", "not_yet_valid"),
        ("proof.created", "proof_created_in_future"),
    ]


def test_legacy_dates_are_read_from_issuance_and_expiration_date() -> None:
    doc = {
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "id": "urn:uuid:1",
        "type": ["VerifiableCredential"],
        "issuer": ISSUER.did_key,
        "issuanceDate": "2026-01-01T00:00:00Z",
        "expirationDate": "2026-03-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner-1"},
    }
    token = raw_jws(
        kid_header(),
        {
            "vc": doc,
            "iss": ISSUER.did_key,
            "nbf": 1767225600,
            "exp": 1772323200,
            "jti": "urn:uuid:1",
            "sub": "did:example:learner-1",
        },
    )
    report = report_of(token)
    assert report.format == "jwt-legacy"
    assert failures(report) == [("valid_until", "expired")]


# --------------------------------------------------------------------------- status


def test_status_fails_closed_when_it_cannot_be_checked() -> None:
    secured = sign(ob3_credential(credentialStatus=STATUS_ENTRY))
    report = report_of(secured)
    assert failures(report) == [("status", "status_unavailable")]
    skipped = report_of(secured, skip_status=True)
    assert skipped.verified
    check = skipped.check("status")
    assert check is not None and check.status == "skipped"
    assert check.message.startswith("skipped by caller")
    assert any("skipped by caller" in w for w in skipped.warnings)


def test_status_checker_is_asked_for_every_entry() -> None:
    checker = FixedStatus()
    secured = sign(ob3_credential(credentialStatus=STATUS_ENTRY))
    assert report_of(secured, status_checker=checker).verified
    assert checker.seen == [STATUS_ENTRY]


def test_status_checker_that_raises_fails_closed() -> None:
    class Broken:
        def check(self, entry: Mapping[str, Any]) -> Any:
            raise RuntimeError("disk on fire")

    class Refusing:
        def check(self, entry: Mapping[str, Any]) -> Any:
            raise StatusListError("list signature broken", code="status_list_invalid_proof")

    secured = sign(ob3_credential(credentialStatus=STATUS_ENTRY))
    assert failures(report_of(secured, status_checker=Broken())) == [
        ("status", "status_unavailable")
    ]
    assert failures(report_of(secured, status_checker=Refusing())) == [
        ("status", "status_list_invalid_proof")
    ]


def test_status_read_from_a_signed_bitstring_status_list() -> None:
    url = "https://hs-voorbeeld.example/status/1"
    status_list = BitstringStatusList.create(status_purpose="revocation")
    published = sign(
        status_list_credential(status_list, id=url, issuer=ISSUER.did_key, valid_from=START)
    )
    lists = {url: published}
    secured = sign(ob3_credential(credentialStatus=entry(42, list_url=url)))
    assert report_of(secured, status_fetcher=lists.__getitem__).verified
    status_list.revoke(42)
    lists[url] = sign(
        status_list_credential(status_list, id=url, issuer=ISSUER.did_key, valid_from=START)
    )
    assert failures(report_of(secured, status_fetcher=lists.__getitem__)) == [("status", "revoked")]


def test_a_set_bit_of_another_purpose_is_a_warning_not_a_failure() -> None:
    secured = sign(ob3_credential(credentialStatus=STATUS_ENTRY))
    report = report_of(secured, status_checker=FixedStatus(purpose="message", is_set=True))
    assert report.verified
    assert any("message status bit" in w for w in report.warnings)


# --------------------------------------------------------------------------- recipient


@pytest.mark.parametrize(
    "recipient",
    [EMAIL, ("emailAddress", EMAIL), "did:example:learner-1"],
)
def test_recipient_matches_hashed_identifier_or_subject_id(recipient: Any) -> None:
    report = report_of(sign(ob3_credential()), expected_recipient=recipient)
    assert report.verified
    assert report.check("recipient").status == "passed"  # type: ignore[union-attr]


def test_recipient_type_must_match_the_identity_type() -> None:
    report = report_of(sign(ob3_credential()), expected_recipient=("studentId", EMAIL))
    assert failures(report) == [("recipient", "recipient_mismatch")]


# --------------------------------------------------------------------------- input forms


def test_json_text_and_bytes_verify_like_the_dict(signed: dict[str, Any]) -> None:
    text = json.dumps(signed)
    assert report_of(text).verified
    assert report_of(text.encode("utf-8")).verified
    assert report_of("\ufeff" + text).verified


def test_jwt_as_bytes_with_whitespace_verifies(token: str) -> None:
    assert report_of((token + "\n").encode("ascii")).format == "jwt"


def test_pydantic_model_input_verifies() -> None:
    from mcbadge.model import AchievementCredential

    report = report_of(AchievementCredential.from_json(ob3_credential()))
    assert failures(report) == [("proof", "proof_missing")]


def _tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1x1, 8-bit greyscale
    pixels = zlib.compress(b"\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def test_baked_png_and_svg_are_unbaked_and_verified(signed: dict[str, Any], token: str) -> None:
    bake = pytest.importorskip("mcbadge.bake")
    assert report_of(bake.bake(_tiny_png(), signed)).verified
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>'
    baked_svg = bake.bake(svg, token)
    assert report_of(baked_svg).format == "jwt"
    assert report_of(baked_svg.encode("utf-8")).verified


def test_image_without_a_credential_is_an_input_error() -> None:
    pytest.importorskip("mcbadge.bake")
    with pytest.raises(InvalidInputError):
        verification_report(_tiny_png())


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (b"\x00\xff\xfe garbage", "input_unrecognized"),
        ("hello world", "input_unrecognized"),
        ("[1, 2]", "input_not_object"),
        ('{"a": 1, "a": 2}', "json_duplicate_member"),
        ('{"a": NaN}', "input_not_json"),
        ("{not json", "input_not_json"),
        (12345, "input_unrecognized"),
        ({"when": datetime(2026, 1, 1)}, "input_not_json"),
    ],
)
def test_input_that_is_no_credential_raises_invalid_input(value: Any, code: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        verification_report(value)
    assert info.value.code == code


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"clock": lambda: datetime(2026, 1, 1)}, "timezone-aware"),
        ({"leeway": timedelta(seconds=-1)}, "leeway"),
        ({"trusted_issuers": "did:example:1"}, "trusted_issuers"),
        ({"keys": {"did:example:1#k": "z6Mk"}}, "keys"),
        ({"expected_recipient": ("a", "b", "c")}, "expected_recipient"),
        ({"max_endorsement_depth": -1}, "max_endorsement_depth"),
        ({"status_checker": object()}, "status_checker"),
    ],
)
def test_bad_options_are_refused(signed: dict[str, Any], options: Any, match: str) -> None:
    with pytest.raises(InvalidInputError, match=match) as info:
        verification_report(signed, **options)
    assert info.value.code == "invalid_option"


# --------------------------------------------------------------------------- presentations


def make_presentation(
    credentials: list[Any],
    *,
    holder: KeyPair = HOLDER,
    challenge: str = "c-123",
    domain: str = "verifier.example",
    purpose: str = "authentication",
    suite: str = "eddsa-rdfc-2022",
) -> dict[str, Any]:
    vp = {
        "@context": [VC_V2],
        "type": ["VerifiablePresentation"],
        "holder": HOLDER.did_key,
        "verifiableCredential": credentials,
    }
    return sign(vp, holder, suite=suite, proof_purpose=purpose, challenge=challenge, domain=domain)


def test_presentation_with_di_and_jwt_credentials_verifies(
    signed: dict[str, Any], token: str
) -> None:
    enveloped = {
        "@context": [VC_V2],
        "type": ["EnvelopedVerifiableCredential"],
        "id": "data:application/vc+jwt," + token,
    }
    vp = make_presentation([signed, enveloped])
    result = verify_presentation(vp, challenge="c-123", domain="verifier.example", clock=clock)
    assert result.holder == HOLDER.did_key
    assert [c.format for c in result.credentials] == ["di", "jwt"]
    assert [c.id for c in result.report.checks if c.id.startswith("credential[")] == [
        "credential[0]",
        "credential[1]",
    ]


def test_bare_jwt_in_a_presentation_is_refused_for_signing(token: str) -> None:
    # A string in verifiableCredential is dropped by JSON-LD processors (VC 2.0 wants a
    # credential object or an EnvelopedVerifiableCredential), so mcbadge refuses to sign it
    # with either suite: what is signed must mean the same to every processor.
    from mcbadge.errors import StrictJsonLdError

    for suite in ("eddsa-rdfc-2022", "eddsa-jcs-2022"):
        with pytest.raises(StrictJsonLdError, match=r"graph container"):
            make_presentation([token], suite=suite)


def test_bare_jwt_in_a_jcs_presentation_signed_elsewhere_fails_strict(token: str) -> None:
    from unittest import mock

    with (
        mock.patch("mcbadge.jsonld.fastrdf.canonicalize", return_value=None),
        mock.patch("mcbadge.jsonld.strict._raise_if_problems"),
    ):
        vp = make_presentation([token], suite="eddsa-jcs-2022")
    report = presentation_report(vp, challenge="c-123", domain="verifier.example", clock=clock)
    assert not report.verified
    assert [c.id for c in report.failed_checks] == ["jsonld.strict"]


def test_presentation_without_challenge_skips_the_check(signed: dict[str, Any]) -> None:
    report = presentation_report(
        make_presentation([signed]), challenge=None, domain=None, clock=clock
    )
    assert report.verified
    assert report.check("proof.challenge").status == "skipped"  # type: ignore[union-attr]


def test_verify_refuses_a_presentation_and_points_to_verify_presentation(
    signed: dict[str, Any],
) -> None:
    report = report_of(make_presentation([signed]))
    assert ("type", "type_mismatch") in failures(report)
    assert "verify_presentation" in report.check("type").message  # type: ignore[union-attr]


# --------------------------------------------------------------------------- no network


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    attempts: list[str] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(repr(args[:2]))
        raise AssertionError(f"network access attempted: {args[:2]!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    yield attempts


def test_default_verification_makes_no_network_connection(no_network: list[str]) -> None:
    issuer_https = sign(
        ob3_credential("https://hs-voorbeeld.example/issuers/1"),
        verification_method="https://hs-voorbeeld.example/issuers/1#key-1",
    )
    pair = KeyPair.generate("Ed25519")
    status = sign(ob3_credential(credentialStatus=STATUS_ENTRY))
    for value in (
        sign(ob3_credential()),
        sign_jwt(ob3_credential()),
        issuer_https,  # an HTTPS key, not given: fails offline instead of fetching
        status,  # a status list, no fetcher: fails closed instead of fetching
        sign_jwt(
            ob3_credential("did:web:hs-voorbeeld.example"),
            pair,
            verification_method="did:web:hs-voorbeeld.example#key-1",
        ),
    ):
        verification_report(value, clock=clock)
    assert no_network == []


def test_the_demo_credentials_verify_offline(no_network: list[str], tmp_path: Any) -> None:
    import io

    from mcbadge.demo import run

    out = run(tmp_path, stream=io.StringIO())
    # the demo signs with validFrom = the moment it runs: verify with the real clock
    assert verify(out["signed"]).report.verified
    assert verify(out["jwt"]).report.verified
    assert no_network == []


# --------------------------------------------------------------------------- fuzz


def _json_containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    # named, not a lambda: hypothesis checks that `extend` recurses by reading its source
    return st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    _json_containers,
    max_leaves=20,
)


def _internal_errors(report: VerificationReport) -> list[str]:
    found = [f"{c.id}: {c.message}" for c in report.checks if c.error_code == "internal_error"]
    for check in report.checks:
        if check.report is not None:
            found += _internal_errors(check.report)
    return found


def _never_raises_other(value: Any) -> None:
    """Only a report, VerificationError or InvalidInputError; no check hits a defect."""
    try:
        report = verification_report(value, clock=clock, status_checker=FixedStatus())
    except (InvalidInputError, VerificationError):
        return
    assert isinstance(report, VerificationReport)
    assert all(isinstance(c, Check) for c in report.checks)
    assert _internal_errors(report) == []
    json.dumps(report.to_dict())
    format_report(report)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "@context",
                "type",
                "issuer",
                "proof",
                "credentialSubject",
                "validFrom",
                "validUntil",
                "credentialStatus",
                "endorsement",
                "id",
            ]
        ),
        _json_values,
        max_size=8,
    )
)
def test_fuzz_random_credential_shaped_json_never_escapes(value: dict[str, Any]) -> None:
    _never_raises_other(value)


@settings(max_examples=100, deadline=None)
@given(_json_values)
def test_fuzz_random_json_text_never_escapes(value: Any) -> None:
    _never_raises_other(json.dumps(value))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_fuzz_random_bytes_never_escape(value: bytes) -> None:
    _never_raises_other(value)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_fuzz_truncated_and_spliced_jwts_never_escape(data: st.DataObject) -> None:
    base = sign_jwt(ob3_credential())
    cut = data.draw(st.integers(min_value=0, max_value=len(base)))
    junk = data.draw(st.text(alphabet="abcXYZ019_-.", max_size=12))
    _never_raises_other(base[:cut] + junk)


_FUZZ_BASE = sign(
    ob3_credential(
        endorsement=[sign(endorsement_credential(), OTHER)], credentialStatus=STATUS_ENTRY
    )
)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_fuzz_mutated_signed_documents_never_escape(data: st.DataObject) -> None:
    doc = copy.deepcopy(_FUZZ_BASE)
    path: list[Any] = []
    node: Any = doc
    while isinstance(node, dict | list) and node and data.draw(st.booleans()):
        key = data.draw(
            st.sampled_from(sorted(node) if isinstance(node, dict) else range(len(node)))
        )
        path.append(key)
        node = node[key]
    target: Any = doc
    for key in path[:-1]:
        target = target[key]
    if path:
        target[path[-1]] = data.draw(_json_values)
    _never_raises_other(doc)
    head, _, signature = sign_jwt(ob3_credential()).split(".")
    body = base64url_encode(json.dumps(doc).encode("utf-8"))
    _never_raises_other(f"{head}.{body}.{signature}")  # the same junk as a VC-JWT payload
