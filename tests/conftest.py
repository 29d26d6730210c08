"""Fixtures shared by every test module: the repo's paths and a real scripted HTTP server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import d360
from tests.postgres import postgres_schema, postgres_url  # noqa: F401 - fixtures for every test file
from tests.redis_server import redis_prefix, redis_url  # noqa: F401 - fixtures for every test file
from tests.scripted_server import ScriptedServer, scripted_server

# Every `d360` subprocess a test starts imports the d360 these tests import, not whatever is installed:
# under `make mutate` that is mutmut's mutated copy, so a mutant in code that only runs inside
# `d360 bulk` is still caught.
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(Path(d360.__file__).resolve().parents[1]), *filter(None, [os.environ.get("PYTHONPATH")])]
)

ROOT = Path(__file__).resolve().parent.parent
# Upstream's docs page as served, kept verbatim so a clone tests without anything beside it.
UPSTREAM_PAGE = ROOT / "tests" / "fixtures" / "messages-1.44.0.md"
SHARED_UPSTREAM_PAGE = ROOT.parent / "shared" / "upstream" / "messages-1.44.0.md"
VENDORED_SPEC = ROOT / "openapi" / "messages.json"
"""Upstream's spec, as published."""
EFFECTIVE_SPEC = ROOT / "generated" / "d360_api" / "openapi.json"
"""Upstream's spec with openapi/overlay.yaml applied: what d360 validates against and the sandbox serves."""
OVERLAY = ROOT / "openapi" / "overlay.yaml"

# "ci" keeps `make test` well inside ten minutes on two cores; "thorough" is `make contract-full`.
# "ci" is derandomized, so a red CI run is reproducible and never a coin toss; "thorough" explores anew.
settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("thorough", max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with scripted_server() as running:
        yield running


@pytest.fixture(params=["sync", "async"])
def client_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def make_client(client_kind: str, server: ScriptedServer):  # type: ignore[no-untyped-def]
    """A factory for a sync or async client pointed at the scripted server, with recorded sleeps."""
    from tests.clients import ClientUnderTest

    def make(**options: object) -> ClientUnderTest:
        settings = {"api_key": "test-key-123", "base_url": server.base_url, **options}
        return ClientUnderTest(client_kind, **settings)

    return make


IN_CI = os.environ.get("CI", "").lower() == "true"

SLOW_FILES_FIRST = (
    "tests/test_contract_run_sandbox.py",
    "tests/contract/test_client_contract.py",
    "tests/contract/test_sandbox_contract.py",
    "tests/test_contract_tooling.py",
    "tests/test_bench.py",
    "tests/test_regen_pages.py",
    "tests/test_regen.py",
    "tests/test_bulk_journal.py",
)
"""The files that take longest, in that order. The parallel suite (`make test`, pytest-xdist's loadfile) hands
files to workers in collection order, so the longest start first and the short ones fill in around them,
instead of one long file starting last and running alone at the end."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Slow files first (see SLOW_FILES_FIRST); within a file, and for every other file, the order is kept.
    Every worker collects and orders alike, as xdist requires."""
    rank = {path: index for index, path in enumerate(SLOW_FILES_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """Under CI=true a skip is a failure: CI installs every tool and server the tests need, so a test that
    skips there claims more than CI runs. (Tests against upstream itself are deselected by the `live`
    marker, never skipped.)"""
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, where nothing may be missing: {reason}"


@pytest.fixture(autouse=True)
def _mutmut_stats_stay_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """mutmut's "stats" pass records which tests reach which functions, in this process; a subprocess
    has nowhere to record to, so it runs the code unmutated (mutmut keeps its own copy of the mode)."""
    if os.environ.get("MUTANT_UNDER_TEST") == "stats":
        monkeypatch.delenv("MUTANT_UNDER_TEST")
