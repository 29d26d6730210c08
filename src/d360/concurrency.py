"""Sending many messages at once: bounded concurrency, a rate limit, and one shared pause on throttling.

`AsyncClient.send_many` and `Client.send_many` are built on `send_many` here, and so is `d360 bulk`,
which adds its journal through the `before_send` hook. A 429 or a throttling error pauses every worker
for the `Retry-After` time, because upstream throttles the sender, not the request.
"""

from __future__ import annotations

import asyncio
import math
import queue
import threading
import time
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    Callable,
    Container,
    Iterable,
    Iterator,
    Mapping,
)
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol, Self

import attrs

from d360.config import DEFAULT_CONCURRENCY, MAX_CONCURRENCY, ClientConfig
from d360.errors import ConfigurationError, D360Error, RateLimitError
from d360.responses import ResponseParser, SendResult

THROTTLE_WAITS = 10
"""Throttling waits allowed per message on top of the retry budget: a throttled batch is slowed, not failed."""
BeforeSend = Callable[[int, int], "Awaitable[Container[int] | None] | None"]
"""Called with (index, attempt number) after validation and before each try leaves: the journal's hook.
Its awaitable may resolve to indexes that must not be sent after all (bulk: lines a status showed
accepted meanwhile; one result is shared by a whole group commit): a message among them is skipped, with
no try and no outcome."""
AfterSend = Callable[["SendOutcome"], "Awaitable[None] | None"]
"""Called with each outcome by the worker that sent it, before that worker takes another message."""
OnThrottled = Callable[[int, RateLimitError, float], bool]
"""Called with (index, error, pause in seconds) on a throttling answer that would pause every worker and be
tried again: True gives the message up at once instead (its outcome is the error, and nobody pauses; bulk:
a pair rate limit puts only that line back), False pauses as usual (bulk: after telling the other senders)."""


class Sender(Protocol):
    """What `send_many` needs of a client (`AsyncClient` is one): said here so this module needs no client."""

    _config: ClientConfig

    def with_options(self, *, max_retries: int | None = None) -> Self: ...

    def _prepare(self, message: Any) -> tuple[dict[str, Any], bytes]: ...

    def _parser_for(self, payload: Mapping[str, Any]) -> ResponseParser[SendResult]: ...

    async def _encode_checked(self, message: Any) -> tuple[Any, bytes, Any]:
        """The body after the template check (with `template_check`), and what to refresh on a refusal."""
        ...

    async def _template_refused(self, checked: Any, error: D360Error) -> None: ...

    async def _call(self, method: str, url: str, content: bytes | None, parse: ResponseParser[Any]) -> Any: ...


@attrs.frozen
class SendOutcome:
    """What became of one message of a batch: a result or an error, and how many tries it took."""

    index: int
    result: SendResult | None = None
    error: D360Error | None = None
    attempts: int = 0

    @property
    def ok(self) -> bool:
        return self.result is not None


