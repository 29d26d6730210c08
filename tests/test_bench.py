"""The benchmark's own smoke run: `bench/run.py --quick` measures every contender end to end (the sync and
async clients, `d360 bulk`, the receiver, imports) and reports them with its targets. No figure is asserted
here (speed lives in `make bench`, never in a test); what is pinned is that the bench still runs and still
reports every contender and every target, so a change cannot silently break `make bench`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_quick_bench_runs_and_reports_every_contender_and_target(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--results", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    results = json.loads((tmp_path / "latest.json").read_text())
    for scenario in ("sync", "async", "bulk", "receiver", "imports"):
        assert results[scenario], f"no {scenario} figures"
    assert {"d360.AsyncClient.send_text", "d360.AsyncClient.send_many", "raw aiohttp (ceiling)"} <= set(
        results["async"]
    )
    assert results["targets"] and all(isinstance(target["met"], bool) for target in results["targets"])
    table = (tmp_path / "latest.md").read_text()
    assert table in done.stdout
    assert "**Targets**" in table and "own CPU share" in table
