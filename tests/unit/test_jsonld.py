"""mcbadge.jsonld: expansion, RDF conversion, the strict (safe-mode) check and error wrapping."""

from __future__ import annotations

import copy
import json
import socket
import sys
from pathlib import Path
from typing import Any

import pytest

from mcbadge.errors import (
    InvalidContextError,
    InvalidInputError,
    JsonLdError,
    NetworkNotAllowedError,
    StrictJsonLdError,
)
from mcbadge.jsonld.loader import DocumentLoader
from mcbadge.jsonld.processor import check_context
from mcbadge.jsonld.strict import check_strict, expand, strict_problems, to_rdf_dataset
from mcbadge.jsonld.urls import EDUCREDENTIAL_CONTEXT_URL, OB3_CONTEXT_3_0_3_URL, VC_V2_CONTEXT_URL
from tests.pinned import pinned_reference_files, seed_pinned_cache

OB3 = [VC_V2_CONTEXT_URL, OB3_CONTEXT_3_0_3_URL]
VOCAB = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#"


def credential(**changes: Any) -> dict[str, Any]:
    """A small valid OB3 credential; keyword arguments replace top-level entries."""
    doc: dict[str, Any] = {
        "@context": list(OB3),
        "id": "urn:uuid:8d2a5b4e-2f0b-4a3c-9a51-3b1f0e4f6c11",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "https://hs-voorbeeld.nl/issuers/1", "type": ["Profile"], "name": "HS"},
        "validFrom": "2024-09-01T00:00:00Z",
        "name": "Data Privacy in de Zorg",
        "credentialSubject": {
            "id": "did:example:learner",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://hs-voorbeeld.nl/achievements/dpz-01",
                "type": ["Achievement"],
                "name": "Data Privacy in de Zorg",
                "description": "Course",
                "criteria": {"narrative": "Pass the exam."},
                "achievementType": "MicroCredential",
                "creditsAvailable": 5,
            },
        },
    }
    doc.update(changes)
    return doc


def problems_of(doc: Any, **kwargs: Any) -> list[tuple[str, str, str]]:
    return [(p["kind"], p["path"], p["term"]) for p in strict_problems(doc, **kwargs)]


@pytest.fixture(scope="module")
def seeded_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cache = tmp_path_factory.mktemp("pinned")
    seed_pinned_cache(cache)
    return cache


# --- strict check: positives -----------------------------------------------------------------


def test_valid_ob3_credential_is_strict_and_expands() -> None:
    doc = credential()
    check_strict(doc)
    expanded = expand(doc)
    assert expanded[0]["@type"] == [
        "https://www.w3.org/2018/credentials#VerifiableCredential",
        VOCAB + "OpenBadgeCredential",
    ]


def test_strict_check_does_not_mutate_its_input() -> None:
    doc = credential(colour="blue")
    before = copy.deepcopy(doc)
    with pytest.raises(StrictJsonLdError):
        check_strict(doc)
    to_rdf_dataset(doc, strict=False)
    assert doc == before


def test_embedded_context_with_absolute_vocab_defines_every_term() -> None:
    doc = credential()
    doc["credentialSubject"]["@context"] = {"@vocab": "https://example.org/terms#"}
    doc["credentialSubject"]["favouriteColour"] = "blue"
    assert problems_of(doc) == []


def test_absolute_iri_keys_and_compact_iris_are_fine() -> None:
    doc = credential(**{"https://schema.org/color": "blue"})
    doc["@context"] = [*OB3, {"ex": "https://example.org/ns#"}]
    doc["ex:size"] = "XL"
    assert problems_of(doc) == []


# --- strict check: negatives -----------------------------------------------------------------


def test_undefined_terms_are_reported_with_their_json_paths() -> None:
    doc = credential(colour="blue")
    doc["issuer"]["kvk"] = "12345678"
    doc["credentialSubject"]["achievement"]["ects"] = 5
    with pytest.raises(StrictJsonLdError) as info:
        check_strict(doc)
    assert [(p["kind"], p["path"], p["term"]) for p in info.value.problems] == [
        ("undefined_term", "$.colour", "colour"),
        ("undefined_term", "$.credentialSubject.achievement.ects", "ects"),
        ("undefined_term", "$.issuer.kvk", "kvk"),
    ]
    message = str(info.value)
    assert "3 problems" in message
    assert "'kvk' at $.issuer.kvk" in message
    assert info.value.code == "jsonld_not_strict"


