"""A client library for accessing Messaging API"""

from .client import AuthenticatedClient, Client

SPEC_VERSION = "1.44.0"
"""The `info.version` of the OpenAPI document this package was generated from."""

__all__ = (
    "SPEC_VERSION",
    "AuthenticatedClient",
    "Client",
)
