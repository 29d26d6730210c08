"""Applying `openapi/overlay.yaml` (OpenAPI Overlay 1.0) to upstream's spec, and checking it against a new one.

The overlay records where the live API takes more than upstream's published spec says. Applying it
makes the effective spec, from which `d360_api` is generated. On a version bump, `check_overlay` says
which actions upstream's new spec has made redundant (applying them changes nothing) and which target
nothing any more (the regeneration refuses those). JSONPath (RFC 9535) comes from `jsonpath-rfc9535`.

Merge rules, per Overlay 1.0: an `update` on an object merges into it recursively (its arrays and
scalars replace the target's); an `update` on an array appends each item not already there (appending
a duplicate enum value would make the spec invalid); `remove: true` deletes the targeted nodes.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs

from .text import terminal_safe

KINDS = ("extension", "limit")


class OverlayError(Exception):
    """The overlay cannot be read or applied; the message says which action and why, in one line."""


@attrs.frozen
class OverlayAction:
    target: str
    description: str
    kind: str
    update: Any = None
    remove: bool = False

    @property
    def summary(self) -> str:
        return self.description.split(":", 1)[0].split(". ", 1)[0].strip()


@attrs.frozen
class Overlay:
    title: str
    version: str
    actions: tuple[OverlayAction, ...]

    def only(self, *kinds: str) -> Overlay:
        """The overlay with only the actions of these kinds (the contract suite applies the limits alone)."""
        return attrs.evolve(self, actions=tuple(action for action in self.actions if action.kind in kinds))


@attrs.frozen
class OverlayCheck:
    """What a spec makes of the overlay: actions it has made redundant, and actions whose target is gone."""

    redundant: tuple[OverlayAction, ...]
    missing: tuple[OverlayAction, ...]

    def to_text(self) -> str:
        """The check for a terminal: a heading, then a line per action, each line escaped on its own."""
        lines = []
        for action in self.missing:
            lines.append(f"  TARGET GONE  {action.target}: {action.summary}")
        for action in self.redundant:
            lines.append(f"  REDUNDANT    {action.target}: {action.summary} (upstream's spec now says the same)")
        if not lines:
            return "Overlay: every action still applies and still adds something.\n"
        # Escaped line by line: escaping the joined text would show its line breaks as \x0a.
        return "Overlay:\n" + "\n".join(terminal_safe(line) for line in lines) + "\n"


def load_overlay(path: str | Path) -> Overlay:
    """Read and check an overlay document (YAML or JSON)."""
    import yaml

    try:
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise OverlayError(f"cannot read the overlay {path}: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise OverlayError(f"the overlay {path} is not valid YAML: {' '.join(str(exc).split())}") from None
    return parse_overlay(document, origin=str(path))


def parse_overlay(document: Any, *, origin: str = "the overlay") -> Overlay:
    if not isinstance(document, dict) or not str(document.get("overlay", "")).startswith("1.0"):
        raise OverlayError(f"{origin} is not an OpenAPI Overlay 1.0 document (no `overlay: 1.0.x`)")
    info = document.get("info")
    if not isinstance(info, dict) or not {"title", "version"} <= info.keys():
        raise OverlayError(f"{origin} needs info.title and info.version")
    raw_actions = document.get("actions")
    if not isinstance(raw_actions, list) or not raw_actions:
        raise OverlayError(f"{origin} has no actions")
    actions = []
    for number, raw in enumerate(raw_actions, start=1):
        where = f"{origin}, action {number}"
        if not isinstance(raw, dict) or not isinstance(raw.get("target"), str) or not raw["target"].startswith("$"):
            raise OverlayError(f"{where}: needs a JSONPath `target` starting with $")
        if not isinstance(raw.get("description"), str) or not raw["description"].strip():
            raise OverlayError(f"{where} ({raw['target']}): needs a `description` naming its source")
        if ("update" in raw) == bool(raw.get("remove")):
            raise OverlayError(f"{where} ({raw['target']}): needs either `update` or `remove: true`")
        kind = raw.get("x-d360-kind", "extension")
        if kind not in KINDS:
            raise OverlayError(f"{where} ({raw['target']}): x-d360-kind must be one of {', '.join(KINDS)}")
        actions.append(
            OverlayAction(
                target=raw["target"],
                description=" ".join(raw["description"].split()),
                kind=kind,
                update=raw.get("update"),
                remove=bool(raw.get("remove")),
            )
        )
    return Overlay(title=str(info["title"]), version=str(info["version"]), actions=tuple(actions))


def apply_overlay(spec: dict[str, Any], overlay: Overlay) -> dict[str, Any]:
    """The spec with every action applied in order; the input is left as it was.

    Raises OverlayError naming the first action whose target matches nothing: upstream moved or removed
    what it amends, and someone must decide what the overlay should say now.
    """
    result = copy.deepcopy(spec)
    for number, action in enumerate(overlay.actions, start=1):
        locations = _locations(action, result)
        if not locations:
            raise OverlayError(
                f"overlay action {number} targets {action.target}, which matches nothing in the spec "
                f"({action.summary}): update or remove the action in openapi/overlay.yaml"
            )
        _apply(action, result, locations)
    return result


def check_overlay(spec: dict[str, Any], overlay: Overlay) -> OverlayCheck:
    """Which actions `spec` makes redundant, and which target nothing in it.

    Each action is judged in order on the spec as the actions before it left it, as the regeneration
    applies them; an action whose target is gone (or is no longer the kind of node it amends) is skipped
    so the rest are still judged.
    """
    current = copy.deepcopy(spec)
    redundant: list[OverlayAction] = []
    missing: list[OverlayAction] = []
    for action in overlay.actions:
        locations = _locations(action, current)
        before = copy.deepcopy(current) if locations and not action.remove else None
        try:
            if not locations:
                raise OverlayError(action.target)
            _apply(action, current, locations)
        except OverlayError:
            if before is not None:
                current = before  # a half-applied action leaves nothing behind
            missing.append(action)
            continue
        if before is not None and before == current:
            redundant.append(action)
    return OverlayCheck(redundant=tuple(redundant), missing=tuple(missing))


def _locations(action: OverlayAction, document: dict[str, Any]) -> list[tuple[str | int, ...]]:
    import jsonpath_rfc9535

    try:
        nodes = jsonpath_rfc9535.find(action.target, document)
    except jsonpath_rfc9535.JSONPathError as exc:
        raise OverlayError(f"overlay target {action.target} is not valid JSONPath: {exc}") from None
    return [tuple(node.location) for node in nodes]


def _apply(action: OverlayAction, document: dict[str, Any], locations: Sequence[tuple[str | int, ...]]) -> None:
    if action.remove:
        # Deepest first and, within one list, highest index first, so earlier removals move nothing later.
        for location in sorted(locations, key=lambda place: (len(place), place), reverse=True):
            if not location:
                raise OverlayError("an overlay cannot remove the whole document")
            parent = _node_at(document, location[:-1])
            del parent[location[-1]]
        return
    for location in locations:
        node = _node_at(document, location)
        if isinstance(node, list):
            _append_new(node, action.update if isinstance(action.update, list) else [action.update])
        elif isinstance(node, dict) and isinstance(action.update, dict):
            _merge(node, action.update)
        else:
            raise OverlayError(
                f"overlay action on {action.target}: cannot merge an update into a {type(node).__name__}"
            )


def _node_at(document: Any, location: Iterable[str | int]) -> Any:
    node = document
    for key in location:
        node = node[key]
    return node


def _merge(target: dict[str, Any], update: dict[str, Any]) -> None:
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = copy.deepcopy(value)


def _append_new(target: list[Any], items: list[Any]) -> None:
    # An item named as one already there (a tag an upstream page now has) is that item: never a second one.
    names = {entry["name"] for entry in target if isinstance(entry, dict) and isinstance(entry.get("name"), str)}
    for item in items:
        named = isinstance(item, dict) and isinstance(item.get("name"), str)
        if item not in target and not (named and item["name"] in names):
            target.append(copy.deepcopy(item))
