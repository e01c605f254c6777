"""The OpenID4VCI issuer over real loopback HTTP, with a wallet written here in Python.

The full pre-authorized code flow for each format (offer → metadata → token → nonce →
credential with a JWT proof), on SQLite and on a real PostgreSQL; what the wallet receives
verifies with ``verify()`` and is bound to its key. Then one refusal per attack: a replayed
code, a replayed or unknown nonce, a proof signed by another key than its header names, an
expired offer, a wrong transaction code, a wrong audience. The npm wallet libraries drive the
same flow in tests/interop/test_interop_oid4vci.py.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from mcbadge import verify
from mcbadge._internal.jws import sign_compact
from mcbadge.demo import sample_microcredential
from mcbadge.did import did_jwk
from mcbadge.errors import VerificationError
from mcbadge.keys import KeyPair
from mcbadge.oid4vci import CONFIGURATION_IDS, PRE_AUTHORIZED_GRANT, issue_offer
from mcbadge.proofs.sdjwt import parse_sd_jwt
from mcbadge.service import BackgroundServer, create_app
from mcbadge.store import Store, open_store
from tests.conftest import PROJECT_ROOT
from tests.oid4vci_wallet import Wallet
from tests.pgserver import PostgresServer

KEYS = PROJECT_ROOT / "tests" / "keys"
TOKEN = "oid4vci-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ISSUER_KEY = KeyPair.from_pem((KEYS / "ed25519.pem").read_bytes())
FORM = "application/x-www-form-urlencoded"


def unsigned_credential() -> dict[str, Any]:
    return (
        sample_microcredential()
        .to_credential(
            id=f"urn:uuid:{uuid.uuid4()}",
            valid_from="2026-01-01T00:00:00Z",
            issuer_id=ISSUER_KEY.did_key,
        )
        .to_json_dict()
    )


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    with PostgresServer() as server:
        yield server


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    if request.param == "sqlite":
        database = str(tmp_path_factory.mktemp("data") / "store.sqlite3")
    else:
        import psycopg

        server: PostgresServer = request.getfixturevalue("postgres")
        name = "t" + uuid.uuid4().hex[:12]
        with psycopg.connect(server.url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        database = server.url.replace("/postgres?", f"/{name}?")
    with open_store(database) as opened:
        yield opened


@pytest.fixture(scope="module")
def server(store: Store) -> Iterator[BackgroundServer]:
    with BackgroundServer(create_app(key=ISSUER_KEY, issue_token=TOKEN, store=store)) as running:
        yield running


@pytest.fixture()
def http(server: BackgroundServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30.0) as client:
        yield client


def make_offer(http: httpx.Client, **options: Any) -> dict[str, Any]:
    response = http.post(
        "/offers", json={"credential": unsigned_credential(), **options}, headers=AUTH
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_metadata_names_the_issuer_the_endpoints_and_three_configurations(
    http: httpx.Client, server: BackgroundServer
) -> None:
    meta = http.get("/.well-known/openid-credential-issuer").json()
    assert meta["credential_issuer"] == server.url
    assert meta["credential_endpoint"] == server.url + "/credential"
    assert meta["nonce_endpoint"] == server.url + "/nonce"
    configs = meta["credential_configurations_supported"]
    assert {c["format"] for c in configs.values()} == {"ldp_vc", "jwt_vc_json", "dc+sd-jwt"}
    for config in configs.values():
        assert config["proof_types_supported"]["jwt"]["proof_signing_alg_values_supported"]
        assert config["cryptographic_binding_methods_supported"]
    assert configs["MicroCredential_sd_jwt"]["vct"] == server.url + "/vct/microcredential"
    ldp = configs["MicroCredential_ldp_vc"]
    assert ldp["credential_definition"]["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert ldp["credential_signing_alg_values_supported"] == ["eddsa-rdfc-2022"]
    auth = http.get("/.well-known/oauth-authorization-server").json()
    assert auth["issuer"] == server.url and auth["token_endpoint"] == server.url + "/token"
    assert auth["pre-authorized_grant_anonymous_access_supported"] is True


@pytest.mark.parametrize("fmt", ["ldp_vc", "jwt_vc_json", "dc+sd-jwt"])
def test_the_pre_authorized_flow_delivers_a_credential_bound_to_the_wallet_key(
    http: httpx.Client, server: BackgroundServer, fmt: str
) -> None:
    made = make_offer(http, formats=[fmt])
    offer = Wallet.read_offer(made["uri"])
    assert offer["credential_issuer"] == server.url
    assert offer["credential_configuration_ids"] == [CONFIGURATION_IDS[fmt]]
    wallet = Wallet(http)
    token = wallet.token(offer)
    assert token.status_code == 200, token.text
    assert token.json()["token_type"] == "Bearer" and token.json()["expires_in"] > 0
    proof = wallet.proof(wallet.nonce(), audience=server.url)
    response = wallet.credential(token.json()["access_token"], CONFIGURATION_IDS[fmt], proof)
    assert response.status_code == 200, response.text
    credential = response.json()["credentials"][0]["credential"]
    holder = did_jwk(wallet.key.public_key)
    if fmt == "dc+sd-jwt":
        claims = parse_sd_jwt(credential).payload
        assert claims["cnf"]["jwk"] == wallet.key.public_jwk()
        assert claims["status"]["status_list"]["uri"] == server.url + "/token-status/1"
        result = verify(credential, status_fetcher=lambda url: httpx.get(url).text)
    else:
        result = verify(credential, status_fetcher=lambda url: httpx.get(url).content)
        assert result.credential["credentialSubject"]["id"] == holder  # type: ignore[index]
    assert result.report.check("status").status == "passed"


DRAFT_REQUESTS = {
    "ldp_vc": {
        "format": "ldp_vc",
        "credential_definition": {
            "@context": [
                "https://www.w3.org/ns/credentials/v2",
                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            ],
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
        },
    },
    "jwt_vc_json": {
        "format": "jwt_vc_json",
        "credential_definition": {"type": ["VerifiableCredential", "OpenBadgeCredential"]},
    },
    "dc+sd-jwt": {"format": "vc+sd-jwt"},
}


@pytest.mark.parametrize("fmt", list(DRAFT_REQUESTS))
def test_a_draft_13_request_by_format_with_one_proof_gets_the_draft_answer(
    http: httpx.Client, server: BackgroundServer, fmt: str
) -> None:
    offer = Wallet.read_offer(make_offer(http, formats=[fmt])["uri"])
    wallet = Wallet(http, KeyPair.generate("Ed25519"))
    token = wallet.token(offer).json()
    proof = wallet.proof(token["c_nonce"], audience=server.url)  # draft 13: c_nonce from /token
    response = http.post(
        "/credential",
        json={
            **DRAFT_REQUESTS[fmt],
            **({"vct": server.url + "/vct/microcredential"} if fmt == "dc+sd-jwt" else {}),
            "proof": {"proof_type": "jwt", "jwt": proof},
        },
        headers={"Authorization": f"Bearer {token['access_token']}"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["c_nonce"] and body["format"] == DRAFT_REQUESTS[fmt]["format"]
    verify(body["credential"], status_fetcher=lambda url: httpx.get(url).content)


def test_a_transaction_code_is_required_and_checked(
    http: httpx.Client, server: BackgroundServer
) -> None:
    made = make_offer(http, tx_code=True)
    assert len(made["tx_code"]) == 6 and made["tx_code"].isdigit()
    offer = Wallet.read_offer(made["uri"])
    assert offer["grants"][PRE_AUTHORIZED_GRANT]["tx_code"]["length"] == 6
    wallet = Wallet(http)
    missing = wallet.token(offer)
    assert (missing.status_code, missing.json()["error"]) == (400, "invalid_request")
    wrong = "000000" if made["tx_code"] != "000000" else "111111"
    refused = wallet.token(offer, wrong)
    assert (refused.status_code, refused.json()["error"]) == (400, "invalid_grant")
    assert refused.json()["mcbadge_reason"] == "tx_code_invalid"
    assert wallet.token(offer, made["tx_code"]).status_code == 200


def test_a_replayed_pre_authorized_code_is_refused(http: httpx.Client) -> None:
    offer = Wallet.read_offer(make_offer(http)["uri"])
    wallet = Wallet(http)
    assert wallet.token(offer).status_code == 200
    again = wallet.token(offer)
    assert (again.status_code, again.json()["error"]) == (400, "invalid_grant")
    assert again.json()["mcbadge_reason"] == "offer_redeemed"


def test_a_replayed_or_unknown_nonce_is_refused(
    http: httpx.Client, server: BackgroundServer
) -> None:
    offer = Wallet.read_offer(make_offer(http)["uri"])
    wallet = Wallet(http)
    access = wallet.token(offer).json()["access_token"]
    nonce = wallet.nonce()
    first = wallet.credential(
        access, "MicroCredential_ldp_vc", wallet.proof(nonce, audience=server.url)
    )
    assert first.status_code == 200, first.text
    replay = wallet.credential(
        access, "MicroCredential_jwt_vc_json", wallet.proof(nonce, audience=server.url)
    )
    assert (replay.status_code, replay.json()["error"]) == (400, "invalid_nonce")
    assert replay.json()["mcbadge_reason"] == "nonce_used"
    made_up = wallet.credential(
        access, "MicroCredential_jwt_vc_json", wallet.proof("not-a-nonce", audience=server.url)
    )
    assert made_up.json()["error"] == "invalid_nonce"
    assert made_up.json()["mcbadge_reason"] == "nonce_unknown"


def test_a_proof_signed_by_another_key_than_its_header_names_is_refused(
    http: httpx.Client, server: BackgroundServer
) -> None:
    offer = Wallet.read_offer(make_offer(http)["uri"])
    wallet = Wallet(http)
    access = wallet.token(offer).json()["access_token"]
    forged = wallet.proof(wallet.nonce(), audience=server.url, signer=KeyPair.generate("P-256"))
    response = wallet.credential(access, "MicroCredential_sd_jwt", forged)
    assert (response.status_code, response.json()["error"]) == (400, "invalid_proof")
    assert response.json()["mcbadge_reason"] == "proof_signature"


def test_a_proof_for_another_audience_or_too_old_is_refused(
    http: httpx.Client, server: BackgroundServer
) -> None:
    offer = Wallet.read_offer(make_offer(http)["uri"])
    wallet = Wallet(http)
    access = wallet.token(offer).json()["access_token"]
    other = wallet.proof(wallet.nonce(), audience="https://other-issuer.example")
    response = wallet.credential(access, "MicroCredential_ldp_vc", other)
    assert response.json()["error"] == "invalid_proof"
    assert response.json()["mcbadge_reason"] == "proof_audience"
    stale = int((datetime.now(UTC) - timedelta(hours=1)).timestamp())
    old = wallet.proof(wallet.nonce(), audience=server.url, iat=stale)
    assert (
        wallet.credential(access, "MicroCredential_ldp_vc", old).json()["mcbadge_reason"]
        == "proof_iat"
    )


def test_an_expired_offer_is_refused(
    store: Store, http: httpx.Client, server: BackgroundServer
) -> None:
    past = datetime.now(UTC) - timedelta(days=30)
    made = issue_offer(
        unsigned_credential(),
        store=store,
        credential_issuer=server.url,
        key=ISSUER_KEY,
        clock=lambda: past,
    )
    response = Wallet(http).token(Wallet.read_offer(made.uri))
    assert (response.status_code, response.json()["error"]) == (400, "invalid_grant")
    assert response.json()["mcbadge_reason"] == "offer_expired"


def test_each_configuration_is_delivered_once_and_only_offered_ones(
    http: httpx.Client, server: BackgroundServer
) -> None:
    offer = Wallet.read_offer(make_offer(http, formats=["ldp_vc"])["uri"])
    wallet = Wallet(http)
    access = wallet.token(offer).json()["access_token"]
    other = wallet.credential(
        access, "MicroCredential_sd_jwt", wallet.proof(wallet.nonce(), audience=server.url)
    )
    assert (other.status_code, other.json()["error"]) == (400, "unknown_credential_configuration")
    ok = wallet.credential(
        access, "MicroCredential_ldp_vc", wallet.proof(wallet.nonce(), audience=server.url)
    )
    assert ok.status_code == 200
    again = wallet.credential(
        access, "MicroCredential_ldp_vc", wallet.proof(wallet.nonce(), audience=server.url)
    )
    assert again.json()["error"] == "credential_request_denied"


def test_the_credential_endpoint_needs_a_valid_access_token(http: httpx.Client) -> None:
    response = http.post(
        "/credential", json={"credential_configuration_id": "MicroCredential_ldp_vc"}
    )
    assert response.status_code == 401 and response.json()["error"] == "invalid_token"
    assert "Bearer" in response.headers["www-authenticate"]
    made_up = http.post(
        "/credential",
        json={"credential_configuration_id": "MicroCredential_ldp_vc"},
        headers={"Authorization": "Bearer not-a-token"},
    )
    assert made_up.status_code == 401 and made_up.json()["mcbadge_reason"] == "access_token_unknown"


def test_the_token_endpoint_refuses_other_grants_and_bodies(http: httpx.Client) -> None:
    other = http.post("/token", data={"grant_type": "authorization_code", "code": "x"})
    assert (other.status_code, other.json()["error"]) == (400, "unsupported_grant_type")
    as_json = http.post("/token", json={"grant_type": PRE_AUTHORIZED_GRANT})
    assert (as_json.status_code, as_json.json()["error"]) == (400, "invalid_request")
    unknown = http.post(
        "/token", data={"grant_type": PRE_AUTHORIZED_GRANT, "pre-authorized_code": "nope"}
    )
    assert (unknown.status_code, unknown.json()["error"]) == (400, "invalid_grant")


def test_offers_need_the_bearer_token_and_a_credential_that_would_sign(http: httpx.Client) -> None:
    credential = unsigned_credential()
    assert http.post("/offers", json={"credential": credential}).status_code == 401
    foreign = {**credential, "issuer": {**credential["issuer"], "id": "did:web:other.example"}}
    refused = http.post("/offers", json={"credential": foreign}, headers=AUTH)
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "offer_invalid"
    assert refused.json()["error"]["details"]["reason"] == "issuer_mismatch"
    bad_format = http.post(
        "/offers", json={"credential": credential, "formats": ["mso_mdoc"]}, headers=AUTH
    )
    assert bad_format.status_code == 400
    assert bad_format.json()["error"]["details"]["reason"] == "format_unknown"


def test_a_public_http_url_turns_the_issuer_off(tmp_path: Path) -> None:
    with open_store(data_dir=tmp_path) as store:
        app = create_app(key=ISSUER_KEY, store=store, public_url="http://badges.example")
        with BackgroundServer(app) as running:
            response = httpx.get(running.url + "/.well-known/openid-credential-issuer")
            assert response.status_code == 404
            assert response.json()["error"]["code"] == "https_required"


def test_revoking_the_credential_revokes_every_form_the_wallet_received(
    http: httpx.Client, server: BackgroundServer
) -> None:
    credential = unsigned_credential()
    made = http.post(
        "/offers",
        json={"credential": credential, "formats": ["ldp_vc", "dc+sd-jwt"]},
        headers=AUTH,
    ).json()
    wallet = Wallet(http)
    access = wallet.token(Wallet.read_offer(made["uri"])).json()["access_token"]
    received = []
    for config_id in ("MicroCredential_ldp_vc", "MicroCredential_sd_jwt"):
        proof = wallet.proof(wallet.nonce(), audience=server.url)
        response = wallet.credential(access, config_id, proof)
        assert response.status_code == 200, response.text
        received.append(response.json()["credentials"][0]["credential"])
    revoked = http.post(
        "/credentials/status",
        json={
            "credentialId": credential["id"],
            "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"},
            "reason": "awarded in error",
        },
        headers=AUTH,
    )
    assert revoked.status_code == 200, revoked.text
    lists = {c["statusListCredential"] for c in revoked.json()["changes"]}
    assert server.url + "/token-status/1" in lists and len(lists) == 2
    for item in received:
        with pytest.raises(VerificationError) as info:
            verify(item, status_fetcher=lambda url: httpx.get(url).content)
        assert info.value.report.check("status").error_code == "revoked"  # type: ignore[attr-defined]


def test_a_credential_that_names_its_subject_goes_only_to_that_subjects_key(
    http: httpx.Client, server: BackgroundServer
) -> None:
    learner_key = KeyPair.generate("Ed25519")
    credential = unsigned_credential()
    credential["credentialSubject"]["id"] = learner_key.did_key
    made = http.post(
        "/offers", json={"credential": credential, "formats": ["jwt_vc_json"]}, headers=AUTH
    )
    assert made.status_code == 201, made.text
    offer = Wallet.read_offer(made.json()["uri"])
    other = Wallet(http)
    access = other.token(offer).json()["access_token"]
    refused = other.credential(
        access, "MicroCredential_jwt_vc_json", other.proof(other.nonce(), audience=server.url)
    )
    assert refused.json()["error"] == "invalid_proof"
    assert refused.json()["mcbadge_reason"] == "proof_not_subject_key"
    learner = Wallet(http, learner_key)  # the same key, named by its jwk (a did:jwk)
    ok = learner.credential(
        access, "MicroCredential_jwt_vc_json", learner.proof(learner.nonce(), audience=server.url)
    )
    assert ok.status_code == 200, ok.text
    token = ok.json()["credentials"][0]["credential"]
    result = verify(token, status_fetcher=lambda url: httpx.get(url).content)
    assert result.credential["credentialSubject"]["id"] == learner_key.did_key  # type: ignore[index]


@pytest.mark.parametrize(
    "request_body",
    [
        {"format": "vc+sd-jwt", "vct": "https://other.example/vct/diploma"},
        {"format": "ldp_vc", "credential_definition": {"type": ["VerifiableCredential"]}},
    ],
)
def test_a_draft_request_for_another_type_is_refused(
    http: httpx.Client, server: BackgroundServer, request_body: dict[str, Any]
) -> None:
    offer = Wallet.read_offer(make_offer(http)["uri"])
    wallet = Wallet(http)
    token = wallet.token(offer).json()
    proof = wallet.proof(token["c_nonce"], audience=server.url)
    response = http.post(
        "/credential",
        json={**request_body, "proof": {"proof_type": "jwt", "jwt": proof}},
        headers={"Authorization": f"Bearer {token['access_token']}"},
    )
    assert (response.status_code, response.json()["error"]) == (400, "invalid_credential_request")


# ---- found in the adversarial review (issue 14)

# RFC 6749 §5.2 and OpenID4VCI 1.0 §8.3.1.2: error_description is ASCII without '"' and '\'
ERROR_DESCRIPTION = re.compile(r"[\x20\x21\x23-\x5b\x5d-\x7e]*")


def test_access_tokens_are_short_lived_bearer_tokens(http: httpx.Client) -> None:
    """OpenID4VCI 1.0 §13 (Protecting the Access Token): a Bearer token that lives longer than
    5 minutes is long-lived, and long-lived tokens must be sender-constrained (no DPoP here)."""
    offer = Wallet.read_offer(make_offer(http)["uri"])
    answer = Wallet(http).token(offer).json()
    assert answer["token_type"] == "Bearer" and 0 < answer["expires_in"] <= 300


def test_error_descriptions_are_ascii_without_quotes_even_when_they_echo_the_request(
    http: httpx.Client, server: BackgroundServer
) -> None:
    wallet = Wallet(http)
    offer = Wallet.read_offer(make_offer(http)["uri"])
    access = wallet.token(offer).json()["access_token"]
    bearer = {"Authorization": f"Bearer {access}", "Content-Type": "application/json"}
    hostile = 'caf\u00e9 "quoted" back\\slash \U0001f600'
    answers = [
        # a duplicate member whose name is echoed
        http.post(
            "/credential",
            content=json.dumps({hostile: 1}).encode()[:-1]
            + b","
            + json.dumps(hostile).encode()
            + b":2}",
            headers=bearer,
        ),
        # an unknown configuration id
        http.post(
            "/credential",
            json={"credential_configuration_id": hostile, "proofs": {"jwt": ["a.b.c"]}},
            headers=bearer,
        ),
        # a proof for another audience
        wallet.credential(
            access,
            "MicroCredential_ldp_vc",
            wallet.proof(wallet.nonce(), audience=f"https://{hostile}"),
        ),
        # a repeated token parameter
        http.post(
            "/token", content=f"{hostile}=1&{hostile}=2".encode(), headers={"Content-Type": FORM}
        ),
    ]
    for answer in answers:
        assert answer.status_code == 400, answer.text
        description = answer.json()["error_description"]
        assert description and ERROR_DESCRIPTION.fullmatch(description), description


def test_a_credential_request_without_any_token_gets_a_bare_bearer_challenge(
    http: httpx.Client,
) -> None:
    """RFC 6750 §3.1: a request with no authentication information gets no error code in the
    challenge; a request with a bad token gets error="invalid_token"."""
    body = {"credential_configuration_id": "MicroCredential_ldp_vc"}
    bare = http.post("/credential", json=body)
    assert bare.status_code == 401
    assert bare.headers["www-authenticate"] == 'Bearer realm="mcbadge"'
    other_scheme = http.post("/credential", json=body, headers={"Authorization": "Basic eDp5"})
    assert other_scheme.status_code == 401
    assert other_scheme.headers["www-authenticate"] == 'Bearer realm="mcbadge"'
    made_up = http.post("/credential", json=body, headers={"Authorization": "Bearer nope"})
    assert made_up.status_code == 401
    assert made_up.headers["www-authenticate"] == 'Bearer realm="mcbadge", error="invalid_token"'


def test_a_verify_only_service_on_a_store_has_no_issuing_endpoints(tmp_path: Path) -> None:
    """`mcbadge serve --verify-only` on the same data folder exposes none of the OpenID4VCI
    endpoints: a verify-only service must not hand out credentials, offers or nonces."""
    import argparse

    from mcbadge.service import app_from_args, build_parser_serve

    parser = argparse.ArgumentParser()
    build_parser_serve(parser.add_subparsers(dest="command"))
    args = parser.parse_args(
        [
            "serve",
            "--verify-only",
            "--data-dir",
            str(tmp_path),
            "--public-url",
            "http://127.0.0.1:9",
        ]
    )
    with BackgroundServer(app_from_args(args)) as running, httpx.Client(base_url=running.url) as c:
        for path in ("/offers", "/token", "/nonce", "/credential"):
            assert c.post(path, json={}).status_code == 404, path
        for path in (
            "/.well-known/openid-credential-issuer",
            "/.well-known/oauth-authorization-server",
        ):
            assert c.get(path).status_code == 404, path


def test_credential_identifiers_are_handed_out_only_when_asked_for_and_then_work(
    http: httpx.Client, server: BackgroundServer
) -> None:
    """OpenID4VCI 1.0 §6.2: ``authorization_details`` in the token answer carries a *non-empty*
    ``credential_identifiers`` list, and a wallet that gets one must ask by
    ``credential_identifier`` (§8.2); a wallet that did not ask gets no authorization_details."""
    wallet = Wallet(http)
    plain = wallet.token(Wallet.read_offer(make_offer(http)["uri"])).json()
    assert "authorization_details" not in plain
    offer = Wallet.read_offer(make_offer(http, formats=["ldp_vc", "dc+sd-jwt"])["uri"])
    code = offer["grants"][PRE_AUTHORIZED_GRANT]["pre-authorized_code"]
    wanted = [
        {
            "type": "openid_credential",
            "credential_configuration_id": "MicroCredential_sd_jwt",
            "locations": [server.url],
        }
    ]
    answer = http.post(
        "/token",
        data={
            "grant_type": PRE_AUTHORIZED_GRANT,
            "pre-authorized_code": code,
            "authorization_details": json.dumps(wanted),
        },
    )
    assert answer.status_code == 200, answer.text
    details = answer.json()["authorization_details"]
    assert [d["credential_configuration_id"] for d in details] == ["MicroCredential_sd_jwt"]
    identifier = details[0]["credential_identifiers"][0]
    assert isinstance(identifier, str) and identifier
    bearer = {"Authorization": f"Bearer {answer.json()['access_token']}"}
    proof = wallet.proof(wallet.nonce(), audience=server.url)
    unknown = http.post(
        "/credential",
        json={"credential_identifier": "not-one-of-ours", "proofs": {"jwt": [proof]}},
        headers=bearer,
    )
    assert unknown.json()["error"] == "unknown_credential_identifier", unknown.text
    both = http.post(
        "/credential",
        json={
            "credential_identifier": identifier,
            "credential_configuration_id": "MicroCredential_sd_jwt",
            "proofs": {"jwt": [proof]},
        },
        headers=bearer,
    )
    assert both.json()["error"] == "invalid_credential_request", both.text
    got = http.post(
        "/credential",
        json={
            "credential_identifier": identifier,
            "proofs": {"jwt": [wallet.proof(wallet.nonce(), audience=server.url)]},
        },
        headers=bearer,
    )
    assert got.status_code == 200, got.text
    token = parse_sd_jwt(got.json()["credentials"][0]["credential"])
    assert token.payload["cnf"]["jwk"] == wallet.key.public_jwk()


def test_malformed_authorization_details_are_refused_before_the_code_is_spent(
    http: httpx.Client, server: BackgroundServer
) -> None:
    wallet = Wallet(http)
    offer = Wallet.read_offer(make_offer(http)["uri"])
    code = offer["grants"][PRE_AUTHORIZED_GRANT]["pre-authorized_code"]
    for bad in (
        "not json",
        json.dumps({"type": "openid_credential"}),
        json.dumps([{"type": "payment_initiation"}]),
        json.dumps([{"type": "openid_credential"}]),
        json.dumps(
            [
                {
                    "type": "openid_credential",
                    "credential_configuration_id": "MicroCredential_ldp_vc",
                    "locations": ["https://another-issuer.example"],
                }
            ]
        ),
    ):
        refused = http.post(
            "/token",
            data={
                "grant_type": PRE_AUTHORIZED_GRANT,
                "pre-authorized_code": code,
                "authorization_details": bad,
            },
        )
        assert refused.status_code == 400, (bad, refused.text)
        assert refused.json()["error"] == "invalid_request", refused.text
    assert wallet.token(offer).status_code == 200


def test_a_proof_past_its_own_exp_is_refused(http: httpx.Client, server: BackgroundServer) -> None:
    """RFC 7519 §4.1.4: a JWT must not be accepted on or after its ``exp`` — a wallet may bound
    its proof's life more tightly than the issuer's 5 minutes (Sphereon sends ``exp``)."""
    wallet = Wallet(http)
    access = wallet.token(Wallet.read_offer(make_offer(http)["uri"])).json()["access_token"]
    now = int(datetime.now(UTC).timestamp())
    head = {"typ": "openid4vci-proof+jwt", "jwk": wallet.key.public_jwk()}
    claims = {"aud": server.url, "iat": now - 120, "exp": now - 60, "nonce": wallet.nonce()}
    expired = wallet.credential(
        access, "MicroCredential_ldp_vc", sign_compact(head, claims, wallet.key)
    )
    assert expired.json()["mcbadge_reason"] == "proof_expired", expired.text
    claims = {"aud": server.url, "iat": now, "nbf": now + 3600, "nonce": wallet.nonce()}
    early = wallet.credential(
        access, "MicroCredential_ldp_vc", sign_compact(head, claims, wallet.key)
    )
    assert early.json()["mcbadge_reason"] == "proof_nbf", early.text
    claims = {"aud": server.url, "iat": now, "exp": now + 60, "nonce": wallet.nonce()}
    fine = wallet.credential(
        access, "MicroCredential_ldp_vc", sign_compact(head, claims, wallet.key)
    )
    assert fine.status_code == 200, fine.text


def test_a_request_for_an_encrypted_response_is_not_answered_in_the_clear(
    http: httpx.Client, server: BackgroundServer
) -> None:
    """OpenID4VCI 1.0 §8.3: a wallet that asks for an encrypted response must get one; this
    issuer encrypts none (it advertises no credential_response_encryption), so it refuses,
    and the nonce and the delivery are left unspent."""
    wallet = Wallet(http)
    access = wallet.token(Wallet.read_offer(make_offer(http)["uri"])).json()["access_token"]
    bearer = {"Authorization": f"Bearer {access}"}
    nonce = wallet.nonce()
    asked = http.post(
        "/credential",
        json={
            "credential_configuration_id": "MicroCredential_sd_jwt",
            "proofs": {"jwt": [wallet.proof(nonce, audience=server.url)]},
            "credential_response_encryption": {"jwk": wallet.key.public_jwk(), "enc": "A256GCM"},
        },
        headers=bearer,
    )
    assert asked.status_code == 400, asked.text
    assert asked.json()["error"] == "invalid_encryption_parameters"
    later = wallet.credential(
        access, "MicroCredential_sd_jwt", wallet.proof(nonce, audience=server.url)
    )
    assert later.status_code == 200, later.text


def test_the_proof_typ_may_carry_the_application_prefix(
    http: httpx.Client, server: BackgroundServer
) -> None:
    """RFC 7515 §4.1.9: ``typ`` without a '/' means ``application/<typ>``, and media types
    compare case-insensitively, so the full media type is the same proof type."""
    wallet = Wallet(http)
    access = wallet.token(Wallet.read_offer(make_offer(http)["uri"])).json()["access_token"]
    for typ in ("application/openid4vci-proof+jwt", "Application/OpenID4VCI-Proof+JWT"):
        head = {"typ": typ, "jwk": wallet.key.public_jwk()}
        config = "MicroCredential_ldp_vc" if typ.startswith("a") else "MicroCredential_sd_jwt"
        proof = wallet.proof(wallet.nonce(), audience=server.url, header=head)
        assert wallet.credential(access, config, proof).status_code == 200
    head = {"typ": "application/jwt", "jwk": wallet.key.public_jwk()}
    other = wallet.credential(
        access,
        "MicroCredential_jwt_vc_json",
        wallet.proof(wallet.nonce(), audience=server.url, header=head),
    )
    assert other.json()["mcbadge_reason"] == "proof_typ"


def test_token_answers_and_token_errors_are_never_cached(http: httpx.Client) -> None:
    """RFC 6749 §5.1/§5.2: ``Cache-Control: no-store`` and ``Pragma: no-cache``."""
    offer = Wallet.read_offer(make_offer(http)["uri"])
    wallet = Wallet(http)
    for answer in (wallet.token(offer), wallet.token(offer)):  # granted, then invalid_grant
        assert answer.headers["cache-control"] == "no-store"
        assert answer.headers["pragma"] == "no-cache"
    assert wallet.token(offer).status_code == 400


def test_issue_offer_never_sends_the_issuing_token_over_plain_http() -> None:
    """The issuing token lets its holder issue in the institution's name, and the answer holds
    the pre-authorized and transaction codes: ``issue_offer(service=…)`` talks only to an
    https:// service (or one on loopback), before any byte is sent."""
    from mcbadge.errors import Oid4vciError

    with pytest.raises(Oid4vciError) as info:
        issue_offer(unsigned_credential(), service="http://192.0.2.1:9", token=TOKEN, timeout=2)
    assert info.value.code == "offer_invalid"
    assert info.value.details["reason"] == "https_required"


