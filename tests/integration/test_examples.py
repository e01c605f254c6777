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


def test_demo_command_writes_a_valid_signed_credential(tmp_path: Path) -> None:
    result = _run("-m", "mcbadge.cli", "demo", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "valid against the OB3 AchievementCredential JSON Schema" in result.stdout
    assert "skipped" not in result.stdout
    signed = json.loads((tmp_path / "microcredential.di.json").read_text(encoding="utf-8"))
    assert signed["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"
    token = (tmp_path / "microcredential.jwt").read_text(encoding="utf-8").strip()
    assert token.count(".") == 2

    from mcbadge.jwt import decode_credential_jwt
    from mcbadge.keys import PublicKey
    from mcbadge.proofs import verify_proofs

    assert [r.verified for r in verify_proofs(signed)] == [True]
    did = signed["issuer"]["id"]
    key = PublicKey.from_multikey(did.removeprefix("did:key:"))
    assert decode_credential_jwt(token, key=key).credential["issuer"]["id"] == did


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
