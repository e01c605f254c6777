"""The verify page: ``GET /`` of ``mcbadge serve``, for an employer checking a credential.

A person drops or chooses a file (JSON, VC-JWT, baked PNG or SVG), pastes text, or opens
``/verify?id=…`` for a credential this service issued, and sees what the credential says
(:mod:`mcbadge.summary`) beside the verdict and every check with its reason, in Dutch or
English (each check's reason in Dutch too: ``static/reasons.json``, keyed by the stable error
code of a failed check, the reason code of a skipped one and the id of a passed one; a check
without a Dutch reason shows the library's English message, marked ``lang="en"``).
Verification happens here on the server, with the service's own verification
settings; the page only shows the report.

Routes (see :func:`web_routes`):

=============================  ==================================================================
``GET /``, ``GET /verify``     the page (HTML); its language follows ``Accept-Language``
``GET /static/{name}``         the page's CSS, JavaScript and Dutch check reasons (package
                               data, no CDN, no build)
``POST /verify/upload``        the raw bytes of a file or pasted text → the report as JSON
``GET /verify/issued?id=…``    a credential this service issued, verified now → the report
=============================  ==================================================================

The JSON answer is ``VerificationReport.to_dict()`` plus ``errors`` (the failed checks); it is
200 whether or not the credential verified (the page shows both), 400 with
``{"error": {…}}`` when the input is no credential at all, 413 when it is larger than the
service's body limit. Every answer carries a Content-Security-Policy that allows nothing but
the service itself (``default-src 'self'``): the page loads no font, script or image from
anywhere else, and what a credential contains is only ever written as text.

This module may import :mod:`mcbadge.report`, :mod:`mcbadge.summary`, :mod:`mcbadge.errors`
and starlette; the service (:mod:`mcbadge.service`) passes it a verify function.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any, Final

from mcbadge.errors import InvalidInputError, McBadgeError

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import BaseRoute

    from mcbadge.report import VerificationReport

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "CredentialLookup",
    "WebConfig",
    "page_language",
    "web_routes",
]

CONTENT_SECURITY_POLICY: Final = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
"""The page's Content-Security-Policy: the service itself and nothing else."""

_SECURITY_HEADERS: Final[Mapping[str, str]] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}
_STATIC: Final[Mapping[str, str]] = {
    "app.css": "text/css; charset=utf-8",
    "app.js": "text/javascript; charset=utf-8",
    "reasons.json": "application/json; charset=utf-8",
}
_LANG_RE: Final = re.compile(
    r"^\s*([A-Za-z]{1,8})(?:-[A-Za-z0-9]{1,8})*\s*(?:;\s*q\s*=\s*([0-9.]+))?"
)
_MAX_ID_LENGTH: Final = 2048
logger = logging.getLogger("mcbadge.service.web")

CredentialLookup = Callable[[str], Any]
"""Finds a credential this service issued by its id: ``lookup(id)`` returns the signed
credential (a dict, or a VC-JWT string) or ``None`` when the service never issued it."""


@dataclass(frozen=True)
class WebConfig:
    """What the page needs from the service.

    Attributes:
        verify: Runs verification with the service's settings; returns the report.
        max_body_bytes: Largest upload accepted (413 beyond it), as for the VC API.
        lookup: Finds credentials the service issued (``/verify?id=…``); ``None`` when the
            service keeps no issuance log.
        issuer_name: Shown in the page's footer (the institution running the service).
    """

    verify: Callable[[Any], VerificationReport]
    max_body_bytes: int
    lookup: CredentialLookup | None = None
    issuer_name: str | None = None


def page_language(accept_language: str | None) -> str:
    """The page's language from an ``Accept-Language`` header: ``"nl"`` or ``"en"``.

    The preferred of Dutch and English (by ``q``); English when the browser asks for
    neither; Dutch when there is no header at all.

    Args:
        accept_language: The header value, or ``None``.

    Returns:
        ``"nl"`` or ``"en"``.

    Example:
        >>> page_language("en-GB,en;q=0.9,nl;q=0.8"), page_language("nl-NL,nl;q=0.9")
        ('en', 'nl')
    """
    if not accept_language or not accept_language.strip():
        return "nl"
    best: tuple[float, str] | None = None
    for part in accept_language.split(",")[:32]:
        match = _LANG_RE.match(part)
        if match is None:
            continue
        lang = match.group(1).lower()
        try:
            quality = float(match.group(2)) if match.group(2) else 1.0
        except ValueError:
            quality = 0.0
        if lang in ("nl", "en") and quality > 0 and (best is None or quality > best[0]):
            best = (quality, lang)
    return best[1] if best is not None else "en"


