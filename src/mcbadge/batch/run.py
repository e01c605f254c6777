"""One batch run: :func:`issue_batch` plans, journals, dispatches rows to the workers and
writes the summary.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import secrets
import signal
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, Final, Literal

from mcbadge.batch import checkpoints
from mcbadge.batch.cohort import CREDENTIAL_FIELDS, Cohort, CohortRow, _file_name
from mcbadge.batch.files import _OUTPUT_RE, _TEMP_RE, _now_text, _sync_outputs
from mcbadge.batch.identity import signing_identity
from mcbadge.batch.journal import (
    _JOURNAL_VERSION,
    JOURNAL_NAME,
    SUMMARY_NAME,
    _derived_id,
    _Done,
    _Journal,
)
from mcbadge.batch.results import BatchProgress, BatchResult, RowError, _IssuedRows
from mcbadge.batch.state import StatusListState
from mcbadge.batch.store_status import StoreStatus, _StoreRows
from mcbadge.batch.workers import _Outcome, _Plan, _RowIssuer, _Task, _worker_init, _worker_run
from mcbadge.errors import (
    BatchError,
    InvalidInputError,
    McBadgeError,
)

if TYPE_CHECKING:
    from mcbadge.keys import KeyPair, Signer


_MAX_CHUNK: Final = 32
_IN_FLIGHT_PER_WORKER: Final = 2
_INDEX_BLOCK: Final = 256


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
        store_rows: _StoreRows | None = None,
    ) -> None:
        self.cohort = cohort
        self.journal = journal
        self.plan = plan
        self.status_state = status_state
        self.store_rows = store_rows
        self.status_urls: dict[int, str] = {}  # row -> its list, with a store
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
        """Make sure every journaled index is marked used in the state (a restored backup).

        With a store: read back the lists of the journaled indexes (the store must hold them).
        """
        if self.store_rows is not None:
            found = self.store_rows.resume(self.journal.indexes)
            self.status_urls.update((row, a.list_url) for row, a in found.items())
            return
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
        allocating = self.status_state is not None or self.store_rows is not None
        if allocating and any(self._needs_index(row) for row in rows):
            block = todo[start : start + max(len(rows), _INDEX_BLOCK)]
            self._reserve([row for row in block if self._needs_index(row)])
        return [
            _Task(
                row=row.number,
                fields=dict(row.fields),
                problem=dict(row.problem) if row.problem is not None else None,
                index=self.journal.indexes.get(row.number),
                file=_file_name(row, self.ext),
                status_url=self.status_urls.get(row.number),
            )
            for row in rows
        ]

    def _reserve(self, need: Sequence[CohortRow]) -> None:
        """Allocate indexes, save the state durably, then journal them (in that order)."""
        if self.store_rows is not None:
            found = self.store_rows.reserve([(row.number, self._row_id(row)) for row in need])
            checkpoints.reached("indexes_allocated")
            self.status_urls.update((row, a.list_url) for row, a in found.items())
            self.journal.commit(
                [
                    {"t": "index", "row": row.number, "index": found[row.number].index}
                    for row in need
                ]
            )
            checkpoints.reached("indexes_journaled")
        elif self.status_state is not None:
            with StatusListState.edit(self.status_state) as state:
                self._check_state(state)
                indexes = state.allocator.allocate_many(len(need))
                checkpoints.reached("indexes_allocated")
            checkpoints.reached("status_state_saved")
            self.journal.commit(
                [
                    {"t": "index", "row": row.number, "index": index}
                    for row, index in zip(need, indexes, strict=True)
                ]
            )
            checkpoints.reached("indexes_journaled")

    def _row_id(self, row: CohortRow) -> str:
        explicit = row.fields.get("id")
        if isinstance(explicit, str):
            return explicit
        assert self.journal.namespace is not None  # noqa: S101 - set with the header
        return _derived_id(self.journal.namespace, row.number)

    def _log_issued(self, outcomes: Sequence[_Outcome]) -> None:
        """With a store: put the signed rows in its issuance log (before they are journaled)."""
        if self.store_rows is None:
            return
        out = Path(self.plan.out_dir)
        for outcome in outcomes:
            if outcome.error is None:
                self.store_rows.record(
                    outcome.row,
                    outcome.id,
                    (out / outcome.file).read_bytes(),
                    self.plan.format,
                    self.plan.verification_method,
                )

    def record(self, outcomes: Sequence[_Outcome]) -> None:
        self._log_issued(outcomes)
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
        checkpoints.reached("outcomes_journaled")
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
        handled = sum(1 for n in self.rows if n in self.journal.done or n in self.errors)
        finished = handled >= len(self.cohort.rows)
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
            interrupted=self.stop.requested and not finished,
            stopped_after_last_row=self.stop.requested and finished,
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
    status_store: StoreStatus | None = None,
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
        status_store: Instead of ``status_state``: take the entries from the service's
            store (:class:`StoreStatus`), and log each signed credential there.
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
    if status_state is not None and status_store is not None:
        raise InvalidInputError(
            "give status_state (a JSON state file) or status_store (the service's store), not both",
            code="invalid_option",
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
    if status_store is not None:
        status_purpose = status_store.purpose
        settings["status_store"] = status_store.purpose
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
            checkpoints.reached("journal_started")
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
        store_rows = _StoreRows(status_store, plan.batch_id) if status_store is not None else None
        run = _Run(
            cohort,
            journal,
            plan,
            status_state=state_path,
            progress=progress,
            stop=stop,
            store_rows=store_rows,
        )
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
