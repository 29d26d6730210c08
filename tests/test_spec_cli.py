"""`d360 spec diff` on untrusted specs: any bad input ends in one line with exit 2, "could not fetch" in
exit 3, odd but valid JSON never in a traceback, and nothing a spec holds can drive the terminal."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import UPSTREAM_PAGE
from tests.scripted_server import Reply, ScriptedServer
from tests.spec_versions import vendored_spec


def d360(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "d360", *arguments], capture_output=True, text=True, timeout=120, check=False
    )


def write(folder: Path, name: str, content: Any) -> str:
    path = folder / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return str(path)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def odd(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    spec = vendored_spec()
    change(spec)
    return spec


def deeply_nested_schema(depth: int) -> dict[str, Any]:
    """JSON the parser takes, nested deeper than a recursive comparison can follow."""
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(depth):
        schema = {"type": "object", "properties": {"a": schema}}
    return schema


# Shapes JSON allows and a careless reader trips on (each gave exit 70 and a traceback before).
ODD_BUT_READABLE = {
    "required holds objects": lambda s: s["components"]["schemas"]["messages.TextMessage"].update(required=[{}]),
    "properties is a list": lambda s: s["components"]["schemas"]["messages.TextMessage"].update(properties=[1]),
    "a boolean schema": lambda s: s["components"]["schemas"].update({"messages.TextMessage": True}),
    "parameters is a string": lambda s: s["paths"]["/messages"]["post"].update(parameters="none"),
    "a parameter is a number": lambda s: s["paths"]["/messages"]["post"].update(parameters=[7]),
    "responses is a list": lambda s: s["paths"]["/messages"]["post"].update(responses=[]),
    "a path item is a string": lambda s: s["paths"].update({"/media": "none"}),
    "an operation is a list": lambda s: s["paths"]["/messages"].update(get=[]),
    "enum is an object": lambda s: s["components"]["schemas"]["messages.Message"]["properties"]["type"].update(
        enum={"a": 1}
    ),
    "enum holds objects": lambda s: s["components"]["schemas"]["messages.Message"]["properties"]["type"].update(
        enum=[{"a": 1}, [2]]
    ),
}


@pytest.mark.parametrize("change", list(ODD_BUT_READABLE))
def test_odd_but_valid_json_is_compared_not_a_traceback(change: str, tmp_path: Path) -> None:
    new = write(tmp_path, "new.json", odd(ODD_BUT_READABLE[change]))
    for old, newer in ((str(UPSTREAM_PAGE), new), (new, str(UPSTREAM_PAGE))):
        result = d360("spec", "diff", old, newer)
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
        assert result.stdout.startswith("spec 1.44.0 -> 1.44.0: ")


@pytest.mark.parametrize(
    ("make_source", "expected"),
    [
        (lambda folder: write(folder, "page.md", "# Messages\n\nNo fence.\n"), "neither OpenAPI JSON nor a docs page"),
        (lambda folder: write(folder, "broken.json", '{"openapi": '), "invalid JSON in "),
        (lambda folder: write(folder, "swagger.json", {"swagger": "2.0", "info": {"version": "1"}}), "not an OpenAPI 3"),
        (lambda folder: write(folder, "list.json", {"openapi": "3.1.0", "info": {"version": "1"}, "paths": []}),
         "`paths` must be an object"),
        (lambda folder: write(folder, "ref.json", odd(lambda s: s["components"]["schemas"].update(
            {"x": {"$ref": "file:///etc/passwd"}}))), "leaves the document"),
        (lambda folder: write(folder, "deep.json", '{"a": ' * 100_000 + "1" + "}" * 100_000), "nested too deeply"),
        (lambda folder: write(folder, "deep-schema.json", odd(lambda s: s["components"]["schemas"].update(
            deep=deeply_nested_schema(450)))), "nested too deeply"),
        (lambda folder: write(folder, "huge.json", '{"openapi": "' + "x" * (16 * 1024 * 1024) + '"}'), "too large"),
        (lambda folder: str(folder / "absent.json"), "no such file: "),
        (lambda folder: str(folder), "is not a regular file"),
    ],
    ids=["no-fence", "not-json", "swagger-2", "paths-a-list", "external-ref", "too-deep", "deep-schema", "too-large",
         "missing", "a-folder"],
)  # fmt: skip
def test_bad_input_is_one_line_and_exit_2(make_source: Callable[[Path], str], expected: str, tmp_path: Path) -> None:
    result = d360("spec", "diff", str(UPSTREAM_PAGE), make_source(tmp_path))
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("d360: error: "), result.stderr
    assert expected in lines[0]
    assert "root:" not in result.stderr
    assert result.stdout == ""


def test_an_unreachable_url_exits_3(tmp_path: Path) -> None:
    result = d360("spec", "diff", str(UPSTREAM_PAGE), f"http://127.0.0.1:{closed_port()}/messages.md")
    assert result.returncode == 3
    assert result.stderr.startswith("d360: error: cannot fetch http://127.0.0.1:")
    assert result.stderr.count("\n") == 1


def test_an_http_error_exits_3(server: ScriptedServer) -> None:
    server.script(Reply(404, "gone"))
    result = d360("spec", "diff", f"{server.base_url}/old.md", str(UPSTREAM_PAGE))
    assert (result.returncode, result.stderr.strip()) == (
        3,
        f"d360: error: cannot fetch {server.base_url}/old.md: HTTP 404",
    )


def test_a_source_slower_than_the_deadline_exits_3_at_the_deadline(server: ScriptedServer) -> None:
    server.script(Reply(200, UPSTREAM_PAGE.read_text(encoding="utf-8"), trickle=0.01, trickle_body_only=True))
    started = time.monotonic()
    result = d360("spec", "diff", str(UPSTREAM_PAGE), f"{server.base_url}/messages.md", "--deadline", "1")
    assert result.returncode == 3, result.stderr
    assert "not read whole within 1 s" in result.stderr
    assert time.monotonic() - started < 60  # about a hang, not about speed


def test_a_deadline_must_be_positive() -> None:
    result = d360("spec", "diff", str(UPSTREAM_PAGE), str(UPSTREAM_PAGE), "--deadline", "0")
    assert (result.returncode, result.stderr.strip()) == (
        2,
        "d360: error: --deadline must be more than 0 seconds, not 0",
    )


def test_what_a_spec_names_cannot_drive_the_terminal(tmp_path: Path) -> None:
    def hostile_names(spec: dict[str, Any]) -> None:
        properties = spec["components"]["schemas"]["messages.TextMessage"]["properties"]
        properties["\x1b]0;pwned\x07\x1b[2J"] = {"type": "string"}
        properties["half an emoji \ud83d"] = {"type": "string"}
        properties["right-to-left \u202egnp.exe"] = {"type": "string"}
        spec["components"]["schemas"]["messages.Message"]["properties"]["type"]["enum"].append("line\u2028break")

    new = write(tmp_path, "new.json", odd(hostile_names))
    result = subprocess.run(
        [sys.executable, "-m", "d360", "spec", "diff", str(UPSTREAM_PAGE), new],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    shown = result.stdout.decode("utf-8")
    assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown and "\u2028" not in shown
    assert "property '\\x1b]0;pwned\\x07\\x1b[2J' added" in shown
    assert "property 'half an emoji \\ud83d' added" in shown
    assert "property 'right-to-left \\u202egnp.exe' added" in shown
    assert 'enum value "line\\u2028break" added' in shown
    assert all(line.isprintable() for line in shown.splitlines())
    as_json = d360("spec", "diff", str(UPSTREAM_PAGE), new, "--json")
    assert as_json.returncode == 0 and as_json.stdout.isascii()  # JSON escapes them itself


def test_the_overlay_report_prints_one_line_per_action_each_escaped(tmp_path: Path) -> None:
    """The overlay's part of the report was escaped whole: its line breaks came out as a literal \\x0a."""
    overlay = {
        "overlay": "1.0.0",
        "info": {"title": "t", "version": "1"},
        "actions": [
            {"target": "$.paths['/gone']", "description": "First \x1b[2J source: x", "update": {"a": 1}},
            {"target": "$.paths['/also-gone']", "description": "Second \u202esource", "update": {"b": 1}},
        ],
    }
    result = subprocess.run(
        [sys.executable, "-m", "d360", "spec", "diff", str(UPSTREAM_PAGE), str(UPSTREAM_PAGE),
         "--overlay", write(tmp_path, "overlay.json", overlay)],
        capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    shown = result.stdout.decode("utf-8")
    assert "\\x0a" not in shown and "\x1b" not in shown and "\u202e" not in shown
    lines = shown.splitlines()
    overlay_at = lines.index("Overlay:")
    assert lines[overlay_at + 1 :] == [
        "  TARGET GONE  $.paths['/gone']: First \\x1b[2J source",
        "  TARGET GONE  $.paths['/also-gone']: Second \\u202esource",
    ]
