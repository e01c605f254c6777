"""A lossless pydantic v2 model of the Open Badges 3.0 data model.

Every OB3 class has a model here: Python ``snake_case`` attributes, the OB3 ``camelCase``
names on the wire (``@context`` for :attr:`Credential.context`), and the rules of the OB3
JSON Schema (required properties, the ``type`` each object must carry, the enumerations,
``inLanguage``, date-times with a time zone).

**Lossless.** A credential read with :meth:`OB3Model.from_json` and written with
:meth:`OB3Model.to_json_dict` is the same JSON, with one exception listed below:

* properties the model does not know (extensions such as the edubadges ``ECTS``, VC v2
  terms, anything nested) are kept verbatim, at any depth, including ``null`` values;
* values are never rewritten: date-times keep their text (``2010-01-01T00:00:00Z`` stays
  that, see :class:`~mcbadge._internal.dates.DateTimeStr`), numbers keep their JSON type
  (``42`` stays an integer, ``42.0`` a float: JSON-LD tells them apart), strings are never
  coerced, the shape of ``issuer`` / ``image`` (IRI string or object) is kept;
* the one normalization: a property that the OB3 JSON Schema types as an *array*, given as
  a single value, is written as a one-element array. Those properties are ``@context``;
  ``type`` of every class whose ``type`` is an array (credentials, AchievementSubject,
  EndorsementSubject, Achievement, Alignment, Address, Evidence, Profile, Related, Result,
  ResultDescription, RubricCriterionLevel); ``proof``, ``evidence``, ``credentialSchema``,
  ``termsOfUse``, ``endorsement``, ``endorsementJwt``, ``identifier``, ``result``,
  ``alignment``, ``otherIdentifier``, ``related``, ``resultDescription``,
  ``rubricCriterionLevel``, ``tag`` and ``allowedValue``;
* output omits known properties that are absent (``None``); an *empty array the input
  gave* is kept (it was set, so it is written), and the model never invents one: list
  properties default to absent, not to ``[]``. A known property given as ``null`` is
  treated as absent. Only ``type`` (and a credential's ``@context``) have defaults, the
  values OB3 requires; a document that omitted them gains them.

Models are frozen (shallow: do not mutate their lists or extension dicts); edit with
:meth:`OB3Model.with_updates`, which validates, or ``model_copy(update=...)``, which does
not. Validation problems are raised as :class:`~mcbadge.errors.ModelValidationError`
whose ``errors`` name the wire path (``credentialSubject.achievement.inLanguage``); a
pydantic ``ValidationError`` never escapes.

Example:
    >>> cred = AchievementCredential.from_json(
    ...     {
    ...         "@context": [VC_V2_CONTEXT_URL, OB3_CONTEXT_URL],
    ...         "id": "urn:uuid:1", "type": ["VerifiableCredential", "OpenBadgeCredential"],
    ...         "issuer": "did:example:issuer", "validFrom": "2010-01-01T00:00:00Z",
    ...         "credentialSubject": {
    ...             "id": "did:example:learner", "type": ["AchievementSubject"],
    ...             "achievement": {"id": "urn:uuid:2", "type": ["Achievement"], "name": "N",
    ...                             "description": "D", "criteria": {"narrative": "C"}},
    ...         },
    ...     }
    ... )
    >>> cred.valid_from.datetime.year, cred.to_json_dict()["validFrom"]
    (2010, '2010-01-01T00:00:00Z')
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import math
import re
import secrets
from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Final, Literal, Self, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    JsonValue,
    PlainSerializer,
    PlainValidator,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    Tag,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_serializer,
)
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from mcbadge._internal.dates import DateTimeStr, DateTimeSyntaxError, parse_date
from mcbadge.errors import ModelValidationError

__all__ = [
    "IN_LANGUAGE_PATTERN",
    "OB3_CONTEXT_URL",
    "VC_V2_CONTEXT_URL",
    "Achievement",
    "AchievementCredential",
    "AchievementSubject",
    "AchievementType",
    "Address",
    "Alignment",
    "AlignmentTargetType",
    "Credential",
    "CredentialSchema",
    "CredentialStatus",
    "Criteria",
    "DateTimeStr",
    "EndorsementCredential",
    "EndorsementSubject",
    "Evidence",
    "GeoCoordinates",
    "IdentifierEntry",
    "IdentifierTypeEnum",
    "IdentityObject",
    "Image",
    "OB3Model",
    "OpenBadgeCredential",
    "OtherIdentifier",
    "Profile",
    "Proof",
    "RefreshService",
    "Related",
    "Result",
    "ResultDescription",
    "ResultStatusType",
    "ResultType",
    "RubricCriterionLevel",
    "TermsOfUse",
    "parse_credential",
]

VC_V2_CONTEXT_URL: Final = "https://www.w3.org/ns/credentials/v2"
"""The W3C Verifiable Credentials Data Model v2.0 context (first in every OB3 credential)."""

OB3_CONTEXT_URL: Final = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
"""The current Open Badges 3.0 context (second in every credential mcbadge writes)."""

IN_LANGUAGE_PATTERN: Final = r"^[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$"
"""The OB3 JSON Schema pattern for ``inLanguage`` (a BCP 47 subset: ``nl``, ``en-GB``...)."""

_IN_LANGUAGE_RE: Final = re.compile(IN_LANGUAGE_PATTERN, re.ASCII)
# The schema writes the extension form as the unanchored "(ext:)[a-z|A-Z|0-9|.|-|_]+";
# the model anchors it (the whole value is "ext:" and a name) and allows "-" as meant.
_EXT_RE: Final = re.compile(r"ext:[A-Za-z0-9._|\-]+", re.ASCII)
_COMPACT_JWS_RE: Final = re.compile(r"^[a-zA-Z0-9_-]+\.[a-zA-Z0-9_-]*\.[a-zA-Z0-9_-]+$", re.ASCII)
_IDENTITY_HASH_RE: Final = re.compile(r"sha256\$[0-9a-fA-F]{64}|md5\$[0-9a-fA-F]{32}", re.ASCII)
_SALT_BYTES: Final = 16
_MAX_ERRORS_IN_MESSAGE: Final = 8


# --------------------------------------------------------------------------- enumerations


class AchievementType(StrEnum):
    """OB3 ``AchievementType`` (extensible: ``ext:`` values are accepted too).

    Example:
        >>> AchievementType.MICRO_CREDENTIAL.value
        'MicroCredential'
    """

    ACHIEVEMENT = "Achievement"
    APPRENTICESHIP_CERTIFICATE = "ApprenticeshipCertificate"
    ASSESSMENT = "Assessment"
    ASSIGNMENT = "Assignment"
    ASSOCIATE_DEGREE = "AssociateDegree"
    AWARD = "Award"
    BADGE = "Badge"
    BACHELOR_DEGREE = "BachelorDegree"
    CERTIFICATE = "Certificate"
    CERTIFICATE_OF_COMPLETION = "CertificateOfCompletion"
    CERTIFICATION = "Certification"
    COMMUNITY_SERVICE = "CommunityService"
    COMPETENCY = "Competency"
    COURSE = "Course"
    CO_CURRICULAR = "CoCurricular"
    DEGREE = "Degree"
    DIPLOMA = "Diploma"
    DOCTORAL_DEGREE = "DoctoralDegree"
    FIELDWORK = "Fieldwork"
    GENERAL_EDUCATION_DEVELOPMENT = "GeneralEducationDevelopment"
    JOURNEYMAN_CERTIFICATE = "JourneymanCertificate"
    LEARNING_PROGRAM = "LearningProgram"
    LICENSE = "License"
    MEMBERSHIP = "Membership"
    PROFESSIONAL_DOCTORATE = "ProfessionalDoctorate"
    QUALITY_ASSURANCE_CREDENTIAL = "QualityAssuranceCredential"
    MASTER_CERTIFICATE = "MasterCertificate"
    MASTER_DEGREE = "MasterDegree"
    MICRO_CREDENTIAL = "MicroCredential"
    RESEARCH_DOCTORATE = "ResearchDoctorate"
    SECONDARY_SCHOOL_DIPLOMA = "SecondarySchoolDiploma"


class AlignmentTargetType(StrEnum):
    """OB3 ``AlignmentTargetType`` (extensible: e.g. ``ext:EQF``).

    Example:
        >>> AlignmentTargetType.CF_ITEM.value
        'CFItem'
    """

    CEASN_COMPETENCY = "ceasn:Competency"
    CETERMS_CREDENTIAL = "ceterms:Credential"
    CF_ITEM = "CFItem"
    CF_RUBRIC = "CFRubric"
    CF_RUBRIC_CRITERION = "CFRubricCriterion"
    CF_RUBRIC_CRITERION_LEVEL = "CFRubricCriterionLevel"
    CTDL = "CTDL"


class ResultType(StrEnum):
    """OB3 ``ResultType`` (extensible: e.g. ``ext:ECTSGradeScore``).

    Example:
        >>> ResultType.LETTER_GRADE.value
        'LetterGrade'
    """

    GRADE_POINT_AVERAGE = "GradePointAverage"
    LETTER_GRADE = "LetterGrade"
    PERCENT = "Percent"
    PERFORMANCE_LEVEL = "PerformanceLevel"
    PREDICTED_SCORE = "PredictedScore"
    RAW_SCORE = "RawScore"
    RESULT = "Result"
    RUBRIC_CRITERION = "RubricCriterion"
    RUBRIC_CRITERION_LEVEL = "RubricCriterionLevel"
    RUBRIC_SCORE = "RubricScore"
    SCALED_SCORE = "ScaledScore"
    STATUS = "Status"


class ResultStatusType(StrEnum):
    """OB3 ``ResultStatusType`` (a closed vocabulary: no ``ext:`` values).

    Example:
        >>> ResultStatusType.COMPLETED.value
        'Completed'
    """

    COMPLETED = "Completed"
    ENROLLED = "Enrolled"
    FAILED = "Failed"
    IN_PROGRESS = "InProgress"
    ON_HOLD = "OnHold"
    PROVISIONAL = "Provisional"
    WITHDREW = "Withdrew"


class IdentifierTypeEnum(StrEnum):
    """OB3 ``IdentifierTypeEnum`` for ``identityType`` / ``identifierType`` (extensible).

    Example:
        >>> IdentifierTypeEnum.EMAIL_ADDRESS.value
        'emailAddress'
    """

    NAME = "name"
    SOURCED_ID = "sourcedId"
    SYSTEM_ID = "systemId"
    PRODUCT_ID = "productId"
    USER_NAME = "userName"
    ACCOUNT_ID = "accountId"
    EMAIL_ADDRESS = "emailAddress"
    NATIONAL_IDENTITY_NUMBER = "nationalIdentityNumber"
    ISBN = "isbn"
    ISSN = "issn"
    LIS_SOURCED_ID = "lisSourcedId"
    ONE_ROSTER_SOURCED_ID = "oneRosterSourcedId"
    SIS_SOURCED_ID = "sisSourcedId"
    LTI_CONTEXT_ID = "ltiContextId"
    LTI_DEPLOYMENT_ID = "ltiDeploymentId"
    LTI_TOOL_ID = "ltiToolId"
    LTI_PLATFORM_ID = "ltiPlatformId"
    LTI_USER_ID = "ltiUserId"
    IDENTIFIER = "identifier"


# --------------------------------------------------------------------------- field types


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


# --------------------------------------------------------------------------- errors


def _format_loc(parts: tuple[int | str, ...], sibling: str | None = None) -> str:
    if sibling is not None:
        parts = (*parts[:-1], sibling)
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part not in _UNION_TAGS:
            part = _NAME_TO_WIRE.get(part, part)
            out += f".{part}" if out else part
    return out


def _model_error(exc: ValidationError, title: str) -> ModelValidationError:
    errors: list[dict[str, Any]] = []
    for err in exc.errors(include_url=False, include_input=False):
        ctx = err.get("ctx") or {}
        sibling = ctx.get("sibling") if isinstance(ctx.get("sibling"), str) else None
        msg = "required property is missing" if err["type"] == "missing" else err["msg"]
        errors.append({"loc": _format_loc(err["loc"], sibling), "msg": msg, "type": err["type"]})
    return _errors_to_exception(errors, title)


def _errors_to_exception(errors: list[dict[str, Any]], title: str) -> ModelValidationError:
    count = len(errors)
    shown = "; ".join(
        f"{e['loc'] or '<document>'}: {e['msg']}" for e in errors[:_MAX_ERRORS_IN_MESSAGE]
    )
    more = f"; and {count - _MAX_ERRORS_IN_MESSAGE} more" if count > _MAX_ERRORS_IN_MESSAGE else ""
    plural = "" if count == 1 else "s"
    return ModelValidationError(
        f"{title} does not fit the OB3 data model ({count} problem{plural}): {shown}{more}",
        errors=errors,
    )


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _load_object(data: Mapping[str, Any] | str | bytes | bytearray, title: str) -> dict[str, Any]:
    if isinstance(data, str | bytes | bytearray):
        try:
            loaded = json.loads(data, parse_constant=_reject_constant)
        except (ValueError, UnicodeDecodeError) as exc:
            raise _errors_to_exception(
                [{"loc": "", "msg": f"not valid JSON: {exc}", "type": "json_invalid"}], title
            ) from exc
        data = loaded
    if not isinstance(data, Mapping):
        raise _errors_to_exception(
            [
                {
                    "loc": "",
                    "msg": f"must be a JSON object, got {type(data).__name__}",
                    "type": "object_type",
                }
            ],
            title,
        )
    return dict(data)


# --------------------------------------------------------------------------- base


_WIRE_KEYS: dict[type[BaseModel], dict[str, str]] = {}
# Python field name -> JSON key for every model (filled at import, below the classes), so
# that errors from constructor calls (Python names) report the wire path too.
_NAME_TO_WIRE: dict[str, str] = {}
_OPTIONAL_KEYS: dict[type[BaseModel], tuple[tuple[str, str], ...]] = {}


def _wire_keys(cls: type[BaseModel]) -> dict[str, str]:
    """Field name -> JSON key (``valid_from`` -> ``validFrom``), per class, cached."""
    keys = _WIRE_KEYS.get(cls)
    if keys is None:
        keys = {
            name: info.serialization_alias or info.alias or name
            for name, info in cls.model_fields.items()
        }
        _WIRE_KEYS[cls] = keys
    return keys


def _optional_keys(cls: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """(name, JSON key) of the fields that may be ``None`` (absent), per class, cached."""
    keys = _OPTIONAL_KEYS.get(cls)
    if keys is None:
        fields = cls.model_fields
        keys = tuple(
            (name, key) for name, key in _wire_keys(cls).items() if fields[name].default is None
        )
        _OPTIONAL_KEYS[cls] = keys
    return keys


class OB3Model(BaseModel):
    """Base of every OB3 model: camelCase on the wire, extensions kept, frozen, lossless.

    Unknown properties are kept in ``model_extra`` (validated as plain JSON values) and
    written back unchanged. Construct with Python names (``valid_from=...``) or wire names;
    documents from outside should come in through :meth:`from_json`, which only accepts
    wire names (so an extension property that happens to be called ``valid_from`` stays an
    extension).

    Raises:
        ModelValidationError: On construction, when the data does not fit the model.

    Example:
        >>> Criteria(narrative="Pass the exam", extraNote={"a": None}).to_json_dict()
        {'narrative': 'Pass the exam', 'extraNote': {'a': None}}
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        alias_generator=to_camel,
        frozen=True,
        strict=True,
        allow_inf_nan=False,
    )

    __pydantic_extra__: dict[str, JsonValue] = Field(init=False)

    _TYPE_REQUIRED: ClassVar[tuple[frozenset[str], ...]] = ()
    """For array ``type``s: each set names alternatives, one of which must be present."""

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise _model_error(exc, type(self).__name__) from exc

    # Tell pydantic this is still its own __init__ (as RootModel does), so nested objects
    # are validated in one pass in pydantic-core instead of through a Python call each.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    def __setattr__(self, name: str, value: Any) -> None:
        try:
            super().__setattr__(name, value)
        except ValidationError as exc:  # frozen: pydantic reports it as a validation error
            raise _model_error(exc, type(self).__name__) from exc

    def __delattr__(self, name: str) -> None:
        try:
            super().__delattr__(name)
        except ValidationError as exc:
            raise _model_error(exc, type(self).__name__) from exc

    @classmethod
    def model_validate(cls, obj: Any, *args: Any, **kwargs: Any) -> Self:
        """Validate ``obj`` (pydantic's entry point; errors become ModelValidationError).

        Raises:
            ModelValidationError: The data does not fit the model.

        Example:
            >>> Criteria.model_validate({"narrative": "x"}).narrative
            'x'
        """
        try:
            return super().model_validate(obj, *args, **kwargs)
        except ValidationError as exc:
            raise _model_error(exc, cls.__name__) from exc

    @classmethod
    def model_validate_json(cls, json_data: Any, *args: Any, **kwargs: Any) -> Self:
        """Validate JSON text (pydantic's entry point); prefer :meth:`from_json`.

        Raises:
            ModelValidationError: The data does not fit the model or is not JSON.

        Example:
            >>> Criteria.model_validate_json('{"narrative": "x"}').narrative
            'x'
        """
        try:
            return super().model_validate_json(json_data, *args, **kwargs)
        except ValidationError as exc:
            raise _model_error(exc, cls.__name__) from exc

    @classmethod
    def model_validate_strings(cls, obj: Any, *args: Any, **kwargs: Any) -> Self:
        """Validate string data (pydantic's entry point); errors become ModelValidationError.

        Raises:
            ModelValidationError: The data does not fit the model.

        Example:
            >>> Criteria.model_validate_strings({"narrative": "x"}).narrative
            'x'
        """
        try:
            return super().model_validate_strings(obj, *args, **kwargs)
        except ValidationError as exc:
            raise _model_error(exc, cls.__name__) from exc

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | str | bytes | bytearray) -> Self:
        """Read an OB3 object from a JSON document (a dict, or JSON text/bytes).

        Only OB3 (wire) property names are recognised; the input is not modified.

        Args:
            data: The JSON object, or its text.

        Returns:
            The validated, frozen model.

        Raises:
            ModelValidationError: The text is not JSON, not an object, or does not fit
                the model; ``errors`` lists every problem with its wire path.

        Example:
            >>> Image.from_json('{"id": "https://x.example/i.png", "type": "Image"}').id
            'https://x.example/i.png'
        """
        obj = _load_object(data, cls.__name__)
        return cls.model_validate(obj, by_alias=True, by_name=False)

    def to_json_dict(self) -> dict[str, Any]:
        """The object as plain JSON data, OB3 names, absent properties omitted.

        Returns:
            A new dict (safe to modify) of JSON types only.

        Example:
            >>> Image(id="https://x.example/i.png").to_json_dict()
            {'id': 'https://x.example/i.png', 'type': 'Image'}
        """
        data: dict[str, Any] = self.model_dump(mode="json", by_alias=True)
        return data

    def to_json(self, *, indent: int | None = None) -> str:
        """The object as JSON text (UTF-8, non-ASCII written as is).

        Args:
            indent: Pretty-print with this indentation; compact when ``None``.

        Returns:
            The JSON text.

        Example:
            >>> Criteria(narrative="x").to_json()
            '{"narrative":"x"}'
        """
        return self.model_dump_json(by_alias=True, indent=indent)

    def with_updates(self, changes: Mapping[str, Any]) -> Self:
        """A validated copy with some properties replaced.

        Args:
            changes: Python or wire names to new values; ``None`` removes a known
                property; an unknown name sets an extension property.

        Returns:
            The new model (this one is unchanged).

        Raises:
            ModelValidationError: The result does not fit the model.

        Example:
            >>> Criteria(narrative="a").with_updates({"narrative": "b"}).narrative
            'b'
        """
        keys = _wire_keys(type(self))
        values = self.__dict__
        data: dict[str, Any] = {
            keys[name]: values[name] for name in keys if values[name] is not None
        }
        data.update(self.__pydantic_extra__ or {})
        for key, value in changes.items():
            data[keys.get(key, key)] = value
        return type(self).model_validate(data, by_alias=True, by_name=False)

    @field_validator("type", mode="after", check_fields=False)
    @classmethod
    def _check_type_members(cls, value: Any) -> Any:
        if isinstance(value, list):
            for alternatives in cls._TYPE_REQUIRED:
                if alternatives.isdisjoint(value):
                    wanted = " or ".join(repr(a) for a in sorted(alternatives))
                    raise _fail(
                        "ob3_type_missing",
                        f"type must include {wanted} (OB3 requires it), got {value!r}",
                    )
        return value

    @model_serializer(mode="wrap")
    def _omit_absent(self, handler: SerializerFunctionWrapHandler, info: SerializationInfo) -> Any:
        data = handler(self)
        if isinstance(data, dict):
            values = self.__dict__
            index = 1 if info.by_alias else 0
            for keys in _optional_keys(type(self)):
                if values[keys[0]] is None and data.get(keys[index], 0) is None:
                    del data[keys[index]]
        return data