def test_type_scoped_term_used_outside_its_type_is_undefined() -> None:
    # achievementType is defined only in the scoped context of the Achievement type
    doc = credential()
    doc["credentialSubject"]["achievementType"] = "Course"
    assert problems_of(doc) == [
        ("undefined_term", "$.credentialSubject.achievementType", "achievementType")
    ]


def test_type_scoped_context_does_not_propagate_into_nested_nodes() -> None:
    doc = credential()
    doc["credentialSubject"]["achievement"]["criteria"]["achievementType"] = "Course"
    assert problems_of(doc) == [
        (
            "undefined_term",
            "$.credentialSubject.achievement.criteria.achievementType",
            "achievementType",
        )
    ]


def test_achievement_terms_are_undefined_without_the_achievement_type() -> None:
    doc = credential()
    del doc["credentialSubject"]["achievement"]["type"]
    problems = problems_of(doc)
    assert (
        "undefined_term",
        "$.credentialSubject.achievement.achievementType",
        "achievementType",
    ) in (problems)


def test_property_scoped_context_applies_only_under_its_property() -> None:
    context = {
        "box": {"@id": "https://example.org/box", "@context": {"size": "https://example.org/size"}},
        "label": "https://example.org/label",
    }
    inside = {"@context": context, "@id": "urn:a", "box": {"size": "L", "label": "x"}}
    outside = {"@context": context, "@id": "urn:a", "size": "L", "box": {"label": "x"}}
    assert problems_of(inside) == []
    assert problems_of(outside) == [("undefined_term", "$.size", "size")]


def test_relative_type_and_relative_ids_are_reported() -> None:
    doc = credential(id="credentials/42", type=["VerifiableCredential", "MicroCredential"])
    doc["credentialSchema"] = [{"id": "https://example.org/s.json", "type": "JsonSchemaThing"}]
    assert problems_of(doc) == [
        ("relative_type", "$.credentialSchema[0].type", "JsonSchemaThing"),
        ("relative_id", "$.id", "credentials/42"),
        ("relative_type", "$.type[1]", "MicroCredential"),
    ]


def test_relative_id_would_be_silently_rebased_by_pyld() -> None:
    doc = credential(id="credentials/42")
    dataset = to_rdf_dataset(doc, strict=False)
    subjects = {quad["subject"]["value"] for quad in dataset["@default"]}
    assert "http://example.org/base/credentials/42" in subjects  # what strict mode prevents
    with pytest.raises(StrictJsonLdError, match="relative IRI"):
        to_rdf_dataset(doc)


def test_id_typed_property_with_relative_value_is_reported() -> None:
    doc = credential(issuer="issuers/1")
    assert problems_of(doc) == [("relative_iri_value", "$.issuer", "issuers/1")]


def test_vocab_typed_property_with_unknown_value_is_reported() -> None:
    context = {
        "level": {"@id": "https://example.org/level", "@type": "@vocab"},
        "Basic": "https://example.org/levels#basic",
    }
    good = {"@context": context, "@id": "urn:a", "level": ["Basic"]}
    bad = {"@context": context, "@id": "urn:a", "level": ["Basic", "Expert"]}
    assert problems_of(good) == []
    assert problems_of(bad) == [("relative_iri_value", "$.level[1]", "Expert")]


def test_term_mapped_to_null_and_reserved_keywords_are_reported() -> None:
    doc = {
        "@context": {"name": "https://schema.org/name", "secret": None},
        "@id": "urn:a",
        "name": "x",
        "secret": "y",
        "@comment": "z",
    }
    assert problems_of(doc) == [
        ("reserved_term", '$["@comment"]', "@comment"),
        ("undefined_term", "$.secret", "secret"),
    ]


