"""Reading a request: JSON media type, bounded body, strict JSON (no duplicate members, bounded
depth), and the ``options`` object of the VC API.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from mcbadge._internal.jsontext import INPUT_CODES, JsonTextError, loads_strict

try:  # the service needs the optional extra: pip install "mcbadge[service]"
    from starlette.requests import Request
except ImportError as _exc:  # pragma: no cover - exercised only without the extra
    _IMPORT_ERROR: ImportError | None = _exc
else:
    _IMPORT_ERROR = None
from mcbadge.service.errors import _HttpError
from mcbadge.service.limits import _CLOSE, _JSON_TYPES, MAX_JSON_DEPTH

# --------------------------------------------------------------------------- request reading


def _media_type(request: Request) -> str:
    raw = request.headers.get("content-type", "")
    return raw.split(";", 1)[0].strip().lower()


def _check_json_content_type(request: Request) -> None:
    media = _media_type(request)
    if media in _JSON_TYPES or (media.startswith("application/") and media.endswith("+json")):
        return
    shown = media or "none"
    raise _HttpError(
        415,
        "unsupported_media_type",
        f"the request body must be JSON (Content-Type: application/json), not {shown}",
        headers=_CLOSE,
    )


def _parse_json(data: bytes) -> Any:
    if not data.strip():
        raise _HttpError(400, "malformed_json", "the request body is empty; send a JSON object")
    try:
        value = loads_strict(data)
    except JsonTextError as exc:
        message = (
            f"the JSON has the member {exc.member!r} twice in one object; refused because "
            "different readers would see different documents"
            if exc.kind == "duplicate"
            else f"the request body is not valid JSON: {exc.reason}"
        )
        raise _HttpError(400, INPUT_CODES.get(exc.kind, "malformed_json"), message) from exc
    _check_depth(value)
    return value


def _check_depth(value: Any) -> None:
    """Refuse documents nested deeper than MAX_JSON_DEPTH (iteratively: no recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = (
            item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        )
        for child in children:
            if isinstance(child, dict | list):
                if depth + 1 > MAX_JSON_DEPTH:
                    raise _HttpError(
                        400,
                        "json_too_deep",
                        f"the request body nests arrays/objects deeper than {MAX_JSON_DEPTH} "
                        "levels",
                    )
                stack.append((child, depth + 1))


def _object_members(
    body: Any, *, required: str, allowed: Sequence[str], what: str
) -> tuple[Any, dict[str, Any]]:
    """Check the request object's members; return (the required member, the options)."""
    if not isinstance(body, dict):
        raise _HttpError(
            400,
            "request_malformed",
            f"the request body must be a JSON object with {', '.join(repr(a) for a in allowed)}",
        )
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        raise _HttpError(
            400,
            "unknown_member",
            f"unknown member(s) {', '.join(repr(u) for u in unknown)} in the {what} request; "
            f"it takes {' and '.join(repr(a) for a in allowed)}",
        )
    if required not in body:
        raise _HttpError(400, f"{_snake(required)}_missing", f"the request has no {required!r}")
    options = body.get("options", {})
    if options is None:
        options = {}
    if not isinstance(options, dict):
        raise _HttpError(400, "options_malformed", "'options' must be a JSON object")
    return body[required], options


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


def _check_option_names(options: Mapping[str, Any], allowed: Sequence[str], where: str) -> None:
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        raise _HttpError(
            400,
            "unknown_option",
            f"unknown option(s) {', '.join(repr(u) for u in unknown)} for {where}; this "
            f"service understands: {', '.join(allowed)}",
            details={"unknown": unknown, "supported": list(allowed)},
        )


def _string_option(options: Mapping[str, Any], name: str) -> str | None:
    value = options.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise _HttpError(
            400, "option_invalid", f"options.{name} must be a non-empty string, got {value!r}"
        )
    return value


def _checks_option(options: Mapping[str, Any]) -> None:
    """``checks`` (older VC API clients send it) is accepted; every check always runs."""
    value = options.get("checks")
    if value is None:
        return
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _HttpError(
            400, "option_invalid", "options.checks must be an array of strings (check names)"
        )
