"""`client.profile`: read and update the WhatsApp Business profile (about, address, description, email,
websites, vertical, photo).

    profile = client.profile.get()
    print(profile.about, profile.vertical, profile.websites)
    client.profile.update(about="Fresh bread daily", websites=["https://bakery.example"])

Written once: each operation is a function returning a `Request`, and `ProfileResource` hands them to a
runner; `Profile` (on `Client`) and `AsyncProfile` (on `AsyncClient`) differ only in their runner. An update
is checked first against what 360dialog's profile pages document (about 1-139 characters, address 256,
description 512, email 128 in email format, at most 2 websites of 256 with http:// or https://, a vertical
that is not empty), as the effective spec says it (`profile.UpdateBusinessProfileRequest`). The vertical is
open: a value newer than d360's list (`VERTICALS`) is sent and read as given.

Wire shapes: GET /whatsapp_business_profile?fields=... answers `{data: [profile]}` (upstream's page) or
`{data: [{business_profile: profile}]}` (Meta's spec): both are read. POST takes the fields to change, with
`messaging_product`, and answers `{success: true}`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Coroutine, Mapping, Sequence
from typing import Any, Generic, Protocol, TypeVar, cast

import attrs

from d360.errors import Problem, UnexpectedResponseError, ValidationError
from d360.resources.answers import json_object, text, texts
from d360.resources.base import AwaitingCaller, AwaitingRunner, BlockingCaller, BlockingRunner, Request, Runner
from d360.responses import _json_or_none, request_id_of, snippet
from d360.validation import schema_problems

PROFILE_PATH = "/whatsapp_business_profile"
FIELDS = ("about", "address", "description", "email", "profile_picture_url", "websites", "vertical")
"""What GET can answer (its `fields`), in the order 360dialog's page lists them."""
VERTICALS = (
    "UNDEFINED", "OTHER", "AUTO", "BEAUTY", "APPAREL", "EDU", "ENTERTAIN", "EVENT_PLAN", "FINANCE", "GROCERY",
    "GOVT", "HOTEL", "HEALTH", "NONPROFIT", "PROF_SERVICES", "RETAIL", "TRAVEL", "RESTAURANT", "ALCOHOL",
    "ONLINE_GAMBLING", "PHYSICAL_GAMBLING", "OTC_DRUGS", "NOT_A_BIZ",
)  # fmt: skip
"""The verticals upstream's pages list; a newer one is still sent and read as given."""
UPDATE_SCHEMA = "profile.UpdateBusinessProfileRequest"
PHOTO_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
"""What a profile photo may be: a JPEG or PNG image (the Cloud API's profile photo types)."""

ProfileT = TypeVar("ProfileT")
DoneT = TypeVar("DoneT")


@attrs.frozen
class BusinessProfile:
    """The business profile as upstream answers it; a field it left out (or was not asked for) is None."""

    about: str | None = None
    address: str | None = None
    description: str | None = None
    email: str | None = None
    vertical: str | None = None
    """One of `VERTICALS`, or a newer value as upstream writes it."""
    websites: tuple[str, ...] = ()
    profile_picture_url: str | None = None
    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)

    def to_dict(self) -> dict[str, Any]:
        """The fields as JSON-ready data (what `d360 profile get --json` prints)."""
        return {
            "about": self.about,
            "address": self.address,
            "description": self.description,
            "email": self.email,
            "vertical": self.vertical,
            "websites": list(self.websites),
            "profile_picture_url": self.profile_picture_url,
        }


def read_profile(item: Any) -> BusinessProfile:
    """A profile from one item of `data`, in either shape; an item that is not one gives an empty profile."""
    if isinstance(item, Mapping) and isinstance(item.get("business_profile"), Mapping):
        item = item["business_profile"]  # Meta's shape
    if not isinstance(item, Mapping):
        return BusinessProfile()
    return BusinessProfile(
        about=text(item.get("about")),
        address=text(item.get("address")),
        description=text(item.get("description")),
        email=text(item.get("email")),
        vertical=text(item.get("vertical")),
        websites=texts(item.get("websites")) if isinstance(item.get("websites"), list) else (),
        profile_picture_url=text(item.get("profile_picture_url")),
        raw=dict(item),
    )


def _parse_profile(status_code: int, headers: Mapping[str, str], content: bytes) -> BusinessProfile:
    body = json_object(status_code, headers, content, "the business profile")
    data = body.get("data")
    if not isinstance(data, list):
        raise UnexpectedResponseError(
            f"HTTP {status_code} without the business profile (data): {snippet(content)!r}",
            status_code=status_code,
            body=body,
            request_id=request_id_of(headers, body),
        )
    return read_profile(data[0]) if data else BusinessProfile()


def get_request(fields: Sequence[str] | None = None) -> Request[BusinessProfile]:
    """GET /whatsapp_business_profile with `fields` (every field by default), checked first."""
    wanted = list(FIELDS) if fields is None else ([fields] if isinstance(fields, str) else list(fields))
    problems = [
        Problem(f"$.fields[{index}]", f"must be one of {', '.join(FIELDS)}, not {field!r}")
        for index, field in enumerate(wanted)
        if field not in FIELDS
    ]
    if not wanted:
        problems.append(Problem("$.fields", f"needs at least one of {', '.join(FIELDS)}"))
    if problems:
        raise ValidationError(problems, subject="profile fields")
    query = (("fields", ",".join(dict.fromkeys(wanted))),)
    return Request("GET", PROFILE_PATH, _parse_profile, query=query, idempotent=True)


