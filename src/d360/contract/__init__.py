"""Contract checks a team runs against any target (the local sandbox, upstream's sandbox, its own mock or
proxy): the packaged suite in `suite/`, run by pytest, and `run()`, which `d360 contract` and
`make contract` both call. One suite, in the package, so a team's CI runs exactly what d360's does.

Needs the `contract` extra (pytest, schemathesis): `pip install 'd360-messaging[contract]'`.
"""

from __future__ import annotations

from pathlib import Path

PROFILES = ("ci", "thorough")
SUITE = Path(__file__).resolve().parent / "suite"


def run(
    base_url: str | None = None,
    api_key: str | None = None,
    *,
    profile: str = "ci",
    junit_xml: str | None = None,
    to: str | None = None,
    extra_arguments: tuple[str, ...] = (),
) -> int:
    """Run the suite against `base_url` (None: a local sandbox started for the run); return pytest's exit code.

    `profile` is `ci` (derandomized, about a minute) or `thorough` (many more examples). A remote target
    gets a handful of requests, a second apart, whatever the profile: upstream's sandbox is rate-limited.
    """
    import pytest

    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {', '.join(PROFILES)}, not {profile!r}")
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
        *extra_arguments,
    ]
    return int(pytest.main(arguments))
