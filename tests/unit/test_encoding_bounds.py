"""Issue 10, F5: lengths are checked before base58 is decoded.

Base58 decoding is quadratic in the length of the text: a 900 KB ``proofValue`` took 20 s
to decode before its 64-byte check, and so did a 900 KB ``did:key`` in a proof's
``verificationMethod`` or a VC-JWT's ``kid``. Each is now refused on its length, before any
arithmetic; the tests tell that path by its error (``encoding_too_long`` and the limit).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from mcbadge._internal.multibase import (
    base58_max_chars,
    base58btc_decode,
    base58btc_encode,
    multibase_decode,
)
from mcbadge.did import Resolver, parse_controller_document
from mcbadge.errors import InvalidInputError, KeyFormatError, McBadgeError
from mcbadge.keys import KeyPair, PublicKey
from tests.unit.test_verify import (
    ISSUER,
    failures,
    jwt_payload,
    ob3_credential,
    raw_jws,
    report_of,
    sign,
)

LONG = "z" + "2" * 900_000  # 900 KB of base58 digits


def test_base58_length_bound_is_exact_enough_for_every_size() -> None:
    for size in (0, 1, 32, 33, 34, 64, 100):
        for value in (b"\xff" * size, b"\x00" * size, (b"\x00" + b"\xff" * (size - 1))[:size]):
            encoded = base58btc_encode(value)
            assert len(encoded) <= base58_max_chars(size)
            assert base58btc_decode(encoded, max_bytes=size) == value


@pytest.mark.parametrize("decode", [base58btc_decode, multibase_decode])
def test_overlong_base58_is_refused_on_its_length(decode: Any) -> None:
    with pytest.raises(InvalidInputError) as info:
        decode(LONG[1:] if decode is base58btc_decode else LONG)
    assert info.value.code == "encoding_too_long"
    assert info.value.details["length"] >= 900_000


def test_signature_sized_limit_refuses_anything_longer_than_a_signature() -> None:
    signature = ISSUER.sign(b"Data Privacy in de Zorg")
    assert base58btc_decode(base58btc_encode(signature), max_bytes=64) == signature
    with pytest.raises(InvalidInputError) as info:
        base58btc_decode(base58btc_encode(signature + b"\x01"), max_bytes=64)
    assert info.value.code == "encoding_too_long"


def test_huge_proof_value_is_refused_by_length() -> None:
    signed = sign(ob3_credential())
    forged = copy.deepcopy(signed)
    forged["proof"][0]["proofValue"] = LONG
    report = report_of(forged)
    assert "proof_value_malformed" in [code for _, code in failures(report)]
    failed = [c for c in report.failed_checks if c.error_code == "proof_value_malformed"]
    assert "characters" in failed[0].message


def test_huge_did_key_in_the_verification_method_is_refused_by_length() -> None:
    signed = sign(ob3_credential())
    forged = copy.deepcopy(signed)
    forged["proof"][0]["verificationMethod"] = f"did:key:{LONG}#{LONG}"
    report = report_of(forged)
    assert not report.verified
    assert any("characters" in c.message for c in report.failed_checks)


def test_huge_did_key_as_jwt_kid_is_refused_by_length() -> None:
    header = {"alg": "EdDSA", "kid": f"did:key:{LONG}#{LONG}", "typ": "JWT"}
    token = raw_jws(header, jwt_payload(ob3_credential()))
    report = report_of(token)
    assert not report.verified
    assert any("characters" in c.message for c in report.failed_checks)


def test_huge_multikey_is_refused_by_length() -> None:
    with pytest.raises(KeyFormatError) as info:
        PublicKey.from_multikey(LONG)
    assert "characters" in info.value.message
    with pytest.raises(KeyFormatError):
        KeyPair.from_multikey(LONG, LONG)
    document = {
        "id": "did:web:hs-voorbeeld.nl",
        "verificationMethod": [
            {
                "id": "did:web:hs-voorbeeld.nl#key-1",
                "type": "Multikey",
                "controller": "did:web:hs-voorbeeld.nl",
                "publicKeyMultibase": LONG,
            }
        ],
    }
    parsed = parse_controller_document(document, expected_id="did:web:hs-voorbeeld.nl")
    with pytest.raises(McBadgeError) as error:
        parsed.verification_method("did:web:hs-voorbeeld.nl#key-1")
    assert "characters" in error.value.message


def test_huge_base58_key_of_a_2018_method_is_refused_by_length() -> None:
    document = {
        "id": "did:web:hs-voorbeeld.nl",
        "verificationMethod": [
            {
                "id": "did:web:hs-voorbeeld.nl#key-1",
                "type": "Ed25519VerificationKey2018",
                "controller": "did:web:hs-voorbeeld.nl",
                "publicKeyBase58": LONG[1:],
            }
        ],
    }
    parsed = parse_controller_document(document, expected_id="did:web:hs-voorbeeld.nl")
    with pytest.raises(McBadgeError) as error:
        parsed.verification_method("did:web:hs-voorbeeld.nl#key-1")
    assert "characters" in error.value.message


def test_real_keys_still_resolve() -> None:
    vm = Resolver().resolve_verification_method(ISSUER.did_key_verification_method)
    assert vm.public_key == ISSUER.public_key
