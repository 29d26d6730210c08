"""A real headless Chromium, for the tests that look at a page as a person would. `.ci/run` installs it
from Debian's packages; on a laptop without one these tests skip, saying how to install it (never under
CI=true: tests/conftest.py makes such a skip a failure there)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

# No network of its own: no background fetches, updates, sync or QUIC, which a closed network refuses
# (slowly, many at a time), and a fresh profile every run.
HEADLESS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium() -> str:
    """The browser's path, or a skip naming how to install one."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        pytest.skip("no headless Chromium on this machine: apt-get install chromium (as .ci/run does)")
    return browser


def rendered_dom(page: Path) -> str:
    """The page's DOM after the browser has loaded and laid it out."""
    with tempfile.TemporaryDirectory(prefix="d360-chromium-") as profile:
        return subprocess.run(
            [chromium(), *HEADLESS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout


def screenshot(page: Path, picture: Path, width: int, height: int) -> int:
    """Draw the page into `picture`; return its size in bytes (a blank page draws almost nothing)."""
    with tempfile.TemporaryDirectory(prefix="d360-chromium-") as profile:
        subprocess.run(
            [chromium(), *HEADLESS, f"--user-data-dir={profile}", f"--screenshot={picture}",
             f"--window-size={width},{height}", page.as_uri()],
            capture_output=True,
            timeout=120,
            check=True,
        )  # fmt: skip
    return picture.stat().st_size
