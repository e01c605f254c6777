"""mcbadge.jsonld.fastrdf: the JSON-LD -> RDF fast path, its declines, and its use on the hot path.

Equivalence with pyld on real and generated documents is in
``tests/conformance/test_fastrdf_differential.py``; here are the behaviours one by one.
"""

from __future__ import annotations

import copy
import threading
from typing import Any

import pytest

from mcbadge.canon import canonicalize_pyld_dataset
from mcbadge.errors import StrictJsonLdError
from mcbadge.jsonld import fastctx, fastrdf
from mcbadge.jsonld.loader import DocumentLoader
from mcbadge.jsonld.strict import check_strict, strict_problems, to_rdf_dataset
from mcbadge.keys import KeyPair
from mcbadge.proofs import add_proof, get_cryptosuite, verify_proofs

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
VOCAB = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def achievement(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "@context": [VC_V2, OB3],
        "id": "https://example.org/achievements/1",
        "type": ["Achievement"],
        "name": "Data Privacy",
        "achievementType": "MicroCredential",
        "creditsAvailable": 5,
    }
    doc.update(changes)
    return doc


def credential() -> dict[str, Any]:
    return {
        "@context": [VC_V2, OB3],
        "id": "urn:uuid:8d2a5b4e-2f0b-4a3c-9a51-3b1f0e4f6c11",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "https://example.org/issuers/1", "type": ["Profile"], "name": "HS"},
        "validFrom": "2024-09-01T00:00:00Z",
        "name": "Data Privacy",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": achievement(),
        },
    }


def pyld_nquads(doc: dict[str, Any]) -> str:
    return canonicalize_pyld_dataset(to_rdf_dataset(doc)).nquads


def fast_nquads(doc: dict[str, Any]) -> str:
    result = fastrdf.canonicalize(doc)
    assert result is not None, fastrdf.explain(doc)
    return result.nquads


# --- what it emits ----------------------------------------------------------------------------


def test_fastrdf_emits_type_scoped_terms_as_pyld_does() -> None:
    doc = achievement()
    assert fast_nquads(doc) == pyld_nquads(doc)
    quads = fastrdf.rdf_quads(doc)
    assert isinstance(quads, list)
    subject = "<https://example.org/achievements/1>"
    assert (subject, f"<{RDF}type>", f"<{VOCAB}Achievement>", "") in quads
    assert (subject, f"<{VOCAB}achievementType>", '"MicroCredential"', "") in quads
    float_dt = "<https://www.w3.org/2001/XMLSchema#float>"  # sic: https in the OB3 context
    assert (subject, f"<{VOCAB}creditsAvailable>", f'"5"^^{float_dt}', "") in quads


def test_fastrdf_reverts_type_scoped_context_in_nested_nodes() -> None:
    # `achievementType` is defined by Achievement's type-scoped context only: inside a nested
    # Criteria node it is undefined again (pyld flags it, the fast path declines as strict)
    doc = achievement(criteria={"narrative": "x", "achievementType": "Course"})
    decline = fastrdf.explain(doc)
    assert decline is not None and decline.strict
    with pytest.raises(StrictJsonLdError, match="achievementType"):
        check_strict(doc)


def test_fastrdf_puts_each_proof_in_its_own_named_graph() -> None:
    doc = credential()
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2024-09-01T00:00:00Z",
        "verificationMethod": "did:example:issuer#key-1",
        "proofPurpose": "assertionMethod",
        "proofValue": "z5Ts",
    }
    doc["proof"] = [proof, {**proof, "id": "urn:uuid:proof-2"}]
    quads = fastrdf.rdf_quads(doc)
    assert isinstance(quads, list)
    graphs = {q[3] for q in quads} - {""}
    assert len(graphs) == 2
    assert all(g.startswith("_:") for g in graphs)
    in_graphs = [q for q in quads if q[3]]
    purpose = "<https://w3id.org/security#assertionMethod>"
    assert sum(q[2] == purpose for q in in_graphs) == 2
    assert fast_nquads(doc) == pyld_nquads(doc)


