"""De-duplication of webhook events that survives restarts: upstream redelivers, handlers run once.

360dialog redelivers any delivery that did not get a 200, for days, and the same event can come twice
even after a 200. `Deduplicator` remembers each event's `dedup_key` in a store:
- `SQLiteDedupStore` (the default): a file, kept across restarts, shared safely by several worker
  processes on one machine (each key is claimed in a write transaction: exactly one process wins);
- `MemoryDedupStore`: one process, lost on restart (tests, `d360 webhook listen`);
- `RedisDedupStore` (`redis://`, `rediss://`) and `PostgresDedupStore` (`postgresql://`): shared by
  receivers on several machines;
- anything else with `claim` and `forget` (`DedupStore`).
`Deduplicator("redis://...")` picks the store from the URL (`open_store`).
"""

from __future__ import annotations

import collections
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Protocol, TypeVar, runtime_checkable

from d360.errors import ConfigurationError
from d360.sqlite_files import use_wal
from d360.webhooks.events import Event
from d360.webhooks.store_settings import (
    DEFAULT_MAX_AGE,
    POSTGRES_SCHEMES,
    PRUNE_EVERY,
    REDIS_SCHEMES,
    _seconds,
    shown_url,
)

DEFAULT_PATH = "d360-webhooks.sqlite"

E = TypeVar("E", bound=Event)


@runtime_checkable
class DedupStore(Protocol):
    """Where seen keys live. Implement these two methods to keep them in Redis or your own database."""

    def claim(self, keys: Sequence[str]) -> list[bool]:
        """Record `keys`; True for each key recorded now for the first time, False for one seen before.

        Must be atomic per key across every process sharing the store: exactly one caller gets True.
        """
        ...

    def forget(self, keys: Sequence[str]) -> None:
        """Drop keys claimed for events that will not be handled after all (the delivery was refused)."""
        ...


def open_store(location: str | os.PathLike[str], *, max_age: timedelta | float = DEFAULT_MAX_AGE) -> DedupStore:
    """The store a location names: `redis://` or `rediss://` (Redis, `?prefix=` for its keys' prefix),
    `postgresql://` (PostgreSQL, `?schema=` for its schema, `d360_webhooks` by default), or a file path
    (SQLite). Anything else with `://` in it is refused, naming what is wrong."""
    if isinstance(location, str) and "://" in location:
        scheme = location.partition("://")[0].lower()
        if scheme in REDIS_SCHEMES:
            from d360.webhooks.redis_dedup import RedisDedupStore

            return RedisDedupStore(location, max_age=max_age)
        if scheme in POSTGRES_SCHEMES:
            from d360.webhooks.postgres_dedup import PostgresDedupStore

            return PostgresDedupStore(location, max_age=max_age)
        raise ConfigurationError(
            f"{shown_url(location)}: d360 keeps seen webhook events in redis://, rediss:// or postgresql:// "
            f"URLs, or in a SQLite file given by its path; {scheme or 'an empty scheme'}:// is none of them"
        )
    if isinstance(location, str) and not location:
        raise ConfigurationError("an empty de-duplication store: give a file path, or a redis:// or postgresql:// URL")
    return SQLiteDedupStore(location, max_age=max_age)


class Deduplicator:
    """Keeps only the events not seen before. `Deduplicator()` keeps keys in ./d360-webhooks.sqlite;
    `Deduplicator("redis://host:6379/0")` or `Deduplicator("postgresql://host/db")` in a store that receivers
    on several machines share (see `open_store`)."""

    def __init__(
        self, store: DedupStore | str | os.PathLike[str] | None = None, *, max_age: timedelta | float = DEFAULT_MAX_AGE
    ) -> None:
        if store is None or isinstance(store, str | os.PathLike):
            store = open_store(store if store is not None else DEFAULT_PATH, max_age=max_age)
        elif not isinstance(store, DedupStore):
            raise ConfigurationError(
                f"a de-duplication store needs claim() and forget() methods; {type(store).__name__} has not both"
            )
        self.store: DedupStore = store

    @classmethod
    def in_memory(cls, *, max_age: timedelta | float = DEFAULT_MAX_AGE, max_entries: int = 1_000_000) -> Deduplicator:
        """Keys kept in this process only: lost on restart, so use it for tests and trying things out."""
        return cls(MemoryDedupStore(max_age=max_age, max_entries=max_entries))

    def fresh(self, events: Iterable[E]) -> list[E]:
        """The events never seen before, in order; repeats within `events` count as seen too."""
        unique: dict[str, E] = {}
        for event in events:
            unique.setdefault(event.dedup_key, event)
        if not unique:
            return []
        firsts = self.store.claim(list(unique))
        return [event for event, first in zip(unique.values(), firsts, strict=True) if first]

    def forget(self, events: Iterable[Event]) -> None:
        self.store.forget([event.dedup_key for event in events])

    def close(self) -> None:
        close = getattr(self.store, "close", None)
        if callable(close):
            close()


