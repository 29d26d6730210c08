"""What every inbox store shares: the events it keeps, the protocol a store follows, and the retry rule. A
module of its own, so the SQLite and PostgreSQL stores need nothing back from the package that opens them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import attrs

from d360.webhooks.events import AnyEvent

DEFAULT_PATH = "d360-webhooks.sqlite"
DEFAULT_LEASE = 60.0
"""Seconds an event is leased to the receiver handling it; renewed while its handlers run."""
DEFAULT_MAX_ATTEMPTS = 5
BACKOFF_BASE = 1.0
BACKOFF_CAP = 300.0
KEEP_HANDLED = 24 * 3600.0
"""Seconds a handled event's row is kept (its dedup claim is kept `max_age`, eight days)."""


@attrs.frozen
class NewEvent:
    """One event to store: its key, its conversation, when upstream sent it, and the delivery it came in."""

    dedup_key: str
    conversation: str | None
    sent_at: float | None
    body: bytes


@attrs.frozen
class StoredEvent:
    """An event in the inbox, as a claim or a dead-letter listing returns it."""

    dedup_key: str
    body: bytes
    conversation: str | None
    attempts: int
    step: int
    """Handlers (in registration order) already run to the end for it: a retry starts after them."""
    state: str = "pending"
    error: str | None = None
    arrived_at: float | None = None

    def event(self) -> AnyEvent:
        """The typed event, read again from the delivery it came in."""
        from d360.webhooks.parse import parse

        for event in parse(self.body):
            if event.dedup_key == self.dedup_key:
                return event
        raise ValueError(f"the stored delivery holds no event {self.dedup_key}")  # pragma: no cover - stored by us


@runtime_checkable
class InboxStore(Protocol):
    """Where events wait for their handlers. Every method is atomic across every process sharing the store."""

    def put(self, events: Sequence[NewEvent]) -> list[bool]:
        """Claim each event's key and store the new ones, in one transaction; True for each stored now."""
        ...

    def claim(self, owner: str, limit: int, lease: float) -> list[StoredEvent]:
        """Lease up to `limit` events ready to handle to `owner` for `lease` seconds: oldest first, at most
        one per conversation, none of a conversation with an earlier event not yet settled."""
        ...

    def renew(self, owner: str, keys: Sequence[str], lease: float) -> None:
        """Extend `owner`'s leases on these events (its handlers are still running)."""
        ...

    def done(self, owner: str, key: str) -> bool:
        """Mark an event leased to `owner` handled; False if the lease was lost (another took it over)."""
        ...

    def done_many(self, owner: str, keys: Sequence[str]) -> list[str]:
        """`done` for several events in one transaction; the keys whose lease was lost."""
        ...

    def progress(self, owner: str, key: str, step: int) -> None:
        """Record that the first `step` handlers of a leased event have ended."""
        ...

    def failed(self, owner: str, key: str, error: str, step: int, max_attempts: int) -> str:
        """Record a failed attempt: `retry` (again after a backoff) or `dead` (attempts used up)."""
        ...

    def dead_letters(self) -> list[StoredEvent]: ...

    def retry_dead(self, keys: Sequence[str] | None = None) -> int:
        """Put dead events (all, or these) back to be handled, with their attempts reset; how many."""
        ...

    def pending(self) -> int:
        """Events stored and not yet handled nor dead."""
        ...

    def claim_keys(self, keys: Sequence[str]) -> list[bool]:
        """The de-duplication part alone (`DedupStore.claim`)."""
        ...

    def forget(self, keys: Sequence[str]) -> None: ...

    def close(self) -> None: ...


def backoff(attempts: int) -> float:
    """Seconds before attempt `attempts + 1`: 1, 2, 4... up to five minutes."""
    return float(min(BACKOFF_CAP, BACKOFF_BASE * 2 ** max(0, attempts - 1)))
