"""The OB3 pydantic model: validation rules, losslessness, dates, identity hashing, errors."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from mcbadge._internal.dates import (
    DateTimeStr,
    DateTimeSyntaxError,
    format_datetime,
    parse_date,
    parse_datetime,
)
from mcbadge.errors import InvalidInputError, ModelValidationError
from mcbadge.model import (
    OB3_CONTEXT_URL,
    VC_V2_CONTEXT_URL,
    Achievement,
    AchievementCredential,
    AchievementSubject,
    AchievementType,
    Address,
    Alignment,
    AlignmentTargetType,
    Credential,
    CredentialSchema,
    CredentialStatus,
    Criteria,
    EndorsementCredential,
    EndorsementSubject,
    Evidence,
    GeoCoordinates,
    IdentifierEntry,
    IdentifierTypeEnum,
    IdentityObject,
    Image,
    OB3Model,
    OpenBadgeCredential,
    Profile,
    Proof,
    RefreshService,
    Related,
    Result,
    ResultDescription,
    ResultStatusType,
    ResultType,
    RubricCriterionLevel,
    TermsOfUse,
    parse_credential,
)
from mcbadge.model.base import _wire_keys
from mcbadge.model.credentials import _ALL_MODELS
from tests.conftest import load_reference_json

ACH_SCHEMA = ("ob3", "schemas", "ob_v3p0_achievementcredential_schema.purl-download-2024-09.json")
END_SCHEMA = ("ob3", "schemas", "ob_v3p0_endorsementcredential_schema.gh-pages-2024-07.json")
COMPLETE = ("ob3", "examples", "spec_example_complete_OpenBadgeCredential.json")


def minimal_doc(**changes: Any) -> dict[str, Any]:
    """A small valid OpenBadgeCredential as JSON (no reference data needed)."""
    doc: dict[str, Any] = {
        "@context": [VC_V2_CONTEXT_URL, OB3_CONTEXT_URL],
        "id": "urn:uuid:9a7c7e0c-1111-4a4a-9b9b-000000000001",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "did:example:issuer", "type": ["Profile"], "name": "HS Voorbeeld"},
        "validFrom": "2026-01-15T10:00:00Z",
        "name": "Data Privacy in de Zorg",
        "credentialSubject": {
            "id": "did:example:learner",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://hs.example.nl/achievements/dpz-01",
                "type": ["Achievement"],
                "name": "Data Privacy in de Zorg",
                "description": "Unit DPZ-01",
                "criteria": {"narrative": "Pass the exam."},
            },
        },
    }
    doc.update(changes)
    return doc


def built_credential() -> AchievementCredential:
    return AchievementCredential(
        id="urn:uuid:9a7c7e0c-1111-4a4a-9b9b-000000000002",
        issuer=Profile(id="did:example:issuer", name="HS Voorbeeld"),
        valid_from=dt.datetime(2026, 1, 15, 10, 0, tzinfo=dt.UTC),
        credential_subject=AchievementSubject(
            identifier=[IdentityObject.plain("name", "Jan Jansen")],
            achievement=Achievement(
                id="https://hs.example.nl/achievements/dpz-01",
                name="Data Privacy in de Zorg",
                description="Unit DPZ-01",
                criteria=Criteria(narrative="Pass the exam."),
                achievement_type=AchievementType.MICRO_CREDENTIAL,
                in_language="nl",
                credits_available=5,
            ),
        ),
    )


def errors_of(exc: pytest.ExceptionInfo[ModelValidationError]) -> dict[str, str]:
    return {e["loc"]: e["type"] for e in exc.value.errors}


# --------------------------------------------------------------------------- dates


def test_naive_validfrom_string_is_refused_naming_the_field() -> None:
    with pytest.raises(ModelValidationError) as info:
        AchievementCredential.from_json(minimal_doc(validFrom="2026-01-15T10:00:00"))
    assert errors_of(info) == {"validFrom": "datetime_naive"}
    assert "validFrom" in str(info.value) and "time zone" in str(info.value)


def test_naive_python_datetime_is_refused_naming_the_field() -> None:
    with pytest.raises(ModelValidationError) as info:
        Proof(type="DataIntegrityProof", created=dt.datetime(2026, 1, 1, 12, 0))
    assert errors_of(info) == {"created": "datetime_naive"}


def test_naive_nested_date_reports_the_wire_path() -> None:
    doc = minimal_doc()
    doc["credentialSubject"]["activityStartDate"] = "2026-01-01T09:00:00"
    doc["proof"] = [{"type": "DataIntegrityProof", "created": "2026-01-01"}]
    with pytest.raises(ModelValidationError) as info:
        AchievementCredential.from_json(doc)
    assert errors_of(info) == {
        "credentialSubject.activityStartDate": "datetime_naive",
        "proof[0].created": "datetime_format",
    }


@pytest.mark.parametrize(
    "text",
    [
        "2010-01-01T00:00:00Z",
        "2010-01-01T00:00:00+00:00",
        "2010-01-01T00:00:00.000Z",
        "2010-01-01t00:00:00z",
        "2021-09-07T02:09:59+02:00",
        "2021-09-07T02:09:59.123456789-05:30",
    ],
)
def test_date_time_text_is_kept_exactly(text: str) -> None:
    cred = AchievementCredential.from_json(minimal_doc(validFrom=text, validUntil=text))
    out = cred.to_json_dict()
    assert out["validFrom"] == text and type(out["validFrom"]) is str
    assert json.loads(cred.to_json())["validUntil"] == text
    assert cred.valid_from is not None and cred.valid_from.datetime.tzinfo is not None


def test_python_datetime_is_written_rfc3339_with_z_and_no_zero_fraction() -> None:
    utc = dt.datetime(2026, 3, 4, 5, 6, 7, tzinfo=dt.UTC)
    assert format_datetime(utc) == "2026-03-04T05:06:07Z"
    assert format_datetime(utc.replace(microsecond=500_000)) == "2026-03-04T05:06:07.5Z"
    assert format_datetime(utc.replace(microsecond=123)) == "2026-03-04T05:06:07.000123Z"
    cet = dt.timezone(dt.timedelta(hours=1))
    assert format_datetime(dt.datetime(2026, 1, 1, tzinfo=cet)) == "2026-01-01T00:00:00+01:00"
    west = dt.timezone(-dt.timedelta(hours=3, minutes=30))
    assert format_datetime(dt.datetime(2026, 1, 1, tzinfo=west)) == "2026-01-01T00:00:00-03:30"
    assert built_credential().to_json_dict()["validFrom"] == "2026-01-15T10:00:00Z"


def test_format_datetime_refuses_naive_and_second_offsets() -> None:
    with pytest.raises(DateTimeSyntaxError) as naive:
        format_datetime(dt.datetime(2026, 1, 1))
    assert naive.value.reason == "naive"
    odd = dt.timezone(dt.timedelta(minutes=5, seconds=3))
    with pytest.raises(DateTimeSyntaxError):
        format_datetime(dt.datetime(2026, 1, 1, tzinfo=odd))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2010-01-01", "format"),
        ("2010-01-01 00:00:00Z", "format"),
        ("20100101T000000Z", "format"),
        ("2010-13-01T00:00:00Z", "range"),
        ("2010-01-01T24:00:00Z", "range"),
        ("2010-01-01T00:00:00+24:00", "range"),
        ("2010-01-01T00:00:00", "naive"),
        ("٢٠١٠-01-01T00:00:00Z", "format"),  # non-ASCII digits
    ],
)
def test_parse_datetime_rejects_non_rfc3339(text: str, reason: str) -> None:
    with pytest.raises(DateTimeSyntaxError) as info:
        parse_datetime(text)
    assert info.value.reason == reason


def test_parse_datetime_reads_offsets_fractions_and_leap_seconds() -> None:
    parsed = parse_datetime("2021-09-07T02:09:59.1234567+02:00")
    assert parsed == dt.datetime(2021, 9, 7, 0, 9, 59, 123456, tzinfo=dt.UTC)
    assert parse_datetime("2016-12-31T23:59:60Z").second == 59
    assert parse_date("2001-02-03") == dt.date(2001, 2, 3)
    with pytest.raises(DateTimeSyntaxError):
        parse_date("2001-02-30")


@given(
    st.datetimes(
        min_value=dt.datetime(1, 1, 2),
        max_value=dt.datetime(9999, 12, 30),
        timezones=st.builds(
            dt.timezone,
            st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda m: dt.timedelta(minutes=m)),
        ),
    )
)
def test_format_then_parse_is_the_same_instant(value: dt.datetime) -> None:
    text = format_datetime(value)
    assert parse_datetime(text) == value
    assert DateTimeStr(text).datetime == value


def test_date_time_str_is_a_plain_string_on_output() -> None:
    when = DateTimeStr("2010-01-01T00:00:00Z")
    assert when == "2010-01-01T00:00:00Z" and hash(when) == hash("2010-01-01T00:00:00Z")
    assert copy.deepcopy(when).datetime == when.datetime
    proof = Proof(type="DataIntegrityProof", created=when)
    assert type(proof.model_dump()["created"]) is str
    assert type(proof.to_json_dict()["created"]) is str


def test_date_of_birth_must_be_a_full_date() -> None:
    assert Profile(id="did:example:p", date_of_birth="2001-02-03").date_of_birth == "2001-02-03"
    assert Profile(id="did:example:p", date_of_birth=dt.date(2001, 2, 3)).date_of_birth == (
        "2001-02-03"
    )
    with pytest.raises(ModelValidationError) as info:
        Profile.from_json({"id": "did:example:p", "type": ["Profile"], "dateOfBirth": "3/2/2001"})
    assert errors_of(info) == {"dateOfBirth": "date_format"}


# --------------------------------------------------------------------------- field rules


@pytest.mark.parametrize("tag", ["nl", "en-EN", "en-GB", "zh-Hant-TW", "es-419", "nld"])
def test_in_language_accepts_ob3_language_tags(tag: str) -> None:
    assert Related(id="urn:x", in_language=tag).in_language == tag


@pytest.mark.parametrize("tag", ["english", "EN", "en_GB", "en-gb", "nl-NL-x", "", "en-GB\n"])
def test_in_language_refuses_what_the_ob3_pattern_refuses(tag: str) -> None:
    doc = minimal_doc()
    doc["credentialSubject"]["achievement"]["inLanguage"] = tag
    with pytest.raises(ModelValidationError) as info:
        AchievementCredential.from_json(doc)
    assert errors_of(info) == {"credentialSubject.achievement.inLanguage": "ob3_in_language"}
    assert "credentialSubject.achievement.inLanguage" in info.value.message


@pytest.mark.parametrize(
    ("cls", "field", "good", "bad"),
    [
        (AchievementType, "achievementType", ["MicroCredential", "ext:Minor"], ["Microcredential"]),
        (AlignmentTargetType, "targetType", ["CFItem", "ext:EQF", "ext:a.b-c_d"], ["EQF", "ext:"]),
        (ResultType, "resultType", ["LetterGrade", "ext:ECTSGradeScore"], ["ext:has space"]),
        (ResultStatusType, "status", ["Completed"], ["ext:Passed", "completed"]),
        (IdentifierTypeEnum, "identifierType", ["emailAddress", "ext:BRIN"], ["email"]),
    ],
)
def test_enumerations_accept_ob3_values_and_ext_forms_only(
    cls: type[Any], field: str, good: list[str], bad: list[str]
) -> None:
    def build(value: str) -> OB3Model:
        if field == "achievementType":
            return Achievement.from_json(
                {
                    "id": "urn:a",
                    "type": ["Achievement"],
                    "name": "n",
                    "description": "d",
                    "criteria": {},
                    "achievementType": value,
                }
            )
        if field == "targetType":
            return Alignment.from_json(
                {
                    "type": ["Alignment"],
                    "targetName": "n",
                    "targetUrl": "https://x",
                    "targetType": value,
                }
            )
        if field == "resultType":
            return ResultDescription.from_json(
                {"id": "urn:r", "type": ["ResultDescription"], "name": "n", "resultType": value}
            )
        if field == "status":
            return Result.from_json({"type": ["Result"], "status": value})
        return IdentifierEntry.from_json(
            {"type": "IdentifierEntry", "identifier": "1", "identifierType": value}
        )

    for value in good + [m.value for m in cls]:
        assert build(value).to_json_dict()[field] == value
    for value in bad:
        with pytest.raises(ModelValidationError) as info:
            build(value)
        assert errors_of(info) == {field: "ob3_enum"}


def test_enumeration_members_match_the_ob3_schema() -> None:
    defs = load_reference_json(*ACH_SCHEMA)["$defs"]
    assert {m.value for m in AchievementType} == set(
        defs["Achievement"]["properties"]["achievementType"]["oneOf"][0]["enum"]
    )
    assert {m.value for m in AlignmentTargetType} == set(
        defs["Alignment"]["properties"]["targetType"]["oneOf"][0]["enum"]
    )
    assert {m.value for m in ResultType} == set(
        defs["ResultDescription"]["properties"]["resultType"]["oneOf"][0]["enum"]
    )
    assert {m.value for m in ResultStatusType} == set(
        defs["Result"]["properties"]["status"]["enum"]
    )
    assert {m.value for m in IdentifierTypeEnum} == set(
        defs["IdentityObject"]["properties"]["identityType"]["oneOf"][0]["enum"]
    )


def test_enum_member_is_stored_as_a_plain_string() -> None:
    achievement = built_credential().credential_subject.achievement
    assert type(achievement.achievement_type) is str
    assert achievement.to_json_dict()["achievementType"] == "MicroCredential"


def test_type_must_contain_the_class_name() -> None:
    with pytest.raises(ModelValidationError) as info:
        AchievementCredential.from_json(minimal_doc(type=["VerifiableCredential"]))
    assert errors_of(info) == {"type": "ob3_type_missing"}
    doc = minimal_doc()
    doc["credentialSubject"]["achievement"]["type"] = ["EducredentialAchievement"]
    with pytest.raises(ModelValidationError) as info:
        AchievementCredential.from_json(doc)
    assert errors_of(info) == {"credentialSubject.achievement.type": "ob3_type_missing"}


def test_achievement_credential_type_may_be_either_name() -> None:
    ach = minimal_doc(type=["VerifiableCredential", "AchievementCredential"])
    assert type(parse_credential(ach)) is AchievementCredential
    assert OpenBadgeCredential is AchievementCredential


def test_parse_credential_picks_the_class_by_type() -> None:
    endorsement = {
        "@context": [VC_V2_CONTEXT_URL, OB3_CONTEXT_URL],
        "id": "urn:uuid:e1",
        "type": ["VerifiableCredential", "EndorsementCredential"],
        "name": "Endorsement",
        "issuer": "did:example:endorser",
        "validFrom": "2024-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:issuer", "type": "EndorsementSubject"},
    }
    parsed = parse_credential(json.dumps(endorsement))
    assert type(parsed) is EndorsementCredential
    assert parsed.issuer_id == "did:example:endorser"
    assert parsed.to_json_dict()["credentialSubject"]["type"] == ["EndorsementSubject"]
    with pytest.raises(ModelValidationError) as info:
        parse_credential(minimal_doc(type=["VerifiableCredential", "Foo"]))
    assert errors_of(info) == {"type": "ob3_credential_type"}


def test_subject_needs_id_or_identifier() -> None:
    doc = minimal_doc()
    del doc["credentialSubject"]["id"]
    with pytest.raises(ModelValidationError) as info:
        AchievementCredential.from_json(doc)
    assert errors_of(info) == {"credentialSubject.id": "ob3_subject_unidentified"}
    doc["credentialSubject"]["identifier"] = [IdentityObject.plain("name", "Jan").to_json_dict()]
    assert AchievementCredential.from_json(doc).credential_subject.id is None


def test_required_properties_are_reported_with_wire_names() -> None:
    doc = minimal_doc()
    del doc["credentialSubject"]["achievement"]["criteria"]
    del doc["issuer"]["id"]
    del doc["validFrom"]
    with pytest.raises(ModelValidationError) as info:
        AchievementCredential.from_json(doc)
    assert errors_of(info) == {
        "credentialSubject.achievement.criteria": "missing",
        "issuer.id": "missing",
        "validFrom": "missing",
    }


def test_legacy_issuance_date_stands_in_for_valid_from() -> None:
    doc = minimal_doc(issuanceDate="2010-01-01T00:00:00Z")
    del doc["validFrom"]
    cred = AchievementCredential.from_json(doc)
    assert cred.valid_from is None and cred.issuance_date == "2010-01-01T00:00:00Z"
    assert "validFrom" not in cred.to_json_dict()


def test_values_are_not_coerced() -> None:
    doc = minimal_doc()
    doc["credentialSubject"]["identifier"] = [
        {"type": "IdentityObject", "hashed": "false", "identityHash": "x", "identityType": "name"}
    ]
    doc["credentialSubject"]["creditsEarned"] = "5"
    doc["name"] = 5
    with pytest.raises(ModelValidationError) as info:
        AchievementCredential.from_json(doc)
    assert errors_of(info) == {
        "credentialSubject.identifier[0].hashed": "bool_type",
        "credentialSubject.creditsEarned": "number_type",
        "name": "string_type",
    }


def test_numbers_keep_their_json_type() -> None:
    doc = minimal_doc()
    doc["credentialSubject"]["creditsEarned"] = 5
    doc["credentialSubject"]["achievement"]["creditsAvailable"] = 5.0
    out = AchievementCredential.from_json(doc).to_json_dict()
    assert type(out["credentialSubject"]["creditsEarned"]) is int
    assert type(out["credentialSubject"]["achievement"]["creditsAvailable"]) is float
    with pytest.raises(ModelValidationError):
        GeoCoordinates(latitude=True, longitude=1)
    with pytest.raises(ModelValidationError):
        GeoCoordinates(latitude=float("nan"), longitude=1)


def test_endorsement_jwt_must_be_compact_jws() -> None:
    good = "eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJ4In0.c2ln"
    assert Achievement.from_json(
        {
            "id": "urn:a",
            "type": ["Achievement"],
            "name": "n",
            "description": "d",
            "criteria": {},
            "endorsementJwt": good,
        }
    ).endorsement_jwt == [good]
    with pytest.raises(ModelValidationError) as info:
        Profile(id="did:example:p", endorsement_jwt=["not a jws"])
    assert errors_of(info) == {"endorsementJwt[0]": "ob3_compact_jws"}


def test_issuer_and_image_keep_the_shape_given() -> None:
    doc = minimal_doc(issuer="did:example:issuer", image="https://hs.example.nl/badge.png")
    out = AchievementCredential.from_json(doc).to_json_dict()
    assert out["issuer"] == "did:example:issuer"
    assert out["image"] == "https://hs.example.nl/badge.png"
    with pytest.raises(ModelValidationError) as info:
        AchievementCredential.from_json(minimal_doc(issuer=5))
    assert errors_of(info) == {"issuer": "ob3_iri_or_object"}
    assert "IRI string or a Profile" in info.value.message


def test_single_values_become_arrays_only_where_ob3_wants_arrays() -> None:
    doc = minimal_doc(
        type="OpenBadgeCredential",
        proof={"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022"},
        evidence={"type": "Evidence", "name": "Report"},
        credentialSchema={"id": "https://x/schema.json", "type": "1EdTechJsonSchemaValidator2019"},
        termsOfUse={"type": "IssuerPolicy"},
    )
    doc["type"] = ["VerifiableCredential", "OpenBadgeCredential"]
    subject = doc["credentialSubject"]
    subject["type"] = "AchievementSubject"
    subject["result"] = {"type": "Result", "resultDescription": "urn:rd", "value": "8"}
    subject["achievement"]["tag"] = "privacy"
    subject["achievement"]["alignment"] = {
        "type": "Alignment",
        "targetName": "EQF 6",
        "targetUrl": "https://eqf",
    }
    out = AchievementCredential.from_json(doc).to_json_dict()
    assert out["proof"] == [doc["proof"]]
    assert out["evidence"] == [{"type": ["Evidence"], "name": "Report"}]
    assert out["credentialSchema"] == [doc["credentialSchema"]]
    assert out["termsOfUse"] == [doc["termsOfUse"]]
    assert out["credentialSubject"]["type"] == ["AchievementSubject"]
    assert out["credentialSubject"]["result"] == [
        {"type": ["Result"], "resultDescription": "urn:rd", "value": "8"}
    ]
    assert out["credentialSubject"]["achievement"]["tag"] == ["privacy"]
    # a string-typed `type` stays a string; `resultDescription` of a Result stays a string
    assert out["proof"][0]["type"] == "DataIntegrityProof"
    assert out["credentialSubject"]["result"][0]["resultDescription"] == "urn:rd"


def test_single_context_string_becomes_a_list_in_order() -> None:
    cred = AchievementCredential.from_json(minimal_doc(**{"@context": VC_V2_CONTEXT_URL}))
    assert cred.to_json_dict()["@context"] == [VC_V2_CONTEXT_URL]
    ctx: list[Any] = [VC_V2_CONTEXT_URL, OB3_CONTEXT_URL, {"ex": "https://ex.example/#", "n": None}]
    assert (
        AchievementCredential.from_json(minimal_doc(**{"@context": ctx})).to_json_dict()["@context"]
        == ctx
    )


def test_empty_arrays_given_are_kept_and_absent_ones_are_not_invented() -> None:
    doc = minimal_doc(evidence=[])
    doc["credentialSubject"]["achievement"]["alignment"] = []
    out = AchievementCredential.from_json(doc).to_json_dict()
    assert out["evidence"] == []
    assert out["credentialSubject"]["achievement"]["alignment"] == []
    plain = AchievementCredential.from_json(minimal_doc()).to_json_dict()
    assert "evidence" not in plain and "proof" not in plain
    assert "alignment" not in plain["credentialSubject"]["achievement"]


def test_known_property_given_null_is_treated_as_absent() -> None:
    out = AchievementCredential.from_json(minimal_doc(description=None)).to_json_dict()
    assert "description" not in out


# --------------------------------------------------------------------------- lossless extras


def test_unknown_properties_are_kept_verbatim_at_every_depth() -> None:
    nested = {"a": [1, 2.5, None, True, {"b": {"c": []}}], "d": {}, "e": None}
    doc = minimal_doc(**{"ex:top": nested, "nullExt": None})
    doc["issuer"]["ext:brin"] = "99XX"
    doc["credentialSubject"]["achievement"]["ECTS"] = 5
    doc["credentialSubject"]["achievement"]["criteria"]["ext:rubric"] = nested
    original = copy.deepcopy(doc)
    cred = AchievementCredential.from_json(doc)
    assert cred.to_json_dict() == original
    assert doc == original  # input not mutated
    assert cred.model_extra == {"ex:top": nested, "nullExt": None}


def test_snake_case_key_on_the_wire_is_an_extension_not_a_field() -> None:
    doc = minimal_doc(valid_until="2030-01-01", credential_subject="x")
    cred = AchievementCredential.from_json(doc)
    assert cred.valid_until is None
    assert cred.to_json_dict()["valid_until"] == "2030-01-01"
    assert cred.to_json_dict()["credential_subject"] == "x"


def test_model_does_not_share_state_with_input_or_output() -> None:
    doc = minimal_doc(**{"ex:obj": {"k": [1]}})
    cred = AchievementCredential.from_json(doc)
    doc["ex:obj"]["k"].append(2)
    assert cred.to_json_dict()["ex:obj"] == {"k": [1]}
    out = cred.to_json_dict()
    out["ex:obj"]["k"].append(3)
    out["credentialSubject"]["type"].append("Other")
    assert cred.to_json_dict()["ex:obj"] == {"k": [1]}
    assert cred.credential_subject.type == ["AchievementSubject"]


def test_non_json_extension_values_are_refused() -> None:
    with pytest.raises(ModelValidationError) as info:
        Criteria(narrative="x", extra={1, 2})
    assert info.value.errors[0]["loc"] == "extra"


def _json_containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    # named, not a lambda: hypothesis checks that `extend` recurses by reading its source
    return st.lists(children, max_size=3) | st.dictionaries(
        st.text(max_size=6), children, max_size=3
    )


# a JSON value strategy for extension properties (no NaN/Infinity: not JSON)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=10),
    _json_containers,
    max_leaves=8,
)


def _dict_paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found: list[tuple[Any, ...]] = []
    if isinstance(node, dict):
        found.append(path)
        for key, value in node.items():
            if key != "@context":
                found.extend(_dict_paths(value, (*path, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_dict_paths(value, (*path, index)))
    return found


def _all_wire_keys() -> set[str]:
    keys = {"@context"}
    for cls in _ALL_MODELS:
        keys |= set(_wire_keys(cls).values())
        keys |= set(_wire_keys(cls))  # Python names too; tested separately
    return keys


_COMPLETE_DOC: dict[str, Any] = {}


def _complete_doc() -> dict[str, Any]:
    if not _COMPLETE_DOC:
        _COMPLETE_DOC.update(load_reference_json(*COMPLETE))
    return copy.deepcopy(_COMPLETE_DOC)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_extension_fields_at_random_depth_survive_roundtrip(data: st.DataObject) -> None:
    doc = _complete_doc()
    paths = _dict_paths(doc)
    reserved = _all_wire_keys()
    for _ in range(data.draw(st.integers(1, 4))):
        path = data.draw(st.sampled_from(paths))
        target: Any = doc
        for part in path:
            target = target[part]
        key = data.draw(st.text(min_size=1, max_size=8).filter(lambda k: k not in reserved))
        target[key] = data.draw(json_values)
    expected = copy.deepcopy(doc)
    cred = parse_credential(doc)
    assert cred.to_json_dict() == expected
    assert json.loads(cred.to_json()) == expected
    assert doc == expected


# --------------------------------------------------------------------------- identity objects


def test_identity_hash_matches_the_ob3_spec_example() -> None:
    # OB3 IdentityHash: sha256 of "a@example.comKosher" (identifier + salt, UTF-8), in hex.
    ident = IdentityObject.hashed("emailAddress", "a@example.com", salt="Kosher")
    assert ident.identity_hash == (
        "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399"
    )
    assert ident.to_json_dict() == {
        "type": "IdentityObject",
        "hashed": True,
        "identityHash": ident.identity_hash,
        "identityType": "emailAddress",
        "salt": "Kosher",
    }


def test_identity_hash_of_non_ascii_value_hashes_utf8_of_value_then_salt() -> None:
    expected = hashlib.sha256("jöran@example.nl".encode() + b"zout").hexdigest()
    ident = IdentityObject.hashed("emailAddress", "jöran@example.nl", salt="zout")
    assert ident.identity_hash == "sha256$" + expected
    assert ident.matches("jöran@example.nl")
    assert not ident.matches("joran@example.nl")


def test_identity_hash_default_salt_is_random_and_recorded() -> None:
    first = IdentityObject.hashed("emailAddress", "jan@example.nl")
    second = IdentityObject.hashed("emailAddress", "jan@example.nl")
    assert first.salt and second.salt and first.salt != second.salt
    assert len(first.salt) == 32 and int(first.salt, 16) >= 0
    assert first.identity_hash != second.identity_hash
    assert first.matches("jan@example.nl") and second.matches("jan@example.nl")


def test_identity_matches_plain_md5_and_uppercase_hex() -> None:
    assert IdentityObject.plain("name", "Jan Jansen").matches("Jan Jansen")
    assert not IdentityObject.plain("name", "Jan Jansen").matches("jan jansen")
    md5 = hashlib.md5(b"a@example.comsalt", usedforsecurity=False).hexdigest().upper()
    legacy = IdentityObject.from_json(
        {
            "type": "IdentityObject",
            "hashed": True,
            "identityHash": "md5$" + md5,
            "identityType": "emailAddress",
            "salt": "salt",
        }
    )
    assert legacy.matches("a@example.com")
    unsalted = IdentityObject.from_json(
        {
            "type": "IdentityObject",
            "hashed": True,
            "identityType": "emailAddress",
            "identityHash": "sha256$" + hashlib.sha256(b"a@example.com").hexdigest(),
        }
    )
    assert unsalted.matches("a@example.com")


def test_hashed_identity_needs_an_identity_hash_value() -> None:
    with pytest.raises(ModelValidationError) as info:
        IdentityObject.from_json(
            {
                "type": "IdentityObject",
                "hashed": True,
                "identityHash": "a@example.com",
                "identityType": "emailAddress",
            }
        )
    assert errors_of(info) == {"identityHash": "ob3_identity_hash"}
    with pytest.raises(ModelValidationError) as info:
        IdentityObject.hashed("email", "a@example.com")
    assert errors_of(info) == {"identityType": "ob3_enum"}


# --------------------------------------------------------------------------- frozen / edits


def test_models_are_frozen_and_refuse_assignment_with_a_typed_error() -> None:
    cred = built_credential()
    with pytest.raises(ModelValidationError) as info:
        cred.name = "changed"  # type: ignore[misc]
    assert info.value.errors[0]["type"] == "frozen_instance"
    with pytest.raises(ModelValidationError):
        del cred.credential_subject.achievement.name


def test_with_updates_validates_and_keeps_extensions() -> None:
    cred = AchievementCredential.from_json(minimal_doc(**{"ex:x": 1}))
    changed = cred.with_updates(
        {"name": "Nieuw", "validUntil": "2030-01-01T00:00:00Z", "ex:y": [2]}
    )
    out = changed.to_json_dict()
    assert out["name"] == "Nieuw" and out["validUntil"] == "2030-01-01T00:00:00Z"
    assert out["ex:x"] == 1 and out["ex:y"] == [2]
    assert cred.name == "Data Privacy in de Zorg"
    assert (
        "description"
        not in changed.with_updates({"description": "d"})
        .with_updates({"description": None})
        .to_json_dict()
    )
    with pytest.raises(ModelValidationError) as info:
        cred.with_updates({"valid_until": "2030-01-01T00:00:00"})
    assert errors_of(info) == {"validUntil": "datetime_naive"}


def test_model_copy_update_is_the_unvalidated_edit_path() -> None:
    cred = built_credential()
    copy_ = cred.model_copy(update={"name": "Snel"})
    assert copy_.name == "Snel" and copy_.to_json_dict()["name"] == "Snel"
    assert cred.name is None


# --------------------------------------------------------------------------- errors


def test_pydantic_validation_error_never_escapes() -> None:
    attempts = [
        lambda: AchievementCredential(id="x"),  # type: ignore[call-arg]
        lambda: AchievementCredential.model_validate({"id": 1}),
        lambda: AchievementCredential.model_validate_json("{}"),
        lambda: AchievementCredential.from_json("{not json"),
        lambda: AchievementCredential.from_json("[1, 2]"),
        lambda: AchievementCredential.from_json('{"x": NaN}'),
        lambda: parse_credential(b"\xff\xfe"),
        lambda: Image(id="https://x", type="Picture"),  # type: ignore[arg-type]
    ]
    for attempt in attempts:
        with pytest.raises(ModelValidationError) as info:
            attempt()
        assert not isinstance(info.value, ValidationError)
        assert isinstance(info.value, InvalidInputError)
        assert info.value.code == "model_invalid"
        assert info.value.errors and all(
            set(e) == {"loc", "msg", "type"} for e in info.value.errors
        )


def test_error_message_names_class_field_and_rule() -> None:
    doc = minimal_doc()
    doc["credentialSubject"]["achievement"]["inLanguage"] = "Dutch"
    with pytest.raises(ModelValidationError) as info:
        parse_credential(doc)
    message = str(info.value)
    assert message.startswith("AchievementCredential does not fit the OB3 data model (1 problem)")
    assert "credentialSubject.achievement.inLanguage" in message and "pattern" in message
    assert info.value.to_dict()["code"] == "model_invalid"


def test_constructor_errors_use_wire_paths_too() -> None:
    with pytest.raises(ModelValidationError) as info:
        AchievementCredential(
            id="urn:x",
            issuer="did:example:i",
            valid_from="2026-01-01T00:00:00",
            credential_subject={"id": "did:example:s", "achievement": {"id": "urn:a"}},
        )
    assert errors_of(info) == {
        "validFrom": "datetime_naive",
        "credentialSubject.achievement.criteria": "missing",
        "credentialSubject.achievement.description": "missing",
        "credentialSubject.achievement.name": "missing",
    }


def test_many_errors_are_all_listed_but_the_message_is_bounded() -> None:
    doc = minimal_doc()
    doc["credentialSubject"]["achievement"]["alignment"] = [{"type": ["Alignment"]}] * 6
    with pytest.raises(ModelValidationError) as info:
        AchievementCredential.from_json(doc)
    assert len(info.value.errors) == 12
    assert "and 4 more" in info.value.message


# --------------------------------------------------------------------------- vs the schema

# model class -> the $def of the OB3 schema it implements
SCHEMA_DEFS: dict[type[OB3Model], str] = {
    Image: "Image",
    Criteria: "Criteria",
    Alignment: "Alignment",
    IdentifierEntry: "IdentifierEntry",
    GeoCoordinates: "GeoCoordinates",
    Address: "Address",
    Profile: "Profile",
    Related: "Related",
    RubricCriterionLevel: "RubricCriterionLevel",
    ResultDescription: "ResultDescription",
    Achievement: "Achievement",
    IdentityObject: "IdentityObject",
    Result: "Result",
    AchievementSubject: "AchievementSubject",
    EndorsementSubject: "EndorsementSubject",
    Evidence: "Evidence",
    CredentialSchema: "CredentialSchema",
    CredentialStatus: "CredentialStatus",
    RefreshService: "RefreshService",
    TermsOfUse: "TermsOfUse",
    Proof: "Proof",
    EndorsementCredential: "EndorsementCredential",
}
LEGACY_KEYS = {"issuanceDate", "expirationDate"}


def _model_keys(cls: type[OB3Model]) -> tuple[set[str], set[str]]:
    keys = _wire_keys(cls)
    required = {keys[name] for name, info in cls.model_fields.items() if info.is_required()}
    return set(keys.values()), required


@pytest.mark.parametrize("cls", [*SCHEMA_DEFS, AchievementCredential], ids=lambda c: c.__name__)
def test_model_properties_match_the_ob3_schema(cls: type[OB3Model]) -> None:
    schema = load_reference_json(*ACH_SCHEMA)
    node = schema if cls is AchievementCredential else schema["$defs"][SCHEMA_DEFS[cls]]
    keys, required = _model_keys(cls)
    assert keys - LEGACY_KEYS == set(node["properties"])
    # every model-required property is schema-required; a schema-required one the model
    # does not require has a default (type, @context) or is validFrom (legacy issuanceDate)
    schema_required = set(node.get("required", []))
    assert required <= schema_required
    assert schema_required - required <= {"type", "@context", "validFrom"}
    for key in schema_required - required - {"validFrom"}:
        name = next(n for n, k in _wire_keys(cls).items() if k == key)
        assert cls.model_fields[name].get_default(call_default_factory=True) is not None


def test_endorsement_schema_and_embedded_definition_agree() -> None:
    embedded = load_reference_json(*ACH_SCHEMA)["$defs"]["EndorsementCredential"]
    standalone = load_reference_json(*END_SCHEMA)
    assert set(embedded["properties"]) == set(standalone["properties"])


def test_credential_base_is_shared() -> None:
    assert issubclass(AchievementCredential, Credential)
    assert issubclass(EndorsementCredential, Credential)
    assert EndorsementSubject(id="did:example:x").type == ["EndorsementSubject"]
    assert CredentialStatus(id="urn:s", type="BitstringStatusListEntry").type == (
        "BitstringStatusListEntry"
    )
    assert RefreshService(id="urn:r", type="1EdTechCredentialRefresh").id == "urn:r"
    assert TermsOfUse(type="IssuerPolicy").to_json_dict() == {"type": "IssuerPolicy"}
    assert Evidence(name="e").to_json_dict() == {"type": ["Evidence"], "name": "e"}
    assert Address(address_country_code="NL").to_json_dict()["type"] == ["Address"]
    assert CredentialSchema(id="https://x").to_json_dict()["type"] == (
        "1EdTechJsonSchemaValidator2019"
    )
