"""Numbers as JavaScript writes them, so that RDF literals match jsonld.js byte for byte."""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["canonical_double"]

_MANTISSA = Decimal("1.000000000000000")  # 15 digits after the point, as toExponential(15)
_TRIM = re.compile(r"(\d)0*E\+?(-)?0*(\d)")


def canonical_double(value: float) -> str:
    """The xsd:double canonical form JSON-LD's toRdf gives ``value`` in jsonld.js.

    jsonld.js writes ``value.toExponential(15)`` and trims it (``1.5E0``, ``1.0E21``). pyld
    uses ``f"{value:1.15E}"``, which rounds an exact decimal tie to even, while
    ``toExponential`` picks the larger magnitude (ECMA-262 Number.prototype.toExponential):
    ``1000000000000000.5`` is ``1.000000000000001E15`` in JavaScript and
    ``1.0E15`` in pyld. This function rounds like JavaScript, from the exact binary value.

    Example:
        >>> canonical_double(1000000000000000.5), canonical_double(7.5), canonical_double(-0.0)
        ('1.000000000000001E15', '7.5E0', '0.0E0')
    """
    if value == 0:
        return "0.0E0"  # JavaScript writes -0 without its sign
    if not math.isfinite(value):  # not JSON; strict mode reports it, keep pyld's text
        return _TRIM.sub(r"\1E\2\3", f"{value:1.15E}")
    exact = Decimal(value)
    sign = "-" if exact < 0 else ""
    magnitude = abs(exact)
    exponent = magnitude.adjusted()
    mantissa = magnitude.scaleb(-exponent).quantize(_MANTISSA, rounding=ROUND_HALF_UP)
    if mantissa >= 10:  # 9.9999999999999995 rounds up to 10
        exponent += 1
        mantissa = (mantissa / 10).quantize(_MANTISSA, rounding=ROUND_HALF_UP)
    return _TRIM.sub(r"\1E\2\3", f"{sign}{mantissa}E{exponent:+03d}")


#: A string ``@value`` typed ``xsd:double`` that every reader parses to the same number:
#: a plain decimal with an optional exponent. JavaScript's ``parseFloat`` reads a prefix
#: ("1_000" -> 1, "abc" -> NaN) where Python's ``float`` reads "1_000" as 1000 or fails.
PORTABLE_DOUBLE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
