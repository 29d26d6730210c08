"""For every message type, the exact JSON upstream receives, against the shapes in upstream's docs.

The expected bodies are upstream's documented examples (360dialog's message docs follow Meta's Cloud
API) with our test values filled in.
"""

from __future__ import annotations

from typing import Any

import pytest
from d360_api.models import InteractiveObject, Message, MessageRecipientType, MessageType, TextMessage

from d360 import templates as t
from tests.clients import ClientUnderTest
from tests.scripted_server import ScriptedServer

TO = "4915112345678"
WAMID = "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0QUJDRDEyMzQ1Njc4OTAA"


def envelope(kind: str, content: Any, **extra: Any) -> dict[str, Any]:
    return {"messaging_product": "whatsapp", "recipient_type": "individual", "to": TO, "type": kind,
            kind: content, **extra}  # fmt: skip


CASES: list[tuple[str, tuple[Any, ...], dict[str, Any], dict[str, Any]]] = [
    ("send_text", (TO, "Hello, world"), {}, envelope("text", {"body": "Hello, world"})),
    ("send_text", (TO, "See https://360dialog.com"), {"preview_url": True},
     envelope("text", {"body": "See https://360dialog.com", "preview_url": True})),
    ("send_text", (TO, "Answering"), {"reply_to": WAMID},
     envelope("text", {"body": "Answering"}, context={"message_id": WAMID})),
    ("send_image", (TO,), {"link": "https://example.com/cat.jpg", "caption": "A cat"},
     envelope("image", {"link": "https://example.com/cat.jpg", "caption": "A cat"})),
    ("send_image", (TO,), {"media_id": "1234567890"}, envelope("image", {"id": "1234567890"})),
    ("send_audio", (TO,), {"media_id": "998877"}, envelope("audio", {"id": "998877"})),
    ("send_video", (TO,), {"link": "https://example.com/clip.mp4", "caption": "Clip"},
     envelope("video", {"link": "https://example.com/clip.mp4", "caption": "Clip"})),
    ("send_sticker", (TO,), {"link": "https://example.com/s.webp"},
     envelope("sticker", {"link": "https://example.com/s.webp"})),
    ("send_document", (TO,), {"link": "https://example.com/invoice.pdf", "caption": "Your invoice",
                              "filename": "invoice-8812.pdf"},
     envelope("document", {"link": "https://example.com/invoice.pdf", "caption": "Your invoice",
                           "filename": "invoice-8812.pdf"})),
    ("send_location", (TO, 52.520008, 13.404954), {"name": "Berlin", "address": "Alexanderplatz 1"},
     envelope("location", {"latitude": 52.520008, "longitude": 13.404954, "name": "Berlin",
                           "address": "Alexanderplatz 1"})),
    ("send_reaction", (TO, WAMID, "\U0001f600"), {}, envelope("reaction", {"message_id": WAMID, "emoji": "\U0001f600"})),
    ("send_reaction", (TO, WAMID, ""), {}, envelope("reaction", {"message_id": WAMID, "emoji": ""})),
    ("send_template", (TO, "hello_world", "en_US"), {},
     envelope("template", {"name": "hello_world", "language": {"code": "en_US"}})),
    ("send_template", (TO, "order_update", "de"), {"components": [
        t.header(t.image(link="https://example.com/box.jpg")),
        t.body(t.text("Anna"), t.currency("EUR 12.50", "EUR", 12500), t.date_time("4. Mai")),
        t.button(0, "url", t.text("order/8812")),
    ]}, envelope("template", {"name": "order_update", "language": {"code": "de"}, "components": [
        {"type": "header", "parameters": [{"type": "image", "image": {"link": "https://example.com/box.jpg"}}]},
        {"type": "body", "parameters": [
            {"type": "text", "text": "Anna"},
            {"type": "currency", "currency": {"fallback_value": "EUR 12.50", "code": "EUR", "amount_1000": 12500}},
            {"type": "date_time", "date_time": {"fallback_value": "4. Mai"}},
        ]},
        {"type": "button", "sub_type": "url", "index": 0, "parameters": [{"type": "text", "text": "order/8812"}]},
    ]})),
    ("send_buttons", (TO, "Keep the appointment?", [("yes", "Yes"), ("no", "No, move it")]),
     {"header": "Appointment", "footer": "Reply by tapping"},
     envelope("interactive", {
         "type": "button",
         "header": {"type": "text", "text": "Appointment"},
         "body": {"text": "Keep the appointment?"},
         "footer": {"text": "Reply by tapping"},
         "action": {"buttons": [{"type": "reply", "reply": {"id": "yes", "title": "Yes"}},
                                {"type": "reply", "reply": {"id": "no", "title": "No, move it"}}]},
     })),
    ("send_list", (TO, "Pick a slot", "Slots", [
        {"title": "Monday", "rows": [{"id": "mon-9", "title": "09:00", "description": "Morning"}]},
        {"title": "Tuesday", "rows": [{"id": "tue-14", "title": "14:00"}]},
    ]), {}, envelope("interactive", {
        "type": "list",
        "body": {"text": "Pick a slot"},
        "action": {"button": "Slots", "sections": [
            {"title": "Monday", "rows": [{"id": "mon-9", "title": "09:00", "description": "Morning"}]},
            {"title": "Tuesday", "rows": [{"id": "tue-14", "title": "14:00"}]},
        ]},
    })),
    ("send_interactive", (TO, {"type": "product", "body": {"text": "Our bestseller"},
                               "action": {"catalog_id": "367025965434465", "product_retailer_id": "SKU-1"}}), {},
     envelope("interactive", {"type": "product", "body": {"text": "Our bestseller"},
                              "action": {"catalog_id": "367025965434465", "product_retailer_id": "SKU-1"}})),
    ("send_contacts", (TO, [{"name": {"formatted_name": "Anna Weber", "first_name": "Anna"},
                             "phones": [{"phone": "+49 30 1234567", "type": "WORK"}]}]), {},
     envelope("contacts", [{"name": {"formatted_name": "Anna Weber", "first_name": "Anna"},
                            "phones": [{"phone": "+49 30 1234567", "type": "WORK"}]}])),
]  # fmt: skip


