"""Status in the service over real loopback HTTP: entries on issue, updates, hosted lists.

A SQLite store in a temp folder; uvicorn in a thread; httpx. The W3C suite's view of the same
endpoints is tests/conformance/w3c/test_bitstring_status_list_suite.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from mcbadge.keys import KeyPair
from mcbadge.service import BackgroundServer, create_app, service_loader
from mcbadge.status import BitstringStatusList, StatusChecker
from mcbadge.store import Store, open_store
from mcbadge.verify import verification_report
from tests.conftest import PROJECT_ROOT

KEYS = PROJECT_ROOT / "tests" / "keys"
TOKEN = "status-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
TIMEOUT = httpx.Timeout(30.0)


@pytest.fixture(scope="module")
def issuer_key() -> KeyPair:
    return KeyPair.from_pem((KEYS / "ed25519.pem").read_bytes())


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with open_store(data_dir=tmp_path_factory.mktemp("data")) as opened:
        yield opened


@pytest.fixture(scope="module")
def server(issuer_key: KeyPair, store: Store) -> Iterator[BackgroundServer]:
    app = create_app(
        key=issuer_key,
        issue_token=TOKEN,
        loader=service_loader(w3c_examples_context=True),
        store=store,
        status_purposes=("revocation", "suspension"),
    )
    with BackgroundServer(app) as running:
        yield running


@pytest.fixture()
def http(server: BackgroundServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=TIMEOUT) as client:
        yield client


def _issue(http: httpx.Client, credential_id: str, **extra: Any) -> dict[str, Any]:
    issuer = http.get("/health").json()["issuer"]
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": credential_id,
        "type": ["VerifiableCredential"],
        "issuer": issuer,
        "credentialSubject": {"id": "did:example:learner"},
        **extra,
    }
    response = http.post("/credentials/issue", json={"credential": credential}, headers=AUTH)
    assert response.status_code == 201, response.text
    vc: dict[str, Any] = response.json()["verifiableCredential"]
    return vc


def _update(http: httpx.Client, credential_id: str, purpose: str, **extra: Any) -> httpx.Response:
    body = {
        "credentialId": credential_id,
        "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": purpose},
        **extra,
    }
    return http.post("/credentials/status", json=body, headers=AUTH)


def _fetch_from(http: httpx.Client, server: BackgroundServer) -> StatusChecker:
    def fetch(url: str) -> bytes:
        assert url.startswith(server.url)
        return http.get(url[len(server.url) :]).content

    return StatusChecker(fetcher=fetch, cache_ttl=0)


def test_issue_adds_one_entry_per_purpose_on_the_public_url(
    http: httpx.Client, server: BackgroundServer
) -> None:
    vc = _issue(http, "urn:uuid:entries-1")
    revocation, suspension = vc["credentialStatus"]
    for entry, purpose in ((revocation, "revocation"), (suspension, "suspension")):
        assert entry["type"] == "BitstringStatusListEntry"
        assert entry["statusPurpose"] == purpose
        assert entry["statusListCredential"] == f"{server.url}/status/{purpose}/1"
        assert entry["id"] == f"{entry['statusListCredential']}#{entry['statusListIndex']}"
        assert 0 <= int(entry["statusListIndex"]) < 131072
    assert http.get("/health").json()["credentialStatus"] == ["revocation", "suspension"]


def test_issued_credential_is_in_the_log_with_its_entries(http: httpx.Client, store: Store) -> None:
    vc = _issue(http, "urn:uuid:logged-1")
    (record,) = store.issuances("urn:uuid:logged-1")
    assert json.loads(record.credential) == vc
    assert record.subject == "did:example:learner"
    assert record.format == "di"
    assert [(a.purpose, str(a.index)) for a in record.statuses] == [
        (e["statusPurpose"], e["statusListIndex"]) for e in vc["credentialStatus"]
    ]


def test_revocation_is_served_in_the_signed_list_and_seen_by_verification(
    http: httpx.Client, server: BackgroundServer, issuer_key: KeyPair
) -> None:
    vc = _issue(http, "urn:uuid:revoke-1")
    assert http.post("/credentials/verify", json={"verifiableCredential": vc}).status_code == 200
    response = _update(http, "urn:uuid:revoke-1", "revocation", reason="diploma fraud")
    assert response.status_code == 200, response.text
    (change,) = response.json()["changes"]
    assert change["action"] == "revoke" and change["changed"] is True
    # the service's verifier (offline, from the store) and an outside one (over HTTP) agree
    refused = http.post("/credentials/verify", json={"verifiableCredential": vc})
    assert refused.status_code == 400
    assert "revoked" in [e["code"] for e in refused.json()["errors"]]
    report = verification_report(
        vc,
        status_checker=_fetch_from(http, server),
        loader=service_loader(w3c_examples_context=True),
    )
    assert not report.verified
    revocation_entry = vc["credentialStatus"][0]
    listed = http.get(revocation_entry["statusListCredential"][len(server.url) :]).json()
    bits = BitstringStatusList.decode(listed["credentialSubject"]["encodedList"])
    assert bits.get(int(revocation_entry["statusListIndex"])) == 1


def test_suspend_then_reinstate(http: httpx.Client, server: BackgroundServer) -> None:
    vc = _issue(http, "urn:uuid:suspend-1")
    assert _update(http, "urn:uuid:suspend-1", "suspension").status_code == 200
    assert http.post("/credentials/verify", json={"verifiableCredential": vc}).status_code == 400
    back = _update(http, "urn:uuid:suspend-1", "suspension", status=False)
    assert back.status_code == 200 and back.json()["changes"][0]["action"] == "reinstate"
    assert http.post("/credentials/verify", json={"verifiableCredential": vc}).status_code == 200


def test_status_list_is_valid_from_its_creation_not_from_its_signature(
    http: httpx.Client,
) -> None:
    # a verifier takes "now" before it fetches the list; a list signed at that fetch and
    # valid only from then would be "not yet valid" to it (seen once in 10,000 verifications)
    vc = _issue(http, "urn:uuid:valid-from-1")
    _update(http, "urn:uuid:valid-from-1", "suspension")
    lists = {
        e["statusListCredential"]: http.get(
            "/status/" + e["statusListCredential"].split("/status/", 1)[1]
        ).json()
        for e in vc["credentialStatus"]
    }
    for listed in lists.values():
        assert listed["validFrom"] <= vc["proof"][0]["created"]
    report = verification_report(
        vc,
        status_checker=StatusChecker(fetcher=lists.__getitem__, cache_ttl=0),
        loader=service_loader(w3c_examples_context=True),
        clock=lambda: datetime.fromisoformat(vc["proof"][0]["created"].replace("Z", "+00:00")),
    )
    assert [c.error_code for c in report.failed_checks] == ["suspended"]


def test_status_list_has_an_etag_and_answers_304_until_it_changes(http: httpx.Client) -> None:
    _issue(http, "urn:uuid:etag-1")
    first = http.get("/status/revocation/1")
    assert first.status_code == 200
    assert first.headers["content-type"].startswith("application/vc+ld+json")
    etag = first.headers["ETag"]
    same = http.get("/status/revocation/1")
    assert same.content == first.content and same.headers["ETag"] == etag
    cached = http.get("/status/revocation/1", headers={"If-None-Match": etag})
    assert cached.status_code == 304 and cached.content == b""
    assert _update(http, "urn:uuid:etag-1", "revocation").status_code == 200
    changed = http.get("/status/revocation/1", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_status_update_needs_the_issue_token(http: httpx.Client) -> None:
    _issue(http, "urn:uuid:auth-1")
    body = {
        "credentialId": "urn:uuid:auth-1",
        "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"},
    }
    assert http.post("/credentials/status", json=body).status_code == 401
    wrong = {"Authorization": "Bearer not-the-token-0123456789"}
    assert http.post("/credentials/status", json=body, headers=wrong).status_code == 401


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (
            {
                "credentialId": "urn:uuid:nobody",
                "credentialStatus": {
                    "type": "BitstringStatusListEntry",
                    "statusPurpose": "revocation",
                },
            },
            404,
            "status_entry_not_found",
        ),
        (
            {
                "credentialId": "urn:uuid:x",
                "credentialStatus": {
                    "type": "BitstringStatusListEntry",
                    "statusPurpose": "message",
                },
            },
            400,
            "status_request_invalid",
        ),
        (
            {
                "credentialId": "urn:uuid:x",
                "credentialStatus": {"type": "Other", "statusPurpose": "revocation"},
            },
            400,
            "status_request_invalid",
        ),
        ({"credentialId": "urn:uuid:x"}, 400, "status_request_invalid"),
        (
            {
                "credentialId": "urn:uuid:x",
                "credentialStatus": {
                    "type": "BitstringStatusListEntry",
                    "statusPurpose": "revocation",
                },
                "status": "yes",
            },
            400,
            "status_request_invalid",
        ),
        ({"credentialId": "urn:uuid:x", "credentialStatus": {}, "extra": 1}, 400, "unknown_member"),
    ],
    ids=["unknown-credential", "purpose", "type", "no-status", "status-not-bool", "unknown"],
)
def test_bad_status_updates_are_refused_with_a_code(
    http: httpx.Client, body: dict[str, Any], status: int, code: str
) -> None:
    response = http.post("/credentials/status", json=body, headers=AUTH)
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code


def test_a_revocation_cannot_be_undone_over_http(http: httpx.Client) -> None:
    _issue(http, "urn:uuid:final-1")
    assert _update(http, "urn:uuid:final-1", "revocation").status_code == 200
    undo = _update(http, "urn:uuid:final-1", "revocation", status=False)
    assert undo.status_code == 409
    assert undo.json()["error"]["code"] == "status_not_reversible"


def test_a_credential_with_its_own_credential_status_is_refused(http: httpx.Client) -> None:
    issuer = http.get("/health").json()["issuer"]
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": issuer,
        "credentialSubject": {"id": "did:example:learner"},
        "credentialStatus": {
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "1",
            "statusListCredential": "https://elsewhere.example/list",
        },
    }
    response = http.post("/credentials/issue", json={"credential": credential}, headers=AUTH)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "credential_status_present"


def test_unknown_status_list_is_404(http: httpx.Client) -> None:
    response = http.get("/status/revocation/99")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "status_list_not_found"


def test_a_service_without_a_store_keeps_no_status(issuer_key: KeyPair, tmp_path: Path) -> None:
    app = create_app(key=issuer_key, issue_token=TOKEN)
    with (
        BackgroundServer(app) as running,
        httpx.Client(base_url=running.url, timeout=TIMEOUT) as client,
    ):
        response = _update(client, "urn:uuid:x", "revocation")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "status_not_configured"
        assert client.get("/status/revocation/1").status_code == 404
        assert "credentialStatus" not in client.get("/health").json()


def test_jwt_issuance_is_logged_as_the_token(http: httpx.Client, store: Store) -> None:
    issuer = http.get("/health").json()["issuer"]
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "urn:uuid:jwt-1",
        "type": ["VerifiableCredential"],
        "issuer": issuer,
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner"},
    }
    response = http.post(
        "/credentials/issue",
        json={"credential": credential, "options": {"format": "jwt"}},
        headers=AUTH,
    )
    assert response.status_code == 201, response.text
    envelope = response.json()["verifiableCredential"]
    (record,) = store.issuances("urn:uuid:jwt-1")
    assert record.format == "jwt"
    assert envelope["id"] == f"data:application/vc+jwt,{record.credential}"