class MemoryDedupStore:
    """Keys in a dict, oldest first; bounded by age and by count. One process only."""

    def __init__(self, *, max_age: timedelta | float = DEFAULT_MAX_AGE, max_entries: int = 1_000_000) -> None:
        if not isinstance(max_entries, int) or isinstance(max_entries, bool) or max_entries < 1:
            raise ConfigurationError(f"max_entries must be a whole number, 1 or more, not {max_entries!r}")
        self.max_age = _seconds(max_age)
        self.max_entries = max_entries
        self._seen: collections.OrderedDict[str, float] = collections.OrderedDict()
        self._lock = threading.Lock()

    def claim(self, keys: Sequence[str]) -> list[bool]:
        now = time.monotonic()
        with self._lock:
            firsts = []
            for key in keys:
                seen_at = self._seen.get(key)
                # A key older than max_age is new again, whether or not a sweep has dropped it yet.
                first = seen_at is None or seen_at <= now - self.max_age
                if first:
                    self._seen.pop(key, None)
                    self._seen[key] = now  # to the end: the oldest stay first
                firsts.append(first)
            # The oldest go first: those past max_age, then as many as the count bound needs.
            while self._seen:
                oldest_key, seen_at = next(iter(self._seen.items()))
                if seen_at > now - self.max_age and len(self._seen) <= self.max_entries:
                    break
                del self._seen[oldest_key]
            return firsts

    def forget(self, keys: Sequence[str]) -> None:
        with self._lock:
            for key in keys:
                self._seen.pop(key, None)

    def __len__(self) -> int:
        return len(self._seen)


CLAIM = (
    "INSERT INTO seen (key, seen_at) VALUES (?, ?) "
    # A key older than max_age is new again, whether or not a sweep has dropped it yet: it is taken anew.
    "ON CONFLICT (key) DO UPDATE SET seen_at = excluded.seen_at WHERE seen.seen_at <= ?"
)
"""One key's claim: one row changed (inserted, or an expired one taken anew) when it is new."""


class SQLiteDedupStore:
    """Keys in a SQLite file (WAL), kept `max_age`; safe for several processes and threads on one machine."""

    def __init__(self, path: str | os.PathLike[str], *, max_age: timedelta | float = DEFAULT_MAX_AGE) -> None:
        self.path = Path(path)
        self.max_age = _seconds(max_age)
        self._lock = threading.Lock()
        try:
            self._connection = sqlite3.connect(self.path, timeout=10.0, isolation_level=None, check_same_thread=False)
            use_wal(self._connection)
            # NORMAL: a commit survives the process dying at any moment (not a power cut), at half the cost of FULL.
            self._connection.execute("PRAGMA synchronous=NORMAL")
            self._connection.execute(
                "CREATE TABLE IF NOT EXISTS seen (key TEXT PRIMARY KEY, seen_at REAL NOT NULL) WITHOUT ROWID"
            )
            self._connection.execute("CREATE INDEX IF NOT EXISTS seen_by_age ON seen (seen_at)")
        except sqlite3.DatabaseError as exc:
            raise ConfigurationError(f"cannot use {self.path} to de-duplicate webhooks: {exc}") from None
        self._next_prune = 0.0

    def claim(self, keys: Sequence[str]) -> list[bool]:
        now = time.time()
        with self._lock:
            cursor = self._connection.cursor()
            expired = now - self.max_age
            if len(keys) == 1 and now < self._next_prune:
                # One statement is its own transaction in autocommit mode: the same guarantee, fewer round trips.
                cursor.execute(CLAIM, (keys[0], now, expired))
                return [cursor.rowcount == 1]
            cursor.execute("BEGIN IMMEDIATE")
            try:
                firsts = []
                for key in keys:
                    cursor.execute(CLAIM, (key, now, expired))
                    firsts.append(cursor.rowcount == 1)
                if now >= self._next_prune:
                    cursor.execute("DELETE FROM seen WHERE seen_at <= ?", (expired,))
                    self._next_prune = now + PRUNE_EVERY
                cursor.execute("COMMIT")
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            return firsts

    def forget(self, keys: Sequence[str]) -> None:
        with self._lock:
            self._connection.executemany("DELETE FROM seen WHERE key = ?", [(key,) for key in keys])

    def __len__(self) -> int:
        with self._lock:
            return int(self._connection.execute("SELECT count(*) FROM seen").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._connection.close()
