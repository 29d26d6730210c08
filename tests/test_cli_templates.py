"""`d360 templates ...` as real subprocesses against a real sandbox, bad input included."""

from __future__ import annotations

import json
import os
import pty
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from d360 import Client, sandbox
from tests.scripted_server import Reply, ScriptedServer
from tests.servers import wait_for

BODY = {"type": "BODY", "text": "Hi {{1}}, 10% off today only.", "example": {"body_text": [["Anna"]]}}
DEFINITION = {"name": "autumn_sale", "category": "MARKETING", "language": "en", "components": [BODY]}


@pytest.fixture(scope="module")
def served() -> Iterator[sandbox.RunningSandbox]:
    with sandbox.running(template_review_seconds=3600) as running:
        yield running


@pytest.fixture(autouse=True)
def fresh(served: sandbox.RunningSandbox) -> None:
    served.sandbox.templates.clear()


def environment(served: sandbox.RunningSandbox) -> dict[str, str]:
    found = {key: value for key, value in os.environ.items() if not key.startswith("D360_")}
    return {**found, "D360_API_KEY": served.api_key, "D360_BASE_URL": served.base_url}


def d360(served: sandbox.RunningSandbox, *arguments: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "d360", "templates", *arguments], input=stdin, capture_output=True,
                          text=True, env=environment(served), timeout=60, check=False)  # fmt: skip


def one_line_error(result: subprocess.CompletedProcess[str], code: int, text: str) -> None:
    assert result.returncode == code, (result.stdout, result.stderr)
    assert result.stderr.startswith(f"d360: error: {text}"), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def write(path: Path, content: Any) -> str:
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return str(path)


def test_list_prints_a_table_and_json(served: sandbox.RunningSandbox) -> None:
    served.add_template("spring_sale", [BODY], language="de", category="MARKETING")
    table = d360(served, "list")
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["NAME", "LANGUAGE", "STATUS", "CATEGORY", "QUALITY"]
    assert lines[2].split() == ["order_update", "en", "APPROVED", "UTILITY", "GREEN"]
    assert lines[-1] == "6 templates"
    marketing = json.loads(d360(served, "list", "--category", "marketing", "--json").stdout)
    assert marketing["ok"] is True and [(t["name"], t["language"]) for t in marketing["templates"]] == [
        ("spring_sale", "de")
    ]
    assert d360(served, "list", "--status", "rejected").stdout == "no templates match\n"


def test_get_shows_every_language_or_one(served: sandbox.RunningSandbox) -> None:
    served.add_template("greeting", [BODY], language="de")
    served.add_template("greeting", [BODY], language="fr")
    both = d360(served, "get", "greeting")
    assert both.returncode == 0 and both.stdout.count("greeting (") == 2
    assert "  BODY: Hi {{1}}, 10% off today only." in both.stdout
    one = json.loads(d360(served, "get", "greeting", "--language", "fr", "--json").stdout)
    assert [template["language"] for template in one["templates"]] == ["fr"]
    seeded = d360(served, "get", "order_update")
    assert seeded.stdout.splitlines()[1:] == [
        "  HEADER IMAGE",
        "  BODY: Hi {{1}}, your order of {{2}} is packed and arrives on {{3}}. Thank you!",
        '  BUTTONS URL "Track it" https://example.com/{{1}}',
    ]


def test_create_submits_a_definition_file(served: sandbox.RunningSandbox, tmp_path: Path) -> None:
    result = d360(served, "create", write(tmp_path / "sale.json", DEFINITION))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("created autumn_sale (en): PENDING, id ")
    assert served.sandbox.templates.find("autumn_sale", "en") is not None
    from_stdin = d360(served, "create", "-", "--json", stdin=json.dumps({**DEFINITION, "name": "winter_sale"}))
    assert json.loads(from_stdin.stdout)["template"]["status"] == "PENDING"


