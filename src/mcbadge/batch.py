"""Batch issuance that loses nothing: a cohort in, exactly one signed credential per row out.

A *cohort* is a unit of education described once (a TOML or JSON *unit file*) plus one learner
per row (CSV or JSONL); see ``docs/batch.md`` for the formats. :func:`issue_batch` signs one
credential per row into an output folder and keeps a *journal* there, so that a run stopped
in any way (Ctrl-C, ``kill -9``, power loss) is resumed by running it again:

* every row is issued exactly once: its credential id, status list index, file name, proof
  ``created`` time and hashed-identifier salts are fixed before it is signed, so a row signed
  again after a crash is the same credential (byte for byte with Ed25519) in the same file;
* no status list index is ever used twice: indexes are allocated and the allocator state is
  saved durably (:class:`StatusListState`) *before* they are journaled and signed with;
* every output file is written atomically (temporary file, fsync, rename, directory fsync);
* a bad row is reported with its row and line number while the good rows are issued.

The journal (``mcbadge-batch.jsonl``) is an append-only JSON Lines file, fsynced after every
group of records; only the parent process writes it. ``docs/batch.md`` walks through every
crash point.

Example:
    >>> from mcbadge.keys import KeyPair
    >>> cohort = load_cohort("examples/cohort.csv")  # doctest: +SKIP
    >>> result = issue_batch(cohort, KeyPair.generate(), out_dir="out")  # doctest: +SKIP
    >>> len(result.issued), result.errors  # doctest: +SKIP
    (3, ())
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import hmac
import json
import multiprocessing
import os
import re
import secrets
import signal
import sys
import threading
import time
import tomllib
import unicodedata
import uuid
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, Final, Literal, NamedTuple, cast, overload

from mcbadge._internal.files import fsync_directory as _fsync_dir
from mcbadge._internal.files import write_atomic
from mcbadge.errors import (
    BatchError,
    InvalidInputError,
    McBadgeError,
    ModelValidationError,
    StatusListError,
)

if sys.platform != "win32":
    import fcntl

if TYPE_CHECKING:
    from mcbadge.keys import KeyPair, Signer
    from mcbadge.microcredential import Learner, Microcredential
    from mcbadge.proofs.data_integrity import CryptosuiteName
    from mcbadge.status import BitstringStatusList, StatusListAllocator

__all__ = [
    "COHORT_COLUMNS",
    "JOURNAL_NAME",
    "SUMMARY_NAME",
    "BatchProgress",
    "BatchResult",
    "Cohort",
    "CohortRow",
    "IssuedRow",
    "RowError",
    "StatusListState",
    "issue_batch",
    "load_cohort",
    "load_unit",
    "read_document",
    "signing_identity",
    "write_atomic",
]

JOURNAL_NAME: Final = "mcbadge-batch.jsonl"
"""The journal's file name inside the output folder."""

SUMMARY_NAME: Final = "mcbadge-summary.json"
"""The summary written into the output folder at the end of every run."""

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

_JOURNAL_VERSION: Final = 1
_STATE_TYPE: Final = "mcbadge.StatusListState"
_STATE_VERSION: Final = 1
_OUTPUT_RE: Final = re.compile(r"(\d{6,})-[a-z0-9-]*\.(?:json|jwt)", re.ASCII)
_TEMP_RE: Final = re.compile(r"\..+\.\d+(-\d+)?\.tmp", re.ASCII)
_IDENTIFIER_COLUMNS: Final = (
    ("email", "emailAddress"),
    ("student_number", "sisSourcedId"),
    ("eppn", "ext:eduPersonPrincipalName"),
)
_TRUE: Final = frozenset({"true", "yes", "ja", "y", "j", "1"})
_FALSE: Final = frozenset({"false", "no", "nee", "n", "0"})
_MAX_CHUNK: Final = 32
_IN_FLIGHT_PER_WORKER: Final = 2
_INDEX_BLOCK: Final = 256
_LINE_RE: Final = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")
_READ_SIZE = 1 << 20  # journal bytes read at a time


# --------------------------------------------------------------------------- crash points


def _checkpoint(name: str) -> None:
    """A named point where a crash is interesting; a no-op that tests replace to crash there.

    Points, in order: ``journal_started``, ``indexes_allocated`` (allocated in memory, state
    not saved), ``status_state_saved`` (saved, not journaled), ``indexes_journaled``,
    ``output_written`` (a row's file is in place, its outcome not journaled),
    ``outcomes_journaled``.
    """


# --------------------------------------------------------------------------- files


@contextlib.contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on a folder, waiting for it (POSIX; no lock elsewhere).

    The state file itself cannot carry the lock: it is replaced by a rename on every save.
    Locking its folder needs no lock file beside it; the critical sections are short.
    """
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms that cannot open folders
        yield
        return
    try:
        if sys.platform != "win32":
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def read_document(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a JSON or TOML file (by suffix; anything else is read as JSON) into a dict.

    TOML dates and times become RFC 3339 strings; a TOML date-time without an offset stays
    without one, so that using it as a credential date fails with a clear message.

    Args:
        path: The file.

    Returns:
        The top-level object.

    Raises:
        InvalidInputError: ``input_unreadable`` (cannot be read), ``input_not_json`` /
            ``input_not_toml`` (syntax error, with the position), ``input_not_object`` (the
            top level is not an object / table).

    Example:
        >>> read_document("examples/cohort.unit.toml")["unit"]["name"]  # doctest: +SKIP
        'Data Privacy in de Zorg'
    """
    source = Path(path)
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise InvalidInputError(
            f"cannot read {source}: {exc.strerror or exc}",
            code="input_unreadable",
            path=str(source),
        ) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInputError(
            f"{source} is not UTF-8 text (byte {exc.start})",
            code="input_unreadable",
            path=str(source),
        ) from exc
    data: Any
    if source.suffix.lower() == ".toml":
        try:
            data = _plain_dates(tomllib.loads(text))
        except tomllib.TOMLDecodeError as exc:
            raise InvalidInputError(
                f"{source} is not valid TOML: {exc}", code="input_not_toml", path=str(source)
            ) from exc
    else:
        try:
            data = json.loads(text, object_pairs_hook=_no_duplicates)
        except (ValueError, RecursionError) as exc:
            raise InvalidInputError(
                f"{source} is not valid JSON: {exc}", code="input_not_json", path=str(source)
            ) from exc
    if not isinstance(data, dict):
        raise InvalidInputError(
            f"{source} must hold a JSON object / TOML table at the top level",
            code="input_not_object",
            path=str(source),
        )
    return data


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate member {key!r}")
        out[key] = value
    return out


def _plain_dates(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            from mcbadge._internal.dates import format_datetime

            return format_datetime(value)
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_dates(v) for v in value]
    return value


def _digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _now_text() -> str:
    from mcbadge._internal.dates import format_datetime

    return format_datetime(datetime.now(UTC).replace(microsecond=0))


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
            record = json.loads(line, object_pairs_hook=_no_duplicates)
        except (ValueError, RecursionError) as exc:
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


# --------------------------------------------------------------------------- status state


