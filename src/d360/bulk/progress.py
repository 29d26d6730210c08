"""Progress of a bulk run: a bar drawn by rich on a terminal, a plain line every few seconds anywhere else.

rich is optional (`pip install 'd360-messaging[progress]'`): without it a terminal gets the plain lines.
The rate and ETA are d360's own, the same in both, and not claimed before a second of sending.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TextIO

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
        self.sent = self.failed = self.unknown = 0
        self._bar = _rich_bar(total, stream) if interactive else None
        self.interactive = self._bar is not None
        self._interval = 0.1 if self.interactive else line_interval

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
        if self._bar is not None:
            self._bar.stop()
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
        if self._bar is not None:
            task = self._bar.task_ids[0]
            self._bar.update(task, completed=self.sent + self.failed + self.unknown, line=self.line(now))
            self._bar.refresh()
        else:
            self.stream.write(f"progress: {self.line(now)}\n")
            self.stream.flush()


def _rich_bar(total: int, stream: TextIO) -> Any:
    """A rich progress bar drawing on `stream`, refreshed only when asked (no thread); None without rich."""
    try:
        from rich.console import Console
        from rich.progress import BarColumn, TextColumn
        from rich.progress import Progress as RichProgress
    except ImportError:
        return None
    bar = RichProgress(
        BarColumn(bar_width=BAR_WIDTH),
        TextColumn("{task.fields[line]}"),
        console=Console(file=stream, force_terminal=True, width=120),
        auto_refresh=False,
    )
    bar.add_task("bulk", total=total, line="")
    bar.start()
    return bar


def byte_progress(stream: TextIO, description: str) -> Callable[[int, int | None], None] | None:
    """A download's progress bar (bytes, rate, time left) drawn by rich on a terminal; None without rich."""
    try:
        from rich.console import Console
        from rich.progress import BarColumn, DownloadColumn, TimeRemainingColumn, TransferSpeedColumn
        from rich.progress import Progress as RichProgress
    except ImportError:
        return None
    bar = RichProgress(
        BarColumn(), DownloadColumn(), TransferSpeedColumn(), TimeRemainingColumn(),
        console=Console(file=stream), transient=True,
    )  # fmt: skip
    task = bar.add_task(description, total=None)
    started = [False]

    def update(received: int, total: int | None) -> None:
        if not started[0]:
            bar.start()
            started[0] = True
        bar.update(task, completed=received, total=total)
        if total is not None and received >= total:
            bar.stop()

    return update


def _duration(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
