"""The command line at its edges: a disk that fills mid-run, a reader that closes the pipe early, `-` for
stdout, `--version`. Real `d360` subprocesses against the sandbox; the full disk is a real one (the
process's file size limit lowered, so every write past it fails with EFBIG)."""

from __future__ import annotations

import collections
import csv
import io
import json
import os
import re
import resource
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import d360
from d360 import sandbox
from tests.scripted_server import Reply, scripted_server
from tests.test_bulk import KEY, bodies_received, bulk, journal_states, write_jsonl
from tests.test_cli import D360

FULL_AT = 1_500_000
"""Bytes a file may grow to in the full-disk runs: past the journal's filling (about 400 KB for 3,000
lines), well short of what sending them all writes to its log."""


def with_a_disk_full_at(size: int) -> None:
    """For `preexec_fn`: a write past `size` bytes fails with EFBIG, as on a full disk (and the signal the
    kernel would send instead is ignored, as a process that handles its errors does)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("d360: error: ")]


def test_a_disk_that_fills_mid_run_ends_with_one_line_the_summary_and_exit_74(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "campaign.jsonl", 3000)
    journal = tmp_path / "campaign.sqlite"
    environment = {**os.environ, "D360_API_KEY": KEY}
    with sandbox.running([KEY]) as served:
        environment["D360_BASE_URL"] = served.base_url
        full = subprocess.run(  # at the default rate, as the run: outcomes commit apart from the sends
            [D360, "bulk", str(source), "--journal", str(journal)],
            capture_output=True, text=True, env=environment, timeout=300, check=False,
            preexec_fn=lambda: with_a_disk_full_at(FULL_AT),
        )  # fmt: skip
        at_failure = collections.Counter(journal_states(journal).values())
        sent_before = bodies_received(served)
        resumed = bulk(served.base_url, str(source), "--journal", str(journal), "--rate", "0")
        received = bodies_received(served)
    assert full.returncode == 74, full.stderr
    (line,) = error_lines(full.stderr)
    assert re.fullmatch(
        rf"d360: error: cannot write to the journal {re.escape(str(journal))}: "
        r"(database or disk is full|disk I/O error); lines may have been sent",
        line,
    ), line
    for noise in ("Traceback", "Future exception was never retrieved", "Exception ignored", "Task exception"):
        assert noise not in full.stderr
    (summary,) = full.stdout.splitlines()
    # Lines caught mid-send are named only when there are some: the failed commit may have held outcomes alone.
    caught = at_failure["sending"]
    assert summary == (
        f"bulk: pending {at_failure['pending']}  accepted {at_failure['accepted']}  failed 0  unknown 0  "
        + (f"sending {caught} (outcomes not recorded: the next run marks them unknown)  " if caught else "")
        + "(stopped early: a local failure: fix it and run the same command again to resume)"
    )
    assert at_failure["accepted"] > 0 and at_failure["pending"] > 0, at_failure  # it failed mid-run
    assert len(sent_before) >= at_failure["accepted"]
    # With room again, the same command resumes: nothing twice, and only lines caught mid-send unknown.
    assert resumed.returncode in (0, 4), resumed.stderr
    assert max(received.values()) == 1, "a line was sent twice"
    states = collections.Counter(journal_states(journal).values())
    assert states["accepted"] + states["unknown"] == 3000 and states["unknown"] <= at_failure["sending"]


def test_a_full_disk_while_filling_the_journal_sends_nothing_and_exits_74(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "campaign.jsonl", 3000)
    journal = tmp_path / "campaign.sqlite"
    with sandbox.running([KEY]) as served:
        result = subprocess.run(
            [D360, "bulk", str(source), "--journal", str(journal)],
            capture_output=True, text=True, timeout=120, check=False,
            env={**os.environ, "D360_API_KEY": KEY, "D360_BASE_URL": served.base_url},
            preexec_fn=lambda: with_a_disk_full_at(100_000),
        )  # fmt: skip
        assert served.received() == []
    assert result.returncode == 74, result.stderr
    (line,) = error_lines(result.stderr)
    assert f"cannot fill the journal {journal}: " in line and line.endswith("; nothing was sent")
    assert result.stdout == "" and "Traceback" not in result.stderr


def filled_journal(tmp_path: Path, lines: int = 40) -> Path:
    journal = tmp_path / "campaign.sqlite"
    with sandbox.running([KEY]) as served:
        done = bulk(served.base_url, str(write_jsonl(tmp_path / "campaign.jsonl", lines)), "--journal", str(journal))
    assert done.returncode == 0, done.stderr
    return journal


def test_bulk_report_into_a_pipe_closed_early_ends_quietly_with_its_exit_code(tmp_path: Path) -> None:
    journal = filled_journal(tmp_path)
    with sqlite3.connect(journal) as db:  # enough problem lines that the report outgrows a pipe's buffer
        db.execute("UPDATE lines SET state = 'failed', error = ?", ("BadRequestError: " + "x" * 4000,))
    report = subprocess.Popen([D360, "bulk", "report", str(journal)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert report.stdout is not None and report.stderr is not None
    head = [report.stdout.readline() for _ in range(3)]  # `| head -3`
    report.stdout.close()
    errors = report.stderr.read().decode()
    assert report.wait(30) == 0, errors  # what `bulk report` exits with: the reader leaving changes nothing
    assert errors == ""  # no "Broken pipe", no traceback, no "Exception ignored"
    assert head[0].decode().startswith(f"journal {journal} for campaign.jsonl")


def test_a_closed_stdout_at_the_very_end_is_quiet_too(tmp_path: Path) -> None:
    journal = filled_journal(tmp_path, lines=3)
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody will read: the first write (the flush at the end) meets a closed pipe
    with os.fdopen(write_end, "wb") as closed:
        result = subprocess.run([D360, "bulk", "report", str(journal), "--json"], stdout=closed,
                                stderr=subprocess.PIPE, timeout=60, check=False)  # fmt: skip
    assert (result.returncode, result.stderr) == (0, b"")


def test_a_bulk_run_into_a_closed_pipe_still_finishes_and_exits_with_its_code(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "campaign.jsonl", 30)
    read_end, write_end = os.pipe()
    os.close(read_end)
    with sandbox.running([KEY]) as served, os.fdopen(write_end, "wb") as closed:
        result = subprocess.run(
            [D360, "bulk", str(source), "--journal", str(tmp_path / "run.sqlite"), "--max-retries", "0"],
            stdout=closed, stderr=closed, timeout=120, check=False,
            env={**os.environ, "D360_API_KEY": KEY, "D360_BASE_URL": served.base_url},
        )  # fmt: skip
        assert len(served.received()) == 30  # the reader's leaving did not stop the campaign
    assert result.returncode == 0
    assert set(journal_states(tmp_path / "run.sqlite").values()) == {"accepted"}


def test_csv_and_html_to_stdout_with_a_dash(tmp_path: Path) -> None:
    journal = filled_journal(tmp_path, lines=5)
    as_csv = subprocess.run([D360, "bulk", "report", str(journal), "--csv", "-"], capture_output=True, text=True,
                            cwd=tmp_path, timeout=60, check=False)  # fmt: skip
    assert as_csv.returncode == 0, as_csv.stderr
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [row["line_number"] for row in rows] == ["1", "2", "3", "4", "5"]  # stdout holds the CSV alone
    assert "accepted" in as_csv.stderr  # the summary for a person goes to stderr instead
    as_html = subprocess.run([D360, "bulk", "report", str(journal), "--html", "-"], capture_output=True, text=True,
                             cwd=tmp_path, timeout=60, check=False)  # fmt: skip
    assert as_html.returncode == 0, as_html.stderr
    assert as_html.stdout.startswith("<!doctype html>") and as_html.stdout.rstrip().endswith("</html>")
    assert not (tmp_path / "-").exists()  # no file named "-"
    both = subprocess.run([D360, "bulk", "report", str(journal), "--csv", "-", "--html", "-"], capture_output=True,
                          text=True, cwd=tmp_path, timeout=60, check=False)  # fmt: skip
    assert both.returncode == 2 and both.stdout == ""
    (line,) = error_lines(both.stderr)
    assert "--csv and --html cannot both write to standard output" in line
    with_json = subprocess.run([D360, "bulk", "report", str(journal), "--json", "--csv", "-"], capture_output=True,
                               text=True, cwd=tmp_path, timeout=60, check=False)  # fmt: skip
    assert with_json.returncode == 2 and "--json" in with_json.stderr and with_json.stdout == ""


def test_a_report_file_the_disk_cannot_hold_exits_74(tmp_path: Path) -> None:
    journal = filled_journal(tmp_path, lines=200)
    with sqlite3.connect(journal) as db:  # a CSV of about 200 KB
        db.execute("UPDATE lines SET error = ?", ("x" * 1000,))
    result = subprocess.run(
        [D360, "bulk", "report", str(journal), "--csv", str(tmp_path / "report.csv")],
        capture_output=True, text=True, timeout=60, check=False, preexec_fn=lambda: with_a_disk_full_at(100_000),
    )  # fmt: skip
    assert result.returncode == 74, result.stderr
    (line,) = error_lines(result.stderr)
    assert f"cannot write {tmp_path / 'report.csv'}: File too large" in line and "Traceback" not in result.stderr


def test_version_names_the_distribution_and_the_messaging_api() -> None:
    from importlib.metadata import version

    result = subprocess.run([D360, "--version"], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"d360-messaging {version('d360-messaging')} (Messaging API {d360.SPEC_VERSION})\n"
    assert d360.__version__ == version("d360-messaging")
    pyproject = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert f'\nversion = "{d360.__version__}"\n' in pyproject


def test_the_version_is_read_only_when_asked_for() -> None:
    code = (
        "import sys, d360; before = 'importlib.metadata' in sys.modules; v = d360.__version__; "
        "print(before, 'importlib.metadata' in sys.modules, v)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    before, after, value = result.stdout.split()
    assert (before, after) == ("False", "True") and value == d360.__version__


@pytest.mark.parametrize("flag", ["--csv", "--html"])
def test_an_unwritable_report_path_is_still_bad_usage(tmp_path: Path, flag: str) -> None:
    journal = filled_journal(tmp_path, lines=1)
    result = subprocess.run([D360, "bulk", "report", str(journal), flag, str(tmp_path / "no" / "dir.out")],
                            capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert result.returncode == 2 and len(error_lines(result.stderr)) == 1


def test_json_summary_of_a_run_names_what_the_wait_for_statuses_did(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "campaign.jsonl", 3)
    with sandbox.running([KEY]) as served:
        result = bulk(served.base_url, str(source), "--journal", str(tmp_path / "run.sqlite"), "--json")
    summary = json.loads(result.stdout)
    assert summary["counts"]["accepted"] == 3 and summary["statuses"] is None and summary["stopped_early"] is None


def test_upstream_text_holding_a_lone_surrogate_is_journaled_escaped_with_no_traceback(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "campaign.jsonl", 3)
    journal = tmp_path / "run.sqlite"
    answer = '{"messaging_product":"whatsapp","contacts":[{"input":"4915112345678","wa_id":"4915112345678"}],' \
             '"messages":[{"id":"wamid.%s\\ud83d"}]}'  # fmt: skip
    refusal = '{"error":{"message":"(#100) Invalid parameter \\udc00","type":"OAuthException","code":100}}'
    with scripted_server() as server:
        server.script(Reply(200, answer % 1), Reply(400, refusal), Reply(200, answer % 3))
        result = bulk(server.base_url, str(source), "--journal", str(journal), "--concurrency", "1",
                      "--no-template-check", "--no-health-check", "--max-retries", "0")  # fmt: skip
    assert result.returncode == 1, result.stderr  # a line upstream refused: exit 1, as for any refusal
    assert "Traceback" not in result.stderr and "UnicodeEncodeError" not in result.stderr
    with sqlite3.connect(journal) as db:
        rows = db.execute("SELECT line_number, state, message_id, error FROM lines ORDER BY 1").fetchall()
    assert [row[:3] for row in rows] == [
        (1, "accepted", "wamid.1\\ud83d"),
        (2, "failed", None),
        (3, "accepted", "wamid.3\\ud83d"),
    ]
    assert "Invalid parameter \\udc00" in rows[1][3]


@pytest.mark.parametrize("flag", ["--csv", "--html"])
def test_a_report_is_never_written_over_the_journal_or_its_files(tmp_path: Path, flag: str) -> None:
    journal = filled_journal(tmp_path, lines=3)
    before = journal.read_bytes()
    (tmp_path / "link.sqlite").symlink_to(journal)
    (tmp_path / "sub").mkdir()
    for output in (
        str(journal),
        f"{journal}-wal",
        f"{journal}-shm",
        f"{journal}.lock",
        str(tmp_path / "sub" / ".." / journal.name),  # the same file, spelled otherwise
        str(tmp_path / "link.sqlite"),  # or reached through a link
    ):
        result = subprocess.run([D360, "bulk", "report", str(journal), flag, output], capture_output=True, text=True,
                                cwd=tmp_path, timeout=60, check=False)  # fmt: skip
        assert result.returncode == 2, (output, result.stderr)
        assert error_lines(result.stderr) == [
            f"d360: error: {flag} {output} is the journal or one of its files: it would be overwritten; name another"
        ]
        assert result.stderr.count("\n") == 1 and result.stdout == ""
    assert journal.read_bytes() == before
    assert collections.Counter(journal_states(journal).values()) == {"accepted": 3}
    beside = subprocess.run([D360, "bulk", "report", str(journal), flag, str(tmp_path / "campaign.sqlite.out")],
                            capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert beside.returncode == 0, beside.stderr  # a name that merely starts like the journal's is fine
