"""`client.health()`: whether the number may send now and, when it may not, why.

    health = client.health()
    if not health.can_send:
        for reason in health.reasons:        # "WABA 1234: BLOCKED: (#141006) The payment method ... Add one."
            print(reason)

GET /health_status answers the number's overall status and one entity each for the phone number, its
WhatsApp Business Account, the business and the app: AVAILABLE (every requirement met), LIMITED (it may
send, within limits) or BLOCKED, each with the errors that hold it back. Written once as a `Request`; the
clients' `health()` methods only run it. Values newer than d360 (a status, an entity type) are kept as they
came, and a status d360 does not know counts as not able to send: a deploy check fails safe.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from d360.errors import UnexpectedResponseError
from d360.numbers import read_int
from d360.resources.answers import json_object, text, texts
from d360.resources.base import Request
from d360.responses import request_id_of, snippet

HEALTH_PATH = "/health_status"
AVAILABLE = "AVAILABLE"
LIMITED = "LIMITED"
BLOCKED = "BLOCKED"
CAN_SEND = frozenset({AVAILABLE, LIMITED})
"""The statuses under which a message may be sent (LIMITED: within the limits its errors describe)."""
ENTITY_TYPES = ("PHONE_NUMBER", "WABA", "BUSINESS", "APP")
"""The entities 360dialog's Messaging Health Status page shows, in its order."""


@attrs.frozen
class HealthIssue:
    """One error holding an entity back, as upstream describes it."""

    code: int | None
    description: str | None
    possible_solution: str | None = None

    def __str__(self) -> str:
        said = " ".join(part for part in (self.description, self.possible_solution) if part) or "no description"
        return f"(#{self.code}) {said}" if self.code is not None else said

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "description": self.description, "possible_solution": self.possible_solution}


@attrs.frozen
class HealthEntity:
    """The status of one part of what a send goes through: the phone number, the WABA, the business, the app."""

    type: str | None
    """PHONE_NUMBER, WABA, BUSINESS, APP, or a newer value as upstream writes it."""
    id: str | None
    can_send_message: str | None
    """AVAILABLE, LIMITED, BLOCKED, or a newer value as upstream writes it."""
    errors: tuple[HealthIssue, ...] = ()
    additional_info: tuple[str, ...] = ()
    can_receive_call_sip: str | None = None
    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)

    @property
    def can_send(self) -> bool:
        return (self.can_send_message or "").upper() in CAN_SEND

    def reasons(self) -> list[str]:
        """One line per error (or the bare status, when upstream gives none), for an entity not AVAILABLE."""
        status = (self.can_send_message or "no status").upper()
        if status == AVAILABLE:
            return []
        name = " ".join(part for part in (self.type or "entity", self.id) if part)
        lines = [f"{name}: {status}: {issue}" for issue in self.errors]
        lines += [f"{name}: {status}: {info}" for info in self.additional_info]
        return lines or [f"{name}: {status}"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "id": self.id,
            "can_send_message": self.can_send_message,
            "can_send": self.can_send,
            "can_receive_call_sip": self.can_receive_call_sip,
            "errors": [issue.to_dict() for issue in self.errors],
            "additional_info": list(self.additional_info),
        }


@attrs.frozen
class Health:
    """The answer of GET /health_status."""

    can_send_message: str | None
    """The overall status: AVAILABLE, LIMITED, BLOCKED, or a newer value. None when upstream left it out:
    then the entities decide (BLOCKED if one is, LIMITED if one is, AVAILABLE if all are)."""
    entities: tuple[HealthEntity, ...] = ()
    id: str | None = None
    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)

    @property
    def status(self) -> str | None:
        """The overall status, upper case; derived from the entities when upstream gives none."""
        if self.can_send_message:
            return self.can_send_message.upper()
        statuses = {(entity.can_send_message or "").upper() for entity in self.entities}
        for status in (BLOCKED, LIMITED):
            if status in statuses:
                return status
        return AVAILABLE if statuses == {AVAILABLE} else None

    @property
    def can_send(self) -> bool:
        """Whether the number may send now: AVAILABLE or LIMITED overall, and no entity BLOCKED. A status d360
        does not know counts as not able to send."""
        return self.status in CAN_SEND and not any(
            (entity.can_send_message or "").upper() == BLOCKED for entity in self.entities
        )

    @property
    def reasons(self) -> tuple[str, ...]:
        """Why a send would be blocked or limited, one line each (empty when everything is AVAILABLE)."""
        lines = [line for entity in self.entities for line in entity.reasons()]
        if not lines and self.status != AVAILABLE:
            lines.append(f"the number's overall status is {self.status or 'not given'}")
        return tuple(lines)

    def entity(self, type: str) -> HealthEntity | None:
        """The entity of this type (`"PHONE_NUMBER"`, `"waba"`, ...), in any case; None when upstream gave none."""
        wanted = type.upper()
        return next((entity for entity in self.entities if (entity.type or "").upper() == wanted), None)

    @property
    def phone_number(self) -> HealthEntity | None:
        return self.entity("PHONE_NUMBER")

    @property
    def waba(self) -> HealthEntity | None:
        return self.entity("WABA")

    @property
    def business(self) -> HealthEntity | None:
        return self.entity("BUSINESS")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data (what `d360 health --json` prints)."""
        return {
            "can_send": self.can_send,
            "can_send_message": self.status,
            "reasons": list(self.reasons),
            "id": self.id,
            "entities": [entity.to_dict() for entity in self.entities],
        }


def read_issue(item: Any) -> HealthIssue | None:
    if not isinstance(item, Mapping):
        return None
    return HealthIssue(
        code=read_int(item.get("error_code"), signed=True, max_digits=12),
        description=text(item.get("error_description")),
        possible_solution=text(item.get("possible_solution")),
    )


def read_entity(item: Any) -> HealthEntity | None:
    if not isinstance(item, Mapping):
        return None
    errors = item.get("errors")
    return HealthEntity(
        type=text(item.get("entity_type")),
        id=text(item.get("id")),
        can_send_message=text(item.get("can_send_message")),
        errors=tuple(issue for issue in map(read_issue, errors) if issue is not None)
        if isinstance(errors, list)
        else (),
        additional_info=texts(item.get("additional_info")),
        can_receive_call_sip=text(item.get("can_receive_call_sip")),
        raw=dict(item),
    )


def parse_health(status_code: int, headers: Mapping[str, str], content: bytes) -> Health:
    body = json_object(status_code, headers, content, "a health status")
    status = body.get("health_status")
    if not isinstance(status, Mapping):
        raise UnexpectedResponseError(
            f"HTTP {status_code} without a health status (health_status): {snippet(content)!r}",
            status_code=status_code,
            body=body,
            request_id=request_id_of(headers, body),
        )
    entities = status.get("entities")
    return Health(
        can_send_message=text(status.get("can_send_message")),
        entities=tuple(entity for entity in map(read_entity, entities) if entity is not None)
        if isinstance(entities, list)
        else (),
        id=text(body.get("id")),
        raw=dict(body),
    )


def health_request() -> Request[Health]:
    """GET /health_status: a read, safe to repeat."""
    return Request("GET", HEALTH_PATH, parse_health, idempotent=True)
