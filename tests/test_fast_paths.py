"""The send path's shortcuts (issue 27) keep every guarantee of the long way round.

Each faster path here has a twin it must agree with: the cached JSON encoder with `json.dumps`, the quick
"plainly valid" answer with `message_problems`, the UTF-8 shortcut in reading an answer with `json.loads`.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from typing import Any

import pytest

import d360
from d360 import messages
from d360.client import encode_body
from d360.responses import parse_send_result, request_id_of, status_error
from d360.validation import _plainly_valid, message_problems, validate_message
from tests.scripted_server import ok_reply

TO = "4915112345678"
ACCEPTED = {
    "messaging_product": "whatsapp",
    "contacts": [{"input": TO, "wa_id": TO}],
    "messages": [{"id": "wamid.FAST", "message_status": "accepted"}],
}

PAYLOADS: list[Any] = [
    messages.with_cloud_api_defaults(messages.text(TO, "Your order has shipped")),
    {"text": {"body": 'Grüße, 你好, emoji 🎉, line\u2028separator, quote " and backslash \\'}},
    {"n": [0, -1, 2**70, 1.5, -0.0, 1e300], "flags": [True, False, None], "nested": {"a": {"b": [{}, []]}}},
    {"control": "\x00\x1f\x7f", "keys in order": {"z": 1, "a": 2}},
    [],
    "a bare string",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_cached_encoder_writes_what_json_dumps_writes(payload: Any) -> None:
    expected = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
    assert encode_body(payload) == expected


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_the_cached_encoder_still_refuses_nan_and_infinity(value: float) -> None:
    with pytest.raises(ValueError, match="Out of range float"):
        encode_body({"text": {"body": "x"}, "score": value})


def test_the_cached_encoder_refuses_what_is_not_json_and_stays_usable_after() -> None:
    circular: dict[str, Any] = {}
    circular["self"] = circular
    with pytest.raises(RecursionError):
        encode_body(circular)
    with pytest.raises(TypeError, match="set is not JSON serializable"):
        encode_body({"to": {TO}})
    # A failure part-way leaves nothing behind: the same encoder writes the next body whole.
    assert encode_body({"again": [1, 2]}) == b'{"again":[1,2]}'


@pytest.mark.parametrize(
    "extra",
    [{"score": math.nan}, {"score": math.inf}, {"when": {1, 2}}, {"raw": b"bytes"}],
    ids=["nan", "infinity", "set", "bytes"],
)
def test_a_message_that_cannot_be_json_is_refused_before_anything_is_sent(
    make_client: Any, server: Any, extra: dict[str, Any]
) -> None:
    server.script(ok_reply())
    message = {**messages.text(TO, "hello"), **extra}
    with pytest.raises(d360.ValidationError, match="cannot be sent as JSON"):
        make_client(validate=False).call("send", message)
    assert server.requests == []


def test_a_circular_message_is_refused_before_anything_is_sent(make_client: Any, server: Any) -> None:
    server.script(ok_reply())
    message: dict[str, Any] = dict(messages.text(TO, "hello"))
    message["context"] = message
    with pytest.raises(d360.ValidationError):
        make_client(validate=False).call("send", message)
    assert server.requests == []


def test_a_sent_body_is_compact_utf8_json(make_client: Any, server: Any) -> None:
    server.script(ok_reply())
    make_client().call("send_text", TO, "Grüße 🎉")
    (request,) = server.requests
    assert request.body == encode_body(request.json())
    assert "Grüße 🎉".encode() in request.body and b": " not in request.body


# The quick "plainly valid" answer: never yes where the long way finds a problem.

MESSAGES: list[Any] = [
    messages.text(TO, "fine"),
    messages.text(TO, "x" * 4097),  # a limit the schema does not say
    messages.text("12", "too short a number"),
    {"messaging_product": "whatsapp", "to": TO, "type": "text", "text": {"body": ""}},
    {"messaging_product": "whatsapp", "to": TO, "type": "text"},  # no text object
    {"messaging_product": "whatsapp", "type": "text", "text": {"body": "no recipient"}},
    {"messaging_product": "whatsapp", "to": TO, "type": "image", "image": {"link": "https://e.x/a.png", "id": "1"}},
    {"messaging_product": "whatsapp", "to": TO, "type": "TEXT", "text": {"body": "another case"}},
    {"messaging_product": "whatsapp", "to": TO, "type": "hologram", "hologram": {}},  # a type d360 does not know
    {"messaging_product": "whatsapp", "status": "read", "message_id": "wamid.X"},  # a status body
    {"messaging_product": "whatsapp", "status": "read"},  # a status body without its message
    {"messaging_product": "whatsapp", "to": TO, "type": "location", "location": {"latitude": 91, "longitude": 0}},
]


@pytest.mark.parametrize("message", MESSAGES, ids=range(len(MESSAGES)))
@pytest.mark.parametrize("strict", [False, True])
def test_plainly_valid_only_where_the_long_way_finds_nothing(message: Any, strict: bool) -> None:
    message = messages.with_cloud_api_defaults(message)
    if _plainly_valid(message):
        assert message_problems(message, strict=strict) == []
    problems = message_problems(message, strict=strict)
    if problems:
        with pytest.raises(d360.ValidationError) as caught:
            validate_message(message, strict=strict)
        assert list(caught.value.problems) == problems
    else:
        validate_message(message, strict=strict)


def test_the_quick_answer_takes_the_common_message_and_refuses_the_rest() -> None:
    # Pinned both ways, so the shortcut can neither vanish unnoticed nor wave a bad message through.
    assert _plainly_valid(messages.with_cloud_api_defaults(messages.text(TO, "fine")))
    assert not _plainly_valid(messages.with_cloud_api_defaults(messages.text(TO, "x" * 4097)))
    assert not _plainly_valid({"messaging_product": "whatsapp", "status": "read", "message_id": "wamid.X"})
    assert not _plainly_valid(MappingMessage(messages.text(TO, "fine")))


class MappingMessage(dict[str, Any]):
    """A dict subclass: not the plain dict the shortcut takes, so it goes the long way (and passes)."""


def test_a_lazily_built_validator_refuses_a_bad_message_on_the_first_call_of_a_fresh_process() -> None:
    probe = (
        "import sys, d360\n"
        "assert 'jsonschema_rs' not in sys.modules\n"
        "with d360.Client(api_key='k', base_url='http://127.0.0.1:9') as client:\n"
        "    try:\n"
        "        client.send_text('4915112345678', 'x' * 5000)\n"
        "    except d360.ValidationError as error:\n"
        "        print([problem.path for problem in error.problems])\n"
    )
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert found == "['$.text.body']\n"


def test_a_schema_fault_is_refused_on_the_first_validation_of_a_fresh_process() -> None:
    probe = (
        "import d360\n"
        "try:\n"
        "    d360.validate_message({'messaging_product': 'whatsapp', 'to': '4915112345678', 'type': 'text',\n"
        "                           'text': {'body': 7}})\n"
        "except d360.ValidationError as error:\n"
        "    print([problem.path for problem in error.problems])\n"
    )
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert found == "['$.text.body']\n"


# Reading answers: the UTF-8 shortcut and the trace id.


def test_an_answer_in_utf16_or_with_a_byte_order_mark_is_still_read() -> None:
    for content in (json.dumps(ACCEPTED).encode("utf-16"), json.dumps(ACCEPTED).encode("utf-16-le"),
                    b"\xef\xbb\xbf" + json.dumps(ACCEPTED).encode(), b"  \n" + json.dumps(ACCEPTED).encode(),
                    json.dumps(ACCEPTED).encode() + b" \r\n\t"):  # fmt: skip
        assert parse_send_result(200, {}, content).message_id == "wamid.FAST"


@pytest.mark.parametrize(
    "content",
    [
        b'{"messages": [{"id": "wamid.\xff"}]}',
        b'{"messages": [{"id": "x"}]} trailing',
        b"{",
        b'{"a": NaN',
        b'{"messages": [{"id": "x"}]}\x0c',
        b'{"messages": [{"id": "x"}]}\xc2\xa0',
    ],
    ids=["not utf-8", "trailing text", "cut short", "cut short after a NaN", "form feed after", "nbsp after"],
)
def test_an_answer_the_shortcut_cannot_read_is_an_unexpected_response(content: bytes) -> None:
    with pytest.raises(d360.UnexpectedResponseError):
        parse_send_result(200, {}, content)


def test_the_trace_id_is_still_found_in_an_error_body_and_a_success_body() -> None:
    meta_error = {"error": {"message": "bad", "code": 100, "fbtrace_id": "trace-meta"}}
    dialog_error = {"meta": {"developerMessage": "bad", "360dialog_trace_id": "trace-360"}}
    for body, expected in ((meta_error, "trace-meta"), (dialog_error, "trace-360")):
        error = status_error(400, {}, json.dumps(body).encode())
        assert error.request_id == expected
    assert parse_send_result(200, {}, json.dumps({**ACCEPTED, "trace_id": "t-ok"}).encode()).request_id == "t-ok"
    assert request_id_of({"X-Request-Id": "header-wins"}, {"trace_id": "body"}) == "header-wins"


def test_the_trace_id_is_found_in_any_mapping_not_only_a_dict() -> None:
    class Body(dict[str, Any]):
        pass

    from types import MappingProxyType

    assert (
        request_id_of({}, MappingProxyType({"error": MappingProxyType({"fbtrace_id": "in-a-proxy"})})) == "in-a-proxy"
    )
    assert request_id_of({}, Body(meta=Body(trace_id="in-a-subclass"))) == "in-a-subclass"
    assert request_id_of({}, {"error": "a string", "meta": None, "trace_id": 7}) is None


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("4915112345678", "4915112345678"),
        ("+49 (151) 123-45678", "4915112345678"),
        ("\u0664\u0669151", "\u0664\u0669151"),  # Arabic-Indic digits: not ASCII, left for the limits to refuse
        ("\uff14\uff19151", "\uff14\uff19151"),  # fullwidth digits, likewise
        ("", ""),
    ],
)
def test_a_phone_number_already_in_upstreams_form_is_kept_and_any_other_is_stripped_as_before(
    number: str, expected: str
) -> None:
    from d360.validation import PHONE_DECORATION, normalize_phone

    assert normalize_phone(number) == expected == PHONE_DECORATION.sub("", number)


def test_a_send_result_keeps_only_strings_from_the_answer() -> None:
    body = {**ACCEPTED, "contacts": [{"input": 4915, "wa_id": None, "user_id": "US.1"}]}
    body["messages"] = [{"id": "wamid.FAST", "message_status": ["accepted"]}]
    result = parse_send_result(200, {}, json.dumps(body).encode())
    assert (result.message_id, result.wa_id, result.input, result.status, result.user_id) == (
        "wamid.FAST",
        None,
        None,
        None,
        "US.1",
    )
