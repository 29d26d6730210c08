"""client.media at its bounds: a download never writes past the size declared for it, a failed or refused
download leaves no `.part` file, an upload refuses what is not a regular file (a FIFO would block for ever),
and numbers from upstream's answers are read as ASCII digits or refused as a typed error."""

from __future__ import annotations

import asyncio
import io
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

import d360
from d360 import sandbox
from d360.media import MediaIntegrityError
from tests.scripted_server import Reply, scripted_server
from tests.test_media import Both

LOOKASIDE_URL = "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=123&hash=h"
MB = 1 << 20


class MediaServer:
    """Upstream's stand-in for one media file: the lookup declares `declared` bytes (or says nothing), and
    the download sends `sends` bytes, chunked or with a Content-Length of its own, `pause` seconds per 64 KiB.
    `written` records, per download, how many bytes it got onto the socket before the client hung up."""

    def __init__(self, declared: int | None, sends: int, *, content_length: bool = False, pause: float = 0.0) -> None:
        self.written: list[int] = []
        self.lookups = 0
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                if not self.path.startswith("/whatsapp_business/"):
                    owner.lookups += 1
                    info: dict[str, Any] = {"id": "123", "url": LOOKASIDE_URL, "mime_type": "application/pdf"}
                    if declared is not None:
                        info["file_size"] = declared
                    body = json.dumps(info).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                self.close_connection = True
                self.send_response(200)
                self.send_header("Content-Type", "application/pdf")
                if content_length:
                    self.send_header("Content-Length", str(sends))
                else:
                    self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                written, block = 0, b"x" * 65536
                try:
                    while written < sends:
                        piece = block[: sends - written]
                        self.wfile.write(piece if content_length else b"%x\r\n%s\r\n" % (len(piece), piece))
                        written += len(piece)
                        if pause:
                            time.sleep(pause)
                    if not content_length:
                        self.wfile.write(b"0\r\n\r\n")
                except OSError:
                    pass  # the client hung up: what this test is about
                finally:
                    owner.written.append(written)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"

    @contextmanager
    def running(self) -> Iterator[MediaServer]:
        thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()


@pytest.mark.parametrize("to", ["path", "bytes", "file object"])
def test_a_download_sending_more_than_the_declared_size_is_stopped_there_on_every_try(
    client_kind: str, tmp_path: Path, to: str
) -> None:
    # The lookup says 1,000 bytes; the download would send 200 MB, chunked (so no Content-Length warns).
    with MediaServer(declared=1000, sends=200 * MB).running() as server:
        media = Both(client_kind, server.base_url, "key", max_retries=2)
        sink = io.BytesIO()
        destination = {"path": (tmp_path / "f.pdf",), "bytes": (), "file object": (sink,)}[to]
        with pytest.raises(MediaIntegrityError, match="more than the 1000 bytes declared"):
            media("download_bytes" if to == "bytes" else "download", "123", *destination)
    assert len(server.written) == 3  # retried as before, each try cut off at the declared size
    # What got onto the socket before the client hung up: the socket buffers' worth, never the 200 MB.
    assert all(written < 40 * MB for written in server.written), server.written
    assert os.listdir(tmp_path) == []
    assert len(sink.getvalue()) <= 1000


def test_a_content_length_other_than_the_declared_size_is_refused_before_reading(
    client_kind: str, tmp_path: Path
) -> None:
    with MediaServer(declared=1000, sends=200 * MB, content_length=True).running() as server:
        media = Both(client_kind, server.base_url, "key", max_retries=1)
        with pytest.raises(MediaIntegrityError, match="declares 209715200 bytes where upstream's lookup said 1000"):
            media("download", "123", tmp_path / "f.pdf")
    assert len(server.written) == 2 and all(written < 40 * MB for written in server.written)
    assert os.listdir(tmp_path) == []


def test_a_download_the_lookup_does_not_size_is_bounded_by_its_content_length(tmp_path: Path) -> None:
    with MediaServer(declared=None, sends=300_000, content_length=True).running() as server:
        received: list[tuple[int, int | None]] = []
        with d360.Client(api_key="key", base_url=server.base_url) as client:
            info = client.media.download("123", tmp_path / "f.pdf", progress=lambda *seen: received.append(seen))
    assert info.file_size is None and (tmp_path / "f.pdf").stat().st_size == 300_000
    assert received[-1] == (300_000, 300_000)  # the total the answer declared


