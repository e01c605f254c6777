"""Every ``from mcbadge… import …`` in the docs' code blocks still imports (and does not warn)."""

from __future__ import annotations

import importlib
import re

import pytest

from tests.conftest import PROJECT_ROOT

_FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.M | re.S)
_FROM_IMPORT = re.compile(r"^\s*(?:>>> )?from (mcbadge[\w.]*) import (\([^)]*\)|[^\n#]+)", re.M)


def _doc_imports() -> list[tuple[str, str, str]]:
    found = []
    for path in [PROJECT_ROOT / "README.md", *sorted((PROJECT_ROOT / "docs").glob("*.md"))]:
        for block in _FENCE.findall(path.read_text(encoding="utf-8")):
            for module, names in _FROM_IMPORT.findall(block):
                for name in names.strip("() \n").replace("\n", " ").split(","):
                    name = name.split(" as ")[0].strip()
                    if name:
                        found.append((path.name, module, name))
    return found


DOC_IMPORTS = _doc_imports()


def test_the_docs_show_imports_to_check() -> None:
    assert len(DOC_IMPORTS) > 20
    assert ("quickstart.md", "mcbadge", "Microcredential") in DOC_IMPORTS or any(
        module == "mcbadge" for _, module, _ in DOC_IMPORTS
    )


@pytest.mark.parametrize(("page", "module", "name"), DOC_IMPORTS)
def test_every_documented_import_resolves(page: str, module: str, name: str) -> None:
    # filterwarnings=error: a documented path that only works with a DeprecationWarning fails
    imported = importlib.import_module(module)
    # a moved module's old path is an alias of the new module: the docs must show the new one
    assert imported.__name__ == module, f"{page}: {module} moved to {imported.__name__}"
    if not hasattr(imported, name):
        importlib.import_module(f"{module}.{name}")  # `from package import submodule`
