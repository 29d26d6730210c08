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
    known = [
        "$.template.components[0].type: is required",
        "$.template.language: is required",
        "$.text.body: must be string, not integer",
        "$.text.preview_url: must be boolean, not string",
    ]
    # Types d360 does not know (a message type, a parameter type) are taken; everything else is still checked.
    assert sorted(problems_of(message)) == known
    assert sorted(str(problem) for problem in message_problems(message, strict=True)) == sorted(
        [
            *known,
            "$.template.components[0].parameters[0].type: must be one of 'text', 'currency', 'date_time', 'image', "
            "'document', 'video', 'location', 'payload', 'action', 'coupon_code', 'limited_time_offer', 'product', "
            "'gif', 'tap_target_configuration', not 'emoji'",
            "$.type: must be one of 'text', 'image', 'audio', 'video', 'document', 'sticker', 'location', 'contacts', "
            "'interactive', 'template', 'reaction', 'pin', not 'telegram'",
        ]
    )


def test_missing_required_envelope_fields() -> None:
    # recipient_type and type have Cloud API defaults (individual, text): only these two are required.
    assert problems_of({"type": "text", "text": {"body": "x"}}) == [
        "$.messaging_product: is required",
        "$.to: is required: the recipient's phone number or group id (or `recipient`, a business-scoped user id)",
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


# Exact words at the edges: each limit's last good value passes, the first bad one is named with its
# path and numbers, and every bad item of a list is reported, not only the first.


def envelope(kind: str, content: Any, **extra: Any) -> dict[str, Any]:
    return {"messaging_product": "whatsapp", "to": TO, "type": kind, kind: content, **extra}


def reply_buttons(count: int) -> dict[str, Any]:
    return {"buttons": [{"type": "reply", "reply": {"id": f"b{n}", "title": f"B{n}"}} for n in range(count)]}


def interactive(kind: str, action: dict[str, Any], body: str = "Body", **extra: Any) -> dict[str, Any]:
    return envelope("interactive", {"type": kind, "body": {"text": body}, "action": action, **extra})


def rows(count: int, prefix: str = "r") -> list[dict[str, str]]:
    return [{"id": f"{prefix}{n}", "title": f"Row {prefix}{n}"} for n in range(count)]


def list_of(sections: Any, button: Any = "Open") -> dict[str, Any]:
    return interactive("list", {"button": button, "sections": sections})


def with_to(to: str) -> dict[str, Any]:
    return {**envelope("text", {"body": "a"}), "to": to}


FULLWIDTH = "".join(chr(0xFF10 + int(digit)) for digit in TO)  # digits, but not ASCII ones
PHONE = "must be a phone number of 8-15 digits (+, spaces, dashes and brackets allowed), not"
BUTTONS = "$.interactive.action.buttons"
SECTIONS = "$.interactive.action.sections"
EDGES: dict[str, tuple[dict[str, Any], list[str]]] = {
    "text of 4096 characters": (envelope("text", {"body": "x" * 4096}), []),
    "text of 4097 characters": (
        envelope("text", {"body": "x" * 4097}),
        ["$.text.body: is 4097 characters, more than the limit of 4096"],
    ),
    "empty text": (envelope("text", {"body": ""}), ["$.text.body: must not be empty"]),
    "no text body": (envelope("text", {}), ["$.text.body: is required"]),
    "8 digits": (with_to("12345678"), []),
    "7 digits": (with_to("1234567"), [f"$.to: {PHONE} '1234567'"]),
    "15 digits": (with_to("123456789012345"), []),
    "16 digits": (with_to("1234567890123456"), [f"$.to: {PHONE} '1234567890123456'"]),
    "a decorated number": (with_to("+49 (151) 123-45678"), []),
    "fullwidth digits": (with_to(FULLWIDTH), [f"$.to: {PHONE} '{FULLWIDTH}'"]),
    "a group id": ({**with_to("group-id"), "recipient_type": "group"}, []),
    "a type without its object": (
        {"messaging_product": "whatsapp", "to": TO, "type": "image"},
        ["$.image: is required when type is 'image'"],
    ),
    "media by link and id": (
        envelope("image", {"link": "https://e.com/a.jpg", "id": "1"}),
        ["$.image: give link or id, not both"],
    ),
    "media by neither": (envelope("document", {"caption": "c"}), ["$.document: needs a link or an id"]),
    "caption of 1024": (envelope("video", {"id": "1", "caption": "c" * 1024}), []),
    "caption of 1025": (
        envelope("image", {"id": "1", "caption": "c" * 1025}),
        ["$.image.caption: is 1025 characters, more than the limit of 1024"],
    ),
    "latitude 90, longitude -180": (envelope("location", {"latitude": 90, "longitude": -180}), []),
    "latitude -90, longitude 180": (envelope("location", {"latitude": -90, "longitude": 180}), []),
    "beyond the poles and the date line": (
        envelope("location", {"latitude": -90.5, "longitude": 180.5}),
        [
            "$.location.latitude: must be between -90 and 90, not -90.5",
            "$.location.longitude: must be between -180 and 180, not 180.5",
        ],
    ),
    "no coordinates": (
        envelope("location", {}),
        ["$.location.latitude: is required", "$.location.longitude: is required"],
    ),
    "a reaction without its parts": (
        envelope("reaction", {}),
        [
            "$.reaction.message_id: is required: the id of the message to react to",
            '$.reaction.emoji: is required ("" removes a reaction)',
        ],
    ),
    "a reaction removed": (envelope("reaction", {"message_id": "wamid.1", "emoji": ""}), []),
    "a template without a name": (
        envelope("template", {"name": "", "language": {"code": "en"}}),
        ["$.template.name: must not be empty"],
    ),
    "one reply button": (interactive("button", reply_buttons(1)), []),
    "three reply buttons": (interactive("button", reply_buttons(3)), []),
    "four reply buttons": (interactive("button", reply_buttons(4)), [f"{BUTTONS}: needs 1-3 reply buttons, not 4"]),
    "no reply buttons": (interactive("button", {"buttons": []}), [f"{BUTTONS}: needs 1-3 reply buttons, not 0"]),
    "buttons that are not a list": (
        interactive("button", {"buttons": "x"}),
        [f"{BUTTONS}: needs 1-3 reply buttons, not 0"],
    ),
    "every bad button": (
        interactive(
            "button",
            {
                "buttons": [
                    {"type": "reply"},
                    {"type": "reply", "reply": {"id": "", "title": ""}},
                    {"type": "reply", "reply": {"id": "i" * 257, "title": "t" * 21}},
                ]
            },
        ),
        [
            f"{BUTTONS}[0].reply: is required: {{'id': ..., 'title': ...}}",
            f"{BUTTONS}[1].reply.id: is required",
            f"{BUTTONS}[1].reply.title: is required",
            f"{BUTTONS}[2].reply.id: is 257 characters, more than the limit of 256",
            f"{BUTTONS}[2].reply.title: is 21 characters, more than the limit of 20",
        ],
    ),
    "a button id of 256 and title of 20": (
        interactive("button", {"buttons": [{"type": "reply", "reply": {"id": "i" * 256, "title": "t" * 20}}]}),
        [],
    ),
    "repeated ids and titles": (
        interactive(
            "button",
            {
                "buttons": [
                    {"type": "reply", "reply": {"id": "a", "title": "A"}},
                    {"type": "reply", "reply": {"id": "a", "title": "B"}},
                    {"type": "reply", "reply": {"id": "c", "title": "A"}},
                ]
            },
        ),
        [
            f"{BUTTONS}[1].reply.id: repeats the id of button 0",
            f"{BUTTONS}[2].reply.title: repeats the title of button 0",
        ],
    ),
    "no body": (
        envelope("interactive", {"type": "button", "action": reply_buttons(1)}),
        ["$.interactive.body: is required", "$.interactive.body.text: is required for button and list messages"],
    ),
    "a body of 1024": (interactive("button", reply_buttons(1), body="b" * 1024), []),
    "a body of 1025": (
        list_of([{"rows": rows(1)}])
        | {"interactive": {**list_of([{"rows": rows(1)}])["interactive"], "body": {"text": "b" * 1025}}},
        ["$.interactive.body.text: is 1025 characters, more than the limit of 1024"],
    ),
    "header and footer of 60": (
        interactive("button", reply_buttons(1), header={"type": "text", "text": "h" * 60}, footer={"text": "f" * 60}),
        [],
    ),
    "header and footer of 61": (
        interactive("button", reply_buttons(1), header={"type": "text", "text": "h" * 61}, footer={"text": "f" * 61}),
        [
            "$.interactive.footer.text: is 61 characters, more than the limit of 60",
            "$.interactive.header.text: is 61 characters, more than the limit of 60",
        ],
    ),
    "a media header without its media": (
        interactive("button", reply_buttons(1), header={"type": "video"}),
        ["$.interactive.header.video: is required when the header type is 'video'"],
    ),
    "a media header by link and id": (
        interactive(
            "button", reply_buttons(1), header={"type": "image", "image": {"id": "1", "link": "https://e.com/a"}}
        ),
        ["$.interactive.header.image: give link or id, not both"],
    ),
    "ten sections": (list_of([{"title": f"S{n}", "rows": rows(1, f"s{n}r")} for n in range(10)]), []),
    "eleven sections": (
        list_of([{"title": f"S{n}", "rows": rows(1, f"s{n}r")} for n in range(11)]),
        [f"{SECTIONS}: needs 1-10 sections, not 11", f"{SECTIONS}: has 11 rows in all, more than the limit of 10"],
    ),
    "ten rows in two sections": (list_of([{"title": "A", "rows": rows(5)}, {"title": "B", "rows": rows(5, "x")}]), []),
    "eleven rows in two sections": (
        list_of([{"title": "A", "rows": rows(5)}, {"title": "B", "rows": rows(6, "x")}]),
        [f"{SECTIONS}: has 11 rows in all, more than the limit of 10"],
    ),
    "a label of 20, a row title of 24 and description of 72": (
        list_of([{"rows": [{"id": "1", "title": "t" * 24, "description": "d" * 72}]}], button="l" * 20),
        [],
    ),
    "a label of 21, a row title of 25 and description of 73": (
        list_of([{"rows": [{"id": "1", "title": "t" * 25, "description": "d" * 73}]}], button="l" * 21),
        [
            "$.interactive.action.button: is 21 characters, more than the limit of 20",
            f"{SECTIONS}[0].rows[0].title: is 25 characters, more than the limit of 24",
            f"{SECTIONS}[0].rows[0].description: is 73 characters, more than the limit of 72",
        ],
    ),
    "every bad section and row": (
        list_of([{"rows": []}, {"title": "x"}, {"rows": [{"id": "1"}, {"title": "t"}]}], button=None),
        [
            "$.interactive.action.button: is required: the label of the button that opens the list",
            f"{SECTIONS}[0].rows: needs at least one row",
            f"{SECTIONS}[1].rows: needs at least one row",
            f"{SECTIONS}[2].rows[0]: needs an id and a title",
            f"{SECTIONS}[2].rows[1]: needs an id and a title",
        ],
    ),
    "no sections": (
        interactive("list", {"button": "Open"}),
        [f"{SECTIONS}: needs 1-10 sections, not 0"],
    ),
    "types named as JSON names them": (
        envelope("text", {"body": True, "preview_url": {}}),
        ["$.text.body: must be string, not boolean", "$.text.preview_url: must be boolean, not object"],
    ),
    "more JSON type names": (
        envelope("text", {"body": 1.5, "preview_url": [1]}),
        ["$.text.body: must be string, not number", "$.text.preview_url: must be boolean, not array"],
    ),
    "and the rest": (
        envelope("text", {"body": {}, "preview_url": 3}),
        ["$.text.body: must be string, not object", "$.text.preview_url: must be boolean, not integer"],
    ),
    "a long bad value is cut at 60 characters": (
        {"messaging_product": "whatsapp", "to": TO, "recipient_type": "t" * 100, "text": {"body": "a"}},
        [f"$.recipient_type: must be one of 'individual', 'group', not '{'t' * 56}..."],
    ),
}


@pytest.mark.parametrize("message, expected", list(EDGES.values()), ids=list(EDGES))
def test_limits_at_their_edges_in_exact_words(message: dict[str, Any], expected: list[str]) -> None:
    assert problems_of(message) == expected


SCHEMA_WORDS: list[tuple[dict[str, Any], Any, str]] = [
    ({"minLength": 3}, "a", "$: needs 3 characters"),
    ({"minLength": 1}, "", "$: must not be empty"),
    ({"minItems": 2}, [1], "$: needs at least 2 items"),
    ({"minItems": 1}, [], "$: needs at least 1 item"),
    ({"maxItems": 1}, [1, 2], "$: has 2 items, more than the limit of 1"),
    ({"minimum": 1}, 0, "$: must be at least 1, not 0"),
    ({"maximum": 1}, 2, "$: must be at most 1, not 2"),
    ({"pattern": "^a$"}, "b", "$: 'b' does not match ^a$"),
    ({"enum": ["a", "b"]}, "c", "$: must be one of 'a', 'b', not 'c'"),
    ({"type": ["string", "null"]}, 1, "$: must be null or string, not integer"),
    ({"required": ["x"]}, {}, "$.x: is required"),
    ({"maxLength": 2}, "abc", "$: is 3 characters, more than the limit of 2"),
    ({"properties": {"a": {"items": {"type": "integer"}}}}, {"a": [1, "x"]}, "$.a[1]: must be integer, not string"),
    ({"multipleOf": 2}, 3, "$: 3 is not a multiple of 2"),  # a kind without words of ours: the checker's own
    (
        {"properties": {"k": {"not": {}}}},
        {"k": "y" * 300},
        "$.k: " + ('{} is not allowed for "' + "y" * 300)[:197] + "...",
    ),  # cut to 200
]


@pytest.mark.parametrize("schema, value, expected", SCHEMA_WORDS, ids=[str(case[0]) for case in SCHEMA_WORDS])
def test_each_kind_of_schema_problem_is_worded_for_a_person(schema: dict[str, Any], value: Any, expected: str) -> None:
    import jsonschema_rs

    from d360.validation import _problem

    (error,) = jsonschema_rs.Draft202012Validator(schema).iter_errors(value)
    assert str(_problem(error)) == expected


def test_the_spec_words_its_own_limits_where_the_hand_written_ones_say_them_better() -> None:
    from d360.validation import schema_problems

    def words(message: dict[str, Any]) -> list[str]:
        return [str(problem) for problem in schema_problems(message)]

    assert words(EDGES["beyond the poles and the date line"][0]) == [
        "$.location.latitude: must be at least -90, not -90.5",
        "$.location.longitude: must be at most 180, not 180.5",
    ]
    assert words(EDGES["four reply buttons"][0]) == [f"{BUTTONS}: has 4 items, more than the limit of 3"]
    assert words(EDGES["7 digits"][0]) == ["$.to: '1234567' does not match ^[+\\s()-]*([0-9][\\s()-]*){8,15}$"]


# The hand-written limits on their own: the overlay writes several of them into the schema too, so only
# `limit_problems` shows that the hand-written check itself works.


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (envelope("text", {"body": "x" * 4097}), ["$.text.body: is 4097 characters, more than the limit of 4096"]),
        *[
            (
                envelope(kind, {"id": "1", "caption": "c" * 1025}),
                [f"$.{kind}.caption: is 1025 characters, more than the limit of 1024"],
            )
            for kind in ("image", "video", "document")
        ],
        (envelope("audio", {"id": "1", "caption": "c" * 1025}), []),  # audio and stickers take no caption
        (envelope("sticker", {"id": "1", "caption": "c" * 1025}), []),
        (
            envelope("interactive", {"type": "list", "action": {"button": "b", "sections": [{"rows": rows(1)}]}}),
            ["$.interactive.body.text: is required for button and list messages"],
        ),
        (
            interactive(
                "list", {"button": "l" * 21, "sections": [{"rows": rows(1)}]}, "b" * 1025, footer={"text": "f" * 61}
            ),
            [
                "$.interactive.body.text: is 1025 characters, more than the limit of 1024",
                "$.interactive.footer.text: is 61 characters, more than the limit of 60",
                "$.interactive.action.button: is 21 characters, more than the limit of 20",
            ],
        ),
        (
            interactive("button", reply_buttons(1), header={"type": "document"}),
            ["$.interactive.header.document: is required when the header type is 'document'"],
        ),
        (interactive("button", "not an object"), [f"{BUTTONS}: needs 1-3 reply buttons, not 0"]),  # type: ignore[arg-type]
        (interactive("button", {"buttons": ["x"]}), [f"{BUTTONS}[0].reply: is required: {{'id': ..., 'title': ...}}"]),
        (list_of(["x"]), [f"{SECTIONS}[0].rows: needs at least one row"]),
    ],
    ids=[
        "text",
        "image",
        "video",
        "document",
        "audio",
        "sticker",
        "list body",
        "list lengths",
        "document header",
        "an action that is not an object",
        "a button that is not an object",
        "a section that is not an object",
    ],
)
def test_the_hand_written_limits_alone(message: dict[str, Any], expected: list[str]) -> None:
    assert [str(problem) for problem in limit_problems(message)] == expected


