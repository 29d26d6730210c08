"""The sandbox's templates: upstream's review with its status webhook reaching a real Receiver, template
messages refused as upstream refuses them (132001, 132000), the seeded templates the README's examples
send, the endpoints' edges, and the store's bounds."""

from __future__ import annotations

import collections
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import d360
from d360 import sandbox
from d360 import templates as t
from d360.sandbox.templates import SEEDS, TemplateStore
from d360.webhooks import Deduplicator, Receiver, TemplateStatusUpdate
from tests.servers import serving_asgi, wait_for

KEY = "sandbox-templates-key"
SECRET = "template-webhook-secret"
TO = "4915112345678"
BODY = {"type": "BODY", "text": "Hi {{1}}, 10% off today only.", "example": {"body_text": [["Anna"]]}}


@pytest.fixture(scope="module")
def served() -> Iterator[sandbox.RunningSandbox]:
    with sandbox.running(api_keys=[KEY], template_review_seconds=0.1) as running:
        yield running


@pytest.fixture
def client(served: sandbox.RunningSandbox) -> Iterator[d360.Client]:
    served.sandbox.templates.clear()
    with d360.Client(api_key=KEY, base_url=served.base_url, max_retries=0) as made:
        yield made


def refusal(client: d360.Client, message: dict[str, Any]) -> d360.BadRequestError:
    with pytest.raises(d360.BadRequestError) as caught:
        client.send(message)
    return caught.value


def template_message(name: str, language: str = "en", components: list[Any] | None = None) -> dict[str, Any]:
    return d360.messages.template(TO, name, language, components=components)


# The review and its webhook, end to end.


def test_the_review_reaches_a_real_receiver_as_a_template_status_update(tmp_path: Path) -> None:
    receiver = Receiver(secret=SECRET, dedup=Deduplicator(tmp_path / "seen.sqlite"))
    updates: list[TemplateStatusUpdate] = []
    lock = threading.Lock()

    @receiver.on_template_status
    def keep(update: TemplateStatusUpdate) -> None:
        with lock:
            updates.append(update)

    with (
        serving_asgi(receiver.asgi) as url,
        sandbox.running(
            webhook_url=url + "/", webhook_secret=SECRET, template_review_seconds=0.2, template_reject_pattern="^spam_"
        ) as served,
        d360.Client(api_key=served.api_key, base_url=served.base_url) as client,
    ):
        good = client.templates.create(name="autumn_sale", category="MARKETING", language="en", components=[BODY])
        bad = client.templates.create(name="spam_offer", category="MARKETING", language="de", components=[BODY])
        assert good.status == bad.status == "PENDING"
        wait_for(lambda: len(updates) == 2)
        assert served.sandbox.webhooks.wait_idle()
        assert client.templates.get("autumn_sale").approved
        assert client.templates.get("spam_offer").status == "REJECTED"
    by_name = {update.template_name: update for update in updates}
    approved, rejected = by_name["autumn_sale"], by_name["spam_offer"]
    assert approved.approved and approved.event == "APPROVED" and approved.reason == "NONE"
    assert (approved.template_id, approved.language, approved.category) == (good.id, "en", "MARKETING")
    assert approved.raw["message_template_id"] == int(str(good.id))  # a number on the wire, as Meta sends it
    assert rejected.rejected and rejected.reason == "INVALID_FORMAT" and rejected.template_id == bad.id
    assert rejected.language == "de"
    assert receiver.stats.refused == 0 and receiver.stats.deliveries == 2  # signed as the receiver expects


