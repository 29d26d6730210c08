"""The real scripts/regen.sh, run on a copy of the repo: determinism, version bumps and atomic failures."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import ROOT, UPSTREAM_PAGE
from tests.scripted_server import Reply, ScriptedServer
from tests.spec_versions import spec_1_45_0, vendored_spec


def copy_of_repo(destination: Path) -> Path:
    """The files git would commit, as they are now: what a contributor's clone holds."""
    listed = (
        subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return destination


def regen_module() -> ModuleType:
    """scripts/regen.py as a module, for its pure functions."""
    if "_regen_script" not in sys.modules:
        module_spec = importlib.util.spec_from_file_location("_regen_script", ROOT / "scripts" / "regen.py")
        assert module_spec is not None and module_spec.loader is not None
        module = importlib.util.module_from_spec(module_spec)
        sys.modules["_regen_script"] = module
        module_spec.loader.exec_module(module)
    return sys.modules["_regen_script"]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def regen(repo: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHON": sys.executable}
    return subprocess.run(
        ["bash", str(repo / "scripts" / "regen.sh"), *arguments],
        cwd=repo,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def pristine_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_of_repo(tmp_path_factory.mktemp("pristine"))


@pytest.fixture
def repo(tmp_path: Path, pristine_repo: Path) -> Path:
    shutil.copytree(pristine_repo, tmp_path / "repo")
    return tmp_path / "repo"


def test_regenerating_the_vendored_spec_changes_nothing(repo: Path) -> None:
    before = snapshot(repo)
    result = regen(repo)
    assert result.returncode == 0, result.stderr
    assert "spec 1.44.0 -> 1.44.0: 0 changes, 0 BREAKING" in result.stdout
    assert snapshot(repo) == before


def test_regenerating_from_the_upstream_page_changes_nothing(repo: Path) -> None:
    before = snapshot(repo)
    result = regen(repo, str(UPSTREAM_PAGE))
    assert result.returncode == 0, result.stderr
    assert snapshot(repo) == before


def test_a_wrapper_only_post_release_survives_regeneration_until_the_spec_moves(repo: Path, tmp_path: Path) -> None:
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('version = "1.44.0"', 'version = "1.44.0.post1"'))
    assert regen(repo).returncode == 0
    assert 'version = "1.44.0.post1"' in pyproject.read_text()
    check = subprocess.run([sys.executable, "scripts/regen.py", "--check"], cwd=repo, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    bumped = tmp_path / "1.45.0.json"
    bumped.write_text(json.dumps(spec_1_45_0()))
    assert regen(repo, str(bumped)).returncode == 0
    assert 'version = "1.45.0"' in pyproject.read_text()


def test_generated_models_have_clean_names_derived_from_the_spec(repo: Path) -> None:
    models = repo / "generated" / "d360_api" / "models"
    for module, class_name in [
        ("message", "Message"),
        ("media_object", "MediaObject"),
        ("template_message", "TemplateMessage"),
        ("message_response_payload", "MessageResponsePayload"),
        ("error_resp", "ErrorResp"),
    ]:
        assert f"class {class_name}:" in (models / f"{module}.py").read_text()
    assert not list(models.glob("messages_*.py"))


def test_version_bump_regenerates_and_reports_every_change(repo: Path, server: ScriptedServer) -> None:
    page = UPSTREAM_PAGE.read_text(encoding="utf-8")
    fence_start = page.index("```json\n") + len("```json\n")
    fence_end = page.index("\n```", fence_start)
    server.script(Reply(200, page[:fence_start] + json.dumps(spec_1_45_0()) + page[fence_end:]))

    result = regen(repo, f"{server.base_url}/docs/messages.md")

    assert result.returncode == 0, result.stderr
    report = [line.strip() for line in result.stdout.splitlines()]
    assert "spec 1.44.0 -> 1.45.0: 4 changes, 3 BREAKING" in report
    assert "BREAKING   messages.LanguageObject: required property 'policy' added (request)" in report
    assert "compatible messages.Message: optional property 'biz_opaque_callback_data' added (request)" in report
    assert 'BREAKING   messages.ResponseMessage.message_status: enum value "failed" added (response)' in report
    assert "BREAKING   messages.TextMessage: property 'preview_url' removed (request)" in report

    assert json.loads((repo / "openapi" / "messages.json").read_text()) == spec_1_45_0()
    models = repo / "generated" / "d360_api" / "models"
    assert "biz_opaque_callback_data: str | Unset = UNSET" in (models / "message.py").read_text()
    assert 'FAILED = "failed"' in (models / "response_message_message_status.py").read_text()
    assert "preview_url" not in (models / "text_message.py").read_text()
    assert "policy: LanguageObjectPolicy" in (models / "language_object.py").read_text()
    assert 'version = "1.45.0"' in (repo / "pyproject.toml").read_text()

    versions = subprocess.run(
        [sys.executable, "-c", "import d360, d360_api; print(d360.SPEC_VERSION, d360_api.SPEC_VERSION)"],
        env={**os.environ, "PYTHONPATH": f"{repo / 'generated'}{os.pathsep}{repo / 'src'}"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert versions == ["1.45.0", "1.45.0"]

    changelog = (repo / "CHANGELOG.md").read_text()
    section = changelog[changelog.index("## 1.45.0") :]
    assert "Spec update 1.44.0 -> 1.45.0, `d360_api` regenerated: 4 changes, 3 BREAKING." in section
    assert "- **BREAKING** `messages.TextMessage`: property 'preview_url' removed (request)" in section
    assert "- compatible `messages.Message`: optional property 'biz_opaque_callback_data' added (request)" in section

    # The new version is now the vendored one: regenerating it again changes nothing.
    after_bump = snapshot(repo)
    assert regen(repo).returncode == 0
    assert snapshot(repo) == after_bump


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def write(path: Path, content: str) -> str:
    path.write_text(content, encoding="utf-8")
    return str(path)


def generator_breaking_spec() -> str:
    """Valid OpenAPI the generator cannot turn into Python: two parameters that make the same identifier."""
    spec = vendored_spec()
    spec["paths"]["/messages"]["post"]["parameters"] = [
        {"name": name, "in": "query", "schema": {"type": "string"}} for name in ("trace-id", "trace.id")
    ]
    return json.dumps(spec)


def old_openapi() -> str:
    spec = vendored_spec()
    del spec["openapi"]
    spec["swagger"] = "2.0"
    return json.dumps(spec)


def invalid_openapi() -> str:
    spec = vendored_spec()
    spec["paths"]["/messages"]["post"]["responses"] = "none"
    return json.dumps(spec)


@pytest.mark.parametrize(
    ("make_source", "expected", "exit_code"),
    [
        (lambda folder: f"http://127.0.0.1:{closed_port()}/messages.md", "cannot fetch http://127.0.0.1:", 3),
        (
            lambda folder: write(folder / "page.md", "# Messages\n\nNo fence.\n"),
            "neither OpenAPI JSON nor a docs page with a ```json fence",
            2,
        ),
        (lambda folder: write(folder / "broken.json", '{"openapi": "3.1.0", '), "invalid JSON in ", 2),
        (lambda folder: write(folder / "page.md", '# M\n\n```json\n{"openapi": [}\n```\n'), "invalid JSON in ", 2),
        (lambda folder: write(folder / "invalid.json", invalid_openapi()), "invalid OpenAPI document in ", 2),
        (lambda folder: write(folder / "clash.json", generator_breaking_spec()), "openapi-python-client failed: ", 2),
        (lambda folder: str(folder / "absent.json"), "no such file: ", 2),
        (lambda folder: write(folder / "old.json", old_openapi()), "is not an OpenAPI 3 document", 2),
        (
            lambda folder: write(folder / "repeated.json", '{"openapi": "3.1.0", "openapi": "3.0.0"}'),
            "appears twice",
            2,
        ),
        (lambda folder: str(folder), "is not a regular file", 2),
        (lambda folder: write(folder / "huge.json", '{"openapi": "' + "x" * (16 * 1024 * 1024) + '"}'), "too large", 2),
        (lambda folder: write(folder / "deep.json", '{"a": ' * 100_000 + "1" + "}" * 100_000), "nested too deeply", 2),
    ],
    ids=[
        "unreachable-url",
        "no-json-fence",
        "invalid-json",
        "invalid-json-in-fence",
        "invalid-openapi",
        "generator-error",
        "missing-file",
        "swagger-2",
        "repeated-key",
        "a-folder",
        "too-large",
        "nested-too-deeply",
    ],
)
def test_bad_source_gives_one_clear_line_and_leaves_the_repo_unchanged(
    repo: Path, tmp_path: Path, make_source: Callable[[Path], str], expected: str, exit_code: int
) -> None:
    before = snapshot(repo)
    result = regen(repo, make_source(tmp_path))
    assert result.returncode == exit_code, result.stderr
    error_lines = result.stderr.strip().splitlines()
    assert len(error_lines) == 1, result.stderr
    assert error_lines[0].startswith("regen: error: ")
    assert expected in error_lines[0]
    assert snapshot(repo) == before


def test_generator_error_names_the_cause(repo: Path, tmp_path: Path) -> None:
    result = regen(repo, write(tmp_path / "clash.json", generator_breaking_spec()))
    assert "Parameters with same Python identifier" in result.stderr


def test_check_generated_names_the_files_that_drifted(repo: Path) -> None:
    clean = subprocess.run(
        [sys.executable, "scripts/regen.py", "--check"], cwd=repo, capture_output=True, text=True, check=False
    )
    assert clean.returncode == 0, clean.stderr
    (repo / "generated" / "d360_api" / "models" / "message.py").write_text("# edited by hand\n")
    (repo / "generated" / "d360_api" / "stray.py").write_text("")
    (repo / "generated" / "d360_api" / "types.py").unlink()
    drifted = subprocess.run(
        [sys.executable, "scripts/regen.py", "--check"], cwd=repo, capture_output=True, text=True, check=False
    )
    assert drifted.returncode == 1
    assert "generated/d360_api/models/message.py differs from what the spec generates" in drifted.stderr
    assert "generated/d360_api/stray.py should not exist" in drifted.stderr
    assert "generated/d360_api/types.py is missing" in drifted.stderr


def test_the_generator_is_given_one_value_of_those_that_differ_only_in_case() -> None:
    effective = {"a": {"enum": ["catalog", "url", "CATALOG", "Url", "flow"]}, "b": [{"enum": [1, 2]}]}
    view = regen_module().generator_view(effective)
    assert view == {"a": {"enum": ["catalog", "url", "flow"]}, "b": [{"enum": [1, 2]}]}
    assert effective["a"]["enum"] == ["catalog", "url", "CATALOG", "Url", "flow"]  # the input is left as it was


def test_the_shipped_effective_spec_keeps_both_cases_and_the_enum_keeps_the_one_sent() -> None:
    from d360_api.models import TemplateComponent, TemplateComponentSubType

    effective = json.loads((ROOT / "generated" / "d360_api" / "openapi.json").read_text(encoding="utf-8"))
    sub_types = effective["components"]["schemas"]["messages.TemplateComponent"]["properties"]["sub_type"]["enum"]
    assert {"catalog", "CATALOG", "copy_code", "COPY_CODE"} <= set(sub_types)
    assert TemplateComponentSubType("CATALOG").value == "CATALOG"
    assert TemplateComponentSubType("catalog") is TemplateComponentSubType.CATALOG
    component = {"type": "button", "sub_type": "COPY_CODE", "index": 0}
    assert TemplateComponent.from_dict(component).to_dict() == component


def test_a_deadline_must_be_positive(repo: Path) -> None:
    result = regen(repo, "--deadline", "0", str(UPSTREAM_PAGE))
    assert (result.returncode, result.stderr) == (2, "regen: error: --deadline must be more than 0 seconds, not 0\n")


def test_a_source_slower_than_the_deadline_exits_3_and_changes_nothing(repo: Path, server: ScriptedServer) -> None:
    server.script(Reply(200, UPSTREAM_PAGE.read_text(encoding="utf-8"), trickle=0.01, trickle_body_only=True))
    before = snapshot(repo)
    result = regen(repo, "--deadline", "1", f"{server.base_url}/messages.md")
    assert result.returncode == 3
    assert result.stderr == f"regen: error: cannot fetch {server.base_url}/messages.md: not read whole within 1 s\n"
    assert snapshot(repo) == before