def test_fastrdf_writes_list_containers_as_rdf_collections() -> None:
    description = {
        "@context": [VC_V2, OB3],
        "id": "https://example.org/rd/1",
        "type": "ResultDescription",
        "name": "Grade",
        "resultType": "LetterGrade",
        "allowedValue": ["A", "B", "C"],
    }
    assert fast_nquads(description) == pyld_nquads(description)
    quads = fastrdf.rdf_quads(description)
    assert isinstance(quads, list)
    assert sum(q[1] == f"<{RDF}first>" for q in quads) == 3
    empty = {**description, "allowedValue": []}
    assert f"<{VOCAB}allowedValue> <{RDF}nil>" in fast_nquads(empty)
    assert fast_nquads(empty) == pyld_nquads(empty)


def test_fastrdf_handles_value_objects_and_language_tags() -> None:
    doc = achievement(
        name={"@value": "Gegevensbescherming", "@language": "NL"},
        description={"@value": "12", "@type": "http://www.w3.org/2001/XMLSchema#integer"},
    )
    nquads = fast_nquads(doc)
    assert '"Gegevensbescherming"@nl' in nquads
    assert nquads == pyld_nquads(doc)


def test_fastrdf_escapes_control_characters_as_rdfc10() -> None:
    doc = achievement(name="tab\tbell\x07nul\x00del\x7f")
    nquads = fast_nquads(doc)
    assert '"tab\\tbell\\u0007nul\\u0000del\\u007F"' in nquads
    assert nquads == pyld_nquads(doc)


def test_fastrdf_does_not_modify_its_input() -> None:
    doc = credential()
    before = copy.deepcopy(doc)
    fastrdf.canonicalize(doc)
    assert doc == before


# --- declines ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("doc", "reason"),
    [
        ({"@context": {"name": "https://schema.org/name"}, "name": "x"}, "inline @context"),
        (achievement(**{"@reverse": {"name": "x"}}), "@reverse"),
        (achievement(name={"@list": ["x"]}), "@list"),
        (achievement(id="_:b0"), "blank node"),
        (achievement(name={"@value": "x", "@direction": "ltr"}), "@direction"),
        ([achievement()], "not a JSON object"),
        ({"@context": [VC_V2], "@graph": [achievement()]}, "@graph"),
    ],
    ids=["inline-context", "reverse", "list-object", "bnode-id", "direction", "array", "graph"],
)
def test_fastrdf_declines_what_it_does_not_handle(doc: Any, reason: str) -> None:
    decline = fastrdf.explain(doc)
    assert decline is not None
    assert reason in decline.reason
    assert not decline.strict
    assert fastrdf.canonicalize(doc) is None
    assert fastrdf.proves_strict(doc) is False


@pytest.mark.parametrize(
    "changes",
    [
        {"colour": "blue"},
        {"id": "relative/achievement"},
        {"type": ["Achievement", "Bogus"]},
        {"image": "badge.png"},
        {"creditsAvailable": 2**53 + 1},
        {"creditsAvailable": 1e-9},
        {"creditsAvailable": float("nan")},
        {"@foo": "x"},
    ],
    ids=["undefined", "relative-id", "relative-type", "relative-value", "big", "tiny", "nan", "kw"],
)
def test_fastrdf_declines_strict_problems_and_pyld_reports_them(changes: dict[str, Any]) -> None:
    doc = achievement(**changes)
    decline = fastrdf.explain(doc)
    assert decline is not None and decline.strict
    assert strict_problems(doc)  # the full list comes from pyld
    with pytest.raises(StrictJsonLdError):
        get_cryptosuite("eddsa-rdfc-2022").canonicalize(doc, loader=None)


def test_fastrdf_declines_a_context_that_cannot_load_and_pyld_raises() -> None:
    doc = {"@context": ["https://example.org/unknown-context"], "name": "x"}
    decline = fastrdf.explain(doc)
    assert decline is not None and "context processing failed" in decline.reason
    with pytest.raises(Exception, match="unknown-context"):
        check_strict(doc)


def test_fastrdf_declines_a_plain_loader_function() -> None:
    loader = DocumentLoader()

    def plain(url: str, options: Any) -> dict[str, Any]:
        return loader(url, options)

    assert fastrdf.rdf_quads(achievement(), loader=plain) == fastrdf.Decline(  # type: ignore[arg-type]
        "a custom loader function (only DocumentLoader caches contexts)"
    )
    check_strict(achievement(), loader=plain)  # pyld still does the work


