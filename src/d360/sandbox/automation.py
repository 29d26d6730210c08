"""The sandbox's conversational automation: GET and POST /conversational_automation.

The automation starts with the welcome message off, no ice breakers and no commands. An update is checked
as upstream's limits say (the effective spec's `conversational_components.ConversationalAutomationRequest`,
and command names all different) and refused with 400 and `{error}` otherwise; each field it gives
replaces what was there, the others stay. `reset()` goes back to the first automation.
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

from d360.resources.automation import AUTOMATION_PATH, update_problems

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

AUTOMATION_ID = "100000000000001"
"""The id the sandbox's number answers with (upstream's is the phone number's id)."""
INITIAL: dict[str, Any] = {"enable_welcome_message": False, "prompts": [], "commands": []}
FIELDS = ("enable_welcome_message", "prompts", "commands")


class AutomationStore:
    """The welcome message switch, ice breakers and commands. Safe to read from a test's thread while serving."""

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

    def answer(self) -> dict[str, Any]:
        """The body of GET, in upstream's shape."""
        return {"conversational_automation": {**self.fields(), "id": AUTOMATION_ID}, "id": AUTOMATION_ID}

    def update(self, changes: Mapping[str, Any]) -> None:
        with self._lock:
            for field in FIELDS:
                if field in changes:
                    value = changes[field]
                    if field == "commands":  # only what a command has: a stray field is not answered back
                        value = [{key: item[key] for key in ("command_name", "command_description")} for item in value]
                    self._fields[field] = copy.deepcopy(value)


class AutomationEndpoints:
    """GET and POST /conversational_automation."""

    def __init__(
        self,
        store: AutomationStore,
        authorized: Callable[[Request], Response | None],
        read_body: Callable[[Request], Awaitable[bytes | Response]],
    ) -> None:
        self.store = store
        self._authorized = authorized
        self._read_body = read_body

    def routes(self) -> list[Route]:
        from starlette.routing import Route

        return [Route(AUTOMATION_PATH, self.automation, methods=["GET", "POST"])]

    async def automation(self, request: Request) -> Response:
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
            return JSONResponse({"error": "the body must be JSON: the automation fields to set"}, 400)
        if not isinstance(body, dict):
            return JSONResponse({"error": "the body must be a JSON object: the automation fields to set"}, 400)
        problems = update_problems(body)
        if problems:
            return JSONResponse({"error": f"invalid conversational automation: {problems[0]}"}, 400)
        self.store.update(body)
        return JSONResponse({"success": True})
