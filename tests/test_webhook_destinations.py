"""`client.webhook_destinations` (360dialog's multi-webhook) through both clients, and the sandbox's."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

import d360
from d360 import sandbox
from d360.resources.webhook_destinations import Destination, MultiWebhook
from tests.scripted_server import Reply, ScriptedServer

CRM = Destination("crm", "https://crm.example/hooks")
AUDIT = Destination("audit", "https://audit.example/in", {"X-Token": "t0k3n"})


@pytest.fixture(scope="module")
def served() -> Iterator[sandbox.RunningSandbox]:
    with sandbox.running() as running:
        yield running


@pytest.fixture(autouse=True)
def none_yet(served: sandbox.RunningSandbox) -> None:
    served.sandbox.webhook_destinations.reset()


def client(served: sandbox.RunningSandbox) -> d360.Client:
    return d360.Client(api_key=served.api_key, base_url=served.base_url)


def test_each_operation_through_the_blocking_client(served: sandbox.RunningSandbox) -> None:
    with client(served) as blocking:
        hooks = blocking.webhook_destinations
        assert hooks.list() == MultiWebhook(enabled=False)
        assert hooks.enable([CRM]) == "Operation started successfully"
        hooks.append([AUDIT.to_dict()])
        assert hooks.list() == MultiWebhook(True, (CRM, AUDIT))
        hooks.update("crm", url="https://crm.example/v2", headers={"X-Key": "k"})
        hooks.update("audit", headers={})
        assert hooks.list().destinations == (
            Destination("crm", "https://crm.example/v2", {"X-Key": "k"}),
            Destination("audit", "https://audit.example/in"),
        )
        hooks.delete("audit")
        hooks.disable()
        assert hooks.list() == MultiWebhook(False, (Destination("crm", "https://crm.example/v2", {"X-Key": "k"}),))
        hooks.enable()  # on again, with the destinations it kept
        assert hooks.list().enabled is True
    assert served.sandbox.webhook_destinations.destinations() == [
        {"name": "crm", "url": "https://crm.example/v2", "headers": {"X-Key": "k"}}
    ]


def test_each_operation_through_the_async_client(served: sandbox.RunningSandbox) -> None:
    async def run() -> tuple[MultiWebhook, MultiWebhook]:
        async with d360.AsyncClient(api_key=served.api_key, base_url=served.base_url) as awaiting:
            hooks = awaiting.webhook_destinations
            await hooks.enable([CRM, AUDIT])
            await hooks.update("crm", url="https://crm.example/v3")
            both = await hooks.list()
            await hooks.delete("crm")
            await hooks.append([Destination("third", "https://third.example")])
            await hooks.disable()
            return both, await hooks.list()

    both, last = asyncio.run(run())
    assert both == MultiWebhook(True, (Destination("crm", "https://crm.example/v3"), AUDIT))
    assert last == MultiWebhook(False, (AUDIT, Destination("third", "https://third.example")))


Call = Callable[[Any], Any]


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda hooks: hooks.enable([CRM, AUDIT, CRM]), "$.destinations[2].name: 'crm' is named twice"),
        (lambda hooks: hooks.enable([Destination(f"d{i}", "https://d.example") for i in range(4)]),
         "$.destinations: has 4 items, more than the limit of 3"),
        (lambda hooks: hooks.append([Destination("a", "http://a.example")]),
         "$.destinations[0].url: must use https"),
        (lambda hooks: hooks.append([Destination("a", "https://my_hooks.example/in")]),
         "$.destinations[0].url: host 'my_hooks.example' has an underscore"),
        (lambda hooks: hooks.append([Destination("a", "https://hooks.example:8443/in")]),
         "$.destinations[0].url: has a port (8443)"),
        (lambda hooks: hooks.append([Destination("", "https://a.example")]), "$.destinations[0].name: must not be empty"),
        (lambda hooks: hooks.append([Destination("a", "https://a.example", {"X Bad": "v"})]),
         "$.destinations[0].headers: 'X Bad' is not a valid header name"),
        (lambda hooks: hooks.append([Destination("a", "https://a.example", {"X-A": "one\ntwo"})]),
         "$.destinations[0].headers.X-A: must be a string on one line"),
        (lambda hooks: hooks.append([]), "$.destinations: needs at least 1 item"),
        (lambda hooks: hooks.append([{"name": "a"}]), "$.destinations[0].url: is required"),
        (lambda hooks: hooks.update("crm"), "$: nothing to update: give url or headers"),
        (lambda hooks: hooks.update("crm", url="https://a_b.example"), "$.url: host 'a_b.example' has an underscore"),
        (lambda hooks: hooks.delete(""), "$.name: must not be empty"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_before_sending(served: sandbox.RunningSandbox, call: Call, expected: str) -> None:
    served.sandbox.webhook_destinations.enable(True, [CRM.to_dict()])
    with client(served) as blocking, pytest.raises(d360.ValidationError) as refused:
        call(blocking.webhook_destinations)
    assert any(str(problem).startswith(expected) for problem in refused.value.problems), refused.value.problems
    assert served.sandbox.webhook_destinations.destinations() == [CRM.to_dict()]


def test_the_async_client_refuses_before_sending_too(served: sandbox.RunningSandbox) -> None:
    async def run() -> None:
        async with d360.AsyncClient(api_key=served.api_key, base_url=served.base_url) as awaiting:
            await awaiting.webhook_destinations.enable([Destination("a", "http://a.example")])

    with pytest.raises(d360.ValidationError, match="must use https"):
        asyncio.run(run())
    assert not served.sandbox.webhook_destinations.enabled


def test_the_sandbox_answers_upstreams_errors(served: sandbox.RunningSandbox) -> None:
    with client(served) as blocking:
        hooks = blocking.webhook_destinations
        with pytest.raises(d360.APIStatusError, match="not enabled") as off:
            hooks.append([CRM])
        assert off.value.status_code == 409
        with pytest.raises(d360.APIStatusError, match="not enabled"):
            hooks.update("crm", url="https://crm.example")
        hooks.enable([CRM])
        with pytest.raises(d360.APIStatusError, match="already enabled: append destinations with PUT"):
            hooks.enable([AUDIT])
        with pytest.raises(d360.APIStatusError, match="a destination named 'crm' exists") as taken:
            hooks.append([CRM])
        assert taken.value.status_code == 409
        with pytest.raises(d360.NotFoundError, match="no destination named 'nope'"):
            hooks.update("nope", url="https://nope.example")
        with pytest.raises(d360.NotFoundError, match="no destination named 'nope'"):
            hooks.delete("nope")
        hooks.append([AUDIT, Destination("third", "https://third.example")])
        with pytest.raises(d360.BadRequestError, match="at most 3 webhook destinations"):
            hooks.append([Destination("fourth", "https://fourth.example")])
    assert [item["name"] for item in served.sandbox.webhook_destinations.destinations()] == ["crm", "audit", "third"]


def test_without_validation_the_sandbox_still_refuses_what_upstream_would(served: sandbox.RunningSandbox) -> None:
    unchecked = d360.Client(api_key=served.api_key, base_url=served.base_url, validate=False)
    with unchecked, pytest.raises(d360.BadRequestError, match="'crm' is named twice"):
        unchecked.webhook_destinations.enable([CRM, CRM])
    assert not served.sandbox.webhook_destinations.enabled


def test_the_sandbox_refuses_bodies_that_are_not_json_objects(served: sandbox.RunningSandbox) -> None:
    headers = {"D360-API-KEY": served.api_key}
    url = f"{served.base_url}/multi_webhook"
    assert httpx.post(url, content=b"[]", headers=headers).status_code == 400
    assert httpx.put(url, content=b"{", headers=headers).status_code == 400
    assert httpx.post(url, json={"destinations": []}, headers=headers).status_code == 400  # enabled is required
    assert httpx.get(url).status_code == 401


def test_reset_turns_the_feature_off_and_forgets_the_destinations(served: sandbox.RunningSandbox) -> None:
    with client(served) as blocking:
        blocking.webhook_destinations.enable([CRM])
    served.sandbox.reset()
    assert not served.sandbox.webhook_destinations.enabled
    assert served.sandbox.webhook_destinations.destinations() == []


def test_requests_as_sent_and_answers_read_with_unknown_values_kept(server: ScriptedServer) -> None:
    server.script(
        Reply(200, {"enabled": True, "destinations": [{"name": "a", "url": "https://a.example", "headers": {"X": 1},
                                                       "priority": 2}, {"url": "nameless"}], "region": "eu"}),
        Reply(200, {"message": "Operation started successfully"}),
        Reply(200, {}),
        Reply(200, "not json"),
    )  # fmt: skip
    with d360.Client(api_key="k", base_url=server.base_url) as blocking:
        read = blocking.webhook_destinations.list()
        assert read == MultiWebhook(True, (Destination("a", "https://a.example"),))
        assert read.raw["region"] == "eu" and read.destinations[0].raw["priority"] == 2
        assert blocking.webhook_destinations.update("a", headers={"X": "y"}) == "Operation started successfully"
        assert blocking.webhook_destinations.delete("a") is None
        assert blocking.webhook_destinations.disable() is None
    sent = [(request.method, request.path, request.body and request.json()) for request in server.requests]
    assert sent == [
        ("GET", "/multi_webhook", b""),
        ("PATCH", "/multi_webhook", {"name": "a", "headers": {"X": "y"}}),
        ("DELETE", "/multi_webhook", {"name": "a"}),
        ("POST", "/multi_webhook", {"enabled": False}),
    ]


def test_the_sandboxs_answers_fit_the_effective_spec_and_survive_the_generated_models(
    served: sandbox.RunningSandbox,
) -> None:
    from d360_api.models import GetAllMultiWebhooksResp, SuccessResp

    from d360.validation import schema_problems

    headers = {"D360-API-KEY": served.api_key}
    url = f"{served.base_url}/multi_webhook"
    enabled = httpx.post(url, json={"enabled": True, "destinations": [AUDIT.to_dict()]}, headers=headers).json()
    read = httpx.get(url, headers=headers).json()
    assert schema_problems(enabled, "utils.SuccessResp") == []
    assert SuccessResp.from_dict(enabled).to_dict() == enabled
    assert schema_problems(read, "multi_webhook.GetAllMultiWebhooksResp") == [], read
    assert GetAllMultiWebhooksResp.from_dict(read).to_dict() == read
