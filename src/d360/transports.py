"""How a request goes over the wire, and how each HTTP library's failures are read.

`Client` uses httpx. `AsyncClient` uses aiohttp unless given an `httpx.AsyncClient`: measured at 32
requests in flight against a local server, httpx's async pool spends about 2.6 ms of CPU per request
(its connection pool rescans every connection for every request, and httpcore retries a failed
`import sniffio` each time), aiohttp about 0.15 ms. Both paths read failures into one `ConnectionFailure`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

import attrs
import httpx

if TYPE_CHECKING:
    import aiohttp


@attrs.frozen
class RawResponse:
    status_code: int
    headers: Mapping[str, str]
    """Case-insensitive, as both libraries give them."""
    content: bytes


@attrs.frozen
class ConnectionFailure:
    """A request that got no answer: why, and whether it may have reached upstream."""

    reason: str
    timed_out: bool
    maybe_sent: bool


class TransportFailure(Exception):
    def __init__(self, failure: ConnectionFailure) -> None:
        super().__init__(failure.reason)
        self.failure = failure


class AsyncTransport(Protocol):
    async def post(
        self, url: str, content: bytes, headers: Mapping[str, str], timeout: httpx.Timeout | None
    ) -> RawResponse:
        """POST and read the whole answer; `timeout` None means the transport's own. Raises TransportFailure."""
        ...

    async def aclose(self) -> None: ...


def httpx_failure(exc: httpx.TransportError) -> ConnectionFailure:
    reason = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
        return ConnectionFailure(reason, timed_out=True, maybe_sent=False)
    if isinstance(exc, httpx.TimeoutException):  # read or write timeout: the request had left
        return ConnectionFailure(reason, timed_out=True, maybe_sent=True)
    if isinstance(exc, httpx.ConnectError | httpx.ProxyError | httpx.UnsupportedProtocol):
        return ConnectionFailure(reason, timed_out=False, maybe_sent=False)
    return ConnectionFailure(reason, timed_out=False, maybe_sent=True)


class HttpxAsyncTransport:
    """A user's own `httpx.AsyncClient`, for proxies, mounts or event hooks; d360 never closes it."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def post(
        self, url: str, content: bytes, headers: Mapping[str, str], timeout: httpx.Timeout | None
    ) -> RawResponse:
        extra: dict[str, Any] = {} if timeout is None else {"timeout": timeout}
        try:
            response = await self.client.post(url, content=content, headers=headers, **extra)
        except httpx.TransportError as exc:
            raise TransportFailure(httpx_failure(exc)) from exc
        return RawResponse(response.status_code, response.headers, response.content)

    async def aclose(self) -> None:
        pass


class AiohttpTransport:
    """aiohttp, with httpx's TLS settings (certifi, verification on); the session opens on first use,
    inside the event loop that uses it."""

    def __init__(self, timeout: httpx.Timeout) -> None:
        self._timeout = timeout
        self._session: aiohttp.ClientSession | None = None

    async def post(
        self, url: str, content: bytes, headers: Mapping[str, str], timeout: httpx.Timeout | None
    ) -> RawResponse:
        import aiohttp

        session = self._session or self._open()
        extra: dict[str, Any] = {} if timeout is None else {"timeout": _aiohttp_timeout(timeout)}
        try:
            async with session.post(url, data=content, headers=headers, **extra) as response:
                body = await response.read()
                return RawResponse(response.status, response.headers, body)
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            raise TransportFailure(aiohttp_failure(exc)) from exc

    def _open(self) -> aiohttp.ClientSession:
        import aiohttp

        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(ssl=httpx.create_ssl_context()),
            timeout=_aiohttp_timeout(self._timeout),
        )
        return self._session

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


def _aiohttp_timeout(timeout: httpx.Timeout) -> aiohttp.ClientTimeout:
    import aiohttp

    # aiohttp's `connect` covers waiting for a pooled connection, httpx's `pool`.
    return aiohttp.ClientTimeout(total=None, connect=timeout.pool, sock_connect=timeout.connect, sock_read=timeout.read)


def aiohttp_failure(exc: BaseException) -> ConnectionFailure:
    import aiohttp

    reason = str(exc) or type(exc).__name__
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return ConnectionFailure(reason or "connect timeout", timed_out=True, maybe_sent=False)
    if isinstance(exc, aiohttp.ServerTimeoutError | asyncio.TimeoutError):  # waiting for the answer
        return ConnectionFailure(reason or "read timeout", timed_out=True, maybe_sent=True)
    if isinstance(exc, aiohttp.ClientConnectorError | aiohttp.InvalidURL):
        return ConnectionFailure(reason, timed_out=False, maybe_sent=False)
    return ConnectionFailure(reason, timed_out=False, maybe_sent=True)
