"""The verify page's endpoints over real loopback HTTP, and ``--verify-only``."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from mcbadge import issue
from mcbadge.demo import sample_microcredential
from mcbadge.errors import InvalidInputError
from mcbadge.keys import KeyPair
from mcbadge.service import BackgroundServer, app_from_args, build_parser_serve, create_app
from mcbadge.service.web import CONTENT_SECURITY_POLICY, page_language

KEY = KeyPair.generate("Ed25519")


def _signed() -> dict[str, Any]:
    cred = sample_microcredential().to_credential(
        id="urn:uuid:9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", issuer_id=KEY.did_key
    )
    signed: dict[str, Any] = issue(cred, KEY)
    return signed


@pytest.fixture(scope="module")
def verify_only() -> Iterator[str]:
    signed = _signed()
    app = create_app(
        verify_only=True, max_body_bytes=64 * 1024, credential_lookup={signed["id"]: signed}.get
    )
    with BackgroundServer(app) as server:
        yield server.url


def test_verify_only_serves_the_page_and_verifies_but_cannot_issue(verify_only: str) -> None:
    page = httpx.get(verify_only + "/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "default-src 'self'" in CONTENT_SECURITY_POLICY
    assert page.headers["x-content-type-options"] == "nosniff"
    assert 'src="static/app.js"' in page.text and "https://" not in page.text  # relative
    issued = httpx.post(verify_only + "/credentials/issue", json={"credential": {}})
    assert issued.status_code == 404
    assert httpx.get(verify_only + "/health").json()["issuer"] is None
    # the VC API verify endpoint stays
    answer = httpx.post(
        verify_only + "/credentials/verify", json={"verifiableCredential": _signed()}
    )
    assert answer.status_code == 200 and answer.json()["summary"]["nlqf"] == "6"


def test_upload_takes_raw_bytes_and_answers_the_report(verify_only: str) -> None:
    signed = _signed()
    answer = httpx.post(verify_only + "/verify/upload", content=json.dumps(signed).encode())
    assert answer.status_code == 200
    body = answer.json()
    assert body["verified"] is True and body["errors"] == []
    assert body["summary"]["learner_name"] == "Jan Jansen"
    signed["credentialSubject"]["result"][0]["value"] = "10"
    body = httpx.post(verify_only + "/verify/upload", content=json.dumps(signed)).json()
    assert body["verified"] is False
    assert body["errors"][0]["check"] == "proof[0].signature"
    assert body["summary"]["results"][0]["value"] == "10"  # shown, and marked, by the page


def test_upload_refuses_garbage_empty_and_too_large(verify_only: str) -> None:
    garbage = httpx.post(verify_only + "/verify/upload", content=b"melk, brood")
    assert garbage.status_code == 400
    assert garbage.json()["error"]["code"] == "input_unrecognized"
    empty = httpx.post(verify_only + "/verify/upload", content=b"  ")
    assert empty.status_code == 400 and empty.json()["error"]["code"] == "input_empty"
    big = httpx.post(verify_only + "/verify/upload", content=b"{" + b" " * 70_000 + b"}")
    assert big.status_code == 413 and big.json()["error"]["code"] == "body_too_large"

    def chunks() -> Iterator[bytes]:  # no Content-Length: refused while it streams in
        for _ in range(40):
            yield b" " * 4096

    streamed = httpx.post(verify_only + "/verify/upload", content=chunks())
    assert streamed.status_code == 413


def test_issued_lookup(verify_only: str) -> None:
    known = httpx.get(
        verify_only + "/verify/issued",
        params={"id": "urn:uuid:9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"},
    )
    assert known.status_code == 200 and known.json()["verified"] is True
    unknown = httpx.get(verify_only + "/verify/issued", params={"id": "urn:uuid:nope"})
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "credential_unknown"
    assert httpx.get(verify_only + "/verify/issued").status_code == 400


def test_static_files_and_unknown_names(verify_only: str) -> None:
    js = httpx.get(verify_only + "/static/app.js")
    assert js.status_code == 200 and "textContent" in js.text
    assert httpx.get(verify_only + "/static/app.css").headers["content-type"].startswith("text/css")
    assert httpx.get(verify_only + "/static/..%2f__init__.py").status_code == 404


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        (None, "nl"),
        ("nl-NL,nl;q=0.9,en;q=0.8", "nl"),
        ("en-GB,en;q=0.9,nl;q=0.8", "en"),
        ("de-DE,de;q=0.9", "en"),
        ("de,nl;q=0.5,en;q=0.4", "nl"),
        ("garbage;;q=x", "en"),
    ],
)
def test_page_language_follows_accept_language(header: str | None, lang: str) -> None:
    assert page_language(header) == lang


def test_page_html_carries_the_language(verify_only: str) -> None:
    page = httpx.get(verify_only + "/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert '<html lang="en"' in page.text


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="mcbadge")
    build_parser_serve(parser.add_subparsers(dest="command"))
    return parser.parse_args(["serve", *argv])


def test_serve_needs_a_key_or_verify_only_but_not_both(tmp_path: Any) -> None:
    with pytest.raises(InvalidInputError, match="--verify-only"):
        app_from_args(_args())
    key_file = tmp_path / "k.pem"
    key_file.write_bytes(KEY.to_pem())
    with pytest.raises(InvalidInputError, match="takes no --key"):
        app_from_args(_args("--verify-only", "--key", str(key_file)))
    # verify-only on a public interface needs no token: it cannot issue
    app = app_from_args(_args("--verify-only", "--host", "0.0.0.0"))  # noqa: S104
    assert app.state.issuer_id is None
    with pytest.raises(InvalidInputError):
        create_app()
    with pytest.raises(InvalidInputError):
        create_app(key=KEY, verify_only=True)


def test_the_page_reads_issued_credentials_from_the_store_and_sees_revocation(
    tmp_path: Any,
) -> None:
    from mcbadge.store import open_store

    token = "page-token-0123456789abcdef"
    auth = {"Authorization": f"Bearer {token}"}
    credential = sample_microcredential().to_credential(
        id="urn:uuid:5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a", issuer_id=KEY.did_key
    )
    with open_store(data_dir=tmp_path) as store:
        app = create_app(key=KEY, issue_token=token, store=store)
        with BackgroundServer(app) as server, httpx.Client(base_url=server.url) as http:
            issued = http.post(
                "/credentials/issue", json={"credential": credential.to_json_dict()}, headers=auth
            )
            assert issued.status_code == 201, issued.text
            cid = credential.id
            page = http.get("/verify", params={"id": cid})
            assert page.status_code == 200 and "text/html" in page.headers["content-type"]
            report = http.get("/verify/issued", params={"id": cid}).json()
            assert report["verified"] is True
            assert report["summary"]["learner_name"] == "Jan Jansen"
            assert {c["id"]: c["status"] for c in report["checks"]}["status"] == "passed"
            revoke = {
                "credentialId": cid,
                "credentialStatus": {
                    "type": "BitstringStatusListEntry",
                    "statusPurpose": "revocation",
                },
            }
            assert http.post("/credentials/status", json=revoke, headers=auth).status_code == 200
            report = http.get("/verify/issued", params={"id": cid}).json()
            assert report["verified"] is False
            assert [(e["check"], e["code"]) for e in report["errors"]] == [("status", "revoked")]
        # a verify-only service on the same store finds the credential too (and no key)
        with BackgroundServer(create_app(verify_only=True, store=store)) as server:
            report = httpx.get(server.url + "/verify/issued", params={"id": cid}).json()
            assert report["summary"]["unit_name"] == "Data Privacy in de Zorg"
