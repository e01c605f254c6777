"""JSON-LD expansion, conversion to RDF, and the strict ("safe mode") check.

pyld silently drops what it cannot map: a key that no ``@context`` defines disappears, a
relative ``@type`` or ``@id`` is resolved against a made-up base (``http://example.org/base/``)
or dropped. The digitalbazaar stack (jsonld.js *safe mode*) and the 1EdTech validator reject
such documents, and a signature over what pyld kept would protect less than the issuer
thinks. mcbadge therefore refuses them: :func:`check_strict` reports every

* **undefined term** — a key that is not a keyword and does not expand to an absolute IRI
  (including terms an active context maps to ``null`` and ``@``-prefixed non-keywords),
* **relative property IRI** or **blank-node property**,
* **relative @type** / **relative @id** — a value that would be resolved against the base,
* **relative @vocab** in an embedded context (every term it covers would be rebased),
* **relative IRI value** — the string value of an ``@id``/``@vocab``-typed term that is not
  an absolute IRI,
* **unsafe number** — a non-finite number, a non-integer with absolute value below 1e-6
  (jsonld.js writes those as "0"), or an integer beyond ±(2**53 - 1) (JavaScript cannot hold
  it exactly, so other implementations sign a different number),

each with its JSON path (``$.credentialSubject.achievement.foo``). The check runs inside
pyld's own expansion with the very active context pyld uses for each object, so type-scoped,
property-scoped, nested and ``@protected`` contexts are handled exactly as pyld handles them.

:func:`expand` and :func:`to_rdf_dataset` run the same check by default (``strict=True``).
Every context — from the loader or embedded in the document — is first linted for malformed
term definitions; the published edubadges educredential context fails that lint
(``"context"`` instead of ``"@context"`` in ``supervisionType``) with an
:class:`~mcbadge.errors.InvalidContextError` that explains the defect
(the lint and the pyld plumbing live in :mod:`mcbadge.jsonld.processor`).

Example::

    from mcbadge.jsonld import check_strict, to_rdf_dataset   # or mcbadge.jsonld.strict
    check_strict(credential)              # raises StrictJsonLdError listing every problem
    dataset = to_rdf_dataset(credential)  # pyld dataset dict, for mcbadge.canon
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

from pyld import jsonld as _pyld

from mcbadge._internal.compactform import (
    ALLOWED_INLINE_ALIASES,
    CHECKED_TYPE_NAMES,
    COMPACT_KINDS,
    INLINE_CONTEXT_KEYWORDS,
    terms_by_iri,
)
from mcbadge._internal.numbers import canonical_double
from mcbadge.errors import (
    InvalidInputError,
    JsonLdError,
    NonCompactJsonLdError,
    StrictJsonLdError,
)
from mcbadge.jsonld.fastrdf import proves_strict
from mcbadge.jsonld.loader import DocumentLoader
from mcbadge.jsonld.processor import (
    _KEYWORDS,
    LoaderLike,
    PathPart,
    _format_path,
    _Node,
    _process,
    check_context,
)

__all__ = [
    "check_strict",
    "expand",
    "strict_problems",
    "to_rdf_dataset",
]


# pyld writes xsd:double literals with f"{value:1.15E}", which rounds an exact decimal tie to
# even; jsonld.js (toExponential) rounds it up, so 1000000000000000.5 became
# "1.0E15" here and "1.000000000000001E15" there, and signatures differed. pyld looks the
# function up as a module global each time, so replacing it makes every toRdf in this process
# write doubles as the JSON-LD reference implementation does (differential tests with Node).
_pyld._canonicalize_double = canonical_double

# A base that no document uses: a relative IRI resolved against it is recognisable.
_SENTINEL_BASE = "https://relative-iri.mcbadge.invalid/"
_ABSOLUTE_IRI = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*|_):[^\s]*$")
_KEYWORD_LIKE = re.compile(r"^@[a-zA-Z]+$")
_MAX_SAFE_INTEGER = 2**53 - 1
_SMALLEST_SAFE_FRACTION = 1e-6
_MESSAGE_PROBLEM_LIMIT = 20


def _is_absolute_iri(value: object) -> bool:
    return isinstance(value, str) and _ABSOLUTE_IRI.match(value) is not None


class _Problems:
    """Collects strict-mode problems, once each."""

    def __init__(self) -> None:
        self._items: dict[tuple[str, str, str], tuple[Any, dict[str, Any]]] = {}

    def add(self, kind: str, path: Sequence[PathPart], term: str, message: str) -> None:
        formatted = _format_path(path)
        key = (kind, formatted, term)
        if key not in self._items:
            order = tuple((0, part, "") if isinstance(part, int) else (1, 0, part) for part in path)
            item = {"kind": kind, "term": term, "path": formatted, "message": message}
            self._items[key] = (order, item)

    @property
    def items(self) -> list[dict[str, Any]]:
        """The problems, ordered by JSON path (array items by index, keys by name)."""
        return [item for _, item in sorted(self._items.values(), key=lambda pair: pair[0])]


def _annotate(value: Any, path: tuple[PathPart, ...], problems: _Problems | None) -> Any:
    """Copy ``value`` into ``_Node``/list form, checking JSON types and (optionally) numbers.

    Embedded contexts are linted on the way.
    """
    if isinstance(value, Mapping):
        node = _Node()
        node.path = path
        for key, item in value.items():
            if not isinstance(key, str):
                raise InvalidInputError(
                    f"JSON object keys must be strings; {_format_path(path)} has key {key!r}"
                )
            if key == "@context":
                check_context(item, source=f"the document at {_format_path((*path, key))}")
                if problems is not None:
                    _check_inline_vocab(item, (*path, key), problems)
                node[key] = _annotate(item, (*path, key), None)
            else:
                node[key] = _annotate(item, (*path, key), problems)
        return node
    if isinstance(value, list | tuple):
        return [_annotate(item, (*path, index), problems) for index, item in enumerate(value)]
    if value is None or isinstance(value, str | bool):
        return value
    if isinstance(value, int):
        if problems is not None and abs(value) > _MAX_SAFE_INTEGER:
            problems.add(
                "unsafe_number",
                path,
                str(value),
                f"integer {value} at {_format_path(path)} is beyond ±(2**53 - 1); JavaScript "
                "JSON-LD processors cannot represent it exactly and would sign another number "
                "(write it as a string)",
            )
        return value
    if isinstance(value, float):
        if problems is not None:
            _check_float(value, path, problems)
        if value.is_integer() and abs(value) <= _MAX_SAFE_INTEGER:
            # Read the number as JavaScript does: JSON.parse("5.0") is the integer 5 and
            # "-0.0" is -0, which jsonld.js writes as "5" and "0". Without this, pyld would
            # write "5.0E0" and "-0.0E0" and signatures would differ across implementations.
            return int(value)
        return value
    raise InvalidInputError(
        f"{_format_path(path)} holds a {type(value).__name__}, which is not a JSON value"
    )


def _check_inline_vocab(context: Any, path: tuple[PathPart, ...], problems: _Problems) -> None:
    """Flag a relative ``@vocab`` in an embedded context (pyld resolves it against the base)."""
    if isinstance(context, list | tuple):
        for index, item in enumerate(context):
            _check_inline_vocab(item, (*path, index), problems)
        return
    if not isinstance(context, Mapping):
        return
    for keyword in INLINE_CONTEXT_KEYWORDS & context.keys():
        where = (*path, keyword)
        problems.add(
            "inline_context_keyword",
            where,
            keyword,
            f"{keyword} at {_format_path(where)}: a context embedded in the document may only "
            f"add terms; {keyword} changes how the other members read, which the checks (and "
            "the signature, for eddsa-jcs-2022) would not see",
        )
    vocab = context.get("@vocab")
    if isinstance(vocab, str) and not _is_absolute_iri(vocab):
        where = (*path, "@vocab")
        problems.add(
            "relative_vocab",
            where,
            vocab,
            f"@vocab {vocab!r} at {_format_path(where)} is not an absolute IRI; pyld resolves "
            "it against the document base, so every term it covers would get a made-up IRI",
        )
    for term, definition in context.items():
        if isinstance(definition, Mapping) and "@context" in definition:
            _check_inline_vocab(definition["@context"], (*path, term, "@context"), problems)


def _check_float(value: float, path: Sequence[PathPart], problems: _Problems) -> None:
    where = _format_path(path)
    if not math.isfinite(value):
        problems.add(
            "unsafe_number",
            path,
            repr(value),
            f"number {value!r} at {where} is not finite; JSON has no NaN or Infinity",
        )
    elif not value.is_integer() and abs(value) < _SMALLEST_SAFE_FRACTION:
        problems.add(
            "unsafe_number",
            path,
            repr(value),
            f"number {value!r} at {where} is a non-integer smaller than 1e-6 in absolute "
            'value; jsonld.js turns such numbers into "0", so signatures would not match '
            "across implementations (write it as a string or scale it)",
        )


# --- the strict processor -------------------------------------------------------------------------


class _StrictProcessor(_pyld.JsonLdProcessor):  # type: ignore[misc]
    """pyld's processor, checking each object with the active context pyld itself uses."""

    def __init__(
        self, problems: _Problems, known: Mapping[str, frozenset[str]] | None = None
    ) -> None:
        super().__init__()
        self._problems = problems
        self._stack: list[_Node] = []
        # the compact-form rule (mcbadge._internal.compactform): terms the document's own
        # contexts define, and the document's @id (nodes elsewhere with it would merge into it)
        self._known: Mapping[str, frozenset[str]] = known if known is not None else {}
        self._top_id: str | None = None

    def _create_term_definition(
        self,
        active_ctx: Any,
        local_ctx: Any,
        term: Any,
        defined: Any,
        options: Any,
        override_protected: bool = False,
        validate_scoped: bool = True,
    ) -> Any:
        inline = isinstance(local_ctx, _Node) and not (term in defined and defined[term])
        mappings = active_ctx.get("mappings", {})
        had = inline and term in mappings
        before = mappings.get(term) if had else None
        result = super()._create_term_definition(
            active_ctx, local_ctx, term, defined, options, override_protected, validate_scoped
        )
        if inline and isinstance(term, str) and not term.startswith("@"):
            self._check_inline_term(active_ctx, local_ctx, term, had, before)
        return result

    def _check_inline_term(
        self, active_ctx: Any, local_ctx: _Node, term: str, had: bool, before: Any
    ) -> None:
        """Compact-form rule for a term defined by a context embedded in the document."""
        path = (*local_ctx.path, term)
        where = _format_path(path)
        mapping = active_ctx["mappings"].get(term)

        def comparable(definition: Any) -> Any:
            if not isinstance(definition, Mapping):
                return definition
            return {k: v for k, v in definition.items() if k != "protected"}

        if had and comparable(before) != comparable(mapping):
            self._problems.add(
                "inline_redefinition",
                path,
                term,
                f"the context at {where} gives the term {term!r} another meaning than the "
                "document's other contexts; checks read the term as those define it",
            )
            return
        if not isinstance(mapping, Mapping):
            return
        iri = mapping.get("@id")
        if mapping.get("reverse") or "@nest" in mapping:
            kind = "reverse_property" if mapping.get("reverse") else "nest"
            self._problems.add(
                kind,
                path,
                term,
                f"the context at {where} defines {term!r} as a "
                f"{'reverse property' if kind == 'reverse_property' else 'nested term'}; "
                "statements made through it are not where the checks read them",
            )
        if isinstance(iri, str) and iri in _KEYWORDS:
            if (term, iri) not in ALLOWED_INLINE_ALIASES:
                self._problems.add(
                    "keyword_alias",
                    path,
                    term,
                    f"the context at {where} makes {term!r} an alias of {iri}; a context "
                    "embedded in the document may not rename keywords",
                )
        # an alias for an IRI another term names is refused where it is used (the active
        # context is complete then; checking here would be quadratic in the context's size)

    def _ambiguous(self, path: tuple[PathPart, ...], term: str, iri: str) -> None:
        self._problems.add(
            "ambiguous_term",
            path,
            term,
            f"the term {term!r} at {_format_path(path)}, defined in the document's own "
            f"@context, names {iri}, which another term of the active context already names; "
            "a check reading that term would not see it (use the existing term)",
        )

    def _expand_object(
        self,
        active_ctx: Any,
        active_property: Any,
        expanded_active_property: Any,
        element: Any,
        expanded_parent: Any,
        options: Any,
        inside_list: bool = False,
        type_key: Any = None,
        type_scoped_ctx: Any = None,
    ) -> Any:
        if isinstance(element, _Node):
            self._check_value_shape(active_ctx, element)
            self._check_keys(active_ctx, element, type_scoped_ctx or active_ctx)
            self._check_compact(active_ctx, active_property, element, type_scoped_ctx or active_ctx)
            self._stack.append(element)
        try:
            return super()._expand_object(
                active_ctx,
                active_property,
                expanded_active_property,
                element,
                expanded_parent,
                options,
                inside_list,
                type_key,
                type_scoped_ctx,
            )
        finally:
            if isinstance(element, _Node):
                self._stack.pop()

    def _expand_value(self, active_ctx: Any, active_property: Any, value: Any, options: Any) -> Any:
        if isinstance(value, str) and isinstance(active_property, str):
            self._check_value(active_ctx, active_property, value)
            type_ = _pyld.JsonLdProcessor.get_context_value(active_ctx, active_property, "@type")
            if type_ == _pyld.XSD_DOUBLE:
                self._check_double_string(active_property, value)
        return super()._expand_value(active_ctx, active_property, value, options)

    # -- checks --

    def _check_value_shape(self, active_ctx: Any, element: _Node) -> None:
        """Refuse an ``@value`` that is an array or an object (unless typed ``@json``).

        JSON-LD 1.1 expansion: "if value is not a scalar or null, an invalid value object
        value error has been detected". pyld (like jsonld.js) raises it only when the array
        has an item: ``{"@value": []}`` loses its ``@value`` and the rest of the object is
        kept or dropped, so what is signed is not what the document says. This raises pyld's
        own error for every array and object, empty or not.
        """
        keys = {
            key: self._expand_iri(active_ctx, key, vocab=True)
            for key in element
            if key != "@context" and isinstance(key, str)
        }
        values = [element[key] for key, iri in keys.items() if iri == "@value"]
        if not any(isinstance(value, list | Mapping) for value in values):
            return
        types = [element[key] for key, iri in keys.items() if iri == "@type"]
        if any(
            isinstance(t, str) and self._expand_iri(active_ctx, t, vocab=True) == "@json"
            for t in types
        ):
            return
        raise _pyld.JsonLdError(
            'Invalid JSON-LD syntax; @value" value must not be an object or an array.',
            "jsonld.SyntaxError",
            {"value": next(v for v in values if isinstance(v, list | Mapping))},
            code="invalid value object value",
        )

    def _check_double_string(self, key: str, value: str, path: Any = None) -> None:
        from mcbadge._internal.numbers import PORTABLE_DOUBLE

        if PORTABLE_DOUBLE.fullmatch(value):
            return
        where = path if path is not None else self._value_path(key, value)
        self._problems.add(
            "double_string",
            where,
            value[:60],
            f"value {value!r} of {key!r} at {_format_path(where)} is a string typed "
            "xsd:double that is not a plain number: JSON-LD processors read it differently "
            "(jsonld.js: parseFloat, 'abc' -> NaN, '1_000' -> 1), so the signatures would "
            "differ; write the number as a JSON number or as a plain decimal",
        )

    def _relative(self, ctx: Any, value: str, *, vocab: bool) -> bool:
        expanded = self._expand_iri(ctx, value, vocab=vocab, base=_SENTINEL_BASE)
        if isinstance(expanded, str) and expanded in _KEYWORDS:
            return False
        return (
            not isinstance(expanded, str)
            or not _is_absolute_iri(expanded)
            or expanded.startswith(_SENTINEL_BASE)
        )

    def _check_compact(
        self, active_ctx: Any, active_property: Any, element: _Node, type_ctx: Any
    ) -> None:
        """The compact-form rule for one JSON object (see mcbadge._internal.compactform)."""
        mappings = active_ctx["mappings"]
        inverse = terms_by_iri(mappings)
        expanded_keys = {
            key: self._expand_iri(active_ctx, key, vocab=True)
            for key in element
            if key != "@context" and isinstance(key, str)
        }
        is_value = "@value" in expanded_keys.values()
        if is_value:
            self._check_value_object(active_ctx, active_property, element, expanded_keys)
        for key, expanded in expanded_keys.items():
            path = (*element.path, key)
            where = _format_path(path)
            value = element[key]
            if expanded in ("@nest", "@included", "@reverse", "@set"):
                kind = {
                    "@nest": "nest",
                    "@included": "included",
                    "@reverse": "reverse_property",
                    "@set": "set_object",
                }
                self._problems.add(
                    kind[expanded],
                    path,
                    key,
                    f"{key!r} at {where} states members through {expanded}; they are not "
                    "where the checks read them, so mcbadge refuses it",
                )
                continue
            if key in ("@id", "@type") and not is_value and inverse.get(key):
                alias = inverse[key][0]
                self._problems.add(
                    "keyword_spelling",
                    path,
                    key,
                    f"{key!r} at {where} is written as the keyword although the context "
                    f"names it {alias!r}; checks read {alias!r}",
                )
            if expanded == "@id":
                self._check_iri_unchanged(active_ctx, value, path)
                if element.path == () and isinstance(value, str):
                    self._top_id = value
                elif (
                    isinstance(value, str)
                    and value == self._top_id
                    and not self._harmless_merge(element, expanded_keys)
                ):
                    self._problems.add(
                        "node_merge",
                        path,
                        value,
                        f"the object at {_format_path(element.path)} has the document's own "
                        f"@id {value!r}; its members would merge into the document where the "
                        "checks do not read them",
                    )
                continue
            if expanded == "@type" and not is_value:
                for item_path, item in self._items(path, value):
                    self._check_vocab_iri(type_ctx, item, item_path)
                continue
            if not isinstance(expanded, str) or expanded in _KEYWORDS:
                continue
            mapping = mappings.get(key)
            if isinstance(mapping, Mapping) and mapping.get("reverse"):
                self._problems.add(
                    "reverse_property",
                    path,
                    key,
                    f"{key!r} at {where} is a reverse property; its statements are about "
                    "other nodes than the one the checks read",
                )
            if mapping is None and inverse.get(expanded):
                term = inverse[expanded][0]
                self._problems.add(
                    "non_compact_key",
                    path,
                    key,
                    f"key {key!r} at {where} is written as an IRI; the context names it "
                    f"{term!r}, which is the key checks read",
                )
            elif len(inverse.get(expanded, ())) > 1 and key not in self._known.get(expanded, ()):
                self._ambiguous(path, key, expanded)

    @staticmethod
    def _harmless_merge(element: _Node, expanded_keys: Mapping[str, Any]) -> bool:
        """A node with the document's ``@id`` that only restates it and adds unchecked types."""
        if not set(expanded_keys.values()) <= {"@id", "@type"}:
            return False
        for key, expanded in expanded_keys.items():
            if expanded == "@type":
                value = element[key]
                names = value if isinstance(value, list) else [value]
                if any(name in CHECKED_TYPE_NAMES for name in names):
                    return False
        return True

    @staticmethod
    def _items(path: tuple[PathPart, ...], value: Any) -> list[tuple[tuple[PathPart, ...], Any]]:
        if isinstance(value, list):
            return [((*path, index), item) for index, item in enumerate(value)]
        return [(path, value)]

    def _check_iri_unchanged(self, ctx: Any, value: Any, path: tuple[PathPart, ...]) -> None:
        for item_path, item in self._items(path, value):
            if not isinstance(item, str) or not _is_absolute_iri(item):
                continue
            expanded = self._expand_iri(ctx, item, vocab=False)
            if isinstance(expanded, str) and expanded != item:
                self._problems.add(
                    "rewritten_iri",
                    item_path,
                    item,
                    f"{item!r} at {_format_path(item_path)} is read by JSON-LD as {expanded!r} "
                    "(a prefix of the context rewrites it); checks read it as written",
                )

    def _check_vocab_iri(self, ctx: Any, item: Any, path: tuple[PathPart, ...]) -> None:
        if not isinstance(item, str):
            return
        expanded = self._expand_iri(ctx, item, vocab=True)
        terms = terms_by_iri(ctx["mappings"]).get(expanded) if isinstance(expanded, str) else None
        if item in ctx["mappings"]:
            if terms and len(terms) > 1 and item not in self._known.get(str(expanded), ()):
                self._ambiguous(path, item, str(expanded))
            return
        if terms:
            self._problems.add(
                "non_compact_iri",
                path,
                item,
                f"{item!r} at {_format_path(path)} is written as an IRI; the context names it "
                f"{terms[0]!r}, which is what checks read",
            )

    def _check_value_object(
        self,
        active_ctx: Any,
        active_property: Any,
        element: _Node,
        expanded_keys: Mapping[str, Any],
    ) -> None:
        get = _pyld.JsonLdProcessor.get_context_value
        coerced = False
        if isinstance(active_property, str) and not active_property.startswith("@"):
            mapping = active_ctx["mappings"].get(active_property)
            coerced = get(active_ctx, active_property, "@type") not in (None, "@none") or (
                isinstance(mapping, Mapping) and ("@language" in mapping or "@direction" in mapping)
            )
        only_value = set(expanded_keys.values()) <= {"@value", "@index"}
        if coerced or only_value:
            why = (
                f"the context gives {active_property!r} its type or language"
                if coerced
                else "it holds nothing but @value"
            )
            self._problems.add(
                "value_object",
                element.path,
                str(active_property),
                f"the value object at {_format_path(element.path)} is not the compact form: "
                f"{why}, so the plain value is what checks read",
            )

    def _check_keys(self, active_ctx: Any, element: _Node, type_ctx: Any) -> None:
        literal, datatype = element.get("@value"), element.get("@type")
        if isinstance(literal, str) and isinstance(datatype, str):
            if self._expand_iri(active_ctx, datatype, vocab=True) == _pyld.XSD_DOUBLE:
                self._check_double_string("@value", literal, (*element.path, "@value"))
        for key, value in element.items():
            if key == "@context":
                continue
            path = (*element.path, key)
            expanded = self._expand_iri(active_ctx, key, vocab=True)
            if expanded is None:
                if _KEYWORD_LIKE.match(key):
                    self._problems.add(
                        "reserved_term",
                        path,
                        key,
                        f"key {key!r} at {_format_path(path)} looks like a JSON-LD keyword but "
                        "is not one; JSON-LD processors drop it",
                    )
                else:
                    self._problems.add(
                        "undefined_term",
                        path,
                        key,
                        f"term {key!r} at {_format_path(path)} is mapped to null by the active "
                        "@context, so JSON-LD processors drop it",
                    )
            elif expanded in _KEYWORDS:
                if expanded == "@id":
                    self._check_iris(active_ctx, value, path, kind="relative_id", vocab=False)
                elif expanded == "@type":
                    self._check_iris(type_ctx, value, path, kind="relative_type", vocab=True)
            elif self._scalars_in_graph_container(active_ctx, key, value, path):
                pass
            elif expanded.startswith("_:"):
                self._problems.add(
                    "blank_node_property",
                    path,
                    key,
                    f"key {key!r} at {_format_path(path)} expands to the blank node "
                    f"{expanded!r}; RDF properties cannot be blank nodes, so it is dropped",
                )
            elif not _is_absolute_iri(expanded):
                if expanded == key:
                    self._problems.add(
                        "undefined_term",
                        path,
                        key,
                        f"undefined term {key!r} at {_format_path(path)}: no active @context "
                        "defines it, so JSON-LD processors drop it silently (define it in a "
                        "context, or use a defined term)",
                    )
                else:
                    self._problems.add(
                        "relative_property_iri",
                        path,
                        key,
                        f"key {key!r} at {_format_path(path)} expands to the relative IRI "
                        f"{expanded!r}; only absolute IRIs can be properties, so it is dropped",
                    )

    def _scalars_in_graph_container(
        self, active_ctx: Any, key: str, value: Any, path: tuple[PathPart, ...]
    ) -> bool:
        """Flag strings, numbers and booleans given to a ``@graph`` container term.

        Such a value becomes an empty named graph: JSON-LD processors keep no trace of it, so
        it would not be signed (e.g. a VC-JWT string in a presentation's
        ``verifiableCredential`` under an RDF proof). Returns whether anything was flagged.
        """
        container = _pyld.JsonLdProcessor.get_context_value(active_ctx, key, "@container")
        if "@graph" not in _pyld.JsonLdProcessor.arrayify(container or []):
            return False
        items = value if isinstance(value, list) else [value]
        flagged = False
        for index, item in enumerate(items):
            if isinstance(item, dict) and not item:
                where = (*path, index) if isinstance(value, list) else path
                self._problems.add(
                    "graph_empty_object",
                    where,
                    "{}",
                    f"{key!r} at {_format_path(where)} is a graph container holding an empty "
                    "object: it makes an empty named graph, which jsonld.js refuses in safe mode "
                    "and drops otherwise, so the signatures would differ; leave it out",
                )
                flagged = True
            elif isinstance(item, str | int | float | bool):
                where = (*path, index) if isinstance(value, list) else path
                self._problems.add(
                    "graph_scalar_dropped",
                    where,
                    str(item)[:60],
                    f"{key!r} at {_format_path(where)} is a graph container and holds objects; "
                    "JSON-LD processors drop this value, so it would not be signed (embed the "
                    "credential as an object, or use an EnvelopedVerifiableCredential)",
                )
                flagged = True
        return flagged

    def _check_iris(
        self, ctx: Any, value: Any, path: tuple[PathPart, ...], *, kind: str, vocab: bool
    ) -> None:
        items = (
            [(path, value)]
            if not isinstance(value, list)
            else [((*path, index), item) for index, item in enumerate(value)]
        )
        for item_path, item in items:
            if isinstance(item, str) and self._relative(ctx, item, vocab=vocab):
                if kind == "relative_type":
                    message = (
                        f"@type value {item!r} at {_format_path(item_path)} is neither a term "
                        "defined by the active @context nor an absolute IRI; pyld would resolve "
                        "it against the document base, other processors reject it"
                    )
                else:
                    message = (
                        f"@id value {item!r} at {_format_path(item_path)} is a relative IRI "
                        "reference; pyld would resolve it against the document base, other "
                        "processors reject it (use an absolute IRI such as urn:uuid:...)"
                    )
                self._problems.add(kind, item_path, item, message)

    def _check_value(self, active_ctx: Any, active_property: str, value: str) -> None:
        expanded_property = self._expand_iri(active_ctx, active_property, vocab=True)
        if expanded_property in ("@id", "@type"):
            vocab = expanded_property == "@type"
        else:
            type_ = _pyld.JsonLdProcessor.get_context_value(active_ctx, active_property, "@type")
            if type_ == "@id" or expanded_property == "@graph":
                vocab = False
            elif type_ == "@vocab":
                vocab = True
            else:
                return
        if not self._relative(active_ctx, value, vocab=vocab):
            if vocab:
                self._check_vocab_iri(active_ctx, value, self._value_path(active_property, value))
            else:
                self._check_iri_unchanged(
                    active_ctx, value, self._value_path(active_property, value)
                )
            return
        path = self._value_path(active_property, value)
        hint = "neither a term of its vocabulary nor an absolute IRI" if vocab else "a relative IRI"
        self._problems.add(
            "relative_iri_value",
            path,
            value,
            f"value {value!r} of {active_property!r} at {_format_path(path)} is {hint}; "
            f"{active_property!r} takes IRIs, and pyld would resolve it against the document "
            "base while other processors reject it",
        )

    def _value_path(self, key: str, value: str) -> tuple[PathPart, ...]:
        if not self._stack:
            return (key,)
        element = self._stack[-1]
        if key in element:
            held = element[key]
            if isinstance(held, list):
                for index, item in enumerate(held):
                    if item == value:
                        return (*element.path, key, index)
            return (*element.path, key)
        return (*element.path, key)


