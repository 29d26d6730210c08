"""The inbox in a SQLite file (WAL): the default, for one machine. Its `seen` table is the SQLite dedup
store's, so `Deduplicator(path)` and a receiver on the same file share their keys. Every write is one
`BEGIN IMMEDIATE` transaction, so several processes on the machine may share the file: leases work as on
PostgreSQL."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from d360.errors import ConfigurationError
from d360.sqlite_files import use_wal
from d360.webhooks.inbox.store import KEEP_HANDLED, NewEvent, StoredEvent, backoff
from d360.webhooks.store_settings import DEFAULT_MAX_AGE, PRUNE_EVERY, _seconds

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS seen (key TEXT PRIMARY KEY, seen_at REAL NOT NULL) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS seen_by_age ON seen (seen_at)",
    """CREATE TABLE IF NOT EXISTS inbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        dedup_key TEXT NOT NULL UNIQUE,
        conversation TEXT,
        sent_at REAL NOT NULL,
        arrived_at REAL NOT NULL,
        body BLOB NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'handled', 'dead')),
        step INTEGER NOT NULL DEFAULT 0,
        attempts INTEGER NOT NULL DEFAULT 0,
        available_at REAL NOT NULL,
        lease_owner TEXT,
        lease_until REAL,
        error TEXT,
        settled_at REAL
    )""",
    "CREATE INDEX IF NOT EXISTS inbox_ready ON inbox (state, sent_at, id)",
    "CREATE INDEX IF NOT EXISTS inbox_conversation ON inbox (conversation, state)",
    "CREATE INDEX IF NOT EXISTS inbox_settled ON inbox (settled_at) WHERE settled_at IS NOT NULL",
)

CLAIMABLE = """
SELECT id, dedup_key, body, conversation, attempts, step, arrived_at FROM inbox AS e
WHERE e.state = 'pending' AND e.available_at <= :now AND (e.lease_until IS NULL OR e.lease_until < :now)
  AND (e.conversation IS NULL OR NOT EXISTS (
      SELECT 1 FROM inbox AS p
      WHERE p.conversation = e.conversation AND p.state = 'pending' AND p.id <> e.id
        AND ((p.sent_at, p.id) < (e.sent_at, e.id) OR p.lease_until >= :now)))
