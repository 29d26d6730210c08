"""d360.webhooks.verify: signatures good, bad, missing, with and without prefix; required headers; no secret leaks."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from d360 import ConfigurationError
from d360.webhooks import WebhookVerificationError, sign, verify

BODY = b'{"object":"whatsapp_business_account","entry":[]}'
SECRET = "platform-secret-\u00e9"
DIGEST = hmac.new(SECRET.encode(), BODY, hashlib.sha256)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("x-360dialog-signature", DIGEST.hexdigest()),
        ("X-360Dialog-Signature", DIGEST.hexdigest().upper()),
        ("x-360dialog-signature", "sha256=" + DIGEST.hexdigest()),
        ("x-360dialog-signature", base64.b64encode(DIGEST.digest()).decode()),
        ("X-Hub-Signature-256", "sha256=" + DIGEST.hexdigest()),
        ("X-Hub-Signature-256", DIGEST.hexdigest()),
    ],
)
def test_a_good_signature_passes_in_either_header_hex_or_base64_with_or_without_prefix(name: str, value: str) -> None:
    verify(BODY, {name: value}, secret=SECRET)


def test_sign_gives_what_verify_accepts() -> None:
    assert sign(BODY, SECRET) == DIGEST.hexdigest()
    verify(BODY, [(b"x-360dialog-signature", sign(BODY, SECRET).encode())], secret=SECRET.encode())


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({}, "header is missing"),
        ({"x-360dialog-signature": ""}, "does not match"),
        ({"x-360dialog-signature": "sha256=" + "0" * 64}, "does not match"),
        ({"x-360dialog-signature": sign(BODY + b" ", SECRET)}, "does not match"),
        ({"x-360dialog-signature": sign(BODY, "another secret")}, "does not match"),
        ({"x-360dialog-signature": "not hex at all, nor base64!"}, "does not match"),
        ({"x-360dialog-signature": DIGEST.hexdigest()[:-2]}, "does not match"),
    ],
)
def test_a_missing_or_bad_signature_is_a_typed_error_that_never_shows_the_secret(
    headers: dict[str, str], reason: str
) -> None:
    with pytest.raises(WebhookVerificationError, match=reason) as raised:
        verify(BODY, headers, secret=SECRET)
    assert SECRET not in str(raised.value) and DIGEST.hexdigest() not in str(raised.value)


def test_a_tampered_body_fails() -> None:
    with pytest.raises(WebhookVerificationError):
        verify(BODY.replace(b"[]", b"[{}]"), {"x-360dialog-signature": DIGEST.hexdigest()}, secret=SECRET)


def test_signature_header_restricts_where_the_signature_is_looked_for() -> None:
    headers = {"x-hub-signature-256": "sha256=" + DIGEST.hexdigest()}
    with pytest.raises(WebhookVerificationError, match="x-360dialog-signature"):
        verify(BODY, headers, secret=SECRET, signature_header="x-360dialog-signature")
    verify(BODY, headers, secret=SECRET, signature_header="X-Hub-Signature-256")


def test_required_custom_headers_are_checked_by_value_without_showing_it() -> None:
    verify(BODY, {"X-Partner-Auth": "s3cret"}, header=("x-partner-auth", "s3cret"))
    verify(BODY, {"a": "1", "b": "2"}, header={"A": "1", "B": "2"})
    with pytest.raises(WebhookVerificationError, match="'x-partner-auth' is missing"):
        verify(BODY, {}, header=("X-Partner-Auth", "s3cret"))
    with pytest.raises(WebhookVerificationError, match="expected value") as raised:
        verify(BODY, {"x-partner-auth": "guess"}, header=("X-Partner-Auth", "s3cret"))
    assert "s3cret" not in str(raised.value) and "guess" not in str(raised.value)


def test_header_and_secret_together_must_both_pass() -> None:
    good = {"x-partner-auth": "s3cret", "x-360dialog-signature": DIGEST.hexdigest()}
    verify(BODY, good, secret=SECRET, header=("X-Partner-Auth", "s3cret"))
    with pytest.raises(WebhookVerificationError):
        verify(BODY, {**good, "x-360dialog-signature": "0" * 64}, secret=SECRET, header=("X-Partner-Auth", "s3cret"))


@pytest.mark.parametrize(
    "options",
    [{}, {"secret": ""}, {"header": ("", "x")}, {"header": ("name",)}, {"header": {"name": 1}}],
)
def test_settings_that_check_nothing_or_cannot_work_are_configuration_errors(options: dict[str, object]) -> None:
    with pytest.raises(ConfigurationError):
        verify(BODY, {"x-360dialog-signature": DIGEST.hexdigest(), "name": "x"}, **options)  # type: ignore[arg-type]


def test_a_parsed_body_is_refused_since_a_signature_covers_exact_bytes() -> None:
    with pytest.raises(WebhookVerificationError, match="raw bytes"):
        verify({"object": "x"}, {"x-360dialog-signature": DIGEST.hexdigest()}, secret=SECRET)  # type: ignore[arg-type]