def test_blank_node_property_is_reported() -> None:
    doc = {"@context": {"name": "https://schema.org/name"}, "@id": "urn:a", "_:p": "x"}
    assert problems_of(doc) == [("blank_node_property", '$["_:p"]', "_:p")]


def test_relative_vocab_in_embedded_context_is_reported() -> None:
    doc = {"@context": {"@vocab": "terms#"}, "@id": "urn:a", "colour": "blue"}
    assert problems_of(doc) == [("relative_vocab", '$["@context"]["@vocab"]', "terms#")]


def test_keys_needing_quotes_are_quoted_in_paths() -> None:
    doc = credential(**{"odd key": 1})
    assert problems_of(doc) == [("undefined_term", '$["odd key"]', "odd key")]


@pytest.mark.parametrize(
    ("value", "term"),
    [
        (1e-7, "1e-07"),
        (-5e-9, "-5e-09"),
        (float("nan"), "nan"),
        (float("inf"), "inf"),
        (2**53, "9007199254740992"),
    ],
)
def test_unsafe_numbers_are_reported(value: Any, term: str) -> None:
    doc = credential()
    doc["credentialSubject"]["achievement"]["creditsAvailable"] = value
    assert problems_of(doc) == [
        ("unsafe_number", "$.credentialSubject.achievement.creditsAvailable", term)
    ]


@pytest.mark.parametrize("value", [0, 0.0, 1e-6, 2.5, 3.0, -(2**53) + 1, True])
def test_ordinary_numbers_pass(value: Any) -> None:
    doc = credential()
    doc["credentialSubject"]["achievement"]["creditsAvailable"] = value
    assert problems_of(doc) == []


def test_many_problems_are_all_listed_but_the_message_is_bounded() -> None:
    doc = credential(**{f"extra{i:02d}": i for i in range(30)})
    with pytest.raises(StrictJsonLdError) as info:
        check_strict(doc)
    assert len(info.value.problems) == 30
    assert "and 10 more" in str(info.value)


# --- expand / to_rdf_dataset --------------------------------------------------------------------


def test_to_rdf_dataset_returns_pyld_dataset_for_canonicalization() -> None:
    dataset = to_rdf_dataset(credential())
    assert set(dataset) == {"@default"}
    quad = dataset["@default"][0]
    assert set(quad) >= {"subject", "predicate", "object"}
    predicates = {q["predicate"]["value"] for q in dataset["@default"]}
    assert VOCAB + "achievementType" in predicates


def test_non_strict_expansion_drops_undefined_terms_like_pyld() -> None:
    expanded = expand(credential(colour="blue"), strict=False)
    assert not any("colour" in key for key in expanded[0])
    with pytest.raises(StrictJsonLdError):
        expand(credential(colour="blue"))


