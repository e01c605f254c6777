"""SD-JWT cross-checks with the IETF reference implementation on PyPI (``sd-jwt``), both ways.

* an SD-JWT VC mcbadge issues verifies in ``sd_jwt.verifier.SDJWTVerifier`` to the claims
  mcbadge reads, and a presentation mcbadge makes (selected Disclosures + KB-JWT) verifies
  there with the audience and nonce;
* an SD-JWT the reference issuer makes (nested, array elements, decoys) and a presentation its
  holder makes (with a KB-JWT) verify in mcbadge.
"""

from __future__ import annotations

from typing import Any

import pytest
from jwcrypto.jwk import JWK
from sd_jwt.common import SDObj
from sd_jwt.holder import SDJWTHolder
from sd_jwt.issuer import SDJWTIssuer
from sd_jwt.verifier import SDJWTVerifier

from mcbadge import issue, verify
from mcbadge.demo import sample_microcredential
from mcbadge.errors import SdJwtError
from mcbadge.keys import KeyPair
from mcbadge.proofs.sdjwt import verify_sd_jwt
from mcbadge.proofs.sdjwt_kb import present

pytestmark = pytest.mark.interop

KID = "https://www.hs-voorbeeld.nl/keys#1"
ISSUER = KeyPair.generate("P-256").with_verification_method(KID)
HOLDER = KeyPair.generate("P-256")


def _jwk(key: KeyPair, *, private: bool) -> JWK:
    return JWK(**key.to_jwk(private=private))


def _credential() -> dict[str, Any]:
    return (
        sample_microcredential()
        .to_credential(
            id="urn:uuid:5e1f0c2a-1b2c-4d3e-8f90-a1b2c3d4e5f6", valid_from="2025-01-01T00:00:00Z"
        )
        .to_json_dict()
    )


def _ref_verify(text: str, **kwargs: Any) -> dict[str, Any]:
    verifier = SDJWTVerifier(text, lambda iss, header: _jwk(ISSUER, private=False), **kwargs)
    payload: dict[str, Any] = verifier.get_verified_payload()
    return payload


def test_mcbadge_sd_jwt_vc_verifies_in_the_reference_implementation() -> None:
    token = issue(_credential(), ISSUER, format="sd-jwt", holder_key=HOLDER.public_key)
    theirs = _ref_verify(token)
    ours = verify_sd_jwt(token, key=ISSUER.public_key).claims
    assert theirs == ours
    assert theirs["credentialSubject"]["result"][0]["value"] == "8.5"


def test_mcbadge_presentation_verifies_in_the_reference_implementation() -> None:
    token = issue(_credential(), ISSUER, format="sd-jwt", holder_key=HOLDER.public_key)
    shown = present(
        token,
        disclose=[("credentialSubject", "result")],
        holder_key=HOLDER,
        audience="https://werkgever.example",
        nonce="n-1",
    )
    theirs = _ref_verify(shown, expected_aud="https://werkgever.example", expected_nonce="n-1")
    assert [r["value"] for r in theirs["credentialSubject"]["result"]] == ["8.5"]
    assert theirs["credentialSubject"]["identifier"] == []
    with pytest.raises(Exception):  # noqa: B017 - the reference raises ValueError
        _ref_verify(shown, expected_aud="https://werkgever.example", expected_nonce="other")


def test_reference_sd_jwt_and_presentation_verify_in_mcbadge() -> None:
    claims = {
        "iss": "https://www.hs-voorbeeld.nl",
        "vct": "https://www.hs-voorbeeld.nl/vct/microcredential",
        "credentialSubject": {
            SDObj("creditsEarned"): 5,
            "identifier": [
                SDObj({"identityType": "name", "identityHash": "Jan Jansen"}),
                SDObj({"identityType": "emailAddress", "identityHash": "sha256$abc"}),
            ],
            SDObj("result"): [SDObj({"value": "8.5"})],
        },
    }
    issuer = SDJWTIssuer(
        claims,
        _jwk(ISSUER, private=True),
        holder_key=_jwk(HOLDER, private=False),
        sign_alg="ES256",
        add_decoy_claims=True,
        extra_header_parameters={"typ": "dc+sd-jwt", "kid": KID},
    )
    token = issuer.sd_jwt_issuance
    full = verify_sd_jwt(token, key=ISSUER.public_key)
    assert full.claims["credentialSubject"] == {
        "creditsEarned": 5,
        "identifier": [
            {"identityType": "name", "identityHash": "Jan Jansen"},
            {"identityType": "emailAddress", "identityHash": "sha256$abc"},
        ],
        "result": [{"value": "8.5"}],
    }
    holder = SDJWTHolder(token)
    holder.create_presentation(
        {"credentialSubject": {"identifier": [True, False]}},
        nonce="n-9",
        aud="https://werkgever.example",
        holder_key=_jwk(HOLDER, private=True),
        sign_alg="ES256",
    )
    shown = holder.sd_jwt_presentation
    result = verify(
        shown, keys={KID: ISSUER.public_key}, audience="https://werkgever.example", nonce="n-9"
    )
    assert result.credential["credentialSubject"]["identifier"] == [
        {"identityType": "name", "identityHash": "Jan Jansen"}
    ]
    assert result.disclosed == ("credentialSubject.identifier[0]",)


def test_reference_sd_jwt_with_an_extra_disclosure_is_refused_by_mcbadge() -> None:
    first = SDJWTIssuer({"iss": "x", SDObj("a"): 1}, _jwk(ISSUER, private=True), sign_alg="ES256")
    second = SDJWTIssuer({"iss": "x", SDObj("b"): 2}, _jwk(ISSUER, private=True), sign_alg="ES256")
    stray = second.sd_jwt_issuance.split("~")[1]
    with pytest.raises(SdJwtError) as info:
        verify_sd_jwt(first.sd_jwt_issuance + stray + "~", key=ISSUER.public_key, typ=None)
    assert info.value.code == "sdjwt_disclosure_unreferenced"
