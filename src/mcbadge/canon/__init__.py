"""Canonicalization: RDFC-1.0 (RDF Dataset Canonicalization) and JCS (RFC 8785).

RDFC-1.0 is written from the W3C Recommendation and passes the W3C test suite byte for byte
(eval, issued-identifier-map and negative tests). It is *bounded*: the Hash N-Degree Quads
algorithm counts its work (one unit per call and one per permutation it tries) and raises
:class:`~mcbadge.errors.CanonicalizationLimitError` when a dataset needs more than
``max_work`` units, so a "poison" blank-node graph fails fast instead of running for hours.
Recursion is capped at :data:`MAX_RECURSION_DEPTH` levels as well.

The canonical N-Quads escaping follows RDFC-1.0 (``\\b``, ``\\f``, ``\\u000B``... in
literals), unlike pyld's own serializer, which writes control characters raw.

Where each part lives (every name is imported from here, the documented path):
:mod:`~mcbadge.canon.rdfc` (RDFC-1.0), :mod:`~mcbadge.canon.pyld_dataset` (pyld datasets to
quads, canonicalized) and :mod:`~mcbadge.canon.jsoncanon` (JCS); the N-Quads terms come from
:mod:`mcbadge._internal.nquads`. The package is a primitive: it may import
:mod:`mcbadge.errors` and :mod:`mcbadge._internal` only.

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

from mcbadge._internal.nquads import (
    IRI,
    BlankNode,
    Literal,
    Quad,
    Term,
    parse_nquads,
    serialize_nquads,
)
from mcbadge.canon.jsoncanon import MAX_JSON_DEPTH as MAX_JSON_DEPTH
from mcbadge.canon.jsoncanon import jcs
from mcbadge.canon.pyld_dataset import canonicalize_pyld_dataset, quads_from_pyld_dataset
from mcbadge.canon.rdfc import (
    DEFAULT_MAX_WORK,
    HASH_ALGORITHMS,
    MAX_RECURSION_DEPTH,
    CanonicalResult,
    rdfc10,
    rdfc10_quads,
)

# the JSON-LD fast path (mcbadge.jsonld.fastrdf) canonicalizes its own quads with it
from mcbadge.canon.rdfc import _canonicalize as _canonicalize

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