def test_a_download_url_refused_before_fetching_leaves_no_file(client_kind: str, tmp_path: Path) -> None:
    with scripted_server() as server:
        server.script(Reply(200, {"id": "123", "url": "https://lookaside.fbsbx.com/elsewhere?x=1"}))
        with pytest.raises(d360.UnexpectedResponseError, match="not an attachments URL"):
            Both(client_kind, server.base_url, "key")("download", "123", tmp_path / "f.pdf")
    assert os.listdir(tmp_path) == []


def test_a_cancelled_download_leaves_no_file(tmp_path: Path) -> None:
    # 10 MB, 64 KiB every 50 ms: still under way when it is cancelled.
    with MediaServer(declared=10 * MB, sends=10 * MB, pause=0.05).running() as server:

        async def run() -> None:
            started = asyncio.Event()
            async with d360.AsyncClient(api_key="key", base_url=server.base_url) as client:
                task = asyncio.create_task(
                    client.media.download("123", tmp_path / "f.pdf", progress=lambda *seen: started.set())
                )
                await asyncio.wait_for(started.wait(), 30)
                assert len(os.listdir(tmp_path)) == 1  # the temporary file, beside the name asked for
                task.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await task

        asyncio.run(run())
    assert os.listdir(tmp_path) == []


def test_a_download_interrupted_by_the_callers_progress_callback_leaves_no_file(tmp_path: Path) -> None:
    class Stop(Exception):
        pass

    def progress(received: int, total: int | None) -> None:
        raise Stop

    with (
        MediaServer(declared=300_000, sends=300_000).running() as server,
        d360.Client(api_key="key", base_url=server.base_url) as client,
        pytest.raises(Stop),
    ):
        client.media.download("123", tmp_path / "f.pdf", progress=progress)
    assert os.listdir(tmp_path) == []


def test_a_download_into_a_folder_that_does_not_exist_is_a_validation_error(tmp_path: Path) -> None:
    with (
        MediaServer(declared=10, sends=10).running() as server,
        d360.Client(api_key="key", base_url=server.base_url) as client,
        pytest.raises(d360.ValidationError, match="cannot write beside"),
    ):
        client.media.download("123", tmp_path / "missing" / "f.pdf")


# Uploads: only regular files.


@contextmanager
def fifo(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "pipe.pdf"
    os.mkfifo(path)
    try:
        yield path
    finally:
        # Unblocks a reader stuck opening it (without the fix), so the test ends either way.
        with suppress(OSError):
            os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))


