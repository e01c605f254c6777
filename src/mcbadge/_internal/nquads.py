"""RDF terms, an N-Quads parser and the canonical N-Quads serializer of RDFC-1.0.

The term classes are small frozen, slotted value objects; equality includes the class, so
``IRI("x") != BlankNode("x")``. The canonicalizer itself works on *serialized* terms (plain
strings such as ``"<https://a>"``, ``"_:b0"`` or ``'"x"@en'``): that keeps the hot path free of
object churn. :func:`term_to_nquads` and :func:`quad_to_strings` convert between the two.

Canonical N-Quads (as RDFC-1.0 defines it, checked against the W3C test ``test060``):

* IRIs are written natively between ``<`` and ``>`` (never with ``\\u`` escapes); an IRI
  holding a character no IRI may contain (controls, space, ``<>"{}|^`\\``) is refused rather
  than written ambiguously;
* in literals ``"`` ``\\`` LF CR BS HT FF are written ``\\" \\\\ \\n \\r \\b \\t \\f``, every other
  character in U+0000..U+001F and U+007F as ``\\u00XX`` (upper-case hex), everything else raw;
* ``xsd:string`` literals carry no datatype, language-tagged literals are written ``@lang``;
* every statement ends in `` .\\n`` and the terms are separated by one space.

Example:
    >>> quads = parse_nquads('<urn:s> <urn:p> "a\\\\u0008b"@en .\\n')
    >>> quads[0].object
    Literal(value='a\\x08b', datatype='http://www.w3.org/1999/02/22-rdf-syntax-ns#langString', \
language='en')
    >>> serialize_nquads(quads)
    '<urn:s> <urn:p> "a\\\\bb"@en .\\n'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple, TypeAlias

from mcbadge.errors import CanonicalizationError, NQuadsSyntaxError

__all__ = [
    "RDF_LANGSTRING",
    "XSD_STRING",
    "IRI",
    "BlankNode",
    "Literal",
    "Quad",
    "StrQuad",
    "Term",
    "bnode_to_nquads",
    "escape_literal",
    "iri_to_nquads",
    "literal_to_nquads",
    "parse_nquads",
    "parse_nquads_strings",
    "quad_from_strings",
    "quad_to_strings",
    "serialize_nquads",
    "statement",
    "term_from_nquads",
    "term_to_nquads",
]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


# --------------------------------------------------------------------------------------------
# Terms
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IRI:
    """An absolute IRI.

    Attributes:
        value: The IRI, without angle brackets and with no escapes.

    Example:
        >>> IRI("https://example.org/a").to_nquads()
        '<https://example.org/a>'
    """

    value: str

    def to_nquads(self) -> str:
        """Return the canonical N-Quads form ``<value>``.

        Raises:
            CanonicalizationError: The IRI contains a character an IRI cannot hold natively
                (a control character, space or one of ``<>"{}|^`\\``).
        """
        return iri_to_nquads(self.value)


@dataclass(frozen=True, slots=True)
class BlankNode:
    """A blank node, named by its label.

    Attributes:
        id: The blank node label *without* the ``_:`` prefix (``"b0"``).

    Example:
        >>> BlankNode("b0").to_nquads()
        '_:b0'
    """

    id: str

    def to_nquads(self) -> str:
        """Return the N-Quads form ``_:id``.

        Raises:
            CanonicalizationError: The label is not a valid N-Quads blank node label.
        """
        return bnode_to_nquads(self.id)


@dataclass(frozen=True, slots=True)
class Literal:
    """An RDF literal.

    A language-tagged literal has the datatype ``rdf:langString``; giving ``language`` with the
    default datatype selects it automatically.

    Attributes:
        value: The lexical form (unescaped).
        datatype: The datatype IRI (``xsd:string`` by default).
        language: The language tag, or ``None``.

    Raises:
        CanonicalizationError: ``language`` is given with a datatype other than
            ``rdf:langString`` (or the default).

    Example:
        >>> Literal("hoi", language="nl").to_nquads()
        '"hoi"@nl'
        >>> Literal("5", "http://www.w3.org/2001/XMLSchema#integer").to_nquads()
        '"5"^^<http://www.w3.org/2001/XMLSchema#integer>'
    """

    value: str
    datatype: str = XSD_STRING
    language: str | None = None

    def __post_init__(self) -> None:
        if self.language is not None and self.datatype != RDF_LANGSTRING:
            if self.datatype != XSD_STRING:
                raise CanonicalizationError(
                    f"a literal with a language tag has the datatype rdf:langString, "
                    f"not {self.datatype!r}",
                    code="canonicalization_bad_term",
                )
            object.__setattr__(self, "datatype", RDF_LANGSTRING)

    def to_nquads(self) -> str:
        """Return the canonical N-Quads form of the literal.

        Raises:
            CanonicalizationError: The datatype IRI or the language tag cannot be written.
        """
        return literal_to_nquads(self.value, self.datatype, self.language)


Term: TypeAlias = IRI | BlankNode | Literal


class Quad(NamedTuple):
    """One RDF quad; ``graph`` is ``None`` for the default graph.

    Example:
        >>> q = Quad(BlankNode("b0"), IRI("urn:p"), Literal("x"))
        >>> statement(*quad_to_strings(q))
        '_:b0 <urn:p> "x" .\\n'
    """

    subject: IRI | BlankNode
    predicate: IRI
    object: Term
    graph: IRI | BlankNode | None = None


StrQuad: TypeAlias = tuple[str, str, str, str]
"""A quad of serialized terms ``(s, p, o, g)``; ``g`` is ``""`` for the default graph."""


# --------------------------------------------------------------------------------------------
# Serialization
# --------------------------------------------------------------------------------------------

_LITERAL_NEEDS_ESCAPE = re.compile('[\x00-\x1f"\\\\\x7f]')
_LITERAL_ESCAPES: dict[int, str] = {i: f"\\u{i:04X}" for i in (*range(0x20), 0x7F)}
_LITERAL_ESCAPES.update(
    {
        ord('"'): '\\"',
        ord("\\"): "\\\\",
        ord("\n"): "\\n",
        ord("\r"): "\\r",
        ord("\b"): "\\b",
        ord("\t"): "\\t",
        ord("\f"): "\\f",
    }
)

# Characters IRIREF cannot hold natively. Canonical N-Quads writes IRIs without escapes, so an
# IRI containing one of these would produce ambiguous or unparseable output: it is refused.
_IRI_BAD_CHAR = re.compile('[\x00-\x20<>"{}|^`\\\\]')
# White space to JavaScript (``\s``) beyond ASCII: jsonld.js holds an IRI with one for invalid
# (safe mode refuses it, otherwise the statement is dropped), so none is written.
_IRI_JS_SPACE = re.compile("[\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]")
_LANGTAG = re.compile(r"[a-zA-Z]+(?:-[a-zA-Z0-9]+)*\Z")

_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_:"
_PN_CHARS = _PN_CHARS_U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_BNODE_LABEL = f"[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_BNODE_LABEL_RE = re.compile(_BNODE_LABEL + r"\Z")


def escape_literal(value: str) -> str:
    """Escape a literal's lexical form for canonical N-Quads (without the quotes).

    Args:
        value: The unescaped lexical form.

    Returns:
        The escaped text.

    Raises:
        Nothing: every string can be escaped.

    Example:
        >>> escape_literal('a"b\\x7f\\n')
        'a\\\\"b\\\\u007F\\\\n'
    """
    if _LITERAL_NEEDS_ESCAPE.search(value) is None:
        return value
    return value.translate(_LITERAL_ESCAPES)


def iri_to_nquads(value: str) -> str:
    """Serialize an IRI as ``<value>``.

    Args:
        value: The IRI.

    Returns:
        The N-Quads term.

    Raises:
        CanonicalizationError: The IRI is empty or contains a control character, a space or one
            of ``<>"{}|^`\\`` (none of which an IRI may contain), or a character JavaScript
            counts as white space (U+00A0, U+FEFF...), which jsonld.js refuses in IRIs.

    Example:
        >>> iri_to_nquads("urn:x")
        '<urn:x>'
    """
    bad = _IRI_BAD_CHAR.search(value) or _IRI_JS_SPACE.search(value)
    if bad is not None or not value:
        where = f"character U+{ord(bad.group()):04X}" if bad is not None else "no characters"
        raise CanonicalizationError(
            f"IRI {value!r} cannot be written in canonical N-Quads: it contains {where}",
            code="canonicalization_bad_iri",
            iri=value,
        )
    return "<" + value + ">"


def bnode_to_nquads(label: str) -> str:
    """Serialize a blank node label (without ``_:``) as ``_:label``.

    Args:
        label: The label.

    Returns:
        The N-Quads term.

    Raises:
        CanonicalizationError: The label is not a valid N-Quads blank node label.

    Example:
        >>> bnode_to_nquads("c14n0")
        '_:c14n0'
    """
    if _BNODE_LABEL_RE.match(label) is None:
        raise CanonicalizationError(
            f"blank node label {label!r} is not a valid N-Quads label",
            code="canonicalization_bad_bnode",
            label=label,
        )
    return "_:" + label


def literal_to_nquads(value: str, datatype: str, language: str | None) -> str:
    """Serialize a literal in canonical N-Quads form.

    Args:
        value: The lexical form.
        datatype: The datatype IRI (ignored when ``language`` is set).
        language: The language tag or ``None``.

    Returns:
        The N-Quads term.

    Raises:
        CanonicalizationError: The language tag is malformed or the datatype IRI cannot be
            written.

    Example:
        >>> literal_to_nquads("x", "urn:dt", None)
        '"x"^^<urn:dt>'
    """
    text = '"' + escape_literal(value) + '"'
    if language is not None:
        if _LANGTAG.match(language) is None:
            raise CanonicalizationError(
                f"language tag {language!r} is not a valid BCP 47 tag",
                code="canonicalization_bad_language",
                language=language,
            )
        return text + "@" + language
    if datatype == XSD_STRING:
        return text
    return text + "^^" + iri_to_nquads(datatype)


def term_to_nquads(term: Term) -> str:
    """Serialize any term in canonical N-Quads form.

    Args:
        term: An :class:`IRI`, :class:`BlankNode` or :class:`Literal`.

    Returns:
        The N-Quads term.

    Raises:
        CanonicalizationError: The term cannot be written (bad IRI, label or language tag), or
            it is not a term at all.

    Example:
        >>> term_to_nquads(BlankNode("x"))
        '_:x'
    """
    if isinstance(term, IRI | BlankNode | Literal):
        return term.to_nquads()
    raise CanonicalizationError(
        f"expected an RDF term (IRI, BlankNode or Literal), got {type(term).__name__}",
        code="canonicalization_bad_term",
    )


def quad_to_strings(quad: Quad) -> StrQuad:
    """Serialize the four components of a quad (``""`` for the default graph).

    Args:
        quad: The quad.

    Returns:
        ``(s, p, o, g)`` as canonical N-Quads terms.

    Raises:
        CanonicalizationError: A component cannot be written or sits in a position RDF does not
            allow (a literal subject, a non-IRI predicate, a literal graph name).

    Example:
        >>> quad_to_strings(Quad(IRI("urn:s"), IRI("urn:p"), Literal("o")))
        ('<urn:s>', '<urn:p>', '"o"', '')
    """
    try:
        subject, predicate, obj, graph = quad
    except (TypeError, ValueError) as exc:
        raise CanonicalizationError(
            f"expected a Quad, got {type(quad).__name__}", code="canonicalization_bad_term"
        ) from exc
    if not isinstance(subject, IRI | BlankNode):
        raise CanonicalizationError(
            f"a quad subject must be an IRI or blank node, got {subject!r}",
            code="canonicalization_bad_term",
        )
    if not isinstance(predicate, IRI):
        raise CanonicalizationError(
            f"a quad predicate must be an IRI, got {predicate!r}",
            code="canonicalization_bad_term",
        )
    if graph is not None and not isinstance(graph, IRI | BlankNode):
        raise CanonicalizationError(
            f"a graph name must be an IRI, a blank node or None, got {graph!r}",
            code="canonicalization_bad_term",
        )
    return (
        subject.to_nquads(),
        predicate.to_nquads(),
        term_to_nquads(obj),
        "" if graph is None else graph.to_nquads(),
    )


def statement(s: str, p: str, o: str, g: str) -> str:
    """Join serialized terms into one canonical N-Quads statement (ending in a newline).

    Example:
        >>> statement("<urn:s>", "<urn:p>", "<urn:o>", "")
        '<urn:s> <urn:p> <urn:o> .\\n'
    """
    if g:
        return f"{s} {p} {o} {g} .\n"
    return f"{s} {p} {o} .\n"


def serialize_nquads(quads: Iterable[Quad]) -> str:
    """Serialize quads as canonical N-Quads, in the given order, one statement per line.

    This does not sort or relabel anything; use :func:`mcbadge.canon.rdfc10_quads` for the
    canonical form of a dataset.

    Args:
        quads: The quads.

    Returns:
        The N-Quads document (every line ends in ``"\\n"``).

    Raises:
        CanonicalizationError: A quad cannot be written.

    Example:
        >>> serialize_nquads([Quad(IRI("urn:s"), IRI("urn:p"), Literal("a\\tb"))])
        '<urn:s> <urn:p> "a\\\\tb" .\\n'
    """
    return "".join([statement(*quad_to_strings(q)) for q in quads])


# --------------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------------

_HEX4 = "[0-9A-Fa-f]{4}"
_HEX8 = "[0-9A-Fa-f]{8}"
_UCHAR = rf"\\u{_HEX4}|\\U{_HEX8}"
_IRI_CHAR = r"[^\x00-\x20<>\"{}|^`\\]"
_IRIREF = rf"<{_IRI_CHAR}*(?:(?:{_UCHAR}){_IRI_CHAR}*)*>"  # unrolled: fast on plain IRIs
_BNODE = "_:" + _BNODE_LABEL
_STR_CHAR = r"[^\"\\\n\r]"
_STRING = rf"\"{_STR_CHAR}*(?:(?:\\[tbnrf\"'\\]|{_UCHAR}){_STR_CHAR}*)*\""
_LANG = r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*"
_WS = "[ \t]*"

_STATEMENT = re.compile(
    rf"""{_WS}(?:
      (?P<s>{_IRIREF}|{_BNODE}){_WS}
      (?P<p>{_IRIREF}){_WS}
      (?:(?P<o>{_IRIREF}|{_BNODE})
         |(?P<lit>{_STRING})(?:{_WS}(?P<lang>{_LANG})|{_WS}\^\^{_WS}(?P<dt>{_IRIREF}))?){_WS}
      (?:(?P<g>{_IRIREF}|{_BNODE}){_WS})?
      \.{_WS}
    )?(?:\#[^\n\r]*)?""",
    re.VERBOSE,
)
_EOL = re.compile("\r\n|\r|\n")
_ESCAPE = re.compile(rf"\\(?:u({_HEX4})|U({_HEX8})|([tbnrf\"'\\]))")
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}

