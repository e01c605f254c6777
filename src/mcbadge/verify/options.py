"""The options of :func:`~mcbadge.verify.verify` and their types: leeway, endorsement depth, keys,
the expected recipient, the status checker; checked once into one options object.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final, Protocol, runtime_checkable

from mcbadge.did import Resolver, VerificationMethod
from mcbadge.errors import (
    InvalidInputError,
    McBadgeError,
)
from mcbadge.jsonld.loader import DocumentLoader, default_loader
from mcbadge.keys import PublicKey
from mcbadge.net import NetworkPolicy

DEFAULT_LEEWAY: Final = timedelta(minutes=5)
"""Clock skew allowed when comparing ``validFrom``, ``validUntil`` and ``created`` with now."""

DEFAULT_MAX_ENDORSEMENT_DEPTH: Final = 3
"""How deep embedded endorsements (endorsements of endorsements…) are verified."""

ExpectedRecipient = str | tuple[str, str]
"""A recipient: a plain identifier (matched against ``credentialSubject.id`` and every
``identifier``), or ``(identityType, value)`` (matched against identifiers of that type)."""

KeyEntry = PublicKey | VerificationMethod
"""A key the caller trusts for a verification method URL. A bare :class:`PublicKey` is
controlled by the DID (or URL without fragment) it is listed under; a
:class:`~mcbadge.did.VerificationMethod` names its controller and relationships itself."""

StatusFetcher = Callable[[str], Any]
"""Fetches a status list credential: ``fetcher(url) -> document`` (dict, JSON text or JWT)."""


@runtime_checkable
class StatusCheckerLike(Protocol):
    """What :func:`verify` needs to check a ``credentialStatus`` entry.

    :class:`mcbadge.status.StatusChecker` implements it; tests and applications may pass
    their own. ``check`` raises :class:`~mcbadge.errors.StatusListError` when the status
    cannot be checked (code e.g. ``status_unavailable``) and otherwise returns a result with
    the entry's ``purpose`` (``"revocation"``, ``"suspension"``…) and whether its bit is set
    (``is_set``).

    Example:
        >>> class AlwaysValid:
        ...     def check(self, entry):
        ...         return {"purpose": entry["statusPurpose"], "is_set": False}
        >>> isinstance(AlwaysValid(), StatusCheckerLike)
        True
    """

    def check(self, entry: Mapping[str, Any]) -> Any:
        """Check one ``credentialStatus`` entry."""
        ...


# --------------------------------------------------------------------------- options


@dataclass(frozen=True)
class _Options:
    resolver: Resolver
    keys: Mapping[str, KeyEntry]
    trusted_issuers: frozenset[str] | None
    status_checker: StatusCheckerLike | None
    status_unavailable: str
    skip_status: bool
    allow_network: bool
    now: datetime
    leeway: timedelta
    expected_recipient: ExpectedRecipient | None
    loader: DocumentLoader
    max_depth: int
    audience: str | None = None
    nonce: str | None = None
    status_fetcher: StatusFetcher | None = None
    token_status_checker: Any = None
    network: NetworkPolicy | None = None

    def for_endorsements(self) -> _Options:
        return _Options(
            resolver=self.resolver,
            keys=self.keys,
            trusted_issuers=None,
            status_checker=self.status_checker,
            status_unavailable=self.status_unavailable,
            skip_status=self.skip_status,
            allow_network=self.allow_network,
            now=self.now,
            leeway=self.leeway,
            expected_recipient=None,
            loader=self.loader,
            max_depth=self.max_depth,
            network=self.network,
        )


def _bad_option(message: str) -> InvalidInputError:
    return InvalidInputError(message, code="invalid_option")


def _options(
    *,
    resolver: Resolver | None,
    keys: Mapping[str, KeyEntry] | None,
    trusted_issuers: Collection[str] | None,
    status_checker: StatusCheckerLike | None,
    status_fetcher: StatusFetcher | None,
    skip_status: bool,
    allow_network: bool,
    clock: Callable[[], datetime] | None,
    leeway: timedelta,
    expected_recipient: ExpectedRecipient | None,
    loader: DocumentLoader | None,
    max_endorsement_depth: int,
    audience: str | None = None,
    nonce: str | None = None,
    network: NetworkPolicy | None = None,
) -> _Options:
    if (audience is None) != (nonce is None):
        raise _bad_option("give both audience= and nonce= to require a key-binding JWT, or neither")
    for name, value in (("audience", audience), ("nonce", nonce)):
        if value is not None and (not isinstance(value, str) or not value):
            raise _bad_option(f"{name} must be a non-empty str")
    trusted_keys: dict[str, KeyEntry] = {}
    for vm_url, entry in dict(keys or {}).items():
        if not isinstance(vm_url, str) or not vm_url:
            raise _bad_option("keys must map verification method URLs (non-empty str) to keys")
        if not isinstance(entry, PublicKey | VerificationMethod):
            raise _bad_option(
                f"keys[{vm_url!r}] must be a mcbadge.keys.PublicKey or a "
                f"mcbadge.did.VerificationMethod, not {type(entry).__name__}"
            )
        trusted_keys[vm_url] = entry
    if resolver is not None and not isinstance(resolver, Resolver):
        raise _bad_option("resolver must be a mcbadge.did.Resolver")
    if loader is not None and not isinstance(loader, DocumentLoader):
        raise _bad_option("loader must be a mcbadge.jsonld.loader.DocumentLoader")
    trusted: frozenset[str] | None = None
    if trusted_issuers is not None:
        if isinstance(trusted_issuers, str):
            raise _bad_option("trusted_issuers must be a collection of issuer ids, not a str")
        trusted = frozenset(trusted_issuers)
        if not all(isinstance(item, str) for item in trusted):
            raise _bad_option("trusted_issuers must contain issuer ids (str)")
    if not isinstance(leeway, timedelta) or leeway < timedelta(0):
        raise _bad_option("leeway must be a non-negative datetime.timedelta")
    if not isinstance(max_endorsement_depth, int) or max_endorsement_depth < 0:
        raise _bad_option("max_endorsement_depth must be a non-negative int")
    if expected_recipient is not None and not (
        isinstance(expected_recipient, str)
        or (
            isinstance(expected_recipient, tuple)
            and len(expected_recipient) == 2
            and all(isinstance(part, str) for part in expected_recipient)
        )
    ):
        raise _bad_option("expected_recipient must be a str or an (identityType, value) tuple")
    now = clock() if clock is not None else datetime.now(UTC)
    if not isinstance(now, datetime) or now.tzinfo is None or now.utcoffset() is None:
        raise _bad_option("clock() must return a timezone-aware datetime")
    if network is not None:
        if not isinstance(network, NetworkPolicy):
            raise _bad_option("network must be a mcbadge.net.NetworkPolicy")
        if not allow_network:
            raise _bad_option(
                "network= says how the network is used once allowed: pass allow_network=True "
                "with it (verification is offline otherwise)"
            )
    resolver = resolver or Resolver(allow_network=allow_network, network=network)
    checker, why = _status_checker(
        status_checker,
        status_fetcher,
        allow_network=allow_network,
        network=network,
        resolver=resolver,
        keys=trusted_keys,
        now=now,
        leeway=leeway,
        skip=bool(skip_status),
    )
    return _Options(
        resolver=resolver,
        keys=trusted_keys,
        trusted_issuers=trusted,
        status_checker=checker,
        status_unavailable=why,
        skip_status=bool(skip_status),
        allow_network=bool(allow_network),
        now=now,
        leeway=leeway,
        expected_recipient=expected_recipient,
        loader=loader
        or (
            DocumentLoader(allow_network=True, network=network)
            if allow_network
            else default_loader()
        ),
        max_depth=max_endorsement_depth,
        audience=audience,
        nonce=nonce,
        status_fetcher=status_fetcher,
        network=network,
    )


def _status_checker(
    given: StatusCheckerLike | None,
    fetcher: StatusFetcher | None,
    *,
    allow_network: bool,
    network: NetworkPolicy | None,
    resolver: Resolver,
    keys: Mapping[str, KeyEntry],
    now: datetime,
    leeway: timedelta,
    skip: bool = False,
) -> tuple[StatusCheckerLike | None, str]:
    if given is not None:
        if not callable(getattr(given, "check", None)):
            raise _bad_option("status_checker must have a check(entry) method")
        return given, ""
    if fetcher is not None and not callable(fetcher):
        raise _bad_option("status_fetcher must be a callable url -> document")
    if skip:  # never consulted (the status check is skipped): not built
        return None, "status checks are skipped (skip_status=True)"
    from mcbadge.status import StatusChecker

    try:
        checker = StatusChecker(
            fetcher=fetcher,
            allow_network=allow_network,
            network=network,
            clock=lambda: now,
            resolver=resolver,
            keys={vm: _entry_key(entry) for vm, entry in keys.items()},
            leeway=leeway,
        )
    except McBadgeError as exc:  # pragma: no cover - the options were checked above
        return None, f"no status checker could be made: {exc.message}"
    return checker, ""


# --------------------------------------------------------------------------- key binding


def _entry_key(entry: KeyEntry) -> PublicKey:
    return entry.public_key if isinstance(entry, VerificationMethod) else entry
