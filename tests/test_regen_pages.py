"""Several upstream pages, one effective spec: the real scripts/regen.sh on a copy of the repo, given two and
three pages, pages in any order, pages that conflict, and pages whose versions differ."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import UPSTREAM_PAGE
from tests.scripted_server import Reply, ScriptedServer
from tests.spec_pages import block_users_page, health_page, webhooks_page
from tests.spec_versions import spec_1_45_0, vendored_spec
from tests.test_regen import copy_of_repo, regen, snapshot


@pytest.fixture(scope="module")
def pristine_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_of_repo(tmp_path_factory.mktemp("pristine-pages"))


@pytest.fixture
def repo(tmp_path: Path, pristine_repo: Path) -> Path:
    shutil.copytree(pristine_repo, tmp_path / "repo")
    return tmp_path / "repo"


def page_file(folder: Path, name: str, spec: dict[str, Any], as_docs_page: bool = False) -> str:
    """A page as a file: raw JSON, or wrapped in a docs page's ```json fence as upstream serves it."""
    path = folder / name
    text = json.dumps(spec)
    path.write_text(f"# A page\n\n```json\n{text}\n```\n" if as_docs_page else text, encoding="utf-8")
    return str(path)


def canonical(spec: dict[str, Any]) -> str:
    return json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def effective(repo: Path) -> dict[str, Any]:
    return json.loads((repo / "generated" / "d360_api" / "openapi.json").read_text(encoding="utf-8"))


def check_generated(repo: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "scripts/regen.py", "--check"], cwd=repo, capture_output=True, text=True, check=False
    )


def test_two_pages_make_one_spec_and_one_client(repo: Path, tmp_path: Path) -> None:
    messages_before = (repo / "openapi" / "messages.json").read_bytes()
    result = regen(repo, str(UPSTREAM_PAGE), page_file(tmp_path, "block.md", block_users_page(), as_docs_page=True))

    assert result.returncode == 0, result.stderr
    assert (repo / "openapi" / "messages.json").read_bytes() == messages_before  # stays as upstream has it
    assert (repo / "openapi" / "block-users.json").read_text(encoding="utf-8") == canonical(block_users_page())
    report = [line.strip() for line in result.stdout.splitlines()]
    assert "spec 1.44.0 -> 1.44.0: 6 changes, 0 BREAKING" in report
    assert "compatible GET /block_users: operation added" in report
    assert "compatible POST /block_users: operation added" in report
    assert "compatible block_users.BlockUsersRequest: schema added (request)" in report
    assert "regen: generated/d360_api is now Messaging API 1.44.0, from block-users.json, messages.json" in report

    spec = effective(repo)
    assert {"/messages", "/block_users", "/v1/configs/webhook"} <= spec["paths"].keys()
    assert [tag["name"] for tag in spec["tags"]][:2] == ["Block Users", "Messages"]
    assert (repo / "generated" / "d360_api" / "api" / "block_users" / "get_blocked_users.py").exists()
    assert check_generated(repo).returncode == 0
    readme = (repo / "generated" / "README.md").read_text(encoding="utf-8")
    assert "from `openapi/block-users.json`, `openapi/messages.json` (Messaging API 1.44.0)" in readme

    # Both pages are now vendored: regenerating from them alone changes nothing.
    after = snapshot(repo)
    again = regen(repo)
    assert again.returncode == 0, again.stderr
    assert "spec 1.44.0 -> 1.44.0: 0 changes, 0 BREAKING" in again.stdout
    assert snapshot(repo) == after


