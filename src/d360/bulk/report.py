"""What became of a campaign: the journal's funnel (accepted, then sent, delivered, read or failed, from
status webhooks), as text, JSON, CSV, or a one-page HTML report with a chart for a campaign owner.

Text from outside (upstream's errors, message ids) is escaped for the page, and made inert for a
spreadsheet in the CSV: a cell that starts like a formula would otherwise run when the file is opened.
"""

from __future__ import annotations

import datetime
import html
from typing import Any

import attrs

from d360.bulk.journal import DELIVERY_STATES, FAILED, STATES, UNKNOWN, LineRecord
from d360.bulk.protocol import CampaignJournal, is_shared

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""How a cell a spreadsheet would run as a formula starts: OWASP's list, and the full-width signs some
spreadsheets take for the same in East Asian locales."""

COLOURS = {"sent": "#9db4c0", "delivered": "#5c6b73", "read": "#2a9d8f", "failed": "#e76f51", "no status": "#d9d9d9"}


@attrs.frozen
class CampaignReport:
    """What a report shows of a campaign, read from its journal (SQLite or PostgreSQL) in one go."""

    meta: dict[str, str]
    counts: dict[str, int]
    funnel: dict[str, Any]
    problems: list[LineRecord]
    """The failed and unknown lines, with their errors."""
    workers: list[dict[str, Any]] | None = None
    """A shared journal's workers (host, pid, lines sent, last heartbeat, how it ended); None for a journal
    one run at a time sends (SQLite)."""


def read_report(journal: CampaignJournal) -> CampaignReport:
    return CampaignReport(
        meta=journal.meta(),
        counts=journal.counts(),
        funnel=journal.funnel(),
        problems=list(journal.records((FAILED, UNKNOWN))),
        workers=[describe_worker(worker) for worker in journal.workers()] if is_shared(journal) else None,
    )


def describe_worker(worker: dict[str, Any]) -> dict[str, Any]:
    """A worker as a report shows it: its times in UTC (ISO 8601), `state` running, finished or died."""
    return {
        "id": worker["id"],
        "host": worker["host"],
        "pid": worker["pid"],
        "lines_sent": int(worker["lines_sent"]),
        "started_at": _utc(worker["started_at"]),
        "last_heartbeat": _utc(worker["heartbeat_at"]),
        "state": worker["ended"] or "running",
    }


def _utc(seconds: float) -> str:
    return datetime.datetime.fromtimestamp(seconds, datetime.UTC).isoformat(timespec="seconds")


def spreadsheet_safe(text: str) -> str:
    """A CSV cell a spreadsheet shows as text and never runs: one that starts like a formula gets a `'`
    first (OWASP's advice on CSV injection). For text from outside only: d360's own numbers stay numbers."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def no_status_note(lines: int, journal: str) -> str:
    """What accepted lines without a status mean, and how to get their statuses."""
    return (
        f"{lines:,} accepted lines have no status: no status webhook for them has reached this journal. Statuses "
        f"reach it only through a listener: `d360 webhook listen --journal {journal}`, at the webhook URL set for "
        "the number, while the run goes or after it (upstream redelivers an unanswered status for days)"
    )


def funnel_rows(counts: dict[str, int], funnel: dict[str, Any]) -> list[tuple[str, int, float]]:
    """(stage, lines, share of all lines) from the input down to read: each stage includes the later ones."""
    total = sum(counts[state] for state in STATES)
    delivery = funnel["delivery"]
    reached = {
        "accepted": funnel["accepted"],
        "sent": delivery["sent"] + delivery["delivered"] + delivery["read"],
        "delivered": delivery["delivered"] + delivery["read"],
        "read": delivery["read"],
    }
    rows = [("lines", total, 1.0)]
    rows += [(stage, count, count / total if total else 0.0) for stage, count in reached.items()]
    return rows


def html_report(
    title: str,
    counts: dict[str, int],
    funnel: dict[str, Any],
    *,
    journal: str = "JOURNAL",
    workers: list[dict[str, Any]] | None = None,
) -> str:
    """A self-contained page: the funnel as bars, the delivery states (with what "no status" means when
    lines have none), the failures by error code, and a shared campaign's workers."""
    rows = funnel_rows(counts, funnel)
    width = 560
    bars = []
    for index, (stage, count, share) in enumerate(rows):
        y = 10 + index * 44
        bar = max(2, int(width * share)) if count else 0
        bars.append(
            f'<text x="0" y="{y + 22}" class="label">{stage}</text>'
            f'<rect x="110" y="{y}" width="{bar}" height="32" rx="3" fill="#2a9d8f" data-stage="{stage}" '
            f'data-count="{count}"></rect>'
            f'<text x="{118 + bar}" y="{y + 22}" class="value">{count:,} ({share:.1%})</text>'
        )
    chart = (
        f'<svg id="funnel" viewBox="0 0 {width + 260} {20 + 44 * len(rows)}" role="img" '
        f'aria-label="campaign funnel">{"".join(bars)}</svg>'
    )
    delivery = funnel["delivery"]
    state_rows = "".join(
        f'<tr><td><span class="swatch" style="background:{COLOURS[state]}"></span>{state}</td>'
        f'<td class="number" data-state="{state}">{delivery[state]:,}</td></tr>'
        for state in ("no status", *DELIVERY_STATES)
    )
    unseen = delivery["no status"]
    no_status = f'<p class="note" id="no-status">{html.escape(no_status_note(unseen, journal))}</p>' if unseen else ""
    line_rows = "".join(
        f'<tr><td>{state}</td><td class="number" data-line-state="{state}">{counts[state]:,}</td></tr>'
        for state in STATES
        if state != "sending"
    )
    failures = (
        "".join(
            f'<tr><td class="number">{failure["code"] if failure["code"] is not None else "-"}</td>'
            f"<td>{html.escape(failure['error'] or '')}</td>"
            f'<td class="number" data-failure-code="{failure["code"]}">{failure["lines"]:,}</td></tr>'
            for failure in funnel["failures"]
        )
        or '<tr><td colspan="3">No delivery failures.</td></tr>'
    )
    worker_section = ""
    if workers is not None:
        worker_rows = (
            "".join(
                f'<tr data-worker="{worker["id"]}"><td>{html.escape(str(worker["host"]))}</td>'
                f'<td class="number">{worker["pid"]}</td><td class="number">{worker["lines_sent"]:,}</td>'
                f"<td>{worker['last_heartbeat']}</td><td>{worker['state']}</td></tr>"
                for worker in workers
            )
            or '<tr><td colspan="5">No worker has joined.</td></tr>'
        )
        worker_section = (
            "<h2>Workers</h2><table><thead><tr><th>host</th><th>pid</th><th>lines sent</th>"
            f"<th>last heartbeat (UTC)</th><th>state</th></tr></thead><tbody>{worker_rows}</tbody></table>"
        )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 860px; color: #222; }}
h1 {{ font-size: 1.4rem; }} h2 {{ font-size: 1.1rem; margin-top: 2rem; }}
.label {{ font-size: 14px; fill: #333; }} .value {{ font-size: 13px; fill: #555; }}
table {{ border-collapse: collapse; min-width: 320px; }} td, th {{ padding: 4px 12px; border-bottom: 1px solid #eee; }}
.number {{ text-align: right; font-variant-numeric: tabular-nums; }}
.note {{ color: #555; max-width: 640px; }}
.swatch {{ display: inline-block; width: 10px; height: 10px; margin-right: 8px; border-radius: 2px; }}
</style></head>
<body>
<h1>{html.escape(title)}</h1>
<p>Of every line in the input, how many upstream accepted, and what status webhooks then reported.</p>
{chart}
<h2>Delivery of accepted messages</h2>
<table><tbody>{state_rows}</tbody></table>
{no_status}
<h2>Failures by error code</h2>
<table><thead><tr><th>code</th><th>error</th><th>lines</th></tr></thead><tbody>{failures}</tbody></table>
<h2>Lines</h2>
<table><tbody>{line_rows}</tbody></table>
{worker_section}
</body></html>
"""
