"""Contract tests in a team's own CI: the pytest plugin's fixtures in a throwaway project, and `d360 contract`
against the sandbox, against servers that break the contract, and the JUnit XML it writes."""

from __future__ import annotations

import os
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from tests.scripted_server import Reply, ScriptedServer, ok_reply
from tests.test_cli import D360

THROWAWAY_TESTS = """
import asyncio

import d360


def test_the_client_reaches_the_sandbox(d360_sandbox, d360_client):
    result = d360_client.send_text("4915112345678", "Your order has shipped")
    [message] = d360_sandbox.received()
    assert message.body["text"] == {"body": "Your order has shipped"}
    assert message.message_id == result.message_id


def test_each_test_starts_empty(d360_sandbox):
    assert d360_sandbox.received() == []


def test_faults_are_set_per_test(d360_sandbox, d360_client):
    d360_sandbox.set_faults(unavailable_rate=1.0)
    try:
        d360_client.with_options(max_retries=0).send_text("4915112345678", "Hi")
    except d360.ServerError as error:
        assert error.status_code == 503
    else:
        raise AssertionError("the fault was not injected")


def test_faults_are_off_again(d360_client):
    assert d360_client.send_text("4915112345678", "Hi").message_id


def test_the_async_client_reaches_the_sandbox(d360_sandbox, d360_async_client):
    async def send():
        async with d360_async_client:
            return await d360_async_client.send_text("4915112345678", "Hi")

    assert asyncio.run(send()).message_id == d360_sandbox.received()[0].message_id
"""


pytest_plugins = ["pytester"]


def test_the_plugins_fixtures_work_in_a_throwaway_project(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_app=THROWAWAY_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:randomly", "-q")
    result.assert_outcomes(passed=5)


LEAKY_TESTS = """
import httpx

import d360


def test_a_leaves_everything_behind(d360_sandbox, d360_client):
    d360_client.set_webhook("http://127.0.0.1:9/hooks", headers={"X-Partner-Auth": "letmein"})
    d360_client.send_text("4915112345678", "left behind")
    d360_client.mark_as_read("wamid.ABC")
    d360_client.media.upload(b"%PDF-1.4", "application/pdf", filename="a.pdf")
    session = d360_client.media.create_upload_session(b"x" * 100, "application/pdf", filename="b.pdf")
    httpx.post(f"{d360_sandbox.base_url}/{session}", content=b"x" * 40,
               headers={"D360-API-KEY": d360_sandbox.api_key, "file_offset": "0"})
    d360_sandbox.set_faults(latency=0.01, seed=5)
    assert d360_sandbox.sandbox.webhooks.pending == 1  # the statuses wait to be retried (nobody listens)


def test_b_starts_from_nothing(d360_sandbox, d360_client):
    app = d360_sandbox.sandbox
    assert d360_sandbox.received() == [] and app.accepted_count == 0 and list(app.read_receipts) == []
    assert app.faults == d360.sandbox.Faults()
    assert d360_client.get_webhook().url is None and app.webhooks.settings.headers == {}
    assert app.webhooks.pending == 0 and app.webhooks.stats.attempts == 0
    assert len(app.media) == 0 and app.media.sessions == {} and list(app.media.folder.iterdir()) == []
"""


def test_nothing_of_one_test_reaches_the_next_through_d360_sandbox(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_leaks=LEAKY_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:randomly", "-q")
    result.assert_outcomes(passed=2)


def test_loading_the_plugin_imports_nothing_of_d360() -> None:
    import subprocess
    import sys

    probe = "import sys, d360_pytest; print(sorted(name for name in sys.modules if name.startswith(('d360', 'httpx'))))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "['d360_pytest']"


def test_live_mode_without_a_key_skips_with_the_reason(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("D360_SANDBOX_KEY", raising=False)
    pytester.makepyfile(test_app="def test_live(d360_client):\n    raise AssertionError('ran without a key')\n")
    result = pytester.runpytest_subprocess("--d360-live", "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*--d360-live needs upstream's sandbox key: set D360_SANDBOX_KEY*"])


def contract(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("D360_")}
    return subprocess.run([D360, "contract", *arguments], capture_output=True, text=True, env=environment,
                          cwd=cwd, timeout=600, check=False)  # fmt: skip


def junit(path: Path) -> dict[str, int]:
    suite = ElementTree.parse(path).getroot().find("testsuite")
    assert suite is not None
    return {name: int(suite.get(name, "0")) for name in ("tests", "failures", "errors")}


def test_d360_contract_passes_against_the_sandbox_and_writes_junit(tmp_path: Path) -> None:
    report = tmp_path / "contract.xml"
    result = contract("--junit-xml", str(report), cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-3000:]
    counts = junit(report)
    assert counts["tests"] > 50 and counts["failures"] == 0 and counts["errors"] == 0


def test_d360_contract_fails_a_server_with_an_off_spec_answer(server: ScriptedServer, tmp_path: Path) -> None:
    # message_status must be a string: 7 is off the spec.
    server.script(Reply(200, {"messages": [{"id": "wamid.X", "message_status": 7}]}))
    report = tmp_path / "contract.xml"
    result = contract("--base-url", server.base_url, "--api-key", "any-key", "--junit-xml", str(report), cwd=tmp_path)
    assert result.returncode == 1, result.stdout[-3000:]
    assert "Response violates schema" in result.stdout
    assert junit(report)["failures"] >= 1


def test_d360_contract_fails_a_server_that_accepts_an_invalid_body(server: ScriptedServer, tmp_path: Path) -> None:
    server.script(ok_reply())  # 200 to everything, the invalid bodies included
    result = contract("--base-url", server.base_url, "--api-key", "any-key", cwd=tmp_path)
    assert result.returncode == 1
    assert "Schema-violating request accepted" in result.stdout
    assert "API accepts requests without authentication" in result.stdout


def test_d360_contract_needs_the_targets_key(tmp_path: Path) -> None:
    result = contract("--base-url", "http://127.0.0.1:9", cwd=tmp_path)
    assert result.returncode == 2
    assert "a --base-url target needs its key" in result.stderr
