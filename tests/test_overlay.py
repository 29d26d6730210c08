"""The overlay and what it makes: the effective spec takes what the live API takes, the generated client
keeps values newer than the spec and talks to 360dialog by itself, and version bumps keep the overlay honest."""

from __future__ import annotations

import copy
import enum
import importlib
import inspect
import json
import pkgutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import d360_api
import d360_api.models
import pytest
from d360_api import AuthenticatedClient
from d360_api.api.messages import send_message
from d360_api.models import Message, MessageResponsePayload, ResponseMessageMessageStatus

import d360
from d360 import sandbox
from d360.contract.corpus import CORPUS, TEMPLATE_DEFINITIONS, TEMPLATE_LIBRARY_ANSWER, TEMPLATE_LIST_ANSWER
from d360.messages import with_cloud_api_defaults
from d360.spec.overlay import OverlayError, apply_overlay, check_overlay, load_overlay, parse_overlay
from d360.validation import message_problems, schema_problems
from tests.conftest import EFFECTIVE_SPEC, OVERLAY, VENDORED_SPEC
from tests.scripted_server import ScriptedServer, ok_reply
from tests.spec_versions import spec_1_45_0_catching_up, spec_1_45_0_without_interactive, vendored_spec
from tests.test_cli import D360
from tests.test_regen import regen, snapshot

KEY = "overlay-key"


# The corpus: Cloud API shapes pass validation, reach the sandbox as sent, and survive the models.


@pytest.fixture(scope="module")
def served() -> Any:
    # The corpus's template messages use one name in many shapes: the spec's contract, not one template's.
    with sandbox.running(api_keys=[KEY], template_check=False) as running:
        yield running


@pytest.mark.parametrize("name", list(CORPUS))
def test_cloud_api_shapes_pass_validation(name: str) -> None:
    assert message_problems(with_cloud_api_defaults(CORPUS[name])) == []


@pytest.mark.parametrize("name", list(CORPUS))
def test_cloud_api_shapes_reach_the_sandbox_as_sent_with_defaults_filled(name: str, served: Any) -> None:
    served.sandbox.clear()
    body = copy.deepcopy(CORPUS[name])
    with d360.Client(api_key=KEY, base_url=served.base_url) as client:
        client.send(body)
    [received] = served.received()
    expected = {**body, "recipient_type": body.get("recipient_type", "individual")}
    if "type" not in body:
        expected["type"] = "text"
    assert received.body == expected
    assert body == CORPUS[name]  # the caller's message is not changed


@pytest.mark.parametrize("name", list(CORPUS))
def test_cloud_api_shapes_survive_the_generated_models(name: str) -> None:
    body = copy.deepcopy(CORPUS[name])
    assert Message.from_dict(body).to_dict() == CORPUS[name]


def test_the_sandbox_fills_defaults_for_a_body_sent_without_d360(served: Any) -> None:
    import httpx

    served.sandbox.clear()
    answer = httpx.post(
        f"{served.base_url}/messages",
        json={"messaging_product": "whatsapp", "to": "4915112345678", "text": {"body": "bare"}},
        headers={"D360-API-KEY": KEY},
    )
    assert answer.status_code == 200
    assert served.received()[0].body["recipient_type"] == "individual"
    assert served.received()[0].body["type"] == "text"


def test_quick_reply_payloads_need_no_validation_switch(served: Any) -> None:
    with d360.Client(api_key=KEY, base_url=served.base_url) as client:
        result = client.send_template(
            "4915112345678",
            "order_update",
            "en",
            components=[{"type": "button", "sub_type": "quick_reply", "index": "0",
                         "parameters": [{"type": "payload", "payload": "CONFIRM"}]}],
        )  # fmt: skip
    assert result.message_id.startswith("wamid.")


def test_limits_are_still_refused(served: Any) -> None:
    too_many = {**CORPUS["interactive reply buttons"]}
    too_many["interactive"] = {
        **too_many["interactive"],
        "action": {"buttons": [{"type": "reply", "reply": {"id": str(n), "title": f"B{n}"}} for n in range(4)]},
    }
    with d360.Client(api_key=KEY, base_url=served.base_url) as client, pytest.raises(d360.ValidationError) as caught:
        client.send(too_many)
    assert [str(problem) for problem in caught.value.problems] == [
        "$.interactive.action.buttons: needs 1-3 reply buttons, not 4"
    ]


# Open enums: a value newer than the spec is kept as a string; known values stay members.


