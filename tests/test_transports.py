"""Which HTTP library carries a request, and whose timeout applies."""

from __future__ import annotations

import asyncio

import attrs
import httpx
import pytest

import d360
from tests.scripted_server import Reply, ScriptedServer, ok_reply

TO = "4915112345678"


async def test_async_client_sends_over_aiohttp_by_default(server: ScriptedServer) -> None:
    async with d360.AsyncClient(api_key="k", base_url=server.base_url) as client:
        await client.send_text(TO, "Hi")
    assert "aiohttp" in server.requests[0].headers["User-Agent"]


async def test_async_client_uses_a_given_httpx_client(server: ScriptedServer) -> None:
    async with (
        httpx.AsyncClient() as own,
        d360.AsyncClient(api_key="k", base_url=server.base_url, http_client=own) as client,
    ):
        await client.send_text(TO, "Hi")
    assert server.requests[0].headers["User-Agent"].startswith("python-httpx/")


async def test_async_client_can_be_created_outside_an_event_loop(server: ScriptedServer) -> None:
    # The aiohttp session opens on first use, inside the loop that uses it.
    client = await asyncio.to_thread(d360.AsyncClient, api_key="k", base_url=server.base_url)
    assert (await client.send_text(TO, "Hi")).message_id == "wamid.TEST1"
    await client.aclose()


def test_own_httpx_client_keeps_its_timeout_when_d360_is_given_none(server: ScriptedServer) -> None:
    server.script(Reply(delay=0.6), ok_reply())
    with (
        httpx.Client(timeout=0.2) as own,
        d360.Client(api_key="k", base_url=server.base_url, http_client=own) as client,
        pytest.raises(d360.APITimeoutError),
    ):
        client.send_text(TO, "Hi")


def test_timeout_given_to_d360_wins_over_the_own_clients(server: ScriptedServer) -> None:
    server.script(attrs.evolve(ok_reply(), delay=0.4))
    # d360's timeout, 120 s, is a hang guard: 2 s was one a starved machine could pass on a 0.4 s answer.
    with httpx.Client(timeout=0.1) as own, d360.Client(api_key="k", base_url=server.base_url, http_client=own,
                                                      timeout=120) as client:  # fmt: skip
        assert client.send_text(TO, "Hi").message_id == "wamid.TEST1"


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_with_options_timeout_applies_per_request(server: ScriptedServer, kind: str) -> None:
    server.script(Reply(delay=0.6), ok_reply())

    if kind == "sync":
        with d360.Client(api_key="k", base_url=server.base_url, max_retries=0) as client:
            with pytest.raises(d360.APITimeoutError):
                client.with_options(timeout=0.2).send_text(TO, "Hi")
            assert client.send_text(TO, "Hi").message_id == "wamid.TEST1"  # the original keeps its 30 s
        return

    async def run() -> None:
        async with d360.AsyncClient(api_key="k", base_url=server.base_url, max_retries=0) as client:
            with pytest.raises(d360.APITimeoutError):
                await client.with_options(timeout=0.2).send_text(TO, "Hi")
            assert (await client.send_text(TO, "Hi")).message_id == "wamid.TEST1"

    asyncio.run(run())
