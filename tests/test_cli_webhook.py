"""`d360 webhook listen` and `d360 sandbox --webhook-url`, as real subprocesses talking to each other."""

from __future__ import annotations

import json
import os
import queue
import re
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import IO, Any

import httpx
import pytest

import d360
from d360.webhooks import payloads, sign
from d360.webhooks.payloads import contact, delivery, inbound, status

SECRET = "listen-secret-0123"
TO = "4915112345678"


def environment() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if not key.startswith("D360_")}


@contextmanager
def process(*arguments: str) -> Iterator[subprocess.Popen[str]]:
    child = subprocess.Popen(
        [sys.executable, "-m", "d360", *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment(),
    )
    try:
        yield child
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(10)


def readline(stream: IO[str] | None, timeout: float = 20.0) -> str:
    """The next line, or fail the test after `timeout` seconds: a hung child must not hang the suite."""
    assert stream is not None
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: lines.put(stream.readline()), daemon=True).start()
    try:
        return lines.get(timeout=timeout)
    except queue.Empty:
        raise AssertionError(f"no line from the process in {timeout}s") from None


def url_in(stream: IO[str] | None, pattern: str) -> str:
    for _ in range(10):
        found = re.search(pattern, readline(stream))
        if found:
            return found.group(1)
    raise AssertionError("the process never said where it listens")


def post(url: str, body: dict[str, Any], secret: str = SECRET) -> httpx.Response:
    raw = json.dumps(body).encode()
    return httpx.post(url, content=raw, headers={"x-360dialog-signature": sign(raw, secret)}, timeout=120)


def stop(child: subprocess.Popen[str]) -> tuple[str, str]:
    child.send_signal(signal.SIGTERM)
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    return out, err


def test_listen_prints_one_readable_line_per_event_and_refuses_bad_signatures() -> None:
    with process("webhook", "listen", "--port", "0", "--secret", SECRET, "--path", "/hooks") as child:
        url = url_in(child.stderr, r"receiving at (\S+)")
        assert url.endswith("/hooks")
        body = delivery(
            messages=[inbound(TO, "text", {"body": "hello there"}, id="wamid.in")], contacts=[contact(TO, "Kerry")]
        )
        assert post(url, body).status_code == 200
        assert post(url, body).json()["new"] == 0  # a redelivery prints nothing more
        assert post(url, delivery(statuses=[status("wamid.out", "failed", TO, error_code=131047)])).status_code == 200
        assert post(url, body, secret="wrong").status_code == 401
        out, err = stop(child)
    lines = out.splitlines()
    assert len(lines) == 2, out
    assert "message wamid.in from 4915112345678 (Kerry): text 'hello there'" in lines[0]
    assert "status wamid.out failed for 4915112345678; error 131047 Re-engagement message" in lines[1]
    assert "stopped after 3 events (1 duplicates, 1 deliveries refused)" in err
    assert SECRET not in out + err


def test_listen_json_lines_carry_the_typed_fields_and_the_raw_dict() -> None:
    with process("webhook", "listen", "--port", "0", "--json", "--header", "X-Auth: letmein") as child:
        url = url_in(child.stderr, r"receiving at (\S+)")
        raw = json.dumps(delivery(statuses=[status("wamid.out", "read", TO, biz_opaque_callback_data="row-3")]))
        assert httpx.post(url, content=raw, timeout=120).status_code == 401
        assert httpx.post(url, content=raw, headers={"X-Auth": "letmein"}, timeout=120).status_code == 200
        out, _ = stop(child)
    (line,) = out.splitlines()
    event = json.loads(line)
    assert (
        event["event"] == "StatusUpdate" and event["status"] == "read" and event["biz_opaque_callback_data"] == "row-3"
    )
    assert event["raw"]["id"] == "wamid.out" and event["timestamp"].endswith("+00:00")


