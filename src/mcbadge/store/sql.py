"""The shared SQL behind the store's port (:class:`mcbadge.store.port.Store`).

:class:`SqlStore` implements every
method once, in SQL both SQLite and PostgreSQL understand (``?`` placeholders; the PostgreSQL
adapter rewrites them), on top of three things an adapter provides: a pool of connections,
``transaction(write=…)`` and the dialect name. The adapters are
:class:`mcbadge.store.sqlite.SqliteStore` and :class:`mcbadge.store.postgres.PostgresStore`.

Allocation across processes: every allocation first reserves a slot on the current list of
its purpose with one atomic ``UPDATE status_lists SET allocated = allocated + 1 WHERE … AND
allocated < length`` (on PostgreSQL this takes the list's row lock until commit; on SQLite the
transaction is ``BEGIN IMMEDIATE``), then inserts a uniformly random free index with
``INSERT … ON CONFLICT DO NOTHING`` (the primary key ``(list_url, idx)`` makes reuse
impossible even if the reasoning above were wrong). A full list stops allocating and the next
one (``seq + 1``) is created, by whichever instance gets there first.
"""

from __future__ import annotations

import abc
import secrets
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any, Final

from mcbadge.errors import StatusListError, StoreError
from mcbadge.store.migrations import SCHEMA_TABLE, latest_version, pending
from mcbadge.store.oid4vci import SqlOfferStore
from mcbadge.store.port import (
    Allocation,
    IssuanceRecord,
    StatusChange,
    StatusListInfo,
    Store,
    Transaction,
)

__all__ = ["SqlStore"]

_RANDOM_TRIES: Final = 64
_PURPOSES: Final = ("revocation", "suspension")


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _info(row: Sequence[Any]) -> StatusListInfo:
    url, purpose, seq, length, allocated, version, allocating, created_at = row
    return StatusListInfo(
        url=url,
        purpose=purpose,
        seq=int(seq),
        length=int(length),
        allocated=int(allocated),
        version=int(version),
        allocating=bool(allocating),
        created_at=created_at,
    )


_LIST_COLUMNS: Final = "url, purpose, seq, length, allocated, version, allocating, created_at"


