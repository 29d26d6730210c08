"""Many senders, one campaign: `d360 bulk` workers (real subprocesses) sharing a PostgreSQL journal against
the sandbox, which counts what it received. Every line is sent once however many workers share it, a worker
needs no copy of the input, a filling killed midway leaves nothing, a worker killed mid-run leaves its
lines in flight `unknown` and the rest to the others, and a worker that loses its database connection
stops sending."""

from __future__ import annotations

import collections
import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from d360 import sandbox
from d360.bulk.journals import open_journal
from d360.bulk.protocol import is_shared
from d360.bulk.run import rate_bucket_key
from d360.sandbox import Faults
from d360.webhooks import JournalSink
from d360.webhooks.events import StatusUpdate
from tests.gates import gated_sandbox
from tests.postgres import POSTGRES_URL, query, with_query
from tests.scripted_server import Reply, ok_reply, scripted_server
from tests.test_bulk import KEY, bodies_received, bulk, start_bulk, write_jsonl
from tests.test_bulk_delivery import FAST_RETRIES, SECRET
from tests.test_cli import D360

WAIT = 300.0
"""Seconds a test waits for a state it brings about: a hang guard, never a measure of speed (it passes as soon
as it sees it). 60 s was not enough on two cores starved by the suite's parallel workers and a CI run."""


def wait_for(what: str, check: object) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.02)
    raise AssertionError(f"{what}: not seen within {WAIT} s")


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


def states(schema: str) -> dict[int, str]:
    return {int(n): str(state) for n, state in query(schema, "SELECT line_number, state FROM lines")}  # type: ignore[call-overload]


@pytest.mark.parametrize("workers", [2, 3])
def test_workers_on_one_campaign_send_every_line_exactly_once(
    workers: int, postgres_url: str, postgres_schema: str, tmp_path: Path
) -> None:
    count = 240
    source = write_jsonl(tmp_path / "campaign.jsonl", count)
    with sandbox.running(api_keys=[KEY], faults=Faults(latency=0.01)) as served:
        arguments = ("--journal", postgres_url, "--rate", "0", "--concurrency", "4", "--json")
        running = [start_bulk(served.base_url, str(source), *arguments) for _ in range(workers)]
        results = [finish(process) for process in running]
        received = bodies_received(served)
    for returncode, _out, err in results:
        assert returncode == 0, err
    assert received == {f"line {index}": 1 for index in range(1, count + 1)}
    assert collections.Counter(states(postgres_schema).values()) == {"accepted": count}
    rows = query(postgres_schema, "SELECT ended, lines_sent FROM workers")
    assert len(rows) == workers and {ended for ended, _ in rows} == {"finished"}
    assert sum(int(sent) for _, sent in rows) == count  # type: ignore[call-overload]


def test_a_worker_with_no_file_sends_the_campaign_from_the_journal(
    postgres_url: str, postgres_schema: str, tmp_path: Path
) -> None:
    source = write_jsonl(tmp_path / "campaign.jsonl", 30)
    with sandbox.running(api_keys=[KEY]) as served:
        environment = {**os.environ, "D360_API_KEY": "not-the-key", "D360_BASE_URL": served.base_url}
        refused = subprocess.run([D360, "bulk", str(source), "--journal", postgres_url], capture_output=True,
                                 text=True, env=environment, timeout=120, check=False)  # fmt: skip
        assert refused.returncode != 0 and "upstream refused the run" in refused.stdout + refused.stderr
        assert served.received() == []
        source.unlink()  # the worker has no copy of the input
        joined = bulk(served.base_url, "--journal", postgres_url, "--rate", "0", "--json")
        received = bodies_received(served)
    assert joined.returncode == 0, joined.stderr
    assert json.loads(joined.stdout)["counts"]["accepted"] == 30
    assert received == {f"line {index}": 1 for index in range(1, 31)}


