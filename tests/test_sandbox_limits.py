"""The sandbox under abuse: a flood of stalled connections, huge bodies, and settings that cannot work."""

from __future__ import annotations

import socket
import time
import tracemalloc
from collections.abc import Iterator

import httpx
import pytest

import d360
from d360 import sandbox
from d360.media.limits import LARGEST
from d360.sandbox.media import KEPT_OFFSETS, MAX_SESSIONS

KEY = "limits-key"
TEXT = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": "4915112345678", "type": "text",
        "text": {"body": "hi"}}  # fmt: skip


def stalled_connections(base_url: str, count: int, first_bytes: bytes = b"") -> list[socket.socket]:
    port = int(base_url.rsplit(":", 1)[1])
    connections = []
    for _ in range(count):
        connection = socket.create_connection(("127.0.0.1", port))
        if first_bytes:
            connection.sendall(first_bytes)
        connections.append(connection)
    return connections


def closed_by_server(connection: socket.socket) -> bool:
    connection.settimeout(0.01)
    try:
        return connection.recv(1) == b""
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True


@pytest.mark.parametrize("first_bytes", [b"", b"POST /messages HTTP/1.1\r\nHost: x\r\n"], ids=["silent", "slowloris"])
def test_a_flood_of_stalled_connections_is_shed_and_the_sandbox_serves_again(first_bytes: bytes) -> None:
    served = sandbox.start(sandbox.Sandbox([KEY]), idle_timeout=1.0)
    try:
        flood = stalled_connections(served.base_url, 1500, first_bytes)  # more than MAX_CONNECTIONS
        # A hang guard only (the loop ends as soon as all are closed): long enough for a starved machine.
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and not all(closed_by_server(connection) for connection in flood):
            time.sleep(0.2)
        assert all(closed_by_server(connection) for connection in flood), "stalled connections were kept"
        with d360.Client(api_key=KEY, base_url=served.base_url) as client:
            assert client.send(TEXT).message_id.startswith("wamid.")
    finally:
        for connection in locals().get("flood", []):
            connection.close()
        served.stop()


def test_connections_beyond_the_cap_are_answered_503_not_queued_for_ever() -> None:
    # The flood must outlive a slow request on a starved machine: its connections are closed only when idle
    # this long, and the request's timeout is a hang guard (the 503 comes at once).
    served = sandbox.start(sandbox.Sandbox([KEY]), idle_timeout=600)
    try:
        flood = stalled_connections(served.base_url, sandbox.MAX_CONNECTIONS + 10)
        time.sleep(0.5)
        answer = httpx.post(f"{served.base_url}/messages", json=TEXT, headers={"D360-API-KEY": KEY}, timeout=120)
        assert answer.status_code == 503
    finally:
        for connection in locals().get("flood", []):
            connection.close()
        served.stop()


@pytest.fixture
def served() -> Iterator[sandbox.RunningSandbox]:
    with sandbox.running(api_keys=[KEY]) as running:
        yield running


def test_huge_bodies_are_refused_with_bounded_memory(served: sandbox.RunningSandbox) -> None:
    def fifty_megabytes() -> Iterator[bytes]:
        chunk = b" " * (1 << 20)
        for _ in range(50):
            yield chunk

    tracemalloc.start()
    try:
        with httpx.Client(timeout=30) as client:
            for _ in range(5):
                try:
                    answer = client.post(
                        f"{served.base_url}/messages", content=fifty_megabytes(), headers={"D360-API-KEY": KEY}
                    )
                    assert answer.status_code == 413
                except httpx.TransportError:
                    pass  # the sandbox may close the connection while the rest of the body is still coming
            declared = client.post(
                f"{served.base_url}/messages",
                content=b"{}",
                headers={"D360-API-KEY": KEY, "Content-Length": "2"},
            )
            assert declared.status_code == 400
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 32 << 20, f"peak {peak / 2**20:.0f} MiB for 250 MiB of bodies"
    assert served.received() == []


