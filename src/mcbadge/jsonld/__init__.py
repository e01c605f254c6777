"""JSON-LD: offline document loading, the strict ("safe mode") check and the fast RDF path.

What lives here (each module one idea; lower in the list never imports higher):

* :mod:`~mcbadge.jsonld.urls` — the well-known URLs and the network limits;
* :mod:`~mcbadge.jsonld.fetch` — the one HTTPS fetch (bounded, redirects checked);
* :mod:`~mcbadge.jsonld.bundled` — the contexts shipped as package data in ``contexts/``
  (``contexts/manifest.json``: npm package@version and sha256 of each);
* :mod:`~mcbadge.jsonld.pinned` — the pinned documents (OB3 JSON Schemas, edubadges) and
  their cache;
* :mod:`~mcbadge.jsonld.loader` — :class:`~mcbadge.jsonld.loader.DocumentLoader`, offline by
  default (re-exports the names of the four modules above);
* :mod:`~mcbadge.jsonld.processor` — how mcbadge drives pyld: context lint, per-loader caches,
  error translation;
* :mod:`~mcbadge.jsonld.fastctx` and :mod:`~mcbadge.jsonld.fastrdf` — the fast path to RDF
  (compiled active contexts, then one walk);
* :mod:`~mcbadge.jsonld.strict` — :func:`check_strict`, :func:`expand`,
  :func:`to_rdf_dataset` (tries the fast path first, then pyld with every problem listed).

May import: :mod:`mcbadge.errors`, :mod:`mcbadge._internal`, :mod:`mcbadge.canon`, and pyld,
httpx. Never the model, proofs, verify, status, service or cli.

The names of the former ``mcbadge.jsonld`` module are importable from here as before
(``from mcbadge.jsonld import check_strict``), loaded on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mcbadge.jsonld.processor import LoaderLike, check_context
    from mcbadge.jsonld.strict import check_strict, expand, strict_problems, to_rdf_dataset

__all__ = [
    "LoaderLike",
    "check_context",
    "check_strict",
    "expand",
    "strict_problems",
    "to_rdf_dataset",
]

_LAZY: dict[str, str] = {
    "LoaderLike": "mcbadge.jsonld.processor",
    "check_context": "mcbadge.jsonld.processor",
    "check_strict": "mcbadge.jsonld.strict",
    "expand": "mcbadge.jsonld.strict",
    "strict_problems": "mcbadge.jsonld.strict",
    "to_rdf_dataset": "mcbadge.jsonld.strict",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
