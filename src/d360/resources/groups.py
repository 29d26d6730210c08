"""`client.groups`: create, list, read, update and delete WhatsApp groups, their invite link, participants
and join requests.

    created = client.groups.create(subject="Order 4711", description="Delivery questions")
    link = client.groups.invite_link(created.id).url      # send it to the users who should join
    for group in client.groups.list():                   # every page, each fetched when it is needed
        print(group.id, group.subject)
    client.groups.update(created.id, subject="Order 4711 (delivered)")
    client.groups.set_photo(created.id, "logo.jpg")     # a square JPEG, 192x192 or more
    client.groups.delete(created.id)

Written once: each operation is a function returning a `Request`, and `GroupsResource` hands them to a
runner; `Groups` (on `Client`) and `AsyncGroups` (on `AsyncClient`) differ only in their runner. Checked
before anything is sent, as Meta's spec v23.0 and 360dialog's Groups page document: a subject of 1-128
characters, a description of at most 2048, a join approval mode of `approval_required` or `auto_approve`,
1-8 participants per request (a group holds at most 8), each a phone number of 8-15 digits, a picture that
is a square JPEG of 192x192 pixels or more and at most 5 MB (sent as Meta's multipart form).

Wire shapes: upstream's page shows the listing `{data: {groups: [{id, subject, created_at}]}, paging}` (a
string `created_at` at Meta: both read), a group's information (`GroupInfo`), and the create's answer as
`{id}` (Meta's: `{messaging_product, request_id}`, the id coming later in a webhook: both read). The invite
link, participants and join requests are Meta's operations under `/groups/{group_id}` (d360's reading:
upstream's page is cut before them). A participant is the webhooks' `GroupParticipant` (`wa_id`, `input`).
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import AsyncIterator, Coroutine, Iterable, Iterator, Mapping
from typing import Any, Generic, TypeVar, cast
from urllib.parse import quote

import attrs

from d360.errors import Problem, UnexpectedResponseError, ValidationError
from d360.numbers import read_int
from d360.resources.answers import json_object, text, texts
from d360.resources.base import AwaitingCaller, AwaitingRunner, BlockingCaller, BlockingRunner, Page, Request, Runner
from d360.responses import _json_or_none, request_id_of, snippet
from d360.validation import PHONE_DIGITS, normalize_phone
from d360.webhooks.events import GroupParticipant

GROUPS_PATH = "/groups"
MAX_SUBJECT_LENGTH = 128
MAX_DESCRIPTION_LENGTH = 2048
JOIN_APPROVAL_MODES = ("approval_required", "auto_approve")
MAX_PARTICIPANTS_PER_REQUEST = 8
"""Participants one add or remove request may name (Meta's spec v23.0: maxItems 8)."""
MAX_PARTICIPANTS = 8
"""The most participants a group holds besides the business (360dialog's Groups page: "Max group
participants: 08"); adding past it fails with 131204."""
DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 1024
MAX_PAGES = 10_000
"""A listing that has not ended after this many pages is upstream looping: stopped with an error."""
MAX_PHOTO_BYTES = 5 * 1024 * 1024
"""A group's profile picture: a JPEG of at most 5 MB (Meta's spec v23.0, updateGroupSettings)."""
MIN_PHOTO_SIDE = 192
"""... square, at least 192 pixels a side (Meta's spec; Meta's error codes 131209 and 131210)."""
UNKNOWN_GROUP_CODE = 131041
"""Meta's Groups API error codes: "Group unknown", a group that does not exist or the business left. Meta's
table gives it HTTP 400, the effective spec 404 (d360's reading): check `error.code`, which both carry."""
PARTICIPANT_OVERLIMIT_CODE = 131204
"""Meta's Groups API error codes: "Participant overlimit" (400), the group would hold more than it may."""

ListT = TypeVar("ListT")
GroupT = TypeVar("GroupT")
CreatedT = TypeVar("CreatedT")
DoneT = TypeVar("DoneT")
LinkT = TypeVar("LinkT")
ParticipantsT = TypeVar("ParticipantsT")
JoinListT = TypeVar("JoinListT")
JoinResultT = TypeVar("JoinResultT")

ErrorTuple = tuple[int | None, str | None]
"""An error upstream gave for one participant or join request: its code and message."""


@attrs.frozen
class GroupSummary:
    """A group as the listing shows it."""

    id: str
    subject: str | None = None
    created_at: int | None = None
    """Unix seconds (upstream sends a number, Meta's spec a string: both read)."""
    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "subject": self.subject, "created_at": self.created_at}


