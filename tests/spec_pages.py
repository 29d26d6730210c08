"""Upstream pages besides Messages, built here the way upstream's pages embed their fragment: one tag, its
paths and schemas, and the shared parts (servers, security, the error schema) repeated on every page.

Shapes after upstream's Block Users and Health pages (../shared/upstream/api-reference/); only what the
multi-page regeneration needs, so a test can change one thing and see it travel.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from tests.conftest import EFFECTIVE_SPEC
from tests.spec_versions import vendored_spec

ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/utils.ErrorResp"}}}


def fragment(
    tag: str, description: str, paths: dict[str, Any], schemas: dict[str, Any], version: str = "1.44.0"
) -> dict[str, Any]:
    messages = vendored_spec()
    return {
        "openapi": messages["openapi"],
        "info": {"title": messages["info"]["title"], "version": version},
        "servers": copy.deepcopy(messages["servers"]),
        "security": copy.deepcopy(messages["security"]),
        "tags": [{"name": tag, "description": description}],
        "components": {
            "securitySchemes": copy.deepcopy(messages["components"]["securitySchemes"]),
            "schemas": {
                "utils.ErrorResp": copy.deepcopy(messages["components"]["schemas"]["utils.ErrorResp"]),
                **schemas,
            },
        },
        "paths": paths,
    }


def block_users_page(version: str = "1.44.0") -> dict[str, Any]:
    user = {"type": "object", "properties": {"input": {"type": "string"}, "wa_id": {"type": "string"}}}
    return fragment(
        "Block Users",
        "Endpoints for managing blocking of WhatsApp Users",
        {
            "/block_users": {
                "get": {
                    "operationId": "get-blocked-users",
                    "summary": "Get Blocked WhatsApp Users",
                    "tags": ["Block Users"],
                    "parameters": [
                        {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                        {"name": "after", "in": "query", "schema": {"type": "string"}},
                        {"name": "before", "in": "query", "schema": {"type": "string"}},
                    ],
                    "responses": {
                        "200": {"description": "Blocked users retrieved successfully", "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/block_users.GetBlockedUsersResponse"}}}},
                        "400": {"description": "Bad request", "content": ERROR},
                    },
                },
                "post": {
                    "operationId": "block-users",
                    "summary": "Block WhatsApp Users",
                    "tags": ["Block Users"],
                    "requestBody": {"required": True, "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/block_users.BlockUsersRequest"}}}},
                    "responses": {"200": {"description": "Users blocked", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/block_users.BlockUsersResponse"}}}}},
                },
            }
        },
        {
            "block_users.BlockedUser": user,
            "block_users.GetBlockedUsersResponse": {"type": "object", "properties": {
                "data": {"type": "array", "items": {"type": "object", "properties": {
                    "block_users": {"type": "array", "items": {"$ref": "#/components/schemas/block_users.BlockedUser"}}}}},
            }},
            "block_users.BlockUsersRequest": {"type": "object", "required": ["messaging_product", "block_users"],
                                              "properties": {"messaging_product": {"type": "string"},
                                                             "block_users": {"type": "array", "items": {"type": "object",
                                                                 "properties": {"user": {"type": "string"}}}}}},
            "block_users.BlockUsersResponse": {"type": "object", "properties": {"messaging_product": {"type": "string"}}},
        },
        version,
    )  # fmt: skip


def health_page(version: str = "1.44.0") -> dict[str, Any]:
    return fragment(
        "Health",
        "Endpoints for checking the messaging health of a number",
        {
            "/health_status": {
                "get": {
                    "operationId": "get-health-status",
                    "summary": "Get Health Status",
                    "tags": ["Health"],
                    "responses": {"200": {"description": "The health status", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/health_status.HealthStatusResponse"}}}}},
                }
            }
        },
        {
            "health_status.HealthStatusResponse": {"type": "object", "properties": {
                "id": {"type": "string"},
                "health_status": {"type": "object", "properties": {"can_send_message": {"type": "string"}}},
            }},
        },
        version,
    )  # fmt: skip


def webhooks_page() -> dict[str, Any]:
    """A Webhooks page saying what the overlay says of /v1/configs/webhook: those actions become redundant."""
    effective = json.loads(EFFECTIVE_SPEC.read_text(encoding="utf-8"))
    schemas = {
        name: schema for name, schema in effective["components"]["schemas"].items() if name.startswith("webhook.")
    }
    page = fragment("Webhooks", "Where upstream posts status and inbound-message webhooks",
                    {"/v1/configs/webhook": effective["paths"]["/v1/configs/webhook"]}, schemas)  # fmt: skip
    return page
