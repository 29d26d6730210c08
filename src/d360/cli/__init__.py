"""The `d360` command line: argument parsing and dispatch; each command lives in its own module here.

Errors are one line on stderr, never a traceback, and never contain the API key.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from d360.bulk_input import BulkInputError
from d360.cli.bulk import add_bulk_commands
from d360.cli.check import add_spec_command, add_validate_command
from d360.cli.common import (
    EPILOG,
    EXIT_REFUSED,
    EXIT_UNREACHABLE,
    EXIT_USAGE,
    SECRETS,
    Commands,
    UsageError,
    _Parser,
    fail,
)
from d360.cli.sandbox import add_sandbox_command
from d360.cli.send import add_send_command
from d360.errors import APIConnectionError, ConfigurationError, D360Error, ValidationError
from d360.journal import JournalError
from d360.spec import SpecSourceError


def build_parser() -> argparse.ArgumentParser:
    # Subparsers take the class of their parent, so every level reports errors through `fail`.
    parser = _Parser(
        prog="d360",
        description="Send WhatsApp messages through 360dialog's Messaging API.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands: Commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_send_command(commands)
    add_validate_command(commands)
    add_spec_command(commands)
    add_bulk_commands(commands)
    add_sandbox_command(commands)
    return parser


def _secrets_in(argv: Sequence[str]) -> list[str]:
    found = [os.environ.get("D360_API_KEY", "")]
    for index, argument in enumerate(argv):
        if argument == "--api-key" and index + 1 < len(argv):
            found.append(argv[index + 1])
        elif argument.startswith("--api-key="):
            found.append(argument.split("=", 1)[1])
    return [secret for secret in found if len(secret) >= 4]


def main(argv: Sequence[str] | None = None) -> int:
    arguments_list = list(sys.argv[1:] if argv is None else argv)
    SECRETS[:] = _secrets_in(arguments_list)
    if arguments_list[:2] == ["bulk", "report"]:
        arguments_list = ["bulk-report", *arguments_list[2:]]
    arguments = build_parser().parse_args(arguments_list)
    try:
        return int(arguments.handler(arguments))
    except (UsageError, ValidationError, ConfigurationError, BulkInputError, JournalError, SpecSourceError) as error:
        # Bad arguments, settings or input, wherever a command meets them: nothing (more) is sent.
        fail(str(error), EXIT_USAGE)
    except APIConnectionError as error:
        fail(str(error), EXIT_UNREACHABLE)
    except D360Error as error:
        fail(str(error), EXIT_REFUSED)
    except KeyboardInterrupt:
        print("d360: interrupted", file=sys.stderr)
        return 130


__all__ = ["build_parser", "main"]
