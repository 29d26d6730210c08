"""Never a false refusal: every shape the Cloud API takes today is taken, and a kind it adds tomorrow too.

Upper-case kinds, `null` optional fields, business-scoped user ids, group pins, GIF headers, tap targets, a
type d360 does not know yet, and status bodies through `send`: each through validation, the sandbox and
both clients, received exactly as sent; `validate="strict"` keeps the closed behaviour.
"""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from d360_api.models.message import Message
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import d360
from d360 import sandbox
from d360.config import ClientConfig
from d360.contract.corpus import CORPUS, SOURCES, TO
from d360.errors import ConfigurationError, ValidationError
from d360.messages import with_cloud_api_defaults
from d360.validation import limit_problems, message_problems, schema_validator, spec, validate_message
from tests.clients import ClientUnderTest
from tests.test_cli import d360 as run_d360

KEY = "shapes-key-0123456789"
INVENTED = "hologram"  # a message, interactive or component type no release of the Cloud API has (yet)


@pytest.fixture(scope="module")
def served() -> Iterator[sandbox.RunningSandbox]:
    with sandbox.running(api_keys=[KEY], template_check=False) as running:
        yield running


@pytest.fixture(scope="module")
def served_strict() -> Iterator[sandbox.RunningSandbox]:
    with sandbox.running(api_keys=[KEY], template_check=False, strict=True) as running:
        yield running


def client(kind: str, served: sandbox.RunningSandbox, **options: Any) -> ClientUnderTest:
    return ClientUnderTest(kind, api_key=KEY, base_url=served.base_url, max_retries=0, **options)


def problems(message: Any, **options: Any) -> list[str]:
    return [str(problem) for problem in message_problems(message, **options)]


# The corpus: every kind Meta documents, each with its page.


def enum_of(schema: str, field: str) -> set[str]:
    return {value.lower() for value in spec()["components"]["schemas"][schema]["properties"][field]["enum"]}


def kinds_in(body: Any, key: str) -> Iterator[str]:
    if isinstance(body, dict):
        for name, value in body.items():
            if name == key and isinstance(value, str):
                yield value.lower()
            yield from kinds_in(value, key)
    elif isinstance(body, list):
        for item in body:
            yield from kinds_in(item, key)


def test_every_corpus_shape_names_the_page_it_came_from() -> None:
    assert set(SOURCES) == set(CORPUS)
    assert all(source.startswith("https://") for source in SOURCES.values())


@pytest.mark.parametrize(
    "kinds, where",
    [
        (lambda: enum_of("messages.Message", "type"), lambda body: [body.get("type", "text")]),
        (lambda: enum_of("messages.InteractiveObject", "type"),
         lambda body: [body["interactive"]["type"]] if body.get("type") == "interactive" else []),
        (lambda: enum_of("messages.TemplateComponent", "type"),
         lambda body: [c["type"].lower() for c in _components(body)]),
        (lambda: enum_of("messages.TemplateComponent", "sub_type"),
         lambda body: [c["sub_type"].lower() for c in _components(body) if "sub_type" in c]),
        (lambda: enum_of("messages.TemplateParameter", "type"),
         lambda body: [p["type"].lower() for c in _components(body) for p in c.get("parameters") or []]),
    ],
    ids=["message types", "interactive types", "template components", "button sub_types", "parameter types"],
)  # fmt: skip
def test_the_corpus_sends_every_kind_the_effective_spec_knows(kinds: Any, where: Any) -> None:
    sent = {kind for body in CORPUS.values() for kind in where(body)}
    assert kinds() - sent == set(), "kinds the spec knows that no corpus shape sends"


