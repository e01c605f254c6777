"""RFC 3339 date-time helpers for the OB3 model and the JSON Schema format checker.

OB3 (``DateTimeZ``) and JSON Schema's ``date-time`` format both mean an RFC 3339
``date-time``: a date, ``T``, a time with optional fraction, and a *mandatory* time zone
(``Z`` or ``±hh:mm``). Two rules matter for signed credentials:

* text read from a document is kept exactly as written (``2010-01-01T00:00:00Z`` never
  becomes ``2010-01-01T00:00:00+00:00``): :class:`DateTimeStr` is the original string, with
  the parsed value alongside;
* a :class:`~datetime.datetime` written by mcbadge is formatted one way only:
  :func:`format_datetime` (``Z`` for UTC, the fraction only when it is not zero).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Final, Literal

__all__ = [
    "DateTimeStr",
    "DateTimeSyntaxError",
    "format_datetime",
    "parse_date",
    "parse_datetime",
]

_DATE_TIME_RE: Final = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?"
    r"(?:([Zz])|([+-])([0-9]{2}):([0-9]{2}))?",
    re.ASCII,
)
_DATE_RE: Final = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", re.ASCII)

_FORMAT_HINT: Final = "YYYY-MM-DDThh:mm:ss[.fraction] followed by Z or ±hh:mm"


class DateTimeSyntaxError(ValueError):
    """A string is not an RFC 3339 date-time with a time zone (internal; the model wraps it).

    Attributes:
        reason: ``"format"`` (not RFC 3339), ``"naive"`` (no time zone) or ``"range"`` (a
            component is out of range, e.g. month 13).
    """

    def __init__(self, message: str, *, reason: Literal["format", "naive", "range"]) -> None:
        super().__init__(message)
        self.reason = reason


def parse_datetime(text: str) -> dt.datetime:
    """Parse an RFC 3339 ``date-time``; the time zone is mandatory.

    Answers are remembered per text (a batch's rows share their dates; a datetime is
    immutable); refusals are not.

    A leap second (``:60``) is accepted and read as ``:59.999999``. Digits of the fraction
    past microseconds are ignored in the returned value (the text itself is what you keep).

    Args:
        text: The date-time text, e.g. ``"2010-01-01T00:00:00Z"``.

    Returns:
        An aware :class:`~datetime.datetime`.

    Raises:
        DateTimeSyntaxError: ``reason="naive"`` when the time zone is missing, ``"format"``
            when the text is not RFC 3339, ``"range"`` when a component is out of range.

    Example:
        >>> parse_datetime("2010-01-01T00:00:00Z").isoformat()
        '2010-01-01T00:00:00+00:00'
    """
    if type(text) is not str:  # a str subclass may compare equal to another text
        return _parse_datetime(text)
    return _parse_datetime_remembered(text)


@functools.lru_cache(maxsize=256)
def _parse_datetime_remembered(text: str) -> dt.datetime:
    return _parse_datetime(text)


def _parse_datetime(text: str) -> dt.datetime:
    match = _DATE_TIME_RE.fullmatch(text)
    if match is None:
        if _DATE_RE.fullmatch(text):
            raise DateTimeSyntaxError(
                f"{text!r} is a date without a time; a date-time needs {_FORMAT_HINT}",
                reason="format",
            )
        raise DateTimeSyntaxError(
            f"{text!r} is not an RFC 3339 date-time ({_FORMAT_HINT})", reason="format"
        )
    year, month, day, hour, minute, second, fraction, zulu, sign, off_h, off_m = match.groups()
    if zulu is None and sign is None:
        raise DateTimeSyntaxError(
            f"{text!r} has no time zone; OB3 date-times must end in Z or ±hh:mm",
            reason="naive",
        )
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    sec = int(second)
    if sec == 60:  # leap second: RFC 3339 allows it, datetime cannot hold it
        sec, micro = 59, 999_999
    try:
        if zulu is not None:
            tz = dt.UTC
        else:
            hours, minutes = int(off_h), int(off_m)
            if hours > 23 or minutes > 59:
                raise ValueError(f"time zone offset {sign}{off_h}:{off_m} is out of range")
            delta = dt.timedelta(hours=hours, minutes=minutes)
            tz = dt.timezone(-delta if sign == "-" else delta)
        return dt.datetime(
            int(year), int(month), int(day), int(hour), int(minute), sec, micro, tzinfo=tz
        )
    except ValueError as exc:
        raise DateTimeSyntaxError(
            f"{text!r} is not a valid date-time: {exc}", reason="range"
        ) from exc


def parse_date(text: str) -> dt.date:
    """Parse an RFC 3339 ``full-date`` (``YYYY-MM-DD``), e.g. OB3 ``dateOfBirth``.

    Args:
        text: The date text.

    Returns:
        The :class:`~datetime.date`.

    Raises:
        DateTimeSyntaxError: ``reason="format"`` or ``"range"``.

    Example:
        >>> parse_date("2001-02-03")
        datetime.date(2001, 2, 3)
    """
    match = _DATE_RE.fullmatch(text)
    if match is None:
        raise DateTimeSyntaxError(f"{text!r} is not a date of the form YYYY-MM-DD", reason="format")
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as exc:
        raise DateTimeSyntaxError(f"{text!r} is not a valid date: {exc}", reason="range") from exc


def format_datetime(value: dt.datetime) -> str:
    """Format an aware datetime as RFC 3339: ``Z`` for UTC, the fraction only when non-zero.

    Other offsets are kept (``+02:00`` stays ``+02:00``); the fraction drops trailing zeros
    (``.5``, not ``.500000``).

    Args:
        value: A timezone-aware datetime.

    Returns:
        The RFC 3339 text.

    Raises:
        DateTimeSyntaxError: ``reason="naive"`` for a naive datetime; ``"range"`` when the
            offset has seconds (RFC 3339 cannot write them).

    Example:
        >>> format_datetime(dt.datetime(2010, 1, 1, tzinfo=dt.UTC))
        '2010-01-01T00:00:00Z'
    """
    offset = value.utcoffset()
    if offset is None:
        raise DateTimeSyntaxError(
            f"datetime {value.isoformat()} is naive; give it a time zone (e.g. tzinfo=UTC)",
            reason="naive",
        )
    text = (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
        f"T{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    )
    if value.microsecond:
        text += f".{value.microsecond:06d}".rstrip("0")
    total = int(offset.total_seconds())
    if offset != dt.timedelta(seconds=total) or total % 60:
        raise DateTimeSyntaxError(
            f"time zone offset {offset} has seconds; RFC 3339 offsets are whole minutes",
            reason="range",
        )
    if total == 0:
        return text + "Z"
    sign = "-" if total < 0 else "+"
    hours, minutes = divmod(abs(total) // 60, 60)
    return f"{text}{sign}{hours:02d}:{minutes:02d}"


class DateTimeStr(str):
    """An RFC 3339 date-time kept as its exact text, with the parsed value alongside.

    It *is* the original string (compares, hashes and serializes as it), so a credential
    read and written again is byte-for-byte the same; :attr:`datetime` gives the aware
    :class:`~datetime.datetime` for comparisons.

    Args:
        text: The date-time text; it must carry a time zone.

    Raises:
        DateTimeSyntaxError: The text is not an RFC 3339 date-time with a time zone.

    Example:
        >>> when = DateTimeStr("2010-01-01T00:00:00Z")
        >>> when == "2010-01-01T00:00:00Z", when.datetime.year
        (True, 2010)
    """

    _parsed: dt.datetime

    def __new__(cls, text: str) -> DateTimeStr:
        parsed = parse_datetime(text)
        self = super().__new__(cls, text)
        self._parsed = parsed
        return self

    @classmethod
    def from_datetime(cls, value: dt.datetime) -> DateTimeStr:
        """Format an aware datetime with :func:`format_datetime` and wrap it.

        Args:
            value: A timezone-aware datetime.

        Returns:
            The date-time text.

        Raises:
            DateTimeSyntaxError: The datetime is naive.

        Example:
            >>> DateTimeStr.from_datetime(dt.datetime(2024, 8, 30, tzinfo=dt.UTC))
            '2024-08-30T00:00:00Z'
        """
        return cls(format_datetime(value))

    @property
    def datetime(self) -> dt.datetime:
        """The parsed, timezone-aware value."""
        return self._parsed
