"""The fast path from JSON-LD to RDF for documents whose contexts mcbadge knows.

Signing and verifying an ``eddsa-rdfc-2022`` credential is dominated by JSON-LD expansion:
pyld re-processes the OB3 type-scoped contexts for every node of every credential, so a
typical microcredential spends about 10 ms in pyld per document (a proof hashes two: the
credential and the proof options) and well under 1 ms in RDFC-1.0 and Ed25519. This module
computes the same RDF dataset directly (see ``docs/performance.md`` for the numbers):

* the **active contexts** are still computed by pyld (through the same resolver, loader and
  lock as :mod:`mcbadge.jsonld`), but each *transition* — the document's ``@context`` list, a
  type-scoped context, a property-scoped context, reverting a non-propagated context — is
  computed once per loader and remembered, together with what every key means in it;
* the document is then **walked once**, emitting the serialized quads that
  :mod:`mcbadge.canon` canonicalizes, while doing the strict ("safe mode") checks of
  :func:`mcbadge.jsonld.check_strict` in the same walk.

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

    from mcbadge import fastrdf
    result = fastrdf.canonicalize(credential)     # CanonicalResult, or None when declined
    if result is None:
        ...                                       # use mcbadge.jsonld + mcbadge.canon
    fastrdf.explain(credential)                   # why it declines (None when it does not)
"""

from __future__ import annotations

import math
import re
import threading
import weakref
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Final

from pyld import jsonld as _pyld

from mcbadge._internal.compactform import CHECKED_TYPE_NAMES, terms_by_iri
from mcbadge._internal.nquads import RDF_LANGSTRING, XSD_STRING, StrQuad, escape_literal
from mcbadge._internal.nquads import iri_to_nquads as _iri_to_nquads
from mcbadge._internal.nquads import literal_to_nquads as _literal_to_nquads
from mcbadge._internal.numbers import canonical_double
from mcbadge.canon import DEFAULT_MAX_WORK, CanonicalResult
from mcbadge.errors import McBadgeError
from mcbadge.loader import DocumentLoader, default_loader

__all__ = [
    "Decline",
    "canonicalize",
    "explain",
    "is_enabled",
    "proves_strict",
    "pyld_only",
    "rdf_quads",
]

# --- constants ----------------------------------------------------------------------------------

_KEYWORDS: Final = frozenset(_pyld.KEYWORDS)
_KEYWORD_LIKE: Final = re.compile(_pyld.KEYWORD_PATTERN)
# pyld's own absolute-IRI test (decides whether a compact IRI is returned as it is) ...
_PYLD_ABSOLUTE: Final = re.compile(r"^([A-Za-z][A-Za-z0-9+-.]*|_):[^\s]*$")
# ... and mcbadge's strict one (mcbadge.jsonld flags anything it does not match).
_STRICT_ABSOLUTE: Final = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*|_):[^\s]*$")
_MAX_SAFE_INTEGER: Final = 2**53 - 1
_SMALLEST_SAFE_FRACTION: Final = 1e-6

_XSD_BOOLEAN: Final = _pyld.XSD_BOOLEAN
_XSD_DOUBLE: Final = _pyld.XSD_DOUBLE
_XSD_INTEGER: Final = _pyld.XSD_INTEGER
_RDF_TYPE_NQ: Final = "<" + _pyld.RDF_TYPE + ">"
_RDF_FIRST_NQ: Final = "<" + _pyld.RDF_FIRST + ">"
_RDF_REST_NQ: Final = "<" + _pyld.RDF_REST + ">"
_RDF_NIL_NQ: Final = "<" + _pyld.RDF_NIL + ">"

# What a key means in an active context.
_PROP: Final = 0
_ID: Final = 1
_TYPE: Final = 2
_VALUE: Final = 3
_LANGUAGE: Final = 4
_CONTEXT: Final = 5

# How a property's values are held.
_PLAIN: Final = 0
_LIST: Final = 1
_GRAPH: Final = 2

