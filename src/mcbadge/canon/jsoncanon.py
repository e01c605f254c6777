"""JCS, the JSON Canonicalization Scheme (RFC 8785): the canonical bytes of a JSON value.

:func:`jcs` sorts object members by their UTF-16 code units, writes numbers as ECMAScript
does (``1e+21``, ``0`` for ``-0``), and refuses what has no canonical form (NaN and the
infinities, an integer too large for an IEEE 754 double, a lone surrogate, a key that is not a
string, a value that is not JSON) and nesting deeper than :data:`MAX_JSON_DEPTH`, each with a
:class:`~mcbadge.errors.CanonicalizationError` and a stable code.

May import: :mod:`mcbadge.errors`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from mcbadge.errors import CanonicalizationError

MAX_JSON_DEPTH = 500
"""Maximum nesting of arrays/objects :func:`jcs` accepts."""


_MAX_SAFE_INTEGER = 2**53


def _es_number(value: float) -> str:
    """Format a finite float like ECMAScript ``Number.prototype.toString`` (RFC 8785 §3.2.2.3)."""
    if value == 0:
        return "0"  # also -0
    sign = "-" if value < 0 else ""
    text = repr(abs(value))  # shortest round-tripping digits, like ECMAScript
    mantissa, _, exp_text = text.partition("e")
    int_part, _, frac_part = mantissa.partition(".")
    digits = int_part + frac_part
    point = len(int_part) + (int(exp_text) if exp_text else 0)  # value = 0.digits * 10**point
    stripped = digits.lstrip("0")
    point -= len(digits) - len(stripped)
    digits = stripped.rstrip("0")
    k, n = len(digits), point
    if k <= n <= 21:
        body = digits + "0" * (n - k)
    elif 0 < n <= 21:
        body = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        body = "0." + "0" * (-n) + digits
    else:
        exponent = n - 1
        exp_str = ("+" if exponent >= 0 else "-") + str(abs(exponent))
        body = digits + "e" + exp_str if k == 1 else digits[0] + "." + digits[1:] + "e" + exp_str
    return sign + body


def _jcs_key(key: str) -> bytes:
    return key.encode("utf-16-be", "surrogatepass")


def _jcs_write(value: Any, out: list[str], path: str, depth: int) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(json.dumps(value, ensure_ascii=False))
    elif isinstance(value, int):
        if -_MAX_SAFE_INTEGER <= value <= _MAX_SAFE_INTEGER:
            out.append(str(int(value)))
        else:
            # JSON numbers are IEEE 754 doubles: a larger integer means the nearest double,
            # exactly as JSON.parse reads it (so signatures made by JavaScript still match).
            try:
                as_float = float(value)
            except OverflowError as exc:
                raise CanonicalizationError(
                    f"JCS: integer at {path} is too large for an IEEE 754 double "
                    "(RFC 8785 numbers are doubles)",
                    code="jcs_unrepresentable_number",
                    path=path,
                ) from exc
            out.append(_es_number(as_float))
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise CanonicalizationError(
                f"JCS: {value!r} at {path} is not a JSON number (NaN and Infinity are not allowed)",
                code="jcs_non_finite_number",
                path=path,
            )
        out.append(_es_number(value))
    elif isinstance(value, Mapping):
        if depth >= MAX_JSON_DEPTH:
            raise CanonicalizationError(
                f"JCS: nesting deeper than {MAX_JSON_DEPTH} levels at {path}",
                code="jcs_too_deep",
                path=path,
            )
        for key in value:
            if not isinstance(key, str):
                raise CanonicalizationError(
                    f"JCS: object key {key!r} at {path} is not a string",
                    code="jcs_bad_key",
                    path=path,
                )
        out.append("{")
        first = True
        for key in sorted(value, key=_jcs_key):
            if not first:
                out.append(",")
            first = False
            out.append(json.dumps(key, ensure_ascii=False))
            out.append(":")
            _jcs_write(value[key], out, f"{path}.{key}", depth + 1)
        out.append("}")
    elif isinstance(value, list | tuple):
        if depth >= MAX_JSON_DEPTH:
            raise CanonicalizationError(
                f"JCS: nesting deeper than {MAX_JSON_DEPTH} levels at {path}",
                code="jcs_too_deep",
                path=path,
            )
        out.append("[")
        for index, item in enumerate(value):
            if index:
                out.append(",")
            _jcs_write(item, out, f"{path}[{index}]", depth + 1)
        out.append("]")
    else:
        raise CanonicalizationError(
            f"JCS: {type(value).__name__} at {path} is not a JSON value",
            code="jcs_not_json",
            path=path,
        )


def jcs(value: Any) -> bytes:
    """Serialize a JSON value with the JSON Canonicalization Scheme (RFC 8785).

    Object members are sorted by the UTF-16 code units of their names, numbers are written as
    ECMAScript does (shortest round-trip form, ``1e+21``, ``1e-7``, ``-0`` as ``0``), strings
    use the minimal JSON escaping, and there is no whitespace. Integers beyond ±2**53 are
    written as the nearest double, as ``JSON.parse`` in JavaScript would read them.

    Args:
        value: ``dict`` (string keys), ``list``/``tuple``, ``str``, ``int``, ``float``,
            ``bool`` or ``None``, nested up to :data:`MAX_JSON_DEPTH` levels.

    Returns:
        The canonical JSON as UTF-8 bytes.

    Raises:
        CanonicalizationError: NaN or Infinity, an integer beyond the double range, a
            non-string key, a non-JSON type, a lone surrogate in a string, or too deep nesting;
            the message names the JSON path (``$.a[0]``).

    Example:
        >>> jcs({"\\u20ac": 1, "\\U0001f600": 2, "\\ufb33": 3})
        b'{"\\xe2\\x82\\xac":1,"\\xf0\\x9f\\x98\\x80":2,"\\xef\\xac\\xb3":3}'
    """
    out: list[str] = []
    _jcs_write(value, out, "$", 0)
    text = "".join(out)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise CanonicalizationError(
            f"JCS: a string contains a lone surrogate (U+{ord(text[exc.start]):04X}), "
            "which is not valid Unicode",
            code="jcs_invalid_unicode",
        ) from exc
