"""The journal's promises under a hostile world: killed while filling, shared by several runs, deleted
mid-run, pointed at the wrong file. Real `d360 bulk` subprocesses against the sandbox, real SQLite files."""

from __future__ import annotations

import asyncio
import signal
import socket
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

import d360
from d360 import sandbox
from d360.bulk.input import BulkInput
from d360.bulk.journal import Journal, JournalError
from d360.bulk.run import ValidationReport, prepare_journal
from d360.sandbox import Faults
from tests.gates import ErrorLines, gated_sandbox
from tests.test_bulk import KEY, bodies_received, bulk, journal_states, start_bulk, wait_for_accepted, write_jsonl
from tests.test_cli import D360
from tests.test_journal import old_journal


def wait_until(condition: Any, timeout: float = 300, what: str = "the condition") -> None:
    """Polls until `condition()`. The timeout is a hang guard, never a measure of speed (it returns as soon as
    the condition holds): 30 s was not enough for a run to start on two cores starved by the suite's parallel
    workers and a CI run."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError(f"{what} did not happen within {timeout}s")


def states_so_far(journal: Path) -> list[str]:
    """The journal's line states, or none while the run has not made it yet."""
    try:
        return list(journal_states(journal).values()) if journal.exists() else []
    except sqlite3.OperationalError:
        return []


# Filling: atomic, so however a run dies the next one sends every line.


def test_a_fill_that_fails_midway_commits_nothing_and_the_next_run_fills_it(tmp_path: Path) -> None:
    rows = [(number, f"hash{number}", "pending", None) for number in range(1, 12_001)]  # over two insert batches

    class DiskFull(Exception):
        pass

    def rows_then_a_full_disk() -> Any:
        yield from rows[:7_000]
        raise DiskFull

    with Journal(tmp_path / "run.sqlite") as journal, pytest.raises(DiskFull):
        journal.fill("fingerprint", "campaign.jsonl", rows_then_a_full_disk())
    with Journal(tmp_path / "run.sqlite") as journal:
        # Not even the fingerprint: nothing of the fill survived (the id is the journal's from its opening).
        assert set(journal.meta()) == {"journal_id"}
        assert journal.counts()["pending"] == 0
        assert journal.fill("fingerprint", "campaign.jsonl", rows) is True
        assert journal.counts()["pending"] == 12_000
        assert journal.fill("fingerprint", "campaign.jsonl", rows) is False  # filled once, then kept


def test_a_run_killed_while_filling_its_journal_resumes_with_every_line(tmp_path: Path) -> None:
    count = 150_000
    source = write_jsonl(tmp_path / "campaign.jsonl", count)
    journal = tmp_path / "campaign.sqlite"
    wal = tmp_path / "campaign.sqlite-wal"
    with sandbox.running(api_keys=["another-key"]) as served:  # refuses our key: a resume stops at once
        process = start_bulk(served.base_url, str(source), "--journal", str(journal))
        # The schema is a few KB of WAL; megabytes mean the lines are going in.
        wait_until(lambda: wal.exists() and wal.stat().st_size > 2 << 20, what="the journal filling")
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=120)  # a hang guard: SIGKILL is at once
        resumed = bulk(served.base_url, str(source), "--journal", str(journal))
    assert resumed.returncode == 1, resumed.stderr  # our key was refused: the run stopped, lines kept
    states = journal_states(journal)
    assert len(states) == count and set(states.values()) == {"pending"}


def test_a_journal_left_half_filled_by_an_older_d360_is_filled(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "campaign.jsonl", 5)
    bulk_input = BulkInput(source)
    with Journal(tmp_path / "old.sqlite") as journal:  # what the non-atomic fill left: a fingerprint, no lines
        journal._db.executemany(
            "INSERT INTO meta (key, value) VALUES (?, ?)",
            [("schema_version", "1"), ("input_fingerprint", bulk_input.fingerprint()), ("input", "campaign.jsonl")],
        )
    with Journal(tmp_path / "old.sqlite") as journal:
        prepare_journal(journal, bulk_input, ValidationReport(total=5, invalid=()))
        assert journal.counts()["pending"] == 5


def test_a_changed_input_is_refused_with_advice_that_cannot_duplicate(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "campaign.jsonl", 3)
    with sandbox.running(api_keys=[KEY]) as served:
        assert bulk(served.base_url, str(source), "--journal", str(tmp_path / "run.sqlite")).returncode == 0
        write_jsonl(source, 4)
        changed = bulk(served.base_url, str(source), "--journal", str(tmp_path / "run.sqlite"))
    assert changed.returncode == 2
    assert "restore the original file" in changed.stderr
    assert "put only the new lines in a new file with a new journal" in changed.stderr


