"""The sandbox: auth, validation, what it keeps, read receipts, fault injection, and `d360 sandbox` itself."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from typing import Any

import httpx
import pytest

import d360
from d360 import messages, sandbox
from d360.sandbox import Faults

TO = "4915112345678"
KEY = "sandbox-test-key"
TEXT = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": TO, "type": "text",
        "text": {"body": "Hi"}}  # fmt: skip


def post(served: sandbox.RunningSandbox, body: Any, key: str | None = KEY) -> httpx.Response:
    headers = {"D360-API-KEY": key} if key else {}
    # A hang guard only (the sandbox answers at once): httpx's default 5 s read timeout was hit by a request
    # on two cores starved by the suite's parallel workers.
    return httpx.post(f"{served.base_url}/messages", json=body, headers=headers, timeout=120)


@pytest.fixture
def served() -> Any:
    with sandbox.running(api_keys=[KEY]) as running:
        yield running


def test_accepts_a_valid_message_with_a_unique_wamid(served: sandbox.RunningSandbox) -> None:
    first, second = post(served, TEXT).json(), post(served, TEXT).json()
    assert first["contacts"] == [{"input": TO, "wa_id": TO}]
    assert first["messages"][0]["message_status"] == "accepted"
    ids = {first["messages"][0]["id"], second["messages"][0]["id"]}
    assert len(ids) == 2 and all(re.fullmatch(r"wamid\.[A-Za-z0-9_-]+", message_id) for message_id in ids)


@pytest.mark.parametrize("key", [None, "wrong-key"])
def test_missing_or_wrong_key_is_401_with_the_spec_error_body(served: sandbox.RunningSandbox, key: str | None) -> None:
    response = post(served, TEXT, key=key)
    assert response.status_code == 401
    assert isinstance(response.json()["error"], str)
    assert served.received() == []


def test_invalid_body_is_400_naming_the_first_offending_path(served: sandbox.RunningSandbox) -> None:
    response = post(served, {**TEXT, "text": {"body": 42}})
    assert response.status_code == 400
    assert response.json() == {"error": "invalid message: $.text.body: must be string, not integer"}


def test_malformed_json_is_400(served: sandbox.RunningSandbox) -> None:
    response = httpx.post(f"{served.base_url}/messages", content=b"{nope", headers={"D360-API-KEY": KEY})
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["error"]


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b'{"messaging_product": "whatsapp", "to": "4915112345678", "type": "text", "text": {"body": "Hi \\ud83d"}}',
         "invalid message: $.text.body: holds a lone surrogate ('\\ud83d'), which UTF-8 cannot carry: half of an "
         "emoji, say"),
        (b'{"messaging_product": "whatsapp", "to": "4915112345678", "type": "location", '
         b'"location": {"latitude": NaN, "longitude": 13.4}}',
         "request body is not valid JSON: NaN is not JSON"),
    ],
    ids=["a lone surrogate", "NaN"],
)  # fmt: skip
def test_a_message_it_could_not_show_again_is_refused_not_kept(
    served: sandbox.RunningSandbox, body: bytes, error: str
) -> None:
    """Accepted and kept, it made every look at what arrived (/_sandbox/messages) a 500."""
    response = httpx.post(f"{served.base_url}/messages", content=body, headers={"D360-API-KEY": KEY})
    assert (response.status_code, response.json()) == (400, {"error": error})
    assert served.received() == []
    assert httpx.get(f"{served.base_url}/_sandbox/messages").status_code == 200


def test_documented_limits_are_enforced_by_default_as_upstream_does(served: sandbox.RunningSandbox) -> None:
    response = post(served, {**TEXT, "text": {"body": "x" * 5000}})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid message: $.text.body: is 5000 characters, more than the limit of 4096"
    assert post(served, {**TEXT, "text": {"body": "x" * 4096}}).status_code == 200


def test_limits_no_schema_can_say_are_enforced_only_when_asked() -> None:
    same_titles = messages.buttons(TO, "Pick", [("a", "Same"), ("b", "Same")])
    with sandbox.running(api_keys=[KEY]) as lenient, sandbox.running(api_keys=[KEY], enforce_limits=True) as strict:
        assert post(lenient, same_titles).status_code == 200
        response = post(strict, same_titles)
    assert response.status_code == 400
    assert "repeats the title of button 0" in response.json()["error"]


def test_read_receipt_is_accepted_with_or_without_a_typing_indicator(served: sandbox.RunningSandbox) -> None:
    with d360.Client(api_key=KEY, base_url=served.base_url) as client:
        assert client.mark_as_read("wamid.ABC") is True
        assert client.mark_as_read("wamid.DEF", typing_indicator=True) is True
    assert list(served.sandbox.read_receipts) == ["wamid.ABC", "wamid.DEF"]
    assert list(served.sandbox.typing_indicators) == ["wamid.DEF"]
    bad = {
        "messaging_product": "whatsapp",
        "status": "read",
        "message_id": "wamid.X",
        "typing_indicator": {"type": "x"},
    }
    response = post(served, bad)
    assert response.status_code == 400
    assert response.json()["error"].startswith("invalid read receipt: $.typing_indicator.type: must be one of 'text'")


def test_serves_the_vendored_spec(served: sandbox.RunningSandbox) -> None:
    from d360.validation import spec

    assert httpx.get(f"{served.base_url}/openapi.json").json() == spec()


def test_inspection_endpoint_and_python_show_what_arrived(served: sandbox.RunningSandbox) -> None:
    message_id = post(served, TEXT).json()["messages"][0]["id"]
    inspected = httpx.get(f"{served.base_url}/_sandbox/messages").json()
    assert inspected["accepted_count"] == 1
    assert inspected["messages"][0]["message_id"] == message_id
    assert inspected["messages"][0]["body"] == TEXT
    assert served.received()[0].body == TEXT
    assert httpx.delete(f"{served.base_url}/_sandbox/messages").json() == {"cleared": True}
    assert served.received() == []


def test_memory_is_bounded_by_keep() -> None:
    with sandbox.running(api_keys=[KEY], keep=5) as small:
        for index in range(12):
            post(small, {**TEXT, "text": {"body": f"message {index}"}})
        kept = small.received()
    assert [message.body["text"]["body"] for message in kept] == [f"message {index}" for index in range(7, 12)]
    assert small.sandbox.accepted_count == 12


class HandClock:
    """A clock the test moves: the sandbox's time stands still between requests, however slow the machine."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_rate_limit_answers_429_with_retry_after() -> None:
    clock = HandClock()  # five requests inside one second of the sandbox's time, on any machine
    with sandbox.running(api_keys=[KEY], faults=Faults(rate_limit=3), clock=clock) as limited:
        statuses = [post(limited, TEXT) for _ in range(5)]
        assert [response.status_code for response in statuses] == [200, 200, 200, 429, 429]
        assert statuses[3].headers["Retry-After"] == "1"
        clock.now += 0.75  # the window still holds the three
        assert post(limited, TEXT).status_code == 429
        clock.now += 0.25  # a second after them: the window is empty again
        assert [post(limited, TEXT).status_code for _ in range(4)] == [200, 200, 200, 429]


