"""A printable certificate for a microcredential: an A4-landscape SVG with the credential baked in.

:func:`render_certificate_svg` draws what a person reads on a Dutch microcredential
certificate — learner, unit, institution, NLQF and EQF level, size (EC or SBU), learning
outcomes, result, date of issue and the issuer's id — from the credential's machine-readable
fields (see ``docs/mapping.md``). :func:`render_and_bake` also bakes the signed credential
into the SVG (OB3 §5.3.2), so the certificate a learner prints or shares carries the
credential that proves it.

Every text from the credential is cleaned before it is drawn: characters XML 1.0 does not
allow (control characters, U+FFFE/U+FFFF, lone surrogates) are dropped or turned into
spaces, bidirectional override and isolate controls are removed (so a name cannot reorder
the text around it), and the result is XML-escaped. SVG has no automatic line breaking, so
long texts are wrapped and shortened with an estimate of their width.

Example:
    >>> from mcbadge.render import render_and_bake
    >>> svg = render_and_bake(signed_credential, lang="nl")  # doctest: +SKIP
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote, urlsplit
from xml.sax.saxutils import escape

from mcbadge.errors import BakingError, InvalidInputError, McBadgeError

if TYPE_CHECKING:
    from mcbadge.model import Credential
    from mcbadge.summary import CredentialSummary

__all__ = ["Language", "render_and_bake", "render_certificate_svg", "verification_link"]

Language = Literal["nl", "en"]

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
_ELLIPSIS = "…"

_LABELS: dict[str, dict[str, str]] = {
    "nl": {
        "title": "Certificaat",
        "kind": "MICROCREDENTIAL",
        "certify": "Hierbij wordt verklaard dat",
        "completed": "met goed gevolg heeft afgerond",
        "not_achieved": "heeft deelgenomen aan (niet behaald)",
        "holder": "de houder van dit credential",
        "nlqf": "NLQF-niveau",
        "eqf": "EQF-niveau",
        "size": "Studielast",
        "result": "Resultaat",
        "date": "Datum van uitgifte",
        "outcomes": "Leeruitkomsten",
        "more_one": "… en nog 1 leeruitkomst (zie het credential)",
        "more_many": "… en nog {n} leeruitkomsten (zie het credential)",
        "issued_by": "Uitgegeven door",
        "issuer_id": "Uitgever",
        "credential_id": "Credential",
        "valid_until": "Geldig tot",
        "entry": "instroom",
        "hours": "uur",
        "assessment": "Toetsing",
        "participation": "Deelname",
        "qa": "Kwaliteitsborging",
        "verify_at": "Controleer echtheid",
        "scan": "Scan om te controleren",
        "note": "Dit bestand bevat het digitaal ondertekende credential (Open Badges 3.0). "
        "Controleer de echtheid met een Open Badges 3.0-verifier.",
        "note_link": "Alleen het ondertekende credential telt, niet deze afbeelding: scan de "
        "QR-code of open de link om het te controleren.",
    },
    "en": {
        "title": "Certificate",
        "kind": "MICROCREDENTIAL",
        "certify": "This is to certify that",
        "completed": "has successfully completed",
        "not_achieved": "took part in (not passed)",
        "holder": "the holder of this credential",
        "nlqf": "NLQF level",
        "eqf": "EQF level",
        "size": "Study load",
        "result": "Result",
        "date": "Date of issue",
        "outcomes": "Learning outcomes",
        "more_one": "… and 1 more learning outcome (see the credential)",
        "more_many": "… and {n} more learning outcomes (see the credential)",
        "issued_by": "Issued by",
        "issuer_id": "Issuer",
        "credential_id": "Credential",
        "valid_until": "Valid until",
        "entry": "entry",
        "hours": "hours",
        "assessment": "Assessment",
        "participation": "Participation",
        "qa": "Quality assurance",
        "verify_at": "Verify",
        "scan": "Scan to verify",
        "note": "This file carries the digitally signed credential (Open Badges 3.0). "
        "Check it with an Open Badges 3.0 verifier.",
        "note_link": "Only the signed credential counts, not this picture: scan the QR code "
        "or open the link to check it.",
    },
}

_STATUS: dict[str, dict[str, str]] = {
    "nl": {
        "Completed": "Behaald",
        "Failed": "Niet behaald",
        "InProgress": "Bezig",
        "Enrolled": "Ingeschreven",
        "OnHold": "Aangehouden",
        "Provisional": "Voorlopig",
        "Withdrew": "Teruggetrokken",
    },
    "en": {
        "Completed": "Completed",
        "Failed": "Not passed",
        "InProgress": "In progress",
        "Enrolled": "Enrolled",
        "OnHold": "On hold",
        "Provisional": "Provisional",
        "Withdrew": "Withdrawn",
    },
}

# The EU vocabularies (edubadges glossary values) in Dutch; English shows them as they are.
_VOCAB_NL: dict[str, str] = {
    "testing": "toets",
    "application of a skill": "toepassing van een vaardigheid",
    "portfolio": "portfolio",
    "recognition of prior learning": "erkenning van eerder verworven competenties",
    "online": "online",
    "onsite or blended": "op locatie of gemengd",
    "volunteering": "vrijwilligerswerk",
    "work experience": "werkervaring",
    "personalized learning activities": "gepersonaliseerde leeractiviteiten",
}

_MONTHS = {
    "nl": (
        "januari februari maart april mei juni juli augustus september oktober november december"
    ).split(),
    "en": (
        "January February March April May June July August September October November December"
    ).split(),
}

# Bidirectional embedding/override/isolate controls: removed from user text so that no
# value can reorder the text around it. (Plain RTL text does not need them.)
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_FSI, _PDI = "\u2068", "\u2069"  # isolate a value inside a composed line


# --------------------------------------------------------------------------------------------
# Text helpers


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


# --------------------------------------------------------------------------------------------
# Reading the credential


@dataclass(frozen=True)
class _Fact:
    label: str
    value: str


@dataclass(frozen=True)
class _Certificate:
    learner: str
    unit: str
    institution: str
    parent_org: str
    facts: tuple[_Fact, ...]
    eu: tuple[_Fact, ...]
    outcomes: tuple[str, ...]
    issuer_id: str
    credential_id: str
    valid_until: str
    nlqf: str
    achieved: bool = True


def _size(summary: CredentialSummary, labels: Mapping[str, str], lang: str) -> str:
    if summary.ects is not None:
        text = f"{_number(summary.ects, lang)} EC"
        if summary.hours is not None:
            text += f" ({_number(summary.hours, lang)} {labels['hours']})"
        return text
    if summary.sbu is not None:
        return f"{_number(summary.sbu, lang)} SBU"
    if summary.hours is not None:
        return f"{_number(summary.hours, lang)} {labels['hours']}"
    return ""


def _result(summary: CredentialSummary, lang: str) -> str:
    statuses = _STATUS[lang]
    for result in summary.results:
        if result.value is not None and _clean(result.value):
            text = _clean(result.value)
            return _number(text, lang) if _looks_decimal(text) else text
        if result.status:
            return statuses.get(result.status, _clean(result.status))
    return statuses["Completed"]


def _looks_decimal(text: str) -> bool:
    head, _, tail = text.partition(".")
    return head.isascii() and head.isdigit() and (not tail or (tail.isascii() and tail.isdigit()))


def _level(code: str | None, labels: Mapping[str, str]) -> str:
    text = _clean(code)
    return labels["entry"] if text == "entry" else text


def _vocab(value: str | None, lang: str) -> str:
    text = _clean(value)
    return _VOCAB_NL.get(text, text) if lang == "nl" else text


def _read(credential: Mapping[str, Any], lang: str) -> _Certificate:
    from mcbadge.summary import CredentialSummary, summarize

    labels = _LABELS[lang]
    summary = summarize(credential, require_ob3=False) or CredentialSummary()
    inst = summary.institution
    facts: list[_Fact] = []
    nlqf = _level(summary.nlqf, labels)
    if nlqf:
        facts.append(_Fact(labels["nlqf"], nlqf))
    if summary.eqf is not None:
        facts.append(_Fact(labels["eqf"], str(summary.eqf)))
    size = _size(summary, labels, lang)
    if size:
        facts.append(_Fact(labels["size"], size))
    facts.append(_Fact(labels["result"], _result(summary, lang)))
    issued = _date(summary.valid_from or summary.awarded_date, lang)
    if issued:
        facts.append(_Fact(labels["date"], issued))
    eu: list[_Fact] = []
    for label, value in (
        ("assessment", _vocab(summary.assessment, lang)),
        ("participation", _vocab(summary.participation, lang)),
        ("qa", _clean(summary.quality_assurance[0].name) if summary.quality_assurance else ""),
    ):
        if value:
            eu.append(_Fact(labels[label], value))
    outcomes = tuple(
        text for text in (_clean(o.name or o.description) for o in summary.outcomes) if text
    )
    issuer_id = _clean(inst.id) if inst is not None else ""
    return _Certificate(
        learner=_clean(summary.learner_name) or labels["holder"],
        unit=_clean(summary.unit_name),
        institution=(_clean(inst.name) if inst is not None else "") or issuer_id,
        parent_org=_clean(inst.parent.name) if inst is not None and inst.parent else "",
        facts=tuple(facts),
        eu=tuple(eu),
        outcomes=outcomes,
        issuer_id=issuer_id,
        credential_id=_clean(summary.credential_id),
        valid_until=_date(summary.valid_until, lang),
        nlqf=nlqf,
        achieved=not any(result.status == "Failed" for result in summary.results),
    )


# --------------------------------------------------------------------------------------------
# Drawing


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


def verification_link(public_url: str, credential_id: str) -> str:
    """The issuer's verify page for a credential: ``{public_url}/verify?id={credential_id}``.

    Args:
        public_url: Where the issuing service is reached (``mcbadge serve --public-url``),
            an ``https://`` (or ``http://``) URL without query or fragment.
        credential_id: The credential's ``id``; it is percent-encoded into the query.

    Returns:
        The link.

    Raises:
        InvalidInputError: ``public_url`` is not an http(s) URL without query and fragment
            (code ``invalid_option``).

    Example:
        >>> verification_link("https://verify.hs.nl/", "urn:uuid:1")
        'https://verify.hs.nl/verify?id=urn%3Auuid%3A1'
    """
    parts = urlsplit(public_url)
    if parts.scheme not in ("https", "http") or not parts.netloc or parts.query or parts.fragment:
        raise InvalidInputError(
            f"the public URL must be an https:// URL without query or fragment, got {public_url!r}",
            code="invalid_option",
        )
    return f"{public_url.rstrip('/')}/verify?id={quote(credential_id, safe='')}"


def _credential_dict(credential: Any) -> Mapping[str, Any]:
    to_json_dict = getattr(credential, "to_json_dict", None)
    if callable(to_json_dict):
        out = to_json_dict()
        if isinstance(out, Mapping):
            return out
    if isinstance(credential, Mapping):
        return credential
    raise InvalidInputError(
        f"render_certificate_svg() takes a credential as a dict or an mcbadge model, not "
        f"{type(credential).__name__}",
        code="credential_malformed",
    )


def render_certificate_svg(
    credential: Mapping[str, Any] | Credential,
    *,
    lang: Language = "nl",
    public_url: str | None = None,
) -> str:
    """Draw a printable A4-landscape certificate (SVG) for a microcredential.

    Reads the fields of ``docs/mapping.md``: the learner's name (the ``name`` IdentityObject
    in ``credentialSubject.identifier``, only when it is not hashed), the unit
    (``achievement.name``), the institution (``issuer.name``, and ``issuer.parentOrg.name``),
    the NLQF and EQF levels (``ext:NLQF`` / ``ext:EQF`` alignments), the size (EC from
    ``creditsAvailable`` / ``creditsEarned``, with the study hours of an ``ext:StudyLoad``
    ECTS alignment, or SBU from an ``ext:StudyLoad`` SBU alignment), the learning outcomes
    (``ext:LearningOutcome`` alignments; wrapped, and cut with "… and N more" when they do
    not fit), the result (the grade, or "Behaald"/"Completed"), the date of issue
    (``validFrom``), the EU mandatory elements (type of assessment, form of participation,
    quality assurance) and the credential id, all as :func:`mcbadge.summary.summarize` reads
    them. The institution is named by its name, not its DID. With ``public_url`` the
    certificate carries the verification link (:func:`verification_link`) as text and as a
    QR code. Missing fields are left out; the credential is not validated here and never
    modified.

    Args:
        credential: The credential (signed or not): a dict or an mcbadge model.
        lang: ``"nl"`` (Dutch labels and dates, decimal comma) or ``"en"``.
        public_url: Where the issuer's service is reached (``mcbadge serve --public-url``);
            adds the link to its verify page for this credential, and its QR code.

    Returns:
        The SVG document (UTF-8 text with an XML declaration).

    Raises:
        InvalidInputError: ``lang`` is not ``"nl"`` or ``"en"`` (``unsupported_language``),
            or ``credential`` is not a dict or model (``credential_malformed``).

    Example:
        >>> from mcbadge.demo import sample_microcredential
        >>> cred = sample_microcredential().to_credential(id="urn:uuid:1")
        >>> "Data Privacy in de Zorg" in render_certificate_svg(cred)
        True
    """
    if lang not in _LABELS:
        raise InvalidInputError(
            f"unsupported certificate language {lang!r}; use 'nl' or 'en'",
            code="unsupported_language",
        )
    labels = _LABELS[lang]
    cert = _read(_credential_dict(credential), lang)
    link = None
    if public_url is not None:
        if not cert.credential_id:
            raise InvalidInputError(
                "a verification link needs the credential's id, and this credential has none",
                code="credential_malformed",
            )
        link = verification_link(public_url, cert.credential_id)

    parts: list[str] = []
    parts += _frame()
    if cert.nlqf:
        parts += _seal(cert.nlqf)
    y = 250.0
    institution, size = _fit(cert.institution, 1900, 56, min_size=34, bold=True)
    parts.append(_text(_CENTER, y, institution, size, weight="bold", fill=_ACCENT))
    if cert.parent_org:
        y += 52
        parent, size = _fit(cert.parent_org, 1900, 36, min_size=26)
        parts.append(_text(_CENTER, y, parent, size, fill=_GREY))
    y += 165
    parts.append(_text(_CENTER, y, labels["title"], 132, family=_SERIF, fill=_ACCENT))
    y += 75
    parts.append(_text(_CENTER, y, labels["kind"], 38, weight="bold", fill=_GOLD, spacing=14))
    y += 105
    parts.append(_text(_CENTER, y, labels["certify"], 42, fill=_GREY, style="italic"))
    y += 120
    learner, size = _fit(cert.learner, _TEXT_WIDTH, 100, min_size=64, bold=True)
    if learner == cert.learner:
        learner_lines = [learner]
    else:  # too long for one line even at the smallest size: two lines, never silently cut
        learner_lines = _wrap(cert.learner, _TEXT_WIDTH, size, max_lines=2, bold=True)
    for i, line in enumerate(learner_lines):
        parts.append(_text(_CENTER, y, line, size, weight="bold", family=_SERIF))
        if i < len(learner_lines) - 1:
            y += size * 1.15
    parts.append(
        f'<line x1="{_CENTER - 700}" y1="{y + 34:g}" x2="{_CENTER + 700}" y2="{y + 34:g}" '
        f'stroke="{_GOLD}" stroke-width="3"/>'
    )
    y += 100
    verdict = labels["completed"] if cert.achieved else labels["not_achieved"]
    parts.append(_text(_CENTER, y, verdict, 42, fill=_GREY, style="italic"))
    unit_lines = _wrap(cert.unit or "—", _TEXT_WIDTH, 70, max_lines=2, bold=True)
    y += 100
    for line in unit_lines:
        parts.append(_text(_CENTER, y, line, 70, weight="bold", fill=_ACCENT))
        y += 82
    y += 8
    parts += _facts(cert.facts, y)
    y += _FACTS_HEIGHT
    if cert.eu:
        parts += _eu_row(cert.eu, y + 62)
        y += 115
    parts += _outcomes(cert, labels, y + 75)
    parts += _footer(cert, labels, link)
    if link is not None:
        parts += _qr(link, labels)

    title = f"{labels['title']} {labels['kind'].lower()}: {cert.unit} — {cert.learner}"
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="297mm" height="210mm" '
        f'viewBox="0 0 {_WIDTH} {_HEIGHT}" xml:lang="{lang}" role="img" '
        'aria-labelledby="certificate-title">\n'
        f'<title id="certificate-title">{_esc(title)}</title>\n'
    )
    return head + "\n".join(parts) + "\n</svg>\n"


def render_and_bake(
    credential_signed: Mapping[str, Any] | str | Credential,
    *,
    lang: Language = "nl",
    public_url: str | None = None,
) -> str:
    """Render the certificate SVG and bake the signed credential into it.

    Args:
        credential_signed: The signed credential: a dict (or mcbadge model) with an embedded
            proof, or a VC-JWT (compact JWS; its payload is read, not verified, to draw the
            certificate).
        lang: ``"nl"`` or ``"en"``.
        public_url: Where the issuer's service is reached: adds the verification link and
            its QR code (see :func:`render_certificate_svg`).

    Returns:
        The certificate SVG with ``<openbadges:credential>`` as the first child of ``<svg>``.

    Raises:
        BakingError: the credential cannot be baked (``credential_not_bakeable``, e.g. a
            malformed JWT, or ``credential_too_large``).
        InvalidInputError: unsupported ``lang``.

    Example:
        >>> from mcbadge.bake import unbake_svg
        >>> svg = render_and_bake(signed, lang="en")  # doctest: +SKIP
        >>> unbake_svg(svg) == signed  # doctest: +SKIP
        True
    """
    from mcbadge.bake import bake_svg

    if isinstance(credential_signed, str):
        from mcbadge.proofs.jwt import parse_credential_jwt

        try:
            shown: Mapping[str, Any] | Credential = parse_credential_jwt(
                credential_signed.strip()
            ).credential
        except McBadgeError as exc:
            raise BakingError(
                f"the credential string is not a readable VC-JWT: {exc.message}",
                code="credential_not_bakeable",
            ) from exc
    else:
        shown = credential_signed
    svg = render_certificate_svg(shown, lang=lang, public_url=public_url)
    return bake_svg(svg, credential_signed)
