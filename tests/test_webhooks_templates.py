"""Template webhooks: a template's review (message_template_status_update), quality and category changes.

The bodies are Meta's own examples from its webhook reference, as 360dialog forwards them unchanged;
then odd values and shapes, the payload builders, and the receiver's handlers under real servers.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from d360.webhooks import (
    Deduplicator,
    Receiver,
    TemplateCategoryUpdate,
    TemplateNotice,
    TemplateQualityUpdate,
    TemplateRejection,
    TemplateStatusUpdate,
    UnknownEvent,
    parse,
    payloads,
    sign,
)
from tests.servers import serving_asgi, serving_wsgi, wait_for

SECRET = "template-webhook-secret"
WABA = "102290129340398"


def meta(field: str, value: dict[str, Any], time: Any = 1751247548) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": WABA, "changes": [{"value": value, "field": field}]}
    if time is not None:
        entry["time"] = time
    return {"entry": [entry], "object": "whatsapp_business_account"}


APPROVED = {
    "event": "APPROVED",
    "message_template_id": 1689556908129832,
    "message_template_name": "order_confirmation",
    "message_template_language": "en-US",
    "reason": "NONE",
    "message_template_category": "UTILITY",
}
REJECTED = {
    "event": "REJECTED",
    "message_template_id": 1689556908129835,
    "message_template_name": "abandoned_cart",
    "message_template_language": "en",
    "reason": "INVALID_FORMAT",
    "message_template_category": "MARKETING",
    "rejection_info": {
        "reason": "Your template has parameters placed next to each other (like {{1}}{{2}}) without text or "
        "punctuation between them.",
        "recommendation": "Separate parameters with descriptive text and ensure each parameter is clearly "
        "contextualized.",
    },
}
QUALITY = {
    "previous_quality_score": "GREEN",
    "new_quality_score": "YELLOW",
    "message_template_id": 806312974732579,
    "message_template_name": "welcome_template",
    "message_template_language": "en-US",
}
CATEGORY_IMPENDING = {
    "message_template_id": 278077987957091,
    "message_template_name": "welcome_template",
    "message_template_language": "en-US",
    "new_category": "UTILITY",
    "correct_category": "MARKETING",
    "category_update_timestamp": 1746169200,
}
CATEGORY_DONE = {
    "message_template_id": 278077987957091,
    "message_template_name": "welcome_template",
    "message_template_language": "en-US",
    "previous_category": "UTILITY",
    "new_category": "MARKETING",
}


def only(body: dict[str, Any]) -> Any:
    events = parse(json.dumps(body).encode())
    assert len(events) == 1, events
    return events[0]


def test_an_approval_is_a_typed_status_update_with_everything_meta_sends() -> None:
    event = only(meta("message_template_status_update", APPROVED))
    assert isinstance(event, TemplateStatusUpdate)
    assert (event.event, event.template_id, event.template_name, event.language) == (
        "APPROVED", "1689556908129832", "order_confirmation", "en-US",
    )  # fmt: skip
    assert (event.reason, event.category, event.rejection, event.notice, event.disable_date) == (
        "NONE", "UTILITY", None, None, None,
    )  # fmt: skip
    assert event.approved and not event.rejected
    assert event.timestamp == datetime.fromtimestamp(1751247548, tz=UTC)
    assert (event.field, event.business_account_id, event.raw) == ("message_template_status_update", WABA, APPROVED)


def test_a_rejection_carries_its_reason_and_metas_explanation() -> None:
    event = only(meta("message_template_status_update", REJECTED))
    assert isinstance(event, TemplateStatusUpdate) and event.rejected
    assert event.reason == "INVALID_FORMAT"
    assert event.rejection == TemplateRejection(
        reason=REJECTED["rejection_info"]["reason"], recommendation=REJECTED["rejection_info"]["recommendation"]
    )


def test_a_pause_and_a_disable_carry_their_notice_and_date() -> None:
    paused = {**APPROVED, "event": "PAUSED", "reason": None,
              "other_info": {"title": "FIRST_PAUSE", "description": "Your WhatsApp message template has been paused."}}  # fmt: skip
    event = only(meta("message_template_status_update", paused))
    assert isinstance(event, TemplateStatusUpdate) and event.event == "PAUSED" and event.reason is None
    assert event.notice == TemplateNotice(
        title="FIRST_PAUSE", description="Your WhatsApp message template has been paused."
    )
    disabled = {**APPROVED, "event": "DISABLED", "disable_info": {"disable_date": 1751234563}}
    event = only(meta("message_template_status_update", disabled))
    assert event.disable_date == datetime.fromtimestamp(1751234563, tz=UTC)


def test_a_quality_change_is_typed_even_under_the_field_metas_own_reference_shows_it_under() -> None:
    for field in ("message_template_quality_update", "message_template_status_update"):
        event = only(meta(field, QUALITY))
        assert isinstance(event, TemplateQualityUpdate), field
        assert (event.previous_quality_score, event.new_quality_score) == ("GREEN", "YELLOW")
        assert (event.template_id, event.template_name, event.language) == (
            "806312974732579", "welcome_template", "en-US",
        )  # fmt: skip
        assert event.field == field and event.raw == QUALITY


def test_a_category_change_announced_and_made() -> None:
    impending = only(meta("template_category_update", CATEGORY_IMPENDING))
    assert isinstance(impending, TemplateCategoryUpdate) and impending.impending
    assert (impending.new_category, impending.correct_category, impending.previous_category) == (
        "UTILITY", "MARKETING", None,
    )  # fmt: skip
    assert impending.category_update_timestamp == datetime.fromtimestamp(1746169200, tz=UTC)
    done = only(meta("template_category_update", CATEGORY_DONE))
    assert isinstance(done, TemplateCategoryUpdate) and not done.impending
    assert (done.previous_category, done.new_category, done.template_id) == ("UTILITY", "MARKETING", "278077987957091")


@pytest.mark.parametrize(
    ("field", "value", "attribute", "odd"),
    [
        ("message_template_status_update", {**APPROVED, "event": "UNARCHIVED"}, "event", "UNARCHIVED"),
        ("message_template_status_update", {**APPROVED, "reason": "SOMETHING_NEW"}, "reason", "SOMETHING_NEW"),
        ("message_template_status_update", {**APPROVED, "message_template_category": "NEW"}, "category", "NEW"),
        ("message_template_quality_update", {**QUALITY, "new_quality_score": "PURPLE"}, "new_quality_score", "PURPLE"),
        ("template_category_update", {**CATEGORY_DONE, "new_category": "SERVICE"}, "new_category", "SERVICE"),
        ("message_template_status_update", {**APPROVED, "message_template_id": "ab-12"}, "template_id", "ab-12"),
        ("message_template_status_update", {**APPROVED, "message_template_name": "half \ud83d"}, "template_name",
         "half \ud83d"),
    ],
)  # fmt: skip
def test_values_d360_does_not_know_are_kept_as_sent(
    field: str, value: dict[str, Any], attribute: str, odd: str
) -> None:
    event = only(meta(field, value))
    assert getattr(event, attribute) == odd
    event.dedup_key.encode("utf-8")


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("message_template_status_update", {k: v for k, v in APPROVED.items() if k != "event"},
         "a template status change without its `event`"),
        ("message_template_status_update", {**APPROVED, "event": ["APPROVED"]}, "a template status change without its `event`"),
        ("message_template_quality_update", {**QUALITY, "new_quality_score": None},
         "a template quality change without its `new_quality_score`"),
        ("template_category_update", {"message_template_id": 1},
         "a template category change without `new_category` or `correct_category`"),
    ],
)  # fmt: skip
def test_a_template_change_without_what_it_is_about_is_kept_as_unknown(
    field: str, value: dict[str, Any], reason: str
) -> None:
    event = only(meta(field, value))
    assert isinstance(event, UnknownEvent) and event.reason == reason and event.raw == value
    assert (event.field, event.business_account_id) == (field, WABA)


def test_fields_of_the_wrong_type_are_none_and_the_rest_is_read() -> None:
    value = {**REJECTED, "message_template_id": True, "message_template_language": ["en"], "rejection_info": "x",
             "disable_info": {"disable_date": "\u0663"}, "other_info": 7, "reason": {"a": 1}}  # fmt: skip
    event = only(meta("message_template_status_update", value, time="not a time"))
    assert isinstance(event, TemplateStatusUpdate) and event.event == "REJECTED"
    assert (event.template_id, event.language, event.rejection, event.disable_date, event.notice, event.reason) == (
        None, None, None, None, None, None,
    )  # fmt: skip
    assert event.timestamp is None and event.template_name == "abandoned_cart"


def test_keys_are_stable_for_a_redelivery_and_differ_for_a_later_change_of_the_same_kind() -> None:
    first = only(meta("message_template_status_update", APPROVED))
    reordered = only(meta("message_template_status_update", dict(reversed(list(APPROVED.items())))))
    assert first.dedup_key == reordered.dedup_key == only(meta("message_template_status_update", APPROVED)).dedup_key
    assert first.dedup_key.startswith("template_status:1689556908129832:APPROVED:")
    # Approved again a day later (after an edit and another review): another event, handled again.
    later = only(meta("message_template_status_update", APPROVED, time=1751247548 + 86_400))
    assert later.dedup_key != first.dedup_key
    keys = {
        only(meta("message_template_quality_update", QUALITY)).dedup_key,
        only(meta("template_category_update", CATEGORY_IMPENDING)).dedup_key,
        only(meta("template_category_update", CATEGORY_DONE)).dedup_key,
    }
    assert len(keys) == 3 and all(key.startswith(("template_quality:", "template_category:")) for key in keys)


def test_template_changes_mixed_with_messages_in_one_delivery_come_back_in_order() -> None:
    body = payloads.delivery(statuses=[payloads.status("wamid.X", "read", "4915112345678")])
    body["entry"].append(meta("template_category_update", CATEGORY_DONE)["entry"][0])
    body["entry"][0]["changes"].append({"field": "message_template_status_update", "value": REJECTED})
    kinds = [type(event).__name__ for event in parse(body)]
    assert kinds == ["StatusUpdate", "TemplateStatusUpdate", "TemplateCategoryUpdate"]


template_values = st.dictionaries(
    st.sampled_from([
        "event", "message_template_id", "message_template_name", "message_template_language", "reason",
        "message_template_category", "rejection_info", "disable_info", "disable_date", "other_info", "title",
        "previous_quality_score", "new_quality_score", "previous_category", "new_category", "correct_category",
        "category_update_timestamp", "recommendation",
    ]),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
        lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
        max_leaves=10,
    ),
    max_size=10,
)  # fmt: skip


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    template_values,
    st.sampled_from(["message_template_status_update", "message_template_quality_update", "template_category_update"]),
    st.none() | st.integers() | st.text(max_size=5),
)
def test_any_template_change_gives_one_event_with_its_raw_and_a_storable_key(
    value: dict[str, Any], field: str, time: Any
) -> None:
    (event,) = parse(meta(field, value, time=time))
    assert event.raw == value and event.dedup_key
    event.dedup_key.encode("utf-8")


# The builders: what the sandbox sends, in Meta's shapes.


def test_the_builders_give_metas_shapes_that_parse_back_into_the_same_values() -> None:
    approved = payloads.template_status_update("order_update", "APPROVED", category="UTILITY", time_sent=1751247548)
    value = approved["entry"][0]["changes"][0]["value"]
    assert approved["entry"][0]["changes"][0]["field"] == "message_template_status_update"
    assert approved["entry"][0]["time"] == 1751247548 and approved["entry"][0]["id"] == WABA
    assert isinstance(value["message_template_id"], int)  # as Meta sends it
    assert value["message_template_id"] == payloads.template_id_for("order_update", "en_US")
    assert set(value) == {"event", "message_template_id", "message_template_name", "message_template_language",
                          "reason", "message_template_category"}  # fmt: skip
    event = only(approved)
    assert isinstance(event, TemplateStatusUpdate)
    assert (event.event, event.template_name, event.language, event.reason, event.category) == (
        "APPROVED", "order_update", "en_US", "NONE", "UTILITY",
    )  # fmt: skip
    rejected = only(payloads.template_status_update(
        "order_update", "REJECTED", reason="INVALID_FORMAT", rejection_reason="why", recommendation="how",
        template_id=42, language="de",
    ))  # fmt: skip
    assert isinstance(rejected, TemplateStatusUpdate)
    assert (rejected.template_id, rejected.language) == ("42", "de")
    assert rejected.rejection == TemplateRejection(reason="why", recommendation="how")
    paused = only(payloads.template_status_update(
        "promo", "DISABLED", reason=None, disable_date=1751234563, notice_title="DISABLED", notice_description="d",
    ))  # fmt: skip
    assert isinstance(paused, TemplateStatusUpdate) and paused.reason is None and "reason" not in paused.raw
    assert paused.notice == TemplateNotice(title="DISABLED", description="d")
    assert paused.disable_date == datetime.fromtimestamp(1751234563, tz=UTC)
    quality = only(payloads.template_quality_update("promo", "RED", previous_quality_score="YELLOW"))
    assert isinstance(quality, TemplateQualityUpdate)
    assert (quality.previous_quality_score, quality.new_quality_score) == ("YELLOW", "RED")
    soon = only(payloads.template_category_update(
        "welcome", "UTILITY", correct_category="MARKETING", category_update_time=1746169200,
    ))  # fmt: skip
    assert isinstance(soon, TemplateCategoryUpdate) and soon.impending
    done = only(payloads.template_category_update("welcome", "MARKETING", previous_category="UTILITY"))
    assert isinstance(done, TemplateCategoryUpdate) and not done.impending
    assert (done.previous_category, done.new_category) == ("UTILITY", "MARKETING")


def test_builder_template_ids_are_stable_and_distinct_per_name_and_language() -> None:
    ids = {payloads.template_id_for(name, language) for name in ("a", "b") for language in ("en_US", "de")}
    assert len(ids) == 4 and all(len(str(number)) == 15 for number in ids)
    assert payloads.template_id_for("a", "de") == payloads.template_id_for("a", "de")


# The receiver's handlers, under real servers.


@contextmanager
def served(receiver: Receiver, how: str) -> Iterator[str]:
    if how == "asgi":
        with serving_asgi(receiver.asgi) as base:
            yield base + "/"
    else:
        with serving_wsgi(receiver.wsgi) as base:
            yield base + "/"
        receiver.wsgi.close(timeout=5)


def post(url: str, body: dict[str, Any]) -> httpx.Response:
    raw = json.dumps(body).encode()
    return httpx.post(url, content=raw, headers={"x-360dialog-signature": sign(raw, SECRET)}, timeout=10)


@pytest.fixture
def receiver(tmp_path: Path) -> Receiver:
    return Receiver(secret=SECRET, dedup=Deduplicator(tmp_path / "seen.sqlite"))


@pytest.mark.parametrize("how", ["asgi", "wsgi"])
def test_template_handlers_run_once_for_their_events_with_the_event_filter(how: str, receiver: Receiver) -> None:
    rejected: list[str] = []
    every_status: list[str] = []
    qualities: list[str] = []
    categories: list[str] = []
    statuses: list[str] = []

    @receiver.on_template_status(event=["REJECTED", "PAUSED"])
    async def on_rejected(update: TemplateStatusUpdate) -> None:
        rejected.append(f"{update.template_name} {update.event}")

    receiver.on_template_status(lambda update: every_status.append(update.event))
    receiver.on_template_quality(lambda update: qualities.append(update.new_quality_score))
    receiver.on_template_category(lambda update: categories.append(str(update.new_category)))
    receiver.on_status(lambda update: statuses.append(update.status))  # message statuses are not templates'
    bodies = [
        payloads.template_status_update("promo", "PENDING", time_sent=1),
        payloads.template_status_update("promo", "REJECTED", reason="PROMOTIONAL", time_sent=2),
        payloads.template_status_update("promo", "APPROVED", time_sent=3),
        payloads.template_quality_update("promo", "RED", previous_quality_score="GREEN", time_sent=4),
        payloads.template_status_update("promo", "PAUSED", reason=None, notice_title="FIRST_PAUSE", time_sent=5),
        payloads.template_category_update("promo", "MARKETING", previous_category="UTILITY", time_sent=6),
    ]
    with served(receiver, how) as url:
        for body in bodies:
            assert post(url, body).status_code == 200
        assert post(url, bodies[1]).json() == {"received": 1, "new": 0}  # a redelivery: not handled again
        wait_for(lambda: receiver.stats.handled == 2 + 4 + 1 + 1)
    assert sorted(rejected) == ["promo PAUSED", "promo REJECTED"]
    assert sorted(every_status) == ["APPROVED", "PAUSED", "PENDING", "REJECTED"]
    assert (qualities, categories, statuses) == (["RED"], ["MARKETING"], [])


def test_the_event_filter_must_name_something(receiver: Receiver) -> None:
    from d360 import ConfigurationError

    with pytest.raises(ConfigurationError, match="event filters"):
        receiver.on_template_status(event=[])
    with pytest.raises(ConfigurationError, match="event filters"):
        receiver.on_template_status(event=[""])


def test_a_delivery_template_event_through_on_event_and_its_raw_untouched(receiver: Receiver) -> None:
    seen: list[Any] = []
    receiver.on_event(seen.append)
    body = meta("message_template_status_update", copy.deepcopy(REJECTED))
    with served(receiver, "asgi") as url:
        assert post(url, body).status_code == 200
        wait_for(lambda: len(seen) == 1)
    (event,) = seen
    assert isinstance(event, TemplateStatusUpdate) and event.raw == REJECTED
