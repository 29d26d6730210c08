"""De-duplication of webhook events that survives restarts: upstream redelivers, handlers run once.

360dialog redelivers any delivery that did not get a 200, for days, and the same event can come twice
even after a 200. `Deduplicator` remembers each event's `dedup_key` in a store:
- `SQLiteDedupStore` (the default): a file, kept across restarts, shared safely by several worker
  processes on one machine (each key is claimed in a write transaction: exactly one process wins);
- `MemoryDedupStore`: one process, lost on restart (tests, `d360 webhook listen`);
- `PostgresDedupStore` (`Deduplicator("postgresql://...")`): the PostgreSQL inbox's keys, for any number
  of hosts;
- anything with `claim` and `forget` (`DedupStore`): Redis's `SET key 1 NX EX ttl`, a database table.
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

DEFAULT_PATH = "d360-webhooks.sqlite"
DEFAULT_MAX_AGE = timedelta(days=8)
"""Upstream redelivers for up to seven days; a key is kept a day longer."""
PRUNE_EVERY = 60.0
"""Seconds between sweeps of keys older than `max_age`."""

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


class Deduplicator:
    """Keeps only the events not seen before. `Deduplicator()` keeps keys in ./d360-webhooks.sqlite."""

    def __init__(
        self, store: DedupStore | str | os.PathLike[str] | None = None, *, max_age: timedelta | float = DEFAULT_MAX_AGE
    ) -> None:
        if isinstance(store, str) and store.split(":", 1)[0].lower() in ("postgres", "postgresql"):
            from d360.webhooks.inbox.postgres import PostgresDedupStore  # the postgres extra

            store = PostgresDedupStore(store, max_age=max_age)
        elif store is None or isinstance(store, str | os.PathLike):
            store = SQLiteDedupStore(store if store is not None else DEFAULT_PATH, max_age=max_age)
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


def _seconds(max_age: timedelta | float) -> float:
    seconds = max_age.total_seconds() if isinstance(max_age, timedelta) else max_age
    if not isinstance(seconds, int | float) or isinstance(seconds, bool) or not seconds > 0:
        raise ConfigurationError(f"max_age must be a positive duration, not {max_age!r}")
    return float(seconds)


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
                first = key not in self._seen
                if first:
                    self._seen[key] = now
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
            if len(keys) == 1 and now < self._next_prune:
                # One statement is its own transaction in autocommit mode: the same guarantee, fewer round trips.
                cursor.execute("INSERT OR IGNORE INTO seen (key, seen_at) VALUES (?, ?)", (keys[0], now))
                return [cursor.rowcount == 1]
            cursor.execute("BEGIN IMMEDIATE")
            try:
                firsts = []
                for key in keys:
                    cursor.execute("INSERT OR IGNORE INTO seen (key, seen_at) VALUES (?, ?)", (key, now))
                    firsts.append(cursor.rowcount == 1)
                if now >= self._next_prune:
                    cursor.execute("DELETE FROM seen WHERE seen_at < ?", (now - self.max_age,))
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
