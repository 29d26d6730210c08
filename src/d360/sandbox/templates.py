"""The sandbox's templates: a bounded store with upstream's review, the template endpoints, Meta's template
library, and the check of template messages on POST /messages.

A created template is `PENDING` and reviewed `review_seconds` later: `REJECTED` when its name matches the
reject pattern, `APPROVED` otherwise, and the outcome goes to the webhook URL as the Cloud API's
`message_template_status_update`. A template message is refused as upstream refuses it: 132001 when its
template does not exist or is not approved in that language, 132000 when it gives another number of
parameters than the template takes. The store starts with a few approved templates (`SEEDS`), so the
README's examples, `make demo` and the pytest plugin's fixtures send templates with no setup.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import copy
import json
import logging
import re
import secrets
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import attrs

from d360.errors import ConfigurationError, ValidationError
from d360.numbers import read_int
from d360.resources.template_rules import TemplateShape, template_shape, validate_template
from d360.resources.templates import LIBRARY_PATH, NAME_FILTER, TEMPLATES_PATH
from d360.unicode import utf8_encodable, utf8_escaped
from d360.webhooks import payloads

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    from d360.sandbox.webhooks import WebhookSender

logger = logging.getLogger("d360.sandbox")

DEFAULT_REVIEW_SECONDS = 2.0
"""Seconds from creation to review: short, so tests and the demo see the whole lifecycle."""
MAX_REVIEW_SECONDS = 86_400.0
DEFAULT_MAX_TEMPLATES = 1000
"""Templates (a name in one language) the store holds; creating one more is refused, as upstream refuses
past an account's limit."""
MAX_TEMPLATE_BYTES = 16 << 20
"""What the kept definitions may take in all, besides their count."""
MAX_PAGE = 1000
QUERY_DIGITS = 200
"""The digits a `limit` or `offset` may have: the spec sets no maximum, and 200 digits still read at once."""
REJECTION_REASON = "INVALID_FORMAT"
"""The reason a rejection gives (one of Meta's: ABUSIVE_CONTENT, INCORRECT_CATEGORY, INVALID_FORMAT, SCAM...)."""
NAMESPACE = "d360_sandbox_0a1b2c3d_4e5f_6a7b_8c9d"
FILTER_KEYS = ("id", "partner_id", NAME_FILTER, "status", "category", "language")
"""The keys `filters` and `sort` may name: those 360dialog's Partner API template list allows (the effective
spec's patterns say the same). A sandbox's templates all belong to one partner: `partner_id` sorts as `id`
does and a filter on it matches `PARTNER_ID` only."""
PARTNER_ID = "d360-sandbox"

# The templates every sandbox starts with, each approved. Their parameters fit the README's examples:
# order_update the "Sending messages" example and the demo, order_confirmation the pytest plugin's,
# shipping_update the CSV campaign's (two body parameters), delivery_slot the quick replies'.
SEEDS: tuple[dict[str, Any], ...] = (
    {
        "name": "hello_world", "language": "en_US", "category": "UTILITY",
        "components": [
            {"type": "HEADER", "format": "TEXT", "text": "Hello World"},
            {"type": "BODY", "text": "Welcome and congratulations!! This message demonstrates your ability to send "
                                     "a WhatsApp message notification from the Cloud API, hosted by Meta."},
            {"type": "FOOTER", "text": "WhatsApp Business Platform sample message"},
        ],
    },
    {
        "name": "order_update", "language": "en", "category": "UTILITY",
        "components": [
            {"type": "HEADER", "format": "IMAGE", "example": {"header_handle": ["4::aW1hZ2UvanBlZw==:sandbox"]}},
            {"type": "BODY", "text": "Hi {{1}}, your order of {{2}} is packed and arrives on {{3}}. Thank you!",
             "example": {"body_text": [["Anna", "EUR 12.50", "May 4"]]}},
            {"type": "BUTTONS", "buttons": [
                {"type": "URL", "text": "Track it", "url": "https://example.com/{{1}}",
                 "example": ["https://example.com/orders/8812"]},
            ]},
        ],
    },
    {
        "name": "order_confirmation", "language": "en", "category": "UTILITY",
        "components": [
            {"type": "BODY", "text": "Thank you! We have your order {{1}} and will write when it ships.",
             "example": {"body_text": [["8812"]]}},
        ],
    },
    {
        "name": "shipping_update", "language": "en", "category": "UTILITY",
        "components": [
            {"type": "BODY", "text": "Hi {{1}}, your order {{2}} has shipped.",
             "example": {"body_text": [["Anna", "8812"]]}},
        ],
    },
    {
        "name": "delivery_slot", "language": "en", "category": "UTILITY",
        "components": [
            {"type": "BODY", "text": "Your parcel comes tomorrow between 9:00 and 12:00. Does that suit you?"},
            {"type": "BUTTONS", "buttons": [
                {"type": "QUICK_REPLY", "text": "Keep it"},
                {"type": "QUICK_REPLY", "text": "Move it"},
            ]},
        ],
    },
)  # fmt: skip

