"""Receiver under real servers: uvicorn (ASGI, alone and mounted in Starlette) and wsgiref (WSGI).

It answers before a slow handler ends, refuses what fails verification without running a handler,
handles each event once however often it arrives, and sheds load with 503 so nothing is lost.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import socket
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

from d360 import ConfigurationError
from d360.webhooks import Deduplicator, IncomingMessage, Receiver, StatusUpdate, sign
from d360.webhooks.payloads import contact, delivery, inbound, status
from tests.servers import serving_asgi, serving_wsgi, wait_for

SECRET = "webhook-secret"
HTTP_TIMEOUT = 120
"""A hang guard (the receiver answers at once): httpx's 5 s was hit on two cores starved by parallel workers."""
SENDER = "4915112345678"


def signed(body: dict[str, Any], secret: str = SECRET) -> tuple[bytes, dict[str, str]]:
    raw = json.dumps(body).encode()
    return raw, {"x-360dialog-signature": sign(raw, secret), "content-type": "application/json"}


def text_delivery(message_id: str = "wamid.in-1", body: str = "hi") -> dict[str, Any]:
    return delivery(
        messages=[inbound(SENDER, "text", {"body": body}, id=message_id)], contacts=[contact(SENDER, "Kerry")]
    )


@contextmanager
def served(receiver: Receiver, how: str) -> Iterator[str]:
    """The receiver's URL under a real server: uvicorn alone, mounted in Starlette, or wsgiref."""
    if how == "asgi":
        with serving_asgi(receiver.asgi) as base:
            yield base + "/"
    elif how == "starlette":  # as the README shows it: the lifespan wired
        app = Starlette(routes=[Mount("/webhooks/whatsapp", app=receiver.asgi)], lifespan=receiver.lifespan)
        with serving_asgi(app) as base:
            yield base + "/webhooks/whatsapp/"
    else:
        with serving_wsgi(receiver.wsgi) as base:
            yield base + "/"
        receiver.wsgi.close(timeout=5)


ADAPTERS = ["asgi", "starlette", "wsgi"]


@pytest.fixture
def new_receiver(tmp_path: Path) -> Callable[..., Receiver]:
    def make(**options: Any) -> Receiver:
        options.setdefault("secret", SECRET)
        options.setdefault("dedup", Deduplicator(tmp_path / "seen.sqlite"))
        return Receiver(**options)

    return make


@pytest.mark.parametrize("how", ADAPTERS)
def test_answers_200_before_a_slow_handler_ends_then_runs_it_once(
    how: str, new_receiver: Callable[..., Receiver]
) -> None:
    receiver = new_receiver()
    release = threading.Event()
    seen: list[IncomingMessage] = []

    @receiver.on_message
    def slow(message: IncomingMessage) -> None:
        release.wait(300)  # a hang guard: the test releases it
        seen.append(message)

    with served(receiver, how) as url:
        raw, headers = signed(text_delivery())
        response = httpx.post(url, content=raw, headers=headers, timeout=HTTP_TIMEOUT)
        assert response.status_code == 200 and response.json() == {"received": 1, "new": 1}
        assert seen == []  # answered while the handler still waits
        release.set()
        wait_for(lambda: receiver.stats.handled == 1)
        assert [message.text.body for message in seen if message.text] == ["hi"]


@pytest.mark.parametrize("how", ADAPTERS)
def test_redeliveries_are_answered_200_and_handled_once(how: str, new_receiver: Callable[..., Receiver]) -> None:
    receiver = new_receiver()
    handled: list[str] = []
    receiver.on_status(lambda update: handled.append(update.dedup_key))
    body = delivery(statuses=[status("wamid.out", "delivered", SENDER), status("wamid.out", "read", SENDER)])
    with served(receiver, how) as url:
        raw, headers = signed(body)
        answers = [httpx.post(url, content=raw, headers=headers, timeout=HTTP_TIMEOUT) for _ in range(3)]
        assert [answer.status_code for answer in answers] == [200, 200, 200]
        assert [answer.json()["new"] for answer in answers] == [2, 0, 0]
        wait_for(lambda: receiver.stats.handled == 2)
    assert sorted(handled) == [f"status:wamid.out:delivered:{SENDER}", f"status:wamid.out:read:{SENDER}"]
    assert receiver.stats.duplicates == 4


