"""The documentation site: built strict from the code's docstrings, the README and the parser's help, so a
broken link, a missing reference or a renamed class fails `make test`; and it renders in a real browser."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import d360
from tests.browser import chromium, rendered_dom, screenshot

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["index", "cli", "contributing", "changelog"] + [
    f"reference/{name}" for name in ("d360", "webhooks", "media", "bulk", "sandbox", "spec", "d360_api")
]


def build(config: Path, site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    built = tmp_path_factory.mktemp("site")
    result = build(ROOT / "mkdocs.yml", built)
    assert result.returncode == 0, result.stderr
    return built


def page(site: Path, name: str) -> str:
    return (site / ("index.html" if name == "index" else f"{name}/index.html")).read_text(encoding="utf-8")


def test_every_page_is_built(site: Path) -> None:
    for name in PAGES:
        assert "<h1" in page(site, name), name


def test_the_reference_documents_every_public_name(site: Path) -> None:
    reference = page(site, "reference/d360")
    for name in d360.__all__:
        if name in ("SPEC_VERSION", "webhooks", "messages", "templates"):
            continue
        value = getattr(d360, name)
        assert f'id="{value.__module__}.{value.__qualname__}"' in reference, name
    assert 'id="d360.webhooks.receiver.Receiver"' in page(site, "reference/webhooks")
    assert 'id="d360.media.client.Media"' in page(site, "reference/media")
    assert 'id="d360_api.client.AuthenticatedClient"' in page(site, "reference/d360_api")


def test_the_command_line_page_is_the_parsers_own_help(site: Path) -> None:
    cli = page(site, "cli")
    for command in ("d360 send", "d360 bulk", "d360 bulk-report", "d360 webhook listen", "d360 media upload"):
        assert f"<code>{command}</code>" in cli, command
    assert "--await-statuses" in cli and "--journal" in cli


def test_the_guide_is_the_readme(site: Path) -> None:
    guide = page(site, "index")
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            assert line[3:].replace("`", "").split(":")[0].strip() in guide.replace("<code>", "").replace("</code>", "")
    assert 'href="contributing/' in guide or "contributing" not in (ROOT / "README.md").read_text().lower()


def test_a_broken_link_fails_the_build(tmp_path: Path) -> None:
    for name in ("docs", "src", "generated"):
        (tmp_path / name).symlink_to(ROOT / name)
    for name in ("mkdocs.yml", "README.md", "CONTRIBUTING.md", "CHANGELOG.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    readme = tmp_path / "README.md"
    readme.write_text(readme.read_text() + "\nSee [the missing part](#no-such-heading) and [a page](nowhere.md).\n")
    result = build(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert result.returncode != 0
    assert "nowhere.md" in result.stderr and "no-such-heading" in result.stderr


def test_the_site_loads_nothing_from_another_host(site: Path) -> None:
    """Offline, behind a firewall, or from a file: no script, style sheet, font or picture from a CDN."""
    loaded = re.compile(r"<(?:script|link|img|iframe|source)\b[^>]*?\b(?:src|href)=[\"']((?:https?:)?//[^\"']+)", re.I)
    pages = sorted(site.rglob("*.html"))
    assert pages
    found = {
        (page.relative_to(site).as_posix(), url) for page in pages for url in loaded.findall(page.read_text("utf-8"))
    }
    assert not found
    assert ".codehilite" in (site / "css" / "pygments.css").read_text(encoding="utf-8")
    assert 'class="codehilite"' in page(site, "index")


def test_the_site_renders_in_a_real_browser(site: Path, tmp_path: Path) -> None:
    chromium()
    for name, expected in (("index", "Sending messages"), ("reference/d360", "send_text")):
        dom = rendered_dom(site / ("index.html" if name == "index" else f"{name}/index.html"))
        assert expected in dom and 'class="navbar' in dom, name
    drawn = screenshot(site / "reference/d360/index.html", tmp_path / "reference.png", 1200, 900)
    assert drawn > 10_000  # it drew the page
