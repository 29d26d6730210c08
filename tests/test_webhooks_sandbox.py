"""The sandbox talking back to a real Receiver: statuses and inbound messages, retried and duplicated
on purpose, each event handled exactly once."""

from __future__ import annotations

import asyncio
import collections
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

import d360
from d360 import ConfigurationError, sandbox
from d360.sandbox.webhooks import WebhookSender, WebhookSettings
from d360.webhooks import Deduplicator, IncomingMessage, Receiver, StatusUpdate
from tests.servers import serving_asgi, wait_for

SECRET = "sandbox-webhook-secret"
TO = "4915112345678"
FAST = {"webhook_initial_backoff": 0.05, "webhook_max_backoff": 0.5, "webhook_give_up_after": 60.0}
"""A retry schedule for tests: the default waits seconds, then minutes, as upstream does."""


class Flaky:
    """Wraps an ASGI app: answers 500 to every `every`-th request, as a struggling receiver would."""

    def __init__(self, app: Any, every: int) -> None:
        self.app, self.every, self.count, self.refused = app, every, 0, 0
        self.lock = threading.Lock()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            with self.lock:
                self.count += 1
                refuse = self.count % self.every == 0
                self.refused += refuse
            if refuse:
                await send({"type": "http.response.start", "status": 500, "headers": []})
                await send({"type": "http.response.body", "body": b""})
                return
        await self.app(scope, receive, send)


@contextmanager
def receiving(tmp_path: Path, **options: Any) -> Iterator[tuple[Receiver, str, collections.Counter[str], Flaky]]:
    receiver = Receiver(secret=SECRET, dedup=Deduplicator(tmp_path / "seen.sqlite"), **options)
    handled: collections.Counter[str] = collections.Counter()
    receiver.on_event(lambda event: handled.update([event.dedup_key]))
    flaky = Flaky(receiver.asgi, every=4)
    with serving_asgi(flaky) as url:
        yield receiver, url + "/", handled, flaky


def test_statuses_and_inbound_messages_reach_a_receiver_once_each_despite_retries_and_duplicates(
    tmp_path: Path,
) -> None:
    with receiving(tmp_path) as (receiver, url, handled, flaky):
        faults = sandbox.Faults(seed=7)
        with sandbox.running(
            faults=faults, webhook_url=url, webhook_secret=SECRET, webhook_duplicate_rate=0.5, **FAST
        ) as served:
            with d360.Client(api_key=served.api_key, base_url=served.base_url) as client:
                sent = [client.send_text(TO, f"message {n}").message_id for n in range(20)]
            inbound = [
                served.inbound(TO, "text", {"body": "hello"}, name="Kerry"),
                served.inbound(TO, "image", {"id": "media-1", "mime_type": "image/jpeg", "sha256": "x"}),
                served.inbound(
                    TO, "interactive", {"type": "button_reply", "button_reply": {"id": "yes", "title": "Yes"}}
                ),
                served.inbound(TO, "reaction", {"message_id": sent[0], "emoji": "\U0001f44d"}),
            ]
            assert served.sandbox.webhooks.wait_idle(60)
            stats = served.sandbox.webhooks.stats
        expected = {
            f"status:{message_id}:{state}:{TO}" for message_id in sent for state in ("sent", "delivered", "read")
        }
        expected |= {f"message:{message_id}" for message_id in inbound}
        wait_for(lambda: set(handled) == expected, timeout=300)
    assert all(count == 1 for count in handled.values()), [key for key, count in handled.items() if count > 1]
    assert stats.given_up == 0 and stats.failed_attempts == flaky.refused > 0  # retries happened
    # Every delivery that got its 200 reached the receiver; all but the first of each event were dropped.
    assert stats.duplicates > 0 and receiver.stats.deliveries == stats.deliveries
    assert receiver.stats.duplicates == stats.deliveries - len(expected) > 0
    assert receiver.stats.refused == 0  # every delivery was signed correctly


