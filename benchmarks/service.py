"""The service under load: ``mcbadge serve`` against the Node digitalbazaar verifier, one run.

Both servers verify the same credentials (the benchmark's hbo microcredential with 256
different ids, each signed by mcbadge with ``eddsa-rdfc-2022``; the requests cycle through
them, so no cache sees one credential twice in a row) at ``POST /credentials/verify`` on
loopback:

* ``mcbadge serve --verify-only --skip-status --workers N`` (N processes sharing the port);
* ``benchmarks/node/verify-server.mjs``: ``@digitalbazaar/vc`` ``verifyCredential()`` behind
  ``node:http``, one process, from the pinned interop stack in ``tests/interop/node``.

The load generator is bounded: ``clients`` keep-alive connections (asyncio, raw HTTP/1.1, one
request in flight per connection) for ``seconds``, in interleaved rounds (mcbadge, Node, then
again), so a burst of load on the shared machine hits both. It counts requests, errors (any
answer but 200, any connection failure) and the latency of each request (p50 / p99). Then a
memory run sends ``memory_requests`` requests to mcbadge alone and samples the resident memory
of its whole process tree: after the first tenth and at the end.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
NODE_DIR = ROOT / "tests" / "interop" / "node"
NODE_SERVER = ROOT / "benchmarks" / "node" / "verify-server.mjs"
sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch import MCBADGE, _tree_rss_bytes  # noqa: E402 - beside this file


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Server:
    """A server process started for the benchmark and stopped (by its PID) afterwards."""

    def __init__(self, command: list[str], *, cwd: Path, ready: str, port: int) -> None:
        self.port = port
        self.process = subprocess.Popen(
            command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        assert self.process.stderr is not None  # noqa: S101 - PIPE above
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = self.process.stderr.readline()
            if not line and self.process.poll() is not None:
                raise RuntimeError(f"{command[0]} exited: {self.process.returncode}")
            if ready in line:
                break
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        assert self.process.stderr is not None  # noqa: S101
        for _ in self.process.stderr:
            pass

    def rss_mb(self) -> float:
        return _tree_rss_bytes(self.process.pid) / 2**20

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_mcbadge(workers: int, options: list[str] | None = None) -> _Server:
    """``mcbadge serve`` (default: verify-only, status not checked) with ``workers``."""
    port = _free_port()
    given = ["--verify-only", "--skip-status"] if options is None else options
    command = [*MCBADGE, "serve", *given, "--port", str(port), "--workers", str(workers),
               "--log-level", "warning"]  # fmt: skip
    return _Server(command, cwd=ROOT, ready=f"127.0.0.1:{port}", port=port)


def start_node() -> _Server:
    node = shutil.which("node")
    if node is None or not (NODE_DIR / "node_modules").is_dir():
        raise RuntimeError("node or tests/interop/node/node_modules is missing (make node)")
    port = _free_port()
    source = NODE_SERVER.read_text(encoding="utf-8")
    # evaluated with the interop stack's folder as the working directory: its imports resolve
    command = [node, "--input-type=module", "--eval", source, "--", str(port)]
    return _Server(command, cwd=NODE_DIR, ready="node verifier on", port=port)


# --- the load generator ---------------------------------------------------------------------------


async def _client(
    port: int,
    request: Callable[[int], bytes],
    stop_at: float,
    budget: list[int],
    out: dict[str, Any],
) -> None:
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        out["errors"] += 1
        return
    latencies: list[float] = out["latencies"]
    try:
        while time.perf_counter() < stop_at and budget[0] > 0:
            budget[0] -= 1
            data = request(budget[0])
            started = time.perf_counter()
            writer.write(data)
            status = await reader.readline()
            length = 0
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            if status.split(b" ", 2)[1:2] != [out["expect"]]:
                out["errors"] += 1
    except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
        out["errors"] += 1
    finally:
        writer.close()


def http_post(path: str, body: bytes, headers: dict[str, str] | None = None) -> bytes:
    """The bytes of one keep-alive ``POST`` with a JSON body."""
    extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"{extra}Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def _load(
    ports: list[int],
    request: Callable[[int], bytes],
    clients: int,
    seconds: float,
    requests: int,
    expect: int,
) -> Any:
    out: dict[str, Any] = {"errors": 0, "latencies": [], "expect": str(expect).encode()}
    budget = [requests]
    started = time.perf_counter()
    stop_at = started + seconds
    await asyncio.gather(
        *(_client(ports[n % len(ports)], request, stop_at, budget, out) for n in range(clients))
    )
    return out, time.perf_counter() - started


def load(
    port: int | list[int],
    body: bytes | Callable[[int], bytes],
    *,
    clients: int,
    seconds: float,
    requests: int = 10**9,
    expect: int = 200,
) -> Any:
    """Run the load (``body``: a verify body, or a function of the request number giving a
    whole request); requests/s, errors, p50/p99 latency (ms)."""
    ports = port if isinstance(port, list) else [port]
    if isinstance(body, bytes):
        fixed = http_post("/credentials/verify", body)

        def request(_n: int) -> bytes:
            return fixed

    else:
        request = body
    out, elapsed = asyncio.run(_load(ports, request, clients, seconds, requests, expect))
    lat = sorted(out["latencies"])
    return {
        "requests": len(lat),
        "seconds": round(elapsed, 2),
        "per_second": round(len(lat) / elapsed, 1) if elapsed else None,
        "errors": out["errors"],
        "p50_ms": round(statistics.median(lat) * 1000, 2) if lat else None,
        "p99_ms": round(lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000, 2) if lat else None,
    }


def _merge(runs: list[dict[str, Any]]) -> dict[str, Any]:
    total = sum(r["requests"] for r in runs)
    seconds = sum(r["seconds"] for r in runs)
    return {
        "requests": total,
        "per_second": round(total / seconds, 1) if seconds else None,
        "errors": sum(r["errors"] for r in runs),
        "p50_ms": round(statistics.median(r["p50_ms"] for r in runs if r["p50_ms"]), 2),
        "p99_ms": max(r["p99_ms"] for r in runs if r["p99_ms"]),
        "rounds": runs,
    }


def distinct_signed(
    credential: dict[str, Any], key: Any, count: int, *, created: str
) -> list[dict[str, Any]]:
    """``count`` signed copies of ``credential``, each with its own ``id``."""
    import uuid

    from mcbadge.issue import issue

    return [
        issue({**credential, "id": f"urn:uuid:{uuid.UUID(int=n + 1)}"}, key, created=created)
        for n in range(count)
    ]


def _rotating(credentials: list[dict[str, Any]]) -> Callable[[int], bytes]:
    """Requests cycling over distinct credentials (no cache sees the same one twice in a row)."""
    requests = [
        http_post(
            "/credentials/verify",
            json.dumps({"verifiableCredential": c, "options": {}}).encode(),
        )
        for c in credentials
    ]

    def request(n: int) -> bytes:
        return requests[n % len(requests)]

    return request


def run(
    credentials: list[dict[str, Any]],
    *,
    workers: int,
    clients: int = 64,
    seconds: float = 20.0,
    rounds: int = 2,
    memory_requests: int = 100_000,
) -> dict[str, Any]:
    """The service section of ``make bench``."""
    body = _rotating(credentials)
    result: dict[str, Any] = {
        "clients": clients,
        "seconds_per_round": seconds / rounds,
        "distinct_credentials": len(credentials),
    }
    mcbadge = start_mcbadge(workers)
    try:
        node = start_node()
    except RuntimeError as exc:
        mcbadge.stop()
        return {"error": str(exc)}
    try:
        for server in (mcbadge, node):  # warm up (JIT, caches, every worker)
            load(server.port, body, clients=clients, seconds=2)
        ours: list[dict[str, Any]] = []
        theirs: list[dict[str, Any]] = []
        for _ in range(rounds):
            ours.append(load(mcbadge.port, body, clients=clients, seconds=seconds / rounds))
            theirs.append(load(node.port, body, clients=clients, seconds=seconds / rounds))
        result["mcbadge"] = {"workers": workers, **_merge(ours)}
        result["node"] = {"processes": 1, **_merge(theirs)}
        result["node"]["rss_mb"] = round(node.rss_mb(), 1)
    finally:
        node.stop()
    try:
        tenth = max(1, memory_requests // 10)
        load(mcbadge.port, body, clients=clients, seconds=10**6, requests=tenth)
        early = mcbadge.rss_mb()
        rest = load(
            mcbadge.port, body, clients=clients, seconds=10**6, requests=memory_requests - tenth
        )
        late = mcbadge.rss_mb()
        result["memory"] = {
            "requests": memory_requests,
            "rss_mb_after_first_tenth": round(early, 1),
            "rss_mb_at_end": round(late, 1),
            "growth": round(late / early, 3) if early else None,
            "errors": rest["errors"],
            "per_second": rest["per_second"],
        }
    finally:
        mcbadge.stop()
    ratio = None
    if result["node"]["per_second"]:
        ratio = round(result["mcbadge"]["per_second"] / result["node"]["per_second"], 2)
    result["ratio"] = ratio
    return result


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import run as bench  # benchmarks/run.py

    from mcbadge.keys import KeyPair

    bench._seed_schema_cache()
    key = KeyPair.from_seed(b"mcbadge benchmark Ed25519 seed!!")
    doc = bench._to_credential(bench._microcredentials()["hbo"], key.did_key).to_json_dict()
    signed = distinct_signed(doc, key, 256, created=bench.CREATED)
    workers = int(os.environ.get("WORKERS", "2"))
    seconds = float(os.environ.get("SECONDS", "20"))
    requests = int(os.environ.get("REQUESTS", "100000"))
    print(json.dumps(run(signed, workers=workers, seconds=seconds, memory_requests=requests)))
