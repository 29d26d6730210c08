"""d360: a Python client for 360dialog's WhatsApp Messaging API.

import d360
with d360.Client() as client:          # the key from D360_API_KEY
    result = client.send_text("4915112345678", "Hello")
    print(result.message_id)
"""

from typing import TYPE_CHECKING

from d360 import messages, templates
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
    TemplateMismatchError,
    TemplateNotFoundError,
    UnexpectedResponseError,
    ValidationError,
    WebhookPayloadError,
    WebhookVerificationError,
)
from d360.redaction import SecretsFilter
from d360.responses import SendResult, WebhookConfig
from d360.retry import RetryPolicy
from d360.validation import validate_message

if TYPE_CHECKING:
    from d360_api import SPEC_VERSION

    from d360 import webhooks
    from d360.concurrency import SendOutcome
    from d360.resources.template_rules import validate_template
    from d360.resources.templates import AsyncTemplates, LibraryTemplate, Template, Templates

    __version__: str

__all__ = [
    "SPEC_VERSION",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncClient",
    "AsyncTemplates",
    "AuthenticationError",
    "BadRequestError",
    "Client",
    "ClientStateError",
    "ConfigurationError",
    "D360Error",
    "LibraryTemplate",
    "NotFoundError",
    "PermissionDeniedError",
    "Problem",
    "RateLimitError",
    "RetryPolicy",
    "SecretsFilter",
    "SendOutcome",
    "SendResult",
    "ServerError",
    "Template",
    "TemplateMismatchError",
    "TemplateNotFoundError",
    "Templates",
    "UnexpectedResponseError",
    "ValidationError",
    "WebhookConfig",
    "WebhookPayloadError",
    "WebhookVerificationError",
    "messages",
    "templates",
    "validate_message",
    "validate_template",
    "webhooks",
]


# Imported on first use, not by `import d360`: a sender needs none of them (measured in `make bench`).
_LAZY = {
    "SPEC_VERSION": ("d360_api", "SPEC_VERSION"),
    "SendOutcome": ("d360.concurrency", "SendOutcome"),
    "Template": ("d360.resources.templates", "Template"),
    "LibraryTemplate": ("d360.resources.templates", "LibraryTemplate"),
    "Templates": ("d360.resources.templates", "Templates"),
    "AsyncTemplates": ("d360.resources.templates", "AsyncTemplates"),
    "validate_template": ("d360.resources.template_rules", "validate_template"),
    "webhooks": ("d360.webhooks", None),
}


_DISTRIBUTION = "d360-messaging"


def __getattr__(name: str) -> object:
    if name == "__version__":
        value: object = _installed_version()
    elif name in _LAZY:
        import importlib

        module_name, attribute = _LAZY[name]
        module = importlib.import_module(module_name)
        value = module if attribute is None else getattr(module, attribute)
    else:
        raise AttributeError(f"module 'd360' has no attribute {name!r}")
    globals()[name] = value  # found directly from now on
    return value


def _installed_version() -> str:
    """The installed distribution's version, as pyproject.toml says it (scripts/regen.sh keeps it in step
    with the spec): read from its metadata when first asked for, so `import d360` does not pay for it."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(_DISTRIBUTION)
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "0+unknown"
