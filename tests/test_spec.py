"""Reading the spec from the upstream docs page, raw JSON, files and URLs."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from d360.spec.source import SpecSourceError, canonical_json, load_spec, parse_spec
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
