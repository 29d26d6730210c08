"""`d360 block list|add|remove`: the number's block list from the command line."""

from __future__ import annotations

import argparse

from d360.cli.common import EXIT_OK, EXIT_REFUSED, Commands, add_action, connection_options, say, say_json
from d360.cli.send import make_client


def add_block_commands(commands: Commands) -> None:
    block = commands.add_parser("block", help="list, block and unblock WhatsApp users", description=__doc__)
    actions = block.add_subparsers(dest="block_command", required=True, metavar="ACTION")
    shared = connection_options()
    listing = add_action(actions, shared, "list", "every blocked user (every page, as it comes)")
    listing.set_defaults(handler=run_list)
    for name, help_text in (
        ("add", "block users: they can no longer message the business, nor it them (at most 1,000 at once)"),
        ("remove", "unblock users (at most 1,000 at once)"),
    ):
        action = add_action(actions, shared, name, help_text)
        action.add_argument("numbers", nargs="+", metavar="NUMBER", help="a phone number, such as +4915112345678")
        action.set_defaults(handler=run_change)


def run_list(arguments: argparse.Namespace) -> int:
    with make_client(arguments) as client:
        users = client.block_users.list()
        if arguments.json:
            say_json({"ok": True, "blocked": [user.to_dict() for user in users]})
            return EXIT_OK
        shown = 0
        for user in users:  # printed as the pages come
            shown += 1
            say(user.wa_id or user.input or "?")
    say(f"{shown} blocked user{'s' if shown != 1 else ''}" if shown else "no blocked users")
    return EXIT_OK


def run_change(arguments: argparse.Namespace) -> int:
    adding = arguments.block_command == "add"
    with make_client(arguments) as client:
        resource = client.block_users
        result = resource.add(arguments.numbers) if adding else resource.remove(arguments.numbers)
    if arguments.json:
        say_json({"ok": result.ok, **result.to_dict()})
    else:
        verb = "blocked" if adding else "unblocked"
        for user in result.users:
            say(f"{verb} {user.wa_id or user.input}")
        for failure in result.failed:
            errors = "; ".join(
                f"({code}) {message or ''} {details or ''}".strip() for code, message, details in failure.errors
            )
            say(f"not {verb}: {failure.input or failure.wa_id}: {errors or 'no reason given'}")
    return EXIT_OK if result.ok else EXIT_REFUSED