ORDER BY e.sent_at, e.id
LIMIT :limit
"""
PROGRESS = "UPDATE inbox SET step = max(step, ?) WHERE dedup_key = ? AND lease_owner = ? AND state = 'pending'"


class SQLiteInbox:
    """The inbox in a SQLite file; `max_age`: how long a key is remembered (upstream redelivers for 7 days)."""

    def __init__(self, path: str | os.PathLike[str], *, max_age: timedelta | float = DEFAULT_MAX_AGE) -> None:
        self.path = Path(path)
        self.max_age = _seconds(max_age)
        self._lock = threading.Lock()
        try:
            self._db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)
            use_wal(self._db)
            # NORMAL: a commit survives the process dying at any moment (not a power cut), at half FULL's cost.
            self._db.execute("PRAGMA synchronous=NORMAL")
            for statement in SCHEMA:
                self._db.execute(statement)
        except sqlite3.DatabaseError as exc:
            raise ConfigurationError(f"cannot use {self.path} as a webhook inbox: {exc}") from None
        self._next_prune = 0.0

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Cursor]:
        with self._lock:
            cursor = self._db.cursor()
            cursor.execute("BEGIN IMMEDIATE")
            try:
                yield cursor
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            cursor.execute("COMMIT")

    def put(self, events: Sequence[NewEvent]) -> list[bool]:
        now = time.time()
        firsts = []
        with self._transaction() as cursor:
            for event in events:
                cursor.execute("INSERT OR IGNORE INTO seen (key, seen_at) VALUES (?, ?)", (event.dedup_key, now))
                first = cursor.rowcount == 1
                if first:
                    cursor.execute(
                        "INSERT OR IGNORE INTO inbox (dedup_key, conversation, sent_at, arrived_at, body, available_at)"
                        " VALUES (?, ?, ?, ?, ?, ?)",
                        (event.dedup_key, event.conversation, event.sent_at or now, now, event.body, now),
                    )
                firsts.append(first)
            if now >= self._next_prune:
                self._prune(cursor, now)
        return firsts

    def _prune(self, cursor: sqlite3.Cursor, now: float) -> None:
        cursor.execute("DELETE FROM seen WHERE seen_at < ?", (now - self.max_age,))
        cursor.execute("DELETE FROM inbox WHERE state = 'handled' AND settled_at < ?", (now - KEEP_HANDLED,))
        self._next_prune = now + PRUNE_EVERY

    def claim(self, owner: str, limit: int, lease: float) -> list[StoredEvent]:
        now = time.time()
        with self._transaction() as cursor:
            rows = cursor.execute(CLAIMABLE, {"now": now, "limit": limit}).fetchall()
            cursor.executemany(
                "UPDATE inbox SET lease_owner = ?, lease_until = ? WHERE id = ?",
                [(owner, now + lease, row[0]) for row in rows],
            )
        return [StoredEvent(row[1], bytes(row[2]), row[3], row[4], row[5], arrived_at=row[6]) for row in rows]

    def renew(self, owner: str, keys: Sequence[str], lease: float) -> None:
        until = time.time() + lease
        with self._transaction() as cursor:
            cursor.executemany(
                "UPDATE inbox SET lease_until = ? WHERE dedup_key = ? AND lease_owner = ? AND state = 'pending'",
                [(until, key, owner) for key in keys],
            )

    def done(self, owner: str, key: str) -> bool:
        with self._transaction() as cursor:
            return settle(cursor, owner, key, time.time())

    def done_many(self, owner: str, keys: Sequence[str]) -> list[str]:
        now = time.time()
        with self._transaction() as cursor:
            return [key for key in keys if not settle(cursor, owner, key, now)]

    def settle_on(self, connection: sqlite3.Connection, owner: str, key: str, step: int) -> None:
        """Record a handler's end on `connection`, inside its transaction (a journal's, on this file)."""
        connection.execute(PROGRESS, (step, key, owner))

    def progress(self, owner: str, key: str, step: int) -> None:
        with self._transaction() as cursor:
            cursor.execute(PROGRESS, (step, key, owner))

    def failed(self, owner: str, key: str, error: str, step: int, max_attempts: int) -> str:
        now = time.time()
        with self._transaction() as cursor:
            row = cursor.execute(
                "SELECT attempts FROM inbox WHERE dedup_key = ? AND lease_owner = ? AND state = 'pending'",
                (key, owner),
            ).fetchone()
            if row is None:
                return "lost"
            attempts = int(row[0]) + 1
            state = "dead" if attempts >= max_attempts else "pending"
            cursor.execute(
                "UPDATE inbox SET attempts = ?, state = ?, error = ?, step = max(step, ?), available_at = ?,"
                " lease_owner = NULL, lease_until = NULL, settled_at = CASE WHEN ? = 'dead' THEN ? END"
                " WHERE dedup_key = ?",
                (attempts, state, error, step, now + backoff(attempts), state, now, key),
            )
        return "dead" if state == "dead" else "retry"

    def dead_letters(self) -> list[StoredEvent]:
        with self._lock:
            rows = self._db.execute(
                "SELECT dedup_key, body, conversation, attempts, step, error, arrived_at FROM inbox"
                " WHERE state = 'dead' ORDER BY sent_at, id"
            ).fetchall()
        return [StoredEvent(r[0], bytes(r[1]), r[2], r[3], r[4], "dead", r[5], r[6]) for r in rows]

    def retry_dead(self, keys: Sequence[str] | None = None) -> int:
        now = time.time()
        with self._transaction() as cursor:
            reset = (
                "UPDATE inbox SET state = 'pending', attempts = 0, available_at = ?, settled_at = NULL,"
                " lease_owner = NULL, lease_until = NULL WHERE state = 'dead'"
            )
            if keys is None:
                return cursor.execute(reset, (now,)).rowcount
            return sum(cursor.execute(reset + " AND dedup_key = ?", (now, key)).rowcount for key in keys)

    def pending(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM inbox WHERE state = 'pending'").fetchone()[0])

    def claim_keys(self, keys: Sequence[str]) -> list[bool]:
        now = time.time()
        with self._transaction() as cursor:
            firsts = []
            for key in keys:
                cursor.execute("INSERT OR IGNORE INTO seen (key, seen_at) VALUES (?, ?)", (key, now))
                firsts.append(cursor.rowcount == 1)
            return firsts

    def forget(self, keys: Sequence[str]) -> None:
        with self._transaction() as cursor:
            cursor.executemany("DELETE FROM seen WHERE key = ?", [(key,) for key in keys])
            cursor.executemany("DELETE FROM inbox WHERE dedup_key = ? AND state = 'pending'", [(key,) for key in keys])

    def same_database(self, path: str | os.PathLike[str]) -> bool:
        """Whether a SQLite file at `path` is this inbox's file (a journal sharing its transactions)."""
        try:
            return os.path.samefile(self.path, path)
        except OSError:
            return False

    def close(self) -> None:
        with self._lock:
            self._db.close()


def settle(cursor: sqlite3.Cursor, owner: str | None, key: str, now: float) -> bool:
    """Mark an event handled on `cursor` (this inbox's connection, or a journal's on the same file)."""
    cursor.execute(
        "UPDATE inbox SET state = 'handled', settled_at = ?, lease_owner = NULL, lease_until = NULL, error = NULL"
        " WHERE dedup_key = ? AND state = 'pending' AND (? IS NULL OR lease_owner = ?)",
        (now, key, owner, owner),
    )
    return cursor.rowcount == 1
