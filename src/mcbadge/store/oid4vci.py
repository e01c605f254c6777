"""The store's OpenID4VCI part: credential offers, access tokens, ``c_nonce`` values, deliveries.

What must hold across processes and hosts (several ``mcbadge serve`` instances on one
PostgreSQL) lives here, each rule enforced by one atomic statement:

* a pre-authorized code is redeemed **once**: ``UPDATE oid4vci_offers SET redeemed_at = …
  WHERE code_hash = ? AND redeemed_at IS NULL AND expires_at > now RETURNING …``;
* a wrong transaction code counts against the offer; after :data:`MAX_TX_CODE_ATTEMPTS`
  wrong ones the offer is spent (a 6-digit code cannot be guessed by trying);
* a ``c_nonce`` is used **once** and only before it expires (the same ``UPDATE … WHERE
  used_at IS NULL … RETURNING``);
* each credential configuration of an offer is delivered **once** (the primary key of
  ``oid4vci_deliveries``).

Codes, tokens and nonces are kept as SHA-256 hex digests (:func:`secret_digest`): a copy of
the database does not let anyone redeem an offer. Times are the fixed-width RFC 3339 text of
:func:`store_time`, which orders as text in both dialects. "Now" is always a parameter, so the
service's clock (and a test's) decides expiry.
"""

from __future__ import annotations

import abc
import hashlib
import json
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from mcbadge.errors import StoreError
from mcbadge.store.migrations import Dialect

__all__ = [
    "MAX_TX_CODE_ATTEMPTS",
    "OfferRecord",
    "OfferStore",
    "SqlOfferStore",
    "secret_digest",
    "store_time",
]

MAX_TX_CODE_ATTEMPTS: Final = 5
"""Wrong transaction codes an offer takes before it is spent."""


def secret_digest(secret: str) -> str:
    """The SHA-256 hex digest under which a code, token or nonce is kept.

    Example:
        >>> secret_digest("abc")[:12]
        'ba7816bf8f01'
    """
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def store_time(moment: datetime) -> str:
    """``moment`` as the store's fixed-width UTC text (``2026-12-03T04:25:03.000000Z``).

    Example:
        >>> store_time(datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
        '2026-01-02T03:04:05.000000Z'
    """
    if moment.tzinfo is None:
        raise StoreError("times given to the store must be timezone-aware", code="store_failed")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class OfferRecord:
    """A credential offer as the store keeps it.

    Attributes:
        offer_id: The offer's own id (random, not secret).
        credential: The unsigned credential the offer delivers (a JSON object).
        configurations: The credential configuration ids offered (``ldp_vc``…).
        created_at: When it was made (store time text).
        expires_at: When its pre-authorized code stops working.
        has_tx_code: Whether redeeming it needs a transaction code.
        redeemed_at: When its code was exchanged for an access token (``None``: not yet).
    """

    offer_id: str
    credential: dict[str, Any]
    configurations: tuple[str, ...]
    created_at: str
    expires_at: str
    has_tx_code: bool
    redeemed_at: str | None = None


_OFFER_COLUMNS: Final = (
    "offer_id, credential, configurations, created_at, expires_at, tx_code_hash, redeemed_at"
)


def _offer(row: Sequence[Any]) -> OfferRecord:
    offer_id, credential, configurations, created_at, expires_at, tx_hash, redeemed_at = row
    return OfferRecord(
        offer_id=offer_id,
        credential=json.loads(credential),
        configurations=tuple(json.loads(configurations)),
        created_at=created_at,
        expires_at=expires_at,
        has_tx_code=tx_hash is not None,
        redeemed_at=redeemed_at,
    )


