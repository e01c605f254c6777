"""The fast path from JSON-LD to RDF for documents whose contexts mcbadge knows.

Signing and verifying an ``eddsa-rdfc-2022`` credential is dominated by JSON-LD expansion:
pyld re-processes the OB3 type-scoped contexts for every node of every credential, so a
typical microcredential spends about 10 ms in pyld per document (a proof hashes two: the
credential and the proof options) and well under 1 ms in RDFC-1.0 and Ed25519. This module
computes the same RDF dataset directly (the compiled contexts live in
:mod:`mcbadge.jsonld.fastctx`; see ``docs/performance.md`` for the numbers):

* the **active contexts** are still computed by pyld (through the same resolver, loader and
  lock as :mod:`mcbadge.jsonld.strict`, via
  :mod:`mcbadge.jsonld.processor`), but each *transition* — the document's ``@context`` list, a
  type-scoped context, a property-scoped context, reverting a non-propagated context — is
  computed once per loader and remembered, together with what every key means in it;
* the document is then **walked once**, emitting the serialized quads that
  :mod:`mcbadge.canon` canonicalizes, while doing the strict ("safe mode") checks of
  :func:`mcbadge.jsonld.strict.check_strict` in the same walk.

The walk mirrors pyld's expansion and RDF conversion step by step (the order in which contexts
are reverted and applied, how ``@type`` values are looked up, how numbers become literals), so
the result is *byte-identical* canonical N-Quads. Anything outside the supported subset makes
it **decline** (return ``None`` / a :class:`Decline`), and the caller falls back to pyld, which
then produces the result — or the exact error, with every problem listed — itself. Declined:
inline context objects (an ``@context`` of context URLs, also on nested nodes, is handled),
anything but node objects in a ``@graph`` container (the VC ``proof``: each proof becomes its
own named graph), ``@list``/``@set`` objects, ``@reverse``, ``@nest``, ``@included``,
``@index``, language/index/id/type maps, ``@json`` literals, ``@direction``, default languages,
blank-node identifiers in the input, relative IRIs that would be resolved against a base, and
any strict-mode problem (undefined term, relative IRI, unsafe number...). Lists (``@list``
containers, e.g. OB3 ``allowedValue``), value objects and language-tagged value objects are
supported. The differential tests (``tests/conformance/test_fastrdf_differential.py``) hold
the fast path to pyld on every reference example and on thousands of generated credentials.

Example::

    from mcbadge.jsonld import fastrdf
    result = fastrdf.canonicalize(credential)     # CanonicalResult, or None when declined
    if result is None:
        ...                                       # use mcbadge.jsonld + mcbadge.canon
    fastrdf.explain(credential)                   # why it declines (None when it does not)
"""

from __future__ import annotations

import marshal
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast

from mcbadge._internal.compactform import CHECKED_TYPE_NAMES
from mcbadge._internal.nquads import StrQuad, escape_literal
from mcbadge.canon import DEFAULT_MAX_WORK, CanonicalResult, _canonicalize
from mcbadge.jsonld.fastctx import (
    _GRAPH,
    _ID,
    _IRI_DOC,
    _IRI_VOCAB,
    _LANGUAGE,
    _LIST,
    _LITERAL,
    _MISSING,
    _PROP,
    _RDF_FIRST_NQ,
    _RDF_NIL_NQ,
    _RDF_REST_NQ,
    _RDF_TYPE_NQ,
    _REVERT,
    _TYPE,
    _VALUE,
    _bundled_known_names,
    _check_number,
    _checked_iri,
    _context_urls,
    _Ctx,
    _Declined,
    _FastState,
    _language_literal,
    _literal,
    _Prop,
    _state_for,
)
from mcbadge.jsonld.loader import DocumentLoader, default_loader

__all__ = [
    "Decline",
    "canonicalize",
    "explain",
    "is_enabled",
    "known_names",
    "proves_strict",
    "pyld_only",
    "rdf_quads",
]


