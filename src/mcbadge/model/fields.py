"""The value types of the OB3 model: what a property's value may be, checked strictly.

Annotated types with their validators: date-times with a time zone that keep their text
(:data:`DateTimeZ`), dates, language tags, compact JWS, JSON numbers that keep their type
(:data:`Number`), enumeration values (extensible or not), IRI-or-object unions, and
:data:`Many` (one value or an array, written as an array). A refusal is a pydantic custom
error whose type names the rule; :mod:`mcbadge.model.base` turns it into a
:class:`~mcbadge.errors.ModelValidationError`.

May import: :mod:`mcbadge._internal.dates`, :mod:`mcbadge.model.vocabulary`, pydantic.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any, Final, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    Discriminator,
    JsonValue,
    PlainSerializer,
    PlainValidator,
    Tag,
)
from pydantic_core import PydanticCustomError

from mcbadge._internal.dates import DateTimeStr, DateTimeSyntaxError, parse_date
from mcbadge.model.vocabulary import (
    IN_LANGUAGE_PATTERN,
    AchievementType,
    AlignmentTargetType,
    IdentifierTypeEnum,
    ResultStatusType,
    ResultType,
)

_IN_LANGUAGE_RE: Final = re.compile(IN_LANGUAGE_PATTERN, re.ASCII)


# The schema writes the extension form as the unanchored "(ext:)[a-z|A-Z|0-9|.|-|_]+";
# the model anchors it (the whole value is "ext:" and a name) and allows "-" as meant.
_EXT_RE: Final = re.compile(r"ext:[A-Za-z0-9._|\-]+", re.ASCII)


_COMPACT_JWS_RE: Final = re.compile(r"^[a-zA-Z0-9_-]+\.[a-zA-Z0-9_-]*\.[a-zA-Z0-9_-]+$", re.ASCII)


def _fail(kind: str, reason: str, *, sibling: str | None = None) -> PydanticCustomError:
    """A pydantic error with a fixed message.

    ``sibling`` reports the error at another property of the same object than the one
    being validated (cross-field rules checked from a later field's validator).
    """
    context: dict[str, Any] = {"reason": reason}
    if sibling is not None:
        context["sibling"] = sibling
    return PydanticCustomError(kind, "{reason}", context)


def _exact_str(value: Any) -> str:
    if not isinstance(value, str):
        raise _fail("string_type", f"must be a string, got {type(value).__name__}")
    return str.__str__(value)


def _enum_validator(enum: type[StrEnum], *, extensible: bool) -> PlainValidator:
    known = frozenset(member.value for member in enum)
    name = enum.__name__

    def check(value: Any) -> str:
        text = _exact_str(value)
        if text in known or (extensible and _EXT_RE.fullmatch(text)):
            return text
        if extensible:
            raise _fail(
                "ob3_enum",
                f"{text!r} is not an OB3 {name} value; use one of {sorted(known)} "
                "or an extension of the form 'ext:Name'",
            )
        raise _fail("ob3_enum", f"{text!r} is not an OB3 {name} value; use one of {sorted(known)}")

    return PlainValidator(check, json_schema_input_type=str)


def _check_language(value: Any) -> str:
    text = _exact_str(value)
    if not _IN_LANGUAGE_RE.fullmatch(text):  # fullmatch: '$' alone admits a final newline
        raise _fail(
            "ob3_in_language",
            f"{text!r} is not a language tag of the form OB3 requires "
            f"(pattern {IN_LANGUAGE_PATTERN}, e.g. 'nl', 'en-GB', 'zh-Hant-TW')",
        )
    return text


def _check_compact_jws(value: Any) -> str:
    text = _exact_str(value)
    if not _COMPACT_JWS_RE.fullmatch(text):
        raise _fail("ob3_compact_jws", "is not a compact JWS (header.payload.signature)")
    return text


def _check_datetime(value: Any) -> DateTimeStr:
    try:
        if isinstance(value, DateTimeStr):
            return value
        if isinstance(value, dt.datetime):
            return DateTimeStr.from_datetime(value)
        if isinstance(value, str):
            return DateTimeStr(str.__str__(value))
    except DateTimeSyntaxError as exc:
        raise _fail(f"datetime_{exc.reason}", str(exc)) from exc
    raise _fail(
        "datetime_type",
        f"must be an RFC 3339 date-time string or an aware datetime, got {type(value).__name__}",
    )


def _check_date(value: Any) -> str:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    text = _exact_str(value)
    try:
        parse_date(text)
    except DateTimeSyntaxError as exc:
        raise _fail(f"date_{exc.reason}", str(exc)) from exc
    return text


def _check_number(value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail("number_type", f"must be a JSON number, got {type(value).__name__}")
    if isinstance(value, float) and not math.isfinite(value):
        raise _fail("finite_number", "must be a finite number (JSON has no NaN or Infinity)")
    return value  # int stays int, float stays float


def _plain_str(value: str) -> str:
    return str.__str__(value)


def _one_or_many(value: Any) -> Any:
    """The single allowed normalization: a lone value where OB3 wants an array."""
    if value is None or isinstance(value, list):
        return value
    if isinstance(value, tuple):
        return list(value)
    return [value]


def _uri_or_object(value: Any) -> str | None:
    if isinstance(value, str):
        return "<uri>"
    if isinstance(value, Mapping | BaseModel):
        return "<object>"
    return None  # neither: reported with the discriminator's own message


def _iri_or_object(what: str) -> Discriminator:
    return Discriminator(
        _uri_or_object,
        custom_error_type="ob3_iri_or_object",
        custom_error_message=f"must be an IRI string or {what}",
    )


# Tags of the "IRI or object" unions; they are dropped from error locations.
_UNION_TAGS: Final = frozenset({"<uri>", "<object>"})


_T = TypeVar("_T")


Many = Annotated[list[_T], BeforeValidator(_one_or_many)]
"""An OB3 array property: a single value is accepted and kept as a one-element list."""


DateTimeZ = Annotated[
    DateTimeStr,
    PlainValidator(_check_datetime, json_schema_input_type=str),
    PlainSerializer(_plain_str, return_type=str),
]
"""An RFC 3339 date-time with a time zone; the text is kept exactly."""


DateText = Annotated[str, PlainValidator(_check_date, json_schema_input_type=str)]


LanguageTag = Annotated[str, PlainValidator(_check_language, json_schema_input_type=str)]


CompactJws = Annotated[str, PlainValidator(_check_compact_jws, json_schema_input_type=str)]


# int | float (not float): serialization follows the value, so 5 stays 5 and 5.0 stays 5.0
Number = Annotated[int | float, PlainValidator(_check_number, json_schema_input_type=float)]


AchievementTypeValue = Annotated[str, _enum_validator(AchievementType, extensible=True)]


AlignmentTargetTypeValue = Annotated[str, _enum_validator(AlignmentTargetType, extensible=True)]


ResultTypeValue = Annotated[str, _enum_validator(ResultType, extensible=True)]


ResultStatusValue = Annotated[str, _enum_validator(ResultStatusType, extensible=False)]


IdentifierTypeValue = Annotated[str, _enum_validator(IdentifierTypeEnum, extensible=True)]


ContextEntry = Annotated[
    Annotated[str, Tag("<uri>")] | Annotated[dict[str, JsonValue], Tag("<object>")],
    _iri_or_object("a context object"),
]