# --------------------------------------------------------------------------- leaf classes


class Image(OB3Model):
    """An image (OB3 ``Image``): its URI or data URI, and a caption.

    Example:
        >>> Image(id="https://example.edu/badge.png", caption="Badge").type
        'Image'
    """

    id: str
    type: Literal["Image"] = "Image"
    caption: str | None = None


ImageRef = Annotated[
    Annotated[str, Tag("<uri>")] | Annotated[Image, Tag("<object>")],
    _iri_or_object("an Image object"),
]
"""An image as OB3 writes it (an :class:`Image`) or as a bare IRI string (kept as given)."""


class Criteria(OB3Model):
    """How the achievement is earned (OB3 ``Criteria``): a URI and/or a narrative.

    Example:
        >>> Criteria(narrative="Pass the final exam.").narrative
        'Pass the final exam.'
    """

    id: str | None = None
    narrative: str | None = None


class Alignment(OB3Model):
    """An alignment to a framework item (OB3 ``Alignment``), e.g. an EQF level.

    Example:
        >>> Alignment(target_name="EQF level 6", target_url="https://europa.eu/eqf",
        ...           target_type="ext:EQF", target_code="6").to_json_dict()["targetType"]
        'ext:EQF'
    """

    _TYPE_REQUIRED: ClassVar[tuple[frozenset[str], ...]] = (frozenset({"Alignment"}),)

    type: Many[str] = Field(default_factory=lambda: ["Alignment"])
    target_code: str | None = None
    target_description: str | None = None
    target_name: str
    target_framework: str | None = None
    target_type: AlignmentTargetTypeValue | None = None
    target_url: str


