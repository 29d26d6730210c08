"""`client.calling` (settings, permissions, call actions) through both clients, the sandbox's calls and their
state machine, and the call webhooks parsed into typed events and routed by `Receiver.on_call`."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

import d360
from d360 import sandbox
from d360.resources.calling import CallingSettings, CallPermissions, CallResult
from d360.sandbox.calling import CALLING_NOT_ENABLED_CODE, INITIAL_SETTINGS, INVALID_CALL_CODE, NO_PERMISSION_CODE
from d360.webhooks import CallEvent, CallPermissionReply, IncomingMessage, Receiver, UnknownEvent, parse, payloads, sign
from tests.scripted_server import Reply, ScriptedServer
from tests.servers import serving_asgi, wait_for
from tests.test_cli import D360

USER = "4915112345678"
SECRET = "call-secret"
# An SDP as a WebRTC stack writes it: CRLF line ends, a trailing space, a non-ASCII session name. It must
# arrive byte for byte: nothing may parse, strip or re-format it.
OFFER = "v=0\r\no=- 3626166318745852955 2 IN IP4 127.0.0.1\r\ns=Grüße \r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
ANSWER = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=setup:active\r\n"


@pytest.fixture(scope="module")
def served() -> Iterator[sandbox.RunningSandbox]:
    with sandbox.running() as running:
        yield running


@pytest.fixture(autouse=True)
def fresh_calling(served: sandbox.RunningSandbox) -> None:
    served.sandbox.calling.reset()


@pytest.fixture(params=["sync", "async"])
def call(request: pytest.FixtureRequest, served: sandbox.RunningSandbox) -> Callable[..., Any]:
    """`call("connect", USER, sdp=...)`: one `client.calling` method through the blocking or the async client."""
    return calling_through(request.param, api_key=served.api_key, base_url=served.base_url)


def calling_through(kind: str, **options: Any) -> Callable[..., Any]:
    def run(method: str, *args: Any, **kwargs: Any) -> Any:
        if kind == "sync":
            with d360.Client(**options) as client:
                return getattr(client.calling, method)(*args, **kwargs)

        async def awaited() -> Any:
            async with d360.AsyncClient(**options) as client:
                return await getattr(client.calling, method)(*args, **kwargs)

        return asyncio.run(awaited())

    return run


def enable(served: sandbox.RunningSandbox, *users: str) -> None:
    served.sandbox.calling.update_settings({"status": "ENABLED"})
    for user in users:
        served.sandbox.calling.set_permission(user, "granted")


# The operations, through both clients.


def test_settings_are_read_and_updated(call: Callable[..., Any], served: sandbox.RunningSandbox) -> None:
    first = call("settings")
    assert isinstance(first, CallingSettings) and first.status == "DISABLED" and not first.enabled
    assert first.call_icon_visibility == "DEFAULT" and first.ip_addresses == ("157.240.0.53",)
    hours = {"status": "ENABLED", "timezone_id": "Europe/Berlin",
             "weekly_operating_hours": [{"day_of_week": "MONDAY", "open_time": "0900", "close_time": "1700"}]}  # fmt: skip
    sip = {"status": "ENABLED", "servers": [{"hostname": "sip.example.com", "port": 5061}]}
    assert (
        call("update_settings", status="ENABLED", call_hours=hours, sip=sip, callback_permission_status="ENABLED")
        is None
    )
    changed = call("settings")
    assert changed.enabled and changed.call_hours == hours and changed.callback_permission_status == "ENABLED"
    assert changed.sip_status == "ENABLED" and [(s.hostname, s.port, s.password) for s in changed.sip_servers] == [
        ("sip.example.com", 5061, None)
    ]
    with_credentials = call("settings", include_sip_credentials=True)
    assert with_credentials.sip_servers[0].password  # only when asked for
    call("update_settings", status="disabled", call_icon_visibility="hidden")  # Meta's spelling is taken too
    assert served.sandbox.calling.settings()["status"] == "disabled"
    assert served.sandbox.calling.settings()["call_hours"] == hours  # left out: unchanged


def test_permissions_are_read(call: Callable[..., Any], served: sandbox.RunningSandbox) -> None:
    denied = call("permissions", "+49 151 1234 5678")
    assert isinstance(denied, CallPermissions) and denied.status == "denied" and not denied.can_call
    assert denied.action("send_call_permission_request").can_perform is True  # type: ignore[union-attr]
    served.sandbox.calling.set_permission(USER, "granted", expiration_time=1_900_000_000)
    granted = call("permissions", USER)
    assert granted.can_call and granted.expiration_time is not None and granted.expiration_time.year == 2030
    assert granted.action("start_call").limits[0].max_allowed == 100  # type: ignore[union-attr]


def test_a_business_call_rings_the_user_with_the_offer_as_given(
    call: Callable[..., Any], served: sandbox.RunningSandbox
) -> None:
    enable(served, USER)
    started = call("connect", "+49 151 12345678", sdp=OFFER, biz_opaque_callback_data="ticket-7")
    assert isinstance(started, CallResult) and started.call_id and started.call_id.startswith("wacid.")
    kept = served.sandbox.calling.call(started.call_id)
    assert kept is not None and kept.offer == OFFER and kept.state == "ringing" and kept.user == USER
    assert kept.biz_opaque_callback_data == "ticket-7"
    served.sandbox.calling.user_answers(started.call_id, sdp=ANSWER)
    ended = call("terminate", started.call_id)
    assert ended.success is True and ended.call_id is None
    assert served.sandbox.calling.call(started.call_id).end_status == "COMPLETED"  # type: ignore[union-attr]


def test_a_users_call_is_pre_accepted_accepted_and_terminated_with_the_answer_as_given(
    call: Callable[..., Any], served: sandbox.RunningSandbox
) -> None:
    enable(served)
    call_id = served.sandbox.calling.incoming_call(USER, sdp=OFFER)
    assert call("pre_accept", call_id, sdp=ANSWER).success is True
    assert served.sandbox.calling.call(call_id).state == "pre_accepted"  # type: ignore[union-attr]
    assert call("accept", call_id, sdp=ANSWER, biz_opaque_callback_data="agent-3").success is True
    accepted = served.sandbox.calling.call(call_id)
    assert accepted is not None and accepted.state == "accepted" and accepted.answer == ANSWER
    assert call("terminate", call_id).success is True
    assert served.sandbox.calling.call(call_id).state == "ended"  # type: ignore[union-attr]


def test_a_users_call_is_rejected(call: Callable[..., Any], served: sandbox.RunningSandbox) -> None:
    call_id = served.sandbox.calling.incoming_call(USER, sdp=OFFER)
    assert call("reject", call_id).success is True
    rejected = served.sandbox.calling.call(call_id)
    assert rejected is not None and rejected.state == "ended" and rejected.end_status == "FAILED"


# Bad input: refused before anything is sent.


@pytest.mark.parametrize(
    ("method", "args", "kwargs", "expected"),
    [
        ("connect", (USER,), {"sdp": ""}, "$.session.sdp: must be a non-empty SDP string"),
        ("connect", (USER,), {"sdp": " \r\n"}, "$.session.sdp: must be a non-empty SDP string"),
        ("connect", (USER,), {"sdp": b"v=0"}, "$.session.sdp: must be a non-empty SDP string"),
        ("connect", ("call me",), {"sdp": OFFER}, "$.to: must be a WhatsApp id"),
        (
            "connect",
            (USER,),
            {"sdp": OFFER, "biz_opaque_callback_data": "x" * 513},
            "$.biz_opaque_callback_data: is 513",
        ),
        ("connect", (USER,), {"sdp": "v=0\ud800"}, "$: cannot be sent as JSON"),
        ("accept", ("",), {"sdp": ANSWER}, "$.call_id: must be a non-empty call id"),
        ("pre_accept", ("wacid.X",), {"sdp": None}, "$.session.sdp: must be a non-empty SDP string"),
        ("reject", (None,), {}, "$.call_id: must be a non-empty call id"),
        ("terminate", ("  ",), {}, "$.call_id: must be a non-empty call id"),
        ("permissions", ("abc",), {}, "$.consumer_whatsapp_id: must be a WhatsApp id"),
        ("permissions", ("١٢٣٤٥٦٧٨٩",), {}, "$.consumer_whatsapp_id: must be a WhatsApp id"),
        ("update_settings", (), {}, "$.calling: nothing to update"),
        ("update_settings", (), {"status": "on"}, "$.calling.status: "),
        ("update_settings", (), {"call_icon_visibility": "SHOWN"}, "$.calling.call_icon_visibility: "),
        ("update_settings", (), {"call_hours": {"timezone_id": "UTC"}}, "$.calling.call_hours.status: is required"),
        ("update_settings", (), {"sip": {"status": "yes"}}, "$.calling.sip.status: "),
    ],
)
@pytest.mark.parametrize("kind", ["sync", "async"])
def test_bad_input_is_refused_before_sending(
    server: ScriptedServer, kind: str, method: str, args: tuple[Any, ...], kwargs: dict[str, Any], expected: str
) -> None:
    server.script(Reply(200, {"success": True}))
    with pytest.raises(d360.ValidationError) as refused:
        calling_through(kind, api_key="k", base_url=server.base_url)(method, *args, **kwargs)
    assert str(refused.value.problems[0]).startswith(expected), refused.value.problems
    assert server.requests == []  # nothing reached the server


def test_what_is_sent_is_upstreams_call_action_with_the_sdp_untouched(server: ScriptedServer) -> None:
    server.script(Reply(200, {"messaging_product": "whatsapp", "calls": [{"id": "wacid.A"}]}),
                  Reply(200, {"messaging_product": "whatsapp", "success": True}))  # fmt: skip
    run = calling_through("sync", api_key="k", base_url=server.base_url)
    assert run("connect", "+49 151 12345678", sdp=OFFER).call_id == "wacid.A"
    run("accept", "wacid.B", sdp=ANSWER)
    connect, accept = (request.json() for request in server.requests)
    assert connect == {"messaging_product": "whatsapp", "action": "connect", "to": USER,
                       "session": {"sdp_type": "offer", "sdp": OFFER}}  # fmt: skip
    assert accept == {"messaging_product": "whatsapp", "action": "accept", "call_id": "wacid.B",
                      "session": {"sdp_type": "answer", "sdp": ANSWER}}  # fmt: skip
    assert connect["session"]["sdp"].encode() == OFFER.encode()
    assert [request.path for request in server.requests] == ["/calling/calls", "/calling/calls"]


def test_a_call_action_is_never_repeated_after_a_failure_that_may_have_reached_upstream(
    server: ScriptedServer,
) -> None:
    server.script(Reply(502, {"error": "bad gateway"}), Reply(200, {"calls": [{"id": "wacid.A"}]}))
    with (
        d360.Client(api_key="k", base_url=server.base_url, sleep=lambda seconds: None) as client,
        pytest.raises(d360.ServerError),
    ):
        client.calling.connect(USER, sdp=OFFER)
    assert len(server.requests) == 1  # a second connect would ring the user twice


def test_answers_in_other_shapes_are_read_and_unknown_values_kept(server: ScriptedServer) -> None:
    sip = {"status": "enabled", "servers": [{"hostname": "h", "app_id": 7, "password": "p", "tls": True}]}
    server.script(
        Reply(200, {"status": "enabled", "call_icon_visibility": "visible", "sip": sip, "new": 1}),
        Reply(200, {"permission": {"status": "granted"}, "future": "kept"}),
        Reply(200, {"success": False}),
    )
    run = calling_through("sync", api_key="k", base_url=server.base_url)
    settings = run("settings")
    assert settings.enabled and settings.call_icon_visibility == "visible" and settings.raw["new"] == 1
    assert settings.sip_servers[0].app_id == "7" and settings.sip_servers[0].raw["tls"] is True
    permissions = run("permissions", USER)
    assert permissions.can_call and permissions.actions == () and permissions.raw["future"] == "kept"
    with pytest.raises(d360.UnexpectedResponseError, match="did not succeed"):
        run("terminate", "wacid.A")


@pytest.mark.parametrize("answer", [[], "text"])
def test_an_answer_that_is_not_an_object_is_an_error(server: ScriptedServer, answer: Any) -> None:
    server.script(Reply(200, answer))
    with pytest.raises(d360.UnexpectedResponseError):
        calling_through("sync", api_key="k", base_url=server.base_url)("settings")


# The sandbox's state machine and its errors.


def test_connect_needs_calling_enabled_then_the_users_permission(served: sandbox.RunningSandbox) -> None:
    with d360.Client(api_key=served.api_key, base_url=served.base_url) as client:
        with pytest.raises(d360.BadRequestError) as disabled:
            client.calling.connect(USER, sdp=OFFER)
        assert disabled.value.code == CALLING_NOT_ENABLED_CODE
        client.calling.update_settings(status="ENABLED")
        with pytest.raises(d360.BadRequestError) as no_permission:
            client.calling.connect(USER, sdp=OFFER)
        assert no_permission.value.code == NO_PERMISSION_CODE
        served.sandbox.calling.set_permission(USER, "expired")
        with pytest.raises(d360.BadRequestError):
            client.calling.connect(USER, sdp=OFFER)
    assert served.sandbox.calling.calls() == {}


@pytest.mark.parametrize(
    ("setup", "action", "why"),
    [
        ("unknown", "accept", "is not a call of this number"),
        ("unknown", "terminate", "is not a call of this number"),
        ("ended", "accept", "has ended"),
        ("ended", "terminate", "has ended"),
        ("ended", "reject", "has ended"),
        ("accepted", "pre_accept", "only a ringing call can be pre-accepted"),
        ("accepted", "accept", "is already accepted"),
        ("accepted", "reject", "is already accepted"),
        ("business", "accept", "only the user can accept it"),
        ("business", "pre_accept", "only the user can pre_accept it"),
        ("business", "reject", "only the user can reject it"),
    ],
)
def test_an_action_the_call_does_not_allow_is_refused(
    served: sandbox.RunningSandbox, setup: str, action: str, why: str
) -> None:
    enable(served, USER)
    calling = served.sandbox.calling
    call_id = "wacid.unknown"
    if setup == "business":
        call_id = calling.act({"action": "connect", "to": USER, "session": {"sdp_type": "offer", "sdp": OFFER}})[1][
            "calls"
        ][0]["id"]
    elif setup != "unknown":
        call_id = calling.incoming_call(USER, sdp=OFFER)
        calling.act({"action": "accept", "call_id": call_id, "session": {"sdp_type": "answer", "sdp": ANSWER}})
        if setup == "ended":
            calling.user_hangs_up(call_id)
    before = calling.call(call_id)
    sdp = {"sdp": ANSWER} if action in ("accept", "pre_accept") else {}
    with (
        d360.Client(api_key=served.api_key, base_url=served.base_url) as client,
        pytest.raises(d360.BadRequestError, match=why) as refused,
    ):
        getattr(client.calling, action)(call_id, **sdp)
    assert refused.value.code == INVALID_CALL_CODE
    assert calling.call(call_id) == before  # a refused action changes nothing


def test_without_validation_the_sandbox_still_refuses_what_upstream_would(served: sandbox.RunningSandbox) -> None:
    enable(served, USER)
    headers = {"D360-API-KEY": served.api_key}
    url = f"{served.base_url}/calling/calls"
    cases = [
        {"action": "connect", "to": USER, "session": {"sdp_type": "answer", "sdp": OFFER}},
        {"action": "connect", "session": {"sdp_type": "offer", "sdp": OFFER}},
        {"action": "accept", "call_id": "wacid.X"},
        {"action": "terminate"},
        {"action": "reject", "call_id": "wacid.X", "session": {"sdp_type": "answer", "sdp": ANSWER}},
        {"action": "hold", "call_id": "wacid.X"},
    ]
    for body in cases:
        answer = httpx.post(url, json=body, headers=headers)
        assert answer.status_code == 400 and answer.json()["error"]["code"] == INVALID_CALL_CODE, body
    assert httpx.post(url, content=b"[1]", headers=headers).status_code == 400
    assert httpx.post(url, json=cases[0]).status_code == 401
    settings_url = f"{served.base_url}/calling/settings"
    assert httpx.post(settings_url, json={"calling": {"status": "on"}}, headers=headers).status_code == 400
    assert httpx.post(settings_url, json={"calling": {}}, headers=headers).status_code == 400
    assert httpx.get(settings_url, params={"include_sip_credentials": "maybe"}, headers=headers).status_code == 400
    assert httpx.get(f"{served.base_url}/calling/permissions/abc", headers=headers).status_code == 400
    assert served.sandbox.calling.calls() == {}
    assert served.sandbox.calling.settings()["status"] == "ENABLED"


def test_reset_empties_settings_permissions_and_calls(served: sandbox.RunningSandbox) -> None:
    enable(served, USER)
    served.sandbox.calling.incoming_call(USER, sdp=OFFER)
    served.sandbox.reset()
    assert served.sandbox.calling.settings() == INITIAL_SETTINGS
    assert served.sandbox.calling.permission(USER) == "denied" and served.sandbox.calling.calls() == {}


def test_the_sandboxs_answers_fit_the_effective_spec_and_survive_the_generated_models(
    served: sandbox.RunningSandbox,
) -> None:
    from d360_api.models import CallActionResponse, CallPermissionsResponse, PhoneNumberSettingsResponse

    from d360.validation import schema_problems

    enable(served, USER)
    headers = {"D360-API-KEY": served.api_key}
    base = served.base_url
    settings = httpx.get(f"{base}/calling/settings", headers=headers).json()
    permissions = httpx.get(f"{base}/calling/permissions/{USER}", headers=headers).json()
    connect = {"messaging_product": "whatsapp", "action": "connect", "to": USER,
               "session": {"sdp_type": "offer", "sdp": OFFER}}  # fmt: skip
    started = httpx.post(f"{base}/calling/calls", json=connect, headers=headers).json()
    for body, schema, model in [
        (settings, "calling.PhoneNumberSettingsResponse", PhoneNumberSettingsResponse),
        (permissions, "calling.CallPermissionsResponse", CallPermissionsResponse),
        (started, "calling.CallActionResponse", CallActionResponse),
    ]:
        assert schema_problems(body, schema) == [], body
        assert model.from_dict(body).to_dict() == body
    assert schema_problems(connect, "calling.CallActionRequest") == []


# Call webhooks: every shape Meta documents, typed.


def calls_body(**parts: Any) -> dict[str, Any]:
    return payloads.calls_delivery(**parts)


def test_a_users_call_connecting_is_a_call_event_with_the_sdp_as_sent() -> None:
    body = calls_body(calls=[payloads.call_connect("wacid.A", USER, "15550783881", sdp=OFFER, timestamp=1_700_000_000)],
                      contacts=[payloads.contact(USER, "Kerry")])  # fmt: skip
    (event,) = parse(json.dumps(body).encode())
    assert isinstance(event, CallEvent) and event.event == "connect" and event.call_id == "wacid.A"
    assert event.session is not None and event.session.sdp_type == "offer" and event.session.sdp == OFFER
    assert event.from_ == USER and event.to == "15550783881" and event.direction == "USER_INITIATED"
    assert event.contact is not None and event.contact.name == "Kerry" and event.field == "calls"
    assert event.timestamp is not None and event.timestamp.year == 2023
    assert event.phone_number_id == payloads.SANDBOX_PHONE_NUMBER_ID


def test_a_call_ending_carries_its_status_times_duration_and_callback_data() -> None:
    ended = payloads.call_terminate("wacid.A", "15550783881", USER, direction="BUSINESS_INITIATED",
                                    start_time=1_700_000_000, end_time=1_700_000_120,
                                    biz_opaque_callback_data="ticket-7")  # fmt: skip
    ended["future_field"] = {"kept": True}
    (event,) = parse(calls_body(calls=[ended]))
    assert isinstance(event, CallEvent) and event.event == "terminate" and event.status == "COMPLETED"
    assert event.duration == 120 and event.biz_opaque_callback_data == "ticket-7"
    assert event.start_time is not None and event.end_time is not None
    assert (event.end_time - event.start_time).total_seconds() == 120
    assert event.raw["future_field"] == {"kept": True}  # unknown call fields are kept


@pytest.mark.parametrize("status", ["RINGING", "ACCEPTED", "REJECTED", "SOMETHING_NEW"])
def test_a_business_calls_status_is_a_call_event(status: str) -> None:
    update = payloads.call_status("wacid.B", status, USER, biz_opaque_callback_data="ticket-7")
    for body in (calls_body(statuses=[update]), payloads.delivery(statuses=[update])):  # under calls or messages
        (event,) = parse(body)
        assert isinstance(event, CallEvent) and event.event == "status" and event.status == status
        assert event.recipient_id == USER and event.biz_opaque_callback_data == "ticket-7"
        assert event.dedup_key == f"call:wacid.B:status:{status}"


def test_a_permission_reply_is_an_incoming_message_with_the_users_answer() -> None:
    reply = payloads.call_permission_reply(USER, "accept", expiration_timestamp=1_900_000_000, id="wamid.R")
    (event,) = parse(payloads.delivery(messages=[reply], contacts=[payloads.contact(USER, "Kerry")]))
    assert isinstance(event, CallPermissionReply) and isinstance(event, IncomingMessage)
    assert event.accepted and event.response == "accept" and event.is_permanent is False
    assert event.response_source == "user_action" and event.expiration_timestamp is not None
    assert event.type == "interactive" and event.interactive is not None
    assert event.interactive.type == "call_permission_reply" and event.dedup_key == "message:wamid.R"


def test_call_shapes_that_do_not_fit_are_kept_as_unknown_events() -> None:
    body = calls_body(calls=[{"event": "connect"}], statuses=[{"id": "wacid.C"}])
    value = body["entry"][0]["changes"][0]["value"]
    value["calls"].append("text")
    value["recordings"] = [{"id": "r1"}]
    events = parse(body)
    assert [type(event) for event in events] == [UnknownEvent] * 4
    assert "an unknown part of a calls change: 'recordings'" in [event.reason for event in events]  # type: ignore[attr-defined]


def test_redelivered_call_events_have_the_same_keys_and_different_events_different_keys() -> None:
    connect = payloads.call_connect("wacid.A", USER, "15550783881", sdp=OFFER)
    ended = payloads.call_terminate("wacid.A", USER, "15550783881")
    first = [event.dedup_key for event in parse(calls_body(calls=[connect, ended]))]
    again = [event.dedup_key for event in parse(calls_body(calls=[connect, ended]))]
    assert first == again and len(set(first)) == 2


# on_call through a real Receiver, and the sandbox's call webhooks reaching it.


def post_signed(url: str, body: dict[str, Any]) -> httpx.Response:
    raw = json.dumps(body).encode()
    return httpx.post(url, content=raw, headers={"x-360dialog-signature": sign(raw, SECRET)})


def test_on_call_routes_call_events_and_permission_replies_filtered_by_event() -> None:
    receiver = Receiver(secret=SECRET, dedup=False)
    every: list[Any] = []
    connects: list[CallEvent] = []
    answered: list[Any] = []
    messages: list[IncomingMessage] = []
    receiver.on_call(every.append)
    receiver.on_call(connects.append, event="connect")
    receiver.on_call(answered.append, event=["ACCEPTED", "permission_reply"])
    receiver.on_message(messages.append)
    with serving_asgi(receiver.asgi) as base:
        url = base + "/"
        assert (
            post_signed(url, calls_body(calls=[payloads.call_connect("wacid.A", USER, "1555", sdp=OFFER)])).status_code
            == 200
        )
        assert post_signed(url, calls_body(statuses=[payloads.call_status("wacid.B", "RINGING", USER),
                                                     payloads.call_status("wacid.B", "ACCEPTED", USER)])).status_code == 200  # fmt: skip
        assert post_signed(url, calls_body(calls=[payloads.call_terminate("wacid.A", USER, "1555")])).status_code == 200
        assert (
            post_signed(url, payloads.delivery(messages=[payloads.call_permission_reply(USER, "reject")])).status_code
            == 200
        )
        assert (
            post_signed(url, payloads.delivery(messages=[payloads.inbound(USER, "text", {"body": "hi"})])).status_code
            == 200
        )
        wait_for(lambda: len(every) == 5 and len(messages) == 2)
    assert [(type(event).__name__, getattr(event, "event", None)) for event in every] == [
        ("CallEvent", "connect"), ("CallEvent", "status"), ("CallEvent", "status"), ("CallEvent", "terminate"),
        ("CallPermissionReply", None),
    ]  # fmt: skip
    assert [event.call_id for event in connects] == ["wacid.A"] and connects[0].session.sdp == OFFER  # type: ignore[union-attr]
    assert [getattr(event, "status", None) or event.response for event in answered] == ["ACCEPTED", "reject"]
    assert isinstance(messages[0], CallPermissionReply)  # on_message still sees the reply


def test_on_call_refuses_an_empty_filter() -> None:
    with pytest.raises(d360.ConfigurationError):
        Receiver(dedup=False).on_call(print, event="")


def test_the_sandbox_sends_each_calls_webhooks() -> None:
    receiver = Receiver(secret=SECRET, dedup=False)
    events: list[CallEvent] = []
    receiver.on_call(events.append)
    with serving_asgi(receiver.asgi) as url, sandbox.running(webhook_url=url + "/", webhook_secret=SECRET) as running:
        enable(running, USER)
        user = f"{running.base_url}/_sandbox/calls"  # the user's side
        with d360.Client(api_key=running.api_key, base_url=running.base_url) as client:
            incoming = httpx.post(user, json={"from": USER, "sdp": OFFER}).json()["call_id"]
            client.calling.accept(incoming, sdp=ANSWER)
            client.calling.terminate(incoming)
            outgoing = client.calling.connect(USER, sdp=OFFER, biz_opaque_callback_data="ticket-7").call_id
            assert httpx.post(f"{user}/{outgoing}", json={"answer": "accept", "sdp": ANSWER}).status_code == 200
            assert httpx.post(f"{user}/{outgoing}", json={"answer": "hang_up"}).status_code == 200
            declined = client.calling.connect(USER, sdp=OFFER).call_id
            assert httpx.post(f"{user}/{declined}", json={"answer": "reject"}).status_code == 200
            assert httpx.post(f"{user}/{declined}", json={"answer": "hang_up"}).status_code == 409  # ended
            assert httpx.post(f"{user}/wacid.none", json={"answer": "accept"}).status_code == 404
            assert httpx.post(user, json={"from": "x", "sdp": OFFER}).status_code == 400
        assert running.sandbox.webhooks.wait_idle(30)
        wait_for(lambda: len(events) == 9)
    # Each webhook is its own delivery, so they may arrive in any order, as upstream's may.
    by_kind = {(event.call_id, event.event, event.status): event for event in events}
    assert sorted(by_kind, key=repr) == sorted([
        (incoming, "connect", None), (incoming, "terminate", "COMPLETED"),
        (outgoing, "status", "RINGING"), (outgoing, "status", "ACCEPTED"), (outgoing, "connect", None),
        (outgoing, "terminate", "COMPLETED"),
        (declined, "status", "RINGING"), (declined, "status", "REJECTED"), (declined, "terminate", "FAILED"),
    ], key=repr)  # fmt: skip
    offer, answer = by_kind[(incoming, "connect", None)], by_kind[(outgoing, "connect", None)]
    assert offer.session is not None and offer.session.sdp == OFFER and offer.contact is not None
    assert answer.session is not None and answer.session.sdp_type == "answer" and answer.session.sdp == ANSWER
    # Echoed in the statuses and the terminate webhook (Meta's spec: "the Call Terminate Webhook payload").
    echoed = [event for event in events if event.call_id == outgoing and event.event != "connect"]
    assert len(echoed) == 3 and all(event.biz_opaque_callback_data == "ticket-7" for event in echoed)


def test_a_users_permission_reply_reaches_on_call_and_lets_the_business_call(tmp_path: Any) -> None:
    receiver = Receiver(secret=SECRET, dedup=False)
    replies: list[CallPermissionReply] = []
    receiver.on_call(replies.append, event="permission_reply")
    with serving_asgi(receiver.asgi) as url, sandbox.running(webhook_url=url + "/", webhook_secret=SECRET) as running:
        enable(running)
        with d360.Client(api_key=running.api_key, base_url=running.base_url) as client:
            assert not client.calling.permissions(USER).can_call
            reply = f"{running.base_url}/_sandbox/call_permissions"
            message_id = httpx.post(reply, json={"from": USER, "response": "accept"}).json()["message_id"]
            assert httpx.post(reply, json={"from": USER, "response": "maybe"}).status_code == 400
            granted = client.calling.permissions(USER)
            assert granted.can_call and granted.expiration_time is not None
            assert client.calling.connect(USER, sdp=OFFER).call_id
        assert running.sandbox.webhooks.wait_idle(30)
        wait_for(lambda: len(replies) == 1)
    assert replies[0].id == message_id and replies[0].accepted and replies[0].from_ == USER
    assert replies[0].expiration_timestamp is not None


def test_d360_webhook_listen_describes_call_events() -> None:
    from d360.cli.webhook import _jsonable, describe

    ended = payloads.call_terminate("wacid.A", USER, "15550783881", start_time=1_700_000_000, end_time=1_700_000_042)
    (event,) = parse(calls_body(calls=[ended]))
    assert f"call wacid.A terminate COMPLETED from {USER} to 15550783881 (42 s)" in describe(event)
    record = _jsonable(event)
    assert record["event"] == "CallEvent" and record["call_event"] == "terminate" and record["status"] == "COMPLETED"


# d360 calling settings.


def d360_calling(served: sandbox.RunningSandbox, *arguments: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("D360_")}
    environment |= {"D360_API_KEY": served.api_key, "D360_BASE_URL": served.base_url}
    return subprocess.run([D360, "calling", "settings", *arguments], capture_output=True, text=True,
                          env=environment, timeout=60, check=False)  # fmt: skip


def test_d360_calling_settings_set_then_get(served: sandbox.RunningSandbox) -> None:
    changed = d360_calling(served, "set", "--status", "enabled", "--call-icon-visibility", "DISABLE_ALL")
    assert changed.returncode == 0, changed.stderr
    assert changed.stdout == "calling settings updated: call_icon_visibility, status\n"
    shown = d360_calling(served, "get")
    assert "status:               ENABLED\n" in shown.stdout and "call icon:            DISABLE_ALL\n" in shown.stdout
    record = json.loads(d360_calling(served, "get", "--json").stdout)
    assert record["ok"] is True and record["settings"]["calling"]["status"] == "ENABLED"


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [((), "nothing to change"), (("--status", "on"), "invalid choice: 'ON'")],
)
def test_d360_calling_settings_set_refuses_bad_input_with_exit_2(
    served: sandbox.RunningSandbox, arguments: tuple[str, ...], expected: str
) -> None:
    result = d360_calling(served, "set", *arguments)
    assert result.returncode == 2 and expected in result.stderr, result.stderr
    assert served.sandbox.calling.settings() == INITIAL_SETTINGS
