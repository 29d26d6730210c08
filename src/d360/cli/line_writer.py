"""Lines written by a thread of their own, so a command never waits on a reader that stopped reading.

`d360 webhook listen | sleep 600`: once the pipe is full, a write blocks until the reader reads, for ever
if it never does, and a listener blocked in `print` could not stop. Here `put` only queues (bounded:
what does not fit is dropped and counted), a daemon thread writes, and `close` waits a bounded time.
The thread writes with `os.write` on the stream's file descriptor, holding no lock of `sys.stdout`, so
the interpreter can exit while that write is still blocked. That descriptor must stay open as long as the
process runs (standard output and error do): a write blocked in it ends only with the process.
"""

from __future__ import annotations

import collections
import os
import threading
import time
from typing import TextIO

MAX_LINES = 10_000
MAX_CHARACTERS = 16 << 20
"""What the queue may hold besides its count of lines (a JSON line can be most of a 1 MiB delivery)."""
_BATCH_CHARACTERS = 64 << 10


class LineWriter:
    """Writes lines to `stream` from a daemon thread; `put` never blocks. Safe to use from any thread.

    `dropped`: lines refused because the queue was full. `left`: lines still queued (or being written)
    when `close` gave up on them. `lost`: lines queued or put after the stream failed (its reader closed
    it). `failed` is that failure.
    """

    def __init__(self, stream: TextIO, *, max_lines: int = MAX_LINES, max_characters: int = MAX_CHARACTERS) -> None:
        self._stream = stream
        self._encoding = getattr(stream, "encoding", None) or "utf-8"
        try:
            stream.flush()  # what was printed before goes first
            self._descriptor: int | None = stream.fileno()
        except (AttributeError, OSError, ValueError):  # not a file (a test's capture): its own write, in the thread
            self._descriptor = None
        self._max_lines = max_lines
        self._max_characters = max_characters
        self._lines: collections.deque[str] = collections.deque()
        self._characters = 0
        self._in_flight = 0
        self._closed = False
        self._condition = threading.Condition()
        self.written = 0
        self.dropped = 0
        self.left = 0
        self.lost = 0
        self.failed: OSError | None = None
        self._thread = threading.Thread(target=self._write_forever, name="d360-line-writer", daemon=True)
        self._thread.start()

    @property
    def not_written(self) -> int:
        """Every line put that did not reach the stream: dropped, left at `close`, or lost."""
        return self.dropped + self.left + self.lost

    def put(self, line: str) -> bool:
        """Queue one line (without its newline); False if it was dropped (the queue full, the stream gone)."""
        with self._condition:
            if self._closed or self.failed is not None:
                self.lost += 1
                return False
            if len(self._lines) >= self._max_lines or self._characters + len(line) > self._max_characters:
                self.dropped += 1
                return False
            self._lines.append(line)
            self._characters += len(line)
            self._condition.notify_all()
            return True

    def close(self, timeout: float, *, stalled: float | None = None) -> None:
        """Wait up to `timeout` seconds for the queued lines to be written, or until no line has been written
        for `stalled` seconds (a reader that reads nothing more); what is still waiting is `left`. The
        thread is never joined: blocked in a write, it ends with the process."""
        now = time.monotonic()
        deadline, written, progress_at = now + timeout, self.written, now
        with self._condition:
            while (self._lines or self._in_flight) and self.failed is None:
                now = time.monotonic()
                if self.written != written:
                    written, progress_at = self.written, now
                remaining = deadline - now
                if stalled is not None:
                    remaining = min(remaining, progress_at + stalled - now)
                if remaining <= 0:
                    break
                self._condition.wait(remaining)
            if self.failed is None:
                self.left += len(self._lines) + self._in_flight
            self._lines.clear()
            self._characters = self._in_flight = 0
            self._closed = True
            self._condition.notify_all()

    def _write_forever(self) -> None:
        while True:
            with self._condition:
                while not self._lines and not self._closed:
                    self._condition.wait()
                if self._closed:
                    return
                batch = [self._lines.popleft()]
                size = len(batch[0])
                while self._lines and size < _BATCH_CHARACTERS:
                    batch.append(self._lines.popleft())
                    size += len(batch[-1])
                self._characters -= size
                self._in_flight = len(batch)
            text = "".join(line + "\n" for line in batch)
            try:
                self._write(text)
            except OSError as exc:  # the reader closed the pipe (EPIPE), or the stream is gone
                with self._condition:
                    if not self._closed:
                        self.failed = exc
                        self.lost += self._in_flight + len(self._lines)
                        self._lines.clear()
                        self._characters = self._in_flight = 0
                    self._condition.notify_all()
                return
            with self._condition:
                if self._closed:  # close() gave up on this batch, and counted it as left
                    return
                self.written += self._in_flight
                self._in_flight = 0
                self._condition.notify_all()

    def _write(self, text: str) -> None:
        if self._descriptor is None:
            self._stream.write(text)
            self._stream.flush()
            return
        data = memoryview(text.encode(self._encoding, "backslashreplace"))
        while data and not self._closed:  # once closed, not a byte more: the descriptor may be another's now
            written = os.write(self._descriptor, data)
            data = data[written:]
