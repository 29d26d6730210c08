"""d360: a Python client for 360dialog's WhatsApp Messaging API."""

from d360_api import SPEC_VERSION

__all__ = ["SPEC_VERSION"]
