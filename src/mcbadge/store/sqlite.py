"""The SQLite adapter: one file, the standard library's :mod:`sqlite3`, zero set-up.

The database runs in WAL mode (readers never block the writer) with ``synchronous=FULL``
(a committed transaction survives a power cut, not only a killed process). Every write is a
``BEGIN IMMEDIATE`` transaction: it takes the database's write lock up front, so two
processes allocating at once queue (``busy_timeout`` 30 s) instead of failing half-way.
Several ``mcbadge serve`` processes on one host may share the file; instances on several
hosts need PostgreSQL (SQLite's locking does not work over network file systems).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from mcbadge.errors import StoreError
from mcbadge.store.pool import ConnectionPool
from mcbadge.store.port import Transaction
from mcbadge.store.sql import SqlStore

__all__ = ["DEFAULT_FILE_NAME", "SqliteStore"]

DEFAULT_FILE_NAME: Final = "mcbadge.sqlite3"
"""The store's file name inside a service's data folder."""

_BUSY_TIMEOUT_MS: Final = 30_000


class _SqliteTx(Transaction):
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cursor = self._conn.execute(sql, tuple(params))
        try:
            return [tuple(row) for row in cursor.fetchall()]
        finally:
            cursor.close()

    def run(self, sql: str, params: Sequence[Any] = ()) -> int:
        cursor = self._conn.execute(sql, tuple(params))
        try:
            return int(cursor.rowcount)
        finally:
            cursor.close()


class SqliteStore(SqlStore):
    """The store in one SQLite file.

    Args:
        path: The database file (created with its folder when missing).
        migrate: Apply pending schema migrations on opening (default).
        pool_size: Most connections open at once.

    Raises:
        StoreError: ``store_unavailable`` when the file cannot be opened or created,
            ``store_schema_newer`` when a newer mcbadge migrated it.

    Example:
        >>> store = SqliteStore(tmp_path / "mcbadge.sqlite3")  # doctest: +SKIP
        >>> store.schema_version()  # doctest: +SKIP
        1
    """

    dialect = "sqlite"

    def __init__(
        self, path: str | os.PathLike[str], *, migrate: bool = True, pool_size: int = 8
    ) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the folder of the store {self.path}: {exc.strerror}",
                code="store_unavailable",
            ) from exc
        self._pool: ConnectionPool[sqlite3.Connection] = ConnectionPool(
            self._connect, lambda conn: conn.close(), pool_size
        )
        if migrate:
            self.migrate()

    def _connect(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(
                self.path,
                timeout=_BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,  # transactions are explicit: BEGIN IMMEDIATE / COMMIT
                check_same_thread=False,  # the pool hands a connection to one thread at a time
            )
            conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as exc:
            raise StoreError(
                f"cannot open the store {self.path}: {exc}", code="store_unavailable"
            ) from exc
        return conn

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Transaction]:
        """One transaction (``BEGIN IMMEDIATE`` for writes, ``BEGIN`` for reads).

        Raises:
            StoreError: ``store_failed`` when SQLite reports an error (rolled back).
        """
        with self._pool.connection() as conn:
            try:
                conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            except sqlite3.Error as exc:
                raise StoreError(
                    f"the store {self.path} is not available: {exc}", code="store_unavailable"
                ) from exc
            try:
                yield _SqliteTx(conn)
            except sqlite3.Error as exc:
                conn.execute("ROLLBACK")
                raise StoreError(f"a store query failed: {exc}", code="store_failed") from exc
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            try:
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                raise StoreError(f"the store could not commit: {exc}", code="store_failed") from exc

    def _migration_lock(self, tx: Transaction) -> None:
        """``BEGIN IMMEDIATE`` already holds the write lock."""

    def close(self) -> None:
        """Close every connection.

        Example:
            >>> store.close()  # doctest: +SKIP
        """
        self._pool.close()

    def __repr__(self) -> str:
        return f"SqliteStore({str(self.path)!r})"
