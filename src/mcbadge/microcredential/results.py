"""The result of the unit (the grade) and the rules a result must keep.

:class:`Result` is the grade on its scale (or a letter grade, or passed without a grade);
its validation runs the rules of ``docs/microcredentials.md#grades``: the scale runs upward,
the pass mark and the grade lie on it, a numeric result type has a numeric grade, and a
passed unit's grade is not below the pass mark. A broken rule is a
:class:`~mcbadge.errors.PolicyError` naming the rule and the field.

May import: :mod:`mcbadge.errors`, :mod:`mcbadge._internal` and
:mod:`mcbadge.microcredential.fields`.
"""

from __future__ import annotations

from pydantic import field_validator, model_validator

from mcbadge._internal.grades import normalize_decimal, parse_decimal
from mcbadge.errors import PolicyError
from mcbadge.microcredential.fields import _Input

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
