"""``mcbadge cache``: the documented first-run step that puts the pinned OB3 schemas in place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mcbadge.cli import main
from mcbadge.jsonld.pinned import PINNED_DOCUMENTS, pinned_cache_path
from tests.conftest import REFERENCE_DIR


def test_cache_seed_then_fetch_finds_every_pinned_document_without_the_network(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("MCBADGE_CACHE_DIR", str(cache))
    assert main(["--json", "cache", "seed", str(REFERENCE_DIR)]) == 0
    seeded = json.loads(capsys.readouterr().out)["seeded"]
    assert set(seeded) == set(PINNED_DOCUMENTS)
    for url in PINNED_DOCUMENTS:
        assert pinned_cache_path(url, cache_dir=cache).is_file()
    # everything is cached, so `fetch` needs no network and says so
    assert main(["--json", "cache", "fetch"]) == 0
    documents = json.loads(capsys.readouterr().out)["documents"]
    assert documents == {url: {"status": "cached"} for url in PINNED_DOCUMENTS}
