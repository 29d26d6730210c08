"""Contract tests in a team's own CI: the pytest plugin's fixtures in a throwaway project, and `d360 contract`
against the sandbox, against servers that break the contract, and the JUnit XML it writes."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.contract_runs import contract, junit
from tests.scripted_server import Reply, ScriptedServer, ok_reply

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


# The key never shows; the run is bounded whatever the target does.

CANARY_KEY = "canary-key-5f3a9d"


def test_the_key_never_shows_in_a_failing_runs_output_or_junit(server: ScriptedServer, tmp_path: Path) -> None:
    # Off the spec and broken: checks fail, pytest prints their arguments (the Target fixture among them),
    # with -l (as a CI might set in PYTEST_ADDOPTS) every frame's locals too.
    server.script(Reply(200, {"messages": [{"id": "wamid.X", "message_status": 7}]}), Reply(200, b"not json"))
    report = tmp_path / "contract.xml"
    result = contract("--base-url", server.base_url, "--api-key", CANARY_KEY, "--junit-xml", str(report),
                      cwd=tmp_path, extra_environment={"PYTEST_ADDOPTS": "-l --tb=long -rA"})  # fmt: skip
    assert result.returncode == 1, result.stdout[-3000:]
    assert "target = Target(base_url=" in result.stdout  # the fixture is shown, without its key
    assert CANARY_KEY not in result.stdout + result.stderr
    assert CANARY_KEY not in report.read_text() and junit(report)["failures"] >= 1


SCRUBBED_CONFTEST = """
from d360.contract.guards import Guards


def pytest_configure(config):
    config.pluginmanager.register(Guards("canary-key-5f3a9d", 60, 600), "guards")
"""

SCRUBBED_TESTS = """
import logging


def test_the_key_in_a_local_an_argument_a_message_and_captured_output():
    key = "canary-key-5f3a9d"
    print(f"stdout says {key}")
    logging.getLogger("x").warning("the log says %s", key)
    headers = {"D360-API-KEY": key}
    assert headers == {}, f"the message says {key}"


def test_skipped_with_the_key():
    import pytest

    pytest.skip("canary-key-5f3a9d")
"""


def test_every_report_is_scrubbed_of_the_key(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(SCRUBBED_CONFTEST)
    pytester.makepyfile(test_scrubbed=SCRUBBED_TESTS, test_broken="raise RuntimeError('canary-key-5f3a9d at import')")
    result = pytester.runpytest_subprocess(
        "-p", "no:randomly", "-l", "-rA", "--junit-xml=report.xml", "--continue-on-collection-errors"
    )
    output = result.stdout.str() + result.stderr.str()
    assert "[REDACTED]" in output and "RuntimeError: [REDACTED] at import" in output
    assert CANARY_KEY not in output
    xml = (pytester.path / "report.xml").read_text()
    assert CANARY_KEY not in xml and "[REDACTED]" in xml


def gzip_bomb(mebibytes: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1 << 20)
    return b"".join([*(compressor.compress(block) for _ in range(mebibytes)), compressor.flush()])


@contextmanager
def answering_every_request_with(body: bytes, headers: dict[str, str]) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            self.close_connection = True
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(200)
            for name, value in {**headers, "Content-Length": str(len(body)), "Connection": "close"}.items():
                self.send_header(name, value)
            self.end_headers()
            with suppress(OSError):  # the client stops reading once it has read enough
                self.wfile.write(body)

        do_POST = do_DELETE = do_PUT = do_PATCH = do_GET

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


MEASURED = """
import resource, runpy, sys
sys.argv = ["d360", *sys.argv[1:]]
try:
    runpy.run_module("d360", run_name="__main__")
finally:
    print(f"peak-rss-kb {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", file=sys.stderr)
"""


def test_d360_contract_against_a_gzip_bomb_ends_with_bounded_memory_and_the_checks_failed(tmp_path: Path) -> None:
    # Every answer inflates to 512 MiB. Before, each was inflated whole: 1.8 GB of peak RSS for a 128 MiB bomb.
    bomb = gzip_bomb(512)
    report = tmp_path / "contract.xml"
    with answering_every_request_with(bomb, {"Content-Type": "application/json", "Content-Encoding": "gzip"}) as url:
        environment = {key: value for key, value in os.environ.items() if not key.startswith("D360_")}
        result = subprocess.run(
            [sys.executable, "-c", MEASURED, "contract", "--base-url", url, "--api-key", CANARY_KEY,
             "--junit-xml", str(report), "--check-deadline", "120", "--deadline", "900"],
            capture_output=True, text=True, env=environment, cwd=tmp_path, timeout=1200, check=False,
        )  # fmt: skip
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-3000:]
    peak = re.search(r"peak-rss-kb (\d+)", result.stderr)
    assert peak is not None, result.stderr[-2000:]
    peak_mb = int(peak.group(1)) / 1024
    print(f"d360 contract against a 512 MiB gzip bomb: peak RSS {peak_mb:.0f} MB")
    assert peak_mb < 800, f"peak RSS {peak_mb:.0f} MB"
    assert "was not read: the answer is larger than 1048576 bytes" in result.stdout  # schemathesis' checks
    assert "UnexpectedResponseError: HTTP 200, but the answer is larger than 1048576 bytes" in result.stdout  # clients
    assert "check_the_target_honours_the_effective_spec[POST /messages]" in result.stdout
    counts = junit(report)
    assert counts["failures"] + counts["errors"] == counts["tests"] > 50
    assert CANARY_KEY not in result.stdout + result.stderr + report.read_text()


def test_d360_contract_against_a_target_that_never_answers_ends_at_its_deadlines(tmp_path: Path) -> None:
    silent = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    silent.bind(("127.0.0.1", 0))
    silent.listen(1024)  # connections are taken (by the kernel) and never answered
    report = tmp_path / "contract.xml"
    try:
        result = contract("--base-url", f"http://127.0.0.1:{silent.getsockname()[1]}", "--api-key", CANARY_KEY,
                          "--check-deadline", "8", "--deadline", "120", "--junit-xml", str(report), cwd=tmp_path)  # fmt: skip
    finally:
        silent.close()
    # The bound is about hanging, not speed: the subprocess's own timeout (CONTRACT_HANG_GUARD) would fail the test.
    assert result.returncode == 1, result.stdout[-3000:]
    assert "not done within the check's deadline of 8 s (--check-deadline)" in result.stdout
    assert "the run's deadline of 120 s (--deadline) passed: the checks after" in result.stdout
    counts = junit(report)
    assert counts["failures"] + counts["errors"] >= 1 and counts["tests"] < 100  # the rest were not run
    assert CANARY_KEY not in result.stdout + result.stderr + report.read_text()


@pytest.mark.parametrize(("flag", "value"), [("--check-deadline", "0"), ("--deadline", "²"), ("--deadline", "1.5")])
def test_d360_contract_refuses_a_deadline_that_cannot_work(flag: str, value: str, tmp_path: Path) -> None:
    result = contract(flag, value, cwd=tmp_path)
    assert result.returncode == 2 and f"argument {flag}: a deadline is a whole number of seconds" in result.stderr