# Meta's template library, a few items in its shape (GET /message_template_library).
LIBRARY: tuple[dict[str, Any], ...] = (
    {"name": "delivery_update_1", "language": "en_US", "category": "UTILITY", "topic": "ORDER_MANAGEMENT",
     "usecase": "DELIVERY_UPDATE", "industry": ["E_COMMERCE"],
     "body": "Good news! Your order {{1}} is on its way and should arrive by {{2}}.",
     "body_params": ["#12345", "Friday"], "body_param_types": ["TEXT", "DATE"],
     "buttons": [{"type": "URL", "text": "Track order"}], "id": "7001000000000001"},
    {"name": "order_confirmation_1", "language": "en_US", "category": "UTILITY", "topic": "ORDER_MANAGEMENT",
     "usecase": "ORDER_CONFIRMATION", "industry": ["E_COMMERCE"],
     "body": "Thank you for your order, {{1}}! Your order number is {{2}}.",
     "body_params": ["Anna", "#12345"], "body_param_types": ["TEXT", "TEXT"], "id": "7001000000000002"},
    {"name": "order_confirmation_1", "language": "de", "category": "UTILITY", "topic": "ORDER_MANAGEMENT",
     "usecase": "ORDER_CONFIRMATION", "industry": ["E_COMMERCE"],
     "body": "Danke für deine Bestellung, {{1}}! Deine Bestellnummer ist {{2}}.",
     "body_params": ["Anna", "#12345"], "body_param_types": ["TEXT", "TEXT"], "id": "7001000000000003"},
    {"name": "payment_reminder_1", "language": "en_US", "category": "UTILITY", "topic": "PAYMENTS",
     "usecase": "PAYMENT_DUE_REMINDER", "industry": ["FINANCIAL_SERVICES", "E_COMMERCE"],
     "header": "Payment due", "body": "Hi {{1}}, your payment of {{2}} is due on {{3}}.",
     "body_params": ["Anna", "EUR 40.00", "June 1"], "body_param_types": ["TEXT", "AMOUNT", "DATE"],
     "buttons": [{"type": "PHONE_NUMBER", "text": "Call us"}], "id": "7001000000000004"},
    {"name": "low_balance_warning_1", "language": "en_US", "category": "UTILITY", "topic": "PAYMENTS",
     "usecase": "LOW_BALANCE_WARNING", "industry": ["FINANCIAL_SERVICES"],
     "body": "Hi {{1}}, the balance of your account ending in {{2}} is below {{3}}.",
     "body_params": ["Anna", "1234", "EUR 50.00"], "body_param_types": ["TEXT", "NUMBER", "AMOUNT"],
     "id": "7001000000000005"},
    {"name": "account_creation_confirmation_1", "language": "en_US", "category": "UTILITY",
     "topic": "ACCOUNT_UPDATES", "usecase": "ACCOUNT_CREATION_CONFIRMATION", "industry": ["E_COMMERCE"],
     "body": "Hi {{1}}, your new account is ready. Welcome!", "body_params": ["Anna"],
     "body_param_types": ["TEXT"], "id": "7001000000000006"},
)  # fmt: skip
LIBRARY_PAGE = 25


