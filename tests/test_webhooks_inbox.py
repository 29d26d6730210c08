"""The durable webhook inbox: persist, then answer, then process.

One shared suite for every inbox store (SQLite, PostgreSQL) and every de-duplication store (the dedup
part: add a factory to DEDUP_STORES to run it on yours); receivers under real servers; receiver
processes killed with SIGKILL and restarted; several receiver processes on one PostgreSQL store.
"""

from __future__ import annotations

import collections
import itertools
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from d360.bulk.journal import ACCEPTED, PENDING
from d360.bulk.journals import is_postgres_url, open_journal
from d360.webhooks import Deduplicator, DedupStore, Receiver, SQLiteDedupStore, parse
from d360.webhooks.inbox import InboxStore, NewEvent, open_inbox
from d360.webhooks.payloads import delivery, inbound, status
from tests.postgres import POSTGRES_URL, drop_schema, query, unreachable, with_query
from tests.servers import serving_asgi, serving_wsgi, wait_for

REPO = Path(__file__).resolve().parent.parent
CUSTOMER = "4915112345678"


# The shared store suite.


def _postgres_url(schema: str) -> str:
    reason = unreachable()
    if reason is not None:
        pytest.skip(reason)
    return with_query(POSTGRES_URL, schema=schema)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where an inbox lives: a SQLite file, or a fresh PostgreSQL schema (dropped afterwards)."""
    if request.param == "sqlite":
        yield str(tmp_path / "inbox.sqlite")
        return
    schema = f"d360_test_{os.urandom(6).hex()}"
    url = _postgres_url(schema)
    try:
        yield url
    finally:
        drop_schema(schema)


@pytest.fixture
def store(store_location: str) -> Iterator[InboxStore]:
    opened = open_inbox(store_location)
    yield opened
    opened.close()


def event(key: str, conversation: str | None = "c1", sent_at: float | None = 100.0) -> NewEvent:
    return NewEvent(key, conversation, sent_at, b"{}")


def test_a_new_event_is_stored_once_with_its_claim(store: InboxStore) -> None:
    assert store.put([event("a"), event("b", "c2")]) == [True, True]
    assert store.put([event("a"), event("c", "c3")]) == [False, True]  # a redelivery is not stored twice
    assert store.pending() == 3
    assert store.claim_keys(["a", "d"]) == [False, True]  # the dedup part sees the inbox's keys


def test_a_lease_keeps_an_event_from_others_until_it_runs_out(store: InboxStore) -> None:
    store.put([event("a", None)])
    (taken,) = store.claim("one", 10, lease=0.3)
    assert taken.dedup_key == "a" and taken.attempts == 0 and taken.step == 0
    assert store.claim("two", 10, lease=30) == []
    store.progress("one", "a", 1)
    wait_for(lambda: bool(store.claim("two", 10, lease=30)))  # "one" died: "two" takes it over
    assert store.done("one", "a") is False  # the lease is "two"'s now
    assert store.done("two", "a") is True
    assert store.pending() == 0 and store.claim("three", 10, lease=30) == []


def test_a_taken_over_event_starts_after_the_handlers_that_ended(store: InboxStore) -> None:
    store.put([event("a", None)])
    store.claim("one", 1, lease=0.2)
    store.progress("one", "a", 2)
    taken: list[Any] = []
    wait_for(lambda: bool(taken.extend(store.claim("two", 1, lease=30)) or taken))
    assert taken[0].step == 2


def test_one_conversation_is_handed_out_in_the_order_upstream_sent_it(store: InboxStore) -> None:
    store.put([event("late", "c1", 200.0), event("early", "c1", 100.0), event("other", "c2", 150.0)])
    taken = store.claim("one", 10, lease=30)
    assert [item.dedup_key for item in taken] == ["early", "other"]  # one per conversation, oldest first
    assert store.claim("two", 10, lease=30) == []  # c1 has an event in hand
    store.done("one", "early")
    assert [item.dedup_key for item in store.claim("two", 10, lease=30)] == ["late"]


def test_a_failure_is_retried_after_a_backoff_then_kept_dead_and_can_be_retried(store: InboxStore) -> None:
    store.put([event("a"), event("b", "c2")])
    store.claim("one", 10, lease=30)
    assert store.failed("one", "a", "RuntimeError: no", 0, max_attempts=3) == "retry"
    assert [item.dedup_key for item in store.claim("one", 10, lease=30)] == []  # not before its backoff
    assert store.failed("one", "b", "ValueError: bad", 0, max_attempts=1) == "dead"
    (dead,) = store.dead_letters()
    assert (dead.dedup_key, dead.error, dead.attempts, dead.state) == ("b", "ValueError: bad", 1, "dead")
    assert store.failed("one", "b", "again", 0, max_attempts=1) == "lost"  # no lease on it any more
    assert store.retry_dead() == 1
    assert store.dead_letters() == []
    (again,) = store.claim("two", 10, lease=30)
    assert again.dedup_key == "b" and again.attempts == 0


def test_forgetting_a_refused_delivery_lets_its_redelivery_in(store: InboxStore) -> None:
    assert store.put([event("a")]) == [True]
    store.forget(["a"])
    assert store.pending() == 0
    assert store.put([event("a")]) == [True]


# The de-duplication part, for every DedupStore (the Redis store adds its factory here).

DEDUP_STORES: dict[str, Callable[[Path], DedupStore]] = {
    "sqlite": lambda tmp_path: SQLiteDedupStore(tmp_path / "seen.sqlite"),
    "sqlite-inbox": lambda tmp_path: Deduplicator(str(tmp_path / "inbox.sqlite")).store,
}


@pytest.fixture(params=[*DEDUP_STORES, "postgresql"])
def dedup_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DedupStore]:
    if request.param != "postgresql":
        made = DEDUP_STORES[request.param](tmp_path)
        yield made
    else:
        schema = f"d360_test_{os.urandom(6).hex()}"
        url = _postgres_url(schema)
        made = Deduplicator(url).store
        try:
            yield made
        finally:
            getattr(made, "close", lambda: None)()
            drop_schema(schema)
        return
    getattr(made, "close", lambda: None)()


def test_a_dedup_store_claims_each_key_once_and_forgets(dedup_store: DedupStore) -> None:
    assert dedup_store.claim(["k1", "k2"]) == [True, True]
    assert dedup_store.claim(["k2", "k3"]) == [False, True]
    dedup_store.forget(["k2"])
    assert dedup_store.claim(["k2"]) == [True]


# Receivers in this process, under real servers.


def text(message_id: str, sent: float, sender: str = CUSTOMER) -> bytes:
    return json.dumps(
        delivery(messages=[inbound(sender, "text", {"body": message_id}, id=message_id, timestamp=sent)])
    ).encode()


def post(url: str, body: bytes) -> int:
    return httpx.post(url, content=body, headers={"content-type": "application/json"}, timeout=120).status_code


@contextmanager
def served(receiver: Receiver, how: str) -> Iterator[str]:
    if how == "asgi":
        with serving_asgi(receiver.asgi) as base:
            yield base + "/"
    else:
        receiver.wsgi.start()
        with serving_wsgi(receiver.wsgi) as base:
            yield base + "/"
        receiver.wsgi.close(timeout=5)


@pytest.mark.parametrize("how", ["asgi", "wsgi"])
def test_each_event_is_stored_before_the_200_and_handled_once(
    how: str, store_location: str, caplog: pytest.LogCaptureFixture
) -> None:
    handled: list[str] = []
    receiver = Receiver(store=store_location, poll_interval=0.05)
    receiver.on_message(lambda message: handled.append(message.id))
    with served(receiver, how) as url:
        bodies = [text(f"wamid.{n}", 1000 + n) for n in range(5)]
        for body in bodies + bodies:  # every delivery twice: upstream redelivers
            assert post(url, body) == 200
        wait_for(lambda: len(handled) == 5 and receiver.inbox is not None and receiver.inbox.pending() == 0)
    assert sorted(handled) == [f"wamid.{n}" for n in range(5)]
    assert receiver.stats.duplicates == 5


def test_a_handler_that_always_fails_ends_in_the_dead_letters_and_retry_replays_it(tmp_path: Path) -> None:
    path = tmp_path / "webhooks.sqlite"
    attempts: list[str] = []

    def broken(message: Any) -> None:
        attempts.append(message.id)
        raise RuntimeError("the CRM is down")

    receiver = Receiver(store=path, max_attempts=2, poll_interval=0.05)
    receiver.on_message(broken)
    with served(receiver, "asgi") as url:
        assert post(url, text("wamid.dead", 1000)) == 200
        wait_for(lambda: receiver.stats.dead == 1)  # the second attempt comes after its backoff (1 s)
    assert attempts == ["wamid.dead", "wamid.dead"]
    listed = subprocess.run(
        [sys.executable, "-m", "d360", "webhook", "dead-letters", "--store", str(path), "--json"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    (letter,) = [json.loads(line) for line in listed.stdout.splitlines()]
    assert letter["error"] == "RuntimeError: the CRM is down" and letter["attempts"] == 2
    assert letter["event"] == "IncomingMessage" and letter["dedup_key"] == parse(text("wamid.dead", 1000))[0].dedup_key
    replayed = subprocess.run(
        [sys.executable, "-m", "d360", "webhook", "dead-letters", "--store", str(path), "--retry"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert replayed.returncode == 0, replayed.stderr
    assert "1 dead letter" in replayed.stdout
    fixed: list[str] = []
    again = Receiver(store=path, poll_interval=0.05)
    again.on_message(lambda message: fixed.append(message.id))
    with served(again, "asgi"):
        wait_for(lambda: fixed == ["wamid.dead"])
    empty = subprocess.run(
        [sys.executable, "-m", "d360", "webhook", "dead-letters", "--store", str(path)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert empty.returncode == 0 and "no dead letters" in empty.stdout


def test_events_of_one_conversation_are_handled_in_the_order_upstream_sent_them(store_location: str) -> None:
    # Stored first (accept() stores, then the app's workers take them): 3 conversations, sent in an order
    # that is not the order they arrived in.
    loader = Receiver(store=store_location)
    sent = {}
    for number in range(15):
        sender = f"49151000000{number % 3}"
        at = 2000 - number  # each arrives before the ones upstream sent earlier
        body = text(f"wamid.o{number}", at, sender)
        sent[parse(body)[0].dedup_key] = (sender, at)
        assert loader.accept(body, {}).status == 200
    assert loader.inbox is not None
    loader.inbox.close()
    running: collections.Counter[str] = collections.Counter()
    order: dict[str, list[float]] = collections.defaultdict(list)
    overlaps: list[str] = []

    def handle(message: Any) -> None:
        running[message.from_] += 1
        if running[message.from_] > 1:
            overlaps.append(message.from_)
        order[message.from_].append(message.timestamp.timestamp())
        time.sleep(0.01)
        running[message.from_] -= 1

    receiver = Receiver(store=store_location, workers=4, poll_interval=0.05)
    receiver.on_message(handle)
    with served(receiver, "asgi"):
        wait_for(lambda: sum(len(times) for times in order.values()) == 15)
    assert overlaps == []
    assert all(times == sorted(times) for times in order.values()), order


# Receiver processes: killed, restarted, several on one store.


class Process:
    def __init__(self, tmp_path: Path, name: str, store: str, record: Path, *options: str) -> None:
        self.port_file = tmp_path / f"{name}.port"
        self.log = open(tmp_path / f"{name}.log", "wb")  # noqa: SIM115 - closed in stop() and kill()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.inbox_app", "--store", store, "--port-file", str(self.port_file),
             "--record", str(record), *options],
            cwd=REPO, stdout=subprocess.DEVNULL, stderr=self.log,
        )  # fmt: skip
        wait_for(lambda: self.port_file.exists() or self.process.poll() is not None, timeout=300)
        assert self.process.poll() is None, (tmp_path / f"{name}.log").read_text()
        self.url = f"http://127.0.0.1:{self.port_file.read_text()}/"

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self.log.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.close()


def records(path: Path) -> list[tuple[int, str, str]]:
    if not path.exists():
        return []
    return [(int(pid), what, key) for pid, what, key, _ in (line.split() for line in path.read_text().splitlines())]


@pytest.mark.parametrize("sink_first", [False, True], ids=["killed-before-handlers", "killed-after-the-sink"])
def test_a_receiver_killed_after_its_200s_leaves_every_event_to_the_next_and_the_sink_settles_once(
    tmp_path: Path, sink_first: bool, store_location: str
) -> None:
    # The journal and the inbox in one database (one SQLite file, or one PostgreSQL schema): one transaction
    # settles a line and marks its event.
    path = store_location if is_postgres_url(store_location) else str(tmp_path / "campaign.sqlite")
    count = 8
    with open_journal(path) as journal:
        journal.fill("fingerprint", "input.jsonl", [(n, f"hash{n}", PENDING, None) for n in range(1, count + 1)])
        for n in range(1, count + 1):
            journal.mark_sending(n, 1)
            journal.finish(n, ACCEPTED, message_id=f"wamid.s{n}")
        tokens = {n: journal.callback_token(n) for n in range(1, count + 1)}
    record = tmp_path / "record.txt"
    options = ["--journal", path, "--lease", "1", "--workers", "4"] + (["--sink-first"] if sink_first else [])
    first = Process(tmp_path, "first", path, record, "--block", *options)
    keys = []
    try:
        for n in range(1, count + 1):
            body = json.dumps(
                delivery(
                    statuses=[
                        status(
                            f"wamid.s{n}",
                            "delivered",
                            f"4915100000{n:02d}",
                            biz_opaque_callback_data=tokens[n],
                            timestamp=1000 + n,
                        )
                    ]
                )
            ).encode()
            keys.append(parse(body)[0].dedup_key)
            assert post(first.url, body) == 200
        # Its workers are all stuck in a handler (after the sink, when it runs first): the others are leased.
        wait_for(lambda: sum(what == "start" for _, what, _ in records(record)) == 4, timeout=300)
    finally:
        first.kill()
    before = records(record)
    second = Process(tmp_path, "second", path, record, *options)
    try:
        wait_for(lambda: sum(what == "end" for _, what, _ in records(record)) == count, timeout=60)
    finally:
        second.stop()
    sunk = collections.Counter(key for _, what, key in records(record) if what.startswith("sink:"))
    assert sunk == collections.Counter(keys)  # each status recorded in the journal exactly once, over both
    assert {what for _, what, _ in records(record) if what.startswith("sink:")} == {"sink:updated"}
    assert {key for pid, what, key in records(record) if what == "end"} == set(keys)
    if sink_first:
        assert sum(what.startswith("sink:") for _, what, _ in before) == 4  # the first did settle four
    if is_postgres_url(path):
        schema = path.rsplit("schema=", 1)[1].split("&")[0]
        assert query(schema, "SELECT DISTINCT delivery FROM lines") == [("delivered",)]
        assert query(schema, "SELECT DISTINCT state FROM inbox_events") == [("handled",)]
        return
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT DISTINCT delivery FROM lines").fetchall() == [("delivered",)]
        assert db.execute("SELECT DISTINCT state FROM inbox").fetchall() == [("handled",)]


@pytest.fixture
def shared_url() -> Iterator[str]:
    """A PostgreSQL inbox several receiver processes share (a fresh schema)."""
    schema = f"d360_test_{os.urandom(6).hex()}"
    url = _postgres_url(schema)
    try:
        yield url
    finally:
        drop_schema(schema)


def message_bodies(count: int, conversations: int = 10) -> list[bytes]:
    return [text(f"wamid.m{n}", 5000 + n, f"49152000000{n % conversations:02d}") for n in range(count)]


@pytest.mark.parametrize("receivers", [2, 3])
def test_receivers_sharing_a_postgresql_inbox_handle_each_event_exactly_once(
    tmp_path: Path, shared_url: str, receivers: int
) -> None:
    record = tmp_path / "record.txt"
    processes = [Process(tmp_path, f"r{n}", shared_url, record, "--lease", "30") for n in range(receivers)]
    try:
        bodies = message_bodies(30)
        for body in bodies:
            for process in processes * 2:  # each delivery posted to every receiver, and redelivered
                assert post(process.url, body) == 200
        wait_for(lambda: sum(what == "end" for _, what, _ in records(record)) >= len(bodies), timeout=60)
        time.sleep(0.5)  # a second handling, if there were one, would show now
    finally:
        for process in processes:
            process.stop()
    ended = collections.Counter(key for _, what, key in records(record) if what == "end")
    assert sorted(ended) == sorted(parse(body)[0].dedup_key for body in bodies)
    assert set(ended.values()) == {1}


def test_a_receiver_killed_mid_stream_leaves_its_events_to_the_others(tmp_path: Path, shared_url: str) -> None:
    record = tmp_path / "record.txt"
    options = ("--lease", "1", "--workers", "2")
    # The first is slow: whenever it is killed, it is in the middle of handlers, with more events leased.
    processes = [
        Process(tmp_path, f"r{n}", shared_url, record, *options, "--delay", "5" if n == 0 else "0.05") for n in range(3)
    ]
    doomed = processes[0]
    bodies = message_bodies(40, conversations=40)
    try:
        for body in bodies:
            assert post(doomed.url, body) == 200  # all to one: the others take from the store
        wait_for(lambda: any(pid == doomed.process.pid for pid, what, _ in records(record) if what == "start"))
        doomed.kill()  # with events leased, some in its handlers
        wait_for(lambda: len({key for _, what, key in records(record) if what == "end"}) == len(bodies), timeout=60)
    finally:
        for process in processes:
            process.stop()
    ended = {key for _, what, key in records(record) if what == "end"}
    assert ended == {parse(body)[0].dedup_key for body in bodies}
    dead = doomed.process.pid
    cut_short = {key for pid, what, key in records(record) if pid == dead and what == "start"} - {
        key for pid, what, key in records(record) if pid == dead and what == "end"
    }
    assert cut_short  # it was killed in the middle of handlers
    taken_over = {key for pid, what, key in records(record) if pid != dead and what == "end"}
    assert cut_short <= taken_over
    inbox = open_inbox(shared_url)
    try:
        wait_for(lambda: inbox.pending() == 0)  # the last ones marked handled
    finally:
        inbox.close()


def test_receivers_sharing_a_postgresql_inbox_keep_each_conversations_order(tmp_path: Path, shared_url: str) -> None:
    loader = Receiver(store=shared_url)
    expected: dict[str, list[str]] = collections.defaultdict(list)
    for number in range(24):
        sender = f"4915300000{number % 4}"
        body = text(f"wamid.p{number}", 9000 - number, sender)  # each sent before the one that arrived earlier
        expected[sender].insert(0, parse(body)[0].dedup_key)
        assert loader.accept(body, {}).status == 200
    assert loader.inbox is not None
    loader.inbox.close()
    record = tmp_path / "record.txt"
    processes = [Process(tmp_path, f"r{n}", shared_url, record, "--delay", "0.02") for n in range(2)]
    try:
        wait_for(lambda: sum(what == "end" for _, what, _ in records(record)) == 24, timeout=60)
    finally:
        for process in processes:
            process.stop()
    lines = [line.split() for line in record.read_text().splitlines()]
    conversation = {key: sender for sender, keys in expected.items() for key in keys}
    for sender, keys in expected.items():
        started = [key for _, what, key, _ in lines if what == "start" and conversation[key] == sender]
        assert started == keys  # upstream's order, whichever receiver took each
        starts = {key: float(at) for _, what, key, at in lines if what == "start" and conversation[key] == sender}
        ends = {key: float(at) for _, what, key, at in lines if what == "end" and conversation[key] == sender}
        never_two_at_once = [ends[earlier] <= starts[later] for earlier, later in itertools.pairwise(keys)]
        assert all(never_two_at_once), sender


def test_listen_with_a_store_prints_each_event_once_and_keeps_it_across_a_restart(tmp_path: Path) -> None:
    from tests.test_cli_webhook import SECRET as LISTEN_SECRET
    from tests.test_cli_webhook import post as signed_post
    from tests.test_cli_webhook import process, stop, url_in

    path = tmp_path / "listen.sqlite"
    body = delivery(messages=[inbound(CUSTOMER, "text", {"body": "kept"}, id="wamid.kept")])
    with process("webhook", "listen", "--port", "0", "--secret", LISTEN_SECRET, "--store", str(path)) as child:
        url = url_in(child.stderr, r"receiving at (\S+)")
        assert signed_post(url, body).json() == {"received": 1, "new": 1}
        out, _ = stop(child)
    assert "message wamid.kept from 4915112345678: text 'kept'" in out
    with process("webhook", "listen", "--port", "0", "--secret", LISTEN_SECRET, "--store", str(path)) as child:
        url = url_in(child.stderr, r"receiving at (\S+)")
        assert signed_post(url, body).json() == {"received": 1, "new": 0}  # the inbox remembers it
        out, _ = stop(child)
    assert "wamid.kept" not in out
    inbox = open_inbox(str(path))
    try:
        assert inbox.pending() == 0
    finally:
        inbox.close()
