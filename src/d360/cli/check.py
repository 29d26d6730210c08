"""`d360 validate` and `d360 spec diff`: commands that check and compare, and never send."""

from __future__ import annotations

import argparse
import json
from typing import Any

from d360.cli.common import (
    EXIT_OK,
    EXIT_REFUSED,
    EXIT_UNREACHABLE,
    EXIT_USAGE,
    Commands,
    UsageError,
    fail,
    read_text,
    say,
)
from d360.json_input import JSONInputError, loads
from d360.validation import message_problems


def add_validate_command(commands: Commands) -> None:
    validate = commands.add_parser(
        "validate",
        help="check messages without sending anything",
        description="Check one JSON message, or JSON Lines of them, against the spec and upstream's limits. "
        "Sends nothing. Exit 0 when all are valid, 2 otherwise.",
    )
    validate.add_argument("file", metavar="FILE", help="a JSON or JSON Lines file, or - for standard input")
    validate.add_argument("--json", action="store_true", help="print JSON for machines")
    validate.add_argument(
        "--strict",
        action="store_true",
        help="check exactly against the effective spec: refuse type values it does not list yet and nulls it "
        "does not allow (by default they are taken with a warning, and the rest of the message is checked)",
    )
    validate.set_defaults(handler=run_validate)


def add_spec_command(commands: Commands) -> None:
    spec = commands.add_parser("spec", help="work with spec versions", description="Work with spec versions.")
    actions = spec.add_subparsers(dest="action", required=True, metavar="ACTION")
    diff = actions.add_parser(
        "diff",
        help="the change report between two specs",
        description="Print the change report between two specs (files or URLs; raw JSON or upstream's docs "
        "page), each change marked BREAKING or compatible for a client. Exit 3 when a spec cannot be fetched, "
        "2 when one is not a spec d360 would regenerate from.",
    )
    diff.add_argument("old", metavar="OLD")
    diff.add_argument("new", metavar="NEW")
    diff.add_argument("--json", action="store_true", help="print JSON for machines")
    diff.add_argument("--fail-on-breaking", action="store_true", help="exit 1 when any change is BREAKING")
    diff.add_argument(
        "--deadline",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="how long each spec has to be read whole, file or URL (default 60)",
    )
    diff.add_argument(
        "--overlay",
        metavar="FILE",
        help="the overlay to check against NEW (default: the one d360_api was generated with); "
        "needs the spec extra: pip install 'd360-messaging[spec]'",
    )
    diff.set_defaults(handler=run_spec_diff)


def run_validate(arguments: argparse.Namespace) -> int:
    text = read_text(arguments.file)
    documents: list[tuple[int, Any, str | None]] = []
    try:
        documents.append((1, loads(text), None))
    except JSONInputError:
        # JSON Lines, numbered as `d360 bulk` numbers them: by newline characters alone.
        for line_number, line in enumerate(text.split("\n"), start=1):
            if line.strip():
                try:
                    documents.append((line_number, loads(line), None))
                except JSONInputError as exc:
                    documents.append((line_number, None, str(exc)))
    results: list[dict[str, Any]] = []
    for line_number, document, parse_error in documents:
        problems = (
            [parse_error]
            if parse_error
            else [str(problem) for problem in message_problems(document, strict=arguments.strict)]
        )
        results.append({"line": line_number, "valid": not problems, "problems": problems})
    invalid = [result for result in results if not result["valid"]]
    if arguments.json:
        print(json.dumps({"valid": not invalid, "checked": len(results), "invalid": invalid}))
    else:
        for result in invalid:
            for problem in result["problems"]:
                say(f"line {result['line']}: {problem}")
        print(f"{len(results) - len(invalid)} of {len(results)} messages valid")
    return EXIT_USAGE if invalid or not results else EXIT_OK


def run_spec_diff(arguments: argparse.Namespace) -> int:
    from d360.spec.diff import diff_specs

    if not arguments.deadline > 0:
        raise UsageError(f"--deadline must be more than 0 seconds, not {arguments.deadline:g}")
    old_spec, new_spec = _read_spec(arguments.old, arguments.deadline), _read_spec(arguments.new, arguments.deadline)
    try:
        report = diff_specs(old_spec, new_spec)
        overlay_check = _check_overlay(new_spec, arguments.overlay)
    except RecursionError:
        raise UsageError("a spec is nested too deeply to compare") from None
    if arguments.json:
        print(
            json.dumps(
                {
                    "old_version": report.old_version,
                    "new_version": report.new_version,
                    "changes": [
                        {
                            "location": change.location,
                            "description": change.description,
                            "breaking": change.breaking,
                            "used_in": list(change.used_in),
                        }
                        for change in report.changes
                    ],
                    "overlay": None
                    if overlay_check is None
                    else {
                        "redundant": [action.target for action in overlay_check.redundant],
                        "target_gone": [action.target for action in overlay_check.missing],
                    },
                }
            )
        )
    else:
        print(report.to_text(), end="")
        if overlay_check is not None:
            print(overlay_check.to_text(), end="")  # escaped line by line, as the report is
    return EXIT_REFUSED if arguments.fail_on_breaking and report.breaking else EXIT_OK


def _read_spec(source: str, deadline: float) -> dict[str, Any]:
    """A spec as regeneration would take it: fetched within the deadline, shaped like OpenAPI 3, and with
    no reference leaving the document. Could not fetch: exit 3; anything else wrong: exit 2."""
    from d360.spec.guard import SpecRefusedError, check_references, check_shape
    from d360.spec.source import SpecFetchError, SpecSourceError, load_spec
    from d360.spec.text import one_line

    try:
        spec = load_spec(source, deadline=deadline)
        check_shape(spec, origin=source)
        check_references(spec, origin=source)
    except SpecFetchError as exc:
        fail(one_line(str(exc), 1000), EXIT_UNREACHABLE)
    except (SpecSourceError, SpecRefusedError) as exc:
        raise UsageError(one_line(str(exc), 1000)) from None
    return spec


def _check_overlay(new_spec: dict[str, Any], overlay_path: str | None) -> Any:
    """What NEW makes of the overlay (redundant actions, targets gone); None without the spec extra."""
    from importlib import resources

    from d360.spec.overlay import OverlayError, check_overlay, load_overlay

    try:
        import jsonpath_rfc9535  # noqa: F401
        import yaml  # noqa: F401
    except ImportError:
        if overlay_path:
            raise UsageError("--overlay needs the spec extra: pip install 'd360-messaging[spec]'") from None
        return None
    try:
        with resources.as_file(resources.files("d360_api").joinpath("overlay.yaml")) as bundled:
            overlay = load_overlay(overlay_path or bundled)
    except OverlayError as exc:
        raise UsageError(str(exc)) from None
    return check_overlay(new_spec, overlay)
