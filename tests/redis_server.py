"""A Redis server for the tests: the one at D360_TEST_REDIS_URL (default redis://127.0.0.1:6379/0). Each test
gets a key prefix of its own (random), and its keys are deleted afterwards, so runs never see each other's
keys. With no server reachable a test skips, saying how to run it (under CI=true tests/conftest.py makes that
skip a failure)."""

from __future__ import annotations

import functools
import os
import secrets
from collections.abc import Iterator

import pytest

REDIS_URL = os.environ.get("D360_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
HOW_TO_RUN = (
    "start one (apt install redis-server, or docker run -d -p 6379:6379 redis:7) or point D360_TEST_REDIS_URL at one"
)


@functools.cache
def unreachable() -> str | None:
    """Why the test server cannot be used, or None when it can."""
    try:
        import redis
    except ImportError:
        return "redis-py is not installed: make install (the dev extra) installs it"
    try:
        with redis.Redis.from_url(REDIS_URL, socket_connect_timeout=5) as client:
            client.ping()
    except redis.RedisError as exc:
        return f"no Redis server at {REDIS_URL} ({exc}): {HOW_TO_RUN}"
    return None


def delete_prefixed(prefix: str) -> None:
    import redis

    with redis.Redis.from_url(REDIS_URL) as client:
        keys = list(client.scan_iter(match=prefix.replace("*", r"\*") + "*", count=1000))
        if keys:
            client.delete(*keys)


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A fresh key prefix on the test server (skips with how to run it when there is none); its keys are
    deleted after."""
    reason = unreachable()
    if reason is not None:
        pytest.skip(reason)
    prefix = f"d360-test-{secrets.token_hex(6)}:"
    try:
        yield prefix
    finally:
        delete_prefixed(prefix)


@pytest.fixture
def redis_url(redis_prefix: str) -> str:
    """The test server's URL naming a fresh key prefix (`?prefix=`)."""
    separator = "&" if "?" in REDIS_URL else "?"
    return f"{REDIS_URL}{separator}prefix={redis_prefix}"
