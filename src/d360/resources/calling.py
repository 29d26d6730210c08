"""`client.calling`: WhatsApp calling: the number's calling settings, a user's call permissions, and call actions.

    settings = client.calling.settings()
    client.calling.update_settings(status="ENABLED", call_icon_visibility="DEFAULT")
    if client.calling.permissions("4915112345678").can_call:
        call = client.calling.connect("4915112345678", sdp=offer)       # offer: your WebRTC stack's SDP
    client.calling.pre_accept(call_id, sdp=answer)                      # a user's call (the connect webhook)
    client.calling.accept(call_id, sdp=answer)
    client.calling.reject(call_id); client.calling.terminate(call_id)

Written once: each operation is a function returning a `Request`, and `CallingResource` hands them to a
runner; `Calling` (on `Client`) and `AsyncCalling` (on `AsyncClient`) differ only in their runner.

The SDP is passed through exactly as given, never parsed or re-formatted: d360 checks only that it is a
non-empty string, sent as `session.sdp_type` "offer" with `connect` and "answer" with `pre_accept` and
`accept` (Meta's spec). A call action is never repeated after a failure that may have reached upstream:
a second `connect` would ring the user twice.

Wire shapes: POST /calling/calls takes upstream's `calling.CallActionRequest` {messaging_product, action,
to (connect) or call_id (the others), session {sdp_type, sdp}, biz_opaque_callback_data} and answers
`{messaging_product, calls: [{id}]}` (connect) or `{success}` (the others), both read. GET
/calling/permissions/{consumer_whatsapp_id} answers Meta's `{permission: {status, expiration_time}, actions}`;
GET /calling/settings answers `{calling: {...}, payload_encryption, storage_configuration}` (a body holding the
calling fields at the top is read too), POST /calling/settings takes `{calling: {...}}` and answers `{success}`.
"""

from __future__ import annotations

import json
from collections.abc import Coroutine, Mapping
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar, cast
from urllib.parse import quote

import attrs

from d360.errors import Problem, UnexpectedResponseError, ValidationError
from d360.numbers import read_int
from d360.resources.answers import json_object, text, texts
from d360.resources.base import AwaitingCaller, AwaitingRunner, BlockingCaller, BlockingRunner, Request, Runner
from d360.responses import _json_or_none, request_id_of, snippet
from d360.validation import PHONE_DIGITS, normalize_phone, schema_problems

CALLS_PATH = "/calling/calls"
PERMISSIONS_PATH = "/calling/permissions"
SETTINGS_PATH = "/calling/settings"
ACTION_SCHEMA = "calling.CallActionRequest"
SETTINGS_SCHEMA = "calling.UpdateSettingsRequest"
ACTIONS = ("connect", "pre_accept", "accept", "reject", "terminate")
SDP_TYPE_OF = {"connect": "offer", "pre_accept": "answer", "accept": "answer"}
"""The SDP each action carries (Meta's spec: "offer" for connect, "answer" for accept); the others carry none."""
MAX_CALLBACK_DATA = 512
"""Characters of `biz_opaque_callback_data` (Meta's spec)."""

SettingsT = TypeVar("SettingsT")
DoneT = TypeVar("DoneT")
PermissionsT = TypeVar("PermissionsT")
ResultT = TypeVar("ResultT")


@attrs.frozen
class SipServer:
    """A SIP server calls are routed to; `password` only when asked for with `include_sip_credentials`."""

    hostname: str | None = None
    port: int | None = None
    app_id: str | None = None
    password: str | None = attrs.field(default=None, repr=False)
    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)


