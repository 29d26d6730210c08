"""`RedisDedupStore`: seen webhook events in Redis, for receivers on several machines that share a Redis
but no PostgreSQL. Each key is `SET prefix+key 1 NX PX max_age` (atomic in Redis: exactly one claimer
wins, and Redis itself drops the key when it expires); a batch is one pipelined round trip. Needs the
`redis` extra (redis-py)."""

from __future__ import annotations

import urllib.parse
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from d360.errors import ConfigurationError
from d360.webhooks.store_settings import DEFAULT_MAX_AGE, REDIS_SCHEMES, _seconds, shown_url

DEFAULT_PREFIX = "d360:webhooks:seen:"
"""Put before every key, so d360's keys are told apart from the rest of a shared Redis."""
CONNECT_TIMEOUT = 10.0
"""Seconds to wait for the server before saying it cannot be reached."""


class RedisDedupStore:
    """Keys in Redis, each kept `max_age` (Redis expires them). `RedisDedupStore("redis://host:6379/0")`;
    `rediss://` for TLS; the prefix of its keys from `prefix=` or the URL's `?prefix=`. Or pass a
    `redis.Redis` you made (`client=`): d360 then leaves closing it to you."""

    def __init__(
        self,
        url: str | None = None,
        *,
        client: Any = None,
        prefix: str | None = None,
        max_age: timedelta | float = DEFAULT_MAX_AGE,
    ) -> None:
        try:
            import redis
        except ImportError:
            raise ConfigurationError(
                "a Redis de-duplication store needs redis-py: pip install 'd360-messaging[redis]'"
            ) from None
        self.max_age = _seconds(max_age)
        # Milliseconds: a max_age below a second still expires (EX would round it to nothing or refuse it).
        self._milliseconds = max(1, round(self.max_age * 1000))
        if (url is None) == (client is None):
            raise ConfigurationError("give a Redis URL (redis://host:6379/0) or a redis.Redis client, not both")
        url_prefix = None
        if url is not None:
            self.location = shown_url(url)
            url, url_prefix = _without_prefix(url)
            try:
                client = redis.Redis.from_url(url, socket_connect_timeout=CONNECT_TIMEOUT)
            except ValueError as exc:
                raise ConfigurationError(f"{self.location} is not a Redis URL d360 can use: {exc}") from None
            self._owns_client = True
        else:
            self.location = repr(client)
            self._owns_client = False
        if prefix is not None and url_prefix is not None and prefix != url_prefix:
            raise ConfigurationError(f"the URL says ?prefix={url_prefix} and prefix={prefix!r}: give one of them")
        chosen = prefix if prefix is not None else url_prefix if url_prefix is not None else DEFAULT_PREFIX
        if not isinstance(chosen, str):
            raise ConfigurationError(f"prefix must be a string, not {chosen!r}")
        self.prefix = chosen
        self._client = client
        try:
            client.ping()
        except redis.RedisError as exc:
            self.close()
            raise ConfigurationError(
                f"cannot use the Redis at {self.location} to de-duplicate webhooks: {exc}"
            ) from None

    def claim(self, keys: Sequence[str]) -> list[bool]:
        # Not a transaction: each SET NX is atomic on its own, and one round trip carries them all.
        pipeline = self._client.pipeline(transaction=False)
        for key in keys:
            pipeline.set(self.prefix + key, b"1", nx=True, px=self._milliseconds)
        return [bool(result) for result in pipeline.execute()]

    def forget(self, keys: Sequence[str]) -> None:
        if keys:
            self._client.delete(*[self.prefix + key for key in keys])

    def close(self) -> None:
        if self._owns_client:
            self._client.close()


def _without_prefix(url: str) -> tuple[str, str | None]:
    """The URL redis-py reads, and the `?prefix=` taken out of it (redis-py refuses what it does not know)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in REDIS_SCHEMES:
        raise ConfigurationError(f"{shown_url(url)} is not a Redis URL (redis://host:6379/0 or rediss://...)")
    if parts.path.strip("/") and not parts.path.strip("/").isdecimal():
        # redis-py would quietly use database 0 instead.
        raise ConfigurationError(
            f"{shown_url(url)} is not a Redis URL d360 can use: the database after the host is a number (/0)"
        )
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    prefixes = [value for name, value in query if name == "prefix"]
    if len(prefixes) > 1:
        raise ConfigurationError(f"{shown_url(url)} names ?prefix= {len(prefixes)} times: give it once")
    rest = urllib.parse.urlencode([(name, value) for name, value in query if name != "prefix"])
    return urllib.parse.urlunsplit(parts._replace(query=rest)), (prefixes[0] if prefixes else None)
