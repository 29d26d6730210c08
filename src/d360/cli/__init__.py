"""The `d360` command line: argument parsing and dispatch; each command lives in its own module here.

Errors are one line on stderr, never a traceback, and never contain the API key. A reader that closes
the pipe early (`d360 bulk report J | head -3`) ends nothing but the output: the command finishes quietly
and exits with the code it would have had.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import select
import sys
import traceback
from collections.abc import Iterator, Sequence
from typing import Any, TextIO, cast

from d360.cli.common import (
    EPILOG,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_LOCAL_FAILURE,
    EXIT_OK,
    EXIT_REFUSED,
    EXIT_UNREACHABLE,
    EXIT_USAGE,
    LOCAL_FAILURES,
    SECRETS,
    Commands,
    LocalFailure,
    UsageError,
    _Parser,
    fail,
)
from d360.errors import APIConnectionError, ClientStateError, ConfigurationError, D360Error, ValidationError
from d360.json_input import JSONInputError

# Each command's module and the function that adds it to the parser, in the order `d360 --help` lists them.
# A run imports only the module of the command it was given (a one-line `d360 bulk` does not pay for the
# webhook receiver, the sandbox or the contract run); `d360 --help`, a bare `d360` and an unknown command
# build them all, so every command is listed and argparse names the choices.
COMMANDS: dict[str, tuple[str, str]] = {
    "send": ("d360.cli.send", "add_send_command"),
    "validate": ("d360.cli.check", "add_validate_command"),
    "spec": ("d360.cli.check", "add_spec_command"),
    "bulk": ("d360.cli.bulk", "add_bulk_commands"),
    "bulk-report": ("d360.cli.bulk", "add_bulk_commands"),
    "media": ("d360.cli.media", "add_media_commands"),
    "templates": ("d360.cli.templates", "add_templates_commands"),
    "health": ("d360.cli.health", "add_health_command"),
    "block": ("d360.cli.block", "add_block_commands"),
    "profile": ("d360.cli.profile", "add_profile_commands"),
    "calling": ("d360.cli.calling", "add_calling_commands"),
    "groups": ("d360.cli.groups", "add_groups_commands"),
    "sandbox": ("d360.cli.sandbox", "add_sandbox_command"),
    "webhook": ("d360.cli.webhook", "add_webhook_commands"),
    "contract": ("d360.cli.contract", "add_contract_command"),
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The `d360` parser: with a known `command`, only that command's (its module alone imported); with
    none or an unknown one, every command's."""
    # Subparsers take the class of their parent, so every level reports errors through `fail`.
    parser = _Parser(
        prog="d360",
        description="Send WhatsApp messages through 360dialog's Messaging API.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_Version, help="print the version of d360 and of the Messaging API")
    commands: Commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    wanted = [COMMANDS[command]] if command in COMMANDS else list(COMMANDS.values())
    for module_name, adder in dict.fromkeys(wanted):  # a module adding two commands is called once
        getattr(importlib.import_module(module_name), adder)(commands)
    return parser


def _command_in(argv: Sequence[str]) -> str | None:
    """The command a run asks for: the first argument that is not an option (the top level takes only
    `--help` and `--version`, neither with a value)."""
    return next((argument for argument in argv if not argument.startswith("-")), None)


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


class _Version(argparse.Action):
    """`d360 --version`: the distribution's version and the Messaging API's, both read only when asked."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings, dest=dest, default=argparse.SUPPRESS, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *args: Any) -> None:
        import d360

        print(f"d360-messaging {d360.__version__} (Messaging API {d360.SPEC_VERSION})")
        parser.exit()


def main(argv: Sequence[str] | None = None) -> int:
    with _quiet_when_the_reader_leaves():
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    arguments_list = list(sys.argv[1:] if argv is None else argv)
    SECRETS[:] = _secrets_in(arguments_list)
    if arguments_list[:2] == ["bulk", "report"]:
        arguments_list = ["bulk-report", *arguments_list[2:]]
    arguments = build_parser(_command_in(arguments_list)).parse_args(arguments_list)
    try:
        return int(arguments.handler(arguments))
    except KeyboardInterrupt:
        print("d360: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        if not _reader_left(sys.__stdout__):
            raise  # not our standard output: an error like any other
        # Bytes written straight to standard output (a download to -) met a reader that left: it had what
        # it wanted, as ripgrep and a killed `cat` see it.
        _to_devnull(sys.__stdout__)
        return EXIT_OK
    except Exception as error:  # the one place that turns any error into a line and an exit code
        if os.environ.get("D360_DEBUG"):
            traceback.print_exc()
        fail(*_line_and_code(error))


def _line_and_code(error: Exception) -> tuple[str, int]:
    from d360.bulk.journal import JournalWriteError

    if isinstance(error, (JournalWriteError, LocalFailure)):
        return str(error), EXIT_LOCAL_FAILURE
    if isinstance(error, _input_errors()):
        # Bad arguments, settings or input, wherever a command meets them: nothing (more) is sent.
        return str(error), EXIT_USAGE
    if isinstance(error, APIConnectionError):
        return str(error), EXIT_UNREACHABLE
    if isinstance(error, D360Error):
        return str(error), EXIT_REFUSED
    if isinstance(error, OSError):
        where = f" {error.filename}" if error.filename else ""
        code = EXIT_LOCAL_FAILURE if error.errno in LOCAL_FAILURES else EXIT_USAGE
        return f"cannot use{where}: {error.strerror or error}", code
    return f"internal error: {type(error).__name__}: {error} (D360_DEBUG=1 shows the traceback)", EXIT_INTERNAL


class _ClosedPipeGuard:
    """Standard output or error that, once its reader has left (EPIPE), sends the rest to /dev/null.

    The command goes on to its end and its own exit code: a `d360 bulk` whose output was piped into
    `head` still records every line and sums up. Everything but `write` and `flush` is the stream's own.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            _to_devnull(self._stream)
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            _to_devnull(self._stream)
            with contextlib.suppress(BrokenPipeError):  # what the buffer held now goes to /dev/null
                self._stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def _quiet_when_the_reader_leaves() -> Iterator[None]:
    """Guard standard output and error for the length of a command, and flush them before Python does, so
    a pipe closed early never prints "Exception ignored ... BrokenPipeError" at exit (the recipe in
    Python's documentation of SIGPIPE)."""
    saved = sys.stdout, sys.stderr
    if sys.stdout is not None:  # None when Python runs with no standard streams at all
        sys.stdout = cast(TextIO, _ClosedPipeGuard(sys.stdout))
    if sys.stderr is not None:
        sys.stderr = cast(TextIO, _ClosedPipeGuard(sys.stderr))
    try:
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
        sys.stdout, sys.stderr = saved


def _to_devnull(stream: TextIO | None) -> None:
    """Point the stream's file descriptor at /dev/null: whatever is still written or flushed goes nowhere."""
    if stream is None:
        return
    try:
        descriptor = stream.fileno()
    except (OSError, ValueError):  # not backed by a file descriptor (a test's capture): nothing to redirect
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, descriptor)
    finally:
        os.close(devnull)


def _reader_left(stream: TextIO | None) -> bool:
    """Whether the stream is a pipe or socket whose reader has gone (the kernel flags it POLLERR/POLLHUP)."""
    if stream is None or not hasattr(select, "poll"):
        return stream is not None  # no poll (Windows): a BrokenPipeError there is the pipe's
    try:
        descriptor = stream.fileno()
    except (OSError, ValueError):
        return False
    poller = select.poll()
    poller.register(descriptor, select.POLLOUT)
    return any(events & (select.POLLERR | select.POLLHUP) for _, events in poller.poll(0))


def _input_errors() -> tuple[type[Exception], ...]:
    """The errors that mean bad arguments, settings or input; imported here, when an error is reported,
    so that a command that never meets a journal or a spec source does not import them at start-up."""
    from d360.bulk.input import BulkInputError
    from d360.bulk.journal import JournalError
    from d360.spec.source import SpecSourceError

    return (
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
