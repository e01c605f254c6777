"""The Token Status List and its token: the format, and publishing it signed.

:class:`TokenStatusList` holds 1, 2, 4 or 8 bits an entry, counted from the least significant
bit of each byte, and is written as ``{"bits": …, "lst": base64url(ZLIB(…))}`` (decoding is
bounded: a zlib bomb raises ``status_list_too_large``). :class:`StatusReference` is the
``status.status_list`` claim a Referenced Token carries; :func:`status_list_token` signs the
list as a ``statuslist+jwt`` with ``sub`` (its URI), ``iat``, ``exp`` and ``ttl``.

May import: :mod:`mcbadge.errors`, :mod:`mcbadge._internal` (the keys for type checking only).
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from mcbadge._internal.jws import sign_compact
from mcbadge._internal.multibase import base64url_decode, base64url_encode
from mcbadge.errors import InvalidInputError, StatusListError
from mcbadge.proofs.sdjwt_format import is_status_list_reference

if TYPE_CHECKING:
    from mcbadge.keys import Signer


STATUS_VALID: Final = 0x00


STATUS_INVALID: Final = 0x01


STATUS_SUSPENDED: Final = 0x02


ALLOWED_BITS: Final = (1, 2, 4, 8)


STATUS_LIST_JWT_TYPE: Final = "statuslist+jwt"


DEFAULT_MAX_DECOMPRESSED_BYTES: Final = 16 * 1024 * 1024
"""Largest decompressed list accepted (16 MiB: 134 million 1-bit entries)."""


DEFAULT_SIZE: Final = 131_072
"""Entries in a new list by default (16 KiB at 1 bit: herd privacy, as for Bitstring lists)."""


_LABELS: Final = {STATUS_VALID: "VALID", STATUS_INVALID: "INVALID", STATUS_SUSPENDED: "SUSPENDED"}


def _error(message: str, code: str, **details: Any) -> StatusListError:
    return StatusListError(message, code=code, **details)


def _check_bits(bits: Any) -> int:
    if isinstance(bits, bool) or bits not in ALLOWED_BITS:
        raise _error(f"bits must be 1, 2, 4 or 8, not {bits!r}", "status_list_bits_invalid")
    return int(bits)


class TokenStatusList:
    """A Token Status List: ``size`` entries of ``bits`` bits each.

    Example:
        >>> lst = TokenStatusList.create(8, bits=2)
        >>> lst.suspend(3); lst.revoke(1)
        >>> [lst.get(i) for i in range(5)], TokenStatusList.from_json(lst.to_json()) == lst
        ([0, 1, 0, 2, 0], True)
    """

    def __init__(self, data: bytes | bytearray, *, bits: int) -> None:
        self.bits = _check_bits(bits)
        self._data = bytearray(data)

    @classmethod
    def create(cls, size: int = DEFAULT_SIZE, *, bits: int = 1) -> TokenStatusList:
        """An all-VALID list of ``size`` entries.

        Raises:
            StatusListError: ``status_list_bits_invalid`` or ``status_list_size_invalid``.
        """
        bits = _check_bits(bits)
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise _error("size must be a positive integer", "status_list_size_invalid")
        return cls(bytes((size * bits + 7) // 8), bits=bits)

    def __len__(self) -> int:
        return len(self._data) * 8 // self.bits

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TokenStatusList):
            return NotImplemented
        return self.bits == other.bits and self._data == other._data

    def __hash__(self) -> int:  # pragma: no cover - mutable; defined for completeness
        return id(self)

    def __repr__(self) -> str:
        return f"TokenStatusList(size={len(self)}, bits={self.bits})"

    def _place(self, index: Any) -> tuple[int, int]:
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(self):
            raise _error(
                f"status index {index!r} is outside the list (0 to {len(self) - 1})",
                "status_index_out_of_range",
            )
        position = index * self.bits
        return position // 8, position % 8

    def get(self, index: int) -> int:
        """The status value at ``index``."""
        byte, shift = self._place(index)
        return (self._data[byte] >> shift) & ((1 << self.bits) - 1)

    def set(self, index: int, value: int) -> None:
        """Set the status value at ``index``.

        Raises:
            StatusListError: ``status_index_out_of_range`` or ``status_value_invalid``.
        """
        byte, shift = self._place(index)
        mask = (1 << self.bits) - 1
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= mask:
            raise _error(f"a {self.bits}-bit status cannot hold {value!r}", "status_value_invalid")
        self._data[byte] = (self._data[byte] & ~(mask << shift) & 0xFF) | (value << shift)

    def revoke(self, index: int) -> None:
        """Mark ``index`` INVALID (final)."""
        self.set(index, STATUS_INVALID)

    def suspend(self, index: int) -> None:
        """Mark ``index`` SUSPENDED (needs ``bits >= 2``).

        Raises:
            StatusListError: ``status_value_invalid`` for a 1-bit list, or
                ``status_revoked_final`` when the entry is revoked.
        """
        if self.get(index) == STATUS_INVALID:
            raise _error("a revoked entry cannot be suspended", "status_revoked_final")
        self.set(index, STATUS_SUSPENDED)

    def reinstate(self, index: int) -> None:
        """Lift a suspension (back to VALID).

        Raises:
            StatusListError: ``status_revoked_final`` — revocation cannot be undone.
        """
        if self.get(index) == STATUS_INVALID:
            raise _error("a revoked entry cannot be reinstated", "status_revoked_final")
        self.set(index, STATUS_VALID)

    def to_bytes(self) -> bytes:
        """The uncompressed status bytes."""
        return bytes(self._data)

    def to_json(self) -> dict[str, Any]:
        """The ``status_list`` claim: ``{"bits", "lst"}`` (ZLIB, level 9)."""
        return {"bits": self.bits, "lst": base64url_encode(zlib.compress(bytes(self._data), 9))}

    @classmethod
    def from_json(
        cls, claim: Any, *, max_bytes: int = DEFAULT_MAX_DECOMPRESSED_BYTES
    ) -> TokenStatusList:
        """Read a ``status_list`` claim, decompressing at most ``max_bytes``.

        Raises:
            StatusListError: ``status_list_malformed`` (not an object, bad base64url or
                zlib data), ``status_list_bits_invalid``, ``status_list_too_large`` (the data
                inflates beyond ``max_bytes``: a decompression bomb).
        """
        if not isinstance(claim, Mapping):
            raise _error("the status_list claim must be an object", "status_list_malformed")
        bits = _check_bits(claim.get("bits"))
        lst = claim.get("lst")
        if not isinstance(lst, str) or not lst:
            raise _error("status_list.lst must be a base64url string", "status_list_malformed")
        try:
            compressed = base64url_decode(lst)
        except InvalidInputError as exc:
            raise _error(
                f"status_list.lst is not base64url: {exc.message}", "status_list_malformed"
            ) from exc
        inflater = zlib.decompressobj()
        try:
            data = inflater.decompress(compressed, max_bytes)
            if inflater.unconsumed_tail:
                raise _error(
                    f"the status list inflates to more than {max_bytes} bytes; refused (a "
                    "decompression bomb or an oversized list)",
                    "status_list_too_large",
                )
            data += inflater.flush(max_bytes - len(data) + 1)
        except zlib.error as exc:
            raise _error(
                f"status_list.lst is not ZLIB data: {exc}", "status_list_malformed"
            ) from exc
        if len(data) > max_bytes:
            raise _error(
                f"the status list inflates to more than {max_bytes} bytes", "status_list_too_large"
            )
        if not inflater.eof:
            raise _error("status_list.lst is truncated ZLIB data", "status_list_malformed")
        return cls(data, bits=bits)


@dataclass(frozen=True)
class StatusReference:
    """Where a Referenced Token's status lives: index ``idx`` in the list at ``uri``.

    Example:
        >>> StatusReference(7, "https://hs.nl/status/1").to_claim()
        {'status_list': {'idx': 7, 'uri': 'https://hs.nl/status/1'}}
    """

    idx: int
    uri: str

    def to_claim(self) -> dict[str, Any]:
        """The referenced token's ``status`` claim."""
        return {"status_list": {"idx": self.idx, "uri": self.uri}}

    @classmethod
    def from_claim(cls, claim: Any) -> StatusReference:
        """Read a ``status`` claim (or its ``status_list`` member).

        Raises:
            StatusListError: ``status_entry_invalid``.
        """
        ref = claim.get("status_list", claim) if isinstance(claim, Mapping) else None
        if not is_status_list_reference(ref):
            raise _error(
                "the status claim must be {'status_list': {'idx': <int >= 0>, 'uri': <URI>}}",
                "status_entry_invalid",
            )
        return cls(int(ref["idx"]), str(ref["uri"]))


