"""Template definitions are checked before they are created, every problem with its JSON path; and what a
template asks of a message (its parameter counts) is read from any definition."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import d360
from d360.errors import Problem
from d360.resources.template_rules import (
    ButtonSlot,
    TemplateShape,
    definition_problems,
    placeholders,
    template_shape,
    validate_template,
)
from d360.sandbox.templates import SEEDS

ORDER_UPDATE: dict[str, Any] = {
    "name": "order_update_2",
    "category": "UTILITY",
    "language": "en_US",
    "components": [
        {"type": "HEADER", "format": "TEXT", "text": "Order {{1}}", "example": {"header_text": ["8812"]}},
        {"type": "BODY", "text": "Hi {{1}}, your order of {{2}} ships on {{3}}.",
         "example": {"body_text": [["Anna", "EUR 12.50", "May 4"]]}},
        {"type": "FOOTER", "text": "Reply STOP to opt out"},
        {"type": "BUTTONS", "buttons": [
            {"type": "URL", "text": "Track it", "url": "https://example.com/orders/{{1}}",
             "example": ["https://example.com/orders/8812"]},
            {"type": "PHONE_NUMBER", "text": "Call us", "phone_number": "+4930123456"},
            {"type": "QUICK_REPLY", "text": "Stop updates"},
        ]},
    ],
}  # fmt: skip

VALID: dict[str, dict[str, Any]] = {
    "every part": ORDER_UPDATE,
    "named variables": {
        "name": "welcome", "category": "MARKETING", "language": "de", "parameter_format": "NAMED",
        "components": [
            {"type": "HEADER", "format": "TEXT", "text": "Hallo {{first_name}}",
             "example": {"header_text_named_params": [{"param_name": "first_name", "example": "Anna"}]}},
            {"type": "BODY", "text": "Schön, dass du da bist, {{first_name}}. Dein Code: {{code_2}}!",
             "example": {"body_text_named_params": [{"param_name": "first_name", "example": "Anna"},
                                                    {"param_name": "code_2", "example": "WELCOME"}]}},
        ],
    },
    "a media header with its sample": {
        "name": "invoice", "category": "utility", "language": "en", "allow_category_change": True,
        "components": [
            {"type": "header", "format": "document", "example": {"header_handle": ["4::YXBwbGljYXRpb24vcGRm:ARb"]}},
            {"type": "body", "text": "Your invoice is attached."},
        ],
    },
    "a location header and a coupon": {
        "name": "store_offer", "category": "MARKETING", "language": "en",
        "components": [
            {"type": "HEADER", "format": "LOCATION"},
            {"type": "BODY", "text": "Come by this week."},
            {"type": "BUTTONS", "buttons": [{"type": "COPY_CODE", "example": "SAVE25"},
                                            {"type": "FLOW", "text": "Book", "flow_id": "1234"}]},
        ],
    },
    "authentication": {
        "name": "login_code", "category": "AUTHENTICATION", "language": "en", "message_send_ttl_seconds": 300,
        "components": [
            {"type": "BODY", "add_security_recommendation": True},
            {"type": "FOOTER", "code_expiration_minutes": 10},
            {"type": "BUTTONS", "buttons": [{"type": "OTP", "otp_type": "COPY_CODE"}]},
        ],
    },
    "a carousel and a limited-time offer": {
        "name": "spring_picks", "category": "MARKETING", "language": "en",
        "components": [
            {"type": "BODY", "text": "Our picks for you."},
            {"type": "LIMITED_TIME_OFFER", "limited_time_offer": {"text": "Ends Sunday", "has_expiration": True}},
            {"type": "CAROUSEL", "cards": [{"components": [{"type": "BODY", "text": "Card"}]}]},
        ],
    },
    "from the library, with no components": {
        "name": "my_delivery_update", "category": "UTILITY", "language": "en_US",
        "library_template_name": "delivery_update_1",
        "library_template_button_inputs": [{"type": "URL", "url": {"base_url": "https://example.com/{{1}}"}}],
    },
}  # fmt: skip


@pytest.mark.parametrize("name", list(VALID))
def test_definitions_meta_documents_pass(name: str) -> None:
    assert definition_problems(VALID[name]) == []
    validate_template(VALID[name])


@pytest.mark.parametrize("seed", SEEDS, ids=[seed["name"] for seed in SEEDS])
def test_the_sandboxs_own_templates_pass(seed: dict[str, Any]) -> None:
    assert definition_problems(seed) == []


def changed(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    """ORDER_UPDATE with the value at `path` replaced (or removed, for `...`)."""
    definition = copy.deepcopy(ORDER_UPDATE)
    part: Any = definition
    for key in path[:-1]:
        part = part[key]
    if value is ...:
        del part[path[-1]]
    else:
        part[path[-1]] = value
    return definition


# Each bad definition, and exactly the problems it has. Components: 0 HEADER, 1 BODY, 2 FOOTER, 3 BUTTONS.
BAD: list[tuple[str, dict[str, Any], list[Problem]]] = [
    ("a name in capitals", changed(("name",), "Order-Update"),
     [Problem("$.name", "must be lower-case letters, digits and underscores only, not 'Order-Update'")]),
    ("a name too long", changed(("name",), "x" * 513), [Problem("$.name", "is 513 characters, more than the limit of 512")]),
    ("no name", changed(("name",), ...), [Problem("$.name", "is required")]),
    ("an unknown category", changed(("category",), "PROMO"),
     [Problem("$.category", "must be one of AUTHENTICATION, MARKETING, UTILITY, not 'PROMO'")]),
    ("a language name", changed(("language",), "english"),
     [Problem("$.language", "must be a language code such as en or en_US, not 'english'")]),
    ("a typo in a field", {**ORDER_UPDATE, "alow_category_change": True},
     [Problem("$.alow_category_change", "is not a field of a template definition (known: name, category, language, "
              "components, allow_category_change, parameter_format, message_send_ttl_seconds, library_template_name, "
              "library_template_button_inputs, library_template_body_inputs, cta_url_link_tracking_opted_out, "
              "sub_category)")]),
    ("no components", changed(("components",), ...),
     [Problem("$.components", "is required (or library_template_name, to create from the template library)")]),
    ("no body", changed(("components", 1), {"type": "FOOTER", "text": "x"}),
     [Problem("$.components[2].type", "a template has one FOOTER component; the first is $.components[1]"),
      Problem("$.components", "needs a BODY component")]),
    ("a gap in the numbering", changed(("components", 1, "text"), "Hi {{1}}, your order of {{3}} ships."),
     [Problem("$.components[1].text", "variables must be numbered from {{1}} without gaps, not {{1}}, {{3}}"),
      Problem("$.components[1].example.body_text", "has 3 samples for 2 variables")]),
    ("numbering from 0", changed(("components", 1, "text"), "Hi {{0}}, ok"),
     [Problem("$.components[1].text", "{{0}} is not a variable: number them {{1}}, {{2}}, ...")]),
    ("a named variable in a positional template", changed(("components", 1, "text"), "Hi {{name}} and {{1}}."),
     [Problem("$.components[1].text", "{{name}} is not a variable: number them {{1}}, {{2}}, ..."),
      Problem("$.components[1].example.body_text", "has 3 samples for 1 variable")]),
    ("a variable at the start", changed(("components", 1, "text"), "{{1}} ordered {{2}} for {{3}}."),
     [Problem("$.components[1].text", "must not start or end with a variable")]),
    ("no samples", changed(("components", 1, "example"), ...),
     [Problem("$.components[1].example.body_text",
              "is required: a sample value for each variable, [[sample 1, sample 2, sample 3]]")]),
    ("a body too long", changed(("components", 1), {"type": "BODY", "text": "x" * 1025}),
     [Problem("$.components[1].text", "is 1025 characters, more than the limit of 1024")]),
    ("two variables in the header", changed(("components", 0, "text"), "Order {{1}} for {{2}}"),
     [Problem("$.components[0].text", "a header takes at most one variable, not 2")]),
    ("a header without its sample", changed(("components", 0, "example"), {}),
     [Problem("$.components[0].example.header_text", "is required: a sample value for each variable, [sample 1]")]),
    ("a header format that does not exist", changed(("components", 0, "format"), "GIFF"),
     [Problem("$.components[0].format", "must be one of TEXT, IMAGE, VIDEO, DOCUMENT, LOCATION, not 'GIFF'")]),
    ("an image header without a sample", changed(("components", 0), {"type": "HEADER", "format": "IMAGE"}),
     [Problem("$.components[0].example.header_handle", "is required: a sample of the image (an upload handle, 4::...)")]),
    ("a footer with a variable", changed(("components", 2, "text"), "Bye {{1}}"),
     [Problem("$.components[2].text", "a footer takes no variables")]),
    ("a footer too long", changed(("components", 2, "text"), "f" * 61),
     [Problem("$.components[2].text", "is 61 characters, more than the limit of 60")]),
    ("a URL whose variable is not at its end", changed(("components", 3, "buttons", 0, "url"), "https://e.com/{{1}}/x"),
     [Problem("$.components[3].buttons[0].url", "a URL takes one variable, {{1}}, at its very end")]),
    ("a URL button without its sample", changed(("components", 3, "buttons", 0, "example"), ...),
     [Problem("$.components[3].buttons[0].example", 'is required: the full URL of a sample, ["https://..."]')]),
    ("a button label too long", changed(("components", 3, "buttons", 2, "text"), "b" * 26),
     [Problem("$.components[3].buttons[2].text", "is 26 characters, more than the limit of 25")]),
    ("a button type that does not exist", changed(("components", 3, "buttons", 2, "type"), "CALL_ME"),
     [Problem("$.components[3].buttons[2].type", "must be one of QUICK_REPLY, URL, PHONE_NUMBER, COPY_CODE, OTP, "
              "FLOW, CATALOG, MPM, SPM, VOICE_CALL, not 'CALL_ME'")]),
    ("eleven buttons", changed(("components", 3, "buttons"), [{"type": "QUICK_REPLY", "text": f"b{n}"} for n in range(11)]),
     [Problem("$.components[3].buttons", "has 11 buttons, more than the limit of 10")]),
    ("two phone numbers", changed(("components", 3, "buttons"), [
        {"type": "PHONE_NUMBER", "text": "a", "phone_number": "+491"}, {"type": "PHONE_NUMBER", "text": "b", "phone_number": "+492"}]),
     [Problem("$.components[3].buttons", "has 2 PHONE_NUMBER buttons, more than the limit of 1")]),
    ("an OTP button in a utility template", changed(("components", 3, "buttons", 2), {"type": "OTP", "otp_type": "COPY_CODE"}),
     [Problem("$.components[3].buttons[2].type", "an OTP button belongs to an AUTHENTICATION template")]),
    ("a flow button with no flow", changed(("components", 3, "buttons", 2), {"type": "FLOW", "text": "Book"}),
     [Problem("$.components[3].buttons[2]", "a FLOW button needs flow_id, flow_name or flow_json")]),
    ("a component that is not an object", changed(("components", 2), "FOOTER"),
     [Problem("$.components[2]", "must be an object, not a string")]),
]  # fmt: skip


@pytest.mark.parametrize(("definition", "expected"), [(d, e) for _, d, e in BAD], ids=[name for name, _, _ in BAD])
def test_every_problem_is_found_with_its_path(definition: dict[str, Any], expected: list[Problem]) -> None:
    assert definition_problems(definition) == expected


def test_every_problem_of_a_definition_is_listed_at_once() -> None:
    definition = {"name": "Bad Name", "category": "PROMO", "language": "", "components": [{"type": "BODY"}]}
    with pytest.raises(d360.ValidationError) as caught:
        d360.validate_template(definition)
    assert [problem.path for problem in caught.value.problems] == [
        "$.name", "$.category", "$.language", "$.components[0].text"
    ]  # fmt: skip
    assert str(caught.value).startswith("invalid template (4 problems): $.name: must be lower-case")


@pytest.mark.parametrize(
    ("definition", "expected"),
    [
        ([], [Problem("$", "must be an object (a template definition), not a list")]),
        ({**ORDER_UPDATE, "parameter_format": "NAMED"},  # positional variables in a template that says NAMED
         [Problem("$.components[0].text", "{{1}} is not a named variable: use lower-case letters, digits and "
                  "underscores, such as {{first_name}}"),
          Problem("$.components[0].example.header_text_named_params", "is required: a sample for each of 1"),
          Problem("$.components[1].text", "{{1}} is not a named variable: use lower-case letters, digits and "
                  "underscores, such as {{first_name}}"),
          Problem("$.components[1].text", "{{2}} is not a named variable: use lower-case letters, digits and "
                  "underscores, such as {{first_name}}"),
          Problem("$.components[1].text", "{{3}} is not a named variable: use lower-case letters, digits and "
                  "underscores, such as {{first_name}}"),
          Problem("$.components[1].example.body_text_named_params", "is required: a sample for each of 1, 2, 3")]),
        ({"name": "a", "category": "AUTHENTICATION", "language": "en", "components": [{"type": "BODY"}]},
         [Problem("$.components", "an AUTHENTICATION template needs a BUTTONS component with its OTP button")]),
        ({"name": "a", "category": "AUTHENTICATION", "language": "en", "components": [
            {"type": "BODY"}, {"type": "FOOTER", "code_expiration_minutes": 91},
            {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "x"}]}]},
         [Problem("$.components[1].code_expiration_minutes", "must be a whole number from 1 to 90, not 91"),
          Problem("$.components[2].buttons", "an AUTHENTICATION template needs an OTP button")]),
        ({"name": "a", "category": "MARKETING", "language": "en", "parameter_format": "NAMED", "components": [
            {"type": "BODY", "text": "Hi {{first_name}}!", "example": {"body_text_named_params": [
                {"param_name": "name", "example": "Anna"}]}}]},
         [Problem("$.components[0].example.body_text_named_params",
                  "must give one sample for each variable (first_name), not for name")]),
        ({"name": "a", "category": "MARKETING", "language": "en", "allow_category_change": "yes",
          "message_send_ttl_seconds": "soon", "library_template_name": "", "components": [{"type": "BODY", "text": "x"}]},
         [Problem("$.allow_category_change", "must be true or false, not 'yes'"),
          Problem("$.message_send_ttl_seconds", "must be a whole number of seconds, not 'soon'"),
          Problem("$.library_template_name", "must be the name of a library template, not ''")]),
    ],
    ids=["not an object", "positional in a named template", "authentication without its button",
         "authentication limits", "named samples for other names", "top-level types"],
)  # fmt: skip
def test_odd_definitions(definition: Any, expected: list[Problem]) -> None:
    assert definition_problems(definition) == expected


def test_a_lone_surrogate_anywhere_in_a_definition_is_refused_with_its_path() -> None:
    """Half an emoji: upstream's store took it and then failed every listing; here it is refused first."""
    definition = copy.deepcopy(ORDER_UPDATE)
    definition["components"][1]["text"] = "Hi {{1}} \ud83d, your order of {{2}} ships on {{3}}."
    definition["components"][1]["example"]["body_text"][0][0] = "Anna\udfff"
    definition["components"][3]["buttons"][2]["text"] = "Stop \udc80"
    definition["components"][3]["buttons"][2]["x_\ud800"] = "fine"  # a key is text too
    assert definition_problems(definition) == [
        Problem("$.components[1].text", "holds a lone surrogate ('\\ud83d'), which UTF-8 cannot carry: half of "
                "an emoji, say"),
        Problem("$.components[1].example.body_text[0][0]", "holds a lone surrogate ('\\udfff'), which UTF-8 "
                "cannot carry: half of an emoji, say"),
        Problem("$.components[3].buttons[2].text", "holds a lone surrogate ('\\udc80'), which UTF-8 cannot "
                "carry: half of an emoji, say"),
        Problem("$.components[3].buttons[2].x_\\ud800", "is a key holding a lone surrogate ('\\ud800'), which "
                "UTF-8 cannot carry: half of an emoji, say"),
    ]  # fmt: skip
    assert definition_problems(ORDER_UPDATE) == []  # a whole emoji is text like any other:
    assert definition_problems({**ORDER_UPDATE, "components": [{"type": "BODY", "text": "Hi \U0001f600"}]}) == []


