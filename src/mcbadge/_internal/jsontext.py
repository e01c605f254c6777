"""One strict reader for JSON text that comes from outside (users, files, the network).

Every place that parses JSON it did not write itself goes through :func:`loads_strict`, so
the same input is refused the same way everywhere: duplicate members (two readers would see
two documents), ``NaN``/``Infinity`` (not JSON), integers longer than :data:`MAX_INT_DIGITS`
digits (Python refuses to convert them past 4,300 digits with an untyped ``ValueError``, and
no credential needs one), lone UTF-16 surrogates (``"\\ud800"``: not Unicode text, they cannot
be written as UTF-8 afterwards), nesting deeper than Python can parse, and bytes that are not
UTF-8.

:func:`loads_strict` raises :class:`JsonTextError` (a plain ``ValueError`` with a ``kind``);
each caller turns it into its own typed :class:`~mcbadge.errors.McBadgeError` with its own
code, because a JWT header, a status list and a request body fail in different vocabularies.
This module imports nothing from mcbadge.
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal

__all__ = ["INPUT_CODES", "MAX_INT_DIGITS", "JsonTextError", "check_text", "loads_strict"]

MAX_INT_DIGITS = 1000
"""The longest integer literal accepted (digits, sign excluded). JavaScript, and so every
JSON-LD processor mcbadge interoperates with, cannot hold an integer beyond 2⁵³ exactly; the
limit only has to be far below Python's own 4,300-digit conversion limit."""

INPUT_CODES: dict[str, str] = {
    "duplicate": "json_duplicate_member",
    "depth": "json_too_deep",
    "number": "json_number_too_long",
    "surrogate": "json_lone_surrogate",
}
"""The error codes :func:`mcbadge.verify`, the command line and the service give per ``kind``
(anything else is their ``input_not_json`` / ``malformed_json``)."""

JsonTextErrorKind = Literal["syntax", "duplicate", "constant", "number", "surrogate", "depth"]

_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|.)", re.DOTALL)
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class JsonTextError(ValueError):
    """JSON text was refused.

    Attributes:
        kind: ``syntax``, ``duplicate``, ``constant``, ``number``, ``surrogate`` or ``depth``.
        reason: A sentence saying what is wrong (without saying where the text came from).
        member: The duplicated member name, for ``duplicate``.
    """

    def __init__(self, kind: JsonTextErrorKind, reason: str, *, member: str | None = None):
        super().__init__(reason)
        self.kind: JsonTextErrorKind = kind
        self.reason = reason
        self.member = member


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise JsonTextError(
                "duplicate", f"the member {key!r} appears twice in one object", member=key
            )
        out[key] = value
    return out


def _no_constants(name: str) -> Any:
    raise JsonTextError("constant", f"{name} is not a JSON number")


def _int(text: str) -> int:
    digits = len(text) - (1 if text[:1] == "-" else 0)
    if digits > MAX_INT_DIGITS:
        raise JsonTextError(
            "number",
            f"an integer has {digits} digits; at most {MAX_INT_DIGITS} are accepted",
        )
    return int(text)


def check_text(text: str) -> None:
    """Refuse text holding a lone surrogate, raw or as a ``\\uD800``-style escape.

    Args:
        text: JSON text (or any text about to be parsed as JSON).

    Raises:
        JsonTextError: ``kind="surrogate"``.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise JsonTextError(
            "surrogate", f"the text holds the lone surrogate U+{ord(text[exc.start]):04X}"
        ) from None
    if _SURROGATE_ESCAPE.search(text) is None:
        return
    pending_high: str | None = None
    pending_end = -1
    for match in _ESCAPE.finditer(text):
        hex_digits = match.group(1)
        unit = int(hex_digits, 16) if hex_digits is not None else -1
        if pending_high is not None:
            if 0xDC00 <= unit <= 0xDFFF and match.start() == pending_end:
                pending_high = None
                continue
            raise JsonTextError("surrogate", f"the text holds the lone surrogate \\u{pending_high}")
        if 0xD800 <= unit <= 0xDBFF:
            pending_high, pending_end = hex_digits, match.end()
        elif 0xDC00 <= unit <= 0xDFFF:
            raise JsonTextError("surrogate", f"the text holds the lone surrogate \\u{hex_digits}")
    if pending_high is not None:
        raise JsonTextError("surrogate", f"the text holds the lone surrogate \\u{pending_high}")


def loads_strict(data: str | bytes) -> Any:
    """Parse JSON text strictly (see the module docstring for what is refused).

    Args:
        data: The text, or UTF-8 bytes (a leading byte order mark is not accepted).

    Returns:
        The parsed value (dicts, lists, str, int, float, bool, None).

    Raises:
        JsonTextError: The text is not acceptable JSON; ``kind`` says why.

    Example:
        >>> loads_strict('{"a": 1}')
        {'a': 1}
        >>> loads_strict('{"a": 1, "a": 2}')
        Traceback (most recent call last):
        ...
        mcbadge._internal.jsontext.JsonTextError: the member 'a' appears twice in one object
    """
    if isinstance(data, bytes | bytearray | memoryview):
        try:
            text = bytes(data).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise JsonTextError("syntax", f"the text is not UTF-8 ({exc.reason})") from None
    else:
        text = data
    check_text(text)
    try:
        return json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_constant=_no_constants,
            parse_int=_int,
        )
    except JsonTextError:
        raise
    except json.JSONDecodeError as exc:
        raise JsonTextError(
            "syntax", f"{exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except RecursionError:
        raise JsonTextError("depth", "the JSON is nested too deeply to be read") from None
    except ValueError as exc:  # e.g. a float literal Python cannot convert
        raise JsonTextError("number", f"a number cannot be read: {exc}") from None