# Diagnostics: used only to explain a line that failed to parse.
_DIAG_SUBJECT = re.compile(rf"{_IRIREF}|{_BNODE}")
_DIAG_IRI = re.compile(_IRIREF)
_DIAG_OBJECT = re.compile(rf"{_IRIREF}|{_BNODE}|{_STRING}(?:{_WS}(?:{_LANG}|\^\^{_WS}{_IRIREF}))?")
_DIAG_WS = re.compile(_WS)

_XSD_STRING_TOKEN = "<" + XSD_STRING + ">"


def _unescape_match(m: re.Match[str]) -> str:
    hex_digits = m.group(1) or m.group(2)
    if hex_digits is None:
        return _ECHARS[m.group(3)]
    code = int(hex_digits, 16)
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise ValueError(f"escape {m.group()} is not a Unicode scalar value")
    return chr(code)


def _unescape(text: str, line_no: int) -> str:
    if "\\" not in text:
        return text
    try:
        return _ESCAPE.sub(_unescape_match, text)
    except ValueError as exc:
        raise NQuadsSyntaxError(f"line {line_no}: {exc}", line=line_no) from exc


def _canonical_iri(token: str, line_no: int) -> str:
    """Return the canonical form of an IRIREF token (escapes decoded, checked)."""
    if "\\" not in token:
        return token  # the grammar already excluded every character that needs checking
    value = _unescape(token[1:-1], line_no)
    bad = _IRI_BAD_CHAR.search(value)
    if bad is not None or not value:
        what = f"the character U+{ord(bad.group()):04X}" if bad is not None else "nothing"
        raise NQuadsSyntaxError(
            f"line {line_no}: IRI {token} decodes to {what}, which an IRI cannot contain",
            line=line_no,
        )
    return "<" + value + ">"


