"""The mapping of a microcredential onto Open Badges 3.0 JSON (``docs/mapping.md``).

:func:`_build` writes the unsigned ``AchievementCredential`` document for
:meth:`~mcbadge.microcredential.Microcredential.to_credential`: the issuer profile, the
learner's identifiers (salted hashes), the achievement with its NLQF/EQF, learning outcome,
prerequisite and stackability alignments, the size, the result and the EU elements, for the
``ob3`` and the ``edubadges`` profile. The defaults it derives (the achievement id, the
description, the criteria narrative) are shared with the read-back in
:mod:`mcbadge.microcredential.builder`, so that a credential read back builds the same JSON.

May import: :mod:`mcbadge.errors`, :mod:`mcbadge._internal`, :mod:`mcbadge.model`,
:mod:`mcbadge.microcredential.vocabulary`, :mod:`~mcbadge.microcredential.fields` and
:mod:`~mcbadge.microcredential.results` (the builder only for type checking).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from mcbadge.errors import ModelValidationError
from mcbadge.microcredential.fields import Institution, Learner, LearningOutcome, Unit
from mcbadge.microcredential.vocabulary import (
    EDUBADGES_SCHEMA_URL,
    EDUCREDENTIAL_CONTEXT_URL,
    EQF_URL,
    GLOSSARY_URL,
    HOURS_PER_EC,
    NLQF_URL,
    OB3_CONTEXT_URL,
    OB3_SCHEMA_URL,
    VC_V2_CONTEXT_URL,
    Profile,
)

if TYPE_CHECKING:
    from mcbadge.microcredential.builder import Microcredential


def _alignment(
    target_type: str,
    name: str,
    url: str,
    *,
    code: str | None = None,
    description: str | None = None,
    framework: str | None = None,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": ["Alignment"],
        "targetType": target_type,
        "targetName": name,
        "targetUrl": url,
    }
    if code is not None:
        out["targetCode"] = code
    if description is not None:
        out["targetDescription"] = description
    if framework is not None:
        out["targetFramework"] = framework
    return out


def _slug(text: str) -> str:
    return quote(re.sub(r"\s+", "-", text.strip().lower()), safe="-._~")


def _number(value: Decimal) -> int | float:
    """ECTS as a JSON number: an int when integral (never ``5.0``), else the exact float."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _identifiers(learner: Learner) -> list[dict[str, Any]]:
    from mcbadge.model import IdentityObject

    ids: list[dict[str, Any]] = [_identity_object("name", False, learner.name, None)]
    for identity_type, value in (
        ("emailAddress", learner.email),
        ("sisSourcedId", learner.student_number),
        ("ext:eduPersonPrincipalName", learner.eppn),
    ):
        if value is None:
            continue
        obj = (
            IdentityObject.hashed(identity_type, value)
            if learner.hash_identifiers
            else IdentityObject.plain(identity_type, value)
        )
        ids.append(obj.to_json_dict())
    for pre in learner.hashed_identities:
        ids.append(_identity_object(pre.identity_type, True, pre.identity_hash, pre.salt))
    return ids


def _identity_object(
    identity_type: str, hashed: bool, identity_hash: str, salt: str | None
) -> dict[str, Any]:
    """``IdentityObject(...).to_json_dict()`` for values the learner's model has checked
    already (its name; a :class:`HashedIdentity`), without building the model: a batch
    writes three per row (``test_builder_conformance`` holds the two equal)."""
    out: dict[str, Any] = {
        "type": "IdentityObject",
        "hashed": hashed,
        "identityHash": identity_hash,
        "identityType": identity_type,
    }
    if salt is not None:
        out["salt"] = salt
    return out


def _profile(inst: Institution, issuer_id: str | None = None) -> dict[str, Any]:
    prof: dict[str, Any] = {
        "id": issuer_id or inst.issuer_id,
        "type": ["Profile"],
        "name": inst.name,
        "url": inst.url,
    }
    if inst.email:
        prof["email"] = inst.email
    if inst.image:
        prof["image"] = {"id": inst.image, "type": "Image"}
    address: dict[str, Any] = {"type": ["Address"], "addressCountryCode": inst.country_code}
    if inst.country:
        address["addressCountry"] = inst.country
    if inst.locality:
        address["addressLocality"] = inst.locality
    prof["address"] = address
    if inst.brin:
        prof["otherIdentifier"] = [
            {"type": "IdentifierEntry", "identifier": inst.brin, "identifierType": "ext:BRIN"}
        ]
    if inst.parent is not None:
        prof["parentOrg"] = _profile(inst.parent)
    return prof