class StatusListState:
    """A status list as its issuer keeps it: URL, purpose, the bits, and which indexes are used.

    One JSON file holds it (written by :meth:`save`: temporary file, fsync, rename); the
    ``mcbadge status`` commands and :func:`issue_batch` change it only through :meth:`edit`,
    which holds an exclusive lock (``flock`` on the file's folder) while it loads, changes
    and saves, so that concurrent batches and revocations never lose each other's updates.

    Attributes:
        url: The URL the signed list is published at (``statusListCredential``).
        status_list: The bits (:class:`~mcbadge.status.BitstringStatusList`).
        allocator: The indexes handed out (:class:`~mcbadge.status.StatusListAllocator`).

    Raises:
        StatusListError: the list and the allocator do not belong together.

    Example:
        >>> state = StatusListState.create("https://hs.nl/status/1")
        >>> state.purpose, state.status_list.length
        ('revocation', 131072)
    """

    def __init__(
        self, *, url: str, status_list: BitstringStatusList, allocator: StatusListAllocator
    ) -> None:
        if allocator.length != status_list.length or allocator.list_url != url:
            raise StatusListError(
                "the allocator does not belong to this status list (length or URL differ)",
                code="status_state_invalid",
            )
        if status_list.status_purpose is None:
            raise StatusListError("the status list has no purpose", code="status_state_invalid")
        self.url = url
        self.status_list = status_list
        self.allocator = allocator

    @property
    def purpose(self) -> str:
        """``"revocation"`` or ``"suspension"`` (or ``"message"``)."""
        return str(self.status_list.status_purpose)

    @classmethod
    def create(
        cls, url: str, *, purpose: str = "revocation", length: int | None = None
    ) -> StatusListState:
        """A new, empty list.

        Args:
            url: Where the signed list will be published.
            purpose: ``"revocation"`` (default) or ``"suspension"``.
            length: Entries (default and minimum 131,072).

        Returns:
            The state; :meth:`save` it.

        Raises:
            StatusListError: a bad URL, purpose or length.

        Example:
            >>> StatusListState.create("https://hs.nl/s/2", purpose="suspension").purpose
            'suspension'
        """
        from mcbadge.status import MIN_ENTRIES, BitstringStatusList, StatusListAllocator, entry

        entry(0, list_url=url, purpose=purpose)  # checks the URL and purpose
        bits = BitstringStatusList.create(length=length or MIN_ENTRIES, status_purpose=purpose)
        allocator = StatusListAllocator(length=bits.length, list_url=url)
        return cls(url=url, status_list=bits, allocator=allocator)

    def to_json(self) -> str:
        """The state as JSON text.

        Example:
            >>> json.loads(StatusListState.create("https://hs.nl/s/1").to_json())["purpose"]
            'revocation'
        """
        return json.dumps(
            {
                "type": _STATE_TYPE,
                "version": _STATE_VERSION,
                "url": self.url,
                "purpose": self.purpose,
                "length": self.status_list.length,
                "encodedList": self.status_list.encode(),
                "allocator": json.loads(self.allocator.to_json()),
            },
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> StatusListState:
        """Read :meth:`to_json` output.

        Raises:
            StatusListError: ``status_state_invalid`` for anything else.

        Example:
            >>> s = StatusListState.create("https://hs.nl/s/1")
            >>> StatusListState.from_json(s.to_json()).url
            'https://hs.nl/s/1'
        """
        from mcbadge.status import BitstringStatusList, StatusListAllocator

        try:
            data = json.loads(text)
        except (ValueError, UnicodeDecodeError) as exc:
            raise StatusListError(
                f"the status list state is not JSON: {exc}", code="status_state_invalid"
            ) from exc
        if not isinstance(data, dict) or data.get("type") != _STATE_TYPE:
            raise StatusListError(
                f"not a status list state (type must be {_STATE_TYPE!r}); create one with "
                "'mcbadge status create'",
                code="status_state_invalid",
            )
        if data.get("version") != _STATE_VERSION:
            raise StatusListError(
                f"unsupported status list state version {data.get('version')!r}",
                code="status_state_invalid",
            )
        url, purpose, length = data.get("url"), data.get("purpose"), data.get("length")
        if not isinstance(url, str) or not isinstance(purpose, str) or not isinstance(length, int):
            raise StatusListError(
                "the status list state needs url, purpose and length", code="status_state_invalid"
            )
        try:
            bits = BitstringStatusList.decode(
                data.get("encodedList"),  # type: ignore[arg-type]
                status_purpose=purpose,
                min_entries=1,
            )
            allocator = StatusListAllocator.from_json(data.get("allocator") or {})
        except StatusListError as exc:
            raise StatusListError(
                f"the status list state is damaged: {exc.message}", code="status_state_invalid"
            ) from exc
        if bits.length != length:
            raise StatusListError(
                "the status list state is damaged: length does not match the list",
                code="status_state_invalid",
            )
        return cls(url=url, status_list=bits, allocator=allocator)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the state atomically and durably.

        Raises:
            StatusListError: ``status_state_unwritable``.

        Example:
            >>> StatusListState.create("https://hs.nl/s/1").save("status.json")  # doctest: +SKIP
        """
        try:
            write_atomic(path, self.to_json().encode("utf-8"))
        except OSError as exc:
            raise StatusListError(
                f"cannot write the status list state {path}: {exc.strerror or exc}",
                code="status_state_unwritable",
                path=str(path),
            ) from exc

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> StatusListState:
        """Read a state file.

        Raises:
            StatusListError: ``status_state_missing`` (create it with ``mcbadge status
                create``), ``status_state_invalid``.

        Example:
            >>> StatusListState.load("status.json").url  # doctest: +SKIP
            'https://hs-voorbeeld.nl/status/1'
        """
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError as exc:
            raise StatusListError(
                f"no status list state at {path}; create it with 'mcbadge status create "
                "--url URL --out FILE'",
                code="status_state_missing",
                path=str(path),
            ) from exc
        except OSError as exc:
            raise StatusListError(
                f"cannot read the status list state {path}: {exc.strerror or exc}",
                code="status_state_invalid",
                path=str(path),
            ) from exc
        return cls.from_json(data)

    @classmethod
    @contextlib.contextmanager
    def edit(cls, path: str | os.PathLike[str]) -> Iterator[StatusListState]:
        """Lock, load, yield the state to change, and save it when the block ends normally.

        Raises:
            StatusListError: as :meth:`load` and :meth:`save`. An exception in the block
                leaves the file as it was.

        Example:
            >>> with StatusListState.edit("status.json") as state:  # doctest: +SKIP
            ...     state.status_list.revoke(42)
        """
        target = Path(path)
        with _folder_lock(target.absolute().parent):
            state = cls.load(target)
            yield state
            state.save(target)


# --------------------------------------------------------------------------- identity


def signing_identity(
    key: Signer,
    *,
    format: Literal["di", "jwt"] = "di",  # noqa: A002 - the name users expect
    issuer_id: str | None = None,
    verification_method: str | None = None,
) -> tuple[str, str]:
    """Work out the issuer id and verification method a key signs with.

    * ``verification_method`` given (e.g. ``did:web:hs.nl#key-1``): the issuer defaults to
      the part before ``#``.
    * else the key's own: Ed25519 / P-256 ``did:key``, RSA ``did:jwk`` (method ``#0``), or
      a signer's ``verification_method``; ``issuer_id``, when given, must then be that DID
      (otherwise the issued credentials would not verify).

    Args:
        key: The signing key.
        format: ``"di"`` needs an Ed25519 key.
        issuer_id: The issuer id to put in the credentials.
        verification_method: The key's URL.

    Returns:
        ``(issuer_id, verification_method)``.

    Raises:
        InvalidInputError: ``key_unsupported_for_format`` (a non-Ed25519 key for Data
            Integrity), ``issuer_key_mismatch`` (an issuer id the key does not belong to).

    Example:
        >>> from mcbadge.keys import KeyPair
        >>> issuer, vm = signing_identity(KeyPair.generate())
        >>> vm.startswith(issuer + "#z6Mk")
        True
    """
    if format == "di" and key.key_type != "Ed25519":
        raise InvalidInputError(
            f"Data Integrity proofs (eddsa-rdfc-2022, eddsa-jcs-2022) need an Ed25519 key; "
            f"this is a {key.key_type} key: use --format jwt, or an Ed25519 key",
            code="key_unsupported_for_format",
        )
    vm = verification_method or key.verification_method
    if vm is not None:
        return (issuer_id or vm.split("#", 1)[0], vm)
    if key.key_type == "RSA":
        from mcbadge.did import did_jwk

        did = did_jwk(key)
        own_vm = f"{did}#0"
    else:
        did_key = getattr(key, "did_key", None)  # a KeyPair has one; the Signer protocol not
        if not isinstance(did_key, str):
            raise InvalidInputError(
                "this signer has no verification method and no did:key: give its key URL "
                "(verification_method)",
                code="invalid_option",
            )
        did = did_key
        own_vm = f"{did}#{did.removeprefix('did:key:')}"
    if issuer_id is not None and issuer_id != did:
        raise InvalidInputError(
            f"the issuer id {issuer_id!r} is not this key's DID ({did}): give the key's URL "
            "under that issuer with --verification-method (e.g. did:web:example.nl#key-1), or "
            "leave --issuer-id out to issue as the key's DID",
            code="issuer_key_mismatch",
        )
    return (did, own_vm)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class IssuedRow:
    """A row whose credential is in the output folder.

    Attributes:
        row: The row number.
        line: The line in the input file.
        id: The credential id.
        file: The file name in the output folder.
        status_list_index: Its status list index, or ``None`` without a status list.

    Example:
        >>> IssuedRow(row=1, line=2, id="urn:uuid:1", file="000001-jan.json",
        ...           status_list_index=7).to_dict()["status_list_index"]
        7
    """

    row: int
    line: int
    id: str
    file: str
    status_list_index: int | None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "row": self.row,
            "line": self.line,
            "id": self.id,
            "file": self.file,
            "status_list_index": self.status_list_index,
        }


@dataclass(frozen=True)
class RowError:
    """A row that could not be issued.

    Attributes:
        row: The row number.
        line: The line in the input file.
        code: The error code (e.g. ``policy_violation``, ``model_invalid``, ``row_malformed``).
        message: What is wrong, naming the field or rule.
        details: Structured details of the error.

    Example:
        >>> RowError(row=2, line=3, code="row_not_passed", message="...").to_dict()["code"]
        'row_not_passed'
    """

    row: int
    line: int
    code: str
    message: str
    details: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        out: dict[str, Any] = {
            "row": self.row,
            "line": self.line,
            "code": self.code,
            "message": self.message,
        }
        if self.details:
            out["details"] = dict(self.details)
        return out


@dataclass(frozen=True)
class BatchProgress:
    """How far a batch run is; passed to the ``progress`` callback after every chunk.

    Attributes:
        total: Rows in the cohort.
        issued: Rows issued so far (earlier runs included).
        failed: Rows that failed in this run.
        issued_this_run: Rows issued by this run.
        elapsed: Seconds since this run started.

    Example:
        >>> BatchProgress(total=10, issued=4, failed=0, issued_this_run=4, elapsed=2.0).rate
        2.0
    """

    total: int
    issued: int
    failed: int
    issued_this_run: int
    elapsed: float

    @property
    def rate(self) -> float:
        """Rows per second in this run."""
        return self.issued_this_run / self.elapsed if self.elapsed > 0 else 0.0


@dataclass(frozen=True)
class BatchResult:
    """What a batch run left in its output folder.

    Attributes:
        batch_id: The batch's id (credential ids are derived from it).
        out_dir: The output folder.
        created: When the batch started (every proof's ``created``; the default ``validFrom``).
        rows: Rows in the cohort.
        issued: Every issued row, earlier runs included, by row number: a read-only
            sequence of :class:`IssuedRow` kept compactly and built one item at a time as
            it is read, so that a result of 100,000 rows costs a few MB.
        errors: Rows that failed in this run.
        issued_this_run: How many rows this run issued.
        interrupted: ``True`` when the run was stopped (Ctrl-C, SIGTERM) before the end.
        journal_repairs: Damaged journal lines skipped and torn tails cut off.

    Example:
        >>> result.ok, result.to_dict()["issued"]  # doctest: +SKIP
        (True, 3)
    """

    batch_id: str
    out_dir: Path
    created: str
    rows: int
    issued: Sequence[IssuedRow]
    errors: tuple[RowError, ...]
    issued_this_run: int
    interrupted: bool
    journal_repairs: int = 0

    @property
    def ok(self) -> bool:
        """Every row issued, none failed, not interrupted."""
        return not self.errors and not self.interrupted and len(self.issued) == self.rows

    def to_dict(self) -> dict[str, Any]:
        """The summary as JSON-ready data: counts, errors and where the full summary is.

        Its size does not grow with the rows issued: the listing of every issued credential
        is only in the summary file (``summary``, see :meth:`write_summary`).

        Example:
            >>> sorted(result.to_dict())[:3]  # doctest: +SKIP
            ['batch', 'created', 'errors']
        """
        return {
            "batch": self.batch_id,
            "out": str(self.out_dir),
            "created": self.created,
            "rows": self.rows,
            "issued": len(self.issued),
            "failed": len(self.errors),
            "issued_this_run": self.issued_this_run,
            "interrupted": self.interrupted,
            "journal_repairs": self.journal_repairs,
            "summary": str(self.out_dir / SUMMARY_NAME),
            "errors": [error.to_dict() for error in self.errors],
        }

    def write_summary(self, path: str | os.PathLike[str]) -> None:
        """Write the summary file: :meth:`to_dict` plus ``credentials``, every issued row.

        The file is written atomically and durably, one credential at a time, so memory
        does not grow with the number of rows (``issue_batch`` writes it as
        ``mcbadge-summary.json`` into the output folder).

        Args:
            path: The file to write.

        Raises:
            OSError: the file cannot be written.

        Example:
            >>> result.write_summary("summary.json")  # doctest: +SKIP
        """
        head = self.to_dict()
        errors = head.pop("errors")

        def chunks() -> Iterator[str]:
            yield "{\n"
            for name, value in head.items():
                yield f"  {json.dumps(name)}: {json.dumps(value, ensure_ascii=False)},\n"
            yield '  "credentials": ['
            separator = "\n    "
            for row in self.issued:
                yield separator + json.dumps(row.to_dict(), ensure_ascii=False)
                separator = ",\n    "
            yield "\n  ],\n" if self.issued else "],\n"
            yield '  "errors": ['
            separator = "\n    "
            for error in errors:
                yield separator + json.dumps(error, ensure_ascii=False)
                separator = ",\n    "
            yield "\n  ]\n}\n" if errors else "]\n}\n"

        _write_atomic_stream(Path(path), chunks())


class _IssuedRows(Sequence[IssuedRow]):
    """The issued rows of a :class:`BatchResult`, kept in arrays; items are built when read."""

    __slots__ = ("_files", "_ids", "_indexes", "_lines", "_namespace", "_numbers")

    def __init__(
        self,
        items: Iterable[IssuedRow | tuple[int, int, str | None, str, int | None]],
        *,
        namespace: uuid.UUID | None = None,
    ) -> None:
        self._namespace = namespace  # ids left out (None) are derived from it and the row
        self._numbers = array("q")
        self._lines = array("q")
        self._indexes = array("q")  # -1: no status list index
        self._ids: list[str | None] = []
        self._files: list[str] = []
        for item in items:
            row, line, cred_id, file, index = (
                (item.row, item.line, item.id, item.file, item.status_list_index)
                if isinstance(item, IssuedRow)
                else item
            )
            self._numbers.append(row)
            self._lines.append(line)
            self._ids.append(cred_id)
            self._files.append(file)
            self._indexes.append(-1 if index is None else index)

    def __len__(self) -> int:
        return len(self._numbers)

    def _item(self, position: int) -> IssuedRow:
        index = self._indexes[position]
        row = self._numbers[position]
        cred_id = self._ids[position]
        if cred_id is None:
            assert self._namespace is not None  # noqa: S101 - None ids need a namespace
            cred_id = _derived_id(self._namespace, row)
        return IssuedRow(
            row=row,
            line=self._lines[position],
            id=cred_id,
            file=self._files[position],
            status_list_index=None if index < 0 else index,
        )

    @overload
    def __getitem__(self, position: int) -> IssuedRow: ...

    @overload
    def __getitem__(self, position: slice) -> Sequence[IssuedRow]: ...

    def __getitem__(self, position: int | slice) -> IssuedRow | Sequence[IssuedRow]:
        if isinstance(position, slice):
            return tuple(self._item(i) for i in range(*position.indices(len(self))))
        if position < 0:
            position += len(self)
        if not 0 <= position < len(self):
            raise IndexError("issued row index out of range")
        return self._item(position)

    def __iter__(self) -> Iterator[IssuedRow]:
        for position in range(len(self)):
            yield self._item(position)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<{len(self)} issued row(s)>"


def _write_atomic_stream(target: Path, chunks: Iterable[str]) -> None:
    """:func:`write_atomic` for text produced piece by piece (UTF-8; fsync, rename, fsync)."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        with temporary.open("w", encoding="utf-8", newline="\n") as handle:
            handle.writelines(chunks)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _fsync_dir(target.parent)


# --------------------------------------------------------------------------- journal


class _Done(NamedTuple):
    """What the journal keeps of a row it records as issued (compact: one tuple per row)."""

    id: str | None  # None: the id derived from the batch id and row number (not stored)
    file: str
    status_index: int | None


def _derived_id(namespace: uuid.UUID, row: int) -> str:
    """The credential id of a row without an explicit ``id``: fixed by the batch and row."""
    return f"urn:uuid:{uuid.uuid5(namespace, f'row-{row}')}"


class _Journal:
    """The append-only JSON Lines journal of one output folder (parent process only).

    It keeps in memory only what a run needs: each issued row's :class:`_Done`, each
    row's status list index, and (until :meth:`_Run.reconcile` has checked the input
    against them) the content hashes of the rows issued before this run.
    """

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd = fd
        self.header: dict[str, Any] | None = None
        self.indexes: dict[int, int] = {}
        self.done: dict[int, _Done] = {}
        self.hashes: dict[int, str] = {}
        self.repairs = 0
        self.namespace: uuid.UUID | None = None

    def _set_header(self, header: dict[str, Any]) -> None:
        self.header = header
        try:
            self.namespace = uuid.UUID(str(header.get("batch")))
        except ValueError:
            self.namespace = None

    def credential_id(self, row: int, done: _Done) -> str:
        """The credential id of an issued row."""
        if done.id is not None:
            return done.id
        assert self.namespace is not None  # noqa: S101 - None ids need a namespace
        return _derived_id(self.namespace, row)

    @classmethod
    @contextlib.contextmanager
    def open(cls, out_dir: Path) -> Iterator[_Journal]:
        path = out_dir / JOURNAL_NAME
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            if sys.platform != "win32":
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError as exc:
                    raise BatchError(
                        f"another 'mcbadge issue' is writing to {out_dir} (its journal is "
                        "locked); wait for it, or use another output folder",
                        code="batch_locked",
                        path=str(path),
                    ) from exc
            journal = cls(path, fd)
            journal._load()
            yield journal
        finally:
            os.close(fd)

    def _load(self) -> None:
        os.lseek(self._fd, 0, os.SEEK_SET)  # appends still go to the end (O_APPEND)
        pending = b""
        size = 0
        number = 0
        while chunk := os.read(self._fd, _READ_SIZE):  # a bit at a time, however long
            size += len(chunk)
            lines = (pending + chunk).split(b"\n")
            pending = lines.pop()
            for raw in lines:
                number += 1
                self._load_line(number, raw)
        if pending:  # a record torn by a crash: cut it off before appending
            os.ftruncate(self._fd, size - len(pending))
            os.fsync(self._fd)
            self.repairs += 1

    def _load_line(self, number: int, raw: bytes) -> None:
        record = self._parse(raw)
        if record is None:
            if number == 1:
                raise BatchError(
                    f"the journal {self.path} is damaged in its first line (the batch "
                    "header); the credentials already issued are in the folder, but this "
                    "batch cannot be resumed: issue the remaining rows into a new folder",
                    code="batch_journal_damaged",
                    path=str(self.path),
                )
            self.repairs += 1
            return
        self._apply(record, first=number == 1)
        if record["t"] == "done":
            self.hashes[record["row"]] = str(record.get("hash"))

    @staticmethod
    def _parse(raw: bytes) -> dict[str, Any] | None:
        try:
            record = json.loads(raw)
        except (ValueError, UnicodeDecodeError, RecursionError):
            return None
        if not isinstance(record, dict) or not isinstance(record.get("t"), str):
            return None
        kind = record["t"]
        if kind == "batch":
            ok = isinstance(record.get("batch"), str) and isinstance(record.get("options"), dict)
            return record if ok else None
        if not isinstance(record.get("row"), int):
            return None
        if kind == "index":
            return record if isinstance(record.get("index"), int) else None
        if kind == "done":
            ok = isinstance(record.get("file"), str) and isinstance(record.get("id"), str)
            return record if ok and _OUTPUT_RE.fullmatch(record["file"]) else None
        if kind == "failed":
            return record
        return None

    def _apply(self, record: Mapping[str, Any], *, first: bool) -> None:
        kind = record["t"]
        if kind == "batch":
            if first:
                self._set_header(dict(record))
            else:
                self.repairs += 1
            return
        if self.header is None:
            self.repairs += 1
            return
        row = record["row"]
        if kind == "index":
            self.indexes[row] = record["index"]
        elif kind == "done":
            index = record.get("index")
            index = index if isinstance(index, int) and not isinstance(index, bool) else None
            cred_id: str | None = record["id"]
            if self.namespace is not None and cred_id == _derived_id(self.namespace, row):
                cred_id = None
            self.done[row] = _Done(cred_id, record["file"], index)
            if index is not None:
                self.indexes[row] = index

    def commit(self, records: Sequence[Mapping[str, Any]], *, apply: bool = True) -> None:
        """Append records and fsync; after this returns they survive a crash."""
        if not records:
            return
        data = b"".join(
            json.dumps(r, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
            for r in records
        )
        view = memoryview(data)
        while view:
            view = view[os.write(self._fd, view) :]
        os.fsync(self._fd)
        if apply:
            for record in records:
                self._apply(record, first=False)

    def start(self, header: dict[str, Any]) -> None:
        if os.fstat(self._fd).st_size:
            os.ftruncate(self._fd, 0)
        self.commit([header], apply=False)
        self._set_header(header)
        _fsync_dir(self.path.parent)


# --------------------------------------------------------------------------- the row issuer


@dataclass(frozen=True)
class _Plan:
    """Everything a worker needs, picklable (no key objects)."""

    batch_id: str
    created: str
    salt_key: str
    unit: Mapping[str, Any]
    format: str
    cryptosuite: str
    profile: str
    policy: str | None
    issuer_id: str
    verification_method: str
    status_url: str | None
    status_purpose: str | None
    out_dir: str
    fsync_each_file: bool


@dataclass(frozen=True)
class _Task:
    row: int
    fields: Mapping[str, str | bool]
    problem: Mapping[str, Any] | None
    index: int | None
    file: str


@dataclass(frozen=True)
class _Outcome:
    row: int
    file: str
    id: str | None
    index: int | None
    error: Mapping[str, Any] | None


class _RowIssuer:
    """Builds and signs rows; one per worker process, the unit parsed once."""

    def __init__(self, plan: _Plan, key: Signer) -> None:
        from mcbadge.microcredential import Microcredential

        self.plan = plan
        self.key = key
        unit = {k: v for k, v in plan.unit.items() if k not in CREDENTIAL_FIELDS}
        self.template: Microcredential = Microcredential.from_dict(
            {**unit, "learner": {"name": "-"}}
        )
        result = unit.get("result")
        self.result_base: dict[str, Any] = dict(result) if isinstance(result, Mapping) else {}
        self.namespace = uuid.UUID(plan.batch_id)
        self.salt_key = bytes.fromhex(plan.salt_key)
        self.out_dir = Path(plan.out_dir)

    def credential_id(self, row: int, fields: Mapping[str, str | bool]) -> str:
        explicit = fields.get("id")
        if isinstance(explicit, str):
            return explicit
        return _derived_id(self.namespace, row)

    def _learner(self, row: int, fields: Mapping[str, str | bool]) -> Learner:
        from mcbadge.microcredential import HashedIdentity, Learner
        from mcbadge.model import IdentityObject

        name = fields.get("name")
        if not isinstance(name, str):
            raise InvalidInputError(
                "name is empty: the learner's full name is required",
                code="row_missing_name",
                field="name",
            )
        hashed: list[HashedIdentity] = []
        for column, identity_type in _IDENTIFIER_COLUMNS:
            value = fields.get(column)
            if isinstance(value, str):
                # salt fixed per batch and row: a row signed again is the same credential
                salt = hmac.new(
                    self.salt_key, f"{row}\x00{identity_type}".encode(), hashlib.sha256
                ).hexdigest()[:32]
                obj = IdentityObject.hashed(identity_type, value, salt=salt)
                hashed.append(
                    HashedIdentity(
                        identity_type=identity_type, identity_hash=obj.identity_hash, salt=salt
                    )
                )
        did = fields.get("did")
        return Learner(
            name=name, did=did if isinstance(did, str) else None, hashed_identities=hashed
        )

    def _passed(self, fields: Mapping[str, str | bool]) -> bool:
        value = fields.get("passed", True)
        if isinstance(value, bool):
            return value
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise InvalidInputError(
            f"passed must be true or false (also yes/no, ja/nee, 1/0), got {value!r}",
            code="row_malformed",
            field="passed",
        )

    def build(self, task: _Task) -> dict[str, Any]:
        """The unsigned credential of a row (with its status entry)."""
        from mcbadge.microcredential import Result

        if task.problem is not None:
            raise InvalidInputError(
                str(task.problem.get("message")),
                code=str(task.problem.get("code", "row_malformed")),
            )
        fields = task.fields
        if not self._passed(fields):
            raise InvalidInputError(
                "the learner did not pass (passed is false): a microcredential is only "
                "awarded to learners who passed; remove the row",
                code="row_not_passed",
                field="passed",
            )
        result_data = dict(self.result_base)
        grade = fields.get("grade")
        if isinstance(grade, str):
            result_data["grade"] = grade
        microcredential = self.template.model_copy(
            update={
                "learner": self._learner(task.row, fields),
                "result": Result.from_dict(result_data),
            }
        )
        dates: dict[str, str | None] = {}
        for name in CREDENTIAL_FIELDS:
            value = fields.get(name, self.plan.unit.get(name))
            dates[name] = value if isinstance(value, str) else None
        credential = microcredential.to_credential(
            id=self.credential_id(task.row, fields),
            valid_from=dates["valid_from"] or self.plan.created,
            valid_until=dates["valid_until"],
            awarded_date=dates["awarded_date"],
            issuer_id=self.plan.issuer_id,
            profile=self.plan.profile,  # type: ignore[arg-type]
            policy=self.plan.policy,  # type: ignore[arg-type]
        )
        document: dict[str, Any] = credential.to_json_dict()
        if task.index is not None and self.plan.status_url is not None:
            from mcbadge.status import entry

            document["credentialStatus"] = entry(
                task.index,
                list_url=self.plan.status_url,
                purpose=self.plan.status_purpose or "revocation",
            )
        return document

    def sign(self, document: Mapping[str, Any]) -> bytes:
        from mcbadge.issue import issue

        if self.plan.format == "jwt":
            token = issue(
                document, self.key, format="jwt", verification_method=self.plan.verification_method
            )
            return (token + "\n").encode("ascii")
        signed = issue(
            document,
            self.key,
            cryptosuite=cast("CryptosuiteName", self.plan.cryptosuite),
            verification_method=self.plan.verification_method,
            created=self.plan.created,
        )
        # one line: json's C encoder is ~40x faster than indent=2, which cost more than signing
        return (json.dumps(signed, ensure_ascii=False) + "\n").encode("utf-8")

    def run(self, task: _Task) -> _Outcome:
        cred_id = self.credential_id(task.row, task.fields)
        try:
            data = self.sign(self.build(task))
            write_atomic(self.out_dir / task.file, data, durable=self.plan.fsync_each_file)
        except McBadgeError as exc:
            error = exc.to_dict()
            return _Outcome(task.row, task.file, None, task.index, error)
        except OSError as exc:
            error = {
                "code": "output_unwritable",
                "message": f"cannot write {task.file}: {exc.strerror or exc}",
            }
            return _Outcome(task.row, task.file, None, task.index, error)
        except Exception as exc:  # noqa: BLE001 - a bug must fail its row, not the batch
            error = {
                "code": "internal_error",
                "message": f"unexpected {type(exc).__name__}: {exc}",
            }
            return _Outcome(task.row, task.file, None, task.index, error)
        _checkpoint("output_written")
        return _Outcome(task.row, task.file, cred_id, task.index, None)

    def run_chunk(self, tasks: Sequence[_Task]) -> list[_Outcome]:
        outcomes = [self.run(task) for task in tasks]
        if self.plan.fsync_each_file:
            _fsync_dir(self.out_dir)  # once per chunk: the renames above are durable
        return outcomes


# --------------------------------------------------------------------------- worker processes

_WORKER: _RowIssuer | None = None


def _watch_parent(parent: int) -> None:  # pragma: no cover - runs in worker processes
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(1)  # the parent died (kill -9): do not outlive it


def _worker_init(plan: _Plan, pem: bytes, parent: int) -> None:  # pragma: no cover - in workers
    global _WORKER
    from mcbadge.keys import KeyPair

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    key = KeyPair.from_pem(pem, verification_method=plan.verification_method)
    _WORKER = _RowIssuer(plan, key)


def _worker_run(tasks: Sequence[_Task]) -> list[_Outcome]:  # pragma: no cover - in workers
    if _WORKER is None:
        raise RuntimeError("worker not initialised")
    return _WORKER.run_chunk(tasks)


# --------------------------------------------------------------------------- the run


class _Stop:
    """Turns the first SIGINT/SIGTERM into a graceful stop; the second one interrupts."""

    def __init__(self) -> None:
        self.requested = False
        self._previous: dict[int, Any] = {}

    def install(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        for signum in (signal.SIGINT, signal.SIGTERM):
            self._previous[signum] = signal.signal(signum, self._handle)

    def restore(self) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        self._previous.clear()

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True


def _signature_size(key: Signer) -> int:
    """Bytes in one of the key's JOSE signatures: 64 (EdDSA, ES256) or the RSA modulus size."""
    jwk = key.public_jwk()
    if jwk.get("kty") == "RSA":
        from mcbadge._internal.multibase import base64url_decode

        return len(base64url_decode(str(jwk["n"])).lstrip(b"\x00"))
    return 64


def _output_ok(path: Path, cred_id: str, *, signature_size: int) -> bool:
    """Whether a journaled output file is still there and is the row's credential."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    if path.suffix == ".jwt":
        # written as "token\n": a file cut short (or zero-filled) by a power cut fails here
        parts = data[:-1].split(b".") if data.endswith(b"\n") else []
        if len(parts) != 3:
            return False
        from mcbadge._internal.multibase import base64url_decode

        try:
            payload = json.loads(base64url_decode(parts[1].decode("ascii")))
            signature = base64url_decode(parts[2].decode("ascii"))
        except (McBadgeError, ValueError, UnicodeDecodeError):
            return False
        complete = len(signature) == signature_size
        return complete and isinstance(payload, dict) and payload.get("jti") == cred_id
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return False
    return isinstance(document, dict) and document.get("id") == cred_id and "proof" in document


def _chunks(items: Sequence[CohortRow], size: int) -> Iterator[tuple[int, Sequence[CohortRow]]]:
    for start in range(0, len(items), size):
        yield start, items[start : start + size]


class _NumberedRows(Mapping[int, CohortRow]):
    """Rows numbered 1, 2, 3, ... (as :func:`load_cohort` numbers them) by number, no dict."""

    __slots__ = ("_rows",)

    def __init__(self, rows: tuple[CohortRow, ...]) -> None:
        self._rows = rows

    def __getitem__(self, number: int) -> CohortRow:
        if isinstance(number, int) and 1 <= number <= len(self._rows):
            return self._rows[number - 1]
        raise KeyError(number)

    def __contains__(self, number: object) -> bool:
        return isinstance(number, int) and 1 <= number <= len(self._rows)

    def __iter__(self) -> Iterator[int]:
        return iter(range(1, len(self._rows) + 1))

    def __len__(self) -> int:
        return len(self._rows)


def _rows_by_number(rows: tuple[CohortRow, ...]) -> Mapping[int, CohortRow]:
    if all(row.number == position for position, row in enumerate(rows, start=1)):
        return _NumberedRows(rows)
    return {row.number: row for row in rows}


class _Run:
    def __init__(
        self,
        cohort: Cohort,
        journal: _Journal,
        plan: _Plan,
        *,
        status_state: Path | None,
        progress: Callable[[BatchProgress], None] | None,
        stop: _Stop,
    ) -> None:
        self.cohort = cohort
        self.journal = journal
        self.plan = plan
        self.status_state = status_state
        self.progress = progress
        self.stop = stop
        self.rows = _rows_by_number(cohort.rows)
        self.ext = "jwt" if plan.format == "jwt" else "json"
        self.errors: dict[int, RowError] = {}
        self.issued_this_run = 0
        self.started = time.monotonic()

    # ---- preparation
    def reconcile(self, key: Signer) -> list[CohortRow]:
        """Check the journal against the input; return the rows still to issue."""
        changed = [
            number
            for number in sorted(self.journal.done)
            if number not in self.rows
            or self.rows[number].digest != self.journal.hashes.get(number)
        ]
        self.journal.hashes.clear()  # checked: not needed again
        if changed:
            shown = ", ".join(str(n) for n in changed[:10]) + (" ..." if len(changed) > 10 else "")
            raise BatchError(
                f"the input changed since this batch issued row(s) {shown}: rows already "
                "issued must stay as they were (same row numbers, same content). Put "
                "corrections in a new cohort file and a new output folder (and revoke the "
                "wrong credentials)",
                code="batch_input_changed",
                rows=changed[:100],
            )
        out = Path(self.plan.out_dir)
        size = _signature_size(key)
        todo: list[CohortRow] = []
        for row in self.cohort.rows:
            record = self.journal.done.get(row.number)
            if record is not None and _output_ok(
                out / record.file,
                self.journal.credential_id(row.number, record),
                signature_size=size,
            ):
                continue
            if record is not None:  # journaled but the file is gone or damaged: issue again
                del self.journal.done[row.number]
            todo.append(row)
        pending = {row.number: row for row in todo}
        for name in os.listdir(out):
            match = _OUTPUT_RE.fullmatch(name)
            stale = _TEMP_RE.fullmatch(name) is not None
            if (
                match is not None
                and _expected_file(int(match.group(1)), self.journal.done, pending, self.ext)
                != name
            ):
                stale = True  # left by a crashed attempt (e.g. the learner's name changed)
            if stale:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(out / name)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(out / SUMMARY_NAME)
        return todo

    def repair_allocations(self) -> None:
        """Make sure every journaled index is marked used in the state (a restored backup)."""
        if self.status_state is None:
            return
        with StatusListState.edit(self.status_state) as state:
            self._check_state(state)
            for index in self.journal.indexes.values():
                if not state.allocator.is_allocated(index):
                    state.allocator.mark_allocated(index)

    def _check_state(self, state: StatusListState) -> None:
        if state.url != self.plan.status_url:
            raise BatchError(
                f"the status list state is for {state.url}, this batch uses {self.plan.status_url}",
                code="batch_mismatch",
            )

    # ---- chunks
    def _needs_index(self, row: CohortRow) -> bool:
        return row.number not in self.journal.indexes and row.problem is None

    def prepare(
        self, todo: Sequence[CohortRow], start: int, rows: Sequence[CohortRow]
    ) -> list[_Task]:
        """Describe a chunk's tasks; first reserve indexes for it and the rows after it.

        Indexes are reserved a block at a time (one state save, one journal fsync): a crash
        between the two wastes at most a block of indexes, and never reuses one.
        """
        if self.status_state is not None and any(self._needs_index(row) for row in rows):
            block = todo[start : start + max(len(rows), _INDEX_BLOCK)]
            self._reserve([row for row in block if self._needs_index(row)])
        return [
            _Task(
                row=row.number,
                fields=dict(row.fields),
                problem=dict(row.problem) if row.problem is not None else None,
                index=self.journal.indexes.get(row.number),
                file=_file_name(row, self.ext),
            )
            for row in rows
        ]

    def _reserve(self, need: Sequence[CohortRow]) -> None:
        """Allocate indexes, save the state durably, then journal them (in that order)."""
        if self.status_state is not None:
            with StatusListState.edit(self.status_state) as state:
                self._check_state(state)
                indexes = state.allocator.allocate_many(len(need))
                _checkpoint("indexes_allocated")
            _checkpoint("status_state_saved")
            self.journal.commit(
                [
                    {"t": "index", "row": row.number, "index": index}
                    for row, index in zip(need, indexes, strict=True)
                ]
            )
            _checkpoint("indexes_journaled")

    def record(self, outcomes: Sequence[_Outcome]) -> None:
        records: list[dict[str, Any]] = []
        for outcome in outcomes:
            row = self.rows[outcome.row]
            if outcome.error is None:
                records.append(
                    {
                        "t": "done",
                        "row": outcome.row,
                        "file": outcome.file,
                        "id": outcome.id,
                        "index": outcome.index,
                        "hash": row.digest,
                    }
                )
            else:
                records.append(
                    {"t": "failed", "row": outcome.row, "hash": row.digest, "error": outcome.error}
                )
        self.journal.commit(records)
        _checkpoint("outcomes_journaled")
        for outcome in outcomes:
            row = self.rows[outcome.row]
            if outcome.error is None:
                self.issued_this_run += 1
                self.errors.pop(outcome.row, None)
            else:
                details = outcome.error.get("details")
                self.errors[outcome.row] = RowError(
                    row=row.number,
                    line=row.line,
                    code=str(outcome.error.get("code", "row_failed")),
                    message=str(outcome.error.get("message", "")),
                    details=dict(details) if isinstance(details, Mapping) else {},
                )
        if self.progress is not None:
            self.progress(
                BatchProgress(
                    total=len(self.cohort.rows),
                    issued=len(self.journal.done),
                    failed=len(self.errors),
                    issued_this_run=self.issued_this_run,
                    elapsed=time.monotonic() - self.started,
                )
            )

    # ---- loops
    def run_in_process(self, todo: Sequence[CohortRow], key: Signer) -> None:
        issuer = _RowIssuer(self.plan, key)
        for start, rows in _chunks(todo, _MAX_CHUNK):
            if self.stop.requested:
                return
            self.record(issuer.run_chunk(self.prepare(todo, start, rows)))

    def run_in_workers(self, todo: Sequence[CohortRow], pem: bytes, workers: int) -> None:
        size = max(1, min(_MAX_CHUNK, -(-len(todo) // (workers * 4))))
        chunks = _chunks(todo, size)
        context = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_worker_init,
            initargs=(self.plan, pem, os.getpid()),
        )
        in_flight: dict[Future[list[_Outcome]], list[_Task]] = {}
        finished = False
        try:
            exhausted = False
            while True:
                while (
                    not exhausted
                    and not self.stop.requested
                    and len(in_flight) < workers * _IN_FLIGHT_PER_WORKER
                ):
                    chunk = next(chunks, None)
                    if chunk is None:
                        exhausted = True
                        break
                    tasks = self.prepare(todo, *chunk)
                    in_flight[pool.submit(_worker_run, tasks)] = tasks
                if not in_flight:
                    break
                done, _ = wait(list(in_flight), timeout=0.25, return_when=FIRST_COMPLETED)
                for future in done:
                    del in_flight[future]
                    try:
                        outcomes = future.result()
                    except BrokenProcessPool as exc:
                        if self.stop.requested:  # Ctrl-C reached a worker still starting up
                            finished = True
                            return
                        raise BatchError(
                            "a worker process died (killed, or out of memory); nothing is "
                            "lost: run the same command again to resume",
                            code="batch_worker_died",
                        ) from exc
                    self.record(outcomes)
            finished = True
        finally:
            pool.shutdown(wait=finished, cancel_futures=True)

    def result(self) -> BatchResult:
        header = self.journal.header or {}
        issued = _IssuedRows(
            (
                (number, self.rows[number].line, record.id, record.file, record.status_index)
                for number in sorted(self.journal.done)
                if number in self.rows
                for record in (self.journal.done[number],)
            ),
            namespace=self.journal.namespace,
        )
        return BatchResult(
            batch_id=str(header.get("batch")),
            out_dir=Path(self.plan.out_dir),
            created=str(header.get("created")),
            rows=len(self.cohort.rows),
            issued=issued,
            errors=tuple(self.errors[n] for n in sorted(self.errors)),
            issued_this_run=self.issued_this_run,
            interrupted=self.stop.requested,
            journal_repairs=self.journal.repairs,
        )


def _expected_file(
    number: int, done: Mapping[int, _Done], pending: Mapping[int, CohortRow], ext: str
) -> str | None:
    """The output file name row ``number`` should have, or ``None`` for no such row."""
    record = done.get(number)
    if record is not None:
        return record.file
    row = pending.get(number)
    return _file_name(row, ext) if row is not None else None


def _options(plan_fields: Mapping[str, Any], key: Signer, cohort: Cohort) -> dict[str, Any]:
    from mcbadge.keys import PublicKey

    return {
        **plan_fields,
        "key": PublicKey.from_jwk(key.public_jwk()).jwk_thumbprint(),
        "unit": cohort.unit_digest,
    }


def issue_batch(
    cohort: Cohort,
    key: Signer | KeyPair,
    *,
    out_dir: str | os.PathLike[str],
    format: Literal["di", "jwt"] = "di",  # noqa: A002 - the name users expect
    cryptosuite: str = "eddsa-rdfc-2022",
    profile: Literal["ob3", "edubadges"] = "ob3",
    policy: Literal["hbo-wo", "mbo", "eu", "none"] | None = None,
    issuer_id: str | None = None,
    verification_method: str | None = None,
    status_state: str | os.PathLike[str] | None = None,
    workers: int = 1,
    progress: Callable[[BatchProgress], None] | None = None,
    handle_signals: bool = True,
    fsync_each_file: bool = False,
) -> BatchResult:
    """Issue one credential per cohort row into ``out_dir``; run it again to resume.

    The first run writes the journal's header (a new batch id and start time); later runs
    with the same input and options continue where the last one stopped, skipping rows
    already issued, re-issuing rows whose file went missing, and retrying rows that failed.

    Args:
        cohort: The unit and its learners (:func:`load_cohort`).
        key: The signing key. With ``workers > 1`` it must be a
            :class:`~mcbadge.keys.KeyPair` (each worker process loads it once).
        out_dir: The output folder: created if missing; it must be empty or hold this batch.
        format: ``"di"`` (Data Integrity, JSON files) or ``"jwt"`` (VC-JWT, ``.jwt`` files).
        cryptosuite: For ``"di"``: ``"eddsa-rdfc-2022"`` (default) or ``"eddsa-jcs-2022"``.
        profile: ``"ob3"`` or ``"edubadges"`` (VC-JWT only).
        policy: The policy profile checked for every row (default: by the unit's size).
        issuer_id: The issuer id (default: the key's DID, see :func:`signing_identity`).
        verification_method: The key's URL, e.g. ``did:web:hs.nl#key-1``.
        status_state: A :class:`StatusListState` file: each credential gets a
            ``credentialStatus`` entry with a fresh index from it.
        workers: Signing processes (1: sign in this process).
        progress: Called with a :class:`BatchProgress` after every chunk of rows.
        handle_signals: In the main thread, turn the first Ctrl-C / SIGTERM into a graceful
            stop (the result says ``interrupted``); a second one interrupts at once.
        fsync_each_file: Fsync every credential file as it is written. By default files
            are written atomically (temporary file + rename) and synced all at once when
            the run ends; a file a power loss takes before that is found missing or damaged
            by the next run and issued again, identically (see ``docs/batch.md``).

    Returns:
        The :class:`BatchResult`. Its summary, with the listing of every issued row, is
        written to ``out_dir/mcbadge-summary.json`` one row at a time
        (:meth:`BatchResult.write_summary`); :meth:`BatchResult.to_dict` leaves the listing
        out, so neither grows memory with the cohort.

    Raises:
        BatchError: ``batch_locked`` (another run uses the folder), ``batch_mismatch``
            (the folder holds a batch made with other options, another key or unit, or is
            not empty), ``batch_input_changed`` (a row already issued changed),
            ``batch_journal_damaged``, ``batch_worker_died``.
        InvalidInputError: a bad option (``invalid_option``, ``key_unsupported_for_format``,
            ``issuer_key_mismatch``, ``profile_needs_jwt``).
        PolicyError: the unit breaks the policy (checked once, before any row).
        StatusListError: the status state is missing, damaged or full.

    Example:
        >>> result = issue_batch(load_cohort("cohort.csv"), key, out_dir="out",
        ...                      status_state="status.json", workers=4)  # doctest: +SKIP
        >>> [(e.row, e.code) for e in result.errors]  # doctest: +SKIP
        [(7, 'policy_violation')]
    """
    from mcbadge.proofs.data_integrity import get_cryptosuite

    if format not in ("di", "jwt"):
        raise InvalidInputError(
            f"unknown format {format!r}; use 'di' or 'jwt'", code="invalid_option"
        )
    if format == "di":
        get_cryptosuite(cryptosuite)
        if profile == "edubadges":
            raise InvalidInputError(
                "the edubadges profile uses the educredential context, which is not valid "
                "JSON-LD, so it cannot carry a Data Integrity proof: use format 'jwt'",
                code="profile_needs_jwt",
            )
    if not isinstance(workers, int) or isinstance(workers, bool) or workers < 1:
        raise InvalidInputError("workers must be 1 or more", code="invalid_option")
    pem: bytes | None = None
    if workers > 1:
        to_pem = getattr(key, "to_pem", None)
        if not callable(to_pem):
            raise InvalidInputError(
                "workers > 1 needs a KeyPair (each worker process loads the key); sign an "
                "HSM or KMS key with workers=1",
                code="invalid_option",
            )
        pem = to_pem()
    issuer, vm = signing_identity(
        key, format=format, issuer_id=issuer_id, verification_method=verification_method
    )
    state_path = Path(status_state) if status_state is not None else None
    status_url: str | None = None
    status_purpose: str | None = None
    if state_path is not None:
        state = StatusListState.load(state_path)
        status_url, status_purpose = state.url, state.purpose
    settings: dict[str, Any] = {
        "format": format,
        "cryptosuite": cryptosuite if format == "di" else None,
        "profile": profile,
        "policy": policy,
        "issuer_id": issuer,
        "verification_method": vm,
        "status_url": status_url,
    }
    _check_unit_against(cohort, settings, issuer)
    options = _options(settings, key, cohort)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with _Journal.open(out) as journal:
        if journal.header is None:
            others = [n for n in os.listdir(out) if n != JOURNAL_NAME]
            if others:
                raise BatchError(
                    f"{out} is not empty and holds no batch journal: issue into a new or "
                    "empty folder",
                    code="batch_mismatch",
                    path=str(out),
                )
            journal.start(
                {
                    "t": "batch",
                    "v": _JOURNAL_VERSION,
                    "batch": str(uuid.uuid4()),
                    "created": _now_text(),
                    "salt_key": secrets.token_hex(32),
                    "source": cohort.source,
                    "options": options,
                }
            )
            _checkpoint("journal_started")
        header = journal.header
        assert header is not None  # noqa: S101 - for the type checker
        if header.get("options") != options:
            old = header.get("options") or {}
            differ = sorted(k for k in set(old) | set(options) if old.get(k) != options.get(k))
            raise BatchError(
                f"{out} holds batch {header['batch']} made with other settings "
                f"({', '.join(differ)} differ): resume it with the same input, key and "
                "options, or issue into a new folder",
                code="batch_mismatch",
                differ=differ,
            )
        plan = _Plan(
            batch_id=str(header["batch"]),
            created=str(header["created"]),
            salt_key=str(header["salt_key"]),
            unit=dict(cohort.unit),
            format=format,
            cryptosuite=cryptosuite,
            profile=profile,
            policy=policy,
            issuer_id=issuer,
            verification_method=vm,
            status_url=status_url,
            status_purpose=status_purpose,
            out_dir=str(out),
            fsync_each_file=fsync_each_file,
        )
        stop = _Stop()
        run = _Run(cohort, journal, plan, status_state=state_path, progress=progress, stop=stop)
        todo = run.reconcile(key)
        run.repair_allocations()
        if handle_signals:
            stop.install()
        try:
            if pem is None or len(todo) <= 1:
                run.run_in_process(todo, key)
            else:
                run.run_in_workers(todo, pem, min(workers, len(todo)))
        finally:
            stop.restore()
        _sync_outputs(out, fsync_each_file=fsync_each_file)
        result = run.result()
        result.write_summary(out / SUMMARY_NAME)
        return result


def _sync_outputs(out: Path, *, fsync_each_file: bool) -> None:
    """Make every credential file of the run durable before the run reports it."""
    if fsync_each_file:
        return
    sync = getattr(os, "sync", None)
    if callable(sync):
        sync()
        return
    for name in os.listdir(out):  # pragma: no cover - platforms without sync(2)
        if _OUTPUT_RE.fullmatch(name):
            fd = os.open(out / name, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    _fsync_dir(out)  # pragma: no cover


def _check_unit_against(cohort: Cohort, settings: Mapping[str, Any], issuer: str) -> None:
    """Build a placeholder credential once, so unit-wide problems stop the run before any row."""
    from mcbadge.microcredential import Microcredential

    unit = {k: v for k, v in cohort.unit.items() if k not in CREDENTIAL_FIELDS}
    sample = Microcredential.from_dict({**unit, "learner": {"name": "-"}})
    sample.to_credential(
        id="urn:uuid:00000000-0000-4000-8000-000000000000",
        valid_from=cohort.unit.get("valid_from") or _now_text(),
        valid_until=cohort.unit.get("valid_until"),
        awarded_date=cohort.unit.get("awarded_date"),
        issuer_id=issuer,
        profile=settings["profile"],
        policy=settings["policy"],
    )