def _diagnose(line: str, line_no: int) -> NQuadsSyntaxError:
    """Explain why ``line`` is not an N-Quads statement (column and expected token)."""
    pos = _skip_ws(line, 0)
    steps: list[tuple[str, re.Pattern[str]]] = [
        ("a subject (IRI or blank node)", _DIAG_SUBJECT),
        ("a predicate (IRI)", _DIAG_IRI),
        ("an object (IRI, blank node or literal)", _DIAG_OBJECT),
    ]
    for expected, pattern in steps:
        m = pattern.match(line, pos)
        if m is None:
            return _syntax_error(line, line_no, pos, f"expected {expected}")
        pos = _skip_ws(line, m.end())
    m = _DIAG_SUBJECT.match(line, pos)
    if m is not None:
        pos = _skip_ws(line, m.end())
        return _syntax_error(line, line_no, pos, "expected '.' to end the statement")
    return _syntax_error(line, line_no, pos, "expected a graph name or '.' to end the statement")


def _skip_ws(line: str, pos: int) -> int:
    while pos < len(line) and line[pos] in " \t":
        pos += 1
    return pos


def _syntax_error(line: str, line_no: int, pos: int, message: str) -> NQuadsSyntaxError:
    snippet = line[pos : pos + 30]
    found = repr(snippet) if snippet else "end of line"
    return NQuadsSyntaxError(
        f"line {line_no}, column {pos + 1}: {message}, found {found}",
        line=line_no,
        column=pos + 1,
    )