def _default_achievement_id(institution: Institution, unit: Unit) -> str:
    return f"{institution.url.rstrip('/')}/achievements/{_slug(unit.code or unit.name)}"


def _outcomes_narrative(outcomes: Sequence[LearningOutcome]) -> str:
    return "Leeruitkomsten / learning outcomes:\n\n" + "\n".join(f"- {o.text}" for o in outcomes)


def _default_description(mc: Microcredential) -> str:
    size = (
        f"{_number(mc.ects_decimal)} EC"
        if mc.ects_decimal is not None
        else f"{mc.sbu} SBU"
        if mc.sbu is not None
        else None
    )
    level = "NLQF instroomniveau" if mc.nlqf == "entry" else f"NLQF {mc.nlqf}"
    return (
        f"Microcredential '{mc.unit.name}' van {mc.institution.name} ({level}"
        + (f", {size}" if size else "")
        + ")."
    )


@dataclass(frozen=True)
class _UnitFrame:
    """The parts of a credential that depend on the unit, the issuer and the profile only
    (and on whether the result has a grade): the same for every learner of a cohort."""

    contexts: list[str]
    schemas: list[dict[str, Any]]
    issuer: dict[str, Any]
    achievement: dict[str, Any]
    result_description_id: str


def _build(
    mc: Microcredential,
    *,
    cred_id: str,
    valid_from: str,
    valid_until: str | None,
    awarded: str,
    issuer_id: str,
    profile: Profile,
    frames: dict[tuple[Any, ...], tuple[list[Any], _UnitFrame]] | None = None,
) -> dict[str, Any]:
    """The credential document. With ``frames`` (a cache owned by one caller, e.g. a batch
    worker) the unit's part is built once and shared by the documents: the caller must
    treat them as read-only. Without it every document is new throughout."""
    if frames is None:
        frame = _unit_frame(mc, issuer_id=issuer_id, profile=profile)
    else:
        key, held = _frame_key(mc, issuer_id, profile)
        cached = frames.get(key)
        if cached is None:
            frame = _unit_frame(mc, issuer_id=issuer_id, profile=profile)
            frames[key] = (held, frame)  # holds what the key has ids of: they stay unique
        else:
            frame = cached[1]

    subject: dict[str, Any] = {"type": ["AchievementSubject"]}
    if mc.learner.did:
        subject["id"] = mc.learner.did
    subject["identifier"] = _identifiers(mc.learner)
    subject["achievement"] = frame.achievement
    if mc.ects_decimal is not None:
        subject["creditsEarned"] = _number(mc.ects_decimal)
    subject_result: dict[str, Any] = {
        "type": ["Result"],
        "resultDescription": frame.result_description_id,
    }
    if mc.result.grade is not None:
        subject_result["value"] = mc.result.grade
        if not mc.result.passed:
            subject_result["status"] = "Failed"
    else:
        subject_result["status"] = "Completed" if mc.result.passed else "Failed"
    subject["result"] = [subject_result]

    doc: dict[str, Any] = {
        "@context": list(frame.contexts),
        "id": cred_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": mc.unit.name,
        "issuer": frame.issuer,
        "validFrom": valid_from,
    }
    if valid_until is not None:
        doc["validUntil"] = valid_until
    doc["awardedDate"] = awarded
    doc["credentialSubject"] = subject
    if frame.schemas:
        doc["credentialSchema"] = frame.schemas
    return doc


_SCALARS = (str, int, float, Decimal, bool, type(None))