def test_a_pending_or_rejected_template_cannot_be_sent_and_an_approved_one_can() -> None:
    # An hour's review: nothing is decided until the test decides it, by calling the review itself.
    with (
        sandbox.running(template_review_seconds=3600, template_reject_pattern="^bad_") as served,
        d360.Client(api_key=served.api_key, base_url=served.base_url, max_retries=0) as client,
    ):
        store: TemplateStore = served.sandbox.templates
        good = client.templates.create(name="flash_sale", category="MARKETING", language="en", components=[BODY])
        bad = client.templates.create(name="bad_idea", category="MARKETING", language="en", components=[BODY])
        message = template_message("flash_sale", components=[t.body(t.text("Anna"))])
        error = refusal(client, message)
        assert error.code == 132001 and error.message.endswith(
            "template name (flash_sale) is PENDING, not approved, in en"
        )
        store.review(str(good.id))
        store.review(str(bad.id))
        assert store.review(str(good.id)) is None  # decided once
        assert client.send(message).message_id.startswith("wamid.")
        rejected = refusal(client, template_message("bad_idea", components=[t.body(t.text("Anna"))]))
        assert rejected.message.endswith("template name (bad_idea) is REJECTED, not approved, in en")


def test_a_template_deleted_before_its_review_is_not_reviewed_and_sends_no_webhook() -> None:
    received: list[bytes] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            message = await receive()
            received.append(message.get("body", b""))
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b""})

    with (
        serving_asgi(app) as url,
        # The deletion must come before the review: 3 s, not 0.3 s, for the two requests between them on a
        # starved machine (the review's own clock is the wall clock).
        sandbox.running(webhook_url=url + "/", template_review_seconds=3.0) as served,
        d360.Client(api_key=served.api_key, base_url=served.base_url) as client,
    ):
        client.templates.create(name="gone_soon", category="UTILITY", language="en", components=[BODY])
        client.templates.delete("gone_soon")
        client.templates.create(name="kept", category="UTILITY", language="en", components=[BODY])
        wait_for(lambda: len(received) == 1)
        assert served.sandbox.webhooks.wait_idle()
    assert b"kept" in received[0] and not any(b"gone_soon" in body for body in received)


# Template messages refused as upstream refuses them.


@pytest.mark.parametrize(
    ("message", "code", "details"),
    [
        (template_message("order_updates"), 132001, "template name (order_updates) does not exist in en"),
        (template_message("order_update", "de"), 132001, "template name (order_update) does not exist in de"),
        (template_message("hello_world", "en"), 132001, "template name (hello_world) does not exist in en"),
        (template_message("order_confirmation"), 132000,
         "body: number of localizable_params (0) does not match the expected number of params (1)"),
        (template_message("order_confirmation", components=[t.body(t.text("1"), t.text("2"))]), 132000,
         "body: number of localizable_params (2) does not match the expected number of params (1)"),
        (template_message("order_update", components=[t.body(t.text("a"), t.text("b"), t.text("c")),
                                                      t.button(0, "url", t.text("8812"))]), 132000,
         "header: number of localizable_params (0) does not match the expected number of params (1)"),
        (template_message("order_update", components=[t.header(t.image(link="https://e.com/a.jpg")),
                                                      t.body(t.text("a"), t.text("b"), t.text("c"))]), 132000,
         "button at index 0: number of params (0) does not match the expected number of params (1) of its URL button"),
        (template_message("delivery_slot", components=[t.button(2, "quick_reply", {"type": "payload", "payload": "x"})]),
         132000, "button at index 2: the template has no such button"),
        (template_message("hello_world", "en_US", components=[t.header(t.text("Hi"))]), 132000,
         "header: number of localizable_params (1) does not match the expected number of params (0)"),
    ],
    ids=["unknown name", "unknown language", "language of another template", "body missing", "body too many",
         "header missing", "url button missing", "no such button", "header given to a fixed header"],
)  # fmt: skip
def test_template_messages_that_do_not_fit_are_refused_as_upstream_refuses_them(
    client: d360.Client, served: sandbox.RunningSandbox, message: dict[str, Any], code: int, details: str
) -> None:
    before = served.sandbox.accepted_count
    error = refusal(client, message)
    assert (error.status_code, error.code) == (400, code)
    title = "Template name does not exist in the translation" if code == 132001 else "Number of parameters"
    assert error.message.startswith(f"(#{code}) {title}") and error.message.endswith(f": {details}")
    assert error.details["type"] == "OAuthException" and error.details["error_data"]["details"] == details
    assert served.sandbox.accepted_count == before


