"""`PostgresJournal`: a campaign's journal in PostgreSQL, shared by any number of senders (workers).

A database (in one schema, `d360` unless the URL says `?schema=NAME`) holds any number of campaigns; a
campaign's id is the journal id its lines' d360 tokens carry. Filling is one transaction (the campaign and
all its lines with their messages, loaded with COPY, or nothing). Each `d360 bulk` on a campaign is a
worker: it has a row in `workers` and holds a session-level advisory lock on it, which the server releases
when the worker's connection ends, however it ends. A worker claims lines in batches (`FOR UPDATE SKIP
LOCKED`, in a short transaction), and marks each `sending` (committed) before its request leaves. A worker
whose lock is free is dead: its lines in flight become `unknown`, never `pending`, and the lines it had
claimed go back to the others. Every write of a worker goes through the connection that holds its lock,
so a worker that loses it fails its next write and stops sending. Every time kept is the database's clock.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Self, overload

import attrs
import psycopg
import psycopg_pool

from d360.bulk.journal import (
    ACCEPTED,
    DELIVERY_RANK,
    DELIVERY_STATES,
    NEVER_ACCEPTED,
    PAGE_SIZE,
    PENDING,
    SCHEMA_VERSION,
    SENDING,
    STATES,
    TOKEN_PREFIX,
    UNKNOWN,
    WAITING_WITHOUT_TOKEN,
    JournalError,
    JournalWriteError,
    LineRecord,
)
from d360.bulk.postgres.migrations import check_schema_name, migrate
from d360.bulk.postgres.queries import journal_queries
from d360.unicode import utf8_escaped

URL_SCHEMES = ("postgresql", "postgres")
DEFAULT_SCHEMA = "d360"
CAMPAIGN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
"""A campaign id: it goes into every line's token (`d360:<id>:<line>`), so no `:` and nothing long."""
POOL_SIZE = 4
CLAIM_BATCH = 64
"""Lines a worker claims at once: few enough that a worker's death leaves little for the others to take
back, enough that claiming costs one round trip per many sends."""
INTERRUPTED = "interrupted while sending: may have been delivered"
BURST_SECONDS = 0.05
"""How late a line may still leave on its slot of a shared rate: at most a twentieth of a second's worth
of messages goes out at once, well within the burst upstream allows (a quarter of the rate), which leaves
room for the jitter of the requests on their way."""
WORKER_HEARTBEAT = 1.0
"""Seconds between two updates of a worker's row (its heartbeat, its lines sent): at most one a second,
never one per commit. Whether a worker is alive is its lock, not this time."""
CONNECT_TIMEOUT = 10.0
"""Seconds to wait for the server before saying it cannot be reached."""


@attrs.frozen
class DatabaseLocation:
    """Where a journal lives: the server (`conninfo`, what libpq reads), the schema, and a campaign if the
    URL named one (`?campaign=ID`)."""

    conninfo: str
    schema: str
    campaign: str | None
    shown: str
    """The URL as messages show it: without its password."""

    @classmethod
    def parse(cls, url: str) -> DatabaseLocation:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme.lower() not in URL_SCHEMES:
            raise JournalError(f"{url} is not a PostgreSQL URL (postgresql://user@host/database)")
        query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        ours = {key: value for key, value in query if key in ("schema", "campaign")}
        theirs = [(key, value) for key, value in query if key not in ("schema", "campaign")]
        try:
            schema = check_schema_name(ours.get("schema", DEFAULT_SCHEMA))
        except ValueError as exc:
            raise JournalError(f"{_without_password(parts)}: {exc}") from None
        campaign = ours.get("campaign") or None
        if campaign is not None:
            check_campaign_id(campaign)
        conninfo = urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(theirs)))
        return cls(conninfo=conninfo, schema=schema, campaign=campaign, shown=_without_password(parts))


def _without_password(parts: urllib.parse.SplitResult) -> str:
    """The URL with its password (as written: percent-encoded or not) replaced by `***`."""
    if parts.password is None:
        return urllib.parse.urlunsplit(parts)
    userinfo, _, hosts = parts.netloc.rpartition("@")
    netloc = f"{userinfo.split(':', 1)[0]}:***@{hosts}"
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


def check_campaign_id(campaign: str) -> str:
    if not CAMPAIGN_ID.match(campaign):
        raise JournalError(
            f"campaign id {campaign!r} cannot be used: letters, digits, '_', '.' and '-', starting with a letter "
            "or digit, at most 64 characters (it goes into every message's biz_opaque_callback_data)"
        )
    return campaign