class IdentifierEntry(OB3Model):
    """Another identifier of an achievement or profile (OB3 ``IdentifierEntry``).

    Example:
        >>> IdentifierEntry(identifier="99XX", identifier_type="ext:BRIN").identifier_type
        'ext:BRIN'
    """

    type: Literal["IdentifierEntry"] = "IdentifierEntry"
    identifier: str
    identifier_type: IdentifierTypeValue


OtherIdentifier = IdentifierEntry
"""The class behind ``otherIdentifier`` entries (an alias of :class:`IdentifierEntry`)."""


class GeoCoordinates(OB3Model):
    """A geographic position (OB3 ``GeoCoordinates``).

    Example:
        >>> GeoCoordinates(latitude=52.37, longitude=4.89).latitude
        52.37
    """

    type: Literal["GeoCoordinates"] = "GeoCoordinates"
    latitude: Number
    longitude: Number


class Address(OB3Model):
    """A postal address (OB3 ``Address``).

    Example:
        >>> Address(address_country_code="NL", address_locality="Utrecht").to_json_dict()
        {'type': ['Address'], 'addressCountryCode': 'NL', 'addressLocality': 'Utrecht'}
    """

    _TYPE_REQUIRED: ClassVar[tuple[frozenset[str], ...]] = (frozenset({"Address"}),)

    type: Many[str] = Field(default_factory=lambda: ["Address"])
    address_country: str | None = None
    address_country_code: str | None = None
    address_region: str | None = None
    address_locality: str | None = None
    street_address: str | None = None
    post_office_box_number: str | None = None
    postal_code: str | None = None
    geo: GeoCoordinates | None = None


