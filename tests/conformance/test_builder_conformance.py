"""Every credential the builder produces passes the OB3 JSON Schema and strict JSON-LD."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from mcbadge.demo import sample_microcredential
from mcbadge.errors import InvalidContextError, PolicyError
from mcbadge.jsonld.strict import check_strict, to_rdf_dataset
from mcbadge.jsonld.urls import EDUBADGES_MICROCREDENTIAL_SCHEMA_URL
from mcbadge.microcredential import Microcredential
from mcbadge.model import AchievementCredential
from mcbadge.schema import validate_schema
from tests.strategies.microcredentials import microcredentials

CRED_ID = "urn:uuid:9a4f3c2e-7b1d-4e8a-b5c6-d7e8f9a0b1c2"


def _doc(mc: Microcredential, **kwargs: Any) -> dict[str, Any]:
    cred = mc.to_credential(id=CRED_ID, valid_from="2026-02-01T09:30:00+01:00", **kwargs)
    doc: dict[str, Any] = cred.to_json_dict()
    return doc


def test_demo_credential_passes_schema_and_strict_jsonld(reference_dir: Any) -> None:
    doc = _doc(sample_microcredential())
    validate_schema(doc)
    check_strict(doc)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mc=microcredentials())
def test_generated_microcredentials_pass_schema_and_strict_jsonld(mc: Microcredential) -> None:
    doc = _doc(mc)
    validate_schema(doc)
    check_strict(doc)
    # lossless: parsing the output again and serializing gives the same document
    assert AchievementCredential.from_json(doc).to_json_dict() == doc
    subject = doc["credentialSubject"]
    outcomes = [
        a for a in subject["achievement"]["alignment"] if a["targetType"] == "ext:LearningOutcome"
    ]
    assert [a["targetName"] for a in outcomes] == [o.text for o in mc.outcomes]


@settings(max_examples=40, deadline=None)
@given(mc=microcredentials())
def test_edubadges_profile_passes_both_schemas(mc: Microcredential) -> None:
    if mc.unit.image is None or mc.supervision is None:
        with pytest.raises(PolicyError, match=r"edubadges\.required-fields"):
            _doc(mc, profile="edubadges")
        return
    doc = _doc(mc, profile="edubadges")
    validate_schema(doc)
    validate_schema(doc, schema_url=EDUBADGES_MICROCREDENTIAL_SCHEMA_URL)


def _with_image(mc: Microcredential) -> Microcredential:
    unit = mc.unit.model_copy(update={"image": "https://www.hs-voorbeeld.nl/badges/dpz.png"})
    return mc.model_copy(update={"unit": unit})


def test_edubadges_profile_cannot_be_expanded_and_says_why() -> None:
    doc = _doc(_with_image(sample_microcredential()), profile="edubadges")
    for action in (check_strict, to_rdf_dataset):
        with pytest.raises(InvalidContextError, match=r"supervisionType.*\"context\".*@context"):
            action(doc)
