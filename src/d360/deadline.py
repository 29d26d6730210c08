"""A blocking request's deadline, enforced under httpx's sockets.

httpx bounds each read, not a whole request, and reads an answer's headers before d360 could check any
clock. So `Client`'s transport sets `DEADLINE` around each request, and the sockets of the pools d360
makes itself wait no longer than what is left of it. Imported with the first `Client` d360 makes (it
needs httpcore, which `import httpx` does not load either), not by `import d360`.
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import httpcore
import httpx

if TYPE_CHECKING:
    import ssl

DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("d360_deadline", default=None)
"""When the request under way must be done (time.monotonic()), for the network streams below."""


def within_deadline(timeout: float | None, expired: type[Exception]) -> float | None:
    deadline_at = DEADLINE.get()
    if deadline_at is None:
        return timeout
    remaining = deadline_at - time.monotonic()
    if remaining <= 0:
        raise expired("the request's deadline has passed")
    return remaining if timeout is None else min(timeout, remaining)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket whose every read and write waits no longer than what is left of the request's deadline."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, within_deadline(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, within_deadline(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(
            self._stream.start_tls(ssl_context, server_hostname, within_deadline(timeout, httpcore.ConnectTimeout))
        )

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        timeout = within_deadline(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._inner.connect_tcp(host, port, timeout, local_address, socket_options))

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        timeout = within_deadline(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._inner.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def bound_every_socket_read(client: httpx.Client) -> None:
    """Put the deadline under each of the client's connection pools.

    httpx exposes no per-request deadline, and the headers of an answer are read before any body chunk
    could be checked, so the bound goes under httpcore's sockets. Done only on clients d360 made itself;
    on a user's own client (or a pool without the hook) the body is still checked chunk by chunk.
    """
    for transport in [client._transport, *client._mounts.values()]:  # private: httpx has no public hook
        pool = getattr(transport, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if backend is not None and not isinstance(backend, _DeadlineBackend):
            pool._network_backend = _DeadlineBackend(backend)  # type: ignore[union-attr]