@attrs.frozen
class Group:
    """A group's information (the fields asked for; the others None)."""

    id: str | None
    subject: str | None = None
    description: str | None = None
    join_approval_mode: str | None = None
    """approval_required or auto_approve, or a newer value, kept as sent."""
    suspended: bool | None = None
    creation_timestamp: int | None = None
    total_participant_count: int | None = None
    """Participants besides the business."""
    participants: tuple[GroupParticipant, ...] = ()
    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "subject": self.subject, "description": self.description,
            "join_approval_mode": self.join_approval_mode, "suspended": self.suspended,
            "creation_timestamp": self.creation_timestamp, "total_participant_count": self.total_participant_count,
            "participants": [{"wa_id": item.wa_id} for item in self.participants],
        }  # fmt: skip


@attrs.frozen
class CreatedGroup:
    """What a create answered: upstream's group `id`, or Meta's `request_id` (the id then comes in the
    `group_lifecycle_update` webhook, with the invite link)."""

    id: str | None
    request_id: str | None = None
    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "request_id": self.request_id}


@attrs.frozen
class InviteLink:
    """A group's invite link (`https://chat.whatsapp.com/...`)."""

    url: str | None
    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)


@attrs.frozen
class ParticipantsResult:
    """What an add or remove did: the participants that failed, each with upstream's errors, and errors of
    the whole request (a partial success is Meta's 131201)."""

    failed: tuple[tuple[str | None, tuple[ErrorTuple, ...]], ...] = ()
    errors: tuple[ErrorTuple, ...] = ()
    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)

    @property
    def ok(self) -> bool:
        """Whether every participant named was added (or removed)."""
        return not self.failed and not self.errors

    def to_dict(self) -> dict[str, Any]:
        return {
            "failed": [{"user": user, "errors": _error_dicts(errors)} for user, errors in self.failed],
            "errors": _error_dicts(self.errors),
        }


@attrs.frozen
class JoinRequest:
    """A user's open request to join a group whose join approval mode is `approval_required`."""

    id: str
    """The `join_request_id` to approve or reject."""
    wa_id: str | None = None
    creation_timestamp: int | None = None
    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "wa_id": self.wa_id, "creation_timestamp": self.creation_timestamp}


@attrs.frozen
class JoinRequestsResult:
    """What an approval (`done`: the approved ids) or a rejection (`done`: the rejected ids) did."""

    done: tuple[str, ...] = ()
    failed: tuple[tuple[str | None, tuple[ErrorTuple, ...]], ...] = ()
    errors: tuple[ErrorTuple, ...] = ()
    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.errors

    def to_dict(self) -> dict[str, Any]:
        return {
            "done": list(self.done),
            "failed": [{"join_request_id": item, "errors": _error_dicts(errors)} for item, errors in self.failed],
            "errors": _error_dicts(self.errors),
        }


def _error_dicts(errors: tuple[ErrorTuple, ...]) -> list[dict[str, Any]]:
    return [{"code": code, "message": message} for code, message in errors]


# Reading answers.


