"""What a bulk run, its report and a status listener need of a journal, as protocols: the SQLite journal
(`d360.bulk.journal.Journal`, one file on one machine) and the PostgreSQL one (`d360.bulk.postgres`) both
implement them, and both are held to one test suite (tests/test_journal_backends.py)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Protocol, Self, TypeGuard

from d360.bulk.journal import STATES, LineRecord


class StatusJournal(Protocol):
    """A journal a status listener (`d360.webhooks.JournalSink`) records status webhooks in."""

    @property
    def journal_id(self) -> str:
        """The id the d360 tokens of this journal's lines carry (`d360:<journal id>:<line>`)."""
        ...

    def record_status(
        self,
        *,
        line_number: int | None,
        message_id: str,
        status: str,
        code: int | None = None,
        error: str | None = None,
        also: Any = None,
    ) -> str:
        """Apply one status webhook; `updated`, `stale`, `waiting`, `unmatched` or `ignored`. `also(connection)`
        runs in the same transaction (a webhook inbox on the same database settling its event)."""
        ...

    def heartbeat(self, *, wait: float | None = None) -> None:
        """The listener is still up (its session goes on)."""
        ...

    def is_still_here(self) -> bool:
        """False if the journal was deleted or replaced since it was opened."""
        ...

    def close(self) -> None: ...


class CampaignJournal(StatusJournal, Protocol):
    """A campaign's journal as `d360 bulk` and `d360 bulk report` use it: one row per input line, a line
    `sending` (committed) before its request leaves, never sent twice."""

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc_info: object) -> None: ...

    def meta(self) -> dict[str, str]:
        """`journal_id`, `input`, `input_fingerprint`, `created_at`, ... of the campaign."""
        ...

    def fill(self, fingerprint: str, description: str, lines: Iterable[tuple[int, str, str, str | None]]) -> bool:
        """Tie the journal to its input and record every line, in one transaction; True if it was new."""
        ...

    def recover_interrupted(self) -> int:
        """Lines left `sending` by a sender that died become `unknown`; return how many."""
        ...

    def settle_by_status(self) -> int:
        """Lines `sending` or `unknown` that a status spoke for become `accepted`; return how many."""
        ...

    def resend_unknown_with_evidence(self) -> int:
        """Unknown lines the statuses prove were never accepted go back to `pending`; return how many."""
        ...

    def unknown_no_status_can_settle(self) -> int: ...

    def unknown_without_token(self) -> int: ...

    def statuses_recorded(self) -> bool: ...

    def callback_token(self, line_number: int) -> str:
        """The `biz_opaque_callback_data` that ties a line's status webhooks back to it."""
        ...

    def apply(self, operations: list[tuple[Any, ...]]) -> set[int]:
        """Line updates in one transaction (`sending` and `finish` operations); the lines whose `sending`
        was refused (a status spoke for them: they must not be sent)."""
        ...

    def mark_sending(self, line_number: int, attempt: int, *, own_data: bool = False) -> bool: ...

    def finish(
        self,
        line_number: int,
        state: str,
        *,
        message_id: str | None = None,
        error: str | None = None,
        match_by_id: bool = False,
    ) -> None: ...

    def has_status(self, line_number: int) -> bool: ...

    def states_to_send(self, *, resend_unknown: bool) -> tuple[str, ...]: ...

    def lines_in(self, states: tuple[str, ...]) -> Iterator[tuple[int, str, int]]:
        """(line number, content hash, attempts) of the lines in `states` with no status, ascending."""
        ...

    def counts(self) -> dict[str, int]: ...

    def records(self, states: tuple[str, ...] = STATES) -> Iterator[LineRecord]: ...

    def funnel(self) -> dict[str, Any]: ...

    def waiting_statuses(self) -> int: ...


class SharedCampaignJournal(CampaignJournal, Protocol):
    """A journal many senders share (the PostgreSQL one): it keeps each line's message, so a worker needs no
    copy of the input, and hands each worker its own lines to send."""

    def fill_with_messages(
        self,
        fingerprint: str,
        description: str,
        lines: Iterable[tuple[int, str, str, str | None, dict[str, Any] | None]],
    ) -> bool:
        """`fill`, each line with its message (None for an invalid line)."""
        ...

    def join(self) -> None:
        """Join a campaign with no input: the one named, or the only one."""
        ...

    def claimed_lines(
        self, states: tuple[str, ...], *, rate: float | None = None
    ) -> Iterator[tuple[int, dict[str, Any] | None, int]]:
        """(line number, message, attempts) of lines to send, claimed for this worker alone; with a `rate`,
        each with a slot of the campaign's rate (`send_at`)."""
        ...

    def claimed_marked_lines(
        self, states: tuple[str, ...]
    ) -> Iterator[list[tuple[int, dict[str, Any] | None, int, bool]]]:
        """Batches of (line number, message, attempts, marked) of lines claimed for this worker and marked `sending` in
        the same commit, a batch at a time (not marked while the sending number is paused)."""
        ...

    def send_at(self, line_number: int, rate: float) -> float:
        """When a claimed line's slot comes (monotonic clock); a line with no slot, or whose slot is long
        gone, gets a new one."""
        ...

    def reserve_slots(self, count: int, rate: float) -> float:
        """Slots of the campaign's rate outside a claim (a retry): when the first comes."""
        ...

    def held_by_others(self, states: tuple[str, ...]) -> int:
        """Lines to send that other live workers hold (theirs, unless they die), or that wait out a pair rate
        limit (`not_before`)."""
        ...

    def share_rate(self, bucket: str) -> None:
        """Take rate slots and pauses from this bucket (one per sending number, see `run.rate_bucket_key`)."""
        ...

    def pause(self, seconds: float) -> float:
        """A throttling answer: every worker on the bucket holds for `seconds`; the seconds left."""
        ...

    def paused_for(self) -> float:
        """Seconds left of the bucket's pause, as this worker last heard it (no round trip)."""
        ...

    def take_paused(self) -> list[int]:
        """The lines the last `apply` left unmarked because the bucket was paused."""
        ...

    def workers(self) -> list[dict[str, Any]]:
        """The campaign's workers: host, pid, lines sent, last heartbeat, ..."""
        ...


def is_shared(journal: CampaignJournal) -> TypeGuard[SharedCampaignJournal]:
    """Whether many senders can share this journal (it hands each its lines). Asked of the journal's class:
    a property of the journal itself (its id, before a campaign is chosen) may not be read yet."""
    return all(callable(getattr(type(journal), name, None)) for name in ("join", "claimed_lines", "fill_with_messages"))
