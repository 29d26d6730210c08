"""The `d360` command line: argument parsing and dispatch; each command lives in its own module here.

Errors are one line on stderr, never a traceback, and never contain the API key.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence

from d360.bulk.input import BulkInputError
from d360.bulk.journal import JournalError
from d360.cli.bulk import add_bulk_commands
from d360.cli.check import add_spec_command, add_validate_command
from d360.cli.common import (
    EPILOG,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_REFUSED,
    EXIT_UNREACHABLE,
    EXIT_USAGE,
    SECRETS,
    Commands,
    UsageError,
    _Parser,
    fail,
)
from d360.cli.contract import add_contract_command
from d360.cli.media import add_media_commands
from d360.cli.sandbox import add_sandbox_command
from d360.cli.send import add_send_command
from d360.cli.templates import add_templates_commands
from d360.cli.webhook import add_webhook_commands
from d360.errors import APIConnectionError, ClientStateError, ConfigurationError, D360Error, ValidationError
from d360.json_input import JSONInputError
from d360.spec.source import SpecSourceError


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
    add_media_commands(commands)
    add_templates_commands(commands)
    add_sandbox_command(commands)
    add_webhook_commands(commands)
    add_contract_command(commands)
    return parser


SECRET_FLAGS = ("--api-key", "--secret", "--webhook-secret")
SECRET_ENVIRONMENT = ("D360_API_KEY", "D360_WEBHOOK_SECRET")


def _secrets_in(argv: Sequence[str]) -> list[str]:
    """Every value given for a secret's flag (the API key, a webhook secret), under any spelling argparse
    could take for it.

    Abbreviations are off, but a mistyped `--api KEY` still reaches an error message: what follows any
    prefix of such a flag is masked too.
    """
    found = [os.environ.get(name, "") for name in SECRET_ENVIRONMENT]
    for index, argument in enumerate(argv):
        flag, has_value, value = argument.partition("=")
        if len(flag) < 3 or not any(secret_flag.startswith(flag) for secret_flag in SECRET_FLAGS):
            continue
        if has_value:
            found.append(value)
        elif index + 1 < len(argv):
            found.append(argv[index + 1])
    return [secret for secret in found if len(secret) >= 4]


def main(argv: Sequence[str] | None = None) -> int:
    arguments_list = list(sys.argv[1:] if argv is None else argv)
    SECRETS[:] = _secrets_in(arguments_list)
    if arguments_list[:2] == ["bulk", "report"]:
        arguments_list = ["bulk-report", *arguments_list[2:]]
    arguments = build_parser().parse_args(arguments_list)
    try:
        return int(arguments.handler(arguments))
    except KeyboardInterrupt:
        print("d360: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as error:  # the one place that turns any error into a line and an exit code
        if os.environ.get("D360_DEBUG"):
            traceback.print_exc()
        fail(*_line_and_code(error))


def _line_and_code(error: Exception) -> tuple[str, int]:
    if isinstance(error, INPUT_ERRORS):
        # Bad arguments, settings or input, wherever a command meets them: nothing (more) is sent.
        return str(error), EXIT_USAGE
    if isinstance(error, APIConnectionError):
        return str(error), EXIT_UNREACHABLE
    if isinstance(error, D360Error):
        return str(error), EXIT_REFUSED
    if isinstance(error, OSError):
        where = f" {error.filename}" if error.filename else ""
        return f"cannot use{where}: {error.strerror or error}", EXIT_USAGE
    return f"internal error: {type(error).__name__}: {error} (D360_DEBUG=1 shows the traceback)", EXIT_INTERNAL


INPUT_ERRORS = (
    UsageError,
    ValidationError,
    ConfigurationError,
    ClientStateError,
    BulkInputError,
    JournalError,
    SpecSourceError,
    JSONInputError,
)


__all__ = ["build_parser", "main"]
