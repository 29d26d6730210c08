"""When to retry a failed send, and how long to wait: never at the risk of sending a message twice.

Retried: failures that provably did not reach upstream (connect errors and timeouts), 408, 429, 503 and
upstream's throttling errors. Not retried unless `retry_ambiguous=True`: read timeouts, connections
dropped after the request went out, 500, 502 and 504, after which the message may have been delivered.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import attrs

from d360.errors import APIConnectionError, APIStatusError, D360Error, RateLimitError, ServerError


@attrs.frozen
class RetryPolicy:
    """How many times to retry, and how to wait between tries."""

    max_retries: int = 2
    retry_ambiguous: bool = False
    """Also retry failures after which the message may have been delivered (risking a duplicate)."""
    initial_backoff: float = 0.5
    max_backoff: float = 8.0
    max_retry_after: float = 60.0
    """The longest `Retry-After` honoured; a longer one raises RateLimitError at once."""
    random: Callable[[], float] = attrs.field(default=random.random, repr=False)

    def delay_before_retry(self, error: D360Error, retries_done: int) -> float | None:
        """Seconds to wait before the next try, or None when `error` must be raised now."""
        if retries_done >= self.max_retries or not self.is_retryable(error):
            return None
        # A Retry-After of zero or in the past is no reason to hammer upstream: back off as usual then.
        if isinstance(error, RateLimitError) and error.retry_after is not None and error.retry_after > 0:
            return error.retry_after if error.retry_after <= self.max_retry_after else None
        return self.backoff(retries_done)

    def is_retryable(self, error: D360Error) -> bool:
        if error.maybe_delivered and not self.retry_ambiguous:
            return False
        return is_transient(error)

    def backoff(self, retries_done: int) -> float:
        """Exponential backoff with jitter: between half and all of initial * 2**n, capped."""
        ceiling = min(self.max_backoff, self.initial_backoff * 2**retries_done)
        return float(ceiling * (0.5 + self.random() / 2))


def is_transient(error: D360Error) -> bool:
    """Not the message's fault: the same message may go through later (unreachable, throttled, 408, 5xx)."""
    if isinstance(error, RateLimitError | APIConnectionError | ServerError):
        return True
    return isinstance(error, APIStatusError) and error.status_code == 408


def parse_retry_after(value: str | None, *, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> float | None:
    """Seconds to wait from a `Retry-After` header: delta-seconds or an HTTP date. None if absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - now()).total_seconds()
    if seconds != seconds or seconds in (float("inf"), float("-inf")):  # NaN or infinite
        return None
    return max(0.0, seconds)
