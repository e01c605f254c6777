"""The store: what must outlive a process (status lists, the issuance log, status changes).

One port (:class:`~mcbadge.store.port.Store`, with its records), implemented once in shared SQL
(:class:`~mcbadge.store.sql.SqlStore`, over :class:`~mcbadge.store.pool.ConnectionPool`), with
two adapters:

* :class:`~mcbadge.store.sqlite.SqliteStore` -- the default: one file in the service's data
  folder (``mcbadge.sqlite3``), the standard library's ``sqlite3``, WAL, zero set-up.
* :class:`~mcbadge.store.postgres.PostgresStore` -- ``postgresql://…``, for several
  ``mcbadge serve`` instances on one database (``pip install 'mcbadge[postgres]'``).

Both apply the versioned schema migrations of :mod:`mcbadge.store.migrations` when opened.
This package may import the lower layers (errors, status) but never verify, service or cli.

Example:
    >>> from mcbadge.store import open_store
    >>> store = open_store(data_dir="/var/lib/mcbadge")  # doctest: +SKIP
    >>> store = open_store("postgresql://mcbadge@db/mcbadge")  # doctest: +SKIP
"""

from __future__ import annotations

import os
from pathlib import Path

from mcbadge.errors import StoreError
from mcbadge.store.port import (
    Allocation,
    IssuanceRecord,
    StatusChange,
    StatusListInfo,
    Store,
    subject_reference,
)

__all__ = [
    "Allocation",
    "IssuanceRecord",
    "StatusChange",
    "StatusListInfo",
    "Store",
    "open_store",
    "subject_reference",
]


def open_store(
    database: str | None = None,
    *,
    data_dir: str | os.PathLike[str] | None = None,
    migrate: bool = True,
) -> Store:
    """Open (and migrate) the store named by ``database``, or the SQLite file in ``data_dir``.

    Args:
        database: ``postgresql://…`` (or ``postgres://…``) for PostgreSQL; ``sqlite:///PATH``
            or a plain file path for SQLite. ``None``: the SQLite file in ``data_dir``.
        data_dir: The service's data folder; the SQLite store is ``DIR/mcbadge.sqlite3``.
        migrate: Apply pending migrations (default).

    Returns:
        The store; close it when done (it is also a context manager).

    Raises:
        StoreError: ``store_url_invalid`` when neither is given or the URL is not understood;
            the adapters' errors when it cannot be opened.

    Example:
        >>> with open_store(data_dir=tmp_path) as store:  # doctest: +SKIP
        ...     store.schema_version()
        1
    """
    if database is None:
        if data_dir is None:
            raise StoreError(
                "give a database URL or a data folder for the store", code="store_url_invalid"
            )
        from mcbadge.store.sqlite import DEFAULT_FILE_NAME, SqliteStore

        return SqliteStore(Path(data_dir) / DEFAULT_FILE_NAME, migrate=migrate)
    if not isinstance(database, str) or not database:
        raise StoreError("the database URL must be a non-empty string", code="store_url_invalid")
    scheme = database.split(":", 1)[0].lower() if "://" in database else ""
    if scheme in ("postgresql", "postgres"):
        from mcbadge.store.postgres import PostgresStore

        return PostgresStore(database, migrate=migrate)
    if scheme == "sqlite":
        from mcbadge.store.sqlite import SqliteStore

        path = database.split("://", 1)[1]
        if not path.startswith("/"):
            raise StoreError(
                "a sqlite URL needs an absolute path: sqlite:///var/lib/mcbadge/store.sqlite3",
                code="store_url_invalid",
            )
        return SqliteStore(path, migrate=migrate)
    if scheme:
        raise StoreError(
            f"unsupported database URL scheme {scheme!r}: use postgresql://… or sqlite:///…",
            code="store_url_invalid",
        )
    from mcbadge.store.sqlite import SqliteStore

    return SqliteStore(database, migrate=migrate)
