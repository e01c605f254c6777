"""The IETF Token Status List (draft-ietf-oauth-status-list): status for SD-JWT VCs.

A Referenced Token (an SD-JWT VC) carries ``"status": {"status_list": {"idx": 42, "uri":
"https://hs.nl/status/1"}}``. At ``uri`` the issuer publishes a *Status List Token*: a JWT with
``typ: statuslist+jwt`` whose ``status_list`` claim is ``{"bits": 1|2|4|8, "lst": …}`` —
``lst`` being base64url(ZLIB(DEFLATE(bytes))) of the statuses, entry ``i`` in bits
``i*bits … i*bits+bits-1`` counted from the **least** significant bit of each byte (the
opposite of the W3C Bitstring Status List). Values: ``0x00`` VALID, ``0x01`` INVALID
(revoked, final), ``0x02`` SUSPENDED, ``0x03`` and ``0x0C``–``0x0F`` application-specific.

* :class:`TokenStatusList` — the list: create, get/set, revoke, suspend, reinstate, encode,
  decode (bounded: a zlib bomb raises ``status_list_too_large``).
* :func:`status_list_token` — sign and publish it (``sub`` = its URI, ``iat``, ``exp``,
  ``ttl``).
* :class:`TokenStatusRegistry` — the issuer's side: allocate random indexes, revoke and
  suspend, through :mod:`mcbadge.store` (SQLite / PostgreSQL, shared by service instances),
  or any :class:`TokenStatusStore` (in memory by default).
* :class:`TokenStatusChecker` — the verifier's side: fetch (an injected fetcher, or HTTPS when
  allowed — offline by default, like the Bitstring checker), check ``typ``, signature, ``sub``,
  ``iat``/``exp``, decode, read the entry.

Example:
    >>> lst = TokenStatusList.create(16, bits=1)
    >>> for i in (0, 3, 4, 5, 7, 8, 9, 13, 15): lst.set(i, 1)
    >>> lst.to_json()
    {'bits': 1, 'lst': 'eNrbuRgAAhcBXQ'}
"""

from __future__ import annotations

import secrets
import threading
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final, Protocol, runtime_checkable

from mcbadge._internal.jws import parse_compact, sign_compact, verify_signature
from mcbadge._internal.multibase import base64url_decode, base64url_encode
from mcbadge.errors import InvalidInputError, McBadgeError, StatusListError
from mcbadge.net import NetworkPolicy

if TYPE_CHECKING:
    import httpx

    from mcbadge.did import Resolver
    from mcbadge.keys import PublicKey, Signer
    from mcbadge.store import Store

__all__ = [
    "ALLOWED_BITS",
    "DEFAULT_MAX_DECOMPRESSED_BYTES",
    "STATUS_INVALID",
    "STATUS_LIST_JWT_TYPE",
    "STATUS_SUSPENDED",
    "STATUS_VALID",
    "MemoryTokenStatusStore",
    "StatusReference",
    "TokenStatusChecker",
    "TokenStatusList",
    "TokenStatusRegistry",
    "TokenStatusResult",
    "TokenStatusStore",
    "status_list_token",
]

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


# --------------------------------------------------------------------------- the list


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


# --------------------------------------------------------------------------- tokens


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
        if (
            not isinstance(ref, Mapping)
            or isinstance(ref.get("idx"), bool)
            or not isinstance(ref.get("idx"), int)
            or ref["idx"] < 0
            or not isinstance(ref.get("uri"), str)
            or not ref["uri"]
        ):
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


# --------------------------------------------------------------------------- allocation


@runtime_checkable
class TokenStatusStore(Protocol):
    """Where the issuer keeps its lists: allocation and status values (must outlive a process).

    :class:`MemoryTokenStatusStore` implements it in memory; :mod:`mcbadge.store` in SQLite
    and PostgreSQL.
    """

    def allocate_index(self, uri: str, size: int) -> int:
        """Take a random unused index of the list at ``uri`` (``size`` entries)."""

    def set_status(self, uri: str, idx: int, value: int) -> None:
        """Record the status value of one allocated index."""

    def statuses(self, uri: str) -> Mapping[int, int]:
        """Every non-zero status value of the list, by index."""


