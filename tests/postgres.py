"""A PostgreSQL server for the tests: the one at D360_TEST_POSTGRES_URL (default
postgresql://127.0.0.1:5432/test). Each test gets a schema of its own, dropped afterwards, so runs never
see each other's data. With no server reachable a test skips, saying how to run it (under CI=true
tests/conftest.py makes that skip a failure)."""

from __future__ import annotations

import functools
import os
import secrets
import urllib.parse
from collections.abc import Iterator

import pytest

POSTGRES_URL = os.environ.get("D360_TEST_POSTGRES_URL", "postgresql://127.0.0.1:5432/test")
HOW_TO_RUN = (
    "start one (apt install postgresql, or docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust "
    "-e POSTGRES_DB=test postgres:16) or point D360_TEST_POSTGRES_URL at one"
)


@functools.cache
def unreachable() -> str | None:
    """Why the test server cannot be used, or None when it can."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed: make install (the dev extra) installs it"
    try:
        with psycopg.connect(POSTGRES_URL, connect_timeout=5) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as exc:
        return f"no PostgreSQL server at {POSTGRES_URL} ({' '.join(str(exc).split())}): {HOW_TO_RUN}"
    return None


def with_query(url: str, **parameters: str) -> str:
    """`url` with these query parameters added."""
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query) + list(parameters.items())
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def drop_schema(schema: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


def query(schema: str, statement: str, *parameters: object) -> list[tuple[object, ...]]:
    """Rows of a statement run in `schema` (for a test to look at what a journal wrote)."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)))
        cursor = connection.execute(statement.encode(), parameters or None)
        return cursor.fetchall() if cursor.description else []


@pytest.fixture
def postgres_schema() -> Iterator[str]:
    """A fresh schema name on the test server (skips with how to run it when there is none); dropped after."""
    reason = unreachable()
    if reason is not None:
        pytest.skip(reason)
    schema = f"d360_test_{secrets.token_hex(6)}"
    try:
        yield schema
    finally:
        drop_schema(schema)


@pytest.fixture
def postgres_url(postgres_schema: str) -> str:
    """The test server's URL naming a fresh schema (`?schema=`)."""
    return with_query(POSTGRES_URL, schema=postgres_schema)
