"""The README's API coverage table cannot lie: every operation of the effective spec has a row, each row's
method is on both `Client` and `AsyncClient`, each command it names exists, and each operation it says the
sandbox answers is routed there.

Adding a tag is adding its rows to the table (one line per operation); nothing here changes.
"""

from __future__ import annotations

import argparse
import json
import re
from typing import Any

import attrs
import pytest

import d360
from d360.cli import build_parser
from d360.sandbox import Sandbox
from tests.conftest import EFFECTIVE_SPEC, ROOT

README = ROOT / "README.md"
START, END = "<!-- coverage:start -->", "<!-- coverage:end -->"
METHODS = ("get", "post", "put", "patch", "delete")
_OPERATION = re.compile(r"^`(GET|POST|PUT|PATCH|DELETE) (/[^`]*)`$")
_METHOD = re.compile(r"^`([a-z_][a-z0-9_.]*)`")
_COMMAND = re.compile(r"^`d360 ([a-z-]+)")


@attrs.frozen
class Row:
    tag: str
    operation: str
    method: str
    cli: str
    sandbox: str

    @property
    def spec_operation(self) -> tuple[str, str] | None:
        """(METHOD, path) when the row names an operation of the effective spec's kind."""
        found = _OPERATION.match(self.operation)
        return (found[1], found[2]) if found else None

    @property
    def wrapper(self) -> str | None:
        """The method's dotted name on the clients, or None for a row that says why it is not wrapped."""
        found = _METHOD.match(self.method)
        return found[1] if found else None


def table_rows(text: str) -> list[Row]:
    assert text.count(START) == 1 and text.count(END) == 1, "the README has one coverage table between its markers"
    table = text.split(START, 1)[1].split(END, 1)[0].strip().splitlines()
    rows = []
    for line in table[2:]:  # after the header and its rule
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        assert len(cells) == 5, f"a coverage row has 5 cells: {line}"
        rows.append(Row(*cells))
    return rows


ROWS = table_rows(README.read_text(encoding="utf-8"))


def spec_operations() -> dict[tuple[str, str], str]:
    """Each operation of the effective spec, and its tag."""
    document = json.loads(EFFECTIVE_SPEC.read_text(encoding="utf-8"))
    return {
        (method.upper(), path): (operation.get("tags") or ["(no tag)"])[0]
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    }


def test_every_operation_of_the_effective_spec_has_a_row() -> None:
    listed = {row.spec_operation for row in ROWS}
    missing = sorted(f"{method} {path}" for method, path in spec_operations() if (method, path) not in listed)
    assert not missing, f"operations with no row in the README's coverage table: {missing}"


def test_every_operation_a_row_names_is_in_the_effective_spec_under_its_tag() -> None:
    operations = spec_operations()
    for row in ROWS:
        if row.spec_operation is not None:
            assert row.spec_operation in operations, f"not an operation of the effective spec: {row.operation}"
            assert operations[row.spec_operation] == row.tag, (
                f"{row.operation} is under {operations[row.spec_operation]}"
            )


def test_an_operation_has_one_row() -> None:
    named = [row.spec_operation for row in ROWS if row.spec_operation is not None]
    assert len(named) == len(set(named))


def test_a_row_not_wrapped_says_why() -> None:
    for row in ROWS:
        if row.wrapper is None:
            reason = row.method.removeprefix("not wrapped:").strip()
            assert row.method.startswith("not wrapped:") and len(reason) > 10, f"say why it is not wrapped: {row}"


def _resolve(client: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        client = getattr(client, part)
    return client


@pytest.mark.parametrize("row", [row for row in ROWS if row.wrapper], ids=lambda row: f"{row.operation}")
def test_each_method_is_on_both_clients(row: Row) -> None:
    assert row.wrapper is not None
    options: dict[str, Any] = {"api_key": "coverage-key", "base_url": "http://127.0.0.1:9"}  # never called
    with d360.Client(**options) as blocking:
        assert callable(_resolve(blocking, row.wrapper)), f"Client has no {row.wrapper}"
    awaiting = d360.AsyncClient(**options)
    assert callable(_resolve(awaiting, row.wrapper)), f"AsyncClient has no {row.wrapper}"


def test_each_command_exists() -> None:
    parser = build_parser()
    [commands] = [action for action in parser._actions if isinstance(action, argparse._SubParsersAction)]
    for row in ROWS:
        found = _COMMAND.match(row.cli)
        assert found is not None or row.cli == "—", f"the CLI cell is `d360 COMMAND ...` or —: {row}"
        if found is not None:
            assert found[1] in commands.choices, f"no command d360 {found[1]}"


def test_each_operation_the_sandbox_answers_is_routed_there() -> None:
    from starlette.routing import Match

    routes = Sandbox().app.routes
    for row in ROWS:
        assert row.sandbox in ("yes", "no", "—"), f"the sandbox cell is yes, no or —: {row}"
        operation = row.spec_operation
        if operation is None or row.sandbox != "yes":
            continue
        method, path = operation
        path = re.sub(r"\{[^}]+\}", "1234567890", path)
        scope = {"type": "http", "method": method, "path": path, "root_path": ""}
        matches = [route for route in routes if route.matches(scope)[0] == Match.FULL]
        assert matches, f"the sandbox does not answer {row.operation}"
