"""`d360 sandbox`: serve the local stand-in for upstream until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import logging
import math
import os
import re
import signal
import sys
from typing import TYPE_CHECKING

from d360 import SPEC_VERSION
from d360.cli.common import EXIT_OK, Commands, UsageError, say
from d360.errors import ConfigurationError
from d360.numbers import read_int

if TYPE_CHECKING:
    from d360.sandbox.webhooks import WebhookSettings


def add_sandbox_command(commands: Commands) -> None:
    sandbox = commands.add_parser(
        "sandbox",
        help="serve a local stand-in for upstream on 127.0.0.1",
        description="Serve a local stand-in for upstream's /messages that enforces the spec. "
        "Faults are off unless asked for. Stops cleanly on Ctrl-C or SIGTERM.",
    )
    sandbox.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    sandbox.add_argument("--port", type=_port, default=8360, help="port to listen on (default 8360; 0 picks one)")
    sandbox.add_argument(
        "--api-key",
        action="append",
        dest="api_keys",
        metavar="KEY",
        help="a key to accept (repeatable; default: sandbox-key)",
    )
    sandbox.add_argument("--rate-limit", type=float, metavar="N", help="answer 429 beyond N requests a second")
    sandbox.add_argument("--error-rate-500", type=_share, default=0.0, metavar="SHARE", help="share of 500s (0-1)")
    sandbox.add_argument("--error-rate-503", type=_share, default=0.0, metavar="SHARE", help="share of 503s (0-1)")
    sandbox.add_argument(
        "--throttle-rate",
        type=_share,
        default=0.0,
        metavar="SHARE",
        help="share of upstream's throttling errors (400, code 130429)",
    )
    sandbox.add_argument("--latency-ms", type=float, default=0.0, metavar="MS", help="added to every answer")
    sandbox.add_argument(
        "--enforce-limits",
        action="store_true",
        help="also refuse what upstream documents but no schema can say (unique button titles, ten rows in all)",
    )
    sandbox.add_argument(
        "--strict",
        action="store_true",
        help="check exactly against the effective spec: refuse type values it does not list yet and nulls it "
        "does not allow (by default they are taken, as upstream takes them, and the rest is checked)",
    )
    sandbox.add_argument("--keep", type=_integer, default=10_000, metavar="N", help="messages kept for inspection")
    sandbox.add_argument(
        "--keep-mb", type=float, default=64.0, metavar="MB", help="what the kept messages may take in all (default 64)"
    )
    sandbox.add_argument(
        "--webhook-url",
        metavar="URL",
        help="deliver status webhooks for accepted messages (and inbound messages) here, as upstream would",
    )
    sandbox.add_argument(
        "--webhook-secret",
        metavar="SECRET",
        default=os.environ.get("D360_WEBHOOK_SECRET"),
        help="sign deliveries (x-360dialog-signature) with this secret (default: $D360_WEBHOOK_SECRET)",
    )
    sandbox.add_argument(
        "--webhook-duplicates",
        type=_share,
        default=0.0,
        metavar="SHARE",
        help="share of webhook deliveries sent twice on purpose, as upstream sometimes does",
    )
    sandbox.add_argument(
        "--webhook-initial-backoff",
        type=_seconds,
        metavar="SECONDS",
        help="wait before retrying a webhook delivery not answered 200, doubled each time (default 5)",
    )
    sandbox.add_argument(
        "--webhook-max-backoff",
        type=_seconds,
        metavar="SECONDS",
        help="the longest wait between two tries of a delivery (default 600: ten minutes)",
    )
    sandbox.add_argument(
        "--webhook-give-up-after",
        type=_seconds,
        metavar="SECONDS",
        help="stop retrying a delivery this long after its first failure (default 86400: a day)",
    )
    sandbox.add_argument(
        "--delivery-failure-rate",
        type=_share,
        default=0.0,
        metavar="SHARE",
        help="share of accepted messages whose statuses end in failed rather than delivered and read",
    )
    sandbox.add_argument(
        "--delivery-failure-code",
        type=_integer,
        default=131026,
        metavar="CODE",
        help="the Cloud API error code of those failures (default 131026; 131047 is the 24-hour window)",
    )
    sandbox.add_argument(
        "--template-review-seconds",
        type=float,
        default=2.0,
        metavar="S",
        help="a created template is PENDING this long, then APPROVED or REJECTED (default 2)",
    )
    sandbox.add_argument(
        "--template-reject-pattern",
        metavar="REGEX",
        help="reject in review the templates whose name this matches (re.search); approve the others",
    )
    sandbox.add_argument(
        "--no-template-check",
        dest="template_check",
        action="store_false",
        help="take template messages of any name and parameters (for contract runs); by default they are "
        "refused as upstream does (132001, 132000)",
    )
    sandbox.add_argument("--seed", type=_integer, help="seed for the fault dice, for repeatable runs")
    sandbox.set_defaults(handler=run_sandbox)


def _integer(text: str) -> int:
    """A whole number the user typed (ASCII digits, a "-" allowed): the sandbox's own checks say what range."""
    value = read_int(text, signed=True)
    if value is None:
        raise argparse.ArgumentTypeError(f"a whole number is wanted (ASCII digits), not {text!r}")
    return value


