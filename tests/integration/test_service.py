"""The VC API service over real loopback HTTP: uvicorn in a thread (and one subprocess), httpx.

Every server listens on 127.0.0.1 with a port the OS chooses; every request has a timeout and
every loop is bounded.
"""

from __future__ import annotations

import copy
import datetime as dt
import ipaddress
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from mcbadge.errors import InvalidInputError
from mcbadge.jsonld.loader import DocumentLoader
from mcbadge.jsonld.urls import DATA_INTEGRITY_V2_CONTEXT_URL, VC_V1_CONTEXT_URL, VC_V2_CONTEXT_URL
from mcbadge.keys import KeyPair
from mcbadge.proofs import add_proof
from mcbadge.service import (
    DEFAULT_MAX_BODY_BYTES,
    MAX_JSON_DEPTH,
    W3C_EXAMPLES_V2_CONTEXT_URL,
    BackgroundServer,
    create_app,
    main_serve,
    service_loader,
)
from mcbadge.verify import verification_report
from tests.conftest import PROJECT_ROOT
from tests.ports import free_port

KEYS = PROJECT_ROOT / "tests" / "keys"
TOKEN = "test-token-0123456789abcdef"
MAX_BODY = 64 * 1024
TIMEOUT = httpx.Timeout(30.0)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def issuer_key() -> KeyPair:
    return KeyPair.from_pem((KEYS / "ed25519.pem").read_bytes())


@pytest.fixture(scope="module")
def holder_key() -> KeyPair:
    return KeyPair.generate("Ed25519")


@pytest.fixture(scope="module")
def server(issuer_key: KeyPair) -> Iterator[BackgroundServer]:
    app = create_app(
        key=issuer_key,
        issue_token=TOKEN,
        max_body_bytes=MAX_BODY,
        loader=service_loader(w3c_examples_context=True),
    )
    with BackgroundServer(app) as running:
        yield running


@pytest.fixture()
def client(server: BackgroundServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=TIMEOUT) as http:
        yield http


def _auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


def _generic_credential(issuer: str) -> dict[str, Any]:
    """A VC 2.0 credential that is not OB3, using the W3C examples context."""
    return {
        "@context": [VC_V2_CONTEXT_URL, W3C_EXAMPLES_V2_CONTEXT_URL],
        "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
        "type": ["VerifiableCredential", "AlumniCredential"],
        "name": "Alumni Credential",
        "issuer": issuer,
        "validFrom": "2023-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
    }


def _ob3_credential(issuer: str) -> dict[str, Any]:
    from mcbadge.demo import sample_microcredential

    credential = sample_microcredential().to_credential(
        id="urn:uuid:3f1c9a52-8a3b-4c55-9e21-6f0d7c2b1a90",
        valid_from="2025-11-23T10:00:00Z",
        issuer_id=issuer,
    )
    out: dict[str, Any] = credential.to_json_dict()
    return out


def _issue(client: httpx.Client, credential: Any, options: Any = None) -> httpx.Response:
    body: dict[str, Any] = {"credential": credential}
    if options is not None:
        body["options"] = options
    return client.post("/credentials/issue", json=body, headers=_auth())


def _issued(client: httpx.Client, credential: Any, options: Any = None) -> Any:
    response = _issue(client, credential, options)
    assert response.status_code == 201, response.text
    return response.json()["verifiableCredential"]


def _error_code(response: httpx.Response) -> str:
    body = response.json()
    assert set(body) == {"error"}, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    code: str = body["error"]["code"]
    return code


def _failed_ids(report: dict[str, Any]) -> list[str]:
    return [c["id"] for c in report["checks"] if c["status"] == "failed"]


# --------------------------------------------------------------------------- health, routing


def test_health_reports_ok_version_and_the_issuer(
    client: httpx.Client, issuer_key: KeyPair
) -> None:
    from mcbadge import __version__

    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": __version__, "issuer": issuer_key.did_key}


def test_unknown_path_and_wrong_method_answer_json_errors(client: httpx.Client) -> None:
    missing = client.get("/credentials/nothing-here")
    assert missing.status_code == 404
    assert _error_code(missing) == "not_found"
    wrong = client.get("/credentials/issue")
    assert wrong.status_code == 405
    assert _error_code(wrong) == "method_not_allowed"
    assert "POST" in wrong.headers["allow"]


# --------------------------------------------------------------------------- issue


@pytest.mark.parametrize(
    ("options", "suite"),
    [
        (None, "eddsa-rdfc-2022"),
        ({}, "eddsa-rdfc-2022"),
        ({"cryptosuite": "eddsa-rdfc-2022"}, "eddsa-rdfc-2022"),
        ({"cryptosuite": "eddsa-jcs-2022"}, "eddsa-jcs-2022"),
    ],
)
def test_issue_signs_a_generic_vc_with_the_requested_cryptosuite(
    client: httpx.Client, issuer_key: KeyPair, options: Any, suite: str
) -> None:
    credential = _generic_credential(issuer_key.did_key)
    signed = _issued(client, credential, options)
    (proof,) = signed["proof"]
    assert proof["cryptosuite"] == suite
    assert proof["verificationMethod"] == issuer_key.did_key_verification_method
    assert proof["proofPurpose"] == "assertionMethod"
    assert {k: v for k, v in signed.items() if k != "proof"} == credential
    report = verification_report(signed, loader=service_loader(w3c_examples_context=True))
    assert report.verified, report