class PostgresJournal:
    """A campaign's journal in PostgreSQL. `PostgresJournal(url)` for a run: the schema is made or brought
    up to date, and the campaign (`campaign=`, `?campaign=` in the URL, or else the one made from the same
    input, see `fill`) is held by this run alone until `close`. `read_only=True` for a report: nothing is
    made or written, and the campaign must exist (the only one in the schema if none is named)."""

    def __init__(self, url: str, *, campaign: str | None = None, read_only: bool = False) -> None:
        self.location = DatabaseLocation.parse(url)
        if campaign is not None and self.location.campaign not in (None, campaign):
            raise JournalError(
                f"the URL names campaign {self.location.campaign} and --campaign {campaign}: give one of them"
            )
        self.path = self.location.shown
        self._wanted = check_campaign_id(campaign) if campaign is not None else self.location.campaign
        self._campaign: str | None = None
        self._read_only = read_only
        self._queries = journal_queries()
        self._worker_connection: psycopg.Connection[Any] | None = None
        # The worker's connection serves the run's writer thread and its event loop: one transaction on it at
        # a time, or a statement of one thread would run inside the other's transaction.
        self._worker_lock = threading.RLock()
        self._worker: int | None = None
        self._unreported_sent = 0
        self._last_heartbeat = time.monotonic()
        self._send_at: dict[int, float] = {}
        self._bucket: str | None = None
        self._paused_until = 0.0  # the bucket's pause as last heard from the database (monotonic clock)
        self._paused_lines: list[int] = []
        self._begin_sessions(started_at=None, max_silence=None)
        schema = self.location.schema
        try:
            with self._connect() as connection:
                if read_only:
                    if not connection.execute(self._queries["schema_exists"], {"schema": schema}).fetchone()[0]:  # type: ignore[index]
                        raise JournalError(f"no d360 journal in schema {schema} of {self.path}")
                else:
                    migrate(connection, schema)
            self._pool = psycopg_pool.ConnectionPool(
                self.location.conninfo,
                min_size=1,
                max_size=POOL_SIZE,
                kwargs={"autocommit": True, "connect_timeout": int(CONNECT_TIMEOUT)},
                configure=self._configure,
                open=True,
                timeout=CONNECT_TIMEOUT,
            )
        except psycopg.Error as exc:
            raise JournalError(f"cannot use the journal {self.path}: {_reason(exc)}") from None
        try:
            if read_only:
                self._bind(self._wanted if self._wanted is not None else self._only_campaign())
            elif self._wanted is not None and self._find(self._wanted) is not None:
                self._bind(self._wanted)
        except BaseException:
            self.close()
            raise

    @classmethod
    def for_statuses(cls, url: str, *, max_silence: float | None = None) -> PostgresJournal:
        """The database's journal opened to record status webhooks for every campaign in it, while any
        number of workers send them and any number of listeners record: no worker is registered. The
        schema is made if it is not there yet. Opening it begins a listener session (see
        `d360.bulk.journal.Journal.for_statuses`)."""
        location = DatabaseLocation.parse(url)
        if location.campaign is not None:
            raise JournalError(f"{location.shown}: a listener records the statuses of every campaign; name none")
        journal = cls(url)  # made or migrated; bound to no campaign, so no worker
        journal._read_only = True
        journal._begin_sessions(started_at=journal._now(), max_silence=max_silence)
        return journal

    def knows_campaign(self, campaign: str) -> bool:
        """Whether the database holds this campaign (a d360 token naming another is another database's)."""
        known = self.__dict__.setdefault("_known_campaigns", set())
        if campaign not in known and self._find(campaign) is not None:
            known.add(campaign)  # a campaign is never renamed: once seen, known
        return campaign in known

    # Connections.

    def _connect(self) -> psycopg.Connection[Any]:
        return psycopg.connect(self.location.conninfo, autocommit=True, connect_timeout=int(CONNECT_TIMEOUT))

    def _configure(self, connection: psycopg.Connection[Any]) -> None:
        connection.execute(self._queries["use_schema"], {"schema": self.location.schema, "local": False})

    @contextlib.contextmanager
    def _reading(self) -> Iterator[psycopg.Connection[Any]]:
        try:
            with self._pool.connection() as connection:
                yield connection
        except (psycopg.Error, psycopg_pool.PoolTimeout) as exc:
            raise JournalError(f"cannot read the journal {self.path}: {_reason(exc)}") from None

    @contextlib.contextmanager
    def _writing(self) -> Iterator[psycopg.Connection[Any]]:
        """Writes in one transaction; any failure (a lost connection, a full disk on the server) is a
        JournalWriteError naming the journal, and nothing of the transaction is kept. A worker writes
        through the connection that holds its lock, never another: once that connection is lost, the
        worker may be taken for dead, and no write of it may succeed."""
        try:
            if self._worker_connection is not None:
                with self._worker_lock, self._worker_connection.transaction():
                    yield self._worker_connection
            else:
                with self._pool.connection() as connection, connection.transaction():
                    yield connection
        except (psycopg.Error, psycopg_pool.PoolTimeout) as exc:
            raise JournalWriteError(f"cannot write to the journal {self.path}: {_reason(exc)}") from None

    @contextlib.contextmanager
    def _statement(self) -> Iterator[psycopg.Connection[Any]]:
        """Statements each atomic on its own (autocommit: no BEGIN and COMMIT round trips), with
        `_writing`'s connection and errors."""
        try:
            if self._worker_connection is not None:
                with self._worker_lock:
                    yield self._worker_connection
            else:
                with self._pool.connection() as connection:
                    yield connection
        except (psycopg.Error, psycopg_pool.PoolTimeout) as exc:
            raise JournalWriteError(f"cannot write to the journal {self.path}: {_reason(exc)}") from None

    def _one(self, name: str, parameters: dict[str, Any] | None = None) -> Any:
        with self._reading() as connection:
            row = connection.execute(self._queries[name], self._with_campaign(parameters)).fetchone()
        return None if row is None else row[0]

    def _with_campaign(self, parameters: dict[str, Any] | None) -> dict[str, Any]:
        return {"campaign": self._campaign, **(parameters or {})}

    def _now(self) -> float:
        return float(self._one("now"))

    def close(self) -> None:
        """A worker ends: the lines it claimed and did not send go back to the others, those still in flight
        (outcomes not recorded) are left for the next run to mark unknown, and its lock is released with
        its connection."""
        if self._worker_connection is not None:
            # A lost connection: nothing more can be written, and the others find the worker dead.
            with contextlib.suppress(JournalError), self._writing() as connection:
                self._heartbeat(connection)  # its last lines sent
                connection.execute(self._queries["release_unsent_claims"], {"worker": self._worker})
                connection.execute(self._queries["end_worker"], {"worker": self._worker, "ended": "finished"})
            self._worker_connection.close()
            self._worker_connection = None
        pool = getattr(self, "_pool", None)
        if pool is not None:
            pool.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # Which campaign, and one run at a time.

    def _find(self, campaign: str) -> tuple[Any, ...] | None:
        with self._reading() as connection:
            return connection.execute(self._queries["campaign"], {"campaign": campaign}).fetchone()

    def campaigns(self) -> list[tuple[str, str, float]]:
        """(id, input, created_at) of every campaign in the schema, oldest first."""
        with self._reading() as connection:
            return [(str(a), str(b), float(c)) for a, b, c in connection.execute(self._queries["campaigns"])]

    def _only_campaign(self) -> str:
        found = self.campaigns()
        if len(found) == 1:
            return found[0][0]
        if not found:
            raise JournalError(f"no campaign in the journal {self.path} yet")
        listed = ", ".join(f"{campaign} ({source})" for campaign, source, _ in found[-10:])
        raise JournalError(
            f"the journal {self.path} holds {len(found)} campaigns: name one with --campaign ID "
            f"(or ?campaign=ID in the URL); the latest: {listed}"
        )

    def _bind(self, campaign: str) -> None:
        """This journal is now the campaign's; a run becomes one of its workers."""
        if self._find(campaign) is None:
            raise JournalError(f"no campaign {campaign} in the journal {self.path}")
        self._campaign = campaign
        if not self._read_only:
            self._become_worker(campaign)

    def join(self) -> None:
        """A worker with no input joins a campaign: the one named, or the only one in the schema."""
        if self._campaign is None:
            self._bind(self._wanted if self._wanted is not None else self._only_campaign())

    def _become_worker(self, campaign: str) -> None:
        """Register as a worker of the campaign, on a connection of its own that holds the worker's lock
        from the moment its row exists."""
        try:
            connection = self._connect()
            self._configure(connection)
            with connection.transaction():
                row = connection.execute(
                    self._queries["register_worker"],
                    {"campaign": campaign, "host": socket.gethostname(), "pid": os.getpid()},
                ).fetchone()
                assert row is not None
                connection.execute(self._queries["lock_worker"], {"worker": row[0]})
        except psycopg.Error as exc:
            raise JournalError(f"cannot use the journal {self.path}: {_reason(exc)}") from None
        self._worker_connection, self._worker = connection, int(row[0])

    def _heartbeat(self, connection: psycopg.Connection[Any]) -> None:
        """Inside the caller's transaction: the worker's row says it is up, and how many lines it has sent."""
        connection.execute(self._queries["worker_heartbeat"], {"worker": self._worker, "sent": self._unreported_sent})
        self._unreported_sent, self._last_heartbeat = 0, time.monotonic()

    @property
    def worker(self) -> int | None:
        """This run's worker id in the campaign (None for a report or a listener)."""
        return self._worker

    def _end_worker(self, connection: psycopg.Connection[Any], worker: int | None, how: str) -> int:
        """Inside the caller's transaction: a worker that ended or died leaves its lines in flight unknown and
        its claims to the others; return how many lines became unknown."""
        unknown = connection.execute(
            self._queries["worker_in_flight_unknown"], {"worker": worker, "error": INTERRUPTED}
        ).rowcount
        connection.execute(self._queries["release_claims"], {"worker": worker})
        connection.execute(self._queries["end_worker"], {"worker": worker, "ended": how})
        return unknown

    def recover_dead_workers(self) -> tuple[int, int]:
        """Every worker of the campaign whose lock is free is dead (its connection ended: killed, its host
        lost, its connection cut): its lines in flight become unknown, its claims go back to the others.
        Return how many workers were found dead, and how many lines became unknown."""
        campaign, me = self._bound(), self._worker
        unknown = dead = 0
        with self._writing() as connection:
            others = [row[0] for row in connection.execute(self._queries["other_workers"],
                                                           {"campaign": campaign, "worker": me})]  # fmt: skip
        for other in others:
            with self._writing() as connection:
                row = connection.execute(self._queries["try_lock_worker"], {"worker": other}).fetchone()
                if not (row and row[0]):
                    continue  # alive: its lines are its own
                try:
                    unknown += self._end_worker(connection, other, "died")
                    dead += 1
                finally:
                    connection.execute(self._queries["unlock_worker"], {"worker": other})
        return dead, unknown

    @property
    def campaign(self) -> str | None:
        """The campaign this journal is bound to (None until `fill` chose one)."""
        return self._campaign

    def _bound(self) -> str:
        if self._campaign is None:
            raise JournalError(f"no campaign chosen in the journal {self.path} yet: fill it from an input first")
        return self._campaign

    def is_still_here(self) -> bool:
        """False if the campaign was deleted since it was opened (or the database cannot be reached); a
        listener's journal, bound to no campaign, is the database's: always here."""
        if self._campaign is None:
            return True
        with contextlib.suppress(JournalError):
            return self._find(self._campaign) is not None
        return False

    # Identity: a campaign belongs to one input.

    def meta(self) -> dict[str, str]:
        if self._campaign is None:
            return {}
        row = self._find(self._campaign)
        if row is None:
            return {}
        campaign, fingerprint, source, schema_version, created_at = row
        return {"journal_id": campaign, "input_fingerprint": fingerprint, "input": source,
                "schema_version": schema_version, "created_at": str(created_at)}  # fmt: skip

    @property
    def journal_id(self) -> str:
        return self._bound()

    def callback_token(self, line_number: int) -> str:
        return f"{TOKEN_PREFIX}{self._bound()}:{line_number}"

    def fill(self, fingerprint: str, description: str, lines: Iterable[tuple[int, str, str, str | None]]) -> bool:
        """`fill_with_messages`, with no messages: such a campaign is sent only by workers given its input."""
        return self.fill_with_messages(fingerprint, description, ((*line, None) for line in lines))

    def fill_with_messages(
        self,
        fingerprint: str,
        description: str,
        lines: Iterable[tuple[int, str, str, str | None, dict[str, Any] | None]],
    ) -> bool:
        """Make the campaign from its input and record every line with its message (COPY), in one
        transaction; return True if it was new. `lines` are (line_number, content_hash, state, error,
        message).

        The campaign is the one named (`campaign=`), which must have been made from this input if it exists;
        with none named, the latest campaign made from this input, or a new one with a new id. However the
        filling dies, nothing of it is committed. Fills in a schema take turns (an advisory lock), so two
        first runs of one input make one campaign.
        """
        if self._campaign is not None:
            self._check_input(self._campaign, fingerprint)
            return False
        queries = self._queries
        made = None
        try:
            with self._writing() as connection:
                connection.execute(queries["lock_fill"])
                if self._wanted is not None:
                    found = connection.execute(queries["campaign"], {"campaign": self._wanted}).fetchone()
                else:
                    found = connection.execute(
                        queries["campaign_by_fingerprint"], {"fingerprint": fingerprint}
                    ).fetchone()
                if found is None:
                    made = self._wanted or secrets.token_hex(8)
                    now = connection.execute(queries["now"]).fetchone()[0]  # type: ignore[index]
                    connection.execute(
                        queries["insert_campaign"],
                        {"campaign": made, "fingerprint": fingerprint, "input": _storable(description),
                         "schema_version": SCHEMA_VERSION, "now": now},
                    )  # fmt: skip
                    with connection.cursor() as cursor, cursor.copy(queries["copy_lines"]) as copy:
                        for line_number, content_hash, state, error, message in lines:
                            # JSON escapes what PostgreSQL's text cannot hold (a NUL, a lone surrogate).
                            kept = None if message is None else json.dumps(message)
                            copy.write_row((made, line_number, content_hash, state, _storable(error), now, now, kept))
        except JournalWriteError as exc:
            raise JournalWriteError(f"{exc}; nothing was sent") from None
        if made is not None:
            self._analyze()
            self._bind(made)
            return True
        campaign = str(found[0]) if found is not None else None
        assert campaign is not None
        self._check_input(campaign, fingerprint)
        self._bind(campaign)
        return False

    def _analyze(self) -> None:
        """The table's statistics brought up to date after a fill (see `analyze_lines`). Only the planner's
        guesses depend on it: a failure (another session analyzing the table, a lost connection that the run's
        next write reports) is not the fill's."""
        with contextlib.suppress(JournalError), self._reading() as connection:
            connection.execute(self._queries["analyze_lines"])

    def _check_input(self, campaign: str, fingerprint: str) -> None:
        found = self._find(campaign)
        if found is not None and found[1] != fingerprint:
            raise JournalError(
                f"campaign {campaign} in {self.path} was made from a different input ({found[2]}, fingerprint "
                f"{found[1][:12]}, now {fingerprint[:12]}): the file changed since the campaign began. To finish "
                "that campaign, restore the original file and run again; to send more, put only the new lines in "
                "a new file, sent as a new campaign (--campaign NEW_ID)"
            )

    # The life of a line.

    def recover_interrupted(self) -> int:
        """Lines left `sending` by workers that died or ended become unknown (those a status spoke for:
        accepted); a live worker's are its own. Return how many became unknown."""
        self.settle_by_status()
        _, unknown = self.recover_dead_workers()
        with self._writing() as connection:
            cursor = connection.execute(
                self._queries["recover_interrupted"], self._with_campaign({"error": INTERRUPTED})
            )
        return unknown + cursor.rowcount

    def share_rate(self, bucket: str) -> None:
        """Take rate slots and pauses from this bucket (see `rate_bucket_key`): every campaign sent from one
        number shares it. By default a campaign has a bucket of its own."""
        self._bucket = bucket

    @property
    def rate_bucket(self) -> str:
        return self._bucket if self._bucket is not None else f"campaign:{self._bound()}"

    def reserve_slots(self, count: int, rate: float) -> float:
        """`count` send slots of the bucket's shared rate (one statement), none inside its pause; return when
        the first may leave, on this machine's monotonic clock (the next follow at 1/rate apart)."""
        with self._statement() as connection:
            row = connection.execute(
                self._queries["reserve_slots"], {"bucket": self.rate_bucket, "count": count, "rate": rate}
            ).fetchone()
        assert row is not None
        return time.monotonic() + max(0.0, float(row[0]) - float(row[1]))

    def pause(self, seconds: float) -> float:
        """A throttling answer: every worker on the bucket, on any machine, holds for `seconds` (a pause under
        way is extended, never shortened); return the seconds left. Each learns it at its next commit at
        the latest, which marks nothing while the pause lasts."""
        with self._statement() as connection:
            row = connection.execute(
                self._queries["pause_bucket"], {"bucket": self.rate_bucket, "seconds": max(0.0, seconds)}
            ).fetchone()
        assert row is not None
        left = max(0.0, float(row[0]))
        self._paused_until = time.monotonic() + left
        return left

    def paused_for(self) -> float:
        """Seconds left of the bucket's pause, as this worker last heard it (no round trip)."""
        return max(0.0, self._paused_until - time.monotonic())

    def take_paused(self) -> list[int]:
        """The lines the last `apply` did not mark because the bucket was paused: to be marked again once
        `paused_for` is over."""
        paused, self._paused_lines = self._paused_lines, []
        return paused

    def send_at(self, line_number: int, rate: float) -> float:
        """When a line claimed under the shared `rate` may leave (monotonic clock). A slot more than
        BURST_SECONDS gone (this worker was held up) is not used: sending on it would add to the
        sends of the slots now, past the burst allowed. It and every other gone slot of this worker are
        replaced with new ones, in one statement."""
        at = self._send_at.pop(line_number, None)
        now = time.monotonic()
        if at is not None and at >= now - BURST_SECONDS:
            return at
        gone = sorted(number for number, slot in self._send_at.items() if slot < now - BURST_SECONDS)
        first = self.reserve_slots(len(gone) + 1, rate)
        for place, number in enumerate(gone, start=1):
            self._send_at[number] = first + place / rate
        return first

    def claimed_lines(
        self, states: tuple[str, ...], *, rate: float | None = None
    ) -> Iterator[tuple[int, dict[str, Any] | None, int]]:
        """(line number, message, attempts) of lines to send, claimed for this worker in batches, in line
        order within each batch, until none is left to claim (once dead workers' lines are taken back).
        Lines live workers hold are theirs: see `held_by_others`. With a `rate`, each batch takes that many
        slots of the campaign's shared rate, and `send_at` tells when each line may leave."""
        campaign, worker = self._bound(), self._worker
        if worker is None:
            raise JournalError(f"the journal {self.path} was opened read-only: it sends nothing")
        parameters = {"campaign": campaign, "worker": worker, "states": list(states), "limit": CLAIM_BATCH}
        while True:
            with self._writing() as connection:
                claimed = connection.execute(self._queries["claim_lines"], parameters).fetchall()
                self._heartbeat(connection)
            if claimed:
                if rate:
                    first = self.reserve_slots(len(claimed), rate)
                    for slot, (line_number, *_) in enumerate(sorted(claimed)):
                        self._send_at[int(line_number)] = first + slot / rate
                for line_number, _, attempts, message in sorted(claimed):
                    yield int(line_number), None if message is None else json.loads(message), int(attempts)
                continue
            if self.recover_dead_workers()[0]:
                continue
            return

    def claimed_marked_lines(
        self, states: tuple[str, ...]
    ) -> Iterator[list[tuple[int, dict[str, Any] | None, int, bool]]]:
        """Batches of (line number, message, attempts before, marked) of lines to send, claimed for this
        worker and, in the same statement, marked `sending` (committed before any of them is handed out):
        one round trip per batch, none per line. A line is not marked while the sending number is paused
        (`marked` False): it must be marked on its own before it leaves (`mark_sending`). A line marked
        here that the run does not send must be handed back (`apply`'s `unsent`); if the worker dies first,
        it becomes `unknown` like every line in flight, never `pending`, as nothing shows it never left."""
        campaign, worker = self._bound(), self._worker
        if worker is None:
            raise JournalError(f"the journal {self.path} was opened read-only: it sends nothing")
        parameters = {"campaign": campaign, "worker": worker, "states": list(states), "limit": CLAIM_BATCH,
                      "bucket": self.rate_bucket}  # fmt: skip
        while True:
            with self._writing() as connection:
                claimed = connection.execute(self._queries["claim_and_mark"], parameters).fetchall()
                if time.monotonic() - self._last_heartbeat >= WORKER_HEARTBEAT:
                    self._heartbeat(connection)
            if claimed:  # a whole batch at once: the caller keeps track of every line marked
                yield [
                    (int(line_number), None if message is None else json.loads(message), int(attempts), bool(marked))
                    for line_number, _, attempts, message, marked in sorted(claimed)
                ]
                continue
            if self.recover_dead_workers()[0]:
                continue
            return

    def held_by_others(self, states: tuple[str, ...]) -> int:
        """Lines to send (in `states`) that other live workers hold (theirs to send, unless they die), and
        those waiting out a pair rate limit (anyone's to send once it is over)."""
        parameters = {"campaign": self._bound(), "worker": self._worker, "states": list(states)}
        with self._writing() as connection:
            row = connection.execute(self._queries["held_by_others"], parameters).fetchone()
            waiting = connection.execute(self._queries["waiting_for_their_time"], parameters).fetchone()
            if self._worker is not None:  # a worker waiting for the others is still up
                self._heartbeat(connection)
        return (int(row[0]) if row else 0) + (int(waiting[0]) if waiting else 0)

    def settle_by_status(self) -> int:
        with self._writing() as connection:
            self._apply_waiting(connection)
            cursor = connection.execute(self._queries["settle_by_status"], self._with_campaign(None))
        return cursor.rowcount

    def mark_sending(self, line_number: int, attempt: int, *, own_data: bool = False) -> bool:
        return not self.apply([(SENDING, line_number, own_data)])

    def finish(
        self,
        line_number: int,
        state: str,
        *,
        message_id: str | None = None,
        error: str | None = None,
        match_by_id: bool = False,
    ) -> None:
        self.apply([("finish", line_number, state, message_id, error, match_by_id)])

    def apply(self, operations: list[tuple[Any, ...]]) -> set[int]:
        """Several line updates in one statement, one round trip whatever their number (see
        `d360.bulk.journal.Journal.apply`); the lines whose `sending` was refused, a status having spoken
        for them. A line neither marked nor spoken for is another worker's, or the campaign was deleted:
        the run stops."""
        campaign = self._bound()
        sending = [operation for operation in operations if operation[0] == SENDING]
        finished = [operation for operation in operations if operation[0] != SENDING]
        numbers = [operation[1] for operation in sending]
        parameters = {
            "campaign": campaign,
            "worker": self._worker,
            "bucket": self.rate_bucket,
            "sending": numbers,
            "own_data": [1 if len(operation) > 2 and operation[2] else 0 for operation in sending],
            "again": [1 if len(operation) > 3 and operation[3] else 0 for operation in sending],
            "finished": [operation[1] for operation in finished],
            "states": [operation[2] for operation in finished],
            "message_ids": [_storable(operation[3]) for operation in finished],
            "errors": [_storable(operation[4]) for operation in finished],
            "match_by_id": [1 if operation[5] else None for operation in finished],
            "pair_limited": [1 if len(operation) > 6 and operation[6] else 0 for operation in finished],
            "unsent": [1 if len(operation) > 7 and operation[7] else 0 for operation in finished],
        }
        refused: set[int] = set()
        with self._statement() as connection:
            rows = connection.execute(self._queries["apply_lines"], parameters).fetchall()
            marked = {row[0] for row in rows if row[0] is not None}
            pause_left = float(rows[0][1]) if rows else 0.0
            self._paused_until = time.monotonic() + pause_left if pause_left > 0 else 0.0
            if pause_left > 0:  # nothing was marked: the lines wait out the pause
                self._paused_lines = numbers
            elif len(marked) < len(numbers):  # rare: a status spoke for a line after it was claimed
                rest = [number for number in numbers if number not in marked]
                spoken_for = connection.execute(
                    self._queries["spoken_for"], {"campaign": campaign, "line_numbers": rest}
                )
                refused = {row[0] for row in spoken_for}
                if len(refused) < len(rest):
                    raise JournalError(
                        f"lines of campaign {campaign} in {self.path} are held by another worker, or the "
                        "campaign was deleted: stopped sending"
                    )
            if self._worker is not None:
                self._unreported_sent += sum(1 for operation in finished if operation[2] == ACCEPTED)
                if time.monotonic() - self._last_heartbeat >= WORKER_HEARTBEAT:
                    self._heartbeat(connection)
        return refused

    def has_status(self, line_number: int) -> bool:
        return bool(self._one("has_status", {"line_number": line_number}))

    # Statuses.

    def _begin_sessions(self, *, started_at: float | None, max_silence: float | None) -> None:
        self._session_id: int | None = None
        self._session_started = started_at
        self._session_alive: float | None = time.monotonic() if started_at is not None else None
        self._max_silence = max_silence

    def _session(self, connection: psycopg.Connection[Any], now: float) -> int:
        """This listener's session, inside the caller's transaction (see the SQLite journal's `_session`); a
        silence longer than `max_silence` (measured on this machine's monotonic clock) begins a new one."""
        local = time.monotonic()
        if (
            self._max_silence is not None
            and self._session_alive is not None
            and local - self._session_alive > self._max_silence
        ):
            self._session_id, self._session_started = None, None
        if self._session_id is None:
            row = connection.execute(
                self._queries["begin_session"], {"started_at": self._session_started, "now": now}
            ).fetchone()
            assert row is not None
            self._session_id = int(row[0])
        else:
            connection.execute(self._queries["session_alive"], {"session": self._session_id, "now": now})
        return self._session_id

    @contextlib.contextmanager
    def _listening(self) -> Iterator[psycopg.Connection[Any]]:
        since = time.monotonic()
        try:
            with self._writing() as connection:
                yield connection
        except BaseException:
            self._session_id = self._session_started = self._session_alive = None
            raise
        now = time.monotonic()
        if self._max_silence is not None and now - since > self._max_silence:
            self._session_id = self._session_started = self._session_alive = None
        else:
            self._session_alive = now

    def heartbeat(self, *, wait: float | None = None) -> None:
        with self._listening() as connection:
            self._session(connection, _database_now(connection))

    def record_status(
        self,
        *,
        line_number: int | None,
        message_id: str,
        status: str,
        code: int | None = None,
        error: str | None = None,
        campaign: str | None = None,
        also: Callable[[psycopg.Connection[Any]], object] | None = None,
    ) -> str:
        """Apply one status webhook (see `d360.bulk.journal.Journal.record_status`): `updated`, `stale`,
        `waiting` (no token, and no line has its message id yet), `unmatched` or `ignored`. `campaign`:
        the one the status's d360 token names (by default this journal's); with no token and no campaign,
        the line is looked for by its message id in every campaign."""
        if status not in DELIVERY_RANK:
            return "ignored"
        if campaign is None:
            campaign = self._campaign
        if campaign is None and line_number is not None:
            raise JournalError("a status with a line number needs its campaign")
        message_id, error = _storable(message_id), _storable(error)
        with self._listening() as connection:
            received_at = _database_now(connection)  # one time for the arrival and the session's alive_at
            session = self._session(connection, received_at)
            outcome = self._record(
                connection, campaign, line_number, message_id, status, code, error, received_at, session
            )
            if outcome == "unmatched" and line_number is None:
                row = connection.execute(
                    self._queries["keep_waiting"],
                    {"message_id": message_id, "status": status, "code": code, "error": error,
                     "received_at": received_at, "session": session},
                ).fetchone()  # fmt: skip
                assert row is not None
                connection.execute(self._queries["trim_waiting"], {"below": int(row[0]) - WAITING_WITHOUT_TOKEN})
                outcome = "waiting"
            if also is not None:  # a webhook inbox in this schema marks its event, in this same transaction
                also(connection)
        return outcome

    def _record(
        self,
        connection: psycopg.Connection[Any],
        campaign: str | None,
        line_number: int | None,
        message_id: str,
        status: str,
        code: int | None,
        error: str | None,
        received_at: float,
        session: int | None,
    ) -> str:
        if line_number is None and campaign is None:
            row = connection.execute(
                self._queries["line_by_message_id_any_campaign"], {"message_id": message_id}
            ).fetchone()
            if row is None:
                return "unmatched"
            campaign, line_number = str(row[0]), int(row[1])
        elif line_number is None:
            row = connection.execute(
                self._queries["line_by_message_id"], {"campaign": campaign, "message_id": message_id}
            ).fetchone()
            if row is None:
                return "unmatched"
            line_number = int(row[0])
        cursor = connection.execute(
            self._queries["record_status"],
            {"campaign": campaign, "line_number": line_number, "message_id": message_id, "status": status,
             "code": code, "error": error, "received_at": received_at, "session": session,
             "rank": DELIVERY_RANK[status]},
        )  # fmt: skip
        if cursor.rowcount:
            return "updated"
        exists = connection.execute(
            self._queries["line_exists"], {"campaign": campaign, "line_number": line_number}
        ).fetchone()
        return "stale" if exists and exists[0] else "unmatched"

    def _apply_waiting(self, connection: psycopg.Connection[Any]) -> None:
        """Statuses without a token that were waiting for their line's message id, applied in the order
        they came, inside the caller's transaction."""
        campaign = self._bound()
        found = connection.execute(self._queries["waiting_for_campaign"], {"campaign": campaign}).fetchall()
        for waiting_id, line_number, message_id, status, code, error, received_at, session in found:
            self._record(connection, campaign, line_number, message_id, status, code, error, received_at, session)
            connection.execute(self._queries["forget_waiting"], {"id": waiting_id})

    def workers(self) -> list[dict[str, Any]]:
        """The campaign's workers, first started first: id, host, pid, started_at, heartbeat_at (the
        database's clock), lines_sent (accepted), ended (None while it runs, `finished` or `died`)."""
        with self._reading() as connection:
            rows = connection.execute(self._queries["workers"], self._with_campaign(None)).fetchall()
        keys = ("id", "host", "pid", "started_at", "heartbeat_at", "lines_sent", "ended")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def waiting_statuses(self) -> int:
        return int(self._one("count_waiting"))

    def resend_unknown_with_evidence(self) -> int:
        """Unknown lines the statuses prove upstream never accepted go back to pending; return how many.
        The same proof as `d360.bulk.journal.Journal.resend_unknown_with_evidence`, on the database's clock."""
        campaign = self._bound()
        resent = 0
        with self._writing() as connection:
            windows = connection.execute(self._queries["evidence_windows"], {"campaign": campaign}).fetchall()
            for session, started_at, first_arrival, last_sent, last_arrival in windows:
                if first_arrival is None or last_sent is None:
                    continue
                resent += connection.execute(
                    self._queries["resend_in_window"],
                    {"campaign": campaign, "error": NEVER_ACCEPTED, "started_at": started_at,
                     "first_arrival": first_arrival, "last_sent": last_sent, "session": session,
                     "last_arrival": last_arrival},
                ).rowcount  # fmt: skip
        return resent

    def unknown_no_status_can_settle(self) -> int:
        return int(self._one("unknown_no_status_can_settle"))

    def unknown_without_token(self) -> int:
        return int(self._one("unknown_without_token"))

    def statuses_recorded(self) -> bool:
        return bool(self._one("statuses_recorded"))

    # Reading.

    def states_to_send(self, *, resend_unknown: bool) -> tuple[str, ...]:
        return (PENDING, UNKNOWN) if resend_unknown else (PENDING,)

    def lines_in(self, states: tuple[str, ...]) -> Iterator[tuple[int, str, int]]:
        last = 0
        while True:
            with self._reading() as connection:
                page = connection.execute(
                    self._queries["lines_in"],
                    self._with_campaign({"states": list(states), "after": last, "page_size": PAGE_SIZE}),
                ).fetchall()
            if not page:
                return
            for line_number, content_hash, attempts in page:
                yield int(line_number), str(content_hash), int(attempts)
            last = int(page[-1][0])

    def counts(self) -> dict[str, int]:
        with self._reading() as connection:
            found = dict(connection.execute(self._queries["counts"], self._with_campaign(None)).fetchall())
        return {state: int(found.get(state, 0)) for state in STATES}

    def records(self, states: tuple[str, ...] = STATES) -> Iterator[LineRecord]:
        with self._reading() as connection:
            rows = connection.execute(self._queries["records"], self._with_campaign({"states": list(states)}))
            for row in rows:
                yield LineRecord(*row)

    def funnel(self) -> dict[str, Any]:
        with self._reading() as connection:
            found = dict(connection.execute(self._queries["delivery_counts"], self._with_campaign(None)).fetchall())
            failures = [
                {"code": code, "error": error, "lines": int(count)}
                for code, error, count in connection.execute(
                    self._queries["delivery_failures"], self._with_campaign(None)
                )
            ]
        return {
            "accepted": sum(int(count) for count in found.values()),
            "delivery": {state: int(found.get(state, 0)) for state in ("no status", *DELIVERY_STATES)},
            "failures": failures,
        }


@overload
def _storable(text: str) -> str: ...
@overload
def _storable(text: None) -> None: ...
def _storable(text: str | None) -> str | None:
    """Outside text as PostgreSQL can keep it: a lone surrogate spelled as its escape (as the SQLite
    journal does), and a NUL character, which PostgreSQL's text cannot hold at all, as `\\x00`."""
    if text is None:
        return None
    return utf8_escaped(text).replace("\x00", "\\x00")


def _database_now(connection: psycopg.Connection[Any]) -> float:
    row = connection.execute(journal_queries()["now"]).fetchone()
    assert row is not None
    return float(row[0])


def _reason(exc: BaseException) -> str:
    """A psycopg error in one line."""
    return " ".join(str(exc).split()) or type(exc).__name__
