"""Named SQL, loaded by name from a `.sql` file (as procrastinate keeps its queries): each query follows a
`-- name: NAME` line, values are `%(name)s` parameters, and code never formats a statement."""

from __future__ import annotations

import functools
import re
from importlib import resources

from psycopg import sql

NAME_LINE = re.compile(r"^-- name: (?P<name>[a-z_][a-z0-9_]*)\s*$", re.M)


def parse_queries(text: str) -> dict[str, str]:
    """The queries of a file of named SQL, by name; comment lines are left out of each query. A name given
    twice, or a query with no statement, is an error naming it."""
    queries: dict[str, str] = {}
    found = list(NAME_LINE.finditer(text))
    for index, match in enumerate(found):
        end = found[index + 1].start() if index + 1 < len(found) else len(text)
        body = "\n".join(
            line for line in text[match.end() : end].strip().splitlines() if not line.lstrip().startswith("--")
        ).strip()
        name = match["name"]
        if name in queries:
            raise ValueError(f"the query {name!r} is named twice")
        if not body:
            raise ValueError(f"the query {name!r} has no statement")
        queries[name] = body
    return queries


@functools.cache
def named_queries(package: str) -> dict[str, sql.SQL]:
    """A package's queries (its `queries.sql`), as psycopg statements: the journal's, the inbox's, the
    de-duplication store's."""
    text = resources.files(package).joinpath("queries.sql").read_text(encoding="utf-8")
    # psycopg asks for a literal string so that no outside text becomes a statement: these come from a file
    # shipped inside d360, never from outside, and every value they take is a parameter.
    return {name: sql.SQL(query) for name, query in parse_queries(text).items()}


def journal_queries() -> dict[str, sql.SQL]:
    """The PostgreSQL journal's queries (`queries.sql` beside this module)."""
    return named_queries(__package__)
