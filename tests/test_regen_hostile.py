"""No code from a spec: scripts/regen.sh, run on a hostile spec, generates a package that imports and runs
without the spec's strings ever becoming code, or refuses the spec in one line and changes nothing."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import jinja2
import pytest

from tests.hostile_spec import (
    CANARY_VARIABLE,
    HOSTILE,
    HOSTILE_NAMES,
    ONE_LINE_HOSTILE,
    REFUSED,
    hostile_spec,
    with_change,
)
from tests.test_regen import regen, regen_module, snapshot

# Run in a fresh interpreter against the regenerated package: every module imported, every model built
# from hostile keys and values and turned back into JSON, every enum asked for every hostile value, the
# hostile endpoint's request built, and the clients made. It prints what it found, as JSON.
EXERCISE = textwrap.dedent(
    """
    import enum, importlib, inspect, json, pkgutil, sys
    import d360_api
    from d360_api import AuthenticatedClient

    names, values = json.loads(sys.argv[1]), json.loads(sys.argv[2])
    modules = [importlib.import_module(info.name) for info in pkgutil.walk_packages(d360_api.__path__, "d360_api.")]
    found = {"modules": len(modules), "enum_values": []}
    body = {name: text for name, text in zip(names, values)}
    body["kind"] = values[0]
    model = None
    for module in modules:
        for value in vars(module).values():
            if not (inspect.isclass(value) and value.__module__ == module.__name__):
                continue
            if issubclass(value, enum.Enum):
                found["enum_values"] += [member.value for member in value]
                if value.__name__.endswith("Kind"):
                    found["kept"] = [value(text).value for text in values]
            elif value.__name__.startswith("HostileThing"):
                model = value.from_dict(body)
                found["round_trip"] = model.to_dict() == body
                found["default"] = value().fallback
    [endpoint] = [module for module in modules if module.__name__.startswith("d360_api.api.hostile")
                  and hasattr(module, "_get_kwargs")]
    query = [name for name in inspect.signature(endpoint._get_kwargs).parameters
             if name not in ("item_id", "body", "x_hostile")]
    request = endpoint._get_kwargs("7/8", body=model, x_hostile=values[0], **{name: "q" for name in query})
    found["request"] = {"url": request["url"], "params": sorted(request["params"]),
                        "header": request["headers"]["X-Hostile"], "json": request["json"] == body}
    client = AuthenticatedClient(token="the-key")
    found["header"] = [name for name in client.get_httpx_client().headers if name.lower().startswith("d360")]
    found["base_url"] = str(client.get_httpx_client().base_url)
    found["title_in_doc"] = "Messaging API" in (d360_api.__doc__ or "")
    print(json.dumps(found))
    """
)


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.test_regen import copy_of_repo

    repo = copy_of_repo(tmp_path_factory.mktemp("hostile"))
    (repo / "openapi" / "messages.json").unlink()  # the hostile page is the only page
    source = repo.parent / "hostile.json"
    source.write_text(json.dumps(hostile_spec()), encoding="utf-8")
    result = regen(repo, str(source))
    assert result.returncode == 0, result.stderr
    return repo


def exercise(repo: Path, canary: Path) -> dict:  # type: ignore[type-arg]
    environment = {**os.environ, "PYTHONPATH": str(repo / "generated"), CANARY_VARIABLE: str(canary)}
    result = subprocess.run(
        [sys.executable, "-c", EXERCISE, json.dumps(HOSTILE_NAMES), json.dumps(list(ONE_LINE_HOSTILE.values()))],
        env=environment,
        cwd=repo.parent,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    found: dict = json.loads(result.stdout)  # type: ignore[type-arg]
    return found


def test_hostile_strings_reach_the_generated_package_only_as_data(regenerated: Path, tmp_path: Path) -> None:
    canary = tmp_path / "canary"
    found = exercise(regenerated, canary)

    assert not canary.exists(), "a string from the spec ran as code"
    assert found["modules"] > 60
    assert found["round_trip"] is True  # hostile property names and values travel as given, both ways
    assert found["kept"] == list(ONE_LINE_HOSTILE.values())  # every hostile enum value is taken as given
    spec_values = set(json.dumps(value) for value in ONE_LINE_HOSTILE.values()) | {'"plain"'}
    hostile_members = [value for value in found["enum_values"] if json.dumps(value) in spec_values]
    assert hostile_members, "the hostile enum has members"
    assert found["request"] == {
        "url": "/hostile/7%2F8",
        "params": sorted(HOSTILE_NAMES),  # query parameter names sent as given
        "header": ONE_LINE_HOSTILE["double quote"],
        "json": True,
    }
    assert found["header"] == ["d360-api-key"]
    assert found["base_url"] == "https://waba-v2.360dialog.io"
    assert found["title_in_doc"] is True
    assert found["default"] == ONE_LINE_HOSTILE["jinja"] + ONE_LINE_HOSTILE["unicode"]  # the spec's default, as is


def test_no_generated_value_is_one_the_spec_does_not_hold(regenerated: Path, tmp_path: Path) -> None:
    found = exercise(regenerated, tmp_path / "canary")
    effective = (regenerated / "generated" / "d360_api" / "openapi.json").read_text(encoding="utf-8")
    spec_text = json.dumps(json.loads(effective), ensure_ascii=False)
    for value in found["enum_values"]:
        assert json.dumps(value, ensure_ascii=False) in spec_text, f"{value!r} is not a value of the spec"


def test_the_hostile_package_is_what_the_hostile_spec_always_generates(regenerated: Path) -> None:
    check = subprocess.run(
        [sys.executable, "scripts/regen.py", "--check"], cwd=regenerated, capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stderr


@pytest.mark.parametrize("change", list(REFUSED))
def test_what_generated_code_cannot_carry_is_refused_in_one_line(
    change: str, tmp_path: Path, pristine_repo: Path
) -> None:
    import shutil

    repo = tmp_path / "repo"
    shutil.copytree(pristine_repo, repo)
    source = tmp_path / "spec.json"
    source.write_text(json.dumps(with_change(change)), encoding="utf-8")
    before = snapshot(repo)

    result = regen(repo, str(source))

    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("regen: error: "), result.stderr
    assert REFUSED[change] in lines[0]
    assert lines[0].isprintable()  # control characters shown as escapes, never sent to the terminal
    assert "root:" not in result.stderr  # no file's content, whatever a $ref names
    assert snapshot(repo) == before


@pytest.fixture(scope="module")
def pristine_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.test_regen import copy_of_repo

    return copy_of_repo(tmp_path_factory.mktemp("pristine-hostile"))


@pytest.mark.parametrize("text", [*HOSTILE.values(), '\\u0022"', "{% endset %}", "\udcff"])
def test_a_value_handed_to_the_templates_is_read_back_exactly(text: str) -> None:
    """The server URL and the key's header reach the templates in a Jinja string of nothing but escapes."""
    literal = regen_module().jinja_string(text)
    assert literal.isascii() and literal.isprintable()
    assert jinja2.Environment().from_string("{% set value = " + literal + " %}{{ value }}").render() == text


def test_the_templates_get_python_literals_of_the_header_and_the_server() -> None:
    spec = hostile_spec()
    spec["components"]["securitySchemes"]["D360-API-KEY"]["name"] = ONE_LINE_HOSTILE["double quote"]
    spec["servers"][0]["url"] = "https://example.com/" + ONE_LINE_HOSTILE["single quote"]
    source = regen_module().template_values(spec) + "{{ api_key_header_literal }}\n{{ server_url_literal }}"
    header, server = jinja2.Environment().from_string(source).render().splitlines()[-2:]
    assert ast.literal_eval(header) == ONE_LINE_HOSTILE["double quote"]  # a literal, not an expression
    assert ast.literal_eval(server) == "https://example.com/" + ONE_LINE_HOSTILE["single quote"]