@pytest.mark.parametrize(("method", "args", "kwargs", "expected"), CASES, ids=[case[0] for case in CASES])
def test_sender_puts_upstreams_documented_json_on_the_wire(
    make_client: Any, server: ScriptedServer, method: str, args: tuple[Any, ...], kwargs: dict[str, Any],
    expected: dict[str, Any],
) -> None:  # fmt: skip
    result = make_client().call(method, *args, **kwargs)
    assert result.message_id == "wamid.TEST1"
    [request] = server.requests
    assert (request.method, request.path) == ("POST", "/messages")
    assert request.headers["Content-Type"] == "application/json"
    assert request.json() == expected


def test_phone_number_decoration_is_stripped(make_client: Any, server: ScriptedServer) -> None:
    make_client().call("send_text", "+49 (151) 123-45678", "Hi")
    assert server.requests[0].json()["to"] == TO


def test_group_recipient_keeps_the_group_id(make_client: Any, server: ScriptedServer) -> None:
    make_client().call("send_text", "120363025246125486@g.us", "Hello group", recipient_type="group")
    body = server.requests[0].json()
    assert (body["recipient_type"], body["to"]) == ("group", "120363025246125486@g.us")


def test_send_accepts_a_generated_message_model(make_client: Any, server: ScriptedServer) -> None:
    model = Message(messaging_product="whatsapp", recipient_type=MessageRecipientType.INDIVIDUAL, to=TO,
                    type_=MessageType.TEXT, text=TextMessage(body="From a model"))  # fmt: skip
    make_client().call("send", model)
    assert server.requests[0].json() == envelope("text", {"body": "From a model"})


def test_send_sends_a_mapping_exactly_as_given(make_client: Any, server: ScriptedServer) -> None:
    message = envelope("text", {"body": "As given", "preview_url": False})
    make_client().call("send", message)
    assert server.requests[0].json() == message


def test_send_interactive_accepts_a_generated_model(make_client: Any, server: ScriptedServer) -> None:
    interactive = InteractiveObject.from_dict(
        {"type": "flow", "body": {"text": "Book now"}, "action": {"name": "flow", "parameters": {"flow_id": "1"}}}
    )
    make_client().call("send_interactive", TO, interactive)
    assert server.requests[0].json()["interactive"] == {
        "type": "flow", "body": {"text": "Book now"}, "action": {"name": "flow", "parameters": {"flow_id": "1"}},
    }  # fmt: skip


def test_mark_as_read_sends_the_read_receipt(make_client: Any, server: ScriptedServer) -> None:
    from tests.scripted_server import Reply

    server.script(Reply(200, {"success": True}))
    assert make_client().call("mark_as_read", WAMID) is True
    assert server.requests[0].json() == {"messaging_product": "whatsapp", "status": "read", "message_id": WAMID}


def test_every_request_carries_the_api_key_header(make_client: Any, server: ScriptedServer) -> None:
    make_client().call("send_text", TO, "Hi")
    assert server.requests[0].headers["D360-API-KEY"] == "test-key-123"


def test_sync_and_async_results_are_equal(server: ScriptedServer) -> None:
    results = [ClientUnderTest(kind, api_key="k", base_url=server.base_url).call("send_text", TO, "Hi")
               for kind in ("sync", "async")]  # fmt: skip
    assert results[0] == results[1]
    assert server.requests[0].body == server.requests[1].body
