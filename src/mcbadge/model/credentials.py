"""The OB3 credentials: :class:`AchievementCredential` (``OpenBadgeCredential``), endorsements.

:class:`Credential` is what both share (the VC v2 envelope: ``@context``, ``issuer``, the
validity dates, ``credentialStatus``, ``proof``…); :class:`AchievementCredential` holds an
:class:`~mcbadge.model.AchievementSubject`, :class:`EndorsementCredential` an
:class:`~mcbadge.model.EndorsementSubject`. :func:`parse_credential` chooses the class by
``type``. Importing this module completes the model: every class's forward references are
resolved and the wire-name table filled.

May import: the modules of this package, :mod:`mcbadge.errors`, :mod:`mcbadge._internal`,
pydantic.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Final

from pydantic import (
    Field,
    JsonValue,
    ValidationInfo,
    field_validator,
)

from mcbadge._internal.dates import DateTimeStr
from mcbadge.model.base import (
    _NAME_TO_WIRE,
    OB3Model,
    _errors_to_exception,
    _load_object,
    _wire_keys,
)
from mcbadge.model.classes import (
    Achievement,
    AchievementSubject,
    Address,
    Alignment,
    CredentialSchema,
    CredentialStatus,
    Criteria,
    EndorsementSubject,
    Evidence,
    GeoCoordinates,
    IdentifierEntry,
    IdentityObject,
    Image,
    ImageRef,
    Profile,
    ProfileRef,
    Proof,
    RefreshService,
    Related,
    Result,
    ResultDescription,
    RubricCriterionLevel,
    TermsOfUse,
)
from mcbadge.model.fields import CompactJws, ContextEntry, DateTimeZ, Many, _fail
from mcbadge.model.vocabulary import OB3_CONTEXT_URL, VC_V2_CONTEXT_URL

__all__ = [
    "AchievementCredential",
    "Credential",
    "EndorsementCredential",
    "OpenBadgeCredential",
    "parse_credential",
]


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