def known_names(loader: Any = None) -> Mapping[str, frozenset[str]]:
    """The names the offline contexts of ``loader`` give each IRI (the compact-form rule).

    Args:
        loader: A :class:`~mcbadge.loader.DocumentLoader` (default: the offline one); for a
            custom loader function, the bundled contexts' names.

    Returns:
        ``{IRI: frozenset of terms}``.

    Raises:
        Nothing.

    Example:
        >>> sorted(known_names()["https://www.w3.org/2018/credentials#validUntil"])
        ['validUntil']
    """
    if loader is None:
        loader = default_loader()
    if not isinstance(loader, DocumentLoader):
        return _bundled_known_names()
    return _state_for(loader).known_names()


_enabled = True
_subtrees_enabled = True  # tests compare walks with and without remembered subtrees


@dataclass(frozen=True)
class Decline:
    """Why the fast path declined a document.

    Attributes:
        reason: What it met, e.g. ``"unsupported keyword @reverse"``.
        strict: ``True`` when the reason is a strict-mode problem (undefined term, relative
            IRI, unsafe number): pyld then fails too, normally with
            :class:`~mcbadge.errors.StrictJsonLdError` listing every problem.

    Raises:
        Nothing.

    Example:
        >>> Decline("embedded @context", strict=False).reason
        'embedded @context'
    """

    reason: str
    strict: bool = False


def _raw_types_of(type_value: Any) -> list[Any]:
    """The ``@type`` value of a node object as a list (empty when absent)."""
    if type_value is None:
        return []
    return type_value if isinstance(type_value, list) else [type_value]


# --- the walk -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Subtree:
    """What walking one embedded object emitted: its quads, the term for it, and the blank
    nodes it used (``_:b<start>`` … ``_:b<start + used - 1>``)."""

    ctx: _Ctx  # held, so that the id of the context it was walked in is never reused
    start: int
    used: int
    term: str | None
    quads: tuple[StrQuad, ...]
    guarded: frozenset[str]  # its nodes that may not carry the document's own @id


# Embedded objects of the first levels are remembered by content, per loader: the unit part
# of a cohort's credentials (achievement, issuer) is the same in every row, and walking it
# is most of the walk. A replay emits exactly what walking would (same quads, same blank node
# labels); tests/unit/test_fastrdf.py holds the two equal.
_SUBTREE_DEPTH = 2
_SUBTREES_MAX = 64


