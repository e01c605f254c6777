"""The badge class: the unit, its size and level, the learning outcomes, the EU elements.

The badge class's own fields, its image and criteria, SURF's microcredential extensions
(ECTS, EQF, study load, learning outcome, programme codes), the edubadges vocabularies for
participation and assessment, and the quality assurance alignment.

May import: :mod:`mcbadge.edubadges.convert.reading` and its errors,
:mod:`mcbadge.microcredential`, :mod:`mcbadge._internal`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from mcbadge.edubadges.convert.errors import InvalidSourceFieldError, MissingSourceFieldError
from mcbadge.edubadges.convert.reading import (
    _ABS_IRI_RE,
    _ASSESSMENT,
    _BADGE_CLASS_EXTENSIONS,
    _LANGUAGES,
    _LOCALE_RE,
    _MICRO_CREDENTIAL_KIND,
    _PARTICIPATION,
    _PARTICIPATION_ORDER,
    _QA_FRAMEWORK_CODE,
    _bool,
    _build,
    _check_context,
    _check_type,
    _Collector,
    _extension,
    _Given,
    _iri,
    _is_empty,
    _join,
    _list,
    _number,
    _Parts,
    _ref_id,
    _shown,
    _text,
    _whole,
)
from mcbadge.microcredential import (
    ASSESSMENT_TYPES,
    AssessmentType,
    ParticipationType,
    QualityAssurance,
    SupervisionType,
)

if TYPE_CHECKING:
    pass

_OB3_LANGUAGE_RE: Final = re.compile(r"[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?")


def _read_badge_class(
    c: _Collector,
    b: Mapping[str, Any],
    parts: _Parts,
    *,
    issuer_id: str | None,
    given: _Given,
) -> list[str]:
    """Read the badge class; returns the programme identifiers (strings) found."""
    path = "badge_class"
    _check_context(b, path)
    _check_type(b, path, ("BadgeClass",))
    seen = {"@context", "type"}

    kind = b.get("typeBadgeClass")
    seen.add("typeBadgeClass")
    if kind is None:
        c.note(
            "badge_class: the badge class does not state its kind (typeBadgeClass); it was "
            "converted as a microcredential"
        )
    elif kind != _MICRO_CREDENTIAL_KIND:
        raise InvalidSourceFieldError(
            f"badge_class.typeBadgeClass: {_shown(kind)} is not a microcredential badge class "
            f"({_MICRO_CREDENTIAL_KIND!r}); only microcredentials convert to a Microcredential",
            path="badge_class.typeBadgeClass",
        )

    if "name" not in b:
        raise MissingSourceFieldError(
            "badge_class.name: the badge class has no name (the title of the microcredential)",
            path="badge_class.name",
        )
    seen |= {"name", "id", "description", "image", "criteria", "issuer"}
    parts.unit["name"] = _text(b["name"], "badge_class.name")
    if b.get("id") is not None:
        parts.unit["id"] = _iri(b["id"], "badge_class.id")
    if not _is_empty(b.get("description")):
        parts.unit["description"] = _text(b["description"], "badge_class.description")
    _read_image(c, b, parts)
    _read_criteria(c, b, parts)
    if "issuer" in b and issuer_id is not None and _ref_id(b["issuer"]) != issuer_id:
        raise InvalidSourceFieldError(
            f"badge_class.issuer: the badge class belongs to issuer {_shown(_ref_id(b['issuer']))}"
            f", but the issuer given is {issuer_id!r}",
            path="badge_class.issuer",
        )

    programme = _read_badge_class_extensions(c, b, parts, nlqf_given=given.nlqf is not None)
    seen |= set(_BADGE_CLASS_EXTENSIONS)

    _read_vocabularies(
        c,
        b,
        parts,
        assessment=given.assessment,
        participation=given.participation,
        supervision=given.supervision,
    )
    seen |= {"participation", "assessmentType", "assessmentSupervised", "assessmentIdVerified"}
    _read_quality_assurance(c, b, parts, given=given.quality_assurance)
    seen |= {"qualityAssuranceName", "qualityAssuranceUrl", "qualityAssuranceDescription"}
    seen.add("alignment")
    for n, item in enumerate(_list(b.get("alignment"), "badge_class.alignment")):
        item_path = f"badge_class.alignment[{n}]"
        if _is_quality_assurance_alignment(item, parts):
            assert isinstance(item, Mapping)  # noqa: S101 - checked by the predicate
            c.leftovers(
                item,
                item_path,
                {"type", "targetName", "targetUrl", "targetDescription", "targetCode"},
            )
            c.note(f"{item_path}: the quality-assurance alignment becomes quality_assurance")
            continue
        c.lose(
            item_path,
            item,
            "the microcredential builder has no field for other alignments (e.g. ESCO skills)",
        )

    if "stackable" in b:
        seen.add("stackable")
        if b["stackable"] is not None:
            parts.stackable = _bool(b["stackable"], "badge_class.stackable")
    for key, reason in {
        "tags": "the microcredential builder has no tag field",
        "gradeAchievedRequired": "an awarding rule of the badge class (a grade must be given); "
        "the builder has no field for it",
        "eqfNlqfLevelVerified": "the builder has no field for whether the EQF/NLQF level was "
        "verified",
    }.items():
        if key in b:
            seen.add(key)
            if not _is_empty(b[key]):
                c.lose(_join(path, key), b[key], reason)
    c.leftovers(b, path, seen)
    return programme


def _read_image(c: _Collector, b: Mapping[str, Any], parts: _Parts) -> None:
    image = b.get("image")
    if _is_empty(image):
        return
    if isinstance(image, Mapping):
        if "id" not in image:
            c.lose("badge_class.image", image, "an image object without an id cannot be carried")
            return
        parts.unit["image"] = _iri(image["id"], "badge_class.image.id")
        c.leftovers(image, "badge_class.image", {"id", "type"})
        return
    parts.unit["image"] = _iri(image, "badge_class.image")


def _read_criteria(c: _Collector, b: Mapping[str, Any], parts: _Parts) -> None:
    criteria = b.get("criteria")
    if _is_empty(criteria):
        return
    if isinstance(criteria, str):
        c.lose("badge_class.criteria", criteria, "the builder takes criteria as text, not a URL")
        return
    if not isinstance(criteria, Mapping):
        raise InvalidSourceFieldError(
            f"badge_class.criteria: expected an object or a URL, got {_shown(criteria)}",
            path="badge_class.criteria",
        )
    if not _is_empty(criteria.get("narrative")):
        parts.unit["criteria"] = _text(criteria["narrative"], "badge_class.criteria.narrative")
    if not _is_empty(criteria.get("id")):
        c.lose("badge_class.criteria.id", criteria["id"], "the builder has no criteria URL field")
    c.leftovers(criteria, "badge_class.criteria", {"narrative", "id", "type"})


def _read_badge_class_extensions(
    c: _Collector, b: Mapping[str, Any], parts: _Parts, *, nlqf_given: bool
) -> list[str]:
    path = "badge_class"
    values: dict[str, tuple[Any, str]] = {}
    for key, member in _BADGE_CLASS_EXTENSIONS.items():
        found = _extension(c, b, key, member, path)
        if found is not None:
            values[member] = found

    if "ECTS" in values:
        raw, where = values["ECTS"]
        ects = _number(raw, where)
        if ects <= 0:
            raise InvalidSourceFieldError(f"{where}: ECTS must be positive, got {raw}", path=where)
        parts.ects = ects
    if "StudyLoad" in values:
        raw, where = values["StudyLoad"]
        load = _number(raw, where)
        if load <= 0:
            raise InvalidSourceFieldError(
                f"{where}: the study load must be positive, got {raw}", path=where
            )
        if parts.ects is not None:
            c.lose(
                where,
                raw,
                "the builder states the size in ECTS or in SBU, not both; the ECTS were carried",
            )
        elif _whole(load) is None:
            c.lose(where, raw, "the builder holds SBU as whole hours")
        else:
            parts.sbu = _whole(load)
            c.note(
                f"{where}: the study load in hours ({raw}) becomes the size in SBU "
                "(studiebelastingsuren)"
            )
    if "TimeInvestment" in values:
        raw, where = values["TimeInvestment"]
        hours = _number(raw, where)
        if hours < 0:
            raise InvalidSourceFieldError(
                f"{where}: the time investment must not be negative, got {raw}", path=where
            )
        if hours == 0:
            c.lose(where, raw, "edubadges uses 0 hours for 'not set'")
        elif _whole(hours) is None:
            c.lose(where, raw, "the builder holds the study hours as whole hours")
        else:
            parts.unit["hours"] = _whole(hours)
    if "EQF" in values:
        raw, where = values["EQF"]
        level = _whole(_number(raw, where))
        if level is None or not 1 <= level <= 8:
            raise InvalidSourceFieldError(
                f"{where}: the EQF level must be a whole number 1–8, got {raw}", path=where
            )
        parts.eqf, parts.eqf_path = level, where
    elif not nlqf_given:
        raise MissingSourceFieldError(
            "badge_class.extensions:EQFExtension: the badge class states no EQF level, and the "
            "microcredential needs an NLQF level; pass nlqf=",
            path="badge_class.extensions:EQFExtension",
        )
    if "LearningOutcome" in values:
        raw, where = values["LearningOutcome"]
        parts.outcome = _text(raw, where)
    else:
        raise MissingSourceFieldError(
            "badge_class.extensions:LearningOutcomeExtension: the badge class states no "
            "learning outcomes, which a microcredential must have",
            path="badge_class.extensions:LearningOutcomeExtension",
        )
    if "Language" in values:
        raw, where = values["Language"]
        text = _text(raw, where)
        tag = _language(text)
        if tag is None:
            c.lose(where, raw, "not a language mcbadge can write as an OB3 language tag")
            c.note("unit.language: no usable Language extension; inLanguage defaults to 'nl'")
        else:
            parts.unit["language"] = tag
            if tag != text:
                c.note(
                    f"{where}: {text!r} is written as the language tag {tag!r}"
                    + (" ('EN' is no region; the value means English)" if text == "en_EN" else "")
                )
    else:
        c.note(
            "unit.language: the badge class has no Language extension; inLanguage defaults to 'nl'"
        )

    programme: list[str] = []
    if "EducationProgramIdentifier" in values:
        raw, where = values["EducationProgramIdentifier"]
        items = raw if isinstance(raw, list) else [raw]
        for n, item in enumerate(items):
            item_path = f"{where}[{n}]" if isinstance(raw, list) else where
            programme.append(_programme_code(item, item_path))
        for n in range(1, len(programme)):
            c.lose(
                f"{where}[{n}]",
                items[n],
                f"the builder holds one programme code; {programme[0]} was carried",
            )
    return programme


def _programme_code(value: Any, path: str) -> str:
    if isinstance(value, str) and value.strip().isdigit():
        return value.strip()
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidSourceFieldError(
            f"{path}: a programme identifier must be a number, got {_shown(value)}", path=path
        )
    whole = _whole(_number(value, path))
    if whole is None or whole <= 0:
        raise InvalidSourceFieldError(
            f"{path}: a programme identifier must be a positive whole number, got {value}",
            path=path,
        )
    return str(whole)


def _language(text: str) -> str | None:
    if text in _LANGUAGES:
        return _LANGUAGES[text]
    if _OB3_LANGUAGE_RE.fullmatch(text):
        return text
    match = _LOCALE_RE.fullmatch(text)
    if match:
        return f"{match.group(1)}-{match.group(2).upper()}"
    return None


def _split_codes(value: Any, path: str) -> list[str]:
    if not isinstance(value, str):
        raise InvalidSourceFieldError(
            f"{path}: expected comma-separated values, got {_shown(value)}", path=path
        )
    return [part.strip() for part in value.split(",") if part.strip()]


def _read_vocabularies(
    c: _Collector,
    b: Mapping[str, Any],
    parts: _Parts,
    *,
    assessment: AssessmentType | None,
    participation: ParticipationType | None,
    supervision: SupervisionType | None,
) -> None:
    # Form of participation and type of assessment: edubadges keeps several comma-separated
    # values, the builder one value from the EU vocabulary.
    vocabularies: tuple[tuple[str, Mapping[str, str], tuple[str, ...], str, str | None], ...] = (
        ("participation", _PARTICIPATION, _PARTICIPATION_ORDER, "participation", participation),
        ("assessmentType", _ASSESSMENT, ASSESSMENT_TYPES, "assessment", assessment),
    )
    for key, table, order, attr, given in vocabularies:
        if _is_empty(b.get(key)):
            continue
        where = _join("badge_class", key)
        codes = _split_codes(b[key], where)
        mapped = {code: table[code] for code in codes if code in table}
        chosen = given or next((v for v in order if v in mapped.values()), None)
        for code in codes:
            if code not in table:
                c.lose(
                    where,
                    code,
                    f"no equivalent in the builder's EU vocabulary "
                    f"({', '.join(order)}); pass {attr}=",
                )
            elif table[code] != chosen:
                c.lose(
                    where,
                    code,
                    f"replaced by the {attr}= argument"
                    if given
                    else f"the builder holds one {attr}; {chosen!r} was carried (this value "
                    f"means {table[code]!r})",
                )
        if chosen is not None and given is None:
            setattr(parts, attr, chosen)
            sources = ", ".join(repr(code) for code in codes if mapped.get(code) == chosen)
            c.note(f"{where}: {sources} becomes {attr} {chosen!r}")

    # Supervision and identity verification: two booleans in edubadges.
    supervised = b.get("assessmentSupervised")
    verified = b.get("assessmentIdVerified")
    if verified is not None:
        parts.identity_checked = _bool(verified, "badge_class.assessmentIdVerified")
        c.note(
            f"badge_class.assessmentIdVerified: becomes identity_checked "
            f"{str(parts.identity_checked).lower()}"
        )
    if supervised is None:
        return
    supervised = _bool(supervised, "badge_class.assessmentSupervised")
    if supervision is not None:
        if (supervision != "unsupervised with no identity verification") != supervised:
            c.lose(
                "badge_class.assessmentSupervised",
                supervised,
                "contradicted by the supervision= argument, which was used",
            )
        return
    if supervised is False and verified is False:
        parts.supervision = "unsupervised with no identity verification"
    elif supervised is True and verified is False:
        parts.supervision = "supervised with no identity verification"
    if parts.supervision is not None:
        c.note(
            f"badge_class.assessmentSupervised: with assessmentIdVerified becomes "
            f"supervision {parts.supervision!r}"
        )
        return
    reason = (
        "edubadges does not say whether the supervision was online or onsite, which the "
        "builder's vocabulary needs; pass supervision='supervised online' or 'onsite with "
        "identity verification'"
        if supervised and verified
        else "the builder's vocabulary has no 'unsupervised with identity verification'"
        if verified
        else "without assessmentIdVerified the supervision type cannot be chosen; pass supervision="
    )
    c.lose("badge_class.assessmentSupervised", supervised, reason)


def _read_quality_assurance(
    c: _Collector, b: Mapping[str, Any], parts: _Parts, *, given: QualityAssurance | None
) -> None:
    name = b.get("qualityAssuranceName")
    url = b.get("qualityAssuranceUrl")
    description = b.get("qualityAssuranceDescription")
    if given is not None:
        parts.quality_assurance = given
        if name == given.name and url == given.url and description in (None, given.description):
            return
        for key, value in (
            ("qualityAssuranceName", name),
            ("qualityAssuranceUrl", url),
            ("qualityAssuranceDescription", description),
        ):
            if not _is_empty(value):
                c.lose(f"badge_class.{key}", value, "replaced by the quality_assurance= argument")
        return
    if _is_empty(name) and _is_empty(url):
        if not _is_empty(description):
            c.lose(
                "badge_class.qualityAssuranceDescription",
                description,
                "a quality assurance needs a name and a URL",
            )
        return
    if _is_empty(name) or _is_empty(url):
        for key, value in (
            ("qualityAssuranceName", name),
            ("qualityAssuranceUrl", url),
            ("qualityAssuranceDescription", description),
        ):
            if not _is_empty(value):
                c.lose(
                    f"badge_class.{key}",
                    value,
                    "the builder's quality assurance needs both a name and a URL",
                )
        return
    parts.quality_assurance = _build(
        QualityAssurance,
        "badge_class.qualityAssuranceUrl",
        name=_text(name, "badge_class.qualityAssuranceName"),
        url=_iri(url, "badge_class.qualityAssuranceUrl"),
        description=None
        if _is_empty(description)
        else _text(description, "badge_class.qualityAssuranceDescription"),
    )


def _is_quality_assurance_alignment(item: Any, parts: _Parts) -> bool:
    """An alignment that names the quality-assurance framework (older edubadges badges).

    Either it repeats the badge class's quality assurance (same name and URL), or it is the
    edubadges microcredential framework alignment (``targetCode`` ``Kwaliteitskader``), taken
    as the quality assurance when the badge class has no ``qualityAssurance*`` fields.
    """
    if not isinstance(item, Mapping):
        return False
    qa = parts.quality_assurance
    if qa is not None:
        return bool(
            item.get("targetName") == qa.name
            and item.get("targetUrl") == qa.url
            and item.get("targetDescription") in (None, "", qa.description)
            and item.get("targetCode") in (None, "", qa.code)
        )
    if item.get("targetCode") != _QA_FRAMEWORK_CODE:
        return False
    name, url = item.get("targetName"), item.get("targetUrl")
    if not isinstance(name, str) or not isinstance(url, str) or not _ABS_IRI_RE.fullmatch(url):
        return False
    description = item.get("targetDescription")
    parts.quality_assurance = _build(
        QualityAssurance,
        "badge_class.alignment",
        name=name,
        url=url,
        description=description if isinstance(description, str) and description else None,
        code=_QA_FRAMEWORK_CODE,
    )
    return True
