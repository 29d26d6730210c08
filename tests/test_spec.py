"""Reading the spec from the upstream docs page, raw JSON, files and URLs."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import socket
import time
from pathlib import Path

import pytest

from d360.spec.source import MAX_SPEC_BYTES, SpecFetchError, SpecSourceError, canonical_json, load_spec, parse_spec
from tests.conftest import SHARED_UPSTREAM_PAGE, UPSTREAM_PAGE, VENDORED_SPEC
from tests.scripted_server import Reply, ScriptedServer


def test_extracting_the_upstream_page_gives_exactly_the_vendored_json() -> None:
    assert canonical_json(load_spec(UPSTREAM_PAGE)) == VENDORED_SPEC.read_text(encoding="utf-8")


UPSTREAM_PAGE_SHA256 = "b9976c0c3d02a25bf4065d4548eafcdb2ae6a893f85544254673e8de9d1b232b"
"""The digest of upstream's 1.44.0 page as served, recorded when it was vendored."""


def test_fixture_page_is_upstreams_page_verbatim() -> None:
    # Held to the digest recorded when it was vendored, so a clone alone checks it; where upstream's
    # reference material sits beside the clone (../shared/upstream), the bytes are compared too.
    fixture = UPSTREAM_PAGE.read_bytes()
    assert hashlib.sha256(fixture).hexdigest() == UPSTREAM_PAGE_SHA256
    if SHARED_UPSTREAM_PAGE.exists():
        assert fixture == SHARED_UPSTREAM_PAGE.read_bytes()


def test_vendored_spec_is_version_1_44_0_with_sorted_two_space_indents() -> None:
    text = VENDORED_SPEC.read_text(encoding="utf-8")
    spec = json.loads(text)
    assert spec["info"]["version"] == "1.44.0"
    assert text == json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_raw_json_and_the_docs_page_give_the_same_spec(tmp_path: Path) -> None:
    raw = tmp_path / "raw.json"
    raw.write_text(json.dumps(load_spec(UPSTREAM_PAGE)))
    assert load_spec(raw) == load_spec(UPSTREAM_PAGE)


def test_the_first_fence_holding_an_openapi_document_is_taken() -> None:
    page = '# Page\n\n```json\n{"example": true}\n```\n\n```json\n{"openapi": "3.1.0", "info": {}}\n```\n'
    assert parse_spec(page) == {"openapi": "3.1.0", "info": {}}


def test_spec_is_fetched_from_a_url(server: ScriptedServer) -> None:
    server.script(Reply(200, UPSTREAM_PAGE.read_text(encoding="utf-8"), {"Content-Type": "text/markdown"}))
    assert load_spec(f"{server.base_url}/messages.md")["info"]["version"] == "1.44.0"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# Messages\n\nNo spec here.\n", "neither OpenAPI JSON nor a docs page with a ```json fence"),
        ('```json\n{"openapi": \n```\n', "invalid JSON in the ```json fence"),
        ('{"openapi": "3.1.0",}', "invalid JSON in page: Expecting property name"),
        ("```json\n[1, 2]\n```\n", "holds JSON, but not an object"),
        ('```json\n{"title": "x"}\n```\n', "no ```json fence in page holds an OpenAPI document"),
    ],
)
def test_unreadable_sources_name_the_problem(text: str, expected: str) -> None:
    with pytest.raises(SpecSourceError, match=None) as caught:
        parse_spec(text, origin="page")
    assert expected in str(caught.value)


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(SpecSourceError, match=r"no such file: .*absent\.json"):
        load_spec(tmp_path / "absent.json")


def test_http_error_status_is_named(server: ScriptedServer) -> None:
    server.script(Reply(404, "not here"))
    with pytest.raises(SpecSourceError, match="HTTP 404"):
        load_spec(f"{server.base_url}/gone.md")


# A source is untrusted: a size cap, a deadline, and "could not fetch" told apart from "not a spec".


