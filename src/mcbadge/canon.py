"""Canonicalization: RDFC-1.0 (RDF Dataset Canonicalization) and JCS (RFC 8785).

RDFC-1.0 is written from the W3C Recommendation and passes the W3C test suite byte for byte
(eval, issued-identifier-map and negative tests). It is *bounded*: the Hash N-Degree Quads
algorithm counts its work (one unit per call and one per permutation it tries) and raises
:class:`~mcbadge.errors.CanonicalizationLimitError` when a dataset needs more than
``max_work`` units, so a "poison" blank-node graph fails fast instead of running for hours.
Recursion is capped at :data:`MAX_RECURSION_DEPTH` levels as well.

The canonical N-Quads escaping follows RDFC-1.0 (``\\b``, ``\\f``, ``\\u000B``... in
literals), unlike pyld's own serializer, which writes control characters raw.

Example:
    >>> result = rdfc10('_:x <urn:p> "hi" .\\n_:y <urn:q> _:x .\\n')
    >>> print(result.nquads, end="")
    _:c14n0 <urn:q> _:c14n1 .
    _:c14n1 <urn:p> "hi" .
    >>> result.issued
    {'y': 'c14n0', 'x': 'c14n1'}
    >>> jcs({"b": 1.0, "a": [1e21, -0.0, "é"]})
    b'{"a":[1e+21,0,"\\xc3\\xa9"],"b":1}'
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from mcbadge._internal.nquads import (
    IRI,
    RDF_LANGSTRING,
    XSD_STRING,
    BlankNode,
    Literal,
    Quad,
    StrQuad,
    Term,
    bnode_to_nquads,
    escape_literal,
    iri_to_nquads,
    literal_to_nquads,
    parse_nquads,
    parse_nquads_strings,
    quad_from_strings,
    quad_to_strings,
    serialize_nquads,
)
from mcbadge.errors import CanonicalizationError, CanonicalizationLimitError, InvalidInputError

__all__ = [
    "DEFAULT_MAX_WORK",
    "HASH_ALGORITHMS",
    "IRI",
    "MAX_RECURSION_DEPTH",
    "BlankNode",
    "CanonicalResult",
    "Literal",
    "Quad",
    "Term",
    "canonicalize_pyld_dataset",
    "jcs",
    "parse_nquads",
    "quads_from_pyld_dataset",
    "rdfc10",
    "rdfc10_quads",
    "serialize_nquads",
]

DEFAULT_MAX_WORK = 20_000
"""Default work budget of Hash N-Degree Quads (calls + permutations tried).