def test_the_sandbox_delivers_statuses_to_webhook_listen() -> None:
    with process("webhook", "listen", "--port", "0", "--secret", SECRET) as listener:
        listen_url = url_in(listener.stderr, r"receiving at (\S+)")
        with process(
            "sandbox",
            "--port",
            "0",
            "--webhook-url",
            listen_url,
            "--webhook-secret",
            SECRET,
            "--api-key",
            "sandbox-key",
        ) as served:
            base_url = url_in(served.stdout, r" at (http://\S+)")
            with d360.Client(api_key="sandbox-key", base_url=base_url) as client:
                message_id = client.send_text(TO, "hi").message_id
            assert (
                httpx.post(
                    base_url + "/_sandbox/inbound", json={"from": TO, "type": "text", "text": {"body": "yo"}}
                ).status_code
                == 200
            )
            listener_lines = [readline(listener.stdout) for _ in range(4)]
            sandbox_out, _ = stop(served)
        stop(listener)
    statuses = sorted(line.split()[3] for line in listener_lines if f"status {message_id}" in line)
    assert statuses == ["delivered", "read", "sent"]
    assert any("text 'yo'" in line for line in listener_lines)
    assert "webhooks: 4 delivered, 0 attempts failed, 0 given up" in sandbox_out


def test_listen_usage_errors_exit_2_and_never_echo_the_secret() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "d360", "webhook", "listen", "--port", "0", "--header", "no-colon"],
        capture_output=True, text=True, env=environment(), timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 2 and "--header takes NAME:VALUE" in result.stderr
    result = subprocess.run(
        [sys.executable, "-m", "d360", "webhook", "listen", "--port", "0", "--secre", "topsecret-value"],
        capture_output=True, text=True, env=environment(), timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 2 and "topsecret-value" not in result.stderr and "[REDACTED]" in result.stderr


def test_an_empty_secret_is_refused_with_one_line_as_the_library_refuses_it() -> None:
    """An empty secret used to mean no check at all: any caller's events printed (and put in a journal)."""
    for arguments, variable, named in (
        (["--secret", ""], {}, "--secret is empty"),
        ([], {"D360_WEBHOOK_SECRET": ""}, "$D360_WEBHOOK_SECRET is empty"),
    ):
        result = subprocess.run(
            [sys.executable, "-m", "d360", "webhook", "listen", "--port", "0", *arguments],
            capture_output=True, text=True, env={**environment(), **variable}, timeout=300, check=False,
        )  # fmt: skip
        assert result.returncode == 2, result.stderr
        assert result.stderr.splitlines() == [
            f"d360: error: {named}: give the webhook secret, or leave it unset to take deliveries without a "
            "signature check"
        ]


def test_the_secret_comes_from_the_environment_when_the_flag_is_absent() -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "d360", "webhook", "listen", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**environment(), "D360_WEBHOOK_SECRET": SECRET},
    ) as child:  # fmt: skip
        try:
            url = url_in(child.stderr, r"receiving at (\S+) \(checking signature")
            assert post(url, delivery(statuses=[status("wamid.env", "read", TO)]), secret="wrong").status_code == 401
            assert post(url, delivery(statuses=[status("wamid.env", "read", TO)])).status_code == 200
            out, _ = stop(child)
        finally:
            if child.poll() is None:
                child.kill()
    assert "status wamid.env read" in out


ODD = (
    b'{"object": "whatsapp_business_account", "entry": [{"id": "W", "changes": [{"field": "messages", "value": {'
    b'"contacts": [{"wa_id": "49151", "profile": {"name": "Kerry \\ud83d"}}], '
    b'"messages": [{"from": "49151", "id": "wamid.\\udc80", "type": "text", "text": {"body": "half \\ud83d\\u001b[31m"}}], '
    b'"statuses": [{"id": "wamid.OUT", "status": "failed", "recipient_id": "49151", '
    b'"errors": [{"code": "\\u00b2", "title": "t\\udfff\\u202e\\u009b"}]}]}}]}]}'
)


