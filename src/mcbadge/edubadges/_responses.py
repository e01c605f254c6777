"""What an edubadges response means: the typed error for a refusal, and whether to retry.

Reads an error body in every shape the edubadges server gives (``detail``, field errors,
nested lists) into a :class:`ParsedError`, maps a response to the
:class:`~mcbadge.errors.EdubadgesError` subclass for its status, tells a refused token from a
missing permission, reads ``Retry-After``, and says of a transport error whether the request
was sent (so a retry is safe) or may have been (ambiguous). Secrets are redacted from every
message; nothing here logs.

May import: :mod:`mcbadge.edubadges.errors`, :mod:`mcbadge.errors`, httpx.
"""

from __future__ import annotations

import email.utils
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import httpx

from mcbadge.edubadges.errors import (
    EdubadgesAuthError,
    EdubadgesNotFoundError,
    EdubadgesPermissionError,
    EdubadgesProtocolError,
    EdubadgesRateLimitError,
    EdubadgesServerError,
    EdubadgesValidationError,
)
from mcbadge.errors import EdubadgesError


def _sent_state(exc: httpx.RequestError) -> Literal["not_sent", "ambiguous", "fatal"]:
    """Could the failed request have reached the server?"""
    if isinstance(
        exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout | httpx.ProxyError
    ):
        return "not_sent"
    if isinstance(
        exc,
        httpx.UnsupportedProtocol
        | httpx.LocalProtocolError
        | httpx.DecodingError
        | httpx.TooManyRedirects,
    ):
        return "fatal"
    return "ambiguous"


def _describe_exc(exc: httpx.RequestError) -> str:
    kinds: dict[type[httpx.RequestError], str] = {
        httpx.ConnectError: "could not connect",
        httpx.ConnectTimeout: "timed out connecting",
        httpx.PoolTimeout: "timed out waiting for a free connection",
        httpx.ReadTimeout: "timed out waiting for the answer",
        httpx.WriteTimeout: "timed out sending the request",
        httpx.RemoteProtocolError: "the server closed the connection without a valid answer",
        httpx.ReadError: "the connection broke while reading the answer",
        httpx.WriteError: "the connection broke while sending the request",
    }
    return kinds.get(type(exc), type(exc).__name__)


def _retry_after(resp: httpx.Response) -> float | None:
    value = resp.headers.get("Retry-After")
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _is_message(value: Any) -> bool:
    """edubadges' ``{"error_message": ..., "error_code": ...}`` leaf."""
    return (
        isinstance(value, dict)
        and "error_message" in value
        and set(value)
        <= {
            "error_message",
            "error_code",
        }
    )


def _flatten_fields(value: Any, prefix: str, out: dict[str, list[str]]) -> None:
    """Flatten DRF / edubadges field errors into ``{"a[0].b": ["msg", ...]}``."""
    key = prefix or "non_field_errors"
    if isinstance(value, dict):
        if _is_message(value):
            message = value["error_message"]
            if isinstance(message, dict | list):
                _flatten_fields(message, prefix, out)
            else:
                out.setdefault(key, []).append(str(message))
            return
        for k, v in value.items():
            _flatten_fields(v, f"{prefix}.{k}" if prefix else str(k), out)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, str | int | float) or _is_message(item):
                _flatten_fields(item, prefix, out)  # messages for the field itself
            else:
                _flatten_fields(item, f"{prefix}[{i}]", out)  # a nested item (many=True)
    elif value is not None:
        out.setdefault(key, []).append(str(value))


def _summarize_fields(fields: Mapping[str, list[str]]) -> str:
    parts = [f"{k}: {'; '.join(v)}" for k, v in list(fields.items())[:10]]
    more = f" (and {len(fields) - 10} more fields)" if len(fields) > 10 else ""
    return ", ".join(parts) + more


@dataclass(frozen=True, slots=True)
class ParsedError:
    """What an error body says, whichever of the edubadges shapes it uses."""

    shape: str
    message: str
    server_code: str | None
    fields: dict[str, list[str]]