def test_issue_uses_the_created_option(client: httpx.Client, issuer_key: KeyPair) -> None:
    signed = _issued(
        client, _generic_credential(issuer_key.did_key), {"created": "2024-05-01T12:00:00Z"}
    )
    assert signed["proof"][0]["created"] == "2024-05-01T12:00:00Z"


def test_issue_accepts_an_issuer_object_and_an_ob3_microcredential(
    client: httpx.Client, issuer_key: KeyPair
) -> None:
    credential = _ob3_credential(issuer_key.did_key)
    assert isinstance(credential["issuer"], dict)
    signed = _issued(client, credential)
    verified = client.post("/credentials/verify", json={"verifiableCredential": signed})
    assert verified.status_code == 200, verified.text
    assert verified.json()["verified"] is True


def test_issue_jwt_answers_an_enveloped_credential_that_verifies(
    client: httpx.Client, issuer_key: KeyPair
) -> None:
    enveloped = _issued(client, _generic_credential(issuer_key.did_key), {"format": "jwt"})
    assert enveloped["type"] == "EnvelopedVerifiableCredential"
    assert enveloped["@context"] == VC_V2_CONTEXT_URL
    prefix = "data:application/vc+jwt,"
    assert enveloped["id"].startswith(prefix)
    token = enveloped["id"][len(prefix) :]
    assert token.count(".") == 2
    for form in (enveloped, token):
        response = client.post("/credentials/verify", json={"verifiableCredential": form})
        assert response.status_code == 200, response.text
        report = response.json()
        assert report["verified"] is True
        assert report["format"] == "jwt"
        assert report["errors"] == []


def test_issue_refuses_a_credential_for_another_issuer(client: httpx.Client) -> None:
    credential = _generic_credential("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK")
    response = _issue(client, credential)
    assert response.status_code == 400
    assert _error_code(response) == "issuer_mismatch"
    missing = _generic_credential("x")
    del missing["issuer"]
    assert _error_code(_issue(client, missing)) == "issuer_missing"


def test_issue_refuses_a_credential_that_already_has_a_proof(
    client: httpx.Client, issuer_key: KeyPair
) -> None:
    signed = _issued(client, _generic_credential(issuer_key.did_key))
    response = _issue(client, signed)
    assert response.status_code == 400
    assert _error_code(response) == "credential_has_proof"


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ({"proofPurpose": "authentication"}, "unknown_option"),
        ({"cryptosuite": "ecdsa-rdfc-2019"}, "option_invalid"),
        ({"format": "ldp"}, "option_invalid"),
        ({"format": "jwt", "cryptosuite": "eddsa-jcs-2022"}, "option_conflict"),
        ({"created": "yesterday"}, "option_invalid"),
        (["eddsa-rdfc-2022"], "options_malformed"),
    ],
)
def test_issue_refuses_bad_options_with_a_clear_message(
    client: httpx.Client, issuer_key: KeyPair, options: Any, code: str
) -> None:
    response = _issue(client, _generic_credential(issuer_key.did_key), options)
    assert response.status_code == 400
    assert _error_code(response) == code
    if code == "unknown_option":
        message = response.json()["error"]["message"]
        assert "proofPurpose" in message and "cryptosuite" in message