@pytest.mark.parametrize("how", ADAPTERS)
@pytest.mark.parametrize(
    ("tamper", "expected"),
    [
        (lambda raw, headers: (raw, {**headers, "x-360dialog-signature": sign(raw, "wrong")}), 401),
        (lambda raw, headers: (raw, {"content-type": "application/json"}), 401),
        (lambda raw, headers: (raw + b" ", headers), 401),
    ],
)
def test_a_delivery_failing_verification_gets_401_and_runs_no_handler(
    how: str, tamper: Any, expected: int, new_receiver: Callable[..., Receiver]
) -> None:
    receiver = new_receiver()
    ran: list[Any] = []
    receiver.on_event(ran.append)
    with served(receiver, how) as url:
        raw, headers = tamper(*signed(text_delivery()))
        response = httpx.post(url, content=raw, headers=headers, timeout=HTTP_TIMEOUT)
        assert response.status_code == expected and "error" in response.json()
        assert SECRET not in response.text
        # The refused delivery was not remembered: the genuine one is still handled.
        good = httpx.post(
            url, content=signed(text_delivery())[0], headers=signed(text_delivery())[1], timeout=HTTP_TIMEOUT
        )
        assert good.json()["new"] == 1
        wait_for(lambda: receiver.stats.handled == 1)
    assert len(ran) == 1


@pytest.mark.parametrize("how", ADAPTERS)
def test_required_custom_header_is_checked(how: str, new_receiver: Callable[..., Receiver]) -> None:
    receiver = new_receiver(secret=None, header=("X-Partner-Auth", "letmein"))
    with served(receiver, how) as url:
        raw = json.dumps(text_delivery()).encode()
        assert httpx.post(url, content=raw, timeout=HTTP_TIMEOUT).status_code == 401
        assert (
            httpx.post(url, content=raw, headers={"X-Partner-Auth": "letmein"}, timeout=HTTP_TIMEOUT).status_code == 200
        )


@pytest.mark.parametrize("how", ADAPTERS)
def test_not_a_webhook_is_400_too_large_is_413_and_get_is_405(how: str, new_receiver: Callable[..., Receiver]) -> None:
    receiver = new_receiver(max_body_bytes=4096)
    with served(receiver, how) as url:
        raw, headers = signed({"hello": "world"})
        response = httpx.post(url, content=raw, headers=headers, timeout=HTTP_TIMEOUT)
        assert response.status_code == 400 and "not a webhook" in response.json()["error"]
        big = json.dumps(text_delivery(body="x" * 10_000)).encode()
        assert (
            httpx.post(
                url, content=big, headers={"x-360dialog-signature": sign(big, SECRET)}, timeout=HTTP_TIMEOUT
            ).status_code
            == 413
        )
        response = httpx.get(url, timeout=HTTP_TIMEOUT)
        assert response.status_code == 405 and response.headers["allow"] == "POST"


@pytest.mark.parametrize("how", ADAPTERS)
def test_a_full_queue_answers_503_and_forgets_so_the_redelivery_is_handled(
    how: str, new_receiver: Callable[..., Receiver]
) -> None:
    receiver = new_receiver(queue_size=1, workers=1)
    release = threading.Event()
    handled: list[str] = []

    @receiver.on_message
    def blocking(message: IncomingMessage) -> None:
        release.wait(300)  # a hang guard: the test releases it
        handled.append(message.id)

    with served(receiver, how) as url:
        for message_id in ("wamid.1", "wamid.2"):  # one is being handled, one waits in the queue
            raw, headers = signed(text_delivery(message_id))
            assert httpx.post(url, content=raw, headers=headers, timeout=HTTP_TIMEOUT).status_code == 200
        wait_for(lambda: receiver.asgi.pending + receiver.wsgi.pending >= 2)
        raw, headers = signed(text_delivery("wamid.3"))
        busy = httpx.post(url, content=raw, headers=headers, timeout=HTTP_TIMEOUT)
        assert busy.status_code == 503 and busy.headers["retry-after"]
        release.set()
        wait_for(lambda: receiver.stats.handled == 2)
        redelivered = httpx.post(url, content=raw, headers=headers, timeout=HTTP_TIMEOUT)  # upstream tries again
        assert redelivered.status_code == 200 and redelivered.json()["new"] == 1
        wait_for(lambda: receiver.stats.handled == 3)
    assert handled == ["wamid.1", "wamid.2", "wamid.3"]


