"""The bulk journal: one SQLite row per input line, so a run killed at any moment resumes without resending.

A line is marked `sending` (committed) before its request leaves, and `accepted` (committed) as soon as
upstream acknowledges it. After a crash, lines still `sending` may or may not have been delivered: they
become `unknown` and are not sent again unless asked. WAL mode keeps every commit across a kill -9.

This module is the one place a journal is opened, filled and owned. Filling is one transaction (the
input's fingerprint and all its lines, or nothing), one run at a time holds a journal (an OS lock on
`<journal>.lock`, released by the kernel when its holder dies, however it dies), and a journal deleted
or replaced under a running run stops it before its next send. A status listener may make the journal
before the run fills it: both keep the one journal id, and a status that comes before its line is kept
until the line is there.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import secrets
import socket
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, overload

import attrs

from d360.sqlite_files import use_wal
from d360.unicode import utf8_escaped

PENDING, SENDING, ACCEPTED, FAILED, UNKNOWN = "pending", "sending", "accepted", "failed", "unknown"
STATES = (PENDING, SENDING, ACCEPTED, FAILED, UNKNOWN)
# What became of an accepted line, from status webhooks; a later state never gives way to an earlier one.
DELIVERY_STATES = ("sent", "delivered", "read", "failed")
DELIVERY_RANK = {state: rank for rank, state in enumerate(DELIVERY_STATES, start=1)}
TOKEN_PREFIX = "d360:"
"""`biz_opaque_callback_data` of a line d360 sent: `d360:<journal id>:<line number>`."""
SCHEMA_VERSION = "1"
INSERT_BATCH = 5000
PAGE_SIZE = 2000

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS lines (
    line_number  INTEGER PRIMARY KEY,
    content_hash TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'accepted', 'failed', 'unknown')),
    message_id   TEXT,
    error        TEXT,
    attempts     INTEGER NOT NULL DEFAULT 0,
    created_at   REAL NOT NULL,
    updated_at   REAL NOT NULL
)""",
    # Statuses that found no line yet: one whose line is not filled in yet (a listener started before the
    # campaign), or one with no d360 token whose line has not recorded its message id yet (the status beat
    # the send's own answer). Applied when lines are filled and whenever a run settles.
    """CREATE TABLE IF NOT EXISTS waiting_statuses (
    id          INTEGER PRIMARY KEY,
    line_number INTEGER,
    message_id  TEXT NOT NULL,
    status      TEXT NOT NULL,
    code        INTEGER,
    error       TEXT,
    received_at REAL NOT NULL,
    session     INTEGER
)""",
    # A status listener's time up (`Journal.for_statuses`): one row from when it opened the journal until it
    # stopped or stalled, `alive_at` refreshed with each status it records and on a heartbeat. Only statuses
    # one session recorded, before and after a line was sent, prove that line never accepted.
    """CREATE TABLE IF NOT EXISTS listener_sessions (
    id         INTEGER PRIMARY KEY,
    started_at REAL NOT NULL,
    alive_at   REAL NOT NULL
)""",
)
# No index on waiting_statuses: applying them reads it whole and looks each up in `lines` by its index,
# the one plan that stays cheap with a million lines.
JOURNAL_TABLES = frozenset({"meta", "lines"})
OPTIONAL_TABLES = frozenset({"waiting_statuses", "listener_sessions"})
"""A journal has `meta` and `lines`; journals made before statuses could wait lack `waiting_statuses`, those
made before listener sessions were kept lack `listener_sessions`."""
NEIGHBOUR_TABLES = frozenset({"seen", "inbox"})
"""Not the journal's: a webhook inbox's (`Receiver(store=journal_path)`), in the same file so that
`JournalSink` settles a status and its event in one transaction."""
# Added by delivery tracking, then by resending on evidence (`sent_at`, `first_status_at`); ALTERed into
# journals made before.
DELIVERY_COLUMNS = {
    "delivery": "TEXT",
    "delivery_code": "INTEGER",
    "delivery_error": "TEXT",
    "delivery_at": "REAL",
    "match_by_id": "INTEGER",
    "sent_at": "REAL",
    "first_status_at": "REAL",
    "first_status_session": "INTEGER",
}
"""`delivery_at` is when the line's latest delivery state arrived (it moves with the state);
`first_status_at` when its first status arrived, which never moves: the evidence that statuses were
reaching the journal at that moment (see `Journal.resend_unknown_with_evidence`); `first_status_session`
the listener session (`listener_sessions`) that recorded that first status, NULL if none did (a journal
from before sessions): such a status proves nothing."""
WAITING_COLUMNS = {"session": "INTEGER"}
"""Added to `waiting_statuses` by listener sessions: the session that recorded a waiting status."""
STATUS_BUSY_TIMEOUT = 120.0
"""Seconds a status listener waits for another writer (a run filling a journal of a million lines holds one
transaction for 10 to 25 s) before giving up on opening the journal or recording a status."""
HEARTBEAT_SECONDS = 2.0
"""How often a status listener (`JournalSink`) tells its journal it is still up."""
MAX_SILENCE = 3 * HEARTBEAT_SECONDS
"""A listener that has not told its journal it was up for longer than this (its process stopped, the machine
slept) may have missed statuses meanwhile: it begins a new session, and what it recorded before proves
nothing about lines sent after."""
WAITING_WITHOUT_TOKEN = 10_000
"""Statuses with no d360 token that found no line, kept in case their line is about to record its message
id: the newest this many. A listener also hears the number's other traffic, which no line will ever match."""
MATCHED_BY_ID_INDEX = "CREATE INDEX IF NOT EXISTS lines_matched_by_id ON lines (message_id) WHERE match_by_id = 1"
"""Statuses find a line by the d360 token they carry, except a line that brought its own
`biz_opaque_callback_data`: only those lines (`match_by_id = 1`) are found by message id, so only they
are indexed. An index of every line's message id cost each accepted line a random B-tree insert: more
than all its other journal writes together."""


