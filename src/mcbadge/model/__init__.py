"""A lossless pydantic v2 model of the Open Badges 3.0 data model.

Every OB3 class has a model here: Python ``snake_case`` attributes, the OB3 ``camelCase``
names on the wire (``@context`` for :attr:`Credential.context`), and the rules of the OB3
JSON Schema (required properties, the ``type`` each object must carry, the enumerations,
``inLanguage``, date-times with a time zone).

**Lossless.** A credential read with :meth:`OB3Model.from_json` and written with
:meth:`OB3Model.to_json_dict` is the same JSON, with one exception listed below:

* properties the model does not know (extensions such as the edubadges ``ECTS``, VC v2
  terms, anything nested) are kept verbatim, at any depth, including ``null`` values;
* values are never rewritten: date-times keep their text (``2010-01-01T00:00:00Z`` stays
  that, see :class:`~mcbadge._internal.dates.DateTimeStr`), numbers keep their JSON type
  (``42`` stays an integer, ``42.0`` a float: JSON-LD tells them apart), strings are never
  coerced, the shape of ``issuer`` / ``image`` (IRI string or object) is kept;
* the one normalization: a property that the OB3 JSON Schema types as an *array*, given as
  a single value, is written as a one-element array. Those properties are ``@context``;
  ``type`` of every class whose ``type`` is an array (credentials, AchievementSubject,
  EndorsementSubject, Achievement, Alignment, Address, Evidence, Profile, Related, Result,
  ResultDescription, RubricCriterionLevel); ``proof``, ``evidence``, ``credentialSchema``,
  ``termsOfUse``, ``endorsement``, ``endorsementJwt``, ``identifier``, ``result``,
  ``alignment``, ``otherIdentifier``, ``related``, ``resultDescription``,
  ``rubricCriterionLevel``, ``tag`` and ``allowedValue``;
* output omits known properties that are absent (``None``); an *empty array the input
  gave* is kept (it was set, so it is written), and the model never invents one: list
  properties default to absent, not to ``[]``. A known property given as ``null`` is
  treated as absent. Only ``type`` (and a credential's ``@context``) have defaults, the
  values OB3 requires; a document that omitted them gains them.

Models are frozen (shallow: do not mutate their lists or extension dicts); edit with
:meth:`OB3Model.with_updates`, which validates, or ``model_copy(update=...)``, which does
not. Validation problems are raised as :class:`~mcbadge.errors.ModelValidationError`
whose ``errors`` name the wire path (``credentialSubject.achievement.inLanguage``); a
pydantic ``ValidationError`` never escapes.

Where each part lives (every name is imported from here, the documented path):
:mod:`~mcbadge.model.vocabulary` (context URLs, the enumerations),
:mod:`~mcbadge.model.fields` (the value types and their checks), :mod:`~mcbadge.model.base`
(:class:`OB3Model`: wire names, lossless output, typed errors), :mod:`~mcbadge.model.classes`
(:class:`Achievement`, :class:`Profile`, :class:`AchievementSubject`… :class:`Proof`) and
:mod:`~mcbadge.model.credentials` (the credential classes, :func:`parse_credential`). In that
order each imports only the ones before it. The package is a primitive: it may import
:mod:`mcbadge.errors`, :mod:`mcbadge._internal` and pydantic only.

Example:
    >>> cred = AchievementCredential.from_json(
    ...     {
    ...         "@context": [VC_V2_CONTEXT_URL, OB3_CONTEXT_URL],
    ...         "id": "urn:uuid:1", "type": ["VerifiableCredential", "OpenBadgeCredential"],
    ...         "issuer": "did:example:issuer", "validFrom": "2010-01-01T00:00:00Z",
    ...         "credentialSubject": {
    ...             "id": "did:example:learner", "type": ["AchievementSubject"],
    ...             "achievement": {"id": "urn:uuid:2", "type": ["Achievement"], "name": "N",
    ...                             "description": "D", "criteria": {"narrative": "C"}},
    ...         },
    ...     }
    ... )
    >>> cred.valid_from.datetime.year, cred.to_json_dict()["validFrom"]
    (2010, '2010-01-01T00:00:00Z')
"""

from __future__ import annotations

from mcbadge._internal.dates import DateTimeStr
from mcbadge.model.base import OB3Model
from mcbadge.model.classes import (
    Achievement,
    AchievementSubject,
    Address,
    Alignment,
    CredentialSchema,
    CredentialStatus,
    Criteria,
    EndorsementSubject,
    Evidence,
    GeoCoordinates,
    IdentifierEntry,
    IdentityObject,
    Image,
    OtherIdentifier,
    Profile,
    Proof,
    RefreshService,
    Related,
    Result,
    ResultDescription,
    RubricCriterionLevel,
    TermsOfUse,
)
from mcbadge.model.credentials import (
    AchievementCredential,
    Credential,
    EndorsementCredential,
    OpenBadgeCredential,
    parse_credential,
)
from mcbadge.model.vocabulary import (
    IN_LANGUAGE_PATTERN,
    OB3_CONTEXT_URL,
    VC_V2_CONTEXT_URL,
    AchievementType,
    AlignmentTargetType,
    IdentifierTypeEnum,
    ResultStatusType,
    ResultType,
)

__all__ = [
    "IN_LANGUAGE_PATTERN",
    "OB3_CONTEXT_URL",
    "VC_V2_CONTEXT_URL",
    "Achievement",
    "AchievementCredential",
    "AchievementSubject",
    "AchievementType",
    "Address",
    "Alignment",
    "AlignmentTargetType",
    "Credential",
    "CredentialSchema",
    "CredentialStatus",
    "Criteria",
    "DateTimeStr",
    "EndorsementCredential",
    "EndorsementSubject",
    "Evidence",
    "GeoCoordinates",
    "IdentifierEntry",
    "IdentifierTypeEnum",
    "IdentityObject",
    "Image",
    "OB3Model",
    "OpenBadgeCredential",
    "OtherIdentifier",
    "Profile",
    "Proof",
    "RefreshService",
    "Related",
    "Result",
    "ResultDescription",
    "ResultStatusType",
    "ResultType",
    "RubricCriterionLevel",
    "TermsOfUse",
    "parse_credential",
]