class TemplateRefused(Exception):
    """A template the store does not take (a duplicate, the store full, an unknown library template)."""

    def __init__(self, message: str, status_code: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code


@attrs.define
class StoredTemplate:
    id: str
    name: str
    language: str
    category: str
    components: list[dict[str, Any]]
    status: str
    size: int
    """What keeping it costs: the length of its definition as JSON."""
    parameter_format: str | None = None
    rejected_reason: str = "NONE"
    quality: str = "UNKNOWN"
    review_at: float | None = None
    """When a pending template is due for review (`time.monotonic()`); None once decided."""

    def to_dict(self) -> dict[str, Any]:
        """The template as the list and create answers give it (360dialog's fields, with Meta's id)."""
        answer: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "language": self.language,
            "category": self.category,
            "components": copy.deepcopy(self.components),
            "status": self.status,
            "rejected_reason": self.rejected_reason,
            "namespace": NAMESPACE,
            "quality_score": {"score": self.quality},
        }
        if self.parameter_format is not None:
            answer["parameter_format"] = self.parameter_format
        return answer

    @property
    def shape(self) -> TemplateShape:
        return template_shape(self.components, self.category)


class TemplateStore:
    """The templates of the sandbox's one account, safe to use from any thread; bounded in count and bytes."""

    def __init__(
        self,
        *,
        review_seconds: float = DEFAULT_REVIEW_SECONDS,
        reject_pattern: str | None = None,
        max_templates: int = DEFAULT_MAX_TEMPLATES,
        seeds: Sequence[Mapping[str, Any]] = SEEDS,
    ) -> None:
        if not _is_seconds(review_seconds):
            raise ConfigurationError(
                f"template_review_seconds must be from 0 to {MAX_REVIEW_SECONDS:g} seconds, not {review_seconds!r}"
            )
        if not isinstance(max_templates, int) or isinstance(max_templates, bool) or max_templates < 0:
            raise ConfigurationError(f"max_templates must be a whole number, 0 or more, not {max_templates!r}")
        self.review_seconds = float(review_seconds)
        self.reject_pattern = _compile(reject_pattern)
        """Names it matches (`re.search`) are rejected in review; the others approved."""
        self.max_templates = max_templates
        self._seeds = [dict(seed) for seed in seeds]
        self._templates: dict[str, StoredTemplate] = {}
        self._bytes = 0
        self._last_id = 1_000_000_000_000_000 + secrets.randbelow(10**14)
        self._lock = threading.Lock()
        self.clear()

    def create(self, definition: Mapping[str, Any], *, status: str = "PENDING", bounded: bool = True) -> StoredTemplate:
        """Keep a checked definition (ValidationError otherwise); TemplateRefused for a duplicate or a full store."""
        validate_template(definition)
        components = definition.get("components")
        if components is None:
            components = _library_components(definition)
        stored = StoredTemplate(
            id="",
            name=str(definition["name"]),
            language=str(definition["language"]),
            category=str(definition["category"]).upper(),
            components=copy.deepcopy(list(components)),
            status=status,
            size=0,
            parameter_format=definition.get("parameter_format"),
            quality="UNKNOWN" if status == "PENDING" else "GREEN",
            review_at=time.monotonic() + self.review_seconds if status == "PENDING" else None,
        )
        stored.size = answerable_size(stored)
        with self._lock:
            if self._find(stored.name, stored.language) is not None:
                raise TemplateRefused(
                    f"a template {stored.name!r} in {stored.language!r} already exists: delete it first, "
                    "or create it under another name"
                )
            if bounded and (
                len(self._templates) >= self.max_templates or self._bytes + stored.size > MAX_TEMPLATE_BYTES
            ):
                raise TemplateRefused(
                    f"the account holds {len(self._templates)} templates, as many as it may: delete some first"
                )
            # Ids grow with each template, as Meta's do: sorting by id is sorting by age.
            self._last_id += 1 + secrets.randbelow(1000)
            stored.id = str(self._last_id)
            self._templates[stored.id] = stored
            self._bytes += stored.size
        return stored

    def add(self, definition: Mapping[str, Any]) -> StoredTemplate:
        """Keep a definition as approved at once, replacing one of the same name and language (for tests).
        ValidationError for a definition upstream would refuse; ConfigurationError when the store is full."""
        validate_template(definition)
        with self._lock:
            existing = self._find(str(definition["name"]), str(definition["language"]))
            if existing is not None:
                self._bytes -= self._templates.pop(existing.id).size
        try:
            return self.create(definition, status="APPROVED")
        except TemplateRefused as exc:
            raise ConfigurationError(exc.message) from None

    def review(self, template_id: str) -> StoredTemplate | None:
        """Decide a pending template now (REJECTED if its name matches the pattern); None if it is gone or
        decided already."""
        with self._lock:
            stored = self._templates.get(template_id)
            return self._decide(stored) if stored is not None and stored.status == "PENDING" else None

    def review_due(self, now: float) -> list[StoredTemplate]:
        """Decide every pending template whose review is due by `now` (`time.monotonic()`)."""
        with self._lock:
            due = [
                stored
                for stored in self._templates.values()
                if stored.status == "PENDING" and stored.review_at is not None and stored.review_at <= now
            ]
            return [self._decide(stored) for stored in due]

    def next_review(self) -> float | None:
        """When the next pending template is due for review (`time.monotonic()`), or None if none is pending."""
        with self._lock:
            due = [stored.review_at for stored in self._templates.values() if stored.review_at is not None]
            return min(due, default=None)

    def _decide(self, stored: StoredTemplate) -> StoredTemplate:
        if self.reject_pattern is not None and self.reject_pattern.search(stored.name):
            stored.status, stored.rejected_reason = "REJECTED", REJECTION_REASON
        else:
            stored.status, stored.quality = "APPROVED", "GREEN"
        stored.review_at = None
        return attrs.evolve(stored)

    def find(self, name: str, language: str) -> StoredTemplate | None:
        with self._lock:
            found = self._find(name, language)
            return attrs.evolve(found) if found is not None else None

    def _find(self, name: str, language: str) -> StoredTemplate | None:
        for stored in self._templates.values():
            if stored.name == name and stored.language == language:
                return stored
        return None

    def all(self) -> list[StoredTemplate]:
        """Every template, oldest first (copies: changing one changes nothing here)."""
        with self._lock:
            return [attrs.evolve(stored) for stored in self._templates.values()]

    def delete(self, name: str) -> int:
        """Delete every language of `name`; how many were deleted."""
        with self._lock:
            gone = [key for key, stored in self._templates.items() if stored.name == name]
            for key in gone:
                self._bytes -= self._templates.pop(key).size
            return len(gone)

    def clear(self) -> None:
        """Back to the templates the sandbox started with: everything created or added since is gone."""
        with self._lock:
            self._templates.clear()
            self._bytes = 0
        for seed in self._seeds:
            self.create(seed, status="APPROVED", bounded=False)  # the seeds are there whatever the bound

    def __len__(self) -> int:
        return len(self._templates)

    @property
    def kept_bytes(self) -> int:
        return self._bytes

    def refusal(self, body: Any) -> dict[str, Any] | None:
        """The Cloud API's error for a template message that does not fit a template here (None: it fits, or
        it is not a template message)."""
        if (
            not isinstance(body, Mapping)
            or body.get("type") != "template"
            or not isinstance(body.get("template"), Mapping)
        ):
            return None
        template = body["template"]
        name = template.get("name")
        language = template.get("language")
        code = language.get("code") if isinstance(language, Mapping) else None
        stored = self.find(str(name), str(code))
        if stored is None or stored.status.upper() != "APPROVED":
            why = "does not exist" if stored is None else f"is {stored.status}, not approved,"
            return cloud_error(
                132001, "Template name does not exist in the translation", f"template name ({name}) {why} in {code}"
            )
        mismatch = parameter_mismatch(stored.shape, template.get("components"))
        if mismatch is not None:
            return cloud_error(132000, "Number of parameters does not match the expected number of params", mismatch)
        return None


