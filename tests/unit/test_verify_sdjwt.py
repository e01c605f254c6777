"""verify() on SD-JWT VCs: the OB3 microcredential issued with issue(format="sd-jwt")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from mcbadge import issue, verify
from mcbadge.demo import sample_microcredential
from mcbadge.errors import InvalidInputError, StatusListError, VerificationError
from mcbadge.keys import KeyPair
from mcbadge.proofs.sdjwt import parse_sd_jwt
from mcbadge.proofs.sdjwt_kb import present
from mcbadge.proofs.sdjwt_vc import (
    credential_claims,
    default_vct,
    integrity_of,
    issue_sd_jwt_vc,
    type_metadata,
    type_metadata_bytes,
    type_metadata_paths,
)
from mcbadge.status.token_list import StatusReference, TokenStatusRegistry
from mcbadge.verify import verification_report

ISSUER_URL = "https://www.hs-voorbeeld.nl"
KID = "https://www.hs-voorbeeld.nl/keys#1"
ISSUER = KeyPair.generate("P-256").with_verification_method(KID)
HOLDER = KeyPair.generate("Ed25519")
KEYS: dict[str, Any] = {KID: ISSUER.public_key}
NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
STATUS_URI = "https://www.hs-voorbeeld.nl/status/1"


def _credential(**overrides: Any) -> dict[str, Any]:
    cred = sample_microcredential().to_credential(
        id="urn:uuid:7d9b3b36-6f5e-4b52-9c38-2f1d2e3a4b5c", valid_from="2025-01-01T00:00:00Z"
    )
    document = cred.to_json_dict()
    document.update(overrides)
    return document


def _check(report: Any, check_id: str) -> Any:
    check = report.check(check_id)
    assert check is not None, check_id
    return check


def test_issue_sd_jwt_format_verifies_and_reports_every_disclosed_claim() -> None:
    token = issue(_credential(), ISSUER, format="sd-jwt", holder_key=HOLDER.public_key)
    result = verify(token, keys=KEYS, clock=lambda: NOW)
    assert result.format == "sd-jwt"
    assert result.issuer_id == ISSUER_URL
    assert result.disclosed is not None
    assert "credentialSubject.result[0]" in result.disclosed
    assert "credentialSubject.identifier[0]" in result.disclosed
    assert result.credential["credentialSubject"]["result"][0]["value"] == "8.5"
    assert result.report.to_dict()["disclosed"] == list(result.disclosed)


def test_payload_follows_the_documented_mapping() -> None:
    token = issue_sd_jwt_vc(
        _credential(validUntil="2030-01-01T00:00:00Z"),
        ISSUER,
        holder_key=HOLDER.public_key,
        status={"status_list": {"idx": 3, "uri": STATUS_URI}},
        vct_integrity="sha256-abc",
        issued_at=NOW,
    )
    sd = parse_sd_jwt(token)
    payload = sd.payload
    assert sd.header == {"alg": "ES256", "typ": "dc+sd-jwt", "kid": KID}
    assert payload["iss"] == ISSUER_URL
    assert payload["iat"] == int(NOW.timestamp())
    assert payload["nbf"] == 1735689600 and payload["exp"] == 1893456000
    assert payload["vct"] == ISSUER_URL + "/vct/microcredential"
    assert payload["vct#integrity"] == "sha256-abc"
    assert payload["cnf"] == {"jwk": HOLDER.public_key.to_jwk()}
    assert payload["status"] == {"status_list": {"idx": 3, "uri": STATUS_URI}}
    assert payload["jti"] == "urn:uuid:7d9b3b36-6f5e-4b52-9c38-2f1d2e3a4b5c"
    assert payload["_sd_alg"] == "sha-256"
    assert "@context" not in payload and "proof" not in payload
    subject = payload["credentialSubject"]
    assert "creditsEarned" not in subject and "_sd" in subject
    assert all(set(item) == {"..."} for item in subject["identifier"])
    assert all(set(item) == {"..."} for item in subject["result"])
    achievement = subject["achievement"]
    assert achievement["name"] == "Data Privacy in de Zorg"
    shown = [a for a in achievement["alignment"] if "..." not in a]
    assert {a["targetType"] for a in shown} >= {"ext:NLQF", "ext:EQF", "ext:QualityAssurance"}
    assert "ext:LearningOutcome" not in {a["targetType"] for a in shown}
    assert len(achievement["alignment"]) == 11


def test_never_disclosable_claims_stay_in_the_jwt() -> None:
    claims, rules = credential_claims(_credential())
    assert all(rule[0] not in ("iss", "nbf", "exp", "cnf", "vct", "status") for rule in rules)
    assert "credentialSubject" in claims


def test_learner_can_show_the_unit_and_level_without_the_grade() -> None:
    token = issue(_credential(), ISSUER, format="sd-jwt", holder_key=HOLDER.public_key)
    shown = present(
        token,
        disclose=[("credentialSubject", "identifier")],
        holder_key=HOLDER,
        audience="https://werkgever.example",
        nonce="n-1",
        issued_at=NOW,
    )
    result = verify(
        shown, keys=KEYS, clock=lambda: NOW, audience="https://werkgever.example", nonce="n-1"
    )
    subject = result.credential["credentialSubject"]
    assert "result" in subject and subject["result"] == []
    assert len(subject["identifier"]) == 3
    assert subject["achievement"]["name"] == "Data Privacy in de Zorg"
    assert _check(result.report, "sdjwt.key_binding").status == "passed"
    assert result.disclosed == (
        "credentialSubject.identifier[0]",
        "credentialSubject.identifier[1]",
        "credentialSubject.identifier[2]",
    )


def test_verify_requires_key_binding_when_asked() -> None:
    token = issue(_credential(), ISSUER, format="sd-jwt", holder_key=HOLDER.public_key)
    with pytest.raises(VerificationError) as info:
        verify(token, keys=KEYS, clock=lambda: NOW, audience="a", nonce="n")
    assert _check(info.value.report, "sdjwt.key_binding").error_code == "sdjwt_kb_missing"


def test_verify_refuses_a_vc_jwt_when_key_binding_is_asked() -> None:
    token = issue(_credential(), ISSUER, format="jwt")
    report = verification_report(token, keys=KEYS, clock=lambda: NOW, audience="a", nonce="n")
    assert not report.verified
    assert _check(report, "sdjwt.key_binding").error_code == "sdjwt_kb_missing"


def test_verify_refuses_half_a_key_binding_request() -> None:
    with pytest.raises(InvalidInputError):
        verify("x~", audience="a")


def test_verify_refuses_an_expired_sd_jwt_vc() -> None:
    token = issue(_credential(validUntil="2025-06-01T00:00:00Z"), ISSUER, format="sd-jwt")
    report = verification_report(token, keys=KEYS, clock=lambda: NOW)
    assert _check(report, "valid_until").error_code == "expired"


def test_verify_refuses_a_not_yet_valid_sd_jwt_vc() -> None:
    token = issue(_credential(validFrom="2027-01-01T00:00:00Z"), ISSUER, format="sd-jwt")
    report = verification_report(token, keys=KEYS, clock=lambda: NOW)
    assert _check(report, "valid_from").error_code == "not_yet_valid"


def test_verify_refuses_a_key_not_under_the_issuer() -> None:
    stranger = KeyPair.generate("P-256").with_verification_method("https://evil.example/k#1")
    # issue() refuses this key (the signing-time binding check); the test signs it anyway
    token = issue(_credential(), stranger, format="sd-jwt", allow_foreign_key=True)
    report = verification_report(
        token, keys={"https://evil.example/k#1": stranger.public_key}, clock=lambda: NOW
    )
    assert _check(report, "proof.issuer_binding").error_code == "issuer_key_mismatch"


def test_verify_reports_an_attack_as_a_failed_disclosure_check() -> None:
    token = issue(_credential(), ISSUER, format="sd-jwt")
    extra = parse_sd_jwt(token).disclosures[0]
    report = verification_report(token + extra + "~", keys=KEYS, clock=lambda: NOW)
    assert _check(report, "sdjwt.disclosures").error_code == "sdjwt_disclosure_duplicate"


def test_verify_did_key_issuer_offline() -> None:
    key = KeyPair.generate("Ed25519")
    key = key.with_verification_method(key.did_key_verification_method)
    cred = _credential(issuer={"id": key.did_key, "type": ["Profile"], "name": "HS"})
    token = issue(cred, key, format="sd-jwt", vct="https://hs.example/vct/mc")
    assert verify(token, clock=lambda: NOW).issuer_id == key.did_key


def test_status_is_checked_through_the_token_status_list() -> None:
    registry = TokenStatusRegistry(STATUS_URI, size=1024)
    ref = registry.allocate()
    token = issue(_credential(), ISSUER, format="sd-jwt", status=ref.to_claim())
    lists: dict[str, str] = {}

    def publish() -> None:
        lists[STATUS_URI] = registry.token(ISSUER, issued_at=NOW)

    publish()
    ok = verify(token, keys=KEYS, clock=lambda: NOW, status_fetcher=lists.__getitem__)
    assert "VALID" in _check(ok.report, "status").message
    registry.revoke(ref.idx)
    publish()
    report = verification_report(
        token, keys=KEYS, clock=lambda: NOW, status_fetcher=lists.__getitem__
    )
    assert _check(report, "status").error_code == "revoked"


def test_status_fails_closed_offline() -> None:
    token = issue(
        _credential(),
        ISSUER,
        format="sd-jwt",
        status={"status_list": {"idx": 1, "uri": STATUS_URI}},
    )
    report = verification_report(token, keys=KEYS, clock=lambda: NOW)
    assert _check(report, "status").error_code == "status_unavailable"
    skipped = verification_report(token, keys=KEYS, clock=lambda: NOW, skip_status=True)
    assert skipped.verified


@pytest.mark.parametrize(
    "reference",
    [
        {"idx": 1, "uri": ""},
        {"idx": -1, "uri": STATUS_URI},
        {"idx": True, "uri": STATUS_URI},
        {"idx": "1", "uri": STATUS_URI},
        {"idx": 1},
    ],
)
def test_issue_refuses_a_status_reference_the_checker_would_refuse(
    reference: dict[str, Any],
) -> None:
    """Issuing and checking read the status claim by one rule (an empty uri was signed)."""
    with pytest.raises(InvalidInputError) as info:
        issue(_credential(), ISSUER, format="sd-jwt", status={"status_list": reference})
    assert info.value.code == "sdjwt_status_invalid"
    with pytest.raises(StatusListError) as refused:
        StatusReference.from_claim({"status_list": reference})
    assert refused.value.code == "status_entry_invalid"


def test_sd_jwt_options_are_refused_for_other_formats() -> None:
    with pytest.raises(InvalidInputError) as info:
        issue(_credential(), ISSUER, format="jwt", holder_key=HOLDER.public_key)  # type: ignore[call-overload]
    assert info.value.code == "option_not_applicable"


def test_default_vct_needs_an_https_place() -> None:
    with pytest.raises(InvalidInputError) as info:
        default_vct({"issuer": {"id": "did:key:z6Mk"}})
    assert info.value.code == "sdjwt_vct_required"
    assert default_vct({"issuer": "did:web:hs.nl"}) == "https://hs.nl/vct/microcredential"


def test_type_metadata_document_and_integrity() -> None:
    vct = "https://www.hs-voorbeeld.nl/vct/microcredential"
    metadata = type_metadata(vct)
    assert metadata["vct"] == vct
    assert {d["locale"] for d in metadata["display"]} == {"nl", "en"}
    paths = [c["path"] for c in metadata["claims"]]
    assert ["credentialSubject", "result", None] in paths
    body = type_metadata_bytes(metadata)
    assert integrity_of(body).startswith("sha256-")
    assert type_metadata_paths(vct) == (
        "/vct/microcredential",
        "/.well-known/vct/vct/microcredential",
    )


def test_kb_freshness_uses_the_verifier_clock() -> None:
    token = issue(_credential(), ISSUER, format="sd-jwt", holder_key=HOLDER.public_key)
    shown = present(token, holder_key=HOLDER, audience="a", nonce="n", issued_at=NOW)
    later = NOW + timedelta(hours=2)
    report = verification_report(shown, keys=KEYS, clock=lambda: later, audience="a", nonce="n")
    assert _check(report, "sdjwt.key_binding").error_code == "sdjwt_kb_stale"


@pytest.mark.parametrize("claim", ["status", "exp", "cnf", "vct", "iss", "nbf"])
def test_verify_refuses_a_registered_claim_made_disclosable(claim: str) -> None:
    # e.g. a disclosable `status` would let a holder drop it to hide a revocation
    from mcbadge.proofs.sdjwt import issue_sd_jwt

    claims = {
        "iss": "https://www.hs-voorbeeld.nl",
        "nbf": 1735689600,
        "exp": 4102444800,
        "vct": "https://www.hs-voorbeeld.nl/vct/microcredential",
        "cnf": {"jwk": HOLDER.public_key.to_jwk()},
        "status": {"status_list": {"idx": 1, "uri": STATUS_URI}},
    }
    token = issue_sd_jwt(claims, ISSUER, disclosable=[(claim,)])
    report = verification_report(token, keys=KEYS, clock=lambda: NOW, skip_status=True)
    assert _check(report, "sdjwt.disclosures").error_code == "sdjwt_claim_not_disclosable"
