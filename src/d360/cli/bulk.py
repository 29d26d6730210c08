"""`d360 bulk` and `d360 bulk report`: a resumable campaign from a file, and the sum of its journal."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import gc
import json
import math
import os
import signal
import sqlite3
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import attrs

from d360.bulk.progress import Progress
from d360.cli.common import (
    EPILOG,
    EXIT_INTERRUPTED,
    EXIT_LOCAL_FAILURE,
    EXIT_OK,
    EXIT_REFUSED,
    EXIT_UNKNOWN,
    EXIT_UNREACHABLE,
    INTERRUPTED,
    LOCAL_FAILURES,
    Commands,
    LocalFailure,
    UsageError,
    connection_options,
    error_line,
    say,
    say_json,
)
from d360.client import AsyncClient
from d360.concurrency import check_concurrency
from d360.config import MAX_CONCURRENCY
from d360.errors import ConfigurationError, D360Error

if TYPE_CHECKING:
    from d360.bulk.protocol import CampaignJournal


def add_bulk_commands(commands: Commands) -> None:
    bulk = commands.add_parser(
        "bulk",
        help="send a file of messages, resumably",
        parents=[connection_options()],
        description="Send every line of FILE: JSON Lines of full messages, or a CSV with a 'to' column whose "
        "other columns fill the body parameters of --template. Every line is validated before anything is "
        "sent. The journal (a SQLite file, or a PostgreSQL database given as a postgresql:// URL) records each line, "
        "so running the same command again resumes: accepted "
        "and failed lines are skipped, and lines that were in flight when a run died are 'unknown' and not "
        "sent again unless --resend-unknown, or unless --await-statuses finds status webhooks proving they were "
        "never accepted. `d360 bulk report JOURNAL` sums a journal up.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    bulk.add_argument(
        "file",
        metavar="FILE",
        nargs="?",
        help="a .jsonl file of messages, or a .csv file; with a PostgreSQL journal, leave it out to join a "
        "campaign as one more worker (the journal holds every line's message)",
    )
    bulk.add_argument(
        "--journal",
        required=True,
        metavar="PATH|URL",
        help="the journal: a SQLite file (created if missing), or a PostgreSQL database, "
        "postgresql://user@host/database[?schema=NAME] (its schema made or migrated by d360; default schema d360)",
    )
    bulk.add_argument(
        "--campaign",
        metavar="ID",
        help="PostgreSQL journal: the campaign (made from FILE if it does not exist yet; by default the latest "
        "campaign made from FILE, or a new one; with no FILE, the only campaign of the schema)",
    )
    bulk.add_argument(
        "--rate",
        type=float,
        default=80.0,
        metavar="PER_SECOND",
        help="messages a second (default 80, upstream's default tier; 0 for no limit)",
    )
    bulk.add_argument(
        "--concurrency",
        type=int,
        default=16,
        metavar="N",
        help=f"requests in flight (default 16, at most {MAX_CONCURRENCY})",
    )
    bulk.add_argument(
        "--resend-unknown",
        action="store_true",
        help="send again the lines that may have been delivered (risking duplicates)",
    )
    bulk.add_argument("--skip-invalid", action="store_true", help="send the valid lines even if others are invalid")
    bulk.add_argument(
        "--await-statuses",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="after sending, wait up to this long for status webhooks (d360 webhook listen --journal) to settle "
        "the unknown lines; one no status speaks for is sent again only if a status had reached the journal "
        "before it was sent and statuses came for lines sent after it (so its own would have come at once, not "
        "on a later redelivery); the others stay unknown (exit 4)",
    )
    bulk.add_argument("--template", metavar="NAME", help="CSV input: the template to fill")
    bulk.add_argument("--language", metavar="CODE", help="CSV input: the template's language")
    bulk.add_argument(
        "--no-template-check",
        action="store_true",
        help="send template messages without first checking each against its template (by default each "
        "template is fetched once, and a line that does not fit refuses the whole campaign, nothing sent)",
    )
    bulk.add_argument(
        "--no-health-check",
        action="store_true",
        help="start sending without first asking upstream whether the number can send (by default a number "
        "that cannot send, as `d360 health` says, refuses the run: nothing sent, exit 1)",
    )
    bulk.add_argument(
        "--marketing",
        action="store_true",
        help="send every line through MM Lite (POST /marketing_messages): template lines only, a line of another "
        "type refuses the campaign before the first send (exit 2)",
    )
    bulk.set_defaults(handler=run_bulk)
    report = commands.add_parser(
        "bulk-report",
        help="sum up a bulk journal (also: d360 bulk report JOURNAL)",
        description="Counts per state, the funnel from status webhooks (and what lines with no status mean), "
        "and each failed or unknown line with its error. With --csv - or --html -, that report alone goes to "
        "standard output and the summary to stderr.",
    )
    report.add_argument("journal", metavar="JOURNAL", help="a SQLite journal file, or a postgresql:// URL")
    report.add_argument(
        "--campaign", metavar="ID", help="PostgreSQL journal: the campaign (needed when it holds several)"
    )
    report.add_argument(
        "--csv", metavar="OUT", help="also write every line's record to this CSV file (- for standard output)"
    )
    report.add_argument(
        "--html",
        metavar="OUT",
        help="also write a one-page HTML report with the funnel as a chart (- for standard output)",
    )
    report.add_argument("--json", action="store_true", help="print JSON for machines")
    report.set_defaults(handler=run_bulk_report)


YOUNG_COLLECTION_EVERY = 10_000
"""Allocations between two collections of young objects during a bulk run (Python's default is 700)."""


def run_bulk(arguments: argparse.Namespace) -> int:
    with collector_tuned_for_a_run():
        return _bulk(arguments)


@contextlib.contextmanager
def collector_tuned_for_a_run() -> Iterator[None]:
    """Python's cycle collector, tuned for a run that allocates much and keeps little.

    What start-up built (modules, classes: most of the objects there are) is frozen out of the
    collector's sight, and young objects are collected every `YOUNG_COLLECTION_EVERY` allocations. The
    default spent about a tenth of a run's CPU re-walking objects that live for the whole run; a send
    leaves no cycles behind, so memory stays flat (`make bench` checks 10,000 against 1,000,000 lines).
    """
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION_EVERY, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _bulk(arguments: argparse.Namespace) -> int:
    from d360.bulk.journal import JournalError, JournalWriteError
    from d360.bulk.journals import is_postgres_url, open_journal
    from d360.bulk.protocol import is_shared
    from d360.bulk.run import join_campaign, prepare_journal

    try:
        check_concurrency(arguments.concurrency)
    except ConfigurationError:
        raise UsageError(f"--concurrency must be from 1 to {MAX_CONCURRENCY}, not {arguments.concurrency}") from None
    if not (math.isfinite(arguments.rate) and arguments.rate >= 0):
        raise UsageError(f"--rate must be 0 (no limit) or a positive number, not {arguments.rate}")
    if not (math.isfinite(arguments.await_statuses) and arguments.await_statuses >= 0):
        raise UsageError(f"--await-statuses must be 0 or more seconds, not {arguments.await_statuses}")
    if arguments.file is None and not is_postgres_url(arguments.journal):
        raise UsageError(
            "FILE is needed: only a PostgreSQL journal (--journal postgresql://...) keeps the messages a worker "
            "with no FILE sends"
        )
    client = AsyncClient(
        api_key=arguments.api_key,
        base_url=arguments.base_url,
        timeout=arguments.timeout,
        max_retries=arguments.max_retries,
        validate=False,
    )
    if arguments.marketing:  # every send through MM Lite: the same client, posting to /marketing_messages
        client = client._marketing_twin({})
    bulk_input, report = (None, None) if arguments.file is None else _validated_input(arguments)
    recovered = 0
    settlement = None
    sending_began = False
    with open_journal(arguments.journal, campaign=arguments.campaign) as journal:
        try:
            if bulk_input is not None and report is not None:
                recovered = prepare_journal(journal, bulk_input, report)
            else:
                assert is_shared(journal)
                recovered = join_campaign(journal)
            if recovered and not arguments.await_statuses:
                print(
                    f"bulk: {recovered} lines were being sent when the last run stopped: marked unknown "
                    "(they may have been delivered; --await-statuses SECONDS sends again those that status "
                    "webhooks prove were never accepted, --resend-unknown all of them)",
                    file=sys.stderr,
                )
            sending_began = True
            stopped, settlement = asyncio.run(_run_campaign(client, bulk_input, journal, arguments))
        except (JournalWriteError, OSError) as failure:
            if not (sending_began or isinstance(failure, JournalWriteError)):
                raise  # the input or the journal unusable before anything was sent: exit 2, as always
            # A local failure (a full disk): lines may have been sent, so not exit 2. The error, then
            # the summary of what the journal holds, then a code of its own.
            error_line(_describe_local_failure(failure) + ("; lines may have been sent" if sending_began else ""))
            stopped, local_failure = LOCAL_FAILURE, True
        else:
            local_failure = False
        try:
            counts = journal.counts()
        except (sqlite3.Error, JournalError):  # a full disk, a database that went away
            if not local_failure:
                raise
            return EXIT_LOCAL_FAILURE  # the disk refuses even reads: the error line said all there is
    if arguments.json:
        print(json.dumps({"counts": counts, "recovered_unknown": recovered, "stopped_early": stopped,
                          "statuses": None if settlement is None else attrs.asdict(settlement)}))  # fmt: skip
    elif not (local_failure and not any(counts.values())):  # a journal left empty has nothing to sum up
        say(f"bulk: {_summary(counts)}" + (f"  (stopped early: {stopped})" if stopped else ""))
    return bulk_exit_code(counts, stopped, local_failure=local_failure)


def _validated_input(arguments: argparse.Namespace) -> tuple[Any, Any]:
    """FILE, every line checked (and each template line against its template) before anything is sent."""
    from d360.bulk.input import BulkInput
    from d360.bulk.run import validate_input

    bulk_input = BulkInput(Path(arguments.file), template=arguments.template, language=arguments.language)
    bulk_input.check()
    templates = None
    if not arguments.no_template_check:  # each template line against its template, before anything is sent
        from d360.bulk.template_check import CampaignTemplateCheck

        templates = CampaignTemplateCheck.connecting(
            api_key=arguments.api_key, base_url=arguments.base_url, timeout=arguments.timeout,
            max_retries=arguments.max_retries, csv=bulk_input.is_csv,
        )  # fmt: skip
    not_templates: list[int] = []  # --marketing: the lines MM Lite would refuse, said before anything is sent

    def see(line: Any) -> None:
        if arguments.marketing and str((line.message or {}).get("type", "text")).lower() != "template":
            not_templates.append(line.line_number)
        if templates is not None:
            templates.see(line)

    try:
        report = validate_input(
            bulk_input,
            lambda line: say(f"line {line.line_number}: {'; '.join(line.problems)}", file=sys.stderr),
            see if templates is not None or arguments.marketing else None,
        )
    finally:
        if templates is not None:
            templates.close()
    if not_templates:
        shown = ", ".join(map(str, not_templates[:10])) + (", ..." if len(not_templates) > 10 else "")
        raise UsageError(
            f"--marketing sends template messages only (MM Lite refuses any other type): {len(not_templates)} "
            f"lines are not template messages (line {shown}); nothing was sent"
        )
    refusal = templates.refusal() if templates is not None else None
    if refusal is not None and (arguments.skip_invalid or not report.invalid):  # invalid lines are said first
        raise UsageError(refusal)
    if report.invalid and not arguments.skip_invalid:
        raise UsageError(
            f"{len(report.invalid)} of {report.total} lines are invalid; nothing was sent "
            "(--skip-invalid sends the rest)"
        )
    return bulk_input, report


LOCAL_FAILURE = "a local failure: fix it and run the same command again to resume"


def _summary(counts: dict[str, int]) -> str:
    """Each state's count; lines still `sending` only when a run stopped without recording their outcomes."""
    summary = "  ".join(f"{state} {count}" for state, count in counts.items() if state != "sending")
    if counts.get("sending"):
        summary += f"  sending {counts['sending']} (outcomes not recorded: the next run marks them unknown)"
    return summary


def _describe_local_failure(failure: Exception) -> str:
    if isinstance(failure, OSError):
        where = f" {failure.filename}" if failure.filename else ""
        return f"cannot use{where}: {failure.strerror or failure}"
    return str(failure)


def bulk_exit_code(counts: dict[str, int], stopped: str | None, *, local_failure: bool = False) -> int:
    """What a script needs to know, most pressing first: a local failure, interrupted, refused, left to
    resume, unknown.

    A local failure comes first: the journal lags behind what was sent (its last outcomes were not
    recorded), so the other counts cannot be trusted until the cause is fixed and the run resumed.
    """
    if local_failure:
        return EXIT_LOCAL_FAILURE
    if stopped == INTERRUPTED:
        return EXIT_INTERRUPTED
    if stopped is not None or counts["failed"]:
        return EXIT_REFUSED
    # Lines still pending met only transient failures (unreachable, throttled): running again resumes them.
    if counts["pending"]:
        return EXIT_UNREACHABLE
    return EXIT_UNKNOWN if counts["unknown"] else EXIT_OK


async def _run_campaign(
    client: AsyncClient, bulk_input: Any, journal: CampaignJournal, arguments: argparse.Namespace
) -> tuple[str | None, Any]:
    """Send what is left; with --await-statuses, then wait for statuses and send again the unknown lines
    they prove were never accepted. Returns why the run stopped early (if it did), and what the wait did."""
    from d360.bulk.journal import UNKNOWN
    from d360.bulk.run import settle_unknown

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
    settlement = None
    try:
        async with client:
            stopped = await _health_refusal(client, journal, arguments)
            if stopped is not None:
                return stopped, None
            stopped = await _send_pass(client, bulk_input, journal, arguments, stop)
            unknown = journal.counts()[UNKNOWN]
            wait = arguments.await_statuses
            if stopped is None and not stop.is_set() and wait and unknown and not arguments.resend_unknown:
                settleable = unknown - journal.unknown_no_status_can_settle()
                if settleable:
                    print(f"bulk: waiting up to {wait:g}s for status webhooks to settle {settleable} unknown lines",
                          file=sys.stderr, flush=True)  # fmt: skip
                settlement = await settle_unknown(journal, wait, stop=stop)
                _tell_settlement(settlement, arguments.journal)
                if settlement.resent and not stop.is_set():
                    stopped = await _send_pass(client, bulk_input, journal, arguments, stop)
    finally:
        for stop_signal in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(stop_signal)
    return stopped or (interrupted[0] if interrupted else None), settlement


async def _health_refusal(client: AsyncClient, journal: Any, arguments: argparse.Namespace) -> str | None:
    """Why the run must not start (the number cannot send, as GET /health_status says), or None. Asked once,
    before the first send, and only when there is something to send. A health status that cannot be read
    (an endpoint a proxy does not serve, an outage) is said on stderr and the run goes on: the sends meet
    the same failure, and say it as before."""
    counts = journal.counts()
    if arguments.no_health_check or not (counts["pending"] or (arguments.resend_unknown and counts["unknown"])):
        return None
    try:
        health = await client.health()
    except D360Error as exc:
        say(f"bulk: the health status could not be read ({exc}); sending anyway", file=sys.stderr)
        return None
    if health.can_send:
        return None
    return "the number cannot send (d360 health): " + "; ".join(health.reasons)


async def _send_pass(
    client: AsyncClient, bulk_input: Any, journal: CampaignJournal, arguments: argparse.Namespace, stop: asyncio.Event
) -> str | None:
    from d360.bulk.run import send_remaining

    counts = journal.counts()
    to_send = counts["pending"] + (counts["unknown"] if arguments.resend_unknown else 0)
    progress = Progress(to_send, sys.stderr, interactive=sys.stderr.isatty()) if to_send else None
    return await send_remaining(
        client,
        bulk_input,
        journal,
        concurrency=arguments.concurrency,
        rate=arguments.rate or None,
        resend_unknown=arguments.resend_unknown,
        progress=progress,
        stop=stop,
    )


def _tell_settlement(settlement: Any, journal: str) -> None:
    """What the wait for statuses did, on stderr: at most three lines."""
    if settlement.settled or settlement.resent:
        resent = (
            f"; {settlement.resent} never were (statuses arrived before they were sent and came for lines sent "
            "after them, through one listener that stayed up throughout), and are sent again now"
            if settlement.resent
            else ""
        )
        print(
            f"bulk: of {settlement.unknown} unknown lines, status webhooks showed {settlement.settled} accepted"
            + resent,
            file=sys.stderr,
        )
    if settlement.without_token:
        say(
            f"bulk: {settlement.without_token} unknown lines are left as they are: sent without a d360 token (with "
            "their own biz_opaque_callback_data, which their statuses carry instead, so only the message id their "
            "lost answer held could tie those to them), or by an earlier d360 that did not record whether they "
            "carried one, so no status can prove upstream never took them (--resend-unknown sends them again, "
            "risking duplicates)",
            file=sys.stderr,
        )
    if settlement.kept > settlement.without_token:
        why = (
            "no status webhook had reached the journal {journal} before they were sent, or none came for lines "
            "sent after them, through one listener that stayed up throughout (a listener restarted between a line "
            "and the statuses after it proves nothing)"
            if settlement.statuses_recorded
            else "no status webhook reached the journal {journal} at all"
        )
        say(
            f"bulk: {settlement.kept - settlement.without_token} unknown lines stay unknown: "
            f"{why.format(journal=journal)}, so nothing shows "
            "upstream never took them (sending again could send them twice); check the listener (`d360 webhook "
            f"listen --journal {journal}` running, and the number's webhook URL pointing at it), then run the "
            "same command again",
            file=sys.stderr,
        )


def run_bulk_report(arguments: argparse.Namespace) -> int:
    from d360.bulk.journal import STATES
    from d360.bulk.journals import open_journal
    from d360.bulk.report import funnel_rows, html_report, no_status_note, read_report

    to_stdout = [flag for flag, path in (("--csv", arguments.csv), ("--html", arguments.html)) if path == "-"]
    if len(to_stdout) > 1:
        raise UsageError("--csv and --html cannot both write to standard output (-): give one of them a file")
    if to_stdout and arguments.json:
        raise UsageError(
            f"--json and {to_stdout[0]} - cannot both write to standard output: give {to_stdout[0]} a file"
        )
    for flag, path in (("--csv", arguments.csv), ("--html", arguments.html)):
        if path and path != "-" and _is_journal_file(path, arguments.journal):
            raise UsageError(f"{flag} {path} is the journal or one of its files: it would be overwritten; name another")
    # With a report on standard output, the lines for a person go to stderr: stdout holds the report alone.
    text = sys.stderr if to_stdout else None
    with open_journal(arguments.journal, campaign=arguments.campaign, read_only=True) as journal:
        summary = read_report(journal)
        if arguments.csv:
            with _output(arguments.csv) as out:
                _write_csv(out, journal.records(STATES), arguments.csv, workers=summary.workers is not None)
    counts, funnel, problems, meta = summary.counts, summary.funnel, summary.problems, summary.meta
    unseen = funnel["delivery"]["no status"]
    if arguments.html:
        page = html_report(
            f"Campaign {meta.get('input', arguments.journal)}", counts, funnel, journal=arguments.journal,
            workers=summary.workers,
        )  # fmt: skip
        with _output(arguments.html) as out:
            _write(out, page, arguments.html)
    if arguments.json:
        say_json(
            {
                "input": meta.get("input"),
                "counts": counts,
                "funnel": funnel,
                "no_status": {
                    "lines": unseen,
                    "note": no_status_note(unseen, arguments.journal) if unseen else None,
                },
                "workers": summary.workers,
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
        return EXIT_OK
    campaign = f" campaign {meta['journal_id']}" if summary.workers is not None and "journal_id" in meta else ""
    say(f"journal {arguments.journal}{campaign} for {meta.get('input', '?')}", file=text)
    for state in STATES:
        say(f"  {state:<9} {counts[state]}", file=text)
    say("funnel (from status webhooks):", file=text)
    for stage, count, share in funnel_rows(counts, funnel):
        say(f"  {stage:<9} {count:>8}  {share:6.1%}", file=text)
    if unseen:
        share = unseen / total if (total := sum(counts.values())) else 0.0
        say(f"  {'no status':<9} {unseen:>8}  {share:6.1%}  (accepted; no status for them yet)", file=text)
        say(no_status_note(unseen, arguments.journal), file=text)
    if funnel["delivery"]["failed"]:
        say("delivery failures by error code:", file=text)
        for failure in funnel["failures"]:
            say(f"  {failure['code']}: {failure['lines']} lines ({failure['error'] or 'no description'})", file=text)
    if summary.workers is not None:
        say(f"workers ({len(summary.workers)}):", file=text)
        for worker in summary.workers:
            say(f"  {worker['host']} pid {worker['pid']}: {worker['lines_sent']} lines sent, last heartbeat "
                f"{worker['last_heartbeat']}, {worker['state']}", file=text)  # fmt: skip
    for record in problems:
        say(f"line {record.line_number}: {record.state}: {record.error or ''} (attempts {record.attempts})", file=text)
    for written in (arguments.csv, arguments.html):
        if written and written != "-":
            say(f"wrote {written}", file=text)
    return EXIT_OK


JOURNAL_COMPANIONS = ("", "-wal", "-shm", "-journal", ".lock")
"""What a journal is on disk: its file, SQLite's write-ahead log, shared memory and rollback journal beside
it, and the run lock."""


def _is_journal_file(path: str, journal: str) -> bool:
    """Whether writing `path` would overwrite the journal or one of its companions (through any link or
    spelling of the path)."""
    target = Path(path)
    for suffix in JOURNAL_COMPANIONS:
        companion = Path(journal + suffix)
        try:
            if os.path.samefile(target, companion):
                return True
        except OSError:  # one of them does not exist (yet): the same path once resolved is the same file
            if target.resolve() == companion.resolve():
                return True
    return False


CSV_HEADER = ["line_number", "state", "message_id", "error", "attempts", "created_at", "updated_at", "delivery",
              "delivery_code", "delivery_error"]  # fmt: skip


def _write_csv(out: TextIO, records: Iterable[Any], path: str, *, workers: bool = False) -> None:
    """Every line's record; what came from outside (upstream's error texts, message ids) made inert for a
    spreadsheet, and an accepted line without a status said to be one. A shared journal's (`workers`) also
    names the worker that sent each line (id, host, pid)."""
    from d360.bulk.journal import ACCEPTED
    from d360.bulk.report import spreadsheet_safe

    writer = csv.writer(out)
    try:
        writer.writerow(CSV_HEADER + (["worker", "worker_host", "worker_pid"] if workers else []))
        for record in records:
            sent_by = [] if not workers else ["" if record.worker is None else record.worker,
                                              spreadsheet_safe(record.worker_host or ""),
                                              "" if record.worker_pid is None else record.worker_pid]  # fmt: skip
            writer.writerow(
                [
                    record.line_number,
                    record.state,
                    spreadsheet_safe(record.message_id or ""),
                    spreadsheet_safe(record.error or ""),
                    record.attempts,
                    record.created_at,
                    record.updated_at,
                    record.delivery or ("no status" if record.state == ACCEPTED else ""),
                    "" if record.delivery_code is None else record.delivery_code,
                    spreadsheet_safe(record.delivery_error or ""),
                    *sent_by,
                ]
            )
    except OSError as exc:
        raise _cannot_write(path, exc) from None


def _write(out: TextIO, text: str, path: str) -> None:
    try:
        out.write(text)
    except OSError as exc:
        raise _cannot_write(path, exc) from None


@contextlib.contextmanager
def _output(path: str) -> Iterator[TextIO]:
    """A report's output: standard output for `-`, else the file (made, or emptied). A path that cannot be
    opened is bad usage (exit 2); a write the disk refuses midway is a local failure (exit 74)."""
    if path == "-":
        yield sys.stdout
        return
    try:
        out = open(path, "w", newline="", encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as exc:
        if exc.errno in LOCAL_FAILURES:
            raise _cannot_write(path, exc) from None
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        yield out
    finally:
        try:
            out.close()
        except OSError as exc:  # the last of it flushed to a disk that is full
            raise _cannot_write(path, exc) from None


def _cannot_write(path: str, exc: OSError) -> LocalFailure:
    return LocalFailure(f"cannot write {path}: {exc.strerror or exc}")
