"""The one way mcbadge fetches over the network: HTTPS, bounded, and not into your network.

Every fetch mcbadge makes when the caller allows the network (did:web documents, HTTPS
keys, status lists, JSON-LD contexts, pinned documents) goes through :func:`fetch`, which

* accepts ``https://`` URLs only, on every redirect hop, and follows at most
  ``max_redirects`` redirects (each target checked again);
* resolves the host itself and refuses loopback, private, link-local, shared, unspecified,
  multicast and reserved addresses (and IPv4-mapped IPv6 forms of them), including the
  spellings the C library reads as IPv4 (``127.1``, ``2130706433``, ``0x7f.1``) and
  ``localhost`` — unless the address is in the caller's :attr:`NetworkPolicy.allow_addresses`;
* connects to the very address it checked (the TLS certificate is still checked against the
  host name), so a DNS answer that changes between the check and the connection (DNS
  rebinding) cannot redirect it;
* gives the whole fetch one deadline, redirects and every read included, rather than a
  timeout per read: a server that trickles one byte a second cannot hold it longer;
* stops reading at ``max_bytes``.

Callers that inject their own ``httpx`` client or transport (tests use
``httpx.MockTransport``) keep the scheme, redirect, size and deadline checks and the checks
of literal addresses; the address resolution is then up to their transport.

Example:
    >>> policy = NetworkPolicy(deadline=5.0, allow_addresses=("10.0.0.0/8",))
    >>> policy.allows(ipaddress.ip_address("10.1.2.3"))
    True
    >>> policy.allows(ipaddress.ip_address("169.254.169.254"))
    False
"""

from __future__ import annotations

import ipaddress
import ssl
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal
from urllib.parse import urljoin, urlsplit

from mcbadge._internal.urls import literal_ip

if TYPE_CHECKING:
    from collections.abc import Sequence

    import httpx

    from mcbadge._internal.transport import Deadline

__all__ = [
    "DEFAULT_DEADLINE",
    "DEFAULT_MAX_REDIRECTS",
    "FetchError",
    "FetchResult",
    "NetworkPolicy",
    "fetch",
    "policy_allowing",
]

DEFAULT_DEADLINE = 10.0
"""Seconds one fetch may take in total: connecting, TLS, every redirect and every read."""
DEFAULT_MAX_REDIRECTS = 5
"""Redirects followed per fetch."""

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
FetchErrorKind = Literal[
    "insecure_url", "address_refused", "deadline", "too_large", "redirects", "status", "http"
]


