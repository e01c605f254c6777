"""The :class:`Microcredential` itself: its fields' rules, ``to_credential`` and the read-back.

:class:`Microcredential` puts the parts of :mod:`mcbadge.microcredential.fields` and
:mod:`mcbadge.microcredential.results` together with the NLQF/EQF level and the size, checks
their consistency, runs the policy profiles (:mod:`mcbadge.microcredential.policy`) and maps
itself onto OB3 JSON (:mod:`mcbadge.microcredential.mapping`). The other way,
:meth:`Microcredential.from_credential` and :func:`microcredential_from_summary` rebuild one
from what :func:`mcbadge.summary.summarize` read, leaving derived fields to the builder so
that ``to_credential()`` gives the same credential back.

May import: the modules of this package, :mod:`mcbadge.summary` (the reader below it),
:mod:`mcbadge.model`, :mod:`mcbadge.errors`, :mod:`mcbadge._internal`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, ClassVar, Literal, cast

from pydantic import field_validator, model_validator

from mcbadge.errors import ModelValidationError
from mcbadge.microcredential.fields import (
    _ABS_IRI_RE,
    HashedIdentity,
    Institution,
    Learner,
    LearningOutcome,
    PolicyViolation,
    Prerequisite,
    QualityAssurance,
    Stackability,
    Unit,
    _Input,
)
from mcbadge.microcredential.mapping import (
    _build,
    _default_achievement_id,
    _default_description,
    _outcomes_narrative,
)
from mcbadge.microcredential.policy import _check_edubadges_fields, _violations, check_policy
from mcbadge.microcredential.results import Result
from mcbadge.microcredential.vocabulary import (
    HOURS_PER_EC,
    AssessmentType,
    ParticipationType,
    PolicyName,
    Profile,
    SupervisionType,
)
from mcbadge.summary import CredentialSummary, OrganisationSummary, summarize

__all__ = ["Microcredential", "microcredential_from_summary"]


class Microcredential(_Input):
    """A Dutch microcredential: the certificate fields plus the EU mandatory elements.

    Attributes:
        learner: Who earned it.
        institution: The awarding body.
        unit: The unit of education.
        nlqf: NLQF level, 1–8, or ``"entry"`` (NLQF instroomniveau).
        eqf: EQF level 1–8; defaults to (and must equal) the NLQF level, none for the entry
            level.
        ects: Size in EC (hbo/wo).
        sbu: Size in SBU, study load hours (mbo).
        learning_outcomes: The learning outcomes achieved (at least one).
        result: The learner's result.
        assessment: Type of assessment.
        participation: Form of participation.
        quality_assurance: Type of quality assurance.
        supervision: Supervision and identity verification during assessment (optional).
        identity_checked: Whether the learner's identity was checked (optional; derived from
            ``supervision`` when omitted).
        prerequisites: Prerequisites (optional).
        stackability: Integration/stackability options (optional).

    Raises:
        ModelValidationError: a field is missing or has the wrong shape; names the field.
    """

    learner: Learner
    institution: Institution
    unit: Unit
    nlqf: int | Literal["entry"]
    eqf: int | None = None
    ects: Decimal | int | float | None = None
    sbu: int | None = None
    learning_outcomes: Sequence[LearningOutcome | str]
    result: Result = Result()
    assessment: AssessmentType | None = None
    participation: ParticipationType | None = None
    quality_assurance: QualityAssurance | None = None
    supervision: SupervisionType | None = None
    identity_checked: bool | None = None
    prerequisites: Sequence[Prerequisite | str] = ()
    stackability: Stackability | None = None

    _NLQF_LEVELS: ClassVar[range] = range(1, 9)

    @field_validator("learning_outcomes", mode="before")
    @classmethod
    def _outcomes(cls, v: Any) -> Any:
        if isinstance(v, str):
            v = [v]
        if isinstance(v, list | tuple):
            return tuple(LearningOutcome(text=o) if isinstance(o, str) else o for o in v)
        return v

    @field_validator("prerequisites", mode="before")
    @classmethod
    def _prereqs(cls, v: Any) -> Any:
        if isinstance(v, list | tuple):
            return tuple(Prerequisite(text=o) if isinstance(o, str) else o for o in v)
        return v

    @field_validator("nlqf", mode="before")
    @classmethod
    def _nlqf(cls, v: Any) -> Any:
        if isinstance(v, bool):
            raise ValueError("nlqf must be a level 1–8 or 'entry'")
        if isinstance(v, str) and v.isdigit():
            v = int(v)
        if isinstance(v, int) and v not in cls._NLQF_LEVELS:
            raise ValueError(f"NLQF level must be 1–8 or 'entry' (rule nlqf.range), got {v}")
        return v

    @field_validator("eqf")
    @classmethod
    def _eqf(cls, v: int | None) -> int | None:
        if v is not None and v not in range(1, 9):
            raise ValueError(f"EQF level must be 1–8 (rule eqf.range), got {v}")
        return v

    @field_validator("ects", mode="before")
    @classmethod
    def _ects(cls, v: Any) -> Any:
        if v is None or isinstance(v, Decimal):
            return v
        if isinstance(v, bool) or not isinstance(v, int | float | str):
            raise ValueError("ects must be a number, e.g. 5 or 7.5")
        try:
            value = Decimal(repr(v) if isinstance(v, float) else str(v).strip())
        except ArithmeticError:
            raise ValueError(f"ects must be a number, e.g. 5 or 7.5; got {v!r}") from None
        if not value.is_finite():
            raise ValueError(f"ects must be a finite number, got {v!r}")
        return value

    @model_validator(mode="after")
    def _consistency(self) -> Microcredential:
        if not self.learning_outcomes:
            raise ValueError("learning_outcomes: at least one learning outcome is required")
        if self.ects is not None and self.ects <= 0:
            raise ValueError("ects must be positive")
        if self.sbu is not None and self.sbu <= 0:
            raise ValueError("sbu must be positive")
        if self.ects is not None and self.sbu is not None:
            raise ValueError("give the size in ects (hbo/wo) or sbu (mbo), not both")
        if self.nlqf == "entry" and self.eqf is not None:
            raise ValueError(
                "eqf: the NLQF entry level has no EQF level (rule nlqf.eqf-match); leave eqf out"
            )
        if isinstance(self.nlqf, int) and self.eqf not in (None, self.nlqf):
            raise ValueError(
                f"eqf: NLQF level {self.nlqf} is EQF level {self.nlqf} (the NLQF is referenced "
                f"level for level to the EQF), got eqf={self.eqf} (rule nlqf.eqf-match)"
            )
        if self.eqf is None and isinstance(self.nlqf, int):
            object.__setattr__(self, "eqf", self.nlqf)
        return self

    @property
    def ects_decimal(self) -> Decimal | None:
        """The size in EC as an exact ``Decimal`` (validation stores it so)."""
        return cast("Decimal | None", self.ects)

    @property
    def outcomes(self) -> tuple[LearningOutcome, ...]:
        """The learning outcomes (strings given are turned into :class:`LearningOutcome`)."""
        return cast("tuple[LearningOutcome, ...]", self.learning_outcomes)

    @property
    def prerequisite_list(self) -> tuple[Prerequisite, ...]:
        """The prerequisites as :class:`Prerequisite` objects."""
        return cast("tuple[Prerequisite, ...]", self.prerequisites)

    @property
    def study_hours(self) -> int | None:
        """Study load in hours: ``unit.hours``, else ``ects * 28``, else ``sbu``."""
        if self.unit.hours is not None:
            return self.unit.hours
        ects = self.ects_decimal
        if ects is not None:
            hours = ects * HOURS_PER_EC
            return int(hours) if hours == hours.to_integral_value() else None
        return self.sbu

    @property
    def default_policy(self) -> PolicyName:
        """``"hbo-wo"`` when the size is in ECTS, ``"mbo"`` when in SBU, else ``"eu"``."""
        if self.ects is not None:
            return "hbo-wo"
        if self.sbu is not None:
            return "mbo"
        return "eu"

    def policy_violations(self, policy: PolicyName | None = None) -> list[PolicyViolation]:
        """Every rule of ``policy`` (default :attr:`default_policy`) this microcredential breaks."""
        return _violations(self, policy or self.default_policy)

    def check(self, policy: PolicyName | None = None) -> None:
        """Check the policy rules.

        Raises:
            PolicyError: a rule is broken; ``rule`` and ``field`` name the first one and
                ``details["violations"]`` lists all of them.
        """
        check_policy(self, policy or self.default_policy)

    @classmethod
    def from_credential(cls, credential: Any) -> Microcredential:
        """Read a microcredential back from an OB3 credential (the inverse of ``to_credential``).

        Reads both profiles (``ob3`` and ``edubadges``) and credentials converted from
        edubadges, as :func:`mcbadge.summary.summarize` reads them: the learner (hashed
        identifiers stay hashed, as ``hashed_identities``), the institution, the unit, the
        NLQF/EQF level, EC/SBU/hours, the learning outcomes, the result, assessment,
        participation, quality assurance, supervision, prerequisites and stackability.
        For a credential built by mcbadge, ``to_credential()`` of the result (with the
        credential's id, dates and issuer id) gives the same credential back.

        The proof is not checked here: read a credential a person hands you only after
        :func:`mcbadge.verify.verify` (``VerifiedCredential.summary`` has the same fields).

        Args:
            credential: The credential as a dict or an mcbadge model (signed or not).

        Returns:
            The microcredential.

        Raises:
            ModelValidationError: it is not an OB3 credential, or a field the builder requires
                is missing or outside its vocabulary; the message names the field.

        Example:
            >>> from mcbadge.demo import sample_microcredential
            >>> mc = sample_microcredential()
            >>> back = Microcredential.from_credential(mc.to_credential(id="urn:uuid:1"))
            >>> back.unit.name == mc.unit.name and back.nlqf == mc.nlqf
            True
        """
        summary = summarize(credential)
        if summary is None:
            raise ModelValidationError(
                "not an Open Badges 3.0 credential (no OpenBadgeCredential type and no "
                "achievement); nothing to read a microcredential from",
                field="credential",
            )
        return microcredential_from_summary(summary)

    def to_credential(
        self,
        *,
        id: str,  # noqa: A002 - the OB3 name
        valid_from: datetime | str | None = None,
        valid_until: datetime | str | None = None,
        issuer_id: str | None = None,
        profile: Profile = "ob3",
        policy: PolicyName | None = None,
        awarded_date: datetime | str | None = None,
    ) -> Any:
        """Map to an unsigned OB3 ``AchievementCredential`` (see ``docs/mapping.md``).

        Args:
            id: The credential's IRI (e.g. ``urn:uuid:…``).
            valid_from: Date of issue; timezone-aware. Defaults to now (UTC, whole seconds).
            valid_until: Optional expiry; timezone-aware.
            issuer_id: Overrides ``institution.issuer_id`` (e.g. the signing key's DID).
            profile: ``"ob3"`` (VC v2 + OB3 3.0.3 only) or ``"edubadges"`` (adds the SURF
                educredential context; can only be secured as VC-JWT).
            policy: The policy profile to check first (default :attr:`default_policy`).
            awarded_date: ``awardedDate``; defaults to ``valid_from``.

        Returns:
            mcbadge.model.AchievementCredential: the unsigned credential.

        Raises:
            PolicyError: a policy rule is broken.
            ModelValidationError: a date is naive or malformed, or an IRI is invalid.
        """
        from mcbadge.model import AchievementCredential

        return AchievementCredential.from_json(
            self.to_credential_dict(
                id=id,
                valid_from=valid_from,
                valid_until=valid_until,
                issuer_id=issuer_id,
                profile=profile,
                policy=policy,
                awarded_date=awarded_date,
            )
        )

    def to_credential_dict(
        self,
        *,
        id: str,  # noqa: A002 - the OB3 name
        valid_from: datetime | str | None = None,
        valid_until: datetime | str | None = None,
        issuer_id: str | None = None,
        profile: Profile = "ob3",
        policy: PolicyName | None = None,
        awarded_date: datetime | str | None = None,
    ) -> dict[str, Any]:
        """The credential of :meth:`to_credential` as a plain JSON object, ready for ``issue()``.

        The same checks run (policy, profile, IRIs, dates) and the dict equals
        ``to_credential(...).to_json_dict()`` member for member (the members come in the
        builder's order, the model writes its own); it skips building the pydantic model,
        which costs about 0.3 ms a credential (the batch issues from this). ``issue()`` still
        checks the result against the OB3 schema before it signs.

        Args:
            id: The credential's IRI (e.g. ``urn:uuid:…``).
            valid_from: Date of issue; timezone-aware. Defaults to now (UTC, whole seconds).
            valid_until: Optional expiry; timezone-aware.
            issuer_id: Overrides ``institution.issuer_id``.
            profile: ``"ob3"`` or ``"edubadges"``.
            policy: The policy profile to check first (default :attr:`default_policy`).
            awarded_date: ``awardedDate``; defaults to ``valid_from``.

        Returns:
            A new dict; the caller may change it.

        Raises:
            PolicyError: a policy rule is broken.
            ModelValidationError: a date is naive or malformed, or an IRI is invalid.

        Example:
            >>> from mcbadge.demo import sample_microcredential
            >>> mc = sample_microcredential()
            >>> doc = mc.to_credential_dict(id="urn:uuid:1", valid_from="2026-01-01T00:00:00Z")
            >>> doc == mc.to_credential(id="urn:uuid:1",
            ...                         valid_from="2026-01-01T00:00:00Z").to_json_dict()
            True
        """
        return self._credential_dict(
            id=id,
            valid_from=valid_from,
            valid_until=valid_until,
            issuer_id=issuer_id,
            profile=profile,
            policy=policy,
            awarded_date=awarded_date,
        )

    def _credential_dict(
        self,
        *,
        id: str,  # noqa: A002 - the OB3 name
        valid_from: datetime | str | None,
        valid_until: datetime | str | None,
        issuer_id: str | None,
        profile: Profile,
        policy: PolicyName | None,
        awarded_date: datetime | str | None,
        frames: dict[Any, Any] | None = None,
    ) -> dict[str, Any]:
        """:meth:`to_credential_dict`; with ``frames`` (a batch worker's cache) the unit's
        part of the document is shared between documents, which are then read-only."""
        self.check(policy)
        if profile == "edubadges":
            _check_edubadges_fields(self)
        for field, value in (("id", id), ("issuer_id", issuer_id)):
            if value is not None and not _ABS_IRI_RE.match(value):
                raise ModelValidationError(
                    f"{field} must be an absolute IRI (e.g. urn:uuid:… or https://…), "
                    f"got {value!r}",
                    field=field,
                )
        start = _date_text(valid_from, "valid_from") or _date_text(
            datetime.now(UTC).replace(microsecond=0), "valid_from"
        )
        assert start is not None  # noqa: S101 - for the type checker
        end = _date_text(valid_until, "valid_until")
        awarded = _date_text(awarded_date, "awarded_date") or start
        doc = _build(
            self,
            cred_id=id,
            valid_from=start,
            valid_until=end,
            awarded=awarded,
            issuer_id=issuer_id or self.institution.issuer_id,
            profile=profile,
            frames=frames,
        )
        return doc


def _date_text(value: datetime | str | None, field: str) -> str | None:
    """An RFC 3339 date-time with a time zone; a string is checked and kept as given."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            raise ModelValidationError(
                f"{field}: {value!r} is not an RFC 3339 date-time (e.g. 2026-01-15T10:00:00Z)",
                field=field,
            ) from None
        if "T" not in value.upper() or parsed.tzinfo is None:
            raise ModelValidationError(
                f"{field}: {value!r} needs a date, a time and a time zone "
                "(e.g. 2026-01-15T10:00:00Z or 2026-01-15T11:00:00+01:00)",
                field=field,
            )
        return value
    if value.tzinfo is None or value.utcoffset() is None:
        raise ModelValidationError(
            f"{field}: naive datetime {value.isoformat()!r}; date-times must carry a time zone "
            "(use datetime(..., tzinfo=UTC) or ZoneInfo('Europe/Amsterdam'))",
            field=field,
        )
    if value.utcoffset() == timedelta(0):
        text = value.astimezone(UTC).isoformat(
            timespec="seconds" if not value.microsecond else "microseconds"
        )
        return text.replace("+00:00", "Z")
    return value.isoformat(timespec="seconds" if not value.microsecond else "microseconds")


# --------------------------------------------------------------------------- mapping


# ------------------------------------------------------------------ read back: summary -> builder


def _missing(field_name: str, what: str) -> ModelValidationError:
    return ModelValidationError(
        f"{field_name}: the credential states no {what}, so it is not a microcredential "
        "mcbadge can rebuild",
        field=field_name,
    )


def _learner(summary: CredentialSummary) -> Learner:
    if not summary.learner_name:
        raise _missing("learner.name", "learner name (a plain 'name' identifier)")
    plain: dict[str, str] = {}
    hashed: list[HashedIdentity] = []
    names = {"emailAddress": "email", "sisSourcedId": "student_number"}
    names["ext:eduPersonPrincipalName"] = "eppn"
    seen_name = False
    for identity in summary.identifiers:
        if identity.hashed:
            hashed.append(
                HashedIdentity(
                    identity_type=identity.identity_type,
                    identity_hash=identity.value,
                    salt=identity.salt,
                )
            )
        elif identity.identity_type == "name" and not seen_name:
            seen_name = True
        elif identity.identity_type in names and names[identity.identity_type] not in plain:
            plain[names[identity.identity_type]] = identity.value
    return Learner(
        name=summary.learner_name,
        did=summary.learner_id,
        hash_identifiers=not plain,
        hashed_identities=hashed,
        **plain,
    )


def _institution(org: OrganisationSummary | None) -> Institution:
    if org is None or not org.name or not org.url:
        raise _missing("institution", "issuer with a name and a url")
    return Institution(
        name=org.name,
        url=org.url,
        id=org.id if org.id != org.url else None,
        brin=org.brin,
        country_code=org.country_code or "NL",
        country=org.country,
        locality=org.locality,
        email=org.email,
        image=org.image,
        parent=_institution(org.parent) if org.parent is not None else None,
    )


def _default_url(url: str | None, default: str) -> str | None:
    return None if url == default else url


def microcredential_from_summary(summary: CredentialSummary) -> Microcredential:
    """Build the :class:`~mcbadge.microcredential.Microcredential` a summary describes.

    Fields the builder derives (the achievement id, the description, the outcome URLs, the
    study hours of ``ects * 28``, ``identity_checked`` from the supervision type) are left to
    the builder when the credential holds exactly the derived value, so that
    ``to_credential()`` of the result gives the same credential back.

    Args:
        summary: What :func:`summarize` read.

    Returns:
        mcbadge.microcredential.Microcredential: the microcredential.

    Raises:
        ModelValidationError: a field the builder requires is missing (the learner's name,
            the issuer's name and url, the unit, the NLQF level, a learning outcome) or a
            value is outside the builder's vocabulary; the message names the field.

    Example:
        >>> microcredential_from_summary(summarize(cred))  # doctest: +SKIP
    """
    institution = _institution(summary.institution)
    learner = _learner(summary)
    if not summary.unit_name:
        raise _missing("unit.name", "unit (achievement name)")
    if summary.nlqf is None:
        raise _missing("nlqf", "NLQF level (an ext:NLQF alignment)")
    if not summary.outcomes:
        raise _missing("learning_outcomes", "learning outcome (ext:LearningOutcome alignments)")
    default_id = _default_achievement_id(
        institution, Unit(name=summary.unit_name, code=summary.code)
    )
    achievement_id = summary.unit_id or default_id
    outcomes = [
        LearningOutcome(
            text=o.name or o.description or "",
            code=o.code,
            url=_default_url(o.url, f"{achievement_id}#learning-outcome-{n}"),
        )
        for n, o in enumerate(summary.outcomes, start=1)
    ]
    criteria = summary.criteria
    narrative = _outcomes_narrative(outcomes)
    if criteria == narrative:
        criteria = None
    elif criteria is not None and criteria.endswith("\n\n" + narrative):
        criteria = criteria[: -len(narrative) - 2]
    hours = summary.hours
    if summary.profile == "edubadges":
        hours = summary.time_investment  # written exactly when unit.hours is set
    elif hours is not None and summary.ects is not None and hours == summary.ects * 28:
        hours = None  # what the builder derives from the EC
    result = Result()
    grade = next((r for r in summary.results if r.value is not None), None)
    if grade is not None:
        result = Result(
            grade=grade.value,
            scale_min=grade.value_min,
            scale_max=grade.value_max,
            pass_mark=grade.required_value,
            result_type=grade.result_type or "ScaledScore",
            name=grade.name or "Eindcijfer",
        )
    qa = summary.quality_assurance[0] if summary.quality_assurance else None
    identity_checked = summary.identity_checked
    if summary.supervision is not None and identity_checked == (
        summary.supervision == "onsite with identity verification"
    ):
        identity_checked = None
    stack = summary.stackability
    stackability = None
    if stack is not None:
        stackable = stack.code != "stand-alone"
        prefix = "stackable towards "
        towards = (
            stack.name[len(prefix) :] if stack.name and stack.name.startswith(prefix) else None
        )
        stackability = Stackability(
            stackable=stackable,
            towards=towards,
            url=_default_url(stack.url, f"{achievement_id}#stackability"),
        )
    unit_values: dict[str, Any] = {
        "name": summary.unit_name,
        "code": summary.code,
        "id": _default_url(summary.unit_id, default_id),
        "programme_code": summary.programme_code,
        "image": summary.image,
        "field_of_study": summary.field_of_study,
        "criteria": criteria,
        "hours": hours,
    }
    if summary.programme_code_type:
        unit_values["programme_code_type"] = summary.programme_code_type
    if summary.language:
        unit_values["language"] = summary.language
    unit = Unit(**unit_values)
    values: dict[str, Any] = dict(
        learner=learner,
        institution=institution,
        unit=unit,
        nlqf=summary.nlqf,
        eqf=summary.eqf,
        ects=summary.ects,
        sbu=summary.sbu,
        learning_outcomes=outcomes,
        result=result,
        assessment=summary.assessment,
        participation=summary.participation,
        quality_assurance=(
            QualityAssurance(
                name=qa.name or "", url=qa.url or "", description=qa.description, code=qa.code
            )
            if qa is not None
            else None
        ),
        supervision=summary.supervision,
        identity_checked=identity_checked,
        prerequisites=[
            Prerequisite(
                text=p.name or "",
                url=_default_url(p.url, f"{achievement_id}#prerequisite-{n}"),
            )
            for n, p in enumerate(summary.prerequisites, start=1)
        ],
        stackability=stackability,
    )
    mc = Microcredential(**values)
    if summary.description is not None and summary.description != _default_description(mc):
        mc = mc.model_copy(
            update={"unit": unit.model_copy(update={"description": summary.description})}
        )
    return mc
