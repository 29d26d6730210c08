"""Schemathesis, from the vendored spec, against the sandbox over real HTTP, with all its default checks.

Positive and negative generation both run, so `negative_data_rejection` and `positive_data_acceptance`
hold the sandbox to exactly the spec, and `response_schema_conformance` holds its answers to it.
"""

from __future__ import annotations

import schemathesis
from hypothesis import settings

from d360.sandbox import RunningSandbox
from tests.conftest import VENDORED_SPEC
from tests.contract.conftest import CONTRACT_KEY

schema = schemathesis.openapi.from_path(
    VENDORED_SPEC,
    config=schemathesis.Config.from_dict({
        "generation": {"mode": "all", "max-examples": settings().max_examples},
        "auth": {"openapi": {"D360-API-KEY": {"api_key": CONTRACT_KEY}}},
    }),
)  # fmt: skip


@schema.parametrize()
def test_sandbox_honours_the_spec(case: schemathesis.Case, running_sandbox: RunningSandbox) -> None:
    case.call_and_validate(base_url=running_sandbox.base_url)
