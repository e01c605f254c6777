""":class:`KeyPair`: a private key in this process, the :class:`~mcbadge.keys.Signer` mcbadge ships.

Generate (Ed25519, P-256, RSA), derive from a seed, load and save as PEM (encrypted or not),
JWK and multikey (``secretKeyMultibase``), and sign with the key type's JOSE algorithm (ES256
signatures in the raw ``r || s`` form). ``did:key`` and the verification method it signs as
come with it.

May import: :mod:`mcbadge.errors`, :mod:`mcbadge._internal.multibase` and the lower modules of
this package (:mod:`~mcbadge.keys.signer`, :mod:`~mcbadge.keys.encoding`,
:mod:`~mcbadge.keys.public`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
)

from mcbadge._internal.multibase import (
    ED25519_PRIV,
    ED25519_PUB,
    P256_PRIV,
    P256_PUB,
    base64url_encode,
    multibase_encode,
    multicodec_wrap,
)
from mcbadge.keys.encoding import (
    _b64_int,
    _b64_member,
    _check_jwk_alg_use,
    _check_jwk_common,
    _decode_multikey,
    _int_b64,
    _jwk_key_type,
    _key_error,
    _private_key_type,
    _rsa_private_from_jwk,
    ecdsa_der_to_raw,
)
from mcbadge.keys.public import PublicKey
from mcbadge.keys.signer import _DEFAULT_ALG, _P256_BYTES, KeyType, Signer, _PrivateCryptoKey

__all__ = ["KeyPair"]


class KeyPair:
    """A private key held in-process; implements :class:`Signer`.

    Create one with :meth:`generate`, :meth:`from_seed`, :meth:`from_pem`, :meth:`from_jwk`
    or :meth:`from_multikey`. Instances are immutable; :meth:`with_verification_method`
    returns a copy.

    Args:
        private_key: A ``cryptography`` Ed25519, EC P-256 or RSA (>= 2048 bits) private key.
        verification_method: The verification method URL that verifiers will dereference.

    Raises:
        KeyFormatError: an unsupported key type, curve or size.

    Example:
        >>> key = KeyPair.generate("P-256").with_verification_method("did:web:hs.nl#key-1")
        >>> key.algorithm, key.verification_method
        ('ES256', 'did:web:hs.nl#key-1')
    """

    __slots__ = ("_key_type", "_private", "_public", "_verification_method")

    def __init__(
        self, private_key: _PrivateCryptoKey, *, verification_method: str | None = None
    ) -> None:
        self._key_type: KeyType = _private_key_type(private_key)
        self._private: _PrivateCryptoKey = private_key
        self._public = PublicKey(private_key.public_key())
        if verification_method is not None and not isinstance(verification_method, str):
            raise _key_error("verification_method must be a string URL")
        self._verification_method = verification_method

    # ---- Signer protocol
    @property
    def algorithm(self) -> str:
        """The JOSE algorithm: ``EdDSA``, ``ES256`` or ``RS256``."""
        return _DEFAULT_ALG[self._key_type]

    @property
    def key_type(self) -> KeyType:
        """``"Ed25519"``, ``"P-256"`` or ``"RSA"``."""
        return self._key_type

    @property
    def verification_method(self) -> str | None:
        """The verification method URL, or ``None`` when not set."""
        return self._verification_method

    def public_jwk(self) -> dict[str, Any]:
        """Return the public JWK (same as ``to_jwk()``).

        Example:
            >>> "d" in KeyPair.generate("Ed25519").public_jwk()
            False
        """
        return self._public.to_jwk()

    def sign(self, data: bytes) -> bytes:
        """Sign ``data``; returns the raw JOSE/Data Integrity signature.

        Args:
            data: The bytes to sign.

        Returns:
            Ed25519: 64 bytes; ES256: ``r || s`` (64 bytes); RS256: PKCS#1 v1.5.

        Raises:
            KeyFormatError: ``data`` is not bytes.

        Example:
            >>> len(KeyPair.generate("P-256").sign(b"data"))
            64
        """
        if not isinstance(data, bytes | bytearray | memoryview):
            raise _key_error(f"sign() expects bytes, got {type(data).__name__}")
        message = bytes(data)
        key = self._private
        if isinstance(key, Ed25519PrivateKey):
            return key.sign(message)
        if isinstance(key, ec.EllipticCurvePrivateKey):
            return ecdsa_der_to_raw(key.sign(message, ec.ECDSA(hashes.SHA256())))
        return key.sign(message, padding.PKCS1v15(), hashes.SHA256())

    # ---- properties
    @property
    def public_key(self) -> PublicKey:
        """The matching :class:`PublicKey`."""
        return self._public

    @property
    def did_key(self) -> str:
        """The did:key DID of this key (``did:key:z6Mk…`` / ``did:key:zDn…``).

        Raises:
            KeyFormatError: for RSA keys, which have no did:key form here.
        """
        if self._key_type == "RSA":
            raise _key_error(
                "RSA keys have no did:key form in mcbadge: publish the key with did:web "
                "(did_web_document), did:jwk, or an HTTPS key URL, or use an Ed25519/P-256 key",
                code="key_unsupported",
            )
        return self._public.did_key

    @property
    def did_key_verification_method(self) -> str:
        """The did:key verification method URL: ``did:key:z…#z…``.

        Raises:
            KeyFormatError: for RSA keys.
        """
        did = self.did_key
        return f"{did}#{did.removeprefix('did:key:')}"

    def jwk_thumbprint(self) -> str:
        """Return the RFC 7638 thumbprint of the public key."""
        return self._public.jwk_thumbprint()

    def with_verification_method(self, verification_method: str) -> KeyPair:
        """Return a copy that signs with ``verification_method`` as its key URL.

        Args:
            verification_method: e.g. ``"did:web:hs-voorbeeld.nl#key-1"``.

        Returns:
            A new :class:`KeyPair` sharing the same private key.

        Raises:
            KeyFormatError: ``verification_method`` is not a non-empty string.

        Example:
            >>> kp = KeyPair.generate()
            >>> kp.with_verification_method("did:web:hs.nl#key-1").verification_method
            'did:web:hs.nl#key-1'
        """
        if not isinstance(verification_method, str) or not verification_method:
            raise _key_error("verification_method must be a non-empty string URL")
        return KeyPair(self._private, verification_method=verification_method)

    # ---- construction
    @classmethod
    def generate(
        cls, key_type: KeyType = "Ed25519", *, verification_method: str | None = None
    ) -> KeyPair:
        """Generate a new key: Ed25519 (default), P-256, or RSA 2048.

        Args:
            key_type: ``"Ed25519"``, ``"P-256"`` or ``"RSA"``.
            verification_method: Optional verification method URL.

        Returns:
            The new key pair.

        Raises:
            KeyFormatError: an unknown key type.

        Example:
            >>> KeyPair.generate("RSA").algorithm
            'RS256'
        """
        private: _PrivateCryptoKey
        if key_type == "Ed25519":
            private = Ed25519PrivateKey.generate()
        elif key_type == "P-256":
            private = ec.generate_private_key(ec.SECP256R1())
        elif key_type == "RSA":
            private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        else:
            raise _key_error(
                f"unknown key type {key_type!r}: use 'Ed25519', 'P-256' or 'RSA'",
                code="key_unsupported",
            )
        return cls(private, verification_method=verification_method)

    @classmethod
    def from_seed(cls, seed: bytes, *, verification_method: str | None = None) -> KeyPair:
        """Build an Ed25519 key from its 32-byte seed (RFC 8032 private key).

        Args:
            seed: 32 bytes.
            verification_method: Optional verification method URL.

        Returns:
            The Ed25519 key pair.

        Raises:
            KeyFormatError: the seed is not 32 bytes.

        Example:
            >>> KeyPair.from_seed(bytes(32)).did_key
            'did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp'
        """
        if not isinstance(seed, bytes | bytearray) or len(seed) != 32:
            size = len(seed) if isinstance(seed, bytes | bytearray) else type(seed).__name__
            raise _key_error(f"an Ed25519 seed is 32 bytes, got {size}")
        return cls(
            Ed25519PrivateKey.from_private_bytes(bytes(seed)),
            verification_method=verification_method,
        )

    @classmethod
    def from_pem(
        cls,
        data: bytes | str,
        password: bytes | str | None = None,
        *,
        verification_method: str | None = None,
    ) -> KeyPair:
        """Read a PEM private key (PKCS#8, or traditional PKCS#1/SEC1), optionally encrypted.

        Args:
            data: The PEM text.
            password: The password of an encrypted PEM.
            verification_method: Optional verification method URL.

        Returns:
            The key pair.

        Raises:
            KeyFormatError: unreadable PEM, wrong or missing password, or unsupported key.

        Example:
            >>> kp = KeyPair.generate("P-256")
            >>> KeyPair.from_pem(kp.to_pem()).public_key == kp.public_key
            True
        """
        raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        secret = password.encode("utf-8") if isinstance(password, str) else password
        try:
            key = serialization.load_pem_private_key(raw, password=secret)
        except TypeError as exc:
            raise _key_error(f"PEM password problem: {exc}", code="key_password") from exc
        except (ValueError, UnsupportedAlgorithm) as exc:
            raise _key_error(
                "cannot read the PEM private key (wrong password, corrupt data, or not a "
                f"private key): {exc}"
            ) from exc
        return cls(cast(_PrivateCryptoKey, key), verification_method=verification_method)

    def to_pem(self, password: bytes | str | None = None) -> bytes:
        """Write the private key as PKCS#8 PEM, encrypted when ``password`` is given.

        Args:
            password: Optional password (best available encryption).

        Returns:
            The PEM bytes.

        Raises:
            KeyFormatError: an empty password.

        Example:
            >>> KeyPair.generate().to_pem(b"secret").startswith(b"-----BEGIN ENCRYPTED")
            True
        """
        encryption: serialization.KeySerializationEncryption
        if password is None:
            encryption = serialization.NoEncryption()
        else:
            secret = password.encode("utf-8") if isinstance(password, str) else bytes(password)
            if not secret:
                raise _key_error("an empty PEM password is not allowed", code="key_password")
            encryption = serialization.BestAvailableEncryption(secret)
        return self._private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        )

    @classmethod
    def from_jwk(cls, jwk: Mapping[str, Any], *, verification_method: str | None = None) -> KeyPair:
        """Read a private JWK (with ``d``); the public members must match it.

        Args:
            jwk: OKP/Ed25519, EC/P-256 or RSA private JWK.
            verification_method: Optional verification method URL.

        Returns:
            The key pair.

        Raises:
            KeyFormatError: no private part, unknown key type, bad sizes, or public members
                that do not belong to the private key.

        Example:
            >>> kp = KeyPair.generate("Ed25519")
            >>> KeyPair.from_jwk(kp.to_jwk(private=True)).public_key == kp.public_key
            True
        """
        kty, crv = _check_jwk_common(jwk)
        key_type = _jwk_key_type(kty, crv)
        if "d" not in jwk:
            raise _key_error(
                "JWK has no private member 'd': a KeyPair needs the private key "
                "(use PublicKey.from_jwk for a public key)",
                code="key_not_private",
            )
        _check_jwk_alg_use(jwk, key_type)
        private: _PrivateCryptoKey
        try:
            if key_type == "Ed25519":
                private = Ed25519PrivateKey.from_private_bytes(_b64_member(jwk, "d", size=32))
            elif key_type == "P-256":
                d = int.from_bytes(_b64_member(jwk, "d", size=_P256_BYTES), "big")
                private = ec.derive_private_key(d, ec.SECP256R1())
            else:
                private = _rsa_private_from_jwk(jwk)
        except ValueError as exc:
            raise _key_error(f"invalid {key_type} private JWK: {exc}") from exc
        pair = cls(private, verification_method=verification_method)
        expected = pair.public_jwk()
        for member in ("x", "y", "n", "e"):
            if member not in expected:
                continue
            if member not in jwk:
                raise _key_error(f"private JWK lacks the public member {member!r}")
            if member in ("n", "e"):
                matches = _b64_int(jwk, member) == _b64_int(expected, member)
            else:
                matches = jwk[member] == expected[member]
            if not matches:
                raise _key_error(f"JWK member {member!r} does not match the private key")
        return pair

    def to_jwk(self, *, private: bool = False) -> dict[str, Any]:
        """Return the JWK; public only unless ``private=True``.

        Args:
            private: Include the private members (``d``; for RSA also ``p``, ``q``, CRT).

        Returns:
            A new dict.

        Example:
            >>> sorted(KeyPair.generate("Ed25519").to_jwk(private=True))
            ['crv', 'd', 'kty', 'x']
        """
        jwk = self._public.to_jwk()
        if not private:
            return jwk
        key = self._private
        if isinstance(key, Ed25519PrivateKey):
            seed = key.private_bytes(
                serialization.Encoding.Raw,
                serialization.PrivateFormat.Raw,
                serialization.NoEncryption(),
            )
            jwk["d"] = base64url_encode(seed)
        elif isinstance(key, ec.EllipticCurvePrivateKey):
            jwk["d"] = _int_b64(key.private_numbers().private_value, _P256_BYTES)
        else:
            nums = key.private_numbers()
            jwk.update(
                d=_int_b64(nums.d),
                p=_int_b64(nums.p),
                q=_int_b64(nums.q),
                dp=_int_b64(nums.dmp1),
                dq=_int_b64(nums.dmq1),
                qi=_int_b64(nums.iqmp),
            )
        return jwk

    @classmethod
    def from_multikey(
        cls,
        public_or_secret: str,
        secret: str | None = None,
        *,
        verification_method: str | None = None,
    ) -> KeyPair:
        """Read a Multikey key pair (``publicKeyMultibase`` / ``secretKeyMultibase``).

        Either pass ``(public, secret)`` — the secret must belong to the public key — or the
        secret alone. Ed25519 secrets may be the 32-byte seed or seed || public (64 bytes).

        Args:
            public_or_secret: ``publicKeyMultibase`` (``z6Mk…``/``zDn…``), or the secret
                key multibase when ``secret`` is omitted.
            secret: ``secretKeyMultibase`` (multicodec ``ed25519-priv`` or ``p256-priv``).
            verification_method: Optional verification method URL.

        Returns:
            The key pair.

        Raises:
            KeyFormatError: only a public key given, bad encoding, unknown codec, or a
                secret that does not match the public key.

        Example:
            >>> kp = KeyPair.generate("P-256")
            >>> again = KeyPair.from_multikey(kp.to_multikey(), kp.to_multikey(private=True))
            >>> again.public_key == kp.public_key
            True
        """
        if secret is None:
            code, _ = _decode_multikey(public_or_secret, "key multibase")
            if code in (ED25519_PUB, P256_PUB):
                raise _key_error(
                    "a public Multikey cannot sign: pass the secretKeyMultibase too "
                    "(or use PublicKey.from_multikey for verification)",
                    code="key_not_private",
                )
            public: PublicKey | None = None
            secret_text = public_or_secret
        else:
            public = PublicKey.from_multikey(public_or_secret)
            secret_text = secret
        code, raw = _decode_multikey(secret_text, "secretKeyMultibase")
        private: _PrivateCryptoKey
        if code == ED25519_PRIV:
            if len(raw) not in (32, 64):
                raise _key_error(
                    f"an Ed25519 secret key is 32 bytes (or 64: seed || public), got {len(raw)}"
                )
            private = Ed25519PrivateKey.from_private_bytes(raw[:32])
            if len(raw) == 64 and PublicKey(private.public_key()).to_raw() != raw[32:]:
                raise _key_error("the Ed25519 secret key's public half does not match its seed")
        elif code == P256_PRIV:
            if len(raw) != _P256_BYTES:
                raise _key_error(f"a P-256 secret key is 32 bytes, got {len(raw)}")
            try:
                private = ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
            except ValueError as exc:
                raise _key_error(f"invalid P-256 secret key: {exc}") from exc
        else:
            raise _key_error(
                f"unsupported secret key codec 0x{code:x}: supported are ed25519-priv "
                "(0x1300) and p256-priv (0x1306)",
                code="key_unsupported",
            )
        pair = cls(private, verification_method=verification_method)
        if public is not None and pair.public_key != public:
            raise _key_error("the secret key does not belong to the given public key")
        return pair

    def to_multikey(self, *, private: bool = False) -> str:
        """Return ``publicKeyMultibase``, or ``secretKeyMultibase`` when ``private=True``.

        Args:
            private: Return the secret key (Ed25519: 32-byte seed; P-256: 32-byte scalar).

        Returns:
            A base58btc multibase string.

        Raises:
            KeyFormatError: for RSA keys.

        Example:
            >>> KeyPair.generate().to_multikey(private=True)[:4]
            'z3u2'
        """
        if not private:
            return self._public.to_multikey()
        key = self._private
        if isinstance(key, Ed25519PrivateKey):
            raw = key.private_bytes(
                serialization.Encoding.Raw,
                serialization.PrivateFormat.Raw,
                serialization.NoEncryption(),
            )
            return multibase_encode(multicodec_wrap(ED25519_PRIV, raw), "base58btc")
        if isinstance(key, ec.EllipticCurvePrivateKey):
            scalar = key.private_numbers().private_value.to_bytes(_P256_BYTES, "big")
            return multibase_encode(multicodec_wrap(P256_PRIV, scalar), "base58btc")
        raise _key_error("RSA keys have no Multikey form here", code="key_unsupported")

    def __repr__(self) -> str:
        return (
            f"KeyPair({self._key_type}, verification_method={self._verification_method!r}, "
            f"thumbprint={self.jwk_thumbprint()!r})"
        )


def _is_signer(value: object) -> bool:
    """``isinstance(value, Signer)``, quick for a :class:`KeyPair`.

    A ``runtime_checkable`` Protocol check looks up every member on the instance (about
    10 µs); ``issue()`` makes it twice per credential, which a batch notices.
    """
    return isinstance(value, KeyPair) or isinstance(value, Signer)