def _errors(value: Any) -> tuple[ErrorTuple, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(
        (read_int(item.get("code"), signed=True, max_digits=12), text(item.get("message")) or text(item.get("title")))
        for item in value
        if isinstance(item, Mapping)
    )


def _failures(value: Any, key: str) -> tuple[tuple[str | None, tuple[ErrorTuple, ...]], ...]:
    if not isinstance(value, list):
        return ()
    return tuple((text(item.get(key)), _errors(item.get("errors"))) for item in value if isinstance(item, Mapping))


def read_summary(item: Any) -> GroupSummary | None:
    if not isinstance(item, Mapping) or text(item.get("id")) is None:
        return None
    return GroupSummary(
        id=cast(str, text(item.get("id"))),
        subject=text(item.get("subject")),
        created_at=read_int(item.get("created_at"), max_digits=12),
        raw=dict(item),
    )


def read_group(body: Mapping[str, Any]) -> Group:
    participants = body.get("participants")
    suspended = body.get("suspended")
    return Group(
        id=text(body.get("id")),
        subject=text(body.get("subject")),
        description=text(body.get("description")),
        join_approval_mode=text(body.get("join_approval_mode")),
        suspended=suspended if isinstance(suspended, bool) else None,
        creation_timestamp=read_int(body.get("creation_timestamp"), max_digits=12),
        total_participant_count=read_int(body.get("total_participant_count"), max_digits=9),
        participants=tuple(
            GroupParticipant(wa_id=text(item.get("wa_id")), input=text(item.get("input")))
            for item in participants
            if isinstance(item, Mapping)
        )
        if isinstance(participants, list)
        else (),
        raw=dict(body),
    )


def _parse_group(status_code: int, headers: Mapping[str, str], content: bytes) -> Group:
    return read_group(json_object(status_code, headers, content, "the group's information"))


def _parse_created(status_code: int, headers: Mapping[str, str], content: bytes) -> CreatedGroup:
    body = json_object(status_code, headers, content, "the created group")
    created = CreatedGroup(id=text(body.get("id")), request_id=text(body.get("request_id")), raw=dict(body))
    if created.id is None and created.request_id is None:
        raise UnexpectedResponseError(
            f"HTTP {status_code} without the created group's id or request id: {snippet(content)!r}",
            status_code=status_code,
            body=dict(body),
            request_id=request_id_of(headers, body),
        )
    return created


def _parse_link(status_code: int, headers: Mapping[str, str], content: bytes) -> InviteLink:
    body = json_object(status_code, headers, content, "the group's invite link")
    return InviteLink(url=text(body.get("invite_link")), raw=dict(body))


def _parse_success(status_code: int, headers: Mapping[str, str], content: bytes) -> bool:
    """True unless the answer says `success: false`; Meta's spec shows the update's answer without a body."""
    body = _json_or_none(content)
    success = body.get("success") if isinstance(body, Mapping) else None
    return success not in (False, "false")


def _parse_participants(status_code: int, headers: Mapping[str, str], content: bytes) -> ParticipantsResult:
    body = _json_or_none(content)
    body = body if isinstance(body, Mapping) else {}
    return ParticipantsResult(
        failed=_failures(body.get("failed_participants"), "user"), errors=_errors(body.get("errors")), raw=dict(body)
    )


def _join_result(key: str) -> Any:
    def parse(status_code: int, headers: Mapping[str, str], content: bytes) -> JoinRequestsResult:
        body = json_object(status_code, headers, content, "the join requests' answer")
        return JoinRequestsResult(
            done=texts(body.get(key)),
            failed=_failures(body.get("failed_join_requests"), "join_request_id"),
            errors=_errors(body.get("errors")),
            raw=dict(body),
        )

    return parse


def read_join_request(item: Any) -> JoinRequest | None:
    if not isinstance(item, Mapping) or text(item.get("join_request_id")) is None:
        return None
    return JoinRequest(
        id=cast(str, text(item.get("join_request_id"))),
        wa_id=text(item.get("wa_id")),
        creation_timestamp=read_int(item.get("creation_timestamp"), max_digits=12),
        raw=dict(item),
    )


# The requests: checked before anything is sent.


def _refuse(problems: list[Problem], subject: str) -> None:
    if problems:
        raise ValidationError(problems, subject=subject)


def group_path(group_id: str, suffix: str = "") -> str:
    """/groups/{group_id}[/suffix], the id checked (a non-empty string without spaces) and quoted."""
    if (
        not isinstance(group_id, str)
        or not group_id
        or not group_id.isprintable()
        or any(character.isspace() for character in group_id)
    ):
        _refuse([Problem("$.group_id", f"must be a group id (a non-empty string, no spaces), not {group_id!r}")],
                "group request")  # fmt: skip
    return f"{GROUPS_PATH}/{quote(group_id, safe='')}{suffix}"


def _text_problems(where: str, value: Any, low: int, high: int) -> list[Problem]:
    if not isinstance(value, str):
        return [Problem(where, f"must be a string, not {type(value).__name__}")]
    if len(value.strip()) < low:
        return [Problem(where, "must not be empty (whitespace is trimmed)")]
    if len(value) > high:
        return [Problem(where, f"has {len(value)} characters; at most {high}")]
    return []


def settings_problems(
    subject: Any = None, description: Any = None, join_approval_mode: Any = None, *, creating: bool = False
) -> list[Problem]:
    """What is wrong with a group's subject, description or join approval mode (None: not given)."""
    problems: list[Problem] = []
    if subject is not None or creating:
        problems += _text_problems("$.subject", subject, 1, MAX_SUBJECT_LENGTH)
    if description is not None:
        problems += _text_problems("$.description", description, 0, MAX_DESCRIPTION_LENGTH)
    if join_approval_mode is not None and join_approval_mode not in JOIN_APPROVAL_MODES:
        problems.append(
            Problem(
                "$.join_approval_mode", f"must be one of {', '.join(JOIN_APPROVAL_MODES)}, not {join_approval_mode!r}"
            )
        )
    return problems


def _json(body: Mapping[str, Any]) -> bytes:
    """The body as sent; what JSON in UTF-8 cannot carry (sent unchecked with `validate=False`) is refused."""
    try:
        return json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
    except (TypeError, ValueError) as exc:  # UnicodeEncodeError (a lone surrogate) is a ValueError
        raise ValidationError([Problem("$", f"cannot be sent as JSON: {exc}")], subject="group request") from None


def create_request(
    subject: str, description: str | None = None, join_approval_mode: str | None = None, *, validate: bool = True
) -> Request[CreatedGroup]:
    """POST /groups. Not safe to repeat: a second send makes a second group."""
    if validate:
        _refuse(settings_problems(subject, description, join_approval_mode, creating=True), "group")
    body: dict[str, Any] = {"messaging_product": "whatsapp", "subject": subject}
    if description is not None:
        body["description"] = description
    if join_approval_mode is not None:
        body["join_approval_mode"] = join_approval_mode
    return Request("POST", GROUPS_PATH, _parse_created, body=_json(body))


def update_request(
    group_id: str, subject: str | None = None, description: str | None = None, *, validate: bool = True
) -> Request[bool]:
    """POST /groups/{group_id} with the settings given; the others stay. Safe to repeat."""
    path = group_path(group_id)
    if validate:
        problems = settings_problems(subject, description)
        if subject is None and description is None:
            problems.append(Problem("$", "nothing to update: give subject or description (or both)"))
        _refuse(problems, "group settings")
    body: dict[str, Any] = {"messaging_product": "whatsapp"}
    if subject is not None:
        body["subject"] = subject
    if description is not None:
        body["description"] = description
    return Request("POST", path, _parse_success, body=_json(body), idempotent=True)


def get_request(group_id: str, fields: str | Iterable[str] | None = None) -> Request[Group]:
    """GET /groups/{group_id}, with only `fields` when given."""
    path = group_path(group_id)
    query: tuple[tuple[str, str], ...] = ()
    if fields is not None:
        names = [fields] if isinstance(fields, str) else list(fields)
        if not names or not all(isinstance(name, str) and name.strip() for name in names):
            _refuse([Problem("$.fields", f"must be field names (non-empty strings), not {fields!r}")], "group request")
        query = (("fields", ",".join(name.strip() for name in names)),)
    return Request("GET", path, _parse_group, query=query, idempotent=True)


def delete_request(group_id: str) -> Request[bool]:
    """DELETE /groups/{group_id}: the group and every participant gone. A repeat is refused (131041)."""
    return Request("DELETE", group_path(group_id), _parse_success, idempotent=True)


def jpeg_size(data: bytes) -> tuple[int, int] | None:
    """A JPEG's (width, height) from its frame header, or None for bytes that are not a JPEG with one."""
    if not data.startswith(b"\xff\xd8"):
        return None
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # fill bytes before a marker
            at += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # markers without a length
            at += 2
            continue
        length = int.from_bytes(data[at + 2 : at + 4], "big")
        # A start of frame (SOF0-SOF15, but DHT C4, JPG C8 and DAC CC are not frames) holds the size.
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            if at + 9 > len(data):
                return None
            height = int.from_bytes(data[at + 5 : at + 7], "big")
            width = int.from_bytes(data[at + 7 : at + 9], "big")
            return width, height
        if marker in (0xD9, 0xDA) or length < 2:  # the end, or the image data, before any frame header
            return None
        at += 2 + length
    return None


def photo_problems(data: bytes) -> list[Problem]:
    """What keeps `data` from being a group's profile picture: a JPEG of at most 5 MB, square, 192 px or more."""
    if len(data) > MAX_PHOTO_BYTES:
        return [Problem("$.file", f"is {len(data)} bytes; a group's picture is at most {MAX_PHOTO_BYTES} (5 MB)")]
    size = jpeg_size(data)
    if size is None:
        return [Problem("$.file", "is not a JPEG (a group's picture must be one)")]
    width, height = size
    if width != height:
        return [Problem("$.file", f"is {width}x{height} pixels; a group's picture must be square")]
    if width < MIN_PHOTO_SIDE:
        return [Problem("$.file", f"is {width}x{height} pixels; at least {MIN_PHOTO_SIDE}x{MIN_PHOTO_SIDE}")]
    return []


def photo_bytes(photo: bytes | str | os.PathLike[str]) -> bytes:
    """The picture's bytes: given, or read from a path (refused unread past 5 MB)."""
    if isinstance(photo, bytes | bytearray | memoryview):
        return bytes(photo)
    if isinstance(photo, str | os.PathLike):
        path = os.fspath(photo)
        try:
            size = os.path.getsize(path)
            if size > MAX_PHOTO_BYTES:
                _refuse(
                    [Problem("$.file", f"{path!r} is {size} bytes; a group's picture is at most 5 MB")], "group photo"
                )
            with open(path, "rb") as file:
                return file.read()
        except OSError as exc:
            _refuse([Problem("$.file", f"cannot read {path!r}: {exc.strerror or exc}")], "group photo")
    _refuse([Problem("$.file", f"must be JPEG bytes or a path, not {type(photo).__name__}")], "group photo")
    raise AssertionError("unreachable")  # pragma: no cover - _refuse raised


def photo_request(group_id: str, photo: bytes | str | os.PathLike[str], *, validate: bool = True) -> Request[bool]:
    """POST /groups/{group_id} as a form carrying the picture (Meta's multipart form). Safe to repeat."""
    path = group_path(group_id)
    data = photo_bytes(photo)
    if validate:
        _refuse(photo_problems(data), "group photo")
    boundary = f"d360-{secrets.token_hex(16)}"
    content = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="messaging_product"\r\n\r\nwhatsapp\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="photo.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return Request(
        "POST", path, _parse_success, body=content, idempotent=True,
        content_type=f"multipart/form-data; boundary={boundary}",
    )  # fmt: skip


