"""Crash test: a 2,000-row batch killed with SIGKILL at random moments, resumed each time.

``mcbadge issue`` runs as a user runs it (a subprocess with ``--workers 2``); the test kills
its whole process group (parent and workers: a ``kill -9`` or a power cut) at seeded random
moments -- once while it is still starting, then at random points of its progress -- and
runs it again. At the end there must be exactly 2,000 credentials, one per row, that all
verify, with 2,000 distinct credential ids and status list indexes, every index marked as used
in the status list state.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from mcbadge.batch import JOURNAL_NAME, StatusListState
from mcbadge.keys import KeyPair
from mcbadge.proofs import verify_proofs
from tests.conftest import PROJECT_ROOT

ROWS = 2000
KILLS = 5
SEED = 20261123
STATUS_URL = "https://www.hs-voorbeeld.nl/status/1"


def _command(tmp_path: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "mcbadge.cli",
        "issue",
        str(tmp_path / "cohort.csv"),
        "--key",
        str(tmp_path / "issuer.pem"),
        "--out",
        str(tmp_path / "out"),
        "--workers",
        "2",
        "--status-state",
        str(tmp_path / "status.json"),
        "--json",
    ]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(PROJECT_ROOT / "src"), env.get("PYTHONPATH", "")])
    return env


def _done_count(journal: Path) -> int:
    try:
        return journal.read_bytes().count(b'"t":"done"')
    except FileNotFoundError:
        return 0


def _kill_run(tmp_path: Path, *, after_seconds: float | None, after_done: int | None) -> int:
    """Start the batch and SIGKILL its process group at the moment given; return rows done."""
    journal = tmp_path / "out" / JOURNAL_NAME
    process = subprocess.Popen(
        _command(tmp_path),
        cwd=PROJECT_ROOT,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    started = time.monotonic()
    try:
        while process.poll() is None and time.monotonic() - started < 60:
            if after_seconds is not None and time.monotonic() - started >= after_seconds:
                break
            if after_done is not None and _done_count(journal) >= after_done:
                break
            time.sleep(0.005)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode in (-signal.SIGKILL, 0), stderr.decode(errors="replace")
    return _done_count(journal)


@pytest.mark.slow
def test_sigkilled_batch_resumes_to_exactly_one_verifying_credential_per_row(
    tmp_path: Path,
) -> None:
    rng = random.Random(SEED)
    key = KeyPair.from_seed(rng.randbytes(32))
    (tmp_path / "issuer.pem").write_bytes(key.to_pem())
    StatusListState.create(STATUS_URL).save(tmp_path / "status.json")
    unit = (PROJECT_ROOT / "examples" / "cohort.unit.toml").read_text(encoding="utf-8")
    (tmp_path / "cohort.unit.toml").write_text(unit, encoding="utf-8")
    lines = ["name,email,student_number,grade"]
    lines += [f"Learner {n},l{n}@student.hs-voorbeeld.nl,{100000 + n},7.5" for n in range(ROWS)]
    (tmp_path / "cohort.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")

    # one kill while the run is still starting, the others at random points of its progress
    done = _kill_run(tmp_path, after_seconds=rng.uniform(0.3, 1.2), after_done=None)
    targets = sorted(rng.sample(range(100, ROWS - 100), KILLS - 1))
    history = [done]
    for target in targets:
        done = _kill_run(tmp_path, after_seconds=None, after_done=max(target, done + 1))
        history.append(done)
    assert history[-1] < ROWS, f"the runs finished before the last kill: {history}"

    final = subprocess.run(
        _command(tmp_path),
        cwd=PROJECT_ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert final.returncode == 0, final.stderr
    summary = json.loads(final.stdout)
    assert (summary["rows"], summary["issued"], summary["failed"]) == (ROWS, ROWS, 0)

    out = tmp_path / "out"
    names = sorted(p.name for p in out.iterdir())
    files = [n for n in names if n[0].isdigit()]
    assert len(files) == ROWS
    assert [n for n in names if not n[0].isdigit()] == [
        "mcbadge-batch.jsonl",
        "mcbadge-summary.json",
    ]
    credentials = [json.loads((out / name).read_bytes()) for name in files]
    namespace = uuid.UUID(summary["batch"])
    assert [c["id"] for c in credentials] == [
        f"urn:uuid:{uuid.uuid5(namespace, f'row-{n}')}" for n in range(1, ROWS + 1)
    ]
    indexes = {int(c["credentialStatus"]["statusListIndex"]) for c in credentials}
    assert len(indexes) == ROWS
    state = StatusListState.load(tmp_path / "status.json")
    assert all(state.allocator.is_allocated(index) for index in indexes)
    assert state.allocator.allocated_count - ROWS <= KILLS * 256  # a crash wastes a block at most
    failed = [c["id"] for c in credentials if not all(r.verified for r in verify_proofs(c))]
    assert failed == []
    for credential in credentials:
        assert credential["issuer"]["id"] == key.did_key
