"""``mcbadge offer``: a cohort's offers written into a store and redeemed from ``mcbadge serve``;
one learner's offer through a running service (``--service``); the ``--json`` shape; QR codes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from mcbadge import verify
from mcbadge.keys import KeyPair
from mcbadge.service import BackgroundServer, create_app
from mcbadge.store import open_store
from tests.conftest import PROJECT_ROOT
from tests.oid4vci_wallet import Wallet
from tests.ports import free_port

DATA = PROJECT_ROOT / "src" / "mcbadge" / "data"
KEY_FILE = PROJECT_ROOT / "tests" / "keys" / "ed25519.pem"
KEY = KeyPair.from_pem(KEY_FILE.read_bytes())
TOKEN = "cli-offer-token-0123456789abcdef"


def _mcbadge(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - this interpreter, this package
        [sys.executable, "-m", "mcbadge.cli", *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _redeem(url: str, uri: str, config_id: str, tx_code: str | None = None) -> Any:
    with httpx.Client(base_url=url, timeout=30.0) as http:
        wallet = Wallet(http)
        token = wallet.token(Wallet.read_offer(uri), tx_code)
        assert token.status_code == 200, token.text
        proof = wallet.proof(wallet.nonce(), audience=url)
        response = wallet.credential(token.json()["access_token"], config_id, proof)
        assert response.status_code == 200, response.text
        return response.json()["credentials"][0]["credential"]


@pytest.fixture()
def cohort(tmp_path: Path) -> Path:
    for name in ("cohort.csv", "cohort.unit.toml"):
        (tmp_path / name).write_bytes((DATA / name).read_bytes())
    return tmp_path / "cohort.csv"


def test_offers_for_a_cohort_go_into_the_store_and_redeem_from_serve(
    tmp_path: Path, cohort: Path
) -> None:
    port = free_port()
    public = f"http://127.0.0.1:{port}"
    data, out = tmp_path / "data", tmp_path / "offers"
    done = _mcbadge(
        "offer", str(cohort), "--data-dir", str(data), "--public-url", public,
        "--key", str(KEY_FILE), "--out", str(out), "--tx-code", "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    body = json.loads(done.stdout)
    assert list(body) == ["offers"]
    assert [o["row"] for o in body["offers"]] == [1, 2, 3]
    for offer in body["offers"]:
        assert set(offer) == {"row", "uri", "tx_code", "expires"}
        assert offer["uri"].startswith("openid-credential-offer://?credential_offer=")
    names = sorted(p.name for p in out.iterdir())
    assert names[:2] == ["000001-jan-jansen.png", "000001-jan-jansen.svg"] and len(names) == 6
    assert (out / names[0]).read_bytes().startswith(b"\x89PNG")
    assert "<svg" in (out / names[1]).read_text(encoding="utf-8")
    # each QR code holds a pre-authorized code, a bearer secret: only its owner may read it
    assert {(out / name).stat().st_mode & 0o777 for name in names} == {0o600}
    with open_store(data_dir=data) as store:
        app = create_app(key=KEY, store=store, public_url=public)
        with BackgroundServer(app, port=port) as server:
            first = body["offers"][0]
            credential = _redeem(
                server.url, first["uri"], "MicroCredential_sd_jwt", first["tx_code"]
            )
            assert verify(credential, status_fetcher=lambda u: httpx.get(u).text)


@pytest.fixture()
def service(tmp_path: Path) -> Iterator[BackgroundServer]:
    with open_store(data_dir=tmp_path / "service") as store:
        app = create_app(key=KEY, store=store, issue_token=TOKEN)
        with BackgroundServer(app) as running:
            yield running


def test_an_offer_for_one_learner_through_a_running_service(
    tmp_path: Path, service: BackgroundServer
) -> None:
    import tomllib

    unit = tomllib.loads((DATA / "cohort.unit.toml").read_text(encoding="utf-8"))
    learner = {
        **unit,
        "learner": {"name": "Jan Jansen", "email": "jan@example.nl"},
        "result": {"grade": "8"},
        "valid_from": "2026-01-15T10:00:00Z",
    }
    source = tmp_path / "jan.json"
    source.write_text(json.dumps(learner), encoding="utf-8")
    token_file = tmp_path / "token.txt"
    token_file.write_text(TOKEN, encoding="utf-8")
    done = _mcbadge(
        "offer", str(source), "--service", service.url, "--token-file", str(token_file),
        "--format", "ldp_vc", "--out", str(tmp_path / "qr"),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    uri = done.stdout.split("row 1: ", 1)[1].split()[0]
    assert Wallet.read_offer(uri)["credential_configuration_ids"] == ["MicroCredential_ldp_vc"]
    assert (tmp_path / "qr" / "jan-jansen.png").is_file()
    credential = _redeem(service.url, uri, "MicroCredential_ldp_vc")
    assert credential["credentialSubject"]["id"].startswith("did:jwk:")
    wrong = _mcbadge(
        "offer", str(source), "--service", service.url, "--out", str(tmp_path / "qr2"),
        env={"MCBADGE_SERVICE_TOKEN": "not-the-token-at-all"},
    )  # fmt: skip
    assert wrong.returncode == 1 and "offer_service_failed" in wrong.stderr


def test_a_public_http_url_is_refused(tmp_path: Path, cohort: Path) -> None:
    done = _mcbadge(
        "offer", str(cohort), "--data-dir", str(tmp_path / "d"), "--public-url",
        "http://badges.example", "--key", str(KEY_FILE), "--out", str(tmp_path / "o"),
    )  # fmt: skip
    assert done.returncode == 2 and "invalid_option" in done.stderr
    # nor is a plain-http service: the issuing token would cross the network in the clear
    token = tmp_path / "token.txt"
    token.write_text("a-token-0123456789abcdef", encoding="utf-8")
    done = _mcbadge(
        "offer", str(cohort), "--service", "http://192.0.2.1:9", "--token-file", str(token),
        "--out", str(tmp_path / "o"),
    )  # fmt: skip
    assert done.returncode == 2 and "invalid_option" in done.stderr, done.stderr