def invite_link_request(group_id: str, method: str = "GET") -> Request[Any]:
    """GET (read), POST (a new link; the old one stops working) or DELETE (revoke) the invite link."""
    path = group_path(group_id, "/invite_link")
    body = None if method == "GET" else _json({"messaging_product": "whatsapp"})
    parse = _parse_success if method == "DELETE" else _parse_link
    return Request(method, path, parse, body=body, idempotent=True)


def participant_numbers(numbers: str | Iterable[str]) -> list[str]:
    """The participants as upstream takes them (digits only), each once, in order; ValidationError naming
    every one that is not a phone number (8-15 digits), or a count outside 1-8."""
    given = [numbers] if isinstance(numbers, str) else list(numbers)
    problems: list[Problem] = []
    normalized: dict[str, None] = {}
    low, high = PHONE_DIGITS
    for index, number in enumerate(given):
        where = f"$.participants[{index}]"
        if not isinstance(number, str):
            problems.append(Problem(where, f"must be a phone number as a string, not {type(number).__name__}"))
            continue
        digits = normalize_phone(number)
        if not (digits.isascii() and digits.isdigit() and low <= len(digits) <= high):
            problems.append(
                Problem(where, f"{number!r} is not a phone number of {low}-{high} digits (+, spaces, dashes allowed)")
            )
            continue
        normalized[digits] = None
    if not given:
        problems.append(Problem("$.participants", "needs at least 1 participant"))
    elif len(normalized) > MAX_PARTICIPANTS_PER_REQUEST:
        problems.append(Problem(
            "$.participants",
            f"has {len(normalized)} participants; one request takes at most {MAX_PARTICIPANTS_PER_REQUEST}",
        ))  # fmt: skip
    _refuse(problems, "group participants")
    return list(normalized)


