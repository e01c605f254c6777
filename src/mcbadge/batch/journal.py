"""The batch journal (``mcbadge-batch.jsonl``): append-only, fsynced, written by the parent.

It fixes each row's credential id, status index and file before signing, so a run stopped
in any way is resumed by running it again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import uuid
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final, NamedTuple

from mcbadge._internal.files import fsync_directory as _fsync_dir
from mcbadge.errors import (
    BatchError,
)

if sys.platform != "win32":
    import fcntl

from mcbadge.batch.files import _OUTPUT_RE

JOURNAL_NAME: Final = "mcbadge-batch.jsonl"
"""The journal's file name inside the output folder."""

SUMMARY_NAME: Final = "mcbadge-summary.json"
"""The summary written into the output folder at the end of every run."""

_JOURNAL_VERSION: Final = 1
_READ_SIZE = 1 << 20  # journal bytes read at a time


# --------------------------------------------------------------------------- journal


class _Done(NamedTuple):
    """What the journal keeps of a row it records as issued (compact: one tuple per row)."""

    id: str | None  # None: the id derived from the batch id and row number (not stored)
    file: str
    status_index: int | None


def _derived_id(namespace: uuid.UUID, row: int) -> str:
    """The credential id of a row without an explicit ``id``: fixed by the batch and row.

    ``urn:uuid:`` + ``uuid.uuid5(namespace, f"row-{row}")`` (RFC 9562 §5.5), written out:
    the coordinator and every worker compute it once or twice per row, and building
    :class:`uuid.UUID` objects cost more than the SHA-1 (``test_batch`` holds it equal).
    """
    raw = bytearray(hashlib.sha1(namespace.bytes + b"row-%d" % row).digest()[:16])  # noqa: S324 - RFC 9562 name-based UUID
    raw[6] = (raw[6] & 0x0F) | 0x50  # version 5
    raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 9562 variant
    h = raw.hex()
    return f"urn:uuid:{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


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