def parse_nquads_strings(text: str) -> list[StrQuad]:
    """Parse an N-Quads document straight into canonical serialized terms.

    This is the parser behind :func:`parse_nquads`; the canonicalizer uses it directly.

    Args:
        text: The document.

    Returns:
        ``(s, p, o, g)`` tuples of canonical N-Quads terms (``g == ""`` for the default
        graph), in document order.

    Raises:
        NQuadsSyntaxError: A line is not a valid statement.

    Example:
        >>> parse_nquads_strings('<urn:\\\\u0061> <urn:p> "\\\\u0041"^^<%s> .' % XSD_STRING)
        [('<urn:a>', '<urn:p>', '"A"', '')]
    """
    if not isinstance(text, str):
        raise NQuadsSyntaxError(f"N-Quads input must be a str, got {type(text).__name__}", line=0)
    out: list[StrQuad] = []
    append = out.append
    match = _STATEMENT.fullmatch
    needs_escape = _LITERAL_NEEDS_ESCAPE.search
    lines = text.split("\n") if "\r" not in text else _EOL.split(text)
    for line_no, line in enumerate(lines, start=1):
        m = match(line)
        if m is None:
            raise _diagnose(line, line_no)
        s, p, o, lit, g = m.group("s", "p", "o", "lit", "g")
        if p is None:
            continue  # blank line or comment
        if s[0] == "<":
            s = _canonical_iri(s, line_no)
        p = _canonical_iri(p, line_no)
        if o is not None:
            if o[0] == "<":
                o = _canonical_iri(o, line_no)
        else:
            body = lit[1:-1]
            if "\\" in body or needs_escape(body) is not None:
                body = escape_literal(_unescape(body, line_no))
            lang, dt = m.group("lang", "dt")
            if lang is not None:
                o = '"' + body + '"' + lang
            elif dt is not None and dt != _XSD_STRING_TOKEN:
                dt = _canonical_iri(dt, line_no)
                o = '"' + body + '"' if dt == _XSD_STRING_TOKEN else '"' + body + '"^^' + dt
            else:
                o = '"' + body + '"'
        if g is None:
            g = ""
        elif g[0] == "<":
            g = _canonical_iri(g, line_no)
        append((s, p, o, g))
    return out


