""":class:`PublicKey`: a public key that verifies raw signatures, read and written in every form.

JWK, multikey (``publicKeyMultibase``), raw bytes and PEM in; the same out, plus ``did:key``
and the RFC 7638 thumbprint. Construction refuses what a verifier must not trust (an RSA key
under 2048 bits, a curve other than P-256, an Ed25519 key of small order).

May import: :mod:`mcbadge.errors`, :mod:`mcbadge._internal.multibase` and the lower modules of
this package (:mod:`~mcbadge.keys.signer`, :mod:`~mcbadge.keys.encoding`,
:mod:`~mcbadge.keys.ed25519`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, cast

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PublicKey,
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
from mcbadge.errors import VerificationError
from mcbadge.keys.ed25519 import _check_ed25519_point
from mcbadge.keys.encoding import (
    _b64_int,
    _b64_member,
    _check_jwk_alg_use,
    _check_jwk_common,
    _decode_multikey,
    _int_b64,
    _jwk_key_type,
    _key_error,
    _public_key_type,
    _raw_to_der,
    _thumbprint,
)
from mcbadge.keys.signer import (
    _ALG_KEY_TYPE,
    _DEFAULT_ALG,
    _P256_BYTES,
    PRIVATE_JWK_MEMBERS,
    KeyType,
    _PublicCryptoKey,
)


class PublicKey:
    """A public key (Ed25519, P-256 or RSA >= 2048 bits) that verifies raw signatures.

    Build one with :meth:`from_jwk`, :meth:`from_multikey`, :meth:`from_pem`,
    :meth:`from_raw`, or from a cryptography public key. Two ``PublicKey`` objects are equal
    when they hold the same key.

    Args:
        key: A ``cryptography`` Ed25519, EC (P-256) or RSA public key.

    Raises:
        KeyFormatError: any other key type, another curve, or RSA below 2048 bits.

    Example:
        >>> pk = PublicKey.from_multikey("z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2")
        >>> pk.to_jwk()["crv"]
        'Ed25519'
    """

    __slots__ = ("_key", "_key_type")

    def __init__(self, key: _PublicCryptoKey) -> None:
        self._key_type: KeyType = _public_key_type(key)
        if isinstance(key, Ed25519PublicKey):
            _check_ed25519_point(
                key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            )
        self._key: _PublicCryptoKey = key

    # ---- properties
    @property
    def key_type(self) -> KeyType:
        """``"Ed25519"``, ``"P-256"`` or ``"RSA"``."""
        return self._key_type

    @property
    def algorithm(self) -> str:
        """The default JOSE algorithm for this key (``EdDSA``, ``ES256``, ``RS256``)."""
        return _DEFAULT_ALG[self._key_type]

    @property
    def cryptography_key(self) -> _PublicCryptoKey:
        """The underlying ``cryptography`` public key object."""
        return self._key

    @property
    def did_key(self) -> str:
        """The did:key DID of this key (Ed25519 and P-256 only).

        Raises:
            KeyFormatError: for RSA keys.
        """
        return "did:key:" + self.to_multikey()

    def supports_algorithm(self, algorithm: str) -> bool:
        """Whether this key can verify signatures made with the JOSE ``algorithm``.

        Args:
            algorithm: A JOSE algorithm name.

        Returns:
            ``True`` when the algorithm belongs to this key type.

        Example:
            >>> KeyPair.generate("P-256").public_key.supports_algorithm("EdDSA")
            False
        """
        return _ALG_KEY_TYPE.get(algorithm) == self._key_type

    # ---- verification
    def verify(self, data: bytes, signature: bytes, *, algorithm: str | None = None) -> None:
        """Check a raw signature over ``data``; return ``None`` when it is valid.

        Args:
            data: The signed bytes.
            signature: The raw signature (Ed25519 64 bytes, ES256 ``r || s``, RSA PKCS#1).
            algorithm: The JOSE algorithm; defaults to :attr:`algorithm`. ``PS256`` selects
                RSASSA-PSS for RSA keys.

        Raises:
            VerificationError: the signature does not match (code ``signature_invalid``).
            KeyFormatError: the algorithm does not fit this key type.

        Example:
            >>> kp = KeyPair.generate("Ed25519")
            >>> kp.public_key.verify(b"x", kp.sign(b"x"))
        """
        alg = algorithm or self.algorithm
        if not self.supports_algorithm(alg):
            raise _key_error(
                f"algorithm {alg!r} cannot be used with a {self._key_type} key",
                code="key_algorithm_mismatch",
            )
        if not isinstance(signature, bytes | bytearray) or not isinstance(data, bytes | bytearray):
            raise VerificationError("signature and data must be bytes", code="signature_invalid")
        sig = bytes(signature)
        try:
            key = self._key
            if isinstance(key, Ed25519PublicKey):
                if len(sig) != 64:
                    raise InvalidSignature
                key.verify(sig, bytes(data))
            elif isinstance(key, ec.EllipticCurvePublicKey):
                if len(sig) != 2 * _P256_BYTES:
                    raise InvalidSignature
                key.verify(_raw_to_der(sig), bytes(data), ec.ECDSA(hashes.SHA256()))
            else:
                if len(sig) != (key.key_size + 7) // 8:
                    raise InvalidSignature
                pad: padding.AsymmetricPadding = (
                    padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
                    if alg == "PS256"
                    else padding.PKCS1v15()
                )
                key.verify(sig, bytes(data), pad, hashes.SHA256())
        except InvalidSignature as exc:
            raise VerificationError(
                f"{alg} signature does not match the {self._key_type} public key",
                code="signature_invalid",
            ) from exc

    # ---- export
    def to_jwk(self) -> dict[str, Any]:
        """Return the public JWK (``kty``, ``crv``, ``x``[, ``y``] or ``n``, ``e``).

        Returns:
            A new dict; no private members, no ``kid``.

        Example:
            >>> KeyPair.generate("P-256").public_key.to_jwk()["kty"]
            'EC'
        """
        key = self._key
        if isinstance(key, Ed25519PublicKey):
            raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            return {"kty": "OKP", "crv": "Ed25519", "x": base64url_encode(raw)}
        if isinstance(key, ec.EllipticCurvePublicKey):
            nums = key.public_numbers()
            return {
                "kty": "EC",
                "crv": "P-256",
                "x": _int_b64(nums.x, _P256_BYTES),
                "y": _int_b64(nums.y, _P256_BYTES),
            }
        rnums = key.public_numbers()
        return {"kty": "RSA", "n": _int_b64(rnums.n), "e": _int_b64(rnums.e)}

    def to_raw(self) -> bytes:
        """Return the raw public key: 32 bytes (Ed25519) or the 33-byte compressed P-256 point.

        Raises:
            KeyFormatError: for RSA keys (no raw form; use :meth:`to_jwk` or :meth:`to_pem`).

        Example:
            >>> len(KeyPair.generate("P-256").public_key.to_raw())
            33
        """
        key = self._key
        if isinstance(key, Ed25519PublicKey):
            return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        if isinstance(key, ec.EllipticCurvePublicKey):
            return key.public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint
            )
        raise _key_error(
            "RSA keys have no raw/Multikey form here; use to_jwk() or to_pem()",
            code="key_unsupported",
        )

    def to_multikey(self) -> str:
        """Return ``publicKeyMultibase``: ``z6Mk…`` for Ed25519, ``zDn…`` for P-256.

        Raises:
            KeyFormatError: for RSA keys.

        Example:
            >>> KeyPair.generate("Ed25519").public_key.to_multikey()[:4]
            'z6Mk'
        """
        code = ED25519_PUB if self._key_type == "Ed25519" else P256_PUB
        return multibase_encode(multicodec_wrap(code, self.to_raw()), "base58btc")

    def to_pem(self) -> bytes:
        """Return the key as a PEM ``SubjectPublicKeyInfo``.

        Example:
            >>> KeyPair.generate("Ed25519").public_key.to_pem().startswith(b"-----BEGIN PUBLIC")
            True
        """
        return self._key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def jwk_thumbprint(self) -> str:
        """Return the RFC 7638 JWK thumbprint (SHA-256, base64url).

        Example:
            >>> len(KeyPair.generate("Ed25519").public_key.jwk_thumbprint())
            43
        """
        return _thumbprint(self.to_jwk())

    # ---- import
    @classmethod
    def from_jwk(cls, jwk: Mapping[str, Any]) -> PublicKey:
        """Read a public JWK (OKP/Ed25519, EC/P-256, RSA).

        Args:
            jwk: The JWK object.

        Returns:
            The public key.

        Raises:
            KeyFormatError: private or symmetric members present (``d``, ``p``, ``k``…), an
                unknown ``kty``/``crv``, wrong member sizes, a P-256 point not on the curve,
                an ``alg`` that does not fit the key, ``use`` other than ``sig``, or RSA
                below 2048 bits.

        Example:
            >>> PublicKey.from_jwk({"kty": "OKP", "crv": "Ed25519",
            ...     "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}).key_type
            'Ed25519'
        """
        kty, crv = _check_jwk_common(jwk)
        private = sorted(PRIVATE_JWK_MEMBERS.intersection(jwk))
        if private:
            raise _key_error(
                f"JWK contains private key material ({', '.join(private)}) where a public key"
                " is expected",
                code="key_private_material",
                members=private,
            )
        key_type = _jwk_key_type(kty, crv)
        _check_jwk_alg_use(jwk, key_type)
        try:
            if key_type == "Ed25519":
                return cls(Ed25519PublicKey.from_public_bytes(_b64_member(jwk, "x", size=32)))
            if key_type == "P-256":
                x = int.from_bytes(_b64_member(jwk, "x", size=_P256_BYTES), "big")
                y = int.from_bytes(_b64_member(jwk, "y", size=_P256_BYTES), "big")
                return cls(ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key())
            n, e = _b64_int(jwk, "n"), _b64_int(jwk, "e")
            return cls(rsa.RSAPublicNumbers(e, n).public_key())
        except ValueError as exc:
            raise _key_error(
                f"invalid {key_type} JWK: {exc}",
                code="key_not_on_curve" if key_type == "P-256" else "key_invalid",
            ) from exc

    @classmethod
    def from_multikey(cls, public_key_multibase: str) -> PublicKey:
        """Read a Multikey ``publicKeyMultibase`` (``z6Mk…`` Ed25519, ``zDn…`` P-256).

        Args:
            public_key_multibase: base58btc multibase of ``multicodec || raw key``.

        Returns:
            The public key.

        Raises:
            KeyFormatError: not base58btc, an unknown or private multicodec, a wrong length,
                or a P-256 point not on the curve.

        Example:
            >>> PublicKey.from_multikey(
            ...     "zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv").key_type
            'P-256'
        """
        code, raw = _decode_multikey(public_key_multibase, "publicKeyMultibase")
        if code == ED25519_PUB:
            return cls.from_raw(raw, key_type="Ed25519")
        if code == P256_PUB:
            return cls.from_raw(raw, key_type="P-256")
        if code in (ED25519_PRIV, P256_PRIV):
            raise _key_error(
                "this Multikey is a secret key where a public key is expected",
                code="key_private_material",
            )
        raise _key_error(
            f"unsupported Multikey codec 0x{code:x}: supported are ed25519-pub (0xed) and "
            "p256-pub (0x1200)",
            code="key_unsupported",
        )

    @classmethod
    def from_raw(cls, data: bytes, *, key_type: Literal["Ed25519", "P-256"]) -> PublicKey:
        """Read a raw public key: 32 bytes (Ed25519) or a SEC1 P-256 point (33 or 65 bytes).

        Args:
            data: The key bytes.
            key_type: ``"Ed25519"`` or ``"P-256"``.

        Returns:
            The public key.

        Raises:
            KeyFormatError: wrong length, a point not on the curve, an Ed25519 point of
                small order (``key_small_order``) or not canonically encoded
                (``key_not_canonical``).

        Example:
            >>> PublicKey.from_raw(bytes.fromhex(
            ...     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"),
            ...     key_type="Ed25519").key_type
            'Ed25519'
        """
        data = bytes(data)
        if key_type == "Ed25519":
            if len(data) != 32:
                raise _key_error(f"an Ed25519 public key is 32 bytes, got {len(data)}")
            return cls(Ed25519PublicKey.from_public_bytes(data))
        if key_type == "P-256":
            if len(data) not in (33, 65):
                raise _key_error(
                    f"a P-256 public key is a 33-byte compressed point, got {len(data)} bytes"
                )
            try:
                return cls(ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), data))
            except ValueError as exc:
                raise _key_error(f"invalid P-256 point: {exc}", code="key_not_on_curve") from exc
        raise _key_error(f"unsupported raw key type {key_type!r}", code="key_unsupported")

    @classmethod
    def from_pem(cls, data: bytes | str) -> PublicKey:
        """Read a PEM public key (``-----BEGIN PUBLIC KEY-----``).

        Args:
            data: The PEM text.

        Returns:
            The public key.

        Raises:
            KeyFormatError: not a PEM public key, or an unsupported key type.

        Example:
            >>> pem = KeyPair.generate("Ed25519").public_key.to_pem()
            >>> PublicKey.from_pem(pem).key_type
            'Ed25519'
        """
        raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        try:
            key = serialization.load_pem_public_key(raw)
        except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
            raise _key_error(
                f"cannot read the PEM public key (for a private key use KeyPair.from_pem): {exc}"
            ) from exc
        return cls(cast(_PublicCryptoKey, key))

    # ---- dunder
    def _identity(self) -> tuple[str, bytes | tuple[int, int]]:
        key = self._key
        if isinstance(key, rsa.RSAPublicKey):
            nums = key.public_numbers()
            return ("RSA", (nums.n, nums.e))
        return (self._key_type, self.to_raw())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PublicKey):
            return NotImplemented
        return self._identity() == other._identity()

    def __hash__(self) -> int:
        return hash(self._identity())

    def __repr__(self) -> str:
        return f"PublicKey({self._key_type}, thumbprint={self.jwk_thumbprint()!r})"
