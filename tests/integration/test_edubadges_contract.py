"""Contract tests: both edubadges clients against the fake edubadges server over loopback HTTP.

Every client method is exercised with the sync and the async client, including every error
shape the server uses. The fake enforces what edubadges-server enforces (see
src/mcbadge/edubadges/testing/state.py); a few raw-HTTP tests check the fake itself where the client
refuses to send a bad request.
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib.util
import json
import logging
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from mcbadge.edubadges import (
    AsyncEdubadgesClient,
    EdubadgesAuthError,
    EdubadgesClient,
    EdubadgesNotFoundError,
    EdubadgesPermissionError,
    EdubadgesValidationError,
    Recipient,
    read_recipients_csv,
)
from mcbadge.edubadges.testing import FakeEdubadges, Seed
from tests.conftest import load_reference_json, reference_path

PROJECT = Path(__file__).resolve().parents[2]


class AsyncFacade:
    """Runs each call of a fresh AsyncEdubadgesClient in its own event loop."""

    def __init__(self, **options: Any) -> None:
        self._options = options

    def __getattr__(self, name: str) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            async def run() -> Any:
                async with AsyncEdubadgesClient(**self._options) as client:
                    return await getattr(client, name)(*args, **kwargs)

            return asyncio.run(run())

        return call


async def _no_sleep(seconds: float) -> None:
    return None


@pytest.fixture
def fake() -> Iterator[FakeEdubadges]:
    with FakeEdubadges(seed=3) as server:
        yield server
    assert server.internal_errors == []


@pytest.fixture
def seed(fake: FakeEdubadges) -> Seed:
    return fake.seed_defaults()


Connect = Callable[..., Any]


@pytest.fixture(params=["sync", "async"])
def connect(request: pytest.FixtureRequest, fake: FakeEdubadges, seed: Seed) -> Iterator[Connect]:
    opened: list[EdubadgesClient] = []

    def make(**overrides: Any) -> Any:
        options: dict[str, Any] = {"base_url": fake.base_url, "token": seed.token, "timeout": 5}
        options.update(overrides)
        if request.param == "sync":
            client = EdubadgesClient(sleep=lambda s: None, **options)
            opened.append(client)
            return client
        return AsyncFacade(sleep=_no_sleep, **options)

    yield make
    for client in opened:
        client.close()


ANA = Recipient(
    email="Ana@Uni.nl",
    eppn="S1@Uni.nl",
    narrative="Well done",
    evidence_url="https://evidence.example/thesis",
    evidence_name="Thesis",
    evidence_description="Her thesis",
    grade_achieved="8.5",
)
BOB = Recipient(email="bob@uni.nl", eppn="s2@uni.nl")
CARL = Recipient(email="carl@uni.nl", eppn="s3@uni.nl", first_name="Carl", surname="Clay")


# -- queries ---------------------------------------------------------------------------------


def test_badge_classes_lists_the_institution_with_typed_and_unknown_fields(
    connect: Connect, seed: Seed
) -> None:
    classes = {bc.entity_id: bc for bc in connect().badge_classes()}
    assert set(classes) == {
        seed.badgeclass,
        seed.regular_badgeclass,
        seed.private_badgeclass,
        seed.disabled_badgeclass,
        seed.foreign_badgeclass,
    }
    micro = classes[seed.badgeclass]
    assert micro.name == "Data Literacy for Professionals"
    assert micro.is_micro_credentials is True
    assert micro.type_badge_class == "micro_credential"
    assert micro.issuer_entity_id == seed.issuer
    assert micro.created_at == datetime(2024, 9, 1, tzinfo=UTC)
    assert micro.model_extra is not None and micro.model_extra["ins_name_english"]
    assert classes[seed.private_badgeclass].is_private is True


def test_issuers_lists_only_issuers_you_may_award_for(connect: Connect, seed: Seed) -> None:
    issuers = connect().issuers()
    assert [i.entity_id for i in issuers] == [seed.issuer]
    assert issuers[0].name_english == "Computer Science"
    assert issuers[0].badgeclass_count == 4


def test_queries_need_a_teacher(connect: Connect, seed: Seed) -> None:
    with pytest.raises(EdubadgesPermissionError) as info:
        connect(token=seed.student_token).badge_classes()
    assert info.value.status == 403
    assert info.value.shape == "detail"


def test_unknown_token_is_an_auth_error(connect: Connect, fake: FakeEdubadges) -> None:
    with pytest.raises(EdubadgesAuthError) as info:
        connect(token="not-a-token").issuers()
    assert info.value.status == 403
    assert "Authentication credentials were not provided." in str(info.value)
    assert fake.requests[-1].user is None


# -- direct awards ---------------------------------------------------------------------------


def test_direct_award_creates_unaccepted_awards_as_edubadges_stores_them(
    connect: Connect, fake: FakeEdubadges, seed: Seed
) -> None:
    result = connect().direct_award(seed.badgeclass, [ANA, BOB], notify=False)
    assert result.ok
    assert result.entity_id is not None
    assert result.bundle_ids == (result.entity_id,)
    awards = fake.state.awards_for(seed.badgeclass)
    assert sorted((a.recipient_email, a.eppn, a.status) for a in awards) == [
        ("ana@uni.nl", "s1@uni.nl", "Unaccepted"),  # edubadges lower-cases both
        ("bob@uni.nl", "s2@uni.nl", "Unaccepted"),
    ]
    ana = next(a for a in awards if a.eppn == "s1@uni.nl")
    assert (ana.narrative, ana.evidence_url, ana.name, ana.description, ana.grade_achieved) == (
        "Well done",
        "https://evidence.example/thesis",
        "Thesis",
        "Her thesis",
        "8.5",
    )
    assert fake.state.bundles[result.entity_id].identifier_type == "eppn"


def test_direct_award_on_email_keeps_names_and_no_eppn(
    connect: Connect, fake: FakeEdubadges, seed: Seed
) -> None:
    result = connect().direct_award(seed.regular_badgeclass, [CARL], identifier_type="email")
    [award] = fake.state.awards_for(seed.regular_badgeclass)
    assert (award.eppn, award.first_name, award.surname) == (None, "Carl", "Clay")
    assert fake.state.bundles[result.entity_id or ""].identifier_type == "email"


def test_second_unaccepted_award_for_a_learner_is_refused_per_row(
    connect: Connect, fake: FakeEdubadges, seed: Seed
) -> None:
    client = connect()
    client.direct_award(seed.badgeclass, [BOB])
    result = client.direct_award(seed.badgeclass, [ANA, BOB])
    assert not result.ok
    [refused] = result.un_successful_direct_award
    assert refused.email == "bob@uni.nl"
    assert refused.eppn == "s2@uni.nl"
    assert "status Unaccepted already exists for badgeclass" in refused.error
    assert len(fake.state.awards_for(seed.badgeclass)) == 2


def test_every_row_refused_is_an_error_shaped_error(connect: Connect, seed: Seed) -> None:
    client = connect()
    client.direct_award(seed.badgeclass, [BOB])
    with pytest.raises(EdubadgesValidationError) as info:
        client.direct_award(seed.badgeclass, [BOB])
    assert info.value.shape == "error"
    assert "No valid DirectAwards are created" in str(info.value)


def test_direct_award_without_may_award_is_a_permission_error(
    connect: Connect, fake: FakeEdubadges, seed: Seed
) -> None:
    for token, badgeclass in (
        (seed.viewer_token, seed.badgeclass),
        (seed.token, seed.foreign_badgeclass),
    ):
        with pytest.raises(EdubadgesPermissionError) as info:
            connect(token=token).direct_award(badgeclass, [BOB])
        assert info.value.status == 400
        assert info.value.shape == "validation_error"
        assert info.value.server_code == "100"
    assert fake.state.direct_awards == {}


@pytest.mark.parametrize(
    ("which", "message"),
    [
        ("private_badgeclass", "is not published"),
        ("disabled_badgeclass", "Direct awarding disabled"),
    ],
)
def test_unpublished_or_disabled_badge_class_is_refused(
    connect: Connect, seed: Seed, which: str, message: str
) -> None:
    with pytest.raises(EdubadgesValidationError, match=message) as info:
        connect().direct_award(getattr(seed, which), [BOB])
    assert info.value.shape == "error"


def test_invalid_email_comes_back_as_drf_field_errors(connect: Connect, seed: Seed) -> None:
    with pytest.raises(EdubadgesValidationError) as info:
        connect().direct_award(seed.badgeclass, [BOB, Recipient(email="nope", eppn="x@uni.nl")])
    assert info.value.shape == "fields"
    assert info.value.fields == {
        "direct_awards[1].recipient_email": ["Enter a valid email address."]
    }


def test_unknown_badge_class_comes_back_as_a_field_error(connect: Connect) -> None:
    with pytest.raises(EdubadgesValidationError) as info:
        connect().direct_award("NOSUCHBADGECLASS", [BOB])
    assert info.value.fields == {
        "badgeclass": ["Object with entity_id=NOSUCHBADGECLASS does not exist."]
    }


def test_scheduled_award_is_held_as_scheduled_and_past_times_are_refused(
    connect: Connect, fake: FakeEdubadges, seed: Seed
) -> None:
    client = connect()
    later = datetime.now(UTC) + timedelta(days=3)
    result = client.direct_award(seed.badgeclass, [BOB], scheduled_at=later)
    assert fake.state.bundles[result.entity_id or ""].status == "Scheduled"
    assert [a.status for a in fake.state.awards_for(seed.badgeclass)] == ["Scheduled"]
    with pytest.raises(EdubadgesValidationError) as info:
        client.direct_award(seed.badgeclass, [ANA], scheduled_at=datetime(2020, 1, 1, tzinfo=UTC))
    assert info.value.fields == {"scheduled_at": ["Scheduled time must be in the future."]}


def test_direct_awards_lists_unclaimed_and_deleted(connect: Connect, seed: Seed) -> None:
    client = connect()
    client.direct_award(seed.badgeclass, [ANA, BOB])
    client.direct_award(seed.regular_badgeclass, [BOB])
    unclaimed = client.direct_awards(badgeclass=seed.badgeclass)
    assert sorted(u.recipient_email or "" for u in unclaimed) == ["ana@uni.nl", "bob@uni.nl"]
    assert {u.badgeclass_name for u in unclaimed} == {"Data Literacy for Professionals"}
    assert len(client.direct_awards()) == 3
    client.delete_direct_awards([unclaimed[0].entity_id], "in error")
    deleted = client.direct_awards(status="deleted")
    assert [d.entity_id for d in deleted] == [unclaimed[0].entity_id]


def test_skip_existing_awards_only_new_learners(connect: Connect, seed: Seed) -> None:
    client = connect()
    client.direct_award(seed.badgeclass, [BOB])
    result = client.direct_award(seed.badgeclass, [ANA, BOB], skip_existing=True)
    assert result.ok
    assert [p.recipient_email for p in result.already_present] == ["bob@uni.nl"]


# -- bundles, acceptance, revocation ----------------------------------------------------------


def test_bundle_reports_counts_direct_awards_and_claimed_assertions(
    connect: Connect, fake: FakeEdubadges, seed: Seed
) -> None:
    client = connect()
    result = client.direct_award(seed.badgeclass, [ANA, BOB, CARL])
    bundle = client.bundle(result.entity_id)
    assert (bundle.initial_total, bundle.status, bundle.direct_award_count) == (3, "Active", 3)
    assert bundle.badgeclass == "Data Literacy for Professionals"  # the name, not the id
    ids = {d.eppn: d.entity_id for d in bundle.direct_awards}
    assertion = fake.accept(ids["s1@uni.nl"], full_name="Ana Andromeda")
    client.delete_direct_awards([ids["s3@uni.nl"]], "left the programme")
    bundle = client.bundle(result.entity_id)
    assert bundle.assertion_count == 1
    assert bundle.direct_award_count == 1
    assert bundle.direct_award_deleted_count == 1
    [claimed] = bundle.badge_assertions
    assert (claimed.entity_id, claimed.full_name, claimed.revoked) == (
        assertion,
        "Ana Andromeda",
        False,
    )
    client.revoke_assertions([assertion], "Fraud detected")
    bundle = client.bundle(result.entity_id)
    assert (bundle.assertion_count, bundle.direct_award_revoked_count) == (0, 1)
    assert bundle.badge_assertions[0].revoked is True


def test_unknown_bundle_is_not_found_with_an_empty_body(connect: Connect) -> None:
    with pytest.raises(EdubadgesNotFoundError) as info:
        connect().bundle("NOSUCHBUNDLE")
    assert info.value.shape == "empty"


def test_delete_direct_awards_reports_rows_the_server_refused(
    connect: Connect, fake: FakeEdubadges, seed: Seed
) -> None:
    client = connect()
    client.direct_award(seed.badgeclass, [ANA, BOB])
    ana, bob = sorted(fake.state.awards_for(seed.badgeclass), key=lambda d: d.recipient_email)
    result = client.delete_direct_awards([ana.entity_id], "awarded in error")
    assert result.ok and result.requested == (ana.entity_id,)
    assert ana.status == "Deleted" and ana.revocation_reason == "awarded in error"
    mixed = client.delete_direct_awards([ana.entity_id, bob.entity_id], "again")
    assert [u.error for u in mixed.un_successful] == ["DirectAward has already been deleted"]
    with pytest.raises(EdubadgesValidationError, match="already been deleted") as info:
        client.delete_direct_awards([bob.entity_id], "once more")
    assert info.value.shape == "error"


def test_revoke_assertions_errors(connect: Connect, fake: FakeEdubadges, seed: Seed) -> None:
    client = connect()
    client.direct_award(seed.badgeclass, [ANA])
    [award] = fake.state.awards_for(seed.badgeclass)
    assertion = fake.accept(award.entity_id)
    with pytest.raises(EdubadgesPermissionError) as info:
        connect(token=seed.viewer_token).revoke_assertions([assertion], "no rights")
    assert (info.value.shape, info.value.server_code) == ("validation_error", "100")
    client.revoke_assertions([assertion], "Fraud detected")
    with pytest.raises(EdubadgesValidationError, match="already revoked"):
        client.revoke_assertions([assertion], "twice")
    with pytest.raises(EdubadgesValidationError, match="does not exist") as info2:
        client.revoke_assertions(["NOSUCHASSERTION", assertion], "unknown")
    assert "stops at the first failure" in str(info2.value)


# -- public Open Badges 2.0 JSON ---------------------------------------------------------------


def test_public_badge_class_with_micro_expansion_and_extensions(
    connect: Connect, fake: FakeEdubadges, seed: Seed
) -> None:
    badge = connect().public_badge_class(seed.badgeclass)
    assert badge.id == f"{fake.base_url}/public/badges/{seed.badgeclass}"
    assert badge.extensions["extensions:ECTSExtension"]["ECTS"] == 5
    assert badge.extensions["extensions:EQFExtension"]["EQF"] == 6
    assert badge.model_extra is not None
    assert badge.model_extra["participation"] == "blended,online"
    assert badge.to_json()["@context"] == "https://w3id.org/openbadges/v2"
    plain = connect().public_badge_class(seed.badgeclass, expand=[])
    assert "participation" not in (plain.model_extra or {})


def test_public_badge_class_keeps_the_reference_example_intact(
    connect: Connect, fake: FakeEdubadges, seed: Seed
) -> None:
    example = load_reference_json(
        "edubadges", "examples", "badgeclass-ob2-public.microcredential.json"
    )
    example.pop("_comment")
    fake.state.badge_classes[seed.badgeclass].public_json = example
    badge = connect().public_badge_class(seed.badgeclass)
    assert badge.to_json() == example
    assert set(badge.extensions) == {k for k in example if k.startswith("extensions:")}


def test_private_or_unknown_badge_class_is_not_found(connect: Connect, seed: Seed) -> None:
    for entity_id in (seed.private_badgeclass, "NOSUCH"):
        with pytest.raises(EdubadgesNotFoundError) as info:
            connect().public_badge_class(entity_id)
        assert info.value.shape == "detail"


def test_public_assertion_has_a_verifiable_hashed_recipient_and_shows_revocation(
    connect: Connect, fake: FakeEdubadges, seed: Seed
) -> None:
    client = connect()
    client.direct_award(seed.badgeclass, [ANA])
    [award] = fake.state.awards_for(seed.badgeclass)
    assertion_id = fake.accept(award.entity_id)
    assertion = client.public_assertion(assertion_id)
    recipient = assertion.recipient or {}
    expected = hashlib.sha256(("ana@uni.nl" + recipient["salt"]).encode()).hexdigest()
    assert recipient["identity"] == f"sha256${expected}"
    assert assertion.badge == f"{fake.base_url}/public/badges/{seed.badgeclass}"
    assert assertion.revoked is False
    client.revoke_assertions([assertion_id], "Fraud detected")
    revoked = client.public_assertion(assertion_id)
    assert (revoked.revoked, revoked.revocation_reason) == (True, "Fraud detected")
    assert revoked.badge is None


def test_private_assertion_is_not_found(connect: Connect, fake: FakeEdubadges, seed: Seed) -> None:
    client = connect()
    client.direct_award(seed.badgeclass, [ANA])
    [award] = fake.state.awards_for(seed.badgeclass)
    hidden = fake.accept(award.entity_id, public=False)
    with pytest.raises(EdubadgesNotFoundError):
        client.public_assertion(hidden)


# -- OAuth2 client credentials ------------------------------------------------------------------


def test_client_credentials_against_the_token_endpoint(
    connect: Connect, fake: FakeEdubadges, seed: Seed
) -> None:
    client = connect(
        token=None,
        client_id=seed.client_id,
        client_secret=seed.client_secret,
        token_url=fake.token_url,
    )
    result = client.direct_award(seed.badgeclass, [BOB])
    assert result.ok
    assert fake.token_requests >= 1
    assert fake.calls("POST", "/directaward/create")[0].user == "sis"
    with pytest.raises(EdubadgesAuthError) as info:
        connect(
            token=None, client_id=seed.client_id, client_secret="wrong", token_url=fake.token_url
        ).issuers()
    assert info.value.server_code == "invalid_client"


def test_tokens_are_refreshed_before_they_expire_and_after_revocation(seed: Seed) -> None:
    now = [1_000_000.0]
    with FakeEdubadges(clock=lambda: now[0], token_lifetime=100) as fake:
        fake.seed_defaults()
        with EdubadgesClient(
            base_url=fake.base_url,
            client_id=seed.client_id,
            client_secret=seed.client_secret,
            token_url=fake.token_url,
            clock=lambda: now[0],
        ) as client:
            client.issuers()
            now[0] += 95  # the client renews within the last tenth of the lifetime...
            client.issuers()
            assert fake.token_requests == 2
            assert all(r.status == 200 for r in fake.calls("GET", "/queries"))
            fake.revoke_tokens()  # ...and once more when a token is refused
            client.issuers()
            assert fake.token_requests == 3
            assert [r.status for r in fake.calls("GET", "/queries")] == [200, 200, 403, 200]
        assert fake.internal_errors == []


# -- what the fake enforces even when the client would not send it -------------------------------


def test_fake_requires_revocation_reason_and_lists(fake: FakeEdubadges, seed: Seed) -> None:
    headers = {"Authorization": f"Bearer {seed.token}"}
    with httpx.Client(base_url=fake.base_url, headers=headers) as raw:
        answer = raw.post("/issuer/revoke-assertions", json={"assertions": [{"entity_id": "x"}]})
        assert answer.status_code == 400
        assert answer.json() == {
            "detail": "validation_error",
            "fields": {
                "error_message": {
                    "revocation_reason": [
                        {"error_message": "This field is required", "error_code": "999"}
                    ]
                },
                "error_code": "999",
            },
        }
        answer = raw.put("/directaward/delete-direct-awards", json={"revocation_reason": "x"})
        assert answer.json()["fields"]["error_message"] == {
            "direct_awards": [{"error_message": "This field is required", "error_code": "999"}]
        }
        answer = raw.post("/directaward/create", json={"badgeclass": seed.badgeclass})
        assert answer.json() == {
            "notify_recipients": ["This field is required."],
            "direct_awards": ["This field is required."],
        }
        answer = raw.get(f"/public/badges/{seed.badgeclass}", headers={"Accept": "text/html"})
        assert answer.status_code == 302


def test_client_refuses_an_empty_reason_before_sending(
    connect: Connect, fake: FakeEdubadges
) -> None:
    with pytest.raises(ValueError, match="reason is required"):
        connect().revoke_assertions(["A1"], " ")
    assert fake.requests == []


def test_no_credential_appears_in_logs_over_real_http(
    fake: FakeEdubadges, seed: Seed, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # httpx and httpcore included
    with EdubadgesClient(
        base_url=fake.base_url,
        client_id=seed.client_id,
        client_secret=seed.client_secret,
        token_url=fake.token_url,
        sleep=lambda s: None,
    ) as client:
        client.direct_award(seed.badgeclass, [ANA])
        fake.revoke_tokens()
        client.issuers()
        text = "\n".join(f"{r.name} {r.getMessage()}" for r in caplog.records)
        issued = [t for t in fake._tokens]  # noqa: SLF001 - whitebox: the access tokens
        assert "httpx" in text  # the capture saw the transport's own log lines
        for secret in [seed.client_secret, seed.token, *issued]:
            assert secret not in text
            assert secret not in repr(client)


# -- the example program ----------------------------------------------------------------------


def test_example_awards_a_cohort_polls_and_cleans_up(
    fake: FakeEdubadges, seed: Seed, capsys: pytest.CaptureFixture[str]
) -> None:
    csv_path = reference_path("edubadges", "misc", "sample_direct_award.csv")
    spec = importlib.util.spec_from_file_location(
        "edubadges_award_cohort", PROJECT / "examples" / "edubadges_award_cohort.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    code = module.main(
        [
            "--base-url",
            fake.base_url,
            "--token",
            seed.token,
            "--badgeclass",
            seed.badgeclass,
            "--delete-unclaimed",
            "demo run: awarded by mistake",
            str(csv_path),
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "Awarded 4 of 4 learners" in out
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary == {
        "bundle": summary["bundle"],
        "awarded": 4,
        "already_present": 0,
        "refused": 0,
        "unclaimed": 4,
        "deleted": 4,
    }
    statuses = sorted(a.status for a in fake.state.awards_for(seed.badgeclass))
    assert statuses == ["Deleted"] * 4
    assert len(read_recipients_csv(csv_path)) == 4


def test_example_can_be_rerun_without_awarding_anyone_twice(
    fake: FakeEdubadges, seed: Seed, capsys: pytest.CaptureFixture[str]
) -> None:
    csv_path = reference_path("edubadges", "misc", "sample_direct_award_email_only.csv")
    spec = importlib.util.spec_from_file_location(
        "edubadges_award_cohort", PROJECT / "examples" / "edubadges_award_cohort.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    argv = ["--base-url", fake.base_url, "--badgeclass", seed.badgeclass, str(csv_path)]
    for _ in range(2):
        assert module.main([*argv, "--token", seed.token]) == 0
    last = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert last["awarded"] == 0 and last["already_present"] == 4
    assert len(fake.state.awards_for(seed.badgeclass)) == 4
    # A third run cleans up: the awards held from earlier runs are deleted as well.
    assert module.main([*argv, "--token", seed.token, "--delete-unclaimed", "test run"]) == 0
    last = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (last["unclaimed"], last["deleted"]) == (4, 4)
    assert {a.status for a in fake.state.awards_for(seed.badgeclass)} == {"Deleted"}
    assert module.main([*argv, "--token", "wrong"]) == 1
    assert "edubadges_auth" in capsys.readouterr().err
