"""The verifier side (:class:`StatusChecker`): fetch (injected fetcher, or HTTPS when allowed),
verify the list credential, check dates, issuer and purpose, read the bit, cache.

One idea in one class; the document parsing it uses lives in :mod:`mcbadge.status.lists`, and
the verification of a fetched list credential (its proof, its key, its content) in
:mod:`mcbadge.status.list_credential`.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from mcbadge._internal.dates import format_datetime
from mcbadge.errors import (
    InvalidInputError,
    McBadgeError,
    StatusListError,
)
from mcbadge.net import NetworkPolicy
from mcbadge.status.bitstring import BitstringStatusList, _check_status_size
from mcbadge.status.constants import (
    _INDEX_RE,
    BITSTRING_ENTRY_TYPE,
    DEFAULT_CACHE_TTL,
    DEFAULT_MAX_DOCUMENT_BYTES,
    DEFAULT_TIMEOUT,
    MIN_ENTRIES,
    REVOCATION_LIST_TYPE,
    StatusFetcher,
    _error,
)
from mcbadge.status.list_credential import _verified_list
from mcbadge.status.lists import (
    _issuer_id,
    _loads_strict,
    _parse_revocation_list,
    _RevocationList,
    _status_messages,
    _too_large,
    _VerifiedList,
)

if TYPE_CHECKING:
    import httpx

    from mcbadge.did import Resolver
    from mcbadge.keys import PublicKey

_MAX_REDIRECTS: Final = 3
_ACCEPT: Final = (
    "application/vc+ld+json, application/vc+jwt, application/vc, application/ld+json;q=0.9, "
    "application/jwt;q=0.9, application/json;q=0.8"
)
_MAX_CACHE_ENTRIES: Final = 256
_MAX_CACHE_TTL: Final = 366 * 24 * 3600.0


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
        listed = _verified_list(self._fetch(url), url, resolver=self._resolver, keys=self._keys)
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
