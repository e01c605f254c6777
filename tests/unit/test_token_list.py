"""The IETF Token Status List: encoding (spec vectors), allocation, tokens, checking, bombs."""

from __future__ import annotations

import zlib
from datetime import UTC, datetime, timedelta

import pytest

from mcbadge._internal.jws import parse_compact, sign_compact
from mcbadge._internal.multibase import base64url_encode
from mcbadge.errors import StatusListError
from mcbadge.keys import KeyPair
from mcbadge.status.token_list import (
    MemoryTokenStatusStore,
    StatusReference,
    TokenStatusChecker,
    TokenStatusList,
    TokenStatusRegistry,
    status_list_token,
)

URI = "https://hs.nl/status/1"
NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
KEY = KeyPair.generate("P-256").with_verification_method("https://hs.nl/keys#status")
OTHER = KeyPair.generate("P-256")


def test_one_bit_list_matches_the_drafts_example() -> None:
    # draft-ietf-oauth-status-list, "Status List in JSON Format", 1-bit example
    lst = TokenStatusList.create(16, bits=1)
    for index in (0, 3, 4, 5, 7, 8, 9, 13, 15):
        lst.revoke(index)
    assert lst.to_bytes() == bytes([0xB9, 0xA3])
    assert lst.to_json() == {"bits": 1, "lst": "eNrbuRgAAhcBXQ"}


def test_two_bit_list_matches_the_drafts_example() -> None:
    lst = TokenStatusList.create(12, bits=2)
    for index, value in {
        0: 1,
        1: 2,
        2: 0,
        3: 3,
        4: 0,
        5: 1,
        6: 0,
        7: 1,
        8: 1,
        9: 2,
        10: 3,
        11: 3,
    }.items():
        lst.set(index, value)
    assert lst.to_bytes() == bytes([0xC9, 0x44, 0xF9])
    assert lst.to_json() == {"bits": 2, "lst": "eNo76fITAAPfAgc"}


def test_list_round_trips_through_json() -> None:
    lst = TokenStatusList.create(1000, bits=4)
    lst.set(999, 15)
    lst.suspend(3)
    decoded = TokenStatusList.from_json(lst.to_json())
    assert decoded == lst and decoded.get(999) == 15 and decoded.get(3) == 2


def test_revocation_is_final() -> None:
    lst = TokenStatusList.create(8, bits=2)
    lst.revoke(1)
    with pytest.raises(StatusListError) as info:
        lst.reinstate(1)
    assert info.value.code == "status_revoked_final"


@pytest.mark.parametrize("bits", [0, 3, 16, True])
def test_only_1_2_4_8_bits(bits: int) -> None:
    with pytest.raises(StatusListError) as info:
        TokenStatusList.create(8, bits=bits)
    assert info.value.code == "status_list_bits_invalid"


def test_a_one_bit_list_cannot_suspend() -> None:
    with pytest.raises(StatusListError) as info:
        TokenStatusList.create(8).suspend(0)
    assert info.value.code == "status_value_invalid"


def test_a_zlib_bomb_is_refused_with_a_typed_error() -> None:
    bomb = base64url_encode(zlib.compress(bytes(64 * 1024 * 1024), 9))
    assert len(bomb) < 100_000
    with pytest.raises(StatusListError) as info:
        TokenStatusList.from_json({"bits": 1, "lst": bomb})
    assert info.value.code == "status_list_too_large"


def test_garbage_is_malformed() -> None:
    with pytest.raises(StatusListError) as info:
        TokenStatusList.from_json({"bits": 1, "lst": base64url_encode(b"not zlib")})
    assert info.value.code == "status_list_malformed"


def test_registry_allocates_distinct_random_indexes_until_full() -> None:
    registry = TokenStatusRegistry(URI, store=MemoryTokenStatusStore(), size=32)
    indexes = {registry.allocate().idx for _ in range(32)}
    assert indexes == set(range(32))
    with pytest.raises(StatusListError) as info:
        registry.allocate()
    assert info.value.code == "status_list_full"


def test_registry_refuses_to_set_an_unallocated_index() -> None:
    registry = TokenStatusRegistry(URI, size=32)
    with pytest.raises(StatusListError) as info:
        registry.revoke(5)
    assert info.value.code == "status_index_not_allocated"


