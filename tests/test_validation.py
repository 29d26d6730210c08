"""Validation before sending: every problem with its JSON path, nothing sent, and an off switch."""

from __future__ import annotations

from typing import Any

import pytest

import d360
from d360 import messages
from d360.validation import limit_problems, message_problems, spec
from tests.scripted_server import ScriptedServer

TO = "4915112345678"


def problems_of(message: Any) -> list[str]:
    return [str(problem) for problem in message_problems(message)]


def test_valid_messages_of_every_builder_have_no_problems() -> None:
    for message in [
        messages.text(TO, "Hi"),
        messages.media("image", TO, link="https://example.com/a.jpg", caption="c"),
        messages.location(TO, 1.5, 2.5),
        messages.reaction(TO, "wamid.X", ""),
        messages.template(TO, "hello_world", "en"),
        messages.buttons(TO, "Body", [("a", "A"), ("b", "B"), ("c", "C")]),
        messages.list_message(TO, "Body", "Open", [{"rows": [{"id": str(n), "title": f"Row {n}"} for n in range(10)]}]),
        messages.contacts(TO, [{"name": {"formatted_name": "A"}}]),
    ]:
        assert problems_of(message) == [], message


def test_schema_problems_name_their_json_paths() -> None:
    message = {
        "messaging_product": "whatsapp", "to": TO, "type": "telegram", "recipient_type": "individual",
        "text": {"body": 5, "preview_url": "yes"},
        "template": {"name": "x", "components": [{"parameters": [{"type": "emoji"}]}]},
    }  # fmt: skip
    assert sorted(problems_of(message)) == [
        "$.telegram: is required when type is 'telegram'",
        "$.template.components[0].parameters[0].type: must be one of 'text', 'currency', 'date_time', 'image', "
        "'document', 'video', 'location', 'payload', 'action', 'coupon_code', 'limited_time_offer', 'product', "
        "not 'emoji'",
        "$.template.components[0].type: is required",
        "$.template.language: is required",
        "$.text.body: must be string, not integer",
        "$.text.preview_url: must be boolean, not string",
        "$.type: must be one of 'text', 'image', 'audio', 'video', 'document', 'sticker', 'location', 'contacts', "
        "'interactive', 'template', 'reaction', not 'telegram'",
    ]


def test_missing_required_envelope_fields() -> None:
    # recipient_type and type have Cloud API defaults (individual, text): only these two are required.
    assert problems_of({"type": "text", "text": {"body": "x"}}) == [
        "$.messaging_product: is required", "$.to: is required",
    ]  # fmt: skip


def test_a_message_must_be_an_object() -> None:
    assert problems_of(["not", "a", "message"]) == ["$: a message must be a JSON object, not list"]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (messages.text(TO, ""), "$.text.body: must not be empty"),
        (messages.text(TO, "x" * 4097), "$.text.body: is 4097 characters, more than the limit of 4096"),
        (messages.media("image", TO, link="https://e.com/a.jpg", caption="c" * 1025),
         "$.image.caption: is 1025 characters, more than the limit of 1024"),
        (messages.media("image", TO, link="https://e.com/a.jpg", media_id="1"), "$.image: give link or id, not both"),
        (messages.media("video", TO), "$.video: needs a link or an id"),
        (messages.text("12345", "Hi"), "$.to: must be a phone number of 8-15 digits"),
        (messages.text("+49 151 1234567890123", "Hi"), "$.to: must be a phone number of 8-15 digits"),
        (messages.text("49151abc12345", "Hi"), "$.to: must be a phone number of 8-15 digits"),
        (messages.buttons(TO, "Body", []), "$.interactive.action.buttons: needs 1-3 reply buttons, not 0"),
        (messages.buttons(TO, "Body", [("a", "A"), ("b", "B"), ("c", "C"), ("d", "D")]),
         "$.interactive.action.buttons: needs 1-3 reply buttons, not 4"),
        (messages.buttons(TO, "Body", [("a", "A"), ("a", "B")]),
         "$.interactive.action.buttons[1].reply.id: repeats the id of button 0"),
        (messages.buttons(TO, "Body", [("a", "Same"), ("b", "Same")]),
         "$.interactive.action.buttons[1].reply.title: repeats the title of button 0"),
        (messages.buttons(TO, "Body", [("a", "x" * 21)]),
         "$.interactive.action.buttons[0].reply.title: is 21 characters, more than the limit of 20"),
        (messages.buttons(TO, "", [("a", "A")]), "$.interactive.body.text: is required for button and list messages"),
        (messages.list_message(TO, "Body", "x" * 21, [{"rows": [{"id": "1", "title": "t"}]}]),
         "$.interactive.action.button: is 21 characters, more than the limit of 20"),
        (messages.list_message(TO, "Body", "Open", [{"rows": [{"id": "1", "title": "t"}]}] * 11),
         "$.interactive.action.sections: needs 1-10 sections, not 11"),
        (messages.list_message(TO, "Body", "Open", [{"rows": [{"id": str(n), "title": "t"} for n in range(11)]}]),
         "$.interactive.action.sections: has 11 rows in all, more than the limit of 10"),
        (messages.list_message(TO, "Body", "Open", [{"rows": [{"id": "1", "title": "t" * 25}]}]),
         "$.interactive.action.sections[0].rows[0].title: is 25 characters, more than the limit of 24"),
        (messages.list_message(TO, "Body", "Open", [{"rows": [{"id": "1", "title": "t", "description": "d" * 73}]}]),
         "$.interactive.action.sections[0].rows[0].description: is 73 characters, more than the limit of 72"),
        (messages.location(TO, 91, 0), "$.location.latitude: must be between -90 and 90, not 91"),
        ({"messaging_product": "whatsapp", "recipient_type": "individual", "to": TO, "type": "image"},
         "$.image: is required when type is 'image'"),
    ],
)  # fmt: skip
def test_documented_limits(message: dict[str, Any], expected: str) -> None:
    assert any(problem.startswith(expected) for problem in problems_of(message)), problems_of(message)


