"""`Client` and `AsyncClient`: the same behaviour, with and without `await`.

Everything that is not I/O (preparing the body, reading the answer, choosing to retry) lives in
`_ClientCore`; each client adds only its loop of post, sleep and retry.
"""

from __future__ import annotations

import copy
import json
import logging
import time
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    Callable,
    Coroutine,
    Iterable,
    Iterator,
    Mapping,
)
from typing import TYPE_CHECKING, Any, Self, TypeVar

import attrs
import httpx

from d360 import messages
from d360.config import (
    DEFAULT_CONCURRENCY,
    DEFAULT_TIMEOUT,
    NOT_GIVEN,
    ClientConfig,
    NotGiven,
    TimeoutLike,
    is_loopback,
)
from d360.errors import (
    APIConnectionError,
    APITimeoutError,
    D360Error,
    Problem,
    UnexpectedResponseError,
    ValidationError,
)
from d360.redaction import redacted_headers

if TYPE_CHECKING:
    from d360.concurrency import SendOutcome
    from d360.media import AsyncMedia, Media
    from d360.resources.templates import AsyncTemplates, Templates
from d360.responses import (
    ResponseParser,
    SendResult,
    WebhookConfig,
    parse_send_result,
    parse_success_flag,
    parse_webhook_config,
    request_id_of,
    status_error,
)
from d360.retry import RetryPolicy
from d360.senders import MessageSenders
from d360.transports import (
    AiohttpTransport,
    AsyncTransport,
    ConnectionFailure,
    HttpxAsyncTransport,
    HttpxTransport,
    RawResponse,
    SyncTransport,
    TransportFailure,
    new_httpx_client,
)
from d360.validation import validate_message

logger = logging.getLogger("d360")
T = TypeVar("T")