def answerable_size(stored: StoredTemplate) -> int:
    """The bytes of the template as every answer gives it (what keeping it costs), rendered as Starlette's
    JSONResponse renders it; TemplateRefused when it cannot be, so nothing kept can fail a listing later."""
    try:
        rendered = json.dumps(stored.to_dict(), ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return len(rendered.encode("utf-8"))
    except (TypeError, ValueError, RecursionError) as exc:  # UnicodeEncodeError is a ValueError
        reason = utf8_escaped(str(exc))
        raise TemplateRefused(f"the template cannot be answered as JSON ({reason}): not kept") from None


def parameter_mismatch(shape: TemplateShape, components: Any) -> str | None:
    """Where a message's parameter counts differ from its template's, in upstream's words; None if they fit."""
    given: dict[str, int] = {}
    buttons: dict[int, int] = {}
    for component in components if isinstance(components, list) else ():
        if not isinstance(component, Mapping):
            continue
        parameters = component.get("parameters")
        count = len(parameters) if isinstance(parameters, list) else 0
        kind = str(component.get("type", "")).lower()
        if kind in ("header", "body"):
            given[kind] = count
        elif kind == "button":
            index = read_int(component.get("index"), max_digits=2)
            slot = next((slot for slot in shape.buttons if slot.index == index), None)
            if slot is None:
                return f"button at index {component.get('index')}: the template has no such button"
            if not slot.minimum <= count <= slot.maximum:
                return (
                    f"button at index {index}: number of params ({count}) does not match the expected number of "
                    f"params ({slot.maximum}) of its {slot.type} button"
                )
            buttons[slot.index] = count
    for part, expected in (("header", shape.header), ("body", shape.body)):
        if given.get(part, 0) != expected:
            return (
                f"{part}: number of localizable_params ({given.get(part, 0)}) does not match the expected number "
                f"of params ({expected})"
            )
    for slot in shape.buttons:
        if slot.minimum and slot.index not in buttons:
            return (
                f"button at index {slot.index}: number of params (0) does not match the expected number of "
                f"params ({slot.minimum}) of its {slot.type} button"
            )
    return None


def cloud_error(code: int, title: str, details: str) -> dict[str, Any]:
    """A Cloud API error body, as upstream sends a template message's refusal (with 400)."""
    return {"error": {
        "message": f"(#{code}) {title}", "type": "OAuthException", "code": code,
        "error_data": {"messaging_product": "whatsapp", "details": details},
        "fbtrace_id": f"Sandbox{uuid.uuid4().hex[:12]}",
    }}  # fmt: skip


def status_update(template: StoredTemplate) -> dict[str, Any]:
    """The webhook of a review's outcome: Meta's `message_template_status_update` change, in the usual
    envelope, built as `d360.webhooks.payloads` builds it for tests."""
    return payloads.template_status_update(
        template.name,
        template.status,
        language=template.language,
        template_id=int(template.id),
        reason=template.rejected_reason,
        category=template.category,
    )


class TemplateEndpoints:
    """GET and POST /v1/configs/templates, DELETE /v1/configs/templates/{name}, GET /message_template_library.

    Given what it needs of the sandbox (its key check, its body reader, its webhook sender), so that this
    module imports nothing of the sandbox's own.
    """

    def __init__(
        self,
        store: TemplateStore,
        webhooks: WebhookSender,
        authorized: Callable[[Request], Response | None],
        read_body: Callable[[Request], Awaitable[bytes | Response]],
    ) -> None:
        self.store = store
        self.webhooks = webhooks
        self._authorized = authorized
        self._read_body = read_body
        # One task reviews every template when it is due (not a timer per template: a template created and
        # deleted a million times would leave a million timers). Started by the first creation.
        self._reviewer: asyncio.Task[None] | None = None
        self._created: asyncio.Event | None = None

    def routes(self) -> list[Route]:
        from starlette.routing import Route

        return [
            Route(TEMPLATES_PATH, self.templates, methods=["GET", "POST"]),
            Route(TEMPLATES_PATH + "/{template_name}", self.template, methods=["DELETE"]),
            Route(LIBRARY_PATH, self.library, methods=["GET"]),
        ]

    async def templates(self, request: Request) -> Response:
        """GET lists (limit, offset, filters, sort); POST creates a template, PENDING until reviewed."""
        from starlette.responses import JSONResponse

        refused = self._authorized(request)
        if refused is not None:
            return refused
        if request.method == "GET":
            answer = listing(self.store, request.query_params)
            return JSONResponse(answer, 400 if "error" in answer else 200)
        raw = await self._read_body(request)
        if not isinstance(raw, bytes):
            return raw
        try:
            definition = json.loads(raw)
        except (ValueError, RecursionError):
            return JSONResponse({"error": "the body must be JSON: a template definition"}, 400)
        try:
            created = self.store.create(definition)
        except ValidationError as exc:
            return JSONResponse({"error": str(exc)}, 400)
        except TemplateRefused as exc:
            return JSONResponse({"error": exc.message}, exc.status_code)
        self._wake_the_reviewer()
        return JSONResponse(created.to_dict())

    def _wake_the_reviewer(self) -> None:
        loop = asyncio.get_running_loop()
        if self._reviewer is None or self._reviewer.done() or self._reviewer.get_loop() is not loop:
            self._created = asyncio.Event()
            self._reviewer = loop.create_task(self._review_when_due(self._created))
        assert self._created is not None
        self._created.set()

    async def _review_when_due(self, created: asyncio.Event) -> None:
        while True:
            created.clear()
            try:
                for reviewed in self.store.review_due(time.monotonic()):
                    self.webhooks.deliver(status_update(reviewed))
            except Exception:  # a failed review must not go unseen, nor stop the reviews to come
                logger.exception("sandbox template review failed")
            due = self.store.next_review()
            wait = None if due is None else max(0.0, due - time.monotonic())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(created.wait(), wait)

    async def template(self, request: Request) -> Response:
        """DELETE /v1/configs/templates/{name}: every language of it."""
        from starlette.responses import JSONResponse

        refused = self._authorized(request)
        if refused is not None:
            return refused
        name = request.path_params["template_name"]
        if not self.store.delete(name):
            return JSONResponse({"error": f"no template named {name!r}"}, 404)
        return JSONResponse({"success": True})

    async def library(self, request: Request) -> Response:
        """GET /message_template_library: search, topic, usecase, industry, language, name; limit and after."""
        from starlette.responses import JSONResponse

        refused = self._authorized(request)
        if refused is not None:
            return refused
        answer = library_page(request.query_params, str(request.url.replace(query="")))
        return JSONResponse(answer, 400 if "error" in answer else 200)


def listing(store: TemplateStore, query: Mapping[str, str]) -> dict[str, Any]:
    """The answer to GET /v1/configs/templates: 360dialog's envelope around one page of the matches."""
    # A limit of 0 answers no templates (and the total); one past MAX_PAGE is held to it, as upstream caps pages.
    # Any whole number is taken, as the spec says (an offset past the end answers an empty page).
    limit = read_int(query.get("limit", str(MAX_PAGE)), max_digits=QUERY_DIGITS)
    offset = read_int(query.get("offset", "0"), max_digits=QUERY_DIGITS)
    if limit is None or offset is None:
        return {"error": "limit and offset must be whole numbers, 0 or more"}
    limit = min(limit, MAX_PAGE)
    try:
        filters = json.loads(query.get("filters", "{}"))
    except (ValueError, RecursionError):
        filters = None
    if not isinstance(filters, dict) or not all(isinstance(value, str) for value in filters.values()):
        return {"error": 'filters must be a JSON object of strings, such as {"status": "approved"}'}
    if not utf8_encodable(json.dumps(filters, ensure_ascii=False)):
        # The answer echoes the filters: one it cannot write would be a 500.
        return {"error": "filters must be text UTF-8 can carry, not a lone surrogate (half of an emoji, say)"}
    unknown = sorted(set(filters) - set(FILTER_KEYS))
    if unknown:
        return {"error": f"filters may hold {', '.join(FILTER_KEYS)}, not {', '.join(unknown)}"}
    sort = query.get("sort", "id")
    key = sort.removeprefix("-")
    if key not in FILTER_KEYS:
        return {"error": f"sort by one of {', '.join(FILTER_KEYS)} (a leading - reverses it), not {sort!r}"}
    wanted = {("name" if name == NAME_FILTER else name): value for name, value in filters.items()}
    if wanted.pop("partner_id", PARTNER_ID) != PARTNER_ID:
        wanted["id"] = ""  # another partner's templates: none of these
    matches = [stored for stored in store.all() if _matches(stored, wanted)]
    field = {NAME_FILTER: "name", "partner_id": "id"}.get(key, key)
    matches.sort(key=lambda stored: ("" if field == "id" else str(getattr(stored, field)), int(stored.id)),
                 reverse=sort.startswith("-"))  # fmt: skip
    page = matches[offset : offset + limit]
    return {
        "count": len(page),
        "filters": filters,
        "limit": limit,
        "offset": offset,
        "sort": [sort],
        "total": len(matches),
        "waba_templates": [stored.to_dict() for stored in page],
    }


def _matches(stored: StoredTemplate, wanted: Mapping[str, str]) -> bool:
    for field, value in wanted.items():
        have = str(getattr(stored, field))
        # Statuses and categories compare in any case: 360dialog's examples filter on "approved".
        if (have.upper() != value.upper()) if field in ("status", "category") else (have != value):
            return False
    return True


def library_page(query: Mapping[str, str], url: str) -> dict[str, Any]:
    """The answer to GET /message_template_library: Meta's `data` and `paging` (cursors and `next`)."""
    limit = read_int(query.get("limit", str(LIBRARY_PAGE)), max_digits=QUERY_DIGITS)
    if limit is None or limit < 1:
        return {"error": "limit must be a whole number, 1 or more"}
    limit = min(limit, MAX_PAGE)
    # A cursor is opaque: one this sandbox never gave points past every page (an empty answer, as past the
    # end), and an empty one is no cursor.
    after = query.get("after") or None
    start = _cursor_offset(after) if after is not None else 0
    if start is None:
        return {"data": []}
    search = query.get("search", "").lower()
    matches = [
        item
        for item in LIBRARY
        if (not search or search in item["name"].lower() or search in item["body"].lower())
        and all(query.get(field) in (None, item.get(field)) for field in ("topic", "usecase", "language", "name"))
        and query.get("industry") in (None, *item["industry"])
    ]
    page = matches[start : start + limit]
    answer: dict[str, Any] = {"data": copy.deepcopy(page)}
    if page:
        following = _cursor(start + len(page))
        answer["paging"] = {"cursors": {"before": _cursor(start), "after": following}}
        if start + len(page) < len(matches):
            others = [(name, value) for name, value in query.items() if name != "after"]
            answer["paging"]["next"] = f"{url}?{urlencode([*others, ('after', following)])}"
    return answer


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode().rstrip("=")


def _cursor_offset(cursor: str) -> int | None:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    return read_int(text.removeprefix("offset:"), max_digits=9) if text.startswith("offset:") else None


def _library_components(definition: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The components of a template created from the library: the library item's text, its buttons filled
    from `library_template_button_inputs`."""
    name, language = definition.get("library_template_name"), definition.get("language")
    item = next((item for item in LIBRARY if item["name"] == name and item["language"] == language), None)
    if item is None:
        raise TemplateRefused(f"the template library has no {name!r} in {language!r}")
    components: list[dict[str, Any]] = []
    if item.get("header"):
        components.append({"type": "HEADER", "format": "TEXT", "text": item["header"]})
    components.append({"type": "BODY", "text": item["body"], "example": {"body_text": [list(item["body_params"])]}})
    inputs = {
        str(part.get("type", "")).upper(): part for part in definition.get("library_template_button_inputs") or ()
    }
    buttons = []
    for button in item.get("buttons", ()):
        given = inputs.get(button["type"], {})
        made = {"type": button["type"], "text": button["text"]}
        if button["type"] == "URL":
            made["url"] = (given.get("url") or {}).get("base_url", "https://example.com/{{1}}")
        elif button["type"] == "PHONE_NUMBER":
            made["phone_number"] = given.get("phone_number", "+15550000000")
        buttons.append(made)
    if buttons:
        components.append({"type": "BUTTONS", "buttons": buttons})
    return components


def _compile(pattern: str | None) -> re.Pattern[str] | None:
    if pattern is None:
        return None
    if not isinstance(pattern, str) or not pattern:
        raise ConfigurationError(f"template_reject_pattern must be a regular expression, not {pattern!r}")
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ConfigurationError(f"template_reject_pattern is not a regular expression: {exc}") from None


def _is_seconds(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and value == value
        and 0 <= value <= MAX_REVIEW_SECONDS
    )
