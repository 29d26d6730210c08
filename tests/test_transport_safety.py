"""What both transports promise at the edges: no redirects, a deadline, a size cap, no key in the wrong place.

Every test runs through `Client` and `AsyncClient` (the `make_client` fixture) against real servers on
127.0.0.1: a scripted HTTP(S) server, a second one standing for "another origin", a bare proxy.
"""

from __future__ import annotations

import asyncio
import gzip
import re
import socket
import threading
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import d360
from tests.scripted_server import Reply, ScriptedServer, ok_reply, scripted_server, self_signed_certificate

TO = "4915112345678"
KEY = "test-key-123"


@pytest.fixture
def elsewhere() -> Iterator[ScriptedServer]:
    """Another origin: a redirect's target, which must never hear from the client."""
    with scripted_server() as other:
        yield other


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return self_signed_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """256 MiB of zeros, gzipped to about 250 KB."""
    return gzip.compress(bytes(256 << 20), compresslevel=9)


# Redirects: never followed, so the key never goes where an answer points.


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirect_to_another_origin_is_an_error_and_sends_nothing_there(
    make_client: Any, server: ScriptedServer, elsewhere: ScriptedServer, status: int
) -> None:
    server.script(Reply(status, b"", headers={"Location": f"{elsewhere.base_url}/messages"}))
    with pytest.raises(d360.APIStatusError) as caught:
        make_client().call("send_text", TO, "Hi")
    assert caught.value.status_code == status
    assert "does not follow redirects" in str(caught.value) and elsewhere.base_url in str(caught.value)
    assert caught.value.maybe_delivered is False
    assert len(server.requests) == 1  # not retried either
    assert elsewhere.requests == []


def test_https_redirected_to_plain_http_never_sends_the_key_in_clear(
    client_kind: str, certificate: tuple[Path, Path], elsewhere: ScriptedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.clients import ClientUnderTest

    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))  # trust the test certificate
    with scripted_server(tls=certificate) as secure:
        secure.script(Reply(308, b"", headers={"Location": f"{elsewhere.base_url}/messages"}))
        client = ClientUnderTest(client_kind, api_key=KEY, base_url=secure.base_url)
        with pytest.raises(d360.APIStatusError) as caught:
            client.call("send_text", TO, "Hi")
        assert caught.value.status_code == 308
        assert len(secure.requests) == 1 and secure.requests[0].headers["D360-API-KEY"] == KEY
    assert elsewhere.requests == []


def test_a_redirect_loop_is_one_request_and_its_error_holds_no_key(make_client: Any, server: ScriptedServer) -> None:
    server.script(Reply(307, b"", headers={"Location": f"{server.base_url}/messages"}))
    with pytest.raises(d360.APIStatusError) as caught:
        make_client().call("send_text", TO, "Hi")
    assert len(server.requests) == 1
    error = caught.value
    for text in (str(error), repr(error), repr(error.body), repr(error.details), repr(error.__cause__)):
        assert KEY not in text


# The deadline: a whole answer, not each read.


@pytest.mark.parametrize("what", ["headers and body", "body"])
def test_a_trickled_answer_ends_at_the_deadline_not_at_each_read(
    make_client: Any, server: ScriptedServer, what: str
) -> None:
    # 4,000 bytes of padding: the whole answer takes about 80 s, so the bound below (30 s) is about a hang,
    # not about speed, and still far from what reading to the end would take.
    body = b'{"messages": [{"id": "wamid.X"}], "padding": "' + b"x" * 4000 + b'"}'
    if what == "body":
        # Headers at once, then the body one byte every 20 ms: about 80 s in all.
        server.script(Reply(200, body, trickle=0.02, trickle_body_only=True))
    else:
        server.script(Reply(200, body, trickle=0.02))
    started = time.monotonic()
    with pytest.raises(d360.APITimeoutError) as caught:
        make_client(timeout=0.5, max_retries=0).call("send_text", TO, "Hi")
    elapsed = time.monotonic() - started
    assert elapsed < 30, f"took {elapsed:.1f}s; the deadline is connect + read = 1 s"
    assert caught.value.maybe_delivered is True
    assert "not complete within 1s" in str(caught.value)


