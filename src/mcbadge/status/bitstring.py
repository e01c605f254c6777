"""The bitstring itself (:class:`BitstringStatusList`): entries, ``encodedList`` text, bounded
decoding.
"""

from __future__ import annotations

import zlib
from typing import TYPE_CHECKING, Any, Final

from mcbadge._internal.multibase import base64url_decode, base64url_encode
from mcbadge.errors import (
    InvalidInputError,
)
from mcbadge.status.constants import (
    DEFAULT_MAX_DECODED_BYTES,
    MAX_STATUS_SIZE,
    MIN_ENTRIES,
    _check_int,
    _error,
)

if TYPE_CHECKING:
    pass

_POPCOUNT: Final = bytes(bin(i).count("1") for i in range(256))


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
