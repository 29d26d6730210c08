"""The typed events a webhook delivery holds: inbound messages, status updates, errors, group events,
a template's review, quality and category changes, and calls.

Written on attrs, not generated: Meta's published schema describes inbound messages with the shapes of
outbound ones (and closes them with `additionalProperties: false`), so a generated model would refuse
real deliveries. Every field is optional where upstream may leave it out, every event keeps the `raw`
dict it came from, and a shape d360 does not know arrives as `UnknownEvent` rather than an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import attrs

# Parts of events: what a message carries.


@attrs.frozen(kw_only=True)
class ErrorDetail:
    """An error as the Cloud API reports it in webhooks: `code`, `title`, `message` and `details`."""

    code: int | str | None = None
    """Meta's error code: an int; the text as sent when it is not a whole number d360 can read ("²",
    "--5"); None when absent or neither a number nor text."""
    title: str | None = None
    message: str | None = None
    details: str | None = None
    """`error_data.details`: the longest explanation, when upstream gives one."""
    href: str | None = None


@attrs.frozen(kw_only=True)
class Contact:
    """The customer who wrote: their WhatsApp id and profile name (from `value.contacts`)."""

    wa_id: str | None = None
    name: str | None = None


@attrs.frozen(kw_only=True)
class ReferredProduct:
    catalog_id: str | None = None
    product_retailer_id: str | None = None


@attrs.frozen(kw_only=True)
class MessageContext:
    """What an inbound message refers to: the message it replies to, or that it was forwarded."""

    message_id: str | None = None
    """The id of the message replied to (`context.id`)."""
    from_: str | None = None
    forwarded: bool = False
    frequently_forwarded: bool = False
    referred_product: ReferredProduct | None = None


@attrs.frozen(kw_only=True)
class Referral:
    """The ad or post a customer clicked before writing (click-to-WhatsApp)."""

    source_url: str | None = None
    source_id: str | None = None
    source_type: str | None = None
    headline: str | None = None
    body: str | None = None
    media_type: str | None = None
    image_url: str | None = None
    video_url: str | None = None
    thumbnail_url: str | None = None
    ctwa_clid: str | None = None


@attrs.frozen(kw_only=True)
class Text:
    body: str = ""


@attrs.frozen(kw_only=True)
class Media:
    """An image, audio, video, document or sticker: fetch it with `client.media.download(media.id, ...)`."""

    id: str | None = None
    mime_type: str | None = None
    sha256: str | None = None
    caption: str | None = None
    filename: str | None = None
    voice: bool = False
    """An audio recorded as a voice note."""
    animated: bool = False
    """A sticker that moves."""
    url: str | None = None


@attrs.frozen(kw_only=True)
class Location:
    latitude: float | None = None
    longitude: float | None = None
    name: str | None = None
    address: str | None = None
    url: str | None = None


@attrs.frozen(kw_only=True)
class ContactName:
    formatted_name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    middle_name: str | None = None
    prefix: str | None = None
    suffix: str | None = None


@attrs.frozen(kw_only=True)
class ContactPhone:
    phone: str | None = None
    wa_id: str | None = None
    type: str | None = None


@attrs.frozen(kw_only=True)
class ContactEmail:
    email: str | None = None
    type: str | None = None


@attrs.frozen(kw_only=True)
class ContactUrl:
    url: str | None = None
    type: str | None = None


@attrs.frozen(kw_only=True)
class ContactAddress:
    street: str | None = None
    city: str | None = None
    state: str | None = None
    zip: str | None = None
    country: str | None = None
    country_code: str | None = None
    type: str | None = None


@attrs.frozen(kw_only=True)
class ContactOrg:
    company: str | None = None
    department: str | None = None
    title: str | None = None


@attrs.frozen(kw_only=True)
class SharedContact:
    """A contact card the customer shared."""

    name: ContactName = attrs.Factory(ContactName)
    phones: tuple[ContactPhone, ...] = ()
    emails: tuple[ContactEmail, ...] = ()
    urls: tuple[ContactUrl, ...] = ()
    addresses: tuple[ContactAddress, ...] = ()
    org: ContactOrg | None = None
    birthday: str | None = None


@attrs.frozen(kw_only=True)
class Reaction:
    message_id: str | None = None
    """The message reacted to."""
    emoji: str | None = None
    """None (or empty) when the customer took their reaction back."""

    @property
    def removed(self) -> bool:
        return not self.emoji


@attrs.frozen(kw_only=True)
class QuickReply:
    """A tap on a template's quick-reply button (type `button`)."""

    text: str | None = None
    payload: str | None = None


@attrs.frozen(kw_only=True)
class InteractiveReply:
    """A reply to an interactive message: `button_reply`, `list_reply`, or `nfm_reply` from a flow."""

    type: str
    id: str | None = None
    title: str | None = None
    description: str | None = None
    name: str | None = None
    """A flow reply's name (`flow`, `address_message`)."""
    body: str | None = None
    response_json: dict[str, Any] | None = None
    """A flow reply's answers, parsed from the JSON string upstream sends (None when it is not an object)."""