def test_with_no_file_a_sqlite_journal_is_refused(tmp_path: Path) -> None:
    done = bulk("http://127.0.0.1:9", "--journal", str(tmp_path / "campaign.sqlite"))
    assert done.returncode == 2 and "FILE is needed" in done.stderr


def test_a_filling_killed_midway_leaves_no_campaign(postgres_url: str, postgres_schema: str, tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "campaign.jsonl", 500)
    open_journal(postgres_url).close()  # the schema, made
    with sandbox.running(api_keys=[KEY]) as served:
        # The filling's COPY waits for a lock this test holds: the run is killed inside its fill transaction.
        with psycopg.connect(POSTGRES_URL) as blocker, psycopg.connect(POSTGRES_URL, autocommit=True) as watcher:
            blocker.execute(
                sql.SQL("LOCK TABLE {}.lines IN ACCESS EXCLUSIVE MODE").format(sql.Identifier(postgres_schema))
            )
            run = start_bulk(served.base_url, str(source), "--journal", postgres_url, "--rate", "0")
            copying: list[int] = []

            def filling() -> bool:
                # Only a COPY this test's lock holds up: another xdist worker's runs share the server.
                copying[:] = [pid for (pid,) in watcher.execute(
                    "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'COPY lines%%'"
                    " AND %s = ANY (pg_blocking_pids(pid))", (blocker.info.backend_pid,)
                )]  # fmt: skip
                return bool(copying)

            wait_for("the run filling its campaign", filling)
            os.kill(run.pid, signal.SIGKILL)
            run.wait()
            blocker.rollback()  # the lock goes: the killed run's backend finds its client gone
            wait_for("the killed run's transaction ending", lambda: not watcher.execute(
                "SELECT 1 FROM pg_stat_activity WHERE pid = ANY (%s)", (copying,)).fetchall())  # fmt: skip
        assert query(postgres_schema, "SELECT count(*) FROM campaigns") == [(0,)]
        assert query(postgres_schema, "SELECT count(*) FROM lines") == [(0,)]
        assert served.received() == []
        again = bulk(served.base_url, str(source), "--journal", postgres_url, "--rate", "0")
        assert again.returncode == 0, again.stderr
        assert bodies_received(served) == {f"line {index}": 1 for index in range(1, 501)}


def status(token: str | None, message_id: str, state: str = "delivered") -> StatusUpdate:
    return StatusUpdate(dedup_key=f"{message_id}:{state}", raw={}, message_id=message_id, status=state,
                        biz_opaque_callback_data=token)  # fmt: skip


def test_a_listener_on_the_database_settles_lines_of_every_campaign(postgres_url: str) -> None:
    with (
        open_journal(postgres_url, campaign="spring") as spring,
        open_journal(postgres_url, campaign="autumn") as autumn,
    ):
        spring.fill("fingerprint-1", "spring.jsonl", [(n, f"h{n}", "pending", None) for n in (1, 2)])
        autumn.fill("fingerprint-2", "autumn.jsonl", [(n, f"h{n}", "pending", None) for n in (1, 2)])
        spring.apply([("sending", 1), ("sending", 2)])
        autumn.apply([("sending", 1, True)])
        autumn.finish(1, "accepted", message_id="wamid.own", match_by_id=True)
        spring.finish(2, "unknown", error="timed out")
        first, second = JournalSink(postgres_url, heartbeat=None), JournalSink(postgres_url, heartbeat=None)
        try:
            assert first(status(spring.callback_token(1), "wamid.s1")) == "updated"
            assert second(status(spring.callback_token(2), "wamid.s2", "read")) == "updated"  # any listener
            assert first(status(None, "wamid.own", "read")) == "updated"  # by message id, in its campaign
            assert first(status("d360:elsewhere:1", "wamid.x")) == "foreign"  # another database's campaign
            assert first(status(None, "wamid.later")) == "waiting"
        finally:
            first.close()
            second.close()
        assert spring.counts()["accepted"] == 2 and spring.counts()["unknown"] == 0
        assert {record.line_number: record.delivery for record in spring.records()} == {1: "delivered", 2: "read"}
        assert [record.delivery for record in autumn.records() if record.line_number == 1] == ["read"]


