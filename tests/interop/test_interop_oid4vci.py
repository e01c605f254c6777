"""OpenID4VCI with the real wallet libraries: ``@openid4vc/openid4vci`` and
``@sphereon/oid4vci-client`` drive the pre-authorized code flow against ``mcbadge serve``.

For each library and each format (``ldp_vc``, ``jwt_vc_json``, ``dc+sd-jwt``: 6 flows) an SIS
makes the offer with ``POST /offers``, the library resolves it, reads the metadata, redeems the
code, gets a ``c_nonce``, signs its proof with a fresh P-256 key and receives the credential
(``tests/interop/wallet/wallet.mjs``, over real loopback HTTP). What it receives must verify:

* everything in mcbadge ``verify()`` (status included, from the service);
* ``ldp_vc`` in ``@digitalbazaar/vc`` with the Bitstring Status List checked there;
* ``jwt_vc_json`` with ``jose`` (the issuer's Ed25519 key);
* ``dc+sd-jwt`` in ``@sd-jwt/sd-jwt-vc`` (status through ``@sd-jwt/jwt-status-list``), then
  as a presentation with selected Disclosures and a KB-JWT signed by the wallet key, in
  ``@sd-jwt/sd-jwt-vc`` and in mcbadge; and with the IETF reference implementation (PyPI
  ``sd-jwt``) both ways: its verifier reads the credential, its holder presents it and mcbadge
  verifies the presentation.

The libraries' own requests are recorded: both speak the credential-configuration-id form
(OpenID4VCI 1.0 / draft 15). Each library also completes a flow over HTTPS (a throw-away CA
it is told to trust), with its insecure-URL opt-in off, as in production. Refusals through the libraries: a replayed offer, a wrong
transaction code, an expired offer (one per library each); the other attacks are in
tests/integration/test_service_oid4vci.py with a wallet written in Python.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from jwcrypto.jwk import JWK
from sd_jwt.holder import SDJWTHolder
from sd_jwt.verifier import SDJWTVerifier

from mcbadge import verify
from mcbadge.demo import sample_microcredential
from mcbadge.did import resolve_did_jwk
from mcbadge.keys import KeyPair, PublicKey
from mcbadge.oid4vci import CONFIGURATION_IDS, issue_offer
from mcbadge.proofs.sdjwt import parse_sd_jwt
from mcbadge.service import BackgroundServer, create_app
from mcbadge.store import Store, open_store
from tests.conftest import PROJECT_ROOT
from tests.interop.conftest import NodeWorker

pytestmark = pytest.mark.interop

WALLET_DIR = Path(__file__).resolve().parent / "wallet"
WALLET = WALLET_DIR / "wallet.mjs"
KEY = KeyPair.from_pem((PROJECT_ROOT / "tests" / "keys" / "ed25519.pem").read_bytes())
TOKEN = "interop-oid4vci-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
CLIENTS = ("openid4vc", "sphereon")
FORMATS = ("ldp_vc", "jwt_vc_json", "dc+sd-jwt")
VERIFIER = "https://werkgever.example"


def _node() -> str:
    node = shutil.which("node")
    missing = node is None or not (WALLET_DIR / "node_modules" / "@sphereon").is_dir()
    if missing:
        reason = (
            "the wallet libraries are missing: npm ci --prefix tests/interop/wallet (make node)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    assert node is not None
    return node


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with open_store(data_dir=tmp_path_factory.mktemp("oid4vci")) as opened:
        yield opened


EXCHANGES: list[dict[str, Any]] = []
"""What the libraries sent to /token and /credential, and what the service answered."""


class _RecordExchanges:
    """ASGI middleware: keeps each POST /token and /credential with its answer."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"] not in ("/token", "/credential"):
            await self.app(scope, receive, send)
            return
        sent: list[bytes] = []
        answered: dict[str, Any] = {"body": b""}

        async def recording_receive() -> Any:
            message = await receive()
            if message["type"] == "http.request":
                sent.append(message.get("body", b""))
            return message

        async def recording_send(message: Any) -> None:
            if message["type"] == "http.response.start":
                answered["status"] = message["status"]
            elif message["type"] == "http.response.body":
                answered["body"] += message.get("body", b"")
            await send(message)

        await self.app(scope, recording_receive, recording_send)
        EXCHANGES.append(
            {
                "path": scope["path"],
                "request": b"".join(sent),
                "status": answered.get("status"),
                "answer": json.loads(answered["body"] or b"null"),
            }
        )


