"""``make bench``, part three: where users wait (issue 15) — batches, folders, the service.

Runs, in this order, each in fresh processes started for the purpose:

* batch scaling: ``mcbadge issue`` of the same cohort with ``--workers 1`` and ``--workers 2``
  (``batch_scale`` rows; the 1k/100k throughput and memory rows come from benchmarks/batch.py);
* verify at volume: ``mcbadge verify FOLDER`` over ``verify_files`` batch-issued credentials
  with its progress bar, one worker and the default, and ``verify_many()`` (verify_folder.py);
* the service under load: ``mcbadge serve --workers N`` against the Node digitalbazaar verifier,
  then 100,000 requests for the memory (service.py);
* scaling: verify requests/s for 1 and 2 workers; issue credentials/s for 1 and 2 instances on
  one throw-away PostgreSQL (scaling.py).

:func:`table` prints every ratio of issue 15 with its target.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))


def uptime() -> str:
    """The machine's ``uptime`` line (its load averages), or the load from /proc."""
    try:
        return subprocess.run(
            ["uptime"], capture_output=True, text=True, timeout=10, check=True
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        try:
            return "load " + Path("/proc/loadavg").read_text().strip()
        except OSError:
            return "load unknown"


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def run(
    *,
    credential: dict[str, Any],
    signed: list[dict[str, Any]],
    key_pem: bytes,
    batch_scale: int,
    verify_files: int,
    service_seconds: float,
    service_requests: int,
    service_workers: int,
    sections: set[str],
) -> dict[str, Any]:
    """Every section named in ``sections`` (batch, verify, service, scaling)."""
    out: dict[str, Any] = {"uptime_before": uptime()}
    if "batch" in sections:
        from batch import forget_previous_runs, measure

        _say(f"batch scaling: {batch_scale:,} rows with --workers 1 and 2...")
        out["batch_scaling"] = {str(w): measure(batch_scale, workers=w) for w in (1, 2)}
        forget_previous_runs()  # this run's batches are measured (see benchmarks/batch.py)
    if "verify" in sections:
        from verify_folder import run as run_folder

        _say(f"verify at volume: {verify_files:,} files...")
        out["verify_folder"] = run_folder(files=verify_files)
    if "service" in sections:
        from service import run as run_service

        _say(f"service under load ({service_workers} workers) against Node...")
        out["service"] = run_service(
            signed,
            workers=service_workers,
            seconds=service_seconds,
            memory_requests=service_requests,
        )
    if "scaling" in sections:
        from scaling import run as run_scaling

        _say("scaling: workers, and instances on one PostgreSQL...")
        out["scaling"] = run_scaling(credential, signed, key_pem)
    out["uptime_after"] = uptime()
    return out


def _rate(value: Any) -> str:
    return "—" if value is None else f"{value:,.0f}/s"


def _yes(ok: bool | None) -> str:
    return "not measured" if ok is None else ("yes" if ok else "**missed**")


def table(data: dict[str, Any], users: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    """The issue 15 targets: measured values, ratios, target, met."""
    rows: list[tuple[str, str, str, bool | None]] = []

    def median(group: str, key: str, level: str = "hbo") -> float | None:
        entry = data.get(group, {}).get(level, {}).get(key)
        return (
            float(entry["median_ms"]) if isinstance(entry, dict) and "median_ms" in entry else None
        )

    for level in ("hbo", "mbo"):
        node, ours = (
            median("node", "di_verify_rdfc", level),
            median("mcbadge", "di_verify_full_rdfc", level),
        )
        ratio = node / ours if node and ours else None
        rows.append(
            (
                f"verify() (all checks, schema on, DI) vs Node verifyCredential, {level}",
                "—" if ratio is None else f"{ratio:.2f}× ({ours:.2f} vs {node:.2f} ms)",
                "≥ 5×",
                None if ratio is None else ratio >= 5,
            )
        )
        obl, jwt = (
            median("obl", "jwt_verify_EdDSA", level),
            median("mcbadge", "jwt_verify_full_EdDSA", level),
        )
        ratio = obl / jwt if obl and jwt else None
        rows.append(
            (
                f"JWT verify() (all checks) vs openbadgeslib OB3Verifier, {level}",
                "—" if ratio is None else f"{ratio:.2f}× ({jwt:.2f} vs {obl:.2f} ms)",
                "≥ 1×",
                None if ratio is None else ratio >= 1,
            )
        )
    batch = data.get("batch")
    if isinstance(batch, dict) and "per_second" in batch.get("large", {}):
        large = batch["large"]
        rows.append(
            (
                f"batch {large['rows']:,} rows, {large['workers']} workers",
                _rate(large["per_second"])
                + (
                    f" ({large['cpu_ms_per_row']:.2f} ms CPU a row)"
                    if "cpu_ms_per_row" in large
                    else ""
                ),
                "≥ 2,000/s",
                large["per_second"] >= 2000,
            )
        )
        mem = batch.get("memory_ratio")
        rows.append(
            (
                f"batch peak memory {large['rows']:,} / {batch['small']['rows']:,} rows",
                "—" if mem is None else f"{mem:.2f}×",
                "≤ 1.5×",
                None if mem is None else mem <= 1.5,
            )
        )
    scaling = users.get("batch_scaling")
    if scaling and all("per_second" in scaling.get(w, {}) for w in ("1", "2")):
        one, two = scaling["1"]["per_second"], scaling["2"]["per_second"]
        rows.append(
            (
                f"batch {scaling['1']['rows']:,} rows: --workers 1 → 2",
                f"{_rate(one)} → {_rate(two)} ({two / one:.2f}×)",
                "rising",
                two > one,
            )
        )
    folder = users.get("verify_folder")
    if folder:
        auto, single = folder["command"], folder["command_1_worker"]
        rows.append(
            (
                f"mcbadge verify FOLDER, {auto['files']:,} files, progress bar "
                f"{'drawn' if auto['progress_bar_drawn'] else 'NOT drawn'}",
                f"{_rate(auto['per_second'])} (1 worker: {_rate(single['per_second'])})",
                "≥ 1,000/s",
                auto["per_second"] >= 1000 and auto["files"] == auto["verified"],
            )
        )
        many = folder["verify_many"]
        rows.append(("verify_many() on the same files", _rate(many["per_second"]), "", None))
    service = users.get("service")
    if service and "mcbadge" in service:
        ours, theirs = service["mcbadge"], service["node"]
        ratio = service.get("ratio")
        rows.append(
            (
                f"/credentials/verify, {service['clients']} clients: mcbadge serve "
                f"({ours['workers']} workers) vs Node (1 process)",
                f"{_rate(ours['per_second'])} vs {_rate(theirs['per_second'])} = {ratio}×",
                "≥ 3×",
                None if ratio is None else ratio >= 3,
            )
        )
        rows.append(
            (
                "latency p50 / p99 (ms)",
                f"mcbadge {ours['p50_ms']} / {ours['p99_ms']}; "
                f"Node {theirs['p50_ms']} / {theirs['p99_ms']}",
                "",
                None,
            )
        )
        memory = service.get("memory", {})
        errors = ours["errors"] + theirs["errors"] + memory.get("errors", 0)
        rows.append(("errors (both servers, all runs)", str(errors), "0", errors == 0))
        if memory:
            growth = memory.get("growth")
            rows.append(
                (
                    f"mcbadge RSS over {memory['requests']:,} requests",
                    f"{memory['rss_mb_after_first_tenth']} → {memory['rss_mb_at_end']} MB "
                    f"({growth}×)",
                    "flat (≤ 1.1×)",
                    None if growth is None else growth <= 1.1,
                )
            )
    scale = users.get("scaling")
    if scale:
        by_workers = scale.get("verify_by_workers", {})
        if "1" in by_workers and "2" in by_workers:
            rows.append(
                (
                    "serve /credentials/verify: 1 → 2 workers",
                    f"{_rate(by_workers['1']['per_second'])} → "
                    f"{_rate(by_workers['2']['per_second'])}",
                    "(scaling)",
                    None,
                )
            )
        by_instances = scale.get("issue_by_instances_on_postgresql", {})
        if "1" in by_instances and "2" in by_instances:
            rows.append(
                (
                    "serve /credentials/issue on one PostgreSQL: 1 → 2 instances",
                    f"{_rate(by_instances['1']['per_second'])} → "
                    f"{_rate(by_instances['2']['per_second'])} (errors "
                    f"{by_instances['1']['errors'] + by_instances['2']['errors']})",
                    "(scaling)",
                    None,
                )
            )
        elif "error" in by_instances:
            rows.append(("instances on PostgreSQL", by_instances["error"], "", None))
    lines = ["| issue 15 target | measured | target | met |", "|---|---|---|---|"]
    lines += [
        f"| {what} | {value} | {goal} | {_yes(ok) if goal and goal != '(scaling)' else ''} |"
        for what, value, goal, ok in rows
    ]
    summary = [
        {"target": what, "measured": value, "goal": goal, "met": ok}
        for what, value, goal, ok in rows
    ]
    return "\n".join(lines) + "\n", summary
