"""Named crash points of a batch run: no-ops that the crash tests replace.

Call sites use ``checkpoints.reached(name)`` (through the module), so a test patches
``mcbadge.batch.checkpoints.reached`` and every point sees it.
"""

from __future__ import annotations

# --------------------------------------------------------------------------- crash points


def reached(name: str) -> None:
    """A named point where a crash is interesting; a no-op that tests replace to crash there.

    Points, in order: ``journal_started``, ``indexes_allocated`` (allocated in memory, state
    not saved; with a store: committed in the store, not journaled), ``status_state_saved``
    (saved, not journaled), ``indexes_journaled``, ``output_written`` (a row's file is in
    place, its outcome not journaled), ``outcomes_journaled``.
    """
