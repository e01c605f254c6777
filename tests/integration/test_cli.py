"""The ``mcbadge`` commands run as a user runs them: subprocesses, exit codes, --json shapes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mcbadge.keys import KeyPair, PublicKey
from mcbadge.proofs import verify_proofs
from tests.conftest import PROJECT_ROOT
from tests.unit.test_bake import make_png

EXAMPLES = PROJECT_ROOT / "examples"
STATUS_URL = "https://www.hs-voorbeeld.nl/status/1"


def mcbadge(
    *args: str | Path, env: dict[str, str] | None = None, cwd: Path = PROJECT_ROOT
) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ, **(env or {}))
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(PROJECT_ROOT / "src"), environment.get("PYTHONPATH", "")]
    )
    return subprocess.run(
        [sys.executable, "-m", "mcbadge.cli", *map(str, args)],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def ok_json(result: subprocess.CompletedProcess[str]) -> Any:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def error_code(result: subprocess.CompletedProcess[str]) -> str:
    """The code of ``mcbadge: error [code]: message`` on stderr."""
    line = next(line for line in result.stderr.splitlines() if line.startswith("mcbadge: error ["))
    return line.split("[", 1)[1].split("]", 1)[0]


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with an Ed25519 key, a status list and the example cohort issued into it."""
    folder = tmp_path_factory.mktemp("cli")
    info = ok_json(mcbadge("keygen", "--out", folder / "issuer.pem", "--json"))
    assert info["type"] == "Ed25519"
    ok_json(
        mcbadge("status", "create", "--url", STATUS_URL, "--out", folder / "status.json", "--json")
    )
    summary = ok_json(
        mcbadge(
            "issue",
            EXAMPLES / "cohort.csv",
            "--key",
            folder / "issuer.pem",
            "--out",
            folder / "out",
            "--status-state",
            folder / "status.json",
            "--status-list",
            STATUS_URL,
            "--json",
        )
    )
    assert summary["issued"] == 3
    return folder


def jan(work: Path) -> Path:
    return work / "out" / "000001-jan-jansen.json"


# --------------------------------------------------------------------------- help


def test_help_teaches_with_a_tour_and_examples() -> None:
    top = mcbadge("--help")
    assert top.returncode == 0
    assert "a tour" in top.stdout and "mcbadge issue cohort.csv" in top.stdout
    for command in ("keygen", "issue", "status", "did-web", "bake", "unbake", "render"):
        assert command in top.stdout
    issue = mcbadge("issue", "--help")
    assert issue.returncode == 0
    assert "examples:" in issue.stdout and "cohort columns" in issue.stdout


# --------------------------------------------------------------------------- keygen


def test_keygen_writes_a_private_pem_and_prints_its_did(tmp_path: Path) -> None:
    info = ok_json(mcbadge("keygen", "--out", tmp_path / "a.pem", "--json"))
    assert set(info) == {
        "out",
        "type",
        "algorithm",
        "encrypted",
        "jwk_thumbprint",
        "did",
        "verification_method",
        "public_key_multibase",
    }
    key = KeyPair.from_pem((tmp_path / "a.pem").read_bytes())
    assert info["did"] == key.did_key and info["algorithm"] == "EdDSA"
    assert (tmp_path / "a.pem").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "a.pem").read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")

    p256 = mcbadge("keygen", "--type", "p256", "--out", tmp_path / "p.pem")
    assert p256.returncode == 0 and p256.stdout.startswith("did:key:zDn")
    assert "wrote" in p256.stderr
    rsa = mcbadge("keygen", "--type", "rsa", "--out", tmp_path / "r.pem")
    rsa_key = KeyPair.from_pem((tmp_path / "r.pem").read_bytes())
    assert rsa.stdout.strip() == rsa_key.jwk_thumbprint()

    again = mcbadge("keygen", "--out", tmp_path / "a.pem")
    assert again.returncode == 2 and error_code(again) == "output_exists"
    assert KeyPair.from_pem((tmp_path / "a.pem").read_bytes()).did_key == key.did_key


def test_encrypted_key_needs_its_password_to_issue(tmp_path: Path, work: Path) -> None:
    env = {"MCBADGE_TEST_PASSWORD": "s3cret"}
    info = ok_json(
        mcbadge(
            "keygen",
            "--out",
            tmp_path / "e.pem",
            "--password-env",
            "MCBADGE_TEST_PASSWORD",
            "--json",
            env=env,
        )
    )
    assert info["encrypted"] is True
    assert (tmp_path / "e.pem").read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY")
    source = EXAMPLES / "cohort.csv"
    without = mcbadge("issue", source, "--key", tmp_path / "e.pem", "--out", tmp_path / "o1")
    assert without.returncode == 2
    assert "--password-env" in without.stderr
    issued = mcbadge(
        "issue",
        source,
        "--key",
        tmp_path / "e.pem",
        "--out",
        tmp_path / "o2",
        "--password-env",
        "MCBADGE_TEST_PASSWORD",
        "--json",
        env=env,
    )
    assert ok_json(issued)["issued"] == 3


