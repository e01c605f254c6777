"""``mcbadge verify FOLDER`` throughput: a folder of N batch-issued credentials, one command.

The folder is issued once by ``mcbadge issue`` (the packaged sample unit, one row per learner);
then ``mcbadge verify FOLDER --skip-status`` runs in a fresh process with its standard error on
a pseudo-terminal, so the progress bar is drawn as a user sees it, and its standard output (a
line per file) read through a pipe. Throughput is files / wall-clock seconds of the command,
start-up included. ``verify_many()`` is measured in this process on the same files.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch import MCBADGE, _write_cohort  # noqa: E402 - beside this file


def _issue(folder: Path, rows: int) -> Path:
    cohort = _write_cohort(folder, rows)
    key = folder / "issuer.pem"
    subprocess.run([*MCBADGE, "keygen", "--type", "ed25519", "--out", str(key)], check=True,
                   capture_output=True, timeout=60)  # fmt: skip
    out = folder / "out"
    subprocess.run([*MCBADGE, "issue", str(cohort), "--key", str(key), "--out", str(out),
                    "--workers", "2"], check=True, capture_output=True, timeout=3600)  # fmt: skip
    return out


def _verify_command(out: Path, workers: int | None) -> dict[str, Any]:
    command = [*MCBADGE, "verify", str(out), "--skip-status"]
    if workers is not None:
        command += ["--workers", str(workers)]
    primary, secondary = os.openpty()  # stderr is a terminal: the progress bar is drawn
    drawn = bytearray()

    def drain() -> None:
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:
                return
            if not chunk:
                return
            drawn.extend(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    started = time.perf_counter()
    proc = subprocess.run(command, stdout=subprocess.PIPE, stderr=secondary, timeout=3600)
    elapsed = time.perf_counter() - started
    os.close(secondary)
    reader.join(timeout=5)
    os.close(primary)
    lines = proc.stdout.decode().splitlines()
    files = sum(1 for line in lines if line.startswith(("ok ", "FAIL ", "ERROR ")))
    ok = sum(1 for line in lines if line.startswith("ok "))
    return {
        "workers": workers or "auto",
        "files": files,
        "verified": ok,
        "seconds": round(elapsed, 3),
        "per_second": round(files / elapsed, 1) if elapsed else None,
        "progress_bar_drawn": b"\r[" in drawn,
        "exit_code": proc.returncode,
    }


def _verify_many(out: Path) -> dict[str, Any]:
    from mcbadge.verify import verify_many

    files = sorted(p for p in out.glob("*.json") if not p.name.startswith("mcbadge-"))
    started = time.perf_counter()
    verified = sum(
        o.verified for o in verify_many((p.read_bytes() for p in files), skip_status=True)
    )
    elapsed = time.perf_counter() - started
    return {
        "files": len(files),
        "verified": verified,
        "seconds": round(elapsed, 3),
        "per_second": round(len(files) / elapsed, 1),
    }


def run(*, files: int) -> dict[str, Any]:
    """The verify-at-volume section of ``make bench``."""
    with tempfile.TemporaryDirectory(prefix="mcbadge-bench-verify-") as tmp:
        out = _issue(Path(tmp), files)
        return {
            "command_1_worker": _verify_command(out, 1),
            "command": _verify_command(out, None),
            "verify_many": _verify_many(out),
        }


if __name__ == "__main__":
    print(run(files=int(sys.argv[1]) if len(sys.argv) > 1 else 10_000))
