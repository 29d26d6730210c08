"""What keeps a contract run bounded, and quiet about the key, whatever the target does.

A target may be hostile or broken: answer a gzip bomb, trickle, or never answer. Every answer is read
with a cap on its decoded size and a deadline; every check has a deadline, and so does the run, so a run
ends in bounded time and memory with the check that could not finish failed and named. The target's key
never shows: the `Target` fixture does not print it, and every report (the console, JUnit XML) is
scrubbed of it, whatever frame or captured output it would have appeared in.
"""

from __future__ import annotations

import dataclasses
import json
import signal
import threading
import time
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urljoin

import pytest
import requests
import requests.adapters
import urllib3.exceptions

from d360.config import MAX_RESPONSE_BYTES
from d360.transports import BodyReader

MAX_ANSWER_BYTES = MAX_RESPONSE_BYTES
"""The most of one answer a check reads (decoded): what d360's clients read at most, far more than upstream sends."""
REQUEST_TIMEOUT = 10.0
"""Seconds one request may take in all, its answer read whole; each wait on the network is bounded by it too."""
TEARDOWN_GRACE = 30.0
"""Seconds a check's teardown gets even past its deadline: stopping the local sandbox must not be cut."""
REPEAT_ALARM = 1.0
"""Seconds between alarms once a deadline passed: code that swallows the first (a library catching too
much) gets another, and another, until the check ends."""
MASK = "[REDACTED]"
CHUNK = 64 * 1024


class AnswerNotRead(requests.exceptions.RequestException):
    """An answer a check refused to read on: larger than the cap, in an encoding not asked for, or too slow."""


