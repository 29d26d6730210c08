"""The receiver as a WSGI app: Flask, Django, gunicorn, or any WSGI server.

Handlers run in the receiver's own worker threads after the answer has gone (coroutine handlers with
`asyncio.run` there), so a slow handler never holds up a delivery's 200. WSGI has no shutdown hook, so
the queue is drained when the process exits normally (atexit), as `close()` does. With an inbox, a thread
leases events from it into the queue; `start()` starts it (and the workers) before the first delivery, so
events a dead process left are handled at once.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import queue
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from d360.numbers import read_int
from d360.webhooks.events import AnyEvent

if TYPE_CHECKING:
    from d360.webhooks.answer import Accepting, Answer

logger = logging.getLogger("d360.webhooks")
StartResponse = Callable[..., Any]
_STOP = object()
_REASONS = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 405: "Method Not Allowed",
            413: "Content Too Large", 503: "Service Unavailable"}  # fmt: skip

_RUNNING: weakref.WeakSet[WSGIReceiver] = weakref.WeakSet()
"""Receivers whose workers run: drained when the interpreter exits."""
_exit_hook_lock = threading.Lock()
_exit_hook_registered = False


class WSGIReceiver:
    """`receiver.wsgi`. Its worker threads start with the first delivery."""

    def __init__(self, receiver: Accepting) -> None:
        self.receiver = receiver
        self._queue: queue.Queue[Any] = queue.Queue()  # unbounded: _enqueue keeps it to queue_size
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._in_hand: dict[int, AnyEvent] = {}
        """The event each worker is handling, by worker number."""
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._pump: threading.Thread | None = None

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        body = _read_body(environ, self.receiver.max_body_bytes)
        answer = self.receiver.accept(
            body, _headers(environ), method=environ.get("REQUEST_METHOD", "GET"), path=environ.get("PATH_INFO")
        )
        if answer.events:
            answer = self._enqueue(answer)
        headers = [("Content-Type", "application/json"), ("Content-Length", str(len(answer.body))), *answer.headers]
        start_response(f"{answer.status} {_REASONS.get(answer.status, 'Error')}", headers)
        return [answer.body]

    def start(self) -> None:
        """Start the workers now (they start with the first delivery otherwise)."""
        with self._lock:
            self._ensure_workers()

    def _enqueue(self, answer: Answer) -> Answer:
        with self._lock:
            self._ensure_workers()
            if self.receiver.inbox is not None:  # stored already: the pump leases them, in conversation order
                self._wake.set()
                return answer
            # Taken whole whenever the queue is not full: a delivery of more events than the queue holds
            # would otherwise be answered 503 on every redelivery.
            if self._queue.qsize() >= self.receiver.queue_size:
                self.receiver.release(answer.events)
                return self.receiver.queue_full()
            for event in answer.events:
                self._queue.put_nowait(event)
        return answer

    def _ensure_workers(self) -> None:
        if not self._threads:
            self._threads = [
                threading.Thread(target=self._work, args=(number,), name=f"d360-webhook-worker-{number}", daemon=True)
                for number in range(self.receiver.workers)
            ]
            for thread in self._threads:
                thread.start()
            if self.receiver.inbox is not None:
                self._stopping.clear()
                self._pump = threading.Thread(target=self._take, name="d360-webhook-inbox", daemon=True)
                self._pump.start()
            _drain_at_exit(self)

    def _take(self) -> None:
        """Lease events from the inbox whenever a worker has room, and keep the leases of those in hand."""
        receiver = self.receiver
        capacity = 2 * receiver.workers
        renew_at = time.monotonic() + receiver.lease / 3
        while not self._stopping.is_set():
            self._wake.clear()
            room = capacity - self._queue.qsize() - len(self._in_hand)
            taken: list[AnyEvent] = []
            try:
                if room > 0:
                    taken = receiver.take(room)
                if time.monotonic() >= renew_at:
                    renew_at = time.monotonic() + receiver.lease / 3
                    receiver.renew()
            except Exception as exc:  # the database is away: the events wait there; try again after a pause
                logger.error("webhook receiver: cannot take events from the inbox: %s", exc)
            for event in taken:
                self._queue.put(event)
            if room <= 0 or len(taken) < room:
                self._wake.wait(receiver.poll_interval)

    def _work(self, number: int) -> None:
        while True:
            event = self._queue.get()
            try:
                if event is _STOP:
                    return
                self._in_hand[number] = event
                self._handle(event)
                if self.receiver.inbox is not None:
                    try:
                        self.receiver.finished(event)
                    except Exception as exc:  # not marked: its lease runs out and it is handled again
                        logger.error("webhook receiver: cannot mark %s handled: %s", event.dedup_key, exc)
                    self._wake.set()
            finally:
                self._in_hand.pop(number, None)
                self._queue.task_done()

    def _handle(self, event: AnyEvent) -> None:
        for handler, is_async in self.receiver.handlers_for(event):
            try:
                if is_async:
                    asyncio.run(handler(event))
                else:
                    handler(event)
            except BaseException as exc:  # SystemExit from a handler would end this worker thread for good
                self.receiver.handled(event, handler, exc)
                if self.receiver.stops_at_failure:
                    break  # the retry starts with this handler
            else:
                self.receiver.handled(event, handler, None)

    @property
    def pending(self) -> int:
        """Events queued or being handled."""
        return self._queue.unfinished_tasks

    def drain(self, timeout: float | None = None) -> bool:
        """Wait until every queued event has been handled; False if `timeout` seconds pass first."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._queue.all_tasks_done:
            while self._queue.unfinished_tasks:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._queue.all_tasks_done.wait(remaining)
        return True

    def close(self, timeout: float | None = None) -> bool:
        """Handle every queued event, then stop the worker threads; True if all were handled.

        With `timeout`, stop after that many seconds: the events left are logged at ERROR with their keys.
        Called when the process exits, with the receiver's `shutdown_timeout`.
        """
        if self._pump is not None:  # no more leases: what is queued is handled, the rest stays in the inbox
            self._stopping.set()
            self._wake.set()
            self._pump.join()
            self._pump = None
        drained = self.drain(timeout)
        left: list[AnyEvent] = []
        with self._lock:
            threads, self._threads = self._threads, []
            if not drained:
                left = list(self._in_hand.values())
                while True:
                    try:
                        item = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    self._queue.task_done()
                    if item is not _STOP:
                        left.append(item)
            for _ in threads:
                self._queue.put(_STOP)
        _RUNNING.discard(self)
        if self.receiver.inbox is not None:
            self.receiver.let_go(left)  # not lost: they stay in the inbox, and their leases run out
        else:
            self.receiver.unhandled(left, f"the shutdown's {timeout} s passed first")
        for thread in threads:
            thread.join(timeout=1)
        self.receiver.close_clients()
        return drained


