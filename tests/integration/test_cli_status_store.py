"""``mcbadge status`` on the service's store: migrate a JSON state, show, revoke; served after.

The CLI runs as a real subprocess (``python -m mcbadge.cli``), the service over loopback HTTP.
"""

from __future__ import annotations

from pathlib import Path

import httpx

from mcbadge.batch import StatusListState
from mcbadge.keys import KeyPair
from mcbadge.service import BackgroundServer, create_app
from mcbadge.status import BitstringStatusList
from mcbadge.store import open_store
from tests.conftest import PROJECT_ROOT
from tests.integration.test_cli import error_code, mcbadge, ok_json

LIST_URL = "https://www.hs-voorbeeld.nl/status/1"


def _state_with_indexes(path: Path) -> tuple[list[int], int]:
    """A JSON state (as `mcbadge status create` + issuing leave it): 3 indexes, 1 revoked."""
    assert ok_json(mcbadge("status", "create", "--url", LIST_URL, "--out", path, "--json"))
    with StatusListState.edit(path) as state:
        used = state.allocator.allocate_many(3)
        state.status_list.revoke(used[0])
    return sorted(used), used[0]


def test_status_migrate_imports_a_state_file_into_the_store(tmp_path: Path) -> None:
    state = tmp_path / "status.json"
    used, revoked = _state_with_indexes(state)
    before = state.read_bytes()
    data = tmp_path / "data"

    imported = ok_json(mcbadge("status", "migrate", state, "--data-dir", data, "--json"))
    assert imported["imported"] == [
        {"state": str(state), "url": LIST_URL, "purpose": "revocation", "allocated": 3, "set": 1}
    ]
    assert state.read_bytes() == before  # the file is left as it was

    shown = ok_json(mcbadge("status", "show", "--data-dir", data, "--json"))
    (listed,) = shown["lists"]
    assert listed["url"] == LIST_URL and listed["set"] == [revoked]
    assert listed["allocated"] == 3 and listed["allocating"] is False
    with open_store(data_dir=data) as store:
        assert store.allocated_indexes(LIST_URL) == used

    # a second import of the same list is refused, not merged
    again = mcbadge("status", "migrate", state, "--data-dir", data)
    assert again.returncode != 0 and error_code(again) == "status_list_exists"

    # revoke one more through the store; the JSON file is not touched
    other = used[1] if used[1] != revoked else used[2]
    changed = ok_json(
        mcbadge(
            "status",
            "revoke",
            "--data-dir",
            data,
            "--list",
            LIST_URL,
            str(other),
            "--reason",
            "fraud",
            "--json",
        )
    )
    assert [c["changed"] for c in changed["changes"]] == [True]
    assert state.read_bytes() == before

    # the service with that store serves the migrated list, signed, with both bits set
    key = KeyPair.from_pem((PROJECT_ROOT / "tests" / "keys" / "ed25519.pem").read_bytes())
    with open_store(data_dir=data) as store:
        app = create_app(key=key, store=store, public_url="https://www.hs-voorbeeld.nl")
        with BackgroundServer(app) as server:
            served = httpx.get(server.url + "/status/1", timeout=30)
    assert served.status_code == 200, served.text
    document = served.json()
    assert document["id"] == LIST_URL and document["proof"]
    bits = BitstringStatusList.decode(document["credentialSubject"]["encodedList"])
    assert bits.nonzero_indexes() == sorted([revoked, other])


def test_status_commands_on_a_store_name_credentials_by_id(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with open_store(data_dir=data) as store:
        store.allocate(
            ("revocation", "suspension"),
            url_for=lambda purpose, n: f"https://badges.example/status/{purpose}/{n}",
            length=131072,
            issuance_id="i-1",
            credential_id="urn:uuid:piet",
        )
    suspended = ok_json(
        mcbadge(
            "status", "suspend", "--data-dir", data, "--credential-id", "urn:uuid:piet", "--json"
        )
    )
    assert [c["action"] for c in suspended["changes"]] == ["suspend"]
    back = ok_json(
        mcbadge(
            "status", "reinstate", "--data-dir", data, "--credential-id", "urn:uuid:piet", "--json"
        )
    )
    assert [c["changed"] for c in back["changes"]] == [True]
    missing = mcbadge("status", "revoke", "--data-dir", data, "--credential-id", "urn:uuid:x")
    assert missing.returncode != 0 and error_code(missing) == "status_entry_not_found"
    neither = mcbadge("status", "revoke", "7")
    assert neither.returncode != 0 and error_code(neither) == "invalid_option"