def _port(text: str) -> int:
    value = read_int(text)
    if value is None:
        raise argparse.ArgumentTypeError(f"a port is a whole number, not {text!r}")
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"a port is from 0 to 65535, not {value}")
    return value


def _seconds(text: str) -> float:
    """Seconds the user typed: ASCII digits, a decimal point allowed (float() would take "٣" and "1e9")."""
    if not _SECONDS.fullmatch(text):
        raise argparse.ArgumentTypeError(f"seconds are a number such as 5 or 0.5, not {text!r}")
    return float(text)


_SECONDS = re.compile(r"[0-9]{1,9}(\.[0-9]{1,9})?", re.ASCII)


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a share is a number from 0 to 1, not {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"a share is between 0 and 1, not {text}")
    return value


# Sandbox settings named as their flags, so the error points at what to change on the command line.
_FLAG_NAMES = {
    "rate_limit": "--rate-limit",
    "server_error_rate": "--error-rate-500",
    "unavailable_rate": "--error-rate-503",
    "throttle_rate": "--throttle-rate",
    "latency": "--latency-ms (in seconds)",
    "keep_bytes": "--keep-mb",
    "keep": "--keep",
    "delivery_failure_rate": "--delivery-failure-rate",
    "delivery_failure_code": "--delivery-failure-code",
    "webhook_url": "--webhook-url",
    "webhook_secret": "--webhook-secret",
    "webhook_duplicate_rate": "--webhook-duplicates",
    "template_review_seconds": "--template-review-seconds",
    "template_reject_pattern": "--template-reject-pattern",
    "webhook_initial_backoff": "--webhook-initial-backoff",
    "webhook_max_backoff": "--webhook-max-backoff",
    "webhook_give_up_after": "--webhook-give-up-after",
}


def _as_flags(message: str) -> str:
    name = message.split(" ", 1)[0]
    return message.replace(name, _FLAG_NAMES[name], 1) if name in _FLAG_NAMES else message


def _schedule(settings: WebhookSettings) -> str:
    """The retry schedule in a few words: "after 5 s, 10 s, 20 s, ... then every 10 min, for 24 h"."""
    gaps = list(settings.schedule())
    if not gaps:
        return "none"
    shown = [_duration(gap) for gap in gaps[:4]]
    longest = max(gaps)
    tail = f", ... up to every {_duration(longest)}" if len(gaps) > 4 else ""
    return f"after {', '.join(shown)}{tail}, for {_duration(settings.give_up_after)}"


def _duration(seconds: float) -> str:
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{seconds / 3600:g} h"
    if seconds >= 60 and seconds % 60 == 0:
        return f"{seconds / 60:g} min"
    return f"{seconds:g} s"


