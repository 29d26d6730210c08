"""A graceful shutdown handles every event the receiver answered 200 for, and says which it could not.

Real servers: uvicorn serving the receiver alone and mounted in a Starlette app (its lifespan wired, or
not), and a WSGI process that exits with events still queued behind a slow handler.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.routing import Mount

from d360.sandbox import bind
from d360.webhooks import Deduplicator, MemoryDedupStore, Receiver, StatusUpdate, sign
from d360.webhooks.asgi import OFFLOAD_BYTES
from d360.webhooks.payloads import delivery, status
from tests.servers import wait_for

SECRET = "shutdown-secret"
SENDER = "4915112345678"


@contextmanager
def uvicorn_thread(app: Any) -> Iterator[tuple[str, uvicorn.Server, threading.Thread]]:
    """uvicorn in a thread, its shutdown left to the test (`server.should_exit = True`)."""
    listener = bind()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    wait_for(lambda: server.started)
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", server, thread
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def refuses_connections(url: str) -> bool:
    port = int(url.rsplit(":", 1)[1])
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return True
    return False


def post_statuses(url: str, prefix: str, deliveries: int, per_delivery: int) -> list[str]:
    """Signed deliveries of `per_delivery` statuses each, every one answered 200; their dedup keys."""
    keys = []
    with httpx.Client(timeout=10) as client:
        for number in range(deliveries):
            ids = [f"wamid.{prefix}-{number}-{index}" for index in range(per_delivery)]
            raw = json.dumps(delivery(statuses=[status(message_id, "read", SENDER) for message_id in ids])).encode()
            answer = client.post(url, content=raw, headers={"x-360dialog-signature": sign(raw, SECRET)})
            assert answer.status_code == 200 and answer.json()["new"] == per_delivery
            keys += [f"status:{message_id}:read:{SENDER}" for message_id in ids]
    return keys


def held_receiver(release: threading.Event, handled: list[str], **options: Any) -> Receiver:
    """A receiver whose handlers wait for `release`: events pile up behind them, as behind a slow database."""
    receiver = Receiver(secret=SECRET, dedup=False, workers=2, **options)

    @receiver.on_status
    def slow(update: StatusUpdate) -> None:
        release.wait(60)
        handled.append(update.dedup_key)

    @receiver.on_status
    async def slow_too(update: StatusUpdate) -> None:
        while not release.is_set():
            await asyncio.sleep(0.01)

    return receiver


@pytest.mark.parametrize("how", ["alone", "mounted"])
def test_a_graceful_shutdown_handles_every_event_answered_200(how: str, caplog: pytest.LogCaptureFixture) -> None:
    release = threading.Event()
    handled: list[str] = []
    receiver = held_receiver(release, handled)
    if how == "alone":
        app: Any = receiver.asgi
        path = "/"
    else:  # as the README shows it
        app = Starlette(routes=[Mount("/webhooks/whatsapp", app=receiver.asgi)], lifespan=receiver.lifespan)
        path = "/webhooks/whatsapp/"
    with caplog.at_level(logging.WARNING, logger="d360.webhooks"), uvicorn_thread(app) as (url, server, thread):
        keys = post_statuses(url + path, "graceful", deliveries=30, per_delivery=10)
        assert receiver.asgi.pending == 300
        server.should_exit = True
        wait_for(lambda: refuses_connections(url))
        assert thread.is_alive()  # the server has stopped taking deliveries, and waits for the queue
        release.set()
        thread.join(timeout=60)
        assert not thread.is_alive()
    assert sorted(handled) == sorted(keys)
    assert receiver.stats.handled == 600 and receiver.stats.unhandled == 0
    assert [record for record in caplog.records if record.levelno >= logging.WARNING] == []


def test_a_mounted_receiver_without_its_lifespan_warns_and_names_every_event_a_shutdown_loses(
    caplog: pytest.LogCaptureFixture,
) -> None:
    release = threading.Event()
    handled: list[str] = []
    receiver = held_receiver(release, handled)
    app = Starlette(routes=[Mount("/hooks", app=receiver.asgi)])  # lifespan=receiver.lifespan forgotten
    with caplog.at_level(logging.WARNING, logger="d360.webhooks"), uvicorn_thread(app) as (url, server, thread):
        try:
            keys = post_statuses(url + "/hooks/", "lost", deliveries=5, per_delivery=4)
            (warning,) = [record for record in caplog.records if record.levelno == logging.WARNING]
            assert "lifespan=receiver.lifespan" in warning.getMessage()
            server.should_exit = True
            wait_for(lambda: any(record.levelno == logging.ERROR for record in caplog.records), timeout=30)
        finally:
            release.set()  # the plain-function handlers' threads, which asyncio.run waits for at its very end
        thread.join(timeout=30)
    (error,) = [record for record in caplog.records if record.levelno == logging.ERROR]
    message = error.getMessage()
    assert "20 events answered 200 were not handled" in message and "lifespan=receiver.lifespan" in message
    assert all(key in message for key in keys)
    assert receiver.stats.unhandled == 20


def test_a_shutdown_timeout_that_passes_names_every_event_left(caplog: pytest.LogCaptureFixture) -> None:
    release = threading.Event()
    handled: list[str] = []
    receiver = held_receiver(release, handled, shutdown_timeout=0.5)
    with caplog.at_level(logging.WARNING, logger="d360.webhooks"), uvicorn_thread(receiver.asgi) as served:
        url, server, thread = served
        try:
            keys = post_statuses(url + "/", "late", deliveries=3, per_delivery=5)
            server.should_exit = True
            wait_for(lambda: any(record.levelno == logging.ERROR for record in caplog.records), timeout=30)
        finally:
            release.set()
        thread.join(timeout=30)
        assert not thread.is_alive()
    (error,) = [record for record in caplog.records if record.levelno == logging.ERROR]
    message = error.getMessage()
    assert "15 events answered 200 were not handled" in message and "0.5 s passed" in message
    assert all(key in message for key in keys)
    assert receiver.stats.unhandled == 15


async def test_aclose_without_a_timeout_waits_for_every_event_and_with_one_reports_the_rest(
    caplog: pytest.LogCaptureFixture,
) -> None:
    release = threading.Event()
    handled: list[str] = []
    receiver = held_receiver(release, handled)
    raw = json.dumps(delivery(statuses=[status(f"wamid.a-{index}", "read", SENDER) for index in range(3)])).encode()
    transport = httpx.ASGITransport(app=receiver.asgi)
    async with httpx.AsyncClient(transport=transport, base_url="http://receiver") as client:
        answer = await client.post("/", content=raw, headers={"x-360dialog-signature": sign(raw, SECRET)})
        assert answer.status_code == 200
    closing = asyncio.ensure_future(receiver.asgi.aclose())
    await asyncio.sleep(0.3)
    assert not closing.done()  # no timeout by default: it waits
    release.set()
    assert await closing is True and len(handled) == 3
    release.clear()
    raw = json.dumps(delivery(statuses=[status("wamid.b", "read", SENDER)])).encode()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=receiver.asgi), base_url="http://r") as client:
        await client.post("/", content=raw, headers={"x-360dialog-signature": sign(raw, SECRET)})
    with caplog.at_level(logging.ERROR, logger="d360.webhooks"):
        assert await receiver.asgi.aclose(timeout=0.1) is False
    release.set()
    assert f"status:wamid.b:read:{SENDER}" in caplog.text and "1 events answered 200 were not handled" in caplog.text


class HeldStore(MemoryDedupStore):
    """A shared store busy for a moment (another worker holds it): `claim` waits for `go`."""

    def __init__(self) -> None:
        super().__init__()
        self.claiming, self.go, self.forgotten = threading.Event(), threading.Event(), threading.Event()

    def claim(self, keys: Any) -> list[bool]:
        self.claiming.set()
        self.go.wait(30)
        return super().claim(keys)

    def forget(self, keys: Any) -> None:
        super().forget(keys)
        self.forgotten.set()


async def test_a_large_delivery_whose_answer_is_cancelled_is_handled_when_redelivered() -> None:
    # A shutdown's timeout cancels the request while its accept runs in a thread: never answered, so
    # upstream redelivers; the keys the thread claimed must not make the redelivery a duplicate.
    store = HeldStore()
    handled: list[str] = []
    receiver = Receiver(secret=SECRET, dedup=Deduplicator(store))
    receiver.on_status(lambda update: handled.append(update.message_id))
    raw = json.dumps({**delivery(statuses=[status("wamid.big", "delivered", SENDER)]), "pad": "x" * 20_000}).encode()
    assert len(raw) > OFFLOAD_BYTES  # accepted in a thread
    headers = {"x-360dialog-signature": sign(raw, SECRET)}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=receiver.asgi), base_url="http://r") as client:
        first = asyncio.ensure_future(client.post("/", content=raw, headers=headers))
        assert await asyncio.to_thread(store.claiming.wait, 30)
        first.cancel()
        with pytest.raises(asyncio.CancelledError):
            await first
        store.go.set()
        await asyncio.to_thread(store.forgotten.wait, 5)  # the thread finishes its claim; its keys are released
        again = await client.post("/", content=raw, headers=headers)
    assert again.status_code == 200 and again.json() == {"received": 1, "new": 1}
    assert await receiver.asgi.aclose(timeout=10) is True
    assert handled == ["wamid.big"]


WSGI_PROCESS = """
import socketserver, sys, threading, time
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from d360.webhooks import Receiver

