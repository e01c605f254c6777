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

Example:
    >>> key = KeyPair.generate("Ed25519")
    >>> signature = key.sign(b"hello")
    >>> key.public_key.verify(b"hello", signature)
    >>> key.did_key.startswith("did:key:z6Mk")
    True
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any, Literal, Protocol, TypeAlias, cast, runtime_checkable

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from mcbadge._internal.multibase import (
    ED25519_PRIV,
    ED25519_PUB,
    P256_PRIV,
    P256_PUB,
    base64url_decode,
    base64url_encode,
    multibase_decode,
    multibase_encode,
    multicodec_unwrap,
    multicodec_wrap,
)
from mcbadge.errors import InvalidInputError, KeyFormatError, VerificationError

__all__ = [
    "PRIVATE_JWK_MEMBERS",
    "SUPPORTED_ALGORITHMS",
    "KeyPair",
    "KeyType",
    "PublicKey",
    "Signer",
    "ecdsa_der_to_raw",
]

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


# --------------------------------------------------------------------------- helpers


def _key_error(message: str, code: str = "key_invalid", **details: Any) -> KeyFormatError:
    return KeyFormatError(message, code=code, **details)


def _b64_member(jwk: Mapping[str, Any], name: str, *, size: int | None = None) -> bytes:
    value = jwk.get(name)
    if not isinstance(value, str) or not value:
        raise _key_error(f"JWK member {name!r} is missing or not a string", member=name)
    try:
        raw = base64url_decode(value)
    except InvalidInputError as exc:
        raise _key_error(f"JWK member {name!r} is not base64url: {exc.message}") from exc
    if size is not None and len(raw) != size:
        raise _key_error(f"JWK member {name!r} must be {size} bytes, got {len(raw)}", member=name)
    return raw


def _b64_int(jwk: Mapping[str, Any], name: str) -> int:
    raw = _b64_member(jwk, name)
    return int.from_bytes(raw, "big")


