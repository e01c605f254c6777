"""The picture of the floors in docs/architecture.md is drawn from the plan the tests enforce."""

from __future__ import annotations

import importlib.util

from tests.conftest import PROJECT_ROOT


def test_the_architecture_picture_is_current() -> None:
    # after a module moves, run `.venv/bin/python scripts/architecture_picture.py`
    spec = importlib.util.spec_from_file_location(
        "architecture_picture", PROJECT_ROOT / "scripts" / "architecture_picture.py"
    )
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    committed = (PROJECT_ROOT / "docs" / "img" / "architecture-floors.svg").read_text("utf-8")
    assert committed == script.draw(), "docs/img/architecture-floors.svg is out of date"


def test_the_picture_shows_every_floor_and_the_split_packages() -> None:
    svg = (PROJECT_ROOT / "docs" / "img" / "architecture-floors.svg").read_text("utf-8")
    from tests.unit.test_import_layers import LAYERS

    for floor, _ in LAYERS:
        assert f'class="floor">{floor}</text>' in svg
    for package in ("microcredential/", "keys/", "did/", "bake/", "model/", "canon/", "render/"):
        assert f'class="room">{package}</text>' in svg
