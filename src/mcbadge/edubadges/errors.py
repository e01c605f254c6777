"""Errors raised by the edubadges client and the direct-award CSV import.

Every error the client raises is an :class:`~mcbadge.errors.EdubadgesError` (or, for bad
arguments and bad CSV files, an :class:`~mcbadge.errors.InvalidInputError`)::

    EdubadgesError
    ├── EdubadgesAuthError          no valid bearer token (401, 403 "credentials", token endpoint)
    ├── EdubadgesPermissionError    authenticated but not allowed (403, edubadges error_code 100)
    ├── EdubadgesValidationError    the server rejected the request body (400)
    ├── EdubadgesNotFoundError      the entity does not exist or is not public (404)
    ├── EdubadgesRateLimitError     429 after every retry (``retry_after`` in seconds, if sent)
    ├── EdubadgesServerError        5xx after every retry
    ├── EdubadgesTransportError     no usable response (connection refused, timeout, dropped)
    └── EdubadgesProtocolError      an answer the client cannot use (redirect, non-JSON, bad shape)
    InvalidInputError
    └── CsvImportError              a direct-award CSV has invalid rows (every row is listed)

Messages, ``details`` and ``repr()`` never contain the bearer token or the client secret.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mcbadge.errors import EdubadgesError, InvalidInputError

__all__ = [
    "CsvImportError",
    "CsvRowError",
    "EdubadgesAuthError",
    "EdubadgesNotFoundError",
    "EdubadgesPermissionError",
    "EdubadgesProtocolError",
    "EdubadgesRateLimitError",
    "EdubadgesServerError",
    "EdubadgesTransportError",
    "EdubadgesValidationError",
]


class _EdubadgesResponseError(EdubadgesError):
    """Shared constructor: the HTTP status, the edubadges ``error_code`` and the body shape.

    Attributes:
        status: The HTTP status (``None`` when no response arrived).
        fields: Per-field messages, flattened to ``{"direct_awards[1].recipient_email": [...]}``.
        server_code: The edubadges ``error_code`` (``"999"``, ``"100"``...) or the OAuth
            ``error`` (``"invalid_client"``), when the server sent one.
        shape: Which error body the server used: ``"validation_error"``
            (``{"detail": "validation_error", "fields": ...}``), ``"detail"`` (``{"detail": ...}``),
            ``"error"`` (``{"error": ...}``), ``"fields"`` (a plain Django REST framework field
            dict), ``"empty"``, ``"text"`` (not JSON), or ``None`` (no response).
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        fields: dict[str, Any] | None = None,
        server_code: str | None = None,
        shape: str | None = None,
        **details: Any,
    ) -> None:
        super().__init__(
            message, status=status, fields=fields, server_code=server_code, shape=shape, **details
        )
        self.server_code = server_code
        self.shape = shape


class EdubadgesAuthError(_EdubadgesResponseError):
    """No valid bearer token: the token was refused, expired, or could not be obtained.

    Example:
        >>> EdubadgesAuthError("token refused", status=403).code
        'edubadges_auth'
    """

    code = "edubadges_auth"


class EdubadgesPermissionError(_EdubadgesResponseError):
    """The caller is authenticated but may not do this (for awarding: no ``may_award``).

    edubadges answers a missing ``may_award`` on a direct award or a revocation with
    ``400 {"detail": "validation_error", "fields": {"error_code": 100, ...}}``; the client maps
    that ``error_code`` 100 to this class.

    Example:
        >>> EdubadgesPermissionError("no may_award", status=400, server_code="100").server_code
        '100'
    """

    code = "edubadges_permission"


class EdubadgesValidationError(_EdubadgesResponseError):
    """The server rejected the request (400); ``fields`` names what was wrong.

    Example:
        >>> err = EdubadgesValidationError("bad", status=400, fields={"x": ["required"]})
        >>> err.fields
        {'x': ['required']}
    """

    code = "edubadges_validation"


class EdubadgesNotFoundError(_EdubadgesResponseError):
    """The entity does not exist, or (public endpoints) is not public.

    Example:
        >>> EdubadgesNotFoundError("no bundle", status=404).status
        404
    """

    code = "edubadges_not_found"


class EdubadgesRateLimitError(_EdubadgesResponseError):
    """The server kept answering 429 Too Many Requests.

    Attributes:
        retry_after: The server's ``Retry-After`` in seconds, when it sent one.

    Example:
        >>> EdubadgesRateLimitError("slow down", status=429, retry_after=30.0).retry_after
        30.0
    """

    code = "edubadges_rate_limited"

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, retry_after=retry_after, **kwargs)
        self.retry_after = retry_after


class EdubadgesServerError(_EdubadgesResponseError):
    """The server failed (5xx) on every attempt.

    Example:
        >>> EdubadgesServerError("bad gateway", status=502).code
        'edubadges_server'
    """

    code = "edubadges_server"


class EdubadgesTransportError(_EdubadgesResponseError):
    """No usable response arrived (connection refused, timeout, connection dropped).

    Attributes:
        ambiguous: ``True`` when the request may have reached the server and been processed
            (the answer was lost); ``False`` when it certainly did not leave the client.

    Example:
        >>> EdubadgesTransportError("timed out", ambiguous=True).ambiguous
        True
    """

    code = "edubadges_transport"

    def __init__(self, message: str, *, ambiguous: bool = False, **kwargs: Any) -> None:
        super().__init__(message, ambiguous=ambiguous, **kwargs)
        self.ambiguous = ambiguous


class EdubadgesProtocolError(_EdubadgesResponseError):
    """The server answered something the client cannot use (a redirect, non-JSON, wrong shape).

    Example:
        >>> EdubadgesProtocolError("expected JSON", status=200).code
        'edubadges_protocol'
    """

    code = "edubadges_protocol"


@dataclass(frozen=True, slots=True)
class CsvRowError:
    """One problem in a direct-award CSV file.

    Attributes:
        line: The 1-based line of the file where the row starts (the header is line 1).
        column: The column header the problem is in, or ``None`` for the whole row.
        message: What is wrong, for a person.

    Example:
        >>> str(CsvRowError(line=3, column="Recipient EPPN", message="is empty"))
        'line 3, Recipient EPPN: is empty'
    """

    line: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", {self.column}" if self.column else "")
        return f"{where}: {self.message}"


class CsvImportError(InvalidInputError):
    """A direct-award CSV file has invalid rows; every problem is listed, not just the first.

    Attributes:
        rows: One :class:`CsvRowError` per problem, in file order.

    Example:
        >>> err = CsvImportError([CsvRowError(line=2, column=None, message="too many cells")])
        >>> err.rows[0].line
        2
    """

    code = "csv_invalid"

    def __init__(self, rows: list[CsvRowError], *, source: str | None = None) -> None:
        shown = "; ".join(str(r) for r in rows[:20])
        more = f"; and {len(rows) - 20} more" if len(rows) > 20 else ""
        origin = f" in {source}" if source else ""
        noun = "problem" if len(rows) == 1 else "problems"
        super().__init__(
            f"the direct-award CSV{origin} has {len(rows)} {noun}: {shown}{more}",
            rows=[{"line": r.line, "column": r.column, "message": r.message} for r in rows],
        )
        self.rows: list[CsvRowError] = list(rows)