def participants_request(method: str, group_id: str, numbers: str | Iterable[str]) -> Request[ParticipantsResult]:
    """POST (add) or DELETE (remove) /groups/{group_id}/participants. Safe to repeat: a participant added
    twice is in the group once."""
    path = group_path(group_id, "/participants")
    users = participant_numbers(numbers)
    body = {"messaging_product": "whatsapp", "participants": [{"user": user} for user in users]}
    return Request(method, path, _parse_participants, body=_json(body), idempotent=True)


def join_requests_request(
    group_id: str, page_size: int | None = None, *, after: str | None = None, pages: int = 0
) -> Request[Page[JoinRequest]]:
    """A page of the open join requests; each page's answer gives the request for the next."""
    path = group_path(group_id, "/join_requests")
    query = ([("limit", str(page_size))] if page_size is not None else []) + (
        [("after", after)] if after is not None else []
    )

    def parse(status_code: int, headers: Mapping[str, str], content: bytes) -> Page[JoinRequest]:
        body = json_object(status_code, headers, content, "the join requests")
        data = body.get("data")
        found = (
            tuple(item for item in map(read_join_request, data) if item is not None) if isinstance(data, list) else ()
        )
        cursor = _next_cursor(body, after, pages, status_code)
        return Page(
            found,
            join_requests_request(group_id, page_size, after=cursor, pages=pages + 1) if cursor and found else None,
        )

    return Request("GET", path, parse, query=tuple(query), idempotent=True)


