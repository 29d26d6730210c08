"""Start-up: `import d360` and a CLI run load only what they use, and the laziness loses nothing.

No timing here (the figures live in `bench/run.py`): these pin the behaviour a faster start-up must keep,
so that an eager import creeping back, or a command the lazy parser forgets, fails a test.
"""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys

import pytest

import d360
from d360.cli import COMMANDS, build_parser

# What a plain `import d360` must not load on top of what `import httpx` loads (httpx pulls in rich and
# click itself when they are installed, so the comparison is with httpx's own set).
HEAVY = ("aiohttp", "jsonschema_rs", "d360_api", "yaml", "rich", "click", "sqlite3", "asyncio", "d360.cli")


def _modules_after(statement: str) -> set[str]:
    probe = f"import json, sys\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return set(json.loads(found))


def test_a_fresh_import_of_d360_loads_nothing_heavy_beyond_httpx() -> None:
    added = _modules_after("import d360") - _modules_after("import httpx")
    heavy = sorted(name for name in added if any(name == top or name.startswith(f"{top}.") for top in HEAVY))
    assert heavy == []
    assert "d360.client" in added  # the probe saw d360's own import at all


def test_every_public_name_is_importable_from_a_fresh_process() -> None:
    # One process: `from d360 import X` for each name in turn, the lazy ones loading on that first use.
    probe = "import d360\n" + "".join(
        f"from d360 import {name}\nassert d360.{name} is {name} is not None\n" for name in d360.__all__
    )
    subprocess.run([sys.executable, "-c", probe], check=True)


def test_every_public_name_resolves_and_an_unknown_one_is_an_attribute_error() -> None:
    for name in d360.__all__:
        assert getattr(d360, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        d360.nothing_here  # noqa: B018


def _choices(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    (action,) = (action for action in parser._actions if isinstance(action, argparse._SubParsersAction))
    return dict(action.choices)


def test_the_command_table_names_every_command_the_full_parser_has_in_its_order() -> None:
    assert list(_choices(build_parser())) == list(COMMANDS)
    for module_name, adder in COMMANDS.values():
        assert callable(getattr(importlib.import_module(module_name), adder))


def test_d360_help_lists_every_command() -> None:
    shown = subprocess.run([sys.executable, "-m", "d360", "--help"], capture_output=True, text=True, check=True)
    listed = {line.split()[0] for line in shown.stdout.splitlines() if line.startswith("    ") and line.split()}
    assert set(COMMANDS) <= listed


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_command_s_own_parser_is_the_one_the_full_parser_holds(command: str) -> None:
    alone, full = _choices(build_parser(command)), _choices(build_parser())
    assert command in alone
    assert set(alone) < set(full)  # only the command's module was asked to add its commands
    assert alone[command].format_help() == full[command].format_help()


def test_an_unknown_command_is_refused_naming_the_choices() -> None:
    refused = subprocess.run([sys.executable, "-m", "d360", "bulkk"], capture_output=True, text=True)
    assert refused.returncode == 2
    assert "bulkk" in refused.stderr
    assert "webhook" in refused.stderr  # the full parser was built to list what exists


def test_a_bulk_run_imports_no_other_command_s_module() -> None:
    probe = (
        "import json, sys\n"
        "from d360.cli import main\n"
        "try:\n"
        "    main(['bulk', '--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps(sorted(name for name in sys.modules if name.startswith('d360.cli.'))), file=sys.stderr)"
    )
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded = set(json.loads(found.stderr.strip().splitlines()[-1]))
    assert "d360.cli.bulk" in loaded
    others = {module_name for module_name, _ in COMMANDS.values()} - {"d360.cli.bulk"}
    assert loaded & others == set()
    assert "usage: d360 bulk" in found.stdout


def test_bulk_report_spelled_in_two_words_still_reaches_its_command() -> None:
    shown = subprocess.run(
        [sys.executable, "-m", "d360", "bulk", "report", "--help"], capture_output=True, text=True, check=True
    )
    assert "usage: d360 bulk-report" in shown.stdout


def test_the_async_transport_loads_certificates_only_for_a_request_that_uses_tls() -> None:
    import ssl

    from d360.config import DEFAULT_TIMEOUT
    from d360.transports import AiohttpTransport

    transport = AiohttpTransport(DEFAULT_TIMEOUT)
    assert transport._tls_for("http://127.0.0.1:8080/messages") is True  # plain HTTP: nothing loaded
    assert transport._tls_context is None
    context = transport._tls_for("HTTPS://waba-v2.360dialog.io/messages")
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert transport._tls_for("https://waba-v2.360dialog.io/media") is context  # built once, then reused
    proxied = AiohttpTransport(DEFAULT_TIMEOUT, proxy="https://proxy.example:3128")
    assert isinstance(proxied._tls_for("http://127.0.0.1:8080/messages"), ssl.SSLContext)  # TLS to the proxy