def test_an_answer_that_never_comes_is_given_up_at_the_deadline(make_client: Any, server: ScriptedServer) -> None:
    # The sync client also bounds each read (httpx's read timeout, 0.3 s here); the async one sets no
    # per-read timer (it costs more CPU than the rest of its timeouts together) and gives up at the
    # deadline, connect + read: an API call's answer is small and read whole, so nothing waits longer.
    server.script(Reply(delay=60), ok_reply())  # the answer would come after a minute: the bounds are about a hang
    client = make_client(timeout=httpx.Timeout(0.3, connect=0.4), max_retries=0)
    started = time.monotonic()
    with pytest.raises(d360.APITimeoutError) as caught:
        client.call("send_text", TO, "Hi")
    elapsed = time.monotonic() - started
    assert caught.value.maybe_delivered is True
    if client.kind == "async":
        assert "not complete within 0.7s" in str(caught.value) and 0.6 < elapsed < 30
    else:
        assert elapsed < 30


# Size: a decompression bomb, or any huge answer, costs at most the cap.


@pytest.mark.parametrize("status", [200, 500])
def test_a_gzip_bomb_is_refused_with_bounded_memory(
    make_client: Any, server: ScriptedServer, bomb: bytes, status: int
) -> None:
    server.script(Reply(status, bomb, headers={"Content-Encoding": "gzip"}))
    client = make_client(max_retries=0)
    tracemalloc.start()
    try:
        with pytest.raises(d360.D360Error) as caught:
            client.call("send_text", TO, "Hi")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 24 << 20, f"peak {peak / 2**20:.0f} MiB while reading a 256 MiB bomb"
    if status == 200:
        assert isinstance(caught.value, d360.UnexpectedResponseError)
        assert "larger than 1048576 bytes" in str(caught.value)
        assert caught.value.maybe_delivered is True
    else:
        assert isinstance(caught.value, d360.ServerError)


def test_a_large_plain_answer_is_cut_at_the_cap(make_client: Any, server: ScriptedServer) -> None:
    server.script(Reply(200, b"[" + b"1," * (3 << 20) + b"1]"))
    with pytest.raises(d360.UnexpectedResponseError, match="larger than 1048576 bytes"):
        make_client(max_retries=0).call("send_text", TO, "Hi")


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("gzip", "not valid gzip"), ("deflate", "not valid deflate"), ("br", "encoding d360 did not ask for (br)")],
)
def test_a_false_content_encoding_is_a_typed_error(
    make_client: Any, server: ScriptedServer, encoding: str, expected: str
) -> None:
    reply = ok_reply()
    server.script(Reply(200, reply.encoded_body(), headers={"Content-Encoding": encoding}))
    with pytest.raises(d360.UnexpectedResponseError, match=re.escape(expected)):
        make_client(max_retries=0).call("send_text", TO, "Hi")


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_compressed_answers_are_decoded(make_client: Any, server: ScriptedServer, encoding: str) -> None:
    import zlib

    body = ok_reply(message_id="wamid.Z").encoded_body()
    encoded = gzip.compress(body) if encoding == "gzip" else zlib.compress(body)
    server.script(Reply(200, encoded, headers={"Content-Encoding": encoding}))
    assert make_client().call("send_text", TO, "Hi").message_id == "wamid.Z"
    assert server.requests[0].headers["Accept-Encoding"] == "gzip, deflate"


# Client state: closed, or used from a second event loop.


def test_a_closed_client_raises_a_typed_error_and_sends_nothing(server: ScriptedServer) -> None:
    client = d360.Client(api_key=KEY, base_url=server.base_url)
    client.close()
    with pytest.raises(d360.ClientStateError, match="closed"):
        client.send_text(TO, "Hi")

    async def closed_async() -> None:
        async_client = d360.AsyncClient(api_key=KEY, base_url=server.base_url)
        await async_client.send_text(TO, "Hi")
        await async_client.aclose()
        with pytest.raises(d360.ClientStateError, match="closed"):
            await async_client.send_text(TO, "Hi")

    asyncio.run(closed_async())
    assert len(server.requests) == 1


def test_an_async_client_used_from_a_second_event_loop_says_so(server: ScriptedServer) -> None:
    client = d360.AsyncClient(api_key=KEY, base_url=server.base_url)
    assert asyncio.run(client.send_text(TO, "first")).message_id
    with pytest.raises(d360.ClientStateError, match="one AsyncClient per event loop"):
        asyncio.run(client.send_text(TO, "second"))
    assert len(server.requests) == 1