def test_an_invalid_definition_exits_2_with_every_problem_and_sends_nothing(
    served: sandbox.RunningSandbox, tmp_path: Path
) -> None:
    before = len(served.sandbox.templates)
    bad = {**DEFINITION, "name": "Autumn Sale", "components": [{"type": "BODY", "text": "Hi {{2}}"}]}
    result = d360(served, "create", write(tmp_path / "bad.json", bad))
    one_line_error(result, 2, "invalid template (4 problems): $.name: must be lower-case letters")
    for path in ("$.components[0].text: variables must be numbered", "$.components[0].text: must not start or end",
                 "$.components[0].example.body_text: is required"):  # fmt: skip
        assert path in result.stderr
    assert len(served.sandbox.templates) == before


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "bad.json: "),
        ("[1, 2]", "bad.json must hold one template definition, a JSON object"),
        ("", "bad.json: "),
    ],
    ids=["not JSON", "not an object", "empty"],
)
def test_a_file_that_is_not_a_definition_exits_2(
    served: sandbox.RunningSandbox, tmp_path: Path, content: str, expected: str
) -> None:
    one_line_error(d360(served, "create", write(tmp_path / "bad.json", content)), 2, "")
    assert expected in d360(served, "create", str(tmp_path / "bad.json")).stderr


def test_a_missing_file_exits_2(served: sandbox.RunningSandbox, tmp_path: Path) -> None:
    one_line_error(d360(served, "create", str(tmp_path / "nowhere.json")), 2, "no such file:")


def test_no_validate_sends_the_definition_as_it_is(served: sandbox.RunningSandbox, tmp_path: Path) -> None:
    bad = {**DEFINITION, "components": [{"type": "BODY", "text": "Hi {{2}}!"}]}
    result = d360(served, "create", write(tmp_path / "bad.json", bad), "--no-validate")
    one_line_error(result, 1, "HTTP 400: invalid template")  # the sandbox refuses what upstream would


def test_delete_with_yes(served: sandbox.RunningSandbox) -> None:
    served.add_template("greeting", [BODY], language="de")
    served.add_template("greeting", [BODY], language="fr")
    result = d360(served, "delete", "greeting", "--yes")
    assert result.returncode == 0 and result.stdout == "deleted greeting, every language\n"
    assert served.sandbox.templates.find("greeting", "de") is None
    one_line_error(d360(served, "delete", "greeting", "--yes"), 1, "HTTP 404: no template named 'greeting'")


def test_delete_refuses_without_yes_when_stdin_is_not_a_terminal(served: sandbox.RunningSandbox) -> None:
    result = d360(served, "delete", "order_update", stdin="y\n")
    one_line_error(result, 2, "deleting order_update needs --yes when standard input is not a terminal")
    assert served.sandbox.templates.find("order_update", "en") is not None


@pytest.mark.parametrize(("answer", "deleted"), [(b"y\n", True), (b"yes\n", True), (b"n\n", False), (b"\n", False)])
def test_delete_asks_on_a_terminal(served: sandbox.RunningSandbox, answer: bytes, deleted: bool) -> None:
    controller, terminal = pty.openpty()
    try:
        process = subprocess.Popen([sys.executable, "-m", "d360", "templates", "delete", "order_update"],
                                   stdin=terminal, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   env=environment(served))  # fmt: skip
        os.write(controller, answer)
        output, errors = process.communicate(timeout=60)
    finally:
        os.close(controller)
        os.close(terminal)
    assert errors.startswith("Delete the template order_update in every language? [y/N] ")
    assert (served.sandbox.templates.find("order_update", "en") is None) is deleted
    if deleted:
        assert process.returncode == 0 and output == "deleted order_update, every language\n"
    else:
        assert (
            process.returncode == 2 and "d360: error: order_update was not deleted (the answer was not yes)" in errors
        )