def _answers_since(before: int, path: str) -> list[dict[str, Any]]:
    return [e for e in EXCHANGES[before:] if e["path"] == path]


@pytest.fixture(scope="module")
def server(store: Store) -> Iterator[BackgroundServer]:
    app = create_app(key=KEY, issue_token=TOKEN, store=store)
    app.add_middleware(_RecordExchanges)
    with BackgroundServer(app) as running:
        yield running


def _credential() -> dict[str, Any]:
    return (
        sample_microcredential()
        .to_credential(
            id=f"urn:uuid:{uuid.uuid4()}",
            valid_from="2026-01-01T00:00:00Z",
            issuer_id=KEY.did_key,
        )
        .to_json_dict()
    )


def _offer(server: BackgroundServer, fmt: str, *, tx_code: bool = False) -> dict[str, Any]:
    response = httpx.post(
        server.url + "/offers",
        json={"credential": _credential(), "formats": [fmt], "tx_code": tx_code},
        headers=AUTH,
        timeout=30.0,
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _wallet(
    client: str, uri: str, tx_code: str | None = None, *, trust: Path | None = None
) -> dict[str, Any]:
    """Run the wallet; with ``trust`` (a CA file) over HTTPS only, trusting that CA."""
    node = _node()
    request = {"client": client, "offer_uri": uri, "tx_code": tx_code, "https_only": bool(trust)}
    env = {**os.environ, **({"NODE_EXTRA_CA_CERTS": str(trust)} if trust else {})}
    done = subprocess.run(  # noqa: S603 - node and our own script
        [node, str(WALLET)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=WALLET_DIR,
        env=env,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert lines, f"the wallet wrote no answer; stderr: {done.stderr[-2000:]}"
    answer: dict[str, Any] = json.loads(lines[-1])
    return answer


def _fetch(url: str) -> bytes:
    return httpx.get(url, timeout=30.0).content


@pytest.fixture(scope="module")
def received(server: BackgroundServer) -> dict[tuple[str, str], dict[str, Any]]:
    """Each library's flow for each format, run once for the module."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for client in CLIENTS:
        for fmt in FORMATS:
            before = len(EXCHANGES)
            out[client, fmt] = _wallet(client, _offer(server, fmt)["uri"])
            out[client, fmt]["sent"] = [
                json.loads(e["request"]) for e in _answers_since(before, "/credential")
            ]
    return out


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("client", CLIENTS)
def test_the_wallet_library_completes_the_flow_and_mcbadge_verifies_it(
    received: dict[tuple[str, str], dict[str, Any]], client: str, fmt: str
) -> None:
    answer = received[client, fmt]
    assert answer["ok"] is True, answer
    assert answer["format"] == fmt
    assert answer["configuration_id"] == CONFIGURATION_IDS[fmt]
    sent = answer["sent"]
    assert len(sent) == 1
    assert sent[0]["credential_configuration_id"] == CONFIGURATION_IDS[fmt]
    # what each library really sends: @openid4vc the OpenID4VCI 1.0 request (one JWT under
    # "proofs", answered {"credentials": [...]}); @sphereon 0.20 the draft-15 mix of a
    # configuration id with a single "proof" (answered {"credential", "c_nonce", ...})
    if client == "openid4vc":
        assert set(sent[0]) == {"credential_configuration_id", "proofs"}, sent[0]
        assert len(sent[0]["proofs"]["jwt"]) == 1
    else:
        assert set(sent[0]) == {"credential_configuration_id", "proof"}, sent[0]
        assert sent[0]["proof"]["proof_type"] == "jwt"
    credential = answer["credential"]
    result = verify(credential, status_fetcher=_fetch)
    assert result.report.check("status").status == "passed"
    holder = PublicKey.from_jwk(answer["holder_jwk"])
    if fmt == "dc+sd-jwt":
        assert PublicKey.from_jwk(parse_sd_jwt(credential).payload["cnf"]["jwk"]) == holder
    else:
        assert result.credential["credentialSubject"]["id"].startswith("did:jwk:")  # type: ignore[index]


@pytest.mark.parametrize("client", CLIENTS)
def test_ldp_vc_from_the_flow_verifies_in_digitalbazaar_vc_with_its_status(
    received: dict[tuple[str, str], dict[str, Any]], node_worker: NodeWorker, client: str
) -> None:
    answer = received[client, "ldp_vc"]
    credential = answer["credential"]
    # the subject is the wallet's DID: did:jwk of its key (the DID it named in kid, if any)
    holder = resolve_did_jwk(credential["credentialSubject"]["id"]).verification_methods[0]
    assert holder.public_key == PublicKey.from_jwk(answer["holder_jwk"])
    list_url = credential["credentialStatus"]["statusListCredential"]
    documents = {list_url: json.loads(_fetch(list_url))}
    result = node_worker.call(
        "verify_di", credential=credential, documents=documents, check_status="bitstring"
    )
    assert result["verified"] is True, result["errors"]
    assert result["statusResult"]["results"][0]["status"] is False


@pytest.mark.parametrize("client", CLIENTS)
def test_jwt_vc_json_from_the_flow_verifies_with_jose(
    received: dict[tuple[str, str], dict[str, Any]], node_worker: NodeWorker, client: str
) -> None:
    token = received[client, "jwt_vc_json"]["credential"]
    result = node_worker.call("jwt_verify", jws=token, jwk=KEY.public_jwk(), algorithms=["EdDSA"])
    assert result["payload"]["credentialSubject"]["id"].startswith("did:jwk:")
    assert result["payload"]["iss"] == KEY.did_key


@pytest.mark.parametrize("client", CLIENTS)
def test_sd_jwt_vc_from_the_flow_verifies_in_sd_jwt_vc_with_status_and_key_binding(
    received: dict[tuple[str, str], dict[str, Any]], node_worker: NodeWorker, client: str
) -> None:
    answer = received[client, "dc+sd-jwt"]
    token = answer["credential"]
    uri = parse_sd_jwt(token).payload["status"]["status_list"]["uri"]
    lists = {uri: _fetch(uri).decode("ascii")}
    theirs = node_worker.call(
        "sdjwt_vc_verify", token=token, issuer_jwk=KEY.public_jwk(), status_lists=lists
    )
    assert theirs["header"]["typ"] == "dc+sd-jwt"
    assert theirs["payload"]["cnf"]["jwk"] == answer["holder_jwk"]
    idx = theirs["payload"]["status"]["status_list"]["idx"]
    read = node_worker.call("token_status_list_read", token=lists[uri], count=idx + 1)
    assert read["bits"] == 2 and read["statuses"][idx] == 0
    # the learner shows one identifier and nothing else they may hide, with a KB-JWT
    iat = int(datetime.now(UTC).timestamp())
    shown = node_worker.call(
        "sdjwt_vc_present",
        token=token,
        frame={"credentialSubject": {"identifier": {"0": True}}},
        holder_private_jwk=answer["holder_private_jwk"],
        aud=VERIFIER,
        nonce="n-42",
        iat=iat,
    )
    checked = node_worker.call(
        "sdjwt_vc_verify",
        token=shown,
        issuer_jwk=KEY.public_jwk(),
        status_lists=lists,
        nonce="n-42",
    )
    assert checked["kb"]["payload"]["aud"] == VERIFIER
    assert len(checked["payload"]["credentialSubject"]["identifier"]) == 1
    assert checked["payload"]["credentialSubject"].get("result", []) == []
    ours = verify(shown, audience=VERIFIER, nonce="n-42", status_fetcher=_fetch)
    assert len(ours.credential["credentialSubject"]["identifier"]) == 1  # type: ignore[index]


def _reference_key(jwk: dict[str, Any]) -> JWK:
    return JWK(**jwk)


@pytest.mark.parametrize("client", CLIENTS)
def test_sd_jwt_vc_from_the_flow_cross_checks_with_the_reference_implementation(
    received: dict[tuple[str, str], dict[str, Any]], client: str
) -> None:
    answer = received[client, "dc+sd-jwt"]
    token = answer["credential"]
    issuer = _reference_key(KEY.public_jwk())
    theirs = SDJWTVerifier(token, lambda iss, header: issuer).get_verified_payload()
    assert theirs["cnf"]["jwk"] == answer["holder_jwk"]
    assert theirs["credentialSubject"]["result"][0]["value"] == "8.5"
    holder = SDJWTHolder(token)
    holder.create_presentation(
        {"credentialSubject": {"result": [True]}},
        nonce="n-7",
        aud=VERIFIER,
        holder_key=_reference_key(answer["holder_private_jwk"]),
        sign_alg="ES256",
    )
    ours = verify(holder.sd_jwt_presentation, audience=VERIFIER, nonce="n-7", status_fetcher=_fetch)
    subject = ours.credential["credentialSubject"]  # type: ignore[index]
    assert [r["value"] for r in subject["result"]] == ["8.5"]
    assert subject.get("identifier", []) == []


def _assert_refused(before: int, reason: str) -> None:
    """The library's token request since ``before`` got ``invalid_grant`` for ``reason``."""
    answers = _answers_since(before, "/token")
    assert answers, "the library sent no token request"
    assert answers[-1]["status"] == 400
    assert answers[-1]["answer"]["error"] == "invalid_grant"
    assert answers[-1]["answer"]["mcbadge_reason"] == reason
    assert not _answers_since(before, "/credential")


@pytest.mark.parametrize("client", CLIENTS)
def test_the_library_cannot_redeem_an_offer_twice(server: BackgroundServer, client: str) -> None:
    uri = _offer(server, "jwt_vc_json")["uri"]
    assert _wallet(client, uri)["ok"] is True
    before = len(EXCHANGES)
    assert _wallet(client, uri)["ok"] is False
    _assert_refused(before, "offer_redeemed")


@pytest.mark.parametrize("client", CLIENTS)
def test_the_library_with_a_wrong_transaction_code_is_refused(
    server: BackgroundServer, client: str
) -> None:
    made = _offer(server, "ldp_vc", tx_code=True)
    wrong = "000000" if made["tx_code"] != "000000" else "111111"
    before = len(EXCHANGES)
    assert _wallet(client, made["uri"], wrong)["ok"] is False
    _assert_refused(before, "tx_code_invalid")
    assert _wallet(client, made["uri"], made["tx_code"])["ok"] is True


@pytest.mark.parametrize("client", CLIENTS)
def test_the_library_cannot_redeem_an_expired_offer(
    server: BackgroundServer, store: Store, client: str
) -> None:
    past = datetime.now(UTC) - timedelta(days=20)
    offer = issue_offer(
        _credential(), store=store, credential_issuer=server.url, key=KEY, clock=lambda: past
    )
    before = len(EXCHANGES)
    assert _wallet(client, offer.uri)["ok"] is False
    _assert_refused(before, "offer_expired")


@pytest.mark.parametrize("client", CLIENTS)
def test_the_library_completes_the_flow_over_https(tmp_path: Path, client: str) -> None:
    """Over TLS, with the library's insecure-URL opt-in off (as in production)."""
    import ssl

    from tests.integration.test_service import _tls_files

    ca_file, cert_file, key_file = _tls_files(tmp_path)
    trust = ssl.create_default_context(cafile=str(ca_file))
    with open_store(data_dir=tmp_path / "data") as tls_store:
        app = create_app(key=KEY, issue_token=TOKEN, store=tls_store)
        with BackgroundServer(app, certfile=cert_file, keyfile=key_file) as running:
            assert running.url.startswith("https://")
            made = httpx.post(
                running.url + "/offers",
                json={"credential": _credential(), "formats": ["dc+sd-jwt"]},
                headers=AUTH,
                verify=trust,
            )
            assert made.status_code == 201, made.text
            answer = _wallet(client, made.json()["uri"], trust=ca_file)
            assert answer["ok"] is True, answer
            fetched = verify(
                answer["credential"],
                status_fetcher=lambda url: httpx.get(url, verify=trust).content,
            )
            assert fetched.report.check("status").status == "passed"