def test_injected_failures_follow_their_shares() -> None:
    faults = Faults(server_error_rate=0.2, unavailable_rate=0.2, throttle_rate=0.2, seed=7)
    with sandbox.running(api_keys=[KEY], faults=faults) as flaky:
        responses = [post(flaky, TEXT) for _ in range(300)]
    counts = {status: sum(1 for r in responses if r.status_code == status) for status in (200, 400, 500, 503)}
    for status in (200, 400, 500, 503):
        assert 30 <= counts[status] <= 100 if status != 200 else 90 <= counts[status] <= 150, counts
    throttled = next(r for r in responses if r.status_code == 400).json()
    assert throttled["error"]["code"] == 130429
    assert flaky.sandbox.accepted_count == counts[200]


def test_client_retries_through_injected_throttling_and_503s() -> None:
    faults = Faults(unavailable_rate=0.3, throttle_rate=0.3, seed=3)
    with sandbox.running(api_keys=[KEY], faults=faults) as flaky:
        with d360.Client(api_key=KEY, base_url=flaky.base_url, max_retries=10, sleep=lambda seconds: None) as client:
            results = [client.send_text(TO, f"n{index}") for index in range(20)]
        assert len({result.message_id for result in results}) == 20
        assert [message.body["text"]["body"] for message in flaky.received()] == [f"n{index}" for index in range(20)]


