"""`client.encryption` (the business public key Flows use) through both clients, and the sandbox's key."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import d360
from d360 import sandbox
from d360.resources.encryption import BusinessPublicKey, key_problems
from tests.scripted_server import Reply, ScriptedServer

KEYS = Path(__file__).parent / "fixtures" / "keys"
RSA = (KEYS / "rsa_public.pem").read_text()
"""A 2048-bit RSA public key (openssl rsa -pubout): SubjectPublicKeyInfo."""
RSA_PKCS1 = (KEYS / "rsa_public_pkcs1.pem").read_text()
"""The same key as PKCS#1 (openssl rsa -RSAPublicKey_out)."""
EC = (KEYS / "ec_public.pem").read_text()
"""A P-256 public key: PEM, but not RSA."""
PRIVATE = "-----BEGIN " + "PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END " + "PRIVATE KEY-----\n"


@pytest.fixture(scope="module")
def served() -> Iterator[sandbox.RunningSandbox]:
    with sandbox.running() as running:
        yield running


@pytest.fixture(autouse=True)
def no_key(served: sandbox.RunningSandbox) -> None:
    served.sandbox.encryption.reset()


def client(served: sandbox.RunningSandbox) -> d360.Client:
    return d360.Client(api_key=served.api_key, base_url=served.base_url)


def test_upload_and_get_through_the_blocking_client(served: sandbox.RunningSandbox) -> None:
    with client(served) as blocking:
        assert blocking.encryption.get() == BusinessPublicKey()  # no key yet
        assert blocking.encryption.upload(KEYS / "rsa_public.pem") is None
        key = blocking.encryption.get()
        assert (key.public_key, key.signature_status, key.valid) == (RSA, "VALID", True)
        served.sandbox.encryption.set_status("MISMATCH")
        assert blocking.encryption.get(["business_public_key_signature_status"]) == BusinessPublicKey(
            signature_status="MISMATCH"
        )
        assert not blocking.encryption.get().valid
        blocking.encryption.upload(RSA_PKCS1.encode())  # a new upload is signed again
        assert blocking.encryption.get() == BusinessPublicKey(RSA_PKCS1, "VALID")
    assert served.sandbox.encryption.public_key == RSA_PKCS1


def test_upload_and_get_through_the_async_client(served: sandbox.RunningSandbox) -> None:
    async def run() -> BusinessPublicKey:
        async with d360.AsyncClient(api_key=served.api_key, base_url=served.base_url) as awaiting:
            await awaiting.encryption.upload(RSA)
            return await awaiting.encryption.get()

    assert asyncio.run(run()) == BusinessPublicKey(RSA, "VALID")


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (EC, "is an EC key, not an RSA public key"),
        (PRIVATE, "is a private key: upload only its public key"),
        ("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA", "is not in PEM format"),
        ("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----", "is a PEM CERTIFICATE, not a PUBLIC KEY"),
        ("-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----", "is not a PEM key: its body is not base64"),
        (RSA.replace("eQIDAQAB", "eQID"), "is not a readable RSA public key"),
        ("-----BEGIN PUBLIC KEY-----\nMAA=\n-----END PUBLIC KEY-----", "is not a readable RSA public key"),
        (RSA + "x" * 17000, "is larger than 16384 bytes"),
        (b"\xff\xfe", "is not PEM text"),
        (42, "must be PEM text, bytes or a path, not int"),
        (Path("/nonexistent/public.pem"), "cannot be read"),
    ],
)
def test_a_key_that_is_not_an_rsa_public_key_is_refused_before_sending(
    served: sandbox.RunningSandbox, key: Any, expected: str
) -> None:
    with client(served) as blocking, pytest.raises(d360.ValidationError) as refused:
        blocking.encryption.upload(key)
    assert str(refused.value.problems[0]).startswith(f"$.business_public_key: {expected}"), refused.value.problems
    assert served.sandbox.encryption.public_key is None


def test_the_async_client_refuses_before_sending_too(served: sandbox.RunningSandbox) -> None:
    async def run() -> None:
        async with d360.AsyncClient(api_key=served.api_key, base_url=served.base_url) as awaiting:
            await awaiting.encryption.upload(EC)

    with pytest.raises(d360.ValidationError, match="not an RSA public key"):
        asyncio.run(run())
    assert served.sandbox.encryption.public_key is None


def test_unknown_fields_are_refused_before_sending(served: sandbox.RunningSandbox) -> None:
    with client(served) as blocking, pytest.raises(d360.ValidationError, match=r"\$.fields\[0\]: must be one of"):
        blocking.encryption.get(["key"])


