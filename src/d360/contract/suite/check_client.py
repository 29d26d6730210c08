"""d360's clients against the target: every documented message shape round-trips, every answer parses.

Each body of `d360.contract.corpus` (the shapes Meta's Cloud API reference documents) goes through
`Client` and `AsyncClient`; the target must accept it and answer what `SendResult` reads, and a d360
sandbox must have received exactly that body, the Cloud API's defaults filled in. A body the target
must refuse comes back as d360's typed error, never as anything else.
"""

from __future__ import annotations

import asyncio
import copy
from typing import Any

import pytest

import d360
from d360.contract.corpus import CORPUS, TO
from d360.contract.guards import REQUEST_TIMEOUT
from d360.contract.suite.conftest import Target
from d360.messages import with_cloud_api_defaults

REMOTE_SHAPES = ("text", "image by link", "template quick reply payloads")
"""What a rate-limited remote target gets: three requests per client, a second apart."""


def addressed(body: dict[str, Any], target: Target, request: pytest.FixtureRequest) -> dict[str, Any]:
    """The body, sent to the number a remote target delivers to (upstream's sandbox takes only its own)."""
    if not target.remote or body.get("recipient_type") == "group":
        return copy.deepcopy(body)
    number = request.config.getoption("--d360-to")
    if not number:
        pytest.skip("a remote target needs --d360-to NUMBER (D360_SANDBOX_TO): the number its key delivers to")
    return {**copy.deepcopy(body), "to": number}


def send(kind: str, target: Target, body: Any, *, validate: bool = True) -> d360.SendResult:
    if kind == "sync":
        with d360.Client(target.api_key, base_url=target.base_url, validate=validate, max_retries=1,
                         timeout=REQUEST_TIMEOUT) as client:  # fmt: skip
            return client.send(body)

    async def run() -> d360.SendResult:
        async with d360.AsyncClient(target.api_key, base_url=target.base_url, validate=validate, max_retries=1,
                                    timeout=REQUEST_TIMEOUT) as client:  # fmt: skip
            return await client.send(body)

    return asyncio.run(run())


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("shape", list(CORPUS))
def check_every_documented_shape_round_trips(
    kind: str, shape: str, target: Target, request: pytest.FixtureRequest
) -> None:
    if target.remote and shape not in REMOTE_SHAPES:
        pytest.skip("a remote target gets a handful of requests")
    body = addressed(CORPUS[shape], target, request)
    target.forget()
    result = send(kind, target, body)
    target.pace()
    assert isinstance(result, d360.SendResult) and result.message_id, result
    recipient = body.get("to", body.get("recipient"))
    assert result.input in (None, recipient), "the answer's contacts[0].input is not the recipient that was sent"
    if target.inspectable:
        assert target.received_bodies() == [with_cloud_api_defaults(body)], "the target received another body"


@pytest.mark.parametrize("kind", ["sync", "async"])
def check_a_refused_message_is_a_typed_error(kind: str, target: Target, request: pytest.FixtureRequest) -> None:
    body = addressed({"messaging_product": "whatsapp", "recipient_type": "individual", "to": TO, "type": "text",
                      "text": {"body": ""}}, target, request)  # fmt: skip
    with pytest.raises(d360.APIStatusError) as caught:
        send(kind, target, body, validate=False)  # a 400 is never retried, so this is one request
    target.pace()
    assert caught.value.status_code == 400, caught.value
    assert isinstance(caught.value, d360.BadRequestError | d360.RateLimitError)
