"""The W3C VC API endpoints: ``/credentials/issue``, ``/credentials/verify``,
``/presentations/verify``, ``/credentials/status``, the hosted status lists and ``/health``,
as methods of one service object.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Callable, Collection, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final, Literal, cast

from mcbadge._internal.version import VERSION as __version__
from mcbadge.errors import (
    DocumentLoaderError,
    NetworkNotAllowedError,
    SigningError,
)
from mcbadge.jsonld.loader import DocumentLoader
from mcbadge.jsonld.urls import DATA_INTEGRITY_V2_CONTEXT_URL, VC_V1_CONTEXT_URL, VC_V2_CONTEXT_URL
from mcbadge.keys import Signer
from mcbadge.net import NetworkPolicy

try:  # the service needs the optional extra: pip install "mcbadge[service]"
    from starlette.concurrency import run_in_threadpool
    from starlette.exceptions import HTTPException
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
except ImportError as _exc:  # pragma: no cover - exercised only without the extra
    _IMPORT_ERROR: ImportError | None = _exc
else:
    _IMPORT_ERROR = None
from mcbadge.service.errors import _error_response, _HttpError
from mcbadge.service.limits import _CLOSE
from mcbadge.service.requests import (
    _check_json_content_type,
    _check_option_names,
    _checks_option,
    _object_members,
    _parse_json,
    _string_option,
)

if TYPE_CHECKING:
    from mcbadge.report import VerificationReport
    from mcbadge.service.status import ServiceStatus
    from mcbadge.store import Store
    from mcbadge.verify import KeyEntry

_ENVELOPED_JWT_PREFIXES: Final = ("data:application/vc+jwt,", "data:application/vc-ld+jwt,")
_COMPACT_JWS: Final = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_ISSUE_OPTIONS: Final = ("cryptosuite", "format", "created")
_CREDENTIAL_VERIFY_OPTIONS: Final = ("checks", "expectedRecipient")
_PRESENTATION_VERIFY_OPTIONS: Final = ("challenge", "domain", "checks", "expectedRecipient")
_CRYPTOSUITES: Final = ("eddsa-rdfc-2022", "eddsa-jcs-2022")
_FORMATS: Final = ("di", "jwt")


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
        network: NetworkPolicy | None = None,
    ) -> None:
        self.status = status
        self.network = network
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
            "network": self.network,
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
