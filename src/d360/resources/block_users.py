"""`client.block_users`: list, block and unblock WhatsApp users.

    client.block_users.add(["+49 151 1234 5678"])        # they can no longer message the business, nor it them
    for user in client.block_users.list():              # every page, each fetched when it is needed
        print(user.wa_id)
    client.block_users.remove(["4915112345678"])

Written once: each operation is a function returning a `Request`, and `BlockUsersResource` hands them to a
runner; `BlockUsers` (on `Client`) and `AsyncBlockUsers` (on `AsyncClient`) differ only in their runner.
Numbers are checked and normalised before anything is sent (8-15 digits; `+`, spaces, dashes and brackets
dropped; repeats sent once), and at most 1,000 go in one request, as Meta's Block Users guide allows.

Wire shapes: upstream's Block Users page shows the listing as `{data: [{block_users: [{input, wa_id}]}],
paging: {cursors, next, previous}}`; Meta's spec as `{data: [{messaging_product, wa_id}], paging}`. Both
are read. A block or unblock answers `{messaging_product, block_users: {added_users | removed_users,
failed_users}}`; when some users fail, upstream answers 400 with that body and error 139100, raised as
`BadRequestError` whose `body` holds the lists.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Coroutine, Iterable, Iterator, Mapping
from typing import Any, Generic, TypeVar, cast

import attrs

from d360.errors import Problem, UnexpectedResponseError, ValidationError
from d360.numbers import read_int
from d360.resources.answers import json_object, text
from d360.resources.base import AwaitingCaller, AwaitingRunner, BlockingCaller, BlockingRunner, Page, Request, Runner
from d360.responses import request_id_of, snippet
from d360.unicode import utf8_encodable
from d360.validation import PHONE_DIGITS, normalize_phone

BLOCK_USERS_PATH = "/block_users"
MAX_USERS_PER_REQUEST = 1000
"""Users one block or unblock request may name (Meta's Block Users guide)."""
MAX_BLOCKED = 64_000
"""The most users a number's block list holds (Meta's Block Users guide): blocking past it fails with 139101."""
DEFAULT_PAGE_SIZE = 100
MAX_PAGES = 10_000
"""A listing that has not ended after this many pages is upstream looping: stopped with an error."""

ListT = TypeVar("ListT")
ResultT = TypeVar("ResultT")


@attrs.frozen
class BlockedUser:
    """A user on the block list, or one a block or unblock request named."""

    wa_id: str | None
    """The user's WhatsApp id (usually the number's digits)."""
    input: str | None = None
    """The number as the request gave it (upstream echoes it)."""
    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)

    def to_dict(self) -> dict[str, Any]:
        return {"wa_id": self.wa_id, "input": self.input}


@attrs.frozen
class BlockFailure:
    """A user a request could not block or unblock, and upstream's errors for it (code, message, details)."""

    input: str | None
    wa_id: str | None
    errors: tuple[tuple[int | None, str | None, str | None], ...] = ()
    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "wa_id": self.wa_id,
            "errors": [
                {"code": code, "message": message, "details": details} for code, message, details in self.errors
            ],
        }


@attrs.frozen
class BlockResult:
    """What a block (`users`: the added users) or an unblock (`users`: the removed users) did."""

    users: tuple[BlockedUser, ...]
    failed: tuple[BlockFailure, ...] = ()
    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)

    @property
    def ok(self) -> bool:
        """Whether every user named was blocked (or unblocked)."""
        return not self.failed

    def to_dict(self) -> dict[str, Any]:
        return {"users": [user.to_dict() for user in self.users], "failed": [item.to_dict() for item in self.failed]}


# Reading answers.


def read_user(item: Any) -> BlockedUser | None:
    if not isinstance(item, Mapping) or not (text(item.get("wa_id")) or text(item.get("input"))):
        return None
    return BlockedUser(wa_id=text(item.get("wa_id")), input=text(item.get("input")), raw=dict(item))


def read_failure(item: Any) -> BlockFailure | None:
    if not isinstance(item, Mapping):
        return None
    errors = []
    for error in item.get("errors") or () if isinstance(item.get("errors"), list) else ():
        if isinstance(error, Mapping):
            data = error.get("error_data")
            details = text(data.get("details")) if isinstance(data, Mapping) else None
            errors.append(
                (read_int(error.get("code"), signed=True, max_digits=12), text(error.get("message")), details)
            )
    return BlockFailure(
        input=text(item.get("input")), wa_id=text(item.get("wa_id")), errors=tuple(errors), raw=dict(item)
    )


def _users(value: Any) -> tuple[BlockedUser, ...]:
    return tuple(user for user in map(read_user, value) if user is not None) if isinstance(value, list) else ()


def listed_users(data: list[Any]) -> tuple[BlockedUser, ...]:
    """The users of a listing's `data`, in upstream's shape (items holding `block_users`) or Meta's (users)."""
    found: list[BlockedUser] = []
    for item in data:
        if isinstance(item, Mapping) and isinstance(item.get("block_users"), list):
            found += _users(item["block_users"])
        elif (user := read_user(item)) is not None:
            found.append(user)
    return tuple(found)


def _result(added: bool) -> Any:
    key = "added_users" if added else "removed_users"

    def parse(status_code: int, headers: Mapping[str, str], content: bytes) -> BlockResult:
        body = json_object(status_code, headers, content, "the block list's answer")
        lists = body.get("block_users")
        lists = lists if isinstance(lists, Mapping) else {}
        failed = lists.get("failed_users")
        return BlockResult(
            users=_users(lists.get(key)),
            failed=tuple(item for item in map(read_failure, failed) if item is not None)
            if isinstance(failed, list)
            else (),
            raw=dict(body),
        )

    return parse


