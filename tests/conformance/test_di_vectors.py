"""Byte-exact reproduction of the W3C vc-di-eddsa and 1EdTech OB3 Data Integrity vectors."""

from __future__ import annotations

import copy
import hashlib
from typing import Any

import pytest

from mcbadge.jsonld.loader import DocumentLoader
from mcbadge.keys import KeyPair
from mcbadge.proofs import add_proof, get_cryptosuite, verify_proofs
from tests.conftest import load_reference_json, reference_path
from tests.pinned import TEST_EXTRA_DOCUMENTS

# The W3C vectors use the examples v2 context, which no registry package ships.
LOADER = DocumentLoader(extra_documents=TEST_EXTRA_DOCUMENTS)

VC_DI = ("vectors", "vc-di-eddsa")


def _text(*parts: str) -> str:
    return reference_path(*parts).read_text(encoding="utf-8")


def _key(public: str, secret: str, vm: str) -> KeyPair:
    return KeyPair.from_multikey(public, secret).with_verification_method(vm)


def _w3c_key(vm: str) -> KeyPair:
    pair = load_reference_json(*VC_DI, "keyPair.json")
    return _key(pair["publicKeyMultibase"], pair["privateKeyMultibase"], vm)


def _proof_options(config: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in config.items() if k not in ("@context", "proofValue")}


# --- eddsa-rdfc-2022 and eddsa-jcs-2022 (W3C) ---------------------------------------------

SUITES = {
    "eddsa-rdfc-2022": ("eddsa-rdfc-2022", "DataInt"),
    "eddsa-jcs-2022": ("eddsa-jcs-2022", "JCS"),
}


@pytest.mark.parametrize("suite_name", sorted(SUITES))
def test_w3c_vector_canonical_forms_and_hashes(suite_name: str) -> None:
    folder, tag = SUITES[suite_name]
    unsigned = load_reference_json(*VC_DI, "unsigned.json")
    config = load_reference_json(*VC_DI, folder, f"proofConfig{tag}.json")
    suite = get_cryptosuite(suite_name)

    canon_doc = suite.canonicalize(unsigned, loader=LOADER)
    assert canon_doc.decode() == _text(*VC_DI, folder, f"canonDoc{tag}.txt")
    proof_config = dict(config)
    proof_config["@context"] = unsigned["@context"]
    canon_proof = suite.canonicalize(proof_config, loader=LOADER)
    assert canon_proof.decode() == _text(*VC_DI, folder, f"proofCanon{tag}.txt")

    doc_hash = hashlib.sha256(canon_doc).hexdigest()
    proof_hash = hashlib.sha256(canon_proof).hexdigest()
    assert doc_hash == _text(*VC_DI, folder, f"docHash{tag}.txt").strip()
    assert proof_hash == _text(*VC_DI, folder, f"proofHash{tag}.txt").strip()
    assert proof_hash + doc_hash == _text(*VC_DI, folder, f"combinedHash{tag}.txt").strip()


@pytest.mark.parametrize("suite_name", sorted(SUITES))
def test_w3c_vector_signs_and_verifies(suite_name: str) -> None:
    folder, tag = SUITES[suite_name]
    unsigned = load_reference_json(*VC_DI, "unsigned.json")
    config = load_reference_json(*VC_DI, folder, f"proofConfig{tag}.json")
    key = _w3c_key(config["verificationMethod"])
    signed = add_proof(
        unsigned, key, cryptosuite=suite_name, created=config["created"], loader=LOADER
    )
    (proof,) = signed["proof"]
    assert _proof_options(proof) == _proof_options(config)
    # Ed25519 is deterministic: the signature is fixed by the key and the combined hash.
    combined = bytes.fromhex(_text(*VC_DI, folder, f"combinedHash{tag}.txt").strip())
    from mcbadge._internal.multibase import base58btc_decode

    key.public_key.verify(combined, base58btc_decode(proof["proofValue"][1:]))
    assert [r.verified for r in verify_proofs(signed, loader=LOADER)] == [True]
    assert unsigned == load_reference_json(*VC_DI, "unsigned.json"), "input was mutated"


# --- 1EdTech OB3 vector -------------------------------------------------------------------


def test_ob3_vector_is_reproduced_byte_for_byte() -> None:
    vector = load_reference_json("ob3", "test-vectors", "ob_eddsa-rdfc-2022_test-vector.json")
    suite = get_cryptosuite("eddsa-rdfc-2022")
    unsigned = vector["unsignedCredential"]
    canon_doc = suite.canonicalize(unsigned, loader=LOADER)
    assert canon_doc.decode() == _text(
        "ob3", "test-vectors", "ob_eddsa-rdfc-2022_document-canon.nq"
    )
    options = dict(vector["proofOptions"])
    options["@context"] = unsigned["@context"]
    canon_proof = suite.canonicalize(options, loader=LOADER)
    assert canon_proof.decode() == _text("ob3", "test-vectors", "ob_eddsa-rdfc-2022_proof-canon.nq")
    assert hashlib.sha256(canon_doc).hexdigest() == vector["documentHashHex"]
    assert hashlib.sha256(canon_proof).hexdigest() == vector["proofHashHex"]

    key = _key(
        vector["publicKeyMultibase"], vector["secretKeyMultibase"], vector["verificationMethod"]
    )
    signed = add_proof(unsigned, key, created=vector["proofOptions"]["created"])
    (proof,) = signed["proof"]
    assert proof["proofValue"] == vector["proofValue"]
    expected = copy.deepcopy(vector["signedCredential"])
    expected["proof"] = [expected["proof"]]
    assert signed == expected


