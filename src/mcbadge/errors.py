"""The mcbadge error tree.

Every error mcbadge raises is a :class:`McBadgeError` with a stable machine ``code``
(``snake_case``, never renamed once released) and a message written for a person.
Errors from dependencies are wrapped (``raise ... from exc``) so that callers only ever
need to catch ``McBadgeError`` or one of its branches::

    McBadgeError
    ├── InvalidInputError            bad arguments or data handed to mcbadge
    │   ├── ModelValidationError     an OB3 object does not fit the data model
    │   ├── PolicyError              a Dutch/EU policy rule is broken (names the rule)
    │   └── SchemaValidationError    a document fails its JSON Schema
    ├── JsonLdError                  JSON-LD processing failed
    │   ├── StrictJsonLdError        undefined term, relative IRI or @type (safe mode)
    │   │   └── NonCompactJsonLdError  not the compact form of its contexts (hidden members)
    │   └── InvalidContextError      a context is malformed (e.g. the educredential context)
    ├── DocumentLoaderError          a context or pinned document cannot be loaded
    │   ├── NetworkNotAllowedError   loading it would need the network and it is not allowed
    │   └── PinnedHashMismatchError  a pinned document does not match its recorded sha256
    ├── CanonicalizationError        RDFC-1.0 / JCS failed
    │   ├── NQuadsSyntaxError        the N-Quads input cannot be parsed
    │   └── CanonicalizationLimitError   the work limit was hit (poison graph)
    ├── KeyFormatError               a key cannot be read, written or used
    ├── ResolutionError              a DID or verification method cannot be resolved
    ├── SigningError                 a proof or JWS cannot be created
    │   └── SigningRefusedError      verify() would refuse the credential (code = the check's)
    ├── VerificationError            verification failed; carries the full report
    │   └── SdJwtError               an SD-JWT / key-binding JWT is malformed or an attack
    ├── StatusListError              a status list cannot be created, read or updated
    ├── StoreError                   the store (SQLite / PostgreSQL) cannot be used
    ├── BatchError                   a batch run cannot start or continue (journal, options)
    ├── BakingError                  an image cannot be baked or unbaked
    └── EdubadgesError               the edubadges server refused or failed a request
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "BakingError",
    "BatchError",
    "CanonicalizationError",
    "CanonicalizationLimitError",
    "DocumentLoaderError",
    "EdubadgesError",
    "InvalidContextError",
    "InvalidInputError",
    "JsonLdError",
    "KeyFormatError",
    "McBadgeError",
    "ModelValidationError",
    "NQuadsSyntaxError",
    "NetworkNotAllowedError",
    "NonCompactJsonLdError",
    "Oid4vciError",
    "PinnedHashMismatchError",
    "PolicyError",
    "ResolutionError",
    "SchemaValidationError",
    "SdJwtError",
    "SigningError",
    "SigningRefusedError",
    "StatusListError",
    "StoreError",
    "StrictJsonLdError",
    "VerificationError",
]


class McBadgeError(Exception):
    """Base class of every error mcbadge raises.

    Attributes:
        code: A stable machine-readable code (``snake_case``).
        message: The human-readable message.
        details: Optional structured context (field names, rule names, URLs...).
    """

    code: str = "mcbadge_error"

    def __init__(self, message: str, *, code: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details: dict[str, Any] = details

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message={self.message!r})"

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable description (``code``, ``message``, ``details``)."""
        out: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details:
            out["details"] = {k: _jsonable(v) for k, v in self.details.items()}
        return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


class InvalidInputError(McBadgeError, ValueError):
    """Bad arguments or data were handed to mcbadge."""

    code = "invalid_input"


