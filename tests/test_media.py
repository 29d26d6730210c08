"""client.media against the sandbox and a scripted server: round trips per type, limits before sending,
downloads that fail leave no file, retries, and the key never sent to another host."""

from __future__ import annotations

import asyncio
import hashlib
import io
import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import d360
from d360 import sandbox
from d360.media import MediaIntegrityError, MediaLookupBlockedError
from d360.media.limits import check_upload, is_animated_webp
from tests.scripted_server import Reply, ScriptedServer, scripted_server

TO = "4915112345678"
WEBP_STATIC = b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 16
WEBP_ANIMATED = b"RIFF\x00\x00\x00\x00WEBPVP8X" + b"\x00" * 4 + b"\x02" + b"\x00" * 11

TYPES = [
    ("photo.jpg", "image/jpeg", "image", 300_000),
    ("diagram.png", "image/png", "image", 1000),
    ("voice.ogg", "audio/ogg", "audio", 50_000),
    ("song.mp3", "audio/mpeg", "audio", 70_000),
    ("clip.mp4", "video/mp4", "video", 400_000),
    ("invoice.pdf", "application/pdf", "document", 120_000),
    ("sheet.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "document", 3000),
    ("smile.webp", "image/webp", "sticker", 20_000),
]


class Both:
    """The same media call through Client or AsyncClient."""

    def __init__(self, kind: str, base_url: str, api_key: str, **options: Any) -> None:
        self.kind, self.base_url, self.api_key, self.options = kind, base_url, api_key, options

    def __call__(self, method: str, *args: Any, **kwargs: Any) -> Any:
        if self.kind == "sync":
            with d360.Client(api_key=self.api_key, base_url=self.base_url, sleep=lambda s: None, **self.options) as c:
                target = c if method.startswith("send_") else c.media
                return getattr(target, method)(*args, **kwargs)

        async def nap(seconds: float) -> None:
            pass

        async def run() -> Any:
            async with d360.AsyncClient(api_key=self.api_key, base_url=self.base_url, sleep=nap, **self.options) as c:
                target = c if method.startswith("send_") else c.media
                return await getattr(target, method)(*args, **kwargs)

        return asyncio.run(run())


@pytest.fixture(scope="module")
def lookaside() -> Iterator[ScriptedServer]:
    """Stands in for upstream's lookaside host: the client must never call it (it would get the key)."""
    with scripted_server() as server:
        yield server


@pytest.fixture(scope="module")
def served(lookaside: ScriptedServer) -> Iterator[sandbox.RunningSandbox]:
    app = sandbox.Sandbox(lookaside=lookaside.base_url)
    running = sandbox.start(app)
    yield running
    running.stop()


@pytest.fixture(params=["sync", "async"])
def media(request: pytest.FixtureRequest, served: sandbox.RunningSandbox) -> Both:
    return Both(request.param, served.base_url, served.api_key)


def content_for(name: str, size: int) -> bytes:
    head = WEBP_STATIC if name.endswith(".webp") else b""
    return head + os.urandom(size - len(head))


@pytest.mark.parametrize(("name", "mime", "kind", "size"), TYPES, ids=[t[1] for t in TYPES])
def test_round_trip_per_type_is_byte_identical_with_sha256_checked(
    media: Both, tmp_path: Path, lookaside: ScriptedServer, name: str, mime: str, kind: str, size: int
) -> None:
    data = content_for(name, size)
    source = tmp_path / name
    source.write_bytes(data)
    media_id = media("upload", source)  # the type guessed from the name
    info = media("get", media_id)
    assert (info.id, info.mime_type, info.file_size) == (media_id, mime, size)
    assert info.sha256 == hashlib.sha256(data).hexdigest()
    target = tmp_path / "downloaded" / name
    target.parent.mkdir()
    assert media("download", media_id, target).id == media_id
    assert target.read_bytes() == data and os.listdir(target.parent) == [name]
    assert media("download_bytes", media_id) == data
    assert media("delete", media_id) is True
    with pytest.raises(d360.NotFoundError):
        media("get", media_id)
    assert lookaside.requests == []


def test_uploads_take_bytes_and_file_objects_and_downloads_write_to_file_objects(media: Both) -> None:
    data = os.urandom(10_000)
    from_bytes = media("upload", data, "image/png", filename="a.png")
    stream = io.BytesIO(b"skipped" + data)
    stream.seek(7)  # an upload starts where the file object stands
    from_file = media("upload", stream, "image/jpeg")
    assert from_file != from_bytes
    sink = io.BytesIO()
    media("download", from_file, sink)
    assert sink.getvalue() == data


@pytest.mark.parametrize(
    ("content", "mime", "name", "problem"),
    [
        (b"x" * (5 * 1024 * 1024 + 1), "image/jpeg", "big.jpg", "images may be at most 5.0 MB"),
        (WEBP_STATIC + b"x" * 110_000, "image/webp", "s.webp", "static stickers may be at most 100 KB"),
        (b"x" * 100, "image/gif", "a.gif", "not a media type the Cloud API takes"),
        (b"", "image/png", "empty.png", "is empty"),
        (b"x" * 100, None, "no-extension", "cannot tell the MIME type"),
    ],
)
def test_limits_are_refused_before_anything_is_sent(
    content: bytes, mime: str | None, name: str, problem: str, client_kind: str
) -> None:
    with scripted_server() as server:
        media = Both(client_kind, server.base_url, "key")
        with pytest.raises(d360.ValidationError, match=problem):
            media("upload", content, mime, filename=name)
        assert server.requests == []


def test_animated_stickers_have_their_own_limit() -> None:
    assert is_animated_webp(WEBP_ANIMATED) and not is_animated_webp(WEBP_STATIC)
    assert check_upload("image/webp", 400_000, "a.webp", WEBP_ANIMATED) == "sticker"
    with pytest.raises(d360.ValidationError, match="animated stickers may be at most 500 KB"):
        check_upload("image/webp", 600_000, "a.webp", WEBP_ANIMATED)


@pytest.mark.parametrize("fault", ["cut_download_rate", "corrupt_download_rate"])
def test_a_download_cut_short_or_corrupt_leaves_no_file_under_the_name(
    fault: str, client_kind: str, tmp_path: Path, lookaside: ScriptedServer
) -> None:
    with sandbox.running(faults=sandbox.Faults(**{fault: 1.0})) as running:
        media = Both(client_kind, running.base_url, running.api_key, max_retries=1)
        media_id = media("upload", os.urandom(300_000), "application/pdf", filename="f.pdf")
        expected = d360.APIConnectionError if fault == "cut_download_rate" else MediaIntegrityError
        with pytest.raises(expected):
            media("download", media_id, tmp_path / "f.pdf")
        with pytest.raises(expected):
            media("download_bytes", media_id)
    assert os.listdir(tmp_path) == []  # neither the file nor its temporary twin


def test_a_corrupt_download_to_a_file_object_raises_and_a_good_retry_rewinds_it(tmp_path: Path) -> None:
    with sandbox.running() as running:
        client = d360.Client(api_key=running.api_key, base_url=running.base_url, sleep=lambda s: None)
        data = os.urandom(50_000)
        media_id = client.media.upload(data, "application/pdf", filename="f.pdf")
        running.set_faults(corrupt_download_rate=1.0)
        sink = io.BytesIO()
        with pytest.raises(MediaIntegrityError, match="sha256"):
            client.media.download(media_id, sink)
        running.set_faults(corrupt_download_rate=0.5, seed=3)  # some tries corrupt, then one is whole
        sink = io.BytesIO(b"kept ")
        sink.seek(5)
        client.with_options(max_retries=10).media.download(media_id, sink)
        assert sink.getvalue() == b"kept " + data
        client.close()


def test_the_key_goes_only_to_the_base_url_and_a_foreign_download_path_is_refused(client_kind: str) -> None:
    with scripted_server() as server:
        info = {"id": "123", "url": "https://lookaside.fbsbx.com/elsewhere/steal?x=1", "mime_type": "image/jpeg"}
        server.script(Reply(200, info))
        media = Both(client_kind, server.base_url, "secret-key-1")
        with pytest.raises(d360.UnexpectedResponseError, match="not an attachments URL"):
            media("download_bytes", "123")
        assert [request.path for request in server.requests] == ["/123"]
        good = {**info, "url": "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=123&hash=h"}
        server.script(Reply(200, good), Reply(200, b"bytes!"))
        assert media("download_bytes", "123") == b"bytes!"
        fetched = server.requests[-1]
        assert fetched.path == "/whatsapp_business/attachments/?mid=123&hash=h"
        assert fetched.headers["D360-API-KEY"] == "secret-key-1"


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        (Reply(429, {"error": "Too many failed requests"}, headers={"Retry-After": "60"}), MediaLookupBlockedError),
        (Reply(404, {"error": "no such media"}), d360.NotFoundError),
        (Reply(400, {"error": {"message": "(#100) Invalid parameter", "code": 100}}), d360.BadRequestError),
    ],
)
def test_failed_lookups_are_never_retried(client_kind: str, reply: Reply, error: type[Exception]) -> None:
    with scripted_server() as server:
        server.script(reply)
        media = Both(client_kind, server.base_url, "key", max_retries=3)
        with pytest.raises(error) as raised:
            media("get", "123")
        assert len(server.requests) == 1
    if error is MediaLookupBlockedError:
        assert "blocks them for a while" in str(raised.value) and raised.value.retry_after == 60  # type: ignore[attr-defined]


