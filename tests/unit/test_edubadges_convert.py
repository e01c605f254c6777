"""edubadges OB2 assertion + badge class + issuer -> Microcredential (mcbadge.edubadges.convert).

The documents here are small hand-written edubadges shapes, so these tests need no reference
data; ``tests/conformance/test_edubadges_conversion.py`` converts the reference examples.
"""

from __future__ import annotations

import copy
import hashlib
import re
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcbadge.edubadges import (
    ConversionError,
    ConversionResult,
    InvalidSourceFieldError,
    MissingSourceFieldError,
    PublicAssertion,
    PublicBadgeClass,
    RevokedAssertionError,
    UnmappedField,
    to_microcredential,
)
from mcbadge.errors import InvalidInputError, ModelValidationError
from mcbadge.microcredential import (
    HashedIdentity,
    Institution,
    Learner,
    Microcredential,
    QualityAssurance,
    Result,
    Unit,
)

EXT = "https://api.edubadges.nl/static/extensions"
BADGE_ID = "https://api.edubadges.nl/public/badges/BC1"
ISSUER_ID = "https://api.edubadges.nl/public/issuers/ISS1"
SALT = "70e57619251a4beeac4b75d1f5f834dc"
HASH = "sha256$" + hashlib.sha256(("s1234567@uni.example.nl" + SALT).encode()).hexdigest()
CRED_ID = "urn:uuid:1c9e0f7a-4b2d-4e8f-9a6b-3d5c7e9f1a2b"


def ext(name: str, member: str, value: Any) -> dict[str, Any]:
    """An edubadges extension object as the server publishes it."""
    return {
        f"extensions:{name}": {
            "@context": f"{EXT}/{name}/context.json",
            "type": ["Extension", f"extensions:{name}"],
            member: value,
        }
    }


def assertion(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "badge": BADGE_ID,
        "verification": {"type": "HostedBadge"},
        "issuedOn": "2025-01-15T10:30:00+00:00",
        "recipient": {"hashed": True, "type": "id", "identity": HASH, "salt": SALT},
    }
    doc.update(changes)
    return doc


