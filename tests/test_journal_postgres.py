"""What only the PostgreSQL journal has: its schema made by d360 (once, however many start at once), the
URL that names it, several campaigns in one schema, a run lock the server releases when its holder dies,
and `d360 bulk` / `d360 bulk report` on a postgresql:// journal against the sandbox. What it shares with
the SQLite journal is in tests/test_journal_backends.py."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from d360 import sandbox
from d360.bulk.journal import PENDING, SENDING, UNKNOWN, JournalError
from d360.bulk.journals import is_postgres_url, open_journal
from d360.bulk.postgres.migrations import migrate, migrations
from d360.bulk.postgres.queries import parse_queries
from d360.bulk.protocol import is_shared
from tests.postgres import POSTGRES_URL, query, with_query
from tests.test_bulk import KEY, bodies_received, bulk, write_jsonl
from tests.test_cli import D360


def lines(count: int) -> list[tuple[int, str, str, str | None]]:
    return [(number, f"hash-{number}", PENDING, None) for number in range(1, count + 1)]


def test_concurrent_first_starts_create_the_schema_once(postgres_url: str, postgres_schema: str) -> None:
    starts = 8
    barrier = threading.Barrier(starts)
    failures: list[BaseException] = []

    def start() -> None:
        barrier.wait()
        try:
            open_journal(postgres_url).close()
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=start) for _ in range(starts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    applied = query(postgres_schema, "SELECT version, name FROM migrations ORDER BY version")
    assert applied == [(migration.version, migration.name) for migration in migrations()]
    assert query(postgres_schema, "SELECT count(*) FROM campaigns") == [(0,)]


def test_migrating_again_applies_nothing(postgres_url: str, postgres_schema: str) -> None:
    import psycopg

    open_journal(postgres_url).close()
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        assert migrate(connection, postgres_schema) == []
    assert len(query(postgres_schema, "SELECT version FROM migrations")) == len(migrations())


def test_migration_files_are_numbered_from_one_without_gaps() -> None:
    assert [migration.version for migration in migrations()] == list(range(1, len(migrations()) + 1))


def test_a_query_named_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="'counts' is named twice"):
        parse_queries("-- name: counts\nSELECT 1\n-- name: counts\nSELECT 2\n")
    with pytest.raises(ValueError, match="'empty' has no statement"):
        parse_queries("-- name: empty\n-- only a comment\n")


def test_a_journal_url_is_told_from_a_file() -> None:
    assert is_postgres_url("postgresql://127.0.0.1/test") and is_postgres_url("postgres://db.example/campaigns")
    assert not is_postgres_url("campaign.sqlite") and not is_postgres_url("/var/lib/d360/postgresql.sqlite")


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("postgresql://127.0.0.1/test?schema=Campaigns", "schema 'Campaigns' is not a name d360 can use"),
        ("postgresql://127.0.0.1/test?schema=x;drop", "is not a name d360 can use"),
        ("postgresql://127.0.0.1/test?campaign=a:b", "campaign id 'a:b' cannot be used"),
    ],
)
def test_a_bad_schema_or_campaign_in_the_url_is_named(url: str, problem: str) -> None:
    with pytest.raises(JournalError, match=problem):
        open_journal(url)


def test_an_unreachable_server_is_a_journal_error_without_the_password() -> None:
    with pytest.raises(JournalError, match=r"cannot use the journal postgresql://d360:\*\*\*@127.0.0.1:9/") as raised:
        open_journal("postgresql://d360:s3cret@127.0.0.1:9/test?connect_timeout=2")
    assert "s3cret" not in str(raised.value)


@pytest.mark.parametrize("password", ["s3cret", "p%40ss%3Aword", "a:b"])
def test_a_journal_url_is_shown_without_its_password(password: str) -> None:
    from d360.bulk.postgres.journal import DatabaseLocation

    shown = DatabaseLocation.parse(f"postgresql://d360:{password}@db.example:5433/campaigns?schema=spring").shown
    assert shown == "postgresql://d360:***@db.example:5433/campaigns?schema=spring"


def test_the_campaign_named_twice_differently_is_refused(postgres_url: str) -> None:
    with pytest.raises(JournalError, match="names campaign one and --campaign two"):
        open_journal(with_query(postgres_url, campaign="one"), campaign="two")


def test_campaigns_share_a_schema_and_a_report_names_the_one_it_reads(postgres_url: str) -> None:
    with open_journal(postgres_url) as first:
        first.fill("fingerprint-1", "first.jsonl", lines(3))
        first_id = first.journal_id
    with open_journal(postgres_url) as second:
        second.fill("fingerprint-2", "second.jsonl", lines(5))  # another input: another campaign
        second_id = second.journal_id
    assert first_id != second_id
    with open_journal(postgres_url) as again:  # the first input again: its campaign, not a new one
        assert again.fill("fingerprint-1", "first.jsonl", lines(3)) is False
        assert again.journal_id == first_id
    with pytest.raises(JournalError, match=f"holds 2 campaigns: name one with --campaign ID.*{second_id}"):
        open_journal(postgres_url, read_only=True)
    with open_journal(postgres_url, campaign=second_id, read_only=True) as report:
        assert report.counts()[PENDING] == 5 and report.meta()["input"] == "second.jsonl"


def test_a_campaign_named_by_the_user_keeps_its_id(postgres_url: str) -> None:
    with open_journal(postgres_url, campaign="spring-sale") as journal:
        journal.fill("fingerprint-1", "sale.jsonl", lines(2))
        assert journal.callback_token(2) == "d360:spring-sale:2"


HOLDER = """
import sys
from d360.bulk.journals import open_journal
journal = open_journal(sys.argv[1], campaign="c1")
journal.fill("fingerprint-1", "campaign.jsonl", [(n, f"hash-{n}", "pending", None) for n in range(1, 11)])
claimed = journal.claimed_lines(("pending",))
for _ in range(4):
    next(claimed)
