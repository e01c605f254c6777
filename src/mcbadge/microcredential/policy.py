"""The policy profiles: the rules a microcredential must keep before it is issued.

:func:`check_policy` checks one profile — ``hbo-wo`` (3–30 EC), ``mbo`` (at least 80 SBU),
``eu`` (the mandatory elements of the EU Council Recommendation of 16 June 2022) or ``none``
— and raises a :class:`~mcbadge.errors.PolicyError` naming the first broken rule, with all of
them in ``details["violations"]``; the ``edubadges`` profile's required fields are checked
here too. The rules read a built :class:`~mcbadge.microcredential.Microcredential`, which
calls them; they never build one.

May import: :mod:`mcbadge.errors`, :mod:`mcbadge.microcredential.vocabulary` and
:mod:`mcbadge.microcredential.fields` (the builder only for type checking).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, get_args

from mcbadge.errors import PolicyError
from mcbadge.microcredential.fields import PolicyViolation
from mcbadge.microcredential.vocabulary import HOURS_PER_EC, PolicyName

if TYPE_CHECKING:
    from mcbadge.microcredential.builder import Microcredential


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