class MemoryTokenStatusStore:
    """A :class:`TokenStatusStore` in memory (tests, one-off scripts).

    Example:
        >>> store = MemoryTokenStatusStore()
        >>> 0 <= store.allocate_index("https://hs.nl/s/1", 16) < 16
        True
    """

    def __init__(self) -> None:
        self._allocated: dict[str, set[int]] = {}
        self._values: dict[str, dict[int, int]] = {}
        self._lock = threading.Lock()

    def allocate_index(self, uri: str, size: int) -> int:
        """Take a random unused index (uniform among the free ones)."""
        with self._lock:
            taken = self._allocated.setdefault(uri, set())
            if len(taken) >= size:
                raise _error(f"the status list {uri} is full", "status_list_full", uri=uri)
            if len(taken) < size // 2:
                while True:
                    index = secrets.randbelow(size)
                    if index not in taken:
                        break
            else:
                free = [i for i in range(size) if i not in taken]
                index = free[secrets.randbelow(len(free))]
            taken.add(index)
            return index

    def set_status(self, uri: str, idx: int, value: int) -> None:
        """Record a status value (an unallocated index is refused)."""
        with self._lock:
            if idx not in self._allocated.get(uri, set()):
                raise _error(
                    f"index {idx} of {uri} was never allocated", "status_index_not_allocated"
                )
            values = self._values.setdefault(uri, {})
            if value:
                values[idx] = value
            else:
                values.pop(idx, None)

    def statuses(self, uri: str) -> Mapping[int, int]:
        """Every non-zero status value."""
        with self._lock:
            return dict(self._values.get(uri, {}))


class _SqlStorePort:
    """A :class:`mcbadge.store.Store` seen as a :class:`TokenStatusStore`."""

    def __init__(self, store: Any, bits: int) -> None:
        self._store = store
        self._bits = bits

    def allocate_index(self, uri: str, size: int) -> int:
        return int(self._store.token_status_allocate(uri, size=size, bits=self._bits))

    def set_status(self, uri: str, idx: int, value: int) -> None:
        self._store.token_status_set(uri, idx, value)

    def statuses(self, uri: str) -> Mapping[int, int]:
        return dict(self._store.token_status_values(uri))


class TokenStatusRegistry:
    """The issuer's side of one Token Status List: allocate, revoke, suspend, publish.

    Args:
        uri: The list's URI (where its token is served).
        store: Where allocation and statuses live: a :class:`mcbadge.store.Store` (SQLite or
            PostgreSQL; shared by every service instance), any :class:`TokenStatusStore`, or
            nothing for an in-memory one.
        size: Entries in the list.
        bits: Bits per entry (2 or more to suspend).

    Example:
        >>> from mcbadge.keys import KeyPair
        >>> registry = TokenStatusRegistry("https://hs.nl/status/1", size=64, bits=2)
        >>> ref = registry.allocate()
        >>> registry.suspend(ref.idx)
        >>> registry.status_list().get(ref.idx)
        2
    """

    def __init__(
        self,
        uri: str,
        *,
        store: TokenStatusStore | Store | None = None,
        size: int = DEFAULT_SIZE,
        bits: int = 1,
    ) -> None:
        if not isinstance(uri, str) or not uri:
            raise InvalidInputError("uri must be the list's URI", code="invalid_option")
        TokenStatusList.create(size, bits=bits)  # validates size and bits
        self.uri = uri
        self.size = size
        self.bits = bits
        port: TokenStatusStore
        if store is None:
            port = MemoryTokenStatusStore()
        elif callable(getattr(store, "token_status_allocate", None)):
            port = _SqlStorePort(store, bits)
        else:
            port = store  # type: ignore[assignment]
        self.store: TokenStatusStore = port

    def allocate(self) -> StatusReference:
        """A fresh random index, as the reference to put in a credential's ``status``."""
        return StatusReference(self.store.allocate_index(self.uri, self.size), self.uri)

    def _set(self, idx: int, value: int) -> None:
        probe = TokenStatusList.create(self.size, bits=self.bits)
        probe.set(idx, value)  # range and width checks
        current = self.store.statuses(self.uri).get(idx, STATUS_VALID)
        if current == STATUS_INVALID and value != STATUS_INVALID:
            raise _error("a revoked entry stays revoked", "status_revoked_final")
        self.store.set_status(self.uri, idx, value)

    def revoke(self, idx: int) -> None:
        """Revoke (INVALID, final)."""
        self._set(idx, STATUS_INVALID)

    def suspend(self, idx: int) -> None:
        """Suspend (needs ``bits >= 2``)."""
        self._set(idx, STATUS_SUSPENDED)

    def reinstate(self, idx: int) -> None:
        """Lift a suspension."""
        self._set(idx, STATUS_VALID)

    def status_list(self) -> TokenStatusList:
        """The list as it stands."""
        lst = TokenStatusList.create(self.size, bits=self.bits)
        for idx, value in self.store.statuses(self.uri).items():
            lst.set(idx, value)
        return lst

    def token(self, signer: Signer, **options: Any) -> str:
        """The signed Status List Token (options as :func:`status_list_token`)."""
        return status_list_token(self.status_list(), signer, uri=self.uri, **options)


