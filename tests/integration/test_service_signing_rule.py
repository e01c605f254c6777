"""mcbadge serve signs only what its own /credentials/verify accepts (issue 11, point 1)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from mcbadge.demo import sample_microcredential
from mcbadge.keys import KeyPair
from mcbadge.service import BackgroundServer, create_app

KEY = KeyPair.from_seed(bytes(range(140, 172)))
TOKEN = "rule-token-0123456789abcdef"


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with BackgroundServer(create_app(key=KEY, issue_token=TOKEN)) as server:
        with httpx.Client(base_url=server.url, timeout=httpx.Timeout(60.0)) as http:
            yield http


def _ob3() -> dict[str, Any]:
    out: dict[str, Any] = (
        sample_microcredential()
        .to_credential(
            id="urn:uuid:5e0c7d1a-2b3c-4d5e-8f90-a1b2c3d4e5f6",
            valid_from="2026-01-15T10:00:00Z",
            issuer_id=KEY.did_key,
        )
        .to_json_dict()
    )
    return out


def _issue(client: httpx.Client, credential: dict[str, Any]) -> httpx.Response:
    return client.post(
        "/credentials/issue",
        json={"credential": credential},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )


def test_an_ob3_credential_without_id_is_refused_with_the_schema_code(
    client: httpx.Client,
) -> None:
    credential = _ob3()
    del credential["id"]
    response = _issue(client, credential)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "schema_invalid"


def test_what_the_service_signs_its_verify_endpoint_accepts(client: httpx.Client) -> None:
    response = _issue(client, _ob3())
    assert response.status_code == 201, response.text
    signed = response.json()["verifiableCredential"]
    verified = client.post("/credentials/verify", json={"verifiableCredential": signed})
    assert verified.status_code == 200, verified.text


def test_an_ob3_subject_without_identifier_is_refused(client: httpx.Client) -> None:
    credential = _ob3()
    credential["credentialSubject"].pop("identifier", None)
    credential["credentialSubject"].pop("id", None)
    response = _issue(client, credential)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] in ("subject_identifier_missing", "schema_invalid")
