"""The PostgreSQL adapter, for several ``mcbadge serve`` instances on one database.

It needs the optional extra ``pip install 'mcbadge[postgres]'`` (psycopg 3). Connections come
from a small pool (``pool_size`` per process) and run in autocommit mode with explicit
transactions at PostgreSQL's default ``READ COMMITTED`` isolation. Allocation serialises on
the current list's row (``UPDATE … RETURNING`` holds its lock until commit); status changes
lock the entries they change (``SELECT … FOR UPDATE``); migrations take a transaction-level
advisory lock so that instances starting together migrate once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Final

from mcbadge.errors import StoreError
from mcbadge.store.pool import ConnectionPool
from mcbadge.store.port import Transaction
from mcbadge.store.sql import SqlStore

try:
    import psycopg
except ImportError as _exc:  # pragma: no cover - exercised only without the extra
    _IMPORT_ERROR: ImportError | None = _exc
else:
    _IMPORT_ERROR = None

__all__ = ["PostgresStore"]

_MIGRATION_LOCK_KEY: Final = 0x6D6362616467  # "mcbadg"
_PLACEHOLDER: Final = re.compile(r"\?")
_CONNECT_TIMEOUT: Final = 10


def _redact(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(//[^:/@]+):[^@/]*@", r"\1:***@", url)


class _PgTx(Transaction):
    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        self._cursor.execute(_PLACEHOLDER.sub("%s", sql), tuple(params))
        if self._cursor.description is None:
            return []
        return [tuple(row) for row in self._cursor.fetchall()]

    def run(self, sql: str, params: Sequence[Any] = ()) -> int:
        self._cursor.execute(_PLACEHOLDER.sub("%s", sql), tuple(params))
        return int(self._cursor.rowcount)


class PostgresStore(SqlStore):
    """The store in a PostgreSQL database.

    Args:
        url: A libpq connection URL, ``postgresql://user:password@host:port/dbname``
            (``?host=/run/postgresql`` for a unix socket).
        migrate: Apply pending schema migrations on opening (default).
        pool_size: Most connections this process keeps open.

    Raises:
        StoreError: ``store_extra_missing`` without psycopg, ``store_unavailable`` when the
            database cannot be reached, ``store_schema_newer``.

    Example:
        >>> store = PostgresStore("postgresql://mcbadge@db.hs.nl/mcbadge")  # doctest: +SKIP
    """

    dialect = "postgres"

    def __init__(self, url: str, *, migrate: bool = True, pool_size: int = 8) -> None:
        if _IMPORT_ERROR is not None:  # pragma: no cover - exercised only without the extra
            raise StoreError(
                "a PostgreSQL store needs psycopg: pip install 'mcbadge[postgres]' "
                f"({_IMPORT_ERROR})",
                code="store_extra_missing",
            )
        self.url = url
        self._pool: ConnectionPool[Any] = ConnectionPool(
            self._connect, lambda conn: conn.close(), pool_size
        )
        if migrate:
            self.migrate()

    def _connect(self) -> Any:
        try:
            return psycopg.connect(self.url, autocommit=True, connect_timeout=_CONNECT_TIMEOUT)
        except psycopg.Error as exc:
            raise StoreError(
                f"cannot connect to the store {_redact(self.url)}: {exc}",
                code="store_unavailable",
            ) from exc

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Transaction]:
        """One transaction (``write`` makes no difference: row locks are taken as needed).

        Raises:
            StoreError: ``store_failed`` when a query fails (rolled back),
                ``store_unavailable`` when the connection is lost.
        """
        with self._pool.connection() as conn:
            try:
                with conn.transaction(), conn.cursor() as cursor:
                    yield _PgTx(cursor)
            except psycopg.OperationalError as exc:
                raise StoreError(
                    f"the store {_redact(self.url)} is not available: {exc}",
                    code="store_unavailable",
                ) from exc
            except psycopg.Error as exc:
                raise StoreError(f"a store query failed: {exc}", code="store_failed") from exc

    def _migration_lock(self, tx: Transaction) -> None:
        tx.rows("SELECT pg_advisory_xact_lock(?)", (_MIGRATION_LOCK_KEY,))

    def close(self) -> None:
        """Close every connection.

        Example:
            >>> store.close()  # doctest: +SKIP
        """
        self._pool.close()

    def __repr__(self) -> str:
        return f"PostgresStore({_redact(self.url)!r})"