def test_three_pages_whose_versions_differ_are_merged_and_the_difference_reported(repo: Path, tmp_path: Path) -> None:
    result = regen(
        repo,
        page_file(tmp_path, "health.json", health_page("1.45.0")),
        str(UPSTREAM_PAGE),
        page_file(tmp_path, "block.json", block_users_page()),
    )

    assert result.returncode == 0, result.stderr
    note = (
        "The pages differ in version: block-users.json 1.44.0, health.json 1.45.0, messages.json 1.44.0; "
        "the merged spec says 1.45.0."
    )
    assert note in result.stdout.splitlines()
    assert "spec 1.44.0 -> 1.45.0: " in result.stdout
    assert 'version = "1.45.0"' in (repo / "pyproject.toml").read_text(encoding="utf-8")
    changelog = (repo / "CHANGELOG.md").read_text(encoding="utf-8")
    assert note in changelog[changelog.index("## 1.45.0") :]
    assert sorted(path.name for path in (repo / "openapi").glob("*.json")) == [
        "block-users.json", "health.json", "messages.json",
    ]  # fmt: skip
    spec = effective(repo)
    assert {"/messages", "/block_users", "/health_status"} <= spec["paths"].keys()
    versions = subprocess.run(
        [sys.executable, "-c", "import d360_api; print(d360_api.SPEC_VERSION)"],
        env={**os.environ, "PYTHONPATH": str(repo / "generated")},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert versions == "1.45.0"
    assert check_generated(repo).returncode == 0


def test_the_same_pages_in_any_order_give_the_same_bytes(tmp_path: Path, pristine_repo: Path) -> None:
    sources = {
        "health": page_file(tmp_path, "health.json", health_page()),
        "block": page_file(tmp_path, "block.json", block_users_page()),
        "messages": str(UPSTREAM_PAGE),
    }
    snapshots = []
    for order in (["messages", "block", "health"], ["health", "messages", "block"], ["block", "health", "messages"]):
        repo = tmp_path / "-".join(order)
        shutil.copytree(pristine_repo, repo)
        result = regen(repo, *(sources[name] for name in order))
        assert result.returncode == 0, result.stderr
        snapshots.append(snapshot(repo))
    assert snapshots[0] == snapshots[1] == snapshots[2]


@pytest.mark.parametrize(
    ("make_pages", "expected"),
    [
        (
            lambda: [block_users_page() | {"components": {**block_users_page()["components"], "schemas": {
                **block_users_page()["components"]["schemas"], "utils.ErrorResp": {"type": "string"}}}}],
            "block-users.json and messages.json define components['schemas']['utils.ErrorResp'] differently",
        ),
        (
            lambda: [block_users_page() | {"paths": {**block_users_page()["paths"], "/messages": {
                "post": {"responses": {"200": {"description": "other"}}}}}}],
            "block-users.json and messages.json define paths['/messages']['post'] differently",
        ),
        (
            lambda: [block_users_page() | {"servers": [{"url": "https://waba-sandbox.360dialog.io"}]}],
            "block-users.json and messages.json define servers differently",
        ),
        (
            lambda: [block_users_page() | {"info": {"title": "Partners V2 API", "version": "2.0.0"}}],
            "define info['title'] differently",
        ),
        (
            lambda: [block_users_page() | {"tags": [{"name": "Block Users"}, {"name": "Health"}]}],
            "is not one upstream page: a page's fragment names exactly one tag, this one names 2 ('Block Users', 'Health')",
        ),
        (lambda: [block_users_page(), block_users_page("1.45.0")], "are both the 'block-users' page"),
    ],
    ids=["schema", "path", "servers", "another-api", "two-tags", "one-page-twice"],
)  # fmt: skip
def test_pages_that_conflict_are_refused_in_one_line_and_change_nothing(
    make_pages: Any, expected: str, repo: Path, tmp_path: Path
) -> None:
    before = snapshot(repo)
    sources = [page_file(tmp_path, f"page{index}.json", page) for index, page in enumerate(make_pages())]

    result = regen(repo, *sources)

    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("regen: error: "), result.stderr
    assert expected in lines[0]
    assert snapshot(repo) == before


def test_the_report_spans_every_page(repo: Path, tmp_path: Path) -> None:
    assert regen(repo, page_file(tmp_path, "block.json", block_users_page())).returncode == 0
    changed_block = block_users_page("1.45.0")
    del changed_block["components"]["schemas"]["block_users.BlockedUser"]["properties"]["input"]

    result = regen(
        repo, page_file(tmp_path, "messages.json", spec_1_45_0()), page_file(tmp_path, "b.json", changed_block)
    )

    assert result.returncode == 0, result.stderr
    report = [line.strip() for line in result.stdout.splitlines()]
    assert "spec 1.44.0 -> 1.45.0: 5 changes, 4 BREAKING" in report
    assert "BREAKING   block_users.BlockedUser: property 'input' removed (response)" in report  # from one page
    assert "BREAKING   messages.TextMessage: property 'preview_url' removed (request)" in report  # from the other
    changelog = (repo / "CHANGELOG.md").read_text(encoding="utf-8")
    section = changelog[changelog.index("## 1.45.0") :]
    assert "`block_users.BlockedUser`: property 'input' removed (response)" in section
    assert "`messages.TextMessage`: property 'preview_url' removed (request)" in section


def test_the_overlay_check_spans_every_page(repo: Path, tmp_path: Path) -> None:
    result = regen(repo, page_file(tmp_path, "webhooks.json", webhooks_page()))

    assert result.returncode == 0, result.stderr
    redundant = [
        line.split()[1].rstrip(":") for line in result.stdout.splitlines() if line.strip().startswith("REDUNDANT")
    ]
    assert redundant == ["$.components.schemas", "$.tags", "$.paths"]  # the Webhooks page now says what they add
    assert "Overlay actions upstream made redundant" in (repo / "CHANGELOG.md").read_text(encoding="utf-8")
    assert effective(repo)["paths"]["/v1/configs/webhook"] == webhooks_page()["paths"]["/v1/configs/webhook"]


def test_a_vendored_page_under_the_wrong_name_is_refused(repo: Path) -> None:
    (repo / "openapi" / "health.json").write_text(canonical(block_users_page()), encoding="utf-8")
    result = regen(repo)
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        == "regen: error: openapi/health.json holds the page of the tag 'block-users', not 'health'"
    )
    check = check_generated(repo)
    assert check.returncode == 2 and "holds the page of the tag 'block-users'" in check.stderr


