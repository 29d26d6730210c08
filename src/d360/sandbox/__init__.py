"""A local stand-in for upstream's `/messages` that enforces the spec, keeps what it accepted, and fails on request.

    with d360.sandbox.running(api_keys=["test-key"]) as sandbox:
        client = d360.Client(api_key="test-key", base_url=sandbox.base_url)
        client.send_text("4915112345678", "Hello")
        assert sandbox.received()[0].body["text"] == {"body": "Hello"}

The app is Starlette served by uvicorn on 127.0.0.1 (the `sandbox` extra). Faults (rate limits, 5xx,
throttling, latency) are off until asked for, so what passes here is what the contract allows. Given a
webhook URL on this machine, it talks back: status webhooks and inbound messages (`sandbox/webhooks.py`).
"""

from __future__ import annotations

import asyncio
import base64
import collections
import json
import math
import random
import re
import secrets
import socket
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import httpx

from d360.errors import ConfigurationError, D360Error
from d360.json_input import LONE_SURROGATE_REASON, lone_surrogates
from d360.media.client import MEDIA_ID_DIGITS
from d360.media.limits import LARGEST, check_upload, media_kind
from d360.messages import with_cloud_api_defaults
from d360.numbers import read_int
from d360.sandbox.automation import AutomationEndpoints, AutomationStore
from d360.sandbox.block_users import BlockList, BlockUserEndpoints
from d360.sandbox.calling import CallingEndpoints, CallingState
from d360.sandbox.encryption import EncryptionEndpoints, EncryptionKey
from d360.sandbox.groups import GroupEndpoints, GroupStore
from d360.sandbox.health import HealthEndpoints, HealthState
from d360.sandbox.marketing import MarketingEndpoints, MarketingState
from d360.sandbox.media import DEFAULT_KEEP as DEFAULT_MEDIA_KEEP
from d360.sandbox.media import DEFAULT_KEEP_BYTES as DEFAULT_MEDIA_KEEP_BYTES
from d360.sandbox.media import DEFAULT_SESSION_TTL, LOOKASIDE, MAX_UPLOAD_BYTES, MediaStore, NoRoom
from d360.sandbox.profile import ProfileEndpoints, ProfileStore
from d360.sandbox.templates import DEFAULT_MAX_TEMPLATES, DEFAULT_REVIEW_SECONDS, TemplateEndpoints, TemplateStore
from d360.sandbox.webhook_destinations import DestinationEndpoints, Destinations
from d360.sandbox.webhooks import (
    DEFAULT_GIVE_UP_AFTER,
    DEFAULT_INITIAL_BACKOFF,
    DEFAULT_MAX_BACKOFF,
    WebhookSender,
    WebhookSettings,
    is_local_url,
)
from d360.validation import is_status_body, message_problems, read_receipt_problems, schema_problems, spec
from d360.webhooks import payloads

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

DEFAULT_API_KEY = "sandbox-key"
DEFAULT_KEEP = 10_000
DEFAULT_KEEP_BYTES = 64 << 20
"""What the kept messages may take in all (their JSON bodies), besides their count: 64 MiB."""
MAX_BODY_BYTES = 1 << 20
"""A request body larger than this is refused (413) before it is read whole; a message is a few KB at most."""
MAX_CONNECTIONS = 1000
"""Open connections beyond this are answered 503 at once."""
IDLE_TIMEOUT = 5.0
"""Seconds a connection may sit without a complete request (or send its body) before it is closed."""
INSPECTION_PATH = "/_sandbox/messages"
INBOUND_PATH = "/_sandbox/inbound"
ATTACHMENTS_PATH = "/whatsapp_business/attachments/"


@attrs.define
class Faults:
    """Failures to inject; each share is a probability from 0 to 1. All off by default."""

    rate_limit: float | None = None
    """Requests per second allowed; beyond that, 429 with `Retry-After`."""
    server_error_rate: float = 0.0
    """Share of messages answered 500 (after which upstream may or may not have delivered)."""
    unavailable_rate: float = 0.0
    """Share answered 503."""
    throttle_rate: float = 0.0
    """Share answered with upstream's throttling error: 400 carrying Meta's code 130429."""
    latency: float = 0.0
    """Seconds added before every answer."""
    delivery_failure_rate: float = 0.0
    """Share of accepted messages whose status webhooks end in `failed` instead of delivered and read."""
    delivery_failure_code: int = 131026
    """The Cloud API error code those failures carry (131026 undeliverable, 131047 re-engagement...)."""
    cut_download_rate: float = 0.0
    """Share of media downloads that stop half way through (the connection closes)."""
    corrupt_download_rate: float = 0.0
    """Share of media downloads with one byte changed (the sha256 no longer matches)."""
    cut_upload_rate: float = 0.0
    """Share of upload-session chunks cut off half way (the first half kept, as upstream keeps it)."""
    seed: int | None = None

    def check(self) -> None:
        """Raise ConfigurationError naming the first setting that cannot work."""
        if self.rate_limit is not None and not (_is_number(self.rate_limit) and self.rate_limit > 0):
            raise ConfigurationError(
                f"rate_limit must be a positive number of requests a second, not {self.rate_limit}"
            )
        for name in ("server_error_rate", "unavailable_rate", "throttle_rate"):
            share = getattr(self, name)
            if not (_is_number(share) and 0 <= share <= 1):
                raise ConfigurationError(f"{name} must be a share from 0 to 1, not {share}")
        if self.server_error_rate + self.unavailable_rate + self.throttle_rate > 1:
            raise ConfigurationError("the fault shares add up to more than 1")
        if not (_is_number(self.latency) and 0 <= self.latency <= 600):
            raise ConfigurationError(f"latency must be from 0 to 600 seconds, not {self.latency}")
        for name in ("cut_download_rate", "corrupt_download_rate", "cut_upload_rate"):
            share = getattr(self, name)
            if not (_is_number(share) and 0 <= share <= 1):
                raise ConfigurationError(f"{name} must be a share from 0 to 1, not {share}")
        if not (_is_number(self.delivery_failure_rate) and 0 <= self.delivery_failure_rate <= 1):
            raise ConfigurationError(
                f"delivery_failure_rate must be a share from 0 to 1, not {self.delivery_failure_rate}"
            )
        code = self.delivery_failure_code
        if not (isinstance(code, int) and not isinstance(code, bool) and 0 < code < 10**7):
            raise ConfigurationError(
                f"delivery_failure_code must be a Cloud API error code such as 131026, not {code!r}"
            )


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


