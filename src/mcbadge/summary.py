"""What a credential says: the Dutch and EU microcredential fields read back from OB3 JSON.

:func:`summarize` reads an Open Badges 3.0 credential (the ``ob3`` and ``edubadges``
profiles of :mod:`mcbadge.microcredential`, credentials converted from edubadges, and other
OB3 credentials as far as they carry these fields) into a :class:`CredentialSummary`: the
learner, the institution, the unit, the NLQF/EQF level, the size (EC, SBU, hours), the
learning outcomes, the result, the EU mandatory elements (assessment, participation, quality
assurance) and the dates. It is what ``mcbadge verify``, the verify page and the printed
certificate show, so all three read the same fields the same way (``docs/mapping.md``).

The summary is read from the JSON the verifier checked (``VerificationReport.credential``),
never from a picture: a summary is only as true as the report's verdict, and every display
must say so when the credential did not verify. Hashed learner identifiers stay hashed.

:func:`summarize` never raises: a field that is missing or of the wrong shape is ``None``
(or an empty tuple); a document that is not an OB3 credential gives ``None``.
:meth:`mcbadge.microcredential.Microcredential.from_credential` builds the strict
microcredential from the same reading (the builder imports this module, never the reverse).

May import: :mod:`mcbadge.errors` and the standard library only; it sits below
:mod:`mcbadge.microcredential`, :mod:`mcbadge.report`, :mod:`mcbadge.render` and
:mod:`mcbadge.verify`, which all read credentials through it.

Example:
    >>> from mcbadge.demo import sample_microcredential
    >>> cred = sample_microcredential().to_credential(id="urn:uuid:1")
    >>> s = summarize(cred.to_json_dict())
    >>> s.unit_name, s.nlqf, str(s.ects)
    ('Data Privacy in de Zorg', '6', '5')
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation
from typing import Any, Final, Literal

from mcbadge._internal.jsonobject import json_object_of

__all__ = [
    "AlignmentSummary",
    "CredentialSummary",
    "IdentifierSummary",
    "OrganisationSummary",
    "ResultSummary",
    "describe",
    "summarize",
]

_OB3_TYPES: Final = frozenset({"OpenBadgeCredential", "AchievementCredential"})
_EDUCREDENTIAL_MARK: Final = "educredentials/obv3-examples"
_MAX_DEPTH: Final = 8  # parentOrg chains deeper than this are not followed


@dataclass(frozen=True)
class IdentifierSummary:
    """One learner identifier (an OB3 ``IdentityObject``).

    Attributes:
        identity_type: ``name``, ``emailAddress``, ``sisSourcedId``…
        hashed: Whether the value is a salted hash (then ``value`` is the hash).
        value: The plain value, or the ``sha256$…`` hash when ``hashed``.
        salt: The salt of a hashed value.
    """

    identity_type: str
    hashed: bool
    value: str
    salt: str | None = None


@dataclass(frozen=True)
class OrganisationSummary:
    """The issuing institution (the OB3 issuer ``Profile``) or its parent organisation.

    Attributes:
        id: The issuer id (often a DID).
        name: The institution's name.
        url: Its home page.
        email: Contact e-mail.
        image: Logo URL.
        brin: The BRIN code (``otherIdentifier`` of type ``ext:BRIN``).
        country_code: ``address.addressCountryCode``.
        country: ``address.addressCountry``.
        locality: ``address.addressLocality``.
        parent: The parent organisation (``parentOrg``), e.g. the university of a faculty.
    """

    id: str | None = None
    name: str | None = None
    url: str | None = None
    email: str | None = None
    image: str | None = None
    brin: str | None = None
    country_code: str | None = None
    country: str | None = None
    locality: str | None = None
    parent: OrganisationSummary | None = None


@dataclass(frozen=True)
class AlignmentSummary:
    """A learning outcome, quality assurance, prerequisite or stackability alignment.

    Attributes:
        name: ``targetName``: what a person reads.
        url: ``targetUrl``.
        code: ``targetCode``.
        description: ``targetDescription``.
        framework: ``targetFramework``.
    """

    name: str | None = None
    url: str | None = None
    code: str | None = None
    description: str | None = None
    framework: str | None = None


@dataclass(frozen=True)
class ResultSummary:
    """One result of the learner, with its description (scale and pass mark).

    Attributes:
        value: The grade (``Result.value``), when there is one.
        status: ``Completed``… (``Result.status``), when there is no grade.
        name: The result description's name (e.g. ``Eindcijfer``).
        result_type: ``ScaledScore``, ``LetterGrade``, ``Status``…
        value_min: Lowest value of the scale.
        value_max: Highest value of the scale.
        required_value: The pass mark.
    """

    value: str | None = None
    status: str | None = None
    name: str | None = None
    result_type: str | None = None
    value_min: str | None = None
    value_max: str | None = None
    required_value: str | None = None


@dataclass(frozen=True)
class CredentialSummary:
    """What an OB3 microcredential says, field by field (see the module docstring).

    Every field is ``None`` (or empty) when the credential does not state it.

    Attributes:
        credential_id: The credential's ``id``.
        profile: ``"edubadges"`` when the educredential context is used, else ``"ob3"``.
        learner_name: The learner's name (a plain ``name`` identifier).
        learner_id: ``credentialSubject.id`` (the learner's DID), when present.
        identifiers: Every learner identifier, hashed ones still hashed.
        institution: The issuer.
        unit_name: ``achievement.name``.
        unit_id: ``achievement.id``.
        achievement_type: ``achievement.achievementType`` (``MicroCredential``).
        description: ``achievement.description``.
        code: The course code (``humanCode``).
        programme_code: The CROHO/CREBO/RIO code (``otherIdentifier``).
        programme_code_type: ``ext:CROHO``, ``ext:CREBO`` or ``ext:RIO``.
        language: ``inLanguage``.
        image: The badge image URL.
        field_of_study: ``fieldOfStudy``.
        criteria: ``criteria.narrative``.
        nlqf: The NLQF level: ``"1"``…``"8"`` or ``"entry"``.
        eqf: The EQF level.
        ects: Size in EC.
        sbu: Size in SBU (mbo).
        hours: Study load in hours, when stated.
        time_investment: The educredential ``timeInvestment`` (hours), when present.
        outcomes: The learning outcomes.
        results: The learner's results.
        assessment: Type of assessment (EU mandatory).
        participation: Form of participation (EU mandatory).
        quality_assurance: Quality assurance (EU mandatory); usually one.
        supervision: Supervision and identity check during assessment.
        identity_checked: Whether the learner's identity was checked.
        prerequisites: Prerequisites.
        stackability: Stackability (``code`` ``stackable`` / ``stand-alone``).
        valid_from: ``validFrom`` (``issuanceDate`` for VC 1.1), as written.
        valid_until: ``validUntil`` (``expirationDate``), as written.
        awarded_date: ``awardedDate``, as written.
    """

    credential_id: str | None = None
    profile: Literal["ob3", "edubadges"] = "ob3"
    learner_name: str | None = None
    learner_id: str | None = None
    identifiers: tuple[IdentifierSummary, ...] = ()
    institution: OrganisationSummary | None = None
    unit_name: str | None = None
    unit_id: str | None = None
    achievement_type: str | None = None
    description: str | None = None
    code: str | None = None
    programme_code: str | None = None
    programme_code_type: str | None = None
    language: str | None = None
    image: str | None = None
    field_of_study: str | None = None
    criteria: str | None = None
    nlqf: str | None = None
    eqf: int | None = None
    ects: Decimal | None = None
    sbu: int | None = None
    hours: int | None = None
    time_investment: int | None = None
    outcomes: tuple[AlignmentSummary, ...] = ()
    results: tuple[ResultSummary, ...] = ()
    assessment: str | None = None
    participation: str | None = None
    quality_assurance: tuple[AlignmentSummary, ...] = ()
    supervision: str | None = None
    identity_checked: bool | None = None
    prerequisites: tuple[AlignmentSummary, ...] = ()
    stackability: AlignmentSummary | None = None
    valid_from: str | None = None
    valid_until: str | None = None
    awarded_date: str | None = None

    @property
    def issuer_name(self) -> str | None:
        """The institution's name (``None`` when the issuer has none)."""
        return self.institution.name if self.institution is not None else None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form (what ``mcbadge verify --json`` and the verify page show).

        Numbers of EC are written as strings (``"7.5"``) so that no digit is lost.

        Returns:
            A JSON-serialisable dict with every field of the summary.

        Example:
            >>> CredentialSummary(unit_name="X", ects=Decimal("7.5")).to_dict()["ects"]
            '7.5'
        """
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return _decimal_text(value)
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    return value


def _decimal_text(value: Decimal) -> str:
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return format(value.normalize(), "f")


# --------------------------------------------------------------------------- reading


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def _obj(value: Any) -> Mapping[str, Any]:
    for item in _list(value):
        if isinstance(item, Mapping):
            return item
    return {}


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _text(value: Any) -> str | None:
    """A string, or a number written as text (codes, grades); never a bool or object."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return repr(value) if isinstance(value, float) else str(value)
    return None


def _iri_of(value: Any) -> str | None:
    """An IRI given as a string or as an object with ``id`` (``Image``…)."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return _str(value.get("id"))
    return None


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _int(value: Any) -> int | None:
    number = _decimal(value)
    if number is None or number != number.to_integral_value():
        return None
    return int(number)


def _bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def _types(value: Any) -> list[str]:
    return [t for t in _list(value) if isinstance(t, str)]


def _alignments(achievement: Mapping[str, Any], target_type: str) -> list[Mapping[str, Any]]:
    return [
        a
        for a in _list(achievement.get("alignment"))
        if isinstance(a, Mapping) and a.get("targetType") == target_type
    ]


def _alignment(a: Mapping[str, Any]) -> AlignmentSummary:
    return AlignmentSummary(
        name=_str(a.get("targetName")),
        url=_str(a.get("targetUrl")),
        code=_text(a.get("targetCode")),
        description=_str(a.get("targetDescription")),
        framework=_str(a.get("targetFramework")),
    )


def _first_code(achievement: Mapping[str, Any], target_type: str) -> str | None:
    for a in _alignments(achievement, target_type):
        code = _text(a.get("targetCode")) or _str(a.get("targetName"))
        if code:
            return code
    return None


def _organisation(value: Any, depth: int = 0) -> OrganisationSummary | None:
    if isinstance(value, str):
        return OrganisationSummary(id=value)
    if not isinstance(value, Mapping) or depth > _MAX_DEPTH:
        return None
    address = _obj(value.get("address"))
    brin = None
    for entry in _list(value.get("otherIdentifier")):
        if isinstance(entry, Mapping) and entry.get("identifierType") == "ext:BRIN":
            brin = _str(entry.get("identifier"))
            break
    parent = value.get("parentOrg")
    return OrganisationSummary(
        id=_str(value.get("id")),
        name=_str(value.get("name")),
        url=_str(value.get("url")),
        email=_str(value.get("email")),
        image=_iri_of(value.get("image")),
        brin=brin,
        country_code=_str(address.get("addressCountryCode")),
        country=_str(address.get("addressCountry")),
        locality=_str(address.get("addressLocality")),
        parent=_organisation(parent, depth + 1) if parent is not None else None,
    )


def _identifiers(subject: Mapping[str, Any]) -> tuple[IdentifierSummary, ...]:
    out: list[IdentifierSummary] = []
    for item in _list(subject.get("identifier")):
        if not isinstance(item, Mapping):
            continue
        identity_type = _str(item.get("identityType"))
        value = _str(item.get("identityHash"))
        if identity_type is None or value is None:
            continue
        out.append(
            IdentifierSummary(
                identity_type=identity_type,
                hashed=item.get("hashed") is True,
                value=value,
                salt=_str(item.get("salt")),
            )
        )
    return tuple(out)


def _results(
    subject: Mapping[str, Any], achievement: Mapping[str, Any]
) -> tuple[ResultSummary, ...]:
    descriptions: dict[str, Mapping[str, Any]] = {}
    for rd in _list(achievement.get("resultDescription")):
        if isinstance(rd, Mapping) and isinstance(rd.get("id"), str):
            descriptions[rd["id"]] = rd
    out: list[ResultSummary] = []
    for result in _list(subject.get("result")):
        if not isinstance(result, Mapping):
            continue
        rd_ref = result.get("resultDescription")
        rd = descriptions.get(rd_ref, {}) if isinstance(rd_ref, str) else {}
        out.append(
            ResultSummary(
                value=_text(result.get("value")),
                status=_str(result.get("status")),
                name=_str(rd.get("name")),
                result_type=_str(rd.get("resultType")),
                value_min=_text(rd.get("valueMin")),
                value_max=_text(rd.get("valueMax")),
                required_value=_text(rd.get("requiredValue")),
            )
        )
    return tuple(out)


def _size(
    achievement: Mapping[str, Any], subject: Mapping[str, Any]
) -> tuple[Decimal | None, int | None, int | None]:
    ects = _decimal(achievement.get("creditsAvailable"))
    if ects is None:
        ects = _decimal(subject.get("creditsEarned"))
    if ects is None:
        ects = _decimal(achievement.get("ECTS"))  # the educredential term
    sbu: int | None = None
    hours: int | None = None
    for load in _alignments(achievement, "ext:StudyLoad"):
        framework = load.get("targetFramework")
        code = _int(load.get("targetCode"))
        if framework == "SBU" and sbu is None:
            sbu = code
        elif framework in ("ECTS", "hours") and hours is None:
            hours = code
    if sbu is None:
        sbu = _int(achievement.get("SBU"))
    if hours is None:
        hours = _int(achievement.get("timeInvestment"))
    return ects, sbu, hours


def _is_ob3(credential: Mapping[str, Any], achievement: Mapping[str, Any]) -> bool:
    if any(t in _OB3_TYPES for t in _types(credential.get("type"))):
        return True
    return bool(achievement) and "Achievement" in _types(achievement.get("type"))


def _profile(credential: Mapping[str, Any]) -> Literal["ob3", "edubadges"]:
    for ctx in _list(credential.get("@context")):
        if isinstance(ctx, str) and _EDUCREDENTIAL_MARK in ctx:
            return "edubadges"
    return "ob3"


def _learner_name(subject: Mapping[str, Any], ids: tuple[IdentifierSummary, ...]) -> str | None:
    for identity in ids:
        if identity.identity_type == "name" and not identity.hashed and identity.value:
            return identity.value
    return _str(subject.get("name"))


def summarize(credential: Any, *, require_ob3: bool = True) -> CredentialSummary | None:
    """Read what an OB3 credential says (see the module docstring for the fields).

    Args:
        credential: The credential as a JSON object (a dict, or an mcbadge model). For a
            VC-JWT, pass the credential inside it (``VerificationReport.credential``).
        require_ob3: Return ``None`` for a document that is not an OB3 credential (default);
            ``False`` reads whatever fields it has (the certificate renderer draws any JSON).

    Returns:
        The :class:`CredentialSummary`, or ``None`` when the document is not an Open Badges
        3.0 credential (no ``OpenBadgeCredential``/``AchievementCredential`` type and no
        ``Achievement``).

    Raises:
        Nothing: fields of the wrong shape are read as absent.

    Example:
        >>> summarize({"type": ["VerifiableCredential"], "credentialSubject": {}}) is None
        True
    """
    credential = json_object_of(credential)
    if credential is None:
        return None
    subject = _obj(credential.get("credentialSubject"))
    achievement = _obj(subject.get("achievement"))
    if require_ob3 and not _is_ob3(credential, achievement):
        return None
    ids = _identifiers(subject)
    ects, sbu, hours = _size(achievement, subject)
    programme_code = programme_type = None
    for entry in _list(achievement.get("otherIdentifier")):
        if isinstance(entry, Mapping) and _str(entry.get("identifierType")) in (
            "ext:CROHO",
            "ext:CREBO",
            "ext:RIO",
        ):
            programme_code = _str(entry.get("identifier"))
            programme_type = _str(entry.get("identifierType"))
            break
    identity_checked = None
    for a in _alignments(achievement, "ext:IdentityChecked"):
        identity_checked = _bool(a.get("targetCode"))
        break
    if identity_checked is None:
        identity_checked = _bool(achievement.get("identityChecked"))
    stackability = [_alignment(a) for a in _alignments(achievement, "ext:Stackability")]
    eqf_code = _first_code(achievement, "ext:EQF")
    return CredentialSummary(
        credential_id=_str(credential.get("id")),
        profile=_profile(credential),
        learner_name=_learner_name(subject, ids),
        learner_id=_str(subject.get("id")),
        identifiers=ids,
        institution=_organisation(credential.get("issuer")),
        unit_name=_str(achievement.get("name")) or _str(credential.get("name")),
        unit_id=_str(achievement.get("id")),
        achievement_type=_str(achievement.get("achievementType")),
        description=_str(achievement.get("description")),
        code=_str(achievement.get("humanCode")),
        programme_code=programme_code,
        programme_code_type=programme_type,
        language=_str(achievement.get("inLanguage")),
        image=_iri_of(achievement.get("image")),
        field_of_study=_str(achievement.get("fieldOfStudy")),
        criteria=_str(_obj(achievement.get("criteria")).get("narrative")),
        nlqf=_first_code(achievement, "ext:NLQF"),
        eqf=_int(eqf_code) if eqf_code is not None else None,
        ects=ects,
        sbu=sbu,
        hours=hours,
        time_investment=_int(achievement.get("timeInvestment")),
        outcomes=tuple(_alignment(a) for a in _alignments(achievement, "ext:LearningOutcome")),
        results=_results(subject, achievement),
        assessment=_first_code(achievement, "ext:AssessmentType")
        or _str(achievement.get("assessmentType")),
        participation=_first_code(achievement, "ext:ParticipationType")
        or _str(achievement.get("participationType")),
        quality_assurance=tuple(
            _alignment(a) for a in _alignments(achievement, "ext:QualityAssurance")
        ),
        supervision=_first_code(achievement, "ext:SupervisionType")
        or _str(achievement.get("supervisionType")),
        identity_checked=identity_checked,
        prerequisites=tuple(_alignment(a) for a in _alignments(achievement, "ext:Prerequisite")),
        stackability=stackability[0] if stackability else None,
        valid_from=_str(credential.get("validFrom")) or _str(credential.get("issuanceDate")),
        valid_until=_str(credential.get("validUntil")) or _str(credential.get("expirationDate")),
        awarded_date=_str(credential.get("awardedDate")),
    )


# --------------------------------------------------------------------------- plain text

_BIDI_CONTROLS: Final = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def _safe(value: Any, limit: int = 300) -> str:
    """One line of text safe for a terminal: controls shown as ``\\xNN``, never obeyed."""
    text = value if isinstance(value, str) else str(value)
    out: list[str] = []
    for ch in text:
        if ch in "\t\n\r":
            out.append(" ")
        elif ch in _BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Cs"):
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    line = " ".join("".join(out).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _size_text(summary: CredentialSummary) -> str | None:
    parts: list[str] = []
    if summary.ects is not None:
        parts.append(f"{_decimal_text(summary.ects)} EC")
    if summary.sbu is not None:
        parts.append(f"{summary.sbu} SBU")
    if summary.hours is not None:
        parts.append(f"{summary.hours} hours")
    elif summary.ects is not None:
        hours = summary.ects * 28
        if hours == hours.to_integral_value():
            parts.append(f"{int(hours)} hours")
    if not parts:
        return None
    return parts[0] + (f" ({', '.join(parts[1:])})" if parts[1:] else "")


def _result_text(result: ResultSummary) -> str:
    if result.value is None:
        return _safe(result.status or "Completed")
    text = _safe(result.value)
    extra: list[str] = []
    if result.value_min is not None and result.value_max is not None:
        extra.append(f"scale {_safe(result.value_min)}–{_safe(result.value_max)}")
    if result.required_value is not None:
        extra.append(f"pass mark {_safe(result.required_value)}")
    return text + (f" ({', '.join(extra)})" if extra else "")


def describe(summary: CredentialSummary) -> list[tuple[str, str]]:
    """The summary as labelled lines of plain text (what ``mcbadge verify`` prints).

    Every value is made safe for a terminal: control characters (escape sequences) and
    bidirectional controls are shown as ``\\xNN``, never passed through.

    Args:
        summary: What :func:`summarize` read.

    Returns:
        ``[(label, text), …]`` in reading order; absent fields are left out.

    Example:
        >>> describe(CredentialSummary(unit_name="Data Privacy", nlqf="6", eqf=6))
        [('unit', 'Data Privacy'), ('level', 'NLQF 6, EQF 6')]
    """
    rows: list[tuple[str, str]] = []

    def add(label: str, value: Any) -> None:
        if value is not None and value != "":
            rows.append((label, _safe(value)))

    if summary.learner_name is not None or summary.identifiers:
        hashed = sorted({i.identity_type for i in summary.identifiers if i.hashed})
        name = summary.learner_name or "(no name in the credential)"
        add("learner", name + (f" (hashed: {', '.join(hashed)})" if hashed else ""))
    inst = summary.institution
    if inst is not None:
        label = inst.name or inst.id or ""
        if inst.brin:
            label += f" (BRIN {inst.brin})"
        if inst.parent is not None and inst.parent.name:
            label += f", part of {inst.parent.name}"
        add("institution", label)
        if inst.name and inst.id:
            add("issuer id", inst.id)
    unit = summary.unit_name
    if unit is not None and summary.code:
        unit += f" ({summary.code})"
    add("unit", unit)
    levels = []
    if summary.nlqf is not None:
        levels.append("NLQF entry level" if summary.nlqf == "entry" else f"NLQF {summary.nlqf}")
    if summary.eqf is not None:
        levels.append(f"EQF {summary.eqf}")
    add("level", ", ".join(levels) or None)
    add("size", _size_text(summary))
    for result in summary.results:
        add("result", _result_text(result))
    for n, outcome in enumerate(summary.outcomes, start=1):
        add(f"outcome {n}", outcome.name or outcome.description)
    add("assessment", summary.assessment)
    add("participation", summary.participation)
    add("supervision", summary.supervision)
    if summary.identity_checked is not None:
        add("identity checked", "yes" if summary.identity_checked else "no")
    for qa in summary.quality_assurance:
        add("quality assurance", qa.name or qa.url)
    add("valid from", summary.valid_from)
    add("valid until", summary.valid_until)
    if summary.awarded_date != summary.valid_from:
        add("awarded", summary.awarded_date)
    return rows