class OfferStore(abc.ABC):
    """The OpenID4VCI methods of the store port (see :class:`mcbadge.store.Store`)."""

    @abc.abstractmethod
    def offer_create(
        self, record: OfferRecord, *, code_hash: str, tx_code_hash: str | None
    ) -> None:
        """Keep a new offer under the digest of its pre-authorized code."""

    @abc.abstractmethod
    def offer_redeem(self, code_hash: str, *, tx_code_hash: str | None, now: str) -> OfferRecord:
        """Exchange a pre-authorized code, once.

        Raises:
            StoreError: ``offer_not_found``, ``offer_redeemed``, ``offer_expired``,
                ``tx_code_required``, ``tx_code_unexpected`` or ``tx_code_invalid``.
        """

    @abc.abstractmethod
    def offer(self, offer_id: str) -> OfferRecord | None:
        """The offer ``offer_id``, or ``None``."""

    @abc.abstractmethod
    def access_token_create(
        self, token_hash: str, *, offer_id: str, now: str, expires: str
    ) -> None:
        """Keep an access token for a redeemed offer."""

    @abc.abstractmethod
    def access_token_offer(self, token_hash: str, *, now: str) -> OfferRecord:
        """The offer an unexpired access token was issued for.

        Raises:
            StoreError: ``access_token_unknown`` or ``access_token_expired``.
        """

    @abc.abstractmethod
    def nonce_create(self, nonce_hash: str, *, now: str, expires: str) -> None:
        """Keep a new ``c_nonce``."""

    @abc.abstractmethod
    def nonce_use(self, nonce_hash: str, *, now: str) -> None:
        """Use a ``c_nonce``, once, before it expires.

        Raises:
            StoreError: ``nonce_unknown``, ``nonce_used`` or ``nonce_expired``.
        """

    @abc.abstractmethod
    def offer_deliver(
        self, offer_id: str, configuration_id: str, *, now: str, issuance_id: str | None = None
    ) -> bool:
        """Mark a configuration of an offer delivered; ``False`` when it already was."""

    @abc.abstractmethod
    def offer_undeliver(self, offer_id: str, configuration_id: str) -> None:
        """Take back a delivery mark (the credential could not be made after all)."""


def _one(rows: list[tuple[Any, ...]]) -> tuple[Any, ...] | None:
    return rows[0] if rows else None