def test_a_definition_that_holds_itself_is_checked_without_end() -> None:
    looped: dict[str, Any] = {"type": "BODY", "text": "x"}
    looped["again"] = looped
    assert definition_problems({**ORDER_UPDATE, "components": [looped]}) == []


def test_placeholders_are_read_in_order() -> None:
    assert placeholders("Hi {{1}}, {{ 2 }} and {{first_name}}; {single} {{}}") == ["1", " 2 ", "first_name", ""]


@given(st.text(alphabet="{}1a \n", max_size=40))
def test_placeholders_read_what_the_pattern_would(text: str) -> None:
    assert placeholders(text) == re.findall(r"\{\{(.*?)\}\}", text, re.DOTALL)


def test_a_text_of_braces_is_read_in_one_pass() -> None:
    # A pattern rescanned the rest from every unclosed `{{`: a megabyte of them took hours.
    assert placeholders("{" * 1_000_000) == []
    assert placeholders("{{" * 500_000 + "1}}") == ["{{" * 499_999 + "1"]
    problems = definition_problems({"name": "a", "category": "MARKETING", "language": "en",
                                    "components": [{"type": "BODY", "text": "{" * 1_000_000}]})  # fmt: skip
    assert problems == [Problem("$.components[0].text", "is 1000000 characters, more than the limit of 1024")]


