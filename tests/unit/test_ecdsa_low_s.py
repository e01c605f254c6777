"""Issue 10, F13: ES256 ``(r, n - s)`` is a second valid spelling of the same signature.

Decision (docs/decisions.md, "ES256 low-S"): mcbadge *signs* low-S only, so what it issues
has one spelling; it still *verifies* high-S, because JOSE does not require low-S and other
issuers emit it. Nothing in mcbadge takes a token's bytes as its identity: a credential is
known by its ``id`` (the JWT ``jti``), and the twin token carries the same ``jti``.
"""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from mcbadge._internal.multibase import base64url_decode, base64url_encode
from mcbadge.keys import KeyPair, ecdsa_der_to_raw
from mcbadge.verify import verification_report
from tests.unit.test_verify import clock, ob3_credential, sign_jwt

N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
P256 = KeyPair.generate("P-256")


def s_of(signature: bytes) -> int:
    return int.from_bytes(signature[32:], "big")


def test_mcbadge_signs_es256_low_s_only() -> None:
    for index in range(64):
        assert s_of(P256.sign(f"Data Privacy in de Zorg {index}".encode())) <= N // 2


def test_der_signatures_from_an_hsm_are_written_low_s() -> None:
    high = encode_dss_signature(12345, N - 2)
    assert s_of(ecdsa_der_to_raw(high)) == 2
    low = encode_dss_signature(12345, 2)
    assert s_of(ecdsa_der_to_raw(low)) == 2


def test_high_s_twin_of_a_token_verifies_with_the_same_credential_id() -> None:
    key = P256.with_verification_method(P256.did_key_verification_method)
    token = sign_jwt(ob3_credential(issuer=key.did_key), key)
    head, payload, signature = token.split(".")
    raw = base64url_decode(signature)
    assert s_of(raw) <= N // 2
    twin_s = (N - s_of(raw)).to_bytes(32, "big")
    twin = f"{head}.{payload}.{base64url_encode(raw[:32] + twin_s)}"
    assert twin != token
    original = verification_report(token, clock=clock)
    other = verification_report(twin, clock=clock)
    assert original.verified and other.verified
    assert original.credential is not None and other.credential is not None
    assert other.credential["id"] == original.credential["id"]
