"""The API key never leaks, plain http is refused off this machine, and TLS is verified by default."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import d360
from tests.scripted_server import Reply, ScriptedServer, ok_reply, scripted_server, self_signed_certificate

TO = "4915112345678"
SECRET = "sk-live-SECRET-0123456789abcdef"


def every_failure_a_user_can_meet() -> list[Reply]:
    return [
        Reply(400, {"error": {"message": "(#100) Invalid parameter", "code": 100}}),
        Reply(401, {"meta": {"httpCode": 401, "developerMessage": "Invalid api_key", "success": False}}),
        Reply(429, {"error": "slow down"}, {"Retry-After": "9999"}),
        Reply(500, "<html>oops</html>"),
        Reply(200, b"not json"),
        Reply(reset=True),
    ]


def test_key_never_appears_in_logs_reprs_errors_or_tracebacks(
    make_client: Any, server: ScriptedServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger: d360, httpx, httpcore
    client = make_client(api_key=SECRET, max_retries=0)
    seen: list[str] = []
    for reply in every_failure_a_user_can_meet():
        server.script(reply)
        with pytest.raises(d360.D360Error) as caught:
            client.call("send_text", TO, "Hi")
        error = caught.value
        seen += [str(error), repr(error), "".join(traceback.format_exception(error)), repr(vars(error))]
    with pytest.raises(d360.ValidationError) as invalid:
        client.call("send_text", "1", "")
    seen += [str(invalid.value), "".join(traceback.format_exception(invalid.value))]
    with d360.Client(api_key=SECRET, base_url=server.base_url) as sync_client:
        seen += [repr(sync_client), str(sync_client), repr(sync_client._config)]
    seen += [record.getMessage() for record in caplog.records]
    assert any("D360-API-KEY" in line for line in seen), "the DEBUG request log should show the header, redacted"
    assert server.requests[0].headers["D360-API-KEY"] == SECRET  # it did travel, in the header
    for text in seen:
        assert SECRET not in text


def test_debug_log_redacts_the_key_header(server: ScriptedServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="d360")
    with d360.Client(api_key=SECRET, base_url=server.base_url) as client:
        client.send_text(TO, "Hi")
    [request_log] = [record.getMessage() for record in caplog.records if record.name == "d360"]
    assert "'D360-API-KEY': '[REDACTED]'" in request_log


def test_secrets_filter_masks_a_key_logged_elsewhere(caplog: pytest.LogCaptureFixture) -> None:
    other = logging.getLogger("some.other.library")
    other.addFilter(d360.SecretsFilter([SECRET]))
    try:
        with caplog.at_level(logging.INFO):
            other.info("calling with key=%s", SECRET)
    finally:
        other.filters.clear()
    assert caplog.records[0].getMessage() == "calling with key=[REDACTED]"


def test_key_with_a_newline_is_refused_without_echoing_it() -> None:
    with pytest.raises(d360.ConfigurationError) as caught:
        d360.Client(api_key=SECRET + "\n")
    assert SECRET not in str(caught.value)


@pytest.mark.parametrize("url", ["http://waba-v2.360dialog.io", "http://10.0.0.5:8080", "http://example.com"])
def test_plain_http_to_a_remote_host_is_refused(url: str) -> None:
    with pytest.raises(d360.ConfigurationError, match="refusing plain http"):
        d360.Client(api_key="k", base_url=url)
    with pytest.raises(d360.ConfigurationError, match="refusing plain http"):
        d360.AsyncClient(api_key="k", base_url=url)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8360", "http://localhost:8360", "http://[::1]:8360"])
def test_plain_http_to_loopback_is_allowed(url: str) -> None:
    d360.Client(api_key="k", base_url=url).close()


def test_allow_insecure_http_opts_in() -> None:
    d360.Client(api_key="k", base_url="http://example.com", allow_insecure_http=True).close()


@pytest.mark.parametrize("url", ["ftp://example.com", "waba-v2.360dialog.io", "https://"])
def test_malformed_base_url_is_refused(url: str) -> None:
    with pytest.raises(d360.ConfigurationError, match="base URL"):
        d360.Client(api_key="k", base_url=url)


def test_missing_api_key_names_the_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("D360_API_KEY", raising=False)
    with pytest.raises(d360.ConfigurationError, match="D360_API_KEY"):
        d360.Client()


def test_key_and_base_url_come_from_the_environment(monkeypatch: pytest.MonkeyPatch, server: ScriptedServer) -> None:
    monkeypatch.setenv("D360_API_KEY", "from-env")
    monkeypatch.setenv("D360_BASE_URL", server.base_url + "/")
    with d360.Client() as client:
        client.send_text(TO, "Hi")
    assert server.requests[0].headers["D360-API-KEY"] == "from-env"


def test_arguments_win_over_the_environment(monkeypatch: pytest.MonkeyPatch, server: ScriptedServer) -> None:
    monkeypatch.setenv("D360_API_KEY", "from-env")
    monkeypatch.setenv("D360_BASE_URL", "https://waba-v2.360dialog.io")
    with d360.Client(api_key="from-arg", base_url=server.base_url) as client:
        client.send_text(TO, "Hi")
    assert server.requests[0].headers["D360-API-KEY"] == "from-arg"


def test_default_base_url_is_upstream(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("D360_BASE_URL", raising=False)
    with d360.Client(api_key="k") as client:
        assert "base_url='https://waba-v2.360dialog.io'" in repr(client)


@pytest.fixture
def https_server_with_untrusted_certificate(tmp_path: Path) -> Iterator[str]:
    with scripted_server(tls=self_signed_certificate(tmp_path)) as server:
        yield server.base_url


def test_tls_is_verified_by_default(make_client: Any, https_server_with_untrusted_certificate: str) -> None:
    with pytest.raises(d360.APIConnectionError, match="CERTIFICATE_VERIFY_FAILED") as caught:
        make_client(base_url=https_server_with_untrusted_certificate, max_retries=0).call("send_text", TO, "Hi")
    assert caught.value.maybe_delivered is False


def test_own_http_client_is_used_and_left_open(server: ScriptedServer) -> None:
    import httpx

    transport_calls: list[str] = []

    def record(request: httpx.Request) -> None:
        transport_calls.append(str(request.url))

    own = httpx.Client(event_hooks={"request": [record]})
    with d360.Client(api_key="k", base_url=server.base_url, http_client=own) as client:
        client.send_text(TO, "Hi")
    assert transport_calls == [f"{server.base_url}/messages"]
    assert not own.is_closed
    own.close()


async def test_own_async_http_client_is_used_and_left_open(server: ScriptedServer) -> None:
    import httpx

    own = httpx.AsyncClient()
    async with d360.AsyncClient(api_key="k", base_url=server.base_url, http_client=own) as client:
        result = await client.send_text(TO, "Hi")
    assert result.message_id == "wamid.TEST1"
    assert not own.is_closed
    await own.aclose()


def test_with_options_shares_the_connection_and_overrides_settings(server: ScriptedServer) -> None:
    server.script(Reply(503, {"error": "x"}), ok_reply())
    with d360.Client(api_key="k", base_url=server.base_url, max_retries=0, sleep=lambda seconds: None) as client:
        patient = client.with_options(max_retries=3, timeout=5.0)
        assert patient.send_text(TO, "Hi").message_id == "wamid.TEST1"
        assert "max_retries=3" in repr(patient) and "max_retries=0" in repr(client)
        patient.close()  # the copy does not own the connection pool
        client.send_text(TO, "Still open")
    assert len(server.requests) == 3
