"""The sandbox's calling: GET and POST /calling/settings, GET /calling/permissions/{user}, POST /calling/calls.

The number starts with calling DISABLED and no user's permission (each user's is `denied` until a test
grants it: `sandbox.calling.set_permission(user, "granted")`). Calls follow a state machine:

    a user calls (`incoming_call`)   ringing --pre_accept--> pre_accepted --accept--> accepted
    the business calls (connect)     ringing --the user answers (`user_answers`)--> accepted
    reject (a user's call), the user declining, terminate (any live call): --> ended

An action on an unknown call, on an ended one, or one the call's state or direction does not allow is
refused with 400 and a Cloud API error; connect needs calling ENABLED (138000) and the user's permission
(138006, Meta's spec). Where a webhook URL is set, the calls' webhooks are sent as Meta documents them: a
user's call connecting (with its SDP offer), a business's call RINGING, ACCEPTED (and connecting, with the
user's SDP answer) or REJECTED, and every call's end. `reset()` empties it all.

The user's side is played through the sandbox's own routes (the webhooks are sent from its event loop):
POST /_sandbox/calls {from, sdp} (a user calls), POST /_sandbox/calls/{call_id} {answer: accept, reject or
hang_up, sdp} and POST /_sandbox/call_permissions {from, response: accept or reject, is_permanent} (a user
answers a call permission request: the permission is set and the reply's webhook sent). From a test's
thread, the `CallingState` methods of the same names do it too when no webhook URL is set.
"""

from __future__ import annotations

import copy
import hashlib
import json
import threading
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from d360.resources.calling import (
    CALLS_PATH,
    PERMISSIONS_PATH,
    SETTINGS_PATH,
    action_problems,
    settings_problems,
    user_id_problem,
)
from d360.sandbox.templates import cloud_error
from d360.validation import normalize_phone
from d360.webhooks import payloads

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

CALLING_NOT_ENABLED_CODE = 138000
"""Connect while calling is disabled. Meta's Calling API error codes page ("Calling not enabled"); not in the
vendored material, so a reading of Meta's docs."""
NO_PERMISSION_CODE = 138006
"""Connect without the user's permission: Meta's spec (manageCalls: "error code 138006 indicates a lack of a
call request permission")."""
INVALID_CALL_CODE = 100
"""An action on a call that is unknown, ended, or in a state that does not take it. Neither 360dialog's page
nor Meta's spec names this error: the Graph API's "Invalid parameter" is d360's guess."""
INITIAL_SETTINGS: dict[str, Any] = {
    "status": "DISABLED",
    "call_icon_visibility": "DEFAULT",
    "callback_permission_status": "DISABLED",
    "call_hours": {"status": "DISABLED"},
    "sip": {"status": "DISABLED", "servers": []},
    "ip_addresses": {"default": ["157.240.0.53"]},
}
LIVE_STATES = frozenset({"ringing", "pre_accepted", "accepted"})
USER_CALLS_PATH = "/_sandbox/calls"
USER_PERMISSIONS_PATH = "/_sandbox/call_permissions"
PERMISSION_LIFETIME = 7 * 86_400
"""Seconds a temporary permission lasts (Meta's calling docs: 7 days)."""


@attrs.define
class Call:
    """One call as the sandbox keeps it. `user` is the customer's number, whichever way the call goes."""

    id: str
    user: str
    direction: str
    """USER_INITIATED or BUSINESS_INITIATED, as Meta's webhooks say."""
    state: str = "ringing"
    """ringing, pre_accepted, accepted or ended."""
    offer: str | None = None
    answer: str | None = None
    """The SDPs exchanged, exactly as each side sent them."""
    biz_opaque_callback_data: str | None = None
    started_at: float | None = None
    """When it was accepted."""
    end_status: str | None = None
    """COMPLETED or FAILED, once ended."""