# --------------------------------------------------------------------------- issue


def test_cohort_issue_json_summary_and_resume(work: Path) -> None:
    summary = json.loads((work / "out" / "mcbadge-summary.json").read_text(encoding="utf-8"))
    assert set(summary) >= {"batch", "rows", "issued", "failed", "credentials", "errors"}
    assert [c["file"] for c in summary["credentials"]] == [
        "000001-jan-jansen.json",
        "000002-fatima-el-amrani.json",
        "000003-zoe-bakker.json",
    ]
    assert set(summary["credentials"][0]) == {"row", "line", "id", "file", "status_list_index"}
    credential = json.loads(jan(work).read_text(encoding="utf-8"))
    assert [r.verified for r in verify_proofs(credential)] == [True]
    assert credential["credentialStatus"]["statusListCredential"] == STATUS_URL
    assert credential["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"
    # running the same command again resumes: nothing left to do
    again = mcbadge(
        "issue",
        EXAMPLES / "cohort.csv",
        "--key",
        work / "issuer.pem",
        "--out",
        work / "out",
        "--status-state",
        work / "status.json",
    )
    assert again.returncode == 0, again.stderr
    assert "issued 3 of 3 row(s)" in again.stdout and "0 this run" in again.stdout


def test_cohort_with_bad_rows_exits_1_naming_each_row_and_line(tmp_path: Path, work: Path) -> None:
    (tmp_path / "c.unit.toml").write_bytes((EXAMPLES / "cohort.unit.toml").read_bytes())
    (tmp_path / "c.csv").write_text(
        "name;grade;passed\nJan;8;ja\nPiet;4;nee\nKees;7;misschien\nAnne;9;\n", encoding="utf-8"
    )
    result = mcbadge(
        "issue",
        tmp_path / "c.csv",
        "--key",
        work / "issuer.pem",
        "--out",
        tmp_path / "out",
        "--json",
    )
    assert result.returncode == 1, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["issued"], summary["failed"]) == (2, 2)
    assert [(e["row"], e["line"], e["code"]) for e in summary["errors"]] == [
        (2, 3, "row_not_passed"),
        (3, 4, "row_malformed"),
    ]
    plain = mcbadge(
        "issue", tmp_path / "c.csv", "--key", work / "issuer.pem", "--out", tmp_path / "out"
    )
    assert plain.returncode == 1
    assert "row 2 (line 3): error [row_not_passed]" in plain.stderr
    assert "row 3 (line 4): error [row_malformed]" in plain.stderr


