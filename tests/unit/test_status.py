"""Bitstring Status List: the list, index allocation, publishing and checking (with its codes)."""

from __future__ import annotations

import base64
import copy
import gzip
import json
import os
import random
import socket
import subprocess
import sys
import textwrap
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcbadge.errors import InvalidInputError, StatusListError
from mcbadge.issue import issue
from mcbadge.keys import KeyPair
from mcbadge.status import (
    MIN_ENTRIES,
    BitstringStatusList,
    StatusChecker,
    StatusListAllocator,
    StatusResult,
    entry,
    status_list_credential,
)

LIST_URL = "https://hs-voorbeeld.example/status/1"
OTHER_LIST_URL = "https://hs-voorbeeld.example/status/2"
T0 = datetime(2025, 1, 1, tzinfo=UTC)
SPEC_EXAMPLE_ENCODED_LIST = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"
"""The all-zero 131,072-bit list from the Bitstring Status List spec's examples."""


def _gzip_encoded(raw: bytes) -> str:
    """Independent encoder for hand-made vectors: stdlib gzip + base64 (not mcbadge's code)."""
    return "u" + base64.urlsafe_b64encode(gzip.compress(raw, mtime=0)).decode().rstrip("=")


def _key(seed: int) -> KeyPair:
    pair = KeyPair.from_seed(bytes([seed]) * 32)
    return pair.with_verification_method(pair.did_key_verification_method)


