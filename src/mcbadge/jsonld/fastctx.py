"""Compiled active contexts for the JSON-LD fast path (:mod:`mcbadge.jsonld.fastrdf`).

Each context transition (the document's ``@context`` list, a type- or property-scoped context,
reverting a non-propagated one) is computed once per loader by pyld, through
:mod:`mcbadge.jsonld.processor`, and remembered with what every key means in it. Also the
literal and IRI serialization helpers and the :class:`_Declined` signal the walk raises.
"""

from __future__ import annotations

import math
import re
import threading
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from pyld import jsonld as _pyld

from mcbadge._internal.compactform import terms_by_iri
from mcbadge._internal.nquads import RDF_LANGSTRING, XSD_STRING, escape_literal
from mcbadge._internal.nquads import iri_to_nquads as _iri_to_nquads
from mcbadge._internal.nquads import literal_to_nquads as _literal_to_nquads
from mcbadge._internal.numbers import PORTABLE_DOUBLE, canonical_double
from mcbadge.errors import McBadgeError
from mcbadge.jsonld.loader import DocumentLoader
from mcbadge.jsonld.processor import _pyld_options

__all__: list[str] = []


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


class _Declined(Exception):
    """Internal: the fast path does not handle this document (the caller uses pyld)."""

    def __init__(self, reason: str, *, strict: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.strict = strict


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
        if isinstance(value, str) and not PORTABLE_DOUBLE.fullmatch(value):
            raise _Declined("a string typed xsd:double that readers parse differently", strict=True)
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

    def unambiguous(self, term: str, iri: str) -> None:
        """Decline (strict) a term for an IRI that another term here names, unless the
        offline contexts give it that name (``ambiguous_term``)."""
        if len(self.named(iri)) > 1 and term not in self.state.known_names().get(iri, ()):
            raise _Declined(f"{term!r} is another name for {iri}", strict=True)

    def expand_exact(self, value: str, *, vocab: bool) -> str | None:
        """Expand an IRI value; decline (strict) where the compact form would write it
        otherwise: an IRI a term names (``vocab``), or a value a prefix rewrites."""
        expanded = self.expand(value, vocab=vocab)
        if vocab and expanded is not None:
            if value in self.mappings:
                self.unambiguous(value, expanded)
            elif self.named(expanded):
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
        self.unambiguous(key, expanded)
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
        self.jsonld_state, self.options = _pyld_options(loader)
        self.lock = self.jsonld_state.lock
        self.processor = _pyld.JsonLdProcessor()
        self.initial_raw = self.processor._get_initial_context(self.options)
        self.interned: dict[int, tuple[Any, _Ctx]] = {}
        self.by_context: dict[tuple[str, ...], _Ctx] = {}
        self.loader = weakref.ref(loader)
        self._known: Mapping[str, frozenset[str]] | None = None
        # embedded objects walked before (mcbadge.jsonld.fastrdf._Subtree), by content
        self.subtrees: dict[Any, Any] = {}

    def known_names(self) -> Mapping[str, frozenset[str]]:
        """``{IRI: every term naming it}`` over the contexts this loader knows offline
        (bundled, caller-supplied), scoped contexts included. A term for one of these IRIs
        that is not among its known names is an alias from an embedded or fetched context:
        the compact-form rule refuses it (``ambiguous_term``)."""
        if self._known is None:
            loader = self.loader()
            extras = getattr(loader, "_extra", None)
            if loader is not None and extras:
                names = _names_in(self, sorted(loader.offline_urls()))
                self._known = {iri: frozenset(terms) for iri, terms in names.items()}
            else:
                self._known = _bundled_known_names()
        return self._known

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


_BUNDLED_KNOWN: dict[str, frozenset[str]] = {}
_BUNDLED_KNOWN_LOCK = threading.Lock()


def _names_in(state: _FastState, urls: list[str]) -> dict[str, set[str]]:
    """Every (IRI, term) of the contexts at ``urls``, each processed on its own, with all the
    (type- and property-) scoped contexts reachable from them."""
    names: dict[str, set[str]] = {}
    seen: set[int] = set()
    locals_seen: set[int] = set()  # each scoped context once: linear in the contexts' size
    stack: list[tuple[_Ctx, int]] = []
    for url in urls:
        try:
            stack.append((state.document_ctx([url]), 0))
        except Exception:  # noqa: BLE001, S112 - not a context (a pinned JSON Schema) or broken
            continue
    while stack:
        ctx, depth = stack.pop()
        if id(ctx) in seen or depth > 8:
            continue
        seen.add(id(ctx))
        for term, mapping in list(ctx.mappings.items()):
            if not isinstance(mapping, Mapping):
                continue
            iri = mapping.get("@id")
            if isinstance(iri, str):
                names.setdefault(iri, set()).add(term)
            local = mapping.get("@context", _MISSING)
            if local is _MISSING or local is None or local is False or id(local) in locals_seen:
                continue
            locals_seen.add(id(local))
            try:
                stack.append((ctx.with_local(local, propagate=True, override=True), depth + 1))
            except Exception:  # noqa: BLE001, S112 - a scoped context pyld refuses
                continue
    return names


def _bundled_known_names() -> dict[str, frozenset[str]]:
    if not _BUNDLED_KNOWN:
        from mcbadge.jsonld.bundled import bundled_contexts
        from mcbadge.jsonld.loader import default_loader

        state = _state_for(default_loader())
        names = _names_in(state, sorted(bundled_contexts()))
        with _BUNDLED_KNOWN_LOCK:
            if not _BUNDLED_KNOWN:
                _BUNDLED_KNOWN.update({iri: frozenset(t) for iri, t in names.items()})
    return _BUNDLED_KNOWN


def _state_for(loader: DocumentLoader) -> _FastState:
    state = _states.get(loader)
    if state is None:
        with _states_lock:
            state = _states.get(loader)
            if state is None:
                state = _states[loader] = _FastState(loader)
    return state
