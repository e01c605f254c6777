"""The canonicalization traps of DESIGN.md §6, each against the digitalbazaar stack.

For every trap: either mcbadge and Node verify each other's credential (same signature both
ways), or mcbadge refuses to sign it with a typed error that says why -- and the test shows
that Node canonicalizes it differently (or refuses it too), so refusing is what keeps a
signed credential verifiable everywhere.
"""

from __future__ import annotations

import copy
from typing import Any, Final

import pytest

from mcbadge.errors import CanonicalizationError, McBadgeError, StrictJsonLdError
from mcbadge.issue import issue
from mcbadge.keys import KeyPair
from tests.interop.conftest import NodeWorker, NodeWorkerError
from tests.interop.test_interop_signing import (
    CREATED,
    RDFC,
    _assert_node_accepts,
    _assert_same_signature_both_ways,
    _mcbadge_nquads,
    _node_nquads,
)

pytestmark = pytest.mark.interop

VOCAB: Final = "https://example.org/vocab#"
XSD_DOUBLE: Final = "http://www.w3.org/2001/XMLSchema#double"


def _key() -> KeyPair:
    return KeyPair.from_seed(bytes(range(40, 72)))


def _credential(**members: Any) -> dict[str, Any]:
    """A VC 2.0 credential issued by the test key, with extra subject members."""
    key = _key()
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            {
                "plain": f"{VOCAB}plain",
                "double": {"@id": f"{VOCAB}double", "@type": XSD_DOUBLE},
                "link": {"@id": f"{VOCAB}link", "@type": "@id"},
            },
        ],
        "id": "urn:uuid:4c2e0b9a-6d1f-4e8a-9b3c-7a5d2e1f0c8b",
        "type": ["VerifiableCredential"],
        "issuer": key.did_key,
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner", **members},
    }


def _refused(credential: dict[str, Any], error: type[McBadgeError]) -> McBadgeError:
    for cryptosuite in (RDFC,):
        with pytest.raises(error) as caught:
            issue(credential, _key(), cryptosuite=cryptosuite, created=CREATED)
    assert caught.value.message, "a refusal must say why"
    return caught.value


def _kinds(error: McBadgeError) -> list[str]:
    return [p["kind"] for p in getattr(error, "problems", [])]


# --- UTF-16 code units vs code points --------------------------------------------------------


def test_astral_meeting_high_bmp_sorts_differently_in_node_and_is_refused(
    node_worker: NodeWorker,
) -> None:
    credential = _credential(plain=["\uff21", "\U0001f600"])  # FULLWIDTH A, GRINNING FACE
    ours, theirs = _mcbadge_nquads(credential), _node_nquads(node_worker, credential)
    assert sorted(ours.splitlines()) == sorted(theirs.splitlines())
    assert ours != theirs  # same statements, other order: the signatures would differ
    error = _refused(credential, StrictJsonLdError)
    assert _kinds(error) == ["canonical_order_differs"]
    assert "U+1F600" in error.message and "U+FF21" in error.message


@pytest.mark.parametrize(
    "texts",
    [["\U0001f600", "a", "\u00e9"], ["\uff21", "\ufffd", "z"]],
    ids=["astral-only", "high-bmp-only"],
)
def test_either_kind_alone_signs_identically_both_ways(
    node_worker: NodeWorker, texts: list[str]
) -> None:
    credential = _credential(plain=texts)
    # (an RDF trap: eddsa-jcs-2022 signs RFC 8785 JSON, which sorts keys by UTF-16 itself)
    _assert_same_signature_both_ways(node_worker, credential, _key(), RDFC, CREATED)


# --- a string @value typed xsd:double --------------------------------------------------------


@pytest.mark.parametrize("value", ["abc", "1_000", "1e3x", " 5", "Infinity", "0x10"])
def test_a_string_that_readers_parse_differently_as_a_double_is_refused(
    node_worker: NodeWorker, value: str
) -> None:
    credential = _credential(double=value)
    ours_ok = True
    try:
        theirs = _node_nquads(node_worker, credential)
    except NodeWorkerError:
        ours_ok = False
        theirs = ""
    error = _refused(credential, StrictJsonLdError)
    assert "double_string" in _kinds(error)
    if ours_ok and value in ("abc", "1_000"):
        # what Node would sign is not the string the issuer wrote (NaN, 1)
        assert f'"{value}"^^<{XSD_DOUBLE}>' not in theirs
    as_value_object = _credential(double={"@value": value, "@type": XSD_DOUBLE})
    assert "double_string" in _kinds(_refused(as_value_object, StrictJsonLdError))


