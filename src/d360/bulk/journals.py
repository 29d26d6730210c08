"""Opening a bulk journal by where it is: a file path is the SQLite journal (`d360.bulk.journal`), a
`postgresql://` (or `postgres://`) URL the PostgreSQL one (`d360.bulk.postgres`, the `postgres` extra)."""

from __future__ import annotations

import urllib.parse

from d360.bulk.journal import Journal, JournalError
from d360.bulk.protocol import CampaignJournal

POSTGRES_SCHEMES = ("postgresql", "postgres")


def is_postgres_url(location: str) -> bool:
    """Whether a `--journal` names a PostgreSQL database rather than a file."""
    return urllib.parse.urlsplit(location).scheme.lower() in POSTGRES_SCHEMES


def open_journal(location: str, *, campaign: str | None = None, read_only: bool = False) -> CampaignJournal:
    """The journal at `location`, for a run (its only sender) or, `read_only`, for a report. `campaign`
    names a campaign of a PostgreSQL journal (a SQLite journal is one campaign: naming one is an error)."""
    if is_postgres_url(location):
        try:
            from d360.bulk.postgres.journal import PostgresJournal
        except ImportError as exc:  # psycopg is an extra
            raise JournalError(
                f"a PostgreSQL journal needs the postgres extra (pip install 'd360-messaging[postgres]'): {exc}"
            ) from None
        return PostgresJournal(location, campaign=campaign, read_only=read_only)
    if campaign is not None:
        raise JournalError(
            f"--campaign names a campaign of a PostgreSQL journal; the SQLite journal {location} is one campaign"
        )
    return Journal(location, read_only=read_only)
