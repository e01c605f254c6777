"""VC-JWT (OB3 §8.2): sign/verify for every key type, KMS signers, and one test per refusal."""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from jwcrypto import jwk as jwcrypto_jwk
from jwcrypto import jws as jwcrypto_jws

from mcbadge._internal.multibase import base64url_decode, base64url_encode
from mcbadge.did import Resolver
from mcbadge.errors import InvalidInputError, SigningError, VerificationError
from mcbadge.keys import KeyPair, PublicKey, ecdsa_der_to_raw
from mcbadge.proofs.jwt import (
    ALLOWED_ALGORITHMS,
    check_jwt_claims,
    decode_credential_jwt,
    parse_credential_jwt,
    sign_credential_jwt,
)
from tests.conftest import reference_path

KEY_TYPES = [("Ed25519", "EdDSA"), ("P-256", "ES256"), ("RSA", "RS256")]


def _credential(**changes: Any) -> dict[str, Any]:
    credential: dict[str, Any] = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": "https://hs-voorbeeld.nl/issuers/1",
            "type": ["Profile"],
            "name": "Hogeschool Voorbeeld — IJsselland",
        },
        "validFrom": "2025-02-01T12:30:00Z",
        "name": "Data Privacy in de Zorg",
        "credentialSubject": {
            "id": "did:example:jan",
            "type": ["AchievementSubject"],
            "achievement": {"id": "https://hs-voorbeeld.nl/a/1", "type": ["Achievement"]},
        },
    }
    credential.update(changes)
    return credential


@pytest.fixture(scope="module")
def keys() -> dict[str, KeyPair]:
    out = {}
    for key_type, _ in KEY_TYPES:
        key = KeyPair.generate(key_type)  # type: ignore[arg-type]
        vm = key.did_key_verification_method if key_type != "RSA" else "https://hs.example/keys#rsa"
        out[key_type] = key.with_verification_method(vm)
    return out


