"""Legacy ``eddsa-2022`` proofs (the pre-2023 name of eddsa-rdfc-2022) on VC 1.1 credentials."""

from __future__ import annotations

from typing import Any

import pytest

from mcbadge.proofs import data_integrity
from mcbadge.proofs.data_integrity import EddsaRdfc2022, add_proof
from mcbadge.verify import verification_report
from tests.unit.test_verify import ISSUER, clock

VC_V1 = "https://www.w3.org/2018/credentials/v1"
VC_V2 = "https://www.w3.org/ns/credentials/v2"


class _Eddsa2022(EddsaRdfc2022):
    name = "eddsa-2022"  # type: ignore[assignment]


def _credential(first_context: str) -> dict[str, Any]:
    dates = (
        {"issuanceDate": "2022-06-01T00:00:00Z"}
        if first_context == VC_V1
        else {"validFrom": "2022-06-01T00:00:00Z"}
    )
    return {
        "@context": [first_context, "https://w3id.org/security/data-integrity/v2"]
        if first_context == VC_V1
        else [first_context],
        "id": "urn:uuid:2b8f0c1e-7c55-4b0a-9a6e-0f2d3c4b5a61",
        "type": ["VerifiableCredential"],
        "issuer": ISSUER.did_key,
        **dates,
        "credentialSubject": {"id": "did:example:learner-1"},
    }


def _sign_eddsa_2022(doc: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    # what an issuer of 2022 made: the eddsa-rdfc-2022 algorithm under the old name
    with monkeypatch.context() as patch:
        patch.setitem(data_integrity.CRYPTOSUITES, "eddsa-2022", _Eddsa2022())
        signed = add_proof(doc, ISSUER, cryptosuite="eddsa-2022", created="2022-06-01T00:00:00Z")  # type: ignore[arg-type]
    assert signed["proof"][0]["cryptosuite"] == "eddsa-2022"
    return signed


def test_a_vc_1_1_credential_signed_eddsa_2022_verifies_as_legacy_with_a_warning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    signed = _sign_eddsa_2022(_credential(VC_V1), monkeypatch)
    report = verification_report(signed, clock=clock)
    assert report.verified, report
    assert report.format == "di-legacy"
    signature = report.check("proof[0].signature")
    assert signature is not None and signature.details["legacy"] is True
    assert any("eddsa-2022" in w and "legacy" in w for w in report.warnings)


def test_eddsa_2022_tampered_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    signed = _sign_eddsa_2022(_credential(VC_V1), monkeypatch)
    signed["credentialSubject"]["id"] = "did:example:learner-2"
    report = verification_report(signed, clock=clock)
    assert report.check("proof[0].signature").error_code == "signature_invalid"  # type: ignore[union-attr]


def test_eddsa_2022_on_a_vc_2_0_credential_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    signed = _sign_eddsa_2022(_credential(VC_V2), monkeypatch)
    report = verification_report(signed, clock=clock)
    assert report.check("proof[0].signature").error_code == "unknown_cryptosuite"  # type: ignore[union-attr]


def test_mcbadge_never_signs_eddsa_2022() -> None:
    from mcbadge.errors import InvalidInputError

    with pytest.raises(InvalidInputError) as caught:
        add_proof(_credential(VC_V1), ISSUER, cryptosuite="eddsa-2022")  # type: ignore[arg-type]
    assert caught.value.code == "unknown_cryptosuite"
