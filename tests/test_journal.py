"""The journal on its own, in this process: paging and batching past their sizes, rollbacks, and what each
write leaves in the row. The `d360 bulk` subprocess tests show the same promises end to end."""

from __future__ import annotations

import asyncio
import fcntl
import os
import re
import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from d360.bulk import journal as journal_module
from d360.bulk.journal import (
    ACCEPTED,
    FAILED,
    INSERT_BATCH,
    PAGE_SIZE,
    PENDING,
    SENDING,
    STATES,
    STATUS_BUSY_TIMEOUT,
    UNKNOWN,
    Journal,
    JournalError,
    JournalWriteError,
    LineRecord,
)

PRE_TRACKING_SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE lines (line_number INTEGER PRIMARY KEY, content_hash TEXT NOT NULL, state TEXT NOT NULL,"
    " message_id TEXT, error TEXT, attempts INTEGER NOT NULL DEFAULT 0, created_at REAL NOT NULL,"
    " updated_at REAL NOT NULL);"
)
"""A journal as d360 made it before delivery tracking."""


def old_journal(path: Path, then: str) -> Path:
    """A journal file as an older d360 left it: `PRE_TRACKING_SCHEMA`, then the SQL script `then`."""
    db = sqlite3.connect(path)
    try:
        db.executescript(PRE_TRACKING_SCHEMA + then)
    finally:
        db.close()
    return path


def lines(count: int, *, start: int = 1) -> list[tuple[int, str, str, str | None]]:
    return [(number, f"hash{number}", PENDING, None) for number in range(start, start + count)]


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    with Journal(tmp_path / "run.sqlite") as opened:
        opened.fill("fingerprint", "input.jsonl", lines(5))
        yield opened


def row(journal: Journal, line_number: int) -> LineRecord:
    (found,) = [record for record in journal.records() if record.line_number == line_number]
    return found


# Filling: batches of INSERT_BATCH, all or nothing.


def test_a_fill_larger_than_several_insert_batches_records_every_line(tmp_path: Path) -> None:
    count = INSERT_BATCH * 2 + 7  # two full batches and a partial one
    with Journal(tmp_path / "big.sqlite") as journal:
        assert journal.fill("fp", "big.jsonl", iter(lines(count))) is True
        assert journal.counts() == {**dict.fromkeys(STATES, 0), PENDING: count}
        numbers = [record.line_number for record in journal.records()]
        assert numbers == list(range(1, count + 1))
        assert row(journal, count).content_hash == f"hash{count}"


def test_a_fill_that_fails_in_a_later_batch_rolls_back_every_batch(tmp_path: Path) -> None:
    def failing() -> Iterator[tuple[int, str, str, str | None]]:
        yield from lines(INSERT_BATCH + 10)
        yield (3, "again", PENDING, None)  # line 3 twice: the insert of the last batch fails

    with Journal(tmp_path / "run.sqlite") as journal:
        with pytest.raises(JournalError, match=r"cannot fill the journal .*nothing was sent"):
            journal.fill("fp", "input.jsonl", failing())
        assert set(journal.meta()) == {"journal_id"}  # only the id the journal got when opened
        assert sum(journal.counts().values()) == 0
        assert journal.fill("fp", "input.jsonl", lines(3)) is True  # the next run fills it anew
        assert journal.counts()[PENDING] == 3


def test_filling_records_the_input_and_an_id_and_is_idempotent(journal: Journal) -> None:
    meta = journal.meta()
    assert meta["input_fingerprint"] == "fingerprint" and meta["input"] == "input.jsonl"
    assert meta["schema_version"] == journal_module.SCHEMA_VERSION
    assert len(meta["journal_id"]) == 16 and abs(float(meta["created_at"]) - time.time()) < 60
    assert journal.fill("fingerprint", "input.jsonl", lines(9)) is False  # already filled: left as it is
    assert sum(journal.counts().values()) == 5
    with pytest.raises(JournalError, match=r"different input \(input.jsonl, fingerprint fingerprint, now other"):
        journal.fill("other", "input.jsonl", lines(5))


def test_invalid_lines_are_filled_failed_with_their_reason(tmp_path: Path) -> None:
    with Journal(tmp_path / "run.sqlite") as journal:
        journal.fill("fp", "in.jsonl", [(1, "h1", PENDING, None), (2, "h2", FAILED, "invalid: $.to is missing")])
        assert (row(journal, 2).state, row(journal, 2).error) == (FAILED, "invalid: $.to is missing")
        assert row(journal, 1).error is None and row(journal, 1).attempts == 0


# Reading: pages of PAGE_SIZE.


def test_lines_to_send_are_read_across_every_page_in_order(tmp_path: Path) -> None:
    count = PAGE_SIZE * 2 + 1  # two full pages and a line on a third
    with Journal(tmp_path / "run.sqlite") as journal:
        journal.fill("fp", "in.jsonl", lines(count))
        journal.apply([("finish", number, ACCEPTED, f"wamid.{number}", None, False) for number in range(1, count, 3)])
        wanted = [number for number in range(1, count + 1) if (number - 1) % 3]
        assert list(journal.lines_in((PENDING,))) == [(number, f"hash{number}", 0) for number in wanted]
        assert [number for number, _, _ in journal.lines_in((ACCEPTED,))] == list(range(1, count, 3))


def test_lines_a_status_spoke_for_are_not_sent_again(journal: Journal) -> None:
    journal.finish(2, UNKNOWN, error="ambiguous")
    journal.record_status(line_number=2, message_id="wamid.2", status="sent")
    journal.finish(2, UNKNOWN, error="late")  # the send's answer after the status: still accepted
    assert [number for number, _, _ in journal.lines_in((PENDING, UNKNOWN))] == [1, 3, 4, 5]


# Writing: each write's row, and a batch that fails leaves nothing.


