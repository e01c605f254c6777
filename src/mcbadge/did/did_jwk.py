"""``did:jwk``: a DID that is its public key as a JWK, made and resolved offline.

:func:`did_jwk` writes ``did:jwk:<base64url(JWK)>`` for a public key (never a private member);
:func:`resolve_did_jwk` reads it back into a DID document with the one verification method
``#0``, per the did:jwk method specification; nothing is fetched.

May import: :mod:`mcbadge.did.document`, :mod:`mcbadge.keys`, :mod:`mcbadge.errors`,
:mod:`mcbadge._internal`.
"""

from __future__ import annotations

import json
from typing import Any

from mcbadge._internal.multibase import (
    base64url_decode,
    base64url_encode,
)
from mcbadge.did.document import (
    _SIGNING_RELATIONSHIPS,
    DID_CONTEXT,
    JWS_2020_CONTEXT,
    DidDocument,
    _err,
    _loads_json,
    _split_did_url,
    parse_controller_document,
)
from mcbadge.errors import InvalidInputError, KeyFormatError
from mcbadge.keys import PublicKey, Signer


def did_jwk(key: PublicKey | Signer) -> str:
    """Return the did:jwk DID of a public key (compact JSON with sorted members).

    Args:
        key: A :class:`PublicKey` or any :class:`Signer` (e.g. a :class:`KeyPair`).

    Returns:
        ``did:jwk:<base64url(JWK)>``.

    Raises:
        KeyFormatError: the signer's JWK is not a valid public key.

    Example:
        >>> from mcbadge.keys import KeyPair
        >>> did_jwk(KeyPair.generate()).startswith("did:jwk:eyJ")
        True
    """
    public = key if isinstance(key, PublicKey) else PublicKey.from_jwk(key.public_jwk())
    text = json.dumps(public.to_jwk(), separators=(",", ":"), sort_keys=True)
    return "did:jwk:" + base64url_encode(text.encode("utf-8"))


def resolve_did_jwk(did_or_did_url: str) -> DidDocument:
    """Resolve a did:jwk offline (one ``JsonWebKey2020`` method with id ``did:jwk:…#0``).

    Follows the did:jwk method specification: the JWK must be public, and a JWK with
    ``"use": "enc"`` is refused because it cannot sign.

    Args:
        did_or_did_url: ``did:jwk:…`` or ``did:jwk:…#0``.

    Returns:
        The DID document.

    Raises:
        ResolutionError: bad base64url/JSON, private key material, an unsupported key, or a
            fragment other than ``0``.

    Example:
        >>> from mcbadge.keys import KeyPair
        >>> resolve_did_jwk(did_jwk(KeyPair.generate())).verification_methods[0].id[-2:]
        '#0'
    """
    did, fragment = _split_did_url(did_or_did_url, "jwk")
    if fragment is not None and fragment != "0":
        raise _err(
            f"did:jwk has exactly one verification method, '#0', not {fragment!r}",
            code="verification_method_not_found",
        )
    encoded = did.removeprefix("did:jwk:")
    try:
        raw = base64url_decode(encoded)
    except InvalidInputError as exc:
        raise _err(f"invalid did:jwk: {exc.message}", code="resolution_invalid_did") from exc
    jwk = _loads_json(raw, "the did:jwk JWK")
    if not isinstance(jwk, dict):
        raise _err("the did:jwk value is not a JWK object", code="resolution_invalid_did")
    try:
        PublicKey.from_jwk(jwk)
    except KeyFormatError as exc:
        raise _err(f"did:jwk holds an unusable JWK: {exc.message}", code=exc.code) from exc
    vm_id = f"{did}#0"
    document: dict[str, Any] = {
        "@context": [DID_CONTEXT, JWS_2020_CONTEXT],
        "id": did,
        "verificationMethod": [
            {"id": vm_id, "type": "JsonWebKey2020", "controller": did, "publicKeyJwk": jwk}
        ],
    }
    for relationship in _SIGNING_RELATIONSHIPS:
        document[relationship] = [vm_id]
    return parse_controller_document(document, expected_id=did)
