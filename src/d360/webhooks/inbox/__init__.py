"""The durable webhook inbox: persist, then answer, then process.

Upstream never redelivers what got a 200, so an event answered 200 must already be on disk. The inbox
stores each new event with its de-duplication claim in one transaction before the answer goes; handlers
then take events from the inbox, and an event is marked handled only when its handlers have ended. A
process that dies leaves its events to the next receiver process that runs on the same store.

- `SQLiteInbox`: one machine (the default: the same file as the SQLite dedup store, d360-webhooks.sqlite).
- `PostgresInbox` (`postgresql://...`, the `postgres` extra): any number of receivers on any hosts; each
  event is leased to one of them, and a dead one's leases run out and are taken over.

In both, events of one conversation (same business number and same customer wa_id) are handed out in the
order upstream sent them, one at a time; failing events are retried with backoff, then kept as dead
letters with their error (`d360 webhook dead-letters`, `--retry`).
"""

from __future__ import annotations

import contextvars
import os
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

import attrs

from d360.bulk.journals import is_postgres_url
from d360.errors import ConfigurationError
from d360.webhooks.events import AnyEvent, IncomingMessage, StatusUpdate
from d360.webhooks.store_settings import is_redis_url, shown_url

DEFAULT_PATH = "d360-webhooks.sqlite"
DEFAULT_LEASE = 60.0
"""Seconds an event is leased to the receiver handling it; renewed while its handlers run."""
DEFAULT_MAX_ATTEMPTS = 5
BACKOFF_BASE = 1.0
BACKOFF_CAP = 300.0
KEEP_HANDLED = 24 * 3600.0
"""Seconds a handled event's row is kept (its dedup claim is kept `max_age`, eight days)."""


@attrs.frozen
class NewEvent:
    """One event to store: its key, its conversation, when upstream sent it, and the delivery it came in."""

    dedup_key: str
    conversation: str | None
    sent_at: float | None
    body: bytes


@attrs.frozen
class StoredEvent:
    """An event in the inbox, as a claim or a dead-letter listing returns it."""

    dedup_key: str
    body: bytes
    conversation: str | None
    attempts: int
    step: int
    """Handlers (in registration order) already run to the end for it: a retry starts after them."""
    state: str = "pending"
    error: str | None = None
    arrived_at: float | None = None

    def event(self) -> AnyEvent:
        """The typed event, read again from the delivery it came in."""
        from d360.webhooks.parse import parse

        for event in parse(self.body):
            if event.dedup_key == self.dedup_key:
                return event
        raise ValueError(f"the stored delivery holds no event {self.dedup_key}")  # pragma: no cover - stored by us


@runtime_checkable
class InboxStore(Protocol):
    """Where events wait for their handlers. Every method is atomic across every process sharing the store."""

    def put(self, events: Sequence[NewEvent]) -> list[bool]:
        """Claim each event's key and store the new ones, in one transaction; True for each stored now."""
        ...

    def claim(self, owner: str, limit: int, lease: float) -> list[StoredEvent]:
        """Lease up to `limit` events ready to handle to `owner` for `lease` seconds: oldest first, at most
        one per conversation, none of a conversation with an earlier event not yet settled."""
        ...

    def renew(self, owner: str, keys: Sequence[str], lease: float) -> None:
        """Extend `owner`'s leases on these events (its handlers are still running)."""
        ...

    def done(self, owner: str, key: str) -> bool:
        """Mark an event leased to `owner` handled; False if the lease was lost (another took it over)."""
        ...

    def done_many(self, owner: str, keys: Sequence[str]) -> list[str]:
        """`done` for several events in one transaction; the keys whose lease was lost."""
        ...

    def progress(self, owner: str, key: str, step: int) -> None:
        """Record that the first `step` handlers of a leased event have ended."""
        ...

    def failed(self, owner: str, key: str, error: str, step: int, max_attempts: int) -> str:
        """Record a failed attempt: `retry` (again after a backoff) or `dead` (attempts used up)."""
        ...

    def dead_letters(self) -> list[StoredEvent]: ...

    def retry_dead(self, keys: Sequence[str] | None = None) -> int:
        """Put dead events (all, or these) back to be handled, with their attempts reset; how many."""
        ...

    def pending(self) -> int:
        """Events stored and not yet handled nor dead."""
        ...

    def claim_keys(self, keys: Sequence[str]) -> list[bool]:
        """The de-duplication part alone (`DedupStore.claim`)."""
        ...

    def forget(self, keys: Sequence[str]) -> None: ...

    def close(self) -> None: ...


