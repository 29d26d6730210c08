"""`Client` and `AsyncClient`: the same behaviour, with and without `await`.

Everything that is not I/O (preparing the body, reading the answer, choosing to retry, checking a template
message against its template) lives in `_ClientCore` and the modules it calls; each client adds only its
loop of post, sleep and retry, and its way of waiting for a template's definition.
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
    STRICT,
    ClientConfig,
    NotGiven,
    TimeoutLike,
    Validate,
    is_loopback,
)
from d360.errors import (
    APIConnectionError,
    APITimeoutError,
    ConfigurationError,
    D360Error,
    Problem,
    TemplateMismatchError,
    UnexpectedResponseError,
    ValidationError,
)
from d360.redaction import redacted_headers
from d360.resources.template_cache import DEFAULT_TTL as DEFAULT_TEMPLATE_CHECK_TTL
from d360.resources.template_cache import RECHECK_AFTER, RETRY, Entry, TemplateCache

if TYPE_CHECKING:
    from d360.concurrency import SendOutcome
    from d360.media import AsyncMedia, Media
    from d360.resources.automation import AsyncAutomation, Automation
    from d360.resources.block_users import AsyncBlockUsers, BlockUsers
    from d360.resources.calling import AsyncCalling, Calling
    from d360.resources.encryption import AsyncEncryption, Encryption
    from d360.resources.groups import AsyncGroups, Groups
    from d360.resources.health import Health
    from d360.resources.marketing import AsyncMarketing, Marketing
    from d360.resources.profile import AsyncProfile, Profile
    from d360.resources.template_check import CheckedTemplate, TemplateKey, TemplateLookup
    from d360.resources.templates import AsyncTemplates, Templates
    from d360.resources.webhook_destinations import AsyncWebhookDestinations, WebhookDestinations
from d360.responses import (
    ResponseParser,
    SendResult,
    WebhookConfig,
    parse_send_result,
    parse_success_flag,
    parse_webhook_config,
    request_id_of,
    status_error,
    status_result_parser,
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
from d360.validation import is_status_body, validate_message

logger = logging.getLogger("d360")
T = TypeVar("T")


def _refuse_unknown(value: object) -> Any:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


# One encoder for every request body, built once: `json.dumps` with these settings builds a new one per call
# (measured at about a third of the encoding's cost). allow_nan=False: NaN and Infinity are not JSON, and
# upstream would refuse the body. No circular-reference markers: a circular message ends in RecursionError,
# which `_prepare` refuses as it refuses any other body that cannot be JSON, and a marker table kept between
# calls could be left holding ids after a failed encoding.
# json's C accelerator, private to the json package (None where Python was built without it).
_make_encoder = getattr(json.encoder, "c_make_encoder", None)
_encode_string = getattr(json.encoder, "c_encode_basestring", None)
_ENCODER: Callable[[Any, int], Any] | None = (
    # (markers, default, string encoder, indent, key separator, item separator, sort_keys, skipkeys, allow_nan)
    _make_encoder(None, _refuse_unknown, _encode_string, None, ":", ",", False, False, False)
    if _make_encoder is not None and _encode_string is not None
    else None
)
_FALLBACK_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False, check_circular=False)


def encode_body(payload: Any) -> bytes:
    """A request body as compact UTF-8 JSON; TypeError, ValueError (NaN, Infinity) or RecursionError for what
    is not JSON."""
    if _ENCODER is not None:
        return "".join(_ENCODER(payload, 0)).encode()
    return _FALLBACK_ENCODER.encode(payload).encode()


class _ClientCore:
    """Settings and every step of a send that does not wait on the network."""

    _config: ClientConfig
    _owns_http: bool
    _pool_timeout: httpx.Timeout | None
    """The timeout the connection pool was built with (None: a user's own client, whose timeout we keep)."""
    _timeout_given: bool
    _template_cache: TemplateCache[TemplateKey, TemplateLookup]
    """Template definitions for `template_check`, shared with `with_options` twins."""

    def _configure(
        self,
        *,
        api_key: str | None,
        base_url: str | None,
        timeout: TimeoutLike,
        max_retries: int,
        retry_ambiguous: bool,
        validate: Validate,
        allow_insecure_http: bool,
        retry_policy: RetryPolicy | None,
        owns_http: bool,
        template_check: bool = False,
        template_check_ttl: float = DEFAULT_TEMPLATE_CHECK_TTL,
    ) -> None:
        if not isinstance(template_check, bool):
            raise ConfigurationError(f"template_check must be True or False, not {template_check!r}")
        self._template_cache = TemplateCache(template_check_ttl)
        self._config = ClientConfig.resolve(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout if timeout is not None else DEFAULT_TIMEOUT,
            max_retries=max_retries,
            retry_ambiguous=retry_ambiguous,
            validate=validate,
            allow_insecure_http=allow_insecure_http,
            retry_policy=retry_policy,
            template_check=template_check,
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
        validate: Validate | None = None,
        template_check: bool | None = None,
    ) -> Self:
        """A client with some settings changed, sharing this one's connections and template cache (close only
        the original)."""
        if template_check is not None and not isinstance(template_check, bool):
            raise ConfigurationError(f"template_check must be True or False, not {template_check!r}")
        twin = copy.copy(self)
        twin._config = self._config.with_options(
            timeout=timeout,
            max_retries=max_retries,
            retry_ambiguous=retry_ambiguous,
            validate=validate,
            template_check=template_check,
        )
        twin._owns_http = False
        twin._timeout_given = self._timeout_given or not isinstance(timeout, NotGiven)
        return twin

    def _encode(self, message: Any) -> bytes:
        """The request body for a message, the Cloud API's defaults filled in, validated first unless the
        client was told not to."""
        return self._prepare(message)[1]

    def _prepare(self, message: Any) -> tuple[dict[str, Any], bytes]:
        """The message as a mapping (what the template check reads) and as the request body."""
        # A plain dict is read, never changed, so it needs no copy (the common case: a bulk line, `messages.*`).
        payload = messages.with_cloud_api_defaults(message if type(message) is dict else messages.as_dict(message))
        if self._config.validate:
            validate_message(payload, strict=self._config.validate == STRICT)
        if self._config.marketing is not None:  # a marketing twin's: the MM Lite body (template messages only)
            from d360.resources.marketing import marketing_body

            payload = marketing_body(payload, dict(self._config.marketing), validate=bool(self._config.validate))
        try:
            return payload, encode_body(payload)
        except (TypeError, ValueError, RecursionError) as exc:
            raise ValidationError([Problem("$", f"cannot be sent as JSON: {exc}")]) from None

    def _parser_for(self, payload: Mapping[str, Any]) -> ResponseParser[SendResult]:
        """How to read the answer to what `send` sends: a message's, or a status body's `{"success": true}`;
        a marketing twin's says the product policy that applied."""
        if self._config.marketing is not None:
            from d360.resources.marketing import marketing_result_parser

            policy = payload.get("product_policy")
            return marketing_result_parser(policy if isinstance(policy, str) else None)
        if is_status_body(payload) and isinstance(payload.get("message_id"), str):
            return status_result_parser(payload["message_id"])
        return parse_send_result

    def _marketing_twin(self, fields: Mapping[str, Any]) -> Self:
        """A client whose sends go through POST /marketing_messages with MM Lite's `fields` (already checked),
        sharing this one's connections, settings and template cache: every guarantee of `send` holds."""
        twin = copy.copy(self)
        twin._config = attrs.evolve(self._config, marketing=tuple(fields.items()))
        twin._owns_http = False
        return twin

    # The template check: what both clients share; each waits for a definition its own way (`_template_entry`).

    def _template_key(self, payload: Mapping[str, Any]) -> TemplateKey | None:
        """The template a message is checked against before it is sent; None with the check off, or for a
        message that is not a template message."""
        if not self._config.template_check:
            return None
        from d360.resources.template_check import template_key

        return template_key(payload)

    def _fetched(self, key: TemplateKey, claim: Any, outcome: TemplateLookup | D360Error) -> Entry[TemplateLookup]:
        """Settle a claim with what fetching its template gave: the lookup kept, or the error handed to
        every caller waiting for it, said as the send's error (nothing was sent)."""
        from d360.resources.template_check import lookup_failure

        if isinstance(outcome, D360Error):
            failure = lookup_failure(key, outcome)
            self._template_cache.fail(claim, failure)
            raise failure
        return self._template_cache.settle(claim, outcome, negative=not outcome.sendable)

    @staticmethod
    def _waited(result: Any) -> Entry[TemplateLookup] | None:
        """What another caller's fetch handed over: its entry, or None when it gave up (fetch it yourself)."""
        return None if result is RETRY else result

    @staticmethod
    def _checked(payload: Mapping[str, Any], key: TemplateKey, entry: Entry[TemplateLookup]) -> CheckedTemplate:
        """Raise TemplateMismatchError when the message does not fit; else what to refresh on a refusal."""
        from d360.resources.template_check import CheckedTemplate, check_fit

        check_fit(payload, entry.value)
        return CheckedTemplate(key, entry)

    def _may_have_changed(self, entry: Entry[TemplateLookup]) -> bool:
        """Whether a cached template a message does not fit deserves one more fetch before the refusal.

        The template may have been changed (deleted and made again) since it was fetched, and a message
        refused here never reaches upstream to say so: without this, it would be refused for the whole
        TTL. An entry fetched less than RECHECK_AFTER seconds ago is trusted, so a message that really
        does not fit costs at most one more fetch per template every RECHECK_AFTER seconds.
        """
        return self._template_cache.age(entry) >= RECHECK_AFTER

    @staticmethod
    def _refresh_due(checked: CheckedTemplate, error: D360Error) -> bool:
        """Whether upstream's refusal of a checked message says the cached template is stale."""
        from d360.resources.template_check import refreshes_on

        if not refreshes_on(error):
            return False
        logger.info("upstream refused a message for template %r (%s) with code %s: fetching the template again",
                    checked.key[0], checked.key[1], getattr(error, "code", None))  # fmt: skip
        return True

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

    def _connection_error(
        self, failure: ConnectionFailure, cause: BaseException, *, message: bool = True
    ) -> APIConnectionError:
        """The error for a request that got no answer, saying whether it may have reached upstream (`message`:
        whether the request sends a message, which may then have been delivered)."""
        where = self._config.base_url
        maybe = "the message may have been delivered" if message else "the request may have reached upstream"
        error: APIConnectionError
        if failure.timed_out and not failure.maybe_sent:
            error = APITimeoutError(f"timed out connecting to {where}: {failure.reason}", maybe_delivered=False)
        elif failure.timed_out:
            error = APITimeoutError(
                f"timed out waiting for {where} to answer; {maybe}: {failure.reason}", maybe_delivered=True
            )
        elif not failure.maybe_sent:
            error = APIConnectionError(f"cannot connect to {where}: {failure.reason}", maybe_delivered=False)
        else:
            error = APIConnectionError(
                f"connection to {where} failed after the request was sent; {maybe}: {failure.reason}",
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

    `template_check=True` checks every template message against its template before sending it and
    refuses one that does not fit with `TemplateMismatchError`, nothing sent. The definition is fetched
    (`GET /v1/configs/templates`: one request the first time each template is sent) and kept for
    `template_check_ttl` seconds (default 300). Off by default, for that request.
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
        validate: Validate = True,
        allow_insecure_http: bool = False,
        retry_policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        template_check: bool = False,
        template_check_ttl: float = DEFAULT_TEMPLATE_CHECK_TTL,
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
            template_check=template_check,
            template_check_ttl=template_check_ttl,
        )
        self._transport: SyncTransport = HttpxTransport(
            http_client if http_client is not None else new_httpx_client(self._config.timeout, self._config.proxy)
        )
        self._sleep = sleep

    def send(self, message: Any) -> SendResult:
        """Send a d360_api `Message` model or a mapping in the spec's shape; raise a D360Error on failure.

        With `template_check`, a template message is first checked against its template (fetched once,
        then cached): `TemplateMismatchError` when it does not fit, with nothing sent. Should upstream
        refuse it all the same with a template error (132000, 132001, ...), the template is fetched again
        once and the error raised: the message is never sent again by d360.
        """
        payload, content = self._prepare(message)
        key = self._template_key(payload)
        if key is None:
            return self._call("POST", self._config.messages_url, content, self._parser_for(payload))
        entry = self._template_entry(key)
        try:
            checked = self._checked(payload, key, entry)
        except TemplateMismatchError:
            if not self._may_have_changed(entry):
                raise
            checked = self._checked(payload, key, self._template_entry(key, replacing=entry))
        try:
            return self._call("POST", self._config.messages_url, content, self._parser_for(payload))
        except D360Error as error:
            self._template_refused(checked, error)
            raise

    def _template_entry(
        self, key: TemplateKey, *, replacing: Entry[TemplateLookup] | None = None
    ) -> Entry[TemplateLookup]:
        """The cached lookup of a template, fetched when missing or stale; one thread fetches, others wait."""
        from d360.resources.base import BlockingRunner
        from d360.resources.template_check import local_lookup, lookup_request, read_lookup

        local = local_lookup(key)
        while True:
            claim = self._template_cache.claim(key, replacing=replacing)
            if claim.entry is not None:
                return claim.entry
            if not claim.owner:
                assert claim.flight is not None
                waited = self._waited(claim.flight.result())
                if waited is not None:
                    return waited
                continue
            try:
                outcome = (
                    local if local is not None else BlockingRunner(self).collect(lookup_request(key), read_lookup(key))
                )
            except D360Error as error:
                return self._fetched(key, claim, error)
            except BaseException:
                self._template_cache.fail(claim, None)
                raise
            return self._fetched(key, claim, outcome)

    def _template_refused(self, checked: CheckedTemplate, error: D360Error) -> None:
        """After upstream refused a checked message with a template error: fetch the template again, once
        (never a resend); a failed fetch leaves the send's own error to be raised."""
        if self._refresh_due(checked, error):
            try:
                self._template_entry(checked.key, replacing=checked.entry)
            except D360Error as failure:
                logger.info("fetching template %r (%s) again failed: %s", *checked.key, failure)

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

    def health(self) -> Health:
        """Whether the number may send now (`.can_send`) and why not (`.reasons`): the number's, its WABA's,
        the business's and the app's status, from GET /health_status."""
        from d360.resources.base import BlockingRunner
        from d360.resources.health import health_request

        return BlockingRunner(self).run(health_request())

    @property
    def profile(self) -> Profile:
        """The business profile: `get()`, `update(about=..., websites=[...], ...)` (checked first), `set_photo`."""
        from d360.resources.profile import Profile

        return Profile(self, self.media)

    @property
    def block_users(self) -> BlockUsers:
        """The number's block list: `list()` (every page), `add(numbers)`, `remove(numbers)`."""
        from d360.resources.block_users import BlockUsers

        return BlockUsers(self)

    @property
    def automation(self) -> Automation:
        """The conversational automation: `get()`, `update(enable_welcome_message=..., prompts=[...],
        commands={...})` (checked first)."""
        from d360.resources.automation import Automation

        return Automation(self)

    @property
    def calling(self) -> Calling:
        """WhatsApp calling: `settings()`, `update_settings(...)`, `permissions(user)`, and the call actions
        `connect`, `pre_accept`, `accept`, `reject`, `terminate` (the SDP sent as given)."""
        from d360.resources.calling import Calling

        return Calling(self)

    @property
    def encryption(self) -> Encryption:
        """The business public key Flows use: `get()`, `upload(Path("public.pem"))` (checked first)."""
        from d360.resources.encryption import Encryption

        return Encryption(self)

    @property
    def webhook_destinations(self) -> WebhookDestinations:
        """The extra webhooks beside `set_webhook`'s: `list()`, `enable([...])`, `append([...])`,
        `update(name, url=...)`, `delete(name)`, `disable()` (checked first)."""
        from d360.resources.webhook_destinations import WebhookDestinations

        return WebhookDestinations(self)

    @property
    def marketing(self) -> Marketing:
        """MM Lite's reads: `dataset_quality(dataset_id)`, `template_analytics()`, `enable_template_analytics()`
        (send with `send_marketing`)."""
        from d360.resources.marketing import Marketing

        return Marketing(self)

    @property
    def groups(self) -> Groups:
        """WhatsApp groups: `create(subject=...)`, `list`, `get`, `update`, `delete`, the invite link,
        participants and join requests (checked first)."""
        from d360.resources.groups import Groups

        return Groups(self)

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
        self,
        method: str,
        url: str,
        content: bytes | None,
        parse: ResponseParser[T],
        *,
        idempotent: bool = False,
        content_type: str | None = None,
    ) -> T:
        headers = _with_content_type(self._config.headers, content_type)
        retries_done = 0
        while True:
            self._log_request(method, url, retries_done + 1)
            try:
                response = self._transport.request(method, url, content, headers, self._request_timeout())
            except TransportFailure as exc:
                # An idempotent request (a read, a deletion, the webhook's setting) never sends a message.
                cause = exc.__cause__ or exc
                outcome: T | D360Error = self._connection_error(exc.failure, cause, message=not idempotent)
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

        config, cache = self._config, self._template_cache
        return send_many_blocking(
            lambda: AsyncClient._from_config(config, template_cache=cache),
            messages,
            concurrency=concurrency,
            rate=rate,
        )

    def close(self) -> None:
        if self._owns_http:
            self._transport.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _with_content_type(headers: dict[str, str], content_type: str | None) -> dict[str, str]:
    """The client's headers, with another body type than JSON when a request sends one (a form)."""
    return headers if content_type is None else {**headers, "Content-Type": content_type}


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
        validate: Validate = True,
        allow_insecure_http: bool = False,
        retry_policy: RetryPolicy | None = None,
        sleep: Callable[[float], Awaitable[None]] = _asyncio_sleep,
        template_check: bool = False,
        template_check_ttl: float = DEFAULT_TEMPLATE_CHECK_TTL,
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
            template_check=template_check,
            template_check_ttl=template_check_ttl,
        )
        self._transport: AsyncTransport = (
            AiohttpTransport(self._config.timeout, proxy=self._config.proxy)
            if http_client is None
            else HttpxAsyncTransport(http_client)
        )
        self._sleep = sleep

    @classmethod
    def _from_config(
        cls, config: ClientConfig, *, template_cache: TemplateCache[TemplateKey, TemplateLookup] | None = None
    ) -> AsyncClient:
        """An async client with the settings of another client (already checked), and its own connections;
        given the other's `template_cache`, it shares it (the cache is safe across threads and loops)."""
        client = cls(
            api_key=config.api_key,
            base_url=config.base_url,
            timeout=config.timeout,
            max_retries=config.retry.max_retries,
            retry_ambiguous=config.retry.retry_ambiguous,
            validate=config.validate,
            allow_insecure_http=True,
            retry_policy=config.retry,
            template_check=config.template_check,
        )
        if template_cache is not None:
            client._template_cache = template_cache
        if config.marketing is not None:  # a marketing twin's sends stay marketing sends
            client._config = attrs.evolve(client._config, marketing=config.marketing)
        return client

    async def send(self, message: Any) -> SendResult:
        """Send a d360_api `Message` model or a mapping in the spec's shape; raise a D360Error on failure.

        With `template_check`, a template message is first checked against its template; see `Client.send`.
        """
        if not self._config.template_check:  # the common case, without a coroutine for the check it skips
            payload, content = self._prepare(message)
            return await self._call("POST", self._config.messages_url, content, self._parser_for(payload))
        payload, content, checked = await self._encode_checked(message)
        try:
            return await self._call("POST", self._config.messages_url, content, self._parser_for(payload))
        except D360Error as error:
            if checked is not None:
                await self._template_refused(checked, error)
            raise

    async def _encode_checked(self, message: Any) -> tuple[dict[str, Any], bytes, CheckedTemplate | None]:
        """The request body, after the template check when it is on (`TemplateMismatchError`, nothing sent);
        with it, what to refresh should upstream refuse the message all the same."""
        payload, content = self._prepare(message)
        key = self._template_key(payload)
        if key is None:
            return payload, content, None
        entry = await self._template_entry(key)
        try:
            return payload, content, self._checked(payload, key, entry)
        except TemplateMismatchError:
            if not self._may_have_changed(entry):
                raise
        return payload, content, self._checked(payload, key, await self._template_entry(key, replacing=entry))

    async def _template_entry(
        self, key: TemplateKey, *, replacing: Entry[TemplateLookup] | None = None
    ) -> Entry[TemplateLookup]:
        """The cached lookup of a template, fetched when missing or stale; one coroutine (or thread) fetches,
        the others wait for it."""
        import asyncio

        from d360.resources.base import AwaitingRunner
        from d360.resources.template_check import local_lookup, lookup_request, read_lookup

        local = local_lookup(key)
        while True:
            claim = self._template_cache.claim(key, replacing=replacing)
            if claim.entry is not None:
                return claim.entry
            if not claim.owner:
                assert claim.flight is not None
                waited = self._waited(await asyncio.wrap_future(claim.flight))
                if waited is not None:
                    return waited
                continue
            try:
                outcome = (
                    local
                    if local is not None
                    else await AwaitingRunner(self).collect(lookup_request(key), read_lookup(key))
                )
            except D360Error as error:
                return self._fetched(key, claim, error)
            except BaseException:  # cancelled: a caller still waiting fetches instead
                self._template_cache.fail(claim, None)
                raise
            return self._fetched(key, claim, outcome)

    async def _template_refused(self, checked: CheckedTemplate, error: D360Error) -> None:
        """After upstream refused a checked message with a template error: fetch the template again, once;
        see `Client._template_refused`."""
        if self._refresh_due(checked, error):
            try:
                await self._template_entry(checked.key, replacing=checked.entry)
            except D360Error as failure:
                logger.info("fetching template %r (%s) again failed: %s", *checked.key, failure)

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

    async def health(self) -> Health:
        """Whether the number may send now, and why not; see `Client.health`."""
        from d360.resources.base import AwaitingRunner
        from d360.resources.health import health_request

        result: Health = await AwaitingRunner(self).run(health_request())
        return result

    @property
    def profile(self) -> AsyncProfile:
        """The business profile, awaited: `await client.profile.get()`; see `Client.profile`."""
        from d360.resources.profile import AsyncProfile

        return AsyncProfile(self, self.media)

    @property
    def block_users(self) -> AsyncBlockUsers:
        """The number's block list, awaited: `await client.block_users.add(["4915112345678"])`."""
        from d360.resources.block_users import AsyncBlockUsers

        return AsyncBlockUsers(self)

    @property
    def automation(self) -> AsyncAutomation:
        """The conversational automation, awaited: `await client.automation.get()`; see `Client.automation`."""
        from d360.resources.automation import AsyncAutomation

        return AsyncAutomation(self)

    @property
    def calling(self) -> AsyncCalling:
        """WhatsApp calling, awaited: `await client.calling.settings()`; see `Client.calling`."""
        from d360.resources.calling import AsyncCalling

        return AsyncCalling(self)

    @property
    def encryption(self) -> AsyncEncryption:
        """The business public key, awaited: `await client.encryption.get()`; see `Client.encryption`."""
        from d360.resources.encryption import AsyncEncryption

        return AsyncEncryption(self)

    @property
    def webhook_destinations(self) -> AsyncWebhookDestinations:
        """The extra webhooks, awaited: `await client.webhook_destinations.list()`; see `Client`'s."""
        from d360.resources.webhook_destinations import AsyncWebhookDestinations

        return AsyncWebhookDestinations(self)

    @property
    def marketing(self) -> AsyncMarketing:
        """MM Lite's reads, awaited: `await client.marketing.dataset_quality(...)`; see `Client.marketing`."""
        from d360.resources.marketing import AsyncMarketing

        return AsyncMarketing(self)

    @property
    def groups(self) -> AsyncGroups:
        """WhatsApp groups, awaited: `await client.groups.create(subject=...)`; see `Client.groups`."""
        from d360.resources.groups import AsyncGroups

        return AsyncGroups(self)

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
        self,
        method: str,
        url: str,
        content: bytes | None,
        parse: ResponseParser[T],
        *,
        idempotent: bool = False,
        content_type: str | None = None,
    ) -> T:
        headers = _with_content_type(self._config.headers, content_type)
        retries_done = 0
        while True:
            self._log_request(method, url, retries_done + 1)
            try:
                response = await self._transport.request(method, url, content, headers, self._request_timeout())
            except TransportFailure as exc:
                # An idempotent request (a read, a deletion, the webhook's setting) never sends a message.
                cause = exc.__cause__ or exc
                outcome: T | D360Error = self._connection_error(exc.failure, cause, message=not idempotent)
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
        pauses every sender for the `Retry-After` time. With `template_check`, each template message is
        checked before it is sent: one that does not fit has its `TemplateMismatchError` as its outcome.
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
