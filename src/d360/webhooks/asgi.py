"""The receiver as an ASGI app: mount it in Starlette or FastAPI, or serve it with uvicorn alone.

Handlers run in worker tasks on the app's event loop after the answer has gone: coroutine handlers are
awaited there, plain functions run in threads so they never hold up the next delivery's 200.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any

from d360.webhooks.events import AnyEvent

if TYPE_CHECKING:
    from d360.webhooks.answer import Accepting, Answer

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class ASGIReceiver:
    """`receiver.asgi`. Its queue and workers start with the first delivery, on the loop serving it."""

    def __init__(self, receiver: Accepting) -> None:
        self.receiver = receiver
        self._queue: asyncio.Queue[AnyEvent] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._workers: list[asyncio.Task[None]] = []
        self._pending = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":  # a websocket has no business here
            await send({"type": "websocket.close", "code": 1008})
            return
        body = await _read_body(receive, self.receiver.max_body_bytes)
        answer = self.receiver.accept(body, scope.get("headers", ()), method=scope["method"], path=scope.get("path"))
        if answer.events:
            answer = self._enqueue(answer)
        await _respond(send, answer)

    def _enqueue(self, answer: Answer) -> Answer:
        queue = self._ensure_workers()
        # No await between the check and the puts: nothing else on this loop can take the room meanwhile.
        if queue.maxsize - queue.qsize() < len(answer.events):
            self.receiver.release(answer.events)
            return self.receiver.queue_full()
        for event in answer.events:
            queue.put_nowait(event)
        self._pending += len(answer.events)
        return answer

    def _ensure_workers(self) -> asyncio.Queue[AnyEvent]:
        loop = asyncio.get_running_loop()
        if self._queue is None or self._loop is not loop:
            self._loop, self._pending = loop, 0
            self._queue = asyncio.Queue(maxsize=self.receiver.queue_size)
            self._workers = [
                loop.create_task(self._work(self._queue), name=f"d360-webhook-worker-{number}")
                for number in range(self.receiver.workers)
            ]
        return self._queue

    async def _work(self, queue: asyncio.Queue[AnyEvent]) -> None:
        while True:
            event = await queue.get()
            try:
                for handler, is_async in self.receiver.handlers_for(event):
                    try:
                        if is_async:
                            await handler(event)
                        else:
                            await asyncio.to_thread(handler, event)
                    except Exception as exc:
                        self.receiver.handled(event, handler, exc)
                    else:
                        self.receiver.handled(event, handler, None)
            finally:
                self._pending -= 1
                queue.task_done()

    @property
    def pending(self) -> int:
        """Events queued or being handled."""
        return self._pending

    async def drain(self, timeout: float | None = None) -> bool:
        """Wait until every queued event has been handled; False if `timeout` seconds pass first."""
        if self._queue is None or self._loop is not asyncio.get_running_loop():
            return True
        try:
            await asyncio.wait_for(self._queue.join(), timeout)
        except TimeoutError:
            return False
        return True

    async def aclose(self, timeout: float | None = 30.0) -> bool:
        """Handle what is queued (up to `timeout` seconds), then stop the workers. True if all was handled."""
        drained = await self.drain(timeout)
        for worker in self._workers:
            worker.cancel()
        await asyncio.gather(*self._workers, return_exceptions=True)
        self._workers, self._queue, self._loop, self._pending = [], None, None, 0
        return drained

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.aclose()
                await send({"type": "lifespan.shutdown.complete"})
                return


async def _read_body(receive: Receive, limit: int) -> bytes:
    """The request body, read no further than one byte past `limit` (enough to know it is too large)."""
    parts: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        parts.append(chunk)
        if size > limit or not message.get("more_body", False):
            break
    return b"".join(parts)[: limit + 1]


async def _respond(send: Send, answer: Answer) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(answer.body)).encode())]
    headers += [(name.lower().encode(), value.encode()) for name, value in answer.headers]
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": answer.body})