def decide_request(method: str, group_id: str, ids: str | Iterable[str]) -> Request[JoinRequestsResult]:
    """POST (approve) or DELETE (reject) /groups/{group_id}/join_requests. Safe to repeat: a request
    decided twice fails the second time, in `failed`."""
    path = group_path(group_id, "/join_requests")
    given = [ids] if isinstance(ids, str) else list(ids)
    problems = [
        Problem(f"$.join_requests[{index}]", f"must be a join request id (a non-empty string), not {item!r}")
        for index, item in enumerate(given)
        if not isinstance(item, str) or not item.strip()
    ]
    if not given:
        problems.append(Problem("$.join_requests", "needs at least 1 join request id"))
    _refuse(problems, "join requests")
    unique = list(dict.fromkeys(given))
    body = {"messaging_product": "whatsapp", "join_requests": unique}
    key = "approved_join_requests" if method == "POST" else "rejected_join_requests"
    return Request(method, path, _join_result(key), body=_json(body), idempotent=True)


def _next_cursor(body: Mapping[str, Any], after: str | None, pages: int, status_code: int) -> str | None:
    """The `after` cursor of the next page, when the answer says there is one (a `next` link)."""
    paging = body.get("paging")
    if not isinstance(paging, Mapping) or not paging.get("next"):
        return None
    cursors = paging.get("cursors")
    cursor = text(cursors.get("after")) if isinstance(cursors, Mapping) else None
    if cursor is None or cursor == after:
        return None
    if pages + 1 >= MAX_PAGES:
        raise UnexpectedResponseError(
            f"the listing did not end after {MAX_PAGES} pages", status_code=status_code, body=None
        )
    return cursor


