"""Baked SVG (Open Badges 3.0 §5.3.2): ``<openbadges:credential>`` as the root's first child.

:func:`bake_svg` declares the ``openbadges`` namespace on the root ``<svg>`` and inserts the
element, with ``verify="…"`` for a VC-JWT or the JSON in a CDATA section for an embedded proof;
:func:`unbake_svg` takes it out. The SVG is scanned with expat: the standard SVG 1.0/1.1
``<!DOCTYPE svg PUBLIC …>`` is accepted, but no DTD is loaded and no entity expanded (an
internal subset, an entity declaration or reference is refused: no XXE, no "billion laughs").

May import: :mod:`mcbadge.bake.common`, :mod:`mcbadge.errors`, :mod:`mcbadge._internal`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from xml.parsers import expat

from mcbadge.bake.common import (
    _JWS,
    DEFAULT_MAX_CREDENTIAL_BYTES,
    DEFAULT_MAX_IMAGE_BYTES,
    _check_credential_size,
    _check_image_size,
    _credential_text,
    _fail,
    _parse_credential_text,
)

if TYPE_CHECKING:
    from mcbadge.model import Credential


OB3_SVG_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
"""The XML namespace of ``<openbadges:credential>`` in a baked SVG."""


_LEGACY_SVG_NAMESPACE = "http://openbadges.org"


_SVG_NAMESPACE = "http://www.w3.org/2000/svg"


_NS_SEP = " "


# A start tag from its "<": the name, then attributes (quoted values may hold ">"), then ">".
_START_TAG = re.compile(rb"<([^\s/>]+)(?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*\s*(/?)>")


_XML_DECL_ENCODING = re.compile(
    rb"\A<\?xml[^>]*?\bencoding\s*=\s*[\"']([A-Za-z][A-Za-z0-9._-]*)[\"']"
)


_UTF8_NAMES = frozenset({"utf-8", "utf8"})


_ASCII_NAMES = frozenset({"us-ascii", "ascii"})


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
