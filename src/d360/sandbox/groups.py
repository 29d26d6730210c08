"""The sandbox's groups: /groups and /groups/{group_id} with its invite link, participants and join requests,
their webhooks, and the refusal of a message to a group the sandbox deleted or never made.

Each group keeps its subject, description, join approval mode, picture (a form, checked as Meta's spec and
error codes say: a square JPEG of 192 pixels or more, 131209 and 131210 otherwise), participants (at most
`max_participants`, 8 besides the business, as 360dialog's Groups page says), invite link and open join
requests. Bodies are checked against the effective spec (`groups.*Request`) and refused with 400 and
`{error}`; the rest answers as Meta's Groups API error codes say: an unknown group is 131041 (with 404, d360's
reading: Meta's table says 400), adding past the limit 400 with 131204, a participant or join request that is
not there fails on its own (in `failed_*`, 131212 or 131213 for the one, the request's `errors` holding
131201, a partial success). Creating, deleting, changing the settings, and participants joining or leaving
post Meta's `group_lifecycle_update`, `group_settings_update` and `group_participant_update` webhooks to the
sandbox's webhook URL, as `d360.webhooks` parses them.

A test makes a user ask to join through the invite link with `Sandbox.groups.request_to_join(group_id,
number)`: a join request when the group needs approval, a participant otherwise. Group ids have the shape
Meta gives them (base64 of `capi_group:...`), so a message to such an id the sandbox does not hold is refused
(131041), and a message to a group id of another shape is taken, as before groups were kept.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import attrs

from d360.numbers import read_int
from d360.resources.groups import (
    DEFAULT_PAGE_SIZE,
    GROUPS_PATH,
    MAX_PAGE_SIZE,
    MAX_PARTICIPANTS,
    MAX_PHOTO_BYTES,
    PARTICIPANT_OVERLIMIT_CODE,
    UNKNOWN_GROUP_CODE,
    jpeg_size,
)
from d360.sandbox.templates import QUERY_DIGITS, _cursor, _cursor_offset, cloud_error
from d360.validation import normalize_phone, schema_problems
from d360.webhooks import payloads

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    from d360.sandbox.webhooks import WebhookSender

GROUP_ID_PREFIX = "capi_group:"
"""What a Cloud API group id decodes to the start of (Meta's example id is base64 of `capi_group:...`)."""
SANDBOX_GROUP_ID_START = base64.b64encode(GROUP_ID_PREFIX.encode()).decode()[:14]
"""The first characters of every id this sandbox gives a group."""
MAX_GROUPS = 10_000
"""Groups a number may create (360dialog's Groups page); past it, 131211."""
GROUP_CREATE_LIMIT_CODE = 131211
NOT_A_PARTICIPANT_CODE = 131212
PARTIAL_SUCCESS_CODE = 131201
PHOTO_NOT_SQUARE_CODE = 131209
PHOTO_TOO_SMALL_CODE = 131210
UNKNOWN_JOIN_REQUEST_CODE = 131213
"""Not on Meta's list as far as d360 read it: the sandbox's code for a join request id it does not hold."""
INVITE_LINK_START = "https://chat.whatsapp.com/"


@attrs.define
class StoredGroup:
    id: str
    subject: str
    description: str
    join_approval_mode: str
    created_at: int
    invite_link: str | None
    participants: dict[str, str] = attrs.field(factory=dict)
    """wa_id -> the input it was added by, in the order they joined."""
    join_requests: dict[str, dict[str, Any]] = attrs.field(factory=dict)
    """join_request_id -> {join_request_id, wa_id, creation_timestamp}."""
    photo: bytes | None = None

    def info(self, fields: list[str] | None) -> dict[str, Any]:
        whole: dict[str, Any] = {
            "id": self.id, "messaging_product": "whatsapp", "subject": self.subject,
            "description": self.description, "join_approval_mode": self.join_approval_mode, "suspended": False,
            "creation_timestamp": self.created_at, "total_participant_count": len(self.participants),
            "participants": [{"wa_id": wa_id} for wa_id in self.participants],
        }  # fmt: skip
        if fields is None:
            return whole
        return {"id": self.id, **{name: whole[name] for name in fields if name in whole}}


class Refused(Exception):
    """What upstream answers instead: its status and body."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(str(body))
        self.status = status
        self.body = body


def unknown_group(group_id: str) -> Refused:
    """Meta's error for a group it does not know (131041), with 404 as d360 reads it (Meta's table says 400)."""
    return Refused(404, cloud_error(UNKNOWN_GROUP_CODE, "Group unknown", f"no group {group_id} on this number"))


def _new_link() -> str:
    return INVITE_LINK_START + secrets.token_urlsafe(16)


def _error(code: int, message: str) -> dict[str, Any]:
    return {"code": code, "title": message, "message": message}


class GroupStore:
    """The number's groups, oldest first. Safe to use from a test's thread while serving."""

    def __init__(self, max_participants: int = MAX_PARTICIPANTS, max_groups: int = MAX_GROUPS) -> None:
        self.max_participants = max_participants
        self.max_groups = max_groups
        self._lock = threading.Lock()
        self._groups: dict[str, StoredGroup] = {}

    def __len__(self) -> int:
        return len(self._groups)

    def __contains__(self, group_id: object) -> bool:
        return isinstance(group_id, str) and group_id in self._groups

    def reset(self) -> None:
        with self._lock:
            self._groups.clear()

    def _group(self, group_id: str) -> StoredGroup:
        """The group (the lock held), or Refused with 131041."""
        group = self._groups.get(group_id)
        if group is None:
            raise unknown_group(group_id)
        return group

    def group(self, group_id: str) -> dict[str, Any]:
        """The group's information, as GET answers it (Refused: unknown)."""
        with self._lock:
            return self._group(group_id).info(None)

    def participants(self, group_id: str) -> list[str]:
        with self._lock:
            return list(self._group(group_id).participants)

    def create(self, subject: str, description: str, join_approval_mode: str) -> StoredGroup:
        with self._lock:
            if len(self._groups) >= self.max_groups:
                raise Refused(400, cloud_error(
                    GROUP_CREATE_LIMIT_CODE, "Group create limit reached",
                    f"this number has created its limit of {self.max_groups} groups",
                ))  # fmt: skip
            number = "".join(secrets.choice("0123456789") for _ in range(18))
            group_id = base64.b64encode(f"{GROUP_ID_PREFIX}{payloads.SANDBOX_PHONE_NUMBER_ID}:{number}".encode())
            group = StoredGroup(
                id=group_id.decode().rstrip("="), subject=subject.strip(), description=description,
                join_approval_mode=join_approval_mode, created_at=int(time.time()), invite_link=_new_link(),
            )  # fmt: skip
            self._groups[group.id] = group
            return attrs.evolve(group)

    def page(self, start: int, limit: int) -> tuple[list[dict[str, Any]], bool]:
        with self._lock:
            groups = list(self._groups.values())
        chosen = groups[start : start + limit]
        summaries = [{"id": group.id, "subject": group.subject, "created_at": group.created_at} for group in chosen]
        return summaries, start + len(chosen) < len(groups)

    def update(self, group_id: str, changes: Mapping[str, Any]) -> None:
        with self._lock:
            group = self._group(group_id)
            if isinstance(changes.get("subject"), str):
                group.subject = changes["subject"].strip()
            if isinstance(changes.get("description"), str):
                group.description = changes["description"]

    def set_photo(self, group_id: str, photo: bytes) -> None:
        """Keep the group's picture; Refused as Meta refuses one not square (131209) or too small (131210)."""
        size = jpeg_size(photo)
        if size is None or len(photo) > MAX_PHOTO_BYTES:
            raise Refused(400, {"error": f"the file must be a JPEG of at most {MAX_PHOTO_BYTES} bytes"})
        width, height = size
        if width != height:
            raise Refused(400, cloud_error(
                PHOTO_NOT_SQUARE_CODE, "Invalid Group Profile Picture Aspect Ratio", "Width and height must be equal."
            ))  # fmt: skip
        if width < 192:
            raise Refused(400, cloud_error(
                PHOTO_TOO_SMALL_CODE, "Image is Too Small to Process", "Width and height must be 192px or more."
            ))  # fmt: skip
        with self._lock:
            self._group(group_id).photo = photo

    def photo(self, group_id: str) -> bytes | None:
        """The group's picture as it was sent (None: none set)."""
        with self._lock:
            return self._group(group_id).photo

    def delete(self, group_id: str) -> StoredGroup:
        with self._lock:
            self._group(group_id)
            return self._groups.pop(group_id)

    def invite_link(self, group_id: str, method: str) -> str | None:
        """GET reads the link, POST makes a new one, DELETE revokes it."""
        with self._lock:
            group = self._group(group_id)
            if method == "POST":
                group.invite_link = _new_link()
            elif method == "DELETE":
                group.invite_link = None
            return group.invite_link

    def add(self, group_id: str, users: list[str]) -> list[dict[str, str]]:
        """Add each user (all or none): the added ones; Refused with 131204 past the limit."""
        with self._lock:
            group = self._group(group_id)
            new = {normalize_phone(user): user for user in users if normalize_phone(user) not in group.participants}
            if len(group.participants) + len(new) > self.max_participants:
                raise Refused(400, cloud_error(
                    PARTICIPANT_OVERLIMIT_CODE, "Participant overlimit",
                    f"the group holds {len(group.participants)} participants; at most {self.max_participants}",
                ))  # fmt: skip
            group.participants.update(new)
        return [{"input": user, "wa_id": wa_id} for wa_id, user in new.items()]

    def remove(self, group_id: str, users: list[str]) -> tuple[list[dict[str, str]], list[dict[str, Any]]]:
        """Remove each user: the removed ones, and those not in the group (131212)."""
        removed: list[dict[str, str]] = []
        failed: list[dict[str, Any]] = []
        with self._lock:
            group = self._group(group_id)
            for user in users:
                wa_id = normalize_phone(user)
                if group.participants.pop(wa_id, None) is None:
                    failed.append({"user": user, "errors": [
                        _error(NOT_A_PARTICIPANT_CODE, "Participant is not a part of the group.")
                    ]})  # fmt: skip
                else:
                    removed.append({"input": user, "wa_id": wa_id})
        return removed, failed

    def request_to_join(self, group_id: str, number: str) -> str | None:
        """A user opens the invite link: a join request (its id) when the group needs approval; otherwise the
        user joins (None). Refused as adding is, for an unknown or full group, or a revoked link (400)."""
        wa_id = normalize_phone(number)
        with self._lock:
            group = self._group(group_id)
            if group.invite_link is None:
                raise Refused(400, {"error": "the group's invite link was revoked"})
            if group.join_approval_mode == "approval_required":
                request_id = base64.b64encode(f"{wa_id}:{uuid.uuid4().int % 10**18}".encode()).decode().rstrip("=")
                group.join_requests[request_id] = {
                    "join_request_id": request_id, "wa_id": wa_id, "creation_timestamp": int(time.time()),
                }  # fmt: skip
                return request_id
        self.add(group_id, [number])
        return None

    def join_requests(self, group_id: str, start: int, limit: int) -> tuple[list[dict[str, Any]], bool]:
        with self._lock:
            requests = list(self._group(group_id).join_requests.values())
        chosen = requests[start : start + limit]
        return [dict(item) for item in chosen], start + len(chosen) < len(requests)

    def decide(self, group_id: str, ids: list[str], approve: bool) -> tuple[list[str], list[dict[str, Any]], list[str]]:
        """Approve (the users join) or reject each request: the done ids, the failed ones, the joined wa_ids.
        Approving past the group's limit fails that request with 131204."""
        done: list[str] = []
        failed: list[dict[str, Any]] = []
        joined: list[str] = []
        with self._lock:
            group = self._group(group_id)
            for request_id in ids:
                request = group.join_requests.get(request_id)
                if request is None:
                    failed.append({"join_request_id": request_id, "errors": [
                        _error(UNKNOWN_JOIN_REQUEST_CODE, "No open join request with this id")
                    ]})  # fmt: skip
                    continue
                if approve and request["wa_id"] not in group.participants:
                    if len(group.participants) >= self.max_participants:
                        failed.append({"join_request_id": request_id, "errors": [
                            _error(PARTICIPANT_OVERLIMIT_CODE, "Participant overlimit")
                        ]})  # fmt: skip
                        continue
                    group.participants[request["wa_id"]] = request["wa_id"]
                    joined.append(request["wa_id"])
                del group.join_requests[request_id]
                done.append(request_id)
        return done, failed, joined

    def refusal(self, body: Mapping[str, Any]) -> dict[str, Any] | None:
        """The Cloud API error for a message to a group in this sandbox's id form that it does not hold."""
        to = body.get("to")
        if body.get("recipient_type") != "group" or not isinstance(to, str):
            return None
        if not to.startswith(SANDBOX_GROUP_ID_START):  # a group made outside the sandbox: taken, as before
            return None
        with self._lock:
            if to in self._groups:
                return None
        return unknown_group(to).body  # answered with 400, as every refused message is