class CallingState:
    """Settings, permissions and calls. Safe to use from a test's thread while the sandbox serves.

    `deliver` queues one webhook body (the sandbox's sender; False when no URL is set).
    """

    def __init__(
        self,
        deliver: Callable[[Mapping[str, Any]], bool] | None = None,
        deliver_message: Callable[[Mapping[str, Any], str], bool] | None = None,
    ) -> None:
        self._deliver = deliver
        self._deliver_message = deliver_message
        self._lock = threading.Lock()
        self._settings: dict[str, Any] = {}
        self._permissions: dict[str, tuple[str, int | None]] = {}
        self._calls: dict[str, Call] = {}
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._settings = copy.deepcopy(INITIAL_SETTINGS)
            self._permissions.clear()
            self._calls.clear()

    # Settings.

    def settings(self) -> dict[str, Any]:
        with self._lock:
            return copy.deepcopy(self._settings)

    def settings_answer(self, *, include_sip_credentials: bool = False) -> dict[str, Any]:
        """GET's body, in Meta's shape; the SIP servers' passwords only when asked for."""
        calling = self.settings()
        for server in calling.get("sip", {}).get("servers", []):
            server.pop("password", None)
            if include_sip_credentials and isinstance(server.get("hostname"), str):
                server["password"] = hashlib.sha256(f"d360-sip:{server['hostname']}".encode()).hexdigest()[:24]
        return {"calling": calling, "storage_configuration": {"status": "default"}}

    def update_settings(self, changes: Mapping[str, Any]) -> None:
        with self._lock:
            for name, value in changes.items():
                self._settings[name] = copy.deepcopy(value)

    def enabled(self) -> bool:
        with self._lock:
            return str(self._settings.get("status", "")).lower() == "enabled"

    # Permissions.

    def set_permission(self, user: str, status: str = "granted", *, expiration_time: int | None = None) -> None:
        """What `user` answered to a call permission request: granted, pending, denied or expired."""
        with self._lock:
            self._permissions[normalize_phone(user)] = (status, expiration_time)

    def permission_reply(self, user: str, response: str = "accept", *, is_permanent: bool = False) -> str:
        """A user answers a call permission request: granted (for 7 days, or for good) or denied, and the
        reply's webhook (an interactive message) sent. Its message id."""
        expiration = None if is_permanent or response != "accept" else int(time.time()) + PERMISSION_LIFETIME
        self.set_permission(user, "granted" if response == "accept" else "denied", expiration_time=expiration)
        message = payloads.call_permission_reply(
            normalize_phone(user), response, is_permanent=is_permanent, expiration_timestamp=expiration
        )
        if self._deliver_message is not None:
            self._deliver_message(message, "Sandbox Customer")
        return str(message["id"])

    def permission(self, user: str) -> str:
        with self._lock:
            return self._permissions.get(normalize_phone(user), ("denied", None))[0]

    def permissions_answer(self, user: str) -> dict[str, Any]:
        with self._lock:
            status, expiration = self._permissions.get(normalize_phone(user), ("denied", None))
            calls_today = sum(
                1 for call in self._calls.values()
                if call.user == normalize_phone(user) and call.direction == "BUSINESS_INITIATED"
            )  # fmt: skip
        permission: dict[str, Any] = {"status": status}
        if expiration is not None:
            permission["expiration_time"] = expiration
        granted = status == "granted"
        return {
            "messaging_product": "whatsapp",
            "permission": permission,
            "actions": [
                {"action_name": "send_call_permission_request", "can_perform_action": not granted,
                 "limits": [{"time_period": "PT24H", "current_usage": 0, "max_allowed": 1}]},
                {"action_name": "start_call", "can_perform_action": granted,
                 "limits": [{"time_period": "PT24H", "current_usage": calls_today, "max_allowed": 100}]},
            ],
        }  # fmt: skip

    # Calls.

    def calls(self) -> dict[str, Call]:
        """Every call the sandbox knows, by id (copies)."""
        with self._lock:
            return {call_id: attrs.evolve(call) for call_id, call in self._calls.items()}

    def call(self, call_id: str) -> Call | None:
        with self._lock:
            found = self._calls.get(call_id)
            return attrs.evolve(found) if found is not None else None

    def incoming_call(self, user: str, *, sdp: str) -> str:
        """A user calls the business: the call rings, and its connect webhook (with `sdp`, the user's
        offer) is sent. The call's id."""
        call = Call(payloads.new_call_id(), normalize_phone(user), "USER_INITIATED", offer=sdp)
        with self._lock:
            self._calls[call.id] = call
        self._send(calls=[payloads.call_connect(call.id, call.user, payloads.SANDBOX_DISPLAY_PHONE_NUMBER, sdp=sdp)],
                   contacts=[payloads.contact(call.user, "Sandbox Customer")])  # fmt: skip
        return call.id

    def user_answers(self, call_id: str, *, accept: bool = True, sdp: str = "v=0\r\n") -> None:
        """The user answers a business's ringing call: ACCEPTED (and the connect webhook with their SDP
        answer), or REJECTED and the call's end."""
        with self._lock:
            call = self._calls[call_id]
            if call.direction != "BUSINESS_INITIATED" or call.state != "ringing":
                raise ValueError(f"call {call_id} is not a business's call ringing ({call.direction}, {call.state})")
            if accept:
                call.state, call.answer, call.started_at = "accepted", sdp, time.time()
            else:
                call.state, call.end_status = "ended", "FAILED"
            snapshot = attrs.evolve(call)
        business = payloads.SANDBOX_DISPLAY_PHONE_NUMBER
        status = payloads.call_status(
            call_id, "ACCEPTED" if accept else "REJECTED", snapshot.user,
            biz_opaque_callback_data=snapshot.biz_opaque_callback_data,
        )  # fmt: skip
        if accept:
            connect = payloads.call_connect(
                call_id, business, snapshot.user, sdp=sdp, sdp_type="answer", direction="BUSINESS_INITIATED"
            )
            self._send(statuses=[status])
            self._send(calls=[connect])
        else:
            self._send(statuses=[status])
            self._send_end(snapshot)

    def user_hangs_up(self, call_id: str) -> None:
        """The user ends a live call."""
        with self._lock:
            call = self._calls[call_id]
            if call.state not in LIVE_STATES:
                raise ValueError(f"call {call_id} has ended")
            call.state, call.end_status = "ended", "COMPLETED" if call.started_at is not None else "FAILED"
            snapshot = attrs.evolve(call)
        self._send_end(snapshot)

    def act(self, body: Mapping[str, Any]) -> tuple[int, dict[str, Any]]:
        """A call action, checked as upstream would: the status and body to answer."""
        action = body["action"]
        if action == "connect":
            return self._connect(body)
        call_id = body["call_id"]
        with self._lock:
            call = self._calls.get(call_id)
            refusal = _refusal(call, call_id, action)
            if refusal is not None or call is None:
                return 400, cloud_error(INVALID_CALL_CODE, "Invalid parameter", refusal or "")
            if action in ("pre_accept", "accept"):
                call.answer = body["session"]["sdp"]
                call.state = "pre_accepted" if action == "pre_accept" else "accepted"
                if action == "accept":
                    call.started_at = time.time()
                    call.biz_opaque_callback_data = body.get("biz_opaque_callback_data", call.biz_opaque_callback_data)
                snapshot = None
            else:
                call.state = "ended"
                call.end_status = "COMPLETED" if call.started_at is not None else "FAILED"
                snapshot = attrs.evolve(call)
        if snapshot is not None:
            self._send_end(snapshot)
        return 200, {"messaging_product": "whatsapp", "success": True}

    def _connect(self, body: Mapping[str, Any]) -> tuple[int, dict[str, Any]]:
        user = normalize_phone(body["to"])
        if not self.enabled():
            return 400, cloud_error(
                CALLING_NOT_ENABLED_CODE, "Calling not enabled", "calling is not enabled for this number"
            )
        if self.permission(user) != "granted":
            return 400, cloud_error(
                NO_PERMISSION_CODE, "No approved call permission",
                f"{user} has not granted this business permission to call them",
            )  # fmt: skip
        callback = body.get("biz_opaque_callback_data")
        call = Call(payloads.new_call_id(), user, "BUSINESS_INITIATED", offer=body["session"]["sdp"],
                    biz_opaque_callback_data=callback)  # fmt: skip
        with self._lock:
            self._calls[call.id] = call
        self._send(statuses=[payloads.call_status(call.id, "RINGING", user, biz_opaque_callback_data=callback)])
        return 200, {"messaging_product": "whatsapp", "calls": [{"id": call.id}]}

    def _send_end(self, call: Call) -> None:
        business = payloads.SANDBOX_DISPLAY_PHONE_NUMBER
        caller, callee = (call.user, business) if call.direction == "USER_INITIATED" else (business, call.user)
        self._send(calls=[payloads.call_terminate(
            call.id, caller, callee, status=call.end_status or "COMPLETED", direction=call.direction,
            start_time=call.started_at, biz_opaque_callback_data=call.biz_opaque_callback_data,
        )])  # fmt: skip

    def _send(self, **parts: Any) -> None:
        if self._deliver is not None:
            self._deliver(payloads.calls_delivery(**parts))


