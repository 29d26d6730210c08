"""`Receiver`: verify, de-duplicate, answer at once, then run your handlers, in ASGI or WSGI apps.

    receiver = d360.webhooks.Receiver(secret=os.environ["WEBHOOK_SECRET"])

    @receiver.on_message(type="text")
    def reply(message): ...

    app = Starlette(routes=[Mount("/webhooks", app=receiver.asgi)], lifespan=receiver.lifespan)
    # or FastAPI(lifespan=receiver.lifespan); receiver.wsgi for Flask, Django

Upstream redelivers anything not answered 200 quickly, so the answer never waits for a handler: events
go into a bounded queue and workers run the handlers after the 200. A handler that raises (anything,
SystemExit included) is logged with its event's key and not retried. A full queue answers 503, so
upstream redelivers later. A graceful shutdown handles every event answered 200 before it returns;
one that cannot (a timeout, workers cancelled) logs an ERROR naming each event left.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import logging
import threading
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import attrs

from d360.errors import ConfigurationError, WebhookPayloadError, WebhookVerificationError
from d360.unicode import utf8_encodable, utf8_escaped
from d360.webhooks.answer import Answer, Handler
from d360.webhooks.dedup import Deduplicator, DedupStore
from d360.webhooks.events import (
    AnyEvent,
    CallEvent,
    CallPermissionReply,
    Event,
    GroupEvent,
    IncomingMessage,
    StatusUpdate,
    TemplateCategoryUpdate,
    TemplateQualityUpdate,
    TemplateStatusUpdate,
    UnknownEvent,
    WebhookError,
)
from d360.webhooks.numbers import NumberRegistry, digits, numbers_filter
from d360.webhooks.parse import parse
from d360.webhooks.verify import verify

if TYPE_CHECKING:
    from d360.client import AsyncClient, Client
    from d360.webhooks.asgi import ASGIReceiver
    from d360.webhooks.wsgi import WSGIReceiver

logger = logging.getLogger("d360.webhooks")

DEFAULT_QUEUE_SIZE = 10_000
DEFAULT_WORKERS = 8
MAX_BODY_BYTES = 1 << 20
"""A delivery larger than this is refused with 413; upstream's deliveries are a few KB."""

F = TypeVar("F", bound=Handler)


@attrs.define
class ReceiverStats:
    """Counts since start: what arrived, what was new, what the handlers made of it."""

    deliveries: int = 0
    events: int = 0
    duplicates: int = 0
    handled: int = 0
    handler_errors: int = 0
    refused: int = 0
    """Deliveries answered with anything but 200 (a bad signature, not a webhook, too large, queue full)."""
    unhandled: int = 0
    """Events answered 200 whose handlers never ran (or were cut short): a shutdown's timeout passed, or
    the workers were cancelled. Each is logged at ERROR with its key."""


@attrs.frozen
class _Registration:
    handler: Handler
    kinds: tuple[type[Event], ...]
    match: Callable[[Any], bool]
    is_async: bool


