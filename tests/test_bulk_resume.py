"""Resending only on evidence: a line of unknown fate goes out again only when the journal shows statuses
reach it (statuses for lines sent before and after it), and `d360 webhook listen --journal` started before
the campaign. Real `d360 bulk` and `d360 webhook listen` subprocesses, a real sandbox, real journals."""

from __future__ import annotations

import collections
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from d360 import sandbox
from d360.bulk.journal import Journal
from d360.sandbox import Faults
from d360.webhooks.verify import sign
from tests.servers import wait_for
from tests.test_bulk import KEY, bodies_received, bulk, journal_states, start_bulk, wait_for_accepted, write_jsonl
from tests.test_bulk_delivery import raw_failed_status
from tests.test_cli_webhook import readline

SECRET = "resume-secret-0123"


@contextmanager
def listening(journal: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """`d360 webhook listen --journal JOURNAL`, as an operator runs it; yields the process and its URL."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("D360_")}
    listener = subprocess.Popen(
        [sys.executable, "-m", "d360", "webhook", "listen", "--port", "0", "--secret", SECRET, "--journal", str(journal)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=environment,
    )  # fmt: skip
    try:
        url = re.search(r"receiving at (\S+)", readline(listener.stderr))
        assert url is not None, "the listener did not start"
        yield listener, url.group(1)
    finally:
        if listener.poll() is None:
            listener.send_signal(signal.SIGTERM)
            listener.wait(20)


def stop_listener(listener: subprocess.Popen[str]) -> str:
    listener.send_signal(signal.SIGTERM)
    _, errors = listener.communicate(timeout=20)
    assert listener.returncode == 0, errors
    return errors


def quiet(served: sandbox.RunningSandbox) -> None:
    """Until the sandbox has taken nothing new for half a second: requests a killed run left in flight land."""
    seen = -1
    deadline = time.monotonic() + 20
    while len(served.received()) != seen and time.monotonic() < deadline:
        seen = len(served.received())
        time.sleep(0.5)


def rows(journal: Path) -> dict[int, tuple[str, str | None, float | None]]:
    with sqlite3.connect(journal) as db:
        found = db.execute("SELECT line_number, state, delivery, sent_at FROM lines").fetchall()
    return {line: (state, delivery, sent) for line, state, delivery, sent in found}


def one_line_about_no_status(errors: str) -> str:
    lines = [line for line in errors.splitlines() if "stay unknown" in line]
    assert len(lines) == 1, errors
    return lines[0]


def test_a_resume_with_no_statuses_flowing_sends_no_unknown_line_again(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "campaign.jsonl", 600)
    journal = tmp_path / "campaign.sqlite"
    with sandbox.running([KEY], faults=Faults(latency=0.02)) as served:  # no webhook URL: no status ever
        run = start_bulk(served.base_url, str(source), "--journal", str(journal), "--rate", "0", "--concurrency", "16")
        wait_for_accepted(journal, 100)
        run.send_signal(signal.SIGKILL)
        run.wait(30)
        quiet(served)
        at_kill = journal_states(journal)
        in_flight = {line for line, state in at_kill.items() if state == "sending"}
        pending = {line for line, state in at_kill.items() if state == "pending"}
        assert in_flight and pending
        resumed_at = time.time()
        resumed = bulk(served.base_url, str(source), "--journal", str(journal), "--await-statuses", "1")
        during_resume = {message.body["text"]["body"] for message in served.received()
                         if message.received_at >= resumed_at}  # fmt: skip
        received = bodies_received(served)
    assert resumed.returncode == 4, resumed.stderr
    line = one_line_about_no_status(resumed.stderr)
    assert (
        f"{len(in_flight)} unknown lines stay unknown: no status webhook reached the journal {journal} at all" in line
    )
    assert f"d360 webhook listen --journal {journal}" in line and "webhook URL" in line
    assert "Traceback" not in resumed.stderr
    # The resume sent the pending lines and nothing else; the lines of unknown fate were left alone.
    assert during_resume == {f"line {number}" for number in pending}
    assert max(received.values()) == 1, "a line arrived twice"
    states = journal_states(journal)
    assert {line for line, state in states.items() if state == "unknown"} == in_flight
    assert {line for line, state in states.items() if state != "unknown"} == set(states) - in_flight


def test_a_resume_sends_again_only_the_unknown_lines_statuses_prove_were_never_accepted(tmp_path: Path) -> None:
    # Statuses reach the journal for the first part of the campaign, then the listener dies. Lines upstream
    # refused with a 500 (unknown: a 500 may hide a delivery) before that are proved never accepted by the
    # statuses of lines sent before and after them; those after it have no proof and must not go out again.
    source = write_jsonl(tmp_path / "campaign.jsonl", 300)
    journal = tmp_path / "campaign.sqlite"
    faults = Faults(server_error_rate=0.06, seed=5)
    with (
        listening(journal) as (listener, url),
        sandbox.running([KEY], faults=faults, webhook_url=url, webhook_secret=SECRET) as served,
    ):
        run = start_bulk(served.base_url, str(source), "--journal", str(journal), "--rate", "150",
                         "--concurrency", "4")  # fmt: skip
        wait_for(lambda: served.sandbox.accepted_count >= 150, timeout=60)
        stop_listener(listener)  # statuses stop reaching the journal from here on
        _, first_errors = run.communicate(timeout=120)
        assert run.returncode == 4, first_errors
        before = rows(journal)
        unknown = {line for line, (state, _, _) in before.items() if state == "unknown"}
        with_status = [sent for _, delivery, sent in before.values() if delivery is not None and sent]
        proved = {line for line in unknown if min(with_status) <= (before[line][2] or 0) <= max(with_status)}
        unproved = unknown - proved
        assert proved and unproved, (sorted(proved), sorted(unproved))
        first_received = bodies_received(served)
        served.sandbox.faults = Faults()
        resumed = bulk(served.base_url, str(source), "--journal", str(journal), "--await-statuses", "1")
        received = bodies_received(served)
    assert resumed.returncode == 4, resumed.stderr
    assert f"{len(proved)} never were (statuses came for lines sent before and after them), and are sent" in (
        resumed.stderr
    )
    line = one_line_about_no_status(resumed.stderr)
    assert f"{len(unproved)} unknown lines stay unknown: no status webhook reached the journal {journal} for lines " \
           "sent both before and after them" in line  # fmt: skip
    assert max(received.values()) == 1, "a line arrived twice"
    for number in proved:  # refused with a 500 the first time, so sent once in all: by the resume
        assert (first_received[f"line {number}"], received[f"line {number}"]) == (0, 1)
    for number in unproved:
        assert received[f"line {number}"] == 0
    after = rows(journal)
    assert {line for line, (state, _, _) in after.items() if state == "unknown"} == unproved
    assert all(after[line][0] == "accepted" for line in proved)


def test_a_listener_started_before_the_campaign_records_every_lines_status(tmp_path: Path) -> None:
    journal = tmp_path / "later" / "campaign.sqlite"
    journal.parent.mkdir()
    source = write_jsonl(tmp_path / "campaign.jsonl", 80)
    assert not journal.exists()
    with listening(journal) as (listener, url):  # the natural order: the listener first, on no journal yet
        with sandbox.running([KEY], webhook_url=url, webhook_secret=SECRET) as served:
            result = bulk(served.base_url, str(source), "--journal", str(journal), "--concurrency", "8")
            assert result.returncode == 0, result.stderr
            assert served.sandbox.webhooks.wait_idle(60)
            with sqlite3.connect(journal) as db:
                wait_for(
                    lambda: db.execute("SELECT COUNT(*) FROM lines WHERE delivery = 'read'").fetchone()[0] == 80,
                    timeout=60,
                )
            received = bodies_received(served)
            given_up = served.sandbox.webhooks.stats.given_up
        errors = stop_listener(listener)
    assert len(received) == 80 and max(received.values()) == 1
    assert given_up == 0
    states = collections.Counter((state, delivery) for state, delivery, _ in rows(journal).values())
    assert states == {("accepted", "read"): 80}
    assert "statuses 240 updated" in errors and "foreign" not in errors, errors


def test_the_listener_records_a_status_holding_lone_surrogates_it_answered_200_for(tmp_path: Path) -> None:
    journal = tmp_path / "campaign.sqlite"
    with Journal(journal) as run:  # a run that sent line 2 and died before its answer came
        run.fill("fingerprint", "campaign.jsonl", [(n, f"h{n}", "pending", None) for n in (1, 2, 3)])
        run.mark_sending(2, 1)
        token = run.callback_token(2)
    body = raw_failed_status("wamid.2\udc00", token, "Message undeliverable \ud83d")
    with listening(journal) as (listener, url):
        answer = httpx.post(url, content=body, headers={"x-360dialog-signature": sign(body, SECRET)}, timeout=20)
        assert answer.status_code == 200
        wait_for(lambda: rows(journal)[2][1] is not None, timeout=20)
        errors = stop_listener(listener)
    assert "statuses 1 updated" in errors and "failed on" not in errors, errors
    with sqlite3.connect(journal) as db:
        state, message_id, delivery_error = db.execute(
            "SELECT state, message_id, delivery_error FROM lines WHERE line_number = 2"
        ).fetchone()
    assert (state, message_id) == ("accepted", "wamid.2\\udc00")
    assert delivery_error.startswith("Message undeliverable \\ud83d")