class Profile(OB3Model):
    """A person or organization (OB3 ``Profile``): issuer, creator, source, parent org.

    Example:
        >>> Profile(id="https://hs.example.nl", name="Hogeschool Voorbeeld").type
        ['Profile']
    """

    _TYPE_REQUIRED: ClassVar[tuple[frozenset[str], ...]] = (frozenset({"Profile"}),)

    id: str
    type: Many[str] = Field(default_factory=lambda: ["Profile"])
    name: str | None = None
    url: str | None = None
    phone: str | None = None
    description: str | None = None
    endorsement: Many[EndorsementCredential] | None = None
    endorsement_jwt: Many[CompactJws] | None = None
    image: ImageRef | None = None
    email: str | None = None
    address: Address | None = None
    other_identifier: Many[IdentifierEntry] | None = None
    official: str | None = None
    parent_org: Profile | None = None
    family_name: str | None = None
    given_name: str | None = None
    additional_name: str | None = None
    patronymic_name: str | None = None
    honorific_prefix: str | None = None
    honorific_suffix: str | None = None
    family_name_prefix: str | None = None
    date_of_birth: DateText | None = None


ProfileRef = Annotated[
    Annotated[str, Tag("<uri>")] | Annotated[Profile, Tag("<object>")],
    _iri_or_object("a Profile object"),
]
"""An issuer as an IRI string or a :class:`Profile`; the shape given is kept."""


