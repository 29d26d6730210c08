"""Resending only on evidence: a line of unknown fate goes out again only when the journal shows statuses
reach it (a status arrived before it was sent, and statuses came for lines sent after it), and `d360
webhook listen --journal` started before the campaign. Real `d360 bulk` and `d360 webhook listen` subprocesses, a real sandbox, real journals."""

from __future__ import annotations

import asyncio
import collections
import json
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
from typing import Any

import httpx
import pytest

from d360 import sandbox
from d360.bulk.journal import Journal
from d360.sandbox import Faults
from d360.webhooks.payloads import delivery, status
from d360.webhooks.verify import sign
from tests.gates import gated_sandbox
from tests.servers import wait_for
from tests.test_bulk import (
    KEY,
    TO,
    bodies_received,
    bulk,
    journal_states,
    start_bulk,
    text_message,
    wait_for_accepted,
    write_jsonl,
)
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
    _, errors = listener.communicate(timeout=120)  # a hang guard: it stops at once
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


def first_arrival(journal: Path) -> float:
    """When the first status of the campaign reached the journal."""
    with sqlite3.connect(journal) as db:
        return float(db.execute("SELECT MIN(first_status_at) FROM lines").fetchone()[0])


def one_line_about_no_status(errors: str) -> str:
    lines = [line for line in errors.splitlines() if "stay unknown" in line]
    assert len(lines) == 1, errors
    return lines[0]


def test_a_resume_with_no_statuses_flowing_sends_no_unknown_line_again(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "campaign.jsonl", 600)
    journal = tmp_path / "campaign.sqlite"
    with gated_sandbox([KEY], faults=Faults(latency=0.02)) as (served, gate):  # no webhook URL: no status ever
        gate.hold_after(150)  # of 600: lines in flight and pending at the kill, however starved the test
        run = start_bulk(served.base_url, str(source), "--journal", str(journal), "--rate", "0", "--concurrency", "16",
                         "--timeout", "600")  # fmt: skip
        wait_for_accepted(journal, 100)
        run.send_signal(signal.SIGKILL)
        run.wait(120)  # a hang guard: SIGKILL is at once
        gate.open()
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
    # refused with a 500 (unknown: a 500 may hide a delivery) before that, once the first status had
    # arrived, are proved never accepted (statuses arrived before they were sent, and came for lines sent
    # after them); those after it have no proof and must not go out again.
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
        last_with_status = max(sent for _, delivery, sent in before.values() if delivery is not None and sent)
        proved = {line for line in unknown if first_arrival(journal) < (before[line][2] or 0) <= last_with_status}
        unproved = unknown - proved
        assert proved and unproved, (sorted(proved), sorted(unproved))
        first_received = bodies_received(served)
        served.sandbox.faults = Faults()
        resumed = bulk(served.base_url, str(source), "--journal", str(journal), "--await-statuses", "1")
        received = bodies_received(served)
    assert resumed.returncode == 4, resumed.stderr
    assert f"{len(proved)} never were (statuses arrived before they were sent and came for lines sent after them" \
           ", through one listener that stayed up throughout), and are sent again now" in resumed.stderr  # fmt: skip
    line = one_line_about_no_status(resumed.stderr)
    assert f"{len(unproved)} unknown lines stay unknown: no status webhook had reached the journal {journal} " \
           "before they were sent, or none came for lines sent after them" in line  # fmt: skip
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
        answer = httpx.post(url, content=body, headers={"x-360dialog-signature": sign(body, SECRET)}, timeout=300)
        assert answer.status_code == 200
        wait_for(lambda: rows(journal)[2][1] is not None, timeout=300)
        errors = stop_listener(listener)
    assert "statuses 1 updated" in errors and "failed on" not in errors, errors
    with sqlite3.connect(journal) as db:
        state, message_id, delivery_error = db.execute(
            "SELECT state, message_id, delivery_error FROM lines WHERE line_number = 2"
        ).fetchone()
    assert (state, message_id) == ("accepted", "wamid.2\\udc00")
    assert delivery_error.startswith("Message undeliverable \\ud83d")


class SlowToAnswer(sandbox.Sandbox):
    """Takes every message, but answers those of the lines in `slow` only after the client gave up waiting:
    upstream accepted them, and the client cannot know it (their fate is unknown)."""

    def __init__(self, slow: set[int]) -> None:
        super().__init__([KEY])
        self.slow = slow
        self._slow_ids: set[str] = set()

    def _accept(self, body: dict[str, Any], size: int) -> dict[str, Any]:
        answer = super()._accept(body, size)
        if int(body["text"]["body"].split()[1]) in self.slow:  # "line N"
            self._slow_ids.add(answer["messages"][0]["id"])
        return answer

    async def _messages(self, request: Any) -> Any:
        response = await super()._messages(request)
        if response.status_code == 200 and json.loads(response.body)["messages"][0]["id"] in self._slow_ids:
            await asyncio.sleep(15)  # the client's --timeout is 3 s
        return response


def redeliver(url: str, messages: list[sandbox.ReceivedMessage]) -> None:
    """Upstream's redelivery of each message's `sent` status, as it comes once the listener is back."""
    for message in messages:
        body = json.dumps(
            delivery(statuses=[status(message.message_id, "sent", TO, biz_opaque_callback_data=message.body[
                "biz_opaque_callback_data"])])
        ).encode()  # fmt: skip
        answer = httpx.post(url, content=body, headers={"x-360dialog-signature": sign(body, SECRET)}, timeout=300)
        assert answer.status_code == 200, answer.text


