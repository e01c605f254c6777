"""Reading edubadges OB2 JSON strictly, and keeping account of every field read or not.

The vocabularies edubadges uses mapped to the builder's (participation, assessment, languages,
recipient types), the strict readers of a value at a JSON path (text, IRI, boolean, number,
date-time, ``type``, ``@context``, an extension's value), and the collector
(``_Collector``) that lists every field not carried with the reason, and the parts
(``_Parts``) the readers fill for the builder.

May import: :mod:`mcbadge.edubadges.errors` and :mod:`mcbadge.edubadges.convert.errors`,
:mod:`mcbadge.microcredential`, :mod:`mcbadge.errors`, :mod:`mcbadge._internal`.
"""

from __future__ import annotations

import copy
import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, Literal, TypeVar

from mcbadge._internal.dates import DateTimeSyntaxError, parse_datetime
from mcbadge.edubadges.convert.errors import InvalidSourceFieldError, MissingSourceFieldError
from mcbadge.edubadges.convert.result import UnmappedField
from mcbadge.errors import ModelValidationError
from mcbadge.microcredential import (
    AssessmentType,
    HashedIdentity,
    ParticipationType,
    QualityAssurance,
    SupervisionType,
)

if TYPE_CHECKING:
    pass


#: The JSON-LD context of Open Badges 2.0 documents.
OB2_CONTEXT_URL: Final = "https://w3id.org/openbadges/v2"


_UNKNOWN: Final = "not a field mcbadge knows in an edubadges document, so it is not carried"


# The value member of each edubadges extension (the extension contexts in edubadges-server
# apps/mainsite/static/extensions/*/context.json).
_BADGE_CLASS_EXTENSIONS: Final = {
    "extensions:ECTSExtension": "ECTS",
    "extensions:StudyLoadExtension": "StudyLoad",
    "extensions:TimeInvestmentExtension": "TimeInvestment",
    "extensions:EQFExtension": "EQF",
    "extensions:LearningOutcomeExtension": "LearningOutcome",
    "extensions:EducationProgramIdentifierExtension": "EducationProgramIdentifier",
    "extensions:LanguageExtension": "Language",
}


_ISSUER_EXTENSIONS: Final = {
    "extensions:InstitutionIdentifierExtension": "InstitutionIdentifier",
    "extensions:InstitutionNameExtension": "InstitutionName",
    "extensions:InstitutionCountryExtension": "InstitutionCountry",
    "extensions:GradingTableExtension": "GradingTableURL",
}


_RECIPIENT_PROFILE: Final = "extensions:recipientProfile"


# edubadges' badge class vocabularies (edubadges-ui newBadgeClassForm options) mapped to the
# EU Council Recommendation vocabularies the builder uses. Values already in the EU
# vocabulary map to themselves.
_PARTICIPATION: Final[dict[str, ParticipationType]] = {
    "online": "online",
    "onsite": "onsite or blended",
    "blended": "onsite or blended",
    "work_experience": "work experience",
    "onsite or blended": "onsite or blended",
    "volunteering": "volunteering",
    "work experience": "work experience",
    "personalized learning activities": "personalized learning activities",
}


# One form of participation fits the builder; when several are given the broadest wins:
# blended participation includes online participation.
_PARTICIPATION_ORDER: Final[tuple[ParticipationType, ...]] = (
    "onsite or blended",
    "online",
    "work experience",
    "volunteering",
    "personalized learning activities",
)


_ASSESSMENT: Final[dict[str, AssessmentType]] = {
    "written_exam": "testing",
    "oram_exam": "testing",  # sic: edubadges' key for "presentation / oral exam"
    "oral_exam": "testing",
    "portfolio_assessment": "portfolio",
    "professional_product": "application of a skill",
    "behavioural_assessment": "application of a skill",
    "testing": "testing",
    "application of a skill": "application of a skill",
    "portfolio": "portfolio",
    "recognition of prior learning": "recognition of prior learning",
}


# edubadges' language choices; other ``ll_RR`` values become ``ll-RR``.
_LANGUAGES: Final = {
    "en_EN": "en",  # "EN" is no ISO 3166 region: the value means English
    "nl_NL": "nl-NL",
    "de_DE": "de-DE",
    "fr_FR": "fr-FR",
    "es_ES": "es-ES",
}


_LOCALE_RE: Final = re.compile(r"([a-z]{2,3})[_-]([A-Za-z]{2})")


_RECIPIENT_TYPES: Final = {
    "email": "emailAddress",
    "id": "identifier",
    "url": "ext:url",
    "telephone": "ext:telephone",
}


_IDENTITY_HASH_RE: Final = re.compile(r"sha256\$[0-9a-fA-F]{64}|md5\$[0-9a-fA-F]{32}", re.ASCII)


_SIMPLE_KEY_RE: Final = re.compile(r"[A-Za-z_@$][A-Za-z0-9_:@$\-]*")


_ABS_IRI_RE: Final = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")


_MICRO_CREDENTIAL_KIND: Final = "micro_credential"


_QA_FRAMEWORK_CODE: Final = "Kwaliteitskader"  # the code edubadges gives its QA alignment


_T = TypeVar("_T")


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    if _SIMPLE_KEY_RE.fullmatch(key):
        return f"{path}.{key}"
    return f"{path}[{json.dumps(key, ensure_ascii=False)}]"


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


