"""The sandbox's business profile: GET and POST /whatsapp_business_profile.

The profile starts as `INITIAL`; an update is checked against the effective spec (the limits 360dialog's
profile pages document) and changes only the fields it gives. A `profile_picture_handle` becomes a
`profile_picture_url` naming it (the sandbox cannot know which handles upstream would take: any is kept).
`reset()` goes back to the first profile.
"""

from __future__ import annotations

import copy
import hashlib
import json
import threading
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

from d360.resources.profile import FIELDS, PROFILE_PATH, UPDATE_SCHEMA
from d360.validation import schema_problems

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

INITIAL: dict[str, Any] = {
    "about": "A d360 sandbox business",
    "address": "1 Sandbox Street, Berlin",
    "description": "The business profile of d360's local sandbox.",
    "email": "sandbox@example.com",
    "vertical": "OTHER",
    "websites": ["https://example.com"],
}
PICTURE_URL = "https://pps.whatsapp.net/v/sandbox/{digest}.jpg"
UPDATABLE = ("about", "address", "description", "email", "vertical", "websites")
"""What an update sets as given; the picture's URL comes from `profile_picture_handle`, and any other field
of the body (the spec allows more) is not kept, so an answer never holds what the spec does not say."""


class ProfileStore:
    """The profile's fields. Safe to read from a test's thread while serving."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._fields: dict[str, Any] = {}
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._fields = copy.deepcopy(INITIAL)

    def fields(self) -> dict[str, Any]:
        with self._lock:
            return copy.deepcopy(self._fields)

    def answer(self, wanted: list[str]) -> dict[str, Any]:
        """The body of GET: the fields asked for that the profile has, in upstream's shape."""
        held = self.fields()
        profile = {"messaging_product": "whatsapp", **{field: held[field] for field in wanted if field in held}}
        return {"data": [profile]}

    def update(self, changes: Mapping[str, Any]) -> None:
        picture = changes.get("profile_picture_handle")
        with self._lock:
            for field in UPDATABLE:
                if field in changes:
                    self._fields[field] = copy.deepcopy(changes[field])
            if isinstance(picture, str):
                digest = hashlib.sha256(picture.encode("utf-8", "surrogatepass")).hexdigest()[:16]
                self._fields["profile_picture_url"] = PICTURE_URL.format(digest=digest)


class ProfileEndpoints:
    """GET (with `fields`) and POST /whatsapp_business_profile."""

    def __init__(
        self,
        store: ProfileStore,
        authorized: Callable[[Request], Response | None],
        read_body: Callable[[Request], Awaitable[bytes | Response]],
    ) -> None:
        self.store = store
        self._authorized = authorized
        self._read_body = read_body

    def routes(self) -> list[Route]:
        from starlette.routing import Route

        return [Route(PROFILE_PATH, self.profile, methods=["GET", "POST"])]

    async def profile(self, request: Request) -> Response:
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
            return JSONResponse(self.store.answer(wanted))
        raw = await self._read_body(request)
        if not isinstance(raw, bytes):
            return raw
        try:
            body = json.loads(raw)
        except (ValueError, RecursionError):
            return JSONResponse({"error": "the body must be JSON: the profile fields to change"}, 400)
        problems = schema_problems(body, UPDATE_SCHEMA)
        if problems:
            return JSONResponse({"error": f"invalid business profile: {problems[0]}"}, 400)
        self.store.update(body)
        return JSONResponse({"success": True})
