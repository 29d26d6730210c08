"""The inbox in PostgreSQL: any number of receivers on any hosts share it (the `postgres` extra).

`PostgresInbox("postgresql://host/db?schema=NAME")` (default schema `d360`, the journal's: a `JournalSink`
on the same database settles a line and its event in one transaction). The schema is made and migrated
by d360 (`migrations/`, recorded in `inbox_migrations`, apart from the journal's own); every statement is a
named query of `queries.sql`. Each event is leased to one receiver (`FOR UPDATE SKIP LOCKED`, a lease with an
expiry on the database's clock): a receiver that dies stops renewing, and its events go to the others."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import psycopg
from psycopg import sql

from d360.bulk.postgres.migrations import migrate as run_migrations
from d360.bulk.postgres.queries import named_queries
from d360.errors import ConfigurationError
from d360.webhooks.inbox.store import BACKOFF_BASE, BACKOFF_CAP, KEEP_HANDLED, NewEvent, StoredEvent
from d360.webhooks.store_settings import DEFAULT_MAX_AGE, PRUNE_EVERY, _seconds

DEFAULT_SCHEMA = "d360"


def inbox_queries() -> dict[str, sql.SQL]:
    """The inbox's named queries (`queries.sql` beside this module)."""
    return named_queries(__package__)


def migrate(connection: psycopg.Connection[Any], schema: str) -> list[int]:
    """Make `schema` and apply the inbox migrations it lacks (the journal's runner, this package's files)."""
    return run_migrations(connection, schema, package=__package__)


def location(url: str) -> tuple[str, str, str]:
    """(conninfo, schema, URL shown without its password) of an inbox URL; `?schema=` is d360's."""
    from d360.bulk.journal import JournalError
    from d360.bulk.postgres.journal import DatabaseLocation

    try:
        where = DatabaseLocation.parse(url)
    except JournalError as exc:
        raise ConfigurationError(str(exc)) from None
    return where.conninfo, where.schema, where.shown


class PostgresInbox:
    """The inbox in a PostgreSQL schema. Two connections: one for the deliveries' writes (never behind a
    claim), one for the workers' claims and settlements."""

    def __init__(self, url: str, *, max_age: timedelta | float = DEFAULT_MAX_AGE) -> None:
        self.url = url
        self.conninfo, self.schema, self.shown = location(url)
        self.max_age = _seconds(max_age)
        self._queries = inbox_queries()
        self._locks = {"write": threading.Lock(), "work": threading.Lock()}
        self._connections: dict[str, psycopg.Connection[Any]] = {}
        try:
            with self._connection("work") as connection:
                migrate(connection, self.schema)
                connection.execute(self._queries["use_schema"], {"schema": self.schema, "local": False})
        except psycopg.Error as exc:
            raise ConfigurationError(f"cannot use {self.shown} as a webhook inbox: {exc}") from None
        self._next_prune = 0.0

    def _connect(self) -> psycopg.Connection[Any]:
        connection = psycopg.connect(self.conninfo, autocommit=True, connect_timeout=10)
        connection.execute(self._queries["use_schema"], {"schema": self.schema, "local": False})
        return connection

    @contextmanager
    def _connection(self, which: str) -> Iterator[psycopg.Connection[Any]]:
        with self._locks[which]:
            connection = self._connections.get(which)
            if connection is None or connection.closed or connection.broken:
                connection = self._connections[which] = self._connect()
            yield connection

    def _run(self, which: str, name: str, parameters: dict[str, Any]) -> list[tuple[Any, ...]]:
        with self._connection(which) as connection:
            cursor = connection.execute(self._queries[name], parameters)
            return cursor.fetchall() if cursor.description else []

    def put(self, events: Sequence[NewEvent]) -> list[bool]:
        import time

        rows = self._run(
            "write",
            "put",
            {
                "keys": [event.dedup_key for event in events],
                "conversations": [event.conversation for event in events],
                "sent": [event.sent_at for event in events],
                "bodies": [event.body for event in events],
            },
        )
        stored = {row[0] for row in rows}
        firsts = []
        for event in events:  # a key twice in one batch (two deliveries at once): the first one is new
            firsts.append(event.dedup_key in stored)
            stored.discard(event.dedup_key)
        now = time.monotonic()
        if now >= self._next_prune:
            self._next_prune = now + PRUNE_EVERY
            self._run("write", "prune_seen", {"max_age": self.max_age})
            self._run("write", "prune_handled", {"keep": KEEP_HANDLED})
        return firsts

    def claim(self, owner: str, limit: int, lease: float) -> list[StoredEvent]:
        rows = self._run("work", "claim", {"owner": owner, "limit": limit, "lease": lease})
        rows.sort(key=lambda row: (row[6], row[7]))  # RETURNING keeps no order: oldest first
        return [StoredEvent(row[0], bytes(row[1]), row[2], row[3], row[4], arrived_at=row[5]) for row in rows]

    def renew(self, owner: str, keys: Sequence[str], lease: float) -> None:
        self._run("work", "renew", {"owner": owner, "keys": list(keys), "lease": lease})

    def done(self, owner: str, key: str) -> bool:
        with self._connection("work") as connection:
            return connection.execute(self._queries["done"], {"owner": owner, "key": key}).rowcount == 1

    def done_many(self, owner: str, keys: Sequence[str]) -> list[str]:
        settled = {row[0] for row in self._run("work", "done_many", {"owner": owner, "keys": list(keys)})}
        return [key for key in keys if key not in settled]

    def settle_on(self, connection: psycopg.Connection[Any], owner: str, key: str, step: int) -> None:
        """Record a handler's end on `connection`, inside its transaction (a journal's, on this database)."""
        connection.execute(self._queries["progress"], {"owner": owner, "key": key, "step": step})

    def progress(self, owner: str, key: str, step: int) -> None:
        self._run("work", "progress", {"owner": owner, "key": key, "step": step})

    def failed(self, owner: str, key: str, error: str, step: int, max_attempts: int) -> str:
        rows = self._run(
            "work",
            "failed",
            {"owner": owner, "key": key, "error": error, "step": step, "max_attempts": max_attempts,
             "base": BACKOFF_BASE, "cap": BACKOFF_CAP},
        )  # fmt: skip
        if not rows:
            return "lost"
        return "dead" if rows[0][0] == "dead" else "retry"

    def dead_letters(self) -> list[StoredEvent]:
        rows = self._run("work", "dead_letters", {})
        return [StoredEvent(r[0], bytes(r[1]), r[2], r[3], r[4], "dead", r[5], r[6]) for r in rows]

    def retry_dead(self, keys: Sequence[str] | None = None) -> int:
        with self._connection("work") as connection:
            cursor = connection.execute(self._queries["retry_dead"], {"keys": None if keys is None else list(keys)})
            return cursor.rowcount

    def pending(self) -> int:
        return int(self._run("work", "pending", {})[0][0])

    def claim_keys(self, keys: Sequence[str]) -> list[bool]:
        new = {row[0] for row in self._run("write", "claim_keys", {"keys": list(keys)})}
        return [key in new for key in keys]

    def forget(self, keys: Sequence[str]) -> None:
        self._run("write", "forget", {"keys": list(keys)})

    def same_database(self, url: str) -> bool:
        """Whether a journal at `url` is in this inbox's database and schema (one transaction can hold both)."""
        try:
            conninfo, schema, _ = location(url)
        except ConfigurationError:
            return False
        return conninfo == self.conninfo and schema == self.schema

    def close(self) -> None:
        for which, lock in self._locks.items():
            with lock:
                connection = self._connections.pop(which, None)
                if connection is not None:
                    connection.close()