def _components(body: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for component in body.get("template", {}).get("components", []):
        yield component
        for card in component.get("cards", []):
            yield from card.get("components", [])


# The shapes the issue names, through both clients and the sandbox, received exactly as sent.

NAMED_SHAPES = [
    "template components in upper case", "template limited time offer in upper case",
    "template catalog button as Meta's guide writes it", "location with null name and address",
    "contacts with null fields", "template flow button with null token and data", "text to a business-scoped user id",
    "interactive request_contact_info", "group pin", "group unpin", "template GIF header",
    "template GIF header as partners write it", "template tap target",
]  # fmt: skip


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("name", NAMED_SHAPES)
def test_each_named_shape_is_sent_and_received_exactly_as_given(
    name: str, kind: str, served: sandbox.RunningSandbox
) -> None:
    served.sandbox.clear()
    body = copy.deepcopy(CORPUS[name])
    assert problems(body) == [] and problems(body, strict=True) == []
    result = client(kind, served).call("send", body)
    [received] = served.received()
    assert received.body == with_cloud_api_defaults(CORPUS[name])
    assert result.message_id == received.message_id
    assert Message.from_dict(copy.deepcopy(body)).to_dict() == CORPUS[name]


def test_a_message_to_a_business_scoped_user_id_answers_with_that_id(served: sandbox.RunningSandbox) -> None:
    result = client("sync", served).call("send", CORPUS["text to a business-scoped user id"])
    assert result.user_id == result.input == "US.13491208655302741918" and result.wa_id is None


def test_a_message_with_no_recipient_at_all_is_refused_naming_both_ways() -> None:
    assert problems({"messaging_product": "whatsapp", "type": "text", "text": {"body": "a"}}) == [
        "$.to: is required: the recipient's phone number or group id (or `recipient`, a business-scoped user id)"
    ]


def test_a_pin_is_checked_as_meta_documents_it() -> None:
    pin = copy.deepcopy(CORPUS["group pin"])
    pin["pin"] = {"type": "pin", "expiration_days": 31}
    assert problems(pin) == ["$.pin.message_id: is required", "$.pin.expiration_days: must be at most 30, not 31"]
    assert problems({**CORPUS["group pin"], "pin": None}) == ["$.pin: is required when type is 'pin'"]


# Case, as the Cloud API reads it.

COMPONENT_CASES = ["body", "BODY", "Body"]
TEXT_IN_CASE_OF = {"body": "text", "BODY": "TEXT", "Body": "Text"}


@pytest.mark.parametrize("spelling", COMPONENT_CASES)
@pytest.mark.parametrize("kind", ["sync", "async"])
def test_a_component_type_is_taken_in_any_case_and_sent_as_given(
    spelling: str, kind: str, served: sandbox.RunningSandbox
) -> None:
    body = component_in_case(spelling)
    served.sandbox.clear()
    client(kind, served).call("send", copy.deepcopy(body))
    assert served.received()[0].body["template"] == body["template"]


@pytest.mark.parametrize("spelling", COMPONENT_CASES)
def test_strict_takes_the_spellings_the_spec_lists_and_refuses_others(
    spelling: str, served_strict: sandbox.RunningSandbox
) -> None:
    body = component_in_case(spelling)
    served_strict.sandbox.clear()
    if spelling in ("body", "BODY"):  # the effective spec lists both
        client("sync", served_strict, validate="strict").call("send", copy.deepcopy(body))
        assert served_strict.received()[0].body["template"] == body["template"]
    else:
        with pytest.raises(ValidationError, match=r"components\[0\]\.type: must be one of 'header', 'body'"):
            client("sync", served_strict, validate="strict").call("send", body)
        refused = client("sync", served_strict, validate=False)
        with pytest.raises(d360.BadRequestError, match="must be one of"):  # the strict sandbox refuses it too
            refused.call("send", body)


def component_in_case(spelling: str) -> dict[str, Any]:
    return {"messaging_product": "whatsapp", "to": TO, "type": "template", "template": {
        "name": "hello", "language": {"code": "en"},
        "components": [{"type": spelling, "parameters": [{"type": TEXT_IN_CASE_OF[spelling], "text": "Anna"}]}]}}  # fmt: skip


def test_a_known_kind_in_the_wrong_shape_is_still_refused_in_any_case() -> None:
    body = copy.deepcopy(CORPUS["template components in upper case"])
    body["template"]["components"][1]["parameters"][0]["text"] = 5
    assert problems(body) == ["$.template.components[1].parameters[0].text: must be string, not integer"]


# null as absent.


def test_strict_refuses_a_null_the_effective_spec_does_not_allow() -> None:
    body = {"messaging_product": "whatsapp", "to": TO, "type": "text", "text": {"body": "a", "preview_url": None}}
    assert problems(body) == []
    assert problems(body, strict=True) == ["$.text.preview_url: must be boolean, not null"]


def test_null_is_absent_for_an_optional_field_and_refused_for_a_required_one() -> None:
    location = {"messaging_product": "whatsapp", "to": TO, "type": "location",
                "location": {"latitude": None, "longitude": 13.4, "name": None}}  # fmt: skip
    assert problems(location) == ["$.location.latitude: is required"]
    assert problems({"messaging_product": "whatsapp", "to": TO, "type": "text", "text": {"body": None}}) == [
        "$.text.body: is required"
    ]


def test_a_flow_token_given_as_null_is_taken_in_a_template_as_in_an_interactive_flow() -> None:
    interactive = copy.deepcopy(CORPUS["interactive flow"])
    interactive["interactive"]["action"]["parameters"]["flow_token"] = None
    assert problems(interactive) == []
    assert problems(CORPUS["template flow button with null token and data"]) == []


# Open to the unknown, strict on the known.


def invented(**content: Any) -> dict[str, Any]:
    return {"messaging_product": "whatsapp", "to": TO, "type": INVENTED, **content}


def test_an_invented_type_is_taken_with_one_warning_and_sent_as_given(
    served: sandbox.RunningSandbox, caplog: pytest.LogCaptureFixture
) -> None:
    import d360.validation

    d360.validation._warned.clear()
    body = invented(hologram={"depth": 3})
    served.sandbox.clear()
    with caplog.at_level(logging.WARNING, logger="d360.validation"):
        for kind in ("sync", "async", "sync"):
            client(kind, served).call("send", copy.deepcopy(body))
    assert [received.body for received in served.received()] == [with_cloud_api_defaults(body)] * 3
    warnings = [record.getMessage() for record in caplog.records if record.name == "d360.validation"]
    assert len(warnings) == 1 and f"$.type is '{INVENTED}'" in warnings[0] and "strict" in warnings[0]


@pytest.mark.parametrize(
    "body, problem",
    [
        (invented(text={"body": "x" * 5000}), "$.text.body: is 5000 characters, more than the limit of 4096"),
        ({"messaging_product": "whatsapp", "to": TO, "type": "interactive",
          "interactive": {"type": INVENTED, "body": {"text": "x" * 1025}}},
         "$.interactive.body.text: is 1025 characters, more than the limit of 1024"),
        ({"messaging_product": "whatsapp", "to": TO, "type": "interactive",
          "interactive": {"type": INVENTED, "header": {"type": "image", "image": {}}}},
         "$.interactive.header.image: needs a link or an id"),
        ({"messaging_product": "whatsapp", "to": "12", "type": INVENTED}, "$.to: must be a phone number of 8-15 "
         "digits (+, spaces, dashes and brackets allowed), not '12'"),
        ({"messaging_product": "whatsapp", "to": TO, "type": "template", "template": {
            "name": "x", "language": {"code": "en"}, "components": [{"type": INVENTED, "parameters": [
                {"type": "coupon_code", "coupon_code": "X" * 16}]}]}},
         "$.template.components[0].parameters[0].coupon_code: is 16 characters, more than the limit of 15"),
    ],
    ids=["text in an invented message", "body of an invented interactive", "header of an invented interactive",
         "recipient of an invented message", "parameter in an invented component"],
)  # fmt: skip
def test_the_known_parts_of_an_invented_kind_are_still_checked(
    body: dict[str, Any], problem: str, served: sandbox.RunningSandbox
) -> None:
    assert problems(body) == [problem]
    with pytest.raises(ValidationError) as refused:
        client("sync", served).call("send", body)
    assert str(refused.value.problems[0]) == problem


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_strict_refuses_the_invented_type_before_sending(kind: str, served: sandbox.RunningSandbox) -> None:
    served.sandbox.clear()
    with pytest.raises(ValidationError) as refused:
        client(kind, served, validate="strict").call("send", invented(hologram={}))
    assert str(refused.value.problems[0]).startswith("$.type: must be one of 'text', ")
    assert served.received() == []


def test_the_sandbox_takes_an_invented_type_unless_started_strict(
    served: sandbox.RunningSandbox, served_strict: sandbox.RunningSandbox
) -> None:
    import httpx

    body = invented(hologram={})
    taken = httpx.post(f"{served.base_url}/messages", json=body, headers={"D360-API-KEY": KEY})
    refused = httpx.post(f"{served_strict.base_url}/messages", json=body, headers={"D360-API-KEY": KEY})
    assert taken.status_code == 200, taken.text
    assert refused.status_code == 400 and "$.type: must be one of" in refused.json()["error"]


def test_validate_takes_true_false_or_strict_and_names_anything_else() -> None:
    with d360.Client(KEY, validate="strict") as strict_client:
        assert strict_client.with_options(validate=True)._config.validate is True
    with pytest.raises(ConfigurationError, match="validate must be True, False or 'strict', not 'loose'"):
        d360.Client(KEY, validate="loose")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="validate must be"):
        ClientConfig.resolve(api_key=KEY, base_url=None, timeout=1.0, max_retries=0, retry_ambiguous=False,
                             validate=1, allow_insecure_http=False)  # type: ignore[arg-type]  # fmt: skip