class RateLimiter:
    """Spaces sends `1/rate` seconds apart (with a small burst), and holds everyone during a pause."""

    def __init__(self, rate: float | None, *, burst: float | None = None, clock: Callable[[], float] = time.monotonic):
        if rate is not None and not (isinstance(rate, int | float) and math.isfinite(rate) and rate > 0):
            raise ConfigurationError(f"rate must be a positive number of messages a second, or None, not {rate!r}")
        self.rate = rate
        self._clock = clock
        # A burst of a tenth of a second's worth absorbs scheduling jitter without breaking the average.
        self._capacity = burst if burst is not None else max(1.0, (rate or 0) / 10)
        self._tokens = self._capacity
        self._updated = clock()
        self._paused_until = 0.0

    def pause(self, seconds: float) -> None:
        """Hold every sender for `seconds` from now (extending, never shortening, a pause under way)."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    @property
    def paused_for(self) -> float:
        return max(0.0, self._paused_until - self._clock())

    async def acquire(self) -> None:
        while True:
            pause = self.paused_for
            if pause > 0:
                await asyncio.sleep(pause)
                continue
            if self.rate is None:
                return
            now = self._clock()
            self._tokens = min(self._capacity, self._tokens + (now - self._updated) * self.rate)
            self._updated = now
            if self._tokens >= 1:
                self._tokens -= 1
                return
            await asyncio.sleep((1 - self._tokens) / self.rate)


async def send_many(
    client: Sender,
    messages: Iterable[Any] | AsyncIterable[Any],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    rate: float | None = None,
    before_send: BeforeSend | None = None,
    after_send: AfterSend | None = None,
    stop: asyncio.Event | None = None,
    on_throttled: OnThrottled | None = None,
) -> AsyncIterator[SendOutcome]:
    """Send every message, at most `concurrency` at a time and `rate` a second; yield outcomes as they finish.

    `messages` yields messages, or `NumberedMessage(index, message)` when the caller numbers them itself
    (bulk uses line numbers). A plain iterable is read by the workers themselves, a message only when one
    can be sent; an async one through a producer task that runs at most `concurrency` messages ahead.
    Setting `stop` takes no new messages; those in flight finish and are yielded.
    `before_send` and `after_send` bracket each message in its worker, so at most `concurrency` messages
    are ever between the two: the bound on what a crash can leave unknown. A message `before_send` refuses
    (its awaitable resolves to indexes that include the message's) is not sent and yields no outcome.
    `on_throttled` hears each throttling answer before the pause it brings (see `OnThrottled`).
    """
    check_concurrency(concurrency)
    limiter = RateLimiter(rate)
    single_try = client.with_options(max_retries=0)
    policy = client._config.retry
    check_templates = client._config.template_check
    outbox: asyncio.Queue[SendOutcome | None] = asyncio.Queue(maxsize=concurrency)
    stop = stop or asyncio.Event()
    failures: list[BaseException] = []
    inbox: asyncio.Queue[tuple[int, Any] | None] | None = None
    numbered: Iterator[tuple[int, Any]] | None = None
    if isinstance(messages, AsyncIterable):
        inbox = asyncio.Queue(maxsize=concurrency)
    else:
        numbered = (_pair(index, item) for index, item in enumerate(messages))

    def take() -> tuple[int, Any] | None:
        """The next message from a plain iterable, taken by the worker itself: no task in between."""
        assert numbered is not None
        try:
            return next(numbered)
        except StopIteration:
            return None
        except Exception as exc:  # a bad input iterator: finish what is in flight, then raise its error
            failures.append(exc)
            stop.set()
            return None

    async def produce() -> None:
        assert inbox is not None and isinstance(messages, AsyncIterable)
        try:
            index = 0
            async for item in messages:
                if stop.is_set():
                    break
                await inbox.put(_pair(index, item))
                index += 1
        except Exception as exc:  # a bad input iterator: finish what is in flight, then raise its error
            failures.append(exc)
            stop.set()
        # Not in a `finally`: a producer cancelled because every worker died must not wait here forever.
        for _ in range(concurrency):
            await inbox.put(None)

    async def send_one(index: int, message: Any) -> SendOutcome | None:
        checked = None
        try:
            if check_templates:
                # Through the client itself, with its retries: the template's fetch is a read, safe to repeat.
                payload, content, checked = await client._encode_checked(message)
            else:
                payload, content = single_try._prepare(message)
            parse = client._parser_for(payload)  # a status body's answer is `{"success": true}`
        except D360Error as error:  # invalid, or not fitting its template: never sent, never retried
            return SendOutcome(index, error=error)
        attempts = retries = throttle_waits = 0
        while True:
            if limiter.rate is not None or limiter.paused_for:  # no rate and no pause: nothing to wait for
                await limiter.acquire()
            attempts += 1
            if before_send is not None:
                marked = before_send(index, attempts)
                if marked is not None:
                    # The journal's group commit: the request leaves once it is on disk, unless refused.
                    refused = await marked
                    if refused and index in refused:
                        return None
            try:
                result = await single_try._call("POST", single_try._config.messages_url, content, parse)
            except D360Error as error:
                if checked is not None:
                    await client._template_refused(checked, error)  # a template error: fetched again, once
                throttled = isinstance(error, RateLimitError) and throttle_waits < THROTTLE_WAITS
                delay = policy.delay_before_retry(error, 0 if throttled else retries)
                if delay is None or stop.is_set():
                    return SendOutcome(index, error=error, attempts=attempts)
                if throttled:
                    assert isinstance(error, RateLimitError)
                    if on_throttled is not None and on_throttled(index, error, delay):
                        return SendOutcome(index, error=error, attempts=attempts)
                    throttle_waits += 1
                    limiter.pause(delay)  # upstream throttles the sender: every worker waits
                else:
                    retries += 1
                    await asyncio.sleep(delay)
                continue
            return SendOutcome(index, result=result, attempts=attempts)

    async def work() -> None:
        try:
            while not stop.is_set() and (item := take() if inbox is None else await inbox.get()) is not None:
                outcome = await send_one(*item)
                if outcome is None:  # skipped by `before_send`
                    continue
                if after_send is not None:
                    recorded = after_send(outcome)
                    if recorded is not None:
                        await recorded
                await outbox.put(outcome)
        except Exception as exc:  # a broken hook (the journal's disk is full): the whole batch stops
            failures.append(exc)
            stop.set()
        finally:
            await outbox.put(None)

    producer = asyncio.create_task(produce()) if inbox is not None else None
    workers = [asyncio.create_task(work()) for _ in range(concurrency)]
    finished_workers = 0
    try:
        while finished_workers < concurrency:
            outcome = await outbox.get()
            if outcome is None:
                finished_workers += 1
            else:
                yield outcome
        if failures:
            raise failures[0]
    finally:
        tasks = workers if producer is None else [producer, *workers]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def send_many_blocking(
    open_client: Callable[[], AbstractAsyncContextManager[Sender]],
    messages: Iterable[Any],
    *,
    concurrency: int,
    rate: float | None,
) -> Iterator[SendOutcome]:
    """`send_many` for a blocking caller (`Client.send_many`): the sends run on an event loop in a worker
    thread, with a client from `open_client`; outcomes come back through a bounded queue, as they arrive."""
    check_concurrency(concurrency)
    RateLimiter(rate)  # refuses a bad rate here, in the caller's thread, before the worker starts
    done = object()
    outcomes: queue.Queue[Any] = queue.Queue(maxsize=concurrency)
    stop = threading.Event()

    def hand_over(item: Any) -> bool:
        """Queue an item for the consuming thread; False once the consumer has gone (never blocks forever)."""
        while not stop.is_set():
            try:
                outcomes.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    async def run() -> None:
        async with open_client() as client:
            async for outcome in send_many(client, messages, concurrency=concurrency, rate=rate):
                # Never block the loop on a slow consumer: in-flight requests must keep being read.
                while True:
                    if stop.is_set():
                        return
                    try:
                        outcomes.put_nowait(outcome)
                        break
                    except queue.Full:
                        await asyncio.sleep(0.005)

    def thread_main() -> None:
        try:
            asyncio.run(run())
        except BaseException as exc:  # handed to the consuming thread, which raises it
            hand_over(exc)
        hand_over(done)

    worker = threading.Thread(target=thread_main, name="d360-send-many", daemon=True)
    worker.start()
    try:
        while (item := outcomes.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        worker.join(timeout=30)


def check_concurrency(concurrency: Any) -> None:
    if not isinstance(concurrency, int) or isinstance(concurrency, bool) or not 1 <= concurrency <= MAX_CONCURRENCY:
        raise ConfigurationError(f"concurrency must be a whole number from 1 to {MAX_CONCURRENCY}, not {concurrency!r}")


def _pair(index: int, item: Any) -> tuple[int, Any]:
    return item if isinstance(item, NumberedMessage) else (index, item)


class NumberedMessage(tuple[int, Any]):
    """A message with the index the caller wants reported (bulk passes line numbers)."""

    __slots__ = ()

    def __new__(cls, index: int, message: Any) -> NumberedMessage:
        return super().__new__(cls, (index, message))