class _Walk:
    """One document's walk: expansion, strict checks and RDF emission in a single pass."""

    __slots__ = ("bnodes", "depth", "guarded", "quads", "subtrees", "top")

    def __init__(self) -> None:
        self.quads: list[StrQuad] = []
        self.bnodes = 0
        self.top: str | None = None
        self.depth = 0
        self.subtrees: dict[tuple[str, bytes], _Subtree] | None = None
        self.guarded: list[str] = []  # embedded nodes with an @id (see node())

    def bnode(self) -> str:
        self.bnodes += 1
        return "_:b" + str(self.bnodes - 1)

    def document(self, state: _FastState, doc: Any) -> None:
        if not isinstance(doc, Mapping):
            raise _Declined("the document is not a JSON object")
        if _subtrees_enabled:
            self.subtrees = state.subtrees
        if "@context" in doc:
            active = state.document_ctx(doc["@context"])
        else:
            active = state.intern(state.initial_raw)
        subject = self.node(active, None, doc, "", in_graph=False, top=True)
        if subject is not None and subject[0] == '"':
            raise _Declined("a top-level value object")

    def node(
        self,
        term_ctx: _Ctx,
        key: str | None,
        element: Mapping[str, Any],
        graph: str,
        *,
        in_graph: bool,
        top: bool = False,
    ) -> str | None:
        """Expand one JSON object (pyld ``_expand`` + ``_expand_object``), emit its quads and
        return the term that refers to it (a node, or a literal for a value object)."""
        keys = tuple(element)
        if top:
            active = term_ctx
        else:
            embedded = "@context" in element
            mode = _REVERT
            if term_ctx.has_previous and len(keys) <= 2 and not embedded:
                mode = term_ctx.entry_mode(keys)
            active = term_ctx.object_ctx(key, mode)
            if embedded:
                active = active.with_urls(_context_urls(element["@context"]))

        # type-scoped contexts (pyld `_prepare_nested_context`)
        type_key = active.type_key(keys)
        type_value: Any = None
        node_ctx = active
        if type_key is not None:
            type_value = element[type_key]
            if isinstance(type_value, str):
                node_ctx = active.with_types((type_value,))
            elif isinstance(type_value, list) and all(isinstance(t, str) for t in type_value):
                node_ctx = active.with_types(tuple(sorted(type_value)))
            else:
                raise _Declined("@type must be a string or an array of strings")

        layout = node_ctx.layout(keys)
        type_seen = False
        subject: str | None = None
        value: Any = _MISSING
        language: Any = None
        props: list[tuple[str, _Prop, Any]] = []
        for k, kind, prop in layout:
            if kind == _PROP:
                props.append((k, prop, element[k]))
            elif kind == _ID:
                v = element[k]
                if not isinstance(v, str):
                    raise _Declined("@id must be a string")
                subject = _checked_iri(node_ctx.expand_exact(v, vocab=False))
            elif kind == _VALUE:
                value = element[k]
            elif kind == _LANGUAGE:
                v = element[k]
                if v is not None and not isinstance(v, str):
                    raise _Declined("@language must be a string")
                language = v
            elif kind == _TYPE:
                if k != type_key:
                    raise _Declined("the @type key differs between contexts")
                type_seen = True
            # _TYPE values are expanded below; _CONTEXT is skipped (as pyld does)

        types: list[str] = []
        if type_key is not None:
            if not type_seen:
                raise _Declined("the @type key differs between contexts")
            raw_types = [type_value] if isinstance(type_value, str) else type_value
            types = [active.type_iri(t) for t in raw_types]

        if value is _MISSING and ("@id" in element or "@type" in element):
            for raw in ("@id", "@type"):
                if raw in element and node_ctx.named(raw):
                    # the compact form writes the alias (``id``/``type``): keyword_spelling
                    raise _Declined(
                        f"{raw} written as the keyword although it has an alias", strict=True
                    )
        if value is not _MISSING:
            if in_graph or props or subject is not None:
                raise _Declined("a value object with other entries, or in a graph container")
            if isinstance(type_value, list) or (types and language is not None):
                raise _Declined("a value object with an array @type or @type and @language")
            return self.value_object(value, types[0][1:-1] if types else None, language)
        if language is not None:
            raise _Declined("@language in a node object")

        if top:
            self.top = subject
        elif subject is not None and (
            props or any(name in CHECKED_TYPE_NAMES for name in _raw_types_of(type_value))
        ):
            if subject == self.top:
                raise _Declined("an embedded node with the document's own @id", strict=True)
            self.guarded.append(subject)  # a subtree holding it is replayed only for other ids
        s = subject if subject is not None else self.bnode()
        quads = self.quads
        for type_nq in types:
            quads.append((s, _RDF_TYPE_NQ, type_nq, graph))
        for k, prop, v in props:
            if prop.holder == _LIST:
                self.list_values(prop, k, v, s, graph)
            else:
                self.values(prop, k, v, s, graph)
        return s

    def embedded(
        self, term_ctx: _Ctx, key: str, element: Mapping[str, Any], graph: str
    ) -> str | None:
        """:meth:`node` for an object embedded under ``key``, replayed when the same object
        was walked before in the same context (see :class:`_Subtree`)."""
        memo = self.subtrees
        if memo is None or graph or self.depth >= _SUBTREE_DEPTH:
            self.depth += 1
            try:
                return self.node(term_ctx, key, element, graph, in_graph=False)
            finally:
                self.depth -= 1
        try:
            content = marshal.dumps(cast("Any", element), 2)  # exact: equal bytes are equal JSON
        except (ValueError, RecursionError):
            content = None
        memo_key = (key, content) if content is not None else None
        hit = memo.get(memo_key) if memo_key is not None else None
        if hit is not None and hit.ctx is term_ctx and self.top not in hit.guarded:
            return self.replay(hit)
        start_quads, start, start_guarded = len(self.quads), self.bnodes, len(self.guarded)
        self.depth += 1
        try:
            term = self.node(term_ctx, key, element, graph, in_graph=False)
        finally:
            self.depth -= 1
        if memo_key is not None:
            if len(memo) >= _SUBTREES_MAX:
                memo.clear()
            memo[memo_key] = _Subtree(
                term_ctx,
                start,
                self.bnodes - start,
                term,
                tuple(self.quads[start_quads:]),
                frozenset(self.guarded[start_guarded:]),
            )
        return term

    def replay(self, subtree: _Subtree) -> str | None:
        """Emit a remembered subtree, its blank nodes renumbered from the current count."""
        start = self.bnodes
        self.bnodes += subtree.used
        self.guarded.extend(subtree.guarded)
        if start == subtree.start or not subtree.used:
            self.quads.extend(subtree.quads)
            return subtree.term
        labels = {f"_:b{subtree.start + n}": f"_:b{start + n}" for n in range(subtree.used)}
        relabel = labels.get
        self.quads.extend(
            (relabel(s, s), p, relabel(o, o), relabel(g, g)) for s, p, o, g in subtree.quads
        )
        term = subtree.term
        return relabel(term, term) if term is not None else None

    def value_object(self, value: Any, datatype: str | None, language: str | None) -> str | None:
        if value is None:
            return None
        if isinstance(value, bool | int | float):
            value = _check_number(value)
        elif not isinstance(value, str):
            raise _Declined("@value must be a string, number or boolean")
        if language is not None:
            if not isinstance(value, str):
                raise _Declined("only strings may be language-tagged")
            return _language_literal(value, language.lower())
        return _literal(value, datatype)

    def values(self, prop: _Prop, key: str, value: Any, subject: str, graph: str) -> None:
        """Emit the quads of one property's value(s) (plain or graph container)."""
        append = self.quads.append
        predicate = prop.predicate
        plain_strings = prop.string_mode == _LITERAL and prop.datatype is None
        for item in value if isinstance(value, list | tuple) else (value,):
            if item is None:
                continue
            if prop.holder == _GRAPH:
                if isinstance(item, list | tuple):
                    self.values(prop, key, item, subject, graph)  # pyld flattens nested arrays
                    continue
                if not isinstance(item, Mapping):
                    raise _Declined("a non-object value in a graph container")
                if not item:
                    raise _Declined("an empty object in a graph container", strict=True)
                name = self.bnode()
                self.node(prop.term_ctx, key, item, name, in_graph=True)
                append((subject, predicate, name, graph))
                continue
            if plain_strings and type(item) is str:
                append((subject, predicate, '"' + escape_literal(item) + '"', graph))
                continue
            if isinstance(item, list | tuple):
                self.values(prop, key, item, subject, graph)  # pyld flattens nested arrays
                continue
            term = self.item(prop, key, item, graph)
            if term is not None:
                append((subject, predicate, term, graph))

    def list_values(self, prop: _Prop, key: str, value: Any, subject: str, graph: str) -> None:
        """Emit an ``@list`` container's value as an RDF collection (pyld ``_list_to_rdf``)."""
        if value is None:
            return
        quads = self.quads
        objects: list[str] = []
        for item in value if isinstance(value, list | tuple) else [value]:
            if isinstance(item, list | tuple):
                raise _Declined("a list of lists")
            if item is not None:
                term = self.item(prop, key, item, graph)
                if term is not None:
                    objects.append(term)
        if not objects:
            quads.append((subject, prop.predicate, _RDF_NIL_NQ, graph))
            return
        head = self.bnode()
        quads.append((subject, prop.predicate, head, graph))
        last = len(objects) - 1
        for index, term in enumerate(objects):
            rest = self.bnode() if index < last else _RDF_NIL_NQ
            quads.append((head, _RDF_FIRST_NQ, term, graph))
            quads.append((head, _RDF_REST_NQ, rest, graph))
            head = rest

    def item(self, prop: _Prop, key: str, item: Any, graph: str) -> str | None:
        """The object term of one (non-null, non-array) value."""
        if isinstance(item, str):
            mode = prop.string_mode
            if mode == _LITERAL:
                if prop.datatype is None:
                    return '"' + escape_literal(item) + '"'
                return _literal(item, prop.datatype)
            if mode == _IRI_DOC:
                return _checked_iri(prop.term_ctx.expand_exact(item, vocab=False))
            if mode == _IRI_VOCAB:
                return _checked_iri(prop.term_ctx.expand_exact(item, vocab=True))
            raise _Declined(f"strings of {key!r} would be language-tagged")
        if isinstance(item, dict | Mapping):
            probed_keys = {k: prop.term_ctx.probe(k) for k in item if isinstance(k, str)}
            probed = set(probed_keys.values())
            if any(
                p == "@value" and isinstance(item[k], list | Mapping)
                for k, p in probed_keys.items()
            ):
                # JSON-LD 1.1: "invalid value object value"; pyld raises it (mcbadge makes it
                # do so for an empty array too, see mcbadge.jsonld.strict)
                raise _Declined("invalid value object value: @value holds an array or object")
            if "@value" in probed and (
                prop.datatype is not None
                or prop.string_mode != _LITERAL
                or probed <= {"@value", "@index"}
            ):
                raise _Declined(f"a value object where {key!r} takes a plain value", strict=True)
            return self.embedded(prop.term_ctx, key, item, graph)
        if isinstance(item, bool | int | float):
            return _literal(_check_number(item), prop.datatype)
        raise _Declined(f"a {type(item).__name__} is not a JSON value")


