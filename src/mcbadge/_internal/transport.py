"""The httpx transport behind :func:`mcbadge.net.fetch`: checked addresses, one deadline.

Imported on the first network fetch only (it loads httpx and httpcore).
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import httpcore
import httpx

from mcbadge._internal.urls import literal_ip

if TYPE_CHECKING:
    from mcbadge.net import IpAddress, NetworkPolicy

__all__ = ["AddressRefused", "Deadline", "GuardedTransport"]


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def left(self, timeout: float | None = None) -> float:
        remaining = self.end - time.monotonic()
        if remaining <= 0:
            raise httpcore.ReadTimeout(f"the {self.seconds}s deadline has passed")
        return remaining if timeout is None else min(timeout, remaining)


class DeadlineStream(httpcore.NetworkStream):
    """A connection whose every operation ends by the fetch's deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: Deadline) -> None:
        self._inner = inner
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._deadline.left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._deadline.left(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(ssl_context, server_hostname, self._deadline.left(timeout))
        return DeadlineStream(inner, self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class AddressRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _GuardedBackend(httpcore.NetworkBackend):
    """Resolves, checks every address, and connects to the address it checked."""

    def __init__(self, policy: NetworkPolicy, deadline: Deadline) -> None:
        self._policy = policy
        self._deadline = deadline
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        address = _checked_address(host, port, self._policy)
        stream = self._inner.connect_tcp(
            str(address),
            port,
            timeout=self._deadline.left(timeout),
            local_address=local_address,
            socket_options=socket_options,
        )
        return DeadlineStream(stream, self._deadline)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:  # pragma: no cover - mcbadge never asks for one
        raise AddressRefused("unix sockets are not reached")

    def sleep(self, seconds: float) -> None:  # pragma: no cover - no retries configured
        time.sleep(seconds)


def _checked_address(host: str, port: int, policy: NetworkPolicy) -> IpAddress:
    literal = literal_ip(host)
    if literal is not None:
        if not policy.allows(literal):
            raise AddressRefused(f"{host} is the non-public address {literal}")
        return literal
    if not policy.allows_name(host):
        raise AddressRefused(f"{host} names this machine")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
    if not addresses:
        raise httpcore.ConnectError(f"{host} has no address")
    refused = [a for a in addresses if not policy.allows(a)]
    if refused:
        # one non-public answer is enough to refuse: the next lookup may pick it
        raise AddressRefused(f"{host} resolves to the non-public address {refused[0]}")
    return addresses[0]


def _default_tls_context() -> ssl.SSLContext:
    try:
        import certifi
    except ImportError:  # pragma: no cover - httpx depends on certifi
        return ssl.create_default_context()
    return ssl.create_default_context(cafile=certifi.where())


class GuardedTransport(httpx.BaseTransport):
    def __init__(self, policy: NetworkPolicy, deadline: Deadline) -> None:
        context = policy.tls_context or _default_tls_context()
        self._pool = httpcore.ConnectionPool(
            ssl_context=context,
            max_connections=4,
            network_backend=_GuardedBackend(policy, deadline),
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.SyncByteStream)  # noqa: S101 - httpx contract
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        response = self._pool.handle_request(core_request)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_CoreStream(response),
            extensions=response.extensions,
        )

    def close(self) -> None:
        self._pool.close()


class _CoreStream(httpx.SyncByteStream):
    def __init__(self, response: httpcore.Response) -> None:
        self._response = response

    def __iter__(self) -> Iterator[bytes]:
        yield from self._response.iter_stream()

    def close(self) -> None:
        self._response.close()