@attrs.frozen(kw_only=True)
class OrderItem:
    product_retailer_id: str | None = None
    quantity: int | str | None = None
    """An int; the text as sent when it is not a whole number d360 can read; None when absent."""
    item_price: float | None = None
    currency: str | None = None


@attrs.frozen(kw_only=True)
class Order:
    catalog_id: str | None = None
    text: str | None = None
    product_items: tuple[OrderItem, ...] = ()


@attrs.frozen(kw_only=True)
class System:
    """A system notice, such as a customer changing their number (`user_changed_number`)."""

    type: str | None = None
    body: str | None = None
    wa_id: str | None = None
    new_wa_id: str | None = None
    customer: str | None = None


@attrs.frozen(kw_only=True)
class Conversation:
    id: str | None = None
    expiration_timestamp: datetime | None = None
    origin_type: str | None = None
    """What opened it: `marketing`, `utility`, `service`, `authentication`, `referral_conversion`..."""


@attrs.frozen(kw_only=True)
class Pricing:
    billable: bool | None = None
    pricing_model: str | None = None
    category: str | None = None
    type: str | None = None


# The events themselves.


@attrs.frozen(kw_only=True)
class Event:
    """What every event has: where it came from, a key to deduplicate it by, and its raw dict."""

    dedup_key: str
    """Stable across redeliveries and processes: the same event always has the same key."""
    raw: Mapping[str, Any] = attrs.field(repr=False)
    """The dict this event was read from, untouched: fields d360 does not know yet are here."""
    field: str = "messages"
    """The change's `field`: `messages` for messages and statuses, `group_*` for group events,
    `message_template_*` and `template_category_update` for templates."""
    business_account_id: str | None = None
    """The WhatsApp Business Account (`entry[].id`)."""
    phone_number_id: str | None = None
    display_phone_number: str | None = None


@attrs.frozen(kw_only=True)
class IncomingMessage(Event):
    """A message a customer sent. `type` is a plain string: types d360 does not know yet are kept."""

    id: str
    from_: str
    type: str
    timestamp: datetime | None = None
    contact: Contact | None = None
    context: MessageContext | None = None
    referral: Referral | None = None
    group_id: str | None = None
    text: Text | None = None
    image: Media | None = None
    audio: Media | None = None
    video: Media | None = None
    document: Media | None = None
    sticker: Media | None = None
    location: Location | None = None
    contacts: tuple[SharedContact, ...] = ()
    reaction: Reaction | None = None
    button: QuickReply | None = None
    interactive: InteractiveReply | None = None
    order: Order | None = None
    system: System | None = None
    errors: tuple[ErrorDetail, ...] = ()
    """Why the message could not be shown (type `unsupported`), or other errors upstream attached."""

    @property
    def media(self) -> Media | None:
        """The media of an image, audio, video, document or sticker message."""
        return self.image or self.audio or self.video or self.document or self.sticker

    @property
    def content(self) -> Any:
        """The typed content for this message's type (`message.text` for a text...), or None."""
        value = getattr(self, self.type, None) if self.type in _CONTENT_FIELDS else None
        return value if value != () else None


_CONTENT_FIELDS = frozenset(
    {"text", "image", "audio", "video", "document", "sticker", "location", "contacts", "reaction"}
    | {"button", "interactive", "order", "system"}
)


@attrs.frozen(kw_only=True)
class StatusUpdate(Event):
    """What became of a message you sent: `sent`, `delivered`, `read` or `failed` (other values kept)."""

    message_id: str
    status: str
    recipient_id: str | None = None
    timestamp: datetime | None = None
    errors: tuple[ErrorDetail, ...] = ()
    conversation: Conversation | None = None
    pricing: Pricing | None = None
    biz_opaque_callback_data: str | None = None
    """The string you sent with the message, echoed back: tie the status to your own records."""
    group_id: str | None = None

    @property
    def failed(self) -> bool:
        return self.status == "failed"


@attrs.frozen(kw_only=True)
class WebhookError(Event):
    """An error upstream reports outside any one message (`value.errors`): an event, not an exception."""

    error: ErrorDetail


@attrs.frozen(kw_only=True)
class GroupParticipant:
    wa_id: str | None = None
    input: str | None = None


@attrs.frozen(kw_only=True)
class GroupEvent(Event):
    """A group was created, deleted, changed, or gained or lost participants."""

    type: str
    group_id: str | None = None
    request_id: str | None = None
    timestamp: datetime | None = None
    subject: str | None = None
    added_participants: tuple[GroupParticipant, ...] = ()
    removed_participants: tuple[GroupParticipant, ...] = ()
    errors: tuple[ErrorDetail, ...] = ()


@attrs.frozen(kw_only=True)
class TemplateRejection:
    """Why a template was rejected, as Meta explains it (`rejection_info`, sent with INVALID_FORMAT)."""

    reason: str | None = None
    recommendation: str | None = None


@attrs.frozen(kw_only=True)
class TemplateNotice:
    """Meta's note on a pause or an unpause (`other_info`): `title` is FIRST_PAUSE, UNPAUSE, ..."""

    title: str | None = None
    description: str | None = None