MARK_SENDING = (
    "UPDATE lines SET state = ?1, attempts = attempts + 1, updated_at = ?2, sent_at = ?2, match_by_id = ?4 "
    "WHERE line_number = ?3 AND delivery IS NULL"
)
"""Also when the line was last sent (the order in which statuses prove lines never accepted, see
`Journal.resend_unknown_with_evidence`), and how its statuses will find it, known before it leaves:
`match_by_id` 1 if it brings its own `biz_opaque_callback_data` (by its message id, which only its answer
gives), 0 if it carries a d360 token (by the token). NULL: never sent by a d360 that recorded this.

A line a status has spoken for is refused (`delivery IS NULL`), and its send skipped: upstream took it.
A line sent again on evidence may get its late status after its page of lines to send was read."""
FINISH = (
    "UPDATE lines SET state = CASE WHEN delivery IS NULL THEN ? ELSE ? END, "
    "message_id = COALESCE(?, message_id), error = CASE WHEN delivery IS NULL THEN ? ELSE NULL END, "
    "match_by_id = COALESCE(?, match_by_id), updated_at = ? WHERE line_number = ?"
)
"""A line's outcome; a line a status webhook already spoke for stays accepted."""
RECORD_STATUS = (
    "UPDATE lines SET state = :accepted, error = CASE WHEN state = :accepted THEN error ELSE NULL END, "
    "message_id = COALESCE(message_id, :message_id), delivery = :status, delivery_code = :code, "
    "delivery_error = :error, delivery_at = :received_at, first_status_at = COALESCE(first_status_at, :received_at), "
    "first_status_session = CASE WHEN first_status_at IS NULL THEN :session ELSE first_status_session END, "
    "updated_at = :now WHERE line_number = :line_number AND "
    "COALESCE(CASE delivery "
    + " ".join(f"WHEN '{state}' THEN {rank}" for state, rank in DELIVERY_RANK.items())
    + " END, 0) < :rank"
)
"""A status webhook on its line: accepted, and its delivery moved forward only."""


ENSURE_JOURNAL_ID = "INSERT OR IGNORE INTO meta (key, value) VALUES ('journal_id', ?)"
"""A journal's id, unless it has one: an id is never replaced (statuses carry it)."""
NEVER_ACCEPTED = (
    "no status arrived, though one listener, up throughout, recorded statuses before it was sent and for lines "
    "sent after it: never accepted, so sent again"
)
"""The error of a line sent back to pending by `Journal.resend_unknown_with_evidence`."""


class JournalError(Exception):
    """The journal cannot be used for this run; the message says why, in one line."""


class JournalWriteError(JournalError):
    """A write the journal needed failed (a full disk, a file gone read-only, an I/O error): what happened
    since its last commit is not recorded, so the run stops; once the cause is fixed, a rerun resumes."""


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
    delivery: str | None = None
    delivery_code: int | None = None
    delivery_error: str | None = None
    worker: int | None = None
    """A shared journal's: the worker that sent the line last (its id, host and pid); None here."""
    worker_host: str | None = None
    worker_pid: int | None = None


