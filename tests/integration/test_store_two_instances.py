"""Two ``mcbadge serve`` processes on one real PostgreSQL issue 10,000 credentials at once.

Run it alone with ``pytest tests/integration/test_store_two_instances.py -s`` (it prints its
counts and timings). What it shows, over loopback HTTP with no mocks:

* a throw-away PostgreSQL server (initdb + pg_ctl, unix socket; see tests/pgserver.py) and
  two ``python -m mcbadge.service … --database postgresql://…`` processes that migrate it
  together at start-up;
* a client issues ``N`` credentials (10,000) through both, concurrently; half-way through one
  instance is killed with SIGKILL and started again; requests that failed with it are sent
  again (to whichever instance is up);
* every credential the client got a 201 for is in the issuance log; the N credentials carry
  N distinct status indexes; no index is in the store twice;
* every credential verifies, in-process with the library (each status list fetched once from
  an instance over HTTP);
* a revocation through one instance is seen by both (their served lists and their verify
  endpoints).

``MCBADGE_TWO_INSTANCE_COUNT`` changes N for a quick local run; CI runs the full 10,000.
"""

from __future__ import annotations

import itertools
import json
import multiprocessing
import os
import queue
import random
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from mcbadge.status import BitstringStatusList, StatusChecker
from tests.conftest import PROJECT_ROOT
from tests.pgserver import PostgresServer

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

KEYS = PROJECT_ROOT / "tests" / "keys"
TOKEN = "two-instances-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
PUBLIC_URL = "https://badges.hs-voorbeeld.example"
COUNT = int(os.environ.get("MCBADGE_TWO_INSTANCE_COUNT", "10000"))
CLIENT_THREADS = 24
START_TIMEOUT_S = 60
REQUEST_TIMEOUT = httpx.Timeout(60.0)
MAX_ATTEMPTS = 8
VERIFY_PROCESSES = 2

_LISTS: dict[str, str] = {}


def _verify_init(lists: dict[str, str]) -> None:
    _LISTS.update(lists)


def _verify_chunk(credentials: list[dict[str, Any]]) -> list[tuple[str, list[Any]]]:
    """Verify credentials in a worker process; the failures with their failed checks."""
    from mcbadge.verify import verification_report

    checker = StatusChecker(fetcher=_LISTS.__getitem__, cache_ttl=3600)
    failed = []
    for vc in credentials:
        report = verification_report(vc, status_checker=checker)
        if not report.verified:
            failed.append((vc["id"], [(c.id, c.error_code) for c in report.failed_checks]))
    return failed


class Instance:
    """One ``mcbadge serve`` subprocess; its URL is read from the line it prints."""

    def __init__(self, name: str, database: str, workdir: Path) -> None:
        self.name = name
        token_file = workdir / "token"
        token_file.write_text(TOKEN, encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if k != "MCBADGE_SERVICE_TOKEN"}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mcbadge.service",
                "--key",
                os.fspath(KEYS / "ed25519.pem"),
                "--port",
                "0",
                "--token-file",
                os.fspath(token_file),
                "--database",
                database,
                "--public-url",
                PUBLIC_URL,
                "--status",
                "revocation",
                "--log-level",
                "warning",
            ],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        threading.Thread(target=self._drain, daemon=True).start()
        self.url = self._wait_for_url()

    def _drain(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.log.append(line)
            self.lines.put(line)

    def _wait_for_url(self) -> str:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            found = re.search(r" on (http://127\.0\.0\.1:[0-9]+)", line)
            if found:
                return found.group(1)
        self.stop()
        raise AssertionError(f"{self.name} did not start:\n{''.join(self.log)}")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        self._close_pipe()

    def _close_pipe(self) -> None:
        if self.process.stderr is not None:
            self.process.stderr.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=20)
        self._close_pipe()


@dataclass
class Run:
    """What the client saw."""

    issued: dict[str, dict[str, Any]] = field(default_factory=dict)  # credential id -> VC
    retries: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _credential(issuer: str, credential_id: str) -> dict[str, Any]:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": credential_id,
        "type": ["VerifiableCredential"],
        "issuer": issuer,
        "validFrom": "2026-09-01T00:00:00Z",
        "credentialSubject": {"id": f"did:example:learner-{credential_id[-12:]}"},
    }


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    with PostgresServer(max_connections=100) as server:
        yield server