@attrs.frozen
class CallingSettings:
    """The number's calling settings as upstream answers them; a field it left out is None (or empty).

    Values are kept in the case upstream sends them (360dialog's page writes "ENABLED", Meta's spec
    "enabled"): `enabled` reads either.
    """

    status: str | None = None
    call_icon_visibility: str | None = None
    """DEFAULT or DISABLE_ALL (360dialog, Meta's docs), visible or hidden (Meta's spec)."""
    callback_permission_status: str | None = None
    call_hours: Mapping[str, Any] | None = None
    """As upstream answers it: `status`, the time zone and the weekly hours."""
    sip_status: str | None = None
    sip_servers: tuple[SipServer, ...] = ()
    srtp_key_exchange_protocol: str | None = None
    ip_addresses: tuple[str, ...] = ()
    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)
    """The whole answer, payload encryption and storage configuration included."""

    @property
    def enabled(self) -> bool:
        return (self.status or "").lower() == "enabled"


@attrs.frozen
class CallActionLimit:
    time_period: str | None = None
    current_usage: int | None = None
    max_allowed: int | None = None
    limit_expiration_time: datetime | None = None


@attrs.frozen
class CallPermissionAction:
    """What the business may do with this user: `start_call` or `send_call_permission_request`."""

    name: str
    can_perform: bool | None = None
    limits: tuple[CallActionLimit, ...] = ()


@attrs.frozen
class CallPermissions:
    """Whether the business may call a user: `status` granted, pending, denied or expired (others kept)."""

    status: str | None = None
    expiration_time: datetime | None = None
    actions: tuple[CallPermissionAction, ...] = ()
    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)

    def action(self, name: str) -> CallPermissionAction | None:
        return next((action for action in self.actions if action.name == name), None)

    @property
    def can_call(self) -> bool:
        """`start_call` may be performed (or, when upstream lists no actions, the permission is granted)."""
        start = self.action("start_call")
        if start is not None:
            return start.can_perform is True
        return self.status == "granted"


@attrs.frozen
class CallResult:
    """A call action's answer: `call_id` for a connect (upstream's `calls[0].id`), `success` for the others."""

    call_id: str | None = None
    success: bool | None = None
    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)


def _when(value: Any) -> datetime | None:
    seconds = read_int(value)
    if seconds is None:
        return None
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _int(value: Any) -> int | None:
    return read_int(value)


def read_settings(body: Mapping[str, Any]) -> CallingSettings:
    """The calling settings of GET's answer: under `calling` (Meta, upstream), or at the top."""
    inner = body.get("calling")
    fields = inner if isinstance(inner, Mapping) else body
    sip = fields.get("sip")
    sip = sip if isinstance(sip, Mapping) else {}
    servers = sip.get("servers")
    addresses = fields.get("ip_addresses")
    hours = fields.get("call_hours")
    return CallingSettings(
        status=text(fields.get("status")),
        call_icon_visibility=text(fields.get("call_icon_visibility")),
        callback_permission_status=text(fields.get("callback_permission_status")),
        call_hours=dict(hours) if isinstance(hours, Mapping) else None,
        sip_status=text(sip.get("status")),
        sip_servers=tuple(
            SipServer(
                hostname=text(server.get("hostname")),
                port=_int(server.get("port")),
                app_id=text(server.get("app_id")),
                password=text(server.get("password")),
                raw=dict(server),
            )
            for server in servers
            if isinstance(server, Mapping)
        )
        if isinstance(servers, list)
        else (),
        srtp_key_exchange_protocol=text(fields.get("srtp_key_exchange_protocol")),
        ip_addresses=texts(addresses.get("default")) if isinstance(addresses, Mapping) else texts(addresses),
        raw=dict(body),
    )


def read_permissions(body: Mapping[str, Any]) -> CallPermissions:
    permission = body.get("permission")
    permission = permission if isinstance(permission, Mapping) else {}
    actions: list[CallPermissionAction] = []
    for item in body.get("actions") or ():
        if not isinstance(item, Mapping) or text(item.get("action_name")) is None:
            continue
        can = item.get("can_perform_action")
        limits = item.get("limits")
        actions.append(
            CallPermissionAction(
                name=cast(str, text(item.get("action_name"))),
                can_perform=can if isinstance(can, bool) else None,
                limits=tuple(
                    CallActionLimit(
                        time_period=text(limit.get("time_period")),
                        current_usage=_int(limit.get("current_usage")),
                        max_allowed=_int(limit.get("max_allowed")),
                        limit_expiration_time=_when(limit.get("limit_expiration_time")),
                    )
                    for limit in limits
                    if isinstance(limit, Mapping)
                )
                if isinstance(limits, list)
                else (),
            )
        )
    return CallPermissions(
        status=text(permission.get("status")),
        expiration_time=_when(permission.get("expiration_time")),
        actions=tuple(actions) if isinstance(body.get("actions"), list) else (),
        raw=dict(body),
    )


