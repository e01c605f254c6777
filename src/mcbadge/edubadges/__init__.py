"""The edubadges (SURF) client: direct awards, bundles, revocation, public OB2 JSON, CSV import.

Example:
    >>> from mcbadge.edubadges import EdubadgesClient, read_recipients_csv
    >>> recipients = read_recipients_csv("cohort.csv")  # doctest: +SKIP
    >>> with EdubadgesClient(base_url="https://api.edubadges.nl", token="...") as client:
    ...     result = client.direct_award("BC_ENTITY_ID", recipients)  # doctest: +SKIP
"""

from __future__ import annotations

from mcbadge.edubadges._http import RetryPolicy
from mcbadge.edubadges.client import AsyncEdubadgesClient, EdubadgesClient
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
    "AsyncEdubadgesClient",
    "BadgeClassSummary",
    "BulkActionResult",
    "Bundle",
    "BundleAssertion",
    "BundleDirectAward",
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
    "IssuerSummary",
    "PublicAssertion",
    "PublicBadgeClass",
    "Recipient",
    "RetryPolicy",
    "UnclaimedDirectAward",
    "UnsuccessfulDirectAward",
    "parse_recipients_csv",
    "read_recipients_csv",
]
