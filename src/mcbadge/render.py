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
from xml.sax.saxutils import escape

from mcbadge.errors import BakingError, InvalidInputError, McBadgeError

if TYPE_CHECKING:
    from mcbadge.model import Credential

__all__ = ["Language", "render_and_bake", "render_certificate_svg"]

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
_FACTS_HEIGHT = 160
_ELLIPSIS = "…"

_LABELS: dict[str, dict[str, str]] = {
    "nl": {
        "title": "Certificaat",
        "kind": "MICROCREDENTIAL",
        "certify": "Hierbij wordt verklaard dat",
        "completed": "met goed gevolg heeft afgerond",
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
        "note": "Dit bestand bevat het digitaal ondertekende credential (Open Badges 3.0). "
        "Controleer de echtheid met een Open Badges 3.0-verifier.",
    },
    "en": {
        "title": "Certificate",
        "kind": "MICROCREDENTIAL",
        "certify": "This is to certify that",
        "completed": "has successfully completed",
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
        "note": "This file carries the digitally signed credential (Open Badges 3.0). "
        "Check it with an Open Badges 3.0 verifier.",
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


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def _obj(value: Any) -> Mapping[str, Any]:
    if isinstance(value, Mapping):
        return value
    if isinstance(value, list | tuple):
        for item in value:
            if isinstance(item, Mapping):
                return item
    return {}


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
    outcomes: tuple[str, ...]
    issuer_id: str
    credential_id: str
    valid_until: str
    nlqf: str


def _alignments(achievement: Mapping[str, Any], target_type: str) -> list[Mapping[str, Any]]:
    return [
        a
        for a in _list(achievement.get("alignment"))
        if isinstance(a, Mapping) and a.get("targetType") == target_type
    ]


def _learner_name(subject: Mapping[str, Any]) -> str:
    for identity in _list(subject.get("identifier")):
        if (
            isinstance(identity, Mapping)
            and identity.get("identityType") == "name"
            and identity.get("hashed") is not True
        ):
            name = _clean(identity.get("identityHash"))
            if name:
                return name
    return ""


def _size(
    achievement: Mapping[str, Any], subject: Mapping[str, Any], labels: Mapping[str, str], lang: str
) -> str:
    ects = achievement.get("creditsAvailable")
    if ects is None:
        ects = subject.get("creditsEarned")
    if ects is None:
        ects = achievement.get("ECTS")  # the edubadges profile
    if ects is not None and _number(ects, lang):
        text = f"{_number(ects, lang)} EC"
        for load in _alignments(achievement, "ext:StudyLoad"):
            if load.get("targetFramework") == "ECTS" and load.get("targetCode") is not None:
                text += f" ({_number(load.get('targetCode'), lang)} {labels['hours']})"
                break
        return text
    for load in _alignments(achievement, "ext:StudyLoad"):
        if load.get("targetFramework") == "SBU" and load.get("targetCode") is not None:
            return f"{_number(load.get('targetCode'), lang)} SBU"
    if achievement.get("SBU") is not None:
        return f"{_number(achievement.get('SBU'), lang)} SBU"
    return ""


def _result(subject: Mapping[str, Any], lang: str) -> str:
    statuses = _STATUS[lang]
    for result in _list(subject.get("result")):
        if not isinstance(result, Mapping):
            continue
        value = result.get("value")
        if value is not None and _clean(value):
            text = _clean(value)
            return _number(text, lang) if _looks_decimal(text) else text
        status = result.get("status")
        if isinstance(status, str) and status:
            return statuses.get(status, _clean(status))
    return statuses["Completed"]


def _looks_decimal(text: str) -> bool:
    head, _, tail = text.partition(".")
    return head.isascii() and head.isdigit() and (not tail or (tail.isascii() and tail.isdigit()))


def _level(alignment: Mapping[str, Any], labels: Mapping[str, str]) -> str:
    code = _clean(alignment.get("targetCode"))
    if code == "entry":
        return labels["entry"]
    return code or _clean(alignment.get("targetName"))


def _read(credential: Mapping[str, Any], lang: str) -> _Certificate:
    labels = _LABELS[lang]
    subject = _obj(credential.get("credentialSubject"))
    achievement = _obj(subject.get("achievement"))
    issuer_raw = credential.get("issuer")
    issuer = _obj(issuer_raw)
    issuer_id = _clean(issuer.get("id") if issuer else issuer_raw)
    facts: list[_Fact] = []
    nlqf = ""
    for alignment in _alignments(achievement, "ext:NLQF")[:1]:
        nlqf = _level(alignment, labels)
        if nlqf:
            facts.append(_Fact(labels["nlqf"], nlqf))
    for alignment in _alignments(achievement, "ext:EQF")[:1]:
        eqf = _level(alignment, labels)
        if eqf:
            facts.append(_Fact(labels["eqf"], eqf))
    size = _size(achievement, subject, labels, lang)
    if size:
        facts.append(_Fact(labels["size"], size))
    facts.append(_Fact(labels["result"], _result(subject, lang)))
    issued = _date(
        credential.get("validFrom")
        or credential.get("issuanceDate")
        or credential.get("awardedDate"),
        lang,
    )
    if issued:
        facts.append(_Fact(labels["date"], issued))
    outcomes = tuple(
        text
        for text in (
            _clean(a.get("targetName") or a.get("targetDescription"))
            for a in _alignments(achievement, "ext:LearningOutcome")
        )
        if text
    )
    return _Certificate(
        learner=_learner_name(subject) or labels["holder"],
        unit=_clean(achievement.get("name") or credential.get("name")),
        institution=_clean(issuer.get("name")) or issuer_id,
        parent_org=_clean(_obj(issuer.get("parentOrg")).get("name")),
        facts=tuple(facts),
        outcomes=outcomes,
        issuer_id=issuer_id,
        credential_id=_clean(credential.get("id")),
        valid_until=_date(credential.get("validUntil"), lang),
        nlqf=nlqf,
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


def _footer(cert: _Certificate, labels: Mapping[str, str]) -> list[str]:
    left = _CENTER - _TEXT_WIDTH / 2
    right = _CENTER + _TEXT_WIDTH / 2
    width = _TEXT_WIDTH
    y = 1755
    out = [
        f'<line x1="{left:g}" y1="{y:g}" x2="{right:g}" y2="{y:g}" stroke="{_GOLD}" '
        'stroke-width="3"/>'
    ]
    lines: list[tuple[str, bool]] = []
    if cert.institution:
        issued_by = f"{labels['issued_by']}: {_FSI}{cert.institution}{_PDI}"
        if cert.parent_org:
            issued_by += f" · {_FSI}{cert.parent_org}{_PDI}"
        lines.append((issued_by, True))
    if cert.issuer_id:
        lines.append((f"{labels['issuer_id']}: {_middle_ellipsis(cert.issuer_id, 110)}", False))
    ids = []
    if cert.credential_id:
        ids.append(f"{labels['credential_id']}: {_middle_ellipsis(cert.credential_id, 90)}")
    if cert.valid_until:
        ids.append(f"{labels['valid_until']}: {cert.valid_until}")
    if ids:
        lines.append((" · ".join(ids), False))
    y += 58
    for text, bold in lines:
        fitted, size = _fit(text, width, 30, min_size=20, bold=bold)
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
        y += 44
    note, size = _fit(labels["note"], width, 26, min_size=18)
    out.append(_text(left, y + 6, note, size, anchor="start", fill=_GREY, style="italic"))
    return out


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
    credential: Mapping[str, Any] | Credential, *, lang: Language = "nl"
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
    (``validFrom``) and the issuer and credential ids. Missing fields are left out; the
    credential is not validated here and never modified.

    Args:
        credential: The credential (signed or not): a dict or an mcbadge model.
        lang: ``"nl"`` (Dutch labels and dates, decimal comma) or ``"en"``.

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
    parts.append(_text(_CENTER, y, labels["completed"], 42, fill=_GREY, style="italic"))
    unit_lines = _wrap(cert.unit or "—", _TEXT_WIDTH, 70, max_lines=2, bold=True)
    y += 100
    for line in unit_lines:
        parts.append(_text(_CENTER, y, line, 70, weight="bold", fill=_ACCENT))
        y += 82
    y += 8
    parts += _facts(cert.facts, y)
    parts += _outcomes(cert, labels, y + _FACTS_HEIGHT + 75)
    parts += _footer(cert, labels)

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
    credential_signed: Mapping[str, Any] | str | Credential, *, lang: Language = "nl"
) -> str:
    """Render the certificate SVG and bake the signed credential into it.

    Args:
        credential_signed: The signed credential: a dict (or mcbadge model) with an embedded
            proof, or a VC-JWT (compact JWS; its payload is read, not verified, to draw the
            certificate).
        lang: ``"nl"`` or ``"en"``.

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
        from mcbadge.jwt import parse_credential_jwt

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
    svg = render_certificate_svg(shown, lang=lang)
    return bake_svg(svg, credential_signed)