class Related(OB3Model):
    """A related achievement, e.g. the same one in another language (OB3 ``Related``).

    Example:
        >>> Related(id="https://example.edu/a/1-en", in_language="en").in_language
        'en'
    """

    _TYPE_REQUIRED: ClassVar[tuple[frozenset[str], ...]] = (frozenset({"Related"}),)

    id: str
    type: Many[str] = Field(default_factory=lambda: ["Related"])
    in_language: LanguageTag | None = None
    version: str | None = None


class RubricCriterionLevel(OB3Model):
    """A level of a rubric criterion (OB3 ``RubricCriterionLevel``).

    Example:
        >>> RubricCriterionLevel(id="urn:uuid:1", name="Mastery", points="4").points
        '4'
    """

    _TYPE_REQUIRED: ClassVar[tuple[frozenset[str], ...]] = (frozenset({"RubricCriterionLevel"}),)

    id: str
    type: Many[str] = Field(default_factory=lambda: ["RubricCriterionLevel"])
    alignment: Many[Alignment] | None = None
    description: str | None = None
    level: str | None = None
    name: str
    points: str | None = None


class ResultDescription(OB3Model):
    """What results an achievement can have (OB3 ``ResultDescription``), e.g. a grade scale.

    Example:
        >>> ResultDescription(id="urn:uuid:1", name="Grade", result_type="ext:DutchGrade",
        ...                   value_min="1", value_max="10").result_type
        'ext:DutchGrade'
    """

    _TYPE_REQUIRED: ClassVar[tuple[frozenset[str], ...]] = (frozenset({"ResultDescription"}),)

    id: str
    type: Many[str] = Field(default_factory=lambda: ["ResultDescription"])
    alignment: Many[Alignment] | None = None
    allowed_value: Many[str] | None = None
    name: str
    required_level: str | None = None
    required_value: str | None = None
    result_type: ResultTypeValue
    rubric_criterion_level: Many[RubricCriterionLevel] | None = None
    value_max: str | None = None
    value_min: str | None = None


class Achievement(OB3Model):
    """The achievement a credential is about (OB3 ``Achievement``).

    Example:
        >>> a = Achievement(id="https://example.edu/a/1", name="Data Privacy",
        ...                 description="Unit DPZ-01", criteria=Criteria(narrative="Pass"),
        ...                 achievement_type="MicroCredential", in_language="nl")
        >>> a.to_json_dict()["achievementType"]
        'MicroCredential'
    """

    _TYPE_REQUIRED: ClassVar[tuple[frozenset[str], ...]] = (frozenset({"Achievement"}),)

    id: str
    type: Many[str] = Field(default_factory=lambda: ["Achievement"])
    alignment: Many[Alignment] | None = None
    achievement_type: AchievementTypeValue | None = None
    creator: Profile | None = None
    credits_available: Number | None = None
    criteria: Criteria
    description: str
    endorsement: Many[EndorsementCredential] | None = None
    endorsement_jwt: Many[CompactJws] | None = None
    field_of_study: str | None = None
    human_code: str | None = None
    image: ImageRef | None = None
    in_language: LanguageTag | None = None
    name: str
    other_identifier: Many[IdentifierEntry] | None = None
    related: Many[Related] | None = None
    result_description: Many[ResultDescription] | None = None
    specialization: str | None = None
    tag: Many[str] | None = None
    version: str | None = None


