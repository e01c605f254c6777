"""Typed results of the edubadges client.

Models named for server answers keep every field the server sends, also the ones mcbadge does
not know (pydantic ``extra="allow"``: read them with ``model.model_extra`` or ``to_json()``).
The ``/queries/...`` endpoints of edubadges return raw SQL rows whose unquoted column aliases
PostgreSQL folds to lower case (``entityid``, ``recipientemail``); the models accept those and
the camelCase / snake_case spellings, and expose snake_case attributes.

The models whose names end in ``Result`` are mcbadge's own summaries of one client call.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

__all__ = [
    "BadgeClassSummary",
    "BulkActionResult",
    "Bundle",
    "BundleAssertion",
    "BundleDirectAward",
    "DirectAwardBundleCreated",
    "DirectAwardResult",
    "IdentifierType",
    "IssuerSummary",
    "PublicAssertion",
    "PublicBadgeClass",
    "Recipient",
    "UnclaimedDirectAward",
    "UnsuccessfulDirectAward",
]

IdentifierType = Literal["eppn", "email"]
"""How edubadges matches a direct award to a learner: eduPersonPrincipalName or e-mail."""


def _aliases(*names: str) -> AliasChoices:
    return AliasChoices(*names)


class _ServerModel(BaseModel):
    """A server answer: unknown fields are kept, the object is immutable."""

    model_config = ConfigDict(extra="allow", frozen=True, populate_by_name=True)

    def to_json(self) -> dict[str, Any]:
        """Return the object as JSON-ready data, unknown fields included.

        Returns:
            A new dict (server spellings for the fields mcbadge does not model).

        Example:
            >>> PublicAssertion.model_validate({"issuedOn": "2025-01-15", "x": 1}).to_json()
            {'issuedOn': '2025-01-15', 'x': 1}
        """
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)


class Recipient(BaseModel):
    """One learner to award directly (a row of the direct-award CSV).

    ``email`` is always required (edubadges mails the learner); ``eppn`` is required when the
    award matches on eduPersonPrincipalName (``identifier_type="eppn"``, the default).
    ``first_name``/``surname`` are used by edubadges only for e-mail awards.

    Example:
        >>> Recipient(email="ana@example.edu", eppn="s123@example.edu").to_wire("eppn")
        {'recipient_email': 'ana@example.edu', 'eppn': 's123@example.edu'}
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    email: str
    eppn: str | None = None
    first_name: str | None = None
    surname: str | None = None
    narrative: str | None = None
    evidence_url: str | None = None
    evidence_name: str | None = None
    evidence_description: str | None = None
    grade_achieved: str | None = None

    def key(self, identifier_type: IdentifierType) -> str:
        """Return the identifier edubadges matches this learner on, lower-cased as it stores it.

        Args:
            identifier_type: ``"eppn"`` or ``"email"``.

        Returns:
            The lower-cased eppn or e-mail address ("" when the eppn is missing).

        Example:
            >>> Recipient(email="Ana@Example.edu").key("email")
            'ana@example.edu'
        """
        if identifier_type == "eppn":
            return (self.eppn or "").strip().lower()
        return self.email.strip().lower()

    def to_wire(self, identifier_type: IdentifierType) -> dict[str, str]:
        """Return the ``direct_awards[]`` entry that ``POST /directaward/create`` expects.

        Args:
            identifier_type: ``"eppn"`` or ``"email"``; the eppn is sent only for ``"eppn"``.

        Returns:
            A new dict with the edubadges field names, empty fields left out.

        Example:
            >>> Recipient(email="a@x.nl", evidence_name="Thesis").to_wire("email")
            {'recipient_email': 'a@x.nl', 'name': 'Thesis'}
        """
        wire: dict[str, str | None] = {
            "recipient_email": self.email,
            "eppn": self.eppn if identifier_type == "eppn" else None,
            "first_name": self.first_name,
            "surname": self.surname,
            "narrative": self.narrative,
            "evidence_url": self.evidence_url,
            "name": self.evidence_name,
            "description": self.evidence_description,
            "grade_achieved": self.grade_achieved,
        }
        return {k: v for k, v in wire.items() if v is not None and v != ""}


class BadgeClassSummary(_ServerModel):
    """A row of ``GET /queries/badge-classes`` (every badge class of your institution).

    Example:
        >>> BadgeClassSummary.model_validate({"entityid": "bc1", "name": "Data"}).entity_id
        'bc1'
    """

    entity_id: str = Field(validation_alias=_aliases("entityid", "entityId", "entity_id"))
    name: str
    is_private: bool | None = Field(
        default=None, validation_alias=_aliases("isprivate", "isPrivate", "is_private")
    )
    is_micro_credentials: bool | None = Field(
        default=None,
        validation_alias=_aliases(
            "ismicrocredentials", "isMicroCredentials", "is_micro_credentials"
        ),
    )
    type_badge_class: str | None = Field(
        default=None,
        validation_alias=_aliases("typebadgeclass", "typeBadgeClass", "type_badge_class"),
    )
    archived: bool | None = None
    issuer_entity_id: str | None = Field(
        default=None, validation_alias=_aliases("i_entity_id", "issuer_entity_id")
    )
    created_at: datetime | None = Field(
        default=None, validation_alias=_aliases("createdat", "createdAt", "created_at")
    )


