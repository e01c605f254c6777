"""The fake edubadges server's data and business rules, without HTTP.

Each handler mirrors what the edubadges-server code does for the endpoint (apps/directaward,
apps/issuer, apps/queries, apps/public, mainsite middleware/exceptions), including its answer
shapes:

* DRF field errors ``{"field": ["msg"]}`` for serializer validation;
* ``{"detail": "validation_error", "fields": {"error_message": ..., "error_code": "999"}}`` for
  ``BadgrValidationError`` / ``BadgrValidationFieldError`` / ``BadgrApiException400`` (DRF
  renders the integer codes as strings);
* ``{"error": str(exc)}`` with status 400 for any other exception in a JSON request
  (``ExceptionHandlerMiddleware``), e.g. ``BadRequest`` and ``DoesNotExist``;
* ``{"detail": ...}`` for DRF's 403/404/405.

Business rules enforced: ``may_award`` per badge class, one *Unaccepted* direct award per
recipient and badge class (``DirectAward.validate_unique``), ``revocation_reason`` required for
revoking assertions, unpublished / direct-awarding-disabled badge classes refused, scheduled
awards in the future only.
"""

from __future__ import annotations

import hashlib
import random
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

Answer = tuple[int, Any]  # (status, JSON body or None for an empty body)

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
EXT = "{base}/static/extensions/{name}/context.json"


def drf_time(value: datetime | None) -> str | None:
    """Render a datetime the way Django REST framework's JSON encoder does."""
    if value is None:
        return None
    text = value.astimezone(UTC).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def validation_error(message: Any, code: Any) -> Answer:
    """``BadgrValidationError(message, code)`` as DRF renders it."""
    return 400, {
        "detail": "validation_error",
        "fields": {"error_message": _stringify(message), "error_code": str(code)},
    }


def field_error(field_name: str, message: str, code: int = 999) -> Answer:
    """``BadgrValidationFieldError(field, message, code)`` as DRF renders it."""
    return validation_error({field_name: [{"error_message": message, "error_code": code}]}, 999)


