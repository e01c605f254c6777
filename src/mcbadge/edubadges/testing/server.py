"""A real HTTP server on 127.0.0.1 that behaves like the edubadges endpoints mcbadge uses.

Standard library only (``http.server.ThreadingHTTPServer``). It answers HTTP/1.0 (one request
per connection) so that a stop never waits for an idle keep-alive connection.

Endpoints (all JSON):

* ``POST /oidc/token`` — OAuth2 client credentials (HTTP Basic or form), expiring tokens
* ``GET /queries/badge-classes``, ``/queries/issuers``, ``/queries/direct-awards?status=``
* ``POST /directaward/create``, ``GET /directaward/bundle/{id}``,
  ``PUT /directaward/delete-direct-awards``
* ``POST /issuer/revoke-assertions``
* ``GET /public/badges/{id}``, ``GET /public/assertions/{id}`` (no authentication)

Authentication mirrors edubadges' ``OIDCAuthentication``: a bearer token that is unknown or
expired leaves the request anonymous, and DRF then answers ``403 {"detail": "Authentication
credentials were not provided."}``.
"""

from __future__ import annotations

import base64
import json
import secrets
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, unquote_plus, urlsplit

from mcbadge.edubadges.testing.faults import Fault, FaultPlan
from mcbadge.edubadges.testing.state import BadgeClass, FakeState, Issuer, User

TOKEN_PATH = "/oidc/token"
_NOT_AUTHENTICATED = {"detail": "Authentication credentials were not provided."}
_NO_PERMISSION = {"detail": "You do not have permission to perform this action."}
_DJANGO_404 = (
    b'<!doctype html><html lang="en"><head><title>Not Found</title></head><body>'
    b"<h1>Not Found</h1><p>The requested resource was not found on this server.</p></body></html>"
)
_DJANGO_500 = b"<!doctype html><html><body><h1>Server Error (500)</h1></body></html>"
_PROXY_ERROR = b"<html><body><h1>%d</h1>The upstream server did not answer.</body></html>"


@dataclass(frozen=True)
class RequestRecord:
    """One request the fake received."""

    method: str
    path: str
    status: int | None  # None when the connection was dropped
    user: str | None
    fault: str | None


@dataclass
class _Token:
    username: str
    expires_at: float | None


@dataclass
class Seed:
    """The ids and credentials :meth:`FakeEdubadges.seed_defaults` creates."""

    token: str = "sis-token-0f3c9a"
    viewer_token: str = "viewer-token-77d1"
    student_token: str = "student-token-51be"
    client_id: str = "sis-client"
    client_secret: str = "sis-secret-d2b7e9f1"
    issuer: str = "ISSUERCS00000000000001"
    other_issuer: str = "ISSUERMATH000000000001"
    badgeclass: str = "BCMICRODATALIT00000001"
    regular_badgeclass: str = "BCPYTHONBASICS00000001"
    private_badgeclass: str = "BCPRIVATE0000000000001"
    disabled_badgeclass: str = "BCDISABLED000000000001"
    foreign_badgeclass: str = "BCMATHFOREIGN000000001"
    usernames: dict[str, str] = field(
        default_factory=lambda: {"sis": "sis", "viewer": "viewer", "student": "student"}
    )


