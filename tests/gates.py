"""A sandbox whose answers to sends the test holds and lets go: a run's progress is set by the test's own
events, not by how fast a machine shared by the suite's parallel workers runs it (a run that finished its
whole campaign while the test was starved left nothing in flight to kill)."""

from __future__ import annotations

import asyncio
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from d360 import sandbox


class Gate:
    """Open, sends are answered as the sandbox answers them; after `hold_after(n)`, n more are, and each one
    after them waits (before its body is read, as `Faults(latency=...)` does) until `open()`. Counted in the
    sandbox itself, so a run cannot outrun the test however starved the test is. Safe from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._budget: int | None = None  # sends still let through; None: all of them
        self._opened = threading.Event()
        self._opened.set()

    def hold_after(self, count: int) -> None:
        with self._lock:
            self._budget = count
            self._opened.clear()

    def open(self) -> None:
        with self._lock:
            self._budget = None
            self._opened.set()

    def wrap(self, app: Any) -> Any:
        async def gated(scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope["type"] == "http" and scope["method"] == "POST" and scope["path"].endswith("/messages"):
                with self._lock:
                    held = self._budget == 0
                    if self._budget:
                        self._budget -= 1
                while held and not self._opened.is_set():
                    await asyncio.sleep(0.01)
            await app(scope, receive, send)

        return gated


@contextmanager
def gated_sandbox(api_keys: list[str], **options: Any) -> Iterator[tuple[sandbox.RunningSandbox, Gate]]:
    """`sandbox.running(api_keys, **options)` with a Gate in front of its sends; the gate opens when the block
    ends, so a failing test leaves no request held."""
    app = sandbox.Sandbox(api_keys, **options)
    gate = Gate()
    app.app = gate.wrap(app.app)
    served = sandbox.start(app)
    try:
        yield served, gate
    finally:
        gate.open()
        served.stop()


class ErrorLines:
    """A process's stderr read line by line in a thread, so a test can wait for what the process says (an
    event) and still have all of it at the end."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        assert process.stderr is not None
        self._stream = process.stderr
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self._stream:
            with self._changed:
                self.lines.append(line)
                self._changed.notify_all()

    def wait_for(self, start: str, timeout: float = 300) -> None:
        """Until a line starts with `start`; the timeout is a hang guard, never a measure of speed."""
        with self._changed:
            seen = self._changed.wait_for(lambda: any(line.startswith(start) for line in self.lines), timeout)
        assert seen, f"no line starting {start!r} within {timeout} s:\n{self.text()}"

    def text(self, timeout: float = 120) -> str:
        """All it said: waits for the end of the stream once the process has left (a hang guard)."""
        self._reader.join(timeout)
        with self._changed:
            return "".join(self.lines)