def test_library_lists_and_filters(served: sandbox.RunningSandbox) -> None:
    result = d360(served, "library", "--topic", "PAYMENTS")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:3] == [
        "payment_reminder_1 (en_US): UTILITY, PAYMENTS / PAYMENT_DUE_REMINDER",
        "  HEADER: Payment due",
        "  BODY: Hi {{1}}, your payment of {{2}} is due on {{3}}.",
    ]
    german = json.loads(d360(served, "library", "--language", "de", "--json").stdout)
    assert [(item["name"], item["language"]) for item in german["templates"]] == [("order_confirmation_1", "de")]
    assert d360(served, "library", "--search", "nothing like it").stdout == "no library templates match\n"


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["get", "Order Update"], "invalid template name (1 problem): $.name: must be lower-case letters"),
        (["delete", "../messages", "--yes"], "invalid template name: $.name: must be lower-case letters"),
        (["list", "--status", ""], "argument --status: must be one of APPROVED, PENDING, REJECTED, PAUSED,"),
        (
            ["list", "--status", "bogus"],
            "argument --status: must be one of APPROVED, PENDING, REJECTED, PAUSED, "
            "DISABLED, IN_APPEAL, PENDING_DELETION, DELETED, LIMIT_EXCEEDED, ARCHIVED, "
            "LOCKED, FLAGGED, REINSTATED (any case), not 'bogus'",
        ),
        (
            ["list", "--category", "promo"],
            "argument --category: must be one of AUTHENTICATION, MARKETING, UTILITY (any case), not 'promo'",
        ),
        (["list", "--page"], "unrecognized arguments: --page"),
        (["frobnicate"], "argument ACTION: invalid choice: 'frobnicate'"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(
    served: sandbox.RunningSandbox, arguments: list[str], expected: str
) -> None:
    result = d360(served, *arguments)
    assert result.returncode == 2 and expected in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("d360: error: ")
    assert result.stdout == ""  # nothing listed: "no templates match" would say the filter was fine


def test_status_and_category_filters_take_any_case(served: sandbox.RunningSandbox) -> None:
    served.add_template("spring_sale", [BODY], language="de", category="MARKETING")
    for status in ("approved", "Approved", "APPROVED"):
        result = d360(served, "list", "--status", status, "--category", "Marketing")
        assert result.returncode == 0 and result.stdout.splitlines()[-1] == "1 template", result.stderr
    assert d360(served, "list", "--status", "pending_deletion").stdout == "no templates match\n"


def test_a_missing_template_exits_1(served: sandbox.RunningSandbox) -> None:
    one_line_error(d360(served, "get", "no_such_one"), 1, "no template named 'no_such_one'")
    one_line_error(d360(served, "get", "order_update", "--language", "de"), 1,
                   "no template 'order_update' in 'de'; it exists in en")  # fmt: skip


def test_an_unreachable_upstream_exits_3(served: sandbox.RunningSandbox) -> None:
    environment_without = {**environment(served), "D360_BASE_URL": "http://127.0.0.1:9"}
    result = subprocess.run([sys.executable, "-m", "d360", "templates", "list", "--max-retries", "0"],
                            capture_output=True, text=True, env=environment_without, timeout=60, check=False)  # fmt: skip
    one_line_error(result, 3, "cannot connect to http://127.0.0.1:9")


def test_the_sandbox_commands_template_flags_reach_the_sandbox() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "d360", "sandbox", "--port", "0", "--no-template-check", "--template-review-seconds",
         "0", "--template-reject-pattern", "^spam_"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    try:
        assert process.stdout is not None
        banner = [process.stdout.readline() for _ in range(5)]
        found = re.search(r"at (http://127\.0\.0\.1:\d+)", banner[0])
        assert found, banner
        assert banner[4].strip() == (
            "templates: 5 approved to start with (d360 templates list); template messages not checked "
            "(--no-template-check); new ones reviewed after 0s"
        )
        with Client(api_key="sandbox-key", base_url=found.group(1)) as client:
            assert client.send_template("4915112345678", "no_such_template", "xx").status == "accepted"
            client.templates.create(name="spam_offer", category="MARKETING", language="en", components=[BODY])
            wait_for(lambda: client.templates.get("spam_offer", "en").status != "PENDING")
            assert client.templates.get("spam_offer", "en").status == "REJECTED"
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=10)
    finally:
        process.kill()
    assert process.returncode == 0


