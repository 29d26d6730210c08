"""Schemathesis against the sandbox under upstream's spec as published, with only the overlay's limits.

Positive generation checks that the sandbox still takes all that upstream documents, within the limits
it documents: the overlay only ever widens what it extends. (The sandbox against the effective spec, all
checks, is the packaged contract suite: `d360 contract`, run in tests/test_contract_tooling.py.)
"""

from __future__ import annotations

import schemathesis
from hypothesis import settings

from d360.sandbox import RunningSandbox
from tests.contract.conftest import CONTRACT_KEY, raw_spec_with_limits

AUTH = {"openapi": {"D360-API-KEY": {"api_key": CONTRACT_KEY}}}

raw_with_limits = schemathesis.openapi.from_dict(
    raw_spec_with_limits(),
    config=schemathesis.Config.from_dict(
        {"generation": {"mode": "positive", "max-examples": settings().max_examples}, "auth": AUTH}
    ),
)


@raw_with_limits.parametrize()
def test_sandbox_takes_all_that_upstream_documents_within_its_limits(
    case: schemathesis.Case, running_sandbox: RunningSandbox
) -> None:
    case.call_and_validate(base_url=running_sandbox.base_url)
