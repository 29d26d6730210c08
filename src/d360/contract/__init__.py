"""Contract checks a team runs against any target (the local sandbox, upstream's sandbox, its own mock or
proxy): the packaged suite in `suite/`, run by pytest, and `run()`, which `d360 contract` and
`make contract` both call. One suite, in the package, so a team's CI runs exactly what d360's does.

Needs the `contract` extra (pytest, schemathesis): `pip install 'd360-messaging[contract]'`.
"""

from __future__ import annotations

from pathlib import Path

PROFILES = ("ci", "thorough")
DEFAULT_CHECK_DEADLINE = 900
"""Seconds one check may take: its examples, their shrinking, its fixtures. POST /messages' negative cases under
the effective spec (fourteen conditional branches, a message or a read receipt) take from two to six minutes on
two shared cores, by hypothesis's draw: 300 s was too close."""
DEFAULT_RUN_DEADLINE = 3600
"""Seconds a whole run may take."""
SANDBOX_MEDIA_ROOM = 1 << 40
"""Bytes of media the contract's own sandbox keeps: as good as upstream's room. A schema-valid upload session
(up to the spec's file_length) only reserves its length, so with the default bound a run's many sessions
filled the room and a valid request was refused (400 "no room"), which upstream would take."""
SUITE = Path(__file__).resolve().parent / "suite"


def run(
    base_url: str | None = None,
    api_key: str | None = None,
    *,
    profile: str = "ci",
    junit_xml: str | None = None,
    to: str | None = None,
    extra_arguments: tuple[str, ...] = (),
    check_deadline: float = DEFAULT_CHECK_DEADLINE,
    deadline: float = DEFAULT_RUN_DEADLINE,
) -> int:
    """Run the suite against `base_url` (None: a local sandbox started for the run); return pytest's exit code.

    `profile` is `ci` (derandomized, about a minute) or `thorough` (many more examples). A remote target
    gets a handful of requests, a second apart, whatever the profile: upstream's sandbox is rate-limited.
    Whatever the target does, the run is bounded: each answer is read up to 1 MiB decoded and within 10 s,
    each check may take `check_deadline` seconds and the run `deadline` (a check cut short fails, named;
    past the run's deadline the remaining checks are not run and the run fails). The key is never shown
    in the report or the JUnit XML.
    """
    import pytest

    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {', '.join(PROFILES)}, not {profile!r}")
    for name, seconds in (("check_deadline", check_deadline), ("deadline", deadline)):
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not 0 < seconds < 10**7:
            raise ValueError(f"{name} must be a positive number of seconds, not {seconds!r}")
    arguments = [
        str(SUITE),
        "-c",
        str(SUITE / "pytest.ini"),
        "--rootdir",
        str(SUITE),
        "-p",
        "no:cacheprovider",
        f"--d360-profile={profile}",
        *(("--d360-target-url", base_url) if base_url else ()),
        *(("--d360-target-key", api_key) if api_key else ()),
        *((f"--junit-xml={junit_xml}",) if junit_xml else ()),
        *(("--d360-to", to) if to else ()),
        f"--d360-check-deadline={check_deadline}",
        f"--d360-deadline={deadline}",
        *extra_arguments,
    ]
    return int(pytest.main(arguments))
