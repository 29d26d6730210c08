"""Schemathesis against the sandbox over real HTTP, from two specs.

Under the effective spec (upstream's with the overlay), every default check runs in positive and
negative generation: `negative_data_rejection`, `positive_data_acceptance` and
`response_schema_conformance` hold the sandbox to exactly that spec. Under upstream's spec as published
with only the overlay's limits applied, positive generation checks that the sandbox still takes all
that upstream documents, within the limits it documents: the overlay only ever widens what it extends.
"""

from __future__ import annotations

import schemathesis
from hypothesis import settings

from d360.sandbox import RunningSandbox
from tests.conftest import EFFECTIVE_SPEC
from tests.contract.conftest import CONTRACT_KEY, raw_spec_with_limits

AUTH = {"openapi": {"D360-API-KEY": {"api_key": CONTRACT_KEY}}}

effective = schemathesis.openapi.from_path(
    EFFECTIVE_SPEC,
    config=schemathesis.Config.from_dict(
        {"generation": {"mode": "all", "max-examples": settings().max_examples}, "auth": AUTH}
    ),
)
raw_with_limits = schemathesis.openapi.from_dict(
    raw_spec_with_limits(),
    config=schemathesis.Config.from_dict(
        {"generation": {"mode": "positive", "max-examples": settings().max_examples}, "auth": AUTH}
    ),
)


@effective.parametrize()
def test_sandbox_honours_the_effective_spec(case: schemathesis.Case, running_sandbox: RunningSandbox) -> None:
    case.call_and_validate(base_url=running_sandbox.base_url)


@raw_with_limits.parametrize()
def test_sandbox_takes_all_that_upstream_documents_within_its_limits(
    case: schemathesis.Case, running_sandbox: RunningSandbox
) -> None:
    case.call_and_validate(base_url=running_sandbox.base_url)
