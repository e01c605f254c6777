"""Read the direct-award CSV files that edubadges accepts into :class:`Recipient` objects.

edubadges publishes two sample files (``sample_direct_award.csv`` and
``sample_direct_award_email_only.csv``); both are ``;``-separated with a header row:

* **eppn** format: ``Recipient mailadres;Recipient EPPN;Narrative (optional);Evidence URL
  (optional);Evidence NAME (optional);Evidence Description (optional);Grade (optional)``
* **email** format: ``Recipient mailadres;Recipient First name;Recipient Surname;Narrative
  (optional);...`` (the same optional columns follow).

Trailing optional cells may be left out. The format is taken from the header; a file without a
header needs ``identifier_type``. Every problem is reported with its line number in one
:class:`~mcbadge.edubadges.errors.CsvImportError`, never just the first.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from mcbadge.edubadges.errors import CsvImportError, CsvRowError
from mcbadge.edubadges.models import IdentifierType, Recipient
from mcbadge.errors import InvalidInputError

__all__ = [
    "EMAIL_COLUMNS",
    "EPPN_COLUMNS",
    "parse_recipients_csv",
    "read_recipients_csv",
]

_OPTIONAL = (
    "Narrative (optional)",
    "Evidence URL (optional)",
    "Evidence NAME (optional)",
    "Evidence Description (optional)",
    "Grade (optional)",
)
EPPN_COLUMNS: tuple[str, ...] = ("Recipient mailadres", "Recipient EPPN", *_OPTIONAL)
"""Header of the eppn format (``sample_direct_award.csv``)."""
EMAIL_COLUMNS: tuple[str, ...] = (
    "Recipient mailadres",
    "Recipient First name",
    "Recipient Surname",
    *_OPTIONAL,
)
"""Header of the e-mail format (``sample_direct_award_email_only.csv``)."""

# Attribute of Recipient that each column fills, per format.
_EPPN_FIELDS = (
    "email",
    "eppn",
    "narrative",
    "evidence_url",
    "evidence_name",
    "evidence_description",
    "grade_achieved",
)
_EMAIL_FIELDS = (
    "email",
    "first_name",
    "surname",
    "narrative",
    "evidence_url",
    "evidence_name",
    "evidence_description",
    "grade_achieved",
)
_EMAIL_RE = re.compile(r"^[^@\s;,]+@[^@\s;,]+\.[^@\s;,]+$")
_MAX_SHOWN = 60


def read_recipients_csv(
    path: str | os.PathLike[str],
    *,
    identifier_type: IdentifierType | None = None,
    delimiter: str = ";",
    eppn_pattern: str | None = None,
    encoding: str = "utf-8-sig",
) -> list[Recipient]:
    """Read a direct-award CSV file.

    Args:
        path: The file. A UTF-8 byte-order mark (as Excel writes) is skipped.
        identifier_type: ``"eppn"`` or ``"email"``. Taken from the header when omitted; when
            both are present they must agree.
        delimiter: The cell separator (edubadges uses ``;``).
        eppn_pattern: Optional regular expression every eppn must match (your institution's
            ``eppn_reg_exp_format`` in edubadges; matched case-insensitively from the start).
        encoding: The file's text encoding.

    Returns:
        One :class:`Recipient` per data row, in file order.

    Raises:
        CsvImportError: Some rows are invalid (all are listed with their line numbers).
        InvalidInputError: The file cannot be read or decoded, or an argument is invalid.

    Example:
        >>> recipients = read_recipients_csv("cohort.csv")  # doctest: +SKIP
    """
    file = Path(path)
    try:
        text = file.read_text(encoding=encoding)
    except (OSError, UnicodeDecodeError, LookupError) as exc:
        raise InvalidInputError(
            f"cannot read the direct-award CSV {file}: {exc}", path=str(file)
        ) from exc
    return parse_recipients_csv(
        text,
        identifier_type=identifier_type,
        delimiter=delimiter,
        eppn_pattern=eppn_pattern,
        source=str(file),
    )


def parse_recipients_csv(
    text: str,
    *,
    identifier_type: IdentifierType | None = None,
    delimiter: str = ";",
    eppn_pattern: str | None = None,
    source: str | None = None,
) -> list[Recipient]:
    """Parse the text of a direct-award CSV file.

    Args:
        text: The CSV text.
        identifier_type: ``"eppn"`` or ``"email"``; taken from the header when omitted.
        delimiter: The cell separator (edubadges uses ``;``).
        eppn_pattern: Optional regular expression every eppn must match.
        source: A name for the text used in error messages (e.g. the file name).

    Returns:
        One :class:`Recipient` per data row, in file order.

    Raises:
        CsvImportError: Some rows are invalid (all are listed with their line numbers).
        InvalidInputError: An argument is invalid (unknown identifier type, bad pattern).

    Example:
        >>> text = "Recipient mailadres;Recipient EPPN\\nana@uni.nl;s1@uni.nl\\n"
        >>> parse_recipients_csv(text)[0].eppn
        's1@uni.nl'
    """
    if identifier_type not in (None, "eppn", "email"):
        raise InvalidInputError(
            f"identifier_type must be 'eppn' or 'email', not {identifier_type!r}",
            field="identifier_type",
        )
    if len(delimiter) != 1:
        raise InvalidInputError("delimiter must be one character", field="delimiter")
    eppn_re: re.Pattern[str] | None = None
    if eppn_pattern is not None:
        try:
            eppn_re = re.compile(eppn_pattern, re.IGNORECASE)
        except re.error as exc:
            raise InvalidInputError(
                f"eppn_pattern is not a valid regular expression: {exc}", field="eppn_pattern"
            ) from exc

    problems: list[CsvRowError] = []
    rows = _read_rows(text, delimiter, problems)
    kind = identifier_type
    start = 0
    if rows and _is_header(rows[0][1]):
        header_line, header = rows[0]
        start = 1
        detected = _detect(header)
        if detected is None:
            problems.append(
                CsvRowError(
                    line=header_line,
                    column=None,
                    message=(
                        "the header is neither the eppn format "
                        f"({delimiter.join(EPPN_COLUMNS[:2])}...) nor the e-mail format "
                        f"({delimiter.join(EMAIL_COLUMNS[:3])}...)"
                    ),
                )
            )
        elif kind is not None and detected != kind:
            problems.append(
                CsvRowError(
                    line=header_line,
                    column=None,
                    message=f"the header is the {detected} format but identifier_type is {kind}",
                )
            )
        else:
            kind = detected
    if kind is None:
        if not problems:
            problems.append(
                CsvRowError(
                    line=rows[0][0] if rows else 1,
                    column=None,
                    message="no header row: pass identifier_type='eppn' or 'email'",
                )
            )
        raise CsvImportError(problems, source=source)

    columns = EPPN_COLUMNS if kind == "eppn" else EMAIL_COLUMNS
    fields = _EPPN_FIELDS if kind == "eppn" else _EMAIL_FIELDS
    recipients: list[Recipient] = []
    seen_email: dict[str, int] = {}
    seen_eppn: dict[str, int] = {}
    for line, cells in rows[start:]:
        recipient = _parse_row(line, cells, kind, columns, fields, eppn_re, problems)
        if recipient is None:
            continue
        email_key = recipient.email.lower()
        eppn_key = (recipient.eppn or "").lower()
        if email_key in seen_email:
            problems.append(
                CsvRowError(
                    line=line,
                    column=columns[0],
                    message=(
                        f"{_show(recipient.email)} is already on line {seen_email[email_key]}"
                    ),
                )
            )
            continue
        if kind == "eppn" and eppn_key in seen_eppn:
            problems.append(
                CsvRowError(
                    line=line,
                    column=columns[1],
                    message=f"{_show(recipient.eppn or '')} is already on line "
                    f"{seen_eppn[eppn_key]}",
                )
            )
            continue
        seen_email[email_key] = line
        if kind == "eppn":
            seen_eppn[eppn_key] = line
        recipients.append(recipient)
    if problems:
        raise CsvImportError(problems, source=source)
    if not recipients:
        raise CsvImportError(
            [CsvRowError(line=1, column=None, message="the file has no recipient rows")],
            source=source,
        )
    return recipients


def _read_rows(
    text: str, delimiter: str, problems: list[CsvRowError]
) -> list[tuple[int, list[str]]]:
    """Split the text into (first line number, cells) records, skipping blank lines."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    previous_end = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(
                CsvRowError(line=reader.line_num, column=None, message=f"not valid CSV: {exc}")
            )
            break
        first_line = previous_end + 1
        previous_end = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        rows.append((first_line, cells))
    return rows