class CappedAdapter(requests.adapters.HTTPAdapter):
    """requests' adapter, reading each answer itself: raw, decoded by d360's `BodyReader` (so a gzip bomb
    inflates to the cap and no further) and within `deadline` seconds in all."""

    def __init__(self, limit: int = MAX_ANSWER_BYTES, deadline: float = REQUEST_TIMEOUT) -> None:
        super().__init__(max_retries=0)
        self.limit = limit
        self.deadline = deadline

    def send(self, request: requests.PreparedRequest, stream: bool = False, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        started = time.monotonic()
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.deadline
        response = super().send(request, stream=True, **kwargs)
        reader = BodyReader(response.headers.get("content-encoding"), self.limit)
        what = f"the answer to {request.method} {request.path_url}"
        try:
            for chunk in response.raw.stream(CHUNK, decode_content=False):
                reader.feed(chunk)
                if reader.done:
                    break
                if time.monotonic() - started > self.deadline:
                    raise AnswerNotRead(f"{what} took more than {self.deadline:g} s to arrive", request=request)
            body = reader.finish()
        except urllib3.exceptions.ReadTimeoutError as exc:
            response.close()
            raise requests.exceptions.ReadTimeout(exc, request=request) from exc
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            response.close()
            raise requests.exceptions.ConnectionError(exc, request=request) from exc
        except BaseException:
            response.close()
            raise
        if reader.unreadable is not None:
            response.close()  # what is left unread must not be read by the next request on this connection
            raise AnswerNotRead(f"{what} was not read: {reader.unreadable}", request=request)
        response._content = body
        response._content_consumed = True
        response.raw.release_conn()
        return response


class CappedSession(requests.Session):
    """A requests session for schemathesis: answers read with `CappedAdapter`; redirects followed only on
    the same host (the key goes in a header that requests would send anywhere)."""

    def __init__(self, limit: int = MAX_ANSWER_BYTES, deadline: float = REQUEST_TIMEOUT) -> None:
        super().__init__()
        self.headers.clear()  # schemathesis says every header itself
        self.trust_env = False
        adapter = CappedAdapter(limit, deadline)
        self.mount("http://", adapter)
        self.mount("https://", adapter)

    def get_redirect_target(self, resp: requests.Response) -> str | None:
        target = super().get_redirect_target(resp)
        if target is None or self.should_strip_auth(resp.url, urljoin(resp.url, target)):
            return None
        return target


def fetch_json(method: str, url: str, *, timeout: float = REQUEST_TIMEOUT) -> tuple[int, Any]:
    """One small JSON exchange with the target (its inspection endpoint), capped and within `timeout`:
    (status, the parsed body or None)."""
    with CappedSession(deadline=timeout) as session:
        response = session.request(method, url, timeout=timeout, allow_redirects=False)
    try:
        return response.status_code, json.loads(response.content)
    except (ValueError, RecursionError):
        return response.status_code, None


# Deadlines: per check, and for the run.


class CheckDeadline(BaseException):
    """Raised inside a check whose deadline passed. A BaseException, so hypothesis does not take it for a
    failing example and shrink (run the check again and again); pytest reports the check as failed."""


class Guards:
    """The pytest plugin `d360 contract` runs with: deadlines per check and for the run, and the key
    scrubbed out of every report."""

    def __init__(self, secret: str | None, check_deadline: float, run_deadline: float) -> None:
        self.secret = secret if secret and len(secret) >= 4 else None  # a shorter one would mask half the text
        self.check_deadline = check_deadline
        self.run_deadline = run_deadline
        self.run_ends = time.monotonic() + run_deadline
        self.check_ends = self.run_ends
        self.reason = ""
        self._alarm = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
        self._previous_handler: Any = None

    # The run.

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        self.run_ends = time.monotonic() + self.run_deadline
        if self._alarm:
            self._previous_handler = signal.signal(signal.SIGALRM, self._on_alarm)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self._alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous_handler or signal.SIG_DFL)

    def _on_alarm(self, signum: int, frame: Any) -> None:
        raise CheckDeadline(self.reason)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, Any, Any]:
        now = time.monotonic()
        self.check_ends = min(now + self.check_deadline, self.run_ends)
        try:
            return (yield)
        finally:
            if time.monotonic() >= self.run_ends and not item.session.shouldfail:
                item.session.shouldfail = (
                    f"the run's deadline of {self.run_deadline:g} s (--deadline) passed: the checks after "
                    f"{item.location[2]} were not run"
                )

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> Generator[None, Any, Any]:
        with self._armed(item, grace=0.0):
            return (yield)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Generator[None, Any, Any]:
        with self._armed(item, grace=0.0):
            return (yield)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_teardown(self, item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, Any, Any]:
        with self._armed(item, grace=TEARDOWN_GRACE):
            return (yield)

    @contextmanager
    def _armed(self, item: pytest.Item, *, grace: float) -> Iterator[None]:
        """The check's remaining time as an alarm for this phase (setup, call, teardown), disarmed after it."""
        run_cut = self.check_ends >= self.run_ends
        self.reason = (
            f"the run's deadline of {self.run_deadline:g} s (--deadline) passed during this check"
            if run_cut
            else f"not done within the check's deadline of {self.check_deadline:g} s (--check-deadline): "
            "the target answers too slowly, or not at all"
        )
        remaining = max(self.check_ends - time.monotonic(), grace)
        if remaining <= 0:
            raise CheckDeadline(self.reason)
        if not self._alarm:
            yield
            return
        signal.setitimer(signal.ITIMER_REAL, remaining, REPEAT_ALARM)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    # Reports: the deadline said in one line, the key never shown.

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
        report = yield
        deadline = _deadline_in(call.excinfo.value) if call.excinfo is not None else None
        if deadline is not None:
            report.longrepr = f"{item.location[2]}: {deadline}"
        self._scrub(report)
        return report

    @pytest.hookimpl(wrapper=True)
    def pytest_make_collect_report(self, collector: pytest.Collector) -> Generator[None, Any, Any]:
        report = yield
        self._scrub(report)
        return report

    def _scrub(self, report: Any) -> None:
        secret = self.secret
        if secret is None:
            return
        if report.longrepr is not None and secret in str(report.longrepr):
            scrubbed = _without(report.longrepr, secret)
            # The repr's own structure keeps pytest's layout; if the key still shows, plain text it is.
            report.longrepr = scrubbed if secret not in str(scrubbed) else str(report.longrepr).replace(secret, MASK)
        report.sections = [(title, _without(content, secret)) for title, content in report.sections]


def _deadline_in(error: BaseException) -> CheckDeadline | None:
    """The deadline that ended a check, raised alone or among others (hypothesis groups what it found)."""
    if isinstance(error, CheckDeadline):
        return error
    if isinstance(error, BaseExceptionGroup):
        return next(filter(None, map(_deadline_in, error.exceptions)), None)
    return None


def _without(value: Any, secret: str) -> Any:
    """`value` with `secret` masked in every string it holds (pytest's report parts are dataclasses)."""
    if isinstance(value, str):
        return value.replace(secret, MASK)
    if isinstance(value, list):
        return [_without(item, secret) for item in value]
    if isinstance(value, tuple):
        return tuple(_without(item, secret) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            object.__setattr__(value, field.name, _without(getattr(value, field.name), secret))
    return value
