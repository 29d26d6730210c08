"""d360.webhooks.parse: every inbound type and status in the documented shapes; unknown parts kept; garbage safe."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from d360 import D360Error
from d360.webhooks import (
    GroupEvent,
    IncomingMessage,
    StatusUpdate,
    UnknownEvent,
    WebhookError,
    WebhookPayloadError,
    parse,
)
from d360.webhooks.events import (
    Contact,
    ContactName,
    Conversation,
    ErrorDetail,
    GroupParticipant,
    InteractiveReply,
    Location,
    Media,
    Pricing,
    System,
    Text,
)
from d360.webhooks.payloads import contact, delivery, inbound, status

SENDER = "4915112345678"
WHEN = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
STAMP = str(int(WHEN.timestamp()))


def one(message: dict[str, Any], **kwargs: Any) -> IncomingMessage:
    events = parse(
        json.dumps(delivery(messages=[message], contacts=[contact(SENDER, "Kerry Fisher")], **kwargs)).encode()
    )
    assert len(events) == 1
    event = events[0]
    assert isinstance(event, IncomingMessage), event
    return event


def message_of(kind: str, content: Any, **extra: Any) -> dict[str, Any]:
    return inbound(SENDER, kind, content, id=f"wamid.{kind}", timestamp=WHEN.timestamp(), **extra)


def test_text_message_has_sender_contact_metadata_and_an_aware_timestamp() -> None:
    event = one(message_of("text", {"body": "Hello there"}), phone_number_id="123", display_phone_number="15550001111")
    assert (event.id, event.from_, event.type, event.text.body if event.text else None) == (
        "wamid.text",
        SENDER,
        "text",
        "Hello there",
    )
    assert event.timestamp == WHEN and event.timestamp.tzinfo is not None
    assert event.contact is not None and (event.contact.name, event.contact.wa_id) == ("Kerry Fisher", SENDER)
    assert (event.phone_number_id, event.display_phone_number) == ("123", "15550001111")
    assert event.business_account_id == "102290129340398"
    assert event.dedup_key == "message:wamid.text"
    assert event.raw["text"] == {"body": "Hello there"}
    assert event.content == event.text


@pytest.mark.parametrize(
    ("kind", "content"),
    [
        ("image", {"caption": "the receipt", "mime_type": "image/jpeg", "sha256": "c2hh", "id": "1001"}),
        ("audio", {"mime_type": "audio/ogg; codecs=opus", "sha256": "c2hh", "id": "1002", "voice": True}),
        ("video", {"mime_type": "video/mp4", "sha256": "c2hh", "id": "1003", "caption": "look"}),
        ("document", {"filename": "invoice.pdf", "mime_type": "application/pdf", "sha256": "c2hh", "id": "1004"}),
        ("sticker", {"mime_type": "image/webp", "sha256": "c2hh", "id": "1005", "animated": True}),
    ],
)
def test_media_messages_carry_id_type_hash_caption_filename_and_flags(kind: str, content: dict[str, Any]) -> None:
    event = one(message_of(kind, content))
    media = event.media
    assert media is not None and media is getattr(event, kind) and event.content is media
    assert (media.id, media.mime_type, media.sha256) == (content["id"], content["mime_type"], "c2hh")
    assert media.caption == content.get("caption")
    assert media.filename == content.get("filename")
    assert media.voice is bool(content.get("voice"))
    assert media.animated is bool(content.get("animated"))


def test_location_numbers_arrive_as_floats_whether_sent_as_numbers_or_strings() -> None:
    event = one(
        message_of("location", {"latitude": 52.52, "longitude": "13.405", "name": "Office", "address": "Berlin"})
    )
    assert event.location is not None
    assert (event.location.latitude, event.location.longitude, event.location.name) == (52.52, 13.405, "Office")


def test_contacts_message_keeps_every_part_of_each_card() -> None:
    card = {
        "name": {"formatted_name": "Ada Lovelace", "first_name": "Ada", "last_name": "Lovelace"},
        "phones": [{"phone": "+44 20 1234", "wa_id": "44201234", "type": "WORK"}],
        "emails": [{"email": "ada@example.com", "type": "HOME"}],
        "urls": [{"url": "https://example.com", "type": "WORK"}],
        "addresses": [{"street": "1 Main St", "city": "London", "country_code": "GB", "type": "HOME"}],
        "org": {"company": "Analytical Engines", "title": "Countess"},
        "birthday": "1815-12-10",
    }
    event = one(message_of("contacts", [card, {"name": {"formatted_name": "B"}}]))
    first = event.contacts[0]
    assert len(event.contacts) == 2 and event.content == event.contacts
    assert first.name.formatted_name == "Ada Lovelace" and first.name.last_name == "Lovelace"
    assert (first.phones[0].phone, first.phones[0].wa_id, first.phones[0].type) == ("+44 20 1234", "44201234", "WORK")
    assert first.emails[0].email == "ada@example.com" and first.urls[0].url == "https://example.com"
    assert first.addresses[0].city == "London" and first.org is not None and first.org.company == "Analytical Engines"
    assert first.birthday == "1815-12-10"


def test_reaction_and_its_removal() -> None:
    added = one(message_of("reaction", {"message_id": "wamid.mine", "emoji": "\U0001f44d"}))
    removed = one(message_of("reaction", {"message_id": "wamid.mine"}))
    assert added.reaction is not None and added.reaction.emoji == "\U0001f44d" and not added.reaction.removed
    assert removed.reaction is not None and removed.reaction.removed and removed.reaction.message_id == "wamid.mine"


def test_template_quick_reply_button_with_the_message_it_answers() -> None:
    event = one(
        message_of(
            "button", {"text": "Yes", "payload": "CONFIRM"}, context={"from": "15550783881", "id": "wamid.template"}
        )
    )
    assert event.button is not None and (event.button.text, event.button.payload) == ("Yes", "CONFIRM")
    assert event.context is not None and event.context.message_id == "wamid.template"


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ({"type": "button_reply", "button_reply": {"id": "yes", "title": "Yes"}}, ("button_reply", "yes", "Yes", None)),
        (
            {"type": "list_reply", "list_reply": {"id": "row-2", "title": "Large", "description": "40 cm"}},
            ("list_reply", "row-2", "Large", "40 cm"),
        ),
    ],
)
def test_interactive_button_and_list_replies(reply: dict[str, Any], expected: tuple[Any, ...]) -> None:
    event = one(message_of("interactive", reply))
    assert event.interactive is not None
    assert (
        event.interactive.type,
        event.interactive.id,
        event.interactive.title,
        event.interactive.description,
    ) == expected


def test_flow_reply_has_its_response_json_parsed() -> None:
    answers = {"flow_token": "abc", "size": "L", "agree": True}
    event = one(
        message_of(
            "interactive",
            {"type": "nfm_reply", "nfm_reply": {"name": "flow", "body": "Sent", "response_json": json.dumps(answers)}},
        )
    )
    assert event.interactive is not None and event.interactive.response_json == answers
    assert (event.interactive.name, event.interactive.body) == ("flow", "Sent")


def test_flow_reply_whose_response_json_is_not_json_keeps_the_raw_text() -> None:
    event = one(
        message_of("interactive", {"type": "nfm_reply", "nfm_reply": {"name": "flow", "response_json": "{not json"}})
    )
    assert event.interactive is not None and event.interactive.response_json is None
    assert event.raw["interactive"]["nfm_reply"]["response_json"] == "{not json"


def test_order_with_its_items() -> None:
    order = {
        "catalog_id": "cat-1",
        "text": "for Friday",
        "product_items": [{"product_retailer_id": "sku-9", "quantity": 2, "item_price": 12.5, "currency": "EUR"}],
    }
    event = one(message_of("order", order))
    assert event.order is not None and event.order.catalog_id == "cat-1" and event.order.text == "for Friday"
    item = event.order.product_items[0]
    assert (item.product_retailer_id, item.quantity, item.item_price, item.currency) == ("sku-9", 2, 12.5, "EUR")


def test_system_message_for_a_changed_number() -> None:
    system = {"body": "User A changed from 49151 to 49152", "new_wa_id": "49152", "type": "user_changed_number"}
    event = one(message_of("system", system))
    assert event.system is not None and event.system.type == "user_changed_number" and event.system.new_wa_id == "49152"


def test_unsupported_message_keeps_its_errors() -> None:
    errors = [{"code": 131051, "title": "Message type unknown", "message": "Message type unknown",
               "error_data": {"details": "Message type is currently not supported."}}]  # fmt: skip
    event = one(message_of("unsupported", None, errors=errors))
    assert event.type == "unsupported"
    assert [(error.code, error.title, error.details) for error in event.errors] == [
        (131051, "Message type unknown", "Message type is currently not supported.")
    ]


def test_context_forwarded_and_referred_product() -> None:
    forwarded = one(message_of("text", {"body": "fwd"}, context={"forwarded": True, "frequently_forwarded": True}))
    assert forwarded.context is not None and forwarded.context.forwarded and forwarded.context.frequently_forwarded
    asked = one(message_of("text", {"body": "this one?"}, context={
        "from": "15550783881", "id": "wamid.catalog",
        "referred_product": {"catalog_id": "cat-1", "product_retailer_id": "sku-9"}}))  # fmt: skip
    assert asked.context is not None and asked.context.referred_product is not None
    assert asked.context.referred_product.product_retailer_id == "sku-9" and asked.context.from_ == "15550783881"


def test_referral_from_a_click_to_whatsapp_ad() -> None:
    referral = {"source_url": "https://fb.me/x", "source_id": "ad-1", "source_type": "ad", "headline": "Sale",
                "body": "50% off", "media_type": "image", "image_url": "https://img", "ctwa_clid": "clid-1"}  # fmt: skip
    event = one(message_of("text", {"body": "I saw your ad"}, referral=referral))
    assert event.referral is not None and (event.referral.source_type, event.referral.ctwa_clid) == ("ad", "clid-1")


def test_group_message_has_its_group_id_and_the_right_contact_among_several() -> None:
    body = delivery(
        messages=[message_of("text", {"body": "hi all"}, group_id="group-7")],
        contacts=[contact("111", "Someone Else"), contact(SENDER, "Kerry Fisher")],
    )
    (event,) = parse(body)
    assert isinstance(event, IncomingMessage) and event.group_id == "group-7"
    assert event.contact is not None and event.contact.name == "Kerry Fisher"


def test_unknown_message_type_is_kept_as_a_message_with_its_raw_part() -> None:
    event = one(message_of("hologram", {"depth": 3}))
    assert event.type == "hologram" and event.content is None and event.raw["hologram"] == {"depth": 3}


@pytest.mark.parametrize("state", ["sent", "delivered", "read", "failed", "played", "deleted"])
def test_every_status_is_parsed_and_unknown_statuses_are_kept(state: str) -> None:
    update = status("wamid.out", state, SENDER, timestamp=WHEN.timestamp(), biz_opaque_callback_data="row-17")
    (event,) = parse(delivery(statuses=[update]))
    assert isinstance(event, StatusUpdate)
    assert (event.message_id, event.status, event.recipient_id, event.timestamp) == ("wamid.out", state, SENDER, WHEN)
    assert event.biz_opaque_callback_data == "row-17"
    assert event.dedup_key == f"status:wamid.out:{state}:{SENDER}"
    assert event.failed is (state == "failed")


def test_sent_status_has_conversation_and_pricing() -> None:
    (event,) = parse(
        delivery(statuses=[status("wamid.out", "sent", SENDER, conversation_id="conv-1", category="marketing")])
    )
    assert isinstance(event, StatusUpdate) and event.conversation is not None and event.pricing is not None
    assert (event.conversation.id, event.conversation.origin_type) == ("conv-1", "marketing")
    assert event.conversation.expiration_timestamp is not None
    assert (event.pricing.billable, event.pricing.pricing_model, event.pricing.category) == (True, "PMP", "marketing")


def test_failed_status_has_code_title_message_and_details() -> None:
    (event,) = parse(delivery(statuses=[status("wamid.out", "failed", SENDER, error_code=131047)]))
    assert isinstance(event, StatusUpdate)
    (error,) = event.errors
    assert error.code == 131047 and error.title == "Re-engagement message" and error.message == "Re-engagement message"
    assert error.details is not None and "24 hours" in error.details


def test_value_errors_become_webhook_error_events() -> None:
    problem = {"code": 130472, "title": "User's number is part of an experiment", "message": "x",
               "error_data": {"details": "Failed to send message because this user's phone number is part of an experiment"}}  # fmt: skip
    (event,) = parse(delivery(errors=[problem]))
    assert isinstance(event, WebhookError) and event.error.code == 130472 and event.error.details is not None


def test_group_lifecycle_events() -> None:
    body = {"object": "whatsapp_business_account", "entry": [{"id": "waba", "changes": [{"field": "group_participant_update", "value": {
        "messaging_product": "whatsapp", "metadata": {"display_phone_number": "1", "phone_number_id": "2"},
        "groups": [{"timestamp": 1764072000, "group_id": "g-1", "type": "group_add_participants", "request_id": "r-1",
                    "added_participants": [{"input": "+49 151", "wa_id": "49151"}]}]}}]}]}  # fmt: skip
    (event,) = parse(body)
    assert isinstance(event, GroupEvent) and event.field == "group_participant_update"
    assert (event.type, event.group_id, event.request_id) == ("group_add_participants", "g-1", "r-1")
    assert event.added_participants[0].wa_id == "49151" and event.timestamp is not None


def test_several_entries_and_changes_come_back_in_payload_order() -> None:
    first = delivery(messages=[message_of("text", {"body": "1"})], statuses=[status("wamid.a", "read", SENDER)])
    second = delivery(statuses=[status("wamid.b", "delivered", SENDER)])
    body = {"object": "whatsapp_business_account", "entry": first["entry"] + second["entry"]}
    kinds = [(type(event).__name__, getattr(event, "status", None)) for event in parse(body)]
    assert kinds == [("IncomingMessage", None), ("StatusUpdate", "read"), ("StatusUpdate", "delivered")]


def test_unknown_field_and_unknown_value_parts_arrive_as_unknown_events() -> None:
    body = delivery(statuses=[status("wamid.a", "read", SENDER)])
    body["entry"][0]["changes"][0]["value"]["message_echoes"] = [{"id": "wamid.echo"}]
    body["entry"][0]["changes"].append({"field": "account_update", "value": {"event": "VERIFIED_ACCOUNT"}})
    events = parse(body)
    assert [type(event).__name__ for event in events] == ["StatusUpdate", "UnknownEvent", "UnknownEvent"]
    echo, account = events[1], events[2]
    assert isinstance(echo, UnknownEvent) and "message_echoes" in echo.reason
    assert isinstance(account, UnknownEvent) and account.field == "account_update"
    assert account.raw == {"field": "account_update", "value": {"event": "VERIFIED_ACCOUNT"}}
    assert account.dedup_key == parse(body)[2].dedup_key  # stable


def test_items_without_what_identifies_them_become_unknown_events_not_errors() -> None:
    body = delivery(messages=[{"type": "text", "text": {"body": "no id"}}], statuses=[{"status": "read"}])
    body["entry"][0]["changes"][0]["value"]["messages"].append("a string")
    events = parse(body)
    assert [type(event).__name__ for event in events] == ["UnknownEvent"] * 3
    assert events[0].raw == {"type": "text", "text": {"body": "no id"}} and events[1].raw == {"value": "a string"}
    assert events[2].raw == {"status": "read"}


def test_fields_of_the_wrong_type_are_dropped_and_the_rest_kept() -> None:
    message = message_of("text", {"body": [42]})
    message["timestamp"], message["context"] = "yesterday", "not an object"
    event = one(message)
    assert event.text is not None and event.text.body == "" and event.timestamp is None and event.context is None
    assert event.raw["text"] == {"body": [42]}


def test_dedup_keys_are_stable_across_parses() -> None:
    body = json.dumps(
        delivery(messages=[message_of("text", {"body": "x"})], errors=[{"code": 1, "title": "t"}])
    ).encode()
    assert [event.dedup_key for event in parse(body)] == [event.dedup_key for event in parse(body)]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "not valid JSON"),
        (b"\xff\xfe{", "not UTF-8"),
        (b"[]", "a JSON array"),
        (b'"text"', "a JSON string"),
        (b'{"entry": []}', "no `object`"),
        (b'{"object": "whatsapp_business_account"}', "no `entry` list"),
        (b'{"object": "whatsapp_business_account", "entry": {}}', "no `entry` list"),
        (b"[" * 100_000, "nested too deeply"),
        (42, "bytes, str or a mapping"),
    ],
)
def test_a_body_that_is_not_a_webhook_raises_webhook_payload_error_saying_why(body: Any, reason: str) -> None:
    with pytest.raises(WebhookPayloadError, match="not a webhook") as raised:
        parse(body)
    assert reason in str(raised.value)
    assert isinstance(raised.value, D360Error)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=30,
)
# Keys the parser looks for, so that generated garbage reaches every reader, not only the envelope check.
known_keys = st.sampled_from([
    "object", "entry", "changes", "field", "value", "metadata", "contacts", "messages", "statuses", "errors",
    "groups", "id", "from", "type", "timestamp", "text", "image", "interactive", "nfm_reply", "response_json",
    "context", "referral", "order", "product_items", "location", "latitude", "reaction", "system", "conversation",
    "pricing", "origin", "error_data", "profile", "wa_id", "button_reply", "phones", "name", "added_participants",
    "status", "code", "expiration_timestamp", "quantity", "item_price",
])  # fmt: skip
shaped = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=10)
    | st.sampled_from(["messages", "text", "interactive", "nfm_reply", "1700000000", "group_lifecycle_update", "{}"]),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(known_keys | st.text(max_size=5), children, max_size=5)
    ),
    max_leaves=40,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=200) | json_values.map(lambda value: json.dumps(value).encode()))
def test_garbage_bytes_raise_only_webhook_payload_error(body: bytes) -> None:
    with contextlib.suppress(WebhookPayloadError):
        parse(body)


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(shaped, max_size=3), st.sampled_from(["whatsapp_business_account", "page"]))
def test_envelopes_of_garbage_never_raise_and_every_event_keeps_its_raw_and_key(entries: list[Any], obj: str) -> None:
    body = json.dumps({"object": obj, "entry": entries}).encode()
    for event in parse(body):
        assert isinstance(event.raw, dict) and event.dedup_key


items = st.dictionaries(known_keys, shaped, max_size=8)
values = st.dictionaries(known_keys, st.lists(items, max_size=3) | shaped, max_size=6)


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(values, st.sampled_from(["messages", "group_lifecycle_update", "account_update", ""]))
def test_changes_of_garbage_items_never_raise(value: dict[str, Any], field: str) -> None:
    body = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "1", "changes": [{"field": field, "value": value}]}],
    }
    for event in parse(body):
        assert isinstance(event.raw, dict) and event.dedup_key


def test_webhooks_is_reachable_from_d360_without_being_imported_by_it() -> None:
    import subprocess
    import sys

    probe = "import sys, d360; assert 'd360.webhooks' not in sys.modules; print(d360.webhooks.parse.__module__)"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "d360.webhooks.parse"
    import d360

    assert d360.WebhookPayloadError is WebhookPayloadError


# Every field of the parts, read in full: a field dropped or read from the wrong key fails here.


def test_a_location_keeps_every_field() -> None:
    event = one(
        {
            "from": SENDER, "id": "wamid.L", "timestamp": STAMP, "type": "location",
            "location": {"latitude": 52.5, "longitude": 13.4, "name": "Office", "address": "Main St 1",
                         "url": "https://example.com/office"},
        }
    )  # fmt: skip
    assert event.location == Location(
        latitude=52.5, longitude=13.4, name="Office", address="Main St 1", url="https://example.com/office"
    )


def test_media_keeps_every_field_and_flags_only_true_ones() -> None:
    event = one(
        {
            "from": SENDER, "id": "wamid.M", "timestamp": STAMP, "type": "audio",
            "audio": {"id": "123", "mime_type": "audio/ogg", "sha256": "abc", "caption": "c", "filename": "a.ogg",
                      "voice": True, "animated": "true", "url": "https://lookaside.example/123"},
        }
    )  # fmt: skip
    assert event.audio == Media(
        id="123", mime_type="audio/ogg", sha256="abc", caption="c", filename="a.ogg", voice=True, animated=False,
        url="https://lookaside.example/123",
    )  # fmt: skip


def test_a_system_message_keeps_every_field() -> None:
    event = one(
        {
            "from": SENDER, "id": "wamid.S", "timestamp": STAMP, "type": "system",
            "system": {"type": "user_changed_number", "body": "changed", "wa_id": "1", "new_wa_id": "2",
                       "customer": "3"},
        }
    )  # fmt: skip
    assert event.system == System(type="user_changed_number", body="changed", wa_id="1", new_wa_id="2", customer="3")


@pytest.mark.parametrize(
    ("part", "expected"),
    [
        (
            {"type": "list_reply", "list_reply": {"id": "r1", "title": "Row", "description": "d"}},
            InteractiveReply(type="list_reply", id="r1", title="Row", description="d"),
        ),
        (
            {"type": "nfm_reply", "nfm_reply": {"name": "flow", "body": "Sent", "response_json": '{"a": 1}'}},
            InteractiveReply(type="nfm_reply", name="flow", body="Sent", response_json={"a": 1}),
        ),
        (
            {"type": "nfm_reply", "nfm_reply": {"response_json": "{not json"}},
            InteractiveReply(type="nfm_reply", response_json=None),
        ),
        ({"list_reply": {"id": "r1"}}, InteractiveReply(type="")),
        ({"type": "button_reply", "button_reply": "not an object"}, InteractiveReply(type="button_reply")),
    ],
    ids=["a list reply", "a flow reply", "a flow reply that is not JSON", "no type", "a reply that is not an object"],
)
def test_an_interactive_reply_is_read_from_the_part_its_type_names(part: dict[str, Any], expected: Any) -> None:
    event = one({"from": SENDER, "id": "wamid.I", "timestamp": STAMP, "type": "interactive", "interactive": part})
    assert event.interactive == expected


def test_the_senders_contact_is_theirs_or_the_only_one_there_is() -> None:
    message = {"from": SENDER, "id": "wamid.C", "timestamp": STAMP, "type": "text", "text": {"body": "hi"}}

    def contact_of(contacts: list[dict[str, Any]]) -> Any:
        (event,) = parse(delivery(messages=[message], contacts=contacts))
        assert isinstance(event, IncomingMessage)
        return event.contact

    other = {"wa_id": "111", "profile": {"name": "Other"}}
    assert contact_of([other, {"wa_id": SENDER, "profile": {"name": "Kerry"}}]) == Contact(wa_id=SENDER, name="Kerry")
    assert contact_of([other]) == Contact(wa_id="111", name="Other")  # the only one: theirs
    assert contact_of([other, {"wa_id": "222"}]) is None  # several, none theirs: nobody's
    assert contact_of([{"wa_id": SENDER, "profile": "Kerry"}]) == Contact(wa_id=SENDER, name=None)
    assert contact_of([]) is None


def test_a_group_event_keeps_every_field_and_a_key_without_a_request_id() -> None:
    group = {
        "timestamp": STAMP, "group_id": "g1", "type": "group_participants_remove", "request_id": "req-1",
        "subject": "Team", "added_participants": [{"wa_id": "1", "input": "+1"}],
        "removed_participants": [{"wa_id": "2", "input": "+2"}, "garbage"],
        "errors": [{"code": 131000, "title": "t", "message": "m", "error_data": {"details": "d"}, "href": "h"}],
    }  # fmt: skip
    body = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA", "changes": [{"field": "group_participant_update", "value": {"groups": [group]}}]}],
    }
    (event,) = parse(body)
    assert isinstance(event, GroupEvent)
    assert (event.type, event.group_id, event.request_id, event.timestamp, event.subject) == (
        "group_participants_remove", "g1", "req-1", WHEN, "Team",
    )  # fmt: skip
    assert event.added_participants == (GroupParticipant(wa_id="1", input="+1"),)
    assert event.removed_participants == (GroupParticipant(wa_id="2", input="+2"),)
    assert event.errors == (ErrorDetail(code=131000, title="t", message="m", details="d", href="h"),)
    assert (event.dedup_key, event.raw, event.field, event.business_account_id) == (
        "group:g1:group_participants_remove:req-1", group, "group_participant_update", "WABA",
    )  # fmt: skip
    without_ids = {key: value for key, value in group.items() if key not in ("request_id", "group_id")}
    (first,) = parse({**body, "entry": [{"id": "WABA", "changes": [{"field": "group_lifecycle_update",
                                                                    "value": {"groups": [without_ids]}}]}]})  # fmt: skip
    (again,) = parse({**body, "entry": [{"id": "WABA", "changes": [{"field": "group_lifecycle_update",
                                                                    "value": {"groups": [dict(without_ids)]}}]}]})  # fmt: skip
    assert isinstance(first, GroupEvent) and first.dedup_key == again.dedup_key  # the same item, the same key
    assert re.fullmatch(r"group::group_participants_remove:[0-9a-f]{16,}", first.dedup_key), first.dedup_key
    changed = {**without_ids, "subject": "Other"}
    (other,) = parse({**body, "entry": [{"id": "WABA", "changes": [{"field": "group_lifecycle_update",
                                                                    "value": {"groups": [changed]}}]}]})  # fmt: skip
    assert other.dedup_key != first.dedup_key


def change(value: dict[str, Any], field: str = "messages", waba: str | None = "WABA") -> dict[str, Any]:
    entry: dict[str, Any] = {"changes": [{"field": field, "value": value}]}
    if waba is not None:
        entry["id"] = waba
    return {"object": "whatsapp_business_account", "entry": [entry]}


def test_a_status_keeps_its_conversation_and_pricing_in_full() -> None:
    item = {
        "id": "wamid.S", "status": "sent", "timestamp": STAMP, "recipient_id": SENDER,
        "conversation": {"id": "c1", "expiration_timestamp": STAMP, "origin": {"type": "marketing"}},
        "pricing": {"billable": True, "pricing_model": "PMP", "category": "marketing", "type": "regular"},
    }  # fmt: skip
    (event,) = parse(change({"statuses": [item]}))
    assert isinstance(event, StatusUpdate)
    assert event.conversation == Conversation(id="c1", expiration_timestamp=WHEN, origin_type="marketing")
    assert event.pricing == Pricing(billable=True, pricing_model="PMP", category="marketing", type="regular")
    odd = {**item, "conversation": {"id": "c2", "origin": "marketing"}, "pricing": {"billable": "yes"}}
    (event,) = parse(change({"statuses": [odd]}))
    assert isinstance(event, StatusUpdate)
    assert event.conversation == Conversation(id="c2") and event.pricing == Pricing()


def test_a_shared_contact_without_a_name_object_has_an_empty_name() -> None:
    event = one({"from": SENDER, "id": "wamid.V", "timestamp": STAMP, "type": "contacts",
                 "contacts": [{"name": "Kerry", "phones": [{"phone": "+1"}]}]})  # fmt: skip
    assert event.contacts[0].name == ContactName() and event.contacts[0].phones[0].phone == "+1"


@pytest.mark.parametrize(
    "message",
    [
        {"id": "wamid.X", "type": "text", "text": {"body": "no sender"}},
        {"from": SENDER, "type": "text", "text": {"body": "no id"}},
        {"from": SENDER, "id": "wamid.X", "text": {"body": "no type"}},
    ],
    ids=["no from", "no id", "no type"],
)
def test_a_message_without_what_identifies_it_is_kept_as_unknown(message: dict[str, Any]) -> None:
    (event,) = parse(change({"messages": [message]}))
    assert isinstance(event, UnknownEvent)
    assert event.reason == "a messages item without the fields that identify it" and event.raw == message


@pytest.mark.parametrize(
    ("item", "kind"),
    [
        ([1], "array"),
        ("x", "string"),
        (True, "boolean"),
        (None, "null"),
        (3, "number"),
        (2.5, "number"),
        ((1,), "tuple"),
    ],
)
def test_an_item_that_is_not_an_object_is_named_by_its_json_type(item: Any, kind: str) -> None:
    (event,) = parse(change({"statuses": [item]}))
    assert isinstance(event, UnknownEvent)
    assert event.reason == f"an item that is not an object ({kind})"


def test_unknown_events_keep_where_they_came_from_and_a_key_of_their_content() -> None:
    value = {"metadata": {"phone_number_id": "P1", "display_phone_number": "+1 555"}, "surprise": {"b": 1, "a": 2}}
    (event,) = parse(change(value))
    assert isinstance(event, UnknownEvent)
    assert (event.field, event.business_account_id, event.phone_number_id, event.display_phone_number) == (
        "messages", "WABA", "P1", "+1 555",
    )  # fmt: skip
    reordered = {"surprise": {"a": 2, "b": 1}, "metadata": {"display_phone_number": "+1 555", "phone_number_id": "P1"}}
    (again,) = parse(change(reordered))
    assert again.dedup_key == event.dedup_key  # the same content in another key order: the same key
    (entry_event,) = parse({"object": "whatsapp_business_account", "entry": ["not an object"]})
    assert isinstance(entry_event, UnknownEvent)
    assert (entry_event.field, entry_event.business_account_id) == ("", None)


def test_keys_of_events_without_ids_stay_the_same_across_versions() -> None:
    """The de-duplication store outlives a process (and an upgrade): a key must not change its spelling."""
    (event,) = parse(change({"statuses": [{"b": 1, "a": [1, "é"]}]}))
    assert event.dedup_key == "unknown:6ba0af6c7893ec0fe11fc2dcfa1df4bc"
    error = {"code": 131000, "title": "Something went wrong"}
    (with_account,) = parse(change({"errors": [error]}))
    (without,) = parse(change({"errors": [error]}, waba=None))
    assert isinstance(with_account, WebhookError) and isinstance(without, WebhookError)
    assert re.fullmatch(r"error:WABA:131000:[0-9a-f]{32}", with_account.dedup_key)
    assert without.dedup_key == "error::131000:" + with_account.dedup_key.rsplit(":", 1)[1]
    (other,) = parse(change({"errors": [{**error, "title": "Another"}]}))
    assert other.dedup_key != with_account.dedup_key


@pytest.mark.parametrize(
    ("latitude", "expected"),
    [("52.5", 52.5), ("1" * 63, float("1" * 63)), ("1" * 64, None), ("1e999", None), ("nan", None), (True, None)],
    ids=["numeric text", "63 digits", "64 digits", "infinite", "not a number", "a boolean"],
)
def test_numbers_are_finite_and_of_a_sane_length_or_none(latitude: Any, expected: float | None) -> None:
    event = one({"from": SENDER, "id": "wamid.N", "timestamp": STAMP, "type": "location",
                 "location": {"latitude": latitude, "longitude": 1}})  # fmt: skip
    assert event.location is not None and event.location.latitude == expected


VALID_STATUS = {"id": "wamid.OK", "status": "sent", "timestamp": STAMP, "recipient_id": SENDER}


@pytest.mark.parametrize(
    ("entry", "reason", "field", "account"),
    [
        ("not an object", "an entry that is not an object", "", None),
        ({"id": "W2"}, "an entry without a `changes` list", "", None),
        ({"id": "W2", "changes": ["x"]}, "a change that is not an object", "", "W2"),
        ({"id": "W2", "changes": [{"field": "messages"}]}, "a change without a `value` object", "messages", "W2"),
        ({"id": "W2", "changes": [{"value": {}}]}, "a field d360 does not know yet: ''", "", "W2"),
        (
            {"id": "W2", "changes": [{"field": "group_lifecycle_update", "value": {}}]},
            "a group change without a `groups` list",
            "group_lifecycle_update",
            "W2",
        ),
        (
            {"id": "W2", "changes": [{"field": "group_lifecycle_update", "value": {"groups": [], "extra": 1}}]},
            "an unknown part of a group change: 'extra'",
            "group_lifecycle_update",
            "W2",
        ),
        (
            {"id": "W2", "changes": [{"field": "account_update", "value": {"x": 1}}]},
            "a field d360 does not know yet: 'account_update'",
            "account_update",
            "W2",
        ),
        (
            {"id": "W2", "changes": [{"field": "messages", "value": {"extra": 1}}]},
            "an unknown part of a messages change: 'extra'",
            "messages",
            "W2",
        ),
    ],
)
def test_every_shape_it_cannot_read_is_kept_with_its_reason_and_place(
    entry: Any, reason: str, field: str, account: str | None
) -> None:
    good = change({"statuses": [VALID_STATUS]})["entry"][0]
    first, second = parse({"object": "whatsapp_business_account", "entry": [entry, good]})
    assert isinstance(first, UnknownEvent)
    assert (first.reason, first.field, first.business_account_id) == (reason, field, account)
    changes = entry.get("changes") if isinstance(entry, dict) else None
    kept = changes[0] if changes else entry
    assert first.raw == (kept if isinstance(kept, dict) else {"value": kept})
    assert first.dedup_key.startswith("unknown:") and len(first.dedup_key) == len("unknown:") + 32
    assert isinstance(second, StatusUpdate)  # the entry after it is read all the same


def test_unknown_parts_of_a_change_arrive_in_a_stable_order_whatever_their_keys() -> None:
    value = {"zeta": 1, "alpha": 2, 3: "a key JSON cannot have, from a caller's own mapping"}
    reasons = [event.reason for event in parse(change(value)) if isinstance(event, UnknownEvent)]
    assert reasons == [
        "an unknown part of a messages change: 3",
        "an unknown part of a messages change: 'alpha'",
        "an unknown part of a messages change: 'zeta'",
    ]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"\xff{}", "not a webhook: the webhook body is not UTF-8: byte 0 is b'\\xff'; save it as UTF-8"),
        ("{", "not a webhook: "),
        (5, "not a webhook: expected the body as bytes, str or a mapping, not int"),
        (b"[]", "not a webhook: the body is a JSON array, not an object"),
        (b"{}", "not a webhook: no `object` string (the Cloud API sends whatsapp_business_account)"),
        (b'{"object": "x"}', "not a webhook: no `entry` list"),
    ],
)
def test_a_body_that_is_not_a_webhook_says_why(body: Any, words: str) -> None:
    with pytest.raises(WebhookPayloadError) as caught:
        parse(body)
    assert str(caught.value).startswith(words) and (words.endswith(" ") or str(caught.value) == words)
    parsed = parse('{"object": "whatsapp_business_account", "entry": []}')
    assert parsed == []


def test_a_status_keeps_where_it_came_from_its_group_and_its_raw_dict() -> None:
    item = {"id": "wamid.G", "status": "delivered", "timestamp": STAMP, "group_id": "g7"}
    (event,) = parse(change({"metadata": {"phone_number_id": "P9"}, "statuses": [item]}))
    assert isinstance(event, StatusUpdate)
    assert (event.group_id, event.raw, event.recipient_id) == ("g7", item, None)
    assert (event.field, event.business_account_id, event.phone_number_id) == ("messages", "WABA", "P9")
    assert event.dedup_key == "status:wamid.G:delivered:"


def test_errors_and_unreadable_items_keep_where_they_came_from() -> None:
    value = {"metadata": {"phone_number_id": "P9"}, "errors": [{"code": "131000"}], "statuses": [[1], {"id": "x"}]}
    unreadable_item, no_status, error = parse(change(value))
    for event in (unreadable_item, no_status, error):
        assert (event.field, event.business_account_id, event.phone_number_id) == ("messages", "WABA", "P9")
    assert (
        isinstance(no_status, UnknownEvent)
        and no_status.reason == "a messages item without the fields that identify it"
    )
    assert isinstance(error, WebhookError) and error.error.code == 131000


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (131000, 131000),
        ("131000", 131000),
        ("-5", -5),
        (-5, -5),
        ("9" * 18, int("9" * 18)),
        ("\u00b2", "\u00b2"),
        ("--5", "--5"),
        (" -5 ", " -5 "),
        ("5-", "5-"),
        ("X5", "X5"),
        ("\u0663", "\u0663"),
        ("+5", "+5"),
        ("9" * 19, "9" * 19),
        (10**19, str(10**19)),
        ("", ""),
        (True, None),
        (None, None),
        ([1], None),
        (1.5, None),
    ],
    ids=[
        "a number",
        "numeric text",
        "negative text",
        "a negative number",
        "18 digits",
        "a superscript two",
        "two minus signs",
        "white space",
        "a trailing minus",
        "a letter",
        "an arabic-indic digit",
        "a plus sign",
        "19 digits",
        "a number of 20 digits",
        "empty text",
        "a boolean",
        "null",
        "a list",
        "a fraction",
    ],
)
def test_error_codes_are_integers_when_readable_and_the_text_as_sent_otherwise(
    code: Any, expected: int | str | None
) -> None:
    """A code parse cannot read must not make the delivery fail (a 500 on every redelivery): it is kept."""
    (event,) = parse(change({"errors": [{"code": code}]}))
    assert isinstance(event, WebhookError) and event.error.code == expected
    assert type(event.error.code) is type(expected)
    body = json.dumps(delivery(statuses=[{**VALID_STATUS, "status": "failed", "errors": [{"code": code}]}]))
    (update,) = parse(body.encode())
    assert isinstance(update, StatusUpdate) and update.errors[0].code == expected


@pytest.mark.parametrize(
    ("quantity", "expected"),
    [(2, 2), ("3", 3), ("\u00b2", "\u00b2"), ("-1", "-1"), (-1, "-1"), ("1.5", "1.5"), (False, None)],
)
def test_order_quantities_are_integers_when_readable_and_the_text_as_sent_otherwise(
    quantity: Any, expected: int | str | None
) -> None:
    order = {"catalog_id": "c", "product_items": [{"product_retailer_id": "sku", "quantity": quantity}]}
    event = one(message_of("order", order))
    assert event.order is not None and event.order.product_items[0].quantity == expected


def test_ids_sent_as_integers_are_read_as_text_and_booleans_are_not() -> None:
    (event,) = parse(change({"statuses": [{"id": 12345, "status": "sent", "recipient_id": True}]}))
    assert isinstance(event, StatusUpdate) and (event.message_id, event.recipient_id) == ("12345", None)


def test_a_callers_mapping_with_what_json_cannot_hold_still_gets_a_stable_key() -> None:
    odd = {"surprise": {1, 2}}  # a set: written with repr
    first, again = parse(change(odd))[0], parse(change({"surprise": {1, 2}}))[0]
    assert isinstance(first, UnknownEvent) and first.dedup_key == again.dedup_key
    assert parse(change({"surprise": {3}}))[0].dedup_key != first.dedup_key  # written, not just typed
    looped: dict[str, Any] = {}
    looped["self"] = looped  # cannot be written at all: keyed by its type
    (event,) = parse(change({"statuses": [looped]}))
    assert isinstance(event, UnknownEvent)
    assert event.dedup_key == "unknown:" + hashlib.sha256(repr(dict).encode()).hexdigest()[:32]


# Odd values upstream may send in a signed delivery: kept, never a reason to refuse the delivery.

HALF_EMOJI = "\ud83d"  # the first half of a surrogate pair, alone: valid JSON as an escape, not valid UTF-8

ODD_DELIVERY = (
    b'{"object": "whatsapp_business_account", "entry": [{"id": "W", "changes": [{"field": "messages", "value": {'
    b'"contacts": [{"wa_id": "49151", "profile": {"name": "Kerry \\ud83d"}}], '
    b'"messages": [{"from": "49151", "id": "wamid.\\udc80", "type": "text", "text": {"body": "half \\ud83d"}}], '
    b'"statuses": [{"id": "wamid.OUT\\ud800", "status": "failed", "recipient_id": "49151", '
    b'"errors": [{"code": "\\u00b2", "title": "t\\udfff"}]}, '
    b'{"id": "wamid.GOOD", "status": "read", "recipient_id": "49151", "errors": [{"code": "--5"}]}]}}]}]}'
)


def test_lone_surrogates_are_kept_as_they_are_and_the_rest_of_the_delivery_is_read() -> None:
    message, failed, good = parse(ODD_DELIVERY)
    assert isinstance(message, IncomingMessage) and isinstance(failed, StatusUpdate) and isinstance(good, StatusUpdate)
    assert message.id == "wamid.\udc80" and message.text == Text(body="half " + HALF_EMOJI)
    assert message.contact == Contact(wa_id="49151", name="Kerry " + HALF_EMOJI)
    assert failed.message_id == "wamid.OUT\ud800" and failed.errors[0].code == "\u00b2"
    assert failed.errors[0].title == "t\udfff"
    assert (good.message_id, good.errors[0].code) == ("wamid.GOOD", "--5")
    assert parse(ODD_DELIVERY.decode("ascii")) == [message, failed, good]  # the same from text


def test_keys_of_ids_with_lone_surrogates_are_valid_text_stable_and_distinct_from_their_escapes() -> None:
    message, failed, good = parse(ODD_DELIVERY)
    for event in (message, failed, good):
        event.dedup_key.encode("utf-8")  # SQLite, Redis, log files and terminals all need this
    assert (
        message.dedup_key.startswith("message:wamid.\\udc80~") and message.dedup_key == parse(ODD_DELIVERY)[0].dedup_key
    )
    assert good.dedup_key == "status:wamid.GOOD:read:49151"  # keys without surrogates are spelled as before
    # An id that holds the escape as text (a backslash, "u", ...) is another id: another key.
    (escaped,) = parse(change({"messages": [{"from": "1", "id": "wamid.\\udc80", "type": "text"}]}))
    assert escaped.dedup_key == "message:wamid.\\udc80" != message.dedup_key


def test_bytes_that_are_not_utf8_inside_a_webhook_are_kept_as_surrogate_escapes() -> None:
    body = json.dumps(change({"messages": [{"from": "1", "id": "wamid.B", "type": "text", "text": {"body": "@@"}}]}))
    raw = body.encode().replace(b"@@", b"\xff\xfe")
    (event,) = parse(raw)
    assert isinstance(event, IncomingMessage) and event.text is not None
    assert event.text.body == "\udcff\udcfe" and event.text.body.encode("utf-8", "surrogateescape") == b"\xff\xfe"
    with pytest.raises(WebhookPayloadError, match="not UTF-8"):
        parse(b"\xff" + raw)  # not JSON either way: still refused, saying why


def test_an_integer_too_long_for_python_is_kept_as_its_digits() -> None:
    digits = "7" * 5000  # json.loads refuses integers of more than 4,300 digits
    raw = b'{"object": "whatsapp_business_account", "entry": [{"id": "W", "changes": [{"field": "messages", '
    raw += b'"value": {"errors": [{"code": ' + digits.encode() + b', "title": "t"}], '
    raw += (
        b'"statuses": [{"id": ' + digits.encode() + b', "status": "sent", "timestamp": ' + digits.encode() + b"}]}}]}]}"
    )
    update, error = parse(raw)  # statuses come before value.errors
    assert isinstance(error, WebhookError) and error.error.code == digits
    assert isinstance(update, StatusUpdate) and update.message_id == digits and update.timestamp is None


@pytest.mark.parametrize(
    "stamp", ["\u0661\u0667\u0660\u0660\u0660\u0660\u0660\u0660\u0660\u0660", " 1700000000", "1_700_000_000", "inf"]
)
def test_timestamps_and_coordinates_are_read_from_ascii_digits_only(stamp: str) -> None:
    event = one({"from": SENDER, "id": "wamid.T", "timestamp": stamp, "type": "location",
                 "location": {"latitude": stamp, "longitude": "13.4"}})  # fmt: skip
    assert event.timestamp is None and event.location is not None
    assert (event.location.latitude, event.location.longitude) == (None, 13.4)
    assert event.raw["timestamp"] == stamp  # kept where it came from


def test_unknown_parts_of_a_group_change_arrive_in_a_stable_order() -> None:
    value = {"groups": [], "zeta": 1, "alpha": 2}
    reasons = [event.reason for event in parse(change(value, field="group_lifecycle_update"))]
    assert reasons == ["an unknown part of a group change: 'alpha'", "an unknown part of a group change: 'zeta'"]


# st.characters() never gives a surrogate, whatever its range: they are drawn as code points.
surrogate_text = st.lists(st.integers(0xD800, 0xDFFF).map(chr) | st.characters(), max_size=8).map("".join)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(surrogate_text, surrogate_text, surrogate_text)
def test_any_text_in_ids_and_fields_gives_events_with_storable_keys(
    message_id: str, status_value: str, body: str
) -> None:
    value = {
        "messages": [{"from": body, "id": message_id, "type": status_value, "text": {"body": body}}],
        "statuses": [{"id": message_id, "status": status_value, "recipient_id": body, "errors": [{"code": body}]}],
        "errors": [{"code": body, "title": message_id}],
    }
    raw = json.dumps(change(value)).encode("ascii")  # escapes: how a lone surrogate travels in JSON
    for event in parse(raw):
        event.dedup_key.encode("utf-8")
    # The same keys from the body already parsed (json.loads joins an escaped pair into one character).
    assert [event.dedup_key for event in parse(raw)] == [event.dedup_key for event in parse(json.loads(raw))]


def test_finding_each_senders_contact_is_linear_in_a_large_delivery() -> None:
    """60,000 messages and 60,000 contacts (about 4 MiB): a scan of the contacts per message took minutes
    (20,000 of each took 24 s), the index takes about a second."""
    count = 60_000
    messages = [{"from": f"1{index}", "id": f"w{index}", "type": "x"} for index in range(count)]
    contacts = [{"wa_id": f"2{index}"} for index in range(count - 1)] + [{"wa_id": f"1{count - 1}"}]
    body = json.dumps(change({"messages": messages, "contacts": contacts})).encode()
    started = time.monotonic()
    events = parse(body)
    assert time.monotonic() - started < 60, "parsing is not linear in the delivery's size"  # a hang guard, not speed
    assert len(events) == count and all(isinstance(event, IncomingMessage) for event in events)
    assert events[-1].contact == Contact(wa_id=f"1{count - 1}") and events[0].contact is None
