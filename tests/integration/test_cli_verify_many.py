"""``mcbadge verify`` for real verification work: many files, a summary, local status lists.

Run in-process through ``mcbadge.cli.main`` (the same entry the console script calls), so
that standard error can be a terminal for the progress bar.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from mcbadge.batch import Cohort, StatusListState, issue_batch, load_unit
from mcbadge.cli import main
from mcbadge.cli.verify_files import cli_text, collect_inputs, verify_each
from mcbadge.keys import KeyPair
from tests.conftest import PROJECT_ROOT
from tests.unit.test_verify import ob3_credential, sign

STATUS_URL = "https://www.hs-voorbeeld.nl/status/7"
KEY = KeyPair.from_seed(bytes(range(7, 39)))


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def cohort_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three issued credentials with status entries, the state, and a nested bad file."""
    root = tmp_path_factory.mktemp("cohort")
    StatusListState.create(STATUS_URL).save(root / "status.json")
    unit = load_unit(PROJECT_ROOT / "examples" / "cohort.unit.toml")
    rows = [
        {"name": name, "email": f"{name.split()[0].lower()}@student.hs-voorbeeld.nl", "grade": g}
        for name, g in (("Jan Jansen", "8"), ("Piet Puk", "7,5"), ("Sara Smit", "9"))
    ]
    result = issue_batch(
        Cohort.from_records(unit, rows),
        KEY,
        out_dir=root / "out",
        status_state=root / "status.json",
        cryptosuite="eddsa-jcs-2022",
        handle_signals=False,
    )
    assert result.ok
    nested = root / "out" / "extra"
    nested.mkdir()
    tampered = sign(ob3_credential())
    tampered["name"] = "Something else"
    (nested / "tampered.json").write_text(json.dumps(tampered), encoding="utf-8")
    (nested / "notes.txt").write_text("not a credential", encoding="utf-8")
    (nested / ".hidden.json").write_text("{}", encoding="utf-8")
    return root


def test_folders_are_walked_and_skip_hidden_and_batch_files(cohort_dir: Path) -> None:
    found = [
        Path(p).relative_to(cohort_dir / "out").as_posix()
        for p in collect_inputs([str(cohort_dir / "out")])
    ]
    assert found == [
        "000001-jan-jansen.json",
        "000002-piet-puk.json",
        "000003-sara-smit.json",
        "extra/notes.txt",
        "extra/tampered.json",
    ]