def test_an_authentication_template_takes_its_code_in_the_body_and_the_otp_button(
    client: d360.Client, served: sandbox.RunningSandbox
) -> None:
    served.add_template("login_code", [{"type": "BODY", "add_security_recommendation": True},
                                       {"type": "BUTTONS", "buttons": [{"type": "OTP", "otp_type": "COPY_CODE"}]}],
                        category="AUTHENTICATION")  # fmt: skip
    code = [t.body(t.text("492113")), t.button(0, "url", t.text("492113"))]  # Meta's send example for an OTP button
    assert client.send(template_message("login_code", components=code)).status == "accepted"
    error = refusal(client, template_message("login_code", components=code[1:]))
    assert error.code == 132000 and "body: number of localizable_params (0)" in error.message


def test_the_check_can_be_turned_off_for_contract_runs() -> None:
    with (
        sandbox.running(template_check=False) as served,
        d360.Client(api_key=served.api_key, base_url=served.base_url) as client,
    ):
        assert client.send(template_message("any_name_at_all", "xx")).message_id.startswith("wamid.")


def test_the_readmes_template_examples_fit_the_sandboxs_own_templates(client: d360.Client) -> None:
    sends = [
        # "Sending messages" and examples/demo.py
        ("order_update", "en", [t.header(t.image(link="https://example.com/box.jpg")),
                                t.body(t.text("Anna"), t.currency("EUR 12.50", "EUR", 12500), t.date_time("May 4")),
                                t.button(0, "url", t.text("orders/8812"))]),
        # the pytest plugin's example
        ("order_confirmation", "en", [{"type": "body", "parameters": [{"type": "text", "text": "8812"}]}]),
        # "Validation" and "Using the generated client": a quick reply's payload, written with index "0"
        ("delivery_slot", "en", [{"type": "button", "sub_type": "quick_reply", "index": "0",
                                  "parameters": [{"type": "payload", "payload": "CONFIRM-8812"}]}]),
        ("delivery_slot", "en", None),  # quick replies need no parameters
        # `d360 bulk customers.csv --template shipping_update --language en`: two columns after `to`
        ("shipping_update", "en", [t.body(t.text("Anna"), t.text("8812"))]),
        ("hello_world", "en_US", None),
    ]  # fmt: skip
    for name, language, components in sends:
        assert client.send_template(TO, name, language, components=components).status == "accepted"


def test_a_template_added_for_a_test_is_sendable_at_once_and_cleared_after(served: sandbox.RunningSandbox) -> None:
    served.sandbox.templates.clear()
    added = served.add_template("order_update", [BODY], language="en")  # replaces the seeded one
    assert added["status"] == "APPROVED" and added["name"] == "order_update"
    with d360.Client(api_key=KEY, base_url=served.base_url) as client:
        assert client.send_template(TO, "order_update", "en", components=[t.body(t.text("Anna"))]).message_id
        assert [(x.name, x.language) for x in client.templates.list(name="order_update")] == [("order_update", "en")]
    with pytest.raises(d360.ValidationError, match=r"\$\.components\[0\]\.example\.body_text"):
        served.add_template("broken", [{"type": "BODY", "text": "Hi {{1}}"}])
    served.sandbox.templates.clear()
    assert [stored.name for stored in served.sandbox.templates.all()] == [seed["name"] for seed in SEEDS]
    assert served.sandbox.templates.find("order_update", "en").components == SEEDS[1]["components"]  # type: ignore[union-attr]


# The endpoints' edges, over plain HTTP.


def get(served: sandbox.RunningSandbox, path: str, **params: str) -> httpx.Response:
    return httpx.get(served.base_url + path, params=params, headers={"D360-API-KEY": KEY}, timeout=10)