def _stringify(value: Any) -> Any:
    # DRF's _get_error_details turns every leaf into a string.
    if isinstance(value, dict):
        return {k: _stringify(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_stringify(v) for v in value]
    return str(value)


def _drf_error_repr(message: str, code: int) -> str:
    # str() of a BadgrValidationError, as edubadges puts it in un_successful_direct_awards.
    return (
        "{'detail': ErrorDetail(string='validation_error', code='invalid'), 'fields': "
        f"{{'error_message': ErrorDetail(string='{message}', code='invalid'), "
        f"'error_code': ErrorDetail(string='{code}', code='invalid')}}}}"
    )


@dataclass
class User:
    username: str
    email: str
    is_teacher: bool = True
    may_award_all: bool = False
    may_award: set[str] = field(default_factory=set)

    def can_award(self, badgeclass_id: str) -> bool:
        return self.may_award_all or badgeclass_id in self.may_award


@dataclass
class Issuer:
    entity_id: str
    name_english: str
    name_dutch: str
    faculty_id: str = "FACULTY0000000000000001"
    faculty_name_english: str = "Faculty of Science"
    faculty_name_dutch: str = "Faculteit der Wetenschappen"
    archived: bool = False


@dataclass
class BadgeClass:
    pk: int
    entity_id: str
    name: str
    issuer_id: str
    description: str = "A badge class of the fake edubadges server."
    criteria: str = "Pass the course."
    is_private: bool = False
    direct_awarding_disabled: bool = False
    is_micro_credentials: bool = False
    badge_class_type: str = "regular"
    archived: bool = False
    participation: str | None = None
    assessment_type: str | None = None
    assessment_id_verified: bool | None = None
    assessment_supervised: bool | None = None
    extensions: dict[str, Any] = field(default_factory=dict)
    public_json: dict[str, Any] | None = None
    created_at: datetime = field(default_factory=lambda: datetime(2024, 9, 1, tzinfo=UTC))


@dataclass
class Bundle:
    entity_id: str
    badgeclass_id: str
    initial_total: int
    identifier_type: str
    status: str
    created_by: str
    created_at: datetime
    scheduled_at: datetime | None = None
    sis_user_id: str | None = None


@dataclass
class DirectAward:
    entity_id: str
    bundle_id: str
    badgeclass_id: str
    recipient_email: str
    eppn: str | None
    status: str
    created_by: str
    created_at: datetime
    expiration_date: datetime | None = None
    first_name: str | None = None
    surname: str | None = None
    evidence_url: str | None = None
    narrative: str | None = None
    name: str | None = None
    description: str | None = None
    grade_achieved: str | None = None
    revocation_reason: str | None = None
    delete_at: datetime | None = None


@dataclass
class Assertion:
    entity_id: str
    badgeclass_id: str
    bundle_id: str | None
    recipient_email: str
    eppn: str | None
    full_name: str
    issued_on: datetime
    salt: str
    public: bool = True
    revoked: bool = False
    revocation_reason: str | None = None


class FakeState:
    """All entities of one fake institution, guarded by one lock."""

    def __init__(
        self,
        *,
        seed: int = 0,
        clock: Callable[[], float],
        enforce_unique: bool = True,
        eppn_pattern: str | None = None,
    ) -> None:
        self.lock = threading.RLock()
        self._rng = random.Random(seed)
        self._clock = clock
        self.enforce_unique = enforce_unique
        self.eppn_pattern = eppn_pattern
        self.users: dict[str, User] = {}
        self.issuers: dict[str, Issuer] = {}
        self.badge_classes: dict[str, BadgeClass] = {}
        self.bundles: dict[str, Bundle] = {}
        self.direct_awards: dict[str, DirectAward] = {}
        self.assertions: dict[str, Assertion] = {}
        self.base_url = "http://127.0.0.1"

    # -- helpers -------------------------------------------------------------------------------

    def now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), tz=UTC)

    def new_id(self) -> str:
        with self.lock:
            return "".join(self._rng.choice(_ID_ALPHABET) for _ in range(22))

    def awards_for(self, badgeclass_id: str) -> list[DirectAward]:
        """Every direct award of a badge class, whatever its status."""
        with self.lock:
            return [d for d in self.direct_awards.values() if d.badgeclass_id == badgeclass_id]

    def _violates_unique(
        self, candidate: DirectAward, pending: list[DirectAward], pending_type: str
    ) -> bool:
        # DirectAward.validate_unique: an Unaccepted award with the same eppn (eppn bundles)
        # or the same e-mail (e-mail bundles) already exists for the badge class.
        if not self.enforce_unique:
            return False
        others = [
            (d, self.bundles[d.bundle_id].identifier_type) for d in self.direct_awards.values()
        ]
        others += [(d, pending_type) for d in pending]
        for other, other_type in others:
            if other.badgeclass_id != candidate.badgeclass_id or other.status != "Unaccepted":
                continue
            if (
                other_type == "eppn"
                and candidate.eppn is not None
                and other.eppn is not None
                and other.eppn == candidate.eppn
            ):
                return True
            if other_type == "email" and other.recipient_email == candidate.recipient_email:
                return True
        return False

    # -- queries -------------------------------------------------------------------------------

    def query_badge_classes(self) -> Answer:
        with self.lock:
            rows = []
            for bc in self.badge_classes.values():
                issuer = self.issuers[bc.issuer_id]
                rows.append(
                    {
                        "createdat": drf_time(bc.created_at),
                        "name": bc.name,
                        "image": f"uploads/badges/{bc.entity_id}.png",
                        "archived": bc.archived,
                        "entityid": bc.entity_id,
                        "isprivate": bc.is_private,
                        "ismicrocredentials": bc.is_micro_credentials,
                        "typebadgeclass": bc.badge_class_type,
                        "i_name_english": issuer.name_english,
                        "i_name_dutch": issuer.name_dutch,
                        "i_entity_id": issuer.entity_id,
                        "f_name_english": issuer.faculty_name_english,
                        "f_name_dutch": issuer.faculty_name_dutch,
                        "f_entity_id": issuer.faculty_id,
                        "ins_entity_id": "INSTITUTION00000000001",
                        "ins_name_english": "Example University",
                        "ins_name_dutch": "Voorbeelduniversiteit",
                        "tags": None,
                        "selfrequestedassertionscount": 0,
                        "directawardedassertionscount": sum(
                            1 for a in self.assertions.values() if a.badgeclass_id == bc.entity_id
                        ),
                    }
                )
            return 200, rows

    def query_issuers(self, user: User) -> Answer:
        with self.lock:
            rows = []
            for issuer in self.issuers.values():
                classes = [
                    b for b in self.badge_classes.values() if b.issuer_id == issuer.entity_id
                ]
                if not (user.may_award_all or any(user.can_award(b.entity_id) for b in classes)):
                    continue
                rows.append(
                    {
                        "image_dutch": None,
                        "image_english": None,
                        "name_dutch": issuer.name_dutch,
                        "name_english": issuer.name_english,
                        "archived": issuer.archived,
                        "entityid": issuer.entity_id,
                        "f_name_english": issuer.faculty_name_english,
                        "f_name_dutch": issuer.faculty_name_dutch,
                        "f_entity_id": issuer.faculty_id,
                        "assertioncount": sum(
                            1
                            for a in self.assertions.values()
                            if self.badge_classes[a.badgeclass_id].issuer_id == issuer.entity_id
                        ),
                        "badgeclasscount": len(classes),
                        "pendingenrollmentcount": 0,
                        "may_create": user.may_award_all,
                    }
                )
            return 200, rows

    def query_direct_awards(self, user: User, status: str) -> Answer:
        wanted = ("Unaccepted", "Scheduled") if status == "unclaimed" else ("Deleted",)
        with self.lock:
            rows = []
            for da in self.direct_awards.values():
                if da.status not in wanted or not user.can_award(da.badgeclass_id):
                    continue
                bc = self.badge_classes[da.badgeclass_id]
                issuer = self.issuers[bc.issuer_id]
                rows.append(
                    {
                        "created_at": drf_time(da.created_at),
                        "resend_at": None,
                        "delete_at": drf_time(da.delete_at),
                        "recipientemail": da.recipient_email,
                        "eppn": da.eppn,
                        "entityid": da.entity_id,
                        "expiration_date": drf_time(da.expiration_date),
                        "name": bc.name,
                        "bc_entity_id": bc.entity_id,
                        "i_name_english": issuer.name_english,
                        "i_name_dutch": issuer.name_dutch,
                        "i_entity_id": issuer.entity_id,
                        "f_name_english": issuer.faculty_name_english,
                        "f_name_dutch": issuer.faculty_name_dutch,
                        "f_entity_id": issuer.faculty_id,
                    }
                )
            return 200, rows

    # -- direct awards -------------------------------------------------------------------------

    def create_direct_awards(self, user: User, data: Any, json_request: bool) -> Answer:
        if not isinstance(data, dict):
            return 400, {
                "non_field_errors": [
                    f"Invalid data. Expected a dictionary, but got {type(data).__name__}."
                ]
            }
        errors: dict[str, Any] = {}
        with self.lock:
            bc: BadgeClass | None = None
            if "badgeclass" in data:
                bc = self.badge_classes.get(str(data["badgeclass"]))
                if bc is None:
                    errors["badgeclass"] = [
                        f"Object with entity_id={data['badgeclass']} does not exist."
                    ]
            notify = _drf_bool(data, "notify_recipients", required=True, errors=errors)
            batch_mode = _drf_bool(data, "batch_mode", required=False, errors=errors)
            identifier_type = data.get("identifier_type", "eppn")
            if identifier_type is None or not isinstance(identifier_type, str):
                errors["identifier_type"] = ["This field may not be null."]
            scheduled_at = None
            if data.get("scheduled_at") is not None:
                scheduled_at = _drf_datetime(data["scheduled_at"])
                if scheduled_at is None:
                    errors["scheduled_at"] = [
                        "Datetime has wrong format. Use one of these formats instead: "
                        "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."
                    ]
            rows = data.get("direct_awards")
            if "direct_awards" not in data:
                errors["direct_awards"] = ["This field is required."]
            elif not isinstance(rows, list):
                errors["direct_awards"] = [
                    f'Expected a list of items but got type "{type(rows).__name__}".'
                ]
            else:
                row_errors = [self._row_errors(row, identifier_type) for row in rows]
                if any(row_errors):
                    errors["direct_awards"] = row_errors
            if errors:
                return 400, errors
            assert isinstance(rows, list)
            del notify, batch_mode  # notifications and awarder mails are not simulated

            # DirectAwardBundleSerializer.create()
            if bc is None:
                return self._middleware("'badgeclass'", json_request)
            if bc.direct_awarding_disabled:
                return self._middleware(f"Direct awarding disabled for {bc.name}", json_request)
            if bc.is_private:
                return self._middleware(
                    f" Badgeclass {bc.name} is not published. Direct awarding not allowed",
                    json_request,
                )
            now = self.now()
            if scheduled_at is not None and scheduled_at <= now:
                return 400, {"scheduled_at": "Scheduled time must be in the future."}
            if not user.can_award(bc.entity_id):
                return validation_error("You don't have the necessary permissions", 100)

            bundle = Bundle(
                entity_id=self.new_id(),
                badgeclass_id=bc.entity_id,
                initial_total=len(rows),
                identifier_type=identifier_type,
                status="Scheduled" if scheduled_at else "Active",
                created_by=user.username,
                created_at=now,
                scheduled_at=scheduled_at,
                sis_user_id=data.get("sis_user_id"),
            )
            created: list[DirectAward] = []
            refused: list[dict[str, Any]] = []
            eppn_required = identifier_type == "eppn"
            for row in rows:
                if "recipient_email" not in row:
                    return self._middleware("'recipient_email'", json_request)
                if eppn_required and "eppn" not in row:
                    return self._middleware("'eppn'", json_request)
                if eppn_required and row["eppn"] is None:
                    return self._middleware(
                        "'NoneType' object has no attribute 'lower'", json_request
                    )
                email = str(row["recipient_email"]).lower()
                eppn = str(row["eppn"]).lower() if eppn_required else None
                candidate = DirectAward(
                    entity_id=self.new_id(),
                    bundle_id=bundle.entity_id,
                    badgeclass_id=bc.entity_id,
                    recipient_email=email,
                    eppn=eppn,
                    status="Scheduled" if scheduled_at else "Unaccepted",
                    created_by=user.username,
                    created_at=now,
                    expiration_date=now + timedelta(days=90),
                    first_name=row.get("first_name") or None,
                    surname=row.get("surname") or None,
                    evidence_url=row.get("evidence_url"),
                    narrative=row.get("narrative"),
                    name=row.get("name"),
                    description=row.get("description"),
                    grade_achieved=row.get("grade_achieved"),
                )
                if self._violates_unique(candidate, created, identifier_type):
                    refused.append(
                        {
                            "error": (
                                f"DirectAward with eppn: {eppn} / email: {email} and status "
                                f"Unaccepted already exists for badgeclass {bc.name} ({bc.pk})."
                            ),
                            "eppn": eppn,
                            "email": email,
                        }
                    )
                    continue
                created.append(candidate)
            if not created:
                return self._middleware(
                    f"No valid DirectAwards are created. All of them were rejected: {refused!s}",
                    json_request,
                )
            self.bundles[bundle.entity_id] = bundle
            for da in created:
                self.direct_awards[da.entity_id] = da
            answer: dict[str, Any] = {"badgeclass": bc.entity_id, "entity_id": bundle.entity_id}
            if refused:
                answer["un_successful_direct_award"] = refused
            return 201, answer

    def _row_errors(self, row: Any, identifier_type: str) -> dict[str, Any]:
        if not isinstance(row, dict):
            return {
                "non_field_errors": [
                    f"Invalid data. Expected a dictionary, but got {type(row).__name__}."
                ]
            }
        errors: dict[str, Any] = {}
        email = row.get("recipient_email")
        if "recipient_email" in row and (not isinstance(email, str) or not _EMAIL_RE.match(email)):
            errors["recipient_email"] = ["Enter a valid email address."]
        url = row.get("evidence_url")
        if url not in (None, "") and not _valid_url(url):
            errors["evidence_url"] = ["Enter a valid URL."]
        eppn = row.get("eppn")
        if (
            isinstance(eppn, str)
            and self.eppn_pattern
            and identifier_type == "eppn"
            and not re.match(self.eppn_pattern, eppn, re.IGNORECASE)
        ):
            errors["eppn"] = ["Incorrect eppn format"]
        for key in (
            "first_name",
            "surname",
            "narrative",
            "name",
            "description",
            "grade_achieved",
            "eppn",
        ):
            if key in row and row[key] is not None and not isinstance(row[key], str):
                errors[key] = ["Not a valid string."]
        return errors

    def _middleware(self, message: str, json_request: bool) -> Answer:
        # mainsite.middleware.ExceptionHandlerMiddleware: non-DRF exceptions become
        # 400 {"error": str(exc)} for JSON requests (otherwise Django's 500 page).
        if json_request:
            return 400, {"error": message}
        return 500, None

    def bundle_answer(self, bundle_id: str) -> Answer:
        with self.lock:
            bundle = self.bundles.get(bundle_id)
            if bundle is None:
                return 404, None  # Response(status=404): no body at all
            awards = [d for d in self.direct_awards.values() if d.bundle_id == bundle_id]
            claimed = [a for a in self.assertions.values() if a.bundle_id == bundle_id]

            def count(status: str) -> int:
                return sum(1 for d in awards if d.status == status)

            return 200, {
                "initial_total": bundle.initial_total,
                "status": bundle.status,
                "badgeclass": self.badge_classes[bundle.badgeclass_id].name,
                "assertion_count": sum(1 for a in claimed if not a.revoked),
                "direct_award_count": count("Unaccepted"),
                "direct_award_rejected_count": count("Rejected"),
                "direct_award_scheduled_count": count("Scheduled"),
                "direct_award_deleted_count": count("Deleted"),
                "direct_award_revoked_count": sum(1 for a in claimed if a.revoked)
                + count("Revoked"),
                "direct_awards": [
                    {
                        "recipient_email": d.recipient_email,
                        "eppn": d.eppn,
                        "status": d.status,
                        "entity_id": d.entity_id,
                    }
                    for d in awards
                ],
                "badge_assertions": [
                    {
                        "full_name": a.full_name,
                        "email": a.recipient_email,
                        "public": a.public,
                        "revoked": a.revoked,
                        "entity_id": a.entity_id,
                        "eppn": a.eppn if a.eppn else [],
                    }
                    for a in claimed
                ],
            }

    def delete_direct_awards(self, user: User, data: Any, json_request: bool) -> Answer:
        if not isinstance(data, dict):
            return self._middleware("'list' object has no attribute 'get'", json_request)
        rows = data.get("direct_awards")
        reason = data.get("revocation_reason")
        if not rows:
            return field_error("direct_awards", "This field is required")
        with self.lock:
            refused: list[dict[str, Any]] = []
            done = 0
            delete_at = self.now() + timedelta(days=30)
            for row in rows:
                try:
                    da = self.direct_awards.get(row["entity_id"])
                    if da is None:
                        raise LookupError("DirectAward matching query does not exist.")
                    if not user.can_award(da.badgeclass_id):
                        raise PermissionError(_drf_error_repr("No permissions", 100))
                    if da.status == "Deleted":
                        refused.append(
                            {
                                "error": "DirectAward has already been deleted",
                                "eppn": da.eppn,
                                "email": da.recipient_email,
                            }
                        )
                        continue
                    da.status = "Deleted"
                    da.revocation_reason = reason
                    da.delete_at = delete_at
                    done += 1
                except (LookupError, PermissionError, TypeError) as exc:
                    message = exc.args[0] if exc.args else str(exc)
                    if isinstance(exc, KeyError):
                        message = repr(exc.args[0])
                    get = row.get if isinstance(row, dict) else (lambda _k: None)
                    refused.append(
                        {"error": message, "eppn": get("eppn"), "email": get("recipient_email")}
                    )
            if not done:
                return self._middleware(
                    f"No valid DirectAwards are deleted. All of them were rejected: {refused!s}",
                    json_request,
                )
            return 200, {"result": "ok", "un_successful_direct_awards": refused}

    def revoke_assertions(self, user: User, data: Any, json_request: bool) -> Answer:
        if not isinstance(data, dict):
            return self._middleware("'list' object has no attribute 'get'", json_request)
        reason = data.get("revocation_reason")
        if not reason:
            return field_error("revocation_reason", "This field is required")
        rows = data.get("assertions")
        if not rows:
            return field_error("assertions", "This field is required")
        with self.lock:
            for row in rows:
                entity_id = row.get("entity_id") if isinstance(row, dict) else None
                assertion = self.assertions.get(str(entity_id))
                if assertion is None:
                    return self._middleware(
                        "BadgeInstance matching query does not exist.", json_request
                    )
                if not user.can_award(assertion.badgeclass_id):
                    return validation_error("You do not have permission", 100)
                if assertion.revoked:
                    return self._middleware("['Assertion is already revoked']", json_request)
                assertion.revoked = True
                assertion.revocation_reason = str(reason)
            return 200, {"result": "ok"}

    # -- learner side (test helper) ------------------------------------------------------------

    def accept(self, direct_award_id: str, *, full_name: str, public: bool) -> str:
        """The learner claims the award: an assertion replaces the direct award."""
        with self.lock:
            da = self.direct_awards.pop(direct_award_id)
            assertion = Assertion(
                entity_id=self.new_id(),
                badgeclass_id=da.badgeclass_id,
                bundle_id=da.bundle_id,
                recipient_email=da.recipient_email,
                eppn=da.eppn,
                full_name=full_name,
                issued_on=da.created_at,
                salt=self.new_id()[:16],
                public=public,
            )
            self.assertions[assertion.entity_id] = assertion
            return assertion.entity_id

    # -- public OB2 JSON -----------------------------------------------------------------------

    def public_badge_class(self, entity_id: str, expands: list[str]) -> Answer:
        with self.lock:
            bc = self.badge_classes.get(entity_id)
            if bc is None or bc.is_private:
                return 404, {"detail": "Not found."}
            if bc.public_json is not None:
                return 200, bc.public_json
            base = self.base_url
            body: dict[str, Any] = {
                "@context": "https://w3id.org/openbadges/v2",
                "type": "BadgeClass",
                "name": bc.name,
                "description": bc.description,
                "id": f"{base}/public/badges/{bc.entity_id}",
                "issuer": f"{base}/public/issuers/{bc.issuer_id}",
                "image": f"{base}/public/badges/{bc.entity_id}/image",
                "criteria": {"narrative": bc.criteria},
                "alignment": [],
                "tags": [],
            }
            for name, values in bc.extensions.items():
                body[f"extensions:{name}"] = {
                    "@context": EXT.format(base=f"{base}", name=name),
                    "type": ["Extension", f"extensions:{name}"],
                    **values,
                }
            if "micro" in expands:
                body["participation"] = bc.participation
                body["assessmentType"] = bc.assessment_type
                body["assessmentIdVerified"] = bc.assessment_id_verified
                body["assessmentSupervised"] = bc.assessment_supervised
            return 200, body

    def public_assertion(self, entity_id: str) -> Answer:
        with self.lock:
            assertion = self.assertions.get(entity_id)
            if assertion is None or not assertion.public:
                return 404, {"detail": "Not found."}
            base = self.base_url
            identity = hashlib.sha256(
                (assertion.recipient_email.lower() + assertion.salt).encode()
            ).hexdigest()
            ob2: dict[str, Any] = {
                "@context": "https://w3id.org/openbadges/v2",
                "type": "Assertion",
                "id": f"{base}/public/assertions/{assertion.entity_id}",
            }
            if assertion.revoked:
                ob2["revoked"] = True
                ob2["revocationReason"] = assertion.revocation_reason
                return 200, ob2
            ob2.update(
                {
                    "badge": f"{base}/public/badges/{assertion.badgeclass_id}",
                    "image": f"{base}/public/assertions/{assertion.entity_id}/image",
                    "verification": {"type": "HostedBadge"},
                    "issuedOn": assertion.issued_on.isoformat(),
                    "recipient": {
                        "hashed": True,
                        "type": "id",
                        "identity": f"sha256${identity}",
                        "salt": assertion.salt,
                    },
                }
            )
            return 200, ob2


def _drf_bool(data: dict[str, Any], key: str, *, required: bool, errors: dict[str, Any]) -> bool:
    if key not in data:
        if required:
            errors[key] = ["This field is required."]
        return False
    value = data[key]
    if value is None and not required:
        return False
    truthy = (True, 1, "1", "true", "True", "TRUE", "yes", "on", "y", "t")
    falsy = (False, 0, "0", "false", "False", "FALSE", "no", "off", "n", "f")
    if value in truthy and not isinstance(value, float):
        return True
    if value in falsy and not isinstance(value, float):
        return False
    errors[key] = ["Must be a valid boolean."]
    return False


def _drf_datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _valid_url(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https", "ftp", "ftps") and bool(parts.hostname)
