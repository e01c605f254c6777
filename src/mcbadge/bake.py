"""Baking: carry an Open Badges 3.0 credential inside a PNG or SVG image, and take it out again.

This follows *Open Badges 3.0* §5.3 "Baked Badge":

* **PNG** — one ``iTXt`` chunk with the keyword ``openbadgecredential``, compression flag 0,
  empty language tag and translated keyword. Its text is the credential's JSON (a credential
  with an embedded proof, e.g. Data Integrity) or the compact JWS (a VC-JWT). mcbadge writes
  the chunk straight after ``IHDR`` so that readers that stop at the first match find it
  early; PNG allows an ``iTXt`` chunk anywhere between ``IHDR`` and ``IEND``.
* **SVG** — the root ``<svg>`` declares ``xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"``
  and its first child is ``<openbadges:credential>``: with a ``verify="…"`` attribute holding
  the compact JWS for a VC-JWT, or with the credential's JSON in a ``<![CDATA[…]]>`` body for
  an embedded proof.

The spec allows exactly one credential per image and leaves it to the implementation whether
baking an already baked image is an error or replaces the credential: mcbadge refuses
(``already_baked``) unless the caller passes ``replace=True``.

Reading is strict: a PNG must have a valid signature, well-formed chunks and correct CRCs;
an SVG is parsed with expat; the standard SVG 1.0/1.1 ``<!DOCTYPE svg PUBLIC …>`` is accepted,
but no DTD is ever loaded and no entity expanded: an internal DTD subset, an entity declaration
or an entity reference is refused (no XXE, no "billion laughs"). Input sizes are bounded.
Every failure is a :class:`~mcbadge.errors.BakingError` with a stable ``code``.

Example:
    >>> from mcbadge.bake import bake, unbake
    >>> baked = bake(png_bytes, signed_credential)  # doctest: +SKIP
    >>> unbake(baked) == signed_credential  # doctest: +SKIP
    True
"""

from __future__ import annotations

import json
import re
import struct
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, overload
from xml.parsers import expat

from mcbadge._internal.jsontext import JsonTextError, check_text, loads_strict
from mcbadge.errors import BakingError

if TYPE_CHECKING:
    from mcbadge.model import Credential

__all__ = [
    "DEFAULT_MAX_CREDENTIAL_BYTES",
    "DEFAULT_MAX_IMAGE_BYTES",
    "OB3_SVG_NAMESPACE",
    "PNG_KEYWORD",
    "ImageFormat",
    "bake",
    "bake_png",
    "bake_svg",
    "detect_format",
    "unbake",
    "unbake_png",
    "unbake_svg",
]

PNG_KEYWORD = "openbadgecredential"
"""The ``iTXt`` keyword OB3 uses for a baked credential."""

OB3_SVG_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
"""The XML namespace of ``<openbadges:credential>`` in a baked SVG."""

DEFAULT_MAX_IMAGE_BYTES = 32 * 1024 * 1024
"""Largest image (PNG bytes or SVG text, UTF-8) that is baked or read: 32 MiB."""

DEFAULT_MAX_CREDENTIAL_BYTES = 8 * 1024 * 1024
"""Largest credential (UTF-8 JSON or JWS) that is baked or extracted: 8 MiB."""

ImageFormat = Literal["png", "svg"]

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_MAX_CHUNK_LENGTH = 2**31 - 1
_LEGACY_PNG_KEYWORD = "openbadges"  # Open Badges 1.x / 2.0
_LEGACY_SVG_NAMESPACE = "http://openbadges.org"
_SVG_NAMESPACE = "http://www.w3.org/2000/svg"
_NS_SEP = " "
_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")
# A start tag from its "<": the name, then attributes (quoted values may hold ">"), then ">".
_START_TAG = re.compile(rb"<([^\s/>]+)(?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*\s*(/?)>")
_XML_DECL_ENCODING = re.compile(
    rb"\A<\?xml[^>]*?\bencoding\s*=\s*[\"']([A-Za-z][A-Za-z0-9._-]*)[\"']"
)
_UTF8_NAMES = frozenset({"utf-8", "utf8"})
_ASCII_NAMES = frozenset({"us-ascii", "ascii"})
# Characters a JSON text may hold only inside strings that are unsafe in UTF-8 or XML 1.0:
# lone surrogates (not encodable), U+FFFE and U+FFFF (not XML characters), C1 controls
# (allowed but invisible and easily mangled). JSON escapes keep the same value.
_UNSAFE_JSON_CHARS = re.compile("[\ud800-\udfff\ufffe\uffff\x7f-\x9f]")