def _without(credential: dict[str, Any], member: str) -> dict[str, Any]:
    return {k: v for k, v in credential.items() if k != member}


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (
            lambda c: {**c, "@context": [W3C_EXAMPLES_V2_CONTEXT_URL, VC_V2_CONTEXT_URL]},
            "context_invalid",
        ),
        (lambda c: {**c, "type": ["AlumniCredential"]}, "type_invalid"),
        # The VC Data Model 2.0 rules verify() checks (mcbadge.verify.vcdm): refused before
        # signing, with the code verify() reports.
        (lambda c: {**c, "credentialSubject": {}}, "subject_empty"),
        (lambda c: {**c, "evidence": {"id": "https://x.example/e"}}, "evidence_invalid"),
        (lambda c: {**c, "termsOfUse": {}}, "terms_of_use_invalid"),
        (lambda c: {**c, "credentialStatus": {"id": "https://x.example/s"}}, "status_malformed"),
        (
            lambda c: {**c, "refreshService": {"id": "https://x.example/r"}},
            "refresh_service_invalid",
        ),
        (lambda c: {**c, "credentialSchema": {"type": "JsonSchema"}}, "credential_schema_invalid"),
        (lambda c: {**c, "validFrom": "Sat 25 Feb 2023 07:16:31 PM CST"}, "date_malformed"),
        (
            lambda c: {**c, "validUntil": "2022-01-01T00:00:00Z"},
            "validity_period_invalid",
        ),
        (
            lambda c: {**c, "relatedResource": [{"id": VC_V2_CONTEXT_URL}]},
            "related_resource_invalid",
        ),
        (
            lambda c: {
                **c,
                "relatedResource": [
                    {"id": VC_V2_CONTEXT_URL, "digestMultibase": "u" + "A" * 42 + "A"}
                ],
            },
            "related_resource_digest_mismatch",
        ),
        (lambda c: _without(c, "credentialSubject"), "credential_subject_missing"),
        (lambda c: {**c, "undefinedTerm": 1, "@context": [VC_V2_CONTEXT_URL]}, "jsonld_not_strict"),
        (
            lambda c: {**c, "@context": [VC_V2_CONTEXT_URL, "https://unknown.example/ctx/v1"]},
            "context_unknown",
        ),
    ],
)
def test_issue_refuses_credentials_it_must_not_sign(
    client: httpx.Client, issuer_key: KeyPair, change: Any, code: str
) -> None:
    response = _issue(client, change(_generic_credential(issuer_key.did_key)))
    assert response.status_code == 400, response.text
    assert _error_code(response) == code


def _vc11_credential(issuer: str) -> dict[str, Any]:
    """The VC 1.1 credential the W3C vc-di-eddsa and VC API suites send to an issuer."""
    return {
        "@context": [VC_V1_CONTEXT_URL],
        "id": "urn:uuid:86294362-4254-4f36-854f-3952fe42555d",
        "type": ["VerifiableCredential"],
        "issuer": issuer,
        "issuanceDate": "2020-03-16T22:37:26.544Z",
        "credentialSubject": {"id": "did:example:abcdefgh"},
    }


def test_issue_signs_a_vc_1_1_credential_with_eddsa_rdfc_2022(
    client: httpx.Client, issuer_key: KeyPair
) -> None:
    sent = _vc11_credential(issuer_key.did_key)
    signed = _issued(client, sent, {"cryptosuite": "eddsa-rdfc-2022"})
    # VC 1.1 does not define DataIntegrityProof: the Data Integrity context is appended (as
    # the digitalbazaar stack does); nothing the caller set is dropped or changed.
    assert signed["@context"] == [VC_V1_CONTEXT_URL, DATA_INTEGRITY_V2_CONTEXT_URL]
    assert {k: v for k, v in signed.items() if k not in ("@context", "proof")} == {
        k: v for k, v in sent.items() if k != "@context"
    }
    # One proof, written as an object, as VC 1.1 verifiers expect.
    assert isinstance(signed["proof"], dict)
    assert signed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    report = verification_report(signed)
    assert report.verified, report
    assert report.format == "di-legacy"
    verified = client.post("/credentials/verify", json={"verifiableCredential": signed})
    assert verified.status_code == 200, verified.text
    # A default request (no options) signs with eddsa-rdfc-2022 too.
    assert _issued(client, sent)["proof"]["cryptosuite"] == "eddsa-rdfc-2022"


@pytest.mark.parametrize(
    "options", [{"cryptosuite": "eddsa-jcs-2022"}, {"format": "jwt"}], ids=["jcs", "jwt"]
)
def test_issue_signs_vc_1_1_only_with_eddsa_rdfc_2022(
    client: httpx.Client, issuer_key: KeyPair, options: dict[str, str]
) -> None:
    response = _issue(client, _vc11_credential(issuer_key.did_key), options)
    assert response.status_code == 400, response.text
    assert _error_code(response) == "context_invalid"
    assert "eddsa-rdfc-2022" in response.json()["error"]["message"]


def test_issue_refuses_unknown_request_members_and_missing_credential(
    client: httpx.Client, issuer_key: KeyPair
) -> None:
    extra = client.post(
        "/credentials/issue",
        json={"credential": _generic_credential(issuer_key.did_key), "proof": {}},
        headers=_auth(),
    )
    assert _error_code(extra) == "unknown_member"
    missing = client.post("/credentials/issue", json={"options": {}}, headers=_auth())
    assert missing.status_code == 400
    assert _error_code(missing) == "credential_missing"


# --------------------------------------------------------------------------- auth


@pytest.mark.parametrize(
    ("header", "code"),
    [
        (None, "unauthorized"),
        ("Bearer wrong-token-0123456789abcdef", "invalid_token"),
        (f"Bearer {TOKEN}x", "invalid_token"),
        (f"Basic {TOKEN}", "invalid_token"),
        ("Bearer", "invalid_token"),
    ],
)
def test_issue_needs_the_bearer_token(
    client: httpx.Client, issuer_key: KeyPair, header: str | None, code: str
) -> None:
    headers = {} if header is None else {"Authorization": header}
    response = client.post(
        "/credentials/issue",
        json={"credential": _generic_credential(issuer_key.did_key)},
        headers=headers,
    )
    assert response.status_code == 401
    assert _error_code(response) == code
    assert response.headers["www-authenticate"].startswith('Bearer realm="mcbadge"')


