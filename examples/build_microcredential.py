"""Build a Dutch hbo microcredential, check it, and print it as OB3 JSON.

Run: .venv/bin/python examples/build_microcredential.py
"""

from __future__ import annotations

from mcbadge import (
    Institution,
    Learner,
    LearningOutcome,
    Microcredential,
    QualityAssurance,
    Result,
    Unit,
)
from mcbadge.jsonld import check_strict
from mcbadge.schema import validate_schema


def main() -> None:
    mc = Microcredential(
        learner=Learner(name="Jan Jansen", email="jan.jansen@student.hs-voorbeeld.nl"),
        institution=Institution(
            name="Hogeschool Voorbeeld", url="https://www.hs-voorbeeld.nl", brin="99XX"
        ),
        unit=Unit(name="Data Privacy in de Zorg", code="DPZ-01", language="nl"),
        nlqf=6,
        ects=5,
        learning_outcomes=[
            LearningOutcome(text="Past de AVG toe op de verwerking van zorgdata."),
            LearningOutcome(text="Voert een DPIA uit voor een zorgtoepassing."),
            LearningOutcome(text="Adviseert over pseudonimisering en toegangsbeheer."),
        ],
        result=Result(grade="8.5"),
        assessment="testing",
        participation="online",
        quality_assurance=QualityAssurance(name="NVAO-accreditatie", url="https://www.nvao.net/"),
    )
    credential = mc.to_credential(
        id="urn:uuid:7b0b4a8e-2f7a-4c1e-9d0e-5f3c2a1b6d4e",
        valid_from="2026-11-23T10:00:00Z",
    )
    document = credential.to_json_dict()
    validate_schema(document)  # the OB3 AchievementCredential JSON Schema (pinned)
    check_strict(document)  # JSON-LD safe mode: no undefined terms, no relative IRIs
    print(credential.to_json())


if __name__ == "__main__":
    main()
