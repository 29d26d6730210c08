"""Reading JSON that a user hands d360 (`validate`, `send json`, `bulk`): one reader, so they all agree.

UTF-8 only, with or without a byte-order mark; no lone surrogates (UTF-8 cannot carry them, so such a
message could never be sent); numbers too long or nesting too deep are refused with a clear reason,
never a RecursionError or a ValueError from deep inside `json`. What d360 receives rather than sends
(a webhook: `received=True`) is kept instead, lone surrogates and over-long integers included.
`lone_surrogates` says where a parsed document holds one (template definitions, the sandbox's bodies).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

UTF8_BOM = "\ufeff"
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")
"""A surrogate code point in a `str` is always alone: JSON reads an escaped pair as one character."""
LONE_SURROGATE_REASON = "which UTF-8 cannot carry: half of an emoji, say"


class JSONInputError(ValueError):
    """The text is not JSON d360 can send; the message says why, in one line."""


def decode_text(raw: bytes, *, where: str = "the input") -> str:
    """UTF-8 bytes as text, a leading byte-order mark dropped; anything else refused, naming the byte."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        hint = " (it looks like UTF-16)" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else ""
        raise JSONInputError(
            f"{where} is not UTF-8{hint}: byte {exc.start} is {raw[exc.start : exc.start + 1]!r}; save it as UTF-8"
        ) from None
    return text.removeprefix(UTF8_BOM)


def loads(text: str, *, received: bool = False) -> Any:
    """Parse one JSON document, or raise JSONInputError with the reason (and where, for syntax errors).

    `received`: the text came from upstream (a webhook), and nothing valid JSON can say is refused: a
    lone surrogate (`"\\ud83d"`, half an emoji) is kept as it is, and an integer too long for Python's
    `int` is kept as its digits, a string. Only invalid JSON and nesting too deep are still refused.
    """
    try:
        document = json.loads(text.removeprefix(UTF8_BOM))
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}" if exc.lineno > 1 else f"column {exc.colno}"
        raise JSONInputError(f"not valid JSON: {exc.msg} at {where}") from None
    except RecursionError:
        raise JSONInputError("not usable JSON: nested too deeply") from None
    except ValueError as exc:  # an integer of thousands of digits, among others
        if not received:
            raise JSONInputError(f"not usable JSON: {exc}") from None
        # Read again, slowly, only for such a document: each integer Python refuses is kept as its digits.
        try:
            document = json.loads(text.removeprefix(UTF8_BOM), parse_int=_integer_or_digits)
        except RecursionError:
            raise JSONInputError("not usable JSON: nested too deeply") from None
    if not received and _ESCAPED_SURROGATE.search(text):
        try:
            json.dumps(document, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as exc:
            raise JSONInputError(
                f"holds a lone surrogate ({exc.object[exc.start : exc.end]!a}), which UTF-8 cannot carry"
            ) from None
        except RecursionError:
            raise JSONInputError("not usable JSON: nested too deeply") from None
    return document


def _integer_or_digits(digits: str) -> int | str:
    try:
        return int(digits)
    except ValueError:  # longer than sys.get_int_max_str_digits()
        return digits


class LoneSurrogate(NamedTuple):
    path: str
    """Where, as d360's problems say it: `$.components[0].text`."""
    character: str
    in_key: bool
    """The key at `path` holds it, not the value."""


def lone_surrogates(document: Any) -> list[LoneSurrogate]:
    """Every text of a document (strings and keys, at any depth) holding a lone surrogate, in document order.

    JSON can write one (`"\\ud83d"`), UTF-8 cannot carry it: whatever keeps such a document cannot answer
    it again. Each container is looked into once, so a document made in Python that holds itself ends too.
    """
    found: list[LoneSurrogate] = []
    # (path, a value to look into) or (path, a key's surrogate), popped in document order.
    stack: list[tuple[str, Any, str | None]] = [("$", document, None)]
    seen: set[int] = set()
    while stack:
        path, value, key_surrogate = stack.pop()
        if key_surrogate is not None:
            found.append(LoneSurrogate(path, key_surrogate, in_key=True))
        elif isinstance(value, str):
            character = _surrogate_in(value)
            if character is not None:
                found.append(LoneSurrogate(path, character, in_key=False))
        elif isinstance(value, Mapping | list | tuple) and id(value) not in seen:
            seen.add(id(value))
            children: list[tuple[str, Any, str | None]] = []
            if isinstance(value, Mapping):
                for key, item in value.items():
                    where = f"{path}.{str(key).encode('utf-8', 'backslashreplace').decode('utf-8')}"
                    character = _surrogate_in(key) if isinstance(key, str) else None
                    if character is not None:
                        children.append((where, None, character))
                    children.append((where, item, None))
            else:
                children = [(f"{path}[{index}]", item, None) for index, item in enumerate(value)]
            stack.extend(reversed(children))
    return found


def _surrogate_in(text: str) -> str | None:
    match = None if text.isascii() else _SURROGATE.search(text)
    return None if match is None else match.group()