handled = open(sys.argv[1], "a", buffering=1)
options = {"shutdown_timeout": float(sys.argv[3])} if len(sys.argv) > 3 else {}
receiver = Receiver(secret=sys.argv[2], dedup=False, workers=2, **options)

@receiver.on_status
def slow(update):
    time.sleep(0.02)
    handled.write(update.dedup_key + "\\n")

class Server(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True

class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass

server = make_server("127.0.0.1", 0, receiver.wsgi, server_class=Server, handler_class=Quiet)
threading.Thread(target=server.serve_forever, daemon=True).start()
print(server.server_port, flush=True)
sys.stdin.readline()  # the test says when to stop
server.shutdown()
# and the interpreter exits, with events still queued behind the slow handler
"""


@pytest.mark.parametrize("timeout", [None, "0.2"])
def test_a_wsgi_process_that_exits_handles_what_is_queued_or_names_it(tmp_path: Path, timeout: str | None) -> None:
    script = tmp_path / "wsgi_app.py"
    script.write_text(WSGI_PROCESS)
    handled_file = tmp_path / "handled.txt"
    arguments = [sys.executable, str(script), str(handled_file), SECRET] + ([timeout] if timeout else [])
    child = subprocess.Popen(
        arguments, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None and child.stdin is not None
        url = f"http://127.0.0.1:{int(child.stdout.readline())}/"
        keys = post_statuses(url, "wsgi", deliveries=20, per_delivery=10)
        child.stdin.write("stop\n")
        child.stdin.flush()
        _, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    handled = handled_file.read_text().split()
    if timeout is None:
        assert sorted(handled) == sorted(keys) and "not handled" not in err
    else:
        assert "were not handled" in err and "0.2 s passed" in err
        reported = {key for key in keys if key in err}
        assert reported and set(handled) | reported == set(keys)  # each one handled, or named
