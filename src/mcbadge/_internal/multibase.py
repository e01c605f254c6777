"""Multibase, base58btc, base64url and multicodec helpers (strict, pure Python).

These encodings carry keys (``publicKeyMultibase``), signatures (``proofValue``), did:key
identifiers and JWS segments. Every decoder is strict: characters outside the alphabet,
padding where none belongs, non-canonical encodings and non-minimal varints are refused,
so that one value never has two accepted spellings.

Example:
    >>> multibase_encode(b"\\x00\\x01", "base58btc")
    'z12'
    >>> multibase_decode("z12")
    b'\\x00\\x01'
    >>> multicodec_unwrap(multicodec_wrap(ED25519_PUB, b"k" * 32))[0] == ED25519_PUB
    True
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Literal

from mcbadge.errors import InvalidInputError

__all__ = [
    "BASE58_ALPHABET",
    "MAX_BASE58_BYTES",
    "ED25519_PRIV",
    "ED25519_PUB",
    "P256_PRIV",
    "P256_PUB",
    "base58_max_chars",
    "base58btc_decode",
    "base58btc_encode",
    "base64url_decode",
    "base64url_encode",
    "multibase_decode",
    "multibase_encode",
    "multicodec_unwrap",
    "multicodec_wrap",
    "varint_decode",
    "varint_encode",
]

BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
"""The Bitcoin base58 alphabet (multibase ``z``)."""

ED25519_PUB = 0xED
"""Multicodec ``ed25519-pub``: a 32-byte Ed25519 public key."""
ED25519_PRIV = 0x1300
"""Multicodec ``ed25519-priv``: a 32-byte Ed25519 seed (some tools append the public key)."""
P256_PUB = 0x1200
"""Multicodec ``p256-pub``: a 33-byte SEC1 compressed P-256 point."""
P256_PRIV = 0x1306
"""Multicodec ``p256-priv``: a 32-byte P-256 private scalar."""

MAX_BASE58_BYTES = 4096
"""The default bound on a decoded base58btc value (keys and signatures are under 100 bytes)."""

_B58_INDEX = {ch: i for i, ch in enumerate(BASE58_ALPHABET)}
# Work in chunks of 10 base58 digits (58**10 < 2**59) so the Python-level loop is short.
_CHUNK = 10
_CHUNK_BASE = 58**_CHUNK
_BASE64URL_RE = re.compile(r"[A-Za-z0-9_-]*")
_MAX_VARINT_BYTES = 9


def _error(message: str, **details: object) -> InvalidInputError:
    return InvalidInputError(message, code="invalid_encoding", **details)


def base58btc_encode(data: bytes) -> str:
    """Encode bytes as base58btc (Bitcoin alphabet), without the multibase prefix.

    Each leading zero byte becomes one leading ``1``.

    Args:
        data: The bytes to encode.

    Returns:
        The base58btc text.

    Raises:
        InvalidInputError: ``data`` is not bytes.

    Example:
        >>> base58btc_encode(b"hello")
        'Cn8eVZg'
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise _error(f"base58btc_encode expects bytes, got {type(data).__name__}")
    raw = bytes(data)
    zeros = len(raw) - len(raw.lstrip(b"\x00"))
    number = int.from_bytes(raw, "big")
    chunks: list[str] = []
    while number:
        number, rest = divmod(number, _CHUNK_BASE)
        digits = []
        for _ in range(_CHUNK):
            rest, digit = divmod(rest, 58)
            digits.append(BASE58_ALPHABET[digit])
        chunks.append("".join(reversed(digits)))
    body = "".join(reversed(chunks)).lstrip("1")
    return "1" * zeros + body


def base58_max_chars(max_bytes: int) -> int:
    """The longest base58btc text that can decode to at most ``max_bytes`` bytes.

    Each base58 digit carries log2(58) ≈ 5.86 bits and each leading ``1`` one zero byte, so
    ``n`` bytes never take more than ``ceil(n · 8 / log2 58)`` (≈ 1.366 n) characters, plus one.

    Example:
        >>> base58_max_chars(64)
        89
    """
    return (max_bytes * 13658) // 10000 + 2


