"""A minimal HTTP/1.1 server for benchmarks: every `POST /messages` gets a canned 200 answer
with a new message id.

Run in its own process (`python bench/server.py`, it prints its port), so its CPU is not the client's.
It parses only what it must (the request line and Content-Length), keeps connections alive, and sets
TCP_NODELAY; `bench/run.py` reads its CPU time from /proc to show it is never the bottleneck.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket

ID_DIGITS = 20
BODY = json.dumps(
    {
        "messaging_product": "whatsapp",
        "contacts": [{"input": "4915112345678", "wa_id": "4915112345678"}],
        "messages": [{"id": "wamid.bench" + "#" * ID_DIGITS, "message_status": "accepted"}],
    }
).encode()
# Each answer names a new, random message id, as upstream's do (equal or ordered ids would flatter an index).
HEAD, TAIL = BODY.split(b"#" * ID_DIGITS)
PREFIX = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(BODY)
NOT_FOUND = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"


class CannedHTTP(asyncio.Protocol):
    def __init__(self) -> None:
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        answers = []
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                break
            head = self.buffer[:end]
            length = 0
            for line in head.split(b"\r\n")[1:]:
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
                    break
            if len(self.buffer) < end + 4 + length:
                break
            self.buffer = self.buffer[end + 4 + length :]
            if head.startswith(b"POST /messages "):
                answers.append(PREFIX + HEAD + os.urandom(ID_DIGITS // 2).hex().encode() + TAIL)
            else:
                answers.append(NOT_FOUND)
        if answers and self.transport is not None:
            self.transport.write(b"".join(answers))


async def serve(port: int) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(CannedHTTP, "127.0.0.1", port, backlog=1024)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    arguments = parser.parse_args()
    try:
        asyncio.run(serve(arguments.port))
    except KeyboardInterrupt:
        pass
    finally:
        os._exit(0)


if __name__ == "__main__":
    main()