# --- public API ---------------------------------------------------------------------------------


def is_enabled() -> bool:
    """Whether the fast path is in use (it is, unless inside :func:`pyld_only`).

    Raises:
        Nothing.

    Example:
        >>> is_enabled()
        True
    """
    return _enabled


@contextmanager
def pyld_only() -> Iterator[None]:
    """Turn the fast path off inside the ``with`` block (process-wide; not thread-safe).

    For benchmarks and differential tests that want the pyld path.

    Raises:
        Nothing.

    Example:
        >>> with pyld_only():
        ...     is_enabled()
        False
    """
    global _enabled
    previous = _enabled
    _enabled = False
    try:
        yield
    finally:
        _enabled = previous


# The last few successful walks, by content: verify() walks the unsecured credential for the
# safe-mode check and again to hash it for the proof. The key is the document's marshal
# (format 2: no back-references, so equal values give equal bytes), which is exact about
# types (a tuple is not a list, 1 is not 1.0 or True) and refuses anything but the built-in
# JSON types; equal keys are equal documents, so a hit is the walk the document would get.
_recent: dict[bytes, tuple[DocumentLoader, tuple[StrQuad, ...], int, str | None]] = {}
_RECENT_MAX = 8


def _forget_remembered() -> None:
    """Forget every remembered walk, subtree and RDFC-1.0 first-degree hash (benchmarks time
    a credential of an unseen unit with it; tests isolate with it)."""
    from mcbadge.canon import rdfc
    from mcbadge.jsonld.fastctx import _states

    _recent.clear()
    for state in list(_states.values()):
        state.subtrees.clear()
    rdfc._FIRST_DEGREE.clear()


