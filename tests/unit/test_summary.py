"""Reading the Dutch/EU fields back: mcbadge.summary and Microcredential.from_credential()."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mcbadge.errors import ModelValidationError
from mcbadge.microcredential import (
    ASSESSMENT_TYPES,
    PARTICIPATION_TYPES,
    SUPERVISION_TYPES,
    HashedIdentity,
    Institution,
    Learner,
    LearningOutcome,
    Microcredential,
    Prerequisite,
    QualityAssurance,
    Result,
    Stackability,
    Unit,
)
from mcbadge.report import VerificationReport, format_report
from mcbadge.summary import CredentialSummary, describe, summarize
from tests.strategies.microcredentials import hard_text, names
from tests.unit.test_edubadges_convert import CRED_ID, HASH, SALT, badge_class, convert, ext

REFERENCE = Path(__file__).resolve().parents[2] / ".." / "shared" / "reference"
ISSUER = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
URL = "https://www.example-instelling.nl"
iris = st.sampled_from([None, f"{URL}/x/1", "urn:uuid:7d4b7c8e-3b8e-4a8b-9a57-0d9a5b2c1e11"])
maybe_text = st.one_of(st.none(), hard_text)


def _consistent_result(draw: st.DrawFn, grade: str) -> Result:
    """A result that means what it says (a passed grade on its scale, or a letter grade)."""
    name = draw(st.sampled_from(["Eindcijfer", "Final grade"]))
    if grade in ("A", "voldaan"):
        return Result(
            grade=grade,
            scale_min=None,
            scale_max=None,
            pass_mark=None,
            result_type="LetterGrade",
            name=name,
        )
    low, high, mark = draw(st.sampled_from([("1", "10", "5.5"), (None, None, None)]))
    if draw(st.booleans()) and low is not None:
        low, high, mark, grade = "0", "100", "55", str(int(float(grade) * 10))
    return Result(
        grade=grade,
        scale_min=low,
        scale_max=high,
        pass_mark=mark,
        result_type="ScaledScore",
        name=name,
    )


@st.composite
def rich_microcredentials(draw: st.DrawFn) -> tuple[Microcredential, str]:
    """Every builder field, in both profiles (edubadges needs an image and a supervision)."""
    profile = draw(st.sampled_from(["ob3", "edubadges"]))
    kind = draw(st.sampled_from(["hbo-wo", "mbo", "eu"]))
    ects = sbu = hours = None
    if kind == "hbo-wo":
        ects = draw(st.sampled_from([Decimal(3), Decimal("7.5"), Decimal("12.25"), Decimal(30)]))
        hours = draw(st.sampled_from([None, int(ects * 28) if ects * 28 % 1 == 0 else None]))
        nlqf: int | str = draw(st.integers(5, 8))
    elif kind == "mbo":
        sbu = draw(st.sampled_from([80, 240, 401]))
        hours = draw(st.one_of(st.none(), st.integers(1, 2000)))
        nlqf = draw(st.one_of(st.integers(1, 4), st.just("entry")))
    else:
        hours = draw(st.integers(1, 2000))
        nlqf = draw(st.integers(1, 8))
    plain = draw(st.booleans())
    parent = draw(
        st.one_of(st.none(), st.just(Institution(name="Universiteit Voorbeeld", url=URL + "/u")))
    )
    supervision = draw(st.sampled_from(SUPERVISION_TYPES))
    if profile == "ob3":
        supervision = draw(st.one_of(st.none(), st.just(supervision)))
    grade = draw(st.one_of(st.none(), st.sampled_from(["6", "7.5", "A", "voldaan"])))
    programme_code = draw(st.one_of(st.none(), st.just("34479")))
    mc = Microcredential(
        learner=Learner(
            name=draw(names),
            email=draw(st.one_of(st.none(), st.emails())),
            student_number=draw(st.one_of(st.none(), st.from_regex(r"\A[0-9]{7}\Z"))),
            eppn=draw(st.one_of(st.none(), st.just("jan@example.nl"))),
            did=draw(st.one_of(st.none(), st.just(ISSUER))),
            hash_identifiers=not plain,
            hashed_identities=draw(
                st.lists(
                    st.just(
                        HashedIdentity(identity_type="emailAddress", identity_hash=HASH, salt=SALT)
                    ),
                    max_size=1,
                )
            ),
        ),
        institution=Institution(
            name=draw(names),
            url=URL,
            id=draw(iris),
            brin=draw(st.one_of(st.none(), st.from_regex(r"\A[0-9]{2}[A-Z]{2}\Z"))),
            country_code=draw(st.sampled_from(["NL", "BE"])),
            country=draw(st.sampled_from([None, "Nederland", "België"])),
            locality=draw(st.one_of(st.none(), st.just("Utrecht"))),
            email=draw(st.one_of(st.none(), st.just("info@example.nl"))),
            image=draw(st.one_of(st.none(), st.just(URL + "/logo.png"))),
            parent=parent,
        ),
        unit=Unit(
            name=draw(hard_text),
            code=draw(st.one_of(st.none(), st.from_regex(r"\A[A-Z]{3}-[0-9]{2}\Z"))),
            description=draw(maybe_text),
            id=draw(iris),
            programme_code=programme_code,
            # (a type without a code is not written: it has nothing to say)
            programme_code_type=draw(st.sampled_from(["ext:CROHO", "ext:CREBO", "ext:RIO"]))
            if programme_code
            else "ext:CROHO",
            language=draw(st.sampled_from(["nl", "en", "en-GB"])),
            image=URL + "/badge.png"
            if profile == "edubadges"
            else draw(st.one_of(st.none(), st.just(URL + "/badge.png"))),
            field_of_study=draw(maybe_text),
            criteria=draw(maybe_text),
            hours=hours,
        ),
        nlqf=nlqf,
        ects=ects,
        sbu=sbu,
        learning_outcomes=draw(
            st.lists(
                st.builds(
                    LearningOutcome,
                    text=hard_text,
                    code=st.one_of(st.none(), st.just("LO-1")),
                    url=iris,
                ),
                min_size=1,
                max_size=6,
            )
        ),
        result=_consistent_result(draw, grade) if grade is not None else Result(),
        assessment=draw(st.sampled_from(ASSESSMENT_TYPES)),
        participation=draw(st.sampled_from(PARTICIPATION_TYPES)),
        quality_assurance=QualityAssurance(
            name=draw(hard_text),
            url="https://www.nvao.net/",
            description=draw(maybe_text),
            code=draw(st.one_of(st.none(), st.just("AV-4223"))),
        ),
        supervision=supervision,
        identity_checked=draw(st.one_of(st.none(), st.booleans())),
        prerequisites=draw(st.lists(st.builds(Prerequisite, text=hard_text, url=iris), max_size=2)),
        stackability=draw(
            st.one_of(
                st.none(),
                st.builds(
                    Stackability,
                    stackable=st.just(True),
                    towards=st.one_of(st.none(), st.just("Master Zorg")),
                    url=iris,
                ),
                st.builds(Stackability, stackable=st.just(False), url=iris),
            )
        ),
    )
    return mc, profile


def _credential(mc: Microcredential, profile: str) -> dict[str, Any]:
    cred: dict[str, Any] = mc.to_credential(
        id="urn:uuid:0f4a2c3e-6d1b-4a57-9a4e-7c1de3f0a111",
        valid_from="2026-01-15T10:00:00Z",
        valid_until="2031-01-15T10:00:00+01:00",
        awarded_date="2026-01-10T09:00:00Z",
        issuer_id=ISSUER,
        profile=profile,  # type: ignore[arg-type]
        policy="none",
    ).to_json_dict()
    return cred


def _again(back: Microcredential, summary: CredentialSummary, profile: str) -> dict[str, Any]:
    again: dict[str, Any] = back.to_credential(
        id=summary.credential_id or "",
        valid_from=summary.valid_from,
        valid_until=summary.valid_until,
        awarded_date=summary.awarded_date,
        issuer_id=summary.institution.id if summary.institution else None,
        profile=profile,  # type: ignore[arg-type]
        policy="none",
    ).to_json_dict()
    return again


@settings(max_examples=60)
@given(rich_microcredentials())
def test_from_credential_gives_back_the_same_fields_and_the_same_credential(
    drawn: tuple[Microcredential, str],
) -> None:
    mc, profile = drawn
    cred = _credential(mc, profile)
    back = Microcredential.from_credential(cred)
    summary = summarize(cred)
    assert summary is not None and summary.profile == profile
    # lossless: the read-back microcredential builds the very same credential
    assert _again(back, summary, profile) == cred
    # and the fields a person reads are the ones that went in
    assert back.learner.name == mc.learner.name
    assert back.learner.did == mc.learner.did
    assert back.unit.model_dump(exclude={"hours", "description", "id"}) == mc.unit.model_dump(
        exclude={"hours", "description", "id"}
    )
    assert back.study_hours == mc.study_hours
    assert (back.unit.description or "") in ("", mc.unit.description)
    assert back.nlqf == mc.nlqf and back.eqf == mc.eqf
    assert back.ects == mc.ects and back.sbu == mc.sbu
    assert [o.text for o in back.outcomes] == [o.text for o in mc.outcomes]
    assert [o.code for o in back.outcomes] == [o.code for o in mc.outcomes]
    assert back.result == mc.result
    assert back.assessment == mc.assessment and back.participation == mc.participation
    assert back.quality_assurance == mc.quality_assurance
    assert back.supervision == mc.supervision
    assert back.prerequisite_list == tuple(
        p if p.url is not None else Prerequisite(text=p.text) for p in mc.prerequisite_list
    )
    assert back.institution.model_dump(exclude={"id"}) == mc.institution.model_dump(exclude={"id"})
    # plain identifiers come back plain, hashed ones stay hashed (hash and salt kept)
    if not mc.learner.hash_identifiers:
        assert back.learner.email == mc.learner.email
        assert back.learner.student_number == mc.learner.student_number
    else:
        assert back.learner.email is None and back.learner.student_number is None
    hashed = [i for i in summary.identifiers if i.hashed]
    assert [(h.identity_type, h.identity_hash, h.salt) for h in back.learner.hashed_identities] == [
        (h.identity_type, h.value, h.salt) for h in hashed
    ]
    # reading is idempotent
    assert Microcredential.from_credential(_again(back, summary, profile)) == back


def test_summary_reads_the_reference_edubadges_ob3_example() -> None:
    doc = json.loads(
        (
            REFERENCE / "ob3" / "examples" / "edubadges_nl_microcredential_full_ho_unsigned.json"
        ).read_text(encoding="utf-8")
    )
    s = summarize(doc)
    assert s is not None
    assert s.profile == "edubadges"
    assert s.institution is not None and s.institution.name == "Naboo Theed University"
    assert s.institution.brin == "42NB"
    assert s.eqf == 4 and s.nlqf is None
    assert s.ects == Decimal(3)
    assert (s.assessment, s.participation) == ("testing", "onsite or blended")
    assert s.supervision == "onsite with identity verification" and s.identity_checked is True
    assert [q.name for q in s.quality_assurance] == ["M Psychological Assessment"]
    assert s.results[0].value == "8.5" and s.results[0].required_value == "6"
    assert s.learner_id == "https://example.com/students/stu-4D5E6F"
    assert s.valid_until == "2029-08-30T00:00:00Z"
    # there is no NLQF level, so it is no microcredential the builder can rebuild
    with pytest.raises(ModelValidationError) as info:
        Microcredential.from_credential(doc)
    assert info.value.details["field"] in ("institution", "learner.name", "nlqf")


def test_from_credential_reads_a_converted_edubadges_award() -> None:
    result = convert(
        b=badge_class(
            ext("ECTSExtension", "ECTS", 5),
            ext("TimeInvestmentExtension", "TimeInvestment", 140),
        )
    )
    cred = result.to_credential(id=CRED_ID, policy="none").to_json_dict()
    back = Microcredential.from_credential(cred)
    assert back.learner.name == "Ana de Vries"
    assert [(h.identity_hash, h.salt) for h in back.learner.hashed_identities] == [(HASH, SALT)]
    assert back.eqf == 6 and back.ects == Decimal(5)
    assert [o.text for o in back.outcomes] == ["Analyses data sets."]
    assert back.study_hours == 140
    assert back.unit.name == result.microcredential.unit.name
    again = back.to_credential(
        id=CRED_ID,
        valid_from=cred["validFrom"],
        awarded_date=cred["awardedDate"],
        issuer_id=cred["issuer"]["id"],
        policy="none",
    )
    assert again.to_json_dict() == cred


def test_hours_without_ects_are_written_and_read_back() -> None:
    mc = Microcredential(
        learner=Learner(name="Jan"),
        institution=Institution(name="ROC", url=URL),
        unit=Unit(name="Lassen", hours=300),
        nlqf=2,
        sbu=240,
        learning_outcomes=["Last veilig"],
    )
    cred = mc.to_credential(id="urn:uuid:1", policy="none").to_json_dict()
    loads = [
        a
        for a in cred["credentialSubject"]["achievement"]["alignment"]
        if a["targetType"] == "ext:StudyLoad"
    ]
    assert [(a["targetFramework"], a["targetCode"]) for a in loads] == [
        ("SBU", "240"),
        ("hours", "300"),
    ]
    assert Microcredential.from_credential(cred).unit.hours == 300


@settings(max_examples=200)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "type",
                        "credentialSubject",
                        "achievement",
                        "alignment",
                        "targetType",
                        "targetCode",
                        "issuer",
                        "identifier",
                        "result",
                        "name",
                        "creditsAvailable",
                        "resultDescription",
                        "parentOrg",
                        "id",
                        "@context",
                        "ECTS",
                        "SBU",
                    ]
                ),
                children,
                max_size=6,
            )
        ),
        max_leaves=40,
    )
)
def test_summarize_never_raises_on_any_json(doc: Any) -> None:
    s = summarize(doc)
    if s is not None:
        json.dumps(s.to_dict())
        describe(s)


def test_summarize_is_none_for_a_plain_vc_and_a_presentation() -> None:
    assert summarize({"type": ["VerifiableCredential"], "credentialSubject": {"id": "x"}}) is None
    report = VerificationReport(
        verified=True,
        format="vp-di",
        credential={"type": ["VerifiablePresentation", "OpenBadgeCredential"]},
    )
    assert report.summary is None
    assert report.to_dict()["summary"] is None


def test_an_unverified_report_says_its_summary_is_not_verified() -> None:
    mc_cred = _credential(
        Microcredential(
            learner=Learner(name="Jan \x1b[2K Jansen"),
            institution=Institution(name="HS", url=URL),
            unit=Unit(name="Zorg"),
            nlqf=6,
            ects=5,
            learning_outcomes=["x"],
        ),
        "ob3",
    )
    failed = VerificationReport(verified=False, format="di", credential=mc_cred)
    text = format_report(failed)
    assert "NOT VERIFIED: do not rely on it" in text
    assert "\x1b" not in text and "Jan \\x1b[2K Jansen" in text
    ok = VerificationReport(verified=True, format="di", credential=mc_cred)
    text = format_report(ok)
    assert "what the credential says:" in text
    assert text.index("what the credential says") < text.index("result   check")
    assert ok.to_dict()["summary"]["unit_name"] == "Zorg"
    assert ok.to_dict()["summary"]["ects"] == "5"
