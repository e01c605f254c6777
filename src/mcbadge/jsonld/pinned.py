"""Pinned documents: the ones no registry ships, known by URL and sha256.

The OB3 JSON Schemas and the edubadges documents are read from a local cache
(``$MCBADGE_CACHE_DIR`` or ``~/.cache/mcbadge/pinned``), seeded from local files
(:func:`seed_pinned_cache`, :func:`seed_pinned_cache_from`) or fetched once when the caller
allows the network; a file whose sha256 differs is refused.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import httpx

from mcbadge._internal.files import write_atomic
from mcbadge.errors import DocumentLoaderError, NetworkNotAllowedError, PinnedHashMismatchError
from mcbadge.jsonld.fetch import _https_get, _parse_json
from mcbadge.jsonld.urls import (
    _CACHE_ENV,
    DEFAULT_MAX_BYTES,
    DEFAULT_TIMEOUT,
    EDUBADGES_MICROCREDENTIAL_SCHEMA_URL,
    EDUCREDENTIAL_CONTEXT_URL,
    OB3_ACHIEVEMENT_CREDENTIAL_SCHEMA_URL,
    OB3_ENDORSEMENT_CREDENTIAL_SCHEMA_URL,
    OB3_GET_OPEN_BADGE_CREDENTIALS_RESPONSE_SCHEMA_URL,
    OB3_IMSX_STATUS_INFO_SCHEMA_URL,
    OB3_PROFILE_SCHEMA_URL,
)
from mcbadge.net import NetworkPolicy

__all__ = [
    "EDUCREDENTIAL_CONTEXT_DEFECT",
    "PINNED_DOCUMENTS",
    "PinnedDocument",
    "default_pinned_cache_dir",
    "load_pinned",
    "load_pinned_json",
    "pinned_cache_path",
    "seed_pinned_cache",
    "seed_pinned_cache_from",
]


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
        >>> from mcbadge.jsonld.loader import PINNED_DOCUMENTS, OB3_PROFILE_SCHEMA_URL
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
        >>> from mcbadge.jsonld.loader import default_pinned_cache_dir
        >>> default_pinned_cache_dir()  # doctest: +SKIP
        PosixPath('/home/me/.cache/mcbadge/pinned')
    """
    # read on every call (tests and users change the variables), built once per value: every
    # verify() asks, and building the Path costs more than the schema check's lookup
    return _cache_dir_for(os.environ.get(_CACHE_ENV), os.environ.get("HOME"))


@functools.lru_cache(maxsize=8)
def _cache_dir_for(env: str | None, home: str | None) -> Path:
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
        >>> from mcbadge.jsonld.loader import pinned_cache_path, OB3_PROFILE_SCHEMA_URL
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
            "and seed the cache with the pinned version (mcbadge.jsonld.loader.seed_pinned_cache).",
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
        >>> from mcbadge.jsonld.loader import load_pinned, OB3_PROFILE_SCHEMA_URL
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
            "mcbadge.jsonld.loader.seed_pinned_cache(cache_dir, {url: path}) (the file must have "
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
        >>> from mcbadge.jsonld.pinned import load_pinned_json
        >>> from mcbadge.jsonld.urls import OB3_ACHIEVEMENT_CREDENTIAL_SCHEMA_URL
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
        >>> from mcbadge.jsonld.loader import seed_pinned_cache, OB3_PROFILE_SCHEMA_URL
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