class _ClientCore:
    """Settings and every step of a send that does not wait on the network."""

    _config: ClientConfig
    _owns_http: bool
    _pool_timeout: httpx.Timeout | None
    """The timeout the connection pool was built with (None: a user's own client, whose timeout we keep)."""
    _timeout_given: bool

    def _configure(
        self,
        *,
        api_key: str | None,
        base_url: str | None,
        timeout: TimeoutLike,
        max_retries: int,
        retry_ambiguous: bool,
        validate: bool,
        allow_insecure_http: bool,
        retry_policy: RetryPolicy | None,
        owns_http: bool,
    ) -> None:
        self._config = ClientConfig.resolve(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout if timeout is not None else DEFAULT_TIMEOUT,
            max_retries=max_retries,
            retry_ambiguous=retry_ambiguous,
            validate=validate,
            allow_insecure_http=allow_insecure_http,
            retry_policy=retry_policy,
        )
        self._owns_http = owns_http
        self._timeout_given = timeout is not None
        self._pool_timeout = self._config.timeout if owns_http else None

    def _request_timeout(self) -> httpx.Timeout | None:
        """The timeout to send with each request, or None when the pool's own one already applies."""
        if self._pool_timeout is None:
            return self._config.timeout if self._timeout_given else None
        return None if self._config.timeout == self._pool_timeout else self._config.timeout

    def with_options(
        self,
        *,
        timeout: TimeoutLike | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        retry_ambiguous: bool | None = None,
        validate: bool | None = None,
    ) -> Self:
        """A client with some settings changed, sharing this one's connections (close only the original)."""
        twin = copy.copy(self)
        twin._config = self._config.with_options(
            timeout=timeout, max_retries=max_retries, retry_ambiguous=retry_ambiguous, validate=validate
        )
        twin._owns_http = False
        twin._timeout_given = self._timeout_given or not isinstance(timeout, NotGiven)
        return twin

    def _encode(self, message: Any) -> bytes:
        """The request body for a message, the Cloud API's defaults filled in, validated first unless the
        client was told not to."""
        # A plain dict is read, never changed, so it needs no copy (the common case: a bulk line, `messages.*`).
        payload = messages.with_cloud_api_defaults(message if type(message) is dict else messages.as_dict(message))
        if self._config.validate:
            validate_message(payload)
        try:
            # allow_nan=False: NaN and Infinity are not JSON, and upstream would refuse the body.
            return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
        except (TypeError, ValueError, RecursionError) as exc:
            raise ValidationError([Problem("$", f"cannot be sent as JSON: {exc}")]) from None

    @staticmethod
    def _encode_read_receipt(message_id: str, typing_indicator: bool) -> bytes:
        return json.dumps(messages.read_receipt(message_id, typing_indicator=typing_indicator)).encode()

    @staticmethod
    def _read(response: RawResponse, parse: ResponseParser[T]) -> T | D360Error:
        status_code, headers, content = response.status_code, response.headers, response.content
        if 200 <= status_code < 300:
            if response.unreadable is not None:
                return UnexpectedResponseError(
                    f"HTTP {status_code}, but {response.unreadable}; the message was probably accepted",
                    status_code=status_code,
                    request_id=request_id_of(headers),
                )
            try:
                return parse(status_code, headers, content)
            except UnexpectedResponseError as error:
                return error
        return status_error(status_code, headers, content)

    def _connection_error(self, failure: ConnectionFailure, cause: BaseException) -> APIConnectionError:
        """The error for a request that got no answer, saying whether it may have reached upstream."""
        where = self._config.base_url
        error: APIConnectionError
        if failure.timed_out and not failure.maybe_sent:
            error = APITimeoutError(f"timed out connecting to {where}: {failure.reason}", maybe_delivered=False)
        elif failure.timed_out:
            error = APITimeoutError(
                f"timed out waiting for {where} to answer; the message may have been delivered: {failure.reason}",
                maybe_delivered=True,
            )
        elif not failure.maybe_sent:
            error = APIConnectionError(f"cannot connect to {where}: {failure.reason}", maybe_delivered=False)
        else:
            error = APIConnectionError(
                f"connection to {where} failed after the request was sent; the message may have been "
                f"delivered: {failure.reason}",
                maybe_delivered=True,
            )
        error.__cause__ = cause
        return error

    def _next_delay(self, error: D360Error, retries_done: int, *, idempotent: bool = False) -> float:
        """Seconds to wait before retrying, or raise the error when it must not be retried.

        An idempotent call (setting or reading the webhook) changes nothing when repeated, so it is retried
        even after a failure that may have reached upstream.
        """
        policy = self._config.retry
        if idempotent and not policy.retry_ambiguous:
            policy = attrs.evolve(policy, retry_ambiguous=True)
        delay = policy.delay_before_retry(error, retries_done)
        if delay is None:
            raise error
        logger.info("retrying in %.2fs after %s: %s", delay, type(error).__name__, error)
        return delay

    def _log_request(self, method: str, url: str, attempt: int) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("%s %s (try %d) headers=%s", method, url, attempt, redacted_headers(self._config.headers))

    def _encode_webhook_config(self, url: str, headers: Mapping[str, str] | None) -> bytes:
        from d360.webhooks.config import webhook_config_body

        # Upstream's URL rules (https, no port) would refuse a receiver on this machine; a local sandbox takes it.
        return webhook_config_body(url, headers, upstream_rules=not is_loopback(httpx.URL(self._config.base_url).host))

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self._config.base_url!r}, max_retries={self._config.retry.max_retries})"
        )


