"""RDFC-1.0, the W3C RDF Dataset Canonicalization, bounded.

Written from the W3C Recommendation and passing its test suite byte for byte (eval,
issued-identifier-map and negative tests): :func:`rdfc10` and :func:`rdfc10_quads` give the
canonical N-Quads and the issued blank-node identifiers (:class:`CanonicalResult`). The Hash
N-Degree Quads algorithm counts its work (one unit per call and per permutation tried) and
raises :class:`~mcbadge.errors.CanonicalizationLimitError` past ``max_work``
(:data:`DEFAULT_MAX_WORK`), and recursion stops at :data:`MAX_RECURSION_DEPTH`, so a poison
blank-node graph fails fast. Canonical N-Quads escaping follows RDFC-1.0.

May import: :mod:`mcbadge._internal.nquads`, :mod:`mcbadge.errors`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from mcbadge._internal.nquads import (
    Quad,
    StrQuad,
    parse_nquads,
    parse_nquads_strings,
    quad_to_strings,
)
from mcbadge.errors import CanonicalizationError, CanonicalizationLimitError, InvalidInputError

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


# Hash First Degree Quads depends only on the algorithm, the node and its quads: remembered
# across runs (a cohort's credentials share most of their blank nodes: the alignments of one
# achievement), bounded.
_FIRST_DEGREE: dict[tuple[str, str, tuple[StrQuad, ...]], str] = {}
_FIRST_DEGREE_MAX = 4096


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
        quads = self.bnode_quads[node]
        key = (self.algorithm, node, tuple(quads))
        known = _FIRST_DEGREE.get(key)
        if known is not None:
            self.first_degree[node] = known
            return known
        lines = []
        for s, p, o, g in quads:
            if s[0] == "_":
                s = "_:a" if s == node else "_:z"
            if o[0] == "_":
                o = "_:a" if o == node else "_:z"
            if g[:1] == "_":
                g = "_:a" if g == node else "_:z"
            lines.append(f"{s} {p} {o} {g} .\n" if g else f"{s} {p} {o} .\n")
        lines.sort()
        result = self.first_degree[node] = self._hash("".join(lines))
        if len(_FIRST_DEGREE) >= _FIRST_DEGREE_MAX:
            _FIRST_DEGREE.clear()
        _FIRST_DEGREE[key] = result
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
