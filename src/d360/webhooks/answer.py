"""What the ASGI and WSGI adapters need of a `Receiver`, and the answer it gives them for each delivery.

Kept apart from `receiver` so that the adapters, which the receiver creates, never import it back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

import attrs

from d360.webhooks.events import AnyEvent

Handler = Callable[[Any], Any]


@attrs.frozen
class Answer:
    """What to answer upstream: a status, a short JSON body, and the events to hand to the handlers."""

    status: int
    body: bytes
    events: tuple[AnyEvent, ...] = ()
    headers: tuple[tuple[str, str], ...] = ()


class Accepting(Protocol):
    """A receiver as its adapters see it: it judges each delivery, and its handlers take the events."""

    queue_size: int
    workers: int
    max_body_bytes: int
    shutdown_timeout: float | None
    inbox: Any
    """The receiver's durable inbox, or None (events then wait in memory)."""
    lease: float
    poll_interval: float

    @property
    def stops_at_failure(self) -> bool: ...

    def accept(self, body: bytes, headers: Any, *, method: str = "POST", path: str | None = None) -> Answer: ...

    def check(
        self, body: bytes, headers: Any, *, method: str = "POST", path: str | None = None
    ) -> Answer | list[AnyEvent]: ...

    def to_store(self, events: Sequence[AnyEvent], body: bytes) -> list[Any]: ...

    def answer_for(
        self, events: Sequence[AnyEvent], stored: Sequence[Any], firsts: Sequence[Any] | BaseException
    ) -> Answer: ...

    def release(self, events: Iterable[AnyEvent]) -> None: ...

    def queue_full(self) -> Answer: ...

    def handlers_for(self, event: AnyEvent) -> list[tuple[Handler, bool]]: ...

    def handled(self, event: AnyEvent, handler: Handler, error: BaseException | None) -> None: ...

    def unhandled(self, events: Sequence[AnyEvent], why: str) -> None: ...

    def close_clients(self) -> None: ...

    async def aclose_clients(self) -> None: ...
    def take(self, limit: int) -> list[AnyEvent]: ...

    def renew(self) -> None: ...

    def let_go(self, events: Iterable[AnyEvent]) -> None: ...

    def finished(self, event: AnyEvent) -> None: ...

    def finished_many(self, events: Sequence[AnyEvent]) -> None: ...