def test_auth_is_checked_before_the_body_is_read(client: httpx.Client) -> None:
    response = client.post(
        "/credentials/issue", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 401


def test_a_refused_request_reads_its_small_body_before_closing(
    server: BackgroundServer, issuer_key: KeyPair
) -> None:
    """An early 401 waits for the rest of a small body, then answers and closes.

    The CI flake this fixes: the service answered 401 before reading the body and closed the
    connection. Body bytes that had reached the server's kernel but were not read make close()
    send a TCP reset instead of a FIN, which throws away whatever of the answer had not been
    sent yet: the client saw "connection reset by peer" while reading the 401. The race
    depends on load, so the test shows the mechanism: with the headers alone the service
    gives no answer yet; once the body is there, the 401 comes, and the connection closes.
    """
    host, port = server.url.removeprefix("http://").rsplit(":", 1)
    body = json.dumps({"credential": _generic_credential(issuer_key.did_key)}).encode()
    head = (
        b"POST /credentials/issue HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
    )
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(head)
        sock.settimeout(0.5)
        with pytest.raises(TimeoutError):
            early = sock.recv(65536)
            pytest.fail(f"the service answered before the body was read: {early[:120]!r}")
        sock.settimeout(10)
        sock.sendall(body)
        received = _read_until_closed(sock)
    status_line, _, rest = received.partition(b"\r\n")
    assert status_line.split()[1] == b"401", received[:300]
    assert b"connection: close" in rest.lower()
    assert json.loads(rest.partition(b"\r\n\r\n")[2])["error"]["code"] == "unauthorized"


def test_a_large_refused_body_is_not_drained(server: BackgroundServer) -> None:
    """Only a small body is drained: a large declared one is answered and closed unread."""
    request = (
        b"POST /credentials/issue HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nContent-Length: 900000\r\n\r\n{"
    )
    received = _raw_exchange(server, request)
    assert received.split(b"\r\n", 1)[0].split()[1] == b"401", received[:300]


def test_verify_endpoints_need_no_token(client: httpx.Client, issuer_key: KeyPair) -> None:
    signed = _issued(client, _generic_credential(issuer_key.did_key))
    response = client.post("/credentials/verify", json={"verifiableCredential": signed})
    assert response.status_code == 200


# --------------------------------------------------------------------------- verify


def test_verify_answers_200_with_the_full_report(client: httpx.Client, issuer_key: KeyPair) -> None:
    signed = _issued(client, _generic_credential(issuer_key.did_key))
    response = client.post(
        "/credentials/verify", json={"verifiableCredential": signed, "options": {}}
    )
    assert response.status_code == 200
    report = response.json()
    assert report["verified"] is True
    assert report["errors"] == []
    assert isinstance(report["warnings"], list)
    statuses = {c["id"]: c["status"] for c in report["checks"]}
    assert statuses["proof[0].signature"] == "passed"
    assert statuses["proof.issuer_binding"] == "passed"


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("credentialSubject", "alumniOf"), "The School of Forgeries"),
        (("validFrom",), "2020-01-01T00:00:00Z"),
        (("proof", 0, "proofValue"), "z" + "1" * 86),
    ],
)
def test_verify_answers_400_with_the_report_for_a_tampered_credential(
    client: httpx.Client, issuer_key: KeyPair, path: tuple[Any, ...], value: str
) -> None:
    signed = _issued(client, _generic_credential(issuer_key.did_key))
    tampered = copy.deepcopy(signed)
    target: Any = tampered
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    response = client.post("/credentials/verify", json={"verifiableCredential": tampered})
    assert response.status_code == 400
    report = response.json()
    assert report["verified"] is False
    assert "proof[0].signature" in _failed_ids(report)
    assert any(e["check"] == "proof[0].signature" and e["code"] for e in report["errors"])


def test_verify_a_tampered_jwt_fails_with_the_report(
    client: httpx.Client, issuer_key: KeyPair
) -> None:
    enveloped = _issued(client, _generic_credential(issuer_key.did_key), {"format": "jwt"})
    token = enveloped["id"].split(",", 1)[1]
    head, payload, signature = token.split(".")
    forged = ".".join((head, payload, ("A" if signature[0] != "A" else "B") + signature[1:]))
    response = client.post("/credentials/verify", json={"verifiableCredential": forged})
    assert response.status_code == 400
    assert "jwt.signature" in _failed_ids(response.json())


