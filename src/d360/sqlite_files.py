"""What every SQLite file d360 keeps (a campaign's journal, the webhook de-duplication store) needs when
several processes may open it at the same moment."""

from __future__ import annotations

import sqlite3
import time

WAL_TIMEOUT = 10.0
"""Seconds a connection may wait for others to finish switching a new file to WAL before giving up."""


def use_wal(connection: sqlite3.Connection, *, timeout: float = WAL_TIMEOUT) -> None:
    """Put the file in WAL mode, waiting (up to `timeout` seconds) for other connections doing the same.

    Switching takes an exclusive lock. When two connections that both read the new file ask for it at
    once, SQLite answers one of them SQLITE_BUSY at once, without its busy handler (waiting could
    deadlock), so a run and a status listener starting together failed with "database is locked". The
    one refused retries here: the other's switch finishes within milliseconds, and the retry finds the
    file in WAL mode already.
    """
    deadline = time.monotonic() + timeout
    pause = 0.001
    while True:
        try:
            connection.execute("PRAGMA journal_mode=WAL").fetchall()
            return
        except sqlite3.OperationalError as exc:
            if getattr(exc, "sqlite_errorname", "") != "SQLITE_BUSY" or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.05)