def parse_error_body(resp: httpx.Response) -> ParsedError:
    """Read the three edubadges error shapes (and plain DRF field errors, empty and non-JSON).

    * ``{"detail": "validation_error", "fields": {"error_message": ..., "error_code": ...}}``
      — edubadges' ``BadgrValidationError`` (``error_message`` may itself be a field dict);
    * ``{"detail": "..."}`` — Django REST framework (403, 404, 405...);
    * ``{"error": "..."}`` — edubadges' exception middleware (any other exception, as 400),
      and OAuth token endpoints (with ``error_description``);
    * ``{"field": ["..."]}`` — a DRF serializer's field errors.
    """
    text = resp.text
    if not text.strip():
        return ParsedError("empty", f"HTTP {resp.status_code} with an empty body", None, {})
    try:
        body = json.loads(text)
    except ValueError:
        ctype = resp.headers.get("Content-Type", "unknown type").split(";")[0]
        return ParsedError(
            "text", f"HTTP {resp.status_code} with a non-JSON ({ctype}) body", None, {}
        )
    fields: dict[str, list[str]] = {}
    if isinstance(body, dict):
        if body.get("detail") == "validation_error" and "fields" in body:
            raw = body["fields"]
            code: str | None = None
            if isinstance(raw, dict) and "error_message" in raw:
                code = None if raw.get("error_code") is None else str(raw["error_code"])
                message = raw["error_message"]
                if isinstance(message, dict | list):
                    _flatten_fields(message, "", fields)
                    text_message = _summarize_fields(fields)
                else:
                    text_message = str(message)
            else:
                _flatten_fields(raw, "", fields)
                text_message = _summarize_fields(fields)
            return ParsedError("validation_error", text_message, code, fields)
        if isinstance(body.get("detail"), str):
            return ParsedError("detail", body["detail"], None, {})
        if "error" in body:
            message = str(body["error"])
            code = None
            if isinstance(body.get("error_description"), str):
                code = message
                message = f"{message}: {body['error_description']}"
            return ParsedError("error", message, code, {})
        _flatten_fields(body, "", fields)
        return ParsedError("fields", _summarize_fields(fields) or "no details", None, fields)
    if isinstance(body, list):
        _flatten_fields(body, "", fields)
        return ParsedError("fields", _summarize_fields(fields) or "no details", None, fields)
    return ParsedError("text", f"HTTP {resp.status_code}: {str(body)[:200]}", None, {})


def _looks_unauthenticated(parsed: ParsedError) -> bool:
    text = parsed.message.lower()
    return any(word in text for word in ("credentials", "authenticat", "token"))


def _is_token_refusal(resp: httpx.Response) -> bool:
    """401, or DRF's 403 "Authentication credentials were not provided." (edubadges)."""
    status = resp.status_code
    return status == 401 or (status == 403 and _looks_unauthenticated(parse_error_body(resp)))


def _redact(text: str, secrets: Sequence[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "**********")
    return text


def error_from_response(
    resp: httpx.Response, operation: str, redact: Sequence[str] = ()
) -> EdubadgesError:
    """Map an error response to the matching :class:`EdubadgesError` subclass."""
    status = resp.status_code
    parsed = parse_error_body(resp)
    message = _redact(f"{operation}: edubadges answered {status}: {parsed.message}", redact)
    fields = {k: [_redact(m, redact) for m in v] for k, v in parsed.fields.items()}
    kwargs: dict[str, Any] = {
        "status": status,
        "fields": fields,
        "server_code": parsed.server_code,
        "shape": parsed.shape,
    }
    if 300 <= status < 400:
        where = resp.headers.get("Location", "elsewhere")
        return EdubadgesProtocolError(
            f"{operation}: edubadges redirected to {where} ({status}); it answers browsers, not "
            "API clients, that way",
            **kwargs,
        )
    if status == 401 or (status == 403 and _looks_unauthenticated(parsed)):
        return EdubadgesAuthError(message, **kwargs)
    if status == 403 or parsed.server_code == "100":
        return EdubadgesPermissionError(message, **kwargs)
    if status == 404:
        return EdubadgesNotFoundError(message, **kwargs)
    if status == 429:
        return EdubadgesRateLimitError(message, retry_after=_retry_after(resp), **kwargs)
    if status >= 500:
        return EdubadgesServerError(message, **kwargs)
    if 400 <= status < 500:
        return EdubadgesValidationError(message, **kwargs)
    return EdubadgesProtocolError(message, **kwargs)
