"""The programs in examples/ and the demo run as a user would run them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

EXAMPLES = PROJECT_ROOT / "examples"
# Examples that run on their own (others need a server and are run by their own tests).
STANDALONE = [
    "build_microcredential.py",
    "sign_microcredential.py",
    "bake_certificate.py",
    "convert_edubadge.py",
    "sd_jwt_wallet.py",
    "read_credential.py",
    "wallet_offer.py",
]


def _run(*args: str, cwd: Path = PROJECT_ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("name", STANDALONE)
def test_example_runs(name: str) -> None:
    result = _run(str(EXAMPLES / name))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


def test_build_example_prints_an_ob3_credential() -> None:
    result = _run(str(EXAMPLES / "build_microcredential.py"))
    doc = json.loads(result.stdout)
    assert doc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert doc["credentialSubject"]["achievement"]["achievementType"] == "MicroCredential"


def test_sd_jwt_example_hides_the_grade_and_sees_the_revocation() -> None:
    result = _run(str(EXAMPLES / "sd_jwt_wallet.py"))
    assert result.returncode == 0, result.stderr
    assert "grade shown: False" in result.stdout
    assert "after revocation: revoked" in result.stdout


def test_demo_command_issues_the_cohort_and_bakes_a_certificate(tmp_path: Path) -> None:
    result = _run("-m", "mcbadge.cli", "demo", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "valid against the OB3 AchievementCredential JSON Schema" in result.stdout
    assert "OB3 JSON Schema check skipped" not in result.stdout
    assert "Verification report of row 1 (Data Integrity)" in result.stdout
    assert "VERIFIED" in result.stdout
    assert "issued the cohort: 3 of 3 learners" in result.stdout
    assert "verified 3 of 3" in result.stdout

    from mcbadge.bake import unbake_svg
    from mcbadge.proofs import verify_proofs

    files = sorted((tmp_path / "credentials").glob("[0-9]*.json"))
    assert [f.name for f in files] == [
        "000001-jan-jansen.json",
        "000002-fatima-el-amrani.json",
        "000003-zoe-bakker.json",
    ]
    credentials = [json.loads(f.read_text(encoding="utf-8")) for f in files]
    issuer = credentials[0]["issuer"]["id"]
    assert issuer.startswith("did:key:z6Mk")
    for credential in credentials:
        assert credential["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"
        assert credential["issuer"]["id"] == issuer
        assert [r.verified for r in verify_proofs(credential)] == [True]
    assert len({c["id"] for c in credentials}) == 3
    token = (tmp_path / "jan-jansen.jwt").read_text(encoding="utf-8").strip()
    assert token.count(".") == 2
    certificate = (tmp_path / "certificate.svg").read_text(encoding="utf-8")
    assert "Jan Jansen" in certificate
    assert unbake_svg(certificate) == credentials[0]
    assert (tmp_path / "issuer.pem").stat().st_mode & 0o777 == 0o600
    # the tour can be run again into the same folder: it starts over with a new key
    again = _run("-m", "mcbadge.cli", "demo", "--out", str(tmp_path))
    assert again.returncode == 0, again.stderr
    reissued = json.loads(files[0].read_text(encoding="utf-8"))
    assert reissued["issuer"]["id"] != issuer


def test_wallet_offer_example_prints_the_offer_and_the_metadata() -> None:
    result = _run(str(EXAMPLES / "wallet_offer.py"))
    assert result.returncode == 0, result.stderr
    assert "openid-credential-offer://?credential_offer=" in result.stdout
    assert "MicroCredential_sd_jwt: dc+sd-jwt" in result.stdout


def test_demo_ends_with_a_wallet_offer_that_mcbadge_serve_redeems(tmp_path: Path) -> None:
    import io

    import httpx

    from mcbadge.demo import DEMO_PUBLIC_URL, run
    from mcbadge.keys import KeyPair
    from mcbadge.service import BackgroundServer, create_app
    from mcbadge.store import open_store
    from tests.oid4vci_wallet import Wallet

    told = io.StringIO()
    result = run(tmp_path, stream=told)
    lines = told.getvalue().strip().splitlines()
    assert any(line.strip() == f"offer URI: {result['offer']['uri']}" for line in lines[-6:])
    assert "mcbadge serve --key" in lines[-2] and "--data-dir" in lines[-2]
    assert Path(result["offer"]["png"]).read_bytes().startswith(b"\x89PNG")
    assert "<svg" in Path(result["offer"]["svg"]).read_text(encoding="utf-8")
    # the QR code carries the pre-authorized code (a bearer secret): owner-only, like the key
    for name in ("png", "svg"):
        assert Path(result["offer"][name]).stat().st_mode & 0o777 == 0o600
    key = KeyPair.from_pem((tmp_path / "issuer.pem").read_bytes())
    with open_store(data_dir=tmp_path / "wallet-data") as store:
        app = create_app(key=key, store=store, public_url=DEMO_PUBLIC_URL)
        # another port than the demo's 8000 (which may be taken): the wallet talks to this
        # server and names the issuer the offer names
        with BackgroundServer(app) as server, httpx.Client(base_url=server.url) as http:
            wallet = Wallet(http)
            token = wallet.token(Wallet.read_offer(result["offer"]["uri"]))
            assert token.status_code == 200, token.text
            proof = wallet.proof(wallet.nonce(), audience=DEMO_PUBLIC_URL)
            answer = wallet.credential(
                token.json()["access_token"], "MicroCredential_ldp_vc", proof
            )
            assert answer.status_code == 200, answer.text
            credential = answer.json()["credentials"][0]["credential"]
            assert credential["credentialSubject"]["id"].startswith("did:jwk:")


def test_demo_cohort_in_the_package_is_the_one_in_examples() -> None:
    for name in ("cohort.csv", "cohort.unit.toml"):
        packaged = PROJECT_ROOT / "src" / "mcbadge" / "data" / name
        assert packaged.read_bytes() == (EXAMPLES / name).read_bytes(), name


def test_demo_without_the_schema_says_it_skipped_the_check(tmp_path: Path) -> None:
    env = dict(os.environ, MCBADGE_CACHE_DIR=str(tmp_path / "empty-cache"))
    result = subprocess.run(
        [sys.executable, "-m", "mcbadge.cli", "demo", "--out", str(tmp_path / "out")],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "OB3 JSON Schema check skipped" in result.stdout
    assert "seed" in result.stdout


def test_cache_seed_command_seeds_from_a_folder(tmp_path: Path, reference_dir: Path) -> None:
    env = dict(os.environ, MCBADGE_CACHE_DIR=str(tmp_path / "cache"))
    result = subprocess.run(
        [sys.executable, "-m", "mcbadge.cli", "--json", "cache", "seed", str(reference_dir)],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["seeded"]) >= 2
