"""Shared fixtures: where the reference data lives, and the pinned-document cache."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

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
