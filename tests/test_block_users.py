"""`client.block_users` through both clients, the sandbox's block list and its refusals, and `d360 block`."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
from collections.abc import Iterator

import httpx
import pytest

import d360
from d360 import sandbox
from d360.resources.block_users import BlockedUser, BlockResult, listed_users, normalized_numbers
from tests.scripted_server import Reply, ScriptedServer
from tests.test_cli import D360

ANNA, BEN = "4915112345678", "4915187654321"


@pytest.fixture(scope="module")
def served() -> Iterator[sandbox.RunningSandbox]:
    with sandbox.running() as running:
        yield running


@pytest.fixture(autouse=True)
def empty(served: sandbox.RunningSandbox) -> None:
    served.sandbox.blocked.clear()
    served.sandbox.blocked.max_blocked = sandbox.block_users.MAX_BLOCKED


def client(served: sandbox.RunningSandbox) -> d360.Client:
    return d360.Client(api_key=served.api_key, base_url=served.base_url)


def test_block_list_and_unblock_through_the_blocking_client(served: sandbox.RunningSandbox) -> None:
    with client(served) as blocking:
        added = blocking.block_users.add(["+49 (151) 123-45678", BEN, "+4915112345678"])  # the repeat is sent once
        assert added == BlockResult(users=(BlockedUser(ANNA, ANNA), BlockedUser(BEN, BEN)))
        assert added.ok and [user.wa_id for user in blocking.block_users.list(page_size=1)] == [ANNA, BEN]
        removed = blocking.block_users.remove(ANNA)
        assert [user.wa_id for user in removed.users] == [ANNA]
        assert [user.wa_id for user in blocking.block_users.list()] == [BEN]
    assert ANNA not in served.sandbox.blocked and BEN in served.sandbox.blocked


def test_block_list_and_unblock_through_the_async_client(served: sandbox.RunningSandbox) -> None:
    async def run() -> tuple[list[str], list[str]]:
        async with d360.AsyncClient(api_key=served.api_key, base_url=served.base_url) as awaiting:
            await awaiting.block_users.add([ANNA, BEN])
            listed = [user.wa_id or "" async for user in awaiting.block_users.list(page_size=1)]
            await awaiting.block_users.remove([BEN])
            return listed, [user.wa_id or "" async for user in awaiting.block_users.list()]

    assert asyncio.run(run()) == ([ANNA, BEN], [ANNA])


@pytest.mark.parametrize(
    ("numbers", "expected"),
    [
        ([], "$.numbers: needs at least 1 number"),
        (["12345"], "$.numbers[0]: '12345' is not a phone number of 8-15 digits"),
        ([ANNA, 4915112345678], "$.numbers[1]: must be a phone number as a string, not int"),
        (["4915112345678x"], "$.numbers[0]: '4915112345678x' is not a phone number"),
        ([f"49151{n:08d}" for n in range(1001)], "$.numbers: has 1001 numbers; one request takes at most 1000"),
    ],
)
def test_bad_numbers_are_refused_before_sending(
    served: sandbox.RunningSandbox, numbers: list[object], expected: str
) -> None:
    with client(served) as blocking:
        for method in (blocking.block_users.add, blocking.block_users.remove):
            with pytest.raises(d360.ValidationError) as refused:
                method(numbers)  # type: ignore[arg-type]
            assert str(refused.value.problems[0]).startswith(expected)
    assert len(served.sandbox.blocked) == 0


def test_a_page_size_out_of_range_is_refused() -> None:
    with d360.Client(api_key="k", base_url="http://127.0.0.1:9") as blocking, pytest.raises(d360.ValidationError):
        blocking.block_users.list(page_size=0)


def test_numbers_are_normalised_and_each_sent_once() -> None:
    assert normalized_numbers(["+49 151 1234-5678", "4915112345678", "(49) 15187654321"]) == [ANNA, BEN]
    assert normalized_numbers(ANNA) == [ANNA]


# The sandbox's state and errors.


def test_a_message_to_a_blocked_user_is_refused_with_upstreams_error(served: sandbox.RunningSandbox) -> None:
    with client(served) as blocking:
        blocking.block_users.add([ANNA])
        accepted = served.sandbox.accepted_count
        with pytest.raises(d360.BadRequestError) as refused:
            blocking.send_text("+49 151 123 45678", "you are blocked")
        assert refused.value.code == sandbox.block_users.BLOCKED_RECIPIENT_CODE
        assert "on this number's block list" in str(refused.value)
        assert served.sandbox.accepted_count == accepted
        assert blocking.send_text(BEN, "not blocked").message_id.startswith("wamid.")
        blocking.block_users.remove([ANNA])
        assert blocking.send_text(ANNA, "unblocked").message_id.startswith("wamid.")


def test_blocking_past_the_limit_fails_for_those_users_as_upstream_answers(served: sandbox.RunningSandbox) -> None:
    served.sandbox.blocked.max_blocked = 1
    with client(served) as blocking:
        blocking.block_users.add([ANNA])
        with pytest.raises(d360.BadRequestError) as refused:
            blocking.block_users.add([ANNA, BEN])  # ANNA is blocked already: only BEN fails
    assert refused.value.code == 139100
    lists = refused.value.body["block_users"]
    assert lists["added_users"] == [{"input": ANNA, "wa_id": ANNA}]
    assert lists["failed_users"][0]["wa_id"] == BEN and lists["failed_users"][0]["errors"][0]["code"] == 139101


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"block_users": []}, "$.block_users: needs at least 1 item"),
        ({"messaging_product": "whatsapp"}, "$.block_users: is required"),
        ({"block_users": [{"user": "12"}]}, "$.block_users[0].user"),
        ({"block_users": [{"user": ANNA}], "messaging_product": "sms"}, "$.messaging_product: must be one of"),
    ],
)
def test_the_sandbox_refuses_a_body_off_the_spec(served: sandbox.RunningSandbox, body: object, expected: str) -> None:
    answer = httpx.post(f"{served.base_url}/block_users", json=body, headers={"D360-API-KEY": served.api_key})
    assert answer.status_code == 400 and expected in answer.json()["error"]


def test_the_sandbox_pages_with_cursors_and_refuses_a_bad_limit(served: sandbox.RunningSandbox) -> None:
    headers = {"D360-API-KEY": served.api_key}
    served.sandbox.blocked.block([ANNA, BEN])
    first = httpx.get(f"{served.base_url}/block_users", params={"limit": 1}, headers=headers).json()
    assert first["data"] == [{"block_users": [{"input": ANNA, "wa_id": ANNA}]}] and "next" in first["paging"]
    after = first["paging"]["cursors"]["after"]
    second = httpx.get(f"{served.base_url}/block_users", params={"limit": 1, "after": after}, headers=headers).json()
    assert second["data"] == [{"block_users": [{"input": BEN, "wa_id": BEN}]}] and "next" not in second["paging"]
    assert httpx.get(f"{served.base_url}/block_users", params={"limit": 0}, headers=headers).status_code == 400
    assert httpx.get(f"{served.base_url}/block_users").status_code == 401


def test_reset_empties_the_block_list(served: sandbox.RunningSandbox) -> None:
    served.sandbox.blocked.block([ANNA])
    served.sandbox.reset()
    assert len(served.sandbox.blocked) == 0


# Reading answers in both known shapes.


def test_metas_listing_shape_is_read_too(server: ScriptedServer) -> None:
    server.script(Reply(200, {"data": [{"messaging_product": "whatsapp", "wa_id": ANNA}, "junk"],
                              "paging": {"cursors": {"after": "A"}, "next": "https://x/next"}}),
                  Reply(200, {"data": [{"block_users": [{"input": "+" + BEN, "wa_id": BEN}]}], "paging": {}}))  # fmt: skip
    with d360.Client(api_key="k", base_url=server.base_url) as blocking:
        assert [(user.wa_id, user.input) for user in blocking.block_users.list()] == [(ANNA, None), (BEN, "+" + BEN)]
    assert server.requests[1].path == "/block_users?limit=100&after=A"


def test_a_listing_whose_cursor_does_not_move_is_stopped(server: ScriptedServer) -> None:
    server.script(Reply(200, {"data": [{"wa_id": ANNA}], "paging": {"cursors": {"after": "A"}, "next": "n"}}))
    with (
        d360.Client(api_key="k", base_url=server.base_url) as blocking,
        pytest.raises(d360.UnexpectedResponseError, match="does not page"),
    ):
        list(blocking.block_users.list())


def test_the_request_is_upstreams_shape(server: ScriptedServer) -> None:
    server.script(Reply(200, {"messaging_product": "whatsapp", "block_users": {"removed_users": [{"wa_id": ANNA}]}}))
    with d360.Client(api_key="k", base_url=server.base_url) as blocking:
        result = blocking.block_users.remove(["+" + ANNA])
    assert result.users[0].wa_id == ANNA
    [request] = server.requests
    assert request.method == "DELETE" and request.path == "/block_users"
    assert request.json() == {"messaging_product": "whatsapp", "block_users": [{"user": ANNA}]}


def test_listed_users_takes_both_shapes_and_skips_what_is_not_a_user() -> None:
    assert listed_users([{"block_users": [{"wa_id": "1"}, 3]}, {"wa_id": "2"}, None, {}]) == (
        BlockedUser("1"),
        BlockedUser("2"),
    )


# d360 block.


def environment(served: sandbox.RunningSandbox) -> dict[str, str]:
    found = {key: value for key, value in os.environ.items() if not key.startswith("D360_")}
    return {**found, "D360_API_KEY": served.api_key, "D360_BASE_URL": served.base_url}


def d360_block(served: sandbox.RunningSandbox, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([D360, "block", *arguments], capture_output=True, text=True, env=environment(served),
                          timeout=60, check=False)  # fmt: skip


def test_d360_block_add_list_remove(served: sandbox.RunningSandbox) -> None:
    added = d360_block(served, "add", "+49 151 12345678", BEN)
    assert added.returncode == 0, added.stderr
    assert added.stdout.splitlines() == [f"blocked {ANNA}", f"blocked {BEN}"]
    listed = d360_block(served, "list")
    assert listed.stdout.splitlines() == [ANNA, BEN, "2 blocked users"]
    removed = d360_block(served, "remove", ANNA, "--json")
    assert json.loads(removed.stdout) == {"ok": True, "users": [{"wa_id": ANNA, "input": ANNA}], "failed": []}
    assert json.loads(d360_block(served, "list", "--json").stdout)["blocked"] == [{"wa_id": BEN, "input": BEN}]


def test_d360_block_refuses_a_bad_number_with_exit_2(served: sandbox.RunningSandbox) -> None:
    result = d360_block(served, "add", "12")
    assert result.returncode == 2
    assert result.stderr.startswith("d360: error: invalid block list request (1 problem): $.numbers[0]: '12'")
    assert len(served.sandbox.blocked) == 0


def test_the_sandboxs_answers_fit_the_effective_spec_and_survive_the_generated_models(
    served: sandbox.RunningSandbox,
) -> None:
    from d360_api.models import BlockUsersErrorResponse, BlockUsersResponse, GetBlockedUsersResponse

    from d360.validation import schema_problems

    headers = {"D360-API-KEY": served.api_key}
    url = f"{served.base_url}/block_users"
    served.sandbox.blocked.max_blocked = 1
    blocked = httpx.post(url, json={"block_users": [{"user": ANNA}]}, headers=headers).json()
    failed = httpx.post(url, json={"block_users": [{"user": BEN}]}, headers=headers).json()
    listed = httpx.get(url, params={"limit": 1}, headers=headers).json()
    removed = httpx.request("DELETE", url, json={"block_users": [{"user": ANNA}]}, headers=headers).json()
    for answer, schema, model in (
        (blocked, "block_users.BlockUsersResponse", BlockUsersResponse),
        (failed, "block_users.BlockUsersErrorResponse", BlockUsersErrorResponse),
        (listed, "block_users.GetBlockedUsersResponse", GetBlockedUsersResponse),
        (removed, "block_users.BlockUsersResponse", BlockUsersResponse),
    ):
        assert schema_problems(answer, schema) == [], answer
        assert model.from_dict(answer).to_dict() == answer
    assert failed["block_users"]["failed_users"][0]["errors"][0]["code"] == 139101
