"""Pytest plumbing for the Node.js digitalbazaar interop harness.

The session-scoped fixture ``node_worker`` starts ``node tests/interop/node/worker.mjs`` once and
talks to it in JSON lines over stdin/stdout, so a test can run hundreds of operations against the
reference JavaScript stack (``@digitalbazaar/vc``, ``jsonld-signatures``, the eddsa cryptosuites,
``vc-bitstring-status-list``) without paying Node start-up each time::

    def test_node_signs(node_worker: NodeWorker) -> None:
        signed = node_worker.call("sign_di", credential=cred, cryptosuite="eddsa-rdfc-2022",
                                  key=key, created="2024-01-01T00:00:00Z")

``node_call`` is the same worker as a plain function ``node_call(op, args_dict)``.

Every test under ``tests/interop/`` is marked ``interop``. When ``node_modules`` (from
``npm ci --prefix tests/interop/node``) or ``node`` itself is missing, the tests are skipped with
the reason -- except in CI (``CI=true``), where that is a failure: CI must never silently skip
interop.
"""

from __future__ import annotations

import collections
import json
import os
import queue
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import pytest

INTEROP_DIR = Path(__file__).resolve().parent
NODE_DIR = INTEROP_DIR / "node"
WORKER_SCRIPT = NODE_DIR / "worker.mjs"
NODE_MODULES = NODE_DIR / "node_modules"
INSTALL_HINT = "npm ci --prefix tests/interop/node --no-audit --no-fund"

DEFAULT_TIMEOUT_S = 60.0
"""Per-call timeout; a call that takes longer kills the worker (it is restarted on next use)."""

STARTUP_TIMEOUT_S = 60.0
_STDERR_KEEP_LINES = 200


class NodeWorkerError(Exception):
    """The Node worker answered a request with ``ok: false``.

    Attributes:
        op: The operation that failed.
        name: The JavaScript error name (``Error``, ``TypeError``, ``jsonld.SyntaxError``,
            ``OfflineDocumentLoaderError``, ``UnknownOpError``...).
        message: The JavaScript error message.
        details: Extra structured detail from the worker (cause, nested errors, stack...).

    Example:
        >>> err = NodeWorkerError("sign_di", {"name": "TypeError", "message": "boom"})
        >>> str(err)
        'node op sign_di failed: TypeError: boom'
    """

    def __init__(self, op: str, error: Mapping[str, Any]) -> None:
        self.op = op
        self.name = str(error.get("name", "Error"))
        self.message = str(error.get("message", ""))
        details = error.get("details")
        self.details: dict[str, Any] = dict(details) if isinstance(details, Mapping) else {}
        super().__init__(f"node op {op} failed: {self.name}: {self.message}")


class NodeWorkerCrashed(RuntimeError):
    """The Node worker process died, timed out or broke the protocol.

    The worker is restarted on the next call, so one crash does not poison the session.

    Example:
        >>> raise NodeWorkerCrashed("worker exited with code 1")
        Traceback (most recent call last):
        ...
        conftest.NodeWorkerCrashed: worker exited with code 1
    """


