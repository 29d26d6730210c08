"""The change report: every kind of change listed, each judged BREAKING or compatible for a client."""

from __future__ import annotations

import copy

from hypothesis import given
from hypothesis import strategies as st

from d360.spec.diff import diff_specs
from tests.spec_versions import spec_1_45_0, vendored_spec


def lines_of(old: dict, new: dict) -> list[str]:  # type: ignore[type-arg]
    return [str(change) for change in diff_specs(old, new).changes]


def test_same_spec_has_no_changes() -> None:
    report = diff_specs(vendored_spec(), vendored_spec())
    assert report.changes == ()
    assert report.summary() == "spec 1.44.0 -> 1.44.0: 0 changes, 0 BREAKING"


def test_version_bump_lists_every_change_with_the_right_verdict() -> None:
    report = diff_specs(vendored_spec(), spec_1_45_0())
    assert [str(change) for change in report.changes] == [
        "BREAKING   messages.LanguageObject: required property 'policy' added (request)",
        "compatible messages.Message: optional property 'biz_opaque_callback_data' added (request)",
        'BREAKING   messages.ResponseMessage.message_status: enum value "failed" added (response)',
        "BREAKING   messages.TextMessage: property 'preview_url' removed (request)",
    ]
    assert report.summary() == "spec 1.44.0 -> 1.45.0: 4 changes, 3 BREAKING"


def test_new_enum_value_in_a_request_schema_is_compatible() -> None:
    new = vendored_spec()
    new["components"]["schemas"]["messages.Message"]["properties"]["type"]["enum"].append("order_details")
    assert lines_of(vendored_spec(), new) == [
        'compatible messages.Message.type: enum value "order_details" added (request)'
    ]


def test_removed_enum_value_breaks_request_senders_but_not_response_readers() -> None:
    new = vendored_spec()
    schemas = new["components"]["schemas"]
    schemas["messages.Message"]["properties"]["type"]["enum"].remove("sticker")
    schemas["messages.ResponseMessage"]["properties"]["message_status"]["enum"].remove("paused")
    assert lines_of(vendored_spec(), new) == [
        'BREAKING   messages.Message.type: enum value "sticker" removed (request)',
        'compatible messages.ResponseMessage.message_status: enum value "paused" removed (response)',
    ]


def test_removed_response_property_and_type_change_are_breaking() -> None:
    new = vendored_spec()
    schemas = new["components"]["schemas"]
    del schemas["messages.ResponseContact"]["properties"]["wa_id"]
    schemas["messages.LocationMessage"]["properties"]["latitude"] = {"type": "string"}
    assert lines_of(vendored_spec(), new) == [
        "BREAKING   messages.LocationMessage.latitude: type changed from number to string (request)",
        "BREAKING   messages.ResponseContact: property 'wa_id' removed (response)",
    ]


def test_required_changes_are_judged_by_direction() -> None:
    new = vendored_spec()
    schemas = new["components"]["schemas"]
    schemas["messages.TextMessage"]["required"] = ["body"]
    schemas["messages.MessageResponsePayload"]["required"] = ["messages"]
    old = copy.deepcopy(new)
    del old["components"]["schemas"]["messages.MessageResponsePayload"]["required"]
    del old["components"]["schemas"]["messages.TextMessage"]["required"]
    assert lines_of(vendored_spec(), new) == [
        "compatible messages.MessageResponsePayload: property 'messages' became required (response)",
        "BREAKING   messages.TextMessage: property 'body' became required (request)",
    ]
    assert lines_of(new, old) == [
        "BREAKING   messages.MessageResponsePayload: property 'messages' became optional (response)",
        "compatible messages.TextMessage: property 'body' became optional (request)",
    ]


def test_schemas_and_operations_added_and_removed() -> None:
    new = vendored_spec()
    new["components"]["schemas"]["messages.Order"] = {"type": "object"}
    del new["components"]["schemas"]["utils.ErrorResp"]
    for response in new["paths"]["/messages"]["post"]["responses"].values():
        response.pop("content", None)
    new["paths"]["/media"] = {"post": {"responses": {"200": {"description": "ok"}}}}
    lines = lines_of(vendored_spec(), new)
    assert "compatible POST /media: operation added" in lines
    assert "compatible messages.Order: schema added" in lines
    assert "BREAKING   utils.ErrorResp: schema removed (response)" in lines
    assert "BREAKING   POST /messages: response 400 schema changed" in lines
    removed = vendored_spec()
    del removed["paths"]["/messages"]
    assert "BREAKING   POST /messages: operation removed" in lines_of(vendored_spec(), removed)


def test_parameters_added_and_removed() -> None:
    new = vendored_spec()
    new["paths"]["/messages"]["post"]["parameters"] = [
        {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
        {"name": "channel", "in": "query", "required": True, "schema": {"type": "string"}},
    ]
    assert lines_of(vendored_spec(), new) == [
        "compatible POST /messages: optional header parameter 'X-Trace' added (request)",
        "BREAKING   POST /messages: required query parameter 'channel' added (request)",
    ]
    assert (
        lines_of(new, vendored_spec())[0] == "BREAKING   POST /messages: header parameter 'X-Trace' removed (request)"
    )


def test_markdown_report_marks_breaking_changes() -> None:
    markdown = diff_specs(vendored_spec(), spec_1_45_0()).to_markdown()
    assert markdown.startswith("Spec update 1.44.0 -> 1.45.0, `d360_api` regenerated: 4 changes, 3 BREAKING.")
    assert "- **BREAKING** `messages.TextMessage`: property 'preview_url' removed (request)" in markdown
    assert "- compatible `messages.Message`: optional property 'biz_opaque_callback_data' added (request)" in markdown


# Both specs are untrusted: any JSON at all is compared without an exception, and printed safely.

KEYS = ["paths", "components", "schemas", "properties", "required", "enum", "items", "$ref", "type", "get", "post",
        "parameters", "responses", "requestBody", "info", "version", "name", "in", "200", "x\x1b[2J"]  # fmt: skip
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(KEYS), children, max_size=5),
    max_leaves=40,
)


@given(old=json_values, new=json_values)
def test_any_json_is_compared_without_an_exception(old: object, new: object) -> None:
    old_spec = old if isinstance(old, dict) else {"paths": old}
    new_spec = new if isinstance(new, dict) else {"components": {"schemas": {"x": new}}}
    report = diff_specs(old_spec, new_spec)
    assert all(line.isprintable() for line in report.to_text().splitlines())
    report.to_markdown()


def test_the_markdown_report_cannot_open_html_links_or_code_spans() -> None:
    new = vendored_spec()
    properties = new["components"]["schemas"]["messages.TextMessage"]["properties"]
    properties["<img src=x onerror=alert(1)>"] = {"type": "string"}
    properties["[click](javascript:alert(1))"] = {"type": "string"}
    new["components"]["schemas"]["evil`` <script>"] = {"type": "object"}
    markdown = diff_specs(vendored_spec(), new).to_markdown()
    assert "'<img" not in markdown and "'[click]" not in markdown  # escaped, so no HTML and no link
    assert "optional property '\\<img src=x onerror=alert(1)\\>' added" in markdown
    assert "optional property '\\[click\\](javascript:alert(1))' added" in markdown
    assert "- compatible ```evil`` <script>```: schema added" in markdown
