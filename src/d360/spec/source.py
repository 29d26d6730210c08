"""Reading the Messaging API spec from where upstream publishes it.

Upstream serves the OpenAPI document inside a docs page (a ```json fence in Markdown); this module turns
a file path or URL holding either that page or raw JSON into the spec, in one canonical JSON form. A
source is untrusted: reading it has a size cap and a deadline, and whatever goes wrong is one line.
"""

from __future__ import annotations

import json
import os
import re
import stat
import threading
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import httpx

JSON_FENCE = re.compile(r"^```json[ \t]*\n(.*?)\n```[ \t]*$", re.DOTALL | re.MULTILINE)
MAX_SPEC_BYTES = 16 * 1024 * 1024
"""The most a source may hold: upstream's docs pages are about 200 KB."""
FETCH_DEADLINE = 60.0
"""Seconds a source has, from the first byte asked for to the last byte read."""
MAX_REDIRECTS = 5
_CHUNK = 64 * 1024
_Result = TypeVar("_Result")


class SpecSourceError(Exception):
    """The spec could not be read, found or parsed; the message says which and why, in one line."""


class SpecFetchError(SpecSourceError):
    """The source could not be fetched: unreachable, an HTTP error, or no whole answer within the deadline.

    The one kind of source error worth trying again later: commands exit 3 for it, 2 for the others.
    """


def read_source(source: str | Path, *, deadline: float = FETCH_DEADLINE, max_bytes: int = MAX_SPEC_BYTES) -> str:
    """Return the text at a file path or an http(s) URL: at most `max_bytes`, within `deadline` seconds."""
    text_source = str(source)
    if text_source.startswith(("http://", "https://")):
        raw, charset = _within(
            deadline, f"cannot fetch {text_source}", lambda: _fetch(text_source, deadline, max_bytes)
        )
        return _decode(raw, charset, text_source)
    path = Path(text_source)
    raw = _within(deadline, f"cannot read {path}", lambda: _read_file(path, max_bytes))
    return _decode(raw, None, str(path))


def _within(deadline: float, what: str, work: Callable[[], _Result]) -> _Result:
    """`work()`, or SpecFetchError once `deadline` seconds have passed: no read, however slow, waits longer.

    The work runs in a daemon thread so that a source that stops answering mid-read (or a file system
    that hangs) cannot hold the caller; the thread ends by itself when its own timeouts fire.
    """
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # handed to the caller's thread below
            outcome["error"] = exc

    worker = threading.Thread(target=run, name="d360-spec-source", daemon=True)
    worker.start()
    worker.join(deadline)
    if worker.is_alive():
        raise SpecFetchError(f"{what}: not read whole within {deadline:g} s")
    if "error" in outcome:
        raise outcome["error"]
    value: _Result = outcome["value"]
    return value


def _fetch(url: str, deadline: float, max_bytes: int) -> tuple[bytes, str | None]:
    started = time.monotonic()
    try:
        with (
            httpx.Client(timeout=deadline, follow_redirects=True, max_redirects=MAX_REDIRECTS) as client,
            client.stream("GET", url, headers={"Accept-Encoding": "gzip, deflate"}) as response,
        ):
            if response.status_code != 200:
                raise SpecFetchError(f"cannot fetch {url}: HTTP {response.status_code}")
            body = _capped_body(response, url, max_bytes, started, deadline)
            return body, response.charset_encoding
    except httpx.HTTPError as exc:
        raise SpecFetchError(f"cannot fetch {url}: {exc or type(exc).__name__}") from None


