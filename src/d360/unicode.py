"""Whether outside text can be written as UTF-8, and how it is written when it cannot. Python strings
may hold lone surrogates (half of an emoji, from JSON's `\\ud83d` or from argv bytes that are not UTF-8),
which a URL, a JSON answer, a database or a file cannot carry."""

from __future__ import annotations


def utf8_encodable(text: str) -> bool:
    """False when `text` holds a lone surrogate; ASCII, the common case, is answered without encoding."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def utf8_escaped(text: str) -> str:
    """`text` as UTF-8 can carry it: a lone surrogate is spelled as its escape (`\\ud83d`), any other text
    is returned as it is."""
    return text if utf8_encodable(text) else text.encode("utf-8", "backslashreplace").decode("utf-8")
