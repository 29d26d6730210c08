"""`d360 webhook listen`: a local receiver that prints each event as it arrives, for trying things out.

Served as the sandbox is: stalled connections are closed and too many are answered 503, so a flood of
them cannot keep a real delivery out. Whatever an event holds is printed safely (control characters and
lone surrogates as escapes). It stops within a bounded time whatever its reader does: lines are written
by a thread of their own (`LineWriter`), each step of a stop is given `--shutdown-timeout`, and a second
Ctrl-C leaves at once.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import signal
import sys
from collections.abc import Iterator
from datetime import datetime
from types import FrameType
from typing import TYPE_CHECKING, Any

import attrs

from d360.cli.common import EXIT_INTERRUPTED, EXIT_OK, Commands, UsageError
from d360.cli.line_writer import LineWriter
from d360.cli.sandbox import _port
from d360.errors import ConfigurationError
from d360.spec.text import terminal_safe, terminal_safe_json

if TYPE_CHECKING:  # imported when a webhook command runs: the others start without the event classes
    from d360.webhooks import (
        AnyEvent,
        IncomingMessage,
        TemplateCategoryUpdate,
        TemplateQualityUpdate,
        TemplateStatusUpdate,
    )

SECRET_ENVIRONMENT = "D360_WEBHOOK_SECRET"
DEFAULT_SHUTDOWN_TIMEOUT = 10.0
STALLED_READER = 2.0
"""At a stop, seconds without a line taken after which standard output's reader is given up on."""


def add_webhook_commands(commands: Commands) -> None:
    webhook = commands.add_parser("webhook", help="receive webhooks", description="Receive webhooks.")
    actions = webhook.add_subparsers(dest="webhook_command", required=True, metavar="ACTION")
    listen = actions.add_parser(
        "listen",
        help="print each webhook event as it arrives",
        description="Serve a webhook receiver on this machine and print each event as it arrives (one line, "
        "or JSON lines with --json), de-duplicated. Point `d360 sandbox --webhook-url` or a tunnel at it. "
        "Stops cleanly on Ctrl-C or SIGTERM.",
    )
    listen.add_argument("--port", type=_port, required=True, help="port to listen on (0 picks one)")
    listen.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    listen.add_argument("--path", default="/", help="the path webhooks are POSTed to (default /)")
    listen.add_argument(
        "--secret",
        help=f"check each delivery's HMAC-SHA256 signature with this secret (default: ${SECRET_ENVIRONMENT}); "
        "an empty one is refused",
    )
    listen.add_argument(
        "--header",
        action="append",
        default=[],
        metavar="NAME:VALUE",
        help="a header every delivery must carry (repeatable), as set with set_webhook(headers=...)",
    )
    listen.add_argument("--json", action="store_true", help="print JSON lines (the typed event and its raw dict)")
    listen.add_argument(
        "--shutdown-timeout",
        type=_seconds,
        default=DEFAULT_SHUTDOWN_TIMEOUT,
        metavar="SECONDS",
        help="at a stop, how long each step may wait: requests in progress, queued events, lines not yet "
        f"printed (default {DEFAULT_SHUTDOWN_TIMEOUT:g}); a second Ctrl-C leaves at once",
    )
    listen.add_argument(
        "--journal",
        metavar="PATH|URL",
        help="record each status in this d360 bulk journal: every line learns its fate, and lines a crash left "
        "unknown become accepted (works while the run is going); a postgresql:// URL records the statuses of "
        "every campaign in that database, and any number of listeners may",
    )
    listen.add_argument(
        "--store",
        metavar="PATH|URL",
        help="keep events here before answering, so a restart or another listener on the same store does not "
        "print them again: a SQLite file or a postgresql:// URL (?schema=) is a durable inbox (with several "
        "listeners, each event printed by one of them); redis://host:6379/0 (?prefix=) de-duplicates only; "
        "default: de-duplication in memory, forgotten at exit",
    )
    listen.set_defaults(handler=run_listen)
    dead = actions.add_parser(
        "dead-letters",
        help="list the events whose handlers kept failing; --retry replays them",
        description="List the inbox's dead letters: events whose handlers failed every attempt, with the last "
        "error (JSON lines with --json). --retry puts them back, attempts reset: the next receiver running on "
        "the store handles them.",
    )
    dead.add_argument(
        "--store",
        metavar="PATH|URL",
        default="d360-webhooks.sqlite",
        help="the receiver's inbox: a SQLite file or a postgresql:// URL (default ./d360-webhooks.sqlite)",
    )
    dead.add_argument("--retry", action="store_true", help="replay them: put every dead letter back to be handled")
    dead.add_argument("--json", action="store_true", help="one JSON object a line")
    dead.set_defaults(handler=run_dead_letters)


