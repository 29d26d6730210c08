"""Template-aware sending: with `template_check=True`, a template message that does not fit its template is
refused before anything is sent (both clients, against the real sandbox); definitions are cached, shared,
fetched once at a time and again once after upstream's 132000; `d360 bulk` refuses a campaign that does not
fit before its first send."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

import d360
from d360 import sandbox
from d360 import templates as t
from d360.errors import Problem
from d360.resources.template_cache import RETRY, TemplateCache
from d360.resources.template_check import TemplateLookup, fit_problems
from d360.resources.templates import read_template
from d360.sandbox.templates import cloud_error
from tests.scripted_server import Reply, ScriptedServer, ok_reply
from tests.servers import serving_asgi
from tests.test_cli import D360

KEY = "template-check-key"
TO = "4915112345678"
LINK = "https://example.com/box.jpg"
BODY_2 = {"type": "BODY", "text": "Hi {{1}}, your order {{2}} has shipped.", "example": {"body_text": [["A", "1"]]}}
HANDLE = {"header_handle": ["4::aW1hZ2U=:sample"]}
HEADERS = {  # a template per header format, each with BODY_2
    "text_header": {"type": "HEADER", "format": "TEXT", "text": "Order {{1}}", "example": {"header_text": ["8812"]}},
    "video_header": {"type": "HEADER", "format": "VIDEO", "example": HANDLE},
    "document_header": {"type": "HEADER", "format": "DOCUMENT", "example": HANDLE},
    "location_header": {"type": "HEADER", "format": "LOCATION"},
}
BODY_OF_2 = t.body(t.text("Anna"), t.text("8812"))
ORDER_UPDATE_BODY = t.body(t.text("Anna"), t.currency("EUR 12.50", "EUR", 12500), t.date_time("May 4"))


@pytest.fixture(scope="module")
def served() -> Iterator[sandbox.RunningSandbox]:
    # The sandbox's own template check is off: every message that reaches it is accepted and kept, so an
    # empty received() proves the client sent nothing. Its templates are still there to be fetched.
    with sandbox.running(api_keys=[KEY], template_check=False, template_review_seconds=3600,
                         template_reject_pattern="^rejected_") as running:  # fmt: skip
        for name, header in HEADERS.items():
            running.add_template(name, [header, BODY_2])
        store = running.sandbox.templates
        store.create({"name": "pending_offer", "language": "en", "category": "MARKETING", "components": [BODY_2]})
        rejected = store.create({"name": "rejected_offer", "language": "en", "category": "MARKETING",
                                 "components": [BODY_2]})  # fmt: skip
        store.review(rejected.id)
        yield running


@pytest.fixture
def fresh(served: sandbox.RunningSandbox) -> sandbox.RunningSandbox:
    served.sandbox.clear()
    return served


def outcomes(kind: str, base_url: str, calls: list[Callable[[Any], Any]], **options: Any) -> list[Any]:
    """Each call made on one client (sync or async, `template_check=True`): its result, or the D360Error it
    raised."""
    settings: dict[str, Any] = {"api_key": KEY, "base_url": base_url, "template_check": True, **options}
    found: list[Any] = []
    if kind == "sync":
        with d360.Client(sleep=lambda seconds: None, **settings) as client:
            for call in calls:
                try:
                    found.append(call(client))
                except d360.D360Error as error:
                    found.append(error)
        return found

    async def no_sleep(seconds: float) -> None:
        pass

    async def run() -> None:
        async with d360.AsyncClient(sleep=no_sleep, **settings) as client:
            for call in calls:
                try:
                    found.append(await call(client))
                except d360.D360Error as error:
                    found.append(error)

    asyncio.run(run())
    return found


def sending(name: str, language: str = "en", components: list[Any] | None = None) -> Callable[[Any], Any]:
    return lambda client: client.send_template(TO, name, language, components=components)


# Every kind of mismatch, refused with nothing sent: both clients against the sandbox.


MISMATCHES = [
    ("unknown name", "order_updat", "en", None,
     [("$.template.name", "no template named 'order_updat' exists (`d360 templates list` shows those that do)")]),
    ("pending", "pending_offer", "en", [BODY_OF_2],
     [("$.template.name", "template 'pending_offer' in 'en' is PENDING, not APPROVED: it cannot be sent until it is approved")]),
    ("rejected", "rejected_offer", "en", [BODY_OF_2],
     [("$.template.name", "template 'rejected_offer' in 'en' is REJECTED, not APPROVED: it cannot be sent until it is approved")]),
    ("unknown language", "order_update", "en_US", [ORDER_UPDATE_BODY],
     [("$.template.language.code", "template 'order_update' has no 'en_US' translation; it exists in en")]),
    ("language compared exactly", "hello_world", "en_us", None,
     [("$.template.language.code", "template 'hello_world' has no 'en_us' translation; it exists in en_US")]),
    ("body count", "shipping_update", "en", [t.body(t.text("Anna"))],
     [("$.template.components[0].parameters", "the template's body has 2 parameters ({{1}}, {{2}}); the message gives 1")]),
    ("body missing", "order_confirmation", "en", None,
     [("$.template", "the template's body has 1 parameter ({{1}}); the message gives none (it has no body component)")]),
    ("header count, missing", "text_header", "en", [BODY_OF_2],
     [("$.template.components", "the template's header has 1 parameter ({{1}}); the message gives none (it has no header component)")]),
    ("header count, fixed text", "hello_world", "en_US", [t.header(t.text("Hi"))],
     [("$.template.components[0].parameters", "the template's header is fixed text, with no parameters; the message gives 1")]),
    ("header count, media", "order_update", "en", [t.header(t.image(link=LINK), t.image(link=LINK)), ORDER_UPDATE_BODY,
                                                   t.button(0, "url", t.text("8812"))],
     [("$.template.components[0].parameters", "the template's header is an image: it takes 1 parameter, the image; the message gives 2")]),
    ("TEXT header, image", "text_header", "en", [t.header(t.image(link=LINK)), BODY_OF_2],
     [("$.template.components[0].parameters[0].type", "the template's header is text: an image parameter does not fit it (give a text parameter)")]),
    ("IMAGE header, video", "order_update", "en", [t.header(t.video(link=LINK)), ORDER_UPDATE_BODY,
                                                   t.button(0, "url", t.text("8812"))],
     [("$.template.components[0].parameters[0].type", "the template's header is an image: a video parameter does not fit it (give an image parameter)")]),
    ("VIDEO header, document", "video_header", "en", [t.header(t.document(link=LINK)), BODY_OF_2],
     [("$.template.components[0].parameters[0].type", "the template's header is a video: a document parameter does not fit it (give a video parameter)")]),
    ("DOCUMENT header, image", "document_header", "en", [t.header(t.image(link=LINK)), BODY_OF_2],
     [("$.template.components[0].parameters[0].type", "the template's header is a document: an image parameter does not fit it (give a document parameter)")]),
    ("LOCATION header, text", "location_header", "en", [t.header(t.text("Berlin")), BODY_OF_2],
     [("$.template.components[0].parameters[0].type", "the template's header is a location: a text parameter does not fit it (give a location parameter)")]),
    ("media header missing", "video_header", "en", [BODY_OF_2],
     [("$.template.components", "the template's header is a video: the message must give the video, in a header component; it has none")]),
    ("button index beyond", "delivery_slot", "en", [t.button(2, "quick_reply", {"type": "payload", "payload": "x"})],
     [("$.template.components[0].index", "the template has 2 buttons (index 0 to 1, counted from 0); there is no button at index 2")]),
    ("button on a template without", "shipping_update", "en", [BODY_OF_2, t.button(0, "quick_reply")],
     [("$.template.components[1].index", "the template has no buttons; there is no button at index 0")]),
    ("button sub_type", "delivery_slot", "en", [t.button(1, "url", t.text("x"))],
     [("$.template.components[0].sub_type", "the template's button at index 1 is a QUICK_REPLY button, which takes sub_type quick_reply, not 'url'")]),
    ("button parameters, too many", "order_update", "en", [t.header(t.image(link=LINK)), ORDER_UPDATE_BODY,
                                                          t.button(0, "url", t.text("a"), t.text("b"))],
     [("$.template.components[2].parameters", "the template's URL button at index 0 takes 1 parameter (the end of its URL, {{1}}); the message gives 2")]),
    ("button parameters, missing", "order_update", "en", [t.header(t.image(link=LINK)), ORDER_UPDATE_BODY],
     [("$.template.components", "the template's URL button at index 0 takes 1 parameter (the end of its URL, {{1}}); the message gives none (no button component with index 0)")]),
    ("quick reply, two payloads", "delivery_slot", "en", [t.button(0, "quick_reply", {"type": "payload", "payload": "a"},
                                                                  {"type": "payload", "payload": "b"})],
     [("$.template.components[0].parameters", "the template's QUICK_REPLY button at index 0 takes at most 1 parameter (its payload); the message gives 2")]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "language", "components", "problems"),
    [case[1:] for case in MISMATCHES],
    ids=[case[0] for case in MISMATCHES],
)
def test_a_message_that_does_not_fit_its_template_is_refused_with_nothing_sent(
    client_kind: str,
    fresh: sandbox.RunningSandbox,
    name: str,
    language: str,
    components: list[Any] | None,
    problems: list[tuple[str, str]],
) -> None:
    (error,) = outcomes(client_kind, fresh.base_url, [sending(name, language, components)])
    assert isinstance(error, d360.TemplateMismatchError), error
    assert isinstance(error, d360.ValidationError) and not error.maybe_delivered
    assert (error.name, error.language) == (name, language)
    assert [(problem.path, problem.message) for problem in error.problems] == problems
    assert str(error).startswith(f"invalid message for template {name!r} ({language}) (")
    assert fresh.received() == [] and fresh.sandbox.accepted_count == 0


def test_every_problem_of_a_message_is_listed_in_message_order(client_kind: str, fresh: sandbox.RunningSandbox) -> None:
    (error,) = outcomes(client_kind, fresh.base_url, [sending("order_update", "en", [
        t.body(t.text("Anna")), t.header(t.video(link=LINK)), t.button(0, "quick_reply", t.text("8812"))])])  # fmt: skip
    assert isinstance(error, d360.TemplateMismatchError)
    assert [problem.path for problem in error.problems] == [
        "$.template.components[0].parameters",
        "$.template.components[1].parameters[0].type",
        "$.template.components[2].sub_type",
    ]
    assert fresh.received() == []


def test_messages_that_fit_are_sent_as_given(client_kind: str, fresh: sandbox.RunningSandbox) -> None:
    fits = [
        sending("order_update", "en", [t.header(t.image(link=LINK)), ORDER_UPDATE_BODY,
                                       t.button(0, "url", t.text("orders/8812"))]),  # the README's example
        sending("order_confirmation", "en", [t.body(t.text("8812"))]),
        sending("delivery_slot", "en", None),  # quick replies need no parameters
        sending("delivery_slot", "en", [{"type": "button", "sub_type": "quick_reply", "index": "1",
                                         "parameters": [{"type": "payload", "payload": "MOVE"}]}]),
        sending("hello_world", "en_US", None),
        sending("text_header", "en", [t.header(t.text("8812")), BODY_OF_2]),
        sending("location_header", "en", [t.header(t.location(52.52, 13.40, name="Pickup")), BODY_OF_2]),
        sending("document_header", "en", [t.header(t.document(link=LINK, filename="a.pdf")), BODY_OF_2]),
        lambda client: client.send(d360.messages.template(TO, "shipping_update", "en", components=[BODY_OF_2])),
        lambda client: client.send_text(TO, "not a template message: no check, no fetch"),
    ]  # fmt: skip
    results = outcomes(client_kind, fresh.base_url, fits)
    assert [getattr(result, "status", result) for result in results] == ["accepted"] * len(fits)
    assert len(fresh.received()) == len(fits)
    assert fresh.received()[0].body["template"]["components"][2]["parameters"] == [{"type": "text",
                                                                                   "text": "orders/8812"}]  # fmt: skip


def test_the_check_is_off_by_default_and_costs_nothing(server: ScriptedServer) -> None:
    with d360.Client(api_key=KEY, base_url=server.base_url) as client:
        client.send_template(TO, "no_such_template", "en")
    assert [request.method for request in server.requests] == ["POST"]


def test_an_authentication_template_fits_its_code(client_kind: str, fresh: sandbox.RunningSandbox) -> None:
    fresh.add_template("login_code", [{"type": "BODY", "add_security_recommendation": True},
                                      {"type": "BUTTONS", "buttons": [{"type": "OTP", "otp_type": "COPY_CODE"}]}],
                       category="AUTHENTICATION")  # fmt: skip
    code = [t.body(t.text("492113")), t.button(0, "url", t.text("492113"))]
    sent, refused = outcomes(client_kind, fresh.base_url, [sending("login_code", "en", code),
                                                           sending("login_code", "en", code[:1])])  # fmt: skip
    assert sent.status == "accepted"
    assert isinstance(refused, d360.TemplateMismatchError)
    assert refused.problems[0].message == (
        "the template's OTP button at index 0 takes 1 parameter (the one-time code); the message gives none "
        "(no button component with index 0)"
    )
    assert len(fresh.received()) == 1


def test_send_many_refuses_each_message_that_does_not_fit_and_sends_the_rest(
    client_kind: str, fresh: sandbox.RunningSandbox
) -> None:
    batch = [d360.messages.template(TO, "shipping_update", "en", components=[t.body(t.text("Anna"), t.text(str(n)))])
             for n in range(6)]  # fmt: skip
    batch.insert(3, d360.messages.template(TO, "shipping_update", "en", components=[t.body(t.text("Anna"))]))
    settings = {"api_key": KEY, "base_url": fresh.base_url, "template_check": True}
    if client_kind == "sync":
        with d360.Client(**settings) as client:
            results = list(client.send_many(batch, concurrency=4))
    else:

        async def run() -> list[d360.SendOutcome]:
            async with d360.AsyncClient(**settings) as client:
                return [outcome async for outcome in client.send_many(batch, concurrency=4)]

        results = asyncio.run(run())
    refused = [outcome for outcome in results if not outcome.ok]
    assert [outcome.index for outcome in refused] == [3]
    assert isinstance(refused[0].error, d360.TemplateMismatchError) and refused[0].attempts == 0
    assert len(fresh.received()) == 6


# The fit, case by case, as a pure function: what the sandbox cannot show.


def lookup_of(*components: dict[str, Any], category: str = "UTILITY", status: str = "APPROVED") -> TemplateLookup:
    template = read_template({"name": "t", "language": "en", "status": status, "category": category,
                              "components": list(components)})  # fmt: skip
    assert template is not None
    return TemplateLookup("t", "en", template, ("en",))


def problems_of(lookup: TemplateLookup, *components: dict[str, Any]) -> list[tuple[str, str]]:
    message = d360.messages.template(TO, "t", "en", components=list(components))
    return [(problem.path, problem.message) for problem in fit_problems(message, lookup)]


QUICK_REPLIES = {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Yes"}, {"type": "QUICK_REPLY",
                                                                                          "text": "No"}]}  # fmt: skip


def test_sub_types_compare_in_any_case_and_an_index_may_be_a_string() -> None:
    lookup = lookup_of({"type": "BODY", "text": "Well?"}, QUICK_REPLIES)
    assert problems_of(lookup, {"type": "button", "sub_type": "QUICK_REPLY", "index": "1", "parameters": []}) == []
    assert problems_of(lookup, {"type": "button", "index": 0}) == [
        ("$.template.components[0].sub_type", "is required: the template's button at index 0 is a QUICK_REPLY button "
                                              "(sub_type quick_reply)")]  # fmt: skip


def test_a_part_given_twice_is_named_with_where_it_was_first() -> None:
    lookup = lookup_of({"type": "BODY", "text": "Hi {{1}}, thanks."}, QUICK_REPLIES)
    assert problems_of(lookup, t.body(t.text("a")), t.body(t.text("b")), t.button(0, "quick_reply"),
                       t.button(0, "quick_reply")) == [
        ("$.template.components[1].type", "gives the body a second time (first at $.template.components[0])"),
        ("$.template.components[3].index", "gives the button at index 0 a second time (first at $.template.components[2])"),
    ]  # fmt: skip


def test_named_variables_are_matched_by_name_and_body_parameters_by_type() -> None:
    lookup = lookup_of({"type": "BODY", "text": "Hi {{first_name}}, order {{order}} shipped."})
    named = [{"type": "text", "text": "Anna", "parameter_name": "first_name"},
             {"type": "text", "text": "8812", "parameter_name": "order_id"}]  # fmt: skip
    assert problems_of(lookup, {"type": "body", "parameters": named}) == [
        ("$.template.components[0].parameters[1].parameter_name",
         "the template's body has no {{order_id}}; it has {{first_name}}, {{order}}")]  # fmt: skip
    assert problems_of(lookup, t.body(t.text("Anna"), t.image(link=LINK))) == [
        ("$.template.components[0].parameters[1].type",
         "an image parameter does not fit a body: it takes text, currency, date_time")]  # fmt: skip


def test_what_d360_does_not_model_is_left_to_upstream() -> None:
    carousel = lookup_of({"type": "BODY", "text": "Our picks"}, {"type": "CAROUSEL", "cards": [{"components": []}]})
    assert problems_of(carousel, {"type": "carousel", "cards": [{"card_index": 0, "components": []}]}) == []
    product = lookup_of({"type": "HEADER", "format": "PRODUCT"}, {"type": "BODY", "text": "Back in stock"})
    header = {"type": "header", "parameters": [{"type": "product", "product": {"catalog_id": "1"}}]}
    assert problems_of(product, header) == []


def test_a_template_without_a_status_is_not_sendable_and_a_name_no_template_can_have_is_not_looked_up() -> None:
    assert problems_of(lookup_of({"type": "BODY", "text": "x"}, status="")) == [
        ("$.template.name", "template 't' in 'en' is without a status, not APPROVED: it cannot be sent until it is "
                            "approved")]  # fmt: skip
    message = d360.messages.template(TO, "Order Update", "en")
    assert fit_problems(message, TemplateLookup("Order Update", "en", None)) == [
        Problem("$.template.name", "no template can be named 'Order Update': names are lower-case letters, digits and "
                                   "underscores")]  # fmt: skip


# The cache: a pure object with a clock of the test's own.


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def fetch(cache: TemplateCache[str, str], key: str, value: str, *, negative: bool = False) -> Any:
    claim = cache.claim(key)
    assert claim.owner
    return cache.settle(claim, value, negative=negative)


def test_an_entry_is_trusted_for_its_ttl_and_a_miss_for_ten_seconds_at_most() -> None:
    clock = Clock()
    cache: TemplateCache[str, str] = TemplateCache(300, clock=clock)
    kept = fetch(cache, "a", "found")
    missing = fetch(cache, "b", "missing", negative=True)
    clock.now += 9.9
    assert cache.claim("a").entry is kept and cache.claim("b").entry is missing
    clock.now += 0.1
    assert cache.claim("a").entry is kept and cache.claim("b").owner  # the miss is fetched again
    clock.now += 290.0
    assert cache.claim("a").owner
    assert TemplateCache(5, clock=clock).negative_ttl == 5  # never longer than the TTL


def test_the_cache_is_bounded_least_recently_used_first() -> None:
    cache: TemplateCache[str, str] = TemplateCache(max_entries=2)
    fetch(cache, "a", "1")
    fetch(cache, "b", "2")
    assert cache.claim("a").entry is not None  # used: now the most recent
    fetch(cache, "c", "3")
    assert len(cache) == 2 and cache.get("b") is None and cache.get("a") is not None


def test_one_fetch_per_key_at_a_time_and_its_outcome_reaches_every_waiter() -> None:
    cache: TemplateCache[str, str] = TemplateCache()
    owner, waiter = cache.claim("a"), cache.claim("a")
    assert owner.owner and not waiter.owner and waiter.flight is owner.flight
    assert not waiter.flight.cancel()  # a waiter that gives up cannot cancel everyone's fetch
    entry = cache.settle(owner, "1")
    assert waiter.flight.result() is entry
    # A fetch that fails hands its error to its waiters; one that gave up hands them RETRY: fetch yourselves.
    failing, waiting = cache.claim("b"), cache.claim("b")
    error = d360.APIConnectionError("down", maybe_delivered=False)
    cache.fail(failing, error)
    with pytest.raises(d360.APIConnectionError):
        waiting.flight.result()
    cancelled, waiting = cache.claim("c"), cache.claim("c")
    cache.fail(cancelled, None)
    assert waiting.flight.result() is RETRY and cache.claim("c").owner


def test_a_stale_entry_is_replaced_once_however_many_callers_found_it_stale() -> None:
    cache: TemplateCache[str, str] = TemplateCache()
    stale = fetch(cache, "a", "old")
    first, second = cache.claim("a", replacing=stale), cache.claim("a", replacing=stale)
    assert first.owner and not second.owner  # the second waits for the first's fetch
    fresh = cache.settle(first, "new")
    assert cache.claim("a", replacing=stale).entry is fresh  # found stale before the refresh: nothing more to do
    # A refresh that fails drops the stale entry, so the next send fetches.
    failing = cache.claim("a", replacing=fresh)
    cache.fail(failing, d360.APIConnectionError("down", maybe_delivered=False))
    assert cache.get("a") is None


@pytest.mark.parametrize("ttl", [-1, float("nan"), float("inf"), True, "300", 86_401])
def test_a_ttl_that_cannot_work_is_refused_when_the_client_is_made(ttl: Any) -> None:
    with pytest.raises(d360.ConfigurationError, match="template_check_ttl must be from 0 to 86400 seconds"):
        d360.Client(api_key=KEY, template_check=True, template_check_ttl=ttl)
    with pytest.raises(d360.ConfigurationError, match="template_check must be True or False"):
        d360.AsyncClient(api_key=KEY, template_check="yes")  # type: ignore[arg-type]


# The cache through the clients: what goes over the wire (a scripted server, a routing one for concurrency).


def listing(*components: dict[str, Any], name: str = "order_note", status: str = "APPROVED") -> Reply:
    return Reply(200, {"count": 1, "total": 1, "offset": 0, "waba_templates": [
        {"name": name, "language": "en", "status": status, "category": "UTILITY", "components": list(components)}]})  # fmt: skip


NOTE_1 = {"type": "BODY", "text": "Note: {{1}}."}
NOTE_2 = {"type": "BODY", "text": "Note: {{1}} and {{2}}."}
NOTE_MESSAGE = sending("order_note", "en", [t.body(t.text("packed"))])
REFUSED_132000 = Reply(400, cloud_error(132000, "Number of parameters does not match the expected number of params",
                                        "body: number of localizable_params (1) does not match the expected number "
                                        "of params (2)"))  # fmt: skip


def methods(server: ScriptedServer) -> list[str]:
    return [request.method for request in server.requests]


def test_a_second_send_fetches_nothing_and_the_listing_asks_for_the_name(
    client_kind: str, server: ScriptedServer
) -> None:
    server.script(listing(NOTE_1), ok_reply())
    first, second = outcomes(client_kind, server.base_url, [NOTE_MESSAGE, NOTE_MESSAGE])
    assert first.message_id and second.message_id
    assert methods(server) == ["GET", "POST", "POST"]
    query = parse_qs(urlsplit(server.requests[0].path).query)
    assert json.loads(query["filters"][0]) == {"business_templates.name": "order_note"}  # every language of it


def test_the_ttl_expired_fetches_again(client_kind: str, server: ScriptedServer) -> None:
    server.script(listing(NOTE_1), ok_reply(), listing(NOTE_1), ok_reply())

    def later(client: Any) -> Any:
        time.sleep(0.2)  # four times the TTL: the entry has expired, however slow the machine
        return NOTE_MESSAGE(client)

    outcomes(client_kind, server.base_url, [NOTE_MESSAGE, later], template_check_ttl=0.05)
    assert methods(server) == ["GET", "POST", "GET", "POST"]


def test_an_upstream_132000_for_a_cached_template_refreshes_it_once_and_never_resends(
    client_kind: str, server: ScriptedServer
) -> None:
    # The cached definition says the message fits; upstream, whose template has changed, refuses it.
    server.script(listing(NOTE_1), REFUSED_132000, listing(NOTE_2))
    refused, checked = outcomes(client_kind, server.base_url, [NOTE_MESSAGE, NOTE_MESSAGE])
    assert isinstance(refused, d360.BadRequestError) and refused.code == 132000  # raised as usual
    assert isinstance(checked, d360.TemplateMismatchError)  # the refreshed definition refuses it here
    assert checked.problems[0].message == "the template's body has 2 parameters ({{1}}, {{2}}); the message gives 1"
    assert methods(server) == ["GET", "POST", "GET"]  # one POST: no resend; one refresh


def test_a_refresh_that_fails_leaves_upstreams_refusal_to_be_raised_and_the_next_send_fetches(
    client_kind: str, server: ScriptedServer
) -> None:
    server.script(listing(NOTE_1), REFUSED_132000, Reply(503, {"error": "down"}), listing(NOTE_1), ok_reply())
    refused, sent = outcomes(client_kind, server.base_url, [NOTE_MESSAGE, NOTE_MESSAGE], max_retries=0)
    assert isinstance(refused, d360.BadRequestError) and refused.code == 132000
    assert sent.message_id
    assert methods(server) == ["GET", "POST", "GET", "GET", "POST"]


def test_other_refusals_refresh_nothing(client_kind: str, server: ScriptedServer) -> None:
    server.script(listing(NOTE_1), Reply(400, cloud_error(131026, "Message undeliverable", "Receiver is incapable")),
                  ok_reply())  # fmt: skip
    refused, sent = outcomes(client_kind, server.base_url, [NOTE_MESSAGE, NOTE_MESSAGE])
    assert isinstance(refused, d360.BadRequestError) and sent.message_id
    assert methods(server) == ["GET", "POST", "POST"]


@pytest.mark.parametrize(
    ("reply", "kind"),
    [(Reply(reset=True), d360.APIConnectionError), (Reply(500, {"error": "boom"}), d360.ServerError)],
    ids=["connection dropped", "500"],
)
def test_a_failed_fetch_is_the_sends_error_and_says_nothing_was_sent(
    client_kind: str, server: ScriptedServer, reply: Reply, kind: type[d360.D360Error]
) -> None:
    server.script(reply)
    (error,) = outcomes(client_kind, server.base_url, [NOTE_MESSAGE], max_retries=0)
    assert type(error) is kind and error.maybe_delivered is False
    if isinstance(error, d360.APIConnectionError):
        assert str(error).startswith("cannot check the message against template 'order_note' (en); nothing was sent")
        assert "may have been delivered" not in str(error)
    assert "POST" not in methods(server)  # (aiohttp tries a dropped GET a second time itself)


def test_with_options_twins_share_the_cache_and_can_turn_the_check_on(server: ScriptedServer) -> None:
    server.script(ok_reply(), listing(NOTE_1), ok_reply())
    with d360.Client(api_key=KEY, base_url=server.base_url) as client:
        client.send_template(TO, "order_note", "en", components=[t.body(t.text("a"))])  # no check: no fetch
        checking = client.with_options(template_check=True)
        NOTE_MESSAGE(checking)
        NOTE_MESSAGE(checking.with_options(max_retries=0))  # the twin's twin: the same cache
    assert methods(server) == ["POST", "GET", "POST", "POST"]


def test_a_cached_template_a_message_does_not_fit_is_fetched_once_more_before_refusing(
    client_kind: str, server: ScriptedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The template was changed (deleted and made again with two parameters) since it was cached: the message
    # that fits the new one is sent, not refused for the rest of the TTL.
    monkeypatch.setattr("d360.client.RECHECK_AFTER", 0.05)
    server.script(listing(NOTE_1), ok_reply(), listing(NOTE_2), ok_reply())
    two = sending("order_note", "en", [t.body(t.text("packed"), t.text("sent"))])

    def later(client: Any) -> Any:
        time.sleep(0.2)  # four times RECHECK_AFTER: the entry is old enough to be looked at again
        return two(client)

    first, second = outcomes(client_kind, server.base_url, [NOTE_MESSAGE, later])
    assert first.message_id and second.message_id
    assert methods(server) == ["GET", "POST", "GET", "POST"]


def test_a_message_that_does_not_fit_a_fresh_template_costs_no_more_fetches(
    client_kind: str, server: ScriptedServer
) -> None:
    server.script(listing(NOTE_1))
    two = sending("order_note", "en", [t.body(t.text("packed"), t.text("sent"))])
    found = outcomes(client_kind, server.base_url, [two, two, two])
    assert all(isinstance(outcome, d360.TemplateMismatchError) for outcome in found)
    assert methods(server) == ["GET"]  # RECHECK_AFTER (10 s) has not passed: the cached template is trusted


def test_a_template_upstream_describes_oddly_is_read_without_error(client_kind: str, server: ScriptedServer) -> None:
    server.script(listing(NOTE_1, {"type": "BUTTONS", "buttons": 5}), ok_reply())
    (sent,) = outcomes(client_kind, server.base_url, [NOTE_MESSAGE])
    assert sent.message_id
    assert methods(server) == ["GET", "POST"]


def test_a_deleted_template_is_fetched_afresh(client_kind: str, server: ScriptedServer) -> None:
    server.script(listing(NOTE_1), ok_reply(), Reply(200, {"success": True}), Reply(200, {"waba_templates": []}))
    sent, deleted, refused = outcomes(client_kind, server.base_url,
                                      [NOTE_MESSAGE, lambda client: client.templates.delete("order_note"),
                                       NOTE_MESSAGE])  # fmt: skip
    assert sent.message_id and deleted is None
    assert isinstance(refused, d360.TemplateMismatchError) and "no template named 'order_note'" in str(refused)
    assert methods(server) == ["GET", "POST", "DELETE", "GET"]


class Upstream:
    """A real upstream on 127.0.0.1 (uvicorn) that answers by path, so concurrent requests meet no script order:
    the listing gives `components`, /messages answers `message_reply`; each is counted."""

    def __init__(self, components: list[dict[str, Any]], message_reply: Reply, *, fetch_delay: float = 0.3) -> None:
        self.components = components
        self.message_reply = message_reply
        self.fetch_delay = fetch_delay
        self.fetches = self.posts = 0
        self._lock = threading.Lock()

    def app(self) -> Starlette:
        async def templates(request: Request) -> JSONResponse:
            with self._lock:
                self.fetches += 1
            await asyncio.sleep(self.fetch_delay)  # long enough that every send is waiting for this one fetch
            return JSONResponse(json.loads(listing(*self.components).encoded_body()))

        async def messages(request: Request) -> JSONResponse:
            with self._lock:
                self.posts += 1
            reply = self.message_reply
            return JSONResponse(json.loads(reply.encoded_body()), status_code=reply.status)

        return Starlette(routes=[Route("/v1/configs/templates", templates), Route("/messages", messages,
                                                                                  methods=["POST"])])  # fmt: skip


def test_concurrent_sends_of_a_template_share_one_fetch_and_one_refresh() -> None:
    upstream = Upstream([NOTE_1], REFUSED_132000)

    async def run(base_url: str) -> list[Any]:
        async with d360.AsyncClient(api_key=KEY, base_url=base_url, template_check=True) as client:
            sends = [client.send_template(TO, "order_note", "en", components=[t.body(t.text(str(n)))])
                     for n in range(20)]  # fmt: skip
            return await asyncio.gather(*sends, return_exceptions=True)

    with serving_asgi(upstream.app()) as base_url:
        results = asyncio.run(run(base_url))
    assert all(isinstance(result, d360.BadRequestError) and result.code == 132000 for result in results)
    assert (upstream.posts, upstream.fetches) == (20, 2)  # one fetch, then one refresh for twenty refusals


def test_threads_sending_at_once_share_one_fetch_and_send_many_shares_the_clients_cache() -> None:
    upstream = Upstream([NOTE_1], ok_reply())
    with serving_asgi(upstream.app()) as base_url, d360.Client(api_key=KEY, base_url=base_url,
                                                               template_check=True) as client:  # fmt: skip
        start = threading.Barrier(8)

        def send() -> None:
            start.wait()
            NOTE_MESSAGE(client)

        threads = [threading.Thread(target=send) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        batch = [d360.messages.template(TO, "order_note", "en", components=[t.body(t.text("x"))])] * 5
        assert all(outcome.ok for outcome in client.send_many(batch))  # on its own loop and thread: the same cache
    assert (upstream.posts, upstream.fetches) == (13, 1)


# d360 bulk: the campaign checked before its first send.


def bulk(base_url: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "D360_API_KEY": KEY, "D360_BASE_URL": base_url}
    return subprocess.run([D360, "bulk", *arguments], capture_output=True, text=True, env=environment,
                          timeout=300, check=False)  # fmt: skip


def write_lines(path: Path, messages: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(message) + "\n" for message in messages))
    return path


def shipping(*parameters: str) -> dict[str, Any]:
    return d360.messages.template(TO, "shipping_update", "en", components=[t.body(*map(t.text, parameters))])


def test_a_csv_campaign_that_does_not_fit_its_template_is_refused_before_its_first_send(
    fresh: sandbox.RunningSandbox, tmp_path: Path
) -> None:
    source = tmp_path / "people.csv"
    source.write_text("to,name\n4915111111111,Anna\n4915122222222,Ben\n")  # shipping_update takes two
    journal = tmp_path / "people.sqlite"
    result = bulk(fresh.base_url, str(source), "--journal", str(journal), "--template", "shipping_update",
                  "--language", "en")  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [
        "d360: error: --template shipping_update (en) does not fit the CSV: line 2: "
        "$.template.components[0].parameters: the template's body has 2 parameters ({{1}}, {{2}}); the message "
        "gives 1 (each column besides 'to' is a body parameter, in order); 1 more line does not fit; nothing was "
        "sent (--no-template-check sends without this check)"
    ]
    assert fresh.received() == [] and not journal.exists()
    unknown = bulk(fresh.base_url, str(source), "--journal", str(journal), "--template", "shipping_updates",
                   "--language", "en")  # fmt: skip
    assert unknown.returncode == 2 and "no template named 'shipping_updates' exists" in unknown.stderr
    assert "each column" not in unknown.stderr and fresh.received() == []
    unchecked = bulk(fresh.base_url, str(source), "--journal", str(journal), "--template", "shipping_update",
                     "--language", "en", "--no-template-check")  # fmt: skip
    assert unchecked.returncode == 0 and len(fresh.received()) == 2  # this sandbox takes any template message


def test_a_jsonl_campaign_is_refused_when_any_template_line_does_not_fit(
    fresh: sandbox.RunningSandbox, tmp_path: Path
) -> None:
    lines = [shipping("Anna", str(n)) for n in range(5)]
    lines += [d360.messages.text(TO, "not a template message"), shipping("Ben"), shipping("Cem", "1", "2")]
    source = write_lines(tmp_path / "campaign.jsonl", lines)
    result = bulk(fresh.base_url, str(source), "--journal", str(tmp_path / "campaign.sqlite"))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "d360: error: line 7 does not fit template 'shipping_update' (en): $.template.components[0].parameters: the "
        "template's body has 2 parameters ({{1}}, {{2}}); the message gives 1; 1 more line does not fit; nothing was "
        "sent (--no-template-check sends without this check)"
    ]
    assert fresh.received() == [] and not (tmp_path / "campaign.sqlite").exists()
    # Without the check, every line goes (this sandbox takes any template message).
    skipped = bulk(fresh.base_url, str(source), "--journal", str(tmp_path / "campaign.sqlite"), "--no-template-check")
    assert skipped.returncode == 0, skipped.stderr
    assert len(fresh.received()) == len(lines)


def test_a_campaign_that_fits_is_sent_whole(fresh: sandbox.RunningSandbox, tmp_path: Path) -> None:
    lines = [shipping("Anna", "1"), d360.messages.template(TO, "delivery_slot", "en"), shipping("Ben", "2")]
    result = bulk(
        fresh.base_url, str(write_lines(tmp_path / "ok.jsonl", lines)), "--journal", str(tmp_path / "ok.sqlite")
    )
    assert result.returncode == 0, result.stderr
    assert len(fresh.received()) == 3


def test_each_template_of_a_campaign_is_fetched_once_before_anything_is_sent(
    server: ScriptedServer, tmp_path: Path
) -> None:
    notes = [d360.messages.template(TO, "order_note", "en", components=[t.body(t.text(str(n)))]) for n in range(10)]
    others = [d360.messages.template(TO, "other_note", "en", components=[t.body(t.text("a"))])] * 10
    source = write_lines(tmp_path / "two.jsonl", [message for pair in zip(notes, others, strict=True)
                                                   for message in pair])  # fmt: skip
    server.script(listing(NOTE_1), listing(NOTE_2, name="other_note"))
    result = bulk(server.base_url, str(source), "--journal", str(tmp_path / "two.sqlite"))
    assert result.returncode == 2
    assert (
        "line 2 does not fit template 'other_note' (en)" in result.stderr and "9 more lines do not fit" in result.stderr
    )
    assert methods(server) == ["GET", "GET"]  # one per template, and no POST


def test_an_unreachable_upstream_exits_3_with_nothing_sent(tmp_path: Path) -> None:
    from tests.test_regen import closed_port

    source = write_lines(tmp_path / "a.jsonl", [shipping("Anna", "1")])
    result = bulk(f"http://127.0.0.1:{closed_port()}", str(source), "--journal", str(tmp_path / "a.sqlite"))
    assert result.returncode == 3
    assert result.stderr.startswith(
        "d360: error: cannot check the campaign against template 'shipping_update' (en); nothing was sent: fetching "
        "the template failed: cannot connect to"
    )
    assert not (tmp_path / "a.sqlite").exists()


def test_the_readmes_template_check_example_runs_as_pasted(
    fresh: sandbox.RunningSandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Templates: create") : readme.index("## Receiving webhooks")]
    blocks = [block.split("```", 1)[0] for block in section.split("```python\n")[1:]]
    code = next(block for block in blocks if "template_check=True" in block)
    assert 'api_key="sandbox-key", base_url="http://127.0.0.1:8360"' in code  # as `d360 sandbox` serves
    code = code.replace('api_key="sandbox-key"', f'api_key="{KEY}"').replace("http://127.0.0.1:8360", fresh.base_url)
    exec(compile(code, "README.md", "exec"), {})
    expected = code.rstrip().splitlines()[-1].removeprefix("# ")
    assert capsys.readouterr().out.splitlines() == [expected]
    assert len(fresh.received()) == 1  # the first send went; the second was refused here


def test_a_campaign_may_use_only_so_many_templates_and_each_is_fetched_once(
    server: ScriptedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from d360.bulk import template_check
    from d360.bulk.input import BulkInputError, InputLine

    monkeypatch.setattr(template_check, "MAX_TEMPLATES", 2)
    server.script(listing(NOTE_1), listing(NOTE_1, name="other_note"))
    opened: list[d360.Client] = []

    def open_client() -> d360.Client:
        opened.append(d360.Client(api_key=KEY, base_url=server.base_url))
        return opened[-1]

    check = template_check.CampaignTemplateCheck(open_client)
    for number, name in enumerate(["order_note", "other_note", "order_note", "other_note"], start=1):
        message = d360.messages.template(TO, name, "en", components=[t.body(t.text("x"))])
        check.see(InputLine(number, "", message))
    check.see(InputLine(5, "", d360.messages.text(TO, "no template")))
    assert (check.checked, check.refusal(), len(opened), methods(server)) == (4, None, 1, ["GET", "GET"])
    with pytest.raises(BulkInputError, match="the campaign uses more than 2 templates"):
        check.see(InputLine(6, "", d360.messages.template(TO, "third_note", "en")))
    check.close()
