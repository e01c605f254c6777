"""VC-JWT interop (OB3 §8.2 form) between mcbadge and ``jose`` in Node (issue 3, points 4 and 7).

mcbadge's ``issue(..., format="jwt")`` tokens (EdDSA, ES256, RS256) verify with ``jose`` and
carry exactly the claims OB3 asks for; tokens ``jose`` signs in the OB3 form decode and
verify with :func:`mcbadge.proofs.jwt.decode_credential_jwt`; a changed token fails on the other side.
"""

from __future__ import annotations

import base64
import copy
import functools
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcbadge.did import Resolver
from mcbadge.errors import VerificationError
from mcbadge.issue import issue
from mcbadge.keys import KeyPair
from mcbadge.microcredential import (
    Institution,
    Learner,
    Microcredential,
    QualityAssurance,
    Unit,
)
from mcbadge.proofs.jwt import check_jwt_claims, decode_credential_jwt
from tests.interop.conftest import NodeWorker, NodeWorkerError
from tests.strategies.microcredentials import microcredentials

pytestmark = pytest.mark.interop

KEYS_DIR = Path(__file__).resolve().parents[1] / "keys"
ALGORITHMS = ("EdDSA", "ES256", "RS256")
_KEY_FILES = {"EdDSA": "ed25519", "ES256": "p256", "RS256": "rsa2048"}
RSA_ISSUER = "https://www.example-instelling.nl/issuers/1"
RSA_KID = f"{RSA_ISSUER}#key-1"
CLAIMS = ("iss", "jti", "nbf", "sub", "exp")

_SETTINGS = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
)


@functools.cache
def _key(alg: str) -> KeyPair:
    """The throw-away test key for ``alg`` from ``tests/keys/``, with its ``kid`` set.

    EdDSA and ES256 keys are named by their did:key; the RSA key (no did:key) by an HTTPS URL.
    """
    jwk = json.loads((KEYS_DIR / f"{_KEY_FILES[alg]}.jwk.json").read_text(encoding="utf-8"))
    key = KeyPair.from_jwk(jwk)
    kid = RSA_KID if alg == "RS256" else key.did_key_verification_method
    return key.with_verification_method(kid)


def _issuer_id(alg: str) -> str:
    return RSA_ISSUER if alg == "RS256" else _key(alg).did_key


def _numeric_date(text: str) -> int:
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


def _expected_claims(credential: dict[str, Any]) -> dict[str, Any]:
    """OB3 §8.2 claims, derived here independently of mcbadge.proofs.jwt."""
    issuer = credential["issuer"]
    claims: dict[str, Any] = {
        "iss": issuer["id"] if isinstance(issuer, dict) else issuer,
        "jti": credential["id"],
        "nbf": _numeric_date(credential["validFrom"]),
    }
    subject_id = credential["credentialSubject"].get("id")
    if subject_id is not None:
        claims["sub"] = subject_id
    if "validUntil" in credential:
        claims["exp"] = _numeric_date(credential["validUntil"])
    return claims


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _with_changed_payload(token: str) -> str:
    """The token with one credential field changed and the old signature kept."""
    header, payload, signature = token.split(".")
    claims = json.loads(_b64url_decode(payload))
    claims["credentialSubject"]["achievement"]["name"] += " (gewijzigd)"
    changed = json.dumps(claims, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return f"{header}.{_b64url(changed)}.{signature}"


@dataclass(frozen=True)
class JwtCase:
    alg: str
    credential: dict[str, Any]


_moments = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2090, 12, 31),
    timezones=st.just(UTC),
).map(lambda moment: moment.replace(microsecond=0))


@st.composite
def jwt_cases(draw: st.DrawFn, alg: str) -> JwtCase:
    """A generated microcredential from the issuer of ``alg``'s key, maybe with validUntil."""
    valid_from = draw(_moments)
    lifetime = draw(st.one_of(st.none(), st.integers(1, 3650)))
    credential = (
        draw(microcredentials())
        .to_credential(
            id=draw(st.uuids()).urn,
            valid_from=valid_from,
            valid_until=None if lifetime is None else valid_from + timedelta(days=lifetime),
            issuer_id=_issuer_id(alg),
        )
        .to_json_dict()
    )
    return JwtCase(alg, credential)