def _drain_at_exit(receiver: WSGIReceiver) -> None:
    global _exit_hook_registered
    _RUNNING.add(receiver)
    with _exit_hook_lock:
        if not _exit_hook_registered:
            atexit.register(_close_running)
            _exit_hook_registered = True


def _close_running() -> None:
    """At interpreter exit the worker threads (daemons) would be stopped mid-queue: handle what is queued."""
    for receiver in list(_RUNNING):
        receiver.close(receiver.receiver.shutdown_timeout)


def _headers(environ: dict[str, Any]) -> dict[str, str]:
    headers = {name[5:].replace("_", "-").lower(): value for name, value in environ.items() if name.startswith("HTTP_")}
    if environ.get("CONTENT_TYPE"):
        headers["content-type"] = environ["CONTENT_TYPE"]
    return headers


def _read_body(environ: dict[str, Any], limit: int) -> bytes:
    """The body, read no further than one byte past `limit`; a missing or unreadable length reads to the
    end (capped) when the server says the input ends, and nothing otherwise."""
    stream = environ.get("wsgi.input")
    if stream is None:
        return b""
    declared = read_int(environ.get("CONTENT_LENGTH") or "")
    if declared is not None:
        return bytes(stream.read(min(declared, limit + 1)))
    return bytes(stream.read(limit + 1)) if environ.get("wsgi.input_terminated") else b""