class IssuerSummary(_ServerModel):
    """A row of ``GET /queries/issuers`` (issuers you may award for).

    Example:
        >>> IssuerSummary.model_validate({"entityid": "i1", "name_english": "CS"}).entity_id
        'i1'
    """

    entity_id: str = Field(validation_alias=_aliases("entityid", "entityId", "entity_id"))
    name_english: str | None = None
    name_dutch: str | None = None
    archived: bool | None = None
    faculty_entity_id: str | None = Field(
        default=None, validation_alias=_aliases("f_entity_id", "faculty_entity_id")
    )
    assertion_count: int | None = Field(
        default=None, validation_alias=_aliases("assertioncount", "assertionCount")
    )
    badgeclass_count: int | None = Field(
        default=None, validation_alias=_aliases("badgeclasscount", "badgeclassCount")
    )


class UnclaimedDirectAward(_ServerModel):
    """A row of ``GET /queries/direct-awards``: a direct award not yet claimed (or deleted).

    This listing is how the client finds out, after an ambiguous failure, which learners
    the server already holds an award for.

    Example:
        >>> row = {"entityid": "da1", "recipientemail": "a@x.nl", "bc_entity_id": "bc1"}
        >>> UnclaimedDirectAward.model_validate(row).badgeclass_entity_id
        'bc1'
    """

    entity_id: str = Field(validation_alias=_aliases("entityid", "entityId", "entity_id"))
    recipient_email: str | None = Field(
        default=None,
        validation_alias=_aliases("recipientemail", "recipientEmail", "recipient_email"),
    )
    eppn: str | None = None
    badgeclass_entity_id: str | None = Field(
        default=None, validation_alias=_aliases("bc_entity_id", "badgeclass_entity_id")
    )
    badgeclass_name: str | None = Field(
        default=None, validation_alias=_aliases("name", "badgeclass_name")
    )
    created_at: datetime | None = None
    expiration_date: datetime | None = None


class UnsuccessfulDirectAward(_ServerModel):
    """One row edubadges refused, as listed in ``un_successful_direct_award(s)``.

    Attributes:
        error: The server's message (e.g. an unaccepted award already exists).
        eppn: The row's eppn, when the server reported it.
        email: The row's e-mail (edubadges sends ``email``; ``recipient_email`` is accepted).
        entity_id: The direct award or assertion id, filled in by the client when it acted on
            one id at a time (edubadges itself does not report it).

    Example:
        >>> UnsuccessfulDirectAward.model_validate({"error": "exists", "email": "a@x.nl"}).email
        'a@x.nl'
    """

    error: str
    eppn: str | None = None
    email: str | None = Field(default=None, validation_alias=_aliases("email", "recipient_email"))
    entity_id: str | None = None


class DirectAwardBundleCreated(_ServerModel):
    """The ``201`` body of ``POST /directaward/create``.

    Example:
        >>> DirectAwardBundleCreated.model_validate({"badgeclass": "bc1", "entity_id": "b1"})
        ... # doctest: +ELLIPSIS
        DirectAwardBundleCreated(badgeclass='bc1', entity_id='b1', ...)
    """

    badgeclass: str
    entity_id: str
    un_successful_direct_award: list[UnsuccessfulDirectAward] = Field(default_factory=list)


