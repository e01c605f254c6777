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

Where each part lives: :mod:`~mcbadge.service.limits` (limits and shared constants),
:mod:`~mcbadge.service.errors` (JSON errors), :mod:`~mcbadge.service.requests` (reading a
request body and its options), :mod:`~mcbadge.service.vcapi` (the VC API endpoints),
:mod:`~mcbadge.service.contexts` (the contexts the service knows),
:mod:`~mcbadge.service.app` (:func:`create_app`: routes, auth), :mod:`~mcbadge.service.server`
(:func:`serve`, TLS, :class:`BackgroundServer`), :mod:`~mcbadge.service.command`
(``mcbadge serve``) and :mod:`~mcbadge.service.status` (status lists kept in a store). The
service may import the whole library below it (issue, verify, keys, jsonld, status, store);
nothing below imports it, and only :mod:`mcbadge.cli` above.

Example:
    >>> from mcbadge.keys import KeyPair
    >>> from mcbadge.service import BackgroundServer, create_app
    >>> app = create_app(key=KeyPair.generate("Ed25519"))
    >>> with BackgroundServer(app) as server:  # doctest: +SKIP
    ...     httpx.get(f"{server.url}/health").json()["status"]
    'ok'
"""

from __future__ import annotations

from mcbadge.service.app import create_app
from mcbadge.service.command import app_from_args, build_parser_serve, main_serve, run_serve
from mcbadge.service.contexts import W3C_EXAMPLES_V2_CONTEXT_URL, service_loader
from mcbadge.service.limits import DEFAULT_MAX_BODY_BYTES, MAX_JSON_DEPTH, MIN_TOKEN_LENGTH
from mcbadge.service.server import BackgroundServer, serve

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
