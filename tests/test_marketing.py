"""Marketing messages through MM Lite (`send_marketing`, `send_template(marketing=True)`, `d360 bulk
--marketing`) and `client.marketing`'s reads, through both clients against the sandbox and a scripted server."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import d360
from d360 import sandbox
from d360.errors import BadRequestError, TemplateMismatchError, ValidationError
from d360.resources.marketing import MAX_TTL_SECONDS, MIN_TTL_SECONDS, DatasetQuality, TemplateAnalytics
from d360.templates import body, text
from tests.clients import ClientUnderTest
from tests.scripted_server import Reply, ScriptedServer, ok_reply
from tests.test_cli import D360

TO = "4915112345678"
SALE = [{"type": "BODY", "text": "Hello {{1}}, 20% off today.", "example": {"body_text": [["Ann"]]}}]
SALE_BODY = [body(text("Ann"))]


@pytest.fixture(scope="module")
def served() -> Iterator[sandbox.RunningSandbox]:
    with sandbox.running() as running:
        yield running


@pytest.fixture(autouse=True)
def fresh(served: sandbox.RunningSandbox) -> None:
    served.sandbox.reset()
    served.add_template("spring_sale", SALE, category="MARKETING")


class DottedClient(ClientUnderTest):
    """`ClientUnderTest` that also calls a resource's method: `call("marketing.dataset_quality", ...)`."""

    def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        def find(client: Any) -> Any:
            for part in method.split("."):
                client = getattr(client, part)
            return client

        if self.kind == "sync":
            with d360.Client(**self.options) as client:
                return find(client)(*args, **kwargs)

        async def run() -> Any:
            async with d360.AsyncClient(**self.options) as client:
                return await find(client)(*args, **kwargs)

        return asyncio.run(run())


def on_sandbox(client_kind: str, served: sandbox.RunningSandbox, **options: Any) -> DottedClient:
    return DottedClient(client_kind, api_key=served.api_key, base_url=served.base_url, **options)


# Sending.


def test_send_marketing_goes_through_mm_lite_with_its_fields(client_kind: str, served: sandbox.RunningSandbox) -> None:
    result = on_sandbox(client_kind, served, template_check=True).call(
        "send_marketing", TO, "spring_sale", "en", SALE_BODY,
        message_send_ttl_seconds=86_400, message_activity_sharing=True,
    )  # fmt: skip
    assert result.message_id.startswith("wamid.") and result.wa_id == TO
    assert result.product_policy == "CLOUD_API_FALLBACK"  # the sandbox, as upstream, falls back unless told not to
    assert served.sandbox.marketing.message_ids == [result.message_id]
    [kept] = served.received()
    assert kept.body["message_send_ttl_seconds"] == 86_400 and kept.body["message_activity_sharing"] is True
    assert kept.body["template"]["name"] == "spring_sale" and kept.body["type"] == "template"


def test_send_template_with_marketing_true_goes_through_mm_lite(
    client_kind: str, served: sandbox.RunningSandbox
) -> None:
    result = on_sandbox(client_kind, served).call("send_template", TO, "spring_sale", "en", SALE_BODY, marketing=True)
    assert served.sandbox.marketing.message_ids == [result.message_id]
    plain = on_sandbox(client_kind, served).call("send_template", TO, "spring_sale", "en", SALE_BODY)
    assert plain.product_policy is None and plain.message_id not in served.sandbox.marketing.message_ids


def test_the_policy_asked_for_is_reported(client_kind: str, served: sandbox.RunningSandbox) -> None:
    result = on_sandbox(client_kind, served).call(
        "send_marketing", TO, "spring_sale", "en", SALE_BODY, product_policy="STRICT"
    )
    assert result.product_policy == "STRICT"
    assert served.received()[0].body["product_policy"] == "STRICT"


def test_a_policy_upstream_names_is_kept_even_when_d360_does_not_know_it(
    make_client: Any, server: ScriptedServer
) -> None:
    answer = ok_reply()
    server.script(Reply(200, {**answer.body, "product_policy": "SOME_NEWER_POLICY"}))  # type: ignore[dict-item]
    result = make_client().call("send_marketing", TO, "spring_sale", "en", product_policy="STRICT")
    assert result.product_policy == "SOME_NEWER_POLICY"
    assert [request.path for request in server.requests] == ["/marketing_messages"]