class ModelValidationError(InvalidInputError):
    """An object does not fit the OB3 data model.

    Attributes:
        errors: One entry per problem: ``{"loc": "credentialSubject.achievement.name",
            "msg": ..., "type": ...}``.
    """

    code = "model_invalid"

    def __init__(
        self, message: str, *, errors: list[dict[str, Any]] | None = None, **details: Any
    ) -> None:
        super().__init__(message, **details)
        self.errors: list[dict[str, Any]] = errors or []


class PolicyError(InvalidInputError):
    """A Dutch or EU microcredential policy rule is broken.

    Attributes:
        rule: The rule's identifier, e.g. ``"hbo-wo.ects-range"``.
        field: The field that breaks it, e.g. ``"ects"``.
    """

    code = "policy_violation"

    def __init__(self, message: str, *, rule: str, field: str, **details: Any) -> None:
        super().__init__(message, rule=rule, field=field, **details)
        self.rule = rule
        self.field = field


class SchemaValidationError(InvalidInputError):
    """A document fails its JSON Schema.

    Attributes:
        errors: ``{"path": "/credentialSubject/type", "msg": ...}`` per problem.
    """

    code = "schema_invalid"

    def __init__(
        self, message: str, *, errors: list[dict[str, Any]] | None = None, **details: Any
    ) -> None:
        super().__init__(message, **details)
        self.errors: list[dict[str, Any]] = errors or []


class JsonLdError(McBadgeError):
    """JSON-LD processing (expansion, conversion to RDF) failed."""

    code = "jsonld_error"


class StrictJsonLdError(JsonLdError):
    """A document uses an undefined term or a relative IRI (JSON-LD safe mode).

    Attributes:
        problems: One entry per problem: ``{"kind": "undefined_term", "term": ..., "path": ...}``.
    """

    code = "jsonld_not_strict"

    def __init__(
        self, message: str, *, problems: list[dict[str, Any]] | None = None, **details: Any
    ) -> None:
        super().__init__(message, **details)
        self.problems: list[dict[str, Any]] = problems or []


class NonCompactJsonLdError(StrictJsonLdError):
    """A document is not in the compact form of its own contexts (issue 10, F1).

    A member is written where the checks do not read it although the signature covers it:
    as a full IRI, under ``@nest``, through an alias term of an embedded context, wrapped in
    a value object, restated on another node with the document's ``@id``... The kinds are
    listed in :mod:`mcbadge._internal.compactform`; ``problems`` holds them.
    """

    code = "jsonld_not_compact"


class InvalidContextError(JsonLdError):
    """A JSON-LD context is malformed, e.g. the published edubadges educredential context."""

    code = "jsonld_invalid_context"


class DocumentLoaderError(McBadgeError):
    """A JSON-LD context or pinned document cannot be loaded."""

    code = "document_not_loadable"


class NetworkNotAllowedError(DocumentLoaderError):
    """Loading the document would need network access, which the caller did not allow."""

    code = "network_not_allowed"


class PinnedHashMismatchError(DocumentLoaderError):
    """A pinned document's bytes do not match its recorded sha256."""

    code = "pinned_hash_mismatch"


class CanonicalizationError(McBadgeError):
    """RDFC-1.0 or JCS canonicalization failed."""

    code = "canonicalization_failed"


class NQuadsSyntaxError(CanonicalizationError):
    """The N-Quads text cannot be parsed. ``details["line"]`` is the 1-based line."""

    code = "nquads_syntax"


class CanonicalizationLimitError(CanonicalizationError):
    """Canonicalization exceeded its work limit (a poison blank-node graph)."""

    code = "canonicalization_limit"


class KeyFormatError(McBadgeError):
    """A key cannot be read, written or used (wrong type, bad encoding, missing private part)."""

    code = "key_invalid"


class ResolutionError(McBadgeError):
    """A DID, DID URL or verification method cannot be resolved."""

    code = "resolution_failed"


class SigningError(McBadgeError):
    """A proof or JWS cannot be created."""

    code = "signing_failed"