@pytest.mark.parametrize(
    ("inputs", "expected"),
    [
        ("x", [Problem("$.library_template_button_inputs", "must be a list of objects")]),
        ([{"type": "URL", "url": "https://example.com/track"}],
         [Problem("$.library_template_button_inputs[0].url",
                  "must be an object with base_url (and url_suffix_example), not a string")]),
        ([{"type": "URL", "url": {"base_url": 5}}, {"type": "PHONE_NUMBER", "phone_number": 15550000000}],
         [Problem("$.library_template_button_inputs[0].url.base_url", "must be a string, not a number"),
          Problem("$.library_template_button_inputs[1].phone_number", "must be a string, not a number")]),
        ([{"type": "URL", "url": {"base_url": "https://example.com/{{1}}", "url_suffix_example": "https://example.com/a"}},
          {"type": "PHONE_NUMBER", "phone_number": "+15550000000"}], []),
    ],
    ids=["not a list", "url as a string", "wrong types", "as Meta documents"],
)  # fmt: skip
def test_library_button_inputs_are_checked(inputs: Any, expected: list[Problem]) -> None:
    definition = {"name": "a", "category": "UTILITY", "language": "en", "library_template_name": "delivery_update_1",
                  "library_template_button_inputs": inputs}  # fmt: skip
    assert definition_problems(definition) == expected


