"""Data Integrity interop between mcbadge and the digitalbazaar JavaScript stack (issue 3.7).

Both directions, both EdDSA cryptosuites, on hypothesis-generated Dutch microcredentials (hbo
and mbo, unicode, markdown, tabs, form feeds, NUL/DEL/bell, very long texts):

* mcbadge signs, ``@digitalbazaar/vc`` verifies (did:key resolution, issuer = key controller);
* Node signs, mcbadge verifies -- and mcbadge signing the same input with the same ``created``
  gives the *same* ``proofValue`` (Ed25519 is deterministic, so equal bytes prove that both
  sides hashed exactly the same canonical form);
* the canonical forms themselves (RDFC-1.0 N-Quads and RFC 8785 JSON) are compared, for the
  generated credentials and for crafted hard cases (integral and odd floats, every C0 control
  character, U+007F, U+0085, U+2028, lone combining marks, astral characters, 100k strings);
* a credential changed in one field after signing fails on the other side.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcbadge.canon import jcs
from mcbadge.errors import StrictJsonLdError
from mcbadge.issue import issue
from mcbadge.keys import KeyPair
from mcbadge.microcredential import (
    Institution,
    Learner,
    LearningOutcome,
    Microcredential,
    QualityAssurance,
    Result,
    Unit,
)
from mcbadge.proofs import get_cryptosuite, verify_proofs
from mcbadge.proofs.data_integrity import CryptosuiteName
from tests.interop.conftest import NodeWorker, NodeWorkerError
from tests.strategies.microcredentials import microcredentials

pytestmark = pytest.mark.interop

RDFC: Final = "eddsa-rdfc-2022"
JCS: Final = "eddsa-jcs-2022"
SUITES: tuple[CryptosuiteName, ...] = (RDFC, JCS)
XSD = "http://www.w3.org/2001/XMLSchema#"
OB3_XSD = "https://www.w3.org/2001/XMLSchema#"  # sic: the OB3 3.0.3 context says https
OB3_CREDITS_AVAILABLE = "<https://purl.imsglobal.org/spec/vc/ob/vocab.html#creditsAvailable>"

_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
)
"""At least 50 generated microcredentials per direction and cryptosuite (issue 3, point 7)."""

_SMALL_SETTINGS = settings(_SETTINGS, max_examples=15)


# --- cases -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SigningCase:
    """One unsigned credential, the key that signs it and the proof's ``created``."""

    credential: dict[str, Any]
    key: KeyPair
    created: str


def _xsd_datetime(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


_moments = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2099, 12, 31),
    timezones=st.just(UTC),
).map(lambda moment: moment.replace(microsecond=0))
# issue() refuses a proof created in the future (verify() would refuse it): proofs are dated
# up to the day these tests were written, validFrom anywhere in 2000-2099
_past_moments = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2026, 1, 1),
    timezones=st.just(UTC),
).map(lambda moment: moment.replace(microsecond=0))


@st.composite
def signing_cases(draw: st.DrawFn) -> SigningCase:
    """A generated microcredential issued by a generated Ed25519 did:key."""
    key = KeyPair.from_seed(draw(st.binary(min_size=32, max_size=32)))
    microcredential = draw(microcredentials())
    credential = microcredential.to_credential(
        id=draw(st.uuids()).urn,
        valid_from=draw(_moments),
        issuer_id=key.did_key,
    ).to_json_dict()
    return SigningCase(_portable(credential), key, _xsd_datetime(draw(_past_moments)))


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_HIGH_BMP = re.compile("[\ue000-\uffff]")


def _portable(value: Any) -> Any:
    """The credential without the one trap issue() refuses for generated text: characters
    above U+FFFF together with U+E000-U+FFFF (rdf-canonize sorts them by UTF-16 code unit;
    tests/interop/test_interop_traps.py covers it). The U+E000-U+FFFF ones become 'é'."""
    text = json.dumps(value, ensure_ascii=False)
    if not (_ASTRAL.search(text) and _HIGH_BMP.search(text)):
        return value

    def walk(item: Any) -> Any:
        if isinstance(item, str):
            return _HIGH_BMP.sub("\u00e9", item)
        if isinstance(item, list):
            return [walk(x) for x in item]
        if isinstance(item, dict):
            return {walk(k): walk(v) for k, v in item.items()}
        return item

    return walk(value)


