"""Convert an edubadges Open Badges 2.0 award into a :class:`~mcbadge.Microcredential`.

edubadges (SURF) publishes every public award as Open Badges 2.0 JSON: the assertion
(``GET /public/assertions/{id}``), its badge class (``GET /public/badges/{id}?expand=micro``)
and the issuer, with SURF's microcredential extensions (ECTS, EQF, learning outcome...).
:func:`to_microcredential` maps the three documents onto mcbadge's microcredential builder,
so the award can be re-issued as an Open Badges 3.0 credential.

Nothing is dropped silently: every source field is either carried into the microcredential,
or listed in :attr:`ConversionResult.unmapped` with its JSON path, its value and the reason,
and every interpretation the converter made is written to :attr:`ConversionResult.notes`.
``docs/conversion.md`` documents the mapping field by field.

Where each part lives (every name is imported from here, the documented path):
:mod:`~mcbadge.edubadges.convert.errors` (why an award is refused),
:mod:`~mcbadge.edubadges.convert.result` (:class:`ConversionResult`, :class:`UnmappedField`),
:mod:`~mcbadge.edubadges.convert.reading` (strict readers, the vocabularies, the account of
every field), one module per source document (:mod:`~mcbadge.edubadges.convert.assertion`,
:mod:`~mcbadge.edubadges.convert.badge_class`, :mod:`~mcbadge.edubadges.convert.issuer`), and
:mod:`~mcbadge.edubadges.convert.award` (:func:`to_microcredential`). It sits on the formats
floor with the rest of :mod:`mcbadge.edubadges`: it may import :mod:`mcbadge.microcredential`
and the layers below it; never verify, service or cli.

Example:
    >>> result = to_microcredential(assertion, badge_class, issuer,
    ...                             learner_name="Ana de Vries")  # doctest: +SKIP
    >>> for field in result.unmapped:  # doctest: +SKIP
    ...     print(field.path, field.reason)
    >>> credential = result.to_credential(id="urn:uuid:...")  # doctest: +SKIP
"""

from __future__ import annotations

from mcbadge.edubadges.convert.award import to_microcredential
from mcbadge.edubadges.convert.errors import (
    ConversionError,
    InvalidSourceFieldError,
    MissingSourceFieldError,
    RevokedAssertionError,
)
from mcbadge.edubadges.convert.reading import OB2_CONTEXT_URL
from mcbadge.edubadges.convert.result import ConversionResult, UnmappedField

__all__ = [
    "OB2_CONTEXT_URL",
    "ConversionError",
    "ConversionResult",
    "InvalidSourceFieldError",
    "MissingSourceFieldError",
    "RevokedAssertionError",
    "UnmappedField",
    "to_microcredential",
]
