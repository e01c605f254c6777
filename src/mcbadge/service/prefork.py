"""``mcbadge serve --workers N``: N processes serving one listening socket (pre-fork).

The parent binds the socket, then forks the workers; each builds its own application (its own
store connection: SQLite and PostgreSQL connections are never shared across a fork) and runs
uvicorn on the inherited socket, so the kernel spreads connections over them. The parent only
supervises: SIGTERM or Ctrl-C stops every worker gracefully; a worker that dies is started
again, unless it dies within a second of starting (then the service stops, with an error).
Needs ``fork`` (Linux, macOS).
"""

from __future__ import annotations

import os
import signal
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
    sock = _listen(host, port)
    url = _base_url(host, int(sock.getsockname()[1]), certfile is not None)
    what = f"VC API for issuer {issuer}" if issuer is not None else "verify-only service"
    # the URL ends the line: scripts read it from there (the verify page is at its root)
    print(f"mcbadge {what}, {workers} workers, on {url}", file=sys.stderr, flush=True)

    def worker() -> int:  # pragma: no cover - runs in the forked workers
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        try:
            app = build()
            _bind_public_url(app, url)
            config = _config(
                app, host=host, port=port, certfile=certfile, keyfile=keyfile, log_level=log_level
            )
            uvicorn.Server(config).run(sockets=[sock])
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