def _capped_body(response: httpx.Response, url: str, max_bytes: int, started: float, deadline: float) -> bytes:
    """The answer's bytes, decompressed by us with a bound, so a small gzip bomb cannot fill memory."""
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding not in ("identity", "", "gzip", "x-gzip", "deflate"):
        raise SpecSourceError(f"{url} answered in the {encoding!r} encoding, which was not asked for")
    inflater = None if encoding in ("identity", "") else zlib.decompressobj(zlib.MAX_WBITS | 32)
    body = bytearray()
    try:
        for chunk in response.iter_raw(_CHUNK):
            data = chunk
            while data:
                if inflater is None:
                    body += data
                    data = b""
                else:
                    body += inflater.decompress(data, max_bytes + 1 - len(body))
                    data = inflater.unconsumed_tail
                if len(body) > max_bytes:
                    raise SpecSourceError(_too_large(url, max_bytes))
            if time.monotonic() - started > deadline:
                raise SpecFetchError(f"cannot fetch {url}: not read whole within {deadline:g} s")
    except zlib.error as exc:
        raise SpecSourceError(f"{url} sent a body that does not inflate: {exc}") from None
    return bytes(body)


def _read_file(path: Path, max_bytes: int) -> bytes:
    try:
        # O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever; it is refused below.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise SpecSourceError(f"no such file: {path}") from None
    except OSError as exc:
        raise SpecSourceError(f"cannot read {path}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise SpecSourceError(f"{path} is not a regular file")
    with os.fdopen(descriptor, "rb") as file:
        try:
            data = file.read(max_bytes + 1)
        except OSError as exc:
            raise SpecSourceError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise SpecSourceError(_too_large(str(path), max_bytes))
    return data


def _too_large(origin: str, max_bytes: int) -> str:
    return f"{origin} holds more than {max_bytes:,} bytes: too large for a spec page"


def _decode(raw: bytes, charset: str | None, origin: str) -> str:
    encoding = (charset or "utf-8").lower()
    try:
        text = raw.decode("utf-8-sig" if encoding in ("utf-8", "utf8") else encoding)
    except LookupError:
        raise SpecSourceError(f"{origin} declares the unknown charset {charset!r}") from None
    except UnicodeDecodeError as exc:
        raise SpecSourceError(f"{origin} is not valid {encoding}: byte {exc.start} cannot be read") from None
    return text


def parse_spec(text: str, *, origin: str = "source") -> dict[str, Any]:
    """Parse raw OpenAPI JSON, or the first ```json fence of a docs page that holds an OpenAPI document."""
    stripped = text.lstrip()
    if stripped.startswith("{"):
        return _load_json(stripped, origin)
    fences = JSON_FENCE.findall(text)
    if not fences:
        raise SpecSourceError(f"{origin} is neither OpenAPI JSON nor a docs page with a ```json fence")
    for fence in fences:
        document = _load_json(fence, f"the ```json fence in {origin}")
        if "openapi" in document:
            return document
    raise SpecSourceError(f"no ```json fence in {origin} holds an OpenAPI document (no 'openapi' key)")


def load_spec(source: str | Path, *, deadline: float = FETCH_DEADLINE) -> dict[str, Any]:
    """Read and parse the spec at a file path or URL, raw JSON or docs page."""
    return parse_spec(read_source(source, deadline=deadline), origin=str(source))


def canonical_json(spec: dict[str, Any]) -> str:
    """The one text form of a spec: sorted keys and two-space indents, so version bumps diff cleanly."""
    return json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _load_json(text: str, origin: str) -> dict[str, Any]:
    try:
        document = json.loads(text, object_pairs_hook=_no_repeated_keys, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise SpecSourceError(f"invalid JSON in {origin}: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except _RepeatedKey as exc:
        raise SpecSourceError(
            f"invalid JSON in {origin}: the key {exc.args[0]!r} appears twice in one object"
        ) from None
    except RecursionError:
        raise SpecSourceError(f"invalid JSON in {origin}: nested too deeply") from None
    except ValueError as exc:  # a number Python will not read (thousands of digits), NaN or Infinity
        raise SpecSourceError(f"invalid JSON in {origin}: {exc}") from None
    if not isinstance(document, dict):
        raise SpecSourceError(f"{origin} holds JSON, but not an object")
    return document


class _RepeatedKey(ValueError):
    pass


def _no_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object whose key repeats means two things at once; JSON parsers disagree on which one wins."""
    document = dict(pairs)
    if len(document) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _RepeatedKey(key)
            seen.add(key)
    return document


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")
