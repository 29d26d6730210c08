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
        self._last_active = self.loop.time()
        self._last_cycle: Any = None
        self._idle_check = self.loop.call_later(self.idle_timeout / 2, self._close_if_idle)

    def connection_lost(self, exc: Exception | None) -> None:
        self._idle_check.cancel()
        super().connection_lost(exc)

    def _close_if_idle(self) -> None:
        """Looked at every half of the idle timeout: a connection in use (a request being served, or one
        that came since the last look) is kept; one that brought no complete request for the whole
        timeout is closed. Each request makes a new cycle, so a keep-alive connection in steady use is
        never closed under its client (which would lose the request it was sending at that moment)."""
        if self.transport.is_closing():
            return
        now = self.loop.time()
        cycle = self.cycle
        if cycle is not self._last_cycle or (cycle is not None and not cycle.response_complete):
            self._last_cycle, self._last_active = cycle, now
        elif now - self._last_active >= self.idle_timeout:
            self.transport.close()
            return
        self._idle_check = self.loop.call_later(self.idle_timeout / 2, self._close_if_idle)


def guarded_h11_protocol(idle_timeout: float) -> type[Any]:
    """uvicorn's h11 protocol, closing connections that bring no complete request within `idle_timeout`."""
    return type("GuardedH11Protocol", (_GuardedH11Protocol,), {"idle_timeout": idle_timeout})
