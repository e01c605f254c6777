"""A small W3C VC API service: issue and verify credentials, verify presentations, over HTTP.

``mcbadge serve`` (or :func:`create_app` + :func:`serve` from Python) answers:

=========================  ==================================================================
endpoint                   what it does
=========================  ==================================================================
``POST /credentials/issue``    ``{"credential": …, "options": …}`` → 201
                               ``{"verifiableCredential": …}`` signed with the service key
``POST /credentials/verify``   ``{"verifiableCredential": …, "options": …}`` → 200 with the
                               report when it verifies, 400 with the report when it does not
``POST /presentations/verify`` ``{"verifiablePresentation": …, "options": {"challenge": …,
                               "domain": …}}`` → the holder's proof and every credential
``GET /health``                200 ``{"status": "ok", "version": …, "issuer": …}``
=========================  ==================================================================

Every error is JSON: ``{"error": {"code": …, "message": …}}`` with a stable ``code``.
Request bodies must be ``application/json`` (415 otherwise), are limited in size while they
stream in (413; a too-large ``Content-Length`` is refused before any byte is read), and must
be well-formed JSON without duplicate members (400). ``/credentials/issue`` can require a
bearer token (401 with ``WWW-Authenticate`` when it is missing or wrong; compared in
constant time). Verification is offline unless the service was started with
``allow_network=True``: no request can make the service fetch anything.

Contexts: the service knows mcbadge's bundled contexts (VC v2, Data Integrity, OB3…). An
operator adds others with :func:`service_loader` (``--context URL=FILE`` on the command
line). The W3C examples context that conformance suites send,
``https://www.w3.org/ns/credentials/examples/v2``, is built in but off by default
(``w3c_examples_context=True``, ``--w3c-examples-context``): its ``@vocab`` turns every term
a document forgets to define into a defined one, which defeats the JSON-LD safe-mode check.

Example:
    >>> from mcbadge.keys import KeyPair
    >>> from mcbadge.service import BackgroundServer, create_app
    >>> app = create_app(key=KeyPair.generate("Ed25519"))
    >>> with BackgroundServer(app) as server:  # doctest: +SKIP
    ...     httpx.get(f"{server.url}/health").json()["status"]
    'ok'
"""

from __future__ import annotations

import argparse
import functools
import hmac
import ipaddress
import json
import logging
import os
import re
import socket
import ssl
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, Literal, cast

from mcbadge import __version__
from mcbadge._internal.jsontext import INPUT_CODES, JsonTextError, loads_strict
from mcbadge.errors import (
    CanonicalizationError,
    DocumentLoaderError,
    InvalidInputError,
    JsonLdError,
    KeyFormatError,
    McBadgeError,
    NetworkNotAllowedError,
    SigningError,
    StoreError,
)
from mcbadge.jsonld.bundled import bundled_contexts
from mcbadge.jsonld.loader import DocumentLoader
from mcbadge.jsonld.urls import VC_V2_CONTEXT_URL
from mcbadge.keys import KeyPair, Signer

try:  # the service needs the optional extra: pip install "mcbadge[service]"
    import uvicorn
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.exceptions import HTTPException
    from starlette.requests import ClientDisconnect, Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import BaseRoute, Route
except ImportError as _exc:  # pragma: no cover - exercised only without the extra
    _IMPORT_ERROR: ImportError | None = _exc
else:
    _IMPORT_ERROR = None

if TYPE_CHECKING:
    from mcbadge.report import VerificationReport
    from mcbadge.service.status import ServiceStatus
    from mcbadge.store import Store
    from mcbadge.verify import KeyEntry

__all__ = [
    "DEFAULT_MAX_BODY_BYTES",
    "MAX_JSON_DEPTH",
    "MIN_TOKEN_LENGTH",
    "W3C_EXAMPLES_V2_CONTEXT_URL",
    "BackgroundServer",
    "app_from_args",
    "build_parser_serve",
    "create_app",
    "main_serve",
    "run_serve",
    "serve",
    "service_loader",
]

logger = logging.getLogger("mcbadge.service")

DEFAULT_MAX_BODY_BYTES: Final = 1_048_576
"""Largest request body the service accepts by default (1 MiB)."""

MAX_JSON_DEPTH: Final = 64
"""Deepest nesting of arrays and objects the service reads in a request body."""

MIN_TOKEN_LENGTH: Final = 16
"""Shortest bearer token the service accepts for ``/credentials/issue``."""

W3C_EXAMPLES_V2_CONTEXT_URL: Final = "https://www.w3.org/ns/credentials/examples/v2"
"""The W3C VC examples context, used by the W3C specifications and conformance suites."""

# Provenance: the W3C publishes https://www.w3.org/ns/credentials/examples/v2 as a context
# with a single @vocab, mapping every term to the VC examples vocabulary
# https://www.w3.org/ns/credentials/examples# (listed on https://www.w3.org/2025/credentials).
# The canonical N-Quads of the W3C vc-di-eddsa test vectors show exactly this IRI for the
# examples terms (e.g. <https://www.w3.org/ns/credentials/examples#alumniOf>). No registry
# package ships this context, and it is one IRI, so it is written out here; it is used only
# when the operator asks for it (w3c_examples_context=True / --w3c-examples-context).
_W3C_EXAMPLES_V2_CONTEXT: Final[Mapping[str, Any]] = {
    "@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}
}