# --- public API -----------------------------------------------------------------------------------


MAX_DEPTH: Final = 64
"""Deepest nesting of objects and arrays pyld is given (the service reads no deeper either)."""
MAX_VALUES: Final = 100_000
"""Most JSON values (objects, arrays, strings, numbers, booleans, nulls) in one document."""
MAX_ARRAY_LENGTH: Final = 1_000
"""Longest array. pyld merges the nodes of an array pairwise (quadratic): 10,000 subjects
took 30 s."""
MAX_ARRAY_WORK: Final = 1_000_000
"""Bound on the sum, over all arrays, of the square of the number of objects in each: the
work pyld's node map does: just under 1,000 objects in one array, or 100 arrays of 100."""


def check_size(doc: Any) -> None:
    """Refuse a document too large for JSON-LD processing, before any expansion.

    pyld's expansion and node map are quadratic in the length of an array of objects, so
    without a bound a 570 KB credential held a CPU for 99 s. The walk is iterative and
    linear, and stops at the first limit crossed.

    Args:
        doc: The JSON document.

    Raises:
        JsonLdError: code ``jsonld_too_large``; ``details["limit"]`` names the limit
            (``depth``, ``values``, ``array_length``, ``array_work``) and
            ``details["maximum"]`` gives its value.

    Example:
        >>> check_size({"credentialSubject": [{"id": f"did:example:{i}"} for i in range(2000)]})
        Traceback (most recent call last):
        mcbadge.errors.JsonLdError: the JSON-LD document has an array of 2000 elements; ...
    """
    values = 0
    work = 0
    stack: list[tuple[Any, int]] = [(doc, 1)]
    while stack:
        value, depth = stack.pop()
        values += 1
        if values > MAX_VALUES:
            raise _too_large("values", MAX_VALUES, f"more than {MAX_VALUES} JSON values")
        if isinstance(value, Mapping):
            children: Any = value.values()
        elif isinstance(value, list | tuple):
            if len(value) > MAX_ARRAY_LENGTH:
                raise _too_large(
                    "array_length",
                    MAX_ARRAY_LENGTH,
                    f"an array of {len(value)} elements",
                )
            objects = sum(1 for item in value if isinstance(item, Mapping))
            work += objects * objects
            if work > MAX_ARRAY_WORK:
                raise _too_large(
                    "array_work",
                    MAX_ARRAY_WORK,
                    "too many objects in its arrays (the sum of the squares of their counts "
                    f"is over {MAX_ARRAY_WORK})",
                )
            children = value
        else:
            continue
        if depth >= MAX_DEPTH and any(isinstance(c, Mapping | list | tuple) for c in children):
            raise _too_large("depth", MAX_DEPTH, f"objects or arrays nested over {MAX_DEPTH} deep")
        stack.extend((child, depth + 1) for child in children)