@pytest.mark.parametrize("value", ["1e3", "5", "-0.25", "7.5E-3"])
def test_a_plain_number_string_as_a_double_signs_identically(
    node_worker: NodeWorker, value: str
) -> None:
    _assert_same_signature_both_ways(node_worker, _credential(double=value), _key(), RDFC, CREATED)


# --- U+FEFF (and other JavaScript white space) in an IRI ------------------------------------


@pytest.mark.parametrize("char", ["\ufeff", "\u00a0", "\u2028", "\u3000"])
def test_javascript_white_space_in_an_iri_is_refused_by_both(
    node_worker: NodeWorker, char: str
) -> None:
    credential = _credential(link=f"https://example.org/a{char}b")
    with pytest.raises(NodeWorkerError):  # jsonld.js safe mode: not a valid IRI
        _node_nquads(node_worker, credential)
    # refused before signing: as a relative IRI by the safe-mode check (pyld's IRI rule), or
    # by the N-Quads writer (U+FEFF, which Python does not count as white space)
    error = _refused(credential, McBadgeError)
    assert isinstance(error, StrictJsonLdError | CanonicalizationError)
    assert "https://example.org/a" in error.message


# --- an empty object in a @graph container ---------------------------------------------------


def test_an_empty_object_in_a_graph_container_is_refused_by_both(node_worker: NodeWorker) -> None:
    key = _key()
    presentation = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "holder": key.did_key,
        "verifiableCredential": [{}],
    }
    with pytest.raises(NodeWorkerError):
        _node_nquads(node_worker, presentation)
    from mcbadge.proofs import add_proof

    holder = key.with_verification_method(key.did_key_verification_method)
    with pytest.raises(StrictJsonLdError) as caught:
        add_proof(presentation, holder, proof_purpose="authentication", created=CREATED)
    assert _kinds(caught.value) == ["graph_empty_object"]
    # the same for a credential whose embedded endorsement carries an empty proof object
    credential = _credential()
    credential["proof"] = [{}]
    with pytest.raises(McBadgeError):
        issue(credential, key, created=CREATED)


# --- the same statement twice ----------------------------------------------------------------


def test_the_same_literal_made_twice_is_written_twice_by_node_and_refused(
    node_worker: NodeWorker,
) -> None:
    credential = _credential(double=[1, "1"])  # two JSON values, one RDF literal
    theirs = _node_nquads(node_worker, credential)
    line = f'<did:example:learner> <{VOCAB}double> "1.0E0"^^<{XSD_DOUBLE}> .'
    assert theirs.splitlines().count(line) == 2
    assert _mcbadge_nquads(credential).splitlines().count(line) == 1
    error = _refused(credential, StrictJsonLdError)
    assert _kinds(error) == ["duplicate_statement"]


def test_the_same_json_value_twice_signs_identically(node_worker: NodeWorker) -> None:
    credential = _credential(plain=["x", "x"])
    assert _mcbadge_nquads(credential) == _node_nquads(node_worker, credential)
    _assert_same_signature_both_ways(node_worker, credential, _key(), RDFC, CREATED)


# --- control characters and odd floats (the wider sweeps are in test_interop_signing) -------


def test_control_characters_sign_identically_both_ways(node_worker: NodeWorker) -> None:
    text = "a\x00\x01\x07\x08\t\n\x0b\x0c\r\x1b\x1f\x7f\x85z"
    _assert_same_signature_both_ways(node_worker, _credential(plain=text), _key(), RDFC, CREATED)


def test_odd_floats_are_refused_or_sign_identically(node_worker: NodeWorker) -> None:
    tiny = _credential(plain=1e-7)  # jsonld.js writes "0"
    assert _kinds(_refused(tiny, StrictJsonLdError)) == ["unsafe_number"]
    huge = _credential(plain=2**53 + 1)  # JavaScript rounds it
    assert _kinds(_refused(huge, StrictJsonLdError)) == ["unsafe_number"]
    for value in (0.1, 1e21, 1.5e-6, 123456.789):
        credential = _credential(plain=value, double=value)
        ours = issue(copy.deepcopy(credential), _key(), created=CREATED)
        _assert_node_accepts(node_worker, ours)
        _assert_same_signature_both_ways(node_worker, credential, _key(), RDFC, CREATED)