def list_request(page_size: int = DEFAULT_PAGE_SIZE) -> Request[Page[GroupSummary]]:
    """The first page of the active groups; each page's answer gives the request for the next."""
    if not isinstance(page_size, int) or isinstance(page_size, bool) or not 1 <= page_size <= MAX_PAGE_SIZE:
        _refuse([Problem("$.page_size", f"must be a whole number from 1 to {MAX_PAGE_SIZE}, not {page_size!r}")],
                "listing")  # fmt: skip
    return _list_page(page_size, after=None, pages=0)


def _list_page(page_size: int, *, after: str | None, pages: int) -> Request[Page[GroupSummary]]:
    query = [("limit", str(page_size))] + ([("after", after)] if after is not None else [])

    def parse(status_code: int, headers: Mapping[str, str], content: bytes) -> Page[GroupSummary]:
        body = json_object(status_code, headers, content, "the groups")
        data = body.get("data")
        # Upstream's shape is {data: {groups: [...]}}; a bare list in `data` (the Graph API's usual) is read too.
        items = data.get("groups") if isinstance(data, Mapping) else data
        found = tuple(item for item in map(read_summary, items) if item is not None) if isinstance(items, list) else ()
        cursor = _next_cursor(body, after, pages, status_code)
        return Page(found, _list_page(page_size, after=cursor, pages=pages + 1) if cursor and found else None)

    return Request("GET", GROUPS_PATH, parse, query=tuple(query), idempotent=True)


