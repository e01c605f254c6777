"""The service's OpenID4VCI issuer: metadata, ``/token``, ``/nonce``, ``/credential``, offers.

Mounted by :func:`mcbadge.service.create_app` when the service has a signing key and a store
(``mcbadge serve --data-dir`` / ``--database``). The credential issuer identifier is the
service's public URL (``--public-url``).

=============================================  ===============================================
endpoint                                       what it does
=============================================  ===============================================
``GET /.well-known/openid-credential-issuer``  Credential Issuer Metadata (OID4VCI 1.0 §12.2)
``GET /.well-known/oauth-authorization-server`` Authorization Server Metadata (RFC 8414)
``POST /offers``                               an SIS makes an offer (bearer token of issuing):
                                               ``{"credential", "formats"?, "tx_code"?,
                                               "expires_in"?}`` → 201 ``{"uri", "expires",
                                               "tx_code"?, "offer_id"}``
``POST /token``                                pre-authorized code (+ ``tx_code``) → access
                                               token (Bearer), once per code
``POST /nonce``                                a fresh ``c_nonce`` (single use)
``POST /credential``                           a JWT proof of possession → the credential,
                                               bound to the wallet's key
=============================================  ===============================================

Errors of the OAuth endpoints are OAuth error responses (``{"error", "error_description"}``:
``invalid_request``, ``invalid_grant``, ``unsupported_grant_type``, ``invalid_token`` (401 with
``WWW-Authenticate``), ``invalid_proof``, ``invalid_nonce``, ``invalid_credential_request``,
``unknown_credential_configuration``, ``unsupported_credential_format``,
``credential_request_denied``); ``POST /offers`` answers mcbadge errors
(``{"error": {"code", "message", "details"}}``) like the rest of the VC API.

The credential endpoint answers in the generation the request speaks: an OpenID4VCI 1.0
request (``credential_configuration_id`` + ``proofs``) gets ``{"credentials": [{"credential"}]}``;
a draft 11–14 request (``format`` …, or a single ``proof``) gets ``{"credential", "c_nonce",
"c_nonce_expires_in"}``.

HTTPS: the endpoints answer only when the public URL is ``https://`` or names a loopback host
(``127.0.0.1``, ``::1``, ``localhost``: tests and a wallet on the same machine); otherwise they
answer 404 ``oid4vci_https_required``.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mcbadge.errors import InvalidInputError, McBadgeError, Oid4vciError, StoreError
from mcbadge.oid4vci.configurations import (
    PRE_AUTHORIZED_GRANT,
    authorization_server_metadata,
    configuration_for_request,
    credential_issuer_metadata,
    https_or_loopback,
)
from mcbadge.oid4vci.offers import create_offer
from mcbadge.oid4vci.proof import ProofOfPossession, check_jwt_proof, check_subject_binding
from mcbadge.proofs.sdjwt_vc import DEFAULT_VCT_SUFFIX
from mcbadge.service.errors import _error_response, _HttpError
from mcbadge.service.requests import _media_type
from mcbadge.store import IssuanceRecord
from mcbadge.store.oid4vci import OfferRecord, secret_digest, store_time

if TYPE_CHECKING:
    from mcbadge.service.status import ServiceStatus
    from mcbadge.service.vcapi import _Service
    from mcbadge.store import Store

__all__ = ["ACCESS_TOKEN_TTL", "NONCE_TTL", "oid4vci_routes"]

logger = logging.getLogger("mcbadge.service.oid4vci")

ACCESS_TOKEN_TTL: Final = timedelta(minutes=5)
"""How long an access token lives: plain Bearer tokens (not sender-constrained) may not be
long-lived, and OpenID4VCI 1.0 §13 counts anything over 5 minutes as long-lived."""
NONCE_TTL: Final = timedelta(minutes=5)
_NO_STORE: Final = {"Cache-Control": "no-store", "Pragma": "no-cache"}  # RFC 6749 §5.1
_OFFER_MEMBERS: Final = frozenset({"credential", "formats", "tx_code", "expires_in"})
_TOKEN_PARAMS: Final = frozenset(
    {
        "grant_type",
        "pre-authorized_code",
        "tx_code",
        "user_pin",
        "client_id",
        "authorization_details",
        "resource",
    }
)

# store refusals → (OAuth error, HTTP status)
_STORE_OAUTH: Final = {
    "offer_not_found": ("invalid_grant", 400),
    "offer_redeemed": ("invalid_grant", 400),
    "offer_expired": ("invalid_grant", 400),
    "tx_code_invalid": ("invalid_grant", 400),
    "tx_code_required": ("invalid_request", 400),
    "tx_code_unexpected": ("invalid_request", 400),
    "access_token_unknown": ("invalid_token", 401),
    "access_token_expired": ("invalid_token", 401),
    "nonce_unknown": ("invalid_nonce", 400),
    "nonce_used": ("invalid_nonce", 400),
    "nonce_expired": ("invalid_nonce", 400),
}

Endpoint = Callable[[Request], Awaitable[Response]]


# RFC 6750 §3.1: a request with no authentication information at all (or only another
# scheme's) gets a bare challenge, without an error code
_NO_CREDENTIALS: Final = frozenset({"access_token_missing", "access_token_scheme"})


def _description(text: str) -> str:
    """``text`` as an ``error_description`` may be: ASCII without ``"`` and ``\\`` (RFC 6749
    §5.2, OpenID4VCI 1.0 §8.3.1.2), even where it echoes what the request sent."""
    text = text.replace('"', "'").replace("\\", "/")
    return "".join(char if " " <= char <= "~" else "?" for char in text)


def _oauth_error(
    status: int, error: str, description: str, *, reason: str | None = None, **extra: Any
) -> Response:
    body: dict[str, Any] = {"error": error, "error_description": _description(description)}
    if reason is not None:
        body["mcbadge_reason"] = reason
    body.update(extra)
    headers = dict(_NO_STORE)
    if status == 401:
        challenge = 'Bearer realm="mcbadge"'
        if reason not in _NO_CREDENTIALS:
            challenge += f', error="{error}"'
        headers["WWW-Authenticate"] = challenge
    return JSONResponse(body, status_code=status, headers=headers)


def _oauth_errors(endpoint: Endpoint, *, malformed: str = "invalid_request") -> Endpoint:
    """Every failure of an OAuth endpoint as an OAuth error response (never a traceback).

    ``malformed`` is the error for a body that cannot be read (not the media type, not JSON,
    too large): ``invalid_request`` at the token endpoint (RFC 6749 §5.2), and
    ``invalid_credential_request`` at the credential endpoint (OpenID4VCI 1.0 §8.3.1.2).
    """

    async def wrapped(request: Request) -> Response:
        try:
            return await endpoint(request)
        except _HttpError as exc:
            if exc.code == "https_required":
                return _error_response(exc.status, exc.code, exc.message)
            error = "invalid_token" if exc.status == 401 else malformed
            return _oauth_error(exc.status, error, exc.message, reason=exc.code)
        except Oid4vciError as exc:
            status = int(exc.details.get("status", 400))
            return _oauth_error(status, exc.code, exc.message, reason=exc.details.get("reason"))
        except StoreError as exc:
            mapped = _STORE_OAUTH.get(exc.code)
            if mapped is None:
                logger.error("store failure: %s (%s)", exc.message, exc.code)
                return _oauth_error(503, "temporarily_unavailable", "the store is not available")
            return _oauth_error(mapped[1], mapped[0], exc.message, reason=exc.code)
        except McBadgeError as exc:
            logger.error("OpenID4VCI request failed: %s (%s)", exc.message, exc.code)
            return _oauth_error(
                500, "server_error", f"the issuer failed: {exc.code}", reason=exc.code
            )
        except Exception:
            logger.exception("unexpected error while answering %s", request.url.path)
            return _oauth_error(500, "server_error", "the issuer failed unexpectedly; see its log")

    return wrapped


def _asked_configurations(raw: str | None, issuer: str) -> list[str] | None:
    """The configuration ids a token request's ``authorization_details`` (RFC 9396, OpenID4VCI
    1.0 §5.1.1) asks for; ``None`` when it has none.

    Raises:
        Oid4vciError: ``invalid_request`` when it is not a JSON array of ``openid_credential``
            objects naming a ``credential_configuration_id``, or names other ``locations``.
    """
    if raw is None:
        return None
    from mcbadge._internal.jsontext import JsonTextError, loads_strict

    def refuse(why: str) -> Oid4vciError:
        return Oid4vciError(
            f"authorization_details {why}",
            code="invalid_request",
            reason="authorization_details_invalid",
            status=400,
        )

    try:
        details = loads_strict(raw)
    except JsonTextError as exc:
        raise refuse("is not JSON") from exc
    if not isinstance(details, list) or not details:
        raise refuse("must be a non-empty JSON array")
    asked: list[str] = []
    for entry in details:
        if not isinstance(entry, dict) or entry.get("type") != "openid_credential":
            raise refuse("must hold objects of type openid_credential")
        config_id = entry.get("credential_configuration_id")
        if not isinstance(config_id, str):
            raise refuse("entries must name a credential_configuration_id")
        locations = entry.get("locations")
        if locations is not None and (
            not isinstance(locations, list)
            or issuer.rstrip("/") not in [str(loc).rstrip("/") for loc in locations]
        ):
            raise refuse(f"entries must be for this credential issuer ({issuer}) in locations")
        if config_id not in asked:
            asked.append(config_id)
    return asked


class _Issuer:
    """The OpenID4VCI endpoints over the VC API service's key, status lists and store."""

    def __init__(self, service: _Service, status: ServiceStatus, store: Store) -> None:
        self.service = service
        self.status = status
        self.store = store

    # ---- helpers

    def now(self) -> datetime:
        clock = self.service.clock
        return clock() if clock is not None else datetime.now(UTC)

    def issuer(self) -> str:
        public = self.status.public_url
        if not https_or_loopback(public):
            raise _HttpError(
                404,
                "https_required",
                f"OpenID4VCI needs an https:// public URL (this service's is {public}); start "
                "mcbadge serve with --public-url https://…",
            )
        return public

    def key_algorithm(self) -> str:
        key = self.service.key
        assert key is not None  # noqa: S101 - routes exist only with a key
        return key.algorithm

    async def _form(self, request: Request) -> dict[str, str]:
        from mcbadge.service.vcapi import _read_body

        if _media_type(request) != "application/x-www-form-urlencoded":
            raise Oid4vciError(
                "the token request must be application/x-www-form-urlencoded",
                code="invalid_request",
                status=400,
            )
        raw = await _read_body(request, self.service.max_body_bytes)
        try:
            pairs = parse_qsl(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(raw))
        except (UnicodeDecodeError, ValueError) as exc:
            raise Oid4vciError(
                "the token request body is not a form", code="invalid_request", status=400
            ) from exc
        form: dict[str, str] = {}
        for name, value in pairs:
            if name in form:
                raise Oid4vciError(
                    f"the parameter {name!r} is given twice", code="invalid_request", status=400
                )
            form[name] = value
        return form

    # ---- metadata

    async def issuer_metadata(self, request: Request) -> Response:
        body = credential_issuer_metadata(self.issuer(), key_algorithm=self.key_algorithm())
        return JSONResponse(body, headers={"Cache-Control": "public, max-age=300"})

    async def authorization_server(self, request: Request) -> Response:
        body = authorization_server_metadata(self.issuer())
        return JSONResponse(body, headers={"Cache-Control": "public, max-age=300"})

    # ---- offers (the SIS)

    async def offers(self, request: Request) -> Response:
        self.service.authorize(request)
        issuer = self.issuer()
        body = await self.service.read_json(request)
        if not isinstance(body, dict):
            raise _HttpError(400, "offer_invalid", "the request body must be a JSON object")
        unknown = sorted(set(body) - _OFFER_MEMBERS)
        if unknown:
            raise _HttpError(
                400,
                "unknown_member",
                f"unknown member(s) {', '.join(map(repr, unknown))}; POST /offers takes "
                "credential, formats, tx_code and expires_in",
            )
        if "credential" not in body:
            raise _HttpError(400, "offer_invalid", "the request needs a 'credential'")
        tx_code = body.get("tx_code", False)
        if not isinstance(tx_code, bool):
            raise _HttpError(400, "offer_invalid", "tx_code must be true or false")
        expires_in = body.get("expires_in", None)
        if expires_in is not None and (
            isinstance(expires_in, bool) or not isinstance(expires_in, int)
        ):
            raise _HttpError(400, "offer_invalid", "expires_in must be a number of seconds")
        service = self.service
        kwargs: dict[str, Any] = {}
        if expires_in is not None:
            kwargs["expires_in"] = timedelta(seconds=max(0, min(expires_in, 10**9)))

        def make() -> dict[str, Any]:
            assert service.key is not None  # noqa: S101 - routes exist only with a key
            offer = create_offer(
                self.store,
                body["credential"],
                credential_issuer=issuer,
                formats=body.get("formats"),
                tx_code=tx_code,
                key=service.key,
                verification_method=service.verification_method,
                issuer_id=service.issuer_id,
                loader=service.loader,
                clock=self.now,
                **kwargs,
            )
            return {**offer.to_dict(), "offer_id": offer.offer_id}

        try:
            answer = await run_in_threadpool(make)
        except Oid4vciError as exc:
            raise _HttpError(
                400,
                exc.code,
                exc.message,
                details={k: v for k, v in exc.details.items() if k != "status"},
            ) from exc
        return JSONResponse(answer, status_code=201, headers=_NO_STORE)

    # ---- the OAuth token endpoint

    async def token(self, request: Request) -> Response:
        self.issuer()
        form = await self._form(request)
        grant_type = form.get("grant_type")
        if grant_type is None:
            raise Oid4vciError("grant_type is missing", code="invalid_request", status=400)
        if grant_type != PRE_AUTHORIZED_GRANT:
            raise Oid4vciError(
                f"this issuer takes only the pre-authorized code grant ({PRE_AUTHORIZED_GRANT})",
                code="unsupported_grant_type",
                status=400,
            )
        code = form.get("pre-authorized_code")
        if not code:
            raise Oid4vciError("pre-authorized_code is missing", code="invalid_request", status=400)
        # draft 11 wallets send the transaction code as user_pin
        pin = form.get("tx_code", form.get("user_pin"))
        # read before the code is spent, so that a malformed request leaves it redeemable
        asked = _asked_configurations(form.get("authorization_details"), self.issuer())
        now = self.now()
        stamp = store_time(now)
        store = self.store

        def redeem() -> tuple[OfferRecord, str, str]:
            offer = store.offer_redeem(
                secret_digest(code),
                tx_code_hash=None if pin is None else secret_digest(pin),
                now=stamp,
            )
            token = secrets.token_urlsafe(32)
            store.access_token_create(
                secret_digest(token),
                offer_id=offer.offer_id,
                now=stamp,
                expires=store_time(now + ACCESS_TOKEN_TTL),
            )
            nonce = self._new_nonce(now)
            return offer, token, nonce

        offer, token, nonce = await run_in_threadpool(redeem)
        body: dict[str, Any] = {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": int(ACCESS_TOKEN_TTL.total_seconds()),
            # drafts before 14 carried the first c_nonce here; 1.0 wallets use /nonce
            "c_nonce": nonce,
            "c_nonce_expires_in": int(NONCE_TTL.total_seconds()),
        }
        if asked is not None:
            # OpenID4VCI 1.0 §6.2: required when the wallet asked with authorization_details,
            # each with a non-empty credential_identifiers (a configuration's identifier is
            # its id); what the offer does not hold is not granted (RFC 9396 §6.1)
            granted = [c for c in asked if c in offer.configurations] or list(offer.configurations)
            body["authorization_details"] = [
                {
                    "type": "openid_credential",
                    "credential_configuration_id": config_id,
                    "credential_identifiers": [config_id],
                }
                for config_id in granted
            ]
        return JSONResponse(body, headers=_NO_STORE)

    def _new_nonce(self, now: datetime) -> str:
        nonce = secrets.token_urlsafe(24)
        self.store.nonce_create(
            secret_digest(nonce), now=store_time(now), expires=store_time(now + NONCE_TTL)
        )
        return nonce

    # ---- nonce

    async def nonce(self, request: Request) -> Response:
        self.issuer()
        nonce = await run_in_threadpool(self._new_nonce, self.now())
        return JSONResponse(
            {"c_nonce": nonce, "c_nonce_expires_in": int(NONCE_TTL.total_seconds())},
            headers=_NO_STORE,
        )

    # ---- credential

    def _bearer(self, request: Request) -> str:
        header = request.headers.get("authorization")
        if header is None:
            raise Oid4vciError(
                "the credential endpoint needs the access token: Authorization: Bearer <token>",
                code="invalid_token",
                reason="access_token_missing",
                status=401,
            )
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise Oid4vciError(
                "this issuer takes Bearer access tokens (no DPoP)",
                code="invalid_token",
                reason="access_token_scheme",
                status=401,
            )
        return value.strip()

    @staticmethod
    def _proof_jwt(body: dict[str, Any]) -> tuple[str, bool]:
        """The proof JWT and whether it came as a draft-style single ``proof``."""
        if "proof" in body and "proofs" in body:
            raise Oid4vciError(
                "a credential request has 'proof' or 'proofs', not both",
                code="invalid_credential_request",
                status=400,
            )
        if "proofs" in body:
            proofs = body["proofs"]
            jwts = proofs.get("jwt") if isinstance(proofs, dict) else None
            if not isinstance(proofs, dict) or set(proofs) != {"jwt"} or not isinstance(jwts, list):
                raise Oid4vciError(
                    "proofs must be {'jwt': [<proof JWT>]} (this issuer takes JWT proofs)",
                    code="invalid_proof",
                    reason="proof_type_unsupported",
                    status=400,
                )
            if len(jwts) != 1:
                raise Oid4vciError(
                    "this issuer issues one credential per request: send exactly one proof",
                    code="invalid_proof",
                    reason="proof_count",
                    status=400,
                )
            if not isinstance(jwts[0], str):
                raise Oid4vciError(
                    "a JWT proof must be a string",
                    code="invalid_proof",
                    reason="proof_malformed",
                    status=400,
                )
            return jwts[0], False
        proof = body.get("proof")
        if not isinstance(proof, dict):
            raise Oid4vciError(
                "the credential request needs a proof of possession of the wallet's key",
                code="invalid_proof",
                reason="proof_missing",
                status=400,
            )
        if proof.get("proof_type") != "jwt":
            raise Oid4vciError(
                "this issuer takes JWT proofs (proof_type 'jwt')",
                code="invalid_proof",
                reason="proof_type_unsupported",
                status=400,
            )
        jwt = proof.get("jwt")
        if not isinstance(jwt, str):
            raise Oid4vciError(
                "the proof has no 'jwt'", code="invalid_proof", reason="proof_missing", status=400
            )
        return jwt, True

    async def credential(self, request: Request) -> Response:
        issuer = self.issuer()
        token = self._bearer(request)
        body = await self.service.read_json(request)
        if not isinstance(body, dict):
            raise Oid4vciError(
                "the credential request must be a JSON object",
                code="invalid_credential_request",
                status=400,
            )
        if "credential_response_encryption" in body:
            # §8.3: asked for, an encrypted answer is a must; this issuer encrypts none (and
            # says so by advertising no credential_response_encryption): never answer in clear
            raise Oid4vciError(
                "this issuer does not encrypt credential responses; ask without "
                "credential_response_encryption",
                code="invalid_encryption_parameters",
                status=400,
            )
        now = self.now()
        stamp = store_time(now)
        store = self.store
        offer = await run_in_threadpool(store.access_token_offer, secret_digest(token), now=stamp)
        config_id, draft_request = configuration_for_request(
            body, offer.configurations, vct=issuer + DEFAULT_VCT_SUFFIX
        )
        jwt, draft_proof = self._proof_jwt(body)
        draft = draft_request or draft_proof
        proof = check_jwt_proof(jwt, audience=issuer, now=now)
        check_subject_binding(offer.credential, proof)
        await run_in_threadpool(store.nonce_use, secret_digest(proof.nonce), now=stamp)
        delivered = await run_in_threadpool(
            store.offer_deliver, offer.offer_id, config_id, now=stamp
        )
        if not delivered:
            raise Oid4vciError(
                f"this offer's {config_id} credential was already delivered",
                code="credential_request_denied",
                reason="already_delivered",
                status=400,
            )
        try:
            credential = await run_in_threadpool(self._make, offer, config_id, proof, issuer)
        except BaseException:
            await run_in_threadpool(store.offer_undeliver, offer.offer_id, config_id)
            raise
        if draft:
            nonce = await run_in_threadpool(self._new_nonce, now)
            answer: dict[str, Any] = {
                "credential": credential,
                "c_nonce": nonce,
                "c_nonce_expires_in": int(NONCE_TTL.total_seconds()),
            }
            fmt = body.get("format")
            if isinstance(fmt, str):
                answer["format"] = fmt
        else:
            answer = {"credentials": [{"credential": credential}]}
        return JSONResponse(answer, headers=_NO_STORE)

    def _make(
        self, offer: OfferRecord, config_id: str, proof: ProofOfPossession, issuer: str
    ) -> dict[str, Any] | str:
        """Allocate a status entry, sign the offer's credential bound to the wallet key, log it."""
        from mcbadge.oid4vci.configurations import CONFIGURATION_IDS

        document: dict[str, Any] = json.loads(json.dumps(offer.credential))
        if config_id == CONFIGURATION_IDS["dc+sd-jwt"]:
            return self._make_sd_jwt(document, proof, issuer)
        subject = document.get("credentialSubject")
        target = subject[0] if isinstance(subject, list) and subject else subject
        if not isinstance(target, dict):
            raise InvalidInputError(
                "the offered credential has no subject", code="credential_malformed"
            )
        target["id"] = check_subject_binding(document, proof) or proof.holder_did
        fmt: Any = "di" if config_id == CONFIGURATION_IDS["ldp_vc"] else "jwt"
        service = self.service
        issuance_id, with_status = self.status.allocate(document)
        signed = service._sign(with_status, fmt, "eddsa-rdfc-2022", None)
        if fmt == "jwt":
            token = str(signed["id"]).split(",", 1)[1]
            self.status.record(issuance_id, with_status, token, "jwt")
            return token
        self.status.record(issuance_id, with_status, signed, "di")
        return signed

    def _make_sd_jwt(self, document: dict[str, Any], proof: ProofOfPossession, issuer: str) -> str:
        import uuid

        from mcbadge.issue import issue
        from mcbadge.proofs.sdjwt_vc import DEFAULT_VCT_SUFFIX
        from mcbadge.service.sdjwt import token_status_uri
        from mcbadge.status.token_list import StatusReference

        service = self.service
        assert service.key is not None  # noqa: S101 - routes exist only with a key
        credential_id = document.get("id") if isinstance(document.get("id"), str) else None
        uri = token_status_uri(issuer, 1)
        idx = self.store.token_status_allocate(
            uri, size=131_072, bits=2, credential_id=credential_id
        )
        token = issue(
            document,
            service.key,
            format="sd-jwt",
            verification_method=service.verification_method,
            holder_key=proof.jwk,
            status=StatusReference(idx, uri).to_claim(),
            vct=issuer + DEFAULT_VCT_SUFFIX,
        )
        self.store.record_issuance(
            IssuanceRecord(
                issuance_id=str(uuid.uuid4()),
                credential_id=credential_id,
                subject=None,
                issued_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                key_id=service.verification_method or "",
                format="sd-jwt",
                credential=token,
            )
        )
        return token


def oid4vci_routes(service: _Service, status: ServiceStatus, store: Store) -> list[Route]:
    """The OpenID4VCI routes of a service with a key and a store (see the module docs).

    Args:
        service: The VC API service (key, token, limits, clock).
        status: Its status lists (public URL, allocation, the issuance log).
        store: The store with offers, tokens and nonces.

    Returns:
        The Starlette routes.
    """
    from mcbadge.service.errors import _json_errors

    issuer = _Issuer(service, status, store)
    return [
        Route(
            "/.well-known/openid-credential-issuer",
            _json_errors(issuer.issuer_metadata),
            methods=["GET"],
        ),
        Route(
            "/.well-known/oauth-authorization-server",
            _json_errors(issuer.authorization_server),
            methods=["GET"],
        ),
        Route("/offers", _json_errors(issuer.offers), methods=["POST"]),
        Route("/token", _oauth_errors(issuer.token), methods=["POST"]),
        Route("/nonce", _oauth_errors(issuer.nonce), methods=["POST"]),
        Route(
            "/credential",
            _oauth_errors(issuer.credential, malformed="invalid_credential_request"),
            methods=["POST"],
        ),
    ]