# The key and the base URL, checked alike in both clients before anything is sent.


@pytest.mark.parametrize("key", ["abcdef123 ", " abcdef123", "abc def123", "abcdef123\t", "abcdéf123"])
@pytest.mark.parametrize("client_class", [d360.Client, d360.AsyncClient])
def test_a_key_with_a_stray_space_is_refused_without_echoing_it(client_class: Any, key: str) -> None:
    with pytest.raises(d360.ConfigurationError) as caught:
        client_class(api_key=key, base_url="http://127.0.0.1:9")
    assert key.strip() not in str(caught.value)
    assert "stray space" in str(caught.value)


@pytest.mark.parametrize(
    "url", ["https://example.com/?x=1", "https://example.com#top", "https://example.com/v1?", "https://u:p@example.com"]
)
def test_a_base_url_with_a_query_fragment_or_password_is_refused(url: str) -> None:
    with pytest.raises(d360.ConfigurationError):
        d360.Client(api_key=KEY, base_url=url)


@pytest.mark.parametrize("timeout", [float("nan"), -1.0, 0.0, float("inf"), "30"])
def test_a_timeout_that_cannot_work_is_refused(timeout: Any) -> None:
    with pytest.raises(d360.ConfigurationError, match="timeout"):
        d360.Client(api_key=KEY, base_url="http://127.0.0.1:9", timeout=timeout)


# Retrying: a 408 is transient and undelivered; a Retry-After in the past is no licence to hammer.


def test_a_408_is_retried_as_undelivered(make_client: Any, server: ScriptedServer) -> None:
    server.script(Reply(408, {"error": "Request Timeout"}), ok_reply(message_id="wamid.AFTER408"))
    client = make_client()
    assert client.call("send_text", TO, "Hi").message_id == "wamid.AFTER408"
    assert len(client.sleeps) == 1


@pytest.mark.parametrize("retry_after", ["-5", "0", "Wed, 21 Oct 2015 07:28:00 GMT"])
def test_a_retry_after_of_zero_or_in_the_past_still_backs_off(
    make_client: Any, server: ScriptedServer, retry_after: str
) -> None:
    server.script(Reply(429, {"error": "slow down"}, headers={"Retry-After": retry_after}), ok_reply())
    client = make_client()
    client.call("send_text", TO, "Hi")
    assert len(client.sleeps) == 1 and client.sleeps[0] >= 0.25


# Proxies: both clients agree, and plain http never goes through one.


class BareProxy:
    """Records the first line of each connection and refuses it: enough to see who came through a proxy."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            with connection:
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = connection.recv(4096)
                    if not chunk:
                        break
                    data += chunk
                self.lines.append(data.split(b"\r\n", 1)[0].decode())
                connection.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    def close(self) -> None:
        self._listener.close()


@pytest.fixture
def proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[BareProxy]:
    for name in ("NO_PROXY", "no_proxy", "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    bare = BareProxy()
    try:
        yield bare
    finally:
        bare.close()


def test_plain_http_never_goes_through_a_proxy(
    make_client: Any, server: ScriptedServer, proxy: BareProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("ALL_PROXY", proxy.url)
    make_client().call("send_text", TO, "Hi")
    assert len(server.requests) == 1
    assert proxy.lines == []


def test_https_goes_through_the_environments_proxy_in_both_clients(
    client_kind: str, proxy: BareProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.clients import ClientUnderTest

    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    client = ClientUnderTest(client_kind, api_key=KEY, base_url="https://127.0.0.1:9", max_retries=0)
    with pytest.raises(d360.APIConnectionError) as caught:
        client.call("send_text", TO, "Hi")
    assert proxy.lines == ["CONNECT 127.0.0.1:9 HTTP/1.1"]  # a tunnel: the key travels inside TLS
    assert caught.value.maybe_delivered is False


@pytest.mark.parametrize("client_class", [d360.Client, d360.AsyncClient])
def test_a_socks_proxy_in_the_environment_is_a_configuration_error(
    client_class: Any, proxy: BareProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALL_PROXY", "socks5://127.0.0.1:1080")
    with pytest.raises(d360.ConfigurationError, match="socks5 proxy"):
        client_class(api_key=KEY, base_url="https://waba-v2.360dialog.io")
