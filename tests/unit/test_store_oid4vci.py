"""OpenID4VCI state in the store (SQLite and a real PostgreSQL): single use under concurrency,
expiry by the caller's clock, the transaction-code attempt limit, and digests instead of secrets.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from mcbadge.errors import StoreError
from mcbadge.store import Store, open_store
from mcbadge.store.oid4vci import MAX_TX_CODE_ATTEMPTS, OfferRecord, secret_digest, store_time
from tests.pgserver import PostgresServer

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    with PostgresServer() as server:
        yield server


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        database = str(tmp_path / "store.sqlite3")
    else:
        import psycopg

        server: PostgresServer = request.getfixturevalue("postgres")
        name = "t" + uuid.uuid4().hex[:12]
        with psycopg.connect(server.url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        database = server.url.replace("/postgres?", f"/{name}?")
    with open_store(database) as opened:
        yield opened


def _offer(store: Store, code: str, *, tx_code: str | None = None, days: int = 14) -> str:
    offer_id = str(uuid.uuid4())
    store.offer_create(
        OfferRecord(
            offer_id=offer_id,
            credential={"id": "urn:uuid:1", "credentialSubject": {"name": "Jan"}},
            configurations=("MicroCredential_ldp_vc", "MicroCredential_sd_jwt"),
            created_at=store_time(NOW),
            expires_at=store_time(NOW + timedelta(days=days)),
            has_tx_code=tx_code is not None,
        ),
        code_hash=secret_digest(code),
        tx_code_hash=None if tx_code is None else secret_digest(tx_code),
    )
    return offer_id


def _reason(call: object) -> str:
    with pytest.raises(StoreError) as info:
        call()  # type: ignore[operator]
    return info.value.code


def test_a_code_is_redeemed_once_even_by_concurrent_requests(store: Store) -> None:
    _offer(store, "code-1")

    def redeem(_: int) -> str:
        try:
            store.offer_redeem(secret_digest("code-1"), tx_code_hash=None, now=store_time(NOW))
        except StoreError as exc:
            return exc.code
        return "redeemed"

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(redeem, range(16)))
    assert outcomes.count("redeemed") == 1
    assert set(outcomes) == {"redeemed", "offer_redeemed"}


def test_a_nonce_is_used_once_even_by_concurrent_requests(store: Store) -> None:
    stamp = store_time(NOW)
    store.nonce_create(
        secret_digest("n-1"), now=stamp, expires=store_time(NOW + timedelta(minutes=5))
    )

    def use(_: int) -> str:
        try:
            store.nonce_use(secret_digest("n-1"), now=stamp)
        except StoreError as exc:
            return exc.code
        return "used"

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(use, range(16)))
    assert outcomes.count("used") == 1 and set(outcomes) == {"used", "nonce_used"}
    assert _reason(lambda: store.nonce_use(secret_digest("other"), now=stamp)) == "nonce_unknown"


def test_expiry_follows_the_clock_given(store: Store) -> None:
    _offer(store, "code-2", days=1)
    later = store_time(NOW + timedelta(days=2))
    redeem = lambda: store.offer_redeem(secret_digest("code-2"), tx_code_hash=None, now=later)  # noqa: E731
    assert _reason(redeem) == "offer_expired"
    store.nonce_create(
        secret_digest("n-2"), now=store_time(NOW), expires=store_time(NOW + timedelta(minutes=5))
    )
    late = store_time(NOW + timedelta(minutes=6))
    assert _reason(lambda: store.nonce_use(secret_digest("n-2"), now=late)) == "nonce_expired"
    offer_id = _offer(store, "code-3")
    store.offer_redeem(secret_digest("code-3"), tx_code_hash=None, now=store_time(NOW))
    store.access_token_create(
        secret_digest("t-1"),
        offer_id=offer_id,
        now=store_time(NOW),
        expires=store_time(NOW + timedelta(minutes=10)),
    )
    assert store.access_token_offer(secret_digest("t-1"), now=store_time(NOW)).offer_id == offer_id
    expired = store_time(NOW + timedelta(minutes=11))
    assert (
        _reason(lambda: store.access_token_offer(secret_digest("t-1"), now=expired))
        == "access_token_expired"
    )


def test_wrong_transaction_codes_spend_the_offer(store: Store) -> None:
    _offer(store, "code-4", tx_code="123456")
    stamp = store_time(NOW)
    digest = secret_digest("code-4")
    assert (
        _reason(lambda: store.offer_redeem(digest, tx_code_hash=None, now=stamp))
        == "tx_code_required"
    )
    for _ in range(MAX_TX_CODE_ATTEMPTS - 1):
        wrong = lambda: store.offer_redeem(digest, tx_code_hash=secret_digest("000000"), now=stamp)  # noqa: E731
        assert _reason(wrong) == "tx_code_invalid"
    # one wrong code left: the right one still works on another offer made the same way
    _offer(store, "code-5", tx_code="123456")
    store.offer_redeem(secret_digest("code-5"), tx_code_hash=secret_digest("123456"), now=stamp)
    assert (
        _reason(lambda: store.offer_redeem(digest, tx_code_hash=secret_digest("999999"), now=stamp))
        == "tx_code_invalid"
    )
    right = lambda: store.offer_redeem(digest, tx_code_hash=secret_digest("123456"), now=stamp)  # noqa: E731
    assert _reason(right) == "offer_redeemed"


def test_each_configuration_is_delivered_once(store: Store) -> None:
    offer_id = _offer(store, "code-6")
    stamp = store_time(NOW)
    assert store.offer_deliver(offer_id, "MicroCredential_ldp_vc", now=stamp) is True
    assert store.offer_deliver(offer_id, "MicroCredential_ldp_vc", now=stamp) is False
    assert store.offer_deliver(offer_id, "MicroCredential_sd_jwt", now=stamp) is True
    store.offer_undeliver(offer_id, "MicroCredential_sd_jwt")
    assert store.offer_deliver(offer_id, "MicroCredential_sd_jwt", now=stamp) is True


def test_the_store_keeps_digests_not_codes(store: Store) -> None:
    offer_id = _offer(store, "code-secret-7")
    record = store.offer(offer_id)
    assert record is not None and record.configurations[0] == "MicroCredential_ldp_vc"
    from mcbadge.store.sql import SqlStore

    assert isinstance(store, SqlStore)
    with store.transaction(write=False) as tx:
        rows = tx.rows("SELECT code_hash FROM oid4vci_offers WHERE offer_id = ?", (offer_id,))
    assert rows[0][0] == secret_digest("code-secret-7") != "code-secret-7"


def test_concurrent_wrong_transaction_codes_get_no_more_than_the_limit(store: Store) -> None:
    """A wallet (or an attacker) firing guesses in parallel gets no more guesses than one firing
    them in turn: each wrong code is counted against the count the one before it left, so the
    offer is spent after exactly MAX_TX_CODE_ATTEMPTS, and the right code is refused after that.
    """
    _offer(store, "code-8", tx_code="424242")
    stamp = store_time(NOW)
    digest = secret_digest("code-8")

    def guess(n: int) -> str:
        try:
            store.offer_redeem(digest, tx_code_hash=secret_digest(f"{n:06d}"), now=stamp)
        except StoreError as exc:
            return exc.code
        return "redeemed"

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(guess, range(4 * MAX_TX_CODE_ATTEMPTS)))
    assert outcomes.count("tx_code_invalid") == MAX_TX_CODE_ATTEMPTS, outcomes
    assert set(outcomes) == {"tx_code_invalid", "offer_redeemed"}
    right = lambda: store.offer_redeem(digest, tx_code_hash=secret_digest("424242"), now=stamp)  # noqa: E731
    assert _reason(right) == "offer_redeemed"
