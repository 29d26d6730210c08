"""The sandbox's extra webhooks (360dialog's multi-webhook): GET, POST, PUT, PATCH and DELETE /multi_webhook.

The feature starts off, with no destinations. Each change is checked as the effective spec says
(`multi_webhook.*Request`, names all different) and refused with 400 and `{error}` otherwise; then as
upstream's page describes: enabling with destinations while already on is 409 (PUT appends), appending or
changing while off is 409, a name already used is 409, more than `max_destinations` (3) in all is 400, and
a name that is not there is 404. Disabling keeps the destinations (enabling again without any brings them
back): upstream's page does not say, and this loses nothing. A change answers `{message}`.

The sandbox keeps the destinations only: it delivers its webhooks to its main URL, not to them.
`reset()` turns the feature off and forgets them.
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from d360.resources.webhook_destinations import MAX_DESTINATIONS, MULTI_WEBHOOK_PATH, change_problems

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

STARTED = "Operation started successfully"


class Refused(Exception):
    """A change upstream refuses: its HTTP status and message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class Destinations:
    """Whether the feature is on, and the destinations by name (in the order added). Thread-safe."""

    def __init__(self, max_destinations: int = MAX_DESTINATIONS) -> None:
        self.max_destinations = max_destinations
        self._lock = threading.Lock()
        self._enabled = False
        self._destinations: dict[str, dict[str, Any]] = {}

    def reset(self) -> None:
        with self._lock:
            self._enabled = False
            self._destinations.clear()

    @property
    def enabled(self) -> bool:
        with self._lock:
            return self._enabled

    def destinations(self) -> list[dict[str, Any]]:
        with self._lock:
            return copy.deepcopy(list(self._destinations.values()))

    def answer(self) -> dict[str, Any]:
        with self._lock:
            return {"enabled": self._enabled, "destinations": copy.deepcopy(list(self._destinations.values()))}

    def _add(self, items: list[dict[str, Any]]) -> None:
        """Add `items` (the lock held); Refused, changing nothing, for a taken name or too many."""
        for item in items:
            if item["name"] in self._destinations:
                raise Refused(409, f"a destination named {item['name']!r} exists")
        if len(self._destinations) + len(items) > self.max_destinations:
            raise Refused(400, f"a number has at most {self.max_destinations} webhook destinations")
        for item in items:
            kept = {"name": item["name"], "url": item["url"]}
            if item.get("headers"):
                kept["headers"] = dict(item["headers"])
            self._destinations[item["name"]] = kept

    def enable(self, enabled: bool, items: list[dict[str, Any]]) -> None:
        with self._lock:
            if not enabled:
                self._enabled = False
                return
            if self._enabled and items:
                raise Refused(409, "multi-webhook is already enabled: append destinations with PUT")
            self._add(items)
            self._enabled = True

    def append(self, items: list[dict[str, Any]]) -> None:
        with self._lock:
            if not self._enabled:
                raise Refused(409, "multi-webhook is not enabled: enable it with POST first")
            self._add(items)

    def update(self, name: str, changes: dict[str, Any]) -> None:
        with self._lock:
            if not self._enabled:
                raise Refused(409, "multi-webhook is not enabled: enable it with POST first")
            if name not in self._destinations:
                raise Refused(404, f"no destination named {name!r}")
            if "url" in changes:
                self._destinations[name]["url"] = changes["url"]
            if "headers" in changes:
                self._destinations[name]["headers"] = dict(changes["headers"])

    def delete(self, name: str) -> None:
        with self._lock:
            if self._destinations.pop(name, None) is None:
                raise Refused(404, f"no destination named {name!r}")


class DestinationEndpoints:
    """/multi_webhook, each method."""

    def __init__(
        self,
        store: Destinations,
        authorized: Callable[[Request], Response | None],
        read_body: Callable[[Request], Awaitable[bytes | Response]],
    ) -> None:
        self.store = store
        self._authorized = authorized
        self._read_body = read_body

    def routes(self) -> list[Route]:
        from starlette.routing import Route

        return [Route(MULTI_WEBHOOK_PATH, self.multi_webhook, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])]

    async def multi_webhook(self, request: Request) -> Response:
        from starlette.responses import JSONResponse

        refused = self._authorized(request)
        if refused is not None:
            return refused
        if request.method == "GET":
            return JSONResponse(self.store.answer())
        raw = await self._read_body(request)
        if not isinstance(raw, bytes):
            return raw
        try:
            body = json.loads(raw)
        except (ValueError, RecursionError):
            return JSONResponse({"error": "the body must be JSON"}, 400)
        if not isinstance(body, dict):
            return JSONResponse({"error": "the body must be a JSON object"}, 400)
        problems = change_problems(request.method, body)
        if problems:
            return JSONResponse({"error": f"invalid webhook destinations: {problems[0]}"}, 400)
        try:
            if request.method == "POST":
                self.store.enable(body["enabled"], body.get("destinations", []))
            elif request.method == "PUT":
                self.store.append(body["destinations"])
            elif request.method == "PATCH":
                self.store.update(body["name"], body)
            else:
                self.store.delete(body["name"])
        except Refused as exc:
            return JSONResponse({"error": str(exc)}, exc.status)
        return JSONResponse({"message": STARTED})
