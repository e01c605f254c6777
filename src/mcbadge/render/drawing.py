"""The certificate's page: A4 landscape, and the SVG pieces drawn on it.

The page's measures and colours, and one function per part of the layout: the frame, the
level seal, the row of facts, the EU elements, the learning outcomes, the verification QR
code and the footer (issuer, date, the credential's id, the note on how to verify). Each
returns SVG elements as text, built only from cleaned and escaped values.

May import: :mod:`mcbadge.render.labels`, :mod:`mcbadge.render.text`,
:mod:`mcbadge.render.reading`, :mod:`mcbadge._internal` (the QR code).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from mcbadge.render.reading import _Certificate, _Fact
from mcbadge.render.text import _FSI, _PDI, _esc, _fit, _middle_ellipsis, _wrap

if TYPE_CHECKING:
    pass


# Page: A4 landscape, one user unit = 0.1 mm.
_WIDTH = 2970


_HEIGHT = 2100


_CENTER = _WIDTH // 2


_TEXT_WIDTH = 2300  # the width text may take, centred


_ACCENT = "#1d3557"


_GOLD = "#b8912f"


_GREY = "#5c6770"


_INK = "#1b1f23"


_SANS = "'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif"


_SERIF = "'DejaVu Serif', Georgia, 'Times New Roman', serif"


_OUTCOME_BOTTOM = 1705  # learning outcomes stop above this line


_QR_SIZE = 205  # the verification QR code, bottom right (20.5 mm printed)


_QR_TOP = 1745


_FACTS_HEIGHT = 160


def _text(
    x: float,
    y: float,
    text: str,
    size: float,
    *,
    anchor: str = "middle",
    weight: str = "normal",
    fill: str = _INK,
    family: str = _SANS,
    style: str = "normal",
    spacing: float = 0,
) -> str:
    attrs = (
        f'x="{x:g}" y="{y:g}" font-family="{_esc(family)}" font-size="{size:.1f}" '
        f'text-anchor="{anchor}" fill="{fill}"'
    )
    if weight != "normal":
        attrs += f' font-weight="{weight}"'
    if style != "normal":
        attrs += f' font-style="{style}"'
    if spacing:
        attrs += f' letter-spacing="{spacing:g}"'
    return f"<text {attrs}>{_esc(text)}</text>"


def _frame() -> list[str]:
    return [
        f'<rect width="{_WIDTH}" height="{_HEIGHT}" fill="#ffffff"/>',
        f'<rect x="60" y="60" width="{_WIDTH - 120}" height="{_HEIGHT - 120}" fill="none" '
        f'stroke="{_ACCENT}" stroke-width="14"/>',
        f'<rect x="95" y="95" width="{_WIDTH - 190}" height="{_HEIGHT - 190}" fill="none" '
        f'stroke="{_GOLD}" stroke-width="4"/>',
    ]


def _seal(level: str) -> list[str]:
    """A rosette in the top-right corner with the NLQF level."""
    cx, cy, r = _WIDTH - 330, 330, 150
    label, size = _fit(level, 200, 110, min_size=40, bold=True)
    return [
        f'<g aria-hidden="true"><circle cx="{cx}" cy="{cy}" r="{r}" fill="{_ACCENT}"/>',
        f'<circle cx="{cx}" cy="{cy}" r="{r - 16}" fill="none" stroke="{_GOLD}" stroke-width="5"/>',
        _text(cx, cy - 35, "NLQF", 44, weight="bold", fill=_GOLD, spacing=6),
        _text(cx, cy + 20 + size * 0.35, label, size, weight="bold", fill="#ffffff"),
        "</g>",
    ]


def _facts(facts: Sequence[_Fact], top: float) -> list[str]:
    if not facts:
        return []
    column = _TEXT_WIDTH / len(facts)
    left = _CENTER - _TEXT_WIDTH / 2
    height = _FACTS_HEIGHT
    out = [
        f'<rect x="{left:g}" y="{top:g}" width="{_TEXT_WIDTH}" height="{height}" rx="14" '
        f'fill="#f3f5f8" stroke="#d5dbe3" stroke-width="3"/>'
    ]
    for i, fact in enumerate(facts):
        cx = left + column * (i + 0.5)
        if i:
            x = left + column * i
            out.append(
                f'<line x1="{x:g}" y1="{top + 30:g}" x2="{x:g}" y2="{top + height - 30:g}" '
                'stroke="#d5dbe3" stroke-width="3"/>'
            )
        label, label_size = _fit(fact.label.upper(), column - 50, 30, min_size=22)
        value, value_size = _fit(fact.value, column - 50, 60, min_size=30, bold=True)
        out.append(
            _text(cx, top + 56, label, label_size, fill=_GREY, spacing=2 if label_size > 26 else 0)
        )
        out.append(_text(cx, top + 126, value, value_size, weight="bold", fill=_ACCENT))
    return out


def _eu_row(facts: Sequence[_Fact], top: float) -> list[str]:
    """The EU mandatory elements (assessment, participation, quality assurance) in one row."""
    if not facts:
        return []
    left = _CENTER - _TEXT_WIDTH / 2
    # the quality assurance (last) is usually a long name: it gets half the width
    shares = [1.0] * len(facts)
    if len(facts) > 1:
        shares[-1] = float(len(facts) - 1)
    unit = _TEXT_WIDTH / sum(shares)
    out: list[str] = []
    x = left
    for fact, share in zip(facts, shares, strict=True):
        column = unit * share
        label, label_size = _fit(fact.label.upper(), column - 40, 26, min_size=20)
        value, value_size = _fit(fact.value, column - 40, 36, min_size=26, bold=True)
        out.append(_text(x, top, label, label_size, anchor="start", fill=_GREY, spacing=2))
        out.append(_text(x, top + 46, value, value_size, anchor="start", weight="bold", fill=_INK))
        x += column
    return out


def _outcomes(cert: _Certificate, labels: Mapping[str, str], top: float) -> list[str]:
    if not cert.outcomes:
        return []
    size, line_height = 34.0, 46.0
    left = _CENTER - _TEXT_WIDTH / 2
    out = [_text(left, top, labels["outcomes"], 40, anchor="start", weight="bold", fill=_ACCENT)]
    y = top + 56
    available = int((_OUTCOME_BOTTOM - y) // line_height)
    shown: list[list[str]] = []
    used = 0
    for index, outcome in enumerate(cert.outcomes):
        remaining_after = len(cert.outcomes) - index - 1
        reserve = 1 if remaining_after else 0  # room for the "… and N more" line
        room = available - used - reserve
        if room <= 0:
            break
        per_outcome = 3 if len(cert.outcomes) <= 3 else 2
        lines = _wrap(outcome, _TEXT_WIDTH - 60, size, max_lines=min(per_outcome, room))
        shown.append(lines)
        used += len(lines)
    for lines in shown:
        out.append(f'<circle cx="{left + 14:g}" cy="{y - size * 0.33:g}" r="7" fill="{_GOLD}"/>')
        for line in lines:
            out.append(_text(left + 50, y, line, size, anchor="start"))
            y += line_height
    hidden = len(cert.outcomes) - len(shown)
    if hidden:
        more = labels["more_one"] if hidden == 1 else labels["more_many"].format(n=hidden)
        out.append(_text(left + 50, y, more, size, anchor="start", fill=_GREY, style="italic"))
    return out


def _qr(link: str, labels: Mapping[str, str]) -> list[str]:
    """The QR code of the verification link, bottom right, with its quiet zone kept light."""
    from mcbadge._internal.qr import QUIET_ZONE, qr_matrix, qr_svg_path

    size = _QR_SIZE
    modules = len(qr_matrix(link))
    module = size / modules
    x = _CENTER + _TEXT_WIDTH / 2 - size
    y = _QR_TOP
    pad = QUIET_ZONE * module
    return [
        f'<g class="verification-qr" aria-label="{_esc(labels["scan"])}">',
        f'<rect x="{x - pad:g}" y="{y - pad:g}" width="{size + 2 * pad:g}" '
        f'height="{size + 2 * pad:g}" fill="#ffffff"/>',
        f'<path d="{qr_svg_path(link, x=x, y=y, module=module)}" fill="#000000"/>',
        "</g>",
        _text(x + size / 2, y + size + pad + 6, labels["scan"], 22, fill=_GREY),
    ]


def _footer(cert: _Certificate, labels: Mapping[str, str], link: str | None) -> list[str]:
    left = _CENTER - _TEXT_WIDTH / 2
    right = _CENTER + _TEXT_WIDTH / 2
    width = _TEXT_WIDTH - (_QR_SIZE + 120 if link else 0)
    y = 1755
    out = [
        f'<line x1="{left:g}" y1="{y:g}" x2="{left + width if link else right:g}" y2="{y:g}" '
        f'stroke="{_GOLD}" stroke-width="3"/>'
    ]
    lines: list[tuple[str, bool]] = []
    if cert.institution:
        issued_by = f"{labels['issued_by']}: {_FSI}{cert.institution}{_PDI}"
        if cert.parent_org:
            issued_by += f" · {_FSI}{cert.parent_org}{_PDI}"
        lines.append((issued_by, True))
    # The institution is named by its name; its DID is for machines (and in the credential).
    # An issuer without a name is shown by its id in the line above.
    if link:
        lines.append((f"{labels['verify_at']}: {link}", False))
    ids = []
    if cert.credential_id:
        ids.append(f"{labels['credential_id']}: {_middle_ellipsis(cert.credential_id, 90)}")
    if cert.valid_until:
        ids.append(f"{labels['valid_until']}: {cert.valid_until}")
    if ids:
        lines.append((" · ".join(ids), False))
    y += 58
    for text, bold in lines:
        fitted, size = _fit(text, width, 30, min_size=18, bold=bold)
        out.append(
            _text(
                left,
                y,
                fitted,
                size,
                anchor="start",
                fill=_INK if bold else _GREY,
                weight="bold" if bold else "normal",
            )
        )
        y += 42
    note, size = _fit(labels["note_link" if link else "note"], width, 26, min_size=16)
    out.append(_text(left, y + 6, note, size, anchor="start", fill=_GREY, style="italic"))
    return out
