"""Multibase / base58btc / base64url / multicodec: vectors, round trips and strictness."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mcbadge._internal.multibase import (
    ED25519_PRIV,
    ED25519_PUB,
    P256_PRIV,
    P256_PUB,
    base58btc_decode,
    base58btc_encode,
    base64url_decode,
    base64url_encode,
    multibase_decode,
    multibase_encode,
    multicodec_unwrap,
    multicodec_wrap,
    varint_decode,
    varint_encode,
)
from mcbadge.errors import InvalidInputError
from tests.conftest import load_reference_json

# Test vectors of the IETF base58 draft (draft-msporny-base58), plus edge cases.
BASE58_VECTORS = [
    (b"", ""),
    (b"\x00", "1"),
    (b"\x00\x00\x00", "111"),
    (b"\x00\x00\x01", "112"),
    (b"\x3a", "21"),
    (b"Hello World!", "2NEpo7TZRRrLZSi2U"),
    (
        b"The quick brown fox jumps over the lazy dog.",
        "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z",
    ),
    (bytes.fromhex("0000287fb4cd"), "11233QC4"),
]


@pytest.mark.parametrize(("raw", "text"), BASE58_VECTORS)
def test_base58btc_matches_published_vectors(raw: bytes, text: str) -> None:
    assert base58btc_encode(raw) == text
    assert base58btc_decode(text) == raw


@given(st.binary(max_size=200), st.integers(min_value=0, max_value=4))
def test_base58btc_round_trips_with_leading_zeros(data: bytes, zeros: int) -> None:
    raw = b"\x00" * zeros + data
    encoded = base58btc_encode(raw)
    assert base58btc_decode(encoded) == raw
    # Exactly one '1' per leading zero byte.
    assert len(encoded) - len(encoded.lstrip("1")) == len(raw) - len(raw.lstrip(b"\x00"))


@pytest.mark.parametrize("bad", ["0", "O", "I", "l", "abc+", "z z", "é", "2NEpo7TZRRrLZSi2U\n"])
def test_base58btc_rejects_characters_outside_the_alphabet(bad: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        base58btc_decode(bad)
    assert info.value.code == "invalid_encoding"


def test_base58btc_rejects_non_str_and_non_bytes() -> None:
    with pytest.raises(InvalidInputError):
        base58btc_decode(b"abc")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        base58btc_encode("abc")  # type: ignore[arg-type]


@given(st.binary(max_size=100))
def test_base64url_round_trips_without_padding(data: bytes) -> None:
    encoded = base64url_encode(data)
    assert "=" not in encoded and "+" not in encoded and "/" not in encoded
    assert base64url_decode(encoded) == data


@pytest.mark.parametrize(
    ("bad", "why"),
    [
        ("YQ==", "padding"),
        ("a+b/", "standard base64 alphabet"),
        ("abcde", "length 1 mod 4 is impossible"),
        ("AB", "non-canonical: unused trailing bits set"),
        ("YR", "non-canonical: decodes like 'YQ'"),
        ("ab cd", "whitespace"),
        ("ü", "non-ASCII"),
    ],
)
def test_base64url_decode_is_strict(bad: str, why: str) -> None:
    with pytest.raises(InvalidInputError):
        base64url_decode(bad)


def test_multibase_prefixes() -> None:
    assert multibase_encode(b"hello", "base58btc") == "zCn8eVZg"
    assert multibase_encode(b"hello", "base64url") == "uaGVsbG8"
    assert multibase_decode("zCn8eVZg") == b"hello"
    assert multibase_decode("uaGVsbG8") == b"hello"


@pytest.mark.parametrize("bad", ["", "fabcd", "mAAAA", "Zabc", "z0"])
def test_multibase_rejects_unknown_prefix_or_body(bad: str) -> None:
    with pytest.raises(InvalidInputError):
        multibase_decode(bad)


def test_multibase_encode_rejects_unknown_base() -> None:
    with pytest.raises(InvalidInputError):
        multibase_encode(b"x", "base32")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("code", "varint_hex"),
    [(ED25519_PUB, "ed01"), (ED25519_PRIV, "8026"), (P256_PUB, "8024"), (P256_PRIV, "8626")],
)
def test_multicodec_varints_of_the_key_codecs(code: int, varint_hex: str) -> None:
    assert varint_encode(code).hex() == varint_hex
    assert varint_decode(bytes.fromhex(varint_hex) + b"rest") == (code, 2)
    assert multicodec_unwrap(multicodec_wrap(code, b"key")) == (code, b"key")


@given(st.integers(min_value=0, max_value=2**63 - 1))
def test_varint_round_trips(value: int) -> None:
    encoded = varint_encode(value)
    assert varint_decode(encoded) == (value, len(encoded))


@pytest.mark.parametrize("bad", ["80", "8000", "ed81", "ffffffffffffffffff01"])
def test_varint_rejects_truncated_non_minimal_and_overlong(bad: str) -> None:
    with pytest.raises(InvalidInputError):
        varint_decode(bytes.fromhex(bad))


def test_varint_rejects_negative() -> None:
    with pytest.raises(InvalidInputError):
        varint_encode(-1)


def test_w3c_vc_di_eddsa_key_pair_multibase_round_trips() -> None:
    pair = load_reference_json("vectors", "vc-di-eddsa", "keyPair.json")
    public = multibase_decode(pair["publicKeyMultibase"])
    code, raw = multicodec_unwrap(public)
    assert (code, len(raw)) == (ED25519_PUB, 32)
    assert multibase_encode(multicodec_wrap(code, raw)) == pair["publicKeyMultibase"]
    secret_code, seed = multicodec_unwrap(multibase_decode(pair["privateKeyMultibase"]))
    assert (secret_code, len(seed)) == (ED25519_PRIV, 32)
    assert multibase_encode(multicodec_wrap(ED25519_PRIV, seed)) == pair["privateKeyMultibase"]


def test_ob3_vector_multibase_values_match_their_hex() -> None:
    vector = load_reference_json("ob3", "test-vectors", "ob_eddsa-rdfc-2022_test-vector.json")
    code, raw = multicodec_unwrap(multibase_decode(vector["publicKeyMultibase"]))
    assert code == ED25519_PUB
    assert raw.hex() == vector["publicKeyHex"]
    secret_code, secret = multicodec_unwrap(multibase_decode(vector["secretKeyMultibase"]))
    assert secret_code == ED25519_PRIV
    assert secret.hex() == vector["privateKeyHex_seed32_plus_public32"]
    assert multibase_encode(multicodec_wrap(ED25519_PRIV, secret)) == vector["secretKeyMultibase"]