def test_an_http_error_and_an_unreachable_url_are_fetch_errors(server: ScriptedServer) -> None:
    server.script(Reply(503, "down"))
    with pytest.raises(SpecFetchError, match="HTTP 503"):
        load_spec(f"{server.base_url}/messages.md")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    with pytest.raises(SpecFetchError, match=f"cannot fetch http://127.0.0.1:{closed}/"):
        load_spec(f"http://127.0.0.1:{closed}/messages.md")


def test_a_source_that_drips_is_given_up_at_the_deadline(server: ScriptedServer) -> None:
    server.script(Reply(200, "x" * 5000, trickle=0.02, trickle_body_only=True))
    started = time.monotonic()
    with pytest.raises(SpecFetchError, match="not read whole within 1 s"):
        load_spec(f"{server.base_url}/messages.md", deadline=1.0)
    assert time.monotonic() - started < 30  # about a hang, not about speed


def test_a_source_that_never_answers_is_given_up_at_the_deadline(server: ScriptedServer) -> None:
    server.script(Reply(200, "{}", delay=60))
    started = time.monotonic()
    with pytest.raises(SpecFetchError, match="within 1 s"):
        load_spec(f"{server.base_url}/messages.md", deadline=1.0)
    assert time.monotonic() - started < 30


def test_an_answer_past_the_size_cap_is_refused_without_reading_it_all(server: ScriptedServer) -> None:
    server.script(Reply(200, b"{" + b" " * (MAX_SPEC_BYTES + 10) + b"}"))
    with pytest.raises(SpecSourceError, match="holds more than 16,777,216 bytes") as caught:
        load_spec(f"{server.base_url}/messages.md")
    assert not isinstance(caught.value, SpecFetchError)  # too large is bad input, not "try again later"


def test_a_gzip_bomb_is_refused_at_the_size_cap(server: ScriptedServer) -> None:
    bomb = gzip.compress(b" " * (64 * 1024 * 1024))  # 64 MiB of spaces in about 64 KB
    assert len(bomb) < 200_000
    server.script(Reply(200, bomb, {"Content-Encoding": "gzip"}))
    with pytest.raises(SpecSourceError, match="holds more than"):
        load_spec(f"{server.base_url}/messages.md")


def test_a_gzipped_page_is_read(server: ScriptedServer) -> None:
    page = UPSTREAM_PAGE.read_bytes()
    server.script(Reply(200, gzip.compress(page), {"Content-Encoding": "gzip", "Content-Type": "text/markdown"}))
    assert load_spec(f"{server.base_url}/messages.md") == load_spec(UPSTREAM_PAGE)
    assert server.requests[0].headers["Accept-Encoding"] == "gzip, deflate"


def test_a_file_past_the_size_cap_is_refused(tmp_path: Path) -> None:
    huge = tmp_path / "huge.json"
    huge.write_bytes(b"{" + b" " * MAX_SPEC_BYTES + b"}")
    with pytest.raises(SpecSourceError, match="holds more than"):
        load_spec(huge)


def test_a_named_pipe_is_refused_at_once_not_waited_on(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    with pytest.raises(SpecSourceError, match="is not a regular file"):
        load_spec(pipe, deadline=30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"openapi": "3.1.0", "info": {}, "info": {}}', "the key 'info' appears twice in one object"),
        ('{"openapi": "3.1.0", "x": NaN}', "NaN is not a JSON number"),
        ('{"openapi": "3.1.0", "x": ' + "1" * 5000 + "}", "invalid JSON in page"),
        ('{"a": ' * 50_000 + "1" + "}" * 50_000, "nested too deeply"),
    ],
    ids=["repeated-key", "nan", "a-number-thousands-of-digits-long", "nested-too-deeply"],
)
def test_json_a_spec_should_not_hold_is_refused_in_words(text: str, expected: str) -> None:
    with pytest.raises(SpecSourceError, match=re.escape(expected)):
        parse_spec(text, origin="page")


def test_bytes_that_are_not_utf8_are_refused_in_words(tmp_path: Path) -> None:
    latin = tmp_path / "page.md"
    latin.write_bytes(b'{"openapi": "3.1.0", "title": "caf\xe9"}')
    with pytest.raises(SpecSourceError, match=r"is not valid utf-8: byte 34 cannot be read"):
        load_spec(latin)
