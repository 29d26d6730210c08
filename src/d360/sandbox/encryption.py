"""The sandbox's business public key: GET and POST /whatsapp_business_encryption.

The number starts with no key (GET answers `{data: []}`). An upload, a form (multipart/form-data, as
Meta's spec sends it, or x-www-form-urlencoded) with `business_public_key`, is checked as upstream's page
says a key must be (an RSA public key in PEM format) and refused with 400 and `{error}` otherwise; a
taken key replaces the last and is VALID. `set_status("MISMATCH")` makes its signature mismatch, as
upstream reports after the number changes, until the next upload. `reset()` forgets the key.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from d360.numbers import read_int
from d360.resources.encryption import ENCRYPTION_PATH, FIELDS, MAX_KEY_BYTES, key_problems

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

MAX_FORM_BYTES = 4 * MAX_KEY_BYTES
"""The largest upload body read: a key and a form's framing."""


class EncryptionKey:
    """The business public key and its signature status. Safe to use from a test's thread while serving."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: str | None = None
        self._status = "VALID"

    def reset(self) -> None:
        with self._lock:
            self._key, self._status = None, "VALID"

    @property
    def public_key(self) -> str | None:
        with self._lock:
            return self._key

    @property
    def signature_status(self) -> str | None:
        """The status GET answers: None while there is no key."""
        with self._lock:
            return self._status if self._key is not None else None

    def upload(self, key: str) -> None:
        with self._lock:
            self._key, self._status = key, "VALID"

    def set_status(self, status: str) -> None:
        """Make the key's signature status `status` (MISMATCH, say) until the next upload."""
        with self._lock:
            self._status = status

    def answer(self, wanted: list[str]) -> dict[str, Any]:
        """The body of GET: the fields asked for, in upstream's shape; no item while there is no key."""
        with self._lock:
            if self._key is None:
                return {"data": []}
            held = {"business_public_key": self._key, "business_public_key_signature_status": self._status}
        return {"data": [{field: held[field] for field in wanted}]}


class EncryptionEndpoints:
    """GET (with `fields`) and POST /whatsapp_business_encryption."""

    def __init__(self, key: EncryptionKey, authorized: Callable[[Request], Response | None]) -> None:
        self.key = key
        self._authorized = authorized

    def routes(self) -> list[Route]:
        from starlette.routing import Route

        return [Route(ENCRYPTION_PATH, self.encryption, methods=["GET", "POST"])]

    async def encryption(self, request: Request) -> Response:
        from starlette.responses import JSONResponse

        refused = self._authorized(request)
        if refused is not None:
            return refused
        if request.method == "GET":
            asked = request.query_params.get("fields")
            wanted = list(FIELDS) if asked is None else asked.split(",")
            unknown = [field for field in wanted if field not in FIELDS]
            if unknown:
                return JSONResponse({"error": f"fields: {unknown[0]!r} is not one of {', '.join(FIELDS)}"}, 400)
            return JSONResponse(self.key.answer(wanted))
        declared = read_int(request.headers.get("content-length"), max_digits=32)
        if declared is None or declared > MAX_FORM_BYTES:
            return JSONResponse({"error": f"a key upload needs a Content-Length of at most {MAX_FORM_BYTES}"}, 400)
        try:
            form = await request.form(max_files=0, max_fields=8)
        except Exception as exc:  # Starlette's and python-multipart's parse errors have no common base
            return JSONResponse({"error": f"the body must be a form with business_public_key: {exc}"}, 400)
        try:
            key = form.get("business_public_key")
            if not isinstance(key, str):
                return JSONResponse({"error": "invalid business public key: $.business_public_key: is required"}, 400)
            problems = key_problems(key)
            if problems:
                return JSONResponse({"error": f"invalid business public key: {problems[0]}"}, 400)
            self.key.upload(key)
        finally:
            await form.close()
        return JSONResponse({"success": True})
