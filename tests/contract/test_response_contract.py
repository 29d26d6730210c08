"""Responses against the client: bodies generated from the spec's 200, 400, 401 and 500 schemas, and the
shapes upstream really sends, served over real HTTP. Each must parse or raise the right typed error."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import d360
from d360.responses import THROTTLING_CODES, THROTTLING_MESSAGE
from tests.conftest import VENDORED_SPEC
from tests.scripted_server import Reply, ScriptedServer, scripted_server

SPEC = json.loads(VENDORED_SPEC.read_text(encoding="utf-8"))
RESPONSES = SPEC["paths"]["/messages"]["post"]["responses"]
JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
ANY_JSON = st.recursive(JSON_SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.text(max_size=8), inner, max_size=3), max_leaves=10)  # fmt: skip
STATUS_ERRORS = {400: d360.BadRequestError, 401: d360.AuthenticationError, 500: d360.ServerError}


def from_schema(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values valid for a schema of the spec (the subset response schemas use), optional properties included or not."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return st.deferred(lambda: from_schema(SPEC["components"]["schemas"][name]))
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        required = set(schema.get("required", []))
        properties = {name: from_schema(sub) for name, sub in schema.get("properties", {}).items()}
        return st.fixed_dictionaries(
            {name: value for name, value in properties.items() if name in required},
            optional={name: value for name, value in properties.items() if name not in required},
        )
    if kind == "array":
        return st.lists(from_schema(schema.get("items", {})), max_size=3)
    return {"string": st.text(max_size=30), "integer": st.integers(), "number": st.floats(allow_nan=False),
            "boolean": st.booleans()}.get(kind, ANY_JSON)  # fmt: skip


def response_schema(status: str) -> dict[str, Any]:
    return dict(RESPONSES[status]["content"]["application/json"]["schema"])


META_GRAPH_ERRORS = st.fixed_dictionaries({"error": st.fixed_dictionaries(
    {"message": st.text(max_size=40), "code": st.sampled_from([100, 131009, 131026, 130429, 131056, 80007, 4, 368])},
    optional={"type": st.just("OAuthException"), "error_subcode": st.integers(0, 3_000_000),
              "error_data": st.fixed_dictionaries({"details": st.text(max_size=30)}),
              "fbtrace_id": st.text(min_size=1, max_size=12)},
)})  # fmt: skip
DIALOG_META_ERRORS = st.fixed_dictionaries({"meta": st.fixed_dictionaries(
    {"developerMessage": st.text(max_size=40)}, optional={"httpCode": st.integers(400, 599), "success": st.just(False)}
)})  # fmt: skip
DETAIL_ERRORS = st.builds(lambda inner: {"detail": inner}, META_GRAPH_ERRORS)


@pytest.fixture(scope="module")
def server() -> Any:
    with scripted_server() as running:
        yield running


def outcome(server: ScriptedServer, reply: Reply) -> Any:
    server.script(reply)
    with d360.Client(api_key="k", base_url=server.base_url, max_retries=0) as client:
        try:
            return client.send_text("4915112345678", "Hi")
        except d360.D360Error as error:
            return error
        # Anything else (KeyError, JSONDecodeError, ValueError, TypeError...) escapes and fails the test.


FIXTURE_SETTINGS = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


@FIXTURE_SETTINGS
@given(body=from_schema(response_schema("200")))
def test_spec_200_bodies_parse_or_raise_unexpected_response(server: ScriptedServer, body: Any) -> None:
    result = outcome(server, Reply(200, body))
    messages = body.get("messages") or []
    first_id = messages[0].get("id") if messages else None
    if isinstance(first_id, str) and first_id:
        assert isinstance(result, d360.SendResult)
        assert result.message_id == first_id
        assert result.status == messages[0].get("message_status")
    else:
        assert isinstance(result, d360.UnexpectedResponseError)
        assert result.maybe_delivered is True


@FIXTURE_SETTINGS
@given(status=st.sampled_from([400, 401, 500]), data=st.data())
def test_spec_error_bodies_raise_the_typed_error_of_their_status(
    server: ScriptedServer, status: int, data: Any
) -> None:
    body = data.draw(from_schema(response_schema(str(status))))
    error = outcome(server, Reply(status, body))
    message = body.get("error")
    throttled = status == 400 and isinstance(message, str) and THROTTLING_MESSAGE.search(message)
    assert type(error) is (d360.RateLimitError if throttled else STATUS_ERRORS[status])
    assert error.status_code == status
    if isinstance(message, str):
        assert error.message == message


@FIXTURE_SETTINGS
@given(status=st.sampled_from([400, 401, 403, 404, 429, 500, 502, 503]),
       body=META_GRAPH_ERRORS | DIALOG_META_ERRORS | DETAIL_ERRORS)  # fmt: skip
def test_upstreams_real_error_shapes_raise_typed_errors(server: ScriptedServer, status: int, body: Any) -> None:
    error = outcome(server, Reply(status, body))
    assert isinstance(error, d360.APIStatusError)
    assert error.status_code == status
    inner = body.get("detail", body)
    code = inner["error"]["code"] if "error" in inner else None
    if status == 429 or (status < 500 and (code in THROTTLING_CODES or THROTTLING_MESSAGE.search(error.message))):
        assert isinstance(error, d360.RateLimitError)
    if "error" in inner:
        assert error.code == code
        assert error.message.startswith(inner["error"]["message"])


@FIXTURE_SETTINGS
@given(status=st.sampled_from([200, 201, 400, 401, 403, 404, 409, 429, 500, 502, 503, 504]),
       body=ANY_JSON.map(json.dumps).map(str.encode) | st.binary(max_size=40))  # fmt: skip
def test_any_body_at_any_status_gives_a_result_or_a_d360_error(
    server: ScriptedServer, status: int, body: bytes
) -> None:
    result = outcome(server, Reply(status, body, {"Content-Type": "application/octet-stream"}))
    assert isinstance(result, d360.SendResult | d360.D360Error)
    if status >= 300:
        assert isinstance(result, d360.APIStatusError)
