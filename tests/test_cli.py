"""The real `d360` console script, in a subprocess, against a sandbox on 127.0.0.1."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from d360 import sandbox
from tests.conftest import UPSTREAM_PAGE
from tests.spec_versions import spec_1_45_0

KEY = "cli-secret-key-0123456789"
TO = "4915112345678"
D360 = shutil.which("d360", path=str(Path(sys.executable).parent)) or "d360"


@pytest.fixture(scope="module")
def served() -> Iterator[sandbox.RunningSandbox]:
    with sandbox.running(api_keys=[KEY]) as running:
        yield running


def d360(
    *arguments: str, base_url: str | None = None, stdin: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("D360_")}
    environment["D360_API_KEY"] = KEY
    if base_url:
        environment["D360_BASE_URL"] = base_url
    environment.update(env)
    return subprocess.run([D360, *arguments], input=stdin, capture_output=True, text=True, env=environment,
                          timeout=60, check=False)  # fmt: skip


def last_body(served: sandbox.RunningSandbox) -> dict[str, Any]:
    return served.received()[-1].body


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["text", "--to", "+49 151 1234 5678", "--body", "Hello", "--preview-url"],
         {"type": "text", "text": {"body": "Hello", "preview_url": True}}),
        (["text", "--to", TO, "--body", "Re", "--reply-to", "wamid.A"],
         {"type": "text", "text": {"body": "Re"}, "context": {"message_id": "wamid.A"}}),
        (["image", "--to", TO, "--link", "https://e.com/a.jpg", "--caption", "Cat"],
         {"type": "image", "image": {"link": "https://e.com/a.jpg", "caption": "Cat"}}),
        (["audio", "--to", TO, "--media-id", "123"], {"type": "audio", "audio": {"id": "123"}}),
        (["video", "--to", TO, "--link", "https://e.com/v.mp4"], {"type": "video", "video": {"link": "https://e.com/v.mp4"}}),
        (["sticker", "--to", TO, "--media-id", "9"], {"type": "sticker", "sticker": {"id": "9"}}),
        (["document", "--to", TO, "--link", "https://e.com/i.pdf", "--filename", "invoice.pdf", "--caption", "Bill"],
         {"type": "document", "document": {"link": "https://e.com/i.pdf", "caption": "Bill", "filename": "invoice.pdf"}}),
        (["location", "--to", TO, "--latitude", "52.52", "--longitude", "13.40", "--name", "Berlin"],
         {"type": "location", "location": {"latitude": 52.52, "longitude": 13.4, "name": "Berlin"}}),
        (["reaction", "--to", TO, "--message-id", "wamid.B", "--emoji", ""],
         {"type": "reaction", "reaction": {"message_id": "wamid.B", "emoji": ""}}),
        (["template", "--to", TO, "--name", "order_update", "--language", "en", "--header-image", "https://e.com/h.jpg",
          "--body-param", "Anna", "--body-param", "EUR 12.50", "--body-param", "May 4",
          "--button-url-param", "0=orders/8812"],
         {"type": "template", "template": {"name": "order_update", "language": {"code": "en"}, "components": [
             {"type": "header", "parameters": [{"type": "image", "image": {"link": "https://e.com/h.jpg"}}]},
             {"type": "body", "parameters": [{"type": "text", "text": "Anna"}, {"type": "text", "text": "EUR 12.50"},
                                             {"type": "text", "text": "May 4"}]},
             {"type": "button", "sub_type": "url", "index": 0, "parameters": [{"type": "text", "text": "orders/8812"}]},
         ]}}),
    ],
    ids=["text", "reply", "image", "audio", "video", "sticker", "document", "location", "reaction", "template"],
)  # fmt: skip
def test_send_puts_the_message_on_the_wire_and_exits_0(
    served: sandbox.RunningSandbox, arguments: list[str], expected: dict[str, Any]
) -> None:
    result = d360("send", *arguments, base_url=served.base_url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"sent {expected['type']} to {TO}: wamid.")
    body = last_body(served)
    assert {key: body[key] for key in expected} == expected
    assert body["to"] == TO


def test_send_json_from_stdin_with_json_output(served: sandbox.RunningSandbox) -> None:
    message = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": TO, "type": "text",
               "text": {"body": "from stdin"}}  # fmt: skip
    result = d360("send", "json", "-", "--json", base_url=served.base_url, stdin=json.dumps(message))
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert output["ok"] is True and output["message_id"].startswith("wamid.")
    assert last_body(served) == message


def test_send_json_from_a_file(served: sandbox.RunningSandbox, tmp_path: Path) -> None:
    path = tmp_path / "message.json"
    path.write_text(json.dumps({"messaging_product": "whatsapp", "recipient_type": "group", "to": "120363@g.us",
                                "type": "text", "text": {"body": "group"}}))  # fmt: skip
    assert d360("send", "json", str(path), base_url=served.base_url).returncode == 0
    assert last_body(served)["recipient_type"] == "group"


def test_invalid_message_exits_2_with_one_line_and_sends_nothing(served: sandbox.RunningSandbox) -> None:
    before = served.sandbox.accepted_count
    result = d360("send", "text", "--to", "12", "--body", "", base_url=served.base_url)
    assert result.returncode == 2
    assert result.stderr.startswith("d360: error: invalid message (2 problems): $.to: must be a phone number")
    assert len(result.stderr.strip().splitlines()) == 1
    assert served.sandbox.accepted_count == before


def test_bad_usage_exits_2(served: sandbox.RunningSandbox) -> None:
    result = d360("send", "image", "--to", TO, base_url=served.base_url)
    assert result.returncode == 2
    assert "one of the arguments --link --media-id --file is required" in result.stderr
    assert "Traceback" not in result.stderr


def test_upstream_refusal_exits_1_with_json_error(served: sandbox.RunningSandbox) -> None:
    result = d360(
        "send", "text", "--to", TO, "--body", "x", "--api-key", "wrong-key-123", "--json", base_url=served.base_url
    )
    assert result.returncode == 1
    error = json.loads(result.stdout)["error"]
    assert (error["type"], error["status_code"], error["maybe_delivered"]) == ("AuthenticationError", 401, False)
    assert result.stderr.startswith("d360: error: HTTP 401:")


def test_unreachable_upstream_exits_3() -> None:
    from tests.test_regen import closed_port

    result = d360(
        "send", "text", "--to", TO, "--body", "x", "--max-retries", "0", base_url=f"http://127.0.0.1:{closed_port()}"
    )
    assert result.returncode == 3
    assert result.stderr.startswith("d360: error: cannot connect to http://127.0.0.1:")
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_key_is_a_usage_error() -> None:
    result = d360("send", "text", "--to", TO, "--body", "x", D360_API_KEY="")
    assert result.returncode == 2
    assert "D360_API_KEY" in result.stderr


def test_the_key_never_appears_in_output(served: sandbox.RunningSandbox) -> None:
    outputs = []
    for arguments in (
        ["send", "text", "--to", TO, "--body", "x", KEY],
        ["send", "text", "--to", "1", "--body", "x", "--api-key", KEY],
        ["send", "text", "--to", TO, "--body", "x", f"--api-key={KEY}", "--base-url", "http://example.com"],
    ):
        result = d360(*arguments, base_url=served.base_url)
        assert result.returncode == 2
        outputs.append(result.stdout + result.stderr)
    assert "[REDACTED]" in outputs[0]
    assert all(KEY not in output for output in outputs)


def test_python_dash_m_works_too(served: sandbox.RunningSandbox) -> None:
    result = subprocess.run([sys.executable, "-m", "d360", "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    for line in ("0  sent", "1  upstream refused", "2  bad usage or invalid input", "3  could not reach upstream",
                 "4  bulk finished, but some lines are unknown", "130  interrupted"):  # fmt: skip
        assert line in result.stdout


def test_validate_reports_every_invalid_line_and_sends_nothing(tmp_path: Path) -> None:
    good = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": TO,
        "type": "text",
        "text": {"body": "ok"},
    }
    path = tmp_path / "messages.jsonl"
    path.write_text(
        "\n".join([json.dumps(good), json.dumps({**good, "to": "12"}), "", "{broken", json.dumps(good)]) + "\n"
    )
    result = d360("validate", str(path))
    assert result.returncode == 2
    assert result.stdout.splitlines() == [
        "line 2: $.to: must be a phone number of 8-15 digits (+, spaces, dashes and brackets allowed), not '12'",
        "line 4: not valid JSON: Expecting property name enclosed in double quotes at column 2",
        "2 of 4 messages valid",
    ]
    single = d360("validate", "-", "--json", stdin=json.dumps(good, indent=2))
    assert single.returncode == 0
    assert json.loads(single.stdout) == {"valid": True, "checked": 1, "invalid": []}


def test_spec_diff_prints_the_change_report(tmp_path: Path) -> None:
    new = tmp_path / "new.json"
    new.write_text(json.dumps(spec_1_45_0()))
    result = d360("spec", "diff", str(UPSTREAM_PAGE), str(new))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "spec 1.44.0 -> 1.45.0: 4 changes, 3 BREAKING"
    assert "  BREAKING   messages.TextMessage: property 'preview_url' removed (request)" in result.stdout
    failing = d360("spec", "diff", str(UPSTREAM_PAGE), str(new), "--fail-on-breaking", "--json")
    assert failing.returncode == 1
    assert len(json.loads(failing.stdout)["changes"]) == 4
    missing = d360("spec", "diff", str(UPSTREAM_PAGE), str(tmp_path / "absent.json"))
    assert (missing.returncode, missing.stderr.strip()) == (2, f"d360: error: no such file: {tmp_path / 'absent.json'}")
