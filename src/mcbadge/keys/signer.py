"""What a key is to mcbadge: the key types, their algorithms, and the :class:`Signer` protocol.

:data:`KeyType` (Ed25519, P-256, RSA), the JOSE algorithms mcbadge signs and verifies with
(:data:`SUPPORTED_ALGORITHMS`), the JWK members that hold private material, and the
:class:`Signer` protocol that :class:`~mcbadge.keys.KeyPair` implements in process and an HSM
or cloud KMS can implement outside it.

May import: the standard library and ``cryptography`` only (the foundation of the package).
"""

from __future__ import annotations

from typing import Any, Literal, Protocol, TypeAlias, runtime_checkable

from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

KeyType: TypeAlias = Literal["Ed25519", "P-256", "RSA"]
"""The key types mcbadge signs and verifies with."""


SUPPORTED_ALGORITHMS: tuple[str, ...] = ("EdDSA", "ES256", "RS256", "PS256")
"""JOSE algorithms mcbadge can sign and verify with (``PS256`` only with a custom signer)."""


PRIVATE_JWK_MEMBERS: frozenset[str] = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k"})
"""JWK members that carry private or symmetric key material (RFC 7518 §6)."""


_ALG_KEY_TYPE: dict[str, KeyType] = {
    "EdDSA": "Ed25519",
    "ES256": "P-256",
    "RS256": "RSA",
    "PS256": "RSA",
}


_DEFAULT_ALG: dict[str, str] = {"Ed25519": "EdDSA", "P-256": "ES256", "RSA": "RS256"}


_MIN_RSA_BITS = 2048


_P256_BYTES = 32


_PublicCryptoKey: TypeAlias = Ed25519PublicKey | ec.EllipticCurvePublicKey | rsa.RSAPublicKey


_PrivateCryptoKey: TypeAlias = Ed25519PrivateKey | ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


@runtime_checkable
class Signer(Protocol):
    """Anything that can sign for an issuer: an in-process :class:`KeyPair`, an HSM, a KMS.

    ``sign`` returns the raw signature as JOSE and Data Integrity expect it: 64 bytes for
    Ed25519, ``r || s`` (2 x 32 bytes, *not* DER) for ES256, PKCS#1 v1.5 for RS256. A KMS
    that returns DER ECDSA signatures can convert them with :func:`ecdsa_der_to_raw`.

    Attributes:
        algorithm: The JOSE algorithm: ``"EdDSA"``, ``"ES256"``, ``"RS256"`` (or ``"PS256"``).
        key_type: ``"Ed25519"``, ``"P-256"`` or ``"RSA"``.
        verification_method: The URL verifiers dereference to find the public key
            (``did:key:z…#z…``, ``did:web:…#key-1``, ``https://…``), or ``None``.

    Example:
        >>> class KmsSigner:
        ...     algorithm = "ES256"
        ...     key_type = "P-256"
        ...     verification_method = "did:web:example.nl#key-1"
        ...     def public_jwk(self) -> dict: ...
        ...     def sign(self, data: bytes) -> bytes: ...
        >>> isinstance(KmsSigner(), Signer)
        True
    """

    @property
    def algorithm(self) -> str:
        """The JOSE algorithm name."""
        ...

    @property
    def key_type(self) -> str:
        """The key type (``"Ed25519"``, ``"P-256"`` or ``"RSA"``)."""
        ...

    @property
    def verification_method(self) -> str | None:
        """The verification method URL, or ``None``."""
        ...

    def public_jwk(self) -> dict[str, Any]:
        """Return the public key as a JWK (no private members)."""
        ...

    def sign(self, data: bytes) -> bytes:
        """Sign ``data`` and return the raw signature."""
        ...