def generated_enums() -> list[type[enum.Enum]]:
    found = []
    for module_info in pkgutil.iter_modules(d360_api.models.__path__):
        module = importlib.import_module(f"d360_api.models.{module_info.name}")
        found += [
            value
            for value in vars(module).values()
            if inspect.isclass(value) and issubclass(value, enum.Enum) and value.__module__ == module.__name__
        ]
    return found


@pytest.mark.parametrize("enum_class", generated_enums(), ids=lambda cls: cls.__name__)
def test_every_generated_enum_keeps_a_value_the_spec_does_not_list(enum_class: type[enum.Enum]) -> None:
    unknown = enum_class("a_value_from_the_future")
    assert isinstance(unknown, str) and unknown == "a_value_from_the_future"
    assert unknown.value == "a_value_from_the_future" and str(unknown) == "a_value_from_the_future"
    for member in enum_class:
        assert enum_class(member.value) is member  # known values are still the members themselves
    with pytest.raises(ValueError):
        enum_class(42)  # not a string: still refused


def test_a_response_status_newer_than_the_spec_parses() -> None:
    payload = {"messaging_product": "whatsapp", "contacts": [{"input": "49151", "wa_id": "49151"}],
               "messages": [{"id": "wamid.Q", "message_status": "queued"}]}  # fmt: skip
    parsed = MessageResponsePayload.from_dict(payload)
    status = parsed.messages[0].message_status
    assert status == "queued" and isinstance(status, str)
    assert parsed.to_dict() == payload
    known = MessageResponsePayload.from_dict({"messages": [{"id": "w", "message_status": "accepted"}]})
    assert known.messages[0].message_status is ResponseMessageMessageStatus.ACCEPTED


def test_a_template_parameter_newer_than_the_spec_parses() -> None:
    from d360_api.models import TemplateParameter

    parameter = TemplateParameter.from_dict({"type": "tap_target", "tap_target": {"url": "x"}})
    assert parameter.type_ == "tap_target"
    assert parameter.to_dict() == {"type": "tap_target", "tap_target": {"url": "x"}}


# The generated client talks to 360dialog by itself.


def test_the_generated_client_sends_the_key_in_the_specs_header_with_no_prefix(server: ScriptedServer) -> None:
    server.script(ok_reply(message_id="wamid.GEN"))
    client = AuthenticatedClient(token="the-key", base_url=server.base_url)
    response = send_message.sync_detailed(client=client, body=Message.from_dict(CORPUS["text"]))
    assert response.status_code == 200
    [received] = server.requests
    assert received.headers["D360-API-KEY"] == "the-key"
    assert "Authorization" not in received.headers


def test_the_generated_client_defaults_to_the_specs_server() -> None:
    spec = json.loads(EFFECTIVE_SPEC.read_text())
    assert AuthenticatedClient(token="k")._base_url == spec["servers"][0]["url"]
    assert (
        AuthenticatedClient(token="k").auth_header_name == spec["components"]["securitySchemes"]["D360-API-KEY"]["name"]
    )


def test_the_generated_client_against_the_sandbox(served: Any) -> None:
    served.sandbox.clear()
    client = AuthenticatedClient(token=KEY, base_url=served.base_url)
    response = send_message.sync(client=client, body=Message.from_dict(CORPUS["template quick reply payloads"]))
    assert isinstance(response, MessageResponsePayload)
    assert served.received()[0].body == CORPUS["template quick reply payloads"]


# The overlay document and its application.


def test_the_effective_spec_is_the_vendored_one_with_the_overlay_applied() -> None:
    raw = json.loads(VENDORED_SPEC.read_text())
    assert apply_overlay(raw, load_overlay(OVERLAY)) == json.loads(EFFECTIVE_SPEC.read_text())
    assert json.loads(VENDORED_SPEC.read_text()) == raw  # applying never changes its input


def test_every_action_names_its_source() -> None:
    for action in load_overlay(OVERLAY).actions:
        assert "https://" in action.description or "Meta's published spec" in action.description, action.target


