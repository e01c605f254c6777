"""No untyped failure at the OpenID4VCI endpoints: random forms at ``/token``, random JSON and
mutated proofs at ``/credential`` (with a valid access token, so the request is read to the
end), random offers at ``/offers`` — always an OAuth / mcbadge error answer, never a 5xx.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcbadge._internal.jws import sign_compact
from mcbadge.demo import sample_microcredential
from mcbadge.keys import KeyPair
from mcbadge.service import BackgroundServer, create_app
from mcbadge.store import open_store
from tests.conftest import PROJECT_ROOT
from tests.integration.test_fuzz_untyped import json_values
from tests.oid4vci_wallet import Wallet

KEY = KeyPair.from_pem((PROJECT_ROOT / "tests" / "keys" / "ed25519.pem").read_bytes())
TOKEN = "fuzz-oid4vci-token-0123456789abcdef"
SETTINGS = settings(
    max_examples=int(__import__("os").environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
WALLET_KEY = KeyPair.generate("P-256")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackgroundServer]:
    folder: Path = tmp_path_factory.mktemp("fuzz-oid4vci")
    with (
        open_store(data_dir=folder) as store,
        BackgroundServer(create_app(key=KEY, store=store, issue_token=TOKEN)) as running,
    ):
        yield running


@pytest.fixture(scope="module")
def http(server: BackgroundServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=60.0) as client:
        yield client


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


@pytest.fixture(scope="module")
def access_token(http: httpx.Client) -> str:
    made = http.post(
        "/offers", json={"credential": _credential()}, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert made.status_code == 201, made.text
    token = Wallet(http).token(Wallet.read_offer(made.json()["uri"]))
    assert token.status_code == 200, token.text
    return str(token.json()["access_token"])


def _no_5xx(response: httpx.Response) -> None:
    assert response.status_code < 500, (response.status_code, response.text[:500])
    body = response.json()
    assert "error" in body


form_values = st.dictionaries(
    st.sampled_from(["grant_type", "pre-authorized_code", "tx_code", "user_pin", "x"]),
    st.text(max_size=30),
    max_size=4,
)


@SETTINGS
@given(form=form_values, raw=st.binary(max_size=80))
def test_token_random_forms_fail_typed(
    http: httpx.Client, form: dict[str, str], raw: bytes
) -> None:
    _no_5xx(http.post("/token", data=form))
    _no_5xx(
        http.post(
            "/token", content=raw, headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
    )


@SETTINGS
@given(value=json_values)
def test_credential_random_json_fails_typed(
    http: httpx.Client, access_token: str, value: Any
) -> None:
    headers = {"Authorization": f"Bearer {access_token}"}
    _no_5xx(http.post("/credential", content=json.dumps(value).encode("utf-8", "surrogatepass"),
                      headers={**headers, "Content-Type": "application/json"}))  # fmt: skip
    for shape in (
        {"credential_configuration_id": "MicroCredential_ldp_vc", "proofs": value},
        {"credential_configuration_id": "MicroCredential_sd_jwt", "proofs": {"jwt": [value]}},
        {"format": value, "proof": {"proof_type": "jwt", "jwt": value}},
    ):
        body = json.dumps(shape).encode("utf-8", "surrogatepass")
        _no_5xx(
            http.post(
                "/credential", content=body, headers={**headers, "Content-Type": "application/json"}
            )
        )


@SETTINGS
@given(header=json_values, claims=json_values)
def test_credential_mutated_proofs_fail_typed(
    http: httpx.Client, server: BackgroundServer, access_token: str, header: Any, claims: Any
) -> None:
    base_header = {"typ": "openid4vci-proof+jwt", "jwk": WALLET_KEY.public_jwk()}
    base_claims = {"aud": server.url, "iat": int(datetime.now(UTC).timestamp()), "nonce": "n"}
    heads = [
        base_header,
        {**base_header, "kid": header},
        {"typ": "openid4vci-proof+jwt", "kid": header},
    ]
    bodies = [base_claims, {**base_claims, "aud": claims}, {**base_claims, "iat": claims}]
    if isinstance(claims, dict):
        bodies.append(claims)
    for head in heads:
        for payload in bodies:
            try:
                jwt = sign_compact(head, payload, WALLET_KEY)
            except Exception:  # noqa: S112 - a header the signer cannot serialize: skip it
                continue
            request = {
                "credential_configuration_id": "MicroCredential_jwt_vc_json",
                "proofs": {"jwt": [jwt]},
            }
            _no_5xx(
                http.post(
                    "/credential", json=request, headers={"Authorization": f"Bearer {access_token}"}
                )
            )


@SETTINGS
@given(value=json_values)
def test_offers_random_json_fails_typed(http: httpx.Client, value: Any) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    for body in (value, {"credential": value}, {"credential": _credential(), "formats": value},
                 {"credential": _credential(), "tx_code": value, "expires_in": value}):  # fmt: skip
        response = http.post("/offers", content=json.dumps(body).encode("utf-8", "surrogatepass"),
                             headers=headers)  # fmt: skip
        assert response.status_code < 500, (response.status_code, response.text[:500])