# One writer: concurrent runs never send a line twice.


@pytest.mark.parametrize("runs", [2, 3])
def test_concurrent_runs_on_one_journal_never_send_a_line_twice(tmp_path: Path, runs: int) -> None:
    source = write_jsonl(tmp_path / "campaign.jsonl", 300)
    journal = tmp_path / "campaign.sqlite"
    with gated_sandbox([KEY], faults=Faults(latency=0.02)) as (served, gate):
        # Every send held until all runs but one have left: the one holding the journal cannot finish the
        # campaign before another starts (it did on a starved machine, and the late run found nothing to do).
        gate.hold_after(0)
        processes = [
            # Its sends are held for as long as the others take to leave: a read timeout longer than that.
            start_bulk(served.base_url, str(source), "--journal", str(journal), "--rate", "0", "--concurrency", "4",
                       "--timeout", "600")
            for _ in range(runs)
        ]  # fmt: skip
        wait_until(lambda: sum(process.poll() is not None for process in processes) >= runs - 1,
                   what="every run but one leaving")  # fmt: skip
        gate.open()
        results = [(process.wait(timeout=300), *process.communicate()) for process in processes]
        received = bodies_received(served)
    assert sorted(received) == sorted(f"line {line}" for line in range(1, 301))
    assert set(received.values()) == {1}, "a line was sent twice"
    codes = sorted(code for code, _, _ in results)
    assert codes == [0] + [2] * (runs - 1), results
    for code, _, errors in results:
        if code == 2:
            assert "campaign.sqlite is in use by another run (pid " in errors
            assert f"on {socket.gethostname()}, since " in errors
            assert errors.count("\n") == 1 and "Traceback" not in errors


def test_a_run_whose_owner_died_is_not_blocked(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "campaign.jsonl", 200)
    journal = tmp_path / "campaign.sqlite"
    with gated_sandbox([KEY], faults=Faults(latency=0.02)) as (served, gate):
        gate.hold_after(30)  # of 200: the run cannot finish (and remove its lock) before it is killed
        process = start_bulk(served.base_url, str(source), "--journal", str(journal), "--rate", "0")
        wait_for_accepted(journal, 20)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=120)  # a hang guard: SIGKILL is at once
        gate.open()
        assert (tmp_path / "campaign.sqlite.lock").exists()  # left behind, and no obstacle
        resumed = bulk(served.base_url, str(source), "--journal", str(journal), "--rate", "0")
    assert resumed.returncode in (0, 4), resumed.stderr
    assert "pending" not in journal_states(journal).values()


# A journal deleted or replaced under a run stops it before its next send.


@pytest.mark.parametrize("how", ["deleted", "replaced"])
def test_a_journal_deleted_or_replaced_mid_run_stops_the_run(tmp_path: Path, how: str) -> None:
    source = write_jsonl(tmp_path / "campaign.jsonl", 2000)
    journal = tmp_path / "campaign.sqlite"
    with gated_sandbox([KEY], faults=Faults(latency=0.02)) as (served, gate):
        gate.hold_after(60)  # of 2000: the run cannot finish before its journal goes, however starved the test
        process = start_bulk(
            served.base_url, str(source), "--journal", str(journal), "--rate", "0", "--concurrency", "4",
            "--timeout", "600",
        )  # fmt: skip
        wait_for_accepted(journal, 40)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{journal}{suffix}").unlink(missing_ok=True)
        if how == "replaced":
            journal.write_bytes(b"")
        sent_at_removal = len(served.received())
        gate.open()
        _, errors = process.communicate(timeout=120)  # a hang guard: it stops before its next send
        sent_after = len(served.received())
    assert process.returncode == 2, errors
    assert f"the journal {journal} was deleted or replaced during the run: stopped sending" in errors
    assert "Traceback" not in errors
    assert sent_after - sent_at_removal <= 4 + 1  # at most what was in flight, and no more lines started


# Exit codes a script can act on.


def test_lines_left_pending_by_an_unreachable_upstream_exit_3(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "campaign.jsonl", 3)
    with sandbox.running(api_keys=[KEY], faults=Faults(unavailable_rate=1.0)) as served:
        result = bulk(served.base_url, str(source), "--journal", str(tmp_path / "run.sqlite"), "--max-retries", "0")
    assert result.returncode == 3, result.stderr
    assert set(journal_states(tmp_path / "run.sqlite").values()) == {"pending"}


