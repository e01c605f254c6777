"""Convert an edubadges Open Badges 2.0 award into a :class:`~mcbadge.Microcredential`.

edubadges (SURF) publishes every public award as Open Badges 2.0 JSON: the assertion
(``GET /public/assertions/{id}``), its badge class (``GET /public/badges/{id}?expand=micro``)
and the issuer, with SURF's microcredential extensions (ECTS, EQF, learning outcome...).
:func:`to_microcredential` maps the three documents onto mcbadge's microcredential builder,
so the award can be re-issued as an Open Badges 3.0 credential.

Nothing is dropped silently: every source field is either carried into the microcredential,
or listed in :attr:`ConversionResult.unmapped` with its JSON path, its value and the reason,
and every interpretation the converter made is written to :attr:`ConversionResult.notes`.
``docs/conversion.md`` documents the mapping field by field.

Example:
    >>> result = to_microcredential(assertion, badge_class, issuer,
    ...                             learner_name="Ana de Vries")  # doctest: +SKIP
    >>> for field in result.unmapped:  # doctest: +SKIP
    ...     print(field.path, field.reason)
    >>> credential = result.to_credential(id="urn:uuid:...")  # doctest: +SKIP
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
from mcbadge.edubadges.models import PublicAssertion, PublicBadgeClass
from mcbadge.errors import InvalidInputError, ModelValidationError
from mcbadge.microcredential import (
    ASSESSMENT_TYPES,
    AssessmentType,
    HashedIdentity,
    Institution,
    Learner,
    LearningOutcome,
    Microcredential,
    ParticipationType,
    PolicyName,
    Profile,
    QualityAssurance,
    Result,
    Stackability,
    SupervisionType,
    Unit,
)

if TYPE_CHECKING:
    from mcbadge.model import AchievementCredential

__all__ = [
    "OB2_CONTEXT_URL",
    "ConversionError",
    "ConversionResult",
    "InvalidSourceFieldError",
    "MissingSourceFieldError",
    "RevokedAssertionError",
    "UnmappedField",
    "to_microcredential",
]

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
_OB3_LANGUAGE_RE: Final = re.compile(r"[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?")
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


# --------------------------------------------------------------------------- errors


class ConversionError(InvalidInputError):
    """An edubadges document cannot be converted; ``path`` names the offending field.

    Attributes:
        path: Where the problem is, e.g. ``"badge_class.extensions:ECTSExtension.ECTS"``.

    Example:
        >>> ConversionError("badge_class.name: must be text", path="badge_class.name").path
        'badge_class.name'
    """

    code = "edubadges_conversion"

    def __init__(self, message: str, *, path: str, **details: Any) -> None:
        super().__init__(message, path=path, **details)
        self.path = path


class MissingSourceFieldError(ConversionError):
    """A field the microcredential needs is absent from the edubadges documents.

    Example:
        >>> MissingSourceFieldError("assertion.issuedOn: missing", path="assertion.issuedOn").code
        'edubadges_conversion_missing'
    """

    code = "edubadges_conversion_missing"


class InvalidSourceFieldError(ConversionError):
    """A field of the edubadges documents has a value mcbadge cannot use.

    Example:
        >>> err = InvalidSourceFieldError("bad EQF", path="badge_class.extensions:EQFExtension.EQF")
        >>> err.code
        'edubadges_conversion_invalid'
    """

    code = "edubadges_conversion_invalid"


class RevokedAssertionError(ConversionError):
    """The assertion was revoked in edubadges; a revoked award must not be re-issued.

    Attributes:
        reason: The revocation reason edubadges published, if any.

    Example:
        >>> RevokedAssertionError("revoked", path="assertion.revoked", reason="Fraud").reason
        'Fraud'
    """

    code = "edubadges_assertion_revoked"

    def __init__(self, message: str, *, path: str, reason: str | None = None) -> None:
        super().__init__(message, path=path, reason=reason)
        self.reason = reason


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class UnmappedField:
    """A source field (or part of one) that the microcredential does not carry.

    Attributes:
        path: Where it is: ``assertion.…``, ``badge_class.…`` or ``issuer.…``; keys that are
            not plain names are written as ``["key"]``, list items as ``[n]``.
        value: The value (a copy), or the part of it that was not carried.
        reason: Why it is not carried.

    Example:
        >>> UnmappedField("assertion.narrative", "Thesis", "no place").to_dict()["path"]
        'assertion.narrative'
    """

    path: str
    value: Any
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"path", "value", "reason"}`` for JSON output.

        Returns:
            A new dict.

        Example:
            >>> sorted(UnmappedField("issuer.x", 1, "unknown").to_dict())
            ['path', 'reason', 'value']
        """
        return {"path": self.path, "value": copy.deepcopy(self.value), "reason": self.reason}


