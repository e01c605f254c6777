"""The OB3 model is lossless on every reference example, and the examples meet the schemas.

Round trip: parse -> ``to_json_dict()`` must give back the input exactly (keys, values and
JSON types: ``42`` is not ``42.0``, ``"2010-01-01T00:00:00Z"`` is not ``...+00:00``), after
the one normalization the model is allowed: a property that the OB3 JSON Schema types as an
array, given as a single value, becomes a one-element array. The normalization below is
driven by the OB3 JSON Schema (not by the model under test), and the paths it changes in
each example are listed explicitly in ``EXAMPLES``.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from mcbadge.errors import ModelValidationError
from mcbadge.model import (
    AchievementCredential,
    EndorsementCredential,
    Proof,
    parse_credential,
)
from mcbadge.schema import schema_errors
from tests.conftest import load_reference_json, reference_path

ACH_SCHEMA = ("ob3", "schemas", "ob_v3p0_achievementcredential_schema.purl-download-2024-09.json")
END_SCHEMA = ("ob3", "schemas", "ob_v3p0_endorsementcredential_schema.gh-pages-2024-07.json")
EDU_SCHEMA = ("ob3", "schemas", "edubadges_nl_microcredential_schema.json")
EXAMPLES_DIR = ("ob3", "examples")


# name -> (class, JSON pointers the single->array normalization changes, schema problems
# expected in the *input* as (path, keyword), with the reason in a comment)
EXAMPLES: dict[str, tuple[type[Any], set[str], set[tuple[str, str]]]] = {
    "edubadges_nl_microcredential_full_ho_unsigned.json": (AchievementCredential, set(), set()),
    "spec_example_EndorsementCredential.json": (EndorsementCredential, set(), set()),
    "spec_example_achievement_alignment_CASE.json": (AchievementCredential, set(), set()),
    "spec_example_basic_OpenBadgeCredential.json": (AchievementCredential, set(), set()),
    "spec_example_complete_OpenBadgeCredential.json": (AchievementCredential, set(), set()),
    "spec_example_skill_assertion_CASE.json": (AchievementCredential, set(), set()),
    # The Implementation Guide's signed vector writes `proof` as one object; the OB3 schema
    # requires an array (the model writes one, which the schema then accepts).
    "spec_impl_testvector_signed_eddsa-rdfc-2022.json": (
        AchievementCredential,
        {"/proof"},
        {("/proof", "type")},
    ),
    "validator_ob30_endorsement_eddsa-rdfc-2022.json": (EndorsementCredential, set(), set()),
    # A VC 1.1 credential (legacy): `issuanceDate` instead of `validFrom`, and the 2018 VC
    # context first. The OB3 3.0 schema is written for VC 2.0, so it refuses both.
    "validator_ob30_simple_v1_Ed25519Signature2020.json": (
        AchievementCredential,
        set(),
        {("", "required"), ("/@context/0", "enum")},
    ),
}


def _example_names() -> list[str]:
    return sorted(EXAMPLES)


def _load_example(name: str) -> Any:
    return load_reference_json(*EXAMPLES_DIR, name)


# --------------------------------------------------------------------------- helpers


def assert_same_json(actual: Any, expected: Any, path: str = "") -> None:
    """Deep equality that also compares JSON types (bool / int / float / str / null)."""
    assert type(actual) is type(expected), (
        f"{path or '/'}: {type(actual).__name__} {actual!r} != "
        f"{type(expected).__name__} {expected!r}"
    )
    if isinstance(expected, dict):
        assert set(actual) == set(expected), (
            f"{path or '/'}: keys differ: lost {sorted(set(expected) - set(actual))}, "
            f"gained {sorted(set(actual) - set(expected))}"
        )
        for key in expected:
            assert_same_json(actual[key], expected[key], f"{path}/{key}")
    elif isinstance(expected, list):
        assert len(actual) == len(expected), f"{path}: length {len(actual)} != {len(expected)}"
        for index, (a, e) in enumerate(zip(actual, expected, strict=True)):
            assert_same_json(a, e, f"{path}/{index}")
    else:
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"


class _SchemaNormalizer:
    """Wrap single values where the OB3 JSON Schema says array; record where it did."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.defs: dict[str, Any] = schema["$defs"]
        self.root = schema
        self.changed: set[str] = set()

    def _resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            node = self.defs[node["$ref"].rsplit("/", 1)[-1]]
        return node

    def _branch(self, node: dict[str, Any], value: Any) -> dict[str, Any] | None:
        node = self._resolve(node)
        if "allOf" in node:
            return self._resolve(node["allOf"][0])
        if "oneOf" in node:  # ProfileRef / Context: pick the object branch for an object
            for option in node["oneOf"]:
                option = self._resolve(option)
                if isinstance(value, dict) and option.get("type") == "object":
                    return option
            return None
        return node

    def normalize(self, value: Any, node: dict[str, Any] | None, path: str = "") -> Any:
        if node is None:
            return value
        node = self._branch(node, value)
        if node is None:
            return value
        if node.get("type") == "array":
            if not isinstance(value, list):
                self.changed.add(path or "/")
                value = [value]
            items = node.get("items")
            if isinstance(items, dict):
                return [self.normalize(v, items, f"{path}/{i}") for i, v in enumerate(value)]
            return value
        if isinstance(value, dict) and node.get("type") == "object":
            props = node.get("properties", {})
            return {k: self.normalize(v, props.get(k), f"{path}/{k}") for k, v in value.items()}
        return value


