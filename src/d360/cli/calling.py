"""`d360 calling settings get|set`: the number's calling settings from the command line (calls themselves
are driven by a program, through `client.calling`)."""

from __future__ import annotations

import argparse

from d360.cli.common import EXIT_OK, Commands, UsageError, add_action, connection_options, say, say_json
from d360.cli.send import make_client

SWITCH = ("ENABLED", "DISABLED")


def add_calling_commands(commands: Commands) -> None:
    calling = commands.add_parser("calling", help="read and update the calling settings", description=__doc__)
    areas = calling.add_subparsers(dest="calling_area", required=True, metavar="AREA")
    settings = areas.add_parser("settings", help="the number's calling settings", description=__doc__)
    actions = settings.add_subparsers(dest="calling_command", required=True, metavar="ACTION")
    shared = connection_options()
    get = add_action(actions, shared, "get", "calling on or off, the call icon, call hours, callback, SIP")
    get.add_argument("--sip-credentials", action="store_true", help="also show the SIP servers' passwords")
    get.set_defaults(handler=run_get)
    update = add_action(actions, shared, "set", "change the settings given (checked first); the others stay")
    update.add_argument("--status", type=str.upper, choices=SWITCH, help="calling on or off")
    update.add_argument(
        "--call-icon-visibility", type=str.upper, choices=("DEFAULT", "DISABLE_ALL"), help="show the call icon"
    )
    update.add_argument(
        "--callback-permission-status", type=str.upper, choices=SWITCH, help="ask users for callback permission"
    )
    update.set_defaults(handler=run_set)


def run_get(arguments: argparse.Namespace) -> int:
    with make_client(arguments) as client:
        settings = client.calling.settings(include_sip_credentials=arguments.sip_credentials)
    if arguments.json:
        say_json({"ok": True, "settings": dict(settings.raw)})
        return EXIT_OK
    lines = {
        "status": settings.status,
        "call icon": settings.call_icon_visibility,
        "callback permission": settings.callback_permission_status,
        "call hours": (settings.call_hours or {}).get("status"),
        "sip": settings.sip_status,
    }
    for name, value in lines.items():
        if value is not None:
            say(f"{name + ':':<21} {value}")
    for server in settings.sip_servers:
        password = f" password {server.password}" if server.password is not None else ""
        say(f"{'sip server:':<21} {server.hostname}{f':{server.port}' if server.port else ''}{password}")
    return EXIT_OK


def run_set(arguments: argparse.Namespace) -> int:
    changes = {
        name: getattr(arguments, name)
        for name in ("status", "call_icon_visibility", "callback_permission_status")
        if getattr(arguments, name) is not None
    }
    if not changes:
        raise UsageError("nothing to change: give --status, --call-icon-visibility or --callback-permission-status")
    with make_client(arguments) as client:
        client.calling.update_settings(**changes)
    if arguments.json:
        say_json({"ok": True, "changed": sorted(changes)})
    else:
        say(f"calling settings updated: {', '.join(sorted(changes))}")
    return EXIT_OK