def test_an_upload_is_retried_after_an_ambiguous_failure_and_sent_whole_again(client_kind: str) -> None:
    with scripted_server() as server:
        server.script(Reply(500, {"error": "oops"}), Reply(reset=True), Reply(200, {"id": "777"}))
        media = Both(client_kind, server.base_url, "key")
        assert media("upload", os.urandom(40_000), "image/png", filename="p.png") == "777"
        bodies = [request.body for request in server.requests]
        assert len(bodies) == 3 and len({len(body) for body in bodies}) == 1
        request = server.requests[-1]
        assert request.headers["Content-Type"].startswith("multipart/form-data; boundary=")
        assert b'name="messaging_product"\r\n\r\nwhatsapp' in request.body and b"image/png" in request.body


@pytest.mark.parametrize("media_id", ["../messages", "12a", "", "1 2", True])
def test_a_media_id_that_is_not_numeric_is_refused_before_sending(client_kind: str, media_id: Any) -> None:
    with scripted_server() as server:
        with pytest.raises(d360.ValidationError, match="numeric media id"):
            Both(client_kind, server.base_url, "key")("get", media_id)
        assert server.requests == []


def test_send_image_with_a_path_uploads_then_sends_by_id(
    served: sandbox.RunningSandbox, tmp_path: Path, client_kind: str
) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(os.urandom(2000))
    both = Both(client_kind, served.base_url, served.api_key)
    result = both("send_image", TO, path=photo, caption="Packed!")
    body = served.received()[-1].body
    assert body["image"]["caption"] == "Packed!" and body["image"]["id"].isdigit()
    assert result.message_id.startswith("wamid.")
    assert served.sandbox.media.get(body["image"]["id"]) is not None


