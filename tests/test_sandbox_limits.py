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
        deadline = time.monotonic() + 10
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
    served = sandbox.start(sandbox.Sandbox([KEY]), idle_timeout=30)
    try:
        flood = stalled_connections(served.base_url, sandbox.MAX_CONNECTIONS + 10)
        time.sleep(0.5)
        answer = httpx.post(f"{served.base_url}/messages", json=TEXT, headers={"D360-API-KEY": KEY}, timeout=10)
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