def test_cohort_as_jwt_with_a_p256_key_in_two_worker_processes(tmp_path: Path) -> None:
    from mcbadge.proofs.jwt import decode_credential_jwt

    did = mcbadge("keygen", "--type", "p256", "--out", tmp_path / "p.pem").stdout.strip()
    lines = ["name,email"] + [f"Learner {n},l{n}@x.nl" for n in range(12)]
    (tmp_path / "c.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "c.unit.toml").write_bytes((EXAMPLES / "cohort.unit.toml").read_bytes())
    summary = ok_json(
        mcbadge(
            "issue",
            tmp_path / "c.csv",
            "--key",
            tmp_path / "p.pem",
            "--format",
            "jwt",
            "--workers",
            "2",
            "--out",
            tmp_path / "out",
            "--json",
        )
    )
    assert summary["issued"] == 12
    key = PublicKey.from_multikey(did.removeprefix("did:key:"))
    tokens = sorted((tmp_path / "out").glob("*.jwt"))
    assert len(tokens) == 12
    for path in tokens:
        credential = decode_credential_jwt(path.read_text().strip(), key=key).credential
        assert credential["issuer"]["id"] == did


def test_single_microcredential_from_json_and_toml(tmp_path: Path, work: Path) -> None:
    import tomllib

    unit = tomllib.loads((EXAMPLES / "cohort.unit.toml").read_text(encoding="utf-8"))
    document = {
        **unit,
        "learner": {"name": "Jan Jansen", "email": "jan@x.nl"},
        "result": {"grade": "8"},
        "id": "urn:uuid:0f4a2c3e-6d1b-4a57-9a4e-7c1de3f0a111",
        "valid_from": "2026-01-15T10:00:00Z",
    }
    (tmp_path / "jan.json").write_text(json.dumps(document), encoding="utf-8")
    info = ok_json(
        mcbadge(
            "issue",
            tmp_path / "jan.json",
            "--key",
            work / "issuer.pem",
            "--out",
            tmp_path / "o",
            "--json",
        )
    )
    assert set(info) == {"out", "id", "format", "issuer", "status_list_index"}
    credential = json.loads((tmp_path / "o" / "jan.json").read_text(encoding="utf-8"))
    assert credential["id"] == document["id"] and info["status_list_index"] is None
    assert [r.verified for r in verify_proofs(credential)] == [True]
    again = mcbadge(
        "issue", tmp_path / "jan.json", "--key", work / "issuer.pem", "--out", tmp_path / "o"
    )
    assert again.returncode == 2 and error_code(again) == "output_exists"

    toml_text = (EXAMPLES / "cohort.unit.toml").read_text(encoding="utf-8")
    toml_text += '\n[learner]\nname = "Piet"\n'
    (tmp_path / "piet.toml").write_text(toml_text, encoding="utf-8")
    plain = mcbadge(
        "issue",
        tmp_path / "piet.toml",
        "--key",
        work / "issuer.pem",
        "--out",
        tmp_path / "o",
        "--format",
        "jwt",
        "--status-state",
        work / "status.json",
    )
    assert plain.returncode == 0, plain.stderr
    assert (tmp_path / "o" / "piet.jwt").read_text().count(".") == 2


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["issue", "missing.csv", "--key", "{key}", "--out", "{tmp}/o"], "cohort_unit_missing"),
        (
            ["issue", "{examples}/cohort.csv", "--key", "{tmp}/none.pem", "--out", "{tmp}/o"],
            "input_unreadable",
        ),
        (
            ["issue", "{examples}/cohort.unit.toml", "--key", "{key}", "--out", "{tmp}/o"],
            "input_not_microcredential",
        ),
        (
            [
                "issue",
                "{examples}/cohort.csv",
                "--key",
                "{key}",
                "--out",
                "{tmp}/o",
                "--status-list",
                "https://elsewhere.example/1",
                "--status-state",
                "{work}/status.json",
            ],
            "invalid_option",
        ),
        (
            [
                "issue",
                "{examples}/cohort.csv",
                "--key",
                "{key}",
                "--out",
                "{tmp}/o",
                "--profile",
                "edubadges",
            ],
            "profile_needs_jwt",
        ),
        (
            [
                "issue",
                "{examples}/cohort.csv",
                "--key",
                "{key}",
                "--out",
                "{tmp}/o",
                "--issuer-id",
                "https://www.hs-voorbeeld.nl",
            ],
            "issuer_key_mismatch",
        ),
        (["keygen"], "usage"),
        (["issue", "x.csv", "--key", "{key}", "--out", "o", "--format", "ldp"], "usage"),
        (["status", "revoke", "{work}/status.json", "7"], "status_index_not_allocated"),
        (
            ["status", "suspend", "{work}/status.json", "--credential", "{jan}"],
            "status_purpose_mismatch",
        ),
        (["status", "show", "{tmp}/nothing.json"], "status_state_missing"),
        (
            ["bake", "{examples}/cohort.csv", "{jan}", "--out", "{tmp}/x.png"],
            "image_format_unknown",
        ),
        (["unbake", "{key}"], "image_format_unknown"),
        (["render", "{examples}/cohort.csv", "--out", "{tmp}/c.svg"], "input_unrecognized"),
        (
            ["did-web", "--domain", "10.0.0.1", "--key", "{key}", "--out", "{tmp}/d.json"],
            "invalid_did_web",
        ),
    ],
)
def test_usage_and_input_errors_exit_2_with_their_code(
    tmp_path: Path, work: Path, args: list[str], code: str
) -> None:
    values = {
        "key": str(work / "issuer.pem"),
        "tmp": str(tmp_path),
        "work": str(work),
        "examples": str(EXAMPLES),
        "jan": str(jan(work)),
    }
    result = mcbadge(*[arg.format(**values) for arg in args])
    assert result.returncode == 2, result.stdout + result.stderr
    assert error_code(result) == code
    assert "Traceback" not in result.stderr


def test_errors_are_json_on_stderr_with_json(tmp_path: Path, work: Path) -> None:
    result = mcbadge("--json", "status", "revoke", work / "status.json", "9")
    assert result.returncode == 2 and result.stdout == ""
    error = json.loads(result.stderr)["error"]
    assert error["code"] == "status_index_not_allocated" and "9" in error["message"]