def test_an_access_token_and_a_nonce_expire_by_the_service_clock(store: Store) -> None:
    """Over HTTP: five minutes and a second later an access token is refused (401,
    invalid_token) and so is a c_nonce (invalid_nonce), by the service's clock."""
    moment = [datetime.now(UTC)]
    app = create_app(key=ISSUER_KEY, issue_token=TOKEN, store=store, clock=lambda: moment[0])
    with BackgroundServer(app) as running, httpx.Client(base_url=running.url) as client:
        wallet = Wallet(client)
        first = wallet.token(Wallet.read_offer(make_offer(client)["uri"])).json()
        old_nonce = wallet.nonce()
        moment[0] += timedelta(minutes=5, seconds=1)
        iat = int(moment[0].timestamp())
        late = wallet.credential(
            first["access_token"],
            "MicroCredential_ldp_vc",
            wallet.proof(wallet.nonce(), audience=running.url, iat=iat),
        )
        assert late.status_code == 401, late.text
        assert late.json()["mcbadge_reason"] == "access_token_expired"
        assert 'error="invalid_token"' in late.headers["www-authenticate"]
        fresh = wallet.token(Wallet.read_offer(make_offer(client)["uri"])).json()
        stale = wallet.credential(
            fresh["access_token"],
            "MicroCredential_ldp_vc",
            wallet.proof(old_nonce, audience=running.url, iat=iat),
        )
        assert stale.status_code == 400
        # expired nonces are dropped as new ones are made: expired or gone, it is refused
        assert stale.json()["error"] == "invalid_nonce", stale.text
        assert stale.json()["mcbadge_reason"] in ("nonce_expired", "nonce_unknown")


