"""Receiving: typed webhook events, signature checks, de-duplication, and a receiver for ASGI and WSGI.

    events = d360.webhooks.parse(body)                                   # a list, in payload order
    d360.webhooks.verify(body, headers, secret=os.environ["WEBHOOK_SECRET"])
    receiver = d360.webhooks.Receiver(secret=..., dedup=d360.webhooks.Deduplicator("webhooks.sqlite"))
    receiver.on_template_status(notify_team, event="REJECTED")           # a template's review

Modules: `events` (the types), `parse`, `verify`, `dedup` (stores; `redis_dedup` and `postgres_dedup`
for several machines), `inbox` (the durable inbox: SQLite, PostgreSQL), `numbers` (your numbers and their
API keys), `receiver` (handlers and the
shared request logic), `asgi` and `wsgi` (the apps), `journal_sink` (statuses into a bulk journal),
`payloads` (building deliveries, for tests and the sandbox), `config` (checking a webhook URL before
setting it).
"""

from d360.errors import WebhookPayloadError, WebhookVerificationError
from d360.webhooks.dedup import Deduplicator, DedupStore, MemoryDedupStore, SQLiteDedupStore, open_store
from d360.webhooks.events import (
    AnyEvent,
    CallEvent,
    CallPermissionReply,
    CallSession,
    Contact,
    Conversation,
    ErrorDetail,
    Event,
    GroupEvent,
    IncomingMessage,
    InteractiveReply,
    Location,
    Media,
    MessageContext,
    Order,
    Pricing,
    QuickReply,
    Reaction,
    Referral,
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
from d360.webhooks.inbox import InboxStore, StoredEvent
from d360.webhooks.inbox.sqlite import SQLiteInbox
from d360.webhooks.journal_sink import JournalSink
from d360.webhooks.numbers import NumberRegistry, UnknownNumberError
from d360.webhooks.parse import parse
from d360.webhooks.receiver import Receiver, ReceiverStats
from d360.webhooks.verify import sign, verify

__all__ = [
    "AnyEvent",
    "CallEvent",
    "CallPermissionReply",
    "CallSession",
    "Contact",
    "Conversation",
    "DedupStore",
    "Deduplicator",
    "ErrorDetail",
    "Event",
    "GroupEvent",
    "InboxStore",
    "IncomingMessage",
    "InteractiveReply",
    "JournalSink",
    "Location",
    "Media",
    "MemoryDedupStore",
    "MessageContext",
    "NumberRegistry",
    "Order",
    "Pricing",
    "QuickReply",
    "Reaction",
    "Receiver",
    "ReceiverStats",
    "Referral",
    "SQLiteDedupStore",
    "SQLiteInbox",
    "SharedContact",
    "StatusUpdate",
    "StoredEvent",
    "System",
    "TemplateCategoryUpdate",
    "TemplateNotice",
    "TemplateQualityUpdate",
    "TemplateRejection",
    "TemplateStatusUpdate",
    "Text",
    "UnknownEvent",
    "UnknownNumberError",
    "WebhookError",
    "WebhookPayloadError",
    "WebhookVerificationError",
    "open_store",
    "parse",
    "sign",
    "verify",
]