Credentials need none or a few dozen units (the complete OB3 spec example, with four embedded
proofs in blank-node graphs, needs 40); the hardest "computable poison" graphs of the W3C suite
(tests 044-046) need 3 348; the W3C 10-node clique (test 074) would need many millions and is
stopped after 20 000 units, roughly 50-100 ms. Two identical blank-node chains of length n need
about 6·n² units, so they are accepted up to n ≈ 55. Pass ``max_work=None`` (trusted input
only) or a larger budget for unusual data.
"""

MAX_RECURSION_DEPTH = 200
"""Maximum nesting of Hash N-Degree Quads calls (a chain of look-alike blank nodes)."""

HASH_ALGORITHMS: dict[str, Callable[[bytes], Any]] = {
    "sha256": hashlib.sha256,
    "sha384": hashlib.sha384,
}
"""The hash functions RDFC-1.0 may be run with (SHA-256 is the default)."""


# --------------------------------------------------------------------------------------------
# Result
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CanonicalResult:
    """The outcome of RDFC-1.0.

    Attributes:
        nquads: The canonical N-Quads document: sorted statements, each ending in ``"\\n"``.
        issued: The issued identifiers map: input blank node label (without ``_:``) to its
            canonical label (``"c14n0"``...), in order of issue.
        hash_algorithm: The hash algorithm used (``"sha256"`` or ``"sha384"``).
        work: The Hash N-Degree Quads work spent (``0`` when every blank node was told apart
            by its first-degree hash).
        duplicates: How many statements of the input were duplicates (a dataset is a set,
            so the canonical form holds each once; rdf-canonize keeps them).

    Example:
        >>> r = rdfc10("<urn:s> <urn:p> _:b .\\n")
        >>> r.quads[0].object
        BlankNode(id='c14n0')
        >>> r.nquads.encode() == r.to_bytes()
        True
    """

    nquads: str
    issued: dict[str, str] = field(hash=False)
    hash_algorithm: str = "sha256"
    work: int = field(default=0, compare=False)
    duplicates: int = field(default=0, compare=False)

    @cached_property
    def quads(self) -> list[Quad]:
        """The canonical quads, in canonical (sorted) order."""
        return parse_nquads(self.nquads)

    def to_bytes(self) -> bytes:
        """Return the canonical N-Quads as UTF-8 bytes (what a proof hashes).

        Raises:
            CanonicalizationError: ``rdfc_invalid_unicode``: a literal or IRI holds a lone
                surrogate (``"\\ud800"``), which is not Unicode text and has no UTF-8 form.
        """
        try:
            return self.nquads.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise CanonicalizationError(
                "RDFC-1.0: a literal or IRI holds a lone surrogate "
                f"(U+{ord(self.nquads[exc.start]):04X}), which is not valid Unicode",
                code="rdfc_invalid_unicode",
            ) from None


# --------------------------------------------------------------------------------------------
# RDFC-1.0
# --------------------------------------------------------------------------------------------


def _resolve_hash(hash_algorithm: str) -> Callable[[bytes], Any]:
    if not isinstance(hash_algorithm, str):
        raise InvalidInputError(
            f"hash_algorithm must be a string, got {type(hash_algorithm).__name__}",
            field="hash_algorithm",
        )
    name = hash_algorithm.lower().replace("-", "")
    try:
        return HASH_ALGORITHMS[name]
    except KeyError:
        raise InvalidInputError(
            f"unsupported RDFC-1.0 hash algorithm {hash_algorithm!r}; "
            f"use one of {sorted(HASH_ALGORITHMS)}",
            field="hash_algorithm",
        ) from None


def _check_max_work(max_work: int | None) -> int | None:
    if max_work is None:
        return None
    if isinstance(max_work, bool) or not isinstance(max_work, int) or max_work < 0:
        raise InvalidInputError(
            f"max_work must be a non-negative integer or None, got {max_work!r}",
            field="max_work",
        )
    return max_work


class _Canonicalizer:
    """The RDFC-1.0 canonicalization state for one run (blank nodes are ``"_:label"``)."""

    __slots__ = (
        "algorithm",
        "bnode_quads",
        "canonical",
        "first_degree",
        "hasher",
        "max_work",
        "work",
    )

    def __init__(
        self,
        hasher: Callable[[bytes], Any],
        algorithm: str,
        max_work: int | None,
    ) -> None:
        self.hasher = hasher
        self.algorithm = algorithm
        self.max_work = max_work
        self.work = 0
        self.bnode_quads: dict[str, list[StrQuad]] = {}
        self.first_degree: dict[str, str] = {}
        # The canonical issuer: an ordered map; the counter is its length.
        self.canonical: dict[str, str] = {}

    def _hash(self, text: str) -> str:
        digest: str = self.hasher(text.encode("utf-8")).hexdigest()
        return digest

    def _spend(self) -> None:
        self.work += 1
        if self.max_work is not None and self.work > self.max_work:
            raise CanonicalizationLimitError(
                f"RDFC-1.0 work limit exceeded: more than {self.max_work} Hash N-Degree Quads "
                "steps (a poison blank-node graph?); pass a larger max_work to allow it",
                max_work=self.max_work,
            )

    # -- Hash First Degree Quads (RDFC-1.0 §4.6) ----------------------------------------------

    def hash_first_degree(self, node: str) -> str:
        cached = self.first_degree.get(node)
        if cached is not None:
            return cached
        lines = []
        for s, p, o, g in self.bnode_quads[node]:
            if s[0] == "_":
                s = "_:a" if s == node else "_:z"
            if o[0] == "_":
                o = "_:a" if o == node else "_:z"
            if g[:1] == "_":
                g = "_:a" if g == node else "_:z"
            lines.append(f"{s} {p} {o} {g} .\n" if g else f"{s} {p} {o} .\n")
        lines.sort()
        result = self.first_degree[node] = self._hash("".join(lines))
        return result

    # -- Hash Related Blank Node (§4.7) ----------------------------------------------------------

    def hash_related(self, related: str, predicate: str, issuer: dict[str, str], pos: str) -> str:
        ident = self.canonical.get(related) or issuer.get(related)
        head = pos if pos == "g" else pos + predicate
        if ident is not None:
            return self._hash(head + "_:" + ident)
        return self._hash(head + self.hash_first_degree(related))

    # -- Hash N-Degree Quads (§4.8) --------------------------------------------------------------

    def hash_n_degree(
        self, node: str, issuer: dict[str, str], depth: int
    ) -> tuple[str, dict[str, str]]:
        self._spend()
        if depth > MAX_RECURSION_DEPTH:
            raise CanonicalizationLimitError(
                f"RDFC-1.0 recursion limit exceeded: Hash N-Degree Quads nested more than "
                f"{MAX_RECURSION_DEPTH} levels deep",
                max_depth=MAX_RECURSION_DEPTH,
            )
        canonical = self.canonical
        related_map: dict[str, list[str]] = {}
        for quad in self.bnode_quads[node]:
            s, p, o, g = quad
            if s[0] == "_" and s != node:
                related_map.setdefault(self.hash_related(s, p, issuer, "s"), []).append(s)
            if o[0] == "_" and o != node:
                related_map.setdefault(self.hash_related(o, p, issuer, "o"), []).append(o)
            if g[:1] == "_" and g != node:
                related_map.setdefault(self.hash_related(g, p, issuer, "g"), []).append(g)

        data_to_hash: list[str] = []
        for related_hash in sorted(related_map):
            data_to_hash.append(related_hash)
            chosen_path = ""
            chosen_issuer: dict[str, str] | None = None
            for perm in _distinct_permutations(related_map[related_hash]):
                self._spend()
                # Copy-on-write: the issuer is copied only when this path issues a new
                # temporary identifier (the spec copies always; the result is the same).
                issuer_copy = issuer
                path = ""
                recursion: list[str] = []
                skip = False
                for related in perm:
                    ident = canonical.get(related)
                    if ident is None:
                        ident = issuer_copy.get(related)
                        if ident is None:
                            if not recursion:
                                issuer_copy = issuer.copy()
                            recursion.append(related)
                            ident = issuer_copy[related] = "b" + str(len(issuer_copy))
                    path += "_:" + ident
                    if chosen_path and len(path) >= len(chosen_path) and path > chosen_path:
                        skip = True
                        break
                if skip:
                    continue
                for related in recursion:
                    result_hash, result_issuer = self.hash_n_degree(related, issuer_copy, depth + 1)
                    path += "_:" + issuer_copy[related] + "<" + result_hash + ">"
                    issuer_copy = result_issuer
                    if chosen_path and len(path) >= len(chosen_path) and path > chosen_path:
                        skip = True
                        break
                if skip:
                    continue
                if chosen_issuer is None or path < chosen_path:
                    chosen_path = path
                    chosen_issuer = issuer_copy
            data_to_hash.append(chosen_path)
            if chosen_issuer is not None:
                issuer = chosen_issuer
        return self._hash("".join(data_to_hash)), issuer

    # -- The canonicalization algorithm (§4.4) ---------------------------------------------------

    def run(self, quads: Iterable[StrQuad]) -> CanonicalResult:
        given = quads if isinstance(quads, list) else list(quads)
        unique = list(dict.fromkeys(given))  # a dataset is a set: drop duplicates, keep order
        duplicates = len(given) - len(unique)
        bnode_quads = self.bnode_quads
        # Serialized terms start with "<" (IRI), '"' (literal) or "_" (blank node); the
        # default graph is "".
        for quad in unique:
            s, _, o, g = quad
            if s[0] == "_":
                entry = bnode_quads.get(s)
                if entry is None:
                    bnode_quads[s] = [quad]
                else:
                    entry.append(quad)
            if o[0] == "_" and o != s:
                entry = bnode_quads.get(o)
                if entry is None:
                    bnode_quads[o] = [quad]
                else:
                    entry.append(quad)
            if g[:1] == "_" and g != s and g != o:
                entry = bnode_quads.get(g)
                if entry is None:
                    bnode_quads[g] = [quad]
                else:
                    entry.append(quad)

        if not bnode_quads:
            lines = [f"{s} {p} {o} {g} .\n" if g else f"{s} {p} {o} .\n" for s, p, o, g in unique]
            lines.sort()
            return CanonicalResult("".join(lines), {}, self.algorithm, 0, duplicates)

        canonical = self.canonical
        hash_to_nodes: dict[str, list[str]] = {}
        for node in bnode_quads:
            hash_to_nodes.setdefault(self.hash_first_degree(node), []).append(node)

        shared: list[list[str]] = []
        for h in sorted(hash_to_nodes):
            nodes = hash_to_nodes[h]
            if len(nodes) == 1:
                canonical[nodes[0]] = "c14n" + str(len(canonical))
            else:
                shared.append(nodes)

        for nodes in shared:
            hash_path_list: list[tuple[str, dict[str, str]]] = []
            for node in nodes:
                if node in canonical:
                    continue
                hash_path_list.append(self.hash_n_degree(node, {node: "b0"}, 1))
            hash_path_list.sort(key=_first)  # stable: ties keep identifier-list order
            for _, temp_issuer in hash_path_list:
                for existing in temp_issuer:
                    if existing not in canonical:
                        canonical[existing] = "c14n" + str(len(canonical))

        relabel = {node: "_:" + label for node, label in canonical.items()}
        lines = []
        for s, p, o, g in unique:
            if s[0] == "_":
                s = relabel[s]
            if o[0] == "_":
                o = relabel[o]
            if g:
                if g[0] == "_":
                    g = relabel[g]
                lines.append(f"{s} {p} {o} {g} .\n")
            else:
                lines.append(f"{s} {p} {o} .\n")
        lines.sort()
        return CanonicalResult(
            nquads="".join(lines),
            issued={node[2:]: label for node, label in canonical.items()},
            hash_algorithm=self.algorithm,
            work=self.work,
            duplicates=duplicates,
        )


def _distinct_permutations(items: list[str]) -> Iterator[list[str]]:
    """Yield each *distinct* ordering of ``items`` once, in lexicographic order.

    A related blank node can appear several times in one group (e.g. a blank graph name that
    is the graph of every quad of its node); repeated orderings give identical paths, so only
    distinct ones are explored. The same list object is yielded each time, updated in place.
    """
    order = sorted(items)
    yield order
    last = len(order) - 1
    while True:
        i = last - 1
        while i >= 0 and order[i] >= order[i + 1]:
            i -= 1
        if i < 0:
            return
        j = last
        while order[j] <= order[i]:
            j -= 1
        order[i], order[j] = order[j], order[i]
        order[i + 1 :] = order[:i:-1]
        yield order


def _first(item: tuple[str, dict[str, str]]) -> str:
    return item[0]


def _canonicalize(
    quads: Iterable[StrQuad], hash_algorithm: str, max_work: int | None
) -> CanonicalResult:
    hasher = _resolve_hash(hash_algorithm)
    name = hash_algorithm.lower().replace("-", "")
    return _Canonicalizer(hasher, name, _check_max_work(max_work)).run(quads)


def rdfc10(
    nquads: str,
    *,
    hash_algorithm: str = "sha256",
    max_work: int | None = DEFAULT_MAX_WORK,
) -> CanonicalResult:
    """Canonicalize an N-Quads document with RDFC-1.0.

    Args:
        nquads: The N-Quads document (blank node labels are kept in ``issued``).
        hash_algorithm: ``"sha256"`` (the RDFC-1.0 default) or ``"sha384"``.
        max_work: The Hash N-Degree Quads work budget, or ``None`` for no limit (unsafe on
            untrusted input).

    Returns:
        The canonical N-Quads, the issued identifiers map and the work spent.

    Raises:
        NQuadsSyntaxError: The document cannot be parsed (the message names the line).
        CanonicalizationLimitError: The work budget or the recursion limit was exceeded.
        CanonicalizationError: A term cannot be written in canonical form.
        InvalidInputError: ``hash_algorithm`` or ``max_work`` is not acceptable.

    Example:
        >>> rdfc10("_:e0 <urn:p> _:e1 .\\n").nquads
        '_:c14n1 <urn:p> _:c14n0 .\\n'
    """
    _resolve_hash(hash_algorithm)
    _check_max_work(max_work)
    return _canonicalize(parse_nquads_strings(nquads), hash_algorithm, max_work)


def rdfc10_quads(
    quads: Iterable[Quad],
    *,
    hash_algorithm: str = "sha256",
    max_work: int | None = DEFAULT_MAX_WORK,
) -> CanonicalResult:
    """Canonicalize a dataset given as :class:`Quad` objects with RDFC-1.0.

    Duplicate quads count once (a dataset is a set). The input is not modified.

    Args:
        quads: The quads.
        hash_algorithm: ``"sha256"`` (default) or ``"sha384"``.
        max_work: The Hash N-Degree Quads work budget, or ``None`` for no limit.

    Returns:
        The canonical result.

    Raises:
        CanonicalizationLimitError: The work budget or the recursion limit was exceeded.
        CanonicalizationError: A quad is malformed or a term cannot be written.
        InvalidInputError: ``hash_algorithm`` or ``max_work`` is not acceptable.

    Example:
        >>> q = Quad(BlankNode("x"), IRI("urn:p"), Literal("v", language="nl"))
        >>> rdfc10_quads([q, q]).nquads
        '_:c14n0 <urn:p> "v"@nl .\\n'
    """
    _resolve_hash(hash_algorithm)
    _check_max_work(max_work)
    return _canonicalize(
        [quad_to_strings(q) for q in quads], hash_algorithm=hash_algorithm, max_work=max_work
    )


# --------------------------------------------------------------------------------------------
# pyld datasets
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# JCS (RFC 8785)
# --------------------------------------------------------------------------------------------

MAX_JSON_DEPTH = 500
"""Maximum nesting of arrays/objects :func:`jcs` accepts."""

_MAX_SAFE_INTEGER = 2**53


def _es_number(value: float) -> str:
    """Format a finite float like ECMAScript ``Number.prototype.toString`` (RFC 8785 §3.2.2.3)."""
    if value == 0:
        return "0"  # also -0
    sign = "-" if value < 0 else ""
    text = repr(abs(value))  # shortest round-tripping digits, like ECMAScript
    mantissa, _, exp_text = text.partition("e")
    int_part, _, frac_part = mantissa.partition(".")
    digits = int_part + frac_part
    point = len(int_part) + (int(exp_text) if exp_text else 0)  # value = 0.digits * 10**point
    stripped = digits.lstrip("0")
    point -= len(digits) - len(stripped)
    digits = stripped.rstrip("0")
    k, n = len(digits), point
    if k <= n <= 21:
        body = digits + "0" * (n - k)
    elif 0 < n <= 21:
        body = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        body = "0." + "0" * (-n) + digits
    else:
        exponent = n - 1
        exp_str = ("+" if exponent >= 0 else "-") + str(abs(exponent))
        body = digits + "e" + exp_str if k == 1 else digits[0] + "." + digits[1:] + "e" + exp_str
    return sign + body


def _jcs_key(key: str) -> bytes:
    return key.encode("utf-16-be", "surrogatepass")


def _jcs_write(value: Any, out: list[str], path: str, depth: int) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(json.dumps(value, ensure_ascii=False))
    elif isinstance(value, int):
        if -_MAX_SAFE_INTEGER <= value <= _MAX_SAFE_INTEGER:
            out.append(str(int(value)))
        else:
            # JSON numbers are IEEE 754 doubles: a larger integer means the nearest double,
            # exactly as JSON.parse reads it (so signatures made by JavaScript still match).
            try:
                as_float = float(value)
            except OverflowError as exc:
                raise CanonicalizationError(
                    f"JCS: integer at {path} is too large for an IEEE 754 double "
                    "(RFC 8785 numbers are doubles)",
                    code="jcs_unrepresentable_number",
                    path=path,
                ) from exc
            out.append(_es_number(as_float))
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise CanonicalizationError(
                f"JCS: {value!r} at {path} is not a JSON number (NaN and Infinity are not allowed)",
                code="jcs_non_finite_number",
                path=path,
            )
        out.append(_es_number(value))
    elif isinstance(value, Mapping):
        if depth >= MAX_JSON_DEPTH:
            raise CanonicalizationError(
                f"JCS: nesting deeper than {MAX_JSON_DEPTH} levels at {path}",
                code="jcs_too_deep",
                path=path,
            )
        for key in value:
            if not isinstance(key, str):
                raise CanonicalizationError(
                    f"JCS: object key {key!r} at {path} is not a string",
                    code="jcs_bad_key",
                    path=path,
                )
        out.append("{")
        first = True
        for key in sorted(value, key=_jcs_key):
            if not first:
                out.append(",")
            first = False
            out.append(json.dumps(key, ensure_ascii=False))
            out.append(":")
            _jcs_write(value[key], out, f"{path}.{key}", depth + 1)
        out.append("}")
    elif isinstance(value, list | tuple):
        if depth >= MAX_JSON_DEPTH:
            raise CanonicalizationError(
                f"JCS: nesting deeper than {MAX_JSON_DEPTH} levels at {path}",
                code="jcs_too_deep",
                path=path,
            )
        out.append("[")
        for index, item in enumerate(value):
            if index:
                out.append(",")
            _jcs_write(item, out, f"{path}[{index}]", depth + 1)
        out.append("]")
    else:
        raise CanonicalizationError(
            f"JCS: {type(value).__name__} at {path} is not a JSON value",
            code="jcs_not_json",
            path=path,
        )


def jcs(value: Any) -> bytes:
    """Serialize a JSON value with the JSON Canonicalization Scheme (RFC 8785).

    Object members are sorted by the UTF-16 code units of their names, numbers are written as
    ECMAScript does (shortest round-trip form, ``1e+21``, ``1e-7``, ``-0`` as ``0``), strings
    use the minimal JSON escaping, and there is no whitespace. Integers beyond ±2**53 are
    written as the nearest double, as ``JSON.parse`` in JavaScript would read them.

    Args:
        value: ``dict`` (string keys), ``list``/``tuple``, ``str``, ``int``, ``float``,
            ``bool`` or ``None``, nested up to :data:`MAX_JSON_DEPTH` levels.

    Returns:
        The canonical JSON as UTF-8 bytes.

    Raises:
        CanonicalizationError: NaN or Infinity, an integer beyond the double range, a
            non-string key, a non-JSON type, a lone surrogate in a string, or too deep nesting;
            the message names the JSON path (``$.a[0]``).

    Example:
        >>> jcs({"\\u20ac": 1, "\\U0001f600": 2, "\\ufb33": 3})
        b'{"\\xe2\\x82\\xac":1,"\\xf0\\x9f\\x98\\x80":2,"\\xef\\xac\\xb3":3}'
    """
    out: list[str] = []
    _jcs_write(value, out, "$", 0)
    text = "".join(out)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise CanonicalizationError(
            f"JCS: a string contains a lone surrogate (U+{ord(text[exc.start]):04X}), "
            "which is not valid Unicode",
            code="jcs_invalid_unicode",
        ) from exc
