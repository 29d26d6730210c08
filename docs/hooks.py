"""mkdocs hooks: the site's guides are the README, CONTRIBUTING and CHANGELOG themselves, and its command
line page is the parser's own help, so nothing on the site is written twice or goes stale. The Pygments
style sheet is written beside the pages, so the site needs no other host."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

PAGES_FROM_FILES = {"index.md": "README.md", "contributing.md": "CONTRIBUTING.md", "changelog.md": "CHANGELOG.md"}
LINKS_BETWEEN_PAGES = {"README.md": "index.md", "CONTRIBUTING.md": "contributing.md", "CHANGELOG.md": "changelog.md"}


def on_page_read_source(page: Any, config: Any) -> str | None:
    source = page.file.src_uri
    if source in PAGES_FROM_FILES:
        root = Path(config["config_file_path"]).parent  # the repository: mkdocs.yml sits at its top
        text = (root / PAGES_FROM_FILES[source]).read_text(encoding="utf-8")
        return re.sub(r"\]\(([A-Z]+\.md)(#[^)]*)?\)", _page_link, text)
    if source == "cli.md":
        return command_line_reference()
    return None


def on_post_build(config: Any) -> None:
    from pygments.formatters import HtmlFormatter

    sheet = Path(config["site_dir"]) / "css" / "pygments.css"
    sheet.parent.mkdir(parents=True, exist_ok=True)
    sheet.write_text(HtmlFormatter(style="default").get_style_defs(".codehilite"), encoding="utf-8")


def _page_link(match: re.Match[str]) -> str:
    return f"]({LINKS_BETWEEN_PAGES.get(match.group(1), match.group(1))}{match.group(2) or ''})"


def command_line_reference() -> str:
    """`d360 --help`, then the help of every command and subcommand, as the parser prints it."""
    from d360.cli import build_parser

    parts = [
        "# Command line\n",
        "Every `d360` command and its flags, as `--help` prints them. Exit codes and examples are in the guide.\n",
    ]
    for name, parser in _parsers(build_parser(), "d360"):
        parser.prog = name
        parts.append(f"## `{name}`\n\n```text\n{parser.format_help().rstrip()}\n```\n")
    return "\n".join(parts)


def _parsers(parser: argparse.ArgumentParser, name: str) -> list[tuple[str, argparse.ArgumentParser]]:
    found = [(name, parser)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command, subparser in action.choices.items():
                found += _parsers(subparser, f"{name} {command}")
    return found
