"""What every `d360` command shares: exit codes, one-line errors with the key redacted, input reading."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, NoReturn, TypeAlias

from d360 import SPEC_VERSION
from d360.errors import D360Error, ValidationError

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_USAGE = 2
EXIT_UNREACHABLE = 3
EXIT_INTERRUPTED = 130
INTERRUPTED = "interrupted"


EPILOG = f"""\
exit codes:
  0  sent (or valid, for validate)
  1  upstream refused the message
  2  bad usage or invalid payload: nothing was sent
  3  could not reach upstream
  130  bulk run interrupted (run the same command again to resume)

Messaging API {SPEC_VERSION}. Configuration: flags, then D360_API_KEY and D360_BASE_URL.
"""


class UsageError(Exception):
    """Bad arguments or input: exit 2, nothing sent."""


class _Parser(argparse.ArgumentParser):
    """Argument errors go through `fail`, so a key pasted in the wrong place is not echoed."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        fail(f"{message} (see {self.prog} --help)", EXIT_USAGE)


SECRETS: list[str] = []


def fail(message: str, code: int) -> NoReturn:
    print(f"d360: error: {redact(message)}", file=sys.stderr)
    raise SystemExit(code)


def redact(text: str) -> str:
    for secret in SECRETS:
        text = text.replace(secret, "[REDACTED]")
    return " ".join(text.split())  # one line, whatever the message held


Commands: TypeAlias = "argparse._SubParsersAction[_Parser]"  # what `add_subparsers()` returns on a _Parser


def connection_options() -> _Parser:
    """Flags shared by every command that talks to upstream."""
    shared = _Parser(add_help=False)
    group = shared.add_argument_group("connection")
    group.add_argument("--api-key", help="the D360-API-KEY (default: $D360_API_KEY)")
    group.add_argument("--base-url", help="default: $D360_BASE_URL or https://waba-v2.360dialog.io")
    group.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS", help="per request (default 30)")
    group.add_argument("--max-retries", type=int, default=2, metavar="N", help="retries where safe (default 2)")
    group.add_argument("--json", action="store_true", help="print JSON for machines instead of text")
    return shared


def read_text(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    try:
        return Path(source).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"no such file: {source}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {source}: {exc}") from None


def read_json_document(source: str) -> Any:
    text = read_text(source)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{source} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None


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