def test_what_is_kept_is_bounded_in_bytes_as_well_as_count() -> None:
    with sandbox.running(api_keys=[KEY], keep=1000, keep_bytes=4000) as served:
        with d360.Client(api_key=KEY, base_url=served.base_url) as client:
            for index in range(40):
                client.send({**TEXT, "text": {"body": f"{index:03d}" + "x" * 300}})
        kept = served.received()
        assert served.sandbox.kept_bytes <= 4000
        assert 5 <= len(kept) < 40
        assert kept[-1].body["text"]["body"].startswith("039")  # the newest are kept
        assert served.sandbox.accepted_count == 40


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"keep": -1}, "keep must be a whole number"),
        ({"keep_bytes": -1}, "keep_bytes must be a whole number"),
        ({"faults": sandbox.Faults(rate_limit=0)}, "rate_limit must be a positive number"),
        ({"faults": sandbox.Faults(latency=float("nan"))}, "latency must be from 0 to 600"),
        ({"faults": sandbox.Faults(server_error_rate=1.5)}, "server_error_rate must be a share"),
    ],
)
def test_settings_that_cannot_work_are_refused(settings: dict[str, object], message: str) -> None:
    with pytest.raises(d360.ConfigurationError, match=message):
        sandbox.Sandbox([KEY], **settings)  # type: ignore[arg-type]


# Upload sessions live inside the media bound.


def open_session(served: sandbox.RunningSandbox, length: int) -> httpx.Response:
    query = {"file_name": "clip.mp4", "file_length": str(length), "file_type": "video/mp4"}
    return httpx.post(f"{served.base_url}/uploads", params=query, headers={"D360-API-KEY": KEY}, timeout=30)


def send_chunk(served: sandbox.RunningSandbox, session: str, data: bytes, offset: int = 0) -> httpx.Response:
    headers = {"D360-API-KEY": KEY, "file_offset": str(offset)}
    return httpx.post(f"{served.base_url}/{session}", content=data, headers=headers, timeout=30)


def upload_file(served: sandbox.RunningSandbox, size: int) -> httpx.Response:
    files = {"file": ("a.pdf", b"%" * size, "application/pdf")}
    data = {"type": "application/pdf", "messaging_product": "whatsapp"}
    return httpx.post(f"{served.base_url}/media", files=files, data=data, headers={"D360-API-KEY": KEY}, timeout=30)


def test_upload_sessions_reserve_their_length_within_the_media_bound() -> None:
    with sandbox.running(api_keys=[KEY], media_keep_bytes=1_000_000) as served:
        store = served.sandbox.media
        first = open_session(served, 600_000)
        assert first.status_code == 200 and store.kept_bytes == 600_000
        refused = open_session(served, 600_000)  # 1.2 MB reserved would pass the bound
        assert refused.status_code == 400
        assert "no room for this session of 600000 bytes" in refused.json()["error"]
        assert "media_keep_bytes" in refused.json()["error"]
        assert upload_file(served, 300_000).status_code == 200  # fits beside the session
        assert upload_file(served, 300_000).status_code == 200  # the older file makes room
        assert len(store) == 1 and store.kept_bytes == 900_000
        assert upload_file(served, 500_000).status_code == 400  # cannot fit even with every file gone
        assert send_chunk(served, first.json()["id"], b"v" * 600_000).json()["h"].startswith("2:")
        assert store.kept_bytes <= 1_000_000
        assert sum(path.stat().st_size for path in store.folder.iterdir()) <= 1_000_000


def test_upload_sessions_count_against_media_keep_and_are_capped() -> None:
    with sandbox.running(api_keys=[KEY], media_keep=2) as served:
        assert [open_session(served, 10).status_code for _ in range(3)] == [200, 200, 400]
    with sandbox.running(api_keys=[KEY]) as served:
        answers = [open_session(served, 10).status_code for _ in range(MAX_SESSIONS + 20)]
        assert answers.count(200) == MAX_SESSIONS and set(answers[-20:]) == {400}
        assert len(served.sandbox.media.sessions) == MAX_SESSIONS


