"""One suite for every de-duplication store: memory, SQLite (a real file), PostgreSQL and Redis (real servers,
a schema or key prefix of each test's own). Whatever the store, a key is claimed once, a repeat is seen in one
batch and across batches, a forgotten key is new again, a key older than max_age is new again, and among
threads and processes claiming the same keys at once exactly one wins each."""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import random
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from d360 import ConfigurationError
from d360.webhooks import Deduplicator, DedupStore, IncomingMessage, MemoryDedupStore
from d360.webhooks.dedup import open_store
from tests.postgres import query
from tests.redis_server import REDIS_URL

KINDS = ["memory", "sqlite", "postgres", "redis"]
SHARED_KINDS = ["sqlite", "postgres", "redis"]
"""Stores several processes can share: each process opens its own from the same location."""


@pytest.fixture
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str | None:
    """Where the store under test lives (None for memory: one process's own)."""
    kind = request.param
    if kind == "memory":
        return None
    if kind == "sqlite":
        return str(tmp_path / "seen.sqlite")
    if kind == "postgres":
        return str(request.getfixturevalue("postgres_url"))
    return str(request.getfixturevalue("redis_url"))


@pytest.fixture
def open_one(location: str | None) -> Iterator[Callable[..., DedupStore]]:
    """Opens a store at the location under test (each call a new one, as another process would); all closed after."""
    opened: list[DedupStore] = []

    def make(max_age: float = 3600.0) -> DedupStore:
        store = MemoryDedupStore(max_age=max_age) if location is None else open_store(location, max_age=max_age)
        opened.append(store)
        return store

    yield make
    for store in opened:
        close = getattr(store, "close", None)
        if close is not None:
            close()


every_store = pytest.mark.parametrize("location", KINDS, indirect=True)
shared_stores = pytest.mark.parametrize("location", SHARED_KINDS, indirect=True)


@every_store
def test_a_new_key_is_claimed_and_a_second_claim_is_refused(open_one: Callable[..., DedupStore]) -> None:
    store = open_one()
    assert store.claim(["wamid.1", "wamid.2"]) == [True, True]
    assert store.claim(["wamid.2", "wamid.3", "wamid.1"]) == [False, True, False]


@every_store
def test_a_key_twice_in_one_batch_is_claimed_by_its_first_copy_only(open_one: Callable[..., DedupStore]) -> None:
    store = open_one()
    assert store.claim(["a", "b", "a", "a", "c", "b"]) == [True, True, False, False, True, False]
    assert store.claim(["a", "b", "c"]) == [False, False, False]


@every_store
def test_an_empty_batch_claims_nothing(open_one: Callable[..., DedupStore]) -> None:
    store = open_one()
    assert store.claim([]) == []
    store.forget([])


@every_store
def test_a_forgotten_key_is_new_again_and_others_stay_seen(open_one: Callable[..., DedupStore]) -> None:
    store = open_one()
    store.claim(["keep", "drop"])
    store.forget(["drop", "never-claimed"])
    assert store.claim(["drop", "keep", "never-claimed"]) == [True, False, True]


@shared_stores
def test_a_key_claimed_by_one_store_is_seen_by_another_on_the_same_location(
    open_one: Callable[..., DedupStore],
) -> None:
    first, second = open_one(), open_one()
    assert first.claim(["shared"]) == [True]
    assert second.claim(["shared"]) == [False]
    second.forget(["shared"])
    assert first.claim(["shared"]) == [True]


@every_store
def test_a_key_older_than_max_age_is_new_again(open_one: Callable[..., DedupStore]) -> None:
    max_age = 2.0
    store = open_one(max_age=max_age)
    started = time.monotonic()
    assert store.claim(["old"]) == [True]
    again = store.claim(["old"])
    if time.monotonic() - started < max_age:  # a starved machine may take longer than max_age to get here
        assert again == [False]
    # Until it expires it stays seen; then it is new again, and once only.
    deadline = started + 30
    while store.claim(["old"]) != [True]:
        assert time.monotonic() < deadline, "the key never expired"
        time.sleep(0.1)
    assert time.monotonic() - started >= max_age * 0.9  # not before its time (give or take clock granularity)
    assert store.claim(["old"]) == [False]