def test_without_validation_the_sandbox_refuses_what_upstream_would_and_a_private_key_is_never_sent(
    served: sandbox.RunningSandbox,
) -> None:
    unchecked = d360.Client(api_key=served.api_key, base_url=served.base_url, validate=False)
    with unchecked:
        with pytest.raises(d360.BadRequestError, match="is an EC key, not an RSA public key"):
            unchecked.encryption.upload(EC)
        with pytest.raises(d360.ValidationError, match="is a private key"):
            unchecked.encryption.upload(PRIVATE)
    assert served.sandbox.encryption.public_key is None


def test_the_sandbox_takes_a_url_encoded_form_and_refuses_other_bodies(served: sandbox.RunningSandbox) -> None:
    headers = {"D360-API-KEY": served.api_key}
    url = f"{served.base_url}/whatsapp_business_encryption"
    assert httpx.post(url, data={"business_public_key": RSA}, headers=headers).json() == {"success": True}
    assert served.sandbox.encryption.public_key == RSA
    assert httpx.post(url, json={"business_public_key": RSA}, headers=headers).status_code == 400
    assert httpx.post(url, data={"key": RSA}, headers=headers).status_code == 400
    assert httpx.post(url, files={"business_public_key": ("k.pem", RSA.encode())}, headers=headers).status_code == 400
    assert httpx.get(url, params={"fields": "business_public_key,nope"}, headers=headers).status_code == 400
    assert httpx.get(url).status_code == 401


def test_reset_forgets_the_key(served: sandbox.RunningSandbox) -> None:
    with client(served) as blocking:
        blocking.encryption.upload(RSA)
    served.sandbox.reset()
    assert (served.sandbox.encryption.public_key, served.sandbox.encryption.signature_status) == (None, None)


def test_the_upload_is_a_multipart_form_and_unknown_values_are_kept(server: ScriptedServer) -> None:
    server.script(
        Reply(200, {"success": True}),
        Reply(200, {"data": [{"business_public_key": RSA, "business_public_key_signature_status": "REVOKED"}]}),
        Reply(200, {"success": False}),
        Reply(200, {"key": RSA}),
    )
    with d360.Client(api_key="k", base_url=server.base_url) as blocking:
        blocking.encryption.upload(RSA)
        newer = blocking.encryption.get()
        assert (newer.signature_status, newer.valid) == ("REVOKED", False)
        with pytest.raises(d360.UnexpectedResponseError, match="was not uploaded"):
            blocking.encryption.upload(RSA)
        with pytest.raises(d360.UnexpectedResponseError, match="without the business public key"):
            blocking.encryption.get()
    upload = server.requests[0]
    content_type = upload.headers["Content-Type"]
    assert content_type.startswith("multipart/form-data; boundary=d360-")
    boundary = content_type.split("boundary=")[1]
    assert upload.body.startswith(f"--{boundary}\r\n".encode())
    assert b'name="business_public_key"' in upload.body and RSA.encode() in upload.body
    assert server.requests[1].path == (
        "/whatsapp_business_encryption?fields=business_public_key%2Cbusiness_public_key_signature_status"
    )


def test_the_check_takes_both_rsa_pem_forms_and_nothing_else() -> None:
    assert key_problems(RSA) == [] and key_problems(RSA_PKCS1) == []
    assert key_problems("  \n" + RSA + "\n\n") == []  # surrounding whitespace, as a file has
    assert key_problems(RSA.replace("\n", "\r\n")) == []
    assert key_problems(EC) != []


def test_the_sandboxs_answers_fit_the_effective_spec_and_survive_the_generated_models(
    served: sandbox.RunningSandbox,
) -> None:
    from d360_api.models import GetBusinessPublicKeyResponse, SetBusinessPublicKeyResponse

    from d360.validation import schema_problems

    headers = {"D360-API-KEY": served.api_key}
    url = f"{served.base_url}/whatsapp_business_encryption"
    empty = httpx.get(url, headers=headers).json()
    uploaded = httpx.post(url, data={"business_public_key": RSA}, headers=headers).json()
    served.sandbox.encryption.set_status("MISMATCH")
    read = httpx.get(url, headers=headers).json()
    assert schema_problems(uploaded, "whatsapp_business_encryption.SetBusinessPublicKeyResponse") == []
    assert SetBusinessPublicKeyResponse.from_dict(uploaded).to_dict() == uploaded
    for body in (empty, read):
        assert schema_problems(body, "whatsapp_business_encryption.GetBusinessPublicKeyResponse") == [], body
        assert GetBusinessPublicKeyResponse.from_dict(body).to_dict() == body
