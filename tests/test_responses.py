"""Reading answers, function by function: every field of a result kept, every error's words, code, body
and request id, in each shape upstream sends. `test_errors.py` shows the same over real HTTP."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from d360.errors import (
    APIStatusError,
    BadRequestError,
    NotFoundError,
    RateLimitError,
    ServerError,
    UnexpectedResponseError,
)
from d360.responses import (
    ErrorDetails,
    error_details,
    is_throttling,
    parse_send_result,
    parse_success_flag,
    parse_webhook_config,
    request_id_of,
    snippet,
    status_error,
)

ACCEPTED = {
    "messaging_product": "whatsapp",
    "contacts": [{"input": "+49 151 12345678", "wa_id": "4915112345678"}],
    "messages": [{"id": "wamid.ABC", "message_status": "accepted"}],
}


def as_bytes(body: Any) -> bytes:
    return json.dumps(body).encode()


# Results.


def test_a_send_result_keeps_every_field_upstream_sent() -> None:
    result = parse_send_result(200, {"X-Request-Id": "req-1"}, as_bytes(ACCEPTED))
    assert (result.message_id, result.wa_id, result.input, result.status) == (
        "wamid.ABC",
        "4915112345678",
        "+49 151 12345678",
        "accepted",
    )
    assert result.request_id == "req-1" and result.raw == ACCEPTED


def test_a_send_result_finds_its_request_id_in_the_body_when_no_header_has_it() -> None:
    body = {**ACCEPTED, "meta": {"fbtrace_id": "trace-9"}}
    assert parse_send_result(200, {}, as_bytes(body)).request_id == "trace-9"


@pytest.mark.parametrize(
    "contacts",
    [None, "x", [], ["not an object"], [{"wa_id": 491, "input": None}]],
    ids=["missing", "a string", "empty", "not an object", "not strings"],
)
def test_contacts_upstream_left_out_or_garbled_give_none(contacts: Any) -> None:
    body = {**ACCEPTED, "contacts": contacts, "messages": [{"id": "wamid.ABC", "message_status": 7}]}
    result = parse_send_result(200, {}, as_bytes(body))
    assert (result.message_id, result.wa_id, result.input, result.status) == ("wamid.ABC", None, None, None)


def test_a_success_that_is_not_json_says_so_with_a_snippet_and_the_request_id() -> None:
    with pytest.raises(UnexpectedResponseError) as caught:
        parse_send_result(200, {"x-fb-trace-id": "t1"}, b"<html>  all\n good </html>")
    error = caught.value
    assert error.message == "HTTP 200 with a body that is not a JSON object: '<html> all good </html>'"
    assert (error.status_code, error.body, error.request_id) == (200, "<html> all good </html>", "t1")


def test_a_success_without_a_message_id_keeps_the_body_and_its_trace_id() -> None:
    body = {"messages": [{"message_status": "accepted"}], "fbtrace_id": "trace-2"}
    with pytest.raises(UnexpectedResponseError) as caught:
        parse_send_result(201, {}, as_bytes(body))
    error = caught.value
    assert error.message == f"HTTP 201 without messages[0].id: {snippet(as_bytes(body))!r}"
    assert (error.status_code, error.body, error.request_id) == (201, body, "trace-2")


@pytest.mark.parametrize("flag", [True, False])
def test_a_read_receipts_answer_is_its_success_flag(flag: bool) -> None:
    assert parse_success_flag(200, {}, as_bytes({"success": flag})) is flag


@pytest.mark.parametrize(
    ("content", "body"),
    [(b'{"success": "yes", "trace_id": "t3"}', {"success": "yes", "trace_id": "t3"}), (b"ok", "ok")],
    ids=["not a boolean", "not JSON"],
)
def test_a_read_receipts_answer_without_a_flag_is_unexpected(content: bytes, body: Any) -> None:
    with pytest.raises(UnexpectedResponseError) as caught:
        parse_success_flag(200, {}, content)
    error = caught.value
    assert error.message == f"HTTP 200 without a boolean 'success': {snippet(content)!r}"
    assert error.body == body
    assert error.request_id == ("t3" if isinstance(body, dict) else None)


def test_a_webhook_configuration_is_read_with_its_headers_as_text() -> None:
    config = parse_webhook_config(200, {}, as_bytes({"url": "https://e.com/hook", "headers": {"X-Token": 5}}))
    assert (config.url, config.headers) == ("https://e.com/hook", {"X-Token": "5"})
    assert config.raw == {"url": "https://e.com/hook", "headers": {"X-Token": 5}}
    unset = parse_webhook_config(200, {}, as_bytes({"url": ""}))
    assert (unset.url, unset.headers) == (None, {})
    assert parse_webhook_config(200, {}, as_bytes({"url": None, "headers": None})).headers == {}


@pytest.mark.parametrize(
    "content",
    [b"nope", b'["url"]', b'{"url": 5}', b'{"url": "https://e.com", "headers": ["X"]}'],
    ids=["not JSON", "not an object", "a url that is not text", "headers that are not an object"],
)
def test_a_webhook_configuration_upstream_garbled_is_unexpected(content: bytes) -> None:
    with pytest.raises(UnexpectedResponseError, match=r"^HTTP 200 without a webhook configuration: ") as caught:
        parse_webhook_config(200, {"X-Request-Id": "r"}, content)
    assert caught.value.body == (json.loads(content) if content != b"nope" else "nope")
    assert caught.value.request_id == "r"


# Error bodies, in every shape.

META_ERROR = {
    "message": "(#131009) Parameter value is not valid",
    "type": "OAuthException",
    "code": 131009,
    "error_data": {"details": "Template name unknown"},
    "fbtrace_id": "AbC",
}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"error": META_ERROR},
            ErrorDetails(
                "(#131009) Parameter value is not valid: Template name unknown",
                131009,
                {"type": "OAuthException", "error_data": {"details": "Template name unknown"}, "fbtrace_id": "AbC"},
            ),
        ),
        (
            {"errors": [{"code": 130429, "title": "Rate limit hit"}, {"code": 1}]},
            ErrorDetails("Rate limit hit", 130429, {"title": "Rate limit hit"}),
        ),
        ({"error": {"code": "131056"}}, ErrorDetails("unknown error", "131056", {})),
        ({"error": {"message": "m", "code": True}}, ErrorDetails("m", None, {})),
        ({"error": "invalid token"}, ErrorDetails("invalid token")),
        ({"detail": {"error": "nested"}}, ErrorDetails("nested")),
        ({"detail": "Not Found"}, ErrorDetails("Not Found")),
        ({"message": "plain"}, ErrorDetails("plain")),
        (
            {"meta": {"developerMessage": "Bad key", "httpCode": 401, "success": False}},
            ErrorDetails("Bad key", 401, {"httpCode": 401, "success": False}),
        ),
        (
            {"meta": {"developer_message": "Snake", "http_code": "401"}},
            ErrorDetails("Snake", "401", {"http_code": "401"}),
        ),
        ({"meta": {"http_code": False}}, ErrorDetails('{"meta": {"http_code": false}}', None, {"http_code": False})),
        ({"errors": []}, ErrorDetails('{"errors": []}')),
        (["a", "list"], ErrorDetails('["a", "list"]')),
    ],
    ids=[
        "Meta's error",
        "Meta's errors list",
        "a code as text, no message",
        "a code that is a boolean",
        "an error string",
        "FastAPI's detail object",
        "FastAPI's detail string",
        "a message",
        "360dialog's meta",
        "360dialog's meta in snake case",
        "meta without a message",
        "an empty errors list",
        "not an object",
    ],
)
def test_every_error_shape_gives_its_message_code_and_details(body: Any, expected: ErrorDetails) -> None:
    assert error_details(body, as_bytes(body)) == expected


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<HTML><Title>502 Bad\n  Gateway</TITLE></HTML>", "non-JSON body: 502 Bad Gateway"),
        (b"upstream \xff broke", "non-JSON body: 'upstream \ufffd broke'"),
        (b"  \n ", "empty body"),
        (b"", "empty body"),
    ],
    ids=["an HTML title", "bytes that are not UTF-8", "only spaces", "nothing"],
)
def test_a_body_that_is_not_json_is_described(content: bytes, message: str) -> None:
    assert error_details(None, content) == ErrorDetails(message)


def test_a_snippet_is_one_line_of_at_most_200_characters() -> None:
    assert snippet(b"a \n\t b") == "a b"
    assert snippet(b"x" * 200) == "x" * 200
    assert snippet(b"x" * 201) == "x" * 197 + "..."


def test_request_ids_come_from_headers_in_any_case_then_from_the_body() -> None:
    assert request_id_of({"X-FB-Trace-Id": "h"}, {"fbtrace_id": "b"}) == "h"
    assert request_id_of({}, {"error": {"fbtrace_id": "e"}, "meta": {"fbtrace_id": "m"}}) == "e"
    assert request_id_of({}, {"meta": {"360dialog_trace_id": "m"}, "trace_id": "b"}) == "m"
    assert request_id_of({}, {"trace_id": "b", "fbtrace_id": 5}) == "b"
    assert request_id_of({"content-type": "x"}, None) is None


# Status errors: the class, and everything the error keeps.


def test_a_status_error_keeps_status_code_body_request_id_and_details() -> None:
    content = as_bytes({"error": META_ERROR})
    error = status_error(400, {"X-Request-Id": "req"}, content)
    assert type(error) is BadRequestError
    assert str(error) == "HTTP 400: (#131009) Parameter value is not valid: Template name unknown (code 131009)"
    assert (error.status_code, error.code, error.request_id, error.maybe_delivered) == (400, 131009, "req", False)
    assert error.body == {"error": META_ERROR} and error.details["type"] == "OAuthException"


@pytest.mark.parametrize(
    ("status", "body", "kind", "maybe_delivered"),
    [
        (429, {"error": "slow down"}, RateLimitError, False),
        (400, {"error": {"message": "Too many", "code": "130429"}}, RateLimitError, False),
        (400, {"errors": [{"message": "pair limit", "code": 131056}]}, RateLimitError, False),
        (400, {"meta": {"developerMessage": "You have exceeded the endpoint rate limit"}}, RateLimitError, False),
        (500, {"error": "rate limit exceeded while processing"}, ServerError, True),
        (502, {"error": "bad gateway"}, ServerError, True),
        (503, {"error": "try later"}, ServerError, False),
        (404, {"error": "no such number"}, NotFoundError, False),
        (408, {"error": "too slow"}, APIStatusError, False),
    ],
)
def test_the_status_and_body_decide_the_class(status: int, body: Any, kind: type, maybe_delivered: bool) -> None:
    error = status_error(status, httpx.Headers({"Retry-After": "7"}), as_bytes(body))  # as transports give them
    assert type(error) is kind
    assert error.maybe_delivered is maybe_delivered
    if kind is RateLimitError:
        assert isinstance(error, RateLimitError) and error.retry_after == 7.0


def test_a_redirect_is_refused_and_names_where_it_pointed() -> None:
    error = status_error(302, {"location": "https://elsewhere.example/messages"}, b"")
    assert error.message == (
        "upstream answered with a redirect to https://elsewhere.example/messages; d360 does not follow "
        "redirects (that would resend the API key): check the base URL"
    )
    assert error.details == {"location": "https://elsewhere.example/messages"} and error.body == ""
    assert status_error(301, {}, b"").details == {}


@pytest.mark.parametrize(
    ("code", "throttling"),
    [
        (4, True),
        (80007, True),
        (130429, True),
        ("131056", True),
        (131047, False),
        ("".join(chr(0xFF10 + int(digit)) for digit in "130429"), False),  # fullwidth digits: int() takes them
        (None, False),
    ],
)
def test_throttling_is_known_by_its_code_as_number_or_ascii_text(code: Any, throttling: bool) -> None:
    assert is_throttling(ErrorDetails("no words about limits", code)) is throttling


def test_unexpected_answers_keep_their_status_and_the_bodys_trace_id() -> None:
    with pytest.raises(UnexpectedResponseError) as caught:
        parse_success_flag(202, {}, b'{"trace_id": "t4"}')
    assert (caught.value.status_code, caught.value.request_id) == (202, "t4")
    with pytest.raises(UnexpectedResponseError) as caught:
        parse_webhook_config(201, {}, b'{"url": 5, "fbtrace_id": "t5"}')
    assert (caught.value.status_code, caught.value.request_id) == (201, "t5")


def test_a_detail_object_without_words_falls_back_to_the_whole_body() -> None:
    content = b'{"detail": {"weird": 1}}'
    assert error_details(json.loads(content), content) == ErrorDetails('{"detail": {"weird": 1}}')


@pytest.mark.parametrize("status", [300, 399])
def test_a_redirect_without_a_location_is_refused_all_the_same(status: int) -> None:
    error = status_error(status, httpx.Headers(), b"")
    assert error.message == (
        "upstream answered with a redirect; d360 does not follow redirects (that would resend the API key): "
        "check the base URL"
    )


def test_a_rate_limit_error_keeps_upstreams_words() -> None:
    error = status_error(429, httpx.Headers(), as_bytes({"error": {"message": "Slow down", "code": 4}}))
    assert isinstance(error, RateLimitError) and error.message == "Slow down" and error.retry_after is None
    assert str(error) == "HTTP 429: Slow down (code 4)"
