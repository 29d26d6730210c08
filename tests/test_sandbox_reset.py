"""`Sandbox.reset()`: one call empties everything the sandbox holds, so nothing of one test reaches the next."""

from __future__ import annotations

import time

import attrs
import httpx

import d360
from d360 import sandbox
from d360.webhooks import Receiver, StatusUpdate
from tests.test_webhooks_sandbox import FAST, SECRET, TO, bound_but_not_listening, serving_on


def fill(served: sandbox.RunningSandbox, webhook_url: str) -> None:
    """Everything a test can leave behind: messages, receipts, faults, a webhook URL with headers and
    deliveries waiting for their retry, media, an upload session half sent."""
    with d360.Client(api_key=served.api_key, base_url=served.base_url) as client:
        client.set_webhook(webhook_url, headers={"X-Partner-Auth": "letmein"})
        for n in range(3):
            client.send_text(TO, f"left behind {n}")
        client.mark_as_read("wamid.ABC", typing_indicator=True)
        client.media.upload(b"%PDF-1.4 left behind", "application/pdf", filename="a.pdf")
        session = client.media.create_upload_session(b"x" * 100, "application/pdf", filename="b.pdf")
    headers = {"D360-API-KEY": served.api_key, "file_offset": "0"}
    httpx.post(f"{served.base_url}/{session}", content=b"x" * 40, headers=headers)  # incomplete: 400, 40 kept
    served.set_faults(rate_limit=1000, latency=0.01, seed=5)


def test_reset_empties_everything_and_nothing_of_before_reaches_a_listener_afterwards() -> None:
    placeholder = bound_but_not_listening()  # the listener is down: deliveries wait for their retries
    url = f"http://127.0.0.1:{placeholder.getsockname()[1]}/"
    receiver = Receiver(header=("X-Partner-Auth", "letmein"), dedup=False)
    updates: list[StatusUpdate] = []
    receiver.on_status(updates.append)
    with sandbox.running(**FAST) as served:
        app = served.sandbox
        fill(served, url)
        deadline = time.monotonic() + 30
        while app.webhooks.stats.failed_attempts < 3:
            assert time.monotonic() < deadline, "no delivery was tried"
            time.sleep(0.01)
        assert app.webhooks.pending == 3 and len(app.media) == 1 and len(app.media.sessions) == 1
        assert app.received() and app.read_receipts and app.faults.rate_limit == 1000

        app.reset()

        assert app.received() == [] and app.accepted_count == 0 and app.kept_bytes == 0
        assert list(app.read_receipts) == [] and list(app.typing_indicators) == []
        assert app.faults == sandbox.Faults()
        assert app.webhooks.pending == 0 and app.webhooks.stats == sandbox.webhooks.DeliveryStats()
        assert (app.webhooks.settings.url, app.webhooks.settings.headers) == (None, {})
        assert len(app.media) == 0 and app.media.sessions == {} and app.media.kept_bytes == 0
        assert list(app.media.session_offsets) == [] and list(app.media.folder.iterdir()) == []
        with d360.Client(api_key=served.api_key, base_url=served.base_url) as client:
            assert client.get_webhook().url is None
            client.send_text(TO, "after the reset")  # no webhook URL now: nothing is queued
        assert app.webhooks.pending == 0
        # The listener comes up: the retries of before, due within half a second, never arrive.
        with serving_on(receiver.asgi, placeholder):
            time.sleep(1.5)
        assert updates == [] and receiver.stats.deliveries == 0
        assert [message.body["text"]["body"] for message in app.received()] == ["after the reset"]


def test_reset_restores_the_settings_the_sandbox_was_made_with() -> None:
    faults = sandbox.Faults(latency=0.001, seed=3)
    with sandbox.running(faults=faults, webhook_url="http://127.0.0.1:9/made", webhook_secret=SECRET) as served:
        with d360.Client(api_key=served.api_key, base_url=served.base_url) as client:
            client.set_webhook("http://127.0.0.1:9/changed", headers={"X-A": "b"})
        served.set_faults(unavailable_rate=1.0)
        served.sandbox.reset()
        settings = served.sandbox.webhooks.settings
        assert (settings.url, settings.secret, settings.headers) == ("http://127.0.0.1:9/made", SECRET, {})
        assert served.sandbox.faults == faults and served.sandbox.faults is not faults
        faults.latency = 5  # the caller's object changing later does not change what reset restores
        served.sandbox.reset()
        assert served.sandbox.faults == attrs.evolve(faults, latency=0.001)


def test_reset_of_a_sandbox_that_is_not_serving_empties_it_too() -> None:
    app = sandbox.Sandbox()
    running = sandbox.start(app)
    with d360.Client(api_key=running.api_key, base_url=running.base_url) as client:
        client.send_text(TO, "hi")
        client.media.upload(b"%PDF-1.4", "application/pdf", filename="a.pdf")
    running.stop()
    app.reset()
    assert app.received() == [] and len(app.media) == 0 and app.webhooks.pending == 0
