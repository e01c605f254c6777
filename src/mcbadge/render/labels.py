"""The words on the certificate, in Dutch and in English.

The labels (title, "has successfully completed", NLQF/EQF level, size, result…), the names
of the OB3 result statuses (Completed, Failed, InProgress…), the Dutch names of the EU
vocabularies, and the month names for dates. Plain data: this module imports nothing of
mcbadge.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    pass


Language = Literal["nl", "en"]


_LABELS: dict[str, dict[str, str]] = {
    "nl": {
        "title": "Certificaat",
        "kind": "MICROCREDENTIAL",
        "certify": "Hierbij wordt verklaard dat",
        "completed": "met goed gevolg heeft afgerond",
        "not_achieved": "heeft deelgenomen aan (niet behaald)",
        "holder": "de houder van dit credential",
        "nlqf": "NLQF-niveau",
        "eqf": "EQF-niveau",
        "size": "Studielast",
        "result": "Resultaat",
        "date": "Datum van uitgifte",
        "outcomes": "Leeruitkomsten",
        "more_one": "… en nog 1 leeruitkomst (zie het credential)",
        "more_many": "… en nog {n} leeruitkomsten (zie het credential)",
        "issued_by": "Uitgegeven door",
        "issuer_id": "Uitgever",
        "credential_id": "Credential",
        "valid_until": "Geldig tot",
        "entry": "instroom",
        "hours": "uur",
        "assessment": "Toetsing",
        "participation": "Deelname",
        "qa": "Kwaliteitsborging",
        "verify_at": "Controleer echtheid",
        "scan": "Scan om te controleren",
        "note": "Dit bestand bevat het digitaal ondertekende credential (Open Badges 3.0). "
        "Controleer de echtheid met een Open Badges 3.0-verifier.",
        "note_link": "Alleen het ondertekende credential telt, niet deze afbeelding: scan de "
        "QR-code of open de link om het te controleren.",
    },
    "en": {
        "title": "Certificate",
        "kind": "MICROCREDENTIAL",
        "certify": "This is to certify that",
        "completed": "has successfully completed",
        "not_achieved": "took part in (not passed)",
        "holder": "the holder of this credential",
        "nlqf": "NLQF level",
        "eqf": "EQF level",
        "size": "Study load",
        "result": "Result",
        "date": "Date of issue",
        "outcomes": "Learning outcomes",
        "more_one": "… and 1 more learning outcome (see the credential)",
        "more_many": "… and {n} more learning outcomes (see the credential)",
        "issued_by": "Issued by",
        "issuer_id": "Issuer",
        "credential_id": "Credential",
        "valid_until": "Valid until",
        "entry": "entry",
        "hours": "hours",
        "assessment": "Assessment",
        "participation": "Participation",
        "qa": "Quality assurance",
        "verify_at": "Verify",
        "scan": "Scan to verify",
        "note": "This file carries the digitally signed credential (Open Badges 3.0). "
        "Check it with an Open Badges 3.0 verifier.",
        "note_link": "Only the signed credential counts, not this picture: scan the QR code "
        "or open the link to check it.",
    },
}


_STATUS: dict[str, dict[str, str]] = {
    "nl": {
        "Completed": "Behaald",
        "Failed": "Niet behaald",
        "InProgress": "Bezig",
        "Enrolled": "Ingeschreven",
        "OnHold": "Aangehouden",
        "Provisional": "Voorlopig",
        "Withdrew": "Teruggetrokken",
    },
    "en": {
        "Completed": "Completed",
        "Failed": "Not passed",
        "InProgress": "In progress",
        "Enrolled": "Enrolled",
        "OnHold": "On hold",
        "Provisional": "Provisional",
        "Withdrew": "Withdrawn",
    },
}


# The EU vocabularies (edubadges glossary values) in Dutch; English shows them as they are.
_VOCAB_NL: dict[str, str] = {
    "testing": "toets",
    "application of a skill": "toepassing van een vaardigheid",
    "portfolio": "portfolio",
    "recognition of prior learning": "erkenning van eerder verworven competenties",
    "online": "online",
    "onsite or blended": "op locatie of gemengd",
    "volunteering": "vrijwilligerswerk",
    "work experience": "werkervaring",
    "personalized learning activities": "gepersonaliseerde leeractiviteiten",
}


_MONTHS = {
    "nl": (
        "januari februari maart april mei juni juli augustus september oktober november december"
    ).split(),
    "en": (
        "January February March April May June July August September October November December"
    ).split(),
}
