"""Builders for every message type: plain dicts in the spec's shape, ready to validate and send.

The one-line senders on the clients call these; they are public so that a message can be built,
inspected, stored (bulk sending keeps them as JSON Lines) and sent later with `client.send(message)`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

from d360.errors import Problem, ValidationError
from d360.validation import is_status_body, normalize_phone

RecipientType = Literal["individual", "group"]
MediaKind = Literal["image", "audio", "video", "document", "sticker"]
Payload = dict[str, Any]
ButtonSpec = tuple[str, str] | Mapping[str, Any]
HeaderSpec = str | Mapping[str, Any]
BUTTONS_PATH = "$.interactive.action.buttons"


def envelope(
    to: str,
    kind: str,
    content: Any,
    *,
    reply_to: str | None = None,
    recipient_type: RecipientType = "individual",
) -> Payload:
    """The fields every message shares, around the content of its type."""
    if not isinstance(to, str):
        raise ValidationError([Problem("$.to", f"must be a phone number or group id (a string), not {to!r}")])
    message: Payload = {
        "messaging_product": "whatsapp",
        "recipient_type": recipient_type,
        # A group id is not a phone number: only individual recipients are normalised.
        "to": normalize_phone(to) if recipient_type == "individual" else to,
        "type": kind,
        kind: content,
    }
    if reply_to is not None:
        message["context"] = {"message_id": reply_to}
    return message


def media_object(link: str | None = None, media_id: str | None = None, **extra: str | None) -> dict[str, Any]:
    """A media reference by `link` or by uploaded `id` (validation refuses both or neither)."""
    media: dict[str, Any] = {}
    if link is not None:
        media["link"] = link
    if media_id is not None:
        media["id"] = media_id
    media.update({key: value for key, value in extra.items() if value is not None})
    return media


def text(
    to: str,
    body: str,
    *,
    preview_url: bool = False,
    reply_to: str | None = None,
    recipient_type: RecipientType = "individual",
) -> Payload:
    content: dict[str, Any] = {"body": body}
    if preview_url:
        content["preview_url"] = True
    return envelope(to, "text", content, reply_to=reply_to, recipient_type=recipient_type)


def media(
    kind: MediaKind,
    to: str,
    *,
    link: str | None = None,
    media_id: str | None = None,
    caption: str | None = None,
    filename: str | None = None,
    reply_to: str | None = None,
    recipient_type: RecipientType = "individual",
) -> Payload:
    content = media_object(link, media_id, caption=caption, filename=filename)
    return envelope(to, kind, content, reply_to=reply_to, recipient_type=recipient_type)


def location(
    to: str,
    latitude: float,
    longitude: float,
    *,
    name: str | None = None,
    address: str | None = None,
    reply_to: str | None = None,
    recipient_type: RecipientType = "individual",
) -> Payload:
    content: dict[str, Any] = {"latitude": latitude, "longitude": longitude}
    if name is not None:
        content["name"] = name
    if address is not None:
        content["address"] = address
    return envelope(to, "location", content, reply_to=reply_to, recipient_type=recipient_type)


def reaction(to: str, message_id: str, emoji: str, *, recipient_type: RecipientType = "individual") -> Payload:
    """A reaction to `message_id`; an empty `emoji` removes the reaction."""
    return envelope(to, "reaction", {"message_id": message_id, "emoji": emoji}, recipient_type=recipient_type)


def template(
    to: str,
    name: str,
    language: str,
    *,
    components: Sequence[Any] | None = None,
    reply_to: str | None = None,
    recipient_type: RecipientType = "individual",
) -> Payload:
    content: dict[str, Any] = {"name": name, "language": {"code": language}}
    if components:
        content["components"] = [as_dict(component) for component in components]
    return envelope(to, "template", content, reply_to=reply_to, recipient_type=recipient_type)


def buttons(
    to: str,
    body: str,
    choices: Iterable[ButtonSpec],
    *,
    header: HeaderSpec | None = None,
    footer: str | None = None,
    reply_to: str | None = None,
    recipient_type: RecipientType = "individual",
) -> Payload:
    """Reply buttons: `choices` are `(id, title)` pairs, `{"id", "title"}` mappings or full button objects."""
    action = {
        "buttons": [_reply_button(choice, index) for index, choice in enumerate(_sequence(choices, BUTTONS_PATH))]
    }
    content = _interactive("button", body, action, header=header, footer=footer)
    return envelope(to, "interactive", content, reply_to=reply_to, recipient_type=recipient_type)


def list_message(
    to: str,
    body: str,
    button: str,
    sections: Sequence[Mapping[str, Any]],
    *,
    header: HeaderSpec | None = None,
    footer: str | None = None,
    reply_to: str | None = None,
    recipient_type: RecipientType = "individual",
) -> Payload:
    """A list: `button` labels the button that opens it; sections hold rows of `{"id", "title", "description"}`."""
    action = {"button": button, "sections": _mappings(sections, "$.interactive.action.sections")}
    content = _interactive("list", body, action, header=header, footer=footer)
    return envelope(to, "interactive", content, reply_to=reply_to, recipient_type=recipient_type)


def interactive(
    to: str, content: Any, *, reply_to: str | None = None, recipient_type: RecipientType = "individual"
) -> Payload:
    """Any interactive message (product, catalog, flow, ...), given as a d360_api model or a mapping."""
    return envelope(to, "interactive", as_dict(content), reply_to=reply_to, recipient_type=recipient_type)


def contacts(
    to: str,
    cards: Sequence[Mapping[str, Any]],
    *,
    reply_to: str | None = None,
    recipient_type: RecipientType = "individual",
) -> Payload:
    """Contact cards in upstream's shape (`name`, `phones`, `emails`, ...)."""
    return envelope(to, "contacts", _mappings(cards, "$.contacts"), reply_to=reply_to, recipient_type=recipient_type)