# --------------------------------------------------------------------------- checking


@dataclass(frozen=True)
class TokenStatusResult:
    """The status of one Referenced Token.

    Attributes:
        idx: The index.
        uri: The list's URI.
        status: The value (0 VALID, 1 INVALID, 2 SUSPENDED, others application-specific).
    """

    idx: int
    uri: str
    status: int

    @property
    def label(self) -> str:
        """``VALID``, ``INVALID``, ``SUSPENDED`` or ``0x03``…"""
        return _LABELS.get(self.status, f"0x{self.status:02X}")

    @property
    def is_set(self) -> bool:
        """Whether the status is anything but VALID."""
        return self.status != STATUS_VALID

    @property
    def purpose(self) -> str:
        """``revocation`` (INVALID), ``suspension`` (SUSPENDED) or ``status 0x..``."""
        if self.status in (STATUS_VALID, STATUS_INVALID):
            return "revocation"
        if self.status == STATUS_SUSPENDED:
            return "suspension"
        return f"status {self.label}"

    @property
    def revoked(self) -> bool:
        """INVALID."""
        return self.status == STATUS_INVALID

    @property
    def suspended(self) -> bool:
        """SUSPENDED."""
        return self.status == STATUS_SUSPENDED


KeyFinder = Callable[[Mapping[str, Any], Mapping[str, Any]], "PublicKey"]
"""``finder(header, payload) -> PublicKey``: the key that must have signed a status list token."""


@dataclass
class _Cached:
    status_list: TokenStatusList
    until: datetime = field(default_factory=lambda: datetime.now(UTC))


