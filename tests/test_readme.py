"""Every code block of the README runs, as pasted, against a local sandbox: an example that drifts from the
code fails here.

Each fenced block is one test, run in README order as a reader would paste them: Python blocks in a
fresh interpreter, shell blocks in bash (`-e`, `-o pipefail`), all in one scratch folder holding the
sample files of `examples/readme/` (where the README says to run them), against one sandbox, with the
environment the README tells a reader to set (`D360_API_KEY=sandbox-key`, `D360_BASE_URL` at the
sandbox, `D360_WEBHOOK_SECRET`). The README's ports (8360 for the sandbox, 8000 for a webhook listener)
are mapped to free ones. An HTML comment just before a block, invisible on the page, says what else to do:

    <!-- readme-test: skip REASON -->      not run; the reason says why (and where it is tested instead)
    <!-- readme-test: exit N -->           the block ends with exit code N
    <!-- readme-test: serves PORT -->      each line starts a server on PORT that runs until stopped: it
                                           passes once the port answers, and must stop cleanly on SIGINT
    <!-- readme-test: own-ports -->        the block starts servers of its own (in the background): the
                                           README's ports are fresh ones, and its processes are stopped after
    <!-- readme-test: pytest -->           the block is a test module: pytest runs it (d360's plugin on)
    <!-- readme-test: postgres -->         the block needs a PostgreSQL server: its URLs on 127.0.0.1:5432
                                           are the test server's (tests/postgres.py), in a schema of its own
                                           that is dropped after; no server is a skip (a failure in CI)
    <!-- readme-test: redis -->            the block needs a Redis server: its URLs on 127.0.0.1:6379/0 are
                                           the test server's (tests/redis_server.py), with a key prefix of its
                                           own whose keys are deleted after; no server is a skip
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from d360 import sandbox
from tests.postgres import POSTGRES_URL

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
SAMPLES = ROOT / "examples" / "readme"
SANDBOX_KEY = "sandbox-key"
WEBHOOK_SECRET = "s3cret"
README_PORTS = (8360, 8000)
"""The sandbox's port and a webhook listener's, as the README writes them."""
BLOCK_TIMEOUT = 120.0

_BLOCK = re.compile(
    r"^(?:<!-- readme-test: (?P<directive>[^>]*?) -->\n)?```(?P<language>[\w-]*)\n(?P<code>.*?)^```$", re.M | re.S
)
_LANGUAGES = {"python": "python", "sh": "sh", "bash": "sh", "console": "sh"}


@attrs.frozen
class Block:
    line: int
    language: str
    code: str
    directive: str

    @property
    def name(self) -> str:
        return f"line-{self.line}-{self.language or 'text'}"


def readme_blocks(text: str) -> list[Block]:
    return [
        Block(
            text.count("\n", 0, match.start("language")) + 1, match["language"], match["code"], match["directive"] or ""
        )
        for match in _BLOCK.finditer(text)
    ]


BLOCKS = readme_blocks(README.read_text(encoding="utf-8"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@attrs.define
class Stage:
    """What every block runs against: a sandbox, the environment the README sets, a port map."""

    base_url: str
    ports: dict[int, int]
    environment: dict[str, str]

    def localize(self, code: str) -> str:
        for port, mapped in self.ports.items():
            code = re.sub(rf"(?<![\d.]){port}(?!\d)", str(mapped), code)
        return code


@pytest.fixture(scope="module")
def stage() -> Iterator[Stage]:
    ports = {port: free_port() for port in README_PORTS}
    with sandbox.running(
        api_keys=[SANDBOX_KEY], port=ports[8360], webhook_url=f"http://127.0.0.1:{ports[8000]}/",
        webhook_secret=WEBHOOK_SECRET,
    ) as served:  # fmt: skip
        environment = {
            **os.environ,
            "D360_API_KEY": SANDBOX_KEY,
            "D360_BASE_URL": served.base_url,
            "D360_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "PYTHONUNBUFFERED": "1",
            # The `d360` and `python` this test runs with, whatever the caller's PATH holds.
            "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        }
        environment.pop("CI", None)
        yield Stage(served.base_url, ports, environment)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for every block, as a reader pastes one after the other: what one writes, the next reads."""
    folder = tmp_path_factory.mktemp("readme")
    shutil.copytree(SAMPLES, folder, dirs_exist_ok=True)
    return folder


def command_for(block: Block, code: str) -> list[str]:
    if _LANGUAGES[block.language] == "python":
        return [sys.executable, "-c", code]
    return ["bash", "-e", "-o", "pipefail", "-c", code]


