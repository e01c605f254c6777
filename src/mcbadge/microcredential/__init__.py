"""The Dutch microcredential builder and its policy profiles.

A :class:`Microcredential` holds the certificate fields the Dutch pilots require (learner,
institution, unit name, NLQF level, size in ECTS or SBU, learning outcomes, result) and the
mandatory elements of the EU Council Recommendation of 16 June 2022 on micro-credentials
(awarding body and its country, date of issue, EQF level, type of assessment, form of
participation, type of quality assurance), plus the optional EU elements (prerequisites,
supervision and identity check, grade, stackability).

:meth:`Microcredential.to_credential` maps them onto an unsigned Open Badges 3.0
``AchievementCredential`` as documented in ``docs/mapping.md``;
:meth:`Microcredential.from_credential` reads one back.

Where each part lives (every name is imported from here, the documented path):

* :mod:`~mcbadge.microcredential.vocabulary` — context and schema URLs, the EU element values,
  the policy and profile names;
* :mod:`~mcbadge.microcredential.fields` — the inputs: :class:`Learner`, :class:`Institution`,
  :class:`Unit`, :class:`LearningOutcome`, :class:`QualityAssurance`, :class:`Prerequisite`,
  :class:`Stackability`, :class:`HashedIdentity`;
* :mod:`~mcbadge.microcredential.results` — :class:`Result` and the grade rules;
* :mod:`~mcbadge.microcredential.policy` — :func:`check_policy` and the profiles
  (``hbo-wo``, ``mbo``, ``eu``, ``none``);
* :mod:`~mcbadge.microcredential.mapping` — the mapping onto OB3 JSON;
* :mod:`~mcbadge.microcredential.builder` — :class:`Microcredential` and the read-back
  (:func:`microcredential_from_summary`).

In that order each module imports only the ones before it (policy and mapping see the builder
for type checking only). The package sits on the credentials floor: it may import
:mod:`mcbadge.summary`, :mod:`mcbadge.model`, :mod:`mcbadge.errors` and
:mod:`mcbadge._internal`; never proofs, verify, service or cli.

Example:
    >>> mc = Microcredential(
    ...     learner=Learner(name="Jan Jansen", email="jan@example.nl"),
    ...     institution=Institution(name="Hogeschool Voorbeeld", url="https://hs-voorbeeld.nl",
    ...                             brin="99XX"),
    ...     unit=Unit(name="Data Privacy in de Zorg", code="DPZ-01"),
    ...     nlqf=6, ects=5,
    ...     learning_outcomes=["Past de AVG toe op zorgdata"],
    ...     result=Result(grade="8.5"),
    ...     assessment="testing", participation="online",
    ...     quality_assurance=QualityAssurance(name="NVAO-accreditatie",
    ...                                        url="https://www.nvao.net/"),
    ... )
    >>> cred = mc.to_credential(id="urn:uuid:0f4a2c3e-6d1b-4a57-9a4e-7c1de3f0a111",
    ...                         valid_from="2026-01-15T10:00:00Z")
    >>> cred.credential_subject.achievement.name
    'Data Privacy in de Zorg'
"""

from __future__ import annotations

from mcbadge.microcredential.builder import Microcredential, microcredential_from_summary
from mcbadge.microcredential.fields import (
    HashedIdentity,
    Institution,
    Learner,
    LearningOutcome,
    PolicyViolation,
    Prerequisite,
    QualityAssurance,
    Stackability,
    Unit,
)
from mcbadge.microcredential.policy import check_policy
from mcbadge.microcredential.results import Result
from mcbadge.microcredential.vocabulary import (
    ASSESSMENT_TYPES,
    EDUCREDENTIAL_CONTEXT_URL,
    EQF_URL,
    GLOSSARY_URL,
    HOURS_PER_EC,
    NLQF_URL,
    OB3_CONTEXT_URL,
    OB3_SCHEMA_URL,
    PARTICIPATION_TYPES,
    SUPERVISION_TYPES,
    VC_V2_CONTEXT_URL,
    AssessmentType,
    ParticipationType,
    PolicyName,
    Profile,
    SupervisionType,
)
from mcbadge.microcredential.vocabulary import (
    EDUBADGES_SCHEMA_URL as EDUBADGES_SCHEMA_URL,
)

__all__ = [
    "ASSESSMENT_TYPES",
    "EDUCREDENTIAL_CONTEXT_URL",
    "EQF_URL",
    "GLOSSARY_URL",
    "HOURS_PER_EC",
    "NLQF_URL",
    "OB3_CONTEXT_URL",
    "OB3_SCHEMA_URL",
    "PARTICIPATION_TYPES",
    "SUPERVISION_TYPES",
    "VC_V2_CONTEXT_URL",
    "AssessmentType",
    "HashedIdentity",
    "Institution",
    "LearningOutcome",
    "Learner",
    "Microcredential",
    "ParticipationType",
    "PolicyName",
    "PolicyViolation",
    "Prerequisite",
    "Profile",
    "QualityAssurance",
    "Result",
    "Stackability",
    "SupervisionType",
    "Unit",
    "check_policy",
    "microcredential_from_summary",
]