def backoff(attempts: int) -> float:
    """Seconds before attempt `attempts + 1`: 1, 2, 4... up to five minutes."""
    return float(min(BACKOFF_CAP, BACKOFF_BASE * 2 ** max(0, attempts - 1)))


def open_inbox(store: InboxStore | str | os.PathLike[str] | None = None) -> InboxStore:
    """The inbox at `store`: a path (SQLite), a `postgresql://` URL, or a store already made."""
    if store is None:
        store = DEFAULT_PATH
    if isinstance(store, str) and is_postgres_url(store):
        try:
            from d360.webhooks.inbox.postgres import PostgresInbox
        except ImportError as exc:  # psycopg is an extra
            raise ConfigurationError(
                f"a PostgreSQL inbox needs the postgres extra (pip install 'd360-messaging[postgres]'): {exc}"
            ) from None
        return PostgresInbox(store)
    if isinstance(store, str) and "://" in store:
        what = (
            "Redis keeps de-duplication keys, not the events themselves, so it cannot hold the inbox: use "
            "Receiver(dedup=Deduplicator(url)) for de-duplication alone, or a postgresql:// URL or a SQLite file"
            if is_redis_url(store)
            else f"{store.partition('://')[0] or 'an empty scheme'}:// is not a store d360 can use: the inbox is a "
            "SQLite file given by its path or a postgresql:// URL (a redis:// URL de-duplicates only)"
        )
        raise ConfigurationError(f"{shown_url(store)}: {what}")
    if isinstance(store, str) and not store:
        raise ConfigurationError("an empty inbox store: give a file path or a postgresql:// URL")
    if isinstance(store, str | os.PathLike):
        from d360.webhooks.inbox.sqlite import SQLiteInbox

        return SQLiteInbox(store)
    if not isinstance(store, InboxStore):
        raise ConfigurationError(f"an inbox store needs put(), claim(), done()...; {type(store).__name__} has not")
    return store


def new_event(event: AnyEvent, body: bytes) -> NewEvent:
    return NewEvent(event.dedup_key, conversation_of(event), _sent_at(event), body)


def conversation_of(event: AnyEvent) -> str | None:
    """The conversation an event belongs to: the business number and the customer's wa_id, or None."""
    if isinstance(event, IncomingMessage):
        who: str | None = event.from_
    elif isinstance(event, StatusUpdate):
        who = event.recipient_id
    else:
        return None
    if not who:
        return None
    return f"{event.phone_number_id or ''}:{who}"


def _sent_at(event: AnyEvent) -> float | None:
    stamp = getattr(event, "timestamp", None)
    return stamp.timestamp() if isinstance(stamp, datetime) else None


@attrs.frozen
class Handling:
    """The event a handler is being run for, from the inbox: its store, key, lease owner and handler index.

    `JournalSink` reads it (`current_handling`) to settle a line and the event in one transaction when the
    journal and the inbox are one database."""

    store: Any
    owner: str
    key: str
    step: int


current_handling: contextvars.ContextVar[Handling | None] = contextvars.ContextVar("d360_inbox_handling", default=None)


__all__ = [
    "DEFAULT_LEASE",
    "DEFAULT_MAX_ATTEMPTS",
    "DEFAULT_PATH",
    "Handling",
    "InboxStore",
    "NewEvent",
    "StoredEvent",
    "backoff",
    "conversation_of",
    "current_handling",
    "new_event",
    "open_inbox",
]