def test_mark_sending_counts_attempts_and_finish_records_the_outcome(journal: Journal) -> None:
    before = time.time()
    journal.mark_sending(1, 1)
    journal.mark_sending(1, 2)
    sending = row(journal, 1)
    assert (sending.state, sending.attempts) == (SENDING, 2) and sending.updated_at >= before
    journal.finish(1, ACCEPTED, message_id="wamid.1")
    journal.finish(2, FAILED, error="BadRequestError: no")
    accepted, failed = row(journal, 1), row(journal, 2)
    assert (accepted.state, accepted.message_id, accepted.error) == (ACCEPTED, "wamid.1", None)
    assert (failed.state, failed.message_id, failed.error) == (FAILED, None, "BadRequestError: no")


def test_apply_writes_marks_and_outcomes_in_one_transaction(journal: Journal) -> None:
    journal.apply(
        [
            (SENDING, 1),
            (SENDING, 2),
            ("finish", 3, ACCEPTED, "wamid.3", None, True),
            ("finish", 4, PENDING, None, "x", False),
            ("finish", 5, ACCEPTED, "wamid.5", None, False),
        ]
    )
    assert [(row(journal, n).state, row(journal, n).attempts) for n in (1, 2)] == [(SENDING, 1), (SENDING, 1)]
    assert (row(journal, 3).state, row(journal, 3).message_id) == (ACCEPTED, "wamid.3")
    assert (row(journal, 4).state, row(journal, 4).error) == (PENDING, "x")
    assert journal.record_status(line_number=None, message_id="wamid.3", status="sent") == "updated"  # by its id
    # Sent with a d360 token: its statuses name the line, so it is not indexed by message id (a status
    # without a token waits for a line that may record this id yet).
    assert journal.record_status(line_number=None, message_id="wamid.5", status="sent") == "waiting"
    assert row(journal, 5).delivery is None
    journal.apply([])  # nothing to write is no error


def test_a_batch_that_fails_midway_is_rolled_back_whole(journal: Journal) -> None:
    with pytest.raises(JournalError, match=r"cannot write to the journal .*CHECK constraint"):
        journal.apply(
            [(SENDING, 1), ("finish", 2, ACCEPTED, "wamid.2", None, False), ("finish", 3, "lost", None, None, False)]
        )
    assert {record.state for record in journal.records()} == {PENDING}
    assert row(journal, 1).attempts == 0 and row(journal, 2).message_id is None
    journal.apply([(SENDING, 1)])  # the journal is usable afterwards: no transaction left open
    assert row(journal, 1).state == SENDING


def test_after_a_crash_lines_sending_become_unknown_unless_a_status_spoke(journal: Journal) -> None:
    journal.apply([(SENDING, 1), (SENDING, 2), (SENDING, 3)])
    journal.record_status(line_number=3, message_id="wamid.3", status="delivered")
    assert journal.recover_interrupted() == 2
    assert [row(journal, n).state for n in (1, 2, 3)] == [UNKNOWN, UNKNOWN, ACCEPTED]
    assert row(journal, 1).error == "interrupted while sending: may have been delivered"
    assert row(journal, 3).error is None


def sent_at(journal: Journal, line_number: int) -> float | None:
    return journal._db.execute("SELECT sent_at FROM lines WHERE line_number = ?", (line_number,)).fetchone()[0]


def set_sent_at(journal: Journal, times: dict[int, float | None]) -> None:
    journal._db.executemany("UPDATE lines SET sent_at = ? WHERE line_number = ?", [(at, n) for n, at in times.items()])


def test_marking_a_line_sending_records_when_it_was_last_sent(journal: Journal) -> None:
    before = time.time()
    journal.apply([(SENDING, 1)])
    first = sent_at(journal, 1)
    assert first is not None and first >= before and sent_at(journal, 2) is None
    journal.mark_sending(1, 2)
    second = sent_at(journal, 1)
    assert second is not None and second >= first


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[float], None]:
    """Set the journal's clock: `clock(100)` makes what follows (a send, a status arriving) happen at 100."""
    now = [0.0]
    monkeypatch.setattr(journal_module.time, "time", lambda: now[0])

    def at(moment: float) -> None:
        now[0] = moment

    return at


def sent(journal: Journal, clock: Callable[[float], None], at: float, *numbers: int) -> None:
    """Lines marked sending in one commit at `at`."""
    clock(at)
    journal.apply([(SENDING, number) for number in numbers])


def arrives(
    journal: Journal, clock: Callable[[float], None], at: float, line_number: int, status: str = "sent"
) -> None:
    """A status for the line arrives at `at`."""
    clock(at)
    journal.record_status(line_number=line_number, message_id=f"wamid.{line_number}", status=status)


def unknown(journal: Journal, *numbers: int) -> None:
    journal.apply([("finish", number, UNKNOWN, None, "APITimeoutError", False) for number in numbers])


NEVER_ACCEPTED = (
    "no status arrived, though one listener, up throughout, recorded statuses before it was sent and for lines "
    "sent after it: never accepted, so sent again"
)


def test_an_unknown_line_is_sent_again_only_if_statuses_arrived_before_it_went_out_and_came_after(
    journal: Journal, clock: Callable[[float], None]
) -> None:
    sent(journal, clock, 100, 1)
    arrives(journal, clock, 150, 1)  # statuses reach the journal
    sent(journal, clock, 200, 2)
    sent(journal, clock, 300, 3)
    unknown(journal, 2, 3)
    # Nothing came for a line sent after line 2: the listener may have gone down.
    assert journal.resend_unknown_with_evidence() == 0
    sent(journal, clock, 400, 4)
    arrives(journal, clock, 450, 4)
    assert journal.resend_unknown_with_evidence() == 2  # statuses before and after both: never accepted
    assert [row(journal, n).state for n in (2, 3)] == [PENDING, PENDING]
    assert row(journal, 2).error == NEVER_ACCEPTED
    assert journal.resend_unknown_with_evidence() == 0


