"""The PostgreSQL journal's schema, made and brought up to date by d360 itself: numbered migration files
(`migrations/0001_*.sql`), each applied once, in order, recorded in the schema's `migrations` table. All of
it runs in one transaction under an advisory lock, so processes starting at once migrate one at a time and
a migration killed midway leaves nothing behind."""

from __future__ import annotations

import re
from importlib import resources
from typing import Any

import attrs
import psycopg
from psycopg import sql

from d360.bulk.postgres.queries import named_queries

MIGRATION_NAME = re.compile(r"^(?P<version>\d{4})_(?P<name>[a-z0-9_]+)\.sql$")
SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
"""A schema d360 makes: a lowercase SQL identifier, so it is written the same quoted or not."""


@attrs.frozen
class Migration:
    version: int
    name: str
    statements: str


def migrations(package: str = __package__) -> list[Migration]:
    """Every migration file of `package` (its `migrations/` folder; the journal's by default), in version
    order; two files of one version are an error."""
    found: dict[int, Migration] = {}
    for entry in resources.files(package).joinpath("migrations").iterdir():
        match = MIGRATION_NAME.match(entry.name)
        if match is None:
            continue
        version = int(match["version"])
        if version in found:
            raise ValueError(f"two migrations numbered {version:04d}: {found[version].name} and {match['name']}")
        found[version] = Migration(version, match["name"], entry.read_text(encoding="utf-8"))
    return [found[version] for version in sorted(found)]


def check_schema_name(schema: str) -> str:
    if not SCHEMA_NAME.match(schema):
        raise ValueError(
            f"schema {schema!r} is not a name d360 can use: lowercase letters, digits and _, not starting "
            "with a digit, at most 63 characters"
        )
    return schema


def migrate(connection: psycopg.Connection[Any], schema: str, *, package: str = __package__) -> list[int]:
    """Make `schema` and apply the migrations of `package` it lacks (the journal's by default; the inbox and
    the de-duplication store have their own, recorded in a table of their own named by their queries), in one
    transaction; return the versions applied now (none when another process did it first). The connection's
    search_path is left on `schema`."""
    queries = named_queries(package)
    applied: list[int] = []
    with connection.transaction():
        connection.execute(queries["lock_migrations"], {"schema": schema})
        connection.execute(queries["create_schema"].format(schema=sql.Identifier(schema)))
        connection.execute(queries["use_schema"], {"schema": schema, "local": True})
        connection.execute(queries["create_migrations_table"])
        done = {row[0] for row in connection.execute(queries["applied_migrations"])}
        for migration in migrations(package):
            if migration.version in done:
                continue
            # Bytes: a file shipped inside d360, run as it is (several statements, no parameters).
            connection.execute(migration.statements.encode("utf-8"))
            connection.execute(queries["record_migration"], {"version": migration.version, "name": migration.name})
            applied.append(migration.version)
    connection.execute(queries["use_schema"], {"schema": schema, "local": False})
    return applied