# Text upstream sends that no terminal encoding can print (a lone surrogate: half an emoji) or that a
# terminal would obey (a right-to-left override, a C1 control): shown as escapes, never a crash (exit 70).
ODD_TEMPLATE = {
    "id": "1", "name": "odd_one", "language": "en", "status": "APPROVED", "category": "UTILITY",
    "rejected_reason": "NONE", "quality_score": {"score": "GREEN"},
    "components": [
        {"type": "HEADER", "format": "TEXT", "text": "half \ud83d emoji"},
        {"type": "BODY", "text": "Hi {{1}} \u202eevil\u202c \x9b31m"},
        {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "ok \udc80"}]},
    ],
}  # fmt: skip


def scripted(server: ScriptedServer, *arguments: str) -> subprocess.CompletedProcess[str]:
    found = {key: value for key, value in os.environ.items() if not key.startswith("D360_")}
    env = {**found, "D360_API_KEY": "scripted-key", "D360_BASE_URL": server.base_url}
    result = subprocess.run([sys.executable, "-m", "d360", "templates", *arguments], capture_output=True,
                            env=env, timeout=60, check=False)  # fmt: skip
    # Read as bytes: decoding here must not hide what the process wrote.
    return subprocess.CompletedProcess(result.args, result.returncode, result.stdout.decode(), result.stderr.decode())


@pytest.mark.parametrize("arguments", [["get", "odd_one"], ["list"]])
def test_upstreams_lone_surrogates_and_format_characters_print_as_escapes(
    server: ScriptedServer, arguments: list[str]
) -> None:
    server.script(Reply(200, {"count": 1, "total": 1, "offset": 0, "limit": 1000, "waba_templates": [ODD_TEMPLATE]}))
    if arguments[0] == "list":  # the name is shown in the table, the components are not
        server.script(Reply(200, {"count": 1, "total": 1, "waba_templates": [{**ODD_TEMPLATE, "name": "odd\udc80"}]}))
    result = scripted(server, *arguments)
    assert result.returncode == 0, result.stderr
    shown = result.stdout
    assert all(line.isprintable() for line in shown.splitlines()), shown
    if arguments[0] == "get":
        assert "HEADER TEXT: half \\ud83d emoji" in shown
        assert "BODY: Hi {{1}} \\u202eevil\\u202c \\x9b31m" in shown
        assert 'BUTTONS QUICK_REPLY "ok \\udc80"' in shown
    else:
        assert shown.splitlines()[1].startswith("odd\\udc80 ")


@pytest.mark.parametrize("arguments", [["get", "leaky"], ["list"], ["get", "leaky", "--json"], ["list", "--json"]])
def test_upstream_text_holding_the_key_is_masked_in_text_and_json(server: ScriptedServer, arguments: list[str]) -> None:
    leaky = {"name": "leaky", "language": "en", "status": "APPROVED", "category": "UTILITY",
             "components": [{"type": "BODY", "text": "your key is scripted-key"}], "rejected_reason": "scripted-key"}  # fmt: skip
    server.script(Reply(200, {"count": 1, "total": 1, "waba_templates": [leaky]}))
    result = scripted(server, *arguments)
    assert result.returncode == 0, result.stderr
    assert "scripted-key" not in result.stdout + result.stderr
    if "--json" in arguments:
        json.loads(result.stdout.splitlines()[0])  # still JSON


@pytest.mark.parametrize("flag", ["--search", "--topic"])
def test_a_library_filter_a_url_cannot_carry_exits_2_naming_it(served: sandbox.RunningSandbox, flag: str) -> None:
    # A lone surrogate: what Python makes of bytes in argv that are not UTF-8.
    result = subprocess.run([sys.executable, "-m", "d360", "templates", "library", flag, "caf\udce9"],
                            capture_output=True, text=True, errors="surrogateescape",
                            env=environment(served), timeout=60, check=False)  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert "lone surrogate" in result.stderr and "Traceback" not in result.stderr