def status_list_token(
    status_list: TokenStatusList,
    signer: Signer,
    *,
    uri: str,
    issuer: str | None = None,
    kid: str | None = None,
    issued_at: datetime | None = None,
    expires_in: timedelta | None = timedelta(days=1),
    ttl: int | None = 300,
) -> str:
    """Sign a Status List Token (``typ: statuslist+jwt``) to publish at ``uri``.

    Args:
        status_list: The list.
        signer: The issuer's key (the same issuer as the referenced credentials).
        uri: Where it is published; becomes ``sub`` and must equal the credentials' ``uri``.
        issuer: An ``iss`` claim (optional in the draft).
        kid: The header ``kid`` (default ``signer.verification_method``).
        issued_at: ``iat`` (default now).
        expires_in: ``exp`` = ``iat`` + this (``None``: no ``exp``).
        ttl: Seconds a verifier may cache it (``None``: no ``ttl``).

    Returns:
        The compact JWT; serve it with ``Content-Type: application/statuslist+jwt``.

    Raises:
        SigningError: the key cannot sign.
        InvalidInputError: ``uri`` is empty or ``ttl`` negative.
    """
    if not isinstance(uri, str) or not uri:
        raise InvalidInputError("uri must be the token's URI", code="invalid_option")
    moment = issued_at or datetime.now(UTC)
    payload: dict[str, Any] = {"sub": uri, "iat": int(moment.timestamp())}
    if issuer is not None:
        payload = {"iss": issuer, **payload}
    if expires_in is not None:
        payload["exp"] = int((moment + expires_in).timestamp())
    if ttl is not None:
        if isinstance(ttl, bool) or not isinstance(ttl, int) or ttl < 0:
            raise InvalidInputError("ttl must be a non-negative int", code="invalid_option")
        payload["ttl"] = ttl
    payload["status_list"] = status_list.to_json()
    header: dict[str, Any] = {"typ": STATUS_LIST_JWT_TYPE}
    chosen = kid if kid is not None else signer.verification_method
    if chosen:
        header["kid"] = chosen
    return sign_compact(header, payload, signer)