def test_ob3_vector_matches_the_spec_folder_copy() -> None:
    folder = ("vectors", "openbadges-3.0", "obv3p0")
    unsigned = load_reference_json(*folder, "credential-unsigned.json")
    suite = get_cryptosuite("eddsa-rdfc-2022")
    assert suite.canonicalize(unsigned, loader=LOADER).decode() == _text(
        *folder, "document-canon.txt"
    )


def test_signed_ob3_example_verifies_with_its_published_key() -> None:
    vector = load_reference_json("ob3", "test-vectors", "ob_eddsa-rdfc-2022_test-vector.json")
    signed = load_reference_json(
        "ob3", "examples", "spec_impl_testvector_signed_eddsa-rdfc-2022.json"
    )
    from mcbadge.keys import PublicKey

    public = PublicKey.from_multikey(vector["publicKeyMultibase"])
    results = verify_proofs(
        signed, key_lookup=lambda vm: public if vm == vector["verificationMethod"] else None
    )
    assert [r.verified for r in results] == [True]


# --- proof sets and chains -----------------------------------------------------------------


def _set_chain_key(n: int, vm: str) -> KeyPair:
    pairs = load_reference_json(*VC_DI, "proof-set-chain", "multiKeyPairs.json")
    pair = pairs[f"keyPair{n}"]
    return _key(pair["publicKeyMultibase"], pair["privateKeyMultibase"], vm)


def _vm_key_number(vm: str) -> int:
    pairs = load_reference_json(*VC_DI, "proof-set-chain", "multiKeyPairs.json")
    for n in range(1, 5):
        if pairs[f"keyPair{n}"]["publicKeyMultibase"] in vm:
            return n
    raise AssertionError(vm)


def _add_from_config(doc: dict[str, Any], config: dict[str, Any]) -> dict[str, Any]:
    key = _set_chain_key(_vm_key_number(config["verificationMethod"]), config["verificationMethod"])
    return add_proof(
        doc,
        key,
        created=config["created"],
        loader=LOADER,
        proof_id=config.get("id"),
        previous_proof=config.get("previousProof"),
    )


def test_proof_set_reproduces_the_w3c_signed_proofs() -> None:
    folder = (*VC_DI, "proof-set-chain")
    doc = load_reference_json(*folder, "unsigned.json")
    for n in (1, 2):
        doc = _add_from_config(doc, load_reference_json(*folder, f"proofSetConfig{n}.json"))
    for n, proof in enumerate(doc["proof"], start=1):
        assert proof == load_reference_json(*folder, f"proofSetConfigSigned{n}.json")
    results = verify_proofs(doc, loader=LOADER)
    assert [r.verified for r in results] == [True, True]


def test_proof_chain_reproduces_and_verifies() -> None:
    folder = (*VC_DI, "proof-set-chain")
    doc = load_reference_json(*folder, "unsigned.json")
    for n in (1, 2):
        doc = _add_from_config(doc, load_reference_json(*folder, f"proofSetConfig{n}.json"))
    doc = _add_from_config(doc, load_reference_json(*folder, "proofChainConfig1.json"))
    assert doc == load_reference_json(*folder, "signedProofChain1.json")
    assert doc["proof"] == load_reference_json(*folder, "signedProofChain1.json")["proof"]
    doc = _add_from_config(doc, load_reference_json(*folder, "proofChainConfig2.json"))
    assert doc["proof"][-1] == load_reference_json(*folder, "proofChainConfigSigned2.json")
    assert [r.verified for r in verify_proofs(doc, loader=LOADER)] == [True, True, True, True]


def test_published_proof_chain_verifies() -> None:
    doc = load_reference_json(*VC_DI, "proof-set-chain", "signedProofChain1.json")
    assert [r.verified for r in verify_proofs(doc, loader=LOADER)] == [True, True, True]


def test_chain_fails_when_a_previous_proof_is_removed() -> None:
    doc = load_reference_json(*VC_DI, "proof-set-chain", "signedProofChain1.json")
    doc["proof"] = doc["proof"][1:]
    results = verify_proofs(doc, loader=LOADER)
    assert results[-1].verified is False
    assert results[-1].error is not None
    assert results[-1].error.code == "previous_proof_missing"


def test_chain_fails_when_a_previous_proof_is_altered() -> None:
    doc = load_reference_json(*VC_DI, "proof-set-chain", "signedProofChain1.json")
    doc["proof"][0]["created"] = "2023-02-24T23:36:39Z"
    results = verify_proofs(doc, loader=LOADER)
    assert [r.verified for r in results] == [False, True, False]


def test_legacy_ed25519_signature_2020_verifies_as_legacy() -> None:
    doc = load_reference_json(*VC_DI, "Ed25519Signature2020", "signedEdSig.json")
    (result,) = verify_proofs(doc, loader=LOADER)
    assert result.verified, result.error
    assert result.legacy is True


def test_tampered_vector_fails_with_signature_invalid() -> None:
    doc = load_reference_json(*VC_DI, "proof-set-chain", "signedProofSet1.json")
    doc["credentialSubject"]["alumniOf"] = "Another School"
    (result,) = verify_proofs(doc, loader=LOADER)
    assert not result.verified
    assert result.error is not None and result.error.code == "signature_invalid"
