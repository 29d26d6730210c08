"""`use_wal`: a file several processes open at once is switched to WAL by one and found so by the others."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from d360.sqlite_files import use_wal


@contextmanager
def read_lock_held(path: Path, seconds: float) -> Iterator[None]:
    """Another connection reads `path` (rollback mode) for `seconds`: no one can switch it to WAL meanwhile."""
    holding = threading.Event()

    def hold() -> None:
        reader = sqlite3.connect(path, isolation_level=None)
        reader.execute("BEGIN")
        reader.execute("SELECT * FROM sqlite_master").fetchall()
        holding.set()
        threading.Event().wait(seconds)
        reader.execute("COMMIT")
        reader.close()

    thread = threading.Thread(target=hold)
    thread.start()
    holding.wait(10)
    try:
        yield
    finally:
        thread.join(30)


def new_file(tmp_path: Path) -> Path:
    path = tmp_path / "shared.sqlite"
    made = sqlite3.connect(path)
    made.execute("CREATE TABLE t (x)")
    made.close()
    return path


def test_a_busy_switch_is_retried_until_the_other_connection_lets_go(tmp_path: Path) -> None:
    path = new_file(tmp_path)
    with read_lock_held(path, 0.5):
        once = sqlite3.connect(path, isolation_level=None, timeout=0.05)
        with pytest.raises(sqlite3.OperationalError, match="locked"):  # what a single attempt meets
            once.execute("PRAGMA journal_mode=WAL")
        once.close()
        patient = sqlite3.connect(path, isolation_level=None, timeout=0.05)
        use_wal(patient, timeout=10)
    assert patient.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    patient.close()


def test_the_wait_is_bounded_and_ends_with_sqlites_own_error(tmp_path: Path) -> None:
    path = new_file(tmp_path)
    with read_lock_held(path, 1.5):
        waiting = sqlite3.connect(path, isolation_level=None, timeout=0.05)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            use_wal(waiting, timeout=0.3)
        waiting.close()


def test_an_error_other_than_busy_is_not_retried(tmp_path: Path) -> None:
    path = tmp_path / "not-a-database.sqlite"
    path.write_bytes(b"this is not SQLite" * 100)
    connection = sqlite3.connect(path, isolation_level=None)
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        use_wal(connection, timeout=60)
    connection.close()
