"""The edubadges (SURF) client: direct awards, bundles, revocation, public OB2 JSON, CSV import,
and the conversion of edubadges Open Badges 2.0 awards to microcredentials (OB3).

Example:
    >>> from mcbadge.edubadges import EdubadgesClient, read_recipients_csv
    >>> recipients = read_recipients_csv("cohort.csv")  # doctest: +SKIP
    >>> with EdubadgesClient(base_url="https://api.edubadges.nl", token="...") as client:
    ...     result = client.direct_award("BC_ENTITY_ID", recipients)  # doctest: +SKIP
"""

from __future__ import annotations

from mcbadge.edubadges._http import RetryPolicy
from mcbadge.edubadges.client import AsyncEdubadgesClient, EdubadgesClient
from mcbadge.edubadges.convert import (
    OB2_CONTEXT_URL,
    ConversionError,
    ConversionResult,
    InvalidSourceFieldError,
    MissingSourceFieldError,
    RevokedAssertionError,
    UnmappedField,
    to_microcredential,
)
from mcbadge.edubadges.csvimport import (
    EMAIL_COLUMNS,
    EPPN_COLUMNS,
    parse_recipients_csv,
    read_recipients_csv,
)
from mcbadge.edubadges.errors import (
    CsvImportError,
    CsvRowError,
    EdubadgesAuthError,
    EdubadgesNotFoundError,
    EdubadgesPermissionError,
    EdubadgesProtocolError,
    EdubadgesRateLimitError,
    EdubadgesServerError,
    EdubadgesTransportError,
    EdubadgesValidationError,
)
from mcbadge.edubadges.models import (
    BadgeClassSummary,
    BulkActionResult,
    Bundle,
    BundleAssertion,
    BundleDirectAward,
    DirectAwardBundleCreated,
    DirectAwardResult,
    IdentifierType,
    IssuerSummary,
    PublicAssertion,
    PublicBadgeClass,
    Recipient,
    UnclaimedDirectAward,
    UnsuccessfulDirectAward,
)
from mcbadge.errors import EdubadgesError

__all__ = [
    "EMAIL_COLUMNS",
    "EPPN_COLUMNS",
    "OB2_CONTEXT_URL",
    "AsyncEdubadgesClient",
    "BadgeClassSummary",
    "BulkActionResult",
    "Bundle",
    "BundleAssertion",
    "BundleDirectAward",
    "ConversionError",
    "ConversionResult",
    "CsvImportError",
    "CsvRowError",
    "DirectAwardBundleCreated",
    "DirectAwardResult",
    "EdubadgesAuthError",
    "EdubadgesClient",
    "EdubadgesError",
    "EdubadgesNotFoundError",
    "EdubadgesPermissionError",
    "EdubadgesProtocolError",
    "EdubadgesRateLimitError",
    "EdubadgesServerError",
    "EdubadgesTransportError",
    "EdubadgesValidationError",
    "IdentifierType",
    "InvalidSourceFieldError",
    "IssuerSummary",
    "MissingSourceFieldError",
    "PublicAssertion",
    "PublicBadgeClass",
    "Recipient",
    "RetryPolicy",
    "RevokedAssertionError",
    "UnclaimedDirectAward",
    "UnmappedField",
    "UnsuccessfulDirectAward",
    "parse_recipients_csv",
    "read_recipients_csv",
    "to_microcredential",
]
