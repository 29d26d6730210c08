"""Reading the Messaging API spec from where upstream publishes it.

Upstream serves the OpenAPI document inside a docs page (a ```json fence in Markdown); this module turns
a file path or URL holding either that page or raw JSON into the spec, in one canonical JSON form.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx

JSON_FENCE = re.compile(r"^```json[ \t]*\n(.*?)\n```[ \t]*$", re.DOTALL | re.MULTILINE)


class SpecSourceError(Exception):
    """The spec could not be read, found or parsed; the message says which and why, in one line."""


def read_source(source: str | Path, *, timeout: float = 30.0) -> str:
    """Return the text at a file path or an http(s) URL."""
    text_source = str(source)
    if text_source.startswith(("http://", "https://")):
        try:
            response = httpx.get(text_source, timeout=timeout, follow_redirects=True)
        except httpx.HTTPError as exc:
            raise SpecSourceError(f"cannot fetch {text_source}: {exc or type(exc).__name__}") from exc
        if response.status_code != 200:
            raise SpecSourceError(f"cannot fetch {text_source}: HTTP {response.status_code}")
        return response.text
    path = Path(text_source)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecSourceError(f"no such file: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecSourceError(f"cannot read {path}: {exc}") from exc


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


def load_spec(source: str | Path) -> dict[str, Any]:
    """Read and parse the spec at a file path or URL, raw JSON or docs page."""
    return parse_spec(read_source(source), origin=str(source))


def canonical_json(spec: dict[str, Any]) -> str:
    """The one text form of a spec: sorted keys and two-space indents, so version bumps diff cleanly."""
    return json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _load_json(text: str, origin: str) -> dict[str, Any]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SpecSourceError(f"invalid JSON in {origin}: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    if not isinstance(document, dict):
        raise SpecSourceError(f"{origin} holds JSON, but not an object")
    return document
