"""Fixtures for the contract suite: a real sandbox on 127.0.0.1 and an independent oracle for the spec."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest

from d360 import sandbox
from d360.contract import SANDBOX_MEDIA_ROOM
from d360.spec.overlay import apply_overlay, load_overlay
from tests.conftest import EFFECTIVE_SPEC, OVERLAY, VENDORED_SPEC

CONTRACT_KEY = "contract-key"


@pytest.fixture(scope="session")
def running_sandbox() -> Iterator[sandbox.RunningSandbox]:
    # Template messages of any name: the contract is the spec's, not an account's templates.
    # Strict: the contract is the effective spec itself, so what it refuses the sandbox must refuse.
    with sandbox.running(
        api_keys=[CONTRACT_KEY], template_check=False, strict=True, media_keep_bytes=SANDBOX_MEDIA_ROOM
    ) as served:
        yield served


@pytest.fixture
def fresh_sandbox(running_sandbox: sandbox.RunningSandbox) -> sandbox.RunningSandbox:
    running_sandbox.sandbox.clear()
    return running_sandbox


def spec_oracle() -> jsonschema.protocols.Validator:
    """The effective spec's Message schema checked by the jsonschema library: an opinion independent of
    d360's own (jsonschema-rs)."""
    spec = json.loads(EFFECTIVE_SPEC.read_text(encoding="utf-8"))
    schema: dict[str, Any] = {"$ref": "#/components/schemas/messages.Message", "components": spec["components"]}
    return jsonschema.Draft202012Validator(schema)


def raw_spec_with_limits() -> dict[str, Any]:
    """Upstream's spec as published, with only the overlay's limits: what upstream documents, within the
    limits it documents. The effective spec must take all of it."""
    raw = json.loads(VENDORED_SPEC.read_text(encoding="utf-8"))
    return apply_overlay(raw, load_overlay(OVERLAY).only("limit"))
