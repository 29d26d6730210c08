"""Checks a message before it is sent: against the effective spec and upstream's documented limits.

The effective spec (upstream's spec with `openapi/overlay.yaml` applied, the one `d360_api` was generated
from) says what shape a message has and carries the limits JSON Schema can say (text length, button
counts, phone number form); it is checked by jsonschema-rs. The few limits a schema cannot say (unique
button titles, ten rows across all sections) are checked here by hand, and so are the common ones, for
messages a person can act on. Every problem is reported once, with its JSON path, and a message with
any problem is never sent.

A message is read as the Cloud API reads it: an optional field given as `null` is absent, and the
enumerated values upstream matches without regard to case (a template component's `type`, a button's
`sub_type`, a parameter's `type`) are compared that way; the message is still sent exactly as given.
Open to the unknown, strict on the known: a `type` or `sub_type` the effective spec does not list yet is
taken, with one warning per new value, and everything else in the message is still checked in full.
`strict=True` (a client's `validate="strict"`) checks exactly against the effective spec, as d360 did
before: a new value, a `null` the spec does not allow, a kind in a case the spec does not list are refused.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from d360.errors import Problem, ValidationError

if TYPE_CHECKING:
    import jsonschema_rs

TEXT_BODY_MAX = 4096
CAPTION_MAX = 1024
INTERACTIVE_BODY_MAX = 1024
INTERACTIVE_HEADER_FOOTER_MAX = 60
REPLY_BUTTONS_MAX = 3
BUTTON_TITLE_MAX = 20
BUTTON_ID_MAX = 256
LIST_BUTTON_MAX = 20
LIST_SECTIONS_MAX = 10
LIST_ROWS_MAX = 10
ROW_TITLE_MAX = 24
ROW_DESCRIPTION_MAX = 72
PHONE_DIGITS = (8, 15)
PHONE_DECORATION = re.compile(r"[+\s\-()]")
MEDIA_TYPES = ("image", "audio", "video", "document", "sticker")
CAPTIONED_TYPES = ("image", "video", "document")
OPEN_FIELDS = frozenset({"type", "sub_type"})
"""The fields whose values name a kind of thing (a message type, an interactive type, a template component,
a button, a parameter): Meta adds new values every few months, so one d360 does not know yet is taken."""
CASELESS_TEMPLATE_FIELDS = ("type", "sub_type")
"""A template component's fields the Cloud API matches without regard to case (a parameter's `type` too)."""

logger = logging.getLogger("d360.validation")


@cache
def spec() -> dict[str, Any]:
    """The OpenAPI document `d360_api` was generated from (kept, for the sandbox and the tools)."""
    return _read_spec()


def _read_spec() -> dict[str, Any]:
    from importlib import resources

    text = resources.files("d360_api").joinpath("openapi.json").read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


MESSAGE_SCHEMA = "messages.Message"
READ_RECEIPT_SCHEMA = "messages.ReadReceipt"
LONG_VALUE = 60


@cache
def schema_validator(name: str = MESSAGE_SCHEMA) -> jsonschema_rs.Validator:
    """A compiled validator for one of the effective spec's schemas, built on first use, not at import.

    Compiled from a copy of the spec that is then let go: a client keeps only the compiled validator, not
    tens of thousands of Python objects that every full garbage collection would walk (measured: 2-3% of
    a sync send's CPU).
    """
    import jsonschema_rs  # a compiled extension: loaded with the first validation, not with `import d360`

    document = _read_spec()
    root = {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
    return jsonschema_rs.Draft202012Validator(root)


@cache
def known_message_types() -> frozenset[str]:
    """The message types the effective spec lists: a message of one of these carries the object it names."""
    envelope = _read_spec()["components"]["schemas"][MESSAGE_SCHEMA]
    return frozenset(envelope["properties"]["type"]["enum"])


def normalize_phone(number: str) -> str:
    """`+49 (151) 123-45678` becomes `4915112345678`: upstream's form of a phone number."""
    if number.isascii() and number.isdigit():  # already in that form (every message d360 builds): nothing to strip
        return number
    return PHONE_DECORATION.sub("", number)


def schema_problems(message: Any, schema: str = MESSAGE_SCHEMA, *, strict: bool = True) -> list[Problem]:
    """What the effective spec's schema finds wrong, each problem phrased for a person.

    With `strict=False`, a `type` or `sub_type` value the spec does not list is not a problem (it is
    logged once); everything else is.
    """
    validator = schema_validator(schema)
    if validator.is_valid(message):
        return []
    problems: dict[Problem, None] = {}  # one problem once, in the order found
    for error in validator.iter_errors(message):
        if not strict and _is_unknown_kind(error):
            _warn_unknown(error)
            continue
        problems[_problem(error)] = None
    return list(problems)


def _is_unknown_kind(error: jsonschema_rs.ValidationError) -> bool:
    path = error.instance_path
    return (
        type(error.kind).__name__ == "Enum"
        and bool(path)
        and path[-1] in OPEN_FIELDS
        and isinstance(error.instance, str)
        and error.instance != ""
    )


_warned: set[tuple[str, str]] = set()
_warned_lock = threading.Lock()
MAX_WARNED = 1000
"""New values remembered so each is logged once; past this many (a caller inventing them), no more are logged."""


def _warn_unknown(error: jsonschema_rs.ValidationError) -> None:
    _warn_once(error.instance_path, error.instance, "a value d360 does not know yet: taken as given, the rest "
               "of the message checked (validate='strict' refuses it)")  # fmt: skip


def _warn_once(path: Any, value: Any, what: str) -> None:
    field = "$" + "".join("[]" if isinstance(part, int) else f".{part}" for part in path)
    shown = _short(value)  # a long value is remembered (and logged) by its first characters only
    with _warned_lock:
        if (field, shown) in _warned or len(_warned) >= MAX_WARNED:
            return
        _warned.add((field, shown))
    logger.warning("%s is %s, %s", field, shown, what)


def as_upstream_reads(message: Any) -> Any:
    """The message as the Cloud API reads it, for checking: every `null` field left out, and a template
    component's `type` and `sub_type` and a parameter's `type` in lower case. A copy; the message itself
    is sent as given."""
    read = _without_nulls(message)
    template = read.get("template") if isinstance(read, dict) else None
    if isinstance(template, dict) and isinstance(template.get("components"), list):
        _lower_template_kinds(template["components"])
    return read


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_without_nulls(item) for item in value]
    return value


