"""Webhook deliveries in the Cloud API's shape, built: the sandbox sends these, and tests post them.

body = payloads.delivery(statuses=[payloads.status("wamid.X", "delivered", "4915112345678")])
body = payloads.delivery(messages=[payloads.inbound("4915112345678", "text", {"body": "Hi"})],
                         contacts=[payloads.contact("4915112345678", "Kerry")])
body = payloads.template_status_update("order_confirmation", "APPROVED", language="en_US")
"""

from __future__ import annotations

import base64
import time
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

SANDBOX_BUSINESS_ACCOUNT_ID = "102290129340398"
SANDBOX_PHONE_NUMBER_ID = "106540352242922"
SANDBOX_DISPLAY_PHONE_NUMBER = "15550783881"
ERROR_CODES_URL = "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"

# Real Cloud API delivery failures, by code: the title and the explanation upstream sends with them.
FAILURES: dict[int, tuple[str, str]] = {
    131047: (
        "Re-engagement message",
        "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
    ),
    131026: ("Message undeliverable", "Message Undeliverable."),
    131049: (
        "This message was not delivered to maintain healthy ecosystem engagement.",
        "In order to maintain a healthy ecosystem engagement, the message failed to be delivered.",
    ),
    131050: ("User has stopped marketing messages", "Unable to deliver the marketing message: the user stopped them."),
    131000: ("Something went wrong", "Message failed to send due to an unknown error."),
}


def new_message_id() -> str:
    """An id in the shape upstream gives messages (`wamid.` and base64)."""
    return "wamid." + base64.urlsafe_b64encode(uuid.uuid4().bytes + b"d360").decode().rstrip("=")


def delivery(
    *,
    messages: Iterable[Mapping[str, Any]] = (),
    statuses: Iterable[Mapping[str, Any]] = (),
    errors: Iterable[Mapping[str, Any]] = (),
    contacts: Iterable[Mapping[str, Any]] = (),
    business_account_id: str = SANDBOX_BUSINESS_ACCOUNT_ID,
    phone_number_id: str = SANDBOX_PHONE_NUMBER_ID,
    display_phone_number: str = SANDBOX_DISPLAY_PHONE_NUMBER,
) -> dict[str, Any]:
    """One webhook body: `object`, one entry, one `messages` change holding what is given."""
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": display_phone_number, "phone_number_id": phone_number_id},
    }
    for name, items in (("contacts", contacts), ("messages", messages), ("statuses", statuses), ("errors", errors)):
        listed = [dict(item) for item in items]
        if listed:
            value[name] = listed
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": business_account_id, "changes": [{"value": value, "field": "messages"}]}],
    }


def contact(wa_id: str, name: str) -> dict[str, Any]:
    return {"profile": {"name": name}, "wa_id": wa_id}


def inbound(
    from_: str,
    type: str,
    content: Mapping[str, Any] | list[Any] | None = None,
    *,
    id: str | None = None,
    timestamp: float | None = None,
    context: Mapping[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A customer's message: `inbound("49151...", "image", {"id": "...", "mime_type": "image/jpeg"})`."""
    message: dict[str, Any] = {
        "from": from_,
        "id": id or new_message_id(),
        "timestamp": str(int(timestamp if timestamp is not None else time.time())),
        "type": type,
    }
    if content is not None:
        message[type] = content
    if context is not None:
        message["context"] = dict(context)
    message.update(extra)
    return message


def status(
    message_id: str,
    status: str,
    recipient_id: str,
    *,
    timestamp: float | None = None,
    biz_opaque_callback_data: str | None = None,
    error_code: int | None = None,
    conversation_id: str | None = None,
    category: str = "utility",
) -> dict[str, Any]:
    """A status update; `sent` and `delivered` carry conversation and pricing, `failed` its error."""
    update: dict[str, Any] = {
        "id": message_id,
        "status": status,
        "timestamp": str(int(timestamp if timestamp is not None else time.time())),
        "recipient_id": recipient_id,
    }
    if status in ("sent", "delivered"):
        update["conversation"] = {
            "id": conversation_id or uuid.uuid5(uuid.NAMESPACE_URL, recipient_id).hex,
            "origin": {"type": category},
        }
        if status == "sent":
            update["conversation"]["expiration_timestamp"] = str(int(time.time()) + 86_400)
        update["pricing"] = {"billable": True, "pricing_model": "PMP", "category": category, "type": "regular"}
    if status == "failed":
        code = error_code if error_code is not None else 131026
        title, details = FAILURES.get(code, ("Message failed", "Message failed to send."))
        update["errors"] = [
            {
                "code": code,
                "title": title,
                "message": title,
                "error_data": {"details": details},
                "href": ERROR_CODES_URL,
            }
        ]
    if biz_opaque_callback_data is not None:
        update["biz_opaque_callback_data"] = biz_opaque_callback_data
    return update


# Template webhooks: one change per delivery, in the shapes of Meta's webhook reference
# (message_template_status_update, message_template_quality_update, template_category_update).


def template_id_for(name: str, language: str) -> int:
    """A stable id in the shape Meta gives templates (15 digits), for a name and language."""
    return 10**14 + uuid.uuid5(uuid.NAMESPACE_URL, f"d360-template:{name}:{language}").int % (9 * 10**14)


def change_delivery(
    field: str,
    value: Mapping[str, Any],
    *,
    business_account_id: str = SANDBOX_BUSINESS_ACCOUNT_ID,
    time_sent: float | None = None,
) -> dict[str, Any]:
    """One webhook body holding one change of any `field`, with the entry's `time` as Meta sends it."""
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": business_account_id,
                "time": int(time_sent if time_sent is not None else time.time()),
                "changes": [{"value": dict(value), "field": field}],
            }
        ],
    }