class Clock:
    """A settable clock for the checker."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class CountingFetcher:
    """Serves documents by URL and counts the fetches."""

    def __init__(self, documents: dict[str, Any]) -> None:
        self.documents = documents
        self.calls: list[str] = []

    def __call__(self, url: str) -> Any:
        self.calls.append(url)
        return self.documents[url]


@pytest.fixture(scope="module")
def key() -> KeyPair:
    return _key(1)


@pytest.fixture(scope="module")
def other_key() -> KeyPair:
    return _key(2)


@pytest.fixture(scope="module")
def revocation_list() -> BitstringStatusList:
    status_list = BitstringStatusList.create(status_purpose="revocation")
    for index in (0, 42, 94567, MIN_ENTRIES - 1):
        status_list.revoke(index)
    return status_list


@pytest.fixture(scope="module")
def unsigned_list(key: KeyPair, revocation_list: BitstringStatusList) -> dict[str, Any]:
    return status_list_credential(
        revocation_list,
        id=LIST_URL,
        issuer=key.did_key,
        valid_from="2024-01-01T00:00:00Z",
        valid_until="2026-01-01T00:00:00Z",
    )


@pytest.fixture(scope="module")
def di_list(key: KeyPair, unsigned_list: dict[str, Any]) -> dict[str, Any]:
    return issue(unsigned_list, key, created="2024-01-01T00:00:00Z")


@pytest.fixture(scope="module")
def jwt_list(key: KeyPair, unsigned_list: dict[str, Any]) -> str:
    return issue(unsigned_list, key, format="jwt")


def _checker(document: Any, *, url: str = LIST_URL, **kwargs: Any) -> StatusChecker:
    kwargs.setdefault("clock", Clock(T0))
    return StatusChecker(fetcher=CountingFetcher({url: document}), **kwargs)


def _code(excinfo: pytest.ExceptionInfo[StatusListError]) -> str:
    return excinfo.value.code


# --------------------------------------------------------------------------- the bitstring


def test_create_defaults_to_the_spec_minimum_with_every_entry_zero() -> None:
    status_list = BitstringStatusList.create()
    assert len(status_list) == MIN_ENTRIES == 131072
    assert status_list.to_bytes() == bytes(16384)
    assert status_list.status_purpose == "revocation"
    assert status_list.nonzero_indexes() == []


def test_create_refuses_fewer_entries_than_the_spec_minimum() -> None:
    with pytest.raises(StatusListError, match="131072") as excinfo:
        BitstringStatusList.create(length=MIN_ENTRIES - 8)
    assert _code(excinfo) == "status_list_too_short"


@pytest.mark.parametrize(
    ("length", "status_size"), [(MIN_ENTRIES + 1, 1), (MIN_ENTRIES + 3, 2), (MIN_ENTRIES, 0)]
)
def test_create_refuses_lengths_and_sizes_that_cannot_round_trip(
    length: int, status_size: int
) -> None:
    with pytest.raises(StatusListError) as excinfo:
        BitstringStatusList.create(length=length, status_size=status_size)
    assert _code(excinfo) == "status_list_length_invalid"


def test_bit_order_index_zero_is_the_most_significant_bit_of_the_first_byte() -> None:
    # Spec §"Bitstring Encoding": index 0 is the left-most bit of the first byte, index
    # length-1 the right-most bit of the last byte. Vector worked out by hand:
    # indexes 0 and 7 -> first byte 1000_0001 = 0x81; index 8 -> second byte 1000_0000 = 0x80;
    # index 131071 -> last byte 0000_0001 = 0x01.
    status_list = BitstringStatusList.create()
    for index in (0, 7, 8, 131071):
        status_list.revoke(index)
    raw = status_list.to_bytes()
    assert raw[0] == 0x81
    assert raw[1] == 0x80
    assert raw[-1] == 0x01
    assert raw[2:-1] == bytes(len(raw) - 3)


def test_hand_made_bitstring_decodes_to_the_indexes_its_bits_mean() -> None:
    raw = bytearray(16384)
    raw[0] = 0b0100_0000  # index 1
    raw[2] = 0b0000_0001  # index 2*8 + 7 = 23
    raw[16383] = 0b1000_0000  # index 16383*8 = 131064
    decoded = BitstringStatusList.decode(_gzip_encoded(bytes(raw)))
    assert decoded.nonzero_indexes() == [1, 23, 131064]
    assert (decoded.get(0), decoded.get(1), decoded.get(22), decoded.get(23)) == (0, 1, 0, 1)


def test_multi_bit_entries_are_stored_most_significant_bit_first() -> None:
    status_list = BitstringStatusList.create(status_purpose="message", status_size=2)
    assert len(status_list) == MIN_ENTRIES and len(status_list.to_bytes()) == 32768
    status_list.set(0, 2)  # bits 0-1: 10
    status_list.set(1, 1)  # bits 2-3: 01
    status_list.set(3, 3)  # bits 6-7: 11
    assert status_list.to_bytes()[0] == 0b1001_0011
    assert [status_list.get(i) for i in range(5)] == [2, 1, 0, 3, 0]
    status_list.set(3, 0)
    assert status_list.to_bytes()[0] == 0b1001_0000
    assert status_list.nonzero_indexes() == [0, 1]


def test_spec_example_encoded_list_decodes_to_131072_unset_entries() -> None:
    decoded = BitstringStatusList.decode(SPEC_EXAMPLE_ENCODED_LIST)
    assert len(decoded) == 131072
    assert decoded.nonzero_indexes() == []


@settings(max_examples=60, deadline=None)
@given(indexes=st.sets(st.integers(min_value=0, max_value=MIN_ENTRIES - 1), max_size=40))
def test_encode_decode_round_trip_keeps_exactly_the_set_indexes(indexes: set[int]) -> None:
    status_list = BitstringStatusList.create()
    for index in indexes:
        status_list.revoke(index)
    encoded = status_list.encode()
    assert encoded.startswith("u") and "=" not in encoded
    decoded = BitstringStatusList.decode(encoded, status_purpose="revocation")
    assert decoded.to_bytes() == status_list.to_bytes()
    assert decoded.nonzero_indexes() == sorted(indexes)
    # an independent decoder agrees (stdlib gzip + base64)
    body = encoded[1:]
    raw = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    assert raw == status_list.to_bytes()


def test_encoding_is_deterministic_with_a_zero_gzip_mtime() -> None:
    status_list = BitstringStatusList.create()
    status_list.revoke(5)
    first = status_list.encode()
    assert status_list.copy().encode() == first
    body = first[1:]
    header = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))[:10]
    assert header[:3] == b"\x1f\x8b\x08" and header[4:8] == b"\x00\x00\x00\x00"


def test_a_full_size_list_round_trips_through_encode_and_decode() -> None:
    # how fast this is belongs in `make bench` (benchmarks/guards.py), never in a test
    status_list = BitstringStatusList.create()
    rng = random.Random(7)
    revoked = sorted(rng.sample(range(MIN_ENTRIES), 5000))
    for index in revoked:
        status_list.revoke(index)
    decoded = BitstringStatusList.decode(status_list.encode())
    assert len(decoded) == MIN_ENTRIES
    assert decoded.to_bytes() == status_list.to_bytes()
    assert decoded.nonzero_indexes() == revoked
    assert decoded.encode() == status_list.encode()


def test_decode_refuses_a_list_shorter_than_the_minimum_unless_lowered_explicitly() -> None:
    encoded = _gzip_encoded(bytes(1024))  # 8192 entries
    with pytest.raises(StatusListError, match="8192 entries") as excinfo:
        BitstringStatusList.decode(encoded)
    assert _code(excinfo) == "status_list_too_short"
    assert len(BitstringStatusList.decode(encoded, min_entries=8192)) == 8192
    # with 2-bit entries a 16 KB list holds only 65,536 entries: too short as well
    with pytest.raises(StatusListError) as excinfo:
        BitstringStatusList.decode(SPEC_EXAMPLE_ENCODED_LIST, status_size=2)
    assert _code(excinfo) == "status_list_too_short"


def test_decode_stops_a_decompression_bomb_at_the_size_limit() -> None:
    compressor = zlib.compressobj(1, zlib.DEFLATED, 31)
    chunk = bytes(1 << 20)
    bomb = b"".join(compressor.compress(chunk) for _ in range(64)) + compressor.flush()
    assert len(bomb) < 400_000  # 64 MiB of zeros in a few hundred KB
    encoded = "u" + base64.urlsafe_b64encode(bomb).decode().rstrip("=")
    with pytest.raises(StatusListError, match="exceeds") as excinfo:
        BitstringStatusList.decode(encoded)
    assert _code(excinfo) == "status_list_too_large"
    with pytest.raises(StatusListError) as excinfo:
        BitstringStatusList.decode(SPEC_EXAMPLE_ENCODED_LIST, max_decoded_bytes=16383)
    assert _code(excinfo) == "status_list_too_large"


def test_decode_reads_concatenated_gzip_members_as_one_bitstring() -> None:
    half = gzip.compress(bytes(8192), mtime=0)
    encoded = "u" + base64.urlsafe_b64encode(half + half).decode().rstrip("=")
    assert len(BitstringStatusList.decode(encoded)) == MIN_ENTRIES


@pytest.mark.parametrize(
    "encoded",
    [
        "",
        SPEC_EXAMPLE_ENCODED_LIST[1:],  # no multibase prefix
        "z" + SPEC_EXAMPLE_ENCODED_LIST[1:],  # base58btc prefix
        SPEC_EXAMPLE_ENCODED_LIST + "==",  # padding
        "u" + base64.urlsafe_b64encode(b"not gzip at all").decode().rstrip("="),
        SPEC_EXAMPLE_ENCODED_LIST[:-8],  # truncated GZIP
        "u",
    ],
)
def test_decode_refuses_malformed_encoded_lists(encoded: str) -> None:
    with pytest.raises(StatusListError) as excinfo:
        BitstringStatusList.decode(encoded)
    assert _code(excinfo) == "status_list_malformed"


def test_revoke_suspend_and_reinstate_follow_the_list_purpose() -> None:
    revocations = BitstringStatusList.create(status_purpose="revocation")
    revocations.revoke(3)
    assert revocations.get(3) == 1
    with pytest.raises(StatusListError) as excinfo:
        revocations.reinstate(3)
    assert _code(excinfo) == "status_not_reversible"
    with pytest.raises(StatusListError) as excinfo:
        revocations.suspend(4)
    assert _code(excinfo) == "status_purpose_mismatch"

    suspensions = BitstringStatusList.create(status_purpose="suspension")
    suspensions.suspend(9)
    assert suspensions.get(9) == 1
    suspensions.reinstate(9)
    assert suspensions.get(9) == 0
    with pytest.raises(StatusListError) as excinfo:
        suspensions.revoke(9)
    assert _code(excinfo) == "status_purpose_mismatch"


@pytest.mark.parametrize("index", [-1, MIN_ENTRIES, True, "3"])
def test_reading_or_writing_outside_the_list_is_refused(index: Any) -> None:
    status_list = BitstringStatusList.create()
    for operation in (status_list.get, status_list.revoke):
        with pytest.raises(StatusListError) as excinfo:
            operation(index)
        assert _code(excinfo) == "status_index_out_of_range"


@pytest.mark.parametrize("value", [2, -1, "1", 1.0])
def test_a_value_that_does_not_fit_the_status_size_is_refused(value: Any) -> None:
    with pytest.raises(StatusListError) as excinfo:
        BitstringStatusList.create().set(0, value)
    assert _code(excinfo) == "status_value_out_of_range"


def test_copy_is_independent_of_the_original() -> None:
    original = BitstringStatusList.create()
    duplicate = original.copy()
    duplicate.revoke(1)
    assert original.get(1) == 0 and duplicate.get(1) == 1
    assert original != duplicate


# --------------------------------------------------------------------------- allocation


def test_allocator_hands_out_every_index_once_then_reports_exhaustion() -> None:
    allocator = StatusListAllocator(length=1000)
    drawn = [allocator.allocate() for _ in range(1000)]
    assert sorted(drawn) == list(range(1000))
    assert allocator.remaining == 0 and allocator.allocated_count == 1000
    with pytest.raises(StatusListError, match="full") as excinfo:
        allocator.allocate()
    assert _code(excinfo) == "status_list_exhausted"


def test_allocator_order_is_not_sequential() -> None:
    allocator = StatusListAllocator()
    drawn = [allocator.allocate() for _ in range(50)]
    assert drawn != sorted(drawn)
    assert max(drawn) > MIN_ENTRIES // 2  # spread over the whole list, not clustered at 0


def test_allocator_draws_uniformly_among_free_indexes_in_both_phases() -> None:
    # Sparse phase: the first draw of a fresh 8-slot allocator. 16,000 trials: 2,000 expected
    # per slot, standard deviation ~42; a 300 band makes a false failure (>7 sigma) negligible.
    first = Counter(StatusListAllocator(length=8).allocate() for _ in range(16000))
    assert set(first) == set(range(8))
    assert all(abs(count - 2000) < 300 for count in first.values()), first
    # Dense phase (more than half taken): only the free slots 5, 6, 7 are drawn, uniformly.
    dense: Counter[int] = Counter()
    for _ in range(6000):
        allocator = StatusListAllocator(length=8)
        for taken in range(5):
            allocator.mark_allocated(taken)
        dense[allocator.allocate()] += 1
    assert set(dense) == {5, 6, 7}
    assert all(abs(count - 2000) < 300 for count in dense.values()), dense


def test_allocate_many_is_all_or_nothing() -> None:
    allocator = StatusListAllocator(length=10)
    batch = allocator.allocate_many(7)
    assert len(set(batch)) == 7
    with pytest.raises(StatusListError) as excinfo:
        allocator.allocate_many(4)
    assert _code(excinfo) == "status_list_exhausted"
    assert allocator.allocated_count == 7
    assert sorted(batch + allocator.allocate_many(3)) == list(range(10))


def test_mark_allocated_refuses_an_index_already_taken() -> None:
    allocator = StatusListAllocator(length=16)
    allocator.mark_allocated(3)
    with pytest.raises(StatusListError) as excinfo:
        allocator.mark_allocated(3)
    assert _code(excinfo) == "status_index_reused"
    assert 3 not in allocator.allocate_many(15)


def test_allocator_state_round_trips_and_a_resumed_allocator_never_reuses() -> None:
    allocator = StatusListAllocator(length=1000, list_url=LIST_URL)
    before = set(allocator.allocate_many(600))  # past half: the dense phase
    state = allocator.to_json()
    assert len(state) < 1000  # a compressed bitmap, not a list of numbers
    resumed = StatusListAllocator.from_json(state)
    assert (resumed.length, resumed.list_url, resumed.allocated_count) == (1000, LIST_URL, 600)
    after = set(resumed.allocate_many(400))
    assert not before & after
    assert before | after == set(range(1000))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(st.tuples(st.integers(0, 9), st.booleans()), min_size=1, max_size=12))
def test_any_sequence_of_allocations_and_reloads_never_reuses_an_index(
    steps: list[tuple[int, bool]],
) -> None:
    allocator = StatusListAllocator(length=64)
    issued: list[int] = []
    for count, reload in steps:
        count = min(count, allocator.remaining)
        issued += allocator.allocate_many(count)
        if reload:
            allocator = StatusListAllocator.from_json(allocator.to_json())
    assert len(issued) == len(set(issued)) == allocator.allocated_count
    assert all(allocator.is_allocated(index) for index in issued)


@pytest.mark.parametrize(
    "damage",
    [
        lambda s: "not json",
        lambda s: json.dumps([1, 2]),
        lambda s: json.dumps({**s, "type": "other"}),
        lambda s: json.dumps({**s, "version": 2}),
        lambda s: json.dumps({**s, "allocated": s["allocated"] + 1}),
        lambda s: json.dumps({**s, "length": 0}),
        lambda s: json.dumps({**s, "bitmap": "uAAAA"}),
        lambda s: json.dumps({**s, "length": 24}),  # the bitmap has 2 bytes, not 3
        lambda s: json.dumps({**s, "length": 4}),  # the bitmap has 2 bytes, not 1
        lambda s: json.dumps({**s, "listUrl": 5}),
    ],
)
def test_a_damaged_allocator_state_is_refused(damage: Callable[[dict[str, Any]], str]) -> None:
    allocator = StatusListAllocator(length=12)
    allocator.allocate_many(5)
    state = json.loads(allocator.to_json())
    with pytest.raises(StatusListError) as excinfo:
        StatusListAllocator.from_json(damage(state))
    assert _code(excinfo) == "allocator_state_invalid"


def test_allocator_state_marking_indexes_beyond_length_is_refused() -> None:
    state = json.loads(StatusListAllocator(length=12).to_json())
    bitmap = bytes([0, 0b0000_1000])  # bit 12: one past the last index (11)
    state.update(bitmap=_gzip_encoded(bitmap), allocated=1)
    with pytest.raises(StatusListError, match="beyond") as excinfo:
        StatusListAllocator.from_json(state)
    assert _code(excinfo) == "allocator_state_invalid"


def test_allocator_save_replaces_the_state_file_atomically(tmp_path: Path) -> None:
    path = tmp_path / "status-1.allocator.json"
    with pytest.raises(StatusListError) as excinfo:
        StatusListAllocator.load(path)
    assert _code(excinfo) == "allocator_state_missing"
    allocator = StatusListAllocator(length=100, list_url=LIST_URL)
    first = allocator.allocate()
    allocator.save(path)
    allocator.allocate()
    allocator.save(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no temp file left
    loaded = StatusListAllocator.load(path)
    assert loaded.allocated_count == 2 and loaded.is_allocated(first)
    with pytest.raises(StatusListError) as excinfo:
        allocator.save(tmp_path / "missing-dir" / "state.json")
    assert _code(excinfo) == "allocator_state_unwritable"


_CRASHING_ISSUER = textwrap.dedent(
    """
    import os, sys, time
    from mcbadge.errors import StatusListError
    from mcbadge.status import StatusListAllocator
    state, log, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    try:
        allocator = StatusListAllocator.load(state)
    except StatusListError as exc:
        if exc.code != "allocator_state_missing":
            raise
        allocator = StatusListAllocator(length=64)
    print("ready", flush=True)
    with open(log, "a", encoding="utf-8") as issued:
        for _ in range(count):
            index = allocator.allocate()
            allocator.save(state)                     # persist BEFORE the index is used
            issued.write(f"{index}\\n")                # "issue" the credential
            issued.flush()
            os.fsync(issued.fileno())
    time.sleep(60)                                    # wait to be killed
    """
)


@pytest.mark.skipif(os.name != "posix", reason="needs SIGKILL")
def test_allocator_survives_kill_9_without_ever_reusing_an_index(tmp_path: Path) -> None:
    state, log = tmp_path / "allocator.json", tmp_path / "issued.log"
    rng = random.Random(20250101)
    for _ in range(6):
        child = subprocess.Popen(
            [sys.executable, "-c", _CRASHING_ISSUER, str(state), str(log), "8"],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "ready"
            time.sleep(rng.uniform(0.0, 0.03))  # kill at an arbitrary point of the loop
        finally:
            child.kill()  # SIGKILL: no cleanup, no atexit
            child.wait(timeout=10)
            if child.stdout is not None:
                child.stdout.close()
    issued = [int(line) for line in log.read_text(encoding="utf-8").split()]
    assert len(issued) == len(set(issued)), "an index was issued twice"
    resumed = StatusListAllocator.load(state)
    assert all(resumed.is_allocated(index) for index in issued)
    rest = resumed.allocate_many(resumed.remaining)
    assert not set(rest) & set(issued)
    assert len(set(rest) | set(issued)) == len(rest) + len(issued)


# --------------------------------------------------------------------------- documents


def test_entry_has_the_spec_fields_with_a_string_index() -> None:
    assert entry(94567, list_url=LIST_URL) == {
        "id": f"{LIST_URL}#94567",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "94567",
        "statusListCredential": LIST_URL,
    }
    assert entry(1, list_url=LIST_URL, purpose="suspension")["statusPurpose"] == "suspension"


def test_message_entries_list_every_status_value_in_hex() -> None:
    messages = {0: "pending_review", 1: "accepted", 2: "rejected", 3: "undefined"}
    made = entry(
        7,
        list_url=LIST_URL,
        purpose="message",
        status_size=2,
        status_messages=messages,
        status_reference="https://hs-voorbeeld.example/status-dictionary/",
    )
    assert made["statusSize"] == 2
    assert made["statusMessage"] == [
        {"status": "0x0", "message": "pending_review"},
        {"status": "0x1", "message": "accepted"},
        {"status": "0x2", "message": "rejected"},
        {"status": "0x3", "message": "undefined"},
    ]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"index": -1},
        {"index": "7"},
        {"list_url": "status/1"},
        {"purpose": ""},
        {"status_size": 2},  # messages missing
        {"status_size": 2, "status_messages": {0: "a", 1: "b"}},  # too few
        {"entry_id": LIST_URL},  # the entry id must not be the list URL
    ],
)
def test_entry_refuses_invalid_arguments(kwargs: dict[str, Any]) -> None:
    args: dict[str, Any] = {"index": 7, "list_url": LIST_URL, **kwargs}
    index = args.pop("index")
    with pytest.raises(StatusListError) as excinfo:
        entry(index, **args)
    assert _code(excinfo) in {"status_entry_invalid", "status_list_length_invalid"}


def test_status_list_credential_has_the_spec_shape_and_does_not_touch_its_inputs(
    revocation_list: BitstringStatusList,
) -> None:
    issuer = {"id": "did:web:hs-voorbeeld.example", "type": ["Profile"], "name": "HS"}
    original = copy.deepcopy(issuer)
    credential = status_list_credential(
        revocation_list,
        id=LIST_URL,
        issuer=issuer,
        valid_from=datetime(2025, 1, 1, tzinfo=UTC),
        valid_until="2025-07-01T00:00:00Z",
        ttl=60000,
    )
    assert credential["@context"] == ["https://www.w3.org/ns/credentials/v2"]
    assert credential["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert credential["validFrom"] == "2025-01-01T00:00:00Z"
    assert credential["validUntil"] == "2025-07-01T00:00:00Z"
    subject = credential["credentialSubject"]
    assert subject["id"] == f"{LIST_URL}#list"
    assert subject["type"] == "BitstringStatusList"
    assert subject["statusPurpose"] == "revocation"
    assert subject["ttl"] == 60000
    assert BitstringStatusList.decode(subject["encodedList"]) == BitstringStatusList(
        revocation_list.to_bytes()
    )
    credential["issuer"]["name"] = "changed"
    assert issuer == original


def test_status_list_credential_refuses_an_end_before_its_start(
    revocation_list: BitstringStatusList,
) -> None:
    with pytest.raises(InvalidInputError, match="after valid_from"):
        status_list_credential(
            revocation_list,
            id=LIST_URL,
            issuer="did:web:hs-voorbeeld.example",
            valid_from="2025-01-01T00:00:00Z",
            valid_until="2024-01-01T00:00:00Z",
        )


# --------------------------------------------------------------------------- checking


@pytest.mark.parametrize("form", ["di", "jwt", "di_bytes", "jwt_bytes"])
def test_checker_reads_revoked_and_active_entries_from_a_signed_list(
    form: str, key: KeyPair, di_list: dict[str, Any], jwt_list: str
) -> None:
    document: Any = {
        "di": di_list,
        "jwt": jwt_list,
        "di_bytes": json.dumps(di_list).encode(),
        "jwt_bytes": jwt_list.encode() + b"\n",
    }[form]
    checker = _checker(document)
    revoked = checker.check(entry(94567, list_url=LIST_URL), expected_issuer=key.did_key)
    assert revoked.revoked and revoked.is_set and not revoked.valid
    assert (revoked.index, revoked.value, revoked.message) == (94567, 1, "set")
    assert revoked.list_issuer == key.did_key and revoked.list_verified
    assert revoked.checked_at == T0 and not revoked.from_cache
    active = checker.check(entry(94566, list_url=LIST_URL), expected_issuer=key.did_key)
    assert not active.revoked and active.valid and active.message == "unset"
    assert active.from_cache
    for edge in (0, MIN_ENTRIES - 1):
        assert checker.check(entry(edge, list_url=LIST_URL)).revoked


def test_check_credential_checks_every_entry_against_the_credentials_issuer(
    key: KeyPair, di_list: dict[str, Any]
) -> None:
    credential = {
        "id": "urn:uuid:5f0e0c3a-1f7b-4c4e-9a8e-1d2b3c4d5e6f",
        "issuer": {"id": key.did_key, "type": ["Profile"]},
        "credentialStatus": [entry(42, list_url=LIST_URL), entry(43, list_url=LIST_URL)],
    }
    results = _checker(di_list).check_credential(credential)
    assert [r.revoked for r in results] == [True, False]
    assert results[0].to_dict()["listIssuer"] == key.did_key
    assert _checker(di_list).check_credential({"issuer": key.did_key}) == []


def test_a_tampered_status_list_fails_its_proof(key: KeyPair, di_list: dict[str, Any]) -> None:
    forged = copy.deepcopy(di_list)
    forged["credentialSubject"]["encodedList"] = BitstringStatusList.create().encode()
    with pytest.raises(StatusListError, match="does not verify") as excinfo:
        _checker(forged).check(entry(94567, list_url=LIST_URL))
    assert _code(excinfo) == "status_list_invalid_proof"


def test_a_tampered_jwt_status_list_fails_its_signature(jwt_list: str) -> None:
    header, payload, signature = jwt_list.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["credentialSubject"]["encodedList"] = BitstringStatusList.create().encode()
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    with pytest.raises(StatusListError) as excinfo:
        _checker(f"{header}.{forged_payload}.{signature}").check(entry(1, list_url=LIST_URL))
    assert _code(excinfo) == "status_list_invalid_proof"


def test_an_unsigned_status_list_is_not_trusted(unsigned_list: dict[str, Any]) -> None:
    with pytest.raises(StatusListError, match="no proof") as excinfo:
        _checker(unsigned_list).check(entry(1, list_url=LIST_URL))
    assert _code(excinfo) == "status_list_invalid_proof"


def test_a_list_signed_by_a_key_not_of_its_issuer_is_refused(
    key: KeyPair, other_key: KeyPair, unsigned_list: dict[str, Any]
) -> None:
    # claims to be key's list, but other_key signed it (a valid signature by the wrong key)
    impostor = issue(
        unsigned_list, other_key, created="2024-01-01T00:00:00Z", allow_foreign_key=True
    )
    with pytest.raises(StatusListError, match="not a key of its issuer") as excinfo:
        _checker(impostor).check(entry(1, list_url=LIST_URL), expected_issuer=key.did_key)
    assert _code(excinfo) == "status_list_invalid_proof"
    impostor_jwt = issue(unsigned_list, other_key, format="jwt", allow_foreign_key=True)
    with pytest.raises(StatusListError) as excinfo:
        _checker(impostor_jwt).check(entry(1, list_url=LIST_URL))
    assert _code(excinfo) == "status_list_invalid_proof"


def test_a_jwt_list_keyed_only_by_header_jwk_must_be_its_issuers_did_key(
    key: KeyPair, revocation_list: BitstringStatusList
) -> None:
    own = status_list_credential(
        revocation_list, id=LIST_URL, issuer=key.did_key, valid_from="2024-01-01T00:00:00Z"
    )
    token = issue(own, key, format="jwt", embed_jwk=True)
    assert _checker(token).check(entry(42, list_url=LIST_URL)).revoked
    foreign = status_list_credential(
        revocation_list,
        id=LIST_URL,
        issuer="https://hs-voorbeeld.example",
        valid_from="2024-01-01T00:00:00Z",
    )
    with pytest.raises(StatusListError, match="header jwk") as excinfo:
        _checker(issue(foreign, key, format="jwt", embed_jwk=True, allow_foreign_key=True)).check(
            entry(42, list_url=LIST_URL)
        )
    assert _code(excinfo) == "status_list_invalid_proof"


def test_a_status_list_issued_by_someone_else_fails(
    other_key: KeyPair, revocation_list: BitstringStatusList, key: KeyPair
) -> None:
    their_list = issue(
        status_list_credential(
            revocation_list,
            id=LIST_URL,
            issuer=other_key.did_key,
            valid_from="2024-01-01T00:00:00Z",
        ),
        other_key,
        created="2024-01-01T00:00:00Z",
    )
    with pytest.raises(StatusListError, match="not by the credential's issuer") as excinfo:
        _checker(their_list).check(entry(42, list_url=LIST_URL), expected_issuer=key.did_key)
    assert _code(excinfo) == "status_list_issuer_mismatch"
    credential = {"issuer": key.did_key, "credentialStatus": entry(42, list_url=LIST_URL)}
    with pytest.raises(StatusListError) as excinfo:
        _checker(their_list).check_credential(credential)
    assert _code(excinfo) == "status_list_issuer_mismatch"


def test_status_purpose_must_match_the_list(di_list: dict[str, Any]) -> None:
    with pytest.raises(StatusListError, match="'suspension'") as excinfo:
        _checker(di_list).check(entry(42, list_url=LIST_URL, purpose="suspension"))
    assert _code(excinfo) == "status_purpose_mismatch"


def test_a_list_with_several_purposes_answers_each_of_them(key: KeyPair) -> None:
    credential = status_list_credential(
        BitstringStatusList.create(),
        id=LIST_URL,
        issuer=key.did_key,
        valid_from="2024-01-01T00:00:00Z",
    )
    credential["credentialSubject"]["statusPurpose"] = ["revocation", "suspension"]
    signed = issue(credential, key, created="2024-01-01T00:00:00Z")
    result = _checker(signed).check(entry(3, list_url=LIST_URL, purpose="suspension"))
    assert result.purpose == "suspension" and not result.suspended


@pytest.mark.parametrize(
    ("now", "code"),
    [
        (datetime(2026, 1, 1, 0, 0, 1, tzinfo=UTC), "status_list_expired"),
        (datetime(2023, 12, 31, 23, 59, 59, tzinfo=UTC), "status_list_not_yet_valid"),
    ],
)
def test_a_list_outside_its_validity_period_is_refused(
    di_list: dict[str, Any], now: datetime, code: str
) -> None:
    with pytest.raises(StatusListError) as excinfo:
        _checker(di_list, clock=Clock(now)).check(entry(42, list_url=LIST_URL))
    assert _code(excinfo) == code
    # leeway absorbs small clock skew
    lenient = _checker(di_list, clock=Clock(now), leeway=timedelta(seconds=5))
    assert lenient.check(entry(42, list_url=LIST_URL)).revoked


def test_an_index_past_the_end_of_the_list_is_out_of_range(di_list: dict[str, Any]) -> None:
    with pytest.raises(StatusListError, match="131072") as excinfo:
        _checker(di_list).check(entry(MIN_ENTRIES, list_url=LIST_URL))
    assert _code(excinfo) == "status_index_out_of_range"


def test_a_signed_list_shorter_than_the_minimum_is_refused(key: KeyPair) -> None:
    short = BitstringStatusList(bytes(1024), status_purpose="revocation")  # 8192 entries
    signed = issue(
        status_list_credential(
            short, id=LIST_URL, issuer=key.did_key, valid_from="2024-01-01T00:00:00Z"
        ),
        key,
        created="2024-01-01T00:00:00Z",
    )
    with pytest.raises(StatusListError, match="at least 131072") as excinfo:
        _checker(signed).check(entry(1, list_url=LIST_URL))
    assert _code(excinfo) == "status_list_too_short"


def test_a_list_published_for_another_url_is_refused(di_list: dict[str, Any]) -> None:
    # a valid list of the same issuer served at another list's URL (a substituted list)
    with pytest.raises(StatusListError, match="another URL") as excinfo:
        _checker(di_list, url=OTHER_LIST_URL).check(entry(42, list_url=OTHER_LIST_URL))
    assert _code(excinfo) == "status_list_id_mismatch"


@pytest.mark.parametrize(
    "change",
    [
        {"statusListIndex": 42},
        {"statusListIndex": "-1"},
        {"statusListIndex": "4 2"},
        {"statusListIndex": "0x2a"},
        {"statusPurpose": None},
        {"statusListCredential": None},
        {"id": LIST_URL},
        {"statusSize": 2},
        {"statusSize": 0},
        {"statusSize": 1, "statusMessage": [{"status": "1", "message": "x"}] * 2},
    ],
)
def test_a_malformed_entry_is_refused_before_any_fetch(change: dict[str, Any]) -> None:
    fetcher = CountingFetcher({})
    broken = {**entry(42, list_url=LIST_URL), **change}
    with pytest.raises(StatusListError) as excinfo:
        StatusChecker(fetcher=fetcher).check(broken)
    assert _code(excinfo) == "status_entry_invalid"
    assert fetcher.calls == []


def test_an_unknown_status_type_is_refused() -> None:
    with pytest.raises(StatusListError, match="StatusList2021Entry") as excinfo:
        StatusChecker().check({"type": "StatusList2021Entry", "statusListIndex": "1"})
    assert _code(excinfo) == "status_type_unsupported"


def test_message_lists_report_the_status_message(key: KeyPair) -> None:
    status_list = BitstringStatusList.create(status_purpose="message", status_size=2)
    status_list.set(11, 2)
    signed = issue(
        status_list_credential(
            status_list, id=LIST_URL, issuer=key.did_key, valid_from="2024-01-01T00:00:00Z"
        ),
        key,
        created="2024-01-01T00:00:00Z",
    )
    status = entry(
        11,
        list_url=LIST_URL,
        purpose="message",
        status_size=2,
        status_messages={0: "pending_review", 1: "accepted", 2: "rejected", 3: "undefined"},
    )
    result = _checker(signed).check(status)
    assert (result.value, result.message, result.is_set) == (2, "rejected", True)
    assert not result.revoked and not result.suspended


def test_a_verified_list_is_cached_for_its_ttl_by_the_injected_clock(
    di_list: dict[str, Any],
) -> None:
    clock = Clock(T0)
    fetcher = CountingFetcher({LIST_URL: di_list})
    checker = StatusChecker(fetcher=fetcher, clock=clock, cache_ttl=600)
    assert not checker.check(entry(42, list_url=LIST_URL)).from_cache
    clock.now = T0 + timedelta(seconds=299)  # the list's default ttl is 300 s (spec)
    assert checker.check(entry(1, list_url=LIST_URL)).from_cache
    assert fetcher.calls == [LIST_URL]
    clock.now = T0 + timedelta(seconds=300)
    assert not checker.check(entry(1, list_url=LIST_URL)).from_cache
    assert fetcher.calls == [LIST_URL, LIST_URL]
    checker.clear_cache()
    assert not checker.check(entry(1, list_url=LIST_URL)).from_cache


def test_a_shorter_cache_ttl_or_list_ttl_wins_and_zero_disables_caching(
    key: KeyPair, revocation_list: BitstringStatusList, di_list: dict[str, Any]
) -> None:
    clock = Clock(T0)
    short = status_list_credential(
        revocation_list,
        id=LIST_URL,
        issuer=key.did_key,
        valid_from="2024-01-01T00:00:00Z",
        ttl=10_000,
    )
    fetcher = CountingFetcher({LIST_URL: issue(short, key, created="2024-01-01T00:00:00Z")})
    checker = StatusChecker(fetcher=fetcher, clock=clock)
    checker.check(entry(1, list_url=LIST_URL))
    clock.now = T0 + timedelta(seconds=11)
    checker.check(entry(1, list_url=LIST_URL))
    assert len(fetcher.calls) == 2
    uncached = CountingFetcher({LIST_URL: di_list})
    no_cache = StatusChecker(fetcher=uncached, clock=Clock(T0), cache_ttl=0)
    for _ in range(3):
        assert not no_cache.check(entry(42, list_url=LIST_URL)).from_cache
    assert len(uncached.calls) == 3


def test_a_tampered_list_is_never_cached(di_list: dict[str, Any]) -> None:
    forged = copy.deepcopy(di_list)
    forged["credentialSubject"]["statusPurpose"] = "suspension"
    fetcher = CountingFetcher({LIST_URL: forged})
    checker = StatusChecker(fetcher=fetcher, clock=Clock(T0))
    for _ in range(2):
        with pytest.raises(StatusListError):
            checker.check(entry(1, list_url=LIST_URL, purpose="suspension"))
    assert len(fetcher.calls) == 2


def test_a_failing_fetcher_is_reported_as_unavailable() -> None:
    def broken(url: str) -> bytes:
        raise ConnectionError("mirror down")

    with pytest.raises(StatusListError, match="mirror down") as excinfo:
        StatusChecker(fetcher=broken).check(entry(1, list_url=LIST_URL))
    assert _code(excinfo) == "status_list_unavailable"
    with pytest.raises(StatusListError) as excinfo:
        StatusChecker(fetcher=lambda url: 42).check(entry(1, list_url=LIST_URL))  # type: ignore[arg-type, return-value]
    assert _code(excinfo) == "status_list_unavailable"


@pytest.mark.parametrize(
    "document",
    [
        b"\xff\xfe not utf-8",
        b'{"a": 1, "a": 2}',
        b"{not json",
        b"[]",
        "definitely not a jws",
        {"type": ["VerifiableCredential"], "proof": []},
    ],
)
def test_a_document_that_is_not_a_status_list_is_refused(document: Any) -> None:
    with pytest.raises(StatusListError) as excinfo:
        _checker(document).check(entry(1, list_url=LIST_URL))
    assert _code(excinfo) in {"status_list_malformed", "status_list_invalid_proof"}


def test_a_status_list_credential_of_the_wrong_type_is_malformed(
    key: KeyPair, unsigned_list: dict[str, Any]
) -> None:
    plain = {**unsigned_list, "type": ["VerifiableCredential"]}
    signed = issue(plain, key, created="2024-01-01T00:00:00Z")
    with pytest.raises(StatusListError, match="BitstringStatusListCredential") as excinfo:
        _checker(signed).check(entry(1, list_url=LIST_URL))
    assert _code(excinfo) == "status_list_malformed"


@pytest.fixture
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    attempts: list[Any] = []

    def refuse(self: socket.socket, address: Any) -> None:
        attempts.append(address)
        raise AssertionError(f"a socket connect to {address!r} was attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    yield attempts


def test_the_checker_is_offline_by_default_and_fails_closed(
    no_sockets: list[Any], key: KeyPair, revocation_list: BitstringStatusList
) -> None:
    with pytest.raises(StatusListError, match="no status fetcher") as excinfo:
        StatusChecker().check(entry(42, list_url=LIST_URL))
    assert _code(excinfo) == "status_unavailable"
    # a list signed with a did:web key cannot be verified offline either: no connection
    web_key = key.with_verification_method("did:web:hs-voorbeeld.example#key-1")
    signed = issue(
        status_list_credential(
            revocation_list,
            id=LIST_URL,
            issuer="did:web:hs-voorbeeld.example",
            valid_from="2024-01-01T00:00:00Z",
        ),
        web_key,
        created="2024-01-01T00:00:00Z",
    )
    with pytest.raises(StatusListError, match="network") as excinfo:
        _checker(signed).check(entry(42, list_url=LIST_URL))
    assert _code(excinfo) == "status_list_invalid_proof"
    assert no_sockets == []


def test_trusted_keys_let_an_https_key_list_verify_offline(
    no_sockets: list[Any], key: KeyPair, revocation_list: BitstringStatusList
) -> None:
    vm = "https://hs-voorbeeld.example/keys/status#1"
    signed = issue(
        status_list_credential(
            revocation_list,
            id=LIST_URL,
            issuer="https://hs-voorbeeld.example",
            valid_from="2024-01-01T00:00:00Z",
        ),
        key.with_verification_method(vm),
        created="2024-01-01T00:00:00Z",
    )
    checker = _checker(signed, keys={vm: key.public_key})
    assert checker.check(entry(42, list_url=LIST_URL)).revoked
    assert no_sockets == []


def _network_checker(handler: Callable[[httpx.Request], httpx.Response]) -> StatusChecker:
    client = httpx.Client(transport=httpx.MockTransport(handler))
    return StatusChecker(allow_network=True, http_client=client, clock=Clock(T0), max_bytes=64_000)


def test_network_fetch_is_https_only_and_follows_https_redirects(di_list: dict[str, Any]) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.path == "/old":
            return httpx.Response(301, headers={"location": LIST_URL})
        if request.url.path == "/insecure":
            return httpx.Response(302, headers={"location": "http://hs-voorbeeld.example/s"})
        return httpx.Response(200, json=di_list, headers={"content-type": "application/vc"})

    checker = _network_checker(handler)
    assert checker.check(entry(42, list_url=LIST_URL)).revoked
    with pytest.raises(StatusListError) as excinfo:
        checker.check(entry(42, list_url="http://hs-voorbeeld.example/status/1"))
    assert _code(excinfo) == "status_list_insecure_url"
    with pytest.raises(StatusListError) as excinfo:
        checker.check(entry(42, list_url="https://hs-voorbeeld.example/insecure"))
    assert _code(excinfo) == "status_list_insecure_url"
    assert seen == [LIST_URL, "https://hs-voorbeeld.example/insecure"]


@pytest.mark.parametrize(
    ("response", "match"),
    [
        (httpx.Response(404), "HTTP 404"),
        (httpx.Response(200, content=b"x" * 70_000), "larger than"),
        (httpx.Response(200, content=b"{}", headers={"content-length": "999999"}), "larger"),
    ],
)
def test_network_fetch_failures_are_unavailable(response: httpx.Response, match: str) -> None:
    checker = _network_checker(lambda request: response)
    with pytest.raises(StatusListError, match=match) as excinfo:
        checker.check(entry(1, list_url=LIST_URL))
    assert _code(excinfo) == "status_list_unavailable"


def test_network_timeouts_are_unavailable() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("too slow", request=request)

    with pytest.raises(StatusListError, match="timed out") as excinfo:
        _network_checker(slow).check(entry(1, list_url=LIST_URL))
    assert _code(excinfo) == "status_list_unavailable"


# --------------------------------------------------------------------------- 1EdTech lists

REVOCATION_LIST_URL = "https://1edtech.example/credentials/3732/revocations"
CREDENTIAL_ID = "urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002"
EDTECH_STATUS = {"id": REVOCATION_LIST_URL, "type": "1EdTechRevocationList"}


def _edtech_list(*revoked: str, issuer: Any = "https://1edtech.example/issuers/1") -> Any:
    return {
        "id": REVOCATION_LIST_URL,
        "issuer": issuer,
        "revokedCredentials": [
            {"id": item, "revocationReason": "Issued in error"} for item in revoked
        ],
    }


def test_1edtech_revocation_list_revokes_the_listed_credential_id() -> None:
    document = _edtech_list(CREDENTIAL_ID, "urn:uuid:other")
    checker = _checker(document, url=REVOCATION_LIST_URL)
    revoked = checker.check(
        EDTECH_STATUS,
        credential_id=CREDENTIAL_ID,
        expected_issuer="https://1edtech.example/issuers/1",
    )
    assert revoked.revoked and revoked.message == "Issued in error"
    assert revoked.type == "1EdTechRevocationList" and revoked.index is None
    assert not revoked.list_verified  # no proof: only as good as the HTTPS connection
    active = checker.check(EDTECH_STATUS, credential_id="urn:uuid:not-revoked")
    assert not active.revoked and active.from_cache


def test_1edtech_revocation_list_needs_the_credential_id_and_the_same_issuer() -> None:
    checker = _checker(_edtech_list(CREDENTIAL_ID), url=REVOCATION_LIST_URL)
    with pytest.raises(StatusListError) as excinfo:
        checker.check(EDTECH_STATUS)
    assert _code(excinfo) == "status_credential_id_missing"
    with pytest.raises(StatusListError) as excinfo:
        checker.check(EDTECH_STATUS, credential_id=CREDENTIAL_ID, expected_issuer="did:web:x")
    assert _code(excinfo) == "status_list_issuer_mismatch"
    credential = {
        "id": CREDENTIAL_ID,
        "issuer": {"id": "https://1edtech.example/issuers/1"},
        "credentialStatus": EDTECH_STATUS,
    }
    (result,) = checker.check_credential(credential)
    assert result.revoked


@pytest.mark.parametrize(
    "document",
    [
        {"id": REVOCATION_LIST_URL},
        {"id": REVOCATION_LIST_URL, "revokedCredentials": [{"revocationReason": "x"}]},
        {"id": REVOCATION_LIST_URL, "revokedCredentials": "urn:uuid:1"},
        ["urn:uuid:1"],
    ],
)
def test_a_malformed_1edtech_revocation_list_is_refused(document: Any) -> None:
    with pytest.raises(StatusListError) as excinfo:
        _checker(document, url=REVOCATION_LIST_URL).check(
            EDTECH_STATUS, credential_id=CREDENTIAL_ID
        )
    assert _code(excinfo) == "status_list_malformed"


def test_status_result_serialises_for_reports() -> None:
    result = StatusResult(
        type="BitstringStatusListEntry",
        purpose="suspension",
        index=5,
        value=1,
        list_credential=LIST_URL,
        list_issuer="did:web:hs-voorbeeld.example",
        message="set",
        checked_at=T0,
    )
    assert result.suspended and not result.revoked
    assert result.to_dict() == {
        "type": "BitstringStatusListEntry",
        "purpose": "suspension",
        "index": 5,
        "value": 1,
        "set": True,
        "listCredential": LIST_URL,
        "listIssuer": "did:web:hs-voorbeeld.example",
        "message": "set",
        "checkedAt": "2025-01-01T00:00:00Z",
        "fromCache": False,
        "listVerified": True,
    }


@pytest.mark.parametrize(
    "kwargs",
    [
        {"cache_ttl": -1},
        {"cache_ttl": float("inf")},
        {"timeout": 0},
        {"max_bytes": 0},
        {"leeway": -1},
        {"fetcher": "https://x"},
        {"clock": "now"},
    ],
)
def test_checker_options_are_validated(kwargs: dict[str, Any]) -> None:
    with pytest.raises(InvalidInputError):
        StatusChecker(**kwargs)


def test_a_naive_clock_is_refused(di_list: dict[str, Any]) -> None:
    checker = _checker(di_list, clock=lambda: datetime(2025, 1, 1))
    with pytest.raises(InvalidInputError, match="aware"):
        checker.check(entry(1, list_url=LIST_URL))
