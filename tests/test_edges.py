"""Behaviour at the edges, where mutation testing found survivors: limits exactly at and just past their
bounds, every bad item of a list reported, each field of a result and an error kept, and the journal's
paging past its first page."""

from __future__ import annotations

import email.utils
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import d360
from d360 import messages
from d360.bulk.journal import PAGE_SIZE, Journal
from d360.redaction import REDACTED, redacted_headers
from d360.retry import RetryPolicy, parse_retry_after
from d360.validation import message_problems
from tests.scripted_server import Reply, ScriptedServer, ok_reply

TO = "4915112345678"


def problems(message: Any) -> list[str]:
    return [str(problem) for problem in message_problems(message)]


# Limits exactly at their bounds pass; one past fails, with the limit named.


def test_text_of_exactly_4096_characters_passes_and_4097_fails() -> None:
    assert problems(messages.text(TO, "x" * 4096)) == []
    assert problems(messages.text(TO, "x" * 4097)) == ["$.text.body: is 4097 characters, more than the limit of 4096"]


@pytest.mark.parametrize(("digits", "ok"), [(7, False), (8, True), (15, True), (16, False)])
def test_phone_numbers_of_8_to_15_digits_pass(digits: int, ok: bool) -> None:
    found = problems({**messages.text(TO, "x"), "to": "4" * digits})
    assert (found == []) is ok, found
    if not ok:
        assert found == [f"$.to: must be a phone number of 8-15 digits (+, spaces, dashes and brackets allowed), "
                         f"not '{'4' * digits}'"]  # fmt: skip


@pytest.mark.parametrize(("longitude", "ok"), [(180, True), (-180, True), (180.0001, False), (-180.5, False)])
def test_longitude_is_bounded_at_180(longitude: float, ok: bool) -> None:
    found = problems(messages.location(TO, 0, longitude))
    assert (found == []) is ok, found
    if not ok:
        assert found == [f"$.location.longitude: must be between -180 and 180, not {longitude}"]


def test_one_reply_button_passes_and_none_fails() -> None:
    assert problems(messages.buttons(TO, "Body", [("a", "A")])) == []
    assert "$.interactive.action.buttons: needs 1-3 reply buttons, not 0" in problems(messages.buttons(TO, "Body", []))


def test_exactly_ten_sections_pass_and_eleven_fail() -> None:
    ten = [{"rows": [{"id": str(n), "title": f"Row {n}"}]} for n in range(10)]
    assert problems(messages.list_message(TO, "Body", "Open", ten)) == []
    eleven = [*ten, {"rows": [{"id": "x", "title": "X"}]}]
    assert "$.interactive.action.sections: needs 1-10 sections, not 11" in problems(
        messages.list_message(TO, "Body", "Open", eleven)
    )


def test_ten_rows_in_all_across_sections_pass_and_eleven_fail() -> None:
    def sections(counts: list[int]) -> list[dict[str, Any]]:
        return [{"rows": [{"id": f"{s}-{r}", "title": f"Row {r}"} for r in range(count)]}
                for s, count in enumerate(counts)]  # fmt: skip

    assert problems(messages.list_message(TO, "Body", "Open", sections([4, 3, 3]))) == []
    assert problems(messages.list_message(TO, "Body", "Open", sections([4, 4, 3]))) == [
        "$.interactive.action.sections: has 11 rows in all, more than the limit of 10"
    ]


def test_every_bad_item_of_a_list_is_reported_not_just_the_first() -> None:
    message = messages.buttons(TO, "Body", [("a", "x" * 21), ("b", "ok"), ("c", "y" * 25)])
    assert problems(message) == [
        "$.interactive.action.buttons[0].reply.title: is 21 characters, more than the limit of 20",
        "$.interactive.action.buttons[2].reply.title: is 25 characters, more than the limit of 20",
    ]


# Retry-After: at the cap, and as an HTTP date without a zone.


