"""Every error d360 raises, in one tree; catch the branch you can act on.

    D360Error
    ├── ConfigurationError          bad client settings (no API key, plain http to a remote host)
    ├── ClientStateError            the client cannot send now: closed, or (async) bound to another loop
    ├── ValidationError             the message breaks the spec or upstream's limits; nothing was sent
    │   └── TemplateMismatchError   a template message that does not fit its template (`template_check=True`)
    ├── APIConnectionError          no usable answer came back
    │   └── APITimeoutError
    ├── APIStatusError              upstream answered with an error status
    │   ├── BadRequestError         400
    │   ├── AuthenticationError     401
    │   ├── PermissionDeniedError   403
    │   ├── NotFoundError           404
    │   ├── RateLimitError          429, or upstream's throttling errors sent with 400
    │   │   └── MediaLookupBlockedError  upstream blocks media lookups after repeated failed ones
    │   └── ServerError             5xx
    ├── UnexpectedResponseError     a 2xx answer whose body cannot be read
    ├── MediaIntegrityError         a download whose size or sha256 is not what upstream said
    ├── WebhookPayloadError         a body that is not a webhook at all (not JSON, no `entry` list)
    └── WebhookVerificationError    a webhook whose signature or required header does not check out

Every error has `maybe_delivered`: True when the message may have reached the recipient even though
the call failed, so that a caller never resends blindly.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs


class D360Error(Exception):
    """Root of every error d360 raises."""

    maybe_delivered: bool = False
    """True when the message may have been delivered despite the error: do not resend without checking."""


class ConfigurationError(D360Error):
    """The client's settings cannot work: raised when the client is created, before any request."""


class ClientStateError(D360Error):
    """The client cannot send now: it was closed, or an AsyncClient is used from a second event loop.

    Nothing was sent. Create a new client (one per event loop, for AsyncClient).
    """


# Validation: raised before anything is sent.


@attrs.frozen
class Problem:
    """One thing wrong with a message, at a JSON path such as `$.interactive.action.buttons[0].reply.title`."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class ValidationError(D360Error):
    """The message breaks the spec's schema or upstream's documented limits. Nothing was sent."""

    def __init__(self, problems: Sequence[Problem], *, subject: str = "message") -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        count = len(self.problems)
        listed = "; ".join(str(problem) for problem in self.problems)
        super().__init__(f"invalid {subject} ({count} problem{'s' if count != 1 else ''}): {listed}")


class TemplateMismatchError(ValidationError):
    """A template message that does not fit its template, found by `Client(template_check=True)` before
    sending: no such template or translation, not approved, or parameters the template does not take.
    Nothing was sent. `name` and `language` say which template; `problems` each mismatch, with its path."""

    def __init__(self, problems: Sequence[Problem], *, name: str, language: str) -> None:
        super().__init__(problems, subject=f"message for template {name!r} ({language})")
        self.name = name
        self.language = language


# Connection errors: the request went out, or tried to, and no usable answer came back.


class APIConnectionError(D360Error):
    """The connection failed. `maybe_delivered` says whether the request could have reached upstream."""

    def __init__(self, message: str, *, maybe_delivered: bool) -> None:
        super().__init__(message)
        self.message = message
        self.maybe_delivered = maybe_delivered


class APITimeoutError(APIConnectionError):
    """A timeout: connecting (never delivered) or waiting for the answer (maybe delivered)."""


# Status errors: upstream answered with an error status.


class APIStatusError(D360Error):
    """Upstream answered with an error status; `message` and `code` come from whichever body shape it used."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        code: int | str | None = None,
        body: Any = None,
        request_id: str | None = None,
        maybe_delivered: bool = False,
        details: dict[str, Any] | None = None,
    ) -> None:
        self.message = message
        self.status_code = status_code
        self.code = code
        """Upstream's error code (Meta's `error.code`, such as 131056), where the body has one."""
        self.body = body
        """The parsed JSON body, or a short snippet of a body that is not JSON."""
        self.request_id = request_id
        """Upstream's trace id (a header or `fbtrace_id`), for support requests."""
        self.maybe_delivered = maybe_delivered
        self.details: dict[str, Any] = details or {}
        """Everything else the body said: `type`, `error_subcode`, `error_data`, `fbtrace_id`."""
        code_text = f" (code {code})" if code is not None else ""
        super().__init__(f"HTTP {status_code}: {message}{code_text}")


class BadRequestError(APIStatusError):
    """400: upstream refused the message as malformed or not allowed."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing, wrong or revoked."""


class PermissionDeniedError(APIStatusError):
    """403: the key may not use this endpoint, or the account is restricted."""


class NotFoundError(APIStatusError):
    """404: wrong base URL or path."""


class RateLimitError(APIStatusError):
    """Too many requests: 429, or a throttling error upstream sends with 400. Retried by default."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after
        """Seconds upstream asked to wait (the `Retry-After` header), when it said."""


class MediaLookupBlockedError(RateLimitError):
    """Upstream refused a media lookup with 429: it blocks lookups for a while after repeated failed ones.
    Never retried by d360 (retrying prolongs the block): wait `retry_after` seconds, or some minutes."""


class ServerError(APIStatusError):
    """5xx: upstream failed. 500, 502 and 504 may have delivered the message; 503 did not."""


class UnexpectedResponseError(D360Error):
    """A 2xx answer whose body d360 cannot read; upstream probably accepted the message."""

    maybe_delivered = True

    def __init__(self, message: str, *, status_code: int, body: Any = None, request_id: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.body = body
        self.request_id = request_id


class MediaIntegrityError(D360Error):
    """A download's size or sha256 is not what upstream said (cut short, or corrupt); nothing was kept
    under the name asked for."""


class TemplateNotFoundError(D360Error):
    """`client.templates.get(name, language)` found no template of that name in that language; `languages`
    are those the name exists in (empty when it does not exist at all)."""

    def __init__(self, name: str, language: str | None, languages: Sequence[str] = ()) -> None:
        self.name = name
        self.language = language
        self.languages: tuple[str, ...] = tuple(languages)
        if not self.languages:
            message = f"no template named {name!r}"
        else:
            message = f"no template {name!r} in {language!r}; it exists in {', '.join(self.languages)}"
        super().__init__(message)


# Webhooks: what d360.webhooks raises about a delivery it was handed.


class WebhookPayloadError(D360Error):
    """The body is not a webhook at all: not JSON, not an object, or without an `entry` list.

    A webhook with parts d360 does not know yet is never an error: those parts arrive as `UnknownEvent`.
    """


class WebhookVerificationError(D360Error):
    """A delivery failed its check (signature or required header); `reason` says which, never the secret."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
