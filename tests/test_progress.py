"""Bulk progress: a redrawn bar on a terminal, a plain periodic line elsewhere."""

from __future__ import annotations

import io
from typing import Any

import pytest

from d360.bulk.progress import Progress


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_plain_lines_come_every_interval_with_counts_rate_and_eta() -> None:
    clock, stream = FakeClock(), io.StringIO()
    progress = Progress(100, stream, interactive=False, line_interval=5.0, clock=clock)
    clock.now += 2
    progress.update(sent=10)  # the first update always draws
    clock.now += 2
    progress.update(sent=10)  # within the interval: nothing
    clock.now += 6
    progress.update(failed=5, unknown=5)
    progress.finish()
    lines = stream.getvalue().splitlines()
    assert lines == [
        "progress: 10/100  sent 10  failed 0  unknown 0  5.0/s  ETA 18s",
        "progress: 30/100  sent 20  failed 5  unknown 5  3.0/s  ETA 23s",
        "progress: 30/100  sent 20  failed 5  unknown 5  3.0/s  ETA 23s",
    ]


def test_a_terminal_gets_richs_bar_with_d360s_counts_rate_and_eta() -> None:
    clock, stream = FakeClock(), io.StringIO()
    progress = Progress(8, stream, interactive=True, clock=clock)
    assert progress.interactive
    clock.now += 2
    progress.update(sent=4)
    clock.now += 2
    progress.update(sent=4)
    progress.finish()
    drawn = stream.getvalue()
    assert "━" in drawn  # rich's bar
    assert "4/8  sent 4  failed 0  unknown 0  2.0/s  ETA 2s" in drawn
    assert "8/8  sent 8  failed 0  unknown 0  2.0/s  ETA -" in drawn and "progress:" not in drawn


def test_without_rich_a_terminal_gets_the_plain_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_rich(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("rich"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_rich)
    clock, stream = FakeClock(), io.StringIO()
    progress = Progress(2, stream, interactive=True, clock=clock)
    progress.update(sent=2)
    progress.finish()
    assert not progress.interactive and stream.getvalue().startswith("progress: 2/2  sent 2")


def test_no_rate_or_eta_is_claimed_from_the_first_fraction_of_a_second() -> None:
    clock, stream = FakeClock(), io.StringIO()
    progress = Progress(2000, stream, interactive=False, line_interval=5.0, clock=clock)
    clock.now += 0.15  # connection set-up: one line done says nothing about the rate
    progress.update(sent=1)
    clock.now += 1.85
    progress.update(sent=1999, force=True)
    assert stream.getvalue().splitlines() == [
        "progress: 1/2000  sent 1  failed 0  unknown 0  -/s  ETA -",
        "progress: 2000/2000  sent 2000  failed 0  unknown 0  1000.0/s  ETA -",
    ]
