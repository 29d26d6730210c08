"""A webhook endpoint under uvicorn in its own process, for `make bench`: d360's Receiver or a bare one.

    python bench/webhook_server.py receiver SECRET DB    # verification, SQLite de-duplication, a handler
    python bench/webhook_server.py inbox SECRET STORE    # verification, the durable inbox (a SQLite path or a
                                                         # postgresql:// URL), a handler
    python bench/webhook_server.py bare                  # a Starlette route that only answers 200

Prints its port, then serves on one core (one process, one event loop) until killed.
"""

from __future__ import annotations

import sys

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from d360.sandbox import bind
from d360.webhooks import Deduplicator, Receiver


def bare_app() -> Starlette:
    async def endpoint(request: Request) -> Response:
        await request.body()
        return Response(b"{}", media_type="application/json")

    return Starlette(routes=[Route("/", endpoint, methods=["POST"])])


def receiver_app(secret: str, database: str) -> object:
    receiver = Receiver(secret=secret, dedup=Deduplicator(database))
    handled = []

    @receiver.on_status
    async def record(update: object) -> None:  # a handler as cheap as it gets: what remains is d360's cost
        handled.append(1)
        if len(handled) > 10_000:
            handled.clear()

    return receiver.asgi


def inbox_app(secret: str, store: str) -> object:
    receiver = Receiver(secret=secret, store=store)
    handled = []

    @receiver.on_status
    async def record(update: object) -> None:
        handled.append(1)
        if len(handled) > 10_000:
            handled.clear()

    return receiver.asgi


def main() -> None:
    kind = sys.argv[1]
    if kind == "receiver":
        app = receiver_app(sys.argv[2], sys.argv[3])
    elif kind == "inbox":
        app = inbox_app(sys.argv[2], sys.argv[3])
    else:
        app = bare_app()
    listener = bind()
    print(listener.getsockname()[1], flush=True)
    # The lifespan on, as a deployment has it: the receiver drains its queue at shutdown.
    uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")).run(sockets=[listener])


if __name__ == "__main__":
    main()
