"""The Starlette application: :func:`create_app` wires the VC API endpoints, the bearer token,
the limits and (with a store) the status lists.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from mcbadge.errors import (
    InvalidInputError,
    McBadgeError,
)
from mcbadge.jsonld.loader import DocumentLoader
from mcbadge.keys import Signer
from mcbadge.net import NetworkPolicy
from mcbadge.service.web import CredentialLookup, WebConfig, web_routes

try:  # the service needs the optional extra: pip install "mcbadge[service]"
    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException
    from starlette.routing import BaseRoute, Route
except ImportError as _exc:  # pragma: no cover - exercised only without the extra
    _IMPORT_ERROR: ImportError | None = _exc
else:
    _IMPORT_ERROR = None
from mcbadge.service.errors import _json_errors, _require_extra
from mcbadge.service.limits import DEFAULT_MAX_BODY_BYTES, MIN_TOKEN_LENGTH
from mcbadge.service.vcapi import _http_exception, _logged_credential, _page_verify, _Service

if TYPE_CHECKING:
    from mcbadge.store import Store
    from mcbadge.verify import KeyEntry


# --------------------------------------------------------------------------- the app


def _default_issuer(vm: str) -> str:
    return vm.split("#", 1)[0]


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
    network: NetworkPolicy | None = None,
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
        network: With ``allow_network``: the :class:`mcbadge.net.NetworkPolicy` of every
            fetch verification makes (deadline, redirects, the non-public addresses it may
            reach, TLS), as ``verify(network=)`` takes it.
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
    if network is not None and not allow_network:
        raise InvalidInputError(
            "network= says how verification uses the network once allowed: pass "
            "allow_network=True with it",
            code="invalid_option",
        )
    vm = _service_vm(key, verification_method) if key is not None else None
    the_loader = loader or DocumentLoader(allow_network=allow_network, network=network)
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
        network=network if allow_network else None,
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
        if store is not None and status is not None:
            from mcbadge.service.oid4vci import oid4vci_routes

            routes += oid4vci_routes(service, status, store)
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
