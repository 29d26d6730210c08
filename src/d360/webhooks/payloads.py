"""Webhook deliveries in the Cloud API's shape, built: the sandbox sends these, and tests post them.

body = payloads.delivery(statuses=[payloads.status("wamid.X", "delivered", "4915112345678")])
body = payloads.delivery(messages=[payloads.inbound("4915112345678", "text", {"body": "Hi"})],
                         contacts=[payloads.contact("4915112345678", "Kerry")])
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
