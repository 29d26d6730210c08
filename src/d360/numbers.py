"""One reader for whole numbers that come from outside: upstream's answers, webhooks, headers, a user's text.

`str.isdigit()` is true for "²" and "٣", which `int()` then refuses or reads as another digit, and `int()`
takes "+5", " 5 " and "5_000". Every place where outside text becomes an integer goes through
`read_int`: ASCII digits only (an optional leading "-" where a sign makes sense), and a length cap, so
a hostile value is None for the caller to keep as text or refuse with its own typed error.
"""

from __future__ import annotations

from typing import Any

MAX_DIGITS = 18
"""Digits a number from outside may have: every 18-digit number fits a signed 64-bit integer."""

_ASCII_DIGITS = frozenset("0123456789")


def read_int(value: Any, *, signed: bool = False, max_digits: int = MAX_DIGITS) -> int | None:
    """The whole number `value` holds, or None.

    Taken: an `int` (not a bool) and a string of 1 to `max_digits` ASCII digits, with one leading "-"
    when `signed`. Refused (None): everything else, white space, "+", "_", non-ASCII digits and a negative
    `int` when not `signed` included. An `int` is held to the same bounds as a string.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        if value < 0 and not signed:
            return None
        return value if abs(value) < 10**max_digits else None
    if not isinstance(value, str):
        return None
    digits = value[1:] if signed and value.startswith("-") else value
    if not digits or len(digits) > max_digits or not _ASCII_DIGITS.issuperset(digits):
        return None
    return int(value)