def test_status_list_token_has_the_drafts_claims() -> None:
    registry = TokenStatusRegistry(URI, size=64, bits=2)
    ref = registry.allocate()
    registry.suspend(ref.idx)
    token = registry.token(KEY, issued_at=NOW, ttl=600)
    parsed = parse_compact(token, what="t", typ=("statuslist+jwt",), typ_code="x")
    assert parsed.header == {
        "alg": "ES256",
        "typ": "statuslist+jwt",
        "kid": "https://hs.nl/keys#status",
    }
    assert parsed.payload["sub"] == URI
    assert parsed.payload["iat"] == int(NOW.timestamp())
    assert parsed.payload["exp"] == int((NOW + timedelta(days=1)).timestamp())
    assert parsed.payload["ttl"] == 600
    assert TokenStatusList.from_json(parsed.payload["status_list"]).get(ref.idx) == 2
    assert ref.to_claim() == {"status_list": {"idx": ref.idx, "uri": URI}}


def _checker(token: str, **kwargs: object) -> TokenStatusChecker:
    return TokenStatusChecker(fetcher={URI: token}.__getitem__, clock=lambda: NOW, **kwargs)  # type: ignore[arg-type]


def _published(*revoked: int, **options: object) -> str:
    lst = TokenStatusList.create(64)
    for index in revoked:
        lst.revoke(index)
    return status_list_token(lst, KEY, uri=URI, issued_at=NOW, **options)  # type: ignore[arg-type]


def test_checker_reads_valid_and_revoked_entries() -> None:
    checker = _checker(_published(7))
    assert checker.check(StatusReference(7, URI), issuer_key=KEY.public_key).revoked
    result = checker.check({"status_list": {"idx": 8, "uri": URI}}, issuer_key=KEY.public_key)
    assert not result.is_set and result.label == "VALID"


def test_checker_is_offline_by_default() -> None:
    with pytest.raises(StatusListError) as info:
        TokenStatusChecker().check(StatusReference(1, URI), issuer_key=KEY.public_key)
    assert info.value.code == "status_unavailable"


def test_checker_refuses_a_token_signed_by_someone_else() -> None:
    lst = TokenStatusList.create(64)
    forged = status_list_token(lst, OTHER, uri=URI, issued_at=NOW)
    with pytest.raises(StatusListError) as info:
        _checker(forged).check(StatusReference(1, URI), issuer_key=KEY.public_key)
    assert info.value.code == "status_list_invalid_proof"


def test_checker_refuses_a_token_for_another_uri() -> None:
    lst = TokenStatusList.create(64)
    other = status_list_token(lst, KEY, uri="https://hs.nl/status/2", issued_at=NOW)
    with pytest.raises(StatusListError) as info:
        _checker(other).check(StatusReference(1, URI), issuer_key=KEY.public_key)
    assert info.value.code == "status_list_id_mismatch"


def test_checker_refuses_an_expired_token() -> None:
    old = status_list_token(
        TokenStatusList.create(64), KEY, uri=URI, issued_at=NOW - timedelta(days=3)
    )
    with pytest.raises(StatusListError) as info:
        _checker(old).check(StatusReference(1, URI), issuer_key=KEY.public_key)
    assert info.value.code == "status_list_expired"


def test_checker_refuses_the_wrong_typ() -> None:
    payload = {
        "sub": URI,
        "iat": int(NOW.timestamp()),
        "status_list": TokenStatusList.create(8).to_json(),
    }
    token = sign_compact({"typ": "JWT"}, payload, KEY)
    with pytest.raises(StatusListError) as info:
        _checker(token).check(StatusReference(1, URI), issuer_key=KEY.public_key)
    assert info.value.code == "status_list_typ_invalid"


def test_checker_refuses_an_index_outside_the_list() -> None:
    with pytest.raises(StatusListError) as info:
        _checker(_published()).check(StatusReference(64, URI), issuer_key=KEY.public_key)
    assert info.value.code == "status_index_out_of_range"


def test_checker_refuses_a_bomb_inside_a_signed_token() -> None:
    bomb = {"bits": 1, "lst": base64url_encode(zlib.compress(bytes(32 * 1024 * 1024), 9))}
    payload = {"sub": URI, "iat": int(NOW.timestamp()), "status_list": bomb}
    token = sign_compact({"typ": "statuslist+jwt"}, payload, KEY)
    checker = _checker(token, max_decompressed=1024 * 1024)
    with pytest.raises(StatusListError) as info:
        checker.check(StatusReference(1, URI), issuer_key=KEY.public_key)
    assert info.value.code == "status_list_too_large"


def test_checker_resolves_a_did_key_kid_of_the_issuer() -> None:
    issuer = KeyPair.generate("Ed25519")
    issuer = issuer.with_verification_method(issuer.did_key_verification_method)
    token = status_list_token(TokenStatusList.create(64), issuer, uri=URI, issued_at=NOW)
    result = _checker(token).check(StatusReference(2, URI), expected_issuer=issuer.did_key)
    assert not result.is_set
    with pytest.raises(StatusListError) as info:
        _checker(token).check(StatusReference(2, URI), expected_issuer="did:key:someone-else")
    assert info.value.code == "status_list_invalid_proof"
