"""``mcbadge issue … --data-dir DIR``: status entries from the service's store.

A credential issued from the command line takes its index from the store the service uses,
is in its issuance log, is revoked by ``mcbadge status revoke --data-dir``, and the list the
service then serves over loopback HTTP shows it revoked to ``mcbadge verify``. The CLI runs as
a real subprocess.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import httpx
import pytest

from mcbadge.keys import KeyPair
from mcbadge.service import BackgroundServer, create_app
from mcbadge.store import open_store
from tests.conftest import PROJECT_ROOT
from tests.integration.test_cli import EXAMPLES, error_code, mcbadge, ok_json

KEY = PROJECT_ROOT / "tests" / "keys" / "ed25519.pem"
PUBLIC = "https://badges.hs-voorbeeld.nl"


def _learner(tmp_path: Path, name: str, credential_id: str) -> Path:
    unit = tomllib.loads((EXAMPLES / "cohort.unit.toml").read_text(encoding="utf-8"))
    document = {**unit, "learner": {"name": name}, "result": {"grade": "8"}, "id": credential_id}
    path = tmp_path / f"{name.split()[0].lower()}.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _issue(
    tmp_path: Path,
    source: Path,
    *extra: Any,
    json_out: bool = True,
    env: dict[str, str] | None = None,
) -> Any:
    flags = ("--json",) if json_out else ()
    return mcbadge(
        "issue", source, "--key", KEY, "--out", tmp_path / "out", *extra, *flags, env=env
    )


def test_cli_issue_allocates_from_the_store_and_status_revoke_covers_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    jan = _learner(tmp_path, "Jan Jansen", "urn:uuid:0f4a2c3e-6d1b-4a57-9a4e-7c1de3f0a111")
    piet = _learner(tmp_path, "Piet Pieters", "urn:uuid:0f4a2c3e-6d1b-4a57-9a4e-7c1de3f0a222")

    # an empty store has no list: without --public-url the CLI cannot name one
    bare = _issue(tmp_path, jan, "--data-dir", data, json_out=False)
    assert bare.returncode != 0 and error_code(bare) == "store_status_not_configured"
    assert not (tmp_path / "out" / "jan.json").exists()

    first = ok_json(_issue(tmp_path, jan, "--data-dir", data, "--public-url", PUBLIC))
    # the second reads the public URL back from the store's current list
    second = ok_json(_issue(tmp_path, piet, "--data-dir", data))
    list_url = f"{PUBLIC}/status/revocation/1"
    credentials = {}
    for info in (first, second):
        (entry,) = info["credentialStatus"]
        assert entry["statusListCredential"] == list_url
        assert entry["statusPurpose"] == "revocation"
        credential = json.loads(Path(info["out"]).read_text(encoding="utf-8"))
        assert credential["credentialStatus"] == entry and credential["proof"]
        credentials[info["id"]] = credential
    assert first["status_list_index"] != second["status_list_index"]

    with open_store(data_dir=data) as store:
        assert store.issuance_count() == 2
        (logged,) = store.issuances(first["id"])
        assert logged.format == "di" and json.loads(logged.credential) == credentials[first["id"]]
        assert [a.index for a in logged.statuses] == [first["status_list_index"]]

    revoked = ok_json(
        mcbadge("status", "revoke", "--data-dir", data, "--credential-id", first["id"], "--json")
    )
    assert [(c["statusListIndex"], c["changed"]) for c in revoked["changes"]] == [
        (first["status_list_index"], True)
    ]

    # the service on that store serves the list; verify reads it from a file
    key = KeyPair.from_pem(KEY.read_bytes())
    with open_store(data_dir=data) as store:
        app = create_app(key=key, store=store, public_url=PUBLIC)
        with BackgroundServer(app) as server:
            served = httpx.get(server.url + "/status/revocation/1", timeout=30)
    assert served.status_code == 200, served.text
    (tmp_path / "list.json").write_bytes(served.content)
    status_list = f"{list_url}={tmp_path / 'list.json'}"
    bad = mcbadge("verify", first["out"], "--status-list", status_list, "--json")
    assert bad.returncode != 0 and json.loads(bad.stdout)["verified"] is False
    assert "revoked" in bad.stdout
    good = ok_json(mcbadge("verify", second["out"], "--status-list", status_list, "--json"))
    assert good["verified"] is True


def test_cli_issue_jwt_suspension_from_the_store(tmp_path: Path) -> None:
    data = tmp_path / "data"
    jan = _learner(tmp_path, "Jan Jansen", "urn:uuid:0f4a2c3e-6d1b-4a57-9a4e-7c1de3f0a333")
    common = ("--data-dir", data, "--public-url", PUBLIC, "--format", "jwt")
    # OB 3.0's schema allows one credentialStatus object: two purposes are refused up front
    both = _issue(tmp_path, jan, *common, "--status", "revocation,suspension", json_out=False)
    assert both.returncode != 0 and error_code(both) == "status_purposes_unsupported"
    with open_store(data_dir=data) as store:
        assert store.status_lists() == []  # nothing allocated
    info = ok_json(_issue(tmp_path, jan, *common, "--status", "suspension"))
    assert [e["statusPurpose"] for e in info["credentialStatus"]] == ["suspension"]
    assert info["credentialStatus"][0]["statusListCredential"] == f"{PUBLIC}/status/suspension/1"
    with open_store(data_dir=data) as store:
        (logged,) = store.issuances(info["id"])
        assert logged.format == "jwt"
        assert logged.credential == Path(info["out"]).read_text(encoding="utf-8").strip()
    suspended = ok_json(
        mcbadge("status", "suspend", "--data-dir", data, "--credential-id", info["id"], "--json")
    )
    assert [(c["action"], c["changed"]) for c in suspended["changes"]] == [("suspend", True)]


@pytest.mark.parametrize(
    "extra",
    [
        ("--status-state", "status.json"),
        ("--status-list", "https://x.nl/status/1"),
        ("--database", "sqlite:///tmp/x.sqlite3"),
    ],
)
def test_cli_issue_refuses_a_store_with_another_status_source(
    tmp_path: Path, extra: tuple[str, str]
) -> None:
    jan = _learner(tmp_path, "Jan Jansen", "urn:uuid:0f4a2c3e-6d1b-4a57-9a4e-7c1de3f0a444")
    both = _issue(tmp_path, jan, "--data-dir", tmp_path / "data", *extra, json_out=False)
    assert both.returncode != 0 and error_code(both) == "invalid_option"
    assert not (tmp_path / "data").exists()


def test_cli_issue_store_options_need_a_store(tmp_path: Path) -> None:
    jan = _learner(tmp_path, "Jan Jansen", "urn:uuid:0f4a2c3e-6d1b-4a57-9a4e-7c1de3f0a555")
    alone = _issue(tmp_path, jan, "--public-url", PUBLIC, json_out=False)
    assert alone.returncode != 0 and error_code(alone) == "invalid_option"


def test_cli_issue_cohort_on_the_store_then_revoke_one(tmp_path: Path) -> None:
    data = tmp_path / "data"
    common = ("--key", KEY, "--out", tmp_path / "out", "--data-dir", data, "--json")
    bare = mcbadge("issue", EXAMPLES / "cohort.csv", *common[:-1])
    assert bare.returncode != 0 and error_code(bare) == "store_status_not_configured"
    assert not (tmp_path / "out").exists()
    result = ok_json(mcbadge("issue", EXAMPLES / "cohort.csv", *common, "--public-url", PUBLIC))
    assert result["issued"] == 3 and result["failed"] == 0
    docs = [
        json.loads(p.read_text(encoding="utf-8")) for p in sorted((tmp_path / "out").glob("0*"))
    ]
    entries = [d["credentialStatus"] for d in docs]
    assert {e["statusListCredential"] for e in entries} == {f"{PUBLIC}/status/revocation/1"}
    assert len({e["statusListIndex"] for e in entries}) == 3
    # running it again resumes: nothing new is allocated or logged
    again = ok_json(mcbadge("issue", EXAMPLES / "cohort.csv", *common))
    assert again["issued_this_run"] == 0
    with open_store(data_dir=data) as store:
        assert store.issuance_count() == 3
        (info,) = store.status_lists()
        assert info.allocated == 3
    revoked = ok_json(
        mcbadge("status", "revoke", "--data-dir", data, "--credential-id", docs[1]["id"], "--json")
    )
    assert [c["statusListIndex"] for c in revoked["changes"]] == [
        int(entries[1]["statusListIndex"])
    ]


@pytest.mark.postgres
def test_cli_issue_cohort_with_workers_on_postgresql(tmp_path: Path) -> None:
    from tests.pgserver import PostgresServer

    with PostgresServer() as server:
        url = server.url
        common = ("--key", KEY, "--database", url, "--public-url", PUBLIC, "--json")
        out = tmp_path / "out"
        result = ok_json(
            mcbadge("issue", EXAMPLES / "cohort.csv", "--out", out, "--workers", "2", *common)
        )
        assert result["issued"] == 3
        jan = _learner(tmp_path, "Jan Jansen", "urn:uuid:0f4a2c3e-6d1b-4a57-9a4e-7c1de3f0a666")
        single = ok_json(mcbadge("issue", jan, "--out", tmp_path / "one", *common))
        docs = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(out.glob("0*"))]
        indexes = {d["credentialStatus"]["statusListIndex"] for d in docs}
        assert len(indexes | {str(single["status_list_index"])}) == 4
        with open_store(url) as store:
            assert store.issuance_count() == 4
        revoked = ok_json(
            mcbadge(
                "status", "revoke", "--database", url, "--credential-id", single["id"], "--json"
            )
        )
        assert [c["changed"] for c in revoked["changes"]] == [True]


def test_an_explicit_data_dir_beats_the_database_in_the_environment(tmp_path: Path) -> None:
    jan = _learner(tmp_path, "Jan Jansen", "urn:uuid:0f4a2c3e-6d1b-4a57-9a4e-7c1de3f0a777")
    info = ok_json(
        _issue(
            tmp_path,
            jan,
            "--data-dir",
            tmp_path / "data",
            "--public-url",
            PUBLIC,
            env={"MCBADGE_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"},
        )
    )
    with open_store(data_dir=tmp_path / "data") as store:
        assert [r.credential_id for r in store.issuances(info["id"])] == [info["id"]]