class SqlOfferStore(OfferStore):
    """:class:`OfferStore` in the SQL both dialects accept (``?`` placeholders)."""

    dialect: Dialect

    @abc.abstractmethod
    def transaction(self, *, write: bool = True) -> AbstractContextManager[Any]:
        """A transaction (see :class:`mcbadge.store.sql.SqlStore`)."""

    def offer_create(
        self, record: OfferRecord, *, code_hash: str, tx_code_hash: str | None
    ) -> None:
        with self.transaction() as tx:
            tx.run(
                "INSERT INTO oid4vci_offers (offer_id, code_hash, tx_code_hash, credential, "
                "configurations, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    record.offer_id,
                    code_hash,
                    tx_code_hash,
                    json.dumps(record.credential, ensure_ascii=False),
                    json.dumps(list(record.configurations)),
                    record.created_at,
                    record.expires_at,
                ),
            )

    def offer(self, offer_id: str) -> OfferRecord | None:
        with self.transaction(write=False) as tx:
            row = _one(
                tx.rows(
                    f"SELECT {_OFFER_COLUMNS} FROM oid4vci_offers WHERE offer_id = ?",  # noqa: S608
                    (offer_id,),
                )
            )
        return None if row is None else _offer(row)

    def offer_redeem(self, code_hash: str, *, tx_code_hash: str | None, now: str) -> OfferRecord:
        row: tuple[Any, ...] | None = None
        # The attempt count decides whether a wrong code spends the offer, so it must be read
        # under the row lock: at READ COMMITTED, PostgreSQL lets concurrent guesses all read the
        # same count and none of them spend the offer (SQLite's BEGIN IMMEDIATE serialises).
        lock = " FOR UPDATE" if self.dialect == "postgres" else ""
        with self.transaction() as tx:
            rows = tx.rows(
                "SELECT tx_code_hash, redeemed_at, expires_at, failed_attempts "  # noqa: S608
                f"FROM oid4vci_offers WHERE code_hash = ?{lock}",
                (code_hash,),
            )
            if not rows:
                raise StoreError("no offer has this pre-authorized code", code="offer_not_found")
            expected_tx, redeemed_at, expires_at, failed = rows[0]
            if redeemed_at is not None:
                raise StoreError("the offer was already redeemed", code="offer_redeemed")
            if expires_at <= now:
                raise StoreError("the offer has expired", code="offer_expired")
            if expected_tx is None and tx_code_hash is not None:
                raise StoreError("the offer needs no transaction code", code="tx_code_unexpected")
            if expected_tx is not None and tx_code_hash is None:
                raise StoreError("the offer needs its transaction code", code="tx_code_required")
            if expected_tx is not None and tx_code_hash != expected_tx:
                spent = int(failed) + 1 >= MAX_TX_CODE_ATTEMPTS
                tx.run(
                    "UPDATE oid4vci_offers SET failed_attempts = failed_attempts + 1, "
                    "redeemed_at = ? WHERE code_hash = ?",
                    (now if spent else None, code_hash),
                )
                # the transaction must commit the count: leave it before raising
                wrong = True
            else:
                wrong = False
                claimed = tx.rows(
                    "UPDATE oid4vci_offers SET redeemed_at = ? WHERE code_hash = ? "
                    "AND redeemed_at IS NULL AND expires_at > ? RETURNING offer_id",
                    (now, code_hash, now),
                )
                if not claimed:  # pragma: no cover - FOR UPDATE / BEGIN IMMEDIATE rules it out
                    raise StoreError("the offer was already redeemed", code="offer_redeemed")
                row = tx.rows(
                    f"SELECT {_OFFER_COLUMNS} FROM oid4vci_offers WHERE code_hash = ?",  # noqa: S608
                    (code_hash,),
                )[0]
        if wrong or row is None:
            raise StoreError("the transaction code is wrong", code="tx_code_invalid")
        return _offer(row)

    def access_token_create(
        self, token_hash: str, *, offer_id: str, now: str, expires: str
    ) -> None:
        with self.transaction() as tx:
            tx.run(
                "INSERT INTO oid4vci_tokens (token_hash, offer_id, created_at, expires_at) "
                "VALUES (?, ?, ?, ?)",
                (token_hash, offer_id, now, expires),
            )

    def access_token_offer(self, token_hash: str, *, now: str) -> OfferRecord:
        with self.transaction(write=False) as tx:
            rows = tx.rows(
                "SELECT offer_id, expires_at FROM oid4vci_tokens WHERE token_hash = ?",
                (token_hash,),
            )
            if not rows:
                raise StoreError("the access token is not known", code="access_token_unknown")
            offer_id, expires_at = rows[0]
            if expires_at <= now:
                raise StoreError("the access token has expired", code="access_token_expired")
            row = tx.rows(
                f"SELECT {_OFFER_COLUMNS} FROM oid4vci_offers WHERE offer_id = ?",  # noqa: S608
                (offer_id,),
            )[0]
        return _offer(row)

    def nonce_create(self, nonce_hash: str, *, now: str, expires: str) -> None:
        with self.transaction() as tx:
            # expired nonces are of no use to anyone: drop them as new ones come
            tx.run("DELETE FROM oid4vci_nonces WHERE expires_at < ?", (now,))
            tx.run(
                "INSERT INTO oid4vci_nonces (nonce_hash, created_at, expires_at) VALUES (?, ?, ?)",
                (nonce_hash, now, expires),
            )

    def nonce_use(self, nonce_hash: str, *, now: str) -> None:
        with self.transaction() as tx:
            used = tx.rows(
                "UPDATE oid4vci_nonces SET used_at = ? WHERE nonce_hash = ? AND used_at IS NULL "
                "AND expires_at > ? RETURNING nonce_hash",
                (now, nonce_hash, now),
            )
            if used:
                return
            rows = tx.rows("SELECT used_at FROM oid4vci_nonces WHERE nonce_hash = ?", (nonce_hash,))
        if not rows:
            raise StoreError("the c_nonce is not one this issuer gave", code="nonce_unknown")
        if rows[0][0] is not None:
            raise StoreError("the c_nonce was already used", code="nonce_used")
        raise StoreError("the c_nonce has expired", code="nonce_expired")

    def offer_deliver(
        self, offer_id: str, configuration_id: str, *, now: str, issuance_id: str | None = None
    ) -> bool:
        with self.transaction() as tx:
            return bool(
                tx.rows(
                    "INSERT INTO oid4vci_deliveries (offer_id, configuration_id, delivered_at, "
                    "issuance_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING offer_id",
                    (offer_id, configuration_id, now, issuance_id),
                )
            )

    def offer_undeliver(self, offer_id: str, configuration_id: str) -> None:
        with self.transaction() as tx:
            tx.run(
                "DELETE FROM oid4vci_deliveries WHERE offer_id = ? AND configuration_id = ?",
                (offer_id, configuration_id),
            )