def read_receipt(message_id: str, *, typing_indicator: bool = False) -> Payload:
    """Marks a received message as read; `typing_indicator` also shows "typing..." to the customer until
    the reply is sent (or 25 seconds pass), as the Cloud API does."""
    if not isinstance(message_id, str) or not message_id:
        raise ValidationError([Problem("$.message_id", f"must be the id of a received message, not {message_id!r}")])
    receipt: Payload = {"messaging_product": "whatsapp", "status": "read", "message_id": message_id}
    if typing_indicator:
        receipt["typing_indicator"] = {"type": "text"}
    return receipt


def with_cloud_api_defaults(message: Payload) -> Payload:
    """The message with what the Cloud API assumes when it is left out, written in.

    `recipient_type` is `individual`, and `type` is `text` for a body carrying a `text` object. Filled in
    before sending, so the message means the same whichever way upstream reads its own spec. A status
    body (a read receipt) is left as it is.
    """
    if not isinstance(message, dict) or ("recipient_type" in message and "type" in message) or is_status_body(message):
        return message
    filled = dict(message)
    filled.setdefault("recipient_type", "individual")
    if "type" not in filled and "text" in filled:
        filled["type"] = "text"
    return filled


def as_dict(value: Any) -> Any:
    """A d360_api model (anything with `to_dict`) as its dict; mappings copied; anything else as it is."""
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, Mapping):
        return dict(value)
    return value


def _reply_button(choice: ButtonSpec, index: int) -> dict[str, Any]:
    if isinstance(choice, tuple | list) and len(choice) == 2:
        button_id, title = choice
        return {"type": "reply", "reply": {"id": button_id, "title": title}}
    if isinstance(choice, Mapping):
        if "reply" in choice:
            return dict(choice)
        return {"type": "reply", "reply": {"id": choice.get("id"), "title": choice.get("title")}}
    raise ValidationError(
        [Problem(f"{BUTTONS_PATH}[{index}]", f"must be an (id, title) pair or a mapping, not {choice!r}")]
    )


def _sequence(items: Any, path: str) -> Iterable[Any]:
    """`items` as given, if it is a collection of items; a lone string or mapping is a mistake, named."""
    if isinstance(items, str | bytes | Mapping) or not isinstance(items, Iterable):
        raise ValidationError([Problem(path, f"must be a list, not {items!r}")])
    return items


def _mappings(items: Any, path: str) -> list[dict[str, Any]]:
    found = list(_sequence(items, path))
    wrong = [
        Problem(f"{path}[{index}]", f"must be a mapping, not {item!r}")
        for index, item in enumerate(found)
        if not isinstance(item, Mapping)
    ]
    if wrong:
        raise ValidationError(wrong)
    return [dict(item) for item in found]


def _interactive(
    kind: str, body: str, action: dict[str, Any], *, header: HeaderSpec | None, footer: str | None
) -> dict[str, Any]:
    content: dict[str, Any] = {"type": kind, "body": {"text": body}, "action": action}
    if isinstance(header, str):
        content["header"] = {"type": "text", "text": header}
    elif header is not None:
        content["header"] = as_dict(header)
    if footer is not None:
        content["footer"] = {"text": footer}
    return content
