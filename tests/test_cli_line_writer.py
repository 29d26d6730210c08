"""`LineWriter`: lines for a stream whose reader may stop reading or leave, written without ever blocking
the caller, every line accounted for (written, dropped, left at close, or lost)."""

from __future__ import annotations

import contextlib
import io
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from d360.cli.line_writer import LineWriter


@contextmanager
def pipe() -> Iterator[tuple[TextIO, int]]:
    """A text stream writing into a pipe, and the pipe's read end (a file descriptor)."""
    read_end, write_end = os.pipe()
    stream = open(write_end, "w", encoding="utf-8")  # noqa: SIM115 - closed below, after the test's use
    try:
        yield stream, read_end
    finally:
        stream.close()
        with contextlib.suppress(OSError):  # the test closed it itself
            os.close(read_end)


def within(seconds: float, action: object) -> None:
    """Run `action` in a thread; fail if it has not returned after `seconds` (a hang guard, not a speed test)."""
    assert callable(action)
    done = threading.Thread(target=action, daemon=True)
    done.start()
    done.join(seconds)
    assert not done.is_alive(), "blocked"


def test_a_reader_that_never_reads_blocks_neither_put_nor_close() -> None:
    with pipe() as (stream, read_end):
        writer = LineWriter(stream, max_lines=1000)
        accepted = []

        def put_many() -> None:
            accepted.extend(writer.put(f"{number} " + "x" * 200) for number in range(20_000))

        within(60, put_many)
        within(60, lambda: writer.close(30, stalled=0.5))
        assert accepted.count(False) == writer.dropped > 0
        assert writer.written + writer.left + writer.dropped == 20_000
        assert writer.left > 0 and writer.failed is None and writer.not_written == writer.left + writer.dropped
        # The reader reads at last: the blocked write ends, and the closed writer writes nothing more.
        os.set_blocking(read_end, False)
        deadline = time.monotonic() + 60  # a hang guard
        while writer._thread.is_alive() and time.monotonic() < deadline:
            with contextlib.suppress(BlockingIOError):
                os.read(read_end, 1 << 20)
            time.sleep(0.01)
        assert not writer._thread.is_alive()
        assert writer.written + writer.left + writer.dropped == 20_000


def test_a_reader_gets_every_line_in_order() -> None:
    with pipe() as (stream, read_end):
        received = bytearray()

        def read_all() -> None:
            while chunk := os.read(read_end, 65536):
                received.extend(chunk)

        reader = threading.Thread(target=read_all, daemon=True)
        reader.start()
        writer = LineWriter(stream)
        lines = [f"line {number} é" for number in range(5000)]
        assert all(writer.put(line) for line in lines)
        writer.close(60)
        assert (writer.written, writer.not_written) == (5000, 0)
        stream.close()  # the reader sees the end
        reader.join(60)
    assert received.decode("utf-8").splitlines() == lines


def test_a_reader_that_left_is_a_failure_and_what_follows_is_counted_lost() -> None:
    with pipe() as (stream, read_end):
        os.close(read_end)
        writer = LineWriter(stream)
        writer.put("first")
        within(60, lambda: writer.close(30))
        assert isinstance(writer.failed, BrokenPipeError)
        assert writer.put("after") is False
        assert (writer.written, writer.lost) == (0, 2)


def test_a_stream_without_a_file_descriptor_is_written_as_a_stream() -> None:
    captured = io.StringIO()
    writer = LineWriter(captured)
    writer.put("one")
    writer.put("two")
    writer.close(30)
    assert captured.getvalue() == "one\ntwo\n" and writer.written == 2