def test_statuses_that_arrive_late_prove_nothing_for_a_line_sent_before_they_arrived(
    journal: Journal, clock: Callable[[float], None]
) -> None:
    # The listener is down while lines 1 to 3 go out; line 2's answer is lost (its fate unknown).
    sent(journal, clock, 100, 1)
    sent(journal, clock, 200, 2)
    sent(journal, clock, 300, 3)
    unknown(journal, 2)
    assert not journal.statuses_recorded() and journal.resend_unknown_with_evidence() == 0
    # The listener comes back: statuses of lines 1 and 3 are redelivered, line 2's still waits in
    # upstream's backoff. Lines sent before and after it have statuses, but none had arrived when it went out.
    arrives(journal, clock, 1000, 1)
    arrives(journal, clock, 1001, 3)
    assert journal.statuses_recorded()
    assert journal.resend_unknown_with_evidence() == 0
    assert row(journal, 2).state == UNKNOWN and row(journal, 2).error == "APITimeoutError"
    # A line sent once statuses flow, whose answer is lost too, is proved by a status for a line after it.
    sent(journal, clock, 1100, 4)
    unknown(journal, 4)
    sent(journal, clock, 1200, 5)
    arrives(journal, clock, 1201, 5)
    assert journal.resend_unknown_with_evidence() == 1
    assert [row(journal, n).state for n in (2, 4)] == [UNKNOWN, PENDING]


def match_by_id(journal: Journal, line_number: int) -> int | None:
    return journal._db.execute("SELECT match_by_id FROM lines WHERE line_number = ?", (line_number,)).fetchone()[0]


def test_how_statuses_will_find_a_line_is_recorded_before_it_leaves(journal: Journal) -> None:
    journal.apply([(SENDING, 1), (SENDING, 2, True), (SENDING, 3, False)])
    journal.mark_sending(4, 1, own_data=True)
    assert [match_by_id(journal, n) for n in (1, 2, 3, 4, 5)] == [0, 1, 0, 1, None]  # 5: never sent
    # Its outcome keeps it: an answer, a lost one, a failure.
    journal.apply([("finish", 2, ACCEPTED, "wamid.2", None, True), ("finish", 4, UNKNOWN, None, "lost", False),
                   ("finish", 1, UNKNOWN, None, "lost", False)])  # fmt: skip
    assert [match_by_id(journal, n) for n in (1, 2, 4)] == [0, 1, 1]
    assert journal.record_status(line_number=None, message_id="wamid.2", status="sent") == "updated"


def test_an_unknown_line_that_brought_its_own_callback_data_is_never_resent_on_evidence(
    journal: Journal, clock: Callable[[float], None]
) -> None:
    sent(journal, clock, 100, 1)
    arrives(journal, clock, 150, 1)
    clock(200)
    journal.apply([(SENDING, 2, True)])  # its own biz_opaque_callback_data: its statuses carry no token
    sent(journal, clock, 250, 3)
    unknown(journal, 2, 3)
    sent(journal, clock, 300, 4)
    arrives(journal, clock, 350, 4)
    # Its statuses may well have arrived, waiting for the message id its lost answer held: nothing is proved.
    clock(360)
    assert journal.record_status(line_number=None, message_id="wamid.own", status="read") == "waiting"
    assert journal.unknown_without_token() == 1
    assert journal.resend_unknown_with_evidence() == 1  # line 3, sent with a token, between the same two
    assert [row(journal, n).state for n in (2, 3)] == [UNKNOWN, PENDING]
    assert journal.unknown_without_token() == 1


def test_waiting_for_statuses_ends_at_once_when_no_status_can_settle_the_lines_left(
    journal: Journal, clock: Callable[[float], None]
) -> None:
    from d360.bulk.run import settle_unknown

    clock(100)
    journal.apply([(SENDING, 1, True), (SENDING, 2, True), (SENDING, 3)])
    unknown(journal, 1, 2)
    journal.apply([("finish", 3, UNKNOWN, None, "lost", False)])
    assert journal.unknown_no_status_can_settle() == 2  # line 3 carries a token: its status may yet come
    arrives(journal, clock, 200, 3)  # and it does
    # An hour's wait is asked for; with nothing left a status could settle, it ends at once (the bound is
    # about a hang, not speed).
    settlement = asyncio.run(asyncio.wait_for(settle_unknown(journal, 3600), timeout=60))
    assert (settlement.unknown, settlement.settled, settlement.resent, settlement.kept) == (2, 0, 0, 2)
    assert settlement.without_token == 2


def test_an_unknown_line_last_sent_by_a_d360_that_did_not_record_its_token_is_never_resent_on_evidence(
    journal: Journal, clock: Callable[[float], None]
) -> None:
    sent(journal, clock, 100, 1)
    arrives(journal, clock, 150, 1)
    sent(journal, clock, 200, 2)
    sent(journal, clock, 300, 3)
    arrives(journal, clock, 350, 3)
    unknown(journal, 2)
    journal._db.execute("UPDATE lines SET match_by_id = NULL WHERE line_number = 2")  # as such a d360 left it
    assert journal.unknown_without_token() == 1
    assert journal.resend_unknown_with_evidence() == 0


def first_status_at(journal: Journal, line_number: int) -> tuple[float | None, float | None]:
    return journal._db.execute(
        "SELECT first_status_at, delivery_at FROM lines WHERE line_number = ?", (line_number,)
    ).fetchone()


def test_a_lines_first_status_arrival_is_kept_as_its_delivery_moves_forward(
    journal: Journal, clock: Callable[[float], None]
) -> None:
    sent(journal, clock, 100, 1)
    arrives(journal, clock, 150, 1, "sent")
    sent(journal, clock, 200, 2)
    unknown(journal, 2)
    sent(journal, clock, 300, 3)
    arrives(journal, clock, 1000, 1, "read")  # the latest state arrives later: delivery_at moves, the first not
    arrives(journal, clock, 1001, 1, "delivered")  # stale: changes nothing
    arrives(journal, clock, 1002, 3)
    assert first_status_at(journal, 1) == (150, 1000)
    # A journal whose statuses came before it kept first arrivals counts from the latest: never earlier
    # than the first, so it can only leave a line unknown, never prove one.
    journal._db.execute("UPDATE lines SET first_status_at = NULL")
    assert journal.resend_unknown_with_evidence() == 0
    journal._db.execute("UPDATE lines SET first_status_at = 150 WHERE line_number = 1")
    assert journal.resend_unknown_with_evidence() == 1
    assert row(journal, 2).state == PENDING


