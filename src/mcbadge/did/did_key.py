"""``did:key``: the DID document of a key, derived offline from the DID itself.

:func:`resolve_did_key` expands ``did:key:z6Mk…`` (Ed25519) or ``did:key:zDn…`` (P-256) into
its DID document with one Multikey verification method, per the did:key method
specification; nothing is fetched.

May import: :mod:`mcbadge.did.document`, :mod:`mcbadge.keys`, :mod:`mcbadge.errors`,
:mod:`mcbadge._internal`.
"""

from __future__ import annotations

from typing import Any

from mcbadge.did.document import (
    _SIGNING_RELATIONSHIPS,
    DID_CONTEXT,
    MULTIKEY_CONTEXT,
    DidDocument,
    _err,
    _split_did_url,
    parse_controller_document,
)
from mcbadge.errors import KeyFormatError
from mcbadge.keys import PublicKey


def resolve_did_key(did_or_did_url: str) -> DidDocument:
    """Resolve a did:key (Ed25519 ``z6Mk…`` or P-256 ``zDn…``) offline.

    The document has one ``Multikey`` verification method, id ``did:key:z…#z…``, listed
    under ``authentication``, ``assertionMethod``, ``capabilityInvocation`` and
    ``capabilityDelegation``.

    Args:
        did_or_did_url: ``did:key:z…`` or ``did:key:z…#z…``.

    Returns:
        The DID document.

    Raises:
        ResolutionError: not a did:key, an unsupported key type, bad encoding, or a fragment
            that is not the key itself.

    Example:
        >>> doc = resolve_did_key("did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp")
        >>> doc.verification_methods[0].id.split("#")[1]
        'z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp'
    """
    cached = _did_key_cache.get(did_or_did_url)
    if cached is not None:
        return cached
    document = _resolve_did_key(did_or_did_url)
    if len(_did_key_cache) >= _DID_KEY_CACHE_SIZE:
        _did_key_cache.clear()
    _did_key_cache[did_or_did_url] = document
    return document


# A did:key document is a pure function of the DID; verifiers and batch issuers resolve the
# same few keys again and again. Only documents that resolved are kept (frozen; read-only).
_did_key_cache: dict[str, DidDocument] = {}
_DID_KEY_CACHE_SIZE = 1024


def _resolve_did_key(did_or_did_url: str) -> DidDocument:
    did, fragment = _split_did_url(did_or_did_url, "key")
    multibase = did.removeprefix("did:key:")
    if fragment is not None and fragment != multibase:
        raise _err(
            f"did:key fragment {fragment!r} is not the key {multibase!r}",
            code="verification_method_not_found",
        )
    try:
        PublicKey.from_multikey(multibase)
    except KeyFormatError as exc:
        raise _err(
            f"invalid did:key {did!r}: {exc.message}", code="resolution_invalid_did"
        ) from exc
    vm_id = f"{did}#{multibase}"
    document: dict[str, Any] = {
        "@context": [DID_CONTEXT, MULTIKEY_CONTEXT],
        "id": did,
        "verificationMethod": [
            {"id": vm_id, "type": "Multikey", "controller": did, "publicKeyMultibase": multibase}
        ],
    }
    for relationship in _SIGNING_RELATIONSHIPS:
        document[relationship] = [vm_id]
    return parse_controller_document(document, expected_id=did)
