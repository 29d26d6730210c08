"""Text from a spec, shown to a person: one line, nothing a terminal or a Markdown page would obey.

A spec is untrusted input: its names and descriptions reach the change report, error lines and the
CHANGELOG. `scripts/regen.py` loads this module by path (it cannot import d360's CLI), so the CLI and
the regeneration share these helpers from here.
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