@functools.cache
def _built_credential(alg: str) -> dict[str, Any]:
    microcredential = Microcredential(
        learner=Learner(name="Fatima el Amrani", student_number="1234567"),
        institution=Institution(name="ROC Voorbeeld", url="https://www.roc-voorbeeld.nl"),
        unit=Unit(name="Veilig werken \u2014 basis", code="VWB-01"),
        nlqf=3,
        sbu=120,
        learning_outcomes=["Werkt veilig met gereedschap.", "Kent de \tregels."],
        assessment="testing",
        participation="onsite or blended",
        quality_assurance=QualityAssurance(name="NVAO", url="https://www.nvao.net/"),
    )
    credential = microcredential.to_credential(
        id="urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e",
        valid_from="2025-02-01T09:00:00+01:00",
        valid_until="2030-02-01T09:00:00Z",
        issuer_id=_issuer_id(alg),
    ).to_json_dict()
    assert isinstance(credential, dict)
    return credential


def _fixed_credential(alg: str) -> dict[str, Any]:
    """A fixed mbo microcredential from ``alg``'s issuer (a fresh copy each call)."""
    return copy.deepcopy(_built_credential(alg))


def _node_jwt_verify(node_worker: NodeWorker, token: str, alg: str) -> dict[str, Any]:
    result = node_worker.call("jwt_verify", jws=token, jwk=_key(alg).public_jwk(), algorithms=[alg])
    assert isinstance(result, dict)
    return result


def _node_jwt_sign(
    node_worker: NodeWorker, payload: dict[str, Any], header: dict[str, Any], alg: str
) -> str:
    token = node_worker.call(
        "jwt_sign", payload=payload, protected_header=header, jwk=_key(alg).to_jwk(private=True)
    )
    assert isinstance(token, str)
    return token


# --- mcbadge signs, jose verifies ------------------------------------------------------------


@pytest.mark.parametrize("alg", ALGORITHMS)
@_SETTINGS
@given(data=st.data())
def test_jose_verifies_mcbadge_vc_jwt_in_ob3_form(
    node_worker: NodeWorker, alg: str, data: st.DataObject
) -> None:
    case = data.draw(jwt_cases(alg), label="case")
    token = issue(case.credential, _key(alg), format="jwt")
    result = _node_jwt_verify(node_worker, token, alg)
    assert result["protected_header"] == {
        "alg": alg,
        "kid": _key(alg).verification_method,
        "typ": "JWT",
    }
    payload = result["payload"]
    assert {k: v for k, v in payload.items() if k not in CLAIMS} == case.credential
    assert {k: v for k, v in payload.items() if k in CLAIMS} == _expected_claims(case.credential)


@pytest.mark.parametrize("alg", ALGORITHMS)
def test_jose_verifies_mcbadge_vc_jwt_with_embedded_jwk(node_worker: NodeWorker, alg: str) -> None:
    credential = _fixed_credential(alg)
    # an RSA key in the header is not shown to be the https issuer's (verify() wants keys=
    # for it), so issue() signs that one only when told to
    token = issue(
        credential, _key(alg), format="jwt", embed_jwk=True, allow_foreign_key=alg == "RS256"
    )
    header = json.loads(_b64url_decode(token.split(".")[0]))
    assert set(header) == {"alg", "jwk", "typ"}
    result = node_worker.call("jwt_verify", jws=token, jwk=header["jwk"], algorithms=[alg])
    assert result["payload"]["iss"] == _issuer_id(alg)


