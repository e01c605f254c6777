"""The Open Badges 3.0 vocabulary: the context URLs, ``inLanguage``, and the enumerations.

The VC v2 and OB3 context URLs every credential mcbadge writes starts with, the OB3 JSON
Schema pattern for ``inLanguage``, and the OB3 enumerations (:class:`AchievementType`,
:class:`AlignmentTargetType`, :class:`ResultType`, :class:`ResultStatusType`,
:class:`IdentifierTypeEnum`), extensible ones taking ``ext:Name`` values too.

May import: the standard library only.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

VC_V2_CONTEXT_URL: Final = "https://www.w3.org/ns/credentials/v2"
"""The W3C Verifiable Credentials Data Model v2.0 context (first in every OB3 credential)."""


OB3_CONTEXT_URL: Final = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
"""The current Open Badges 3.0 context (second in every credential mcbadge writes)."""


IN_LANGUAGE_PATTERN: Final = r"^[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$"
"""The OB3 JSON Schema pattern for ``inLanguage`` (a BCP 47 subset: ``nl``, ``en-GB``...)."""


class AchievementType(StrEnum):
    """OB3 ``AchievementType`` (extensible: ``ext:`` values are accepted too).

    Example:
        >>> AchievementType.MICRO_CREDENTIAL.value
        'MicroCredential'
    """

    ACHIEVEMENT = "Achievement"
    APPRENTICESHIP_CERTIFICATE = "ApprenticeshipCertificate"
    ASSESSMENT = "Assessment"
    ASSIGNMENT = "Assignment"
    ASSOCIATE_DEGREE = "AssociateDegree"
    AWARD = "Award"
    BADGE = "Badge"
    BACHELOR_DEGREE = "BachelorDegree"
    CERTIFICATE = "Certificate"
    CERTIFICATE_OF_COMPLETION = "CertificateOfCompletion"
    CERTIFICATION = "Certification"
    COMMUNITY_SERVICE = "CommunityService"
    COMPETENCY = "Competency"
    COURSE = "Course"
    CO_CURRICULAR = "CoCurricular"
    DEGREE = "Degree"
    DIPLOMA = "Diploma"
    DOCTORAL_DEGREE = "DoctoralDegree"
    FIELDWORK = "Fieldwork"
    GENERAL_EDUCATION_DEVELOPMENT = "GeneralEducationDevelopment"
    JOURNEYMAN_CERTIFICATE = "JourneymanCertificate"
    LEARNING_PROGRAM = "LearningProgram"
    LICENSE = "License"
    MEMBERSHIP = "Membership"
    PROFESSIONAL_DOCTORATE = "ProfessionalDoctorate"
    QUALITY_ASSURANCE_CREDENTIAL = "QualityAssuranceCredential"
    MASTER_CERTIFICATE = "MasterCertificate"
    MASTER_DEGREE = "MasterDegree"
    MICRO_CREDENTIAL = "MicroCredential"
    RESEARCH_DOCTORATE = "ResearchDoctorate"
    SECONDARY_SCHOOL_DIPLOMA = "SecondarySchoolDiploma"


class AlignmentTargetType(StrEnum):
    """OB3 ``AlignmentTargetType`` (extensible: e.g. ``ext:EQF``).

    Example:
        >>> AlignmentTargetType.CF_ITEM.value
        'CFItem'
    """

    CEASN_COMPETENCY = "ceasn:Competency"
    CETERMS_CREDENTIAL = "ceterms:Credential"
    CF_ITEM = "CFItem"
    CF_RUBRIC = "CFRubric"
    CF_RUBRIC_CRITERION = "CFRubricCriterion"
    CF_RUBRIC_CRITERION_LEVEL = "CFRubricCriterionLevel"
    CTDL = "CTDL"


class ResultType(StrEnum):
    """OB3 ``ResultType`` (extensible: e.g. ``ext:ECTSGradeScore``).

    Example:
        >>> ResultType.LETTER_GRADE.value
        'LetterGrade'
    """

    GRADE_POINT_AVERAGE = "GradePointAverage"
    LETTER_GRADE = "LetterGrade"
    PERCENT = "Percent"
    PERFORMANCE_LEVEL = "PerformanceLevel"
    PREDICTED_SCORE = "PredictedScore"
    RAW_SCORE = "RawScore"
    RESULT = "Result"
    RUBRIC_CRITERION = "RubricCriterion"
    RUBRIC_CRITERION_LEVEL = "RubricCriterionLevel"
    RUBRIC_SCORE = "RubricScore"
    SCALED_SCORE = "ScaledScore"
    STATUS = "Status"


class ResultStatusType(StrEnum):
    """OB3 ``ResultStatusType`` (a closed vocabulary: no ``ext:`` values).

    Example:
        >>> ResultStatusType.COMPLETED.value
        'Completed'
    """

    COMPLETED = "Completed"
    ENROLLED = "Enrolled"
    FAILED = "Failed"
    IN_PROGRESS = "InProgress"
    ON_HOLD = "OnHold"
    PROVISIONAL = "Provisional"
    WITHDREW = "Withdrew"


class IdentifierTypeEnum(StrEnum):
    """OB3 ``IdentifierTypeEnum`` for ``identityType`` / ``identifierType`` (extensible).

    Example:
        >>> IdentifierTypeEnum.EMAIL_ADDRESS.value
        'emailAddress'
    """

    NAME = "name"
    SOURCED_ID = "sourcedId"
    SYSTEM_ID = "systemId"
    PRODUCT_ID = "productId"
    USER_NAME = "userName"
    ACCOUNT_ID = "accountId"
    EMAIL_ADDRESS = "emailAddress"
    NATIONAL_IDENTITY_NUMBER = "nationalIdentityNumber"
    ISBN = "isbn"
    ISSN = "issn"
    LIS_SOURCED_ID = "lisSourcedId"
    ONE_ROSTER_SOURCED_ID = "oneRosterSourcedId"
    SIS_SOURCED_ID = "sisSourcedId"
    LTI_CONTEXT_ID = "ltiContextId"
    LTI_DEPLOYMENT_ID = "ltiDeploymentId"
    LTI_TOOL_ID = "ltiToolId"
    LTI_PLATFORM_ID = "ltiPlatformId"
    LTI_USER_ID = "ltiUserId"
    IDENTIFIER = "identifier"