@cache
def _caseless_values() -> dict[str, frozenset[str]]:
    """The values of a template component's `type` and `sub_type` and of a parameter's `type`, in lower case."""
    schemas = _read_spec()["components"]["schemas"]
    component, parameter = schemas["messages.TemplateComponent"], schemas["messages.TemplateParameter"]
    return {
        field: frozenset(value.lower() for value in schema["properties"][name]["enum"])
        for field, schema, name in (("type", component, "type"), ("sub_type", component, "sub_type"),
                                    ("parameter", parameter, "type"))
    }  # fmt: skip


def known_parameter_types() -> frozenset[str]:
    """The template parameter types the effective spec lists, in lower case (a newer one is taken as given)."""
    return _caseless_values()["parameter"]


def _read_caseless(holder: dict[str, Any], field: str, kind: str) -> None:
    value = holder.get(field)
    # A value d360 does not know stays as given, so a refusal (validate="strict") names it as it was sent.
    if isinstance(value, str) and value.lower() in _caseless_values()[kind]:
        holder[field] = value.lower()


def _lower_template_kinds(components: list[Any]) -> None:
    for component in components:
        if not isinstance(component, dict):
            continue
        for field in CASELESS_TEMPLATE_FIELDS:
            _read_caseless(component, field, field)
        for parameter in _list(component.get("parameters")):
            if isinstance(parameter, dict):
                _read_caseless(parameter, "type", "parameter")
        for card in _list(component.get("cards")):
            if isinstance(card, dict) and isinstance(card.get("components"), list):
                _lower_template_kinds(card["components"])


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _problem(error: jsonschema_rs.ValidationError) -> Problem:
    path = "$" + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.instance_path)
    kind = type(error.kind).__name__
    details = error.kind.as_dict()
    value: Any = error.instance
    if kind == "Required":
        return Problem(f"{path}.{details['property']}", "is required")
    if kind == "Type":
        return Problem(path, f"must be {' or '.join(details['types'])}, not {_json_type(value)}")
    if kind == "Enum":
        # A value taken in either case is named once, in the spelling the spec lists first.
        named: dict[str, Any] = {}
        for option in details["options"]:
            named.setdefault(option.lower() if isinstance(option, str) else repr(option), option)
        options = ", ".join(repr(option) for option in named.values())
        return Problem(path, f"must be one of {options}, not {_short(value)}")
    if kind == "MaxLength":
        return Problem(path, f"is {len(value)} characters, more than the limit of {details['limit']}")
    if kind == "MinLength":
        return Problem(path, "must not be empty" if details["limit"] == 1 else f"needs {details['limit']} characters")
    if kind == "MaxItems":
        return Problem(path, f"has {len(value)} items, more than the limit of {details['limit']}")
    if kind == "MinItems":
        return Problem(path, f"needs at least {details['limit']} item{'s' if details['limit'] != 1 else ''}")
    if kind in ("Minimum", "Maximum"):
        word = "at least" if kind == "Minimum" else "at most"
        return Problem(path, f"must be {word} {details['limit']}, not {value}")
    if kind == "Pattern":
        return Problem(path, f"{_short(value)} does not match {details['pattern']}")
    message = error.message
    return Problem(path, message if len(message) <= 200 else message[:197] + "...")


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return {str: "string", list: "array", dict: "object", type(None): "null"}.get(type(value), type(value).__name__)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= LONG_VALUE else text[: LONG_VALUE - 3] + "..."


