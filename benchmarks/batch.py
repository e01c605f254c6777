"""Batch issuance throughput and peak memory, measured on the real ``mcbadge issue`` command.

Each measurement generates a cohort of N learners (the packaged sample unit, one row per
learner), runs ``mcbadge issue COHORT --workers W`` in a fresh process and samples the resident
memory of the whole process tree (coordinator and workers) from ``/proc`` every 20 ms.
Throughput is rows / wall-clock seconds of the whole command, start-up included.
"""

from __future__ import annotations

import csv
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MCBADGE = [sys.executable, "-m", "mcbadge.cli"]


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _tree_rss_bytes(pid: int) -> int:
    total, todo = 0, [pid]
    page = os.sysconf("SC_PAGE_SIZE")
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/statm").read_text().split()
            total += int(fields[1]) * page
        except OSError:
            continue
        todo.extend(_children(current))
    return total


def _write_cohort(folder: Path, rows: int) -> Path:
    source = ROOT / "src" / "mcbadge" / "data"
    shutil.copy(source / "cohort.unit.toml", folder / "cohort.unit.toml")
    path = folder / "cohort.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "email", "student_number", "grade"])
        for n in range(rows):
            writer.writerow(
                [f"Student {n}", f"s{n}@student.hs-voorbeeld.nl", f"{1000000 + n}", "8.0"]
            )
    return path


# Where the batches write. ext4 allocates a new file's inode near its folder's and scans past
# inodes freed there recently: a batch written where 100,000 files had just been removed spent
# ~0.2-0.3 ms of system time per file more (perf: recently_deleted, find_inode_bit), for up
# to a quarter of an hour after. That is the benchmark's cost, not the user's, so a run keeps
# its outputs (~650 MB, under build/, which `make clean` removes) and removes the previous
# run's only once its own batches are measured (forget_previous_runs(), from users.py).
# /tmp is avoided for the same reason: test runs fill and empty it.
_OUT_ROOT = ROOT / "build" / "bench-batch"
_THIS_RUN = _OUT_ROOT / f"run-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"


def forget_previous_runs() -> None:
    """Remove the batch outputs of earlier benchmark runs (call after this run's batches)."""
    if _OUT_ROOT.is_dir():
        for folder in _OUT_ROOT.iterdir():
            if folder != _THIS_RUN:
                shutil.rmtree(folder, ignore_errors=True)


def measure(rows: int, *, workers: int) -> dict[str, Any]:
    """Issue ``rows`` credentials with ``workers`` processes; throughput and peak tree RSS."""
    _THIS_RUN.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{rows}-rows-", dir=_THIS_RUN))  # kept: see above
    cohort = _write_cohort(folder, rows)
    key = folder / "issuer.pem"
    subprocess.run(
        [*MCBADGE, "keygen", "--type", "ed25519", "--out", str(key)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    command = [
        *MCBADGE, "--json", "issue", str(cohort), "--key", str(key),
        "--out", str(folder / "out"), "--workers", str(workers),
    ]  # fmt: skip
    peak = 0
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_bytes(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    stdout, stderr = process.communicate(timeout=3600)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the command and its workers
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    done.set()
    sampler.join()
    if process.returncode != 0:
        return {"rows": rows, "error": stderr.decode(errors="replace")[-400:]}
    issued = len(
        [p for p in (folder / "out").glob("**/*.json") if p.name != "mcbadge-summary.json"]
    )
    return {
        "rows": rows,
        "workers": workers,
        "seconds": round(elapsed, 3),
        "per_second": round(rows / elapsed, 1),
        "cpu_ms_per_row": round(cpu / rows * 1000, 3),
        "system_ms_per_row": round((after.ru_stime - before.ru_stime) / rows * 1000, 3),
        "peak_rss_mb": round(peak / 2**20, 1),
        "files": issued,
        "summary_bytes": len(stdout),
    }


def run(*, small: int, large: int, workers: int) -> dict[str, Any]:
    """The batch section of ``make bench``: throughput and peak memory, small vs large."""
    small_run = measure(small, workers=workers)
    large_run = measure(large, workers=workers)
    ratio = None
    if "peak_rss_mb" in small_run and "peak_rss_mb" in large_run and small_run["peak_rss_mb"]:
        ratio = round(large_run["peak_rss_mb"] / small_run["peak_rss_mb"], 2)
    return {"small": small_run, "large": large_run, "memory_ratio": ratio}
