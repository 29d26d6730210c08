"""A small JSON Schema checker, compiled once into closures, that reports every problem with its JSON path.

It covers the keywords OpenAPI 3.1 documents use for request bodies (types, enums, properties, required,
arrays, string and number bounds, patterns, the combinators and `$ref`), fast enough to run on every
send. A keyword it does not know is listed by `unsupported_keywords` so a spec update cannot slip one by.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from d360.errors import Problem

Check = Callable[[Any, str, list[Problem]], None]

CHECKED_KEYWORDS = frozenset(
    {
        "$ref",
        "type",
        "enum",
        "const",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minLength",
        "maxLength",
        "pattern",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minProperties",
        "maxProperties",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
    }
)
ANNOTATIONS = frozenset(
    {
        "title",
        "description",
        "summary",
        "example",
        "examples",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
        "format",
        "$comment",
        "nullable",
        "xml",
        "externalDocs",
        "discriminator",
    }
)

TYPE_TESTS: dict[str, Callable[[Any], bool]] = {
    "object": lambda value: isinstance(value, dict),
    "array": lambda value: isinstance(value, list),
    "string": lambda value: isinstance(value, str),
    "boolean": lambda value: isinstance(value, bool),
    "null": lambda value: value is None,
    "number": lambda value: isinstance(value, int | float) and not isinstance(value, bool),
    "integer": lambda value: (
        (isinstance(value, int) and not isinstance(value, bool)) or (isinstance(value, float) and value.is_integer())
    ),
}


def json_type_name(value: Any) -> str:
    for name in ("null", "boolean", "integer", "number", "string", "array", "object"):
        if TYPE_TESTS[name](value):
            return name
    return type(value).__name__


IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def child_path(path: str, key: str | int) -> str:
    return path + path_suffix(key)


def path_suffix(key: str | int) -> str:
    """`.name` for a plain property, `['odd key']` otherwise, `[3]` for an array index."""
    if isinstance(key, int):
        return f"[{key}]"
    return f".{key}" if IDENTIFIER.fullmatch(key) else f"[{key!r}]"


class SchemaChecker:
    """Checks instances against one schema of an OpenAPI document (refs resolved within the document)."""

    def __init__(self, document: Mapping[str, Any], schema: Mapping[str, Any]) -> None:
        self._document = document
        self._by_ref: dict[str, Check] = {}
        self._check = self._compile(schema)

    def problems(self, instance: Any, path: str = "$") -> list[Problem]:
        found: list[Problem] = []
        self._check(instance, path, found)
        return found

    def _resolve(self, ref: str) -> Check:
        if ref not in self._by_ref:
            if not ref.startswith("#/"):
                raise ValueError(f"only local $ref is supported, not {ref!r}")
            target: Any = self._document
            for part in ref[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            # A placeholder first, so that a schema that refers to itself compiles.
            compiled: list[Check] = []
            self._by_ref[ref] = lambda value, path, found: compiled[0](value, path, found)
            compiled.append(self._compile(target))
            self._by_ref[ref] = compiled[0]
        return self._by_ref[ref]

    def _compile(self, schema: Any) -> Check:
        if schema is True or schema == {}:
            return lambda value, path, found: None
        if schema is False:
            return lambda value, path, found: found.append(Problem(path, "no value is allowed here"))
        checks: list[Check] = []
        if "$ref" in schema:
            checks.append(self._resolve(schema["$ref"]))
        if "type" in schema:
            checks.append(_type_check(schema["type"]))
        if "enum" in schema:
            checks.append(_enum_check(schema["enum"]))
        if "const" in schema:
            checks.append(_enum_check([schema["const"]]))
        if any(key in schema for key in ("properties", "required", "additionalProperties")):
            checks.append(self._object_check(schema))
        if "items" in schema or "minItems" in schema or "maxItems" in schema or "uniqueItems" in schema:
            checks.append(self._array_check(schema))
        if any(key in schema for key in ("minLength", "maxLength", "pattern")):
            checks.append(_string_check(schema))
        if any(key in schema for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")):
            checks.append(_number_check(schema))
        if "minProperties" in schema or "maxProperties" in schema:
            checks.append(_property_count_check(schema))
        for keyword in ("allOf", "anyOf", "oneOf"):
            if keyword in schema:
                checks.append(self._combinator(keyword, [self._compile(part) for part in schema[keyword]]))
        if "not" in schema:
            negated = self._compile(schema["not"])

            def check_not(value: Any, path: str, found: list[Problem]) -> None:
                inner: list[Problem] = []
                negated(value, path, inner)
                if not inner:
                    found.append(Problem(path, "matches a schema it must not match"))

            checks.append(check_not)
        if len(checks) == 1:
            return checks[0]

        def check_all(value: Any, path: str, found: list[Problem]) -> None:
            for check in checks:
                check(value, path, found)

        return check_all

    def _object_check(self, schema: Mapping[str, Any]) -> Check:
        # Each property's path suffix is worked out once here, not on every check.
        properties = {
            name: (self._compile(sub), path_suffix(name)) for name, sub in schema.get("properties", {}).items()
        }
        required = [(name, path_suffix(name)) for name in schema.get("required", [])]
        additional = schema.get("additionalProperties", True)
        extra = None if additional is True or additional == {} else self._compile(additional)

        def check_object(value: Any, path: str, found: list[Problem]) -> None:
            if not isinstance(value, dict):
                return  # `type` reports the wrong type; without it, JSON Schema lets non-objects pass
            for name, suffix in required:
                if name not in value:
                    found.append(Problem(path + suffix, "is required"))
            for name, item in value.items():
                known = properties.get(name)
                if known is not None:
                    known[0](item, path + known[1], found)
                elif extra is not None:
                    if additional is False:
                        found.append(Problem(child_path(path, name), "is not an allowed property"))
                    else:
                        extra(item, child_path(path, name), found)

        return check_object

    def _array_check(self, schema: Mapping[str, Any]) -> Check:
        items = self._compile(schema["items"]) if isinstance(schema.get("items"), dict | bool) else None
        min_items, max_items = schema.get("minItems"), schema.get("maxItems")
        unique = bool(schema.get("uniqueItems"))

        def check_array(value: Any, path: str, found: list[Problem]) -> None:
            if not isinstance(value, list):
                return
            if min_items is not None and len(value) < min_items:
                found.append(Problem(path, f"has {len(value)} items, fewer than the minimum {min_items}"))
            if max_items is not None and len(value) > max_items:
                found.append(Problem(path, f"has {len(value)} items, more than the maximum {max_items}"))
            if unique and len({_hashable(item) for item in value}) != len(value):
                found.append(Problem(path, "has duplicate items"))
            if items is not None:
                for index, item in enumerate(value):
                    items(item, f"{path}[{index}]", found)

        return check_array

    @staticmethod
    def _combinator(keyword: str, parts: list[Check]) -> Check:
        def check_combinator(value: Any, path: str, found: list[Problem]) -> None:
            results = []
            for part in parts:
                inner: list[Problem] = []
                part(value, path, inner)
                results.append(inner)
            passing = sum(1 for inner in results if not inner)
            if keyword == "allOf":
                for inner in results:
                    found.extend(inner)
            elif keyword == "anyOf" and passing == 0:
                found.append(Problem(path, f"matches none of the {len(parts)} allowed schemas"))
            elif keyword == "oneOf" and passing != 1:
                found.append(Problem(path, f"matches {passing} of the oneOf schemas, not exactly one"))

        return check_combinator


def _type_check(declared: str | list[str]) -> Check:
    names = [declared] if isinstance(declared, str) else list(declared)
    tests = [TYPE_TESTS[name] for name in names]
    expected = " or ".join(names)
    exact = {"string": str, "object": dict, "array": list}.get(names[0]) if len(names) == 1 else None

    def check_type(value: Any, path: str, found: list[Problem]) -> None:
        if exact is not None and type(value) is exact:  # the common case, without a call per test
            return
        if not any(test(value) for test in tests):
            found.append(Problem(path, f"must be {expected}, not {json_type_name(value)}"))

    return check_type


def _enum_check(allowed: list[Any]) -> Check:
    # JSON equality: True is not 1, and 1 equals 1.0.
    keys = {_hashable(value) for value in allowed}
    strings = {value for value in allowed if isinstance(value, str)}
    shown = ", ".join(repr(value) for value in allowed)

    def check_enum(value: Any, path: str, found: list[Problem]) -> None:
        if type(value) is str and value in strings:
            return
        if _hashable(value) not in keys:
            found.append(Problem(path, f"must be one of {shown}, not {value!r}"))

    return check_enum


def _string_check(schema: Mapping[str, Any]) -> Check:
    min_length, max_length = schema.get("minLength"), schema.get("maxLength")
    pattern = re.compile(schema["pattern"]) if "pattern" in schema else None

    def check_string(value: Any, path: str, found: list[Problem]) -> None:
        if not isinstance(value, str):
            return
        if min_length is not None and len(value) < min_length:
            found.append(Problem(path, f"is {len(value)} characters, shorter than the minimum {min_length}"))
        if max_length is not None and len(value) > max_length:
            found.append(Problem(path, f"is {len(value)} characters, longer than the maximum {max_length}"))
        if pattern is not None and not pattern.search(value):
            found.append(Problem(path, f"does not match the pattern {pattern.pattern!r}"))

    return check_string


def _number_check(schema: Mapping[str, Any]) -> Check:
    bounds: list[tuple[str, Callable[[Any, Any], bool], str]] = [
        ("minimum", lambda value, bound: value >= bound, "at least"),
        ("maximum", lambda value, bound: value <= bound, "at most"),
        ("exclusiveMinimum", lambda value, bound: value > bound, "more than"),
        ("exclusiveMaximum", lambda value, bound: value < bound, "less than"),
    ]
    active = [(schema[name], test, words) for name, test, words in bounds if isinstance(schema.get(name), int | float)]
    multiple_of = schema.get("multipleOf")

    def check_number(value: Any, path: str, found: list[Problem]) -> None:
        if not TYPE_TESTS["number"](value):
            return
        for bound, test, words in active:
            if not test(value, bound):
                found.append(Problem(path, f"must be {words} {bound}, not {value}"))
        if multiple_of and (value / multiple_of) % 1:
            found.append(Problem(path, f"must be a multiple of {multiple_of}"))

    return check_number


def _property_count_check(schema: Mapping[str, Any]) -> Check:
    low, high = schema.get("minProperties", 0), schema.get("maxProperties")

    def check_property_count(value: Any, path: str, found: list[Problem]) -> None:
        if isinstance(value, dict) and (len(value) < low or (high is not None and len(value) > high)):
            found.append(Problem(path, f"has {len(value)} properties, outside {low}..{high if high else 'any'}"))

    return check_property_count


def _hashable(value: Any) -> Any:
    """A key with JSON's equality: booleans apart from numbers, containers compared by content."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int | float):
        return ("number", value)
    if isinstance(value, dict):
        return ("object", tuple(sorted((key, _hashable(item)) for key, item in value.items())))
    if isinstance(value, list):
        return ("array", tuple(_hashable(item) for item in value))
    return (type(value).__name__, value)


def unsupported_keywords(schema: Any, path: str = "#") -> list[str]:
    """Every keyword in a schema tree that SchemaChecker would ignore although it constrains values."""
    found: list[str] = []
    if not isinstance(schema, Mapping):
        return found
    for key, value in schema.items():
        if key not in CHECKED_KEYWORDS and key not in ANNOTATIONS:
            found.append(f"{path}/{key}")
        if key == "properties" and isinstance(value, Mapping):
            for name, sub in value.items():
                found.extend(unsupported_keywords(sub, f"{path}/properties/{name}"))
        elif key in ("items", "additionalProperties", "not"):
            found.extend(unsupported_keywords(value, f"{path}/{key}"))
        elif key in ("allOf", "anyOf", "oneOf") and isinstance(value, list):
            for index, sub in enumerate(value):
                found.extend(unsupported_keywords(sub, f"{path}/{key}/{index}"))
    return found