def test_d360_validate_takes_an_invented_type_and_refuses_it_with_strict(tmp_path: Any) -> None:
    message = tmp_path / "message.json"
    message.write_text(json.dumps(invented(hologram={})))
    taken = run_d360("validate", str(message))
    refused = run_d360("validate", "--strict", str(message))
    assert taken.returncode == 0, taken.stderr
    assert f"'{INVENTED}', a value d360 does not know yet" in taken.stderr
    assert refused.returncode == 2 and "$.type: must be one of" in refused.stdout


# Status bodies through send.

RECEIPT = {"messaging_product": "whatsapp", "status": "read", "message_id": "wamid.HBgLMTIzNDU2"}


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("typing", [False, True])
def test_a_status_body_goes_through_send_as_mark_as_read_sends_it(
    kind: str, typing: bool, served: sandbox.RunningSandbox
) -> None:
    body = {**RECEIPT, "typing_indicator": {"type": "text"}} if typing else dict(RECEIPT)
    validate_message(body)
    served.sandbox.clear()
    result = client(kind, served).call("send", body)
    assert result.message_id == RECEIPT["message_id"] and result.raw == {"success": True}
    assert list(served.sandbox.read_receipts) == [RECEIPT["message_id"]]
    assert list(served.sandbox.typing_indicators) == ([RECEIPT["message_id"]] if typing else [])
    assert served.received() == []  # a status, not a message


