"""The store's schema as a forward-only list of numbered migrations, one SQL text per dialect.

Each :class:`Migration` has a version (1, 2, 3 … without gaps), a name, and the statements for
SQLite and for PostgreSQL. The table ``mcbadge_schema`` records every version applied (with
its name and time); :func:`pending` says which are still to run. Migrations are never edited
once released: a change is a new migration at the end of :data:`MIGRATIONS`.

**Adding a table** (e.g. OID4VCI offers, or an IETF Token Status List):

1. Append ``Migration(version=<last + 1>, name="oid4vci offers", sqlite=(...), postgres=(...))``
   with ``CREATE TABLE`` statements for both dialects (keep the column types portable:
   ``TEXT``, ``INTEGER``/``BIGINT``, timestamps as RFC 3339 ``TEXT``).
2. Add the methods that use it to the port (:class:`mcbadge.store.port.Store`) and implement
   them once in :class:`mcbadge.store.sql.SqlStore` with ``?`` placeholders (rewritten for
   PostgreSQL) inside ``with self.transaction() as tx:``.
3. Test it with both adapters (``tests/unit/test_store.py`` runs every test on SQLite and, when
   the PostgreSQL binaries are there, on a real PostgreSQL).

The adapters apply pending migrations when a store is opened (``migrate=True``, the
default), under a lock (SQLite ``BEGIN IMMEDIATE``; PostgreSQL an advisory lock), so several
instances starting at once migrate exactly once. A database migrated by a newer mcbadge (a
version above the last one known here) is refused rather than guessed at.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

__all__ = ["MIGRATIONS", "SCHEMA_TABLE", "Dialect", "Migration", "latest_version", "pending"]

Dialect = Literal["sqlite", "postgres"]

SCHEMA_TABLE: Final = "mcbadge_schema"
"""The table that records the applied migrations."""


@dataclass(frozen=True)
class Migration:
    """One schema step.

    Attributes:
        version: Its number (the first is 1; each next one is one more).
        name: What it does, in a few words.
        sqlite: The statements for SQLite, run in order in one transaction.
        postgres: The statements for PostgreSQL, run in order in one transaction.
    """

    version: int
    name: str
    sqlite: tuple[str, ...]
    postgres: tuple[str, ...]

    def statements(self, dialect: Dialect) -> tuple[str, ...]:
        """The statements for ``dialect`` (``"sqlite"`` or ``"postgres"``).

        Example:
            >>> MIGRATIONS[0].statements("sqlite")[0].split("(")[0].strip()
            'CREATE TABLE status_lists'
        """
        return self.sqlite if dialect == "sqlite" else self.postgres


_V1_SQLITE: Final = (
    """CREATE TABLE status_lists (
        url TEXT PRIMARY KEY,
        purpose TEXT NOT NULL,
        seq INTEGER NOT NULL,
        length INTEGER NOT NULL,
        allocated INTEGER NOT NULL DEFAULT 0,
        version INTEGER NOT NULL DEFAULT 0,
        allocating INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        signed TEXT,
        signed_version INTEGER,
        UNIQUE (purpose, seq)
    )""",
    """CREATE TABLE status_entries (
        list_url TEXT NOT NULL REFERENCES status_lists (url),
        idx INTEGER NOT NULL,
        issuance_id TEXT,
        credential_id TEXT,
        status INTEGER NOT NULL DEFAULT 0,
        allocated_at TEXT NOT NULL,
        PRIMARY KEY (list_url, idx)
    )""",
    "CREATE INDEX status_entries_credential ON status_entries (credential_id)",
    "CREATE INDEX status_entries_issuance ON status_entries (issuance_id)",
    """CREATE TABLE issuance_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        issuance_id TEXT NOT NULL UNIQUE,
        credential_id TEXT,
        subject TEXT,
        issued_at TEXT NOT NULL,
        key_id TEXT NOT NULL,
        format TEXT NOT NULL,
        credential TEXT NOT NULL
    )""",
    "CREATE INDEX issuance_log_credential ON issuance_log (credential_id)",
    """CREATE TABLE status_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        list_url TEXT NOT NULL,
        idx INTEGER NOT NULL,
        credential_id TEXT,
        purpose TEXT NOT NULL,
        action TEXT NOT NULL,
        reason TEXT,
        actor TEXT,
        at TEXT NOT NULL
    )""",
    "CREATE INDEX status_events_entry ON status_events (list_url, idx)",
)

_V1_POSTGRES: Final = (
    """CREATE TABLE status_lists (
        url TEXT PRIMARY KEY,
        purpose TEXT NOT NULL,
        seq INTEGER NOT NULL,
        length INTEGER NOT NULL,
        allocated INTEGER NOT NULL DEFAULT 0,
        version BIGINT NOT NULL DEFAULT 0,
        allocating INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        signed TEXT,
        signed_version BIGINT,
        UNIQUE (purpose, seq)
    )""",
    """CREATE TABLE status_entries (
        list_url TEXT NOT NULL REFERENCES status_lists (url),
        idx INTEGER NOT NULL,
        issuance_id TEXT,
        credential_id TEXT,
        status INTEGER NOT NULL DEFAULT 0,
        allocated_at TEXT NOT NULL,
        PRIMARY KEY (list_url, idx)
    )""",
    "CREATE INDEX status_entries_credential ON status_entries (credential_id)",
    "CREATE INDEX status_entries_issuance ON status_entries (issuance_id)",
    """CREATE TABLE issuance_log (
        seq BIGSERIAL PRIMARY KEY,
        issuance_id TEXT NOT NULL UNIQUE,
        credential_id TEXT,
        subject TEXT,
        issued_at TEXT NOT NULL,
        key_id TEXT NOT NULL,
        format TEXT NOT NULL,
        credential TEXT NOT NULL
    )""",
    "CREATE INDEX issuance_log_credential ON issuance_log (credential_id)",
    """CREATE TABLE status_events (
        seq BIGSERIAL PRIMARY KEY,
        list_url TEXT NOT NULL,
        idx INTEGER NOT NULL,
        credential_id TEXT,
        purpose TEXT NOT NULL,
        action TEXT NOT NULL,
        reason TEXT,
        actor TEXT,
        at TEXT NOT NULL
    )""",
    "CREATE INDEX status_events_entry ON status_events (list_url, idx)",
)


def _v2(version_type: str) -> tuple[str, ...]:
    return (
        f"""CREATE TABLE token_status_lists (
        uri TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        bits INTEGER NOT NULL,
        allocated INTEGER NOT NULL DEFAULT 0,
        version {version_type} NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
    )""",
        """CREATE TABLE token_status_entries (
        uri TEXT NOT NULL REFERENCES token_status_lists (uri),
        idx INTEGER NOT NULL,
        status INTEGER NOT NULL DEFAULT 0,
        credential_id TEXT,
        allocated_at TEXT NOT NULL,
        updated_at TEXT,
        PRIMARY KEY (uri, idx)
    )""",
        "CREATE INDEX token_status_entries_credential ON token_status_entries (credential_id)",
    )


def _v3() -> tuple[str, ...]:
    # OpenID4VCI: offers (the pre-authorized code), access tokens, c_nonces and what each
    # offer has delivered. Secrets are kept as SHA-256 hex digests, never in clear; times are
    # RFC 3339 UTC text of one fixed width, so text comparison orders them.
    return (
        """CREATE TABLE oid4vci_offers (
        offer_id TEXT PRIMARY KEY,
        code_hash TEXT NOT NULL UNIQUE,
        tx_code_hash TEXT,
        credential TEXT NOT NULL,
        configurations TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        redeemed_at TEXT,
        failed_attempts INTEGER NOT NULL DEFAULT 0
    )""",
        """CREATE TABLE oid4vci_tokens (
        token_hash TEXT PRIMARY KEY,
        offer_id TEXT NOT NULL REFERENCES oid4vci_offers (offer_id),
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    )""",
        """CREATE TABLE oid4vci_nonces (
        nonce_hash TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT
    )""",
        "CREATE INDEX oid4vci_nonces_expiry ON oid4vci_nonces (expires_at)",
        """CREATE TABLE oid4vci_deliveries (
        offer_id TEXT NOT NULL REFERENCES oid4vci_offers (offer_id),
        configuration_id TEXT NOT NULL,
        delivered_at TEXT NOT NULL,
        issuance_id TEXT,
        PRIMARY KEY (offer_id, configuration_id)
    )""",
    )


MIGRATIONS: Final[tuple[Migration, ...]] = (
    Migration(
        version=1,
        name="status lists, status entries, issuance log, status events",
        sqlite=_V1_SQLITE,
        postgres=_V1_POSTGRES,
    ),
    Migration(
        version=2,
        name="IETF token status lists and their entries",
        sqlite=_v2("INTEGER"),
        postgres=_v2("BIGINT"),
    ),
    Migration(
        version=3,
        name="OpenID4VCI offers, access tokens, nonces and deliveries",
        sqlite=_v3(),
        postgres=_v3(),
    ),
)
"""Every migration, in order. Append only."""


def latest_version() -> int:
    """The schema version this mcbadge writes (the last migration's).

    Example:
        >>> latest_version() >= 1
        True
    """
    return MIGRATIONS[-1].version


def pending(current: int) -> tuple[Migration, ...]:
    """The migrations still to apply to a database at version ``current``.

    Example:
        >>> [m.version for m in pending(0)][:1]
        [1]
    """
    return tuple(m for m in MIGRATIONS if m.version > current)


def _check_sequence() -> None:
    for number, migration in enumerate(MIGRATIONS, start=1):
        if migration.version != number:  # pragma: no cover - a programming error
            raise AssertionError(f"migration {migration.name!r} should be version {number}")


_check_sequence()
