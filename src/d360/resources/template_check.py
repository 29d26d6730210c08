"""Does a template message fit its template? Checked before sending, by `Client(template_check=True)` and
`d360 bulk`, so a message upstream would refuse (132000, 132001) is refused here, with nothing sent.

Pure: `fit_problems(message, lookup)` is a function of the message and what upstream holds for its template
(a `TemplateLookup`, fetched with `lookup_request` and kept in a `TemplateCache` by the clients). Each
mismatch is a `Problem` at its path in the message, in words a user understands:

    $.template.components[1].parameters: the template's body has 3 parameters ({{1}}..{{3}}); the message gives 2

What is compared: the name and the language code (exactly, as upstream does), the status (APPROVED, in any
case), the number of header, body and button parameters, a header parameter's type against the header's
format, a button's index (0-based over the template's BUTTONS) and its sub_type (in any case: the Cloud API
takes both). Parts of a template d360 does not model (carousels, limited-time offers, header formats newer
than it) are left to upstream, never refused.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from d360.errors import APIConnectionError, APIStatusError, D360Error, Problem, TemplateMismatchError
from d360.numbers import read_int
from d360.resources.base import Page, Request
from d360.resources.template_rules import (
    HEADER_FORMATS,
    ButtonSlot,
    TemplateShape,
    name_problems,
    template_shape,
)
from d360.resources.templates import Template, TemplateFilter, list_request
from d360.validation import known_parameter_types

TemplateKey = tuple[str, str]
"""A template's name and language code: what upstream looks a template message up by."""

REFRESH_CODES = frozenset({132000, 132001, 132012, 132015, 132016})
"""Meta's errors that say the template upstream holds is not the one the cache holds: parameters that do
not match (132000), no such template or translation (132001), a parameter of another format (132012), a
template paused (132015) or disabled (132016). Each makes the client fetch the definition again."""

BODY_PARAMETER_TYPES = ("text", "currency", "date_time")
"""What a body's variables take (Meta's template message pages); media and locations go in the header."""

_HEADER_NAMES = {"TEXT": "text", "IMAGE": "an image", "VIDEO": "a video", "DOCUMENT": "a document",
                 "LOCATION": "a location"}  # fmt: skip


@attrs.frozen
class TemplateLookup:
    """What upstream holds for a (name, language): the template in that language (whatever its status) and
    every language the name exists in. What the cache keeps."""

    name: str
    language: str
    template: Template | None
    languages: tuple[str, ...] = ()

    @property
    def sendable(self) -> bool:
        """Whether the template exists in this language and is approved."""
        return self.template is not None and self.template.approved


@attrs.frozen
class CheckedTemplate:
    """A template message that fitted its template: what to refresh should upstream refuse it all the same."""

    key: TemplateKey
    entry: Any
    """The cache entry the message was checked against."""


def template_key(message: Any) -> TemplateKey | None:
    """(name, language code) of a template message; None for any other message."""
    if not isinstance(message, Mapping) or message.get("type") != "template":
        return None
    template = message.get("template")
    if not isinstance(template, Mapping):
        return None
    name = template.get("name")
    language = template.get("language")
    code = language.get("code") if isinstance(language, Mapping) else None
    if not (isinstance(name, str) and isinstance(code, str)):
        return None
    return name, code


def local_lookup(key: TemplateKey) -> TemplateLookup | None:
    """The lookup of a name no template can have (upstream's name rules), made without asking upstream;
    None when upstream must be asked."""
    name, language = key
    return TemplateLookup(name, language, None) if name_problems(name) else None


def lookup_request(key: TemplateKey) -> Request[Page[Template]]:
    """The listing of every language of the template's name (so a miss can say which languages exist)."""
    return list_request(TemplateFilter(name=key[0]))