# --------------------------------------------------------------------------- status


def test_status_lifecycle_revoke_publish_and_verify(tmp_path: Path, work: Path) -> None:
    from mcbadge.verify import verification_report

    state = tmp_path / "status.json"
    created = ok_json(mcbadge("status", "create", "--url", STATUS_URL, "--out", state, "--json"))
    assert created == {
        "state": str(state),
        "url": STATUS_URL,
        "purpose": "revocation",
        "length": 131072,
    }
    ok_json(
        mcbadge(
            "issue",
            EXAMPLES / "cohort.csv",
            "--key",
            work / "issuer.pem",
            "--out",
            tmp_path / "out",
            "--status-state",
            state,
            "--json",
        )
    )
    credential_path = tmp_path / "out" / "000002-fatima-el-amrani.json"
    credential = json.loads(credential_path.read_text(encoding="utf-8"))
    index = int(credential["credentialStatus"]["statusListIndex"])
    revoked = ok_json(mcbadge("status", "revoke", state, "--credential", credential_path, "--json"))
    assert revoked["changed"] == [index] and revoked["action"] == "revoke"
    assert ok_json(mcbadge("status", "revoke", state, str(index), "--json"))["unchanged"] == [index]
    shown = ok_json(mcbadge("status", "show", state, "--json"))
    assert (shown["allocated"], shown["set"]) == (3, [index])
    wrong = mcbadge("status", "suspend", state, str(index))
    assert wrong.returncode == 2 and error_code(wrong) == "status_purpose_mismatch"

    published = ok_json(
        mcbadge(
            "status",
            "publish",
            state,
            "--key",
            work / "issuer.pem",
            "--out",
            tmp_path / "list.json",
            "--json",
        )
    )
    assert published["set"] == 1 and published["url"] == STATUS_URL
    status_list = json.loads((tmp_path / "list.json").read_text(encoding="utf-8"))

    def serve(url: str) -> Any:
        assert url == STATUS_URL
        return status_list

    assert not verification_report(credential, status_fetcher=serve).verified
    other = json.loads((tmp_path / "out" / "000001-jan-jansen.json").read_text(encoding="utf-8"))
    assert verification_report(other, status_fetcher=serve).verified
    jwt = mcbadge(
        "status",
        "publish",
        state,
        "--key",
        work / "issuer.pem",
        "--format",
        "jwt",
        "--out",
        tmp_path / "list.jwt",
    )
    assert jwt.returncode == 0 and (tmp_path / "list.jwt").read_text().count(".") == 2


def test_suspension_list_suspends_and_reinstates(tmp_path: Path, work: Path) -> None:
    state = tmp_path / "s.json"
    assert (
        mcbadge(
            "status", "create", "--url", STATUS_URL + "s", "--purpose", "suspension", "--out", state
        ).returncode
        == 0
    )
    ok_json(
        mcbadge(
            "issue",
            EXAMPLES / "cohort.csv",
            "--key",
            work / "issuer.pem",
            "--out",
            tmp_path / "out",
            "--status-state",
            state,
            "--json",
        )
    )
    path = tmp_path / "out" / "000003-zoe-bakker.json"
    suspended = ok_json(mcbadge("status", "suspend", state, "--credential", path, "--json"))
    assert len(suspended["changed"]) == 1
    assert ok_json(mcbadge("status", "show", state, "--json"))["set"] == suspended["changed"]
    ok_json(mcbadge("status", "reinstate", state, "--credential", path, "--json"))
    assert ok_json(mcbadge("status", "show", state, "--json"))["set"] == []
    elsewhere = mcbadge("status", "suspend", state, "--credential", jan(work))
    assert elsewhere.returncode == 2 and error_code(elsewhere) == "credential_not_on_list"


# --------------------------------------------------------------------------- did-web