def test_updates_merge_objects_append_to_arrays_and_removes_delete() -> None:
    overlay = parse_overlay({
        "overlay": "1.0.0", "info": {"title": "t", "version": "1"},
        "actions": [
            {"target": "$.a", "description": "s", "update": {"b": {"c": 2}, "d": [9]}},
            {"target": "$.list", "description": "s", "update": ["x", "y"]},
            {"target": "$.gone", "description": "s", "remove": True},
        ],
    })  # fmt: skip
    document = {"a": {"b": {"c": 1, "keep": True}, "d": [1]}, "list": ["x"], "gone": 1}
    assert apply_overlay(document, overlay) == {"a": {"b": {"c": 2, "keep": True}, "d": [9]}, "list": ["x", "y"]}


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"info": {"title": "t", "version": "1"}, "actions": []}, "not an OpenAPI Overlay 1.0 document"),
        ({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": [{"target": "a"}]}, "JSONPath"),
        ({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": [{"target": "$.a", "update": {}}]},
         "needs a `description` naming its source"),
        ({"overlay": "1.0.0", "info": {"title": "t", "version": "1"},
          "actions": [{"target": "$.a", "description": "s"}]}, "needs either `update` or `remove: true`"),
    ],
)  # fmt: skip
def test_a_malformed_overlay_is_refused_naming_the_action(document: dict[str, Any], message: str) -> None:
    with pytest.raises(OverlayError, match=message):
        parse_overlay(document)


def test_check_reports_redundant_actions_and_targets_gone() -> None:
    overlay = load_overlay(OVERLAY)
    current = check_overlay(vendored_spec(), overlay)
    assert current.redundant == () and current.missing == ()
    caught_up = check_overlay(spec_1_45_0_catching_up(), overlay)
    assert [action.target for action in caught_up.redundant] == [
        "$.components.schemas['messages.TemplateParameter'].properties.type.enum"
    ]
    gone = check_overlay(spec_1_45_0_without_interactive(), overlay)
    assert {action.target.split("]")[0] for action in gone.missing} == {
        "$.components.schemas['messages.InteractiveObject'"
    }


# Version bumps: redundant actions reported, a target gone fails the regeneration and changes nothing.


@pytest.fixture
def repo(tmp_path: Path, pristine_repo: Path) -> Path:
    import shutil

    shutil.copytree(pristine_repo, tmp_path / "repo")
    return tmp_path / "repo"


@pytest.fixture(scope="module")
def pristine_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.test_regen import copy_of_repo

    return copy_of_repo(tmp_path_factory.mktemp("pristine-overlay"))


def test_a_bump_that_catches_up_lists_the_redundant_action(repo: Path, tmp_path: Path) -> None:
    source = tmp_path / "1.45.0.json"
    source.write_text(json.dumps(spec_1_45_0_catching_up()))
    result = regen(repo, str(source))
    assert result.returncode == 0, result.stderr
    assert (
        "REDUNDANT    $.components.schemas['messages.TemplateParameter'].properties.type.enum: Template parameter "
        "types beyond the spec's (upstream's spec now says the same)" in result.stdout
    )
    changelog = (repo / "CHANGELOG.md").read_text()
    assert "### Overlay actions upstream made redundant" in changelog


def test_a_bump_that_removes_a_target_fails_in_one_line_and_changes_nothing(repo: Path, tmp_path: Path) -> None:
    source = tmp_path / "1.45.0.json"
    source.write_text(json.dumps(spec_1_45_0_without_interactive()))
    before = snapshot(repo)
    result = regen(repo, str(source))
    assert result.returncode == 2  # bad input: the overlay no longer fits the spec
    assert result.stderr.count("\n") == 1
    target = "$.components.schemas['messages.InteractiveObject'].properties.type.enum"
    number = [action.target for action in load_overlay(OVERLAY).actions].index(target) + 1
    assert result.stderr.startswith(
        f"regen: error: overlay action {number} targets {target}, which matches nothing in the spec"
    )
    assert snapshot(repo) == before


def test_spec_diff_shows_the_overlay_check(tmp_path: Path) -> None:
    old, new, gone = tmp_path / "old.json", tmp_path / "new.json", tmp_path / "gone.json"
    old.write_text(json.dumps(vendored_spec()))
    new.write_text(json.dumps(spec_1_45_0_catching_up()))
    gone.write_text(json.dumps(spec_1_45_0_without_interactive()))
    caught_up = subprocess.run([D360, "spec", "diff", str(old), str(new)], capture_output=True, text=True, check=False)
    assert caught_up.returncode == 0, caught_up.stderr
    assert "REDUNDANT    $.components.schemas['messages.TemplateParameter'].properties.type.enum" in caught_up.stdout
    as_json = subprocess.run([D360, "spec", "diff", str(old), str(gone), "--json"], capture_output=True, text=True,
                             check=False)  # fmt: skip
    target_gone = json.loads(as_json.stdout)["overlay"]["target_gone"]
    assert "$.components.schemas['messages.InteractiveObject'].properties.type.enum" in target_gone


def test_the_overlay_travels_with_the_generated_package() -> None:
    from importlib import resources

    bundled = resources.files("d360_api").joinpath("overlay.yaml").read_text(encoding="utf-8")
    assert bundled == OVERLAY.read_text(encoding="utf-8")
    assert sys.modules["d360_api"].SPEC_VERSION == d360_api.SPEC_VERSION


# The template endpoints: in the effective spec through the overlay, and in d360_api by regeneration.

TEMPLATE_OPERATIONS = {
    ("get", "/v1/configs/templates"): "list-templates",
    ("post", "/v1/configs/templates"): "create-template",
    ("delete", "/v1/configs/templates/{template_name}"): "delete-template",
    ("get", "/message_template_library"): "get-template-library",
}


def test_the_effective_spec_has_the_template_endpoints() -> None:
    spec = json.loads(EFFECTIVE_SPEC.read_text())
    found = {
        (method, path): operation["operationId"]
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "Templates" in operation.get("tags", [])
    }
    assert found == TEMPLATE_OPERATIONS
    list_parameters = [parameter["name"] for parameter in spec["paths"]["/v1/configs/templates"]["get"]["parameters"]]
    assert list_parameters == ["limit", "offset", "sort", "filters"]
    library = spec["paths"]["/message_template_library"]["get"]["parameters"]
    assert [parameter["name"] for parameter in library] == [
        "search", "topic", "usecase", "industry", "language", "limit", "after", "before",
    ]  # fmt: skip
    assert {"name": "Templates", "description": "Endpoints for managing WhatsApp message templates"} in spec["tags"]


@pytest.mark.parametrize("name", list(TEMPLATE_DEFINITIONS))
def test_documented_template_definitions_are_taken_and_survive_the_models(name: str) -> None:
    from d360_api.models import CreateTemplate

    definition = copy.deepcopy(TEMPLATE_DEFINITIONS[name])
    assert schema_problems(definition, "templates.CreateTemplate") == []
    assert CreateTemplate.from_dict(definition).to_dict() == TEMPLATE_DEFINITIONS[name]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda body: body.pop("components"), "$.components: is required"),
        (lambda body: body.update(name="Order Confirmation"), "$.name: 'Order Confirmation' does not match"),
        (lambda body: body.update(name="x" * 513), "$.name: is 513 characters, more than the limit of 512"),
        (lambda body: body.update(category="TRANSACTIONAL"), "$.category: must be one of 'AUTHENTICATION'"),
        (lambda body: body.pop("language"), "$.language: is required"),
        (lambda body: body["components"][0].update(type="TITLE"), "$.components[0].type: must be one of 'HEADER'"),
        (lambda body: body["components"][3]["buttons"][0].update(text="x" * 26),
         "$.components[3].buttons[0].text: is 26 characters, more than the limit of 25"),
        (lambda body: body.update(components=[]), "$.components: needs at least 1 item"),
    ],
)  # fmt: skip
def test_a_template_definition_off_the_documented_shape_is_refused(change: Any, expected: str) -> None:
    definition = copy.deepcopy(TEMPLATE_DEFINITIONS["utility with variables, examples and two kinds of button"])
    change(definition)
    problems = [str(problem) for problem in schema_problems(definition, "templates.CreateTemplate")]
    assert any(problem.startswith(expected) for problem in problems), problems