def read_lookup(key: TemplateKey) -> Callable[[list[Template]], TemplateLookup]:
    """Makes the lookup of `key` from every template of its name."""
    name, language = key

    def read(found: list[Template]) -> TemplateLookup:
        languages = tuple(sorted({template.language for template in found if template.language}))
        matching = [template for template in found if template.name == name and template.language == language]
        # Two of one name and language should not exist; if upstream lists two, an approved one is the one sent.
        chosen = next((template for template in matching if template.approved), matching[0] if matching else None)
        return TemplateLookup(name, language, chosen, languages)

    return read


def check_fit(message: Mapping[str, Any], lookup: TemplateLookup) -> None:
    """Raise `TemplateMismatchError` listing every way `message` does not fit `lookup`'s template."""
    problems = fit_problems(message, lookup)
    if problems:
        raise TemplateMismatchError(problems, name=lookup.name, language=lookup.language)


def fit_problems(message: Mapping[str, Any], lookup: TemplateLookup) -> list[Problem]:
    """Every way a template message does not fit its template, each at its path in the message."""
    name, language = lookup.name, lookup.language
    if name_problems(name):
        why = f"no template can be named {name!r}: names are lower-case letters, digits and underscores"
        return [Problem("$.template.name", why)]
    template = lookup.template
    if template is None:
        if not lookup.languages:
            why = f"no template named {name!r} exists (`d360 templates list` shows those that do)"
            return [Problem("$.template.name", why)]
        why = f"template {name!r} has no {language!r} translation; it exists in {', '.join(lookup.languages)}"
        return [Problem("$.template.language.code", why)]
    if not template.approved:
        status = template.status or "without a status"
        why = f"template {name!r} in {language!r} is {status}, not APPROVED: it cannot be sent until it is approved"
        return [Problem("$.template.name", why)]
    content = message.get("template")
    components = content.get("components") if isinstance(content, Mapping) else None
    shape = template_shape([dict(component) for component in template.components], template.category)
    return _Fit(shape).problems(components)


def refreshes_on(error: BaseException) -> bool:
    """Whether upstream's refusal says its template differs from the cached one (see `REFRESH_CODES`)."""
    if not isinstance(error, APIStatusError) or error.status_code != 400:
        return False
    code = error.code if isinstance(error.code, int) else read_int(error.code, max_digits=9)
    return code in REFRESH_CODES


def lookup_failure(key: TemplateKey, error: D360Error, *, subject: str = "the message") -> D360Error:
    """What a send raises when fetching its template failed: the same kind of error, saying that nothing was
    sent (`maybe_delivered` False), whatever the fetch met."""
    name, language = key
    context = f"cannot check {subject} against template {name!r} ({language}); nothing was sent"
    if isinstance(error, APIConnectionError):
        failure = type(error)(f"{context}: fetching the template failed: {error.message}", maybe_delivered=False)
        failure.__cause__ = error
        return failure
    error.maybe_delivered = False
    error.add_note(f"{context}: this error came from fetching the template")
    return error


