"""``mcbadge verify`` prints what the credential says above the checks (and in --json)."""

from __future__ import annotations

import json
from pathlib import Path

from mcbadge import issue
from mcbadge.demo import sample_microcredential
from tests.integration.test_cli_verify import run, write
from tests.unit.test_verify import ISSUER


def _credential() -> dict[str, object]:
    return (
        sample_microcredential()
        .to_credential(
            id="urn:uuid:2f0c8a4e-1b7d-4c3e-8a9f-5d6e7f809a1b",
            valid_from="2026-01-15T10:00:00Z",
            issuer_id=ISSUER.did_key,
        )
        .to_json_dict()
    )


def test_verify_prints_the_summary_above_the_checks(tmp_path: Path) -> None:
    signed = issue(_credential(), ISSUER)
    result = run("verify", "--skip-status", write(tmp_path, "c.json", signed))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "what the credential says:" in out
    assert out.index("what the credential says:") < out.index("result   check")
    for expected in (
        "Jan Jansen (hashed: emailAddress, sisSourcedId)",
        "Hogeschool Voorbeeld (BRIN 99XX)",
        "Data Privacy in de Zorg (DPZ-01)",
        "NLQF 6, EQF 6",
        "5 EC (140 hours)",
        "8.5 (scale 1–10, pass mark 5.5)",
        "testing",
        "online",
    ):
        assert expected in out, expected


def test_verify_json_carries_the_summary_of_a_jwt(tmp_path: Path) -> None:
    token = issue(_credential(), ISSUER, format="jwt")
    result = run("verify", "--json", write(tmp_path, "c.jwt", token))
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)["summary"]
    assert summary["learner_name"] == "Jan Jansen"
    assert summary["unit_name"] == "Data Privacy in de Zorg"
    assert (summary["nlqf"], summary["eqf"], summary["ects"]) == ("6", 6, "5")
    assert summary["institution"]["name"] == "Hogeschool Voorbeeld"
    assert summary["assessment"] == "testing"


def test_a_tampered_credential_shows_its_claims_as_not_verified(tmp_path: Path) -> None:
    signed = issue(_credential(), ISSUER)
    signed["credentialSubject"]["result"][0]["value"] = "10"
    result = run("verify", write(tmp_path, "c.json", signed))
    assert result.returncode == 1
    assert "what the credential claims (NOT VERIFIED: do not rely on it):" in result.stdout
    assert "what the credential says:" not in result.stdout


def test_render_public_url_puts_the_verification_link_and_qr_on_the_certificate(
    tmp_path: Path,
) -> None:
    signed = issue(_credential(), ISSUER)
    out = tmp_path / "jan.svg"
    result = run(
        "render",
        write(tmp_path, "c.json", signed),
        "--out",
        str(out),
        "--public-url",
        "https://verify.hs-voorbeeld.nl",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    link = (
        "https://verify.hs-voorbeeld.nl/verify?id=urn%3Auuid%3A2f0c8a4e-1b7d-4c3e-8a9f-5d6e7f809a1b"
    )
    assert json.loads(result.stdout)["verification_link"] == link
    svg = out.read_text(encoding="utf-8")
    assert link in svg and 'class="verification-qr"' in svg
    bad = run(
        "render",
        write(tmp_path, "d.json", signed),
        "--out",
        str(tmp_path / "x.svg"),
        "--public-url",
        "ftp://x",
    )
    assert bad.returncode == 2 and "invalid_option" in bad.stderr
