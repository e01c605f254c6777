"""Keys: generation and loading, Multikey <-> JWK <-> PEM, and the :class:`Signer` protocol.

Three key types are supported, each with its JOSE algorithm:

=========  ===============  ==============================================
key type   JOSE ``alg``     Multikey (``publicKeyMultibase``)
=========  ===============  ==============================================
Ed25519    ``EdDSA``        ``z6Mk…`` (multicodec ``ed25519-pub`` 0xed)
P-256      ``ES256``        ``zDn…`` (multicodec ``p256-pub`` 0x1200)
RSA        ``RS256``        none (use a JWK, did:web or an HTTPS key URL)
=========  ===============  ==============================================

Signing goes through the :class:`Signer` protocol, so a key held in an HSM or a cloud KMS
can sign credentials without the private key ever entering Python: implement
``algorithm``, ``key_type``, ``verification_method``, ``public_jwk()`` and ``sign()``.
:class:`KeyPair` is the in-process implementation. Verification uses :class:`PublicKey`.

Where each part lives (every name is imported from here, the documented path):

* :mod:`~mcbadge.keys.signer` — the key types, the algorithms, the :class:`Signer` protocol;
* :mod:`~mcbadge.keys.encoding` — JWK members, multikey values, ECDSA signature forms and their
  checks (:func:`ecdsa_der_to_raw`);
* :mod:`~mcbadge.keys.ed25519` — the Ed25519 point check (canonical, not of small order);
* :mod:`~mcbadge.keys.public` — :class:`PublicKey`;
* :mod:`~mcbadge.keys.pair` — :class:`KeyPair`.

In that order each module imports only the ones before it. The package is a primitive: it may
import :mod:`mcbadge.errors` and :mod:`mcbadge._internal` only.

Example:
    >>> key = KeyPair.generate("Ed25519")
    >>> signature = key.sign(b"hello")
    >>> key.public_key.verify(b"hello", signature)
    >>> key.did_key.startswith("did:key:z6Mk")
    True
"""

from __future__ import annotations

from mcbadge.keys.encoding import ecdsa_der_to_raw
from mcbadge.keys.pair import KeyPair
from mcbadge.keys.public import PublicKey
from mcbadge.keys.signer import PRIVATE_JWK_MEMBERS, SUPPORTED_ALGORITHMS, KeyType, Signer

__all__ = [
    "PRIVATE_JWK_MEMBERS",
    "SUPPORTED_ALGORITHMS",
    "KeyPair",
    "KeyType",
    "PublicKey",
    "Signer",
    "ecdsa_der_to_raw",
]
