"""The cache of template definitions behind `template_check`: one for a client and its `with_options` twins
(and the async client `Client.send_many` runs on), safe across threads and event loops, bounded in size.

It does no I/O. A caller `claim`s a key and is told to use a fresh entry, to wait for the fetch another
caller is making (one fetch per key at a time, never a stampede), or to fetch it itself and `settle` (or
`fail`) its claim. Waiting is on a `concurrent.futures.Future`: a thread waits with `result()`, a coroutine on
any event loop with `asyncio.wrap_future`.
"""

from __future__ import annotations

import collections
import math
import threading
import time
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from d360.errors import ConfigurationError

if TYPE_CHECKING:
    from concurrent.futures import Future

DEFAULT_TTL = 300.0
"""Seconds a definition that was found approved is trusted: five minutes."""
MAX_TTL = 86_400.0
NEGATIVE_TTL = 10.0
"""Seconds a template found missing or not approved is trusted (at most the TTL): short, so one approved
meanwhile can be sent soon after."""
RECHECK_AFTER = 10.0
"""Seconds after which a cached template a message does not fit is fetched once more before the message
is refused (it may have been changed since); a fresher one is trusted."""
DEFAULT_MAX_ENTRIES = 1000
"""Templates (a name in one language) kept; the least recently used goes first."""

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@attrs.frozen(eq=False)
class Entry(Generic[V]):
    """One fetched value and when it stops being trusted (`time.monotonic()`); compared by identity, so a
    refresh can tell whether another caller has already replaced the entry it saw."""

    value: V
    expires: float
    fetched: float


class _Retry:
    """What a fetch that gave up (was cancelled) hands its waiters: fetch it yourself."""


RETRY = _Retry()


@attrs.frozen
class Claim(Generic[K, V]):
    """What `claim` decided: use `entry`, or wait on `flight`, or (`owner`) fetch and settle the claim."""

    key: K
    entry: Entry[V] | None = None
    flight: Future[Any] | None = None
    owner: bool = False
    replacing: Entry[V] | None = None


class TemplateCache(Generic[K, V]):
    """Values by key, each trusted for a while, with at most one fetch per key in flight."""

    def __init__(
        self,
        ttl: float = DEFAULT_TTL,
        *,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not (isinstance(ttl, int | float) and not isinstance(ttl, bool) and math.isfinite(ttl)) or not (
            0 <= ttl <= MAX_TTL
        ):
            raise ConfigurationError(f"template_check_ttl must be from 0 to {MAX_TTL:g} seconds, not {ttl!r}")
        if not isinstance(max_entries, int) or isinstance(max_entries, bool) or max_entries < 1:
            raise ConfigurationError(f"the template cache must hold at least one entry, not {max_entries!r}")
        self.ttl = float(ttl)
        self.negative_ttl = min(self.ttl, NEGATIVE_TTL)
        self.max_entries = max_entries
        self._clock = clock
        self._entries: collections.OrderedDict[K, Entry[V]] = collections.OrderedDict()
        self._flights: dict[K, Future[Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: K) -> Entry[V] | None:
        """The entry for `key` while it is trusted; None otherwise."""
        with self._lock:
            return self._fresh(key)

    def claim(self, key: K, *, replacing: Entry[V] | None = None) -> Claim[K, V]:
        """Decide who fetches `key`. With `replacing`, the entry a caller found stale (upstream refused a
        message it fitted): fetched again, unless another caller has replaced it already."""
        with self._lock:
            current = self._fresh(key)
            if current is not None and (replacing is None or current is not replacing):
                self._entries.move_to_end(key)
                return Claim(key, entry=current)
            flight = self._flights.get(key)
            if flight is not None:
                return Claim(key, flight=flight)
            from concurrent.futures import Future

            flight = Future()
            # Running from the start: a waiting coroutine that is cancelled must not cancel everyone's fetch.
            flight.set_running_or_notify_cancel()
            self._flights[key] = flight
            return Claim(key, flight=flight, owner=True, replacing=replacing)

    def settle(self, claim: Claim[K, V], value: V, *, negative: bool = False) -> Entry[V]:
        """Keep what the owner of `claim` fetched (for the short TTL if `negative`) and hand it to its waiters."""
        assert claim.owner and claim.flight is not None
        now = self._clock()
        entry = Entry(value, now + (self.negative_ttl if negative else self.ttl), now)
        with self._lock:
            self._entries[claim.key] = entry
            self._entries.move_to_end(claim.key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
            self._flights.pop(claim.key, None)
        claim.flight.set_result(entry)
        return entry

    def age(self, entry: Entry[V]) -> float:
        """Seconds since `entry` was fetched, by this cache's clock."""
        return self._clock() - entry.fetched

    def fail(self, claim: Claim[K, V], error: BaseException | None) -> None:
        """The owner's fetch failed: its waiters raise `error`, or, with None (the owner was cancelled), fetch
        themselves. A stale entry being replaced is dropped, so the next caller fetches."""
        assert claim.owner and claim.flight is not None
        with self._lock:
            self._flights.pop(claim.key, None)
            if claim.replacing is not None and self._entries.get(claim.key) is claim.replacing:
                del self._entries[claim.key]
        if error is None:
            claim.flight.set_result(RETRY)
        else:
            claim.flight.set_exception(error)

    def forget(self, matches: Callable[[K], bool]) -> None:
        """Drop every entry whose key `matches` (a template deleted or created through this client)."""
        with self._lock:
            for key in [key for key in self._entries if matches(key)]:
                del self._entries[key]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def _fresh(self, key: K) -> Entry[V] | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.expires <= self._clock():
            del self._entries[key]
            return None
        return entry