def group_change(field: str, item: Mapping[str, Any]) -> dict[str, Any]:
    """One group webhook, in the envelope Meta sends (`groups`: one item)."""
    value = {
        "messaging_product": "whatsapp",
        "metadata": {
            "display_phone_number": payloads.SANDBOX_DISPLAY_PHONE_NUMBER,
            "phone_number_id": payloads.SANDBOX_PHONE_NUMBER_ID,
        },
        "groups": [{"timestamp": int(time.time()), "request_id": uuid.uuid4().hex, **item}],
    }
    return payloads.change_delivery(field, value)


class GroupEndpoints:
    """/groups, /groups/{group_id}, and its /invite_link, /participants and /join_requests."""

    def __init__(
        self,
        store: GroupStore,
        webhooks: WebhookSender,
        authorized: Callable[[Request], Response | None],
        read_body: Callable[[Request], Awaitable[bytes | Response]],
    ) -> None:
        self.store = store
        self._webhooks = webhooks
        self._authorized = authorized
        self._read_body = read_body

    def routes(self) -> list[Route]:
        from starlette.routing import Route

        return [
            Route(GROUPS_PATH, self.groups, methods=["GET", "POST"]),
            Route(GROUPS_PATH + "/{group_id}", self.group, methods=["GET", "POST", "DELETE"]),
            Route(GROUPS_PATH + "/{group_id}/invite_link", self.invite_link, methods=["GET", "POST", "DELETE"]),
            Route(GROUPS_PATH + "/{group_id}/participants", self.participants, methods=["POST", "DELETE"]),
            Route(GROUPS_PATH + "/{group_id}/join_requests", self.join_requests, methods=["GET", "POST", "DELETE"]),
        ]

    def _emit(self, field: str, item: Mapping[str, Any]) -> None:
        self._webhooks.deliver(group_change(field, item))

    async def _body(self, request: Request, schema: str) -> dict[str, Any] | Response:
        """The request's JSON body checked against `schema`, or the 400 that refuses it."""
        from starlette.responses import JSONResponse

        raw = await self._read_body(request)
        if not isinstance(raw, bytes):
            return raw
        try:
            body = json.loads(raw)
        except (ValueError, RecursionError):
            return JSONResponse({"error": "the body must be a JSON object"}, 400)
        problems = schema_problems(body, schema)
        if problems:
            return JSONResponse({"error": f"invalid request: {problems[0]}"}, 400)
        return dict(body)

    async def _run(self, request: Request, schema: str | None, act: Callable[[dict[str, Any]], Any]) -> Response:
        """Authorize, read the body (when `schema`), and answer what `act` gives (or its refusal)."""
        from starlette.responses import JSONResponse

        refused = self._authorized(request)
        if refused is not None:
            return refused
        body: dict[str, Any] = {}
        if schema is not None:
            read = await self._body(request, schema)
            if not isinstance(read, dict):
                return read
            body = read
        try:
            return JSONResponse(act(body))
        except Refused as exc:
            return JSONResponse(exc.body, exc.status)

    async def groups(self, request: Request) -> Response:
        if request.method == "GET":
            return await self._run(request, None, lambda _: self.listing(request))

        def create(body: dict[str, Any]) -> dict[str, Any]:
            group = self.store.create(
                body["subject"], body.get("description", ""), body.get("join_approval_mode", "auto_approve")
            )
            self._emit("group_lifecycle_update", {
                "type": "group_create", "group_id": group.id, "subject": group.subject,
                "description": group.description, "invite_link": group.invite_link,
                "join_approval_mode": group.join_approval_mode,
            })  # fmt: skip
            return {"messaging_product": "whatsapp", "id": group.id}

        return await self._run(request, "groups.CreateGroupRequest", create)

    async def group(self, request: Request) -> Response:
        group_id = request.path_params["group_id"]
        if request.method == "GET":
            fields = request.query_params.get("fields")
            chosen = [name.strip() for name in fields.split(",") if name.strip()] if fields else None
            return await self._run(request, None, lambda _: self._info(group_id, chosen))
        if request.method == "DELETE":

            def delete(_: dict[str, Any]) -> dict[str, Any]:
                gone = self.store.delete(group_id)
                self._emit("group_lifecycle_update", {"type": "group_delete", "group_id": gone.id})
                return {"success": True}

            return await self._run(request, None, delete)

        if request.headers.get("content-type", "").startswith("multipart/form-data"):
            return await self._photo(request, group_id)

        def update(body: dict[str, Any]) -> dict[str, Any]:
            self.store.update(group_id, body)
            changed: dict[str, Any] = {name: body[name] for name in ("subject", "description") if name in body}
            self._emit("group_settings_update", {"type": "group_settings_update", "group_id": group_id, **changed})
            return {"success": True}

        return await self._run(request, "groups.UpdateGroupSettingsRequest", update)

    async def _photo(self, request: Request, group_id: str) -> Response:
        """POST /groups/{group_id} as a form: the group's picture (`file`), checked as Meta checks it."""
        from starlette.responses import JSONResponse

        refused = self._authorized(request)
        if refused is not None:
            return refused
        declared = read_int(request.headers.get("content-length"), max_digits=32)
        if declared is not None and declared > MAX_PHOTO_BYTES + 4096:
            return JSONResponse({"error": f"the picture is larger than {MAX_PHOTO_BYTES} bytes"}, 413)
        try:
            form = await request.form(max_files=1)
        except Exception as exc:  # Starlette's and python-multipart's parse errors have no common base
            return JSONResponse({"error": f"not a multipart/form-data body: {exc}"}, 400)
        try:
            upload = form.get("file")
            if upload is None or isinstance(upload, str) or form.get("messaging_product") != "whatsapp":
                return JSONResponse({"error": "invalid request: needs messaging_product whatsapp and a file"}, 400)
            photo = await upload.read(MAX_PHOTO_BYTES + 1)
        finally:
            await form.close()
        try:
            self.store.set_photo(group_id, photo)
        except Refused as exc:
            return JSONResponse(exc.body, exc.status)
        self._emit("group_settings_update", {"type": "group_settings_update", "group_id": group_id,
                                             "profile_picture": {"mime_type": "image/jpeg"}})  # fmt: skip
        return JSONResponse({"success": True})

    def _info(self, group_id: str, fields: list[str] | None) -> dict[str, Any]:
        whole = self.store.group(group_id)
        if fields is None:
            return whole
        return {"id": whole["id"], **{name: whole[name] for name in fields if name in whole}}

    async def invite_link(self, request: Request) -> Response:
        group_id, method = request.path_params["group_id"], request.method

        def act(_: dict[str, Any]) -> dict[str, Any]:
            link = self.store.invite_link(group_id, method)
            if method == "DELETE":
                return {"messaging_product": "whatsapp", "success": True}
            if link is None:
                raise Refused(400, {"error": "the group's invite link was revoked: POST makes a new one"})
            return {"messaging_product": "whatsapp", "invite_link": link}

        return await self._run(request, None if method == "GET" else "groups.InviteLinkRequest", act)

    async def participants(self, request: Request) -> Response:
        group_id = request.path_params["group_id"]

        def act(body: dict[str, Any]) -> dict[str, Any]:
            users = [item["user"] for item in body["participants"]]
            if request.method == "POST":
                added = self.store.add(group_id, users)
                if added:
                    self._emit("group_participant_update", {
                        "type": "group_participants_add", "group_id": group_id, "reason": "added",
                        "added_participants": added,
                    })  # fmt: skip
                return {"messaging_product": "whatsapp"}
            removed, failed = self.store.remove(group_id, users)
            if removed:
                self._emit("group_participant_update", {
                    "type": "group_participants_remove", "group_id": group_id, "initiated_by": "business",
                    "removed_participants": removed,
                })  # fmt: skip
            answer: dict[str, Any] = {"messaging_product": "whatsapp"}
            if failed:
                answer["failed_participants"] = failed
                answer["errors"] = [_error(PARTIAL_SUCCESS_CODE, "Request partially succeeded")]
            return answer

        return await self._run(request, "groups.ParticipantsRequest", act)

    async def join_requests(self, request: Request) -> Response:
        group_id = request.path_params["group_id"]
        if request.method == "GET":
            url = str(request.url.replace(query=""))
            return await self._run(request, None, lambda _: self._join_page(group_id, request.query_params, url))
        approve = request.method == "POST"

        def act(body: dict[str, Any]) -> dict[str, Any]:
            done, failed, joined = self.store.decide(group_id, list(dict.fromkeys(body["join_requests"])), approve)
            if joined:
                self._emit("group_participant_update", {
                    "type": "group_participants_add", "group_id": group_id, "reason": "invite_link",
                    "added_participants": [{"wa_id": wa_id} for wa_id in joined],
                })  # fmt: skip
            answer: dict[str, Any] = {
                "messaging_product": "whatsapp",
                "approved_join_requests" if approve else "rejected_join_requests": done,
            }
            if failed:
                answer["failed_join_requests"] = failed
                answer["errors"] = [_error(PARTIAL_SUCCESS_CODE, "Request partially succeeded")]
            return answer

        return await self._run(request, "groups.JoinRequestsRequest", act)

    def listing(self, request: Request) -> dict[str, Any]:
        """A page of the groups in upstream's shape: `data: {groups: [...]}`, `paging`."""
        start, limit = self._window(request.query_params)
        if start is None:
            return {"data": {"groups": []}, "paging": {"cursors": {}}}
        groups, more = self.store.page(start, limit)
        url = str(request.url.replace(query=""))
        return {"data": {"groups": groups}, "paging": self._paging(request.query_params, url, start, len(groups), more)}

    def _join_page(self, group_id: str, query: Mapping[str, str], url: str) -> dict[str, Any]:
        start, limit = self._window(query)
        if start is None:
            self.store.group(group_id)  # an unknown group is refused even with a foreign cursor
            return {"data": [], "paging": {"cursors": {}}}
        items, more = self.store.join_requests(group_id, start, limit)
        return {"data": items, "paging": self._paging(query, url, start, len(items), more)}

    @staticmethod
    def _window(query: Mapping[str, str]) -> tuple[int | None, int]:
        """Where the page starts (None: a cursor this sandbox never gave, past every page) and its size."""
        limit = read_int(query.get("limit", str(DEFAULT_PAGE_SIZE)), max_digits=QUERY_DIGITS)
        if limit is None or not 1 <= limit <= MAX_PAGE_SIZE:
            raise Refused(400, {"error": f"limit must be a whole number from 1 to {MAX_PAGE_SIZE}"})
        after = query.get("after") or None
        return (_cursor_offset(after) if after is not None else 0), limit

    @staticmethod
    def _paging(query: Mapping[str, str], url: str, start: int, count: int, more: bool) -> dict[str, Any]:
        if not count:
            return {"cursors": {}}
        following = _cursor(start + count)
        paging: dict[str, Any] = {"cursors": {"before": _cursor(start), "after": following}}
        if more:
            others = [(name, value) for name, value in query.items() if name != "after"]
            paging["next"] = f"{url}?{urlencode([*others, ('after', following)])}"
        return paging
