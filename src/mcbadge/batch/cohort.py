"""Cohorts: the unit file and the rows (CSV, TSV or JSONL), read into :class:`Cohort`.

A bad value becomes a row error naming the row and line; the good rows are issued.
"""

from __future__ import annotations

import csv
import os
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from mcbadge._internal.jsontext import JsonTextError, loads_strict
from mcbadge.batch.files import _digest, _plain_dates, read_document
from mcbadge.errors import (
    InvalidInputError,
    ModelValidationError,
)

COHORT_COLUMNS: Final = (
    "name",
    "email",
    "student_number",
    "eppn",
    "did",
    "grade",
    "passed",
    "id",
    "valid_from",
    "valid_until",
    "awarded_date",
)
"""The columns (CSV) or keys (JSONL) a cohort row may have; only ``name`` is required."""

CREDENTIAL_FIELDS: Final = ("valid_from", "valid_until", "awarded_date")
"""Credential dates a unit file may set for the whole cohort and a row may override."""
_IDENTIFIER_COLUMNS: Final = (
    ("email", "emailAddress"),
    ("student_number", "sisSourcedId"),
    ("eppn", "ext:eduPersonPrincipalName"),
)
_TRUE: Final = frozenset({"true", "yes", "ja", "y", "j", "1"})
_FALSE: Final = frozenset({"false", "no", "nee", "n", "0"})
_LINE_RE: Final = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")


# --------------------------------------------------------------------------- cohorts


@dataclass(frozen=True, slots=True)
class CohortRow:
    """One learner of a cohort.

    Attributes:
        number: The row number, 1-based, counting learners (the header and blank rows are
            not rows). It names the output file and, with the batch id, the credential id.
        line: The line of the file the row starts on (what a text editor or spreadsheet
            shows), for messages.
        fields: The row's values by column name (see :data:`COHORT_COLUMNS`); empty cells
            are left out. Read-only.
        problem: Why the row could not be read (a JSONL line that is not a JSON object, an
            unknown key); such a row is reported as failed.

    Example:
        >>> CohortRow(number=1, line=2, fields={"name": "Jan Jansen"}).digest[:4] != ""
        True
    """

    number: int
    line: int
    fields: Mapping[str, str | bool]
    problem: Mapping[str, Any] | None = None

    @property
    def digest(self) -> str:
        """A hash of the row's content: a resumed run refuses rows changed after issuing."""
        return _digest({"fields": dict(self.fields), "problem": self.problem})


@dataclass(frozen=True)
class Cohort:
    """A unit described once and the learners who earned it.

    Attributes:
        unit: The unit file's content: :class:`~mcbadge.microcredential.Microcredential`
            fields without ``learner``, plus optional ``valid_from`` / ``valid_until`` /
            ``awarded_date`` for the whole cohort. Read-only.
        rows: The learners, in file order.
        source: Where the rows came from (for messages).

    Example:
        >>> cohort = Cohort.from_records(unit, [{"name": "Jan", "grade": "8"}])  # doctest: +SKIP
        >>> cohort.rows[0].number  # doctest: +SKIP
        1
    """

    unit: Mapping[str, Any]
    rows: tuple[CohortRow, ...]
    source: str = "<memory>"

    @property
    def unit_digest(self) -> str:
        """A hash of the unit description; a batch cannot be resumed with another unit."""
        return _digest(self.unit)

    @classmethod
    def from_records(
        cls,
        unit: Mapping[str, Any],
        records: Sequence[Mapping[str, Any]],
        *,
        source: str = "<memory>",
    ) -> Cohort:
        """Build a cohort from a unit description and row dicts (as JSONL rows are read).

        Args:
            unit: The unit description (checked as :func:`load_unit` checks a unit file).
            records: One mapping per learner, keys from :data:`COHORT_COLUMNS`.
            source: A name for messages.

        Returns:
            The cohort; a record with an unknown key or a value of the wrong type becomes a
            row with a ``problem`` (reported as failed when issued).

        Raises:
            InvalidInputError: no records, or two rows with the same explicit ``id``.
            ModelValidationError: the unit description is invalid.

        Example:
            >>> Cohort.from_records(unit, [{"name": "Jan"}]).rows[0].fields  # doctest: +SKIP
            {'name': 'Jan'}
        """
        checked = _check_unit(unit, source=source)
        rows = tuple(
            _row_from_mapping(number, number, record)
            for number, record in enumerate(records, start=1)
        )
        return cls._checked(checked, rows, source)

    @classmethod
    def _checked(cls, unit: Mapping[str, Any], rows: tuple[CohortRow, ...], source: str) -> Cohort:
        if not rows:
            raise InvalidInputError(f"{source}: the cohort has no learners", code="cohort_empty")
        seen: dict[str, int] = {}
        for row in rows:
            cred_id = row.fields.get("id")
            if isinstance(cred_id, str):
                if cred_id in seen:
                    raise InvalidInputError(
                        f"{source}: rows {seen[cred_id]} and {row.number} (line {row.line}) "
                        f"have the same credential id {cred_id!r}",
                        code="cohort_duplicate_id",
                        row=row.number,
                    )
                seen[cred_id] = row.number
        return cls(unit=unit, rows=rows, source=source)