def test_a_limit_speaks_for_the_schemas_words_about_the_same_place_and_below() -> None:
    four = reply_buttons(4)
    four["buttons"][0]["type"] = "bogus"  # the schema would object to buttons[0].type too
    assert problems_of(interactive("button", four)) == [f"{BUTTONS}: needs 1-3 reply buttons, not 4"]
    assert problems_of(list_of([{"rows": rows(1)}], button=5)) == [
        "$.interactive.action.button: is required: the label of the button that opens the list"
    ]


def test_values_cut_short_at_their_limits() -> None:
    from d360.validation import _json_type, _short

    assert _short("x" * 58) == repr("x" * 58)  # 60 characters: whole
    assert _short("x" * 59) == repr("x" * 59)[:57] + "..."  # 61: cut to 60
    assert (_json_type(1 + 2j), _json_type((1,))) == ("complex", "tuple")  # not JSON: Python's own name


@pytest.mark.parametrize("length", [200, 201])
def test_the_checkers_own_words_are_cut_at_200_characters(length: int) -> None:
    import jsonschema_rs

    from d360.validation import _problem

    value = "y" * (length - len('{} is not allowed for ""'))
    (error,) = jsonschema_rs.Draft202012Validator({"not": {}}).iter_errors(value)
    assert len(error.message) == length
    words = _problem(error).message
    assert words == (error.message if length == 200 else error.message[:197] + "...")


