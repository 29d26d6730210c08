"""Client settings, resolved once from arguments and the environment and checked before any request.

Shared by `Client` and `AsyncClient`. The API key lives here and nowhere else; it is left out of every
`repr`, so it cannot reach a log line or an error message through this object.
"""

from __future__ import annotations

import ipaddress
import math
import os
import urllib.request
from typing import Any, Literal

import attrs
import httpx

from d360.errors import ConfigurationError
from d360.retry import RetryPolicy

DEFAULT_BASE_URL = "https://waba-v2.360dialog.io"
API_KEY_HEADER = "D360-API-KEY"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
"""Thirty seconds for an answer, ten to connect: a send that hangs longer is better reported than waited on."""

DEFAULT_CONCURRENCY = 16
"""Messages in flight at once in `send_many` unless told otherwise."""
MAX_CONCURRENCY = 1000
"""Upstream's top tier is 1,000 messages a second; more requests in flight than that only queue at upstream."""

MAX_RESPONSE_BYTES = 1 << 20
"""The most of an answer d360 reads, decoded: upstream's answers are under a kilobyte, so a larger one is not
upstream's, and a compressed bomb never inflates past this."""
ACCEPT_ENCODING = "gzip, deflate"
"""What d360 decodes itself (with a size cap); asked for explicitly so an installed brotli changes nothing."""
STRICT = "strict"
Validate = bool | Literal["strict"]
"""A client's `validate`: True (the default), False, or "strict"."""

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
    validate: Validate = True
    """True: check before sending, open to `type` values d360 does not know yet; "strict": refuse those
    too; False: send unchecked."""
    template_check: bool = False
    """Check each template message against its template (fetched, cached) before sending it."""
    proxy: str | None = attrs.field(default=None, repr=False)
    """The proxy for `base_url` from the environment (https only: plain http never goes through one)."""
    marketing: tuple[tuple[str, Any], ...] | None = None
    """MM Lite's fields (message_send_ttl_seconds, product_policy, ...) when this client's sends go through
    POST /marketing_messages (`send_marketing`, `d360 bulk --marketing`); None: through /messages."""
    messages_url: str = attrs.field(init=False)
    webhook_url: str = attrs.field(init=False)
    """GET and POST /v1/configs/webhook: where upstream posts this number's webhooks."""
    headers: dict[str, str] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        path = "/messages" if self.marketing is None else "/marketing_messages"
        object.__setattr__(self, "messages_url", f"{self.base_url}{path}")
        object.__setattr__(self, "webhook_url", f"{self.base_url}/v1/configs/webhook")
        object.__setattr__(
            self,
            "headers",
            {API_KEY_HEADER: self.api_key, "Content-Type": "application/json", "Accept-Encoding": ACCEPT_ENCODING},
        )

    @classmethod
    def resolve(
        cls,
        *,
        api_key: str | None,
        base_url: str | None,
        timeout: TimeoutLike,
        max_retries: int,
        retry_ambiguous: bool,
        validate: Validate,
        allow_insecure_http: bool,
        retry_policy: RetryPolicy | None = None,
        template_check: bool = False,
    ) -> ClientConfig:
        check_validate(validate)
        key = api_key if api_key is not None else os.environ.get("D360_API_KEY")
        check_api_key(key)
        assert key is not None
        url = (base_url or os.environ.get("D360_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
        check_base_url(url, allow_insecure_http=allow_insecure_http)
        check_max_retries(max_retries)
        policy = attrs.evolve(retry_policy or RetryPolicy(), max_retries=max_retries, retry_ambiguous=retry_ambiguous)
        return cls(
            api_key=key,
            base_url=url,
            timeout=as_timeout(timeout),
            retry=policy,
            validate=validate,
            template_check=template_check,
            proxy=proxy_for(url),
        )

    def with_options(
        self,
        *,
        timeout: TimeoutLike | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        retry_ambiguous: bool | None = None,
        validate: Validate | None = None,
        template_check: bool | None = None,
    ) -> ClientConfig:
        if validate is not None:
            check_validate(validate)
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
            template_check=self.template_check if template_check is None else template_check,
        )


def check_validate(validate: Any) -> None:
    if not (validate is True or validate is False or validate == STRICT):
        raise ConfigurationError(f"validate must be True, False or {STRICT!r}, not {validate!r}")


def check_api_key(key: Any) -> None:
    """A key is printable ASCII with no white space; every message here leaves the key itself out."""
    if not key:
        raise ConfigurationError("no API key: pass api_key=... or set the D360_API_KEY environment variable")
    if not isinstance(key, str):
        raise ConfigurationError(f"the API key must be a string, not {type(key).__name__}")
    if not all(33 <= ord(character) < 127 for character in key):
        # A pasted key often brings a space or a newline: refused here, whichever client, so that the key
        # neither reaches an error message from the HTTP library nor is quietly changed.
        raise ConfigurationError(
            f"the API key ({len(key)} characters) holds white space or characters an HTTP header cannot carry: "
            "check for a stray space or newline where it was pasted"
        )


def check_max_retries(max_retries: Any) -> None:
    if not isinstance(max_retries, int) or isinstance(max_retries, bool) or max_retries < 0:
        raise ConfigurationError(f"max_retries must be a whole number, 0 or more, not {max_retries!r}")


def as_timeout(timeout: TimeoutLike) -> httpx.Timeout:
    """An httpx.Timeout whose every phase is None (no limit) or a positive, finite number of seconds."""
    if isinstance(timeout, httpx.Timeout):
        result = timeout
    elif timeout is None or (isinstance(timeout, int | float) and not isinstance(timeout, bool)):
        result = httpx.Timeout(timeout)
    else:
        raise ConfigurationError(f"timeout must be seconds (a number), an httpx.Timeout or None, not {timeout!r}")
    for phase, seconds in result.as_dict().items():
        if seconds is not None and not (math.isfinite(seconds) and seconds > 0):
            raise ConfigurationError(f"the {phase} timeout must be a positive, finite number of seconds, not {seconds}")
    return result


def deadline_seconds(timeout: httpx.Timeout) -> float | None:
    """Seconds a whole request may take, answer included: connecting plus reading (None: no limit).

    Per-phase timeouts alone let a server that trickles its answer a byte at a time hold a send forever.
    """
    if timeout.read is None:
        return None
    return (timeout.connect or 0.0) + timeout.read


def check_base_url(url: str, *, allow_insecure_http: bool) -> None:
    """Refuse plain http to anything but this machine: the API key would cross the network in clear text."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise ConfigurationError(f"invalid base URL {url!r}: {exc}") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ConfigurationError(f"base URL must be http(s)://host[:port], not {url!r}")
    if parsed.query or parsed.fragment or "?" in url or "#" in url:
        # `f"{base_url}/messages"` would land inside the query or fragment and post to the wrong path.
        raise ConfigurationError(f"base URL must not have a query or fragment: {url!r}")
    if parsed.userinfo:
        raise ConfigurationError("base URL must not hold a user name or password; the API key is the credential")
    if parsed.scheme == "http" and not allow_insecure_http and not is_loopback(parsed.host):
        raise ConfigurationError(
            f"refusing plain http to {parsed.host}: the API key would travel unencrypted; "
            "use https, or pass allow_insecure_http=True if you must"
        )


def proxy_for(base_url: str) -> str | None:
    """The proxy the environment names for an https base URL, or None.

    Both clients take the proxy from here, so they agree. Plain http never goes through a proxy: the key
    would reach it in clear text. Only http(s) proxies can tunnel https; anything else is refused here,
    at construction, not as a traceback at the first send.
    """
    url = httpx.URL(base_url)
    if url.scheme != "https" or urllib.request.proxy_bypass(url.host):
        return None
    proxies = urllib.request.getproxies()
    proxy = proxies.get("https") or proxies.get("all")
    if not proxy:
        return None
    scheme = proxy.split("://", 1)[0].lower() if "://" in proxy else "http"
    if scheme not in ("http", "https"):
        raise ConfigurationError(
            f"the environment names a {scheme} proxy (HTTPS_PROXY or ALL_PROXY): d360 supports http and https "
            "proxies; unset it, or add the host to NO_PROXY"
        )
    return proxy if "://" in proxy else f"http://{proxy}"


def is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
