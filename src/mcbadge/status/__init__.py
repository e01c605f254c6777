"""Credential status: W3C Bitstring Status List v1.0, and reading ``1EdTechRevocationList``.

An issuer gives each credential a position (an *index*) in a long list of bits, publishes the
list as a signed ``BitstringStatusListCredential``, and later flips the bit to revoke or suspend
the credential. A verifier fetches the list, checks its proof and dates, and reads the bit.

* :class:`BitstringStatusList` -- the list itself: create (at least 131,072 entries), read and
  write entries, ``encode()`` to the ``encodedList`` text (multibase base64url of GZIP) and
  ``decode()`` it back (bounded: a decompression bomb is refused).
* :class:`StatusListAllocator` -- hands out indexes uniformly at random without reuse; its state
  is saved atomically (:meth:`StatusListAllocator.save`) so that issuing survives ``kill -9``.
* :func:`entry` -- the ``BitstringStatusListEntry`` to put in a credential's ``credentialStatus``.
* :func:`status_list_credential` -- the unsigned ``BitstringStatusListCredential``; sign it with
  :func:`mcbadge.issue` (Data Integrity or VC-JWT) and publish it at its ``id``.
* :class:`StatusChecker` -- the verifier side: fetch (injected fetcher, or HTTPS when allowed),
  verify, check dates, issuer and purpose, decode, read the bit, cache.

Bit order (the spec's "Bitstring Encoding" section): index 0 is the left-most bit (the most
significant bit, ``0x80``) of the first byte. An entry of ``statusSize`` bits occupies the bits
``index * statusSize`` to ``index * statusSize + statusSize - 1``, most significant first.

Example:
    >>> status_list = BitstringStatusList.create(status_purpose="revocation")
    >>> status_list.revoke(7)
    >>> decoded = BitstringStatusList.decode(status_list.encode())
    >>> decoded.get(7), decoded.get(8), decoded.nonzero_indexes()
    (1, 0, [7])
"""

from __future__ import annotations

import copy
import json
import os
import re
import secrets
import threading
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit

from mcbadge._internal.dates import DateTimeSyntaxError, format_datetime, parse_datetime
from mcbadge._internal.files import write_atomic
from mcbadge._internal.jsontext import JsonTextError, loads_strict
from mcbadge._internal.multibase import base64url_decode, base64url_encode
from mcbadge.errors import (
    InvalidInputError,
    McBadgeError,
    NonCompactJsonLdError,
    StatusListError,
)
from mcbadge.net import NetworkPolicy

if TYPE_CHECKING:
    import httpx

    from mcbadge.did import Resolver
    from mcbadge.keys import PublicKey

__all__ = [
    "DEFAULT_CACHE_TTL",
    "DEFAULT_MAX_DECODED_BYTES",
    "MIN_ENTRIES",
    "BitstringStatusList",
    "StatusChecker",
    "StatusFetcher",
    "StatusListAllocator",
    "StatusResult",
    "entry",
    "status_list_credential",
]

MIN_ENTRIES: Final = 131_072
"""The minimum number of entries of a status list (the spec's Validate Algorithm: 16 KB of bits)."""

DEFAULT_MAX_DECODED_BYTES: Final = 16 * 1024 * 1024
"""Largest uncompressed bitstring :meth:`BitstringStatusList.decode` accepts (decompression bomb
guard): 16 MiB, i.e. 134 million one-bit entries."""

DEFAULT_CACHE_TTL: Final = 300.0
"""Seconds a fetched list is reused by default: the spec's default ``ttl`` (300000 ms)."""

DEFAULT_MAX_DOCUMENT_BYTES: Final = 2 * 1024 * 1024
"""Largest status list document (credential, JWT or revocation list) the checker reads."""

DEFAULT_TIMEOUT: Final = 10.0
"""Seconds per HTTPS request when the checker fetches lists itself."""

MAX_STATUS_SIZE: Final = 8
"""Largest ``statusSize`` supported (2**8 = 256 status messages)."""

VC_V2_CONTEXT: Final = "https://www.w3.org/ns/credentials/v2"
BITSTRING_ENTRY_TYPE: Final = "BitstringStatusListEntry"
BITSTRING_CREDENTIAL_TYPE: Final = "BitstringStatusListCredential"
BITSTRING_SUBJECT_TYPE: Final = "BitstringStatusList"
REVOCATION_LIST_TYPE: Final = "1EdTechRevocationList"

StatusFetcher = Callable[[str], "bytes | str | Mapping[str, Any]"]
"""Called with a status list URL; returns the document: JSON bytes/text, a compact JWS (VC-JWT)
or an already parsed JSON object. Raise any exception when it cannot be had."""

_ALLOCATOR_STATE_TYPE: Final = "mcbadge.StatusListAllocator"
_ALLOCATOR_STATE_VERSION: Final = 1
_INDEX_RE: Final = re.compile(r"[0-9]+", re.ASCII)
_HEX_STATUS_RE: Final = re.compile(r"0x[0-9a-fA-F]+", re.ASCII)
_JWS_RE: Final = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*", re.ASCII)
_ENVELOPED_JWT_PREFIX: Final = "data:application/vc+jwt,"
_MAX_REDIRECTS: Final = 3
_ACCEPT: Final = (
    "application/vc+ld+json, application/vc+jwt, application/vc, application/ld+json;q=0.9, "
    "application/jwt;q=0.9, application/json;q=0.8"
)
_DEFAULT_TTL_MS: Final = 300_000
_MAX_CACHE_ENTRIES: Final = 256
_MAX_CACHE_TTL: Final = 366 * 24 * 3600.0
_POPCOUNT: Final = bytes(bin(i).count("1") for i in range(256))


def _error(message: str, code: str, **details: Any) -> StatusListError:
    return StatusListError(message, code=code, **details)


