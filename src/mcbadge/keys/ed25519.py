"""The Ed25519 public key check: canonical encoding, on the curve, not of small order.

:func:`_check_ed25519_point` refuses a key that would let one signature verify every message
(RFC 8032 §5.1.3; the identity and the other points of order 2, 4 or 8) or that is a second
spelling of another key, with the arithmetic of edwards25519 written out (``cryptography``
does not expose it). Keys that passed are remembered: a verifier sees the same issuers again.

May import: :mod:`mcbadge.keys.encoding` (for the typed error).
"""

from __future__ import annotations

from mcbadge.keys.encoding import _key_error

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