def call_in_thread(function: Any, timeout: float = 30.0) -> BaseException | None:
    """What `function` raised (None if it returned), or AssertionError if it was still blocked after `timeout`."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            function()
            outcome.append(None)
        except BaseException as exc:  # handed back to the test
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout)
    assert outcome, f"still blocked after {timeout} s"
    return outcome[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX: run on Linux or macOS")
def test_uploading_a_fifo_is_refused_at_once_with_nothing_sent(client_kind: str, tmp_path: Path) -> None:
    with scripted_server() as server, fifo(tmp_path) as path:
        media = Both(client_kind, server.base_url, "key")
        for method, arguments in [
            ("upload", (path,)),
            ("upload_resumable", (path,)),
            ("send_document", ("4915112345678",)),
        ]:
            keywords = {"path": path} if method == "send_document" else {}
            raised = call_in_thread(lambda: media(method, *arguments, **keywords))  # noqa: B023
            assert isinstance(raised, d360.ValidationError), raised
            assert f"{path} is a FIFO (named pipe), not a regular file" in str(raised)
        assert server.requests == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX: run on Linux or macOS")
def test_d360_media_upload_of_a_fifo_exits_2_in_one_line(tmp_path: Path) -> None:
    with scripted_server() as server, fifo(tmp_path) as path:
        environment = {**os.environ, "D360_API_KEY": "key", "D360_BASE_URL": server.base_url}
        result = subprocess.run([sys.executable, "-m", "d360", "media", "upload", str(path)], capture_output=True,
                                text=True, env=environment, timeout=60, check=False)  # fmt: skip
        assert server.requests == []
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("d360: error:") and "is a FIFO (named pipe)" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("make", "what"),
    [(lambda tmp: tmp, "is a folder"), (lambda tmp: Path(os.devnull), "is a character device")],
    ids=["folder", "device"],
)
def test_folders_and_devices_are_refused_by_name(make: Any, what: str, tmp_path: Path) -> None:
    path = make(tmp_path)
    if not path.exists():
        pytest.skip(f"{path} does not exist on this system")
    with (
        d360.Client(api_key="key", base_url="http://127.0.0.1:9") as client,
        pytest.raises(d360.ValidationError, match=f"{path} {what}, not a regular file"),
    ):
        client.media.upload(path, "application/pdf")


def test_a_file_object_that_cannot_be_rewound_is_refused() -> None:
    reading, writing = os.pipe()
    os.write(writing, b"%PDF-1.4")
    os.close(writing)
    with (
        os.fdopen(reading, "rb") as pipe,
        d360.Client(api_key="key", base_url="http://127.0.0.1:9") as client,
        pytest.raises(d360.ValidationError, match="cannot be read from its start again"),
    ):
        client.media.upload(pipe, "application/pdf", filename="p.pdf")


# Numbers from upstream and from the caller.


@pytest.mark.parametrize("media_id", ["²", "٣", "1²3", "-1", -1, "1" * 33, "\uff11\uff12"])
def test_a_media_id_of_non_ascii_digits_is_refused_before_sending(client_kind: str, media_id: Any) -> None:
    with scripted_server() as server:
        for method in ("get", "delete", "download_bytes"):
            with pytest.raises(d360.ValidationError, match="numeric media id"):
                Both(client_kind, server.base_url, "key")(method, media_id)
        assert server.requests == []


def test_media_ids_as_long_as_metas_are_taken(client_kind: str) -> None:
    with scripted_server() as server:
        server.script(Reply(200, {"id": "10375432915436361", "mime_type": "image/png", "file_size": "12"}))
        info = Both(client_kind, server.base_url, "key")("get", 10375432915436361)
    assert (info.id, info.file_size) == ("10375432915436361", 12)


@pytest.mark.parametrize("file_size", ["²", "٣", "-5", -5, 1.5, "1e3", " 12", True])
def test_a_lookups_file_size_that_cannot_be_read_is_an_unexpected_response_not_retried(
    client_kind: str, file_size: Any
) -> None:
    with scripted_server() as server:
        server.script(Reply(200, {"id": "123", "url": LOOKASIDE_URL, "file_size": file_size}))
        media = Both(client_kind, server.base_url, "key", max_retries=3)
        with pytest.raises(d360.UnexpectedResponseError, match="file_size d360 cannot read"):
            media("get", "123")
        assert len(server.requests) == 1


@pytest.mark.parametrize("offset", ["²", "٣", "-1", -1, 1.5, None, 1_000_000])
def test_an_upload_sessions_offset_that_cannot_be_read_is_an_unexpected_response(client_kind: str, offset: Any) -> None:
    with scripted_server() as server:
        server.script(Reply(200, {"id": "upload:abc", "file_offset": offset}))
        media = Both(client_kind, server.base_url, "key", max_retries=3)
        with pytest.raises(d360.UnexpectedResponseError, match=r"without an offset d360 can read \(0 to 10 bytes\)"):
            media("upload_resumable", b"x" * 10, "image/png", filename="a.png", session="upload:abc")
        assert [request.method for request in server.requests] == ["GET"]  # nothing sent from a bad offset


def test_the_sandbox_refuses_non_ascii_digits_where_it_reads_numbers() -> None:
    import httpx

    with sandbox.running() as served:
        key = {"D360-API-KEY": served.api_key}
        url = served.base_url
        assert httpx.get(f"{url}/%D9%A3", headers=key).status_code == 400  # "٣"
        assert httpx.get(f"{url}/%C2%B2", headers=key).status_code == 400  # "²"
        opened = httpx.post(f"{url}/uploads", params={"file_name": "a.pdf", "file_length": "²",
                                                      "file_type": "application/pdf"}, headers=key)  # fmt: skip
        assert opened.status_code == 400 and "file_length (a whole number)" in opened.json()["error"]
        session = httpx.post(f"{url}/uploads", params={"file_name": "a.pdf", "file_length": "4",
                                                       "file_type": "application/pdf"}, headers=key)  # fmt: skip
        session_url = f"{url}/{session.json()['id']}"
        for offset in ("²", "\u0660", "-0", "+0"):
            sent = httpx.post(session_url, content=b"abcd", headers={**key, "file_offset": offset.encode()})
            assert sent.status_code == 400 and "does not match the 0 bytes received" in sent.json()["error"]
        assert httpx.post(session_url, content=b"abcd", headers={**key, "file_offset": "0"}).status_code == 200