def test_a_line_sent_in_the_same_commit_as_one_with_a_status_counts_as_sent_before_it(
    journal: Journal, clock: Callable[[float], None]
) -> None:
    sent(journal, clock, 100, 3)
    arrives(journal, clock, 150, 3)
    sent(journal, clock, 200, 1, 2)  # one commit: one send time
    assert sent_at(journal, 1) == sent_at(journal, 2) == 200
    journal.apply([("finish", 1, UNKNOWN, None, "a", False), ("finish", 2, ACCEPTED, "wamid.2", None, False)])
    arrives(journal, clock, 250, 2)
    assert journal.resend_unknown_with_evidence() == 1


def test_a_status_arriving_the_moment_a_line_is_sent_is_not_before_it(
    journal: Journal, clock: Callable[[float], None]
) -> None:
    sent(journal, clock, 100, 1)
    arrives(journal, clock, 200, 1)
    sent(journal, clock, 200, 2)  # strictly after is needed: the two clocks may be read in either order
    unknown(journal, 2)
    sent(journal, clock, 300, 3)
    arrives(journal, clock, 350, 3)
    assert journal.resend_unknown_with_evidence() == 0


def test_an_unknown_line_with_its_own_status_is_settled_not_sent_again(
    journal: Journal, clock: Callable[[float], None]
) -> None:
    sent(journal, clock, 100, 2)
    sent(journal, clock, 200, 1)
    sent(journal, clock, 300, 3)
    unknown(journal, 1, 2, 3)
    # Statuses written as one listener, up from 50 to 400, recorded them.
    journal._db.execute("INSERT INTO listener_sessions (id, started_at, alive_at) VALUES (7, 50, 400)")
    journal._db.execute(
        "UPDATE lines SET delivery = 'sent', first_status_at = 150, first_status_session = 7 "
        "WHERE line_number IN (2, 3)"
    )
    assert journal.settle_by_status() == 2
    assert journal.resend_unknown_with_evidence() == 1  # the statuses of lines 2 and 3 prove line 1
    assert [row(journal, n).state for n in (1, 2, 3)] == [PENDING, ACCEPTED, ACCEPTED]
    assert row(journal, 2).error is None


def test_a_line_sent_before_the_journal_kept_send_times_stays_unknown(
    journal: Journal, clock: Callable[[float], None]
) -> None:
    sent(journal, clock, 100, 2)
    arrives(journal, clock, 110, 2)
    sent(journal, clock, 200, 1)
    sent(journal, clock, 500, 3)
    arrives(journal, clock, 510, 3)
    unknown(journal, 1)
    set_sent_at(journal, {1: None})
    assert journal.resend_unknown_with_evidence() == 0  # nothing places line 1 among them
    assert row(journal, 1).state == UNKNOWN


def listener_at(path: Path, clock: Callable[[float], None], at: float, **options: float) -> Journal:
    """A status listener (`d360 webhook listen --journal`) that opens the journal at `at`."""
    clock(at)
    return Journal.for_statuses(path, **options)


def hears(listener: Journal, clock: Callable[[float], None], at: float, line_number: int) -> None:
    clock(at)
    assert (
        listener.record_status(line_number=line_number, message_id=f"wamid.{line_number}", status="sent") == "updated"
    )


def test_statuses_from_a_listener_before_a_line_and_another_after_it_prove_nothing(
    journal: Journal, clock: Callable[[float], None]
) -> None:
    # The first listener hears line 1, then is killed (kill -9: it never says goodbye).
    first = listener_at(journal.path, clock, 50, max_silence=6)
    sent(journal, clock, 100, 1)
    hears(first, clock, 101, 1)
    first.close()
    # Line 2 goes out while no listener is up; upstream takes it, its status waits in upstream's backoff,
    # and the run is killed before the answer: unknown.
    sent(journal, clock, 200, 2)
    unknown(journal, 2)
    # A listener again, and a resumed run: a later line goes out and its status arrives.
    second = listener_at(journal.path, clock, 300, max_silence=6)
    sent(journal, clock, 310, 3)
    hears(second, clock, 311, 3)
    # A status arrived before line 2 went out, and one came for a line sent after it, but through two
    # listeners with nobody listening between: line 2 is not proved never accepted.
    assert journal.resend_unknown_with_evidence() == 0
    assert row(journal, 2).state == UNKNOWN
    # A line sent while the second listener is up (it heard line 3 before), whose answer is lost, is
    # proved by a status it records for a line sent after it.
    sent(journal, clock, 312, 4)
    unknown(journal, 4)
    clock(313)
    second.heartbeat()
    sent(journal, clock, 314, 5)
    hears(second, clock, 315, 5)
    assert journal.resend_unknown_with_evidence() == 1
    assert [row(journal, n).state for n in (2, 4)] == [UNKNOWN, PENDING]
    assert row(journal, 4).error == NEVER_ACCEPTED
    second.close()


def test_a_listener_silent_longer_than_its_heartbeats_allow_begins_a_new_session(
    journal: Journal, clock: Callable[[float], None]
) -> None:
    listener = listener_at(journal.path, clock, 0, max_silence=6)
    sent(journal, clock, 1, 1)
    hears(listener, clock, 2, 1)
    sent(journal, clock, 3, 2)
    unknown(journal, 2)
    # Its process was stopped (SIGSTOP, a laptop asleep) from 4 to 60: statuses sent meanwhile failed,
    # and upstream redelivers them later. Then it hears a line sent after line 2.
    clock(4)
    listener.heartbeat()
    sent(journal, clock, 61, 3)
    hears(listener, clock, 62, 3)
    assert journal.resend_unknown_with_evidence() == 0
    sessions = journal._db.execute("SELECT started_at, alive_at FROM listener_sessions ORDER BY id").fetchall()
    assert sessions == [(0, 4), (62, 62)]
    # Heartbeats within the limit keep one session: a line sent inside it is proved.
    sent(journal, clock, 63, 4)
    unknown(journal, 4)
    for moment in (66, 70, 74):
        clock(moment)
        listener.heartbeat()
    sent(journal, clock, 75, 5)
    hears(listener, clock, 76, 5)
    assert journal.resend_unknown_with_evidence() == 1
    assert [row(journal, n).state for n in (2, 4)] == [UNKNOWN, PENDING]
    listener.close()


