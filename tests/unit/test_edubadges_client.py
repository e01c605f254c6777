"""The edubadges client against mock transports: wire format, retries, tokens, recovery."""

from __future__ import annotations

import asyncio
import base64
import json
import random
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import pytest

from mcbadge.edubadges import (
    AsyncEdubadgesClient,
    EdubadgesAuthError,
    EdubadgesClient,
    EdubadgesRateLimitError,
    EdubadgesServerError,
    EdubadgesTransportError,
    Recipient,
    RetryPolicy,
)
from mcbadge.errors import InvalidInputError

BASE = "https://api.edubadges.test"
TOKEN = "tok-1a2b3c4d5e"  # noqa: S105 - a test credential
SECRET = "client-secret-9f8e7d"  # noqa: S105
BC = "BC_ENTITY_ID"

Handler = Callable[[httpx.Request], httpx.Response]


class Recorder:
    """A mock-transport handler that records requests and answers from a script."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.handler(request)

    def paths(self) -> list[str]:
        return [f"{r.method} {r.url.path}" for r in self.requests]


def make_client(handler: Handler, **options: object) -> tuple[EdubadgesClient, list[float]]:
    sleeps: list[float] = []
    kwargs: dict[str, object] = {
        "base_url": BASE,
        "token": TOKEN,
        "transport": httpx.MockTransport(handler),
        "sleep": sleeps.append,
        "rng": random.Random(7),
    }
    kwargs.update(options)
    return EdubadgesClient(**kwargs), sleeps  # type: ignore[arg-type]


def json_response(status: int, body: object, **headers: str) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)


ANA = Recipient(email="Ana@Uni.nl", eppn="S1@uni.nl", narrative="Well done", grade_achieved="8")
BOB = Recipient(email="bob@uni.nl", eppn="s2@uni.nl")


# -- construction ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({}, "credentials are missing"),
        ({"token": TOKEN, "client_id": "c"}, "not both"),
        ({"client_id": "c", "client_secret": SECRET}, "token_url"),
        ({"token": "has space"}, "whitespace"),
        ({"token": TOKEN, "timeout": 0}, "timeout"),
        ({"token": TOKEN, "retries": -1}, "retries"),
    ],
)
def test_constructor_refuses_missing_or_conflicting_options(
    options: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidInputError, match=message):
        EdubadgesClient(base_url=BASE, **options)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "url",
    [
        "http://api.edubadges.nl",  # plain http off loopback would leak the bearer token
        "ftp://api.edubadges.nl",
        "https://user:pw@api.edubadges.nl",
        "https://api.edubadges.nl?x=1",
        "",
    ],
)
def test_constructor_refuses_unsafe_base_urls(url: str) -> None:
    with pytest.raises(InvalidInputError, match="base_url"):
        EdubadgesClient(base_url=url, token=TOKEN)


def test_plain_http_is_allowed_on_loopback_only() -> None:
    with EdubadgesClient(base_url="http://127.0.0.1:8000/", token=TOKEN) as client:
        assert client.base_url == "http://127.0.0.1:8000"


def test_repr_shows_no_token_or_secret() -> None:
    with EdubadgesClient(base_url=BASE, token=TOKEN) as client:
        assert TOKEN not in repr(client)
        assert "bearer token" in repr(client)
    oauth = EdubadgesClient(
        base_url=BASE, client_id="sis-client", client_secret=SECRET, token_url=BASE + "/token"
    )
    assert SECRET not in repr(oauth)
    assert "sis-client" in repr(oauth)
    assert SECRET not in repr(vars(oauth))
    assert SECRET not in repr(vars(oauth._engine))
    oauth.close()


# -- wire format -----------------------------------------------------------------------------


def test_direct_award_sends_the_edubadges_wire_format() -> None:
    recorder = Recorder(lambda r: json_response(201, {"badgeclass": BC, "entity_id": "B1"}))
    client, _ = make_client(recorder)
    when = datetime(2030, 1, 2, 3, 4, tzinfo=UTC)
    result = client.direct_award(BC, [ANA, BOB], notify=False, scheduled_at=when, batch_mode=True)
    request = recorder.requests[0]
    assert request.method == "POST"
    assert str(request.url) == f"{BASE}/directaward/create"
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["Accept"] == "application/json"
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.content) == {
        "badgeclass": BC,
        "identifier_type": "eppn",
        "notify_recipients": False,
        "batch_mode": True,
        "scheduled_at": "2030-01-02T03:04:00+00:00",
        "direct_awards": [
            {
                "recipient_email": "Ana@Uni.nl",
                "eppn": "S1@uni.nl",
                "narrative": "Well done",
                "grade_achieved": "8",
            },
            {"recipient_email": "bob@uni.nl", "eppn": "s2@uni.nl"},
        ],
    }
    assert result.entity_id == "B1"
    assert result.bundle_ids == ("B1",)
    assert result.ok


def test_per_row_failures_are_surfaced_not_swallowed() -> None:
    body = {
        "badgeclass": BC,
        "entity_id": "B1",
        "un_successful_direct_award": [
            {"error": "DirectAward ... already exists", "eppn": "s2@uni.nl", "email": "bob@uni.nl"}
        ],
    }
    client, _ = make_client(lambda r: json_response(201, body))
    result = client.direct_award(BC, [ANA, BOB])
    assert not result.ok
    assert result.un_successful_direct_award[0].email == "bob@uni.nl"
    assert "already exists" in result.un_successful_direct_award[0].error


def test_public_endpoints_send_no_token_and_ask_for_json() -> None:
    recorder = Recorder(lambda r: json_response(200, {"type": "BadgeClass", "id": "x"}))
    client, _ = make_client(recorder)
    client.public_badge_class(BC)
    client.public_badge_class(BC, expand=["micro", "issuer"])
    client.public_assertion("A1")
    assert all("Authorization" not in r.headers for r in recorder.requests)
    assert all(r.headers["Accept"] == "application/json" for r in recorder.requests)
    assert str(recorder.requests[0].url) == f"{BASE}/public/badges/{BC}?expand=micro"
    assert str(recorder.requests[1].url) == f"{BASE}/public/badges/{BC}?expand=micro&expand=issuer"
    assert recorder.paths()[2] == "GET /public/assertions/A1"


def test_delete_and_revoke_send_reason_and_entity_ids() -> None:
    recorder = Recorder(
        lambda r: json_response(200, {"result": "ok", "un_successful_direct_awards": []})
    )
    client, _ = make_client(recorder)
    client.delete_direct_awards(["D1", "D2"], "  awarded in error ")
    client.revoke_assertions(["A1"], "Fraud detected")
    delete, revoke = recorder.requests
    assert delete.method == "PUT"
    assert json.loads(delete.content) == {
        "revocation_reason": "awarded in error",
        "direct_awards": [{"entity_id": "D1"}, {"entity_id": "D2"}],
    }
    assert revoke.url.path == "/issuer/revoke-assertions"
    assert json.loads(revoke.content) == {
        "revocation_reason": "Fraud detected",
        "assertions": [{"entity_id": "A1"}],
    }


def test_query_rows_with_postgres_lowercased_keys_are_typed_and_unknown_fields_kept() -> None:
    rows = [
        {
            "entityid": "bc1",
            "name": "Data",
            "isprivate": False,
            "ismicrocredentials": True,
            "typebadgeclass": "micro_credential",
            "i_entity_id": "iss1",
            "tags": "a,b",
        }
    ]
    client, _ = make_client(lambda r: json_response(200, rows))
    [summary] = client.badge_classes()
    assert summary.entity_id == "bc1"
    assert summary.is_micro_credentials is True
    assert summary.issuer_entity_id == "iss1"
    assert summary.model_extra == {"tags": "a,b"}


# -- arguments are checked before any request -------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.direct_award(BC, []), "recipients is empty"),
        (lambda c: c.direct_award(BC, [Recipient(email="a@b.nl")]), "has no eppn"),
        (lambda c: c.direct_award(BC, [ANA, ANA]), "more than once"),
        (lambda c: c.direct_award(BC, [ANA], identifier_type="sms"), "identifier_type"),
        (lambda c: c.direct_award(BC, ANA), "list of Recipient"),
        (lambda c: c.direct_award("", [ANA]), "badgeclass"),
        (lambda c: c.direct_award(BC, [ANA], scheduled_at=datetime(2030, 1, 1)), "timezone"),
        (lambda c: c.delete_direct_awards(["D1"], "  "), "reason is required"),
        (lambda c: c.revoke_assertions(["A1"], ""), "reason is required"),
        (lambda c: c.revoke_assertions("A1", "why"), "list of entity ids"),
        (lambda c: c.revoke_assertions([], "why"), "is empty"),
        (lambda c: c.delete_direct_awards(["D1", "D1"], "why"), "repeats D1"),
        (lambda c: c.bundle("a/../b"), "not an entity id"),
    ],
)
def test_bad_arguments_fail_before_any_request(
    call: Callable[[EdubadgesClient], object], message: str
) -> None:
    recorder = Recorder(lambda r: json_response(500, {}))
    client, _ = make_client(recorder)
    with pytest.raises(InvalidInputError, match=message):
        call(client)
    assert recorder.requests == []


# -- retries ---------------------------------------------------------------------------------


def test_reads_retry_5xx_with_growing_jittered_backoff() -> None:
    answers = iter([503, 502, 500, 200])

    def handler(request: httpx.Request) -> httpx.Response:
        status = next(answers)
        return json_response(status, [] if status == 200 else {"error": "busy"})

    client, sleeps = make_client(handler, retries=RetryPolicy(retries=3, backoff_base=1.0))
    assert client.issuers() == []
    assert len(sleeps) == 3
    for attempt, slept in enumerate(sleeps):
        ceiling = 2.0**attempt
        assert ceiling / 2 <= slept <= ceiling


def test_reads_give_up_after_the_retries_with_a_server_error() -> None:
    recorder = Recorder(lambda r: httpx.Response(502, text="<html>bad gateway</html>"))
    client, sleeps = make_client(recorder, retries=2)
    with pytest.raises(EdubadgesServerError) as info:
        client.badge_classes()
    assert info.value.status == 502
    assert info.value.shape == "text"
    assert len(recorder.requests) == 3
    assert len(sleeps) == 2


def test_429_honours_retry_after_seconds() -> None:
    answers = iter(
        [
            json_response(429, {"detail": "throttled"}, **{"Retry-After": "7"}),
            json_response(200, []),
        ]
    )
    client, sleeps = make_client(lambda r: next(answers))
    client.badge_classes()
    assert sleeps == [7.0]


def test_429_with_a_retry_after_beyond_the_limit_is_raised_at_once() -> None:
    recorder = Recorder(
        lambda r: json_response(429, {"detail": "throttled"}, **{"Retry-After": "3600"})
    )
    client, sleeps = make_client(recorder)
    with pytest.raises(EdubadgesRateLimitError) as info:
        client.badge_classes()
    assert info.value.retry_after == 3600.0
    assert sleeps == []
    assert len(recorder.requests) == 1


def test_connection_refused_is_retried_then_reported_as_not_ambiguous() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    recorder = Recorder(handler)
    client, sleeps = make_client(recorder, retries=2)
    with pytest.raises(EdubadgesTransportError) as info:
        client.direct_award(BC, [ANA])
    assert info.value.ambiguous is False
    assert len(recorder.requests) == 3  # a post that never left may be repeated
    assert recorder.paths() == ["POST /directaward/create"] * 3
    assert len(sleeps) == 2


def test_retries_zero_disables_retrying() -> None:
    recorder = Recorder(lambda r: json_response(503, {"error": "x"}))
    client, sleeps = make_client(recorder, retries=0)
    with pytest.raises(EdubadgesServerError):
        client.issuers()
    assert len(recorder.requests) == 1
    assert sleeps == []


# -- the no-double-award recovery -------------------------------------------------------------


class FakeHoldsAwards:
    """A minimal server: applies the first post, then fails it; lists what it holds."""

    def __init__(self, failure: Callable[[httpx.Request], httpx.Response]) -> None:
        self.failure = failure
        self.held: list[dict[str, object]] = [
            # an award for another badge class must not count
            {
                "entityid": "X",
                "recipientemail": "bob@uni.nl",
                "eppn": "s2@uni.nl",
                "bc_entity_id": "OTHER",
            },
        ]
        self.posts: list[list[str]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/queries/direct-awards":
            assert request.url.params["status"] == "unclaimed"
            return json_response(200, self.held)
        body = json.loads(request.content)
        emails = [row["recipient_email"] for row in body["direct_awards"]]
        self.posts.append(emails)
        first = len(self.posts) == 1
        for row in body["direct_awards"][:1] if first else body["direct_awards"]:
            self.held.append(
                {
                    "entityid": f"D{len(self.held)}",
                    "recipientemail": row["recipient_email"].lower(),
                    "eppn": row["eppn"].lower(),
                    "bc_entity_id": BC,
                }
            )
        if first:
            return self.failure(request)
        return json_response(201, {"badgeclass": BC, "entity_id": "B2"})


@pytest.mark.parametrize(
    "failure",
    [
        pytest.param(lambda r: httpx.Response(500, text="Server Error"), id="500-after-commit"),
        pytest.param(lambda r: httpx.Response(504, text="gateway timeout"), id="504"),
        pytest.param(
            lambda r: (_ for _ in ()).throw(httpx.ReadTimeout("slow", request=r)), id="timeout"
        ),
        pytest.param(
            lambda r: (_ for _ in ()).throw(httpx.RemoteProtocolError("gone", request=r)),
            id="dropped",
        ),
    ],
)
def test_ambiguous_failure_checks_the_server_and_posts_only_missing_learners(
    failure: Handler,
) -> None:
    server = FakeHoldsAwards(failure)
    client, sleeps = make_client(server)
    result = client.direct_award(BC, [ANA, BOB])
    assert server.posts == [["Ana@Uni.nl", "bob@uni.nl"], ["bob@uni.nl"]]
    assert [p.recipient_email for p in result.already_present] == ["ana@uni.nl"]
    assert result.entity_id == "B2"
    assert result.ambiguous_failures == 1
    assert len(sleeps) == 1  # one pause before the check


def test_ambiguous_failure_with_everyone_already_held_posts_nothing_more() -> None:
    server = FakeHoldsAwards(lambda r: httpx.Response(502, text="bad gateway"))
    client, _ = make_client(server)
    result = client.direct_award(BC, [ANA])
    assert server.posts == [["Ana@Uni.nl"]]
    assert result.entity_id is None
    assert len(result.already_present) == 1


def test_ambiguous_failures_that_never_resolve_end_with_advice_to_skip_existing() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/queries/direct-awards":
            return json_response(200, [])
        return httpx.Response(500, text="boom")

    recorder = Recorder(handler)
    client, _ = make_client(recorder, retries=2)
    with pytest.raises(EdubadgesServerError, match="skip_existing=True"):
        client.direct_award(BC, [ANA])
    assert recorder.paths().count("POST /directaward/create") == 3


def test_failed_check_after_an_ambiguous_post_says_what_is_unknown() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/queries/direct-awards":
            raise httpx.ConnectError("refused", request=request)
        raise httpx.ReadTimeout("slow", request=request)

    client, _ = make_client(handler, retries=1)
    with pytest.raises(EdubadgesTransportError, match="some learners may have been awarded") as e:
        client.direct_award(BC, [ANA])
    assert e.value.ambiguous is True


def test_skip_existing_checks_first() -> None:
    server = FakeHoldsAwards(lambda r: json_response(201, {"badgeclass": BC, "entity_id": "B"}))
    server.held.append(
        {"entityid": "D9", "recipientemail": "ana@uni.nl", "eppn": None, "bc_entity_id": BC}
    )
    client, _ = make_client(server)
    result = client.direct_award(BC, [ANA, BOB], skip_existing=True)
    assert server.posts == [["bob@uni.nl"]]  # Ana holds an e-mail award for this class
    assert result.already_present[0].entity_id == "D9"


def test_ambiguous_delete_is_redone_one_id_at_a_time() -> None:
    deleted: set[str] = set()
    calls: list[list[str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        ids = [row["entity_id"] for row in json.loads(request.content)["direct_awards"]]
        calls.append(ids)
        if len(calls) == 1:
            deleted.update(ids[:1])  # applied partly, then the connection dropped
            raise httpx.RemoteProtocolError("gone", request=request)
        [one] = ids
        if one in deleted:
            return json_response(
                400,
                {
                    "error": "No valid DirectAwards are deleted. All of "
                    "them were rejected: [{'error': 'DirectAward has "
                    "already been deleted'}]"
                },
            )
        if one == "D3":
            return json_response(
                400,
                {
                    "error": "No valid DirectAwards are deleted. All of "
                    "them were rejected: [{'error': 'DirectAward matching "
                    "query does not exist.'}]"
                },
            )
        deleted.add(one)
        return json_response(200, {"result": "ok", "un_successful_direct_awards": []})

    client, _ = make_client(handler)
    result = client.delete_direct_awards(["D1", "D2", "D3"], "in error")
    assert calls == [["D1", "D2", "D3"], ["D1"], ["D2"], ["D3"]]
    assert result.already_done == ("D1",)
    assert [(u.entity_id, "does not exist" in u.error) for u in result.un_successful] == [
        ("D3", True)
    ]
    assert result.ambiguous_failures == 1


# -- tokens ----------------------------------------------------------------------------------


class TokenServer:
    """A token endpoint plus an API that accepts only the current token."""

    def __init__(self, lifetime: int = 100) -> None:
        self.lifetime = lifetime
        self.issued: list[str] = []
        self.valid: set[str] = set()
        self.api_auth: list[str] = []
        self.basic: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oidc/token":
            self.basic.append(request.headers["Authorization"])
            assert request.content == b"grant_type=client_credentials"
            token = f"at-{len(self.issued)}-zz9"
            self.issued.append(token)
            self.valid.add(token)
            return json_response(
                200, {"access_token": token, "token_type": "bearer", "expires_in": self.lifetime}
            )
        auth = request.headers.get("Authorization", "")
        self.api_auth.append(auth)
        if auth.removeprefix("Bearer ") not in self.valid:
            return json_response(403, {"detail": "Authentication credentials were not provided."})
        return json_response(200, [])


def oauth_client(server: TokenServer, clock: Callable[[], float]) -> EdubadgesClient:
    return EdubadgesClient(
        base_url=BASE,
        client_id="sis client",
        client_secret=SECRET,
        token_url=BASE + "/oidc/token",
        transport=httpx.MockTransport(server),
        clock=clock,
        sleep=lambda s: None,
    )


def test_client_credentials_use_http_basic_and_cache_the_token() -> None:
    server = TokenServer()
    client = oauth_client(server, lambda: 0.0)
    client.issuers()
    client.badge_classes()
    assert server.issued == ["at-0-zz9"]
    assert server.api_auth == ["Bearer at-0-zz9"] * 2
    decoded = base64.b64decode(server.basic[0].removeprefix("Basic ")).decode()
    assert decoded == f"sis%20client:{SECRET}"  # RFC 6749 2.3.1: form-encoded, then Basic


def test_token_is_refreshed_shortly_before_it_expires() -> None:
    server = TokenServer(lifetime=100)
    now = [0.0]
    client = oauth_client(server, lambda: now[0])
    client.issuers()
    now[0] = 89.0
    client.issuers()
    assert len(server.issued) == 1
    now[0] = 91.0  # within the last tenth of the lifetime
    client.issuers()
    assert server.issued == ["at-0-zz9", "at-1-zz9"]
    assert server.api_auth[-1] == "Bearer at-1-zz9"


def test_refused_token_is_replaced_once() -> None:
    server = TokenServer()
    client = oauth_client(server, lambda: 0.0)
    client.issuers()
    server.valid.clear()  # the identity provider revoked it
    client.issuers()
    assert len(server.issued) == 2
    assert server.api_auth == ["Bearer at-0-zz9", "Bearer at-0-zz9", "Bearer at-1-zz9"]


def test_token_refused_again_at_once_is_an_auth_error_not_a_loop() -> None:
    def always_refuse(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oidc/token":
            return json_response(200, {"access_token": "at-x", "expires_in": 100})
        return json_response(403, {"detail": "Authentication credentials were not provided."})

    recorder = Recorder(always_refuse)
    client = EdubadgesClient(
        base_url=BASE,
        client_id="c",
        client_secret=SECRET,
        token_url=BASE + "/oidc/token",
        transport=httpx.MockTransport(recorder),
    )
    with pytest.raises(EdubadgesAuthError) as info:
        client.issuers()
    assert info.value.status == 403
    assert info.value.shape == "detail"
    assert recorder.paths() == [
        "POST /oidc/token",
        "GET /queries/issuers",
        "POST /oidc/token",
        "GET /queries/issuers",
    ]


def test_token_endpoint_refusal_is_an_auth_error_without_the_secret() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return json_response(
            401, {"error": "invalid_client", "error_description": f"bad secret {SECRET}"}
        )

    client = EdubadgesClient(
        base_url=BASE,
        client_id="c",
        client_secret=SECRET,
        token_url=BASE + "/oidc/token",
        transport=httpx.MockTransport(handler),
    )
    with pytest.raises(EdubadgesAuthError) as info:
        client.issuers()
    assert info.value.server_code == "invalid_client"
    assert SECRET not in str(info.value)
    assert SECRET not in repr(info.value)
    assert SECRET not in json.dumps(info.value.to_dict())


def test_token_endpoint_must_issue_a_bearer_token() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return json_response(200, {"access_token": "x", "token_type": "mac"})

    client = EdubadgesClient(
        base_url=BASE,
        client_id="c",
        client_secret=SECRET,
        token_url=BASE + "/oidc/token",
        transport=httpx.MockTransport(handler),
    )
    with pytest.raises(EdubadgesAuthError, match="Bearer"):
        client.issuers()


# -- async twin ------------------------------------------------------------------------------


def test_async_client_recovers_from_an_ambiguous_failure_the_same_way() -> None:
    server = FakeHoldsAwards(lambda r: httpx.Response(500, text="boom"))
    sleeps: list[float] = []

    async def record_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    async def main() -> tuple[str | None, int]:
        async with AsyncEdubadgesClient(
            base_url=BASE, token=TOKEN, transport=httpx.MockTransport(server), sleep=record_sleep
        ) as client:
            assert TOKEN not in repr(client)
            result = await client.direct_award(BC, [ANA, BOB])
            return result.entity_id, len(result.already_present)

    assert asyncio.run(main()) == ("B2", 1)
    assert server.posts == [["Ana@Uni.nl", "bob@uni.nl"], ["bob@uni.nl"]]
    assert len(sleeps) == 1


def test_async_client_refreshes_tokens_before_expiry() -> None:
    server = TokenServer(lifetime=100)
    now = [0.0]

    async def main() -> None:
        async with AsyncEdubadgesClient(
            base_url=BASE,
            client_id="c",
            client_secret=SECRET,
            token_url=BASE + "/oidc/token",
            transport=httpx.MockTransport(server),
            clock=lambda: now[0],
        ) as client:
            await client.issuers()
            now[0] = 95.0
            await client.issuers()

    asyncio.run(main())
    assert len(server.issued) == 2
