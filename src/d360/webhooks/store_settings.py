"""What every de-duplication store shares (`dedup`, `redis_dedup`, `postgres_dedup`): how long a key is kept,
how a duration is read, which URLs name which store, and how a URL is shown without its password. A module of
its own, so that `dedup` can open the others by URL and they need nothing back from it."""

from __future__ import annotations

import urllib.parse
from datetime import timedelta

from d360.errors import ConfigurationError

DEFAULT_MAX_AGE = timedelta(days=8)
"""Upstream redelivers for up to seven days; a key is kept a day longer."""
PRUNE_EVERY = 60.0
"""Seconds between sweeps of keys older than `max_age`."""
REDIS_SCHEMES = ("redis", "rediss")
POSTGRES_SCHEMES = ("postgresql", "postgres")


def is_redis_url(location: object) -> bool:
    """A `redis://` or `rediss://` URL: a store that de-duplicates, and cannot hold the inbox."""
    return isinstance(location, str) and location.partition("://")[0].lower() in REDIS_SCHEMES and "://" in location


def _seconds(max_age: timedelta | float) -> float:
    seconds = max_age.total_seconds() if isinstance(max_age, timedelta) else max_age
    if not isinstance(seconds, int | float) or isinstance(seconds, bool) or not seconds > 0:
        raise ConfigurationError(f"max_age must be a positive duration, not {max_age!r}")
    return float(seconds)


def shown_url(url: str) -> str:
    """The URL as a message may show it: its password replaced by `***`."""
    try:
        parts = urllib.parse.urlsplit(url)
        password = parts.password
    except ValueError:
        return "a URL that cannot be read"
    if password is None:
        return url
    userinfo, _, hosts = parts.netloc.rpartition("@")
    return urllib.parse.urlunsplit(parts._replace(netloc=f"{userinfo.split(':', 1)[0]}:***@{hosts}"))
