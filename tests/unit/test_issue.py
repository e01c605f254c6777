"""issue(): formats, defaults, and options that do not apply to a format."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from mcbadge import issue
from mcbadge.demo import sample_microcredential
from mcbadge.errors import InvalidInputError, SigningError
from mcbadge.keys import KeyPair
from mcbadge.proofs import verify_proofs
from mcbadge.proofs.jwt import decode_credential_jwt


@pytest.fixture(scope="module")
def key() -> KeyPair:
    return KeyPair.from_seed(bytes(range(1, 33)))


@pytest.fixture(scope="module")
def credential(key: KeyPair) -> Any:
    return sample_microcredential().to_credential(
        id="urn:uuid:1d0c6c7e-3b1a-4a8e-9e52-6b3f0d1c2a11",
        valid_from="2026-01-15T10:00:00Z",
        issuer_id=key.did_key,
    )


def test_default_is_data_integrity_rdfc_with_the_did_key_method(
    key: KeyPair, credential: Any
) -> None:
    signed = issue(credential, key)
    (proof,) = signed["proof"]
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["verificationMethod"] == key.did_key_verification_method
    assert [r.verified for r in verify_proofs(signed)] == [True]


def test_jwt_format_gives_a_compact_jws_of_the_credential(key: KeyPair, credential: Any) -> None:
    token = issue(credential, key, format="jwt")
    assert decode_credential_jwt(token, key=key.public_key).credential == credential.to_json_dict()


def test_a_dict_input_is_not_mutated(key: KeyPair, credential: Any) -> None:
    document = credential.to_json_dict()
    before = copy.deepcopy(document)
    issue(document, key, cryptosuite="eddsa-jcs-2022")
    issue(document, key, format="jwt")
    assert document == before


@pytest.mark.parametrize("fmt", ["di", "jwt", "sd-jwt"])
def test_what_is_checked_is_what_is_signed(
    key: KeyPair, credential: Any, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change to the caller's dict after the signing-time checks (another thread, say)
    never reaches the signature: issue() signs the copy the checks read."""
    from mcbadge.verify import signing

    document = credential.to_json_dict()
    real = signing.signing_checks

    def checks_then_tamper(*args: Any, **kwargs: Any) -> Any:
        report = real(*args, **kwargs)
        document["credentialSubject"]["achievement"]["name"] = "Unchecked"
        document["issuer"] = "https://attacker.example"
        return report

    monkeypatch.setattr(signing, "signing_checks", checks_then_tamper)
    out = issue(document, key, format=fmt)  # type: ignore[call-overload]
    if fmt == "di":
        assert [r.verified for r in verify_proofs(out)] == [True]
        signed = {k: v for k, v in out.items() if k != "proof"}
    elif fmt == "jwt":
        signed = decode_credential_jwt(out, key=key.public_key).credential
    else:
        from mcbadge.proofs.sdjwt import verify_sd_jwt
        from mcbadge.proofs.sdjwt_vc import credential_view

        claims = verify_sd_jwt(out, key=key.public_key).claims
        assert claims["iss"] == key.did_key
        signed = credential_view(claims)
        assert (
            signed["credentialSubject"]["achievement"]["name"]
            == (credential.to_json_dict()["credentialSubject"]["achievement"]["name"])
        )
        return
    assert signed == credential.to_json_dict()
    document["credentialSubject"]["achievement"]["name"] = "Later"
    assert "Later" not in str(out)  # the result shares nothing with the caller's dict


@pytest.mark.parametrize(
    ("options", "option"),
    [
        ({"format": "jwt", "cryptosuite": "eddsa-jcs-2022"}, "cryptosuite"),
        ({"format": "jwt", "created": "2026-01-15T10:00:00Z"}, "created"),
        ({"embed_jwk": True}, "embed_jwk"),
    ],
)
def test_an_option_that_does_not_apply_is_refused(
    key: KeyPair, credential: Any, options: dict[str, Any], option: str
) -> None:
    with pytest.raises(InvalidInputError, match=rf"{option}= applies only") as info:
        issue(credential, key, **options)
    assert info.value.code == "option_not_applicable"


def test_unknown_format_is_refused(key: KeyPair, credential: Any) -> None:
    with pytest.raises(InvalidInputError, match=r"unknown format") as info:
        issue(credential, key, format="cwt")  # type: ignore[call-overload]
    assert info.value.code == "unknown_format"


def test_rsa_key_signs_jwt_but_not_data_integrity() -> None:
    rsa = KeyPair.generate("RSA").with_verification_method("https://www.hs-voorbeeld.nl/keys/1")
    credential = sample_microcredential().to_credential(
        id="urn:uuid:1d0c6c7e-3b1a-4a8e-9e52-6b3f0d1c2a11",
        valid_from="2026-01-15T10:00:00Z",
        issuer_id="https://www.hs-voorbeeld.nl",
    )
    token = issue(credential, rsa, format="jwt")
    assert token.count(".") == 2
    with pytest.raises(SigningError, match=r"Ed25519"):
        issue(credential, rsa)


def test_something_that_is_not_a_credential_is_refused(key: KeyPair) -> None:
    with pytest.raises(InvalidInputError, match=r"dict or an mcbadge model"):
        issue(["not", "a", "credential"], key)  # type: ignore[call-overload]
