"""Offline-first document loading: bundled JSON-LD contexts and pinned documents.

Two kinds of documents are known to mcbadge without any network access:

* **Bundled contexts** (package data in ``mcbadge/contexts/``): VC v2 and v1, Data Integrity v2
  and v1, Multikey v1, Ed25519Signature2020, the Bitstring Status List context, and the Open
  Badges 3.0 contexts 3.0.3, 3.0.2, 3.0.1, 3.0(.0) and ``extensions.json``. Each was taken from
  an npm registry package; ``contexts/manifest.json`` records the URL, package@version, path in
  the package and sha256 (``scripts/update_contexts.py`` regenerates them). Their hashes are
  checked when a context is first used.
* **Pinned documents**, which no registry ships: the OB3 JSON Schemas and the edubadges
  educredential context. mcbadge knows each URL and the sha256 of the one version it accepts;
  it reads them from a local cache (``$MCBADGE_CACHE_DIR`` or ``~/.cache/mcbadge/pinned``) and
  fetches them only when the caller allows network access. :func:`seed_pinned_cache` fills the
  cache from local files.

:class:`DocumentLoader` is a pyld document loader (``loader(url, options)`` returning
``{"contextUrl", "documentUrl", "document", "contentType"}``). By default it serves the bundled
contexts and the pinned documents found in the cache, and refuses everything else::

    from mcbadge.loader import default_loader
    doc = default_loader().load("https://www.w3.org/ns/credentials/v2")

Network access (``allow_network=True``) is HTTPS only, with a timeout and a size limit.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import httpx

from mcbadge._internal.files import write_atomic
from mcbadge.errors import DocumentLoaderError, NetworkNotAllowedError, PinnedHashMismatchError
from mcbadge.net import NetworkPolicy

__all__ = [
    "BUNDLED_CONTEXT_URLS",
    "DATA_INTEGRITY_V1_CONTEXT_URL",
    "DATA_INTEGRITY_V2_CONTEXT_URL",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_TIMEOUT",
    "EDUBADGES_MICROCREDENTIAL_SCHEMA_URL",
    "EDUCREDENTIAL_CONTEXT_URL",
    "ED25519_2020_CONTEXT_URL",
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
    "STATUS_LIST_V1_CONTEXT_URL",
    "VC_V1_CONTEXT_URL",
    "VC_V2_CONTEXT_URL",
    "BundledContext",
    "EDUCREDENTIAL_CONTEXT_DEFECT",
    "DocumentLoader",
    "PinnedDocument",
    "bundled_contexts",
    "default_loader",
    "default_pinned_cache_dir",
    "load_pinned",
    "load_pinned_json",
    "pinned_cache_path",
    "seed_pinned_cache",
]

# --- well-known URLs ------------------------------------------------------------------------

VC_V2_CONTEXT_URL = "https://www.w3.org/ns/credentials/v2"
VC_V1_CONTEXT_URL = "https://www.w3.org/2018/credentials/v1"
DATA_INTEGRITY_V2_CONTEXT_URL = "https://w3id.org/security/data-integrity/v2"
DATA_INTEGRITY_V1_CONTEXT_URL = "https://w3id.org/security/data-integrity/v1"
MULTIKEY_V1_CONTEXT_URL = "https://w3id.org/security/multikey/v1"
ED25519_2020_CONTEXT_URL = "https://w3id.org/security/suites/ed25519-2020/v1"
STATUS_LIST_V1_CONTEXT_URL = "https://www.w3.org/ns/credentials/status/v1"
OB3_CONTEXT_3_0_3_URL = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB3_CONTEXT_3_0_2_URL = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json"
OB3_CONTEXT_3_0_1_URL = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json"
OB3_CONTEXT_3_0_0_URL = "https://purl.imsglobal.org/spec/ob/v3p0/context.json"
OB3_EXTENSIONS_CONTEXT_URL = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"

_OB3_SCHEMA_BASE = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
OB3_ACHIEVEMENT_CREDENTIAL_SCHEMA_URL = (
    _OB3_SCHEMA_BASE + "ob_v3p0_achievementcredential_schema.json"
)
OB3_ENDORSEMENT_CREDENTIAL_SCHEMA_URL = (
    _OB3_SCHEMA_BASE + "ob_v3p0_endorsementcredential_schema.json"
)
OB3_PROFILE_SCHEMA_URL = _OB3_SCHEMA_BASE + "ob_v3p0_profile_schema.json"
OB3_GET_OPEN_BADGE_CREDENTIALS_RESPONSE_SCHEMA_URL = (
    _OB3_SCHEMA_BASE + "ob_v3p0_getopenbadgecredentialsresponse_schema.json"
)
OB3_IMSX_STATUS_INFO_SCHEMA_URL = _OB3_SCHEMA_BASE + "ob_v3p0_imsx_statusinfo_schema.json"

_EDUCREDENTIALS_BASE = (
    "https://raw.githubusercontent.com/educredentials/obv3-examples/refs/heads/main/"
)
EDUCREDENTIAL_CONTEXT_URL = _EDUCREDENTIALS_BASE + "contexts/educredential.json"
EDUBADGES_MICROCREDENTIAL_SCHEMA_URL = _EDUCREDENTIALS_BASE + "schemas/microcredential.json"

DEFAULT_TIMEOUT = 10.0
"""Seconds for connecting and for each read when the network is allowed."""

DEFAULT_MAX_BYTES = 1024 * 1024
"""Largest document accepted from the network (1 MiB)."""

_CACHE_ENV = "MCBADGE_CACHE_DIR"
_JSON_ACCEPT = "application/ld+json, application/json;q=0.9"


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
        >>> from mcbadge.loader import bundled_contexts, VC_V2_CONTEXT_URL
        >>> bundled_contexts()[VC_V2_CONTEXT_URL].package
        '@digitalbazaar/credentials-context@3.2.0'
    """

    url: str
    file: str
    package: str
    path_in_package: str
    sha256: str