class GroupsResource(Generic[ListT, GroupT, CreatedT, DoneT, LinkT, ParticipantsT, JoinListT, JoinResultT]):
    _runner: Runner

    def create(
        self, *, subject: str, description: str | None = None, join_approval_mode: str | None = None
    ) -> CreatedT:
        """Create a group (an invite link is made with it: `invite_link(id)`).

        Checked first: a subject of 1-128 characters, a description of at most 2048, `join_approval_mode`
        `approval_required` or `auto_approve` (upstream's default); a `ValidationError` names every problem
        and nothing is sent. Never retried once it may have reached upstream: a repeat would make a second group.
        """
        request = create_request(subject, description, join_approval_mode, validate=self._runner.validates)
        return cast(CreatedT, self._runner.run(request))

    def list(self, *, page_size: int = DEFAULT_PAGE_SIZE) -> ListT:
        """Every active group, page by page as they are used (an async iterator on `AsyncClient`)."""
        return cast(ListT, self._runner.pages(list_request(page_size)))

    def get(self, group_id: str, *, fields: str | Iterable[str] | None = None) -> GroupT:
        """A group's information: subject, description, join approval mode, participants, ... (`fields`: only these)."""
        return cast(GroupT, self._runner.run(get_request(group_id, fields)))

    def update(self, group_id: str, *, subject: str | None = None, description: str | None = None) -> DoneT:
        """Change the subject or the description (or both), checked as `create` checks them."""
        request = update_request(group_id, subject, description, validate=self._runner.validates)
        return cast(DoneT, self._runner.run(request))

    def set_photo(self, group_id: str, photo: bytes | str | os.PathLike[str]) -> DoneT:
        """Set the group's profile picture: JPEG bytes or a path. Checked first: at most 5 MB, square, at
        least 192x192 pixels (what upstream refuses with 131209 and 131210); nothing is sent otherwise."""
        return cast(DoneT, self._runner.run(photo_request(group_id, photo, validate=self._runner.validates)))

    def delete(self, group_id: str) -> DoneT:
        """Delete the group; every participant is removed, the business too."""
        return cast(DoneT, self._runner.run(delete_request(group_id)))

    def invite_link(self, group_id: str) -> LinkT:
        """The group's current invite link."""
        return cast(LinkT, self._runner.run(invite_link_request(group_id, "GET")))

    def reset_invite_link(self, group_id: str) -> LinkT:
        """A new invite link; the one before it stops working."""
        return cast(LinkT, self._runner.run(invite_link_request(group_id, "POST")))

    def revoke_invite_link(self, group_id: str) -> DoneT:
        """Revoke the invite link: nobody joins through it any more (`reset_invite_link` makes a new one)."""
        return cast(DoneT, self._runner.run(invite_link_request(group_id, "DELETE")))

    def add_participants(self, group_id: str, numbers: str | Iterable[str]) -> ParticipantsT:
        """Add participants (a number, or up to 8); a full group (8 besides the business) refuses with 131204.

        Checked first: a `ValidationError` names every number that is not one, and nothing is sent.
        360dialog's guide says users join through the invite link; Meta's spec has this call.
        """
        return cast(ParticipantsT, self._runner.run(participants_request("POST", group_id, numbers)))

    def remove_participants(self, group_id: str, numbers: str | Iterable[str]) -> ParticipantsT:
        """Remove participants (a number, or up to 8), checked as `add_participants` checks them."""
        return cast(ParticipantsT, self._runner.run(participants_request("DELETE", group_id, numbers)))

    def join_requests(self, group_id: str) -> JoinListT:
        """The open join requests (of a group with `approval_required`), page by page as they are used."""
        return cast(JoinListT, self._runner.pages(join_requests_request(group_id)))

    def approve_join_requests(self, group_id: str, ids: str | Iterable[str]) -> JoinResultT:
        """Approve join requests by their ids: each user joins the group."""
        return cast(JoinResultT, self._runner.run(decide_request("POST", group_id, ids)))

    def reject_join_requests(self, group_id: str, ids: str | Iterable[str]) -> JoinResultT:
        """Reject join requests by their ids."""
        return cast(JoinResultT, self._runner.run(decide_request("DELETE", group_id, ids)))


class Groups(
    GroupsResource[
        Iterator[GroupSummary], Group, CreatedGroup, bool, InviteLink, ParticipantsResult,
        Iterator[JoinRequest], JoinRequestsResult,
    ]
):  # fmt: skip
    """`client.groups` on `Client`: each method blocks; the listings are iterators."""

    def __init__(self, client: BlockingCaller) -> None:
        self._runner = BlockingRunner(client)


class AsyncGroups(
    GroupsResource[
        AsyncIterator[GroupSummary], Coroutine[Any, Any, Group], Coroutine[Any, Any, CreatedGroup],
        Coroutine[Any, Any, bool], Coroutine[Any, Any, InviteLink], Coroutine[Any, Any, ParticipantsResult],
        AsyncIterator[JoinRequest], Coroutine[Any, Any, JoinRequestsResult],
    ]
):  # fmt: skip
    """`client.groups` on `AsyncClient`: the same methods, awaited; the listings are async iterators."""

    def __init__(self, client: AwaitingCaller) -> None:
        self._runner = AwaitingRunner(client)
