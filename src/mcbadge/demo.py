"""The demo: a sample Dutch hbo microcredential, built, validated and signed, offline.

Run it with ``mcbadge demo`` (or ``make demo``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO

from mcbadge.microcredential import (
    Institution,
    Learner,
    LearningOutcome,
    Microcredential,
    QualityAssurance,
    Result,
    Unit,
)

__all__ = ["run", "sample_microcredential"]


def sample_microcredential() -> Microcredential:
    """The sample: hbo, 5 EC, NLQF 6, three learning outcomes, grade 8.5.

    Example:
        >>> sample_microcredential().ects
        Decimal('5')
    """
    return Microcredential(
        learner=Learner(
            name="Jan Jansen",
            email="jan.jansen@student.hs-voorbeeld.nl",
            student_number="1234567",
        ),
        institution=Institution(
            name="Hogeschool Voorbeeld",
            url="https://www.hs-voorbeeld.nl",
            brin="99XX",
            locality="Utrecht",
        ),
        unit=Unit(
            name="Data Privacy in de Zorg",
            code="DPZ-01",
            description=(
                "Een microcredential over het **veilig en rechtmatig** verwerken van "
                "gezondheidsgegevens in zorginstellingen."
            ),
            programme_code="34479",
            programme_code_type="ext:CROHO",
            language="nl",
            image="https://www.hs-voorbeeld.nl/badges/data-privacy-in-de-zorg.png",
        ),
        nlqf=6,
        ects=5,
        learning_outcomes=[
            LearningOutcome(text="Past de AVG en de WGBO toe op de verwerking van zorgdata."),
            LearningOutcome(text="Voert een DPIA uit voor een zorgtoepassing."),
            LearningOutcome(text="Adviseert over pseudonimisering en toegangsbeheer."),
        ],
        result=Result(grade="8.5"),
        assessment="testing",
        participation="online",
        supervision="onsite with identity verification",
        quality_assurance=QualityAssurance(
            name="Kwaliteitsborging pilot microcredentials hoger onderwijs",
            url="https://www.versnellingsplan.nl/pilot-microcredentials/",
            description="Het kwaliteitskader van de pilot microcredentials (NVAO-geaccrediteerde "
            "instelling).",
        ),
    )


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def run(out_dir: Path, *, stream: TextIO) -> dict[str, Any]:
    """Build the sample credential, check it, sign it (DI and JWT) and write it all out.

    Steps: build the microcredential; validate it against the pinned OB3 JSON Schema (when
    the schema is in the local cache; otherwise the step says it was skipped and how to seed
    the cache); check it in JSON-LD safe mode; generate a fresh Ed25519 ``did:key``; sign as
    Data Integrity (``eddsa-rdfc-2022``) and as VC-JWT; check both signatures.

    Returns:
        ``{"unsigned": …, "signed": …, "jwt": …}``.

    Raises:
        McBadgeError: a step failed (it should not: the demo is tested).
    """
    from mcbadge.errors import DocumentLoaderError
    from mcbadge.issue import issue
    from mcbadge.jsonld import check_strict
    from mcbadge.jwt import decode_credential_jwt
    from mcbadge.keys import KeyPair
    from mcbadge.proofs import verify_proofs
    from mcbadge.schema import validate_schema

    def say(text: str = "") -> None:
        print(text, file=stream)

    key = KeyPair.generate("Ed25519")
    cred = sample_microcredential().to_credential(
        id="urn:uuid:7b0b4a8e-2f7a-4c1e-9d0e-5f3c2a1b6d4e",
        valid_from="2026-11-23T10:00:00Z",
        issuer_id=key.did_key,
    )
    doc: dict[str, Any] = cred.to_json_dict()
    out_dir.mkdir(parents=True, exist_ok=True)
    unsigned_path = out_dir / "microcredential.unsigned.json"
    _write(unsigned_path, json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    say(json.dumps(doc, indent=2, ensure_ascii=False))
    say()
    say(f"✔ built the sample microcredential          → {unsigned_path}")
    try:
        validate_schema(doc)
        say("✔ valid against the OB3 AchievementCredential JSON Schema (pinned)")
    except DocumentLoaderError as exc:
        say(f"- OB3 JSON Schema check skipped: {exc.message}")
    check_strict(doc)
    say("✔ strict JSON-LD: every term defined, no relative IRIs")

    signed = issue(cred, key)
    signed_path = out_dir / "microcredential.di.json"
    _write(signed_path, json.dumps(signed, indent=2, ensure_ascii=False) + "\n")
    if not all(result.verified for result in verify_proofs(signed)):
        raise AssertionError("the demo's Data Integrity proof does not verify")  # pragma: no cover
    say(f"✔ signed as Data Integrity (eddsa-rdfc-2022) → {signed_path}")

    token = issue(cred, key, format="jwt")
    jwt_path = out_dir / "microcredential.jwt"
    _write(jwt_path, token + "\n")
    decode_credential_jwt(token, key=key.public_key)
    say(f"✔ signed as VC-JWT (EdDSA)                  → {jwt_path}")
    say(f"  issuer: {key.did_key}")
    return {"unsigned": doc, "signed": signed, "jwt": token}