def test_a_fragment_is_validated_alone_and_named_in_the_error(repo: Path, tmp_path: Path) -> None:
    broken = block_users_page()
    broken["paths"]["/block_users"]["get"]["responses"] = "none"
    source = page_file(tmp_path, "broken.json", broken)
    result = regen(repo, str(UPSTREAM_PAGE), source)
    assert result.returncode == 2
    assert result.stderr.startswith(f"regen: error: invalid OpenAPI document in {source}: ")


def test_the_vendored_page_is_still_the_messages_page() -> None:
    assert vendored_spec()["tags"] == [
        {"description": "Endpoints for sending and managing messages", "name": "Messages"}
    ]


def test_the_scheduled_workflow_fetches_every_vendored_page(repo: Path, tmp_path: Path, server: ScriptedServer) -> None:
    """The workflow's regeneration step, run as written, against upstream's pages served from 127.0.0.1."""
    assert regen(repo, page_file(tmp_path, "block.json", block_users_page())).returncode == 0
    workflow = yaml.safe_load((repo / ".github" / "workflows" / "upstream-spec.yml").read_text(encoding="utf-8"))
    [step] = [step for step in workflow["jobs"]["regenerate"]["steps"] if step.get("id") == "regen"]
    block_page = f"# Block Users\n\n```json\n{json.dumps(block_users_page('1.45.0'))}\n```\n"
    server.script(Reply(200, block_page), Reply(200, UPSTREAM_PAGE.read_text(encoding="utf-8")))
    outputs = tmp_path / "outputs"
    environment = {**os.environ, "PYTHON": sys.executable, "UPSTREAM_PAGES": server.base_url,
                   "RUNNER_TEMP": str(tmp_path), "GITHUB_OUTPUT": str(outputs)}  # fmt: skip
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base"], cwd=repo, check=True)
    (repo / ".venv").symlink_to(Path(sys.executable).parent.parent)  # the workflow's `make install`

    result = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo, env=environment, capture_output=True,
                            text=True, timeout=300, check=False)  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert [request.path for request in server.requests] == ["/block-users.md", "/messages.md"]
    assert outputs.read_text().splitlines() == ["version=1.45.0", "moved=true"]
    assert "The pages differ in version: block-users.json 1.45.0, messages.json 1.44.0" in (
        tmp_path / "regen-report.txt"
    ).read_text(encoding="utf-8")
