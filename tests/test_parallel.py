"""`make test` runs the suite in parallel (pytest-xdist): the suite's own rules must hold in xdist's worker
processes as they do in one process, or a parallel CI run would claim more than it checks."""

from __future__ import annotations

import os

import pytest

from tests.conftest import ROOT

pytest_plugins = ["pytester"]

SKIPPING_TESTS = """
import pytest


def test_needs_a_server_that_is_not_there():
    pytest.skip("no server here: start one")


def test_needs_nothing():
    assert True
"""


def test_under_ci_a_skip_in_an_xdist_worker_is_a_failure(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A throwaway suite under tests/conftest.py's own hook (imported, not copied), run by two xdist workers
    under CI=true. Were the hook lost in the workers (or its verdict in the report they send back), the skip
    would come back as a skip; the message below is the hook's alone."""
    monkeypatch.setenv("CI", "true")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    pytester.makeconftest("from tests.conftest import pytest_runtest_makereport  # noqa: F401\n")
    pytester.makepyfile(test_skips=SKIPPING_TESTS)
    result = pytester.runpytest_subprocess("-n", "2", "-p", "no:randomly", "-p", "no:cacheprovider", "-rA")
    result.stdout.fnmatch_lines(["*2 workers*"])  # the tests ran in workers, not in the controller
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*skipped under CI=true, where nothing may be missing*no server here: start one*"])
