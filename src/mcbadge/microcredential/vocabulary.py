"""The microcredential's fixed vocabulary: context and schema URLs, the EU element values.

The URLs the credential refers to (VC v2, OB3 3.0.3, the SURF educredential context and
schema, the NLQF/EQF references), 1 EC = 28 hours, and the closed value sets of the EU
Council Recommendation elements (assessment, participation, supervision) and of the policy
profiles. Plain constants: this module imports nothing of mcbadge.
"""

from __future__ import annotations

from typing import Literal, get_args

VC_V2_CONTEXT_URL = "https://www.w3.org/ns/credentials/v2"
OB3_CONTEXT_URL = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
EDUCREDENTIAL_CONTEXT_URL = (
    "https://raw.githubusercontent.com/educredentials/obv3-examples/refs/heads/main/"
    "contexts/educredential.json"
)
OB3_SCHEMA_URL = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
EDUBADGES_SCHEMA_URL = (
    "https://raw.githubusercontent.com/educredentials/obv3-examples/refs/heads/main/"
    "schemas/microcredential.json"
)
#: The SURF edubadges OB3 glossary: the published definitions of the Dutch vocabularies.
GLOSSARY_URL = "https://edubadges.nl/static/obv3-glossary.html"
NLQF_URL = "https://www.nlqf.nl/nlqf-niveaus"
EQF_URL = "https://europa.eu/europass/en/description-eight-eqf-levels"
#: 1 EC = 28 hours of study (Dutch WHW art. 7.4).
HOURS_PER_EC = 28

AssessmentType = Literal[
    "testing", "application of a skill", "portfolio", "recognition of prior learning"
]
ParticipationType = Literal[
    "online",
    "onsite or blended",
    "volunteering",
    "work experience",
    "personalized learning activities",
]
SupervisionType = Literal[
    "unsupervised with no identity verification",
    "supervised with no identity verification",
    "supervised online",
    "onsite with identity verification",
]
PolicyName = Literal["hbo-wo", "mbo", "eu", "none"]
Profile = Literal["ob3", "edubadges"]

ASSESSMENT_TYPES: tuple[str, ...] = get_args(AssessmentType)
PARTICIPATION_TYPES: tuple[str, ...] = get_args(ParticipationType)
SUPERVISION_TYPES: tuple[str, ...] = get_args(SupervisionType)