def test_a_message_the_checker_cannot_take_as_json_is_a_problem_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    message = {**envelope("text", {"body": "a"}), 1: "a key that is not a string"}
    assert problems_of(message) == ["$: cannot be checked as JSON: Dict key must be str or str enum. Got 'int'"]
    with pytest.raises(d360.ValidationError):
        d360.validate_message(message)
    from d360 import validation

    for error in (RecursionError(), ValueError("Recursion limit reached")):  # a corner no real input reaches now

        def deep(message: Any, schema: str = "", error: BaseException = error, **options: Any) -> list[Any]:
            raise error

        monkeypatch.setattr(validation, "schema_problems", deep)
        # An invalid message: a valid one is never asked about its problems.
        assert problems_of(envelope("text", {"body": 5})) == ["$: is nested too deeply to be a message"]


def test_the_effective_spec_is_read_from_the_generated_package() -> None:
    from d360_api import SPEC_VERSION

    from d360.validation import _read_spec

    document = _read_spec()
    assert document["info"]["version"] == SPEC_VERSION and "messages.Message" in document["components"]["schemas"]


def test_a_read_receipt_is_checked_against_its_own_schema() -> None:
    from d360.validation import read_receipt_problems

    def words(receipt: dict[str, Any]) -> list[str]:
        return [str(problem) for problem in read_receipt_problems(receipt)]

    assert words(messages.read_receipt("wamid.X", typing_indicator=True)) == []
    assert words({"messaging_product": "whatsapp", "status": "read"}) == ["$.message_id: is required"]
    assert words({"messaging_product": "whatsapp", "status": "seen", "message_id": "w"}) == [
        "$.status: must be one of 'read', not 'seen'"
    ]