class _Server(ThreadingHTTPServer):
    daemon_threads = False  # stop() joins every handler thread
    block_on_close = True
    allow_reuse_address = True

    def __init__(self, fake: FakeEdubadges) -> None:
        self.fake = fake
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, OSError):  # the client went away (timeout, reset): expected
            return
        self.fake.internal_errors.append(traceback.format_exc())


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        return

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self._handle()

    def do_POST(self) -> None:  # noqa: N802
        self._handle()

    def do_PUT(self) -> None:  # noqa: N802
        self._handle()

    def do_DELETE(self) -> None:  # noqa: N802
        self._handle()

    def do_PATCH(self) -> None:  # noqa: N802
        self._handle()

    def _handle(self) -> None:
        fake = self.server.fake
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        path = parts.path
        fault = fake.faults.pick(self.command, path)
        fault_name = fault.name if fault else None
        if fault is not None and fault.when == "before":
            if fault.kind == "delay":
                fake.pause(fault.delay)
            else:
                self._apply(fault, path, fault_name, None)
                return
        try:
            status, headers, payload, user = fake.dispatch(
                self.command, path, parts.query, self.headers, body
            )
        except Exception:  # a bug in the fake: make the test fail loudly
            fake.internal_errors.append(traceback.format_exc())
            status, headers, payload, user = 500, {"Content-Type": "text/html"}, _DJANGO_500, None
        if fault is not None and fault.when == "after" and fault.kind != "delay":
            self._apply(fault, path, fault_name, user)
            return
        fake.record(RequestRecord(self.command, path, status, user, fault_name))
        if fault is not None and fault.when == "after":
            fake.pause(fault.delay)  # processed and recorded; the answer comes late
        self._write(status, headers, payload)

    def _apply(self, fault: Fault, path: str, fault_name: str | None, user: str | None) -> None:
        fake = self.server.fake
        if fault.kind == "drop":
            fake.record(RequestRecord(self.command, path, None, user, fault_name))
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        headers = {"Content-Type": "text/html; charset=utf-8"}
        if fault.status == 429:
            headers = {"Content-Type": "application/json"}
            payload = json.dumps({"detail": "Request was throttled."}).encode()
        elif fault.status == 500:
            payload = _DJANGO_500
        else:
            payload = _PROXY_ERROR % fault.status
        if fault.retry_after is not None:
            headers["Retry-After"] = fault.retry_after
        fake.record(RequestRecord(self.command, path, fault.status, user, fault_name))
        self._write(fault.status, headers, payload)

    def _write(self, status: int, headers: dict[str, str], payload: bytes) -> None:
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if payload and self.command != "HEAD":
                self.wfile.write(payload)
        except OSError:  # the client gave up (its timeout): nothing to do
            pass