def test_listen_prints_lone_surrogates_and_odd_codes_as_escapes_in_lines_and_json() -> None:
    printed = {}
    for mode in ("line", "json"):
        flags = ["--json"] if mode == "json" else []
        with process("webhook", "listen", "--port", "0", "--secret", SECRET, *flags) as child:
            url = url_in(child.stderr, r"receiving at (\S+)")
            answer = httpx.post(url, content=ODD, headers={"x-360dialog-signature": sign(ODD, SECRET)}, timeout=120)
            assert answer.status_code == 200 and answer.json()["new"] == 2
            out, err = stop(child)
        assert "Logging error" not in err and "Traceback" not in err, err
        printed[mode] = out.splitlines()
    message, failed = printed["line"]
    assert "message wamid.\\udc80 from 49151 (Kerry \\ud83d): text 'half \\ud83d\\x1b[31m'" in message
    assert "status wamid.OUT failed for 49151; error \u00b2 t\\udfff\\u202e\\x9b" in failed
    events = [json.loads(line) for line in printed["json"]]
    assert events[0]["text"]["body"] == "half \ud83d\x1b[31m"  # the escape reads back as the very character
    assert events[0]["contact"]["name"] == "Kerry \ud83d" and events[0]["raw"]["id"] == "wamid.\udc80"
    assert events[1]["errors"][0]["code"] == "\u00b2" and events[1]["errors"][0]["title"] == "t\udfff\u202e\x9b"
    assert all(line.isprintable() for line in printed["json"])  # a right-to-left override escaped in JSON too


def test_a_flood_of_stalled_connections_does_not_keep_a_real_delivery_out() -> None:
    """1,100 connections that never send a request, against a listener allowed 1,024 open files (a common
    default): without the sandbox's guards they were kept for ever, and no delivery got in again."""

    def few_files() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (1024, 1024))

    child = subprocess.Popen(
        [sys.executable, "-m", "d360", "webhook", "listen", "--port", "0", "--secret", SECRET],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment(), preexec_fn=few_files,
    )  # fmt: skip
    flood: list[socket.socket] = []
    try:
        url = url_in(child.stderr, r"receiving at (\S+)")
        port = int(url.rsplit(":", 1)[1].rstrip("/"))
        # What asyncio logs each time it runs out of files must be read, or the pipe fills and the child blocks.
        errors: list[str] = []
        assert child.stderr is not None
        threading.Thread(target=lambda: errors.extend(child.stderr or ()), daemon=True).start()
        for number in range(1100):
            connection = socket.create_connection(("127.0.0.1", port), timeout=10)
            if number % 2:
                connection.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n")  # a request's head, never finished
            flood.append(connection)
        body = delivery(statuses=[status("wamid.through", "read", TO)])
        deadline = time.monotonic() + 60  # a hang guard: the idle timeout is 5 s
        answer = None
        while time.monotonic() < deadline:  # as upstream does: redeliver until answered 200
            try:
                answer = post(url, body)
            except httpx.HTTPError:
                answer = None
            if answer is not None and answer.status_code == 200:
                break
            time.sleep(0.5)
        assert answer is not None and answer.status_code == 200, "no delivery got through the stalled connections"
        child.send_signal(signal.SIGTERM)
        assert child.wait(timeout=120) == 0, "".join(errors)
        assert child.stdout is not None
        out = child.stdout.read()
    finally:
        for connection in flood:
            connection.close()
        if child.poll() is None:
            child.kill()
            child.wait(10)
    assert "status wamid.through read" in out


