"""Fixtures shared by every test module: the repo's paths and a real scripted HTTP server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.scripted_server import ScriptedServer, scripted_server

ROOT = Path(__file__).resolve().parent.parent
UPSTREAM_PAGE = ROOT.parent / "shared" / "upstream" / "messages-1.44.0.md"
VENDORED_SPEC = ROOT / "openapi" / "messages.json"


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with scripted_server() as running:
        yield running