def _content_key(document: Any) -> bytes | None:
    try:
        return marshal.dumps(document, 2)
    except (ValueError, RecursionError):  # not plain JSON data, or too deep
        return None


def _walk(document: Any, loader: DocumentLoader | None, *, remember: bool = True) -> _Walk:
    if loader is None:
        loader = default_loader()
    elif not isinstance(loader, DocumentLoader):
        raise _Declined("a custom loader function (only DocumentLoader caches contexts)")
    key = _content_key(document) if remember else None
    hit = _recent.get(key) if key is not None else None
    walk = _Walk()
    if hit is not None and hit[0] is loader:
        walk.quads, walk.bnodes, walk.top = list(hit[1]), hit[2], hit[3]
        return walk
    try:
        walk.document(_state_for(loader), document)
    except _Declined:
        raise
    except RecursionError as exc:
        raise _Declined("the document is nested too deeply") from exc
    except Exception as exc:  # noqa: BLE001 - never fail where pyld would not: fall back
        raise _Declined(f"internal error: {type(exc).__name__}: {exc}") from exc
    if key is not None:
        if len(_recent) >= _RECENT_MAX:
            _recent.clear()
        _recent[key] = (loader, tuple(walk.quads), walk.bnodes, walk.top)
    return walk


def rdf_quads(document: Any, *, loader: DocumentLoader | None = None) -> list[StrQuad] | Decline:
    """The RDF dataset of ``document`` as serialized quads, or why the fast path declines.

    The quads are ``(subject, predicate, object, graph)`` in canonical N-Quads term syntax
    (``"<iri>"``, ``"_:b0"``, ``'"text"'``; the default graph is ``""``), the form
    :mod:`mcbadge.canon` canonicalizes. Blank node labels are arbitrary (canonicalization
    relabels them).

    Args:
        document: The JSON-LD document (not modified).
        loader: The document loader (default: the offline bundled-contexts loader).

    Returns:
        The quads, or a :class:`Decline` when the document is outside the fast path (use
        :func:`mcbadge.jsonld.strict.to_rdf_dataset` then; it also reports strict-mode problems).

    Raises:
        Nothing: every failure is a decline.

    Example:
        >>> doc = {"@context": "https://www.w3.org/ns/credentials/v2",
        ...        "id": "urn:x", "name": "Jan"}
        >>> rdf_quads(doc)
        [('<urn:x>', '<https://schema.org/name>', '"Jan"', '')]
        >>> rdf_quads({"@context": "https://www.w3.org/ns/credentials/v2", "colour": "blue"})
        Decline(reason="undefined term 'colour'", strict=True)
    """
    try:
        return _walk(document, loader).quads
    except _Declined as declined:
        return Decline(declined.reason, declined.strict)


