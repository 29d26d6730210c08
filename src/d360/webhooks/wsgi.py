"""The receiver as a WSGI app: Flask, Django, gunicorn, or any WSGI server.

Handlers run in the receiver's own worker threads after the answer has gone (coroutine handlers with
`asyncio.run` there), so a slow handler never holds up a delivery's 200.
"""

from __future__ import annotations

import asyncio
import queue
import threading
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from d360.webhooks.events import AnyEvent

if TYPE_CHECKING:
    from d360.webhooks.answer import Accepting, Answer

StartResponse = Callable[..., Any]
_STOP = object()
_REASONS = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 405: "Method Not Allowed",
            413: "Content Too Large", 503: "Service Unavailable"}  # fmt: skip


class WSGIReceiver:
    """`receiver.wsgi`. Its worker threads start with the first delivery."""

    def __init__(self, receiver: Accepting) -> None:
        self.receiver = receiver
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=receiver.queue_size)
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

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

    def _enqueue(self, answer: Answer) -> Answer:
        with self._lock:
            self._ensure_workers()
            if self._queue.maxsize - self._queue.qsize() < len(answer.events):
                self.receiver.release(answer.events)
                return self.receiver.queue_full()
            for event in answer.events:
                self._queue.put_nowait(event)
        return answer

    def _ensure_workers(self) -> None:
        if not self._threads:
            self._threads = [
                threading.Thread(target=self._work, name=f"d360-webhook-worker-{number}", daemon=True)
                for number in range(self.receiver.workers)
            ]
            for thread in self._threads:
                thread.start()

    def _work(self) -> None:
        while True:
            event = self._queue.get()
            try:
                if event is _STOP:
                    return
                self._handle(event)
            finally:
                self._queue.task_done()

    def _handle(self, event: AnyEvent) -> None:
        for handler, is_async in self.receiver.handlers_for(event):
            try:
                if is_async:
                    asyncio.run(handler(event))
                else:
                    handler(event)
            except Exception as exc:
                self.receiver.handled(event, handler, exc)
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

    def close(self, timeout: float | None = 30.0) -> bool:
        """Handle what is queued (up to `timeout` seconds), then stop the worker threads."""
        drained = self.drain(timeout)
        with self._lock:
            threads, self._threads = self._threads, []
            for _ in threads:
                self._queue.put(_STOP)
        for thread in threads:
            thread.join(timeout=1)
        return drained


def _headers(environ: dict[str, Any]) -> dict[str, str]:
    headers = {name[5:].replace("_", "-").lower(): value for name, value in environ.items() if name.startswith("HTTP_")}
    if environ.get("CONTENT_TYPE"):
        headers["content-type"] = environ["CONTENT_TYPE"]
    return headers


def _read_body(environ: dict[str, Any], limit: int) -> bytes:
    """The body, read no further than one byte past `limit`; a missing length reads to the end (capped)."""
    stream = environ.get("wsgi.input")
    if stream is None:
        return b""
    declared = environ.get("CONTENT_LENGTH") or ""
    if declared.isdigit():
        return bytes(stream.read(min(int(declared), limit + 1)))
    return bytes(stream.read(limit + 1)) if environ.get("wsgi.input_terminated") else b""
