"""The Dutch microcredential builder and its policy profiles.

A :class:`Microcredential` holds the certificate fields the Dutch pilots require (learner,
institution, unit name, NLQF level, size in ECTS or SBU, learning outcomes, result) and the
mandatory elements of the EU Council Recommendation of 16 June 2022 on micro-credentials
(awarding body and its country, date of issue, EQF level, type of assessment, form of
participation, type of quality assurance), plus the optional EU elements (prerequisites,
supervision and identity check, grade, stackability).

:meth:`Microcredential.to_credential` maps them onto an unsigned Open Badges 3.0
``AchievementCredential`` as documented in ``docs/mapping.md``.

Example:
    >>> mc = Microcredential(
    ...     learner=Learner(name="Jan Jansen", email="jan@example.nl"),
    ...     institution=Institution(name="Hogeschool Voorbeeld", url="https://hs-voorbeeld.nl",
    ...                             brin="99XX"),
    ...     unit=Unit(name="Data Privacy in de Zorg", code="DPZ-01"),
    ...     nlqf=6, ects=5,
    ...     learning_outcomes=["Past de AVG toe op zorgdata"],
    ...     result=Result(grade="8.5"),
    ...     assessment="testing", participation="online",
    ...     quality_assurance=QualityAssurance(name="NVAO-accreditatie",
    ...                                        url="https://www.nvao.net/"),
    ... )
    >>> cred = mc.to_credential(id="urn:uuid:0f4a2c3e-6d1b-4a57-9a4e-7c1de3f0a111",
    ...                         valid_from="2026-01-15T10:00:00Z")
    >>> cred.credential_subject.achievement.name
    'Data Privacy in de Zorg'
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, ClassVar, Literal, cast, get_args
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from mcbadge._internal.grades import email_problem, normalize_decimal, parse_decimal
from mcbadge.errors import ModelValidationError, PolicyError
from mcbadge.summary import CredentialSummary, OrganisationSummary, summarize

__all__ = [
    "ASSESSMENT_TYPES",
    "EDUCREDENTIAL_CONTEXT_URL",
    "EQF_URL",
    "GLOSSARY_URL",
    "HOURS_PER_EC",
    "NLQF_URL",
    "OB3_CONTEXT_URL",
    "OB3_SCHEMA_URL",
    "PARTICIPATION_TYPES",
    "SUPERVISION_TYPES",
    "VC_V2_CONTEXT_URL",
    "AssessmentType",
    "HashedIdentity",
    "Institution",
    "LearningOutcome",
    "Learner",
    "Microcredential",
    "ParticipationType",
    "PolicyName",
    "PolicyViolation",
    "Prerequisite",
    "Profile",
    "QualityAssurance",
    "Result",
    "Stackability",
    "SupervisionType",
    "Unit",
    "check_policy",
    "microcredential_from_summary",
]

VC_V2_CONTEXT_URL = "https://www.w3.org/ns/credentials/v2"
OB3_CONTEXT_URL = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
EDUCREDENTIAL_CONTEXT_URL = (
    "https://raw.githubusercontent.com/educredentials/obv3-examples/refs/heads/main/"
    "contexts/educredential.json"
)
OB3_SCHEMA_URL = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
EDUBADGES_SCHEMA_URL = (
    "https://raw.githubusercontent.com/educredentials/obv3-examples/refs/heads/main/"
    "schemas/microcredential.json"
)
#: The SURF edubadges OB3 glossary: the published definitions of the Dutch vocabularies.
GLOSSARY_URL = "https://edubadges.nl/static/obv3-glossary.html"
NLQF_URL = "https://www.nlqf.nl/nlqf-niveaus"
EQF_URL = "https://europa.eu/europass/en/description-eight-eqf-levels"
#: 1 EC = 28 hours of study (Dutch WHW art. 7.4).
HOURS_PER_EC = 28

AssessmentType = Literal[
    "testing", "application of a skill", "portfolio", "recognition of prior learning"
]
ParticipationType = Literal[
    "online",
    "onsite or blended",
    "volunteering",
    "work experience",
    "personalized learning activities",
]
SupervisionType = Literal[
    "unsupervised with no identity verification",
    "supervised with no identity verification",
    "supervised online",
    "onsite with identity verification",
]
PolicyName = Literal["hbo-wo", "mbo", "eu", "none"]
Profile = Literal["ob3", "edubadges"]

ASSESSMENT_TYPES: tuple[str, ...] = get_args(AssessmentType)
PARTICIPATION_TYPES: tuple[str, ...] = get_args(ParticipationType)
SUPERVISION_TYPES: tuple[str, ...] = get_args(SupervisionType)

_LANG_RE = re.compile(r"^[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$")
_ABS_IRI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
# The OB3 IdentityHash form and extension identifier types (as in mcbadge.model).
_IDENTITY_HASH_RE = re.compile(r"sha256\$[0-9a-fA-F]{64}|md5\$[0-9a-fA-F]{32}", re.ASCII)
_EXT_TYPE_RE = re.compile(r"ext:[A-Za-z0-9._|\-]+", re.ASCII)


# OB3 ResultType values whose result is a number on the scale valueMin..valueMax
_NUMERIC_RESULT_TYPES: frozenset[str] = frozenset(
    {"ScaledScore", "Percent", "RawScore", "GradePointAverage"}
)


def _result_problems(result: Result) -> list[PolicyError]:
    """The rules a result breaks (see docs/microcredentials.md#grades)."""

    def error(rule: str, field: str, message: str) -> PolicyError:
        return PolicyError(f"rule {rule}: {message}", rule=rule, field=field)

    low, high = parse_decimal(result.scale_min), parse_decimal(result.scale_max)
    mark, grade = parse_decimal(result.pass_mark), parse_decimal(result.grade)
    numeric = result.result_type in _NUMERIC_RESULT_TYPES
    problems: list[PolicyError] = []
    if low is not None and high is not None and low > high:
        problems.append(
            error(
                "result.scale",
                "result.scale_min",
                f"the scale runs from {result.scale_min} to {result.scale_max}: its minimum "
                "is above its maximum",
            )
        )
        return problems
    if mark is not None and (
        (low is not None and mark < low) or (high is not None and mark > high)
    ):
        problems.append(
            error(
                "result.pass-mark-on-scale",
                "result.pass_mark",
                f"the pass mark {result.pass_mark} is not on the scale "
                f"{result.scale_min}–{result.scale_max}",
            )
        )
    if result.grade is None:
        return problems
    if numeric and grade is None and (low is not None or high is not None):
        problems.append(
            error(
                "result.grade-numeric",
                "result.grade",
                f"the grade {result.grade!r} is not a number, but the result type is "
                f"{result.result_type} on the scale {result.scale_min}–{result.scale_max}; "
                "for a letter or word grade set result_type='LetterGrade' and no scale",
            )
        )
        return problems
    if grade is not None and (
        (low is not None and grade < low) or (high is not None and grade > high)
    ):
        problems.append(
            error(
                "result.grade-on-scale",
                "result.grade",
                f"the grade {result.grade} is outside the scale "
                f"{result.scale_min}–{result.scale_max}",
            )
        )
        return problems
    if grade is not None and mark is not None and grade < mark and result.passed:
        problems.append(
            error(
                "result.below-pass-mark",
                "result.grade",
                f"the grade {result.grade} is below the pass mark {result.pass_mark}, so the "
                "unit was not passed; a microcredential certifies a passed unit (to record "
                "a result that was not achieved, set passed=False: the credential then says "
                "status Failed)",
            )
        )
    return problems


def _wrap_errors(cls_name: str, exc: ValidationError) -> ModelValidationError:
    for err in exc.errors(include_url=False):
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, PolicyError):
            raise cause from None
    errors: list[dict[str, Any]] = []
    for err in exc.errors(include_url=False):
        loc = ".".join(str(p) for p in err["loc"])
        errors.append({"loc": loc, "msg": err["msg"], "type": err["type"]})
    first = errors[0] if errors else {"loc": "", "msg": str(exc)}
    where = f"{cls_name}.{first['loc']}" if first["loc"] else cls_name
    more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
    return ModelValidationError(f"{where}: {first['msg']}{more}", errors=errors)