def explain(document: Any, *, loader: DocumentLoader | None = None) -> Decline | None:
    """Why the fast path declines ``document``, or ``None`` when it handles it.

    Args:
        document: The JSON-LD document (not modified).
        loader: The document loader (default: the offline bundled-contexts loader).

    Returns:
        The :class:`Decline`, or ``None``.

    Raises:
        Nothing.

    Example:
        >>> explain({"@context": {"name": "https://schema.org/name"}, "name": "x"})
        Decline(reason='an inline @context object (only context URLs are handled)', strict=False)
    """
    result = rdf_quads(document, loader=loader)
    return result if isinstance(result, Decline) else None


def canonicalize(
    document: Any,
    *,
    loader: DocumentLoader | None = None,
    max_work: int | None = DEFAULT_MAX_WORK,
    remember: bool = True,
) -> CanonicalResult | None:
    """RDFC-1.0 canonical form of ``document`` by the fast path, or ``None`` when it declines.

    The result is byte-identical to ``canonicalize_pyld_dataset(to_rdf_dataset(document))``
    (``issued`` is keyed by this module's blank node labels, not pyld's). A document with a
    strict-mode problem is declined: pyld then raises the error that lists every problem.

    Args:
        document: The JSON-LD document (not modified).
        loader: The document loader (default: the offline bundled-contexts loader).
        max_work: The RDFC-1.0 work budget (see :func:`mcbadge.canon.rdfc10`).
        remember: Keep the walk for the next call with an equal document (``verify()``
            walks a credential twice); signing walks each document once and passes ``False``.

    Returns:
        The canonical result, or ``None`` (disabled by :func:`pyld_only`, or declined).

    Raises:
        CanonicalizationLimitError: The dataset exceeds the RDFC-1.0 work budget.

    Example:
        >>> doc = {"@context": "https://www.w3.org/ns/credentials/v2", "name": "Jan"}
        >>> canonicalize(doc).nquads
        '_:c14n0 <https://schema.org/name> "Jan" .\\n'
    """
    if not _enabled:
        return None
    try:
        quads = _walk(document, loader, remember=remember).quads
    except _Declined:
        return None
    return _canonicalize(quads, "sha256", max_work)


def proves_strict(document: Any, *, loader: DocumentLoader | None = None) -> bool:
    """``True`` when the fast path shows ``document`` is strict JSON-LD that pyld accepts.

    ``False`` means "not shown" (declined or a problem found): ask
    :func:`mcbadge.jsonld.strict.strict_problems`, which lists the problems, if any.

    Args:
        document: The JSON-LD document (not modified).
        loader: The document loader (default: the offline bundled-contexts loader).

    Returns:
        Whether the document is shown to be strict.

    Raises:
        Nothing.

    Example:
        >>> proves_strict({"@context": "https://www.w3.org/ns/credentials/v2", "name": "x"})
        True
        >>> proves_strict({"@context": "https://www.w3.org/ns/credentials/v2", "nam": "x"})
        False
    """
    if not _enabled:
        return False
    try:
        _walk(document, loader)
    except _Declined:
        return False
    return True