def _too_large(limit: str, maximum: int, what: str) -> JsonLdError:
    return JsonLdError(
        f"the JSON-LD document has {what}; the limit is {maximum} ({limit}), so it is not "
        "processed",
        code="jsonld_too_large",
        limit=limit,
        maximum=maximum,
    )


def _prepare(doc: Any, problems: _Problems | None) -> Any:
    if not isinstance(doc, Mapping | list | tuple):
        raise InvalidInputError(
            f"a JSON-LD document must be a JSON object or array, not {type(doc).__name__}"
        )
    check_size(doc)
    return _annotate(doc, (), problems)


def _raise_if_problems(problems: _Problems) -> None:
    items = problems.items
    if not items:
        return
    count = len(items)
    shown = [item["message"] for item in items[:_MESSAGE_PROBLEM_LIMIT]]
    more = count - len(shown)
    if all(item["kind"] in COMPACT_KINDS for item in items):
        message = (
            "the document is not in the compact form of its own contexts "
            f"({count} problem{'s' if count != 1 else ''}): "
            + "; ".join(shown)
            + (f"; and {more} more" if more else "")
        )
        raise NonCompactJsonLdError(message, problems=items)
    message = (
        f"the document is not strict JSON-LD ({count} problem{'s' if count != 1 else ''}): "
        + "; ".join(shown)
        + (f"; and {more} more" if more else "")
    )
    raise StrictJsonLdError(message, problems=items)


