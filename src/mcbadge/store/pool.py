"""A small blocking connection pool shared by the SQL adapters (no I/O of its own)."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

from mcbadge.errors import StoreError

__all__ = ["ConnectionPool"]


C = TypeVar("C")


class ConnectionPool(Generic[C]):
    """A small blocking pool: at most ``size`` connections, made on demand, reused LIFO."""

    def __init__(self, factory: Callable[[], C], close: Callable[[C], None], size: int) -> None:
        self._factory = factory
        self._close = close
        self._idle: queue.LifoQueue[C] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(size)
        self._all: list[C] = []
        self._lock = threading.Lock()
        self._closed = False

    @contextmanager
    def connection(self) -> Iterator[C]:
        """Borrow a connection; a connection whose use raised is closed, not returned."""
        if self._closed:
            raise StoreError("the store is closed", code="store_unavailable")
        self._slots.acquire()
        try:
            try:
                conn = self._idle.get_nowait()
            except queue.Empty:
                conn = self._factory()
                with self._lock:
                    self._all.append(conn)
            try:
                yield conn
            except BaseException:
                self._discard(conn)
                raise
            else:
                self._idle.put(conn)
        finally:
            self._slots.release()

    def _discard(self, conn: C) -> None:
        with self._lock:
            if conn in self._all:
                self._all.remove(conn)
        try:
            self._close(conn)
        except Exception:  # noqa: S110 - a broken connection may fail to close; it is gone
            pass

    def close(self) -> None:
        """Close every connection (borrowed ones too)."""
        self._closed = True
        with self._lock:
            conns, self._all = self._all, []
        for conn in conns:
            try:
                self._close(conn)
            except Exception:  # noqa: S110 - closing at shutdown; nothing more to do
                pass
