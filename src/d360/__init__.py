"""d360: a Python client for 360dialog's WhatsApp Messaging API.

import d360
with d360.Client() as client:          # the key from D360_API_KEY
    result = client.send_text("4915112345678", "Hello")
    print(result.message_id)
"""

from d360_api import SPEC_VERSION

from d360 import messages, templates
from d360.bulk import SendOutcome
from d360.client import AsyncClient, Client
from d360.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientStateError,
    ConfigurationError,
    D360Error,
    NotFoundError,
    PermissionDeniedError,
    Problem,
    RateLimitError,
    ServerError,
    UnexpectedResponseError,
    ValidationError,
    WebhookPayloadError,
    WebhookVerificationError,
)
from d360.redaction import SecretsFilter
from d360.responses import SendResult, WebhookConfig
from d360.retry import RetryPolicy
from d360.validation import validate_message

__all__ = [
    "SPEC_VERSION",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncClient",
    "AuthenticationError",
    "BadRequestError",
    "Client",
    "ClientStateError",
    "ConfigurationError",
    "D360Error",
    "NotFoundError",
    "PermissionDeniedError",
    "Problem",
    "RateLimitError",
    "RetryPolicy",
    "SecretsFilter",
    "SendOutcome",
    "SendResult",
    "ServerError",
    "UnexpectedResponseError",
    "ValidationError",
    "WebhookConfig",
    "WebhookPayloadError",
    "WebhookVerificationError",
    "messages",
    "templates",
    "validate_message",
    "webhooks",
]


def __getattr__(name: str) -> object:
    # `d360.webhooks` without importing it (and what it imports) for every user who only sends.
    if name == "webhooks":
        import importlib

        return importlib.import_module("d360.webhooks")
    raise AttributeError(f"module 'd360' has no attribute {name!r}")