def test_many_files_print_a_line_each_and_a_summary_by_code(
    cohort_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = str(cohort_dir / "out")
    code, out, err = _cli(capsys, "verify", out_dir, "--skip-status")
    assert code == 1
    lines = out.splitlines()
    assert [line.split()[0] for line in lines[:5]] == ["ok", "ok", "ok", "ERROR", "FAIL"]
    assert "proof[0].signature (signature_invalid)" in lines[4]
    assert "4 not a credential" not in out
    assert "5 file(s): 3 verified, 1 not verified, 1 not a credential" in out
    assert "signature_invalid" in out and "input_unrecognized" in out
    assert "\r" not in err  # no progress bar when stderr is not a terminal

    code, out, _ = _cli(capsys, "--json", "verify", out_dir, "--skip-status")
    data = json.loads(out)
    assert code == 1
    assert data["summary"] == {
        "total": 5,
        "verified": 3,
        "not_verified": 1,
        "unreadable": 1,
        "failures_by_code": {"input_unrecognized": 1, "signature_invalid": 1},
    }
    assert [r["verified"] for r in data["results"]] == [True, True, True, False, False]
    assert data["results"][4]["failed"][0] == {
        "check": "proof[0].signature",
        "code": "signature_invalid",
        "message": data["results"][4]["failed"][0]["message"],
    }


def test_progress_bar_is_drawn_on_a_terminal(
    cohort_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    main(["verify", str(cohort_dir / "out"), "--skip-status"])
    drawn = terminal.getvalue()
    assert "\r[" in drawn and "5/5" in drawn


def test_a_local_status_list_file_checks_revocation_offline(
    cohort_dir: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    state = tmp_path / "status.json"
    state.write_bytes((cohort_dir / "status.json").read_bytes())
    key_file = tmp_path / "issuer.pem"
    key_file.write_bytes(KEY.to_pem())
    piet = cohort_dir / "out" / "000002-piet-puk.json"
    code, out, _ = _cli(capsys, "status", "revoke", str(state), "--credential", str(piet))
    assert code == 0
    assert "Piet Puk" in out and "row 2 (line 2)" in out and "000002-piet-puk.json" in out
    code, out, _ = _cli(capsys, "--json", "status", "revoke", str(state), "--credential", str(piet))
    assert json.loads(out)["credentials"][0]["learner"] == "Piet Puk"

    listing = tmp_path / "list.json"
    code, _, _ = _cli(
        capsys, "status", "publish", str(state), "--key", str(key_file), "--out", str(listing)
    )
    assert code == 0
    files = [
        str(cohort_dir / "out" / f"00000{n}-{s}.json")
        for n, s in ((1, "jan-jansen"), (2, "piet-puk"), (3, "sara-smit"))
    ]
    code, out, _ = _cli(capsys, "verify", *files, "--status-list", f"{STATUS_URL}={listing}")
    assert code == 1
    assert out.splitlines()[:3] == [
        f"ok     {files[0]}",
        f"FAIL   {files[1]}: status (revoked)",
        f"ok     {files[2]}",
    ]


def test_hints_name_the_command_flags_not_python_arguments(
    cohort_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = str(cohort_dir / "out" / "000001-jan-jansen.json")
    code, out, _ = _cli(capsys, "verify", one)
    assert code == 1
    flat = " ".join(out.split())
    assert "--status-list URL=FILE or --allow-network, or --skip-status" in flat
    for python in ("skip_status=", "allow_network=", "status_fetcher=", "fetcher="):
        assert python not in flat
    assert (
        cli_text("(to trust the key offline: keys={'did:web:x#k': PublicKey}; CLI: --key VM=KEY)")
        == "(to trust the key offline: --key VM=KEY)"
    )


def test_status_create_refuses_a_url_that_is_not_https(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for url in ("http://www.hs-voorbeeld.nl/status/1", "ftp://x/1", "https:///nohost"):
        code, _, err = _cli(
            capsys, "status", "create", "--url", url, "--out", str(tmp_path / "s.json")
        )
        assert code == 2
        assert "[status_url_not_https]" in err
        assert not (tmp_path / "s.json").exists()


def test_the_loop_is_one_function_over_an_iterable_of_inputs(tmp_path: Path) -> None:
    seen: list[bytes] = []

    def check(data: bytes) -> Any:
        seen.append(data)
        raise __import__("mcbadge").errors.InvalidInputError("no", code="input_unrecognized")

    paths = []
    for n in range(3):
        path = tmp_path / f"{n}.json"
        path.write_bytes(str(n).encode())
        paths.append(str(path))
    outcomes = list(verify_each(iter(paths), check))
    assert [o.source for o in outcomes] == paths
    assert seen == [b"0", b"1", b"2"]
    assert all(o.codes == ["input_unrecognized"] for o in outcomes)


def test_workers_give_the_same_lines_and_summary_as_one_process(
    cohort_dir: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    sources = sorted(p for p in (cohort_dir / "out").rglob("*") if p.suffix in (".json", ".txt"))
    sources = [p for p in sources if not p.name.startswith((".", "mcbadge-"))]
    many = tmp_path / "many"
    many.mkdir()
    for n in range(100):  # more than a few chunks of 32, so the workers really share them
        source = sources[n % len(sources)]
        (many / f"{n:03d}-{source.name}").write_bytes(source.read_bytes())
    outputs = {}
    for workers in ("1", "2"):
        code, out, _ = _cli(capsys, "verify", str(many), "--skip-status", "--workers", workers)
        json_code, json_out, _ = _cli(
            capsys, "--json", "verify", str(many), "--skip-status", "--workers", workers
        )
        outputs[workers] = (code, out, json_code, json.loads(json_out))
    assert outputs["1"] == outputs["2"]
    code, out, _, data = outputs["2"]
    assert code == 1 and data["summary"]["total"] == 100
    assert data["summary"]["verified"] == 60  # 3 of every 5 files


def test_workers_below_one_are_refused(
    cohort_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _cli(capsys, "verify", str(cohort_dir / "out"), "--workers", "0")
    assert code == 2 and "[invalid_option]" in err


def test_every_hint_needs_an_equals_sign_or_allow_the_network() -> None:
    """cli_text skips the rewording of messages without either (most of a folder's messages)."""
    from mcbadge.cli.verify_files import _HINTS

    for pattern, _ in _HINTS:
        assert "=" in pattern.pattern or "allow the network" in pattern.pattern, pattern
    assert cli_text("valid against the schema") == "valid against the schema"
