"""Issue 10, F12: Ed25519 public keys of small order (and non-canonical ones) are refused.

With the identity point as the public key, the Ed25519 check ``[S]B = R + [k]A`` reduces to
``[S]B = R``: the constant signature ``R = identity, S = 0`` then verified *every*
credential, for a Data Integrity proof and a VC-JWT alike, issued by ``did:key`` of that
point. Every place a public key is read (did:key, Multikey, JWK, raw bytes) now refuses the
eight small-order points and non-canonical encodings.
"""

from __future__ import annotations

import copy
import json

import pytest

from mcbadge._internal.multibase import (
    ED25519_PUB,
    base64url_encode,
    multibase_encode,
    multicodec_wrap,
)
from mcbadge.did import Resolver
from mcbadge.errors import KeyFormatError, McBadgeError
from mcbadge.keys import PublicKey
from tests.unit.test_verify import OTHER, failures, jwt_payload, ob3_credential, report_of, sign

# The eight points of order 1, 2, 4 and 8 on edwards25519, as 32-byte encodings.
SMALL_ORDER = {
    "identity": "0100000000000000000000000000000000000000000000000000000000000000",
    "order-2": "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "order-4": "0000000000000000000000000000000000000000000000000000000000000000",
    "order-4-neg": "0000000000000000000000000000000000000000000000000000000000000080",
    "order-8-a": "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    "order-8-b": "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
    "order-8-c": "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
    "order-8-d": "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
}
# Second spellings: y = 1 + p (the identity again), and x = 0 with the sign bit set.
NON_CANONICAL = {
    "identity-plus-p": "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "identity-sign-bit": "0100000000000000000000000000000000000000000000000000000000000080",
}

IDENTITY = bytes.fromhex(SMALL_ORDER["identity"])
# R = the identity point, S = 0: verifies any message under the identity public key.
CONSTANT_SIGNATURE = IDENTITY + bytes(32)


def did_key_of(raw: bytes) -> str:
    return "did:key:" + multibase_encode(multicodec_wrap(ED25519_PUB, raw))


def jwk_of(raw: bytes) -> dict[str, str]:
    return {"kty": "OKP", "crv": "Ed25519", "x": base64url_encode(raw)}


@pytest.mark.parametrize("name", list(SMALL_ORDER) + list(NON_CANONICAL))
def test_small_order_and_non_canonical_keys_are_refused_in_every_form(name: str) -> None:
    raw = bytes.fromhex(SMALL_ORDER.get(name) or NON_CANONICAL[name])
    code = "key_small_order" if name in SMALL_ORDER else "key_not_canonical"
    multikey = did_key_of(raw).removeprefix("did:key:")
    for read in (
        lambda: PublicKey.from_raw(raw, key_type="Ed25519"),
        lambda: PublicKey.from_multikey(multikey),
        lambda: PublicKey.from_jwk(jwk_of(raw)),
    ):
        with pytest.raises(KeyFormatError) as info:
            read()
        assert info.value.code == code
    with pytest.raises(McBadgeError):
        Resolver().resolve(did_key_of(raw))


def test_a_real_key_is_still_read() -> None:
    raw = OTHER.public_key.to_raw()
    assert PublicKey.from_raw(raw, key_type="Ed25519") == OTHER.public_key
    assert PublicKey.from_jwk(jwk_of(raw)) == OTHER.public_key


def test_constant_proof_value_under_the_identity_key_does_not_verify_a_credential() -> None:
    did = did_key_of(IDENTITY)
    forged = copy.deepcopy(sign(ob3_credential(issuer=did), OTHER))
    proof = forged["proof"][0]
    proof["verificationMethod"] = f"{did}#{did.removeprefix('did:key:')}"
    proof["proofValue"] = multibase_encode(CONSTANT_SIGNATURE)
    report = report_of(forged)
    assert not report.verified
    assert any("small order" in c.message for c in report.failed_checks), failures(report)


@pytest.mark.parametrize("header_key", ["kid", "jwk"])
def test_constant_signature_under_the_identity_key_does_not_verify_a_jwt(header_key: str) -> None:
    did = did_key_of(IDENTITY)
    header: dict[str, object] = {"alg": "EdDSA", "typ": "JWT"}
    if header_key == "kid":
        header["kid"] = f"{did}#{did.removeprefix('did:key:')}"
    else:
        header["jwk"] = jwk_of(IDENTITY)
    payload = jwt_payload(ob3_credential(issuer=did))

    def part(value: object) -> str:
        return base64url_encode(json.dumps(value, separators=(",", ":")).encode("utf-8"))

    token = f"{part(header)}.{part(payload)}.{base64url_encode(CONSTANT_SIGNATURE)}"
    report = report_of(token)
    assert not report.verified
    assert any("small order" in c.message for c in report.failed_checks), failures(report)


def test_remembered_keys_never_let_a_small_order_key_through() -> None:
    """Sound keys and resolved did:key documents are remembered; refusals are not."""
    from mcbadge.did import resolve_did_key
    from mcbadge.keys import KeyPair

    good = KeyPair.from_seed(bytes(range(32)))
    first = resolve_did_key(good.did_key)
    assert resolve_did_key(good.did_key) is first  # remembered
    assert PublicKey.from_raw(good.public_key.to_raw(), key_type="Ed25519") == good.public_key
    for _ in range(2):  # asked twice: refused both times
        for raw in SMALL_ORDER.values():
            with pytest.raises(KeyFormatError):
                PublicKey.from_raw(bytes.fromhex(raw), key_type="Ed25519")
            did = "did:key:" + multibase_encode(multicodec_wrap(ED25519_PUB, bytes.fromhex(raw)))
            with pytest.raises(McBadgeError):
                resolve_did_key(did)