def run_dead_letters(arguments: argparse.Namespace) -> int:
    from d360.bulk.journals import is_postgres_url
    from d360.webhooks.inbox import open_inbox

    location = arguments.store
    if not is_postgres_url(location) and not os.path.exists(location):
        # Opening it would make an empty inbox: a mistyped path should say so instead.
        raise UsageError(f"no webhook inbox at {location}")
    try:
        store = open_inbox(location)
    except ConfigurationError as exc:
        raise UsageError(str(exc)) from None
    try:
        letters = store.dead_letters()
        if arguments.retry:
            replayed = store.retry_dead([letter.dedup_key for letter in letters])
            print(f"{replayed} dead letter{'s' if replayed != 1 else ''} put back: handled when a receiver runs")
            return EXIT_OK
        if not letters and not arguments.json:
            print("no dead letters")
        for letter in letters:
            try:
                event: Any = letter.event()
                kind = type(event).__name__
            except Exception:  # a row this version cannot read: listed still
                event, kind = None, "unreadable"
            if arguments.json:
                print(json.dumps({"dedup_key": letter.dedup_key, "event": kind, "attempts": letter.attempts,
                                  "error": letter.error, "arrived_at": letter.arrived_at}))  # fmt: skip
            else:
                what = describe(event) if event is not None else kind
                print(terminal_safe(f"{letter.dedup_key}  {letter.attempts} attempts  {letter.error}"))
                print("  " + terminal_safe(what))
    finally:
        store.close()
    return EXIT_OK