@dataclass(frozen=True)
class NetworkPolicy:
    """How mcbadge may use the network once the caller has allowed it.

    Args:
        deadline: Seconds one fetch may take in total (redirects and reads included).
        max_redirects: Redirects followed per fetch.
        allow_addresses: Addresses or networks (``"127.0.0.1"``, ``"10.0.0.0/8"``,
            ``"::1"``) that may be reached although they are not public. Empty by default:
            only public addresses are reached.
        tls_context: The TLS context for HTTPS (default: the system's trusted CAs); tests
            pass one that trusts their own certificate authority.

    Raises:
        ValueError: a non-positive deadline, a negative redirect count, or an entry of
            ``allow_addresses`` that is not an address or network.

    Example:
        >>> NetworkPolicy(allow_addresses=("127.0.0.1",)).allows(
        ...     ipaddress.ip_address("127.0.0.1"))
        True
    """

    deadline: float = DEFAULT_DEADLINE
    max_redirects: int = DEFAULT_MAX_REDIRECTS
    allow_addresses: tuple[str, ...] = ()
    tls_context: ssl.SSLContext | None = field(default=None, compare=False)
    _networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = field(
        default=(), init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        if isinstance(self.deadline, bool) or not self.deadline > 0:
            raise ValueError("deadline must be a positive number of seconds")
        if isinstance(self.max_redirects, bool) or self.max_redirects < 0:
            raise ValueError("max_redirects must be zero or more")
        if isinstance(self.allow_addresses, str):
            raise ValueError("allow_addresses is a list of addresses or networks")
        networks = tuple(
            ipaddress.ip_network(entry, strict=False) for entry in self.allow_addresses
        )
        object.__setattr__(self, "allow_addresses", tuple(self.allow_addresses))
        object.__setattr__(self, "_networks", networks)

    def allows(self, address: IpAddress) -> bool:
        """Whether ``address`` may be connected to (public, or in the allow-list)."""
        if any(address in network for network in self._networks):
            return True
        mapped = getattr(address, "ipv4_mapped", None) or getattr(address, "sixtofour", None)
        if mapped is not None:
            if any(mapped in network for network in self._networks):
                return True
            return _is_public(mapped)
        return _is_public(address)

    def allows_name(self, host: str) -> bool:
        """Whether a host *name* may be looked up at all (``localhost`` needs loopback)."""
        name = host.lower().rstrip(".")
        if name == "localhost" or name.endswith(".localhost"):
            return any(
                ipaddress.ip_address("127.0.0.1") in n or ipaddress.ip_address("::1") in n
                for n in self._networks
            )
        return True


def policy_allowing(
    addresses: Sequence[str] | None, *, allow_network: bool, option: str = "--allow-address"
) -> NetworkPolicy | None:
    """The policy of a command line's ``--allow-address`` options (``None`` when there are none).

    Args:
        addresses: The addresses or networks given (``"10.20.0.0/16"``, ``"127.0.0.1"``).
        allow_network: Whether the network is allowed at all (the allow-list needs it).
        option: The option's name, for the error message.

    Returns:
        A :class:`NetworkPolicy` with that allow-list, or ``None`` for no addresses.

    Raises:
        InvalidInputError: ``invalid_option``: an address is malformed, or the network is off.

    Example:
        >>> policy_allowing(["10.0.0.0/8"], allow_network=True).allow_addresses
        ('10.0.0.0/8',)
    """
    from mcbadge.errors import InvalidInputError

    if not addresses:
        return None
    if not allow_network:
        raise InvalidInputError(
            f"{option} names addresses the network may reach: give --allow-network too",
            code="invalid_option",
        )
    try:
        return NetworkPolicy(allow_addresses=tuple(addresses))
    except ValueError as exc:
        raise InvalidInputError(f"{option}: {exc}", code="invalid_option") from exc


def _is_public(address: IpAddress) -> bool:
    return address.is_global and not address.is_multicast and not address.is_reserved


@dataclass(frozen=True)
class FetchResult:
    """What a fetch returned: the body, the URL it finally came from, its media type."""

    body: bytes
    url: str
    content_type: str


class FetchError(Exception):
    """A fetch failed; each caller turns it into its own typed error.

    Attributes:
        kind: ``insecure_url``, ``address_refused``, ``deadline``, ``too_large``,
            ``redirects``, ``status`` or ``http``.
        url: The URL of the hop that failed.
        status: The HTTP status, for ``status``.
    """

    def __init__(
        self, kind: FetchErrorKind, message: str, *, url: str, status: int | None = None
    ) -> None:
        super().__init__(message)
        self.kind: FetchErrorKind = kind
        self.message = message
        self.url = url
        self.status = status


# --------------------------------------------------------------------------- fetch


def fetch(
    url: str,
    *,
    accept: str,
    max_bytes: int,
    policy: NetworkPolicy | None = None,
    client: httpx.Client | None = None,
    transport: httpx.BaseTransport | None = None,
) -> FetchResult:
    """GET ``url`` over HTTPS within ``policy`` (see the module docstring).

    Args:
        url: The ``https://`` URL.
        accept: The ``Accept`` header.
        max_bytes: Largest body accepted.
        policy: Deadline, redirects, allowed addresses, TLS; default :class:`NetworkPolicy`.
        client: An ``httpx.Client`` to send with (tests inject one); its transport then
            decides where it connects.
        transport: An ``httpx`` transport to send with, the same way.

    Returns:
        The body, the final URL and the media type.

    Raises:
        FetchError: see :attr:`FetchError.kind`.

    Example:
        >>> fetch("https://hs-voorbeeld.nl/.well-known/did.json",
        ...       accept="application/json", max_bytes=100_000)  # doctest: +SKIP
    """
    import httpcore
    import httpx

    from mcbadge._internal.transport import AddressRefused, Deadline, GuardedTransport

    policy = policy or NetworkPolicy()
    deadline = Deadline(policy.deadline)
    own: httpx.Client | None = None
    if client is None:
        own = client = httpx.Client(
            transport=transport or GuardedTransport(policy, deadline),
            follow_redirects=False,
            trust_env=False,
        )
    current = url
    try:
        for _ in range(policy.max_redirects + 1):
            _check_hop(current, policy)
            try:
                with client.stream(
                    "GET",
                    current,
                    headers={"Accept": accept},
                    timeout=deadline.left(),
                    follow_redirects=False,
                ) as response:
                    if response.is_redirect and "location" in response.headers:
                        current = urljoin(current, response.headers["location"])
                        continue
                    if response.status_code != 200:
                        raise FetchError(
                            "status",
                            f"GET {current} answered HTTP {response.status_code}",
                            url=current,
                            status=response.status_code,
                        )
                    body = _read_capped(response, current, max_bytes, deadline)
                    media = response.headers.get("content-type", "")
                    return FetchResult(body, current, media.split(";")[0].strip().lower())
            except AddressRefused as exc:
                raise FetchError(
                    "address_refused",
                    f"refusing to connect to {current}: {exc.message} (allow it with "
                    "NetworkPolicy(allow_addresses=...))",
                    url=current,
                ) from exc
            except (httpx.TimeoutException, httpcore.TimeoutException) as exc:
                raise FetchError(
                    "deadline",
                    f"GET {current} failed: timed out (one fetch has {policy.deadline}s in total, "
                    "redirects and reads included)",
                    url=current,
                ) from exc
            except (httpx.HTTPError, httpcore.NetworkError, httpcore.ProtocolError) as exc:
                raise FetchError("http", f"GET {current} failed: {exc}", url=current) from exc
        raise FetchError(
            "redirects", f"GET {url}: more than {policy.max_redirects} redirects", url=url
        )
    finally:
        if own is not None:
            own.close()


def _check_hop(url: str, policy: NetworkPolicy) -> None:
    parts = urlsplit(url)
    if parts.scheme.lower() != "https":
        raise FetchError("insecure_url", f"refusing the non-HTTPS URL {url}", url=url)
    host = parts.hostname or ""
    literal = literal_ip(host)
    if literal is not None and not policy.allows(literal):
        raise FetchError(
            "address_refused",
            f"refusing to connect to {url}: {host} is the non-public address {literal} (allow "
            "it with NetworkPolicy(allow_addresses=...))",
            url=url,
        )
    if literal is None and not policy.allows_name(host):
        raise FetchError(
            "address_refused",
            f"refusing to connect to {url}: {host} names this machine",
            url=url,
        )


def _read_capped(response: httpx.Response, url: str, max_bytes: int, deadline: Deadline) -> bytes:
    declared = response.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(
            "too_large",
            f"GET {url}: the document is {declared} bytes, over the {max_bytes}-byte limit",
            url=url,
        )
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(
                "too_large", f"GET {url}: the document exceeds the {max_bytes}-byte limit", url=url
            )
        chunks.append(chunk)
        deadline.left()  # an injected transport that trickles ends here too
    return b"".join(chunks)
