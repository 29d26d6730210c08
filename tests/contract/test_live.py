"""A small, rate-limited check against upstream's own sandbox; runs only with D360_SANDBOX_KEY set.

    D360_SANDBOX_KEY=... D360_SANDBOX_TO=4915112345678 make contract-live

Upstream's sandbox delivers only to the phone number its key was issued for (D360_SANDBOX_TO) and
allows a few hundred messages, so this sends three requests, a second apart.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest

import d360

LIVE_BASE_URL = os.environ.get("D360_SANDBOX_URL", "https://waba-sandbox.360dialog.io")
KEY = os.environ.get("D360_SANDBOX_KEY")
TO = os.environ.get("D360_SANDBOX_TO", "")

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(
        not KEY,
        reason="live contract tests need upstream's sandbox: set D360_SANDBOX_KEY (and D360_SANDBOX_TO, the "
        "number the key was issued for), then run `make contract-live`",
    ),
]


@pytest.fixture
def live_client() -> Iterator[d360.Client]:
    with d360.Client(api_key=KEY, base_url=LIVE_BASE_URL, max_retries=1) as client:
        yield client
    time.sleep(1.0)  # stay far below the sandbox's rate limit


def test_live_text_message_is_accepted(live_client: d360.Client) -> None:
    if not TO:
        pytest.skip("set D360_SANDBOX_TO to the phone number the sandbox key was issued for")
    result = live_client.send_text(TO, "d360 live contract test")
    assert result.message_id


def test_live_wrong_key_is_an_authentication_error() -> None:
    with (
        d360.Client(api_key="not-a-real-key", base_url=LIVE_BASE_URL, max_retries=0) as client,
        pytest.raises((d360.AuthenticationError, d360.PermissionDeniedError)),
    ):
        client.send_text(TO or "4915112345678", "d360 live contract test")


def test_live_upstream_refusal_is_a_typed_error(live_client: d360.Client) -> None:
    with pytest.raises(d360.APIStatusError):
        live_client.with_options(validate=False).send({"messaging_product": "whatsapp", "recipient_type": "individual",
                                                      "to": TO or "4915112345678", "type": "text", "text": {}})  # fmt: skip