def test_listen_prints_a_templates_review_quality_and_category_changes() -> None:
    bodies = [
        payloads.template_status_update("order_update", "APPROVED", category="UTILITY", time_sent=1751247548),
        payloads.template_status_update(
            "promo", "REJECTED", reason="INVALID_FORMAT", rejection_reason="{{1}}{{2}} side by side", time_sent=2
        ),
        payloads.template_status_update("promo", "PAUSED", reason=None, notice_title="FIRST_PAUSE", time_sent=3),
        payloads.template_quality_update("promo", "RED", previous_quality_score="YELLOW", time_sent=4),
        payloads.template_category_update("welcome", "MARKETING", previous_category="UTILITY", time_sent=5),
        payloads.template_category_update(
            "welcome", "UTILITY", correct_category="MARKETING", category_update_time=1746169200, time_sent=6
        ),
    ]
    printed = {}
    for mode in ("line", "json"):
        flags = ["--json"] if mode == "json" else []
        with process("webhook", "listen", "--port", "0", "--secret", SECRET, *flags) as child:
            url = url_in(child.stderr, r"receiving at (\S+)")
            for body in bodies:
                assert post(url, body).status_code == 200
            out, _ = stop(child)
        printed[mode] = out.splitlines()
    lines = [line.split(" ", 1)[1] for line in printed["line"]]  # without the time
    assert lines == [
        "template order_update (en_US) APPROVED",
        "template promo (en_US) REJECTED: INVALID_FORMAT ({{1}}{{2}} side by side)",
        "template promo (en_US) PAUSED; FIRST_PAUSE",
        "template promo (en_US) quality YELLOW -> RED",
        "template welcome (en_US) category UTILITY -> MARKETING",
        "template welcome (en_US) category UTILITY -> MARKETING at 2025-05-02T07:00:00+00:00",
    ]
    assert printed["line"][0].startswith(datetime.fromtimestamp(1751247548, tz=UTC).strftime("%H:%M:%S"))
    events = [json.loads(line) for line in printed["json"]]
    assert [event["event"] for event in events] == [
        "TemplateStatusUpdate", "TemplateStatusUpdate", "TemplateStatusUpdate", "TemplateQualityUpdate",
        "TemplateCategoryUpdate", "TemplateCategoryUpdate",
    ]  # fmt: skip
    # "event" names the type in these lines, so a template's own event (APPROVED...) is its "status".
    assert [event.get("status") for event in events[:3]] == ["APPROVED", "REJECTED", "PAUSED"]
    assert events[1]["rejection"] == {"reason": "{{1}}{{2}} side by side", "recommendation": None}
    assert events[0]["template_id"] == str(payloads.template_id_for("order_update", "en_US"))
    assert events[0]["timestamp"] == "2025-06-30T01:39:08+00:00" and events[0]["raw"]["event"] == "APPROVED"
    assert events[5]["category_update_timestamp"] == "2025-05-02T07:00:00+00:00"


@contextmanager
def listener_with_unread_stdout(*flags: str) -> Iterator[tuple[subprocess.Popen[bytes], str, list[str]]]:
    """A listener whose standard output is a pipe nobody reads, as `d360 webhook listen | sleep 600` makes;
    its stderr is read as it comes (its URL, then every line, into the list: whole once the block ends)."""
    child = subprocess.Popen(
        [sys.executable, "-m", "d360", "webhook", "listen", "--port", "0", "--secret", SECRET, *flags],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment(),
    )  # fmt: skip
    assert child.stderr is not None
    first = child.stderr.readline().decode()
    found = re.search(r"receiving at (\S+)", first)
    assert found, first
    errors: list[str] = []
    reader = threading.Thread(target=lambda: errors.extend(line.decode() for line in child.stderr or ()), daemon=True)
    reader.start()
    try:
        yield child, found.group(1), errors
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(10)
        reader.join(10)
        for stream in (child.stdout, child.stderr):
            if stream is not None:
                stream.close()


