"""What every `d360` command shares: exit codes, one-line errors with the key redacted, input reading."""

from __future__ import annotations

import argparse
import errno
import json
import sys
from pathlib import Path
from typing import Any, NoReturn, TextIO, TypeAlias

from d360 import SPEC_VERSION
from d360.errors import D360Error, ValidationError
from d360.json_input import JSONInputError, decode_text, loads
from d360.spec.text import terminal_safe  # the one escape for all of d360's output (the commands, regen.py)

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_USAGE = 2
EXIT_UNREACHABLE = 3
EXIT_UNKNOWN = 4
EXIT_INTERNAL = 70
EXIT_LOCAL_FAILURE = 74
"""sysexits' EX_IOERR: a file d360 had to write (the journal, a report) could not be written."""
EXIT_INTERRUPTED = 130
INTERRUPTED = "interrupted"


EPILOG = f"""\
exit codes:
  0  sent (or valid, for validate); for bulk, every line accepted
  1  upstream refused the message (bulk: some lines refused or failed, or the number cannot send:
      nothing was sent, as `d360 health` says)
  2  bad usage or invalid input: nothing was sent
  3  could not reach upstream (bulk: lines left pending; run again to resume)
  4  bulk finished, but some lines are unknown: they may have been delivered
  70  internal error in d360 (a bug: D360_DEBUG=1 shows the traceback)
  74  a local failure (the journal or an output file could not be written, e.g. a full disk): lines
      may have been sent; fix it and run the same command again to resume
  130  interrupted (bulk: run the same command again to resume)

Messaging API {SPEC_VERSION}. Configuration: flags, then D360_API_KEY and D360_BASE_URL.
"""


class UsageError(Exception):
    """Bad arguments or input: exit 2, nothing sent."""


class LocalFailure(Exception):
    """A file d360 had to write could not be written (a full disk): exit 74."""


LOCAL_FAILURES = frozenset({errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EIO, errno.EROFS})
"""Errors of a write this machine refused (a full disk, a quota, a file too large, a failing or read-only
disk): exit 74, not 2, as the command's arguments were fine."""


class _Parser(argparse.ArgumentParser):
    """Argument errors go through `fail`, so a key pasted in the wrong place is not echoed.

    Abbreviated flags are off: `--api` would otherwise mean `--api-key`, a spelling redaction must guess.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        fail(f"{message} (see {self.prog} --help)", EXIT_USAGE)


SECRETS: list[str] = []


def fail(message: str, code: int) -> NoReturn:
    error_line(message)
    raise SystemExit(code)


def error_line(message: str) -> None:
    """The one line an error gets on stderr, redacted."""
    print(f"d360: error: {redact(message)}", file=sys.stderr)


def redact(text: str) -> str:
    """One line for a terminal: secrets masked, white space folded, what a terminal would obey or could not
    print (control and format characters, lone surrogates) shown as escapes."""
    return terminal_safe(" ".join(_mask_secrets(text).split()))


def _mask_secrets(text: str) -> str:
    for secret in SECRETS:
        if secret:
            # As given, and as JSON writes it (a key with a quote or a non-ASCII character is escaped there).
            for form in dict.fromkeys((secret, json.dumps(secret)[1:-1])):
                text = text.replace(form, "[REDACTED]")
    return text


def say(line: str, *, file: TextIO | None = None) -> None:
    """Print one line for a person, with whatever upstream or a journal said in it made safe to show."""
    print(terminal_safe(_mask_secrets(line)), file=file or sys.stdout)


def say_json(record: Any) -> None:
    """Print one JSON line for a machine (`--json`), with the secrets in what upstream said masked, as `say` does."""
    print(_mask_secrets(json.dumps(record)))


Commands: TypeAlias = "argparse._SubParsersAction[_Parser]"  # what `add_subparsers()` returns on a _Parser


def connection_options() -> _Parser:
    """Flags shared by every command that talks to upstream."""
    shared = _Parser(add_help=False)
    group = shared.add_argument_group("connection")
    group.add_argument("--api-key", help="the D360-API-KEY (default: $D360_API_KEY)")
    group.add_argument("--base-url", help="default: $D360_BASE_URL or https://waba-v2.360dialog.io")
    group.add_argument(
        "--timeout", type=float, default=30.0, metavar="SECONDS", help="per read (default 30, more than 0)"
    )
    group.add_argument("--max-retries", type=int, default=2, metavar="N", help="retries where safe (default 2)")
    group.add_argument("--json", action="store_true", help="print JSON for machines instead of text")
    return shared


def add_action(actions: Commands, shared: _Parser, name: str, help_text: str) -> _Parser:
    """One action of a command (`send text`, `media upload`, ...): the connection flags and the common epilog."""
    parser = actions.add_parser(
        name, help=help_text, description=help_text, parents=[shared], epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    return parser


def read_text(source: str) -> str:
    """A file's text (or standard input's, for -): UTF-8, a byte-order mark allowed, as bulk reads files."""
    try:
        raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except FileNotFoundError:
        raise UsageError(f"no such file: {source}") from None
    except OSError as exc:
        raise UsageError(f"cannot read {source}: {exc.strerror or exc}") from None
    try:
        return decode_text(raw, where="standard input" if source == "-" else source)
    except JSONInputError as exc:
        raise UsageError(str(exc)) from None


def read_json_document(source: str) -> Any:
    try:
        return loads(read_text(source))
    except JSONInputError as exc:
        raise UsageError(f"{source}: {exc}") from None


def error_record(error: D360Error) -> dict[str, Any]:
    record: dict[str, Any] = {
        "type": type(error).__name__,
        "message": redact(str(error)),
        "maybe_delivered": error.maybe_delivered,
    }
    for name in ("status_code", "code", "request_id", "retry_after"):
        if getattr(error, name, None) is not None:
            record[name] = getattr(error, name)
    if isinstance(error, ValidationError):
        record["problems"] = [{"path": problem.path, "message": problem.message} for problem in error.problems]
    return record