def test_a_retry_after_equal_to_the_cap_is_honoured(make_client: Any, server: ScriptedServer) -> None:
    server.script(Reply(429, {"error": "slow"}, headers={"Retry-After": "60"}), ok_reply())
    client = make_client(retry_policy=RetryPolicy(max_retry_after=60))
    client.call("send_text", TO, "Hi")
    assert client.sleeps == [60.0]


def test_a_retry_after_date_with_minus_zero_zone_is_read_as_utc() -> None:
    now = datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC)
    header = email.utils.format_datetime(now + timedelta(seconds=30)).replace("+0000", "-0000")
    assert header.endswith("-0000")
    assert parse_retry_after(header, now=lambda: now) == 30.0


# Results and errors keep every field.


def test_a_successful_send_keeps_every_field(make_client: Any, server: ScriptedServer) -> None:
    body = {"messaging_product": "whatsapp", "contacts": [{"input": "+49 151", "wa_id": "49151"}],
            "messages": [{"id": "wamid.ALL", "message_status": "held_for_quality_assessment"}]}  # fmt: skip
    server.script(Reply(200, body, headers={"X-Request-Id": "req-42"}))
    result = make_client().call("send_text", TO, "Hi")
    assert (result.message_id, result.wa_id, result.input, result.status, result.request_id) == (
        "wamid.ALL", "49151", "+49 151", "held_for_quality_assessment", "req-42"
    )  # fmt: skip
    assert result.raw == body


def test_metas_errors_list_form_is_read(make_client: Any, server: ScriptedServer) -> None:
    server.script(Reply(400, {"errors": [{"code": 131026, "title": "Message undeliverable",
                                          "error_data": {"details": "Receiver is incapable"}}]}))  # fmt: skip
    with pytest.raises(d360.BadRequestError) as caught:
        make_client().call("send_text", TO, "Hi")
    error = caught.value
    assert (error.status_code, error.code, error.message) == (
        400,
        131026,
        "Message undeliverable: Receiver is incapable",
    )
    assert str(error) == "HTTP 400: Message undeliverable: Receiver is incapable (code 131026)"
    assert error.body == {"errors": [{"code": 131026, "title": "Message undeliverable",
                                      "error_data": {"details": "Receiver is incapable"}}]}  # fmt: skip
    assert error.maybe_delivered is False


def test_a_throttling_code_sent_as_a_string_is_a_rate_limit(make_client: Any, server: ScriptedServer) -> None:
    server.script(Reply(400, {"error": {"message": "(#130429) Rate limit hit", "code": "130429"}}), ok_reply())
    client = make_client()
    client.call("send_text", TO, "Hi")
    assert len(client.sleeps) == 1  # retried: a RateLimitError


def test_a_5xx_that_mentions_a_rate_limit_stays_an_ambiguous_server_error(
    make_client: Any, server: ScriptedServer
) -> None:
    server.script(Reply(500, {"error": "rate limit exceeded upstream"}))
    with pytest.raises(d360.ServerError) as caught:
        make_client().call("send_text", TO, "Hi")
    assert not isinstance(caught.value, d360.RateLimitError)
    assert caught.value.maybe_delivered is True
    assert len(server.requests) == 1


def test_redaction_masks_only_secret_headers() -> None:
    headers = {"D360-API-KEY": "k", "Authorization": "Bearer t", "Content-Type": "application/json", "X-Trace": "1"}
    assert redacted_headers(headers) == {
        "D360-API-KEY": REDACTED, "Authorization": REDACTED, "Content-Type": "application/json", "X-Trace": "1",
    }  # fmt: skip


# The journal pages past its first page.


def test_the_journal_reads_every_page_of_lines(tmp_path: Path) -> None:
    count = PAGE_SIZE * 2 + 501  # not a multiple of 3: the last line is pending
    rows = [(number, f"h{number}", "pending" if number % 3 else "failed", None) for number in range(1, count + 1)]
    with Journal(tmp_path / "run.sqlite") as journal:
        journal.fill("fingerprint", "input", rows)
        pending = list(journal.lines_in(("pending",)))
    assert [number for number, _, _ in pending] == [number for number in range(1, count + 1) if number % 3]
    assert pending[-1] == (count, f"h{count}", 0)