def test_loader_errors_pass_through_unwrapped(monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[Any] = []

    def refuse(self: socket.socket, address: Any) -> None:
        attempts.append(address)
        raise AssertionError("socket connect attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    doc = credential()
    doc["@context"] = [*OB3, "https://contexts.example.org/other/v1"]
    with pytest.raises(NetworkNotAllowedError, match="contexts.example.org/other/v1"):
        check_strict(doc)
    with pytest.raises(NetworkNotAllowedError):
        to_rdf_dataset(doc, strict=False)
    assert attempts == []


def test_protected_term_redefinition_is_an_invalid_context_error() -> None:
    doc = credential()
    doc["@context"] = [*OB3, {"name": "https://example.org/my-name"}]
    with pytest.raises(InvalidContextError, match="protected term redefinition") as info:
        expand(doc)
    assert "Traceback" not in str(info.value)


def test_pyld_syntax_errors_are_wrapped() -> None:
    with pytest.raises(JsonLdError, match="invalid @id value") as info:
        expand({"@context": {"name": "https://schema.org/name"}, "@id": 42, "name": "x"})
    assert type(info.value) is JsonLdError


@pytest.mark.parametrize("bad", ["just a string", 42, {"a": {1, 2}}, {1: "x"}])
def test_non_json_input_is_invalid_input(bad: Any) -> None:
    with pytest.raises(InvalidInputError):
        expand(bad)


def test_pyld_style_callable_loader_is_accepted() -> None:
    ctx = {"@context": {"colour": "https://example.org/colour"}}

    def loader(url: str, options: Any) -> dict[str, Any]:
        return {"contextUrl": None, "documentUrl": url, "document": copy.deepcopy(ctx)}

    doc = {"@context": "https://example.org/ctx", "@id": "urn:a", "colour": "blue"}
    assert expand(doc, loader=loader)[0]["https://example.org/colour"] == [{"@value": "blue"}]


class CountingLoader(DocumentLoader):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.calls: list[str] = []

    def __call__(self, url: str, options: Any = None) -> dict[str, Any]:
        self.calls.append(url)
        return super().__call__(url, options)


def test_contexts_are_loaded_once_per_loader_and_reused_across_calls() -> None:
    loader = CountingLoader()
    for _ in range(4):
        to_rdf_dataset(credential(), loader=loader)
        check_strict(credential(), loader=loader)
    assert sorted(loader.calls) == sorted(OB3)


def test_two_loaders_with_different_documents_for_one_url_do_not_share_cache() -> None:
    url = "https://example.org/shared-url"
    one = DocumentLoader(extra_documents={url: {"@context": {"x": "https://one.example/x"}}})
    two = DocumentLoader(extra_documents={url: {"@context": {"x": "https://two.example/x"}}})
    doc = {"@context": url, "@id": "urn:a", "x": 1}
    assert "https://one.example/x" in expand(doc, loader=one)[0]
    assert "https://two.example/x" in expand(doc, loader=two)[0]
    assert "https://one.example/x" in expand(doc, loader=one)[0]


# --- contexts lint and the educredential defect --------------------------------------------------


def _educredential_example() -> dict[str, Any]:
    doc = credential()
    doc["@context"] = [*OB3, EDUCREDENTIAL_CONTEXT_URL]
    achievement = doc["credentialSubject"]["achievement"]
    achievement["type"] = ["Achievement", "EducredentialAchievement"]
    achievement["ECTS"] = 5
    achievement["supervisionType"] = "onsite with identity verification"
    return doc


def _assert_explains_educredential_defect(error: InvalidContextError) -> None:
    message = str(error)
    assert "supervisionType" in message
    assert "'context'" in message or '"context"' in message
    assert "@context" in message
    assert "eddsa-rdfc-2022" in message


@pytest.mark.parametrize(
    "operation", ["check_strict", "expand", "expand_lax", "to_rdf", "to_rdf_lax"]
)
def test_educredential_context_defect_is_explained_for_every_operation(
    seeded_cache: Path, operation: str
) -> None:
    loader = DocumentLoader(pinned_cache_dir=seeded_cache)
    calls = {
        "check_strict": lambda d: check_strict(d, loader=loader),
        "expand": lambda d: expand(d, loader=loader),
        "expand_lax": lambda d: expand(d, loader=loader, strict=False),
        "to_rdf": lambda d: to_rdf_dataset(d, loader=loader),
        "to_rdf_lax": lambda d: to_rdf_dataset(d, loader=loader, strict=False),
    }
    with pytest.raises(InvalidContextError) as info:
        calls[operation](_educredential_example())
    _assert_explains_educredential_defect(info.value)
    assert "the term 'supervisionType' has an entry 'context'" in str(info.value)


def test_educredential_defect_is_explained_even_when_the_context_is_not_cached(
    tmp_path: Path,
) -> None:
    with pytest.raises(InvalidContextError) as info:
        check_strict(_educredential_example(), loader=DocumentLoader(pinned_cache_dir=tmp_path))
    _assert_explains_educredential_defect(info.value)
    assert isinstance(info.value.__cause__, NetworkNotAllowedError)


def test_educredential_context_embedded_inline_is_caught_by_the_lint() -> None:
    context = json.loads(pinned_reference_files()[EDUCREDENTIAL_CONTEXT_URL].read_bytes())
    doc = _educredential_example()
    doc["@context"] = [*OB3, context["@context"]]
    with pytest.raises(InvalidContextError) as info:
        expand(doc, strict=False)
    message = str(info.value)
    assert "scoped context of 'EducredentialAchievement'" in message
    assert (
        "the term 'supervisionType' has an entry 'context' where JSON-LD requires '@context'"
        in (message)
    )


def test_corrected_educredential_context_is_accepted(tmp_path: Path) -> None:
    context = json.loads(pinned_reference_files()[EDUCREDENTIAL_CONTEXT_URL].read_bytes())
    scoped = context["@context"]["EducredentialAchievement"]["@context"]
    scoped["supervisionType"]["@context"] = scoped["supervisionType"].pop("context")
    loader = DocumentLoader(
        pinned_cache_dir=tmp_path, extra_documents={EDUCREDENTIAL_CONTEXT_URL: context}
    )
    expanded = expand(_educredential_example(), loader=loader)
    achievement = expanded[0]["https://www.w3.org/2018/credentials#credentialSubject"][0][
        VOCAB + "achievement"
    ][0]
    assert achievement["https://edubadges.nl/static/obv3-glossary.html#supervisionType"] == [
        {
            "@id": "https://edubadges.nl/static/obv3-glossary.html"
            "#supervision-type-onsite-with-identity-verification"
        }
    ]


def test_check_context_rejects_unknown_entries_generically() -> None:
    check_context({"@context": {"t": {"@id": "https://e.org/t", "@type": "@id"}}}, source="mine")
    with pytest.raises(InvalidContextError, match="'t' has an entry 'colour'.*allowed: @container"):
        check_context({"t": {"@id": "https://e.org/t", "colour": "red"}}, source="mine")
    with pytest.raises(InvalidContextError, match="where JSON-LD requires '@id'"):
        check_context([{"a": {"@context": {"b": {"id": "https://e.org/b"}}}}], source="mine")


def test_nested_properties_are_checked_with_their_path() -> None:
    context = {"meta": "@nest", "label": {"@id": "https://example.org/label", "@nest": "meta"}}
    doc = {"@context": context, "@id": "urn:a", "meta": {"label": "x", "bogus": 1}}
    found = problems_of(doc)
    assert ("undefined_term", "$.meta.bogus", "bogus") in found
    # and @nest itself is refused: nested members are not where checks read them (issue 10)
    assert ("nest", "$.meta", "meta") in found


def test_concurrent_use_of_one_loader_is_safe() -> None:
    # pyld's context caches are not thread-safe; mcbadge serialises operations per loader.
    import threading

    loader = DocumentLoader()
    docs = [credential(), credential(name="Other"), credential(validFrom="2025-01-01T00:00:00Z")]
    expected = [to_rdf_dataset(doc, loader=DocumentLoader()) for doc in docs]
    errors: list[BaseException] = []

    def work(offset: int) -> None:
        try:
            for step in range(10):
                index = (offset + step) % len(docs)
                assert to_rdf_dataset(docs[index], loader=loader) == expected[index]
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often, to make a race likely
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert errors == []


def test_a_string_in_a_graph_container_is_flagged_as_dropped() -> None:
    from mcbadge.jsonld.strict import strict_problems

    vp = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "verifiableCredential": ["eyJhbGciOiJFZERTQSJ9.eyJ4IjoxfQ.c2ln"],
    }
    kinds = [(p["kind"], p["path"]) for p in strict_problems(vp)]
    assert ("graph_scalar_dropped", "$.verifiableCredential[0]") in kinds


def test_an_embedded_credential_object_in_a_presentation_is_strict() -> None:
    from mcbadge.jsonld.strict import strict_problems

    vp = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "verifiableCredential": [
            {
                "@context": ["https://www.w3.org/ns/credentials/v2"],
                "id": "urn:uuid:0c4b2a4e-8f3a-4d2b-9a51-3b7e5a7f0c11",
                "type": ["VerifiableCredential"],
                "issuer": "did:example:issuer",
                "credentialSubject": {"id": "did:example:subject"},
            }
        ],
    }
    assert strict_problems(vp) == []