def read_call_result(body: Mapping[str, Any]) -> CallResult:
    calls = body.get("calls")
    first = calls[0] if isinstance(calls, list) and calls and isinstance(calls[0], Mapping) else {}
    success = body.get("success")
    return CallResult(
        call_id=text(first.get("id")), success=success if isinstance(success, bool) else None, raw=dict(body)
    )


def _refused_if_unsuccessful(status_code: int, headers: Mapping[str, str], content: bytes) -> Any:
    answer = _json_or_none(content)
    if isinstance(answer, Mapping) and answer.get("success") is False:
        raise UnexpectedResponseError(
            f"HTTP {status_code}, but upstream says it did not succeed: {snippet(content)!r}",
            status_code=status_code,
            body=answer,
            request_id=request_id_of(headers, answer),
        )
    return answer


def _encoded(body: Mapping[str, Any], subject: str) -> bytes:
    try:
        return json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
    except (TypeError, ValueError) as exc:  # a lone surrogate is a ValueError (UnicodeEncodeError)
        raise ValidationError([Problem("$", f"cannot be sent as JSON: {exc}")], subject=subject) from None


def user_id_problem(number: Any, path: str = "$.consumer_whatsapp_id") -> Problem | None:
    """A user's WhatsApp id must be a phone number's digits (+, spaces, dashes and brackets allowed)."""
    digits = normalize_phone(number) if isinstance(number, str) else ""
    low, high = PHONE_DIGITS
    if not (digits.isascii() and digits.isdigit()) or not low <= len(digits) <= high:
        return Problem(path, f"must be a WhatsApp id: a phone number of {low}-{high} digits, not {number!r}")
    return None


def permissions_request(user: str) -> Request[CallPermissions]:
    """GET /calling/permissions/{consumer_whatsapp_id}, the number checked first (always: it is in the path)."""
    if (problem := user_id_problem(user)) is not None:
        raise ValidationError([problem], subject="call permissions request")

    def parse(status_code: int, headers: Mapping[str, str], content: bytes) -> CallPermissions:
        return read_permissions(json_object(status_code, headers, content, "the call permissions"))

    path = f"{PERMISSIONS_PATH}/{quote(normalize_phone(user), safe='')}"
    return Request("GET", path, parse, idempotent=True)


def settings_request(*, include_sip_credentials: bool = False) -> Request[CallingSettings]:
    """GET /calling/settings; with `include_sip_credentials`, the SIP servers' passwords too (Meta's query)."""

    def parse(status_code: int, headers: Mapping[str, str], content: bytes) -> CallingSettings:
        return read_settings(json_object(status_code, headers, content, "the calling settings"))

    query = (("include_sip_credentials", "true"),) if include_sip_credentials else ()
    return Request("GET", SETTINGS_PATH, parse, query=query, idempotent=True)


def settings_problems(body: Mapping[str, Any]) -> list[Problem]:
    """What is wrong with a settings update: the effective spec's values (both cases taken)."""
    return schema_problems(body, SETTINGS_SCHEMA)


def update_settings_request(calling: Mapping[str, Any], *, validate: bool = True) -> Request[None]:
    """POST /calling/settings with `{calling: {...}}`, checked first unless `validate` is False."""
    if not calling:
        raise ValidationError(
            [Problem("$.calling", "nothing to update: give status, call_icon_visibility, call_hours, ...")],
            subject="calling settings",
        )
    body = {"calling": dict(calling)}
    if validate and (problems := settings_problems(body)):
        raise ValidationError(problems, subject="calling settings")
    content = _encoded(body, "calling settings")

    def parse(status_code: int, headers: Mapping[str, str], content: bytes) -> None:
        _refused_if_unsuccessful(status_code, headers, content)

    # Safe to repeat: the same settings set twice leave the same settings.
    return Request("POST", SETTINGS_PATH, parse, body=content, idempotent=True)


