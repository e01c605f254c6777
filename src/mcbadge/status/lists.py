"""Reading a fetched status list document: bounded JSON, issuer and key binding, dates, status
messages, and the 1EdTech revocation list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from mcbadge._internal.dates import DateTimeSyntaxError, parse_datetime
from mcbadge._internal.jsontext import JsonTextError, loads_strict
from mcbadge.errors import (
    StatusListError,
)
from mcbadge.status.constants import _DEFAULT_TTL_MS, _HEX_STATUS_RE, _error

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class _VerifiedList:
    """A fetched and verified bitstring status list credential, as cached."""

    url: str
    issuer: str | None
    purposes: tuple[str, ...]
    valid_from: datetime | None
    valid_until: datetime | None
    bits: bytes = field(repr=False)
    expires_at: datetime = field(default=datetime.max.replace(tzinfo=UTC))


@dataclass(frozen=True)
class _RevocationList:
    """A fetched 1EdTech revocation list, as cached."""

    url: str
    issuer: str | None
    revoked: Mapping[str, str | None] = field(repr=False)
    expires_at: datetime = field(default=datetime.max.replace(tzinfo=UTC))


@dataclass(frozen=True)
class _ParsedList:
    issuer: str | None
    purposes: tuple[str, ...]
    valid_from: datetime | None
    valid_until: datetime | None
    bits: bytes = field(repr=False)
    ttl_seconds: float = _DEFAULT_TTL_MS / 1000.0


def _too_large(url: str, limit: int) -> StatusListError:
    return _error(
        f"the status list document at {url} is larger than {limit} bytes",
        "status_list_unavailable",
        url=url,
    )


def _loads_strict(text: str, url: str) -> Any:
    try:
        return loads_strict(text)
    except JsonTextError as exc:
        raise _error(
            f"the status list at {url} is not valid JSON: {exc.reason}",
            "status_list_malformed",
            url=url,
        ) from exc


def _issuer_id(document: Mapping[str, Any]) -> str | None:
    issuer = document.get("issuer")
    if isinstance(issuer, str):
        return issuer
    if isinstance(issuer, Mapping) and isinstance(issuer.get("id"), str):
        return str(issuer["id"])
    return None


def _key_belongs_to(issuer: str | None, vm_url: str, controller: str | None) -> bool:
    """Whether a verification method is the issuer's: its controller (or its document, or a
    URL under an HTTPS issuer id) is the issuer."""
    if not issuer or not vm_url:
        return False
    if controller is not None and controller == issuer:
        return True
    if vm_url.split("#", 1)[0] == issuer:
        return True
    if issuer.lower().startswith("https://"):
        prefix = issuer.rstrip("/")
        return vm_url.startswith((prefix + "/", prefix + "#"))
    return False


def _optional_date(document: Mapping[str, Any], name: str, url: str) -> datetime | None:
    value = document.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _error(f"the status list {url} {name} must be a string", "status_list_malformed")
    try:
        return parse_datetime(value)
    except DateTimeSyntaxError as exc:
        raise _error(
            f"the status list {url} {name}: {exc}", "status_list_malformed", url=url
        ) from exc


def _status_messages(raw: Any, status_size: int) -> dict[int, str] | None:
    if raw is None:
        if status_size > 1:
            raise _error(
                f"statusSize {status_size} requires statusMessage with one message per value "
                "(Bitstring Status List, BitstringStatusListEntry)",
                "status_entry_invalid",
            )
        return None
    count = 1 << status_size
    if not isinstance(raw, list) or len(raw) != count:
        raise _error(
            f"statusMessage must be an array of {count} objects for statusSize {status_size}",
            "status_entry_invalid",
        )
    messages: dict[int, str] = {}
    for item in raw:
        if not isinstance(item, Mapping):
            raise _error("every statusMessage item must be an object", "status_entry_invalid")
        status, message = item.get("status"), item.get("message")
        if not isinstance(status, str) or not _HEX_STATUS_RE.fullmatch(status):
            raise _error(
                f"statusMessage status must be a '0x'-prefixed hexadecimal string, got {status!r}",
                "status_entry_invalid",
            )
        if not isinstance(message, str):
            raise _error("statusMessage message must be a string", "status_entry_invalid")
        value = int(status, 16)
        if value >= count or value in messages:
            raise _error(
                f"statusMessage status {status} is out of range or repeated",
                "status_entry_invalid",
            )
        messages[value] = message
    return messages


def _parse_revocation_list(document: Any, url: str) -> _RevocationList:
    """Read a 1EdTech Revocation List: ``{id, issuer, revokedCredentials: [{id, ...}]}``."""
    if not isinstance(document, Mapping):
        raise _error(
            f"the 1EdTech revocation list at {url} is not a JSON object", "status_list_malformed"
        )
    list_id = document.get("id")
    if list_id is not None and list_id != url:
        raise _error(
            f"the revocation list fetched from {url} has id {list_id!r}",
            "status_list_id_mismatch",
            url=url,
        )
    items = document.get("revokedCredentials")
    if not isinstance(items, list):
        raise _error(
            f"the 1EdTech revocation list at {url} has no revokedCredentials array",
            "status_list_malformed",
            url=url,
        )
    revoked: dict[str, str | None] = {}
    for item in items:
        if not isinstance(item, Mapping) or not isinstance(item.get("id"), str):
            raise _error(
                f"every revokedCredentials item of {url} must be an object with an id",
                "status_list_malformed",
                url=url,
            )
        reason = item.get("revocationReason")
        revoked[str(item["id"])] = reason if isinstance(reason, str) else None
    return _RevocationList(url=url, issuer=_issuer_id(document), revoked=revoked)