class DirectAwardResult(BaseModel):
    """What :meth:`EdubadgesClient.direct_award` achieved, including any recovery.

    Attributes:
        badgeclass: The badge class awarded.
        entity_id: The bundle created by the call (the last one, if recovery created a second
            bundle for the remaining learners); ``None`` when every learner already had an
            award on the server, so nothing was posted (or the posting bundle's answer was lost
            and no learner remained).
        bundle_ids: Every bundle id the client was told about, in order.
        un_successful_direct_award: Rows the server refused (never swallowed).
        already_present: Learners for whom the server already held an unclaimed award for this
            badge class, found by the check after an ambiguous failure (or by
            ``skip_existing=True``); they were not posted again.
        ambiguous_failures: How many posts ended without a usable answer (timeout, dropped
            connection, 5xx) and were resolved by checking the server.

    Example:
        >>> DirectAwardResult(badgeclass="bc1", entity_id="b1", bundle_ids=("b1",)).ok
        True
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    badgeclass: str
    entity_id: str | None
    bundle_ids: tuple[str, ...] = ()
    un_successful_direct_award: tuple[UnsuccessfulDirectAward, ...] = ()
    already_present: tuple[UnclaimedDirectAward, ...] = ()
    ambiguous_failures: int = 0

    @property
    def ok(self) -> bool:
        """``True`` when the server refused no row (``un_successful_direct_award`` is empty)."""
        return not self.un_successful_direct_award


class BundleDirectAward(_ServerModel):
    """A direct award in a bundle (``status``: Unaccepted, Scheduled, Rejected, Revoked, Deleted).

    Example:
        >>> row = {"recipient_email": "a@x.nl", "status": "Unaccepted", "entity_id": "d1"}
        >>> BundleDirectAward.model_validate(row).status
        'Unaccepted'
    """

    recipient_email: str | None = None
    eppn: str | None = None
    status: str
    entity_id: str


class BundleAssertion(_ServerModel):
    """A claimed award (an assertion) in a bundle.

    ``eppn`` is the learner's first eppn; edubadges sends an empty list when there is none.

    Example:
        >>> BundleAssertion.model_validate(
        ...     {"entity_id": "a1", "public": True, "revoked": False, "eppn": []}
        ... ).eppn
        []
    """

    full_name: str | None = None
    email: str | None = None
    public: bool = False
    revoked: bool = False
    entity_id: str
    eppn: str | list[str] | None = None


class Bundle(_ServerModel):
    """``GET /directaward/bundle/{id}``: status counts, the direct awards and claimed assertions.

    ``badgeclass`` is the badge class *name* (that is what edubadges sends here).

    Example:
        >>> Bundle.model_validate({"initial_total": 2, "status": "Active", "badgeclass": "Data"})
        ... # doctest: +ELLIPSIS
        Bundle(initial_total=2, status='Active', badgeclass='Data', ...)
    """

    initial_total: int
    status: str
    badgeclass: str
    assertion_count: int = 0
    direct_award_count: int = 0
    direct_award_rejected_count: int = 0
    direct_award_scheduled_count: int = 0
    direct_award_deleted_count: int = 0
    direct_award_revoked_count: int = 0
    direct_awards: list[BundleDirectAward] = Field(default_factory=list)
    badge_assertions: list[BundleAssertion] = Field(default_factory=list)


class BulkActionResult(BaseModel):
    """What :meth:`EdubadgesClient.delete_direct_awards` / ``revoke_assertions`` achieved.

    Attributes:
        requested: The ids asked for, in order.
        un_successful: Rows the server refused. edubadges reports these without the id when a
            whole list is sent; when the client worked one id at a time (after an ambiguous
            failure) each entry carries ``entity_id``.
        already_done: Ids the server reported as already deleted / already revoked while the
            client recovered from an ambiguous failure (possibly by the interrupted attempt).
        ambiguous_failures: How many requests ended without a usable answer and were resolved
            by redoing the work one id at a time.

    Example:
        >>> BulkActionResult(requested=("a1",)).ok
        True
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    requested: tuple[str, ...]
    un_successful: tuple[UnsuccessfulDirectAward, ...] = ()
    already_done: tuple[str, ...] = ()
    ambiguous_failures: int = 0

    @property
    def ok(self) -> bool:
        """``True`` when no id was refused."""
        return not self.un_successful


class _OpenBadges2(_ServerModel):
    context: Any = Field(default=None, alias="@context")
    id: str | None = None
    type: str | list[str] | None = None

    @property
    def extensions(self) -> dict[str, Any]:
        """The ``extensions:...`` members (edubadges' ECTS, EQF, language... extensions).

        Example:
            >>> PublicBadgeClass.model_validate({"extensions:EQFExtension": {"EQF": 6}}).extensions
            {'extensions:EQFExtension': {'EQF': 6}}
        """
        extra = self.model_extra or {}
        return {k: v for k, v in extra.items() if k.startswith("extensions:")}


class PublicBadgeClass(_OpenBadges2):
    """An Open Badges 2.0 BadgeClass from ``GET /public/badges/{id}``.

    Example:
        >>> bc = PublicBadgeClass.model_validate(
        ...     {"type": "BadgeClass", "name": "Data", "extensions:ECTSExtension": {"ECTS": 5}}
        ... )
        >>> bc.extensions["extensions:ECTSExtension"]["ECTS"]
        5
    """

    name: str | None = None
    description: str | None = None
    issuer: str | dict[str, Any] | None = None


class PublicAssertion(_OpenBadges2):
    """An Open Badges 2.0 Assertion from ``GET /public/assertions/{id}``.

    A revoked assertion carries only ``id``, ``type``, ``revoked`` and ``revocationReason``.

    Example:
        >>> PublicAssertion.model_validate(
        ...     {"type": "Assertion", "revoked": True, "revocationReason": "Fraud"}
        ... ).revocation_reason
        'Fraud'
    """

    badge: str | dict[str, Any] | None = None
    issued_on: str | None = Field(default=None, alias="issuedOn")
    revoked: bool = False
    revocation_reason: str | None = Field(default=None, alias="revocationReason")
    recipient: dict[str, Any] | None = None
