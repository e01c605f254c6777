"""The edubadges reference examples convert to a valid, signable OB3 microcredential.

The three documents in ``../shared/reference/edubadges/examples/`` (public OB2 assertion,
badge class with the microcredential fields, issuer with the institution extensions) are
used as they are, with one exception: the example assertion is hand-made and its recipient
``identity`` is the placeholder text ``sha256$<hex of lower(recipient_identifier)+salt>``,
which no edubadges server publishes. :func:`_with_real_hash` puts in the hash edubadges would
publish for a made-up learner (SHA-256 of the lower-cased identifier with the example's salt
appended); the placeholder itself is refused with a clear error
(``test_verbatim_example_recipient_placeholder_is_refused``).
"""

from __future__ import annotations

import copy
import hashlib
import json
import subprocess
import sys
from typing import Any

import pytest

from mcbadge.edubadges import ConversionResult, InvalidSourceFieldError, to_microcredential
from mcbadge.issue import issue
from mcbadge.jsonld.strict import check_strict
from mcbadge.jsonld.urls import EDUBADGES_MICROCREDENTIAL_SCHEMA_URL
from mcbadge.keys import KeyPair
from mcbadge.proofs import verify_proofs
from mcbadge.schema import validate_schema
from tests.conftest import PROJECT_ROOT, load_reference_json, reference_path

EXAMPLES = ("edubadges", "examples")
LEARNER_IDENTIFIER = "s1234567@student.example.edu"
CRED_ID = "urn:uuid:4d1f2a9c-8e3b-4c7d-a6f5-0b9e8d7c6a51"


def _documents() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    return (
        load_reference_json(*EXAMPLES, "assertion-ob2-public.json"),
        load_reference_json(*EXAMPLES, "badgeclass-ob2-public.microcredential.json"),
        load_reference_json(*EXAMPLES, "issuer-ob2-public.institution-extensions.json"),
    )


