"""The client against the contract: request bodies generated from the effective spec, sent over real HTTP
to the sandbox.

Valid bodies must arrive exactly as generated (with the Cloud API's defaults filled in) and come back
parsed; bodies that break the schema must raise ValidationError with nothing sent (from a client with
`validate="strict"`: a default one also takes type values it does not know yet). A valid body that
breaks one of upstream's limits no schema can say (unique button titles, ten rows in all) must raise
ValidationError listing exactly those limits.
"""

from __future__ import annotations

import asyncio
import collections
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

import d360
from d360.messages import with_cloud_api_defaults
from d360.sandbox import RunningSandbox
from d360.validation import limit_problems
from tests.conftest import EFFECTIVE_SPEC, VENDORED_SPEC
from tests.contract.conftest import CONTRACT_KEY, spec_oracle

ORACLE = spec_oracle()
OPERATION = schemathesis.openapi.from_path(EFFECTIVE_SPEC)["/messages"]["POST"]
# Negative generation under the effective spec's if/then conditions takes minutes; upstream's plain spec
# mutates in seconds, and each mutant is judged by the effective spec's oracle below before it counts.
RAW_OPERATION = schemathesis.openapi.from_path(VENDORED_SPEC)["/messages"]["POST"]
OUTCOMES: collections.Counter[str] = collections.Counter()
PHONES = st.from_regex(r"\A\+?[1-9][0-9]{7,14}\Z")
MODE_SETTINGS = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                                HealthCheck.filter_too_much])  # fmt: skip


MESSAGE_TYPES = ("text", "image", "audio", "video", "document", "sticker", "location", "interactive", "template",
                 "reaction")  # fmt: skip


@st.composite
def valid_bodies(draw: st.DrawFn) -> Any:
    """Spec-valid bodies from schemathesis. Four in five are steered toward upstream's limits (which the
    spec does not encode): a phone number as `to`, and a `type` naming content the body carries."""
    body = draw(OPERATION.as_strategy(generation_mode=schemathesis.GenerationMode.POSITIVE)).body
    assume(not (isinstance(body, dict) and "status" in body and "to" not in body))  # a read receipt, not a message
    if not isinstance(body, dict) or not draw(st.integers(0, 4)):
        return body
    steered = dict(body)
    if draw(st.integers(0, 5)) == 0:
        # Schema-valid, but two reply buttons share a title: a limit no schema can say (the effective spec
        # says the rest), so the "refused for a documented limit" branch is reached too.
        title = draw(st.text(min_size=1, max_size=20))
        return {**steered, "recipient_type": "individual", "to": draw(PHONES), "type": "interactive",
                "interactive": {"type": "button", "body": {"text": "Pick one"}, "action": {"buttons": [
                    {"type": "reply", "reply": {"id": "a", "title": title}},
                    {"type": "reply", "reply": {"id": "b", "title": title}}]}}}  # fmt: skip
    if steered.get("recipient_type") == "individual":
        steered["to"] = draw(PHONES)
    carried = [kind for kind in MESSAGE_TYPES if isinstance(steered.get(kind), dict)]
    if carried and steered.get("type") not in carried:
        steered["type"] = draw(st.sampled_from(carried))
    kind = steered.get("type")
    if kind == "text" and isinstance(steered.get("text"), dict):
        steered["text"] = {**steered["text"], "body": draw(st.text(min_size=1, max_size=50))}
    elif kind in ("image", "audio", "video", "document", "sticker") and isinstance(steered.get(kind), dict):
        media = {key: value for key, value in steered[kind].items() if key not in ("id", "link")}
        steered[kind] = {**media, "link": draw(st.sampled_from(["https://example.com/a.jpg", "https://e.x/b"]))}
    return steered


def invalid_bodies() -> st.SearchStrategy[Any]:
    return RAW_OPERATION.as_strategy(generation_mode=schemathesis.GenerationMode.NEGATIVE).map(lambda case: case.body)


