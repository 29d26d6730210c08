"""`client.templates`, through `Client` and `AsyncClient`: every endpoint against the sandbox, and the
wire, paging, retries and odd answers against a scripted server."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

import d360
from d360 import sandbox
from d360.resources.templates import LibraryTemplate, Template
from tests.scripted_server import Reply, ScriptedServer
from tests.servers import wait_for

KEY = "templates-key"
BODY = {"type": "BODY", "text": "Hi {{1}}, 10% off today only.", "example": {"body_text": [["Anna"]]}}
SEED_NAMES = ["hello_world", "order_update", "order_confirmation", "shipping_update", "delivery_slot"]


def call(kind: str, base_url: str, method: str, *args: Any, **kwargs: Any) -> Any:
    """`client.templates.<method>(...)` through a sync or an async client; listings made lists."""
    options = kwargs.pop("client_options", {})
    settings = {"api_key": KEY, "base_url": base_url, **options}
    listing = method in ("list", "library")
    if kind == "sync":
        with d360.Client(sleep=lambda seconds: None, **settings) as client:
            result = getattr(client.templates, method)(*args, **kwargs)
            return list(result) if listing else result

    async def no_sleep(seconds: float) -> None:
        pass

    async def run() -> Any:
        async with d360.AsyncClient(sleep=no_sleep, **settings) as client:
            result = getattr(client.templates, method)(*args, **kwargs)
            return [item async for item in result] if listing else await result

    return asyncio.run(run())


@pytest.fixture(scope="module")
def served() -> Iterator[sandbox.RunningSandbox]:
    with sandbox.running(api_keys=[KEY], template_review_seconds=0.2, template_reject_pattern="^spam") as running:
        yield running


@pytest.fixture
def fresh(served: sandbox.RunningSandbox) -> sandbox.RunningSandbox:
    served.sandbox.templates.clear()
    return served


# Against the sandbox: each endpoint through both clients.


def test_list_gives_every_template_across_pages(client_kind: str, fresh: sandbox.RunningSandbox) -> None:
    for number in range(3):
        fresh.add_template(f"extra_{number}", [BODY], language="de")
    found = call(client_kind, fresh.base_url, "list", page_size=2)
    assert [template.name for template in found] == [*SEED_NAMES, "extra_0", "extra_1", "extra_2"]
    assert all(isinstance(template, Template) and template.approved for template in found)
    order_update = found[1]
    assert (order_update.language, order_update.category, order_update.quality) == ("en", "UTILITY", "GREEN")
    assert order_update.component("body") == order_update.components[1]
    assert order_update.raw["namespace"] == order_update.namespace


def test_list_filters_in_any_case(client_kind: str, fresh: sandbox.RunningSandbox) -> None:
    fresh.add_template("promo", [BODY], language="de", category="MARKETING")
    assert [t.name for t in call(client_kind, fresh.base_url, "list", status="approved", category="marketing")] == [
        "promo"
    ]
    assert [t.name for t in call(client_kind, fresh.base_url, "list", language="en_US")] == ["hello_world"]
    assert [t.language for t in call(client_kind, fresh.base_url, "list", name="promo")] == ["de"]
    assert call(client_kind, fresh.base_url, "list", status="REJECTED") == []


def test_create_submits_for_review_then_the_template_is_approved(
    client_kind: str, fresh: sandbox.RunningSandbox
) -> None:
    created = call(client_kind, fresh.base_url, "create", name="autumn_sale", category="MARKETING", language="en",
                   components=[BODY], allow_category_change=True)  # fmt: skip
    assert (created.name, created.language, created.status, created.category) == ("autumn_sale", "en", "PENDING",
                                                                                   "MARKETING")  # fmt: skip
    assert created.id and created.components == (BODY,)

    def reviewed() -> bool:
        return bool(call(client_kind, fresh.base_url, "get", "autumn_sale", "en").status != "PENDING")

    wait_for(reviewed)
    assert call(client_kind, fresh.base_url, "get", "autumn_sale").status == "APPROVED"


def test_a_template_the_review_rejects_says_why(client_kind: str, fresh: sandbox.RunningSandbox) -> None:
    call(client_kind, fresh.base_url, "create", name="spam_offer", category="MARKETING", language="en",
         components=[BODY])  # fmt: skip
    wait_for(lambda: call(client_kind, fresh.base_url, "get", "spam_offer", "en").status != "PENDING")
    rejected = call(client_kind, fresh.base_url, "get", "spam_offer", "en")
    assert (rejected.status, rejected.rejected_reason, rejected.approved) == ("REJECTED", "INVALID_FORMAT", False)


def test_an_invalid_definition_is_refused_with_every_problem_and_nothing_is_sent(
    client_kind: str, fresh: sandbox.RunningSandbox
) -> None:
    before = len(fresh.sandbox.templates)
    with pytest.raises(d360.ValidationError) as caught:
        call(client_kind, fresh.base_url, "create", name="Autumn Sale", category="PROMO", language="en",
             components=[{"type": "BODY", "text": "Hi {{2}}"}])  # fmt: skip
    assert [problem.path for problem in caught.value.problems] == [
        "$.name", "$.category", "$.components[0].text", "$.components[0].text", "$.components[0].example.body_text"
    ]  # fmt: skip
    assert len(fresh.sandbox.templates) == before


def test_a_lone_surrogate_is_refused_with_its_path_and_nothing_is_sent(
    client_kind: str, fresh: sandbox.RunningSandbox
) -> None:
    before = len(fresh.sandbox.templates)
    with pytest.raises(d360.ValidationError) as caught:
        call(client_kind, fresh.base_url, "create", name="half_emoji", category="UTILITY", language="en",
             components=[{"type": "BODY", "text": "Hi \ud83d"}])  # fmt: skip
    assert [problem.path for problem in caught.value.problems] == ["$.components[0].text"]
    assert len(fresh.sandbox.templates) == before


def test_creating_the_same_template_twice_is_refused_by_the_sandbox(
    client_kind: str, fresh: sandbox.RunningSandbox
) -> None:
    with pytest.raises(d360.BadRequestError, match="'order_update' in 'en' already exists"):
        call(client_kind, fresh.base_url, "create", name="order_update", category="UTILITY", language="en",
             components=[BODY])  # fmt: skip


def test_get_picks_the_language_and_says_which_there_are(client_kind: str, fresh: sandbox.RunningSandbox) -> None:
    fresh.add_template("greeting", [BODY], language="de")
    fresh.add_template("greeting", [BODY], language="fr")
    assert call(client_kind, fresh.base_url, "get", "greeting", "fr").language == "fr"
    with pytest.raises(d360.ValidationError, match=r"'greeting' exists in de, fr: say which, language=\.\.\."):
        call(client_kind, fresh.base_url, "get", "greeting")
    with pytest.raises(d360.TemplateNotFoundError) as caught:
        call(client_kind, fresh.base_url, "get", "greeting", "es")
    assert str(caught.value) == "no template 'greeting' in 'es'; it exists in de, fr"
    assert caught.value.languages == ("de", "fr")
    with pytest.raises(d360.TemplateNotFoundError, match=r"^no template named 'nothing_here'$"):
        call(client_kind, fresh.base_url, "get", "nothing_here")


def test_delete_removes_every_language(client_kind: str, fresh: sandbox.RunningSandbox) -> None:
    fresh.add_template("greeting", [BODY], language="de")
    fresh.add_template("greeting", [BODY], language="fr")
    assert call(client_kind, fresh.base_url, "delete", "greeting") is None
    assert call(client_kind, fresh.base_url, "list", name="greeting") == []
    with pytest.raises(d360.NotFoundError, match="no template named 'greeting'"):
        call(client_kind, fresh.base_url, "delete", "greeting")


def test_the_library_pages_and_filters(client_kind: str, served: sandbox.RunningSandbox) -> None:
    everything = call(client_kind, served.base_url, "library", page_size=2)
    assert len(everything) == len(sandbox.templates.LIBRARY) and isinstance(everything[0], LibraryTemplate)
    first = everything[0]
    assert (first.name, first.topic, first.industry, first.body_params) == (
        "delivery_update_1", "ORDER_MANAGEMENT", ("E_COMMERCE",), ("#12345", "Friday")
    )  # fmt: skip
    payments = call(client_kind, served.base_url, "library", topic="PAYMENTS", search="balance")
    assert [item.name for item in payments] == ["low_balance_warning_1"]
    assert [item.language for item in call(client_kind, served.base_url, "library", name="order_confirmation_1")] == [
        "en_US", "de"
    ]  # fmt: skip


def test_a_template_created_from_the_library_takes_its_text(client_kind: str, fresh: sandbox.RunningSandbox) -> None:
    created = call(client_kind, fresh.base_url, "create", name="my_delivery", category="UTILITY", language="en_US",
                   library_template_name="delivery_update_1",
                   library_template_button_inputs=[{"type": "URL", "url": {"base_url": "https://e.com/t/{{1}}"}}])  # fmt: skip
    assert created.component("BODY") == {
        "type": "BODY",
        "text": "Good news! Your order {{1}} is on its way and should arrive by {{2}}.",
        "example": {"body_text": [["#12345", "Friday"]]},
    }
    assert created.component("BUTTONS") == {
        "type": "BUTTONS", "buttons": [{"type": "URL", "text": "Track order", "url": "https://e.com/t/{{1}}"}]
    }  # fmt: skip


# Against a scripted server: the wire, paging, retries and odd answers.


def page(*templates: dict[str, Any], total: int | None = None, offset: int = 0) -> Reply:
    body: dict[str, Any] = {"count": len(templates), "offset": offset, "waba_templates": list(templates)}
    if total is not None:
        body["total"] = total
    return Reply(200, body)


def template(name: str, language: str = "en", **fields: Any) -> dict[str, Any]:
    return {"name": name, "language": language, "status": "approved", "category": "UTILITY", **fields}


def query_of(path: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(path).query).items()}


def test_a_listing_asks_for_its_filters_and_pages(client_kind: str, server: ScriptedServer) -> None:
    server.script(page(template("a"), template("b"), total=3), page(template("c"), total=3, offset=2))
    found = call(client_kind, server.base_url, "list", name="a_b", status="Approved", category="utility", page_size=2)
    assert found == []  # none of them is named a_b: the filter is checked again on what comes back
    first, second = (query_of(request.path) for request in server.requests)
    assert urlsplit(server.requests[0].path).path == "/v1/configs/templates"
    assert first == {"limit": "2", "offset": "0",
                     "filters": '{"business_templates.name":"a_b","category":"UTILITY","status":"approved"}'}  # fmt: skip
    assert second["offset"] == "2" and second["filters"] == first["filters"]
    assert server.requests[0].method == "GET" and server.requests[0].headers["D360-API-KEY"] == KEY


def test_a_listing_is_read_lazily_page_by_page(server: ScriptedServer) -> None:
    server.script(page(template("a"), template("b"), total=4), page(template("c"), template("d"), total=4))
    with d360.Client(api_key=KEY, base_url=server.base_url) as client:
        listing = client.templates.list(page_size=2)
        assert server.requests == []  # nothing is asked for before the first item is
        assert next(listing).name == "a"
        assert len(server.requests) == 1
        assert [template.name for template in listing] == ["b", "c", "d"]
    assert len(server.requests) == 2


@pytest.mark.parametrize(
    ("pages", "requests"),
    [
        ([page(template("a"), template("b")), page(template("c"))], 2),  # no total: a short page is the last
        ([page(template("a"), template("b")), page()], 2),  # no total: an empty page is the last
        ([page(template("a"), template("b"), total=2)], 1),  # the total reached
    ],
    ids=["short page", "empty page", "total"],
)
def test_a_listing_ends_where_upstream_says(server: ScriptedServer, pages: list[Reply], requests: int) -> None:
    server.script(*pages, Reply(500, {"error": "asked for a page too many"}))
    with d360.Client(api_key=KEY, base_url=server.base_url) as client:
        list(client.templates.list(page_size=2))
    assert len(server.requests) == requests


def test_a_server_that_does_not_page_is_stopped_not_followed_forever(client_kind: str, server: ScriptedServer) -> None:
    server.script(page(template("a"), template("b"), total=10))  # the same page, whatever the offset
    with pytest.raises(d360.UnexpectedResponseError, match="answered offset 2 with the templates of the page before"):
        call(client_kind, server.base_url, "list", page_size=2)
    assert len(server.requests) == 2


def test_odd_values_are_kept_and_an_entry_without_a_name_is_left_out(client_kind: str, server: ScriptedServer) -> None:
    server.script(page(
        template("a", id=1234567890123, quality_score={"score": "YELLOW", "date": 1}, status="IN_APPEAL",
                 category="NEW_CATEGORY", components=[{"type": "BODY", "text": "x"}, "junk"], surprise={"n": 1}),
        template("b", quality_score="RED", rejected_reason="NONE", components="nonsense"),
        {"language": "en", "status": "approved"}, "not an object", None,
        total=5,
    ))  # fmt: skip
    first, second = call(client_kind, server.base_url, "list")
    assert (first.id, first.quality, first.status, first.category) == ("1234567890123", "YELLOW", "IN_APPEAL",
                                                                       "NEW_CATEGORY")  # fmt: skip
    assert first.components == ({"type": "BODY", "text": "x"},) and first.raw["surprise"] == {"n": 1}
    assert (second.quality, second.rejected_reason, second.components) == ("RED", "NONE", ())
    assert first.to_dict()["quality"] == "YELLOW" and json.dumps(second.to_dict())


@pytest.mark.parametrize("body", [b"", b"<html>proxy</html>", b"[]", b'{"waba_templates": "none"}', b'{"data": 5}'])
def test_a_2xx_answer_that_is_not_a_listing_raises_unexpected_response(
    client_kind: str, server: ScriptedServer, body: bytes
) -> None:
    server.script(Reply(200, body))
    with pytest.raises(d360.UnexpectedResponseError, match="HTTP 200 without a list of"):
        call(client_kind, server.base_url, "list")
    with pytest.raises(d360.UnexpectedResponseError, match="HTTP 200 without"):
        call(client_kind, server.base_url, "library")


def test_metas_short_answer_to_a_create_is_completed_from_the_definition(
    client_kind: str, server: ScriptedServer
) -> None:
    server.script(Reply(200, {"id": "1473688840035974", "status": "PENDING", "category": "MARKETING"}))
    created = call(client_kind, server.base_url, "create", name="autumn_sale", category="UTILITY", language="en",
                   components=[BODY], allow_category_change=True)  # fmt: skip
    assert (created.id, created.status, created.category) == ("1473688840035974", "PENDING", "MARKETING")
    assert (created.name, created.language, created.components) == ("autumn_sale", "en", (BODY,))
    [request] = server.requests
    assert (request.method, request.path) == ("POST", "/v1/configs/templates")
    assert request.json() == {"name": "autumn_sale", "category": "UTILITY", "language": "en", "components": [BODY],
                              "allow_category_change": True}  # fmt: skip
    server.script(Reply(200, b"OK"))
    with pytest.raises(d360.UnexpectedResponseError, match="without the created template"):
        call(client_kind, server.base_url, "create_from", {"name": "x", "category": "UTILITY", "language": "en",
                                                            "components": [BODY]})  # fmt: skip


def test_a_create_is_not_repeated_after_a_failure_that_may_have_reached_upstream(
    client_kind: str, server: ScriptedServer
) -> None:
    server.script(Reply(500, {"error": "boom"}), Reply(200, template("a")))
    with pytest.raises(d360.ServerError) as caught:
        call(client_kind, server.base_url, "create", name="a", category="UTILITY", language="en", components=[BODY])
    assert caught.value.maybe_delivered and len(server.requests) == 1


def test_reads_and_deletions_are_repeated_after_such_a_failure(client_kind: str, server: ScriptedServer) -> None:
    server.script(Reply(502, {"error": "boom"}), page(template("a"), total=1))
    assert [t.name for t in call(client_kind, server.base_url, "list")] == ["a"]
    assert len(server.requests) == 2
    server.script(Reply(500, {"error": "boom"}), Reply(200, {"success": True}))
    call(client_kind, server.base_url, "delete", "order_update")
    assert [(r.method, r.path) for r in server.requests[2:]] == [("DELETE", "/v1/configs/templates/order_update")] * 2


def test_a_deletion_upstream_says_failed_is_not_taken_for_success(client_kind: str, server: ScriptedServer) -> None:
    server.script(Reply(200, {"success": False}))
    with pytest.raises(d360.UnexpectedResponseError, match="the deletion did not succeed"):
        call(client_kind, server.base_url, "delete", "order_update")
    server.script(Reply(200, b""))  # an empty 2xx is a success: the template is gone
    assert call(client_kind, server.base_url, "delete", "order_update") is None


@pytest.mark.parametrize(
    ("method", "args", "kwargs", "path"),
    [
        ("delete", ("../messages",), {}, "$.name"),
        ("delete", ("Order Update",), {}, "$.name"),
        ("get", ("",), {}, "$.name"),
        ("list", (), {"status": ""}, "$.status"),
        ("list", (), {"page_size": 0}, "$.page_size"),
        ("library", (), {"page_size": 5000}, "$.page_size"),
        ("create_from", ({"name": "x", "category": "UTILITY", "language": "en", "components": [BODY], "n": float("nan")},),
         {"client_options": {"validate": False}}, "$"),
    ],
    ids=["a path in the name", "a name with spaces", "an empty name", "an empty status", "no page", "a page too large",
         "not JSON"],
)  # fmt: skip
def test_bad_arguments_raise_validation_errors_and_send_nothing(
    client_kind: str, server: ScriptedServer, method: str, args: tuple[Any, ...], kwargs: dict[str, Any], path: str
) -> None:
    with pytest.raises(d360.ValidationError) as caught:
        call(client_kind, server.base_url, method, *args, **kwargs)
    assert caught.value.problems[0].path == path
    assert server.requests == []


def test_a_client_made_with_validate_false_sends_a_definition_unchecked(
    client_kind: str, server: ScriptedServer
) -> None:
    server.script(Reply(200, {"id": "1", "status": "PENDING"}))
    newer = {"name": "x", "category": "UTILITY", "language": "en", "components": [BODY], "a_field_from_2027": 1}
    created = call(client_kind, server.base_url, "create_from", newer, client_options={"validate": False})
    assert created.name == "x" and server.requests[0].json() == newer


def test_the_library_follows_its_cursor_until_upstream_gives_no_next(client_kind: str, server: ScriptedServer) -> None:
    item = {"name": "delivery_update_1", "language": "en_US", "industry": "E_COMMERCE, RETAIL", "buttons": "x"}
    server.script(
        Reply(200, {"data": [item], "paging": {"cursors": {"after": "QVFI"}, "next": "https://graph/next"}}),
        Reply(200, {"data": [{**item, "name": "b"}, {"no": "name"}], "paging": {"cursors": {"after": "QVFJ"}}}),
    )
    found = call(client_kind, server.base_url, "library", search="delivery", page_size=1)
    assert [(one.name, one.industry, one.buttons) for one in found] == [
        ("delivery_update_1", ("E_COMMERCE", "RETAIL"), ()), ("b", ("E_COMMERCE", "RETAIL"), ())
    ]  # fmt: skip
    first, second = (query_of(request.path) for request in server.requests)
    assert urlsplit(server.requests[0].path).path == "/message_template_library"
    assert first == {"search": "delivery", "limit": "1"} and second == {**first, "after": "QVFI"}


def test_a_library_cursor_that_does_not_move_is_stopped(client_kind: str, server: ScriptedServer) -> None:
    server.script(Reply(200, {"data": [{"name": "a"}], "paging": {"cursors": {"after": "SAME"}, "next": "x"}}))
    with pytest.raises(d360.UnexpectedResponseError, match="does not page"):
        call(client_kind, server.base_url, "library")
    assert len(server.requests) == 2