class Receiver:
    """Webhook handling for any framework: `receiver.asgi` and `receiver.wsgi` are ready-made apps.

    `secret`: check the HMAC-SHA256 signature (360dialog's `x-360dialog-signature`, or Meta's
    `X-Hub-Signature-256`). `header`: a required custom header, `(name, value)`, or a mapping of several.
    Without either, every delivery is taken: for local trials only.
    `dedup`: a `Deduplicator` (default: SQLite in ./d360-webhooks.sqlite), any `DedupStore`, or False.
    `path`: answer only there (404 elsewhere); by default any path, as a mounted app should.
    `queue_size`: events waiting for a worker before deliveries are answered 503 (a delivery is taken
    whole whenever the queue is not full, so it may hold one delivery's events more).
    `shutdown_timeout`: seconds a shutdown waits for queued events (default None: until every one is
    handled, so a handler that never returns holds it for ever); what is left when it passes is logged at
    ERROR with each event's key. A plain-function handler stuck in its thread still holds an ASGI
    process's exit: give handlers timeouts of their own.
    `numbers`: a `NumberRegistry` (or `{phone_number_id: api_key}`) for `client_for(event)`; by default
    read from the environment (`NumberRegistry.from_env`) on first use.
    """

    def __init__(
        self,
        *,
        secret: str | bytes | None = None,
        header: tuple[str, str] | Mapping[str, str] | None = None,
        signature_header: str | None = None,
        dedup: Deduplicator | DedupStore | Literal[False] | None = None,
        queue_size: int = DEFAULT_QUEUE_SIZE,
        workers: int = DEFAULT_WORKERS,
        max_body_bytes: int = MAX_BODY_BYTES,
        path: str | None = None,
        shutdown_timeout: float | None = None,
        numbers: NumberRegistry | Mapping[str, str] | None = None,
    ) -> None:
        for name, value in (("queue_size", queue_size), ("workers", workers), ("max_body_bytes", max_body_bytes)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ConfigurationError(f"{name} must be a whole number, 1 or more, not {value!r}")
        if shutdown_timeout is not None and not (
            isinstance(shutdown_timeout, int | float)
            and not isinstance(shutdown_timeout, bool)
            and shutdown_timeout > 0
        ):
            raise ConfigurationError(
                f"shutdown_timeout must be a number of seconds above 0, or None, not {shutdown_timeout!r}"
            )
        if path is not None and not (isinstance(path, str) and path.startswith("/")):
            raise ConfigurationError(f"path must start with '/', not {path!r}")
        self._verify_options: dict[str, Any] = {
            "secret": secret,
            "header": header,
            "signature_header": signature_header,
        }
        self._verifies = secret is not None or header is not None
        if self._verifies:
            _check_verify_options(secret, header)
        else:
            logger.warning("webhook receiver without a secret or a required header: any caller can post events")
        if dedup is False:
            self.dedup: Deduplicator | None = None
        elif dedup is None:
            self.dedup = Deduplicator()
        elif isinstance(dedup, Deduplicator):
            self.dedup = dedup
        else:
            self.dedup = Deduplicator(dedup)
        self.queue_size = queue_size
        self.workers = workers
        self.max_body_bytes = max_body_bytes
        self.path = path
        self.shutdown_timeout: float | None = shutdown_timeout
        self.stats = ReceiverStats()
        self._stats_lock = threading.Lock()
        self._registrations: list[_Registration] = []
        if numbers is not None and not isinstance(numbers, NumberRegistry):
            numbers = NumberRegistry(numbers)
        self._numbers: NumberRegistry | None = numbers
        self._asgi: ASGIReceiver | None = None
        self._wsgi: WSGIReceiver | None = None

    # Registering handlers.

    def on_message(
        self,
        handler: F | None = None,
        /,
        *,
        type: str | Iterable[str] | None = None,
        phone_number_id: str | Iterable[str] | None = None,
        display_phone_number: str | Iterable[str] | None = None,
    ) -> Any:
        """Run the handler for each new inbound message; `type="text"` (or several) runs it only for those.

        `phone_number_id=` (or `display_phone_number=`), one or several: only messages to those of your numbers.
        """
        types = _names("type", type)
        return self._register(
            handler,
            (IncomingMessage,),
            lambda event: types is None or event.type in types,
            _to_numbers(phone_number_id, display_phone_number),
        )

    def on_status(
        self,
        handler: F | None = None,
        /,
        *,
        status: str | Iterable[str] | None = None,
        phone_number_id: str | Iterable[str] | None = None,
        display_phone_number: str | Iterable[str] | None = None,
    ) -> Any:
        """Run the handler for each new status update; `status="failed"` (or several) runs it only for those;
        `phone_number_id=` (or `display_phone_number=`): only for messages sent from those numbers."""
        statuses = _names("status", status)
        return self._register(
            handler,
            (StatusUpdate,),
            lambda event: statuses is None or event.status in statuses,
            _to_numbers(phone_number_id, display_phone_number),
        )

    def on_error(
        self,
        handler: F | None = None,
        /,
        *,
        phone_number_id: str | Iterable[str] | None = None,
        display_phone_number: str | Iterable[str] | None = None,
    ) -> Any:
        """Run the handler for errors upstream reports outside any message (`value.errors`); `phone_number_id=`
        (or `display_phone_number=`): only those of these numbers."""
        return self._register(
            handler, (WebhookError,), lambda event: True, _to_numbers(phone_number_id, display_phone_number)
        )

    def on_group(
        self,
        handler: F | None = None,
        /,
        *,
        phone_number_id: str | Iterable[str] | None = None,
        display_phone_number: str | Iterable[str] | None = None,
    ) -> Any:
        """Run the handler for group events (created, deleted, settings, participants); `phone_number_id=`
        (or `display_phone_number=`): only those of these numbers."""
        return self._register(
            handler, (GroupEvent,), lambda event: True, _to_numbers(phone_number_id, display_phone_number)
        )

    def on_call(self, handler: F | None = None, /, *, event: str | Iterable[str] | None = None) -> Any:
        """Run the handler for call events (`CallEvent`) and users' answers to call permission requests
        (`CallPermissionReply`). `event=` runs it only for those: "connect", "terminate", "status" (every
        status of a business's call), a status itself ("RINGING", "ACCEPTED", "REJECTED"), or
        "permission_reply"."""
        events = _names("event", event)

        def wanted(call: CallEvent | CallPermissionReply) -> bool:
            if events is None:
                return True
            if isinstance(call, CallPermissionReply):
                return "permission_reply" in events
            return call.event in events or (call.event == "status" and call.status in events)

        return self._register(handler, (CallEvent, CallPermissionReply), wanted)

    def on_template_status(self, handler: F | None = None, /, *, event: str | Iterable[str] | None = None) -> Any:
        """Run the handler when a template is reviewed or changes state; `event="APPROVED"` (or several:
        `event=["APPROVED", "REJECTED"]`) runs it only for those. (Template events are per business account:
        they name no phone number, so there is no number filter.)"""
        events = _names("event", event)
        return self._register(handler, (TemplateStatusUpdate,), lambda update: events is None or update.event in events)

    def on_template_quality(self, handler: F) -> F:
        """Run the handler when a template's quality score changes (GREEN, YELLOW, RED, UNKNOWN)."""
        return self._register(handler, (TemplateQualityUpdate,), lambda event: True)  # type: ignore[no-any-return]

    def on_template_category(self, handler: F) -> F:
        """Run the handler when a template's category changes, or Meta announces it will."""
        return self._register(handler, (TemplateCategoryUpdate,), lambda event: True)  # type: ignore[no-any-return]

    def on_unknown(
        self,
        handler: F | None = None,
        /,
        *,
        phone_number_id: str | Iterable[str] | None = None,
        display_phone_number: str | Iterable[str] | None = None,
    ) -> Any:
        """Run the handler for whatever d360 does not know yet (new fields and shapes), with its raw dict;
        `phone_number_id=` (or `display_phone_number=`): only those to these numbers."""
        return self._register(
            handler, (UnknownEvent,), lambda event: True, _to_numbers(phone_number_id, display_phone_number)
        )

    def on_event(
        self,
        handler: F | None = None,
        /,
        *,
        phone_number_id: str | Iterable[str] | None = None,
        display_phone_number: str | Iterable[str] | None = None,
    ) -> Any:
        """Run the handler for every new event of any kind; `phone_number_id=` (or `display_phone_number=`):
        only events of these numbers (template events, which name none, then never)."""
        return self._register(handler, (Event,), lambda event: True, _to_numbers(phone_number_id, display_phone_number))

    def _register(
        self,
        handler: F | None,
        kinds: tuple[type[Event], ...],
        match: Callable[[Any], bool],
        to_numbers: Callable[[Any], bool] | None = None,
    ) -> Any:
        if to_numbers is not None:
            match = _both(match, to_numbers)

        def decorate(function: F) -> F:
            if not callable(function):
                raise ConfigurationError(f"a handler must be callable, not {function!r}")
            self._registrations.append(_Registration(function, kinds, match, inspect.iscoroutinefunction(function)))
            return function

        return decorate if handler is None else decorate(handler)

    def handlers_for(self, event: AnyEvent) -> list[tuple[Handler, bool]]:
        """The handlers an event goes to, in registration order, each with whether it must be awaited."""
        return [
            (registration.handler, registration.is_async)
            for registration in self._registrations
            if isinstance(event, registration.kinds) and registration.match(event)
        ]

    # Answering from the number that received an event.

    @property
    def numbers(self) -> NumberRegistry:
        """Your numbers and their API keys: the registry given, or else the environment's (read once)."""
        if self._numbers is None:
            with self._stats_lock:
                if self._numbers is None:
                    self._numbers = NumberRegistry.from_env()
        return self._numbers

    def client_for(self, event: Event | str) -> Client:
        """The client answering from the number `event` came to (made once per number, closed with the
        receiver); `UnknownNumberError` naming the number when it has no API key."""
        return self.numbers.client_for(event)

    def async_client_for(self, event: Event | str) -> AsyncClient:
        """The asyncio twin of `client_for`, for the running event loop (closed with an ASGI receiver)."""
        return self.numbers.async_client_for(event)

    def close_clients(self) -> None:
        """Close the clients `client_for` made (the WSGI app does at its close)."""
        if self._numbers is not None:
            self._numbers.close()

    async def aclose_clients(self) -> None:
        """Close the clients `client_for` and `async_client_for` made (the ASGI app does at its shutdown)."""
        if self._numbers is not None:
            await self._numbers.aclose()

    # Taking a delivery: the same for every adapter.

    def accept(self, body: bytes, headers: Any, *, method: str = "POST", path: str | None = None) -> Answer:
        """Check and de-duplicate one delivery; the answer to give, and the new events to handle.

        The adapters call this, then queue `answer.events`; call it yourself to build your own endpoint.
        """
        if self.path is not None and path is not None and path.rstrip("/") != self.path.rstrip("/"):
            return self._refuse(404, "no webhook receiver at this path")
        if method != "POST":
            return self._refuse(405, "webhooks are POSTed", headers=(("Allow", "POST"),))
        if len(body) > self.max_body_bytes:
            return self._refuse(413, f"the body is larger than {self.max_body_bytes} bytes")
        if self._verifies:
            try:
                verify(body, headers, **self._verify_options)
            except WebhookVerificationError as exc:
                logger.warning("webhook refused: %s", exc.reason)
                return self._refuse(401, exc.reason)
        try:
            events = parse(body)
        except WebhookPayloadError as exc:
            logger.warning("webhook refused: %s", exc)
            return self._refuse(400, str(exc))
        fresh = self.dedup.fresh(events) if self.dedup is not None else events
        with self._stats_lock:
            self.stats.deliveries += 1
            self.stats.events += len(events)
            self.stats.duplicates += len(events) - len(fresh)
        return Answer(200, b'{"received":%d,"new":%d}' % (len(events), len(fresh)), tuple(fresh))

    def release(self, events: Iterable[AnyEvent]) -> None:
        """Forget accepted events that could not be queued, so that upstream's redelivery is handled."""
        if self.dedup is not None:
            self.dedup.forget(events)

    def queue_full(self) -> Answer:
        """The answer when the handler queue has no room: 503, so upstream redelivers later."""
        self._count(refused=1)
        return Answer(
            503, _json_body(error="busy: the handler queue is full; redeliver later"), (), (("Retry-After", "5"),)
        )

    def _refuse(self, status: int, reason: str, headers: tuple[tuple[str, str], ...] = ()) -> Answer:
        self._count(deliveries=1, refused=1)
        return Answer(status, _json_body(error=reason), (), headers)

    def _count(self, **changes: int) -> None:
        with self._stats_lock:
            for name, amount in changes.items():
                setattr(self.stats, name, getattr(self.stats, name) + amount)

    def handled(self, event: AnyEvent, handler: Handler, error: BaseException | None) -> None:
        """Record one handler run; a failure is logged with the event's key, and never retried."""
        if error is None:
            with self._stats_lock:
                self.stats.handled += 1
            return
        self._count(handler_errors=1)
        name = getattr(handler, "__qualname__", None) or type(handler).__name__
        exc_info: Any = (type(error), error, error.__traceback__)
        described = _described(error)
        trace = ""
        if not utf8_encodable(described):
            # A message holding a lone surrogate (from the event's own text) would make every log handler
            # writing UTF-8 fail on this record: the traceback goes into the message, escaped, instead.
            described = utf8_escaped(described)
            trace = "\n" + utf8_escaped("".join(traceback.format_exception(error)).rstrip())
            exc_info = None
        logger.error(
            "webhook handler %s failed on %s %s: %s: %s%s",
            utf8_escaped(str(name)),
            type(event).__name__,
            event.dedup_key,
            type(error).__name__,
            described,
            trace,
            exc_info=exc_info,
        )

    def unhandled(self, events: Sequence[AnyEvent], why: str) -> None:
        """Events answered 200 that will not be handled: never silent, each named by its key (ERROR)."""
        if not events:
            return
        self._count(unhandled=len(events))
        logger.error(
            "webhook receiver: %d events answered 200 were not handled, or not to the end (%s); upstream will "
            "not redeliver them. Their keys: %s",
            len(events),
            why,
            " ".join(event.dedup_key for event in events),
        )

    # The apps.

    def lifespan(self, app: Any = None) -> contextlib.AbstractAsyncContextManager[None]:
        """For Starlette's and FastAPI's `lifespan=`: at shutdown, every queued event is handled first.

            app = Starlette(routes=[Mount("/webhooks", app=receiver.asgi)], lifespan=receiver.lifespan)

        A mounted app never gets the server's lifespan events itself, so without this a shutdown loses what
        is queued (and says so, at ERROR). Inside a lifespan of your own: `async with receiver.lifespan(app):`.
        Served alone (`uvicorn.run(receiver.asgi)`), the app takes the lifespan events itself.
        """
        return self.asgi.running()

    @property
    def asgi(self) -> ASGIReceiver:
        """An ASGI app (Starlette, FastAPI, uvicorn, hypercorn): mount it where upstream posts."""
        if self._asgi is None:
            from d360.webhooks.asgi import ASGIReceiver

            self._asgi = ASGIReceiver(self)
        return self._asgi

    @property
    def wsgi(self) -> WSGIReceiver:
        """A WSGI app (Flask, Django, gunicorn, any WSGI server); handlers run in worker threads."""
        if self._wsgi is None:
            from d360.webhooks.wsgi import WSGIReceiver

            self._wsgi = WSGIReceiver(self)
        return self._wsgi


def _check_verify_options(secret: Any, header: Any) -> None:
    """Refuse settings `verify` could never pass, now rather than on the first delivery."""
    # An empty delivery fails the check, as it should; a ConfigurationError is what this is looking for.
    with contextlib.suppress(WebhookVerificationError):
        verify(b"", {}, secret=secret, header=header)


def _names(what: str, value: str | Iterable[str] | None) -> frozenset[str] | None:
    if value is None:
        return None
    names = frozenset([value] if isinstance(value, str) else value)
    if not names or not all(isinstance(name, str) and name for name in names):
        raise ConfigurationError(f"{what} filters are non-empty strings")
    return names


def _to_numbers(
    phone_number_id: str | Iterable[str] | None, display_phone_number: str | Iterable[str] | None
) -> Callable[[Any], bool] | None:
    """A handler's number filter: the event came to one of these phone_number_ids or display numbers."""
    ids = numbers_filter("phone_number_id", phone_number_id)
    shown = numbers_filter("display_phone_number", display_phone_number, display=True)
    if ids is None and shown is None:
        return None

    def to_numbers(event: Any) -> bool:
        if ids is not None and event.phone_number_id in ids:
            return True
        return (
            shown is not None and event.display_phone_number is not None and digits(event.display_phone_number) in shown
        )

    return to_numbers


def _both(first: Callable[[Any], bool], second: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda event: first(event) and second(event)


def _json_body(**fields: Any) -> bytes:
    return json.dumps(fields, separators=(",", ":")).encode()


def _described(error: BaseException) -> str:
    try:
        return str(error)
    except Exception:  # a handler's own exception class whose __str__ fails
        return f"<{type(error).__name__} that cannot be shown>"
