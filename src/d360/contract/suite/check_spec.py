"""The target against the effective spec: schemathesis, all its default checks, positive and negative data.

`negative_data_rejection` fails a target that accepts a body the spec refuses; `positive_data_acceptance`
one that refuses a body the spec takes; `response_schema_conformance` one whose answer is off the spec.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import schemathesis
from hypothesis import settings

from d360.contract.guards import REQUEST_TIMEOUT
from d360.contract.suite.conftest import TARGET_KEY, Target

with resources.as_file(resources.files("d360_api").joinpath("openapi.json")) as effective_spec:
    full_schema = schemathesis.openapi.from_path(
        effective_spec,
        config=schemathesis.Config.from_dict({
            "generation": {"mode": "all", "max-examples": settings().max_examples},
            "auth": {"openapi": {"D360-API-KEY": {"api_key": TARGET_KEY[0]}}},
        }),
    )  # fmt: skip
# Setting the webhook would point a real target's traffic at generated URLs, deleting media could delete a
# real file, creating a template submits it to Meta's review and deleting one by a generated name could
# delete a real template, blocking generated numbers could block real users (and a blocked recipient makes
# a later send's refusal depend on the order of the checks), and updating the profile or the conversational
# automation would change what a real business shows its customers, and uploading a generated public key
# would break a real number's Flows, and changing the extra webhooks would send a real number's traffic to
# generated URLs, and a call action would ring a real user (or end a real call) and changing the calling
# settings would switch a real number's calls, and enabling template analytics would change a real account's
# settings: d360's own tests cover them against the sandbox.
# Creating, changing or deleting groups (their participants, invite links and join requests) would change a
# real number's groups and reach real users: d360's own tests cover them against the sandbox too.
schema = full_schema.exclude(
    operation_id=[
        "set-webhook", "delete-media", "create-template", "delete-template",
        "block-users", "unblock-users", "update-whatsapp-business-profile",
        "configure-conversational-automation", "set-business-public-key",
        "enable-multi-webhook", "append-multi-webhook-destinations", "update-multi-webhook-destination",
        "delete-multi-webhook-destination",
        "perform-call-action", "update-calling-settings",
        "enable-template-analytics",
        "create-group", "update-group-settings", "delete-group", "create-group-invite-link",
        "delete-group-invite-link", "add-group-participants", "remove-group-participants",
        "approve-join-requests", "reject-join-requests",
    ]
)  # fmt: skip


@schema.parametrize()
def check_the_target_honours_the_effective_spec(case: schemathesis.Case[Any], target: Target) -> None:
    case.call_and_validate(base_url=target.base_url, session=target.http, timeout=REQUEST_TIMEOUT)
    target.pace()
