"""``did:web``: the DID of a domain, its ``did.json`` URL and the document an issuer hosts.

:func:`did_web` builds the DID from a domain (and path), :func:`did_web_url` gives the HTTPS
URL of its DID document (refusing IP literals and anything that is not a host name), and
:func:`did_web_document` writes the ``did.json`` for an issuer's keys. Fetching it is the
:class:`~mcbadge.did.Resolver`'s job, and only when the network is allowed.

May import: :mod:`mcbadge.did.document`, :mod:`mcbadge.keys`, :mod:`mcbadge.errors`,
:mod:`mcbadge._internal`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, unquote

from mcbadge._internal.urls import literal_ip, normalized_origin_path
from mcbadge.did.document import DID_CONTEXT, JWK_CONTEXT, MULTIKEY_CONTEXT, _err, _split_did_url
from mcbadge.errors import InvalidInputError, ResolutionError
from mcbadge.keys import PublicKey, Signer

_DID_WEB_HOST_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]{1,5})?")


_DID_WEB_SEGMENT_RE = re.compile(r"(?:[A-Za-z0-9._~!$&'()*+,;=@-]|%[0-9A-Fa-f]{2})+")


def did_web(domain: str, path: str | Iterable[str] | None = None) -> str:
    """Return the did:web DID for a domain (and optional path).

    A port is percent-encoded (``localhost:8443`` -> ``localhost%3A8443``); path segments
    are joined with ``:``.

    Args:
        domain: The host name, optionally with ``:port``. No IP addresses (did:web spec).
        path: ``"issuers/faculty-1"`` or ``["issuers", "faculty-1"]``.

    Returns:
        The DID.

    Raises:
        InvalidInputError: an invalid host or path segment.

    Example:
        >>> did_web("hs-voorbeeld.nl", "issuers/fdi")
        'did:web:hs-voorbeeld.nl:issuers:fdi'
        >>> did_web("localhost:8443")
        'did:web:localhost%3A8443'
    """
    if not isinstance(domain, str) or not _DID_WEB_HOST_RE.fullmatch(domain):
        raise InvalidInputError(f"invalid did:web domain {domain!r}", code="invalid_did_web")
    _refuse_ip(domain.rsplit(":", 1)[0] if ":" in domain else domain, InvalidInputError)
    segments: list[str] = []
    if path is not None:
        parts = path.strip("/").split("/") if isinstance(path, str) else list(path)
        for part in parts:
            if not isinstance(part, str) or not part or part in (".", ".."):
                raise InvalidInputError(
                    f"invalid did:web path segment {part!r}", code="invalid_did_web"
                )
            segments.append(quote(part, safe="-._~!$&'()*+,;=@"))
    return ":".join(["did:web", domain.lower().replace(":", "%3A"), *segments])


def _refuse_ip(host: str, error: type[InvalidInputError] | type[ResolutionError]) -> None:
    # literal_ip reads the spellings the C library takes for IPv4 too: 127.1, 2130706433,
    # 0x7f.1 (issue 10, F9: did:web:127.1 was served from 127.0.0.1)
    if literal_ip(host) is None:
        return
    raise error(f"did:web does not allow IP addresses ({host!r})", code="invalid_did_web")


def _https_url_under(url: str, base: str) -> bool:
    """Whether ``url`` is ``base`` or below it (same origin, path prefix), both normalized."""
    inner, outer = normalized_origin_path(url), normalized_origin_path(base)
    if inner is None or outer is None or inner[:3] != outer[:3]:
        return False
    prefix = outer[3].rstrip("/")
    return inner[3] == outer[3] or not prefix or inner[3].startswith(prefix + "/")


def did_web_url(did_or_did_url: str) -> str:
    """Return the HTTPS URL of the ``did.json`` of a did:web DID (did:web spec, Read).

    Args:
        did_or_did_url: ``did:web:example.nl``, ``did:web:example.nl%3A8443:user:alice``…
            A fragment is ignored.

    Returns:
        ``https://example.nl/.well-known/did.json`` or ``https://host[:port]/a/b/did.json``.

    Raises:
        ResolutionError: malformed DID, IP address host, or a path segment that decodes to
            ``/``, ``.``, ``..`` or control characters.

    Example:
        >>> did_web_url("did:web:example.com%3A3000:user:alice")
        'https://example.com:3000/user/alice/did.json'
    """
    did, _ = _split_did_url(did_or_did_url, "web")
    parts = did.removeprefix("did:web:").split(":")
    host = unquote(parts[0])
    if not _DID_WEB_HOST_RE.fullmatch(host):
        raise _err(f"invalid did:web host {host!r}", code="resolution_invalid_did")
    _refuse_ip(host.rsplit(":", 1)[0] if ":" in host else host, ResolutionError)
    if ":" in host and not 0 < int(host.rsplit(":", 1)[1]) < 65536:
        raise _err(f"invalid did:web port in {host!r}", code="resolution_invalid_did")
    segments: list[str] = []
    for raw in parts[1:]:
        if not _DID_WEB_SEGMENT_RE.fullmatch(raw):
            raise _err(f"invalid did:web path segment {raw!r}", code="resolution_invalid_did")
        decoded = unquote(raw)
        if (
            decoded in (".", "..")
            or "/" in decoded
            or "\\" in decoded
            or "%" in decoded  # double encoding: %252e would be a dot for a second decoder
            or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in decoded)
        ):
            raise _err(f"unsafe did:web path segment {raw!r}", code="resolution_invalid_did")
        segments.append(quote(decoded, safe="-._~!$&'()*+,;=@"))
    if segments:
        return f"https://{host.lower()}/{'/'.join(segments)}/did.json"
    return f"https://{host.lower()}/.well-known/did.json"


def did_web_document(
    domain: str,
    *keys: Signer | PublicKey,
    path: str | Iterable[str] | None = None,
) -> dict[str, Any]:
    """Build the ``did.json`` to host for a did:web issuer.

    Ed25519 and P-256 keys become ``Multikey`` methods; RSA keys ``JsonWebKey`` methods.
    A signer whose ``verification_method`` is already ``<this DID>#fragment`` keeps that
    id; other keys get ``#key-1``, ``#key-2``… in order. Every key is listed under
    ``assertionMethod`` (credentials) and ``authentication``.

    Args:
        domain: The host name, optionally with ``:port``.
        *keys: The issuer keys: :class:`KeyPair`, any :class:`Signer`, or :class:`PublicKey`.
        path: Optional path, e.g. ``"issuers/fdi"``.

    Returns:
        The DID document (a new dict, JSON-ready). Host it at :func:`did_web_url` of its id.

    Raises:
        InvalidInputError: no keys, an invalid domain or path, or a duplicate id.

    Example:
        >>> from mcbadge.keys import KeyPair
        >>> did = did_web("hs-voorbeeld.nl")
        >>> key = KeyPair.generate().with_verification_method(did + "#key-1")
        >>> doc = did_web_document("hs-voorbeeld.nl", key)
        >>> doc["assertionMethod"]
        ['did:web:hs-voorbeeld.nl#key-1']
    """
    if not keys:
        raise InvalidInputError("did_web_document needs at least one key", code="invalid_input")
    did = did_web(domain, path)
    methods: list[dict[str, Any]] = []
    seen: set[str] = set()
    uses_jwk = uses_multikey = False
    for index, item in enumerate(keys, start=1):
        if isinstance(item, PublicKey):
            public, vm_hint = item, None
        else:
            public, vm_hint = PublicKey.from_jwk(item.public_jwk()), item.verification_method
        vm_id = vm_hint if vm_hint and vm_hint.startswith(did + "#") else f"{did}#key-{index}"
        if vm_id in seen:
            raise InvalidInputError(f"duplicate verification method id {vm_id!r}")
        seen.add(vm_id)
        method: dict[str, Any] = {"id": vm_id}
        if public.key_type == "RSA":
            method.update(type="JsonWebKey", controller=did, publicKeyJwk=public.to_jwk())
            uses_jwk = True
        else:
            method.update(type="Multikey", controller=did, publicKeyMultibase=public.to_multikey())
            uses_multikey = True
        methods.append(method)
    contexts: list[str] = [DID_CONTEXT]
    if uses_multikey:
        contexts.append(MULTIKEY_CONTEXT)
    if uses_jwk:
        contexts.append(JWK_CONTEXT)
    ids = [m["id"] for m in methods]
    return {
        "@context": contexts,
        "id": did,
        "verificationMethod": methods,
        "authentication": list(ids),
        "assertionMethod": list(ids),
    }