def _fixed_key() -> KeyPair:
    return KeyPair.from_seed(bytes(range(32)))


def _fixed_credential(key: KeyPair) -> dict[str, Any]:
    """A plain hbo microcredential from the builder, issued by ``key``'s did:key (a copy)."""
    return copy.deepcopy(_built_credential(key.did_key))


@functools.cache
def _built_credential(issuer_id: str) -> dict[str, Any]:
    # built once: the builder salts the hashed e-mail address with fresh randomness
    microcredential = Microcredential(
        learner=Learner(name="Jan Jansen", email="jan@example.nl"),
        institution=Institution(name="Hogeschool Voorbeeld", url="https://hs-voorbeeld.nl"),
        unit=Unit(name="Data Privacy in de Zorg", code="DPZ-01", description="Beschrijving"),
        nlqf=6,
        ects=5,
        learning_outcomes=[LearningOutcome(text="De student past de AVG toe.")],
        result=Result(grade="8.5"),
        assessment="testing",
        participation="online",
        quality_assurance=QualityAssurance(name="NVAO", url="https://www.nvao.net/"),
    )
    credential = microcredential.to_credential(
        id="urn:uuid:6b1e9a52-3f0c-4b6e-9d3a-0c8f3f1f2a11",
        valid_from="2025-01-01T00:00:00Z",
        issuer_id=issuer_id,
    ).to_json_dict()
    assert isinstance(credential, dict)
    return credential


CREATED = "2025-01-02T03:04:05Z"
VERIFY_AT = "2100-01-01T00:00:00Z"


# --- helpers ---------------------------------------------------------------------------------


def _node_key(key: KeyPair) -> dict[str, str]:
    """The key pair as the worker's ``sign_di`` wants it (Multikey, did:key controller)."""
    return {
        "publicKeyMultibase": key.to_multikey(),
        "secretKeyMultibase": key.to_multikey(private=True),
        "id": key.did_key_verification_method,
        "controller": key.did_key,
    }


def _explain(result: dict[str, Any]) -> str:
    return "; ".join(f"{e.get('name')}: {e.get('message')}" for e in result.get("errors", []))


def _node_verifies(node_worker: NodeWorker, signed: dict[str, Any]) -> dict[str, Any]:
    # `now` after every generated validFrom, so only the proofs decide
    result = node_worker.call("verify_di", credential=signed, now=VERIFY_AT)
    assert isinstance(result, dict)
    return result


def _node_sign(
    node_worker: NodeWorker,
    credential: dict[str, Any],
    key: KeyPair,
    cryptosuite: CryptosuiteName,
    created: str,
) -> dict[str, Any]:
    signed = node_worker.call(
        "sign_di",
        credential=credential,
        cryptosuite=cryptosuite,
        key=_node_key(key),
        created=created,
    )
    assert isinstance(signed, dict)
    return signed


def _node_proofs(signed: dict[str, Any]) -> list[dict[str, Any]]:
    proof = signed["proof"]
    return proof if isinstance(proof, list) else [proof]


def _assert_node_accepts(node_worker: NodeWorker, signed: dict[str, Any]) -> None:
    result = _node_verifies(node_worker, signed)
    assert result["verified"] is True, _explain(result)
    assert result["allProofsVerified"] is True, _explain(result)


def _assert_mcbadge_accepts(signed: dict[str, Any]) -> None:
    results = verify_proofs(signed)
    assert results, "no proof found"
    for result in results:
        assert result.verified, result.error


def _assert_same_signature_both_ways(
    node_worker: NodeWorker,
    credential: dict[str, Any],
    key: KeyPair,
    cryptosuite: CryptosuiteName,
    created: str,
) -> None:
    """Node's proof verifies in mcbadge, mcbadge's in Node, and the proofValues are equal."""
    ours = issue(credential, key, cryptosuite=cryptosuite, created=created)
    _assert_node_accepts(node_worker, ours)
    theirs = _node_sign(node_worker, credential, key, cryptosuite, created)
    _assert_mcbadge_accepts(theirs)
    (their_proof,) = _node_proofs(theirs)
    assert ours["proof"][0]["proofValue"] == their_proof["proofValue"]


def _mcbadge_nquads(document: dict[str, Any]) -> str:
    return get_cryptosuite(RDFC).canonicalize(document, loader=None).decode("utf-8")