_LITERAL_TERM = re.compile(r'"(.*)"(?:@(.+)|\^\^<(.+)>)?', re.DOTALL)
_UNESCAPE_CANONICAL = re.compile(r"\\(?:u([0-9A-F]{4})|([tbnrf\"\\]))")


def _canonical_unescape(m: re.Match[str]) -> str:
    if m.group(1) is not None:
        return chr(int(m.group(1), 16))
    return _ECHARS[m.group(2)]


def term_from_nquads(text: str) -> Term:
    """Rebuild a term from its canonical N-Quads form (as :func:`term_to_nquads` writes it).

    Args:
        text: The term, e.g. ``'<urn:x>'``, ``'_:b0'`` or ``'"v"@en'``.

    Returns:
        The term.

    Raises:
        NQuadsSyntaxError: ``text`` is not a canonical N-Quads term.

    Example:
        >>> term_from_nquads('"5"^^<urn:int>')
        Literal(value='5', datatype='urn:int', language=None)
    """
    if text[:1] == "<" and text[-1:] == ">":
        return IRI(text[1:-1])
    if text[:2] == "_:":
        return BlankNode(text[2:])
    m = _LITERAL_TERM.fullmatch(text)
    if m is None:
        raise NQuadsSyntaxError(f"not a canonical N-Quads term: {text!r}", line=0)
    body, lang, dt = m.groups()
    if "\\" in body:
        body = _UNESCAPE_CANONICAL.sub(_canonical_unescape, body)
    if lang is not None:
        return Literal(body, RDF_LANGSTRING, lang)
    return Literal(body, dt or XSD_STRING)