def action_problems(body: Mapping[str, Any]) -> list[Problem]:
    """What is wrong with a call action: the effective spec's schema, and what each action needs (Meta's
    spec): `to` for connect, `call_id` for the others, the SDP of the right type with connect, pre_accept
    and accept, and none with reject and terminate."""
    problems = schema_problems(body, ACTION_SCHEMA)
    action = body.get("action")
    if action not in ACTIONS:
        return problems
    if action == "connect":
        if "to" not in body:
            problems.append(Problem("$.to", "is required to connect: the user to call"))
        elif (problem := user_id_problem(body["to"], "$.to")) is not None:
            problems.append(problem)
    elif "call_id" not in body:
        problems.append(Problem("$.call_id", f"is required to {action} a call"))
    session = body.get("session")
    wanted = SDP_TYPE_OF.get(action)
    if wanted is None:
        if session is not None:
            problems.append(Problem("$.session", f"is not taken by {action}: it carries no SDP"))
    elif not isinstance(session, Mapping):
        if session is None:
            problems.append(Problem("$.session", f"is required to {action}: the SDP {wanted}"))
    elif session.get("sdp_type") in ("offer", "answer") and session.get("sdp_type") != wanted:
        problems.append(Problem("$.session.sdp_type", f"must be {wanted!r} to {action}, not {session['sdp_type']!r}"))
    if isinstance(session, Mapping) and isinstance(session.get("sdp"), str) and not session["sdp"].strip():
        problems.append(Problem("$.session.sdp", "must not be blank"))
    return problems


def action_request(body: Mapping[str, Any], *, validate: bool = True) -> Request[CallResult]:
    """POST /calling/calls with one action. Never repeated after a failure that may have reached upstream."""
    if validate and (problems := action_problems(body)):
        raise ValidationError(problems, subject=f"call action {body.get('action')!r}")

    def parse(status_code: int, headers: Mapping[str, str], content: bytes) -> CallResult:
        _refused_if_unsuccessful(status_code, headers, content)
        return read_call_result(json_object(status_code, headers, content, "the call action's result"))

    return Request("POST", CALLS_PATH, parse, body=_encoded(body, "call action"))


def action_body(
    action: str,
    *,
    to: str | None = None,
    call_id: str | None = None,
    sdp: str | None = None,
    biz_opaque_callback_data: str | None = None,
) -> dict[str, Any]:
    """A call action's body: the SDP goes in as given, typed as the action needs."""
    body: dict[str, Any] = {"messaging_product": "whatsapp", "action": action}
    if to is not None:
        body["to"] = normalize_phone(to) if isinstance(to, str) else to
    if call_id is not None:
        body["call_id"] = call_id
    if sdp is not None:
        body["session"] = {"sdp_type": SDP_TYPE_OF.get(action, "offer"), "sdp": sdp}
    if biz_opaque_callback_data is not None:
        body["biz_opaque_callback_data"] = biz_opaque_callback_data
    return body