def worker_of(schema: str, pid: int) -> tuple[int, int] | None:
    """(worker id, backend pid) of the worker that process `pid` is."""
    rows = query(schema, "SELECT id, backend_pid FROM workers WHERE pid = %s", pid)
    return (int(rows[0][0]), int(rows[0][1])) if rows else None  # type: ignore[call-overload]


def test_one_of_two_workers_killed_the_other_finishes_and_nothing_is_sent_twice(
    postgres_url: str, postgres_schema: str, tmp_path: Path
) -> None:
    count = 200
    source = write_jsonl(tmp_path / "campaign.jsonl", count)
    # A read timeout far beyond the time the gate holds sends: a line in flight ends only as the test says.
    arguments = ("--journal", postgres_url, "--rate", "0", "--concurrency", "4", "--timeout", "600")
    open_journal(postgres_url).close()  # the schema, made: the test looks into it from the start
    with gated_sandbox([KEY], faults=Faults(latency=0.1)) as (served, gate):
        # 20 of the 200 sends answered, the rest held: however long the survivor takes to start, the first
        # worker cannot have finished the campaign (it did once, on a starved machine: nothing left to kill).
        gate.hold_after(20)
        doomed = start_bulk(served.base_url, str(source), *arguments)
        wait_for("the first worker sending", lambda: worker_of(postgres_schema, doomed.pid) is not None and query(
            postgres_schema, "SELECT count(*) FROM lines WHERE state = 'accepted'") != [(0,)])  # fmt: skip
        survivor = start_bulk(served.base_url, str(source), *arguments)
        doomed_worker = worker_of(postgres_schema, doomed.pid)
        assert doomed_worker is not None
        in_flight = f"SELECT count(*) FROM lines WHERE claimed_by = {doomed_worker[0]} AND state = 'sending'"
        wait_for("the survivor joining, and the first worker with lines in flight",
                 lambda: worker_of(postgres_schema, survivor.pid) is not None and query(
                     postgres_schema, in_flight) != [(0,)])  # fmt: skip
        os.kill(doomed.pid, signal.SIGKILL)
        doomed.wait()
        gate.open()
        returncode, _out, err = finish(survivor)
        received = bodies_received(served)
    assert returncode in (0, 4), err  # 4: the dead worker's lines in flight are unknown
    final = states(postgres_schema)
    unknown = {number for number, state in final.items() if state == "unknown"}
    assert unknown and set(final.values()) == {"accepted", "unknown"}
    assert max(received.values()) == 1  # nothing twice
    assert {f"line {number}" for number, state in final.items() if state == "accepted"} <= set(received)
    dead = query(
        postgres_schema, "SELECT line_number FROM lines WHERE state = 'unknown' AND error LIKE 'interrupted%%'"
    )
    assert {int(n) for (n,) in dead} == unknown  # type: ignore[call-overload]
    ended = dict(query(postgres_schema, "SELECT pid, ended FROM workers"))
    assert ended == {doomed.pid: "died", survivor.pid: "finished"}
    # The dead worker's requests in flight never reached the sandbox (it counts a message once it has read it
    # whole), but upstream may have taken such a request: its status, from a listener writing to the same
    # database, settles the line.
    with open_journal(postgres_url, read_only=True) as journal:
        tokens = {number: journal.callback_token(number) for number in unknown}
    sink = JournalSink(postgres_url, heartbeat=None)
    try:
        outcomes = {sink(status(tokens[number], f"wamid.lost-{number}")) for number in unknown}
    finally:
        sink.close()
    assert outcomes == {"updated"}
    assert set(states(postgres_schema).values()) == {"accepted"}