def _run(doc: Any, loader: LoaderLike | None, *, strict: bool, to_rdf: bool) -> Any:
    problems = _Problems()
    prepared = _prepare(doc, problems if strict else None)
    processor = (
        _StrictProcessor(problems, _known_names(loader)) if strict else _pyld.JsonLdProcessor()
    )
    result = _process(processor, prepared, loader, to_rdf=to_rdf)
    if strict:
        _raise_if_problems(problems)
    return result


def _known_names(loader: LoaderLike | None) -> Mapping[str, frozenset[str]]:
    """The names the offline contexts give each IRI (:func:`mcbadge.jsonld.fastrdf.known_names`)."""
    from mcbadge.jsonld.fastrdf import known_names

    return known_names(loader)


def _proven_strict(doc: Any, loader: LoaderLike | None) -> bool:
    """Whether :mod:`mcbadge.jsonld.fastrdf` shows ``doc`` strict (and acceptable to pyld) in
    one walk over cached contexts; when it cannot, pyld runs the full check and lists them."""
    if loader is not None and not isinstance(loader, DocumentLoader):
        return False
    return proves_strict(doc, loader=loader)


def strict_problems(
    doc: Mapping[str, Any] | list[Any], *, loader: LoaderLike | None = None
) -> list[dict[str, Any]]:
    """Return the strict-mode problems of ``doc`` without raising for them.

    Args:
        doc: The JSON-LD document (not modified).
        loader: The document loader; default :func:`mcbadge.jsonld.loader.default_loader`.

    Returns:
        One ``{"kind", "term", "path", "message"}`` dict per problem, ordered by path;
        empty when the document is strict. Kinds: ``undefined_term``, ``reserved_term``,
        ``relative_property_iri``, ``blank_node_property``, ``relative_type``, ``relative_id``,
        ``relative_iri_value``, ``relative_vocab``, ``unsafe_number``, ``graph_scalar_dropped``.

    Raises:
        InvalidContextError: If a context is malformed (e.g. the educredential context).
        DocumentLoaderError: If a context cannot be loaded.
        JsonLdError: If the document is not valid JSON-LD at all.
        InvalidInputError: If ``doc`` is not JSON.

    Example:
        >>> from mcbadge.jsonld import strict_problems
        >>> doc = {"@context": ["https://www.w3.org/ns/credentials/v2"], "colour": "blue"}
        >>> [p["kind"] for p in strict_problems(doc)]
        ['undefined_term']
    """
    if _proven_strict(doc, loader):
        return []
    problems = _Problems()
    prepared = _prepare(doc, problems)
    _process(_StrictProcessor(problems, _known_names(loader)), prepared, loader, to_rdf=False)
    return problems.items