def test_a_p256_issuer_offers_only_what_it_can_sign(store: Store) -> None:
    """``ldp_vc`` is signed with eddsa-rdfc-2022, which needs an Ed25519 key: a service with a
    P-256 key does not list it in its metadata, so it must not put it into offers either (the
    wallet would get a 500 at the credential endpoint): by default its offers hold the other
    two formats, and an SIS asking for ``ldp_vc`` is told at once."""
    key = KeyPair.generate("P-256")
    app = create_app(key=key, issue_token=TOKEN, store=store)
    credential = {**unsigned_credential(), "issuer": {**unsigned_credential()["issuer"]}}
    credential["issuer"]["id"] = key.did_key
    with BackgroundServer(app) as running, httpx.Client(base_url=running.url) as client:
        supported = client.get("/.well-known/openid-credential-issuer").json()
        assert "MicroCredential_ldp_vc" not in supported["credential_configurations_supported"]
        made = client.post("/offers", json={"credential": credential}, headers=AUTH)
        assert made.status_code == 201, made.text
        offered = Wallet.read_offer(made.json()["uri"])["credential_configuration_ids"]
        assert offered == ["MicroCredential_jwt_vc_json", "MicroCredential_sd_jwt"]
        asked = client.post(
            "/offers", json={"credential": credential, "formats": ["ldp_vc"]}, headers=AUTH
        )
        assert asked.status_code == 400, asked.text
        assert asked.json()["error"]["details"]["reason"] == "format_needs_ed25519"


def test_a_malformed_credential_request_body_is_invalid_credential_request(
    http: httpx.Client,
) -> None:
    """OpenID4VCI 1.0 §8.3.1.2: errors in the credential request's payload use the specific
    codes, not RFC 6750's generic invalid_request — also when the body is not even JSON."""
    wallet = Wallet(http)
    access = wallet.token(Wallet.read_offer(make_offer(http)["uri"])).json()["access_token"]
    bearer = {"Authorization": f"Bearer {access}"}
    for content, media in (
        (b'{"proofs": 1, "proofs": 2}', "application/json"),
        (b'{"credential_configuration_id": "MicroCredential_ldp_vc"', "application/json"),
        (b'{"a": "\\ud800"}', "application/json"),
        (b"{}", "text/plain"),
    ):
        answer = http.post(
            "/credential", content=content, headers={**bearer, "Content-Type": media}
        )
        assert answer.status_code in (400, 415), answer.text
        assert answer.json()["error"] == "invalid_credential_request", answer.text
