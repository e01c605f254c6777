"""From a pyld RDF dataset to quads, and its canonical form.

pyld's ``to_rdf`` gives a dataset of dicts; :func:`quads_from_pyld_dataset` turns it into
:class:`~mcbadge._internal.nquads.Quad` s, checking the shape of every term (a term that is
not a string, a blank node without ``_:``, a predicate that is not an IRI, a language tag
without ``rdf:langString`` is a :class:`~mcbadge.errors.CanonicalizationError` naming where),
and :func:`canonicalize_pyld_dataset` canonicalizes it with RDFC-1.0.

May import: :mod:`mcbadge.canon.rdfc`, :mod:`mcbadge._internal.nquads`, :mod:`mcbadge.errors`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mcbadge._internal.nquads import (
    RDF_LANGSTRING,
    XSD_STRING,
    Quad,
    StrQuad,
    bnode_to_nquads,
    escape_literal,
    iri_to_nquads,
    literal_to_nquads,
    quad_from_strings,
)
from mcbadge.canon.rdfc import (
    DEFAULT_MAX_WORK,
    CanonicalResult,
    _canonicalize,
    _check_max_work,
    _resolve_hash,
)
from mcbadge.errors import CanonicalizationError


def _pyld_error(message: str, where: str) -> CanonicalizationError:
    return CanonicalizationError(
        f"malformed pyld RDF dataset at {where}: {message}",
        code="canonicalization_bad_dataset",
        where=where,
    )


# Serialized (and checked) IRIs, shared between calls: vocabulary IRIs repeat in every
# credential. Only valid IRIs are stored; the cache is simply emptied when it grows too big.
_IRI_CACHE: dict[str, str] = {}


_IRI_CACHE_SIZE = 8192


class _BadTerm(Exception):
    """Internal: a pyld term has the wrong shape (the caller adds where it is)."""


def _pyld_strquads(dataset: Mapping[str, Any]) -> list[StrQuad]:
    """Convert a ``pyld.jsonld.to_rdf`` dataset to serialized quads (the fast path)."""
    if not isinstance(dataset, Mapping):
        raise _pyld_error(
            f"expected a dict of graph name to triples, got {type(dataset).__name__} "
            "(call pyld.jsonld.to_rdf without the 'format' option)",
            "dataset",
        )
    iris = _IRI_CACHE
    if len(iris) > _IRI_CACHE_SIZE:
        iris.clear()
    bnodes: dict[str, str] = {}
    literals: dict[tuple[str, str, str | None], str] = {}

    def resource(kind: Any, value: Any) -> str:
        if kind == "IRI":
            text = iris.get(value)
            if text is None:
                if not isinstance(value, str):
                    raise _BadTerm(f"an IRI value must be a string, got {value!r}")
                text = iris[value] = iri_to_nquads(value)
            return text
        if kind == "blank node":
            text = bnodes.get(value)
            if text is None:
                if not isinstance(value, str) or not value.startswith("_:"):
                    raise _BadTerm(f"a blank node value must be a string '_:label', got {value!r}")
                text = bnodes[value] = bnode_to_nquads(value[2:])
            return text
        raise _BadTerm(f"expected an IRI or a blank node, got the term type {kind!r}")

    def literal(term: Mapping[str, Any]) -> str:
        value = term["value"]
        datatype = term.get("datatype") or XSD_STRING
        language = term.get("language")
        key = (value, datatype, language)
        text = literals.get(key)
        if text is None:
            if not isinstance(value, str) or not isinstance(datatype, str):
                raise _BadTerm("a literal's value and datatype must be strings")
            if language is not None:
                if not isinstance(language, str) or datatype != RDF_LANGSTRING:
                    raise _BadTerm(
                        f"a literal with a language tag must have a string language and the "
                        f"datatype rdf:langString, got {language!r} and {datatype!r}"
                    )
                text = literal_to_nquads(value, datatype, language)
            elif datatype == XSD_STRING:
                text = '"' + escape_literal(value) + '"'
            else:
                dt = iris.get(datatype) or resource("IRI", datatype)
                text = '"' + escape_literal(value) + '"^^' + dt
            literals[key] = text
        return text

    out: list[StrQuad] = []
    append = out.append
    for graph_name, triples in dataset.items():
        position = "graph name"
        index = -1
        try:
            if graph_name == "@default":
                g = ""
            elif isinstance(graph_name, str) and graph_name.startswith("_:"):
                g = resource("blank node", graph_name)
            else:
                g = resource("IRI", graph_name)
            if not isinstance(triples, list):
                raise _BadTerm(f"expected a list of triples, got {type(triples).__name__}")
            for index in range(len(triples)):
                triple = triples[index]
                # The cache look-ups are inlined: this loop is the signing hot path.
                position = "subject"
                term = triple["subject"]
                kind, value = term["type"], term["value"]
                if kind == "IRI":
                    s = iris.get(value) or resource(kind, value)
                else:
                    s = (kind == "blank node" and bnodes.get(value)) or resource(kind, value)
                position = "predicate"
                term = triple["predicate"]
                if term["type"] != "IRI":
                    raise _BadTerm("a predicate must be an IRI")
                value = term["value"]
                p = iris.get(value) or resource("IRI", value)
                position = "object"
                term = triple["object"]
                kind = term["type"]
                if kind == "literal":
                    o = literal(term)
                elif kind == "IRI":
                    value = term["value"]
                    o = iris.get(value) or resource(kind, value)
                else:
                    value = term["value"]
                    o = (kind == "blank node" and bnodes.get(value)) or resource(kind, value)
                append((s, p, o, g))
        except (_BadTerm, TypeError, KeyError, AttributeError) as exc:
            where = f"graph {graph_name!r}"
            if index >= 0:
                where += f", triple {index} ({position})"
            if isinstance(exc, _BadTerm):
                detail = str(exc)
            elif isinstance(exc, KeyError):
                detail = f"missing field {exc}"
            else:
                detail = f"malformed term ({exc})"
            raise _pyld_error(detail, where) from exc
    return out


def quads_from_pyld_dataset(dataset: Mapping[str, Any]) -> list[Quad]:
    """Convert the dataset ``pyld.jsonld.to_rdf(doc, options)`` returns into quads.

    ``dataset`` maps a graph name (``"@default"``, an IRI or ``"_:b3"``) to a list of
    ``{"subject": ..., "predicate": ..., "object": ...}`` triples whose terms are
    ``{"type": "IRI" | "blank node" | "literal", "value": ..., "datatype"?, "language"?}``.

    Args:
        dataset: The pyld dataset (call ``to_rdf`` *without* the ``format`` option).

    Returns:
        The quads (blank nodes keep pyld's labels, e.g. ``BlankNode("b0")``).

    Raises:
        CanonicalizationError: The dataset does not have pyld's structure, or a term cannot be
            written in canonical N-Quads.

    Example:
        >>> ds = {"@default": [{"subject": {"type": "blank node", "value": "_:b0"},
        ...     "predicate": {"type": "IRI", "value": "urn:p"},
        ...     "object": {"type": "literal", "value": "x", "datatype": "urn:dt"}}]}
        >>> quads_from_pyld_dataset(ds)[0].object
        Literal(value='x', datatype='urn:dt', language=None)
    """
    return [quad_from_strings(q) for q in _pyld_strquads(dataset)]


def canonicalize_pyld_dataset(
    dataset: Mapping[str, Any],
    *,
    hash_algorithm: str = "sha256",
    max_work: int | None = DEFAULT_MAX_WORK,
) -> CanonicalResult:
    """Canonicalize the dataset ``pyld.jsonld.to_rdf(doc, options)`` returns with RDFC-1.0.

    This is the signing hot path: terms go straight from pyld's dicts to canonical N-Quads
    text, with RDFC-1.0 escaping (pyld's own N-Quads writer leaves control characters raw).

    Args:
        dataset: The pyld dataset (``to_rdf`` without the ``format`` option).
        hash_algorithm: ``"sha256"`` (default) or ``"sha384"``.
        max_work: The Hash N-Degree Quads work budget, or ``None`` for no limit.

    Returns:
        The canonical result; ``issued`` is keyed by pyld's labels (``"b0"``...).

    Raises:
        CanonicalizationError: The dataset is malformed or a term cannot be written.
        CanonicalizationLimitError: The work budget or the recursion limit was exceeded.
        InvalidInputError: ``hash_algorithm`` or ``max_work`` is not acceptable.

    Example:
        >>> ds = {"@default": [{"subject": {"type": "IRI", "value": "urn:s"},
        ...     "predicate": {"type": "IRI", "value": "urn:p"},
        ...     "object": {"type": "literal", "value": "a\\bb",
        ...                "datatype": "http://www.w3.org/2001/XMLSchema#string"}}]}
        >>> canonicalize_pyld_dataset(ds).nquads
        '<urn:s> <urn:p> "a\\\\bb" .\\n'
    """
    _resolve_hash(hash_algorithm)
    _check_max_work(max_work)
    return _canonicalize(_pyld_strquads(dataset), hash_algorithm, max_work)
