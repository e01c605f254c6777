"""Every credential the builder produces passes the OB3 JSON Schema and strict JSON-LD."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcbadge.demo import sample_microcredential
from mcbadge.errors import InvalidContextError, PolicyError
from mcbadge.jsonld.strict import check_strict, to_rdf_dataset
from mcbadge.jsonld.urls import EDUBADGES_MICROCREDENTIAL_SCHEMA_URL
from mcbadge.microcredential import HashedIdentity, Microcredential
from mcbadge.model import AchievementCredential, IdentifierTypeEnum, IdentityObject
from mcbadge.schema import validate_schema
from tests.strategies.microcredentials import hard_text, microcredentials

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


_BAD_OPTIONS: list[dict[str, Any]] = [
    {"id": "not an iri"},
    {"issuer_id": "relative/issuer"},
    {"valid_from": "2026-02-01T09:30:00"},  # no time zone
    {"valid_until": "yesterday"},
    {"awarded_date": "2026-13-01T00:00:00Z"},
    {"profile": "ob2"},
    {"policy": "no-such-policy"},
]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mc=microcredentials())
def test_to_credential_dict_is_to_credential_without_the_model(mc: Microcredential) -> None:
    """The batch issues from to_credential_dict(): the same document, the same refusals.

    to_credential() is AchievementCredential.from_json(to_credential_dict()); so the two agree
    exactly when the model accepts every such dict and gives it back unchanged.
    """
    for profile in ("ob3", "edubadges"):
        options: dict[str, Any] = {
            "id": CRED_ID,
            "valid_from": "2026-02-01T09:30:00+01:00",
            "profile": profile,
        }
        try:
            doc = mc.to_credential_dict(**options)
        except PolicyError:
            with pytest.raises(PolicyError):
                mc.to_credential(**options)
            continue
        assert AchievementCredential.from_json(doc).to_json_dict() == doc
        doc["name"] = "changed"  # a new dict: changing it changes nothing in the builder
        assert mc.to_credential_dict(**options)["name"] == mc.unit.name
    for bad in _BAD_OPTIONS:
        options = {"id": CRED_ID, **bad}
        with pytest.raises(Exception) as model_error:  # noqa: PT011 - compared below
            mc.to_credential(**options)
        with pytest.raises(Exception) as dict_error:  # noqa: PT011 - the same as the model's
            mc.to_credential_dict(**options)
        assert (type(dict_error.value), str(dict_error.value)) == (
            type(model_error.value),
            str(model_error.value),
        )


@settings(max_examples=200, deadline=None)
@given(
    identity_type=st.sampled_from([m.value for m in IdentifierTypeEnum])
    | st.from_regex(r"ext:[A-Za-z0-9._|\-]+", fullmatch=True),
    identity_hash=st.from_regex(r"sha256\$[0-9a-fA-F]{64}|md5\$[0-9a-fA-F]{32}", fullmatch=True),
    salt=st.none() | hard_text,
    name=hard_text.filter(str.strip),
)
def test_identity_objects_are_written_as_the_model_writes_them(
    identity_type: str, identity_hash: str, salt: str | None, name: str
) -> None:
    """The builder writes the learner's name and pre-hashed identities without the model;
    the dicts equal the model's, member order included (the files show it)."""
    from mcbadge.microcredential.mapping import _identity_object

    pre = HashedIdentity(identity_type=identity_type, identity_hash=identity_hash, salt=salt)
    fast = _identity_object(pre.identity_type, True, pre.identity_hash, pre.salt)
    assert pre.salt == salt  # the salt was hashed with the value: kept exactly
    model = IdentityObject(
        identity_type=pre.identity_type,
        is_hashed=True,
        identity_hash=pre.identity_hash,
        salt=pre.salt,
    ).to_json_dict()
    assert fast == model and list(fast) == list(model)
    plain = IdentityObject.plain("name", name).to_json_dict()
    assert _identity_object("name", False, name, None) == plain
    assert list(_identity_object("name", False, name, None)) == list(plain)