def limit_problems(message: Any) -> list[Problem]:
    """Upstream's documented limits that the spec does not encode."""
    if not isinstance(message, Mapping):
        return []
    return list(_limit_problems(message))


def message_problems(message: Any, *, strict: bool = False, limits: bool = True) -> list[Problem]:
    """Everything wrong with a message, each thing once: the schema's problems, then the limits'.

    A status body (a read receipt, with or without a typing indicator) is checked as `mark_as_read`'s.
    Where a hand-written limit speaks of a place (`$.text.body is 5000 characters, ...`), the schema's
    words about that place or below it are left out: the same fault, said once and said better.
    `strict` checks exactly against the effective spec (no new `type` values, no `null` it does not allow);
    `limits=False` leaves out the limits no schema can say (the sandbox's default).
    """
    if not isinstance(message, Mapping):
        return [Problem("$", f"a message must be a JSON object, not {type(message).__name__}")]
    try:
        message = message if isinstance(message, dict) else dict(message)
        if is_status_body(message):
            return read_receipt_problems(message, strict=strict)
        valid = schema_validator().is_valid(message)  # a valid message needs no second reading: the fast path
        if not valid and not strict:  # strict: exactly the effective spec, as d360 checked before it read as upstream
            message = as_upstream_reads(message)
            _read_known_in_any_case(message, schema_validator())
        found_limits = limit_problems(message) if limits else []
        schema = [] if valid else schema_problems(message, strict=strict)
    except (RecursionError, ValueError) as exc:  # jsonschema-rs says "Recursion limit reached" as ValueError
        if isinstance(exc, ValueError) and "ecursion" not in str(exc):
            # What jsonschema-rs cannot take as JSON (a key that is not a string): never a bare ValueError.
            return [Problem("$", f"cannot be checked as JSON: {exc}")]
        return [Problem("$", "is nested too deeply to be a message")]
    spoken_for = [problem.path for problem in found_limits]
    return [problem for problem in schema if not _under_any(problem.path, spoken_for)] + found_limits


