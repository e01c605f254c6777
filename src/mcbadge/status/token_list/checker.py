"""The verifier's side of Token Status Lists: :class:`TokenStatusChecker`.

Fetches the Status List Token at a reference's ``uri`` (an injected fetcher, or HTTPS when
allowed through :mod:`mcbadge.net`: offline by default, like the Bitstring checker), checks
``typ``, the signature, ``sub``, ``iat``/``exp``, decodes the list,
reads the entry (:class:`TokenStatusResult`) and caches the list within its ``ttl``.

May import: :mod:`mcbadge.status.token_list.lists`, :mod:`mcbadge.net`, :mod:`mcbadge.errors`,
:mod:`mcbadge._internal` (the resolver and keys for type checking only).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from mcbadge._internal.jws import parse_compact, verify_signature
from mcbadge.errors import McBadgeError
from mcbadge.net import NetworkPolicy
from mcbadge.status.token_list.lists import (
    _LABELS,
    DEFAULT_MAX_DECOMPRESSED_BYTES,
    STATUS_INVALID,
    STATUS_LIST_JWT_TYPE,
    STATUS_SUSPENDED,
    STATUS_VALID,
    StatusReference,
    TokenStatusList,
    _error,
)

if TYPE_CHECKING:
    import httpx

    from mcbadge.did import Resolver
    from mcbadge.keys import PublicKey


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
