"""`client.encryption`: the business public key WhatsApp Flows encrypt their data with, and its signature status.

    client.encryption.upload(Path("public.pem"))      # or the PEM text; replaces the key the number had
    key = client.encryption.get()
    print(key.signature_status, key.valid)           # VALID True

Written once: each operation is a function returning a `Request`, and `EncryptionResource` hands them to a
runner; `Encryption` (on `Client`) and `AsyncEncryption` (on `AsyncClient`) differ only in their runner.
An upload is checked first, as upstream's page says a key must be: an RSA public key in PEM format
(`-----BEGIN PUBLIC KEY-----`, or PKCS#1's `-----BEGIN RSA PUBLIC KEY-----`), its DER read far enough to
know it is RSA. A private key is refused whatever `validate` says: it must never leave the machine.

Wire shapes: GET /whatsapp_business_encryption?fields=... answers `{data: [{business_public_key,
business_public_key_signature_status}]}` (VALID or MISMATCH; a newer value is kept). POST takes the key as
the multipart/form-data field `business_public_key` (Meta's spec: upstream's page shows the body only as
"string") and answers `{success}`.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import secrets
from collections.abc import Coroutine, Mapping, Sequence
from typing import Any, Generic, TypeVar, cast

import attrs

from d360.errors import Problem, UnexpectedResponseError, ValidationError
from d360.resources.answers import json_object, text
from d360.resources.base import AwaitingCaller, AwaitingRunner, BlockingCaller, BlockingRunner, Request, Runner
from d360.responses import _json_or_none, request_id_of, snippet

ENCRYPTION_PATH = "/whatsapp_business_encryption"
FIELDS = ("business_public_key", "business_public_key_signature_status")
"""What GET can answer (its `fields`)."""
SIGNATURE_STATUSES = ("VALID", "MISMATCH")
"""The signature statuses upstream's page lists; a newer one is read as given."""
MAX_KEY_BYTES = 16 * 1024
"""A PEM public key is a few hundred bytes (an 8192-bit RSA key about 1.5 KB); anything far larger is not one."""
RSA_ENCRYPTION_OID = bytes.fromhex("2a864886f70d010101")
"""1.2.840.113549.1.1.1, rsaEncryption: the algorithm a SubjectPublicKeyInfo names for an RSA key."""
_PEM = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----\s*(.*?)\s*-----END \1-----", re.S)
_KNOWN_ALGORITHMS = {"2a8648ce3d0201": "an EC key", "2b6570": "an Ed25519 key", "2a8648ce380401": "a DSA key"}

KeyT = TypeVar("KeyT")
DoneT = TypeVar("DoneT")


@attrs.frozen
class BusinessPublicKey:
    """The number's business public key as upstream answers it; None when it has none (or was not asked)."""

    public_key: str | None = None
    """The PEM text."""
    signature_status: str | None = None
    """VALID, MISMATCH (the key must be uploaded again), or a newer value as upstream writes it."""
    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)

    @property
    def valid(self) -> bool:
        """Whether upstream says the key's signature is valid: Flows can use it."""
        return self.signature_status == "VALID"

    def to_dict(self) -> dict[str, Any]:
        return {"business_public_key": self.public_key, "business_public_key_signature_status": self.signature_status}


def _parse_key(status_code: int, headers: Mapping[str, str], content: bytes) -> BusinessPublicKey:
    body = json_object(status_code, headers, content, "the business public key")
    data = body.get("data")
    if not isinstance(data, list):
        raise UnexpectedResponseError(
            f"HTTP {status_code} without the business public key (data): {snippet(content)!r}",
            status_code=status_code,
            body=body,
            request_id=request_id_of(headers, body),
        )
    item = data[0] if data and isinstance(data[0], Mapping) else {}
    return BusinessPublicKey(
        public_key=text(item.get("business_public_key")),
        signature_status=text(item.get("business_public_key_signature_status")),
        raw=dict(body),
    )


def get_request(fields: Sequence[str] | None = None) -> Request[BusinessPublicKey]:
    """GET /whatsapp_business_encryption with `fields` (both by default), checked first."""
    wanted = list(FIELDS) if fields is None else ([fields] if isinstance(fields, str) else list(fields))
    problems = [
        Problem(f"$.fields[{index}]", f"must be one of {', '.join(FIELDS)}, not {field!r}")
        for index, field in enumerate(wanted)
        if field not in FIELDS
    ]
    if not wanted:
        problems.append(Problem("$.fields", f"needs at least one of {', '.join(FIELDS)}"))
    if problems:
        raise ValidationError(problems, subject="encryption fields")
    query = (("fields", ",".join(dict.fromkeys(wanted))),)
    return Request("GET", ENCRYPTION_PATH, _parse_key, query=query, idempotent=True)


# The key: an RSA public key in PEM format.


def _der(data: bytes, at: int, tag: int) -> tuple[int, int]:
    """The start and end of the DER value of `tag` at `at`; ValueError when it is not one."""
    if at + 2 > len(data) or data[at] != tag:
        raise ValueError(f"expected DER tag 0x{tag:02x}")
    length, start = data[at + 1], at + 2
    if length & 0x80:
        count = length & 0x7F
        if not 1 <= count <= 4 or start + count > len(data):
            raise ValueError("a DER length that cannot be read")
        length, start = int.from_bytes(data[start : start + count], "big"), start + count
    if start + length > len(data):
        raise ValueError("a DER value longer than the key")
    return start, start + length


def _rsa_modulus_bits(der: bytes, at: int = 0) -> int:
    """The modulus's size of a PKCS#1 RSAPublicKey (SEQUENCE {INTEGER n, INTEGER e}) at `at`."""
    start, end = _der(der, at, 0x30)
    n_start, n_end = _der(der, start, 0x02)
    e_start, e_end = _der(der, n_end, 0x02)
    if e_end != end or n_end == n_start or e_end == e_start:
        raise ValueError("not an RSA public key's modulus and exponent")
    return int.from_bytes(der[n_start:n_end], "big").bit_length()


