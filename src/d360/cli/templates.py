"""`d360 templates list|get|create|delete|library`: message templates from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from d360.cli.common import (
    EXIT_OK,
    Commands,
    UsageError,
    add_action,
    connection_options,
    read_json_document,
    say,
    say_json,
)
from d360.cli.send import make_client

if TYPE_CHECKING:
    from d360.resources.templates import LibraryTemplate, Template


def add_templates_commands(commands: Commands) -> None:
    templates = commands.add_parser(
        "templates", help="list, look up, create and delete message templates", description=__doc__
    )
    actions = templates.add_subparsers(dest="templates_command", required=True, metavar="ACTION")
    shared = connection_options()

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        return add_action(actions, shared, name, help_text)

    listing = action("list", "every template, or those matching the filters (every page, as it comes)")
    listing.add_argument(
        "--status", metavar="S", type=_one_of(_statuses), help="APPROVED, PENDING, REJECTED, PAUSED, ... (any case)"
    )
    listing.add_argument(
        "--category", metavar="C", type=_one_of(_categories), help="UTILITY, MARKETING or AUTHENTICATION (any case)"
    )
    listing.add_argument("--language", metavar="CODE", help="a language code, such as en or en_US")
    listing.add_argument("--name", metavar="NAME", help="only this template (every language of it)")
    listing.set_defaults(handler=run_list)
    get = action("get", "a template's status, quality and components, in every language (or --language)")
    get.add_argument("name", metavar="NAME")
    get.add_argument("--language", metavar="CODE", help="only this language")
    get.set_defaults(handler=run_get)
    create = action("create", "submit a template for review, from a JSON definition (checked first)")
    create.add_argument(
        "file", metavar="FILE.json", help="name, category, language and components, as the API takes them (- for stdin)"
    )
    create.add_argument(
        "--no-validate", action="store_true", help="send the definition unchecked (for fields newer than d360)"
    )
    create.set_defaults(handler=run_create)
    delete = action("delete", "delete a template, in every language (asks first on a terminal)")
    delete.add_argument("name", metavar="NAME")
    delete.add_argument("--yes", action="store_true", help="do not ask (needed when standard input is not a terminal)")
    delete.set_defaults(handler=run_delete)
    library = action("library", "Meta's template library: ready-made templates to create one from")
    library.add_argument("--search", metavar="TEXT", help="in the name or the text")
    library.add_argument("--topic", metavar="TOPIC", help="ORDER_MANAGEMENT, PAYMENTS, ACCOUNT_UPDATES, ...")
    library.add_argument("--usecase", metavar="USECASE", help="DELIVERY_UPDATE, PAYMENT_DUE_REMINDER, ...")
    library.add_argument("--industry", metavar="INDUSTRY", help="E_COMMERCE, FINANCIAL_SERVICES, ...")
    library.add_argument("--language", metavar="CODE")
    library.set_defaults(handler=run_library)


def _one_of(values: Callable[[], tuple[str, ...]]) -> Callable[[str], str]:
    """An argument type taking one of `values()` in any case: a typo is refused (exit 2) naming the values
    known, where upstream would match no template and the command would say "no templates match"."""

    def read(value: str) -> str:
        known = values()
        if value.upper() not in known:
            raise argparse.ArgumentTypeError(f"must be one of {', '.join(known)} (any case), not {value!r}")
        return value.upper()

    return read


# Imported when the flag is given: every `d360` command builds this parser, and these modules take
# milliseconds to import.
def _statuses() -> tuple[str, ...]:
    from d360.resources.templates import STATUSES

    return STATUSES


def _categories() -> tuple[str, ...]:
    from d360.resources.template_rules import CATEGORIES

    return CATEGORIES


def run_list(arguments: argparse.Namespace) -> int:
    with make_client(arguments) as client:
        found = client.templates.list(
            name=arguments.name, status=arguments.status, category=arguments.category, language=arguments.language
        )
        if arguments.json:
            say_json({"ok": True, "templates": [template.to_dict() for template in found]})
            return EXIT_OK
        shown = 0
        for template in found:  # printed as the pages come
            if not shown:
                say(f"{'NAME':<32} {'LANGUAGE':<9} {'STATUS':<10} {'CATEGORY':<15} QUALITY")
            shown += 1
            say(_row(template))
    say(f"{shown} template{'s' if shown != 1 else ''}" if shown else "no templates match")
    return EXIT_OK


def run_get(arguments: argparse.Namespace) -> int:
    with make_client(arguments) as client:
        if arguments.language is not None:
            found = [client.templates.get(arguments.name, arguments.language)]
        else:
            found = list(client.templates.list(name=arguments.name))
            if not found:
                from d360.errors import TemplateNotFoundError

                raise TemplateNotFoundError(arguments.name, None)
    if arguments.json:
        say_json({"ok": True, "templates": [template.to_dict() for template in found]})
        return EXIT_OK
    for template in found:
        _describe(template)
    return EXIT_OK


def run_create(arguments: argparse.Namespace) -> int:
    definition = read_json_document(arguments.file)
    if not isinstance(definition, dict):
        raise UsageError(f"{arguments.file} must hold one template definition, a JSON object")
    with make_client(arguments) as client:
        target = client.with_options(validate=False) if arguments.no_validate else client
        created = target.templates.create_from(definition)
    if arguments.json:
        say_json({"ok": True, "template": created.to_dict()})
    else:
        say(f"created {created.name} ({created.language}): {created.status or 'no status'}, id {created.id or '-'}")
    return EXIT_OK


def run_delete(arguments: argparse.Namespace) -> int:
    from d360.resources.template_rules import name_problems

    name = arguments.name
    problems = name_problems(name)
    if problems:
        raise UsageError(f"invalid template name: {problems[0]}")
    if not arguments.yes:
        if not sys.stdin.isatty():
            raise UsageError(f"deleting {name} needs --yes when standard input is not a terminal; nothing was deleted")
        print(f"Delete the template {name} in every language? [y/N] ", end="", file=sys.stderr, flush=True)
        if sys.stdin.readline().strip().lower() not in ("y", "yes"):
            raise UsageError(f"{name} was not deleted (the answer was not yes)")
    with make_client(arguments) as client:
        client.templates.delete(name)
    if arguments.json:
        say_json({"ok": True, "deleted": name})
    else:
        say(f"deleted {name}, every language")
    return EXIT_OK


def run_library(arguments: argparse.Namespace) -> int:
    with make_client(arguments) as client:
        found = client.templates.library(
            search=arguments.search,
            topic=arguments.topic,
            usecase=arguments.usecase,
            industry=arguments.industry,
            language=arguments.language,
        )
        if arguments.json:
            say_json({"ok": True, "templates": [item.to_dict() for item in found]})
            return EXIT_OK
        shown = 0
        for item in found:
            shown += 1
            _describe_library(item)
    if not shown:
        say("no library templates match")
    return EXIT_OK


def _row(template: Template) -> str:
    row = (
        f"{template.name:<32} {template.language or '-':<9} {template.status or '-':<10} "
        f"{template.category or '-':<15} {template.quality or '-'}"
    )
    rejected = template.rejected_reason
    return f"{row}  ({rejected})" if rejected and rejected.upper() != "NONE" else row


def _describe(template: Template) -> None:
    details = [template.status or "no status", template.category or "no category"]
    if template.quality:
        details.append(f"quality {template.quality}")
    if template.rejected_reason and template.rejected_reason.upper() != "NONE":
        details.append(f"rejected: {template.rejected_reason}")
    if template.id:
        details.append(f"id {template.id}")
    say(f"{template.name} ({template.language or '-'}): {', '.join(details)}")
    for component in template.components:
        say(f"  {_component_line(component)}")


def _component_line(component: Any) -> str:
    kind = str(component.get("type", "?")).upper()
    if kind == "HEADER":
        header_format = str(component.get("format", "TEXT")).upper()
        return f"HEADER {header_format}" + (f": {component['text']}" if isinstance(component.get("text"), str) else "")
    if kind == "BUTTONS":
        return "BUTTONS " + "; ".join(_button(button) for button in _list(component.get("buttons")))
    text = component.get("text")
    return f"{kind}: {text}" if isinstance(text, str) else kind


def _button(button: Any) -> str:
    if not isinstance(button, dict):
        return "?"
    parts = [str(button.get("type", "?")).upper()]
    if isinstance(button.get("text"), str):
        parts.append(json.dumps(button["text"], ensure_ascii=False))
    for key in ("url", "phone_number", "otp_type"):
        if isinstance(button.get(key), str):
            parts.append(button[key])
    return " ".join(parts)


def _describe_library(item: LibraryTemplate) -> None:
    say(f"{item.name} ({item.language or '-'}): {item.category or '-'}, {item.topic or '-'} / {item.usecase or '-'}")
    if item.header:
        say(f"  HEADER: {item.header}")
    if item.body:
        say(f"  BODY: {item.body}")
    for button in item.buttons:
        say(f"  BUTTON {_button(button)}")


def _list(value: Any) -> Iterable[Any]:
    return value if isinstance(value, list) else ()
