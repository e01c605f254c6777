"""The checks on what a caller gives the edubadges client, before anything is sent.

Base and token URLs (HTTPS, or loopback HTTP for tests), credentials that are safe in a
header, entity ids, reasons, recipient lists (no duplicates, the identifier the badge class
uses), and the split of learners into those still to award and those the server already
holds an award for (the direct-award recovery). A refusal is an
:class:`~mcbadge.errors.InvalidInputError` naming the field.

May import: :mod:`mcbadge.edubadges.models`, :mod:`mcbadge.errors`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit

from mcbadge.edubadges.models import (
    IdentifierType,
    Recipient,
    UnclaimedDirectAward,
)
from mcbadge.errors import InvalidInputError

_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def check_url(url: str, what: str) -> str:
    """Validate a server URL: https, or http on a loopback host; no credentials in it."""
    if not isinstance(url, str) or not url.strip():
        raise InvalidInputError(f"{what} must be a non-empty URL", field=what)
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError as exc:
        raise InvalidInputError(f"{what} is not a valid URL: {exc}", field=what) from exc
    if parts.scheme not in ("http", "https") or not host:
        raise InvalidInputError(f"{what} must be an http(s) URL with a host", field=what)
    if parts.username is not None or parts.password is not None:
        raise InvalidInputError(f"{what} must not contain a user name or password", field=what)
    if parts.scheme == "http" and host not in _LOOPBACK_HOSTS:
        raise InvalidInputError(
            f"{what} must use https (plain http is allowed only for 127.0.0.1/localhost, for "
            "tests): bearer tokens must not travel unencrypted",
            field=what,
        )
    if parts.query or parts.fragment:
        raise InvalidInputError(f"{what} must not have a query or fragment", field=what)
    return url.strip().rstrip("/")


def _check_credential(value: str, name: str, *, header_safe: bool) -> str:
    """A credential must be a non-empty string; one sent as-is in a header has no whitespace."""
    if not isinstance(value, str) or not value:
        raise InvalidInputError(f"{name} must be a non-empty string", field=name)
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value) or (
        header_safe and any(ch.isspace() for ch in value)
    ):
        raise InvalidInputError(
            f"{name} must not contain whitespace or control characters", field=name
        )
    return value


def _duplicates(values: Sequence[str]) -> list[str]:
    counts = Counter(values)
    return sorted(v for v, n in counts.items() if n > 1)


def require_id(value: object, name: str) -> str:
    """Validate one entity id (a non-empty string without slashes or whitespace)."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(f"{name} must be a non-empty entity id string", field=name)
    if any(ch.isspace() for ch in value) or "/" in value:
        raise InvalidInputError(f"{name} {value!r} is not an entity id", field=name)
    return value


def require_ids(values: object, name: str) -> list[str]:
    """Validate a non-empty list of distinct entity ids (a lone string is refused)."""
    if isinstance(values, str | bytes) or not isinstance(values, Sequence | set | frozenset):
        raise InvalidInputError(f"{name} must be a list of entity ids", field=name)
    ids = [require_id(v, f"{name}[{i}]") for i, v in enumerate(values)]
    if not ids:
        raise InvalidInputError(f"{name} is empty: give at least one entity id", field=name)
    dupes = _duplicates(ids)
    if dupes:
        raise InvalidInputError(f"{name} repeats {', '.join(dupes)}", field=name)
    return ids


def require_reason(reason: object) -> str:
    """Validate a revocation reason: edubadges stores it and shows it to the learner."""
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidInputError(
            "reason is required: edubadges records the revocation reason and tells the learner",
            field="reason",
        )
    if len(reason) > 255:
        raise InvalidInputError(
            "reason is longer than the 255 characters edubadges stores", field="reason"
        )
    return reason.strip()


def _split_existing(
    pending: Sequence[Recipient],
    existing: Sequence[UnclaimedDirectAward],
    identifier_type: IdentifierType,
) -> tuple[list[Recipient], list[UnclaimedDirectAward]]:
    """Split learners into (still to award, awards the server already holds for them).

    A learner counts as present when an unclaimed award for the badge class has the same eppn,
    or the same e-mail address and no eppn (eppn awards), or the same e-mail (e-mail awards).
    """
    by_eppn = {e.eppn.lower(): e for e in existing if e.eppn}
    by_email = {e.recipient_email.lower(): e for e in existing if e.recipient_email}
    by_email_only = {
        e.recipient_email.lower(): e for e in existing if e.recipient_email and not e.eppn
    }
    remaining: list[Recipient] = []
    found: list[UnclaimedDirectAward] = []
    for recipient in pending:
        email_key = recipient.email.strip().lower()
        if identifier_type == "eppn":
            hit = by_eppn.get(recipient.key("eppn")) or by_email_only.get(email_key)
        else:
            hit = by_email.get(email_key)
        if hit is None:
            remaining.append(recipient)
        else:
            found.append(hit)
    return remaining, found


def _check_recipients(recipients: object, identifier_type: IdentifierType) -> list[Recipient]:
    if isinstance(recipients, str | bytes | Mapping) or not isinstance(recipients, Sequence):
        raise InvalidInputError(
            "recipients must be a list of Recipient objects", field="recipients"
        )
    result: list[Recipient] = []
    for i, recipient in enumerate(recipients):
        if not isinstance(recipient, Recipient):
            raise InvalidInputError(
                f"recipients[{i}] is a {type(recipient).__name__}, not a Recipient",
                field="recipients",
            )
        if not recipient.email.strip():
            raise InvalidInputError(f"recipients[{i}] has an empty email", field="recipients")
        if identifier_type == "eppn" and not (recipient.eppn or "").strip():
            raise InvalidInputError(
                f"recipients[{i}] has no eppn, which identifier_type='eppn' needs (award on "
                "e-mail with identifier_type='email')",
                field="recipients",
            )
        result.append(recipient)
    if not result:
        raise InvalidInputError(
            "recipients is empty: give at least one learner", field="recipients"
        )
    for label, keys in (
        ("email", [r.email.strip().lower() for r in result]),
        ("eppn", [r.key("eppn") for r in result] if identifier_type == "eppn" else []),
    ):
        dupes = _duplicates(keys)
        if dupes:
            raise InvalidInputError(
                f"recipients lists the same {label} more than once: {', '.join(dupes[:5])}",
                field="recipients",
            )
    return result
