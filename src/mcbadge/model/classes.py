"""The OB3 classes a credential is made of, from :class:`Image` to :class:`Proof`.

:class:`Achievement` (with its :class:`Criteria`, :class:`Alignment`,
:class:`ResultDescription` and :class:`RubricCriterionLevel`), the issuer :class:`Profile`
(with :class:`Address`, :class:`GeoCoordinates`, :class:`IdentifierEntry`), the
:class:`AchievementSubject` and its :class:`IdentityObject` (plain or salted-hash) and
:class:`Result`, :class:`EndorsementSubject`, :class:`Evidence`, :class:`Related`, and the
VC parts :class:`CredentialSchema`, :class:`CredentialStatus`, :class:`RefreshService`,
:class:`TermsOfUse`, :class:`Proof`. Each is an :class:`~mcbadge.model.OB3Model` with the
rules of the OB3 JSON Schema for its class.

May import: :mod:`mcbadge.model.base`, :mod:`mcbadge.model.fields`,
:mod:`mcbadge.model.vocabulary`, :mod:`mcbadge.errors`, :mod:`mcbadge._internal`, pydantic.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from typing import TYPE_CHECKING, Annotated, ClassVar, Final, Literal, Self

from pydantic import (
    Field,
    Tag,
    ValidationInfo,
    field_validator,
)

from mcbadge.model.base import OB3Model
from mcbadge.model.fields import (
    AchievementTypeValue,
    AlignmentTargetTypeValue,
    CompactJws,
    DateText,
    DateTimeZ,
    IdentifierTypeValue,
    LanguageTag,
    Many,
    Number,
    ResultStatusValue,
    ResultTypeValue,
    _fail,
    _iri_or_object,
)

if TYPE_CHECKING:
    # resolved when mcbadge.model.credentials rebuilds every class (a circle in types only)
    from mcbadge.model.credentials import EndorsementCredential


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


_IDENTITY_HASH_RE: Final = re.compile(r"sha256\$[0-9a-fA-F]{64}|md5\$[0-9a-fA-F]{32}", re.ASCII)


_SALT_BYTES: Final = 16


def salted_identity_hash(value: str, salt: str) -> str:
    """The OB3 ``IdentityHash`` of ``value`` with ``salt``: ``"sha256$"`` and the hex SHA-256
    of the UTF-8 value with the salt appended (what :meth:`IdentityObject.hashed` writes)."""
    return "sha256$" + hashlib.sha256((value + salt).encode("utf-8")).hexdigest()


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
        return cls(
            identity_type=identity_type,
            is_hashed=True,
            identity_hash=salted_identity_hash(value, salt),
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
