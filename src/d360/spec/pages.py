"""Upstream's spec comes one docs page per tag (Messages, Templates, Media, ...), each page embedding the
fragment for its tag; this module names a fragment's page and merges the pages into one spec.

The merge is deterministic (pages in name order, whatever order they were given in) and strict: two pages
may both define the same path operation, component, tag or top-level field only if they define it
identically; otherwise it is refused, naming both pages and the thing. Pages whose `info.version`
differs are merged, the highest version standing for the whole, and the difference is reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

_SLUG_BREAK = re.compile(r"[^a-z0-9]+")
_RELEASE = re.compile(r"^\d+(\.\d+)*$")
# How deep `paths`, `webhooks` and `components` are merged name by name: below that, a definition is one
# thing that two pages must agree on whole (an operation, a schema, a path-level parameter list).
_UNION_DEPTH = {"paths": 2, "webhooks": 2, "components": 2, "info": 1}


class PageError(Exception):
    """A fragment cannot be named or the pages cannot be merged; the message says which, in one line."""


@attrs.frozen
class Page:
    """One vendored page: its name (the file stem under openapi/, from its tag) and its fragment."""

    name: str
    spec: dict[str, Any]

    @property
    def file_name(self) -> str:
        return f"{self.name}.json"

    @property
    def version(self) -> str:
        info = self.spec.get("info")
        version = info.get("version") if isinstance(info, Mapping) else None
        return version if isinstance(version, str) else "?"


@attrs.frozen
class MergedSpec:
    """The pages as one spec, and what the merge has to say about their versions."""

    spec: dict[str, Any]
    pages: tuple[Page, ...]

    @property
    def version(self) -> str:
        return str(self.spec.get("info", {}).get("version", "?"))

    def version_note(self) -> str | None:
        """One line when the pages are not all of one version (reported, not refused), else None."""
        if len({page.version for page in self.pages}) <= 1:
            return None
        listed = ", ".join(f"{page.file_name} {page.version}" for page in self.pages)
        return f"The pages differ in version: {listed}; the merged spec says {self.version}."


def tag_slug(tag: str) -> str:
    """A tag's file name: `Block Users` becomes `block-users`, as upstream names the page."""
    return _SLUG_BREAK.sub("-", tag.lower()).strip("-")


def page_name(fragment: Mapping[str, Any], *, origin: str = "the fragment") -> str:
    """The name of the page a fragment comes from: its one tag, as a file name.

    A page embeds the fragment for its tag: the top-level `tags` names it; a fragment without them is
    named by the one tag its operations carry. Anything else is refused: it is not one page.
    """
    declared = fragment.get("tags")
    names: list[Any] = (
        [tag.get("name") for tag in declared if isinstance(tag, Mapping)] if isinstance(declared, list) else []
    )
    if not names:
        names = sorted(
            {
                tag
                for item in _values(fragment.get("paths"))
                for operation in _values(item)
                for tag in (operation.get("tags") if isinstance(operation, Mapping) else None) or []
                if isinstance(tag, str)
            }
        )
    if len(names) != 1 or not isinstance(names[0], str):
        raise PageError(
            f"{origin} is not one upstream page: a page's fragment names exactly one tag, this one names "
            f"{len(names)} ({', '.join(repr(name) for name in names) or 'none'})"
        )
    slug = tag_slug(names[0])
    if not slug:
        raise PageError(f"{origin}: its tag {names[0]!r} makes no file name")
    return slug


def merge(pages: Iterable[Page]) -> MergedSpec:
    """The pages as one spec; raise PageError on two definitions of the same thing that differ."""
    ordered = tuple(sorted(pages, key=lambda page: page.name))
    if not ordered:
        raise PageError("there is no page to merge")
    names = [page.name for page in ordered]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise PageError(
            f"two sources are both the {repeated[0]!r} page (its tag names the file openapi/{repeated[0]}.json)"
        )
    merged: dict[str, Any] = {}
    owners: dict[tuple[str, ...], str] = {}
    for page in ordered:
        for key, value in page.spec.items():
            if key == "tags":
                _merge_tags(merged, value, page, owners)
            else:
                _merge_into(merged, key, value, (key,), _UNION_DEPTH.get(key, 0), page, owners)
    versions = [page.version for page in ordered]
    if all(_RELEASE.match(version) for version in versions):
        merged.setdefault("info", {})["version"] = max(versions, key=lambda v: tuple(int(p) for p in v.split(".")))
    return MergedSpec(spec=merged, pages=ordered)


def _merge_into(
    target: dict[str, Any],
    key: str,
    value: Any,
    where: tuple[str, ...],
    depth: int,
    page: Page,
    owners: dict[tuple[str, ...], str],
) -> None:
    if where == ("info", "version"):
        target.setdefault(key, value)  # versions may differ: reported by the caller, not refused
        return
    if depth > 0 and isinstance(value, Mapping):
        existing = target.setdefault(key, {})
        if not isinstance(existing, dict):
            raise PageError(_conflict(owners[where], page.file_name, where))
        owners.setdefault(where, page.file_name)
        for child_key, child_value in value.items():
            _merge_into(existing, child_key, child_value, (*where, child_key), depth - 1, page, owners)
        return
    if key in target and target[key] != value:
        raise PageError(_conflict(owners[where], page.file_name, where))
    target[key] = value
    owners.setdefault(where, page.file_name)


def _merge_tags(merged: dict[str, Any], tags: Any, page: Page, owners: dict[tuple[str, ...], str]) -> None:
    listed = merged.setdefault("tags", [])
    if not isinstance(tags, list):
        raise PageError(f"{page.file_name}: `tags` must be an array")
    for tag in tags:
        name = tag.get("name") if isinstance(tag, Mapping) else None
        same = [existing for existing in listed if isinstance(existing, Mapping) and existing.get("name") == name]
        where = ("tags", str(name))
        if not same:
            listed.append(tag)
            owners[where] = page.file_name
        elif same[0] != tag:
            raise PageError(_conflict(owners[where], page.file_name, where))


def _conflict(first: str, second: str, where: tuple[str, ...]) -> str:
    place = where[0] + "".join(f"[{part!r}]" for part in where[1:])
    return f"{first} and {second} define {place} differently: one page must say it, or both the same"


def _values(node: Any) -> list[Any]:
    return list(node.values()) if isinstance(node, Mapping) else []
