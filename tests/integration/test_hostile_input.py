"""Issue 10: hostile input through ``mcbadge verify`` and the service, as an attacker sends it.

A credential holding a 5,000-digit number (F7) or a lone surrogate ``\\ud800`` (F10) used to
print a traceback from the command line and answer HTTP 500 from the service; a 10,000-subject
document with an inline context (F4) pinned a CPU for half a minute. Each now gets a typed
error: exit 2 with the code, or a 4xx JSON error.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from mcbadge.keys import KeyPair
from mcbadge.service import BackgroundServer, create_app
from tests.integration.test_cli_verify import run, write
from tests.unit.test_verify import ob3_credential, sign

HUGE = "9" * 5000
SURROGATE = '"Data Privacy \\ud800"'


def credential_text(raw_name: str) -> str:
    """A signed credential's JSON text with the ``name`` member's value replaced, raw."""
    text = json.dumps(sign(ob3_credential()))
    return text.replace('"name": "Data Privacy in de Zorg"', f'"name": {raw_name}', 1)


CASES = [(HUGE, "json_number_too_long"), (SURROGATE, "json_lone_surrogate")]
IDS = ["huge-number", "lone-surrogate"]


@pytest.mark.parametrize(("raw", "code"), CASES, ids=IDS)
def test_cli_verify_gives_the_code_not_a_traceback(tmp_path: Path, raw: str, code: str) -> None:
    path = write(tmp_path, "credential.json", credential_text(raw))
    result = run("--json", "verify", path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert json.loads(result.stderr)["error"]["code"] == code
    piped = run("verify", "-", stdin=credential_text(raw))
    assert piped.returncode == 2, piped.stdout + piped.stderr
    assert "Traceback" not in piped.stderr and code in piped.stderr


@pytest.fixture(scope="module")
def server() -> Iterator[BackgroundServer]:
    app = create_app(key=KeyPair.generate("Ed25519"), issue_token="t" * 32)
    with BackgroundServer(app) as running:
        yield running


@pytest.fixture()
def client(server: BackgroundServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=httpx.Timeout(60.0)) as http:
        yield http


def _error(response: httpx.Response) -> dict[str, Any]:
    assert response.headers["content-type"].startswith("application/json"), response.text
    body: dict[str, Any] = response.json()["error"]
    return body


@pytest.mark.parametrize(("raw", "code"), CASES, ids=IDS)
def test_service_answers_400_json_for_unreadable_json(
    client: httpx.Client, raw: str, code: str
) -> None:
    body = '{"verifiableCredential": ' + credential_text(raw) + "}"
    response = client.post(
        "/credentials/verify", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400, response.text
    assert _error(response)["code"] == code


@pytest.mark.parametrize("count", [10_000, 20_000])
def test_service_refuses_ten_thousand_subjects_with_a_4xx_json_error(
    client: httpx.Client, count: int
) -> None:
    from tests.unit.test_jsonld_limits import many_subjects

    document = many_subjects(count)
    document["credentialSubject"] = [{"id": f"did:x:{n}"} for n in range(count)]
    document["proof"] = sign(ob3_credential())["proof"]
    body = json.dumps({"verifiableCredential": document}, separators=(",", ":"))
    assert len(body) < 1_048_576  # inside the service's default body limit
    response = client.post(
        "/credentials/verify", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert "jsonld_too_large" in response.text, response.text[:800]
