"""Template definitions checked before they are created, and what a template asks of a message that uses it.

Upstream hands every template to Meta for review, and Meta refuses a definition that breaks its rules only
after the round trip (or rejects it in review, hours later). The rules checked here, each problem reported
with its JSON path, are Meta's, from the pages that document them:

- components, formats, variables, examples and lengths:
  https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates/components
- names, categories, languages, `parameter_format` (positional `{{1}}` or named `{{first_name}}`):
  https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates
- the name's 512 characters and the body's 1024: 360dialog's "Create and manage Template Messages" page.
- no lone surrogate (half an emoji) in any text: UTF-8 cannot carry one, so upstream cannot keep or show it.

Enum values (`BODY`, `IMAGE`, `QUICK_REPLY`, `UTILITY`, ...) are compared in any case and sent as given.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from d360.errors import Problem, ValidationError
from d360.json_input import LONE_SURROGATE_REASON, lone_surrogates
from d360.numbers import read_int

NAME_MAX = 512
NAME_PATTERN = re.compile(r"[a-z0-9_]+")
LANGUAGE_PATTERN = re.compile(r"[a-z]{2,3}(_[A-Za-z0-9]{2,4})?")
CATEGORIES = ("AUTHENTICATION", "MARKETING", "UTILITY")
PARAMETER_FORMATS = ("POSITIONAL", "NAMED")
HEADER_FORMATS = ("TEXT", "IMAGE", "VIDEO", "DOCUMENT", "LOCATION")
MEDIA_FORMATS = ("IMAGE", "VIDEO", "DOCUMENT")
COMPONENT_TYPES = ("HEADER", "BODY", "FOOTER", "BUTTONS", "CAROUSEL", "LIMITED_TIME_OFFER")
BUTTON_TYPES = (
    "QUICK_REPLY", "URL", "PHONE_NUMBER", "COPY_CODE", "OTP", "FLOW", "CATALOG", "MPM", "SPM", "VOICE_CALL"
)  # fmt: skip
OTP_TYPES = ("COPY_CODE", "ONE_TAP", "ZERO_TAP")
HEADER_TEXT_MAX = 60
BODY_TEXT_MAX = 1024
FOOTER_TEXT_MAX = 60
BUTTONS_MAX = 10
BUTTON_TEXT_MAX = 25
URL_MAX = 2000
PHONE_NUMBER_MAX = 20
COUPON_EXAMPLE_MAX = 15
CARDS_MAX = 10
OFFER_TEXT_MAX = 16
CODE_EXPIRATION_MINUTES = (1, 90)
# At most this many buttons of a kind in one template (Meta: two URL buttons, one phone number, one coupon).
BUTTON_KIND_MAX = {"URL": 2, "PHONE_NUMBER": 1, "COPY_CODE": 1, "OTP": 1}
# Buttons whose label is the template's own text (the others' labels are fixed by WhatsApp).
LABELLED_BUTTONS = frozenset({"QUICK_REPLY", "URL", "PHONE_NUMBER", "FLOW", "CATALOG", "MPM", "SPM", "VOICE_CALL"})
FIELDS = (
    "name", "category", "language", "components", "allow_category_change", "parameter_format",
    "message_send_ttl_seconds", "library_template_name", "library_template_button_inputs",
    "library_template_body_inputs", "cta_url_link_tracking_opted_out", "sub_category",
)  # fmt: skip
"""The fields of a definition POST /v1/configs/templates takes (Meta's and 360dialog's pages)."""

NAMED_VARIABLE = re.compile(r"[a-z_][a-z0-9_]*")


def placeholders(text: str) -> list[str]:
    """What stands between each `{{` and `}}` of `text`, in order: `["1", "2"]` or `["first_name"]`.

    One pass with `find`: a pattern such as `{{(.*?)}}` rescans the rest of the text from every `{{`
    that has no `}}` after it, so a text of 40,000 `{` took ten seconds (upstream's answers and a
    user's files are that long at will).
    """
    found = []
    start = text.find("{{")
    while start != -1:
        end = text.find("}}", start + 2)
        if end == -1:
            break
        found.append(text[start + 2 : end])
        start = text.find("{{", end + 2)
    return found


def validate_template(definition: Any) -> None:
    """Raise `ValidationError` listing every problem of a template definition, each with its JSON path."""
    problems = definition_problems(definition)
    if problems:
        raise ValidationError(problems, subject="template")


def definition_problems(definition: Any) -> list[Problem]:
    """Every problem of a template definition (the body of POST /v1/configs/templates), in order."""
    if not isinstance(definition, Mapping):
        return [Problem("$", f"must be an object (a template definition), not {_kind(definition)}")]
    check = _Check()
    _lone_surrogates(check, definition)
    for key in definition:
        if key not in FIELDS:
            check.add(f"$.{key}", f"is not a field of a template definition (known: {', '.join(FIELDS)})")
    name_problem = name_problems(definition.get("name"))
    check.problems.extend(name_problem)
    category = check.choice(definition, "category", "$", CATEGORIES, required=True)
    language = definition.get("language")
    if language is None:
        check.add("$.language", "is required")
    elif not isinstance(language, str) or not LANGUAGE_PATTERN.fullmatch(language):
        check.add("$.language", f"must be a language code such as en or en_US, not {_short(language)}")
    for flag in ("allow_category_change", "cta_url_link_tracking_opted_out"):
        if flag in definition and not isinstance(definition[flag], bool):
            check.add(f"$.{flag}", f"must be true or false, not {_short(definition[flag])}")
    named = check.choice(definition, "parameter_format", "$", PARAMETER_FORMATS) == "NAMED"
    if "message_send_ttl_seconds" in definition and read_int(definition["message_send_ttl_seconds"]) is None:
        check.add("$.message_send_ttl_seconds", f"must be a whole number of seconds, not "
                                                f"{_short(definition['message_send_ttl_seconds'])}")  # fmt: skip
    library = definition.get("library_template_name")
    if library is not None and not (isinstance(library, str) and library):
        check.add("$.library_template_name", f"must be the name of a library template, not {_short(library)}")
    if "library_template_button_inputs" in definition:
        _library_button_inputs(check, definition["library_template_button_inputs"])
    components = definition.get("components")
    if components is None:
        if library is None:
            check.add("$.components", "is required (or library_template_name, to create from the template library)")
    else:
        _components(check, components, "$.components", category=category, named=named)
    return check.problems


def _library_button_inputs(check: _Check, inputs: Any) -> None:
    """What a library template's buttons are filled with: `[{"type": "URL", "url": {"base_url": ...,
    "url_suffix_example": ...}}, {"type": "PHONE_NUMBER", "phone_number": "+1..."}]` (Meta's page)."""
    path = "$.library_template_button_inputs"
    if not _objects(inputs):
        check.add(path, "must be a list of objects")
        return
    for index, given in enumerate(inputs):
        url = given.get("url")
        if url is not None:
            if not isinstance(url, Mapping):
                check.add(f"{path}[{index}].url", f"must be an object with base_url (and url_suffix_example), "
                                                  f"not {_kind(url)}")  # fmt: skip
            else:
                for key in ("base_url", "url_suffix_example"):
                    if key in url and not isinstance(url[key], str):
                        check.add(f"{path}[{index}].url.{key}", f"must be a string, not {_kind(url[key])}")
        phone = given.get("phone_number")
        if phone is not None and not isinstance(phone, str):
            check.add(f"{path}[{index}].phone_number", f"must be a string, not {_kind(phone)}")


def name_problems(name: Any, path: str = "$.name") -> list[Problem]:
    """The problems of a template's name: 1-512 lower-case letters, digits and underscores."""
    if name is None:
        return [Problem(path, "is required")]
    if not isinstance(name, str):
        return [Problem(path, f"must be a string, not {_kind(name)}")]
    if not name:
        return [Problem(path, "must not be empty")]
    if len(name) > NAME_MAX:
        return [Problem(path, f"is {len(name)} characters, more than the limit of {NAME_MAX}")]
    if not NAME_PATTERN.fullmatch(name):
        return [Problem(path, f"must be lower-case letters, digits and underscores only, not {_short(name)}")]
    return []


def _lone_surrogates(check: _Check, definition: Mapping[str, Any]) -> None:
    """A problem for each text of the definition, anywhere in it (keys too), that holds a lone surrogate:
    upstream's store would keep one and then fail every listing."""
    for found in lone_surrogates(definition):
        held = "is a key holding" if found.in_key else "holds"
        check.add(found.path, f"{held} a lone surrogate ({found.character!a}), {LONE_SURROGATE_REASON}")


class _Check:
    """Collects problems; each reader below adds what it finds and returns what it read."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def choice(
        self, part: Mapping[str, Any], key: str, path: str, options: Sequence[str], *, required: bool = False
    ) -> str | None:
        """The value of an enum field, upper-cased (None when absent or not one of `options`)."""
        value = part.get(key)
        if value is None:
            if required:
                self.add(f"{path}.{key}", "is required")
            return None
        if not isinstance(value, str) or value.upper() not in options:
            self.add(f"{path}.{key}", f"must be one of {', '.join(options)}, not {_short(value)}")
            return None
        return value.upper()

    def text(self, part: Mapping[str, Any], key: str, path: str, limit: int, *, required: bool = True) -> str | None:
        value = part.get(key)
        if value is None:
            if required:
                self.add(f"{path}.{key}", "is required")
            return None
        if not isinstance(value, str):
            self.add(f"{path}.{key}", f"must be a string, not {_kind(value)}")
            return None
        if not value.strip():
            self.add(f"{path}.{key}", "must not be empty")
            return None
        if len(value) > limit:
            self.add(f"{path}.{key}", f"is {len(value)} characters, more than the limit of {limit}")
        return value

    def variables(self, text: str, path: str, *, named: bool) -> list[str]:
        """The variables of `text`, checked: `{{1}}`..`{{n}}` without gaps, or named ones. Distinct, in order."""
        found = placeholders(text)
        if named:
            for content in found:
                if not NAMED_VARIABLE.fullmatch(content):
                    self.add(path, f"{{{{{content}}}}} is not a named variable: use lower-case letters, digits "
                                   "and underscores, such as {{first_name}}")  # fmt: skip
            return list(dict.fromkeys(found))
        numbers = []
        for content in found:
            number = read_int(content, max_digits=3)
            if number is None or number == 0:
                self.add(path, f"{{{{{content}}}}} is not a variable: number them {{{{1}}}}, {{{{2}}}}, ...")
            else:
                numbers.append(number)
        distinct = sorted(set(numbers))
        if distinct != list(range(1, len(distinct) + 1)):
            listed = ", ".join(f"{{{{{number}}}}}" for number in distinct)
            self.add(path, f"variables must be numbered from {{{{1}}}} without gaps, not {listed}")
        return [str(number) for number in distinct]


def _components(check: _Check, components: Any, path: str, *, category: str | None, named: bool) -> None:
    if not isinstance(components, list):
        check.add(path, f"must be a list of components, not {_kind(components)}")
        return
    seen: dict[str, int] = {}
    for index, component in enumerate(components):
        where = f"{path}[{index}]"
        if not isinstance(component, Mapping):
            check.add(where, f"must be an object, not {_kind(component)}")
            continue
        kind = check.choice(component, "type", where, COMPONENT_TYPES, required=True)
        if kind is None:
            continue
        if kind in seen:
            check.add(f"{where}.type", f"a template has one {kind} component; the first is {path}[{seen[kind]}]")
            continue
        seen[kind] = index
        if kind == "HEADER":
            _header(check, component, where, named=named)
        elif kind == "BODY":
            _body(check, component, where, category=category, named=named)
        elif kind == "FOOTER":
            _footer(check, component, where, category=category)
        elif kind == "BUTTONS":
            _buttons(check, component, where, category=category, named=named)
        elif kind == "CAROUSEL":
            _carousel(check, component, where)
        else:
            _limited_time_offer(check, component, where)
    if "BODY" not in seen:
        check.add(path, "needs a BODY component")
    if category == "AUTHENTICATION" and "BUTTONS" not in seen:
        check.add(path, "an AUTHENTICATION template needs a BUTTONS component with its OTP button")


def _header(check: _Check, component: Mapping[str, Any], path: str, *, named: bool) -> None:
    header_format = check.choice(component, "format", path, HEADER_FORMATS, required=True)
    example = component.get("example")
    if header_format == "TEXT":
        text = check.text(component, "text", path, HEADER_TEXT_MAX)
        if text is None:
            return
        variables = check.variables(text, f"{path}.text", named=named)
        if len(variables) > 1:
            check.add(f"{path}.text", f"a header takes at most one variable, not {len(variables)}")
        elif variables:
            _examples(check, example, path, "header_text", variables, named=named)
    elif header_format in MEDIA_FORMATS:
        handles = example.get("header_handle") if isinstance(example, Mapping) else None
        if not (isinstance(handles, list) and handles and all(isinstance(h, str) and h for h in handles)):
            check.add(f"{path}.example.header_handle", f"is required: a sample of the {header_format.lower()} "
                                                       "(an upload handle, 4::...)")  # fmt: skip


def _body(check: _Check, component: Mapping[str, Any], path: str, *, category: str | None, named: bool) -> None:
    # An authentication template's body is WhatsApp's own text; it may add a security recommendation.
    authentication = category == "AUTHENTICATION"
    if "add_security_recommendation" in component and not isinstance(component["add_security_recommendation"], bool):
        check.add(f"{path}.add_security_recommendation", "must be true or false")
    text = check.text(component, "text", path, BODY_TEXT_MAX, required=not authentication)
    if text is None:
        return
    variables = check.variables(text, f"{path}.text", named=named)
    stripped = text.strip()
    if variables and (stripped.startswith("{{") or stripped.endswith("}}")):
        check.add(f"{path}.text", "must not start or end with a variable")
    if variables:
        _examples(check, component.get("example"), path, "body_text", variables, named=named)


def _examples(check: _Check, example: Any, path: str, field: str, variables: list[str], *, named: bool) -> None:
    """A sample value for each variable: `example.body_text: [["Anna", "8812"]]`, `header_text: ["Anna"]`,
    or, named, `example.body_text_named_params: [{"param_name": "first_name", "example": "Anna"}]`."""
    if named:
        key = f"{field}_named_params"
        samples = example.get(key) if isinstance(example, Mapping) else None
        where = f"{path}.example.{key}"
        if not _objects(samples) or not samples:
            check.add(where, f"is required: a sample for each of {', '.join(variables)}")
            return
        given = [sample.get("param_name") for sample in samples]
        for index, sample in enumerate(samples):
            if not (isinstance(sample.get("example"), str) and sample["example"].strip()):
                check.add(f"{where}[{index}].example", "is required: a sample value")
        if sorted(str(name) for name in given) != sorted(variables):
            check.add(where, f"must give one sample for each variable ({', '.join(variables)}), not for "
                             f"{', '.join(str(name) for name in given)}")  # fmt: skip
        return
    samples = example.get(field) if isinstance(example, Mapping) else None
    where = f"{path}.example.{field}"
    if field == "body_text":  # one list of samples, inside a list
        samples = samples[0] if isinstance(samples, list) and len(samples) == 1 else None
        shape = f"[[{', '.join(f'sample {variable}' for variable in variables)}]]"
    else:
        shape = f"[{', '.join(f'sample {variable}' for variable in variables)}]"
    if not (isinstance(samples, list) and all(isinstance(sample, str) and sample.strip() for sample in samples)):
        check.add(where, f"is required: a sample value for each variable, {shape}")
    elif len(samples) != len(variables):
        check.add(where, f"has {_count(len(samples), 'sample')} for {_count(len(variables), 'variable')}")


def _footer(check: _Check, component: Mapping[str, Any], path: str, *, category: str | None) -> None:
    minutes = component.get("code_expiration_minutes")
    if minutes is not None:
        low, high = CODE_EXPIRATION_MINUTES
        number = read_int(minutes, max_digits=2)
        if isinstance(minutes, str) or number is None or not low <= number <= high:
            check.add(f"{path}.code_expiration_minutes", f"must be a whole number from {low} to {high}, not "
                                                         f"{_short(minutes)}")  # fmt: skip
    required = not (category == "AUTHENTICATION" and minutes is not None)
    text = check.text(component, "text", path, FOOTER_TEXT_MAX, required=required)
    if text is not None and placeholders(text):
        check.add(f"{path}.text", "a footer takes no variables")


def _buttons(check: _Check, component: Mapping[str, Any], path: str, *, category: str | None, named: bool) -> None:
    buttons = component.get("buttons")
    where = f"{path}.buttons"
    if not isinstance(buttons, list) or not buttons:
        check.add(where, "is required: a list of 1 to 10 buttons")
        return
    if len(buttons) > BUTTONS_MAX:
        check.add(where, f"has {len(buttons)} buttons, more than the limit of {BUTTONS_MAX}")
    kinds: dict[str, int] = {}
    for index, button in enumerate(buttons):
        here = f"{where}[{index}]"
        if not isinstance(button, Mapping):
            check.add(here, f"must be an object, not {_kind(button)}")
            continue
        kind = check.choice(button, "type", here, BUTTON_TYPES, required=True)
        if kind is None:
            continue
        kinds[kind] = kinds.get(kind, 0) + 1
        if kind in LABELLED_BUTTONS:
            check.text(button, "text", here, BUTTON_TEXT_MAX)
        if kind == "URL":
            _url_button(check, button, here)
        elif kind == "PHONE_NUMBER":
            check.text(button, "phone_number", here, PHONE_NUMBER_MAX)
        elif kind == "COPY_CODE":
            check.text(button, "example", here, COUPON_EXAMPLE_MAX)
        elif kind == "OTP":
            check.choice(button, "otp_type", here, OTP_TYPES, required=True)
            if category is not None and category != "AUTHENTICATION":
                check.add(f"{here}.type", "an OTP button belongs to an AUTHENTICATION template")
        elif kind == "FLOW" and not any(button.get(key) for key in ("flow_id", "flow_name", "flow_json")):
            check.add(here, "a FLOW button needs flow_id, flow_name or flow_json")
    for kind, limit in BUTTON_KIND_MAX.items():
        if kinds.get(kind, 0) > limit:
            check.add(where, f"has {kinds[kind]} {kind} buttons, more than the limit of {limit}")
    if category == "AUTHENTICATION" and "OTP" not in kinds:
        check.add(where, "an AUTHENTICATION template needs an OTP button")


def _url_button(check: _Check, button: Mapping[str, Any], path: str) -> None:
    url = check.text(button, "url", path, URL_MAX)
    if url is None:
        return
    if not url.lower().startswith(("https://", "http://")):
        check.add(f"{path}.url", f"must be an http(s) URL, not {_short(url)}")
    found = placeholders(url)
    if not found:
        return
    # A URL takes one variable, `{{1}}`, and only at its end: the message gives the URL's last part.
    if len(found) > 1 or found[0] != "1" or not url.endswith("{{1}}"):
        check.add(f"{path}.url", "a URL takes one variable, {{1}}, at its very end")
        return
    example = button.get("example")
    if not (isinstance(example, list) and len(example) == 1 and isinstance(example[0], str) and example[0].strip()):
        check.add(f"{path}.example", 'is required: the full URL of a sample, ["https://..."]')


def _carousel(check: _Check, component: Mapping[str, Any], path: str) -> None:
    cards = component.get("cards")
    if not isinstance(cards, list) or not cards:
        check.add(f"{path}.cards", f"is required: a list of 1 to {CARDS_MAX} cards")
        return
    if len(cards) > CARDS_MAX:
        check.add(f"{path}.cards", f"has {len(cards)} cards, more than the limit of {CARDS_MAX}")
    for index, card in enumerate(cards):
        components = card.get("components") if isinstance(card, Mapping) else None
        if not _objects(components) or not components:
            check.add(f"{path}.cards[{index}].components", "is required: the card's header, body and buttons")


def _limited_time_offer(check: _Check, component: Mapping[str, Any], path: str) -> None:
    offer = component.get("limited_time_offer")
    if not isinstance(offer, Mapping):
        check.add(f"{path}.limited_time_offer", "is required: an object with the offer's text")
        return
    check.text(offer, "text", f"{path}.limited_time_offer", OFFER_TEXT_MAX)


# What a template asks of a message that uses it: read from any definition, never an error.


@attrs.frozen
class ButtonSlot:
    """A template button as a message sees it: how many parameters its button component takes."""

    index: int
    type: str
    """Upper case, as the definition says it (`URL`, `QUICK_REPLY`, ...; unknown types kept)."""
    minimum: int
    maximum: int
    sub_type: str | None = None
    """The `sub_type` a message gives this button (`url`, `quick_reply`, ...); None for a type d360 does not
    know the sub_type of."""


@attrs.frozen
class TemplateShape:
    """How many parameters each part of a template takes in a message: the numbers upstream holds a template
    message to (error 132000 when they differ)."""

    header_format: str | None
    """`TEXT`, `IMAGE`, `VIDEO`, `DOCUMENT`, `LOCATION` (upper case), or None without a header."""
    header: int
    """Parameters of the header component: 1 for a media or location header, the variables of a text one."""
    body: int
    buttons: tuple[ButtonSlot, ...] = ()
    header_variables: tuple[str, ...] = ()
    """A text header's variables: `("1",)`, or a named one `("first_name",)`."""
    body_variables: tuple[str, ...] = ()
    """The body's variables, `("1", "2", "3")` or named ones `("first_name", "order")`, each once, in order.
    Empty for an authentication template's preset body, which still takes one parameter: the code."""


# Parameters a button component takes in a message, by the button's type (Meta's template message pages):
# a URL with a variable takes its suffix, a coupon its code, an OTP button the code; the rest may carry one.
_BUTTON_PARAMETERS = {"PHONE_NUMBER": (0, 0), "COPY_CODE": (1, 1), "OTP": (1, 1), "MPM": (1, 1)}
# The sub_type a message gives each type of button (Meta's template message pages). An OTP button is sent
# as `url`: Meta turns it into a URL button when the template is created, and its send example says `url`.
BUTTON_SUB_TYPES = {
    "QUICK_REPLY": "quick_reply", "URL": "url", "OTP": "url", "COPY_CODE": "copy_code", "FLOW": "flow",
    "CATALOG": "catalog", "MPM": "mpm", "VOICE_CALL": "voice_call", "ORDER_DETAILS": "order_details",
}  # fmt: skip


def template_shape(components: Any, category: str | None = None) -> TemplateShape:
    """The parameters a message of this template must give; read defensively from any components.

    `category` matters for one case: an AUTHENTICATION template's body is WhatsApp's preset text ("{{1}} is
    your verification code."), which a definition may leave out, and its one parameter is the code.
    """
    header_format: str | None = None
    header = body = 0
    header_variables: tuple[str, ...] = ()
    body_variables: tuple[str, ...] = ()
    buttons: list[ButtonSlot] = []
    for component in components if isinstance(components, list) else ():
        if not isinstance(component, Mapping):
            continue
        kind = str(component.get("type", "")).upper()
        text = _string(component.get("text"))
        if kind == "HEADER":
            header_format = str(component.get("format", "TEXT")).upper()
            header_variables = _variables(text) if header_format == "TEXT" else ()
            header = len(header_variables) if header_format == "TEXT" else 1
        elif kind == "BODY":
            body_variables = _variables(text)
            preset = not text and str(category or "").upper() == "AUTHENTICATION"
            body = 1 if preset else len(body_variables)
        elif kind == "BUTTONS":
            listed = component.get("buttons")
            for index, button in enumerate(listed if isinstance(listed, list) else ()):
                if not isinstance(button, Mapping):
                    continue
                button_type = str(button.get("type", "")).upper()
                low, high = _BUTTON_PARAMETERS.get(button_type, (0, 1))
                if button_type == "URL":
                    url = _string(button.get("url"))
                    low = high = 1 if placeholders(url) else 0
                buttons.append(ButtonSlot(index, button_type, low, high, BUTTON_SUB_TYPES.get(button_type)))
    return TemplateShape(
        header_format=header_format,
        header=header,
        body=body,
        buttons=tuple(buttons),
        header_variables=header_variables,
        body_variables=body_variables,
    )


def _variables(text: str) -> tuple[str, ...]:
    """Each variable of `text` once: numbered ones in number order, named ones in order of appearance."""
    found = list(dict.fromkeys(placeholders(text)))
    if found and all(read_int(variable, max_digits=3) is not None for variable in found):
        return tuple(sorted(found, key=lambda variable: read_int(variable, max_digits=3) or 0))
    return tuple(found)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _string(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _objects(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, Mapping) for item in value)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