def test_verify_never_fetches_over_the_network(client: httpx.Client) -> None:
    """A did:web key would need an HTTPS fetch; the service refuses, it does not fetch."""
    key = KeyPair.generate("Ed25519")
    credential = _generic_credential("did:web:issuer.invalid")
    signed = add_proof(
        credential,
        key,
        verification_method="did:web:issuer.invalid#key-1",
        loader=service_loader(w3c_examples_context=True),
    )
    response = client.post("/credentials/verify", json={"verifiableCredential": signed})
    assert response.status_code == 400
    report = response.json()
    assert report["verified"] is False
    messages = " ".join(c["message"] for c in report["checks"] if c["status"] == "failed")
    assert "network" in messages.lower()


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"verifiableCredential": 42}, "credential_malformed"),
        ({"credential": {}}, "unknown_member"),
        ({"options": {}}, "verifiable_credential_missing"),
        ({"verifiableCredential": {}, "options": {"foo": 1}}, "unknown_option"),
        ({"verifiableCredential": {}, "options": {"checks": "proof"}}, "option_invalid"),
        (
            {
                "verifiableCredential": {
                    "type": "EnvelopedVerifiableCredential",
                    "id": "data:application/vc+sd-jwt,abc",
                }
            },
            "enveloped_format_unsupported",
        ),
        ({"verifiableCredential": "not a credential at all"}, "credential_malformed"),
        ({"verifiableCredential": '{"@context": []}'}, "credential_malformed"),
    ],
)
def test_verify_refuses_malformed_requests_with_json_errors(
    client: httpx.Client, body: Any, code: str
) -> None:
    response = client.post("/credentials/verify", json=body)
    assert response.status_code == 400
    assert _error_code(response) == code


# --------------------------------------------------------------------------- presentations


def _presentation(
    client: httpx.Client,
    issuer_key: KeyPair,
    holder_key: KeyPair,
    *,
    challenge: str = "c-0f1e2d",
    domain: str = "verifier.example",
    purpose: str = "authentication",
    tamper: bool = False,
) -> dict[str, Any]:
    credential = _generic_credential(issuer_key.did_key)
    credential["credentialSubject"]["id"] = holder_key.did_key
    signed = _issued(client, credential)
    if tamper:
        signed["credentialSubject"]["alumniOf"] = "Another School"
    vp = {
        "@context": [VC_V2_CONTEXT_URL],
        "type": ["VerifiablePresentation"],
        "holder": holder_key.did_key,
        "verifiableCredential": [signed],
    }
    return add_proof(
        vp,
        holder_key,
        verification_method=holder_key.did_key_verification_method,
        proof_purpose=purpose,
        challenge=challenge,
        domain=domain,
        loader=service_loader(w3c_examples_context=True),
    )


def _verify_vp(client: httpx.Client, vp: Any, **options: str) -> httpx.Response:
    return client.post(
        "/presentations/verify", json={"verifiablePresentation": vp, "options": options}
    )


def test_presentation_with_the_right_challenge_and_domain_verifies(
    client: httpx.Client, issuer_key: KeyPair, holder_key: KeyPair
) -> None:
    vp = _presentation(client, issuer_key, holder_key)
    response = _verify_vp(client, vp, challenge="c-0f1e2d", domain="verifier.example")
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["verified"] is True
    statuses = {c["id"]: c["status"] for c in report["checks"]}
    assert statuses["proof.challenge"] == "passed"
    assert statuses["proof.domain"] == "passed"
    assert statuses["credential[0]"] == "passed"


@pytest.mark.parametrize(
    ("options", "failed"),
    [
        ({"challenge": "another-challenge", "domain": "verifier.example"}, "proof.challenge"),
        ({"challenge": "c-0f1e2d", "domain": "evil.example"}, "proof.domain"),
    ],
)
def test_presentation_with_a_wrong_challenge_or_domain_fails(
    client: httpx.Client,
    issuer_key: KeyPair,
    holder_key: KeyPair,
    options: dict[str, str],
    failed: str,
) -> None:
    vp = _presentation(client, issuer_key, holder_key)
    response = _verify_vp(client, vp, **options)
    assert response.status_code == 400
    report = response.json()
    assert report["verified"] is False
    assert failed in _failed_ids(report)
    assert any(e["check"] == failed for e in report["errors"])


def test_presentation_signed_for_assertion_not_authentication_fails(
    client: httpx.Client, issuer_key: KeyPair, holder_key: KeyPair
) -> None:
    vp = _presentation(client, issuer_key, holder_key, purpose="assertionMethod")
    response = _verify_vp(client, vp, challenge="c-0f1e2d", domain="verifier.example")
    assert response.status_code == 400
    assert response.json()["verified"] is False


def test_presentation_with_a_tampered_credential_fails(
    client: httpx.Client, issuer_key: KeyPair, holder_key: KeyPair
) -> None:
    vp = _presentation(client, issuer_key, holder_key, tamper=True)
    response = _verify_vp(client, vp, challenge="c-0f1e2d", domain="verifier.example")
    assert response.status_code == 400
    report = response.json()
    assert "credential[0]" in _failed_ids(report)
    nested = next(c for c in report["checks"] if c["id"] == "credential[0]")["report"]
    assert "proof[0].signature" in _failed_ids(nested)


