"""What an untrusted spec may carry, checked before anything else reads it further.

A docs page is input from outside, and the regeneration turns it into code that runs with a
repository's write access. So: every `$ref` stays inside the document (no URL, no local file, no `$id`
moving the base they resolve against), and every name and value the generated code carries as given
(keys, enum values, parameter names, paths, the server URL, the key's header) is something Python source
and HTTP can carry exactly: otherwise the spec is refused, with one line naming the place.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from typing import Any

REFERENCE_KEYWORDS = ("$ref", "$dynamicRef", "$recursiveRef")
LOCAL_POINTER = re.compile(r"^#(/([^~]|~[01])*)?$")
HTTP_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
# RFC 3986 path characters, and `{name}` templates whose name is an identifier.
PATH_TEMPLATE = re.compile(r"^/(?:[A-Za-z0-9._~!$&'()*+,;=:@%/-]|\{[A-Za-z_][A-Za-z0-9_]*\})*$")
SERVER_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*)?$")
# Characters Python source and HTTP cannot carry as given: the generator drops them silently.
_UNCARRIABLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
NAMED_VALUES = ("name", "operationId", "in", "type", "format")


class SpecRefusedError(Exception):
    """The spec carries something the pipeline will not take; the message names the place, in one line."""


def check_shape(spec: Any, *, origin: str = "the spec") -> None:
    """Refuse a document that is not shaped like OpenAPI 3 where every reader of it looks."""
    if not isinstance(spec, Mapping):
        raise SpecRefusedError(f"{origin} is not a JSON object")
    version = spec.get("openapi")
    if not isinstance(version, str) or not version.startswith("3."):
        raise SpecRefusedError(f"{origin} is not an OpenAPI 3 document (its `openapi` is {version!r})")
    info = spec.get("info")
    if not isinstance(info, Mapping) or not isinstance(info.get("version"), str):
        raise SpecRefusedError(f"{origin} has no info.version")
    for key in ("paths", "components", "webhooks"):
        if key in spec and not isinstance(spec[key], Mapping):
            raise SpecRefusedError(f"{origin}: `{key}` must be an object")
    for key in ("servers", "tags", "security"):
        if key in spec and not isinstance(spec[key], list):
            raise SpecRefusedError(f"{origin}: `{key}` must be an array")


def check_references(spec: Any, *, origin: str = "the spec") -> None:
    """Refuse any reference that could leave the document: a `$ref` that is not a local JSON pointer
    (`#/...`), or an `$id` that would make local-looking ones resolve against a URL."""
    for path, node in _objects(spec):
        for keyword in REFERENCE_KEYWORDS:
            target = node.get(keyword)
            if isinstance(target, str) and not LOCAL_POINTER.match(target):
                raise SpecRefusedError(
                    f"{origin}: {keyword} {target!r} at {path} leaves the document "
                    "(only local references like '#/components/schemas/...' are followed)"
                )
            if keyword in node and not isinstance(target, (str, Mapping)):
                raise SpecRefusedError(f"{origin}: {keyword} at {path} is not a string")
        if isinstance(node.get("$id"), str):
            raise SpecRefusedError(
                f"{origin}: $id {node['$id']!r} at {path} would move the base references resolve against"
            )


def check_generatable(spec: Mapping[str, Any], *, origin: str = "the spec") -> None:
    """Refuse what generated code could not carry exactly as given.

    Descriptions and summaries may say anything: the generator escapes them into docstrings. Names,
    enum values, paths and the other values that become string literals or identifiers may not hold
    control or format characters (the generator would drop them, so the client would send something
    else), nor a string default hold a quote or a backslash (the generator would double them); a path
    must be an RFC 3986 path with `{identifier}` templates; a server URL a plain http(s) URL; the name of
    an apiKey header or of a header parameter an HTTP token.
    """
    for path, text in _strings(spec, "$"):
        if any(unicodedata.category(character) == "Cs" for character in text):
            raise SpecRefusedError(f"{origin}: the text at {path} holds a lone surrogate (half a UTF-16 pair)")
    for path, name in _carried_names(spec):
        bad = next((c for c in name if unicodedata.category(c) in _UNCARRIABLE), None)
        if bad is not None:
            raise SpecRefusedError(
                f"{origin}: {name!r} at {path} holds the character U+{ord(bad):04X}, which generated code "
                "cannot carry as given"
            )
    for path, node in _objects(spec):
        is_parameter = node.get("in") == "header" and node.get("type") != "apiKey"  # schemes: checked below
        if is_parameter and isinstance(node.get("name"), str) and not HTTP_TOKEN.match(node["name"]):
            raise SpecRefusedError(f"{origin}: the header parameter {node['name']!r} at {path} is not an HTTP token")
        for keyword in ("default", "const"):
            value = node.get(keyword)
            if isinstance(value, str) and ('"' in value or "\\" in value):
                # The generator escapes these twice (its guard against code in a default), so the model
                # would hold, and send, another string than the spec's.
                raise SpecRefusedError(
                    f"{origin}: the {keyword} {value!r} at {path} holds a quote or a backslash, which generated "
                    "code would carry changed"
                )
    for route in spec.get("paths", {}) if isinstance(spec.get("paths"), Mapping) else ():
        if not PATH_TEMPLATE.match(route):
            raise SpecRefusedError(
                f"{origin}: the path {route!r} is not an RFC 3986 path with {{identifier}} templates"
            )
    for index, server in enumerate(spec.get("servers") or []):
        url = server.get("url") if isinstance(server, Mapping) else None
        if not isinstance(url, str) or not SERVER_URL.match(url):
            raise SpecRefusedError(f"{origin}: servers[{index}].url {url!r} is not a plain http(s) URL")
    components = spec.get("components")
    schemes = components.get("securitySchemes", {}) if isinstance(components, Mapping) else {}
    for name, scheme in schemes.items() if isinstance(schemes, Mapping) else ():
        if isinstance(scheme, Mapping) and scheme.get("type") == "apiKey" and scheme.get("in") == "header":
            header = scheme.get("name")
            if not isinstance(header, str) or not HTTP_TOKEN.match(header):
                raise SpecRefusedError(
                    f"{origin}: the security scheme {name!r} names the header {header!r}, which is not an HTTP token"
                )


def _objects(spec: Any) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every object of the document, with its path; iterative, so any depth.

    Examples included: telling a schema's keywords from a property or an example that happens to be
    named `default` needs the whole of JSON Schema's vocabulary, and a check that can be stepped around
    by a name is no check. A `$ref` to a URL inside an example is refused too: it costs nothing real.
    """
    pending: list[tuple[str, Any]] = [("$", spec)]
    while pending:
        path, node = pending.pop()
        if isinstance(node, Mapping):
            yield path, node
            pending.extend((_child(path, key), value) for key, value in node.items())
        elif isinstance(node, list):
            pending.extend((f"{path}[{index}]", value) for index, value in enumerate(node))