def _node_nquads(node_worker: NodeWorker, document: dict[str, Any]) -> str:
    nquads = node_worker.call("canonize", document=document)
    assert isinstance(nquads, str)
    return nquads


def _assert_same_nquads(node_worker: NodeWorker, document: dict[str, Any]) -> None:
    ours = _mcbadge_nquads(document)
    theirs = _node_nquads(node_worker, document)
    if ours != theirs:
        only_ours = sorted(set(ours.splitlines()) - set(theirs.splitlines()))
        only_theirs = sorted(set(theirs.splitlines()) - set(ours.splitlines()))
        pytest.fail(
            "canonical N-Quads differ\n"
            f"mcbadge only: {[line[:300] for line in only_ours]}\n"
            f"jsonld.js only: {[line[:300] for line in only_theirs]}"
        )


# --- 1. mcbadge signs, Node verifies ---------------------------------------------------------


@pytest.mark.parametrize("cryptosuite", SUITES)
@_SETTINGS
@given(case=signing_cases())
def test_node_verifies_microcredentials_signed_by_mcbadge(
    node_worker: NodeWorker, cryptosuite: CryptosuiteName, case: SigningCase
) -> None:
    signed = issue(case.credential, case.key, cryptosuite=cryptosuite, created=case.created)
    (proof,) = signed["proof"]
    assert proof["verificationMethod"] == case.key.did_key_verification_method
    assert proof["created"] == case.created
    _assert_node_accepts(node_worker, signed)


# --- 2. Node signs, mcbadge verifies and reproduces the signature ----------------------------


@pytest.mark.parametrize("cryptosuite", SUITES)
@_SETTINGS
@given(case=signing_cases())
def test_mcbadge_verifies_node_signed_microcredentials_and_signs_byte_identically(
    node_worker: NodeWorker, cryptosuite: CryptosuiteName, case: SigningCase
) -> None:
    theirs = _node_sign(node_worker, case.credential, case.key, cryptosuite, case.created)
    assert {k: v for k, v in theirs.items() if k != "proof"} == case.credential
    _assert_mcbadge_accepts(theirs)

    ours = issue(case.credential, case.key, cryptosuite=cryptosuite, created=case.created)
    (their_proof,) = _node_proofs(theirs)
    (our_proof,) = ours["proof"]
    assert our_proof["proofValue"] == their_proof["proofValue"]
    # every other member too, including the @context an eddsa-jcs-2022 proof carries
    assert our_proof == their_proof


def test_mcbadge_verifies_a_node_proof_set(node_worker: NodeWorker) -> None:
    """Two Node proofs on one credential (a set): mcbadge checks each of them."""
    key = _fixed_key()
    other = KeyPair.from_seed(bytes(range(1, 33)))
    credential = _fixed_credential(key)
    first = _node_sign(node_worker, credential, key, RDFC, CREATED)
    both = node_worker.call(
        "sign_di",
        credential=first,
        cryptosuite=JCS,
        key=_node_key(other),
        created=CREATED,
        api="jsigs",
    )
    assert len(_node_proofs(both)) == 2
    results = verify_proofs(both)
    assert [r.verified for r in results] == [True, True], [r.error for r in results]
    assert {r.cryptosuite for r in results} == {RDFC, JCS}


def test_node_verifies_a_proof_set_mixing_node_and_mcbadge_proofs(node_worker: NodeWorker) -> None:
    """Node signs with eddsa-rdfc-2022, mcbadge adds an eddsa-jcs-2022 proof: both check both."""
    key = _fixed_key()
    theirs = _node_sign(node_worker, _fixed_credential(key), key, RDFC, CREATED)
    mixed = issue(theirs, key, cryptosuite=JCS, created=CREATED)
    assert [p["cryptosuite"] for p in mixed["proof"]] == [RDFC, JCS]
    _assert_node_accepts(node_worker, mixed)
    _assert_mcbadge_accepts(mixed)


@pytest.mark.parametrize(
    "created",
    ["2025-01-02T03:04:05.123Z", "2025-01-02T04:04:05+01:00", "1999-12-31T23:59:59Z"],
)
@pytest.mark.parametrize("cryptosuite", SUITES)
def test_created_is_signed_verbatim_by_both_sides(
    node_worker: NodeWorker, cryptosuite: CryptosuiteName, created: str
) -> None:
    key = _fixed_key()
    _assert_same_signature_both_ways(node_worker, _fixed_credential(key), key, cryptosuite, created)


