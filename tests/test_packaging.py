"""What `make dist` builds is what users install: the wheel holds both packages, the effective spec, the
pytest plugin and the command, and works on its own (no checkout beside it)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    # As `make dist` builds it, without the isolated environment (so no network): the same backend, pinned.
    result = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    [built] = out.glob("d360_messaging-*.whl")
    return built


def test_the_wheel_holds_both_packages_the_effective_spec_and_the_plugin(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "d360/__init__.py",
        "d360/py.typed",
        "d360/cli/__init__.py",
        "d360/contract/suite/pytest.ini",
        "d360_api/__init__.py",
        "d360_api/py.typed",
        "d360_api/openapi.json",
        "d360_api/overlay.yaml",
        "d360_pytest/__init__.py",
    ):
        assert expected in names, expected
    assert not [name for name in names if "__pycache__" in name or name.startswith(("tests/", "src/"))]
    metadata = next(name for name in names if name.endswith(".dist-info/entry_points.txt"))
    entry_points = zipfile.ZipFile(wheel).read(metadata).decode()
    assert "d360 = d360.cli:main" in entry_points and "d360 = d360_pytest" in entry_points


def test_the_installed_wheel_sends_through_its_own_sandbox(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--target", str(target),
         str(wheel)],
        check=True,
        timeout=300,
    )  # fmt: skip
    program = (
        "import d360, d360_api, pathlib, sys\n"
        f"assert pathlib.Path(d360.__file__).is_relative_to({str(target)!r}), d360.__file__\n"
        "from d360 import sandbox\n"
        "with sandbox.running() as served:\n"
        "    with d360.Client(api_key=served.api_key, base_url=served.base_url) as client:\n"
        "        print(client.send_text('4915112345678', 'from the wheel').message_id)\n"
    )
    # Only the installed wheel on the path ahead of the dependencies: not this checkout's src/.
    environment = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=120, env=environment, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("wamid.")
    command = subprocess.run(
        [sys.executable, "-m", "d360", "--help"], capture_output=True, text=True, timeout=60, env=environment
    )
    assert command.returncode == 0 and "bulk" in command.stdout
