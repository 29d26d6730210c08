"""The sandbox talking back: status webhooks for the messages it accepts, and inbound messages on request.

It delivers only to this machine (a loopback URL): whatever URL it is given, it never reaches the
network. Like upstream, every delivery is the Cloud API's envelope, signed with `x-360dialog-signature` when a
secret is set, with the configured custom headers; one that does not get a 200 is retried with growing
gaps (seconds, then minutes, for a day by default: upstream keeps trying for days), every retry logged
under `d360.sandbox.webhooks`; a share of deliveries can be sent twice on purpose. Each message's
statuses go out in order (sent, delivered, read; or sent, failed). Work waiting for its next try holds
no worker, and all pending work is bounded: beyond it, work is dropped and counted, never allowed to
grow without end.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import attrs
import httpx

from d360.config import is_loopback
from d360.webhooks import payloads
from d360.webhooks.verify import sign

logger = logging.getLogger("d360.sandbox.webhooks")

DEFAULT_QUEUE_SIZE = 10_000
DEFAULT_WORKERS = 8
DEFAULT_INITIAL_BACKOFF = 5.0
DEFAULT_MAX_BACKOFF = 600.0
DEFAULT_GIVE_UP_AFTER = 86_400.0


@attrs.define
class DeliveryStats:
    """What the sandbox's webhook sender did; read it from any thread."""

    deliveries: int = 0
    """Deliveries answered 200 (a duplicate sent on purpose counts again)."""
    attempts: int = 0
    failed_attempts: int = 0
    """Attempts answered with anything but 200, or not answered: each is retried on the schedule."""
    duplicates: int = 0
    given_up: int = 0
    dropped: int = 0
    """Work refused because the queue was full."""
    not_local: int = 0
    """Deliveries not attempted because the URL is not on this machine (the sandbox never leaves it)."""


@attrs.define
class WebhookSettings:
    """Where and how the sandbox delivers webhooks. `url` None: it sends none.

    A delivery not answered 200 is tried again after `initial_backoff` seconds, then twice as long each
    time up to `max_backoff` (each gap drawn between half and all of that, so retries spread), until it
    gets its 200 or `give_up_after` seconds have passed since its first failure (or `max_attempts`
    tries, when set). The defaults (5 s doubling to 10 minutes, for a day) keep a listener that is
    restarted, or started late, from losing anything; tests pass a schedule of milliseconds.
    """

    url: str | None = None
    secret: str | None = attrs.field(default=None, repr=False)
    headers: dict[str, str] = attrs.Factory(dict)
    duplicate_rate: float = 0.0
    """Share of deliveries sent a second time after their 200, as upstream sometimes does."""
    statuses: tuple[str, ...] = ("sent", "delivered", "read")
    max_attempts: int | None = None
    initial_backoff: float = DEFAULT_INITIAL_BACKOFF
    max_backoff: float = DEFAULT_MAX_BACKOFF
    give_up_after: float = DEFAULT_GIVE_UP_AFTER
    status_interval: float = 0.0
    """Seconds between one status of a message and the next."""

    def gap(self, failures: int) -> float:
        """The longest wait after the `failures`-th failed try of a delivery (1 for the first)."""
        return min(self.max_backoff, self.initial_backoff * 2.0 ** min(failures - 1, 64))

    def schedule(self) -> Iterator[float]:
        """The longest waits before each retry, in order, until the delivery would be given up."""
        waited, failures = 0.0, 1
        while self.max_attempts is None or failures < self.max_attempts:
            gap = self.gap(failures)
            if waited + gap / 2 > self.give_up_after:  # even the shortest draw would be too late
                return
            yield gap
            waited += gap
            failures += 1


@attrs.define(eq=False)
class _Job:
    """One message's statuses, or one inbound message: delivered in order, one body at a time."""

    bodies: list[bytes]
    position: int = 0
    """The body to deliver next."""
    failures: int = 0
    """Failed tries of that body."""
    first_failure: float | None = None
    """When its first try failed (the event loop's clock)."""