def _refusal(call: Call | None, call_id: str, action: str) -> str | None:
    """Why `action` cannot be taken on the call, or None."""
    if call is None:
        return f"call_id {call_id!r} is not a call of this number"
    if call.state == "ended":
        return f"call {call_id} has ended"
    if action in ("pre_accept", "accept", "reject") and call.direction != "USER_INITIATED":
        return f"call {call_id} was started by the business: only the user can {action} it"
    if action == "pre_accept" and call.state != "ringing":
        return f"call {call_id} is {call.state}: only a ringing call can be pre-accepted"
    if action in ("accept", "reject") and call.state == "accepted":
        return f"call {call_id} is already accepted"
    return None


class CallingEndpoints:
    """GET and POST /calling/settings, GET /calling/permissions/{consumer_whatsapp_id}, POST /calling/calls."""

    def __init__(
        self,
        state: CallingState,
        authorized: Callable[[Request], Response | None],
        read_body: Callable[[Request], Awaitable[bytes | Response]],
    ) -> None:
        self.state = state
        self._authorized = authorized
        self._read_body = read_body

    def routes(self) -> list[Route]:
        from starlette.routing import Route

        return [
            Route(SETTINGS_PATH, self.settings, methods=["GET", "POST"]),
            Route(PERMISSIONS_PATH + "/{consumer_whatsapp_id}", self.permissions, methods=["GET"]),
            Route(CALLS_PATH, self.calls, methods=["POST"]),
            Route(USER_CALLS_PATH, self.user_calls, methods=["POST"]),
            Route(USER_CALLS_PATH + "/{call_id}", self.user_answers, methods=["POST"]),
            Route(USER_PERMISSIONS_PATH, self.user_permission_reply, methods=["POST"]),
        ]

    async def _json_object(self, request: Request, what: str) -> dict[str, Any] | Response:
        from starlette.responses import JSONResponse

        raw = await self._read_body(request)
        if not isinstance(raw, bytes):
            return raw
        try:
            body = json.loads(raw)
        except (ValueError, RecursionError):
            return JSONResponse({"error": f"the body must be JSON: {what}"}, 400)
        if not isinstance(body, dict):
            return JSONResponse({"error": f"the body must be a JSON object: {what}"}, 400)
        return body

    async def settings(self, request: Request) -> Response:
        from starlette.responses import JSONResponse

        refused = self._authorized(request)
        if refused is not None:
            return refused
        if request.method == "GET":
            flag = request.query_params.get("include_sip_credentials", "false")
            if flag not in ("true", "false"):
                return JSONResponse({"error": f"include_sip_credentials must be true or false, not {flag!r}"}, 400)
            return JSONResponse(self.state.settings_answer(include_sip_credentials=flag == "true"))
        body = await self._json_object(request, "{calling: {...}}, the settings to set")
        if not isinstance(body, dict):
            return body
        problems = settings_problems(body)
        if not problems and not body["calling"]:
            return JSONResponse({"error": "invalid calling settings: nothing to update"}, 400)
        if problems:
            return JSONResponse({"error": f"invalid calling settings: {problems[0]}"}, 400)
        self.state.update_settings(body["calling"])
        return JSONResponse({"success": True})

    async def permissions(self, request: Request) -> Response:
        from starlette.responses import JSONResponse

        refused = self._authorized(request)
        if refused is not None:
            return refused
        user = request.path_params["consumer_whatsapp_id"]
        if not (user.isascii() and user.isdigit()) or user_id_problem(user) is not None:
            return JSONResponse({"error": f"consumer_whatsapp_id must be a WhatsApp id's digits, not {user!r}"}, 400)
        return JSONResponse(self.state.permissions_answer(user))

    async def calls(self, request: Request) -> Response:
        from starlette.responses import JSONResponse

        refused = self._authorized(request)
        if refused is not None:
            return refused
        body = await self._json_object(request, "a call action")
        if not isinstance(body, dict):
            return body
        problems = action_problems(body)
        if problems:
            return JSONResponse(
                cloud_error(INVALID_CALL_CODE, "Invalid parameter", f"invalid call action: {problems[0]}"), 400
            )
        status, answer = self.state.act(body)
        return JSONResponse(answer, status)

    # The user's side, for tests and examples.

    async def user_calls(self, request: Request) -> Response:
        """POST /_sandbox/calls {from, sdp}: a user calls the business; answers {call_id}."""
        from starlette.responses import JSONResponse

        body = await self._json_object(request, "{from, sdp}: the user calling, and their SDP offer")
        if not isinstance(body, dict):
            return body
        user, sdp = body.get("from"), body.get("sdp")
        if not isinstance(user, str) or user_id_problem(user) is not None or not isinstance(sdp, str) or not sdp:
            return JSONResponse({"error": "a user's call needs `from` (a WhatsApp id) and `sdp` (a string)"}, 400)
        return JSONResponse({"call_id": self.state.incoming_call(user, sdp=sdp)})

    async def user_answers(self, request: Request) -> Response:
        """POST /_sandbox/calls/{call_id} {answer: accept, reject or hang_up, sdp}: the user's side of a call."""
        from starlette.responses import JSONResponse

        body = await self._json_object(request, "{answer: accept, reject or hang_up, sdp}")
        if not isinstance(body, dict):
            return body
        call_id, answer, sdp = request.path_params["call_id"], body.get("answer"), body.get("sdp", "v=0\r\n")
        if answer not in ("accept", "reject", "hang_up") or not isinstance(sdp, str):
            return JSONResponse({"error": "`answer` must be accept, reject or hang_up (and `sdp` a string)"}, 400)
        try:
            if answer == "hang_up":
                self.state.user_hangs_up(call_id)
            else:
                self.state.user_answers(call_id, accept=answer == "accept", sdp=sdp)
        except KeyError:
            return JSONResponse({"error": f"no call {call_id!r}"}, 404)
        except ValueError as refused:
            return JSONResponse({"error": str(refused)}, 409)
        return JSONResponse({"success": True})

    async def user_permission_reply(self, request: Request) -> Response:
        """POST /_sandbox/call_permissions {from, response, is_permanent}: a user answers a permission request."""
        from starlette.responses import JSONResponse

        body = await self._json_object(request, "{from, response: accept or reject, is_permanent}")
        if not isinstance(body, dict):
            return body
        user, response, permanent = body.get("from"), body.get("response", "accept"), body.get("is_permanent", False)
        if not isinstance(user, str) or user_id_problem(user) is not None or response not in ("accept", "reject"):
            return JSONResponse({"error": "needs `from` (a WhatsApp id) and `response` accept or reject"}, 400)
        if not isinstance(permanent, bool):
            return JSONResponse({"error": "`is_permanent` must be true or false"}, 400)
        return JSONResponse({"message_id": self.state.permission_reply(user, response, is_permanent=permanent)})