def test_what_was_the_ten_gigabyte_hole_is_closed() -> None:
    # Before: 100 sessions of the largest size each were taken, whatever media_keep_bytes said.
    largest = LARGEST
    with sandbox.running(api_keys=[KEY], media_keep_bytes=3 * largest) as served:
        answers = [open_session(served, largest).status_code for _ in range(MAX_SESSIONS)]
        assert answers.count(200) == 3 and served.sandbox.media.kept_bytes == 3 * largest


class HandClock:
    """A clock the test moves: no session expires between two requests on a starved machine."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_abandoned_upload_sessions_expire_and_give_their_room_back() -> None:
    clock = HandClock()
    with sandbox.running(api_keys=[KEY], media_keep_bytes=1000, upload_session_ttl=0.3, clock=clock) as served:
        abandoned = open_session(served, 1000).json()["id"]
        assert open_session(served, 1000).status_code == 400
        clock.now += 0.25  # not yet its time to live: still there, still holding its room
        assert httpx.get(f"{served.base_url}/{abandoned}", headers={"D360-API-KEY": KEY}).status_code == 200
        assert open_session(served, 1000).status_code == 400
        clock.now += 0.6  # longer than the session's time to live since it was last used
        assert httpx.get(f"{served.base_url}/{abandoned}", headers={"D360-API-KEY": KEY}).status_code == 404
        assert send_chunk(served, abandoned, b"x" * 1000).status_code == 404
        renewed = open_session(served, 1000)
        assert renewed.status_code == 200 and served.sandbox.media.kept_bytes == 1000
        assert not any(path.name == f"session-{abandoned.removeprefix('upload:')}"
                       for path in served.sandbox.media.folder.iterdir())  # fmt: skip


def test_a_session_in_use_does_not_expire_and_the_offsets_log_is_bounded() -> None:
    clock = HandClock()  # the sandbox's time moves only here: a slow request cannot make the session expire
    with sandbox.running(api_keys=[KEY], upload_session_ttl=2.0, clock=clock) as served:
        session = open_session(served, 4).json()["id"]
        for _ in range(6):
            clock.now += 1.5  # 9 s in all, each request restarting the session's clock
            assert httpx.get(f"{served.base_url}/{session}", headers={"D360-API-KEY": KEY}).status_code == 200
        clock.now += 2.5  # then unused for longer than its time to live: gone
        assert httpx.get(f"{served.base_url}/{session}", headers={"D360-API-KEY": KEY}).status_code == 404
        store = served.sandbox.media
        for _ in range(1200):
            store.session_offsets.append(0)
        assert len(store.session_offsets) == KEPT_OFFSETS


def test_a_full_store_is_a_typed_error_for_the_client() -> None:
    with (
        sandbox.running(api_keys=[KEY], media_keep_bytes=1000) as served,
        d360.Client(api_key=KEY, base_url=served.base_url) as client,
        pytest.raises(d360.BadRequestError, match="no room for this session"),
    ):
        client.media.upload_resumable(b"%" * 2000, "application/pdf", filename="a.pdf")


def test_bad_upload_session_ttl_is_refused() -> None:
    with pytest.raises(d360.ConfigurationError, match="upload_session_ttl must be a positive number"):
        sandbox.Sandbox([KEY], upload_session_ttl=0)


def test_a_keep_alive_connection_in_steady_use_is_never_closed_under_its_client() -> None:
    # The guard closes a connection that brings no complete request for the idle timeout. One that brings
    # a request every fifth of it must stay open: closed while its client sends, that request is lost (a
    # webhook delivery failing, then retried minutes later by upstream). The idle timeout is 2 s, not 1 s, so
    # that a client starved by a busy machine for a second between two requests is not taken for an idle one.
    served = sandbox.start(sandbox.Sandbox([KEY]), idle_timeout=2.0)
    try:
        ports = set()
        with httpx.Client(timeout=120) as client:
            for _ in range(20):  # eight seconds: four idle timeouts
                answer = client.post(f"{served.base_url}/messages", json=TEXT, headers={"D360-API-KEY": KEY})
                assert answer.status_code == 200
                ports.add(answer.extensions["network_stream"].get_extra_info("client_addr")[1])
                time.sleep(0.4)
        assert len(ports) == 1, f"the connection was closed and made again {len(ports) - 1} times"
    finally:
        served.stop()