def _check_int(value: Any, name: str, *, minimum: int, code: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise _error(f"{name} must be an integer >= {minimum}, got {value!r}", code, field=name)
    return value


# --------------------------------------------------------------------------- the bitstring


class BitstringStatusList:
    """A status list: ``length`` entries of ``status_size`` bits each, all 0 when created.

    Mutable on purpose (an issuer flips bits and republishes); :meth:`copy` gives an
    independent list. Entry values are integers in ``0 .. 2**status_size - 1``; with the usual
    ``status_size=1`` a value of 1 means revoked (or suspended, or "set").

    Attributes:
        length: Number of entries.
        status_size: Bits per entry (1 to 8).
        status_purpose: ``"revocation"``, ``"suspension"``, ``"message"`` (or another purpose),
            ``None`` when unknown (a list decoded without saying).

    Example:
        >>> sl = BitstringStatusList.create(status_purpose="suspension")
        >>> sl.suspend(3)
        >>> sl.get(3), len(sl)
        (1, 131072)
        >>> sl.reinstate(3)
        >>> sl.get(3)
        0
    """

    __slots__ = ("_bits", "length", "status_purpose", "status_size")

    def __init__(
        self,
        bits: bytes | bytearray,
        *,
        status_size: int = 1,
        status_purpose: str | None = None,
    ) -> None:
        """Wrap raw bitstring bytes (index 0 = most significant bit of the first byte).

        Prefer :meth:`create` and :meth:`decode`; this constructor checks no minimum length.

        Args:
            bits: The uncompressed bitstring.
            status_size: Bits per entry (1 to 8).
            status_purpose: The list's purpose, if known.

        Raises:
            StatusListError: ``status_list_length_invalid`` for a bad ``status_size`` or bytes
                that hold no entry.
        """
        if not isinstance(bits, bytes | bytearray):
            raise _error(
                f"a status list is made from bytes, not {type(bits).__name__}",
                "status_list_length_invalid",
            )
        _check_status_size(status_size)
        if status_purpose is not None:
            _check_purpose(status_purpose, "status_purpose")
        self._bits = bytearray(bits)
        self.status_size = status_size
        self.length = len(self._bits) * 8 // status_size
        self.status_purpose = status_purpose
        if self.length == 0:
            raise _error("a status list needs at least one entry", "status_list_length_invalid")

    # ---- construction
    @classmethod
    def create(
        cls,
        *,
        length: int = MIN_ENTRIES,
        status_purpose: str = "revocation",
        status_size: int = 1,
    ) -> BitstringStatusList:
        """Make a new list with every entry 0.

        Args:
            length: Number of entries: at least :data:`MIN_ENTRIES` (131,072, for herd
                privacy), and ``length * status_size`` a multiple of 8 so that the list
                decodes back to the same length.
            status_purpose: ``"revocation"`` (default), ``"suspension"`` or ``"message"``.
            status_size: Bits per entry, 1 (default) to 8; ``"message"`` lists use more.

        Returns:
            The new list.

        Raises:
            StatusListError: ``status_list_too_short`` below the minimum length,
                ``status_list_length_invalid`` for a length or size that cannot be encoded.

        Example:
            >>> BitstringStatusList.create(length=262144).length
            262144
        """
        _check_int(length, "length", minimum=1, code="status_list_length_invalid")
        _check_status_size(status_size)
        _check_purpose(status_purpose, "status_purpose")
        if length < MIN_ENTRIES:
            raise _error(
                f"a status list needs at least {MIN_ENTRIES} entries (Bitstring Status List "
                f"minimum, for herd privacy), got length={length}",
                "status_list_too_short",
                length=length,
            )
        total_bits = length * status_size
        if total_bits % 8:
            raise _error(
                f"length * status_size must be a multiple of 8 bits (whole bytes), got "
                f"{length} * {status_size} = {total_bits}",
                "status_list_length_invalid",
                length=length,
            )
        if total_bits // 8 > DEFAULT_MAX_DECODED_BYTES:
            raise _error(
                f"a status list of {total_bits // 8} bytes is above the "
                f"{DEFAULT_MAX_DECODED_BYTES}-byte limit verifiers accept",
                "status_list_length_invalid",
                length=length,
            )
        return cls(bytes(total_bits // 8), status_size=status_size, status_purpose=status_purpose)

    @classmethod
    def decode(
        cls,
        encoded: str,
        *,
        status_size: int = 1,
        status_purpose: str | None = None,
        max_decoded_bytes: int = DEFAULT_MAX_DECODED_BYTES,
        min_entries: int = MIN_ENTRIES,
    ) -> BitstringStatusList:
        """Read an ``encodedList``: multibase base64url (``u``, no padding) of GZIP.

        Decompression stops as soon as the output would pass ``max_decoded_bytes``, so a
        small hostile ``encodedList`` cannot exhaust memory.

        Args:
            encoded: The ``encodedList`` text.
            status_size: Bits per entry (from the credential's ``BitstringStatusListEntry``).
            status_purpose: The list's purpose, to record on the result.
            max_decoded_bytes: Largest uncompressed size accepted.
            min_entries: Fewest entries accepted (default 131,072, the spec's minimum; an
                ecosystem specification may set another lower bound).

        Returns:
            The list.

        Raises:
            StatusListError: ``status_list_malformed`` (not ``u``-prefixed base64url, not GZIP,
                truncated), ``status_list_too_large`` (the bomb guard),
                ``status_list_too_short`` (fewer than ``min_entries`` entries).

        Example:
            >>> spec = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"
            >>> BitstringStatusList.decode(spec).length
            131072
        """
        _check_status_size(status_size)
        _check_int(max_decoded_bytes, "max_decoded_bytes", minimum=1, code="invalid_input")
        _check_int(min_entries, "min_entries", minimum=1, code="invalid_input")
        if not isinstance(encoded, str) or not encoded.startswith("u"):
            shown = encoded[:12] if isinstance(encoded, str) else type(encoded).__name__
            raise _error(
                f"encodedList must be multibase base64url text starting with 'u', got {shown!r}",
                "status_list_malformed",
            )
        try:
            compressed = base64url_decode(encoded[1:])
        except InvalidInputError as exc:
            raise _error(
                f"encodedList is not base64url without padding: {exc.message}",
                "status_list_malformed",
            ) from exc
        bits = _gunzip_bounded(compressed, max_decoded_bytes)
        entries = len(bits) * 8 // status_size
        if entries < min_entries:
            raise _error(
                f"the status list has {entries} entries of {status_size} bit(s); at least "
                f"{min_entries} are required (STATUS_LIST_LENGTH_ERROR)",
                "status_list_too_short",
                entries=entries,
            )
        return cls(bits, status_size=status_size, status_purpose=status_purpose)

    # ---- reading and writing
    def _position(self, index: int) -> int:
        if not isinstance(index, int) or isinstance(index, bool):
            raise _error(
                f"a status list index is an integer, got {type(index).__name__}",
                "status_index_out_of_range",
            )
        if not 0 <= index < self.length:
            raise _error(
                f"status list index {index} is outside 0..{self.length - 1}",
                "status_index_out_of_range",
                index=index,
                length=self.length,
            )
        return index * self.status_size

    def get(self, index: int) -> int:
        """The value of entry ``index`` (0 or 1 for one-bit entries).

        Args:
            index: The entry, ``0 <= index < length``.

        Returns:
            The entry's value, ``0 .. 2**status_size - 1``.

        Raises:
            StatusListError: ``status_index_out_of_range``.

        Example:
            >>> BitstringStatusList.create().get(131071)
            0
        """
        start = self._position(index)
        if self.status_size == 1:
            return (self._bits[start >> 3] >> (7 - (start & 7))) & 1
        value = 0
        for position in range(start, start + self.status_size):
            value = (value << 1) | ((self._bits[position >> 3] >> (7 - (position & 7))) & 1)
        return value

    def set(self, index: int, value: int | bool) -> None:
        """Set entry ``index`` to ``value`` (the low-level writer; see :meth:`revoke`).

        ``set`` writes any value, including clearing a revocation bit, which the spec calls
        irreversible: prefer :meth:`revoke`, :meth:`suspend` and :meth:`reinstate`.

        Args:
            index: The entry.
            value: ``0 .. 2**status_size - 1`` (``True``/``False`` for one-bit entries).

        Raises:
            StatusListError: ``status_index_out_of_range``, ``status_value_out_of_range``.

        Example:
            >>> sl = BitstringStatusList.create(status_purpose="message", status_size=2)
            >>> sl.set(5, 3)
            >>> sl.get(5)
            3
        """
        start = self._position(index)
        if not isinstance(value, int) or not 0 <= int(value) < (1 << self.status_size):
            raise _error(
                f"status value {value!r} does not fit in {self.status_size} bit(s) "
                f"(0..{(1 << self.status_size) - 1})",
                "status_value_out_of_range",
                index=index,
            )
        number = int(value)
        for offset in range(self.status_size):
            position = start + offset
            mask = 0x80 >> (position & 7)
            if (number >> (self.status_size - 1 - offset)) & 1:
                self._bits[position >> 3] |= mask
            else:
                self._bits[position >> 3] &= 0xFF ^ mask

    def _require_purpose(self, purpose: str, action: str) -> None:
        if self.status_size != 1 or self.status_purpose != purpose:
            raise _error(
                f"{action}() needs a one-bit {purpose!r} list; this list has purpose "
                f"{self.status_purpose!r} and status_size {self.status_size} (use set())",
                "status_purpose_mismatch",
            )

    def revoke(self, index: int) -> None:
        """Revoke entry ``index`` (a ``revocation`` list; permanent by the spec).

        Raises:
            StatusListError: ``status_purpose_mismatch`` on a non-revocation list,
                ``status_index_out_of_range``.

        Example:
            >>> sl = BitstringStatusList.create()
            >>> sl.revoke(0)
            >>> sl.to_bytes()[0]
            128
        """
        self._require_purpose("revocation", "revoke")
        self.set(index, 1)

    def suspend(self, index: int) -> None:
        """Suspend entry ``index`` (a ``suspension`` list; undo with :meth:`reinstate`).

        Raises:
            StatusListError: ``status_purpose_mismatch`` on a non-suspension list,
                ``status_index_out_of_range``.

        Example:
            >>> BitstringStatusList.create(status_purpose="suspension").suspend(9)
        """
        self._require_purpose("suspension", "suspend")
        self.set(index, 1)

    def reinstate(self, index: int) -> None:
        """Lift the suspension of entry ``index``.

        Raises:
            StatusListError: ``status_not_reversible`` on a revocation list (revocation is
                permanent), ``status_purpose_mismatch`` on other lists,
                ``status_index_out_of_range``.

        Example:
            >>> sl = BitstringStatusList.create(status_purpose="suspension")
            >>> sl.suspend(9); sl.reinstate(9); sl.get(9)
            0
        """
        if self.status_purpose == "revocation":
            raise _error(
                "a revocation cannot be undone (Bitstring Status List: 'This status is not "
                "reversible'); use a suspension list for reversible statuses",
                "status_not_reversible",
                index=index,
            )
        self._require_purpose("suspension", "reinstate")
        self.set(index, 0)

    def nonzero_indexes(self) -> list[int]:
        """Every index whose value is not 0, in ascending order.

        Example:
            >>> sl = BitstringStatusList.create()
            >>> sl.revoke(9); sl.revoke(2)
            >>> sl.nonzero_indexes()
            [2, 9]
        """
        size = self.status_size
        found: list[int] = []
        for byte_index, byte in enumerate(self._bits):
            if not byte:
                continue
            for bit in range(8):
                if byte & (0x80 >> bit):
                    index = (byte_index * 8 + bit) // size
                    if index < self.length and (not found or found[-1] != index):
                        found.append(index)
        return found

    # ---- output
    def encode(self) -> str:
        """The ``encodedList``: ``u`` + base64url (no padding) of GZIP (mtime 0, deterministic).

        Example:
            >>> BitstringStatusList.create().encode()[:5]
            'uH4sI'
        """
        compressed = zlib.compressobj(9, zlib.DEFLATED, 31)
        data = compressed.compress(bytes(self._bits)) + compressed.flush()
        # zlib's gzip header has mtime 0 and no file name: the output depends only on the bits
        return "u" + base64url_encode(data)

    def to_bytes(self) -> bytes:
        """The uncompressed bitstring.

        Example:
            >>> len(BitstringStatusList.create().to_bytes())
            16384
        """
        return bytes(self._bits)

    def copy(self) -> BitstringStatusList:
        """An independent copy.

        Example:
            >>> a = BitstringStatusList.create(); b = a.copy(); b.revoke(1)
            >>> a.get(1), b.get(1)
            (0, 1)
        """
        return BitstringStatusList(
            self._bits, status_size=self.status_size, status_purpose=self.status_purpose
        )

    def __len__(self) -> int:
        return self.length

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BitstringStatusList):
            return NotImplemented
        return (
            self._bits == other._bits
            and self.status_size == other.status_size
            and self.status_purpose == other.status_purpose
        )

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        return (
            f"BitstringStatusList(length={self.length}, status_size={self.status_size}, "
            f"status_purpose={self.status_purpose!r}, nonzero={len(self.nonzero_indexes())})"
        )


def _check_status_size(status_size: Any) -> None:
    if (
        not isinstance(status_size, int)
        or isinstance(status_size, bool)
        or not 1 <= status_size <= MAX_STATUS_SIZE
    ):
        raise _error(
            f"statusSize must be an integer from 1 to {MAX_STATUS_SIZE}, got {status_size!r}",
            "status_list_length_invalid",
        )


def _check_purpose(purpose: Any, name: str) -> str:
    if not isinstance(purpose, str) or not purpose or purpose != purpose.strip():
        raise _error(
            f"{name} must be a non-empty string such as 'revocation', 'suspension' or "
            f"'message', got {purpose!r}",
            "status_entry_invalid",
        )
    return purpose


def _gunzip_bounded(data: bytes, max_bytes: int) -> bytes:
    """GZIP-decompress ``data`` (all members) without ever producing more than ``max_bytes``."""
    if not data:
        raise _error("encodedList is empty", "status_list_malformed")
    out = bytearray()
    remaining = data
    while remaining:
        decompressor = zlib.decompressobj(31)  # gzip framing only
        try:
            out += decompressor.decompress(remaining, max_bytes - len(out) + 1)
        except zlib.error as exc:
            raise _error(f"encodedList is not GZIP data: {exc}", "status_list_malformed") from exc
        if len(out) > max_bytes or decompressor.unconsumed_tail:
            raise _error(
                f"the decompressed status list exceeds the {max_bytes}-byte limit (a "
                "decompression bomb, or a list larger than this verifier accepts)",
                "status_list_too_large",
                max_bytes=max_bytes,
            )
        if not decompressor.eof:
            raise _error("encodedList is truncated GZIP data", "status_list_malformed")
        remaining = decompressor.unused_data
    return bytes(out)


# --------------------------------------------------------------------------- allocation


class StatusListAllocator:
    """Hands out status list indexes uniformly at random, never the same one twice.

    The spec asks for random assignment so that an index reveals nothing about when a
    credential was issued or how many were. Each :meth:`allocate` draws with :mod:`secrets`
    from the indexes not yet handed out.

    **The crash-safety contract.** An index is *spent* the moment it is allocated. Persist the
    allocator (:meth:`save`, which writes atomically and fsyncs) **before** the index goes into
    a credential you sign or hand out::

        allocator = StatusListAllocator.load(state_path)
        index = allocator.allocate()
        allocator.save(state_path)          # durable from here on
        credential["credentialStatus"] = entry(index, list_url=url, purpose="revocation")
        signed = issue(credential, key)     # a crash here only wastes the index

    A crash between ``allocate`` and ``save`` loses an index that no credential carries; a crash
    after ``save`` wastes one. Neither can make two credentials share an index. For batches,
    :meth:`allocate_many` then one :meth:`save`. One process at a time may own a state file
    (hold a lock); the object itself is thread-safe.

    Args:
        length: Number of indexes, normally the status list's length (default 131,072). A
            smaller range weakens herd privacy.
        list_url: The status list credential URL this allocator serves (recorded in the state
            so that states of different lists are not mixed up).

    Raises:
        StatusListError: ``status_list_length_invalid`` for a bad length.

    Example:
        >>> allocator = StatusListAllocator(length=131072, list_url="https://hs.nl/status/1")
        >>> first, second = allocator.allocate(), allocator.allocate()
        >>> first != second, allocator.allocated_count
        (True, 2)
        >>> StatusListAllocator.from_json(allocator.to_json()).is_allocated(first)
        True
    """

    def __init__(self, *, length: int = MIN_ENTRIES, list_url: str | None = None) -> None:
        _check_int(length, "length", minimum=1, code="status_list_length_invalid")
        if list_url is not None and (not isinstance(list_url, str) or not list_url):
            raise _error("list_url must be a non-empty string", "status_entry_invalid")
        self.length = length
        self.list_url = list_url
        self._used = bytearray((length + 7) // 8)
        self._count = 0
        self._free: list[int] | None = None  # built once the range is half used
        self._lock = threading.Lock()

    # ---- queries
    @property
    def allocated_count(self) -> int:
        """How many indexes have been handed out."""
        return self._count

    @property
    def remaining(self) -> int:
        """How many indexes are still free."""
        return self.length - self._count

    def is_allocated(self, index: int) -> bool:
        """Whether ``index`` has been handed out.

        Raises:
            StatusListError: ``status_index_out_of_range``.

        Example:
            >>> StatusListAllocator(length=8).is_allocated(3)
            False
        """
        self._check_index(index)
        return bool(self._used[index >> 3] & (0x80 >> (index & 7)))

    def _check_index(self, index: Any) -> None:
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < self.length:
            raise _error(
                f"index {index!r} is outside 0..{self.length - 1}",
                "status_index_out_of_range",
                index=index,
            )

    # ---- allocation
    def allocate(self) -> int:
        """Take one free index, uniformly at random.

        Returns:
            The index; persist the allocator (:meth:`save`) before using it.

        Raises:
            StatusListError: ``status_list_exhausted`` when every index is taken (start a new
                status list).

        Example:
            >>> 0 <= StatusListAllocator(length=8).allocate() < 8
            True
        """
        with self._lock:
            return self._allocate_locked()

    def allocate_many(self, count: int) -> list[int]:
        """Take ``count`` distinct free indexes (all or none).

        Raises:
            StatusListError: ``status_list_exhausted`` when fewer than ``count`` are free.

        Example:
            >>> len(set(StatusListAllocator(length=8).allocate_many(8)))
            8
        """
        _check_int(count, "count", minimum=0, code="invalid_input")
        with self._lock:
            if count > self.length - self._count:
                raise self._exhausted(count)
            return [self._allocate_locked() for _ in range(count)]

    def mark_allocated(self, index: int) -> None:
        """Record ``index`` as taken (e.g. indexes already used by credentials issued elsewhere).

        Raises:
            StatusListError: ``status_index_out_of_range``; ``status_index_reused`` when it was
                already taken.

        Example:
            >>> allocator = StatusListAllocator(length=8)
            >>> allocator.mark_allocated(5); allocator.is_allocated(5)
            True
        """
        with self._lock:
            self._check_index(index)
            mask = 0x80 >> (index & 7)
            if self._used[index >> 3] & mask:
                raise _error(
                    f"index {index} is already allocated", "status_index_reused", index=index
                )
            self._take(index)
            if self._free is not None:
                self._free.remove(index)

    def _exhausted(self, wanted: int = 1) -> StatusListError:
        return _error(
            f"the status list is full: {self._count} of {self.length} indexes are allocated "
            f"and {wanted} more were asked for; publish a new status list",
            "status_list_exhausted",
            length=self.length,
        )

    def _take(self, index: int) -> None:
        self._used[index >> 3] |= 0x80 >> (index & 7)
        self._count += 1

    def _allocate_locked(self) -> int:
        if self._count >= self.length:
            raise self._exhausted()
        if self._free is None and self._count * 2 < self.length:
            # sparse: rejection sampling, fewer than 2 draws on average
            while True:
                index = secrets.randbelow(self.length)
                if not self._used[index >> 3] & (0x80 >> (index & 7)):
                    self._take(index)
                    return index
        if self._free is None:
            self._free = [
                i for i in range(self.length) if not self._used[i >> 3] & (0x80 >> (i & 7))
            ]
        position = secrets.randbelow(len(self._free))
        index = self._free[position]
        self._free[position] = self._free[-1]
        self._free.pop()
        self._take(index)
        return index

    # ---- persistence
    def to_json(self) -> str:
        """The state as JSON text (the allocated set as a GZIP bitmap, like ``encodedList``).

        Example:
            >>> json.loads(StatusListAllocator(length=16).to_json())["allocated"]
            0
        """
        with self._lock:
            state = {
                "type": _ALLOCATOR_STATE_TYPE,
                "version": _ALLOCATOR_STATE_VERSION,
                "length": self.length,
                "listUrl": self.list_url,
                "allocated": self._count,
                "bitmap": BitstringStatusList(self._used).encode(),
            }
        return json.dumps(state, sort_keys=True)

    @classmethod
    def from_json(cls, state: str | bytes | Mapping[str, Any]) -> StatusListAllocator:
        """Rebuild an allocator from :meth:`to_json` output, checking it thoroughly.

        Raises:
            StatusListError: ``allocator_state_invalid`` for anything that is not a consistent
                allocator state.

        Example:
            >>> StatusListAllocator.from_json(StatusListAllocator(length=8).to_json()).length
            8
        """

        def invalid(reason: str) -> StatusListError:
            return _error(
                f"invalid status list allocator state: {reason}", "allocator_state_invalid"
            )

        if isinstance(state, str | bytes):
            try:
                state = json.loads(state)
            except (ValueError, UnicodeDecodeError) as exc:
                raise invalid(f"not JSON ({exc})") from exc
        if not isinstance(state, Mapping):
            raise invalid("not a JSON object")
        if state.get("type") != _ALLOCATOR_STATE_TYPE:
            raise invalid(f"type must be {_ALLOCATOR_STATE_TYPE!r}")
        if state.get("version") != _ALLOCATOR_STATE_VERSION:
            raise invalid(f"unsupported version {state.get('version')!r}")
        length, count, list_url = state.get("length"), state.get("allocated"), state.get("listUrl")
        if not isinstance(length, int) or isinstance(length, bool) or length < 1:
            raise invalid("length must be a positive integer")
        if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= length:
            raise invalid("allocated must be an integer between 0 and length")
        if list_url is not None and not isinstance(list_url, str):
            raise invalid("listUrl must be a string or null")
        try:
            bitmap = BitstringStatusList.decode(
                state.get("bitmap"),  # type: ignore[arg-type]
                min_entries=1,
                max_decoded_bytes=(length + 7) // 8,
            ).to_bytes()
        except StatusListError as exc:
            raise invalid(f"bitmap: {exc.message}") from exc
        if len(bitmap) != (length + 7) // 8:
            raise invalid("the bitmap size does not match length")
        if length % 8 and bitmap[-1] & (0xFF >> (length % 8)):
            raise invalid("the bitmap marks indexes beyond length")
        if sum(_POPCOUNT[b] for b in bitmap) != count:
            raise invalid("allocated does not match the bitmap")
        allocator = cls(length=length, list_url=list_url)
        allocator._used = bytearray(bitmap)
        allocator._count = count
        return allocator

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the state to ``path`` atomically and durably (temp file, fsync, rename).

        After ``save`` returns, every index allocated so far survives a crash or ``kill -9``.

        Raises:
            StatusListError: ``allocator_state_unwritable`` when the file cannot be written.

        Example:
            >>> allocator.save("status-1.allocator.json")  # doctest: +SKIP
        """
        target = Path(path)
        try:
            write_atomic(target, self.to_json().encode("utf-8"))
        except OSError as exc:
            raise _error(
                f"cannot write the allocator state to {target}: {exc}",
                "allocator_state_unwritable",
                path=str(target),
            ) from exc

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> StatusListAllocator:
        """Read a state written by :meth:`save`.

        Raises:
            StatusListError: ``allocator_state_missing`` when the file does not exist (create
                a new allocator for a new list), ``allocator_state_invalid`` when it is damaged.

        Example:
            >>> allocator = StatusListAllocator.load("status-1.allocator.json")  # doctest: +SKIP
        """
        target = Path(path)
        try:
            data = target.read_bytes()
        except FileNotFoundError as exc:
            raise _error(
                f"no allocator state at {target}; create StatusListAllocator(...) for a new list",
                "allocator_state_missing",
                path=str(target),
            ) from exc
        except OSError as exc:
            raise _error(
                f"cannot read the allocator state {target}: {exc}",
                "allocator_state_invalid",
                path=str(target),
            ) from exc
        return cls.from_json(data)

    def __repr__(self) -> str:
        return (
            f"StatusListAllocator(length={self.length}, list_url={self.list_url!r}, "
            f"allocated={self._count})"
        )


# --------------------------------------------------------------------------- documents


def entry(
    index: int,
    *,
    list_url: str,
    purpose: str = "revocation",
    status_size: int = 1,
    status_messages: Mapping[int, str] | None = None,
    status_reference: str | None = None,
    entry_id: str | None = None,
) -> dict[str, Any]:
    """Build the ``BitstringStatusListEntry`` for a credential's ``credentialStatus``.

    Args:
        index: The credential's index (from :meth:`StatusListAllocator.allocate`).
        list_url: URL of the ``BitstringStatusListCredential``.
        purpose: ``"revocation"`` (default), ``"suspension"`` or ``"message"``.
        status_size: Bits per entry; above 1, ``status_messages`` must name every value.
        status_messages: ``{value: message}`` for each possible value (``statusMessage``).
        status_reference: Optional URL explaining the statuses (``statusReference``).
        entry_id: The entry's ``id``; default ``f"{list_url}#{index}"``.

    Returns:
        A new dict.

    Raises:
        StatusListError: ``status_entry_invalid`` for a bad index, URL, purpose or messages.

    Example:
        >>> entry(94567, list_url="https://hs.nl/status/3")["statusListIndex"]
        '94567'
    """
    _check_int(index, "index", minimum=0, code="status_entry_invalid")
    _check_url(list_url, "list_url")
    _check_purpose(purpose, "purpose")
    _check_status_size(status_size)
    out: dict[str, Any] = {
        "id": entry_id if entry_id is not None else f"{list_url}#{index}",
        "type": BITSTRING_ENTRY_TYPE,
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }
    if not isinstance(out["id"], str) or out["id"] == list_url:
        raise _error(
            "the entry id must be a string and must not be the status list URL",
            "status_entry_invalid",
        )
    if status_size != 1:
        out["statusSize"] = status_size
    if status_size > 1 and status_messages is None:
        raise _error(
            f"statusSize {status_size} requires status_messages for all {1 << status_size} "
            "values (Bitstring Status List, BitstringStatusListEntry)",
            "status_entry_invalid",
        )
    if status_messages is not None:
        expected = set(range(1 << status_size))
        if not isinstance(status_messages, Mapping) or set(status_messages) != expected:
            raise _error(
                f"status_messages must map every value 0..{(1 << status_size) - 1} to a message",
                "status_entry_invalid",
            )
        if not all(isinstance(m, str) for m in status_messages.values()):
            raise _error("every status message must be a string", "status_entry_invalid")
        out["statusMessage"] = [
            {"status": f"0x{value:x}", "message": status_messages[value]}
            for value in sorted(status_messages)
        ]
    if status_reference is not None:
        _check_url(status_reference, "status_reference")
        out["statusReference"] = status_reference
    return out


def _check_url(value: Any, name: str) -> str:
    if not isinstance(value, str) or not urlsplit(value).scheme or any(c.isspace() for c in value):
        raise _error(f"{name} must be an absolute URL, got {value!r}", "status_entry_invalid")
    return value


def _date_text(value: datetime | str, name: str) -> str:
    if isinstance(value, datetime):
        try:
            return format_datetime(value)
        except DateTimeSyntaxError as exc:
            raise InvalidInputError(f"{name}: {exc}", code="invalid_date", field=name) from exc
    if isinstance(value, str):
        try:
            parse_datetime(value)
        except DateTimeSyntaxError as exc:
            raise InvalidInputError(f"{name}: {exc}", code="invalid_date", field=name) from exc
        return value
    raise InvalidInputError(
        f"{name} must be a datetime or an RFC 3339 string", code="invalid_date", field=name
    )


def status_list_credential(
    status_list: BitstringStatusList,
    *,
    id: str,  # noqa: A002 - the JSON member it fills
    issuer: str | Mapping[str, Any],
    valid_from: datetime | str | None = None,
    valid_until: datetime | str | None = None,
    ttl: int | None = None,
) -> dict[str, Any]:
    """The unsigned ``BitstringStatusListCredential`` publishing ``status_list``.

    Sign it with ``mcbadge.issue(credential, key)`` (Data Integrity) or
    ``issue(credential, key, format="jwt")`` and serve it at ``id``, the URL that
    :func:`entry` put in ``statusListCredential``. Re-sign and republish after every change.

    Args:
        status_list: The list (its ``status_purpose`` becomes ``statusPurpose``).
        id: The URL the list is published at.
        issuer: The issuer id (or a Profile with ``id``): normally the credentials' issuer,
            since verifiers check the two match.
        valid_from: Start of validity (default: now, to the second, UTC).
        valid_until: Optional end of validity: verifiers refuse the list after it, so
            republish before then.
        ttl: Optional ``ttl`` in milliseconds (how long verifiers may cache it; spec default
            300000).

    Returns:
        A new dict; VC 2.0 context (which defines every status list term).

    Raises:
        StatusListError: ``status_entry_invalid`` for a bad URL, issuer or purpose.
        InvalidInputError: ``invalid_date`` for a bad date, or ``valid_until`` not after
            ``valid_from``.

    Example:
        >>> vc = status_list_credential(BitstringStatusList.create(),
        ...     id="https://hs.nl/status/1", issuer="did:web:hs.nl",
        ...     valid_from="2025-01-01T00:00:00Z")
        >>> vc["type"], vc["credentialSubject"]["id"]
        (['VerifiableCredential', 'BitstringStatusListCredential'], 'https://hs.nl/status/1#list')
    """
    if not isinstance(status_list, BitstringStatusList):
        raise InvalidInputError(
            "status_list must be a BitstringStatusList", code="invalid_input", field="status_list"
        )
    _check_url(id, "id")
    issuer_id = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    _check_url(issuer_id, "issuer")
    if status_list.status_purpose is None:
        raise _error(
            "the status list has no status_purpose; decode it with status_purpose=... or "
            "create it with BitstringStatusList.create(status_purpose=...)",
            "status_entry_invalid",
        )
    start = _date_text(
        valid_from if valid_from is not None else datetime.now(UTC).replace(microsecond=0),
        "valid_from",
    )
    credential: dict[str, Any] = {
        "@context": [VC_V2_CONTEXT],
        "id": id,
        "type": ["VerifiableCredential", BITSTRING_CREDENTIAL_TYPE],
        "issuer": copy.deepcopy(dict(issuer)) if isinstance(issuer, Mapping) else issuer,
        "validFrom": start,
    }
    if valid_until is not None:
        end = _date_text(valid_until, "valid_until")
        if parse_datetime(end) <= parse_datetime(start):
            raise InvalidInputError(
                f"valid_until ({end}) must be after valid_from ({start})",
                code="invalid_date",
                field="valid_until",
            )
        credential["validUntil"] = end
    subject: dict[str, Any] = {
        "id": f"{id}#list",
        "type": BITSTRING_SUBJECT_TYPE,
        "statusPurpose": status_list.status_purpose,
        "encodedList": status_list.encode(),
    }
    if ttl is not None:
        subject["ttl"] = _check_int(ttl, "ttl", minimum=1, code="status_entry_invalid")
    credential["credentialSubject"] = subject
    return credential


# --------------------------------------------------------------------------- checking


@dataclass(frozen=True)
class StatusResult:
    """The outcome of checking one ``credentialStatus`` entry.

    Attributes:
        type: ``"BitstringStatusListEntry"`` or ``"1EdTechRevocationList"``.
        purpose: The status purpose (``"revocation"`` for a 1EdTech revocation list).
        index: The entry's index (``None`` for a 1EdTech revocation list).
        value: The entry's value: 0 = not set (not revoked / not suspended), else set.
        list_credential: The status list URL.
        list_issuer: The issuer id of the list, when it names one.
        message: The status message (``statusMessage``, or ``"set"`` / ``"unset"`` by default;
            for 1EdTech the ``revocationReason``, when given).
        checked_at: The checker's clock when the check ran.
        from_cache: Whether the list came from the cache rather than a fetch.
        list_verified: ``True`` when the list's proof was verified (always for bitstring
            lists); ``False`` for 1EdTech revocation lists, which carry no proof and are only as
            trustworthy as the HTTPS connection they came over.

    Example:
        >>> StatusResult(type="BitstringStatusListEntry", purpose="revocation", index=3, value=1,
        ...     list_credential="https://hs.nl/status/1", list_issuer="did:web:hs.nl",
        ...     message="set", checked_at=datetime(2025, 1, 1, tzinfo=UTC)).revoked
        True
    """

    type: str
    purpose: str
    index: int | None
    value: int
    list_credential: str
    list_issuer: str | None
    message: str | None
    checked_at: datetime
    from_cache: bool = False
    list_verified: bool = True

    @property
    def is_set(self) -> bool:
        """Whether the entry is set (non-zero)."""
        return self.value != 0

    @property
    def valid(self) -> bool:
        """The spec's ``valid``: the value is 0."""
        return self.value == 0

    @property
    def revoked(self) -> bool:
        """Set on a ``revocation`` purpose."""
        return self.purpose == "revocation" and self.value != 0

    @property
    def suspended(self) -> bool:
        """Set on a ``suspension`` purpose."""
        return self.purpose == "suspension" and self.value != 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable form (for reports).

        Example:
            >>> StatusResult(type="1EdTechRevocationList", purpose="revocation", index=None,
            ...     value=0, list_credential="https://hs.nl/rl", list_issuer=None, message=None,
            ...     checked_at=datetime(2025, 1, 1, tzinfo=UTC)).to_dict()["checkedAt"]
            '2025-01-01T00:00:00Z'
        """
        return {
            "type": self.type,
            "purpose": self.purpose,
            "index": self.index,
            "value": self.value,
            "set": self.is_set,
            "listCredential": self.list_credential,
            "listIssuer": self.list_issuer,
            "message": self.message,
            "checkedAt": format_datetime(self.checked_at),
            "fromCache": self.from_cache,
            "listVerified": self.list_verified,
        }


@dataclass(frozen=True)
class _VerifiedList:
    """A fetched and verified bitstring status list credential, as cached."""

    url: str
    issuer: str | None
    purposes: tuple[str, ...]
    valid_from: datetime | None
    valid_until: datetime | None
    bits: bytes = field(repr=False)
    expires_at: datetime = field(default=datetime.max.replace(tzinfo=UTC))


@dataclass(frozen=True)
class _RevocationList:
    """A fetched 1EdTech revocation list, as cached."""

    url: str
    issuer: str | None
    revoked: Mapping[str, str | None] = field(repr=False)
    expires_at: datetime = field(default=datetime.max.replace(tzinfo=UTC))


class StatusChecker:
    """Checks ``credentialStatus`` entries: fetch, verify, check, decode, read, cache.

    Offline by default: give a ``fetcher`` (your HTTP client, a local mirror, a test double),
    or ``allow_network=True`` for HTTPS fetches with a timeout and a size cap. With neither,
    :meth:`check` raises ``status_unavailable`` and a verifier fails closed.

    For a ``BitstringStatusListEntry`` the list credential must carry a valid Data Integrity
    proof or be a VC-JWT, signed by a key of its own issuer; its ``id`` must be the URL it
    was fetched from; it must be within ``validFrom`` / ``validUntil`` (a VC-JWT list also
    within its ``nbf`` / ``exp``); its ``statusPurpose`` must include the entry's; it must
    hold at least 131,072 entries. Verified lists are cached for ``min(cache_ttl, list ttl)``
    seconds (ttl defaults to 300 s).

    Args:
        fetcher: ``fetcher(url)`` returns the document (bytes, text, JWS or parsed JSON).
        allow_network: Fetch over HTTPS with httpx when there is no ``fetcher``.
        cache_ttl: Seconds to reuse a verified list (0 disables the cache).
        clock: Returns the current aware datetime (default: UTC now).
        resolver: Resolves verification methods (default: an offline
            :class:`~mcbadge.did.Resolver`, online when ``allow_network``).
        keys: Trusted public keys by verification method URL.
        http_client: The ``httpx.Client`` for network fetches (tests inject a mock transport).
        timeout: Seconds one HTTPS fetch may take in total (redirects and reads included).
        max_bytes: Largest document accepted.
        leeway: Clock skew tolerated on ``validFrom`` / ``validUntil``.
        network: Deadline, redirects, allowed non-public addresses and TLS context for
            fetches (:class:`mcbadge.net.NetworkPolicy`; replaces ``timeout`` when given);
            the default resolver uses it too. Only public addresses are reached by default.

    Raises:
        InvalidInputError: a bad option.

    Example:
        >>> lists = {"https://hs.nl/status/1": signed_list}  # doctest: +SKIP
        >>> checker = StatusChecker(fetcher=lists.__getitem__)  # doctest: +SKIP
        >>> result = checker.check(credential["credentialStatus"],
        ...                        expected_issuer="did:web:hs.nl")  # doctest: +SKIP
        >>> result.revoked  # doctest: +SKIP
        False
    """

    def __init__(
        self,
        *,
        fetcher: StatusFetcher | None = None,
        allow_network: bool = False,
        cache_ttl: float = DEFAULT_CACHE_TTL,
        clock: Callable[[], datetime] | None = None,
        resolver: Resolver | None = None,
        keys: Mapping[str, PublicKey] | None = None,
        http_client: httpx.Client | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES,
        leeway: timedelta | float = 0.0,
        network: NetworkPolicy | None = None,
    ) -> None:
        if fetcher is not None and not callable(fetcher):
            raise InvalidInputError("fetcher must be callable: fetcher(url) -> document")
        if (
            not isinstance(cache_ttl, int | float)
            or isinstance(cache_ttl, bool)
            or not 0 <= cache_ttl <= _MAX_CACHE_TTL
        ):
            raise InvalidInputError(f"cache_ttl must be 0 to {_MAX_CACHE_TTL:g} seconds")
        if (
            not isinstance(timeout, int | float)
            or isinstance(timeout, bool)
            or not 0 < timeout <= _MAX_CACHE_TTL
        ):
            raise InvalidInputError("timeout must be a positive number of seconds")
        if not isinstance(max_bytes, int) or isinstance(max_bytes, bool) or max_bytes <= 0:
            raise InvalidInputError("max_bytes must be a positive integer")
        if isinstance(leeway, int | float) and not isinstance(leeway, bool):
            leeway = timedelta(seconds=leeway)
        if not isinstance(leeway, timedelta) or not timedelta(0) <= leeway <= timedelta(
            seconds=_MAX_CACHE_TTL
        ):
            raise InvalidInputError("leeway must be a non-negative timedelta or seconds")
        if clock is not None and not callable(clock):
            raise InvalidInputError("clock must be callable: clock() -> aware datetime")
        self._fetcher = fetcher
        self.allow_network = bool(allow_network)
        self.cache_ttl = float(cache_ttl)
        self._clock = clock
        self._keys = dict(keys or {})
        self.network = network or NetworkPolicy(
            deadline=float(timeout), max_redirects=_MAX_REDIRECTS
        )
        if resolver is None:
            from mcbadge.did import Resolver

            resolver = Resolver(
                allow_network=self.allow_network, http_client=http_client, network=self.network
            )
        self._resolver = resolver
        self._http_client = http_client
        self.timeout = float(timeout)
        self.max_bytes = max_bytes
        self.leeway = leeway
        self._cache: dict[tuple[str, str], _VerifiedList | _RevocationList] = {}
        self._lock = threading.Lock()

    # ---- public API
    def check(
        self,
        entry: Mapping[str, Any],
        *,
        expected_issuer: str | None = None,
        credential_id: str | None = None,
    ) -> StatusResult:
        """Check one ``credentialStatus`` entry.

        Args:
            entry: A ``BitstringStatusListEntry`` or a ``1EdTechRevocationList`` status.
            expected_issuer: The credential's issuer id: the list must be issued by it
                (recommended; a list from someone else then fails).
            credential_id: The credential's ``id``: required for ``1EdTechRevocationList``.

        Returns:
            The :class:`StatusResult` (a set bit is a result, not an error: read
            ``result.revoked`` / ``result.suspended``).

        Raises:
            StatusListError: with a stable ``code``: ``status_unavailable`` (no fetcher, no
                network), ``status_list_unavailable``, ``status_list_insecure_url``,
                ``status_list_invalid_proof``, ``status_list_malformed``,
                ``status_list_id_mismatch``, ``status_list_issuer_mismatch``,
                ``status_purpose_mismatch``, ``status_list_expired``,
                ``status_list_not_yet_valid``, ``status_list_too_short``,
                ``status_list_too_large``, ``status_index_out_of_range``,
                ``status_entry_invalid``, ``status_type_unsupported``,
                ``status_credential_id_missing``.

        Example:
            >>> StatusChecker().check({"type": "BitstringStatusListEntry",  # doctest: +ELLIPSIS
            ...     "statusPurpose": "revocation", "statusListIndex": "1",
            ...     "statusListCredential": "https://hs.nl/status/1"})
            Traceback (most recent call last):
            ...
            mcbadge.errors.StatusListError: cannot check the status list https://hs.nl/status/1: ...
        """
        if not isinstance(entry, Mapping):
            raise _error("credentialStatus must be an object", "status_entry_invalid")
        kind = entry.get("type")
        types = kind if isinstance(kind, list) else [kind]
        now = self._now()
        if BITSTRING_ENTRY_TYPE in types:
            return self._check_bitstring(entry, expected_issuer=expected_issuer, now=now)
        if REVOCATION_LIST_TYPE in types:
            return self._check_revocation_list(
                entry, expected_issuer=expected_issuer, credential_id=credential_id, now=now
            )
        raise _error(
            f"unsupported credentialStatus type {kind!r}: supported are "
            f"{BITSTRING_ENTRY_TYPE!r} and {REVOCATION_LIST_TYPE!r}",
            "status_type_unsupported",
            type=str(kind),
        )

    def check_credential(self, credential: Mapping[str, Any]) -> list[StatusResult]:
        """Check every ``credentialStatus`` entry of ``credential`` against its own issuer.

        Args:
            credential: The (already verified) credential.

        Returns:
            One result per entry; empty when the credential has no ``credentialStatus``.

        Raises:
            StatusListError: as :meth:`check`, for the first entry that cannot be checked.

        Example:
            >>> StatusChecker().check_credential({"issuer": "did:web:hs.nl"})
            []
        """
        if not isinstance(credential, Mapping):
            raise _error("the credential must be a JSON object", "status_entry_invalid")
        status = credential.get("credentialStatus")
        if status is None:
            return []
        entries = status if isinstance(status, list) else [status]
        issuer = _issuer_id(credential)
        credential_id = credential.get("id")
        return [
            self.check(
                item,
                expected_issuer=issuer,
                credential_id=credential_id if isinstance(credential_id, str) else None,
            )
            for item in entries
        ]

    def clear_cache(self) -> None:
        """Forget every cached list.

        Example:
            >>> StatusChecker().clear_cache()
        """
        with self._lock:
            self._cache.clear()

    # ---- bitstring status lists
    def _check_bitstring(
        self, entry: Mapping[str, Any], *, expected_issuer: str | None, now: datetime
    ) -> StatusResult:
        purpose = entry.get("statusPurpose")
        if not isinstance(purpose, str) or not purpose:
            raise _error("credentialStatus.statusPurpose must be a string", "status_entry_invalid")
        raw_index = entry.get("statusListIndex")
        if not isinstance(raw_index, str) or not _INDEX_RE.fullmatch(raw_index):
            raise _error(
                f"credentialStatus.statusListIndex must be a base-10 integer written as a "
                f"string, got {raw_index!r}",
                "status_entry_invalid",
            )
        index = int(raw_index)
        url = entry.get("statusListCredential")
        if not isinstance(url, str) or not url:
            raise _error(
                "credentialStatus.statusListCredential must be a URL", "status_entry_invalid"
            )
        if entry.get("id") is not None and entry.get("id") == url:
            raise _error(
                "credentialStatus.id must not be the status list URL", "status_entry_invalid"
            )
        status_size = entry.get("statusSize", 1)
        try:
            _check_status_size(status_size)
        except StatusListError as exc:
            raise _error(exc.message, "status_entry_invalid") from exc
        messages = _status_messages(entry.get("statusMessage"), status_size)

        listed, from_cache = self._bitstring_list(url, now)
        if expected_issuer is not None and listed.issuer != expected_issuer:
            raise _error(
                f"the status list {url} is issued by {listed.issuer!r}, not by the credential's "
                f"issuer {expected_issuer!r}",
                "status_list_issuer_mismatch",
                url=url,
            )
        self._check_dates(listed.valid_from, listed.valid_until, now, url)
        if purpose not in listed.purposes:
            raise _error(
                f"the credential's statusPurpose {purpose!r} is not a purpose of the status list "
                f"{url} ({', '.join(listed.purposes)})",
                "status_purpose_mismatch",
                url=url,
            )
        status_list = BitstringStatusList(listed.bits, status_size=status_size)
        if status_list.length < MIN_ENTRIES:
            raise _error(
                f"the status list {url} has {status_list.length} entries of {status_size} "
                f"bit(s); at least {MIN_ENTRIES} are required",
                "status_list_too_short",
                url=url,
            )
        value = status_list.get(index) if index < status_list.length else None
        if value is None:
            raise _error(
                f"statusListIndex {index} is outside the status list {url} "
                f"(0..{status_list.length - 1})",
                "status_index_out_of_range",
                url=url,
                index=index,
            )
        if messages is not None:
            message = messages.get(value)
        else:
            message = "set" if value else "unset"
        return StatusResult(
            type=BITSTRING_ENTRY_TYPE,
            purpose=purpose,
            index=index,
            value=value,
            list_credential=url,
            list_issuer=listed.issuer,
            message=message,
            checked_at=now,
            from_cache=from_cache,
            list_verified=True,
        )

    def _bitstring_list(self, url: str, now: datetime) -> tuple[_VerifiedList, bool]:
        cached = self._cached(("bitstring", url), now)
        if isinstance(cached, _VerifiedList):
            outdated = cached.valid_until is not None and now - self.leeway > cached.valid_until
            if not outdated:
                return cached, True
            # the cached copy expired: the issuer may have republished, so fetch again
        listed = self._verify_list_credential(self._fetch(url), url)
        ttl = min(self.cache_ttl, listed.ttl_seconds)
        verified = _VerifiedList(
            url=url,
            issuer=listed.issuer,
            purposes=listed.purposes,
            valid_from=listed.valid_from,
            valid_until=listed.valid_until,
            bits=listed.bits,
            expires_at=now + timedelta(seconds=ttl),
        )
        if ttl > 0:
            self._store(("bitstring", url), verified)
        return verified, False

    def _verify_list_credential(self, document: Any, url: str) -> _ParsedList:
        credential, jwt_payload = self._verified_credential(document, url)
        types = credential.get("type")
        if not isinstance(types, list) or BITSTRING_CREDENTIAL_TYPE not in types:
            raise _error(
                f"the document at {url} is not a {BITSTRING_CREDENTIAL_TYPE} (type {types!r})",
                "status_list_malformed",
                url=url,
            )
        list_id = credential.get("id")
        if list_id != url:
            # without an id, a signed list could be served for any URL of its issuer (F2)
            found = "no id" if list_id is None else f"id {list_id!r}"
            raise _error(
                f"the status list credential fetched from {url} has {found}: a status list "
                "must name the URL it is published at, and a list published for another URL "
                "is not accepted",
                "status_list_id_mismatch",
                url=url,
            )
        subject = credential.get("credentialSubject")
        if isinstance(subject, list) and len(subject) == 1:
            subject = subject[0]
        if not isinstance(subject, Mapping):
            raise _error(
                f"the status list {url} has no credentialSubject object", "status_list_malformed"
            )
        subject_type = subject.get("type")
        subject_types = subject_type if isinstance(subject_type, list) else [subject_type]
        if BITSTRING_SUBJECT_TYPE not in subject_types:
            raise _error(
                f"the status list {url} credentialSubject.type must be "
                f"{BITSTRING_SUBJECT_TYPE!r}, got {subject_type!r}",
                "status_list_malformed",
                url=url,
            )
        raw_purposes = subject.get("statusPurpose")
        purposes = raw_purposes if isinstance(raw_purposes, list) else [raw_purposes]
        if not purposes or not all(isinstance(p, str) and p for p in purposes):
            raise _error(
                f"the status list {url} credentialSubject.statusPurpose must be one or more "
                "strings",
                "status_list_malformed",
                url=url,
            )
        encoded = subject.get("encodedList")
        if not isinstance(encoded, str):
            raise _error(
                f"the status list {url} has no credentialSubject.encodedList string",
                "status_list_malformed",
                url=url,
            )
        ttl_ms = subject.get("ttl", _DEFAULT_TTL_MS)
        if not isinstance(ttl_ms, int | float) or isinstance(ttl_ms, bool) or ttl_ms < 0:
            raise _error(
                f"the status list {url} ttl must be a number of milliseconds",
                "status_list_malformed",
            )
        try:
            bits = BitstringStatusList.decode(encoded, min_entries=1).to_bytes()
        except StatusListError as exc:
            raise _error(f"the status list {url}: {exc.message}", exc.code, url=url) from exc
        valid_from = _optional_date(credential, "validFrom", url)
        valid_until = _optional_date(credential, "validUntil", url)
        if jwt_payload is not None:
            # a VC-JWT list is valid only inside its nbf/exp as well (issue 10, F2/F8)
            from mcbadge.jwt import claim_times

            nbf, exp = claim_times(jwt_payload)
            if nbf is not None and (valid_from is None or nbf > valid_from):
                valid_from = nbf
            if exp is not None and (valid_until is None or exp < valid_until):
                valid_until = exp
        return _ParsedList(
            issuer=_issuer_id(credential),
            purposes=tuple(str(p) for p in purposes),
            valid_from=valid_from,
            valid_until=valid_until,
            bits=bits,
            ttl_seconds=float(ttl_ms) / 1000.0,
        )

    def _verified_credential(
        self, document: Any, url: str
    ) -> tuple[Mapping[str, Any], Mapping[str, Any] | None]:
        """Verify the list credential's proof (DI or VC-JWT) and its key's binding to issuer.

        Returns the credential and, for a VC-JWT, its payload (whose ``nbf``/``exp`` bound the
        list's validity too).
        """
        if isinstance(document, Mapping):
            types = document.get("type")
            if (
                isinstance(types, list | str)
                and "EnvelopedVerifiableCredential"
                in (types if isinstance(types, list) else [types])
                and isinstance(document.get("id"), str)
                and document["id"].startswith(_ENVELOPED_JWT_PREFIX)
            ):
                return self._verify_jwt(document["id"][len(_ENVELOPED_JWT_PREFIX) :], url)
            return self._verify_data_integrity(document, url), None
        if isinstance(document, str):
            return self._verify_jwt(document, url)
        raise _error(
            f"the status list at {url} is neither a JSON object nor a VC-JWT",
            "status_list_malformed",
            url=url,
        )

    def _verify_data_integrity(self, document: Mapping[str, Any], url: str) -> Mapping[str, Any]:
        from mcbadge.proofs import verify_proofs

        if "proof" not in document:
            raise _error(
                f"the status list credential at {url} has no proof: an unsigned list cannot "
                "be trusted",
                "status_list_invalid_proof",
                url=url,
            )
        try:
            results = verify_proofs(
                document,
                resolver=self._resolver,
                expected_purpose="assertionMethod",
                key_lookup=self._keys.get if self._keys else None,
            )
        except McBadgeError as exc:
            raise _error(
                f"the status list credential at {url} cannot be verified: {exc.message}",
                "status_list_invalid_proof",
                url=url,
            ) from exc
        issuer = _issuer_id(document)
        if not results:
            raise _error(
                f"the status list credential at {url} has no proof",
                "status_list_invalid_proof",
                url=url,
            )
        for result in results:
            if not result.verified:
                reason = result.error.message if result.error is not None else "invalid"
                # a list written where the checks would not read what is signed (issue 10, F1)
                # keeps the code it has at signing and in verify()
                code = (
                    result.error.code
                    if isinstance(result.error, NonCompactJsonLdError)
                    else "status_list_invalid_proof"
                )
                raise _error(
                    f"a proof of the status list credential at {url} does not verify: {reason}",
                    code,
                    url=url,
                )
            vm = result.verification_method or ""
            if not _key_belongs_to(issuer, vm, result.controller):
                raise _error(
                    f"the status list credential at {url} is signed with {vm!r}, which is not "
                    f"a key of its issuer {issuer!r}",
                    "status_list_invalid_proof",
                    url=url,
                )
        return document

    def _verify_jwt(self, token: str, url: str) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
        from mcbadge.jwt import check_jwt_claims, decode_credential_jwt

        token = token.strip()
        if not _JWS_RE.fullmatch(token):
            raise _error(
                f"the status list at {url} is neither JSON nor a compact JWS",
                "status_list_malformed",
                url=url,
            )
        resolved: dict[str, Any] = {}

        def key_for(header: Mapping[str, Any]) -> PublicKey:
            kid = str(header["kid"])
            trusted = self._keys.get(kid)
            if trusted is not None:
                resolved["vm"], resolved["controller"] = kid, None
                return trusted
            method = self._resolver.resolve_verification_method(kid)
            if not method.authorized_for("assertionMethod"):
                raise _error(
                    f"{kid} is not an assertionMethod of its controller",
                    "status_list_invalid_proof",
                )
            resolved["vm"], resolved["controller"] = kid, method.controller
            return method.public_key

        try:
            result = decode_credential_jwt(token, key_resolver=key_for)
        except McBadgeError as exc:
            raise _error(
                f"the status list VC-JWT at {url} does not verify: {exc.message}",
                "status_list_invalid_proof",
                url=url,
            ) from exc
        credential = result.credential
        issuer = _issuer_id(credential)
        if result.key_source == "jwk_header":
            # a bare header key proves nothing unless the issuer *is* that key
            try:
                bound = result.key is not None and issuer == result.key.did_key
            except McBadgeError:
                bound = False
            if not bound:
                raise _error(
                    f"the status list VC-JWT at {url} names its key only by a header jwk, which "
                    f"is not a key of its issuer {issuer!r}",
                    "status_list_invalid_proof",
                    url=url,
                )
        elif not _key_belongs_to(issuer, resolved.get("vm", ""), resolved.get("controller")):
            raise _error(
                f"the status list VC-JWT at {url} is signed with {resolved.get('vm')!r}, which is "
                f"not a key of its issuer {issuer!r}",
                "status_list_invalid_proof",
                url=url,
            )
        problems = check_jwt_claims(result.payload)
        if problems:
            raise _error(
                f"the status list VC-JWT at {url} has claims that disagree with it: "
                + "; ".join(p.message for p in problems),
                "status_list_invalid_proof",
                url=url,
            )
        return credential, result.payload

    # ---- 1EdTech revocation lists
    def _check_revocation_list(
        self,
        entry: Mapping[str, Any],
        *,
        expected_issuer: str | None,
        credential_id: str | None,
        now: datetime,
    ) -> StatusResult:
        url = entry.get("id")
        if not isinstance(url, str) or not url:
            raise _error(
                "a 1EdTechRevocationList credentialStatus needs the list URL in id",
                "status_entry_invalid",
            )
        if not credential_id:
            raise _error(
                "checking a 1EdTechRevocationList needs the credential's id (the list names "
                "revoked credentials by id); the credential has none",
                "status_credential_id_missing",
                url=url,
            )
        cached = self._cached(("1edtech", url), now)
        from_cache = isinstance(cached, _RevocationList)
        if isinstance(cached, _RevocationList):
            listed = cached
        else:
            listed = _parse_revocation_list(self._fetch(url), url)
            if self.cache_ttl > 0:
                listed = _RevocationList(
                    url=url,
                    issuer=listed.issuer,
                    revoked=listed.revoked,
                    expires_at=now + timedelta(seconds=self.cache_ttl),
                )
                self._store(("1edtech", url), listed)
        if expected_issuer is not None and listed.issuer is not None:
            if listed.issuer != expected_issuer:
                raise _error(
                    f"the revocation list {url} is issued by {listed.issuer!r}, not by the "
                    f"credential's issuer {expected_issuer!r}",
                    "status_list_issuer_mismatch",
                    url=url,
                )
        revoked = credential_id in listed.revoked
        return StatusResult(
            type=REVOCATION_LIST_TYPE,
            purpose="revocation",
            index=None,
            value=1 if revoked else 0,
            list_credential=url,
            list_issuer=listed.issuer,
            message=listed.revoked.get(credential_id) if revoked else None,
            checked_at=now,
            from_cache=from_cache,
            list_verified=False,
        )

    # ---- shared plumbing
    def _now(self) -> datetime:
        now = self._clock() if self._clock is not None else datetime.now(UTC)
        if not isinstance(now, datetime) or now.utcoffset() is None:
            raise InvalidInputError("the clock must return an aware datetime", code="invalid_clock")
        return now

    def _check_dates(
        self, valid_from: datetime | None, valid_until: datetime | None, now: datetime, url: str
    ) -> None:
        if valid_from is not None and now + self.leeway < valid_from:
            raise _error(
                f"the status list {url} is not valid before {format_datetime(valid_from)}",
                "status_list_not_yet_valid",
                url=url,
            )
        if valid_until is not None and now - self.leeway > valid_until:
            raise _error(
                f"the status list {url} expired at {format_datetime(valid_until)}; the issuer "
                "must republish it",
                "status_list_expired",
                url=url,
            )

    def _cached(
        self, key: tuple[str, str], now: datetime
    ) -> _VerifiedList | _RevocationList | None:
        with self._lock:
            hit = self._cache.get(key)
            if hit is None:
                return None
            if now >= hit.expires_at:
                del self._cache[key]
                return None
            return hit

    def _store(self, key: tuple[str, str], value: _VerifiedList | _RevocationList) -> None:
        with self._lock:
            if key not in self._cache and len(self._cache) >= _MAX_CACHE_ENTRIES:
                oldest = min(self._cache, key=lambda k: self._cache[k].expires_at)
                del self._cache[oldest]
            self._cache[key] = value

    def _fetch(self, url: str) -> Any:
        if self._fetcher is not None:
            try:
                raw = self._fetcher(url)
            except Exception as exc:  # the fetcher is the caller's code: any failure
                reason = exc.message if isinstance(exc, McBadgeError) else f"{exc!r}"
                raise _error(
                    f"cannot retrieve the status list {url}: {reason}",
                    "status_list_unavailable",
                    url=url,
                ) from exc
            return self._parse_document(raw, url)
        if not self.allow_network:
            raise _error(
                f"cannot check the status list {url}: no status fetcher was given and network "
                "access is off; pass fetcher=... (or status_fetcher= to verify) or "
                "allow_network=True, or explicitly skip the status check",
                "status_unavailable",
                url=url,
            )
        return self._parse_document(self._http_get(url), url)

    def _parse_document(self, raw: Any, url: str) -> Any:
        if isinstance(raw, Mapping):
            return copy.deepcopy(dict(raw))
        if isinstance(raw, list):  # parsed JSON, though no status list is an array
            return copy.deepcopy(raw)
        if isinstance(raw, bytes | bytearray):
            if len(raw) > self.max_bytes:
                raise _too_large(url, self.max_bytes)
            try:
                raw = bytes(raw).decode("utf-8")
            except UnicodeDecodeError as exc:
                raise _error(
                    f"the status list at {url} is not UTF-8 text", "status_list_malformed", url=url
                ) from exc
        if isinstance(raw, str):
            if len(raw) > self.max_bytes:
                raise _too_large(url, self.max_bytes)
            text = raw.strip()
            if text.startswith("{"):
                return _loads_strict(text, url)
            return text
        raise _error(
            f"the status fetcher returned {type(raw).__name__} for {url}; expected bytes, str "
            "or a JSON object",
            "status_list_unavailable",
            url=url,
        )

    def _http_get(self, url: str) -> bytes:
        from mcbadge.net import FetchError, fetch  # noqa: PLC0415 - httpx loads on first use

        try:
            return fetch(
                url,
                accept=_ACCEPT,
                max_bytes=self.max_bytes,
                policy=self.network,
                client=self._http_client,
            ).body
        except FetchError as exc:
            if exc.kind == "too_large":
                raise _too_large(url, self.max_bytes) from exc
            raise _error(
                f"fetching the status list failed: {exc.message}",
                "status_list_insecure_url"
                if exc.kind == "insecure_url"
                else "status_list_unavailable",
                url=exc.url,
                reason=exc.kind,
                **({"status": exc.status} if exc.status is not None else {}),
            ) from exc


@dataclass(frozen=True)
class _ParsedList:
    issuer: str | None
    purposes: tuple[str, ...]
    valid_from: datetime | None
    valid_until: datetime | None
    bits: bytes = field(repr=False)
    ttl_seconds: float = _DEFAULT_TTL_MS / 1000.0


def _too_large(url: str, limit: int) -> StatusListError:
    return _error(
        f"the status list document at {url} is larger than {limit} bytes",
        "status_list_unavailable",
        url=url,
    )


def _loads_strict(text: str, url: str) -> Any:
    try:
        return loads_strict(text)
    except JsonTextError as exc:
        raise _error(
            f"the status list at {url} is not valid JSON: {exc.reason}",
            "status_list_malformed",
            url=url,
        ) from exc


def _issuer_id(document: Mapping[str, Any]) -> str | None:
    issuer = document.get("issuer")
    if isinstance(issuer, str):
        return issuer
    if isinstance(issuer, Mapping) and isinstance(issuer.get("id"), str):
        return str(issuer["id"])
    return None


def _key_belongs_to(issuer: str | None, vm_url: str, controller: str | None) -> bool:
    """Whether a verification method is the issuer's: its controller (or its document, or a
    URL under an HTTPS issuer id) is the issuer."""
    if not issuer or not vm_url:
        return False
    if controller is not None and controller == issuer:
        return True
    if vm_url.split("#", 1)[0] == issuer:
        return True
    if issuer.lower().startswith("https://"):
        prefix = issuer.rstrip("/")
        return vm_url.startswith((prefix + "/", prefix + "#"))
    return False


def _optional_date(document: Mapping[str, Any], name: str, url: str) -> datetime | None:
    value = document.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _error(f"the status list {url} {name} must be a string", "status_list_malformed")
    try:
        return parse_datetime(value)
    except DateTimeSyntaxError as exc:
        raise _error(
            f"the status list {url} {name}: {exc}", "status_list_malformed", url=url
        ) from exc


def _status_messages(raw: Any, status_size: int) -> dict[int, str] | None:
    if raw is None:
        if status_size > 1:
            raise _error(
                f"statusSize {status_size} requires statusMessage with one message per value "
                "(Bitstring Status List, BitstringStatusListEntry)",
                "status_entry_invalid",
            )
        return None
    count = 1 << status_size
    if not isinstance(raw, list) or len(raw) != count:
        raise _error(
            f"statusMessage must be an array of {count} objects for statusSize {status_size}",
            "status_entry_invalid",
        )
    messages: dict[int, str] = {}
    for item in raw:
        if not isinstance(item, Mapping):
            raise _error("every statusMessage item must be an object", "status_entry_invalid")
        status, message = item.get("status"), item.get("message")
        if not isinstance(status, str) or not _HEX_STATUS_RE.fullmatch(status):
            raise _error(
                f"statusMessage status must be a '0x'-prefixed hexadecimal string, got {status!r}",
                "status_entry_invalid",
            )
        if not isinstance(message, str):
            raise _error("statusMessage message must be a string", "status_entry_invalid")
        value = int(status, 16)
        if value >= count or value in messages:
            raise _error(
                f"statusMessage status {status} is out of range or repeated",
                "status_entry_invalid",
            )
        messages[value] = message
    return messages


def _parse_revocation_list(document: Any, url: str) -> _RevocationList:
    """Read a 1EdTech Revocation List: ``{id, issuer, revokedCredentials: [{id, ...}]}``."""
    if not isinstance(document, Mapping):
        raise _error(
            f"the 1EdTech revocation list at {url} is not a JSON object", "status_list_malformed"
        )
    list_id = document.get("id")
    if list_id is not None and list_id != url:
        raise _error(
            f"the revocation list fetched from {url} has id {list_id!r}",
            "status_list_id_mismatch",
            url=url,
        )
    items = document.get("revokedCredentials")
    if not isinstance(items, list):
        raise _error(
            f"the 1EdTech revocation list at {url} has no revokedCredentials array",
            "status_list_malformed",
            url=url,
        )
    revoked: dict[str, str | None] = {}
    for item in items:
        if not isinstance(item, Mapping) or not isinstance(item.get("id"), str):
            raise _error(
                f"every revokedCredentials item of {url} must be an object with an id",
                "status_list_malformed",
                url=url,
            )
        reason = item.get("revocationReason")
        revoked[str(item["id"])] = reason if isinstance(reason, str) else None
    return _RevocationList(url=url, issuer=_issuer_id(document), revoked=revoked)
