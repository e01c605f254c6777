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

The package, by idea (lower never imports higher): :mod:`~mcbadge.batch.checkpoints`,
:mod:`~mcbadge.batch.files`, :mod:`~mcbadge.batch.cohort` (reading cohorts),
:mod:`~mcbadge.batch.state` (status index allocation), :mod:`~mcbadge.batch.store_status`
(the same from the service's store), :mod:`~mcbadge.batch.identity`,
:mod:`~mcbadge.batch.journal`, :mod:`~mcbadge.batch.results`, :mod:`~mcbadge.batch.workers`
(signing rows, in worker processes) and :mod:`~mcbadge.batch.run` (:func:`issue_batch`).
It may import the library below it (model, microcredential, keys, did, proofs, status,
store, issue); never verify, service or cli.

Example:
    >>> from mcbadge.keys import KeyPair
    >>> cohort = load_cohort("examples/cohort.csv")  # doctest: +SKIP
    >>> result = issue_batch(cohort, KeyPair.generate(), out_dir="out")  # doctest: +SKIP
    >>> len(result.issued), result.errors  # doctest: +SKIP
    (3, ())
"""

from __future__ import annotations

from mcbadge._internal.files import write_atomic
from mcbadge.batch.cohort import COHORT_COLUMNS, Cohort, CohortRow, load_cohort, load_unit
from mcbadge.batch.files import read_document
from mcbadge.batch.identity import signing_identity
from mcbadge.batch.journal import JOURNAL_NAME, SUMMARY_NAME
from mcbadge.batch.results import BatchProgress, BatchResult, IssuedRow, RowError
from mcbadge.batch.run import issue_batch
from mcbadge.batch.state import StatusListState
from mcbadge.batch.store_status import StoreStatus
from mcbadge.batch.unsigned import RowCredential, cohort_credentials

__all__ = [
    "COHORT_COLUMNS",
    "JOURNAL_NAME",
    "SUMMARY_NAME",
    "BatchProgress",
    "BatchResult",
    "Cohort",
    "CohortRow",
    "IssuedRow",
    "RowCredential",
    "RowError",
    "StatusListState",
    "StoreStatus",
    "cohort_credentials",
    "issue_batch",
    "load_cohort",
    "load_unit",
    "read_document",
    "signing_identity",
    "write_atomic",
]
