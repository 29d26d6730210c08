"""Reading upstream's answers: a `SendResult` from a 2xx body, a typed error from any error body.

Upstream sends errors in several shapes (360dialog's `meta`, Meta's `error` object, a bare `error`
string, FastAPI's `detail`, HTML from a proxy). Everything here is total: whatever the bytes, the
caller gets a result or a `D360Error`, never a KeyError or JSONDecodeError.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import attrs

from d360.errors import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    UnexpectedResponseError,
)
from d360.numbers import read_int
from d360.retry import parse_retry_after

# Meta's throttling codes: app-level (4), per-account (80007), per-number (130429) and per-pair (131056).
THROTTLING_CODES = frozenset({4, 80007, 130429, 131056})
# 360dialog's own endpoint rate limit arrives as a 400 whose message says so.
THROTTLING_MESSAGE = re.compile(r"exceeded the (endpoint )?(rate )?limit|rate limit", re.IGNORECASE)
TRACE_ID_KEYS = ("fbtrace_id", "360dialog_trace_id", "trace_id")
REQUEST_ID_HEADERS = frozenset({"x-request-id", "x-fb-trace-id", "x-fb-request-id", "x-360dialog-trace-id"})
SNIPPET_LENGTH = 200
_DECODER = json.JSONDecoder()
JSON_WHITESPACE = " \t\n\r"
"""The only whitespace JSON allows around a value (str.isspace would take more)."""
T = TypeVar("T")
ResponseParser = Callable[[int, Mapping[str, str], bytes], T]
"""Reads a 2xx answer (status, headers, body) into a result, or raises UnexpectedResponseError."""


@attrs.frozen
class SendResult:
    """What upstream said about an accepted message."""

    message_id: str
    """The `wamid.` id; webhooks report the message's fate under this id."""
    wa_id: str | None
    """The recipient's WhatsApp id, as upstream resolved it."""
    input: str | None
    """The `to` (or `recipient`) upstream received."""
    status: str | None
    """`message_status` as sent (`accepted`, `held_for_quality_assessment`, `paused`, or a newer value),
    None when upstream left it out."""
    request_id: str | None = None
    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)
    """The whole parsed body."""
    user_id: str | None = None
    """The recipient's business-scoped user id, when upstream gave one (a message sent to `recipient`)."""
    product_policy: str | None = None
    """For a marketing message (`send_marketing`): how upstream may route it. CLOUD_API_FALLBACK: through MM
    Lite, or through the Cloud API when MM Lite cannot take it; STRICT: through MM Lite only; a newer value
    as upstream sent it. The one upstream's answer names, else the one asked for, else upstream's default
    (CLOUD_API_FALLBACK). None for a message sent through /messages."""


def request_id_of(headers: Mapping[str, str], body: Any = None) -> str | None:
    # One pass over the few headers an answer has: cheaper than a case-insensitive lookup per name.
    for name, value in headers.items():
        if name.lower() in REQUEST_ID_HEADERS:
            return value
    if _is_mapping(body):
        for container in (body.get("error"), body.get("meta"), body):
            if container is not None and _is_mapping(container):
                for key in TRACE_ID_KEYS:
                    found = container.get(key)
                    if type(found) is str or isinstance(found, str):
                        return str(found)
    return None


def _is_mapping(value: Any) -> bool:
    # A parsed body is made of dicts: checked first, since a check against the Mapping ABC costs several times more.
    return type(value) is dict or isinstance(value, Mapping)


