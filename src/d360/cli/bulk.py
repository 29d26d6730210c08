"""`d360 bulk` and `d360 bulk report`: a resumable campaign from a file, and the sum of its journal."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import gc
import json
import math
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from d360.bulk.progress import Progress
from d360.cli.common import (
    EPILOG,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_REFUSED,
    EXIT_UNKNOWN,
    EXIT_UNREACHABLE,
    INTERRUPTED,
    Commands,
    UsageError,
    connection_options,
    say,
)
from d360.client import AsyncClient
from d360.concurrency import check_concurrency
from d360.config import MAX_CONCURRENCY
from d360.errors import ConfigurationError


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
        help="on resuming, wait this long for status webhooks (d360 webhook listen --journal) to settle the "
        "unknown lines; those no status speaks for were never accepted and are sent again",
    )
    bulk.add_argument("--template", metavar="NAME", help="CSV input: the template to fill")
    bulk.add_argument("--language", metavar="CODE", help="CSV input: the template's language")
    bulk.add_argument(
        "--no-template-check",
        action="store_true",
        help="send template messages without first checking each against its template (by default each "
        "template is fetched once, and a line that does not fit refuses the whole campaign, nothing sent)",
    )
    bulk.set_defaults(handler=run_bulk)
    report = commands.add_parser(
        "bulk-report",
        help="sum up a bulk journal (also: d360 bulk report JOURNAL)",
        description="Counts per state, and each failed or unknown line with its error.",
    )
    report.add_argument("journal", metavar="JOURNAL")
    report.add_argument("--csv", metavar="OUT", help="also write every line's record to this CSV file")
    report.add_argument("--html", metavar="OUT", help="also write a one-page HTML report with the funnel as a chart")
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
    from d360.bulk.input import BulkInput
    from d360.bulk.journal import Journal
    from d360.bulk.run import prepare_journal, validate_input

    try:
        check_concurrency(arguments.concurrency)
    except ConfigurationError:
        raise UsageError(f"--concurrency must be from 1 to {MAX_CONCURRENCY}, not {arguments.concurrency}") from None
    if not (math.isfinite(arguments.rate) and arguments.rate >= 0):
        raise UsageError(f"--rate must be 0 (no limit) or a positive number, not {arguments.rate}")
    bulk_input = BulkInput(Path(arguments.file), template=arguments.template, language=arguments.language)
    client = AsyncClient(
        api_key=arguments.api_key,
        base_url=arguments.base_url,
        timeout=arguments.timeout,
        max_retries=arguments.max_retries,
        validate=False,
    )
    bulk_input.check()
    templates = None
    if not arguments.no_template_check:  # each template line against its template, before anything is sent
        from d360.bulk.template_check import CampaignTemplateCheck

        templates = CampaignTemplateCheck.connecting(
            api_key=arguments.api_key, base_url=arguments.base_url, timeout=arguments.timeout,
            max_retries=arguments.max_retries, csv=bulk_input.is_csv,
        )  # fmt: skip
    try:
        report = validate_input(
            bulk_input,
            lambda line: say(f"line {line.line_number}: {'; '.join(line.problems)}", file=sys.stderr),
            templates.see if templates is not None else None,
        )
    finally:
        if templates is not None:
            templates.close()
    refusal = templates.refusal() if templates is not None else None
    if refusal is not None and (arguments.skip_invalid or not report.invalid):  # invalid lines are said first
        raise UsageError(refusal)
    if report.invalid and not arguments.skip_invalid:
        raise UsageError(
            f"{len(report.invalid)} of {report.total} lines are invalid; nothing was sent "
            "(--skip-invalid sends the rest)"
        )
    if not (math.isfinite(arguments.await_statuses) and arguments.await_statuses >= 0):
        raise UsageError(f"--await-statuses must be 0 or more seconds, not {arguments.await_statuses}")
    with Journal(arguments.journal) as journal:
        recovered = prepare_journal(journal, bulk_input, report)
        unknown = journal.counts()["unknown"]
        if arguments.await_statuses and unknown:
            from d360.bulk.run import await_statuses

            settled, resent = asyncio.run(await_statuses(journal, arguments.await_statuses))
            print(f"bulk: of {unknown} unknown lines, status webhooks showed {settled} accepted; {resent} never "
                  "were, and are sent now", file=sys.stderr)  # fmt: skip
            recovered = 0
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
        say(f"bulk: {summary}" + (f"  (stopped early: {stopped})" if stopped else ""))
    return bulk_exit_code(counts, stopped)


def bulk_exit_code(counts: dict[str, int], stopped: str | None) -> int:
    """What a script needs to know, most pressing first: interrupted, refused, left to resume, unknown."""
    if stopped == INTERRUPTED:
        return EXIT_INTERRUPTED
    if stopped is not None or counts["failed"]:
        return EXIT_REFUSED
    # Lines still pending met only transient failures (unreachable, throttled): running again resumes them.
    if counts["pending"]:
        return EXIT_UNREACHABLE
    return EXIT_UNKNOWN if counts["unknown"] else EXIT_OK


async def _run_bulk_sends(
    client: AsyncClient, bulk_input: Any, journal: Any, arguments: argparse.Namespace, progress: Progress | None
) -> str | None:
    from d360.bulk.run import send_remaining

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
    from d360.bulk.journal import FAILED, STATES, UNKNOWN, Journal
    from d360.bulk.report import funnel_rows, html_report

    with Journal(arguments.journal, read_only=True) as journal:
        counts = journal.counts()
        funnel = journal.funnel()
        problems = list(journal.records((FAILED, UNKNOWN)))
        if arguments.csv:
            try:
                out = open(arguments.csv, "w", newline="", encoding="utf-8")  # noqa: SIM115 - closed below
            except OSError as exc:
                raise UsageError(f"cannot write {arguments.csv}: {exc.strerror or exc}") from None
            with out:
                writer = csv.writer(out)
                writer.writerow(["line_number", "state", "message_id", "error", "attempts", "created_at", "updated_at",
                                 "delivery", "delivery_code", "delivery_error"])  # fmt: skip
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
                            record.delivery or "",
                            "" if record.delivery_code is None else record.delivery_code,
                            record.delivery_error or "",
                        ]
                    )
        meta = journal.meta()
    if arguments.html:
        page = html_report(f"Campaign {meta.get('input', arguments.journal)}", counts, funnel)
        try:
            Path(arguments.html).write_text(page, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write {arguments.html}: {exc.strerror or exc}") from None
    if arguments.json:
        print(
            json.dumps(
                {
                    "input": meta.get("input"),
                    "counts": counts,
                    "funnel": funnel,
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
    say(f"journal {arguments.journal} for {meta.get('input', '?')}")
    for state in STATES:
        say(f"  {state:<9} {counts[state]}")
    say("funnel (from status webhooks):")
    for stage, count, share in funnel_rows(counts, funnel):
        say(f"  {stage:<9} {count:>8}  {share:6.1%}")
    if funnel["delivery"]["failed"]:
        say("delivery failures by error code:")
        for failure in funnel["failures"]:
            say(f"  {failure['code']}: {failure['lines']} lines ({failure['error'] or 'no description'})")
    for record in problems:
        say(f"line {record.line_number}: {record.state}: {record.error or ''} (attempts {record.attempts})")
    for written in (arguments.csv, arguments.html):
        if written:
            say(f"wrote {written}")
    return EXIT_OK