class IdentityObject(OB3Model):
    """An identifier of the learner (OB3 ``IdentityObject``), plain or salted-hashed.

    The Python attribute for the OB3 ``hashed`` flag is :attr:`is_hashed`, because
    :meth:`hashed` is the constructor for hashed identities.

    The OB3 ``IdentityHash`` rule (JSON Schema ``$comment`` of ``identityHash``, from the
    spec's derived type): an algorithm name (``sha256`` or ``md5``), ``$``, and the hex hash
    (either case) of the UTF-8 identifier with the salt appended, e.g.
    ``sha256$b5809d8a…f399`` is SHA-256 of ``"a@example.comKosher"``.

    Example:
        >>> ident = IdentityObject.hashed("emailAddress", "a@example.com", salt="Kosher")
        >>> ident.identity_hash[:15], ident.matches("a@example.com")
        ('sha256$b5809d8a', True)
    """

    type: Literal["IdentityObject"] = "IdentityObject"
    is_hashed: bool = Field(validation_alias="hashed", serialization_alias="hashed")
    identity_hash: str
    identity_type: IdentifierTypeValue
    salt: str | None = None

    @field_validator("identity_hash", mode="after")
    @classmethod
    def _check_hash_form(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("is_hashed") is True and not _IDENTITY_HASH_RE.fullmatch(value):
            raise _fail(
                "ob3_identity_hash",
                "hashed is true, so identityHash must be 'sha256$' + 64 hex digits "
                "(or 'md5$' + 32), per the OB3 IdentityHash type",
            )
        return value

    @classmethod
    def hashed(cls, identity_type: str, value: str, *, salt: str | None = None) -> Self:
        """A hashed identity: ``identityHash = "sha256$" + hex(sha256(value + salt))``.

        Args:
            identity_type: An IdentifierTypeEnum value (``emailAddress``...) or ``ext:...``.
            value: The plain identifier (e.g. the e-mail address), hashed as UTF-8.
            salt: The salt; a random 128-bit hex salt (``secrets``) when ``None``.

        Returns:
            The IdentityObject with ``hashed`` true and ``salt`` set.

        Raises:
            ModelValidationError: ``identity_type`` is not a valid identifier type.

        Example:
            >>> IdentityObject.hashed("emailAddress", "jan@example.nl").is_hashed
            True
        """
        if salt is None:
            salt = secrets.token_hex(_SALT_BYTES)
        digest = hashlib.sha256((value + salt).encode("utf-8")).hexdigest()
        return cls(
            identity_type=identity_type,
            is_hashed=True,
            identity_hash=f"sha256${digest}",
            salt=salt,
        )

    @classmethod
    def plain(cls, identity_type: str, value: str) -> Self:
        """An unhashed identity (``hashed`` false, the value as ``identityHash``).

        Args:
            identity_type: An IdentifierTypeEnum value (``name``...) or ``ext:...``.
            value: The identifier itself.

        Returns:
            The IdentityObject.

        Raises:
            ModelValidationError: ``identity_type`` is not a valid identifier type.

        Example:
            >>> IdentityObject.plain("name", "Jan Jansen").to_json_dict()["identityHash"]
            'Jan Jansen'
        """
        return cls(identity_type=identity_type, is_hashed=False, identity_hash=value)

    def matches(self, value: str) -> bool:
        """Whether ``value`` is this identity (constant-time comparison).

        For a hashed identity the value is hashed with the stored salt (no salt: none
        appended) by the algorithm named in ``identityHash``; hex case does not matter.
        The value is compared as given: normalise it (e.g. lower-case an e-mail address)
        the way the issuer did.

        Args:
            value: The plain identifier to test.

        Returns:
            ``True`` when it matches.

        Example:
            >>> IdentityObject.plain("name", "Jan").matches("Jan")
            True
        """
        if not self.is_hashed:
            return hmac.compare_digest(self.identity_hash.encode(), value.encode())
        algorithm, _, expected = self.identity_hash.partition("$")
        salted = (value + (self.salt or "")).encode("utf-8")
        if algorithm == "sha256":
            computed = hashlib.sha256(salted).hexdigest()
        elif algorithm == "md5":
            computed = hashlib.md5(salted, usedforsecurity=False).hexdigest()
        else:  # pragma: no cover - the model validator admits only the two above
            return False
        return hmac.compare_digest(computed, expected.lower())


class Result(OB3Model):
    """A result the learner achieved (OB3 ``Result``): a value, level or status.

    Example:
        >>> Result(result_description="urn:uuid:1", value="8.5").value
        '8.5'
    """

    _TYPE_REQUIRED: ClassVar[tuple[frozenset[str], ...]] = (frozenset({"Result"}),)

    type: Many[str] = Field(default_factory=lambda: ["Result"])
    achieved_level: str | None = None
    alignment: Many[Alignment] | None = None
    result_description: str | None = None
    status: ResultStatusValue | None = None
    value: str | None = None


class AchievementSubject(OB3Model):
    """The learner and what they achieved (OB3 ``AchievementSubject``).

    OB3 requires ``id`` or at least one ``identifier``.

    Example:
        >>> subject = AchievementSubject(
        ...     identifier=[IdentityObject.plain("name", "Jan Jansen")],
        ...     achievement=Achievement(id="urn:uuid:1", name="N", description="D",
        ...                             criteria=Criteria(narrative="C")))
        >>> subject.type
        ['AchievementSubject']
    """

    _TYPE_REQUIRED: ClassVar[tuple[frozenset[str], ...]] = (frozenset({"AchievementSubject"}),)

    id: str | None = None
    type: Many[str] = Field(default_factory=lambda: ["AchievementSubject"])
    activity_end_date: DateTimeZ | None = None
    activity_start_date: DateTimeZ | None = None
    credits_earned: Number | None = None
    achievement: Achievement
    identifier: Many[IdentityObject] | None = Field(default=None, validate_default=True)
    image: ImageRef | None = None
    license_number: str | None = None
    narrative: str | None = None
    result: Many[Result] | None = None
    role: str | None = None
    source: Profile | None = None
    term: str | None = None

    @field_validator("identifier", mode="after")
    @classmethod
    def _check_identified(
        cls, value: list[IdentityObject] | None, info: ValidationInfo
    ) -> list[IdentityObject] | None:
        # `id` is validated before `identifier`; when it is invalid it is not in info.data
        if not value and "id" in info.data and info.data["id"] is None:
            raise _fail(
                "ob3_subject_unidentified",
                "an AchievementSubject needs an id or at least one identifier "
                "(OB3: either id or at least one identifier MUST be supplied)",
                sibling="id",
            )
        return value


class EndorsementSubject(OB3Model):
    """What an endorsement is about (OB3 ``EndorsementSubject``).

    Example:
        >>> EndorsementSubject(id="https://example.edu/issuer",
        ...                    endorsement_comment="In good standing").type
        ['EndorsementSubject']
    """

    _TYPE_REQUIRED: ClassVar[tuple[frozenset[str], ...]] = (frozenset({"EndorsementSubject"}),)

    id: str
    type: Many[str] = Field(default_factory=lambda: ["EndorsementSubject"])
    endorsement_comment: str | None = None


class Evidence(OB3Model):
    """Evidence of the achievement (OB3 ``Evidence``).

    Example:
        >>> Evidence(id="https://example.edu/report.pdf", name="Final report").type
        ['Evidence']
    """

    _TYPE_REQUIRED: ClassVar[tuple[frozenset[str], ...]] = (frozenset({"Evidence"}),)

    id: str | None = None
    type: Many[str] = Field(default_factory=lambda: ["Evidence"])
    narrative: str | None = None
    name: str | None = None
    description: str | None = None
    genre: str | None = None
    audience: str | None = None


class CredentialSchema(OB3Model):
    """A JSON Schema the credential claims to satisfy (VC ``credentialSchema`` entry).

    Example:
        >>> CredentialSchema(id="https://example.edu/schema.json").type
        '1EdTechJsonSchemaValidator2019'
    """

    id: str
    type: str = "1EdTechJsonSchemaValidator2019"


class CredentialStatus(OB3Model):
    """Where to check revocation/suspension (VC ``credentialStatus``); extra keys kept.

    Example:
        >>> CredentialStatus(id="https://example.edu/status/1#94567",
        ...                  type="BitstringStatusListEntry", statusPurpose="revocation",
        ...                  statusListIndex="94567").model_extra["statusPurpose"]
        'revocation'
    """

    id: str
    type: str


class RefreshService(OB3Model):
    """Where a fresher copy can be obtained (VC ``refreshService``).

    Example:
        >>> RefreshService(id="https://example.edu/refresh/1",
        ...                type="1EdTechCredentialRefresh").type
        '1EdTechCredentialRefresh'
    """

    id: str
    type: str


class TermsOfUse(OB3Model):
    """A terms-of-use policy (VC ``termsOfUse``).

    Example:
        >>> TermsOfUse(type="IssuerPolicy", id="https://example.edu/policy").type
        'IssuerPolicy'
    """

    id: str | None = None
    type: str


class Proof(OB3Model):
    """An embedded proof (VC Data Integrity ``proof``); unknown keys are kept.

    Example:
        >>> Proof(type="DataIntegrityProof", cryptosuite="eddsa-rdfc-2022",
        ...       created="2010-01-01T19:23:24Z", proof_purpose="assertionMethod"
        ...       ).created.datetime.hour
        19
    """

    type: str
    created: DateTimeZ | None = None
    cryptosuite: str | None = None
    challenge: str | None = None
    domain: str | None = None
    nonce: str | None = None
    proof_purpose: str | None = None
    proof_value: str | None = None
    verification_method: str | None = None


# --------------------------------------------------------------------------- credentials


def _default_context() -> list[str | dict[str, JsonValue]]:
    return [VC_V2_CONTEXT_URL, OB3_CONTEXT_URL]


class Credential(OB3Model):
    """Fields every OB3 credential shares; use :class:`AchievementCredential` or
    :class:`EndorsementCredential`.

    ``validFrom`` is required, except that a VC 1.1 (legacy) credential may carry
    ``issuanceDate`` instead; ``issuanceDate``/``expirationDate`` are kept for verifying
    such credentials and must never be written into new ones.

    Example:
        >>> issubclass(AchievementCredential, Credential)
        True
    """

    context: Many[ContextEntry] = Field(
        default_factory=_default_context,
        validation_alias="@context",
        serialization_alias="@context",
    )
    id: str
    type: Many[str]
    name: str | None = None
    description: str | None = None
    issuer: ProfileRef
    valid_from: DateTimeZ | None = None
    valid_until: DateTimeZ | None = None
    awarded_date: DateTimeZ | None = None
    issuance_date: DateTimeZ | None = Field(default=None, validate_default=True)
    expiration_date: DateTimeZ | None = None

    @field_validator("issuance_date", mode="after")
    @classmethod
    def _check_valid_from(cls, value: DateTimeStr | None, info: ValidationInfo) -> Any:
        # `valid_from` is validated first; when it is invalid it is not in info.data
        if value is None and "valid_from" in info.data and info.data["valid_from"] is None:
            raise _fail(
                "missing",
                "validFrom is required (issuanceDate only in a legacy VC 1.1 credential)",
                sibling="validFrom",
            )
        return value

    @property
    def issuer_id(self) -> str:
        """The issuer's IRI, whether ``issuer`` is a string or a :class:`Profile`."""
        return self.issuer if isinstance(self.issuer, str) else self.issuer.id


class AchievementCredential(Credential):
    """An Open Badges 3.0 credential (``AchievementCredential`` / ``OpenBadgeCredential``).

    ``type`` must include ``VerifiableCredential`` and ``AchievementCredential`` or
    ``OpenBadgeCredential`` (the default type uses the latter, as most wallets expect).
    :data:`OpenBadgeCredential` is this same class.

    Example:
        >>> cred = AchievementCredential(
        ...     id="urn:uuid:1", issuer=Profile(id="did:example:issuer", name="HS"),
        ...     valid_from=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        ...     credential_subject=AchievementSubject(
        ...         id="did:example:learner",
        ...         achievement=Achievement(id="urn:uuid:2", name="N", description="D",
        ...                                 criteria=Criteria(narrative="C"))))
        >>> cred.to_json_dict()["validFrom"], cred.type
        ('2026-01-01T00:00:00Z', ['VerifiableCredential', 'OpenBadgeCredential'])
    """

    _TYPE_REQUIRED: ClassVar[tuple[frozenset[str], ...]] = (
        frozenset({"VerifiableCredential"}),
        frozenset({"AchievementCredential", "OpenBadgeCredential"}),
    )

    type: Many[str] = Field(default_factory=lambda: ["VerifiableCredential", "OpenBadgeCredential"])
    image: ImageRef | None = None
    credential_subject: AchievementSubject
    endorsement: Many[EndorsementCredential] | None = None
    endorsement_jwt: Many[CompactJws] | None = None
    evidence: Many[Evidence] | None = None
    credential_schema: Many[CredentialSchema] | None = None
    credential_status: CredentialStatus | None = None
    refresh_service: RefreshService | None = None
    terms_of_use: Many[TermsOfUse] | None = None
    proof: Many[Proof] | None = None


OpenBadgeCredential = AchievementCredential
"""``OpenBadgeCredential`` is the same class as :class:`AchievementCredential`."""


class EndorsementCredential(Credential):
    """An endorsement of a credential, achievement or profile (OB3 ``EndorsementCredential``).

    Example:
        >>> e = EndorsementCredential(
        ...     id="urn:uuid:3", name="Endorsement", issuer="did:example:endorser",
        ...     valid_from="2024-01-01T00:00:00Z",
        ...     credential_subject=EndorsementSubject(id="did:example:issuer"))
        >>> e.type
        ['VerifiableCredential', 'EndorsementCredential']
    """

    _TYPE_REQUIRED: ClassVar[tuple[frozenset[str], ...]] = (
        frozenset({"VerifiableCredential"}),
        frozenset({"EndorsementCredential"}),
    )

    type: Many[str] = Field(
        default_factory=lambda: ["VerifiableCredential", "EndorsementCredential"]
    )
    name: str  # required here, optional on Credential
    credential_subject: EndorsementSubject
    credential_schema: Many[CredentialSchema] | None = None
    credential_status: CredentialStatus | None = None
    refresh_service: RefreshService | None = None
    terms_of_use: Many[TermsOfUse] | None = None
    proof: Many[Proof] | None = None


def parse_credential(
    data: Mapping[str, Any] | str | bytes | bytearray,
) -> AchievementCredential | EndorsementCredential:
    """Read a credential, choosing the class by its ``type``.

    Args:
        data: The credential as a JSON object or JSON text.

    Returns:
        An :class:`AchievementCredential` when ``type`` contains ``AchievementCredential``
        or ``OpenBadgeCredential``, else an :class:`EndorsementCredential` when it contains
        ``EndorsementCredential``.

    Raises:
        ModelValidationError: Not JSON, no OB3 credential type, or invalid.

    Example:
        >>> try:
        ...     parse_credential('{"type": ["VerifiableCredential"]}')
        ... except ModelValidationError as exc:
        ...     print(exc.errors[0]["loc"], exc.errors[0]["type"])
        type ob3_credential_type
    """
    obj = _load_object(data, "credential")
    types = obj.get("type")
    names = [types] if isinstance(types, str) else types if isinstance(types, list) else []
    cls: type[AchievementCredential] | type[EndorsementCredential]
    if "AchievementCredential" in names or "OpenBadgeCredential" in names:
        cls = AchievementCredential
    elif "EndorsementCredential" in names:
        cls = EndorsementCredential
    else:
        raise _errors_to_exception(
            [
                {
                    "loc": "type",
                    "msg": "not an OB3 credential: type must contain AchievementCredential, "
                    f"OpenBadgeCredential or EndorsementCredential, got {types!r}",
                    "type": "ob3_credential_type",
                }
            ],
            "credential",
        )
    return cls.model_validate(obj, by_alias=True, by_name=False)


_ALL_MODELS: Final[tuple[type[OB3Model], ...]] = (
    Image,
    Criteria,
    Alignment,
    IdentifierEntry,
    GeoCoordinates,
    Address,
    Profile,
    Related,
    RubricCriterionLevel,
    ResultDescription,
    Achievement,
    IdentityObject,
    Result,
    AchievementSubject,
    EndorsementSubject,
    Evidence,
    CredentialSchema,
    CredentialStatus,
    RefreshService,
    TermsOfUse,
    Proof,
    Credential,
    AchievementCredential,
    EndorsementCredential,
)

for _cls in _ALL_MODELS:
    _cls.model_rebuild()
for _cls in _ALL_MODELS:
    _NAME_TO_WIRE.update((name, key) for name, key in _wire_keys(_cls).items() if name != key)
del _cls
