"""Outside text shown to a person: nothing a terminal or a Markdown page would obey, nothing it cannot print.

A spec, upstream's answers and webhooks are untrusted input: their text reaches the change report, the
CHANGELOG, error lines and every command's output. This is the one `terminal_safe` of d360: every `d360`
command shows outside text through it (`d360.cli.common.say` and the error line), and `scripts/regen.py`
loads this module by path (it cannot import d360's CLI). It imports nothing but `re` and `unicodedata`.
"""

from __future__ import annotations

import re
import unicodedata

# Control characters (Cc), invisible formatting such as bidirectional overrides (Cf), lone surrogates
# (Cs, which no terminal encoding can print) and the Unicode line and paragraph separators.
_UNSHOWABLE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_BACKTICKS = re.compile(r"`+")


def terminal_safe(text: str) -> str:
    """Every character a terminal would obey, or could not print, shown as its escape (`\\x1b`, `\\u202e`)."""
    if text.isprintable():
        return text
    return "".join(
        _escape(character) if unicodedata.category(character) in _UNSHOWABLE else character for character in text
    )


def terminal_safe_json(text: str) -> str:
    """JSON text (`json.dumps(..., ensure_ascii=False)`) with every character `terminal_safe` escapes written
    as its JSON escape (`\\u001b`, `\\udc80`): the same JSON, read back to the very same characters, and
    nothing a terminal would obey. Such characters only occur inside JSON strings, where an escape is valid."""
    if text.isprintable():
        return text
    return "".join(
        _json_escape(character) if unicodedata.category(character) in _UNSHOWABLE else character for character in text
    )


def _json_escape(character: str) -> str:
    code = ord(character)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000  # beyond the BMP: JSON writes the UTF-16 pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def _escape(character: str) -> str:
    code = ord(character)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def one_line(text: str, limit: int = 300) -> str:
    """A message for one line: white space folded, the unshowable escaped, cut at `limit` characters."""
    folded = terminal_safe(" ".join(text.split()))
    return folded if len(folded) <= limit else folded[: limit - 3] + "..."


def markdown_code(text: str) -> str:
    """`text` as a Markdown code span that no backtick inside it can close, on one line."""
    shown = terminal_safe(text)
    longest = max((len(run) for run in _BACKTICKS.findall(shown)), default=0)
    fence = "`" * (longest + 1)
    padding = " " if shown.startswith("`") or shown.endswith("`") or not shown.strip() else ""
    return f"{fence}{padding}{shown}{padding}{fence}"
