"""JSON errors of the service: ``{"error": {"code", "message"}}`` with the HTTP status for each
mcbadge error code, and the decorator that makes every endpoint answer that way.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Final

from mcbadge.errors import (
    CanonicalizationError,
    DocumentLoaderError,
    InvalidInputError,
    JsonLdError,
    KeyFormatError,
    McBadgeError,
    SigningError,
    StoreError,
)

try:  # the service needs the optional extra: pip install "mcbadge[service]"
    import anyio
    from starlette.requests import ClientDisconnect, Request
    from starlette.responses import JSONResponse, Response
except ImportError as _exc:  # pragma: no cover - exercised only without the extra
    _IMPORT_ERROR: ImportError | None = _exc
else:
    _IMPORT_ERROR = None
from mcbadge.service.limits import (
    _CLOSE,
    _SERVER_SIGNING_CODES,
    DRAIN_LIMIT_BYTES,
    DRAIN_SECONDS,
    logger,
)

# --------------------------------------------------------------------------- errors


class _HttpError(Exception):
    """An HTTP error answer: status, stable code, message and extra headers."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        headers: Mapping[str, str] | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})
        self.details = dict(details or {})


def _require_extra() -> None:
    if _IMPORT_ERROR is not None:  # pragma: no cover - exercised only without the extra
        raise McBadgeError(
            "the mcbadge service needs starlette and uvicorn: pip install 'mcbadge[service]' "
            f"({_IMPORT_ERROR})",
            code="service_extra_missing",
        )


def _error_response(
    status: int,
    code: str,
    message: str,
    *,
    headers: Mapping[str, str] | None = None,
    details: Mapping[str, Any] | None = None,
) -> Response:
    error: dict[str, Any] = {"code": code, "message": message}
    if details:
        error["details"] = dict(details)
    return JSONResponse({"error": error}, status_code=status, headers=dict(headers or {}))


_STORE_STATUS: Final[Mapping[str, int]] = {
    "status_entry_not_found": 404,
    "status_list_not_found": 404,
    "status_not_reversible": 409,
    "status_purpose_unsupported": 400,
    "store_unavailable": 503,
}


def _status_for(exc: McBadgeError) -> int:
    if isinstance(exc, StoreError):
        return _STORE_STATUS.get(exc.code, 500)
    if isinstance(exc, KeyFormatError):
        return 500
    if isinstance(exc, SigningError):
        return 500 if exc.code in _SERVER_SIGNING_CODES else 400
    if isinstance(exc, InvalidInputError | JsonLdError | DocumentLoaderError):
        return 400
    if isinstance(exc, CanonicalizationError):
        return 400
    return 500


Endpoint = Callable[["Request"], Awaitable["Response"]]


async def _drain_unread_body(request: Request) -> None:
    """Read and discard a small request body the answer did not need, before closing.

    An answer given before the body was read (401, 415) closes the connection. If the client's
    body arrives after the close, the server's kernel answers it with a TCP reset, and a reset
    makes the client's kernel drop the answer it had not read yet: the client sees "connection
    reset" instead of the 401. Reading the rest of a small body first avoids that. The body is
    never parsed or kept, and the drain is bounded: at most :data:`DRAIN_LIMIT_BYTES` (a larger
    declared body is not drained) within :data:`DRAIN_SECONDS`.
    """
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > DRAIN_LIMIT_BYTES):
        return
    received = 0
    try:
        with anyio.move_on_after(DRAIN_SECONDS):
            async for chunk in request.stream():
                received += len(chunk)
                if received > DRAIN_LIMIT_BYTES:
                    return
    except (ClientDisconnect, RuntimeError):  # gone, or the body was already (partly) read
        return


def _json_errors(endpoint: Endpoint) -> Endpoint:
    """Turn every failure of an endpoint into a JSON error answer (never a traceback)."""

    @functools.wraps(endpoint)
    async def wrapped(request: Request) -> Response:
        try:
            return await endpoint(request)
        except _HttpError as exc:
            if exc.headers.get("Connection") == "close":
                await _drain_unread_body(request)
            return _error_response(
                exc.status, exc.code, exc.message, headers=exc.headers, details=exc.details
            )
        except ClientDisconnect:
            return _error_response(
                400, "client_disconnected", "the client went away mid-request", headers=_CLOSE
            )
        except McBadgeError as exc:
            status = _status_for(exc)
            if status >= 500:
                logger.error("request failed: %s (%s)", exc.message, exc.code)
            body = exc.to_dict()
            return JSONResponse({"error": body}, status_code=status)
        except Exception:
            logger.exception("unexpected error while answering %s", request.url.path)
            return _error_response(
                500, "internal_error", "the service failed unexpectedly; see its log"
            )

    return wrapped
