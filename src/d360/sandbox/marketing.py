"""The sandbox's MM Lite: POST /marketing_messages (and its alternative route), dataset quality, template analytics.

A marketing send is answered as /messages answers (a message id, the same checks of health, block list and
template, the same faults and status webhooks), plus `product_policy`: the one the body asked for, or
CLOUD_API_FALLBACK. It refuses what upstream's MM Lite pages say it refuses, in their shape (`{"detail":
{"error": ...}}`): a message that is not a template message (code 100), and a template the sandbox knows
whose category is not MARKETING (131055). Template analytics count the marketing sends of each template
once enabled; dataset quality answers `MarketingState.dataset_quality` for any dataset id.
"""

from __future__ import annotations

import copy
import json
import threading
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

from d360.messages import with_cloud_api_defaults
from d360.resources.marketing import (
    DATASET_QUALITY_PATH,
    DEFAULT_PRODUCT_POLICY,
    MARKETING_MESSAGES_PATH,
    MARKETING_SCHEMA,
    TEMPLATE_ANALYTICS_PATH,
)
from d360.sandbox.templates import TemplateStore, cloud_error
from d360.validation import message_problems, schema_problems

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

ALTERNATIVE_PATH = "/marketing/marketing_messages"
NOT_A_TEMPLATE_CODE = 100
NOT_MARKETING_CODE = 131055
DAY = 86_400
DATASET_QUALITY: dict[str, Any] = {
    "web": [
        {
            "event_name": "Purchase",
            "event_match_quality": {
                "composite_score": 6.4,
                "match_key_feedback": [{"identifier": "phone", "coverage": 92}],
            },
            "event_coverage": {"percentage": 81.5},
            "acr": {"description": "Additional conversions reported", "percentage": 12.5},
            "dedupe_key_feedback": [],
            "data_freshness": {"upload_frequency": "real_time"},
        }
    ]
}
"""What GET /marketing/dataset_quality answers until a test sets another (`MarketingState.dataset_quality`)."""

Deliver = Callable[[dict[str, Any], int], Awaitable["Response"]]
"""The sandbox's own delivery of a checked message (health, block list, templates, faults, webhooks)."""


class MarketingState:
    """What the sandbox's MM Lite keeps. Safe to read from a test's thread while serving."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.message_ids: list[str] = []
        """The ids of the messages accepted through MM Lite, oldest first."""
        self.analytics_enabled = False
        self.dataset_quality: dict[str, Any] = {}
        self._sent: dict[str, int] = {}
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.message_ids = []
            self.analytics_enabled = False
            self.dataset_quality = copy.deepcopy(DATASET_QUALITY)
            self._sent = {}

    def record(self, message_id: str, template_id: str) -> None:
        with self._lock:
            self.message_ids.append(message_id)
            self._sent[template_id] = self._sent.get(template_id, 0) + 1

    def analytics(self) -> dict[str, Any]:
        """Meta's shape of template analytics: one data point per template sent, for today."""
        start = int(time.time()) // DAY * DAY
        with self._lock:
            sent = dict(self._sent) if self.analytics_enabled else {}
        points = [
            {"template_id": template, "start": start, "end": start + DAY, "sent": count, "delivered": count, "read": 0}
            for template, count in sent.items()
        ]
        daily = {"granularity": "DAILY", "product_type": "MARKETING_MESSAGES_LITE_API", "data_points": points}
        return {"data": [daily]}


def mm_lite_error(code: int, title: str, details: str) -> dict[str, Any]:
    """An MM Lite refusal as upstream's Expected Errors page shows it: a Cloud API error under `detail`."""
    return {"detail": cloud_error(code, title, details)}


class MarketingEndpoints:
    """POST /marketing_messages and /marketing/marketing_messages, GET /marketing/dataset_quality, GET and
    POST /marketing/template_analytics."""

    def __init__(
        self,
        state: MarketingState,
        templates: TemplateStore,
        authorized: Callable[[Request], Response | None],
        read_body: Callable[[Request], Awaitable[bytes | Response]],
        deliver: Deliver,
        *,
        template_check: Callable[[], bool],
        strict: Callable[[], bool],
    ) -> None:
        self.state = state
        self._templates = templates
        self._authorized = authorized
        self._read_body = read_body
        self._deliver = deliver
        self._template_check = template_check
        self._strict = strict

    def routes(self) -> list[Route]:
        from starlette.routing import Route

        return [
            Route(MARKETING_MESSAGES_PATH, self.send, methods=["POST"]),
            Route(ALTERNATIVE_PATH, self.send, methods=["POST"]),
            Route(DATASET_QUALITY_PATH, self.quality, methods=["GET"]),
            Route(TEMPLATE_ANALYTICS_PATH, self.analytics, methods=["GET", "POST"]),
        ]

    async def send(self, request: Request) -> Response:
        from starlette.responses import JSONResponse

        refused = self._authorized(request)
        if refused is not None:
            return refused
        raw = await self._read_body(request)
        if not isinstance(raw, bytes):
            return raw
        try:
            body = json.loads(raw)
        except (ValueError, RecursionError):
            return JSONResponse({"error": "request body is not valid JSON"}, 400)
        if not isinstance(body, dict):
            return JSONResponse({"error": "invalid message: $: a message must be a JSON object"}, 400)
        if body.get("type") != "template":
            return JSONResponse(
                mm_lite_error(NOT_A_TEMPLATE_CODE, "Invalid parameter", "Message must be a template message."), 400
            )
        try:
            problems = schema_problems(body, MARKETING_SCHEMA) or message_problems(
                body, strict=self._strict(), limits=False
            )
        except (RecursionError, ValueError):
            return JSONResponse({"error": "request body is nested too deeply"}, 400)
        if problems:
            return JSONResponse({"error": f"invalid message: {problems[0]}"}, 400)
        body = with_cloud_api_defaults(body)
        template = body["template"]
        language = template.get("language")
        stored = self._templates.find(
            str(template.get("name")), str(language.get("code") if isinstance(language, Mapping) else None)
        )
        if self._template_check() and stored is not None and stored.category.upper() != "MARKETING":
            return JSONResponse(
                mm_lite_error(
                    NOT_MARKETING_CODE,
                    "Method not allowed",
                    f"template {stored.name} is a {stored.category} template: MM Lite sends marketing templates only",
                ),
                400,
            )
        answer = await self._deliver(body, len(raw))
        if answer.status_code != 200:
            return answer
        sent = json.loads(bytes(answer.body))
        sent["product_policy"] = body.get("product_policy", DEFAULT_PRODUCT_POLICY)
        self.state.record(sent["messages"][0]["id"], stored.id if stored is not None else str(template.get("name")))
        return JSONResponse(sent)

    async def quality(self, request: Request) -> Response:
        from starlette.responses import JSONResponse

        refused = self._authorized(request)
        if refused is not None:
            return refused
        if not request.query_params.get("dataset_id"):
            return JSONResponse({"error": "dataset_id is required: the dataset (pixel) id"}, 400)
        return JSONResponse(copy.deepcopy(self.state.dataset_quality))

    async def analytics(self, request: Request) -> Response:
        from starlette.responses import JSONResponse

        refused = self._authorized(request)
        if refused is not None:
            return refused
        if request.method == "GET":
            return JSONResponse(self.state.analytics())
        if request.query_params.get("enable") != "true":
            return JSONResponse({"error": "Bad request - enable=true required"}, 400)
        self.state.analytics_enabled = True
        return JSONResponse({"success": True})
