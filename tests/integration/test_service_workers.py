"""``mcbadge serve --workers N``: N processes share the port; every one verifies the same way."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from mcbadge.cli import main
from mcbadge.issue import issue
from mcbadge.keys import KeyPair
from tests.conftest import PROJECT_ROOT
from tests.ports import free_port
from tests.unit.test_verify import ob3_credential

KEY = KeyPair.from_seed(bytes(range(1, 33)))


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def test_workers_share_the_port_verify_alike_and_stop_together(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mcbadge.cli",
            "serve",
            "--verify-only",
            "--skip-status",
            "--workers",
            "3",
            "--port",
            str(port),
            "--data-dir",
            os.fspath(tmp_path),
            "--log-level",
            "warning",
        ],  # fmt: skip
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        assert line.rstrip().endswith(f"http://127.0.0.1:{port}"), line
        assert "3 workers" in line
        signed = issue(ob3_credential(issuer=KEY.did_key), KEY)
        tampered = {**signed, "name": "Something else"}
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            for _ in range(30):  # several connections: the kernel spreads them over workers
                with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as fresh:
                    ok = fresh.post("/credentials/verify", json={"verifiableCredential": signed})
                    assert ok.status_code == 200, ok.text
                    bad = fresh.post("/credentials/verify", json={"verifiableCredential": tampered})
                    assert bad.status_code == 400
            assert http.get("/health").status_code == 200
        workers = _children(process.pid)
        if Path("/proc").is_dir():
            assert len(workers) == 3
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate(timeout=30)
    assert process.returncode == 0
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in workers):
        time.sleep(0.05)
    assert not any(Path(f"/proc/{p}/status").exists() for p in workers)


def test_workers_below_one_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--verify-only", "--workers", "0"]) == 2
    assert "[invalid_option]" in capsys.readouterr().err
