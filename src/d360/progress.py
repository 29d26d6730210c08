"""Progress of a bulk run: a redrawn bar on a terminal, a plain line every few seconds anywhere else."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

BAR_WIDTH = 24
RATE_AFTER = 1.0
"""Seconds of sending before a rate and an ETA are shown: over less, connection set-up dominates and misleads."""


class Progress:
    def __init__(
        self,
        total: int,
        stream: TextIO,
        *,
        interactive: bool,
        line_interval: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.total = total
        self.stream = stream
        self.interactive = interactive
        self._clock = clock
        self._started = clock()
        self._last_drawn = float("-inf")
        self._interval = 0.1 if interactive else line_interval
        self.sent = self.failed = self.unknown = 0

    def update(self, *, sent: int = 0, failed: int = 0, unknown: int = 0, force: bool = False) -> None:
        self.sent += sent
        self.failed += failed
        self.unknown += unknown
        now = self._clock()
        if force or now - self._last_drawn >= self._interval:
            self._last_drawn = now
            self._draw(now)

    def finish(self) -> None:
        self._draw(self._clock())
        if self.interactive:
            self.stream.write("\n")
        self.stream.flush()

    def line(self, now: float | None = None) -> str:
        now = self._clock() if now is None else now
        done = self.sent + self.failed + self.unknown
        elapsed = now - self._started
        counts = f"{done}/{self.total}  sent {self.sent}  failed {self.failed}  unknown {self.unknown}"
        if elapsed < RATE_AFTER or done == 0:
            return f"{counts}  -/s  ETA -"
        rate = done / elapsed
        remaining = self.total - done
        eta = _duration(remaining / rate) if remaining > 0 else "-"
        return f"{counts}  {rate:.1f}/s  ETA {eta}"

    def _draw(self, now: float) -> None:
        if self.interactive:
            done = self.sent + self.failed + self.unknown
            filled = BAR_WIDTH * done // self.total if self.total else BAR_WIDTH
            bar = "#" * filled + "." * (BAR_WIDTH - filled)
            self.stream.write(f"\r[{bar}] {self.line(now)}\x1b[K")
        else:
            self.stream.write(f"progress: {self.line(now)}\n")
        self.stream.flush()


def _duration(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