def test_the_listing_pages_sorts_and_filters_as_asked(client: d360.Client, served: sandbox.RunningSandbox) -> None:
    answer = get(served, "/v1/configs/templates", limit="2", offset="1", sort="-business_templates.name").json()
    assert (answer["count"], answer["total"], answer["limit"], answer["offset"]) == (2, 5, 2, 1)
    assert [item["name"] for item in answer["waba_templates"]] == ["order_update", "order_confirmation"]
    assert answer["sort"] == ["-business_templates.name"]
    filtered = get(served, "/v1/configs/templates", filters='{"status": "approved", "language": "en_US"}').json()
    assert [item["name"] for item in filtered["waba_templates"]] == ["hello_world"]
    assert set(filtered["waba_templates"][0]) >= {"id", "name", "language", "category", "components", "status",
                                                  "rejected_reason", "namespace", "quality_score"}  # fmt: skip


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"limit": "²"}, "limit and offset must be whole numbers, 0 or more"),
        ({"offset": "-1"}, "limit and offset must be whole numbers, 0 or more"),
        ({"filters": "[1]"}, "filters must be a JSON object of strings"),
        ({"filters": '{"status": 1}'}, "filters must be a JSON object of strings"),
        ({"filters": '{"colour": "red"}'}, "filters may hold id, partner_id, business_templates.name, status, "
                                           "category, language, not colour"),
        ({"filters": '{"name": "order_update"}'}, "filters may hold id, partner_id, business_templates.name"),
        ({"sort": "colour"}, "sort by one of id, partner_id, business_templates.name"),
        ({"sort": "name"}, "sort by one of id, partner_id, business_templates.name"),
    ],
)  # fmt: skip
def test_a_bad_listing_query_is_a_400_naming_it(
    served: sandbox.RunningSandbox, params: dict[str, str], error: str
) -> None:
    answer = get(served, "/v1/configs/templates", **params)
    assert answer.status_code == 400 and error in answer.json()["error"]


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/v1/configs/templates"), ("POST", "/v1/configs/templates"), ("DELETE", "/v1/configs/templates/x"),
     ("GET", "/message_template_library")],
)  # fmt: skip
def test_every_template_endpoint_wants_a_key(served: sandbox.RunningSandbox, method: str, path: str) -> None:
    answer = httpx.request(method, served.base_url + path, headers={"D360-API-KEY": "wrong"}, timeout=10)
    assert answer.status_code == 401


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b"not json", "the body must be JSON: a template definition"),
        (b"[]", "invalid template (1 problem): $: must be an object (a template definition), not a list"),
        (b'{"name": "x", "category": "UTILITY", "language": "en", "library_template_name": "nope"}',
         "the template library has no 'nope' in 'en'"),
    ],
)  # fmt: skip
def test_a_bad_creation_is_a_400_naming_it(served: sandbox.RunningSandbox, body: bytes, error: str) -> None:
    answer = httpx.post(served.base_url + "/v1/configs/templates", content=body, headers={"D360-API-KEY": KEY})
    assert answer.status_code == 400 and answer.json()["error"] == error


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b'{"name": "half_emoji", "category": "UTILITY", "language": "en", '
         b'"components": [{"type": "BODY", "text": "Hi \\ud83d"}]}',
         "invalid template (1 problem): $.components[0].text: holds a lone surrogate ('\\ud83d'), which UTF-8 "
         "cannot carry: half of an emoji, say"),
        (b'{"name": "not_a_number", "category": "UTILITY", "language": "en", '
         b'"components": [{"type": "BODY", "text": "Hi", "x_weight": NaN}]}',
         "the template cannot be answered as JSON (Out of range float values are not JSON compliant): not kept"),
    ],
    ids=["a lone surrogate", "NaN"],
)  # fmt: skip
def test_a_template_it_could_not_answer_is_refused_before_it_is_kept(
    served: sandbox.RunningSandbox, body: bytes, error: str
) -> None:
    """It was kept first and answered 500, and every listing after it was a 500 until it was deleted."""
    served.sandbox.templates.clear()
    before = len(served.sandbox.templates)
    answer = httpx.post(served.base_url + "/v1/configs/templates", content=body, headers={"D360-API-KEY": KEY})
    assert answer.status_code == 400 and answer.json()["error"] == error
    assert len(served.sandbox.templates) == before
    assert get(served, "/v1/configs/templates").status_code == 200


def test_a_listing_filter_it_could_not_echo_is_a_400(served: sandbox.RunningSandbox) -> None:
    answer = get(served, "/v1/configs/templates", filters='{"status": "\\udc80"}')
    assert answer.status_code == 400 and "lone surrogate" in answer.json()["error"]