def test_two_instances_on_one_postgres_issue_concurrently_and_survive_sigkill(
    postgres: PostgresServer, tmp_path: Path
) -> None:
    timings: dict[str, float] = {}
    started = time.monotonic()
    instances = {
        "A": Instance("A", postgres.url, tmp_path),
        "B": Instance("B", postgres.url, tmp_path),
    }
    try:
        timings["start both (migrating one database together)"] = time.monotonic() - started
        issuer = httpx.get(instances["A"].url + "/health", timeout=REQUEST_TIMEOUT).json()["issuer"]
        run = Run()
        kill_at = COUNT // 2
        killed = threading.Event()
        alive_lock = threading.Lock()
        round_robin = itertools.count()
        local = threading.local()
        clients: list[httpx.Client] = []

        def client() -> httpx.Client:
            if not hasattr(local, "http"):
                local.http = httpx.Client(timeout=REQUEST_TIMEOUT)
                with run.lock:
                    clients.append(local.http)
            http: httpx.Client = local.http
            return http

        def target() -> Instance:
            with alive_lock:
                names = sorted(instances)
                return instances[names[next(round_robin) % len(names)]]

        def restart_b() -> None:
            with alive_lock:
                doomed = instances.pop("B")  # the client stops sending to it first
            doomed.kill()
            killed.set()
            replacement = Instance("B", postgres.url, tmp_path)
            with alive_lock:
                instances["B"] = replacement

        def issue_one(number: int) -> None:
            credential_id = f"urn:uuid:{uuid.UUID(int=random.getrandbits(128), version=4)}"
            body = {"credential": _credential(issuer, credential_id)}
            for _attempt in range(MAX_ATTEMPTS):
                instance = target()
                try:
                    response = client().post(
                        instance.url + "/credentials/issue", json=body, headers=AUTH
                    )
                except httpx.TransportError:
                    # requests in flight when B was killed: send them again (another instance)
                    with run.lock:
                        run.retries += 1
                    time.sleep(0.1)
                    continue
                assert response.status_code == 201, response.text
                with run.lock:
                    run.issued[credential_id] = response.json()["verifiableCredential"]
                    done = len(run.issued)
                if done == kill_at and not killed.is_set():
                    threading.Thread(target=restart_b, daemon=True).start()
                return
            raise AssertionError(f"credential {number} could not be issued")

        phase = time.monotonic()
        with ThreadPoolExecutor(CLIENT_THREADS) as pool:
            for future in [pool.submit(issue_one, n) for n in range(COUNT)]:
                future.result()
        for http in clients:
            http.close()
        timings[f"issue {COUNT} over HTTP (SIGKILL + restart of B half-way)"] = (
            time.monotonic() - phase
        )
        assert killed.is_set()

        # ---- every 201 is in the log; distinct indexes; nothing allocated twice
        phase = time.monotonic()
        import psycopg

        with psycopg.connect(postgres.url) as conn:
            logged = {
                row[0] for row in conn.execute("SELECT credential_id FROM issuance_log").fetchall()
            }
            entries = conn.execute("SELECT COUNT(*) FROM status_entries").fetchone()
            duplicates = conn.execute(
                "SELECT list_url, idx FROM status_entries GROUP BY list_url, idx "
                "HAVING COUNT(*) > 1"
            ).fetchall()
            log_rows = conn.execute("SELECT COUNT(*) FROM issuance_log").fetchone()
        assert len(run.issued) == COUNT
        missing = set(run.issued) - logged
        assert not missing, f"{len(missing)} credentials answered 201 are not in the log"
        assert duplicates == []
        positions = {
            (
                vc["credentialStatus"]["statusListCredential"],
                vc["credentialStatus"]["statusListIndex"],
            )
            for vc in run.issued.values()
        }
        assert len(positions) == COUNT, "two credentials share a status index"
        assert all(url.startswith(PUBLIC_URL + "/status/revocation/") for url, _ in positions)
        assert entries is not None and log_rows is not None
        timings["check the log and the indexes"] = time.monotonic() - phase

        # ---- every credential verifies (with the library, in 2 processes for the 2 cores;
        # each status list is fetched once over HTTP, here, and handed to the workers)
        phase = time.monotonic()
        list_urls = {vc["credentialStatus"]["statusListCredential"] for vc in run.issued.values()}
        lists = {
            url: httpx.get(
                instances["A"].url + url[len(PUBLIC_URL) :], timeout=REQUEST_TIMEOUT
            ).text
            for url in list_urls
        }
        credentials = list(run.issued.values())
        chunks = [credentials[i::VERIFY_PROCESSES] for i in range(VERIFY_PROCESSES)]
        with ProcessPoolExecutor(
            VERIFY_PROCESSES,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_verify_init,
            initargs=(lists,),
        ) as workers:
            failures = {
                cid: why for part in workers.map(_verify_chunk, chunks) for cid, why in part
            }
        assert failures == {}
        timings[f"verify all {COUNT} with the library ({VERIFY_PROCESSES} processes)"] = (
            time.monotonic() - phase
        )

        # ---- a revocation through A is seen by both
        victim_id, victim = random.choice(list(run.issued.items()))
        entry = victim["credentialStatus"]
        revoked = httpx.post(
            instances["A"].url + "/credentials/status",
            json={
                "credentialId": victim_id,
                "credentialStatus": {
                    "type": "BitstringStatusListEntry",
                    "statusPurpose": "revocation",
                },
                "reason": "two-instance test",
            },
            headers=AUTH,
            timeout=REQUEST_TIMEOUT,
        )
        assert revoked.status_code == 200, revoked.text
        path = entry["statusListCredential"][len(PUBLIC_URL) :]
        for instance in instances.values():
            served = httpx.get(instance.url + path, timeout=REQUEST_TIMEOUT).json()
            bits = BitstringStatusList.decode(served["credentialSubject"]["encodedList"])
            assert bits.nonzero_indexes() == [int(entry["statusListIndex"])], instance.name
            verdict = httpx.post(
                instance.url + "/credentials/verify",
                json={"verifiableCredential": victim},
                timeout=REQUEST_TIMEOUT,
            )
            assert verdict.status_code == 400, instance.name
            assert "revoked" in [e["code"] for e in verdict.json()["errors"]]
    finally:
        for instance in instances.values():
            instance.stop()
    timings["total"] = time.monotonic() - started
    print(
        json.dumps(
            {
                "credentials": COUNT,
                "distinct_status_indexes": len(positions),
                "issuance_log_rows": log_rows[0],
                "status_entries_allocated": entries[0],
                "allocated_but_never_answered (wasted by the kill)": entries[0] - COUNT,
                "client_retries_after_transport_errors": run.retries,
                "seconds": {k: round(v, 1) for k, v in timings.items()},
            },
            indent=2,
        )
    )