def base58btc_decode(text: str, *, max_bytes: int = MAX_BASE58_BYTES) -> bytes:
    """Decode base58btc text (no multibase prefix), strictly.

    Decoding is quadratic in the length of the text, so the length is checked first: text
    too long to decode to at most ``max_bytes`` bytes is refused before any arithmetic.

    Args:
        text: base58btc characters only; each leading ``1`` is one leading zero byte.
        max_bytes: The largest decoded value accepted (callers that know the size of what
            they decode, a 64-byte signature or a 34-byte key, pass it).

    Returns:
        The decoded bytes.

    Raises:
        InvalidInputError: ``text`` is not a string or contains a character outside the
            base58btc alphabet (``0``, ``O``, ``I``, ``l``, whitespace...) (code
            ``invalid_encoding``), or it is too long for ``max_bytes`` (code
            ``encoding_too_long``).

    Example:
        >>> base58btc_decode("Cn8eVZg")
        b'hello'
    """
    if not isinstance(text, str):
        raise _error(f"base58btc_decode expects str, got {type(text).__name__}")
    limit = base58_max_chars(max_bytes)
    if len(text) > limit:
        raise InvalidInputError(
            f"the base58btc value has {len(text)} characters; a value of at most {max_bytes} "
            f"bytes has at most {limit}",
            code="encoding_too_long",
            length=len(text),
            limit=limit,
        )
    for position, ch in enumerate(text):
        if ch not in _B58_INDEX:
            raise _error(
                f"invalid base58btc character {ch!r} at position {position}",
                position=position,
            )
    zeros = len(text) - len(text.lstrip("1"))
    body = text[zeros:]
    number = 0
    head = len(body) % _CHUNK
    if head:
        number = _chunk_value(body[:head])
    for start in range(head, len(body), _CHUNK):
        number = number * _CHUNK_BASE + _chunk_value(body[start : start + _CHUNK])
    payload = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    if zeros + len(payload) > max_bytes:
        raise InvalidInputError(
            f"the base58btc value decodes to {zeros + len(payload)} bytes; at most {max_bytes} "
            "are accepted here",
            code="encoding_too_long",
            length=len(text),
            limit=limit,
        )
    return b"\x00" * zeros + payload


def _chunk_value(chunk: str) -> int:
    value = 0
    for ch in chunk:
        value = value * 58 + _B58_INDEX[ch]
    return value


