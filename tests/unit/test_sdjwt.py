"""SD-JWT (RFC 9901): issuance, presentation, key binding, and one test per known attack."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mcbadge._internal.jws import b64_json, sign_compact
from mcbadge._internal.multibase import base64url_encode
from mcbadge.errors import InvalidInputError, SdJwtError, SigningError
from mcbadge.keys import KeyPair
from mcbadge.proofs.sdjwt import (
    Disclosure,
    _digest,
    issue_sd_jwt,
    parse_sd_jwt,
    verify_sd_jwt,
)
from mcbadge.proofs.sdjwt_kb import present

ISSUER = KeyPair.from_seed(bytes(range(32)), verification_method="https://hs.nl/keys#1")
HOLDER = KeyPair.generate("P-256")
OTHER = KeyPair.generate("P-256")
NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)

CLAIMS: dict[str, Any] = {
    "iss": "https://hs.nl",
    "vct": "https://hs.nl/vct/microcredential",
    "cnf": {"jwk": HOLDER.public_jwk()},
    "name": "Data Privacy in de Zorg",
    "learner": {"name": "Jan Jansen", "email": "jan@example.nl"},
    "outcomes": ["AVG", "DPIA", "Pseudonimisering"],
    "result": {"grade": "8.5"},
}
RULES = [
    ("learner", "name"),
    ("learner", "email"),
    ("outcomes", None),
    ("result",),
    ("result", "grade"),
]


def _token(**kwargs: Any) -> str:
    return issue_sd_jwt(CLAIMS, ISSUER, disclosable=RULES, **kwargs)


def _signed(payload: dict[str, Any], *disclosures: str, typ: str = "dc+sd-jwt") -> str:
    """An issuer-signed SD-JWT with a hand-made payload (for the attacks)."""
    jwt = sign_compact({"typ": typ}, payload, ISSUER)
    return "~".join([jwt, *disclosures, ""])


def _disclosure(*content: Any) -> str:
    return base64url_encode(json.dumps(list(content)).encode())


def _refused(text: str, code: str, **kwargs: Any) -> SdJwtError:
    with pytest.raises(SdJwtError) as info:
        verify_sd_jwt(text, key=ISSUER.public_key, now=NOW, **kwargs)
    assert info.value.code == code, info.value.message
    return info.value


# --------------------------------------------------------------------------- happy paths


def test_issued_sd_jwt_verifies_with_every_claim_disclosed() -> None:
    result = verify_sd_jwt(_token(), key=ISSUER.public_key)
    assert result.claims == CLAIMS
    assert set(result.disclosed_paths) == {
        "learner.name",
        "learner.email",
        "outcomes[0]",
        "outcomes[1]",
        "outcomes[2]",
        "result",
        "result.grade",
    }
    assert result.header == {"alg": "EdDSA", "typ": "dc+sd-jwt", "kid": "https://hs.nl/keys#1"}


def test_payload_hides_concealed_claims_behind_sorted_digests_and_decoys() -> None:
    token = _token(decoys=2)
    payload = parse_sd_jwt(token).payload
    assert payload["_sd_alg"] == "sha-256"
    assert "result" not in payload and "name" not in payload["learner"]
    assert payload["learner"]["_sd"] == sorted(payload["learner"]["_sd"])
    assert len(payload["learner"]["_sd"]) == 2 + 2  # two claims and two decoys
    assert all(set(item) == {"..."} for item in payload["outcomes"])


def test_salts_are_fresh_for_every_issuance() -> None:
    assert parse_sd_jwt(_token()).disclosures != parse_sd_jwt(_token()).disclosures


def test_presentation_shows_only_the_selected_claims_and_their_parents() -> None:
    shown = present(_token(), disclose=[("result", "grade"), ("outcomes", 1)])
    result = verify_sd_jwt(shown, key=ISSUER.public_key)
    assert result.claims["result"] == {"grade": "8.5"}
    assert result.claims["outcomes"] == ["DPIA"]
    assert result.claims["learner"] == {}
    assert set(result.disclosed_paths) == {"result", "result.grade", "outcomes[0]"}


def test_presentation_with_nothing_disclosed_still_verifies() -> None:
    result = verify_sd_jwt(present(_token(), disclose=[]), key=ISSUER.public_key)
    assert result.disclosed == ()
    assert "learner" in result.claims and "result" not in result.claims


def test_key_bound_presentation_verifies_with_audience_and_nonce() -> None:
    shown = present(
        _token(),
        disclose=[("learner", "name")],
        holder_key=HOLDER,
        audience="https://werkgever.nl",
        nonce="n-123",
        issued_at=NOW,
    )
    result = verify_sd_jwt(
        shown, key=ISSUER.public_key, audience="https://werkgever.nl", nonce="n-123", now=NOW
    )
    assert result.key_binding is not None
    assert result.key_binding.key == HOLDER.public_key
    assert result.key_binding.header["typ"] == "kb+jwt"
    assert result.claims["learner"] == {"name": "Jan Jansen"}


def test_sd_jwt_without_disclosable_claims_has_no_sd_alg() -> None:
    token = issue_sd_jwt({"iss": "x"}, ISSUER, disclosable=[])
    assert token.endswith("~") and token.count("~") == 1
    assert "_sd_alg" not in parse_sd_jwt(token).payload


def test_issuer_refuses_a_reserved_claim_name() -> None:
    with pytest.raises(SigningError) as info:
        issue_sd_jwt({"_sd": 1}, ISSUER, disclosable=[])
    assert info.value.code == "sdjwt_reserved_claim_name"


def test_present_refuses_half_a_key_binding() -> None:
    with pytest.raises(InvalidInputError):
        present(_token(), holder_key=HOLDER, audience="x")


# --------------------------------------------------------------------------- attacks


def test_refuses_a_disclosure_not_referenced_by_any_digest() -> None:
    extra = Disclosure.create("admin", True).encoded
    _refused(_token() + extra + "~", "sdjwt_disclosure_unreferenced")


def test_refuses_a_digest_referenced_twice() -> None:
    d = _disclosure("salt", "grade", "8.5")
    digest = _digest(d, "sha-256")
    payload = {"iss": "x", "_sd_alg": "sha-256", "_sd": [digest], "copy": {"_sd": [digest]}}
    _refused(_signed(payload, d), "sdjwt_digest_duplicate")


def test_refuses_the_same_disclosure_presented_twice() -> None:
    d = _disclosure("salt", "grade", "8.5")
    payload = {"iss": "x", "_sd_alg": "sha-256", "_sd": [_digest(d, "sha-256")]}
    _refused(_signed(payload, d, d), "sdjwt_disclosure_duplicate")


def test_refuses_sd_as_a_disclosed_claim_name() -> None:
    d = _disclosure("salt", "_sd", ["x"])
    payload = {"iss": "x", "_sd_alg": "sha-256", "_sd": [_digest(d, "sha-256")]}
    _refused(_signed(payload, d), "sdjwt_reserved_claim_name")


def test_refuses_ellipsis_as_a_disclosed_claim_name() -> None:
    d = _disclosure("salt", "...", "x")
    payload = {"iss": "x", "_sd_alg": "sha-256", "_sd": [_digest(d, "sha-256")]}
    _refused(_signed(payload, d), "sdjwt_reserved_claim_name")


def test_refuses_ellipsis_in_an_object() -> None:
    payload = {"iss": "x", "learner": {"...": "abc", "name": "Jan"}}
    _refused(_signed(payload), "sdjwt_ellipsis_in_object")


def test_refuses_an_array_element_digest_with_other_members() -> None:
    d = _disclosure("salt", "DPIA")
    payload = {"iss": "x", "outcomes": [{"...": _digest(d, "sha-256"), "extra": 1}]}
    _refused(_signed(payload, d), "sdjwt_array_element_malformed")


def test_refuses_a_disclosure_that_collides_with_an_existing_claim() -> None:
    d = _disclosure("salt", "iss", "https://attacker.example")
    payload = {"iss": "https://hs.nl", "_sd_alg": "sha-256", "_sd": [_digest(d, "sha-256")]}
    _refused(_signed(payload, d), "sdjwt_claim_collision")


def test_refuses_an_array_disclosure_referenced_from_an_object() -> None:
    d = _disclosure("salt", "DPIA")
    payload = {"iss": "x", "_sd": [_digest(d, "sha-256")]}
    _refused(_signed(payload, d), "sdjwt_disclosure_wrong_kind")


def test_refuses_sd_that_is_not_an_array() -> None:
    _refused(_signed({"iss": "x", "_sd": "abc"}), "sdjwt_sd_malformed")


def test_refuses_a_key_binding_jwt_over_another_presentation() -> None:
    token = _token()
    first = present(
        token,
        disclose=[("learner",)],
        holder_key=HOLDER,
        audience="aud",
        nonce="n",
        issued_at=NOW,
    )
    kb_jwt = first.rsplit("~", 1)[1]
    other = present(token, disclose=[("result",)])
    _refused(other + kb_jwt, "sdjwt_kb_sd_hash_mismatch", audience="aud", nonce="n")


def test_refuses_a_missing_key_binding_jwt_when_required() -> None:
    _refused(present(_token(), disclose=[]), "sdjwt_kb_missing", audience="aud", nonce="n")


def test_refuses_a_key_binding_jwt_signed_by_a_key_other_than_cnf() -> None:
    shown = present(_token(), holder_key=OTHER, audience="aud", nonce="n", issued_at=NOW)
    _refused(shown, "sdjwt_kb_signature_invalid", audience="aud", nonce="n")


def test_refuses_a_key_binding_jwt_for_another_audience() -> None:
    shown = present(_token(), holder_key=HOLDER, audience="aud", nonce="n", issued_at=NOW)
    _refused(shown, "sdjwt_kb_audience_mismatch", audience="elsewhere", nonce="n")


def test_refuses_a_key_binding_jwt_with_another_nonce() -> None:
    shown = present(_token(), holder_key=HOLDER, audience="aud", nonce="n", issued_at=NOW)
    _refused(shown, "sdjwt_kb_nonce_mismatch", audience="aud", nonce="other")


def test_refuses_a_stale_key_binding_jwt() -> None:
    old = NOW - timedelta(hours=1)
    shown = present(_token(), holder_key=HOLDER, audience="aud", nonce="n", issued_at=old)
    _refused(shown, "sdjwt_kb_stale", audience="aud", nonce="n")


def test_refuses_a_key_binding_jwt_from_the_future() -> None:
    later = NOW + timedelta(hours=1)
    shown = present(_token(), holder_key=HOLDER, audience="aud", nonce="n", issued_at=later)
    _refused(shown, "sdjwt_kb_in_future", audience="aud", nonce="n")


def test_refuses_a_key_binding_jwt_with_the_wrong_typ() -> None:
    text = present(_token(), disclose=[])
    sd_hash = _digest(text, "sha-256")
    payload = {"iat": int(NOW.timestamp()), "aud": "aud", "nonce": "n", "sd_hash": sd_hash}
    kb = sign_compact({"typ": "JWT"}, payload, HOLDER)
    _refused(text + kb, "sdjwt_kb_typ_invalid", audience="aud", nonce="n")


def test_refuses_key_binding_without_cnf() -> None:
    token = issue_sd_jwt({"iss": "x"}, ISSUER, disclosable=[])
    shown = present(token, holder_key=HOLDER, audience="aud", nonce="n", issued_at=NOW)
    _refused(shown, "sdjwt_cnf_missing", audience="aud", nonce="n")


def test_refuses_alg_none() -> None:
    head = b64_json({"alg": "none", "typ": "dc+sd-jwt"})
    _refused(f"{head}.{b64_json({'iss': 'x'})}.c2ln~", "jwt_alg_none")


def test_refuses_hmac() -> None:
    head = b64_json({"alg": "HS256", "typ": "dc+sd-jwt"})
    _refused(f"{head}.{b64_json({'iss': 'x'})}.c2ln~", "jwt_alg_hmac")


def test_refuses_a_key_binding_jwt_with_alg_none() -> None:
    text = present(_token(), disclose=[])
    payload = {"iat": int(NOW.timestamp()), "aud": "a", "nonce": "n", "sd_hash": "x"}
    kb = f"{b64_json({'alg': 'none', 'typ': 'kb+jwt'})}.{b64_json(payload)}.c2ln"
    _refused(text + kb, "jwt_alg_none", audience="a", nonce="n")


def test_refuses_the_wrong_typ() -> None:
    _refused(_signed({"iss": "x"}, typ="JWT"), "sdjwt_typ_invalid")


def test_refuses_an_unsupported_sd_alg() -> None:
    _refused(_signed({"iss": "x", "_sd_alg": "md5", "_sd": []}), "sdjwt_sd_alg_unsupported")


def test_refuses_a_disclosure_that_is_not_base64url() -> None:
    _refused(_token() + "not+base64/~", "sdjwt_disclosure_malformed")


def test_refuses_a_disclosure_of_the_wrong_length() -> None:
    _refused(_token() + _disclosure("salt", "a", "b", "c") + "~", "sdjwt_disclosure_malformed")


def test_refuses_a_disclosure_with_a_non_string_salt() -> None:
    d = _disclosure(42, "grade", "8.5")
    payload = {"iss": "x", "_sd": [_digest(d, "sha-256")]}
    _refused(_signed(payload, d), "sdjwt_disclosure_malformed")


def test_refuses_a_disclosure_that_is_not_an_array() -> None:
    d = base64url_encode(b'{"salt": "x"}')
    _refused(_token() + d + "~", "sdjwt_disclosure_malformed")


def test_refuses_a_tampered_signature() -> None:
    token = _token()
    jwt, rest = token.split("~", 1)
    head, body, sig = jwt.split(".")
    forged = f"{head}.{b64_json({'iss': 'https://attacker'})}.{sig}~{rest}"
    _refused(forged, "sdjwt_signature_invalid")


def test_refuses_an_empty_disclosure() -> None:
    jwt = _token().split("~", 1)[0]
    _refused(jwt + "~~", "sdjwt_malformed")


# --------------------------------------------------------------------------- properties

_json_leaf = st.one_of(st.none(), st.booleans(), st.integers(-1000, 1000), st.text(max_size=8))
_names = st.text(alphabet="abcdefgh", min_size=1, max_size=3)
_json = st.recursive(
    _json_leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(_names, inner, max_size=3)
    ),
    max_leaves=12,
)


def _all_paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    if isinstance(value, dict):
        for key, child in value.items():
            out.append((*prefix, key))
            out.extend(_all_paths(child, (*prefix, key)))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            out.append((*prefix, index))
            out.extend(_all_paths(child, (*prefix, index)))
    return out


@given(claims=st.dictionaries(_names, _json, max_size=4), data=st.data())
def test_any_concealment_round_trips_and_any_presentation_verifies(
    claims: dict[str, Any], data: st.DataObject
) -> None:
    paths = _all_paths(claims)
    chosen = data.draw(st.lists(st.sampled_from(paths), unique=True) if paths else st.just([]))
    token = issue_sd_jwt(claims, ISSUER, disclosable=chosen)
    full = verify_sd_jwt(token, key=ISSUER.public_key, typ=None)
    assert full.claims == claims
    shown_paths = data.draw(st.lists(st.sampled_from(paths), max_size=3) if paths else st.just([]))
    shown = present(token, disclose=shown_paths)
    partial = verify_sd_jwt(shown, key=ISSUER.public_key, typ=None)
    assert len(partial.disclosed) <= len(full.disclosed)
    # a presentation never shows a claim the full credential does not have
    assert set(partial.claims) <= set(full.claims)


# --------------------------------------------------------------------------- spec vector

# draft-ietf-oauth-sd-jwt-vc (2025-08, §4.2): a presentation of the §3.3 SD-JWT VC with the
# Disclosures of is_over_65 and address and a KB-JWT; the issuer key is the example issuer key
# of RFC 9901's examples.
SPEC_PRESENTATION = (
    "eyJhbGciOiAiRVMyNTYiLCAidHlwIjogImRjK3NkLWp3dCIsICJraWQiOiAiZG9jLXNpZ25lci0wNS0yNS0yMDIy"
    "In0.eyJfc2QiOiBbIjA5dktySk1PbHlUV00wc2pwdV9wZE9CVkJRMk0xeTNLaHBINTE1blhrcFkiLCAiMnJzakdi"
    "YUMwa3k4bVQwcEpyUGlvV1RxMF9kYXcxc1g3NnBvVWxnQ3diSSIsICJFa084ZGhXMGRIRUpidlVIbEVfVkNldUM5"
    "dVJFTE9pZUxaaGg3WGJVVHRBIiwgIklsRHpJS2VpWmREd3BxcEs2WmZieXBoRnZ6NUZnbldhLXNONndxUVhDaXci"
    "LCAiSnpZakg0c3ZsaUgwUjNQeUVNZmVadTZKdDY5dTVxZWhabzdGN0VQWWxTRSIsICJQb3JGYnBLdVZ1Nnh5bUph"
    "Z3ZrRnNGWEFiUm9jMkpHbEFVQTJCQTRvN2NJIiwgIlRHZjRvTGJnd2Q1SlFhSHlLVlFaVTlVZEdFMHc1cnREc3Ja"
    "emZVYW9tTG8iLCAiamRyVEU4WWNiWTRFaWZ1Z2loaUFlX0JQZWt4SlFaSUNlaVVRd1k5UXF4SSIsICJqc3U5eVZ1"
    "bHdRUWxoRmxNXzNKbHpNYVNGemdsaFFHMERwZmF5UXdMVUs0Il0sICJpc3MiOiAiaHR0cHM6Ly9leGFtcGxlLmNv"
    "bS9pc3N1ZXIiLCAiaWF0IjogMTY4MzAwMDAwMCwgImV4cCI6IDE4ODMwMDAwMDAsICJ2Y3QiOiAiaHR0cHM6Ly9j"
    "cmVkZW50aWFscy5leGFtcGxlLmNvbS9pZGVudGl0eV9jcmVkZW50aWFsIiwgIl9zZF9hbGciOiAic2hhLTI1NiIs"
    "ICJjbmYiOiB7Imp3ayI6IHsia3R5IjogIkVDIiwgImNydiI6ICJQLTI1NiIsICJ4IjogIlRDQUVSMTladnUzT0hG"
    "NGo0VzR2ZlNWb0hJUDFJTGlsRGxzN3ZDZUdlbWMiLCAieSI6ICJaeGppV1diWk1RR0hWV0tWUTRoYlNJaXJzVmZ1"
    "ZWNDRTZ0NGpUOUYySFpRIn19fQ.upZOkX5eItejo79LvTTOr-az0731e_VMeaycPm_snvXhdQhOrKVS17dn3xd-i"
    "ZI5ZtgMDFWVczNkw6JkaWGmmQ~WyJsa2x4RjVqTVlsR1RQVW92TU5JdkNBIiwgImlzX292ZXJfNjUiLCB0cnVlXQ"
    "~WyJRZ19PNjR6cUF4ZTQxMmExMDhpcm9BIiwgImFkZHJlc3MiLCB7InN0cmVldF9hZGRyZXNzIjogIjEyMyBNYWl"
    "uIFN0IiwgImxvY2FsaXR5IjogIkFueXRvd24iLCAicmVnaW9uIjogIkFueXN0YXRlIiwgImNvdW50cnkiOiAiVVM"
    "ifV0~eyJhbGciOiAiRVMyNTYiLCAidHlwIjogImtiK2p3dCJ9.eyJub25jZSI6ICIxMjM0NTY3ODkwIiwgImF1ZC"
    "I6ICJodHRwczovL2V4YW1wbGUuY29tL3ZlcmlmaWVyIiwgImlhdCI6IDE3NTY0MjA2OTUsICJzZF9oYXNoIjogIk"
    "p2WnhLeWU4QVFTb1ZKVEVJNnhpN2FaOVhEWlhIQ0F4cGY2UVJhb1QzR2sifQ.4KKlOz3bMGpRBAHpQjyWZb2yRub"
    "j9LcFDmhQ9k-cbsaCUac5177HDnOGl4HeoXD_0SDkOEa-dkjaK4kHSm8XuQ"
)
SPEC_ISSUER_JWK = {
    "kty": "EC",
    "crv": "P-256",
    "x": "b28d4MwZMjw8-00CG4xfnn9SLMVMM19SlqZpVb_uNtQ",
    "y": "Xv5zWwuoaTgdS6hV43yI6gBwTnjukmFQQnJ_kCxzqk8",
}


def test_the_sd_jwt_vc_drafts_example_presentation_verifies() -> None:
    from mcbadge.keys import PublicKey

    result = verify_sd_jwt(
        SPEC_PRESENTATION,
        key=PublicKey.from_jwk(SPEC_ISSUER_JWK),
        audience="https://example.com/verifier",
        nonce="1234567890",
        now=datetime.fromtimestamp(1756420695, UTC),
    )
    assert result.claims == {
        "iss": "https://example.com/issuer",
        "iat": 1683000000,
        "exp": 1883000000,
        "vct": "https://credentials.example.com/identity_credential",
        "cnf": {
            "jwk": {
                "kty": "EC",
                "crv": "P-256",
                "x": "TCAER19Zvu3OHF4j4W4vfSVoHIP1ILilDls7vCeGemc",
                "y": "ZxjiWWbZMQGHVWKVQ4hbSIirsVfuecCE6t4jT9F2HZQ",
            }
        },
        "is_over_65": True,
        "address": {
            "street_address": "123 Main St",
            "locality": "Anytown",
            "region": "Anystate",
            "country": "US",
        },
    }
    assert result.disclosed_paths == ("is_over_65", "address")
    assert result.key_binding is not None


def test_the_drafts_example_fails_with_one_byte_changed() -> None:
    from mcbadge.keys import PublicKey

    jwt, first, rest = SPEC_PRESENTATION.split("~", 2)
    tampered = jwt + "~" + first[:-2] + ("A" if first[-2] != "A" else "B") + first[-1] + "~" + rest
    with pytest.raises(SdJwtError):
        verify_sd_jwt(tampered, key=PublicKey.from_jwk(SPEC_ISSUER_JWK))
