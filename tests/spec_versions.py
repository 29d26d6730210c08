"""Made-up next versions of the vendored spec, each change one a client must judge correctly."""

from __future__ import annotations

import copy
import json
from typing import Any

from tests.conftest import VENDORED_SPEC


def vendored_spec() -> dict[str, Any]:
    return json.loads(VENDORED_SPEC.read_text(encoding="utf-8"))


def spec_1_45_0() -> dict[str, Any]:
    """1.44.0 plus four changes: two compatible-looking, three breaking for someone."""
    spec = copy.deepcopy(vendored_spec())
    spec["info"]["version"] = "1.45.0"
    schemas = spec["components"]["schemas"]
    # A new optional request property: compatible.
    schemas["messages.Message"]["properties"]["biz_opaque_callback_data"] = {"type": "string"}
    # A new response enum value: breaks parsers that map the enum to a closed type.
    schemas["messages.ResponseMessage"]["properties"]["message_status"]["enum"].append("failed")
    # A removed request property: breaks callers that send it.
    del schemas["messages.TextMessage"]["properties"]["preview_url"]
    # A new required request property: breaks every caller that does not send it.
    schemas["messages.LanguageObject"]["properties"]["policy"] = {"type": "string", "enum": ["deterministic"]}
    schemas["messages.LanguageObject"]["required"] = ["code", "policy"]
    return spec


def spec_1_45_0_catching_up() -> dict[str, Any]:
    """1.44.0 plus what the overlay adds to template parameter types: that overlay action is now redundant."""
    spec = copy.deepcopy(vendored_spec())
    spec["info"]["version"] = "1.45.0"
    parameter_types = spec["components"]["schemas"]["messages.TemplateParameter"]["properties"]["type"]["enum"]
    parameter_types += ["payload", "action", "coupon_code", "limited_time_offer", "product"]
    return spec


def spec_1_45_0_without_interactive() -> dict[str, Any]:
    """1.44.0 with messages.InteractiveObject renamed: the overlay actions on it target nothing."""
    spec = copy.deepcopy(vendored_spec())
    spec["info"]["version"] = "1.45.0"
    schemas = spec["components"]["schemas"]
    schemas["messages.Interactive"] = schemas.pop("messages.InteractiveObject")
    schemas["messages.Message"]["properties"]["interactive"] = {"$ref": "#/components/schemas/messages.Interactive"}
    return spec
