"""Offline-first document loading: bundled JSON-LD contexts and pinned documents.

Two kinds of documents are known to mcbadge without any network access:

* **Bundled contexts** (package data in ``mcbadge/jsonld/contexts/``, read by
  :mod:`mcbadge.jsonld.bundled`): VC v2 and v1, Data Integrity v2
  and v1, Multikey v1, Ed25519Signature2020, the Bitstring Status List context, and the Open
  Badges 3.0 contexts 3.0.3, 3.0.2, 3.0.1, 3.0(.0) and ``extensions.json``. Each was taken from
  an npm registry package; ``contexts/manifest.json`` records the URL, package@version, path in
  the package and sha256 (``scripts/update_contexts.py`` regenerates them). Their hashes are
  checked when a context is first used.
* **Pinned documents**, which no registry ships: the OB3 JSON Schemas and the edubadges
  educredential context. mcbadge knows each URL and the sha256 of the one version it accepts;
  it reads them from a local cache (``$MCBADGE_CACHE_DIR`` or ``~/.cache/mcbadge/pinned``) and
  fetches them only when the caller allows network access. :func:`seed_pinned_cache` fills the
  cache from local files (:mod:`mcbadge.jsonld.pinned`).

:class:`DocumentLoader` is a pyld document loader (``loader(url, options)`` returning
``{"contextUrl", "documentUrl", "document", "contentType"}``). By default it serves the bundled
contexts and the pinned documents found in the cache, and refuses everything else::

    from mcbadge.jsonld.loader import default_loader
    doc = default_loader().load("https://www.w3.org/ns/credentials/v2")

Network access (``allow_network=True``) is HTTPS only, with a timeout and a size limit
(:mod:`mcbadge.jsonld.fetch`). This module also re-exports the names of the bundled, pinned and
URL modules, so ``mcbadge.jsonld.loader`` offers everything the former ``mcbadge.loader`` did.
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import httpx

from mcbadge.errors import DocumentLoaderError, NetworkNotAllowedError
from mcbadge.jsonld.bundled import (
    BUNDLED_CONTEXT_URLS,
    BundledContext,
    _bundled_document,
    bundled_contexts,
)
from mcbadge.jsonld.fetch import _clone, _https_get, _parse_json
from mcbadge.jsonld.pinned import (
    EDUCREDENTIAL_CONTEXT_DEFECT,
    PINNED_DOCUMENTS,
    PinnedDocument,
    default_pinned_cache_dir,
    load_pinned,
    load_pinned_json,
    pinned_cache_path,
    seed_pinned_cache,
    seed_pinned_cache_from,
)
from mcbadge.jsonld.urls import (
    DATA_INTEGRITY_V1_CONTEXT_URL,
    DATA_INTEGRITY_V2_CONTEXT_URL,
    DEFAULT_MAX_BYTES,
    DEFAULT_TIMEOUT,
    ED25519_2020_CONTEXT_URL,
    EDUBADGES_MICROCREDENTIAL_SCHEMA_URL,
    EDUCREDENTIAL_CONTEXT_URL,
    MULTIKEY_V1_CONTEXT_URL,
    OB3_ACHIEVEMENT_CREDENTIAL_SCHEMA_URL,
    OB3_CONTEXT_3_0_0_URL,
    OB3_CONTEXT_3_0_1_URL,
    OB3_CONTEXT_3_0_2_URL,
    OB3_CONTEXT_3_0_3_URL,
    OB3_ENDORSEMENT_CREDENTIAL_SCHEMA_URL,
    OB3_EXTENSIONS_CONTEXT_URL,
    OB3_GET_OPEN_BADGE_CREDENTIALS_RESPONSE_SCHEMA_URL,
    OB3_IMSX_STATUS_INFO_SCHEMA_URL,
    OB3_PROFILE_SCHEMA_URL,
    STATUS_LIST_V1_CONTEXT_URL,
    VC_V1_CONTEXT_URL,
    VC_V2_CONTEXT_URL,
)
from mcbadge.net import NetworkPolicy

__all__ = [
    "BUNDLED_CONTEXT_URLS",
    "BundledContext",
    "DATA_INTEGRITY_V1_CONTEXT_URL",
    "DATA_INTEGRITY_V2_CONTEXT_URL",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_TIMEOUT",
    "DocumentLoader",
    "ED25519_2020_CONTEXT_URL",
    "EDUBADGES_MICROCREDENTIAL_SCHEMA_URL",
    "EDUCREDENTIAL_CONTEXT_DEFECT",
    "EDUCREDENTIAL_CONTEXT_URL",
    "MULTIKEY_V1_CONTEXT_URL",
    "OB3_ACHIEVEMENT_CREDENTIAL_SCHEMA_URL",
    "OB3_CONTEXT_3_0_0_URL",
    "OB3_CONTEXT_3_0_1_URL",
    "OB3_CONTEXT_3_0_2_URL",
    "OB3_CONTEXT_3_0_3_URL",
    "OB3_ENDORSEMENT_CREDENTIAL_SCHEMA_URL",
    "OB3_EXTENSIONS_CONTEXT_URL",
    "OB3_GET_OPEN_BADGE_CREDENTIALS_RESPONSE_SCHEMA_URL",
    "OB3_IMSX_STATUS_INFO_SCHEMA_URL",
    "OB3_PROFILE_SCHEMA_URL",
    "PINNED_DOCUMENTS",
    "PinnedDocument",
    "PyldLoader",
    "RemoteDocument",
    "STATUS_LIST_V1_CONTEXT_URL",
    "VC_V1_CONTEXT_URL",
    "VC_V2_CONTEXT_URL",
    "bundled_contexts",
    "default_loader",
    "default_pinned_cache_dir",
    "load_pinned",
    "load_pinned_json",
    "pinned_cache_path",
    "seed_pinned_cache",
    "seed_pinned_cache_from",
]


def _snapshot(url: str, document: Any) -> Any:
    """A private JSON copy of a caller-provided document (rejects what is not JSON)."""
    if isinstance(document, bytes | str):
        return _parse_json(
            document.encode("utf-8") if isinstance(document, str) else document,
            what=f"extra document {url}",
        )
    try:
        return json.loads(json.dumps(document, allow_nan=False))
    except (TypeError, ValueError) as exc:
        raise DocumentLoaderError(
            f"extra document for {url} is not JSON-serialisable: {exc}", url=url
        ) from exc


# --- the loader ---------------------------------------------------------------------------------


RemoteDocument = dict[str, Any]
"""What a pyld document loader returns: ``contextUrl``, ``documentUrl``, ``document``, ..."""

PyldLoader = Callable[[str, Any], RemoteDocument]
"""The pyld document loader calling convention ``loader(url, options)``."""


class DocumentLoader:
    """A pyld document loader that works offline unless told otherwise.

    Lookup order for a URL: ``extra_documents`` (the caller's own, which may override a
    bundled URL), the bundled contexts, the pinned documents (from the cache, or fetched when
    the network is allowed), and finally the network (HTTPS only) when ``allow_network`` is
    set. Anything else is refused with a message naming the URL and how to allow it.

    Every call returns a private copy of the document, so a caller (or pyld) may change it
    freely. Parsed documents are kept per loader; bundled contexts are parsed once per process.

    Args:
        extra_documents: ``{url: document}`` the caller provides (parsed JSON, or JSON text);
            copied at construction.
        allow_network: Allow HTTPS fetches for URLs not known offline.
        pinned_cache_dir: The pinned-document cache; default :func:`default_pinned_cache_dir`
            (resolved at each load, so ``$MCBADGE_CACHE_DIR`` changes are seen).
        timeout: Seconds one fetch may take in total (redirects and reads included).
        max_bytes: Largest accepted network response.
        transport: An httpx transport for network access (tests inject one).
        network: Deadline, redirects, allowed non-public addresses and TLS context of
            fetches (:class:`mcbadge.net.NetworkPolicy`; replaces ``timeout`` when given).
            Only public addresses are reached by default.

    Raises:
        DocumentLoaderError: If an extra document is not JSON.

    Example:
        >>> from pyld import jsonld
        >>> from mcbadge.jsonld.loader import DocumentLoader
        >>> loader = DocumentLoader(extra_documents={"https://example.org/ctx": {"@context": {}}})
        >>> loader("https://example.org/ctx", {})["document"]
        {'@context': {}}
        >>> expanded = jsonld.expand(credential, {"documentLoader": loader})  # doctest: +SKIP
    """

    def __init__(
        self,
        *,
        extra_documents: Mapping[str, Any] | None = None,
        allow_network: bool = False,
        pinned_cache_dir: Path | str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_bytes: int = DEFAULT_MAX_BYTES,
        transport: httpx.BaseTransport | None = None,
        network: NetworkPolicy | None = None,
    ) -> None:
        self._extra: dict[str, Any] = {
            url: _snapshot(url, doc) for url, doc in (extra_documents or {}).items()
        }
        self._allow_network = allow_network
        self._pinned_cache_dir = Path(pinned_cache_dir) if pinned_cache_dir is not None else None
        self._timeout = timeout
        self._max_bytes = max_bytes
        self._transport = transport
        self._network = network
        self._lock = threading.Lock()
        self._loaded: dict[str, Any] = {}

    @property
    def allow_network(self) -> bool:
        """Whether this loader may fetch documents over HTTPS."""
        return self._allow_network

    @property
    def pinned_cache_dir(self) -> Path:
        """The pinned-document cache directory this loader reads."""
        return self._pinned_cache_dir or default_pinned_cache_dir()

    def offline_urls(self) -> frozenset[str]:
        """Return the URLs this loader can serve without the network (pins may be uncached).

        Returns:
            The extra, bundled and pinned URLs.

        Raises:
            DocumentLoaderError: If the bundled manifest cannot be read.

        Example:
            >>> from mcbadge.jsonld.loader import DocumentLoader, VC_V2_CONTEXT_URL
            >>> VC_V2_CONTEXT_URL in DocumentLoader().offline_urls()
            True
        """
        return frozenset(self._extra) | frozenset(bundled_contexts()) | frozenset(PINNED_DOCUMENTS)

    def load(self, url: str) -> Any:
        """Return a private copy of the parsed document at ``url``.

        Args:
            url: The document URL, exactly as used in ``@context`` or ``credentialSchema``.

        Returns:
            The parsed JSON document.

        Raises:
            NetworkNotAllowedError: If the URL is not known offline and the network is off.
            PinnedHashMismatchError: If a pinned or bundled document fails its hash check.
            DocumentLoaderError: For any other failure (non-HTTPS URL, HTTP error, not JSON).

        Example:
            >>> from mcbadge.jsonld.loader import DocumentLoader, VC_V2_CONTEXT_URL
            >>> "@context" in DocumentLoader().load(VC_V2_CONTEXT_URL)
            True
        """
        return _clone(self._document(url))

    def __call__(self, url: str, options: Any = None) -> RemoteDocument:
        """Load ``url`` the way pyld expects (``documentLoader(url, options)``).

        Args:
            url: The document URL.
            options: pyld's options (unused).

        Returns:
            ``{"contextUrl": None, "documentUrl": url, "document": ..., "contentType": ...}``.

        Raises:
            NetworkNotAllowedError: If the URL is not known offline and the network is off.
            PinnedHashMismatchError: If a pinned or bundled document fails its hash check.
            DocumentLoaderError: For any other failure.

        Example:
            >>> from mcbadge.jsonld.loader import DocumentLoader, VC_V2_CONTEXT_URL
            >>> DocumentLoader()(VC_V2_CONTEXT_URL, {})["documentUrl"]
            'https://www.w3.org/ns/credentials/v2'
        """
        return {
            "contextUrl": None,
            "documentUrl": url,
            "document": self.load(url),
            "contentType": "application/ld+json",
        }

    def _document(self, url: str) -> Any:
        if not isinstance(url, str):
            raise DocumentLoaderError(f"document URL must be a string, got {type(url).__name__}")
        if url in self._extra:
            return self._extra[url]
        if url in bundled_contexts():
            return _bundled_document(url)
        with self._lock:
            if url in self._loaded:
                return self._loaded[url]
        if url in PINNED_DOCUMENTS:
            data = load_pinned(
                url,
                cache_dir=self._pinned_cache_dir,
                allow_network=self._allow_network,
                timeout=self._timeout,
                max_bytes=self._max_bytes,
                transport=self._transport,
                network=self._network,
            )
            document = _parse_json(data, what=f"pinned document {url}")
        elif self._allow_network:
            data = _https_get(
                url,
                timeout=self._timeout,
                max_bytes=self._max_bytes,
                transport=self._transport,
                network=self._network,
            )
            document = _parse_json(data, what=f"document {url}")
        else:
            raise NetworkNotAllowedError(
                f"document loader refused {url!r}: it is not one of mcbadge's bundled contexts, "
                "not a pinned document and not among the caller's extra documents, and network "
                "access is off. To allow it, pass the document yourself with "
                "DocumentLoader(extra_documents={url: document}), or allow HTTPS fetches with "
                "DocumentLoader(allow_network=True).",
                url=url,
            )
        with self._lock:
            self._loaded.setdefault(url, document)
            return self._loaded[url]

    def __repr__(self) -> str:
        return (
            f"DocumentLoader(extra_documents={sorted(self._extra)!r}, "
            f"allow_network={self._allow_network!r})"
        )


@functools.cache
def default_loader() -> DocumentLoader:
    """Return the process-wide offline loader (bundled contexts and cached pins only).

    Returns:
        A shared :class:`DocumentLoader` with network access off.

    Raises:
        DocumentLoaderError: Never at construction; loading may raise (see
            :meth:`DocumentLoader.load`).

    Example:
        >>> from mcbadge.jsonld.loader import default_loader
        >>> default_loader() is default_loader()
        True
    """
    return DocumentLoader()