def _fail(code: str, message: str, **details: Any) -> BakingError:
    return BakingError(message, code=code, **details)


# --------------------------------------------------------------------------------------------
# The credential <-> text


def _credential_text(
    credential: Any, *, indent: int | None, max_bytes: int, ascii_only: bool = False
) -> tuple[str, bool]:
    """Serialise ``credential``; returns ``(text, is_jwt)``."""
    if isinstance(credential, str):
        token = credential.strip()
        if not _JWS.fullmatch(token):
            raise _fail(
                "credential_not_bakeable",
                "a credential given as a string must be a compact JWS (a VC-JWT: three "
                "base64url parts separated by dots); pass a credential with an embedded "
                "proof as a dict",
            )
        text, is_jwt = token, True
    else:
        document = _as_mapping(credential)
        try:
            text = json.dumps(
                document,
                ensure_ascii=ascii_only,
                allow_nan=False,
                indent=indent,
                separators=(",", ":") if indent is None else (",", ": "),
            )
        except (TypeError, ValueError) as exc:
            raise _fail(
                "credential_not_bakeable",
                f"the credential cannot be written as JSON: {exc}",
            ) from exc
        try:
            check_text(text)
        except JsonTextError as exc:
            raise _fail(
                "credential_not_bakeable",
                f"the credential cannot be baked: {exc.reason}, which is not Unicode text "
                "(no reader could read it back)",
            ) from exc
        text = _UNSAFE_JSON_CHARS.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
        is_jwt = False
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        raise _fail(
            "credential_too_large",
            f"the credential is {size} bytes; the limit is {max_bytes}",
            size=size,
            limit=max_bytes,
        )
    return text, is_jwt


def _as_mapping(credential: Any) -> Mapping[str, Any]:
    to_json_dict = getattr(credential, "to_json_dict", None)
    if callable(to_json_dict):
        out = to_json_dict()
        if isinstance(out, Mapping):
            return out
    if isinstance(credential, Mapping):
        return credential
    raise _fail(
        "credential_not_bakeable",
        f"a credential to bake is a dict (embedded proof), an mcbadge model or a compact JWS "
        f"string, not {type(credential).__name__}",
    )


def _parse_credential_text(text: str, *, where: str) -> dict[str, Any] | str:
    """Turn extracted text into a credential: a dict (JSON) or a compact JWS."""
    stripped = text.strip()
    if _JWS.fullmatch(stripped):
        return stripped
    if not stripped.startswith("{"):
        raise _fail(
            "credential_malformed",
            f"the credential in the {where} is neither a JSON object nor a compact JWS",
        )
    try:
        value = loads_strict(stripped)
    except JsonTextError as exc:
        extra = {"member": exc.member} if exc.member is not None else {}
        raise _fail(
            "credential_malformed",
            f"the credential in the {where} is not valid JSON: {exc.reason}",
            **extra,
        ) from exc
    if not isinstance(value, dict):  # pragma: no cover - "{" always parses to an object
        raise _fail("credential_malformed", f"the credential in the {where} is not an object")
    return value


def _check_image_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise _fail(
            "image_too_large",
            f"the image is {size} bytes; the limit is {max_bytes}",
            size=size,
            limit=max_bytes,
        )


# --------------------------------------------------------------------------------------------
# PNG


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


# --------------------------------------------------------------------------------------------
# SVG


@dataclass
class _CredentialElement:
    start: int
    end_tag_index: int = -1
    verify: str | None = None
    text: list[str] = field(default_factory=list)
    has_children: bool = False


@dataclass
class _SvgScan:
    root_start: int = -1
    root_name: str = ""
    root_prefix_uri: str | None = None  # what "openbadges" is bound to on the root
    credentials: list[_CredentialElement] = field(default_factory=list)
    legacy_assertion: bool = False


