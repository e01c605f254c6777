"""``mcbadge verify`` on an SD-JWT VC file: exit codes and the ``--json`` report's disclosures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from mcbadge import issue
from mcbadge.demo import sample_microcredential
from mcbadge.keys import KeyPair
from mcbadge.proofs.sdjwt import parse_sd_jwt
from tests.conftest import PROJECT_ROOT


def _sd_jwt_vc() -> str:
    key = KeyPair.generate("Ed25519")
    key = key.with_verification_method(key.did_key_verification_method)
    cred = (
        sample_microcredential()
        .to_credential(
            id="urn:uuid:4b3a2c1d-0e9f-4a8b-9c7d-6e5f4a3b2c1d", valid_from="2025-01-01T00:00:00Z"
        )
        .to_json_dict()
    )
    cred["issuer"]["id"] = key.did_key
    return issue(cred, key, format="sd-jwt", vct="https://hs.example/vct/microcredential")


def _verify(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mcbadge.cli", "verify", "--json", str(path)],
        cwd=PROJECT_ROOT,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_cli_verifies_an_sd_jwt_vc_and_lists_the_disclosed_claims(tmp_path: Path) -> None:
    path = tmp_path / "credential.sd-jwt"
    path.write_text(_sd_jwt_vc() + "\n")
    result = _verify(path)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["verified"] is True and report["format"] == "sd-jwt"
    assert "credentialSubject.result[0]" in report["disclosed"]


def test_cli_refuses_an_sd_jwt_vc_with_a_stray_disclosure(tmp_path: Path) -> None:
    token = _sd_jwt_vc()
    stray = parse_sd_jwt(_sd_jwt_vc()).disclosures[0]
    path = tmp_path / "credential.sd-jwt"
    path.write_text(token + stray + "~")
    result = _verify(path)
    assert result.returncode == 1, result.stdout + result.stderr
    report = json.loads(result.stdout)
    failed = {c["id"]: c["error_code"] for c in report["checks"] if c["status"] == "failed"}
    assert failed == {"sdjwt.disclosures": "sdjwt_disclosure_unreferenced"}