class SqlStore(SqlOfferStore, Store):
    """Every port method in shared SQL; adapters supply connections and transactions."""

    @abc.abstractmethod
    def transaction(self, *, write: bool = True) -> AbstractContextManager[Transaction]:
        """A context manager yielding a :class:`Transaction` (``write`` locks for writing)."""

    @abc.abstractmethod
    def _migration_lock(self, tx: Transaction) -> None:
        """Serialise migrations between processes (inside the migration transaction)."""

    # ---- schema

    def _schema_table_exists(self, tx: Transaction) -> bool:
        if self.dialect == "sqlite":
            sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
        else:
            sql = "SELECT 1 FROM information_schema.tables WHERE table_name = ?"
        return bool(tx.rows(sql, (SCHEMA_TABLE,)))

    def schema_version(self) -> int:
        with self.transaction(write=False) as tx:
            if not self._schema_table_exists(tx):
                return 0
            rows = tx.rows(f"SELECT MAX(version) FROM {SCHEMA_TABLE}")  # noqa: S608
        return int(rows[0][0] or 0)

    def migrate(self) -> int:
        with self.transaction() as tx:
            self._migration_lock(tx)
            tx.run(
                f"CREATE TABLE IF NOT EXISTS {SCHEMA_TABLE} (version INTEGER PRIMARY KEY, "
                "name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            rows = tx.rows(f"SELECT MAX(version) FROM {SCHEMA_TABLE}")  # noqa: S608
            current = int(rows[0][0] or 0)
            if current > latest_version():
                raise StoreError(
                    f"the database is at schema version {current}, newer than this mcbadge "
                    f"knows ({latest_version()}); upgrade mcbadge",
                    code="store_schema_newer",
                    version=current,
                )
            for migration in pending(current):
                for statement in migration.statements(self.dialect):
                    tx.run(statement)
                tx.run(
                    f"INSERT INTO {SCHEMA_TABLE} (version, name, applied_at) "  # noqa: S608
                    "VALUES (?, ?, ?)",
                    (migration.version, migration.name, _now()),
                )
            return max(current, latest_version())

    # ---- allocation

    def allocate(
        self,
        purposes: Sequence[str],
        *,
        url_for: Callable[[str, int], str],
        length: int,
        issuance_id: str,
        credential_id: str | None,
    ) -> list[Allocation]:
        for purpose in purposes:
            if purpose not in _PURPOSES:
                raise StoreError(
                    f"unknown status purpose {purpose!r}; use revocation or suspension",
                    code="store_failed",
                )
        now = _now()
        # one order everywhere, so that two transactions never wait on each other's lists
        ordered = sorted(set(purposes), key=_PURPOSES.index)
        with self.transaction() as tx:
            return [
                self._allocate_one(tx, purpose, url_for, length, issuance_id, credential_id, now)
                for purpose in ordered
            ]

    def _allocate_one(
        self,
        tx: Transaction,
        purpose: str,
        url_for: Callable[[str, int], str],
        length: int,
        issuance_id: str,
        credential_id: str | None,
        now: str,
    ) -> Allocation:
        for _ in range(1000):
            current = tx.rows(
                "SELECT url FROM status_lists WHERE purpose = ? AND allocating = 1 "
                "ORDER BY seq LIMIT 1",
                (purpose,),
            )
            if not current:
                self._create_list(tx, purpose, url_for, length, now)
                continue
            url = current[0][0]
            reserved = tx.rows(
                "UPDATE status_lists SET allocated = allocated + 1 "
                "WHERE url = ? AND allocating = 1 AND allocated < length "
                "RETURNING allocated, length",
                (url,),
            )
            if not reserved:
                # full (or closed by another instance meanwhile): stop allocating from it
                tx.run(
                    "UPDATE status_lists SET allocating = 0 WHERE url = ? AND allocated >= length",
                    (url,),
                )
                continue
            size = int(reserved[0][1])
            index = self._insert_random(tx, url, size, issuance_id, credential_id, now)
            return Allocation(list_url=url, purpose=purpose, index=index)
        raise StoreError(  # pragma: no cover - needs 1000 lists filling up at once
            f"could not allocate a {purpose} index", code="store_failed"
        )

    def _create_list(
        self,
        tx: Transaction,
        purpose: str,
        url_for: Callable[[str, int], str],
        length: int,
        now: str,
    ) -> None:
        rows = tx.rows("SELECT MAX(seq) FROM status_lists WHERE purpose = ?", (purpose,))
        seq = int(rows[0][0] or 0) + 1
        # only while no list of this purpose allocates (another instance may have created one
        # since the caller looked); a concurrent insert of the same list is a no-op conflict
        tx.run(
            f"INSERT INTO status_lists ({_LIST_COLUMNS}) "  # noqa: S608 - constant columns
            "SELECT ?, ?, ?, ?, 0, 0, 1, ? WHERE NOT EXISTS (SELECT 1 FROM status_lists "
            "WHERE purpose = ? AND allocating = 1) ON CONFLICT DO NOTHING",
            (url_for(purpose, seq), purpose, seq, length, now, purpose),
        )

    def _insert_random(
        self,
        tx: Transaction,
        url: str,
        size: int,
        issuance_id: str,
        credential_id: str | None,
        now: str,
    ) -> int:
        sql = (
            "INSERT INTO status_entries (list_url, idx, issuance_id, credential_id, status, "
            "allocated_at) VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT DO NOTHING RETURNING idx"
        )
        for _ in range(_RANDOM_TRIES):
            index = secrets.randbelow(size)
            if tx.rows(sql, (url, index, issuance_id, credential_id, now)):
                return index
        # a nearly full list: draw from the free indexes themselves
        taken = tx.rows("SELECT idx FROM status_entries WHERE list_url = ?", (url,))
        used = {int(r[0]) for r in taken}
        free = [i for i in range(size) if i not in used]
        while free:
            index = free.pop(secrets.randbelow(len(free)))
            if tx.rows(sql, (url, index, issuance_id, credential_id, now)):
                return index
        raise StoreError(  # pragma: no cover - the reservation guarantees a free index
            f"the status list {url} has no free index although a slot was reserved",
            code="store_failed",
        )

    # ---- the issuance log

    def record_issuance(self, record: IssuanceRecord, *, replace: bool = False) -> None:
        with self.transaction() as tx:
            if replace:
                tx.run("DELETE FROM issuance_log WHERE issuance_id = ?", (record.issuance_id,))
            tx.run(
                "INSERT INTO issuance_log (issuance_id, credential_id, subject, issued_at, "
                "key_id, format, credential) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    record.issuance_id,
                    record.credential_id,
                    record.subject,
                    record.issued_at,
                    record.key_id,
                    record.format,
                    record.credential,
                ),
            )

    def issuance_allocations(self, issuance_ids: Sequence[str]) -> dict[str, list[Allocation]]:
        out: dict[str, list[Allocation]] = {}
        ids = list(issuance_ids)
        with self.transaction(write=False) as tx:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ", ".join("?" for _ in chunk)  # placeholders only, never values
                sql = (
                    "SELECT e.issuance_id, e.list_url, l.purpose, e.idx FROM status_entries e "
                    "JOIN status_lists l ON l.url = e.list_url WHERE e.issuance_id IN "
                )
                rows = tx.rows(f"{sql}({marks}) ORDER BY l.purpose", chunk)
                for issuance, url, purpose, index in rows:
                    out.setdefault(issuance, []).append(
                        Allocation(list_url=url, purpose=purpose, index=int(index))
                    )
        return out

    def issuances(self, credential_id: str) -> list[IssuanceRecord]:
        with self.transaction(write=False) as tx:
            rows = tx.rows(
                "SELECT issuance_id, credential_id, subject, issued_at, key_id, format, "
                "credential FROM issuance_log WHERE credential_id = ? ORDER BY seq DESC",
                (credential_id,),
            )
            out = []
            for row in rows:
                entries = tx.rows(
                    "SELECT e.list_url, l.purpose, e.idx FROM status_entries e "
                    "JOIN status_lists l ON l.url = e.list_url WHERE e.issuance_id = ? "
                    "ORDER BY l.purpose",
                    (row[0],),
                )
                out.append(
                    IssuanceRecord(
                        issuance_id=row[0],
                        credential_id=row[1],
                        subject=row[2],
                        issued_at=row[3],
                        key_id=row[4],
                        format=row[5],
                        credential=row[6],
                        statuses=tuple(
                            Allocation(list_url=u, purpose=p, index=int(i)) for u, p, i in entries
                        ),
                    )
                )
        return out

    def issuance_count(self) -> int:
        with self.transaction(write=False) as tx:
            return int(tx.rows("SELECT COUNT(*) FROM issuance_log")[0][0])

    # ---- status changes

    def set_status(
        self,
        *,
        purpose: str,
        value: bool,
        credential_id: str | None = None,
        list_url: str | None = None,
        index: int | None = None,
        reason: str | None = None,
        actor: str | None = None,
    ) -> list[StatusChange]:
        if purpose not in _PURPOSES:
            raise StoreError(
                f"statusPurpose {purpose!r} cannot be changed here; use revocation or suspension",
                code="status_purpose_unsupported",
                purpose=purpose,
            )
        if purpose == "revocation" and not value:
            raise StoreError(
                "a revocation cannot be undone (Bitstring Status List: revocation is not "
                "reversible); suspend credentials you may want to reinstate",
                code="status_not_reversible",
            )
        action = ("revoke" if purpose == "revocation" else "suspend") if value else "reinstate"
        now = _now()
        lock = " FOR UPDATE OF e" if self.dialect == "postgres" else ""
        select = (
            "SELECT e.list_url, e.idx, e.status, e.credential_id FROM status_entries e "
            "JOIN status_lists l ON l.url = e.list_url WHERE l.purpose = ? AND "
        )
        with self.transaction() as tx:
            if credential_id is not None:
                rows = tx.rows(
                    select + "e.credential_id = ? ORDER BY e.list_url, e.idx" + lock,
                    (purpose, credential_id),
                )
            elif list_url is not None and index is not None:
                rows = tx.rows(
                    select + "e.list_url = ? AND e.idx = ?" + lock, (purpose, list_url, index)
                )
            else:
                raise StoreError(
                    "set_status needs a credential id, or a list URL and an index",
                    code="store_failed",
                )
            if not rows:
                what = (
                    f"credential {credential_id!r}"
                    if credential_id is not None
                    else f"index {index} of {list_url}"
                )
                raise StoreError(
                    f"{what} has no {purpose} status entry in this store",
                    code="status_entry_not_found",
                )
            changes = []
            bit = 1 if value else 0
            for url, idx, status, cred in rows:
                changed = int(status) != bit
                if changed:
                    tx.run(
                        "UPDATE status_entries SET status = ? WHERE list_url = ? AND idx = ?",
                        (bit, url, idx),
                    )
                    tx.run("UPDATE status_lists SET version = version + 1 WHERE url = ?", (url,))
                    tx.run(
                        "INSERT INTO status_events (list_url, idx, credential_id, purpose, "
                        "action, reason, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (url, idx, cred, purpose, action, reason, actor, now),
                    )
                changes.append(
                    StatusChange(
                        list_url=url,
                        purpose=purpose,
                        index=int(idx),
                        credential_id=cred,
                        action=action,
                        changed=changed,
                        reason=reason,
                        at=now,
                    )
                )
            return changes

    def entry_statuses(self, credential_id: str) -> list[tuple[Allocation, int]]:
        with self.transaction(write=False) as tx:
            rows = tx.rows(
                "SELECT e.list_url, l.purpose, e.idx, e.status FROM status_entries e "
                "JOIN status_lists l ON l.url = e.list_url WHERE e.credential_id = ? "
                "ORDER BY l.purpose, e.list_url, e.idx",
                (credential_id,),
            )
        return [(Allocation(list_url=u, purpose=p, index=int(i)), int(s)) for u, p, i, s in rows]

    # ---- lists

    def status_list(self, url: str) -> StatusListInfo | None:
        with self.transaction(write=False) as tx:
            rows = tx.rows(
                f"SELECT {_LIST_COLUMNS} FROM status_lists WHERE url = ?",  # noqa: S608
                (url,),
            )
        return _info(rows[0]) if rows else None

    def status_lists(self) -> list[StatusListInfo]:
        with self.transaction(write=False) as tx:
            rows = tx.rows(
                f"SELECT {_LIST_COLUMNS} FROM status_lists ORDER BY purpose, seq"  # noqa: S608
            )
        return [_info(row) for row in rows]

    def set_indexes(self, url: str) -> list[int]:
        with self.transaction(write=False) as tx:
            rows = tx.rows(
                "SELECT idx FROM status_entries WHERE list_url = ? AND status <> 0 ORDER BY idx",
                (url,),
            )
        return [int(r[0]) for r in rows]

    def allocated_indexes(self, url: str) -> list[int]:
        with self.transaction(write=False) as tx:
            rows = tx.rows("SELECT idx FROM status_entries WHERE list_url = ? ORDER BY idx", (url,))
        return [int(r[0]) for r in rows]

    def signed_list(self, url: str) -> tuple[int, str | None, int | None]:
        with self.transaction(write=False) as tx:
            rows = tx.rows(
                "SELECT version, signed, signed_version FROM status_lists WHERE url = ?", (url,)
            )
        if not rows:
            raise StoreError(f"no status list {url} in this store", code="status_list_not_found")
        version, signed, signed_version = rows[0]
        return int(version), signed, None if signed_version is None else int(signed_version)

    def save_signed_list(self, url: str, version: int, document: str) -> bool:
        with self.transaction() as tx:
            return (
                tx.run(
                    "UPDATE status_lists SET signed = ?, signed_version = ? "
                    "WHERE url = ? AND version = ?",
                    (document, version, url, version),
                )
                > 0
            )

    def import_list(
        self,
        *,
        url: str,
        purpose: str,
        length: int,
        allocated: Sequence[int],
        set_indexes: Sequence[int],
    ) -> StatusListInfo:
        now = _now()
        chosen = set(set_indexes)
        with self.transaction() as tx:
            if tx.rows("SELECT 1 FROM status_lists WHERE url = ?", (url,)):
                raise StoreError(
                    f"the store already has a status list {url}", code="status_list_exists"
                )
            rows = tx.rows("SELECT MIN(seq) FROM status_lists WHERE purpose = ?", (purpose,))
            seq = min(int(rows[0][0] or 1), 1) - 1  # imported lists number 0, -1, …
            tx.run(
                f"INSERT INTO status_lists ({_LIST_COLUMNS}) "  # noqa: S608 - constant columns
                "VALUES (?, ?, ?, ?, ?, ?, 0, ?)",
                (url, purpose, seq, length, len(allocated), 1 if chosen else 0, now),
            )
            for index in allocated:
                tx.run(
                    "INSERT INTO status_entries (list_url, idx, issuance_id, credential_id, "
                    "status, allocated_at) VALUES (?, ?, NULL, NULL, ?, ?)",
                    (url, index, 1 if index in chosen else 0, now),
                )
            info = tx.rows(
                f"SELECT {_LIST_COLUMNS} FROM status_lists WHERE url = ?",  # noqa: S608
                (url,),
            )
        return _info(info[0])

    # ---- IETF Token Status Lists

    def token_status_allocate(
        self, uri: str, *, size: int, bits: int, credential_id: str | None = None
    ) -> int:
        now = _now()
        with self.transaction() as tx:
            tx.run(
                "INSERT INTO token_status_lists (uri, size, bits, allocated, version, created_at) "
                "VALUES (?, ?, ?, 0, 0, ?) ON CONFLICT DO NOTHING",
                (uri, size, bits, now),
            )
            rows = tx.rows("SELECT size, bits FROM token_status_lists WHERE uri = ?", (uri,))
            if (int(rows[0][0]), int(rows[0][1])) != (size, bits):
                raise StatusListError(
                    f"the token status list {uri} has {rows[0][0]} entries of {rows[0][1]} bits "
                    f"in the store, not {size} of {bits}",
                    code="status_list_mismatch",
                    uri=uri,
                )
            reserved = tx.rows(
                "UPDATE token_status_lists SET allocated = allocated + 1 "
                "WHERE uri = ? AND allocated < size RETURNING allocated",
                (uri,),
            )
            if not reserved:
                raise StatusListError(
                    f"the token status list {uri} is full", code="status_list_full", uri=uri
                )
            sql = (
                "INSERT INTO token_status_entries (uri, idx, status, credential_id, allocated_at) "
                "VALUES (?, ?, 0, ?, ?) ON CONFLICT DO NOTHING RETURNING idx"
            )
            for _ in range(_RANDOM_TRIES):
                index = secrets.randbelow(size)
                if tx.rows(sql, (uri, index, credential_id, now)):
                    return index
            taken = tx.rows("SELECT idx FROM token_status_entries WHERE uri = ?", (uri,))
            used = {int(r[0]) for r in taken}
            free = [i for i in range(size) if i not in used]
            while free:
                index = free.pop(secrets.randbelow(len(free)))
                if tx.rows(sql, (uri, index, credential_id, now)):
                    return index
        raise StoreError(  # pragma: no cover - the reservation guarantees a free index
            f"the token status list {uri} has no free index although a slot was reserved",
            code="store_failed",
        )

    def token_status_set(
        self,
        uri: str,
        idx: int,
        value: int,
        *,
        reason: str | None = None,
        actor: str | None = None,
    ) -> bool:
        now = _now()
        with self.transaction() as tx:
            rows = tx.rows(
                "SELECT status, credential_id FROM token_status_entries WHERE uri = ? AND idx = ?",
                (uri, idx),
            )
            if not rows:
                raise StatusListError(
                    f"index {idx} of the token status list {uri} was never allocated",
                    code="status_index_not_allocated",
                    uri=uri,
                )
            current, credential_id = int(rows[0][0]), rows[0][1]
            if current == value:
                return False
            if current == 1:
                raise StatusListError(
                    "a revoked entry stays revoked", code="status_revoked_final", uri=uri
                )
            tx.run(
                "UPDATE token_status_entries SET status = ?, updated_at = ? "
                "WHERE uri = ? AND idx = ?",
                (value, now, uri, idx),
            )
            tx.run("UPDATE token_status_lists SET version = version + 1 WHERE uri = ?", (uri,))
            action = {0: "reinstate", 1: "revoke", 2: "suspend"}.get(value, f"status-{value}")
            tx.run(
                "INSERT INTO status_events (list_url, idx, credential_id, purpose, action, "
                "reason, actor, at) VALUES (?, ?, ?, 'token-status', ?, ?, ?, ?)",
                (uri, idx, credential_id, action, reason, actor, now),
            )
        return True

    def token_status_entries(self, credential_id: str) -> list[tuple[str, int, int]]:
        with self.transaction(write=False) as tx:
            rows = tx.rows(
                "SELECT uri, idx, status FROM token_status_entries WHERE credential_id = ? "
                "ORDER BY uri, idx",
                (credential_id,),
            )
        return [(str(u), int(i), int(s)) for u, i, s in rows]

    def token_status_values(self, uri: str) -> dict[int, int]:
        with self.transaction(write=False) as tx:
            rows = tx.rows(
                "SELECT idx, status FROM token_status_entries WHERE uri = ? AND status <> 0",
                (uri,),
            )
        return {int(i): int(v) for i, v in rows}

    def token_status_info(self, uri: str) -> tuple[int, int, int, int] | None:
        with self.transaction(write=False) as tx:
            rows = tx.rows(
                "SELECT size, bits, allocated, version FROM token_status_lists WHERE uri = ?",
                (uri,),
            )
        if not rows:
            return None
        size, bits, allocated, version = rows[0]
        return int(size), int(bits), int(allocated), int(version)