def badge_class(*extensions: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A minimal microcredential badge class: EQF and learning outcome, plus ``extensions``."""
    doc: dict[str, Any] = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "BadgeClass",
        "id": BADGE_ID,
        "issuer": ISSUER_ID,
        "name": "Data Literacy",
        "typeBadgeClass": "micro_credential",
        **ext("EQFExtension", "EQF", 6),
        **ext("LearningOutcomeExtension", "LearningOutcome", "Analyses data sets."),
    }
    for extension in extensions:
        doc.update(extension)
    doc.update(changes)
    return doc


def issuer(*extensions: dict[str, Any], **changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Issuer",
        "id": ISSUER_ID,
        "name": "Hogeschool Voorbeeld",
    }
    for extension in extensions:
        doc.update(extension)
    doc.update(changes)
    return doc


def convert(
    a: dict[str, Any] | None = None,
    b: dict[str, Any] | None = None,
    i: dict[str, Any] | None = None,
    **kwargs: Any,
) -> ConversionResult:
    kwargs.setdefault("learner_name", "Ana de Vries")
    return to_microcredential(
        a if a is not None else assertion(),
        b if b is not None else badge_class(),
        i if i is not None else issuer(),
        **kwargs,
    )


def unmapped(result: ConversionResult) -> list[tuple[str, Any]]:
    return [(u.path, u.value) for u in result.unmapped]


def achievement(result: ConversionResult, **kwargs: Any) -> dict[str, Any]:
    kwargs.setdefault("policy", "none")
    doc: dict[str, Any] = result.to_credential(id=CRED_ID, **kwargs).to_json_dict()
    return dict(doc["credentialSubject"]["achievement"])


# --------------------------------------------------------------------------- the builder change


def test_hashed_identity_is_written_with_the_same_hash_and_salt() -> None:
    learner = Learner(
        name="Ana",
        hashed_identities=[
            HashedIdentity(identity_type="identifier", identity_hash=HASH, salt=SALT)
        ],
    )
    mc = convert().microcredential.model_copy(update={"learner": learner})
    ids = mc.to_credential(id=CRED_ID, policy="none").to_json_dict()["credentialSubject"][
        "identifier"
    ]
    assert ids[1] == {
        "type": "IdentityObject",
        "hashed": True,
        "identityHash": HASH,
        "identityType": "identifier",
        "salt": SALT,
    }


def test_learner_without_hashed_identities_is_unchanged() -> None:
    assert Learner(name="Jan").hashed_identities == ()
    mc = convert().microcredential.model_copy(update={"learner": Learner(name="Jan")})
    ids = mc.to_credential(id=CRED_ID, policy="none").to_json_dict()["credentialSubject"][
        "identifier"
    ]
    assert [i["identityType"] for i in ids] == ["name"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"identity_hash": "sha256$abc"}, "identity_hash"),
        ({"identity_hash": "plain@example.nl"}, "identity_hash"),
        ({"identity_type": "e-mail"}, "identity_type"),
    ],
)
def test_hashed_identity_rejects_a_malformed_hash_or_type(
    changes: dict[str, Any], field: str
) -> None:
    values: dict[str, Any] = {"identity_type": "emailAddress", "identity_hash": HASH} | changes
    with pytest.raises(ModelValidationError, match=rf"HashedIdentity\.{field}"):
        HashedIdentity(**values)


def test_hashed_identity_accepts_md5_and_extension_types() -> None:
    h = HashedIdentity(identity_type="ext:eduID", identity_hash="md5$" + "0a" * 16)
    assert h.salt is None


# --------------------------------------------------------------------------- each extension alone


def test_minimal_badge_class_converts_with_eqf_and_learning_outcome() -> None:
    result = convert()
    mc = result.microcredential
    assert (mc.nlqf, mc.eqf) == (6, 6)
    assert [o.text for o in mc.outcomes] == ["Analyses data sets."]
    assert mc.unit.name == "Data Literacy"
    assert mc.unit.id == BADGE_ID
    assert result.valid_from == "2025-01-15T10:30:00+00:00"
    assert result.valid_until is None
    assert unmapped(result) == []
    assert any("NLQF level 6 is derived" in n for n in result.notes)


def test_ects_extension_becomes_ects_and_credits() -> None:
    result = convert(b=badge_class(ext("ECTSExtension", "ECTS", 2.5)))
    assert result.microcredential.ects == Decimal("2.5")
    assert achievement(result)["creditsAvailable"] == 2.5


def test_whole_ects_stays_an_integer_in_the_credential() -> None:
    result = convert(b=badge_class(ext("ECTSExtension", "ECTS", 5)))
    assert achievement(result)["creditsAvailable"] == 5
    assert isinstance(achievement(result)["creditsAvailable"], int)


def test_study_load_extension_becomes_sbu() -> None:
    result = convert(b=badge_class(ext("StudyLoadExtension", "StudyLoad", 240)))
    assert result.microcredential.sbu == 240
    assert result.microcredential.ects is None
    loads = [a for a in achievement(result)["alignment"] if a["targetType"] == "ext:StudyLoad"]
    assert [(a["targetCode"], a["targetFramework"]) for a in loads] == [("240", "SBU")]


def test_study_load_beside_ects_is_reported_not_dropped() -> None:
    result = convert(
        b=badge_class(ext("ECTSExtension", "ECTS", 3), ext("StudyLoadExtension", "StudyLoad", 84))
    )
    assert result.microcredential.ects == 3
    assert result.microcredential.sbu is None
    assert unmapped(result) == [("badge_class.extensions:StudyLoadExtension.StudyLoad", 84)]


def test_time_investment_extension_becomes_unit_hours() -> None:
    result = convert(b=badge_class(ext("TimeInvestmentExtension", "TimeInvestment", 13)))
    assert result.microcredential.unit.hours == 13


@pytest.mark.parametrize("hours", [0, 12.5])
def test_time_investment_the_builder_cannot_hold_is_reported(hours: float) -> None:
    result = convert(b=badge_class(ext("TimeInvestmentExtension", "TimeInvestment", hours)))
    assert result.microcredential.unit.hours is None
    assert unmapped(result) == [
        ("badge_class.extensions:TimeInvestmentExtension.TimeInvestment", hours)
    ]


def test_eqf_extension_sets_eqf_and_derives_nlqf() -> None:
    b = badge_class()
    b.update(ext("EQFExtension", "EQF", 4))
    result = convert(b=b)
    assert (result.microcredential.eqf, result.microcredential.nlqf) == (4, 4)
    codes = {a["targetType"]: a.get("targetCode") for a in achievement(result)["alignment"]}
    assert (codes["ext:EQF"], codes["ext:NLQF"]) == ("4", "4")


def test_learning_outcome_extension_becomes_the_learning_outcome() -> None:
    b = badge_class()
    b.update(ext("LearningOutcomeExtension", "LearningOutcome", "* reads\n* writes"))
    result = convert(b=b)
    outcomes = [
        a for a in achievement(result)["alignment"] if a["targetType"] == "ext:LearningOutcome"
    ]
    assert [o["targetName"] for o in outcomes] == ["* reads\n* writes"]


@pytest.mark.parametrize(
    ("value", "code", "rest"),
    [
        (56823, "56823", []),
        ([34139], "34139", []),
        (
            [34139, 56823],
            "34139",
            [
                (
                    "badge_class.extensions:EducationProgramIdentifierExtension"
                    ".EducationProgramIdentifier[1]",
                    56823,
                )
            ],
        ),
        ("1234", "1234", []),
        (25187.0, "25187", []),
    ],
)
def test_education_program_identifier_becomes_the_programme_code(
    value: Any, code: str, rest: list[tuple[str, Any]]
) -> None:
    result = convert(
        b=badge_class(
            ext("EducationProgramIdentifierExtension", "EducationProgramIdentifier", value)
        )
    )
    assert result.microcredential.unit.programme_code == code
    assert result.microcredential.unit.programme_code_type == "ext:CROHO"
    assert unmapped(result) == rest


def test_programme_code_is_crebo_when_the_size_is_sbu() -> None:
    result = convert(
        b=badge_class(
            ext("StudyLoadExtension", "StudyLoad", 240),
            ext("EducationProgramIdentifierExtension", "EducationProgramIdentifier", [25187]),
        )
    )
    other = achievement(result)["otherIdentifier"]
    assert other == [
        {"type": "IdentifierEntry", "identifier": "25187", "identifierType": "ext:CREBO"}
    ]


def test_programme_code_type_argument_wins() -> None:
    result = convert(
        b=badge_class(ext("EducationProgramIdentifierExtension", "EducationProgramIdentifier", 1)),
        programme_code_type="ext:RIO",
    )
    assert result.microcredential.unit.programme_code_type == "ext:RIO"


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("nl_NL", "nl-NL"),
        ("en_EN", "en"),
        ("de_DE", "de-DE"),
        ("en-GB", "en-GB"),
        ("pt_BR", "pt-BR"),
        ("nl", "nl"),
    ],
)
def test_language_extension_becomes_an_ob3_language_tag(value: str, tag: str) -> None:
    result = convert(b=badge_class(ext("LanguageExtension", "Language", value)))
    assert result.microcredential.unit.language == tag
    assert achievement(result)["inLanguage"] == tag
    assert unmapped(result) == []


def test_language_that_maps_to_no_tag_is_reported_and_the_default_noted() -> None:
    result = convert(b=badge_class(ext("LanguageExtension", "Language", "Nederlands")))
    assert unmapped(result) == [("badge_class.extensions:LanguageExtension.Language", "Nederlands")]
    assert result.microcredential.unit.language == "nl"
    assert any("defaults to 'nl'" in n for n in result.notes)


def test_institution_extensions_become_the_issuer_profile() -> None:
    result = convert(
        i=issuer(
            ext("InstitutionIdentifierExtension", "InstitutionIdentifier", "21PB"),
            ext("InstitutionNameExtension", "InstitutionName", "Hogeschool Voorbeeld"),
            ext("InstitutionCountryExtension", "InstitutionCountry", "NL"),
        )
    )
    inst = result.microcredential.institution
    assert (inst.name, inst.brin, inst.country_code) == ("Hogeschool Voorbeeld", "21PB", "NL")
    assert unmapped(result) == []


def test_institution_name_extension_names_an_issuer_without_a_name() -> None:
    i = issuer(ext("InstitutionNameExtension", "InstitutionName", "Universiteit Voorbeeld"))
    del i["name"]
    assert convert(i=i).microcredential.institution.name == "Universiteit Voorbeeld"


def test_institution_name_of_a_faculty_issuer_is_reported() -> None:
    i = issuer(ext("InstitutionNameExtension", "InstitutionName", "Universiteit Voorbeeld"))
    i["name"] = "Faculteit Gezondheidszorg"
    result = convert(i=i)
    assert result.microcredential.institution.name == "Faculteit Gezondheidszorg"
    assert (
        "issuer.extensions:InstitutionNameExtension.InstitutionName",
        "Universiteit Voorbeeld",
    ) in unmapped(result)


def test_institution_country_outside_nl_has_no_dutch_country_name() -> None:
    result = convert(i=issuer(ext("InstitutionCountryExtension", "InstitutionCountry", "be")))
    inst = result.microcredential.institution
    assert (inst.country_code, inst.country) == ("BE", None)


def test_grading_table_extension_is_reported() -> None:
    url = "https://www.hs-voorbeeld.nl/cijfertabel"
    result = convert(i=issuer(ext("GradingTableExtension", "GradingTableURL", url)))
    assert ("issuer.extensions:GradingTableExtension.GradingTableURL", url) in unmapped(result)


# --------------------------------------------------------------------------- invalid values


@pytest.mark.parametrize(
    ("extension", "error", "path"),
    [
        (
            ext("ECTSExtension", "ECTS", "5"),
            InvalidSourceFieldError,
            "badge_class.extensions:ECTSExtension.ECTS",
        ),
        (
            ext("ECTSExtension", "ECTS", True),
            InvalidSourceFieldError,
            "badge_class.extensions:ECTSExtension.ECTS",
        ),
        (
            ext("ECTSExtension", "ECTS", -1),
            InvalidSourceFieldError,
            "badge_class.extensions:ECTSExtension.ECTS",
        ),
        (
            {"extensions:ECTSExtension": {"type": ["Extension", "extensions:ECTSExtension"]}},
            MissingSourceFieldError,
            "badge_class.extensions:ECTSExtension.ECTS",
        ),
        (
            {"extensions:ECTSExtension": 5},
            InvalidSourceFieldError,
            "badge_class.extensions:ECTSExtension",
        ),
        (
            ext("EQFExtension", "EQF", 9),
            InvalidSourceFieldError,
            "badge_class.extensions:EQFExtension.EQF",
        ),
        (
            ext("EQFExtension", "EQF", 5.5),
            InvalidSourceFieldError,
            "badge_class.extensions:EQFExtension.EQF",
        ),
        (
            ext("EQFExtension", "EQF", None),
            InvalidSourceFieldError,
            "badge_class.extensions:EQFExtension.EQF",
        ),
        (
            ext("LearningOutcomeExtension", "LearningOutcome", " "),
            InvalidSourceFieldError,
            "badge_class.extensions:LearningOutcomeExtension.LearningOutcome",
        ),
        (
            ext("StudyLoadExtension", "StudyLoad", 0),
            InvalidSourceFieldError,
            "badge_class.extensions:StudyLoadExtension.StudyLoad",
        ),
        (
            ext("TimeInvestmentExtension", "TimeInvestment", -2),
            InvalidSourceFieldError,
            "badge_class.extensions:TimeInvestmentExtension.TimeInvestment",
        ),
        (
            ext("EducationProgramIdentifierExtension", "EducationProgramIdentifier", ["x"]),
            InvalidSourceFieldError,
            "badge_class.extensions:EducationProgramIdentifierExtension.EducationProgramIdentifier"
            "[0]",
        ),
        (
            ext("LanguageExtension", "Language", 31),
            InvalidSourceFieldError,
            "badge_class.extensions:LanguageExtension.Language",
        ),
    ],
)
def test_invalid_badge_class_extension_raises_a_typed_error_naming_the_path(
    extension: dict[str, Any], error: type[ConversionError], path: str
) -> None:
    with pytest.raises(error) as info:
        convert(b=badge_class(extension))
    assert isinstance(info.value, InvalidInputError)
    assert info.value.path == path
    assert str(info.value).startswith(path)


@pytest.mark.parametrize(
    ("extension", "path"),
    [
        (
            ext("InstitutionCountryExtension", "InstitutionCountry", "Netherlands"),
            "issuer.extensions:InstitutionCountryExtension.InstitutionCountry",
        ),
        (
            ext("InstitutionIdentifierExtension", "InstitutionIdentifier", ""),
            "issuer.extensions:InstitutionIdentifierExtension.InstitutionIdentifier",
        ),
        (
            ext("InstitutionNameExtension", "InstitutionName", 7),
            "issuer.extensions:InstitutionNameExtension.InstitutionName",
        ),
    ],
)
def test_invalid_issuer_extension_raises_a_typed_error_naming_the_path(
    extension: dict[str, Any], path: str
) -> None:
    with pytest.raises(InvalidSourceFieldError) as info:
        convert(i=issuer(extension))
    assert info.value.path == path


@pytest.mark.parametrize(
    ("key", "path"),
    [
        ("extensions:LearningOutcomeExtension", "badge_class.extensions:LearningOutcomeExtension"),
        ("extensions:EQFExtension", "badge_class.extensions:EQFExtension"),
        ("name", "badge_class.name"),
    ],
)
def test_missing_required_badge_class_field_raises_naming_it(key: str, path: str) -> None:
    b = badge_class()
    del b[key]
    with pytest.raises(MissingSourceFieldError) as info:
        convert(b=b)
    assert info.value.path == path


def test_nlqf_argument_stands_in_for_a_missing_eqf_level() -> None:
    b = badge_class()
    del b["extensions:EQFExtension"]
    result = convert(b=b, nlqf="entry")
    assert (result.microcredential.nlqf, result.microcredential.eqf) == ("entry", None)


@pytest.mark.parametrize("nlqf", ["entry", 5])
def test_nlqf_argument_contradicting_the_eqf_level_is_refused(nlqf: Any) -> None:
    with pytest.raises(InvalidSourceFieldError) as info:
        convert(nlqf=nlqf)
    assert info.value.path == "badge_class.extensions:EQFExtension.EQF"


# --------------------------------------------------------------------------- unknown fields


def test_unknown_extension_is_reported_with_its_whole_value() -> None:
    value = {"type": ["Extension", "extensions:SkillsExtension"], "Skills": ["SQL"]}
    result = convert(b=badge_class(**{"extensions:SkillsExtension": value}))
    assert unmapped(result) == [("badge_class.extensions:SkillsExtension", value)]
    assert result.unmapped[0].reason.startswith("not a field mcbadge knows")


@pytest.mark.parametrize("where", ["assertion", "badge_class", "issuer"])
def test_extension_in_the_wrong_document_is_reported(where: str) -> None:
    docs = {"a": assertion(), "b": badge_class(), "i": issuer()}
    misplaced = ext("InstitutionIdentifierExtension", "InstitutionIdentifier", "21PB")
    if where == "issuer":
        misplaced = ext("ECTSExtension", "ECTS", 5)
    docs[where[0]].update(misplaced)
    ((key, value),) = misplaced.items()
    result = convert(**docs)
    assert unmapped(result) == [(f"{where}.{key}", value)]
    assert result.microcredential.ects is None
    assert result.microcredential.institution.brin is None


def test_extra_members_inside_a_known_extension_are_reported() -> None:
    e = ext("ECTSExtension", "ECTS", 5)
    e["extensions:ECTSExtension"]["note"] = "half in 2025"
    result = convert(b=badge_class(e))
    assert unmapped(result) == [("badge_class.extensions:ECTSExtension.note", "half in 2025")]


def test_keys_that_are_not_plain_names_are_quoted_in_paths() -> None:
    result = convert(a=assertion(**{"my key.x": 1}), b=badge_class(**{"x[0]": 2}))
    assert unmapped(result) == [('assertion["my key.x"]', 1), ('badge_class["x[0]"]', 2)]


def test_unmapped_values_are_copies() -> None:
    a = assertion(evidence=[{"id": "https://ev.example/1", "narrative": "x"}])
    result = convert(a=a)
    a["evidence"][0]["narrative"] = "changed"
    assert result.unmapped[0].value == [{"id": "https://ev.example/1", "narrative": "x"}]
    assert result.unmapped[0].to_dict()["path"] == "assertion.evidence"


# --------------------------------------------------------------------------- the assertion


def test_recipient_hash_and_salt_are_kept() -> None:
    result = convert()
    doc = result.to_credential(id=CRED_ID, policy="none").to_json_dict()
    hashed = [i for i in doc["credentialSubject"]["identifier"] if i["hashed"]]
    assert hashed == [
        {
            "type": "IdentityObject",
            "hashed": True,
            "identityHash": HASH,
            "identityType": "identifier",
            "salt": SALT,
        }
    ]


def test_email_recipient_becomes_an_email_address_identity() -> None:
    recipient = {"hashed": True, "type": "email", "identity": "md5$" + "ab" * 16}
    result = convert(a=assertion(recipient=recipient))
    (hashed,) = result.microcredential.learner.hashed_identities
    assert (hashed.identity_type, hashed.identity_hash, hashed.salt) == (
        "emailAddress",
        "md5$" + "ab" * 16,
        None,
    )


def test_plain_email_recipient_is_carried_as_the_learners_email() -> None:
    recipient = {"hashed": False, "type": "email", "identity": "ana@example.nl"}
    result = convert(a=assertion(recipient=recipient))
    assert result.microcredential.learner.email == "ana@example.nl"


@pytest.mark.parametrize(
    ("recipient", "error", "path"),
    [
        (
            {"hashed": True, "type": "id", "identity": "sha256$<hex>", "salt": SALT},
            InvalidSourceFieldError,
            "assertion.recipient.identity",
        ),
        (
            {"hashed": "yes", "type": "id", "identity": HASH},
            InvalidSourceFieldError,
            "assertion.recipient.hashed",
        ),
        ({"hashed": True, "type": "id"}, MissingSourceFieldError, "assertion.recipient.identity"),
        (
            {"hashed": True, "type": "id", "identity": HASH, "salt": 5},
            InvalidSourceFieldError,
            "assertion.recipient.salt",
        ),
        ("ana@example.nl", InvalidSourceFieldError, "assertion.recipient"),
    ],
)
def test_invalid_recipient_raises_naming_the_path(
    recipient: Any, error: type[ConversionError], path: str
) -> None:
    with pytest.raises(error) as info:
        convert(a=assertion(recipient=recipient))
    assert info.value.path == path


def test_missing_learner_name_asks_for_learner_name() -> None:
    with pytest.raises(MissingSourceFieldError, match="learner_name="):
        to_microcredential(assertion(), badge_class(), issuer())


def test_recipient_profile_name_is_used_and_an_argument_overrides_it() -> None:
    profile = {"type": ["Extension", "extensions:RecipientProfile"], "name": "Ana Jansen"}
    a = assertion(**{"extensions:recipientProfile": profile})
    assert to_microcredential(a, badge_class(), issuer()).microcredential.learner.name == (
        "Ana Jansen"
    )
    result = convert(a=a, learner_name="A. Jansen")
    assert result.microcredential.learner.name == "A. Jansen"
    assert unmapped(result) == [("assertion.extensions:recipientProfile.name", "Ana Jansen")]


def test_issued_on_and_expires_become_the_validity_period() -> None:
    result = convert(a=assertion(expires="2026-01-15T00:00:00Z"))
    doc = result.to_credential(id=CRED_ID, policy="none").to_json_dict()
    assert (doc["validFrom"], doc["validUntil"], doc["awardedDate"]) == (
        "2025-01-15T10:30:00+00:00",
        "2026-01-15T00:00:00Z",
        "2025-01-15T10:30:00+00:00",
    )


@pytest.mark.parametrize(
    ("changes", "error", "path"),
    [
        ({"issuedOn": "2025-01-15"}, InvalidSourceFieldError, "assertion.issuedOn"),
        ({"issuedOn": "2025-01-15T10:30:00"}, InvalidSourceFieldError, "assertion.issuedOn"),
        ({"expires": 20260115}, InvalidSourceFieldError, "assertion.expires"),
        (
            {"badge": "https://api.edubadges.nl/public/badges/OTHER"},
            InvalidSourceFieldError,
            "assertion.badge",
        ),
        (
            {"@context": "https://www.w3.org/ns/credentials/v2"},
            InvalidSourceFieldError,
            "assertion.@context",
        ),
        ({"type": "BadgeClass"}, InvalidSourceFieldError, "assertion.type"),
    ],
)
def test_invalid_assertion_field_raises_naming_the_path(
    changes: dict[str, Any], error: type[ConversionError], path: str
) -> None:
    with pytest.raises(error) as info:
        convert(a=assertion(**changes))
    assert info.value.path == path


def test_missing_issued_on_raises() -> None:
    a = assertion()
    del a["issuedOn"]
    with pytest.raises(MissingSourceFieldError) as info:
        convert(a=a)
    assert info.value.path == "assertion.issuedOn"


def test_revoked_assertion_is_refused_with_its_reason() -> None:
    revoked = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": "https://api.edubadges.nl/public/assertions/A1",
        "revoked": True,
        "revocationReason": "Fraude",
    }
    with pytest.raises(RevokedAssertionError, match="Fraude") as info:
        convert(a=revoked)
    assert (info.value.path, info.value.reason) == ("assertion.revoked", "Fraude")


def test_not_revoked_is_noted() -> None:
    result = convert(a=assertion(revoked=False))
    assert any("not revoked" in n for n in result.notes)
    assert unmapped(result) == []


def test_evidence_narrative_and_assertion_id_are_reported() -> None:
    evidence = [{"type": "Evidence", "id": "https://ev.example/thesis", "name": "Thesis"}]
    a = assertion(
        id="https://api.edubadges.nl/public/assertions/A1",
        evidence=evidence,
        narrative="Good work",
        image="https://api.edubadges.nl/img/A1",
    )
    assert unmapped(convert(a=a)) == [
        ("assertion.id", "https://api.edubadges.nl/public/assertions/A1"),
        ("assertion.image", "https://api.edubadges.nl/img/A1"),
        ("assertion.evidence", evidence),
        ("assertion.narrative", "Good work"),
    ]


def test_badge_class_of_another_issuer_is_refused() -> None:
    with pytest.raises(InvalidSourceFieldError) as info:
        convert(b=badge_class(issuer="https://api.edubadges.nl/public/issuers/OTHER"))
    assert info.value.path == "badge_class.issuer"


def test_badge_class_that_is_not_a_microcredential_is_refused() -> None:
    with pytest.raises(InvalidSourceFieldError, match="not a microcredential") as info:
        convert(b=badge_class(typeBadgeClass="regular"))
    assert info.value.path == "badge_class.typeBadgeClass"


def test_non_mapping_document_is_refused() -> None:
    with pytest.raises(InvalidSourceFieldError) as info:
        to_microcredential(assertion(), "badge", issuer())  # type: ignore[arg-type]
    assert info.value.path == "badge_class"


def test_client_models_are_accepted() -> None:
    result = to_microcredential(
        PublicAssertion.model_validate(assertion()),
        PublicBadgeClass.model_validate(badge_class()),
        issuer(),
        learner_name="Ana",
    )
    assert result.microcredential.unit.name == "Data Literacy"


def test_inputs_are_not_modified() -> None:
    a = assertion(evidence=[{"id": "https://ev.example/1"}])
    b = badge_class(ext("ECTSExtension", "ECTS", 5), participation="blended,online")
    i = issuer(ext("GradingTableExtension", "GradingTableURL", "https://x.example/g"))
    before = copy.deepcopy((a, b, i))
    convert(a, b, i)
    assert (a, b, i) == before


# --------------------------------------------------------------------------- vocabularies


@pytest.mark.parametrize(
    ("value", "expected", "rest"),
    [
        ("online", "online", []),
        ("onsite", "onsite or blended", []),
        ("blended", "onsite or blended", []),
        ("work_experience", "work experience", []),
        ("blended,online", "onsite or blended", ["online"]),
        ("blended,onsite", "onsite or blended", []),
        ("online,telepathy", "online", ["telepathy"]),
    ],
)
def test_participation_maps_to_the_eu_vocabulary(
    value: str, expected: str, rest: list[str]
) -> None:
    result = convert(b=badge_class(participation=value))
    assert result.microcredential.participation == expected
    assert unmapped(result) == [("badge_class.participation", v) for v in rest]


@pytest.mark.parametrize(
    ("value", "expected", "rest"),
    [
        ("written_exam", "testing", []),
        ("oram_exam", "testing", []),
        ("portfolio_assessment", "portfolio", []),
        ("professional_product", "application of a skill", []),
        ("portfolio_assessment,written_exam", "testing", ["portfolio_assessment"]),
        ("report_paper", None, ["report_paper"]),
    ],
)
def test_assessment_type_maps_to_the_eu_vocabulary(
    value: str, expected: str | None, rest: list[str]
) -> None:
    result = convert(b=badge_class(assessmentType=value))
    assert result.microcredential.assessment == expected
    assert unmapped(result) == [("badge_class.assessmentType", v) for v in rest]


def test_assessment_argument_replaces_the_badge_class_value() -> None:
    result = convert(
        b=badge_class(assessmentType="portfolio_assessment,written_exam"), assessment="portfolio"
    )
    assert result.microcredential.assessment == "portfolio"
    assert unmapped(result) == [("badge_class.assessmentType", "written_exam")]
    assert "replaced by the assessment= argument" in result.unmapped[0].reason


@pytest.mark.parametrize(
    ("supervised", "verified", "supervision", "checked", "lost"),
    [
        (False, False, "unsupervised with no identity verification", False, False),
        (True, False, "supervised with no identity verification", False, False),
        (True, True, None, True, True),
        (False, True, None, True, True),
    ],
)
def test_supervision_booleans_map_to_the_eu_vocabulary(
    supervised: bool, verified: bool, supervision: str | None, checked: bool, lost: bool
) -> None:
    b = badge_class(assessmentSupervised=supervised, assessmentIdVerified=verified)
    result = convert(b=b)
    assert result.microcredential.supervision == supervision
    assert result.microcredential.identity_checked is checked
    assert unmapped(result) == ([("badge_class.assessmentSupervised", supervised)] if lost else [])


def test_supervision_argument_completes_supervised_with_identity_check() -> None:
    b = badge_class(assessmentSupervised=True, assessmentIdVerified=True)
    result = convert(b=b, supervision="onsite with identity verification")
    assert result.microcredential.supervision == "onsite with identity verification"
    assert unmapped(result) == []


def test_supervision_argument_contradicting_the_badge_class_is_reported() -> None:
    b = badge_class(assessmentSupervised=True, assessmentIdVerified=False)
    result = convert(b=b, supervision="unsupervised with no identity verification")
    assert unmapped(result) == [("badge_class.assessmentSupervised", True)]


def test_quality_assurance_fields_become_quality_assurance() -> None:
    b = badge_class(
        qualityAssuranceName="NVAO",
        qualityAssuranceUrl="https://www.nvao.net/",
        qualityAssuranceDescription="Accredited",
    )
    qa = convert(b=b).microcredential.quality_assurance
    assert qa == QualityAssurance(
        name="NVAO", url="https://www.nvao.net/", description="Accredited"
    )


def test_quality_assurance_without_url_is_reported() -> None:
    result = convert(b=badge_class(qualityAssuranceName="NVAO"))
    assert result.microcredential.quality_assurance is None
    assert unmapped(result) == [("badge_class.qualityAssuranceName", "NVAO")]


def test_quality_assurance_argument_replaces_the_badge_class_fields() -> None:
    b = badge_class(qualityAssuranceName="NVAO", qualityAssuranceUrl="https://www.nvao.net/")
    mine = QualityAssurance(name="Kwaliteitskader", url="https://npuls.nl/")
    result = convert(b=b, quality_assurance=mine)
    assert result.microcredential.quality_assurance == mine
    assert [p for p, _ in unmapped(result)] == [
        "badge_class.qualityAssuranceName",
        "badge_class.qualityAssuranceUrl",
    ]


def test_framework_alignment_of_older_badge_classes_becomes_quality_assurance() -> None:
    alignment = {
        "targetName": "Kwaliteitskader Pilot Microcredentials voor Professionals",
        "targetUrl": "https://www.versnellingsplan.nl/Kennisbank/pilot-microcredentials/",
        "targetCode": "Kwaliteitskader",
        "targetFramework": "Pilot microcredentials",
    }
    result = convert(b=badge_class(alignment=[alignment]))
    qa = result.microcredential.quality_assurance
    assert qa is not None and (qa.name, qa.code) == (alignment["targetName"], "Kwaliteitskader")
    assert unmapped(result) == [
        ("badge_class.alignment[0].targetFramework", "Pilot microcredentials")
    ]


def test_alignment_repeating_the_quality_assurance_is_carried() -> None:
    b = badge_class(
        qualityAssuranceName="NVAO",
        qualityAssuranceUrl="https://www.nvao.net/",
        alignment=[{"targetName": "NVAO", "targetUrl": "https://www.nvao.net/"}],
    )
    assert unmapped(convert(b=b)) == []


def test_other_alignments_and_tags_are_reported() -> None:
    esco = {
        "targetName": "Data analysis",
        "targetUrl": "http://data.europa.eu/esco/skill/x",
        "targetFramework": "ESCO",
        "targetCode": "S2.1",
    }
    result = convert(b=badge_class(alignment=[esco], tags=["data"]))
    assert unmapped(result) == [("badge_class.alignment[0]", esco), ("badge_class.tags", ["data"])]


def test_stackable_becomes_stackability() -> None:
    stack = convert(b=badge_class(stackable=True)).microcredential.stackability
    assert stack is not None and stack.stackable is True


# --------------------------------------------------------------------------- the institution


def test_institution_argument_replaces_the_issuer() -> None:
    inst = Institution(name="Universiteit Voorbeeld", url="https://www.uni-voorbeeld.nl")
    result = convert(institution=inst)
    assert result.microcredential.institution == inst
    assert [p for p, _ in unmapped(result)] == ["issuer.id", "issuer.name"]


def test_no_issuer_and_no_institution_raises() -> None:
    with pytest.raises(MissingSourceFieldError) as info:
        to_microcredential(assertion(), badge_class(), learner_name="Ana")
    assert info.value.path == "issuer"


def test_issuer_without_url_uses_its_id() -> None:
    result = convert()
    assert result.microcredential.institution.url == ISSUER_ID
    assert unmapped(result) == []
    assert any("issuer.url" in n for n in result.notes)


def test_issuer_with_url_reports_its_edubadges_id() -> None:
    result = convert(i=issuer(url="https://www.hs-voorbeeld.nl"))
    assert result.microcredential.institution.url == "https://www.hs-voorbeeld.nl"
    assert unmapped(result) == [("issuer.id", ISSUER_ID)]


def test_issuer_description_is_reported() -> None:
    assert unmapped(convert(i=issuer(description="Our school"))) == [
        ("issuer.description", "Our school")
    ]


# --------------------------------------------------------------------------- re-issuing


def test_conversion_result_re_issues_with_the_original_dates_and_a_policy() -> None:
    b = badge_class(
        ext("ECTSExtension", "ECTS", 5),
        participation="online",
        assessmentType="written_exam",
        qualityAssuranceName="NVAO",
        qualityAssuranceUrl="https://www.nvao.net/",
    )
    result = convert(b=b, result=Result(grade="8"))
    cred = result.to_credential(id=CRED_ID, policy="hbo-wo")
    doc = cred.to_json_dict()
    assert doc["validFrom"] == result.valid_from
    assert doc["credentialSubject"]["result"][0]["value"] == "8"
    same = result.microcredential.to_credential(
        id=CRED_ID, valid_from=result.valid_from, policy="hbo-wo"
    )
    assert same.to_json_dict() == doc


def test_microcredential_is_a_builder_object() -> None:
    mc = convert().microcredential
    assert isinstance(mc, Microcredential)
    assert isinstance(mc.unit, Unit)


# --------------------------------------------------------------------------- nothing is lost

_KEY = st.from_regex(r"x_[a-z0-9_]{0,8}", fullmatch=True)


def _containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    # named, not a lambda: hypothesis checks that `extend` recurses by reading its source
    return st.lists(inner, max_size=3) | st.dictionaries(
        st.from_regex(r"[a-z]{1,5}", fullmatch=True), inner, max_size=3
    )


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.text(max_size=12),
    _containers,
    max_leaves=6,
)
# Every JSON object in the three documents where a field could appear.
_LOCATIONS: list[tuple[str, tuple[str | int, ...]]] = [
    ("assertion", ()),
    ("assertion", ("recipient",)),
    ("assertion", ("verification",)),
    ("assertion", ("evidence", 0)),
    ("badge_class", ()),
    ("badge_class", ("criteria",)),
    ("badge_class", ("image",)),
    ("badge_class", ("alignment", 0)),
    ("badge_class", ("extensions:TimeInvestmentExtension",)),
    ("badge_class", ("extensions:EQFExtension",)),
    ("badge_class", ("extensions:LearningOutcomeExtension",)),
    ("badge_class", ("extensions:LanguageExtension",)),
    ("badge_class", ("extensions:EducationProgramIdentifierExtension",)),
    ("badge_class", ("extensions:StudyLoadExtension",)),
    ("issuer", ()),
    ("issuer", ("image",)),
    ("issuer", ("extensions:InstitutionIdentifierExtension",)),
    ("issuer", ("extensions:GradingTableExtension",)),
    ("issuer", ("extensions:InstitutionCountryExtension",)),
]


def _rich_documents() -> dict[str, dict[str, Any]]:
    b = badge_class(
        ext("LanguageExtension", "Language", "nl_NL"),
        ext("EducationProgramIdentifierExtension", "EducationProgramIdentifier", [56823]),
        ext("StudyLoadExtension", "StudyLoad", 84),
        ext("TimeInvestmentExtension", "TimeInvestment", 84),
        criteria={"narrative": "Pass the exam."},
        image={"id": "https://api.edubadges.nl/img/BC1", "type": "Image"},
        alignment=[{"targetName": "Data analysis", "targetUrl": "http://esco.example/s"}],
        participation="online",
    )
    i = issuer(
        ext("InstitutionIdentifierExtension", "InstitutionIdentifier", "21PB"),
        ext("GradingTableExtension", "GradingTableURL", "https://x.example/grades"),
        ext("InstitutionCountryExtension", "InstitutionCountry", "NL"),
        image={"id": "https://x.example/logo.png"},
    )
    a = assertion(evidence=[{"id": "https://ev.example/1"}])
    return {"assertion": a, "badge_class": b, "issuer": i}


def _path(doc: str, parts: tuple[str | int, ...]) -> str:
    out = doc
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _covered(result: ConversionResult, path: str, value: Any) -> bool:
    """The value at ``path`` is reported, itself or inside a reported ancestor."""
    for field in result.unmapped:
        if field.path == path and field.value == value:
            return True
        if path.startswith(field.path) and path[len(field.path)] in ".[":
            rest = re.findall(r"\.([^.\[]+)|\[(\d+)\]", path[len(field.path) :])
            node: Any = field.value
            for key, index in rest:
                node = node[int(index)] if index else node[key]
            if node == value:
                return True
    return False


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(where=st.sampled_from(_LOCATIONS), key=_KEY, value=_JSON)
def test_random_extra_field_anywhere_is_reported_as_unmapped(
    where: tuple[str, tuple[str | int, ...]], key: str, value: Any
) -> None:
    docs = _rich_documents()
    doc_name, parts = where
    node: Any = docs[doc_name]
    for part in parts:
        node = node[part]
    node[key] = value
    result = convert(docs["assertion"], docs["badge_class"], docs["issuer"])
    assert _covered(result, _path(doc_name, (*parts, key)), value), [
        u.to_dict() for u in result.unmapped
    ]


def test_rich_documents_report_only_what_the_builder_cannot_hold() -> None:
    result = convert(
        **{k[0]: v for k, v in zip(("a", "b", "i"), _rich_documents().values(), strict=True)}
    )
    assert [p for p, _ in unmapped(result)] == [
        "assertion.evidence",
        "badge_class.alignment[0]",
        "issuer.extensions:GradingTableExtension.GradingTableURL",
    ]


def test_unmapped_field_is_a_plain_record() -> None:
    field = UnmappedField("issuer.x", {"a": [1]}, "unknown")
    assert field.to_dict() == {"path": "issuer.x", "value": {"a": [1]}, "reason": "unknown"}
