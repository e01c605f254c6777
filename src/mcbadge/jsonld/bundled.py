"""The JSON-LD contexts bundled as package data (``mcbadge/jsonld/contexts/``).

``contexts/manifest.json`` records each context's URL, npm package@version, path in the
package and sha256 (``scripts/update_contexts.py`` writes it); a context's hash is checked
when it is first read, and each is parsed once per process.
"""

from __future__ import annotations

import functools
import hashlib
import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType
from typing import Any

from mcbadge.errors import DocumentLoaderError, PinnedHashMismatchError
from mcbadge.jsonld.fetch import _parse_json
from mcbadge.jsonld.urls import (
    DATA_INTEGRITY_V1_CONTEXT_URL,
    DATA_INTEGRITY_V2_CONTEXT_URL,
    ED25519_2020_CONTEXT_URL,
    MULTIKEY_V1_CONTEXT_URL,
    OB3_CONTEXT_3_0_0_URL,
    OB3_CONTEXT_3_0_1_URL,
    OB3_CONTEXT_3_0_2_URL,
    OB3_CONTEXT_3_0_3_URL,
    OB3_EXTENSIONS_CONTEXT_URL,
    STATUS_LIST_V1_CONTEXT_URL,
    VC_V1_CONTEXT_URL,
    VC_V2_CONTEXT_URL,
)

__all__ = [
    "BUNDLED_CONTEXT_URLS",
    "BundledContext",
    "bundled_contexts",
]


# --- bundled contexts -------------------------------------------------------------------------


@dataclass(frozen=True)
class BundledContext:
    """One bundled context, as recorded in ``contexts/manifest.json``.

    Attributes:
        url: The URL the context is published at (the key documents use in ``@context``).
        file: The file name inside the ``mcbadge/contexts`` package data.
        package: The npm package it was taken from, as ``name@version``.
        path_in_package: Where the package keeps it.
        sha256: Hex sha256 of ``file``.

    Example:
        >>> from mcbadge.jsonld.loader import bundled_contexts, VC_V2_CONTEXT_URL
        >>> bundled_contexts()[VC_V2_CONTEXT_URL].package
        '@digitalbazaar/credentials-context@3.2.0'
    """

    url: str
    file: str
    package: str
    path_in_package: str
    sha256: str


def _contexts_dir() -> Any:
    return resources.files("mcbadge.jsonld").joinpath("contexts")


@functools.cache
def bundled_contexts() -> Mapping[str, BundledContext]:
    """Return the bundled contexts by URL, read from ``contexts/manifest.json``.

    Returns:
        A read-only mapping ``url -> BundledContext``.

    Raises:
        DocumentLoaderError: If the package data is missing or the manifest is malformed.

    Example:
        >>> from mcbadge.jsonld.loader import bundled_contexts
        >>> "https://www.w3.org/ns/credentials/v2" in bundled_contexts()
        True
    """
    try:
        raw = _contexts_dir().joinpath("manifest.json").read_bytes()
        entries = json.loads(raw)
        table = {
            entry["url"]: BundledContext(
                url=entry["url"],
                file=entry["file"],
                package=entry["package"],
                path_in_package=entry["path_in_package"],
                sha256=entry["sha256"],
            )
            for entry in entries
        }
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DocumentLoaderError(
            "the bundled context manifest mcbadge/jsonld/contexts/manifest.json cannot be read; "
            "the installation is incomplete (reinstall mcbadge)"
        ) from exc
    return MappingProxyType(table)


BUNDLED_CONTEXT_URLS: frozenset[str] = frozenset(
    {
        VC_V2_CONTEXT_URL,
        VC_V1_CONTEXT_URL,
        DATA_INTEGRITY_V2_CONTEXT_URL,
        DATA_INTEGRITY_V1_CONTEXT_URL,
        MULTIKEY_V1_CONTEXT_URL,
        ED25519_2020_CONTEXT_URL,
        STATUS_LIST_V1_CONTEXT_URL,
        OB3_CONTEXT_3_0_3_URL,
        OB3_CONTEXT_3_0_2_URL,
        OB3_CONTEXT_3_0_1_URL,
        OB3_CONTEXT_3_0_0_URL,
        OB3_EXTENSIONS_CONTEXT_URL,
    }
)
"""The URLs mcbadge serves from its package data (a test checks this matches the manifest)."""

_bundled_lock = threading.Lock()
_bundled_parsed: dict[str, Any] = {}


def _bundled_document(url: str) -> Any:
    """The parsed bundled context for ``url`` (parsed and hash-checked once per process)."""
    with _bundled_lock:
        if url in _bundled_parsed:
            return _bundled_parsed[url]
    entry = bundled_contexts()[url]
    try:
        raw = _contexts_dir().joinpath(entry.file).read_bytes()
    except OSError as exc:
        raise DocumentLoaderError(
            f"bundled context file mcbadge/jsonld/contexts/{entry.file} for {url} cannot be read; "
            "the installation is incomplete (reinstall mcbadge)",
            url=url,
        ) from exc
    actual = hashlib.sha256(raw).hexdigest()
    if actual != entry.sha256:
        raise PinnedHashMismatchError(
            f"bundled context mcbadge/jsonld/contexts/{entry.file} for {url} has sha256 {actual}, "
            f"but the manifest records {entry.sha256}; the installation was modified",
            url=url,
            expected=entry.sha256,
            actual=actual,
        )
    document = _parse_json(raw, what=f"bundled context {url}")
    with _bundled_lock:
        _bundled_parsed.setdefault(url, document)
        return _bundled_parsed[url]
