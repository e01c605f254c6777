"""Every edubadges error shape becomes a typed EdubadgesError; secrets never leak."""

from __future__ import annotations

import json
import logging
import random

import httpx
import pytest

from mcbadge.edubadges import (
    EdubadgesAuthError,
    EdubadgesClient,
    EdubadgesError,
    EdubadgesNotFoundError,
    EdubadgesPermissionError,
    EdubadgesProtocolError,
    EdubadgesServerError,
    EdubadgesValidationError,
    Recipient,
)
from mcbadge.errors import McBadgeError

BASE = "https://api.edubadges.test"
TOKEN = "tok-SECRET-77aa"  # noqa: S105 - a test credential
SECRET = "cs-SECRET-88bb"  # noqa: S105
ANA = Recipient(email="ana@uni.nl", eppn="s1@uni.nl")


def client_answering(response: httpx.Response) -> EdubadgesClient:
    return EdubadgesClient(
        base_url=BASE,
        token=TOKEN,
        transport=httpx.MockTransport(lambda r: response),
        retries=0,
        sleep=lambda s: None,
    )


CASES = [
    pytest.param(
        httpx.Response(
            400,
            json={
                "detail": "validation_error",
                "fields": {
                    "error_message": "You don't have the necessary permissions",
                    "error_code": "100",
                },
            },
        ),
        EdubadgesPermissionError,
        "validation_error",
        "100",
        {},
        "You don't have the necessary permissions",
        id="validation_error-code-100-is-permission",
    ),
    pytest.param(
        httpx.Response(
            400,
            json={
                "detail": "validation_error",
                "fields": {
                    "error_message": {
                        "revocation_reason": [
                            {"error_message": "This field is required", "error_code": 999}
                        ]
                    },
                    "error_code": 999,
                },
            },
        ),
        EdubadgesValidationError,
        "validation_error",
        "999",
        {"revocation_reason": ["This field is required"]},
        "revocation_reason: This field is required",
        id="validation_error-with-field-errors",
    ),
    pytest.param(
        httpx.Response(
            400, json={"error": "No valid DirectAwards are created. All of them were rejected: []"}
        ),
        EdubadgesValidationError,
        "error",
        None,
        {},
        "No valid DirectAwards are created",
        id="error-shape",
    ),
    pytest.param(
        httpx.Response(
            400,
            json={
                "direct_awards": [{}, {"recipient_email": ["Enter a valid email address."]}],
                "notify_recipients": ["This field is required."],
            },
        ),
        EdubadgesValidationError,
        "fields",
        None,
        {
            "direct_awards[1].recipient_email": ["Enter a valid email address."],
            "notify_recipients": ["This field is required."],
        },
        "direct_awards[1].recipient_email: Enter a valid email address.",
        id="drf-field-errors",
    ),
    pytest.param(
        httpx.Response(400, json={"scheduled_at": "Scheduled time must be in the future."}),
        EdubadgesValidationError,
        "fields",
        None,
        {"scheduled_at": ["Scheduled time must be in the future."]},
        "scheduled_at: Scheduled time must be in the future.",
        id="drf-field-error-string",
    ),
    pytest.param(
        httpx.Response(403, json={"detail": "Authentication credentials were not provided."}),
        EdubadgesAuthError,
        "detail",
        None,
        {},
        "Authentication credentials were not provided.",
        id="detail-403-not-authenticated",
    ),
    pytest.param(
        httpx.Response(403, json={"detail": "You do not have permission to perform this action."}),
        EdubadgesPermissionError,
        "detail",
        None,
        {},
        "You do not have permission",
        id="detail-403-permission",
    ),
    pytest.param(
        httpx.Response(401, json={"detail": "Invalid token."}),
        EdubadgesAuthError,
        "detail",
        None,
        {},
        "Invalid token.",
        id="detail-401",
    ),
    pytest.param(
        httpx.Response(404, json={"detail": "Not found."}),
        EdubadgesNotFoundError,
        "detail",
        None,
        {},
        "Not found.",
        id="detail-404",
    ),
    pytest.param(
        httpx.Response(404),
        EdubadgesNotFoundError,
        "empty",
        None,
        {},
        "empty body",
        id="empty-404",
    ),
    pytest.param(
        httpx.Response(
            500, text="<h1>Server Error (500)</h1>", headers={"Content-Type": "text/html"}
        ),
        EdubadgesServerError,
        "text",
        None,
        {},
        "non-JSON (text/html) body",
        id="html-500",
    ),
    pytest.param(
        httpx.Response(302, headers={"Location": "https://ui.example/public/x"}),
        EdubadgesProtocolError,
        "empty",
        None,
        {},
        "redirected to https://ui.example",
        id="redirect",
    ),
]


