"""The sandbox's health status: GET /health_status, and a number a test can make unhealthy.

Every entity starts AVAILABLE. `HealthState.set("WABA", "BLOCKED", error_code=141006, ...)` (or POST
/_sandbox/health with the same fields) changes one; while any entity is BLOCKED, POST /messages is refused
with the Cloud API error of its first error (400), as upstream refuses a send from a number that cannot
send; LIMITED changes the answer of /health_status only. `reset()` makes every entity AVAILABLE again.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from d360.errors import ConfigurationError
from d360.resources.health import AVAILABLE, BLOCKED, ENTITY_TYPES, HEALTH_PATH
from d360.sandbox.templates import cloud_error

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

CONTROL_PATH = "/_sandbox/health"
ENTITY_IDS = {
    "PHONE_NUMBER": "100000000000001",
    "WABA": "200000000000002",
    "BUSINESS": "300000000000003",
    "APP": "400000000000004",
}
"""The sandbox's made-up ids for its number, WABA, business and app."""

KNOWN_ISSUES: dict[int, tuple[str, str]] = {
    141006: (
        "The payment method of the account failed; business-initiated conversations are blocked.",
        "Add a working payment method to the WhatsApp Business Account.",
    ),
    141014: (
        "The WhatsApp Business Account is banned.",
        "See Business Support Home for the ban and how to appeal it.",
    ),
    141000: ("The phone number is not registered for the Cloud API.", "Register the number."),
}
"""Descriptions for the error codes a test most often sets (Meta's published spec v23.0 shows 141006 and
141014 as health errors), so `set(..., error_code=141006)` needs no text of its own."""
DEFAULT_ISSUE_CODE = 141006


@attrs.frozen
class Issue:
    code: int
    description: str
    possible_solution: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "error_code": self.code,
            "error_description": self.description,
            "possible_solution": self.possible_solution,
        }


class HealthState:
    """The status of each entity, and its issues. Safe to change from a test's thread while serving."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._statuses: dict[str, str] = {}
        self._issues: dict[str, tuple[Issue, ...]] = {}
        self.reset()

    def reset(self) -> None:
        """Every entity AVAILABLE, with no issues."""
        with self._lock:
            self._statuses = dict.fromkeys(ENTITY_TYPES, AVAILABLE)
            self._issues = {entity: () for entity in ENTITY_TYPES}

    def set(
        self,
        entity: str = "PHONE_NUMBER",
        status: str = BLOCKED,
        *,
        error_code: int | None = None,
        description: str | None = None,
        possible_solution: str | None = None,
    ) -> None:
        """Give `entity` (PHONE_NUMBER, WABA, BUSINESS, APP) a status; one not AVAILABLE gets one issue, its
        `error_code` (141006 by default) with the description d360 knows for it unless one is given."""
        entity, status = str(entity).upper(), str(status).upper()
        if entity not in ENTITY_TYPES:
            raise ConfigurationError(f"entity must be one of {', '.join(ENTITY_TYPES)}, not {entity!r}")
        if not status or not status.replace("_", "").isalpha():
            raise ConfigurationError(f"status must be a word such as AVAILABLE, LIMITED or BLOCKED, not {status!r}")
        issues: tuple[Issue, ...] = ()
        if status != AVAILABLE:
            code = DEFAULT_ISSUE_CODE if error_code is None else error_code
            if not isinstance(code, int) or isinstance(code, bool) or not 0 < code < 10**7:
                raise ConfigurationError(f"error_code must be a Cloud API error code such as 141006, not {code!r}")
            known = KNOWN_ISSUES.get(code, (f"Error {code}.", "See the Cloud API's error codes."))
            issues = (Issue(code, description or known[0], possible_solution or known[1]),)
        with self._lock:
            self._statuses[entity] = status
            self._issues[entity] = issues

    def answer(self) -> dict[str, Any]:
        """The body of GET /health_status, in upstream's shape."""
        with self._lock:
            statuses, issues = dict(self._statuses), dict(self._issues)
        entities = []
        for entity in ENTITY_TYPES:
            item: dict[str, Any] = {
                "entity_type": entity,
                "id": ENTITY_IDS[entity],
                "can_send_message": statuses[entity],
            }
            if entity in ("PHONE_NUMBER", "APP"):
                item["can_receive_call_sip"] = "AVAILABLE" if statuses[entity] == AVAILABLE else "BLOCKED"
            if issues[entity]:
                item["errors"] = [issue.to_dict() for issue in issues[entity]]
            entities.append(item)
        overall = statuses.values()
        status = next((wanted for wanted in (BLOCKED, "LIMITED") if wanted in overall), None)
        if status is None:
            status = AVAILABLE if set(overall) == {AVAILABLE} else next(s for s in overall if s != AVAILABLE)
        return {"health_status": {"can_send_message": status, "entities": entities}, "id": ENTITY_IDS["PHONE_NUMBER"]}

    def refusal(self) -> dict[str, Any] | None:
        """The Cloud API error a send gets while an entity is BLOCKED (None: the number may send)."""
        with self._lock:
            blocked = [(entity, self._issues[entity]) for entity in ENTITY_TYPES if self._statuses[entity] == BLOCKED]
        if not blocked:
            return None
        entity, issues = blocked[0]
        issue = issues[0] if issues else Issue(DEFAULT_ISSUE_CODE, *KNOWN_ISSUES[DEFAULT_ISSUE_CODE])
        return cloud_error(
            issue.code,
            issue.description.rstrip("."),
            f"{entity} {ENTITY_IDS[entity]} is BLOCKED: {issue.possible_solution}",
        )


class HealthEndpoints:
    """GET /health_status, and the test's control POST/DELETE /_sandbox/health (no key: like /_sandbox/messages)."""

    def __init__(
        self,
        state: HealthState,
        authorized: Callable[[Request], Response | None],
        read_body: Callable[[Request], Awaitable[bytes | Response]],
    ) -> None:
        self.state = state
        self._authorized = authorized
        self._read_body = read_body

    def routes(self) -> list[Route]:
        from starlette.routing import Route

        return [
            Route(HEALTH_PATH, self.health, methods=["GET"]),
            Route(CONTROL_PATH, self.control, methods=["POST", "DELETE"]),
        ]

    async def health(self, request: Request) -> Response:
        from starlette.responses import JSONResponse

        refused = self._authorized(request)
        if refused is not None:
            return refused
        return JSONResponse(self.state.answer())

    async def control(self, request: Request) -> Response:
        """POST {"entity_type": "WABA", "can_send_message": "BLOCKED", "error_code": 141014} sets one entity;
        DELETE makes every entity AVAILABLE again."""
        from starlette.responses import JSONResponse

        if request.method == "DELETE":
            self.state.reset()
            return JSONResponse(self.state.answer())
        raw = await self._read_body(request)
        if not isinstance(raw, bytes):
            return raw
        try:
            fields = json.loads(raw)
        except (ValueError, RecursionError):
            fields = None
        if not isinstance(fields, Mapping):
            return JSONResponse({"error": "the body must be a JSON object: entity_type, can_send_message, ..."}, 400)
        try:
            self.state.set(
                fields.get("entity_type", "PHONE_NUMBER"),
                fields.get("can_send_message", BLOCKED),
                error_code=fields.get("error_code"),
                description=_optional_text(fields.get("error_description")),
                possible_solution=_optional_text(fields.get("possible_solution")),
            )
        except ConfigurationError as exc:
            return JSONResponse({"error": str(exc)}, 400)
        return JSONResponse(self.state.answer())


def _optional_text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
