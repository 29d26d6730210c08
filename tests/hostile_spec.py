"""A spec written by an attacker: strings that try to leave every context generated code puts them in.

Each hostile string, pasted into Python source unescaped, is valid Python that runs `PAYLOAD`: it writes
the file named by $D360_CANARY. A regeneration that escapes everything imports cleanly and never writes
it; one that pastes a string raw either fails to import or fires the canary.
"""

from __future__ import annotations

import copy
from typing import Any

from tests.spec_versions import vendored_spec

CANARY_VARIABLE = "D360_CANARY"
PAYLOAD = f'__import__("pathlib").Path(__import__("os").environ["{CANARY_VARIABLE}"]).write_text("fired")'
SINGLE_QUOTED_PAYLOAD = PAYLOAD.replace('"', "'")

HOSTILE = {
    # Out of a "..." literal, and back in, so the line stays valid Python.
    "double quote": f'x" + str({SINGLE_QUOTED_PAYLOAD}) + "',
    "single quote": f"x' + str({PAYLOAD}) + '",
    # Out of a docstring.
    "triple quote": f'x""" + str({SINGLE_QUOTED_PAYLOAD}) + """',
    "single triple quote": f"x''' + str({PAYLOAD}) + '''",
    # A trailing backslash escapes the closing quote, and the next string's opening quote closes it.
    "backslash": "x\\",
    # An f-string's replacement field.
    "f-string field": "{" + SINGLE_QUOTED_PAYLOAD + "}",
    # Out of a comment or a docstring line: a newline, a carriage return (a newline to Python's tokenizer).
    "newline": f"x\n{PAYLOAD}\n",
    "carriage return": f"x\r{PAYLOAD}\r",
    # Template syntax: spec strings are data to Jinja, never template.
    "jinja": "{{ 7 * 7 }}{% raw %}{#",
    # Text that must simply arrive as it is.
    "unicode": "caf\u00e9 \N{GRINNING FACE} \u00a0end",
}
ONE_LINE_HOSTILE = {name: text for name, text in HOSTILE.items() if name not in ("newline", "carriage return")}
"""The hostile strings a name may hold: a name with a control character is refused, not escaped."""
HOSTILE_NAMES = [f"{label.replace(' ', '_')}_{text}" for label, text in ONE_LINE_HOSTILE.items()]
"""Names for properties and parameters: distinct once the generator makes identifiers of them."""
HOSTILE_TEXT = " | ".join(HOSTILE.values())
"""All of them at once, for free text (descriptions, summaries, titles)."""
HOSTILE_SCHEMA = "hostile.Thing-_.-Name"
"""OpenAPI allows only letters, digits and ._- in a component name: the oddest it can be."""


def hostile_spec() -> dict[str, Any]:
    """The vendored spec plus hostile strings in every place one reaches generated code and is escaped there,
    as the one page to regenerate from (its title could not be merged with the Messages page's).

    Free text (descriptions, summaries, titles) holds every hostile string; names (property, parameter,
    schema, operationId, tag, enum values, defaults) hold the one-line ones. Paths, the server URL and
    the key's header are refused when odd (see `refused_specs`), so they stay clean here.
    """
    spec = copy.deepcopy(vendored_spec())
    spec["info"]["title"] = "Messaging API " + HOSTILE_TEXT
    spec["info"]["description"] = HOSTILE_TEXT
    # One page, one tag: this page names itself by a hostile tag (its file name is made from it safely).
    spec["tags"] = [{"name": "Hostile " + ONE_LINE_HOSTILE["double quote"], "description": HOSTILE_TEXT}]
    properties: dict[str, Any] = {
        name: {"type": "string", "description": HOSTILE_TEXT, "title": HOSTILE_TEXT} for name in HOSTILE_NAMES
    }
    properties["kind"] = {"type": "string", "enum": ["plain", *ONE_LINE_HOSTILE.values()], "description": HOSTILE_TEXT}
    # A default reaches the model as a literal; one with a quote or a backslash is refused (see REFUSED).
    properties["fallback"] = {"type": "string", "default": ONE_LINE_HOSTILE["jinja"] + ONE_LINE_HOSTILE["unicode"]}
    spec["components"]["schemas"][HOSTILE_SCHEMA] = {
        "type": "object",
        # A title names the generated class: it is a name, so a one-line hostile string of modest length.
        "title": "Hostile thing " + ONE_LINE_HOSTILE["double quote"],
        "description": HOSTILE_TEXT,
        "properties": properties,
    }
    reference = {"$ref": f"#/components/schemas/{HOSTILE_SCHEMA.replace('~', '~0').replace('/', '~1')}"}
    spec["paths"]["/hostile/{item_id}"] = {
        "post": {
            "operationId": "hostile-" + ONE_LINE_HOSTILE["double quote"],
            "summary": HOSTILE_TEXT,
            "description": HOSTILE_TEXT,
            "tags": ["Hostile " + ONE_LINE_HOSTILE["double quote"]],
            "parameters": [
                {"name": "item_id", "in": "path", "required": True, "schema": {"type": "string"},
                 "description": HOSTILE_TEXT},
                *({"name": name, "in": "query", "required": False, "schema": {"type": "string"},
                   "description": HOSTILE_TEXT} for name in HOSTILE_NAMES),
                {"name": "X-Hostile", "in": "header", "required": False, "description": HOSTILE_TEXT,
                 "schema": {"type": "string", "enum": list(ONE_LINE_HOSTILE.values())}},
            ],
            "requestBody": {"required": True, "description": HOSTILE_TEXT,
                            "content": {"application/json": {"schema": reference}}},
            "responses": {"200": {"description": HOSTILE_TEXT, "content": {"application/json": {"schema": reference}}}},
        }
    }  # fmt: skip
    return spec