def test_a_place_speaks_for_itself_its_fields_and_its_items_but_not_its_namesakes() -> None:
    from d360.validation import _under_any

    places = ["$.interactive.action.buttons"]
    assert _under_any("$.interactive.action.buttons", places)
    assert _under_any("$.interactive.action.buttons[3].reply.title", places)
    assert _under_any("$.interactive.action.buttons.extra", places)
    assert not _under_any("$.interactive.action.buttons_extra", places)
    assert not _under_any("$.interactive.action", places)


# Button sub_types in the case the Cloud API takes: either, and sent as given.

SUB_TYPES = ["quick_reply", "url", "catalog", "flow", "copy_code", "mpm", "voice_call", "order_details"]


def button_template(sub_type: str) -> dict[str, Any]:
    return {"messaging_product": "whatsapp", "to": TO, "type": "template", "template": {
        "name": "offer", "language": {"code": "en_US"},
        "components": [{"type": "button", "sub_type": sub_type, "index": 0}]}}  # fmt: skip


@pytest.mark.parametrize("sub_type", [*SUB_TYPES, *(sub_type.upper() for sub_type in SUB_TYPES)])
def test_a_button_sub_type_is_taken_in_either_case(sub_type: str) -> None:
    assert problems_of(button_template(sub_type)) == []