class _Collector:
    """Collects what is not carried and what was decided, while the documents are read."""

    def __init__(self) -> None:
        self.unmapped: list[UnmappedField] = []
        self.notes: list[str] = []

    def lose(self, path: str, value: Any, reason: str) -> None:
        self.unmapped.append(UnmappedField(path, copy.deepcopy(value), reason))

    def note(self, text: str) -> None:
        self.notes.append(text)

    def leftovers(self, obj: Mapping[str, Any], path: str, seen: set[str]) -> None:
        for key, value in obj.items():
            if key not in seen:
                self.lose(_join(path, key), value, _UNKNOWN)


def _as_dict(value: Any, path: str) -> dict[str, Any]:
    to_json = getattr(value, "to_json", None)
    if callable(to_json) and not isinstance(value, Mapping):
        value = to_json()
    if not isinstance(value, Mapping):
        raise InvalidSourceFieldError(
            f"{path}: expected a JSON object (the parsed Open Badges 2.0 document), "
            f"got {type(value).__name__}",
            path=path,
        )
    return {str(k): v for k, v in value.items()}


def _text(value: Any, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidSourceFieldError(
            f"{path}: expected non-empty text, got {_shown(value)}", path=path
        )
    return value.strip()


def _iri(value: Any, path: str) -> str:
    text = _text(value, path)
    if not _ABS_IRI_RE.fullmatch(text):
        raise InvalidSourceFieldError(
            f"{path}: expected an absolute IRI (https://… or data:…), got {_shown(value)}",
            path=path,
        )
    return text


def _bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidSourceFieldError(
            f"{path}: expected true or false, got {_shown(value)}", path=path
        )
    return value


def _number(value: Any, path: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidSourceFieldError(
            f"{path}: expected a number (the extension's JSON Schema type), got {_shown(value)}",
            path=path,
        )
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidSourceFieldError(f"{path}: expected a finite number, got {value!r}", path=path)
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _whole(value: Decimal) -> int | None:
    return int(value) if value == value.to_integral_value() else None


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


def _datetime(value: Any, path: str) -> str:
    text = _text(value, path)
    try:
        parse_datetime(text)
    except DateTimeSyntaxError as exc:
        raise InvalidSourceFieldError(
            f"{path}: {text!r} is not a date-time with a time zone ({exc})", path=path
        ) from None
    return text


def _build(factory: Callable[..., _T], path: str, **values: Any) -> _T:
    try:
        return factory(**values)
    except ModelValidationError as exc:
        raise InvalidSourceFieldError(
            f"{path}: {exc.message}", path=path, errors=exc.errors
        ) from exc


def _check_type(doc: Mapping[str, Any], path: str, expected: tuple[str, ...]) -> None:
    if "type" not in doc:
        return
    value = doc["type"]
    types = value if isinstance(value, list) else [value]
    if not any(t in expected for t in types):
        raise InvalidSourceFieldError(
            f"{_join(path, 'type')}: expected an Open Badges 2.0 {expected[0]}, "
            f"got {_shown(value)}",
            path=_join(path, "type"),
        )


def _check_context(doc: Mapping[str, Any], path: str) -> None:
    if "@context" not in doc:
        return
    value = doc["@context"]
    contexts = value if isinstance(value, list) else [value]
    if OB2_CONTEXT_URL not in contexts:
        raise InvalidSourceFieldError(
            f"{_join(path, '@context')}: not an Open Badges 2.0 document (expected the context "
            f"{OB2_CONTEXT_URL}), got {_shown(value)}",
            path=_join(path, "@context"),
        )


def _ref_id(value: Any) -> Any:
    return value.get("id") if isinstance(value, Mapping) else value


def _extension(
    c: _Collector, doc: Mapping[str, Any], key: str, member: str, path: str
) -> tuple[Any, str] | None:
    """The value member of an extension object, its path; the other members are reported."""
    if key not in doc:
        return None
    ext_path = _join(path, key)
    obj = doc[key]
    if not isinstance(obj, Mapping):
        raise InvalidSourceFieldError(
            f"{ext_path}: an extension must be a JSON object, got {_shown(obj)}", path=ext_path
        )
    value_path = _join(ext_path, member)
    if member not in obj:
        raise MissingSourceFieldError(
            f"{value_path}: the extension has no {member!r} member", path=value_path
        )
    c.leftovers(obj, ext_path, {"@context", "type", member})
    return obj[member], value_path


@dataclass(frozen=True)
class _Given:
    """The caller's keyword arguments that replace source values."""

    nlqf: int | Literal["entry"] | None
    assessment: AssessmentType | None
    participation: ParticipationType | None
    supervision: SupervisionType | None
    quality_assurance: QualityAssurance | None


@dataclass
class _Parts:
    """Everything read from the three documents, before the builder objects are made."""

    hashed: HashedIdentity | None = None
    plain_email: str | None = None
    learner_name: str | None = None
    valid_from: str = ""
    valid_until: str | None = None
    unit: dict[str, Any] = field(default_factory=dict)
    ects: Decimal | None = None
    sbu: int | None = None
    eqf: int | None = None
    eqf_path: str = ""
    outcome: str | None = None
    assessment: AssessmentType | None = None
    participation: ParticipationType | None = None
    supervision: SupervisionType | None = None
    identity_checked: bool | None = None
    quality_assurance: QualityAssurance | None = None
    stackable: bool | None = None
    institution: dict[str, Any] = field(default_factory=dict)


def _list(value: Any, path: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidSourceFieldError(f"{path}: expected a list, got {_shown(value)}", path=path)
    return value


def _report_replaced(
    c: _Collector, doc: Mapping[str, Any], path: str, reason: str, *, keep: set[str]
) -> None:
    for key, value in doc.items():
        if key not in keep:
            c.lose(_join(path, key), value, reason)