@pytest.mark.parametrize(("response", "cls", "shape", "server_code", "fields", "text"), CASES)
def test_error_shapes_map_to_typed_errors(
    response: httpx.Response,
    cls: type[EdubadgesError],
    shape: str,
    server_code: str | None,
    fields: dict[str, list[str]],
    text: str,
) -> None:
    with pytest.raises(cls) as info:
        client_answering(response).direct_award("BC", [ANA])
    error = info.value
    assert isinstance(error, EdubadgesError)
    assert isinstance(error, McBadgeError)
    assert error.status == response.status_code
    assert error.shape == shape  # type: ignore[attr-defined]
    assert error.server_code == server_code  # type: ignore[attr-defined]
    assert error.fields == fields
    assert text in str(error)
    assert str(error).startswith("direct_award:")
    assert error.to_dict()["details"]["status"] == response.status_code


def test_a_successful_status_without_json_is_a_protocol_error() -> None:
    client = client_answering(httpx.Response(200, text="<html>login</html>"))
    with pytest.raises(EdubadgesProtocolError, match="without JSON"):
        client.issuers()


def test_an_answer_of_the_wrong_shape_is_a_protocol_error() -> None:
    client = client_answering(httpx.Response(200, json={"not": "a list"}))
    with pytest.raises(EdubadgesProtocolError, match="expected a JSON list"):
        client.issuers()
    client = client_answering(httpx.Response(200, json=[{"name": "no id"}]))
    with pytest.raises(EdubadgesProtocolError, match="IssuerSummary"):
        client.issuers()


def test_secrets_echoed_by_a_server_are_redacted_from_messages() -> None:
    body = {"error": f"bad token {TOKEN}"}
    with pytest.raises(EdubadgesValidationError) as info:
        client_answering(httpx.Response(400, json=body)).direct_award("BC", [ANA])
    assert TOKEN not in str(info.value)
    assert "**********" in str(info.value)


def test_no_token_secret_or_access_token_in_any_log_record_repr_or_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    access = "at-SECRET-99cc"
    answers = iter([503, 200, 403, 500, 201])

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oidc/token":
            return httpx.Response(200, json={"access_token": access, "expires_in": 60})
        if request.url.path == "/queries/direct-awards":
            return httpx.Response(200, json=[])
        status = next(answers)
        if status == 403:
            return httpx.Response(
                403, json={"detail": "Authentication credentials were not provided."}
            )
        if status == 201:
            return httpx.Response(201, json={"badgeclass": "BC", "entity_id": "B"})
        return httpx.Response(status, json=[] if status == 200 else {"error": "x"})

    caplog.set_level(logging.DEBUG)
    client = EdubadgesClient(
        base_url=BASE,
        client_id="sis",
        client_secret=SECRET,
        token_url=BASE + "/oidc/token",
        transport=httpx.MockTransport(handler),
        sleep=lambda s: None,
        rng=random.Random(1),
    )
    client.issuers()  # 503 then 200: a retry is logged
    client.direct_award("BC", [ANA])  # 403 refresh, 500 ambiguous, check, 201
    with pytest.raises(EdubadgesError) as info:
        EdubadgesClient(
            base_url=BASE,
            token=TOKEN,
            retries=0,
            transport=httpx.MockTransport(
                lambda r: httpx.Response(401, json={"detail": "Invalid token."})
            ),
        ).issuers()
    records = "\n".join(
        f"{r.name} {r.getMessage()} {r.args!r} {r.__dict__!r}" for r in caplog.records
    )
    assert "retrying" in records  # the logs say what happened...
    assert "checking which of 1 learners" in records
    for secret in (TOKEN, SECRET, access):  # ...but never with a credential
        assert secret not in records
        assert secret not in repr(client)
        assert secret not in str(info.value)
        assert secret not in repr(info.value)
        assert secret not in json.dumps(info.value.to_dict())