def _is_header(cells: Sequence[str]) -> bool:
    # edubadges' own upload form treats a row whose first cell mentions "Recipient" as header.
    return bool(cells) and "recipient" in cells[0].strip().lower()


def _detect(header: Sequence[str]) -> IdentifierType | None:
    second = header[1].strip().lower() if len(header) > 1 else ""
    if "eppn" in second:
        return "eppn"
    if "first name" in second:
        return "email"
    return None


def _show(value: str) -> str:
    value = value if len(value) <= _MAX_SHOWN else value[: _MAX_SHOWN - 3] + "..."
    return repr(value)


def _parse_row(
    line: int,
    cells: list[str],
    kind: IdentifierType,
    columns: Sequence[str],
    fields: Sequence[str],
    eppn_re: re.Pattern[str] | None,
    problems: list[CsvRowError],
) -> Recipient | None:
    values = [cell.strip() for cell in cells]
    while values and values[-1] == "" and len(values) > len(columns):
        values.pop()
    if len(values) > len(columns):
        problems.append(
            CsvRowError(
                line=line,
                column=None,
                message=(
                    f"the row has {len(values)} cells; the {kind} format has at most "
                    f"{len(columns)} ({'; '.join(columns)})"
                ),
            )
        )
        return None
    data = {
        field: (values[i] if i < len(values) and values[i] else None)
        for i, field in enumerate(fields)
    }
    before = len(problems)
    email = data["email"]
    if email is None:
        problems.append(CsvRowError(line=line, column=columns[0], message="is empty"))
    elif not _EMAIL_RE.match(email):
        problems.append(
            CsvRowError(
                line=line, column=columns[0], message=f"{_show(email)} is not an e-mail address"
            )
        )
    if kind == "eppn":
        eppn = data["eppn"]
        if eppn is None:
            problems.append(CsvRowError(line=line, column=columns[1], message="is empty"))
        elif any(ch.isspace() for ch in eppn):
            problems.append(
                CsvRowError(
                    line=line, column=columns[1], message=f"{_show(eppn)} contains whitespace"
                )
            )
        elif eppn_re is not None and not eppn_re.match(eppn):
            problems.append(
                CsvRowError(
                    line=line,
                    column=columns[1],
                    message=f"{_show(eppn)} does not match the institution's eppn format",
                )
            )
    url = data["evidence_url"]
    if url is not None and not _is_web_url(url):
        problems.append(
            CsvRowError(
                line=line,
                column=columns[fields.index("evidence_url")],
                message=f"{_show(url)} is not an http(s) URL",
            )
        )
    if len(problems) != before:
        return None
    return Recipient.model_validate(data)


def _is_web_url(value: str) -> bool:
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in value
