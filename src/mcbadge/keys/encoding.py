"""Key encodings: JWK members, multikey values, ECDSA signatures, and the checks on each.

The strict readers and writers :class:`~mcbadge.keys.PublicKey` and
:class:`~mcbadge.keys.KeyPair` share: base64url JWK members of an exact size, a JWK's
``kty``/``crv``/``alg``/``use``, the RFC 7638 thumbprint, a bounded multikey value, an RSA
private JWK (with or without its CRT members), the key size and curve checks, and
:func:`ecdsa_der_to_raw` (DER to the JOSE ``r || s`` form, low-S). Every refusal is a
:class:`~mcbadge.errors.KeyFormatError` with a stable code.

May import: :mod:`mcbadge.errors`, :mod:`mcbadge._internal.multibase`,
:mod:`mcbadge.keys.signer`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from mcbadge._internal.multibase import (
    base64url_decode,
    base64url_encode,
    multibase_decode,
    multicodec_unwrap,
)
from mcbadge.errors import InvalidInputError, KeyFormatError
from mcbadge.keys.signer import _ALG_KEY_TYPE, _MIN_RSA_BITS, _P256_BYTES, KeyType


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