def test_pyld_only_turns_the_fast_path_off() -> None:
    assert fastrdf.is_enabled()
    with fastrdf.pyld_only():
        assert not fastrdf.is_enabled()
        assert fastrdf.canonicalize(achievement()) is None
        assert fastrdf.proves_strict(achievement()) is False
    assert fastrdf.canonicalize(achievement()) is not None


def test_fastrdf_caches_stay_bounded_for_documents_with_many_keys() -> None:
    loader = DocumentLoader(
        extra_documents={"https://example.org/vocab": {"@context": {"@vocab": "urn:v:"}}}
    )
    for batch in range(5):
        doc = {"@context": "https://example.org/vocab", "id": "urn:x"}
        doc.update({f"k{batch}_{i}": i for i in range(1000)})
        assert not isinstance(fastrdf.rdf_quads(doc, loader=loader), fastrdf.Decline)
    state = fastctx._states[loader]
    for _, ctx in state.interned.values():
        assert len(ctx._keys) <= fastctx._MAX_KEYS_PER_CONTEXT
        assert len(ctx._probes) <= fastctx._MAX_KEYS_PER_CONTEXT


def test_fastrdf_gives_the_same_result_from_many_threads() -> None:
    loader = DocumentLoader()  # fresh caches, built concurrently
    doc = credential()
    expected = pyld_nquads(doc)
    results: list[str | None] = []

    def work() -> None:
        for _ in range(20):
            result = fastrdf.canonicalize(doc, loader=loader)
            results.append(None if result is None else result.nquads)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 80


# --- on the signing hot path ---------------------------------------------------------------------


def test_signatures_are_identical_with_and_without_the_fast_path() -> None:
    key = KeyPair.from_seed(bytes(range(32)))
    key = key.with_verification_method(key.did_key_verification_method)
    fast = add_proof(credential(), key, created="2024-09-01T00:00:00Z")
    with fastrdf.pyld_only():
        slow = add_proof(credential(), key, created="2024-09-01T00:00:00Z")
        assert all(r.verified for r in verify_proofs(fast))
    assert fast == slow
    assert all(r.verified for r in verify_proofs(slow))


def test_verify_canonicalizes_the_document_once_for_a_proof_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key = KeyPair.generate("Ed25519")
    key = key.with_verification_method(key.did_key_verification_method)
    signed = add_proof(credential(), key, created="2024-09-01T00:00:00Z")
    signed = add_proof(signed, key, created="2024-09-02T00:00:00Z")
    calls: list[str] = []
    real = fastrdf.canonicalize

    def spy(document: Any, **kwargs: Any) -> Any:
        calls.append("proof options" if "proofPurpose" in document else "document")
        return real(document, **kwargs)

    monkeypatch.setattr(fastrdf, "canonicalize", spy)
    from mcbadge.proofs import data_integrity

    data_integrity._PROOF_HASHES.clear()  # signing above cached the proof options' hashes
    results = verify_proofs(signed)
    assert [r.verified for r in results] == [True, True]
    assert calls.count("document") == 1
    assert calls.count("proof options") == 2
    calls.clear()
    assert [r.verified for r in verify_proofs(signed)] == [True, True]
    assert calls == ["document"]  # the proof options' hashes are remembered


def test_tampered_document_fails_verification_on_the_fast_path() -> None:
    key = KeyPair.generate("Ed25519")
    key = key.with_verification_method(key.did_key_verification_method)
    signed = add_proof(credential(), key)
    signed["credentialSubject"]["achievement"]["creditsAvailable"] = 6
    (result,) = verify_proofs(signed)
    assert not result.verified
    assert result.error is not None and result.error.code == "signature_invalid"


