"""Refuse to sign RDF whose canonical form the JavaScript stack computes differently.

RDFC-1.0 is exact, and mcbadge follows the text; rdf-canonize (the digitalbazaar stack) departs
from it in two places a 14,000-document differential run found. A credential signed over such
a dataset would not verify in Node, so ``add_proof`` refuses to sign it with a typed error
that says why (``StrictJsonLdError``; the ``problems`` name the trap):

* ``canonical_order_differs`` — RDFC-1.0 sorts canonical statements (and the statements it
  hashes for blank nodes) by Unicode code point; rdf-canonize compares JavaScript strings,
  i.e. UTF-16 code units. The orders differ exactly when a character above U+FFFF (a
  surrogate pair in UTF-16) meets one in U+E000–U+FFFF. mcbadge refuses a dataset holding
  both kinds.
* ``duplicate_statement`` — two different JSON values of one property that make the same RDF
  statement (``1`` and ``"1"`` under an ``xsd:double`` term): a dataset is a set, so RDFC-1.0
  writes the statement once, while rdf-canonize writes it twice. (The same node embedded
  twice is merged by both, and is signed.)

The traps that the JSON-LD safe-mode check already refuses (string ``@value`` typed
``xsd:double``, U+FEFF and other JavaScript white space in IRIs, an empty object in a
``@graph`` container) are listed in :mod:`mcbadge.jsonld`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from mcbadge.errors import StrictJsonLdError
from mcbadge.jsonld.loader import DocumentLoader

__all__ = ["portable_canonical_nquads"]

_ASTRAL: Final = re.compile("[\U00010000-\U0010ffff]")
_HIGH_BMP: Final = re.compile("[\ue000-\uffff]")


def portable_canonical_nquads(
    document: Mapping[str, Any], *, loader: DocumentLoader | None
) -> bytes:
    """RDFC-1.0 canonical N-Quads of ``document``, refused when Node would compute others.

    Args:
        document: The JSON-LD document (without the new proof).
        loader: The JSON-LD document loader.

    Returns:
        The canonical N-Quads as UTF-8 bytes (what ``eddsa-rdfc-2022`` hashes).

    Raises:
        StrictJsonLdError: the document is not strict JSON-LD, or hits one of the traps above
            (``problems[0]["kind"]`` says which).

    Example:
        >>> portable_canonical_nquads({"@context": {"n": "urn:n"}, "n": "😀"}, loader=None)
        b'_:c14n0 <urn:n> "\\xf0\\x9f\\x98\\x80" .\\n'
    """
    from mcbadge.jsonld import fastrdf

    result = fastrdf.canonicalize(document, loader=loader, remember=False)  # walked once
    if result is None:
        from mcbadge.canon import canonicalize_pyld_dataset
        from mcbadge.jsonld import to_rdf_dataset

        result = canonicalize_pyld_dataset(to_rdf_dataset(document, loader=loader))
    text = result.nquads
    # a character above U+FFFF takes two UTF-16 code units: count them in C before
    # scanning (the regular expressions cost ~0.1 ms on a credential's 15 kB of N-Quads)
    has_astral = not text.isascii() and len(text.encode("utf-16-le")) != 2 * len(text)
    astral = _ASTRAL.search(text) if has_astral else None
    high = _HIGH_BMP.search(text) if astral is not None else None
    if astral is not None and high is not None:
        raise _refuse(
            "canonical_order_differs",
            f"the credential holds a character above U+FFFF ({_show(astral.group())}) and one "
            f"in U+E000–U+FFFF ({_show(high.group())}): RDFC-1.0 sorts by code point, the "
            "JavaScript stack (rdf-canonize) by UTF-16 code unit, so their canonical forms — "
            "and signatures — could differ; replace one of them (e.g. U+FEFF, U+FFFD, "
            "fullwidth forms or private-use characters)",
        )
    if result.duplicates:
        where = _same_literal_twice(document, "$")
        if where is not None:
            raise _refuse(
                "duplicate_statement",
                f"{where} gives one value twice in different JSON forms (e.g. 1 and '1' "
                "under an xsd:double term): both make the same RDF statement, which RDFC-1.0 "
                "writes once and the JavaScript stack (rdf-canonize) twice, so the signatures "
                "would differ; give each value once",
            )
    return text.encode("utf-8")


def _scalar(item: Any) -> Any:
    if isinstance(item, Mapping) and "@value" in item:
        return item["@value"]
    return item


def _same_value(native: Any, text: str) -> bool:
    """Whether a JSON number/boolean and a string can become the same typed literal."""
    from mcbadge._internal.numbers import PORTABLE_DOUBLE

    if isinstance(native, bool):
        return text == ("true" if native else "false")
    if PORTABLE_DOUBLE.fullmatch(text):
        try:
            return float(text) == float(native)
        except (OverflowError, ValueError):
            return False
    return False


def _same_literal_twice(value: Any, path: str) -> str | None:
    """The first array that holds a number/boolean and a string of the same value."""
    if isinstance(value, Mapping):
        for key, child in value.items():
            found = _same_literal_twice(child, f"{path}.{key}")
            if found is not None:
                return found
        return None
    if not isinstance(value, list):
        return None
    scalars = [_scalar(item) for item in value]
    natives = [x for x in scalars if isinstance(x, int | float)]
    texts = [x for x in scalars if isinstance(x, str)]
    if any(_same_value(n, t) for n in natives for t in texts):
        return path
    for index, child in enumerate(value):
        found = _same_literal_twice(child, f"{path}[{index}]")
        if found is not None:
            return found
    return None


def _show(char: str) -> str:
    return f"U+{ord(char):04X}"


def _refuse(kind: str, message: str) -> StrictJsonLdError:
    return StrictJsonLdError(
        f"refused to sign: {message}",
        problems=[{"kind": kind, "path": "", "term": "", "message": message}],
        kind=kind,
    )