@dataclass(frozen=True, slots=True)
class ConversionResult:
    """What :func:`to_microcredential` produced.

    Attributes:
        microcredential: The microcredential, ready for ``to_credential()``.
        valid_from: The assertion's ``issuedOn``, the re-issued credential's ``validFrom``.
        valid_until: The assertion's ``expires``, if any.
        unmapped: Every source field (or part of a field) not carried, in document order.
        notes: Every interpretation the conversion made, for a person to review.

    Example:
        >>> result = to_microcredential(assertion, badge_class, issuer,
        ...                             learner_name="Ana")  # doctest: +SKIP
        >>> result.to_credential(id="urn:uuid:...", policy="hbo-wo")  # doctest: +SKIP
    """

    microcredential: Microcredential
    valid_from: str
    valid_until: str | None
    unmapped: list[UnmappedField] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_credential(
        self,
        *,
        id: str,  # noqa: A002 - the OB3 name
        policy: PolicyName | None = None,
        profile: Profile = "ob3",
        issuer_id: str | None = None,
    ) -> AchievementCredential:
        """Re-issue as an unsigned OB3 credential, dated as the edubadge was.

        Same as ``microcredential.to_credential(...)`` with ``valid_from`` and
        ``valid_until`` taken from the assertion.

        Args:
            id: The new credential's IRI (e.g. ``urn:uuid:…``).
            policy: The policy profile to check (default: the microcredential's default).
            profile: ``"ob3"`` (default) or ``"edubadges"``.
            issuer_id: The issuer's id, e.g. the signing key's DID.

        Returns:
            The unsigned ``AchievementCredential``.

        Raises:
            PolicyError: a policy rule is broken.
            ModelValidationError: ``id`` or ``issuer_id`` is not an absolute IRI.

        Example:
            >>> result.to_credential(id="urn:uuid:0f4a2c3e-6d1b-4a57-9a4e-7c1de3f0a111")  # doctest: +SKIP
        """  # noqa: E501
        credential: AchievementCredential = self.microcredential.to_credential(
            id=id,
            valid_from=self.valid_from,
            valid_until=self.valid_until,
            issuer_id=issuer_id,
            profile=profile,
            policy=policy,
        )
        return credential


# --------------------------------------------------------------------------- helpers


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


# --------------------------------------------------------------------------- the parts


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