def is_status_body(body: Any) -> bool:
    """A body that speaks of a received message's status and names no recipient: a read receipt, or a
    typing indicator (which is one), as `mark_as_read` sends it."""
    return isinstance(body, Mapping) and "status" in body and body.get("to") is None and body.get("recipient") is None


def read_receipt_problems(receipt: Any, *, strict: bool = True) -> list[Problem]:
    """What is wrong with a read receipt (`mark_as_read`'s body), against the effective spec: a field given
    as `null` is absent; `strict=False` takes a typing indicator `type` d360 does not know yet."""
    validator = schema_validator(READ_RECEIPT_SCHEMA)
    if validator.is_valid(receipt):
        return []
    return schema_problems(receipt if strict else _without_nulls(receipt), READ_RECEIPT_SCHEMA, strict=strict)


def _read_known_in_any_case(message: dict[str, Any], validator: jsonschema_rs.Validator) -> None:
    """A `type` d360 knows, written in another case (an interactive "BUTTON", a message type "TEXT"): read as
    the value it knows, so all that value's rules are checked, and logged once. (The template kinds the Cloud
    API compares without regard to case were read so already.)"""
    known: list[tuple[list[str | int], str]] = []
    for error in validator.iter_errors(message):
        if _is_unknown_kind(error):
            wanted = str(error.instance).lower()  # a string: _is_unknown_kind says so
            options = [option for option in error.kind.as_dict()["options"] if isinstance(option, str)]
            same = [option for option in options if option.lower() == wanted]
            if same:
                known.append((list(error.instance_path), same[0]))
                _warn_once(error.instance_path, error.instance, f"read as {same[0]!r}, the value d360 knows")
    for path, value in known:
        holder: Any = message
        for step in path[:-1]:
            holder = holder[step]
        holder[path[-1]] = value


def _under_any(path: str, places: list[str]) -> bool:
    return any(path == place or path.startswith((place + ".", place + "[")) for place in places)


def validate_message(message: Any, *, strict: bool = False) -> None:
    """Raise ValidationError listing every problem, or return quietly (`strict`: see `message_problems`)."""
    if _plainly_valid(message):
        return
    problems = message_problems(message, strict=strict)
    if problems:
        raise ValidationError(problems)


def _plainly_valid(message: Any) -> bool:
    """The common case, answered quickly: a plain dict, not a status body, that the schema takes and that
    breaks no limit. `message_problems` finds nothing in such a message either (strict or not: both start
    with the same schema and limits); anything else, including any doubt, goes the long way round."""
    if type(message) is not dict or ("status" in message and message.get("to") is None
                                     and message.get("recipient") is None):  # fmt: skip
        return False
    try:
        return schema_validator().is_valid(message) and next(_limit_problems(message), None) is None
    except (RecursionError, ValueError):  # message_problems says what is wrong
        return False


def _limit_problems(message: Mapping[str, Any]) -> Iterator[Problem]:
    if "to" not in message and "recipient" not in message:
        yield Problem("$.to", "is required: the recipient's phone number or group id (or `recipient`, a "
                              "business-scoped user id)")  # fmt: skip
    to = message.get("to")
    if isinstance(to, str) and message.get("recipient_type", "individual") == "individual":
        digits = normalize_phone(to)
        low, high = PHONE_DIGITS
        # ASCII digits only: str.isdigit() also takes superscripts, Arabic-Indic and fullwidth digits.
        if not (digits.isascii() and digits.isdigit()) or not low <= len(digits) <= high:
            yield Problem(
                "$.to",
                f"must be a phone number of {low}-{high} digits (+, spaces, dashes and brackets allowed), not {to!r}",
            )
    kind = message.get("type")
    if not isinstance(kind, str):
        return
    if kind not in message and kind in known_message_types():
        yield Problem(f"$.{kind}", f"is required when type is {kind!r}")
    checker = LIMITS_BY_TYPE.get(kind)
    content = message.get(kind)
    if checker is not None and isinstance(content, Mapping):
        yield from checker(content, f"$.{kind}", kind)