def _svg_bytes(svg: Any) -> bytes:
    if isinstance(svg, str):
        try:
            data = svg.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise _fail(
                "svg_malformed", "the SVG text holds a lone surrogate, which is not XML"
            ) from exc
    elif isinstance(svg, bytes | bytearray | memoryview):
        data = bytes(svg)
    else:
        raise _fail(
            "image_format_unknown", f"an SVG is given as str or bytes, not {type(svg).__name__}"
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _fail("svg_encoding_unsupported", "the SVG is UTF-16; mcbadge bakes UTF-8 SVG only")
    match = _XML_DECL_ENCODING.match(data)
    if match and match.group(1).decode("ascii").lower() not in _UTF8_NAMES | _ASCII_NAMES:
        raise _fail(
            "svg_encoding_unsupported",
            f"the SVG declares encoding {match.group(1).decode('ascii')!r}; mcbadge bakes UTF-8 "
            "SVG only (re-save it as UTF-8)",
        )
    return data


def _scan_svg(data: bytes) -> _SvgScan:
    """Parse the SVG with expat (no DTD allowed) and note where things are."""
    scan = _SvgScan()
    parser = expat.ParserCreate(namespace_separator=_NS_SEP)
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    depth = 0
    pending_prefixes: dict[str, str] = {}
    stack: list[_CredentialElement | None] = []

    def refuse_dtd(*_: Any) -> None:
        raise _fail(
            "svg_dtd_forbidden",
            "the SVG declares entities or an internal DTD subset (<!DOCTYPE svg [ … ]>); "
            "mcbadge expands no entity in SVG (XXE, billion laughs). Remove the subset.",
        )

    def on_doctype(
        name: str, system_id: str | None, public_id: str | None, has_internal_subset: int
    ) -> None:
        # The standard <!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "…svg11.dtd"> is
        # accepted: the external DTD is never loaded (parameter entities off, no external
        # entity handler), and an internal subset, which could declare entities, is refused.
        if has_internal_subset:
            refuse_dtd()
        if name.rpartition(":")[2] != "svg":
            raise _fail(
                "svg_dtd_forbidden",
                f"the SVG's document type declaration names {name!r}, not svg",
            )

    def refuse_entity(name: str, *_: Any) -> None:
        raise _fail(
            "svg_entity_forbidden",
            f"the SVG refers to the entity &{name}; which mcbadge does not expand (entities "
            "come from a DTD, which is never loaded)",
        )

    def refuse_external(*_: Any) -> int:
        raise _fail("svg_dtd_forbidden", "the SVG refers to an external entity; refused")

    def on_namespace(prefix: str | None, uri: str) -> None:
        pending_prefixes[prefix or ""] = uri

    def on_start(name: str, attrs: dict[str, str]) -> None:
        nonlocal depth
        uri, _, local = name.rpartition(_NS_SEP)
        if depth == 0:
            scan.root_start = parser.CurrentByteIndex
            scan.root_name = name
            scan.root_prefix_uri = pending_prefixes.get("openbadges")
        pending_prefixes.clear()
        depth += 1
        parent = stack[-1] if stack else None
        if parent is not None:
            parent.has_children = True
        if uri == OB3_SVG_NAMESPACE and local == "credential":
            element = _CredentialElement(start=parser.CurrentByteIndex)
            element.verify = attrs.get("verify")
            scan.credentials.append(element)
            stack.append(element)
            return
        if uri == _LEGACY_SVG_NAMESPACE and local == "assertion":
            scan.legacy_assertion = True
        stack.append(None)

    def on_end(_name: str) -> None:
        nonlocal depth
        depth -= 1
        element = stack.pop()
        if element is not None:
            element.end_tag_index = parser.CurrentByteIndex

    def on_text(text: str) -> None:
        if stack and stack[-1] is not None:
            stack[-1].text.append(text)

    parser.StartDoctypeDeclHandler = on_doctype
    parser.EntityDeclHandler = refuse_dtd
    parser.UnparsedEntityDeclHandler = refuse_dtd
    parser.NotationDeclHandler = refuse_dtd
    parser.SkippedEntityHandler = refuse_entity
    parser.ExternalEntityRefHandler = refuse_external
    parser.StartNamespaceDeclHandler = on_namespace
    parser.StartElementHandler = on_start
    parser.EndElementHandler = on_end
    parser.CharacterDataHandler = on_text
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise _fail(
            "svg_malformed",
            f"the SVG is not well-formed XML: {expat.ErrorString(exc.code)} "
            f"(line {exc.lineno}, column {exc.offset})",
            line=exc.lineno,
            column=exc.offset,
        ) from exc
    except RecursionError as exc:  # pragma: no cover - expat is not recursive
        raise _fail("svg_malformed", "the SVG is nested too deeply") from exc
    uri, _, local = scan.root_name.rpartition(_NS_SEP)
    if local != "svg" or uri not in ("", _SVG_NAMESPACE):
        raise _fail(
            "svg_not_svg",
            f"the document's root element is {local!r}"
            + (f" in namespace {uri!r}" if uri else "")
            + ", not an SVG <svg> element",
        )
    return scan


def _element_end(data: bytes, element: _CredentialElement) -> int:
    """Offset just after ``</openbadges:credential>`` (or the empty-element tag)."""
    match = _START_TAG.match(data, element.start)
    if match is None:  # pragma: no cover - expat has accepted the tag
        raise _fail("svg_malformed", "cannot locate the <openbadges:credential> element")
    if match.group(2) == b"/":
        return match.end()
    close = data.index(b">", element.end_tag_index)
    return close + 1


def _cdata(text: str) -> str:
    # "]]>" can only occur inside a JSON string; its ">" escaped as \u003e keeps the value.
    return "<![CDATA[\n" + text.replace("]]>", "]]\\u003e") + "\n]]>"


def bake_svg(
    svg: str | bytes,
    credential: Mapping[str, Any] | str | Credential,
    *,
    replace: bool = False,
    max_image_bytes: int = DEFAULT_MAX_IMAGE_BYTES,
    max_credential_bytes: int = DEFAULT_MAX_CREDENTIAL_BYTES,
) -> str:
    """Bake a credential into an SVG (OB3 §5.3.2).

    Declares ``xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"`` on the root ``<svg>``
    and inserts ``<openbadges:credential>`` as its first child: with a ``verify`` attribute
    holding the compact JWS for a VC-JWT, or with the credential's JSON in a CDATA section
    for an embedded proof. The rest of the document (XML declaration, comments, formatting,
    namespace prefixes) is kept as it is: the element is spliced into the text, not written
    by re-serialising a parsed tree. A ``]]>`` inside the JSON is written as ``]]\\u003e``
    (the same JSON value), so it cannot end the CDATA section.

    Args:
        svg: The SVG document (``str``, or UTF-8 ``bytes``). Document type declarations are
            refused.
        credential: A credential with an embedded proof (a dict or an mcbadge model) or a
            VC-JWT (the compact JWS string).
        replace: When the SVG already carries a credential, replace it instead of refusing.
        max_image_bytes: Refuse larger documents (counted in UTF-8 bytes).
        max_credential_bytes: Refuse larger credentials.

    Returns:
        The baked SVG as text.

    Raises:
        BakingError: the SVG is not well-formed (``svg_malformed``), has a DTD
            (``svg_dtd_forbidden``), is not UTF-8 (``svg_encoding_unsupported``), its root is
            not ``<svg>`` (``svg_not_svg``), its root binds the prefix ``openbadges`` to
            another namespace (``svg_namespace_conflict``), it is already baked
            (``already_baked``), something is too large (``image_too_large``,
            ``credential_too_large``), or the credential cannot be baked
            (``credential_not_bakeable``).

    Example:
        >>> baked = bake_svg('<svg xmlns="http://www.w3.org/2000/svg"/>', token)  # doctest: +SKIP
        >>> unbake_svg(baked) == token  # doctest: +SKIP
        True
    """
    data = _svg_bytes(svg)
    _check_image_size(len(data), max_image_bytes)
    scan = _scan_svg(data)
    if scan.credentials and not replace:
        raise _fail(
            "already_baked",
            "the SVG already carries a baked credential (<openbadges:credential>); OB3 allows "
            "only one. Pass replace=True to replace it.",
        )
    if scan.root_prefix_uri not in (None, OB3_SVG_NAMESPACE):
        raise _fail(
            "svg_namespace_conflict",
            f"the root <svg> binds the prefix 'openbadges' to {scan.root_prefix_uri!r}; OB3 "
            f"needs it bound to {OB3_SVG_NAMESPACE!r}"
            + (" (this looks like an Open Badges 2.0 baked SVG)" if scan.legacy_assertion else ""),
        )
    declared = _XML_DECL_ENCODING.match(data)
    ascii_only = declared is not None and declared.group(1).decode("ascii").lower() in _ASCII_NAMES
    text, is_jwt = _credential_text(
        credential, indent=2, max_bytes=max_credential_bytes, ascii_only=ascii_only
    )
    if is_jwt:
        element = f'<openbadges:credential verify="{text}"></openbadges:credential>'
    else:
        element = f"<openbadges:credential>{_cdata(text)}</openbadges:credential>"
    element_bytes = element.encode("utf-8")

    out = data
    # Remove old credential elements, last first, so earlier offsets stay valid.
    for old in sorted(scan.credentials, key=lambda e: e.start, reverse=True):
        out = out[: old.start] + out[_element_end(data, old) :]
    root = _START_TAG.match(out, scan.root_start)
    if root is None:  # pragma: no cover - expat has accepted the tag
        raise _fail("svg_malformed", "cannot locate the root <svg> start tag")
    self_closing = root.group(2) == b"/"
    tag_close = root.end() - (2 if self_closing else 1)
    declaration = b""
    if scan.root_prefix_uri is None:
        declaration = f' xmlns:openbadges="{OB3_SVG_NAMESPACE}"'.encode("ascii")
    closing = b"</" + root.group(1) + b">" if self_closing else b""
    out = out[:tag_close] + declaration + b">" + element_bytes + closing + out[root.end() :]
    return out.decode("utf-8")


def unbake_svg(
    svg: str | bytes,
    *,
    max_image_bytes: int = DEFAULT_MAX_IMAGE_BYTES,
    max_credential_bytes: int = DEFAULT_MAX_CREDENTIAL_BYTES,
) -> dict[str, Any] | str:
    """Extract the credential baked into an SVG (OB3 §5.3.2).

    Reads the ``<openbadges:credential>`` element (namespace
    ``https://purl.imsglobal.org/ob/v3p0``, whatever its prefix): the ``verify`` attribute is
    a VC-JWT; otherwise the element's text (CDATA) is the credential's JSON. The credential is
    *not* verified here.

    Args:
        svg: The SVG document (``str``, or UTF-8 ``bytes``).
        max_image_bytes: Refuse larger documents.
        max_credential_bytes: Refuse larger credentials.

    Returns:
        The credential: a dict (JSON, embedded proof) or a string (compact JWS, VC-JWT).

    Raises:
        BakingError: the SVG is invalid (``svg_malformed``, ``svg_dtd_forbidden``,
            ``svg_encoding_unsupported``, ``svg_not_svg``), too large (``image_too_large``,
            ``credential_too_large``), carries no credential (``not_baked``; ``ob2_badge``
            for an Open Badges 2.0 assertion), more than one (``multiple_credentials``), or a
            credential that is neither JSON nor a compact JWS, or both at once
            (``credential_malformed``).

    Example:
        >>> text = open("certificate.svg", encoding="utf-8").read()  # doctest: +SKIP
        >>> credential = unbake_svg(text)  # doctest: +SKIP
    """
    data = _svg_bytes(svg)
    _check_image_size(len(data), max_image_bytes)
    scan = _scan_svg(data)
    if not scan.credentials:
        if scan.legacy_assertion:
            raise _fail(
                "ob2_badge",
                "the SVG carries an Open Badges 2.0 <openbadges:assertion>, not an Open "
                "Badges 3.0 credential",
            )
        raise _fail("not_baked", "the SVG carries no <openbadges:credential> element")
    if len(scan.credentials) > 1:
        raise _fail(
            "multiple_credentials",
            f"the SVG has {len(scan.credentials)} <openbadges:credential> elements; OB3 "
            "allows only one",
            count=len(scan.credentials),
        )
    element = scan.credentials[0]
    if element.has_children:
        raise _fail(
            "credential_malformed",
            "the <openbadges:credential> element has child elements; it holds only text",
        )
    body = "".join(element.text)
    if element.verify is not None:
        if body.strip():
            raise _fail(
                "credential_malformed",
                "the <openbadges:credential> element has both a verify attribute (VC-JWT) and "
                "a body (JSON); it must have one of them",
            )
        token = element.verify.strip()
        if not _JWS.fullmatch(token):
            raise _fail(
                "credential_malformed",
                "the verify attribute of <openbadges:credential> is not a compact JWS",
            )
        _check_credential_size(token, max_credential_bytes)
        return token
    if not body.strip():
        raise _fail("credential_malformed", "the <openbadges:credential> element is empty")
    _check_credential_size(body, max_credential_bytes)
    return _parse_credential_text(body, where="SVG")


def _check_credential_size(text: str, max_bytes: int) -> None:
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > max_bytes:
        raise _fail(
            "credential_too_large",
            f"the baked credential is {size} bytes; the limit is {max_bytes}",
            size=size,
            limit=max_bytes,
        )


# --------------------------------------------------------------------------------------------
# Either format


def detect_format(image: bytes | str) -> ImageFormat:
    """Tell a PNG from an SVG by its first bytes.

    Args:
        image: The image's bytes (or, for SVG, its text).

    Returns:
        ``"png"`` or ``"svg"``.

    Raises:
        BakingError: neither (``image_format_unknown``).

    Example:
        >>> detect_format(b"\\x89PNG\\r\\n\\x1a\\n...")
        'png'
        >>> detect_format('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>')
        'svg'
    """
    if isinstance(image, bytes | bytearray | memoryview):
        head = bytes(image[:512])
        if head.startswith(_PNG_SIGNATURE):
            return "png"
        if head.startswith(b"\xef\xbb\xbf"):
            head = head[3:]
        if head.lstrip().startswith(b"<"):
            return "svg"
    elif isinstance(image, str):
        if image.lstrip("\ufeff \t\r\n").startswith("<"):
            return "svg"
    raise _fail(
        "image_format_unknown",
        "the image is neither a PNG nor an SVG; OB3 baking supports only these two",
    )


@overload
def bake(
    image: bytes,
    credential: Mapping[str, Any] | str | Credential,
    *,
    replace: bool = False,
    max_image_bytes: int = DEFAULT_MAX_IMAGE_BYTES,
    max_credential_bytes: int = DEFAULT_MAX_CREDENTIAL_BYTES,
) -> bytes: ...


@overload
def bake(
    image: str,
    credential: Mapping[str, Any] | str | Credential,
    *,
    replace: bool = False,
    max_image_bytes: int = DEFAULT_MAX_IMAGE_BYTES,
    max_credential_bytes: int = DEFAULT_MAX_CREDENTIAL_BYTES,
) -> str: ...


def bake(
    image: bytes | str,
    credential: Mapping[str, Any] | str | Credential,
    *,
    replace: bool = False,
    max_image_bytes: int = DEFAULT_MAX_IMAGE_BYTES,
    max_credential_bytes: int = DEFAULT_MAX_CREDENTIAL_BYTES,
) -> bytes | str:
    """Bake a credential into a PNG or SVG, whichever ``image`` is.

    Args:
        image: PNG bytes, SVG bytes (UTF-8) or SVG text.
        credential: A credential with an embedded proof (dict or mcbadge model) or a VC-JWT
            (compact JWS string).
        replace: Replace a credential the image already carries instead of refusing.
        max_image_bytes: Refuse larger images.
        max_credential_bytes: Refuse larger credentials.

    Returns:
        The baked image in the type it came in: ``bytes`` for bytes (an SVG is returned
        UTF-8 encoded), ``str`` for SVG text.

    Raises:
        BakingError: see :func:`bake_png` and :func:`bake_svg`; ``image_format_unknown`` when
            the image is neither.

    Example:
        >>> baked_png = bake(open("badge.png", "rb").read(), signed)  # doctest: +SKIP
        >>> baked_svg = bake(svg_text, token)  # doctest: +SKIP
    """
    if detect_format(image) == "png":
        return bake_png(
            _png_bytes(image),
            credential,
            replace=replace,
            max_image_bytes=max_image_bytes,
            max_credential_bytes=max_credential_bytes,
        )
    baked = bake_svg(
        image,
        credential,
        replace=replace,
        max_image_bytes=max_image_bytes,
        max_credential_bytes=max_credential_bytes,
    )
    return baked if isinstance(image, str) else baked.encode("utf-8")


def unbake(
    image: bytes | str,
    *,
    max_image_bytes: int = DEFAULT_MAX_IMAGE_BYTES,
    max_credential_bytes: int = DEFAULT_MAX_CREDENTIAL_BYTES,
) -> dict[str, Any] | str:
    """Extract the credential baked into a PNG or SVG, whichever ``image`` is.

    Args:
        image: PNG bytes, SVG bytes (UTF-8) or SVG text.
        max_image_bytes: Refuse larger images.
        max_credential_bytes: Refuse larger credentials.

    Returns:
        A dict (JSON credential with an embedded proof) or a str (VC-JWT compact JWS). Verify
        it before trusting it.

    Raises:
        BakingError: see :func:`unbake_png` and :func:`unbake_svg`; ``image_format_unknown``
            when the image is neither.

    Example:
        >>> credential = unbake(open("badge.png", "rb").read())  # doctest: +SKIP
    """
    if detect_format(image) == "png":
        return unbake_png(
            _png_bytes(image),
            max_image_bytes=max_image_bytes,
            max_credential_bytes=max_credential_bytes,
        )
    return unbake_svg(
        image, max_image_bytes=max_image_bytes, max_credential_bytes=max_credential_bytes
    )