def _strings(spec: Any, root: str) -> Iterator[tuple[str, str]]:
    """Every string of the document, keys included, with its path."""
    pending: list[tuple[str, Any]] = [(root, spec)]
    while pending:
        path, node = pending.pop()
        if isinstance(node, str):
            yield path, node
        elif isinstance(node, Mapping):
            for key, value in node.items():
                yield f"{path} (a key)", str(key)
                pending.append((_child(path, key), value))
        elif isinstance(node, list):
            pending.extend((f"{path}[{index}]", value) for index, value in enumerate(node))


def _carried_names(spec: Any) -> Iterator[tuple[str, str]]:
    """Every key but an extension's, and every value that becomes a name or a literal in generated code."""
    for path, node in _objects(spec):
        for key, value in node.items():
            if str(key).startswith("x-"):
                continue
            child = _child(path, key)
            yield f"{path} (a key)", str(key)
            if key in NAMED_VALUES and isinstance(value, str):
                yield child, value
            elif key in ("enum", "tags") and isinstance(value, list):
                yield from ((f"{child}[{i}]", item) for i, item in enumerate(value) if isinstance(item, str))
            elif key in ("const", "default") and isinstance(value, str):
                yield child, value


def _child(path: str, key: Any) -> str:
    text = str(key)
    return f"{path}.{text}" if text.isidentifier() else f"{path}[{text!r}]"
