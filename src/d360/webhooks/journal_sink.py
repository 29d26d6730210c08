"""Status webhooks into a bulk journal: each line learns its fate (sent, delivered, read, failed).

    receiver.on_status(JournalSink("campaign.sqlite"))     # or: d360 webhook listen --journal campaign.sqlite

`d360 bulk` sends every line with `biz_opaque_callback_data` `d360:<journal id>:<line>` (unless the line
brings its own: then its message id finds it). A status for a line left `unknown` by a crash makes it
`accepted`, so a resume never sends it again; the journal's run lock is not needed (SQLite orders the
writes), so this works while a run is going.
"""

from __future__ import annotations

import collections
import os
import threading
from pathlib import Path

from d360.bulk.journal import TOKEN_PREFIX, Journal
from d360.webhooks.events import StatusUpdate


class JournalSink:
    """A status handler that records each status in a journal; `outcomes` counts what each did."""

    def __init__(self, journal: str | os.PathLike[str]) -> None:
        self._journal = Journal.for_statuses(Path(journal))
        self.journal_id = self._journal.journal_id
        self._lock = threading.Lock()
        self.outcomes: collections.Counter[str] = collections.Counter()
        """`updated`, `stale` (a later state was known), `foreign` (another journal's token), `unmatched`,
        `ignored` (not a delivery state)."""

    def __call__(self, update: StatusUpdate) -> str:
        line_number = None
        token = update.biz_opaque_callback_data
        if token is not None and token.startswith(TOKEN_PREFIX):
            journal_id, _, number = token[len(TOKEN_PREFIX) :].partition(":")
            if journal_id != self.journal_id:
                return self._count("foreign")
            line_number = int(number) if number.isdigit() else None
        error = update.errors[0] if update.errors else None
        described = None
        if error is not None:
            described = " ".join(part for part in (error.title or error.message, error.details) if part) or None
        with self._lock:
            outcome = self._journal.record_status(
                line_number=line_number,
                message_id=update.message_id,
                status=update.status,
                code=error.code if error is not None else None,
                error=described,
            )
        return self._count(outcome)

    def _count(self, outcome: str) -> str:
        with self._lock:
            self.outcomes[outcome] += 1
        return outcome

    def close(self) -> None:
        with self._lock:
            self._journal.close()
