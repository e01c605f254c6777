"""What a batch run reports: issued rows, row errors, progress and the result summary."""

from __future__ import annotations

import json
import os
import uuid
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, overload

from mcbadge.batch.files import _write_atomic_stream
from mcbadge.batch.journal import SUMMARY_NAME, _derived_id

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
        stopped_after_last_row: ``True`` when a stop (Ctrl-C, SIGTERM) came after every row
            was handled: nothing was left to do, so the run is not ``interrupted``.
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
    stopped_after_last_row: bool = False

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
            "stopped_after_last_row": self.stopped_after_last_row,
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
