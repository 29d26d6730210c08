"""Status webhooks into a bulk journal: each line learns its fate (sent, delivered, read, failed).

    receiver.on_status(JournalSink("campaign.sqlite"))     # or: d360 webhook listen --journal campaign.sqlite
    receiver.on_status(JournalSink("postgresql://db.example/campaigns"))   # every campaign in that database

`d360 bulk` sends every line with `biz_opaque_callback_data` `d360:<journal id>:<line>` (unless the line
brings its own: then its message id finds it). A status for a line left `unknown` by a crash makes it
`accepted`, so a resume never sends it again; the journal's run lock is not needed (SQLite orders the
writes), so this works while a run is going. The journal need not exist yet: the sink makes it, and the
campaign fills it later; a status that comes before its line waits in the journal for it.

With a PostgreSQL URL the sink records statuses for every campaign in the database (the d360 token names
the campaign), and any number of receivers may do so at once.

Under a receiver with an inbox on the same database (the same SQLite file, or the same PostgreSQL schema),
the sink records the status and marks its part of the event done in one transaction: a receiver that dies
after it never records that status again (exactly-once effect). On another database the mark follows the
status's own commit.
"""

from __future__ import annotations

import collections
import contextlib
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from d360.bulk.journal import HEARTBEAT_SECONDS, TOKEN_PREFIX, Journal, JournalError
from d360.bulk.journals import is_postgres_url
from d360.bulk.protocol import StatusJournal
from d360.numbers import read_int
from d360.webhooks.events import StatusUpdate
from d360.webhooks.inbox import Handling, current_handling

if TYPE_CHECKING:
    from d360.bulk.postgres.journal import PostgresJournal


class JournalSink:
    """A status handler that records each status in a journal; `outcomes` counts what each did.

    If the journal's file is deleted or replaced while the sink runs (a new campaign on the same path), the
    sink opens the new one before its next status, rather than writing into a file nobody reads.

    The sink is one listener session in the journal, from its making to `close` (see
    `Journal.resend_unknown_with_evidence`): every `heartbeat` seconds a thread tells the journal it is
    still up, and a silence of three heartbeats (the process stopped, the machine slept) begins a new
    session. Make a new sink for each time a receiver starts listening. `heartbeat=None`: no thread, and
    the session lasts as long as the sink.
    """

    def __init__(self, journal: str | os.PathLike[str], *, heartbeat: float | None = HEARTBEAT_SECONDS) -> None:
        self._url = os.fspath(journal) if is_postgres_url(os.fspath(journal)) else None
        self.path = Path(journal)
        self._max_silence = None if heartbeat is None else 3 * heartbeat
        self._database: PostgresJournal | None = None
        self._journal: StatusJournal = self._open()
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._beating: threading.Thread | None = None
        if heartbeat is not None:
            self._beating = threading.Thread(
                target=self._beat, args=(heartbeat,), name="d360-journal-heartbeat", daemon=True
            )
            self._beating.start()
        self.outcomes: collections.Counter[str] = collections.Counter()
        """`updated`, `stale` (a later state was known), `waiting` (kept until its line is there),
        `foreign` (another journal's token), `unmatched` (a token naming no line of this journal),
        `ignored` (not a delivery state)."""

    def _open(self) -> StatusJournal:
        if self._url is None:
            return Journal.for_statuses(self.path, max_silence=self._max_silence)
        try:
            from d360.bulk.postgres.journal import PostgresJournal
        except ImportError as exc:  # psycopg is an extra
            raise JournalError(f"a PostgreSQL journal needs the postgres extra: {exc}") from None
        self._database = PostgresJournal.for_statuses(self._url, max_silence=self._max_silence)
        return self._database

    @property
    def journal_id(self) -> str:
        """The id this journal's tokens carry (the run that fills the journal keeps it)."""
        return self._journal.journal_id

    def __call__(self, update: StatusUpdate) -> str:
        handling = current_handling.get()
        outcome = self._apply(update, handling)
        if handling is not None and not self._shares(handling):
            handling.store.progress(handling.owner, handling.key, handling.step)
        return outcome

    def _shares(self, handling: Handling) -> bool:
        """Whether the inbox the event came from is this journal's database (one transaction holds both)."""
        same = getattr(handling.store, "same_database", None)
        return callable(same) and bool(same(self._url if self._url is not None else self.path))

    def _apply(self, update: StatusUpdate, handling: Handling | None) -> str:
        also = None
        if handling is not None and self._shares(handling):

            def also(connection: Any) -> None:
                handling.store.settle_on(connection, handling.owner, handling.key, handling.step)

        with self._lock:
            if not self._journal.is_still_here():
                self._journal.close()
                self._journal = self._open()
            line_number = None
            campaign = None
            token = update.biz_opaque_callback_data
            if token is not None and token.startswith(TOKEN_PREFIX):
                journal_id, _, number = token[len(TOKEN_PREFIX) :].partition(":")
                if self._database is not None:  # a database of campaigns: the token names one of them
                    if not self._database.knows_campaign(journal_id):
                        return self._count("foreign")
                    campaign = journal_id
                elif journal_id != self._journal.journal_id:
                    return self._count("foreign")
                line_number = read_int(number)
                if line_number is None:  # our prefix and id, but no line number: no line of ours
                    return self._count("unmatched")
            error = update.errors[0] if update.errors else None
            described = None
            if error is not None:
                described = " ".join(part for part in (error.title or error.message, error.details) if part) or None
            code = _code(error.code) if error is not None else None
            if self._database is not None:
                outcome = self._database.record_status(
                    line_number=line_number, message_id=update.message_id, status=update.status, code=code,
                    error=described, campaign=campaign, also=also,
                )  # fmt: skip
            else:
                outcome = self._journal.record_status(
                    line_number=line_number, message_id=update.message_id, status=update.status, code=code,
                    error=described, also=also,
                )  # fmt: skip
            return self._count(outcome)

    def _count(self, outcome: str) -> str:
        self.outcomes[outcome] += 1
        return outcome

    def _beat(self, interval: float) -> None:
        while not self._closing.wait(interval):
            with self._lock:
                if self._closing.is_set() or not self._journal.is_still_here():
                    continue  # a replaced journal is opened anew by the next status
                # One that cannot be written (a full disk) is a silence: the session ends, which can only
                # leave lines unknown, and the next status tells of the failure.
                with contextlib.suppress(JournalError):
                    self._journal.heartbeat(wait=interval)

    def close(self) -> None:
        self._closing.set()
        if self._beating is not None:
            self._beating.join()
        with self._lock:
            self._journal.close()


def _code(code: object) -> int | None:
    """An error code the journal can keep as a number (events keep an unreadable one as text)."""
    return code if isinstance(code, int) and not isinstance(code, bool) else read_int(code, signed=True)