@pytest.mark.parametrize("alg", ALGORITHMS)
def test_jose_rejects_a_changed_mcbadge_vc_jwt(node_worker: NodeWorker, alg: str) -> None:
    credential = _fixed_credential(alg)
    token = issue(credential, _key(alg), format="jwt")
    _node_jwt_verify(node_worker, token, alg)  # the untouched token verifies
    with pytest.raises(NodeWorkerError, match="signature verification failed"):
        _node_jwt_verify(node_worker, _with_changed_payload(token), alg)


# --- jose signs, mcbadge verifies ------------------------------------------------------------


@pytest.mark.parametrize("alg", ALGORITHMS)
@_SETTINGS
@given(data=st.data())
def test_mcbadge_decodes_jose_signed_vc_jwt_in_ob3_form(
    node_worker: NodeWorker, alg: str, data: st.DataObject
) -> None:
    case = data.draw(jwt_cases(alg), label="case")
    header = {"alg": alg, "kid": _key(alg).verification_method, "typ": "JWT"}
    payload = {**case.credential, **_expected_claims(case.credential)}
    token = _node_jwt_sign(node_worker, payload, header, alg)

    result = decode_credential_jwt(token, key=_key(alg).public_key)
    assert result.verified is True
    assert result.legacy is False
    assert result.header == header
    assert result.credential == case.credential
    assert check_jwt_claims(result.payload) == []


@pytest.mark.parametrize("alg", ["EdDSA", "ES256"])
def test_mcbadge_resolves_the_did_key_kid_of_a_jose_signed_vc_jwt(
    node_worker: NodeWorker, alg: str
) -> None:
    credential = _fixed_credential(alg)
    header = {"alg": alg, "kid": _key(alg).verification_method, "typ": "JWT"}
    token = _node_jwt_sign(node_worker, {**credential, **_expected_claims(credential)}, header, alg)
    resolver = Resolver()
    result = decode_credential_jwt(
        token, key_resolver=lambda h: resolver.resolve_verification_method(h["kid"]).public_key
    )
    assert result.key_source == "resolver"
    assert result.key == _key(alg).public_key


@pytest.mark.parametrize("alg", ALGORITHMS)
def test_mcbadge_decodes_jose_signed_vc_jwt_with_embedded_jwk(
    node_worker: NodeWorker, alg: str
) -> None:
    credential = _fixed_credential(alg)
    header = {"alg": alg, "jwk": _key(alg).public_jwk()}
    token = _node_jwt_sign(node_worker, {**credential, **_expected_claims(credential)}, header, alg)
    result = decode_credential_jwt(token)
    assert result.key_source == "jwk_header"
    assert result.key == _key(alg).public_key
    assert result.credential == credential


@pytest.mark.parametrize("alg", ALGORITHMS)
def test_mcbadge_rejects_a_changed_jose_signed_vc_jwt(node_worker: NodeWorker, alg: str) -> None:
    credential = _fixed_credential(alg)
    header = {"alg": alg, "kid": _key(alg).verification_method, "typ": "JWT"}
    token = _node_jwt_sign(node_worker, {**credential, **_expected_claims(credential)}, header, alg)
    decode_credential_jwt(token, key=_key(alg).public_key)  # the untouched token verifies
    with pytest.raises(VerificationError) as caught:
        decode_credential_jwt(_with_changed_payload(token), key=_key(alg).public_key)
    assert caught.value.code == "jwt_signature_invalid"


def test_mcbadge_refuses_a_jose_hmac_token_even_with_the_right_secret(
    node_worker: NodeWorker,
) -> None:
    credential = _fixed_credential("EdDSA")
    secret = {"kty": "oct", "k": _b64url(b"0123456789abcdef0123456789abcdef")}
    token = node_worker.call(
        "jwt_sign",
        payload={**credential, **_expected_claims(credential)},
        protected_header={"alg": "HS256", "kid": "urn:example:secret", "typ": "JWT"},
        jwk=secret,
    )
    with pytest.raises(VerificationError) as caught:
        decode_credential_jwt(token, key=_key("EdDSA").public_key)
    assert "HS256" in str(caught.value)
