"""`d360 contract` against d360's own sandbox, the whole packaged suite: the longest test, in a file of its own
so the parallel suite starts it first and runs it beside the rest (tests/conftest.py orders the slow files
first)."""

from __future__ import annotations

from pathlib import Path

from tests.contract_runs import contract, junit


def test_d360_contract_passes_against_the_sandbox_and_writes_junit(tmp_path: Path) -> None:
    report = tmp_path / "contract.xml"
    result = contract("--junit-xml", str(report), cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-3000:]
    counts = junit(report)
    assert counts["tests"] > 50 and counts["failures"] == 0 and counts["errors"] == 0
