"""The generated d360_api client, unmodified, sends a message over real HTTP with the D360-API-KEY header."""

from __future__ import annotations

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
