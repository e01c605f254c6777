"""Hypothesis strategies for Dutch microcredentials (mbo and hbo/wo sizes, hard texts)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from mcbadge.microcredential import (
    ASSESSMENT_TYPES,
    PARTICIPATION_TYPES,
    SUPERVISION_TYPES,
    Institution,
    Learner,
    LearningOutcome,
    Microcredential,
    QualityAssurance,
    Result,
    Unit,
)

# Text that tends to break canonicalization and serialization: unicode, markdown, tabs,
# form feeds and other control characters, very long runs.
_hard_chars = st.characters(codec="utf-8", exclude_categories=("Cs",))
hard_text = st.one_of(
    st.text(_hard_chars, min_size=1, max_size=40),
    st.sampled_from(
        [
            "**Vet** en _schuin_ met `code`\n- punt 1\n- punt 2",
            "tab\there, form\x0cfeed, bell\x07, nul\x00, del\x7f, backspace\x08",
            "Ĳsselmeer — ‘quotes’ “dubbel” 😀 日本語 \u200b zero-width",
            'quote " and backslash \\ and newline\r\n',
            "x" * 5000,
        ]
    ),
).filter(lambda s: s.strip() != "")

names = st.one_of(
    st.sampled_from(["Jan Jansen", "Fatima el Amrani", "Ömer Çelik", "Zoë van der Berg-Ĳzerman"]),
    hard_text,
)


@st.composite
def microcredentials(draw: st.DrawFn, *, level: str | None = None) -> Microcredential:
    """A valid microcredential under its default policy (hbo/wo in EC or mbo in SBU)."""
    kind = level or draw(st.sampled_from(["hbo-wo", "mbo"]))
    if kind == "hbo-wo":
        ects: Decimal | None = draw(
            st.sampled_from([Decimal(3), Decimal(5), Decimal("7.5"), Decimal(15), Decimal(30)])
        )
        sbu = None
        nlqf: int | str = draw(st.integers(5, 8))
    else:
        ects = None
        sbu = draw(st.sampled_from([80, 120, 240, 400]))
        nlqf = draw(st.one_of(st.integers(1, 4), st.just("entry")))
    outcomes = draw(st.lists(hard_text, min_size=1, max_size=20))
    grade = draw(st.one_of(st.none(), st.sampled_from(["6", "7.5", "8.5", "10", "A", "voldaan"])))
    return Microcredential(
        learner=Learner(
            name=draw(names),
            email=draw(st.one_of(st.none(), st.emails())),
            student_number=draw(st.one_of(st.none(), st.from_regex(r"\A[0-9]{7}\Z"))),
        ),
        institution=Institution(
            name=draw(names),
            url="https://www.example-instelling.nl",
            brin=draw(st.one_of(st.none(), st.from_regex(r"\A[0-9]{2}[A-Z]{2}\Z"))),
        ),
        unit=Unit(
            name=draw(hard_text),
            code=draw(st.one_of(st.none(), st.from_regex(r"\A[A-Z]{3}-[0-9]{2}\Z"))),
            description=draw(st.one_of(st.none(), hard_text)),
            language=draw(st.sampled_from(["nl", "en", "en-GB", "nl-NL"])),
            image=draw(
                st.one_of(st.none(), st.just("https://www.example-instelling.nl/badge.png"))
            ),
        ),
        nlqf=nlqf,
        ects=ects,
        sbu=sbu,
        learning_outcomes=[LearningOutcome(text=t) for t in outcomes],
        result=(
            Result(
                grade=grade,
                result_type="LetterGrade",
                scale_min=None,
                scale_max=None,
                pass_mark=None,
            )
            if grade in ("A", "voldaan")
            else Result(grade=grade)
        ),
        assessment=draw(st.sampled_from(ASSESSMENT_TYPES)),
        participation=draw(st.sampled_from(PARTICIPATION_TYPES)),
        supervision=draw(st.one_of(st.none(), st.sampled_from(SUPERVISION_TYPES))),
        quality_assurance=QualityAssurance(name=draw(hard_text), url="https://www.nvao.net/"),
    )
