"""`client.groups` through both clients, the sandbox's groups (a full group, an unknown one, join requests,
their webhooks), what is refused before sending, Meta's answer shapes, and `d360 groups`."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

import d360
from d360 import sandbox
from d360.resources.groups import (
    CreatedGroup,
    GroupSummary,
    InviteLink,
    JoinRequestsResult,
    ParticipantsResult,
    jpeg_size,
    participant_numbers,
)
from d360.sandbox.groups import SANDBOX_GROUP_ID_START
from d360.validation import schema_problems
from d360.webhooks import GroupEvent, Receiver
from d360.webhooks.events import GroupParticipant
from tests.scripted_server import Reply, ScriptedServer
from tests.servers import serving_asgi, wait_for
from tests.test_cli import D360

ANNA, BEN = "4915112345678", "4915187654321"
NUMBERS = [f"49151000000{n:02d}" for n in range(10)]


def jpeg(width: int, height: int, *, progressive: bool = False) -> bytes:
    """The head of a JPEG as a camera writes it (JFIF, a quantisation table, the frame header), then an end."""
    jfif = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    table = b"\xff\xdb\x00\x43\x00" + bytes(range(64))
    frame = b"\xff" + (b"\xc2" if progressive else b"\xc0") + b"\x00\x11\x08"
    frame += height.to_bytes(2, "big") + width.to_bytes(2, "big") + b"\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01"
    return b"\xff\xd8" + jfif + table + frame + b"\xff\xd9"


@pytest.fixture(scope="module")
def served() -> Iterator[sandbox.RunningSandbox]:
    with sandbox.running() as running:
        yield running


@pytest.fixture(autouse=True)
def empty(served: sandbox.RunningSandbox) -> None:
    served.sandbox.groups.reset()
    served.sandbox.groups.max_participants = sandbox.groups.MAX_PARTICIPANTS


def client(served: sandbox.RunningSandbox, **options: Any) -> d360.Client:
    return d360.Client(api_key=served.api_key, base_url=served.base_url, **options)


# Every operation, through both clients.


def test_every_operation_through_the_blocking_client(served: sandbox.RunningSandbox) -> None:
    with client(served) as blocking:
        groups = blocking.groups
        created = groups.create(subject="  Order 4711 ", description="Delivery questions")
        assert isinstance(created, CreatedGroup) and created.id and created.id.startswith(SANDBOX_GROUP_ID_START)
        other = groups.create(subject="Second", join_approval_mode="approval_required")
        assert [(group.id, group.subject) for group in groups.list(page_size=1)] == [
            (created.id, "Order 4711"), (other.id, "Second"),
        ]  # fmt: skip
        assert all(isinstance(group, GroupSummary) and group.created_at for group in groups.list())

        group = groups.get(created.id)
        assert (group.subject, group.description, group.join_approval_mode, group.suspended) == (
            "Order 4711", "Delivery questions", "auto_approve", False,
        )  # fmt: skip
        assert groups.update(created.id, subject="Order 4711 (delivered)") is True
        assert groups.get(created.id, fields=["subject"]).subject == "Order 4711 (delivered)"
        assert groups.get(created.id, fields="subject").description is None  # only the fields asked for

        first = groups.invite_link(created.id)
        assert isinstance(first, InviteLink) and first.url and first.url.startswith("https://chat.whatsapp.com/")
        second = groups.reset_invite_link(created.id)
        assert second.url != first.url and groups.invite_link(created.id).url == second.url
        assert groups.revoke_invite_link(created.id) is True

        added = groups.add_participants(created.id, ["+49 151 1234 5678", BEN, ANNA])  # the repeat is sent once
        assert added == ParticipantsResult() and added.ok
        got = groups.get(created.id)
        assert got.participants == (GroupParticipant(wa_id=ANNA), GroupParticipant(wa_id=BEN))
        assert got.total_participant_count == 2
        removed = groups.remove_participants(created.id, [BEN, NUMBERS[0]])
        assert not removed.ok and [user for user, _ in removed.failed] == [NUMBERS[0]]
        assert removed.failed[0][1][0][0] == sandbox.groups.NOT_A_PARTICIPANT_CODE
        assert served.sandbox.groups.participants(created.id) == [ANNA]

        asked = served.sandbox.groups.request_to_join(other.id, BEN)
        rejected = served.sandbox.groups.request_to_join(other.id, ANNA)
        assert asked and rejected
        listed = list(groups.join_requests(other.id))
        assert [(request.id, request.wa_id) for request in listed] == [(asked, BEN), (rejected, ANNA)]
        approved = groups.approve_join_requests(other.id, [asked])
        assert approved == JoinRequestsResult(done=(asked,)) and approved.ok
        assert groups.reject_join_requests(other.id, rejected).done == (rejected,)
        assert list(groups.join_requests(other.id)) == []
        assert served.sandbox.groups.participants(other.id) == [BEN]

        assert groups.delete(created.id) is True
        assert [group.id for group in groups.list()] == [other.id]


def test_every_operation_through_the_async_client(served: sandbox.RunningSandbox) -> None:
    async def run() -> list[Any]:
        async with d360.AsyncClient(api_key=served.api_key, base_url=served.base_url) as awaiting:
            groups = awaiting.groups
            created = await groups.create(subject="Async", join_approval_mode="approval_required")
            assert created.id is not None
            seen: list[Any] = [[group.subject async for group in groups.list(page_size=1)]]
            await groups.update(created.id, description="about")
            seen.append((await groups.get(created.id)).description)
            seen.append((await groups.invite_link(created.id)).url is not None)
            seen.append((await groups.reset_invite_link(created.id)).url is not None)
            seen.append(await groups.revoke_invite_link(created.id))
            seen.append((await groups.add_participants(created.id, [ANNA])).ok)
            seen.append((await groups.remove_participants(created.id, ANNA)).ok)
            served.sandbox.groups.invite_link(created.id, "POST")
            asked = served.sandbox.groups.request_to_join(created.id, BEN)
            seen.append([request.wa_id async for request in groups.join_requests(created.id)])
            seen.append((await groups.approve_join_requests(created.id, [asked or ""])).done == (asked,))
            seen.append((await groups.reject_join_requests(created.id, ["gone"])).ok)
            seen.append(await groups.delete(created.id))
            return seen

    assert asyncio.run(run()) == [["Async"], "about", True, True, True, True, True, [BEN], True, False, True]
    assert len(served.sandbox.groups) == 0


# Refused before anything is sent.


def _each_client(base_url: str, call: Any) -> None:
    """Run `call(groups)` on both clients, each expected to raise ValidationError."""
    with d360.Client(api_key="k", base_url=base_url, max_retries=0) as blocking, pytest.raises(d360.ValidationError):
        call(blocking.groups)

    async def run() -> None:
        async with d360.AsyncClient(api_key="k", base_url=base_url, max_retries=0) as awaiting:
            with pytest.raises(d360.ValidationError):
                result = call(awaiting.groups)
                await result

    asyncio.run(run())


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda groups: groups.create(subject=""), "$.subject: must not be empty"),
        (lambda groups: groups.create(subject="   "), "$.subject: must not be empty"),
        (lambda groups: groups.create(subject="x" * 129), "$.subject: has 129 characters; at most 128"),
        (lambda groups: groups.create(subject="ok", description="d" * 2049), "$.description: has 2049 characters"),
        (lambda groups: groups.create(subject="ok", join_approval_mode="ask"), "$.join_approval_mode: must be one"),
        (lambda groups: groups.create(subject=5), "$.subject: must be a string, not int"),
        (lambda groups: groups.update("g1"), "$: nothing to update"),
        (lambda groups: groups.update("g1", subject="x" * 200), "$.subject: has 200 characters"),
        (lambda groups: groups.get(""), "$.group_id: must be a group id"),
        (lambda groups: groups.delete("a b"), "$.group_id: must be a group id"),
        (lambda groups: groups.invite_link(None), "$.group_id: must be a group id"),
        (lambda groups: groups.get("g1", fields=[]), "$.fields: must be field names"),
        (lambda groups: groups.add_participants("g1", []), "$.participants: needs at least 1 participant"),
        (lambda groups: groups.add_participants("g1", ["12"]), "$.participants[0]: '12' is not a phone number"),
        (lambda groups: groups.remove_participants("g1", [ANNA, 49]), "$.participants[1]: must be a phone number"),
        (lambda groups: groups.add_participants("g1", NUMBERS[:9]), "$.participants: has 9 participants; one"),
        (lambda groups: groups.approve_join_requests("g1", []), "$.join_requests: needs at least 1"),
        (lambda groups: groups.reject_join_requests("g1", [" "]), "$.join_requests[0]: must be a join request id"),
        (lambda groups: groups.list(page_size=1025), "$.page_size: must be a whole number from 1 to 1024"),
    ],
)
def test_bad_input_is_refused_before_anything_is_sent(server: ScriptedServer, call: Any, expected: str) -> None:
    def checked(groups: Any) -> Any:
        try:
            result = call(groups)
            if hasattr(result, "__next__"):  # a listing is checked when asked for
                next(result)
            return result
        except d360.ValidationError as error:
            assert str(error.problems[0]).startswith(expected), error.problems
            raise

    _each_client(server.base_url, checked)
    assert server.requests == []


def test_what_json_cannot_carry_is_refused_even_unchecked(server: ScriptedServer) -> None:
    with d360.Client(api_key="k", base_url=server.base_url, validate=False) as unchecked:
        for subject in (object(), "lone \ud800 surrogate"):
            with pytest.raises(d360.ValidationError, match="cannot be sent as JSON"):
                unchecked.groups.create(subject=subject)  # type: ignore[arg-type]
    assert server.requests == []


def test_participants_are_normalised_and_sent_once() -> None:
    assert participant_numbers(["+49 (151) 123-45678", ANNA, BEN]) == [ANNA, BEN]
    assert participant_numbers(ANNA) == [ANNA]


def test_validate_false_sends_the_text_limits_unchecked_and_the_sandbox_refuses_them(
    served: sandbox.RunningSandbox,
) -> None:
    with client(served, validate=False) as unchecked, pytest.raises(d360.BadRequestError) as refused:
        unchecked.groups.create(subject="x" * 129)
    assert "$.subject" in str(refused.value)
    assert len(served.sandbox.groups) == 0


def test_a_groups_picture_is_checked_first_and_kept_by_the_sandbox(
    served: sandbox.RunningSandbox, server: ScriptedServer, tmp_path: Any
) -> None:
    photo = jpeg(640, 640)
    assert jpeg_size(photo) == (640, 640) and jpeg_size(jpeg(300, 200, progressive=True)) == (300, 200)
    assert jpeg_size(b"\x89PNG\r\n\x1a\n") is None and jpeg_size(b"\xff\xd8\xff\xd9") is None
    path = tmp_path / "logo.jpg"
    path.write_bytes(photo)
    with client(served) as blocking:
        group_id = blocking.groups.create(subject="Pictured").id or ""
        assert blocking.groups.set_photo(group_id, path) is True
    assert served.sandbox.groups.photo(group_id) == photo

    async def awaited() -> bool:
        async with d360.AsyncClient(api_key=served.api_key, base_url=served.base_url) as awaiting:
            return await awaiting.groups.set_photo(group_id, jpeg(192, 192))

    assert asyncio.run(awaited()) is True and served.sandbox.groups.photo(group_id) == jpeg(192, 192)
    for bad, expected in (
        (jpeg(640, 480), "is 640x480 pixels; a group's picture must be square"),
        (jpeg(100, 100), "is 100x100 pixels; at least 192x192"),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "is not a JPEG"),
        (photo + bytes(5 * 1024 * 1024), "a group's picture is at most 5242880 (5 MB)"),
        (tmp_path / "missing.jpg", "cannot read"),
        (12, "must be JPEG bytes or a path, not int"),
    ):

        def refused(groups: Any, bad: Any = bad, expected: str = expected) -> Any:
            try:
                return groups.set_photo("g1", bad)
            except d360.ValidationError as error:
                assert expected in str(error.problems[0]), error.problems
                raise

        _each_client(server.base_url, refused)
    assert server.requests == []


def test_the_sandbox_refuses_a_picture_as_meta_does(served: sandbox.RunningSandbox) -> None:
    with client(served, validate=False) as unchecked:
        group_id = unchecked.groups.create(subject="Pictured").id or ""
        for bad, code in ((jpeg(640, 480), 131209), (jpeg(100, 100), 131210)):
            with pytest.raises(d360.BadRequestError) as refused:
                unchecked.groups.set_photo(group_id, bad)
            assert refused.value.code == code
    assert served.sandbox.groups.photo(group_id) is None


def test_the_picture_goes_as_metas_multipart_form(server: ScriptedServer) -> None:
    server.script(Reply(200, {"success": True}))
    with d360.Client(api_key="k", base_url=server.base_url) as blocking:
        assert blocking.groups.set_photo("g1", jpeg(192, 192)) is True
    [request] = server.requests
    assert (request.method, request.path) == ("POST", "/groups/g1")
    assert request.headers["Content-Type"].startswith("multipart/form-data; boundary=d360-")
    assert b'name="messaging_product"\r\n\r\nwhatsapp\r\n' in request.body
    assert b'name="file"; filename="photo.jpg"\r\nContent-Type: image/jpeg\r\n\r\n' + jpeg(192, 192) in request.body


# The sandbox's state and errors.


def test_a_full_group_refuses_more_participants_with_metas_error(served: sandbox.RunningSandbox) -> None:
    with client(served) as blocking:
        group_id = blocking.groups.create(subject="Full").id or ""
        blocking.groups.add_participants(group_id, NUMBERS[:6])
        with pytest.raises(d360.BadRequestError) as refused:
            blocking.groups.add_participants(group_id, NUMBERS[6:9])  # 9 in all: none of them is added
        assert refused.value.code == sandbox.groups.PARTICIPANT_OVERLIMIT_CODE == 131204
        assert len(served.sandbox.groups.participants(group_id)) == 6
        blocking.groups.add_participants(group_id, NUMBERS[6:8])  # 8: the limit, taken
        assert blocking.groups.get(group_id).total_participant_count == 8
        served.sandbox.groups.invite_link(group_id, "GET")
        with pytest.raises(sandbox.groups.Refused):  # joining through the link is refused the same way
            served.sandbox.groups.request_to_join(group_id, NUMBERS[9])


def test_approving_a_join_request_into_a_full_group_fails_that_request(served: sandbox.RunningSandbox) -> None:
    served.sandbox.groups.max_participants = 1
    with client(served) as blocking:
        group_id = blocking.groups.create(subject="One seat", join_approval_mode="approval_required").id or ""
        first = served.sandbox.groups.request_to_join(group_id, ANNA) or ""
        second = served.sandbox.groups.request_to_join(group_id, BEN) or ""
        result = blocking.groups.approve_join_requests(group_id, [first, second])
    assert result.done == (first,) and not result.ok
    assert result.failed == ((second, ((131204, "Participant overlimit"),)),)
    assert result.errors == ((131201, "Request partially succeeded"),)


def test_an_unknown_or_deleted_group_is_not_found_with_metas_code(served: sandbox.RunningSandbox) -> None:
    with client(served) as blocking:
        group_id = blocking.groups.create(subject="Short-lived").id or ""
        blocking.groups.delete(group_id)
        for call in (
            lambda: blocking.groups.get(group_id),
            lambda: blocking.groups.delete(group_id),
            lambda: blocking.groups.update(group_id, subject="again"),
            lambda: blocking.groups.invite_link(group_id),
            lambda: blocking.groups.add_participants(group_id, ANNA),
            lambda: list(blocking.groups.join_requests(group_id)),
            lambda: blocking.groups.get("unknown-group"),
        ):
            with pytest.raises(d360.NotFoundError) as refused:
                call()
            assert refused.value.code == sandbox.groups.UNKNOWN_GROUP_CODE == 131041


def test_a_message_to_a_deleted_group_is_refused_and_to_a_live_one_taken(served: sandbox.RunningSandbox) -> None:
    with client(served) as blocking:
        group_id = blocking.groups.create(subject="Talk").id or ""
        assert blocking.send_text(group_id, "Hello group", recipient_type="group").message_id
        blocking.groups.delete(group_id)
        with pytest.raises(d360.BadRequestError) as refused:
            blocking.send_text(group_id, "Anyone?", recipient_type="group")
        assert refused.value.code == 131041
        # A group made outside the sandbox (another id form) is taken, as before the sandbox kept groups.
        assert blocking.send_text("120363025246125486@g.us", "Hi", recipient_type="group").message_id


def test_a_revoked_link_lets_nobody_join_until_a_new_one_is_made(served: sandbox.RunningSandbox) -> None:
    with client(served) as blocking:
        group_id = blocking.groups.create(subject="Invite only").id or ""
        blocking.groups.revoke_invite_link(group_id)
        with pytest.raises(d360.BadRequestError, match="revoked"):
            blocking.groups.invite_link(group_id)
        with pytest.raises(sandbox.groups.Refused):
            served.sandbox.groups.request_to_join(group_id, ANNA)
        blocking.groups.reset_invite_link(group_id)
        assert served.sandbox.groups.request_to_join(group_id, ANNA) is None  # auto_approve: joined
        assert served.sandbox.groups.participants(group_id) == [ANNA]


def test_the_sandbox_pages_groups_and_reset_empties_them(served: sandbox.RunningSandbox) -> None:
    headers = {"D360-API-KEY": served.api_key}
    with client(served) as blocking:
        made = [blocking.groups.create(subject=f"G{n}").id for n in range(5)]
        assert [group.id for group in blocking.groups.list(page_size=2)] == made
    first = httpx.get(f"{served.base_url}/groups", params={"limit": 2}, headers=headers).json()
    assert len(first["data"]["groups"]) == 2 and first["paging"]["next"].startswith(served.base_url)
    assert httpx.get(f"{served.base_url}/groups", params={"limit": 0}, headers=headers).status_code == 400
    assert httpx.get(f"{served.base_url}/groups", params={"after": "bogus"}, headers=headers).json()["data"] == {
        "groups": []
    }
    assert httpx.put(f"{served.base_url}/groups", headers=headers).status_code == 405
    assert httpx.get(f"{served.base_url}/groups").status_code == 401
    served.sandbox.reset()
    assert len(served.sandbox.groups) == 0


@pytest.mark.parametrize(
    ("path", "body", "expected"),
    [
        ("/groups", {"messaging_product": "whatsapp"}, "subject"),
        ("/groups", {"messaging_product": "whatsapp", "subject": "x" * 129}, "subject"),
        ("/groups", {"messaging_product": "whatsapp", "subject": "s", "join_approval_mode": "x"}, "join_approval_mode"),
        ("/groups", "not an object", "invalid request"),
    ],
)
def test_the_sandbox_refuses_a_body_off_the_spec(
    served: sandbox.RunningSandbox, path: str, body: object, expected: str
) -> None:
    answer = httpx.post(f"{served.base_url}{path}", json=body, headers={"D360-API-KEY": served.api_key})
    assert answer.status_code == 400 and expected in answer.json()["error"]
    assert len(served.sandbox.groups) == 0


def test_the_sandboxs_answers_fit_the_effective_spec(served: sandbox.RunningSandbox) -> None:
    headers = {"D360-API-KEY": served.api_key}
    base = served.base_url
    created = httpx.post(f"{base}/groups", json={"messaging_product": "whatsapp", "subject": "S"}, headers=headers)
    group_id = created.json()["id"]
    served.sandbox.groups.update(group_id, {})
    body = {"messaging_product": "whatsapp", "participants": [{"user": ANNA}]}
    answers = [
        (created.json(), "groups.CreateGroupResponse"),
        (httpx.get(f"{base}/groups", headers=headers).json(), "groups.GetActiveGroupsResponse"),
        (httpx.get(f"{base}/groups/{group_id}", headers=headers).json(), "groups.GroupInfo"),
        (httpx.get(f"{base}/groups/{group_id}/invite_link", headers=headers).json(), "groups.InviteLinkResponse"),
        (httpx.post(f"{base}/groups/{group_id}/participants", json=body, headers=headers).json(),
         "groups.ParticipantsResponse"),
        (httpx.get(f"{base}/groups/{group_id}/join_requests", headers=headers).json(),
         "groups.GetJoinRequestsResponse"),
        (httpx.delete(f"{base}/groups/{group_id}", headers=headers).json(), "groups.SuccessResponse"),
    ]  # fmt: skip
    for answer, schema in answers:
        assert schema_problems(answer, schema) == [], (schema, answer)


# The webhooks the sandbox posts.


def test_group_lifecycle_and_participant_webhooks_reach_a_receiver(tmp_path: Any) -> None:
    events: list[GroupEvent] = []
    arrived = threading.Lock()
    receiver = Receiver(secret="group-secret", dedup=False)

    @receiver.on_group
    def collect(event: GroupEvent) -> None:
        with arrived:
            events.append(event)

    with (
        serving_asgi(receiver.asgi) as url,
        sandbox.running(webhook_url=url + "/", webhook_secret="group-secret") as running,
        client(running) as blocking,
    ):
        group_id = blocking.groups.create(subject="Hooked").id or ""
        wait_for(lambda: len(events) == 1)
        blocking.groups.add_participants(group_id, [ANNA])
        wait_for(lambda: len(events) == 2)
        blocking.groups.remove_participants(group_id, [ANNA])
        wait_for(lambda: len(events) == 3)
        blocking.groups.update(group_id, subject="Renamed")
        wait_for(lambda: len(events) == 4)
        blocking.groups.delete(group_id)
        wait_for(lambda: len(events) == 5)
    created, added, removed, renamed, deleted = events
    assert (created.field, created.type, created.group_id, created.subject) == (
        "group_lifecycle_update", "group_create", group_id, "Hooked",
    )  # fmt: skip
    assert str(created.raw["invite_link"]).startswith("https://chat.whatsapp.com/")
    assert (added.field, added.type, added.added_participants) == (
        "group_participant_update", "group_participants_add", (GroupParticipant(wa_id=ANNA, input=ANNA),),
    )  # fmt: skip
    assert (removed.type, removed.removed_participants) == (
        "group_participants_remove", (GroupParticipant(wa_id=ANNA, input=ANNA),),
    )  # fmt: skip
    assert (renamed.field, renamed.subject) == ("group_settings_update", "Renamed")
    assert (deleted.type, deleted.group_id) == ("group_delete", group_id)


# Meta's answer shapes are read too.


def test_metas_create_answer_and_listing_shape_are_read(server: ScriptedServer) -> None:
    server.script(
        Reply(200, {"messaging_product": "whatsapp", "request_id": "106540352242922"}),
        Reply(200, {"data": {"groups": [{"id": "g1", "subject": "A", "created_at": "1700000000"}, "junk"]},
                    "paging": {"cursors": {"after": "C1"}, "next": "https://x/next"}}),
        Reply(200, {"data": {"groups": [{"id": "g2", "created_at": 1700000001}]}, "paging": {"cursors": {}}}),
    )  # fmt: skip
    with d360.Client(api_key="k", base_url=server.base_url) as blocking:
        created = blocking.groups.create(subject="A", description="d", join_approval_mode="approval_required")
        assert (created.id, created.request_id) == (None, "106540352242922")
        listed = list(blocking.groups.list())
    assert [(group.id, group.created_at) for group in listed] == [("g1", 1700000000), ("g2", 1700000001)]
    create, first, second = server.requests
    assert (create.method, create.path) == ("POST", "/groups")
    assert create.json() == {
        "messaging_product": "whatsapp", "subject": "A", "description": "d", "join_approval_mode": "approval_required",
    }  # fmt: skip
    assert (first.path, second.path) == ("/groups?limit=25", "/groups?limit=25&after=C1")


def test_requests_use_metas_bodies_and_quote_the_group_id(server: ScriptedServer) -> None:
    server.script(Reply(200, {}), Reply(200, {"messaging_product": "whatsapp", "success": "true"}), Reply(200, {}))
    with d360.Client(api_key="k", base_url=server.base_url) as blocking:
        assert blocking.groups.update("g/1", description="") is True
        assert blocking.groups.revoke_invite_link("g1") is True
        assert blocking.groups.remove_participants("g1", ["+" + ANNA]).ok
    update, revoke, remove = server.requests
    assert (update.method, update.path, update.json()) == (
        "POST", "/groups/g%2F1", {"messaging_product": "whatsapp", "description": ""},
    )  # fmt: skip
    assert (revoke.method, revoke.path, revoke.json()) == (
        "DELETE", "/groups/g1/invite_link", {"messaging_product": "whatsapp"},
    )  # fmt: skip
    assert (remove.method, remove.path, remove.json()) == (
        "DELETE", "/groups/g1/participants", {"messaging_product": "whatsapp", "participants": [{"user": ANNA}]},
    )  # fmt: skip


def test_a_create_is_never_sent_twice(server: ScriptedServer) -> None:
    server.script(Reply(500, {"error": "boom"}))
    with d360.Client(api_key="k", base_url=server.base_url, max_retries=2) as blocking, pytest.raises(d360.ServerError):
        blocking.groups.create(subject="Once")
    assert len(server.requests) == 1


def test_a_create_answer_without_an_id_is_unexpected(server: ScriptedServer) -> None:
    server.script(Reply(200, {"messaging_product": "whatsapp"}))
    with d360.Client(api_key="k", base_url=server.base_url) as blocking, pytest.raises(d360.UnexpectedResponseError):
        blocking.groups.create(subject="Nothing back")


# d360 groups.


def d360_groups(served: sandbox.RunningSandbox, *arguments: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("D360_")}
    environment.update(D360_API_KEY=served.api_key, D360_BASE_URL=served.base_url)
    return subprocess.run([D360, "groups", *arguments], capture_output=True, text=True, env=environment,
                          timeout=60, check=False)  # fmt: skip


def test_d360_groups_commands(served: sandbox.RunningSandbox, tmp_path: Any) -> None:
    created = d360_groups(served, "create", "--subject", "Ops", "--approval", "approval_required")
    assert created.returncode == 0, created.stderr
    group_id = created.stdout.strip()
    assert group_id in served.sandbox.groups
    listed = d360_groups(served, "list")
    assert listed.stdout.splitlines() == [f"{group_id}  Ops", "1 group"]
    assert d360_groups(served, "update", group_id, "--description", "Night shift").returncode == 0
    picture = tmp_path / "logo.jpg"
    picture.write_bytes(jpeg(400, 400))
    pictured = d360_groups(served, "update", group_id, "--photo", str(picture))
    assert (pictured.returncode, pictured.stdout.strip()) == (0, "group updated: photo")
    assert served.sandbox.groups.photo(group_id) == jpeg(400, 400)
    got = json.loads(d360_groups(served, "get", group_id, "--json").stdout)
    assert (got["group"]["subject"], got["group"]["description"]) == ("Ops", "Night shift")
    link = d360_groups(served, "invite-link", group_id).stdout.strip()
    assert link.startswith("https://chat.whatsapp.com/")
    assert d360_groups(served, "invite-link", group_id, "--reset").stdout.strip() not in ("", link)
    added = d360_groups(served, "participants", "add", group_id, "+49 151 12345678", BEN)
    assert (added.returncode, added.stdout.strip()) == (0, "added 2 participant(s)")
    removed = d360_groups(served, "participants", "remove", group_id, ANNA, NUMBERS[0], "--json")
    assert removed.returncode == 1 and json.loads(removed.stdout)["failed"][0]["user"] == NUMBERS[0]
    asked = served.sandbox.groups.request_to_join(group_id, NUMBERS[1]) or ""
    assert d360_groups(served, "join-requests", "list", group_id).stdout.splitlines()[0] == f"{asked}  {NUMBERS[1]}"
    assert d360_groups(served, "join-requests", "approve", group_id, asked).stdout.strip() == f"approved {asked}"
    rejected = d360_groups(served, "join-requests", "reject", group_id, "unknown-request")
    assert rejected.returncode == 1 and rejected.stdout.startswith("not rejected: unknown-request: (131213)")
    assert d360_groups(served, "invite-link", group_id, "--revoke").stdout.strip() == "invite link revoked"
    assert d360_groups(served, "delete", group_id).stdout.strip() == f"deleted {group_id}"
    assert d360_groups(served, "list").stdout.strip() == "no groups"


def test_d360_groups_exit_codes_for_bad_input_and_an_unknown_group(
    served: sandbox.RunningSandbox, tmp_path: Any
) -> None:
    bad = d360_groups(served, "create", "--subject", "x" * 129)
    assert bad.returncode == 2 and "$.subject: has 129 characters" in bad.stderr
    nothing = d360_groups(served, "update", "g1")
    assert nothing.returncode == 2 and "nothing to change" in nothing.stderr
    (tmp_path / "wide.jpg").write_bytes(jpeg(400, 300))
    wide = d360_groups(served, "update", "g1", "--subject", "New", "--photo", str(tmp_path / "wide.jpg"))
    assert wide.returncode == 2 and "must be square" in wide.stderr
    unknown = d360_groups(served, "get", "unknown-group")
    assert unknown.returncode == 1 and "131041" in unknown.stderr
    assert len(served.sandbox.groups) == 0
