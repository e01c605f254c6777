"""The issuer's documents: a credential's ``BitstringStatusListEntry`` (:func:`entry`) and the
unsigned ``BitstringStatusListCredential`` (:func:`status_list_credential`).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from mcbadge._internal.dates import DateTimeSyntaxError, format_datetime, parse_datetime
from mcbadge.errors import (
    InvalidInputError,
)
from mcbadge.status.bitstring import BitstringStatusList, _check_purpose, _check_status_size
from mcbadge.status.constants import (
    BITSTRING_CREDENTIAL_TYPE,
    BITSTRING_ENTRY_TYPE,
    BITSTRING_SUBJECT_TYPE,
    VC_V2_CONTEXT,
    _check_int,
    _error,
)

if TYPE_CHECKING:
    pass


# --------------------------------------------------------------------------- documents


def entry(
    index: int,
    *,
    list_url: str,
    purpose: str = "revocation",
    status_size: int = 1,
    status_messages: Mapping[int, str] | None = None,
    status_reference: str | None = None,
    entry_id: str | None = None,
) -> dict[str, Any]:
    """Build the ``BitstringStatusListEntry`` for a credential's ``credentialStatus``.

    Args:
        index: The credential's index (from :meth:`StatusListAllocator.allocate`).
        list_url: URL of the ``BitstringStatusListCredential``.
        purpose: ``"revocation"`` (default), ``"suspension"`` or ``"message"``.
        status_size: Bits per entry; above 1, ``status_messages`` must name every value.
        status_messages: ``{value: message}`` for each possible value (``statusMessage``).
        status_reference: Optional URL explaining the statuses (``statusReference``).
        entry_id: The entry's ``id``; default ``f"{list_url}#{index}"``.

    Returns:
        A new dict.

    Raises:
        StatusListError: ``status_entry_invalid`` for a bad index, URL, purpose or messages.

    Example:
        >>> entry(94567, list_url="https://hs.nl/status/3")["statusListIndex"]
        '94567'
    """
    _check_int(index, "index", minimum=0, code="status_entry_invalid")
    _check_url(list_url, "list_url")
    _check_purpose(purpose, "purpose")
    _check_status_size(status_size)
    out: dict[str, Any] = {
        "id": entry_id if entry_id is not None else f"{list_url}#{index}",
        "type": BITSTRING_ENTRY_TYPE,
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }
    if not isinstance(out["id"], str) or out["id"] == list_url:
        raise _error(
            "the entry id must be a string and must not be the status list URL",
            "status_entry_invalid",
        )
    if status_size != 1:
        out["statusSize"] = status_size
    if status_size > 1 and status_messages is None:
        raise _error(
            f"statusSize {status_size} requires status_messages for all {1 << status_size} "
            "values (Bitstring Status List, BitstringStatusListEntry)",
            "status_entry_invalid",
        )
    if status_messages is not None:
        expected = set(range(1 << status_size))
        if not isinstance(status_messages, Mapping) or set(status_messages) != expected:
            raise _error(
                f"status_messages must map every value 0..{(1 << status_size) - 1} to a message",
                "status_entry_invalid",
            )
        if not all(isinstance(m, str) for m in status_messages.values()):
            raise _error("every status message must be a string", "status_entry_invalid")
        out["statusMessage"] = [
            {"status": f"0x{value:x}", "message": status_messages[value]}
            for value in sorted(status_messages)
        ]
    if status_reference is not None:
        _check_url(status_reference, "status_reference")
        out["statusReference"] = status_reference
    return out


def _check_url(value: Any, name: str) -> str:
    if not isinstance(value, str) or not urlsplit(value).scheme or any(c.isspace() for c in value):
        raise _error(f"{name} must be an absolute URL, got {value!r}", "status_entry_invalid")
    return value


def _date_text(value: datetime | str, name: str) -> str:
    if isinstance(value, datetime):
        try:
            return format_datetime(value)
        except DateTimeSyntaxError as exc:
            raise InvalidInputError(f"{name}: {exc}", code="invalid_date", field=name) from exc
    if isinstance(value, str):
        try:
            parse_datetime(value)
        except DateTimeSyntaxError as exc:
            raise InvalidInputError(f"{name}: {exc}", code="invalid_date", field=name) from exc
        return value
    raise InvalidInputError(
        f"{name} must be a datetime or an RFC 3339 string", code="invalid_date", field=name
    )


def status_list_credential(
    status_list: BitstringStatusList,
    *,
    id: str,  # noqa: A002 - the JSON member it fills
    issuer: str | Mapping[str, Any],
    valid_from: datetime | str | None = None,
    valid_until: datetime | str | None = None,
    ttl: int | None = None,
) -> dict[str, Any]:
    """The unsigned ``BitstringStatusListCredential`` publishing ``status_list``.

    Sign it with ``mcbadge.issue(credential, key)`` (Data Integrity) or
    ``issue(credential, key, format="jwt")`` and serve it at ``id``, the URL that
    :func:`entry` put in ``statusListCredential``. Re-sign and republish after every change.

    Args:
        status_list: The list (its ``status_purpose`` becomes ``statusPurpose``).
        id: The URL the list is published at.
        issuer: The issuer id (or a Profile with ``id``): normally the credentials' issuer,
            since verifiers check the two match.
        valid_from: Start of validity (default: now, to the second, UTC).
        valid_until: Optional end of validity: verifiers refuse the list after it, so
            republish before then.
        ttl: Optional ``ttl`` in milliseconds (how long verifiers may cache it; spec default
            300000).

    Returns:
        A new dict; VC 2.0 context (which defines every status list term).

    Raises:
        StatusListError: ``status_entry_invalid`` for a bad URL, issuer or purpose.
        InvalidInputError: ``invalid_date`` for a bad date, or ``valid_until`` not after
            ``valid_from``.

    Example:
        >>> vc = status_list_credential(BitstringStatusList.create(),
        ...     id="https://hs.nl/status/1", issuer="did:web:hs.nl",
        ...     valid_from="2025-01-01T00:00:00Z")
        >>> vc["type"], vc["credentialSubject"]["id"]
        (['VerifiableCredential', 'BitstringStatusListCredential'], 'https://hs.nl/status/1#list')
    """
    if not isinstance(status_list, BitstringStatusList):
        raise InvalidInputError(
            "status_list must be a BitstringStatusList", code="invalid_input", field="status_list"
        )
    _check_url(id, "id")
    issuer_id = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    _check_url(issuer_id, "issuer")
    if status_list.status_purpose is None:
        raise _error(
            "the status list has no status_purpose; decode it with status_purpose=... or "
            "create it with BitstringStatusList.create(status_purpose=...)",
            "status_entry_invalid",
        )
    start = _date_text(
        valid_from if valid_from is not None else datetime.now(UTC).replace(microsecond=0),
        "valid_from",
    )
    credential: dict[str, Any] = {
        "@context": [VC_V2_CONTEXT],
        "id": id,
        "type": ["VerifiableCredential", BITSTRING_CREDENTIAL_TYPE],
        "issuer": copy.deepcopy(dict(issuer)) if isinstance(issuer, Mapping) else issuer,
        "validFrom": start,
    }
    if valid_until is not None:
        end = _date_text(valid_until, "valid_until")
        if parse_datetime(end) <= parse_datetime(start):
            raise InvalidInputError(
                f"valid_until ({end}) must be after valid_from ({start})",
                code="invalid_date",
                field="valid_until",
            )
        credential["validUntil"] = end
    subject: dict[str, Any] = {
        "id": f"{id}#list",
        "type": BITSTRING_SUBJECT_TYPE,
        "statusPurpose": status_list.status_purpose,
        "encodedList": status_list.encode(),
    }
    if ttl is not None:
        subject["ttl"] = _check_int(ttl, "ttl", minimum=1, code="status_entry_invalid")
    credential["credentialSubject"] = subject
    return credential