# --- 3. canonical forms ----------------------------------------------------------------------


@_SETTINGS
@given(case=signing_cases())
def test_canonical_forms_of_generated_microcredentials_match_jsonld_js(
    node_worker: NodeWorker, case: SigningCase
) -> None:
    _assert_same_nquads(node_worker, case.credential)
    assert jcs(case.credential).decode("utf-8") == node_worker.call("jcs", value=case.credential)


def _with_achievement(key: KeyPair, **members: Any) -> dict[str, Any]:
    credential = _fixed_credential(key)
    credential["credentialSubject"]["achievement"].update(members)
    return credential


_C0 = "".join(chr(code) for code in range(0x20))

HARD_TEXTS: dict[str, str] = {
    "every-c0-control-character": f"a{_C0}z",
    "del-u007f": "before\x7fafter",
    "next-line-u0085": "before\x85after",
    "line-and-paragraph-separators": "one\u2028two\u2029three",
    "lone-combining-mark": "\u0301",
    "combining-vs-precomposed": "e\u0301 \u00e9",
    "emoji-and-astral": "😀 𝄞 \U0001f468\u200d\U0001f469\u200d\U0001f467 \U0010ffff",
    "quotes-and-backslashes": 'say "hi" \\ \\u0041 \\n',
    "bom-and-noncharacters": "\ufeff\ufffe\uffff",
    "markdown-crlf-tabs": "# Kop\r\n\r\n| a\t| b |\n|---|---|\n* **vet** _schuin_ `code`",
    "100k-characters": "ab\u00e9\U0001f600\t" * 20_000,
}


@pytest.mark.parametrize("text", HARD_TEXTS.values(), ids=HARD_TEXTS.keys())
def test_hard_texts_canonicalize_and_sign_identically(node_worker: NodeWorker, text: str) -> None:
    key = _fixed_key()
    credential = _with_achievement(key, name=text, description=text)
    _assert_same_nquads(node_worker, credential)
    for cryptosuite in SUITES:
        _assert_same_signature_both_ways(node_worker, credential, key, cryptosuite, CREATED)


# creditsAvailable is xsd:float in the OB3 context; a JSON reader in JavaScript cannot tell
# 5.0 from 5, so an integral Python float must canonicalize like the integer.
CREDITS: dict[str, float | int] = {
    "integral-float-5.0": 5.0,
    "integer-5": 5,
    "integral-float-30.0": 30.0,
    "7.5": 7.5,
    "0.1": 0.1,
    "1e21": 1e21,
    "1e-5": 1e-5,
    "1e-6": 1e-6,
    "negative-zero": -0.0,
    "integral-float-2**53-1": float(2**53 - 1),
    "largest-double": 1.7976931348623157e308,
}


@pytest.mark.parametrize("credits", CREDITS.values(), ids=CREDITS.keys())
def test_numbers_canonicalize_and_sign_identically(
    node_worker: NodeWorker, credits: float | int
) -> None:
    key = _fixed_key()
    credential = _with_achievement(key, creditsAvailable=credits)
    credential["credentialSubject"]["creditsEarned"] = credits
    _assert_same_nquads(node_worker, credential)
    for cryptosuite in SUITES:
        _assert_same_signature_both_ways(node_worker, credential, key, cryptosuite, CREATED)


def test_node_signed_integral_float_above_2_53_comes_back_as_an_unsafe_integer(
    node_worker: NodeWorker,
) -> None:
    """JSON.stringify(2**60) is the integer token 1152921504606847000, not 1.152921504606847e18.

    Python reads it as an int that JavaScript cannot hold exactly, so mcbadge refuses to verify
    it (typed error), although both sides sign the same value when it travels as a float.
    """
    key = _fixed_key()
    credential = _with_achievement(key, creditsAvailable=2.0**60)
    ours = issue(credential, key, created=CREATED)
    _assert_node_accepts(node_worker, ours)
    theirs = _node_sign(node_worker, credential, key, RDFC, CREATED)
    assert theirs["credentialSubject"]["achievement"]["creditsAvailable"] == 1152921504606847000
    (result,) = verify_proofs(theirs)
    assert result.verified is False
    assert isinstance(result.error, StrictJsonLdError)
    assert _node_proofs(theirs)[0]["proofValue"] == ours["proof"][0]["proofValue"]