def _normalized(doc: dict[str, Any], schema: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
    normalizer = _SchemaNormalizer(schema)
    out = normalizer.normalize(doc, schema)
    return out, normalizer.changed


def _schema_for(cls: type[Any]) -> dict[str, Any]:
    parts = END_SCHEMA if cls is EndorsementCredential else ACH_SCHEMA
    schema: dict[str, Any] = load_reference_json(*parts)
    return schema


# --------------------------------------------------------------------------- tests


def test_every_reference_example_is_classified(reference_dir: Path) -> None:
    found = {p.name for p in (reference_dir / "ob3" / "examples").glob("*.json")}
    assert found == set(EXAMPLES), "classify new/removed examples in EXAMPLES"


@pytest.mark.parametrize("name", _example_names())
def test_example_roundtrips_without_loss(name: str) -> None:
    doc = _load_example(name)
    original = json.loads(json.dumps(doc))
    cls, expected_paths, _ = EXAMPLES[name]

    cred = parse_credential(doc)

    assert type(cred) is cls
    assert_same_json(doc, original)  # the input was not modified
    expected, changed = _normalized(original, _schema_for(cls))
    assert changed == expected_paths
    assert_same_json(cred.to_json_dict(), expected)
    assert_same_json(json.loads(cred.to_json()), expected)


@pytest.mark.parametrize("name", _example_names())
def test_example_reparse_of_output_is_identical(name: str) -> None:
    cred = parse_credential(_load_example(name))
    again = type(cred).from_json(cred.to_json())
    assert again == cred
    assert_same_json(again.to_json_dict(), cred.to_json_dict())


def test_single_proof_object_is_written_as_an_array() -> None:
    doc = _load_example("spec_impl_testvector_signed_eddsa-rdfc-2022.json")
    assert isinstance(doc["proof"], dict)
    cred = AchievementCredential.from_json(doc)
    assert cred.proof is not None and isinstance(cred.proof[0], Proof)
    assert cred.to_json_dict()["proof"] == [doc["proof"]]


def _embedded_endorsements(doc: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    achievement = doc["credentialSubject"]["achievement"]
    places = [
        ("/endorsement", doc.get("endorsement", [])),
        ("/issuer/endorsement", doc["issuer"].get("endorsement", [])),
        ("/credentialSubject/achievement/endorsement", achievement.get("endorsement", [])),
        (
            "/credentialSubject/achievement/creator/endorsement",
            achievement.get("creator", {}).get("endorsement", []),
        ),
    ]
    return [(f"{where}/{i}", e) for where, items in places for i, e in enumerate(items)]


def test_complete_example_embedded_endorsements_roundtrip_on_their_own() -> None:
    doc = _load_example("spec_example_complete_OpenBadgeCredential.json")
    embedded = _embedded_endorsements(doc)
    assert len(embedded) == 5  # 1 on the credential, 1 issuer, 1 achievement, 2 creator

    for where, endorsement in embedded:
        parsed = EndorsementCredential.from_json(endorsement)
        assert parsed.proof is not None and parsed.proof[0].created is not None, where
        assert_same_json(parsed.to_json_dict(), endorsement, where)
        assert schema_errors(endorsement, schema=load_reference_json(*END_SCHEMA)) == []


def test_complete_example_embedded_objects_get_their_classes() -> None:
    cred = AchievementCredential.from_json(
        _load_example("spec_example_complete_OpenBadgeCredential.json")
    )
    assert not isinstance(cred.issuer, str)
    assert cred.issuer.endorsement is not None
    assert isinstance(cred.issuer.endorsement[0], EndorsementCredential)
    achievement = cred.credential_subject.achievement
    assert achievement.creator is not None and achievement.creator.endorsement is not None
    assert achievement.creator.endorsement[0].proof is not None
    assert achievement.creator.endorsement[0].proof[0].cryptosuite == "eddsa-rdf-2022"
    assert cred.credential_subject.identifier is not None
    assert cred.credential_subject.identifier[0].is_hashed is False


def test_edubadges_extensions_are_kept_with_their_json_types() -> None:
    doc = _load_example("edubadges_nl_microcredential_full_ho_unsigned.json")
    cred = AchievementCredential.from_json(doc)
    extra = cred.credential_subject.achievement.model_extra
    assert extra is not None
    assert extra["ECTS"] == 3.0 and type(extra["ECTS"]) is float
    assert extra["identityChecked"] is True
    out = cred.to_json_dict()["credentialSubject"]["achievement"]
    assert type(out["ECTS"]) is float
    assert out["participationType"] == "onsite or blended"


@pytest.mark.parametrize("name", _example_names())
def test_example_schema_validity_is_as_recorded(name: str) -> None:
    doc = _load_example(name)
    cls, _, expected_problems = EXAMPLES[name]
    problems = schema_errors(doc, schema=_schema_for(cls))
    assert {(p["path"], p["keyword"]) for p in problems} == expected_problems


@pytest.mark.parametrize("name", _example_names())
def test_model_output_is_schema_valid_where_only_shape_was_wrong(name: str) -> None:
    doc = _load_example(name)
    cls, normalized_paths, expected_problems = EXAMPLES[name]
    out = parse_credential(doc).to_json_dict()
    problems = {(p["path"], p["keyword"]) for p in schema_errors(out, schema=_schema_for(cls))}
    # the normalization fixes exactly the shape problems, nothing else changes
    fixed = {(path, "type") for path in normalized_paths}
    assert problems == expected_problems - fixed


def test_edubadges_example_meets_the_edubadges_microcredential_schema() -> None:
    doc = _load_example("edubadges_nl_microcredential_full_ho_unsigned.json")
    out = AchievementCredential.from_json(doc).to_json_dict()
    assert schema_errors(out, schema=load_reference_json(*EDU_SCHEMA)) == []


def test_legacy_vc_claim_jwt_payload_is_refused_for_missing_achievement() -> None:
    token = reference_path(*EXAMPLES_DIR, "validator_ob30_simple_legacy-vc-claim_RS256.jwt")
    payload_b64 = token.read_text(encoding="ascii").strip().split(".")[1]
    payload = json.loads(base64.urlsafe_b64decode(payload_b64 + "=" * (-len(payload_b64) % 4)))
    with pytest.raises(ModelValidationError) as info:
        parse_credential(payload["vc"])
    assert [e["loc"] for e in info.value.errors] == ["credentialSubject.achievement"]


def test_ob3_signing_vector_unsigned_credential_roundtrips_and_is_schema_valid() -> None:
    doc = load_reference_json("vectors", "openbadges-3.0", "obv3p0", "credential-unsigned.json")
    cred = AchievementCredential.from_json(doc)
    assert_same_json(cred.to_json_dict(), doc)
    assert schema_errors(doc, schema=load_reference_json(*ACH_SCHEMA)) == []
