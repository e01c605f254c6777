"""Data Integrity proofs: creation and verification failures, each with its code."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from mcbadge.errors import InvalidInputError, SigningError, StrictJsonLdError
from mcbadge.keys import KeyPair
from mcbadge.proofs import add_proof, get_cryptosuite, verify_proofs

DOC: dict[str, Any] = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "id": "urn:uuid:0c4b2a4e-8f3a-4d2b-9a51-3b7e5a7f0c11",
    "type": ["VerifiableCredential"],
    "issuer": "did:example:issuer",
    "validFrom": "2026-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:subject"},
}


@pytest.fixture(scope="module")
def key() -> KeyPair:
    pair = KeyPair.from_seed(bytes(range(32)))
    return pair.with_verification_method(pair.did_key_verification_method)


@pytest.fixture(scope="module")
def signed(key: KeyPair) -> dict[str, Any]:
    return add_proof(DOC, key, created="2026-01-01T00:00:00Z")


def _code(doc: dict[str, Any], **kwargs: Any) -> str | None:
    (result,) = verify_proofs(doc, **kwargs)
    assert not result.verified
    assert result.error is not None
    return result.error.code


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
def test_sign_then_verify_round_trip(key: KeyPair, suite: Any) -> None:
    original = copy.deepcopy(DOC)
    signed = add_proof(DOC, key, cryptosuite=suite)
    assert DOC == original
    (result,) = verify_proofs(signed)
    assert result.verified and result.error is None
    assert result.controller == key.did_key
    assert signed["proof"][0]["proofValue"].startswith("z")


def test_rsa_key_is_refused_for_data_integrity() -> None:
    with pytest.raises(SigningError, match=r"Ed25519") as info:
        add_proof(DOC, KeyPair.generate("RSA"), verification_method="https://x.example/k#1")
    assert info.value.code == "key_type_mismatch"


def test_missing_verification_method_is_refused() -> None:
    with pytest.raises(SigningError, match=r"verification method"):
        add_proof(DOC, KeyPair.generate("Ed25519"))


def test_undefined_term_is_refused_for_signing(key: KeyPair) -> None:
    doc = copy.deepcopy(DOC)
    doc["credentialSubject"]["favouriteColour"] = "blue"
    with pytest.raises(StrictJsonLdError, match=r"favouriteColour"):
        add_proof(doc, key)


def test_relative_type_is_refused_for_signing(key: KeyPair) -> None:
    doc = copy.deepcopy(DOC)
    doc["credentialSubject"]["type"] = "Learner"
    with pytest.raises(StrictJsonLdError, match=r"Learner"):
        add_proof(doc, key)


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
def test_undefined_term_is_refused_for_both_suites(key: KeyPair, suite: Any) -> None:
    doc = copy.deepcopy(DOC)
    doc["nickname"] = "x"
    with pytest.raises(StrictJsonLdError):
        add_proof(doc, key, cryptosuite=suite)


def test_unknown_cryptosuite_is_refused() -> None:
    with pytest.raises(InvalidInputError, match=r"unknown cryptosuite") as info:
        get_cryptosuite("ecdsa-rdfc-2019")
    assert info.value.code == "unknown_cryptosuite"


def test_previous_proof_that_does_not_exist_is_refused(key: KeyPair) -> None:
    with pytest.raises(InvalidInputError, match=r"previousProof"):
        add_proof(DOC, key, previous_proof="urn:uuid:nope")


def test_custom_signer_that_raises_is_wrapped(key: KeyPair) -> None:
    class Broken:
        algorithm = "EdDSA"
        key_type = "Ed25519"
        verification_method = key.verification_method

        def public_jwk(self) -> dict[str, Any]:
            return key.public_jwk()

        def sign(self, data: bytes) -> bytes:
            raise RuntimeError("HSM offline")

    with pytest.raises(SigningError, match=r"HSM offline") as info:
        add_proof(DOC, Broken())
    assert info.value.code == "signer_failed"


def test_kms_like_signer_produces_a_verifiable_proof(key: KeyPair) -> None:
    class Kms:
        algorithm = "EdDSA"
        key_type = "Ed25519"
        verification_method = key.verification_method

        def public_jwk(self) -> dict[str, Any]:
            return key.public_jwk()

        def sign(self, data: bytes) -> bytes:
            return key.sign(data)

    assert [r.verified for r in verify_proofs(add_proof(DOC, Kms()))] == [True]


def test_tampered_value_fails(signed: dict[str, Any]) -> None:
    doc = copy.deepcopy(signed)
    doc["validFrom"] = "2026-01-02T00:00:00Z"
    assert _code(doc) == "signature_invalid"


def test_tampered_proof_option_fails(signed: dict[str, Any]) -> None:
    doc = copy.deepcopy(signed)
    doc["proof"][0]["created"] = "2026-01-01T00:00:01Z"
    assert _code(doc) == "signature_invalid"


def test_unknown_cryptosuite_in_proof_fails(signed: dict[str, Any]) -> None:
    doc = copy.deepcopy(signed)
    doc["proof"][0]["cryptosuite"] = "eddsa-2099"
    assert _code(doc) == "unknown_cryptosuite"


def test_wrong_proof_purpose_fails(signed: dict[str, Any]) -> None:
    assert _code(signed, expected_purpose="authentication") == "proof_purpose_mismatch"


def test_malformed_proof_value_fails(signed: dict[str, Any]) -> None:
    doc = copy.deepcopy(signed)
    doc["proof"][0]["proofValue"] = "u" + doc["proof"][0]["proofValue"][1:]
    assert _code(doc) == "proof_value_malformed"
    doc["proof"][0]["proofValue"] = "z0OIl"
    assert _code(doc) == "proof_value_malformed"


def test_key_of_another_signer_fails(signed: dict[str, Any]) -> None:
    other = KeyPair.generate("Ed25519")
    doc = copy.deepcopy(signed)
    doc["proof"][0]["verificationMethod"] = other.did_key_verification_method
    assert _code(doc) == "signature_invalid"


def test_unresolvable_verification_method_fails_offline(signed: dict[str, Any]) -> None:
    doc = copy.deepcopy(signed)
    doc["proof"][0]["verificationMethod"] = "did:web:issuer.example#key-1"
    assert _code(doc) == "verification_method_unresolved"


def test_proof_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(InvalidInputError, match=r"proof must be"):
        verify_proofs({**DOC, "proof": "abc"})


def test_no_proof_gives_no_results() -> None:
    assert verify_proofs(DOC) == []


def test_jcs_proof_carries_the_document_context(key: KeyPair) -> None:
    signed = add_proof(DOC, key, cryptosuite="eddsa-jcs-2022")
    assert signed["proof"][0]["@context"] == DOC["@context"]
    assert [r.verified for r in verify_proofs(signed)] == [True]


def test_jcs_proof_context_that_does_not_start_the_document_context_fails(key: KeyPair) -> None:
    signed = add_proof(DOC, key, cryptosuite="eddsa-jcs-2022")
    signed["proof"][0]["@context"] = ["https://www.w3.org/ns/credentials/examples/v2"]
    assert _code(signed) == "proof_context_mismatch"


def test_rdfc_proof_has_no_context_of_its_own(key: KeyPair) -> None:
    signed = add_proof(DOC, key)
    assert "@context" not in signed["proof"][0]


@pytest.mark.parametrize(("as_float", "as_int"), [(5.0, 5), (-0.0, 0), (30.0, 30)])
def test_integral_floats_canonicalize_as_javascript_reads_them(
    as_float: float, as_int: int
) -> None:
    # JSON.parse("5.0") is 5 and "-0.0" is -0 in JavaScript; jsonld.js writes "5" and "0"
    suite = get_cryptosuite("eddsa-rdfc-2022")
    ob3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
    base = {**DOC, "@context": [*DOC["@context"], ob3]}
    with_float = {
        **base,
        "credentialSubject": {
            "id": "did:example:s",
            "type": ["AchievementSubject"],
            "creditsEarned": as_float,
        },
    }
    with_int = {
        **base,
        "credentialSubject": {
            "id": "did:example:s",
            "type": ["AchievementSubject"],
            "creditsEarned": as_int,
        },
    }
    assert suite.canonicalize(with_float, loader=None) == suite.canonicalize(with_int, loader=None)


def test_repeated_proof_options_are_hashed_once_and_stay_correct(key: KeyPair) -> None:
    from mcbadge.proofs import data_integrity

    data_integrity._PROOF_HASHES.clear()
    created = "2026-03-01T00:00:00Z"
    first = add_proof(DOC, key, created=created)
    assert len(data_integrity._PROOF_HASHES) == 1
    other_context = {
        **DOC,
        "@context": [*DOC["@context"], "https://w3id.org/security/data-integrity/v2"],
    }
    second = add_proof(other_context, key, created=created)
    again = add_proof(DOC, key, created=created)
    assert len(data_integrity._PROOF_HASHES) == 2  # the @context is part of the options
    assert again == first
    for doc in (first, second, again):
        assert [r.verified for r in verify_proofs(doc)] == [True]


def test_exact_decimal_ties_of_doubles_round_as_javascript_does() -> None:
    # toExponential(15) rounds a tie up; printf-style formatting rounds it to even
    from mcbadge._internal.numbers import canonical_double

    assert canonical_double(1000000000000000.5) == "1.000000000000001E15"
    assert canonical_double(3801906481570168.5) == "3.801906481570169E15"
    assert canonical_double(-2.5) == "-2.5E0"
    assert canonical_double(-0.0) == "0.0E0"
    assert canonical_double(1e21) == "1.0E21"
    assert canonical_double(5e-324) == "4.940656458412465E-324"
    suite = get_cryptosuite("eddsa-rdfc-2022")
    doc = {
        "@context": {"n": {"@id": "https://example.org/n"}},
        "@id": "urn:x",
        "n": 1000000000000000.5,
    }
    assert b'"1.000000000000001E15"' in suite.canonicalize(doc, loader=None)