def test_integral_float_canonicalizes_as_the_integer(node_worker: NodeWorker) -> None:
    key = _fixed_key()
    as_float = _with_achievement(key, creditsAvailable=5.0)
    as_int = _with_achievement(key, creditsAvailable=5)
    assert _mcbadge_nquads(as_float) == _mcbadge_nquads(as_int)
    assert f'{OB3_CREDITS_AVAILABLE} "5"^^<{OB3_XSD}float>' in _node_nquads(node_worker, as_float)
    assert jcs(as_float) == jcs(as_int)
    signed_float = issue(as_float, key, created=CREATED)
    signed_int = issue(as_int, key, created=CREATED)
    assert signed_float["proof"] == signed_int["proof"]


def test_tiny_fraction_is_refused_because_jsonld_js_signs_zero(node_worker: NodeWorker) -> None:
    key = _fixed_key()
    credential = _with_achievement(key, creditsAvailable=1e-7)
    assert f'{OB3_CREDITS_AVAILABLE} "0"^^<{OB3_XSD}float>' in _node_nquads(node_worker, credential)
    for cryptosuite in SUITES:
        with pytest.raises(StrictJsonLdError) as caught:
            issue(credential, key, cryptosuite=cryptosuite, created=CREATED)
        assert [p["kind"] for p in caught.value.problems] == ["unsafe_number"]


def test_unsafe_integer_is_refused_because_javascript_rounds_it(node_worker: NodeWorker) -> None:
    key = _fixed_key()
    credential = _with_achievement(key, creditsAvailable=2**53 + 1)
    # JavaScript reads 9007199254740993 as 9007199254740992: a different number gets signed
    assert '"9007199254740992"^^' in _node_nquads(node_worker, credential)
    with pytest.raises(StrictJsonLdError) as caught:
        issue(credential, key, created=CREATED)
    assert [p["kind"] for p in caught.value.problems] == ["unsafe_number"]


def _numbers_document(**members: Any) -> dict[str, Any]:
    """A VC whose subject carries numbers under an untyped and an xsd:double term."""
    vocab = "https://example.org/vocab#"
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            {
                "plain": f"{vocab}plain",
                "double": {"@id": f"{vocab}double", "@type": f"{XSD}double"},
            },
        ],
        "id": "urn:uuid:9f3c0d2e-1b7a-4c55-8e0f-5d6a7b8c9d0e",
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "credentialSubject": {"id": "did:example:subject", **members},
    }


def _json_number_is_portable(value: float) -> bool:
    """What mcbadge signs: not the tiny fractions that jsonld.js turns into "0"."""
    return value.is_integer() or abs(value) >= 1e-6


@settings(_SETTINGS, max_examples=150)
@given(
    value=st.floats(allow_nan=False, allow_infinity=False),
)
def test_any_float_canonicalizes_like_jsonld_js_or_is_refused(
    node_worker: NodeWorker, value: float
) -> None:
    document = _numbers_document(plain=value, double=value)
    if _json_number_is_portable(value):
        _assert_same_nquads(node_worker, document)
    else:
        with pytest.raises(StrictJsonLdError):
            _mcbadge_nquads(document)
    assert jcs(document).decode("utf-8") == node_worker.call("jcs", value=document)


@settings(_SETTINGS, max_examples=100)
@given(text=st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=60))
def test_any_text_canonicalizes_like_jsonld_js(node_worker: NodeWorker, text: str) -> None:
    document = _numbers_document()
    document["name"] = text
    document["description"] = text[::-1]
    _assert_same_nquads(node_worker, document)
    assert jcs(document).decode("utf-8") == node_worker.call("jcs", value=document)


def test_undefined_term_is_refused_by_both_sides(node_worker: NodeWorker) -> None:
    key = _fixed_key()
    credential = _with_achievement(key, creditsAvailible=5)  # sic: the typo is the point
    with pytest.raises(StrictJsonLdError) as caught:
        issue(credential, key, created=CREATED)
    assert "creditsAvailible" in str(caught.value)
    with pytest.raises(NodeWorkerError, match="Safe mode validation error"):
        node_worker.call("canonize", document=credential)


