"""``mcbadge serve --workers N``: N processes serving one listening socket (pre-fork).

The parent binds the port, then forks the workers; each builds its own application (its own
store connection: SQLite and PostgreSQL connections are never shared across a fork) and runs
uvicorn. On Linux every worker listens on its own ``SO_REUSEPORT`` socket, so the kernel
spreads new connections evenly over the workers (with one shared socket, the worker that is
fastest to ``accept`` takes nearly all keep-alive connections and the others idle); the
parent's socket is bound but never listens, so it holds the port and receives nothing.
Elsewhere the workers share the parent's listening socket. The parent only
supervises: SIGTERM or Ctrl-C stops every worker gracefully; a worker that dies is started
again, unless it dies within a second of starting (then the service stops, with an error).
Needs ``fork`` (Linux, macOS).
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import time
import traceback
from collections.abc import Callable
from types import FrameType

from mcbadge.errors import InvalidInputError, McBadgeError
from mcbadge.service.errors import _require_extra
from mcbadge.service.server import _base_url, _bind_public_url, _check_tls, _config, _listen

try:  # the service needs the optional extra: pip install "mcbadge[service]"
    import uvicorn
    from starlette.applications import Starlette
except ImportError:  # pragma: no cover - exercised only without the extra
    pass

__all__ = ["serve_workers"]

_TOO_SOON = 1.0  # seconds: a worker dying this fast is failing at start-up, not crashing


def _close_store(app: Starlette) -> None:
    status = getattr(app.state, "status", None)
    store = getattr(status, "store", None)
    close = getattr(store, "close", None)
    if callable(close):
        close()


def _reuse_port_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise McBadgeError(
            f"cannot listen on {host}:{port}: {exc.strerror}", code="service_start_failed"
        ) from exc
    return sock


def _reserve(host: str, port: int) -> socket.socket:
    """The parent's socket: bound (the port is taken, ``0`` resolved), never listening."""
    return _reuse_port_socket(host, port)


def _listen_shared(host: str, port: int) -> socket.socket:  # pragma: no cover - in workers
    """A worker's own listening socket on the port (Linux balances connections over them)."""
    sock = _reuse_port_socket(host, port)
    sock.listen(2048)
    return sock


def serve_workers(
    build: Callable[[], Starlette],
    *,
    workers: int,
    host: str = "127.0.0.1",
    port: int = 8000,
    certfile: str | os.PathLike[str] | None = None,
    keyfile: str | os.PathLike[str] | None = None,
    log_level: str = "info",
) -> None:
    """Serve with ``workers`` processes on one socket until SIGTERM / Ctrl-C.

    Args:
        build: Makes the application; called once here (to check the configuration before
            any worker starts; its store is closed again) and once in each worker.
        workers: How many worker processes (at least 2; use :func:`serve` for one).
        host: Interface to listen on.
        port: TCP port.
        certfile: TLS certificate chain (PEM) to serve HTTPS; needs ``keyfile``.
        keyfile: The TLS certificate's private key (PEM).
        log_level: uvicorn log level.

    Raises:
        InvalidInputError: fewer than 2 workers, no ``fork`` on this platform, bad TLS files.
        McBadgeError: the port cannot be bound (``service_start_failed``), or a worker failed
            at start-up (``service_worker_failed``).

    Example:
        >>> serve_workers(lambda: create_app(key=key), workers=4)  # doctest: +SKIP
    """
    _require_extra()
    if workers < 2:
        raise InvalidInputError("serve_workers needs at least 2 workers", code="invalid_option")
    if not hasattr(os, "fork"):  # pragma: no cover - Windows
        raise InvalidInputError(
            "--workers above 1 needs fork (Linux, macOS); run one process per port instead",
            code="invalid_option",
        )
    _check_tls(certfile, keyfile)
    first = build()  # a configuration error is reported once, before anything forks
    issuer = getattr(first.state, "issuer_id", None)
    _close_store(first)
    del first
    reuse_port = sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")
    sock = _reserve(host, port) if reuse_port else _listen(host, port)
    bound = int(sock.getsockname()[1])
    url = _base_url(host, bound, certfile is not None)
    what = f"VC API for issuer {issuer}" if issuer is not None else "verify-only service"
    # the URL ends the line: scripts read it from there (the verify page is at its root)
    print(f"mcbadge {what}, {workers} workers, on {url}", file=sys.stderr, flush=True)

    def worker() -> int:  # pragma: no cover - runs in the forked workers
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        try:
            listening = _listen_shared(host, bound) if reuse_port else sock
            app = build()
            _bind_public_url(app, url)
            config = _config(
                app, host=host, port=bound, certfile=certfile, keyfile=keyfile, log_level=log_level
            )
            uvicorn.Server(config).run(sockets=[listening])
        except BaseException:  # noqa: BLE001 - report, and let the parent decide
            traceback.print_exc()
            return 1
        return 0

    children: dict[int, float] = {}
    stopping = False

    def start() -> None:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            os._exit(worker())
        children[pid] = time.monotonic()

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    failed = False
    try:
        for _ in range(workers):
            start()
        while children:
            pid, _status = os.wait()
            started = children.pop(pid, None)
            if started is None or stopping:
                continue
            if time.monotonic() - started < _TOO_SOON:
                failed = True
                stop(signal.SIGTERM, None)
                continue
            print(f"mcbadge: worker {pid} stopped; starting another", file=sys.stderr, flush=True)
            start()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        sock.close()
    if failed:
        raise McBadgeError(
            "a service worker failed at start-up (see the messages above)",
            code="service_worker_failed",
        )
