"""URL and host checks shared by key binding, DID resolution and every network fetch.

Two readers must see one URL: the code that decides whose key a URL names, and the HTTP
client that fetches it. They disagree when a path holds dot segments (``/issuers/1/../2``:
httpx removes them before fetching, a string comparison does not) or encoded ones
(``%2e%2e``, ``%2f``), and when a host is spelled in one of the forms the C library reads
as an IPv4 address (``127.1``, ``2130706433``, ``0x7f.1``). :func:`url_problem` names such a
URL so that callers refuse it; :func:`literal_ip` reads a host the way the operating system
would, so the network guard sees through the odd spellings. This module imports nothing
from mcbadge.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from urllib.parse import urlsplit

__all__ = ["literal_ip", "normalized_origin_path", "url_problem"]

# a path segment that is "." or "..", written with any mix of "." and "%2e"
_DOT_SEGMENT = re.compile(r"(?:^|/)(?:\.|%2e){1,2}(?=/|$)", re.IGNORECASE)
# percent-encoded "/", "\", "%" (double encoding) and control characters
_ENCODED_TRICK = re.compile(r"%(?:2f|5c|25|[01][0-9a-f]|7f)", re.IGNORECASE)
_RAW_FORBIDDEN = re.compile(r"[\x00-\x20\x7f\\]")


def literal_ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a host names literally, read as the C library reads it; else ``None``.

    ``inet_aton`` accepts ``127.1``, ``2130706433``, ``0x7f.1`` and ``0177.0.0.1`` as
    127.0.0.1, so a check that only knows dotted quads lets them through.

    Example:
        >>> str(literal_ip("0x7f.1"))
        '127.0.0.1'
        >>> literal_ip("hs-voorbeeld.nl") is None
        True
    """
    name = host.strip()
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    name = name.rstrip(".") if name.count(":") == 0 else name
    try:
        return ipaddress.ip_address(name.split("%", 1)[0])
    except ValueError:
        pass
    if not name or not re.fullmatch(r"[0-9a-fA-FxX.]+", name):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(name))
    except OSError:
        return None


def url_problem(url: str) -> str | None:
    """Why ``url`` must not be used as a key or document URL, or ``None`` when it may.

    Refused: user information, a backslash, whitespace or control characters, dot
    segments (``.``/``..``, also percent-encoded) and percent-encoded ``/``, ``\\``, ``%``
    or control characters in the path.

    Example:
        >>> url_problem("https://hs.nl/issuers/1/../2#key-1")
        'its path has a dot segment (. or ..)'
        >>> url_problem("https://hs.nl/issuers/1#key-1") is None
        True
    """
    if _RAW_FORBIDDEN.search(url):
        return "it holds whitespace, a control character or a backslash"
    try:
        parts = urlsplit(url)
    except ValueError:
        return "it is not a URL"
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        return "it has user information (user@host)"
    if _DOT_SEGMENT.search(parts.path):
        return "its path has a dot segment (. or ..)"
    if _ENCODED_TRICK.search(parts.path):
        return "its path has a percent-encoded '/', '\\', '%' or control character"
    return None


def normalized_origin_path(url: str) -> tuple[str, str, int, str] | None:
    """``(scheme, host, port, path)`` of an HTTPS URL as a fetch would see it; else ``None``.

    The scheme and host are lower-cased, the default port is made explicit and an empty
    path is ``/``. URLs that :func:`url_problem` refuses give ``None``.

    Example:
        >>> normalized_origin_path("HTTPS://HS.nl:443/issuers/1")
        ('https', 'hs.nl', 443, '/issuers/1')
    """
    if url_problem(url) is not None:
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() != "https" or not parts.hostname:
        return None
    return ("https", parts.hostname.lower().rstrip("."), port or 443, parts.path or "/")