def parse_send_result(status_code: int, headers: Mapping[str, str], content: bytes) -> SendResult:
    """Turn a 2xx body into a SendResult, or raise UnexpectedResponseError saying what is missing."""
    body = _json_or_none(content)
    request_id = request_id_of(headers, body)
    if not _is_mapping(body):
        raise UnexpectedResponseError(
            f"HTTP {status_code} with a body that is not a JSON object: {snippet(content)!r}",
            status_code=status_code,
            body=snippet(content),
            request_id=request_id,
        )
    messages = body.get("messages")
    first = messages[0] if isinstance(messages, list) and messages else None
    message_id = first.get("id") if first is not None and _is_mapping(first) else None
    if not isinstance(message_id, str) or not message_id:
        raise UnexpectedResponseError(
            f"HTTP {status_code} without messages[0].id: {snippet(content)!r}",
            status_code=status_code,
            body=body,
            request_id=request_id,
        )
    contacts = body.get("contacts")
    contact = contacts[0] if isinstance(contacts, list) and contacts and _is_mapping(contacts[0]) else {}
    assert first is not None
    wa_id, given, user_id, status = (
        contact.get("wa_id"),
        contact.get("input"),
        contact.get("user_id"),
        first.get("message_status"),
    )
    # Each kept only when a string: _text_or_none on each, without a call per field.
    return SendResult(
        message_id=message_id,
        wa_id=wa_id if isinstance(wa_id, str) else None,
        input=given if isinstance(given, str) else None,
        status=status if isinstance(status, str) else None,
        request_id=request_id,
        raw=body,
        user_id=user_id if isinstance(user_id, str) else None,
        product_policy=_text_or_none(body.get("product_policy")),
    )


def parse_success_flag(status_code: int, headers: Mapping[str, str], content: bytes) -> bool:
    """Read `{"success": true}`, the answer to a read receipt."""
    body = _json_or_none(content)
    if not isinstance(body, Mapping) or not isinstance(body.get("success"), bool):
        raise UnexpectedResponseError(
            f"HTTP {status_code} without a boolean 'success': {snippet(content)!r}",
            status_code=status_code,
            body=body if body is not None else snippet(content),
            request_id=request_id_of(headers, body),
        )
    return bool(body["success"])


def status_result_parser(message_id: str) -> ResponseParser[SendResult]:
    """How to read the answer to a status body (a read receipt or typing indicator) sent with `send`:
    `{"success": true}`, given back as a SendResult that names the message the status was about."""

    def parse(status_code: int, headers: Mapping[str, str], content: bytes) -> SendResult:
        if not parse_success_flag(status_code, headers, content):
            raise UnexpectedResponseError(
                f"HTTP {status_code} with success false: upstream did not take the status",
                status_code=status_code,
                body=snippet(content),
                request_id=request_id_of(headers),
            )
        body = _json_or_none(content)
        return SendResult(message_id=message_id, wa_id=None, input=None, status=None,
                          request_id=request_id_of(headers, body), raw=body)  # fmt: skip

    return parse


@attrs.frozen
class WebhookConfig:
    """Where upstream posts this number's webhooks, and the custom headers it sends with each."""

    url: str | None
    """None when no webhook URL is set."""
    headers: dict[str, str] = attrs.Factory(dict)
    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)


def parse_webhook_config(status_code: int, headers: Mapping[str, str], content: bytes) -> WebhookConfig:
    """Read `{"url": ..., "headers": {...}}`, the answer to GET and POST /v1/configs/webhook."""
    body = _json_or_none(content)
    url = body.get("url") if isinstance(body, Mapping) else None
    sent_headers = body.get("headers") if isinstance(body, Mapping) else None
    if not isinstance(body, Mapping) or not isinstance(url, str | None) or not isinstance(sent_headers, Mapping | None):
        raise UnexpectedResponseError(
            f"HTTP {status_code} without a webhook configuration: {snippet(content)!r}",
            status_code=status_code,
            body=body if body is not None else snippet(content),
            request_id=request_id_of(headers, body),
        )
    kept = {str(name): str(value) for name, value in (sent_headers or {}).items()}
    return WebhookConfig(url=url or None, headers=kept, raw=body)


@attrs.frozen
class ErrorDetails:
    message: str
    code: int | str | None = None
    details: dict[str, Any] = attrs.Factory(dict)


