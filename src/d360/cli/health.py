"""`d360 health`: whether the number may send now; exit 0 when it may, 1 when it may not, with the reasons."""

from __future__ import annotations

import argparse

from d360.cli.common import EXIT_OK, EXIT_REFUSED, Commands, connection_options, say, say_json
from d360.cli.send import make_client

HEALTH_EPILOG = """\
exit codes:
  0  the number can send (AVAILABLE, or LIMITED: the reasons say its limits)
  1  the number cannot send (BLOCKED, or a status d360 does not know): the reasons say why
  2  bad usage
  3  could not reach upstream
  70  internal error in d360 (a bug: D360_DEBUG=1 shows the traceback)

Configuration: flags, then D360_API_KEY and D360_BASE_URL.
"""


def add_health_command(commands: Commands) -> None:
    health = commands.add_parser(
        "health",
        help="whether the number can send now, and why not (exit 0 or 1, for deploy scripts)",
        description="The health status of the number, its WhatsApp Business Account, the business and the app "
        "(GET /health_status). Exit 0 when the number can send, 1 when it cannot, with the reasons.",
        parents=[connection_options()],
        epilog=HEALTH_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    health.set_defaults(handler=run_health)


def run_health(arguments: argparse.Namespace) -> int:
    with make_client(arguments) as client:
        health = client.health()
    if arguments.json:
        say_json({"ok": health.can_send, **health.to_dict()})
    else:
        verdict = "can send" if health.can_send else "cannot send"
        say(f"{health.status or 'no status'}: the number {verdict}")
        for entity in health.entities:
            say(f"  {entity.type or '?':<13} {entity.id or '-':<20} {entity.can_send_message or '-'}")
        for reason in health.reasons:
            say(f"  reason: {reason}")
    return EXIT_OK if health.can_send else EXIT_REFUSED