def test_a_worker_that_loses_its_database_connection_stops_sending(
    postgres_url: str, postgres_schema: str, tmp_path: Path
) -> None:
    count = 400
    source = write_jsonl(tmp_path / "campaign.jsonl", count)
    open_journal(postgres_url).close()  # the schema, made: the test looks into it from the start
    with gated_sandbox([KEY], faults=Faults(latency=0.05)) as (served, gate):
        gate.hold_after(20)  # of 400: it cannot finish the campaign before it loses its connection
        worker = start_bulk(served.base_url, str(source), "--journal", postgres_url, "--rate", "0",
                            "--concurrency", "4", "--timeout", "600")  # fmt: skip
        wait_for("the worker sending", lambda: worker_of(postgres_schema, worker.pid) is not None and query(
            postgres_schema, "SELECT count(*) FROM lines WHERE state = 'accepted'") != [(0,)])  # fmt: skip
        found = worker_of(postgres_schema, worker.pid)
        assert found is not None
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (found[1],))
        gate.open()
        returncode, _out, err = finish(worker)
        received = bodies_received(served)
        marked = {
            int(n)
            for (n,) in query(  # type: ignore[call-overload]
                postgres_schema, "SELECT line_number FROM lines WHERE state IN ('sending', 'accepted', 'unknown')"
            )
        }
        assert returncode == 74, err
        assert "cannot write to the journal" in err
        # Every message the sandbox got was marked sending first; the rest were never sent.
        assert {f"line {number}" for number in marked} >= set(received)
        assert len(received) < count
        resumed = bulk(served.base_url, str(source), "--journal", postgres_url, "--rate", "0")
        assert resumed.returncode in (0, 4), resumed.stderr
        assert max(bodies_received(served).values()) == 1