def _read_assertion(
    c: _Collector, a: Mapping[str, Any], parts: _Parts, badge_id: str | None
) -> None:
    path = "assertion"
    if a.get("revoked") is True:
        reason = a.get("revocationReason")
        raise RevokedAssertionError(
            f"assertion.revoked: the edubadge {a.get('id', '')} was revoked"
            + (f" ({reason})" if isinstance(reason, str) and reason else "")
            + "; a revoked award must not be re-issued",
            path="assertion.revoked",
            reason=reason if isinstance(reason, str) else None,
        )
    _check_context(a, path)
    _check_type(a, path, ("Assertion",))
    seen = {"@context", "type"}
    if "revoked" in a:
        _bool(a["revoked"], "assertion.revoked")
        seen.add("revoked")
        c.note("assertion.revoked: the edubadge was not revoked when it was converted")

    if "id" in a:
        seen.add("id")
        c.lose(
            "assertion.id",
            a["id"],
            "the OB3 credential gets its own id (to_credential(id=...)); keep the OB2 "
            "assertion URL in your own records if you need the link",
        )
    if "badge" in a:
        seen.add("badge")
        ref = _ref_id(a["badge"])
        if badge_id is not None and ref != badge_id:
            raise InvalidSourceFieldError(
                f"assertion.badge: the assertion is of badge class {_shown(ref)}, but the "
                f"badge class given is {badge_id!r}",
                path="assertion.badge",
            )
        if isinstance(a["badge"], Mapping):
            c.note(
                "assertion.badge: an embedded badge class was compared by id only; the "
                "badge_class argument is what was converted"
            )

    _read_recipient(c, a, parts)
    seen.add("recipient")

    if "issuedOn" not in a:
        raise MissingSourceFieldError(
            "assertion.issuedOn: the date of issue is missing (the EU recommendation requires it)",
            path="assertion.issuedOn",
        )
    seen.add("issuedOn")
    parts.valid_from = _datetime(a["issuedOn"], "assertion.issuedOn")
    c.note("assertion.issuedOn: becomes validFrom (and awardedDate) of the OB3 credential")
    if "expires" in a:
        seen.add("expires")
        if a["expires"] is not None:
            parts.valid_until = _datetime(a["expires"], "assertion.expires")
            c.note("assertion.expires: becomes validUntil of the OB3 credential")

    if "verification" in a:
        seen.add("verification")
        verification = a["verification"]
        if isinstance(verification, Mapping) and "type" in verification:
            c.leftovers(verification, "assertion.verification", {"type"})
            c.note(
                f"assertion.verification: OB2 {verification['type']} verification is replaced by "
                "the OB3 proof added when the credential is issued"
            )
        else:
            c.lose("assertion.verification", verification, _UNKNOWN)

    no_place = {
        "image": "the assertion's (baked) badge image; the credential shows the badge class "
        "image (achievement.image)",
        "evidence": "the microcredential builder has no evidence field",
        "narrative": "the microcredential builder has no per-learner narrative field",
        "updatedAt": "the OB3 credential has no last-modified date",
    }
    for key, reason in no_place.items():
        if key in a:
            seen.add(key)
            if not _is_empty(a[key]):
                c.lose(_join(path, key), a[key], reason)

    if _RECIPIENT_PROFILE in a:
        seen.add(_RECIPIENT_PROFILE)
        profile = a[_RECIPIENT_PROFILE]
        profile_path = _join(path, _RECIPIENT_PROFILE)
        if isinstance(profile, Mapping) and "name" in profile:
            c.leftovers(profile, profile_path, {"@context", "type", "name"})
            parts.learner_name = _text(profile["name"], _join(profile_path, "name"))
        else:
            c.lose(profile_path, profile, _UNKNOWN)
    c.leftovers(a, path, seen)


def _read_recipient(c: _Collector, a: Mapping[str, Any], parts: _Parts) -> None:
    path = "assertion.recipient"
    if "recipient" not in a:
        raise MissingSourceFieldError(f"{path}: the assertion names no recipient", path=path)
    recipient = a["recipient"]
    if not isinstance(recipient, Mapping):
        raise InvalidSourceFieldError(
            f"{path}: expected an IdentityObject, got {_shown(recipient)}", path=path
        )
    if "identity" not in recipient:
        raise MissingSourceFieldError(f"{path}.identity: missing", path=f"{path}.identity")
    kind = recipient.get("type", "email")
    kind = _text(kind, f"{path}.type")
    identity_type = _RECIPIENT_TYPES.get(kind) or f"ext:{kind}"
    hashed = _bool(recipient.get("hashed", False), f"{path}.hashed")
    salt = recipient.get("salt")
    if salt is not None and not isinstance(salt, str):
        raise InvalidSourceFieldError(
            f"{path}.salt: expected text, got {_shown(salt)}", path=f"{path}.salt"
        )
    identity = _text(recipient["identity"], f"{path}.identity")
    seen = {"identity", "type", "hashed", "salt"}
    if hashed:
        if not _IDENTITY_HASH_RE.fullmatch(identity):
            raise InvalidSourceFieldError(
                f"{path}.identity: a hashed identity must be 'sha256$' and 64 hex digits (or "
                f"'md5$' and 32), the hash of the identifier with the salt appended; got "
                f"{_shown(identity)}",
                path=f"{path}.identity",
            )
        try:
            parts.hashed = HashedIdentity(
                identity_type=identity_type, identity_hash=identity, salt=salt
            )
        except ModelValidationError as exc:
            where = f"{path}.type" if "identity_type" in exc.message else f"{path}.identity"
            raise InvalidSourceFieldError(
                f"{where}: {exc.message}", path=where, errors=exc.errors
            ) from exc
        c.note(
            f"assertion.recipient: the hashed {kind!r} identity is carried unchanged (same hash "
            f"and salt) as an OB3 IdentityObject of identityType {identity_type!r}"
        )
    elif kind == "email":
        parts.plain_email = identity
        if salt is not None:
            c.lose(f"{path}.salt", salt, "a salt of an unhashed identity has no use")
        c.note(
            "assertion.recipient: the plain e-mail address is carried as the learner's e-mail, "
            "which the credential holds salted and hashed"
        )
    else:
        c.lose(
            path,
            dict(recipient),
            f"the builder carries plain identities only as e-mail, student number or eppn, "
            f"not as {kind!r}",
        )
        return
    c.leftovers(recipient, path, seen)


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