class WebhookSender:
    """Queues and delivers webhooks from the sandbox's event loop; started by the first work it gets."""

    def __init__(
        self, settings: WebhookSettings, *, seed: int | None = None, queue_size: int = DEFAULT_QUEUE_SIZE
    ) -> None:
        self.settings = settings
        self.stats = DeliveryStats()
        self._random = random.Random(seed)
        self._queue_size = queue_size
        self._queue: asyncio.Queue[_Job] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._workers: list[asyncio.Task[None]] = []
        self._client: httpx.AsyncClient | None = None
        self._jobs: set[_Job] = set()
        """Every job queued, under way or waiting for its next try: what `queue_size` bounds."""
        self._lock = threading.Lock()

    @property
    def pending(self) -> int:
        """Jobs queued, under way or waiting to be tried again (a job is one message's statuses, or one
        inbound message)."""
        with self._lock:
            return len(self._jobs)

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Block (from another thread) until no job is pending; False if `timeout` seconds pass first."""
        deadline = time.monotonic() + timeout
        while self.pending:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.01)
        return True

    def statuses_for(
        self, message_id: str, body: Mapping[str, Any], recipient_id: str, *, failure_code: int | None
    ) -> None:
        """Queue the status webhooks of an accepted message: sent, then delivered and read, or failed."""
        if self.settings.url is None:
            return
        sequence: Sequence[str] = ("sent", "failed") if failure_code is not None else self.settings.statuses
        callback = body.get("biz_opaque_callback_data")
        bodies = [
            _encode(
                payloads.delivery(
                    statuses=[
                        payloads.status(
                            message_id,
                            state,
                            recipient_id,
                            biz_opaque_callback_data=callback if isinstance(callback, str) else None,
                            error_code=failure_code,
                            category=_category(body),
                        )
                    ]
                )
            )
            for state in sequence
        ]
        self._submit(bodies)

    def inbound(self, message: Mapping[str, Any], name: str) -> bool:
        """Queue an inbound message delivery; False when no webhook URL is set or the queue is full."""
        if self.settings.url is None:
            return False
        sender = str(message["from"])
        body = payloads.delivery(messages=[dict(message)], contacts=[payloads.contact(sender, name)])
        return self._submit([_encode(body)])

    def deliver(self, body: Mapping[str, Any]) -> bool:
        """Queue one delivery of any webhook body (a template's review, say); False when no webhook URL is
        set or the queue is full."""
        if self.settings.url is None:
            return False
        return self._submit([_encode(body)])

    def reset(self, settings: WebhookSettings) -> None:
        """Forget every pending job and what was counted, and deliver with `settings` from now on.

        Callable from any thread: deliveries under way are cancelled in the sandbox's event loop, so
        nothing of before reaches a listener after this returns.
        """
        with self._lock:
            self._jobs.clear()
            self.settings = settings
            self.stats = DeliveryStats()
        loop = self._loop
        if loop is None or loop.is_closed() or not loop.is_running():
            self._queue, self._workers = None, []
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._restart_workers()
            return
        restarted = threading.Event()

        def restart() -> None:
            try:
                self._restart_workers()
            finally:
                restarted.set()

        try:
            loop.call_soon_threadsafe(restart)
        except RuntimeError:  # the loop closed in between
            return
        restarted.wait(10)

    def _restart_workers(self) -> None:
        for worker in self._workers:
            worker.cancel()
        self._workers = []
        self._queue = None
        if self._loop is not None:
            self._start(self._loop)

    def _submit(self, bodies: list[bytes]) -> bool:
        if not is_local_url(self.settings.url):
            # A sandbox talks to this machine only: tests must never reach the internet, whatever URL was set.
            with self._lock:
                self.stats.not_local += 1
                first = self.stats.not_local == 1
            if first:
                logger.warning("the sandbox delivers webhooks only on this machine, not to %s", self.settings.url)
            return False
        queue = self._ensure_started()
        job = _Job(bodies)
        with self._lock:
            full = len(self._jobs) >= self._queue_size
            if full:
                self.stats.dropped += 1
            else:
                self._jobs.add(job)
        if full:
            logger.warning("sandbox webhook queue is full (%d jobs): a delivery was dropped", self._queue_size)
            return False
        queue.put_nowait(job)
        return True

    def _ensure_started(self) -> asyncio.Queue[_Job]:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # first use, or a new event loop: connections belong to their loop
            self._loop, self._queue = loop, None
            self._client = httpx.AsyncClient(timeout=10.0, trust_env=False)
        if self._queue is None:
            self._start(loop)
        assert self._queue is not None
        return self._queue

    def _start(self, loop: asyncio.AbstractEventLoop) -> None:
        # Unbounded itself: what may be pending is bounded where jobs are admitted (`_submit`).
        self._queue = asyncio.Queue()
        self._workers = [loop.create_task(self._work(self._queue)) for _ in range(DEFAULT_WORKERS)]

    async def _work(self, queue: asyncio.Queue[_Job]) -> None:
        while True:
            job = await queue.get()
            try:
                await self._advance(job, queue)
            except Exception:  # a bug here must not kill the worker: log it and go on
                logger.exception("sandbox webhook worker failed")
                self._finish(job)

    def _live(self, job: _Job) -> bool:
        with self._lock:
            return job in self._jobs

    def _finish(self, job: _Job) -> None:
        with self._lock:
            self._jobs.discard(job)

    async def _advance(self, job: _Job, queue: asyncio.Queue[_Job]) -> None:
        """Deliver the job's bodies in order from where it stands; on a failure, schedule its next try and
        return, so the worker serves other jobs meanwhile."""
        settings, loop = self.settings, asyncio.get_running_loop()
        while job.position < len(job.bodies) and self._live(job):
            if job.position and not job.failures and settings.status_interval:
                await asyncio.sleep(settings.status_interval)
            body = job.bodies[job.position]
            problem = await self._post(job, body)
            if problem is None:
                if job.failures:
                    logger.info("webhook delivery to %s went through at try %d", settings.url, job.failures + 1)
                if self._random.random() < settings.duplicate_rate:
                    with self._lock:
                        self.stats.duplicates += 1
                    await self._post(job, body)
                job.position, job.failures, job.first_failure = job.position + 1, 0, None
                continue
            job.failures += 1
            now = loop.time()
            job.first_failure = now if job.first_failure is None else job.first_failure
            wait = self._next_wait(job, now)
            if wait is None:
                with self._lock:
                    self.stats.given_up += 1
                logger.warning(
                    "sandbox gave up on a webhook delivery to %s after %d tries over %.0f s (last: %s)",
                    settings.url, job.failures, now - job.first_failure, problem,
                )  # fmt: skip
                break  # the next status makes no sense before this one arrived
            logger.info(
                "webhook delivery to %s failed (%s) at try %d; trying again in %.1f s",
                settings.url, problem, job.failures, wait,
            )  # fmt: skip
            loop.call_later(wait, self._requeue, job, queue)
            return
        self._finish(job)

    def _next_wait(self, job: _Job, now: float) -> float | None:
        """Seconds until the job's next try, or None when it is to be given up."""
        settings = self.settings
        if settings.max_attempts is not None and job.failures >= settings.max_attempts:
            return None
        wait = settings.gap(job.failures) * (0.5 + self._random.random() / 2)
        assert job.first_failure is not None
        if now + wait - job.first_failure > settings.give_up_after:
            return None
        return wait

    def _requeue(self, job: _Job, queue: asyncio.Queue[_Job]) -> None:
        if queue is self._queue and self._live(job):  # not forgotten by a reset meanwhile
            queue.put_nowait(job)

    async def _post(self, job: _Job, body: bytes) -> str | None:
        """Send one delivery; None when it got its 200, else what went wrong."""
        settings = self.settings
        assert self._client is not None and settings.url is not None
        headers = {"content-type": "application/json", **settings.headers}
        if settings.secret:
            headers["x-360dialog-signature"] = sign(body, settings.secret)
        problem: str | None
        try:
            response = await self._client.post(settings.url, content=body, headers=headers)
            problem = None if response.status_code == 200 else f"HTTP {response.status_code}"
        except httpx.HTTPError as exc:
            problem = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        with self._lock:
            if job in self._jobs:  # counted unless a reset forgot the job meanwhile
                self.stats.attempts += 1
                if problem is None:
                    self.stats.deliveries += 1
                else:
                    self.stats.failed_attempts += 1
        return problem

    async def aclose(self) -> None:
        for worker in self._workers:
            worker.cancel()
        await asyncio.gather(*self._workers, return_exceptions=True)
        if self._client is not None:
            await self._client.aclose()


def is_local_url(url: str | None) -> bool:
    """An http(s) URL on this machine (a loopback address or localhost)."""
    if url is None:
        return False
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and host is not None and is_loopback(host)


def _encode(body: Mapping[str, Any]) -> bytes:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def _category(body: Mapping[str, Any]) -> str:
    """The pricing category upstream would bill: a template's is its own; anything else is a service reply."""
    return "marketing" if body.get("type") == "template" else "service"