@pytest.mark.parametrize("how", ADAPTERS)
def test_a_failing_handler_is_logged_with_the_event_key_and_not_retried(
    how: str, new_receiver: Callable[..., Receiver], caplog: pytest.LogCaptureFixture
) -> None:
    receiver = new_receiver()
    calls: list[str] = []
    after: list[str] = []

    @receiver.on_message
    def broken(message: IncomingMessage) -> None:
        calls.append(message.id)
        raise RuntimeError("database is down")

    receiver.on_message(lambda message: after.append(message.id))
    with caplog.at_level(logging.ERROR, logger="d360.webhooks"), served(receiver, how) as url:
        raw, headers = signed(text_delivery("wamid.boom"))
        assert httpx.post(url, content=raw, headers=headers, timeout=HTTP_TIMEOUT).status_code == 200
        wait_for(lambda: receiver.stats.handler_errors == 1 and receiver.stats.handled == 1)
        assert httpx.post(url, content=raw, headers=headers, timeout=HTTP_TIMEOUT).json()["new"] == 0
    assert calls == ["wamid.boom"] and after == ["wamid.boom"]
    (record,) = [record for record in caplog.records if "failed" in record.getMessage()]
    assert "message:wamid.boom" in record.getMessage() and "database is down" in record.getMessage()
    assert record.exc_info is not None


@pytest.mark.parametrize("how", ADAPTERS)
def test_filters_by_type_and_status_and_coroutine_handlers(how: str, new_receiver: Callable[..., Receiver]) -> None:
    receiver = new_receiver()
    texts: list[str] = []
    failures: list[str] = []
    everything: list[str] = []

    @receiver.on_message(type="text")
    async def on_text(message: IncomingMessage) -> None:
        await asyncio.sleep(0)
        texts.append(message.id)

    @receiver.on_status(status=["failed"])
    def on_failed(update: StatusUpdate) -> None:
        failures.append(update.message_id)

    receiver.on_event(lambda event: everything.append(type(event).__name__))
    body = delivery(
        messages=[
            inbound(SENDER, "text", {"body": "a"}, id="wamid.t"),
            inbound(SENDER, "image", {"id": "9"}, id="wamid.i"),
        ],
        statuses=[status("wamid.o1", "failed", SENDER), status("wamid.o2", "read", SENDER)],
    )
    with served(receiver, how) as url:
        raw, headers = signed(body)
        assert httpx.post(url, content=raw, headers=headers, timeout=HTTP_TIMEOUT).status_code == 200
        wait_for(lambda: receiver.stats.handled == 6)
    assert texts == ["wamid.t"] and failures == ["wamid.o1"]
    assert sorted(everything) == ["IncomingMessage", "IncomingMessage", "StatusUpdate", "StatusUpdate"]


def test_path_restricts_where_the_receiver_answers(new_receiver: Callable[..., Receiver]) -> None:
    receiver = new_receiver(path="/hooks")
    with served(receiver, "asgi") as url:
        raw, headers = signed(text_delivery())
        assert httpx.post(url + "elsewhere", content=raw, headers=headers, timeout=HTTP_TIMEOUT).status_code == 404
        assert httpx.post(url + "hooks", content=raw, headers=headers, timeout=HTTP_TIMEOUT).status_code == 200