def test_a_status_body_is_checked_with_mark_as_reads_rules(served: sandbox.RunningSandbox) -> None:
    assert problems({"messaging_product": "whatsapp", "status": "read"}) == ["$.message_id: is required"]
    assert problems({**RECEIPT, "typing_indicator": {}}) == ["$.typing_indicator.type: is required"]
    with pytest.raises(ValidationError):
        client("sync", served).call("send", {"messaging_product": "whatsapp", "status": "read"})


# The property: d360 never refuses what the effective spec takes, nor a body for a new kind alone.

VALID = {name: body for name, body in CORPUS.items() if "null" not in name}


def _places(body: Any, path: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
    """The path of every `type` and `sub_type` in a body."""
    if isinstance(body, dict):
        for key, value in body.items():
            if key in ("type", "sub_type") and isinstance(value, str):
                yield (*path, key)
            yield from _places(value, (*path, key))
    elif isinstance(body, list):
        for index, item in enumerate(body):
            yield from _places(item, (*path, index))


PLACES = [(name, place) for name, body in VALID.items() for place in _places(body, ())]


def _set(body: Any, path: tuple[Any, ...], value: Any) -> None:
    for step in path[:-1]:
        body = body[step]
    body[path[-1]] = value


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(place=st.sampled_from(PLACES), new=st.from_regex(r"future_[a-z_]{1,20}", fullmatch=True))
def test_no_body_is_refused_for_a_new_kind_alone(place: tuple[str, tuple[Any, ...]], new: str) -> None:
    name, path = place
    body = copy.deepcopy(VALID[name])
    _set(body, path, new)
    assert problems(body) == [], (name, path)
    # Strict refuses it for that value where the spec lists the values (not a contact phone's free `type`), and
    # for nothing else.
    where = "$" + "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path)
    for refusal in message_problems(body, strict=True):
        assert refusal.path == where and refusal.message.endswith(f"not {new!r}"), refusal


MUTATIONS = st.sampled_from(["upper", "null", "drop", "long", "number"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(VALID)), mutation=MUTATIONS, data=st.data())
def test_no_body_d360_refuses_is_taken_by_the_effective_spec(name: str, mutation: str, data: st.DataObject) -> None:
    body = with_cloud_api_defaults(copy.deepcopy(VALID[name]))
    leaves = list(_leaves(body, ()))
    path, value = data.draw(st.sampled_from(leaves))
    if mutation == "upper" and isinstance(value, str):
        _set(body, path, value.upper())
    elif mutation == "null":
        _set(body, path, None)
    elif mutation == "drop":
        parent = body
        for step in path[:-1]:
            parent = parent[step]
        parent.pop(path[-1])
    elif mutation == "long" and isinstance(value, str):
        _set(body, path, value * 5000)
    elif mutation == "number":
        _set(body, path, 12345)
    hand_limits = limit_problems(body)  # upstream's documented rules no schema here says (a recipient, unique titles)
    for strict in (False, True):
        if [problem for problem in message_problems(body, strict=strict) if problem not in hand_limits]:
            assert not schema_validator().is_valid(body), (name, mutation, path, strict)


def _leaves(body: Any, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(body, dict):
        for key, value in body.items():
            yield from (
                _leaves(value, (*path, key)) if isinstance(value, dict | list) and value else [((*path, key), value)]
            )
    elif isinstance(body, list):
        for index, item in enumerate(body):
            yield from (
                _leaves(item, (*path, index)) if isinstance(item, dict | list) and item else [((*path, index), item)]
            )


@pytest.mark.parametrize(
    "body",
    [
        invented(hologram={"depth": 3}),
        {"messaging_product": "whatsapp", "to": TO, "type": "template", "template": {
            "name": "hello", "language": {"code": "en"},
            "components": [{"type": "Body", "parameters": [{"type": "Text", "text": "Anna"}]},
                           {"type": INVENTED, "sub_type": "Quick_Reply", "index": 0}]}},
        {"messaging_product": "whatsapp", "to": TO, "type": "interactive",
         "interactive": {"type": INVENTED, "body": {"text": "Hi"}, "action": {"name": INVENTED}}},
    ],
    ids=["an invented message type", "mixed-case and invented template kinds", "an invented interactive type"],
)  # fmt: skip
def test_the_generated_models_read_new_and_mixed_case_kinds_and_give_them_back_as_sent(body: dict[str, Any]) -> None:
    assert Message.from_dict(copy.deepcopy(body)).to_dict() == body


# Found by review: each a regression test.


def test_the_sandbox_answers_a_null_to_with_a_recipient_as_a_user_id(served: sandbox.RunningSandbox) -> None:
    import httpx

    body = {"messaging_product": "whatsapp", "recipient": "US.1349", "to": None, "text": {"body": "hi"}}
    answer = httpx.post(f"{served.base_url}/messages", json=body, headers={"D360-API-KEY": KEY})
    assert answer.status_code == 200, answer.text
    assert answer.json()["contacts"] == [{"input": "US.1349", "user_id": "US.1349"}]


def test_the_sandbox_never_answers_500_for_an_empty_group_id(served: sandbox.RunningSandbox) -> None:
    import httpx

    body = {"messaging_product": "whatsapp", "recipient_type": "group", "to": "", "type": "text", "text": {"body": "a"}}
    answer = httpx.post(f"{served.base_url}/messages", json=body, headers={"D360-API-KEY": KEY})
    assert answer.status_code in (200, 400), answer.text


def test_a_status_body_the_checker_cannot_take_as_json_is_a_problem_not_a_crash() -> None:
    assert problems({**RECEIPT, 1: 2}) == ["$: cannot be checked as JSON: Dict key must be str or str enum. Got 'int'"]


@pytest.mark.parametrize(
    "body, expected",
    [
        ({**RECEIPT, "message_id": ""}, ["$.message_id: must not be empty"]),
        ({**RECEIPT, "typing_indicator": None}, []),
        ({**RECEIPT, "to": None}, []),
        ({**RECEIPT, "typing_indicator": {"type": "audio"}}, []),
    ],
    ids=["empty message id", "null typing indicator", "null to", "a typing indicator type d360 does not know"],
)
def test_status_bodies_follow_the_same_rules_as_messages(body: dict[str, Any], expected: list[str]) -> None:
    assert problems(body) == expected
    if body.get("typing_indicator"):
        assert problems(body, strict=True) == ["$.typing_indicator.type: must be one of 'text', not 'audio'"]
    if "typing_indicator" in body and body["typing_indicator"] is None:
        assert problems(body, strict=True) == ["$.typing_indicator: must be object, not null"]


def test_a_known_kind_in_another_case_is_read_as_that_kind_and_checked_in_full(
    caplog: pytest.LogCaptureFixture,
) -> None:
    import d360.validation

    d360.validation._warned.clear()
    buttons = [{"type": "reply", "reply": {"id": "a", "title": "Same"}}] * 4
    body = {"messaging_product": "whatsapp", "to": TO, "type": "Interactive",
            "interactive": {"type": "BUTTON", "body": {"text": "Pick"}, "action": {"buttons": buttons}}}  # fmt: skip
    with caplog.at_level(logging.WARNING, logger="d360.validation"):
        found = problems(body)
    assert found[0] == "$.interactive.action.buttons: needs 1-3 reply buttons, not 4"
    assert "$.interactive.action.buttons[1].reply.id: repeats the id of button 0" in found
    said = " ".join(record.getMessage() for record in caplog.records)
    assert "$.interactive.type is 'BUTTON', read as 'button'" in said and "$.type is 'Interactive', read as" in said
    assert body["interactive"]["type"] == "BUTTON"  # read, never changed
    assert {problem.split(":")[0] for problem in problems(body, strict=True)} >= {"$.interactive.type", "$.type"}


def test_a_new_value_is_remembered_by_its_first_characters_only() -> None:
    import d360.validation

    d360.validation._warned.clear()
    assert problems(invented(text={"body": "a"}) | {"type": "x" * 100_000}) == []
    assert all(len(value) <= d360.validation.LONG_VALUE for _, value in d360.validation._warned)


def test_template_check_compares_parameter_types_without_regard_to_case(served: sandbox.RunningSandbox) -> None:
    served.sandbox.clear()
    body = {
        "messaging_product": "whatsapp",
        "to": TO,
        "type": "template",
        "template": {
            "name": "order_update",
            "language": {"code": "en"},
            "components": [
                {"type": "HEADER", "parameters": [{"type": "IMAGE", "image": {"link": "https://example.com/a.jpg"}}]},
                {
                    "type": "Body",
                    "parameters": [
                        {"type": "TEXT", "text": "Anna"},
                        {"type": "Text", "text": "EUR 1"},
                        {"type": "text", "text": "May 4"},
                    ],
                },
                {"type": "BUTTON", "sub_type": "URL", "index": 0, "parameters": [{"type": "TEXT", "text": "8812"}]},
            ],
        },
    }
    client("sync", served, template_check=True).call("send", copy.deepcopy(body))
    assert served.received()[0].body == with_cloud_api_defaults(body)


def test_send_many_takes_a_status_body_and_bulk_refuses_one(served: sandbox.RunningSandbox, tmp_path: Any) -> None:
    import asyncio

    from d360.bulk.input import BulkInput

    async def run() -> list[Any]:
        async with d360.AsyncClient(KEY, base_url=served.base_url) as async_client:
            return [outcome async for outcome in async_client.send_many([RECEIPT, CORPUS["text"]])]

    outcomes = sorted(asyncio.run(run()), key=lambda outcome: outcome.index)
    assert [outcome.error for outcome in outcomes] == [None, None]
    assert outcomes[0].result is not None and outcomes[0].result.message_id == RECEIPT["message_id"]
    lines = tmp_path / "lines.jsonl"
    lines.write_text(json.dumps(RECEIPT) + "\n")
    [line] = list(BulkInput(lines).lines())
    assert line.problems == ("$: is a status body (a read receipt), not a message; send it with mark_as_read",)