def test_statuses_redelivered_late_prove_nothing_for_lines_sent_before_they_arrived(tmp_path: Path) -> None:
    # The listener is down for the whole first run, and answers for lines 5, 15 and 25 are lost (upstream took
    # them). Once the listener is back, upstream redelivers the statuses it holds, each on its own backoff:
    # those of every other line have come, those of lines 5, 15 and 25 not yet. Lines sent before and after
    # them have statuses, but none had arrived when they went out: that proves nothing, and they stay unknown.
    source = write_jsonl(tmp_path / "campaign.jsonl", 30)
    journal = tmp_path / "campaign.sqlite"
    late = {5, 15, 25}
    served = sandbox.start(SlowToAnswer(late))
    try:
        first = bulk(served.base_url, str(source), "--journal", str(journal), "--timeout", "3",
                     "--concurrency", "4", "--rate", "0")  # fmt: skip
        assert first.returncode == 4, first.stderr
        assert {line for line, state in journal_states(journal).items() if state == "unknown"} == late
        wait_for(lambda: len(served.received()) == 30)
        by_line = {int(message.body["text"]["body"].split()[1]): message for message in served.received()}
        with listening(journal) as (listener, url):
            redeliver(url, [message for line, message in by_line.items() if line not in late])
            wait_for(lambda: sum(1 for _, delivery, _ in rows(journal).values() if delivery) == 27, timeout=300)
            resumed = bulk(served.base_url, str(source), "--journal", str(journal), "--await-statuses", "1")
            assert len(served.received()) == 30, "a line was sent twice"
            assert resumed.returncode == 4, resumed.stderr
            line = one_line_about_no_status(resumed.stderr)
            assert f"3 unknown lines stay unknown: no status webhook had reached the journal {journal} before" in line
            # Their redeliveries come at last: the next run settles them, and still sends nothing again.
            redeliver(url, [by_line[line] for line in sorted(late)])
            wait_for(lambda: all(delivery for _, delivery, _ in rows(journal).values()), timeout=300)
            settled = bulk(served.base_url, str(source), "--journal", str(journal), "--await-statuses", "1")
            stop_listener(listener)
        assert settled.returncode == 0, settled.stderr
        assert settled.stderr == ""  # their statuses made them accepted as they came: nothing left to wait for
        assert len(served.received()) == 30 and max(bodies_received(served).values()) == 1
        assert set(journal_states(journal).values()) == {"accepted"}
    finally:
        served.stop()


def test_lines_that_bring_their_own_callback_data_are_never_resent_on_evidence(tmp_path: Path) -> None:
    # Every line but the tenth ones brings its own biz_opaque_callback_data, so its statuses find it only by
    # the message id its answer holds. The answers of lines 15, 20, 25 and 35 are lost (upstream took them):
    # line 20 carries a d360 token, and its status settles it; the statuses of the others reach the journal
    # without finding them. The statuses of lines sent before and after them prove nothing for them:
    # sending them again would send them twice.
    source = tmp_path / "campaign.jsonl"
    with source.open("w") as stream:
        for index in range(1, 41):
            own = {} if index % 10 == 0 else {"biz_opaque_callback_data": f"order-{index}"}
            stream.write(json.dumps({**text_message(index), **own}) + "\n")
    journal = tmp_path / "campaign.sqlite"
    late = {15, 20, 25, 35}
    slow = SlowToAnswer(late)
    with listening(journal) as (listener, url):
        slow.webhooks.settings.url, slow.webhooks.settings.secret = url, SECRET
        served = sandbox.start(slow)
        try:
            first = bulk(served.base_url, str(source), "--journal", str(journal), "--timeout", "3",
                         "--concurrency", "4", "--rate", "20")  # fmt: skip
            assert first.returncode == 4, first.stderr
            assert served.sandbox.webhooks.wait_idle(60)
            wait_for(lambda: sum(1 for _, delivery, _ in rows(journal).values() if delivery) == 37, timeout=300)
            resumed = bulk(served.base_url, str(source), "--journal", str(journal), "--await-statuses", "1")
            received = bodies_received(served)
        finally:
            served.stop()
        stop_listener(listener)
    assert len(received) == 40 and max(received.values()) == 1, "a line was sent twice"
    assert resumed.returncode == 4, resumed.stderr
    assert "never were" not in resumed.stderr
    assert "waiting up to" not in resumed.stderr  # no status could settle them: nothing to wait for
    (line,) = [line for line in resumed.stderr.splitlines() if "left as they are" in line]
    assert line.startswith("bulk: 3 unknown lines are left as they are: sent without a d360 token")
    assert "stay unknown" not in resumed.stderr  # no other line of unknown fate is left
    states = journal_states(journal)
    assert {line for line, state in states.items() if state == "unknown"} == {15, 25, 35}
    assert states[20] == "accepted"  # its status came, lost answer or not


def test_what_the_wait_did_is_said_in_a_line_per_kind_of_line(capsys: pytest.CaptureFixture[str]) -> None:
    from d360.bulk.run import Settlement
    from d360.cli.bulk import _tell_settlement

    _tell_settlement(Settlement(4, settled=4, resent=0, kept=0, without_token=0, statuses_recorded=True), "j.sqlite")
    assert capsys.readouterr().err == "bulk: of 4 unknown lines, status webhooks showed 4 accepted\n"
    _tell_settlement(Settlement(9, settled=1, resent=2, kept=6, without_token=2, statuses_recorded=True), "j.sqlite")
    said = capsys.readouterr().err.splitlines()
    assert len(said) == 3
    assert said[0] == (
        "bulk: of 9 unknown lines, status webhooks showed 1 accepted; 2 never were (statuses arrived before they "
        "were sent and came for lines sent after them, through one listener that stayed up throughout), and are "
        "sent again now"
    )
    assert said[1].startswith("bulk: 2 unknown lines are left as they are: sent without a d360 token")
    assert said[2].startswith("bulk: 4 unknown lines stay unknown: no status webhook had reached the journal j.sqlite")