def _contexts_dir() -> Any:
    return resources.files("mcbadge").joinpath("contexts")


@functools.cache
def bundled_contexts() -> Mapping[str, BundledContext]:
    """Return the bundled contexts by URL, read from ``contexts/manifest.json``.

    Returns:
        A read-only mapping ``url -> BundledContext``.

    Raises:
        DocumentLoaderError: If the package data is missing or the manifest is malformed.

    Example:
        >>> from mcbadge.loader import bundled_contexts
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
            "the bundled context manifest mcbadge/contexts/manifest.json cannot be read; "
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
            f"bundled context file mcbadge/contexts/{entry.file} for {url} cannot be read; "
            "the installation is incomplete (reinstall mcbadge)",
            url=url,
        ) from exc
    actual = hashlib.sha256(raw).hexdigest()
    if actual != entry.sha256:
        raise PinnedHashMismatchError(
            f"bundled context mcbadge/contexts/{entry.file} for {url} has sha256 {actual}, "
            f"but the manifest records {entry.sha256}; the installation was modified",
            url=url,
            expected=entry.sha256,
            actual=actual,
        )
    document = _parse_json(raw, what=f"bundled context {url}")
    with _bundled_lock:
        _bundled_parsed.setdefault(url, document)
        return _bundled_parsed[url]


# --- pinned documents -------------------------------------------------------------------------


@dataclass(frozen=True)
class PinnedDocument:
    """A document no registry ships, known by URL and the sha256 of the accepted version.

    Attributes:
        url: Where the document is published.
        sha256: Hex sha256 of the only byte sequence accepted for it.
        cache_name: The file name used for it in the pinned cache directory.
        description: What the document is and which version the hash pins.
        known_defect: Set when the pinned version is known to be unusable as JSON-LD; the
            text explains the defect.

    Example:
        >>> from mcbadge.loader import PINNED_DOCUMENTS, OB3_PROFILE_SCHEMA_URL
        >>> PINNED_DOCUMENTS[OB3_PROFILE_SCHEMA_URL].sha256[:12]
        '9b05049f720b'
    """

    url: str
    sha256: str
    cache_name: str
    description: str
    known_defect: str | None = None


EDUCREDENTIAL_CONTEXT_DEFECT = (
    "in its scoped context for 'EducredentialAchievement', the term 'supervisionType' has an "
    'entry "context" where JSON-LD requires "@context"; a term definition may only contain '
    "JSON-LD keywords, so every conforming processor rejects the context (pyld: 'a term "
    "definition must not contain context'). No document that uses this context can be expanded, "
    "converted to RDF or carry an eddsa-rdfc-2022 proof. Use the 'ob3' profile (alignments "
    "instead of educredential terms), or pass a corrected copy under a different URL via "
    "DocumentLoader(extra_documents=...)."
)


def _pinned(
    url: str, sha256: str, description: str, known_defect: str | None = None
) -> PinnedDocument:
    name = f"{sha256[:16]}-{url.rsplit('/', 1)[-1]}"
    return PinnedDocument(url, sha256, name, description, known_defect)


PINNED_DOCUMENTS: Mapping[str, PinnedDocument] = MappingProxyType(
    {
        doc.url: doc
        for doc in (
            _pinned(
                OB3_ACHIEVEMENT_CREDENTIAL_SCHEMA_URL,
                "859e405b592d93c3261fe899362f4128801140d4d20c01502a066b3540483d95",
                "OB3 AchievementCredential JSON Schema (draft 2019-09) as downloaded from its "
                "purl in 2024-09; its $id reads .../schema/json-ld/... (the gh-pages copy is "
                "identical except for $id and formatting)",
            ),
            _pinned(
                OB3_ENDORSEMENT_CREDENTIAL_SCHEMA_URL,
                "4627e1878848d0192c3f9e26f09ef88a96ad48a46f5fca11b80b679ece0de345",
                "OB3 EndorsementCredential JSON Schema, the spec gh-pages copy generated "
                "2024-07-30 ($id ...-jsonschema1.json)",
            ),
            _pinned(
                OB3_PROFILE_SCHEMA_URL,
                "9b05049f720b8ad9bd7aed358ca59c643c34bf1cec0b29fd7baa8bf98efed164",
                "OB3 Profile JSON Schema, the spec gh-pages copy generated 2024-07-30 "
                "($id ...-jsonschema1.json)",
            ),
            _pinned(
                OB3_GET_OPEN_BADGE_CREDENTIALS_RESPONSE_SCHEMA_URL,
                "37fd69152b5ad8df481fc3c25a8f56f6af9020d873f9937c2b617f5b4b42bf6a",
                "OB3 GetOpenBadgeCredentialsResponse JSON Schema, the spec gh-pages copy "
                "generated 2024-07-30",
            ),
            _pinned(
                OB3_IMSX_STATUS_INFO_SCHEMA_URL,
                "5e0c865c697f6662c29abe9e623981f2d78823d16646c1479c959b3d84aaf569",
                "OB3 imsx_StatusInfo JSON Schema, the spec gh-pages copy generated 2024-07-30",
            ),
            _pinned(
                EDUCREDENTIAL_CONTEXT_URL,
                "c56c11e50a8222d9a3420779b44c5959d0b88feabe10e8757e422efba11ad129",
                "edubadges educredential JSON-LD context (educredentials/obv3-examples at "
                "a5a6b6d5); invalid JSON-LD, see known_defect",
                known_defect=EDUCREDENTIAL_CONTEXT_DEFECT,
            ),
            _pinned(
                EDUBADGES_MICROCREDENTIAL_SCHEMA_URL,
                "80132da5b49730b8167ff9786ee35f2592b8df42923c87794c6ef4421656248e",
                "edubadges microcredential JSON Schema (educredentials/obv3-examples at a5a6b6d5)",
            ),
        )
    }
)


def default_pinned_cache_dir() -> Path:
    """Return the default pinned-document cache: ``$MCBADGE_CACHE_DIR`` else ``~/.cache/...``.

    Returns:
        ``Path($MCBADGE_CACHE_DIR)`` when the variable is set and not empty, otherwise
        ``~/.cache/mcbadge/pinned``.

    Example:
        >>> from mcbadge.loader import default_pinned_cache_dir
        >>> default_pinned_cache_dir()  # doctest: +SKIP
        PosixPath('/home/me/.cache/mcbadge/pinned')
    """
    env = os.environ.get(_CACHE_ENV)
    if env:
        return Path(env).expanduser()
    return Path.home() / ".cache" / "mcbadge" / "pinned"


def _pinned_entry(url: str) -> PinnedDocument:
    try:
        return PINNED_DOCUMENTS[url]
    except KeyError:
        known = ", ".join(sorted(PINNED_DOCUMENTS))
        raise DocumentLoaderError(
            f"{url!r} is not a pinned document; mcbadge pins only: {known}", url=url
        ) from None


def pinned_cache_path(url: str, *, cache_dir: Path | str | None = None) -> Path:
    """Return where the cache keeps the pinned document ``url``.

    Args:
        url: A URL from :data:`PINNED_DOCUMENTS`.
        cache_dir: The cache directory; defaults to :func:`default_pinned_cache_dir`.

    Returns:
        The file path (which may not exist yet).

    Raises:
        DocumentLoaderError: If ``url`` is not a pinned document.

    Example:
        >>> from mcbadge.loader import pinned_cache_path, OB3_PROFILE_SCHEMA_URL
        >>> pinned_cache_path(OB3_PROFILE_SCHEMA_URL, cache_dir="/tmp/c").name
        '9b05049f720b8ad9-ob_v3p0_profile_schema.json'
    """
    entry = _pinned_entry(url)
    base = Path(cache_dir) if cache_dir is not None else default_pinned_cache_dir()
    return base / entry.cache_name


def _check_pinned_hash(entry: PinnedDocument, data: bytes, *, origin: str) -> None:
    actual = hashlib.sha256(data).hexdigest()
    if actual != entry.sha256:
        raise PinnedHashMismatchError(
            f"pinned document {entry.url} from {origin} has sha256 {actual}, but mcbadge "
            f"accepts only {entry.sha256} ({entry.description}). The published document may "
            "have changed upstream; mcbadge will not use a different version. Remove the file "
            "and seed the cache with the pinned version (mcbadge.loader.seed_pinned_cache).",
            url=entry.url,
            expected=entry.sha256,
            actual=actual,
            origin=origin,
        )


def _atomic_write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data)
    except OSError as exc:
        raise DocumentLoaderError(
            f"cannot write {path} into the pinned-document cache: {exc}", path=str(path)
        ) from exc


def load_pinned(
    url: str,
    *,
    cache_dir: Path | str | None = None,
    allow_network: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    transport: httpx.BaseTransport | None = None,
    network: NetworkPolicy | None = None,
) -> bytes:
    """Return the bytes of a pinned document, from the cache or (if allowed) the network.

    The bytes always match the pinned sha256. A document fetched from the network is stored
    atomically in the cache, so later calls work offline.

    Args:
        url: A URL from :data:`PINNED_DOCUMENTS`.
        cache_dir: The cache directory; defaults to :func:`default_pinned_cache_dir`.
        allow_network: Fetch the document over HTTPS when it is not in the cache.
        timeout: Network timeout in seconds.
        max_bytes: Largest accepted response.
        transport: An httpx transport (tests inject one; default: real HTTPS).
        network: Deadline, redirects and allowed non-public addresses
            (:class:`mcbadge.net.NetworkPolicy`; replaces ``timeout`` when given).

    Returns:
        The document's bytes.

    Raises:
        DocumentLoaderError: If ``url`` is not pinned, or the cache or network fails.
        NetworkNotAllowedError: If the document is not cached and the network is not allowed.
        PinnedHashMismatchError: If the cached or fetched bytes do not match the pin.

    Example:
        >>> from mcbadge.loader import load_pinned, OB3_PROFILE_SCHEMA_URL
        >>> data = load_pinned(OB3_PROFILE_SCHEMA_URL, cache_dir="~/.cache/mcbadge/pinned")
        ... # doctest: +SKIP
    """
    entry = _pinned_entry(url)
    path = pinned_cache_path(url, cache_dir=Path(cache_dir).expanduser() if cache_dir else None)
    try:
        data: bytes | None = path.read_bytes()
    except FileNotFoundError:
        data = None
    except OSError as exc:
        raise DocumentLoaderError(
            f"cannot read pinned document {url} from the cache file {path}: {exc}", url=url
        ) from exc
    if data is not None:
        _check_pinned_hash(entry, data, origin=f"the cache file {path}")
        return data
    if not allow_network:
        raise NetworkNotAllowedError(
            f"pinned document {url} is not in the cache directory {path.parent} and network "
            "access is not allowed. Seed the cache from a local copy with "
            "mcbadge.loader.seed_pinned_cache(cache_dir, {url: path}) (the file must have "
            f"sha256 {entry.sha256}), or pass allow_network=True.",
            url=url,
            cache_path=str(path),
        )
    data = _https_get(
        url, timeout=timeout, max_bytes=max_bytes, transport=transport, network=network
    )
    _check_pinned_hash(entry, data, origin=url)
    _atomic_write(path, data)
    return data


def load_pinned_json(
    url: str,
    *,
    cache_dir: Path | str | None = None,
    allow_network: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    transport: httpx.BaseTransport | None = None,
) -> Any:
    """Like :func:`load_pinned`, parsed as JSON (a fresh object on every call).

    Args:
        url: A URL from :data:`PINNED_DOCUMENTS`.
        cache_dir: The cache directory; defaults to :func:`default_pinned_cache_dir`.
        allow_network: Fetch the document over HTTPS when it is not in the cache.
        timeout: Network timeout in seconds.
        max_bytes: Largest accepted response.
        transport: An httpx transport (tests inject one; default: real HTTPS).

    Returns:
        The parsed JSON document.

    Raises:
        DocumentLoaderError: As :func:`load_pinned`, or if the bytes are not JSON.
        NetworkNotAllowedError: If the document is not cached and the network is not allowed.
        PinnedHashMismatchError: If the cached or fetched bytes do not match the pin.

    Example:
        >>> from mcbadge.loader import load_pinned_json, OB3_ACHIEVEMENT_CREDENTIAL_SCHEMA_URL
        >>> schema = load_pinned_json(OB3_ACHIEVEMENT_CREDENTIAL_SCHEMA_URL)  # doctest: +SKIP
        >>> schema["$schema"]  # doctest: +SKIP
        'https://json-schema.org/draft/2019-09/schema#'
    """
    data = load_pinned(
        url,
        cache_dir=cache_dir,
        allow_network=allow_network,
        timeout=timeout,
        max_bytes=max_bytes,
        transport=transport,
    )
    return _parse_json(data, what=f"pinned document {url}")


def seed_pinned_cache(cache_dir: Path | str | None, files: Mapping[str, Path | str]) -> None:
    """Copy local files into the pinned cache after checking each against its pin.

    For an operator without network access on the server: download the documents elsewhere
    (or take them from a trusted checkout) and seed the cache from them.

    Args:
        cache_dir: The cache directory (created if needed); ``None`` means the default one.
        files: ``{pinned URL: local file}``.

    Raises:
        DocumentLoaderError: If a URL is not pinned, or a file cannot be read or written.
        PinnedHashMismatchError: If a file is not the pinned version (nothing is written for
            it; files checked before it stay written).

    Example:
        >>> from mcbadge.loader import seed_pinned_cache, OB3_PROFILE_SCHEMA_URL
        >>> seed_pinned_cache("/srv/mcbadge/pinned",
        ...                   {OB3_PROFILE_SCHEMA_URL: "profile.json"})  # doctest: +SKIP
    """
    base = Path(cache_dir).expanduser() if cache_dir is not None else default_pinned_cache_dir()
    for url, source in files.items():
        entry = _pinned_entry(url)
        source_path = Path(source)
        try:
            data = source_path.read_bytes()
        except OSError as exc:
            raise DocumentLoaderError(
                f"cannot read {source_path} to seed pinned document {url}: {exc}", url=url
            ) from exc
        _check_pinned_hash(entry, data, origin=f"the file {source_path}")
        _atomic_write(base / entry.cache_name, data)


def seed_pinned_cache_from(
    directory: Path | str, *, cache_dir: Path | str | None = None, max_bytes: int = 4 * 1024 * 1024
) -> list[str]:
    """Seed the pinned cache with every file under ``directory`` that *is* a pinned document.

    Files are matched by content: a file whose sha256 equals a pin is stored for that pin's
    URL, whatever its name. Nothing else is read into the cache, so any folder (a checkout
    of the specifications, a download directory) can be offered safely.

    Args:
        directory: The folder to search (recursively).
        cache_dir: The cache directory; ``None`` means the default one.
        max_bytes: Files larger than this are skipped without reading.

    Returns:
        The URLs that were seeded, sorted.

    Raises:
        DocumentLoaderError: ``directory`` is not a folder, or the cache cannot be written.

    Example:
        >>> seed_pinned_cache_from("../shared/reference")  # doctest: +SKIP
        ['https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcred…', …]
    """
    root = Path(directory).expanduser()
    if not root.is_dir():
        raise DocumentLoaderError(f"cannot seed the pinned cache: {root} is not a folder")
    by_hash = {entry.sha256: entry for entry in PINNED_DOCUMENTS.values()}
    base = Path(cache_dir).expanduser() if cache_dir is not None else default_pinned_cache_dir()
    seeded: set[str] = set()
    for path in sorted(root.rglob("*")):
        try:
            if not path.is_file() or path.stat().st_size > max_bytes:
                continue
            data = path.read_bytes()
        except OSError:
            continue
        entry = by_hash.get(hashlib.sha256(data).hexdigest())
        if entry is not None and entry.url not in seeded:
            _atomic_write(base / entry.cache_name, data)
            seeded.add(entry.url)
    return sorted(seeded)


# --- network ------------------------------------------------------------------------------------


def _require_https(url: str) -> None:
    if not url.lower().startswith("https://"):
        raise DocumentLoaderError(
            f"refusing to load {url!r} over the network: only https:// URLs are allowed",
            url=url,
        )


_FETCH_CODES = {
    "address_refused": "network_address_refused",
    "deadline": "network_deadline_exceeded",
    "redirects": "network_too_many_redirects",
    "too_large": "document_too_large",
}


def _https_get(
    url: str,
    *,
    timeout: float,
    max_bytes: int,
    transport: httpx.BaseTransport | None,
    network: NetworkPolicy | None = None,
) -> bytes:
    """GET ``url`` with :func:`mcbadge.net.fetch` (HTTPS only, checked addresses, deadline)."""
    from mcbadge.net import FetchError, fetch  # noqa: PLC0415

    _require_https(url)
    try:
        return fetch(
            url,
            accept=_JSON_ACCEPT,
            max_bytes=max_bytes,
            policy=network or NetworkPolicy(deadline=timeout),
            transport=transport,
        ).body
    except FetchError as exc:
        raise DocumentLoaderError(
            exc.message,
            code=_FETCH_CODES.get(exc.kind),
            url=url,
            **({"status": exc.status} if exc.status is not None else {}),
        ) from exc


# --- helpers --------------------------------------------------------------------------------------


def _parse_json(data: bytes, *, what: str) -> Any:
    try:
        return json.loads(data)
    except ValueError as exc:
        raise DocumentLoaderError(f"{what} is not valid JSON: {exc}") from exc


def _clone(value: Any) -> Any:
    """Copy a parsed JSON value (about 3x faster than ``copy.deepcopy``)."""
    if isinstance(value, dict):
        return {key: _clone(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_clone(item) for item in value]
    return value


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
        >>> from mcbadge.loader import DocumentLoader
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
            >>> from mcbadge.loader import DocumentLoader, VC_V2_CONTEXT_URL
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
            >>> from mcbadge.loader import DocumentLoader, VC_V2_CONTEXT_URL
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
            >>> from mcbadge.loader import DocumentLoader, VC_V2_CONTEXT_URL
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
        >>> from mcbadge.loader import default_loader
        >>> default_loader() is default_loader()
        True
    """
    return DocumentLoader()
