"""Bulk sending: `send_many`, and `d360 bulk` as a real subprocess against the sandbox, crashes included."""

from __future__ import annotations

import asyncio
import collections
import csv
import itertools
import json
import os
import signal
import sqlite3
import subprocess
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import d360
from d360 import sandbox
from d360.bulk.input import BulkInput
from d360.sandbox import Faults
from tests.gates import ErrorLines, gated_sandbox
from tests.test_cli import D360

KEY = "bulk-key"
TO = "4915112345678"


def text_message(index: int, to: str = TO) -> dict[str, Any]:
    return {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to, "type": "text",
            "text": {"body": f"line {index}"}}  # fmt: skip


def write_jsonl(path: Path, count: int) -> Path:
    with path.open("w") as stream:
        for index in range(1, count + 1):
            stream.write(json.dumps(text_message(index)) + "\n")
    return path


def bodies_received(served: sandbox.RunningSandbox) -> collections.Counter[str]:
    return collections.Counter(message.body["text"]["body"] for message in served.received())


def journal_states(path: Path) -> dict[int, str]:
    with sqlite3.connect(path) as db:
        return dict(db.execute("SELECT line_number, state FROM lines").fetchall())


def bulk(base_url: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "D360_API_KEY": KEY, "D360_BASE_URL": base_url}
    return subprocess.run([D360, "bulk", *arguments], capture_output=True, text=True, env=environment,
                          timeout=300, check=False)  # fmt: skip