def check_strict(doc: Mapping[str, Any] | list[Any], *, loader: LoaderLike | None = None) -> None:
    """Refuse a document that JSON-LD safe mode would refuse (see the module docstring).

    Args:
        doc: The JSON-LD document (not modified).
        loader: The document loader; default :func:`mcbadge.jsonld.loader.default_loader`.

    Raises:
        StrictJsonLdError: Listing every undefined term, relative IRI and unsafe number with
            its JSON path (``problems`` holds them as dicts).
        InvalidContextError: If a context is malformed (e.g. the educredential context).
        DocumentLoaderError: If a context cannot be loaded.
        JsonLdError: If the document is not valid JSON-LD at all.
        InvalidInputError: If ``doc`` is not JSON.

    Example:
        >>> from mcbadge.jsonld import check_strict
        >>> check_strict({"@context": ["https://www.w3.org/ns/credentials/v2"],
        ...               "type": ["VerifiableCredential", "Bogus"]})
        Traceback (most recent call last):
        mcbadge.errors.StrictJsonLdError: ...
    """
    if _proven_strict(doc, loader):
        return
    _run(doc, loader, strict=True, to_rdf=False)


def expand(
    doc: Mapping[str, Any] | list[Any],
    *,
    loader: LoaderLike | None = None,
    strict: bool = True,
) -> list[Any]:
    """Expand a JSON-LD document with pyld (offline by default).

    Args:
        doc: The JSON-LD document (not modified).
        loader: The document loader; default :func:`mcbadge.jsonld.loader.default_loader`.
        strict: Run :func:`check_strict` in the same pass (default) and raise on problems.

    Returns:
        The expanded document (a list of node objects).

    Raises:
        StrictJsonLdError: If ``strict`` and the document has safe-mode problems.
        InvalidContextError: If a context is malformed (e.g. the educredential context).
        DocumentLoaderError: If a context cannot be loaded.
        JsonLdError: For any other JSON-LD processing error.
        InvalidInputError: If ``doc`` is not JSON.

    Example:
        >>> from mcbadge.jsonld import expand
        >>> expand({"@context": {"name": "https://schema.org/name"}, "name": "x"})
        [{'https://schema.org/name': [{'@value': 'x'}]}]
    """
    result: list[Any] = _run(doc, loader, strict=strict, to_rdf=False)
    return result