def run_listen(arguments: argparse.Namespace) -> int:
    try:
        from d360 import sandbox
    except ConfigurationError as exc:  # pragma: no cover - depends on the install
        raise UsageError(str(exc)) from None
    try:
        import uvicorn
    except ImportError:  # pragma: no cover - depends on the install
        raise UsageError("d360 webhook listen needs uvicorn: pip install 'd360-messaging[sandbox]'") from None
    if not arguments.path.startswith("/"):
        raise UsageError(f"--path must start with '/', not {arguments.path!r}")
    secret = arguments.secret if arguments.secret is not None else os.environ.get(SECRET_ENVIRONMENT)
    if secret == "":
        # As Receiver(secret="") does: an empty secret would mean every delivery is taken unchecked.
        where = "--secret" if arguments.secret is not None else f"${SECRET_ENVIRONMENT}"
        raise UsageError(
            f"{where} is empty: give the webhook secret, or leave it unset to take deliveries without a signature check"
        )
    required = {}
    for pair in arguments.header:
        name, colon, value = pair.partition(":")
        if not colon or not name.strip() or not value.strip():
            raise UsageError(f"--header takes NAME:VALUE, not {pair!r}")
        required[name.strip()] = value.strip()
    from d360.webhooks import Deduplicator, Receiver
    from d360.webhooks.store_settings import is_redis_url

    # Lines go to standard output through a thread of their own: a reader that stops reading can no longer
    # hold up a handler, and through it the stop (the receiver drains its queue, and asyncio waits for
    # the handlers' threads, at exit). Notes for a person go to stderr the same way.
    output, notes = LineWriter(sys.stdout), LineWriter(sys.stderr)
    printer = _Printer(output, notes, as_json=arguments.json)
    # One worker: events print in the order they arrived. The stop waits for the queue a bounded time;
    # what it leaves is logged at ERROR, each event named.
    common: dict[str, Any] = {
        "secret": secret,
        "header": required or None,
        "workers": 1,
        "path": arguments.path,
        "shutdown_timeout": arguments.shutdown_timeout,
    }
    try:
        if not arguments.store:
            receiver = Receiver(**common, dedup=Deduplicator.in_memory())
        elif is_redis_url(arguments.store):  # Redis keeps seen keys only: it cannot hold the inbox
            receiver = Receiver(**common, dedup=Deduplicator(arguments.store))
        else:
            receiver = Receiver(**common, store=arguments.store)
    except ConfigurationError as exc:
        raise UsageError(f"--store: {exc}") from None
    receiver.on_event(printer)
    sink = None
    if arguments.journal:
        from d360.bulk.journal import JournalError
        from d360.webhooks import JournalSink

        try:
            sink = JournalSink(arguments.journal)
        except JournalError as exc:
            raise UsageError(str(exc)) from None
        receiver.on_status(sink)
    try:
        listener = sandbox.bind(arguments.host, arguments.port)
    except OSError as exc:
        raise UsageError(f"cannot listen on {arguments.host}:{arguments.port}: {exc.strerror or exc}") from None
    url = f"http://{arguments.host}:{listener.getsockname()[1]}{arguments.path}"
    checks = [name for name, on in (("signature", secret is not None), ("headers", bool(required))) if on]
    print(
        f"d360 webhook listen: receiving at {url} ({'checking ' + ' and '.join(checks) if checks else 'no checks'}; "
        "Ctrl-C to stop)",
        file=sys.stderr,
        flush=True,
    )
    from d360.sandbox.connections import guarded_h11_protocol

    # The sandbox's guards: a connection without a complete request within the idle timeout is closed, and
    # beyond MAX_CONNECTIONS new requests are answered 503 (upstream redelivers), so stalled connections
    # cannot wedge the listener. The lifespan drains the queue at Ctrl-C: every event answered is handled
    # (and printed, when standard output takes it). Requests still in progress at a stop get the same
    # bound as the queue: uvicorn would otherwise wait for ever for a body that never ends.
    config = uvicorn.Config(
        receiver.asgi,
        log_level="warning",
        access_log=False,
        lifespan="on",
        http=guarded_h11_protocol(sandbox.IDLE_TIMEOUT),
        limit_concurrency=sandbox.MAX_CONNECTIONS,
        timeout_keep_alive=max(1, int(sandbox.IDLE_TIMEOUT)),
        timeout_graceful_shutdown=math.ceil(arguments.shutdown_timeout),
    )
    server = _server(config)

    def on_stop_signal(number: int, frame: FrameType | None) -> None:
        if server.should_exit:  # a second Ctrl-C (or SIGTERM) while stopping: the user will not wait
            pending = receiver.asgi.pending
            notes.put(
                "d360 webhook listen: leaving now"
                + (f"; {pending} events answered 200 were not handled or printed" if pending else "")
            )
            notes.close(1.0)
            os._exit(EXIT_INTERRUPTED)  # at once: no thread, queue or pipe may hold this up
        notes.put("d360 webhook listen: stopping (Ctrl-C again to leave at once)")
        server.handle_exit(number, frame)

    # Installed for the whole run, before and after uvicorn serves too (_server leaves them in place).
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop_signal, on_stop_signal)
    server.run(sockets=[listener])
    # Lines still queued get the same bound, and less when the reader takes none of them for a while.
    output.close(arguments.shutdown_timeout, stalled=STALLED_READER)
    stats = receiver.stats
    notes.put(
        f"d360 webhook listen: stopped after {stats.events} events ({stats.duplicates} duplicates, "
        f"{stats.refused} deliveries refused)"
    )
    if stats.unhandled:
        notes.put(f"  {stats.unhandled} events answered 200 were not handled (the ERROR above names them)")
    if output.not_written:
        why = "its reader closed it" if output.failed is not None else "it was not being read"
        notes.put(f"  {output.not_written} events not printed: standard output could not take them ({why})")
    if sink is not None:
        recorded = ", ".join(f"{count} {outcome}" for outcome, count in sorted(sink.outcomes.items())) or "none"
        notes.put(f"  journal {arguments.journal}: statuses {recorded}")
        sink.close()
    if receiver.dedup is not None:
        receiver.dedup.close()
    if receiver.inbox is not None:
        receiver.inbox.close()
    notes.close(arguments.shutdown_timeout)
    return EXIT_OK


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds > 0):
        raise argparse.ArgumentTypeError(f"must be a number of seconds above 0, not {text!r}")
    return seconds


def _server(config: Any) -> Any:
    """uvicorn's server, with the listener's own signal handlers left in place: uvicorn's take a second
    Ctrl-C only while requests are in progress, not while the queue drains or the process exits."""
    import uvicorn

    class Server(uvicorn.Server):
        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            yield

    return Server(config)


class _Printer:
    """Queues one line per event for standard output; called from the receiver's worker. Never blocks:
    when standard output is not being read and the queue is full, the line is dropped and counted."""

    def __init__(self, output: LineWriter, notes: LineWriter, *, as_json: bool) -> None:
        self.output = output
        self.notes = notes
        self.as_json = as_json
        self._told = False

    def __call__(self, event: AnyEvent) -> None:
        if self.as_json:
            try:
                record = json.dumps(_jsonable(event), ensure_ascii=False, default=str)
            except (RecursionError, ValueError):
                # Valid JSON nested too deeply for Python to copy (parse takes what json.loads takes): the
                # event is still handled; its line says what it is and why the rest is missing.
                key = getattr(event, "dedup_key", None)
                record = json.dumps(
                    {"event": type(event).__name__, "dedup_key": key, "error": "nested too deeply to print"}
                )
            line = terminal_safe_json(record)
        else:
            line = describe(event)
        if not self.output.put(line) and not self._told:
            self._told = True
            self.notes.put(
                "d360 webhook listen: standard output takes no more lines: events are still handled, but not "
                "printed (counted when it stops)"
            )