class _Input(BaseModel):
    """Base for builder inputs: frozen, strict about unknown fields, typed errors."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise _wrap_errors(type(self).__name__, exc) from None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Any:
        """Build from a plain mapping (e.g. parsed JSON/TOML), with typed errors.

        Raises:
            ModelValidationError: a field is missing or invalid; the message names it.
        """
        try:
            return cls.model_validate(dict(data))
        except ValidationError as exc:
            raise _wrap_errors(cls.__name__, exc) from None


def _check_email(value: str | None) -> str | None:
    if value is not None:
        problem = email_problem(value)
        if problem is not None:
            raise ValueError(f"{value!r} is not an e-mail address: {problem}")
    return value


def _check_iri(value: str | None, field: str) -> str | None:
    if value is not None and not _ABS_IRI_RE.match(value):
        raise ValueError(f"{field} must be an absolute IRI (e.g. https://...), got {value!r}")
    return value


class HashedIdentity(_Input):
    """A learner identifier that is already salted and hashed (an OB3 ``IdentityHash``).

    Use it to carry an identity over from another system without knowing the plain value,
    e.g. the ``recipient`` of an Open Badges 2.0 assertion: hash and salt are copied as they
    are, so whoever could check the learner against the old badge can check the new one.

    Attributes:
        identity_type: The OB3 ``identityType`` (``emailAddress``, ``identifier``,
            ``sisSourcedId``..., or ``ext:Name``).
        identity_hash: ``sha256$`` and 64 hex digits (or ``md5$`` and 32): the hash of the
            plain value with the salt appended.
        salt: The salt, when one was used.

    Raises:
        ModelValidationError: the hash is not in the ``sha256$``/``md5$`` form, or the type is
            not an OB3 identifier type.

    Example:
        >>> h = HashedIdentity(identity_type="emailAddress",
        ...                    identity_hash="sha256$" + "ab" * 32, salt="70e5")
        >>> h.salt
        '70e5'
    """

    identity_type: str
    identity_hash: str
    salt: str | None = None

    @field_validator("identity_type")
    @classmethod
    def _known_type(cls, v: str) -> str:
        from mcbadge.model import IdentifierTypeEnum

        if v in {member.value for member in IdentifierTypeEnum} or _EXT_TYPE_RE.fullmatch(v):
            return v
        raise ValueError(
            f"identity_type {v!r} is not an OB3 IdentifierTypeEnum value (e.g. 'emailAddress', "
            "'identifier') or an extension of the form 'ext:Name'"
        )

    @field_validator("identity_hash")
    @classmethod
    def _hash_form(cls, v: str) -> str:
        if not _IDENTITY_HASH_RE.fullmatch(v):
            raise ValueError(
                "identity_hash must be 'sha256$' and 64 hex digits (or 'md5$' and 32), the OB3 "
                f"IdentityHash form; got {v[:80]!r}"
            )
        return v


class Learner(_Input):
    """The learner (earner) of the microcredential.

    The name is carried in plain text; e-mail, student number and eduPersonPrincipalName are
    carried as salted ``sha256$`` hashes (OB3 IdentityObject), so the credential does not
    leak them but a verifier who knows the value can check it. Identities that are already
    hashed elsewhere (an Open Badges 2.0 ``recipient``) are carried unchanged with
    ``hashed_identities``.

    Attributes:
        name: Full name as it should appear on the certificate.
        email: E-mail address (hashed in the credential).
        student_number: Student number in the institution's SIS (hashed, ``sisSourcedId``).
        eppn: eduPersonPrincipalName as used by SURFconext / edubadges (hashed).
        did: The learner's DID, if they have a wallet; becomes ``credentialSubject.id``.
        hash_identifiers: Set to ``False`` to carry e-mail/student number/eppn in plain text.
        hashed_identities: Pre-hashed identities, written as they are (hash and salt kept).
    """

    name: str
    email: str | None = None
    student_number: str | None = None
    eppn: str | None = None
    did: str | None = None
    hash_identifiers: bool = True
    hashed_identities: Sequence[HashedIdentity] = ()

    @field_validator("hashed_identities", mode="before")
    @classmethod
    def _as_tuple(cls, v: Any) -> Any:
        return tuple(v) if isinstance(v, list) else v

    @field_validator("name")
    @classmethod
    def _name_not_empty(cls, v: str) -> str:
        if not v:
            raise ValueError("the learner's name must not be empty")
        return v

    @field_validator("did")
    @classmethod
    def _did_is_iri(cls, v: str | None) -> str | None:
        return _check_iri(v, "did")

    @field_validator("email")
    @classmethod
    def _email(cls, v: str | None) -> str | None:
        return _check_email(v)


class Institution(_Input):
    """The awarding body (the OB3 issuer Profile).

    Attributes:
        name: Official name.
        url: Home page (https).
        id: Issuer identifier; defaults to ``url``. Use the issuer's DID when signing with
            ``did:key``/``did:web`` so the key is bound to the issuer.
        brin: BRIN / institution code (``otherIdentifier`` of type ``ext:BRIN``).
        country_code: ISO 3166-1 alpha-2 country of the awarding body (EU mandatory).
        country: Country name.
        locality: City.
        email: Contact e-mail.
        image: Logo URL.
        parent: The institution a faculty belongs to (``parentOrg``).
    """

    name: str
    url: str
    id: str | None = None
    brin: str | None = None
    country_code: str = "NL"
    country: str | None = "Nederland"
    locality: str | None = None
    email: str | None = None
    image: str | None = None
    parent: Institution | None = None

    @field_validator("url", "id", "image")
    @classmethod
    def _iris(cls, v: str | None) -> str | None:
        return _check_iri(v, "url")

    @field_validator("email")
    @classmethod
    def _email(cls, v: str | None) -> str | None:
        return _check_email(v)

    @field_validator("country_code")
    @classmethod
    def _country(cls, v: str) -> str:
        if not re.fullmatch(r"[A-Z]{2}", v):
            raise ValueError(f"country_code must be ISO 3166-1 alpha-2 (e.g. 'NL'), got {v!r}")
        return v

    @property
    def issuer_id(self) -> str:
        """The identifier used as ``issuer.id``."""
        return self.id or self.url


class Unit(_Input):
    """The unit of education that the microcredential certifies.

    Attributes:
        name: Name of the unit (the certificate's title).
        description: Description (markdown allowed); generated when omitted.
        code: The course code (``humanCode``).
        id: The achievement's IRI; defaults to ``{institution.url}/achievements/{code}``.
        programme_code: CROHO (hbo/wo), CREBO (mbo) or RIO code of the programme.
        programme_code_type: ``ext:CROHO``, ``ext:CREBO`` or ``ext:RIO``.
        language: Language of instruction (OB3 ``inLanguage``), e.g. ``"nl"``, ``"en"``.
        image: Badge image URL.
        field_of_study: Field of study.
        criteria: Extra criteria text (markdown); the learning outcomes are always listed.
        hours: Study load in hours; with ECTS it must equal ``ects * 28``.
    """

    name: str
    description: str | None = None
    code: str | None = None
    id: str | None = None
    programme_code: str | None = None
    programme_code_type: Literal["ext:CROHO", "ext:CREBO", "ext:RIO"] = "ext:CROHO"
    language: str = "nl"
    image: str | None = None
    field_of_study: str | None = None
    criteria: str | None = None
    hours: int | None = None

    @field_validator("name")
    @classmethod
    def _name_not_empty(cls, v: str) -> str:
        if not v:
            raise ValueError("the unit's name must not be empty")
        return v

    @field_validator("id", "image")
    @classmethod
    def _iris(cls, v: str | None) -> str | None:
        return _check_iri(v, "id")

    @field_validator("language")
    @classmethod
    def _lang(cls, v: str) -> str:
        if not _LANG_RE.match(v):
            raise ValueError(
                "language (OB3 inLanguage) must match "
                "^[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$, e.g. 'nl' or 'en-GB'; "
                f"got {v!r}"
            )
        return v


class LearningOutcome(_Input):
    """One learning outcome achieved. A plain string is accepted wherever one is expected.

    Attributes:
        text: The outcome (markdown allowed).
        code: A code from the institution's framework.
        url: Where the outcome is published; defaults to a fragment of the achievement IRI.
    """

    text: str
    code: str | None = None
    url: str | None = None

    @field_validator("url")
    @classmethod
    def _iri(cls, v: str | None) -> str | None:
        return _check_iri(v, "url")


class Result(_Input):
    """The learner's result.

    Attributes:
        grade: The grade, e.g. ``"8.5"`` or ``"A"``; ``None`` for pass/fail units.
        passed: Whether the learner passed; a microcredential is only awarded when ``True``.
        scale_min: Lowest value of the grading scale.
        scale_max: Highest value of the grading scale.
        pass_mark: The lowest passing value.
        result_type: OB3 ResultType of the grade (``ScaledScore``, ``LetterGrade``...).
        name: Name of the result shown to people.
    """

    grade: str | None = None
    passed: bool = True
    scale_min: str | None = "1"
    scale_max: str | None = "10"
    pass_mark: str | None = "5.5"  # noqa: S105 - a grade, not a password
    result_type: str = "ScaledScore"
    name: str = "Eindcijfer"

    @field_validator("grade", "scale_min", "scale_max", "pass_mark")
    @classmethod
    def _decimal_point(cls, v: str | None) -> str | None:
        # "7,5" (Dutch decimal comma) is written "7.5": docs/microcredentials.md#grades
        return None if v is None else normalize_decimal(v)

    @model_validator(mode="after")
    def _on_the_scale(self) -> Result:
        for problem in _result_problems(self):
            raise problem  # a ValueError: _wrap_errors raises it on as it is
        return self


class QualityAssurance(_Input):
    """The type of quality assurance (EU mandatory element).

    Attributes:
        name: e.g. ``"NVAO-accreditatie"`` or ``"Kwaliteitsborging microcredentials pilot"``.
        url: Where the quality assurance is published (required by OB3 Alignment).
        description: Longer description.
        code: A decision or accreditation number.
    """

    name: str
    url: str
    description: str | None = None
    code: str | None = None

    @field_validator("url")
    @classmethod
    def _iri(cls, v: str) -> str:
        _check_iri(v, "url")
        return v


class Prerequisite(_Input):
    """A prerequisite for enrolling (EU optional element)."""

    text: str
    url: str | None = None

    @field_validator("url")
    @classmethod
    def _iri(cls, v: str | None) -> str | None:
        return _check_iri(v, "url")


class Stackability(_Input):
    """Integration/stackability options (EU optional element).

    Attributes:
        stackable: ``False`` for a stand-alone microcredential.
        towards: Name of the credential it stacks towards.
        url: IRI of that credential.
    """

    stackable: bool
    towards: str | None = None
    url: str | None = None

    @field_validator("url")
    @classmethod
    def _iri(cls, v: str | None) -> str | None:
        return _check_iri(v, "url")


class PolicyViolation(_Input):
    """One broken policy rule."""

    rule: str
    field: str
    message: str


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
        )
        return AchievementCredential.from_json(doc)


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


def _check_edubadges_fields(mc: Microcredential) -> None:
    """The edubadges microcredential schema requires an image and the supervision type."""
    missing = [
        name
        for name, value in (("unit.image", mc.unit.image), ("supervision", mc.supervision))
        if value is None
    ]
    if missing:
        raise PolicyError(
            f"profile 'edubadges', rule edubadges.required-fields: the edubadges "
            f"microcredential schema requires {' and '.join(missing)}",
            rule="edubadges.required-fields",
            field=missing[0],
            missing=missing,
        )


def check_policy(mc: Microcredential, policy: PolicyName) -> None:
    """Raise :class:`PolicyError` when ``mc`` breaks a rule of ``policy``.

    Policies:
        * ``hbo-wo``: the EU elements, plus 3–30 EC (``hbo-wo.ects-range``), size in EC
          (``hbo-wo.ects-required``), ``unit.hours == ects * 28`` when given
          (``hbo-wo.ects-hours``), NLQF 1–8 or entry.
        * ``mbo``: the EU elements, plus size in SBU (``mbo.sbu-required``) of at least 80 SBU
          (``mbo.sbu-minimum``, the pilot's minimum; 240 SBU is the framework's guideline
          and is not enforced).
        * ``eu``: the EU Council 2022 mandatory elements: assessment type, form of
          participation, quality assurance, workload, learning outcomes, country.
        * ``none``: no policy rules; the data model still applies.

    Raises:
        PolicyError: the first violation names its ``rule`` and ``field``; all are listed in
            ``details["violations"]``.

    Example:
        >>> check_policy(mc, "hbo-wo")  # doctest: +SKIP
    """
    violations = _violations(mc, policy)
    if violations:
        first = violations[0]
        more = f" (and {len(violations) - 1} more)" if len(violations) > 1 else ""
        raise PolicyError(
            f"policy {policy!r}, rule {first.rule}: {first.message}{more}",
            rule=first.rule,
            field=first.field,
            policy=policy,
            violations=[v.model_dump() for v in violations],
        )


def _violations(mc: Microcredential, policy: PolicyName) -> list[PolicyViolation]:
    if policy not in get_args(PolicyName):
        raise PolicyError(
            f"unknown policy {policy!r}; choose one of {', '.join(get_args(PolicyName))}",
            rule="policy.known",
            field="policy",
        )
    out: list[PolicyViolation] = []

    def add(rule: str, field: str, message: str) -> None:
        out.append(PolicyViolation(rule=rule, field=field, message=message))

    if policy == "none":
        return out
    ects = mc.ects_decimal
    # EU Council Recommendation 2022, Annex I: mandatory elements.
    if mc.assessment is None:
        add("eu.assessment-type", "assessment", "the type of assessment is required")
    if mc.participation is None:
        add("eu.participation-form", "participation", "the form of participation is required")
    if mc.quality_assurance is None:
        add(
            "eu.quality-assurance", "quality_assurance", "the type of quality assurance is required"
        )
    if ects is None and mc.sbu is None and mc.unit.hours is None:
        add("eu.workload", "ects", "the workload (ECTS, SBU or hours) is required")
    if policy == "hbo-wo":
        if ects is None:
            add("hbo-wo.ects-required", "ects", "hbo/wo microcredentials state their size in EC")
        elif not Decimal(3) <= ects <= Decimal(30):
            add(
                "hbo-wo.ects-range",
                "ects",
                f"hbo/wo microcredentials are 3–30 EC, got {ects} EC",
            )
        if ects is not None and mc.unit.hours is not None:
            if mc.unit.hours != ects * HOURS_PER_EC:
                add(
                    "hbo-wo.ects-hours",
                    "unit.hours",
                    f"{ects} EC is {ects * HOURS_PER_EC} hours at {HOURS_PER_EC} h "
                    f"per EC, "
                    f"but unit.hours is {mc.unit.hours}",
                )
    if policy == "mbo":
        if mc.sbu is None:
            add("mbo.sbu-required", "sbu", "mbo microcredentials state their size in SBU")
        elif mc.sbu < 80:
            add(
                "mbo.sbu-minimum",
                "sbu",
                f"mbo microcredentials are at least 80 SBU (pilot rule), got {mc.sbu} SBU",
            )
    return out


# --------------------------------------------------------------------------- mapping


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

    ids: list[dict[str, Any]] = [IdentityObject.plain("name", learner.name).to_json_dict()]
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
        ids.append(
            IdentityObject(
                identity_type=pre.identity_type,
                is_hashed=True,
                identity_hash=pre.identity_hash,
                salt=pre.salt,
            ).to_json_dict()
        )
    return ids


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


def _build(
    mc: Microcredential,
    *,
    cred_id: str,
    valid_from: str,
    valid_until: str | None,
    awarded: str,
    issuer_id: str,
    profile: Profile,
) -> dict[str, Any]:
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
    subject_result: dict[str, Any] = {
        "type": ["Result"],
        "resultDescription": result_description["id"],
    }
    if mc.result.grade is not None:
        for key, value in (
            ("valueMin", mc.result.scale_min),
            ("valueMax", mc.result.scale_max),
            ("requiredValue", mc.result.pass_mark),
        ):
            if value is not None:
                result_description[key] = value
        subject_result["value"] = mc.result.grade
        if not mc.result.passed:
            subject_result["status"] = "Failed"
    else:
        subject_result["status"] = "Completed" if mc.result.passed else "Failed"

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

    subject: dict[str, Any] = {"type": ["AchievementSubject"]}
    if mc.learner.did:
        subject["id"] = mc.learner.did
    subject["identifier"] = _identifiers(mc.learner)
    subject["achievement"] = achievement
    if mc.ects_decimal is not None:
        subject["creditsEarned"] = _number(mc.ects_decimal)
    subject["result"] = [subject_result]

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

    doc: dict[str, Any] = {
        "@context": contexts,
        "id": cred_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": unit.name,
        "issuer": _profile(mc.institution, issuer_id),
        "validFrom": valid_from,
    }
    if valid_until is not None:
        doc["validUntil"] = valid_until
    doc["awardedDate"] = awarded
    doc["credentialSubject"] = subject
    if schemas:
        doc["credentialSchema"] = schemas
    return doc


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