def update_request(changes: Mapping[str, Any], *, validate: bool = True) -> Request[None]:
    """POST /whatsapp_business_profile with the fields to change, checked first unless `validate` is False."""
    if not changes:
        raise ValidationError(
            [Problem("$", "nothing to update: give about, address, description, email, vertical, websites or "
                          "profile_picture_handle")],
            subject="business profile",
        )  # fmt: skip
    body = {"messaging_product": "whatsapp", **changes}
    if validate:
        problems = [_plainly(problem) for problem in schema_problems(body, UPDATE_SCHEMA)]
        if problems:
            raise ValidationError(problems, subject="business profile")
    try:
        content = json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
    except (TypeError, ValueError) as exc:  # a lone surrogate is a ValueError (UnicodeEncodeError)
        raise ValidationError([Problem("$", f"cannot be sent as JSON: {exc}")], subject="business profile") from None

    def parse(status_code: int, headers: Mapping[str, str], content: bytes) -> None:
        answer = _json_or_none(content)
        if isinstance(answer, Mapping) and answer.get("success") is False:
            raise UnexpectedResponseError(
                f"HTTP {status_code}, but upstream says the update did not succeed: {snippet(content)!r}",
                status_code=status_code,
                body=answer,
                request_id=request_id_of(headers, answer),
            )

    # Safe to repeat: the same fields set twice leave the same profile.
    return Request("POST", PROFILE_PATH, parse, body=content, idempotent=True)


def _plainly(problem: Problem) -> Problem:
    """A pattern's problem said in words: the email and website patterns mean nothing to a reader as regexes."""
    if " does not match " not in problem.message:
        return problem
    value = problem.message.split(" does not match ")[0]
    if problem.path == "$.email":
        return Problem(problem.path, f"{value} is not an email address (name@example.com)")
    if problem.path.startswith("$.websites["):
        return Problem(problem.path, f"{value} is not a URL starting with http:// or https://")
    return problem


def photo_type(file: Any, mime_type: str | None) -> str | None:
    """The photo's MIME type as far as it can be told before an upload (`mime_type`, or a path's suffix; None
    for bytes or a file object, whose type the upload finds); ValidationError for one that is not a photo's."""
    if mime_type is None and isinstance(file, str | os.PathLike):
        suffix = os.path.splitext(os.fspath(file))[1].lower()
        mime_type = PHOTO_TYPES.get(suffix)
        if mime_type is None:
            raise ValidationError(
                [Problem("$.file", f"{os.fspath(file)!r} is not a .jpg, .jpeg or .png file")], subject="profile photo"
            )
    if mime_type is not None and mime_type not in PHOTO_TYPES.values():
        raise ValidationError(
            [Problem("$.mime_type", f"a profile photo is image/jpeg or image/png, not {mime_type!r}")],
            subject="profile photo",
        )
    return mime_type


class ResumableUploads(Protocol):
    """What `set_photo` needs of `client.media` (said here, so this module imports no client)."""

    def upload_resumable(
        self, file: Any, mime_type: str | None = None, *, filename: str | None = None, session: str | None = None
    ) -> Any: ...


class ProfileResource(Generic[ProfileT, DoneT]):
    _runner: Runner

    def get(self, fields: Sequence[str] | None = None) -> ProfileT:
        """The business profile: every field, or those named (`fields=["about", "email"]`)."""
        return cast(ProfileT, self._runner.run(get_request(fields)))

    def update(
        self,
        *,
        about: str | None = None,
        address: str | None = None,
        description: str | None = None,
        email: str | None = None,
        vertical: str | None = None,
        websites: Sequence[str] | None = None,
        profile_picture_handle: str | None = None,
    ) -> DoneT:
        """Change the fields given; those left out stay as they are. Checked first (unless the client was
        made with `validate=False`): a `ValidationError` names every problem with its path, and nothing is
        sent. `profile_picture_handle` is the handle of an image uploaded through an upload session
        (`client.media.upload_resumable("logo.jpg")`)."""
        fields = {
            "about": about,
            "address": address,
            "description": description,
            "email": email,
            "vertical": vertical,
            "websites": list(websites) if websites is not None and not isinstance(websites, str) else websites,
            "profile_picture_handle": profile_picture_handle,
        }
        changes = {key: value for key, value in fields.items() if value is not None}
        return cast(DoneT, self._runner.run(update_request(changes, validate=self._runner.validates)))


class Profile(ProfileResource[BusinessProfile, None]):
    """`client.profile` on `Client`: each method blocks."""

    def __init__(self, client: BlockingCaller, media: ResumableUploads) -> None:
        self._runner = BlockingRunner(client)
        self._media = media

    def set_photo(self, file: Any, mime_type: str | None = None, *, filename: str | None = None) -> None:
        """Make a JPEG or PNG (a path, bytes or a binary file) the profile photo: uploaded through an upload
        session (resumed where it stopped, should a chunk fail), then set by its handle."""
        handle = self._media.upload_resumable(file, photo_type(file, mime_type), filename=filename)
        self.update(profile_picture_handle=handle)


class AsyncProfile(ProfileResource[Coroutine[Any, Any, BusinessProfile], Coroutine[Any, Any, None]]):
    """`client.profile` on `AsyncClient`: the same methods, awaited."""

    def __init__(self, client: AwaitingCaller, media: ResumableUploads) -> None:
        self._runner = AwaitingRunner(client)
        self._media = media

    async def set_photo(self, file: Any, mime_type: str | None = None, *, filename: str | None = None) -> None:
        """Make a JPEG or PNG the profile photo; see `Profile.set_photo`."""
        handle = await self._media.upload_resumable(file, photo_type(file, mime_type), filename=filename)
        await self.update(profile_picture_handle=handle)
