"""Every signed example in ../shared/reference verifies (and fails when changed).

Where an example's key is published only as an HTTPS verification method (no network in
tests), the key comes from the test vector or from the multibase fragment of the method URL,
passed with ``keys=`` (on the command line: ``--key VM=KEY``). The W3C vc-di-eddsa documents
are issued by ``https://vc.example/issuers/5678`` but signed with ``did:key`` keys, which
nothing binds to that issuer: the tests say so explicitly with a
:class:`~mcbadge.did.VerificationMethod` naming the issuer as controller.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from mcbadge.did import VerificationMethod
from mcbadge.jsonld.loader import DocumentLoader
from mcbadge.keys import PublicKey
from mcbadge.verify import verification_report, verify
from tests.conftest import PROJECT_ROOT, load_reference_json, reference_path
from tests.pinned import TEST_EXTRA_DOCUMENTS
from tests.unit.test_verify import no_network  # noqa: F401 - the socket guard fixture

AT = datetime(2026, 11, 23, tzinfo=UTC)
OB3_VECTOR = ("ob3", "examples", "spec_impl_testvector_signed_eddsa-rdfc-2022.json")
OB3_ENDORSEMENT = ("ob3", "examples", "validator_ob30_endorsement_eddsa-rdfc-2022.json")
OB3_LEGACY = ("ob3", "examples", "validator_ob30_simple_v1_Ed25519Signature2020.json")
OB3_LEGACY_JWT = ("ob3", "examples", "validator_ob30_simple_legacy-vc-claim_RS256.jwt")
W3C = ("vectors", "vc-di-eddsa")


def clock() -> datetime:
    return AT


def _proofs(doc: dict[str, Any]) -> list[dict[str, Any]]:
    proof = doc["proof"]
    return proof if isinstance(proof, list) else [proof]


def _fragment_keys(doc: dict[str, Any]) -> dict[str, Any]:
    """Keys taken from verification method URLs whose fragment is the multibase key."""
    return {
        p["verificationMethod"]: PublicKey.from_multikey(p["verificationMethod"].split("#")[1])
        for p in _proofs(doc)
    }


def _vector_keys() -> dict[str, Any]:
    vector = load_reference_json("ob3", "test-vectors", "ob_eddsa-rdfc-2022_test-vector.json")
    return {vector["verificationMethod"]: PublicKey.from_multikey(vector["publicKeyMultibase"])}


def _w3c_keys(doc: dict[str, Any]) -> dict[str, Any]:
    published = {
        pair["publicKeyMultibase"]
        for pair in load_reference_json(*W3C, "proof-set-chain", "multiKeyPairs.json").values()
    }
    published.add(load_reference_json(*W3C, "keyPair.json")["publicKeyMultibase"])
    keys: dict[str, Any] = {}
    for proof in _proofs(doc):
        vm = proof["verificationMethod"]
        multikey = vm.split("#")[1]
        assert multikey in published, f"{vm} is not one of the published vector keys"
        keys[vm] = VerificationMethod(
            id=vm,
            controller=doc["issuer"],
            type="Multikey",
            public_key=PublicKey.from_multikey(multikey),
            relationships=frozenset({"assertionMethod"}),
        )
    return keys


W3C_LOADER_DOCS = TEST_EXTRA_DOCUMENTS


def _w3c_loader() -> DocumentLoader:
    return DocumentLoader(extra_documents=W3C_LOADER_DOCS)


def test_ob3_signing_vector_verifies_with_the_vector_key() -> None:
    doc = load_reference_json(*OB3_VECTOR)
    result = verify(doc, keys=_vector_keys(), clock=clock)
    assert result.format == "di" and result.issuer_id == "https://example.edu/issuers/565049"
    schema = result.report.check("schema.ob3")
    assert schema is not None and schema.status == "passed"
    assert schema.details["normalized"] == ["proof"]  # a single proof object, read as a set


def test_ob3_signing_vector_without_its_key_fails_offline_with_a_clear_code() -> None:
    report = verification_report(load_reference_json(*OB3_VECTOR), clock=clock)
    assert [(c.id, c.error_code) for c in report.failed_checks] == [
        ("proof[0].signature", "verification_method_unresolved")
    ]
    assert "--key" in report.failed_checks[0].message


def test_ob3_signing_vector_changed_is_refused() -> None:
    doc = copy.deepcopy(load_reference_json(*OB3_VECTOR))
    doc["credentialSubject"]["achievement"]["name"] = "Leadership"
    report = verification_report(doc, keys=_vector_keys(), clock=clock)
    assert [c.error_code for c in report.failed_checks] == ["signature_invalid"]


def test_validator_endorsement_verifies_with_the_key_named_by_its_method() -> None:
    doc = load_reference_json(*OB3_ENDORSEMENT)
    result = verify(doc, keys=_fragment_keys(doc), clock=clock)
    assert result.report.check("schema.ob3").status == "passed"  # type: ignore[union-attr]
    assert "endorsementcredential" in result.report.check("schema.ob3").message  # type: ignore[union-attr]


def test_validator_endorsement_expires_in_2030() -> None:
    doc = load_reference_json(*OB3_ENDORSEMENT)
    later = datetime(2030, 6, 1, tzinfo=UTC)
    report = verification_report(doc, keys=_fragment_keys(doc), clock=lambda: later)
    assert [(c.id, c.error_code) for c in report.failed_checks] == [("valid_until", "expired")]


def test_validator_legacy_ed25519signature2020_verifies_with_a_legacy_warning() -> None:
    doc = load_reference_json(*OB3_LEGACY)
    result = verify(doc, keys=_fragment_keys(doc), clock=clock)
    assert result.format == "di-legacy" and result.legacy
    assert result.report.check("legacy").status == "passed"  # type: ignore[union-attr]
    assert any("Ed25519Signature2020" in w for w in result.warnings)
    schema = result.report.check("schema.ob3")
    assert schema is not None and schema.status == "skipped"


@pytest.mark.parametrize(
    "parts",
    [
        ("proof-set-chain", "signedProofSet1.json"),
        ("proof-set-chain", "signedProofChain1.json"),
        ("Ed25519Signature2020", "signedEdSig.json"),
    ],
)
def test_w3c_vc_di_eddsa_signed_documents_verify(parts: tuple[str, str]) -> None:
    doc = load_reference_json(*W3C, *parts)
    result = verify(doc, keys=_w3c_keys(doc), loader=_w3c_loader(), clock=clock)
    signatures = [c for c in result.report.checks if c.id.endswith(".signature")]
    assert len(signatures) == len(_proofs(doc))
    assert all(c.status == "passed" for c in signatures)
    assert result.legacy == (parts[0] == "Ed25519Signature2020")


@pytest.mark.parametrize(
    "parts",
    [
        ("proof-set-chain", "signedProofSet1.json"),
        ("proof-set-chain", "signedProofChain1.json"),
    ],
)
def test_w3c_documents_without_issuer_binding_fail_only_the_binding(
    parts: tuple[str, str],
) -> None:
    doc = load_reference_json(*W3C, *parts)
    report = verification_report(doc, loader=_w3c_loader(), clock=clock)
    assert [(c.id, c.error_code) for c in report.failed_checks] == [
        ("proof.issuer_binding", "issuer_key_mismatch")
    ]


def test_w3c_proof_chain_with_a_changed_earlier_proof_is_refused() -> None:
    doc = copy.deepcopy(load_reference_json(*W3C, "proof-set-chain", "signedProofChain1.json"))
    doc["proof"][0]["created"] = "2023-02-24T23:36:39Z"
    report = verification_report(doc, keys=_w3c_keys(doc), loader=_w3c_loader(), clock=clock)
    failed = [(c.id, c.error_code) for c in report.failed_checks]
    # proof 0 no longer verifies, and proof 2 chains to it
    assert failed == [
        ("proof[0].signature", "signature_invalid"),
        ("proof[2].signature", "signature_invalid"),
    ]


def test_legacy_vc_claim_jwt_fails_with_no_key_and_is_flagged_legacy() -> None:
    token = reference_path(*OB3_LEGACY_JWT).read_text(encoding="utf-8").strip()
    report = verification_report(token, clock=clock)
    assert report.format == "jwt-legacy"
    assert [(c.id, c.error_code) for c in report.failed_checks] == [
        ("jwt.signature", "jwt_no_key_reference")
    ]
    assert report.check("legacy").status == "passed"  # type: ignore[union-attr]
    assert report.check("jwt.claims").status == "passed"  # type: ignore[union-attr]


def test_reference_examples_verify_without_network(no_network: list[str]) -> None:  # noqa: F811
    for parts in (OB3_VECTOR, OB3_ENDORSEMENT, OB3_LEGACY):
        doc = load_reference_json(*parts)
        keys = _vector_keys() if parts == OB3_VECTOR else _fragment_keys(doc)
        assert verification_report(doc, keys=keys, clock=clock).verified
        verification_report(doc, clock=clock)  # unknown HTTPS key: refused, not fetched
    doc = load_reference_json(*W3C, "proof-set-chain", "signedProofChain1.json")
    assert verification_report(doc, keys=_w3c_keys(doc), loader=_w3c_loader(), clock=clock).verified
    verification_report(reference_path(*OB3_LEGACY_JWT).read_text(encoding="utf-8"), clock=clock)
    assert no_network == []


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(PROJECT_ROOT / "src"), env.get("PYTHONPATH", "")])
    return subprocess.run(
        [sys.executable, "-m", "mcbadge.cli", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_cli_verifies_the_https_key_example_with_key() -> None:
    path: Path = reference_path(*OB3_VECTOR)
    vector = load_reference_json("ob3", "test-vectors", "ob_eddsa-rdfc-2022_test-vector.json")
    key = f"{vector['verificationMethod']}={vector['publicKeyMultibase']}"
    ok = _cli("verify", "--json", "--key", key, str(path))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert json.loads(ok.stdout)["verified"] is True
    refused = _cli("verify", "--json", str(path))
    assert refused.returncode == 1
    data = json.loads(refused.stdout)
    assert data["verified"] is False
    assert [c["error_code"] for c in data["checks"] if c["status"] == "failed"] == [
        "verification_method_unresolved"
    ]
