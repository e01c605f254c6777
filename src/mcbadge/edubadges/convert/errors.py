"""Why a conversion refused an award: :class:`ConversionError` and its kinds.

A missing or invalid source field (:class:`MissingSourceFieldError`,
:class:`InvalidSourceFieldError`, each naming the JSON path) and a revoked assertion
(:class:`RevokedAssertionError`); all are :class:`~mcbadge.errors.InvalidInputError` with a
stable code.

May import: :mod:`mcbadge.errors`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mcbadge.errors import InvalidInputError

if TYPE_CHECKING:
    pass


class ConversionError(InvalidInputError):
    """An edubadges document cannot be converted; ``path`` names the offending field.

    Attributes:
        path: Where the problem is, e.g. ``"badge_class.extensions:ECTSExtension.ECTS"``.

    Example:
        >>> ConversionError("badge_class.name: must be text", path="badge_class.name").path
        'badge_class.name'
    """

    code = "edubadges_conversion"

    def __init__(self, message: str, *, path: str, **details: Any) -> None:
        super().__init__(message, path=path, **details)
        self.path = path


class MissingSourceFieldError(ConversionError):
    """A field the microcredential needs is absent from the edubadges documents.

    Example:
        >>> MissingSourceFieldError("assertion.issuedOn: missing", path="assertion.issuedOn").code
        'edubadges_conversion_missing'
    """

    code = "edubadges_conversion_missing"


class InvalidSourceFieldError(ConversionError):
    """A field of the edubadges documents has a value mcbadge cannot use.

    Example:
        >>> err = InvalidSourceFieldError("bad EQF", path="badge_class.extensions:EQFExtension.EQF")
        >>> err.code
        'edubadges_conversion_invalid'
    """

    code = "edubadges_conversion_invalid"


class RevokedAssertionError(ConversionError):
    """The assertion was revoked in edubadges; a revoked award must not be re-issued.

    Attributes:
        reason: The revocation reason edubadges published, if any.

    Example:
        >>> RevokedAssertionError("revoked", path="assertion.revoked", reason="Fraud").reason
        'Fraud'
    """

    code = "edubadges_assertion_revoked"

    def __init__(self, message: str, *, path: str, reason: str | None = None) -> None:
        super().__init__(message, path=path, reason=reason)
        self.reason = reason