def send(kind: str, base_url: str, body: Any, *, validate: Any = True) -> Any:
    if kind == "sync":
        with d360.Client(api_key=CONTRACT_KEY, base_url=base_url, max_retries=0, validate=validate) as client:
            return client.send(body)

    async def run() -> Any:
        async with d360.AsyncClient(
            api_key=CONTRACT_KEY, base_url=base_url, max_retries=0, validate=validate
        ) as client:
            return await client.send(body)

    return asyncio.run(run())


# Each branch once for certain, whatever the generator draws (derandomized, it may draw no limit-breaker
# for one client): two reply buttons sharing a title, and a plain text.
SHARED_TITLES = {
    "messaging_product": "whatsapp", "recipient_type": "individual", "to": "4915112345678", "type": "interactive",
    "interactive": {"type": "button", "body": {"text": "Pick one"}, "action": {"buttons": [
        {"type": "reply", "reply": {"id": "a", "title": "Same"}}, {"type": "reply", "reply": {"id": "b", "title": "Same"}}]}},
}  # fmt: skip
PLAIN_TEXT = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": "4915112345678", "type": "text",
              "text": {"body": "Hello"}}  # fmt: skip


@pytest.mark.parametrize("kind", ["sync", "async"])
@MODE_SETTINGS
@given(body=valid_bodies())
@example(body=SHARED_TITLES)
@example(body=PLAIN_TEXT)
def test_every_spec_valid_body_is_sent_exactly_or_refused_for_a_documented_limit(
    kind: str, running_sandbox: RunningSandbox, body: Any
) -> None:
    assert ORACLE.is_valid(body), "schemathesis generated a body the spec refuses"
    running_sandbox.sandbox.clear()
    limits_broken = limit_problems(body)
    if limits_broken:
        with pytest.raises(d360.ValidationError) as caught:
            send(kind, running_sandbox.base_url, body)
        assert list(caught.value.problems) == limits_broken  # the schema part raised nothing: the checkers agree
        assert running_sandbox.received() == []
        OUTCOMES[f"{kind}-refused"] += 1
    else:
        result = send(kind, running_sandbox.base_url, body)
        [received] = running_sandbox.received()
        assert received.body == with_cloud_api_defaults(body)
        assert result.message_id == received.message_id
        assert result.input == body.get("to", body.get("recipient"))
        OUTCOMES[f"{kind}-sent"] += 1


@pytest.mark.parametrize("kind", ["sync", "async"])
@MODE_SETTINGS
@given(body=invalid_bodies())
def test_every_body_that_breaks_the_schema_raises_and_sends_nothing(
    kind: str, running_sandbox: RunningSandbox, body: Any
) -> None:
    # Negative mode sometimes mutates only headers; those bodies are still valid and prove nothing here.
    assume(not isinstance(body, dict | list | str | int | float | bool) or not ORACLE.is_valid(body))
    running_sandbox.sandbox.clear()
    # Strict: exactly the effective spec. (A default client takes a type value it does not know yet, and a
    # null for an optional field: tests/test_cloud_api_shapes.py.)
    with pytest.raises(d360.ValidationError) as caught:
        send(kind, running_sandbox.base_url, body, validate="strict")
    assert caught.value.problems
    assert running_sandbox.received() == []
    OUTCOMES[f"{kind}-invalid"] += 1


def test_both_outcomes_of_valid_bodies_were_exercised() -> None:
    # Runs after the property tests above (pytest keeps file order): a generator that only ever produced
    # limit-breaking bodies would make the "sent exactly" branch vacuous.
    for kind in ("sync", "async"):
        assert OUTCOMES[f"{kind}-sent"] >= 3, OUTCOMES
        assert OUTCOMES[f"{kind}-refused"] >= 1, OUTCOMES
        assert OUTCOMES[f"{kind}-invalid"] >= 5, OUTCOMES
