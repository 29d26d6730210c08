"""The architecture holds: no import cycles between d360's modules, and `import d360` loads only what a
sender needs (the rest is imported when first used)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import d360

SOURCE = Path(__file__).resolve().parent.parent / "src"


def module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Every import of one d360 module by another, at any depth of the code (a function's too)."""
    modules = {module_name(path): path for path in (SOURCE / "d360").rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join([*package.split(".")[: len(package.split(".")) - node.level + 1], base]).strip(".")
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names
                ]
            else:
                continue
            graph[name] |= {target for target in targets if target in modules and target != name}
    return graph


def test_no_module_of_d360_imports_itself_back() -> None:
    graph = import_graph()
    assert "d360.bulk.run" in graph and "d360.concurrency" in graph  # the graph is read, not empty
    state: dict[str, str] = {}
    cycles: list[list[str]] = []

    def visit(module: str, trail: list[str]) -> None:
        state[module] = "open"
        for target in sorted(graph[module]):
            if state.get(target) == "open":
                cycles.append([*trail[trail.index(target) :], target])
            elif target not in state:
                visit(target, [*trail, target])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_the_client_and_the_bulk_engine_do_not_import_each_other() -> None:
    graph = import_graph()
    assert not any(target.startswith("d360.bulk") for target in graph["d360.client"])
    assert "d360.client" not in graph["d360.concurrency"]


def test_import_d360_leaves_what_only_some_users_need_for_later() -> None:
    later = ["aiohttp", "asyncio", "httpcore", "jsonschema_rs", "d360_api", "sqlite3", "starlette", "d360.bulk",
             "d360.sandbox", "d360.webhooks", "d360.media", "d360.spec", "d360.cli", "d360.concurrency", "d360.contract"]  # fmt: skip
    probe = (
        "import sys, d360; d360.Client, d360.AsyncClient, d360.messages.text, d360.RetryPolicy; "
        f"print(' '.join(sorted(m for m in sys.modules if any(m == p or m.startswith(p + '.') for p in {later!r}))))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    assert loaded == []
    probe_later = (
        "import d360; d360.SendOutcome; d360.webhooks.parse; import sys; print('d360.concurrency' in sys.modules)"
    )
    assert (
        subprocess.run([sys.executable, "-c", probe_later], capture_output=True, text=True, check=True).stdout
        == "True\n"
    )


def test_a_client_loads_the_templates_resource_only_when_templates_are_used() -> None:
    # The template check's cache is made with every client; the resource and the check wait for their first use.
    probe = (
        "import sys, d360; d360.Client(api_key='k'); "
        "print(sorted(m for m in sys.modules if m.startswith('d360.resources.')))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded == "['d360.resources.template_cache']\n"


def test_the_command_line_loads_a_commands_heavy_parts_only_when_that_command_runs() -> None:
    # Every `d360` process pays for what the parser imports: the webhook event classes alone took 20 ms.
    probe = "import sys, d360.cli; print(sorted(m for m in sys.modules if m.startswith(('d360.webhooks', 'uvicorn'))))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded == "[]\n"


def test_a_d360_subprocess_imports_the_d360_these_tests_import() -> None:
    """So `make mutate` reaches code that only runs inside `d360 bulk`: mutmut's mutated copy is what the
    tests import, and through PYTHONPATH (tests/conftest.py) what their subprocesses import too."""
    script = Path(sys.executable).parent / "d360"
    probe = "import d360, sys; print(d360.__file__)"
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    assert found == d360.__file__
    assert script.exists()  # the console script the CLI tests run resolves imports through the same path
    first = subprocess.run(
        [sys.executable, "-c", "import os; print(os.environ['PYTHONPATH'].split(os.pathsep)[0])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert first == str(Path(d360.__file__).resolve().parents[1])
