"""`client.automation` (welcome message, commands, ice breakers) through both clients, and the sandbox's."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

import d360
from d360 import sandbox
from d360.resources.automation import Command, ConversationalAutomation
from d360.sandbox.automation import AUTOMATION_ID, INITIAL
from tests.scripted_server import Reply, ScriptedServer


@pytest.fixture(scope="module")
def served() -> Iterator[sandbox.RunningSandbox]:
    with sandbox.running() as running:
        yield running


@pytest.fixture(autouse=True)
def first_automation(served: sandbox.RunningSandbox) -> None:
    served.sandbox.automation.reset()


def client(served: sandbox.RunningSandbox) -> d360.Client:
    return d360.Client(api_key=served.api_key, base_url=served.base_url)


def test_get_and_update_through_the_blocking_client(served: sandbox.RunningSandbox) -> None:
    with client(served) as blocking:
        first = blocking.automation.get()
        assert first == ConversationalAutomation(enable_welcome_message=False, id=AUTOMATION_ID)
        assert blocking.automation.update(
            enable_welcome_message=True,
            prompts=["Plan a trip", "Track my order"],
            commands={"help": "Get help with your order", "status_2": "Check your order status"},
        ) is None  # fmt: skip
        changed = blocking.automation.get()
    assert changed.enable_welcome_message is True
    assert changed.ice_breakers == changed.prompts == ("Plan a trip", "Track my order")
    assert changed.commands == (
        Command("help", "Get help with your order"),
        Command("status_2", "Check your order status"),
    )


def test_get_and_update_through_the_async_client(served: sandbox.RunningSandbox) -> None:
    async def run() -> tuple[ConversationalAutomation, ConversationalAutomation]:
        async with d360.AsyncClient(api_key=served.api_key, base_url=served.base_url) as awaiting:
            await awaiting.automation.update(prompts=["x" * 80] * 4, commands=[Command("help", "y" * 256)])
            set_both = await awaiting.automation.get()
            await awaiting.automation.update(commands=[])  # the prompts are left out: they stay
            return set_both, await awaiting.automation.get()

    set_both, emptied = asyncio.run(run())
    assert set_both.prompts == ("x" * 80,) * 4 and set_both.commands == (Command("help", "y" * 256),)
    assert emptied.prompts == ("x" * 80,) * 4 and emptied.commands == ()
    assert emptied.enable_welcome_message is False  # never given: unchanged


def test_thirty_commands_are_taken_and_sent_in_request_shape(served: sandbox.RunningSandbox) -> None:
    commands = [{"command_name": f"c{index}", "command_description": "d"} for index in range(30)]
    with client(served) as blocking:
        blocking.automation.update(commands=commands)
    assert served.sandbox.automation.fields()["commands"] == commands


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"prompts": ["a", "b", "c", "d", "e"]}, "$.prompts: has 5 items, more than the limit of 4"),
        ({"prompts": ["x" * 81]}, "$.prompts[0]: is 81 characters, more than the limit of 80"),
        ({"prompts": [""]}, "$.prompts[0]: must not be empty"),
        ({"prompts": "Plan a trip"}, "$.prompts: must be array"),
        ({"commands": {f"c{index}": "d" for index in range(31)}}, "$.commands: has 31 items, more than the limit"),
        ({"commands": {"/help": "Get help"}}, "$.commands[0].command_name: '/help' is not a command name"),
        ({"commands": {"x" * 31: "Get help"}}, "$.commands[0].command_name: is 31 characters, more than the limit"),
        ({"commands": {"help": ""}}, "$.commands[0].command_description: must not be empty"),
        ({"commands": {"help": "x" * 257}}, "$.commands[0].command_description: is 257 characters"),
        ({"commands": [Command("help", "a"), Command("help", "b")]}, "$.commands[1].command_name: 'help' is named"),
        ({"commands": [{"command_name": "help"}]}, "$.commands[0].command_description: is required"),
        ({"enable_welcome_message": "yes"}, "$.enable_welcome_message: must be boolean"),
        ({}, "$: nothing to update"),
    ],
)
def test_bad_input_is_refused_before_sending(
    served: sandbox.RunningSandbox, changes: dict[str, Any], expected: str
) -> None:
    before = served.sandbox.automation.fields()
    with client(served) as blocking, pytest.raises(d360.ValidationError) as refused:
        blocking.automation.update(**changes)
    assert str(refused.value.problems[0]).startswith(expected), refused.value.problems
    assert served.sandbox.automation.fields() == before


def test_bad_input_is_refused_before_sending_by_the_async_client_too(served: sandbox.RunningSandbox) -> None:
    async def run() -> None:
        async with d360.AsyncClient(api_key=served.api_key, base_url=served.base_url) as awaiting:
            await awaiting.automation.update(prompts=["a"] * 5)

    with pytest.raises(d360.ValidationError, match=r"\$.prompts: has 5 items"):
        asyncio.run(run())
    assert served.sandbox.automation.fields() == INITIAL


def test_without_validation_the_sandbox_still_refuses_what_upstream_would(served: sandbox.RunningSandbox) -> None:
    unchecked = d360.Client(api_key=served.api_key, base_url=served.base_url, validate=False)
    with unchecked, pytest.raises(d360.BadRequestError, match=r"'help' is named twice"):
        unchecked.automation.update(commands=[Command("help", "a"), Command("help", "b")], prompts=["kept?"])
    assert served.sandbox.automation.fields() == INITIAL  # a refused update changes nothing


def test_the_sandbox_refuses_what_is_not_an_update_and_keeps_no_stray_fields(served: sandbox.RunningSandbox) -> None:
    headers = {"D360-API-KEY": served.api_key}
    url = f"{served.base_url}/conversational_automation"
    assert httpx.post(url, content=b"[1]", headers=headers).status_code == 400
    assert httpx.post(url, content=b"{", headers=headers).status_code == 400
    assert httpx.get(url).status_code == 401
    command = {"command_name": "help", "command_description": "Get help", "emoji": "?"}
    assert httpx.post(url, json={"commands": [command], "colour": "red"}, headers=headers).json() == {"success": True}
    assert served.sandbox.automation.fields()["commands"] == [
        {"command_name": "help", "command_description": "Get help"}
    ]
    assert "colour" not in httpx.get(url, headers=headers).json()["conversational_automation"]


def test_reset_brings_back_the_first_automation(served: sandbox.RunningSandbox) -> None:
    with client(served) as blocking:
        blocking.automation.update(enable_welcome_message=True, prompts=["Hi"])
    served.sandbox.reset()
    assert served.sandbox.automation.fields() == INITIAL


def test_an_answer_with_the_fields_at_the_top_is_read_and_unknown_values_are_kept(server: ScriptedServer) -> None:
    answer = {"enable_welcome_message": True, "prompts": ["Hi"], "commands": [{"command_name": "go", "x": 1}, 7],
              "id": 123, "new_field": "kept"}  # fmt: skip
    server.script(Reply(200, answer))
    with d360.Client(api_key="k", base_url=server.base_url) as blocking:
        read = blocking.automation.get()
    assert read == ConversationalAutomation(True, ("Hi",), (Command("go", ""),), "123")
    assert read.raw["new_field"] == "kept" and read.commands[0].raw["x"] == 1


@pytest.mark.parametrize("answer", [[], "text"])
def test_an_answer_that_is_not_an_object_is_an_error(server: ScriptedServer, answer: Any) -> None:
    server.script(Reply(200, answer))
    with d360.Client(api_key="k", base_url=server.base_url) as blocking, pytest.raises(d360.UnexpectedResponseError):
        blocking.automation.get()


def test_an_update_upstream_says_failed_is_an_error(server: ScriptedServer) -> None:
    server.script(Reply(200, {"success": False}))
    with (
        d360.Client(api_key="k", base_url=server.base_url) as blocking,
        pytest.raises(d360.UnexpectedResponseError, match="did not succeed"),
    ):
        blocking.automation.update(enable_welcome_message=True)
    assert [(request.path, request.json()) for request in server.requests] == [
        ("/conversational_automation", {"enable_welcome_message": True})
    ]


def test_the_sandboxs_answers_fit_the_effective_spec_and_survive_the_generated_models(
    served: sandbox.RunningSandbox,
) -> None:
    from d360_api.models import ConversationalAutomationResponse, GetConversationalAutomationResponse

    from d360.validation import schema_problems

    headers = {"D360-API-KEY": served.api_key}
    url = f"{served.base_url}/conversational_automation"
    updated = httpx.post(url, json={"prompts": ["Hi"], "commands": [{"command_name": "a", "command_description": "b"}]},
                         headers=headers).json()  # fmt: skip
    read = httpx.get(url, headers=headers).json()
    assert schema_problems(updated, "conversational_components.ConversationalAutomationResponse") == []
    assert ConversationalAutomationResponse.from_dict(updated).to_dict() == updated
    assert schema_problems(read, "conversational_components.GetConversationalAutomationResponse") == [], read
    assert GetConversationalAutomationResponse.from_dict(read).to_dict() == read
