"""The target under test and the suite's settings, from the options `d360 contract` passes.

No target URL: a local sandbox is started for the run. A remote target (upstream's sandbox, a team's
proxy) gets a handful of examples, a second apart: it may be rate-limited, and it may be real. Whatever
it answers, the run is bounded and never shows its key (`d360.contract.guards`).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import attrs
import httpx
import pytest
import requests
from hypothesis import HealthCheck, settings

from d360 import sandbox
from d360.config import is_loopback
from d360.contract import DEFAULT_CHECK_DEADLINE, DEFAULT_RUN_DEADLINE, SANDBOX_MEDIA_ROOM
from d360.contract.guards import CappedSession, Guards, fetch_json

LOCAL_KEY = "contract-key"
REMOTE_PAUSE = 1.0
PROBE_TIMEOUT = 5.0

settings.register_profile("d360-ci", max_examples=60, deadline=None, database=None, derandomize=True,
                          suppress_health_check=list(HealthCheck))  # fmt: skip
settings.register_profile("d360-thorough", max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))
settings.register_profile("d360-remote", max_examples=5, deadline=None, database=None, derandomize=True,
                          suppress_health_check=list(HealthCheck))  # fmt: skip


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("d360 contract")
    group.addoption("--d360-target-url", default=None, help="the target's base URL (default: a local sandbox)")
    group.addoption("--d360-target-key", default=None, help="the key the target takes")
    group.addoption("--d360-profile", default="ci", choices=["ci", "thorough"])
    group.addoption("--d360-to", default=None, help="for a remote target: the number its key delivers to")
    group.addoption("--d360-check-deadline", type=float, default=DEFAULT_CHECK_DEADLINE, help="seconds per check")
    group.addoption("--d360-deadline", type=float, default=DEFAULT_RUN_DEADLINE, help="seconds for the whole run")


TARGET_KEY = [LOCAL_KEY]
"""The key for the target, known once the options are parsed and before the checks are collected."""


def pytest_configure(config: pytest.Config) -> None:
    url = config.getoption("--d360-target-url")
    if url is not None:
        TARGET_KEY[0] = config.getoption("--d360-target-key") or ""
    remote = url is not None and not is_loopback(httpx.URL(url).host)
    settings.load_profile("d360-remote" if remote else f"d360-{config.getoption('--d360-profile')}")
    guards = Guards(TARGET_KEY[0], config.getoption("--d360-check-deadline"), config.getoption("--d360-deadline"))
    config.pluginmanager.register(guards, "d360-contract-guards")


@attrs.frozen
class Target:
    base_url: str
    api_key: str = attrs.field(repr=False)
    """Never in a repr: pytest prints a failing check's arguments, and a CI keeps the report."""
    remote: bool
    inspectable: bool
    """The target is a d360 sandbox: what it received can be read back and compared."""
    http: requests.Session = attrs.field(factory=CappedSession, repr=False, eq=False)
    """For schemathesis: every answer read with a cap and a deadline."""

    def received_bodies(self) -> list[Any]:
        status, found = fetch_json("GET", f"{self.base_url}{sandbox.INSPECTION_PATH}")
        messages = found.get("messages") if isinstance(found, dict) else None
        if status != 200 or not isinstance(messages, list):
            raise AssertionError(f"the target's {sandbox.INSPECTION_PATH} answered HTTP {status} without its messages")
        return [message.get("body") if isinstance(message, dict) else message for message in messages]

    def forget(self) -> None:
        if self.inspectable:
            fetch_json("DELETE", f"{self.base_url}{sandbox.INSPECTION_PATH}")

    def pace(self) -> None:
        if self.remote:
            time.sleep(REMOTE_PAUSE)


@pytest.fixture(scope="session")
def target(request: pytest.FixtureRequest) -> Iterator[Target]:
    url = request.config.getoption("--d360-target-url")
    if url is None:
        # The suite sends template messages of any name: it tests the spec's contract, not an account's templates.
        # Strict: the contract is the effective spec itself, so what it refuses the sandbox must refuse.
        served = sandbox.start(
            sandbox.Sandbox([LOCAL_KEY], template_check=False, strict=True, media_keep_bytes=SANDBOX_MEDIA_ROOM)
        )
        local = Target(served.base_url, LOCAL_KEY, remote=False, inspectable=True)
        try:
            yield local
        finally:
            local.http.close()
            served.stop()
        return
    key = request.config.getoption("--d360-target-key") or ""
    url = url.rstrip("/")
    remote = not is_loopback(httpx.URL(url).host)
    try:
        status, found = fetch_json("GET", f"{url}{sandbox.INSPECTION_PATH}", timeout=PROBE_TIMEOUT)
        inspectable = (
            status == 200
            and isinstance(found, dict)
            and {"accepted_count", "messages", "read_receipts"} <= found.keys()
        )
    except requests.RequestException:
        inspectable = False
    target = Target(url, key, remote=remote, inspectable=inspectable)
    try:
        yield target
    finally:
        target.http.close()
