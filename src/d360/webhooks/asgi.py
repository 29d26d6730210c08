"""The receiver as an ASGI app: mount it in Starlette or FastAPI, or serve it with uvicorn alone.

Handlers run in worker tasks on the app's event loop after the answer has gone: coroutine handlers are
awaited there, plain functions run in threads so they never hold up the next delivery's 200. A large
delivery is checked and parsed in a thread of its own, so it never holds up the loop either. Shutdown
(the lifespan, or `aclose()`) handles what is queued; workers cancelled any other way say what is lost.
With an inbox, a pump task leases events from it into the queue (woken by each delivery stored, and
every `poll_interval` for the others' and for retries) and renews the leases while handlers run; the
lifespan's startup starts it, so events a dead process left are handled before any new delivery.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from d360.webhooks.events import AnyEvent

if TYPE_CHECKING:
    from d360.webhooks.answer import Accepting, Answer

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

logger = logging.getLogger("d360.webhooks")

OFFLOAD_BYTES = 16 << 10
"""Bodies larger than this are verified, parsed and de-duplicated in a thread: a 1 MiB delivery takes
tens of milliseconds, which would hold up every other delivery's answer. Smaller ones (a delivery of one
status is about 600 bytes) cost less on the loop than the hop to a thread."""
_ACCEPTING_THREADS = 2


class ASGIReceiver:
    """`receiver.asgi`. Its queue and workers start with the first delivery, on the loop serving it."""

    def __init__(self, receiver: Accepting) -> None:
        self.receiver = receiver
        self._queue: asyncio.Queue[AnyEvent] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._workers: list[asyncio.Task[None]] = []
        self._in_hand: dict[int, AnyEvent] = {}
        """The event each worker is handling, by worker number."""
        self._pending = 0
        self._closing = False
        self._lifespan_seen = False
        self._accepting: ThreadPoolExecutor | None = None
        self._pump: asyncio.Task[None] | None = None
        self._batch: list[tuple[list[Any], asyncio.Future[list[bool]]]] = []
        self._storer: asyncio.Task[None] | None = None
        self._ended: list[tuple[AnyEvent, asyncio.Future[None]]] = []
        self._settler: asyncio.Task[None] | None = None
        self._wake: asyncio.Event | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":  # a websocket has no business here
            await send({"type": "websocket.close", "code": 1008})
            return
        body = await _read_body(receive, self.receiver.max_body_bytes)
        accept = functools.partial(
            self.receiver.accept, body, scope.get("headers", ()), method=scope["method"], path=scope.get("path")
        )
        if OFFLOAD_BYTES < len(body) <= self.receiver.max_body_bytes:
            answer = await self._accept_in_thread(accept)
        elif self.receiver.inbox is not None:
            answer = await self._accept_stored(body, scope)
        else:
            answer = accept()
        if answer.events:
            answer = self._enqueue(answer)
        await _respond(send, answer)

    async def _accept_stored(self, body: bytes, scope: Scope) -> Answer:
        """Check on the loop, then store with the deliveries arriving meanwhile, in one transaction in a
        thread (a group commit: one write for many deliveries under load, none holding up the loop)."""
        receiver = self.receiver
        checked = receiver.check(body, scope.get("headers", ()), method=scope["method"], path=scope.get("path"))
        if not isinstance(checked, list):
            return checked
        to_store = receiver.to_store(checked, body)
        firsts: list[bool] | BaseException = []
        if to_store:
            try:
                firsts = await self._store(to_store)
            except Exception as exc:
                firsts = exc
        return receiver.answer_for(checked, to_store, firsts)

    async def _store(self, items: list[Any]) -> list[bool]:
        loop = asyncio.get_running_loop()
        waiting: asyncio.Future[list[bool]] = loop.create_future()
        if self._storer is not None and self._storer.get_loop() is not loop:
            self._batch, self._storer = [], None  # left on a loop that stopped: nothing there can finish
        self._batch.append((items, waiting))
        # A storer that has found its batch empty has returned in the same step: done, never lingering.
        if self._storer is None or self._storer.done():
            self._storer = loop.create_task(self._store_batches())
        # Shielded: a request given up on (a shutdown) leaves its write to finish; its events are then
        # stored without a 200, and upstream's redelivery is a duplicate of events the workers handle.
        return await asyncio.shield(waiting)

    async def _store_batches(self) -> None:
        while self._batch:
            batch, self._batch = self._batch, []
            everything = [item for items, _ in batch for item in items]
            try:
                firsts = await asyncio.to_thread(self.receiver.inbox.put, everything)
            except Exception as exc:
                for _, waiting in batch:
                    if not waiting.done():
                        waiting.set_exception(exc)
                continue
            position = 0
            for items, waiting in batch:
                if not waiting.done():
                    waiting.set_result(firsts[position : position + len(items)])
                position += len(items)

    async def _accept_in_thread(self, accept: Callable[[], Answer]) -> Answer:
        accepting = self._accepting_threads().submit(accept)
        try:
            return await asyncio.wrap_future(accepting)
        except asyncio.CancelledError:
            # The server gave up on this request (a shutdown's timeout): it is never answered, so upstream
            # redelivers. The thread still claims the events' keys; they are released once it is done, or the
            # redelivery would be dropped as a duplicate and its events never handled.
            accepting.add_done_callback(self._release_unanswered)
            raise

    def _release_unanswered(self, accepting: Future[Answer]) -> None:
        if not accepting.cancelled() and accepting.exception() is None:
            self.receiver.release(accepting.result().events)

    def _accepting_threads(self) -> ThreadPoolExecutor:
        # Threads of its own: the loop's default executor also runs the plain-function handlers, and a
        # delivery's answer must not wait behind them.
        if self._accepting is None:
            self._accepting = ThreadPoolExecutor(_ACCEPTING_THREADS, thread_name_prefix="d360-webhook-accept")
        return self._accepting

    def _enqueue(self, answer: Answer) -> Answer:
        queue = self._ensure_workers()
        if self.receiver.inbox is not None:  # stored already: the pump leases them, in conversation order
            if self._wake is not None:
                self._wake.set()
            return answer
        # A delivery is taken whole whenever the queue is not full, however many events it holds: one larger
        # than the whole queue would otherwise be answered 503 on every redelivery. No await between the
        # check and the puts: nothing else on this loop can take the room meanwhile.
        if queue.qsize() >= self.receiver.queue_size:
            self.receiver.release(answer.events)
            return self.receiver.queue_full()
        for event in answer.events:
            queue.put_nowait(event)
        self._pending += len(answer.events)
        return answer

    def _ensure_workers(self) -> asyncio.Queue[AnyEvent]:
        loop = asyncio.get_running_loop()
        if self._queue is None or self._loop is not loop:
            if self._queue is not None:
                self._abandon("the event loop they were queued on stopped without aclose()")
            if not self._lifespan_seen:
                logger.warning(
                    "webhook receiver: no lifespan has reached it, so a shutdown would lose the events still "
                    "queued. Mounted in Starlette or FastAPI? Pass lifespan=receiver.lifespan to the app "
                    "(or await receiver.asgi.aclose() at shutdown)"
                )
            self._loop, self._pending, self._in_hand = loop, 0, {}
            self._queue = asyncio.Queue()  # unbounded: _enqueue keeps it to queue_size
            self._workers = [
                loop.create_task(self._work(self._queue, number), name=f"d360-webhook-worker-{number}")
                for number in range(self.receiver.workers)
            ]
            if self.receiver.inbox is not None:
                self._wake = asyncio.Event()
                self._pump = loop.create_task(self._take(self._queue, self._wake), name="d360-webhook-inbox")
        return self._queue

    async def _take(self, queue: asyncio.Queue[AnyEvent], wake: asyncio.Event) -> None:
        """Lease events from the inbox whenever a worker has room, and keep the leases of those in hand."""
        receiver = self.receiver
        capacity = 2 * receiver.workers  # a few ahead: a worker never waits for the next lease
        renew_at = time.monotonic() + receiver.lease / 3
        while True:
            wake.clear()
            room = capacity - queue.qsize() - len(self._in_hand)
            taken: list[AnyEvent] = []
            try:
                if room > 0:
                    taken = await asyncio.to_thread(receiver.take, room)
                if time.monotonic() >= renew_at:
                    renew_at = time.monotonic() + receiver.lease / 3
                    await asyncio.to_thread(receiver.renew)
            except Exception as exc:  # the database is away: the events wait there; try again after a pause
                logger.error("webhook receiver: cannot take events from the inbox: %s", exc)
            for event in taken:
                queue.put_nowait(event)
            self._pending += len(taken)
            if room <= 0 or len(taken) < room:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), receiver.poll_interval)

    async def _work(self, queue: asyncio.Queue[AnyEvent], number: int) -> None:
        try:
            while True:
                event = await queue.get()
                self._in_hand[number] = event
                await self._handle(event)  # raises only CancelledError, and only when this worker is stopped
                if self.receiver.inbox is not None:
                    await self._settle(event)
                if self._in_hand.pop(number, None) is not None:  # else abandoned meanwhile, and reported
                    self._pending -= 1
                    queue.task_done()
        except asyncio.CancelledError:
            if not self._closing and queue is self._queue:
                # Cancelled by someone else than aclose(): the server stopped without a lifespan reaching
                # this app (mounted, not wired), or the loop is being torn down.
                self._abandon("the workers were cancelled: was lifespan=receiver.lifespan passed to the app?")
            raise

    async def _handle(self, event: AnyEvent) -> None:
        for handler, is_async in self.receiver.handlers_for(event):
            error: BaseException | None = None
            try:
                if is_async:
                    await handler(event)
                else:
                    error = await asyncio.to_thread(_failure_of, handler, event)
            except asyncio.CancelledError as exc:
                current = asyncio.current_task()
                if current is not None and current.cancelling():
                    raise  # this worker is being stopped: not the handler's failure
                error = exc
            except BaseException as exc:  # SystemExit or KeyboardInterrupt from a handler must not stop the app
                error = exc
            self.receiver.handled(event, handler, error)
            if error is not None and self.receiver.stops_at_failure:
                break  # the retry starts with this handler

    async def _settle(self, event: AnyEvent) -> None:
        """Mark an event's end in the inbox, with the others ending meanwhile, in one transaction."""
        loop = asyncio.get_running_loop()
        waiting: asyncio.Future[None] = loop.create_future()
        if self._settler is not None and self._settler.get_loop() is not loop:
            self._ended, self._settler = [], None
        self._ended.append((event, waiting))
        if self._settler is None or self._settler.done():
            self._settler = loop.create_task(self._settle_batches())
        await asyncio.shield(waiting)

    async def _settle_batches(self) -> None:
        while self._ended:
            batch, self._ended = self._ended, []
            try:
                await asyncio.to_thread(self.receiver.finished_many, [event for event, _ in batch])
            except Exception as exc:  # not marked: their leases run out and they are handled again
                logger.error("webhook receiver: cannot mark %d events handled: %s", len(batch), exc)
            for _, waiting in batch:
                if not waiting.done():
                    waiting.set_result(None)
            if self._wake is not None:
                self._wake.set()

    def _abandon(self, why: str) -> None:
        """Take every event queued or in hand off the books, and report them: answered 200, not handled."""
        left = list(self._in_hand.values())
        self._in_hand = {}
        queue = self._queue
        while queue is not None and not queue.empty():
            left.append(queue.get_nowait())
            queue.task_done()
        self._pending = 0
        if self.receiver.inbox is not None:
            self.receiver.let_go(left)
            if left:  # not lost: they stay in the inbox, and their leases run out
                logger.warning(
                    "webhook receiver: %d events left in the inbox (%s); handled when a receiver next runs on it",
                    len(left),
                    why,
                )
            return
        self.receiver.unhandled(left, why)

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

    async def aclose(self, timeout: float | None = None) -> bool:
        """Handle every queued event, then stop the workers; True if all were handled. Await it on the
        loop serving the app (the lifespan does).

        With `timeout`, stop after that many seconds: the events left are logged at ERROR with their keys.
        """
        if self._loop is not None and self._loop is not asyncio.get_running_loop() and self._loop.is_running():
            return self._pending == 0  # serving on another loop: only that loop can close it
        if self._pump is not None:  # no more leases: what is queued is handled, the rest stays in the inbox
            self._pump.cancel()
            await asyncio.gather(self._pump, return_exceptions=True)
            self._pump = None
        drained = await self.drain(timeout)
        self._closing = True
        try:
            if self._queue is not None and self._loop is not asyncio.get_running_loop():
                # Queued on a loop that has stopped: nothing can handle them any more.
                drained = self._pending == 0
                self._abandon("they were queued on an event loop that stopped without aclose()")
            elif self._queue is not None:
                if not drained:
                    self._abandon(f"the shutdown's {timeout} s passed first")
                for worker in self._workers:
                    worker.cancel()
                await asyncio.gather(*self._workers, return_exceptions=True)
        finally:
            self._workers, self._queue, self._loop, self._pending, self._in_hand = [], None, None, 0, {}
            self._closing = False
            if self._accepting is not None:
                self._accepting.shutdown(wait=False)
                self._accepting = None
        await self.receiver.aclose_clients()
        return drained

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """The receiver's lifespan, for an app it is mounted in: `Receiver.lifespan` returns this."""
        self._lifespan_seen = True
        if self.receiver.inbox is not None:
            self._ensure_workers()  # events a dead process left are handled now, not at the next delivery
        try:
            yield
        finally:
            await self.aclose(self.receiver.shutdown_timeout)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self._lifespan_seen = True
                if self.receiver.inbox is not None:
                    self._ensure_workers()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.aclose(self.receiver.shutdown_timeout)
                await send({"type": "lifespan.shutdown.complete"})
                return


def _failure_of(handler: Callable[[Any], Any], event: AnyEvent) -> BaseException | None:
    """Run a plain-function handler in its thread; what it raised comes back as a value, not through the
    future: a GeneratorExit thrown into the worker's chain of coroutines would close them instead."""
    try:
        handler(event)
    except BaseException as exc:
        return exc
    return None


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
