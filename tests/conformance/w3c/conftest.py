"""Every test in this folder runs an official W3C suite: marked ``w3c``."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "conformance/w3c/" in item.nodeid:
            item.add_marker(pytest.mark.w3c)