class FakeEdubadges:
    """The fake server: state, credentials, faults, and its lifecycle.

    Use as a context manager (``with FakeEdubadges() as fake:``) or call :meth:`start` /
    :meth:`stop`. ``clock`` drives token expiry and "now" (scheduled awards).
    """

    def __init__(
        self,
        *,
        seed: int = 0,
        clock: Callable[[], float] = time.time,
        token_lifetime: float = 3600.0,
        enforce_unique: bool = True,
        eppn_pattern: str | None = None,
    ) -> None:
        self.clock = clock
        self.token_lifetime = token_lifetime
        self.state = FakeState(
            seed=seed, clock=clock, enforce_unique=enforce_unique, eppn_pattern=eppn_pattern
        )
        self.faults = FaultPlan()
        self.requests: list[RequestRecord] = []
        self.internal_errors: list[str] = []
        self.token_requests = 0
        self._tokens: dict[str, _Token] = {}
        self._clients: dict[str, tuple[str, str]] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> FakeEdubadges:
        self._server = _Server(self)
        host, port = self._server.server_address[:2]
        self.state.base_url = f"http://{host!s}:{port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> FakeEdubadges:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def pause(self, seconds: float) -> None:
        """Sleep in a handler; a stop wakes it at once."""
        self._stop.wait(seconds)

    @property
    def base_url(self) -> str:
        return self.state.base_url

    @property
    def token_url(self) -> str:
        return self.state.base_url + TOKEN_PATH

    def record(self, record: RequestRecord) -> None:
        with self._lock:
            self.requests.append(record)

    def calls(self, method: str, path: str) -> list[RequestRecord]:
        """The recorded requests with this method whose path starts with ``path``."""
        with self._lock:
            return [r for r in self.requests if r.method == method and r.path.startswith(path)]

    # -- setup ---------------------------------------------------------------------------------

    def add_user(
        self,
        username: str,
        *,
        may_award: Iterable[str] = (),
        may_award_all: bool = False,
        is_teacher: bool = True,
    ) -> User:
        user = User(
            username=username,
            email=f"{username}@example.edu",
            is_teacher=is_teacher,
            may_award_all=may_award_all,
            may_award=set(may_award),
        )
        with self.state.lock:
            self.state.users[username] = user
        return user

    def add_token(self, token: str, *, username: str, expires_at: float | None = None) -> None:
        with self._lock:
            self._tokens[token] = _Token(username, expires_at)

    def add_client(self, client_id: str, client_secret: str, *, username: str) -> None:
        with self._lock:
            self._clients[client_id] = (client_secret, username)

    def revoke_tokens(self) -> None:
        """Forget every issued and added token (as if the identity provider revoked them)."""
        with self._lock:
            self._tokens.clear()

    def add_issuer(self, entity_id: str, name: str) -> Issuer:
        issuer = Issuer(entity_id=entity_id, name_english=name, name_dutch=name)
        with self.state.lock:
            self.state.issuers[entity_id] = issuer
        return issuer

    def add_badge_class(
        self, entity_id: str, name: str, *, issuer: str, **fields: Any
    ) -> BadgeClass:
        with self.state.lock:
            bc = BadgeClass(
                pk=len(self.state.badge_classes) + 1,
                entity_id=entity_id,
                name=name,
                issuer_id=issuer,
                **fields,
            )
            self.state.badge_classes[entity_id] = bc
        return bc

    def accept(
        self, direct_award_id: str, *, full_name: str = "Ana Andromeda", public: bool = True
    ) -> str:
        """Let the learner claim a direct award; return the new assertion's id."""
        return self.state.accept(direct_award_id, full_name=full_name, public=public)

    def seed_defaults(self) -> Seed:
        """Create one institution's users, tokens, OAuth client, issuers and badge classes."""
        seed = Seed()
        self.add_issuer(seed.issuer, "Computer Science")
        self.add_issuer(seed.other_issuer, "Mathematics")
        self.add_badge_class(
            seed.badgeclass,
            "Data Literacy for Professionals",
            issuer=seed.issuer,
            is_micro_credentials=True,
            badge_class_type="micro_credential",
            participation="blended,online",
            assessment_type="portfolio_assessment,written_exam",
            assessment_id_verified=True,
            assessment_supervised=True,
            extensions={
                "LanguageExtension": {"Language": "nl_NL"},
                "ECTSExtension": {"ECTS": 5},
                "EQFExtension": {"EQF": 6},
                "LearningOutcomeExtension": {"LearningOutcome": "Analyses data sets."},
                "EducationProgramIdentifierExtension": {"EducationProgramIdentifier": [56823]},
            },
        )
        self.add_badge_class(seed.regular_badgeclass, "Python Basics", issuer=seed.issuer)
        self.add_badge_class(
            seed.private_badgeclass, "Draft Badge", issuer=seed.issuer, is_private=True
        )
        self.add_badge_class(
            seed.disabled_badgeclass,
            "Enrolment Only Badge",
            issuer=seed.issuer,
            direct_awarding_disabled=True,
        )
        self.add_badge_class(seed.foreign_badgeclass, "Linear Algebra", issuer=seed.other_issuer)
        awardable = {
            seed.badgeclass,
            seed.regular_badgeclass,
            seed.private_badgeclass,
            seed.disabled_badgeclass,
        }
        self.add_user("sis", may_award=awardable)
        self.add_user("viewer")
        self.add_user("student", is_teacher=False)
        self.add_token(seed.token, username="sis")
        self.add_token(seed.viewer_token, username="viewer")
        self.add_token(seed.student_token, username="student")
        self.add_client(seed.client_id, seed.client_secret, username="sis")
        return seed

    # -- request handling ----------------------------------------------------------------------

    def _authenticate(self, headers: Any) -> User | None:
        authorization = headers.get("Authorization") or ""
        if not authorization.lower().startswith("bearer "):
            return None
        token = authorization[len("bearer ") :]
        with self._lock:
            entry = self._tokens.get(token)
        if entry is None:
            return None
        if entry.expires_at is not None and self.clock() >= entry.expires_at:
            return None
        return self.state.users.get(entry.username)

    def dispatch(
        self, method: str, path: str, query: str, headers: Any, body: bytes
    ) -> tuple[int, dict[str, str], bytes, str | None]:
        """Answer one request: (status, headers, payload, username)."""
        if path == TOKEN_PATH:
            status, answer = self._token_endpoint(method, headers, body)
            return _json_answer(status, answer) + (None,)
        params = parse_qs(query)
        if path.startswith("/public/"):
            return self._public(method, path, params, headers) + (None,)
        route = _ROUTES.get(path)
        prefix_route = None
        if route is None and path.startswith("/directaward/bundle/"):
            prefix_route = "GET"
        if route is None and prefix_route is None:
            return 404, {"Content-Type": "text/html"}, _DJANGO_404, None
        allowed = route[0] if route else prefix_route
        if method != allowed:
            return _json_answer(405, {"detail": f'Method "{method}" not allowed.'}) + (None,)
        user = self._authenticate(headers)
        if user is None:
            return _json_answer(403, _NOT_AUTHENTICATED) + (None,)
        if prefix_route is not None:
            bundle_id = unquote(path[len("/directaward/bundle/") :])
            return self._finish(self.state.bundle_answer(bundle_id), user)
        assert route is not None
        kind = route[1]
        if kind == "queries":
            if not user.is_teacher:
                return _json_answer(403, _NO_PERMISSION) + (user.username,)
            if path == "/queries/badge-classes":
                return self._finish(self.state.query_badge_classes(), user)
            if path == "/queries/issuers":
                return self._finish(self.state.query_issuers(user), user)
            status_param = params.get("status", ["unclaimed"])[0]
            return self._finish(self.state.query_direct_awards(user, status_param), user)
        content_type = headers.get("Content-Type") or ""
        json_request = "json" in content_type
        if not json_request:
            return _json_answer(
                415, {"detail": f'Unsupported media type "{content_type}" in request.'}
            ) + (user.username,)
        try:
            data = json.loads(body.decode("utf-8")) if body else {}
        except (ValueError, UnicodeDecodeError) as exc:
            return _json_answer(400, {"detail": f"JSON parse error - {exc}"}) + (user.username,)
        if path == "/directaward/create":
            answer = self.state.create_direct_awards(user, data, json_request)
        elif path == "/directaward/delete-direct-awards":
            answer = self.state.delete_direct_awards(user, data, json_request)
        else:
            answer = self.state.revoke_assertions(user, data, json_request)
        return self._finish(answer, user)

    def _finish(
        self, answer: tuple[int, Any], user: User
    ) -> tuple[int, dict[str, str], bytes, str | None]:
        status, payload = answer
        if payload is None:
            if status >= 500:
                return status, {"Content-Type": "text/html"}, _DJANGO_500, user.username
            return status, {}, b"", user.username
        return _json_answer(status, payload) + (user.username,)

    def _public(
        self, method: str, path: str, params: dict[str, list[str]], headers: Any
    ) -> tuple[int, dict[str, str], bytes]:
        if method != "GET":
            return _json_answer(405, {"detail": f'Method "{method}" not allowed.'})
        segments = path.strip("/").split("/")
        if len(segments) != 3 or segments[1] not in ("badges", "assertions"):
            return 404, {"Content-Type": "text/html"}, _DJANGO_404
        entity_id = unquote(segments[2])
        if "text/html" in (headers.get("Accept") or ""):
            # JSONComponentView.is_requesting_html(): browsers are sent to the UI.
            location = f"https://edubadges.example/public/{segments[1]}/{entity_id}"
            return 302, {"Location": location}, b""
        if segments[1] == "badges":
            status, answer = self.state.public_badge_class(entity_id, params.get("expand", []))
        else:
            status, answer = self.state.public_assertion(entity_id)
        return _json_answer(status, answer)

    def _token_endpoint(self, method: str, headers: Any, body: bytes) -> tuple[int, Any]:
        with self._lock:
            self.token_requests += 1
        if method != "POST":
            return 405, {"error": "invalid_request", "error_description": "POST only"}
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        client_id = form.get("client_id")
        client_secret = form.get("client_secret")
        authorization = headers.get("Authorization") or ""
        if authorization.lower().startswith("basic "):
            try:
                decoded = base64.b64decode(authorization[6:]).decode("utf-8")
                raw_id, _, raw_secret = decoded.partition(":")
                client_id, client_secret = unquote_plus(raw_id), unquote_plus(raw_secret)
            except (ValueError, UnicodeDecodeError):
                return 401, {"error": "invalid_client", "error_description": "bad Basic header"}
        if form.get("grant_type") != "client_credentials":
            return 400, {
                "error": "unsupported_grant_type",
                "error_description": "only client_credentials is supported",
            }
        with self._lock:
            known = self._clients.get(client_id or "")
        if known is None or not secrets.compare_digest(known[0], client_secret or ""):
            return 401, {
                "error": "invalid_client",
                "error_description": "client authentication failed",
            }
        token = "fake-at-" + secrets.token_urlsafe(24)
        self.add_token(token, username=known[1], expires_at=self.clock() + self.token_lifetime)
        return 200, {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": int(self.token_lifetime),
            "scope": "openid",
        }


# path -> (allowed method, kind)
_ROUTES: dict[str, tuple[str, str]] = {
    "/queries/badge-classes": ("GET", "queries"),
    "/queries/issuers": ("GET", "queries"),
    "/queries/direct-awards": ("GET", "queries"),
    "/directaward/create": ("POST", "write"),
    "/directaward/delete-direct-awards": ("PUT", "write"),
    "/issuer/revoke-assertions": ("POST", "write"),
}


def _json_answer(status: int, payload: Any) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": "application/json"}, json.dumps(payload).encode("utf-8")