def test_a_placeholder_with_spaces_is_refused() -> None:
    definition = changed(("components", 1, "text"), "Hi {{1}}, your {{ 2 }} ships {{3}}.")
    assert definition_problems(definition) == [
        Problem("$.components[1].text", "{{ 2 }} is not a variable: number them {{1}}, {{2}}, ..."),
        Problem("$.components[1].text", "variables must be numbered from {{1}} without gaps, not {{1}}, {{3}}"),
        Problem("$.components[1].example.body_text", "has 3 samples for 2 variables"),
    ]


def test_what_a_template_asks_of_a_message() -> None:
    assert template_shape(ORDER_UPDATE["components"]) == TemplateShape(
        header_format="TEXT",
        header=1,
        body=3,
        buttons=(ButtonSlot(0, "URL", 1, 1, "url"), ButtonSlot(1, "PHONE_NUMBER", 0, 0),
                 ButtonSlot(2, "QUICK_REPLY", 0, 1, "quick_reply")),
        header_variables=("1",),
        body_variables=("1", "2", "3"),
    )  # fmt: skip
    media = template_shape([{"type": "header", "format": "image"}, {"type": "body", "text": "{{2}} {{1}} {{2}}"},
                            {"type": "buttons", "buttons": [{"type": "url", "url": "https://e.com/"},
                                                            {"type": "copy_code"}]}])  # fmt: skip
    assert media == TemplateShape("IMAGE", 1, 2, (ButtonSlot(0, "URL", 0, 0, "url"),
                                                  ButtonSlot(1, "COPY_CODE", 1, 1, "copy_code")),
                                  body_variables=("1", "2"))  # fmt: skip


