"""Verify Open Badges 3.0 credentials (and any W3C VC 2.0 credential) with a full report.

:func:`verify` returns a :class:`~mcbadge.report.VerifiedCredential` when every check passed
(or was skipped for a stated reason), and raises :class:`~mcbadge.errors.VerificationError`
carrying the full :class:`~mcbadge.report.VerificationReport` when any check failed.
:func:`verification_report` runs the same checks and returns the report without raising.
:func:`verify_many` gives the same report for each of many inputs, on every core, in order.
:func:`verify_presentation` checks a Verifiable Presentation: the holder's proof (purpose
``authentication``, with the verifier's challenge and domain), then every credential in it.

The checks run in the order of the OB3 verification algorithm (OB3 §9, and the 1EdTech
validator's extra conformance checks):

====================  =============================================================
check id              what it checks
====================  =============================================================
``format``            the input is a Data Integrity document or a readable VC-JWT
``jsonld.strict``     JSON-LD safe mode: no undefined term, no relative IRI (DI only)
``context``           ``@context``: VC v2 first (VC 1.1 first = legacy); OB3 second
``type``              ``type`` includes ``VerifiableCredential``
``structure``         the VC Data Model 2.0 structure rules (:mod:`mcbadge.verify.vcdm`):
                      typed status, refresh, terms of use, evidence and schema entries,
                      a non-empty subject, related resources and their digests, dateTimeStamps
``schema.ob3``        the pinned OB3 JSON Schema of the credential type (OB3 only)
``subject.identifier`` ``credentialSubject`` has ``id`` or ``identifier`` (OB3 only)
``proof``             (only when there is no usable proof) why not
``proof[i].signature`` each Data Integrity proof verifies (proof sets and chains)
``jwt.signature``     the VC-JWT signature verifies
``proof.issuer_binding`` the signing key belongs to the issuer
``proof.purpose``     every proof has ``proofPurpose: assertionMethod``
``jwt.claims``        ``iss``/``sub``/``jti``/``nbf``/``exp`` agree with the credential
``refresh_service``   a ``refreshService`` is reported, never followed
``status``            ``credentialStatus`` (revocation / suspension), fail-closed
``valid_from``        ``validFrom`` (``issuanceDate``) is not in the future
``valid_until``       ``validUntil`` (``expirationDate``) is not in the past
``proof.created``     no proof was created in the future
``proof.expires``     (when a proof has ``expires``) the proof has not expired
``recipient``         the subject is the expected recipient (when one is given)
``endorsement[i]``    each embedded endorsement verifies, the same way
``trusted_issuer``    the issuer is in the caller's trusted list (when one is given)
``legacy``            (legacy credentials only) a warning that the form is outdated
====================  =============================================================

Default verification is offline: bundled contexts, cached pinned schemas, ``did:key`` and
``did:jwk`` keys, and the keys the caller passes with ``keys=``. ``allow_network=True``
permits HTTPS fetches (did:web, HTTPS key URLs, pinned schemas, status lists).

One module per check family, under a report builder (lower never imports higher):
:mod:`~mcbadge.verify.options` (the options and their types), :mod:`~mcbadge.verify.common`,
:mod:`~mcbadge.verify.reading` (what the input is: JSON, VC-JWT, SD-JWT, baked image),
:mod:`~mcbadge.verify.builder` (the report builder), :mod:`~mcbadge.verify.binding` (keys
bound to the issuer), :mod:`~mcbadge.verify.structure` (context, type, structure, strict
JSON-LD, subject, refresh, recipient), :mod:`~mcbadge.verify.vcdm` (VC Data Model rules),
:mod:`~mcbadge.verify.schema`, :mod:`~mcbadge.verify.status`, :mod:`~mcbadge.verify.dates`,
:mod:`~mcbadge.verify.proofs` (Data Integrity and VC-JWT), :mod:`~mcbadge.verify.sdjwt`,
:mod:`~mcbadge.verify.credential` (one credential and its endorsements: :func:`verify`,
:func:`verification_report`), :mod:`~mcbadge.verify.many` (:func:`verify_many`) and
:mod:`~mcbadge.verify.presentation`. The package may import
every layer below it (proofs, status, schema, jsonld, did, keys, model, bake, report); only
the service, the demo and the CLI import it.

Example:
    >>> from mcbadge.verify import verify, verification_report
    >>> result = verify(signed_credential, trusted_issuers=[issuer_did])  # doctest: +SKIP
    >>> print(verification_report(token))  # doctest: +SKIP
"""

from __future__ import annotations

from mcbadge.report import (
    Check,
    VerificationReport,
    VerifiedCredential,
    VerifiedPresentation,
    format_report,
)
from mcbadge.verify.credential import verification_report, verify
from mcbadge.verify.many import VerifyOutcome, verify_many
from mcbadge.verify.options import (
    DEFAULT_LEEWAY,
    DEFAULT_MAX_ENDORSEMENT_DEPTH,
    ExpectedRecipient,
    KeyEntry,
    StatusCheckerLike,
    StatusFetcher,
)
from mcbadge.verify.presentation import presentation_report, verify_presentation

__all__ = [
    "DEFAULT_LEEWAY",
    "DEFAULT_MAX_ENDORSEMENT_DEPTH",
    "Check",
    "ExpectedRecipient",
    "KeyEntry",
    "StatusCheckerLike",
    "StatusFetcher",
    "VerificationReport",
    "VerifiedCredential",
    "VerifiedPresentation",
    "VerifyOutcome",
    "format_report",
    "presentation_report",
    "verification_report",
    "verify",
    "verify_many",
    "verify_presentation",
]
