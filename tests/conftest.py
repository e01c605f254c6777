"""Shared fixtures: where the reference data lives, and the pinned-document cache."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

# CI runs the property tests on a fixed, reproducible sequence of examples (derandomized) and
# without per-example deadlines (a shared 2-core machine is slow at times); a developer's run
# explores new examples every time.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

PROJECT_ROOT = Path(__file__).resolve().parent.parent
REFERENCE_DIR = PROJECT_ROOT.parent / "shared" / "reference"


def reference_path(*parts: str) -> Path:
    """Path inside ``../shared/reference``; skips the calling test when it is absent."""
    path = REFERENCE_DIR.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"reference data not available: {path} (expected ../shared beside the repo)")
    return path


def load_reference_json(*parts: str) -> Any:
    """Parse a JSON file from the reference folder (skips when absent)."""
    return json.loads(reference_path(*parts).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """The ``../shared/reference`` folder; tests using it skip with a reason when it is absent."""
    if not REFERENCE_DIR.is_dir():
        pytest.skip(f"reference data not available at {REFERENCE_DIR}")
    return REFERENCE_DIR


@pytest.fixture(scope="session", autouse=True)
def _pinned_cache_for_every_test(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Point ``$MCBADGE_CACHE_DIR`` at a fresh cache, seeded from ``../shared/reference``.

    The pinned documents (OB3 JSON Schemas, the educredential context) are never committed:
    tests get them from the reference data; without it the cache stays empty and the tests
    that need a pinned document skip or report it.
    """
    from mcbadge.jsonld import loader

    cache_dir = tmp_path_factory.mktemp("mcbadge-cache")
    if REFERENCE_DIR.is_dir():
        loader.seed_pinned_cache_from(REFERENCE_DIR, cache_dir=cache_dir)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MCBADGE_CACHE_DIR", os.fspath(cache_dir))
        yield cache_dir
