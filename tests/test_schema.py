"""The JSON Schema checker on the keywords a later spec version may bring, beyond what 1.44.0 uses."""

from __future__ import annotations

from typing import Any

import pytest

from d360.schema import SchemaChecker, unsupported_keywords


def problems(schema: dict[str, Any], instance: Any, document: dict[str, Any] | None = None) -> list[str]:
    return [str(problem) for problem in SchemaChecker(document or {}, schema).problems(instance)]


@pytest.mark.parametrize(
    ("schema", "instance", "expected"),
    [
        ({"type": "integer"}, True, ["$: must be integer, not boolean"]),
        ({"type": "integer"}, 3.0, []),
        ({"type": "integer"}, 3.5, ["$: must be integer, not number"]),
        ({"type": "number"}, False, ["$: must be number, not boolean"]),
        ({"type": ["string", "null"]}, None, []),
        ({"enum": [1, "a"]}, True, ["$: must be one of 1, 'a', not True"]),
        ({"enum": [1]}, 1.0, []),
        ({"const": "x"}, "y", ["$: must be one of 'x', not 'y'"]),
        ({"type": "string", "minLength": 2, "maxLength": 3, "pattern": "^[a-z]+$"}, "ABCD",
         ["$: is 4 characters, longer than the maximum 3", "$: does not match the pattern '^[a-z]+$'"]),
        ({"minimum": 0, "exclusiveMaximum": 10, "multipleOf": 2}, 10,
         ["$: must be less than 10, not 10"]),
        ({"minimum": 0, "multipleOf": 2}, 3, ["$: must be a multiple of 2"]),
        ({"type": "array", "minItems": 1, "maxItems": 2, "uniqueItems": True, "items": {"type": "integer"}},
         [1, 1, "x"], ["$: has 3 items, more than the maximum 2", "$: has duplicate items",
                       "$[2]: must be integer, not string"]),
        ({"type": "array", "uniqueItems": True}, [1, True], []),
        ({"properties": {"a": {"type": "string"}}, "additionalProperties": False}, {"a": "x", "b": 1},
         ["$.b: is not an allowed property"]),
        ({"additionalProperties": {"type": "integer"}}, {"a": 1, "b": "x"}, ["$.b: must be integer, not string"]),
        ({"properties": {"weird key": {"type": "string"}}}, {"weird key": 1}, ["$['weird key']: must be string, not integer"]),
        ({"anyOf": [{"type": "string"}, {"type": "integer"}]}, 1.5, ["$: matches none of the 2 allowed schemas"]),
        ({"oneOf": [{"type": "number"}, {"type": "integer"}]}, 1, ["$: matches 2 of the oneOf schemas, not exactly one"]),
        ({"allOf": [{"required": ["a"]}, {"required": ["b"]}]}, {}, ["$.a: is required", "$.b: is required"]),
        ({"not": {"type": "string"}}, "x", ["$: matches a schema it must not match"]),
        ({"minProperties": 1}, {}, ["$: has 0 properties, outside 1..any"]),
        ({"required": ["a"]}, "not an object", []),
    ],
)  # fmt: skip
def test_keywords(schema: dict[str, Any], instance: Any, expected: list[str]) -> None:
    assert problems(schema, instance) == expected


def test_recursive_references_compile_and_check() -> None:
    document = {"components": {"schemas": {"Node": {
        "type": "object", "properties": {"value": {"type": "integer"}, "next": {"$ref": "#/components/schemas/Node"}},
    }}}}  # fmt: skip
    schema = {"$ref": "#/components/schemas/Node"}
    assert problems(schema, {"value": 1, "next": {"value": 2, "next": {"value": "3"}}}, document) == [
        "$.next.next.value: must be integer, not string"
    ]


def test_unsupported_keywords_are_listed() -> None:
    schema = {"type": "object", "properties": {"a": {"if": {"type": "string"}, "description": "fine"}},
              "dependentRequired": {"a": ["b"]}}  # fmt: skip
    assert sorted(unsupported_keywords(schema)) == ["#/dependentRequired", "#/properties/a/if"]
