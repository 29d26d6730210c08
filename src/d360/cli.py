"""The `d360` command line: argument parsing and output; the work is done by the library modules.

Errors are one line on stderr, never a traceback, and never contain the API key.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn, TypeAlias

from d360 import SPEC_VERSION, messages, templates
from d360.client import AsyncClient, Client
from d360.errors import APIConnectionError, ConfigurationError, D360Error, ValidationError
from d360.progress import Progress
from d360.validation import message_problems

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_USAGE = 2
EXIT_UNREACHABLE = 3
EXIT_INTERRUPTED = 130
INTERRUPTED = "interrupted"

EPILOG = f"""\
exit codes:
  0  sent (or valid, for validate)
  1  upstream refused the message
  2  bad usage or invalid payload: nothing was sent
  3  could not reach upstream
  130  bulk run interrupted (run the same command again to resume)

Messaging API {SPEC_VERSION}. Configuration: flags, then D360_API_KEY and D360_BASE_URL.
"""


class UsageError(Exception):
    """Bad arguments or input: exit 2, nothing sent."""


class _Parser(argparse.ArgumentParser):
    """Argument errors go through `fail`, so a key pasted in the wrong place is not echoed."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        fail(f"{message} (see {self.prog} --help)", EXIT_USAGE)


SECRETS: list[str] = []


def fail(message: str, code: int) -> NoReturn:
    print(f"d360: error: {redact(message)}", file=sys.stderr)
    raise SystemExit(code)


def redact(text: str) -> str:
    for secret in SECRETS:
        text = text.replace(secret, "[REDACTED]")
    return " ".join(text.split())  # one line, whatever the message held


Commands: TypeAlias = "argparse._SubParsersAction[_Parser]"  # what `add_subparsers()` returns on a _Parser


