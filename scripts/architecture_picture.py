"""Draw docs/img/architecture-floors.svg: the floors of src/mcbadge and the rooms on each.

The picture is made from the plan the import-layer test enforces
(``tests/unit/test_import_layers.py``: ``LAYERS`` and the modules it finds in ``src/``), so it
cannot drift from the code: ``tests/unit/test_architecture_picture.py`` fails when the
committed picture differs from what this script draws. After moving a module, run::

    .venv/bin/python scripts/architecture_picture.py
"""

from __future__ import annotations

import sys
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "img" / "architecture-floors.svg"

WIDTH = 1100
LABEL_WIDTH = 130
GAP = 10
BOX_WIDTH = 178
LINE = 15
TITLE = 17
CHARS_PER_LINE = 27  # of the 11px room names in a box 178px wide
COLOURS = ("#eef3f8", "#f7f4ea")


def _rooms() -> list[tuple[str, list[tuple[str, list[str]]]]]:
    """Each floor, top first, with its boxes: (name, rooms) — rooms empty for a module."""
    sys.path.insert(0, str(ROOT))
    from tests.unit.test_import_layers import LAYERS, MODULES, _layer

    floors: dict[int, dict[str, list[str]]] = {i: {} for i in range(len(LAYERS))}
    for module in sorted(MODULES):
        index = _layer("mcbadge.__init__" if module == "mcbadge" else module)
        if index is None:
            continue
        parts = module.split(".")
        if module == "mcbadge":
            floors[index].setdefault("__init__.py (facade)", [])
            continue
        top = parts[1]
        if parts[1] == "_internal" and len(parts) > 2 and index != _layer("mcbadge._internal"):
            top = f"_internal/{parts[2]}.py"  # a helper on a floor of its own
            floors[index].setdefault(top, [])
            continue
        folder = ROOT / "src" / "mcbadge" / top
        package = folder.is_dir()
        name = f"{top}/" if package else f"{top}.py"
        if not package and "alias_module(" in MODULES[module].read_text(encoding="utf-8"):
            name += " (old path)"
        rooms = floors[index].setdefault(name, [])
        if package and len(parts) > 2:
            room = parts[2] + ("/" if (folder / parts[2]).is_dir() else "")
            if room not in rooms:
                rooms.append(room)
    return [
        (LAYERS[i][0], sorted(floors[i].items(), key=lambda item: (not item[1], item[0])))
        for i in reversed(range(len(LAYERS)))
    ]


def _wrap(words: list[str]) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if len(candidate) > CHARS_PER_LINE and current:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def draw() -> str:
    """The SVG text of the picture."""
    parts: list[str] = []
    y = 50
    for number, (floor, boxes) in enumerate(_rooms()):
        x0 = LABEL_WIDTH + GAP
        x, row_top, row_height = x0, y + GAP, 0
        drawn: list[str] = []
        for name, rooms in boxes:
            lines = _wrap(rooms)
            height = TITLE + 10 + LINE * len(lines)
            if x + BOX_WIDTH > WIDTH - GAP:
                x, row_top, row_height = x0, row_top + row_height + GAP, 0
            drawn.append(
                f'<rect x="{x}" y="{row_top}" width="{BOX_WIDTH}" height="{height}" rx="4" '
                'fill="#ffffff" stroke="#8a99a8"/>'
            )
            drawn.append(
                f'<text x="{x + 8}" y="{row_top + TITLE}" class="room">{escape(name)}</text>'
            )
            for n, text in enumerate(lines):
                drawn.append(
                    f'<text x="{x + 8}" y="{row_top + TITLE + 6 + LINE * (n + 1)}" '
                    f'class="small">{escape(text)}</text>'
                )
            x += BOX_WIDTH + GAP
            row_height = max(row_height, height)
        bottom = row_top + row_height + GAP
        parts.append(
            f'<rect x="0" y="{y}" width="{WIDTH}" height="{bottom - y}" '
            f'fill="{COLOURS[number % 2]}" stroke="#c4ccd4"/>'
        )
        parts.append(f'<text x="10" y="{y + 24}" class="floor">{escape(floor)}</text>')
        parts.extend(drawn)
        y = bottom
    height = y + 10
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" '
        'aria-label="The floors of mcbadge, top to bottom; a module imports only its own floor '
        'and the floors below it">',
        "<style>text{font-family:'DejaVu Sans',Arial,sans-serif;fill:#1b1f23}"
        ".floor{font-size:14px;font-weight:bold}.room{font-size:13px;font-weight:bold}"
        ".small{font-size:11px;fill:#47525c}.title{font-size:15px;font-weight:bold}</style>",
        '<rect x="0" y="0" width="100%" height="100%" fill="#ffffff"/>',
        '<text x="10" y="22" class="title">src/mcbadge: each floor imports only itself and the '
        "floors below it (generated from tests/unit/test_import_layers.py)</text>",
    ]
    return "\n".join([*head, *parts, "</svg>"]) + "\n"


def main() -> int:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(draw(), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