def start_bulk(base_url: str, *arguments: str) -> subprocess.Popen[str]:
    environment = {**os.environ, "D360_API_KEY": KEY, "D360_BASE_URL": base_url, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([D360, "bulk", *arguments], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=environment)  # fmt: skip


def wait_for_accepted(journal: Path, at_least: int, timeout: float = 300) -> None:
    """The timeout is a hang guard (it returns as soon as enough are accepted): 30 s was too short for a run
    to start on two cores starved by the suite's parallel workers and a CI run."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if journal.exists():
            try:
                if sum(1 for state in journal_states(journal).values() if state == "accepted") >= at_least:
                    return
            except sqlite3.OperationalError:
                pass
        time.sleep(0.05)
    raise AssertionError(f"fewer than {at_least} lines were accepted in {timeout}s")


# send_many, the Python API


@pytest.fixture
def served() -> Iterator[sandbox.RunningSandbox]:
    with sandbox.running(api_keys=[KEY]) as running:
        yield running


def test_send_many_yields_one_outcome_per_message_with_its_index(served: sandbox.RunningSandbox) -> None:
    batch = [text_message(index) for index in range(40)] + [{"not": "a message"}]
    with d360.Client(api_key=KEY, base_url=served.base_url) as client:
        outcomes = list(client.send_many(batch, concurrency=8))
    assert sorted(outcome.index for outcome in outcomes) == list(range(41))
    failed = [outcome for outcome in outcomes if not outcome.ok]
    assert [outcome.index for outcome in failed] == [40]
    assert isinstance(failed[0].error, d360.ValidationError)
    assert failed[0].attempts == 0
    for outcome in outcomes[:-1]:
        if outcome.ok:
            assert outcome.result is not None and outcome.result.message_id.startswith("wamid.")
    assert sorted(bodies_received(served)) == sorted(f"line {index}" for index in range(40))


async def test_async_send_many_yields_in_completion_order(served: sandbox.RunningSandbox) -> None:
    served.sandbox.faults = Faults(latency=0.0)
    async with d360.AsyncClient(api_key=KEY, base_url=served.base_url) as client:
        seen = [
            outcome.index
            async for outcome in client.send_many((text_message(index) for index in range(30)), concurrency=4)
        ]
    assert sorted(seen) == list(range(30))


async def test_send_many_keeps_at_most_concurrency_in_flight() -> None:
    in_flight = peak = 0

    class CountingTransport(__import__("httpx").AsyncBaseTransport):
        def __init__(self, inner: Any) -> None:
            self.inner = inner

        async def handle_async_request(self, request: Any) -> Any:
            nonlocal in_flight, peak
            in_flight += 1
            peak = max(peak, in_flight)
            try:
                await asyncio.sleep(0.01)
                return await self.inner.handle_async_request(request)
            finally:
                in_flight -= 1

    import httpx

    with sandbox.running(api_keys=[KEY]) as served:
        http = httpx.AsyncClient(transport=CountingTransport(httpx.AsyncHTTPTransport()))
        async with d360.AsyncClient(api_key=KEY, base_url=served.base_url, http_client=http) as client:
            outcomes = [
                outcome async for outcome in client.send_many([text_message(i) for i in range(60)], concurrency=5)
            ]
        await http.aclose()
    assert all(outcome.ok for outcome in outcomes)
    assert peak == 5


async def test_send_many_takes_a_plain_iterables_messages_only_as_workers_free_up(
    served: sandbox.RunningSandbox,
) -> None:
    # Each worker takes its next message itself: a message is taken only when it can be sent, so a
    # generator that reads a file or a database is never read ahead of the sends.
    ahead: list[int] = []

    def messages() -> Iterator[dict[str, Any]]:
        for index in range(50):
            ahead.append(index - len(served.received()))  # taken before, and not yet at the server
            yield text_message(index)

    async with d360.AsyncClient(api_key=KEY, base_url=served.base_url) as client:
        outcomes = [outcome async for outcome in client.send_many(messages(), concurrency=4)]
    assert sorted(outcome.index for outcome in outcomes if outcome.ok) == list(range(50))
    assert max(ahead) <= 4  # never more taken than can be in flight


def test_a_429_pauses_every_worker_for_retry_after() -> None:
    # Three requests a second allowed, then 429 with Retry-After: 1. Every worker must wait it out.
    with sandbox.running(api_keys=[KEY], faults=Faults(rate_limit=3)) as served:
        with d360.Client(api_key=KEY, base_url=served.base_url) as client:
            started = time.monotonic()
            outcomes = list(client.send_many([text_message(i) for i in range(9)], concurrency=9))
            elapsed = time.monotonic() - started
        received = sorted(message.received_at for message in served.received())
    assert all(outcome.ok for outcome in outcomes)
    assert elapsed >= 1.5  # at least two pauses of a second
    gaps = [later - earlier for earlier, later in itertools.pairwise(received)]
    # Sends come in bursts of three a second apart: nobody retried inside another worker's pause.
    assert sum(1 for gap in gaps if gap > 0.5) >= 2


async def test_a_throttling_answer_is_handed_to_on_throttled_which_may_give_the_message_up() -> None:
    # A pair rate limit concerns one recipient: bulk gives that message up (to put its line back) instead of
    # pausing every worker; other throttling answers pause as before, once the hook has heard them.
    from d360.concurrency import send_many
    from d360.errors import RateLimitError
    from tests.scripted_server import Reply, ok_reply, scripted_server

    heard: list[tuple[int, object, float]] = []

    def on_throttled(index: int, error: RateLimitError, pause: float) -> bool:
        heard.append((index, error.code, pause))
        return error.code == 131056

    with scripted_server() as server:
        pair = Reply(400, {"error": {"message": "pair rate limit", "code": 131056}})
        number = Reply(429, {"error": {"message": "throttled", "code": 130429}}, headers={"Retry-After": "0.2"})
        server.script(pair, number, ok_reply())
        async with d360.AsyncClient(api_key=KEY, base_url=server.base_url) as client:
            messages = [text_message(0), text_message(1)]
            outcomes = {o.index: o async for o in send_many(client, messages, concurrency=1, on_throttled=on_throttled)}
    assert heard[0][:2] == (0, 131056) and heard[1] == (1, 130429, 0.2)
    assert isinstance(outcomes[0].error, RateLimitError) and outcomes[0].attempts == 1  # given up, not retried
    assert outcomes[1].ok and outcomes[1].attempts == 2  # paused, then sent


# d360 bulk, the command


def test_invalid_lines_are_all_reported_before_anything_is_sent(served: sandbox.RunningSandbox, tmp_path: Path) -> None:
    source = tmp_path / "mixed.jsonl"
    lines = [json.dumps(text_message(1)), json.dumps(text_message(2, to="12")), "{oops", json.dumps(text_message(4))]
    source.write_text("\n".join(lines) + "\n")
    result = bulk(served.base_url, str(source), "--journal", str(tmp_path / "run.sqlite"))
    assert result.returncode == 2
    assert "line 2: $.to: must be a phone number" in result.stderr
    assert "line 3: not valid JSON" in result.stderr
    assert "2 of 4 lines are invalid; nothing was sent" in result.stderr
    assert served.received() == []
    skipped = bulk(served.base_url, str(source), "--journal", str(tmp_path / "run.sqlite"), "--skip-invalid")
    assert skipped.returncode == 1  # the invalid lines are recorded as failed
    assert sorted(bodies_received(served)) == ["line 1", "line 4"]
    assert journal_states(tmp_path / "run.sqlite") == {1: "accepted", 2: "failed", 3: "failed", 4: "accepted"}


def test_2000_messages_through_429s_and_500s_each_accepted_exactly_once(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "campaign.jsonl", 2000)
    journal = tmp_path / "campaign.sqlite"
    faults = Faults(rate_limit=500, server_error_rate=0.02, seed=11)
    with sandbox.running(api_keys=[KEY], faults=faults) as served:
        first = bulk(served.base_url, str(source), "--journal", str(journal), "--rate", "0", "--concurrency", "16")
        states = journal_states(journal)
        received = bodies_received(served)
        accepted = {line for line, state in states.items() if state == "accepted"}
        unknown = {line for line, state in states.items() if state == "unknown"}
        assert first.returncode == 4, first.stderr  # the 500s leave lines unknown: exit 4
        assert set(states.values()) <= {"accepted", "unknown"}
        assert 10 <= len(unknown) <= 80  # about 2% of 2000 answered 500, and were not retried
        assert all(count == 1 for count in received.values())
        assert set(received) == {f"line {line}" for line in accepted}

        # Upstream answered 500 for the unknown ones; here we know the sandbox refused them, so resend.
        served.sandbox.faults = Faults()
        second = bulk(served.base_url, str(source), "--journal", str(journal), "--rate", "0", "--resend-unknown")
        assert second.returncode == 0, second.stderr
        assert set(journal_states(journal).values()) == {"accepted"}
        received = bodies_received(served)
        assert sorted(received) == sorted(f"line {line}" for line in range(1, 2001))
        assert set(received.values()) == {1}


def test_kill_9_mid_run_then_resume_never_sends_a_line_twice(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "campaign.jsonl", 600)
    journal = tmp_path / "campaign.sqlite"
    concurrency = 8
    with gated_sandbox([KEY], faults=Faults(latency=0.03)) as (served, gate):
        # 150 of the 600 sends answered, the rest held until the kill: lines are in flight when it comes,
        # however long the test was starved (the run could finish first); its read timeout outlasts the hold.
        gate.hold_after(150)
        process = start_bulk(served.base_url, str(source), "--journal", str(journal), "--rate", "0",
                             "--concurrency", str(concurrency), "--timeout", "600")  # fmt: skip
        wait_for_accepted(journal, 100)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=120)  # a hang guard: SIGKILL is at once
        gate.open()
        in_flight_at_kill = [line for line, state in journal_states(journal).items() if state == "sending"]
        assert 0 < len(in_flight_at_kill) <= concurrency

        resumed = bulk(served.base_url, str(source), "--journal", str(journal), "--rate", "0")
        assert f"{len(in_flight_at_kill)} lines were being sent when the last run stopped" in resumed.stderr
        assert resumed.returncode == 4, resumed.stderr  # finished, with unknown lines
        states = journal_states(journal)
        received = bodies_received(served)

    assert set(states.values()) <= {"accepted", "failed", "unknown"}
    unknown = [line for line, state in states.items() if state == "unknown"]
    assert sorted(unknown) == sorted(in_flight_at_kill)
    assert len(unknown) <= concurrency
    assert max(received.values()) == 1, "a line arrived twice"
    accepted = {line for line, state in states.items() if state == "accepted"}
    # Every accepted line arrived; an unknown one arrived at most once (if the kill came after upstream took it).
    assert {f"line {line}" for line in accepted} <= set(received)
    assert set(received) - {f"line {line}" for line in accepted} <= {f"line {line}" for line in unknown}


def test_rate_limit_holds_within_ten_percent(served: sandbox.RunningSandbox, tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "paced.jsonl", 200)
    result = bulk(served.base_url, str(source), "--journal", str(tmp_path / "paced.sqlite"), "--rate", "60")
    assert result.returncode == 0, result.stderr
    times = sorted(message.received_at for message in served.received())
    # Leave out the initial burst (a tenth of a second's worth): measure the sustained rate.
    steady = times[10:]
    measured = (len(steady) - 1) / (steady[-1] - steady[0])
    assert 54 <= measured <= 66, f"{measured:.1f} messages a second at --rate 60"


def test_ctrl_c_finishes_in_flight_lines_and_sums_up(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "campaign.jsonl", 1000)
    journal = tmp_path / "campaign.sqlite"
    with gated_sandbox([KEY], faults=Faults(latency=0.05)) as (served, gate):
        gate.hold_after(100)  # of 1000: lines are still pending when Ctrl-C comes, however starved the test
        process = start_bulk(
            served.base_url, str(source), "--journal", str(journal), "--rate", "0", "--concurrency", "8",
            "--timeout", "600",
        )  # fmt: skip
        said = ErrorLines(process)
        wait_for_accepted(journal, 50)
        process.send_signal(signal.SIGINT)
        said.wait_for("bulk: stopping")  # taken in: only now may the held lines in flight finish
        gate.open()
        process.wait(timeout=120)  # a hang guard; what it prints to stdout is a few lines, never a full pipe
        assert process.stdout is not None
        output = process.stdout.read()
        errors = said.text()
        states = journal_states(journal)
        received = bodies_received(served)
    assert process.returncode == 130, errors
    assert "stopping: finishing the messages in flight" in errors
    assert "stopped early: interrupted" in output
    assert "sending" not in states.values()  # every in-flight line was recorded
    accepted = {line for line, state in states.items() if state == "accepted"}
    assert set(received) == {f"line {line}" for line in accepted}
    assert "pending" in states.values()


def test_a_journal_from_another_input_is_refused(served: sandbox.RunningSandbox, tmp_path: Path) -> None:
    journal = tmp_path / "run.sqlite"
    assert bulk(served.base_url, str(write_jsonl(tmp_path / "a.jsonl", 3)), "--journal", str(journal)).returncode == 0
    other = bulk(served.base_url, str(write_jsonl(tmp_path / "b.jsonl", 4)), "--journal", str(journal))
    assert other.returncode == 2
    assert "run.sqlite was made from a different input (a.jsonl" in other.stderr
    again = bulk(served.base_url, str(tmp_path / "a.jsonl"), "--journal", str(journal))
    assert again.returncode == 0
    assert len(served.received()) == 3  # the finished run sent nothing more


def test_csv_rows_fill_the_template(served: sandbox.RunningSandbox, tmp_path: Path) -> None:
    source = tmp_path / "people.csv"
    source.write_text("to,name,order\n+49 151 1111 1111,Anna,8812\n\n4915122222222,Ben,8813\n")
    # shipping_update (en) is one of the sandbox's own templates: two body parameters, as the CSV has.
    result = bulk(served.base_url, str(source), "--journal", str(tmp_path / "csv.sqlite"), "--template",
                  "shipping_update", "--language", "en")  # fmt: skip
    assert result.returncode == 0, result.stderr
    bodies = sorted((message.body for message in served.received()), key=lambda body: body["to"])
    assert bodies[0]["to"] == "4915111111111"
    assert bodies[0]["template"] == {
        "name": "shipping_update",
        "language": {"code": "en"},
        "components": [
            {"type": "body", "parameters": [{"type": "text", "text": "Anna"}, {"type": "text", "text": "8812"}]}
        ],
    }
    assert journal_states(tmp_path / "csv.sqlite") == {2: "accepted", 4: "accepted"}
    missing = bulk(served.base_url, str(source), "--journal", str(tmp_path / "x.sqlite"))
    assert missing.returncode == 2 and "needs --template NAME and --language CODE" in missing.stderr


def test_a_refused_api_key_stops_the_run_and_keeps_lines_pending(
    served: sandbox.RunningSandbox, tmp_path: Path
) -> None:
    source = write_jsonl(tmp_path / "a.jsonl", 50)
    environment = {**os.environ, "D360_API_KEY": "wrong-key", "D360_BASE_URL": served.base_url}
    result = subprocess.run([D360, "bulk", str(source), "--journal", str(tmp_path / "a.sqlite")], capture_output=True,
                            text=True, env=environment, timeout=60, check=False)  # fmt: skip
    assert result.returncode == 1
    assert "stopped early: upstream refused the run: HTTP 401" in result.stdout
    assert set(journal_states(tmp_path / "a.sqlite").values()) == {"pending"}


def test_report_counts_states_and_lists_failures(served: sandbox.RunningSandbox, tmp_path: Path) -> None:
    source = tmp_path / "mixed.jsonl"
    source.write_text(json.dumps(text_message(1)) + "\n" + json.dumps(text_message(2, to="12")) + "\n")
    bulk(served.base_url, str(source), "--journal", str(tmp_path / "r.sqlite"), "--skip-invalid")
    out = tmp_path / "report.csv"
    result = subprocess.run([D360, "bulk", "report", str(tmp_path / "r.sqlite"), "--csv", str(out)],
                            capture_output=True, text=True, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "  accepted  1" in result.stdout and "  failed    1" in result.stdout
    assert "line 2: failed: invalid: $.to: must be a phone number" in result.stdout
    rows = list(csv.DictReader(out.open()))
    assert [(row["line_number"], row["state"]) for row in rows] == [("1", "accepted"), ("2", "failed")]
    assert rows[0]["message_id"].startswith("wamid.")


def test_reading_the_input_streams(tmp_path: Path) -> None:
    def peak_while_reading(count: int) -> int:
        source = write_jsonl(tmp_path / f"{count}.jsonl", count)
        tracemalloc.start()
        for _ in BulkInput(source).lines():
            pass
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak

    small, large = peak_while_reading(1_000), peak_while_reading(20_000)
    assert large < small * 1.5 + 64_000, f"peak {small} bytes for 1,000 lines, {large} for 20,000"