class CallingResource(Generic[SettingsT, DoneT, PermissionsT, ResultT]):
    _runner: Runner

    def settings(self, *, include_sip_credentials: bool = False) -> SettingsT:
        """The number's calling settings (calling on or off, call icon, call hours, callback permission, SIP)."""
        return cast(SettingsT, self._runner.run(settings_request(include_sip_credentials=include_sip_credentials)))

    def update_settings(
        self,
        *,
        status: str | None = None,
        call_icon_visibility: str | None = None,
        call_hours: Mapping[str, Any] | None = None,
        callback_permission_status: str | None = None,
        sip: Mapping[str, Any] | None = None,
        srtp_key_exchange_protocol: str | None = None,
        **other: Any,
    ) -> DoneT:
        """Set what is given; what is left out stays as it is.

        `status` ENABLED or DISABLED (or Meta's lowercase), `call_icon_visibility` DEFAULT or DISABLE_ALL
        (or visible, hidden), `callback_permission_status` ENABLED or DISABLED, `call_hours` and `sip` as
        mappings with their own `status` (the rest passed on as given), and any other calling setting
        upstream adds by its name (`**other`). Checked first unless the client was made with `validate=False`.
        """
        given = {
            "status": status,
            "call_icon_visibility": call_icon_visibility,
            "call_hours": call_hours,
            "callback_permission_status": callback_permission_status,
            "sip": sip,
            "srtp_key_exchange_protocol": srtp_key_exchange_protocol,
            **other,
        }
        calling = {name: value for name, value in given.items() if value is not None}
        return cast(DoneT, self._runner.run(update_settings_request(calling, validate=self._runner.validates)))

    def permissions(self, user: str) -> PermissionsT:
        """Whether the business may call `user` (their WhatsApp id), and what it may do: `.can_call`."""
        return cast(PermissionsT, self._runner.run(permissions_request(user)))

    def connect(self, to: str, *, sdp: str, biz_opaque_callback_data: str | None = None) -> ResultT:
        """Call a user (who granted permission): `sdp` is your SDP offer, sent as given. `.call_id` names it."""
        return self._act("connect", to=to, sdp=sdp, biz_opaque_callback_data=biz_opaque_callback_data)

    def pre_accept(self, call_id: str, *, sdp: str) -> ResultT:
        """Start a user's call's media before accepting it (faster connection): `sdp` is your SDP answer."""
        return self._act("pre_accept", call_id=call_id, sdp=sdp)

    def accept(self, call_id: str, *, sdp: str, biz_opaque_callback_data: str | None = None) -> ResultT:
        """Accept a user's call: `sdp` is your SDP answer to the offer in its connect webhook."""
        return self._act("accept", call_id=call_id, sdp=sdp, biz_opaque_callback_data=biz_opaque_callback_data)

    def reject(self, call_id: str) -> ResultT:
        """Reject a user's call."""
        return self._act("reject", call_id=call_id)

    def terminate(self, call_id: str) -> ResultT:
        """End a call, whoever started it."""
        return self._act("terminate", call_id=call_id)

    def _act(self, action: str, **fields: Any) -> ResultT:
        # What is refused without validation too: the SDP and call id are the request's whole point.
        problems: list[Problem] = []
        if "sdp" in fields and not (isinstance(fields["sdp"], str) and fields["sdp"].strip()):
            problems.append(Problem("$.session.sdp", f"must be a non-empty SDP string, not {fields['sdp']!r}"))
        if "call_id" in fields and not (isinstance(fields["call_id"], str) and fields["call_id"].strip()):
            problems.append(Problem("$.call_id", f"must be a non-empty call id, not {fields['call_id']!r}"))
        callback = fields.get("biz_opaque_callback_data")
        if callback is not None and not isinstance(callback, str):
            problems.append(Problem("$.biz_opaque_callback_data", f"must be a string, not {callback!r}"))
        if problems:
            raise ValidationError(problems, subject=f"call action {action!r}")
        body = action_body(action, **fields)
        return cast(ResultT, self._runner.run(action_request(body, validate=self._runner.validates)))


class Calling(CallingResource[CallingSettings, None, CallPermissions, CallResult]):
    """`client.calling` on `Client`: each method blocks."""

    def __init__(self, client: BlockingCaller) -> None:
        self._runner = BlockingRunner(client)


class AsyncCalling(
    CallingResource[
        Coroutine[Any, Any, CallingSettings],
        Coroutine[Any, Any, None],
        Coroutine[Any, Any, CallPermissions],
        Coroutine[Any, Any, CallResult],
    ]
):
    """`client.calling` on `AsyncClient`: the same methods, awaited."""

    def __init__(self, client: AwaitingCaller) -> None:
        self._runner = AwaitingRunner(client)