def test_did_web_document_and_issuing_under_it(tmp_path: Path, work: Path) -> None:
    from mcbadge.did import VerificationMethod, parse_controller_document
    from mcbadge.verify import verification_report

    assert mcbadge("keygen", "--type", "p256", "--out", tmp_path / "p.pem").returncode == 0
    info = ok_json(
        mcbadge(
            "did-web",
            "--domain",
            "hs-voorbeeld.nl",
            "--path",
            "issuers/fdi",
            "--key",
            work / "issuer.pem",
            "--key",
            tmp_path / "p.pem",
            "--out",
            tmp_path / "did.json",
            "--json",
        )
    )
    did = "did:web:hs-voorbeeld.nl:issuers:fdi"
    assert info == {
        "out": str(tmp_path / "did.json"),
        "did": did,
        "url": "https://hs-voorbeeld.nl/issuers/fdi/did.json",
        "verification_methods": [f"{did}#key-1", f"{did}#key-2"],
    }
    document = json.loads((tmp_path / "did.json").read_text(encoding="utf-8"))
    assert document["assertionMethod"] == info["verification_methods"]
    assert "PRIVATE" not in json.dumps(document) and '"d"' not in json.dumps(document)

    ok_json(
        mcbadge(
            "issue",
            EXAMPLES / "cohort.csv",
            "--key",
            work / "issuer.pem",
            "--out",
            tmp_path / "out",
            "--verification-method",
            f"{did}#key-1",
            "--json",
        )
    )
    credential = json.loads((tmp_path / "out" / "000001-jan-jansen.json").read_text())
    assert credential["issuer"]["id"] == did
    assert credential["proof"][0]["verificationMethod"] == f"{did}#key-1"
    parsed = parse_controller_document(document, expected_id=did)
    method: VerificationMethod = parsed.verification_method(f"{did}#key-1")
    report = verification_report(credential, keys={method.id: method}, skip_status=True)
    assert report.verified, [c.message for c in report.failed_checks]


# --------------------------------------------------------------------------- images


def test_bake_unbake_verify_round_trips_and_tampering_fails(tmp_path: Path, work: Path) -> None:
    (tmp_path / "badge.png").write_bytes(make_png())
    baked = ok_json(
        mcbadge("bake", tmp_path / "badge.png", jan(work), "--out", tmp_path / "jan.png", "--json")
    )
    assert baked == {"out": str(tmp_path / "jan.png"), "format": "png"}
    unbaked = ok_json(mcbadge("unbake", tmp_path / "jan.png", "--json"))
    credential = json.loads(jan(work).read_text(encoding="utf-8"))
    assert unbaked["image"] == "png" and unbaked["kind"] == "json"
    assert unbaked["credential"] == credential
    assert mcbadge("verify", tmp_path / "jan.png", "--skip-status").returncode == 0

    rendered = ok_json(
        mcbadge("render", jan(work), "--out", tmp_path / "jan.svg", "--lang", "en", "--json")
    )
    assert rendered == {"out": str(tmp_path / "jan.svg"), "lang": "en"}
    svg = (tmp_path / "jan.svg").read_text(encoding="utf-8")
    assert "Jan Jansen" in svg and "Data Privacy in de Zorg" in svg
    assert mcbadge("unbake", tmp_path / "jan.svg", "--out", tmp_path / "c.json").returncode == 0
    assert json.loads((tmp_path / "c.json").read_text(encoding="utf-8")) == credential
    assert mcbadge("verify", tmp_path / "jan.svg", "--skip-status").returncode == 0

    (tmp_path / "tampered.svg").write_text(
        svg.replace("Jan Jansen", "Jan Janssen"), encoding="utf-8"
    )
    assert (tmp_path / "tampered.svg").read_text() != svg
    tampered = mcbadge("verify", tmp_path / "tampered.svg", "--skip-status")
    assert tampered.returncode == 1

    again = mcbadge("bake", tmp_path / "jan.svg", jan(work), "--out", tmp_path / "x.svg")
    assert again.returncode == 2 and error_code(again) == "already_baked"
    replaced = mcbadge(
        "bake", tmp_path / "jan.svg", jan(work), "--out", tmp_path / "x.svg", "--replace"
    )
    assert replaced.returncode == 0, replaced.stderr


# --------------------------------------------------------------------------- progress


def test_progress_bar_shows_on_a_terminal_and_not_with_json(tmp_path: Path, work: Path) -> None:
    import pty

    def stderr_on_a_terminal(*args: str | Path) -> str:
        primary, secondary = pty.openpty()
        environment = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT / "src"))
        try:
            subprocess.run(
                [sys.executable, "-m", "mcbadge.cli", *map(str, args)],
                cwd=PROJECT_ROOT,
                env=environment,
                stdout=subprocess.DEVNULL,
                stderr=secondary,
                timeout=180,
                check=True,
            )
        finally:
            os.close(secondary)
        chunks = []
        while True:
            try:
                chunk = os.read(primary, 4096)
            except OSError:  # EIO: the terminal's other end is closed and drained
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(primary)
        return b"".join(chunks).decode("utf-8", "replace")

    source = ("issue", EXAMPLES / "cohort.csv", "--key", work / "issuer.pem")
    shown = stderr_on_a_terminal(*source, "--out", tmp_path / "a")
    assert "\rissued 3/3" in shown
    quiet = stderr_on_a_terminal(*source, "--out", tmp_path / "b", "--json")
    assert "issued 3/3" not in quiet