def kill_mid_send(run: subprocess.Popen[str], schema: str) -> None:
    """SIGKILL the worker at a moment it has a line `sending` (stopped, looked at, killed)."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        run.send_signal(signal.SIGSTOP)
        if query(schema, "SELECT count(*) FROM lines WHERE state = 'sending'") != [(0,)]:
            run.send_signal(signal.SIGKILL)
            run.wait(30)
            return
        run.send_signal(signal.SIGCONT)
        time.sleep(0.005)
    raise AssertionError("the worker never had a line in flight")


def test_statuses_through_a_listener_on_the_database_settle_a_killed_workers_lines_across_runs(
    postgres_url: str, postgres_schema: str, tmp_path: Path
) -> None:
    source = write_jsonl(tmp_path / "campaign.jsonl", 300)
    environment = {key: value for key, value in os.environ.items() if not key.startswith("D360_")}
    # The real listener, started first, writing to the database every worker uses.
    listener = subprocess.Popen(
        [D360, "webhook", "listen", "--port", "0", "--secret", SECRET, "--journal", postgres_url],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=environment,
    )  # fmt: skip
    try:
        assert listener.stderr is not None
        url = re.search(r"receiving at (\S+)", listener.stderr.readline())
        assert url is not None, "the listener did not start"
        with gated_sandbox(
            [KEY], faults=Faults(latency=0.02), webhook_url=url.group(1), webhook_secret=SECRET, **FAST_RETRIES
        ) as (served, gate):
            gate.hold_after(150)  # of 300: it cannot finish the campaign before it is killed with lines in flight
            run = start_bulk(served.base_url, str(source), "--journal", postgres_url, "--concurrency", "16",
                             "--timeout", "600")  # fmt: skip
            wait_for("lines accepted", lambda: served.sandbox.accepted_count >= 120)
            kill_mid_send(run, postgres_schema)
            gate.open()
            # Another worker, with no FILE: the dead one's lines in flight are unknown; statuses settle them,
            # or prove them never accepted, and it sends the rest.
            resumed = bulk(served.base_url, "--journal", postgres_url, "--await-statuses", "15")
            assert served.sandbox.webhooks.wait_idle(60)
            sent = bodies_received(served)
    finally:
        listener.send_signal(signal.SIGTERM)
        listener.wait(20)
    assert resumed.returncode == 0, resumed.stderr
    assert collections.Counter(states(postgres_schema).values()) == {"accepted": 300}
    assert len(sent) == 300 and max(sent.values()) == 1  # every line once, none twice
    delivered = query(postgres_schema, "SELECT count(*) FROM lines WHERE delivery IS NOT NULL")
    assert delivered == [(300,)]  # every status reached the database through the one listener


def busiest_second(times: list[float]) -> int:
    """The most messages received within any one second."""
    times = sorted(times)
    busiest = start = 0
    for end, at in enumerate(times):
        while at - times[start] >= 1.0:
            start += 1
        busiest = max(busiest, end - start + 1)
    return busiest


def test_two_workers_share_one_rate(postgres_url: str, postgres_schema: str, tmp_path: Path) -> None:
    rate, count = 50, 200
    source = write_jsonl(tmp_path / "campaign.jsonl", count)
    with sandbox.running(api_keys=[KEY]) as served:
        arguments = ("--journal", postgres_url, "--rate", str(rate), "--concurrency", "8")
        running = [start_bulk(served.base_url, str(source), *arguments) for _ in range(2)]
        results = [finish(process) for process in running]
        received = served.received()
    for returncode, _out, err in results:
        assert returncode == 0, err
    assert len(received) == count and max(bodies_received(served).values()) == 1
    # Each worker alone keeps to the rate; together they would send twice as fast without the shared one.
    assert busiest_second([message.received_at for message in received]) <= rate + rate // 4
    assert len(query(postgres_schema, "SELECT 1 FROM workers WHERE lines_sent > 0")) == 2  # both sent


def throttled_reply(code: int, retry_after: str | None = None) -> Reply:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    status = 429 if retry_after is not None else 400
    return Reply(status, {"error": {"message": "throttled", "code": code}}, headers=headers)


@pytest.mark.parametrize("rate", ["50", "0"])  # lines at slots of the shared rate, or as fast as they go
def test_a_429_seen_by_one_worker_pauses_both(
    rate: str, postgres_url: str, postgres_schema: str, tmp_path: Path
) -> None:
    pause, count = 6.0, 160
    source = write_jsonl(tmp_path / "campaign.jsonl", count)
    with scripted_server() as server:
        # The 61st request is throttled: both workers are sending by then (each claims its own batch).
        server.script(*[ok_reply()] * 60, throttled_reply(130429, retry_after=str(int(pause))), ok_reply())
        arguments = ("--journal", postgres_url, "--rate", rate, "--concurrency", "4", "--no-health-check")
        running = [start_bulk(server.base_url, str(source), *arguments) for _ in range(2)]
        results = [finish(process) for process in running]
        requests = list(server.requests)
    for returncode, _out, err in results:
        assert returncode == 0, err
    assert collections.Counter(states(postgres_schema).values()) == {"accepted": count}
    throttled_at = requests[60].received_at
    # Requests already on their way when the 429 came may arrive just after it (generous margin); after
    # that, nothing from either worker until the pause is nearly over (margin again), then the rest.
    quiet = [r for r in requests if throttled_at + 2.0 < r.received_at < throttled_at + pause - 1.0]
    assert quiet == [], f"{len(quiet)} requests during the pause"
    after = [r for r in requests if r.received_at >= throttled_at + pause - 1.0]
    assert len(after) >= 40  # the rest of the campaign went out after the pause
    assert len(query(postgres_schema, "SELECT 1 FROM workers WHERE lines_sent > 0")) == 2  # both sent


def test_a_pair_rate_limit_puts_only_that_line_back_with_a_growing_wait(
    postgres_url: str, postgres_schema: str, tmp_path: Path
) -> None:
    count = 30
    source = write_jsonl(tmp_path / "campaign.jsonl", count)
    with scripted_server() as server:
        server.script(*[ok_reply()] * 5, throttled_reply(131056), ok_reply())
        arguments = ("--journal", postgres_url, "--rate", "0", "--concurrency", "1", "--no-health-check")
        done = bulk(server.base_url, str(source), *arguments)
        requests = list(server.requests)
    assert done.returncode == 0, done.stdout + done.stderr
    assert collections.Counter(states(postgres_schema).values()) == {"accepted": count}
    bodies = [r.json()["text"]["body"] for r in requests]
    limited = bodies[5]
    assert len(bodies) == count + 1 and bodies.count(limited) == 2  # that line alone was sent again
    first, second = (r.received_at for r in requests if r.json()["text"]["body"] == limited)
    others_between = [r for r in requests if first < r.received_at < second]
    assert len(others_between) == count - 6  # every other line went on meanwhile
    assert second - first >= 5.0  # its wait (6 s on the database's clock): no sooner, with a margin
    (pair_limits,) = query(postgres_schema, "SELECT pair_limits FROM lines WHERE pair_limits > 0")
    assert pair_limits == (1,)


def test_a_pair_rate_limits_wait_doubles_each_time(postgres_url: str, postgres_schema: str) -> None:
    with open_journal(postgres_url) as journal:
        assert is_shared(journal)
        journal.fill_with_messages(
            "f", "input", [(1, "h1", "pending", None, {"m": 1}), (2, "h2", "pending", None, {"m": 2})]
        )
        waits = []
        for _ in range(3):
            claimed = [number for number, _, _ in journal.claimed_lines(("pending",))]
            assert 1 in claimed
            journal.apply([("sending", number) for number in claimed])
            outcomes = [("finish", 1, "pending", None, "pair", False, True)]
            outcomes += [
                ("finish", number, "accepted", f"wamid.{number}", None, False) for number in claimed if number != 1
            ]
            journal.apply(outcomes)
            (wait,) = query(postgres_schema, "SELECT not_before - journal_now() FROM lines WHERE line_number = 1")
            waits.append(round(float(wait[0])))  # type: ignore[arg-type]
            assert list(journal.claimed_lines(("pending",))) == []  # it waits; nothing else is left
            assert journal.held_by_others(("pending",)) == 1  # a worker stays for it
            query(postgres_schema, "UPDATE lines SET not_before = journal_now() - 1 WHERE line_number = 1")
    assert waits == [6, 12, 24]


def test_campaigns_sent_from_one_number_share_one_bucket(postgres_url: str, postgres_schema: str) -> None:
    one, two = rate_bucket_key("http://127.0.0.1:1", "key-a"), rate_bucket_key("http://127.0.0.1:1/", "key-a")
    assert one == two != rate_bucket_key("http://127.0.0.1:1", "key-b")
    assert "key-a" not in one
    rate = 10.0
    with (
        open_journal(with_query(postgres_url, campaign="first")) as first,
        open_journal(with_query(postgres_url, campaign="second")) as second,
    ):
        for journal, fingerprint in ((first, "f1"), (second, "f2")):
            assert is_shared(journal)
            journal.fill_with_messages(fingerprint, "input", [(1, "h", "pending", None, {"m": 1})])
            journal.share_rate(one)
        start = first.reserve_slots(10, rate)
        after = second.reserve_slots(1, rate)  # the other campaign's slot comes after the first's ten
        assert after - start >= 10 / rate - 0.2
        first.pause(30)
        assert second.reserve_slots(1, rate) - time.monotonic() >= 25  # and after its pause
        assert second.apply([("sending", 1)]) == set() and second.take_paused() == [1]  # nothing marked
        assert query(postgres_schema, "SELECT state FROM lines WHERE campaign_id = 'second'") == [("pending",)]
    buckets = [key for (key,) in query(postgres_schema, "SELECT key FROM rate_buckets")]
    assert buckets == [one]  # one bucket, named by a hash: the key itself is never stored


def stop_with_a_batch_marked(run: subprocess.Popen[str], schema: str, concurrency: int) -> set[int]:
    """Stop the worker (SIGSTOP) at a moment it has more lines `sending` than requests in flight: a batch
    its claim marked, not all of it sent yet. Return those lines; the worker is left stopped."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        run.send_signal(signal.SIGSTOP)
        rows = query(schema, "SELECT line_number FROM lines WHERE state = 'sending'")
        if len(rows) > concurrency:
            return {int(n) for (n,) in rows}  # type: ignore[call-overload]
        run.send_signal(signal.SIGCONT)
        time.sleep(0.005)
    raise AssertionError("the worker never had a batch marked ahead of its requests")


