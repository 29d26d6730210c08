"""`parse(body)`: a webhook delivery's events, in payload order, never an exception for a real webhook.

Each reader takes whatever the payload holds and keeps what has the documented type: a field of the
wrong type becomes None, a whole number d360 cannot read stays the text it was sent as, a lone surrogate
stays as it is, an item that cannot be an event becomes an `UnknownEvent`. Only a body that is not a
webhook at all raises, and then only `WebhookPayloadError`. The work is linear in the body's size.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

import attrs

from d360.errors import WebhookPayloadError
from d360.json_input import JSONInputError, decode_text, loads
from d360.numbers import read_int
from d360.unicode import utf8_encodable, utf8_escaped
from d360.webhooks.events import (
    AnyEvent,
    CallEvent,
    CallPermissionReply,
    CallSession,
    Contact,
    ContactAddress,
    ContactEmail,
    ContactName,
    ContactOrg,
    ContactPhone,
    ContactUrl,
    Conversation,
    ErrorDetail,
    GroupEvent,
    GroupParticipant,
    IncomingMessage,
    InteractiveReply,
    Location,
    Media,
    MessageContext,
    Order,
    OrderItem,
    Pricing,
    QuickReply,
    Reaction,
    Referral,
    ReferredProduct,
    SharedContact,
    StatusUpdate,
    System,
    TemplateCategoryUpdate,
    TemplateNotice,
    TemplateQualityUpdate,
    TemplateRejection,
    TemplateStatusUpdate,
    Text,
    UnknownEvent,
    WebhookError,
)

MEDIA_TYPES = ("image", "audio", "video", "document", "sticker")
GROUP_FIELDS = frozenset({"group_lifecycle_update", "group_settings_update", "group_participant_update"})
TEMPLATE_STATUS_FIELD = "message_template_status_update"
TEMPLATE_QUALITY_FIELD = "message_template_quality_update"
TEMPLATE_CATEGORY_FIELD = "template_category_update"
TEMPLATE_FIELDS = frozenset({TEMPLATE_STATUS_FIELD, TEMPLATE_QUALITY_FIELD, TEMPLATE_CATEGORY_FIELD})
CALLS_FIELD = "calls"
_KNOWN_CALLS_KEYS = frozenset({"messaging_product", "metadata", "contacts", "calls", "statuses", "errors"})
# The parts of a `messages` change's value that are read; any other part arrives as an UnknownEvent.
_KNOWN_VALUE_KEYS = frozenset({"messaging_product", "metadata", "contacts", "messages", "statuses", "errors"})


def parse(body: bytes | bytearray | memoryview | str | Mapping[str, Any]) -> list[AnyEvent]:
    """The events in a webhook body (the raw bytes, or the JSON already parsed), in payload order."""
    payload = _payload_of(body)
    events: list[AnyEvent] = []
    for entry in payload["entry"]:
        if not isinstance(entry, Mapping):
            events.append(_unknown(entry, "an entry that is not an object"))
            continue
        changes = entry.get("changes")
        if not isinstance(changes, list):
            events.append(_unknown(entry, "an entry without a `changes` list"))
            continue
        business_account_id = _text(entry.get("id"))
        sent_at = entry.get("time")
        for change in changes:
            events.extend(_events_of_change(change, business_account_id, sent_at))
    return events


def _payload_of(body: Any) -> Mapping[str, Any]:
    if isinstance(body, bytes | bytearray | memoryview):
        document = _document_of_bytes(bytes(body))
    elif isinstance(body, str):
        try:
            document = loads(body, received=True)
        except JSONInputError as exc:
            raise WebhookPayloadError(f"not a webhook: {exc}") from None
    elif isinstance(body, Mapping):
        document = body
    else:
        raise WebhookPayloadError(
            f"not a webhook: expected the body as bytes, str or a mapping, not {type(body).__name__}"
        )
    if not isinstance(document, Mapping):
        raise WebhookPayloadError(f"not a webhook: the body is a JSON {_json_type(document)}, not an object")
    if not isinstance(document.get("object"), str):
        raise WebhookPayloadError("not a webhook: no `object` string (the Cloud API sends whatsapp_business_account)")
    if not isinstance(document.get("entry"), list):
        raise WebhookPayloadError("not a webhook: no `entry` list")
    return document


def _document_of_bytes(raw: bytes) -> Any:
    """The JSON a body holds. Bytes that are not UTF-8 inside otherwise valid JSON are kept as lone
    surrogates (Python's `surrogateescape`, `raw.encode("utf-8", "surrogateescape")` gives them back)."""
    try:
        text = decode_text(raw, where="the webhook body")
    except JSONInputError as not_utf8:
        try:
            return loads(raw.decode("utf-8", "surrogateescape"), received=True)
        except JSONInputError:
            raise WebhookPayloadError(f"not a webhook: {not_utf8}") from None
    try:
        return loads(text, received=True)
    except JSONInputError as exc:
        raise WebhookPayloadError(f"not a webhook: {exc}") from None


def _events_of_change(change: Any, business_account_id: str | None, sent_at: Any = None) -> Iterator[AnyEvent]:
    if not isinstance(change, Mapping):
        yield _unknown(change, "a change that is not an object", business_account_id=business_account_id)
        return
    field = _text(change.get("field")) or ""
    value = change.get("value")
    if not isinstance(value, Mapping):
        yield _unknown(change, "a change without a `value` object", field, business_account_id)
        return
    metadata = value.get("metadata")
    where: dict[str, Any] = {"field": field, "business_account_id": business_account_id}
    if isinstance(metadata, Mapping):
        where["phone_number_id"] = _text(metadata.get("phone_number_id"))
        where["display_phone_number"] = _text(metadata.get("display_phone_number"))
    if field in GROUP_FIELDS:
        groups = value.get("groups")
        if not isinstance(groups, list):
            yield _unknown(change, "a group change without a `groups` list", **where)
            return
        for group in groups:
            yield _guarded(_group_event, group, where)
        for key in sorted(value.keys() - {"messaging_product", "metadata", "groups"}, key=str):
            yield _unknown(change, f"an unknown part of a group change: {key!r}", **where)
        return
    if field in TEMPLATE_FIELDS:
        yield _template_event(field, value, where, sent_at)
        return
    if field == CALLS_FIELD:
        yield from _call_events(change, value, where)
        return
    if field != "messages":
        yield _unknown(change, f"a field d360 does not know yet: {field!r}", **where)
        return
    contacts = _Contacts(_objects(value.get("contacts")))
    for message in _list(value.get("messages")):
        yield _guarded(lambda item, place: _message(item, place, contacts), message, where)
    for status in _list(value.get("statuses")):
        yield _guarded(_status, status, where)
    for error in _list(value.get("errors")):
        yield _guarded(_webhook_error, error, where)
    for key in sorted(value.keys() - _KNOWN_VALUE_KEYS, key=str):
        yield _unknown(change, f"an unknown part of a messages change: {key!r}", **where)


def _guarded(
    read: Callable[[Mapping[str, Any], dict[str, Any]], AnyEvent | None], item: Any, where: dict[str, Any]
) -> AnyEvent:
    """One item as its event, or as an UnknownEvent when it is not an object or lacks what identifies it."""
    if not isinstance(item, Mapping):
        return _unknown(item, f"an item that is not an object ({_json_type(item)})", **where)
    event = read(item, where)
    if event is None:
        return _unknown(item, f"a {where['field']} item without the fields that identify it", **where)
    return event


def _message(item: Mapping[str, Any], where: dict[str, Any], contacts: _Contacts) -> IncomingMessage | None:
    message_id, sender, kind = _text(item.get("id")), _text(item.get("from")), _text(item.get("type"))
    if not message_id or sender is None or not kind:
        return None
    content: dict[str, Any] = {}
    for media_type in MEDIA_TYPES:
        if isinstance(item.get(media_type), Mapping):
            content[media_type] = _media(item[media_type])
    readers: dict[str, Callable[[Mapping[str, Any]], Any]] = {
        "text": lambda part: Text(body=_text(part.get("body")) or ""),
        "location": _location,
        "reaction": lambda part: Reaction(message_id=_text(part.get("message_id")), emoji=_text(part.get("emoji"))),
        "button": lambda part: QuickReply(text=_text(part.get("text")), payload=_text(part.get("payload"))),
        "interactive": _interactive,
        "order": _order,
        "system": _system,
    }
    for name, read in readers.items():
        part = item.get(name)
        if isinstance(part, Mapping):
            content[name] = read(part)
    content["contacts"] = tuple(_shared_contact(card) for card in _objects(item.get("contacts")))
    kind_of_event: type[IncomingMessage] = IncomingMessage
    interactive = item.get("interactive")
    if isinstance(interactive, Mapping) and interactive.get("type") == "call_permission_reply":
        kind_of_event = CallPermissionReply
        content.update(_permission_reply(interactive.get("call_permission_reply")))
    return kind_of_event(
        dedup_key=_key(f"message:{message_id}"),
        raw=item,
        id=message_id,
        from_=sender,
        type=kind,
        timestamp=_timestamp(item.get("timestamp")),
        contact=contacts.of(sender),
        context=_context(item.get("context")),
        referral=_referral(item.get("referral")),
        group_id=_text(item.get("group_id")),
        errors=_errors(item.get("errors")),
        **content,
        **where,
    )


def _status(item: Mapping[str, Any], where: dict[str, Any]) -> StatusUpdate | CallEvent | None:
    if item.get("type") == "call":  # a call's status, sent under `messages` too: read as the call's
        return _call_status(item, where)
    message_id, status = _text(item.get("id")), _text(item.get("status"))
    if not message_id or not status:
        return None
    recipient = _text(item.get("recipient_id"))
    conversation = item.get("conversation")
    pricing = item.get("pricing")
    return StatusUpdate(
        dedup_key=_key(f"status:{message_id}:{status}:{recipient or ''}"),
        raw=item,
        message_id=message_id,
        status=status,
        recipient_id=recipient,
        timestamp=_timestamp(item.get("timestamp")),
        errors=_errors(item.get("errors")),
        conversation=_conversation(conversation) if isinstance(conversation, Mapping) else None,
        pricing=_pricing(pricing) if isinstance(pricing, Mapping) else None,
        biz_opaque_callback_data=_text(item.get("biz_opaque_callback_data")),
        group_id=_text(item.get("group_id")),
        **where,
    )


def _webhook_error(item: Mapping[str, Any], where: dict[str, Any]) -> WebhookError:
    error = _error(item)
    return WebhookError(
        dedup_key=_key(f"error:{where['business_account_id'] or ''}:{error.code}:{_digest(item)}"),
        raw=item,
        error=error,
        **where,
    )


def _group_event(item: Mapping[str, Any], where: dict[str, Any]) -> GroupEvent | None:
    kind = _text(item.get("type"))
    if not kind:
        return None
    group_id, request_id = _text(item.get("group_id")), _text(item.get("request_id"))
    identity = request_id or _digest(item)
    return GroupEvent(
        dedup_key=_key(f"group:{group_id or ''}:{kind}:{identity}"),
        raw=item,
        type=kind,
        group_id=group_id,
        request_id=request_id,
        timestamp=_timestamp(item.get("timestamp")),
        subject=_text(item.get("subject")),
        added_participants=_participants(item.get("added_participants")),
        removed_participants=_participants(item.get("removed_participants")),
        errors=_errors(item.get("errors")),
        **where,
    )


def _template_event(field: str, value: Mapping[str, Any], where: dict[str, Any], sent_at: Any) -> AnyEvent:
    """A template change: one event per change, read from its `value`; `sent_at` is the entry's `time`."""
    if field == TEMPLATE_STATUS_FIELD and "event" not in value and "new_quality_score" in value:
        # Meta's own reference shows the quality update under this field: read it as what it is.
        field = TEMPLATE_QUALITY_FIELD
    template_id = _text(value.get("message_template_id"))
    template: dict[str, Any] = {
        "template_id": template_id,
        "template_name": _text(value.get("message_template_name")),
        "language": _text(value.get("message_template_language")),
        "timestamp": _timestamp(sent_at),
    }
    # A redelivery is the same payload, so the same key; the same template approved again later is not.
    digest = _digest({"time": sent_at, "value": value})

    def key(kind: str, what: str) -> str:
        return _key(f"{kind}:{template_id or ''}:{what}:{digest}")

    if field == TEMPLATE_STATUS_FIELD:
        event = _text(value.get("event"))
        if not event:
            return _unknown(value, "a template status change without its `event`", **where)
        rejection, disable, notice = value.get("rejection_info"), value.get("disable_info"), value.get("other_info")
        return TemplateStatusUpdate(
            dedup_key=key("template_status", event),
            raw=value,
            event=event,
            reason=_text(value.get("reason")),
            category=_text(value.get("message_template_category")),
            rejection=_fields(TemplateRejection, rejection) if isinstance(rejection, Mapping) else None,
            disable_date=_timestamp(disable.get("disable_date")) if isinstance(disable, Mapping) else None,
            notice=_fields(TemplateNotice, notice) if isinstance(notice, Mapping) else None,
            **template,
            **where,
        )
    if field == TEMPLATE_QUALITY_FIELD:
        score = _text(value.get("new_quality_score"))
        if not score:
            return _unknown(value, "a template quality change without its `new_quality_score`", **where)
        return TemplateQualityUpdate(
            dedup_key=key("template_quality", score),
            raw=value,
            new_quality_score=score,
            previous_quality_score=_text(value.get("previous_quality_score")),
            **template,
            **where,
        )
    new, correct = _text(value.get("new_category")), _text(value.get("correct_category"))
    if not (new or correct):
        return _unknown(value, "a template category change without `new_category` or `correct_category`", **where)
    return TemplateCategoryUpdate(
        dedup_key=key("template_category", correct or new or ""),
        raw=value,
        previous_category=_text(value.get("previous_category")),
        new_category=new,
        correct_category=correct,
        category_update_timestamp=_timestamp(value.get("category_update_timestamp")),
        **template,
        **where,
    )


def _call_events(change: Mapping[str, Any], value: Mapping[str, Any], where: dict[str, Any]) -> Iterator[AnyEvent]:
    """A `calls` change: its calls (connect, terminate), its call statuses, its errors, in that order."""
    contacts = _Contacts(_objects(value.get("contacts")))
    for call in _list(value.get("calls")):
        yield _guarded(lambda item, place: _call(item, place, contacts), call, where)
    for status in _list(value.get("statuses")):
        yield _guarded(_call_status, status, where)
    for error in _list(value.get("errors")):
        yield _guarded(_webhook_error, error, where)
    for key in sorted(value.keys() - _KNOWN_CALLS_KEYS, key=str):
        yield _unknown(change, f"an unknown part of a calls change: {key!r}", **where)


def _call(item: Mapping[str, Any], where: dict[str, Any], contacts: _Contacts) -> CallEvent | None:
    call_id, event = _text(item.get("id")), _text(item.get("event"))
    if not call_id or not event:
        return None
    session = item.get("session")
    caller = _text(item.get("from"))
    return CallEvent(
        dedup_key=_key(f"call:{call_id}:{event}"),
        raw=item,
        event=event,
        call_id=call_id,
        from_=caller,
        to=_text(item.get("to")),
        direction=_text(item.get("direction")),
        timestamp=_timestamp(item.get("timestamp")),
        # The SDP as sent, never re-formatted: a WebRTC stack reads it byte for byte.
        session=CallSession(sdp_type=_text(session.get("sdp_type")), sdp=_text(session.get("sdp")))
        if isinstance(session, Mapping)
        else None,
        status=_text(item.get("status")),
        start_time=_timestamp(item.get("start_time")),
        end_time=_timestamp(item.get("end_time")),
        duration=_whole_number(item.get("duration")),
        biz_opaque_callback_data=_text(item.get("biz_opaque_callback_data")),
        contact=contacts.of(caller or ""),
        errors=_errors(item.get("errors")),
        **where,
    )


def _call_status(item: Mapping[str, Any], where: dict[str, Any]) -> CallEvent | None:
    call_id, status = _text(item.get("id")), _text(item.get("status"))
    if not call_id or not status:
        return None
    return CallEvent(
        dedup_key=_key(f"call:{call_id}:status:{status}"),
        raw=item,
        event="status",
        call_id=call_id,
        status=status,
        recipient_id=_text(item.get("recipient_id")),
        timestamp=_timestamp(item.get("timestamp")),
        biz_opaque_callback_data=_text(item.get("biz_opaque_callback_data")),
        errors=_errors(item.get("errors")),
        **where,
    )


def _permission_reply(part: Any) -> dict[str, Any]:
    """The fields of a `call_permission_reply` (none when it is not an object)."""
    if not isinstance(part, Mapping):
        return {}
    permanent = part.get("is_permanent")
    return {
        "response": _text(part.get("response")),
        "is_permanent": permanent if isinstance(permanent, bool) else None,
        "expiration_timestamp": _timestamp(part.get("expiration_timestamp")),
        "response_source": _text(part.get("response_source")),
    }


def _unknown(
    raw: Any, reason: str, field: str = "", business_account_id: str | None = None, **where: Any
) -> UnknownEvent:
    kept = raw if isinstance(raw, Mapping) else {"value": raw}
    return UnknownEvent(
        dedup_key=f"unknown:{_digest(raw)}",
        raw=kept,
        reason=reason,
        field=field,
        business_account_id=business_account_id,
        **where,
    )


# Parts of messages and statuses.


def _media(part: Mapping[str, Any]) -> Media:
    return Media(
        id=_text(part.get("id")),
        mime_type=_text(part.get("mime_type")),
        sha256=_text(part.get("sha256")),
        caption=_text(part.get("caption")),
        filename=_text(part.get("filename")),
        voice=part.get("voice") is True,
        animated=part.get("animated") is True,
        url=_text(part.get("url")),
    )


def _location(part: Mapping[str, Any]) -> Location:
    return Location(
        latitude=_number(part.get("latitude")),
        longitude=_number(part.get("longitude")),
        name=_text(part.get("name")),
        address=_text(part.get("address")),
        url=_text(part.get("url")),
    )


def _interactive(part: Mapping[str, Any]) -> InteractiveReply:
    kind = _text(part.get("type")) or ""
    reply = part.get(kind)
    reply = reply if isinstance(reply, Mapping) else {}
    response = reply.get("response_json")
    if isinstance(response, str):
        try:
            response = json.loads(response)
        except (ValueError, RecursionError):
            response = None
    return InteractiveReply(
        type=kind,
        id=_text(reply.get("id")),
        title=_text(reply.get("title")),
        description=_text(reply.get("description")),
        name=_text(reply.get("name")),
        body=_text(reply.get("body")),
        response_json=dict(response) if isinstance(response, Mapping) else None,
    )


def _order(part: Mapping[str, Any]) -> Order:
    items = tuple(
        OrderItem(
            product_retailer_id=_text(item.get("product_retailer_id")),
            quantity=_whole_number(item.get("quantity")),
            item_price=_number(item.get("item_price")),
            currency=_text(item.get("currency")),
        )
        for item in _list(part.get("product_items"))
        if isinstance(item, Mapping)
    )
    return Order(catalog_id=_text(part.get("catalog_id")), text=_text(part.get("text")), product_items=items)


def _system(part: Mapping[str, Any]) -> System:
    return System(
        type=_text(part.get("type")),
        body=_text(part.get("body")),
        wa_id=_text(part.get("wa_id")),
        new_wa_id=_text(part.get("new_wa_id")),
        customer=_text(part.get("customer")),
    )


def _shared_contact(card: Mapping[str, Any]) -> SharedContact:
    name = card.get("name")
    org = card.get("org")
    return SharedContact(
        name=_fields(ContactName, name) if isinstance(name, Mapping) else ContactName(),
        phones=tuple(_fields(ContactPhone, item) for item in _objects(card.get("phones"))),
        emails=tuple(_fields(ContactEmail, item) for item in _objects(card.get("emails"))),
        urls=tuple(_fields(ContactUrl, item) for item in _objects(card.get("urls"))),
        addresses=tuple(_fields(ContactAddress, item) for item in _objects(card.get("addresses"))),
        org=_fields(ContactOrg, org) if isinstance(org, Mapping) else None,
        birthday=_text(card.get("birthday")),
    )


def _fields(kind: Any, part: Mapping[str, Any]) -> Any:
    """An attrs class of string fields filled from the keys of the same names."""
    return kind(**{field.name: _text(part.get(field.name)) for field in attrs.fields(kind)})


class _Contacts:
    """A change's `value.contacts`, indexed once by wa_id: finding each sender's costs the same however
    many messages and contacts a delivery holds (a scan per message made a large delivery quadratic)."""

    def __init__(self, contacts: list[Mapping[str, Any]]) -> None:
        self._by_wa_id: dict[str, Mapping[str, Any]] = {}
        for item in contacts:
            wa_id = _text(item.get("wa_id"))
            if wa_id is not None:
                self._by_wa_id.setdefault(wa_id, item)
        self._only = contacts[0] if len(contacts) == 1 else None

    def of(self, sender: str) -> Contact | None:
        """The sender's entry: the first with their wa_id, else the only one there is."""
        chosen = self._by_wa_id.get(sender, self._only)
        if chosen is None:
            return None
        profile = chosen.get("profile")
        name = _text(profile.get("name")) if isinstance(profile, Mapping) else None
        return Contact(wa_id=_text(chosen.get("wa_id")), name=name)


def _context(part: Any) -> MessageContext | None:
    if not isinstance(part, Mapping):
        return None
    product = part.get("referred_product")
    return MessageContext(
        message_id=_text(part.get("id")),
        from_=_text(part.get("from")),
        forwarded=part.get("forwarded") is True,
        frequently_forwarded=part.get("frequently_forwarded") is True,
        referred_product=_fields(ReferredProduct, product) if isinstance(product, Mapping) else None,
    )


def _referral(part: Any) -> Referral | None:
    return _fields(Referral, part) if isinstance(part, Mapping) else None


def _conversation(part: Mapping[str, Any]) -> Conversation:
    origin = part.get("origin")
    return Conversation(
        id=_text(part.get("id")),
        expiration_timestamp=_timestamp(part.get("expiration_timestamp")),
        origin_type=_text(origin.get("type")) if isinstance(origin, Mapping) else None,
    )


def _pricing(part: Mapping[str, Any]) -> Pricing:
    billable = part.get("billable")
    return Pricing(
        billable=billable if isinstance(billable, bool) else None,
        pricing_model=_text(part.get("pricing_model")),
        category=_text(part.get("category")),
        type=_text(part.get("type")),
    )


def _errors(value: Any) -> tuple[ErrorDetail, ...]:
    return tuple(_error(item) for item in _objects(value))


def _error(item: Mapping[str, Any]) -> ErrorDetail:
    data = item.get("error_data")
    return ErrorDetail(
        code=_whole_number(item.get("code"), signed=True),
        title=_text(item.get("title")),
        message=_text(item.get("message")),
        details=_text(data.get("details")) if isinstance(data, Mapping) else None,
        href=_text(item.get("href")),
    )


def _participants(value: Any) -> tuple[GroupParticipant, ...]:
    return tuple(
        GroupParticipant(wa_id=_text(item.get("wa_id")), input=_text(item.get("input"))) for item in _objects(value)
    )


# Scalars: the documented type, or None.


def _text(value: Any) -> str | None:
    """A string field; an integer (as some ids arrive) is taken as its decimal text."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return str(value)
        except ValueError:  # more digits than Python writes out (a caller's own mapping)
            return None
    return None


def _whole_number(value: Any, *, signed: bool = False) -> int | str | None:
    """An integer field: the int `read_int` reads; text it cannot read ("²", "--5") kept as it came; an
    int out of its bounds as its decimal text; None for anything else (a bool, a list, null)."""
    number = read_int(value, signed=signed)
    if number is not None:
        return number
    if isinstance(value, str):
        return value
    return _text(value)


# A decimal number in ASCII: float() alone would also take "١٢", " 12 ", "1_000", "nan" and "inf".
_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?", re.ASCII)


def _number(value: Any) -> float | None:
    """Coordinates and prices, sent as numbers or as ASCII numeric strings; anything not finite is None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        number = float(value) if len(value) < 64 and _DECIMAL.fullmatch(value) else None
    elif isinstance(value, float):
        number = value
    elif isinstance(value, int):
        digits = _text(value)
        number = float(value) if digits is not None and len(digits) < 64 else None
    else:
        return None
    return number if number is not None and math.isfinite(number) else None


def _timestamp(value: Any) -> datetime | None:
    """Unix seconds (a string, as messages and statuses send them, or a number, as groups do) as aware UTC."""
    seconds = _number(value)
    if seconds is None:
        return None
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _objects(value: Any) -> list[Mapping[str, Any]]:
    return [item for item in _list(value) if isinstance(item, Mapping)]


def _json_type(value: Any) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    for kind, name in names.items():
        if isinstance(value, kind):
            return name
    return "number" if isinstance(value, int | float) else type(value).__name__


def _key(key: str) -> str:
    """A dedup key every store, log line and terminal can take. A key holding a lone surrogate (an id
    upstream sent with half an emoji) is spelled with escapes, and its digest tells it apart from a key
    that holds those escapes as text; every other key is as it was, so keys already stored still match."""
    if utf8_encodable(key):
        return key
    return f"{utf8_escaped(key)}~{hashlib.sha256(key.encode('utf-8', 'surrogatepass')).hexdigest()[:32]}"


def _digest(value: Any) -> str:
    """A stable short hash of a JSON value, for events that carry no id of their own."""
    try:
        canonical = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=repr)
    except (TypeError, ValueError, RecursionError):
        canonical = repr(type(value))
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()[:32]