# The requests: checked before anything is sent.


def normalized_numbers(numbers: str | Iterable[str]) -> list[str]:
    """The numbers as upstream takes them (digits only), each once, in order; ValidationError naming every
    number that is not one (8-15 digits), or a count outside 1-1,000."""
    given = [numbers] if isinstance(numbers, str) else list(numbers)
    problems: list[Problem] = []
    normalized: dict[str, None] = {}
    for index, number in enumerate(given):
        where = f"$.numbers[{index}]"
        if not isinstance(number, str):
            problems.append(Problem(where, f"must be a phone number as a string, not {type(number).__name__}"))
            continue
        digits = normalize_phone(number)
        low, high = PHONE_DIGITS
        if not (digits.isascii() and digits.isdigit() and low <= len(digits) <= high):
            problems.append(
                Problem(where, f"{number!r} is not a phone number of {low}-{high} digits (+, spaces, dashes allowed)")
            )
            continue
        normalized[digits] = None
    if not given:
        problems.append(Problem("$.numbers", "needs at least 1 number"))
    elif len(normalized) > MAX_USERS_PER_REQUEST:
        problems.append(
            Problem("$.numbers", f"has {len(normalized)} numbers; one request takes at most {MAX_USERS_PER_REQUEST}")
        )
    if problems:
        raise ValidationError(problems, subject="block list request")
    return list(normalized)


def change_request(method: str, numbers: str | Iterable[str]) -> Request[BlockResult]:
    """POST (block) or DELETE (unblock) /block_users. Safe to repeat: blocking twice leaves one block."""
    users = normalized_numbers(numbers)
    body = {"messaging_product": "whatsapp", "block_users": [{"user": user} for user in users]}
    content = json.dumps(body, separators=(",", ":")).encode()
    return Request(method, BLOCK_USERS_PATH, _result(method == "POST"), body=content, idempotent=True)


def list_request(page_size: int = DEFAULT_PAGE_SIZE) -> Request[Page[BlockedUser]]:
    """The first page of the block list; each page's answer gives the request for the next."""
    if not isinstance(page_size, int) or isinstance(page_size, bool) or not 1 <= page_size <= MAX_USERS_PER_REQUEST:
        raise ValidationError(
            [Problem("$.page_size", f"must be a whole number from 1 to {MAX_USERS_PER_REQUEST}, not {page_size!r}")],
            subject="listing",
        )
    return _page(page_size, after=None, pages=0)


def _page(page_size: int, *, after: str | None, pages: int) -> Request[Page[BlockedUser]]:
    query = [("limit", str(page_size))] + ([("after", after)] if after is not None else [])

    def parse(status_code: int, headers: Mapping[str, str], content: bytes) -> Page[BlockedUser]:
        body = json_object(status_code, headers, content, "the block list")
        data = body.get("data")
        if not isinstance(data, list):
            raise UnexpectedResponseError(
                f"HTTP {status_code} without the block list (data): {snippet(content)!r}",
                status_code=status_code,
                body=body,
                request_id=request_id_of(headers, body),
            )
        users = listed_users(data)
        paging = body.get("paging")
        paging = paging if isinstance(paging, Mapping) else {}
        cursors = paging.get("cursors")
        cursor = cursors.get("after") if isinstance(cursors, Mapping) else None
        # The last page has no `next`; a cursor that does not move, or one a URL cannot carry, would loop.
        more = bool(users) and bool(paging.get("next")) and isinstance(cursor, str) and bool(cursor)
        if more and (cursor == after or pages + 1 >= MAX_PAGES or not utf8_encodable(str(cursor))):
            raise UnexpectedResponseError(
                "upstream's block list does not page (the same cursor again, or one a URL cannot carry); stopped",
                status_code=status_code,
                body=body,
            )
        return Page(users, _page(page_size, after=cast(str, cursor), pages=pages + 1) if more else None)

    return Request("GET", BLOCK_USERS_PATH, parse, query=tuple(query), idempotent=True)


class BlockUsersResource(Generic[ListT, ResultT]):
    _runner: Runner

    def list(self, *, page_size: int = DEFAULT_PAGE_SIZE) -> ListT:
        """Every blocked user, page by page as they are used (an async iterator on `AsyncClient`)."""
        return cast(ListT, self._runner.pages(list_request(page_size)))

    def add(self, numbers: str | Iterable[str]) -> ResultT:
        """Block these users (a number, or up to 1,000): they can no longer message the business, nor it them.

        Checked first: a `ValidationError` names every number that is not one, and nothing is sent. Upstream
        blocks only users that messaged the business in the last 24 hours; the others come back in `failed`
        (error 131047) or, when some fail, as a `BadRequestError` (139100) whose `body` lists them.
        """
        return cast(ResultT, self._runner.run(change_request("POST", numbers)))

    def remove(self, numbers: str | Iterable[str]) -> ResultT:
        """Unblock these users (a number, or up to 1,000), checked as `add` checks them."""
        return cast(ResultT, self._runner.run(change_request("DELETE", numbers)))


class BlockUsers(BlockUsersResource[Iterator[BlockedUser], BlockResult]):
    """`client.block_users` on `Client`: each method blocks; the listing is an iterator."""

    def __init__(self, client: BlockingCaller) -> None:
        self._runner = BlockingRunner(client)


class AsyncBlockUsers(BlockUsersResource[AsyncIterator[BlockedUser], Coroutine[Any, Any, BlockResult]]):
    """`client.block_users` on `AsyncClient`: the same methods, awaited; the listing is an async iterator."""

    def __init__(self, client: AwaitingCaller) -> None:
        self._runner = AwaitingRunner(client)