class Journal:
    """A journal file. `Journal(path)` opens (creating) it for a run, as its only writer (JournalError
    naming the holder if another run has it); `Journal(path, read_only=True)` for reading a report, which
    never writes, and refuses a file that is not a journal."""

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self._lock_file: IO[str] | None = None
        self._begin_sessions(max_silence=None, started_at=None)
        if not read_only:
            # Before SQLite opens the file: a second run must meet the lock, not SQLite's own busy error.
            self._acquire()
        try:
            if read_only:
                if not self.path.is_file():
                    raise JournalError(f"no such journal: {self.path}")
                self._db = sqlite3.connect(
                    f"{self.path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None, check_same_thread=False
                )
                if not _is_journal(self._tables()):
                    raise JournalError(f"{self.path} is not a d360 journal")
            else:
                # Autocommit: every statement is its own transaction, committed before the call returns.
                self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
                tables = self._tables()
                if tables and not tables >= JOURNAL_TABLES:
                    raise JournalError(f"{self.path} is a SQLite database but not a d360 journal: name a new file")
                self._prepare_for_writing()
            self._identity = _file_identity(self.path)
            self._read_columns()
        except sqlite3.Error as exc:
            self._release()
            raise _open_error(self.path, exc) from None
        except JournalError:
            self._release()
            raise

    def _read_columns(self) -> None:
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(lines)")}
        self._delivery_columns = (
            "delivery, delivery_code, delivery_error" if "delivery" in columns else "NULL, NULL, NULL"
        )
        self._can_wait = "waiting_statuses" in self._tables()

    def _prepare_for_writing(self) -> None:
        use_wal(self._db)
        # NORMAL loses nothing on a process crash (kill -9), only possibly on power loss.
        self._db.execute("PRAGMA synchronous=NORMAL")
        # One transaction: a run and a status listener may be making (or upgrading) the same journal at
        # this moment, and neither may see half of it.
        with self._transaction():
            for statement in SCHEMA:
                self._db.execute(statement)
            missing = self._missing_columns()
            for name in missing:
                self._db.execute(f"ALTER TABLE lines ADD COLUMN {name} {DELIVERY_COLUMNS[name]}")
            if "match_by_id" in missing:
                # Lines sent before: statuses may not carry a token for them, so each is found by its id.
                self._db.execute("UPDATE lines SET match_by_id = 1 WHERE message_id IS NOT NULL")
            for name in self._missing_waiting_columns():
                self._db.execute(f"ALTER TABLE waiting_statuses ADD COLUMN {name} {WAITING_COLUMNS[name]}")
            # Older journals indexed lines by state, then every line by message id: each send paid for
            # indexes that queries reading the whole table once a run did not need.
            self._db.execute("DROP INDEX IF EXISTS lines_by_state")
            self._db.execute("DROP INDEX IF EXISTS lines_by_message_id")
            self._db.execute(MATCHED_BY_ID_INDEX)
            # The id now, not only when the run fills the lines: a listener started during that filling (one
            # transaction, seconds long) then finds the journal complete and opens it without waiting.
            self._db.execute(ENSURE_JOURNAL_ID, (secrets.token_hex(8),))

    def _missing_columns(self) -> list[str]:
        present = {row[1] for row in self._db.execute("PRAGMA table_info(lines)")}
        return [name for name in DELIVERY_COLUMNS if name not in present]

    def _missing_waiting_columns(self) -> list[str]:
        present = {row[1] for row in self._db.execute("PRAGMA table_info(waiting_statuses)")}
        return [name for name in WAITING_COLUMNS if name not in present]

    def _ready_for_statuses(self, tables: set[str]) -> bool:
        """Whether the journal is complete for recording statuses (every table and column, its id, WAL),
        found by reading only: a listener opening it then needs no write transaction, which would wait
        behind a run filling its lines."""
        return (
            tables >= JOURNAL_TABLES | OPTIONAL_TABLES
            and not self._missing_columns()
            and not self._missing_waiting_columns()
            and self._db.execute("SELECT 1 FROM meta WHERE key = 'journal_id'").fetchone() is not None
            and str(self._db.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal"
        )

    @classmethod
    def for_statuses(cls, path: str | Path, *, max_silence: float | None = None) -> Journal:
        """A journal opened to record status webhooks while a run may hold it: no run lock (SQLite orders
        the writes), and only statuses are ever written through it.

        If nothing is at `path` yet, an empty journal is made there with its id, so a listener can start
        before the campaign: the run fills this journal and keeps the id its statuses carry. A complete
        journal is opened without writing, so a run filling it (one transaction, seconds long for a large
        campaign) does not hold the listener up; a write waits up to STATUS_BUSY_TIMEOUT for such a run.

        Opening it begins a listener session (see `listener_sessions`): the statuses recorded through it
        are evidence about lines sent while it was up. `max_silence`: the caller calls `heartbeat` more
        often than this, and a longer silence (the process stopped) begins a new session.
        """
        journal = cls.__new__(cls)
        journal.path = Path(path)
        journal._lock_file = None
        journal._begin_sessions(max_silence=max_silence, started_at=time.time())
        try:
            journal._db = sqlite3.connect(
                journal.path, isolation_level=None, check_same_thread=False, timeout=STATUS_BUSY_TIMEOUT
            )
            try:
                tables = journal._tables()
                if tables and not _is_journal(tables):
                    raise JournalError(f"{journal.path} is not a d360 journal")
                if journal._ready_for_statuses(tables):
                    journal._db.execute("PRAGMA synchronous=NORMAL")  # this connection's setting: no write
                else:
                    journal._prepare_for_writing()
                journal._identity = _file_identity(journal.path)
                journal._read_columns()
            except BaseException:
                journal._db.close()
                raise
        except sqlite3.Error as exc:
            raise _open_error(journal.path, exc) from None
        return journal

    def _ensure_journal_id(self) -> None:
        """Give the journal an id unless it has one; an id is never replaced (statuses carry it)."""
        self._write(ENSURE_JOURNAL_ID, (secrets.token_hex(8),))

    # Listener sessions: the evidence a status gives is only as good as the listener that recorded it.

    def _begin_sessions(self, *, max_silence: float | None, started_at: float | None) -> None:
        """No session row yet: one is written with the first status or heartbeat (opening writes nothing).
        `started_at` None: the session starts with its first status (a journal not opened by a listener)."""
        self._session_id: int | None = None
        self._session_started = started_at
        self._session_alive = started_at
        self._max_silence = max_silence

    def _session(self, now: float) -> int:
        """This listener's session, inside the caller's write transaction: its row made if need be, and its
        `alive_at` moved to `now`. After a silence longer than `max_silence` a new one begins."""
        if (
            self._max_silence is not None
            and self._session_alive is not None
            and now - self._session_alive > self._max_silence
        ):
            self._session_id, self._session_started = None, now
        if self._session_id is None:
            started = self._session_started if self._session_started is not None else now
            cursor = self._db.execute(
                "INSERT INTO listener_sessions (started_at, alive_at) VALUES (?, ?)", (started, max(started, now))
            )
            self._session_id = cursor.lastrowid
        else:
            self._db.execute(
                "UPDATE listener_sessions SET alive_at = MAX(alive_at, ?) WHERE id = ?", (now, self._session_id)
            )
        assert self._session_id is not None
        return self._session_id

    def _alive(self, since: float) -> None:
        """After a write that moved `alive_at` committed; `since`, when its clock was read, before any wait
        for another writer. A wait longer than `max_silence` ends the session: the process may have been
        stopped, or the machine asleep, during it, which no clock read around the wait can tell from a
        long wait (a run filling a large journal). Ending it can only leave lines unknown."""
        now = time.time()
        if self._max_silence is not None and now - since > self._max_silence:
            self._end_session()
        else:
            self._session_alive = now

    def _end_session(self) -> None:
        """The next write begins a new session, from its own time: after a failed write (a status this
        listener was given may be lost, so what it records next proves nothing about lines sent before),
        or a wait too long to vouch for. A session row a rolled-back write made is gone with it, so its
        id is never reused either."""
        self._session_id = None
        self._session_started = None
        self._session_alive = None

    @contextlib.contextmanager
    def _listening(self) -> Iterator[float]:
        """A listener's write (a status, a heartbeat) in one transaction, with the time it began; one that
        fails ends the session."""
        now = time.time()
        try:
            with self._writing():
                yield now
        except BaseException:
            self._end_session()
            raise
        self._alive(now)

    def heartbeat(self, *, wait: float | None = None) -> None:
        """The listener is still up: its session's `alive_at` moves to now (or a new session begins, after
        a silence longer than `max_silence`). `wait`: seconds to wait for another writer at most (a
        heartbeat need not wait long; one that fails ends the session, which only leaves lines unknown),
        instead of the connection's own busy timeout."""
        (usual,) = self._db.execute("PRAGMA busy_timeout").fetchone()
        if wait is not None:
            self._db.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
        try:
            with self._listening() as now:
                self._session(now)
        finally:
            self._db.execute(f"PRAGMA busy_timeout = {int(usual)}")

    def _tables(self) -> set[str]:
        return {name for (name,) in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def close(self) -> None:
        self._db.close()
        self._release()

    def _release(self) -> None:
        if self._lock_file is not None:
            self._lock_file.close()  # releases the lock
            self._lock_file = None

    # Ownership: one run at a time.

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    def _acquire(self) -> None:
        """Become the journal's only writer, or raise JournalError naming the run that is.

        The lock file is never deleted: deleting it would let two runs lock two different files.
        """
        try:
            lock_file = open(self.lock_path, "a+", encoding="utf-8")  # noqa: SIM115 - held until close()
        except OSError as exc:
            raise JournalError(f"cannot create the lock file {self.lock_path}: {exc.strerror or exc}") from None
        if not _try_lock(lock_file):
            holder = _read_holder(lock_file)
            lock_file.close()
            raise JournalError(
                f"{self.path} is in use by another run ({holder}): wait for it to finish, or stop it; "
                "two runs on one journal could send a line twice"
            )
        lock_file.seek(0)
        lock_file.truncate()
        since = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
        lock_file.write(json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "since": since}))
        lock_file.flush()
        self._lock_file = lock_file

    def is_still_here(self) -> bool:
        """False if the journal's file was deleted or replaced since it was opened."""
        return _file_identity(self.path) == self._identity

    def check_still_here(self) -> None:
        """Raise JournalError if the journal's file was deleted or replaced since it was opened.

        SQLite goes on writing to a deleted file without a word, so a run would send lines whose fate no
        journal keeps, and a rerun would send them again.
        """
        if not self.is_still_here():
            raise JournalError(f"the journal {self.path} was deleted or replaced during the run: stopped sending")

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # Identity: a journal belongs to one input.

    def meta(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT key, value FROM meta").fetchall())

    def fill(self, fingerprint: str, description: str, lines: Iterable[tuple[int, str, str, str | None]]) -> bool:
        """Tie a new journal to its input and record every line, in one transaction; return True if it was new.

        `lines` are (line_number, content_hash, state, error). A journal already filled from this input is
        left as it is; one made from another input is refused. However the filling dies (kill -9, a full
        disk), nothing of it is committed, and the next run fills the journal anew. The journal's id is
        kept if it has one (a status listener made the journal first); statuses that came before their
        lines are applied.
        """
        known = self.meta()
        if known.get("input_fingerprint") not in (None, fingerprint):
            raise JournalError(
                f"{self.path} was made from a different input ({known.get('input', '?')}, fingerprint "
                f"{known['input_fingerprint'][:12]}, now {fingerprint[:12]}): the file changed since the "
                "journal began. To finish that campaign, restore the original file and run again; to send more, "
                "put only the new lines in a new file with a new journal (a new journal for the changed file "
                "would send every line again)"
            )
        # A journal with a fingerprint but no lines was left by an earlier d360, whose filling was
        # not atomic: filled now.
        if "input_fingerprint" in known and self._db.execute("SELECT 1 FROM lines LIMIT 1").fetchone() is not None:
            return False
        now = time.time()
        try:
            with self._transaction():
                self._db.execute("DELETE FROM meta WHERE key <> 'journal_id'")
                self._db.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?)",
                    [("schema_version", SCHEMA_VERSION), ("input_fingerprint", fingerprint),
                     ("input", _storable(description)), ("created_at", str(now))],
                )  # fmt: skip
                self._db.execute(ENSURE_JOURNAL_ID, (secrets.token_hex(8),))
                batch: list[tuple[int, str, str, str | None, float, float]] = []
                for line_number, content_hash, state, error in lines:
                    batch.append((line_number, content_hash, state, _storable(error), now, now))
                    if len(batch) >= INSERT_BATCH:
                        self._insert(batch)
                        batch.clear()
                self._insert(batch)
                self._apply_waiting(now)
        except (sqlite3.Error, UnicodeError) as exc:
            raise JournalWriteError(f"cannot fill the journal {self.path}: {exc}; nothing was sent") from None
        return True

    def _insert(self, batch: list[tuple[int, str, str, str | None, float, float]]) -> None:
        self._db.executemany(
            "INSERT INTO lines (line_number, content_hash, state, error, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            batch,
        )

    # The life of a line.

    def recover_interrupted(self) -> int:
        """Lines left `sending` by a process that died: they may have been delivered, so they become unknown
        (unless a status webhook already said what became of them: then they were accepted)."""
        self.settle_by_status()
        cursor = self._write(
            "UPDATE lines SET state = ?, error = ?, updated_at = ? WHERE state = ?",
            (UNKNOWN, "interrupted while sending: may have been delivered", time.time(), SENDING),
        )
        return cursor.rowcount

    def settle_by_status(self) -> int:
        """Apply the statuses that were waiting for their line, then make `accepted` the lines `sending` or
        `unknown` for which a status arrived (upstream took them); return how many lines that settled."""
        now = time.time()
        with self._writing():
            self._apply_waiting(now)
            cursor = self._db.execute(
                "UPDATE lines SET state = ?, error = NULL, updated_at = ? "
                "WHERE state IN (?, ?) AND delivery IS NOT NULL",
                (ACCEPTED, now, SENDING, UNKNOWN),
            )
        return cursor.rowcount

    def resend_unknown_with_evidence(self) -> int:
        """Unknown lines the statuses prove upstream never accepted go back to pending; return how many.

        Upstream reports a status for every message it accepts, to the webhook URL set when it accepts it,
        and redelivers one that was not answered, later, on a backoff of its own. So the proof for a line
        is in when statuses *arrived*, not in the order lines were sent: a status arrived before the line
        was sent (statuses were reaching this journal when it went out, so its own would have been
        delivered at once, not left waiting in upstream's backoff), and a line sent after it (or in the
        same commit) has a status (they still were afterwards). Without both, a line stays unknown:
        sending it again could send it twice. A status for an earlier line that arrives late (a
        redelivery, after the listener came back) proves nothing for a line sent before it arrived.

        Only a line sent with a d360 token can be proved: one that brought its own `biz_opaque_callback_data`
        is found by its statuses only through the message id its answer held, and an unknown line's answer
        was lost, so its statuses reach the journal without finding it; nothing can prove it either way (see
        `unknown_without_token`). Nor can a line last sent by a d360 that did not record which it was.

        Statuses prove this only if one listener recorded them all and was up throughout: from before the
        line was sent until the later statuses arrived (a session, see `listener_sessions`). Statuses from
        two listeners, one before the line and one after it, prove nothing: between the two nobody was
        listening, and the line's own status may be waiting in upstream's backoff. A listener that went
        silent (its process stopped) begins a new session; a journal from before sessions were kept, or
        statuses recorded by a d360 that did not keep them, never prove a line.

        When each line's first status arrived is kept in `first_status_at`, and which session recorded it in
        `first_status_session`; a line whose statuses came before the journal kept the first counts from its
        latest one (`delivery_at`, never earlier than its first), which can only leave a line unknown, never
        prove one. Call this only once statuses have had time to arrive (`d360 bulk --await-statuses`). A
        line sent before the journal kept send times has no place in that order, and stays unknown.
        """
        # Per session: when it started, the first arrival it recorded, the latest send among the lines whose
        # first status it recorded while up, and when the last of those arrived. A line sent after the first
        # two and no later than the third lies inside what that one session saw, unless another listener was
        # up at the same time as this one (two behind one URL, say) and began before that last arrival:
        # statuses were then shared between them, and the other may have died with the line's. One listener
        # restarted is sessions one after the other, which do not overlap.
        windows = self._db.execute(
            "SELECT s.id, s.started_at, MIN(COALESCE(l.first_status_at, l.delivery_at)), "
            "MAX(CASE WHEN COALESCE(l.first_status_at, l.delivery_at) <= s.alive_at THEN l.sent_at END), "
            "MAX(CASE WHEN COALESCE(l.first_status_at, l.delivery_at) <= s.alive_at "
            "THEN COALESCE(l.first_status_at, l.delivery_at) END) "
            "FROM listener_sessions s JOIN lines l ON l.first_status_session = s.id "
            "WHERE l.delivery IS NOT NULL GROUP BY s.id"
        ).fetchall()
        now = time.time()
        resent = 0
        with self._writing():
            for session, started_at, first_arrival, last_sent, last_arrival in windows:
                if first_arrival is None or last_sent is None:
                    continue
                resent += self._db.execute(
                    "UPDATE lines SET state = ?, error = ?, updated_at = ? WHERE state = ? AND delivery IS NULL "
                    "AND match_by_id = 0 AND sent_at >= ? AND sent_at > ? AND sent_at <= ? AND NOT EXISTS ("
                    "SELECT 1 FROM listener_sessions s, listener_sessions t WHERE s.id = ? AND t.id != s.id "
                    "AND t.started_at <= s.alive_at AND t.alive_at >= s.started_at AND t.started_at <= ?)",
                    (PENDING, NEVER_ACCEPTED, now, UNKNOWN, started_at, first_arrival, last_sent,
                     session, last_arrival),
                ).rowcount  # fmt: skip
        return resent

    def unknown_no_status_can_settle(self) -> int:
        """Unknown lines that brought their own `biz_opaque_callback_data` and whose answer was lost: their
        statuses are found only by the message id that answer held, so none will ever settle them. (A line
        an earlier d360 sent may carry a token all the same, so it is not counted.)"""
        return int(
            self._db.execute(
                "SELECT COUNT(*) FROM lines WHERE state = ? AND match_by_id = 1 AND message_id IS NULL", (UNKNOWN,)
            ).fetchone()[0]
        )

    def unknown_without_token(self) -> int:
        """Unknown lines that can never be resent on evidence: sent without a d360 token (they brought their
        own `biz_opaque_callback_data`: statuses find such a line only by the message id its lost answer
        held), or by a d360 that did not record whether they carried one."""
        return int(
            self._db.execute(
                "SELECT COUNT(*) FROM lines WHERE state = ? AND COALESCE(match_by_id, 1) <> 0", (UNKNOWN,)
            ).fetchone()[0]
        )

    def statuses_recorded(self) -> bool:
        """Whether any status webhook has reached this journal for any of its lines."""
        if self._delivery_columns.startswith("NULL"):
            return False
        return self._db.execute("SELECT 1 FROM lines WHERE delivery IS NOT NULL LIMIT 1").fetchone() is not None

    def callback_token(self, line_number: int) -> str:
        """The `biz_opaque_callback_data` that ties a line's status webhooks back to it."""
        return f"{TOKEN_PREFIX}{self.journal_id}:{line_number}"

    @property
    def journal_id(self) -> str:
        if not hasattr(self, "_journal_id"):
            known = self.meta().get("journal_id")
            if known is None:  # a journal from before delivery tracking: given an id now
                self._ensure_journal_id()
                known = self.meta()["journal_id"]
            self._journal_id = known
        return self._journal_id

    def record_status(
        self,
        *,
        line_number: int | None,
        message_id: str,
        status: str,
        code: int | None = None,
        error: str | None = None,
        also: Callable[[sqlite3.Connection], object] | None = None,
    ) -> str:
        """Apply one status webhook; return what it did: `updated`, `stale` (a later state is known),
        `waiting` (no line for it yet: kept, and applied when its line is there), `unmatched` (no such
        line, and none can come), or `ignored` (a status that is not a delivery state).

        `line_number` comes from the d360 token the status carried; without one, the line is found by
        its message id (a line that brought its own `biz_opaque_callback_data`). `also`: more to write on
        the journal's connection in the same transaction (the webhook inbox settling the event).
        """
        if status not in DELIVERY_RANK:
            return "ignored"
        message_id, error = _storable(message_id), _storable(error)
        with self._listening() as now:  # the lookup and the write, or the keeping, as one: never between a fill
            session = self._session(now)
            outcome = self._record(line_number, message_id, status, code, error, now, now, session)
            if outcome == "unmatched" and self._can_wait and self._may_still_come(line_number):
                self._keep_waiting(line_number, message_id, status, code, error, now, session)
                outcome = "waiting"
            if also is not None:  # a webhook inbox in this file marks its event, in this same transaction
                also(self._db)
        return outcome

    def _record(
        self,
        line_number: int | None,
        message_id: str,
        status: str,
        code: int | None,
        error: str | None,
        received_at: float,
        now: float,
        session: int | None,
    ) -> str:
        if line_number is None:
            row = self._db.execute(
                "SELECT line_number FROM lines WHERE message_id = ? AND match_by_id = 1", (message_id,)
            ).fetchone()
            if row is None:
                return "unmatched"
            line_number = int(row[0])
        # One statement: the line is accepted (a status proves it), and its delivery only moves forward.
        cursor = self._db.execute(
            RECORD_STATUS,
            {"accepted": ACCEPTED, "message_id": message_id, "status": status, "code": code, "error": error,
             "received_at": received_at, "now": now, "line_number": line_number, "rank": DELIVERY_RANK[status],
             "session": session},
        )  # fmt: skip
        if cursor.rowcount:
            return "updated"
        exists = self._db.execute("SELECT 1 FROM lines WHERE line_number = ?", (line_number,)).fetchone()
        return "stale" if exists else "unmatched"

    def _may_still_come(self, line_number: int | None) -> bool:
        """A status that found no line may yet find one: a line not filled in yet, or (with no d360 token) a
        line that has not recorded its message id yet. A token's line in a filled journal never comes."""
        return line_number is None or self._db.execute("SELECT 1 FROM lines LIMIT 1").fetchone() is None

    def _keep_waiting(
        self,
        line_number: int | None,
        message_id: str,
        status: str,
        code: int | None,
        error: str | None,
        now: float,
        session: int,
    ) -> None:
        cursor = self._db.execute(
            "INSERT INTO waiting_statuses (line_number, message_id, status, code, error, received_at, session) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (line_number, message_id, status, code, error, now, session),
        )
        if line_number is None and cursor.lastrowid is not None:
            self._db.execute(
                "DELETE FROM waiting_statuses WHERE line_number IS NULL AND id <= ?",
                (cursor.lastrowid - WAITING_WITHOUT_TOKEN,),
            )

    def _apply_waiting(self, now: float) -> None:
        """Statuses that were waiting for their line, applied in the order they came, inside the caller's
        transaction; those whose line can never come (a token's line in a filled journal) are let go."""
        if not self._can_wait:
            return
        found = self._db.execute(
            "SELECT w.id, w.line_number, w.message_id, w.status, w.code, w.error, w.received_at, w.session "
            "FROM waiting_statuses w JOIN lines l ON l.line_number = w.line_number "
            "UNION ALL "
            "SELECT w.id, l.line_number, w.message_id, w.status, w.code, w.error, w.received_at, w.session "
            "FROM waiting_statuses w JOIN lines l ON l.message_id = w.message_id AND l.match_by_id = 1 "
            "WHERE w.line_number IS NULL ORDER BY 1"
        ).fetchall()
        for waiting_id, line_number, message_id, status, code, error, received_at, session in found:
            self._record(line_number, message_id, status, code, error, received_at, now, session)
            self._db.execute("DELETE FROM waiting_statuses WHERE id = ?", (waiting_id,))
        self._db.execute(
            "DELETE FROM waiting_statuses WHERE line_number IS NOT NULL AND EXISTS (SELECT 1 FROM lines) "
            "AND line_number NOT IN (SELECT line_number FROM lines)"
        )

    def waiting_statuses(self) -> int:
        """How many statuses are kept waiting for their line."""
        if not self._can_wait:
            return 0
        return int(self._db.execute("SELECT COUNT(*) FROM waiting_statuses").fetchone()[0])

    def funnel(self) -> dict[str, Any]:
        """Counts per delivery state among accepted lines, and failures grouped by error code."""
        if self._delivery_columns.startswith("NULL"):  # a journal from before delivery tracking
            accepted = self.counts()[ACCEPTED]
            return {"accepted": accepted, "delivery": {"no status": accepted, **dict.fromkeys(DELIVERY_STATES, 0)},
                    "failures": []}  # fmt: skip
        found = dict(
            self._db.execute(
                "SELECT COALESCE(delivery, 'no status'), COUNT(*) FROM lines WHERE state = ? GROUP BY 1", (ACCEPTED,)
            ).fetchall()
        )
        failures = [
            {"code": code, "error": error, "lines": int(count)}
            for code, error, count in self._db.execute(
                "SELECT delivery_code, MIN(delivery_error), COUNT(*) FROM lines WHERE delivery = 'failed' "
                "GROUP BY delivery_code ORDER BY COUNT(*) DESC"
            )
        ]
        return {
            "accepted": sum(int(count) for count in found.values()),
            "delivery": {state: int(found.get(state, 0)) for state in ("no status", *DELIVERY_STATES)},
            "failures": failures,
        }

    def mark_sending(self, line_number: int, attempt: int, *, own_data: bool = False) -> bool:
        """Committed before the request leaves: the one write that makes a crash safe. `own_data`: the
        line's message brings its own `biz_opaque_callback_data` (its statuses carry no d360 token).
        False, and nothing written, if a status has spoken for the line: it must not be sent."""
        self.check_still_here()
        return bool(self._write(MARK_SENDING, (SENDING, time.time(), line_number, 1 if own_data else 0)).rowcount)

    def finish(
        self,
        line_number: int,
        state: str,
        *,
        message_id: str | None = None,
        error: str | None = None,
        match_by_id: bool = False,
    ) -> None:
        """A try's outcome. `match_by_id`: the line's message brought its own `biz_opaque_callback_data`,
        so its statuses carry no d360 token and find it by its message id."""
        # A status webhook may have come first (it can beat the send's own answer): then the line was
        # accepted whatever this try's outcome says, and stays so.
        self._write(FINISH, _finish_parameters(line_number, state, message_id, error, match_by_id, time.time()))

    def apply(self, operations: list[tuple[Any, ...]]) -> set[int]:
        """Several line updates in one transaction (the group commit of a bulk run): each is
        ("sending", line_number[, own_data]) or ("finish", line_number, state, message_id, error, match_by_id[,
        pair_limited]), at most one per line (pair_limited is the shared journal's; here the run waits out a
        pair rate limit itself). Return the lines whose `sending` was refused, a status having spoken for them
        (see MARK_SENDING): they must not be sent."""
        self.check_still_here()
        now = time.time()
        sending = [
            (SENDING, now, operation[1], 1 if len(operation) > 2 and operation[2] else 0)
            for operation in operations
            if operation[0] == SENDING
        ]
        outcomes = (operation for operation in operations if operation[0] != SENDING)
        finished = [
            _finish_parameters(line_number, state, message_id, error, match_by_id, now)
            for _, line_number, state, message_id, error, match_by_id, *_ in outcomes
        ]
        refused: set[int] = set()
        with self._writing():
            if self._db.executemany(MARK_SENDING, sending).rowcount < len(sending):  # rare: found only then
                refused = self._spoken_for([parameters[2] for parameters in sending])
            self._db.executemany(FINISH, finished)
        return refused

    def _spoken_for(self, line_numbers: list[int]) -> set[int]:
        """Those of the lines a status has spoken for."""
        found: set[int] = set()
        for start in range(0, len(line_numbers), 500):  # within SQLite's limit of parameters
            chunk = line_numbers[start : start + 500]
            found.update(
                number
                for (number,) in self._db.execute(
                    f"SELECT line_number FROM lines WHERE delivery IS NOT NULL AND line_number IN "
                    f"({','.join('?' * len(chunk))})",
                    chunk,
                )
            )
        return found

    def has_status(self, line_number: int) -> bool:
        """Whether a status has spoken for the line (it was accepted): a primary-key read."""
        row = self._db.execute(
            "SELECT delivery IS NOT NULL FROM lines WHERE line_number = ?", (line_number,)
        ).fetchone()
        return bool(row and row[0])

    def _write(self, statement: str, parameters: tuple[Any, ...]) -> sqlite3.Cursor:
        try:
            return self._db.execute(statement, parameters)
        # A full disk, a file gone read-only: the run must stop, not guess. A UnicodeError is text from
        # outside that was not made `_storable`: a typed error all the same, never a bare ValueError.
        except (sqlite3.Error, UnicodeError) as exc:
            raise JournalWriteError(f"cannot write to the journal {self.path}: {exc}") from None

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """Writes in one transaction; any failure is a JournalWriteError naming the journal."""
        try:
            with self._transaction():
                yield
        except (sqlite3.Error, UnicodeError) as exc:
            raise JournalWriteError(f"cannot write to the journal {self.path}: {exc}") from None

    # Reading.

    def states_to_send(self, *, resend_unknown: bool) -> tuple[str, ...]:
        return (PENDING, UNKNOWN) if resend_unknown else (PENDING,)

    def lines_in(self, states: tuple[str, ...]) -> Iterator[tuple[int, str, int]]:
        """(line number, content hash, attempts) of the lines in the given states and with no status,
        ascending, read in pages."""
        marks = ",".join("?" * len(states))
        last = 0
        while True:
            page = self._db.execute(
                f"SELECT line_number, content_hash, attempts FROM lines WHERE state IN ({marks}) AND delivery IS NULL "
                "AND line_number > ? "
                f"ORDER BY line_number LIMIT {PAGE_SIZE}",
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
            "SELECT line_number, content_hash, state, message_id, error, attempts, created_at, updated_at, "
            f"{self._delivery_columns} FROM lines WHERE state IN ({marks}) ORDER BY line_number",
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
        if exc_type is not None:
            self._rollback()
            return
        try:
            self._db.execute("COMMIT")
        except sqlite3.Error:  # a full disk at the commit: nothing of it is kept, and the connection stays usable
            self._rollback()
            raise

    def _rollback(self) -> None:
        # SQLite may have rolled back already (a full disk, an I/O error); the error that brought us here
        # is the one to report, not a failed ROLLBACK.
        if self._db.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")


def _finish_parameters(
    line_number: int, state: str, message_id: str | None, error: str | None, match_by_id: bool, now: float
) -> tuple[Any, ...]:
    """FINISH's parameters, in its order: one place for `finish` and `apply`."""
    if message_id is not None and not message_id.isascii():  # upstream's ids are ASCII: one test, no call
        message_id = _storable(message_id)
    return (state, ACCEPTED, message_id, _storable(error), 1 if match_by_id else None, now, line_number)


@overload
def _storable(text: str) -> str: ...
@overload
def _storable(text: None) -> None: ...
def _storable(text: str | None) -> str | None:
    """Text from outside (upstream's ids and error texts, a file's name) as the journal can keep it.

    SQLite takes UTF-8 only, and a lone surrogate (half an emoji, which a webhook or an answer may carry
    and the parser keeps) cannot be encoded: binding it raises UnicodeEncodeError, and the write, say a
    status proving a line accepted, would be lost. Such text is kept with escapes (`\\ud83d`); any other
    text as it is. A message id is escaped the same way wherever it is written or looked up, so the two
    still match.
    """
    return None if text is None else utf8_escaped(text)


def _is_journal(tables: set[str]) -> bool:
    """Every table a journal has, and none a journal never has (SQLite's own aside)."""
    strangers = {
        table
        for table in tables - JOURNAL_TABLES - OPTIONAL_TABLES - NEIGHBOUR_TABLES
        if not table.startswith("sqlite_")
    }
    return tables >= JOURNAL_TABLES and not strangers


WRITE_FAILURES = frozenset({"SQLITE_FULL", "SQLITE_IOERR", "SQLITE_READONLY"})
"""SQLite's error names for a write the disk refused (`sqlite_errorname` may add a suffix: SQLITE_IOERR_WRITE)."""


def _open_error(path: Path, exc: sqlite3.Error) -> JournalError:
    """A journal that could not be opened: a write the disk refused (a full disk) is a JournalWriteError,
    anything else says the file is not a usable journal."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    if any(name == failure or name.startswith(failure + "_") for failure in WRITE_FAILURES):
        return JournalWriteError(f"cannot write to the journal {path}: {exc}")
    return JournalError(f"{path} is not a usable journal: {exc}")


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_dev, status.st_ino


def _read_holder(lock_file: IO[str], *, attempts: int = 20) -> str:
    """Who holds the lock, as the holder wrote it; a holder that has just locked gets a moment to write."""
    for _ in range(attempts):
        lock_file.seek(0)
        try:
            holder = json.loads(lock_file.read())
            return f"pid {holder['pid']} on {holder['host']}, since {holder['since']}"
        except (ValueError, KeyError, TypeError):
            time.sleep(0.025)
    return "a run that is just starting"


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(lock_file: IO[str]) -> bool:
        try:
            lock_file.seek(0)
            msvcrt.locking(lock_file.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

else:
    import fcntl

    def _try_lock(lock_file: IO[str]) -> bool:
        try:
            fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False