@pytest.mark.parametrize("sub_type", ["Catalog", "Quick_Reply", "cOpY_cOdE"])
def test_a_sub_type_is_compared_without_regard_to_case_and_sent_as_given(sub_type: str) -> None:
    message = button_template(sub_type)
    assert problems_of(message) == []
    assert message["template"]["components"][0]["sub_type"] == sub_type  # read in lower case, never changed
    # Strict: exactly the effective spec, which lists lower and upper case only.
    [refusal] = message_problems(message, strict=True)
    assert refusal.path == "$.template.components[0].sub_type" and refusal.message.endswith(f"not {sub_type!r}")


@pytest.mark.parametrize("sub_type", ["copy-code", "CATALOGUE"])
def test_a_sub_type_d360_does_not_know_is_taken_and_refused_when_strict(sub_type: str) -> None:
    assert problems_of(button_template(sub_type)) == []
    [problem] = [str(problem) for problem in message_problems(button_template(sub_type), strict=True)]
    assert problem.startswith("$.template.components[0].sub_type: must be one of 'quick_reply', 'url', ")
    assert "'CATALOG'" not in problem and problem.endswith(f"not {sub_type!r}")  # each value named once


def test_metas_catalog_template_example_is_sent_as_given(make_client: Any, server: ScriptedServer) -> None:
    from d360.contract.corpus import CORPUS

    example = CORPUS["template catalog button as Meta's guide writes it"]
    make_client().call("send", example)
    [request] = server.requests
    assert request.json()["template"] == example["template"]
    assert request.json()["template"]["components"][1]["sub_type"] == "CATALOG"
