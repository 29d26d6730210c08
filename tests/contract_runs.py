"""Running `d360 contract` as a team's CI does: a subprocess with a hang guard, and its JUnit XML read back."""

from __future__ import annotations

import os
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from tests.test_cli import D360

CONTRACT_HANG_GUARD = 1800


def contract(
    *arguments: str, cwd: Path, extra_environment: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("D360_")}
    environment.update(extra_environment or {})
    # A hang guard, not a speed bound: the run has its own deadlines (a check 900 s, the run 3600 s), and a
    # whole run against the sandbox takes several minutes on two cores shared with the suite's other workers.
    return subprocess.run([D360, "contract", *arguments], capture_output=True, text=True, env=environment,
                          cwd=cwd, timeout=CONTRACT_HANG_GUARD, check=False)  # fmt: skip


def junit(path: Path) -> dict[str, int]:
    suite = ElementTree.parse(path).getroot().find("testsuite")
    assert suite is not None
    return {name: int(suite.get(name, "0")) for name in ("tests", "failures", "errors")}
