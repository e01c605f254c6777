"""What the certificate says, read from the credential summary.

``_read`` turns the :class:`~mcbadge.summary.CredentialSummary` of a credential into the
lines and facts of a certificate (``_Certificate``, ``_Fact``): learner, unit, institution,
NLQF/EQF level, size, result, the EU elements, dates and the issuer's id, in the chosen
language. Nothing is read from a picture; only the verified JSON.

May import: :mod:`mcbadge.summary`, :mod:`mcbadge.render.labels`, :mod:`mcbadge.render.text`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mcbadge.render.labels import _LABELS, _STATUS, _VOCAB_NL
from mcbadge.render.text import _clean, _date, _number

if TYPE_CHECKING:
    from mcbadge.summary import CredentialSummary


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
