"""A real headless Chromium, for the tests that look at a page as a person would: skipped where none is
installed (CI installs none)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

HEADLESS = ["--headless", "--no-sandbox", "--disable-gpu"]


def chromium() -> str:
    """The browser's path, or a skip naming how to install one."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        pytest.skip("no headless Chromium on this machine (apt-get install chromium)")
    return browser


def rendered_dom(page: Path) -> str:
    """The page's DOM after the browser has loaded and laid it out."""
    return subprocess.run(
        [chromium(), *HEADLESS, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120, check=True
    ).stdout


def screenshot(page: Path, picture: Path, width: int, height: int) -> int:
    """Draw the page into `picture`; return its size in bytes (a blank page draws almost nothing)."""
    subprocess.run(
        [chromium(), *HEADLESS, f"--screenshot={picture}", f"--window-size={width},{height}", page.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    return picture.stat().st_size