class FullDisk:
    """A listener's connection whose next status write fails as on a full disk (a corner no real disk in a
    test reaches on cue); everything else goes to the real connection."""

    def __init__(self, real: sqlite3.Connection) -> None:
        self.real = real

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    def execute(self, statement: str, *parameters: Any) -> Any:
        if statement.startswith("UPDATE lines SET state"):
            raise sqlite3.OperationalError("database or disk is full")
        return self.real.execute(statement, *parameters)


def test_a_listener_whose_status_write_failed_proves_nothing_about_lines_sent_before(
    journal: Journal, clock: Callable[[float], None]
) -> None:
    listener = listener_at(journal.path, clock, 0, max_silence=6)
    sent(journal, clock, 10, 1)
    hears(listener, clock, 11, 1)
    sent(journal, clock, 20, 2)
    unknown(journal, 2)
    for moment in (14, 17, 20):  # up throughout, by its heartbeats
        clock(moment)
        listener.heartbeat()
    real, listener._db = listener._db, FullDisk(listener._db)  # type: ignore[assignment]
    clock(21)
    with pytest.raises(JournalWriteError, match="disk is full"):  # line 2's status, answered 200 and lost
        listener.record_status(line_number=2, message_id="wamid.2", status="sent")
    listener._db = real
    clock(23)
    listener.heartbeat()
    sent(journal, clock, 25, 3)
    hears(listener, clock, 26, 3)
    assert journal.resend_unknown_with_evidence() == 0
    sessions = journal._db.execute("SELECT id, started_at, alive_at FROM listener_sessions ORDER BY id").fetchall()
    assert sessions == [(1, 11, 20), (2, 23, 26)]  # the failed write ended the first; no id used twice
    listener.close()