def quad_from_strings(quad: StrQuad) -> Quad:
    """Rebuild a :class:`Quad` from canonical terms (the inverse of :func:`quad_to_strings`).

    Args:
        quad: ``(s, p, o, g)`` with ``g == ""`` for the default graph.

    Returns:
        The quad.

    Raises:
        NQuadsSyntaxError: A component is not a canonical N-Quads term.

    Example:
        >>> quad_from_strings(("_:c14n0", "<urn:p>", '"x"@en', ""))
        Quad(subject=BlankNode(id='c14n0'), predicate=IRI(value='urn:p'), \
object=Literal(value='x', datatype='http://www.w3.org/1999/02/22-rdf-syntax-ns#langString', \
language='en'), graph=None)
    """
    s, p, o, g = quad
    subject = term_from_nquads(s)
    predicate = term_from_nquads(p)
    graph = term_from_nquads(g) if g else None
    if isinstance(subject, Literal) or not isinstance(predicate, IRI):
        raise NQuadsSyntaxError(f"not a valid quad: {quad!r}", line=0)
    if isinstance(graph, Literal):
        raise NQuadsSyntaxError(f"not a valid quad: {quad!r}", line=0)
    return Quad(subject, predicate, term_from_nquads(o), graph)


def parse_nquads(text: str) -> list[Quad]:
    """Parse an N-Quads document.

    Supports the full N-Quads 1.1 grammar: IRIs with ``\\u``/``\\U`` escapes, blank nodes,
    literals with ``ECHAR``/``UCHAR`` escapes, language tags and datatypes, named graphs,
    comments, blank lines and ``\\r\\n`` line ends. Duplicate statements are kept
    (canonicalization removes them). Escapes that decode to a surrogate, and IRIs that decode
    to characters no IRI may contain (space, ``<``, ``>``...), are refused.

    Args:
        text: The document.

    Returns:
        The quads in document order.

    Raises:
        NQuadsSyntaxError: A line is not a valid statement; ``details["line"]`` is its 1-based
            number and the message names the column and what was expected.

    Example:
        >>> parse_nquads('_:a <urn:p> "x"^^<urn:dt> <urn:g> . # comment\\n')
        [Quad(subject=BlankNode(id='a'), predicate=IRI(value='urn:p'), \
object=Literal(value='x', datatype='urn:dt', language=None), graph=IRI(value='urn:g'))]
    """
    cache: dict[str, Term] = {}
    out: list[Quad] = []
    for quad in parse_nquads_strings(text):
        terms = []
        for part in quad:
            term = cache.get(part)
            if term is None and part:
                term = cache[part] = term_from_nquads(part)
            terms.append(term)
        s, p, o, g = terms
        out.append(Quad(s, p, o, g))  # type: ignore[arg-type]  # positions checked by parser
    return out