def _int_b64(value: int, size: int | None = None) -> str:
    length = size if size is not None else max(1, (value.bit_length() + 7) // 8)
    return base64url_encode(value.to_bytes(length, "big"))


def _check_jwk_common(jwk: Any) -> tuple[str, str | None]:
    if not isinstance(jwk, Mapping):
        raise _key_error(f"a JWK must be a JSON object, got {type(jwk).__name__}")
    kty = jwk.get("kty")
    if not isinstance(kty, str):
        raise _key_error("JWK has no 'kty' member")
    crv = jwk.get("crv")
    if crv is not None and not isinstance(crv, str):
        raise _key_error("JWK member 'crv' must be a string")
    return kty, crv


def _jwk_key_type(kty: str, crv: str | None) -> KeyType:
    if kty == "OKP" and crv == "Ed25519":
        return "Ed25519"
    if kty == "EC" and crv == "P-256":
        return "P-256"
    if kty == "RSA":
        return "RSA"
    if kty == "oct":
        raise _key_error(
            "symmetric JWKs (kty 'oct') are refused: credentials need an asymmetric key",
            code="key_unsupported",
        )
    raise _key_error(
        f"unsupported JWK key type kty={kty!r} crv={crv!r}: "
        "supported are OKP/Ed25519, EC/P-256 and RSA",
        code="key_unsupported",
    )


def _check_jwk_alg_use(jwk: Mapping[str, Any], key_type: KeyType) -> None:
    alg = jwk.get("alg")
    if alg is not None and _ALG_KEY_TYPE.get(alg) != key_type:
        raise _key_error(
            f"JWK declares alg={alg!r}, which cannot be used with a {key_type} key",
            code="key_algorithm_mismatch",
        )
    use = jwk.get("use")
    if use is not None and use != "sig":
        raise _key_error(
            f"JWK declares use={use!r}; only signing keys (use 'sig') are accepted",
            code="key_unsupported",
        )


def _curve_check(key: ec.EllipticCurvePublicKey | ec.EllipticCurvePrivateKey) -> None:
    if not isinstance(key.curve, ec.SECP256R1):
        raise _key_error(
            f"unsupported elliptic curve {key.curve.name}: only P-256 (secp256r1) is supported",
            code="key_unsupported",
        )


def _rsa_size_check(key: rsa.RSAPublicKey | rsa.RSAPrivateKey) -> None:
    if key.key_size < _MIN_RSA_BITS:
        raise _key_error(
            f"RSA key of {key.key_size} bits refused: at least {_MIN_RSA_BITS} bits required",
            code="key_too_weak",
        )


def _public_key_type(key: object) -> KeyType:
    if isinstance(key, Ed25519PublicKey):
        return "Ed25519"
    if isinstance(key, ec.EllipticCurvePublicKey):
        _curve_check(key)
        return "P-256"
    if isinstance(key, rsa.RSAPublicKey):
        _rsa_size_check(key)
        return "RSA"
    raise _key_error(
        f"unsupported public key type {type(key).__name__}: use Ed25519, P-256 or RSA",
        code="key_unsupported",
    )


def _private_key_type(key: object) -> KeyType:
    if isinstance(key, Ed25519PrivateKey):
        return "Ed25519"
    if isinstance(key, ec.EllipticCurvePrivateKey):
        _curve_check(key)
        return "P-256"
    if isinstance(key, rsa.RSAPrivateKey):
        _rsa_size_check(key)
        return "RSA"
    raise _key_error(
        f"unsupported private key type {type(key).__name__}: use Ed25519, P-256 or RSA",
        code="key_unsupported",
    )


def _thumbprint(jwk: Mapping[str, Any]) -> str:
    kty = jwk["kty"]
    members = ("e", "kty", "n") if kty == "RSA" else ("crv", "kty", "x", "y")
    if kty == "OKP":
        members = ("crv", "kty", "x")
    required = {name: jwk[name] for name in members}
    text = json.dumps(required, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return base64url_encode(hashlib.sha256(text.encode("utf-8")).digest())


_P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
"""The order ``n`` of the P-256 group."""


def ecdsa_der_to_raw(signature: bytes, *, size: int = _P256_BYTES) -> bytes:
    """Convert a DER ECDSA signature (as most HSMs/KMSs return it) to JOSE ``r || s``.

    A P-256 signature is written in its low-S form (``s <= n/2``; ``(r, n - s)`` is the
    same signature's other spelling), so everything mcbadge signs has one spelling. See
    docs/decisions.md ("ES256 low-S") for why verification still accepts both.

    Args:
        signature: The DER-encoded ``ECDSA-Sig-Value``.
        size: Bytes per integer (32 for P-256).

    Returns:
        The raw ``r || s`` signature (``2 * size`` bytes).

    Raises:
        KeyFormatError: the input is not a DER ECDSA signature for this size.

    Example:
        >>> from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
        >>> ecdsa_der_to_raw(encode_dss_signature(1, 2)).hex()[-4:]
        '0002'
    """
    try:
        r, s = decode_dss_signature(bytes(signature))
    except (ValueError, TypeError) as exc:
        raise _key_error(f"not a DER ECDSA signature: {exc}", code="signature_invalid") from exc
    if r.bit_length() > size * 8 or s.bit_length() > size * 8:
        raise _key_error("ECDSA signature integers are too large for the curve")
    if size == _P256_BYTES and s > _P256_ORDER // 2:
        s = _P256_ORDER - s
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


def _raw_to_der(signature: bytes) -> bytes:
    r = int.from_bytes(signature[:_P256_BYTES], "big")
    s = int.from_bytes(signature[_P256_BYTES:], "big")
    return encode_dss_signature(r, s)


# --------------------------------------------------------------------------- Ed25519 points

_ED_P = 2**255 - 19
_ED_D = -121665 * pow(121666, -1, _ED_P) % _ED_P
_ED_SQRT_M1 = pow(2, (_ED_P - 1) // 4, _ED_P)


def _ed_add(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    """Add two points of edwards25519 (affine, the complete formula for a = -1)."""
    (x1, y1), (x2, y2) = a, b
    t = _ED_D * x1 * x2 * y1 * y2 % _ED_P
    x3 = (x1 * y2 + y1 * x2) * pow(1 + t, -1, _ED_P)
    y3 = (y1 * y2 + x1 * x2) * pow(1 - t, -1, _ED_P)
    return x3 % _ED_P, y3 % _ED_P


# Keys already found sound (a verifier sees the same few issuer keys again and again); the
# check costs ~0.4 ms of big-integer arithmetic. Only keys that passed are remembered.
_SOUND_ED25519: set[bytes] = set()
_SOUND_ED25519_MAX = 4096


def _check_ed25519_point(raw: bytes) -> None:
    """Refuse an Ed25519 public key that is not canonical or has a small order (RFC 8032)."""
    if raw in _SOUND_ED25519:
        return
    _check_ed25519_point_uncached(raw)
    if len(_SOUND_ED25519) >= _SOUND_ED25519_MAX:
        _SOUND_ED25519.clear()
    _SOUND_ED25519.add(raw)


def _check_ed25519_point_uncached(raw: bytes) -> None:
    """Refuse an Ed25519 public key that is not canonical or has a small order (RFC 8032).

    A small-order key (the identity, or one of the 7 other points of order 2, 4 or 8) lets
    one constant signature verify every message: with the identity point the check
    ``[S]B = R + [k]A`` no longer depends on ``A`` or the message. A non-canonical encoding
    (``y >= p``, or ``x = 0`` with the sign bit set) is a second spelling of a key.
    """
    encoded = int.from_bytes(raw, "little")
    sign, y = encoded >> 255, encoded & ((1 << 255) - 1)
    if y >= _ED_P:
        raise _key_error(
            "the Ed25519 public key is not canonically encoded (y is not below 2^255 - 19)",
            code="key_not_canonical",
        )
    u, v = (y * y - 1) % _ED_P, (_ED_D * y * y + 1) % _ED_P
    x2 = u * pow(v, -1, _ED_P) % _ED_P
    x = pow(x2, (_ED_P + 3) // 8, _ED_P)
    if (x * x - x2) % _ED_P:
        x = x * _ED_SQRT_M1 % _ED_P
    if (x * x - x2) % _ED_P:
        raise _key_error("the Ed25519 public key is not a point on the curve", code="key_invalid")
    if x == 0 and sign:
        raise _key_error(
            "the Ed25519 public key is not canonically encoded (x = 0 with the sign bit set)",
            code="key_not_canonical",
        )
    if x & 1 != sign:
        x = _ED_P - x
    point = (x, y)
    for _ in range(3):  # [8]P: the identity exactly when P's order divides 8
        point = _ed_add(point, point)
    if point == (0, 1):
        raise _key_error(
            "the Ed25519 public key is a point of small order; with such a key one constant "
            "signature verifies every message, so it is refused",
            code="key_small_order",
        )


# --------------------------------------------------------------------------- PublicKey


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


_MAX_MULTIKEY_BYTES = 128
"""The largest multicodec-wrapped key read from a Multikey or did:key (P-256: 35 bytes)."""


def _decode_multikey(value: str, what: str) -> tuple[int, bytes]:
    if not isinstance(value, str) or not value.startswith("z"):
        raise _key_error(f"{what} must be a base58btc multibase string starting with 'z'")
    try:
        # the length first: base58 decoding is quadratic (issue 10, F5)
        return multicodec_unwrap(multibase_decode(value, max_bytes=_MAX_MULTIKEY_BYTES))
    except InvalidInputError as exc:
        raise _key_error(f"invalid {what}: {exc.message}") from exc


# --------------------------------------------------------------------------- KeyPair


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


def _rsa_private_from_jwk(jwk: Mapping[str, Any]) -> rsa.RSAPrivateKey:
    if "oth" in jwk:
        raise _key_error("multi-prime RSA JWKs ('oth') are not supported", code="key_unsupported")
    n, e, d = _b64_int(jwk, "n"), _b64_int(jwk, "e"), _b64_int(jwk, "d")
    crt = ("p", "q", "dp", "dq", "qi")
    present = [name for name in crt if name in jwk]
    if present and len(present) != len(crt):
        raise _key_error("RSA private JWK must have all of p, q, dp, dq, qi or none of them")
    if present:
        p, q = _b64_int(jwk, "p"), _b64_int(jwk, "q")
        dp, dq, qi = _b64_int(jwk, "dp"), _b64_int(jwk, "dq"), _b64_int(jwk, "qi")
    else:
        p, q = rsa.rsa_recover_prime_factors(n, e, d)
        dp, dq, qi = rsa.rsa_crt_dmp1(d, p), rsa.rsa_crt_dmq1(d, q), rsa.rsa_crt_iqmp(p, q)
    numbers = rsa.RSAPrivateNumbers(p, q, d, dp, dq, qi, rsa.RSAPublicNumbers(e, n))
    return numbers.private_key()