def test_statuses_of_one_message_arrive_in_order_with_pricing_and_the_callback_data(tmp_path: Path) -> None:
    receiver = Receiver(secret=SECRET, dedup=False)
    updates: list[StatusUpdate] = []
    receiver.on_status(updates.append)
    with serving_asgi(receiver.asgi) as url, sandbox.running(webhook_url=url + "/", webhook_secret=SECRET) as served:
        with d360.Client(api_key=served.api_key, base_url=served.base_url) as client:
            message_id = client.send(
                {
                    "messaging_product": "whatsapp",
                    "to": TO,
                    "type": "text",
                    "text": {"body": "hi"},
                    "biz_opaque_callback_data": "row-42",
                }
            ).message_id
        assert served.sandbox.webhooks.wait_idle(30)
        wait_for(lambda: len(updates) == 3)
    assert [update.status for update in updates] == ["sent", "delivered", "read"]
    assert {update.message_id for update in updates} == {message_id}
    assert all(update.biz_opaque_callback_data == "row-42" for update in updates)
    assert updates[0].pricing is not None and updates[0].pricing.billable and updates[0].conversation is not None


def test_a_delivery_failure_fault_sends_failed_with_a_real_error_code(tmp_path: Path) -> None:
    receiver = Receiver(secret=SECRET, dedup=False)
    updates: list[StatusUpdate] = []
    receiver.on_status(updates.append)
    faults = sandbox.Faults(delivery_failure_rate=1.0, delivery_failure_code=131047)
    with (
        serving_asgi(receiver.asgi) as url,
        sandbox.running(faults=faults, webhook_url=url, webhook_secret=SECRET) as served,
    ):
        with d360.Client(api_key=served.api_key, base_url=served.base_url) as client:
            client.send_text(TO, "too late")
        assert served.sandbox.webhooks.wait_idle(30)
        wait_for(lambda: len(updates) == 2)
    assert [update.status for update in updates] == ["sent", "failed"]
    assert updates[1].errors[0].code == 131047 and updates[1].errors[0].title == "Re-engagement message"


def test_set_webhook_on_the_sandbox_points_deliveries_at_the_receiver_with_its_headers() -> None:
    receiver = Receiver(header=("X-Partner-Auth", "letmein"), dedup=False)
    messages: list[IncomingMessage] = []
    receiver.on_message(messages.append)
    with serving_asgi(receiver.asgi) as url, sandbox.running() as served:
        with d360.Client(api_key=served.api_key, base_url=served.base_url) as client:
            client.set_webhook(url + "/", headers={"X-Partner-Auth": "letmein"})
        served.inbound(TO, "location", {"latitude": 52.5, "longitude": 13.4})
        assert served.sandbox.webhooks.wait_idle(30)
        wait_for(lambda: len(messages) == 1)
    assert messages[0].location is not None and messages[0].location.latitude == 52.5
    assert receiver.stats.refused == 0


def test_a_url_off_this_machine_set_through_the_api_is_kept_but_never_delivered_to() -> None:
    with sandbox.running() as served, d360.Client(api_key=served.api_key, base_url=served.base_url) as client:
        client.set_webhook("http://hooks.example.com/x")
        client.send_text(TO, "hi")
        assert client.get_webhook().url == "http://hooks.example.com/x"
        assert served.sandbox.webhooks.stats.not_local == 1 and served.sandbox.webhooks.stats.attempts == 0


def test_inbound_without_a_webhook_url_is_refused_clearly() -> None:
    with sandbox.running() as served, pytest.raises(ConfigurationError, match="no webhook URL"):
        served.inbound(TO, "text", {"body": "hi"})


@pytest.mark.parametrize("body", [b"[]", b"{}", b'{"from": "1"}', b"not json"])
def test_inbound_needs_from_and_type(body: bytes) -> None:
    import httpx

    with sandbox.running(webhook_url="http://127.0.0.1:9/") as served:
        response = httpx.post(served.base_url + sandbox.INBOUND_PATH, content=body)
    assert response.status_code == 400


def test_a_receiver_that_never_answers_200_is_given_up_on_after_max_attempts() -> None:
    settings = WebhookSettings(url="http://127.0.0.1:9/", max_attempts=3, initial_backoff=0.001)
    sender = WebhookSender(settings)

    async def run() -> None:
        sender.inbound({"from": TO, "id": "wamid.x", "type": "text", "text": {"body": "x"}}, "K")
        while sender.pending:
            await asyncio.sleep(0.01)
        await sender.aclose()

    asyncio.run(run())
    assert (sender.stats.attempts, sender.stats.failed_attempts, sender.stats.given_up) == (3, 3, 1)


