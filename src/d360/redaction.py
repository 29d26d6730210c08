"""Keeping the API key out of logs: redacted header dumps, and a filter for any handler.

d360 logs requests at DEBUG with `redacted_headers`; `SecretsFilter` masks a key that some other
library logs in the clear, for users who attach it to their handlers.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

SECRET_HEADERS = frozenset({"d360-api-key", "authorization", "proxy-authorization"})
REDACTED = "[REDACTED]"


def redacted_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {name: REDACTED if name.lower() in SECRET_HEADERS else value for name, value in headers.items()}


class SecretsFilter(logging.Filter):
    """Replaces each given secret in a record's rendered message with [REDACTED]."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = [secret for secret in secrets if secret]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(secret in message for secret in self._secrets):
            for secret in self._secrets:
                message = message.replace(secret, REDACTED)
            record.msg, record.args = message, None
        return True