def test_send_with_a_path_of_the_wrong_kind_or_two_sources_is_refused_before_uploading(
    served: sandbox.RunningSandbox, tmp_path: Path, client_kind: str
) -> None:
    pdf = tmp_path / "invoice.pdf"
    pdf.write_bytes(b"%PDF-1.4 ...")
    both = Both(client_kind, served.base_url, served.api_key)
    before = len(served.sandbox.media)
    with pytest.raises(d360.ValidationError, match="sent as document, not image"):
        both("send_image", TO, path=pdf)
    with pytest.raises(d360.ValidationError, match="one of link, media_id or path"):
        both("send_document", TO, link="https://example.com/x.pdf", path=pdf)
    with pytest.raises(d360.ValidationError):
        both("send_document", "not a number", path=pdf)  # the message is checked before the upload
    assert len(served.sandbox.media) == before


def test_the_sandbox_refuses_what_upstream_refuses_and_bounds_what_it_keeps() -> None:
    with sandbox.running() as running:
        url = running.base_url
        key = {"D360-API-KEY": running.api_key}
        files = {"file": ("a.gif", b"GIF89a", "image/gif")}
        assert (
            httpx.post(
                f"{url}/media", files=files, data={"type": "image/gif", "messaging_product": "whatsapp"}, headers=key
            ).status_code
            == 400
        )
        big = {"file": ("a.jpg", b"x" * (5 * 1024 * 1024 + 10), "image/jpeg")}
        refused = httpx.post(
            f"{url}/media", files=big, data={"type": "image/jpeg", "messaging_product": "whatsapp"}, headers=key
        )
        assert refused.status_code == 400 and "5.0 MB" in refused.json()["error"]
        assert httpx.post(f"{url}/media", files=files, data={"type": "image/png"}).status_code == 401
        assert httpx.get(f"{url}/abc", headers=key).status_code == 400
        assert httpx.get(f"{url}/123", headers=key).status_code == 404
        assert httpx.get(f"{url}/whatsapp_business/attachments/?mid=123", headers=key).status_code == 404
    app = sandbox.Sandbox(media_keep=2)
    running = sandbox.start(app)
    try:
        client = d360.Client(api_key=running.api_key, base_url=running.base_url)
        ids = [client.media.upload(os.urandom(100), "image/png", filename="p.png") for _ in range(3)]
        assert len(app.media) == 2 and app.media.get(ids[0]) is None and app.media.get(ids[2]) is not None
        client.close()
    finally:
        running.stop()
    assert not app.media.folder.exists()  # the files go with the sandbox


