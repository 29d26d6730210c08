"""Retries: what is retried, how often, how long the waits are, and that nothing is ever sent twice blindly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest

import d360
from d360.retry import RetryPolicy, parse_retry_after
from tests.scripted_server import Reply, ScriptedServer, ok_reply

TO = "4915112345678"
THROTTLED = Reply(400, {"error": {"message": "(#130429) Rate limit hit", "code": 130429}})


@pytest.mark.parametrize(
    "failure",
    [Reply(429, {"error": "slow down"}), Reply(503, {"error": "unavailable"}), THROTTLED,
     Reply(400, {"meta": {"httpCode": 400, "developerMessage": "You have exceeded the endpoint rate limit."}})],
    ids=["429", "503", "meta-130429", "360dialog-endpoint-limit"],
)  # fmt: skip
def test_retryable_failures_are_retried_until_success(make_client: Any, server: ScriptedServer, failure: Reply) -> None:
    server.script(failure, failure, ok_reply(message_id="wamid.AFTER"))
    client = make_client()
    assert client.call("send_text", TO, "Hi").message_id == "wamid.AFTER"
    assert len(server.requests) == 3
    assert len(client.sleeps) == 2


def test_retries_stop_at_max_retries_and_raise_the_last_error(make_client: Any, server: ScriptedServer) -> None:
    server.script(Reply(503, {"error": "unavailable"}))
    client = make_client(max_retries=3)
    with pytest.raises(d360.ServerError):
        client.call("send_text", TO, "Hi")
    assert len(server.requests) == 4
    assert len(client.sleeps) == 3


def test_max_retries_zero_sends_once(make_client: Any, server: ScriptedServer) -> None:
    server.script(Reply(429, {"error": "slow down"}))
    client = make_client(max_retries=0)
    with pytest.raises(d360.RateLimitError):
        client.call("send_text", TO, "Hi")
    assert len(server.requests) == 1
    assert client.sleeps == []


@pytest.mark.parametrize(
    "failure",
    [Reply(500, {"error": "oops"}), Reply(502, "<html>bad gateway</html>"), Reply(504, {"error": "timeout"}),
     Reply(reset=True), Reply(200, b"<html>not json</html>")],
    ids=["500", "502", "504", "reset-after-send", "unreadable-2xx"],
)  # fmt: skip
def test_ambiguous_failures_are_not_retried_by_default(
    make_client: Any, server: ScriptedServer, failure: Reply
) -> None:
    server.script(failure, ok_reply())
    client = make_client()
    with pytest.raises(d360.D360Error) as caught:
        client.call("send_text", TO, "Hi")
    assert caught.value.maybe_delivered is True
    assert len(server.requests) == 1


def test_read_timeout_is_not_retried_by_default(make_client: Any, server: ScriptedServer) -> None:
    server.script(Reply(delay=0.6), ok_reply())
    with pytest.raises(d360.APITimeoutError):
        make_client(timeout=0.2).call("send_text", TO, "Hi")
    assert len(server.requests) == 1


@pytest.mark.parametrize("failure", [Reply(500, {"error": "oops"}), Reply(reset=True)], ids=["500", "reset"])
def test_retry_ambiguous_opts_in(make_client: Any, server: ScriptedServer, failure: Reply) -> None:
    server.script(failure, ok_reply(message_id="wamid.SECOND"))
    assert make_client(retry_ambiguous=True).call("send_text", TO, "Hi").message_id == "wamid.SECOND"
    assert len(server.requests) == 2


def test_refused_connections_are_retried(make_client: Any) -> None:
    from tests.test_regen import closed_port

    client = make_client(base_url=f"http://127.0.0.1:{closed_port()}", max_retries=2)
    with pytest.raises(d360.APIConnectionError) as caught:
        client.call("send_text", TO, "Hi")
    assert caught.value.maybe_delivered is False
    assert len(client.sleeps) == 2


def test_client_errors_are_not_retried(make_client: Any, server: ScriptedServer) -> None:
    server.script(Reply(400, {"error": "Invalid parameter"}), ok_reply())
    with pytest.raises(d360.BadRequestError):
        make_client().call("send_text", TO, "Hi")
    assert len(server.requests) == 1


def test_retry_after_seconds_is_honoured(make_client: Any, server: ScriptedServer) -> None:
    server.script(Reply(429, {"error": "slow down"}, {"Retry-After": "7"}), ok_reply())
    client = make_client()
    client.call("send_text", TO, "Hi")
    assert client.sleeps == [7.0]


def test_retry_after_http_date_is_honoured(make_client: Any, server: ScriptedServer) -> None:
    when = datetime.now(UTC) + timedelta(seconds=30)
    server.script(Reply(429, {"error": "slow down"}, {"Retry-After": format_datetime(when, usegmt=True)}), ok_reply())
    client = make_client()
    client.call("send_text", TO, "Hi")
    [slept] = client.sleeps
    assert 27 <= slept <= 30


def test_retry_after_above_the_cap_raises_at_once(make_client: Any, server: ScriptedServer) -> None:
    server.script(Reply(429, {"error": "slow down"}, {"Retry-After": "3600"}), ok_reply())
    client = make_client()
    with pytest.raises(d360.RateLimitError) as caught:
        client.call("send_text", TO, "Hi")
    assert caught.value.retry_after == 3600
    assert client.sleeps == []
    assert len(server.requests) == 1


def test_retry_after_cap_is_configurable(make_client: Any, server: ScriptedServer) -> None:
    server.script(Reply(429, {"error": "slow down"}, {"Retry-After": "120"}), ok_reply())
    client = make_client(retry_policy=RetryPolicy(max_retry_after=300))
    client.call("send_text", TO, "Hi")
    assert client.sleeps == [120.0]


def test_backoff_is_exponential_with_jitter_and_capped() -> None:
    lowest = RetryPolicy(initial_backoff=0.5, max_backoff=4.0, random=lambda: 0.0)
    highest = RetryPolicy(initial_backoff=0.5, max_backoff=4.0, random=lambda: 0.999999)
    assert [lowest.backoff(n) for n in range(5)] == [0.25, 0.5, 1.0, 2.0, 2.0]
    assert [round(highest.backoff(n), 3) for n in range(5)] == [0.5, 1.0, 2.0, 4.0, 4.0]


def test_backoff_waits_grow_between_tries(make_client: Any, server: ScriptedServer) -> None:
    server.script(Reply(503, {"error": "x"}), Reply(503, {"error": "x"}), Reply(503, {"error": "x"}), ok_reply())
    client = make_client(max_retries=3, retry_policy=RetryPolicy(random=lambda: 0.5))
    client.call("send_text", TO, "Hi")
    assert client.sleeps == [0.375, 0.75, 1.5]


@pytest.mark.parametrize(
    ("header", "expected"),
    [("5", 5.0), (" 2.5 ", 2.5), ("-3", 0.0), ("soon", None), (None, None), ("nan", None),
     ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0)],
)  # fmt: skip
def test_parse_retry_after(header: str | None, expected: float | None) -> None:
    assert parse_retry_after(header) == expected


def test_parse_retry_after_http_date_relative_to_now() -> None:
    now = datetime(2026, 11, 24, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("Tue, 24 Nov 2026 12:00:42 GMT", now=lambda: now) == 42.0


@pytest.mark.parametrize(("status", "transient"), [(408, True), (409, False), (400, False), (429, True), (503, True)])
def test_only_a_408_among_other_4xx_is_transient(status: int, transient: bool) -> None:
    from d360.responses import status_error
    from d360.retry import is_transient

    assert is_transient(status_error(status, {}, b"{}")) is transient


@pytest.mark.parametrize(("retry_after", "expected"), [(0.0, 1.0), (0.5, 0.5), (2.5, 2.5), (60.0, 60.0), (60.5, None)])
def test_a_retry_after_is_honoured_above_zero_and_up_to_the_cap(retry_after: float, expected: float | None) -> None:
    from d360.errors import RateLimitError

    policy = RetryPolicy(initial_backoff=2.0, random=lambda: 0.0)  # backoff: half of 2 s
    error = RateLimitError("slow", status_code=429, retry_after=retry_after)
    assert policy.delay_before_retry(error, 0) == expected
