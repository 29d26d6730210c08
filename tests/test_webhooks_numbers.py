"""Several numbers, one app: handlers routed by the number an event came to, through a real Receiver under a
real server, and `client_for(event)` answering through the sandbox with that number's API key."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import d360.sandbox
from d360 import AuthenticationError, ClientStateError, ConfigurationError
from d360.webhooks import Deduplicator, IncomingMessage, Receiver, StatusUpdate, sign
from d360.webhooks.numbers import NumberRegistry, UnknownNumberError
from d360.webhooks.payloads import contact, delivery, inbound, status, template_status_update
from tests.servers import serving_asgi, serving_wsgi, wait_for

SECRET = "numbers-secret"
CUSTOMER = "4915112345678"
SHOP, HELP, ELSEWHERE = "106540352242922", "106540352242923", "106540352242999"
SHOP_DISPLAY, HELP_DISPLAY = "15550783881", "15550783882"
SHOP_KEY, HELP_KEY = "shop-key-0123456789", "help-key-9876543210"


def post(url: str, body: dict[str, Any]) -> httpx.Response:
    raw = json.dumps(body).encode()
    return httpx.post(url, content=raw, headers={"x-360dialog-signature": sign(raw, SECRET)}, timeout=10)


def text_to(number: str, display: str, message_id: str, body: str = "hi") -> dict[str, Any]:
    return delivery(
        messages=[inbound(CUSTOMER, "text", {"body": body}, id=message_id)],
        contacts=[contact(CUSTOMER, "Kerry")],
        phone_number_id=number,
        display_phone_number=display,
    )


@pytest.fixture
def receiver(tmp_path: Path) -> Receiver:
    return Receiver(secret=SECRET, dedup=Deduplicator(tmp_path / "seen.sqlite"), numbers={SHOP: SHOP_KEY})


def served(receiver: Receiver, how: str) -> Any:
    return serving_asgi(receiver.asgi) if how == "asgi" else serving_wsgi(receiver.wsgi)


@pytest.mark.parametrize("how", ["asgi", "wsgi"])
def test_handlers_get_only_the_events_of_their_numbers(receiver: Receiver, how: str) -> None:
    seen: dict[str, list[str]] = {"shop": [], "help by display": [], "shop statuses": [], "either": [], "all": []}
    lock = threading.Lock()

    def recorder(name: str) -> Any:
        def record(event: Any) -> None:
            with lock:
                seen[name].append(getattr(event, "id", None) or getattr(event, "message_id", None) or event.dedup_key)

        return record

    receiver.on_message(recorder("shop"), phone_number_id=SHOP)
    receiver.on_message(recorder("help by display"), display_phone_number="+1 555-078-3882")
    receiver.on_status(recorder("shop statuses"), phone_number_id=SHOP, status="delivered")
    receiver.on_event(recorder("either"), phone_number_id=[SHOP, HELP])
    receiver.on_event(recorder("all"))
    with served(receiver, how) as base:
        url = base + "/"
        assert post(url, text_to(SHOP, SHOP_DISPLAY, "wamid.to-shop")).status_code == 200
        assert post(url, text_to(HELP, HELP_DISPLAY, "wamid.to-help")).status_code == 200
        assert post(url, text_to(ELSEWHERE, "15550000000", "wamid.to-elsewhere")).status_code == 200
        for number, display, message_id in (
            (SHOP, SHOP_DISPLAY, "wamid.out-shop"),
            (HELP, HELP_DISPLAY, "wamid.out-help"),
        ):
            answer = post(
                url,
                delivery(
                    statuses=[status(message_id, "delivered", CUSTOMER)],
                    phone_number_id=number,
                    display_phone_number=display,
                ),
            )
            assert answer.status_code == 200
        assert post(url, template_status_update("order_confirmation", "APPROVED")).status_code == 200
        wait_for(lambda: len(seen["all"]) == 6)
        if how == "wsgi":
            receiver.wsgi.close(timeout=5)
    assert seen["shop"] == ["wamid.to-shop"]
    assert seen["help by display"] == ["wamid.to-help"]
    assert seen["shop statuses"] == ["wamid.out-shop"]
    assert sorted(seen["either"]) == sorted(["wamid.to-shop", "wamid.to-help", "wamid.out-shop", "wamid.out-help"])


def test_number_filters_that_can_never_match_are_refused_at_once(receiver: Receiver) -> None:
    with pytest.raises(ConfigurationError, match="phone_number_id is the number's id in digits"):
        receiver.on_message(print, phone_number_id="+1 555 078 3881")
    with pytest.raises(ConfigurationError, match="display_phone_number filters are phone numbers"):
        receiver.on_status(print, display_phone_number="shop")
    with pytest.raises(ConfigurationError, match="phone_number_id filters are non-empty"):
        receiver.on_event(print, phone_number_id=[])


@pytest.fixture
def sandbox() -> Iterator[Any]:
    """A sandbox that takes the shop's key only: the help number's key is refused, so a reply shows which key
    it carried."""
    with d360.sandbox.running(api_keys=[SHOP_KEY]) as running:
        yield running


def test_client_for_answers_from_the_number_that_received_the_message(sandbox: Any, tmp_path: Path) -> None:
    numbers = NumberRegistry({SHOP: SHOP_KEY, HELP: HELP_KEY}, base_url=sandbox.base_url)
    receiver = Receiver(secret=SECRET, dedup=Deduplicator(tmp_path / "seen.sqlite"), numbers=numbers)
    outcomes: dict[str, Any] = {}

    @receiver.on_message(type="text")
    def reply(message: IncomingMessage) -> None:
        try:
            outcomes[message.id] = receiver.client_for(message).send_text(message.from_, f"re: {message.text.body}")  # type: ignore[union-attr]
        except Exception as exc:
            outcomes[message.id] = exc

    with serving_asgi(receiver.asgi) as base:
        post(base + "/", text_to(SHOP, SHOP_DISPLAY, "wamid.shop-1", "order?"))
        post(base + "/", text_to(HELP, HELP_DISPLAY, "wamid.help-1", "help!"))
        post(base + "/", text_to(SHOP, SHOP_DISPLAY, "wamid.shop-2", "again"))
        wait_for(lambda: len(outcomes) == 3)
        shop_client = receiver.client_for(SHOP)
    # The shop's key was taken; the help number's reply carried the help key, which this sandbox refuses.
    assert outcomes["wamid.shop-1"].message_id and outcomes["wamid.shop-2"].message_id
    assert isinstance(outcomes["wamid.help-1"], AuthenticationError)
    assert sorted(sent.body["text"]["body"] for sent in sandbox.received()) == ["re: again", "re: order?"]
    # One client per number, closed with the receiver (its lifespan ended with the server).
    with pytest.raises(ClientStateError):
        shop_client.send_text(CUSTOMER, "after the end")


def test_async_client_for_answers_from_the_number_too(sandbox: Any, tmp_path: Path) -> None:
    numbers = NumberRegistry({SHOP: SHOP_KEY}, base_url=sandbox.base_url)
    receiver = Receiver(secret=SECRET, dedup=Deduplicator(tmp_path / "seen.sqlite"), numbers=numbers)
    outcomes: dict[str, Any] = {}
    clients: list[Any] = []

    @receiver.on_message
    async def reply(message: IncomingMessage) -> None:
        try:
            client = receiver.async_client_for(message)
            clients.append(client)
            outcomes[message.id] = await client.send_text(message.from_, "async hello")
        except Exception as exc:
            outcomes[message.id] = exc

    with serving_asgi(receiver.asgi) as base:
        post(base + "/", text_to(SHOP, SHOP_DISPLAY, "wamid.async-1"))
        post(base + "/", text_to(SHOP, SHOP_DISPLAY, "wamid.async-2"))
        post(base + "/", text_to(ELSEWHERE, "15550000000", "wamid.async-3"))
        wait_for(lambda: len(outcomes) == 3)
    assert outcomes["wamid.async-1"].message_id and outcomes["wamid.async-2"].message_id
    assert clients[0] is clients[1]  # one per number on the serving loop
    assert clients[0]._transport._closed  # closed at the lifespan's end (on its loop, which is gone now)
    unknown = outcomes["wamid.async-3"]
    assert isinstance(unknown, UnknownNumberError)
    assert f"no API key for number {ELSEWHERE}" in str(unknown)
    assert [sent.body["text"]["body"] for sent in sandbox.received()] == ["async hello", "async hello"]


def test_an_event_for_a_number_without_a_key_is_refused_naming_the_number_never_a_key() -> None:
    numbers = NumberRegistry({SHOP: SHOP_KEY})
    event = IncomingMessage(
        dedup_key="k",
        raw={},
        id="wamid.x",
        type="text",
        from_=CUSTOMER,
        phone_number_id=HELP,
        display_phone_number=HELP_DISPLAY,
    )
    with pytest.raises(UnknownNumberError) as raised:
        numbers.client_for(event)
    assert f"no API key for number {HELP}" in str(raised.value)
    assert f"numbers with a key: {SHOP}" in str(raised.value)
    assert SHOP_KEY not in str(raised.value)
    assert SHOP_KEY not in repr(numbers)


def test_a_number_is_found_by_its_display_number_when_given() -> None:
    numbers = NumberRegistry()
    numbers.add(SHOP, SHOP_KEY, display_phone_number="+1 (555) 078-3881")
    event = StatusUpdate(
        dedup_key="k",
        raw={},
        message_id="wamid.y",
        status="sent",
        recipient_id=CUSTOMER,
        display_phone_number=SHOP_DISPLAY,
    )
    assert numbers.number_of(event) == SHOP
    assert numbers.api_key_for("15550783881") == SHOP_KEY
    assert SHOP in numbers and "15550783881" in numbers and HELP not in numbers


def test_the_registry_reads_numbers_and_keys_from_the_environment() -> None:
    numbers = NumberRegistry.from_env(
        {
            "D360_NUMBERS": f" {SHOP}:{SHOP_KEY} , {HELP}:{HELP_KEY}",
            f"D360_API_KEY_{ELSEWHERE}": "third-key-000",
            "D360_API_KEY": "the-default-key-is-not-a-number",
            "D360_API_KEY_FILE": "/run/secrets/d360",  # not a number: left alone
        },
        base_url="http://127.0.0.1:9",
    )
    assert numbers.numbers == {SHOP, HELP, ELSEWHERE}
    assert numbers.api_key_for(HELP) == HELP_KEY
    assert numbers.api_key_for(ELSEWHERE) == "third-key-000"


def test_a_receiver_without_numbers_reads_them_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("D360_NUMBERS", f"{SHOP}:{SHOP_KEY}")
    receiver = Receiver(secret=SECRET, dedup=Deduplicator(tmp_path / "seen.sqlite"))
    assert receiver.numbers.numbers == {SHOP}
    assert receiver.client_for(SHOP) is receiver.client_for(SHOP)
    receiver.close_clients()


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"D360_NUMBERS": f"{SHOP}={SHOP_KEY}"}, "$D360_NUMBERS: entry 1 is not phone_number_id:api_key"),
        ({"D360_NUMBERS": f"{SHOP}:{SHOP_KEY},shop:{HELP_KEY}"}, "$D360_NUMBERS entry 2: a phone_number_id is"),
        ({"D360_NUMBERS": f"{SHOP}:"}, f"the API key for number {SHOP} is empty"),
        ({"D360_NUMBERS": f"{SHOP}:{SHOP_KEY}", f"D360_API_KEY_{SHOP}": HELP_KEY}, f"number {SHOP} is given two"),
    ],
)
def test_a_malformed_environment_is_refused_naming_the_variable_never_the_key(
    environ: dict[str, str], named: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(ConfigurationError) as raised:
        NumberRegistry.from_env(environ)
    assert named in str(raised.value)
    for secret in (SHOP_KEY, HELP_KEY):
        assert secret not in str(raised.value)
        assert secret not in caplog.text


def test_keys_are_given_per_number_not_once_for_all() -> None:
    with pytest.raises(ConfigurationError, match="each number has its own API key"):
        NumberRegistry({SHOP: SHOP_KEY}, api_key=SHOP_KEY)