def to_rdf_dataset(
    doc: Mapping[str, Any] | list[Any],
    *,
    loader: LoaderLike | None = None,
    strict: bool = True,
) -> dict[str, list[dict[str, Any]]]:
    """Convert a JSON-LD document to pyld's RDF dataset dict (input to ``mcbadge.canon``).

    Args:
        doc: The JSON-LD document (not modified).
        loader: The document loader; default :func:`mcbadge.jsonld.loader.default_loader`.
        strict: Run :func:`check_strict` in the same pass (default) and raise on problems.

    Returns:
        ``{graph name: [{"subject": ..., "predicate": ..., "object": ...}, ...]}`` with
        ``"@default"`` for the default graph, as ``pyld.jsonld.to_rdf`` returns it.

    Raises:
        StrictJsonLdError: If ``strict`` and the document has safe-mode problems.
        InvalidContextError: If a context is malformed (e.g. the educredential context).
        DocumentLoaderError: If a context cannot be loaded.
        JsonLdError: For any other JSON-LD processing error.
        InvalidInputError: If ``doc`` is not JSON.

    Example:
        >>> from mcbadge.jsonld import to_rdf_dataset
        >>> ds = to_rdf_dataset({"@context": {"name": "https://schema.org/name"},
        ...                      "@id": "urn:x", "name": "x"})
        >>> ds["@default"][0]["predicate"]["value"]
        'https://schema.org/name'
    """
    result: dict[str, list[dict[str, Any]]] = _run(doc, loader, strict=strict, to_rdf=True)
    return result