def test_a_worker_killed_after_its_batch_was_marked_leaves_those_lines_unknown_never_sent_twice(
    postgres_url: str, postgres_schema: str, tmp_path: Path
) -> None:
    # A claim marks its whole batch `sending`, committed before any of it leaves: a worker killed then leaves
    # lines marked that it never sent. Nothing shows which of them left, so every one is unknown (settled
    # by statuses, or sent again on evidence), never pending: a second worker does not send them.
    count, concurrency = 150, 2
    source = write_jsonl(tmp_path / "campaign.jsonl", count)
    open_journal(postgres_url).close()  # the schema, made: the test looks into it from the start
    with sandbox.running(api_keys=[KEY], faults=Faults(latency=0.05)) as served:
        doomed = start_bulk(served.base_url, str(source), "--journal", postgres_url, "--rate", "0",
                            "--concurrency", str(concurrency))  # fmt: skip
        marked = stop_with_a_batch_marked(doomed, postgres_schema, concurrency)
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(30)
        sent_by_the_dead = bodies_received(served)
        resumed = bulk(served.base_url, "--journal", postgres_url, "--rate", "0", "--json")
        received = bodies_received(served)
    assert resumed.returncode == 4, resumed.stderr  # 4: lines of unknown fate are left
    final = states(postgres_schema)
    assert {number for number, state in final.items() if state == "unknown"} == marked
    assert {number for number, state in final.items() if state != "unknown"} == set(range(1, count + 1)) - marked
    assert set(final.values()) == {"accepted", "unknown"}
    assert max(received.values()) == 1  # nothing twice
    # The second worker sent none of the marked lines: only the dead one may have.
    assert {f"line {number}" for number in marked} & set(received) <= set(sent_by_the_dead)
    assert len({f"line {number}" for number in marked} - set(sent_by_the_dead)) > 0  # marked, never sent