@attrs.frozen
class ReceivedMessage:
    """A message the sandbox accepted, with the id it answered."""

    message_id: str
    body: dict[str, Any]
    received_at: float
    size: int = 0
    """The request body's length in bytes: what keeping it costs, near enough."""

    def to_dict(self) -> dict[str, Any]:
        return {"message_id": self.message_id, "body": self.body, "received_at": self.received_at}


class Sandbox:
    """The app and what it has seen. Safe to read from another thread while it serves."""

    def __init__(
        self,
        api_keys: Sequence[str] = (DEFAULT_API_KEY,),
        *,
        faults: Faults | None = None,
        keep: int = DEFAULT_KEEP,
        keep_bytes: int = DEFAULT_KEEP_BYTES,
        enforce_limits: bool = False,
        webhook_url: str | None = None,
        webhook_secret: str | None = None,
        webhook_duplicate_rate: float = 0.0,
        webhook_initial_backoff: float = DEFAULT_INITIAL_BACKOFF,
        webhook_max_backoff: float = DEFAULT_MAX_BACKOFF,
        webhook_give_up_after: float = DEFAULT_GIVE_UP_AFTER,
        media_keep: int = DEFAULT_MEDIA_KEEP,
        media_keep_bytes: int = DEFAULT_MEDIA_KEEP_BYTES,
        lookaside: str = LOOKASIDE,
        template_check: bool = True,
        template_review_seconds: float = DEFAULT_REVIEW_SECONDS,
        template_reject_pattern: str | None = None,
        max_templates: int = DEFAULT_MAX_TEMPLATES,
        upload_session_ttl: float = DEFAULT_SESSION_TTL,
        strict: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not api_keys or isinstance(api_keys, str) or not all(isinstance(key, str) and key for key in api_keys):
            raise ConfigurationError("the sandbox needs at least one API key, each a non-empty string")
        for name, value in (
            ("keep", keep),
            ("keep_bytes", keep_bytes),
            ("media_keep", media_keep),
            ("media_keep_bytes", media_keep_bytes),
        ):
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ConfigurationError(f"{name} must be a whole number, 0 or more, not {value!r}")
        self.api_keys = frozenset(api_keys)
        self.faults = faults or Faults()
        self.faults.check()
        self._initial_faults = attrs.evolve(self.faults)
        self.enforce_limits = enforce_limits
        """Also refuse what upstream documents but no schema can say (unique button titles, ten rows in all);
        the limits a schema can say (text length, button counts, phone numbers) are always enforced."""
        self.strict = strict
        """Check exactly against the effective spec, as a client with `validate="strict"` does: a `type` value
        it does not list, or a `null` it does not allow, is refused. By default such a message is taken, as
        upstream takes what it knows better than this sandbox, and the rest of it is checked in full."""
        self.keep = keep
        self.keep_bytes = keep_bytes
        self._kept_bytes = 0
        self._received: collections.deque[ReceivedMessage] = collections.deque()
        self._lock = threading.Lock()
        self._request_times: collections.deque[float] = collections.deque()
        # The rate limit's window and upload sessions' lifetime run on this clock (seconds, only ever
        # forward): a test drives it by hand, so what it asserts holds however slow the machine is.
        self._clock = clock
        self._random = random.Random(self.faults.seed)
        self.accepted_count = 0
        """Every message accepted since start, including those no longer kept."""
        self.read_receipts: collections.deque[str] = collections.deque(maxlen=keep)
        self.typing_indicators: collections.deque[str] = collections.deque(maxlen=keep)
        """Ids of the messages whose read receipt asked for a typing indicator."""
        self._initial_webhook_settings = _webhook_settings(
            webhook_url, webhook_secret, webhook_duplicate_rate,
            initial_backoff=webhook_initial_backoff, max_backoff=webhook_max_backoff,
            give_up_after=webhook_give_up_after,
        )  # fmt: skip
        self.webhooks = WebhookSender(self._fresh_webhook_settings(), seed=self.faults.seed)
        """Delivers status webhooks for accepted messages, and inbound messages, to `webhook_url` (or the
        URL set with `client.set_webhook`), retried on the schedule the `webhook_*_backoff` and
        `webhook_give_up_after` settings say; `webhooks.stats` counts what it did."""
        if not (_is_number(upload_session_ttl) and upload_session_ttl > 0):
            raise ConfigurationError(
                f"upload_session_ttl must be a positive number of seconds, not {upload_session_ttl!r}"
            )
        self.media = MediaStore(
            keep=media_keep, keep_bytes=media_keep_bytes, lookaside=lookaside, session_ttl=upload_session_ttl,
            clock=clock,
        )  # fmt: skip
        """Uploaded media and upload sessions, on disk in a folder of their own (removed when the sandbox is
        stopped), bounded together by `media_keep` and `media_keep_bytes`."""
        self.templates = TemplateStore(
            review_seconds=template_review_seconds, reject_pattern=template_reject_pattern, max_templates=max_templates
        )
        """The account's templates: a few approved ones to start with, and those created (reviewed after
        `template_review_seconds`); `templates.clear()` goes back to the first ones."""
        self.template_check = template_check
        """Refuse a template message as upstream does: 132001 for a template that does not exist or is not
        approved in that language, 132000 for other parameter counts. Off for the contract suite, which
        sends template messages of any name: it tests the spec's contract, not an account's templates."""
        self._template_endpoints = TemplateEndpoints(self.templates, self.webhooks, self._authorized, _read_body)
        self.health = HealthState()
        """The number's health (GET /health_status), every entity AVAILABLE to start with; `health.set("WABA",
        "BLOCKED", error_code=141006)` makes every send refused with that error until `health.reset()`."""
        self._health_endpoints = HealthEndpoints(self.health, self._authorized, _read_body)
        self.blocked = BlockList()
        """The number's block list (GET, POST, DELETE /block_users); a message to a user on it is refused."""
        self._block_user_endpoints = BlockUserEndpoints(self.blocked, self._authorized, _read_body)
        self.profile = ProfileStore()
        """The business profile (GET and POST /whatsapp_business_profile); `profile.fields()` reads it."""
        self._profile_endpoints = ProfileEndpoints(self.profile, self._authorized, _read_body)
        self.automation = AutomationStore()
        """The welcome message switch, ice breakers and commands (GET and POST /conversational_automation);
        `automation.fields()` reads them."""
        self._automation_endpoints = AutomationEndpoints(self.automation, self._authorized, _read_body)
        self.calling = CallingState(self.webhooks.deliver, self.webhooks.inbound)
        """Calling settings, each user's call permission and the calls (GET and POST /calling/settings,
        GET /calling/permissions/{user}, POST /calling/calls); the user's side through POST /_sandbox/calls,
        /_sandbox/calls/{call_id} and /_sandbox/call_permissions (`sandbox/calling.py`)."""
        self._calling_endpoints = CallingEndpoints(self.calling, self._authorized, _read_body)
        self.encryption = EncryptionKey()
        """The business public key (GET and POST /whatsapp_business_encryption): `public_key`,
        `signature_status`, and `set_status("MISMATCH")`."""
        self._encryption_endpoints = EncryptionEndpoints(self.encryption, self._authorized)
        self.webhook_destinations = Destinations()
        """The extra webhooks (/multi_webhook): `enabled`, `destinations()`, `max_destinations` (3). Kept only:
        the sandbox delivers to its main webhook URL."""
        self._destination_endpoints = DestinationEndpoints(self.webhook_destinations, self._authorized, _read_body)
        self.marketing = MarketingState()
        """MM Lite (POST /marketing_messages): `message_ids` sent through it, `analytics_enabled`, and the
        `dataset_quality` GET /marketing/dataset_quality answers."""
        self._marketing_endpoints = MarketingEndpoints(
            self.marketing, self.templates, self._authorized, _read_body, self._deliver_marketing,
            template_check=lambda: self.template_check, strict=lambda: self.strict,
        )  # fmt: skip
        self.groups = GroupStore()
        """The number's groups (/groups): `group(id)`, `participants(id)`, `request_to_join(id, number)`,
        `max_participants` (8); a message to a group id of its own form that it does not hold is refused."""
        self._group_endpoints = GroupEndpoints(self.groups, self.webhooks, self._authorized, _read_body)
        self.app = self._build_app()

    def received(self) -> list[ReceivedMessage]:
        """The accepted messages still kept (the newest `keep`), oldest first."""
        with self._lock:
            return list(self._received)

    def clear(self) -> None:
        """Forget the kept messages, read receipts and typing indicators, and start `accepted_count` again."""
        with self._lock:
            self._received.clear()
            self._kept_bytes = 0
            self.read_receipts.clear()
            self.typing_indicators.clear()
            self.accepted_count = 0

    def reset(self) -> None:
        """Everything back to how the sandbox was made: no kept messages, read receipts or typing indicators
        (`accepted_count` 0), the faults it was given (their dice re-seeded, the rate limit's window empty),
        the webhook URL, secret and headers it was given (no pending delivery, stats zeroed), no media or
        upload sessions, only the templates it starts with, a healthy number, an empty block list, the
        first business profile, no conversational automation, no business public key, no extra webhook
        destinations, no MM Lite sends or analytics and no groups. Safe from any thread while it serves;
        `d360_sandbox` calls it around each test.

        Whatever the sandbox comes to hold must be emptied here, so that one call empties it all.
        """
        self.clear()
        with self._lock:
            self._request_times.clear()
        self.faults = attrs.evolve(self._initial_faults)
        self._random = random.Random(self.faults.seed)
        self.webhooks.reset(self._fresh_webhook_settings())
        self.media.clear()
        self.templates.clear()
        self.health.reset()
        self.blocked.clear()
        self.profile.reset()
        self.automation.reset()
        self.calling.reset()
        self.encryption.reset()
        self.webhook_destinations.reset()
        self.marketing.reset()
        self.groups.reset()

    def _fresh_webhook_settings(self) -> WebhookSettings:
        """A copy of the webhook settings the sandbox was made with, for its sender to change at will."""
        made = self._initial_webhook_settings
        return attrs.evolve(made, headers=dict(made.headers))

    @property
    def kept_bytes(self) -> int:
        """The sizes of the kept messages' bodies, added up; never more than `keep_bytes`."""
        return self._kept_bytes

    def _build_app(self) -> Starlette:
        try:
            from starlette.applications import Starlette
            from starlette.routing import Route
        except ImportError:  # pragma: no cover - depends on the install
            raise ConfigurationError(
                "the sandbox needs Starlette and uvicorn: pip install 'd360-messaging[sandbox]'"
            ) from None
        return Starlette(
            routes=[
                Route("/openapi.json", self._openapi, methods=["GET"]),
                Route("/messages", self._messages, methods=["POST"]),
                Route("/v1/configs/webhook", self._webhook_config, methods=["GET", "POST"]),
                Route(INSPECTION_PATH, self._inspect, methods=["GET", "DELETE"]),
                Route(INBOUND_PATH, self._inbound, methods=["POST"]),
                Route("/media", self._upload_media, methods=["POST"]),
                Route("/uploads", self._open_upload_session, methods=["POST"]),
                Route("/upload:{upload_session}", self._upload_session, methods=["GET", "POST"]),
                Route(ATTACHMENTS_PATH, self._download_media, methods=["GET"]),
                *self._health_endpoints.routes(),
                *self._block_user_endpoints.routes(),
                *self._profile_endpoints.routes(),
                *self._automation_endpoints.routes(),
                *self._calling_endpoints.routes(),
                *self._encryption_endpoints.routes(),
                *self._destination_endpoints.routes(),
                *self._marketing_endpoints.routes(),
                *self._group_endpoints.routes(),
                *self._template_endpoints.routes(),  # before /{media_id}, which would take /message_template_library
                Route("/{media_id}", self._media_by_id, methods=["GET", "DELETE"]),
            ]
        )

    async def _openapi(self, request: Request) -> Response:
        from starlette.responses import JSONResponse

        return JSONResponse(spec())

    async def _inspect(self, request: Request) -> Response:
        from starlette.responses import JSONResponse

        if request.method == "DELETE":
            self.clear()
            return JSONResponse({"cleared": True})
        with self._lock:
            kept = [message.to_dict() for message in self._received]
            receipts = list(self.read_receipts)
        return JSONResponse({"accepted_count": self.accepted_count, "messages": kept, "read_receipts": receipts})

    async def _messages(self, request: Request) -> Response:
        from starlette.responses import JSONResponse

        refused = self._authorized(request)
        if refused is not None:
            return refused
        limited = self._rate_limited()
        if limited is not None:
            return limited
        if self.faults.latency:
            await asyncio.sleep(self.faults.latency)
        raw = await _read_body(request)
        if not isinstance(raw, bytes):
            return raw
        try:
            body = json.loads(raw, parse_constant=_not_json)
        except (ValueError, UnicodeDecodeError) as exc:
            return JSONResponse({"error": f"request body is not valid JSON: {exc}"}, 400)
        except RecursionError:
            return JSONResponse({"error": "request body is nested too deeply"}, 400)
        if _ESCAPED_SURROGATE.search(raw):
            # Kept, it would make every look at what arrived (/_sandbox/messages) a 500: UTF-8 cannot carry it.
            found = lone_surrogates(body)
            if found:
                where, character = found[0].path, found[0].character
                return JSONResponse(
                    {"error": f"invalid message: {where}: holds a lone surrogate ({character!a}), "
                              f"{LONE_SURROGATE_REASON}"}, 400,
                )  # fmt: skip
        try:
            if is_status_body(body):
                problems = read_receipt_problems(body)
                if problems:
                    return JSONResponse({"error": f"invalid read receipt: {problems[0]}"}, 400)
                with self._lock:
                    self.read_receipts.append(body["message_id"])
                    if "typing_indicator" in body:
                        self.typing_indicators.append(body["message_id"])
                return JSONResponse({"success": True})
            # The effective spec carries upstream's documented limits, so they are enforced by default;
            # --enforce-limits adds those no schema can say (unique titles, ten rows in all). Read as the
            # client reads it: nulls as absent, template kinds in any case, new type values taken.
            problems = message_problems(body, strict=self.strict, limits=self.enforce_limits)
        except (RecursionError, ValueError):  # jsonschema-rs reports its recursion limit as ValueError
            return JSONResponse({"error": "request body is nested too deeply"}, 400)
        if problems:
            return JSONResponse({"error": f"invalid message: {problems[0]}"}, 400)
        return self._deliver(with_cloud_api_defaults(body), len(raw))

    async def _deliver_marketing(self, body: dict[str, Any], size: int) -> Response:
        """What /messages does with a message it has checked, for an MM Lite send (checked by
        `sandbox/marketing.py`): the same rate limit, latency, refusals, faults, kept message and webhooks."""
        limited = self._rate_limited()
        if limited is not None:
            return limited
        if self.faults.latency:
            await asyncio.sleep(self.faults.latency)
        return self._deliver(body, size)

    def _deliver(self, body: dict[str, Any], size: int) -> Response:
        """A checked message's way on: upstream's refusals (health, a blocked user, a group that is gone, the
        template check), the injected faults, then the message kept, answered and its webhooks sent."""
        from starlette.responses import JSONResponse

        refusal = self.health.refusal() or self.blocked.refusal(body)
        refusal = refusal or self.groups.refusal(body)  # a group of the sandbox's that is gone
        if refusal is None and self.template_check:
            refusal = self.templates.refusal(body)
        if refusal is not None:
            return JSONResponse(refusal, 400)
        injected = self._injected_failure()
        if injected is not None:
            return injected
        answer = self._accept(body, size)
        failed = self.faults.delivery_failure_rate > 0 and self._random.random() < self.faults.delivery_failure_rate
        self.webhooks.statuses_for(
            answer["messages"][0]["id"],
            body,
            answer["contacts"][0].get("wa_id", answer["contacts"][0].get("user_id", "")),
            failure_code=self.faults.delivery_failure_code if failed else None,
        )
        return JSONResponse(answer)

    async def _webhook_config(self, request: Request) -> Response:
        """GET and POST /v1/configs/webhook: the URL (and headers) the sandbox delivers webhooks to."""
        from starlette.responses import JSONResponse

        refused = self._authorized(request)
        if refused is not None:
            return refused
        settings = self.webhooks.settings
        if request.method == "POST":
            raw = await _read_body(request)
            if not isinstance(raw, bytes):
                return raw
            problem = _webhook_config_problem(raw)
            if isinstance(problem, str):
                return JSONResponse({"error": problem}, 400)
            settings.url, settings.headers = problem
        return JSONResponse({"url": settings.url or "", "headers": settings.headers})

    async def _inbound(self, request: Request) -> Response:
        """POST /_sandbox/inbound: a customer sends a message, delivered as an inbound webhook."""
        from starlette.responses import JSONResponse

        raw = await _read_body(request)
        if not isinstance(raw, bytes):
            return raw
        try:
            message = json.loads(raw)
        except (ValueError, RecursionError):
            return JSONResponse({"error": "the body must be a JSON object: a message as a customer sends it"}, 400)
        if not isinstance(message, dict) or not all(
            isinstance(message.get(key), str) and message[key] for key in ("from", "type")
        ):
            return JSONResponse({"error": "an inbound message needs `from` and `type` strings"}, 400)
        name = message.pop("name", None)
        # What the customer's phone would add: an id and the time, unless the caller chose them.
        message = {"id": payloads.new_message_id(), "timestamp": str(int(time.time())), **message}
        if self.webhooks.settings.url is None:
            return JSONResponse(
                {"error": "no webhook URL: start the sandbox with one, or set it with set_webhook"}, 409
            )
        if not self.webhooks.inbound(message, name if isinstance(name, str) else "Sandbox Customer"):
            return JSONResponse({"error": "the webhook queue is full"}, 503)
        return JSONResponse({"message_id": message["id"]})

    def _authorized(self, request: Request) -> Response | None:
        """None for a request with a sandbox key; otherwise the 401 to answer it with."""
        from starlette.responses import JSONResponse

        if request.headers.get("D360-API-KEY") not in self.api_keys:
            return JSONResponse({"error": "Invalid api_key: send a sandbox key in the D360-API-KEY header"}, 401)
        return None

    async def _upload_media(self, request: Request) -> Response:
        """POST /media: a multipart upload, checked like the client checks it, kept on disk."""
        from starlette.responses import JSONResponse

        refused = self._authorized(request)
        if refused is not None:
            return refused
        declared = read_int(request.headers.get("content-length"), max_digits=32)
        if declared is None:
            return JSONResponse({"error": "an upload needs a Content-Length"}, 400)
        if declared > MAX_UPLOAD_BYTES:
            return JSONResponse({"error": f"the upload is larger than {MAX_UPLOAD_BYTES} bytes"}, 413)
        try:
            form = await request.form(max_files=1)
        except Exception as exc:  # Starlette's and python-multipart's parse errors have no common base
            return JSONResponse({"error": f"not a multipart/form-data upload: {exc}"}, 400)
        try:
            upload = form.get("file")
            fields = {name: value for name, value in form.items() if isinstance(value, str)}
            if upload is None or isinstance(upload, str):
                return JSONResponse({"error": "invalid upload: $.file: is required, as a file part"}, 400)
            problems = schema_problems({**fields, "file": "bytes"}, "media.Upload")  # its bytes: check_upload
            if problems:
                return JSONResponse({"error": f"invalid upload: {problems[0]}"}, 400)
            size = upload.size if upload.size is not None else 0
            head = await upload.read(32)
            await upload.seek(0)
            try:
                check_upload(fields["type"], size, upload.filename or "upload", head)
            except D360Error as exc:
                return JSONResponse({"error": str(exc)}, 400)
            try:
                stored = await asyncio.to_thread(self.media.save, upload.file, fields["type"], size)
            except NoRoom as exc:
                return JSONResponse({"error": str(exc)}, 400)
        finally:
            await form.close()
        return JSONResponse({"id": stored.id})

    async def _open_upload_session(self, request: Request) -> Response:
        """POST /uploads?file_name=&file_length=&file_type=: a resumable upload session."""
        from starlette.responses import JSONResponse

        refused = self._authorized(request)
        if refused is not None:
            return refused
        query = request.query_params
        name, kind = query.get("file_name", ""), query.get("file_type", "")
        length = read_int(query.get("file_length"))
        if not name or not kind or length is None:
            return JSONResponse({"error": "file_name, file_length (a whole number) and file_type are required"}, 400)
        # The type and the largest size, as the spec says them; the client checks each kind's own limit first.
        if media_kind(kind) is None or not 0 < length <= LARGEST:
            return JSONResponse(
                {"error": f"file_type must be a supported media type and file_length at most {LARGEST}"}, 400
            )
        try:
            session = self.media.open_session(name, kind, length)
        except NoRoom as exc:
            return JSONResponse({"error": str(exc)}, 400)
        return JSONResponse({"id": f"upload:{session.id}"})

    async def _upload_session(self, request: Request) -> Response:
        """GET /upload:{session} says how far it got; POST sends bytes from `file_offset` on."""
        from starlette.responses import JSONResponse

        refused = self._authorized(request)
        if refused is not None:
            return refused
        session = self.media.session(request.path_params["upload_session"])
        if session is None:
            return JSONResponse({"error": "no such upload session"}, 404)
        if request.method == "GET":
            return JSONResponse({"id": f"upload:{session.id}", "file_offset": session.received})
        offset_text = request.headers.get("file_offset", "0")
        if read_int(offset_text) != session.received:
            return JSONResponse(
                {"error": f"file_offset {offset_text!r} does not match the {session.received} bytes received"}, 400
            )
        self.media.session_offsets.append(session.received)
        declared = read_int(request.headers.get("content-length"))
        cut_after = None
        if self.faults.cut_upload_rate and self._random.random() < self.faults.cut_upload_rate and declared is not None:
            cut_after = declared // 2
        taken = 0
        with session.path.open("ab") as target:
            async for chunk in request.stream():
                if not self.media.touch(session):  # expired (or the sandbox was reset) while this came in
                    return JSONResponse({"error": "no such upload session"}, 404)
                if session.received + len(chunk) > session.length:
                    return JSONResponse({"error": f"more than the session's {session.length} bytes"}, 400)
                if cut_after is not None and taken + len(chunk) >= cut_after:
                    keep = chunk[: cut_after - taken]
                    target.write(keep)
                    session.received += len(keep)
                    raise _CutShort("the sandbox cut this upload short, as its fault settings asked")
                target.write(chunk)
                taken += len(chunk)
                session.received += len(chunk)
        if session.received < session.length:
            return JSONResponse({"error": f"incomplete: {session.received} of {session.length} bytes"}, 400)
        if session.handle is None:
            session.handle = "2:" + base64.b64encode(secrets.token_bytes(24)).decode()
        return JSONResponse({"h": session.handle})

    async def _media_by_id(self, request: Request) -> Response:
        """GET and DELETE /{media_id}: a lookup (the download URL on the lookaside host) or a deletion."""
        from starlette.responses import JSONResponse

        refused = self._authorized(request)
        if refused is not None:
            return refused
        media_id = request.path_params["media_id"]
        if media_id in _FIXED_PATHS:  # a path of another route, asked with a method that route does not take
            return JSONResponse({"error": "Method Not Allowed"}, 405, headers={"Allow": _FIXED_PATHS[media_id]})
        if media_id.startswith("upload:"):  # an upload session takes GET and POST
            return JSONResponse({"error": "Method Not Allowed"}, 405, headers={"Allow": "GET, POST"})
        if read_int(media_id, max_digits=MEDIA_ID_DIGITS) is None:
            return JSONResponse({"error": f"media id must be numeric, not {media_id!r}"}, 400)
        stored = self.media.get(media_id)
        if stored is None:
            return JSONResponse({"error": f"no media with id {media_id}"}, 404)
        if request.method == "DELETE":
            self.media.delete(media_id)
            return JSONResponse({"success": True})
        return JSONResponse(self.media.info(stored))

    async def _download_media(self, request: Request) -> Response:
        """GET /whatsapp_business/attachments/?mid=...: the file, streamed, unless a fault cuts or corrupts it."""
        from starlette.responses import JSONResponse, StreamingResponse

        refused = self._authorized(request)
        if refused is not None:
            return refused
        stored = self.media.get(request.query_params.get("mid", ""))
        if stored is None or request.query_params.get("hash") not in (None, stored.token):
            return JSONResponse({"error": "no such media"}, 404)
        draw = self._random.random() if self.faults.cut_download_rate or self.faults.corrupt_download_rate else 1.0
        cut = draw < self.faults.cut_download_rate
        corrupt = not cut and draw < self.faults.cut_download_rate + self.faults.corrupt_download_rate
        return StreamingResponse(
            _file_chunks(stored.path, stored.size, cut=cut, corrupt=corrupt),
            media_type=stored.mime_type,
            headers={"Content-Length": str(stored.size)},
        )

    def _rate_limited(self) -> Response | None:
        from starlette.responses import JSONResponse

        allowed = self.faults.rate_limit
        if allowed is None:
            return None
        now = self._clock()
        with self._lock:
            while self._request_times and self._request_times[0] <= now - 1.0:
                self._request_times.popleft()
            if len(self._request_times) >= allowed:
                wait = max(1, math.ceil(self._request_times[0] + 1.0 - now))
                return JSONResponse({"error": "Too Many Requests"}, 429, headers={"Retry-After": str(wait)})
            self._request_times.append(now)
        return None

    def _injected_failure(self) -> Response | None:
        from starlette.responses import JSONResponse

        draw = self._random.random()
        faults = self.faults
        if draw < faults.server_error_rate:
            return JSONResponse({"error": "Internal server error (injected by the sandbox)"}, 500)
        draw -= faults.server_error_rate
        if draw < faults.unavailable_rate:
            return JSONResponse({"error": "Service unavailable (injected by the sandbox)"}, 503)
        draw -= faults.unavailable_rate
        if draw < faults.throttle_rate:
            return JSONResponse({"error": {
                "message": "(#130429) Rate limit hit", "type": "OAuthException", "code": 130429,
                "error_data": {"messaging_product": "whatsapp",
                               "details": "Cloud API message throughput has been reached."},
                "fbtrace_id": f"Sandbox{uuid.uuid4().hex[:12]}",
            }}, 400)  # fmt: skip
        return None

    def _accept(self, body: dict[str, Any], size: int) -> dict[str, Any]:
        message_id = "wamid." + base64.urlsafe_b64encode(uuid.uuid4().bytes + b"sandbox").decode().rstrip("=")
        with self._lock:
            self._received.append(ReceivedMessage(message_id=message_id, body=body, received_at=time.time(), size=size))
            self._kept_bytes += size
            # Bounded by count and by bytes: the oldest go first.
            while self._received and (len(self._received) > self.keep or self._kept_bytes > self.keep_bytes):
                self._kept_bytes -= self._received.popleft().size
            self.accepted_count += 1
        to, user_id = body.get("to"), body.get("recipient")
        if not isinstance(to, str) and isinstance(user_id, str):  # a business-scoped user id, answered as such
            contact = {"input": user_id, "user_id": user_id}
        elif not isinstance(to, str):
            # Neither: refused by d360's checks (and here with --enforce-limits), but the spec alone allows it.
            contact = {"input": "", "wa_id": ""}
        else:
            wa_id = "".join(character for character in to if "0" <= character <= "9") or to
            contact = {"input": to, "wa_id": to if body.get("recipient_type") == "group" else wa_id}
        return {
            "messaging_product": "whatsapp",
            "contacts": [contact],
            "messages": [{"id": message_id, "message_status": "accepted"}],
        }


async def _read_body(request: Request) -> bytes | Response:
    """The request body, or the answer that refuses it: too large (413) or too slow in coming (408)."""
    from starlette.responses import JSONResponse

    too_large = JSONResponse({"error": f"request body is larger than {MAX_BODY_BYTES} bytes"}, 413)
    declared = read_int(request.headers.get("content-length"), max_digits=32)
    if declared is not None and declared > MAX_BODY_BYTES:
        return too_large
    parts: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(IDLE_TIMEOUT * 2):
            async for chunk in request.stream():
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    return too_large
                parts.append(chunk)
    except TimeoutError:
        return JSONResponse({"error": "request body took too long to arrive"}, 408)
    return b"".join(parts)


_FIXED_PATHS = {
    "media": "POST",
    "messages": "POST",
    "uploads": "POST",
    "openapi.json": "GET",
    "message_template_library": "GET",
    "health_status": "GET",
    "block_users": "GET, POST, DELETE",
    "whatsapp_business_profile": "GET, POST",
    "conversational_automation": "GET, POST",
    "whatsapp_business_encryption": "GET, POST",
    "multi_webhook": "GET, POST, PUT, PATCH, DELETE",
    "marketing_messages": "POST",
    "groups": "GET, POST",
}
"""The one-segment paths of the other routes, with the methods they take: `/{media_id}` would otherwise take
them for media ids when asked with another method."""


class _CutShort(Exception):
    """Raised inside a download's body to drop the connection half way, as the cut-download fault asks."""


async def _file_chunks(path: Path, size: int, *, cut: bool, corrupt: bool) -> AsyncIterator[bytes]:
    sent = 0
    with path.open("rb") as source:
        while chunk := await asyncio.to_thread(source.read, 1 << 20):
            if corrupt and sent == 0:
                chunk = bytes([chunk[0] ^ 0xFF]) + chunk[1:]
            if cut and sent + len(chunk) > size // 2:
                yield chunk[: size // 2 - sent]
                raise _CutShort("the sandbox cut this download short, as its fault settings asked")
            sent += len(chunk)
            yield chunk


def _webhook_settings(
    url: str | None,
    secret: str | None,
    duplicate_rate: float,
    *,
    initial_backoff: float = DEFAULT_INITIAL_BACKOFF,
    max_backoff: float = DEFAULT_MAX_BACKOFF,
    give_up_after: float = DEFAULT_GIVE_UP_AFTER,
) -> WebhookSettings:
    if url is not None:
        from d360.webhooks.config import webhook_config_body

        try:
            webhook_config_body(url, None, upstream_rules=False)
        except D360Error as exc:
            raise ConfigurationError(f"webhook_url {exc}") from None
        if not is_local_url(url):
            raise ConfigurationError(f"webhook_url must be on this machine (the sandbox never leaves it), not {url!r}")
    if secret is not None and not (isinstance(secret, str) and secret):
        raise ConfigurationError("webhook_secret must be a non-empty string")
    if not (_is_number(duplicate_rate) and 0 <= duplicate_rate <= 1):
        raise ConfigurationError(f"webhook_duplicate_rate must be a share from 0 to 1, not {duplicate_rate}")
    if not (_is_number(initial_backoff) and initial_backoff > 0):
        raise ConfigurationError(f"webhook_initial_backoff must be a positive number of seconds, not {initial_backoff}")
    if not (_is_number(max_backoff) and max_backoff >= initial_backoff):
        raise ConfigurationError(
            f"webhook_max_backoff must be a number of seconds, at least webhook_initial_backoff, not {max_backoff}"
        )
    if not (_is_number(give_up_after) and give_up_after >= 0):
        raise ConfigurationError(f"webhook_give_up_after must be a number of seconds, 0 or more, not {give_up_after}")
    return WebhookSettings(
        url=url, secret=secret, duplicate_rate=duplicate_rate, initial_backoff=initial_backoff,
        max_backoff=max_backoff, give_up_after=give_up_after,
    )  # fmt: skip


def _webhook_config_problem(raw: bytes) -> str | tuple[str, dict[str, str]]:
    """The URL and headers of a POST /v1/configs/webhook body, or the first thing the spec finds wrong."""
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        return 'the body must be JSON: {"url": ..., "headers": {...}}'
    problems = schema_problems(body, "webhook.WebhookConfig")
    if problems:
        return f"invalid webhook configuration: {problems[0]}"
    return body["url"], dict(body.get("headers") or {})


_ESCAPED_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")
"""How a lone surrogate reaches a body: escaped (raw, it is not UTF-8, and the body is refused as such)."""


def _not_json(constant: str) -> Any:
    """`json.loads` takes NaN and Infinity; JSON does not, and no answer could give them back."""
    raise ValueError(f"{constant} is not JSON")


@attrs.define
class RunningSandbox:
    """A sandbox served in a background thread; `base_url` is where to point a client."""

    sandbox: Sandbox
    base_url: str
    _server: Any = attrs.field(repr=False)
    _thread: threading.Thread = attrs.field(repr=False)

    def received(self) -> list[ReceivedMessage]:
        return self.sandbox.received()

    @property
    def api_key(self) -> str:
        """A key the sandbox takes (the first, in sorted order)."""
        return sorted(self.sandbox.api_keys)[0]

    def set_faults(self, faults: Faults | None = None, **changes: Any) -> Faults:
        """Change the injected failures while serving: a new `Faults`, or some of its fields (checked first)."""
        updated = attrs.evolve(faults or self.sandbox.faults, **changes) if changes else (faults or Faults())
        updated.check()
        self.sandbox.faults = updated
        self.sandbox._random = random.Random(updated.seed)
        return updated

    def inbound(
        self, from_: str, type: str, content: Any = None, *, name: str = "Sandbox Customer", **fields: Any
    ) -> str:
        """Make a customer send a message (`inbound("4915...", "text", {"body": "Hi"})`), delivered to the
        webhook URL as upstream would; returns its message id."""
        message = {"from": from_, "type": type, "name": name, **fields}
        if content is not None:
            message[type] = content
        response = httpx.post(self.base_url + INBOUND_PATH, json=message, timeout=10)
        if response.status_code != 200:
            raise ConfigurationError(f"the sandbox refused the inbound message: {response.json().get('error')}")
        return str(response.json()["message_id"])

    def add_template(
        self,
        name: str,
        components: Sequence[Mapping[str, Any]],
        *,
        language: str = "en",
        category: str = "UTILITY",
        **fields: Any,
    ) -> dict[str, Any]:
        """An approved template at once, checked like a created one (one of the same name and language is
        replaced); returns it as the API shows it. `sandbox.templates.clear()` removes it again."""
        definition = {"name": name, "language": language, "category": category, "components": list(components)}
        return self.sandbox.templates.add({**definition, **fields}).to_dict()

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self.sandbox.media.close()


def bind(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    """A listening socket; port 0 picks a free one."""
    if not isinstance(port, int) or isinstance(port, bool) or not 0 <= port <= 65535:
        raise ConfigurationError(f"port must be from 0 to 65535, not {port!r}")
    # proto=IPPROTO_TCP matters: asyncio sets TCP_NODELAY only on sockets that say they are TCP, and
    # without it every answer waits out the client's delayed ACK (40 ms).
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    listener.listen(2048)
    return listener


def server_for(sandbox: Sandbox, *, idle_timeout: float = IDLE_TIMEOUT, max_connections: int = MAX_CONNECTIONS) -> Any:
    """A uvicorn server for the sandbox that a flood of connections cannot wedge: at most `max_connections`
    are served (the rest answered 503), and one without a complete request for `idle_timeout` is closed."""
    try:
        import uvicorn
    except ImportError:  # pragma: no cover - depends on the install
        raise ConfigurationError("the sandbox needs uvicorn: pip install 'd360-messaging[sandbox]'") from None
    from d360.sandbox.connections import guarded_h11_protocol

    config = uvicorn.Config(
        sandbox.app,
        log_level="warning",
        access_log=False,
        lifespan="off",
        http=guarded_h11_protocol(idle_timeout),
        limit_concurrency=max_connections,
        timeout_keep_alive=max(1, int(idle_timeout)),
    )
    return uvicorn.Server(config)


def start(
    sandbox: Sandbox | None = None, *, host: str = "127.0.0.1", port: int = 0, idle_timeout: float = IDLE_TIMEOUT
) -> RunningSandbox:
    """Serve a sandbox in a background thread and return once it accepts connections."""
    sandbox = sandbox or Sandbox()
    listener = bind(host, port)
    server = server_for(sandbox, idle_timeout=idle_timeout)
    # Signals belong to the main thread; a background server must not install handlers.
    server.install_signal_handlers = lambda: None
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True, name="d360-sandbox")
    thread.start()
    # A hang guard (it returns as soon as the server is up): 10 s was short for a machine whose two cores
    # the test suite's parallel workers share.
    deadline = time.monotonic() + 120
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the sandbox server did not start")
        time.sleep(0.005)
    bound_port = listener.getsockname()[1]
    return RunningSandbox(sandbox=sandbox, base_url=f"http://{host}:{bound_port}", server=server, thread=thread)


@contextmanager
def running(
    api_keys: Sequence[str] = (DEFAULT_API_KEY,), *, faults: Faults | None = None, keep: int = DEFAULT_KEEP,
    keep_bytes: int = DEFAULT_KEEP_BYTES, enforce_limits: bool = False, port: int = 0,
    webhook_url: str | None = None, webhook_secret: str | None = None, webhook_duplicate_rate: float = 0.0,
    **options: Any,
) -> Iterator[RunningSandbox]:  # fmt: skip
    """A sandbox served for the length of a `with` block; `options` are Sandbox's others (`media_keep`...)."""
    app = Sandbox(
        api_keys, faults=faults, keep=keep, keep_bytes=keep_bytes, enforce_limits=enforce_limits,
        webhook_url=webhook_url, webhook_secret=webhook_secret, webhook_duplicate_rate=webhook_duplicate_rate,
        **options,
    )  # fmt: skip
    served = start(app, port=port)
    try:
        yield served
    finally:
        served.stop()


def serve_forever(sandbox: Sandbox, *, host: str = "127.0.0.1", port: int = 8360) -> None:
    """Serve in the foreground until Ctrl-C or SIGTERM (uvicorn handles both and shuts down cleanly)."""
    listener = bind(host, port)
    server_for(sandbox).run(sockets=[listener])
