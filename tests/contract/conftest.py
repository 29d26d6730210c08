"""Fixtures for the contract suite: a real sandbox on 127.0.0.1 and an independent oracle for the spec."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest

from d360 import sandbox
from tests.conftest import VENDORED_SPEC

CONTRACT_KEY = "contract-key"


@pytest.fixture(scope="session")
def running_sandbox() -> Iterator[sandbox.RunningSandbox]:
    with sandbox.running(api_keys=[CONTRACT_KEY]) as served:
        yield served


@pytest.fixture
def fresh_sandbox(running_sandbox: sandbox.RunningSandbox) -> sandbox.RunningSandbox:
    running_sandbox.sandbox.clear()
    return running_sandbox


def spec_oracle() -> jsonschema.protocols.Validator:
    """The request schema checked by the jsonschema library: an opinion independent of d360's own checker."""
    spec = json.loads(VENDORED_SPEC.read_text(encoding="utf-8"))
    schema: dict[str, Any] = {**spec["paths"]["/messages"]["post"]["requestBody"]["content"]["application/json"]["schema"],
                              "components": spec["components"]}  # fmt: skip
    return jsonschema.Draft202012Validator(schema)