class Client(_ClientCore, MessageSenders[SendResult, bool]):
    """Sends WhatsApp messages through 360dialog, blocking.

    `api_key` defaults to the D360_API_KEY environment variable, `base_url` to D360_BASE_URL or
    https://waba-v2.360dialog.io. Pass your own `httpx.Client` as `http_client` for proxies, custom TLS
    or connection pools; d360 then leaves closing it to you.
    """

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: TimeoutLike = None,
        max_retries: int = 2,
        http_client: httpx.Client | None = None,
        *,
        retry_ambiguous: bool = False,
        validate: bool = True,
        allow_insecure_http: bool = False,
        retry_policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._configure(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            retry_ambiguous=retry_ambiguous,
            validate=validate,
            allow_insecure_http=allow_insecure_http,
            retry_policy=retry_policy,
            owns_http=http_client is None,
        )
        self._transport: SyncTransport = HttpxTransport(
            http_client if http_client is not None else new_httpx_client(self._config.timeout, self._config.proxy)
        )
        self._sleep = sleep

    def send(self, message: Any) -> SendResult:
        """Send a d360_api `Message` model or a mapping in the spec's shape; raise a D360Error on failure."""
        return self._call("POST", self._config.messages_url, self._encode(message), parse_send_result)

    def mark_as_read(self, message_id: str, *, typing_indicator: bool = False) -> bool:
        """Mark a received message as read (blue ticks); with `typing_indicator=True`, also show the
        customer that a reply is being typed (until it is sent, or 25 seconds pass).

        Upstream takes this read receipt on `/messages` (the overlay adds it to the effective spec).
        """
        content = self._encode_read_receipt(message_id, typing_indicator)
        return self._call("POST", self._config.messages_url, content, parse_success_flag)

    def set_webhook(self, url: str, headers: Mapping[str, str] | None = None) -> WebhookConfig:
        """Make upstream post this number's webhooks to `url`, with `headers` added to every delivery
        (check them with `d360.webhooks.Receiver(header=...)`). Retried like any call that can be repeated."""
        content = self._encode_webhook_config(url, headers)
        return self._call("POST", self._config.webhook_url, content, parse_webhook_config, idempotent=True)

    def get_webhook(self) -> WebhookConfig:
        """Where upstream posts this number's webhooks now, and with which headers."""
        return self._call("GET", self._config.webhook_url, None, parse_webhook_config, idempotent=True)

    @property
    def media(self) -> Media:
        """Upload, look up, download and delete media: `client.media.upload("photo.jpg")`."""
        from d360.media import Media

        return Media(self)

    @property
    def templates(self) -> Templates:
        """Message templates: `list`, `get`, `create` (checked first), `delete`, and the template `library`."""
        from d360.resources.templates import Templates

        return Templates(self)

    def _send_file(self, kind: messages.MediaKind, to: str, path: Any, fields: dict[str, Any]) -> SendResult:
        from d360.media.files import prepare_for_kind

        self._encode(messages.media(kind, to, media_id="0", **fields))  # a bad message fails before the upload
        media_id = self.media._send_upload(prepare_for_kind(kind, path))
        return self.send(messages.media(kind, to, media_id=media_id, **fields))

    def _call(
        self, method: str, url: str, content: bytes | None, parse: ResponseParser[T], *, idempotent: bool = False
    ) -> T:
        retries_done = 0
        while True:
            self._log_request(method, url, retries_done + 1)
            try:
                response = self._transport.request(method, url, content, self._config.headers, self._request_timeout())
            except TransportFailure as exc:
                outcome: T | D360Error = self._connection_error(exc.failure, exc.__cause__ or exc)
            else:
                outcome = self._read(response, parse)
            if not isinstance(outcome, D360Error):
                return outcome
            self._sleep(self._next_delay(outcome, retries_done, idempotent=idempotent))
            retries_done += 1

    def send_many(
        self, messages: Iterable[Any], *, concurrency: int = DEFAULT_CONCURRENCY, rate: float | None = None
    ) -> Iterator[SendOutcome]:
        """The blocking twin of `AsyncClient.send_many`: outcomes in completion order, as they arrive.

        The sends run on an event loop in a worker thread, over their own connection pool with this
        client's settings. Leaving the loop early abandons the messages then in flight.
        """
        from d360.concurrency import send_many_blocking

        config = self._config
        return send_many_blocking(
            lambda: AsyncClient._from_config(config), messages, concurrency=concurrency, rate=rate
        )

    def close(self) -> None:
        if self._owns_http:
            self._transport.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


async def _asyncio_sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)