def test_the_library_pages_by_cursor_and_answers_nothing_after_a_cursor_it_did_not_give(
    served: sandbox.RunningSandbox,
) -> None:
    first = get(served, "/message_template_library", limit="4", industry="E_COMMERCE").json()
    assert [item["name"] for item in first["data"]] == ["delivery_update_1", "order_confirmation_1",
                                                        "order_confirmation_1", "payment_reminder_1"]  # fmt: skip
    assert "industry=E_COMMERCE" in first["paging"]["next"] and "after=" in first["paging"]["next"]
    second = httpx.get(first["paging"]["next"], headers={"D360-API-KEY": KEY}, timeout=10).json()
    assert [item["name"] for item in second["data"]] == ["account_creation_confirmation_1"]
    assert "next" not in second["paging"]
    # A cursor it never gave points past every page: an empty answer, not an error (cursors are opaque).
    assert get(served, "/message_template_library", after="bm9wZQ").json() == {"data": []}
    empty_cursor = get(served, "/message_template_library", limit="4", industry="E_COMMERCE", after="").json()
    assert empty_cursor["data"] == first["data"]  # an empty cursor is no cursor


# The store's bounds and settings.


def test_the_store_is_bounded_and_says_so(tmp_path: Path) -> None:
    with (
        sandbox.running(max_templates=len(SEEDS) + 1) as served,
        d360.Client(api_key=served.api_key, base_url=served.base_url) as client,
    ):
        client.templates.create(name="one_more", category="UTILITY", language="en", components=[BODY])
        with pytest.raises(d360.BadRequestError, match="the account holds 6 templates, as many as it may"):
            client.templates.create(name="too_many", category="UTILITY", language="en", components=[BODY])
        size = served.sandbox.templates.kept_bytes
        client.templates.delete("one_more")
        assert served.sandbox.templates.kept_bytes < size
        client.templates.create(name="room_again", category="UTILITY", language="en", components=[BODY])
        with pytest.raises(d360.ConfigurationError, match="the account holds 6 templates, as many as it may"):
            served.add_template("one_too_many", [BODY])
    assert len(TemplateStore(max_templates=0)) == len(SEEDS)  # the seeds are there whatever the bound


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"template_review_seconds": -1}, "template_review_seconds must be from 0 to 86400 seconds, not -1"),
        ({"template_review_seconds": float("nan")}, "template_review_seconds must be from 0 to 86400 seconds"),
        ({"template_reject_pattern": "("}, "template_reject_pattern is not a regular expression: missing )"),
        ({"template_reject_pattern": ""}, "template_reject_pattern must be a regular expression, not ''"),
        ({"max_templates": -5}, "max_templates must be a whole number, 0 or more, not -5"),
    ],
)
def test_bad_template_settings_are_refused_when_the_sandbox_is_made(options: dict[str, Any], message: str) -> None:
    with pytest.raises(d360.ConfigurationError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        sandbox.Sandbox(**options)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--template-review-seconds", "-2"], "d360: error: --template-review-seconds must be from 0 to 86400"),
        (["--template-reject-pattern", "[a-"], "d360: error: --template-reject-pattern is not a regular expression"),
    ],
)
def test_the_sandbox_commands_template_flags_are_checked_before_it_serves(arguments: list[str], message: str) -> None:
    result = subprocess.run([sys.executable, "-m", "d360", "sandbox", "--port", "0", *arguments],
                            capture_output=True, text=True, timeout=30, check=False)  # fmt: skip
    assert result.returncode == 2 and result.stderr.startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1


def test_templates_created_and_deleted_again_and_again_leave_nothing_behind() -> None:
    with (
        sandbox.running(template_review_seconds=3600) as served,
        d360.Client(api_key=served.api_key, base_url=served.base_url) as client,
    ):
        for _ in range(200):
            client.templates.create(name="churn", category="UTILITY", language="en", components=[BODY])
            client.templates.delete("churn")
        assert len(served.sandbox.templates) == len(SEEDS)
        reviewer = served.sandbox._template_endpoints._reviewer
        assert reviewer is not None and not reviewer.done()
        # One task reviews whatever is due: no timer per template created is left waiting on the loop.
        # (Cancelled timers of finished connections wait in the heap until asyncio sweeps them: not counted.)
        waiting = [timer for timer in reviewer.get_loop()._scheduled if not timer.cancelled()]  # type: ignore[attr-defined]
        assert len(waiting) < 20