class _Fit:
    """The check of one message's components against one template's shape; problems in message order."""

    def __init__(self, shape: TemplateShape) -> None:
        self.shape = shape
        self.found: list[Problem] = []

    def add(self, path: str, message: str) -> None:
        self.found.append(Problem(path, message))

    def problems(self, components: Any) -> list[Problem]:
        parts: dict[str, tuple[str, Mapping[str, Any]]] = {}
        buttons: dict[int, tuple[str, Mapping[str, Any]]] = {}
        for position, component in enumerate(components if isinstance(components, list) else ()):
            path = f"$.template.components[{position}]"
            if not isinstance(component, Mapping):
                continue  # validation says what is wrong with it
            kind = str(component.get("type", "")).lower()
            if kind in ("header", "body"):
                if kind in parts:
                    self.add(f"{path}.type", f"gives the {kind} a second time (first at {parts[kind][0]})")
                    continue
                parts[kind] = (path, component)
                if kind == "header":
                    self.header(path, component)
                else:
                    self.body(path, component)
            elif kind == "button":
                index = read_int(component.get("index"), max_digits=3)
                if index is None:
                    given = component.get("index")
                    self.add(f"{path}.index", f"must be the button's position, a whole number from 0, not {given!r}")
                elif index in buttons:
                    first = buttons[index][0]
                    self.add(f"{path}.index", f"gives the button at index {index} a second time (first at {first})")
                else:
                    buttons[index] = (path, component)
                    self.button(path, index, component)
            # carousel, limited_time_offer and newer components: not modelled here; upstream checks them
        where = "$.template.components" if isinstance(components, list) else "$.template"
        if "header" not in parts:
            self.missing_header(where)
        if "body" not in parts and self.shape.body:
            self.add(where, f"{self.body_takes()}; the message gives none (it has no body component)")
        for slot in self.shape.buttons:
            if slot.minimum and slot.index not in buttons:
                missing = f"the message gives none (no button component with index {slot.index})"
                self.add(where, f"{_button_takes(slot)}; {missing}")
        return self.found

    def header(self, path: str, component: Mapping[str, Any]) -> None:
        header_format = self.shape.header_format
        parameters = _parameters(component)
        if header_format is None:
            if parameters:
                given = _count(len(parameters), "parameter")
                self.add(f"{path}.parameters", f"the template has no header; the message gives one with {given}")
            return
        if header_format not in HEADER_FORMATS:
            return  # a format newer than d360 (PRODUCT, ...): upstream knows what it takes
        if header_format == "TEXT":
            variables = self.shape.header_variables
            if len(parameters) != len(variables):
                takes = (
                    f"has {_count(len(variables), 'parameter')} ({_listed(variables)})"
                    if variables
                    else "is fixed text, with no parameters"
                )
                self.add(f"{path}.parameters", f"the template's header {takes}; the message gives {len(parameters)}")
        elif len(parameters) != 1:
            takes = f"it takes 1 parameter, the {header_format.lower()}"
            self.add(f"{path}.parameters", f"{self.header_is()}: {takes}; the message gives {len(parameters)}")
        wanted = header_format.lower()
        for number, parameter in enumerate(parameters):
            kind = parameter.get("type") if isinstance(parameter, Mapping) else None
            if _kind(kind) != wanted:
                fits = f"{_parameter_of(kind)} does not fit it (give {_parameter_of(wanted)})"
                self.add(f"{path}.parameters[{number}].type", f"{self.header_is()}: {fits}")

    def header_is(self) -> str:
        return f"the template's header is {_HEADER_NAMES[str(self.shape.header_format)]}"

    def missing_header(self, where: str) -> None:
        header_format = self.shape.header_format
        if header_format == "TEXT" and self.shape.header:
            variables = self.shape.header_variables
            has = f"the template's header has {_count(len(variables), 'parameter')} ({_listed(variables)})"
            self.add(where, f"{has}; the message gives none (it has no header component)")
        elif header_format in HEADER_FORMATS and header_format != "TEXT":
            must = f"the message must give the {str(header_format).lower()}, in a header component; it has none"
            self.add(where, f"{self.header_is()}: {must}")

    def body_takes(self) -> str:
        variables = self.shape.body_variables
        if not variables and self.shape.body:
            return f"the template's body takes {_count(self.shape.body, 'parameter')} (the one-time code)"
        if not variables:
            return "the template's body has no parameters"
        return f"the template's body has {_count(len(variables), 'parameter')} ({_listed(variables)})"

    def body(self, path: str, component: Mapping[str, Any]) -> None:
        parameters = _parameters(component)
        if len(parameters) != self.shape.body:
            self.add(f"{path}.parameters", f"{self.body_takes()}; the message gives {len(parameters)}")
        variables = self.shape.body_variables
        named = bool(variables) and not all(read_int(variable, max_digits=3) is not None for variable in variables)
        for number, parameter in enumerate(parameters):
            if not isinstance(parameter, Mapping):
                continue
            given = parameter.get("type")
            if _kind(given) not in BODY_PARAMETER_TYPES and _kind(given) in known_parameter_types():
                takes = ", ".join(BODY_PARAMETER_TYPES)
                self.add(
                    f"{path}.parameters[{number}].type", f"{_parameter_of(given)} does not fit a body: it takes {takes}"
                )
            parameter_name = parameter.get("parameter_name")
            if named and parameter_name is not None and parameter_name not in variables:
                has = f"the template's body has no {{{{{parameter_name}}}}}; it has {_listed(variables)}"
                self.add(f"{path}.parameters[{number}].parameter_name", has)

    def button(self, path: str, index: int, component: Mapping[str, Any]) -> None:
        slots = self.shape.buttons
        slot = next((slot for slot in slots if slot.index == index), None)
        if slot is None:
            if not slots:
                has = "has no buttons"
            elif len(slots) == 1:
                has = f"has 1 button (index {slots[0].index})"
            else:
                has = f"has {len(slots)} buttons (index {slots[0].index} to {slots[-1].index}, counted from 0)"
            self.add(f"{path}.index", f"the template {has}; there is no button at index {index}")
            return
        sub_type = component.get("sub_type")
        button = f"the template's button at index {index} is {_a(slot.type)} button"
        if slot.sub_type is not None:
            if sub_type is None:
                self.add(f"{path}.sub_type", f"is required: {button} (sub_type {slot.sub_type})")
            elif not (isinstance(sub_type, str) and sub_type.lower() == slot.sub_type):
                self.add(f"{path}.sub_type", f"{button}, which takes sub_type {slot.sub_type}, not {sub_type!r}")
        count = len(_parameters(component))
        if not slot.minimum <= count <= slot.maximum:
            self.add(f"{path}.parameters", f"{_button_takes(slot)}; the message gives {count}")