def test_named_variables_are_kept_in_the_order_they_first_appear() -> None:
    shape = template_shape([{"type": "BODY", "text": "Hi {{first_name}}, order {{order}} for {{first_name}}"}])
    assert (shape.body, shape.body_variables) == (2, ("first_name", "order"))


def test_an_authentication_templates_preset_body_takes_the_code_and_its_otp_button_is_sent_as_url() -> None:
    components = [{"type": "BODY", "add_security_recommendation": True},
                  {"type": "BUTTONS", "buttons": [{"type": "OTP", "otp_type": "COPY_CODE"}]}]  # fmt: skip
    assert template_shape(components, "AUTHENTICATION") == TemplateShape(
        None, 0, 1, (ButtonSlot(0, "OTP", 1, 1, "url"),)
    )
    # Read back from upstream, the preset text is there: the same one parameter.
    fetched = [{"type": "BODY", "text": "*{{1}}* is your verification code."}, components[1]]
    assert template_shape(fetched, "authentication").body == 1
    assert template_shape(components, "UTILITY").body == 0


@pytest.mark.parametrize(
    "components",
    [None, "x", [1, None, {"type": 5}, {"type": "BUTTONS", "buttons": "no"}], [{"type": "BUTTONS", "buttons": 5}]],
)
def test_the_shape_of_an_odd_definition_is_read_without_error(components: Any) -> None:
    assert template_shape(components) == TemplateShape(None, 0, 0, ())