class SigningRefusedError(SigningError):
    """``issue()`` refused a credential that ``verify()`` would refuse.

    ``code`` is the error code of the failing check as :func:`mcbadge.verify.verify` reports
    it (e.g. ``issuer_key_mismatch``, ``schema_invalid``).

    Attributes:
        check: The id of the first failed check (e.g. ``proof.issuer_binding``).
        report: The report of the signing-time checks
            (:func:`mcbadge.verify.signing.signing_checks`).
    """

    code = "signing_refused"

    def __init__(self, message: str, *, check: str, report: Any = None, **details: Any) -> None:
        super().__init__(message, check=check, **details)
        self.check = check
        self.report = report


class VerificationError(McBadgeError):
    """Verification failed.

    Attributes:
        report: The full verification report (every check with its outcome), when the failure
            came from :func:`mcbadge.verify`; ``None`` for a lower-level proof failure.
    """

    code = "verification_failed"

    def __init__(self, message: str, *, report: Any = None, **details: Any) -> None:
        super().__init__(message, **details)
        self.report = report


class SdJwtError(VerificationError):
    """An SD-JWT, a Disclosure or a Key Binding JWT is malformed, or shows a known attack.

    The ``code`` names the refusal (``sdjwt_disclosure_unreferenced``,
    ``sdjwt_digest_duplicate``, ``sdjwt_kb_sd_hash_mismatch``…; see ``docs/sd-jwt.md``).
    """

    code = "sdjwt_invalid"


class StatusListError(McBadgeError):
    """A status list cannot be created, read or updated."""

    code = "status_list_error"


class StoreError(McBadgeError):
    """The store (SQLite or PostgreSQL) cannot be opened, migrated, read or written.

    Codes: ``store_unavailable`` (cannot connect or open), ``store_schema_newer`` (the
    database was migrated by a newer mcbadge), ``store_url_invalid``, ``store_extra_missing``
    (PostgreSQL without ``mcbadge[postgres]``), ``store_failed`` (a query failed),
    ``store_status_not_configured`` (``mcbadge issue`` on a store with no list of the purpose
    and no public URL to make one).
    """

    code = "store_error"


class Oid4vciError(McBadgeError):
    """An OpenID4VCI request (token, nonce, credential, offer) is refused.

    ``code`` is the OAuth 2.0 / OpenID4VCI error code the endpoint answers with
    (``invalid_request``, ``invalid_grant``, ``unsupported_grant_type``, ``invalid_token``,
    ``invalid_proof``, ``invalid_nonce``, ``invalid_credential_request``,
    ``unknown_credential_configuration``, ``unsupported_credential_format``,
    ``credential_request_denied``) or, for offers, an mcbadge code (``offer_invalid``…);
    ``details["reason"]`` says more precisely why (``offer_redeemed``, ``nonce_used``,
    ``proof_key_mismatch``…), and ``details["status"]`` is the HTTP status.
    """

    code = "oid4vci_error"


class BatchError(McBadgeError):
    """A batch run cannot start or continue.

    Raised by :func:`mcbadge.batch.issue_batch` when the output folder's journal is locked by
    another run or damaged, when a resumed run's options or input do not match the batch it
    resumes, or when a worker process died. The journal stays consistent: run again to resume.
    ``batch_store_mismatch``: a batch begun on a store is resumed on a store that does not hold
    its status entries.
    """

    code = "batch_error"


class BakingError(McBadgeError):
    """An image cannot be baked or unbaked."""

    code = "baking_error"


class EdubadgesError(McBadgeError):
    """The edubadges server refused or failed a request.

    Attributes:
        status: The HTTP status code (``None`` when no response arrived).
        fields: Per-field validation messages from the server, if any.
    """

    code = "edubadges_error"

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        fields: dict[str, Any] | None = None,
        **details: Any,
    ) -> None:
        super().__init__(message, status=status, **details)
        self.status = status
        self.fields: dict[str, Any] = fields or {}