def test_recent_walks_are_reused_only_for_the_same_content() -> None:
    """verify() walks the unsecured credential twice (safe mode, then the proof hash): the
    second walk is the first one's result, but only for a document equal in value and type."""
    from mcbadge.jsonld import fastrdf

    doc = {
        "@context": "https://www.w3.org/ns/credentials/v2",
        "id": "urn:x",
        "type": ["VerifiableCredential"],
        "name": "Jan",
    }
    first = fastrdf.rdf_quads(doc)
    assert fastrdf.rdf_quads(dict(doc)) == first
    changed = {**doc, "name": "Piet"}
    assert fastrdf.rdf_quads(changed) != first  # new content: a new walk
    doc["name"] = "Piet"  # the same object, mutated after its walk was kept
    assert fastrdf.rdf_quads(doc) == fastrdf.rdf_quads(changed)
    as_tuple = {**doc, "type": ("VerifiableCredential",)}  # not JSON: never a hit
    fastrdf._recent.clear()
    fresh = fastrdf.rdf_quads(as_tuple)
    fastrdf.rdf_quads(changed)
    assert fastrdf.rdf_quads(as_tuple) == fresh


def _walks(doc: dict[str, Any]) -> tuple[Any, Any, Any]:
    """The walk without remembered subtrees, then twice with them (filling, then replaying)."""
    results = []
    for enabled in (False, True, True):
        fastrdf._recent.clear()  # the whole-document cache would answer for the subtrees
        fastrdf._subtrees_enabled = enabled
        try:
            results.append(fastrdf.rdf_quads(doc))
        finally:
            fastrdf._subtrees_enabled = True
    return results[0], results[1], results[2]


def _same_walk(doc: dict[str, Any]) -> list[Any]:
    plain, first, replayed = _walks(doc)
    assert first == plain
    assert replayed == plain
    assert isinstance(plain, list)
    return plain


def test_remembered_subtrees_replay_exactly_what_walking_gives() -> None:
    """A cohort's credentials share their achievement and issuer: those subtrees are replayed,
    quad for quad and label for label, also when they start at another blank node."""
    fastctx._state_for(fastrdf.default_loader()).subtrees.clear()
    doc = credential()
    doc["credentialSubject"]["achievement"]["alignment"] = [
        {"type": ["Alignment"], "targetName": f"outcome {n}", "targetUrl": f"https://x.nl/{n}"}
        for n in range(3)
    ]
    _same_walk(doc)
    shifted = copy.deepcopy(doc)  # one more blank node before the achievement
    identifier = {"type": "IdentityObject", "identityHash": "Jan", "identityType": "name"}
    shifted["credentialSubject"] = {"identifier": [identifier], **doc["credentialSubject"]}
    quads = _same_walk(shifted)
    assert len(quads) > len(_same_walk(doc))


def test_a_subtree_embedded_twice_gets_its_own_blank_nodes_each_time() -> None:
    doc = credential()
    subject = doc["credentialSubject"]
    doc["credentialSubject"] = [subject, copy.deepcopy(subject)]  # two equal blank nodes
    quads = _same_walk(doc)
    subjects = {o for s, p, o, g in quads if p.endswith("credentialSubject>")}
    assert len(subjects) == 2  # replaying the first one's labels would have merged them


def test_a_remembered_subtree_is_not_replayed_under_another_document_id() -> None:
    """Whether an embedded node may carry an @id depends on the document's own id."""
    inner_id = "https://example.org/achievements/1"
    doc = credential()
    _same_walk(doc)
    same_id = copy.deepcopy(doc)
    same_id["id"] = inner_id  # now the embedded achievement has the document's own id
    plain, first, replayed = _walks(same_id)
    assert isinstance(plain, fastrdf.Decline) and plain.strict
    assert first == plain and replayed == plain


def test_remembered_subtrees_stay_bounded() -> None:
    state = fastctx._state_for(fastrdf.default_loader())
    for n in range(fastrdf._SUBTREES_MAX * 3):
        doc = credential()
        doc["credentialSubject"]["achievement"]["name"] = f"unit {n}"
        _same_walk(doc)
        assert len(state.subtrees) <= fastrdf._SUBTREES_MAX


def test_forget_remembered_empties_every_memory() -> None:
    from mcbadge.canon import rdfc

    _same_walk(credential())
    fastrdf.canonicalize(credential())
    state = fastctx._state_for(fastrdf.default_loader())
    assert state.subtrees and fastrdf._recent and rdfc._FIRST_DEGREE
    fastrdf._forget_remembered()
    assert not state.subtrees and not fastrdf._recent and not rdfc._FIRST_DEGREE