def test_negative_zero_double_canonicalizes_like_jsonld_js(node_worker: NodeWorker) -> None:
    """(-0).toExponential() has no sign in JavaScript: "0.0E0", not XSD's "-0.0E0"."""
    _assert_same_nquads(node_worker, _numbers_document(double=-0.0))


# --- 4. tampering ----------------------------------------------------------------------------


def _leaf_paths(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """Paths to every string / number leaf, skipping ``@context`` and ``proof``."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in ("@context", "proof"):
                yield from _leaf_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaf_paths(item, (*path, index))
    elif isinstance(value, str | int | float) and not isinstance(value, bool):
        yield path


def _tampered(document: dict[str, Any], path: tuple[str | int, ...]) -> dict[str, Any]:
    out = copy.deepcopy(document)
    parent: Any = out
    for part in path[:-1]:
        parent = parent[part]
    old = parent[path[-1]]
    parent[path[-1]] = old + "x" if isinstance(old, str) else old + 1
    return out


@pytest.mark.parametrize("cryptosuite", SUITES)
@_SMALL_SETTINGS
@given(case=signing_cases(), data=st.data())
def test_node_rejects_a_mcbadge_signed_credential_changed_in_one_field(
    node_worker: NodeWorker, cryptosuite: CryptosuiteName, case: SigningCase, data: st.DataObject
) -> None:
    signed = issue(case.credential, case.key, cryptosuite=cryptosuite, created=case.created)
    _assert_node_accepts(node_worker, signed)  # so the failure below is the tampering
    path = data.draw(st.sampled_from(sorted(_leaf_paths(signed), key=repr)), label="path")
    result = _node_verifies(node_worker, _tampered(signed, path))
    assert result["verified"] is False


@pytest.mark.parametrize("cryptosuite", SUITES)
@_SMALL_SETTINGS
@given(case=signing_cases(), data=st.data())
def test_mcbadge_rejects_a_node_signed_credential_changed_in_one_field(
    node_worker: NodeWorker, cryptosuite: CryptosuiteName, case: SigningCase, data: st.DataObject
) -> None:
    signed = _node_sign(node_worker, case.credential, case.key, cryptosuite, case.created)
    _assert_mcbadge_accepts(signed)
    path = data.draw(st.sampled_from(sorted(_leaf_paths(signed), key=repr)), label="path")
    (result,) = verify_proofs(_tampered(signed, path))
    assert result.verified is False
    assert result.error is not None


@pytest.mark.parametrize("cryptosuite", SUITES)
@pytest.mark.parametrize("member", ["created", "verificationMethod", "proofPurpose"])
def test_a_changed_proof_option_fails_on_the_other_side(
    node_worker: NodeWorker, cryptosuite: CryptosuiteName, member: str
) -> None:
    key = _fixed_key()
    credential = _fixed_credential(key)
    changes = {
        "created": "2025-01-02T03:04:06Z",
        "verificationMethod": KeyPair.from_seed(bytes(32)).did_key_verification_method,
        "proofPurpose": "authentication",
    }
    ours = issue(credential, key, cryptosuite=cryptosuite, created=CREATED)
    ours["proof"][0][member] = changes[member]
    assert _node_verifies(node_worker, ours)["verified"] is False

    theirs = _node_sign(node_worker, credential, key, cryptosuite, CREATED)
    _node_proofs(theirs)[0][member] = changes[member]
    (result,) = verify_proofs(theirs)
    assert result.verified is False


def test_jcs_proof_context_is_written_and_required_by_both_sides(node_worker: NodeWorker) -> None:
    """eddsa-jcs-2022 proofs carry the document @context (vc-di-eddsa §3.3.1) and it is signed."""
    key = _fixed_key()
    credential = _fixed_credential(key)
    ours = issue(credential, key, cryptosuite=JCS, created=CREATED)
    assert ours["proof"][0]["@context"] == credential["@context"]
    del ours["proof"][0]["@context"]
    assert _node_verifies(node_worker, ours)["verified"] is False

    theirs = _node_sign(node_worker, credential, key, JCS, CREATED)
    del _node_proofs(theirs)[0]["@context"]
    (result,) = verify_proofs(theirs)
    assert result.verified is False