def stopped(child: subprocess.Popen[bytes]) -> int:
    """The exit code; a hang guard (a stop with nobody reading hung for ever), never a speed test."""
    try:
        return child.wait(timeout=90)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait(10)
        raise AssertionError("the listener did not stop") from None


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_listen_stops_when_told_though_nobody_reads_its_output(stop_signal: int) -> None:
    """400 deliveries answered 200 fill the pipe; the handler blocked in print, and the stop waited for it
    (and for asyncio's thread stuck in write) for ever. Now the lines not printed are counted."""
    with listener_with_unread_stdout("--json") as (child, url, errors):
        with httpx.Client(timeout=120) as http:
            for number in range(400):  # about 1.6 MB of JSON lines: more than any pipe holds
                body = delivery(
                    messages=[inbound(TO, "text", {"body": f"{number} " + "x" * 4000}, id=f"wamid.{number}")]
                )
                raw = json.dumps(body).encode()
                answer = http.post(url, content=raw, headers={"x-360dialog-signature": sign(raw, SECRET)})
                assert answer.status_code == 200
        child.send_signal(stop_signal)
        assert stopped(child) == 0, "".join(errors)
    shown = "".join(errors)
    assert "stopped after 400 events (0 duplicates, 0 deliveries refused)" in shown, shown
    found = re.search(r"(\d+) events not printed: standard output could not take them \(it was not being read\)", shown)
    assert found and 0 < int(found.group(1)) < 400, shown
    assert "Traceback" not in shown


def test_a_request_that_never_ends_does_not_hold_up_the_stop() -> None:
    """A request whose body never comes: uvicorn waited for it for ever; --shutdown-timeout bounds it."""
    with listener_with_unread_stdout("--shutdown-timeout", "1") as (child, url, errors):
        port = int(url.rsplit(":", 1)[1].rstrip("/"))
        with socket.create_connection(("127.0.0.1", port), timeout=10) as stalled:
            stalled.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
            time.sleep(1)  # the request reaches the app, which waits for its body
            child.send_signal(signal.SIGTERM)
            assert stopped(child) == 0, "".join(errors)


def test_a_second_interrupt_leaves_at_once() -> None:
    """While a stop waits (here for a request that never ends, allowed ten minutes), Ctrl-C again leaves."""
    with listener_with_unread_stdout("--shutdown-timeout", "600") as (child, url, errors):
        port = int(url.rsplit(":", 1)[1].rstrip("/"))
        with socket.create_connection(("127.0.0.1", port), timeout=10) as stalled:
            stalled.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
            time.sleep(1)  # the request reaches the app, which waits for its body
            child.send_signal(signal.SIGINT)
            deadline = time.monotonic() + 60  # a hang guard: the first Ctrl-C closes the listening socket
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                except OSError:
                    break
                time.sleep(0.05)
            else:
                raise AssertionError("the first Ctrl-C did not start a stop")
            child.send_signal(signal.SIGINT)
            assert stopped(child) == 130, "".join(errors)
    shown = "".join(errors)
    assert "stopping (Ctrl-C again to leave at once)" in shown and "leaving now" in shown, shown


def test_listen_json_prints_a_line_for_an_event_nested_too_deeply_to_copy() -> None:
    deep: Any = "bottom"
    for _ in range(900):
        deep = [deep]
    with process("webhook", "listen", "--port", "0", "--secret", SECRET, "--json") as child:
        url = url_in(child.stderr, r"receiving at (\S+)")
        deeply = delivery(statuses=[{**status("wamid.deep", "delivered", TO), "extra": deep}])
        assert post(url, deeply).status_code == 200
        assert post(url, delivery(statuses=[status("wamid.flat", "read", TO)])).status_code == 200
        out, err = stop(child)
    assert "Traceback" not in err and "failed" not in err, err[:2000]
    first, second = (json.loads(line) for line in out.splitlines())
    assert first == {"event": "StatusUpdate", "dedup_key": f"status:wamid.deep:delivered:{TO}",
                     "error": "nested too deeply to print"}  # fmt: skip
    assert second["message_id"] == "wamid.flat"
