"""What every resource shares: a request as plain data, a page of results, and the two runners.

A resource writes each operation once, as a function that returns a `Request`: its method, path, query
and body, how its answer is read, and whether it is safe to repeat. Paging is written once too: reading a
page gives its items and the request for the next page (or None). The runners are the only code that
differs between `Client` and `AsyncClient`: they send a request through the client's own retry loop
(`_call`), and loop over pages.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar
from urllib.parse import urlencode

import attrs

if TYPE_CHECKING:
    from d360.config import ClientConfig
    from d360.resources.template_cache import TemplateCache
    from d360.responses import ResponseParser

T = TypeVar("T")
R = TypeVar("R")


@attrs.frozen
class Request(Generic[T]):
    """One API call, not yet sent: what `parse` makes of a 2xx answer is what running it returns."""

    method: str
    path: str
    """Under the client's base URL, starting with `/`; every part from outside already quoted."""
    parse: ResponseParser[T] = attrs.field(repr=False)
    """Reads a 2xx answer (status, headers, body), or raises UnexpectedResponseError."""
    query: tuple[tuple[str, str], ...] = ()
    body: bytes | None = attrs.field(default=None, repr=False)
    idempotent: bool = False
    """Safe to repeat after a failure that may have reached upstream (a read, a deletion): retried then too."""
    content_type: str | None = None
    """The body's type when it is not JSON (a multipart form); None: the client's `application/json`."""

    def url(self, base_url: str) -> str:
        return f"{base_url}{self.path}{'?' + urlencode(self.query) if self.query else ''}"


@attrs.frozen
class Page(Generic[T]):
    """What one request of a listing gave, and the request for the next page (None: this was the last)."""

    items: tuple[T, ...]
    next: Request[Page[T]] | None = None


class BlockingCaller(Protocol):
    """What a runner needs of `Client` (said here, so resources import no client)."""

    _config: ClientConfig
    _template_cache: TemplateCache[Any, Any]

    def _call(
        self,
        method: str,
        url: str,
        content: bytes | None,
        parse: ResponseParser[T],
        *,
        idempotent: bool = False,
        content_type: str | None = None,
    ) -> T: ...


class AwaitingCaller(Protocol):
    """What a runner needs of `AsyncClient`."""

    _config: ClientConfig
    _template_cache: TemplateCache[Any, Any]

    async def _call(
        self,
        method: str,
        url: str,
        content: bytes | None,
        parse: ResponseParser[T],
        *,
        idempotent: bool = False,
        content_type: str | None = None,
    ) -> T: ...


class Runner(Protocol):
    """Runs requests for a resource; what it returns is a value (blocking) or an awaitable of one."""

    @property
    def validates(self) -> bool:
        """Whether the client checks what it sends (`validate=` on the client)."""
        ...

    def run(self, request: Request[Any]) -> Any: ...

    def forget_template(self, name: str) -> None:
        """Drop what the client's template check holds of `name` (every language): it is being changed."""
        ...

    def pages(self, first: Request[Page[Any]]) -> Any: ...

    def collect(self, first: Request[Page[Any]], finish: Callable[[list[Any]], Any]) -> Any: ...


class BlockingRunner:
    """Runs requests through `Client`'s retry loop."""

    def __init__(self, client: BlockingCaller) -> None:
        self._client = client

    @property
    def validates(self) -> bool:
        return bool(self._client._config.validate)

    def forget_template(self, name: str) -> None:
        self._client._template_cache.forget(lambda key: key[0] == name)

    def run(self, request: Request[T]) -> T:
        client = self._client
        url = request.url(client._config.base_url)
        return client._call(
            request.method,
            url,
            request.body,
            request.parse,
            idempotent=request.idempotent,
            content_type=request.content_type,
        )

    def pages(self, first: Request[Page[T]]) -> Iterator[T]:
        """Every item of every page, each page requested only when the previous one is used up."""
        request: Request[Page[T]] | None = first
        while request is not None:
            page = self.run(request)
            yield from page.items
            request = page.next

    def collect(self, first: Request[Page[T]], finish: Callable[[list[T]], R]) -> R:
        """`finish` of every item of every page."""
        return finish(list(self.pages(first)))


class AwaitingRunner:
    """Runs requests through `AsyncClient`'s retry loop."""

    def __init__(self, client: AwaitingCaller) -> None:
        self._client = client

    @property
    def validates(self) -> bool:
        return bool(self._client._config.validate)

    def forget_template(self, name: str) -> None:
        self._client._template_cache.forget(lambda key: key[0] == name)

    async def run(self, request: Request[T]) -> T:
        client = self._client
        url = request.url(client._config.base_url)
        return await client._call(
            request.method,
            url,
            request.body,
            request.parse,
            idempotent=request.idempotent,
            content_type=request.content_type,
        )

    async def pages(self, first: Request[Page[T]]) -> AsyncIterator[T]:
        request: Request[Page[T]] | None = first
        while request is not None:
            page = await self.run(request)
            for item in page.items:
                yield item
            request = page.next

    async def collect(self, first: Request[Page[T]], finish: Callable[[list[T]], R]) -> R:
        return finish([item async for item in self.pages(first)])
