"""Connections the sandbox will not keep open for nothing: a guard against stalled and trickling clients.

uvicorn times a connection out only between requests. One that connects and sends nothing, or sends a
request's head a byte at a time, is kept for ever; some thousands of them use up the sandbox's file
descriptors for good. Here every connection must bring a complete request head within the idle timeout.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol


class _GuardedH11Protocol(H11Protocol):
    idle_timeout: float = 5.0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._waiting_since: float | None = self.loop.time()
        self._idle_check = self.loop.call_later(self.idle_timeout / 2, self._close_if_idle)

    def connection_lost(self, exc: Exception | None) -> None:
        self._idle_check.cancel()
        super().connection_lost(exc)

    def _close_if_idle(self) -> None:
        if self.transport.is_closing():
            return
        now = self.loop.time()
        serving = self.cycle is not None and not self.cycle.response_complete
        if serving:
            self._waiting_since = None
        elif self._waiting_since is None:
            self._waiting_since = now
        elif now - self._waiting_since >= self.idle_timeout:
            self.transport.close()
            return
        self._idle_check = self.loop.call_later(self.idle_timeout / 2, self._close_if_idle)


def guarded_h11_protocol(idle_timeout: float) -> type[Any]:
    """uvicorn's h11 protocol, closing connections that bring no complete request within `idle_timeout`."""
    return type("GuardedH11Protocol", (_GuardedH11Protocol,), {"idle_timeout": idle_timeout})