_SHARED_COLUMNS: Final = frozenset({"grade", "passed", *CREDENTIAL_FIELDS})


def _row_from_mapping(
    number: int, line: int, record: Any, shared: dict[str, str] | None = None
) -> CohortRow:
    """A row from a mapping; ``shared`` keeps one copy of values that repeat (grades, dates)."""
    if not isinstance(record, Mapping):
        return CohortRow(
            number=number,
            line=line,
            fields={},
            problem={"code": "row_malformed", "message": "the row is not a JSON object"},
        )
    fields: dict[str, str | bool] = {}
    for key, value in record.items():
        if key not in COHORT_COLUMNS:
            return CohortRow(
                number=number,
                line=line,
                fields={},
                problem={
                    "code": "row_unknown_field",
                    "message": f"unknown key {key!r}; a row may have {', '.join(COHORT_COLUMNS)}",
                },
            )
        if value is None or value == "":
            continue
        if isinstance(value, bool):
            if key != "passed":
                return _bad_value(number, line, key, "true/false is only allowed for 'passed'")
            fields[key] = value
        elif isinstance(value, str):
            text = value.strip()
            if text:
                if shared is not None and key in _SHARED_COLUMNS:
                    text = shared.setdefault(text, text)
                fields[key] = text
        elif isinstance(value, int | float) and key == "grade":
            fields[key] = str(value)
        else:
            return _bad_value(number, line, key, f"expected text, got {type(value).__name__}")
    return CohortRow(number=number, line=line, fields=fields)


def _bad_value(number: int, line: int, key: str, why: str) -> CohortRow:
    return CohortRow(
        number=number,
        line=line,
        fields={},
        problem={"code": "row_malformed", "message": f"{key}: {why}", "details": {"field": key}},
    )


def _check_unit(unit: Mapping[str, Any], *, source: str) -> dict[str, Any]:
    from mcbadge.microcredential import Microcredential

    data: dict[str, Any] = _plain_dates(dict(unit))
    if "learner" in data:
        raise InvalidInputError(
            f"{source}: a unit file describes the unit, not a learner; the learners are the "
            "rows of the cohort (remove 'learner')",
            code="unit_has_learner",
        )
    for name in CREDENTIAL_FIELDS:
        if name in data and not isinstance(data[name], str):
            raise InvalidInputError(
                f"{source}: {name} must be an RFC 3339 date-time such as 2026-01-15T10:00:00Z",
                code="invalid_date",
                field=name,
            )
    fields = {k: v for k, v in data.items() if k not in CREDENTIAL_FIELDS}
    try:
        Microcredential.from_dict({**fields, "learner": {"name": "-"}})
    except ModelValidationError as exc:
        raise ModelValidationError(f"{source}: {exc.message}", errors=exc.errors) from exc
    return data