@attrs.frozen(kw_only=True)
class TemplateStatusUpdate(Event):
    """A template's review or lifecycle changed (`message_template_status_update`).

    `event` is kept as upstream sends it: APPROVED, REJECTED, PENDING, PAUSED, DISABLED, FLAGGED,
    REINSTATED, IN_APPEAL, ARCHIVED, DELETED, PENDING_DELETION, LIMIT_EXCEEDED, LOCKED, and whatever
    comes next.
    """

    event: str
    template_id: str | None = None
    """`message_template_id`, which Meta sends as a number, as text (like every other id here)."""
    template_name: str | None = None
    language: str | None = None
    """`message_template_language`: `en_US`, `en-US`, `de`..., as sent."""
    reason: str | None = None
    """Why, for a rejection (INVALID_FORMAT, PROMOTIONAL, ...); `NONE` on approval, as sent."""
    category: str | None = None
    """`message_template_category`: MARKETING, UTILITY, AUTHENTICATION (other values kept)."""
    rejection: TemplateRejection | None = None
    disable_date: datetime | None = None
    """When a disabled template was disabled (`disable_info.disable_date`)."""
    notice: TemplateNotice | None = None
    timestamp: datetime | None = None
    """When upstream sent the change (the entry's `time`)."""

    @property
    def approved(self) -> bool:
        return self.event == "APPROVED"

    @property
    def rejected(self) -> bool:
        return self.event == "REJECTED"


@attrs.frozen(kw_only=True)
class TemplateQualityUpdate(Event):
    """A template's quality score changed (`message_template_quality_update`): GREEN, YELLOW, RED or
    UNKNOWN (other values kept). A template that stays RED is paused, then disabled."""

    new_quality_score: str
    previous_quality_score: str | None = None
    template_id: str | None = None
    template_name: str | None = None
    language: str | None = None
    timestamp: datetime | None = None


@attrs.frozen(kw_only=True)
class TemplateCategoryUpdate(Event):
    """A template's category changed, or is about to (`template_category_update`).

    A change made: `previous_category` and `new_category`. A change announced (`impending`): Meta will
    recategorize it as `correct_category` at `category_update_timestamp`, and `new_category` is then its
    current category, as Meta sends it.
    """

    template_id: str | None = None
    template_name: str | None = None
    language: str | None = None
    previous_category: str | None = None
    new_category: str | None = None
    correct_category: str | None = None
    category_update_timestamp: datetime | None = None
    timestamp: datetime | None = None

    @property
    def impending(self) -> bool:
        """True for the notice sent a day before Meta recategorizes the template."""
        return self.correct_category is not None and self.previous_category is None


@attrs.frozen(kw_only=True)
class CallSession:
    """A call's SDP, exactly as upstream sent it: an `offer` (a user's call) or an `answer` (to yours)."""

    sdp_type: str | None = None
    sdp: str | None = None


@attrs.frozen(kw_only=True)
class CallEvent(Event):
    """A call's webhook (the `calls` field): it connects, it ends, or a business's call changes status.

    `event` is `connect` (a user calls, with their SDP offer in `session`; or a user accepted your call,
    with their SDP answer), `terminate` (the call ended: `status` COMPLETED or FAILED, `start_time`,
    `end_time`, `duration` in seconds), or `status` for a business-initiated call's progress, whose
    `status` is RINGING, ACCEPTED or REJECTED. Values are kept as sent, new ones included.
    """

    event: str
    call_id: str
    from_: str | None = None
    to: str | None = None
    direction: str | None = None
    """USER_INITIATED or BUSINESS_INITIATED."""
    timestamp: datetime | None = None
    session: CallSession | None = None
    status: str | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None
    duration: int | str | None = None
    """Seconds; the text as sent when it is not a whole number d360 can read."""
    recipient_id: str | None = None
    """The user a status update is about."""
    biz_opaque_callback_data: str | None = None
    """The string you sent with connect or accept, echoed back."""
    contact: Contact | None = None
    errors: tuple[ErrorDetail, ...] = ()


@attrs.frozen(kw_only=True)
class CallPermissionReply(IncomingMessage):
    """A user's answer to your call permission request: an interactive message of type
    `call_permission_reply`, still an `IncomingMessage` (so `on_message` sees it), routed to `on_call` too."""

    response: str | None = None
    """`accept` or `reject`."""
    is_permanent: bool | None = None
    expiration_timestamp: datetime | None = None
    """Until when a temporary permission lasts."""
    response_source: str | None = None
    """`user_action` or `automatic`."""

    @property
    def accepted(self) -> bool:
        return self.response == "accept"


@attrs.frozen(kw_only=True)
class UnknownEvent(Event):
    """A change, or a part of one, that d360 does not know yet: kept whole in `raw`, never dropped."""

    reason: str
    """Why it is not typed: an unknown field, an unknown part of a value, or a shape that did not fit."""


AnyEvent = (
    IncomingMessage
    | StatusUpdate
    | WebhookError
    | GroupEvent
    | TemplateStatusUpdate
    | TemplateQualityUpdate
    | TemplateCategoryUpdate
    | CallEvent
    | CallPermissionReply
    | UnknownEvent
)
