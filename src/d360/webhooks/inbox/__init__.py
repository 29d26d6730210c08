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
from datetime import datetime
from typing import Any

import attrs

from d360.bulk.journals import is_postgres_url
from d360.errors import ConfigurationError
from d360.webhooks.events import AnyEvent, IncomingMessage, StatusUpdate
from d360.webhooks.inbox.store import (
    DEFAULT_LEASE,
    DEFAULT_MAX_ATTEMPTS,
    DEFAULT_PATH,
    InboxStore,
    NewEvent,
    StoredEvent,
    backoff,
)
from d360.webhooks.store_settings import is_redis_url, shown_url


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
