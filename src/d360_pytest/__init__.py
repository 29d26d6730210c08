"""d360's pytest plugin, registered through the `pytest11` entry point: a sandbox and clients for your tests.

A package of its own, outside `d360`, so that loading it (pytest loads every registered plugin at
start-up) imports pytest alone: it costs nothing in a test run that uses none of its fixtures.

    def test_order_confirmation_is_sent(d360_sandbox, d360_client):
        notify_customer(d360_client, order)               # your code, given the fixture's client
        [message] = d360_sandbox.received()
        assert message.body["template"]["name"] == "order_confirmation"

Fixtures: `d360_sandbox` (a sandbox emptied for each test: no messages, faults, webhook URL, media or
pending webhooks from another test, and only its starting templates; `d360_sandbox.set_faults(server_error_rate=1.0)`
changes its faults, `d360_sandbox.add_template(...)` adds a template), `d360_sandbox_session` (one sandbox, its
state shared by the session), `d360_client` and `d360_async_client` bound to the sandbox, or to upstream's
sandbox with `--d360-live` (and D360_SANDBOX_KEY; skipped with the reason when it is not set). Nothing of d360
is imported until a fixture is used.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    import d360
    from d360.sandbox import RunningSandbox

LIVE_BASE_URL = "https://waba-sandbox.360dialog.io"
SANDBOX_KEY = "d360-pytest-key"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("d360")
    group.addoption(
        "--d360-live",
        action="store_true",
        help="point d360_client and d360_async_client at upstream's sandbox (D360_SANDBOX_KEY; D360_SANDBOX_URL)",
    )


@pytest.fixture(scope="session")
def d360_sandbox_session() -> Iterator[RunningSandbox]:
    """One local sandbox for the whole session, on 127.0.0.1; what it receives accumulates."""
    from d360 import sandbox

    served = sandbox.start(sandbox.Sandbox([SANDBOX_KEY]))
    try:
        yield served
    finally:
        served.stop()


@pytest.fixture
def d360_sandbox(d360_sandbox_session: RunningSandbox) -> Iterator[RunningSandbox]:
    """The session's sandbox, emptied for this test (and after it): no kept messages, every fault off, no
    webhook URL or headers, no media or upload sessions, no pending webhook, only its starting templates
    (`Sandbox.reset`; `d360_sandbox.add_template(...)` adds one for this test)."""
    d360_sandbox_session.sandbox.reset()
    yield d360_sandbox_session
    d360_sandbox_session.sandbox.reset()


def _target(request: pytest.FixtureRequest) -> tuple[str, str]:
    if request.config.getoption("--d360-live"):
        key = os.environ.get("D360_SANDBOX_KEY")
        if not key:
            pytest.skip("--d360-live needs upstream's sandbox key: set D360_SANDBOX_KEY")
        return os.environ.get("D360_SANDBOX_URL", LIVE_BASE_URL), key
    served: RunningSandbox = request.getfixturevalue("d360_sandbox")
    return served.base_url, served.api_key


@pytest.fixture
def d360_client(request: pytest.FixtureRequest) -> Iterator[d360.Client]:
    """A `d360.Client` bound to the sandbox (or, with --d360-live, to upstream's)."""
    import d360

    base_url, key = _target(request)
    with d360.Client(api_key=key, base_url=base_url) as client:
        yield client


@pytest.fixture
def d360_async_client(request: pytest.FixtureRequest) -> Iterator[d360.AsyncClient]:
    """A `d360.AsyncClient` bound like `d360_client`; use it from one event loop (one test)."""
    import d360

    base_url, key = _target(request)
    client = d360.AsyncClient(api_key=key, base_url=base_url)
    yield client
    with contextlib.suppress(Exception):  # the test's loop is gone: close what can still be closed
        asyncio.run(_close(client))


async def _close(client: Any) -> None:
    await client.aclose()