def test_presentation_request_must_be_a_json_presentation(client: httpx.Client) -> None:
    response = _verify_vp(client, "eyJhbGciOiJFZERTQSJ9.e30.c2ln", challenge="c")
    assert response.status_code == 400
    assert _error_code(response) == "presentation_malformed"
    bad = client.post(
        "/presentations/verify",
        json={"verifiablePresentation": {}, "options": {"challenge": 7}},
    )
    assert _error_code(bad) == "option_invalid"


# --------------------------------------------------------------------------- bodies


def test_oversized_body_with_a_content_length_is_refused_up_front(client: httpx.Client) -> None:
    body = b'{"verifiableCredential": "' + b"a" * (MAX_BODY + 1) + b'"}'
    response = client.post(
        "/credentials/verify", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert _error_code(response) == "body_too_large"
    assert response.json()["error"]["details"]["limit"] == MAX_BODY


def test_oversized_streamed_body_is_refused_while_it_streams(server: BackgroundServer) -> None:
    """Chunked upload without Content-Length: refused once the limit is passed.

    The generator stops after a bounded number of chunks; the server must answer 413
    before the client has sent them all.
    """
    chunk = b" " * 16384
    max_chunks = 4096  # 64 MiB in all: far more than the server may read
    sent = 0

    def body() -> Iterator[bytes]:
        nonlocal sent
        yield b'{"verifiableCredential": "'
        for _ in range(max_chunks):
            sent += 1
            yield chunk

    with httpx.Client(base_url=server.url, timeout=TIMEOUT) as http:
        response = http.post(
            "/credentials/verify", content=body(), headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 413
    assert _error_code(response) == "body_too_large"
    assert sent < max_chunks


def _raw_exchange(server: BackgroundServer, request: bytes) -> bytes:
    """Send raw bytes, then read until the server closes (bounded)."""
    host, port = server.url.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        return _read_until_closed(sock)


def _read_until_closed(sock: socket.socket) -> bytes:
    """What the server sends until it closes the connection (at most 100 reads)."""
    received = b""
    for _ in range(100):
        data = sock.recv(65536)
        if not data:
            break
        received += data
    return received


def test_oversized_body_is_refused_before_the_request_is_complete(
    server: BackgroundServer,
) -> None:
    """The client sends a little more than the limit and then nothing: no end of the body.

    A server that read the whole body before checking its size would wait for the rest
    (and the socket would time out); this one answers 413 and closes the connection.
    """
    chunk = b"x" * 16384
    chunks = MAX_BODY // len(chunk) + 2
    request = (
        b"POST /credentials/verify HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        + b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(chunks))
    )
    received = _raw_exchange(server, request)
    head, _, body = received.partition(b"\r\n\r\n")
    assert head.split(b"\r\n", 1)[0].split()[1] == b"413", received[:300]
    assert b"connection: close" in head.lower()
    assert json.loads(body)["error"]["code"] == "body_too_large"


def test_body_at_the_limit_is_read(server: BackgroundServer) -> None:
    padding = MAX_BODY - len(b'{"verifiableCredential": ""}')
    body = b'{"verifiableCredential": "' + b"x" * padding + b'"}'
    assert len(body) == MAX_BODY
    with httpx.Client(base_url=server.url, timeout=TIMEOUT) as http:
        response = http.post(
            "/credentials/verify", content=body, headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 400
    assert _error_code(response) == "credential_malformed"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b'{"verifiableCredential": {', "malformed_json"),
        (b"", "malformed_json"),
        (b"   ", "malformed_json"),
        (b'{"verifiableCredential": NaN}', "malformed_json"),
        (b'{"verifiableCredential": {}, "verifiableCredential": {}}', "json_duplicate_member"),
        (b'{"verifiableCredential": "\xff\xfe"}', "malformed_json"),
        (b"[1, 2, 3]", "request_malformed"),
        (b'"just a string"', "request_malformed"),
        (b'{"verifiableCredential": ' + b"[" * 30_000 + b"]" * 30_000 + b"}", "json_too_deep"),
        (
            b'{"verifiableCredential": '
            + b"[" * (MAX_JSON_DEPTH + 1)
            + b"]" * (MAX_JSON_DEPTH + 1)
            + b"}",
            "json_too_deep",
        ),
    ],
    ids=[
        "truncated",
        "empty",
        "blank",
        "nan",
        "duplicate-member",
        "not-utf8",
        "array",
        "string",
        "recursion-bomb",
        "too-deep",
    ],
)
def test_malformed_json_is_refused_with_400(client: httpx.Client, body: bytes, code: str) -> None:
    response = client.post(
        "/credentials/verify", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400, response.text
    assert _error_code(response) == code


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
def test_wrong_content_type_is_refused_with_415(
    client: httpx.Client, content_type: str | None
) -> None:
    headers = {} if content_type is None else {"Content-Type": content_type}
    response = client.post(
        "/credentials/verify", content=b'{"verifiableCredential": {}}', headers=headers
    )
    assert response.status_code == 415
    assert _error_code(response) == "unsupported_media_type"


def test_json_media_type_variants_are_accepted(client: httpx.Client, issuer_key: KeyPair) -> None:
    signed = _issued(client, _generic_credential(issuer_key.did_key))
    content = json.dumps({"verifiableCredential": signed}).encode()
    for content_type in ("application/json; charset=utf-8", "application/ld+json"):
        response = client.post(
            "/credentials/verify", content=content, headers={"Content-Type": content_type}
        )
        assert response.status_code == 200, (content_type, response.text)


def test_invalid_content_length_is_refused(server: BackgroundServer) -> None:
    """A raw request: httpx would not send a bad Content-Length."""
    received = _raw_exchange(
        server,
        b"POST /credentials/verify HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nContent-Length: 99999999999999999999\r\n"
        b"Connection: close\r\n\r\n",
    )
    status_line = received.split(b"\r\n", 1)[0]
    assert status_line.split()[1] in (b"400", b"413"), received[:200]


# --------------------------------------------------------------------------- configuration


def test_examples_context_is_needed_for_generic_examples_credentials(issuer_key: KeyPair) -> None:
    """Without the opt-in, the examples context is unknown and the service will not fetch it."""
    app = create_app(key=issuer_key)
    with (
        BackgroundServer(app) as running,
        httpx.Client(base_url=running.url, timeout=TIMEOUT) as http,
    ):
        response = http.post(
            "/credentials/issue", json={"credential": _generic_credential(issuer_key.did_key)}
        )
    assert response.status_code == 400
    assert _error_code(response) == "context_unknown"
    assert "--context" in response.json()["error"]["message"]


def test_operator_context_file_is_used(issuer_key: KeyPair, tmp_path: Path) -> None:
    url = "https://contexts.hs-voorbeeld.example/alumni/v1"
    context = {"@context": {"alumniOf": "https://schema.org/alumniOf"}}
    app = create_app(key=issuer_key, loader=service_loader(contexts={url: context}))
    credential = _generic_credential(issuer_key.did_key)
    credential["@context"] = [VC_V2_CONTEXT_URL, url]
    credential["type"] = ["VerifiableCredential"]
    with (
        BackgroundServer(app) as running,
        httpx.Client(base_url=running.url, timeout=TIMEOUT) as http,
    ):
        issued = http.post("/credentials/issue", json={"credential": credential})
        assert issued.status_code == 201, issued.text
        signed = issued.json()["verifiableCredential"]
        verified = http.post("/credentials/verify", json={"verifiableCredential": signed})
    assert verified.status_code == 200, verified.text


def test_service_loader_refuses_to_replace_a_bundled_context() -> None:
    with pytest.raises(InvalidInputError, match="bundled"):
        service_loader(contexts={VC_V2_CONTEXT_URL: {"@context": {}}})
    with pytest.raises(InvalidInputError, match="@context"):
        service_loader(contexts={"https://x.example/ctx": ["not", "a", "context"]})


def test_create_app_refuses_unsafe_settings(issuer_key: KeyPair) -> None:
    with pytest.raises(InvalidInputError, match="at least 16"):
        create_app(key=issuer_key, issue_token="short")
    with pytest.raises(InvalidInputError, match="printable ASCII"):
        create_app(key=issuer_key, issue_token="a token with spaces in it")
    with pytest.raises(InvalidInputError, match="allow_network"):
        create_app(key=issuer_key, loader=DocumentLoader(allow_network=True))
    with pytest.raises(InvalidInputError, match="max_body_bytes"):
        create_app(key=issuer_key, max_body_bytes=10)
    with pytest.raises(InvalidInputError, match="verification_method"):
        create_app(key=KeyPair.from_pem((KEYS / "rsa2048.pem").read_bytes()))
    assert DEFAULT_MAX_BODY_BYTES >= 1024


def test_p256_service_key_signs_jwt_but_not_eddsa() -> None:
    key = KeyPair.from_pem((KEYS / "p256.pem").read_bytes())
    app = create_app(key=key)
    credential = _generic_credential(key.did_key)
    with (
        BackgroundServer(app) as running,
        httpx.Client(base_url=running.url, timeout=TIMEOUT) as http,
    ):
        jwt = http.post(
            "/credentials/issue", json={"credential": credential, "options": {"format": "jwt"}}
        )
        di = http.post("/credentials/issue", json={"credential": credential})
    assert jwt.status_code == 201, jwt.text
    assert di.status_code == 400
    assert _error_code(di) == "key_type_mismatch"


def test_trusted_issuers_are_enforced(issuer_key: KeyPair, client: httpx.Client) -> None:
    signed = _issued(client, _generic_credential(issuer_key.did_key))
    app = create_app(
        key=issuer_key,
        loader=service_loader(w3c_examples_context=True),
        trusted_issuers=["did:web:only-this-one.example"],
    )
    with (
        BackgroundServer(app) as running,
        httpx.Client(base_url=running.url, timeout=TIMEOUT) as http,
    ):
        response = http.post("/credentials/verify", json={"verifiableCredential": signed})
    assert response.status_code == 400
    assert "trusted_issuer" in _failed_ids(response.json())


# --------------------------------------------------------------------------- HTTPS


def _tls_files(directory: Path) -> tuple[Path, Path, Path]:
    """A throw-away CA and a server certificate for 127.0.0.1, made with cryptography."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mcbadge test CA")])
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ca_ski, critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    ca_file, cert_file, key_file = (
        directory / "ca.pem",
        directory / "cert.pem",
        directory / "key.pem",
    )
    ca_file.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return ca_file, cert_file, key_file


def test_https_serves_issue_and_verify(issuer_key: KeyPair, tmp_path: Path) -> None:
    import ssl

    ca_file, cert_file, key_file = _tls_files(tmp_path)
    app = create_app(key=issuer_key, loader=service_loader(w3c_examples_context=True))
    trust = ssl.create_default_context(cafile=os.fspath(ca_file))
    with BackgroundServer(app, certfile=cert_file, keyfile=key_file) as running:
        assert running.url.startswith("https://127.0.0.1:")
        with httpx.Client(base_url=running.url, timeout=TIMEOUT, verify=trust) as http:
            assert http.get("/health").status_code == 200
            issued = http.post(
                "/credentials/issue", json={"credential": _generic_credential(issuer_key.did_key)}
            )
            assert issued.status_code == 201, issued.text
            verified = http.post(
                "/credentials/verify",
                json={"verifiableCredential": issued.json()["verifiableCredential"]},
            )
            assert verified.status_code == 200
        # A client that does not trust the test CA refuses the connection.
        with (
            httpx.Client(base_url=running.url, timeout=TIMEOUT) as untrusting,
            pytest.raises(httpx.ConnectError),
        ):
            untrusting.get("/health")
        # Plain HTTP to the HTTPS port is not answered as HTTP.
        with (
            httpx.Client(
                base_url=running.url.replace("https://", "http://"), timeout=TIMEOUT
            ) as plain,
            pytest.raises(httpx.HTTPError),
        ):
            plain.get("/health")


def test_tls_needs_both_files_that_load(issuer_key: KeyPair, tmp_path: Path) -> None:
    app = create_app(key=issuer_key)
    with pytest.raises(InvalidInputError, match="both"):
        BackgroundServer(app, certfile=tmp_path / "cert.pem")
    (tmp_path / "bad.pem").write_text("not a certificate", encoding="utf-8")
    with pytest.raises(InvalidInputError) as caught:
        BackgroundServer(app, certfile=tmp_path / "bad.pem", keyfile=tmp_path / "bad.pem")
    assert caught.value.code == "tls_files_invalid"


# --------------------------------------------------------------------------- command line


def test_serve_command_runs_the_service_in_a_subprocess(tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n", encoding="utf-8")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "MCBADGE_SERVICE_TOKEN"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mcbadge.service",
            "--key",
            os.fspath(KEYS / "ed25519.pem"),
            "--port",
            str(port),
            "--token-file",
            os.fspath(token_file),
            "--w3c-examples-context",
            "--log-level",
            "warning",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=url, timeout=TIMEOUT) as http:
            deadline = time.monotonic() + 30
            health = None
            while time.monotonic() < deadline and process.poll() is None:
                try:
                    health = http.get("/health")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            assert health is not None and health.status_code == 200, process.poll()
            issuer = health.json()["issuer"]
            credential = _generic_credential(issuer)
            refused = http.post("/credentials/issue", json={"credential": credential})
            assert refused.status_code == 401
            issued = http.post(
                "/credentials/issue", json={"credential": credential}, headers=_auth()
            )
            assert issued.status_code == 201, issued.text
    finally:
        process.terminate()
        try:
            process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate(timeout=20)


def test_serve_refuses_an_open_issue_endpoint_on_a_public_interface(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MCBADGE_SERVICE_TOKEN", raising=False)
    code = main_serve(["--key", os.fspath(KEYS / "ed25519.pem"), "--host", "0.0.0.0"])  # noqa: S104
    assert code == 2
    assert "--insecure-no-auth" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--key", "/nonexistent/key.pem"], "cannot read the key file"),
        (["--context", "no-equals-sign"], "URL=FILE"),
        (["--certfile", "cert.pem"], "both"),
    ],
)
def test_serve_reports_setup_errors_with_exit_code_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    if argv[0] != "--key":
        argv = ["--key", os.fspath(KEYS / "ed25519.pem"), *argv]
    assert main_serve(argv) == 2
    assert message in capsys.readouterr().err


def test_service_client_example_runs() -> None:
    result = subprocess.run(
        [sys.executable, os.fspath(PROJECT_ROOT / "examples" / "service_client.py")],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "verified=True" in result.stdout
    assert "tampered copy: HTTP 400" in result.stdout
    assert "service stopped" in result.stdout
