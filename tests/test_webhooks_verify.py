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


# Exact words, and the edges of each check.


def reason(body: object, headers: object, **options: object) -> str:
    with pytest.raises(WebhookVerificationError) as raised:
        verify(body, headers, **options)  # type: ignore[arg-type]
    return str(raised.value)


def test_sign_is_hmac_sha256_as_rfc_4231_defines_it() -> None:
    # RFC 4231, test case 2.
    assert sign(b"what do ya want for nothing?", b"Jefe") == (
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    )


def test_each_failure_says_exactly_what_failed() -> None:
    assert reason(BODY, {}, secret=SECRET) == (
        "no signature: the 'x-360dialog-signature' or 'x-hub-signature-256' header is missing"
    )
    assert reason(BODY, {}, secret=SECRET, signature_header="X-Custom-Sig") == (
        "no signature: the 'x-custom-sig' header is missing"
    )
    assert reason(BODY, {"X-Hub-Signature-256": "sha256=00"}, secret=SECRET) == (
        "the signature in 'x-hub-signature-256' does not match the body"
    )
    assert reason(BODY, {}, header=("X-Partner-Auth", "t")) == "the required header 'x-partner-auth' is missing"
    assert reason(BODY, {"x-partner-auth": "u"}, header=("X-Partner-Auth", "t")) == (
        "the required header 'x-partner-auth' does not have the expected value"
    )
    assert reason("{}", {}, secret=SECRET) == (
        "the body must be the raw bytes received (a signature covers exact bytes), not str"
    )


def test_360dialogs_header_is_read_before_metas_when_both_came() -> None:
    both = {"x-hub-signature-256": "sha256=" + DIGEST.hexdigest(), "x-360dialog-signature": "0" * 64}
    assert reason(BODY, both, secret=SECRET) == "the signature in 'x-360dialog-signature' does not match the body"
    verify(BODY, {**both, "x-360dialog-signature": DIGEST.hexdigest()}, secret=SECRET)


@pytest.mark.parametrize(
    "value",
    [
        "SHA256=" + DIGEST.hexdigest(),
        "  " + DIGEST.hexdigest() + " ",
        "sha256=" + base64.b64encode(DIGEST.digest()).decode(),
    ],
    ids=["an upper-case prefix", "spaces around", "base64 after the prefix"],
)
def test_signatures_as_senders_write_them_pass(value: str) -> None:
    verify(BODY, {"x-360dialog-signature": value}, secret=SECRET)
    verify(bytearray(BODY), {"x-360dialog-signature": value}, secret=SECRET)
    verify(memoryview(BODY), {"x-360dialog-signature": value}, secret=SECRET)


@pytest.mark.parametrize(
    "value",
    [
        base64.b64encode(DIGEST.digest()[:31]).decode(),
        base64.b64encode(DIGEST.digest() + b"\0").decode(),
        "g" * 64,
        "sha256=" + DIGEST.hexdigest() + "00",
    ],
    ids=["31 bytes", "33 bytes", "64 characters that are not hex", "66 hex characters"],
)
def test_a_signature_of_the_wrong_size_or_alphabet_does_not_match(value: str) -> None:
    assert reason(BODY, {"x-360dialog-signature": value}, secret=SECRET).endswith("does not match the body")


def test_headers_in_any_form_are_read_alike_the_first_of_a_repeated_one_counting() -> None:
    from d360.webhooks.verify import normalize_headers

    assert normalize_headers([(b"X-A", b"caf\xe9"), (b"x-a", b"second")]) == {"x-a": "café"}
    assert normalize_headers({"X-B": "1"}) == {"x-b": "1"}
    assert normalize_headers([("X-C", 2)]) == {"x-c": "2"}


def test_several_required_headers_are_each_checked_by_name_in_any_case() -> None:
    required = {"X-One": "1", "x-two": "2"}
    verify(BODY, {"x-one": "1", "X-TWO": "2"}, header=required)
    assert reason(BODY, {"x-one": "1"}, header=required) == "the required header 'x-two' is missing"
    assert reason(BODY, {"x-one": "1", "x-two": "2 "}, header=required) == (
        "the required header 'x-two' does not have the expected value"
    )


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({}, "verify() needs a secret, a required header, or both: otherwise it checks nothing"),
        ({"secret": ""}, "the webhook secret must be a non-empty string or bytes"),
        ({"secret": 5}, "the webhook secret must be a non-empty string or bytes"),
        ({"header": ("X-A", "")}, "a required header is a (name, value) pair of non-empty strings"),
        ({"header": ("X-A", "1", "2")}, "a required header is a (name, value) pair of non-empty strings"),
        ({"header": {"X-A": 1}}, "a required header is a (name, value) pair of non-empty strings"),
    ],
)
def test_settings_that_cannot_work_say_why(options: dict[str, object], words: str) -> None:
    with pytest.raises(ConfigurationError) as raised:
        verify(BODY, {}, **options)  # type: ignore[arg-type]
    assert str(raised.value) == words


def test_a_base64_signature_with_stray_characters_is_refused_not_cleaned() -> None:
    encoded = base64.b64encode(DIGEST.digest()).decode()
    stray = encoded[:10] + "!" + encoded[10:]  # a lenient decoder would drop the "!" and accept it
    assert reason(BODY, {"x-360dialog-signature": stray}, secret=SECRET).endswith("does not match the body")


def test_a_header_value_that_is_not_text_is_a_mismatch_not_a_crash() -> None:
    undecodable = b"\xff".decode("utf-8", "surrogateescape")  # as os.fsdecode would give it
    assert reason(BODY, {"x-partner-auth": undecodable}, header=("X-Partner-Auth", "t")) == (
        "the required header 'x-partner-auth' does not have the expected value"
    )