journal.apply([("sending", 1), ("sending", 2)])
print("sending", flush=True)
sys.stdin.read()
"""


def test_two_workers_claim_different_lines(postgres_url: str) -> None:
    with open_journal(postgres_url, campaign="c1") as first, open_journal(postgres_url, campaign="c1") as second:
        assert is_shared(first) and is_shared(second)
        first.fill_with_messages(
            "fingerprint-1", "c.jsonl", [(n, f"h{n}", PENDING, None, {"n": n}) for n in range(1, 101)]
        )
        assert second.fill("fingerprint-1", "c.jsonl", lines(100)) is False  # joins: one campaign
        by_first = first.claimed_lines((PENDING,))
        by_second = second.claimed_lines((PENDING,))
        taken_first = [next(by_first) for _ in range(3)]
        taken_second = [next(by_second) for _ in range(3)]
        assert [number for number, _, _ in taken_first] == [1, 2, 3]
        assert taken_first[0][1] == {"n": 1}  # the message, kept in the journal
        assert min(number for number, _, _ in taken_second) > max(number for number, _, _ in taken_first)
        assert len(first.workers()) == 2 and first.worker != second.worker


def test_a_killed_workers_lines_in_flight_become_unknown_and_its_claims_go_back(postgres_url: str) -> None:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, postgres_url], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "sending\n"
        with open_journal(postgres_url, campaign="c1") as alive:
            assert alive.recover_interrupted() == 0  # the holder is up: its lines are its own
            assert alive.counts()[SENDING] == 2
            os.kill(holder.pid, signal.SIGKILL)
            holder.wait()
            # The server releases the dead worker's lock: its lines in flight become unknown, and the lines
            # it had claimed (all ten, one batch) but not sent are claimed here.
            taken: list[int] = []
            deadline = time.monotonic() + 30
            while not taken and time.monotonic() < deadline:  # until the server has seen the connection end
                taken = [number for number, _, _ in alive.claimed_lines((PENDING,))]
                time.sleep(0.02)
            assert taken == list(range(3, 11))
            assert alive.counts()[UNKNOWN] == 2 and alive.counts()[SENDING] == 0
            assert sorted(worker["ended"] or "running" for worker in alive.workers()) == ["died", "running"]
    finally:
        if holder.poll() is None:
            os.kill(holder.pid, signal.SIGKILL)
            holder.wait()


def test_bulk_on_a_postgresql_journal_sends_every_line_once_and_resumes(postgres_url: str, tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "campaign.jsonl", 40)
    with sandbox.running(api_keys=[KEY]) as served:
        done = bulk(served.base_url, str(source), "--journal", postgres_url, "--rate", "0", "--json")
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["counts"]["accepted"] == 40
        again = bulk(served.base_url, str(source), "--journal", postgres_url, "--rate", "0")
        assert again.returncode == 0, again.stderr
        received = bodies_received(served)
    assert received == {f"line {index}": 1 for index in range(1, 41)}
    tokens = {message.body["biz_opaque_callback_data"] for message in served.received()}
    with open_journal(postgres_url, read_only=True) as journal:
        assert tokens == {journal.callback_token(index) for index in range(1, 41)}


def test_bulk_report_reads_a_postgresql_journal_in_every_format(postgres_url: str, tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "campaign.jsonl", 6)
    with sandbox.running(api_keys=[KEY]) as served:
        assert bulk(served.base_url, str(source), "--journal", postgres_url, "--rate", "0").returncode == 0

    def report(*arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([D360, "bulk", "report", postgres_url, *arguments], capture_output=True, text=True,
                              timeout=120, check=False)  # fmt: skip

    text = report()
    assert text.returncode == 0, text.stderr
    assert f"journal {postgres_url} campaign " in text.stdout and "for campaign.jsonl" in text.stdout
    assert "accepted  6" in text.stdout
    assert "workers (1):" in text.stdout and "6 lines sent, last heartbeat 20" in text.stdout
    as_json = json.loads(report("--json").stdout)
    assert as_json["counts"]["accepted"] == 6 and as_json["input"] == "campaign.jsonl"
    (worker,) = as_json["workers"]
    assert (worker["lines_sent"], worker["state"], worker["host"]) == (6, "finished", socket.gethostname())
    rows = list(csv.DictReader(io.StringIO(report("--csv", "-").stdout)))
    assert [row["line_number"] for row in rows] == [str(index) for index in range(1, 7)]
    assert {row["state"] for row in rows} == {"accepted"}
    assert {(row["worker"], row["worker_host"], row["worker_pid"]) for row in rows} == {
        (str(worker["id"]), socket.gethostname(), str(worker["pid"]))
    }  # the worker that sent each line
    page = report("--html", "-").stdout
    assert page.startswith("<!doctype html>") and 'data-line-state="accepted">6<' in page
    assert "<h2>Workers</h2>" in page and f"<td>{socket.gethostname()}</td>" in page


def test_naming_a_campaign_of_a_sqlite_journal_is_refused(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "campaign.jsonl", 1)
    done = bulk("http://127.0.0.1:9", str(source), "--journal", str(tmp_path / "j.sqlite"), "--campaign", "c1")
    assert done.returncode == 2
    assert "--campaign names a campaign of a PostgreSQL journal" in done.stderr
