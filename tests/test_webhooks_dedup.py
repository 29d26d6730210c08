"""De-duplication: across a restart, across two processes, bounded by age and count, and a user's own store."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from d360 import ConfigurationError
from d360.webhooks import Deduplicator, MemoryDedupStore, SQLiteDedupStore, parse
from d360.webhooks.payloads import delivery, status


def events(*ids: str) -> list[Any]:
    return parse(delivery(statuses=[status(message_id, "delivered", "4915112345678") for message_id in ids]))


def test_sqlite_store_remembers_keys_across_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "seen.sqlite"
    first = Deduplicator(path)
    assert [event.message_id for event in first.fresh(events("a", "b"))] == ["a", "b"]
    first.close()
    second = Deduplicator(path)
    assert [event.message_id for event in second.fresh(events("a", "b", "c"))] == ["c"]
    second.close()


def test_repeats_within_one_delivery_count_once(tmp_path: Path) -> None:
    dedup = Deduplicator.in_memory()
    assert [event.message_id for event in dedup.fresh(events("a", "a", "b"))] == ["a", "b"]


def test_the_default_deduplicator_is_sqlite_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    dedup = Deduplicator()
    assert isinstance(dedup.store, SQLiteDedupStore) and (tmp_path / "d360-webhooks.sqlite").exists()
    dedup.close()


CLAIMER = """
import sys, time
from d360.webhooks import SQLiteDedupStore
store = SQLiteDedupStore(sys.argv[1])
start = float(sys.argv[2])
while time.time() < start:
    time.sleep(0.001)
won = [key for key in (f"key-{n}" for n in range(int(sys.argv[3]))) if store.claim([key])[0]]
print("\\n".join(won))
"""


def test_two_processes_claiming_the_same_keys_each_key_is_won_exactly_once(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite"
    SQLiteDedupStore(path).close()
    start = time.time() + 1.0
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", CLAIMER, str(path), str(start), "2000"], stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=120)[0].split() for run in runs]
    assert all(run.returncode == 0 for run in runs)
    assert sorted(outputs[0] + outputs[1]) == sorted(f"key-{n}" for n in range(2000))
    assert not set(outputs[0]) & set(outputs[1])


@pytest.mark.parametrize("round_", range(20))
def test_workers_opening_a_new_store_at_once_all_open_it(tmp_path: Path, round_: int) -> None:
    # Several server workers starting together: SQLite refused one at random while another switched the
    # new file to WAL, and that worker failed to start.
    path = tmp_path / "seen.sqlite"
    start = threading.Barrier(6)
    opened: list[SQLiteDedupStore] = []
    failures: list[BaseException] = []

    def open_store() -> None:
        try:
            start.wait()
            opened.append(SQLiteDedupStore(path))
        except BaseException as exc:  # reported by the assertion below
            failures.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    try:
        assert failures == [] and len(opened) == 6
        assert [store.claim(["wamid.1"]) for store in opened].count([True]) == 1
    finally:
        for store in opened:
            store.close()


def test_keys_older_than_max_age_are_pruned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = SQLiteDedupStore(tmp_path / "aged.sqlite", max_age=60)
    assert store.claim(["old"]) == [True]
    later = time.time() + 120
    monkeypatch.setattr(time, "time", lambda: later)
    store._next_prune = 0.0
    assert store.claim(["new"]) == [True]
    assert len(store) == 1 and store.claim(["old"]) == [True]


def test_memory_store_is_bounded_by_count_and_by_age(monkeypatch: pytest.MonkeyPatch) -> None:
    store = MemoryDedupStore(max_entries=3, max_age=60)
    assert store.claim(["a", "b", "c", "d"]) == [True] * 4
    assert len(store) == 3 and store.claim(["a"]) == [True]  # the oldest went first
    assert store.claim(["d"]) == [False]
    now = time.monotonic()
    monkeypatch.setattr(time, "monotonic", lambda: now + 120)
    store.claim(["f"])
    assert len(store) == 1


def test_forget_lets_a_key_be_claimed_again(tmp_path: Path) -> None:
    for store in (MemoryDedupStore(), SQLiteDedupStore(tmp_path / "f.sqlite")):
        assert store.claim(["k"]) == [True] and store.claim(["k"]) == [False]
        store.forget(["k"])
        assert store.claim(["k"]) == [True]


class DictStore:
    """A user's own store, as it might wrap Redis's SET NX."""

    def __init__(self) -> None:
        self.keys: set[str] = set()

    def claim(self, keys: Any) -> list[bool]:
        firsts = [key not in self.keys for key in keys]
        self.keys.update(keys)
        return firsts

    def forget(self, keys: Any) -> None:
        self.keys.difference_update(keys)


def test_a_users_own_store_is_used_through_the_protocol() -> None:
    store = DictStore()
    dedup = Deduplicator(store)
    assert len(dedup.fresh(events("a"))) == 1 and dedup.fresh(events("a")) == []
    assert store.keys == {"status:a:delivered:4915112345678"}


def test_a_store_without_the_protocol_is_refused_by_name() -> None:
    with pytest.raises(ConfigurationError, match="claim\\(\\) and forget\\(\\)"):
        Deduplicator(object())  # type: ignore[arg-type]


@pytest.mark.parametrize("max_age", [0, -1, "a day"])
def test_bad_max_age_is_refused(tmp_path: Path, max_age: Any) -> None:
    with pytest.raises(ConfigurationError, match="max_age"):
        SQLiteDedupStore(tmp_path / "x.sqlite", max_age=max_age)


def test_a_file_that_is_not_sqlite_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "not.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(ConfigurationError, match="cannot use"):
        SQLiteDedupStore(path)
