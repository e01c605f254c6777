"""Fault tests: 5xx, timeouts and dropped connections never make the client award anyone twice.

The fake edubadges server injects faults before processing (nothing happened) or after it
(the awards exist, but the answer fails or never arrives). Scripted tests pin down each case;
the random tests award 100 learners through seeded random faults on every endpoint, with the
sync and the async client, and check that every learner ends with exactly one award.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from mcbadge.edubadges import (
    AsyncEdubadgesClient,
    DirectAwardResult,
    EdubadgesClient,
    Recipient,
    RetryPolicy,
)
from mcbadge.edubadges.testing import FakeEdubadges, Fault, Seed

CREATE = "/directaward/create"
QUERY = "/queries/direct-awards"
TIMEOUT = 0.4  # client timeout; "slow" faults wait twice as long
SLOW = 2 * TIMEOUT


@pytest.fixture
def fake() -> Iterator[FakeEdubadges]:
    with FakeEdubadges(seed=11) as server:
        yield server
    assert server.internal_errors == []


@pytest.fixture
def seed(fake: FakeEdubadges) -> Seed:
    return fake.seed_defaults()


def learners(count: int, start: int = 0) -> list[Recipient]:
    return [
        Recipient(email=f"learner{i:03d}@uni.nl", eppn=f"s{i:07d}@uni.nl")
        for i in range(start, start + count)
    ]


def assert_exactly_one_award_each(
    fake: FakeEdubadges, badgeclass: str, cohort: list[Recipient]
) -> None:
    awards = fake.state.awards_for(badgeclass)
    per_learner = Counter(a.eppn for a in awards)
    assert set(per_learner) == {r.key("eppn") for r in cohort}
    duplicates = {k: n for k, n in per_learner.items() if n != 1}
    assert duplicates == {}
    assert {a.status for a in awards} == {"Unaccepted"}


def sync_client(
    fake: FakeEdubadges, seed: Seed, sleeps: list[float] | None = None, **options: Any
) -> EdubadgesClient:
    recorder = sleeps if sleeps is not None else []
    settings: dict[str, Any] = {
        "base_url": fake.base_url,
        "token": seed.token,
        "timeout": TIMEOUT,
        "sleep": recorder.append,
        "rng": random.Random(0),
    }
    settings.update(options)
    return EdubadgesClient(**settings)


# -- one fault at a time -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "posts", "checks", "already"),
    [
        pytest.param(Fault.error(500, when="before"), 2, 1, 0, id="500-before"),
        pytest.param(Fault.error(500, when="after"), 1, 1, 3, id="500-after"),
        pytest.param(Fault.error(502, when="after"), 1, 1, 3, id="502-after"),
        pytest.param(Fault.drop(when="before"), 2, 1, 0, id="drop-before"),
        pytest.param(Fault.drop(when="after"), 1, 1, 3, id="drop-after"),
        pytest.param(Fault.slow(SLOW, when="after"), 1, 1, 3, id="timeout-after"),
        pytest.param(Fault.error(429, when="before", retry_after="0"), 2, 0, 0, id="429"),
    ],
)
@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_one_fault_on_a_direct_award_never_duplicates_a_learner(
    fake: FakeEdubadges,
    seed: Seed,
    fault: Fault,
    posts: int,
    checks: int,
    already: int,
    flavour: str,
) -> None:
    cohort = learners(3)
    fake.faults.script(fault, method="POST", path=CREATE)
    if flavour == "sync":
        with sync_client(fake, seed) as client:
            result = client.direct_award(seed.badgeclass, cohort)
    else:
        result = asyncio.run(_async_award(fake, seed, [cohort]))[0]
    assert_exactly_one_award_each(fake, seed.badgeclass, cohort)
    assert len(fake.calls("POST", CREATE)) == posts
    assert len(fake.calls("GET", QUERY)) == checks
    assert len(result.already_present) == already
    assert result.ambiguous_failures == checks
    assert result.ok
    assert (result.entity_id is None) == (already == len(cohort))


async def _async_award(
    fake: FakeEdubadges, seed: Seed, batches: list[list[Recipient]], **options: Any
) -> list[DirectAwardResult]:
    async def no_sleep(seconds: float) -> None:
        return None

    settings: dict[str, Any] = {
        "base_url": fake.base_url,
        "token": seed.token,
        "timeout": TIMEOUT,
        "sleep": no_sleep,
        "rng": random.Random(0),
    }
    settings.update(options)
    async with AsyncEdubadgesClient(**settings) as client:
        return [await client.direct_award(seed.badgeclass, batch) for batch in batches]


def test_partial_batch_already_held_is_not_posted_again(fake: FakeEdubadges, seed: Seed) -> None:
    with sync_client(fake, seed) as client:
        client.direct_award(seed.badgeclass, learners(2))  # learners 0 and 1 hold awards
        fake.faults.script(Fault.drop(when="before"), method="POST", path=CREATE)
        result = client.direct_award(seed.badgeclass, learners(4))
    assert_exactly_one_award_each(fake, seed.badgeclass, learners(4))
    # The re-post after the check carried only learners 2 and 3; nothing was refused.
    assert [p.eppn for p in result.already_present] == ["s0000000@uni.nl", "s0000001@uni.nl"]
    assert result.ok


def test_faults_on_the_check_itself_are_retried(fake: FakeEdubadges, seed: Seed) -> None:
    fake.faults.script(Fault.drop(when="after"), method="POST", path=CREATE)
    fake.faults.script(Fault.error(503, when="before"), method="GET", path=QUERY, times=2)
    sleeps: list[float] = []
    with sync_client(fake, seed, sleeps) as client:
        result = client.direct_award(seed.badgeclass, learners(5))
    assert_exactly_one_award_each(fake, seed.badgeclass, learners(5))
    assert len(result.already_present) == 5
    assert [r.status for r in fake.calls("GET", QUERY)] == [503, 503, 200]
    assert len(sleeps) == 3  # before the check, and twice between reads


def test_ambiguous_delete_and_revoke_are_redone_one_id_at_a_time(
    fake: FakeEdubadges, seed: Seed
) -> None:
    with sync_client(fake, seed) as client:
        client.direct_award(seed.badgeclass, learners(4))
        ids = sorted(d.entity_id for d in fake.state.awards_for(seed.badgeclass))
        accepted = [fake.accept(i) for i in ids[:2]]
        fake.faults.script(
            Fault.drop(when="after"), method="PUT", path="/directaward/delete-direct-awards"
        )
        deleted = client.delete_direct_awards(ids[2:], "awarded in error")
        fake.faults.script(
            Fault.slow(SLOW, when="after"), method="POST", path="/issuer/revoke-assertions"
        )
        revoked = client.revoke_assertions(accepted, "fraud")
    assert deleted.already_done == tuple(ids[2:])  # the lost request had done it
    assert deleted.ok and deleted.ambiguous_failures == 1
    assert {fake.state.direct_awards[i].status for i in ids[2:]} == {"Deleted"}
    assert revoked.already_done == tuple(accepted)
    assert all(fake.state.assertions[a].revoked for a in accepted)


def test_token_endpoint_failures_are_retried(fake: FakeEdubadges, seed: Seed) -> None:
    fake.faults.script(Fault.error(503, when="before"), method="POST", path="/oidc/token")
    fake.faults.script(Fault.drop(when="after"), method="POST", path="/oidc/token")
    with sync_client(
        fake,
        seed,
        token=None,
        client_id=seed.client_id,
        client_secret=seed.client_secret,
        token_url=fake.token_url,
    ) as client:
        assert len(client.issuers()) == 1
    assert [r.status for r in fake.calls("POST", "/oidc/token")] == [503, None, 200]


# -- 100 learners through random faults ----------------------------------------------------------

RANDOM_FAULTS = [
    Fault.error(500, when="before"),
    Fault.error(500, when="after"),
    Fault.error(502, when="after"),
    Fault.error(503, when="before", retry_after="0"),
    Fault.error(429, when="before", retry_after="0"),
    Fault.drop(when="before"),
    Fault.drop(when="after"),
    Fault.slow(SLOW, when="after"),
]


@pytest.mark.parametrize("fault_seed", [1, 2, 3])
@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_hundred_learners_through_random_faults_each_get_exactly_one_award(
    fake: FakeEdubadges, seed: Seed, fault_seed: int, flavour: str
) -> None:
    cohort = learners(100)
    batches = [cohort[i : i + 2] for i in range(0, 100, 2)]
    fake.faults.randomize(seed=fault_seed, rate=0.35, faults=RANDOM_FAULTS)
    options: dict[str, Any] = {
        "token": None,
        "client_id": seed.client_id,
        "client_secret": seed.client_secret,
        "token_url": fake.token_url,
        "retries": RetryPolicy(retries=8),
        "rng": random.Random(fault_seed),
    }
    if flavour == "sync":
        with sync_client(fake, seed, **options) as client:
            results = [client.direct_award(seed.badgeclass, batch) for batch in batches]
    else:
        results = asyncio.run(_async_award(fake, seed, batches, **options))
    fake.faults.clear()

    assert_exactly_one_award_each(fake, seed.badgeclass, cohort)
    assert all(r.ok for r in results)  # no row was refused as "already exists"
    injected = Counter(f.fault.name for f in fake.faults.injected)
    ambiguous_posts = [
        f
        for f in fake.faults.injected
        if f.path == CREATE
        and (f.fault.when == "after" or f.fault.kind == "drop" or f.fault.status >= 500)
    ]
    assert sum(injected.values()) >= 10, injected
    # The interesting cases really happened: posts that were applied but whose answer was
    # lost, and faults on the check that follows them.
    assert any(f.fault.when == "after" for f in ambiguous_posts), injected
    assert any(f.path == QUERY for f in fake.faults.injected), injected
    # (>=: on a slow machine an unfaulted answer may also time out, which is handled alike)
    assert sum(r.ambiguous_failures for r in results) >= len(ambiguous_posts)
    assert sum(len(r.already_present) for r in results) > 0


# -- control: what a blind retry would have done -------------------------------------------------


def _blind_retry(fake: FakeEdubadges, seed: Seed, cohort: list[Recipient]) -> httpx.Response:
    body = {
        "badgeclass": seed.badgeclass,
        "notify_recipients": False,
        "direct_awards": [r.to_wire("eppn") for r in cohort],
    }
    headers = {"Authorization": f"Bearer {seed.token}"}
    with httpx.Client(base_url=fake.base_url, headers=headers, timeout=TIMEOUT) as raw:
        for _ in range(3):
            try:
                answer = raw.post(CREATE, json=body)
            except httpx.TransportError:
                continue
            if answer.status_code < 500:
                return answer
    raise AssertionError("the blind retry never got an answer")


def test_control_blind_retry_duplicates_awards_when_the_server_does_not_catch_it() -> None:
    with FakeEdubadges(enforce_unique=False) as fake:
        seed = fake.seed_defaults()
        fake.faults.script(Fault.drop(when="after"), method="POST", path=CREATE)
        _blind_retry(fake, seed, learners(3))
        per_learner = Counter(a.eppn for a in fake.state.awards_for(seed.badgeclass))
        assert set(per_learner.values()) == {2}  # everyone twice: what the check prevents


def test_control_blind_retry_is_refused_by_edubadges_uniqueness_rule(
    fake: FakeEdubadges, seed: Seed
) -> None:
    fake.faults.script(Fault.drop(when="after"), method="POST", path=CREATE)
    answer = _blind_retry(fake, seed, learners(3))
    assert answer.status_code == 400  # every row "already exists": the import looks failed
    assert "No valid DirectAwards are created" in answer.json()["error"]
    assert_exactly_one_award_each(fake, seed.badgeclass, learners(3))
