"""Text for SVG: cleaned, escaped, measured, wrapped and shortened.

Every text from a credential is cleaned before it is drawn: characters XML 1.0 does not allow
are dropped or turned into spaces, bidirectional override and isolate controls are removed (a
value cannot reorder the text around it; values in a composed line are isolated with FSI/PDI),
and the result is XML-escaped. SVG has no line breaking, so a text's width is estimated per
character and long texts are wrapped, fitted (a smaller size down to a minimum) or shortened
with an ellipsis. Numbers and dates are written the Dutch or the English way.

May import: :mod:`mcbadge.render.labels`.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from mcbadge.render.labels import _MONTHS

if TYPE_CHECKING:
    pass


_ELLIPSIS = "…"


# Bidirectional embedding/override/isolate controls: removed from user text so that no
# value can reorder the text around it. (Plain RTL text does not need them.)
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


_FSI, _PDI = "\u2068", "\u2069"  # isolate a value inside a composed line


def _is_xml_char(ch: str) -> bool:
    code = ord(ch)
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def _clean(value: Any) -> str:
    """One line of displayable, XML-safe text (not yet escaped)."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    out: list[str] = []
    for ch in text:
        if ch in "\t\n\r\x0b\x0c\x85\u2028\u2029":
            out.append(" ")
        elif not _is_xml_char(ch) or ch in _BIDI_CONTROLS:
            continue
        elif unicodedata.category(ch) == "Cc":  # C0/C1 controls XML allows but nobody sees
            continue
        else:
            out.append(ch)
    return " ".join("".join(out).split())


def _esc(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def _char_width(ch: str) -> float:
    """A rough advance width in em (DejaVu Sans-like proportions, on the generous side)."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0.0
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    if ch == " ":
        return 0.32
    if ch in "ilj.,;:'!|()[]{}`\u00b7":
        return 0.34
    if ch in 'frt-/\\"':
        return 0.42
    if ch in "mwMW@%":
        return 0.92
    if ch.isupper():
        return 0.72
    if ch.isdigit():
        return 0.64
    if ord(ch) >= 0x1F000:
        return 1.0
    return 0.62


def _text_width(text: str, size: float, *, bold: bool = False) -> float:
    return sum(_char_width(ch) for ch in text) * size * (1.07 if bold else 1.0)


def _truncate(text: str, max_width: float, size: float, *, bold: bool = False) -> str:
    if _text_width(text, size, bold=bold) <= max_width:
        return text
    budget = max_width - _text_width(_ELLIPSIS, size, bold=bold)
    used = 0.0
    cut = 0
    for i, ch in enumerate(text):
        used += _char_width(ch) * size * (1.07 if bold else 1.0)
        if used > budget:
            break
        cut = i + 1
    return text[:cut].rstrip() + _ELLIPSIS


def _fit(
    text: str, max_width: float, size: float, *, min_size: float, bold: bool = False
) -> tuple[str, float]:
    """Shrink the font (down to ``min_size``) until ``text`` fits; then shorten it."""
    while size > min_size and _text_width(text, size, bold=bold) > max_width:
        size = max(min_size, size * 0.92)
    return _truncate(text, max_width, size, bold=bold), size


def _wrap(
    text: str, max_width: float, size: float, *, max_lines: int, bold: bool = False
) -> list[str]:
    """Greedy word wrap by estimated width; over-long words are broken; ``…`` when cut."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if _text_width(candidate, size, bold=bold) <= max_width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while _text_width(current, size, bold=bold) > max_width:
            # break a word that is wider than a line on its own
            part = _truncate(current, max_width, size, bold=bold)[:-1] or current[:1]
            lines.append(part)
            current = current[len(part) :]
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        kept = lines[:max_lines]
        # "…" after the last kept line, shortening it when the mark does not fit
        kept[-1] = _truncate(kept[-1].rstrip() + _ELLIPSIS, max_width, size, bold=bold)
        return kept
    return lines


def _number(value: Any, lang: str) -> str:
    """``5`` → "5", ``7.5`` → "7,5" (nl) / "7.5" (en); other text as is."""
    if isinstance(value, bool):
        return _clean(value)
    if isinstance(value, int | float | Decimal | str):
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            return _clean(value)
        if not number.is_finite():
            return _clean(value)
        if number == number.to_integral_value():
            text = str(number.quantize(Decimal(1)))
        else:
            text = format(number.normalize(), "f")
        return text.replace(".", ",") if lang == "nl" else text
    return _clean(value)


def _date(value: Any, lang: str) -> str:
    if not isinstance(value, str):
        return ""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return _clean(value)[:40]
    month = _MONTHS[lang][moment.month - 1]
    return f"{moment.day} {month} {moment.year}"


def _middle_ellipsis(text: str, max_chars: int) -> str:
    if len(text) <= max_chars:
        return text
    keep = (max_chars - 1) // 2
    return text[:keep] + _ELLIPSIS + text[-keep:]