def key_problems(pem: str) -> list[Problem]:
    """What keeps `pem` from being an RSA public key in PEM format (none: it is one)."""
    where = "$.business_public_key"
    if "PRIVATE KEY-----" in pem:
        return [Problem(where, "is a private key: upload only its public key (openssl rsa -in private.pem -pubout)")]
    if len(pem.encode("utf-8", "surrogatepass")) > MAX_KEY_BYTES:
        return [Problem(where, f"is larger than {MAX_KEY_BYTES} bytes: not a public key")]
    found = _PEM.search(pem)
    if found is None:
        return [Problem(where, "is not in PEM format (-----BEGIN PUBLIC KEY----- ... -----END PUBLIC KEY-----)")]
    label, body = found.group(1), found.group(2)
    if label not in ("PUBLIC KEY", "RSA PUBLIC KEY"):
        return [Problem(where, f"is a PEM {label}, not a PUBLIC KEY")]
    try:
        der = base64.b64decode("".join(body.split()), validate=True)
    except (binascii.Error, ValueError):
        return [Problem(where, "is not a PEM key: its body is not base64")]
    try:
        if label == "RSA PUBLIC KEY":
            _rsa_modulus_bits(der)
            return []
        outer_start, outer_end = _der(der, 0, 0x30)
        algorithm_start, algorithm_end = _der(der, outer_start, 0x30)
        oid_start, oid_end = _der(der, algorithm_start, 0x06)
        oid = der[oid_start:oid_end]
        if oid != RSA_ENCRYPTION_OID:
            kind = _KNOWN_ALGORITHMS.get(oid.hex(), f"a key of algorithm {oid.hex()}")
            return [Problem(where, f"is {kind}, not an RSA public key")]
        bits_start, bits_end = _der(der, algorithm_end, 0x03)
        if bits_end != outer_end or der[bits_start : bits_start + 1] != b"\x00":
            raise ValueError("a public key's bit string that cannot be read")
        _rsa_modulus_bits(der, bits_start + 1)
    except ValueError as exc:
        return [Problem(where, f"is not a readable RSA public key ({exc})")]
    return []


def pem_text(key: Any) -> str:
    """The key as PEM text: given as text, as bytes, or as a path (os.PathLike) to a .pem file."""
    subject = "business public key"
    if isinstance(key, os.PathLike):
        try:
            with open(key, "rb") as file:
                key = file.read(MAX_KEY_BYTES + 1)
        except OSError as exc:
            raise ValidationError(
                [Problem("$.business_public_key", f"cannot be read: {exc}")], subject=subject
            ) from None
    if isinstance(key, bytes | bytearray):
        try:
            key = bytes(key).decode("ascii")
        except UnicodeDecodeError:
            raise ValidationError(
                [Problem("$.business_public_key", "is not PEM text (a byte that is not ASCII)")], subject=subject
            ) from None
    if not isinstance(key, str):
        raise ValidationError(
            [Problem("$.business_public_key", f"must be PEM text, bytes or a path, not {type(key).__name__}")],
            subject=subject,
        )
    return key


def upload_request(key: Any, *, validate: bool = True) -> Request[None]:
    """POST /whatsapp_business_encryption with the key as a form field, checked first unless `validate` is
    False (a private key is refused either way)."""
    pem = pem_text(key)
    problems = key_problems(pem)
    if problems and (validate or "private key" in problems[0].message):
        raise ValidationError(problems, subject="business public key")
    boundary = f"d360-{secrets.token_hex(16)}"
    content = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="business_public_key"\r\n'
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        f"{pem}\r\n--{boundary}--\r\n"
    ).encode("utf-8", "surrogatepass")

    def parse(status_code: int, headers: Mapping[str, str], content: bytes) -> None:
        answer = _json_or_none(content)
        if isinstance(answer, Mapping) and answer.get("success") is False:
            raise UnexpectedResponseError(
                f"HTTP {status_code}, but upstream says the key was not uploaded: {snippet(content)!r}",
                status_code=status_code,
                body=answer,
                request_id=request_id_of(headers, answer),
            )

    # Safe to repeat: the same key uploaded twice is the number's key.
    return Request(
        "POST",
        ENCRYPTION_PATH,
        parse,
        body=content,
        idempotent=True,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


class EncryptionResource(Generic[KeyT, DoneT]):
    _runner: Runner

    def get(self, fields: Sequence[str] | None = None) -> KeyT:
        """The business public key and its signature status (or the `fields` named)."""
        return cast(KeyT, self._runner.run(get_request(fields)))

    def upload(self, public_key: str | bytes | os.PathLike[str]) -> DoneT:
        """Upload the business public key (PEM text or bytes, or a path to the .pem file), replacing the one
        the number had. Checked first (unless the client was made with `validate=False`): a `ValidationError`
        says why it is not an RSA public key in PEM format, and nothing is sent. A private key is never sent."""
        return cast(DoneT, self._runner.run(upload_request(public_key, validate=self._runner.validates)))


class Encryption(EncryptionResource[BusinessPublicKey, None]):
    """`client.encryption` on `Client`: each method blocks."""

    def __init__(self, client: BlockingCaller) -> None:
        self._runner = BlockingRunner(client)


class AsyncEncryption(EncryptionResource[Coroutine[Any, Any, BusinessPublicKey], Coroutine[Any, Any, None]]):
    """`client.encryption` on `AsyncClient`: the same methods, awaited."""

    def __init__(self, client: AwaitingCaller) -> None:
        self._runner = AwaitingRunner(client)
