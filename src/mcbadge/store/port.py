"""The store's port: what the service and the CLI may ask of it, and the records it speaks in.

:class:`Store` is the port (an abstract base class) and :class:`Transaction` the unit of work an
adapter hands out. The shared SQL implementation is :class:`mcbadge.store.sql.SqlStore`, the
connection pool :class:`mcbadge.store.pool.ConnectionPool`; the adapters are
:class:`mcbadge.store.sqlite.SqliteStore` and :class:`mcbadge.store.postgres.PostgresStore`.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mcbadge.store.migrations import Dialect
from mcbadge.store.oid4vci import OfferStore

__all__ = [
    "Allocation",
    "IssuanceRecord",
    "StatusChange",
    "StatusListInfo",
    "Store",
    "Transaction",
    "subject_reference",
]


@dataclass(frozen=True)
class Allocation:
    """A status list index handed to a credential.

    Attributes:
        list_url: The status list credential's URL (``statusListCredential``).
        purpose: ``"revocation"`` or ``"suspension"``.
        index: The index in that list (``statusListIndex``).
    """

    list_url: str
    purpose: str
    index: int


@dataclass(frozen=True)
class StatusListInfo:
    """A status list as the store keeps it.

    Attributes:
        url: Where it is published.
        purpose: Its ``statusPurpose``.
        seq: Its number among the lists of that purpose (1, 2, …).
        length: Number of entries.
        allocated: How many indexes were handed out.
        version: Bumped on every status change (drives regeneration).
        allocating: Whether new credentials still get indexes on it.
        created_at: When it was created (RFC 3339).
    """

    url: str
    purpose: str
    seq: int
    length: int
    allocated: int
    version: int
    allocating: bool
    created_at: str


@dataclass(frozen=True)
class IssuanceRecord:
    """One line of the issuance log.

    Attributes:
        issuance_id: The log's own id for this issuance (unique).
        credential_id: The credential's ``id`` (``None`` when it has none).
        subject: A reference to the subject (its ``id``, or its first identifier's hash).
        issued_at: When it was signed (RFC 3339, UTC).
        key_id: The verification method that signed it.
        format: ``"di"`` or ``"jwt"``.
        credential: The signed credential as sent (JSON text, or the compact JWT).
        statuses: The status entries it carries.
    """

    issuance_id: str
    credential_id: str | None
    subject: str | None
    issued_at: str
    key_id: str
    format: str
    credential: str
    statuses: tuple[Allocation, ...] = field(default=())


@dataclass(frozen=True)
class StatusChange:
    """The outcome of one status update on one entry.

    Attributes:
        list_url: The list.
        purpose: Its purpose.
        index: The entry.
        credential_id: The credential it belongs to, when known.
        action: ``"revoke"``, ``"suspend"`` or ``"reinstate"``.
        changed: ``False`` when the entry already had that status.
        reason: The reason given, if any.
        at: When (RFC 3339).
    """

    list_url: str
    purpose: str
    index: int
    credential_id: str | None
    action: str
    changed: bool
    reason: str | None
    at: str


def subject_reference(credential: Mapping[str, Any]) -> str | None:
    """The issuance log's reference to a credential's subject.

    Its ``credentialSubject.id``, else the ``identityHash`` of its first ``identifier`` (a
    salted hash, or the plain value of an identity OB 3.0 marks ``hashed: false``; the log
    keeps the whole credential anyway), else ``None``.

    Example:
        >>> subject_reference({"credentialSubject": {"id": "did:example:jan"}})
        'did:example:jan'
    """
    subjects = credential.get("credentialSubject")
    subject = subjects[0] if isinstance(subjects, list) and subjects else subjects
    if not isinstance(subject, Mapping):
        return None
    if isinstance(subject.get("id"), str):
        return str(subject["id"])
    identifiers = subject.get("identifier")
    first = identifiers[0] if isinstance(identifiers, list) and identifiers else identifiers
    if isinstance(first, Mapping) and isinstance(first.get("identityHash"), str):
        return str(first["identityHash"])
    return None


class Transaction(abc.ABC):
    """One database transaction, as the shared SQL sees it (``?`` placeholders)."""

    @abc.abstractmethod
    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run a statement and return its rows (``[]`` when it returns none)."""

    @abc.abstractmethod
    def run(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run a statement and return the number of rows it changed."""


class Store(OfferStore):
    """The persistence port: status lists, the issuance log, status changes and the OpenID4VCI
    offers, tokens and nonces (:class:`mcbadge.store.oid4vci.OfferStore`).

    Implementations must be safe to share between threads and between processes on the same
    database. Open one with :func:`mcbadge.store.open_store`.
    """

    dialect: Dialect

    @abc.abstractmethod
    def schema_version(self) -> int:
        """The schema version of the database (0 before the first migration)."""

    @abc.abstractmethod
    def migrate(self) -> int:
        """Apply pending migrations (under a lock); return the version reached."""

    @abc.abstractmethod
    def allocate(
        self,
        purposes: Sequence[str],
        *,
        url_for: Callable[[str, int], str],
        length: int,
        issuance_id: str,
        credential_id: str | None,
    ) -> list[Allocation]:
        """Give one new credential a random unused index on the current list of each purpose.

        Durable when it returns: a crash afterwards wastes the indexes, never reuses them.
        """

    @abc.abstractmethod
    def record_issuance(self, record: IssuanceRecord, *, replace: bool = False) -> None:
        """Add a signed credential to the issuance log (durable when it returns).

        ``replace``: an entry with the same ``issuance_id`` is replaced (a batch row signed
        again after a crash); otherwise a second one is an error.
        """

    @abc.abstractmethod
    def issuance_allocations(self, issuance_ids: Sequence[str]) -> dict[str, list[Allocation]]:
        """The entries allocated to each of ``issuance_ids`` (those with none are left out)."""

    @abc.abstractmethod
    def issuances(self, credential_id: str) -> list[IssuanceRecord]:
        """Every logged issuance of ``credential_id`` (newest first)."""

    @abc.abstractmethod
    def issuance_count(self) -> int:
        """How many credentials are in the log."""

    @abc.abstractmethod
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
        """Set (``value=True``) or clear the ``purpose`` bit of a credential or an index."""

    @abc.abstractmethod
    def entry_statuses(self, credential_id: str) -> list[tuple[Allocation, int]]:
        """The status entries of ``credential_id`` with their current values."""

    @abc.abstractmethod
    def status_list(self, url: str) -> StatusListInfo | None:
        """The list published at ``url``, or ``None``."""

    @abc.abstractmethod
    def status_lists(self) -> list[StatusListInfo]:
        """Every list, by purpose and number."""

    @abc.abstractmethod
    def set_indexes(self, url: str) -> list[int]:
        """The indexes of ``url`` whose bit is set."""

    @abc.abstractmethod
    def allocated_indexes(self, url: str) -> list[int]:
        """The indexes of ``url`` handed out so far."""

    @abc.abstractmethod
    def signed_list(self, url: str) -> tuple[int, str | None, int | None]:
        """``(version, signed document, version it was signed at)`` of a list."""

    @abc.abstractmethod
    def save_signed_list(self, url: str, version: int, document: str) -> bool:
        """Keep a signed list credential made at ``version`` (only while that is current)."""

    @abc.abstractmethod
    def import_list(
        self,
        *,
        url: str,
        purpose: str,
        length: int,
        allocated: Sequence[int],
        set_indexes: Sequence[int],
    ) -> StatusListInfo:
        """Import a list kept elsewhere (``mcbadge status migrate``); it is not allocated from."""

    # ---- IETF Token Status Lists (SD-JWT VCs; used by mcbadge.status.token_list)

    @abc.abstractmethod
    def token_status_allocate(
        self, uri: str, *, size: int, bits: int, credential_id: str | None = None
    ) -> int:
        """Take a random unused index of the token status list ``uri`` (made on first use).

        Durable when it returns; an index is never handed out twice, across processes.
        """

    @abc.abstractmethod
    def token_status_set(
        self,
        uri: str,
        idx: int,
        value: int,
        *,
        reason: str | None = None,
        actor: str | None = None,
    ) -> bool:
        """Set the status value of an allocated index; ``False`` when it already had it.

        A revoked entry (value 1) stays revoked; every change is logged in the status events.
        """

    @abc.abstractmethod
    def token_status_entries(self, credential_id: str) -> list[tuple[str, int, int]]:
        """``(uri, idx, status)`` of every token status entry allocated for ``credential_id``."""

    @abc.abstractmethod
    def token_status_values(self, uri: str) -> dict[int, int]:
        """Every non-zero status value of the token status list ``uri``, by index."""

    @abc.abstractmethod
    def token_status_info(self, uri: str) -> tuple[int, int, int, int] | None:
        """``(size, bits, allocated, version)`` of the token status list ``uri``, or ``None``."""

    @abc.abstractmethod
    def close(self) -> None:
        """Close every connection."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
