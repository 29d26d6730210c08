"""Every bad argument and input a user can hand the `d360` command: exit 2, one line, no traceback, no key.

Each case is a real subprocess of the console script, as a user or a script would meet it.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

import d360
from d360 import sandbox
from tests.scripted_server import Reply, ScriptedServer
from tests.test_cli import D360, KEY, TO

TEXT = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": TO, "type": "text",
        "text": {"body": "hi"}}  # fmt: skip


def run(*arguments: str, stdin: str | bytes | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("D360_")}
    environment.update({"D360_API_KEY": KEY, "D360_BASE_URL": "http://127.0.0.1:9", **env})
    result = subprocess.run([D360, *arguments], input=stdin.encode() if isinstance(stdin, str) else stdin,
                            capture_output=True, env=environment, timeout=60, check=False)  # fmt: skip
    return subprocess.CompletedProcess(result.args, result.returncode, result.stdout.decode(), result.stderr.decode())


def assert_one_line_usage_error(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("d360: error: ")]
    assert len(error_lines) == 1, result.stderr
    for text in expected:
        assert text in error_lines[0], error_lines[0]
    assert KEY not in result.stdout + result.stderr


@pytest.mark.parametrize("value", ["nan", "-1", "inf", "0"])
def test_a_timeout_that_cannot_work_exits_2(value: str) -> None:
    assert_one_line_usage_error(run("send", "text", "--to", TO, "--body", "hi", "--timeout", value), "timeout")


def test_negative_retries_exit_2() -> None:
    assert_one_line_usage_error(run("send", "text", "--to", TO, "--body", "hi", "--max-retries", "-1"), "max_retries")


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["--port", "99999"], "a port is from 0 to 65535"),
        (["--port", "http"], "a port is a whole number"),
        (["--keep", "-1"], "--keep must be a whole number"),
        (["--keep-mb", "-5"], "--keep-mb must be 0 or more"),
        (["--rate-limit", "0"], "--rate-limit must be a positive number"),
        (["--rate-limit", "nan"], "--rate-limit must be a positive number"),
        (["--latency-ms", "nan"], "--latency-ms"),
        (["--error-rate-500", "lots"], "a share is a number from 0 to 1"),
        (["--error-rate-500", "0.7", "--error-rate-503", "0.7"], "add up to more than 1"),
    ],
)
def test_sandbox_arguments_are_checked_before_it_serves(arguments: list[str], expected: str) -> None:
    assert_one_line_usage_error(run("sandbox", *arguments), expected)


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (nested(100_000), "nested too deeply"),
        ('{"to": ' + "9" * 5000 + "}", "not usable JSON"),
        ("{broken", "not valid JSON"),
    ],
)
def test_json_that_cannot_be_a_message_exits_2_in_validate_and_send_json(document: str, expected: str) -> None:
    validated = run("validate", "-", stdin=document)
    assert validated.returncode == 2 and "Traceback" not in validated.stderr
    assert expected in validated.stdout
    assert_one_line_usage_error(run("send", "json", "-", stdin=document), expected)


def test_deep_json_that_parses_is_still_refused_without_a_traceback() -> None:
    document = '{"messaging_product": "whatsapp", "to": "4915112345678", "type": "text", "text": ' + nested(900) + "}"
    result = run("validate", "-", stdin=document)
    assert result.returncode == 2 and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (nested(100_000), "not usable JSON: nested too deeply"),
        ('{"n": ' + "9" * 5000 + "}", "not usable JSON: Exceeds the limit"),
    ],
)
def test_bulk_reports_unusable_json_lines_and_sends_nothing(tmp_path: Path, line: str, expected: str) -> None:
    source = tmp_path / "campaign.jsonl"
    source.write_text(json.dumps(TEXT) + "\n" + line + "\n")
    result = run("bulk", str(source), "--journal", str(tmp_path / "run.sqlite"))
    assert_one_line_usage_error(result, "1 of 2 lines are invalid")
    assert f"line 2: {expected}" in result.stderr


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("to,name\n4915112345678,Jos\xe9\n".encode("latin-1"), "is not UTF-8"),
        ("to,name\n4915112345678,José\n".encode("utf-16"), "is not UTF-8"),
        (b"to,name\n4915112345678," + b"x" * 200_000 + b"\n", "field larger than field limit"),
    ],
)
def test_a_csv_that_cannot_be_read_exits_2(tmp_path: Path, content: bytes, expected: str) -> None:
    source = tmp_path / "people.csv"
    source.write_bytes(content)
    result = run("bulk", str(source), "--journal", str(tmp_path / "run.sqlite"), "--template", "t", "--language", "en")
    assert_one_line_usage_error(result, expected)


@pytest.mark.parametrize("value", ["100000000", "0", "-3"])
def test_an_absurd_concurrency_exits_2(tmp_path: Path, value: str) -> None:
    source = tmp_path / "a.jsonl"
    source.write_text(json.dumps(TEXT) + "\n")
    result = run("bulk", str(source), "--journal", str(tmp_path / "run.sqlite"), "--concurrency", value)
    assert_one_line_usage_error(result, "--concurrency must be from 1 to 1000")


def test_a_socks_proxy_in_the_environment_exits_2() -> None:
    result = run("send", "text", "--to", TO, "--body", "hi", D360_BASE_URL="https://waba-v2.360dialog.io",
                 ALL_PROXY="socks5://127.0.0.1:1080", NO_PROXY="")  # fmt: skip
    assert_one_line_usage_error(result, "socks5 proxy")


def test_validate_and_bulk_agree_on_a_byte_order_mark_and_lone_surrogates(tmp_path: Path) -> None:
    source = tmp_path / "campaign.jsonl"
    good = json.dumps(TEXT)
    lone = json.dumps({**TEXT, "text": {"body": "half an emoji: \ud83d"}})  # written as an escape, \\ud83d
    source.write_bytes(b"\xef\xbb\xbf" + f"{good}\n{lone}\n{good}\n".encode())
    validated = run("validate", str(source))
    assert validated.returncode == 2
    assert validated.stdout.splitlines() == [
        "line 2: holds a lone surrogate ('\\ud83d'), which UTF-8 cannot carry",
        "2 of 3 messages valid",
    ]
    sent = run("bulk", str(source), "--journal", str(tmp_path / "run.sqlite"))
    assert_one_line_usage_error(sent, "1 of 3 lines are invalid")
    assert "line 2: holds a lone surrogate ('\\ud83d'), which UTF-8 cannot carry" in sent.stderr


def test_utf16_json_is_refused_alike_by_validate_and_bulk(tmp_path: Path) -> None:
    source = tmp_path / "campaign.jsonl"
    source.write_bytes(json.dumps(TEXT).encode("utf-16"))
    assert_one_line_usage_error(run("validate", str(source)), "is not UTF-8 (it looks like UTF-16)")
    sent = run("bulk", str(source), "--journal", str(tmp_path / "run.sqlite"))
    assert sent.returncode == 2 and "line 1: line 1 is not UTF-8" in sent.stderr


# The key: never printed, whatever spelling of the flag carried it.


SPELLINGS = [
    ["--api-key", KEY],
    [f"--api-key={KEY}"],
    ["--api", KEY],
    [f"--api={KEY}"],
    [f"--api-k={KEY}"],
    ["--api-ke", KEY],
    ["--a", KEY],
]


@pytest.mark.parametrize("spelling", SPELLINGS, ids=lambda spelling: spelling[0].split("=")[0])
def test_no_spelling_of_the_key_flag_prints_the_key(spelling: list[str]) -> None:
    # Each spelling, placed where the parser refuses something, so that argparse echoes the arguments.
    for arguments in (
        ["validate", "-", *spelling],  # validate takes no key: "unrecognized arguments: ..." echoes them
        ["send", "text", "--to", TO, *spelling, "--bogus"],
        ["send", "text", *spelling],
    ):
        result = run(*arguments, D360_API_KEY="")
        assert result.returncode == 2, result.stderr
        assert KEY not in result.stdout + result.stderr, (arguments, result.stderr)


def test_abbreviated_flags_are_refused_not_guessed() -> None:
    result = run("send", "text", "--to", TO, "--bod", "hi")
    assert_one_line_usage_error(result, "the following arguments are required: --body")


def test_control_characters_in_upstreams_error_never_reach_the_terminal(server: ScriptedServer) -> None:
    server.script(Reply(400, {"error": {"message": "bad \x1b[2J\x1b[31mred\x07 text", "code": 100}}))
    result = run("send", "text", "--to", TO, "--body", "hi", D360_BASE_URL=server.base_url)
    assert result.returncode == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "bad \\x1b[2J\\x1b[31mred\\x07 text" in result.stderr


def test_lone_surrogates_and_format_characters_from_upstream_print_as_escapes(server: ScriptedServer) -> None:
    """Half an emoji crashed the line (exit 70, or bytes that are not UTF-8), and a right-to-left override
    reached the terminal, in an error's text and in an accepted message's id alike."""
    server.script(Reply(400, {"error": {"message": "bad \ud83d \u202eevil\u202c text", "code": 100}}))
    refused = subprocess.run([D360, "send", "text", "--to", TO, "--body", "hi"], capture_output=True, timeout=60,
                             env={**os.environ, "D360_API_KEY": KEY, "D360_BASE_URL": server.base_url})  # fmt: skip
    assert refused.returncode == 1, refused.stderr
    assert "bad \\ud83d \\u202eevil\\u202c text" in refused.stderr.decode("utf-8")
    server.script(Reply(200, {"contacts": [{"input": TO, "wa_id": TO}], "messages": [{"id": "wamid.\udc80\u2066"}]}))
    sent = subprocess.run([D360, "send", "text", "--to", TO, "--body", "hi"], capture_output=True, timeout=60,
                          env={**os.environ, "D360_API_KEY": KEY, "D360_BASE_URL": server.base_url})  # fmt: skip
    assert sent.returncode == 0, sent.stderr
    assert sent.stdout.decode("utf-8") == f"sent text to {TO}: wamid.\\udc80\\u2066 (no status)\n"


def test_a_directory_given_as_the_journal_is_one_line(tmp_path: Path) -> None:
    source = tmp_path / "a.jsonl"
    source.write_text(json.dumps(TEXT) + "\n")
    result = run("bulk", str(source), "--journal", str(tmp_path))
    assert_one_line_usage_error(result, "is not a usable journal")


def test_every_error_maps_to_one_line_and_an_exit_code() -> None:
    from d360.cli import _line_and_code

    assert _line_and_code(d360.ValidationError([]))[1] == 2
    assert _line_and_code(d360.APITimeoutError("slow", maybe_delivered=True))[1] == 3
    assert _line_and_code(d360.BadRequestError("no", status_code=400))[1] == 1
    assert _line_and_code(PermissionError(13, "Permission denied", "/x"))[0] == "cannot use /x: Permission denied"
    line, code = _line_and_code(RuntimeError("a bug"))
    assert code == 70 and line == "internal error: RuntimeError: a bug (D360_DEBUG=1 shows the traceback)"


# The Python API: wrong argument types are typed errors, naming the argument.


@pytest.mark.parametrize(
    ("call", "path"),
    [
        (lambda client: client.send_text(None, "hi"), "$.to"),
        (lambda client: client.send_text(4915112345678, "hi"), "$.to"),
        (lambda client: client.send_buttons(TO, "Pick", ["a"]), "$.interactive.action.buttons[0]"),
        (lambda client: client.send_buttons(TO, "Pick", "ab"), "$.interactive.action.buttons"),
        (lambda client: client.send_list(TO, "Pick", "Open", ["x"]), "$.interactive.action.sections[0]"),
        (lambda client: client.send_contacts(TO, {"name": "x"}), "$.contacts"),
    ],
)
def test_wrong_argument_types_are_validation_errors_naming_the_argument(call: object, path: str) -> None:
    client = d360.Client(api_key="k" * 8, base_url="http://127.0.0.1:9")
    with client, pytest.raises(d360.ValidationError) as caught:
        call(client)  # type: ignore[operator]
    assert caught.value.problems[0].path == path


# Superscript, Arabic-Indic and fullwidth digits, written as escapes so the source stays readable.
OTHER_DIGITS = [
    "".join(chr(base + int(digit)) if base else "⁰¹²³⁴⁵⁶⁷⁸⁹"[int(digit)] for digit in "4915112345678")
    for base in (0, 0x0660, 0xFF10)
]


@pytest.mark.parametrize("number", OTHER_DIGITS)
def test_phone_numbers_in_other_digits_are_refused(number: str) -> None:
    with pytest.raises(d360.ValidationError, match=r"\$\.to: must be a phone number"):
        d360.validate_message({**TEXT, "to": number})


def test_sandbox_refuses_to_start_on_a_bad_port_from_python() -> None:
    with pytest.raises(d360.ConfigurationError, match="port"):
        sandbox.start(port=99999)
