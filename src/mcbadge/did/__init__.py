"""DIDs and verification methods: did:key and did:jwk offline; did:web and HTTPS key URLs opt-in.

Offline by default: :func:`resolve_did_key` and :func:`resolve_did_jwk` need no network, and
:class:`Resolver` only fetches anything (a did:web ``did.json``, an HTTPS controller document
or JWKS) when it is built with ``allow_network=True``. Network fetches are HTTPS only, with a
timeout, a size cap and a redirect limit. Issuers build the ``did.json`` to host with
:func:`did_web_document`.

Where each part lives (every name is imported from here, the documented path):

* :mod:`~mcbadge.did.document` — :class:`DidDocument`, :class:`VerificationMethod`,
  :func:`parse_controller_document`, the DID Core contexts and relationships;
* :mod:`~mcbadge.did.did_key`, :mod:`~mcbadge.did.did_jwk`, :mod:`~mcbadge.did.did_web` — one
  module per DID method;
* :mod:`~mcbadge.did.resolver` — the :class:`Resolver` (offline methods, and the network ones
  when allowed).

The methods import only the document module; the resolver imports them all. The package is on
the documents floor: it may import :mod:`mcbadge.keys`, :mod:`mcbadge.net`,
:mod:`mcbadge.errors` and :mod:`mcbadge._internal`; never proofs, verify, service or cli.

Example:
    >>> from mcbadge.keys import KeyPair
    >>> key = KeyPair.from_seed(bytes(32))
    >>> vm = Resolver().resolve_verification_method(key.did_key_verification_method)
    >>> vm.type, vm.public_key == key.public_key, "assertionMethod" in vm.relationships
    ('Multikey', True, True)
"""

from __future__ import annotations

from mcbadge.did.did_jwk import did_jwk, resolve_did_jwk
from mcbadge.did.did_key import resolve_did_key
from mcbadge.did.did_web import did_web, did_web_document, did_web_url
from mcbadge.did.document import (
    DID_CONTEXT,
    JWK_CONTEXT,
    JWS_2020_CONTEXT,
    MULTIKEY_CONTEXT,
    VERIFICATION_RELATIONSHIPS,
    DidDocument,
    VerificationMethod,
    parse_controller_document,
)
from mcbadge.did.resolver import Resolver

__all__ = [
    "DID_CONTEXT",
    "JWS_2020_CONTEXT",
    "JWK_CONTEXT",
    "MULTIKEY_CONTEXT",
    "VERIFICATION_RELATIONSHIPS",
    "DidDocument",
    "Resolver",
    "VerificationMethod",
    "did_jwk",
    "did_web",
    "did_web_document",
    "did_web_url",
    "parse_controller_document",
    "resolve_did_jwk",
    "resolve_did_key",
]
