"""Running the service: :func:`serve` (uvicorn, optional TLS) and :class:`BackgroundServer` (a
thread, for tests and examples).
"""

from __future__ import annotations

import os
import socket
import ssl
import sys
import threading
import time
from types import TracebackType

from mcbadge.errors import (
    InvalidInputError,
    McBadgeError,
)

try:  # the service needs the optional extra: pip install "mcbadge[service]"
    import uvicorn
    from starlette.applications import Starlette
except ImportError as _exc:  # pragma: no cover - exercised only without the extra
    _IMPORT_ERROR: ImportError | None = _exc
else:
    _IMPORT_ERROR = None
from mcbadge.service.errors import _require_extra

# --------------------------------------------------------------------------- running


def _check_tls(
    certfile: str | os.PathLike[str] | None, keyfile: str | os.PathLike[str] | None
) -> None:
    if certfile is None and keyfile is None:
        return
    if certfile is None or keyfile is None:
        raise InvalidInputError(
            "HTTPS needs both a certificate (certfile) and its private key (keyfile)",
            code="invalid_option",
        )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        context.load_cert_chain(os.fspath(certfile), os.fspath(keyfile))
    except (OSError, ssl.SSLError) as exc:
        raise InvalidInputError(
            f"cannot use the TLS certificate {os.fspath(certfile)} with key "
            f"{os.fspath(keyfile)}: {exc}",
            code="tls_files_invalid",
        ) from exc


def _config(
    app: Starlette,
    *,
    host: str,
    port: int,
    certfile: str | os.PathLike[str] | None,
    keyfile: str | os.PathLike[str] | None,
    log_level: str,
) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        ssl_certfile=os.fspath(certfile) if certfile is not None else None,
        ssl_keyfile=os.fspath(keyfile) if keyfile is not None else None,
        log_level=log_level,
        lifespan="off",
        server_header=False,
        proxy_headers=False,
        timeout_keep_alive=5,
    )


def _bind_public_url(app: Starlette, url: str) -> None:
    """Give a store-backed app without a configured public URL the address it is served at."""
    status = getattr(app.state, "status", None)
    if status is not None:
        status.bind_public_url(url, only_if_unset=True)


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise McBadgeError(
            f"cannot listen on {host}:{port}: {exc.strerror}", code="service_start_failed"
        ) from exc
    sock.listen(2048)
    return sock


def _base_url(host: str, port: int, tls: bool) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"{'https' if tls else 'http'}://{shown}:{port}"


def serve(
    app: Starlette,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    certfile: str | os.PathLike[str] | None = None,
    keyfile: str | os.PathLike[str] | None = None,
    log_level: str = "info",
) -> None:
    """Run the service in the foreground until interrupted (Ctrl-C / SIGTERM).

    Args:
        app: The application from :func:`create_app`.
        host: Interface to listen on; default loopback only.
        port: TCP port.
        certfile: TLS certificate chain (PEM) to serve HTTPS; needs ``keyfile``.
        keyfile: The TLS certificate's private key (PEM). Not the signing key.
        log_level: uvicorn log level (``"info"``, ``"warning"``…).

    Raises:
        InvalidInputError: only one of certfile/keyfile, or they cannot be loaded.

    Example:
        >>> serve(create_app(key=key), port=8443,
        ...       certfile="cert.pem", keyfile="tls-key.pem")  # doctest: +SKIP
    """
    _require_extra()
    _check_tls(certfile, keyfile)
    sock = _listen(host, port)
    url = _base_url(host, int(sock.getsockname()[1]), certfile is not None)
    _bind_public_url(app, url)
    issuer = getattr(app.state, "issuer_id", None)
    what = f"VC API for issuer {issuer}" if issuer is not None else "verify-only service"
    # the URL ends the line: scripts read it from there (the verify page is at its root)
    print(f"mcbadge {what} on {url}", file=sys.stderr, flush=True)
    try:
        uvicorn.Server(
            _config(
                app, host=host, port=port, certfile=certfile, keyfile=keyfile, log_level=log_level
            )
        ).run(sockets=[sock])
    finally:
        sock.close()


