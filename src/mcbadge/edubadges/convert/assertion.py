"""The assertion and its recipient: what the award says about the learner and the dates.

May import: :mod:`mcbadge.edubadges.convert.reading` and its errors,
:mod:`mcbadge.microcredential`, :mod:`mcbadge._internal`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mcbadge.edubadges.convert.errors import (
    InvalidSourceFieldError,
    MissingSourceFieldError,
    RevokedAssertionError,
)
from mcbadge.edubadges.convert.reading import (
    _IDENTITY_HASH_RE,
    _RECIPIENT_PROFILE,
    _RECIPIENT_TYPES,
    _UNKNOWN,
    _bool,
    _check_context,
    _check_type,
    _Collector,
    _datetime,
    _is_empty,
    _join,
    _Parts,
    _ref_id,
    _shown,
    _text,
)
from mcbadge.errors import ModelValidationError
from mcbadge.microcredential import (
    HashedIdentity,
)

if TYPE_CHECKING:
    pass


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