def _button_takes(slot: ButtonSlot) -> str:
    what = f"the template's {slot.type} button at index {slot.index}"
    if slot.maximum == 0:
        why = " (its URL has no variable)" if slot.type == "URL" else ""
        return f"{what} takes no parameters{why}"
    if slot.minimum == slot.maximum:
        why = {"URL": " (the end of its URL, {{1}})", "OTP": " (the one-time code)",
               "COPY_CODE": " (the coupon code)"}.get(slot.type, "")  # fmt: skip
        return f"{what} takes {_count(slot.minimum, 'parameter')}{why}"
    if slot.minimum == 0:
        why = " (its payload)" if slot.type == "QUICK_REPLY" else ""
        return f"{what} takes at most {_count(slot.maximum, 'parameter')}{why}"
    return f"{what} takes {slot.minimum} to {slot.maximum} parameters"


def _parameters(component: Mapping[str, Any]) -> list[Any]:
    parameters = component.get("parameters")
    return parameters if isinstance(parameters, list) else []


def _listed(variables: tuple[str, ...]) -> str:
    """`{{1}}..{{3}}` for numbered variables without gaps, else each: `{{first_name}}, {{order}}`."""
    numbers = [read_int(variable, max_digits=3) for variable in variables]
    if len(variables) > 2 and numbers == list(range(1, len(variables) + 1)):
        return f"{{{{1}}}}..{{{{{len(variables)}}}}}"
    return ", ".join(f"{{{{{variable}}}}}" for variable in variables)


def _kind(value: Any) -> Any:
    """A parameter's type as the Cloud API compares it: without regard to case."""
    return value.lower() if isinstance(value, str) else value


def _parameter_of(given: Any) -> str:
    """`an image parameter`, `a text parameter`; `a parameter without a type`."""
    if given is None:
        return "a parameter without a type"
    if not isinstance(given, str):
        return f"a parameter of type {given!r}"
    return f"{'an' if given[:1] in 'aeiou' else 'a'} {given} parameter"


def _a(word: str) -> str:
    """`a URL`, `an OTP`, `an MPM`: the article as the type is read aloud."""
    return f"{'an' if word[:1] in 'AEIO' or word in ('MPM', 'SPM') else 'a'} {word}"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
