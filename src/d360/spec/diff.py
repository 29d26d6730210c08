"""The change report between two versions of the spec, judged from the point of view of a client.

A schema is judged by where it travels: in requests (the client writes it) or in responses (the client
reads it). Removing a request field or requiring a new one breaks callers; a new response enum value
breaks naive parsers; a new optional field breaks nobody. `scripts/regen.sh` and `d360 spec diff` print it.
Both specs are untrusted: the comparison takes any JSON without failing (a part of the wrong type counts
as absent), and what it prints is escaped for a terminal and for Markdown.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from .text import markdown_code, terminal_safe

REQUEST = "request"
RESPONSE = "response"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@attrs.frozen
class SpecChange:
    """One difference between two specs."""

    location: str
    """Where: an operation (`POST /messages`) or a schema path (`messages.Message.text`)."""
    description: str
    """What changed, in words (`property 'x' removed`)."""
    breaking: bool
    """True when a client written against the old spec may fail against the new one."""
    used_in: tuple[str, ...] = ()
    """`request`, `response` or both: where the schema travels, which decides `breaking`."""

    def __str__(self) -> str:
        marker = "BREAKING" if self.breaking else "compatible"
        where = f" ({', '.join(self.used_in)})" if self.used_in else ""
        return f"{marker:<10} {self.location}: {self.description}{where}"


@attrs.frozen
class ChangeReport:
    """Every change between two specs, in a stable order."""

    old_version: str
    new_version: str
    changes: tuple[SpecChange, ...]

    @property
    def breaking(self) -> tuple[SpecChange, ...]:
        return tuple(change for change in self.changes if change.breaking)

    def summary(self) -> str:
        count = len(self.changes)
        noun = "change" if count == 1 else "changes"
        return f"spec {self.old_version} -> {self.new_version}: {count} {noun}, {len(self.breaking)} BREAKING"

    def to_text(self) -> str:
        """The report for a terminal: a summary line, then a line per change, control characters escaped."""
        return (
            "\n".join(terminal_safe(line) for line in [self.summary(), *(f"  {change}" for change in self.changes)])
            + "\n"
        )

    def to_markdown(self) -> str:
        """The report as a CHANGELOG section body (no heading)."""
        lines = [
            f"Spec update {self.old_version} -> {self.new_version}, `d360_api` regenerated: "
            f"{len(self.changes)} changes, {len(self.breaking)} BREAKING.",
            "",
        ]
        for change in self.changes:
            marker = "**BREAKING**" if change.breaking else "compatible"
            where = f" ({', '.join(change.used_in)})" if change.used_in else ""
            lines.append(f"- {marker} {markdown_code(change.location)}: {markdown_text(change.description)}{where}")
        if not self.changes:
            lines.append("- No change to operations or schemas.")
        return "\n".join(lines) + "\n"


_MARKDOWN_SPECIAL = str.maketrans({character: "\\" + character for character in "\\`*[]<>|!"})


def markdown_text(text: str) -> str:
    """Text for a Markdown line: nothing in it opens a link, an image, a code span or raw HTML."""
    return terminal_safe(text).translate(_MARKDOWN_SPECIAL)


def diff_specs(old: Mapping[str, Any], new: Mapping[str, Any]) -> ChangeReport:
    """Compare two OpenAPI documents: operations, schemas, properties, enum values and required fields."""
    changes = [*_diff_operations(old, new), *_diff_schemas(old, new)]
    return ChangeReport(old_version=_version(old), new_version=_version(new), changes=tuple(changes))


def _version(spec: Any) -> str:
    version = _mapping(_mapping(spec).get("info")).get("version", "?")
    return version if isinstance(version, str) else json_text(version)


def _mapping(value: Any) -> Mapping[str, Any]:
    """The value if it is an object, else an empty one: a part of the wrong type counts as absent."""
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _schemas(spec: Any) -> Mapping[str, Any]:
    return _mapping(_mapping(_mapping(spec).get("components")).get("schemas"))


def _operations(spec: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    found: dict[str, Mapping[str, Any]] = {}
    for path, item in sorted(_mapping(_mapping(spec).get("paths")).items()):
        for method in HTTP_METHODS:
            operation = _mapping(item).get(method)
            if isinstance(operation, Mapping):
                found[f"{method.upper()} {path}"] = operation
    return found


def _diff_operations(old: Mapping[str, Any], new: Mapping[str, Any]) -> Iterator[SpecChange]:
    old_operations, new_operations = _operations(old), _operations(new)
    for name in sorted(old_operations.keys() - new_operations.keys()):
        yield SpecChange(name, "operation removed", breaking=True)
    for name in sorted(new_operations.keys() - old_operations.keys()):
        yield SpecChange(name, "operation added", breaking=False)
    for name in sorted(old_operations.keys() & new_operations.keys()):
        old_responses = _mapping(old_operations[name].get("responses"))
        new_responses = _mapping(new_operations[name].get("responses"))
        for status in sorted(old_responses.keys() - new_responses.keys()):
            yield SpecChange(name, f"response {status} removed", breaking=False)
        for status in sorted(new_responses.keys() - old_responses.keys()):
            # A status the client does not know is handled as an unexpected error, not a crash.
            yield SpecChange(name, f"response {status} added", breaking=False)
        for status in sorted(old_responses.keys() & new_responses.keys()):
            if _refs(old_responses[status]) != _refs(new_responses[status]):
                yield SpecChange(name, f"response {status} schema changed", breaking=True)
        if _refs(old_operations[name].get("requestBody", {})) != _refs(new_operations[name].get("requestBody", {})):
            yield SpecChange(name, "request body schema changed", breaking=True)
        yield from _diff_parameters(name, old_operations[name], new_operations[name])


def _diff_parameters(operation: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> Iterator[SpecChange]:
    def by_key(parameters: Any) -> dict[str, Mapping[str, Any]]:
        return {
            f"parameter {parameter['$ref']}" if "$ref" in parameter
            else f"{parameter.get('in')} parameter '{parameter.get('name')}'": parameter
            for parameter in _list(parameters)
            if isinstance(parameter, Mapping)
        }  # fmt: skip

    old_parameters, new_parameters = by_key(old.get("parameters")), by_key(new.get("parameters"))
    for key in sorted(old_parameters.keys() - new_parameters.keys()):
        yield SpecChange(operation, f"{key} removed", breaking=True, used_in=(REQUEST,))
    for key in sorted(new_parameters.keys() - old_parameters.keys()):
        required = bool(new_parameters[key].get("required"))
        kind = "required" if required else "optional"
        yield SpecChange(operation, f"{kind} {key} added", breaking=required, used_in=(REQUEST,))
    for key in sorted(old_parameters.keys() & new_parameters.keys()):
        if new_parameters[key].get("required") and not old_parameters[key].get("required"):
            yield SpecChange(operation, f"{key} became required", breaking=True, used_in=(REQUEST,))


def _refs(node: Any) -> set[str]:
    """Every `$ref` under a node (iterative: a document nested thousands deep is still read)."""
    found: set[str] = set()
    pending = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, Mapping):
            for key, value in current.items():
                if key == "$ref" and isinstance(value, str):
                    found.add(value)
                else:
                    pending.append(value)
        elif isinstance(current, list):
            pending.extend(current)
    return found


def _usage(spec: Mapping[str, Any]) -> dict[str, set[str]]:
    """For each component schema, whether it travels in requests, responses or both."""
    schemas = _schemas(spec)
    usage: dict[str, set[str]] = {name: set() for name in schemas}
    prefix = "#/components/schemas/"

    def mark(refs: set[str], direction: str) -> None:
        pending = [ref[len(prefix) :] for ref in refs if ref.startswith(prefix)]
        while pending:
            name = pending.pop()
            if name in usage and direction not in usage[name]:
                usage[name].add(direction)
                pending.extend(ref[len(prefix) :] for ref in _refs(schemas[name]) if ref.startswith(prefix))

    for operation in _operations(spec).values():
        mark(_refs(operation.get("requestBody", {})), REQUEST)
        mark(_refs(operation.get("responses", {})), RESPONSE)
    return usage


def _diff_schemas(old: Mapping[str, Any], new: Mapping[str, Any]) -> Iterator[SpecChange]:
    old_schemas, new_schemas = _schemas(old), _schemas(new)
    old_usage, new_usage = _usage(old), _usage(new)
    for name in sorted(old_schemas.keys() - new_schemas.keys()):
        # Users import the generated model of every schema, so a vanished schema breaks them.
        yield SpecChange(name, "schema removed", breaking=True, used_in=_ordered(old_usage[name]))
    for name in sorted(new_schemas.keys() - old_schemas.keys()):
        yield SpecChange(name, "schema added", breaking=False, used_in=_ordered(new_usage[name]))
    for name in sorted(old_schemas.keys() & new_schemas.keys()):
        # An unreachable schema is judged as if it travelled both ways: the conservative answer.
        used_in = _ordered(old_usage[name] | new_usage[name]) or (REQUEST, RESPONSE)
        yield from _diff_schema(name, old_schemas[name], new_schemas[name], used_in)


def _ordered(directions: set[str]) -> tuple[str, ...]:
    return tuple(direction for direction in (REQUEST, RESPONSE) if direction in directions)


def _diff_schema(location: str, old: Any, new: Any, used_in: tuple[str, ...]) -> Iterator[SpecChange]:
    in_request, in_response = REQUEST in used_in, RESPONSE in used_in

    def change(description: str, breaking: bool, where: str = location) -> SpecChange:
        return SpecChange(where, description, breaking=breaking, used_in=used_in)

    if _type_of(old) != _type_of(new):
        yield change(f"type changed from {_type_of(old)} to {_type_of(new)}", True)
        return
    if not isinstance(old, Mapping) or not isinstance(new, Mapping):
        return  # two boolean schemas (OpenAPI 3.1 allows `true` and `false`), the same one

    old_enum, new_enum = old.get("enum"), new.get("enum")
    if old_enum is not None or new_enum is not None:
        old_values, new_values = _list(old_enum), _list(new_enum)
        for value in [value for value in old_values if value not in new_values]:
            yield change(f"enum value {json_text(value)} removed", in_request)
        for value in [value for value in new_values if value not in old_values]:
            # Parsers that map the enum to a closed type fail on a value they have never seen.
            yield change(f"enum value {json_text(value)} added", in_response)

    old_properties, new_properties = _mapping(old.get("properties")), _mapping(new.get("properties"))
    old_required, new_required = _names(old.get("required")), _names(new.get("required"))
    for name in sorted(old_properties.keys() - new_properties.keys()):
        yield change(f"property '{name}' removed", True)
    for name in sorted(new_properties.keys() - old_properties.keys()):
        if name in new_required:
            yield change(f"required property '{name}' added", in_request)
        else:
            yield change(f"optional property '{name}' added", False)
    for name in sorted(old_properties.keys() & new_properties.keys()):
        if name in new_required and name not in old_required:
            yield change(f"property '{name}' became required", in_request)
        elif name in old_required and name not in new_required:
            # Readers that relied on the field being present now meet responses without it.
            yield change(f"property '{name}' became optional", in_response)
        yield from _diff_schema(f"{location}.{name}", old_properties[name], new_properties[name], used_in)

    if isinstance(old.get("items"), Mapping) and isinstance(new.get("items"), Mapping):
        yield from _diff_schema(f"{location}[]", old["items"], new["items"], used_in)


def _names(value: Any) -> set[str]:
    return {name for name in _list(value) if isinstance(name, str)}


def _type_of(schema: Any) -> str:
    """A short name for a schema's type: its `$ref` target, its JSON type, or `any`."""
    if not isinstance(schema, Mapping):
        return json_text(schema)  # a boolean schema, or something that is no schema at all
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    declared = schema.get("type")
    if isinstance(declared, list):
        return "|".join(str(part) for part in declared)
    if declared is None and "items" in schema:
        return "array"
    return str(declared) if declared is not None else "any"


def json_text(value: Any) -> str:
    """A value as it would appear in JSON, for messages."""
    return json.dumps(value, ensure_ascii=False)