class BackgroundServer:
    """Run the service in a background thread (tests, examples, embedding).

    The socket is bound before the thread starts, so ``port=0`` (the default) gets a free
    port from the operating system; :attr:`url` tells which.

    Args:
        app: The application from :func:`create_app`.
        host: Interface to listen on; default ``127.0.0.1``.
        port: TCP port; ``0`` lets the OS choose.
        certfile: TLS certificate chain (PEM) for HTTPS.
        keyfile: The TLS certificate's private key (PEM).
        log_level: uvicorn log level; default ``"warning"``.
        startup_timeout: Seconds to wait for the server to start.

    Raises:
        InvalidInputError: bad TLS files.

    Example:
        >>> with BackgroundServer(create_app(key=key)) as server:  # doctest: +SKIP
        ...     httpx.get(server.url + "/health")
    """

    def __init__(
        self,
        app: Starlette,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        certfile: str | os.PathLike[str] | None = None,
        keyfile: str | os.PathLike[str] | None = None,
        log_level: str = "warning",
        startup_timeout: float = 10.0,
    ) -> None:
        _require_extra()
        _check_tls(certfile, keyfile)
        self._app = app
        self._host = host
        self._port = port
        self._tls = certfile is not None
        self._startup_timeout = startup_timeout
        self._server = uvicorn.Server(
            _config(
                app, host=host, port=port, certfile=certfile, keyfile=keyfile, log_level=log_level
            )
        )
        self._socket: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._bound_port: int | None = None

    @property
    def url(self) -> str:
        """The base URL, e.g. ``http://127.0.0.1:54321`` (available after :meth:`start`).

        Raises:
            InvalidInputError: the server has not been started.

        Example:
            >>> BackgroundServer(create_app(key=key)).start()  # doctest: +SKIP
            'http://127.0.0.1:54321'
        """
        if self._bound_port is None:
            raise InvalidInputError("the server is not started", code="service_not_started")
        host = f"[{self._host}]" if ":" in self._host else self._host
        scheme = "https" if self._tls else "http"
        return f"{scheme}://{host}:{self._bound_port}"

    def start(self) -> str:
        """Bind the socket, start serving in a daemon thread, and wait until it accepts.

        Returns:
            The base URL.

        Raises:
            McBadgeError: the port cannot be bound, or the server did not start within
                ``startup_timeout`` (code ``service_start_failed``).

        Example:
            >>> server = BackgroundServer(create_app(key=key))  # doctest: +SKIP
            >>> url = server.start()  # doctest: +SKIP
            >>> server.stop()  # doctest: +SKIP
        """
        family = socket.AF_INET6 if ":" in self._host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self._host, self._port))
        except OSError as exc:
            sock.close()
            raise McBadgeError(
                f"cannot listen on {self._host}:{self._port}: {exc.strerror}",
                code="service_start_failed",
            ) from exc
        sock.listen(128)
        self._socket = sock
        self._bound_port = int(sock.getsockname()[1])
        _bind_public_url(self._app, self.url)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [sock]},
            name="mcbadge-service",
            daemon=True,
        )
        self._thread.start()
        deadline = time.monotonic() + self._startup_timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise McBadgeError(
                    "the mcbadge service did not start; see the log", code="service_start_failed"
                )
            time.sleep(0.01)
        return self.url

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the server to finish its requests and stop; wait for the thread.

        Args:
            timeout: Seconds to wait for the thread (then it is forced to exit).

        Raises:
            Nothing: stopping a server that never started is a no-op.

        Example:
            >>> server.stop()  # doctest: +SKIP
        """
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                self._server.force_exit = True
                self._thread.join(timeout)
        if self._socket is not None:
            self._socket.close()
            self._socket = None

    def __enter__(self) -> BackgroundServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
