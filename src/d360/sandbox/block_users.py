"""The sandbox's block list: GET, POST and DELETE /block_users, and the refusal of a message to a blocked user.

A block list of at most `max_blocked` users (64,000, Meta's limit): blocking past it fails for the users
beyond with 139101, answered as upstream answers a request in which some users failed (400, error 139100,
the lists in `block_users`). A message to a blocked user is refused with 400 and `BLOCKED_RECIPIENT_CODE`.
Not modelled: upstream blocks only users that messaged the business in the last 24 hours (131047).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from d360.numbers import read_int
from d360.resources.block_users import BLOCK_USERS_PATH, DEFAULT_PAGE_SIZE, MAX_BLOCKED, MAX_USERS_PER_REQUEST
from d360.sandbox.templates import QUERY_DIGITS, _cursor, _cursor_offset, cloud_error
from d360.validation import normalize_phone, schema_problems

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

BLOCKED_RECIPIENT_CODE = 131026
"""The error a message to a blocked user gets. Meta's Block Users guide says only that such a message
"returns an error", and neither 360dialog's pages nor Meta's spec names its code: this is the Cloud API's
"Message undeliverable", its code for a recipient a message cannot reach."""
BLOCKLIST_FULL_CODE = 139101
PARTLY_FAILED_CODE = 139100


class BlockList:
    """The blocked users, oldest first. Safe to use from a test's thread while serving."""

    def __init__(self, max_blocked: int = MAX_BLOCKED) -> None:
        self.max_blocked = max_blocked
        self._lock = threading.Lock()
        self._users: dict[str, str] = {}
        """wa_id -> the input it was blocked by."""

    def __len__(self) -> int:
        return len(self._users)

    def __contains__(self, number: object) -> bool:
        return isinstance(number, str) and _wa_id(number) in self._users

    def clear(self) -> None:
        with self._lock:
            self._users.clear()

    def block(self, users: list[str]) -> tuple[list[dict[str, str]], list[dict[str, Any]]]:
        """Block each user (its digits are its wa_id); the added ones, and those past the limit."""
        added: list[dict[str, str]] = []
        failed: list[dict[str, Any]] = []
        with self._lock:
            for user in users:
                wa_id = _wa_id(user)
                if wa_id not in self._users and len(self._users) >= self.max_blocked:
                    failed.append({"input": user, "wa_id": wa_id, "errors": [{
                        "message": "Blocklist limit reached", "code": BLOCKLIST_FULL_CODE,
                        "error_data": {"details": f"the block list holds its limit of {self.max_blocked} users"},
                    }]})  # fmt: skip
                    continue
                self._users.setdefault(wa_id, user)
                added.append({"input": user, "wa_id": wa_id})
        return added, failed

    def unblock(self, users: list[str]) -> list[dict[str, str]]:
        with self._lock:
            for user in users:
                self._users.pop(_wa_id(user), None)
        return [{"input": user, "wa_id": _wa_id(user)} for user in users]

    def page(self, start: int, limit: int) -> tuple[list[dict[str, str]], bool]:
        with self._lock:
            users = list(self._users.items())
        chosen = users[start : start + limit]
        return [{"input": user, "wa_id": wa_id} for wa_id, user in chosen], start + len(chosen) < len(users)

    def refusal(self, body: Mapping[str, Any]) -> dict[str, Any] | None:
        """The Cloud API error for a message to a blocked user (None: the recipient is not blocked)."""
        to = body.get("to")
        if body.get("recipient_type") == "group" or not isinstance(to, str) or to not in self:
            return None
        return cloud_error(
            BLOCKED_RECIPIENT_CODE, "Message undeliverable", f"the recipient {to} is on this number's block list"
        )


def _wa_id(number: str) -> str:
    return normalize_phone(number)


class BlockUserEndpoints:
    """GET (paged), POST (block) and DELETE (unblock) /block_users."""

    def __init__(
        self,
        block_list: BlockList,
        authorized: Callable[[Request], Response | None],
        read_body: Callable[[Request], Awaitable[bytes | Response]],
    ) -> None:
        self.block_list = block_list
        self._authorized = authorized
        self._read_body = read_body

    def routes(self) -> list[Route]:
        from starlette.routing import Route

        return [Route(BLOCK_USERS_PATH, self.block_users, methods=["GET", "POST", "DELETE"])]

    async def block_users(self, request: Request) -> Response:
        from starlette.responses import JSONResponse

        refused = self._authorized(request)
        if refused is not None:
            return refused
        if request.method == "GET":
            page = self.listing(request.query_params, str(request.url.replace(query="")))
            return JSONResponse(page, 400 if "error" in page else 200)
        raw = await self._read_body(request)
        if not isinstance(raw, bytes):
            return raw
        try:
            body = json.loads(raw)
        except (ValueError, RecursionError):
            return JSONResponse({"error": 'the body must be JSON: {"block_users": [{"user": ...}]}'}, 400)
        problems = schema_problems(body, "block_users.BlockUsersRequest")
        if problems:
            return JSONResponse({"error": f"invalid block list request: {problems[0]}"}, 400)
        users = [item["user"] for item in body["block_users"]]
        if request.method == "DELETE":
            removed = self.block_list.unblock(users)
            return JSONResponse({"messaging_product": "whatsapp", "block_users": {"removed_users": removed}})
        added, failed = self.block_list.block(users)
        answer: dict[str, Any] = {"messaging_product": "whatsapp", "block_users": {"added_users": added}}
        if not failed:
            return JSONResponse(answer)
        answer["block_users"]["failed_users"] = failed
        answer["error"] = cloud_error(
            PARTLY_FAILED_CODE,
            "Failed to block/unblock users",
            "Failed to block some users, see the block_users response list for details",
        )["error"]
        return JSONResponse(answer, 400)

    def listing(self, query: Mapping[str, str], url: str) -> dict[str, Any]:
        """A page of the block list in upstream's shape: `data: [{block_users: [...]}]`, `paging`."""
        limit = read_int(query.get("limit", str(DEFAULT_PAGE_SIZE)), max_digits=QUERY_DIGITS)
        if limit is None or limit < 1:
            return {"error": "limit must be a whole number, 1 or more"}
        limit = min(limit, MAX_USERS_PER_REQUEST)
        # A cursor is opaque: one this sandbox never gave points past every page (an empty answer).
        after = query.get("after") or None
        start = _cursor_offset(after) if after is not None else 0
        if start is None:
            return {"data": [{"block_users": []}], "paging": {"cursors": {}}}
        users, more = self.block_list.page(start, limit)
        answer: dict[str, Any] = {"data": [{"block_users": users}], "paging": {"cursors": {}}}
        if users:
            following = _cursor(start + len(users))
            answer["paging"]["cursors"] = {"before": _cursor(start), "after": following}
            if more:
                others = [(name, value) for name, value in query.items() if name != "after"]
                answer["paging"]["next"] = f"{url}?{urlencode([*others, ('after', following)])}"
        return answer