def _log_to_stderr() -> None:
    """The sandbox's own log (webhook retries, drops, give-ups) as lines on stderr."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("d360 sandbox: %(message)s"))
    sandbox_logger = logging.getLogger("d360.sandbox")
    sandbox_logger.addHandler(handler)
    sandbox_logger.setLevel(logging.INFO)
    sandbox_logger.propagate = False


def run_sandbox(arguments: argparse.Namespace) -> int:
    from d360 import sandbox

    api_keys = arguments.api_keys or [sandbox.DEFAULT_API_KEY]
    faults = sandbox.Faults(
        rate_limit=arguments.rate_limit,
        server_error_rate=arguments.error_rate_500,
        unavailable_rate=arguments.error_rate_503,
        throttle_rate=arguments.throttle_rate,
        latency=arguments.latency_ms / 1000,
        delivery_failure_rate=arguments.delivery_failure_rate,
        delivery_failure_code=arguments.delivery_failure_code,
        seed=arguments.seed,
    )
    if not (math.isfinite(arguments.keep_mb) and arguments.keep_mb >= 0):
        raise UsageError(f"--keep-mb must be 0 or more, not {arguments.keep_mb}")
    try:
        app = sandbox.Sandbox(
            api_keys,
            faults=faults,
            keep=arguments.keep,
            keep_bytes=int(arguments.keep_mb * (1 << 20)),
            enforce_limits=arguments.enforce_limits,
            strict=arguments.strict,
            webhook_url=arguments.webhook_url,
            webhook_secret=arguments.webhook_secret or None,
            webhook_duplicate_rate=arguments.webhook_duplicates,
            template_check=arguments.template_check,
            template_review_seconds=arguments.template_review_seconds,
            template_reject_pattern=arguments.template_reject_pattern,
            **{
                f"webhook_{name}": getattr(arguments, f"webhook_{name}")
                for name in ("initial_backoff", "max_backoff", "give_up_after")
                if getattr(arguments, f"webhook_{name}") is not None  # not given: the sandbox's default
            },
        )
    except ConfigurationError as exc:
        raise UsageError(_as_flags(str(exc))) from None
    try:
        listener = sandbox.bind(arguments.host, arguments.port)
    except OSError as exc:
        raise UsageError(f"cannot listen on {arguments.host}:{arguments.port}: {exc.strerror or exc}") from None
    base_url = f"http://{arguments.host}:{listener.getsockname()[1]}"
    print(f"d360 sandbox: Messaging API {SPEC_VERSION} at {base_url} (Ctrl-C to stop)")
    print(f"  export D360_BASE_URL={base_url}")
    if not arguments.api_keys:
        print(f"  export D360_API_KEY={sandbox.DEFAULT_API_KEY}")
    print(f"  inspect what arrived: {base_url}{sandbox.INSPECTION_PATH}")
    checked = "checked against them" if arguments.template_check else "not checked (--no-template-check)"
    print(
        f"  templates: {len(app.templates)} approved to start with (d360 templates list); template messages "
        f"{checked}; new ones reviewed after {arguments.template_review_seconds:g}s"
    )
    if arguments.webhook_url:
        signed = "signed" if arguments.webhook_secret else "unsigned"
        say(  # the URL as given: shown escaped, as any text from outside
            f"  delivering webhooks to {arguments.webhook_url} ({signed}); "
            f"a customer writes: POST {base_url}{sandbox.INBOUND_PATH}"
        )
    print(f"  webhook retries: {_schedule(app.webhooks.settings)} (every retry is logged on stderr)")
    _log_to_stderr()
    print(end="", flush=True)
    server = sandbox.server_for(app)
    # uvicorn shuts down gracefully on SIGINT/SIGTERM, then re-raises the signal to the handler that was
    # in place before it; this one lets us report and exit 0, a requested stop being no failure. It also
    # stops a server asked to stop before uvicorn took the signals over (the port answers from the start).
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop_signal, lambda number, frame: setattr(server, "should_exit", True))
    server.run(sockets=[listener])
    print(f"d360 sandbox: stopped after accepting {app.accepted_count} messages", flush=True)
    stats = app.webhooks.stats
    if arguments.webhook_url or stats.attempts:
        print(
            f"  webhooks: {stats.deliveries} delivered, {stats.failed_attempts} attempts failed, "
            f"{stats.given_up} given up"
        )
    return EXIT_OK