def test_the_delivery_queue_is_bounded_and_counts_what_it_drops() -> None:
    sender = WebhookSender(WebhookSettings(url="http://127.0.0.1:9/", max_attempts=1), queue_size=2)

    async def run() -> list[bool]:
        # Nothing yields to the workers between these calls, so the queue fills.
        taken = [sender.inbound({"from": TO, "id": f"wamid.{n}", "type": "text"}, "K") for n in range(5)]
        await sender.aclose()
        return taken

    assert asyncio.run(run()) == [True, True, False, False, False]
    assert sender.stats.dropped == 3


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"webhook_url": "ftp://x"}, "webhook_url"),
        ({"webhook_url": "https://hooks.example.com/"}, "on this machine"),
        ({"webhook_url": "http://127.0.0.1:9/", "webhook_secret": ""}, "webhook_secret"),
        ({"webhook_duplicate_rate": 2}, "webhook_duplicate_rate"),
        ({"faults": sandbox.Faults(delivery_failure_rate=-1)}, "delivery_failure_rate"),
        ({"faults": sandbox.Faults(delivery_failure_code=0)}, "delivery_failure_code"),
    ],
)
def test_bad_webhook_settings_are_refused(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        sandbox.Sandbox(**options)


# Retries on a schedule closer to upstream's: a listener started late loses nothing.


@contextmanager
def serving_on(app: Any, listener: socket.socket) -> Iterator[None]:
    """uvicorn serving `app` on a socket bound earlier (and refusing connections until now)."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on"))
    server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    wait_for(lambda: server.started)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def bound_but_not_listening() -> socket.socket:
    """A port of this machine that refuses connections until something listens on it, kept for the test."""
    placeholder = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    placeholder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    placeholder.bind(("127.0.0.1", 0))
    return placeholder


def test_a_listener_started_late_still_gets_every_status(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="d360.sandbox")
    placeholder = bound_but_not_listening()
    url = f"http://127.0.0.1:{placeholder.getsockname()[1]}/"
    receiver = Receiver(secret=SECRET, dedup=False)
    updates: list[StatusUpdate] = []
    receiver.on_status(updates.append)
    with sandbox.running(webhook_url=url, webhook_secret=SECRET, **FAST) as served:
        with d360.Client(api_key=served.api_key, base_url=served.base_url) as client:
            sent = [client.send_text(TO, f"message {n}").message_id for n in range(5)]
        stats = served.sandbox.webhooks.stats
        # The listener is down: every message's first status fails again and again. The sandbox used to give
        # up after 8 tries (about 6 s); each has failed more often than that here, and none is given up.
        wait_for(lambda: stats.failed_attempts >= 5 * 9, timeout=60)
        assert stats.given_up == 0 and served.sandbox.webhooks.pending == 5
        with serving_on(receiver.asgi, placeholder):
            assert served.sandbox.webhooks.wait_idle(60)
            wait_for(lambda: len(updates) == 15)
    assert sorted((update.message_id, update.status) for update in updates) == sorted(
        (message_id, state) for message_id in sent for state in ("sent", "delivered", "read")
    )
    for message_id in sent:  # still in order, message by message
        assert [u.status for u in updates if u.message_id == message_id] == ["sent", "delivered", "read"]
    retries = [record for record in caplog.records if "trying again in" in record.getMessage()]
    assert len(retries) >= 5 * 9 and {record.name for record in retries} == {"d360.sandbox.webhooks"}
    assert f"webhook delivery to {url} failed (ConnectError" in retries[0].getMessage()
    assert any("went through at try" in record.getMessage() for record in caplog.records)


def test_the_default_schedule_waits_minutes_and_keeps_trying_for_a_day() -> None:
    gaps = list(WebhookSettings().schedule())
    assert 1 <= gaps[0] <= 10  # a listener restarted a moment late gets its statuses seconds later
    assert max(gaps) == 600 and sum(gaps) >= 86_400 - 600  # then every ten minutes, for a day
    assert gaps == sorted(gaps)
    quick = WebhookSettings(initial_backoff=0.05, max_backoff=0.5, give_up_after=2.0)
    assert list(quick.schedule())[:5] == [0.05, 0.1, 0.2, 0.4, 0.5] and sum(quick.schedule()) <= 2.5
    assert list(WebhookSettings(max_attempts=3).schedule()) == [5.0, 10.0]


def test_a_delivery_is_given_up_after_its_time_and_that_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="d360.sandbox")
    # Two seconds to give up in: time for four tries and more however starved the machine (0.3 s was not).
    settings = WebhookSettings(url="http://127.0.0.1:9/", initial_backoff=0.02, max_backoff=0.05, give_up_after=2.0)
    sender = WebhookSender(settings)

    async def run() -> None:
        sender.inbound({"from": TO, "id": "wamid.x", "type": "text", "text": {"body": "x"}}, "K")
        while sender.pending:
            await asyncio.sleep(0.01)
        await sender.aclose()

    asyncio.run(run())
    assert sender.stats.given_up == 1 and sender.stats.failed_attempts == sender.stats.attempts >= 4
    (gave_up,) = [record for record in caplog.records if "gave up" in record.getMessage()]
    assert gave_up.levelname == "WARNING" and "http://127.0.0.1:9/" in gave_up.getMessage()


def test_deliveries_waiting_for_a_retry_still_count_against_the_queue() -> None:
    settings = WebhookSettings(url="http://127.0.0.1:9/", initial_backoff=30, max_backoff=30)
    sender = WebhookSender(settings, queue_size=3)

    async def run() -> list[bool]:
        taken = [sender.inbound({"from": TO, "id": f"wamid.{n}", "type": "text"}, "K") for n in range(3)]
        while sender.stats.failed_attempts < 3:  # all three tried once, now waiting 15-30 s for their next try
            await asyncio.sleep(0.01)
        taken += [sender.inbound({"from": TO, "id": f"wamid.late{n}", "type": "text"}, "K") for n in range(2)]
        await sender.aclose()
        return taken

    assert asyncio.run(run()) == [True, True, True, False, False]
    assert sender.pending == 3 and sender.stats.dropped == 2


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"webhook_initial_backoff": 0}, "webhook_initial_backoff must be a positive number"),
        ({"webhook_initial_backoff": float("nan")}, "webhook_initial_backoff"),
        ({"webhook_initial_backoff": 10, "webhook_max_backoff": 5}, "webhook_max_backoff must be"),
        ({"webhook_give_up_after": -1}, "webhook_give_up_after must be"),
    ],
)
def test_a_retry_schedule_that_cannot_work_is_refused(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        sandbox.Sandbox(**options)


def test_d360_sandbox_takes_the_schedule_as_flags_and_logs_every_retry() -> None:
    placeholder = bound_but_not_listening()
    port = placeholder.getsockname()[1]
    command = [sys.executable, "-m", "d360", "sandbox", "--port", "0", "--webhook-url", f"http://127.0.0.1:{port}/",
               "--webhook-initial-backoff", "0.05", "--webhook-max-backoff", "0.1", "--webhook-give-up-after", "0.5"]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})  # fmt: skip
    try:
        assert process.stdout is not None and process.stderr is not None
        base_url = re.search(r" at (http://\S+)", process.stdout.readline())
        assert base_url is not None
        schedule = ""
        while "webhook retries" not in schedule:
            schedule = process.stdout.readline()
            assert schedule, "the sandbox did not say its retry schedule"
        with d360.Client(api_key="sandbox-key", base_url=base_url.group(1)) as client:
            client.send_text(TO, "nobody listens")
        gave_up = ""
        while "gave up" not in gave_up:
            gave_up = process.stderr.readline()
            assert gave_up, "the sandbox ended without giving up"
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=120)
    finally:
        process.kill()
        placeholder.close()
    assert "webhook retries: after 0.05 s, 0.1 s, 0.1 s, 0.1 s, ... up to every 0.1 s, for 0.5 s" in schedule
    assert re.search(r"webhooks: 0 delivered, \d+ attempts failed, 1 given up", output), output
    assert gave_up.startswith(f"d360 sandbox: sandbox gave up on a webhook delivery to http://127.0.0.1:{port}/")


@pytest.mark.parametrize("value", ["0", "²", "1e3", "-1", "٣"])
def test_d360_sandbox_refuses_a_retry_flag_that_cannot_work(value: str) -> None:
    result = subprocess.run([sys.executable, "-m", "d360", "sandbox", "--port", "0", "--webhook-initial-backoff", value],
                            capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
    last = result.stderr.strip().splitlines()[-1]  # after argparse's usage, when it speaks first
    assert result.returncode == 2 and last.startswith("d360: error:") and "--webhook-initial-backoff" in last
