"""The journal protocol held to one suite on both backends: the SQLite journal (a file) and the PostgreSQL
one (a schema of its own on the test server, see tests/postgres.py). A behaviour cannot differ by backend
unnoticed: each test here runs on both."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from d360.bulk.journal import ACCEPTED, FAILED, PAGE_SIZE, PENDING, SENDING, UNKNOWN, JournalError
from d360.bulk.journals import open_journal
from d360.bulk.protocol import CampaignJournal


class Backend:
    """Where a test's journal lives, and how a run or a report opens it again: the same file, or the same
    campaign (`c1`) of the same schema."""

    def __init__(self, kind: str, location: str) -> None:
        self.kind = kind
        self.location = location

    def open(self) -> CampaignJournal:
        return open_journal(self.location, campaign="c1" if self.kind == "postgresql" else None)

    def open_report(self) -> CampaignJournal:
        return open_journal(self.location, campaign="c1" if self.kind == "postgresql" else None, read_only=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "sqlite":
        yield Backend("sqlite", str(tmp_path / "campaign.sqlite"))
    else:
        yield Backend("postgresql", request.getfixturevalue("postgres_url"))


def lines(count: int, *, failed: frozenset[int] = frozenset()) -> list[tuple[int, str, str, str | None]]:
    return [
        (
            number,
            f"hash-{number}",
            FAILED if number in failed else PENDING,
            "invalid: no 'to'" if number in failed else None,
        )
        for number in range(1, count + 1)
    ]


@pytest.fixture
def journal(backend: Backend) -> Iterator[CampaignJournal]:
    with backend.open() as opened:
        opened.fill("fingerprint-1", "campaign.jsonl", lines(5, failed=frozenset({5})))
        yield opened


def test_filling_records_every_line_and_ties_the_journal_to_its_input(backend: Backend) -> None:
    with backend.open() as journal:
        assert journal.fill("fingerprint-1", "campaign.jsonl", lines(3, failed=frozenset({2}))) is True
        assert journal.counts() == {PENDING: 2, SENDING: 0, ACCEPTED: 0, FAILED: 1, UNKNOWN: 0}
        meta = journal.meta()
        assert meta["input"] == "campaign.jsonl" and meta["input_fingerprint"] == "fingerprint-1"
        assert journal.callback_token(7) == f"d360:{meta['journal_id']}:7"
        journal_id = journal.journal_id
    with backend.open() as again:  # the same input again: nothing filled anew, the same id
        assert again.fill("fingerprint-1", "campaign.jsonl", lines(3)) is False
        assert again.journal_id == journal_id
        assert again.counts()[FAILED] == 1


def test_a_journal_from_another_input_is_refused(backend: Backend) -> None:
    with backend.open() as journal:
        journal.fill("fingerprint-1", "campaign.jsonl", lines(3))
    with backend.open() as again, pytest.raises(JournalError, match="different input"):
        again.fill("fingerprint-2", "campaign.jsonl", lines(4))


def test_a_filling_that_dies_midway_leaves_nothing_and_the_next_run_fills_it(backend: Backend) -> None:
    def dying() -> Iterator[tuple[int, str, str, str | None]]:
        yield from lines(100)
        raise KeyboardInterrupt  # as a Ctrl-C in the middle of a large input

    with backend.open() as journal, pytest.raises(KeyboardInterrupt):
        journal.fill("fingerprint-1", "campaign.jsonl", dying())
    with backend.open() as journal:
        assert journal.fill("fingerprint-1", "campaign.jsonl", lines(150)) is True
        assert journal.counts()[PENDING] == 150


def test_lines_to_send_come_in_order_across_pages(backend: Backend) -> None:
    count = PAGE_SIZE + 7
    with backend.open() as journal:
        journal.fill("fingerprint-1", "big.jsonl", lines(count, failed=frozenset({3})))
        journal.apply([(SENDING, 10), ("finish", 10, ACCEPTED, "wamid.10", None, False)])
        found = list(journal.lines_in((PENDING,)))
    assert [number for number, _, _ in found] == [n for n in range(1, count + 1) if n not in (3, 10)]
    assert found[0] == (1, "hash-1", 0)


def test_a_line_is_sending_then_has_its_outcome(journal: CampaignJournal) -> None:
    assert journal.apply([(SENDING, 1), (SENDING, 2, True)]) == set()
    assert journal.counts()[SENDING] == 2
    journal.apply([("finish", 1, ACCEPTED, "wamid.1", None, False), ("finish", 2, UNKNOWN, None, "timed out", True)])
    journal.apply([(SENDING, 3)])
    journal.finish(3, PENDING, error="ServerError: 503")
    assert journal.mark_sending(4, 1) is True
    journal.finish(4, FAILED, error="BadRequestError: 131026")
    records = {record.line_number: record for record in journal.records()}
    assert (records[1].state, records[1].message_id, records[1].attempts) == (ACCEPTED, "wamid.1", 1)
    assert (records[2].state, records[2].error) == (UNKNOWN, "timed out")
    assert (records[3].state, records[3].error, records[3].attempts) == (PENDING, "ServerError: 503", 1)
    assert records[4].state == FAILED
    assert [record.line_number for record in journal.records((FAILED, UNKNOWN))] == [2, 4, 5]
    assert journal.unknown_without_token() == 1  # line 2 brought its own biz_opaque_callback_data
    assert journal.unknown_no_status_can_settle() == 1  # ... and its answer, with the message id, was lost


def test_lines_a_dead_run_left_sending_become_unknown(backend: Backend) -> None:
    with backend.open() as journal:
        journal.fill("fingerprint-1", "campaign.jsonl", lines(3))
        journal.apply([(SENDING, 1), (SENDING, 2)])
        journal.finish(1, ACCEPTED, message_id="wamid.1")
    # the run died with line 2 in flight
    with backend.open() as journal:
        journal.fill("fingerprint-1", "campaign.jsonl", lines(3))
        assert journal.recover_interrupted() == 1
        states = {record.line_number: record.state for record in journal.records()}
    assert states == {1: ACCEPTED, 2: UNKNOWN, 3: PENDING}
    with backend.open_report() as report:
        assert report.counts()[UNKNOWN] == 1


def test_a_status_settles_its_line_and_delivery_only_moves_forward(journal: CampaignJournal) -> None:
    journal.apply([(SENDING, 1), (SENDING, 2)])
    journal.finish(1, ACCEPTED, message_id="wamid.1")
    assert journal.record_status(line_number=1, message_id="wamid.1", status="read") == "updated"
    assert journal.record_status(line_number=1, message_id="wamid.1", status="delivered") == "stale"
    assert journal.record_status(line_number=1, message_id="wamid.1", status="deleted") == "ignored"
    assert journal.record_status(line_number=99, message_id="wamid.99", status="sent") == "unmatched"
    # a status for a line whose outcome was lost: upstream took it
    assert journal.record_status(line_number=2, message_id="wamid.2", status="sent") == "updated"
    assert journal.has_status(2) and not journal.has_status(3)
    assert journal.mark_sending(2, 2) is False  # a status spoke for it: never sent again
    assert journal.apply([(SENDING, 2), (SENDING, 3)]) == {2}
    journal.finish(2, UNKNOWN, error="timed out")  # its try's outcome cannot undo what the status proved
    records = {record.line_number: record for record in journal.records()}
    assert (records[1].state, records[1].delivery) == (ACCEPTED, "read")
    assert (records[2].state, records[2].message_id, records[2].error) == (ACCEPTED, "wamid.2", None)
    assert journal.statuses_recorded()


def test_a_status_without_token_before_its_answer_waits_for_the_message_id(journal: CampaignJournal) -> None:
    journal.apply([(SENDING, 1, True)])
    assert journal.record_status(line_number=None, message_id="wamid.own", status="delivered") == "waiting"
    assert journal.waiting_statuses() == 1
    journal.finish(1, ACCEPTED, message_id="wamid.own", match_by_id=True)
    journal.settle_by_status()
    assert journal.waiting_statuses() == 0
    (record,) = [record for record in journal.records() if record.line_number == 1]
    assert (record.state, record.delivery) == (ACCEPTED, "delivered")
    assert journal.record_status(line_number=None, message_id="wamid.own", status="read") == "updated"


def test_the_funnel_counts_delivery_states_and_failures_by_code(journal: CampaignJournal) -> None:
    journal.apply([(SENDING, n) for n in (1, 2, 3, 4)])
    journal.apply([("finish", n, ACCEPTED, f"wamid.{n}", None, False) for n in (1, 2, 3, 4)])
    journal.record_status(line_number=1, message_id="wamid.1", status="read")
    journal.record_status(line_number=2, message_id="wamid.2", status="failed", code=131049, error="ecosystem")
    journal.record_status(line_number=3, message_id="wamid.3", status="failed", code=131049, error="ecosystem")
    funnel = journal.funnel()
    assert funnel["accepted"] == 4
    assert funnel["delivery"] == {"no status": 1, "sent": 0, "delivered": 0, "read": 1, "failed": 2}
    assert funnel["failures"] == [{"code": 131049, "error": "ecosystem", "lines": 2}]


def test_statuses_prove_an_unknown_line_never_accepted_only_with_statuses_before_and_after(
    journal: CampaignJournal,
) -> None:
    journal.apply([(SENDING, 1)])
    journal.finish(1, ACCEPTED, message_id="wamid.1")
    journal.record_status(line_number=1, message_id="wamid.1", status="sent")  # statuses were reaching it
    journal.apply([(SENDING, 2)])
    journal.finish(2, UNKNOWN, error="timed out")  # ... when line 2 left
    assert journal.resend_unknown_with_evidence() == 0  # nothing came after it yet: it may be on its way
    journal.apply([(SENDING, 3)])
    journal.finish(3, ACCEPTED, message_id="wamid.3")
    journal.record_status(line_number=3, message_id="wamid.3", status="sent")  # a line sent after it has one
    assert journal.resend_unknown_with_evidence() == 1
    (record,) = [record for record in journal.records() if record.line_number == 2]
    assert record.state == PENDING and "never accepted" in (record.error or "")


def test_outside_text_the_database_cannot_hold_is_kept_escaped(journal: CampaignJournal) -> None:
    journal.apply([(SENDING, 1)])
    journal.finish(1, FAILED, error="half an emoji \ud83d, a NUL \x00 byte")
    (record,) = [record for record in journal.records() if record.line_number == 1]
    assert record.error is not None and record.error.startswith("half an emoji \\ud83d, a NUL ")


def test_a_report_of_a_journal_that_is_not_there_is_refused(backend: Backend) -> None:
    with pytest.raises(JournalError):
        backend.open_report()
