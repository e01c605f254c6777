"""Baked PNG (Open Badges 3.0 §5.3.1): one ``iTXt`` chunk ``openbadgecredential``.

:func:`bake_png` writes the chunk straight after ``IHDR`` (uncompressed, empty language tag
and translated keyword); :func:`unbake_png` reads the PNG strictly — the signature, every
chunk's length and CRC, exactly one credential chunk — and tells an Open Badges 2.0
``openbadges`` chunk apart from an OB3 one.

May import: :mod:`mcbadge.bake.common`, :mod:`mcbadge.errors`, :mod:`mcbadge._internal`.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mcbadge.bake.common import (
    DEFAULT_MAX_CREDENTIAL_BYTES,
    DEFAULT_MAX_IMAGE_BYTES,
    _check_image_size,
    _credential_text,
    _fail,
    _parse_credential_text,
)

if TYPE_CHECKING:
    from mcbadge.model import Credential


PNG_KEYWORD = "openbadgecredential"
"""The ``iTXt`` keyword OB3 uses for a baked credential."""


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


_MAX_CHUNK_LENGTH = 2**31 - 1


_LEGACY_PNG_KEYWORD = "openbadges"  # Open Badges 1.x / 2.0


@dataclass(frozen=True)
class _Chunk:
    type: bytes
    data: bytes
    start: int  # offset of the length field
    end: int  # offset just after the CRC


def _png_chunks(image: bytes) -> list[_Chunk]:
    """Split a PNG into chunks, checking the signature, the layout and every CRC."""
    if not image.startswith(_PNG_SIGNATURE):
        raise _fail("png_signature_invalid", "this is not a PNG: the 8-byte signature is wrong")
    chunks: list[_Chunk] = []
    pos = len(_PNG_SIGNATURE)
    total = len(image)
    while pos < total:
        if total - pos < 12:
            raise _fail("png_truncated", f"the PNG ends inside a chunk header at byte {pos}")
        (length,) = struct.unpack(">I", image[pos : pos + 4])
        ctype = image[pos + 4 : pos + 8]
        if length > _MAX_CHUNK_LENGTH:
            raise _fail("png_malformed", f"a chunk at byte {pos} declares a length over 2^31-1")
        if not all(65 <= b <= 90 or 97 <= b <= 122 for b in ctype):
            raise _fail("png_malformed", f"the chunk at byte {pos} has an invalid type {ctype!r}")
        end = pos + 12 + length
        if end > total:
            raise _fail(
                "png_truncated",
                f"the {ctype.decode('ascii')} chunk at byte {pos} runs past the end of the file",
            )
        data = image[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", image[end - 4 : end])
        if zlib.crc32(ctype + data) != crc:
            raise _fail(
                "png_crc_mismatch",
                f"the {ctype.decode('ascii')} chunk at byte {pos} fails its CRC check: the "
                "file is corrupt",
                chunk=ctype.decode("ascii"),
                offset=pos,
            )
        chunks.append(_Chunk(ctype, data, pos, end))
        pos = end
        if ctype == b"IEND":
            break
    if not chunks or chunks[0].type != b"IHDR" or len(chunks[0].data) != 13:
        raise _fail("png_malformed", "the PNG does not start with a valid IHDR chunk")
    if chunks[-1].type != b"IEND":
        raise _fail("png_truncated", "the PNG has no IEND chunk")
    if pos != total:
        raise _fail(
            "png_malformed",
            f"the PNG has {total - pos} bytes after its IEND chunk",
            trailing=total - pos,
        )
    return chunks


def _itxt_keyword(chunk: _Chunk) -> bytes | None:
    if chunk.type != b"iTXt":
        return None
    keyword, sep, _ = chunk.data.partition(b"\x00")
    return keyword if sep else None


def _keyword_text_chunks(chunks: list[_Chunk]) -> list[_Chunk]:
    """Every text chunk (``iTXt``, ``tEXt``, ``zTXt``) whose keyword is the OB3 one."""
    keyword = PNG_KEYWORD.encode("latin-1")
    return [
        c
        for c in chunks
        if c.type in (b"iTXt", b"tEXt", b"zTXt") and c.data.partition(b"\x00")[0] == keyword
    ]


def _itxt_text(chunk: _Chunk, *, max_bytes: int) -> str:
    """The text of an ``iTXt`` chunk (decompressed with a bound when it is compressed)."""
    data = chunk.data
    try:
        _, rest = data.split(b"\x00", 1)
        compression_flag, compression_method = rest[0], rest[1]
        _language, rest = rest[2:].split(b"\x00", 1)
        _translated, raw = rest.split(b"\x00", 1)
    except (ValueError, IndexError) as exc:
        raise _fail("png_malformed", "the openbadgecredential iTXt chunk is malformed") from exc
    if compression_flag == 1:
        # OB3 says compression MUST NOT be used; read it anyway, within the size limit.
        if compression_method != 0:
            raise _fail(
                "png_malformed",
                f"the openbadgecredential iTXt chunk uses unknown compression method "
                f"{compression_method}",
            )
        inflater = zlib.decompressobj()
        try:
            raw = inflater.decompress(raw, max_bytes + 1)
        except zlib.error as exc:
            raise _fail(
                "png_malformed", "the compressed openbadgecredential text cannot be inflated"
            ) from exc
    elif compression_flag != 0:
        raise _fail(
            "png_malformed",
            f"the openbadgecredential iTXt chunk has compression flag {compression_flag}",
        )
    if len(raw) > max_bytes:
        raise _fail(
            "credential_too_large",
            f"the baked credential is over the limit of {max_bytes} bytes",
            limit=max_bytes,
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _fail(
            "credential_malformed", "the baked credential's text is not valid UTF-8"
        ) from exc


def _make_itxt(text: str) -> bytes:
    body = PNG_KEYWORD.encode("latin-1") + b"\x00" + b"\x00\x00" + b"\x00" + b"\x00"
    body += text.encode("utf-8")
    if len(body) > _MAX_CHUNK_LENGTH:  # pragma: no cover - far above the credential limit
        raise _fail("credential_too_large", "the credential does not fit in one PNG chunk")
    return (
        struct.pack(">I", len(body))
        + b"iTXt"
        + body
        + struct.pack(">I", zlib.crc32(b"iTXt" + body))
    )


def _png_bytes(image: Any) -> bytes:
    if isinstance(image, bytes | bytearray | memoryview):
        return bytes(image)
    raise _fail("image_format_unknown", f"a PNG is given as bytes, not {type(image).__name__}")


def bake_png(
    image: bytes,
    credential: Mapping[str, Any] | str | Credential,
    *,
    replace: bool = False,
    max_image_bytes: int = DEFAULT_MAX_IMAGE_BYTES,
    max_credential_bytes: int = DEFAULT_MAX_CREDENTIAL_BYTES,
) -> bytes:
    """Bake a credential into a PNG (OB3 §5.3.1).

    Adds one uncompressed ``iTXt`` chunk with keyword ``openbadgecredential`` straight after
    ``IHDR``; every other chunk is kept byte for byte.

    Args:
        image: The PNG file's bytes. They are checked first (signature, layout, CRCs).
        credential: A credential with an embedded proof (a dict or an mcbadge model, written
            as JSON) or a VC-JWT (the compact JWS string, written as is).
        replace: When the image already carries a credential (in any text chunk with the
            ``openbadgecredential`` keyword), replace it instead of refusing.
        max_image_bytes: Refuse larger images.
        max_credential_bytes: Refuse larger credentials.

    Returns:
        The baked PNG's bytes.

    Raises:
        BakingError: the PNG is invalid (``png_signature_invalid``, ``png_truncated``,
            ``png_crc_mismatch``, ``png_malformed``), too large (``image_too_large``,
            ``credential_too_large``), already baked (``already_baked``), or the credential is
            neither JSON-serialisable nor a compact JWS (``credential_not_bakeable``).

    Example:
        >>> baked = bake_png(png_bytes, signed_credential)  # doctest: +SKIP
        >>> unbake_png(baked)["id"]  # doctest: +SKIP
        'urn:uuid:…'
    """
    data = _png_bytes(image)
    _check_image_size(len(data), max_image_bytes)
    chunks = _png_chunks(data)
    existing = {c.start for c in _keyword_text_chunks(chunks)}
    if existing and not replace:
        raise _fail(
            "already_baked",
            "the PNG already carries a baked credential (an openbadgecredential text chunk); "
            "OB3 allows only one. Pass replace=True to replace it.",
        )
    text, _ = _credential_text(credential, indent=None, max_bytes=max_credential_bytes)
    new_chunk = _make_itxt(text)
    out = bytearray(_PNG_SIGNATURE)
    for chunk in chunks:
        if chunk.start in existing:
            continue
        out += data[chunk.start : chunk.end]
        if chunk.type == b"IHDR":
            out += new_chunk
    return bytes(out)


def unbake_png(
    image: bytes,
    *,
    max_image_bytes: int = DEFAULT_MAX_IMAGE_BYTES,
    max_credential_bytes: int = DEFAULT_MAX_CREDENTIAL_BYTES,
) -> dict[str, Any] | str:
    """Extract the credential baked into a PNG (OB3 §5.3.1).

    The whole file is checked (signature, chunk layout, every CRC) before the credential is
    read, so a corrupted download is reported rather than half-read. The credential is *not*
    verified here: pass it to :func:`mcbadge.verify` (or check its proofs) next.

    Args:
        image: The PNG file's bytes.
        max_image_bytes: Refuse larger images.
        max_credential_bytes: Refuse larger credentials.

    Returns:
        The credential: a dict (JSON, embedded proof) or a string (compact JWS, VC-JWT).

    Raises:
        BakingError: the PNG is invalid (``png_signature_invalid``, ``png_truncated``,
            ``png_crc_mismatch``, ``png_malformed``), too large (``image_too_large``,
            ``credential_too_large``), carries no credential (``not_baked``; ``ob2_badge``
            when it carries an Open Badges 2.0 assertion instead), carries more than one
            (``multiple_credentials``: two iTXt chunks, or the keyword in a ``tEXt``/``zTXt``
            chunk as well), carries it only in a ``tEXt``/``zTXt`` chunk
            (``credential_chunk_invalid``), or the text is neither JSON nor a compact JWS
            (``credential_malformed``).

    Example:
        >>> credential = unbake_png(open("badge.png", "rb").read())  # doctest: +SKIP
    """
    data = _png_bytes(image)
    _check_image_size(len(data), max_image_bytes)
    chunks = _png_chunks(data)
    keyword = PNG_KEYWORD.encode("latin-1")
    found = [c for c in chunks if _itxt_keyword(c) == keyword]
    # A tEXt or zTXt chunk with the same keyword is a second credential for a reader that
    # looks at those chunk types (OB3 names iTXt, but a PNG library may hand out any text
    # chunk by keyword): two readers must never see two different credentials.
    others = [c for c in _keyword_text_chunks(chunks) if c.type != b"iTXt"]
    if others:
        kinds = ", ".join(sorted({c.type.decode("ascii") for c in others}))
        raise _fail(
            "multiple_credentials" if found or len(others) > 1 else "credential_chunk_invalid",
            f"the PNG has the openbadgecredential keyword in a {kinds} chunk"
            + (" as well as in an iTXt chunk" if found else "")
            + "; OB3 bakes exactly one credential, in one iTXt chunk",
            count=len(found) + len(others),
        )
    if not found:
        legacy = any(
            c.type in (b"iTXt", b"tEXt")
            and c.data.split(b"\x00", 1)[0] == _LEGACY_PNG_KEYWORD.encode("latin-1")
            for c in chunks
        )
        if legacy:
            raise _fail(
                "ob2_badge",
                "the PNG carries an Open Badges 1.x/2.0 assertion (keyword 'openbadges'), "
                "not an Open Badges 3.0 credential",
            )
        raise _fail("not_baked", "the PNG carries no openbadgecredential iTXt chunk")
    if len(found) > 1:
        raise _fail(
            "multiple_credentials",
            f"the PNG has {len(found)} openbadgecredential iTXt chunks; OB3 allows only one",
            count=len(found),
        )
    text = _itxt_text(found[0], max_bytes=max_credential_bytes)
    return _parse_credential_text(text, where="PNG")
