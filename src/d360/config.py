"""Client settings, resolved once from arguments and the environment and checked before any request.

Shared by `Client` and `AsyncClient`. The API key lives here and nowhere else; it is left out of every
`repr`, so it cannot reach a log line or an error message through this object.
"""

from __future__ import annotations

import ipaddress
import os
from typing import Any

import attrs
import httpx

from d360.errors import ConfigurationError
from d360.retry import RetryPolicy

DEFAULT_BASE_URL = "https://waba-v2.360dialog.io"
API_KEY_HEADER = "D360-API-KEY"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
"""Thirty seconds for an answer, ten to connect: a send that hangs longer is better reported than waited on."""

TimeoutLike = float | httpx.Timeout | None


class NotGiven:
    """Marks an option left out of `with_options`, where None means "no timeout"."""

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()


@attrs.frozen
class ClientConfig:
    api_key: str = attrs.field(repr=False)
    base_url: str
    timeout: httpx.Timeout
    retry: RetryPolicy
    validate: bool = True
    messages_url: str = attrs.field(init=False)
    headers: dict[str, str] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "messages_url", f"{self.base_url}/messages")
        object.__setattr__(self, "headers", {API_KEY_HEADER: self.api_key, "Content-Type": "application/json"})

    @classmethod
    def resolve(
        cls,
        *,
        api_key: str | None,
        base_url: str | None,
        timeout: TimeoutLike,
        max_retries: int,
        retry_ambiguous: bool,
        validate: bool,
        allow_insecure_http: bool,
        retry_policy: RetryPolicy | None = None,
    ) -> ClientConfig:
        key = api_key if api_key is not None else os.environ.get("D360_API_KEY")
        if not key:
            raise ConfigurationError("no API key: pass api_key=... or set the D360_API_KEY environment variable")
        if not all(32 <= ord(character) < 127 for character in key):
            # Named without the key itself: a key must never reach an error message.
            raise ConfigurationError("the API key holds characters an HTTP header cannot carry (check for newlines)")
        url = (base_url or os.environ.get("D360_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
        check_base_url(url, allow_insecure_http=allow_insecure_http)
        check_max_retries(max_retries)
        policy = attrs.evolve(retry_policy or RetryPolicy(), max_retries=max_retries, retry_ambiguous=retry_ambiguous)
        return cls(api_key=key, base_url=url, timeout=as_timeout(timeout), retry=policy, validate=validate)

    def with_options(
        self,
        *,
        timeout: TimeoutLike | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        retry_ambiguous: bool | None = None,
        validate: bool | None = None,
    ) -> ClientConfig:
        retry_changes: dict[str, Any] = {}
        if max_retries is not None:
            check_max_retries(max_retries)
            retry_changes["max_retries"] = max_retries
        if retry_ambiguous is not None:
            retry_changes["retry_ambiguous"] = retry_ambiguous
        return attrs.evolve(
            self,
            timeout=self.timeout if isinstance(timeout, NotGiven) else as_timeout(timeout),
            retry=attrs.evolve(self.retry, **retry_changes),
            validate=self.validate if validate is None else validate,
        )


def check_max_retries(max_retries: int) -> None:
    if max_retries < 0:
        raise ConfigurationError(f"max_retries must be 0 or more, not {max_retries}")


def as_timeout(timeout: TimeoutLike) -> httpx.Timeout:
    return timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)


def check_base_url(url: str, *, allow_insecure_http: bool) -> None:
    """Refuse plain http to anything but this machine: the API key would cross the network in clear text."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise ConfigurationError(f"invalid base URL {url!r}: {exc}") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ConfigurationError(f"base URL must be http(s)://host[:port], not {url!r}")
    if parsed.scheme == "http" and not allow_insecure_http and not is_loopback(parsed.host):
        raise ConfigurationError(
            f"refusing plain http to {parsed.host}: the API key would travel unencrypted; "
            "use https, or pass allow_insecure_http=True if you must"
        )


def is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
