"""`verify(body, headers, ...)`: is this delivery from 360dialog? One call, constant-time, one error type.

Two checks, either or both:
- a signature: HMAC-SHA256 of the raw body with a shared secret, in 360dialog's `x-360dialog-signature`
  or Meta's `X-Hub-Signature-256` (`sha256=<hex>`); hex or base64, with or without the `sha256=` prefix;
- required headers: the custom headers set with the webhook URL (`client.set_webhook(url, headers=...)`).
No secret or header value ever appears in an error message.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Iterable, Mapping
from typing import Any

from d360.errors import ConfigurationError, WebhookVerificationError

SIGNATURE_HEADERS = ("x-360dialog-signature", "x-hub-signature-256")
"""Where a signature is looked for, in this order, unless `signature_header` names one."""

HeadersLike = Mapping[str, str] | Mapping[bytes, bytes] | Iterable[tuple[bytes, bytes]] | Iterable[tuple[str, str]]


def sign(body: bytes, secret: str | bytes) -> str:
    """The signature of a body, as 360dialog sends it: the HMAC-SHA256 hex digest."""
    return hmac.new(_key(secret), body, hashlib.sha256).hexdigest()


def verify(
    body: bytes,
    headers: HeadersLike,
    *,
    secret: str | bytes | None = None,
    header: tuple[str, str] | Mapping[str, str] | None = None,
    signature_header: str | None = None,
) -> None:
    """Raise WebhookVerificationError unless the delivery passes every check asked for.

    `secret`: check the HMAC-SHA256 signature of `body` (the raw bytes, before any JSON parsing).
    `header`: a required header and its value, `("X-Partner-Auth", "...")`, or a mapping of several.
    `signature_header`: look for the signature only there (default: either header 360dialog or Meta use).
    """
    required = _required_headers(header)
    if secret is None and not required:
        raise ConfigurationError("verify() needs a secret, a required header, or both: otherwise it checks nothing")
    key = None if secret is None else _key(secret)
    if not isinstance(body, bytes | bytearray | memoryview):
        raise WebhookVerificationError(
            f"the body must be the raw bytes received (a signature covers exact bytes), not {type(body).__name__}"
        )
    received = normalize_headers(headers)
    for name, expected in required.items():
        value = received.get(name)
        if value is None:
            raise WebhookVerificationError(f"the required header {name!r} is missing")
        if not hmac.compare_digest(value.encode("utf-8", "surrogateescape"), expected.encode()):
            raise WebhookVerificationError(f"the required header {name!r} does not have the expected value")
    if key is not None:
        _check_signature(bytes(body), received, key, signature_header)


def normalize_headers(headers: Any) -> dict[str, str]:
    """Any header collection (a dict, Starlette's `Headers`, ASGI's byte pairs) as lowercase names to values."""
    items = headers.items() if isinstance(headers, Mapping) else headers
    normalized: dict[str, str] = {}
    for name, value in items:
        key = name.decode("latin-1") if isinstance(name, bytes) else str(name)
        text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
        normalized.setdefault(key.lower(), text)
    return normalized


def _check_signature(body: bytes, received: dict[str, str], key: bytes, signature_header: str | None) -> None:
    names = (signature_header.lower(),) if signature_header else SIGNATURE_HEADERS
    found = next((name for name in names if name in received), None)
    if found is None:
        raise WebhookVerificationError(
            f"no signature: the {' or '.join(repr(name) for name in names)} header is missing"
        )
    given = _digest_bytes(received[found].strip())
    expected = hmac.new(key, body, hashlib.sha256).digest()
    # compare_digest on equal-length inputs: a malformed signature is compared against zeros, taking as long.
    matches = hmac.compare_digest(given if given is not None else bytes(len(expected)), expected)
    if given is None or not matches:
        raise WebhookVerificationError(f"the signature in {found!r} does not match the body")


def _digest_bytes(text: str) -> bytes | None:
    """The 32 bytes a signature header holds, hex or base64, after an optional `sha256=`; None if neither."""
    if text[:7].lower() == "sha256=":
        text = text[7:]
    if len(text) == 64:
        try:
            return bytes.fromhex(text)
        except ValueError:
            return None
    try:
        decoded = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return decoded if len(decoded) == 32 else None


def _key(secret: str | bytes) -> bytes:
    if isinstance(secret, str):
        secret = secret.encode()
    if not isinstance(secret, bytes) or not secret:
        raise ConfigurationError("the webhook secret must be a non-empty string or bytes")
    return secret


def _required_headers(header: tuple[str, str] | Mapping[str, str] | None) -> dict[str, str]:
    if header is None:
        return {}
    pairs = header.items() if isinstance(header, Mapping) else [header]
    required: dict[str, str] = {}
    for pair in pairs:
        if not (isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(part, str) and part for part in pair)):
            raise ConfigurationError("a required header is a (name, value) pair of non-empty strings")
        required[pair[0].lower()] = pair[1]
    return required
