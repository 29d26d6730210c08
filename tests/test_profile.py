"""`client.profile` through both clients, the sandbox's profile, and `d360 profile get|set`."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import d360
from d360 import sandbox
from d360.resources.profile import BusinessProfile
from d360.sandbox.profile import INITIAL
from tests.scripted_server import Reply, ScriptedServer
from tests.test_cli import D360


@pytest.fixture(scope="module")
def served() -> Iterator[sandbox.RunningSandbox]:
    with sandbox.running() as running:
        yield running


@pytest.fixture(autouse=True)
def first_profile(served: sandbox.RunningSandbox) -> None:
    served.sandbox.profile.reset()


def client(served: sandbox.RunningSandbox) -> d360.Client:
    return d360.Client(api_key=served.api_key, base_url=served.base_url)


def test_get_and_update_through_the_blocking_client(served: sandbox.RunningSandbox) -> None:
    with client(served) as blocking:
        profile = blocking.profile.get()
        assert (profile.about, profile.vertical, profile.websites) == (
            INITIAL["about"],
            "OTHER",
            ("https://example.com",),
        )
        assert blocking.profile.update(about="Fresh bread daily", websites=["https://a.example", "http://b.example"],
                                       vertical="RESTAURANT") is None  # fmt: skip
        changed = blocking.profile.get()
    assert changed.about == "Fresh bread daily" and changed.vertical == "RESTAURANT"
    assert changed.websites == ("https://a.example", "http://b.example")
    assert changed.email == INITIAL["email"]  # left out: unchanged


def test_get_and_update_through_the_async_client(served: sandbox.RunningSandbox) -> None:
    async def run() -> tuple[BusinessProfile, BusinessProfile]:
        async with d360.AsyncClient(api_key=served.api_key, base_url=served.base_url) as awaiting:
            await awaiting.profile.update(email="hello@bakery.example", description="x" * 512)
            return await awaiting.profile.get(["email"]), await awaiting.profile.get()

    only_email, everything = asyncio.run(run())
    assert only_email == BusinessProfile(email="hello@bakery.example")
    assert everything.description == "x" * 512


def test_a_vertical_newer_than_d360_is_sent_and_read_as_given(served: sandbox.RunningSandbox) -> None:
    with client(served) as blocking:
        blocking.profile.update(vertical="SPACE_TRAVEL")
        assert blocking.profile.get().vertical == "SPACE_TRAVEL"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"about": ""}, "$.about: must not be empty"),
        ({"about": "x" * 140}, "$.about: is 140 characters, more than the limit of 139"),
        ({"address": "x" * 257}, "$.address: is 257 characters, more than the limit of 256"),
        ({"description": "x" * 513}, "$.description: is 513 characters, more than the limit of 512"),
        ({"email": "bakery"}, "$.email: 'bakery' is not an email address"),
        ({"email": "a@b.c" + "x" * 124}, "$.email: is 129 characters, more than the limit of 128"),
        ({"websites": ["https://a", "https://b", "https://c"]}, "$.websites: has 3 items, more than the limit of 2"),
        ({"websites": ["bakery.example"]}, "$.websites[0]: 'bakery.example' is not a URL starting with http://"),
        ({"websites": "https://bakery.example"}, "$.websites: must be array"),
        ({"vertical": ""}, "$.vertical: must not be empty"),
        ({}, "$: nothing to update"),
    ],
)
def test_bad_input_is_refused_before_sending(
    served: sandbox.RunningSandbox, changes: dict[str, Any], expected: str
) -> None:
    before = served.sandbox.profile.fields()
    with client(served) as blocking, pytest.raises(d360.ValidationError) as refused:
        blocking.profile.update(**changes)
    assert str(refused.value.problems[0]).startswith(expected)
    assert served.sandbox.profile.fields() == before


def test_unknown_fields_are_refused_before_sending(served: sandbox.RunningSandbox) -> None:
    with client(served) as blocking, pytest.raises(d360.ValidationError) as refused:
        blocking.profile.get(["about", "phone"])
    assert str(refused.value.problems[0]).startswith("$.fields[1]: must be one of about, address")


def test_without_validation_the_sandbox_still_refuses_what_upstream_would(served: sandbox.RunningSandbox) -> None:
    unchecked = d360.Client(api_key=served.api_key, base_url=served.base_url, validate=False)
    with unchecked, pytest.raises(d360.BadRequestError, match=r"\$.about: is 140 characters"):
        unchecked.profile.update(about="x" * 140)
    assert served.sandbox.profile.fields()["about"] == INITIAL["about"]


def test_the_sandbox_answers_the_fields_asked_for_and_refuses_others(served: sandbox.RunningSandbox) -> None:
    headers = {"D360-API-KEY": served.api_key}
    url = f"{served.base_url}/whatsapp_business_profile"
    answer = httpx.get(url, params={"fields": "about,vertical"}, headers=headers)
    assert answer.json() == {
        "data": [{"messaging_product": "whatsapp", "about": INITIAL["about"], "vertical": "OTHER"}]
    }
    assert httpx.get(url, params={"fields": "about,phone"}, headers=headers).status_code == 400
    assert httpx.get(url, params={"fields": ""}, headers=headers).status_code == 400
    assert httpx.post(url, json={"messaging_product": "sms"}, headers=headers).status_code == 400
    assert httpx.get(url).status_code == 401


def test_a_photo_handle_from_an_upload_session_sets_the_picture(served: sandbox.RunningSandbox) -> None:
    with client(served) as blocking:
        handle = blocking.media.upload_resumable(b"\xff\xd8\xff\xe0" + b"0" * 200, "image/jpeg", filename="logo.jpg")
        blocking.profile.update(profile_picture_handle=handle)
        url = blocking.profile.get(["profile_picture_url"]).profile_picture_url
    assert url is not None and url.startswith("https://pps.whatsapp.net/v/sandbox/")


def test_set_photo_uploads_through_a_session_and_sets_it_through_both_clients(
    served: sandbox.RunningSandbox, tmp_path: Path
) -> None:
    photo = tmp_path / "logo.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 200)
    sessions = len(served.sandbox.media.sessions)
    with client(served) as blocking:
        blocking.profile.set_photo(photo)
        first = blocking.profile.get(["profile_picture_url"]).profile_picture_url

    async def run() -> str | None:
        async with d360.AsyncClient(api_key=served.api_key, base_url=served.base_url) as awaiting:
            await awaiting.profile.set_photo(b"\xff\xd8\xff\xe0" + b"1" * 200, "image/jpeg", filename="b.jpg")
            return (await awaiting.profile.get(["profile_picture_url"])).profile_picture_url

    second = asyncio.run(run())
    assert first and second and first != second and first.startswith("https://pps.whatsapp.net/v/sandbox/")
    assert len(served.sandbox.media.sessions) == sessions + 2  # each through an upload session


@pytest.mark.parametrize(
    ("file", "mime_type", "expected"),
    [
        ("logo.gif", None, "$.file: 'logo.gif' is not a .jpg, .jpeg or .png file"),
        (b"GIF89a", "image/gif", "$.mime_type: a profile photo is image/jpeg or image/png, not 'image/gif'"),
    ],
)
def test_a_photo_that_is_not_one_is_refused_before_the_upload(
    served: sandbox.RunningSandbox, file: object, mime_type: str | None, expected: str
) -> None:
    sessions = len(served.sandbox.media.sessions)
    with client(served) as blocking, pytest.raises(d360.ValidationError) as refused:
        blocking.profile.set_photo(file, mime_type)
    assert str(refused.value.problems[0]) == expected
    assert len(served.sandbox.media.sessions) == sessions


def test_fields_an_update_may_not_set_are_not_kept(served: sandbox.RunningSandbox) -> None:
    headers = {"D360-API-KEY": served.api_key}
    url = f"{served.base_url}/whatsapp_business_profile"
    body = {"about": "Hi", "profile_picture_url": 42, "messaging_product": "whatsapp"}
    assert httpx.post(url, json=body, headers=headers).json() == {"success": True}
    assert "profile_picture_url" not in served.sandbox.profile.fields()
    assert served.sandbox.profile.fields()["about"] == "Hi"


def test_reset_brings_back_the_first_profile(served: sandbox.RunningSandbox) -> None:
    with client(served) as blocking:
        blocking.profile.update(about="changed")
    served.sandbox.reset()
    assert served.sandbox.profile.fields() == INITIAL


# Reading answers in both shapes.


def test_metas_shape_is_read_too_and_unknown_fields_are_kept(server: ScriptedServer) -> None:
    meta = {"data": [{"business_profile": {"messaging_product": "whatsapp", "about": "Hi", "vertical": "NEW_ONE",
                                           "websites": ["https://x"], "brand_new": True}}]}  # fmt: skip
    server.script(Reply(200, meta), Reply(200, {"data": []}), Reply(200, {"profile": {}}))
    with d360.Client(api_key="k", base_url=server.base_url) as blocking:
        profile = blocking.profile.get()
        assert (profile.about, profile.vertical, profile.websites) == ("Hi", "NEW_ONE", ("https://x",))
        assert profile.raw["brand_new"] is True
        assert blocking.profile.get() == BusinessProfile()
        with pytest.raises(d360.UnexpectedResponseError, match="without the business profile"):
            blocking.profile.get()
    assert server.requests[0].path == (
        "/whatsapp_business_profile?fields=about%2Caddress%2Cdescription%2Cemail%2Cprofile_picture_url%2Cwebsites"
        "%2Cvertical"
    )


def test_an_update_upstream_says_failed_is_an_error(server: ScriptedServer) -> None:
    server.script(Reply(200, {"success": False}))
    with (
        d360.Client(api_key="k", base_url=server.base_url) as blocking,
        pytest.raises(d360.UnexpectedResponseError, match="did not succeed"),
    ):
        blocking.profile.update(about="Hi")
    assert server.requests[0].json() == {"messaging_product": "whatsapp", "about": "Hi"}


# d360 profile.


def environment(served: sandbox.RunningSandbox) -> dict[str, str]:
    found = {key: value for key, value in os.environ.items() if not key.startswith("D360_")}
    return {**found, "D360_API_KEY": served.api_key, "D360_BASE_URL": served.base_url}


def d360_profile(served: sandbox.RunningSandbox, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([D360, "profile", *arguments], capture_output=True, text=True, env=environment(served),
                          timeout=60, check=False)  # fmt: skip


def test_d360_profile_set_then_get(served: sandbox.RunningSandbox, tmp_path: Path) -> None:
    photo = tmp_path / "logo.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 200)
    changed = d360_profile(served, "set", "--about", "Fresh bread", "--website", "https://a.example",
                           "--website", "https://b.example", "--photo", str(photo))  # fmt: skip
    assert changed.returncode == 0, changed.stderr
    assert changed.stdout == "profile updated: about, profile_picture_handle, websites\n"
    shown = d360_profile(served, "get")
    assert "about:                Fresh bread\n" in shown.stdout
    assert "websites:             https://a.example, https://b.example\n" in shown.stdout
    record = json.loads(d360_profile(served, "get", "--fields", "about,profile_picture_url", "--json").stdout)
    assert record["profile"]["about"] == "Fresh bread" and record["profile"]["email"] is None
    assert record["profile"]["profile_picture_url"].startswith("https://pps.whatsapp.net/v/sandbox/")


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ((), "d360: error: nothing to change: give --about"),
        (("--email", "bakery"), "d360: error: invalid business profile (1 problem): $.email: 'bakery' is not an email"),
        (("--about", "x" * 140), "$.about: is 140 characters, more than the limit of 139"),
        (("--photo", "logo.gif"), "d360: error: invalid profile photo (1 problem): $.file: 'logo.gif' is not a .jpg"),
        (("--photo", "logo.png", "--about", ""), "$.about: must not be empty"),
    ],
)
def test_d360_profile_set_refuses_bad_input_with_exit_2(
    served: sandbox.RunningSandbox, arguments: tuple[str, ...], expected: str
) -> None:
    result = d360_profile(served, "set", *arguments)
    assert result.returncode == 2 and expected in result.stderr
    assert served.sandbox.profile.fields() == INITIAL


def test_the_sandboxs_answers_fit_the_effective_spec_and_survive_the_generated_models(
    served: sandbox.RunningSandbox,
) -> None:
    from d360_api.models import GetBusinessProfileResponse, UpdateBusinessProfileResponse

    from d360.validation import schema_problems

    headers = {"D360-API-KEY": served.api_key}
    url = f"{served.base_url}/whatsapp_business_profile"
    updated = httpx.post(url, json={"vertical": "SPACE_TRAVEL", "about": "Hi"}, headers=headers).json()
    read = httpx.get(url, headers=headers).json()
    assert schema_problems(updated, "profile.UpdateBusinessProfileResponse") == []
    assert UpdateBusinessProfileResponse.from_dict(updated).to_dict() == updated
    assert schema_problems(read, "profile.GetBusinessProfileResponse") == [], read
    parsed = GetBusinessProfileResponse.from_dict(read)
    assert parsed.to_dict() == read and parsed.data[0].vertical == "SPACE_TRAVEL"  # the open enum keeps it