@every_store
def test_threads_claiming_the_same_keys_at_once_each_key_is_won_once(
    open_one: Callable[..., DedupStore], location: str | None
) -> None:
    keys = [f"wamid.{index}" for index in range(60)]
    shared = open_one()
    # Memory is one process's store, shared by its threads; the others get a store per thread, as processes would.
    stores = [shared if location is None else open_one() for _ in range(4)]
    barrier = threading.Barrier(len(stores))
    won: list[list[str]] = [[] for _ in stores]

    def claim_all(index: int) -> None:
        order = keys[:]
        random.Random(index).shuffle(order)
        barrier.wait()
        for start in range(0, len(order), 7):
            batch = order[start : start + 7]
            won[index].extend(key for key, first in zip(batch, stores[index].claim(batch), strict=True) if first)

    threads = [threading.Thread(target=claim_all, args=(index,)) for index in range(len(stores))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(key for keys_won in won for key in keys_won) == sorted(keys)


def _claim_in_a_process(location: str, keys: list[str], seed: int, barrier: Any, results: Any) -> None:
    store = open_store(location)
    order = keys[:]
    random.Random(seed).shuffle(order)
    barrier.wait()
    won = []
    for start in range(0, len(order), 5):
        batch = order[start : start + 5]
        won.extend(key for key, first in zip(batch, store.claim(batch), strict=True) if first)
    results.put(won)
    close = getattr(store, "close", None)
    if close is not None:
        close()


@shared_stores
def test_processes_claiming_the_same_keys_at_once_each_key_is_won_once(location: str) -> None:
    keys = [f"wamid.{index}" for index in range(40)]
    open_store(location).claim([])  # made (schema, file) once before the race, as a deployed store is
    # Forked: each process opens its own store (its own connections), after the fork.
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(3)
    results = context.Queue()
    processes = [
        context.Process(target=_claim_in_a_process, args=(location, keys, seed, barrier, results)) for seed in range(3)
    ]
    for process in processes:
        process.start()
    won = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    assert sorted(key for keys_won in won for key in keys_won) == sorted(keys)


@every_store
def test_a_deduplicator_on_the_store_keeps_only_new_events(location: str | None) -> None:
    dedup = Deduplicator.in_memory() if location is None else Deduplicator(location)
    try:
        events = [
            IncomingMessage(dedup_key=f"msg:{name}", raw={}, id=name, type="text", from_="4915112345678")
            for name in "abca"
        ]
        assert [event.id for event in dedup.fresh(events)] == ["a", "b", "c"]
        assert dedup.fresh(events) == []
        dedup.forget(events[:1])
        assert [event.id for event in dedup.fresh(events)] == ["a"]
    finally:
        dedup.close()


# What each store does on its own.


def test_redis_keys_carry_the_prefix_and_expire_in_redis_itself(redis_url: str, redis_prefix: str) -> None:
    import redis

    store = open_store(redis_url, max_age=600)
    try:
        store.claim(["wamid.x"])
        with redis.Redis.from_url(REDIS_URL) as client:
            assert client.get(f"{redis_prefix}wamid.x") == b"1"
            assert 0 < client.pttl(f"{redis_prefix}wamid.x") <= 600_000
            assert client.get("wamid.x") is None
    finally:
        store.close()  # type: ignore[attr-defined]


def test_redis_prefix_can_be_given_in_code(redis_prefix: str) -> None:
    from d360.webhooks.redis_dedup import RedisDedupStore

    store = RedisDedupStore(REDIS_URL, prefix=redis_prefix + "in-code:")
    try:
        assert store.claim(["k"]) == [True]
        other = RedisDedupStore(REDIS_URL, prefix=redis_prefix + "elsewhere:")
        assert other.claim(["k"]) == [True]  # another prefix, another set of keys
        other.close()
    finally:
        store.close()


def test_postgres_keeps_keys_in_a_table_of_the_schema_the_url_names(postgres_url: str, postgres_schema: str) -> None:
    store = open_store(postgres_url)
    try:
        store.claim(["wamid.y"])
        assert query(postgres_schema, "SELECT key FROM seen") == [("wamid.y",)]
        assert query(postgres_schema, "SELECT version FROM dedup_migrations") == [(1,)]
    finally:
        store.close()  # type: ignore[attr-defined]
    open_store(postgres_url).close()  # type: ignore[attr-defined]  # opened again: nothing migrated twice
    assert query(postgres_schema, "SELECT version FROM dedup_migrations") == [(1,)]


@pytest.mark.parametrize(
    ("location", "named"),
    [
        ("mysql://db.example/app", "mysql:// is none of them"),
        ("postgresql://127.0.0.1/test?schema=Bad-Name", "schema 'Bad-Name' is not a name d360 can use"),
        ("postgresql://127.0.0.1/test?schema=a&schema=b", "names ?schema= 2 times"),
        ("redis://127.0.0.1:6379/not-a-number", "is not a Redis URL d360 can use"),
        ("redis://127.0.0.1:6379/0?prefix=a&prefix=b", "names ?prefix= 2 times"),
        ("", "an empty de-duplication store"),
    ],
)
def test_a_location_that_cannot_be_used_is_refused_naming_the_problem(location: str, named: str) -> None:
    with pytest.raises(ConfigurationError) as raised:
        Deduplicator(location)
    assert named in str(raised.value)


def test_a_store_that_cannot_be_reached_is_refused_without_its_password() -> None:
    with pytest.raises(ConfigurationError) as raised:
        Deduplicator("redis://user:hunter2-secret@127.0.0.1:1/0")
    assert "cannot use the Redis at redis://user:***@127.0.0.1:1/0" in str(raised.value)
    assert "hunter2-secret" not in str(raised.value)


# `d360 webhook listen --store`: real subprocesses on a shared store.


@pytest.mark.parametrize("location", ["postgres", "redis"], indirect=True)
def test_a_second_listener_on_the_same_store_does_not_print_what_the_first_printed(location: str) -> None:
    from d360.webhooks.payloads import contact, delivery, inbound
    from tests.test_cli_webhook import SECRET, TO, post, process, readline, stop, url_in

    def text(message_id: str) -> dict[str, Any]:
        return delivery(
            messages=[inbound(TO, "text", {"body": message_id}, id=message_id)], contacts=[contact(TO, "Kim")]
        )

    with process("webhook", "listen", "--port", "0", "--secret", SECRET, "--store", location) as first:
        url = url_in(first.stderr, r"receiving at (\S+)")
        assert post(url, text("wamid.first")).status_code == 200
        assert "wamid.first" in readline(first.stdout)
        out, _ = stop(first)
    with process("webhook", "listen", "--port", "0", "--secret", SECRET, "--store", location) as second:
        url = url_in(second.stderr, r"receiving at (\S+)")
        assert post(url, text("wamid.first")).json() == {"received": 1, "new": 0}
        assert post(url, text("wamid.second")).json() == {"received": 1, "new": 1}
        assert "wamid.second" in readline(second.stdout)
        out, _ = stop(second)
    assert "wamid.first" not in out


def test_listen_refuses_a_store_it_cannot_use_with_exit_2_naming_it() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "d360", "webhook", "listen", "--port", "0", "--store", "mysql://db/app"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "--store: mysql://db/app: mysql:// is not a store d360 can use" in done.stderr


@pytest.mark.parametrize("synchronous_commit", [False, True])
def test_postgres_claims_commit_without_waiting_for_the_disk_unless_asked(
    postgres_url: str, synchronous_commit: bool
) -> None:
    from d360.webhooks.postgres_dedup import PostgresDedupStore

    store = PostgresDedupStore(postgres_url, synchronous_commit=synchronous_commit)
    try:
        with store._pool.connection() as connection:
            row = connection.execute("SHOW synchronous_commit").fetchone()
        assert row == ("on" if synchronous_commit else "off",)
        assert store.claim(["k"]) == [True]
    finally:
        store.close()


# A store that goes away: the delivery is not answered 200, so upstream redelivers it.


@contextlib.contextmanager
def cuttable_proxy(target: str) -> Iterator[tuple[str, Callable[[], None]]]:
    """`target` (a URL) reached through a TCP proxy on a port of its own; calling `cut()` closes it and every
    connection through it, as a network failure or a server going down would."""
    parts = urllib.parse.urlsplit(target)
    upstream_address = (parts.hostname or "127.0.0.1", parts.port or 0)
    listener = socket.create_server(("127.0.0.1", 0))
    sockets: list[socket.socket] = [listener]

    def pump(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        for one in (source, sink):
            with contextlib.suppress(OSError):
                one.shutdown(socket.SHUT_RDWR)

    def serve() -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(upstream_address)
            sockets.extend([client, upstream])
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=pump, args=(source, sink), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()

    def cut() -> None:
        for one in sockets:
            with contextlib.suppress(OSError):
                one.shutdown(socket.SHUT_RDWR)
            one.close()

    port = listener.getsockname()[1]
    try:
        yield urllib.parse.urlunsplit(parts._replace(netloc=f"127.0.0.1:{port}")), cut
    finally:
        cut()


@pytest.mark.parametrize("location", ["postgres", "redis"], indirect=True)
def test_a_receiver_whose_store_is_gone_answers_an_error_so_upstream_redelivers(location: str) -> None:
    from d360.webhooks import Receiver, parse, sign
    from d360.webhooks.payloads import contact, delivery, inbound
    from tests.servers import serving_asgi, wait_for

    def signed(message_id: str) -> dict[str, Any]:
        body = json.dumps(
            delivery(
                messages=[inbound("4915112345678", "text", {"body": "hi"}, id=message_id)],
                contacts=[contact("4915112345678", "Kim")],
            )
        ).encode()
        return {"content": body, "headers": {"x-360dialog-signature": sign(body, "s3cret")}, "timeout": 60}

    handled: list[str] = []
    with cuttable_proxy(location) as (proxied, cut):
        receiver = Receiver(secret="s3cret", dedup=Deduplicator(proxied))
        receiver.on_message(lambda message: handled.append(message.id))
        with serving_asgi(receiver.asgi) as base:
            assert httpx.post(base + "/", **signed("wamid.before")).status_code == 200
            wait_for(lambda: handled == ["wamid.before"])
            cut()
            answer = httpx.post(base + "/", **signed("wamid.after"))
            assert answer.status_code >= 500
        receiver.dedup.close()  # type: ignore[union-attr]
    assert handled == ["wamid.before"]
    # The refused event was never claimed: a receiver on the store, reachable again, takes upstream's redelivery.
    keys = [parse(signed(message_id)["content"])[0].dedup_key for message_id in ("wamid.before", "wamid.after")]
    store = open_store(location)
    try:
        assert store.claim(keys) == [False, True]
    finally:
        store.close()  # type: ignore[attr-defined]