class TokenStatusChecker:
    """Checks ``status.status_list`` references: fetch, verify, check, decode, read, cache.

    Offline by default: pass a ``fetcher`` (``fetcher(uri) -> token``) or
    ``allow_network=True`` (HTTPS only, time- and size-bounded, through the same code as the
    Bitstring checker).

    The token must be a ``statuslist+jwt`` signed by a key the caller accepts: the
    ``issuer_key`` passed to :meth:`check` (the key that signed the credential), a key given
    in ``keys`` for its ``kid``, or the ``kid`` resolved (did:key, did:jwk; did:web with the
    network) when its controller is the credential's issuer. ``sub`` must equal the ``uri``;
    ``exp`` must not have passed; ``iat`` must not be in the future.

    Args:
        fetcher: Returns the token (str/bytes) for a URI.
        allow_network: Fetch over HTTPS when there is no ``fetcher``.
        keys: Trusted keys by ``kid``.
        resolver: Resolves ``kid`` s (default offline; online with ``allow_network``).
        clock: Returns now (aware).
        leeway: Clock skew for ``iat``/``exp``.
        cache_ttl: Seconds to reuse a verified list at most (the token's ``ttl``/``exp`` cap it).
        http_client: An ``httpx.Client`` for network fetches (its transport then decides
            where a host name connects; see :func:`mcbadge.net.fetch`).
        timeout: Seconds one fetch may take in total (when no ``network`` is given).
        network: Deadline, redirects, allowed non-public addresses and TLS context of every
            fetch, the token's and the ``kid`` resolution's alike
            (:class:`mcbadge.net.NetworkPolicy`; replaces ``timeout`` when given).
        max_bytes: Largest token accepted.
        max_decompressed: Largest decompressed list accepted.

    Example:
        >>> lists = {"https://hs.nl/s/1": token}  # doctest: +SKIP
        >>> checker = TokenStatusChecker(fetcher=lists.__getitem__)  # doctest: +SKIP
        >>> checker.check(claims["status"], issuer_key=key).revoked  # doctest: +SKIP
        False
    """

    def __init__(
        self,
        *,
        fetcher: Callable[[str], Any] | None = None,
        allow_network: bool = False,
        keys: Mapping[str, PublicKey] | None = None,
        resolver: Resolver | None = None,
        clock: Callable[[], datetime] | None = None,
        leeway: timedelta = timedelta(minutes=5),
        cache_ttl: float = 300.0,
        http_client: httpx.Client | None = None,
        timeout: float = 10.0,
        max_bytes: int = 2 * 1024 * 1024,
        max_decompressed: int = DEFAULT_MAX_DECOMPRESSED_BYTES,
        network: NetworkPolicy | None = None,
    ) -> None:
        from mcbadge.status import StatusChecker

        self._transport = StatusChecker(
            fetcher=fetcher,
            allow_network=allow_network,
            http_client=http_client,
            timeout=timeout,
            max_bytes=max_bytes,
            cache_ttl=0,
            network=network,
        )
        self.network = self._transport.network
        if resolver is None:
            from mcbadge.did import Resolver

            resolver = Resolver(
                allow_network=allow_network, http_client=http_client, network=self.network
            )
        self._resolver = resolver
        self._keys = dict(keys or {})
        self._clock = clock
        self.leeway = leeway
        self.cache_ttl = float(cache_ttl)
        self.max_decompressed = max_decompressed
        self._cache: dict[str, _Cached] = {}
        self._lock = threading.Lock()

    def _now(self) -> datetime:
        return self._clock() if self._clock is not None else datetime.now(UTC)

    def check(
        self,
        status: Any,
        *,
        issuer_key: PublicKey | None = None,
        expected_issuer: str | None = None,
    ) -> TokenStatusResult:
        """Check the status of one Referenced Token.

        Args:
            status: The credential's ``status`` claim (or a :class:`StatusReference`).
            issuer_key: The key that signed the credential; a token signed by it is accepted.
            expected_issuer: The credential's ``iss``: a token with another ``iss`` is refused,
                and a resolved ``kid`` must be controlled by it.

        Returns:
            The :class:`TokenStatusResult` (a revoked credential is a result, not an error).

        Raises:
            StatusListError: ``status_entry_invalid``, ``status_unavailable`` (no fetcher and
                no network), ``status_list_unavailable``, ``status_list_insecure_url``,
                ``status_list_malformed``, ``status_list_typ_invalid``,
                ``status_list_invalid_proof``, ``status_list_issuer_mismatch``,
                ``status_list_id_mismatch`` (``sub`` is not the ``uri``),
                ``status_list_expired``, ``status_list_not_yet_valid``,
                ``status_list_too_large``, ``status_list_bits_invalid``,
                ``status_index_out_of_range``.
        """
        ref = status if isinstance(status, StatusReference) else StatusReference.from_claim(status)
        now = self._now()
        with self._lock:
            cached = self._cache.get(ref.uri)
        if cached is not None and cached.until > now:
            lst = cached.status_list
        else:
            lst, until = self._load(ref.uri, now, issuer_key, expected_issuer)
            if until > now:
                with self._lock:
                    self._cache[ref.uri] = _Cached(lst, until)
        return TokenStatusResult(ref.idx, ref.uri, lst.get(ref.idx))

    def _key(
        self,
        header: Mapping[str, Any],
        issuer_key: PublicKey | None,
        expected_issuer: str | None,
    ) -> list[PublicKey]:
        candidates: list[PublicKey] = []
        if issuer_key is not None:
            candidates.append(issuer_key)
        kid = header.get("kid")
        if isinstance(kid, str) and kid:
            if kid in self._keys:
                candidates.append(self._keys[kid])
            else:
                try:
                    method = self._resolver.resolve_verification_method(kid)
                except McBadgeError:
                    method = None
                if method is not None and (
                    expected_issuer is None or method.controller == expected_issuer
                ):
                    candidates.append(method.public_key)
        return candidates

    def _load(
        self,
        uri: str,
        now: datetime,
        issuer_key: PublicKey | None,
        expected_issuer: str | None,
    ) -> tuple[TokenStatusList, datetime]:
        raw = self._transport._fetch(uri)
        if isinstance(raw, bytes | bytearray):
            raw = bytes(raw).decode("utf-8", "replace")
        if not isinstance(raw, str):
            raise _error(
                f"the status list at {uri} is not a JWT (statuslist+jwt)",
                "status_list_malformed",
                url=uri,
            )
        try:
            parsed = parse_compact(
                raw.strip(),
                what="status list token",
                typ=(STATUS_LIST_JWT_TYPE,),
                typ_code="status_list_typ_invalid",
            )
        except McBadgeError as exc:
            code = exc.code if exc.code == "status_list_typ_invalid" else "status_list_malformed"
            raise _error(f"the status list token at {uri}: {exc.message}", code, url=uri) from exc
        keys = self._key(parsed.header, issuer_key, expected_issuer)
        if not keys:
            raise _error(
                f"no key to check the status list token at {uri}: it is not signed by the "
                "credential's key and its kid does not resolve to a key of the issuer",
                "status_list_invalid_proof",
                url=uri,
            )
        for key in keys:
            try:
                verify_signature(parsed, key, what="status list token", code="x")
                break
            except McBadgeError:
                continue
        else:
            raise _error(
                f"the status list token at {uri} is not signed by the credential's issuer",
                "status_list_invalid_proof",
                url=uri,
            )
        payload = parsed.payload
        if payload.get("sub") != uri:
            raise _error(
                f"the status list token's sub {payload.get('sub')!r} is not its URI {uri}",
                "status_list_id_mismatch",
                url=uri,
            )
        if expected_issuer is not None and "iss" in payload and payload["iss"] != expected_issuer:
            raise _error(
                f"the status list token is issued by {payload['iss']!r}, not {expected_issuer!r}",
                "status_list_issuer_mismatch",
                url=uri,
            )
        iat = _numeric(payload.get("iat"), "iat", uri, required=True)
        if iat is not None and iat > now + self.leeway:
            raise _error(
                f"the status list token at {uri} was issued in the future",
                "status_list_not_yet_valid",
                url=uri,
            )
        exp = _numeric(payload.get("exp"), "exp", uri, required=False)
        if exp is not None and exp < now - self.leeway:
            raise _error(
                f"the status list token at {uri} expired at {exp.isoformat()}",
                "status_list_expired",
                url=uri,
            )
        lst = TokenStatusList.from_json(payload.get("status_list"), max_bytes=self.max_decompressed)
        seconds = self.cache_ttl
        ttl = payload.get("ttl")
        if isinstance(ttl, int | float) and not isinstance(ttl, bool) and ttl >= 0:
            seconds = min(seconds, float(ttl))
        until = now + timedelta(seconds=seconds)
        if exp is not None:
            until = min(until, exp)
        return lst, until

    def clear_cache(self) -> None:
        """Forget every cached list."""
        with self._lock:
            self._cache.clear()


def _numeric(value: Any, name: str, uri: str, *, required: bool) -> datetime | None:
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _error(
            f"the status list token at {uri} needs {name} as a NumericDate",
            "status_list_malformed",
            url=uri,
        )
    return datetime.fromtimestamp(max(min(float(value), 253402300799.0), 0.0), UTC)
