"""The service's SD-JWT VC routes over real loopback HTTP: Type Metadata and token status."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from mcbadge import issue, verify
from mcbadge.demo import sample_microcredential
from mcbadge.keys import KeyPair
from mcbadge.proofs.sdjwt_vc import integrity_of
from mcbadge.service import BackgroundServer, create_app
from mcbadge.service.sdjwt import token_status_registry
from mcbadge.store import Store, open_store

KEY = KeyPair.generate("Ed25519")
KEY = KEY.with_verification_method(KEY.did_key_verification_method)


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(str(tmp_path / "store.sqlite3")) as opened:
        yield opened


@pytest.fixture()
def server(store: Store) -> Iterator[BackgroundServer]:
    with BackgroundServer(create_app(key=KEY, store=store)) as running:
        yield running


def test_type_metadata_is_served_at_the_vct_and_the_well_known_path(
    server: BackgroundServer,
) -> None:
    first = httpx.get(server.url + "/vct/microcredential")
    second = httpx.get(server.url + "/.well-known/vct/vct/microcredential")
    assert first.status_code == second.status_code == 200
    assert first.headers["content-type"] == "application/json"
    assert first.content == second.content
    assert first.json()["vct"] == server.url + "/vct/microcredential"
    assert integrity_of(first.content).startswith("sha256-")


def test_token_status_list_is_served_from_the_store_and_checks(
    server: BackgroundServer, store: Store
) -> None:
    registry = token_status_registry(store, server.url, 1, size=1024)
    ref = registry.allocate()
    cred = (
        sample_microcredential()
        .to_credential(
            id="urn:uuid:7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", valid_from="2025-01-01T00:00:00Z"
        )
        .to_json_dict()
    )
    cred["issuer"]["id"] = KEY.did_key
    token = issue(cred, KEY, format="sd-jwt", status=ref.to_claim(), vct=server.url + "/vct/mc")

    def fetch(url: str) -> str:
        response = httpx.get(url)
        assert response.headers["content-type"] == "application/statuslist+jwt"
        return response.text

    assert verify(token, status_fetcher=fetch).report.check("status").status == "passed"  # type: ignore[union-attr]
    registry.revoke(ref.idx)
    with pytest.raises(Exception) as info:
        verify(token, status_fetcher=fetch)
    assert info.value.report.check("status").error_code == "revoked"  # type: ignore[attr-defined]
    assert httpx.get(server.url + "/token-status/2").status_code == 404


def test_jwt_vc_issuer_metadata_lists_the_service_key(server: BackgroundServer) -> None:
    body = httpx.get(server.url + "/.well-known/jwt-vc-issuer").json()
    assert body["issuer"] == server.url
    assert body["jwks"]["keys"] == [{**KEY.public_jwk(), "kid": KEY.verification_method}]


def test_verify_finds_an_https_issuers_key_in_its_jwt_vc_issuer_metadata(
    store: Store, tmp_path: Path
) -> None:
    import ssl

    from mcbadge.did import Resolver
    from mcbadge.net import NetworkPolicy
    from mcbadge.verify import verification_report
    from tests.integration.test_service import _tls_files

    ca_file, cert_file, key_file = _tls_files(tmp_path)
    trust = ssl.create_default_context(cafile=str(ca_file))
    app = create_app(key=KEY, store=store)
    with BackgroundServer(app, certfile=cert_file, keyfile=key_file) as running:
        cred = (
            sample_microcredential()
            .to_credential(
                id="urn:uuid:0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5",
                valid_from="2025-01-01T00:00:00Z",
            )
            .to_json_dict()
        )
        cred["issuer"]["id"] = running.url
        token = issue(cred, KEY, format="sd-jwt", vct=running.url + "/vct/microcredential")
        # loopback is not a public address: the test allows it explicitly (SSRF guard)
        policy = NetworkPolicy(allow_addresses=("127.0.0.1",), tls_context=trust)
        resolver = Resolver(allow_network=True, network=policy)
        result = verify(token, resolver=resolver, allow_network=True)
        offline = verification_report(token)
    binding = result.report.check("proof.issuer_binding")
    assert binding is not None and "JWT VC Issuer Metadata" in binding.message
    # offline, the did:key kid still verifies the signature, but it is not the HTTPS issuer's
    offline_binding = offline.check("proof.issuer_binding")
    assert offline_binding is not None and offline_binding.error_code == "issuer_key_mismatch"
