"""Status webhooks into a bulk journal: each line learns its fate (sent, delivered, read, failed).

    receiver.on_status(JournalSink("campaign.sqlite"))     # or: d360 webhook listen --journal campaign.sqlite

`d360 bulk` sends every line with `biz_opaque_callback_data` `d360:<journal id>:<line>` (unless the line
brings its own: then its message id finds it). A status for a line left `unknown` by a crash makes it
`accepted`, so a resume never sends it again; the journal's run lock is not needed (SQLite orders the
writes), so this works while a run is going. The journal need not exist yet: the sink makes it, and the
campaign fills it later; a status that comes before its line waits in the journal for it.
"""

from __future__ import annotations

import collections
import os
import threading
from pathlib import Path

from d360.bulk.journal import TOKEN_PREFIX, Journal
from d360.numbers import read_int
from d360.webhooks.events import StatusUpdate


class JournalSink:
    """A status handler that records each status in a journal; `outcomes` counts what each did.

    If the journal's file is deleted or replaced while the sink runs (a new campaign on the same path), the
    sink opens the new one before its next status, rather than writing into a file nobody reads.
    """

    def __init__(self, journal: str | os.PathLike[str]) -> None:
        self.path = Path(journal)
        self._journal = Journal.for_statuses(self.path)
        self._lock = threading.Lock()
        self.outcomes: collections.Counter[str] = collections.Counter()
        """`updated`, `stale` (a later state was known), `waiting` (kept until its line is there),
        `foreign` (another journal's token), `unmatched` (a token naming no line of this journal),
        `ignored` (not a delivery state)."""

    @property
    def journal_id(self) -> str:
        """The id this journal's tokens carry (the run that fills the journal keeps it)."""
        return self._journal.journal_id

    def __call__(self, update: StatusUpdate) -> str:
        with self._lock:
            if not self._journal.is_still_here():
                self._journal.close()
                self._journal = Journal.for_statuses(self.path)
            line_number = None
            token = update.biz_opaque_callback_data
            if token is not None and token.startswith(TOKEN_PREFIX):
                journal_id, _, number = token[len(TOKEN_PREFIX) :].partition(":")
                if journal_id != self._journal.journal_id:
                    return self._count("foreign")
                line_number = read_int(number)
                if line_number is None:  # our prefix and id, but no line number: no line of ours
                    return self._count("unmatched")
            error = update.errors[0] if update.errors else None
            described = None
            if error is not None:
                described = " ".join(part for part in (error.title or error.message, error.details) if part) or None
            outcome = self._journal.record_status(
                line_number=line_number,
                message_id=update.message_id,
                status=update.status,
                code=_code(error.code) if error is not None else None,
                error=described,
            )
            return self._count(outcome)

    def _count(self, outcome: str) -> str:
        self.outcomes[outcome] += 1
        return outcome

    def close(self) -> None:
        with self._lock:
            self._journal.close()


def _code(code: object) -> int | None:
    """An error code the journal can keep as a number (events keep an unreadable one as text)."""
    return code if isinstance(code, int) and not isinstance(code, bool) else read_int(code, signed=True)