def error_details(body: Any, content: bytes) -> ErrorDetails:
    """Find the message and code in any error shape upstream sends."""
    if not isinstance(body, Mapping):
        return ErrorDetails(message=_describe_non_json(content) if body is None else snippet(content))
    detail = body.get("detail")
    if isinstance(detail, Mapping):
        return error_details(detail, content)
    error = body.get("error")
    if isinstance(error, str):
        return ErrorDetails(message=error)
    if isinstance(error, Mapping):
        return _meta_graph_error(error)
    errors = body.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], Mapping):
        return _meta_graph_error(errors[0])
    meta = body.get("meta")
    if isinstance(meta, Mapping):
        message = meta.get("developerMessage", meta.get("developer_message"))
        code = meta.get("httpCode", meta.get("http_code"))
        return ErrorDetails(
            message=str(message) if message is not None else snippet(content),
            code=code if isinstance(code, int | str) and not isinstance(code, bool) else None,
            details={key: value for key, value in meta.items() if key not in ("developerMessage", "developer_message")},
        )
    if isinstance(detail, str):
        return ErrorDetails(message=detail)
    if isinstance(body.get("message"), str):
        return ErrorDetails(message=body["message"])
    return ErrorDetails(message=snippet(content))


def _meta_graph_error(error: Mapping[str, Any]) -> ErrorDetails:
    message = error.get("message", error.get("title"))
    text = str(message) if message is not None else "unknown error"
    error_data = error.get("error_data")
    if isinstance(error_data, Mapping) and isinstance(error_data.get("details"), str):
        text = f"{text}: {error_data['details']}"
    code = error.get("code")
    return ErrorDetails(
        message=text,
        code=code if isinstance(code, int | str) and not isinstance(code, bool) else None,
        details={key: value for key, value in error.items() if key not in ("message", "code")},
    )


def status_error(status_code: int, headers: Mapping[str, str], content: bytes) -> APIStatusError:
    """The typed error for a non-2xx answer."""
    body = _json_or_none(content)
    found = error_details(body, content)
    if 300 <= status_code < 400:
        # Never followed: the request would go again, API key and all, wherever the answer points.
        location = headers.get("location")
        where = f" to {snippet(location.encode())}" if location else ""
        found = ErrorDetails(
            message=f"upstream answered with a redirect{where}; d360 does not follow redirects "
            "(that would resend the API key): check the base URL",
            details={"location": location} if location else {},
        )
    keep: dict[str, Any] = {
        "status_code": status_code,
        "code": found.code,
        "body": body if body is not None else snippet(content),
        "request_id": request_id_of(headers, body),
        "details": found.details,
    }
    if status_code == 429 or (400 <= status_code < 500 and is_throttling(found)):
        return RateLimitError(found.message, retry_after=parse_retry_after(headers.get("retry-after")), **keep)
    error_class: type[APIStatusError] = {
        400: BadRequestError,
        401: AuthenticationError,
        403: PermissionDeniedError,
        404: NotFoundError,
    }.get(status_code, ServerError if status_code >= 500 else APIStatusError)
    # Only 503 says "not processed"; after any other 5xx the message may have gone out. A 408 means the
    # server gave up before reading the request: not delivered, and transient.
    maybe_delivered = status_code >= 500 and status_code != 503
    return error_class(found.message, maybe_delivered=maybe_delivered, **keep)


def is_throttling(found: ErrorDetails) -> bool:
    code = read_int(found.code)
    return code in THROTTLING_CODES or bool(THROTTLING_MESSAGE.search(found.message))


def snippet(content: bytes) -> str:
    """A short, single-line taste of a body, for error messages."""
    text = " ".join(content.decode("utf-8", errors="replace").split())
    return text if len(text) <= SNIPPET_LENGTH else text[: SNIPPET_LENGTH - 3] + "..."


def _describe_non_json(content: bytes) -> str:
    text = content.decode("utf-8", errors="replace")
    title = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
    if title:
        return f"non-JSON body: {' '.join(title.group(1).split())}"
    return f"non-JSON body: {snippet(content)!r}" if content.strip() else "empty body"


def _json_or_none(content: bytes) -> Any:
    if not content:
        return None
    try:
        if content[:1] == b"{" and content[1:2] != b"\x00":  # UTF-8 (json.loads's own guess), read without guessing
            text = content.decode("utf-8", "surrogatepass")
            found, end = _DECODER.raw_decode(text)  # no leading whitespace: the text starts with "{"
            if end == len(text) or not text[end:].strip(JSON_WHITESPACE):
                return found
            return None  # more after the object: not JSON, as json.loads would say
        return json.loads(content)
    except (ValueError, RecursionError):
        return None


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None
