"""Every answer upstream (or a proxy) can give, over real HTTP, becomes a result or the right typed error."""

from __future__ import annotations

from typing import Any

import pytest

import d360
from tests.scripted_server import Reply, ScriptedServer, ok_reply

TO = "4915112345678"

META_ERROR = {"error": {
    "message": "(#131009) Parameter value is not valid", "type": "OAuthException", "code": 131009,
    "error_subcode": 2494010, "error_data": {"messaging_product": "whatsapp", "details": "Template name unknown"},
    "fbtrace_id": "AbCdEf123",
}}  # fmt: skip


def send_failing(make_client: Any, *replies: Reply, **options: Any) -> d360.D360Error:
    client = make_client(max_retries=0, **options)
    with pytest.raises(d360.D360Error) as caught:
        client.call("send_text", TO, "Hello")
    return caught.value


@pytest.mark.parametrize(
    ("reply", "error_class", "message", "code"),
    [
        (Reply(400, {"error": "Invalid recipient"}), d360.BadRequestError, "Invalid recipient", None),
        (Reply(400, META_ERROR), d360.BadRequestError, "(#131009) Parameter value is not valid: Template name unknown",
         131009),
        (Reply(401, {"meta": {"httpCode": 401, "developerMessage": "Invalid api_key", "success": False}}),
         d360.AuthenticationError, "Invalid api_key", 401),
        (Reply(403, {"meta": {"http_code": 403, "developer_message": "The endpoint is blocked", "success": False}}),
         d360.PermissionDeniedError, "The endpoint is blocked", 403),
        (Reply(400, {"detail": {"error": {"message": "Recipient not on WhatsApp", "code": 131026}}}),
         d360.BadRequestError, "Recipient not on WhatsApp", 131026),
        (Reply(404, "<html><head><title>404 Not Found</title></head><body>nginx</body></html>",
               {"Content-Type": "text/html"}), d360.NotFoundError, "non-JSON body: 404 Not Found", None),
        (Reply(422, {"detail": "Unprocessable"}), d360.APIStatusError, "Unprocessable", None),
        (Reply(500, {"error": "Internal server error"}), d360.ServerError, "Internal server error", None),
        (Reply(502, "<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>",
               {"Content-Type": "text/html"}), d360.ServerError, "non-JSON body: 502 Bad Gateway", None),
        (Reply(500, b'{"error": "truncated'), d360.ServerError, 'non-JSON body: \'{"error": "truncated\'', None),
        (Reply(500, b""), d360.ServerError, "empty body", None),
        (Reply(409, [1, 2]), d360.APIStatusError, "[1, 2]", None),
    ],
    ids=["error-string", "meta-graph-error", "360dialog-meta", "360dialog-meta-snake-case", "detail-error",
         "html-404", "detail-string", "500", "html-502", "malformed-json", "empty-body", "json-list"],
)  # fmt: skip
def test_error_bodies_become_typed_errors(
    make_client: Any, server: ScriptedServer, reply: Reply, error_class: type[d360.APIStatusError], message: str,
    code: int | None,
) -> None:  # fmt: skip
    server.script(reply)
    error = send_failing(make_client)
    assert type(error) is error_class
    assert isinstance(error, d360.APIStatusError)
    assert error.status_code == reply.status
    assert error.message == message
    assert error.code == code
    assert str(error).startswith(f"HTTP {reply.status}: {message}")


def test_meta_error_keeps_its_details_and_trace_id(make_client: Any, server: ScriptedServer) -> None:
    server.script(Reply(400, META_ERROR))
    error = send_failing(make_client)
    assert isinstance(error, d360.BadRequestError)
    assert error.details["error_subcode"] == 2494010
    assert error.details["type"] == "OAuthException"
    assert error.request_id == "AbCdEf123"
    assert error.body == META_ERROR
    assert error.maybe_delivered is False


def test_request_id_header_is_kept(make_client: Any, server: ScriptedServer) -> None:
    server.script(Reply(400, {"error": "bad"}, {"X-Request-Id": "req-42"}))
    assert send_failing(make_client).request_id == "req-42"  # type: ignore[attr-defined]


def test_long_non_json_body_is_kept_as_a_short_snippet(make_client: Any, server: ScriptedServer) -> None:
    server.script(Reply(503, "x" * 5000, {"Content-Type": "text/plain"}))
    error = send_failing(make_client)
    assert isinstance(error, d360.ServerError)
    assert isinstance(error.body, str) and len(error.body) <= 200