# How a string value of a property is expanded.
_LITERAL: Final = 0
_IRI_DOC: Final = 1
_IRI_VOCAB: Final = 2

# How a node object is entered (pyld `_expand`: revert the type-scoped context or not).
_REVERT: Final = 0
_KEEP: Final = 1

# Caps on what is remembered per active context: keys and type sets come from documents, and
# documents must not be able to grow the caches without bound.
_MAX_KEYS_PER_CONTEXT: Final = 2048
_MAX_TRANSITIONS_PER_CONTEXT: Final = 256
_MAX_CONTEXT_LISTS: Final = 256
_MAX_INTERNED_CONTEXTS: Final = 4096
_IRI_CACHE_SIZE: Final = 8192

_MISSING: Final = object()

_enabled = True


class _Declined(Exception):
    """Internal: the fast path does not handle this document (the caller uses pyld)."""

    def __init__(self, reason: str, *, strict: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.strict = strict


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


# --- serialization helpers ----------------------------------------------------------------------

_iri_cache: dict[str, str] = {}


def _iri_nq(iri: str) -> str:
    text = _iri_cache.get(iri)
    if text is None:
        try:
            text = _iri_to_nquads(iri)
        except McBadgeError as exc:
            raise _Declined(f"IRI cannot be serialized: {exc}") from exc
        if len(_iri_cache) >= _IRI_CACHE_SIZE:
            _iri_cache.clear()
        _iri_cache[iri] = text
    return text


def _check_number(value: int | float) -> int | float:
    """Read a number as :mod:`mcbadge.jsonld` does (JavaScript's view), declining unsafe ones."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        if abs(value) > _MAX_SAFE_INTEGER:
            raise _Declined("unsafe number: integer beyond 2**53 - 1", strict=True)
        return value
    if not math.isfinite(value):
        raise _Declined("unsafe number: not finite", strict=True)
    if value.is_integer():
        return int(value) if abs(value) <= _MAX_SAFE_INTEGER else value
    if abs(value) < _SMALLEST_SAFE_FRACTION:
        raise _Declined("unsafe number: non-integer below 1e-6", strict=True)
    return value


def _literal(value: Any, datatype: str | None) -> str:
    """A literal as pyld's ``_object_to_rdf`` forms it, in canonical N-Quads."""
    lexical: Any
    if isinstance(value, bool):
        lexical, kind = ("true" if value else "false"), _XSD_BOOLEAN
    elif isinstance(value, float) and not value.is_integer():
        lexical, kind = canonical_double(value), _XSD_DOUBLE
    elif datatype == _XSD_DOUBLE:
        try:
            lexical = canonical_double(float(value))
        except (ValueError, TypeError):
            lexical = value
        kind = _XSD_DOUBLE
    elif isinstance(value, int | float) and abs(value) >= 1e21:
        lexical, kind = canonical_double(value), _XSD_DOUBLE
    elif isinstance(value, int | float):
        lexical, kind = str(int(value)), _XSD_INTEGER
    else:
        lexical, kind = value, XSD_STRING
    if not isinstance(lexical, str):  # pragma: no cover - values are JSON scalars
        raise _Declined("literal is not a string")
    datatype = datatype or kind
    if datatype == XSD_STRING:
        return '"' + escape_literal(lexical) + '"'
    return '"' + escape_literal(lexical) + '"^^' + _iri_nq(datatype)


def _language_literal(value: str, language: str) -> str:
    try:
        return _literal_to_nquads(value, RDF_LANGSTRING, language)
    except McBadgeError as exc:
        raise _Declined(f"language-tagged literal cannot be serialized: {exc}") from exc


def _checked_iri(iri: str | None) -> str:
    """An expanded IRI used as a node or an ``@type``, as ``<iri>``, declining what strict
    mode flags (relative) and what mcbadge does not handle here (blank nodes, keywords)."""
    if iri is None or iri in _KEYWORDS:
        raise _Declined(f"IRI value expands to {iri!r}")
    if _STRICT_ABSOLUTE.match(iri) is None:
        raise _Declined(f"relative IRI {iri!r}", strict=True)
    if iri.startswith("_:"):
        raise _Declined("blank node identifier in the input")
    return _iri_nq(iri)


# --- compiled active contexts -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Prop:
    """What a key that expands to a property IRI means in one active context."""

    predicate: str  # serialized
    holder: int  # _PLAIN, _LIST or _GRAPH
    term_ctx: _Ctx  # the context its value is expanded in (property-scoped context applied)
    string_mode: int  # how a string value is expanded (in term_ctx)
    datatype: str | None  # type coercion for literals (in term_ctx)


class _Ctx:
    """A pyld active context plus what mcbadge remembered about it.

    Transitions to other contexts are computed by pyld once (under the loader's lock) and
    remembered; the dicts below only ever grow (up to their caps), so reading them needs no
    lock.
    """

    __slots__ = (
        "__weakref__",
        "_embedded",
        "_keys",
        "_layouts",
        "_objects",
        "_probes",
        "_reverted",
        "_scoped",
        "_shapes",
        "_iri_terms",
        "_type_iris",
        "_types",
        "has_previous",
        "mappings",
        "raw",
        "state",
        "vocab",
    )

    def __init__(self, raw: dict[str, Any], state: _FastState) -> None:
        self.raw = raw
        self.state = state
        self.mappings: Mapping[str, Any] = raw["mappings"]
        self.vocab: str | None = raw.get("@vocab")
        self.has_previous = bool(raw.get("previousContext"))
        self._keys: dict[str, tuple[int, Any]] = {}
        self._probes: dict[str, str | None] = {}
        self._shapes: dict[tuple[Any, ...], str | None] = {}
        self._layouts: dict[tuple[Any, ...], tuple[tuple[str, int, Any], ...]] = {}
        self._type_iris: dict[str, str] = {}
        self._iri_terms: dict[str, tuple[str, ...]] | None = None
        self._objects: dict[tuple[str | None, int], _Ctx] = {}
        self._types: dict[tuple[str, ...], _Ctx] = {}
        self._embedded: dict[tuple[str, ...], _Ctx] = {}
        self._scoped: dict[tuple[int, bool, bool], tuple[Any, _Ctx]] = {}
        self._reverted: _Ctx | None = None

    # -- IRI expansion (pyld `_expand_iri`, outside context processing) --

    def expand(self, value: str, *, vocab: bool) -> str | None:
        """Expand ``value`` as pyld does; decline where pyld would resolve it against a base."""
        if value in _KEYWORDS:
            return value
        if _KEYWORD_LIKE.match(value):
            return None
        mappings = self.mappings
        if vocab and value in mappings:
            mapping = mappings[value]
            return None if mapping is None else mapping["@id"]
        colon = value.find(":")
        if colon > 0:
            prefix = value[:colon]
            suffix = value[colon + 1 :]
            if prefix == "_" or suffix.startswith("//"):
                return value
            mapping = mappings.get(prefix)
            if mapping and mapping["_prefix"]:
                return mapping["@id"] + suffix  # type: ignore[no-any-return]
            if _PYLD_ABSOLUTE.match(value):
                return value
        if vocab and self.vocab is not None:
            return self.vocab + value
        # pyld would resolve it against a base. Strict mode flags that, except for references
        # that leave the base's host ("//host/x"), which pyld silently rebases instead.
        raise _Declined(
            f"{value!r} is a relative IRI reference", strict=not value.startswith(("/", "\\"))
        )

    def named(self, iri: str) -> tuple[str, ...]:
        """The terms of this context that map to ``iri`` (the compact-form rule)."""
        if self._iri_terms is None:
            self._iri_terms = terms_by_iri(self.mappings)
        return self._iri_terms.get(iri, ())

    def expand_exact(self, value: str, *, vocab: bool) -> str | None:
        """Expand an IRI value; decline (strict) where the compact form would write it
        otherwise: an IRI a term names (``vocab``), or a value a prefix rewrites."""
        expanded = self.expand(value, vocab=vocab)
        if vocab:
            if value not in self.mappings and expanded is not None and self.named(expanded):
                raise _Declined(f"{value!r} is written as an IRI a term names", strict=True)
        elif expanded != value:
            raise _Declined(f"{value!r} is rewritten to {expanded!r} by a prefix", strict=True)
        return expanded

    def probe(self, key: str) -> str | None:
        """What ``key`` expands to, or ``None`` (pyld's look-ups that never fail)."""
        hit = self._probes.get(key, _MISSING)
        if hit is not _MISSING:
            return hit  # type: ignore[return-value]
        try:
            result = self.expand(key, vocab=True)
        except _Declined:
            result = None
        if len(self._probes) < _MAX_KEYS_PER_CONTEXT:
            self._probes[key] = result
        return result

    # -- node shapes (memoized per tuple of keys) --

    def entry_mode(self, keys: tuple[Any, ...]) -> int:
        """Whether a node object with ``keys`` (at most two) keeps this type-scoped context:
        a value object or a lone subject reference does (pyld ``_expand``)."""
        if not all(isinstance(k, str) for k in keys):
            raise _Declined("a JSON object key is not a string")
        for k in sorted(keys):
            probed = self.probe(k)
            if probed == "@value" or (probed == "@id" and len(keys) == 1):
                return _KEEP
        return _REVERT

    def type_key(self, keys: tuple[Any, ...]) -> str | None:
        """The key of ``keys`` that expands to ``@type`` here, if any."""
        hit = self._shapes.get(keys, _MISSING)
        if hit is not _MISSING:
            return hit  # type: ignore[return-value]
        found: str | None = None
        for k in keys:
            if not isinstance(k, str):
                raise _Declined("a JSON object key is not a string")
            if k != "@context" and self.probe(k) == "@type":
                if found is not None:
                    raise _Declined("two keys expand to @type")
                found = k
        if len(self._shapes) < _MAX_KEYS_PER_CONTEXT:
            self._shapes[keys] = found
        return found

    def layout(self, keys: tuple[Any, ...]) -> tuple[tuple[str, int, Any], ...]:
        """What each key of a node object means here, checked (strict mode, collisions)."""
        hit = self._layouts.get(keys)
        if hit is not None:
            return hit
        out: list[tuple[str, int, Any]] = []
        seen: set[int] = set()
        for k in keys:
            if k == "@context":
                continue
            kind, prop = self.key(k)
            if kind != _PROP:
                if kind in seen:
                    raise _Declined("two keys expand to the same keyword")
                seen.add(kind)
            out.append((k, kind, prop))
        result = tuple(out)
        if len(self._layouts) < _MAX_KEYS_PER_CONTEXT:
            self._layouts[keys] = result
        return result

    def type_iri(self, value: str) -> str:
        """An ``@type`` value expanded here (as ``<iri>``), checked."""
        hit = self._type_iris.get(value)
        if hit is None:
            hit = _checked_iri(self.expand_exact(value, vocab=True))
            if len(self._type_iris) < _MAX_KEYS_PER_CONTEXT:
                self._type_iris[value] = hit
        return hit

    # -- keys --

    def key(self, key: str) -> tuple[int, Any]:
        """What ``key`` means here: ``(_PROP, _Prop)`` or ``(_ID | _TYPE | ..., None)``."""
        hit = self._keys.get(key)
        if hit is not None:
            return hit
        result = self._classify(key)
        if len(self._keys) < _MAX_KEYS_PER_CONTEXT:
            self._keys[key] = result
        return result

    def _classify(self, key: str) -> tuple[int, Any]:
        try:
            expanded = self.expand(key, vocab=True)
        except _Declined as exc:
            raise _Declined(f"undefined term {key!r}", strict=True) from exc
        if expanded is None:
            raise _Declined(f"undefined term {key!r}", strict=True)
        if expanded in _KEYWORDS:
            kind = {
                "@id": _ID,
                "@type": _TYPE,
                "@value": _VALUE,
                "@language": _LANGUAGE,
                "@context": _CONTEXT,
            }.get(expanded)
            if kind is None:
                raise _Declined(f"unsupported keyword {expanded}")
            return kind, None
        if expanded.startswith("_:"):
            raise _Declined(f"{key!r} expands to a blank node", strict=True)
        if _STRICT_ABSOLUTE.match(expanded) is None:
            raise _Declined(f"{key!r} expands to the relative IRI {expanded!r}", strict=True)
        mapping = self.mappings.get(key)
        if mapping is None and self.named(expanded):
            raise _Declined(f"{key!r} is written as an IRI a term names", strict=True)
        holder = _holder(mapping, key)
        if mapping is not None and (mapping.get("reverse") or mapping.get("@type") == "@json"):
            raise _Declined(f"{key!r} is a reverse or @json property")
        term_ctx = self
        if mapping is not None and "@context" in mapping:
            term_ctx = self.with_local(mapping["@context"], propagate=True, override=True)
        term = term_ctx.mappings.get(key)
        if term is not None and (term.get("reverse") or term.get("@type") == "@json"):
            raise _Declined(f"{key!r} is a reverse or @json property in its scoped context")
        if term_ctx is not self and _holder(term, key) != holder:
            raise _Declined(f"{key!r} changes its container in its scoped context")
        if term_ctx.expand(key, vocab=True) != expanded:
            raise _Declined(f"{key!r} changes its meaning in its scoped context")
        string_mode, datatype = term_ctx._coercion(key)
        prop = _Prop(_iri_nq(expanded), holder, term_ctx, string_mode, datatype)
        return _PROP, prop

    def _coercion(self, key: str) -> tuple[int, str | None]:
        """How scalar values of ``key`` expand here (pyld ``_expand_value``)."""
        get = _pyld.JsonLdProcessor.get_context_value
        type_ = get(self.raw, key, "@type")
        if type_ == "@id":
            mode = _IRI_DOC
        elif type_ == "@vocab":
            mode = _IRI_VOCAB
        else:
            mode = _LITERAL
        datatype = None if type_ in (None, "@id", "@vocab", "@none") else type_
        if datatype is None and mode == _LITERAL:
            language = get(self.raw, key, "@language")
            direction = get(self.raw, key, "@direction")
            if language is not None or direction is not None:
                # strings of this term would be language-tagged: not handled here
                mode = -1
        return mode, datatype

    # -- transitions --

    def with_local(self, local: Any, *, propagate: bool, override: bool) -> _Ctx:
        """This context with the (term-definition) local context ``local`` applied."""
        memo_key = (id(local), propagate, override)
        hit = self._scoped.get(memo_key)
        if hit is not None and hit[0] is local:
            return hit[1]
        result = self.state.process(self, local, propagate=propagate, override=override)
        if len(self._scoped) < _MAX_TRANSITIONS_PER_CONTEXT:
            self._scoped[memo_key] = (local, result)  # holds `local`, so its id stays unique
        return result

    def reverted(self) -> _Ctx:
        """The context before a non-propagated (type-scoped) context was applied."""
        if not self.has_previous:
            return self
        if self._reverted is None:
            self._reverted = self.state.intern(self.raw["previousContext"])
        return self._reverted

    def object_ctx(self, key: str | None, mode: int) -> _Ctx:
        """The context a node object under ``key`` starts in (pyld ``_expand``, before types)."""
        memo_key = (key, mode)
        hit = self._objects.get(memo_key)
        if hit is not None:
            return hit
        result = self if mode == _KEEP else self.reverted()
        if key is not None:
            mapping = self.mappings.get(key)
            if mapping is not None and "@context" in mapping:
                result = result.with_local(mapping["@context"], propagate=True, override=True)
        if len(self._objects) < _MAX_TRANSITIONS_PER_CONTEXT:
            self._objects[memo_key] = result
        return result

    def with_urls(self, urls: tuple[str, ...]) -> _Ctx:
        """This context with an embedded ``@context`` of context URLs applied."""
        hit = self._embedded.get(urls)
        if hit is not None:
            return hit
        result = self.state.process(self, list(urls), propagate=True, override=False)
        if len(self._embedded) < _MAX_TRANSITIONS_PER_CONTEXT:
            self._embedded[urls] = result
        return result

    def with_types(self, types: tuple[str, ...]) -> _Ctx:
        """This context with the type-scoped contexts of ``types`` (sorted) applied."""
        hit = self._types.get(types)
        if hit is not None:
            return hit
        result = self
        for type_ in types:
            mapping = self.mappings.get(type_)
            if mapping is None:
                continue
            local = mapping.get("@context", _MISSING)
            if local is not _MISSING and local is not None and local is not False:
                result = result.with_local(local, propagate=False, override=False)
        if len(self._types) < _MAX_TRANSITIONS_PER_CONTEXT:
            self._types[types] = result
        return result


def _raw_types_of(type_value: Any) -> list[Any]:
    """The ``@type`` value of a node object as a list (empty when absent)."""
    if type_value is None:
        return []
    return type_value if isinstance(type_value, list) else [type_value]


def _context_urls(context: Any) -> tuple[str, ...]:
    if isinstance(context, str):
        return (context,)
    if isinstance(context, list | tuple) and all(isinstance(c, str) for c in context):
        return tuple(context)
    raise _Declined("an inline @context object (only context URLs are handled)")


def _holder(mapping: Mapping[str, Any] | None, key: str) -> int:
    if mapping is None:
        return _PLAIN
    container = mapping.get("@container")
    if container is None:
        return _PLAIN
    kinds = frozenset(container if isinstance(container, list) else [container])
    if kinds <= {"@set"}:
        return _PLAIN
    if kinds == {"@list"}:
        return _LIST
    if kinds in ({"@graph"}, {"@graph", "@set"}):
        return _GRAPH
    raise _Declined(f"{key!r} has an unsupported container {sorted(kinds)}")


class _FastState:
    """What the fast path remembers per document loader."""

    def __init__(self, loader: DocumentLoader) -> None:
        from mcbadge.jsonld import _pyld_options

        self.jsonld_state, self.options = _pyld_options(loader)
        self.lock = self.jsonld_state.lock
        self.processor = _pyld.JsonLdProcessor()
        self.initial_raw = self.processor._get_initial_context(self.options)
        self.interned: dict[int, tuple[Any, _Ctx]] = {}
        self.by_context: dict[tuple[str, ...], _Ctx] = {}

    def intern(self, raw: dict[str, Any]) -> _Ctx:
        hit = self.interned.get(id(raw))
        if hit is not None and hit[0] is raw:
            return hit[1]
        with self.lock:
            hit = self.interned.get(id(raw))
            if hit is not None and hit[0] is raw:
                return hit[1]
            ctx = _Ctx(raw, self)
            if len(self.interned) < _MAX_INTERNED_CONTEXTS:
                self.interned[id(raw)] = (raw, ctx)  # holds `raw`, so its id stays unique
            return ctx

    def process(self, ctx: _Ctx, local: Any, *, propagate: bool, override: bool) -> _Ctx:
        with self.lock:
            try:
                raw = self.processor._process_context(
                    ctx.raw,
                    local,
                    self.options,
                    override_protected=override,
                    propagate=propagate,
                )
            except Exception as exc:  # noqa: BLE001 - pyld raises anything; it will again
                raise _Declined(f"context processing failed: {type(exc).__name__}") from exc
        return self.intern(raw)

    def document_ctx(self, context: Any) -> _Ctx:
        urls = _context_urls(context)
        hit = self.by_context.get(urls)
        if hit is not None:
            return hit
        initial = self.intern(self.initial_raw)
        result = self.process(initial, list(urls), propagate=True, override=False)
        if len(self.by_context) < _MAX_CONTEXT_LISTS:
            self.by_context[urls] = result
        return result


_states: weakref.WeakKeyDictionary[DocumentLoader, _FastState] = weakref.WeakKeyDictionary()
_states_lock = threading.Lock()


def _state_for(loader: DocumentLoader) -> _FastState:
    state = _states.get(loader)
    if state is None:
        with _states_lock:
            state = _states.get(loader)
            if state is None:
                state = _states[loader] = _FastState(loader)
    return state


# --- the walk -----------------------------------------------------------------------------------


class _Walk:
    """One document's walk: expansion, strict checks and RDF emission in a single pass."""

    __slots__ = ("bnodes", "quads", "top")

    def __init__(self) -> None:
        self.quads: list[StrQuad] = []
        self.bnodes = 0
        self.top: str | None = None

    def bnode(self) -> str:
        self.bnodes += 1
        return "_:b" + str(self.bnodes - 1)

    def document(self, state: _FastState, doc: Any) -> None:
        if not isinstance(doc, Mapping):
            raise _Declined("the document is not a JSON object")
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
        elif (
            subject is not None
            and subject == self.top
            and (props or any(name in CHECKED_TYPE_NAMES for name in _raw_types_of(type_value)))
        ):
            raise _Declined("an embedded node with the document's own @id", strict=True)
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
            probed = {prop.term_ctx.probe(k) for k in item if isinstance(k, str)}
            if "@value" in probed and (
                prop.datatype is not None
                or prop.string_mode != _LITERAL
                or probed <= {"@value", "@index"}
            ):
                raise _Declined(f"a value object where {key!r} takes a plain value", strict=True)
            return self.node(prop.term_ctx, key, item, graph, in_graph=False)
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


def _walk(document: Any, loader: DocumentLoader | None) -> _Walk:
    if loader is None:
        loader = default_loader()
    elif not isinstance(loader, DocumentLoader):
        raise _Declined("a custom loader function (only DocumentLoader caches contexts)")
    walk = _Walk()
    try:
        walk.document(_state_for(loader), document)
    except _Declined:
        raise
    except RecursionError as exc:
        raise _Declined("the document is nested too deeply") from exc
    except Exception as exc:  # noqa: BLE001 - never fail where pyld would not: fall back
        raise _Declined(f"internal error: {type(exc).__name__}: {exc}") from exc
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
        :func:`mcbadge.jsonld.to_rdf_dataset` then; it also reports strict-mode problems).

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
) -> CanonicalResult | None:
    """RDFC-1.0 canonical form of ``document`` by the fast path, or ``None`` when it declines.

    The result is byte-identical to ``canonicalize_pyld_dataset(to_rdf_dataset(document))``
    (``issued`` is keyed by this module's blank node labels, not pyld's). A document with a
    strict-mode problem is declined: pyld then raises the error that lists every problem.

    Args:
        document: The JSON-LD document (not modified).
        loader: The document loader (default: the offline bundled-contexts loader).
        max_work: The RDFC-1.0 work budget (see :func:`mcbadge.canon.rdfc10`).

    Returns:
        The canonical result, or ``None`` (disabled by :func:`pyld_only`, or declined).

    Raises:
        CanonicalizationLimitError: The dataset exceeds the RDFC-1.0 work budget.

    Example:
        >>> doc = {"@context": "https://www.w3.org/ns/credentials/v2", "name": "Jan"}
        >>> canonicalize(doc).nquads
        '_:c14n0 <https://schema.org/name> "Jan" .\\n'
    """
    from mcbadge.canon import _canonicalize

    if not _enabled:
        return None
    try:
        quads = _walk(document, loader).quads
    except _Declined:
        return None
    return _canonicalize(quads, "sha256", max_work)


def proves_strict(document: Any, *, loader: DocumentLoader | None = None) -> bool:
    """``True`` when the fast path shows ``document`` is strict JSON-LD that pyld accepts.

    ``False`` means "not shown" (declined or a problem found): ask
    :func:`mcbadge.jsonld.strict_problems`, which lists the problems, if any.

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
