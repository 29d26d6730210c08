"""`d360 contract`: run the packaged contract suite against a target, as a CI step."""

from __future__ import annotations

import argparse
import os

from d360.cli.common import EXIT_OK, EXIT_REFUSED, EXIT_USAGE, Commands, UsageError
from d360.contract import DEFAULT_CHECK_DEADLINE, DEFAULT_RUN_DEADLINE
from d360.numbers import read_int


def add_contract_command(commands: Commands) -> None:
    contract = commands.add_parser(
        "contract",
        help="check that a target honours the contract (needs the contract extra)",
        description="Run d360's contract suite against a target: schemathesis under the effective spec (every "
        "default check, positive and negative data), every documented message shape through both clients, and "
        "every answer parsed. The target is a local sandbox unless --base-url names another: upstream's sandbox "
        "(a handful of requests, a second apart), or your own mock or proxy. Whatever it answers, the run is "
        "bounded (each answer read up to 1 MiB within 10 s, a deadline per check and for the run) and never shows "
        "the key. Exit 0 when the target honours the contract, 1 when a check fails or a deadline passes (named "
        "in the report), 2 for bad usage. Needs: pip install 'd360-messaging[contract]'.",
    )
    contract.add_argument("--base-url", help="the target (default: a local sandbox started for the run)")
    contract.add_argument("--api-key", help="the key the target takes (default: $D360_API_KEY)")
    contract.add_argument("--profile", choices=["ci", "thorough"], default="ci", help="ci (default) or thorough")
    contract.add_argument("--junit-xml", metavar="FILE", help="also write the results as JUnit XML, for CI systems")
    contract.add_argument(
        "--to", metavar="NUMBER", help="a remote target's deliverable number (default: $D360_SANDBOX_TO)"
    )
    contract.add_argument(
        "--check-deadline",
        type=_seconds,
        default=DEFAULT_CHECK_DEADLINE,
        metavar="SECONDS",
        help=f"the longest one check may take; beyond it the check fails (default {DEFAULT_CHECK_DEADLINE})",
    )
    contract.add_argument(
        "--deadline",
        type=_seconds,
        default=DEFAULT_RUN_DEADLINE,
        metavar="SECONDS",
        help=f"the longest the whole run may take; beyond it the run fails (default {DEFAULT_RUN_DEADLINE})",
    )
    contract.set_defaults(handler=run_contract)


def run_contract(arguments: argparse.Namespace) -> int:
    try:
        import pytest  # noqa: F401
        import schemathesis  # noqa: F401
    except ImportError:
        raise UsageError("d360 contract needs the contract extra: pip install 'd360-messaging[contract]'") from None
    from d360 import contract

    api_key = arguments.api_key or os.environ.get("D360_API_KEY")
    if arguments.base_url and not api_key:
        raise UsageError("a --base-url target needs its key: --api-key or D360_API_KEY")
    code = contract.run(
        arguments.base_url,
        api_key,
        profile=arguments.profile,
        junit_xml=arguments.junit_xml,
        to=arguments.to or os.environ.get("D360_SANDBOX_TO"),
        check_deadline=arguments.check_deadline,
        deadline=arguments.deadline,
    )
    # pytest: 0 passed, 1 a check failed; anything else (2-5) means the run itself could not go ahead.
    return EXIT_OK if code == 0 else EXIT_REFUSED if code == 1 else EXIT_USAGE


def _seconds(text: str) -> int:
    """A deadline the user typed: a whole number of seconds, ASCII digits, at least 1."""
    value = read_int(text, max_digits=7)
    if value is None or value < 1:
        raise argparse.ArgumentTypeError(f"a deadline is a whole number of seconds, 1 or more, not {text!r}")
    return value