@pytest.mark.parametrize(
    ("status", "maybe_delivered"), [(500, True), (502, True), (504, True), (503, False), (400, False), (401, False)]
)
def test_maybe_delivered_follows_the_status(
    make_client: Any, server: ScriptedServer, status: int, maybe_delivered: bool
) -> None:
    server.script(Reply(status, {"error": "x"}))
    assert send_failing(make_client).maybe_delivered is maybe_delivered


@pytest.mark.parametrize(
    "reply",
    [
        Reply(400, {"meta": {"httpCode": 400, "developerMessage": "You have exceeded the endpoint rate limit.",
                             "success": False}}),
        Reply(400, {"meta": {"httpCode": 400, "success": False,
                             "developerMessage": "You have exceeded the limit of 1 request every 5 seconds."}}),
        Reply(400, {"error": {"message": "(#130429) Rate limit hit", "code": 130429}}),
        Reply(400, {"error": {"message": "(#131056) Pair rate limit hit", "code": 131056}}),
        Reply(400, {"error": {"message": "(#80007) Rate limit issues", "code": 80007}}),
        Reply(400, {"error": {"message": "(#4) Application request limit reached", "code": 4}}),
        Reply(429, {"error": "Too Many Requests"}),
    ],
    ids=["360dialog-endpoint-limit", "360dialog-usage-limit", "130429", "131056", "80007", "4", "429"],
)  # fmt: skip
def test_throttling_errors_are_rate_limit_errors(make_client: Any, server: ScriptedServer, reply: Reply) -> None:
    server.script(reply)
    error = send_failing(make_client)
    assert isinstance(error, d360.RateLimitError)
    assert error.status_code == reply.status
    assert error.maybe_delivered is False


def test_unknown_message_status_is_kept(make_client: Any, server: ScriptedServer) -> None:
    server.script(ok_reply(status="held_for_a_future_reason"))
    result = make_client().call("send_text", TO, "Hello")
    assert result.status == "held_for_a_future_reason"


def test_missing_optional_fields_give_none(make_client: Any, server: ScriptedServer) -> None:
    server.script(Reply(200, {"messages": [{"id": "wamid.X"}]}))
    result = make_client().call("send_text", TO, "Hello")
    assert (result.message_id, result.wa_id, result.input, result.status) == ("wamid.X", None, None, None)


@pytest.mark.parametrize(
    "reply",
    [
        Reply(200, b"<html>proxy login</html>", {"Content-Type": "text/html"}),
        Reply(200, b'{"messages": [{"id": '),
        Reply(200, {"messages": []}),
        Reply(200, {"messages": [{"id": 12}]}),
        Reply(200, {"contacts": "nope", "messages": "nope"}),
        Reply(200, b"null"),
    ],
    ids=["html", "truncated", "no-messages", "numeric-id", "wrong-types", "null"],
)
def test_unreadable_success_is_an_unexpected_response(make_client: Any, server: ScriptedServer, reply: Reply) -> None:
    server.script(reply)
    error = send_failing(make_client)
    assert isinstance(error, d360.UnexpectedResponseError)
    assert error.maybe_delivered is True
    assert error.status_code == 200


def test_connection_reset_after_sending_may_have_delivered(make_client: Any, server: ScriptedServer) -> None:
    server.script(Reply(reset=True))
    error = send_failing(make_client)
    assert type(error) is d360.APIConnectionError
    assert error.maybe_delivered is True
    assert "may have been delivered" in str(error)


def test_read_timeout_may_have_delivered(make_client: Any, server: ScriptedServer) -> None:
    server.script(Reply(delay=1.0), ok_reply())
    error = send_failing(make_client, timeout=0.2)
    assert isinstance(error, d360.APITimeoutError)
    assert error.maybe_delivered is True


def test_refused_connection_was_not_delivered(make_client: Any) -> None:
    from tests.test_regen import closed_port

    error = send_failing(make_client, base_url=f"http://127.0.0.1:{closed_port()}")
    assert type(error) is d360.APIConnectionError
    assert error.maybe_delivered is False
    assert "cannot connect" in str(error)


def test_mark_as_read_without_success_flag_is_unexpected(make_client: Any, server: ScriptedServer) -> None:
    server.script(Reply(200, {"ok": 1}))
    with pytest.raises(d360.UnexpectedResponseError, match="without a boolean 'success'"):
        make_client().call("mark_as_read", "wamid.X")