def build_parser() -> argparse.ArgumentParser:
    # Subparsers take the class of their parent, so every level reports errors through `fail`.
    parser = _Parser(
        prog="d360",
        description="Send WhatsApp messages through 360dialog's Messaging API.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands: Commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_send_command(commands)
    add_validate_command(commands)
    add_spec_command(commands)
    add_bulk_commands(commands)
    add_sandbox_command(commands)
    return parser


def connection_options() -> _Parser:
    """Flags shared by every command that talks to upstream."""
    shared = _Parser(add_help=False)
    group = shared.add_argument_group("connection")
    group.add_argument("--api-key", help="the D360-API-KEY (default: $D360_API_KEY)")
    group.add_argument("--base-url", help="default: $D360_BASE_URL or https://waba-v2.360dialog.io")
    group.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS", help="per request (default 30)")
    group.add_argument("--max-retries", type=int, default=2, metavar="N", help="retries where safe (default 2)")
    group.add_argument("--json", action="store_true", help="print JSON for machines instead of text")
    return shared


def add_send_command(commands: Commands) -> None:
    send = commands.add_parser("send", help="send one message", description="Send one message.")
    kinds = send.add_subparsers(dest="kind", required=True, metavar="TYPE")
    shared = connection_options()

    def kind(name: str, help_text: str, *, reply: bool = True) -> argparse.ArgumentParser:
        parser = kinds.add_parser(
            name,
            help=help_text,
            description=help_text,
            parents=[shared],
            epilog=EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        if name != "json":
            parser.add_argument("--to", required=True, help="phone number (+, spaces, dashes allowed) or group id")
            parser.add_argument("--group", action="store_true", help="--to is a group id")
        if reply:
            parser.add_argument("--reply-to", metavar="MESSAGE_ID", help="quote this message")
        parser.set_defaults(handler=run_send)
        return parser

    text = kind("text", "a text message")
    text.add_argument("--body", required=True)
    text.add_argument("--preview-url", action="store_true", help="render a preview of the first link")
    for media_kind in ("image", "audio", "video", "document", "sticker"):
        media = kind(media_kind, f"an {media_kind}" if media_kind[0] in "aeiou" else f"a {media_kind}")
        source = media.add_mutually_exclusive_group(required=True)
        source.add_argument("--link", help="a public https URL")
        source.add_argument("--media-id", help="an uploaded media id")
        if media_kind in ("image", "video", "document"):
            media.add_argument("--caption")
        if media_kind == "document":
            media.add_argument("--filename", help="the name the recipient sees")
    location = kind("location", "a location pin")
    location.add_argument("--latitude", type=float, required=True)
    location.add_argument("--longitude", type=float, required=True)
    location.add_argument("--name")
    location.add_argument("--address")
    reaction = kind("reaction", "a reaction to a message", reply=False)
    reaction.add_argument("--message-id", required=True, help="the message to react to")
    reaction.add_argument("--emoji", required=True, help='the emoji; "" removes a reaction')
    template = kind("template", "an approved template")
    template.add_argument("--name", required=True, help="the template's name")
    template.add_argument("--language", required=True, help="its language code, such as en or de")
    template.add_argument(
        "--body-param", action="append", default=[], metavar="TEXT", help="a body parameter, in order (repeatable)"
    )
    header = template.add_mutually_exclusive_group()
    header.add_argument("--header-text", metavar="TEXT")
    header.add_argument("--header-image", metavar="URL")
    header.add_argument("--header-video", metavar="URL")
    header.add_argument("--header-document", metavar="URL")
    template.add_argument(
        "--button-url-param",
        action="append",
        default=[],
        metavar="INDEX=TEXT",
        help="the URL suffix of the template's URL button at INDEX (repeatable)",
    )
    payload = kind("json", "a full message in the spec's shape", reply=False)
    payload.add_argument("file", metavar="FILE", help="a JSON file, or - for standard input")


def add_validate_command(commands: Commands) -> None:
    validate = commands.add_parser(
        "validate",
        help="check messages without sending anything",
        description="Check one JSON message, or JSON Lines of them, against the spec and upstream's limits. "
        "Sends nothing. Exit 0 when all are valid, 2 otherwise.",
    )
    validate.add_argument("file", metavar="FILE", help="a JSON or JSON Lines file, or - for standard input")
    validate.add_argument("--json", action="store_true", help="print JSON for machines")
    validate.set_defaults(handler=run_validate)


def add_spec_command(commands: Commands) -> None:
    spec = commands.add_parser("spec", help="work with spec versions", description="Work with spec versions.")
    actions = spec.add_subparsers(dest="action", required=True, metavar="ACTION")
    diff = actions.add_parser(
        "diff",
        help="the change report between two specs",
        description="Print the change report between two specs (files or URLs; raw JSON or upstream's docs "
        "page), each change marked BREAKING or compatible for a client.",
    )
    diff.add_argument("old", metavar="OLD")
    diff.add_argument("new", metavar="NEW")
    diff.add_argument("--json", action="store_true", help="print JSON for machines")
    diff.add_argument("--fail-on-breaking", action="store_true", help="exit 1 when any change is BREAKING")
    diff.set_defaults(handler=run_spec_diff)


def add_bulk_commands(commands: Commands) -> None:
    bulk = commands.add_parser(
        "bulk",
        help="send a file of messages, resumably",
        parents=[connection_options()],
        description="Send every line of FILE: JSON Lines of full messages, or a CSV with a 'to' column whose "
        "other columns fill the body parameters of --template. Every line is validated before anything is "
        "sent. The journal (SQLite) records each line, so running the same command again resumes: accepted "
        "and failed lines are skipped, and lines that were in flight when a run died are 'unknown' and not "
        "sent again unless --resend-unknown. `d360 bulk report JOURNAL` sums a journal up.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    bulk.add_argument("file", metavar="FILE", help="a .jsonl file of messages, or a .csv file")
    bulk.add_argument("--journal", required=True, metavar="PATH", help="the SQLite journal (created if missing)")
    bulk.add_argument(
        "--rate",
        type=float,
        default=80.0,
        metavar="PER_SECOND",
        help="messages a second (default 80, upstream's default tier; 0 for no limit)",
    )
    bulk.add_argument("--concurrency", type=int, default=16, metavar="N", help="requests in flight (default 16)")
    bulk.add_argument(
        "--resend-unknown",
        action="store_true",
        help="send again the lines that may have been delivered (risking duplicates)",
    )
    bulk.add_argument("--skip-invalid", action="store_true", help="send the valid lines even if others are invalid")
    bulk.add_argument("--template", metavar="NAME", help="CSV input: the template to fill")
    bulk.add_argument("--language", metavar="CODE", help="CSV input: the template's language")
    bulk.set_defaults(handler=run_bulk)
    report = commands.add_parser(
        "bulk-report",
        help="sum up a bulk journal (also: d360 bulk report JOURNAL)",
        description="Counts per state, and each failed or unknown line with its error.",
    )
    report.add_argument("journal", metavar="JOURNAL")
    report.add_argument("--csv", metavar="OUT", help="also write every line's record to this CSV file")
    report.add_argument("--json", action="store_true", help="print JSON for machines")
    report.set_defaults(handler=run_bulk_report)


def add_sandbox_command(commands: Commands) -> None:
    sandbox = commands.add_parser(
        "sandbox",
        help="serve a local stand-in for upstream on 127.0.0.1",
        description="Serve a local stand-in for upstream's /messages that enforces the spec. "
        "Faults are off unless asked for. Stops cleanly on Ctrl-C or SIGTERM.",
    )
    sandbox.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    sandbox.add_argument("--port", type=int, default=8360, help="port to listen on (default 8360; 0 picks one)")
    sandbox.add_argument(
        "--api-key",
        action="append",
        dest="api_keys",
        metavar="KEY",
        help="a key to accept (repeatable; default: sandbox-key)",
    )
    sandbox.add_argument("--rate-limit", type=float, metavar="N", help="answer 429 beyond N requests a second")
    sandbox.add_argument("--error-rate-500", type=_share, default=0.0, metavar="SHARE", help="share of 500s (0-1)")
    sandbox.add_argument("--error-rate-503", type=_share, default=0.0, metavar="SHARE", help="share of 503s (0-1)")
    sandbox.add_argument(
        "--throttle-rate",
        type=_share,
        default=0.0,
        metavar="SHARE",
        help="share of upstream's throttling errors (400, code 130429)",
    )
    sandbox.add_argument("--latency-ms", type=float, default=0.0, metavar="MS", help="added to every answer")
    sandbox.add_argument(
        "--enforce-limits", action="store_true", help="also refuse what upstream's documented limits refuse"
    )
    sandbox.add_argument("--keep", type=int, default=10_000, metavar="N", help="messages kept for inspection")
    sandbox.add_argument("--seed", type=int, help="seed for the fault dice, for repeatable runs")
    sandbox.set_defaults(handler=run_sandbox)


def _share(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"a share is between 0 and 1, not {text}")
    return value


def run_sandbox(arguments: argparse.Namespace) -> int:
    from d360 import sandbox

    api_keys = arguments.api_keys or [sandbox.DEFAULT_API_KEY]
    faults = sandbox.Faults(
        rate_limit=arguments.rate_limit,
        server_error_rate=arguments.error_rate_500,
        unavailable_rate=arguments.error_rate_503,
        throttle_rate=arguments.throttle_rate,
        latency=arguments.latency_ms / 1000,
        seed=arguments.seed,
    )
    app = sandbox.Sandbox(api_keys, faults=faults, keep=arguments.keep, enforce_limits=arguments.enforce_limits)
    try:
        listener = sandbox.bind(arguments.host, arguments.port)
    except OSError as exc:
        raise UsageError(f"cannot listen on {arguments.host}:{arguments.port}: {exc.strerror or exc}") from None
    base_url = f"http://{arguments.host}:{listener.getsockname()[1]}"
    print(f"d360 sandbox: Messaging API {SPEC_VERSION} at {base_url} (Ctrl-C to stop)")
    print(f"  export D360_BASE_URL={base_url}")
    if not arguments.api_keys:
        print(f"  export D360_API_KEY={sandbox.DEFAULT_API_KEY}")
    print(f"  inspect what arrived: {base_url}{sandbox.INSPECTION_PATH}", flush=True)
    # uvicorn shuts down gracefully on SIGINT/SIGTERM, then re-raises the signal to the handler that was
    # in place before it; a quiet one lets us report and exit 0, a requested stop being no failure.
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop_signal, lambda number, frame: None)
    sandbox.server_for(app).run(sockets=[listener])
    print(f"d360 sandbox: stopped after accepting {app.accepted_count} messages", flush=True)
    return EXIT_OK


# Handlers: each turns parsed arguments into library calls and prints the outcome.


def make_client(arguments: argparse.Namespace) -> Client:
    return Client(
        api_key=arguments.api_key,
        base_url=arguments.base_url,
        timeout=arguments.timeout,
        max_retries=arguments.max_retries,
    )


def build_message(arguments: argparse.Namespace) -> Any:
    if arguments.kind == "json":
        return read_json_document(arguments.file)
    common: dict[str, Any] = {"recipient_type": "group" if arguments.group else "individual"}
    reply = {"reply_to": arguments.reply_to} if getattr(arguments, "reply_to", None) else {}
    to = arguments.to
    if arguments.kind == "text":
        return messages.text(to, arguments.body, preview_url=arguments.preview_url, **reply, **common)
    if arguments.kind in ("image", "audio", "video", "document", "sticker"):
        return messages.media(
            arguments.kind,
            to,
            link=arguments.link,
            media_id=arguments.media_id,
            caption=getattr(arguments, "caption", None),
            filename=getattr(arguments, "filename", None),
            **reply,
            **common,
        )
    if arguments.kind == "location":
        return messages.location(
            to,
            arguments.latitude,
            arguments.longitude,
            name=arguments.name,
            address=arguments.address,
            **reply,
            **common,
        )
    if arguments.kind == "reaction":
        return messages.reaction(to, arguments.message_id, arguments.emoji, **common)
    return messages.template(
        to, arguments.name, arguments.language, components=template_components(arguments), **reply, **common
    )


def template_components(arguments: argparse.Namespace) -> list[dict[str, Any]]:
    components = []
    header_parameter = None
    if arguments.header_text is not None:
        header_parameter = templates.text(arguments.header_text)
    elif arguments.header_image:
        header_parameter = templates.image(link=arguments.header_image)
    elif arguments.header_video:
        header_parameter = templates.video(link=arguments.header_video)
    elif arguments.header_document:
        header_parameter = templates.document(link=arguments.header_document)
    if header_parameter is not None:
        components.append(templates.header(header_parameter))
    if arguments.body_param:
        components.append(templates.body(*(templates.text(value) for value in arguments.body_param)))
    for spec in arguments.button_url_param:
        index, separator, value = spec.partition("=")
        if not separator or not index.isdigit():
            raise UsageError(f"--button-url-param takes INDEX=TEXT, such as 0=orders/8812, not {spec!r}")
        components.append(templates.button(int(index), "url", templates.text(value)))
    return components


def read_text(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    try:
        return Path(source).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"no such file: {source}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {source}: {exc}") from None


def read_json_document(source: str) -> Any:
    text = read_text(source)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{source} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None


def run_send(arguments: argparse.Namespace) -> int:
    message = build_message(arguments)
    with make_client(arguments) as client:
        try:
            result = client.send(message)
        except D360Error as error:
            if arguments.json:
                print(json.dumps({"ok": False, "error": error_record(error)}))
            raise
    if arguments.json:
        print(
            json.dumps(
                {
                    "ok": True,
                    "message_id": result.message_id,
                    "wa_id": result.wa_id,
                    "input": result.input,
                    "status": result.status,
                }
            )
        )
    else:
        print(
            f"sent {message.get('type', 'message')} to {result.input or message.get('to')}: "
            f"{result.message_id} ({result.status or 'no status'})"
        )
    return EXIT_OK


def error_record(error: D360Error) -> dict[str, Any]:
    record: dict[str, Any] = {
        "type": type(error).__name__,
        "message": redact(str(error)),
        "maybe_delivered": error.maybe_delivered,
    }
    for name in ("status_code", "code", "request_id", "retry_after"):
        if getattr(error, name, None) is not None:
            record[name] = getattr(error, name)
    if isinstance(error, ValidationError):
        record["problems"] = [{"path": problem.path, "message": problem.message} for problem in error.problems]
    return record


def run_validate(arguments: argparse.Namespace) -> int:
    text = read_text(arguments.file)
    documents: list[tuple[int, Any, str | None]] = []
    stripped = text.strip()
    try:
        documents.append((1, json.loads(stripped), None))
    except json.JSONDecodeError:
        for line_number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    documents.append((line_number, json.loads(line), None))
                except json.JSONDecodeError as exc:
                    documents.append((line_number, None, f"not valid JSON: {exc.msg} at column {exc.colno}"))
    results: list[dict[str, Any]] = []
    for line_number, document, parse_error in documents:
        problems = [parse_error] if parse_error else [str(problem) for problem in message_problems(document)]
        results.append({"line": line_number, "valid": not problems, "problems": problems})
    invalid = [result for result in results if not result["valid"]]
    if arguments.json:
        print(json.dumps({"valid": not invalid, "checked": len(results), "invalid": invalid}))
    else:
        for result in invalid:
            for problem in result["problems"]:
                print(f"line {result['line']}: {problem}")
        print(f"{len(results) - len(invalid)} of {len(results)} messages valid")
    return EXIT_USAGE if invalid or not results else EXIT_OK


def run_spec_diff(arguments: argparse.Namespace) -> int:
    from d360.spec import SpecSourceError, load_spec
    from d360.spec_diff import diff_specs

    try:
        report = diff_specs(load_spec(arguments.old), load_spec(arguments.new))
    except SpecSourceError as error:
        raise UsageError(str(error)) from None
    if arguments.json:
        print(
            json.dumps(
                {
                    "old_version": report.old_version,
                    "new_version": report.new_version,
                    "changes": [
                        {
                            "location": change.location,
                            "description": change.description,
                            "breaking": change.breaking,
                            "used_in": list(change.used_in),
                        }
                        for change in report.changes
                    ],
                }
            )
        )
    else:
        print(report.to_text(), end="")
    return EXIT_REFUSED if arguments.fail_on_breaking and report.breaking else EXIT_OK


def run_bulk(arguments: argparse.Namespace) -> int:
    from d360.bulk_input import BulkInput, BulkInputError
    from d360.bulk_run import prepare_journal, validate_input
    from d360.journal import Journal, JournalError

    if arguments.concurrency < 1:
        raise UsageError(f"--concurrency must be at least 1, not {arguments.concurrency}")
    if arguments.rate < 0:
        raise UsageError(f"--rate must be 0 (no limit) or more, not {arguments.rate}")
    bulk_input = BulkInput(Path(arguments.file), template=arguments.template, language=arguments.language)
    client = AsyncClient(
        api_key=arguments.api_key,
        base_url=arguments.base_url,
        timeout=arguments.timeout,
        max_retries=arguments.max_retries,
        validate=False,
    )
    try:
        bulk_input.check()
        report = validate_input(
            bulk_input, lambda line: print(f"line {line.line_number}: {'; '.join(line.problems)}", file=sys.stderr)
        )
    except BulkInputError as error:
        raise UsageError(str(error)) from None
    if report.invalid and not arguments.skip_invalid:
        raise UsageError(
            f"{len(report.invalid)} of {report.total} lines are invalid; nothing was sent "
            "(--skip-invalid sends the rest)"
        )
    try:
        journal = Journal(arguments.journal)
    except JournalError as error:
        raise UsageError(str(error)) from None
    with journal:
        try:
            recovered = prepare_journal(journal, bulk_input, report)
        except JournalError as error:
            raise UsageError(str(error)) from None
        if recovered:
            print(
                f"bulk: {recovered} lines were being sent when the last run stopped: marked unknown "
                "(they may have been delivered; --resend-unknown sends them again)",
                file=sys.stderr,
            )
        counts = journal.counts()
        to_send = counts["pending"] + (counts["unknown"] if arguments.resend_unknown else 0)
        progress = Progress(to_send, sys.stderr, interactive=sys.stderr.isatty()) if to_send else None
        stopped = asyncio.run(_run_bulk_sends(client, bulk_input, journal, arguments, progress))
        counts = journal.counts()
    summary = "  ".join(f"{state} {count}" for state, count in counts.items() if state != "sending")
    if arguments.json:
        print(json.dumps({"counts": counts, "recovered_unknown": recovered, "stopped_early": stopped}))
    else:
        print(f"bulk: {summary}" + (f"  (stopped early: {stopped})" if stopped else ""))
    if stopped == INTERRUPTED:
        return EXIT_INTERRUPTED
    if stopped is not None or counts["failed"] or counts["unknown"]:
        return EXIT_REFUSED
    # Lines still pending met only transient failures (unreachable, throttled): running again resumes them.
    return EXIT_UNREACHABLE if counts["pending"] else EXIT_OK


async def _run_bulk_sends(
    client: AsyncClient, bulk_input: Any, journal: Any, arguments: argparse.Namespace, progress: Progress | None
) -> str | None:
    from d360.bulk_run import send_remaining

    stop = asyncio.Event()
    interrupted: list[str] = []
    loop = asyncio.get_running_loop()

    def on_stop_signal() -> None:
        if stop.is_set():  # a second Ctrl-C: leave now; in-flight lines are found 'sending' next run
            raise KeyboardInterrupt
        interrupted.append(INTERRUPTED)
        print(
            "\nbulk: stopping: finishing the messages in flight (Ctrl-C again to leave at once)",
            file=sys.stderr,
            flush=True,
        )
        stop.set()

    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(stop_signal, on_stop_signal)
    try:
        async with client:
            stopped = await send_remaining(
                client,
                bulk_input,
                journal,
                concurrency=arguments.concurrency,
                rate=arguments.rate or None,
                resend_unknown=arguments.resend_unknown,
                progress=progress,
                stop=stop,
            )
    finally:
        for stop_signal in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(stop_signal)
    return stopped or (interrupted[0] if interrupted else None)


def run_bulk_report(arguments: argparse.Namespace) -> int:
    from d360.journal import FAILED, STATES, UNKNOWN, Journal, JournalError

    if not Path(arguments.journal).is_file():
        raise UsageError(f"no such journal: {arguments.journal}")
    try:
        journal = Journal(arguments.journal)
    except JournalError as error:
        raise UsageError(str(error)) from None
    with journal:
        counts = journal.counts()
        problems = list(journal.records((FAILED, UNKNOWN)))
        if arguments.csv:
            with open(arguments.csv, "w", newline="", encoding="utf-8") as out:
                writer = csv.writer(out)
                writer.writerow(["line_number", "state", "message_id", "error", "attempts", "created_at", "updated_at"])
                for record in journal.records(STATES):
                    writer.writerow(
                        [
                            record.line_number,
                            record.state,
                            record.message_id or "",
                            record.error or "",
                            record.attempts,
                            record.created_at,
                            record.updated_at,
                        ]
                    )
        meta = journal.meta()
    if arguments.json:
        print(
            json.dumps(
                {
                    "input": meta.get("input"),
                    "counts": counts,
                    "problems": [
                        {
                            "line": record.line_number,
                            "state": record.state,
                            "error": record.error,
                            "attempts": record.attempts,
                        }
                        for record in problems
                    ],
                }
            )
        )
        return EXIT_OK
    print(f"journal {arguments.journal} for {meta.get('input', '?')}")
    for state in STATES:
        print(f"  {state:<9} {counts[state]}")
    for record in problems:
        print(f"line {record.line_number}: {record.state}: {record.error or ''} (attempts {record.attempts})")
    if arguments.csv:
        print(f"wrote {arguments.csv}")
    return EXIT_OK


def _secrets_in(argv: Sequence[str]) -> list[str]:
    found = [os.environ.get("D360_API_KEY", "")]
    for index, argument in enumerate(argv):
        if argument == "--api-key" and index + 1 < len(argv):
            found.append(argv[index + 1])
        elif argument.startswith("--api-key="):
            found.append(argument.split("=", 1)[1])
    return [secret for secret in found if len(secret) >= 4]


def main(argv: Sequence[str] | None = None) -> int:
    arguments_list = list(sys.argv[1:] if argv is None else argv)
    SECRETS[:] = _secrets_in(arguments_list)
    if arguments_list[:2] == ["bulk", "report"]:
        arguments_list = ["bulk-report", *arguments_list[2:]]
    arguments = build_parser().parse_args(arguments_list)
    try:
        return int(arguments.handler(arguments))
    except UsageError as error:
        fail(str(error), EXIT_USAGE)
    except ValidationError as error:
        fail(str(error), EXIT_USAGE)
    except ConfigurationError as error:
        fail(str(error), EXIT_USAGE)
    except APIConnectionError as error:
        fail(str(error), EXIT_UNREACHABLE)
    except D360Error as error:
        fail(str(error), EXIT_REFUSED)
    except KeyboardInterrupt:
        print("d360: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