def with_change(change: str) -> dict[str, Any]:
    """The vendored spec with one thing the pipeline must refuse, named by `change` (see `REFUSED`)."""
    spec = copy.deepcopy(vendored_spec())
    schemas = spec["components"]["schemas"]
    text_body = schemas["messages.TextMessage"]["properties"]
    if change == "server URL":
        spec["servers"][0]["url"] = "https://waba-v2.360dialog.io/" + ONE_LINE_HOSTILE["double quote"]
    elif change == "key header":
        spec["components"]["securitySchemes"]["D360-API-KEY"]["name"] = (
            "D360-API-KEY" + ONE_LINE_HOSTILE["double quote"]
        )
    elif change == "path":
        spec["paths"]["/messages" + ONE_LINE_HOSTILE["double quote"]] = spec["paths"].pop("/messages")
    elif change == "path template":
        spec["paths"]["/messages/{id.__class__}"] = spec["paths"].pop("/messages")
    elif change == "property name with a newline":
        text_body["body\nx"] = {"type": "string"}
    elif change == "enum value with a control character":
        schemas["messages.Message"]["properties"]["type"]["enum"].append("text\x1b[2J")
    elif change == "parameter name with a line separator":
        spec["paths"]["/messages"]["post"]["parameters"] = [
            {"name": "trace\u2028id", "in": "query", "schema": {"type": "string"}}
        ]
    elif change == "header parameter name":
        spec["paths"]["/messages"]["post"]["parameters"] = [
            {"name": "X-Trace" + ONE_LINE_HOSTILE["double quote"], "in": "header", "schema": {"type": "string"}}
        ]
    elif change == "default with a quote":
        text_body["body"]["default"] = ONE_LINE_HOSTILE["double quote"]
    elif change == "lone surrogate":
        text_body["body"]["description"] = "half an emoji: \ud83d"
    elif change == "$ref to a file":
        text_body["body"] = {"$ref": "file:///etc/passwd"}
    elif change == "$ref to a URL":
        text_body["body"] = {"$ref": "http://127.0.0.1:9/schema.json"}
    elif change == "relative $ref":
        text_body["body"] = {"$ref": "other.json#/components/schemas/X"}
    elif change == "$id":
        text_body["body"] = {"$id": "file:///etc/", "$ref": "#/passwd"}
    elif change == "$dynamicRef":
        text_body["body"] = {"$dynamicRef": "https://example.com/schema#node"}
    else:
        raise ValueError(change)
    return spec


REFUSED = {
    "server URL": "is not a plain http(s) URL",
    "key header": "which is not an HTTP token",
    "path": "is not an RFC 3986 path",
    "path template": "is not an RFC 3986 path",
    "property name with a newline": "holds the character U+000A",
    "enum value with a control character": "holds the character U+001B",
    "parameter name with a line separator": "holds the character U+2028",
    "header parameter name": "is not an HTTP token",
    "default with a quote": "holds a quote or a backslash, which generated code would carry changed",
    "lone surrogate": "holds a lone surrogate",
    "$ref to a file": "$ref 'file:///etc/passwd' at $.components.schemas['messages.TextMessage'].properties.body",
    "$ref to a URL": "leaves the document",
    "relative $ref": "leaves the document",
    "$id": "would move the base references resolve against",
    "$dynamicRef": "leaves the document",
}
