"""Scaling: throughput against workers, and against instances on one PostgreSQL.

* **Workers**: ``mcbadge serve --verify-only --workers N`` for N = 1, 2: ``/credentials/verify``
  requests/s under the same bounded load (benchmarks/service.py's generator).
* **Instances on one PostgreSQL**: a throw-away PostgreSQL (tests/pgserver.py), then 1 and 2
  ``mcbadge serve`` instances (one worker each, separate processes and ports, the same
  ``--database`` and ``--public-url``), loaded together on ``/credentials/issue``: every
  credential gets a status-list index allocated in the database and an issuance-log row, so
  this measures what the shared database costs. Each request carries a new credential id.
"""

from __future__ import annotations

import json
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

from service import _rotating, distinct_signed, http_post, load, start_mcbadge  # noqa: E402

TOKEN = "bench-token-0123456789abcdef"  # noqa: S105 - a throw-away loopback benchmark token


def workers(body: Any, *, counts: tuple[int, ...], clients: int, seconds: float) -> Any:
    """``/credentials/verify`` requests/s for each worker count."""
    out = {}
    for count in counts:
        server = start_mcbadge(count)
        try:
            load(server.port, body, clients=clients, seconds=2)  # warm-up
            out[str(count)] = load(server.port, body, clients=clients, seconds=seconds)
        finally:
            server.stop()
    return out


def instances(
    credential: dict[str, Any], key_pem: bytes, *, counts: tuple[int, ...], seconds: float
) -> Any:
    """``/credentials/issue`` credentials/s with 1..N instances on one PostgreSQL."""
    from tests.pgserver import PostgresServer, pg_bin_dir

    if pg_bin_dir() is None:
        return {"error": "PostgreSQL binaries not found (make postgres)"}
    template = json.dumps({"credential": {**credential, "id": "@ID@"}})
    headers = {"Authorization": f"Bearer {TOKEN}"}

    def request(_n: int) -> bytes:
        body = template.replace("@ID@", f"urn:uuid:{uuid.uuid4()}").encode()
        return http_post("/credentials/issue", body, headers)

    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="mcbadge-bench-scale-") as tmp, PostgresServer() as pg:
        key = Path(tmp) / "issuer.pem"
        key.write_bytes(key_pem)
        token = Path(tmp) / "token"
        token.write_text(TOKEN)
        options = ["--key", str(key), "--token-file", str(token), "--database", pg.url,
                   "--public-url", "https://badges.hs-voorbeeld.nl"]  # fmt: skip
        for count in counts:
            servers = [start_mcbadge(1, options) for _ in range(count)]
            try:
                ports = [s.port for s in servers]
                load(ports, request, clients=16 * count, seconds=2, expect=201)  # warm-up
                out[str(count)] = load(
                    ports, request, clients=16 * count, seconds=seconds, expect=201
                )
            finally:
                for server in servers:
                    server.stop()
    return out


def run(credential: dict[str, Any], signed: list[dict[str, Any]], key_pem: bytes) -> dict[str, Any]:
    """The scaling section of ``make bench``."""
    body = _rotating(signed)
    return {
        "verify_by_workers": workers(body, counts=(1, 2), clients=64, seconds=10),
        "issue_by_instances_on_postgresql": instances(
            credential, key_pem, counts=(1, 2), seconds=10
        ),
    }


if __name__ == "__main__":
    import run as bench  # benchmarks/run.py

    from mcbadge.keys import KeyPair

    bench._seed_schema_cache()
    key = KeyPair.from_seed(b"mcbadge benchmark Ed25519 seed!!")
    doc = bench._to_credential(bench._microcredentials()["hbo"], key.did_key).to_json_dict()
    signed = distinct_signed(doc, key, 256, created=bench.CREATED)
    print(json.dumps(run(doc, signed, key.to_pem()), indent=1))