def _too_long(value: Any, path: str, limit: int, what: str = "characters") -> Iterator[Problem]:
    if isinstance(value, str) and len(value) > limit:
        yield Problem(path, f"is {len(value)} {what}, more than the limit of {limit}")


def _text_limits(text: Mapping[str, Any], path: str, kind: str) -> Iterator[Problem]:
    body = text.get("body")
    if body is None:
        yield Problem(f"{path}.body", "is required")
    elif isinstance(body, str) and not body:
        yield Problem(f"{path}.body", "must not be empty")
    else:
        yield from _too_long(body, f"{path}.body", TEXT_BODY_MAX)


def _media_limits(media: Mapping[str, Any], path: str, kind: str) -> Iterator[Problem]:
    yield from _media_source(media, path)
    if kind in CAPTIONED_TYPES:
        yield from _too_long(media.get("caption"), f"{path}.caption", CAPTION_MAX)


def _media_source(media: Mapping[str, Any], path: str) -> Iterator[Problem]:
    has_link, has_id = bool(media.get("link")), bool(media.get("id"))
    if has_link and has_id:
        yield Problem(path, "give link or id, not both")
    elif not has_link and not has_id:
        yield Problem(path, "needs a link or an id")


def _location_limits(location: Mapping[str, Any], path: str, kind: str) -> Iterator[Problem]:
    for name, bound in (("latitude", 90), ("longitude", 180)):
        value = location.get(name)
        if value is None:
            yield Problem(f"{path}.{name}", "is required")
        elif isinstance(value, int | float) and not isinstance(value, bool) and not -bound <= value <= bound:
            yield Problem(f"{path}.{name}", f"must be between -{bound} and {bound}, not {value}")


def _reaction_limits(reaction: Mapping[str, Any], path: str, kind: str) -> Iterator[Problem]:
    if not reaction.get("message_id"):
        yield Problem(f"{path}.message_id", "is required: the id of the message to react to")
    if "emoji" not in reaction:
        yield Problem(f"{path}.emoji", 'is required ("" removes a reaction)')


def _template_limits(template: Mapping[str, Any], path: str, kind: str) -> Iterator[Problem]:
    if isinstance(template.get("name"), str) and not template["name"]:
        yield Problem(f"{path}.name", "must not be empty")


def _interactive_limits(interactive: Mapping[str, Any], path: str, kind: str) -> Iterator[Problem]:
    action = interactive.get("action")
    action = action if isinstance(action, Mapping) else {}
    body = interactive.get("body")
    if interactive.get("type") in ("button", "list"):
        if not isinstance(body, Mapping) or not body.get("text"):
            yield Problem(f"{path}.body.text", "is required for button and list messages")
        else:
            yield from _too_long(body.get("text"), f"{path}.body.text", INTERACTIVE_BODY_MAX)
    footer = interactive.get("footer")
    if isinstance(footer, Mapping):
        yield from _too_long(footer.get("text"), f"{path}.footer.text", INTERACTIVE_HEADER_FOOTER_MAX)
    header = interactive.get("header")
    if isinstance(header, Mapping):
        yield from _too_long(header.get("text"), f"{path}.header.text", INTERACTIVE_HEADER_FOOTER_MAX)
        header_type = header.get("type")
        if header_type in ("image", "video", "document"):
            media = header.get(header_type)
            if isinstance(media, Mapping):
                yield from _media_source(media, f"{path}.header.{header_type}")
            else:
                yield Problem(f"{path}.header.{header_type}", f"is required when the header type is {header_type!r}")
    if interactive.get("type") == "button":
        yield from _reply_buttons(action.get("buttons"), f"{path}.action.buttons")
    elif interactive.get("type") == "list":
        yield from _list_action(action, f"{path}.action")