def template_status_update(
    name: str,
    event: str,
    *,
    language: str = "en_US",
    template_id: int | str | None = None,
    reason: str | None = "NONE",
    category: str | None = None,
    rejection_reason: str | None = None,
    recommendation: str | None = None,
    disable_date: float | None = None,
    notice_title: str | None = None,
    notice_description: str | None = None,
    business_account_id: str = SANDBOX_BUSINESS_ACCOUNT_ID,
    time_sent: float | None = None,
) -> dict[str, Any]:
    """A template's review or state change: `template_status_update("order_update", "REJECTED",
    reason="INVALID_FORMAT", rejection_reason="...", recommendation="...")`.

    `event`: APPROVED, REJECTED, PENDING, PAUSED, DISABLED, ... sent as given. `template_id`: Meta's id
    (an integer, as Meta sends it; by default one derived from the name and language). `reason`: "NONE"
    by default, as Meta sends it with an approval; None leaves it out. The rest is sent only when given:
    `rejection_info` (`rejection_reason`, `recommendation`), `disable_info.disable_date` (Unix seconds),
    `other_info` (`notice_title` such as FIRST_PAUSE, `notice_description`).
    """
    value: dict[str, Any] = {
        "event": event,
        "message_template_id": template_id if template_id is not None else template_id_for(name, language),
        "message_template_name": name,
        "message_template_language": language,
    }
    if reason is not None:
        value["reason"] = reason
    if category is not None:
        value["message_template_category"] = category
    if rejection_reason is not None or recommendation is not None:
        value["rejection_info"] = {"reason": rejection_reason, "recommendation": recommendation}
    if disable_date is not None:
        value["disable_info"] = {"disable_date": int(disable_date)}
    if notice_title is not None or notice_description is not None:
        value["other_info"] = {"title": notice_title, "description": notice_description}
    return change_delivery(
        "message_template_status_update", value, business_account_id=business_account_id, time_sent=time_sent
    )


def template_quality_update(
    name: str,
    new_quality_score: str,
    *,
    previous_quality_score: str = "UNKNOWN",
    language: str = "en_US",
    template_id: int | str | None = None,
    business_account_id: str = SANDBOX_BUSINESS_ACCOUNT_ID,
    time_sent: float | None = None,
) -> dict[str, Any]:
    """A template's quality score changed: `template_quality_update("order_update", "YELLOW",
    previous_quality_score="GREEN")`. Scores: GREEN, YELLOW, RED, UNKNOWN."""
    value = {
        "previous_quality_score": previous_quality_score,
        "new_quality_score": new_quality_score,
        "message_template_id": template_id if template_id is not None else template_id_for(name, language),
        "message_template_name": name,
        "message_template_language": language,
    }
    return change_delivery(
        "message_template_quality_update", value, business_account_id=business_account_id, time_sent=time_sent
    )


def template_category_update(
    name: str,
    new_category: str,
    *,
    previous_category: str | None = None,
    correct_category: str | None = None,
    category_update_time: float | None = None,
    language: str = "en_US",
    template_id: int | str | None = None,
    business_account_id: str = SANDBOX_BUSINESS_ACCOUNT_ID,
    time_sent: float | None = None,
) -> dict[str, Any]:
    """A template's category changed (give `previous_category`), or will change (give `correct_category`,
    the category it will get, and `category_update_time`, when; `new_category` is then the current one,
    as Meta sends it): `template_category_update("order_update", "MARKETING", previous_category="UTILITY")`."""
    value: dict[str, Any] = {
        "message_template_id": template_id if template_id is not None else template_id_for(name, language),
        "message_template_name": name,
        "message_template_language": language,
        "new_category": new_category,
    }
    if previous_category is not None:
        value["previous_category"] = previous_category
    if correct_category is not None:
        value["correct_category"] = correct_category
    if category_update_time is not None:
        value["category_update_timestamp"] = int(category_update_time)
    return change_delivery(
        "template_category_update", value, business_account_id=business_account_id, time_sent=time_sent
    )


