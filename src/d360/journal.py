"""The bulk journal: one SQLite row per input line, so a run killed at any moment resumes without resending.

A line is marked `sending` (committed) before its request leaves, and `accepted` (committed) as soon as
upstream acknowledges it. After a crash, lines still `sending` may or may not have been delivered: they
become `unknown` and are not sent again unless asked. WAL mode keeps every commit across a kill -9.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import attrs

PENDING, SENDING, ACCEPTED, FAILED, UNKNOWN = "pending", "sending", "accepted", "failed", "unknown"
STATES = (PENDING, SENDING, ACCEPTED, FAILED, UNKNOWN)
SCHEMA_VERSION = "1"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS lines (
    line_number  INTEGER PRIMARY KEY,
    content_hash TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'accepted', 'failed', 'unknown')),
    message_id   TEXT,
    error        TEXT,
    attempts     INTEGER NOT NULL DEFAULT 0,
    created_at   REAL NOT NULL,
    updated_at   REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS lines_by_state ON lines (state, line_number);
"""


class JournalError(Exception):
    """The journal cannot be used for this run; the message says why, in one line."""


@attrs.frozen
class LineRecord:
    line_number: int
    content_hash: str
    state: str
    message_id: str | None
    error: str | None
    attempts: int
    created_at: float
    updated_at: float


class Journal:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            # Autocommit: every statement is its own transaction, committed before the call returns.
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            # NORMAL loses nothing on a process crash (kill -9), only possibly on power loss.
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise JournalError(f"{self.path} is not a usable journal: {exc}") from None

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # Identity: a journal belongs to one input.

    def meta(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT key, value FROM meta").fetchall())

    def claim(self, fingerprint: str, description: str) -> bool:
        """Tie the journal to an input; return True if it is new. Refuse a journal made for another input."""
        known = self.meta()
        if not known:
            with self._transaction():
                self._db.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?)",
                    [("schema_version", SCHEMA_VERSION), ("input_fingerprint", fingerprint),
                     ("input", description), ("created_at", str(time.time()))],
                )  # fmt: skip
            return True
        if known.get("input_fingerprint") != fingerprint:
            raise JournalError(
                f"{self.path} was made from a different input ({known.get('input', '?')}, fingerprint "
                f"{known.get('input_fingerprint', '?')[:12]}, not {fingerprint[:12]}): use a new journal"
            )
        return False

    def add_lines(self, lines: Iterable[tuple[int, str, str, str | None]]) -> None:
        """Insert (line_number, content_hash, state, error) rows, in batches, in one transaction."""
        now = time.time()
        with self._transaction():
            batch: list[tuple[int, str, str, str | None, float, float]] = []
            for line_number, content_hash, state, error in lines:
                batch.append((line_number, content_hash, state, error, now, now))
                if len(batch) >= 5000:
                    self._insert(batch)
                    batch.clear()
            self._insert(batch)

    def _insert(self, batch: list[tuple[int, str, str, str | None, float, float]]) -> None:
        self._db.executemany(
            "INSERT INTO lines (line_number, content_hash, state, error, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            batch,
        )

    # The life of a line.

    def recover_interrupted(self) -> int:
        """Lines left `sending` by a process that died: they may have been delivered, so they become unknown."""
        cursor = self._db.execute(
            "UPDATE lines SET state = ?, error = ?, updated_at = ? WHERE state = ?",
            (UNKNOWN, "interrupted while sending: may have been delivered", time.time(), SENDING),
        )
        return cursor.rowcount

    def mark_sending(self, line_number: int, attempt: int) -> None:
        """Committed before the request leaves: the one write that makes a crash safe."""
        self._db.execute(
            "UPDATE lines SET state = ?, attempts = attempts + 1, updated_at = ? WHERE line_number = ?",
            (SENDING, time.time(), line_number),
        )

    def finish(self, line_number: int, state: str, *, message_id: str | None = None, error: str | None = None) -> None:
        self._db.execute(
            "UPDATE lines SET state = ?, message_id = ?, error = ?, updated_at = ? WHERE line_number = ?",
            (state, message_id, error, time.time(), line_number),
        )

    # Reading.

    def states_to_send(self, *, resend_unknown: bool) -> tuple[str, ...]:
        return (PENDING, UNKNOWN) if resend_unknown else (PENDING,)

    def lines_in(self, states: tuple[str, ...]) -> Iterator[tuple[int, str]]:
        """(line number, content hash) of the lines in the given states, ascending, read in pages."""
        marks = ",".join("?" * len(states))
        last = 0
        while True:
            page = self._db.execute(
                f"SELECT line_number, content_hash FROM lines WHERE state IN ({marks}) AND line_number > ? "
                "ORDER BY line_number LIMIT 2000",
                (*states, last),
            ).fetchall()
            if not page:
                return
            yield from page
            last = page[-1][0]

    def counts(self) -> dict[str, int]:
        found = dict(self._db.execute("SELECT state, COUNT(*) FROM lines GROUP BY state").fetchall())
        return {state: int(found.get(state, 0)) for state in STATES}

    def records(self, states: tuple[str, ...] = STATES) -> Iterator[LineRecord]:
        marks = ",".join("?" * len(states))
        cursor = self._db.execute(
            "SELECT line_number, content_hash, state, message_id, error, attempts, created_at, updated_at "
            f"FROM lines WHERE state IN ({marks}) ORDER BY line_number",
            states,
        )
        for row in cursor:
            yield LineRecord(*row)

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *rest: object) -> None:
        self._db.execute("COMMIT" if exc_type is None else "ROLLBACK")
