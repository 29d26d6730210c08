"""The sandbox talking back: status webhooks for the messages it accepts, and inbound messages on request.

It delivers only to this machine (a loopback URL): whatever URL it is given, it never reaches the
network. Like upstream, every delivery is the Cloud API's envelope, signed with `x-360dialog-signature` when a
secret is set, with the configured custom headers; one that does not get a 200 is retried with
exponential backoff; a share of deliveries can be sent twice on purpose. Each message's statuses go out
in order (sent, delivered, read; or sent, failed). The queue of pending work is bounded: beyond it,
work is dropped and counted, never allowed to grow without end.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import threading
import time
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import attrs
import httpx

from d360.config import is_loopback
from d360.webhooks import payloads
from d360.webhooks.verify import sign

logger = logging.getLogger("d360.sandbox")

DEFAULT_QUEUE_SIZE = 10_000
DEFAULT_WORKERS = 8


@attrs.define
class DeliveryStats:
    """What the sandbox's webhook sender did; read it from any thread."""

    deliveries: int = 0
    """Deliveries answered 200 (a duplicate sent on purpose counts again)."""
    attempts: int = 0
    failed_attempts: int = 0
    """Attempts answered with anything but 200, or not answered: each is retried until `max_attempts`."""
    duplicates: int = 0
    given_up: int = 0
    dropped: int = 0
    """Work refused because the queue was full."""
    not_local: int = 0
    """Deliveries not attempted because the URL is not on this machine (the sandbox never leaves it)."""


@attrs.define
class WebhookSettings:
    """Where and how the sandbox delivers webhooks. `url` None: it sends none."""

    url: str | None = None
    secret: str | None = attrs.field(default=None, repr=False)
    headers: dict[str, str] = attrs.Factory(dict)
    duplicate_rate: float = 0.0
    """Share of deliveries sent a second time after their 200, as upstream sometimes does."""
    statuses: tuple[str, ...] = ("sent", "delivered", "read")
    max_attempts: int = 8
    initial_backoff: float = 0.05
    max_backoff: float = 5.0
    status_interval: float = 0.0
    """Seconds between one status of a message and the next."""


class WebhookSender:
    """Queues and delivers webhooks from the sandbox's event loop; started by the first work it gets."""

    def __init__(
        self, settings: WebhookSettings, *, seed: int | None = None, queue_size: int = DEFAULT_QUEUE_SIZE
    ) -> None:
        self.settings = settings
        self.stats = DeliveryStats()
        self._random = random.Random(seed)
        self._queue_size = queue_size
        self._queue: asyncio.Queue[list[bytes]] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._workers: list[asyncio.Task[None]] = []
        self._client: httpx.AsyncClient | None = None
        self._pending = 0
        self._lock = threading.Lock()

    @property
    def pending(self) -> int:
        """Jobs queued or under way (a job is one message's statuses, or one inbound message)."""
        with self._lock:
            return self._pending

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
        try:
            queue.put_nowait(bodies)
        except asyncio.QueueFull:
            with self._lock:
                self.stats.dropped += 1
            logger.warning("sandbox webhook queue is full (%d jobs): a delivery was dropped", self._queue_size)
            return False
        with self._lock:
            self._pending += 1
        return True

    def _ensure_started(self) -> asyncio.Queue[list[bytes]]:
        loop = asyncio.get_running_loop()
        if self._queue is None or self._loop is not loop:
            self._loop = loop
            self._queue = asyncio.Queue(maxsize=self._queue_size)
            self._client = httpx.AsyncClient(timeout=10.0, trust_env=False)
            self._workers = [loop.create_task(self._work(self._queue)) for _ in range(DEFAULT_WORKERS)]
        return self._queue

    async def _work(self, queue: asyncio.Queue[list[bytes]]) -> None:
        while True:
            bodies = await queue.get()
            try:
                for position, body in enumerate(bodies):
                    if position and self.settings.status_interval:
                        await asyncio.sleep(self.settings.status_interval)
                    if not await self._deliver(body):
                        break  # the next status makes no sense before this one arrived
            except Exception:  # a bug here must not kill the worker: log it and go on
                logger.exception("sandbox webhook worker failed")
            finally:
                with self._lock:
                    self._pending -= 1

    async def _deliver(self, body: bytes) -> bool:
        settings = self.settings
        for attempt in range(settings.max_attempts):
            if attempt:
                ceiling = min(settings.max_backoff, settings.initial_backoff * 2 ** (attempt - 1))
                await asyncio.sleep(ceiling * (0.5 + self._random.random() / 2))
            if await self._post(body):
                if self._random.random() < settings.duplicate_rate:
                    with self._lock:
                        self.stats.duplicates += 1
                    await self._post(body)
                return True
        with self._lock:
            self.stats.given_up += 1
        logger.warning("sandbox gave up on a webhook delivery after %d attempts", settings.max_attempts)
        return False

    async def _post(self, body: bytes) -> bool:
        settings = self.settings
        assert self._client is not None and settings.url is not None
        headers = {"content-type": "application/json", **settings.headers}
        if settings.secret:
            headers["x-360dialog-signature"] = sign(body, settings.secret)
        with self._lock:
            self.stats.attempts += 1
        try:
            response = await self._client.post(settings.url, content=body, headers=headers)
            ok = response.status_code == 200
        except httpx.HTTPError:
            ok = False
        with self._lock:
            if ok:
                self.stats.deliveries += 1
            else:
                self.stats.failed_attempts += 1
        return ok

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