def test_a_resumable_upload_returns_a_handle_and_the_file_arrives_whole(
    media: Both, served: sandbox.RunningSandbox
) -> None:
    data = os.urandom(700_000)
    handle = media("upload_resumable", data, "video/mp4", filename="intro.mp4")
    assert handle.startswith("2:")
    (session,) = [item for item in served.sandbox.media.sessions.values() if item.handle == handle]
    assert session.path.read_bytes() == data and (session.file_name, session.file_type) == ("intro.mp4", "video/mp4")


def test_a_chunk_cut_short_is_resumed_from_the_offset_upstream_reports(client_kind: str) -> None:
    data = os.urandom(2_000_000)
    with sandbox.running(faults=sandbox.Faults(cut_upload_rate=1.0)) as running:
        media = Both(client_kind, running.base_url, running.api_key, max_retries=5)
        session = media("create_upload_session", data, "application/pdf", filename="big.pdf")
        assert session.startswith("upload:")
        with pytest.raises(d360.D360Error):  # every chunk is cut: it gives up after max_retries resumptions
            media("upload_resumable", data, "application/pdf", filename="big.pdf", session=session)
        offsets = list(running.sandbox.media.session_offsets)
        assert offsets[0] == 0 and all(later > earlier for earlier, later in itertools.pairwise(offsets))
        running.set_faults(cut_upload_rate=0.0)
        handle = media("upload_resumable", data, "application/pdf", filename="big.pdf", session=session)
        stored = running.sandbox.media.sessions[session.removeprefix("upload:")]
        assert stored.handle == handle and stored.path.read_bytes() == data
        # Each resumption sent only what was missing: far less than the file each time.
        assert running.sandbox.media.session_offsets[-1] > len(data) // 2


@pytest.mark.parametrize("session", ["upload:../../messages", "nope:x y", "upload:"])
def test_a_malformed_session_id_is_refused_before_sending(client_kind: str, session: str) -> None:
    with scripted_server() as server:
        with pytest.raises(d360.ValidationError, match="upload session id"):
            Both(client_kind, server.base_url, "key")(
                "upload_resumable", b"x" * 10, "image/png", filename="a.png", session=session
            )
        assert server.requests == []


def test_an_inbound_images_media_id_downloads_through_client_media(
    media: Both, served: sandbox.RunningSandbox, tmp_path: Path
) -> None:
    from d360.webhooks import parse
    from d360.webhooks.payloads import delivery, inbound

    photo = os.urandom(30_000)
    media_id = media("upload", photo, "image/jpeg", filename="from-customer.jpg")
    info = media("get", media_id)
    body = delivery(messages=[inbound(TO, "image", {"id": media_id, "mime_type": "image/jpeg", "sha256": info.sha256})])
    (message,) = parse(body)
    assert message.image is not None
    media("download", message.image.id, tmp_path / "photo.jpg")
    assert (tmp_path / "photo.jpg").read_bytes() == photo
