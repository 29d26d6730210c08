"""`d360 groups ...`: WhatsApp groups from the command line (create, list, read, update, delete, the invite
link, participants and join requests)."""

from __future__ import annotations

import argparse

from d360.cli.common import EXIT_OK, EXIT_REFUSED, Commands, UsageError, add_action, connection_options, say, say_json
from d360.cli.send import make_client


def add_groups_commands(commands: Commands) -> None:
    groups = commands.add_parser("groups", help="create and manage WhatsApp groups", description=__doc__)
    actions = groups.add_subparsers(dest="groups_command", required=True, metavar="ACTION")
    shared = connection_options()

    create = add_action(actions, shared, "create", "create a group; prints its id (checked first)")
    create.add_argument("--subject", required=True, metavar="TEXT", help="1-128 characters")
    create.add_argument("--description", metavar="TEXT", help="at most 2048 characters")
    create.add_argument(
        "--approval", dest="join_approval_mode", choices=["approval_required", "auto_approve"],
        help="whether a user who opens the invite link must be approved (default: auto_approve)",
    )  # fmt: skip
    create.set_defaults(handler=run_create)

    listing = add_action(actions, shared, "list", "every active group (every page, as it comes)")
    listing.set_defaults(handler=run_list)

    get = add_action(actions, shared, "get", "a group's subject, description, settings and participants")
    get.add_argument("group_id", metavar="GROUP_ID")
    get.set_defaults(handler=run_get)

    update = add_action(actions, shared, "update", "change the subject, the description or the picture (checked first)")
    update.add_argument("group_id", metavar="GROUP_ID")
    update.add_argument("--subject", metavar="TEXT", help="1-128 characters")
    update.add_argument("--description", metavar="TEXT", help="at most 2048 characters")
    update.add_argument(
        "--photo", metavar="FILE", help="the group's picture: a square JPEG, 192x192 or more, 5 MB at most"
    )
    update.set_defaults(handler=run_update)

    delete = add_action(actions, shared, "delete", "delete the group; every participant is removed")
    delete.add_argument("group_id", metavar="GROUP_ID")
    delete.set_defaults(handler=run_delete)

    link = add_action(actions, shared, "invite-link", "print the invite link (--reset: a new one; --revoke)")
    link.add_argument("group_id", metavar="GROUP_ID")
    change = link.add_mutually_exclusive_group()
    change.add_argument("--reset", action="store_true", help="make a new link; the old one stops working")
    change.add_argument("--revoke", action="store_true", help="revoke the link: nobody joins through it")
    link.set_defaults(handler=run_invite_link)

    participants = actions.add_parser("participants", help="add or remove participants")
    participant_actions = participants.add_subparsers(dest="participants_command", required=True, metavar="ACTION")
    for name, help_text in (("add", "add participants (at most 8 at once)"), ("remove", "remove participants")):
        action = add_action(participant_actions, shared, name, help_text)
        action.add_argument("group_id", metavar="GROUP_ID")
        action.add_argument("numbers", nargs="+", metavar="NUMBER", help="a phone number, such as +4915112345678")
        action.set_defaults(handler=run_participants)

    join = actions.add_parser("join-requests", help="list, approve or reject requests to join")
    join_actions = join.add_subparsers(dest="join_command", required=True, metavar="ACTION")
    join_list = add_action(join_actions, shared, "list", "the open join requests of a group")
    join_list.add_argument("group_id", metavar="GROUP_ID")
    join_list.set_defaults(handler=run_join_list)
    for name, help_text in (("approve", "approve join requests: the users join"), ("reject", "reject join requests")):
        action = add_action(join_actions, shared, name, help_text)
        action.add_argument("group_id", metavar="GROUP_ID")
        action.add_argument("ids", nargs="+", metavar="JOIN_REQUEST_ID")
        action.set_defaults(handler=run_decide)


def run_create(arguments: argparse.Namespace) -> int:
    with make_client(arguments) as client:
        created = client.groups.create(
            subject=arguments.subject, description=arguments.description,
            join_approval_mode=arguments.join_approval_mode,
        )  # fmt: skip
    if arguments.json:
        say_json({"ok": True, **created.to_dict()})
    else:
        say(created.id or f"request {created.request_id} (the group's id comes in a webhook)")
    return EXIT_OK


def run_list(arguments: argparse.Namespace) -> int:
    with make_client(arguments) as client:
        groups = client.groups.list()
        if arguments.json:
            say_json({"ok": True, "groups": [group.to_dict() for group in groups]})
            return EXIT_OK
        shown = 0
        for group in groups:  # printed as the pages come
            shown += 1
            say(f"{group.id}  {group.subject or ''}")
    say(f"{shown} group{'s' if shown != 1 else ''}" if shown else "no groups")
    return EXIT_OK


