"""The Dutch/EU microcredential builder: inputs, policy profiles and the OB3 mapping."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest

from mcbadge.demo import sample_microcredential
from mcbadge.errors import ModelValidationError, PolicyError
from mcbadge.microcredential import (
    EDUCREDENTIAL_CONTEXT_URL,
    OB3_CONTEXT_URL,
    VC_V2_CONTEXT_URL,
    Institution,
    Learner,
    Microcredential,
    Unit,
    check_policy,
)

CRED_ID = "urn:uuid:5d2b8c3e-1a4f-4b6e-8c9d-0e1f2a3b4c5d"


def _base(**changes: Any) -> dict[str, Any]:
    mc = sample_microcredential()
    data: dict[str, Any] = {name: getattr(mc, name) for name in type(mc).model_fields}
    data["eqf"] = None  # derived from nlqf unless a test sets it
    data.update(changes)
    return data


def _doc(mc: Microcredential, **kwargs: Any) -> dict[str, Any]:
    kwargs.setdefault("valid_from", "2026-01-15T10:00:00Z")
    cred = mc.to_credential(id=CRED_ID, **kwargs)
    doc: dict[str, Any] = cred.to_json_dict()
    return doc


def _alignments(doc: dict[str, Any], target_type: str) -> list[dict[str, Any]]:
    achievement = doc["credentialSubject"]["achievement"]
    return [a for a in achievement["alignment"] if a["targetType"] == target_type]


# --- bad input: typed errors that name the field and the rule -------------------------------


def test_missing_learner_is_a_model_error_naming_learner() -> None:
    data = _base()
    del data["learner"]
    with pytest.raises(ModelValidationError, match=r"learner") as info:
        Microcredential(**data)
    assert info.value.code == "model_invalid"
    assert info.value.errors[0]["loc"] == "learner"


def test_nlqf_9_is_refused_with_the_range_rule() -> None:
    with pytest.raises(ModelValidationError, match=r"nlqf.*1–8.*nlqf\.range"):
        Microcredential(**_base(nlqf=9))


def test_eqf_that_contradicts_nlqf_is_refused() -> None:
    with pytest.raises(ModelValidationError, match=r"nlqf\.eqf-match"):
        Microcredential(**_base(nlqf=6, eqf=5))
    with pytest.raises(ModelValidationError, match=r"entry level has no EQF"):
        Microcredential(**_base(nlqf="entry", eqf=1, ects=None, sbu=80))


def test_eqf_0_is_refused_with_the_range_rule() -> None:
    with pytest.raises(ModelValidationError, match=r"eqf.*eqf\.range"):
        Microcredential(**_base(eqf=0))


def test_two_ec_under_hbo_wo_breaks_the_ects_range_rule() -> None:
    mc = Microcredential(**_base(ects=2))
    with pytest.raises(PolicyError, match=r"hbo-wo\.ects-range.*3–30 EC.*got 2 EC") as info:
        mc.to_credential(id=CRED_ID, valid_from="2026-01-15T10:00:00Z")
    assert info.value.rule == "hbo-wo.ects-range"
    assert info.value.field == "ects"
    assert info.value.code == "policy_violation"


def test_thirty_one_ec_breaks_the_ects_range_rule() -> None:
    with pytest.raises(PolicyError, match=r"hbo-wo\.ects-range"):
        Microcredential(**_base(ects=31)).check("hbo-wo")


@pytest.mark.parametrize("ects", [3, 30, Decimal("7.5")])
def test_ects_on_the_range_bounds_pass_hbo_wo(ects: Any) -> None:
    Microcredential(**_base(ects=ects)).check("hbo-wo")


def test_naive_valid_from_is_refused_naming_the_field() -> None:
    with pytest.raises(ModelValidationError, match=r"valid_from.*naive.*time zone") as info:
        sample_microcredential().to_credential(
            id=CRED_ID,
            valid_from=datetime(2026, 1, 15, 10, 0, 0),  # noqa: DTZ001 - the point of the test
        )
    assert info.value.details["field"] == "valid_from"


def test_valid_from_text_without_zone_is_refused() -> None:
    with pytest.raises(ModelValidationError, match=r"valid_from.*time zone"):
        sample_microcredential().to_credential(id=CRED_ID, valid_from="2026-01-15T10:00:00")


def test_bad_in_language_is_refused_naming_the_rule() -> None:
    with pytest.raises(ModelValidationError, match=r"language.*inLanguage") as info:
        Unit(name="X", language="en-EN-x")
    assert info.value.errors[0]["loc"] == "language"


def test_unknown_field_is_refused_not_dropped() -> None:
    with pytest.raises(ModelValidationError, match=r"ectz"):
        Microcredential(**_base(ectz=5))


def test_relative_institution_url_is_refused() -> None:
    with pytest.raises(ModelValidationError, match=r"absolute IRI"):
        Institution(name="X", url="hs-voorbeeld.nl")


def test_both_ects_and_sbu_is_refused() -> None:
    with pytest.raises(ModelValidationError, match=r"not both"):
        Microcredential(**_base(sbu=240))


def test_no_learning_outcomes_is_refused() -> None:
    with pytest.raises(ModelValidationError, match=r"at least one learning outcome"):
        Microcredential(**_base(learning_outcomes=[]))


def test_mbo_under_80_sbu_breaks_the_minimum_rule() -> None:
    mc = Microcredential(**_base(ects=None, sbu=60, nlqf=4))
    assert mc.default_policy == "mbo"
    with pytest.raises(PolicyError, match=r"mbo\.sbu-minimum.*80 SBU") as info:
        mc.check()
    assert info.value.field == "sbu"


def test_mbo_at_80_and_240_sbu_passes() -> None:
    for sbu in (80, 240):
        Microcredential(**_base(ects=None, sbu=sbu, nlqf=4)).check("mbo")


def test_hbo_wo_hours_must_match_28_hours_per_ec() -> None:
    unit = Unit(name="Data Privacy in de Zorg", hours=100)
    mc = Microcredential(**_base(unit=unit))
    with pytest.raises(PolicyError, match=r"hbo-wo\.ects-hours.*140"):
        mc.check("hbo-wo")
    ok = Microcredential(**_base(unit=Unit(name="Data Privacy in de Zorg", hours=140)))
    ok.check("hbo-wo")
    assert ok.study_hours == 140


def test_eu_policy_lists_every_missing_mandatory_element() -> None:
    mc = Microcredential(**_base(assessment=None, participation=None, quality_assurance=None))
    with pytest.raises(PolicyError) as info:
        check_policy(mc, "eu")
    rules = [v["rule"] for v in info.value.details["violations"]]
    assert rules == ["eu.assessment-type", "eu.participation-form", "eu.quality-assurance"]
    assert info.value.rule == "eu.assessment-type"


def test_policy_none_lets_a_looser_credential_through() -> None:
    mc = Microcredential(**_base(ects=2, assessment=None))
    doc = _doc(mc, policy="none")
    assert doc["credentialSubject"]["achievement"]["creditsAvailable"] == 2


def test_unknown_policy_is_refused() -> None:
    with pytest.raises(PolicyError, match=r"unknown policy"):
        sample_microcredential().check("havo")  # type: ignore[arg-type]


def test_from_dict_gives_typed_errors() -> None:
    with pytest.raises(ModelValidationError, match=r"Learner\.name"):
        Learner.from_dict({"email": "x@example.nl"})


# --- the mapping ---------------------------------------------------------------------------


def test_ob3_profile_uses_only_vc2_and_ob3_contexts() -> None:
    doc = _doc(sample_microcredential())
    assert doc["@context"] == [VC_V2_CONTEXT_URL, OB3_CONTEXT_URL]
    assert doc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]


def test_dutch_fields_are_machine_readable() -> None:
    doc = _doc(sample_microcredential())
    subject = doc["credentialSubject"]
    ach = subject["achievement"]
    assert ach["achievementType"] == "MicroCredential"
    assert ach["name"] == "Data Privacy in de Zorg"
    assert ach["humanCode"] == "DPZ-01"
    assert ach["creditsAvailable"] == 5 and isinstance(ach["creditsAvailable"], int)
    assert subject["creditsEarned"] == 5
    assert [a["targetCode"] for a in _alignments(doc, "ext:NLQF")] == ["6"]
    assert [a["targetCode"] for a in _alignments(doc, "ext:EQF")] == ["6"]
    assert len(_alignments(doc, "ext:LearningOutcome")) == 3
    assert _alignments(doc, "ext:AssessmentType")[0]["targetCode"] == "testing"
    assert _alignments(doc, "ext:ParticipationType")[0]["targetCode"] == "online"
    assert _alignments(doc, "ext:QualityAssurance")[0]["targetUrl"].startswith("https://")
    assert _alignments(doc, "ext:StudyLoad")[0]["targetCode"] == "140"
    assert subject["result"][0]["value"] == "8.5"
    assert ach["resultDescription"][0]["id"] == subject["result"][0]["resultDescription"]
    for alignment in ach["alignment"]:
        assert alignment["targetUrl"].startswith("https://")
    issuer = doc["issuer"]
    assert issuer["address"]["addressCountryCode"] == "NL"
    assert issuer["otherIdentifier"][0] == {
        "type": "IdentifierEntry",
        "identifier": "99XX",
        "identifierType": "ext:BRIN",
    }
    assert doc["validFrom"] == "2026-01-15T10:00:00Z"
    assert doc["awardedDate"] == "2026-01-15T10:00:00Z"


def test_learner_name_is_plain_and_email_hashed() -> None:
    doc = _doc(sample_microcredential())
    ids = {i["identityType"]: i for i in doc["credentialSubject"]["identifier"]}
    assert ids["name"]["identityHash"] == "Jan Jansen"
    assert ids["name"]["hashed"] is False
    email = ids["emailAddress"]
    assert email["hashed"] is True
    assert email["identityHash"].startswith("sha256$")
    assert "jan.jansen" not in str(doc)


def test_learning_outcomes_are_listed_in_the_criteria_narrative() -> None:
    doc = _doc(sample_microcredential())
    narrative = doc["credentialSubject"]["achievement"]["criteria"]["narrative"]
    assert "- Voert een DPIA uit voor een zorgtoepassing." in narrative


def test_sbu_is_an_alignment_in_the_ob3_profile() -> None:
    mc = Microcredential(**_base(ects=None, sbu=240, nlqf=4))
    doc = _doc(mc)
    assert _alignments(doc, "ext:StudyLoad")[0]["targetCode"] == "240"
    assert "creditsAvailable" not in doc["credentialSubject"]["achievement"]


def test_nlqf_entry_level_has_no_eqf() -> None:
    mc = Microcredential(**_base(ects=None, sbu=80, nlqf="entry", eqf=None))
    doc = _doc(mc)
    assert _alignments(doc, "ext:NLQF")[0]["targetCode"] == "entry"
    assert _alignments(doc, "ext:EQF") == []


def test_pass_fail_result_is_completed_status() -> None:
    from mcbadge.microcredential import Result

    doc = _doc(Microcredential(**_base(result=Result(grade=None))))
    assert doc["credentialSubject"]["result"][0]["status"] == "Completed"
    assert doc["credentialSubject"]["achievement"]["resultDescription"][0]["resultType"] == (
        "Status"
    )


def test_faculty_issues_with_institution_as_parent_org() -> None:
    parent = Institution(name="Universiteit Voorbeeld", url="https://www.uni-voorbeeld.nl")
    faculty = Institution(
        name="Faculteit Rechten", url="https://law.uni-voorbeeld.nl", parent=parent
    )
    doc = _doc(Microcredential(**_base(institution=faculty)))
    assert doc["issuer"]["parentOrg"]["name"] == "Universiteit Voorbeeld"


def test_issuer_id_override_and_learner_did() -> None:
    mc = Microcredential(**_base(learner=Learner(name="Jan", did="did:example:learner-1")))
    doc = _doc(mc, issuer_id="did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK")
    assert doc["issuer"]["id"].startswith("did:key:")
    assert doc["credentialSubject"]["id"] == "did:example:learner-1"


def test_edubadges_profile_adds_the_educredential_terms() -> None:
    doc = _doc(sample_microcredential(), profile="edubadges")
    assert doc["@context"][-1] == EDUCREDENTIAL_CONTEXT_URL
    ach = doc["credentialSubject"]["achievement"]
    assert ach["type"] == ["Achievement", "EducredentialAchievement"]
    assert ach["ECTS"] == 5
    assert ach["assessmentType"] == "testing"
    assert ach["participationType"] == "online"
    assert ach["supervisionType"] == "onsite with identity verification"
    assert ach["identityChecked"] is True


def test_edubadges_profile_requires_image_and_supervision() -> None:
    mc = Microcredential(**_base(unit=Unit(name="X"), supervision=None))
    with pytest.raises(PolicyError, match=r"unit\.image and supervision") as info:
        _doc(mc, profile="edubadges")
    assert info.value.rule == "edubadges.required-fields"


def test_ob3_profile_has_no_credential_schema_with_an_undefined_type() -> None:
    assert "credentialSchema" not in _doc(sample_microcredential())


def test_to_credential_does_not_mutate_the_builder() -> None:
    mc = sample_microcredential()
    before = mc.model_dump()
    _doc(mc)
    _doc(mc, profile="edubadges")
    assert mc.model_dump() == before


def test_valid_from_defaults_to_now_in_utc_whole_seconds() -> None:
    cred = sample_microcredential().to_credential(id=CRED_ID)
    valid_from = cred.to_json_dict()["validFrom"]
    assert valid_from.endswith("Z") and "." not in valid_from
