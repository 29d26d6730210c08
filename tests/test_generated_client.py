"""The generated d360_api client, unmodified, sends a message over real HTTP with the D360-API-KEY header."""

from __future__ import annotations

from typing import Any

import d360_api
from d360_api import AuthenticatedClient
from d360_api.api.messages import send_message
from d360_api.models import Message, MessageRecipientType, MessageResponsePayload, MessageType, TextMessage

from tests.scripted_server import ScriptedServer, ok_reply


def test_generated_client_sends_a_text_message(server: ScriptedServer) -> None:
    server.script(ok_reply(to="4915112345678", message_id="wamid.GEN1"))
    client = AuthenticatedClient(base_url=server.base_url, token="test-key", prefix="", auth_header_name="D360-API-KEY")
    message = Message(
        messaging_product="whatsapp",
        recipient_type=MessageRecipientType.INDIVIDUAL,
        to="4915112345678",
        type_=MessageType.TEXT,
        text=TextMessage(body="Hello"),
    )

    response = send_message.sync_detailed(client=client, body=message)

    assert response.status_code == 200
    assert isinstance(response.parsed, MessageResponsePayload)
    assert response.parsed.messages[0].id == "wamid.GEN1"
    [received] = server.requests
    assert (received.method, received.path) == ("POST", "/messages")
    assert received.headers["D360-API-KEY"] == "test-key"
    assert received.json() == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "4915112345678",
        "type": "text",
        "text": {"body": "Hello"},
    }


def test_generated_package_knows_its_spec_version() -> None:
    assert d360_api.SPEC_VERSION == "1.44.0"


def test_the_generated_client_has_the_template_endpoints() -> None:
    """Each template operation, unmodified generated code, over real HTTP: the method, path, query and body."""
    import json

    from d360_api.api.templates import create_template, delete_template, get_template_library, list_templates
    from d360_api.models import CreateTemplate, GetMessageTemplateLibraryResponse, Template, TemplateList

    from d360.contract.corpus import TEMPLATE_DEFINITIONS, TEMPLATE_LIBRARY_ANSWER, TEMPLATE_LIST_ANSWER
    from tests.servers import serving_wsgi

    definition = TEMPLATE_DEFINITIONS["coupon code"]
    answers = {
        "GET /v1/configs/templates": TEMPLATE_LIST_ANSWER,
        "POST /v1/configs/templates": {**definition, "id": "1473688840035974", "status": "PENDING"},
        "DELETE /v1/configs/templates/coupon_code_fall2023_25off": {"success": True},
        "GET /message_template_library": TEMPLATE_LIBRARY_ANSWER,
    }
    received: list[tuple[str, str, str, str, bytes]] = []

    def upstream(environ: dict, start_response: Any) -> list[bytes]:  # type: ignore[type-arg]
        path = environ["PATH_INFO"]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        received.append((environ["REQUEST_METHOD"], path, environ.get("QUERY_STRING", ""),
                         environ.get("HTTP_D360_API_KEY", ""), body))  # fmt: skip
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps(answers[f"{environ['REQUEST_METHOD']} {path}"]).encode()]

    with serving_wsgi(upstream) as base_url:
        client = AuthenticatedClient(base_url=base_url, token="test-key")
        listed = list_templates.sync(
            client=client, limit=1, offset=0, sort="business_templates.name",
            filters='{"business_templates.name": "order_confirmation"}',
        )  # fmt: skip
        created = create_template.sync(client=client, body=CreateTemplate.from_dict(definition))
        deleted = delete_template.sync(client=client, template_name="coupon_code_fall2023_25off")
        library = get_template_library.sync(client=client, topic="ORDER_MANAGEMENT", language="en_US", limit=10)

    assert isinstance(listed, TemplateList) and listed.waba_templates[0].name == "order_confirmation"
    assert isinstance(created, Template) and created.status == "PENDING" and created.id == "1473688840035974"
    assert deleted is not None and deleted.success is True
    assert isinstance(library, GetMessageTemplateLibraryResponse) and library.data[0].name == "delivery_update_1"
    assert [(method, path, query) for method, path, query, _, _ in received] == [
        ("GET", "/v1/configs/templates", "limit=1&offset=0&sort=business_templates.name"
                "&filters=%7B%22business_templates.name%22%3A+%22order_confirmation%22%7D"),
        ("POST", "/v1/configs/templates", ""),
        ("DELETE", "/v1/configs/templates/coupon_code_fall2023_25off", ""),
        ("GET", "/message_template_library", "topic=ORDER_MANAGEMENT&language=en_US&limit=10"),
    ]  # fmt: skip
    assert json.loads(received[1][4]) == definition
    assert {key for _, _, _, key, _ in received} == {"test-key"}
    # A name is one path segment, whatever it holds.
    assert delete_template._get_kwargs("a b/c")["url"] == "/v1/configs/templates/a%20b%2Fc"


def test_every_generated_module_imports() -> None:
    # openapi-python-client 0.29.1 once wrote a module that could not be imported (an operation with two request
    # content types: NameError on Unset); the overlay now avoids that shape, and this catches the next one.
    import importlib
    import pkgutil

    modules = [found.name for found in pkgutil.walk_packages(d360_api.__path__, "d360_api.")]
    assert "d360_api.api.groups.update_group_settings" in modules
    for name in modules:
        importlib.import_module(name)