def test_a_worker_stopped_hands_back_the_lines_its_claim_marked_and_did_not_send(
    postgres_url: str, postgres_schema: str, tmp_path: Path
) -> None:
    # Stopped cleanly (SIGTERM), a worker knows which of its marked lines never left: they go back to pending,
    # their mark not counted as an attempt, for the next run to send; none stays `sending`, none is unknown.
    count, concurrency = 150, 2
    source = write_jsonl(tmp_path / "campaign.jsonl", count)
    open_journal(postgres_url).close()  # the schema, made: the test looks into it from the start
    with sandbox.running(api_keys=[KEY], faults=Faults(latency=0.05)) as served:
        worker = start_bulk(served.base_url, str(source), "--journal", postgres_url, "--rate", "0",
                            "--concurrency", str(concurrency))  # fmt: skip
        stop_with_a_batch_marked(worker, postgres_schema, concurrency)
        worker.send_signal(signal.SIGTERM)
        worker.send_signal(signal.SIGCONT)
        returncode, _out, err = finish(worker)
        received = bodies_received(served)
        left = query(postgres_schema, "SELECT state, attempts, count(*) FROM lines GROUP BY 1, 2 ORDER BY 1, 2")
        resumed = bulk(served.base_url, str(source), "--journal", postgres_url, "--rate", "0")
        again = bodies_received(served)
    assert returncode != 0, err  # stopped before the end
    assert dict(((state, attempts), n) for state, attempts, n in left) == {  # type: ignore[misc]
        ("accepted", 1): len(received),
        ("pending", 0): count - len(received),
    }
    assert resumed.returncode == 0, resumed.stderr
    assert again == {f"line {index}": 1 for index in range(1, count + 1)}
    assert collections.Counter(states(postgres_schema).values()) == {"accepted": count}