def _template() -> str:
    return resources.files(__package__).joinpath("static", "index.html").read_text("utf-8")


def _asset(name: str) -> bytes:
    return resources.files(__package__).joinpath("static", name).read_bytes()


def web_routes(config: WebConfig) -> list[BaseRoute]:
    """The page's routes, to add to the service's application.

    Args:
        config: The verify function, the body limit and the issuance log lookup.

    Returns:
        Starlette routes for ``/``, ``/verify``, ``/static/…``, ``/verify/upload`` and
        ``/verify/issued``.

    Raises:
        McBadgeError: starlette is not installed (code ``service_extra_missing``).

    Example:
        >>> routes = web_routes(WebConfig(verify=verification_report,
        ...                               max_body_bytes=1 << 20))  # doctest: +SKIP
    """
    try:
        from starlette.concurrency import run_in_threadpool
        from starlette.requests import ClientDisconnect
        from starlette.responses import HTMLResponse, JSONResponse, Response
        from starlette.routing import Route
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise McBadgeError(
            "the verify page needs starlette: pip install 'mcbadge[service]'",
            code="service_extra_missing",
        ) from exc

    template = _template()
    assets = {name: _asset(name) for name in _STATIC}

    def error(status: int, code: str, message: str) -> Response:
        return JSONResponse(
            {"error": {"code": code, "message": message}},
            status_code=status,
            headers=dict(_SECURITY_HEADERS),
        )

    def answer(report: VerificationReport) -> Response:
        body = report.to_dict()
        body["errors"] = [
            {"check": c.id, "code": c.error_code, "message": c.message}
            for c in report.failed_checks
        ]
        return JSONResponse(body, headers=dict(_SECURITY_HEADERS))

    async def verify(value: Any) -> Response:
        try:
            report = await run_in_threadpool(config.verify, value)
        except InvalidInputError as exc:
            return error(400, exc.code, exc.message)
        except McBadgeError as exc:
            return error(400, exc.code, exc.message)
        except Exception:  # a defect: a JSON answer, never a traceback
            logger.exception("the verify page could not verify an upload")
            return error(500, "internal_error", "the service failed unexpectedly; see its log")
        return answer(report)

    async def page(request: Request) -> Response:
        lang = page_language(request.headers.get("accept-language"))
        html = template.replace("{{lang}}", lang).replace(
            "{{lookup}}", "true" if config.lookup is not None else "false"
        )
        return HTMLResponse(html, headers={**_SECURITY_HEADERS, "Vary": "Accept-Language"})

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in assets:
            return error(404, "not_found", f"no static file {name!r}")
        headers = {**_SECURITY_HEADERS, "Cache-Control": "no-cache"}
        return Response(assets[name], media_type=_STATIC[name], headers=headers)

    async def upload(request: Request) -> Response:
        limit = config.max_body_bytes
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            return error(
                413,
                "body_too_large",
                f"the file is larger than this service accepts ({limit} bytes)",
            )
        chunks: list[bytes] = []
        received = 0
        try:
            async for chunk in request.stream():
                received += len(chunk)
                if received > limit:
                    return error(
                        413,
                        "body_too_large",
                        f"the file is larger than this service accepts ({limit} bytes)",
                    )
                chunks.append(chunk)
        except ClientDisconnect:
            return error(400, "client_disconnected", "the upload was interrupted")
        data = b"".join(chunks)
        if not data.strip():
            return error(400, "input_empty", "nothing to verify: the file or text is empty")
        return await verify(data)

    async def issued(request: Request) -> Response:
        credential_id = request.query_params.get("id", "")
        if not credential_id or len(credential_id) > _MAX_ID_LENGTH:
            return error(400, "id_missing", "give the credential id: /verify/issued?id=…")
        if config.lookup is None:
            return error(404, "not_found", "this service keeps no log of the credentials it issued")
        try:
            found = await run_in_threadpool(config.lookup, credential_id)
        except McBadgeError as exc:
            return error(503, exc.code, exc.message)
        if found is None:
            return error(404, "credential_unknown", "this service did not issue that credential")
        return await verify(found)

    return [
        Route("/", page, methods=["GET"]),
        Route("/verify", page, methods=["GET"]),
        Route("/static/{name}", static, methods=["GET"]),
        Route("/verify/upload", upload, methods=["POST"]),
        Route("/verify/issued", issued, methods=["GET"]),
    ]
