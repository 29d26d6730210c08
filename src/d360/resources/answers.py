"""Reading upstream's answers defensively, for every resource: a field of the wrong type is None (or empty),
and a 2xx answer that is not a JSON object raises `UnexpectedResponseError`, never a KeyError."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from d360.errors import UnexpectedResponseError
from d360.numbers import read_int
from d360.responses import _json_or_none, request_id_of, snippet


def text(value: Any) -> str | None:
    """A string field; an id sent as a number is taken as its decimal text."""
    if isinstance(value, str):
        return value
    number = read_int(value, signed=True, max_digits=30)
    return str(number) if number is not None else None


def texts(value: Any) -> tuple[str, ...]:
    """A list of strings; one value sent bare, or comma-separated, as some listings do, is split."""
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    return tuple(found for item in value if (found := text(item)) is not None) if isinstance(value, list) else ()


def json_object(status_code: int, headers: Mapping[str, str], content: bytes, what: str) -> Mapping[str, Any]:
    """The answer's JSON object, or UnexpectedResponseError saying `what` was missing."""
    body = _json_or_none(content)
    if not isinstance(body, Mapping):
        raise UnexpectedResponseError(
            f"HTTP {status_code} without {what}: {snippet(content)!r}",
            status_code=status_code,
            body=body if body is not None else snippet(content),
            request_id=request_id_of(headers, body),
        )
    return body
