"""Checking a webhook configuration before `set_webhook` sends it: the URL and headers upstream takes.

Upstream's rules for the Cloud API: an https URL whose host has no underscore and no port (360dialog
docs, "Multiple Webhooks per Phone Number"). A sandbox on this machine takes any local http URL.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from d360.errors import Problem, ValidationError

MAX_URL_LENGTH = 2048


def webhook_config_body(url: Any, headers: Any, *, upstream_rules: bool) -> bytes:
    """The JSON body for POST /v1/configs/webhook, or ValidationError naming every problem."""
    problems = [*_url_problems(url, upstream_rules), *_header_problems(headers)]
    if problems:
        raise ValidationError(problems, subject="webhook configuration")
    body: dict[str, Any] = {"url": url}
    if headers:
        body["headers"] = dict(headers)
    return json.dumps(body, ensure_ascii=False).encode()


def _url_problems(url: Any, upstream_rules: bool) -> list[Problem]:
    if not isinstance(url, str) or not url:
        return [Problem("$.url", f"must be a non-empty string, not {url!r}")]
    if len(url) > MAX_URL_LENGTH or any(ord(character) < 33 for character in url):
        return [Problem("$.url", f"must be one URL of at most {MAX_URL_LENGTH} characters, with no spaces")]
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return [Problem("$.url", f"is not a URL: {exc}")]
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return [Problem("$.url", f"must be an absolute http(s) URL with a host, not {url!r}")]
    if not upstream_rules:
        return []
    problems = []
    if parts.scheme != "https":
        problems.append(Problem("$.url", "must use https: upstream posts webhooks over TLS only"))
    if "_" in parts.hostname:
        problems.append(Problem("$.url", f"host {parts.hostname!r} has an underscore, which upstream refuses"))
    if port is not None:
        problems.append(Problem("$.url", f"has a port ({port}); upstream posts to the default https port only"))
    return problems


def _header_problems(headers: Any) -> list[Problem]:
    if headers is None:
        return []
    if not isinstance(headers, Mapping):
        return [Problem("$.headers", f"must be a mapping of header names to values, not {type(headers).__name__}")]
    problems = []
    for name, value in headers.items():
        if (
            not isinstance(name, str)
            or not name
            or not all(33 <= ord(c) < 127 and c not in '()<>@,;:\\"/[]?={}' for c in name)
        ):
            problems.append(Problem("$.headers", f"{name!r} is not a valid header name"))
        elif not isinstance(value, str) or any(character in value for character in "\r\n\0"):
            problems.append(Problem(f"$.headers.{name}", "must be a string on one line"))
    return problems
