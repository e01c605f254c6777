"""An ordered, bounded map over worker processes (``verify_many``, ``mcbadge verify FOLDER``).

:func:`ordered_map` applies one function to many items in worker processes and yields the
results in the order of the items, holding at most ``workers × window`` chunks in flight, so
memory stays flat however many items there are. Where the platform can ``fork`` (Linux,
macOS), the workers inherit the function — a closure, a clock, a status fetcher — and only
the items and results cross the process boundary; elsewhere the function must be picklable.
With one worker, or too few items to be worth a process, it runs in the calling process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import Any, TypeVar

__all__ = ["default_workers", "ordered_map"]

T = TypeVar("T")
R = TypeVar("R")

_FUNCTION: Callable[[Any], Any] | None = None


def default_workers() -> int:
    """The CPUs this process may use (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


def _init(function: Callable[[Any], Any]) -> None:  # pragma: no cover - runs in workers
    global _FUNCTION
    _FUNCTION = function


def _run(chunk: Sequence[Any]) -> list[Any]:  # pragma: no cover - runs in workers
    if _FUNCTION is None:
        raise RuntimeError("worker not initialised")
    return [_FUNCTION(item) for item in chunk]


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def ordered_map(
    function: Callable[[T], R],
    items: Iterable[T],
    *,
    workers: int,
    chunk_size: int = 32,
    window: int = 4,
) -> Iterator[R]:
    """``function(item)`` for every item, in order, computed by ``workers`` processes.

    ``function`` should not raise (return the error as a value): an exception ends the
    iteration. Items are read lazily, ``chunk_size`` at a time.

    Args:
        function: Applied to each item (in a worker; inherited where ``fork`` exists).
        items: The inputs (picklable).
        workers: How many processes; 1 runs everything in this process.
        chunk_size: Items per task sent to a worker.
        window: Tasks in flight per worker (bounds memory).

    Yields:
        One result per item, in the order of ``items``.

    Example:
        >>> list(ordered_map(len, ["a", "bb"], workers=1))
        [1, 2]
    """
    if workers <= 1:
        for item in items:
            yield function(item)
        return
    chunks = _chunks(items, max(1, chunk_size))
    first = next(chunks, None)
    if first is None:
        return
    second = next(chunks, None)
    if second is None:  # one chunk: not worth a process
        for item in first:
            yield function(item)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_init, initargs=(function,)
    )
    pending: deque[Future[list[Any]]] = deque()
    upcoming: Iterator[list[T]] = iter([first, second])
    finished = False
    try:
        for source in (upcoming, chunks):
            for chunk in source:
                pending.append(pool.submit(_run, chunk))
                while len(pending) >= workers * max(1, window):
                    yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
        finished = True
    finally:
        pool.shutdown(wait=finished, cancel_futures=True)