def test_a_wait_for_another_writer_longer_than_the_silence_allowed_ends_the_session(
    journal: Journal, clock: Callable[[float], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    listener = listener_at(journal.path, clock, 0, max_silence=6)
    sent(journal, clock, 10, 1)
    hears(listener, clock, 11, 1)
    sent(journal, clock, 12, 2)
    unknown(journal, 2)
    holder = sqlite3.connect(journal.path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    clock(13)
    beating = threading.Thread(target=listener.heartbeat)
    # The clock moves on only once the heartbeat has read it (an event, not a 0.3 s sleep a starved machine
    # could outlast: it would then read 300 and test nothing); its write then waits for the holder.
    read_the_clock = threading.Event()
    set_clock = journal_module.time.time

    def watched_clock() -> float:
        if threading.current_thread() is beating:
            read_the_clock.set()
        return set_clock()

    monkeypatch.setattr(journal_module.time, "time", watched_clock)
    beating.start()  # reads 13, then waits for the holder
    assert read_the_clock.wait(300), "the heartbeat never read the clock"  # a hang guard
    clock(300)  # the machine slept meanwhile: statuses sent to it failed, and wait in upstream's backoff
    holder.execute("COMMIT")
    beating.join(30)
    holder.close()
    sent(journal, clock, 301, 3)
    hears(listener, clock, 302, 3)
    assert journal.resend_unknown_with_evidence() == 0
    listener.close()


def test_two_listeners_up_at_once_prove_nothing(journal: Journal, clock: Callable[[float], None]) -> None:
    # Two listeners behind one URL: statuses are shared, and one may die with a line's.
    first = listener_at(journal.path, clock, 0, max_silence=6)
    second = listener_at(journal.path, clock, 0, max_silence=6)
    sent(journal, clock, 10, 1)
    hears(first, clock, 11, 1)
    clock(11.5)
    second.record_status(line_number=1, message_id="wamid.1", status="delivered")
    second.close()  # killed: line 2's status goes to it, and fails
    sent(journal, clock, 20, 2)
    unknown(journal, 2)
    for moment in (14, 18, 22):
        clock(moment)
        first.heartbeat()
    sent(journal, clock, 25, 3)
    hears(first, clock, 26, 3)
    assert journal.resend_unknown_with_evidence() == 0
    first.close()


def test_a_heartbeat_waits_for_another_writer_no_longer_than_told(
    journal: Journal, clock: Callable[[float], None]
) -> None:
    listener = listener_at(journal.path, clock, 0, max_silence=6)
    holder = sqlite3.connect(journal.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(JournalWriteError, match="locked"):
            listener.heartbeat(wait=0.2)
    finally:
        holder.execute("COMMIT")
        holder.close()
    assert listener._db.execute("PRAGMA busy_timeout").fetchone()[0] == STATUS_BUSY_TIMEOUT * 1000  # as it was
    listener.close()


def test_statuses_recorded_before_journals_kept_listener_sessions_prove_nothing(
    journal: Journal, clock: Callable[[float], None]
) -> None:
    sent(journal, clock, 100, 1)
    arrives(journal, clock, 150, 1)
    sent(journal, clock, 200, 2)
    unknown(journal, 2)
    sent(journal, clock, 300, 3)
    arrives(journal, clock, 350, 3)
    journal._db.execute("UPDATE lines SET first_status_session = NULL")  # as an earlier d360 left them
    assert journal.resend_unknown_with_evidence() == 0
    assert row(journal, 2).state == UNKNOWN


def test_an_older_journal_is_given_listener_sessions_when_next_opened(tmp_path: Path) -> None:
    for opener in (Journal, Journal.for_statuses):
        path = old_journal(
            tmp_path / f"old-{opener.__name__}.sqlite",
            "CREATE TABLE waiting_statuses (id INTEGER PRIMARY KEY, line_number INTEGER, message_id TEXT NOT NULL,"
            " status TEXT NOT NULL, code INTEGER, error TEXT, received_at REAL NOT NULL);"
            "INSERT INTO meta VALUES ('journal_id', 'abc');",
        )
        with opener(path) as journal:
            assert "listener_sessions" in journal._tables()
            assert not journal._missing_columns() and not journal._missing_waiting_columns()
            assert journal.record_status(line_number=4, message_id="wamid.4", status="sent") == "waiting"
            assert journal._db.execute("SELECT session FROM waiting_statuses").fetchone()[0] is not None
        with Journal(path, read_only=True) as report:  # a report reads it as a journal
            assert report.counts()[PENDING] == 0


def test_an_older_journal_is_given_the_first_arrival_column_when_next_opened_for_writing(tmp_path: Path) -> None:
    path = old_journal(
        tmp_path / "old.sqlite", "INSERT INTO lines VALUES (1, 'h', 'accepted', 'wamid.1', NULL, 1, 0, 0);"
    )
    with Journal(path) as journal:
        journal.record_status(line_number=1, message_id="wamid.1", status="sent")
        first, latest = first_status_at(journal, 1)
        assert first is not None and first == latest


# Statuses that come before their line.


def test_a_listener_started_first_makes_the_journal_and_the_run_keeps_its_id(tmp_path: Path) -> None:
    path = tmp_path / "later.sqlite"
    listener = Journal.for_statuses(path)  # nothing there yet: made, empty, with an id
    try:
        journal_id = listener.journal_id
        assert listener.record_status(line_number=3, message_id="wamid.3", status="sent") == "waiting"
        assert listener.record_status(line_number=3, message_id="wamid.3", status="read") == "waiting"
        assert listener.waiting_statuses() == 2
        with Journal(path) as run:
            run.fill("fingerprint", "input.jsonl", lines(5))
            assert run.journal_id == journal_id and run.callback_token(3) == f"d360:{journal_id}:3"
            record = row(run, 3)
            assert (record.state, record.message_id, record.delivery) == (ACCEPTED, "wamid.3", "read")
            assert run.waiting_statuses() == 0
        # Once the journal is filled, a token naming no line of it will never find one.
        assert listener.record_status(line_number=9, message_id="wamid.9", status="sent") == "unmatched"
        assert listener.waiting_statuses() == 0
    finally:
        listener.close()


def test_a_status_without_a_token_that_beats_its_lines_answer_waits_for_its_message_id(journal: Journal) -> None:
    journal.apply([(SENDING, 2)])
    # The line brought its own biz_opaque_callback_data, and its status came before the send's answer.
    assert journal.record_status(line_number=None, message_id="wamid.own", status="sent") == "waiting"
    journal.apply([("finish", 2, ACCEPTED, "wamid.own", None, True)])
    assert row(journal, 2).delivery is None
    journal.settle_by_status()
    assert (row(journal, 2).state, row(journal, 2).delivery) == (ACCEPTED, "sent")
    assert journal.waiting_statuses() == 0


def test_statuses_without_a_token_are_kept_only_as_the_newest_window(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(journal_module, "WAITING_WITHOUT_TOKEN", 3)
    for number in range(5):  # the number's other traffic: no line will ever match these
        assert journal.record_status(line_number=None, message_id=f"wamid.other{number}", status="sent") == "waiting"
    assert journal.waiting_statuses() == 3
    ids = [row[0] for row in journal._db.execute("SELECT message_id FROM waiting_statuses ORDER BY id")]
    assert ids == ["wamid.other2", "wamid.other3", "wamid.other4"]


@pytest.mark.parametrize("round_", range(20))
def test_a_run_and_listeners_opening_a_new_journal_at_once_agree_on_its_id(tmp_path: Path, round_: int) -> None:
    # Run many times: SQLite refused one of them at random ("database is locked") while the other
    # switched the new file to WAL, in about one round in thirty.
    path = tmp_path / "raced.sqlite"
    start = threading.Barrier(5)
    ids: list[str] = []
    failures: list[BaseException] = []

    def listen() -> None:
        try:
            start.wait()
            opened = Journal.for_statuses(path)
            ids.append(opened.journal_id)
            opened.close()
        except BaseException as exc:  # reported by the assertion below
            failures.append(exc)

    def run() -> None:
        try:
            start.wait()
            with Journal(path) as opened:
                opened.fill("fingerprint", "input.jsonl", lines(3))
                ids.append(opened.journal_id)
        except BaseException as exc:  # reported by the assertion below
            failures.append(exc)

    threads = [threading.Thread(target=listen) for _ in range(4)] + [threading.Thread(target=run)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failures == [] and len(ids) == 5 and len(set(ids)) == 1


# Statuses.


def test_a_status_records_its_code_and_error_and_finds_a_line_by_message_id(journal: Journal) -> None:
    journal.finish(4, ACCEPTED, message_id="wamid.4", match_by_id=True)
    journal.finish(3, ACCEPTED, message_id="wamid.3")  # sent with a d360 token: its statuses carry the line
    assert journal.record_status(line_number=None, message_id="wamid.3", status="sent") == "waiting"
    assert journal.record_status(line_number=None, message_id="wamid.4", status="failed", code=131047, error="late")
    record = row(journal, 4)
    assert (record.delivery, record.delivery_code, record.delivery_error) == ("failed", 131047, "late")
    assert journal.record_status(line_number=None, message_id="wamid.nope", status="sent") == "waiting"
    assert journal.record_status(line_number=99, message_id="wamid.99", status="sent") == "unmatched"  # filled: none
    assert journal.record_status(line_number=4, message_id="wamid.4", status="read") == "stale"
    assert journal.record_status(line_number=4, message_id="wamid.4", status="deleted") == "ignored"


def test_a_status_for_a_pending_line_accepts_it_with_its_message_id(journal: Journal) -> None:
    assert journal.record_status(line_number=5, message_id="wamid.5", status="sent") == "updated"
    record = row(journal, 5)
    assert (record.state, record.message_id, record.delivery, record.delivery_code) == (
        ACCEPTED,
        "wamid.5",
        "sent",
        None,
    )


HALF_EMOJI = "\ud83d"  # a lone surrogate: JSON carries it as an escape, the parser keeps it, UTF-8 cannot


def test_text_from_outside_with_a_lone_surrogate_is_kept_escaped_and_ids_still_match(tmp_path: Path) -> None:
    with Journal(tmp_path / "run.sqlite") as journal:
        # A file's name (os.fsdecode keeps bytes that are not UTF-8 as surrogates) and a line's problem.
        journal.fill("fp", f"camp{HALF_EMOJI}.jsonl", [*lines(3), (4, "h4", FAILED, f"invalid: {HALF_EMOJI}")])
        assert journal.meta()["input"] == "camp\\ud83d.jsonl" and row(journal, 4).error == "invalid: \\ud83d"
        # Upstream's answers: a message id and an error text holding one.
        journal.apply([("finish", 1, ACCEPTED, f"wamid.{HALF_EMOJI}", None, True),
                       ("finish", 2, FAILED, None, f"BadRequestError: bad {HALF_EMOJI}", False)])  # fmt: skip
        assert row(journal, 1).message_id == "wamid.\\ud83d" and row(journal, 2).error == "BadRequestError: bad \\ud83d"
        # Its statuses find the line by that id, and their error text is kept the same way.
        outcome = journal.record_status(
            line_number=None, message_id=f"wamid.{HALF_EMOJI}", status="failed", code=131026, error=f"x {HALF_EMOJI}"
        )
        assert outcome == "updated"
        assert (row(journal, 1).delivery, row(journal, 1).delivery_error) == ("failed", "x \\ud83d")
        # A status for a line sent with a d360 token, and one that waits for its line's answer.
        assert journal.record_status(line_number=3, message_id=f"wamid.3{HALF_EMOJI}", status="sent") == "updated"
        assert row(journal, 3).message_id == "wamid.3\\ud83d"
        journal.apply([(SENDING, 2)])
        waiting = journal.record_status(line_number=None, message_id=f"wamid.2{HALF_EMOJI}", status="read")
        assert waiting == "waiting"
        journal.finish(2, ACCEPTED, message_id=f"wamid.2{HALF_EMOJI}", match_by_id=True)
        journal.settle_by_status()
        assert (row(journal, 2).state, row(journal, 2).delivery) == (ACCEPTED, "read")


def test_text_the_journal_cannot_store_is_a_typed_error_never_a_bare_unicode_error(journal: Journal) -> None:
    # Every write goes through `storable`; should one ever not, the failure is still the journal's own error.
    with pytest.raises(JournalError, match=r"cannot write to the journal .*surrogates not allowed"):
        journal._write("UPDATE lines SET error = ? WHERE line_number = 1", (HALF_EMOJI,))
    with pytest.raises(JournalError, match=r"cannot write to the journal .*surrogates not allowed"), journal._writing():
        journal._db.execute("UPDATE lines SET error = ? WHERE line_number = 1", (HALF_EMOJI,))
    assert row(journal, 1).error is None


def test_the_funnel_counts_accepted_lines_by_delivery_and_failures_by_code(journal: Journal) -> None:
    for number in range(1, 6):
        journal.finish(number, ACCEPTED, message_id=f"wamid.{number}")
    journal.record_status(line_number=1, message_id="wamid.1", status="read")
    journal.record_status(line_number=2, message_id="wamid.2", status="delivered")
    for number in (3, 4):
        journal.record_status(line_number=number, message_id=f"wamid.{number}", status="failed", code=131047, error="e")
    assert journal.funnel() == {
        "accepted": 5,
        "delivery": {"no status": 1, "sent": 0, "delivered": 1, "read": 1, "failed": 2},
        "failures": [{"code": 131047, "error": "e", "lines": 2}],
    }


def test_the_callback_token_names_the_journal_and_the_line(journal: Journal, tmp_path: Path) -> None:
    token = journal.callback_token(7)
    assert token == f"d360:{journal.meta()['journal_id']}:7"
    with Journal(tmp_path / "other.sqlite") as other:
        other.fill("fingerprint", "input.jsonl", lines(1))
        assert other.callback_token(7) != token


# Opening.


def test_a_second_writer_is_refused_naming_the_holder(journal: Journal) -> None:
    since = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00"  # when the holder took it, in UTC
    with pytest.raises(JournalError) as caught:
        Journal(journal.path)
    holder = rf"pid {os.getpid()} on {re.escape(socket.gethostname())}, since {since}"
    assert re.fullmatch(
        rf"{re.escape(str(journal.path))} is in use by another run \({holder}\): wait for it to finish, or stop "
        "it; two runs on one journal could send a line twice",
        str(caught.value),
    )
    with Journal(journal.path, read_only=True) as reader:  # a report reads beside a run
        assert reader.counts()[PENDING] == 5


def test_read_only_refuses_a_missing_file_and_a_file_that_is_not_a_journal(tmp_path: Path) -> None:
    with pytest.raises(JournalError, match="no such journal"):
        Journal(tmp_path / "missing.sqlite", read_only=True)
    with sqlite3.connect(tmp_path / "other.sqlite") as db:
        db.execute("CREATE TABLE t (x)")
    with pytest.raises(JournalError, match="is not a d360 journal"):
        Journal(tmp_path / "other.sqlite", read_only=True)
    assert not (tmp_path / "missing.sqlite").exists()


def test_a_journal_deleted_under_a_run_stops_its_next_write(journal: Journal) -> None:
    journal.path.unlink()
    with pytest.raises(JournalError, match="deleted or replaced"):
        journal.apply([(SENDING, 1)])
    with pytest.raises(JournalError, match="deleted or replaced"):
        journal.mark_sending(1, 1)


def test_a_holder_that_has_not_written_its_name_yet_is_a_run_just_starting(tmp_path: Path) -> None:
    path = tmp_path / "run.sqlite"
    with open(f"{path}.lock", "a+") as starting:  # locked, but its holder has written nothing yet
        fcntl.flock(starting.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(JournalError, match=r"is in use by another run \(a run that is just starting\)"):
            Journal(path)


def test_a_lock_file_that_cannot_be_made_is_one_line_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "missing-folder" / "run.sqlite"
    with pytest.raises(JournalError) as caught:
        Journal(path)
    assert str(caught.value) == f"cannot create the lock file {path}.lock: No such file or directory"


def test_a_file_that_is_not_a_journal_is_refused_for_writing_and_left_alone(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE t (x)")
    with pytest.raises(JournalError) as caught:
        Journal(other)
    assert str(caught.value) == f"{other} is a SQLite database but not a d360 journal: name a new file"
    with sqlite3.connect(other) as db:
        assert {row[0] for row in db.execute("SELECT name FROM sqlite_master")} == {"t"}
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"not a database at all" * 100)
    with pytest.raises(JournalError) as caught:
        Journal(garbage)
    assert str(caught.value) == f"{garbage} is not a usable journal: file is not a database"
    assert _lock_is_free(other) and _lock_is_free(garbage)  # the failed opens let go of their locks


def _lock_is_free(path: Path) -> bool:
    with open(f"{path}.lock", "a+") as lock:
        try:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


def test_a_journal_can_be_used_from_another_thread(journal: Journal, tmp_path: Path) -> None:
    """The webhook receiver's handlers write statuses from a worker thread; a report can read from one."""
    found: list[object] = []
    with Journal(journal.path, read_only=True) as reader:
        worker = threading.Thread(
            target=lambda: found.extend(
                [journal.record_status(line_number=1, message_id="w", status="sent"), reader.counts()]
            )
        )
        worker.start()
        worker.join()
    assert found == ["updated", {**dict.fromkeys(STATES, 0), PENDING: 4, ACCEPTED: 1}]


def test_a_journal_from_before_delivery_tracking_reports_every_accepted_line_without_a_status(tmp_path: Path) -> None:
    path = old_journal(
        tmp_path / "old.sqlite",
        "INSERT INTO lines VALUES (1, 'h', 'accepted', 'wamid.1', NULL, 1, 0, 0);"
        "INSERT INTO lines VALUES (2, 'h', 'failed', NULL, 'e', 1, 0, 0);",
    )
    with Journal(path, read_only=True) as old:  # a report never migrates
        assert old.funnel() == {
            "accepted": 1,
            "delivery": {"no status": 1, "sent": 0, "delivered": 0, "read": 0, "failed": 0},
            "failures": [],
        }
        assert [(record.line_number, record.delivery) for record in old.records()] == [(1, None), (2, None)]


def test_the_states_to_send_include_unknown_lines_only_when_asked(journal: Journal) -> None:
    assert journal.states_to_send(resend_unknown=False) == (PENDING,)
    assert journal.states_to_send(resend_unknown=True) == (PENDING, UNKNOWN)


def test_a_changed_input_is_refused_in_words_that_name_both_fingerprints(tmp_path: Path) -> None:
    with Journal(tmp_path / "run.sqlite") as journal:
        journal.fill("a" * 64, "campaign.jsonl", lines(1))
        with pytest.raises(JournalError) as caught:
            journal.fill("b" * 64, "campaign.jsonl", lines(1))
        assert str(caught.value) == (
            f"{journal.path} was made from a different input (campaign.jsonl, fingerprint {'a' * 12}, now "
            f"{'b' * 12}): the file changed since the journal began. To finish that campaign, restore the "
            "original file and run again; to send more, put only the new lines in a new file with a new "
            "journal (a new journal for the changed file would send every line again)"
        )
        journal._db.execute("DELETE FROM meta WHERE key = 'input'")
        with pytest.raises(JournalError, match=r"different input \(\?, fingerprint a{12}, now b{12}\)"):
            journal.fill("b" * 64, "campaign.jsonl", lines(1))


def test_a_holder_gets_twenty_tries_25_ms_apart_to_write_its_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    slept: list[float] = []
    monkeypatch.setattr(journal_module.time, "sleep", slept.append)
    path = tmp_path / "run.sqlite"
    with open(f"{path}.lock", "a+") as starting:
        fcntl.flock(starting.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(JournalError, match="a run that is just starting"):
            Journal(path)
    assert slept == [0.025] * 20


def test_a_status_writer_opens_beside_a_run_and_reads_like_any_journal(journal: Journal) -> None:
    writer = Journal.for_statuses(journal.path)  # the run (the fixture) holds the lock: no matter
    try:
        assert writer.record_status(line_number=2, message_id="wamid.2", status="read") == "updated"
        assert [(record.line_number, record.delivery) for record in writer.records((ACCEPTED,))] == [(2, "read")]
        assert writer.funnel()["delivery"]["read"] == 1
        writer.check_still_here()
        journal.path.unlink()
        with pytest.raises(JournalError, match="deleted or replaced"):
            writer.check_still_here()
    finally:
        writer.close()


def test_a_status_writer_refuses_what_is_not_a_journal_in_words(tmp_path: Path) -> None:
    def words(path: Path) -> str:
        with pytest.raises(JournalError) as caught:
            Journal.for_statuses(path)
        return str(caught.value)

    assert words(tmp_path / "no-such-folder" / "run.sqlite").startswith(
        f"{tmp_path / 'no-such-folder' / 'run.sqlite'} is not a usable journal: unable to open"
    )
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE t (x)")
    assert words(other) == f"{other} is not a d360 journal"
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"not a database at all" * 100)
    assert words(garbage) == f"{garbage} is not a usable journal: file is not a database"
    with sqlite3.connect(other) as db:
        assert {row[0] for row in db.execute("SELECT name FROM sqlite_master")} == {"t"}  # left alone


def test_a_write_the_journal_refuses_says_which_journal_and_why(journal: Journal) -> None:
    with pytest.raises(JournalError) as caught:
        journal.finish(1, "lost")
    assert str(caught.value).startswith(f"cannot write to the journal {journal.path}: CHECK constraint failed")


def test_closing_a_journal_twice_is_harmless(tmp_path: Path) -> None:
    opened = Journal(tmp_path / "run.sqlite")
    opened.close()
    opened.close()
    with Journal(tmp_path / "run.sqlite"):  # the lock was let go
        pass
