"""Keys: PEM/JWK/Multikey round trips, published vectors, refusals, signing and the Signer protocol."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from mcbadge._internal.multibase import base58btc_encode, base64url_encode
from mcbadge.errors import KeyFormatError, VerificationError
from mcbadge.keys import KeyPair, PublicKey, Signer, ecdsa_der_to_raw
from tests.conftest import load_reference_json

KEYS_DIR = Path(__file__).resolve().parent.parent / "keys"
KEY_FILES = [("ed25519", "Ed25519"), ("p256", "P-256"), ("rsa2048", "RSA")]

# RFC 8037 appendix A.1 (Ed25519 JWK) and A.3 (its RFC 7638 thumbprint).
RFC8037_PRIVATE = {
    "kty": "OKP",
    "crv": "Ed25519",
    "d": "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A",
    "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
}
RFC8037_THUMBPRINT = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
# RFC 7638 section 3.1 example key and thumbprint.
RFC7638_JWK = {
    "kty": "RSA",
    "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc"
    "_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_"
    "FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI"
    "4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
    "e": "AQAB",
    "alg": "RS256",
    "kid": "2011-04-29",
}
RFC7638_THUMBPRINT = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
# W3C did:key test vectors (w3c-ccg/did-method-key test-vectors/): seed -> DID, base58 key.
DID_KEY_ED25519 = [
    (
        "00" * 32,
        "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",
        "4zvwRjXUKGfvwnParsHAS3HuSVzV5cA4McphgmoCtajS",
    ),
    (
        "00" * 31 + "01",
        "did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG",
        "6ASf5EcmmEHTgDJ4X4ZT5vT6iHVJBXPg5AN5YoTCpGWt",
    ),
    (
        "00" * 31 + "02",
        "did:key:z6MknGc3ocHs3zdPiJbnaaqDi58NGb4pk1Sp9WxWufuXSdxf",
        "8pM1DN3RiT8vbom5u1sNryaNT1nyL8CTTW3b5PwWXRBH",
    ),
]
DID_KEY_P256 = [
    (
        "did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv",
        {
            "kty": "EC",
            "crv": "P-256",
            "x": "igrFmi0whuihKnj9R3Om1SoMph72wUGeFaBbzG2vzns",
            "y": "efsX5b10x8yjyrj4ny3pGfLcY7Xby1KzgqOdqnsrJIM",
            "d": "gPh-VvVS8MbvKQ9LSVVmfnxnKjHn4Tqj0bmbpehRlpc",
        },
    ),
    (
        "did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169",
        {
            "kty": "EC",
            "crv": "P-256",
            "x": "fyNYMN0976ci7xqiSdag3buk-ZCwgXU4kz9XNkBlNUI",
            "y": "hW2ojTNfH7Jbi8--CJUo3OCbH3y5n91g-IMA9MLMbTU",
            "d": "YjRs6vNvw4sYrzVVY8ipkEpDAD9PFqw1sUnvPRMA-WI",
        },
    ),
]


def _public(jwk: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in jwk.items() if k not in ("d", "p", "q", "dp", "dq", "qi")}


# --------------------------------------------------------------------------- test key files


@pytest.mark.parametrize(("name", "key_type"), KEY_FILES)
def test_test_key_pem_and_jwk_files_describe_the_same_key(name: str, key_type: str) -> None:
    from_pem = KeyPair.from_pem((KEYS_DIR / f"{name}.pem").read_bytes())
    from_jwk = KeyPair.from_jwk(json.loads((KEYS_DIR / f"{name}.jwk.json").read_text()))
    public = PublicKey.from_jwk(json.loads((KEYS_DIR / f"{name}.public.jwk.json").read_text()))
    assert from_pem.key_type == key_type
    assert from_pem.public_key == from_jwk.public_key == public
    assert from_pem.to_jwk(private=True) == from_jwk.to_jwk(private=True)


@pytest.mark.parametrize(("name", "key_type"), KEY_FILES)
def test_pem_round_trip_plain_and_encrypted(name: str, key_type: str) -> None:
    key = KeyPair.from_pem((KEYS_DIR / f"{name}.pem").read_text())
    assert KeyPair.from_pem(key.to_pem()).public_key == key.public_key
    encrypted = key.to_pem(password="correct horse")
    assert encrypted.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert KeyPair.from_pem(encrypted, b"correct horse").public_key == key.public_key
    with pytest.raises(KeyFormatError):
        KeyPair.from_pem(encrypted, "wrong horse")
    with pytest.raises(KeyFormatError) as info:
        KeyPair.from_pem(encrypted)
    assert info.value.code == "key_password"


@pytest.mark.parametrize(("name", "key_type"), KEY_FILES)
def test_public_pem_round_trip(name: str, key_type: str) -> None:
    key = KeyPair.from_pem((KEYS_DIR / f"{name}.pem").read_bytes())
    pem = key.public_key.to_pem()
    assert PublicKey.from_pem(pem) == key.public_key
    with pytest.raises(KeyFormatError, match="KeyPair.from_pem"):
        PublicKey.from_pem(key.to_pem())


@pytest.mark.parametrize("key_type", ["Ed25519", "P-256", "RSA"])
def test_jwk_round_trip_private_and_public(key_type: Any) -> None:
    key = KeyPair.generate(key_type)
    private = key.to_jwk(private=True)
    public = key.to_jwk()
    assert "d" in private and "d" not in public
    assert KeyPair.from_jwk(private).to_jwk(private=True) == private
    assert PublicKey.from_jwk(public).to_jwk() == public == key.public_jwk()


def test_rsa_private_jwk_without_crt_parameters_is_completed() -> None:
    key = KeyPair.from_pem((KEYS_DIR / "rsa2048.pem").read_bytes())
    full = key.to_jwk(private=True)
    minimal = {k: full[k] for k in ("kty", "n", "e", "d")}
    assert KeyPair.from_jwk(minimal).to_jwk(private=True) == full


def test_rsa_private_jwk_with_partial_crt_parameters_is_refused() -> None:
    full = KeyPair.from_pem((KEYS_DIR / "rsa2048.pem").read_bytes()).to_jwk(private=True)
    del full["qi"]
    with pytest.raises(KeyFormatError, match="p, q, dp, dq, qi"):
        KeyPair.from_jwk(full)


def test_pem_rejects_garbage_and_unsupported_curves() -> None:
    with pytest.raises(KeyFormatError):
        KeyPair.from_pem(b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
    p384 = ec.generate_private_key(ec.SECP384R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with pytest.raises(KeyFormatError) as info:
        KeyPair.from_pem(p384)
    assert info.value.code == "key_unsupported"


def test_rsa_keys_below_2048_bits_are_refused() -> None:
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505 - the point of the test
    with pytest.raises(KeyFormatError) as info:
        KeyPair(small)
    assert info.value.code == "key_too_weak"
    nums = small.public_key().public_numbers()
    jwk = {"kty": "RSA", "n": base64url_encode(nums.n.to_bytes(128, "big")), "e": "AQAB"}
    with pytest.raises(KeyFormatError):
        PublicKey.from_jwk(jwk)


# --------------------------------------------------------------------------- vectors


def test_w3c_key_pair_multikey_raw_and_jwk_agree() -> None:
    pair = load_reference_json("vectors", "vc-di-eddsa", "keyPair.json")
    key = KeyPair.from_multikey(pair["publicKeyMultibase"], pair["privateKeyMultibase"])
    assert key.to_multikey() == pair["publicKeyMultibase"]
    assert key.to_multikey(private=True) == pair["privateKeyMultibase"]
    raw = key.public_key.to_raw()
    jwk = key.to_jwk()
    assert jwk == {"kty": "OKP", "crv": "Ed25519", "x": base64url_encode(raw)}
    assert PublicKey.from_jwk(jwk).to_multikey() == pair["publicKeyMultibase"]
    assert PublicKey.from_raw(raw, key_type="Ed25519").to_multikey() == pair["publicKeyMultibase"]
    assert key.did_key == "did:key:" + pair["publicKeyMultibase"]
    # The secret alone is enough.
    assert KeyPair.from_multikey(pair["privateKeyMultibase"]).public_key == key.public_key


def test_ob3_vector_64_byte_secret_key_is_read() -> None:
    vector = load_reference_json("ob3", "test-vectors", "ob_eddsa-rdfc-2022_test-vector.json")
    key = KeyPair.from_multikey(vector["publicKeyMultibase"], vector["secretKeyMultibase"])
    assert key.public_key.to_raw().hex() == vector["publicKeyHex"]
    seed = bytes.fromhex(vector["privateKeyHex_seed32_plus_public32"])[:32]
    assert KeyPair.from_seed(seed).public_key == key.public_key
    assert key.to_jwk() == PublicKey.from_multikey(vector["publicKeyMultibase"]).to_jwk()


def test_ob3_vector_signature_is_reproduced() -> None:
    vector = load_reference_json("ob3", "test-vectors", "ob_eddsa-rdfc-2022_test-vector.json")
    key = KeyPair.from_multikey(vector["secretKeyMultibase"])
    data = bytes.fromhex(vector["dataToSignHex"])
    assert key.sign(data).hex() == vector["signatureHex"]
    key.public_key.verify(data, bytes.fromhex(vector["signatureHex"]))


@pytest.mark.parametrize(("seed_hex", "did", "base58_key"), DID_KEY_ED25519)
def test_ed25519_did_key_vectors_from_seed(seed_hex: str, did: str, base58_key: str) -> None:
    key = KeyPair.from_seed(bytes.fromhex(seed_hex))
    assert key.did_key == did
    assert key.did_key_verification_method == f"{did}#{did.removeprefix('did:key:')}"
    assert base58btc_encode(key.public_key.to_raw()) == base58_key


@pytest.mark.parametrize(("did", "jwk"), DID_KEY_P256)
def test_p256_did_key_vectors_from_jwk(did: str, jwk: dict[str, Any]) -> None:
    key = KeyPair.from_jwk(jwk)
    assert key.did_key == did
    assert PublicKey.from_multikey(did.removeprefix("did:key:")).to_jwk() == _public(jwk)
    assert key.to_jwk(private=True) == jwk
    again = KeyPair.from_multikey(key.to_multikey(), key.to_multikey(private=True))
    assert again.public_key == key.public_key


def test_rfc8037_ed25519_jwk_thumbprint_and_signature() -> None:
    key = KeyPair.from_jwk(RFC8037_PRIVATE)
    assert key.jwk_thumbprint() == RFC8037_THUMBPRINT
    signing_input = b"eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc"
    assert (
        base64url_encode(key.sign(signing_input))
        == "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"
    )


def test_rfc7638_rsa_thumbprint() -> None:
    assert PublicKey.from_jwk(RFC7638_JWK).jwk_thumbprint() == RFC7638_THUMBPRINT


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize("member", ["d", "p", "q", "dp", "dq", "qi", "k"])
def test_public_key_from_jwk_refuses_private_members(member: str) -> None:
    jwk = dict(RFC7638_JWK) if member not in ("d", "k") else _public(RFC8037_PRIVATE)
    jwk[member] = "AQAB"
    with pytest.raises(KeyFormatError) as info:
        PublicKey.from_jwk(jwk)
    assert info.value.code == "key_private_material"


@pytest.mark.parametrize(
    ("jwk", "code"),
    [
        ({"kty": "oct", "k": "c2VjcmV0"}, "key_private_material"),
        ({"kty": "oct"}, "key_unsupported"),
        ({"kty": "EC", "crv": "P-384", "x": "AA", "y": "AA"}, "key_unsupported"),
        ({"kty": "EC", "crv": "secp256k1", "x": "AA", "y": "AA"}, "key_unsupported"),
        ({"kty": "OKP", "crv": "X25519", "x": "AA"}, "key_unsupported"),
        ({"kty": "OKP", "crv": "Ed448", "x": "AA"}, "key_unsupported"),
        ({"crv": "Ed25519", "x": "AA"}, "key_invalid"),
        ({"kty": "OKP", "crv": "Ed25519", "x": "AAAA"}, "key_invalid"),
        ({"kty": "OKP", "crv": "Ed25519", "x": "not base64!"}, "key_invalid"),
        ({"kty": "OKP", "crv": "Ed25519"}, "key_invalid"),
    ],
)
def test_public_key_from_jwk_refuses_unknown_or_malformed_keys(
    jwk: dict[str, Any], code: str
) -> None:
    with pytest.raises(KeyFormatError) as info:
        PublicKey.from_jwk(jwk)
    assert info.value.code == code


def test_public_key_from_jwk_refuses_a_non_mapping() -> None:
    with pytest.raises(KeyFormatError):
        PublicKey.from_jwk(["kty", "EC"])  # type: ignore[arg-type]


def test_p256_point_not_on_the_curve_is_refused() -> None:
    _, jwk = DID_KEY_P256[0]
    bad = _public(jwk)
    bad["y"] = DID_KEY_P256[1][1]["y"]  # a y that belongs to another x
    with pytest.raises(KeyFormatError) as info:
        PublicKey.from_jwk(bad)
    assert info.value.code == "key_not_on_curve"
    with pytest.raises(KeyFormatError) as raw_info:
        PublicKey.from_raw(b"\x02" + b"\xff" * 32, key_type="P-256")
    assert raw_info.value.code == "key_not_on_curve"


def test_jwk_alg_and_use_must_fit_a_signing_key() -> None:
    public = _public(RFC8037_PRIVATE)
    with pytest.raises(KeyFormatError) as info:
        PublicKey.from_jwk(public | {"alg": "RS256"})
    assert info.value.code == "key_algorithm_mismatch"
    with pytest.raises(KeyFormatError):
        PublicKey.from_jwk(public | {"use": "enc"})
    assert PublicKey.from_jwk(public | {"alg": "EdDSA", "use": "sig", "kid": "k1"}).key_type == (
        "Ed25519"
    )


def test_keypair_from_jwk_needs_a_matching_private_part() -> None:
    with pytest.raises(KeyFormatError) as info:
        KeyPair.from_jwk(_public(RFC8037_PRIVATE))
    assert info.value.code == "key_not_private"
    other_x = KeyPair.generate().to_jwk()["x"]
    with pytest.raises(KeyFormatError, match="does not match"):
        KeyPair.from_jwk(RFC8037_PRIVATE | {"x": other_x})
    without_x = {k: v for k, v in RFC8037_PRIVATE.items() if k != "x"}
    with pytest.raises(KeyFormatError, match="lacks the public member"):
        KeyPair.from_jwk(without_x)


def test_multikey_refusals() -> None:
    key = KeyPair.generate("Ed25519")
    other = KeyPair.generate("Ed25519")
    with pytest.raises(KeyFormatError) as info:
        KeyPair.from_multikey(key.to_multikey())
    assert info.value.code == "key_not_private"
    with pytest.raises(KeyFormatError, match="does not belong"):
        KeyPair.from_multikey(key.to_multikey(), other.to_multikey(private=True))
    with pytest.raises(KeyFormatError) as secret_info:
        PublicKey.from_multikey(key.to_multikey(private=True))
    assert secret_info.value.code == "key_private_material"
    with pytest.raises(KeyFormatError):
        PublicKey.from_multikey("u" + key.to_multikey()[1:])
    with pytest.raises(KeyFormatError):
        PublicKey.from_multikey("z6Mk0OIl")
    with pytest.raises(KeyFormatError) as codec_info:
        PublicKey.from_multikey("z" + base58btc_encode(bytes.fromhex("e701") + bytes(33)))
    assert codec_info.value.code == "key_unsupported"


def test_multikey_64_byte_secret_with_wrong_public_half_is_refused() -> None:
    from mcbadge._internal.multibase import ED25519_PRIV, multibase_encode, multicodec_wrap

    seed = bytes(range(32))
    wrong = multibase_encode(multicodec_wrap(ED25519_PRIV, seed + bytes(32)))
    with pytest.raises(KeyFormatError, match="public half"):
        KeyPair.from_multikey(wrong)


def test_rsa_has_no_did_key_or_multikey() -> None:
    key = KeyPair.from_pem((KEYS_DIR / "rsa2048.pem").read_bytes())
    with pytest.raises(KeyFormatError, match="did:web"):
        _ = key.did_key
    with pytest.raises(KeyFormatError):
        key.public_key.to_multikey()
    with pytest.raises(KeyFormatError):
        key.to_multikey(private=True)


def test_seed_must_be_32_bytes() -> None:
    with pytest.raises(KeyFormatError):
        KeyPair.from_seed(bytes(31))
    with pytest.raises(KeyFormatError):
        KeyPair.from_seed("00" * 32)  # type: ignore[arg-type]


def test_generate_refuses_unknown_key_type() -> None:
    with pytest.raises(KeyFormatError):
        KeyPair.generate("secp256k1")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- signing


@pytest.mark.parametrize(
    ("key_type", "alg", "length"),
    [("Ed25519", "EdDSA", 64), ("P-256", "ES256", 64), ("RSA", "RS256", 256)],
)
def test_sign_and_verify_raw_signatures(key_type: Any, alg: str, length: int) -> None:
    key = KeyPair.generate(key_type)
    assert key.algorithm == alg
    signature = key.sign(b"hello")
    assert len(signature) == length
    key.public_key.verify(b"hello", signature)
    with pytest.raises(VerificationError) as info:
        key.public_key.verify(b"hellO", signature)
    assert info.value.code == "signature_invalid"
    with pytest.raises(VerificationError):
        key.public_key.verify(b"hello", signature[:-1])


def test_es256_verify_refuses_der_signatures() -> None:
    private = ec.generate_private_key(ec.SECP256R1())
    der = private.sign(b"data", ec.ECDSA(hashes.SHA256()))
    public = PublicKey(private.public_key())
    with pytest.raises(VerificationError):
        public.verify(b"data", der)
    public.verify(b"data", ecdsa_der_to_raw(der))


def test_ecdsa_der_to_raw_refuses_garbage() -> None:
    with pytest.raises(KeyFormatError):
        ecdsa_der_to_raw(b"\x01\x02")
    with pytest.raises(KeyFormatError):
        ecdsa_der_to_raw(encode_dss_signature(2**300, 1))


def test_ps256_verification_uses_pss() -> None:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
    signature = private.sign(b"data", pss, hashes.SHA256())
    public = PublicKey(private.public_key())
    public.verify(b"data", signature, algorithm="PS256")
    with pytest.raises(VerificationError):
        public.verify(b"data", signature, algorithm="RS256")


def test_verify_refuses_an_algorithm_of_another_key_type() -> None:
    key = KeyPair.generate("Ed25519")
    with pytest.raises(KeyFormatError) as info:
        key.public_key.verify(b"x", key.sign(b"x"), algorithm="ES256")
    assert info.value.code == "key_algorithm_mismatch"


def test_keypair_is_a_signer_and_a_kms_like_class_is_too() -> None:
    class KmsSigner:
        algorithm = "ES256"
        key_type = "P-256"
        verification_method = "did:web:hs.example#key-1"

        def public_jwk(self) -> dict[str, Any]:
            return {}

        def sign(self, data: bytes) -> bytes:
            return b""

    assert isinstance(KeyPair.generate(), Signer)
    assert isinstance(KmsSigner(), Signer)
    assert not isinstance(object(), Signer)


def test_with_verification_method_returns_a_copy() -> None:
    key = KeyPair.generate()
    named = key.with_verification_method("did:web:hs.example#key-1")
    assert key.verification_method is None
    assert named.verification_method == "did:web:hs.example#key-1"
    assert named.public_key == key.public_key
    with pytest.raises(KeyFormatError):
        key.with_verification_method("")


def test_public_keys_compare_by_value_and_repr_hides_secrets() -> None:
    key = KeyPair.generate("P-256")
    same = PublicKey.from_jwk(copy.deepcopy(key.to_jwk()))
    assert same == key.public_key and hash(same) == hash(key.public_key)
    assert key.public_key != KeyPair.generate("P-256").public_key
    assert key.to_jwk(private=True)["d"] not in repr(key)