async def test_asgi_drain_and_aclose_wait_for_queued_handlers(new_receiver: Callable[..., Receiver]) -> None:
    receiver = new_receiver()
    done: list[str] = []

    @receiver.on_message
    async def later(message: IncomingMessage) -> None:
        await asyncio.sleep(0.2)
        done.append(message.id)

    transport = httpx.ASGITransport(app=receiver.asgi)
    async with httpx.AsyncClient(transport=transport, base_url="http://receiver") as client:
        raw, headers = signed(text_delivery())
        assert (await client.post("/", content=raw, headers=headers)).status_code == 200
    assert receiver.asgi.pending == 1
    assert await receiver.asgi.drain(timeout=0.01) is False
    assert await receiver.asgi.aclose(timeout=5) is True and done == ["wamid.in-1"]


def test_receiver_without_verification_warns(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="d360.webhooks"):
        Receiver(dedup=False)
    assert "without a secret" in caplog.text


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"queue_size": 0}, "queue_size"),
        ({"workers": True}, "workers"),
        ({"path": "hooks"}, "path"),
        ({"secret": ""}, "secret"),
        ({"header": ("X-Only-Name",)}, "header"),
        ({"dedup": object()}, "claim"),
    ],
)
def test_bad_receiver_settings_are_refused_at_once(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        Receiver(**options)


def test_filters_must_name_something() -> None:
    receiver = Receiver(dedup=False)
    with pytest.raises(ConfigurationError, match="filters"):
        receiver.on_message(type=[])
    with pytest.raises(ConfigurationError, match="callable"):
        receiver.on_event(42)  # type: ignore[arg-type]


# What a signed delivery holds is never a reason to refuse it.

ODD_BODY = (
    b'{"object": "whatsapp_business_account", "entry": [{"id": "W", "changes": [{"field": "messages", "value": {'
    b'"contacts": [{"wa_id": "49151", "profile": {"name": "Kerry \\ud83d"}}], '
    b'"messages": [{"from": "49151", "id": "wamid.\\udc80", "type": "text", "text": {"body": "half \\ud83d"}}], '
    b'"statuses": [{"id": "wamid.OUT\\ud800", "status": "failed", "recipient_id": "49151", '
    b'"errors": [{"code": "\\u00b2", "title": "t\\udfff"}]}, '
    b'{"id": "wamid.GOOD", "status": "read", "recipient_id": "49151", "errors": [{"code": "--5"}]}]}}, '
    b'{"field": "messages", "value": {"statuses": [{"id": 7, "status": ["odd"]}], "surprise": {"x": 1}}}, '
    b'{"field": "brand_new_field", "value": {"x": "\\udfff"}}]}]}'
)


@pytest.mark.parametrize("how", ADAPTERS)
def test_odd_values_and_shapes_are_taken_handled_and_remembered(
    how: str, new_receiver: Callable[..., Receiver]
) -> None:
    receiver = new_receiver()  # SQLite de-duplication: keys with lone surrogates must be storable
    seen: list[Any] = []
    receiver.on_event(seen.append)
    headers = {"x-360dialog-signature": sign(ODD_BODY, SECRET)}
    with served(receiver, how) as url:
        first = httpx.post(url, content=ODD_BODY, headers=headers, timeout=10)
        assert first.status_code == 200 and first.json() == {"received": 6, "new": 6}
        wait_for(lambda: receiver.stats.handled == 6)
        again = httpx.post(url, content=ODD_BODY, headers=headers, timeout=10)
        assert again.status_code == 200 and again.json() == {"received": 6, "new": 0}
    kinds = [type(event).__name__ for event in seen]
    assert sorted(kinds) == sorted(["IncomingMessage", "StatusUpdate", "StatusUpdate"] + ["UnknownEvent"] * 3)
    message = next(event for event in seen if isinstance(event, IncomingMessage))
    assert message.text is not None and message.text.body == "half \ud83d"
    codes = sorted(str(event.errors[0].code) for event in seen if isinstance(event, StatusUpdate))
    assert codes == ["--5", "\u00b2"] and receiver.stats.handler_errors == 0


@pytest.mark.parametrize("how", ADAPTERS)
def test_a_delivery_of_more_events_than_the_queue_holds_is_taken_and_handled(
    how: str, new_receiver: Callable[..., Receiver]
) -> None:
    receiver = new_receiver(queue_size=3, workers=1)
    release = threading.Event()
    handled: list[str] = []

    @receiver.on_status
    def blocking(update: StatusUpdate) -> None:
        release.wait(300)  # a hang guard: the test releases it
        handled.append(update.message_id)

    big = delivery(statuses=[status(f"wamid.big-{number}", "read", SENDER) for number in range(10)])
    other = delivery(statuses=[status("wamid.later", "read", SENDER)])
    with served(receiver, how) as url:
        answer = httpx.post(url, content=signed(big)[0], headers=signed(big)[1], timeout=10)
        assert answer.status_code == 200 and answer.json()["new"] == 10  # not a 503 that could never succeed
        busy = httpx.post(url, content=signed(other)[0], headers=signed(other)[1], timeout=10)
        assert busy.status_code == 503  # the queue is full now: upstream tries again later
        release.set()
        wait_for(lambda: receiver.stats.handled == 10)
        later = httpx.post(url, content=signed(other)[0], headers=signed(other)[1], timeout=10)
        assert later.status_code == 200 and later.json()["new"] == 1
        wait_for(lambda: receiver.stats.handled == 11)
    assert handled == [f"wamid.big-{number}" for number in range(10)] + ["wamid.later"]


async def _raise_async(kind: type[BaseException]) -> None:
    raise kind()


@pytest.mark.parametrize("how", ADAPTERS)
@pytest.mark.parametrize("kind", [SystemExit, KeyboardInterrupt, GeneratorExit, asyncio.CancelledError])
@pytest.mark.parametrize("style", ["function", "coroutine"])
def test_a_handler_raising_a_base_exception_is_logged_and_the_receiver_goes_on(
    how: str, kind: type[BaseException], style: str, new_receiver: Callable[..., Receiver],
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    receiver = new_receiver(workers=1)
    after: list[str] = []

    if style == "function":

        def broken(message: IncomingMessage) -> None:
            raise kind()

    else:

        async def broken(message: IncomingMessage) -> None:  # type: ignore[misc]
            await _raise_async(kind)

    receiver.on_message(broken)
    receiver.on_message(lambda message: after.append(message.id))
    with caplog.at_level(logging.ERROR, logger="d360.webhooks"), served(receiver, how) as url:
        for message_id in ("wamid.first", "wamid.second"):
            raw, headers = signed(text_delivery(message_id))
            assert httpx.post(url, content=raw, headers=headers, timeout=10).status_code == 200
        wait_for(lambda: receiver.stats.handled == 2 and receiver.stats.handler_errors == 2)
    assert after == ["wamid.first", "wamid.second"]  # the other handler, and the next event, still ran
    failures = [record.getMessage() for record in caplog.records if "failed on" in record.getMessage()]
    assert len(failures) == 2 and all(kind.__name__ in line for line in failures)


class _BlockingStore:
    """A de-duplication store whose claim of a large delivery waits for the test: a stand-in for slow work."""

    def __init__(self) -> None:
        self.inside = threading.Event()
        self.release = threading.Event()

    def claim(self, keys: Any) -> list[bool]:
        if len(keys) > 100:
            self.inside.set()
            self.release.wait(30)
        return [True] * len(keys)

    def forget(self, keys: Any) -> None:
        pass


@pytest.mark.parametrize("how", ["asgi", "starlette"])
def test_a_large_delivery_is_checked_off_the_event_loop(how: str, new_receiver: Callable[..., Receiver]) -> None:
    store = _BlockingStore()
    receiver = new_receiver(dedup=Deduplicator(store))
    large = delivery(statuses=[status(f"wamid.large-{number}", "read", SENDER) for number in range(200)])
    answers: list[int] = []
    with served(receiver, how) as url:
        raw, headers = signed(large)
        poster = threading.Thread(
            target=lambda: answers.append(httpx.post(url, content=raw, headers=headers, timeout=60).status_code)
        )
        poster.start()
        try:
            assert store.inside.wait(20), "the large delivery never reached its de-duplication"
            # While the large delivery is being worked on, the loop still answers the others.
            raw_small, headers_small = signed(text_delivery("wamid.small"))
            assert httpx.post(url, content=raw_small, headers=headers_small, timeout=10).status_code == 200
        finally:
            store.release.set()
            poster.join(60)
        assert answers == [200]
        wait_for(lambda: receiver.stats.handled == 0 and receiver.stats.events == 201)


@pytest.mark.parametrize("how", ADAPTERS)
def test_a_delivery_that_was_quadratic_to_parse_is_answered_within_a_bound(
    how: str, new_receiver: Callable[..., Receiver]
) -> None:
    """60,000 messages and 60,000 contacts that match none of them: a contact scan per message took minutes."""
    count = 60_000
    messages = [{"from": f"1{number}", "id": f"w{number}", "type": "x"} for number in range(count)]
    contacts = [{"wa_id": f"2{number}"} for number in range(count)]
    body = delivery(messages=messages, contacts=contacts)
    raw, headers = signed(body)
    receiver = new_receiver(max_body_bytes=len(raw), dedup=False)
    with served(receiver, how) as url:
        answer = httpx.post(url, content=raw, headers=headers, timeout=60)  # a hang guard, not a speed test
        assert answer.status_code == 200 and answer.json() == {"received": count, "new": count}


def test_an_unreadable_content_length_is_a_clean_400_under_a_real_wsgi_server(
    new_receiver: Callable[..., Receiver],
) -> None:
    receiver = new_receiver()
    with serving_wsgi(receiver.wsgi) as base:
        port = int(base.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
            # "\xb2" is "²" in latin-1, as WSGI servers decode headers: "²".isdigit() is True, int("²") fails.
            # A length it cannot read is no length: nothing is read (wsgiref does not end the input), and the
            # signature of nothing passes, so what is left to say is that nothing is not a webhook.
            signature = sign(b"", SECRET).encode()
            connection.sendall(
                b"POST / HTTP/1.0\r\nContent-Length: \xb2\r\nx-360dialog-signature: " + signature + b"\r\n\r\n{}"
            )
            answer = connection.makefile("rb").read()
    assert answer.startswith(b"HTTP/1.0 400") and b"not a webhook" in answer


class _StrictUTF8Handler(logging.StreamHandler):  # type: ignore[type-arg]
    """A log file as most are: UTF-8, strict. Records it could not write are kept, not printed."""

    def __init__(self) -> None:
        super().__init__(io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict"))
        self.failures: list[BaseException] = []

    def handleError(self, record: logging.LogRecord) -> None:
        self.failures.append(sys.exc_info()[1] or RuntimeError("unknown"))


@pytest.mark.parametrize("how", ["asgi", "wsgi"])
def test_a_handler_failure_about_a_lone_surrogate_is_logged_where_utf8_logs_can_take_it(
    how: str, new_receiver: Callable[..., Receiver]
) -> None:
    receiver = new_receiver()

    @receiver.on_message
    def broken(message: IncomingMessage) -> None:
        raise ValueError(f"cannot store {message.text.body if message.text else ''}")

    handler = _StrictUTF8Handler()
    logging.getLogger("d360.webhooks").addHandler(handler)
    try:
        with served(receiver, how) as url:
            raw = ODD_BODY
            assert httpx.post(url, content=raw, headers={"x-360dialog-signature": sign(raw, SECRET)}).status_code == 200
            wait_for(lambda: receiver.stats.handler_errors == 1)
    finally:
        logging.getLogger("d360.webhooks").removeHandler(handler)
    assert handler.failures == []
    handler.stream.flush()
    written = handler.stream.buffer.getvalue().decode("utf-8")  # type: ignore[attr-defined]
    assert "cannot store half \\ud83d" in written and "Traceback" in written