@pytest.mark.parametrize(
    ("options", "where"),
    [
        ({"message_send_ttl_seconds": MIN_TTL_SECONDS - 1}, "$.message_send_ttl_seconds"),
        ({"message_send_ttl_seconds": MAX_TTL_SECONDS + 1}, "$.message_send_ttl_seconds"),
        ({"message_send_ttl_seconds": "86400"}, "$.message_send_ttl_seconds"),
        ({"message_send_ttl_seconds": True}, "$.message_send_ttl_seconds"),
        ({"product_policy": "fallback"}, "$.product_policy"),
        ({"message_activity_sharing": "yes"}, "$.message_activity_sharing"),
    ],
    ids=["ttl-too-short", "ttl-too-long", "ttl-text", "ttl-bool", "policy", "sharing"],
)
def test_bad_mm_lite_fields_are_refused_before_sending(
    client_kind: str, served: sandbox.RunningSandbox, options: dict[str, Any], where: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        on_sandbox(client_kind, served).call("send_marketing", TO, "spring_sale", "en", SALE_BODY, **options)
    assert raised.value.problems[0].path == where
    assert served.sandbox.accepted_count == 0


def test_the_ttl_range_ends_are_taken(client_kind: str, served: sandbox.RunningSandbox) -> None:
    for ttl in (MIN_TTL_SECONDS, MAX_TTL_SECONDS):
        on_sandbox(client_kind, served).call(
            "send_marketing", TO, "spring_sale", "en", SALE_BODY, message_send_ttl_seconds=ttl
        )
    assert [kept.body["message_send_ttl_seconds"] for kept in served.received()] == [MIN_TTL_SECONDS, MAX_TTL_SECONDS]


def test_a_bad_template_message_or_a_reply_is_refused_before_sending(
    client_kind: str, served: sandbox.RunningSandbox
) -> None:
    with pytest.raises(ValidationError, match=r"\$\.to"):  # the template message is checked as on /messages
        on_sandbox(client_kind, served).call("send_marketing", "12", "spring_sale", "en", SALE_BODY)
    with pytest.raises(ValidationError, match="context"):
        on_sandbox(client_kind, served).call(
            "send_template", TO, "spring_sale", "en", SALE_BODY, reply_to="wamid.X", marketing=True
        )
    with pytest.raises(ValidationError, match="individual"):
        on_sandbox(client_kind, served).call(
            "send_template", "120363012345678901@g.us", "spring_sale", "en", SALE_BODY,
            recipient_type="group", marketing=True,
        )  # fmt: skip
    assert served.sandbox.accepted_count == 0


def test_the_template_check_holds_for_a_marketing_send(client_kind: str, served: sandbox.RunningSandbox) -> None:
    with pytest.raises(TemplateMismatchError):
        on_sandbox(client_kind, served, template_check=True).call("send_marketing", TO, "spring_sale", "en")
    assert served.sandbox.accepted_count == 0


def test_a_utility_template_is_refused_by_the_sandbox_as_upstream_refuses_it(
    client_kind: str, served: sandbox.RunningSandbox
) -> None:
    with pytest.raises(BadRequestError) as raised:
        on_sandbox(client_kind, served).call(
            "send_marketing", TO, "order_update", "en", [body(text("A1"), text("shipped"))]
        )
    assert raised.value.code == 131055
    assert served.sandbox.accepted_count == 0


def test_the_sandbox_refuses_a_message_that_is_not_a_template(served: sandbox.RunningSandbox) -> None:
    message = {"messaging_product": "whatsapp", "to": TO, "type": "text", "text": {"body": "hi"}}
    for path in ("/marketing_messages", "/marketing/marketing_messages"):
        answer = httpx.post(served.base_url + path, json=message, headers={"D360-API-KEY": served.api_key})
        assert answer.status_code == 400
        assert answer.json()["detail"]["error"]["code"] == 100
        assert answer.json()["detail"]["error"]["error_data"]["details"] == "Message must be a template message."
    refused = httpx.post(served.base_url + "/marketing_messages", json=message)
    assert refused.status_code == 401
    assert served.sandbox.accepted_count == 0


def test_an_unhealthy_number_or_a_blocked_user_is_refused_on_mm_lite_too(
    client_kind: str, served: sandbox.RunningSandbox
) -> None:
    served.sandbox.blocked.block([TO])
    with pytest.raises(BadRequestError):
        on_sandbox(client_kind, served).call("send_marketing", TO, "spring_sale", "en", SALE_BODY)
    served.sandbox.blocked.clear()
    served.sandbox.health.set("WABA", "BLOCKED", error_code=141006)
    with pytest.raises(BadRequestError) as raised:
        on_sandbox(client_kind, served).call("send_marketing", TO, "spring_sale", "en", SALE_BODY)
    assert raised.value.code == 141006
    assert served.sandbox.accepted_count == 0


def test_a_send_that_may_have_been_delivered_is_never_sent_again(make_client: Any, server: ScriptedServer) -> None:
    server.script(Reply(500, {"error": "oops"}), ok_reply())
    with pytest.raises(d360.errors.APIStatusError):
        make_client().call("send_marketing", TO, "spring_sale", "en")
    assert len(server.requests) == 1


def test_a_send_that_never_arrived_is_retried_on_the_same_route(make_client: Any, server: ScriptedServer) -> None:
    server.script(Reply(503, {"error": "unavailable"}), ok_reply())
    result = make_client().call("send_marketing", TO, "spring_sale", "en", message_send_ttl_seconds=43_200)
    assert result.message_id == "wamid.TEST1" and result.product_policy == "CLOUD_API_FALLBACK"
    assert [request.path for request in server.requests] == ["/marketing_messages"] * 2
    assert all(request.json()["message_send_ttl_seconds"] == 43_200 for request in server.requests)


# Reads.


def test_dataset_quality_through_both_clients(client_kind: str, served: sandbox.RunningSandbox) -> None:
    quality = on_sandbox(client_kind, served).call("marketing.dataset_quality", "1234567890")
    assert isinstance(quality, DatasetQuality)
    purchase = quality.event("Purchase")
    assert purchase is not None and purchase.match_quality_score == 6.4 and purchase.coverage_percentage == 81.5
    assert purchase.acr_percentage == 12.5 and "data_freshness" in purchase.raw


def test_dataset_quality_keeps_a_source_it_does_not_know(client_kind: str, server: ScriptedServer) -> None:
    server.script(Reply(200, {"app": [{"event_name": "Install", "event_coverage": {"percentage": "n/a"}}]}))
    quality = DottedClient(client_kind, api_key="k", base_url=server.base_url).call(
        "marketing.dataset_quality", "42", fields="app{event_name}"
    )
    assert [(event.source, event.event_name, event.coverage_percentage) for event in quality.events] == [
        ("app", "Install", None)
    ]
    assert server.requests[0].path == "/marketing/dataset_quality?dataset_id=42&fields=app%7Bevent_name%7D"


@pytest.mark.parametrize("dataset_id", ["", "  ", None])
def test_an_empty_dataset_id_is_refused_before_asking(
    client_kind: str, server: ScriptedServer, dataset_id: Any
) -> None:
    with pytest.raises(ValidationError, match="dataset_id"):
        DottedClient(client_kind, api_key="k", base_url=server.base_url).call("marketing.dataset_quality", dataset_id)
    assert server.requests == []


def test_template_analytics_count_marketing_sends_once_enabled(
    client_kind: str, served: sandbox.RunningSandbox
) -> None:
    under_test = on_sandbox(client_kind, served)
    under_test.call("send_marketing", TO, "spring_sale", "en", SALE_BODY)
    assert under_test.call("marketing.template_analytics").points == ()
    assert under_test.call("marketing.enable_template_analytics") is True
    under_test.call("send_marketing", TO, "spring_sale", "en", SALE_BODY)
    analytics = under_test.call("marketing.template_analytics")
    assert isinstance(analytics, TemplateAnalytics)
    [point] = analytics.points
    assert point.sent == 2 and point.template_id is not None and point.start is not None


def test_enabling_template_analytics_without_enable_true_is_refused(served: sandbox.RunningSandbox) -> None:
    answer = httpx.post(served.base_url + "/marketing/template_analytics", headers={"D360-API-KEY": served.api_key})
    assert answer.status_code == 400 and not served.sandbox.marketing.analytics_enabled


# d360 bulk --marketing, as a real subprocess.


def bulk(base_url: str, api_key: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "D360_API_KEY": api_key, "D360_BASE_URL": base_url}
    return subprocess.run([D360, "bulk", *arguments], capture_output=True, text=True, env=environment,
                          timeout=300, check=False)  # fmt: skip


def sale_line(index: int) -> dict[str, Any]:
    return {"messaging_product": "whatsapp", "to": f"49151000000{index:02d}", "type": "template",
            "template": {"name": "spring_sale", "language": {"code": "en"},
                         "components": [{"type": "body", "parameters": [{"type": "text", "text": f"n{index}"}]}]}}  # fmt: skip


def test_bulk_marketing_sends_every_line_through_mm_lite(served: sandbox.RunningSandbox, tmp_path: Path) -> None:
    source = tmp_path / "sale.jsonl"
    source.write_text("".join(json.dumps(sale_line(index)) + "\n" for index in range(1, 6)))
    journal = tmp_path / "sale.sqlite"
    run = bulk(served.base_url, served.api_key, str(source), "--journal", str(journal), "--marketing", "--json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["counts"]["accepted"] == 5
    assert len(served.sandbox.marketing.message_ids) == 5 == served.sandbox.accepted_count
    again = bulk(served.base_url, served.api_key, str(source), "--journal", str(journal), "--marketing", "--json")
    assert again.returncode == 0, again.stderr
    assert served.sandbox.accepted_count == 5  # the journal's guarantee holds: nothing is sent twice


def test_bulk_marketing_refuses_a_line_that_is_not_a_template_before_the_first_send(
    served: sandbox.RunningSandbox, tmp_path: Path
) -> None:
    source = tmp_path / "mixed.jsonl"
    text_line = {"messaging_product": "whatsapp", "to": "4915100000099", "type": "text", "text": {"body": "hi"}}
    source.write_text(json.dumps(sale_line(1)) + "\n" + json.dumps(text_line) + "\n")
    run = bulk(served.base_url, served.api_key, str(source), "--journal", str(tmp_path / "m.sqlite"), "--marketing")
    assert run.returncode == 2
    assert "--marketing sends template messages only" in run.stderr and "line 2" in run.stderr
    assert served.sandbox.accepted_count == 0
    plain = bulk(served.base_url, served.api_key, str(source), "--journal", str(tmp_path / "p.sqlite"))
    assert plain.returncode == 0, plain.stderr  # without --marketing the same file is fine
    assert served.sandbox.marketing.message_ids == []


def test_reads_through_the_async_client_directly(served: sandbox.RunningSandbox) -> None:
    async def run() -> tuple[DatasetQuality, bool]:
        async with d360.AsyncClient(api_key=served.api_key, base_url=served.base_url) as client:
            quality = await client.marketing.dataset_quality("1", agent_name="partner")
            return quality, await client.marketing.enable_template_analytics()

    quality, enabled = asyncio.run(run())
    assert quality.events and enabled and served.sandbox.marketing.analytics_enabled


def test_reset_forgets_mm_lite_sends_and_analytics(served: sandbox.RunningSandbox) -> None:
    on_sandbox("sync", served).call("send_marketing", TO, "spring_sale", "en", SALE_BODY)
    served.sandbox.marketing.analytics_enabled = True
    served.sandbox.marketing.dataset_quality = {"web": []}
    served.sandbox.reset()
    state = served.sandbox.marketing
    assert state.message_ids == [] and not state.analytics_enabled and state.dataset_quality["web"]
    assert state.analytics()["data"][0]["data_points"] == []