def test_the_store_is_safe_to_use_from_many_threads() -> None:
    store = TemplateStore(review_seconds=0)
    made: collections.Counter[str] = collections.Counter()

    def create(number: int) -> None:
        stored = store.create({"name": f"t_{number}", "category": "UTILITY", "language": "en", "components": [BODY]})
        made[stored.id] += 1
        store.review(stored.id)

    threads = [threading.Thread(target=create, args=(number,)) for number in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(made) == 40 and len(store) == len(SEEDS) + 40
    assert all(stored.status == "APPROVED" for stored in store.all())


# The pytest plugin: templates with no setup, and a test's own templates gone in the next test.

pytest_plugins = ["pytester"]


def test_the_plugins_sandbox_has_the_templates_and_resets_them_per_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import d360

        BODY = {"type": "BODY", "text": "Hi {{1}}!", "example": {"body_text": [["Anna"]]}}

        def test_the_readme_example_sends_with_no_setup(d360_sandbox, d360_client):
            d360_client.send_template("4915112345678", "order_confirmation", "en", components=[
                {"type": "body", "parameters": [{"type": "text", "text": "8812"}]}])
            [sent] = d360_sandbox.received()
            assert sent.body["template"]["name"] == "order_confirmation"

        def test_a_test_adds_its_own(d360_sandbox, d360_client):
            d360_sandbox.add_template("only_here", [BODY])
            d360_client.send_template("4915112345678", "only_here", "en", components=[
                {"type": "body", "parameters": [{"type": "text", "text": "x"}]}])

        def test_the_next_test_does_not_see_it(d360_sandbox, d360_client):
            assert d360_sandbox.sandbox.templates.find("only_here", "en") is None
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)


# The examples a user pastes or runs.

ROOT = Path(__file__).resolve().parent.parent


def test_the_readmes_templates_example_runs_against_the_sandbox(
    served: sandbox.RunningSandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    served.sandbox.templates.clear()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Templates: create") : readme.index("## Receiving webhooks")]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    assert 'api_key="sandbox-key", base_url="http://127.0.0.1:8360"' in code  # as `d360 sandbox` serves
    code = code.replace('api_key="sandbox-key"', f'api_key="{KEY}"').replace("http://127.0.0.1:8360", served.base_url)
    exec(compile(code, "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "PENDING" and "order_update en UTILITY GREEN" in printed
    assert served.sandbox.templates.find("autumn_sale", "en") is None  # it cleans up after itself


def test_the_demo_submits_a_template_and_sends_it_once_approved() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "examples" / "demo.py")], capture_output=True, text=True,
                            timeout=120, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "template parcel_delay reviewed: APPROVED" in result.stdout
    assert [line.split()[:3] for line in result.stdout.splitlines() if line.startswith("new template")] == [
        ["new", "template", "accepted"]
    ]


def test_a_listing_limit_of_zero_answers_the_total_and_one_past_the_cap_is_held_to_it(
    served: sandbox.RunningSandbox,
) -> None:
    nothing = get(served, "/v1/configs/templates", limit="0").json()
    assert nothing["waba_templates"] == [] and nothing["count"] == 0 and nothing["total"] == len(SEEDS)
    capped = get(served, "/v1/configs/templates", limit="5000").json()
    assert capped["limit"] == 1000 and capped["count"] == len(SEEDS)


def test_filters_on_another_partner_match_nothing_and_partner_id_sorts_as_id(served: sandbox.RunningSandbox) -> None:
    assert get(served, "/v1/configs/templates", filters='{"partner_id": "someone-else"}').json()["total"] == 0
    by_partner = get(served, "/v1/configs/templates", sort="partner_id").json()["waba_templates"]
    by_id = get(served, "/v1/configs/templates", sort="id").json()["waba_templates"]
    assert by_partner == by_id