_JSON_TYPES: Final = frozenset({"application/json", "application/ld+json"})
# Sent with answers given before the request body was read: the server then closes the
# connection instead of draining whatever the client still sends.
_CLOSE: Final[Mapping[str, str]] = {"Connection": "close"}
_ENVELOPED_JWT_PREFIXES: Final = ("data:application/vc+jwt,", "data:application/vc-ld+jwt,")
_COMPACT_JWS: Final = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_ISSUE_OPTIONS: Final = ("cryptosuite", "format", "created")
_CREDENTIAL_VERIFY_OPTIONS: Final = ("checks", "expectedRecipient")
_PRESENTATION_VERIFY_OPTIONS: Final = ("challenge", "domain", "checks", "expectedRecipient")
_CRYPTOSUITES: Final = ("eddsa-rdfc-2022", "eddsa-jcs-2022")
_FORMATS: Final = ("di", "jwt")
# Signing failures that are the service's own problem (its key or signer), not the client's.
_SERVER_SIGNING_CODES: Final = frozenset(
    {
        "signer_failed",
        "signature_malformed",
        "verification_method_missing",
        "jwt_signer_failed",
        "jwt_invalid_signer",
        "jwt_no_key_reference",
        "jwt_kid_and_jwk",
    }
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


def _json_errors(endpoint: Endpoint) -> Endpoint:
    """Turn every failure of an endpoint into a JSON error answer (never a traceback)."""

    @functools.wraps(endpoint)
    async def wrapped(request: Request) -> Response:
        try:
            return await endpoint(request)
        except _HttpError as exc:
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


async def _http_exception(request: Request, exc: Exception) -> Response:
    """404, 405 and other routing errors as JSON."""
    if not isinstance(exc, HTTPException):  # pragma: no cover - registered for HTTPException
        raise exc
    codes = {404: "not_found", 405: "method_not_allowed"}
    message = (
        f"no endpoint {request.method} {request.url.path}"
        if exc.status_code in codes
        else str(exc.detail)
    )
    return _error_response(
        exc.status_code,
        codes.get(exc.status_code, "http_error"),
        message,
        headers=exc.headers,
    )


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


async def _read_body(request: Request, limit: int) -> bytes:
    """Read the body, refusing it (413) as soon as it is known to be larger than ``limit``."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            size = int(declared)
        except ValueError:
            raise _HttpError(
                400, "content_length_invalid", "the Content-Length header is not a number"
            ) from None
        if size > limit:
            raise _HttpError(
                413,
                "body_too_large",
                f"the request body ({size} bytes) is larger than this service accepts "
                f"({limit} bytes)",
                details={"limit": limit},
                headers=_CLOSE,
            )
    chunks: list[bytes] = []
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > limit:
            raise _HttpError(
                413,
                "body_too_large",
                f"the request body is larger than this service accepts ({limit} bytes)",
                details={"limit": limit},
                headers=_CLOSE,
            )
        chunks.append(chunk)
    return b"".join(chunks)


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


# --------------------------------------------------------------------------- issuing


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _issuer_of(credential: Mapping[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    if isinstance(issuer, Mapping):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) and issuer else None


def _check_unsigned_credential(
    credential: Any,
    issuer_id: str,
    *,
    fmt: Literal["di", "jwt"] = "di",
    suite: str = "eddsa-rdfc-2022",
) -> dict[str, Any]:
    """Refuse what the service must not sign; returns what it signs.

    A VC 1.1 credential (the W3C suites send them) is signed only with ``eddsa-rdfc-2022``;
    the Data Integrity context is appended to its ``@context`` when it is not there, as the
    digitalbazaar stack does (VC 1.1 does not define ``DataIntegrityProof``).
    """
    if not isinstance(credential, dict):
        raise _HttpError(400, "credential_malformed", "'credential' must be a JSON object")
    if "proof" in credential:
        raise _HttpError(
            400,
            "credential_has_proof",
            "the credential already has a 'proof'; send the unsigned credential",
        )
    contexts = _as_list(credential.get("@context"))
    legacy = bool(contexts) and contexts[0] == VC_V1_CONTEXT_URL
    if not contexts or (contexts[0] != VC_V2_CONTEXT_URL and not legacy):
        raise _HttpError(
            400,
            "context_invalid",
            f"the credential's first @context must be {VC_V2_CONTEXT_URL} (VC Data Model "
            f"2.0), or {VC_V1_CONTEXT_URL} for a VC 1.1 credential",
        )
    if legacy and (fmt != "di" or suite != "eddsa-rdfc-2022"):
        raise _HttpError(
            400,
            "context_invalid",
            "this service signs a VC 1.1 credential only with a Data Integrity "
            "eddsa-rdfc-2022 proof (VC-JWT and eddsa-jcs-2022 secure VC Data Model 2.0 "
            f"credentials); send a credential whose first @context is {VC_V2_CONTEXT_URL}",
        )
    types = _as_list(credential.get("type"))
    if not types or not all(isinstance(t, str) for t in types):
        raise _HttpError(
            400, "type_invalid", "the credential's 'type' must be a string or array of strings"
        )
    if "VerifiableCredential" not in types:
        raise _HttpError(
            400, "type_invalid", "the credential's 'type' must include VerifiableCredential"
        )
    subjects = _as_list(credential.get("credentialSubject"))
    if not subjects or not all(isinstance(s, dict) for s in subjects):
        raise _HttpError(
            400,
            "credential_subject_missing",
            "the credential needs a 'credentialSubject' (an object or an array of objects)",
        )
    given = _issuer_of(credential)
    if given is None:
        raise _HttpError(
            400,
            "issuer_missing",
            f"the credential needs an 'issuer' (a string, or an object with 'id'): {issuer_id}",
        )
    if given != issuer_id:
        raise _HttpError(
            400,
            "issuer_mismatch",
            f"the credential's issuer {given!r} is not this service's issuer {issuer_id!r}; "
            "the service signs only for its own key",
            details={"issuer": given, "expected": issuer_id},
        )
    from mcbadge.verify.vcdm import structure_problems

    problems = structure_problems(credential)
    if problems:
        listed = "; ".join(p.message for p in problems[:5])
        raise _HttpError(
            400,
            problems[0].code,
            f"the credential breaks {len(problems)} VC Data Model rule(s), so it would not "
            f"verify: {listed}",
            details={"check": "structure", "problems": [p.to_dict() for p in problems]},
        )
    unsigned: dict[str, Any] = dict(credential)
    if legacy and DATA_INTEGRITY_V2_CONTEXT_URL not in contexts:
        unsigned["@context"] = [*contexts, DATA_INTEGRITY_V2_CONTEXT_URL]
    return unsigned


def _issue_options(
    options: Mapping[str, Any],
) -> tuple[Literal["di", "jwt"], Literal["eddsa-rdfc-2022", "eddsa-jcs-2022"], str | None]:
    _check_option_names(options, _ISSUE_OPTIONS, "/credentials/issue")
    fmt = options.get("format", "di")
    if fmt not in _FORMATS:
        raise _HttpError(
            400,
            "option_invalid",
            f"options.format must be 'di' (Data Integrity) or 'jwt' (VC-JWT), got {fmt!r}",
        )
    suite = options.get("cryptosuite")
    if suite is not None and fmt == "jwt":
        raise _HttpError(
            400,
            "option_conflict",
            "options.cryptosuite applies to Data Integrity proofs; a VC-JWT has none",
        )
    if suite is None:
        suite = "eddsa-rdfc-2022"
    if suite not in _CRYPTOSUITES:
        raise _HttpError(
            400,
            "option_invalid",
            f"options.cryptosuite must be one of {', '.join(_CRYPTOSUITES)}, got {suite!r}",
        )
    created = _string_option(options, "created")
    if created is not None:
        if fmt == "jwt":
            raise _HttpError(
                400, "option_conflict", "options.created applies to Data Integrity proofs"
            )
        from mcbadge._internal.dates import DateTimeSyntaxError, parse_datetime

        try:
            parse_datetime(created)
        except DateTimeSyntaxError as exc:
            raise _HttpError(
                400,
                "option_invalid",
                f"options.created must be an XML Schema dateTime with a time zone: {exc}",
            ) from exc
    return (
        cast(Literal["di", "jwt"], fmt),
        cast(Literal["eddsa-rdfc-2022", "eddsa-jcs-2022"], suite),
        created,
    )


def _enveloped(token: str) -> dict[str, Any]:
    """A VC-JWT as an EnvelopedVerifiableCredential (VC Data Model 2.0, enveloped credentials)."""
    return {
        "@context": VC_V2_CONTEXT_URL,
        "id": f"data:application/vc+jwt,{token}",
        "type": "EnvelopedVerifiableCredential",
    }


def _unwrap_credential(value: Any) -> Any:
    """A JSON credential, a VC-JWT string, or an EnvelopedVerifiableCredential → the input."""
    if isinstance(value, str):
        if _COMPACT_JWS.fullmatch(value):
            return value
        raise _HttpError(
            400,
            "credential_malformed",
            "a 'verifiableCredential' string must be a VC-JWT (compact JWS: "
            "header.payload.signature)",
        )
    if not isinstance(value, dict):
        raise _HttpError(
            400,
            "credential_malformed",
            "'verifiableCredential' must be a credential object, an "
            "EnvelopedVerifiableCredential, or a VC-JWT string",
        )
    if "EnvelopedVerifiableCredential" in _as_list(value.get("type")):
        target = value.get("id")
        if isinstance(target, str):
            for prefix in _ENVELOPED_JWT_PREFIXES:
                if target.startswith(prefix):
                    return target[len(prefix) :]
        raise _HttpError(
            400,
            "enveloped_format_unsupported",
            "an EnvelopedVerifiableCredential must have an id 'data:application/vc+jwt,<JWT>'; "
            "other envelopes are not supported",
        )
    return value


def _report_body(report: VerificationReport) -> dict[str, Any]:
    body: dict[str, Any] = report.to_dict()
    body["errors"] = [
        {"check": c.id, "code": c.error_code, "message": c.message} for c in report.failed_checks
    ]
    return body


# --------------------------------------------------------------------------- the app


def _default_issuer(vm: str) -> str:
    return vm.split("#", 1)[0]


class _Service:
    """The state behind the endpoints (immutable after construction)."""

    def __init__(
        self,
        *,
        key: Signer | None,
        verification_method: str | None,
        issuer_id: str | None,
        issue_token: str | None,
        max_body_bytes: int,
        loader: DocumentLoader,
        allow_network: bool,
        keys: Mapping[str, KeyEntry] | None,
        trusted_issuers: Collection[str] | None,
        skip_status: bool,
        clock: Callable[[], datetime] | None,
        status: ServiceStatus | None = None,
        status_fetcher: Callable[[str], Any] | None = None,
    ) -> None:
        self.status = status
        self.status_fetcher = status_fetcher
        self.key = key
        self.verification_method = verification_method
        self.issuer_id = issuer_id
        self._token = issue_token.encode("utf-8") if issue_token is not None else None
        self.max_body_bytes = max_body_bytes
        self.loader = loader
        self.allow_network = allow_network
        self.keys = dict(keys) if keys is not None else None
        self.trusted_issuers = list(trusted_issuers) if trusted_issuers is not None else None
        self.skip_status = skip_status
        self.clock = clock

    # -- helpers

    def authorize(self, request: Request) -> None:
        if self._token is None:
            return
        header = request.headers.get("authorization")
        challenge = 'Bearer realm="mcbadge"'
        if header is None:
            raise _HttpError(
                401,
                "unauthorized",
                "issuing needs a bearer token: send 'Authorization: Bearer <token>'",
                headers={"WWW-Authenticate": challenge, **_CLOSE},
            )
        scheme, _, given = header.partition(" ")
        ok = scheme.lower() == "bearer" and hmac.compare_digest(
            given.strip().encode("utf-8"), self._token
        )
        if not ok:
            raise _HttpError(
                401,
                "invalid_token",
                "the bearer token is not valid for this service",
                headers={"WWW-Authenticate": f'{challenge}, error="invalid_token"', **_CLOSE},
            )

    async def read_json(self, request: Request) -> Any:
        _check_json_content_type(request)
        return _parse_json(await _read_body(request, self.max_body_bytes))

    def _verify_kwargs(self, options: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "keys": self.keys,
            "trusted_issuers": self.trusted_issuers,
            "skip_status": self.skip_status,
            "allow_network": self.allow_network,
            "clock": self.clock,
            "loader": self.loader,
            "expected_recipient": _string_option(options, "expectedRecipient"),
            "status_fetcher": (
                self.status.fetcher() if self.status is not None else self.status_fetcher
            ),
        }

    # -- endpoints

    async def health(self, request: Request) -> Response:
        body: dict[str, Any] = {"status": "ok", "version": __version__, "issuer": self.issuer_id}
        if self.status is not None:
            body["credentialStatus"] = list(self.status.purposes)
        return JSONResponse(body)

    async def issue(self, request: Request) -> Response:
        self.authorize(request)
        body = await self.read_json(request)
        credential, options = _object_members(
            body, required="credential", allowed=("credential", "options"), what="issue"
        )
        fmt, suite, created = _issue_options(options)
        if self.issuer_id is None:  # pragma: no cover - verify-only services have no route
            raise _HttpError(404, "not_found", "this service only verifies")
        unsigned = _check_unsigned_credential(credential, self.issuer_id, fmt=fmt, suite=suite)
        if self.status is None:
            signed = await run_in_threadpool(self._sign, unsigned, fmt, suite, created)
        else:
            self.status.check_credential(unsigned)
            signed = await run_in_threadpool(self._sign_with_status, unsigned, fmt, suite, created)
        return JSONResponse({"verifiableCredential": signed}, status_code=201)

    def _sign_with_status(
        self,
        credential: dict[str, Any],
        fmt: Literal["di", "jwt"],
        suite: Literal["eddsa-rdfc-2022", "eddsa-jcs-2022"],
        created: str | None,
    ) -> dict[str, Any]:
        """Allocate (durably), sign, log (durably): a 201 means the credential is logged."""
        assert self.status is not None  # noqa: S101 - the caller checked
        issuance_id, with_status = self.status.allocate(credential)
        signed = self._sign(with_status, fmt, suite, created)
        token = signed["id"][len(_ENVELOPED_JWT_PREFIXES[0]) :] if fmt == "jwt" else None
        self.status.record(issuance_id, with_status, token if token is not None else signed, fmt)
        return signed

    async def update_status(self, request: Request) -> Response:
        """``POST /credentials/status`` (VC API updateCredentialStatus)."""
        self.authorize(request)
        if self.status is None:
            raise _HttpError(
                404,
                "status_not_configured",
                "this service keeps no status lists (start it with --data-dir or --database)",
            )
        body = await self.read_json(request)
        status = self.status
        changes = await run_in_threadpool(status.update, body)
        return JSONResponse(
            {
                "credentialId": body.get("credentialId") if isinstance(body, dict) else None,
                "changes": [
                    {
                        "statusListCredential": c.list_url,
                        "statusListIndex": str(c.index),
                        "statusPurpose": c.purpose,
                        "action": c.action,
                        "changed": c.changed,
                        "at": c.at,
                    }
                    for c in changes
                ],
            },
            status_code=200,
        )

    async def status_list(self, request: Request) -> Response:
        """``GET /status/…``: the signed list credential, with ETag / 304."""
        if self.status is None:
            raise _HttpError(404, "not_found", f"no endpoint GET {request.url.path}")
        status = self.status
        url = status.url_for_path(request.url.path)
        document = await run_in_threadpool(status.document, url)
        if document is None:
            raise _HttpError(404, "status_list_not_found", f"no status list at {url}")
        headers = {"ETag": document.etag, "Cache-Control": "public, max-age=60, must-revalidate"}
        wanted = request.headers.get("if-none-match")
        if wanted is not None and (
            wanted.strip() == "*"
            or document.etag in [tag.strip().removeprefix("W/") for tag in wanted.split(",")]
        ):
            return Response(status_code=304, headers=headers)
        return Response(document.body, media_type=document.media_type, headers=headers)

    def _sign(
        self,
        credential: dict[str, Any],
        fmt: Literal["di", "jwt"],
        suite: Literal["eddsa-rdfc-2022", "eddsa-jcs-2022"],
        created: str | None,
    ) -> dict[str, Any]:
        from mcbadge.issue import issue

        if self.key is None or self.verification_method is None:  # pragma: no cover - no route
            raise SigningError("this service has no signing key", code="signer_failed")
        try:
            if fmt == "jwt":
                token = issue(
                    credential,
                    self.key,
                    format="jwt",
                    verification_method=self.verification_method,
                )
                return _enveloped(token)
            signed = issue(
                credential,
                self.key,
                format="di",
                cryptosuite=suite,
                verification_method=self.verification_method,
                created=created,
                loader=self.loader,
            )
            proofs = signed.get("proof")
            legacy = _as_list(credential.get("@context"))[:1] == [VC_V1_CONTEXT_URL]
            if legacy and isinstance(proofs, list) and len(proofs) == 1:
                # A VC 1.1 credential carries its one proof as an object, as VC 1.1
                # verifiers and the VC API examples expect (OB3 needs the array form; VC 2.0
                # credentials keep it).
                signed["proof"] = proofs[0]
            return signed
        except NetworkNotAllowedError as exc:
            url = exc.details.get("url", "a document")
            raise DocumentLoaderError(
                f"this service does not know the JSON-LD context {url} and does not fetch "
                "documents; the operator can add it (mcbadge serve --context URL=FILE)",
                code="context_unknown",
                url=url,
            ) from exc

    async def verify_credential(self, request: Request) -> Response:
        body = await self.read_json(request)
        credential, options = _object_members(
            body,
            required="verifiableCredential",
            allowed=("verifiableCredential", "options"),
            what="verify",
        )
        _check_option_names(options, _CREDENTIAL_VERIFY_OPTIONS, "/credentials/verify")
        _checks_option(options)
        value = _unwrap_credential(credential)
        kwargs = self._verify_kwargs(options)

        def run() -> VerificationReport:
            from mcbadge.verify import verification_report

            return verification_report(value, **kwargs)

        report = await run_in_threadpool(run)
        return JSONResponse(_report_body(report), status_code=200 if report.verified else 400)

    async def verify_presentation(self, request: Request) -> Response:
        body = await self.read_json(request)
        presentation, options = _object_members(
            body,
            required="verifiablePresentation",
            allowed=("verifiablePresentation", "options"),
            what="presentation verify",
        )
        _check_option_names(options, _PRESENTATION_VERIFY_OPTIONS, "/presentations/verify")
        _checks_option(options)
        if not isinstance(presentation, dict):
            raise _HttpError(
                400,
                "presentation_malformed",
                "'verifiablePresentation' must be a presentation object with a Data Integrity "
                "proof (VP-JWTs are not supported)",
            )
        challenge = _string_option(options, "challenge")
        domain = _string_option(options, "domain")
        kwargs = self._verify_kwargs(options)

        def run() -> VerificationReport:
            from mcbadge.verify import presentation_report

            return presentation_report(presentation, challenge=challenge, domain=domain, **kwargs)

        report = await run_in_threadpool(run)
        return JSONResponse(_report_body(report), status_code=200 if report.verified else 400)


def _logged_credential(store: Store, credential_id: str) -> str | None:
    """The newest logged issuance of ``credential_id`` (JSON text or a JWT), or ``None``."""
    records = store.issuances(credential_id)
    return records[0].credential if records else None


def _page_verify(service: _Service, value: Any) -> VerificationReport:
    from mcbadge.verify import verification_report

    return verification_report(value, **service._verify_kwargs({}))


def _service_vm(key: Signer, verification_method: str | None) -> str:
    vm = verification_method or key.verification_method
    if not vm:
        try:
            candidate = getattr(key, "did_key_verification_method", None)
        except McBadgeError:  # e.g. an RSA key has no did:key
            candidate = None
        vm = candidate if isinstance(candidate, str) else None
    if not vm:
        raise InvalidInputError(
            "the service key has no verification method and no did:key (RSA): pass "
            "verification_method= (e.g. 'did:web:hs.example#key-1')",
            code="verification_method_missing",
        )
    return vm


def _check_token(token: str | None) -> None:
    if token is None:
        return
    if not isinstance(token, str) or len(token) < MIN_TOKEN_LENGTH:
        raise InvalidInputError(
            f"issue_token must be a string of at least {MIN_TOKEN_LENGTH} characters, e.g. "
            "from `python -c 'import secrets; print(secrets.token_urlsafe(32))'`",
            code="invalid_option",
        )
    if not token.isascii() or not token.isprintable() or any(c.isspace() for c in token):
        raise InvalidInputError(
            "issue_token must be printable ASCII without spaces (it travels in an HTTP header)",
            code="invalid_option",
        )


def create_app(
    *,
    key: Signer | None = None,
    verify_only: bool = False,
    verification_method: str | None = None,
    issuer_id: str | None = None,
    issue_token: str | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    loader: DocumentLoader | None = None,
    allow_network: bool = False,
    keys: Mapping[str, KeyEntry] | None = None,
    trusted_issuers: Collection[str] | None = None,
    skip_status: bool = False,
    clock: Callable[[], datetime] | None = None,
    store: Store | None = None,
    public_url: str | None = None,
    status_purposes: Sequence[str] = ("revocation",),
    status_list_length: int | None = None,
    status_fetcher: Callable[[str], Any] | None = None,
    credential_lookup: CredentialLookup | None = None,
) -> Starlette:
    """Build the VC API application (an ASGI app; run it with :func:`serve` or any server).

    Besides the VC API it serves the verify page (``GET /``, see
    :mod:`mcbadge.service.web`).

    Args:
        key: The service's signing key: a :class:`~mcbadge.keys.KeyPair` or any
            :class:`~mcbadge.keys.Signer` (HSM/KMS). Ed25519 signs both formats; P-256 and
            RSA sign only VC-JWTs. Required unless ``verify_only``.
        verify_only: Serve only the verify page and the verify endpoints, without a key:
            ``/credentials/issue`` is absent (404).
        verification_method: The key's URL, written into every proof / JWT ``kid``; default
            ``key.verification_method``, else the key's ``did:key`` verification method.
        issuer_id: The issuer id credentials must carry; default the verification method
            without its fragment (the DID). Set it when the key URL is not a DID URL.
        issue_token: When set, ``/credentials/issue`` needs ``Authorization: Bearer <token>``
            (at least 16 printable ASCII characters). The verify endpoints stay open.
        max_body_bytes: Largest request body accepted (413 beyond it).
        loader: JSON-LD document loader for issuing and verifying; default the bundled
            contexts (see :func:`service_loader` to add contexts).
        allow_network: Let verification fetch over HTTPS (did:web, HTTPS keys, status lists,
            pinned schemas). Off by default: no request makes the service fetch anything.
        keys: Verification keys the service trusts, by verification method URL.
        trusted_issuers: When given, credentials verify only when issued by one of these.
        skip_status: Do not check ``credentialStatus`` (the report says it was skipped).
        clock: "now" for verification (timezone-aware); default the system clock.
        store: Where status lists and the issuance log live
            (:func:`mcbadge.store.open_store`). With a store, ``/credentials/issue`` adds a
            ``BitstringStatusListEntry`` per ``status_purposes``, ``POST
            /credentials/status`` changes statuses, and ``GET /status/{purpose}/{n}`` serves
            the signed lists; ``GET /token-status/{n}`` serves IETF Token Status List
            tokens (see :mod:`mcbadge.service.sdjwt`). Without one the service keeps no
            state. ``GET /vct/microcredential`` serves the SD-JWT VC Type Metadata.
        public_url: Where clients reach the service (``https://badges.hs.nl``); status list
            URLs derive from it. Default: the address :class:`BackgroundServer` or
            :func:`serve` binds (set it when clients come through a proxy or a name).
        status_purposes: The entries each issued credential gets: ``("revocation",)``
            (default), ``("suspension",)`` or both.
        status_list_length: Entries per status list (default and minimum for verifiers:
            131,072).
        status_fetcher: ``fetcher(url) -> document`` for status lists when verifying (a
            local mirror, or the service's own store); default none (offline).
        credential_lookup: Finds a credential this service issued by its id, for
            ``/verify?id=…`` (the issuance log); default none (that page answers 404).

    Returns:
        The Starlette application.

    Raises:
        InvalidInputError: an option is invalid (short token, bad size limit, a loader that
            may use the network while ``allow_network`` is off, a key without a
            verification method).
        McBadgeError: starlette/uvicorn are not installed (code ``service_extra_missing``).

    Example:
        >>> from mcbadge.keys import KeyPair
        >>> app = create_app(key=KeyPair.generate("Ed25519"), issue_token="s3cret-token-1234")
    """
    _require_extra()
    _check_token(issue_token)
    if not isinstance(max_body_bytes, int) or max_body_bytes < 1024:
        raise InvalidInputError(
            "max_body_bytes must be an int of at least 1024", code="invalid_option"
        )
    if loader is not None and loader.allow_network and not allow_network:
        raise InvalidInputError(
            "the loader may use the network but allow_network is False; pass "
            "allow_network=True to let the service fetch documents, or an offline loader",
            code="invalid_option",
        )
    if key is None and not verify_only:
        raise InvalidInputError(
            "the service needs a signing key to issue; pass key=, or verify_only=True for a "
            "service that only verifies (mcbadge serve --verify-only)",
            code="invalid_option",
        )
    if key is not None and verify_only:
        raise InvalidInputError(
            "verify_only=True takes no signing key: a verify-only service holds none",
            code="invalid_option",
        )
    vm = _service_vm(key, verification_method) if key is not None else None
    the_loader = loader or DocumentLoader(allow_network=allow_network)
    status = None
    if store is not None and key is not None and vm is not None:
        from mcbadge.service.status import ServiceStatus

        status = ServiceStatus(
            store,
            public_url=public_url,
            purposes=status_purposes,
            key=key,
            verification_method=vm,
            issuer_id=issuer_id or _default_issuer(vm),
            loader=the_loader,
            list_length=status_list_length,
            allow_network=allow_network,
        )
    if credential_lookup is None and store is not None:
        credential_lookup = functools.partial(_logged_credential, store)
    service = _Service(
        key=key,
        verification_method=vm,
        issuer_id=issuer_id or (_default_issuer(vm) if vm is not None else None),
        issue_token=issue_token,
        max_body_bytes=max_body_bytes,
        loader=the_loader,
        allow_network=allow_network,
        keys=keys,
        trusted_issuers=trusted_issuers,
        skip_status=skip_status,
        clock=clock,
        status=status,
        status_fetcher=status_fetcher,
    )
    routes: list[BaseRoute] = [
        Route("/health", _json_errors(service.health), methods=["GET"]),
        Route("/credentials/verify", _json_errors(service.verify_credential), methods=["POST"]),
        Route("/presentations/verify", _json_errors(service.verify_presentation), methods=["POST"]),
        Route("/credentials/status", _json_errors(service.update_status), methods=["POST"]),
        # every list the store has under the public URL: /status/{purpose}/{n}, and lists
        # imported with `mcbadge status migrate` whose URLs sit under it
        Route("/status/{rest:path}", _json_errors(service.status_list), methods=["GET"]),
    ]
    if not verify_only and key is not None and vm is not None and service.issuer_id:
        from mcbadge.service.sdjwt import sdjwt_routes

        routes.append(Route("/credentials/issue", _json_errors(service.issue), methods=["POST"]))
        routes += sdjwt_routes(
            key=key, verification_method=vm, issuer_id=service.issuer_id, store=store
        )
    routes += web_routes(
        WebConfig(
            verify=functools.partial(_page_verify, service),
            max_body_bytes=max_body_bytes,
            lookup=credential_lookup,
        )
    )
    app = Starlette(routes=routes, exception_handlers={HTTPException: _http_exception})
    app.state.issuer_id = service.issuer_id
    app.state.status = status
    return app


# --------------------------------------------------------------------------- contexts


def service_loader(
    *,
    contexts: Mapping[str, Any] | None = None,
    w3c_examples_context: bool = False,
    allow_network: bool = False,
) -> DocumentLoader:
    """Build the service's document loader: the bundled contexts plus the operator's own.

    Args:
        contexts: ``{url: context document}`` (parsed JSON with ``@context``) to serve
            offline. A URL of a bundled context cannot be replaced.
        w3c_examples_context: Also serve ``https://www.w3.org/ns/credentials/examples/v2``
            (an ``@vocab`` context; see the module docstring for why it is opt-in).
        allow_network: Let the loader fetch other contexts over HTTPS.

    Returns:
        The :class:`~mcbadge.jsonld.loader.DocumentLoader`.

    Raises:
        InvalidInputError: a context is not a JSON object with ``@context``, or it would
            replace a bundled context.

    Example:
        >>> loader = service_loader(w3c_examples_context=True)
        >>> loader.load(W3C_EXAMPLES_V2_CONTEXT_URL)["@context"]["@vocab"]
        'https://www.w3.org/ns/credentials/examples#'
    """
    extra: dict[str, Any] = {}
    if w3c_examples_context:
        extra[W3C_EXAMPLES_V2_CONTEXT_URL] = json.loads(json.dumps(_W3C_EXAMPLES_V2_CONTEXT))
    bundled = bundled_contexts()
    for url, document in (contexts or {}).items():
        if url in bundled:
            raise InvalidInputError(
                f"{url} is bundled with mcbadge and cannot be replaced", code="invalid_option"
            )
        if not isinstance(document, Mapping) or "@context" not in document:
            raise InvalidInputError(
                f"the context for {url} must be a JSON object with '@context'",
                code="invalid_option",
            )
        extra[url] = document
    return DocumentLoader(extra_documents=extra, allow_network=allow_network)


def _read_context_specs(specs: Sequence[str]) -> dict[str, Any]:
    contexts: dict[str, Any] = {}
    for spec in specs:
        url, sep, file_name = spec.partition("=")
        if not sep or not url or not file_name:
            raise InvalidInputError(
                f"--context needs URL=FILE, got {spec!r}", code="invalid_option"
            )
        try:
            contexts[url] = json.loads(Path(file_name).read_text(encoding="utf-8"))
        except OSError as exc:
            raise InvalidInputError(
                f"cannot read the context file {file_name}: {exc.strerror}",
                code="invalid_option",
            ) from exc
        except ValueError as exc:
            raise InvalidInputError(
                f"the context file {file_name} is not JSON: {exc}", code="invalid_option"
            ) from exc
    return contexts


# --------------------------------------------------------------------------- running


def _check_tls(
    certfile: str | os.PathLike[str] | None, keyfile: str | os.PathLike[str] | None
) -> None:
    if certfile is None and keyfile is None:
        return
    if certfile is None or keyfile is None:
        raise InvalidInputError(
            "HTTPS needs both a certificate (certfile) and its private key (keyfile)",
            code="invalid_option",
        )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        context.load_cert_chain(os.fspath(certfile), os.fspath(keyfile))
    except (OSError, ssl.SSLError) as exc:
        raise InvalidInputError(
            f"cannot use the TLS certificate {os.fspath(certfile)} with key "
            f"{os.fspath(keyfile)}: {exc}",
            code="tls_files_invalid",
        ) from exc


def _config(
    app: Starlette,
    *,
    host: str,
    port: int,
    certfile: str | os.PathLike[str] | None,
    keyfile: str | os.PathLike[str] | None,
    log_level: str,
) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        ssl_certfile=os.fspath(certfile) if certfile is not None else None,
        ssl_keyfile=os.fspath(keyfile) if keyfile is not None else None,
        log_level=log_level,
        lifespan="off",
        server_header=False,
        proxy_headers=False,
        timeout_keep_alive=5,
    )


def _bind_public_url(app: Starlette, url: str) -> None:
    """Give a store-backed app without a configured public URL the address it is served at."""
    status = getattr(app.state, "status", None)
    if status is not None:
        status.bind_public_url(url, only_if_unset=True)


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise McBadgeError(
            f"cannot listen on {host}:{port}: {exc.strerror}", code="service_start_failed"
        ) from exc
    sock.listen(2048)
    return sock


def _base_url(host: str, port: int, tls: bool) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"{'https' if tls else 'http'}://{shown}:{port}"


def serve(
    app: Starlette,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    certfile: str | os.PathLike[str] | None = None,
    keyfile: str | os.PathLike[str] | None = None,
    log_level: str = "info",
) -> None:
    """Run the service in the foreground until interrupted (Ctrl-C / SIGTERM).

    Args:
        app: The application from :func:`create_app`.
        host: Interface to listen on; default loopback only.
        port: TCP port.
        certfile: TLS certificate chain (PEM) to serve HTTPS; needs ``keyfile``.
        keyfile: The TLS certificate's private key (PEM). Not the signing key.
        log_level: uvicorn log level (``"info"``, ``"warning"``…).

    Raises:
        InvalidInputError: only one of certfile/keyfile, or they cannot be loaded.

    Example:
        >>> serve(create_app(key=key), port=8443,
        ...       certfile="cert.pem", keyfile="tls-key.pem")  # doctest: +SKIP
    """
    _require_extra()
    _check_tls(certfile, keyfile)
    sock = _listen(host, port)
    url = _base_url(host, int(sock.getsockname()[1]), certfile is not None)
    _bind_public_url(app, url)
    issuer = getattr(app.state, "issuer_id", None)
    what = f"VC API for issuer {issuer}" if issuer is not None else "verify-only service"
    print(f"mcbadge {what} on {url} (verify page at {url}/)", file=sys.stderr, flush=True)
    try:
        uvicorn.Server(
            _config(
                app, host=host, port=port, certfile=certfile, keyfile=keyfile, log_level=log_level
            )
        ).run(sockets=[sock])
    finally:
        sock.close()


class BackgroundServer:
    """Run the service in a background thread (tests, examples, embedding).

    The socket is bound before the thread starts, so ``port=0`` (the default) gets a free
    port from the operating system; :attr:`url` tells which.

    Args:
        app: The application from :func:`create_app`.
        host: Interface to listen on; default ``127.0.0.1``.
        port: TCP port; ``0`` lets the OS choose.
        certfile: TLS certificate chain (PEM) for HTTPS.
        keyfile: The TLS certificate's private key (PEM).
        log_level: uvicorn log level; default ``"warning"``.
        startup_timeout: Seconds to wait for the server to start.

    Raises:
        InvalidInputError: bad TLS files.

    Example:
        >>> with BackgroundServer(create_app(key=key)) as server:  # doctest: +SKIP
        ...     httpx.get(server.url + "/health")
    """

    def __init__(
        self,
        app: Starlette,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        certfile: str | os.PathLike[str] | None = None,
        keyfile: str | os.PathLike[str] | None = None,
        log_level: str = "warning",
        startup_timeout: float = 10.0,
    ) -> None:
        _require_extra()
        _check_tls(certfile, keyfile)
        self._app = app
        self._host = host
        self._port = port
        self._tls = certfile is not None
        self._startup_timeout = startup_timeout
        self._server = uvicorn.Server(
            _config(
                app, host=host, port=port, certfile=certfile, keyfile=keyfile, log_level=log_level
            )
        )
        self._socket: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._bound_port: int | None = None

    @property
    def url(self) -> str:
        """The base URL, e.g. ``http://127.0.0.1:54321`` (available after :meth:`start`).

        Raises:
            InvalidInputError: the server has not been started.

        Example:
            >>> BackgroundServer(create_app(key=key)).start()  # doctest: +SKIP
            'http://127.0.0.1:54321'
        """
        if self._bound_port is None:
            raise InvalidInputError("the server is not started", code="service_not_started")
        host = f"[{self._host}]" if ":" in self._host else self._host
        scheme = "https" if self._tls else "http"
        return f"{scheme}://{host}:{self._bound_port}"

    def start(self) -> str:
        """Bind the socket, start serving in a daemon thread, and wait until it accepts.

        Returns:
            The base URL.

        Raises:
            McBadgeError: the port cannot be bound, or the server did not start within
                ``startup_timeout`` (code ``service_start_failed``).

        Example:
            >>> server = BackgroundServer(create_app(key=key))  # doctest: +SKIP
            >>> url = server.start()  # doctest: +SKIP
            >>> server.stop()  # doctest: +SKIP
        """
        family = socket.AF_INET6 if ":" in self._host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self._host, self._port))
        except OSError as exc:
            sock.close()
            raise McBadgeError(
                f"cannot listen on {self._host}:{self._port}: {exc.strerror}",
                code="service_start_failed",
            ) from exc
        sock.listen(128)
        self._socket = sock
        self._bound_port = int(sock.getsockname()[1])
        _bind_public_url(self._app, self.url)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [sock]},
            name="mcbadge-service",
            daemon=True,
        )
        self._thread.start()
        deadline = time.monotonic() + self._startup_timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise McBadgeError(
                    "the mcbadge service did not start; see the log", code="service_start_failed"
                )
            time.sleep(0.01)
        return self.url

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the server to finish its requests and stop; wait for the thread.

        Args:
            timeout: Seconds to wait for the thread (then it is forced to exit).

        Raises:
            Nothing: stopping a server that never started is a no-op.

        Example:
            >>> server.stop()  # doctest: +SKIP
        """
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                self._server.force_exit = True
                self._thread.join(timeout)
        if self._socket is not None:
            self._socket.close()
            self._socket = None

    def __enter__(self) -> BackgroundServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


# --------------------------------------------------------------------------- command line


def build_parser_serve(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``serve`` subcommand to an ``argparse`` subparsers object.

    Args:
        subparsers: What ``parser.add_subparsers()`` returned.

    Returns:
        The ``serve`` parser.

    Raises:
        argparse.ArgumentError: a ``serve`` subcommand is already registered.

    Example:
        >>> import argparse
        >>> parser = argparse.ArgumentParser(prog="mcbadge")
        >>> _ = build_parser_serve(parser.add_subparsers(dest="command"))
        >>> parser.parse_args(["serve", "--key", "k.pem"]).port
        8000
    """
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "serve",
        help="run the W3C VC API service (issue / verify over HTTP)",
        description=(
            "Serve the W3C VC API: POST /credentials/issue, /credentials/verify, "
            "/presentations/verify, GET /health. Listens on 127.0.0.1 unless --host says "
            "otherwise; verification is offline unless --allow-network. The issue token is "
            "read from --token-file or $MCBADGE_SERVICE_TOKEN; the signing key's PEM password "
            "from $MCBADGE_KEY_PASSWORD."
        ),
    )
    parser.add_argument(
        "--key",
        type=Path,
        metavar="FILE",
        help="the signing key (PEM or private JWK); credentials must name its DID as issuer "
        "(required unless --verify-only)",
    )
    parser.add_argument(
        "--verify-only",
        action="store_true",
        help="serve only the verify page and the verify endpoints; needs no signing key "
        "(/credentials/issue is absent)",
    )
    parser.add_argument(
        "--verification-method",
        metavar="URL",
        help="the key's URL for proofs (default: the key's did:key), e.g. did:web:hs.nl#key-1",
    )
    parser.add_argument(
        "--issuer", metavar="ID", help="the issuer id credentials must carry (default: the DID)"
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="TCP port (default 8000)")
    parser.add_argument(
        "--certfile", type=Path, metavar="PEM", help="TLS certificate chain: serve HTTPS"
    )
    parser.add_argument(
        "--keyfile",
        type=Path,
        metavar="PEM",
        help="the TLS certificate's private key (not the signing key)",
    )
    parser.add_argument(
        "--token-file",
        type=Path,
        metavar="FILE",
        help="require 'Authorization: Bearer <token>' on /credentials/issue; the file holds "
        "the token (or set $MCBADGE_SERVICE_TOKEN)",
    )
    parser.add_argument(
        "--insecure-no-auth",
        action="store_true",
        help="allow an unauthenticated issue endpoint on a non-loopback --host",
    )
    parser.add_argument(
        "--max-body-bytes",
        type=int,
        default=DEFAULT_MAX_BODY_BYTES,
        metavar="N",
        help=f"largest request body (default {DEFAULT_MAX_BODY_BYTES})",
    )
    parser.add_argument(
        "--context",
        action="append",
        default=[],
        metavar="URL=FILE",
        help="serve the JSON-LD context in FILE for URL, offline (repeatable)",
    )
    parser.add_argument(
        "--w3c-examples-context",
        action="store_true",
        help=f"know {W3C_EXAMPLES_V2_CONTEXT_URL} (for the W3C conformance suites)",
    )
    parser.add_argument(
        "--allow-network",
        action="store_true",
        help="let verification fetch over HTTPS (did:web, keys, status lists, contexts)",
    )
    parser.add_argument(
        "--skip-status", action="store_true", help="do not check credentialStatus when verifying"
    )
    parser.add_argument(
        "--trusted-issuer",
        action="append",
        default=None,
        metavar="ID",
        help="verify only credentials from this issuer (repeatable)",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help="keep status lists and the issuance log in DIR (SQLite: DIR/mcbadge.sqlite3); "
        "turns on credentialStatus, POST /credentials/status and the hosted lists",
    )
    parser.add_argument(
        "--database",
        metavar="URL",
        help="keep them in this database instead (postgresql://user@host/db for several "
        "instances; $MCBADGE_DATABASE_URL also works)",
    )
    parser.add_argument(
        "--public-url",
        metavar="URL",
        help="where clients reach this service (https://badges.hs.nl); status list URLs and "
        "verification links derive from it (default http://HOST:PORT)",
    )
    parser.add_argument(
        "--status",
        default="revocation",
        metavar="PURPOSES",
        help="the status entries /credentials/issue adds with a store: revocation, "
        "suspension or revocation,suspension (default revocation)",
    )
    parser.add_argument(
        "--log-level",
        default="info",
        choices=["critical", "error", "warning", "info", "debug"],
        help="server log level (default info)",
    )
    return parser


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _load_signing_key(path: Path) -> KeyPair:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInputError(
            f"cannot read the key file {path}: {exc.strerror}", code="key_file_unreadable"
        ) from exc
    if data.lstrip().startswith(b"{"):
        try:
            jwk = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise KeyFormatError(f"the key file {path} is not a JSON JWK: {exc}") from exc
        return KeyPair.from_jwk(jwk)
    return KeyPair.from_pem(data, os.environ.get("MCBADGE_KEY_PASSWORD"))


def _read_token(path: Path | None) -> str | None:
    if path is not None:
        try:
            return path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise InvalidInputError(
                f"cannot read the token file {path}: {exc.strerror}", code="invalid_option"
            ) from exc
    token = os.environ.get("MCBADGE_SERVICE_TOKEN")
    return token.strip() if token else None


def app_from_args(args: argparse.Namespace) -> Starlette:
    """Build the application from parsed ``serve`` arguments (without running it).

    Args:
        args: What the ``serve`` parser returned.

    Returns:
        The application.

    Raises:
        InvalidInputError: unreadable files, a non-loopback host without a token (and
            without ``--insecure-no-auth``), or invalid options.
        KeyFormatError: the signing key cannot be read.

    Example:
        >>> app = app_from_args(parser.parse_args(["serve", "--key", "k.pem"]))  # doctest: +SKIP
    """
    verify_only = bool(getattr(args, "verify_only", False))
    if verify_only and args.key is not None:
        raise InvalidInputError(
            "--verify-only takes no --key: a verify-only service holds no signing key",
            code="invalid_option",
        )
    if not verify_only and args.key is None:
        raise InvalidInputError(
            "give the signing key (--key FILE), or --verify-only for a service that only verifies",
            code="invalid_option",
        )
    token = _read_token(args.token_file)
    if (
        token is None
        and not verify_only
        and not _is_loopback(args.host)
        and not args.insecure_no_auth
    ):
        raise InvalidInputError(
            f"refusing to serve an unauthenticated issue endpoint on {args.host}: anyone who "
            "can reach it could issue credentials in your name. Give a token with "
            "--token-file or $MCBADGE_SERVICE_TOKEN, or pass --insecure-no-auth.",
            code="invalid_option",
        )
    loader = service_loader(
        contexts=_read_context_specs(args.context),
        w3c_examples_context=args.w3c_examples_context,
        allow_network=args.allow_network,
    )
    store, public_url, purposes = _store_from_args(args)
    return create_app(
        key=_load_signing_key(args.key) if args.key is not None else None,
        verify_only=verify_only,
        verification_method=args.verification_method,
        issuer_id=args.issuer,
        issue_token=token,
        max_body_bytes=args.max_body_bytes,
        loader=loader,
        allow_network=args.allow_network,
        trusted_issuers=args.trusted_issuer,
        skip_status=args.skip_status,
        store=store,
        public_url=public_url,
        status_purposes=purposes,
    )


def _store_from_args(
    args: argparse.Namespace,
) -> tuple[Store | None, str | None, tuple[str, ...]]:
    """The store, public URL and status purposes that ``serve``'s options ask for."""
    from mcbadge.service.status import parse_purposes

    purposes = parse_purposes(getattr(args, "status", "revocation") or "revocation")
    database = getattr(args, "database", None) or os.environ.get("MCBADGE_DATABASE_URL")
    data_dir = getattr(args, "data_dir", None)
    public_url = getattr(args, "public_url", None)
    if database is None and data_dir is None:
        if public_url is not None:
            raise InvalidInputError(
                "--public-url is for the status lists: give --data-dir DIR or --database URL "
                "as well",
                code="invalid_option",
            )
        return None, None, purposes
    from mcbadge.store import open_store

    return open_store(database, data_dir=data_dir), public_url, purposes


def run_serve(args: argparse.Namespace) -> int:
    """Run ``mcbadge serve`` with parsed arguments; returns the exit code when stopped.

    Args:
        args: What the ``serve`` parser returned.

    Returns:
        ``0`` after a clean shutdown.

    Raises:
        McBadgeError: the service cannot be set up (see :func:`app_from_args`).

    Example:
        >>> run_serve(parser.parse_args(["serve", "--key", "k.pem"]))  # doctest: +SKIP
    """
    app = app_from_args(args)
    serve(
        app,
        host=args.host,
        port=args.port,
        certfile=args.certfile,
        keyfile=args.keyfile,
        log_level=args.log_level,
    )
    return 0


def main_serve(argv: Sequence[str] | None = None) -> int:
    """``mcbadge serve`` as a stand-alone program; returns the exit code (0, or 2 on errors).

    Args:
        argv: The arguments after ``serve`` (default ``sys.argv[1:]``).

    Returns:
        The exit code.

    Raises:
        SystemExit: for ``--help`` and usage errors (from argparse).

    Example:
        >>> main_serve(["--key", "issuer.pem", "--port", "8443"])  # doctest: +SKIP
    """
    parser = argparse.ArgumentParser(prog="mcbadge")
    sub = parser.add_subparsers(dest="command", required=True)
    build_parser_serve(sub)
    args = parser.parse_args(["serve", *(sys.argv[1:] if argv is None else argv)])
    try:
        return run_serve(args)
    except McBadgeError as exc:
        print(f"mcbadge: error [{exc.code}]: {exc.message}", file=sys.stderr)
        return 2
