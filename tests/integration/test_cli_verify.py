"""``mcbadge verify`` run as a user runs it: a subprocess, exit codes 0 / 1 / 2, --json shape."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PROJECT_ROOT
from tests.unit.test_verify import (
    ISSUER,
    OTHER,
    STATUS_ENTRY,
    make_presentation,
    ob3_credential,
    sign,
    sign_jwt,
)


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(PROJECT_ROOT / "src"), env.get("PYTHONPATH", "")])
    return subprocess.run(
        [sys.executable, "-m", "mcbadge.cli", *args],
        cwd=PROJECT_ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def write(tmp_path: Path, name: str, content: Any) -> str:
    path = tmp_path / name
    text = content if isinstance(content, str) else json.dumps(content, indent=2)
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def signed() -> dict[str, Any]:
    return sign(ob3_credential())


def test_verified_credential_prints_a_table_and_exits_0(
    tmp_path: Path, signed: dict[str, Any]
) -> None:
    result = run("verify", write(tmp_path, "c.json", signed))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "VERIFIED (format: di)"
    assert any(line.split()[:2] == ["ok", "proof[0].signature"] for line in lines)
    assert any(line.split()[:2] == ["skipped", "trusted_issuer"] for line in lines)


def test_json_output_has_verified_and_checks(tmp_path: Path, signed: dict[str, Any]) -> None:
    result = run("verify", "--json", write(tmp_path, "c.json", signed))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["verified"] is True
    assert data["format"] == "di"
    assert data["issuer"] == ISSUER.did_key
    assert {"id", "status", "message", "error_code", "details"} <= set(data["checks"][0])
    assert {c["status"] for c in data["checks"]} <= {"passed", "failed", "skipped"}
    # the global flag works too
    assert json.loads(run("--json", "verify", write(tmp_path, "d.json", signed)).stdout) == data


def test_tampered_credential_exits_1_and_names_the_failing_check(
    tmp_path: Path, signed: dict[str, Any]
) -> None:
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["achievement"]["name"] = "Iets anders"
    result = run("verify", "--json", write(tmp_path, "c.json", tampered))
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["verified"] is False
    assert [(c["id"], c["error_code"]) for c in data["checks"] if c["status"] == "failed"] == [
        ("proof[0].signature", "signature_invalid")
    ]
    table = run("verify", write(tmp_path, "c.json", tampered))
    assert table.returncode == 1
    assert table.stdout.startswith("NOT VERIFIED")
    assert "[signature_invalid]" in table.stdout


def test_jwt_from_stdin_verifies() -> None:
    result = run("verify", "-", stdin=sign_jwt(ob3_credential()) + "\n")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("VERIFIED (format: jwt)")


def test_trusted_issuer_is_enforced(tmp_path: Path, signed: dict[str, Any]) -> None:
    path = write(tmp_path, "c.json", signed)
    assert run("verify", "--trusted-issuer", ISSUER.did_key, path).returncode == 0
    refused = run("verify", "--json", "--trusted-issuer", OTHER.did_key, path)
    assert refused.returncode == 1
    failed = [c for c in json.loads(refused.stdout)["checks"] if c["status"] == "failed"]
    assert [c["error_code"] for c in failed] == ["issuer_not_trusted"]


@pytest.mark.parametrize("form", ["multibase", "jwk", "jwk-file"])
def test_key_option_trusts_an_https_key_offline(tmp_path: Path, form: str) -> None:
    issuer = "https://hs-voorbeeld.example/issuers/1"
    vm = issuer + "#key-1"
    path = write(tmp_path, "c.json", sign(ob3_credential(issuer), verification_method=vm))
    if form == "multibase":
        key = ISSUER.public_key.to_multikey()
    elif form == "jwk":
        key = json.dumps(ISSUER.public_key.to_jwk())
    else:
        key = "@" + write(tmp_path, "key.jwk.json", ISSUER.public_key.to_jwk())
    assert run("verify", "--key", f"{vm}={key}", path).returncode == 0
    assert run("verify", path).returncode == 1


def test_status_fails_closed_unless_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, "c.json", sign(ob3_credential(credentialStatus=STATUS_ENTRY)))
    refused = run("verify", "--json", path)
    assert refused.returncode == 1
    failed = [c for c in json.loads(refused.stdout)["checks"] if c["status"] == "failed"]
    assert [(c["id"], c["error_code"]) for c in failed] == [("status", "status_unavailable")]
    skipped = run("verify", "--json", "--skip-status", path)
    assert skipped.returncode == 0
    status = next(c for c in json.loads(skipped.stdout)["checks"] if c["id"] == "status")
    assert status["status"] == "skipped" and "skipped by caller" in status["message"]


def test_at_option_sets_the_verification_time(tmp_path: Path) -> None:
    path = write(tmp_path, "c.json", sign(ob3_credential(validUntil="2027-01-01T00:00:00Z")))
    assert run("verify", "--at", "2026-06-01T00:00:00Z", path).returncode == 0
    late = run("verify", "--json", "--at", "2027-06-01T00:00:00Z", path)
    assert late.returncode == 1
    assert "expired" in [c["error_code"] for c in json.loads(late.stdout)["checks"]]


def test_recipient_options(tmp_path: Path, signed: dict[str, Any]) -> None:
    path = write(tmp_path, "c.json", signed)
    email = "jan.jansen@student.hs-voorbeeld.nl"
    assert run("verify", "--recipient", email, path).returncode == 0
    assert (
        run("verify", "--recipient", email, "--recipient-type", "emailAddress", path).returncode
        == 0
    )
    assert run("verify", "--recipient", "piet@example.nl", path).returncode == 1


def test_presentation_needs_the_right_challenge(tmp_path: Path, signed: dict[str, Any]) -> None:
    path = write(tmp_path, "vp.json", make_presentation([signed]))
    ok = run("verify", "--challenge", "c-123", "--domain", "verifier.example", path)
    assert ok.returncode == 0, ok.stdout
    assert ok.stdout.startswith("VERIFIED (format: vp-di)")
    assert run("verify", "--challenge", "c-999", path).returncode == 1


@pytest.mark.parametrize(
    ("args", "content"),
    [
        (["verify"], None),  # no PATH: usage error
        (["verify", "--key", "no-equals-sign", "{file}"], "{}"),
        (["verify", "--key", "did:key:z6Mk#x=not-a-key", "{file}"], "{}"),
        (["verify", "--at", "yesterday", "{file}"], "{}"),
        (["verify", "{file}"], "this is not a credential"),
        (["verify", "{file}"], "[1, 2, 3]"),
        (["verify", "/no/such/file.json"], None),
    ],
)
def test_usage_and_input_errors_exit_2(
    tmp_path: Path, args: list[str], content: str | None
) -> None:
    path = write(tmp_path, "input.txt", content) if content is not None else ""
    result = run(*[a.replace("{file}", path) for a in args])
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.strip()


def test_input_error_with_json_is_reported_as_json(tmp_path: Path) -> None:
    result = run("--json", "verify", write(tmp_path, "x.txt", "not a credential"))
    assert result.returncode == 2
    assert json.loads(result.stderr)["error"]["code"] == "input_unrecognized"


def test_other_commands_still_work(tmp_path: Path) -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("demo", "cache", "verify"):
        assert command in result.stdout
    seeded = run("cache", "seed", str(tmp_path))
    assert seeded.returncode == 0, seeded.stderr


def test_verify_example_program_runs() -> None:
    result = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "examples" / "verify_credential.py")],
        cwd=PROJECT_ROOT,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("VERIFIED (format: di)")
    assert "refused: proof[0].signature [signature_invalid]" in result.stdout
