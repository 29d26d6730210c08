"""`client.health()`, the sandbox's health status, `d360 health` and `d360 bulk`'s check before the first send."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import d360
from d360 import sandbox
from d360.resources.health import Health, parse_health
from tests.scripted_server import Reply, ScriptedServer
from tests.test_bulk import journal_states, write_jsonl
from tests.test_cli import D360

TO = "4915112345678"


@pytest.fixture(scope="module")
def served() -> Iterator[sandbox.RunningSandbox]:
    with sandbox.running() as running:
        yield running


@pytest.fixture(autouse=True)
def healthy(served: sandbox.RunningSandbox) -> None:
    served.sandbox.health.reset()


def environment(served: sandbox.RunningSandbox) -> dict[str, str]:
    found = {key: value for key, value in os.environ.items() if not key.startswith("D360_")}
    return {**found, "D360_API_KEY": served.api_key, "D360_BASE_URL": served.base_url}


def test_a_healthy_number_can_send_through_both_clients(served: sandbox.RunningSandbox) -> None:
    with d360.Client(api_key=served.api_key, base_url=served.base_url) as client:
        health = client.health()
    assert health.can_send and health.status == "AVAILABLE" and health.reasons == ()
    assert [entity.type for entity in health.entities] == ["PHONE_NUMBER", "WABA", "BUSINESS", "APP"]
    assert health.phone_number is not None and health.phone_number.can_send
    assert health.waba is not None and health.business is not None

    async def read() -> Health:
        async with d360.AsyncClient(api_key=served.api_key, base_url=served.base_url) as client:
            return await client.health()

    assert asyncio.run(read()) == health


def test_a_blocked_waba_makes_the_number_unable_to_send_with_the_reason(served: sandbox.RunningSandbox) -> None:
    served.sandbox.health.set("WABA", "BLOCKED", error_code=141014)
    with d360.Client(api_key=served.api_key, base_url=served.base_url) as client:
        health = client.health()
        assert not health.can_send and health.status == "BLOCKED"
        assert health.waba is not None and health.waba.errors[0].code == 141014
        [reason] = health.reasons
        assert reason.startswith("WABA 200000000000002: BLOCKED: (#141014) The WhatsApp Business Account is banned.")
        accepted = served.sandbox.accepted_count
        with pytest.raises(d360.BadRequestError) as refused:
            client.send_text(TO, "not while the account is banned")
        assert refused.value.code == 141014 and not refused.value.maybe_delivered
        assert served.sandbox.accepted_count == accepted
        served.sandbox.health.reset()
        assert client.health().can_send
        assert client.send_text(TO, "healthy again").message_id.startswith("wamid.")


def test_a_limited_number_still_sends_and_says_its_limits(served: sandbox.RunningSandbox) -> None:
    served.sandbox.health.set("PHONE_NUMBER", "LIMITED", error_code=131056, description="Sending is slowed down")
    with d360.Client(api_key=served.api_key, base_url=served.base_url) as client:
        health = client.health()
        assert health.can_send and health.status == "LIMITED"
        assert health.reasons == ("PHONE_NUMBER 100000000000001: LIMITED: (#131056) Sending is slowed down "
                                  "See the Cloud API's error codes.",)  # fmt: skip
        assert client.send_text(TO, "still allowed").message_id.startswith("wamid.")


def test_the_control_endpoint_and_reset_change_the_health(served: sandbox.RunningSandbox) -> None:
    answer = httpx.post(f"{served.base_url}/_sandbox/health",
                        json={"entity_type": "BUSINESS", "can_send_message": "BLOCKED", "error_code": 141006})  # fmt: skip
    assert answer.status_code == 200 and answer.json()["health_status"]["can_send_message"] == "BLOCKED"
    bad = httpx.post(f"{served.base_url}/_sandbox/health", json={"entity_type": "GALAXY"})
    assert bad.status_code == 400 and "entity must be one of PHONE_NUMBER, WABA, BUSINESS, APP" in bad.json()["error"]
    served.sandbox.reset()
    with d360.Client(api_key=served.api_key, base_url=served.base_url) as client:
        assert client.health().can_send


def test_the_health_endpoint_needs_the_key(served: sandbox.RunningSandbox) -> None:
    with (
        d360.Client(api_key="wrong", base_url=served.base_url, max_retries=0) as client,
        pytest.raises(d360.AuthenticationError),
    ):
        client.health()


# Reading upstream's answer: shapes newer than d360, and answers that are not one.


def read(body: object) -> Health:
    return parse_health(200, {}, json.dumps(body).encode())


def test_a_status_d360_does_not_know_counts_as_unable_to_send_and_is_kept() -> None:
    health = read({"health_status": {"can_send_message": "PAUSED_FOR_REVIEW", "entities": [
        {"entity_type": "TEMPLATE", "id": "7", "can_send_message": "PAUSED_FOR_REVIEW", "new_field": 1}]}})  # fmt: skip
    assert not health.can_send and health.status == "PAUSED_FOR_REVIEW"
    assert health.entity("template") is not None and health.entities[0].raw["new_field"] == 1
    assert health.reasons == ("TEMPLATE 7: PAUSED_FOR_REVIEW",)


def test_without_an_overall_status_the_entities_decide() -> None:
    available = {"entity_type": "WABA", "can_send_message": "AVAILABLE"}
    assert read({"health_status": {"entities": [available]}}).can_send
    blocked = {"entity_type": "APP", "id": "1", "can_send_message": "BLOCKED", "additional_info": ["App is disabled"]}
    health = read({"health_status": {"entities": [available, blocked, "not an entity"]}})
    assert not health.can_send and health.status == "BLOCKED" and health.reasons == ("APP 1: BLOCKED: App is disabled",)
    assert not read({"health_status": {}}).can_send  # nothing said: not known to be able to send


def test_an_entity_blocked_under_an_available_overall_status_still_blocks() -> None:
    health = read({"health_status": {"can_send_message": "AVAILABLE",
                                     "entities": [{"entity_type": "WABA", "can_send_message": "BLOCKED"}]}})  # fmt: skip
    assert not health.can_send


def test_an_answer_without_a_health_status_is_an_unexpected_response(server: ScriptedServer) -> None:
    server.script(Reply(200, {"data": []}))
    with (
        d360.Client(api_key="k", base_url=server.base_url) as client,
        pytest.raises(d360.UnexpectedResponseError, match="without a health status"),
    ):
        client.health()
    assert server.requests[0].method == "GET" and server.requests[0].path == "/health_status"


# d360 health: the exit code a deploy script checks.


def test_d360_health_exits_0_when_the_number_can_send(served: sandbox.RunningSandbox) -> None:
    result = subprocess.run([D360, "health"], capture_output=True, text=True, env=environment(served), timeout=60,
                            check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("AVAILABLE: the number can send\n")


def test_d360_health_exits_1_with_the_reasons_when_it_cannot(served: sandbox.RunningSandbox) -> None:
    served.sandbox.health.set("WABA", "BLOCKED", error_code=141006)
    result = subprocess.run([D360, "health"], capture_output=True, text=True, env=environment(served), timeout=60,
                            check=False)  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert "BLOCKED: the number cannot send" in result.stdout
    assert "reason: WABA 200000000000002: BLOCKED: (#141006)" in result.stdout
    as_json = subprocess.run([D360, "health", "--json"], capture_output=True, text=True, env=environment(served),
                             timeout=60, check=False)  # fmt: skip
    assert as_json.returncode == 1
    record = json.loads(as_json.stdout)
    assert record["ok"] is False and record["can_send_message"] == "BLOCKED"
    assert record["entities"][1]["errors"][0]["code"] == 141006


def test_d360_health_exits_3_when_upstream_cannot_be_reached() -> None:
    from tests.test_regen import closed_port

    result = subprocess.run([D360, "health", "--base-url", f"http://127.0.0.1:{closed_port()}", "--api-key", "k",
                             "--max-retries", "0"], capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert result.returncode == 3, result.stderr


# d360 bulk: the health check before the first send.


def test_bulk_refuses_an_unhealthy_number_before_the_first_send(served: sandbox.RunningSandbox, tmp_path: Path) -> None:
    served.sandbox.clear()
    served.sandbox.health.set("PHONE_NUMBER", "BLOCKED", error_code=141000)
    source = write_jsonl(tmp_path / "campaign.jsonl", 5)
    journal = tmp_path / "campaign.sqlite"
    result = subprocess.run([D360, "bulk", str(source), "--journal", str(journal)], capture_output=True, text=True,
                            env=environment(served), timeout=120, check=False)  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert served.sandbox.accepted_count == 0
    assert "(stopped early: the number cannot send (d360 health): PHONE_NUMBER 100000000000001: BLOCKED: (#141000)" in (
        result.stdout
    )
    assert set(journal_states(journal).values()) == {"pending"}
    served.sandbox.health.reset()  # healthy again: the same command sends every line
    resumed = subprocess.run([D360, "bulk", str(source), "--journal", str(journal)], capture_output=True, text=True,
                             env=environment(served), timeout=120, check=False)  # fmt: skip
    assert resumed.returncode == 0, resumed.stderr
    assert served.sandbox.accepted_count == 5


def test_bulk_sends_when_the_health_status_cannot_be_read(tmp_path: Path) -> None:
    # A proxy that does not serve /health_status: said on stderr, and the run goes on.
    with sandbox.running() as running:
        source = write_jsonl(tmp_path / "campaign.jsonl", 2)
        running.sandbox.app.router.routes[:] = [
            route for route in running.sandbox.app.router.routes if getattr(route, "path", "") != "/health_status"
        ]
        result = subprocess.run([D360, "bulk", str(source), "--journal", str(tmp_path / "run.sqlite")],
                                capture_output=True, text=True, env=environment(running), timeout=120,
                                check=False)  # fmt: skip
        assert running.sandbox.accepted_count == 2
    assert result.returncode == 0, result.stderr
    assert "bulk: the health status could not be read" in result.stderr


def test_bulk_no_health_check_sends_from_an_unhealthy_number_without_asking(
    served: sandbox.RunningSandbox, tmp_path: Path
) -> None:
    served.sandbox.clear()
    served.sandbox.health.set("WABA", "BLOCKED", error_code=141014)
    source = write_jsonl(tmp_path / "campaign.jsonl", 2)
    result = subprocess.run([D360, "bulk", str(source), "--journal", str(tmp_path / "run.sqlite"),
                             "--no-health-check", "--max-retries", "0"], capture_output=True, text=True,
                            env=environment(served), timeout=120, check=False)  # fmt: skip
    # Upstream refuses each send itself: the lines fail with its error, as before the check existed.
    assert result.returncode == 1, result.stderr
    assert "cannot send (d360 health)" not in result.stdout and "failed 2" in result.stdout


def test_the_resources_package_names_every_resource() -> None:
    import d360.resources

    for name in d360.resources.__all__:
        assert getattr(d360.resources, name).__name__ == name
    assert d360.resources.Health is Health


def test_the_sandboxs_answers_fit_the_effective_spec_and_survive_the_generated_models(
    served: sandbox.RunningSandbox,
) -> None:
    from d360_api.models import GetHealthStatusResponse

    from d360.validation import schema_problems, spec

    served.sandbox.health.set("APP", "BLOCKED", error_code=141000)
    answer = httpx.get(f"{served.base_url}/health_status", headers={"D360-API-KEY": served.api_key}).json()
    assert schema_problems(answer, "health_status.GetHealthStatusResponse") == []
    assert GetHealthStatusResponse.from_dict(answer).to_dict() == answer
    operation = spec()["paths"]["/health_status"]["get"]
    assert (operation["operationId"], operation["tags"]) == ("get-health-status", ["Health"])