def _jsonable(event: AnyEvent) -> dict[str, Any]:
    def serialize(instance: Any, field: Any, value: Any) -> Any:
        return value.isoformat() if isinstance(value, datetime) else value

    fields = attrs.asdict(event, value_serializer=serialize)
    if "event" in fields and "call_id" in fields:  # a CallEvent's own `event` (connect...) beside its status
        fields["call_event"] = fields.pop("event")
    elif "event" in fields:  # a TemplateStatusUpdate's own `event` (APPROVED...): "event" names the type here
        fields["status"] = fields.pop("event")
    return {"event": type(event).__name__, **fields}


def describe(event: AnyEvent) -> str:
    """One readable line for an event, safe for a terminal."""
    from d360.webhooks import (
        CallEvent,
        GroupEvent,
        IncomingMessage,
        StatusUpdate,
        TemplateCategoryUpdate,
        TemplateQualityUpdate,
        TemplateStatusUpdate,
        WebhookError,
    )

    when = event_time(event)
    if isinstance(event, IncomingMessage):
        who = f"{event.from_} ({event.contact.name})" if event.contact and event.contact.name else event.from_
        text = f"message {event.id} from {who}: {event.type}{_summary(event)}"
    elif isinstance(event, StatusUpdate):
        text = f"status {event.message_id} {event.status} for {event.recipient_id}"
        if event.errors:
            text += "".join(f"; error {error.code} {error.title or error.message or ''}" for error in event.errors)
    elif isinstance(event, WebhookError):
        text = f"error {event.error.code}: {event.error.title or event.error.message or ''}"
    elif isinstance(event, GroupEvent):
        text = f"group {event.group_id} {event.type}"
    elif isinstance(event, TemplateStatusUpdate):
        text = f"template {_template(event)} {event.event}"
        if event.reason and event.reason != "NONE":
            text += f": {event.reason}"
        if event.rejection is not None and event.rejection.reason:
            text += f" ({event.rejection.reason})"
        if event.notice is not None and event.notice.title:
            text += f"; {event.notice.title}"
    elif isinstance(event, TemplateQualityUpdate):
        text = f"template {_template(event)} quality {event.previous_quality_score or '?'} -> {event.new_quality_score}"
    elif isinstance(event, TemplateCategoryUpdate):
        if event.impending:
            due = event.category_update_timestamp
            text = f"template {_template(event)} category {event.new_category or '?'} -> {event.correct_category}"
            text += f" at {due.isoformat()}" if due is not None else " soon"
        else:
            text = f"template {_template(event)} category {event.previous_category or '?'} -> {event.new_category}"
    elif isinstance(event, CallEvent):
        text = f"call {event.call_id} {event.event}"
        text += f" {event.status}" if event.status else ""
        text += f" from {event.from_}" if event.from_ else ""
        text += f" to {event.to or event.recipient_id}" if event.to or event.recipient_id else ""
        text += f" ({event.duration} s)" if event.duration is not None else ""
    else:
        text = f"unknown ({event.reason}): {json.dumps(event.raw, default=str)[:200]}"
    return terminal_safe(f"{when} {text}")


def _template(event: TemplateStatusUpdate | TemplateQualityUpdate | TemplateCategoryUpdate) -> str:
    name = event.template_name or f"id {event.template_id}"
    return f"{name} ({event.language})" if event.language else name


def event_time(event: AnyEvent) -> str:
    stamp = getattr(event, "timestamp", None)
    return stamp.strftime("%H:%M:%S") if isinstance(stamp, datetime) else datetime.now().strftime("%H:%M:%S")


def _summary(message: IncomingMessage) -> str:
    if message.text is not None:
        return f" {message.text.body!r}"
    if message.media is not None:
        return f" {message.media.mime_type or ''} media {message.media.id}" + (
            f" {message.media.caption!r}" if message.media.caption else ""
        )
    if message.interactive is not None:
        return f" {message.interactive.type} {message.interactive.id or ''} {message.interactive.title or ''}".rstrip()
    if message.reaction is not None:
        return " removed" if message.reaction.removed else f" {message.reaction.emoji} on {message.reaction.message_id}"
    if message.button is not None:
        return f" {message.button.text!r} ({message.button.payload})"
    if message.location is not None:
        return f" {message.location.latitude},{message.location.longitude}"
    return ""