def _list(value: Any, path: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidSourceFieldError(f"{path}: expected a list, got {_shown(value)}", path=path)
    return value


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


def _read_issuer(c: _Collector, i: Mapping[str, Any], parts: _Parts) -> None:
    path = "issuer"
    _check_context(i, path)
    _check_type(i, path, ("Issuer", "Profile"))
    seen = {"@context", "type", "id", "name", "url", "email", "image", "description"}
    inst = parts.institution
    issuer_id = i.get("id")
    if not _is_empty(i.get("url")):
        inst["url"] = _iri(i["url"], "issuer.url")
        if issuer_id is not None:
            c.lose(
                "issuer.id",
                issuer_id,
                "the OB3 issuer id is the re-issuer's "
                "(to_credential(issuer_id=...)); the issuer's URL is carried",
            )
    elif issuer_id is not None:
        inst["url"] = _iri(issuer_id, "issuer.id")
        c.note(
            "issuer.url: the issuer has no url; its public edubadges page (issuer.id) "
            "becomes the institution's url"
        )
    if not _is_empty(i.get("name")):
        inst["name"] = _text(i["name"], "issuer.name")
    if not _is_empty(i.get("email")):
        inst["email"] = _text(i["email"], "issuer.email")
    image = i.get("image")
    if isinstance(image, Mapping) and "id" in image:
        inst["image"] = _iri(image["id"], "issuer.image.id")
        c.leftovers(image, "issuer.image", {"id", "type"})
    elif not _is_empty(image):
        inst["image"] = _iri(image, "issuer.image")
    if not _is_empty(i.get("description")):
        c.lose(
            "issuer.description",
            i["description"],
            "the builder's institution has no description field",
        )

    values: dict[str, tuple[Any, str]] = {}
    for key, member in _ISSUER_EXTENSIONS.items():
        found = _extension(c, i, key, member, path)
        if found is not None:
            values[member] = found
            seen.add(key)
    if "InstitutionIdentifier" in values:
        raw, where = values["InstitutionIdentifier"]
        inst["brin"] = _text(raw, where)
    if "InstitutionName" in values:
        raw, where = values["InstitutionName"]
        name = _text(raw, where)
        if "name" not in inst:
            inst["name"] = name
        elif inst["name"] != name:
            c.lose(
                where,
                raw,
                "the issuer (e.g. a faculty) has its own name; to add the "
                "institution as parentOrg, pass institution= with parent=Institution(...)",
            )
    if "InstitutionCountry" in values:
        raw, where = values["InstitutionCountry"]
        code = _text(raw, where).upper()
        if not re.fullmatch(r"[A-Z]{2}", code):
            raise InvalidSourceFieldError(
                f"{where}: expected an ISO 3166-1 alpha-2 country code such as 'NL', got "
                f"{_shown(raw)}",
                path=where,
            )
        inst["country_code"] = code
        if code != "NL":
            inst["country"] = None  # the builder's default country name is "Nederland"
    else:
        c.note("issuer: no InstitutionCountry extension; the country defaults to NL")
    if "GradingTableURL" in values:
        raw, where = values["GradingTableURL"]
        c.lose(where, raw, "the builder's result has no place for the institution's grading table")
    c.leftovers(i, path, seen)


def _report_replaced(
    c: _Collector, doc: Mapping[str, Any], path: str, reason: str, *, keep: set[str]
) -> None:
    for key, value in doc.items():
        if key not in keep:
            c.lose(_join(path, key), value, reason)


# --------------------------------------------------------------------------- the function


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