def test_a_library_template_needs_no_components_and_either_case_of_a_component_type_is_taken() -> None:
    library = TEMPLATE_DEFINITIONS["from the template library"]
    assert "components" not in library and schema_problems(library, "templates.CreateTemplate") == []
    lower = copy.deepcopy(TEMPLATE_DEFINITIONS["catalog"])
    for component in lower["components"]:
        component["type"] = component["type"].lower()
    assert schema_problems(lower, "templates.CreateTemplate") == []


def test_the_template_answers_in_their_documented_shapes_parse_and_survive_the_models() -> None:
    from d360_api.models import GetMessageTemplateLibraryResponse, TemplateList

    assert schema_problems(TEMPLATE_LIST_ANSWER, "templates.TemplateList") == []
    parsed = TemplateList.from_dict(copy.deepcopy(TEMPLATE_LIST_ANSWER))
    assert parsed.to_dict() == TEMPLATE_LIST_ANSWER
    assert parsed.waba_templates[0].quality_score == {"score": "GREEN", "date": 1714500000}  # kept as given
    library_schema = "message_templates_library.GetMessageTemplateLibraryResponse"
    assert schema_problems(TEMPLATE_LIBRARY_ANSWER, library_schema) == []
    library = GetMessageTemplateLibraryResponse.from_dict(copy.deepcopy(TEMPLATE_LIBRARY_ANSWER))
    assert library.to_dict() == TEMPLATE_LIBRARY_ANSWER
    assert library.data[0].buttons[0].url.base_url == "https://www.example.com/{{1}}"