def _edubadges_hash(identifier: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((identifier.lower() + salt).encode("utf-8")).hexdigest()


def _with_real_hash(assertion: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(assertion)
    recipient = out["recipient"]
    recipient["identity"] = _edubadges_hash(LEARNER_IDENTIFIER, recipient["salt"])
    return out


def _convert(**kwargs: Any) -> tuple[ConversionResult, tuple[dict[str, Any], ...]]:
    a, b, i = _documents()
    a = _with_real_hash(a)
    return to_microcredential(a, b, i, learner_name="Ana de Vries", **kwargs), (a, b, i)


def _credential(**kwargs: Any) -> dict[str, Any]:
    result, _ = _convert()
    doc: dict[str, Any] = result.to_credential(id=CRED_ID, **kwargs).to_json_dict()
    return doc


def _alignments(doc: dict[str, Any], target_type: str) -> list[dict[str, Any]]:
    return [
        a
        for a in doc["credentialSubject"]["achievement"]["alignment"]
        if a["targetType"] == target_type
    ]


def test_verbatim_example_recipient_placeholder_is_refused() -> None:
    a, b, i = _documents()
    with pytest.raises(InvalidSourceFieldError, match="64 hex digits") as info:
        to_microcredential(a, b, i, learner_name="Ana de Vries")
    assert info.value.path == "assertion.recipient.identity"


def test_example_converts_to_a_credential_that_passes_the_ob3_schema_and_strict_jsonld() -> None:
    doc = _credential(policy="hbo-wo")
    validate_schema(doc)
    check_strict(doc)


def test_example_keeps_ects_eqf_outcome_study_load_language_and_programme() -> None:
    _, (_, badge_class, _) = _convert()
    doc = _credential()
    achievement = doc["credentialSubject"]["achievement"]
    # ECTS (extensions:ECTSExtension.ECTS = 5)
    assert badge_class["extensions:ECTSExtension"]["ECTS"] == 5
    assert achievement["creditsAvailable"] == 5
    assert doc["credentialSubject"]["creditsEarned"] == 5
    # EQF (extensions:EQFExtension.EQF = 6), and the NLQF level derived from it
    assert [(a["targetCode"], a["targetFramework"]) for a in _alignments(doc, "ext:EQF")] == [
        ("6", "EQF")
    ]
    assert [a["targetCode"] for a in _alignments(doc, "ext:NLQF")] == ["6"]
    # learning outcome
    outcome = badge_class["extensions:LearningOutcomeExtension"]["LearningOutcome"]
    assert [a["targetName"] for a in _alignments(doc, "ext:LearningOutcome")] == [outcome]
    assert outcome in achievement["criteria"]["narrative"]
    # study load: 5 EC is 140 hours (28 h per EC)
    assert [(a["targetCode"], a["targetFramework"]) for a in _alignments(doc, "ext:StudyLoad")] == [
        ("140", "ECTS")
    ]
    # language nl_NL as the OB3 language tag nl-NL
    assert achievement["inLanguage"] == "nl-NL"
    # programme identifier 56823 (CROHO: the size is in EC)
    assert achievement["otherIdentifier"] == [
        {"type": "IdentifierEntry", "identifier": "56823", "identifierType": "ext:CROHO"}
    ]


def test_example_keeps_the_other_microcredential_fields() -> None:
    a, badge_class, issuer = _documents()
    doc = _credential()
    achievement = doc["credentialSubject"]["achievement"]
    assert achievement["id"] == badge_class["id"]
    assert achievement["name"] == doc["name"] == badge_class["name"]
    assert achievement["description"] == badge_class["description"]
    assert achievement["image"]["id"] == badge_class["image"]
    assert achievement["achievementType"] == "MicroCredential"
    (qa,) = _alignments(doc, "ext:QualityAssurance")
    assert (qa["targetName"], qa["targetUrl"], qa["targetDescription"]) == (
        badge_class["qualityAssuranceName"],
        badge_class["qualityAssuranceUrl"],
        badge_class["qualityAssuranceDescription"],
    )
    assert [x["targetCode"] for x in _alignments(doc, "ext:ParticipationType")] == [
        "onsite or blended"
    ]
    assert [x["targetCode"] for x in _alignments(doc, "ext:AssessmentType")] == ["testing"]
    assert [x["targetCode"] for x in _alignments(doc, "ext:IdentityChecked")] == ["true"]
    assert [x["targetCode"] for x in _alignments(doc, "ext:Stackability")] == ["stand-alone"]
    assert doc["issuer"]["name"] == "Example University"
    assert doc["issuer"]["otherIdentifier"][0]["identifier"] == "21PB"
    assert doc["issuer"]["address"]["addressCountryCode"] == "NL"
    assert (doc["validFrom"], doc["validUntil"]) == (a["issuedOn"], a["expires"])


def test_example_keeps_the_recipient_hash_and_salt() -> None:
    _, (assertion, _, _) = _convert()
    doc = _credential()
    hashed = [i for i in doc["credentialSubject"]["identifier"] if i["hashed"]]
    assert hashed == [
        {
            "type": "IdentityObject",
            "hashed": True,
            "identityHash": assertion["recipient"]["identity"],
            "identityType": "identifier",
            "salt": assertion["recipient"]["salt"],
        }
    ]


def test_example_unmapped_report_lists_exactly_the_fields_not_carried() -> None:
    result, (a, b, i) = _convert()
    grading = "extensions:GradingTableExtension"
    assert [(u.path, u.value) for u in result.unmapped] == [
        ("assertion.id", a["id"]),
        ("assertion.image", a["image"]),
        ("assertion.evidence", a["evidence"]),
        ("assertion.narrative", a["narrative"]),
        ("assertion.updatedAt", a["updatedAt"]),
        ("assertion._comment", a["_comment"]),
        ("badge_class.participation", "online"),
        ("badge_class.assessmentType", "portfolio_assessment"),
        ("badge_class.assessmentSupervised", True),
        ("badge_class.alignment[0]", b["alignment"][0]),
        ("badge_class.gradeAchievedRequired", False),
        ("badge_class.eqfNlqfLevelVerified", True),
        ("badge_class._comment", b["_comment"]),
        (f"issuer.{grading}.GradingTableURL", i[grading]["GradingTableURL"]),
        ("issuer._comment", i["_comment"]),
    ]
    assert all(u.reason for u in result.unmapped)


def test_example_credential_signs_and_verifies() -> None:
    key = KeyPair.generate("Ed25519")
    result, _ = _convert()
    credential = result.to_credential(id=CRED_ID, issuer_id=key.did_key, policy="hbo-wo")
    signed = issue(credential, key)
    assert [r.verified for r in verify_proofs(signed)] == [True]
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["achievement"]["creditsAvailable"] = 30
    assert [r.verified for r in verify_proofs(tampered)] == [False]


def test_example_with_a_study_load_instead_of_ects_keeps_the_sbu() -> None:
    a, b, i = _documents()
    del b["extensions:ECTSExtension"]
    b["extensions:StudyLoadExtension"] = {
        "@context": "EXT/extensions/StudyLoadExtension/context.json",
        "type": ["Extension", "extensions:StudyLoadExtension"],
        "StudyLoad": 240,
    }
    result = to_microcredential(_with_real_hash(a), b, i, learner_name="Ana de Vries")
    doc = result.to_credential(id=CRED_ID, policy="mbo").to_json_dict()
    validate_schema(doc)
    assert [(x["targetCode"], x["targetFramework"]) for x in _alignments(doc, "ext:StudyLoad")] == [
        ("240", "SBU")
    ]
    assert doc["credentialSubject"]["achievement"]["otherIdentifier"][0]["identifierType"] == (
        "ext:CREBO"
    )


def test_example_in_the_edubadges_profile_passes_both_schemas() -> None:
    result, _ = _convert(supervision="onsite with identity verification")
    doc = result.to_credential(id=CRED_ID, profile="edubadges").to_json_dict()
    validate_schema(doc)
    validate_schema(doc, schema_url=EDUBADGES_MICROCREDENTIAL_SCHEMA_URL)
    assert doc["credentialSubject"]["achievement"]["ECTS"] == 5


def test_convert_example_program_prints_the_credential_and_the_report() -> None:
    folder = reference_path(*EXAMPLES)
    run = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "examples" / "convert_edubadge.py"), str(folder)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert [r.verified for r in verify_proofs(report["credential"])] == [True]
    assert report["credential"]["credentialSubject"]["achievement"]["creditsAvailable"] == 5
    assert "assertion.evidence" in [u["path"] for u in report["unmapped"]]