def _frame_key(
    mc: Microcredential, issuer_id: str, profile: Profile
) -> tuple[tuple[Any, ...], list[Any]]:
    """What the unit frame depends on: every field but the learner and the result's grade
    and pass (scalars by value, objects by identity: a batch's rows are copies of one
    template, so they share them), the result's scale and names, issuer and profile."""
    key: list[Any] = [issuer_id, profile]
    held: list[Any] = []
    for name in type(mc).model_fields:
        if name in ("learner", "result"):
            continue
        value = getattr(mc, name)
        if isinstance(value, _SCALARS):
            key.append((type(value), value))  # 3 and 3.0 and True are equal, not the same
        else:
            key.append(id(value))
            held.append(value)
    result = mc.result
    key += [
        result.grade is None,
        result.name,
        result.result_type,
        result.scale_min,
        result.scale_max,
        result.pass_mark,
    ]
    return tuple(key), held


def _unit_frame(mc: Microcredential, *, issuer_id: str, profile: Profile) -> _UnitFrame:
    unit = mc.unit
    achievement_id = unit.id or _default_achievement_id(mc.institution, unit)
    alignments: list[dict[str, Any]] = []
    if mc.nlqf == "entry":
        alignments.append(
            _alignment("ext:NLQF", "NLQF instroomniveau", NLQF_URL, code="entry", framework="NLQF")
        )
    else:
        alignments.append(
            _alignment(
                "ext:NLQF", f"NLQF niveau {mc.nlqf}", NLQF_URL, code=str(mc.nlqf), framework="NLQF"
            )
        )
    if mc.eqf is not None:
        alignments.append(
            _alignment("ext:EQF", f"EQF level {mc.eqf}", EQF_URL, code=str(mc.eqf), framework="EQF")
        )
    if mc.sbu is not None:
        alignments.append(
            _alignment(
                "ext:StudyLoad",
                f"{mc.sbu} SBU",
                f"{GLOSSARY_URL}#sbu",
                code=str(mc.sbu),
                framework="SBU",
            )
        )
    hours = mc.study_hours
    if mc.ects_decimal is not None and hours is not None:
        alignments.append(
            _alignment(
                "ext:StudyLoad",
                f"{hours} uur",
                f"{GLOSSARY_URL}#ects",
                code=str(hours),
                description=f"{_number(mc.ects_decimal)} EC × {HOURS_PER_EC} uur",
                framework="ECTS",
            )
        )
    elif unit.hours is not None:
        # Hours without EC (an mbo unit in SBU, or the eu policy's workload in hours): the
        # edubadges profile also writes timeInvestment; the alignment keeps it in both.
        alignments.append(
            _alignment(
                "ext:StudyLoad",
                f"{unit.hours} uur",
                f"{GLOSSARY_URL}#timeInvestment",
                code=str(unit.hours),
                framework="hours",
            )
        )
    if mc.assessment is not None:
        alignments.append(
            _alignment(
                "ext:AssessmentType",
                mc.assessment,
                f"{GLOSSARY_URL}#assessment-type-{_slug(mc.assessment)}",
                code=mc.assessment,
            )
        )
    if mc.participation is not None:
        alignments.append(
            _alignment(
                "ext:ParticipationType",
                mc.participation,
                f"{GLOSSARY_URL}#participation-type-{_slug(mc.participation)}",
                code=mc.participation,
            )
        )
    if mc.supervision is not None:
        alignments.append(
            _alignment(
                "ext:SupervisionType",
                mc.supervision,
                f"{GLOSSARY_URL}#supervision-type-{_slug(mc.supervision)}",
                code=mc.supervision,
            )
        )
    identity_checked = mc.identity_checked
    if identity_checked is None and mc.supervision is not None:
        identity_checked = mc.supervision == "onsite with identity verification"
    if identity_checked is not None:
        alignments.append(
            _alignment(
                "ext:IdentityChecked",
                "identity checked" if identity_checked else "identity not checked",
                f"{GLOSSARY_URL}#identityChecked",
                code=str(identity_checked).lower(),
            )
        )
    if mc.quality_assurance is not None:
        qa = mc.quality_assurance
        alignments.append(
            _alignment(
                "ext:QualityAssurance", qa.name, qa.url, code=qa.code, description=qa.description
            )
        )
    for n, outcome in enumerate(mc.outcomes, start=1):
        alignments.append(
            _alignment(
                "ext:LearningOutcome",
                outcome.text,
                outcome.url or f"{achievement_id}#learning-outcome-{n}",
                code=outcome.code,
            )
        )
    for n, pre in enumerate(mc.prerequisite_list, start=1):
        alignments.append(
            _alignment(
                "ext:Prerequisite", pre.text, pre.url or f"{achievement_id}#prerequisite-{n}"
            )
        )
    if mc.stackability is not None:
        st = mc.stackability
        name = (
            f"stackable towards {st.towards}"
            if st.stackable and st.towards
            else "stackable"
            if st.stackable
            else "stand-alone"
        )
        alignments.append(
            _alignment(
                "ext:Stackability",
                name,
                st.url or f"{achievement_id}#stackability",
                code="stackable" if st.stackable else "stand-alone",
            )
        )

    narrative = _outcomes_narrative(mc.outcomes)
    if unit.criteria:
        narrative = unit.criteria + "\n\n" + narrative
    description = unit.description or _default_description(mc)
    result_description: dict[str, Any] = {
        "id": f"{achievement_id}#result",
        "type": ["ResultDescription"],
        "name": mc.result.name if mc.result.grade is not None else "Resultaat",
        "resultType": mc.result.result_type if mc.result.grade is not None else "Status",
    }
    if mc.result.grade is not None:
        for key, value in (
            ("valueMin", mc.result.scale_min),
            ("valueMax", mc.result.scale_max),
            ("requiredValue", mc.result.pass_mark),
        ):
            if value is not None:
                result_description[key] = value

    achievement: dict[str, Any] = {
        "id": achievement_id,
        "type": ["Achievement"],
        "achievementType": "MicroCredential",
        "name": unit.name,
        "description": description,
        "criteria": {"narrative": narrative},
        "inLanguage": unit.language,
        "alignment": alignments,
        "resultDescription": [result_description],
    }
    if unit.code:
        achievement["humanCode"] = unit.code
    if unit.programme_code:
        achievement["otherIdentifier"] = [
            {
                "type": "IdentifierEntry",
                "identifier": unit.programme_code,
                "identifierType": unit.programme_code_type,
            }
        ]
    if unit.field_of_study:
        achievement["fieldOfStudy"] = unit.field_of_study
    if unit.image:
        achievement["image"] = {"id": unit.image, "type": "Image"}
    if mc.ects_decimal is not None:
        achievement["creditsAvailable"] = _number(mc.ects_decimal)

    contexts = [VC_V2_CONTEXT_URL, OB3_CONTEXT_URL]
    # The ob3 profile carries no credentialSchema: its type 1EdTechJsonSchemaValidator2019
    # is defined only in the OB3 extensions.json context, which this profile does not use,
    # so it would be an undefined term (refused in JSON-LD safe mode; see docs/mapping.md).
    schemas: list[dict[str, Any]] = []
    if profile == "edubadges":
        contexts.append(EDUCREDENTIAL_CONTEXT_URL)
        schemas = [
            {"id": OB3_SCHEMA_URL, "type": "1EdTechJsonSchemaValidator2019"},
            {"id": EDUBADGES_SCHEMA_URL, "type": "1EdTechJsonSchemaValidator2019"},
        ]
        achievement["type"] = ["Achievement", "EducredentialAchievement"]
        if mc.ects_decimal is not None:
            achievement["ECTS"] = _number(mc.ects_decimal)
        if mc.sbu is not None:
            achievement["SBU"] = mc.sbu
        if mc.assessment is not None:
            achievement["assessmentType"] = mc.assessment
        if mc.participation is not None:
            achievement["participationType"] = mc.participation
        if mc.supervision is not None:
            achievement["supervisionType"] = mc.supervision
        if identity_checked is not None:
            achievement["identityChecked"] = identity_checked
        if unit.hours is not None:
            achievement["timeInvestment"] = unit.hours
    elif profile != "ob3":
        raise ModelValidationError(
            f"unknown profile {profile!r}; use 'ob3' or 'edubadges'", field="profile"
        )

    return _UnitFrame(
        contexts=contexts,
        schemas=schemas,
        issuer=_profile(mc.institution, issuer_id),
        achievement=achievement,
        result_description_id=result_description["id"],
    )