def test_latency_is_added() -> None:
    with sandbox.running(api_keys=[KEY], faults=Faults(latency=0.2)) as slow:
        started = time.perf_counter()
        post(slow, TEXT)
        assert time.perf_counter() - started >= 0.2


def test_sandbox_needs_a_key() -> None:
    with pytest.raises(d360.ConfigurationError):
        sandbox.Sandbox(api_keys=[])


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_cli_prints_the_base_url_serves_and_stops_cleanly(stop_signal: int) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "d360", "sandbox", "--port", "0", "--api-key", KEY],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    try:
        assert process.stdout is not None
        first_line = process.stdout.readline()
        base_url = re.search(r"at (http://127\.0\.0\.1:\d+)", first_line)
        assert base_url, first_line
        with d360.Client(api_key=KEY, base_url=base_url.group(1)) as client:
            assert client.send_text(TO, "through the CLI sandbox").status == "accepted"
        process.send_signal(stop_signal)
        output, errors = process.communicate(timeout=120)  # a hang guard: it stops at once
    finally:
        process.kill()
    assert process.returncode == 0, errors
    assert "stopped after accepting 1 messages" in output


def test_cli_reports_a_busy_port_in_one_line() -> None:
    with sandbox.running(api_keys=[KEY]) as busy:
        port = busy.base_url.rsplit(":", 1)[1]
        # A hang guard only (the answer is at once): 10 s was not enough to start Python on two cores shared
        # by the suite's parallel workers and more.
        result = subprocess.run([sys.executable, "-m", "d360", "sandbox", "--port", port],
                                capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.startswith(f"d360: error: cannot listen on 127.0.0.1:{port}")
    assert len(result.stderr.strip().splitlines()) == 1


def test_absurdly_nested_body_is_400_not_500(served: sandbox.RunningSandbox) -> None:
    nested = "[" * 100_000 + "]" * 100_000
    response = httpx.post(f"{served.base_url}/messages", content=nested.encode(), headers={"D360-API-KEY": KEY})
    assert response.status_code == 400
    deep = '{"x":' * 5000 + "{}" + "}" * 5000  # parses, but deeper than a recursive check can walk
    body = json.dumps(TEXT)[:-1] + ', "interactive": ' + deep + "}"
    response = httpx.post(f"{served.base_url}/messages", content=body.encode(), headers={"D360-API-KEY": KEY})
    assert response.status_code in (200, 400)  # free-form content may be accepted, but never a crash


def test_the_sandbox_command_stops_on_a_signal_sent_as_soon_as_its_port_answers() -> None:
    """The port answers before uvicorn takes the signals over: a Ctrl-C or SIGTERM in between used to be
    swallowed, leaving a server that never stopped."""
    for stop_signal in (signal.SIGINT, signal.SIGTERM) * 3:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        process = subprocess.Popen(
            [sys.executable, "-m", "d360", "sandbox", "--port", str(port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    assert time.monotonic() < deadline, "the sandbox never answered"
                    time.sleep(0.005)
            process.send_signal(stop_signal)
            _, stderr = process.communicate(timeout=30)  # hung for ever before
        finally:
            process.kill()
        # Stopped, however early: cleanly (0), as interrupted (130), or, before any handler, by SIGTERM itself.
        assert process.returncode in (0, 130, -signal.SIGTERM), stderr
        assert "Traceback" not in stderr