class NodeWorker:
    """A long-running ``node worker.mjs`` process driven over JSON lines.

    Calls are serialised (one request in flight at a time) and thread-safe.

    Args:
        node: Path of the ``node`` executable.
        script: Path of ``worker.mjs``.
        timeout: Default per-call timeout in seconds.

    Raises:
        NodeWorkerCrashed: When the process cannot be started.

    Example:
        >>> worker = NodeWorker(node="node", script=WORKER_SCRIPT)  # doctest: +SKIP
        >>> worker.call("ping")["pong"]  # doctest: +SKIP
        True
    """

    def __init__(self, *, node: str, script: Path, timeout: float = DEFAULT_TIMEOUT_S) -> None:
        self._node = node
        self._script = script
        self.timeout = timeout
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[str] | None = None
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._stderr: collections.deque[str] = collections.deque(maxlen=_STDERR_KEEP_LINES)
        self._next_id = 0
        self.restarts = 0

    # -- process management ---------------------------------------------------------------

    def _start(self) -> subprocess.Popen[str]:
        try:
            proc = subprocess.Popen(
                [self._node, str(self._script)],
                cwd=str(self._script.parent),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                bufsize=1,
            )
        except OSError as exc:
            raise NodeWorkerCrashed(f"cannot start {self._node} {self._script}: {exc}") from exc
        self._lines = queue.Queue()
        assert proc.stdout is not None and proc.stderr is not None
        threading.Thread(
            target=self._pump, args=(proc.stdout, self._lines), daemon=True, name="node-stdout"
        ).start()
        threading.Thread(
            target=self._drain, args=(proc.stderr, self._stderr), daemon=True, name="node-stderr"
        ).start()
        self._proc = proc
        return proc

    @staticmethod
    def _pump(stream: IO[str], lines: queue.Queue[str | None]) -> None:
        for line in stream:
            lines.put(line)
        lines.put(None)  # EOF marker

    @staticmethod
    def _drain(stream: IO[str], keep: collections.deque[str]) -> None:
        for line in stream:
            keep.append(line.rstrip("\n"))

    def _kill(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.kill()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - kill() is not ignorable
            pass
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass

    def close(self) -> None:
        """Stop the worker process (it restarts on the next call).

        Example:
            >>> worker.close()  # doctest: +SKIP
        """
        with self._lock:
            proc = self._proc
            if proc is not None and proc.poll() is None and proc.stdin is not None:
                try:
                    proc.stdin.close()  # the worker ends its loop on EOF
                    proc.wait(timeout=5)
                except (OSError, subprocess.TimeoutExpired):
                    pass
            self._kill()

    def stderr_tail(self, lines: int = 20) -> str:
        """The last lines the worker wrote to stderr (for diagnostics).

        Example:
            >>> worker.stderr_tail()  # doctest: +SKIP
            ''
        """
        return "\n".join(list(self._stderr)[-lines:])

    @property
    def pid(self) -> int | None:
        """Process id of the running worker, or ``None`` when none is running."""
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    # -- requests -------------------------------------------------------------------------

    def send_raw(self, line: str, *, timeout: float | None = None) -> dict[str, Any]:
        """Send one raw protocol line and return the parsed response object.

        For protocol tests (malformed input); normal code uses :meth:`call`.

        Raises:
            NodeWorkerCrashed: When the worker dies, times out or answers with non-JSON.

        Example:
            >>> worker.send_raw("not json")["ok"]  # doctest: +SKIP
            False
        """
        with self._lock:
            return self._exchange(line, timeout=self.timeout if timeout is None else timeout)

    def request(
        self, op: str, args: Mapping[str, Any] | None = None, *, timeout: float | None = None
    ) -> Any:
        """Run ``op`` with ``args`` in the worker and return its result.

        Args:
            op: Worker operation (``ping``, ``sign_di``, ``verify_di``, ``canonize``...).
            args: JSON-serialisable arguments.
            timeout: Seconds to wait for the answer; the default is :attr:`timeout`.

        Returns:
            The ``result`` member of the worker's response.

        Raises:
            NodeWorkerError: When the operation failed in Node (``ok: false``).
            NodeWorkerCrashed: When the worker died, timed out or broke the protocol.
            TypeError: When ``args`` cannot be serialised as JSON.

        Example:
            >>> worker.request("canonize", {"document": doc})  # doctest: +SKIP
            '<urn:...> <http://...> ...'
        """
        with self._lock:
            self._next_id += 1
            request_id = self._next_id
            message = {"id": request_id, "op": op, "args": dict(args or {})}
            line = json.dumps(message, ensure_ascii=False, allow_nan=False)
            if not line.isascii():
                try:
                    line.encode("utf-8")
                except UnicodeEncodeError:  # a lone surrogate: JSON escapes it, JS reads it
                    line = json.dumps(message, allow_nan=False)
            response = self._exchange(line, timeout=self.timeout if timeout is None else timeout)
        if response.get("id") != request_id:
            self._kill()
            raise NodeWorkerCrashed(
                f"protocol error: answer id {response.get('id')!r} for request {request_id} ({op})"
            )
        if response.get("ok") is True:
            return response.get("result")
        error = response.get("error")
        raise NodeWorkerError(op, error if isinstance(error, Mapping) else {})

    def call(self, op: str, /, **args: Any) -> Any:
        """Run ``op`` with keyword arguments as its JSON ``args`` (default timeout).

        Raises:
            NodeWorkerError: When the operation failed in Node.
            NodeWorkerCrashed: When the worker died, timed out or broke the protocol.

        Example:
            >>> worker.call("jcs", value={"b": 1, "a": 2})  # doctest: +SKIP
            '{"a":2,"b":1}'
        """
        return self.request(op, args)

    def _exchange(self, line: str, *, timeout: float) -> dict[str, Any]:
        if "\n" in line or "\r" in line:
            raise ValueError("a protocol line must not contain a line break")
        proc = self._proc
        if proc is None or proc.poll() is not None:
            if proc is not None:
                self._kill()
                self.restarts += 1
            proc = self._start()
        assert proc.stdin is not None
        try:
            proc.stdin.write(line + "\n")
            proc.stdin.flush()
        except OSError as exc:
            self._kill()
            raise NodeWorkerCrashed(
                f"cannot write to the node worker: {exc}\n{self.stderr_tail()}"
            ) from exc
        try:
            answer = self._lines.get(timeout=timeout)
        except queue.Empty:
            self._kill()
            raise NodeWorkerCrashed(
                f"node worker gave no answer within {timeout:g}s (killed; it restarts on next "
                f"call)\n{self.stderr_tail()}"
            ) from None
        if answer is None:
            code = proc.wait(timeout=10)
            self._kill()
            raise NodeWorkerCrashed(
                f"node worker exited (code {code}) without answering\n{self.stderr_tail()}"
            )
        try:
            response = json.loads(answer)
        except json.JSONDecodeError as exc:
            self._kill()
            raise NodeWorkerCrashed(
                f"node worker wrote a non-JSON line: {answer[:200]!r}\n{self.stderr_tail()}"
            ) from exc
        if not isinstance(response, dict):
            self._kill()
            raise NodeWorkerCrashed(f"node worker wrote a non-object line: {answer[:200]!r}")
        return response


def _running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def _unavailable(reason: str) -> None:
    """Skip locally, fail in CI: interop must never be skipped silently there."""
    if _running_in_ci():
        pytest.fail(f"interop harness unavailable in CI: {reason}", pytrace=False)
    pytest.skip(f"interop harness unavailable: {reason}")


def _pinned_versions() -> dict[str, str]:
    package = json.loads((NODE_DIR / "package.json").read_text(encoding="utf-8"))
    deps = package.get("dependencies", {})
    return {str(k): str(v) for k, v in deps.items()}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test collected under ``tests/interop/`` as ``interop``."""
    for item in items:
        if INTEROP_DIR in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.interop)


@pytest.fixture(scope="session")
def node_worker() -> Iterator[NodeWorker]:
    """The shared Node worker; skipped locally (failed in CI) when it cannot run.

    Checks that the installed ``node_modules`` match the exact versions pinned in
    ``package.json`` (a stale install fails loudly rather than testing the wrong stack).
    """
    node = shutil.which("node")
    if node is None:
        _unavailable("`node` is not on PATH (Node.js >= 20 is required)")
    assert node is not None
    if not NODE_MODULES.is_dir():
        _unavailable(f"{NODE_MODULES} is missing; install it with `{INSTALL_HINT}`")
    worker = NodeWorker(node=node, script=WORKER_SCRIPT)
    try:
        info = worker.request("ping", timeout=STARTUP_TIMEOUT_S)
    except (NodeWorkerCrashed, NodeWorkerError) as exc:
        worker.close()
        pytest.fail(f"the node worker does not start: {exc}", pytrace=False)
    installed = info.get("packages", {}) if isinstance(info, dict) else {}
    stale = {
        name: (want, installed.get(name))
        for name, want in _pinned_versions().items()
        if installed.get(name) != want
    }
    if stale:
        worker.close()
        pytest.fail(
            f"node_modules does not match package.json (name: (pinned, installed)): {stale}; "
            f"reinstall with `{INSTALL_HINT}`",
            pytrace=False,
        )
    yield worker
    worker.close()


@pytest.fixture(scope="session")
def node_call(node_worker: NodeWorker) -> Callable[..., Any]:
    """``node_call(op, args_dict, timeout=None)``: the shared worker as a plain function."""
    return node_worker.request