@pytest.mark.parametrize(
    ("counts", "stopped", "code"),
    [
        ({"pending": 0, "failed": 0, "unknown": 0}, None, 0),
        ({"pending": 0, "failed": 2, "unknown": 1}, None, 1),
        ({"pending": 5, "failed": 0, "unknown": 0}, "upstream refused the run: HTTP 401", 1),
        ({"pending": 3, "failed": 0, "unknown": 1}, None, 3),
        ({"pending": 0, "failed": 0, "unknown": 1}, None, 4),
        ({"pending": 3, "failed": 1, "unknown": 1}, "interrupted", 130),
    ],
)
def test_exit_codes_say_the_most_pressing_outcome(counts: dict[str, int], stopped: str | None, code: int) -> None:
    from d360.cli.bulk import bulk_exit_code

    assert bulk_exit_code({"accepted": 1, "sending": 0, **counts}, stopped) == code


# Reports and bad journals: refused in one line, never written to.


def test_report_on_a_file_that_is_not_a_journal_writes_nothing(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n" * 100)
    for path in (empty, text, tmp_path / "missing.sqlite"):
        result = subprocess.run([D360, "bulk", "report", str(path)], capture_output=True, text=True, check=False)
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith("d360: error: ") and "Traceback" not in result.stderr
    assert empty.stat().st_size == 0
    assert text.read_text() == "not a database\n" * 100


def test_bulk_refuses_a_sqlite_database_that_is_not_a_journal(tmp_path: Path) -> None:
    other = tmp_path / "app.sqlite"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE users (id INTEGER)")
    result = bulk("http://127.0.0.1:9", str(write_jsonl(tmp_path / "a.jsonl", 1)), "--journal", str(other))
    assert result.returncode == 2
    assert "is a SQLite database but not a d360 journal" in result.stderr
    with sqlite3.connect(other) as db:
        assert [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")] == ["users"]


def test_report_csv_to_an_unwritable_path_is_one_line(tmp_path: Path) -> None:
    with sandbox.running(api_keys=[KEY]) as served:
        bulk(served.base_url, str(write_jsonl(tmp_path / "a.jsonl", 1)), "--journal", str(tmp_path / "r.sqlite"))
    result = subprocess.run(
        [D360, "bulk", "report", str(tmp_path / "r.sqlite"), "--csv", str(tmp_path / "no" / "such" / "dir.csv")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert "cannot write" in result.stderr and "Traceback" not in result.stderr


# send_many: a failure anywhere ends the batch, never a hang.


def test_send_many_ends_when_every_worker_dies_on_its_hook(tmp_path: Path) -> None:
    from d360.concurrency import send_many

    async def run() -> None:
        with sandbox.running(api_keys=[KEY]) as served:
            async with d360.AsyncClient(api_key=KEY, base_url=served.base_url) as client:

                def broken_journal(outcome: Any) -> None:
                    raise JournalError("cannot write to the journal: database or disk is full")

                message = {
                    "messaging_product": "whatsapp",
                    "to": "4915112345678",
                    "type": "text",
                    "text": {"body": "x"},
                }
                outcomes = send_many(client, [message] * 1000, concurrency=4, after_send=broken_journal)
                with pytest.raises(JournalError, match="disk is full"):
                    async for _ in outcomes:
                        pass
                assert len(served.received()) <= 8  # the batch stopped; it did not go on sending

    asyncio.run(asyncio.wait_for(run(), timeout=120))  # a hang guard: the batch stops at once


def test_send_many_raises_a_bad_input_iterators_error_without_hanging(tmp_path: Path) -> None:
    def messages() -> Any:
        yield {"messaging_product": "whatsapp", "to": "4915112345678", "type": "text", "text": {"body": "x"}}
        raise OSError("the input file went away")

    with sandbox.running(api_keys=[KEY]) as served, d360.Client(api_key=KEY, base_url=served.base_url) as client:
        started = time.monotonic()
        with pytest.raises(OSError, match="went away"):
            list(client.send_many(messages(), concurrency=2))
        assert time.monotonic() - started < 60  # about a hang (it used to wait for ever), not about speed


@pytest.mark.parametrize("concurrency", [0, -1, 1001, 10**8, 2.5, True])
def test_send_many_refuses_a_concurrency_that_cannot_work(concurrency: Any) -> None:
    with d360.Client(api_key=KEY, base_url="http://127.0.0.1:9") as client, pytest.raises(d360.ConfigurationError):
        next(iter(client.send_many([], concurrency=concurrency)))


def test_sigterm_stops_a_run_whose_sends_hang(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "campaign.jsonl", 100)
    with gated_sandbox([KEY]) as (served, gate):
        gate.hold_after(0)  # every send hangs until the run is gone, however long the test takes to look
        process = start_bulk(served.base_url, str(source), "--journal", str(tmp_path / "run.sqlite"),
                             "--timeout", "600")  # fmt: skip
        said = ErrorLines(process)
        wait_until(lambda: "sending" in states_so_far(tmp_path / "run.sqlite"), what="a send under way")
        process.send_signal(signal.SIGTERM)
        # The second once the run has taken the first in (it says so): two sent before it could were taken
        # as one on a starved machine, and the run then waited for its sends.
        said.wait_for("bulk: stopping")
        process.send_signal(signal.SIGTERM)  # the second one leaves at once
        process.wait(timeout=120)  # a hang guard: it leaves at once
        errors = said.text()
    assert process.returncode == 130, errors
    assert "Traceback" not in errors


def test_filling_hashes_the_lines_a_run_reads(tmp_path: Path) -> None:
    """The journal is filled from `hashes()`, which skips parsing; a resumed run checks each line against
    it through `lines()`. The two must agree on every line number and hash, odd lines included."""
    source = tmp_path / "odd.jsonl"
    source.write_bytes(b'{"to": "1"}\r\n\n   \nnot json\n{"to": "\xc3\xa9"}\n{"to": "2"}')
    csv_source = tmp_path / "odd.csv"
    csv_source.write_text('to,name\n4915112345678,"two\nlines"\n\n4915112345679,Bo\n', encoding="utf-8")
    for bulk_input in (BulkInput(source), BulkInput(csv_source, template="t", language="en")):
        parsed = [(line.line_number, line.content_hash) for line in bulk_input.lines(validate=False)]
        assert list(bulk_input.hashes()) == parsed
        assert len(parsed) == (4 if bulk_input.path == source else 2)


def test_an_old_journals_state_index_is_dropped_when_it_is_next_written(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    with Journal(path) as journal:
        journal._db.execute("CREATE INDEX lines_by_state ON lines (state, line_number)")
    with Journal(path):
        pass
    with sqlite3.connect(path) as db:
        names = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "lines_by_state" not in names and "lines_matched_by_id" in names


def test_an_old_journals_lines_stay_found_by_message_id_and_its_full_index_is_dropped(tmp_path: Path) -> None:
    path = old_journal(  # as d360 made a journal before only some lines were indexed
        tmp_path / "old.sqlite",
        "ALTER TABLE lines ADD COLUMN delivery TEXT; ALTER TABLE lines ADD COLUMN delivery_code INTEGER;"
        "ALTER TABLE lines ADD COLUMN delivery_error TEXT; ALTER TABLE lines ADD COLUMN delivery_at REAL;"
        "CREATE INDEX lines_by_message_id ON lines (message_id); INSERT INTO meta VALUES ('input_fingerprint', 'f');"
        "INSERT INTO lines (line_number, content_hash, state, message_id, created_at, updated_at) VALUES "
        "(1, 'h1', 'accepted', 'wamid.1', 0, 0), (2, 'h2', 'pending', NULL, 0, 0);",
    )
    with Journal(path) as journal:
        assert journal.record_status(line_number=None, message_id="wamid.1", status="read") == "updated"
    with sqlite3.connect(path) as db:
        names = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        flags = dict(db.execute("SELECT line_number, match_by_id FROM lines").fetchall())
    assert "lines_by_message_id" not in names and "lines_matched_by_id" in names
    assert flags == {1: 1, 2: None}  # a line sent before may have no token in its statuses: found by its id


def test_a_bulk_run_tunes_the_cycle_collector_and_puts_it_back(monkeypatch: pytest.MonkeyPatch) -> None:
    # Start-up's objects frozen out of the collector's sight, young ones collected less often: about a
    # tenth of a run's CPU (make bench). A library never touches this; the command owns its process.
    import gc

    from d360.cli import bulk as bulk_command

    seen: list[tuple[tuple[int, int, int], int]] = []

    def run(arguments: Any) -> int:
        seen.append((gc.get_threshold(), gc.get_freeze_count()))
        return 0

    monkeypatch.setattr(bulk_command, "_bulk", run)
    before = gc.get_threshold()
    assert bulk_command.run_bulk(None) == 0  # type: ignore[arg-type]
    ((thresholds, frozen),) = seen
    assert thresholds == (bulk_command.YOUNG_COLLECTION_EVERY, *before[1:]) and frozen > 1000
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