def _segments(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    head, payload, _ = token.split(".")
    return json.loads(base64url_decode(head)), json.loads(base64url_decode(payload))


def _b64json(value: Any) -> str:
    return base64url_encode(json.dumps(value).encode())


def _forge(
    header: Any, payload: Any, key: KeyPair | None = None, signature: bytes = b"s" * 64
) -> str:
    """Build a compact JWS by hand; signed with ``key`` when given."""
    signing_input = f"{_b64json(header)}.{_b64json(payload)}"
    if key is not None:
        signature = key.sign(signing_input.encode())
    return f"{signing_input}.{base64url_encode(signature)}"


def _code(token: str, **kwargs: Any) -> str:
    with pytest.raises(VerificationError) as info:
        decode_credential_jwt(token, **kwargs)
    return info.value.code


# --------------------------------------------------------------------------- sign -> verify


@pytest.mark.parametrize(("key_type", "alg"), KEY_TYPES)
def test_sign_then_verify_with_kid(keys: dict[str, KeyPair], key_type: str, alg: str) -> None:
    key = keys[key_type]
    credential = _credential()
    original = copy.deepcopy(credential)
    token = sign_credential_jwt(credential, key)
    assert credential == original  # input not mutated
    header, payload = _segments(token)
    assert header == {"alg": alg, "kid": key.verification_method, "typ": "JWT"}
    assert payload["iss"] == "https://hs-voorbeeld.nl/issuers/1"
    assert payload["jti"] == credential["id"]
    assert payload["nbf"] == 1738413000
    assert payload["sub"] == "did:example:jan"
    assert "exp" not in payload
    result = decode_credential_jwt(token, key=key.public_key)
    assert result.verified and result.key_source == "explicit" and not result.legacy
    assert result.credential == credential
    assert result.kid == key.verification_method
    assert check_jwt_claims(result.payload) == []


@pytest.mark.parametrize(("key_type", "alg"), KEY_TYPES)
def test_sign_then_verify_with_embedded_jwk(
    keys: dict[str, KeyPair], key_type: str, alg: str
) -> None:
    key = keys[key_type]
    token = sign_credential_jwt(_credential(), key, embed_jwk=True)
    header, _ = _segments(token)
    assert header == {"alg": alg, "jwk": key.public_jwk(), "typ": "JWT"}
    result = decode_credential_jwt(token)
    assert result.key == key.public_key and result.key_source == "jwk_header"


@pytest.mark.parametrize("key_type", ["Ed25519", "P-256"])
def test_verify_through_a_did_key_resolver(keys: dict[str, KeyPair], key_type: str) -> None:
    key = keys[key_type]
    token = sign_credential_jwt(_credential(issuer=key.did_key), key)
    resolver = Resolver()
    result = decode_credential_jwt(
        token,
        key_resolver=lambda h: resolver.resolve_verification_method(h["kid"]).public_key,
    )
    assert result.key_source == "resolver" and result.payload["iss"] == key.did_key


def test_exp_and_string_issuer_and_no_subject_id(keys: dict[str, KeyPair]) -> None:
    credential = _credential(
        issuer="https://hs-voorbeeld.nl/issuers/1",
        validUntil="2030-01-01T00:00:00+01:00",
        credentialSubject={"type": ["AchievementSubject"], "identifier": []},
    )
    token = sign_credential_jwt(credential, keys["Ed25519"], typ=None)
    header, payload = _segments(token)
    assert "typ" not in header
    assert payload["exp"] == 1893452400
    assert payload["iss"] == "https://hs-voorbeeld.nl/issuers/1"
    assert "sub" not in payload
    assert check_jwt_claims(payload) == []


def test_payload_is_compact_utf8_in_credential_order_and_deterministic(
    keys: dict[str, KeyPair],
) -> None:
    credential = _credential()
    token = sign_credential_jwt(credential, keys["Ed25519"])
    raw = base64url_decode(token.split(".")[1])
    assert "Voorbeeld — IJsselland".encode() in raw  # not \\u-escaped
    assert b", " not in raw and b": " not in raw
    expected = json.dumps(
        credential
        | {
            "iss": "https://hs-voorbeeld.nl/issuers/1",
            "jti": credential["id"],
            "nbf": 1738413000,
            "sub": "did:example:jan",
        },
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()
    assert raw == expected
    assert sign_credential_jwt(credential, keys["Ed25519"]) == token  # Ed25519 is deterministic


def test_fractional_valid_from_is_truncated_to_the_second(keys: dict[str, KeyPair]) -> None:
    token = sign_credential_jwt(
        _credential(validFrom="2025-02-01T12:30:00.987654321Z"), keys["Ed25519"]
    )
    payload = _segments(token)[1]
    assert payload["nbf"] == 1738413000
    assert check_jwt_claims(payload) == []


# --------------------------------------------------------------------------- KMS signers


class _KmsP256Signer:
    """Like a cloud KMS: the private key stays 'remote' and signatures come back as DER."""

    algorithm = "ES256"
    key_type = "P-256"
    verification_method = "did:web:hs-voorbeeld.nl#kms-1"

    def __init__(self, *, convert: bool) -> None:
        self._remote = ec.generate_private_key(ec.SECP256R1())
        self._convert = convert
        self.calls: list[bytes] = []

    def public_jwk(self) -> dict[str, Any]:
        return PublicKey(self._remote.public_key()).to_jwk()

    def sign(self, data: bytes) -> bytes:
        self.calls.append(data)
        der = self._remote.sign(data, ec.ECDSA(hashes.SHA256()))
        return ecdsa_der_to_raw(der) if self._convert else der


def test_kms_like_signer_signs_through_the_protocol() -> None:
    signer = _KmsP256Signer(convert=True)
    token = sign_credential_jwt(_credential(), signer)
    head_payload = token.rsplit(".", 1)[0].encode()
    assert signer.calls == [head_payload]
    result = decode_credential_jwt(token, key=PublicKey.from_jwk(signer.public_jwk()))
    assert result.header["kid"] == "did:web:hs-voorbeeld.nl#kms-1"


def test_kms_signer_returning_der_is_caught_with_a_hint() -> None:
    with pytest.raises(SigningError) as info:
        sign_credential_jwt(_credential(), _KmsP256Signer(convert=False))
    assert info.value.code == "jwt_signer_failed"
    assert "ecdsa_der_to_raw" in info.value.message


def test_signer_that_raises_is_wrapped() -> None:
    class Failing(_KmsP256Signer):
        def sign(self, data: bytes) -> bytes:
            raise RuntimeError("HSM offline")

    with pytest.raises(SigningError) as info:
        sign_credential_jwt(_credential(), Failing(convert=True))
    assert info.value.code == "jwt_signer_failed" and "HSM offline" in info.value.message


def test_signer_leaking_private_jwk_is_refused() -> None:
    class Leaky(_KmsP256Signer):
        def public_jwk(self) -> dict[str, Any]:
            return super().public_jwk() | {"d": "AAAA"}

    with pytest.raises(SigningError) as info:
        sign_credential_jwt(_credential(), Leaky(convert=True), embed_jwk=True)
    assert info.value.code == "jwt_invalid_signer"


def test_signer_with_a_refused_algorithm() -> None:
    class Hmac(_KmsP256Signer):
        algorithm = "HS256"

    with pytest.raises(SigningError) as info:
        sign_credential_jwt(_credential(), Hmac(convert=True))
    assert info.value.code == "jwt_alg_not_allowed"
    with pytest.raises(SigningError):
        sign_credential_jwt(_credential(), object())  # type: ignore[arg-type]


# --------------------------------------------------------------------------- sign refusals


def test_sign_refusals(keys: dict[str, KeyPair]) -> None:
    key = keys["Ed25519"]
    cases: list[tuple[dict[str, Any], dict[str, Any], str]] = [
        (_credential(), {"kid": "x", "embed_jwk": True}, "jwt_kid_and_jwk"),
        (_credential(), {"typ": "vc+jwt"}, "jwt_typ_not_allowed"),
        ({k: v for k, v in _credential().items() if k != "issuer"}, {}, "jwt_missing_claim"),
        (_credential(validFrom="2025-02-01"), {}, "jwt_missing_claim"),
        (_credential(validFrom="2025-02-01T12:30:00"), {}, "jwt_missing_claim"),
        (_credential(validUntil="tomorrow"), {}, "jwt_missing_claim"),
        (_credential(iss="https://other.example"), {}, "jwt_claim_conflict"),
        ({k: v for k, v in _credential().items() if k != "@context"}, {}, "jwt_invalid_credential"),
        (_credential(score=float("nan")), {}, "jwt_invalid_credential"),
    ]
    for credential, options, code in cases:
        with pytest.raises(SigningError) as info:
            sign_credential_jwt(credential, key, **options)
        assert info.value.code == code, (credential, options)
    with pytest.raises(SigningError) as no_kid:
        sign_credential_jwt(_credential(), KeyPair.generate())
    assert no_kid.value.code == "jwt_no_key_reference"
    # A matching top-level claim is fine.
    sign_credential_jwt(_credential(iss="https://hs-voorbeeld.nl/issuers/1"), key)


# --------------------------------------------------------------------------- decode refusals


@pytest.fixture(scope="module")
def ed() -> KeyPair:
    return KeyPair.generate("Ed25519").with_verification_method("https://hs.example/keys#ed")


def _payload() -> dict[str, Any]:
    return _credential() | {"iss": "https://hs-voorbeeld.nl/issuers/1", "nbf": 1738413000}


def test_refuses_alg_none(ed: KeyPair) -> None:
    unsigned = f"{_b64json({'alg': 'none'})}.{_b64json(_payload())}."
    assert _code(unsigned, key=ed.public_key) == "jwt_alg_none"
    assert (
        _code(_forge({"alg": "None", "kid": "k"}, _payload()), key=ed.public_key) == "jwt_alg_none"
    )


def test_refuses_hmac_even_signed_with_the_public_key(ed: KeyPair) -> None:
    # The classic confusion attack: HMAC keyed with the public key bytes.
    header, payload = {"alg": "HS256", "kid": "https://hs.example/keys#ed"}, _payload()
    signing_input = f"{_b64json(header)}.{_b64json(payload)}".encode()
    mac = hmac.new(ed.public_key.to_pem(), signing_input, hashlib.sha256).digest()
    token = f"{signing_input.decode()}.{base64url_encode(mac)}"
    assert _code(token, key=ed.public_key) == "jwt_alg_hmac"


@pytest.mark.parametrize("alg", ["ES512", "RS512", "ES256K", "Ed25519", "RSA-OAEP", ""])
def test_refuses_algorithms_outside_the_allowed_set(ed: KeyPair, alg: str) -> None:
    code = _code(_forge({"alg": alg, "kid": "k"}, _payload()), key=ed.public_key)
    assert code == ("jwt_alg_missing" if alg == "" else "jwt_alg_not_allowed")


def test_refuses_missing_alg(ed: KeyPair) -> None:
    assert _code(_forge({"kid": "k"}, _payload()), key=ed.public_key) == "jwt_alg_missing"


def test_caller_can_narrow_the_algorithms(ed: KeyPair) -> None:
    token = sign_credential_jwt(_credential(), ed)
    assert _code(token, key=ed.public_key, algorithms=["RS256"]) == "jwt_alg_not_allowed"
    with pytest.raises(InvalidInputError):
        decode_credential_jwt(token, key=ed.public_key, algorithms=["HS256"])
    assert set(ALLOWED_ALGORITHMS) == {"EdDSA", "ES256", "RS256", "PS256"}


def test_refuses_both_kid_and_jwk(ed: KeyPair) -> None:
    header = {"alg": "EdDSA", "kid": "https://hs.example/keys#ed", "jwk": ed.public_jwk()}
    assert _code(_forge(header, _payload(), ed)) == "jwt_kid_and_jwk"


def test_neither_kid_nor_jwk_needs_an_explicit_key(ed: KeyPair) -> None:
    token = _forge({"alg": "EdDSA", "typ": "JWT"}, _payload(), ed)
    assert _code(token) == "jwt_no_key_reference"
    with pytest.raises(VerificationError) as info:
        decode_credential_jwt(token, key_resolver=lambda h: ed.public_key)
    assert info.value.code == "jwt_no_key_reference"
    assert decode_credential_jwt(token, key=ed.public_key).verified


@pytest.mark.parametrize("member", ["d", "p", "k"])
def test_refuses_a_jwk_header_with_private_members(ed: KeyPair, member: str) -> None:
    jwk = ed.public_jwk() | {member: ed.to_jwk(private=True)["d"]}
    assert _code(_forge({"alg": "EdDSA", "jwk": jwk}, _payload(), ed)) == "jwt_jwk_private"


def test_refuses_an_unusable_jwk_header(ed: KeyPair) -> None:
    jwk = {"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"}
    assert _code(_forge({"alg": "ES256", "jwk": jwk}, _payload())) == "jwt_jwk_invalid"
    assert _code(_forge({"alg": "EdDSA", "jwk": "not-an-object"}, _payload())) == "jwt_jwk_invalid"
    alg_member = ed.public_jwk() | {"alg": "ES256"}
    assert _code(_forge({"alg": "EdDSA", "jwk": alg_member}, _payload(), ed)) == (
        "jwt_key_alg_mismatch"
    )


@pytest.mark.parametrize("crit", [["exp"], ["b64"], []])
def test_refuses_crit(ed: KeyPair, crit: list[str]) -> None:
    header = {"alg": "EdDSA", "kid": "k", "crit": crit, **{c: False for c in crit}}
    assert _code(_forge(header, _payload(), ed), key=ed.public_key) == "jwt_crit_unsupported"


@pytest.mark.parametrize("typ", ["vc+jwt", "vc+ld+jwt", "jwt", "JOSE", 1])
def test_refuses_typ_other_than_jwt(ed: KeyPair, typ: Any) -> None:
    token = _forge({"alg": "EdDSA", "kid": "k", "typ": typ}, _payload(), ed)
    assert _code(token, key=ed.public_key) == "jwt_typ_not_allowed"


@pytest.mark.parametrize("extra", ["jku", "x5u", "x5c", "cty", "b64", "iss"])
def test_refuses_extra_header_parameters(ed: KeyPair, extra: str) -> None:
    token = _forge({"alg": "EdDSA", "kid": "k", extra: "https://evil.example/"}, _payload(), ed)
    assert _code(token, key=ed.public_key) == "jwt_header_not_allowed"


def test_refuses_a_non_string_kid(ed: KeyPair) -> None:
    assert _code(_forge({"alg": "EdDSA", "kid": 7}, _payload(), ed), key=ed.public_key) == (
        "jwt_kid_invalid"
    )


@pytest.mark.parametrize(
    "token",
    ["", "abc", "a.b", "a.b.c.d", "a.b.c.d.e", ".eyJ9.c2ln", "eyJhbGciOiJFZERTQSJ9..c2ln"],
)
def test_refuses_malformed_compact_form(ed: KeyPair, token: str) -> None:
    assert _code(token, key=ed.public_key) == "jwt_malformed"


def test_refuses_non_string_tokens(ed: KeyPair) -> None:
    assert _code(b"a.b.c", key=ed.public_key) == "jwt_malformed"  # type: ignore[arg-type]


def test_refuses_missing_signature(ed: KeyPair) -> None:
    token = f"{_b64json({'alg': 'EdDSA', 'kid': 'k'})}.{_b64json(_payload())}."
    assert _code(token, key=ed.public_key) == "jwt_malformed"


@pytest.mark.parametrize("where", [0, 1, 2])
@pytest.mark.parametrize("damage", ["pad", "plus", "noncanonical"])
def test_refuses_bad_base64url(ed: KeyPair, where: int, damage: str) -> None:
    parts = sign_credential_jwt(_credential(), ed).split(".")
    if damage == "pad":
        parts[where] += "="
    elif damage == "plus":
        parts[where] = "+" + parts[where][1:]
    else:
        # Flip an unused low bit in the last character (only possible when len % 4 != 0).
        parts[where] = _noncanonical(parts[where])
    assert _code(".".join(parts), key=ed.public_key) == "jwt_bad_base64"


def _noncanonical(segment: str) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    if len(segment) % 4 == 0:
        segment = segment[:-2]  # drop a full byte's worth so spare bits exist
    last = alphabet.index(segment[-1])
    return segment[:-1] + alphabet[last ^ 1]


def test_refuses_bad_json_and_duplicate_members(ed: KeyPair) -> None:
    head = base64url_encode(b'{"alg":"EdDSA","kid":"k"')
    assert _code(f"{head}.{_b64json(_payload())}.c2ln", key=ed.public_key) == "jwt_bad_json"
    dup_head = base64url_encode(b'{"alg":"EdDSA","alg":"none","kid":"k"}')
    assert _code(f"{dup_head}.{_b64json(_payload())}.c2ln", key=ed.public_key) == (
        "jwt_duplicate_member"
    )
    good_head = _b64json({"alg": "EdDSA", "kid": "k"})
    dup_payload = base64url_encode(b'{"@context":[],"iss":"a","iss":"b"}')
    assert _code(f"{good_head}.{dup_payload}.c2ln", key=ed.public_key) == "jwt_duplicate_member"
    nan_payload = base64url_encode(b'{"@context":[],"nbf":NaN}')
    assert _code(f"{good_head}.{nan_payload}.c2ln", key=ed.public_key) == "jwt_bad_json"
    latin1 = base64url_encode('{"@context":[],"name":"é"}'.encode("latin-1"))
    assert _code(f"{good_head}.{latin1}.c2ln", key=ed.public_key) == "jwt_bad_json"


def test_refuses_a_header_that_is_not_an_object(ed: KeyPair) -> None:
    assert _code(_forge(["alg", "EdDSA"], _payload()), key=ed.public_key) == "jwt_header_not_object"


@pytest.mark.parametrize("payload", [["@context"], "a credential", 42, None])
def test_refuses_a_payload_that_is_not_an_object(ed: KeyPair, payload: Any) -> None:
    token = _forge({"alg": "EdDSA", "kid": "k"}, payload, ed)
    assert _code(token, key=ed.public_key) == "jwt_payload_not_object"


def test_refuses_a_payload_without_a_credential(ed: KeyPair) -> None:
    token = _forge({"alg": "EdDSA", "kid": "k"}, {"iss": "a", "vc": "not an object"}, ed)
    assert _code(token, key=ed.public_key) == "jwt_payload_not_credential"


def test_refuses_a_signature_mismatch(ed: KeyPair) -> None:
    token = sign_credential_jwt(_credential(), ed)
    head, _, sig = token.split(".")
    tampered = f"{head}.{_b64json(_payload() | {'name': 'Andere cursus'})}.{sig}"
    assert _code(tampered, key=ed.public_key) == "jwt_signature_invalid"
    other = KeyPair.generate("Ed25519").public_key
    assert _code(token, key=other) == "jwt_signature_invalid"
    truncated = token[:-4]
    assert _code(truncated, key=ed.public_key) in ("jwt_signature_invalid", "jwt_bad_base64")


def test_refuses_a_key_type_that_does_not_match_alg(ed: KeyPair) -> None:
    token = sign_credential_jwt(_credential(), ed)
    p256 = KeyPair.generate("P-256")
    assert _code(token, key=p256.public_key) == "jwt_key_alg_mismatch"
    rsa_jwk = KeyPair.generate("RSA").public_jwk()
    forged = _forge({"alg": "ES256", "jwk": rsa_jwk}, _payload(), p256)
    assert _code(forged) == "jwt_key_alg_mismatch"
    with pytest.raises(VerificationError) as info:
        decode_credential_jwt(token, key_resolver=lambda h: p256.public_key)
    assert info.value.code == "jwt_key_alg_mismatch"


def test_kid_without_resolver_or_with_a_failing_one(ed: KeyPair) -> None:
    token = sign_credential_jwt(_credential(), ed)
    assert _code(token) == "jwt_key_unresolved"
    assert _code(
        token, key_resolver=lambda h: Resolver().resolve_verification_method(h["kid"]).public_key
    ) == ("jwt_key_unresolved")

    def broken(header: Any) -> PublicKey:
        raise KeyError("kid")

    assert _code(token, key_resolver=broken) == "jwt_key_unresolved"
    assert _code(token, key_resolver=lambda h: "not a key") == "jwt_key_unresolved"  # type: ignore[arg-type,return-value]


def test_explicit_key_must_match_the_header_jwk(ed: KeyPair) -> None:
    token = sign_credential_jwt(_credential(), ed, embed_jwk=True)
    assert _code(token, key=KeyPair.generate().public_key) == "jwt_key_mismatch"
    assert decode_credential_jwt(token, key=ed.public_key).key_source == "explicit"


def test_parse_does_not_verify(ed: KeyPair) -> None:
    token = sign_credential_jwt(_credential(), ed)
    head, payload, _ = token.split(".")
    unverified = parse_credential_jwt(f"{head}.{payload}.{base64url_encode(b'x' * 64)}")
    assert not unverified.verified and unverified.key is None
    assert unverified.credential == _credential()


# --------------------------------------------------------------------------- claims


@pytest.mark.parametrize(
    ("changes", "claim", "code"),
    [
        ({"iss": "https://other.example"}, "iss", "jwt_claim_mismatch"),
        ({"iss": None}, "iss", "jwt_claim_missing"),
        ({"nbf": 1738413001}, "nbf", "jwt_claim_mismatch"),
        ({"nbf": None}, "nbf", "jwt_claim_missing"),
        ({"nbf": "1738413000"}, "nbf", "jwt_claim_invalid"),
        ({"nbf": True}, "nbf", "jwt_claim_invalid"),
        ({"jti": "urn:uuid:other"}, "jti", "jwt_claim_mismatch"),
        ({"jti": None}, "jti", "jwt_claim_missing"),
        ({"sub": "did:example:piet"}, "sub", "jwt_claim_mismatch"),
        ({"sub": None}, "sub", "jwt_claim_missing"),
        ({"validUntil": "2030-01-01T00:00:00Z"}, "exp", "jwt_claim_missing"),
        ({"validUntil": "2030-01-01T00:00:00Z", "exp": 1}, "exp", "jwt_claim_mismatch"),
        ({"validFrom": "yesterday"}, "nbf", "jwt_claim_invalid"),
    ],
)
def test_check_jwt_claims_reports_each_disagreement(
    changes: dict[str, Any], claim: str, code: str
) -> None:
    payload = _credential() | {
        "iss": "https://hs-voorbeeld.nl/issuers/1",
        "jti": "urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002",
        "nbf": 1738413000,
        "sub": "did:example:jan",
    }
    assert check_jwt_claims(payload) == []
    for name, value in changes.items():
        if value is None:
            payload.pop(name)
        else:
            payload[name] = value
    problems = check_jwt_claims(payload)
    assert [(p.claim, p.code) for p in problems] == [(claim, code)]
    assert problems[0].to_dict()["claim"] == claim


def test_check_jwt_claims_flags_sub_without_a_subject_id() -> None:
    payload = _credential(credentialSubject={"type": ["AchievementSubject"]}) | {
        "iss": "https://hs-voorbeeld.nl/issuers/1",
        "jti": "urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002",
        "nbf": 1738413000,
        "sub": "did:example:jan",
    }
    assert [(p.claim, p.code) for p in check_jwt_claims(payload)] == [("sub", "jwt_claim_mismatch")]


def test_check_jwt_claims_on_a_payload_without_a_credential() -> None:
    assert check_jwt_claims({"iss": "x"})[0].code == "jwt_payload_not_credential"


# --------------------------------------------------------------------------- legacy token


def _legacy_token() -> str:
    path = reference_path("ob3", "examples", "validator_ob30_simple_legacy-vc-claim_RS256.jwt")
    return path.read_text(encoding="ascii").strip()


def test_legacy_vc_claim_token_parses_without_verification() -> None:
    result = parse_credential_jwt(_legacy_token())
    assert result.legacy and not result.verified
    assert result.header == {"alg": "RS256", "typ": "JWT"}
    assert result.kid is None
    assert result.credential == result.payload["vc"]
    assert result.credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert result.credential["issuanceDate"] == "2010-01-01T00:00:00Z"
    assert check_jwt_claims(result.payload) == []


def test_legacy_token_without_a_published_key_fails_clearly() -> None:
    with pytest.raises(VerificationError) as info:
        decode_credential_jwt(_legacy_token())
    assert info.value.code == "jwt_no_key_reference"
    assert "neither kid nor jwk" in info.value.message and "key=" in info.value.message
    wrong = KeyPair.generate("RSA").public_key
    with pytest.raises(VerificationError) as mismatch:
        decode_credential_jwt(_legacy_token(), key=wrong)
    assert mismatch.value.code == "jwt_signature_invalid"


# --------------------------------------------------------------------------- jwcrypto interop


@pytest.mark.parametrize(("key_type", "alg"), KEY_TYPES)
def test_tokens_interoperate_with_jwcrypto(
    keys: dict[str, KeyPair], key_type: str, alg: str
) -> None:
    key = keys[key_type]
    token = sign_credential_jwt(_credential(), key)
    theirs = jwcrypto_jws.JWS()
    theirs.deserialize(token)
    theirs.verify(jwcrypto_jwk.JWK(**key.public_jwk()), alg=alg)
    assert json.loads(theirs.payload)["jti"] == _credential()["id"]

    signer = jwcrypto_jws.JWS(json.dumps(_payload()).encode())
    signer.add_signature(
        jwcrypto_jwk.JWK(**key.to_jwk(private=True)),
        alg=alg,
        protected=json.dumps({"alg": alg, "kid": key.verification_method}),
    )
    result = decode_credential_jwt(signer.serialize(compact=True), key=key.public_key)
    assert result.verified and result.credential == _credential()