def _reply_buttons(buttons: Any, path: str) -> Iterator[Problem]:
    if not isinstance(buttons, list) or not 1 <= len(buttons) <= REPLY_BUTTONS_MAX:
        count = len(buttons) if isinstance(buttons, list) else 0
        yield Problem(path, f"needs 1-{REPLY_BUTTONS_MAX} reply buttons, not {count}")
        if not isinstance(buttons, list):
            return
    ids: dict[str, int] = {}
    titles: dict[str, int] = {}
    for index, button in enumerate(buttons):
        reply = button.get("reply") if isinstance(button, Mapping) else None
        where = f"{path}[{index}].reply"
        if not isinstance(reply, Mapping):
            yield Problem(where, "is required: {'id': ..., 'title': ...}")
            continue
        button_id, title = reply.get("id"), reply.get("title")
        if not isinstance(button_id, str) or not button_id:
            yield Problem(f"{where}.id", "is required")
        else:
            yield from _too_long(button_id, f"{where}.id", BUTTON_ID_MAX)
            if button_id in ids:
                yield Problem(f"{where}.id", f"repeats the id of button {ids[button_id]}")
            ids.setdefault(button_id, index)
        if not isinstance(title, str) or not title:
            yield Problem(f"{where}.title", "is required")
        else:
            yield from _too_long(title, f"{where}.title", BUTTON_TITLE_MAX)
            if title in titles:
                yield Problem(f"{where}.title", f"repeats the title of button {titles[title]}")
            titles.setdefault(title, index)


def _list_action(action: Mapping[str, Any], path: str) -> Iterator[Problem]:
    label = action.get("button")
    if not isinstance(label, str) or not label:
        yield Problem(f"{path}.button", "is required: the label of the button that opens the list")
    else:
        yield from _too_long(label, f"{path}.button", LIST_BUTTON_MAX)
    sections = action.get("sections")
    if not isinstance(sections, list) or not 1 <= len(sections) <= LIST_SECTIONS_MAX:
        count = len(sections) if isinstance(sections, list) else 0
        yield Problem(f"{path}.sections", f"needs 1-{LIST_SECTIONS_MAX} sections, not {count}")
        if not isinstance(sections, list):
            return
    total_rows = 0
    for section_index, section in enumerate(sections):
        rows = section.get("rows") if isinstance(section, Mapping) else None
        if not isinstance(rows, list) or not rows:
            yield Problem(f"{path}.sections[{section_index}].rows", "needs at least one row")
            continue
        total_rows += len(rows)
        for row_index, row in enumerate(rows):
            where = f"{path}.sections[{section_index}].rows[{row_index}]"
            if not isinstance(row, Mapping) or not row.get("id") or not row.get("title"):
                yield Problem(where, "needs an id and a title")
                continue
            yield from _too_long(row.get("title"), f"{where}.title", ROW_TITLE_MAX)
            yield from _too_long(row.get("description"), f"{where}.description", ROW_DESCRIPTION_MAX)
    if total_rows > LIST_ROWS_MAX:
        yield Problem(f"{path}.sections", f"has {total_rows} rows in all, more than the limit of {LIST_ROWS_MAX}")


LimitCheck = Callable[[Mapping[str, Any], str, str], Iterator[Problem]]
LIMITS_BY_TYPE: dict[str, LimitCheck] = {
    "text": _text_limits,
    **dict.fromkeys(MEDIA_TYPES, _media_limits),
    "location": _location_limits,
    "reaction": _reaction_limits,
    "template": _template_limits,
    "interactive": _interactive_limits,
}
