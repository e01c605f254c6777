"""Test helpers: seed the pinned-document cache from ``../shared/reference`` (nothing is copied
into the repository), plus test-only contexts that no registry package ships.

Use :func:`seed_pinned_cache` in a fixture, or the session fixtures below (to make them
available everywhere, import them into ``tests/conftest.py``)::

    from tests.pinned import mcbadge_cache_env, pinned_cache_dir  # noqa: F401
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from mcbadge.jsonld import loader as _loader

REFERENCE_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "reference"

# Which reference file is the pinned version of each pinned URL (the sha256 in
# mcbadge.jsonld.pinned.PINNED_DOCUMENTS is the sha256 of these files; see ob3/SOURCES.md).
PINNED_REFERENCE_FILES: dict[str, tuple[str, ...]] = {
    _loader.OB3_ACHIEVEMENT_CREDENTIAL_SCHEMA_URL: (
        "ob3",
        "schemas",
        "ob_v3p0_achievementcredential_schema.purl-download-2024-09.json",
    ),
    _loader.OB3_ENDORSEMENT_CREDENTIAL_SCHEMA_URL: (
        "ob3",
        "schemas",
        "ob_v3p0_endorsementcredential_schema.gh-pages-2024-07.json",
    ),
    _loader.OB3_PROFILE_SCHEMA_URL: (
        "ob3",
        "schemas",
        "ob_v3p0_profile_schema.gh-pages-2024-07.json",
    ),
    _loader.OB3_GET_OPEN_BADGE_CREDENTIALS_RESPONSE_SCHEMA_URL: (
        "ob3",
        "schemas",
        "ob_v3p0_getopenbadgecredentialsresponse_schema.gh-pages-2024-07.json",
    ),
    _loader.OB3_IMSX_STATUS_INFO_SCHEMA_URL: (
        "ob3",
        "schemas",
        "ob_v3p0_imsx_statusinfo_schema.gh-pages-2024-07.json",
    ),
    _loader.EDUCREDENTIAL_CONTEXT_URL: (
        "ob3",
        "contexts",
        "edubadges_nl_educredential_context.json",
    ),
    _loader.EDUBADGES_MICROCREDENTIAL_SCHEMA_URL: (
        "ob3",
        "schemas",
        "edubadges_nl_microcredential_schema.json",
    ),
}

# The W3C VC examples v2 context. No npm package ships it (only the v1 examples context is
# on the registry), so it is test-only: the W3C vc-di-eddsa vectors use it, and their
# canonical N-Quads show every examples term under this vocabulary.
W3C_EXAMPLES_V2_CONTEXT_URL = "https://www.w3.org/ns/credentials/examples/v2"
W3C_EXAMPLES_V2_CONTEXT = {"@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}}
TEST_EXTRA_DOCUMENTS = {W3C_EXAMPLES_V2_CONTEXT_URL: W3C_EXAMPLES_V2_CONTEXT}


def pinned_reference_files() -> dict[str, Path]:
    """``{pinned URL: reference file}``; skips the calling test when the reference is absent."""
    if not REFERENCE_DIR.is_dir():
        pytest.skip(f"reference data not available at {REFERENCE_DIR}")
    files = {url: REFERENCE_DIR.joinpath(*parts) for url, parts in PINNED_REFERENCE_FILES.items()}
    missing = [str(path) for path in files.values() if not path.is_file()]
    if missing:
        pytest.skip(f"reference files missing: {', '.join(missing)}")
    return files


def seed_pinned_cache(cache_dir: Path) -> None:
    """Fill ``cache_dir`` with every pinned document, read from ``../shared/reference``.

    Goes through :func:`mcbadge.jsonld.loader.seed_pinned_cache`, so each file is hash-checked.
    Skips the calling test when the reference data is absent.
    """
    _loader.seed_pinned_cache(cache_dir, pinned_reference_files())


@pytest.fixture(scope="session")
def pinned_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A session-wide pinned cache seeded from the reference data."""
    cache_dir = tmp_path_factory.mktemp("mcbadge-pinned")
    seed_pinned_cache(cache_dir)
    return cache_dir


@pytest.fixture
def mcbadge_cache_env(pinned_cache_dir: Path) -> Iterator[Path]:
    """Point ``$MCBADGE_CACHE_DIR`` (and so ``default_loader()``) at the seeded cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MCBADGE_CACHE_DIR", os.fspath(pinned_cache_dir))
        yield pinned_cache_dir