def run_get(arguments: argparse.Namespace) -> int:
    with make_client(arguments) as client:
        group = client.groups.get(arguments.group_id)
    if arguments.json:
        say_json({"ok": True, "group": group.to_dict()})
        return EXIT_OK
    for name, value in group.to_dict().items():
        if name == "participants":
            value = ", ".join(item["wa_id"] or "?" for item in value)
        if value not in (None, ""):
            say(f"{name + ':':<24} {value}")
    return EXIT_OK


def run_update(arguments: argparse.Namespace) -> int:
    changed = [name for name in ("subject", "description", "photo") if getattr(arguments, name) is not None]
    if not changed:
        raise UsageError("nothing to change: give --subject, --description or --photo")
    if arguments.photo is not None:
        from d360.resources.groups import photo_bytes, photo_problems, update_request

        # Both checked before either is sent: a bad picture costs no change of the subject, nor the reverse.
        photo = photo_bytes(arguments.photo)
        if problems := photo_problems(photo):
            from d360.errors import ValidationError

            raise ValidationError(problems, subject="group photo")
        if arguments.subject is not None or arguments.description is not None:
            update_request(arguments.group_id, arguments.subject, arguments.description)
    with make_client(arguments) as client:
        if arguments.subject is not None or arguments.description is not None:
            client.groups.update(arguments.group_id, subject=arguments.subject, description=arguments.description)
        if arguments.photo is not None:
            client.groups.set_photo(arguments.group_id, photo)
    if arguments.json:
        say_json({"ok": True, "changed": changed})
    else:
        say(f"group updated: {', '.join(changed)}")
    return EXIT_OK


def run_delete(arguments: argparse.Namespace) -> int:
    with make_client(arguments) as client:
        client.groups.delete(arguments.group_id)
    if arguments.json:
        say_json({"ok": True, "deleted": arguments.group_id})
    else:
        say(f"deleted {arguments.group_id}")
    return EXIT_OK


def run_invite_link(arguments: argparse.Namespace) -> int:
    with make_client(arguments) as client:
        groups = client.groups
        if arguments.revoke:
            groups.revoke_invite_link(arguments.group_id)
            url = None
        else:
            read = groups.reset_invite_link if arguments.reset else groups.invite_link
            url = read(arguments.group_id).url
    if arguments.json:
        say_json({"ok": True, "invite_link": url})
    else:
        say(url if url is not None else "invite link revoked")
    return EXIT_OK


def run_participants(arguments: argparse.Namespace) -> int:
    adding = arguments.participants_command == "add"
    with make_client(arguments) as client:
        groups = client.groups
        change = groups.add_participants if adding else groups.remove_participants
        result = change(arguments.group_id, arguments.numbers)
    if arguments.json:
        say_json({"ok": result.ok, **result.to_dict()})
    else:
        failed = {user for user, _ in result.failed}
        verb = "added" if adding else "removed"
        for user, errors in result.failed:
            reasons = "; ".join(f"({code}) {message or ''}".strip() for code, message in errors)
            say(f"not {verb}: {user}: {reasons or 'no reason given'}")
        say(f"{verb} {len(arguments.numbers) - len(failed)} participant(s)")
    return EXIT_OK if result.ok else EXIT_REFUSED


def run_join_list(arguments: argparse.Namespace) -> int:
    with make_client(arguments) as client:
        requests = client.groups.join_requests(arguments.group_id)
        if arguments.json:
            say_json({"ok": True, "join_requests": [request.to_dict() for request in requests]})
            return EXIT_OK
        shown = 0
        for request in requests:
            shown += 1
            say(f"{request.id}  {request.wa_id or ''}")
    say(f"{shown} join request{'s' if shown != 1 else ''}" if shown else "no join requests")
    return EXIT_OK


def run_decide(arguments: argparse.Namespace) -> int:
    approving = arguments.join_command == "approve"
    with make_client(arguments) as client:
        groups = client.groups
        decide = groups.approve_join_requests if approving else groups.reject_join_requests
        result = decide(arguments.group_id, arguments.ids)
    if arguments.json:
        say_json({"ok": result.ok, **result.to_dict()})
    else:
        verb = "approved" if approving else "rejected"
        for request_id in result.done:
            say(f"{verb} {request_id}")
        for failed_id, errors in result.failed:
            reasons = "; ".join(f"({code}) {message or ''}".strip() for code, message in errors)
            say(f"not {verb}: {failed_id}: {reasons or 'no reason given'}")
    return EXIT_OK if result.ok else EXIT_REFUSED