def base64url_encode(data: bytes) -> str:
    """Encode bytes as base64url without padding (RFC 4648 §5, RFC 7515 §2).

    Args:
        data: The bytes to encode.

    Returns:
        The base64url text, no ``=`` padding.

    Raises:
        InvalidInputError: ``data`` is not bytes.

    Example:
        >>> base64url_encode(b"\\xff\\xfe")
        '__4'
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise _error(f"base64url_encode expects bytes, got {type(data).__name__}")
    return base64.urlsafe_b64encode(bytes(data)).rstrip(b"=").decode("ascii")


def base64url_decode(text: str) -> bytes:
    """Decode unpadded base64url strictly.

    Refuses padding, characters outside ``[A-Za-z0-9_-]``, an impossible length and
    non-canonical encodings (unused trailing bits that are not zero), so that a value has
    exactly one accepted spelling.

    Args:
        text: Unpadded base64url text.

    Returns:
        The decoded bytes.

    Raises:
        InvalidInputError: the text is not canonical unpadded base64url.

    Example:
        >>> base64url_decode("__4")
        b'\\xff\\xfe'
    """
    if not isinstance(text, str):
        raise _error(f"base64url_decode expects str, got {type(text).__name__}")
    if _BASE64URL_RE.fullmatch(text) is None:
        bad = next(ch for ch in text if not (ch.isascii() and (ch.isalnum() or ch in "-_")))
        raise _error(f"invalid base64url character {bad!r} (padding '=' is not allowed either)")
    if len(text) % 4 == 1:
        raise _error(f"invalid base64url length {len(text)}")
    try:
        decoded = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:  # pragma: no cover - guarded by the regex
        raise _error(f"invalid base64url: {exc}") from exc
    if base64url_encode(decoded) != text:
        raise _error("non-canonical base64url: the unused trailing bits are not zero")
    return decoded


def multibase_encode(data: bytes, base: Literal["base58btc", "base64url"] = "base58btc") -> str:
    """Encode bytes as multibase text with its one-character prefix.

    Args:
        data: The bytes to encode.
        base: ``"base58btc"`` (prefix ``z``) or ``"base64url"`` (prefix ``u``, no padding).

    Returns:
        The multibase text.

    Raises:
        InvalidInputError: an unsupported base.

    Example:
        >>> multibase_encode(b"hello", "base64url")
        'uaGVsbG8'
    """
    if base == "base58btc":
        return "z" + base58btc_encode(data)
    if base == "base64url":
        return "u" + base64url_encode(data)
    raise _error(f"unsupported multibase encoding {base!r}; use 'base58btc' or 'base64url'")


def multibase_decode(text: str, *, max_bytes: int = MAX_BASE58_BYTES) -> bytes:
    """Decode multibase text: ``z`` (base58btc) or ``u`` (base64url, no padding).

    Args:
        text: The multibase value, prefix included.
        max_bytes: The largest decoded value accepted (checked on the length first).

    Returns:
        The decoded bytes.

    Raises:
        InvalidInputError: empty input, an unsupported prefix, or bad characters (code
            ``invalid_encoding``), or too long for ``max_bytes`` (``encoding_too_long``).

    Example:
        >>> multibase_decode("uaGVsbG8")
        b'hello'
    """
    if not isinstance(text, str) or not text:
        raise _error("multibase value must be a non-empty string")
    prefix, body = text[0], text[1:]
    if prefix == "z":
        return base58btc_decode(body, max_bytes=max_bytes)
    if prefix == "u":
        if len(body) > (max_bytes * 4 + 2) // 3:
            raise InvalidInputError(
                f"the base64url value has {len(body)} characters; a value of at most "
                f"{max_bytes} bytes has fewer",
                code="encoding_too_long",
                length=len(body),
            )
        return base64url_decode(body)
    raise _error(
        f"unsupported multibase prefix {prefix!r}: expected 'z' (base58btc) or 'u' (base64url)",
        prefix=prefix,
    )


def varint_encode(value: int) -> bytes:
    """Encode a non-negative integer as an unsigned LEB128 varint (multiformats).

    Args:
        value: A non-negative integer below 2**63.

    Returns:
        The varint bytes.

    Raises:
        InvalidInputError: a negative or too large value.

    Example:
        >>> varint_encode(0xED).hex()
        'ed01'
    """
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**63:
        raise _error(f"varint value out of range: {value!r}")
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def varint_decode(data: bytes) -> tuple[int, int]:
    """Decode an unsigned varint at the start of ``data``.

    Args:
        data: Bytes starting with a varint.

    Returns:
        ``(value, length)``: the integer and how many bytes it used.

    Raises:
        InvalidInputError: truncated, longer than 9 bytes, or not minimally encoded.

    Example:
        >>> varint_decode(bytes.fromhex("ed01ff"))
        (237, 2)
    """
    value = 0
    for index, byte in enumerate(data[:_MAX_VARINT_BYTES]):
        value |= (byte & 0x7F) << (7 * index)
        if not byte & 0x80:
            if byte == 0 and index > 0:
                raise _error("non-minimal varint encoding")
            return value, index + 1
    raise _error("truncated or over-long varint")


def multicodec_wrap(code: int, data: bytes) -> bytes:
    """Prefix ``data`` with the varint of a multicodec ``code``.

    Args:
        code: The multicodec code (e.g. :data:`ED25519_PUB`).
        data: The raw key bytes.

    Returns:
        ``varint(code) || data``.

    Raises:
        InvalidInputError: an invalid code.

    Example:
        >>> multicodec_wrap(P256_PUB, b"").hex()
        '8024'
    """
    return varint_encode(code) + bytes(data)


def multicodec_unwrap(data: bytes) -> tuple[int, bytes]:
    """Split multicodec-prefixed bytes into ``(code, raw)``.

    Args:
        data: ``varint(code) || raw``.

    Returns:
        The code and the remaining bytes.

    Raises:
        InvalidInputError: the varint is malformed.

    Example:
        >>> multicodec_unwrap(bytes.fromhex("ed01aa"))
        (237, b'\\xaa')
    """
    code, length = varint_decode(bytes(data))
    return code, bytes(data[length:])