class AsyncClient(_ClientCore, MessageSenders[Coroutine[Any, Any, SendResult], Coroutine[Any, Any, bool]]):
    """The asyncio twin of `Client`: the same methods and settings, awaited."""

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: TimeoutLike = None,
        max_retries: int = 2,
        http_client: httpx.AsyncClient | None = None,
        *,
        retry_ambiguous: bool = False,
        validate: bool = True,
        allow_insecure_http: bool = False,
        retry_policy: RetryPolicy | None = None,
        sleep: Callable[[float], Awaitable[None]] = _asyncio_sleep,
    ) -> None:
        self._configure(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            retry_ambiguous=retry_ambiguous,
            validate=validate,
            allow_insecure_http=allow_insecure_http,
            retry_policy=retry_policy,
            owns_http=http_client is None,
        )
        self._transport: AsyncTransport = (
            AiohttpTransport(self._config.timeout, proxy=self._config.proxy)
            if http_client is None
            else HttpxAsyncTransport(http_client)
        )
        self._sleep = sleep

    @classmethod
    def _from_config(cls, config: ClientConfig) -> AsyncClient:
        """An async client with the settings of another client (already checked), and its own connections."""
        return cls(
            api_key=config.api_key,
            base_url=config.base_url,
            timeout=config.timeout,
            max_retries=config.retry.max_retries,
            retry_ambiguous=config.retry.retry_ambiguous,
            validate=config.validate,
            allow_insecure_http=True,
            retry_policy=config.retry,
        )

    async def send(self, message: Any) -> SendResult:
        """Send a d360_api `Message` model or a mapping in the spec's shape; raise a D360Error on failure."""
        return await self._call("POST", self._config.messages_url, self._encode(message), parse_send_result)

    async def mark_as_read(self, message_id: str, *, typing_indicator: bool = False) -> bool:
        """Mark a received message as read, optionally with a typing indicator; see `Client.mark_as_read`."""
        content = self._encode_read_receipt(message_id, typing_indicator)
        return await self._call("POST", self._config.messages_url, content, parse_success_flag)

    async def set_webhook(self, url: str, headers: Mapping[str, str] | None = None) -> WebhookConfig:
        """Make upstream post this number's webhooks to `url`; see `Client.set_webhook`."""
        content = self._encode_webhook_config(url, headers)
        return await self._call("POST", self._config.webhook_url, content, parse_webhook_config, idempotent=True)

    async def get_webhook(self) -> WebhookConfig:
        """Where upstream posts this number's webhooks now, and with which headers."""
        return await self._call("GET", self._config.webhook_url, None, parse_webhook_config, idempotent=True)

    @property
    def media(self) -> AsyncMedia:
        """Upload, look up, download and delete media: `await client.media.upload("photo.jpg")`."""
        from d360.media import AsyncMedia

        return AsyncMedia(self)

    @property
    def templates(self) -> AsyncTemplates:
        """Message templates, awaited: `await client.templates.get("order_update", "en")`; see `Client.templates`."""
        from d360.resources.templates import AsyncTemplates

        return AsyncTemplates(self)

    async def _send_file(self, kind: messages.MediaKind, to: str, path: Any, fields: dict[str, Any]) -> SendResult:
        from d360.media.files import prepare_for_kind

        self._encode(messages.media(kind, to, media_id="0", **fields))  # a bad message fails before the upload
        media_id = await self.media._send_upload(prepare_for_kind(kind, path))
        return await self.send(messages.media(kind, to, media_id=media_id, **fields))

    async def _call(
        self, method: str, url: str, content: bytes | None, parse: ResponseParser[T], *, idempotent: bool = False
    ) -> T:
        retries_done = 0
        while True:
            self._log_request(method, url, retries_done + 1)
            try:
                response = await self._transport.request(
                    method, url, content, self._config.headers, self._request_timeout()
                )
            except TransportFailure as exc:
                outcome: T | D360Error = self._connection_error(exc.failure, exc.__cause__ or exc)
            else:
                outcome = self._read(response, parse)
            if not isinstance(outcome, D360Error):
                return outcome
            await self._sleep(self._next_delay(outcome, retries_done, idempotent=idempotent))
            retries_done += 1

    def send_many(
        self,
        messages: Iterable[Any] | AsyncIterable[Any],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        rate: float | None = None,
    ) -> AsyncIterator[SendOutcome]:
        """Send many messages, at most `concurrency` at once and `rate` a second (None: no limit).

        Yields a SendOutcome per message, in completion order, with the message's `index` in the input
        and its `result` or `error`; a failed message never stops the others. A 429 or throttling error
        pauses every sender for the `Retry-After` time.
        """
        from d360.concurrency import send_many

        return send_many(self, messages, concurrency=concurrency, rate=rate)

    async def aclose(self) -> None:
        if self._owns_http:
            await self._transport.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