def test_group_recipients_are_not_phone_numbers() -> None:
    assert limit_problems(messages.text("120363025246125486@g.us", "Hi", recipient_type="group")) == []


def test_every_problem_is_listed_at_once() -> None:
    message = messages.buttons("12", "", [("a", "x" * 30), ("a", "y")])
    error = d360.ValidationError(message_problems(message))
    assert len(error.problems) == 4
    assert str(error).startswith("invalid message (4 problems): $.to: must be a phone number")


def test_invalid_message_raises_and_nothing_is_sent(make_client: Any, server: ScriptedServer) -> None:
    with pytest.raises(d360.ValidationError) as caught:
        make_client().call("send_buttons", TO, "Pick", [("a", "A"), ("a", "A")])
    assert [problem.path for problem in caught.value.problems] == [
        "$.interactive.action.buttons[1].reply.id", "$.interactive.action.buttons[1].reply.title",
    ]  # fmt: skip
    assert caught.value.maybe_delivered is False
    assert server.requests == []


def test_invalid_mapping_passed_to_send_raises_and_nothing_is_sent(make_client: Any, server: ScriptedServer) -> None:
    with pytest.raises(d360.ValidationError, match=r"\$\.to: is required"):
        make_client().call("send", {"messaging_product": "whatsapp", "recipient_type": "individual", "type": "text",
                                    "text": {"body": "Hi"}})  # fmt: skip
    assert server.requests == []


def test_validate_false_sends_without_checking(make_client: Any, server: ScriptedServer) -> None:
    make_client(validate=False).call("send_text", TO, "")
    assert server.requests[0].json()["text"] == {"body": ""}


def test_with_options_can_turn_validation_off(server: ScriptedServer) -> None:
    with d360.Client(api_key="k", base_url=server.base_url) as client:
        with pytest.raises(d360.ValidationError):
            client.send_text(TO, "")
        client.with_options(validate=False).send_text(TO, "")
    assert len(server.requests) == 1


def test_every_schema_of_the_effective_spec_compiles() -> None:
    # A spec update (or overlay action) that jsonschema-rs cannot compile fails here, in the update's CI.
    from d360.validation import schema_validator

    for name in spec()["components"]["schemas"]:
        schema_validator(name)


@pytest.mark.parametrize("validate", [True, False])
@pytest.mark.parametrize(
    "bad_value", [float("nan"), float("inf"), object(), b"bytes"], ids=["nan", "infinity", "object", "bytes"]
)
def test_values_json_cannot_carry_are_refused_before_sending(
    make_client: Any, server: ScriptedServer, validate: bool, bad_value: Any
) -> None:
    # The interactive action is free-form in the spec, so only the JSON encoding can catch these.
    message = messages.interactive(TO, {"type": "product", "body": {"text": "x"}, "action": {"weight": bad_value}})
    with pytest.raises(d360.ValidationError, match=r"\$: cannot be sent as JSON"):
        make_client(validate=validate).call("send", message)
    assert server.requests == []