# Call webhooks: the `calls` field, in the shapes of Meta's Calling API reference (call connect, call
# terminate, call status), and a user's answer to a call permission request (an interactive message).


def new_call_id() -> str:
    """An id in the shape upstream gives calls (`wacid.` and base64)."""
    return "wacid." + base64.urlsafe_b64encode(uuid.uuid4().bytes + b"d360").decode().rstrip("=")


def calls_delivery(
    *,
    calls: Iterable[Mapping[str, Any]] = (),
    statuses: Iterable[Mapping[str, Any]] = (),
    contacts: Iterable[Mapping[str, Any]] = (),
    business_account_id: str = SANDBOX_BUSINESS_ACCOUNT_ID,
    phone_number_id: str = SANDBOX_PHONE_NUMBER_ID,
    display_phone_number: str = SANDBOX_DISPLAY_PHONE_NUMBER,
) -> dict[str, Any]:
    """One webhook body: one `calls` change holding the calls (connect, terminate) or call statuses given."""
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": display_phone_number, "phone_number_id": phone_number_id},
    }
    for name, items in (("contacts", contacts), ("calls", calls), ("statuses", statuses)):
        listed = [dict(item) for item in items]
        if listed:
            value[name] = listed
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": business_account_id, "changes": [{"value": value, "field": "calls"}]}],
    }


def call_connect(
    call_id: str,
    from_: str,
    to: str,
    *,
    sdp: str,
    sdp_type: str = "offer",
    direction: str = "USER_INITIATED",
    timestamp: float | None = None,
) -> dict[str, Any]:
    """A call connecting: a user's call with their SDP offer, or the answer to a business's call."""
    return {
        "id": call_id,
        "to": to,
        "from": from_,
        "event": "connect",
        "timestamp": str(int(timestamp if timestamp is not None else time.time())),
        "direction": direction,
        "session": {"sdp_type": sdp_type, "sdp": sdp},
    }


def call_terminate(
    call_id: str,
    from_: str,
    to: str,
    *,
    status: str = "COMPLETED",
    direction: str = "USER_INITIATED",
    start_time: float | None = None,
    end_time: float | None = None,
    biz_opaque_callback_data: str | None = None,
    timestamp: float | None = None,
) -> dict[str, Any]:
    """A call that ended: COMPLETED (it was answered: start, end and duration) or FAILED."""
    ended = end_time if end_time is not None else time.time()
    call: dict[str, Any] = {
        "id": call_id,
        "to": to,
        "from": from_,
        "event": "terminate",
        "direction": direction,
        "timestamp": str(int(timestamp if timestamp is not None else ended)),
        "status": status,
    }
    if start_time is not None:
        call["start_time"] = str(int(start_time))
        call["end_time"] = str(int(ended))
        call["duration"] = max(0, int(ended) - int(start_time))
    if biz_opaque_callback_data is not None:
        call["biz_opaque_callback_data"] = biz_opaque_callback_data
    return call


def call_status(
    call_id: str,
    status: str,
    recipient_id: str,
    *,
    biz_opaque_callback_data: str | None = None,
    timestamp: float | None = None,
) -> dict[str, Any]:
    """A business-initiated call's progress: RINGING, ACCEPTED or REJECTED (`type: call`)."""
    update: dict[str, Any] = {
        "id": call_id,
        "timestamp": str(int(timestamp if timestamp is not None else time.time())),
        "type": "call",
        "status": status,
        "recipient_id": recipient_id,
    }
    if biz_opaque_callback_data is not None:
        update["biz_opaque_callback_data"] = biz_opaque_callback_data
    return update


def call_permission_reply(
    from_: str,
    response: str = "accept",
    *,
    is_permanent: bool = False,
    expiration_timestamp: int | None = None,
    response_source: str = "user_action",
    context_id: str | None = None,
    id: str | None = None,
    timestamp: float | None = None,
) -> dict[str, Any]:
    """A user's answer to a call permission request: an `interactive` message of type
    `call_permission_reply` (put it in `delivery(messages=[...])`)."""
    reply: dict[str, Any] = {"response": response, "is_permanent": is_permanent, "response_source": response_source}
    if expiration_timestamp is not None:
        reply["expiration_timestamp"] = expiration_timestamp
    return inbound(
        from_,
        "interactive",
        {"type": "call_permission_reply", "call_permission_reply": reply},
        id=id,
        timestamp=timestamp,
        context={"from": SANDBOX_DISPLAY_PHONE_NUMBER, "id": context_id or new_message_id()},
    )
