"""`d360 profile get|set`: the WhatsApp Business profile from the command line."""

from __future__ import annotations

import argparse

from d360.cli.common import EXIT_OK, Commands, UsageError, add_action, connection_options, say, say_json
from d360.cli.send import make_client


def add_profile_commands(commands: Commands) -> None:
    profile = commands.add_parser("profile", help="read and update the business profile", description=__doc__)
    actions = profile.add_subparsers(dest="profile_command", required=True, metavar="ACTION")
    shared = connection_options()
    get = add_action(actions, shared, "get", "the business profile: about, address, description, email, ...")
    get.add_argument(
        "--fields", metavar="F,F", help="only these, comma-separated (about, address, description, email, "
        "profile_picture_url, websites, vertical)",
    )  # fmt: skip
    get.set_defaults(handler=run_get)
    update = add_action(actions, shared, "set", "change the fields given (checked first); the others stay")
    update.add_argument("--about", metavar="TEXT", help="1-139 characters")
    update.add_argument("--address", metavar="TEXT", help="at most 256 characters")
    update.add_argument("--description", metavar="TEXT", help="at most 512 characters")
    update.add_argument("--email", metavar="ADDRESS", help="at most 128 characters")
    update.add_argument("--vertical", metavar="VERTICAL", help="RETAIL, RESTAURANT, PROF_SERVICES, OTHER, ...")
    update.add_argument(
        "--website", dest="websites", action="append", metavar="URL", help="http(s)://...; twice for two (at most 2)"
    )
    update.add_argument(
        "--photo", metavar="FILE", help="a JPEG or PNG for the profile photo, uploaded through an upload session"
    )
    update.set_defaults(handler=run_set)


def run_get(arguments: argparse.Namespace) -> int:
    fields = arguments.fields.split(",") if arguments.fields is not None else None
    with make_client(arguments) as client:
        profile = client.profile.get(fields)
    if arguments.json:
        say_json({"ok": True, "profile": profile.to_dict()})
        return EXIT_OK
    for name, value in profile.to_dict().items():
        if value not in (None, []):
            say(f"{name + ':':<21} {', '.join(value) if isinstance(value, list) else value}")
    return EXIT_OK


def run_set(arguments: argparse.Namespace) -> int:
    changes = {
        name: getattr(arguments, name)
        for name in ("about", "address", "description", "email", "vertical", "websites")
        if getattr(arguments, name) is not None
    }
    if not changes and arguments.photo is None:
        raise UsageError("nothing to change: give --about, --address, --description, --email, --vertical, "
                         "--website or --photo")  # fmt: skip
    if arguments.photo is not None:
        from d360.resources.profile import photo_type, update_request

        # Checked before the photo is uploaded: a file that is not a photo, or a bad field, costs no upload.
        photo_type(arguments.photo, None)
        update_request({**changes, "profile_picture_handle": "checked-before-the-upload"})
    with make_client(arguments) as client:
        if arguments.photo is not None:
            changes["profile_picture_handle"] = client.media.upload_resumable(arguments.photo)
        client.profile.update(**changes)
    if arguments.json:
        say_json({"ok": True, "changed": sorted(changes)})
    else:
        say(f"profile updated: {', '.join(sorted(changes))}")
    return EXIT_OK
