"""A real HTTP/1.1 server on 127.0.0.1 that answers from a script, for tests of what goes over the wire.

Each request takes the next scripted reply (the last one repeats); every request is recorded with its
headers and body. Besides normal replies it can drop the connection after reading the request, or
stall longer than the client's read timeout: the failures a real upstream or proxy produces.
"""

from __future__ import annotations

import json
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import attrs


@attrs.frozen
class Reply:
    status: int = 200
    body: bytes | str | dict[str, Any] | list[Any] = b""
    headers: dict[str, str] = attrs.Factory(dict)
    reset: bool = False
    """Close the connection after reading the request, without answering."""
    delay: float = 0.0
    """Seconds to wait before answering (a read timeout in the client, when longer than it)."""
    trickle: float = 0.0
    """Send the whole answer (status line, headers, body) one byte at a time, this many seconds apart."""
    trickle_body_only: bool = False
    """With `trickle`: the status line and headers at once, then the body a byte at a time."""

    def encoded_body(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body).encode()


@attrs.frozen
class ReceivedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    received_at: float = attrs.field(factory=time.time)
    """When the request was read (the wall clock: comparable across processes)."""

    def json(self) -> Any:
        return json.loads(self.body)


def ok_reply(to: str = "4915112345678", message_id: str = "wamid.TEST1", status: str = "accepted") -> Reply:
    return Reply(
        200,
        {
            "messaging_product": "whatsapp",
            "contacts": [{"input": to, "wa_id": to}],
            "messages": [{"id": message_id, "message_status": status}],
        },
    )


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up (timeout tests) breaks the pipe; that is the point, not a failure


class ScriptedServer:
    def __init__(self, tls: tuple[Path, Path] | None = None) -> None:
        """`tls`: (certificate, key) files to serve https with."""
        self.replies: list[Reply] = [ok_reply()]
        self.requests: list[ReceivedRequest] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out at once, not 40 ms apart

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                reply = server._record(self, body)
                if reply.reset:
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                    self.close_connection = True
                    self.connection.close()
                    return
                if reply.delay:
                    time.sleep(reply.delay)
                payload = reply.encoded_body()
                headers = {"Content-Type": "application/json", "Content-Length": str(len(payload)), **reply.headers}
                if reply.trickle:
                    head = f"HTTP/1.1 {reply.status} Whatever\r\n" + "".join(
                        f"{k}: {v}\r\n" for k, v in headers.items()
                    )
                    if reply.trickle_body_only:
                        self.wfile.write((head + "\r\n").encode())
                        head = ""
                    for byte in (head + "\r\n" if head else "").encode() + payload:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(reply.trickle)
                    return
                self.send_response(reply.status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_DELETE = do_PUT = do_PATCH = do_POST

        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        self.scheme = "http"
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
            self.scheme = "https"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"{self.scheme}://{host}:{port}"

    def script(self, *replies: Reply) -> None:
        with self._lock:
            self.replies = list(replies)

    def _record(self, handler: BaseHTTPRequestHandler, body: bytes) -> Reply:
        with self._lock:
            self.requests.append(ReceivedRequest(handler.command, handler.path, dict(handler.headers.items()), body))
            return self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]

    def start(self) -> ScriptedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, made with openssl: (certificate, key)."""
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@contextmanager
def scripted_server(tls: tuple[Path, Path] | None = None) -> Iterator[ScriptedServer]:
    server = ScriptedServer(tls).start()
    try:
        yield server
    finally:
        server.stop()
