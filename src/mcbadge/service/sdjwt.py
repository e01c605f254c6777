"""The service's SD-JWT VC routes: ``vct`` Type Metadata and IETF Token Status List tokens.

* ``GET /vct/microcredential`` (the default ``vct`` of credentials the service issues, at
  ``<public URL>/vct/microcredential``) and ``GET /.well-known/vct/vct/microcredential`` (the
  path drafts 05–08 of SD-JWT VC derive) answer the Type Metadata document
  (:func:`mcbadge.proofs.sdjwt_vc.type_metadata`).
* ``GET /.well-known/jwt-vc-issuer`` answers the JWT VC Issuer Metadata (SD-JWT VC §5):
  ``{"issuer": <public URL>, "jwks": {"keys": [<the service key, kid = its verification
  method>]}}``, for wallets that find an HTTPS issuer's key that way.
* ``GET /token-status/{n}`` answers the signed Status List Token (``statuslist+jwt``) of the
  token status list ``<public URL>/token-status/{n}`` kept in the store; 404 for a list the
  store does not have. Allocate from it with :func:`token_status_registry`.

The public URL is the service's (``ServiceStatus.public_url`` when there is a store, else the
request's own base URL).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mcbadge.proofs.sdjwt_vc import DEFAULT_VCT_SUFFIX, type_metadata, type_metadata_bytes
from mcbadge.status.token_list import TokenStatusRegistry

if TYPE_CHECKING:
    from mcbadge.keys import Signer
    from mcbadge.store import Store

__all__ = ["TOKEN_STATUS_PATH", "sdjwt_routes", "token_status_registry", "token_status_uri"]

TOKEN_STATUS_PATH: Final = "/token-status"  # noqa: S105 - a URL path, not a secret
_TTL: Final = 300


def token_status_uri(public_url: str, number: int) -> str:
    """The URI of token status list ``number`` of a service at ``public_url``.

    Example:
        >>> token_status_uri("https://badges.hs.nl/", 1)
        'https://badges.hs.nl/token-status/1'
    """
    return f"{public_url.rstrip('/')}{TOKEN_STATUS_PATH}/{number}"


def token_status_registry(
    store: Store, public_url: str, number: int = 1, *, size: int = 131_072, bits: int = 2
) -> TokenStatusRegistry:
    """The registry of the service's token status list ``number`` (allocate, revoke, suspend).

    Example:
        >>> registry = token_status_registry(store, "https://badges.hs.nl")  # doctest: +SKIP
        >>> ref = registry.allocate()  # doctest: +SKIP
        >>> issue(cred, key, format="sd-jwt", status=ref.to_claim())  # doctest: +SKIP
    """
    return TokenStatusRegistry(
        token_status_uri(public_url, number), store=store, size=size, bits=bits
    )


def _base(request: Request) -> str:
    status = getattr(request.app.state, "status", None)
    if status is not None:
        from mcbadge.errors import McBadgeError

        try:
            return str(status.public_url).rstrip("/")
        except McBadgeError:  # not bound yet: the request's own base URL
            pass
    return str(request.base_url).rstrip("/")


def sdjwt_routes(
    *,
    key: Signer,
    verification_method: str,
    issuer_id: str,
    store: Store | None,
) -> list[Route]:
    """The routes (add them to the service's Starlette app).

    Args:
        key: The service's key (signs status list tokens).
        verification_method: Its ``kid``.
        issuer_id: Written as the tokens' ``iss``.
        store: The store with the token status lists (``None``: no status route).

    Returns:
        The Starlette routes.
    """

    async def metadata(request: Request) -> Response:
        vct = _base(request) + DEFAULT_VCT_SUFFIX
        body = type_metadata_bytes(type_metadata(vct))
        return Response(
            body, media_type="application/json", headers={"Cache-Control": "public, max-age=3600"}
        )

    async def token_status(request: Request) -> Response:
        number = request.path_params["number"]
        uri = token_status_uri(_base(request), number)
        info = store.token_status_info(uri) if store is not None else None
        if info is None:
            error: dict[str, Any] = {
                "code": "status_list_not_found",
                "message": f"no token status list {uri}",
            }
            return JSONResponse(error, status_code=404)
        size, bits, _, _ = info
        registry = TokenStatusRegistry(uri, store=store, size=size, bits=bits)
        token = registry.token(key, kid=verification_method, issuer=issuer_id, ttl=_TTL)
        return Response(
            token,
            media_type="application/statuslist+jwt",
            headers={"Cache-Control": f"public, max-age={_TTL}"},
        )

    async def issuer_metadata(request: Request) -> Response:
        jwk = {**key.public_jwk(), "kid": verification_method}
        body = {"issuer": _base(request), "jwks": {"keys": [jwk]}}
        return JSONResponse(body, headers={"Cache-Control": "public, max-age=3600"})

    routes = [
        Route("/.well-known/jwt-vc-issuer", issuer_metadata, methods=["GET"]),
        Route(DEFAULT_VCT_SUFFIX, metadata, methods=["GET"]),
        Route("/.well-known/vct" + DEFAULT_VCT_SUFFIX, metadata, methods=["GET"]),
    ]
    if store is not None:
        routes.append(Route(TOKEN_STATUS_PATH + "/{number:int}", token_status, methods=["GET"]))
    return routes
