"""A receiver process with a durable inbox, for the tests that kill one or run several on one store.

    python -m tests.inbox_app --store PATH|URL --port-file F --record F [--journal PATH|URL] [--block]

Each handler appends one line to `--record` (`pid what key time`) in one write (O_APPEND: lines from
several processes never interleave). `--block`: the first handler never returns (a process to be killed
before its handlers ran); `--sink-first`: JournalSink runs before the others.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

import uvicorn

from d360.sandbox import bind
from d360.webhooks import JournalSink, Receiver


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", required=True)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--record", required=True)
    parser.add_argument("--journal")
    parser.add_argument("--block", action="store_true")
    parser.add_argument("--sink-first", action="store_true")
    parser.add_argument("--fail", action="store_true", help="the handler always raises")
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--lease", type=float, default=2.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--max-attempts", type=int, default=5)
    arguments = parser.parse_args()
    record = os.open(arguments.record, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def note(what: str, key: str) -> None:
        os.write(record, f"{os.getpid()} {what} {key} {time.time():.6f}\n".encode())

    receiver = Receiver(
        store=arguments.store,
        workers=arguments.workers,
        lease=arguments.lease,
        poll_interval=0.1,
        max_attempts=arguments.max_attempts,
    )
    sink = JournalSink(arguments.journal, heartbeat=None) if arguments.journal else None

    def sink_handler(update: Any) -> None:
        assert sink is not None
        note("sink:" + sink(update), update.dedup_key)

    def handler(event: Any) -> None:
        note("start", event.dedup_key)
        if arguments.block:
            threading.Event().wait()
        if arguments.fail:
            raise RuntimeError(f"always fails on {event.dedup_key}")
        time.sleep(arguments.delay)
        note("end", event.dedup_key)

    if sink is not None and arguments.sink_first:
        receiver.on_status(sink_handler)
    receiver.on_event(handler)
    if sink is not None and not arguments.sink_first:
        receiver.on_status(sink_handler)
    listener = bind()
    server = uvicorn.Server(uvicorn.Config(receiver.asgi, log_level="warning", access_log=False, lifespan="on"))
    port_file = Path(arguments.port_file)
    temporary = port_file.with_suffix(".tmp")
    temporary.write_text(str(listener.getsockname()[1]))
    temporary.replace(port_file)
    server.run(sockets=[listener])
    sys.exit(0)


if __name__ == "__main__":
    main()
