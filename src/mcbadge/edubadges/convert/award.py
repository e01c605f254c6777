""":func:`to_microcredential`: the three documents of an edubadges award to a microcredential.

Reads the assertion, the badge class and the issuer (:mod:`~mcbadge.edubadges.convert.assertion`,
:mod:`~mcbadge.edubadges.convert.badge_class`, :mod:`~mcbadge.edubadges.convert.issuer`),
applies the caller's overrides (listing each source field they replace), and builds the
:class:`~mcbadge.Microcredential` with the account of every field in a
:class:`~mcbadge.edubadges.convert.ConversionResult`.

May import: the modules of this package, :mod:`mcbadge.edubadges.models`,
:mod:`mcbadge.microcredential`, :mod:`mcbadge.errors`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from mcbadge.edubadges.convert.assertion import _read_assertion
from mcbadge.edubadges.convert.badge_class import _read_badge_class
from mcbadge.edubadges.convert.errors import InvalidSourceFieldError, MissingSourceFieldError
from mcbadge.edubadges.convert.issuer import _read_issuer
from mcbadge.edubadges.convert.reading import (
    _RECIPIENT_PROFILE,
    _as_dict,
    _build,
    _Collector,
    _Given,
    _Parts,
    _report_replaced,
)
from mcbadge.edubadges.convert.result import ConversionResult
from mcbadge.edubadges.models import PublicAssertion, PublicBadgeClass
from mcbadge.errors import ModelValidationError
from mcbadge.microcredential import (
    AssessmentType,
    Institution,
    Learner,
    LearningOutcome,
    Microcredential,
    ParticipationType,
    QualityAssurance,
    Result,
    Stackability,
    SupervisionType,
    Unit,
)

if TYPE_CHECKING:
    pass

__all__ = ["to_microcredential"]


def to_microcredential(
    assertion: Mapping[str, Any] | PublicAssertion,
    badge_class: Mapping[str, Any] | PublicBadgeClass,
    issuer: Mapping[str, Any] | None = None,
    *,
    learner_name: str | None = None,
    institution: Institution | None = None,
    nlqf: int | Literal["entry"] | None = None,
    assessment: AssessmentType | None = None,
    participation: ParticipationType | None = None,
    supervision: SupervisionType | None = None,
    quality_assurance: QualityAssurance | None = None,
    result: Result | None = None,
    programme_code_type: Literal["ext:CROHO", "ext:CREBO", "ext:RIO"] | None = None,
) -> ConversionResult:
    """Map an edubadges OB2 assertion, its badge class and its issuer to a microcredential.

    The documents are the parsed JSON of ``GET /public/assertions/{id}``,
    ``GET /public/badges/{id}?expand=micro`` and the issuer (or the client's
    ``PublicAssertion`` / ``PublicBadgeClass`` models). They are never modified.

    Keyword arguments supply what edubadges does not publish (the learner's name) and
    override what the documents say; a source field that an argument replaces is listed in
    ``unmapped`` with the reason.

    Args:
        assertion: The OB2 Assertion.
        badge_class: The OB2 BadgeClass with the microcredential fields (``expand=micro``).
        issuer: The OB2 Issuer with the institution extensions; may be omitted when
            ``institution`` is given.
        learner_name: The learner's name: edubadges public assertions do not disclose it.
            Required unless the assertion has an ``extensions:recipientProfile`` name.
        institution: The awarding body; replaces what ``issuer`` says.
        nlqf: The NLQF level; defaults to the EQF level (NLQF 1–8 is referenced level for
            level to EQF 1–8). Required when the badge class has no EQF level.
        assessment: Type of assessment; replaces the badge class's ``assessmentType``.
        participation: Form of participation; replaces ``participation``.
        supervision: Supervision and identity verification; replaces what
            ``assessmentSupervised`` / ``assessmentIdVerified`` say.
        quality_assurance: Type of quality assurance; replaces ``qualityAssurance*``.
        result: The learner's result (edubadges public assertions carry no grade; without
            it the credential states the unit was completed).
        programme_code_type: ``ext:CROHO``, ``ext:CREBO`` or ``ext:RIO`` for the
            EducationProgramIdentifier; default CREBO when the size is a study load in
            hours (mbo), else CROHO.

    Returns:
        The :class:`ConversionResult`: the microcredential, the dates, what was not carried
        and the notes.

    Raises:
        RevokedAssertionError: The assertion was revoked.
        MissingSourceFieldError: A field the microcredential needs is missing (recipient,
            issuedOn, name, learning outcome, EQF level without ``nlqf``, the learner's name,
            an issuer without ``institution``); ``path`` names it.
        InvalidSourceFieldError: A field has a value that cannot be used (an ECTS that is not
            a number, an EQF level outside 1–8, a malformed recipient hash, a badge class that
            is not a microcredential, documents that do not belong together); ``path`` names it.

    Example:
        >>> result = to_microcredential(assertion, badge_class, issuer,
        ...                             learner_name="Ana de Vries")  # doctest: +SKIP
        >>> result.microcredential.ects  # doctest: +SKIP
        Decimal('5')
        >>> cred = result.to_credential(id="urn:uuid:…", policy="hbo-wo")  # doctest: +SKIP
    """
    a = _as_dict(assertion, "assertion")
    b = _as_dict(badge_class, "badge_class")
    i = _as_dict(issuer, "issuer") if issuer is not None else None
    c = _Collector()
    parts = _Parts()

    badge_id = b.get("id") if isinstance(b.get("id"), str) else None
    issuer_id = i.get("id") if i is not None and isinstance(i.get("id"), str) else None
    _read_assertion(c, a, parts, badge_id)
    given = _Given(
        nlqf=nlqf,
        assessment=assessment,
        participation=participation,
        supervision=supervision,
        quality_assurance=quality_assurance,
    )
    programme = _read_badge_class(c, b, parts, issuer_id=issuer_id, given=given)

    # The institution.
    if institution is not None:
        if i is not None:
            _report_replaced(
                c, i, "issuer", "replaced by the institution= argument", keep={"@context", "type"}
            )
        the_institution = institution
    elif i is None:
        raise MissingSourceFieldError(
            "issuer: no issuer document and no institution= argument; the awarding body is "
            "required",
            path="issuer",
        )
    else:
        _read_issuer(c, i, parts)
        for key, what in (
            ("name", "issuer.name or InstitutionNameExtension"),
            ("url", "issuer.url or issuer.id"),
        ):
            if key not in parts.institution:
                raise MissingSourceFieldError(
                    f"issuer.{key}: the issuer has no {what}; pass institution=",
                    path=f"issuer.{key}",
                )
        the_institution = _build(Institution, "issuer", **parts.institution)

    # The size, the level and the programme.
    level: int | Literal["entry"]
    if nlqf is not None:
        level = nlqf
        if parts.eqf is not None and (nlqf == "entry" or nlqf != parts.eqf):
            raise InvalidSourceFieldError(
                f"{parts.eqf_path}: EQF level {parts.eqf} does not match nlqf={nlqf!r} (NLQF "
                "1–8 equals EQF 1–8; the NLQF entry level has no EQF level)",
                path=parts.eqf_path,
            )
    else:
        assert parts.eqf is not None  # noqa: S101 - _read_badge_class raised otherwise
        level = parts.eqf
        c.note(
            f"{parts.eqf_path}: EQF level {parts.eqf} is carried, and NLQF level "
            f"{parts.eqf} is derived from it (NLQF 1–8 is referenced level for level to "
            "EQF 1–8)"
        )
    if programme:
        kind = programme_code_type or (
            "ext:CREBO" if parts.ects is None and parts.sbu is not None else "ext:CROHO"
        )
        parts.unit["programme_code"] = programme[0]
        parts.unit["programme_code_type"] = kind
        if programme_code_type is None:
            c.note(
                f"badge_class.extensions:EducationProgramIdentifierExtension: {programme[0]} "
                f"is typed {kind} ("
                + ("size in SBU: mbo" if kind == "ext:CREBO" else "hbo/wo")
                + ")"
            )

    learner_text = learner_name if learner_name is not None else parts.learner_name
    if learner_name is not None and parts.learner_name not in (None, learner_name):
        c.lose(
            f"assertion.{_RECIPIENT_PROFILE}.name",
            parts.learner_name,
            "replaced by the learner_name= argument",
        )
    if learner_text is None:
        raise MissingSourceFieldError(
            "assertion.recipient: edubadges public assertions do not disclose the learner's "
            "name, which the microcredential shows; pass learner_name=",
            path="assertion.recipient",
        )
    learner = _build(
        Learner,
        "assertion.recipient",
        name=learner_text,
        email=parts.plain_email,
        hashed_identities=[parts.hashed] if parts.hashed is not None else [],
    )
    unit = _build(Unit, "badge_class", **parts.unit)
    outcome = LearningOutcome(text=parts.outcome or "")
    try:
        mc = Microcredential(
            learner=learner,
            institution=the_institution,
            unit=unit,
            nlqf=level,
            eqf=parts.eqf if level != "entry" else None,
            ects=parts.ects,
            sbu=parts.sbu,
            learning_outcomes=[outcome],
            result=result if result is not None else Result(),
            assessment=assessment or parts.assessment,
            participation=participation or parts.participation,
            quality_assurance=parts.quality_assurance,
            supervision=supervision or parts.supervision,
            identity_checked=parts.identity_checked,
            stackability=None
            if parts.stackable is None
            else Stackability(stackable=parts.stackable),
        )
    except ModelValidationError as exc:
        raise InvalidSourceFieldError(
            f"badge_class: the converted values do not make a valid microcredential: {exc.message}",
            path="badge_class",
            errors=exc.errors,
        ) from exc
    if result is None:
        c.note(
            "result: edubadges public assertions carry no grade; the credential states "
            "the unit was completed (pass result= to give a grade)"
        )
    return ConversionResult(
        microcredential=mc,
        valid_from=parts.valid_from,
        valid_until=parts.valid_until,
        unmapped=c.unmapped,
        notes=c.notes,
    )