def load_unit(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read and check a unit file (TOML or JSON).

    The file holds the :class:`~mcbadge.microcredential.Microcredential` fields that are the
    same for every learner (``institution``, ``unit``, ``nlqf``, ``ects`` or ``sbu``,
    ``learning_outcomes``, ``assessment``, ``participation``, ``quality_assurance``, ...,
    and ``result`` for the grading scale), and optionally ``valid_from``, ``valid_until`` and
    ``awarded_date`` for the whole cohort.

    Args:
        path: The unit file.

    Returns:
        Its content, with TOML dates as RFC 3339 strings.

    Raises:
        InvalidInputError: unreadable or not JSON/TOML, a ``learner`` in it, or a bad date.
        ModelValidationError: a field is missing or invalid; the message names the file and
            the field.

    Example:
        >>> load_unit("examples/cohort.unit.toml")["nlqf"]  # doctest: +SKIP
        6
    """
    return _check_unit(read_document(path), source=str(path))


def _unit_path_for(rows_path: Path) -> Path:
    stem = rows_path.name.rsplit(".", 1)[0]
    for suffix in (".unit.toml", ".unit.json"):
        candidate = rows_path.with_name(stem + suffix)
        if candidate.is_file():
            return candidate
    raise InvalidInputError(
        f"no unit description for {rows_path}: write {rows_path.with_name(stem + '.unit.toml')} "
        "(the unit, described once; see docs/batch.md) or pass --unit FILE",
        code="cohort_unit_missing",
        path=str(rows_path),
    )


def load_cohort(
    path: str | os.PathLike[str], *, unit: str | os.PathLike[str] | None = None
) -> Cohort:
    """Read a cohort: learners from a CSV or JSONL file, the unit from a unit file.

    CSV: a header row naming the columns (:data:`COHORT_COLUMNS`; case, spaces and dashes
    are forgiven: ``Student number`` is ``student_number``), then one learner per row.
    Comma, semicolon (Dutch spreadsheets) or tab separated, UTF-8 with or without BOM.
    Empty cells are absent values; blank rows are skipped. JSONL (``.jsonl``/``.ndjson``):
    one JSON object per line with the same keys.

    Args:
        path: The rows file (``.csv``, ``.tsv``, ``.jsonl``, ``.ndjson``).
        unit: The unit file; default ``NAME.unit.toml`` or ``NAME.unit.json`` beside it
            (``cohort.csv`` -> ``cohort.unit.toml``).

    Returns:
        The cohort.

    Raises:
        InvalidInputError: unreadable file, unknown format, unknown or duplicate column, no
            ``name`` column, no learners, duplicate ids (codes ``input_unreadable``,
            ``cohort_format_unknown``, ``cohort_unknown_column``, ``cohort_duplicate_column``,
            ``cohort_missing_column``, ``cohort_empty``, ``cohort_duplicate_id``,
            ``cohort_unit_missing``).
        ModelValidationError: the unit description is invalid.

    Example:
        >>> cohort = load_cohort("examples/cohort.csv")  # doctest: +SKIP
        >>> [row.fields["name"] for row in cohort.rows]  # doctest: +SKIP
        ['Jan Jansen', 'Fatima El Amrani', 'Zoë Bakker']
    """
    rows_path = Path(path)
    suffix = rows_path.suffix.lower()
    if suffix not in (".csv", ".tsv", ".jsonl", ".ndjson"):
        raise InvalidInputError(
            f"{rows_path}: a cohort is a .csv, .tsv, .jsonl or .ndjson file",
            code="cohort_format_unknown",
            path=str(rows_path),
        )
    unit_path = Path(unit) if unit is not None else _unit_path_for(rows_path)
    unit_data = load_unit(unit_path)
    try:
        text = rows_path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InvalidInputError(
            f"cannot read {rows_path}: {exc.strerror or exc}",
            code="input_unreadable",
            path=str(rows_path),
        ) from exc
    except UnicodeDecodeError as exc:
        raise InvalidInputError(
            f"{rows_path} is not UTF-8 text (byte {exc.start}); save it as CSV UTF-8",
            code="input_unreadable",
            path=str(rows_path),
        ) from exc
    if suffix in (".jsonl", ".ndjson"):
        rows = _jsonl_rows(text)
    else:
        rows = _csv_rows(text, str(rows_path), tab=suffix == ".tsv")
    return Cohort._checked(unit_data, rows, str(rows_path))


def _header_name(cell: str) -> str:
    return re.sub(r"[\s\-]+", "_", cell.strip().lower())


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their endings, as ``open(newline="")`` reads them.

    Unlike ``io.StringIO`` (which holds 4 bytes a character) nothing is copied but a line.
    """
    for match in _LINE_RE.finditer(text):
        yield match.group()


def _csv_rows(text: str, source: str, *, tab: bool) -> tuple[CohortRow, ...]:
    end = text.find("\n")
    first = text if end < 0 else text[:end]
    if tab:
        delimiter = "\t"
    elif first.count(";") > first.count(","):
        delimiter = ";"
    elif "\t" in first and "," not in first:
        delimiter = "\t"
    else:
        delimiter = ","
    reader = csv.reader(_lines(text), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidInputError(f"{source} is empty", code="cohort_empty") from None
    except csv.Error as exc:
        raise InvalidInputError(f"{source}, line 1: {exc}", code="cohort_malformed") from exc
    columns = [_header_name(cell) for cell in header]
    for position, name in enumerate(columns):
        if name not in COHORT_COLUMNS:
            raise InvalidInputError(
                f"{source}: unknown column {header[position]!r}; the columns are "
                f"{', '.join(COHORT_COLUMNS)} (only name is required)",
                code="cohort_unknown_column",
                column=header[position],
            )
        if columns.index(name) != position:
            raise InvalidInputError(
                f"{source}: column {name!r} appears twice", code="cohort_duplicate_column"
            )
    if "name" not in columns:
        raise InvalidInputError(
            f"{source}: the header has no 'name' column (the learner's full name)",
            code="cohort_missing_column",
        )
    rows: list[CohortRow] = []
    shared: dict[str, str] = {}
    previous_end = reader.line_num
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise InvalidInputError(
                f"{source}, line {previous_end + 1}: {exc}", code="cohort_malformed"
            ) from exc
        line = previous_end + 1
        previous_end = reader.line_num
        values = [cell.strip() for cell in cells]
        if not any(values):
            continue
        number = len(rows) + 1
        extra = values[len(columns) :]
        if any(extra):
            rows.append(
                CohortRow(
                    number=number,
                    line=line,
                    fields={},
                    problem={
                        "code": "row_malformed",
                        "message": f"the row has {len(values)} cells, the header {len(columns)}",
                    },
                )
            )
            continue
        record = {name: value for name, value in zip(columns, values, strict=False) if value}
        rows.append(_row_from_mapping(number, line, record, shared))
    return tuple(rows)


def _jsonl_rows(text: str) -> tuple[CohortRow, ...]:
    rows: list[CohortRow] = []
    shared: dict[str, str] = {}
    for line_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        number = len(rows) + 1
        try:
            record = loads_strict(line)
        except JsonTextError as exc:
            rows.append(
                CohortRow(
                    number=number,
                    line=line_number,
                    fields={},
                    problem={"code": "row_malformed", "message": f"not valid JSON: {exc}"},
                )
            )
            continue
        rows.append(_row_from_mapping(number, line_number, record, shared))
    return tuple(rows)


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:40].strip("-") or "learner"


def _file_name(row: CohortRow, ext: str) -> str:
    name = row.fields.get("name")
    return f"{row.number:06d}-{_slug(name if isinstance(name, str) else '')}.{ext}"