def wait_for_port(port: int, process: subprocess.Popen[str], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server ended before answering on port {port}: {process.communicate()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nothing answered on port {port} within {timeout} s")


def stop(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    """SIGINT to the whole process group (as Ctrl-C does), then the answer; a kill only if it hangs."""
    try:
        os.killpg(process.pid, signal.SIGINT)
        out, err = process.communicate(timeout=300)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        out, err = process.communicate()
        raise AssertionError(f"did not stop on SIGINT: {err[-2000:]}") from None
    except ProcessLookupError:
        out, err = process.communicate()
    return process.returncode, out, err


def start(command: list[str], scratch: Path, environment: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        command, cwd=scratch, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip


README_POSTGRES = re.compile(r"postgresql://127\.0\.0\.1:5432/test(?:\?schema=\w+)?")
"""A PostgreSQL URL as the README writes it."""


def on_the_test_server(code: str, request: pytest.FixtureRequest) -> str:
    """The block's PostgreSQL URLs, each the test server's in one fresh schema (skips with no server)."""
    from tests.postgres import with_query

    url = with_query(POSTGRES_URL, schema=request.getfixturevalue("postgres_schema"))
    return README_POSTGRES.sub(url, code)


README_REDIS = re.compile(r"redis://127\.0\.0\.1:6379/0(?:\?prefix=[\w:.-]+)?")
"""A Redis URL as the README writes it."""


def on_the_redis_test_server(code: str, request: pytest.FixtureRequest) -> str:
    """The block's Redis URLs, each the test server's with one fresh key prefix (skips with no server)."""
    return README_REDIS.sub(str(request.getfixturevalue("redis_url")), code)


RUNNABLE = [block for block in BLOCKS if block.language in _LANGUAGES and not block.directive.startswith("skip")]
"""The blocks run here; a block marked `skip` is never collected (so never a skip under CI=true): it needs
what no test may use (upstream itself, the internet) or is shown elsewhere, as its reason says."""


@pytest.mark.parametrize("block", RUNNABLE, ids=[block.name for block in RUNNABLE])
def test_readme_block_runs_as_pasted(block: Block, stage: Stage, scratch: Path, request: pytest.FixtureRequest) -> None:
    verb, _, argument = block.directive.partition(" ")
    if verb in ("serves", "own-ports"):
        # Servers of the block's own: the README's ports are fresh ones, never the stage's sandbox's.
        stage = attrs.evolve(stage, ports={port: free_port() for port in README_PORTS})
    code = stage.localize(block.code)
    if verb == "postgres":
        code = on_the_test_server(code, request)
    if verb == "redis":
        code = on_the_redis_test_server(code, request)
    if verb == "serves":
        port = stage.ports.get(int(argument), int(argument))
        for line in (line for line in code.splitlines() if line.strip() and not line.lstrip().startswith("#")):
            process = start(command_for(block, line), scratch, stage.environment)
            wait_for_port(port, process, 60)
            returncode, _out, err = stop(process)
            assert returncode in (0, 130, -signal.SIGINT), (
                f"README line {block.line}: {line}: exit {returncode}\n{err[-3000:]}"
            )
        return
    if verb == "pytest":
        (scratch / "test_readme_example.py").write_text(code, encoding="utf-8")
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_readme_example.py"]
    else:
        command = command_for(block, code)
    # Output to files, not pipes: what a block leaves running in the background holds no pipe open.
    with tempfile.TemporaryFile("w+") as out_file, tempfile.TemporaryFile("w+") as err_file:
        process = subprocess.Popen(
            command, cwd=scratch, env=stage.environment, stdout=out_file, stderr=err_file, text=True,
            start_new_session=True,
        )  # fmt: skip
        try:
            process.wait(timeout=BLOCK_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        finally:
            if verb == "own-ports":  # what the block left running in the background, stopped as Ctrl-C would
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGINT)
        out_file.seek(0)
        err_file.seek(0)
        out, err = out_file.read(), err_file.read()
    expected = int(argument) if verb == "exit" else 0
    assert process.returncode == expected, (
        f"README line {block.line}: exit {process.returncode}, expected {expected}\n"
        f"--- stdout\n{out[-3000:]}\n--- stderr\n{err[-3000:]}"
    )


def test_every_block_is_run_or_says_why_not() -> None:
    """A block in a language the runner cannot run is data (yaml, text): fine. A directive it does not know
    is a typo that would silently skip a block."""
    for block in BLOCKS:
        verb, _, argument = block.directive.partition(" ")
        assert verb in ("", "skip", "exit", "serves", "own-ports", "pytest", "postgres", "redis"), (
            f"README line {block.line}: {block.directive!r}"
        )
        assert verb != "skip" or len(argument.split()) >= 3, f"README line {block.line}: a skip must say why"
    assert len(RUNNABLE) >= 20
