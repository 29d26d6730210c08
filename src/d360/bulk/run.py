"""One `d360 bulk` run: validate every line, tie the journal to the input, send what is left, sum up.

The steps are in this order so that nothing is sent while any line is invalid (unless told to skip
them), and so that a resumed run sends exactly the lines the journal says were never sent.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import attrs

from d360.bulk.input import BulkInput, InputLine
from d360.bulk.journal import ACCEPTED, FAILED, PENDING, SENDING, UNKNOWN, JournalError
from d360.bulk.progress import Progress
from d360.bulk.protocol import CampaignJournal, SharedCampaignJournal, is_shared
from d360.client import AsyncClient
from d360.concurrency import NumberedMessage, SendOutcome, send_many
from d360.errors import AuthenticationError, D360Error, NotFoundError, PermissionDeniedError, RateLimitError
from d360.retry import is_transient

SHARED_WAIT = 0.25
"""Seconds a worker of a shared campaign waits, once it has sent all it could claim, before looking again at
the lines other workers hold: if one of them died, its lines are taken back and sent by those still up."""
# Errors that say the whole run is misconfigured: every other line would meet them too.
FATAL_ERRORS = (AuthenticationError, PermissionDeniedError, NotFoundError)
PAIR_RATE_LIMIT = 131056
"""Meta's pair rate limit: too many messages to one user (one every 6 s). Only that user's line must wait:
upstream refused it, so it was provably not accepted, and the other lines keep going."""


def rate_bucket_key(base_url: str, api_key: str) -> str:
    """The shared rate's bucket for a sending number. A 360dialog API key belongs to one phone number, so
    the key (with the base URL it is used at) names the number; only a hash of it is stored."""
    digest = hashlib.sha256(f"{base_url.rstrip('/')}\n{api_key}".encode()).hexdigest()
    return f"number:{digest[:32]}"


def is_pair_rate_limit(error: D360Error) -> bool:
    return isinstance(error, RateLimitError) and str(error.code) == str(PAIR_RATE_LIMIT)


@attrs.frozen
class InvalidLine:
    line_number: int
    problems: tuple[str, ...]


@attrs.frozen
class ValidationReport:
    total: int
    invalid: tuple[InvalidLine, ...]


def validate_input(
    bulk_input: BulkInput,
    on_invalid: Callable[[InvalidLine], None],
    check: Callable[[InputLine], None] | None = None,
) -> ValidationReport:
    """Check every line, reporting each invalid one as found (so memory holds only the invalid ones); each
    valid line is handed to `check` too, when given (the template check)."""
    total = 0
    invalid: list[InvalidLine] = []
    for line in bulk_input.lines():
        total += 1
        if not line.valid:
            problem = InvalidLine(line.line_number, line.problems)
            invalid.append(problem)
            on_invalid(problem)
        elif check is not None:
            check(line)
    return ValidationReport(total=total, invalid=tuple(invalid))


def prepare_journal(journal: CampaignJournal, bulk_input: BulkInput, report: ValidationReport) -> int:
    """Fill the journal from this input on the first run; return how many lines were found mid-send. A
    shared journal keeps each line's message too, for workers that have no copy of the input."""
    invalid = {line.line_number: "; ".join(line.problems) for line in report.invalid}
    if is_shared(journal):
        journal.fill_with_messages(
            bulk_input.fingerprint(),
            bulk_input.describe(),
            (
                (
                    line.line_number,
                    line.content_hash,
                    FAILED if line.line_number in invalid else PENDING,
                    f"invalid: {invalid[line.line_number]}" if line.line_number in invalid else None,
                    None if line.line_number in invalid else line.message,
                )
                for line in bulk_input.lines(validate=False)
            ),
        )
        return journal.recover_interrupted()
    journal.fill(
        bulk_input.fingerprint(),
        bulk_input.describe(),
        (
            (
                line_number,
                content_hash,
                FAILED if line_number in invalid else PENDING,
                f"invalid: {invalid[line_number]}" if line_number in invalid else None,
            )
            for line_number, content_hash in bulk_input.hashes()
        ),
    )
    return journal.recover_interrupted()


def join_campaign(journal: SharedCampaignJournal) -> int:
    """A worker with no input joins the campaign; return how many lines dead workers left mid-send."""
    journal.join()
    return journal.recover_interrupted()


class GroupCommit:
    """The journal's writes from every worker, committed together, one commit at a time.

    A line's request leaves only once its `sending` is on disk: the worker awaits that write. It does not
    wait for its outcome's write alone: that is queued, and the worker's next `sending` is committed with
    it or after it. So at every commit at most `concurrency` lines are `sending` (the crash guarantee), a
    line's outcome is on disk before its worker's next request leaves, and the run's last outcomes are
    committed by `close()`. A commit takes every write queued when the event loop gets to it (two rounds
    after the first write), so batches grow with the load and a lone write waits for no timer; every
    write of a batch shares one future. A failed commit (a full disk) fails every later write and
    `close()`, so the run stops. `in_thread`: commits run in a writer thread, one at a time, for a
    journal whose commit is a round trip to a server (PostgreSQL); SQLite's stay on the loop (a writer
    thread was measured slower there: SQLite's work is cheap, the GIL handoffs are not).

    A `sending` the journal refuses (a status spoke for the line meanwhile) is handed to `on_refused`, and
    the batch's future resolves to the refused lines (None when there are none, as nearly always): those
    must not be sent. One future per batch, not a coroutine per line, keeps a run's cost per line as it was.

    A shared journal marks nothing while the sending number is paused (a throttling answer any worker saw):
    the batch's lines are then queued again once the pause is over, and its future resolves with that
    later commit, so none of them leaves during the pause.
    """

    def __init__(
        self,
        journal: CampaignJournal,
        *,
        on_refused: Callable[[int], None] | None = None,
        in_thread: bool = False,
    ) -> None:
        self.journal = journal
        self._on_refused = on_refused
        self._operations: list[tuple[Any, ...]] = []
        self._batch: asyncio.Future[frozenset[int] | None] | None = None
        self._failure: Exception | None = None
        self._closed = False
        # A database across a network (PostgreSQL): a commit is a round trip, spent waiting, not working. In
        # a thread of its own, the event loop reads answers and sends meanwhile; the next commit starts
        # when this one ends, with everything queued by then.
        self._writer = concurrent.futures.ThreadPoolExecutor(1, "d360-journal") if in_thread else None
        self._in_flight: concurrent.futures.Future[Any] | None = None
        self._in_flight_batch: asyncio.Future[frozenset[int] | None] | None = None
        self.unmarked_sends = 0
        """Lines sent since the last commit ended with no commit of their own (marked by their claim)."""

    def next_commit(self) -> asyncio.Future[frozenset[int] | None] | None:
        """The end of the commit under way, or else of the next one queued (None if there is neither)."""
        if self._in_flight_batch is not None and not self._in_flight_batch.done():
            return self._in_flight_batch
        return self._batch

    def mark_sending(
        self, line_number: int, attempt: int, *, own_data: bool = False, again: bool = False
    ) -> asyncio.Future[frozenset[int] | None]:
        if again:  # marked by its claim, held by a pause: marked anew, as no new attempt (shared journal only)
            return self._submit((SENDING, line_number, own_data, True))
        return self._submit((SENDING, line_number, own_data))

    def finish(
        self,
        line_number: int,
        state: str,
        *,
        message_id: str | None = None,
        error: str | None = None,
        match_by_id: bool = False,
        pair_limited: bool = False,
        unsent: bool = False,
    ) -> asyncio.Future[frozenset[int] | None]:
        if unsent:  # marked by its claim and never sent: handed back, its mark not counted (shared journal only)
            return self._submit(("finish", line_number, state, message_id, error, match_by_id, pair_limited, True))
        return self._submit(("finish", line_number, state, message_id, error, match_by_id, pair_limited))

    def hand_back(self, lines: set[int]) -> None:
        """Lines a shared journal marked `sending` with their claim that the run did not send: back to
        pending, with the run's last commit. After a failed commit they stay `sending` (unknown to the next
        run): nothing more can be written."""
        if self._failure is None:
            for line_number in sorted(lines):
                self.finish(line_number, PENDING, unsent=True)

    def _submit(self, operation: tuple[Any, ...]) -> asyncio.Future[frozenset[int] | None]:
        if self._failure is not None:
            raise self._failure
        self._operations.append(operation)
        if self._batch is None:
            loop = asyncio.get_running_loop()
            self._batch = loop.create_future()
            # On the loop's round after next: the answers read in between join this commit. Measured at 32
            # in flight: about 5% more lines a second than committing on the next round, and still no timer.
            loop.call_soon(loop.call_soon, self._commit)
        return self._batch

    def _commit(self) -> None:
        if self._in_flight is not None:  # the commit under way starts the next once it ends
            return
        batch, self._batch = self._batch, None
        operations, self._operations = self._operations, []
        if not operations:  # already committed by close()
            return
        if self._writer is None or self._closed:
            self._committed(batch, operations, self._apply(operations))
            return
        self._in_flight = self._writer.submit(self._apply, operations)
        self._in_flight_batch = batch
        loop = asyncio.get_running_loop()
        self._in_flight.add_done_callback(
            lambda done: loop.call_soon_threadsafe(self._committed, batch, operations, done.result())
        )

    def _apply(self, operations: list[tuple[Any, ...]]) -> tuple[set[int], list[int], float, Exception | None]:
        """The commit itself (in the writer thread, if there is one): the refused lines, those a pause held
        and the seconds left of it, or the failure."""
        try:
            refused = self.journal.apply(operations)
        except Exception as exc:
            return set(), [], 0.0, exc
        if is_shared(self.journal):
            return refused, self.journal.take_paused(), self.journal.paused_for(), None
        return refused, [], 0.0, None

    def _committed(
        self,
        batch: asyncio.Future[frozenset[int] | None] | None,
        operations: list[tuple[Any, ...]],
        applied: tuple[set[int], list[int], float, Exception | None],
    ) -> None:
        self._in_flight = None
        self.unmarked_sends = 0  # what the commit heard of a pause is this worker's now
        refused, paused, pause_left, failure = applied
        if failure is not None:  # a full disk: every worker waiting on this commit stops, and so does the run
            self._failure = failure
            if batch is not None and not batch.done():
                batch.set_exception(failure)
                # Marked as seen: the run raises this failure itself (every later write and `close()`
                # do), so asyncio must not print it again for the outcomes nobody awaits.
                batch.exception()
        else:
            if refused and self._on_refused is not None:
                for line_number in sorted(refused):
                    self._on_refused(line_number)
            if paused and batch is not None:
                marking = [op for op in operations if op[0] == SENDING and op[1] in paused]
                asyncio.get_running_loop().call_later(pause_left, self._mark_again, marking, batch, refused)
            elif batch is not None and not batch.done():
                batch.set_result(frozenset(refused) if refused else None)
        if self._operations and not self._closed:
            self._commit()

    def _mark_again(
        self, marking: list[tuple[Any, ...]], batch: asyncio.Future[frozenset[int] | None], refused: set[int]
    ) -> None:
        """After a pause: the lines it held are marked in the next commit, whose outcome is the held batch's."""
        if self._closed or batch.done():  # the run ended meanwhile: the lines were never marked, nor sent
            return
        if self._failure is not None:  # a commit failed meanwhile: the held lines' workers stop with it
            batch.set_exception(self._failure)
            batch.exception()
            return
        later = None
        for operation in marking:
            later = self._submit(operation)
        assert later is not None

        def settle(done: asyncio.Future[frozenset[int] | None]) -> None:
            if batch.done():
                return
            if done.exception() is not None:
                batch.set_exception(done.exception())  # type: ignore[arg-type]
                batch.exception()
                return
            both = refused | set(done.result() or ())
            batch.set_result(frozenset(both) if both else None)

        later.add_done_callback(settle)

    def close(self) -> None:
        """Commit what is queued now: on the way out, even if the workers were cancelled mid-wait, so
        nothing acknowledged is lost; raise if any commit of the run failed."""
        self._closed = True
        if self._writer is not None:
            in_flight, self._in_flight = self._in_flight, None
            self._writer.shutdown(wait=True)  # the commit under way ends first: commits keep their order
            if in_flight is not None and in_flight.result()[3] is not None:
                self._failure = in_flight.result()[3]
        self._commit()
        if self._failure is not None:
            raise self._failure


async def send_remaining(
    client: AsyncClient,
    bulk_input: BulkInput | None,
    journal: CampaignJournal,
    *,
    concurrency: int,
    rate: float | None,
    resend_unknown: bool,
    progress: Progress | None,
    stop: asyncio.Event,
) -> str | None:
    """Send every line still to send; return why the run stopped early, if it did."""
    stopped_for: list[str] = []
    own_tokens: set[int] = set()  # lines in flight that brought their own biz_opaque_callback_data
    # Lines a shared journal marked `sending` with their claim (a batch in one commit), not yet handed to a
    # request: their mark is already committed, so they leave without a round trip of their own.
    premarked: set[int] = set()

    def accepted_meanwhile(line_number: int) -> None:
        # A status spoke for the line after its page was read (a line sent again on evidence whose late
        # status came after all): upstream took it, so it counts as sent, and is not sent again.
        own_tokens.discard(line_number)
        _advance(progress, sent=1)

    writes = GroupCommit(journal, on_refused=accepted_meanwhile, in_thread=is_shared(journal))

    def record(outcome: SendOutcome) -> None:
        # Not awaited: the worker's next `sending` write is committed with this one or after it, and the
        # worker waits for that; the last outcomes are committed by `close()`.
        match_by_id = outcome.index in own_tokens
        own_tokens.discard(outcome.index)
        if outcome.result is not None:
            _advance(progress, sent=1)
            writes.finish(outcome.index, ACCEPTED, message_id=outcome.result.message_id, match_by_id=match_by_id)
            return
        error = outcome.error
        assert error is not None
        if is_shared(journal) and is_pair_rate_limit(error):
            # Back to pending, for any worker to send once its wait is over (`not_before`, in the journal).
            writes.finish(outcome.index, PENDING, error=_describe(error), pair_limited=True)
            return
        if isinstance(error, FATAL_ERRORS):
            # Not this line's fault: it goes back to pending, and the run stops.
            if not stop.is_set():
                stopped_for.append(f"upstream refused the run: {error}")
                stop.set()
            state = PENDING
        elif error.maybe_delivered:
            _advance(progress, unknown=1)
            state = UNKNOWN
        else:
            _advance(progress, failed=1)
            state = PENDING if is_transient(error) else FAILED  # a pending line is tried again by a rerun
        writes.finish(outcome.index, state, error=_describe(error))

    def mark_sending(line_number: int, attempt: int) -> asyncio.Future[frozenset[int] | None]:
        # The journal knows before the request leaves whether the line's statuses will carry a d360 token:
        # a line killed mid-send that brought its own data can then never be resent on evidence. A line
        # the journal refuses is among what the future resolves to: send_many skips it.
        return writes.mark_sending(line_number, attempt, own_data=line_number in own_tokens)

    before_send: Callable[[int, int], Awaitable[frozenset[int] | None] | None] = mark_sending
    on_throttled = None
    local_rate = rate
    if is_shared(journal):
        shared = journal
        # One bucket per sending number: campaigns sent from one number share its rate and its pauses.
        shared.share_rate(rate_bucket_key(client._config.base_url, client._config.api_key))

        def throttled(line_number: int, error: RateLimitError, pause: float) -> bool:
            if is_pair_rate_limit(error):
                return True  # only this line waits: `record` puts it back with its not_before
            shared.pause(pause)  # every worker of every campaign on this number holds, on any machine
            return False

        on_throttled = throttled

        def premarked_leaves(line_number: int, attempt: int) -> Awaitable[frozenset[int] | None] | None:
            if shared.paused_for() > 0:
                # Held by a pause after its claim marked it: marked anew once it is over, so its send
                # time in the journal is when it leaves (the evidence rule compares send times).
                own_data = line_number in own_tokens
                return _after_pause(
                    shared, None, lambda: writes.mark_sending(line_number, attempt, own_data=own_data, again=True)
                )
            commit = writes.next_commit() if writes.unmarked_sends >= concurrency else None
            if commit is None:
                writes.unmarked_sends += 1
                return None  # committed with its batch: it leaves now
            # As many lines as requests in flight left since the last commit: this one waits for the next,
            # which says whether another worker's throttling answer paused the number meanwhile (as a line's
            # own mark did), so a pause stops this worker within a commit and `concurrency` sends.
            return _after_commit(commit, lambda: premarked_leaves(line_number, attempt))

        def unpaced(line_number: int, attempt: int) -> Awaitable[frozenset[int] | None] | None:
            if line_number in premarked:
                premarked.discard(line_number)
                return premarked_leaves(line_number, attempt)
            if shared.paused_for() > 0:  # known already: wait here rather than have the commit refused
                return _after_pause(shared, None, lambda: mark_sending(line_number, attempt))
            return mark_sending(line_number, attempt)

        before_send = unpaced
    if is_shared(journal) and rate:
        # One rate for the campaign, whatever the number of workers: each line leaves at a slot it took from
        # the journal with its batch, and this worker's own limiter stands aside (it still pauses on a 429).
        local_rate = None

        def paced(line_number: int, attempt: int) -> Awaitable[frozenset[int] | None]:
            # A retry takes one more slot (rare); a first try, the slot its batch took.
            at = shared.send_at(line_number, rate) if attempt == 1 else shared.reserve_slots(1, rate)
            return _at_its_slot(at, lambda: _after_pause(shared, rate, lambda: mark_sending(line_number, attempt)))

        before_send = paced

    states = journal.states_to_send(resend_unknown=resend_unknown)
    try:
        while True:
            if is_shared(journal):  # the journal hands this worker its lines, messages included
                lines = _claimed_lines(journal, states, own_tokens, accepted_meanwhile, rate, premarked)
            elif bulk_input is not None:
                lines = _lines_to_send(bulk_input, journal, states, own_tokens, accepted_meanwhile)
            else:
                raise JournalError("this journal keeps no messages: the run needs its input FILE")
            outcomes = send_many(
                client,
                lines,
                concurrency=concurrency,
                rate=local_rate,
                before_send=before_send,
                after_send=record,
                stop=stop,
                on_throttled=on_throttled,
            )
            async for _ in outcomes:
                pass  # each outcome was recorded by its worker, before that worker took another line
            # A worker of a shared campaign stays while others hold lines: if one dies, its lines come back
            # to be claimed. Waiting here, not inside the claiming, keeps this worker's own sends going.
            if not is_shared(journal) or stop.is_set() or not journal.held_by_others(states):
                break
            await asyncio.sleep(SHARED_WAIT)
    finally:
        writes.hand_back(premarked)
        writes.close()
    # Statuses with no d360 token that came before their line's own answer recorded its message id.
    journal.settle_by_status()
    if progress is not None:
        progress.finish()
    return stopped_for[0] if stopped_for else None


def _lines_to_send(
    bulk_input: BulkInput,
    journal: CampaignJournal,
    states: tuple[str, ...],
    own_tokens: set[int],
    accepted_meanwhile: Callable[[int], None],
) -> Iterator[NumberedMessage]:
    """Merge the input (streamed) with the journal's lines to send (paged), in line order; the numbers of
    lines that bring their own `biz_opaque_callback_data` are added to `own_tokens`.

    A line sent before (one sent again on evidence, or after a failure) is read again from the journal
    just before a worker takes it (a primary-key read): a status that came since its page was read shows
    upstream took it, and it goes to `accepted_meanwhile` instead. A line never sent cannot have a status.
    """
    wanted = journal.lines_in(states)
    next_wanted = next(wanted, None)
    for line in bulk_input.lines(validate=False):
        if next_wanted is None:
            return
        wanted_number, wanted_hash, attempts = next_wanted
        if line.line_number < wanted_number:
            continue
        if line.line_number > wanted_number or line.content_hash != wanted_hash:
            raise JournalError(f"line {wanted_number} differs from the one the journal recorded")
        if attempts and journal.has_status(wanted_number):
            accepted_meanwhile(wanted_number)
        elif line.message is not None:
            yield _with_token(journal, line.line_number, line.message, own_tokens)
        next_wanted = next(wanted, None)


async def _at_its_slot(at: float, mark: Callable[[], Awaitable[frozenset[int] | None]]) -> frozenset[int] | None:
    """Wait for a line's slot of the campaign's rate (monotonic clock), then mark it `sending` and wait for
    that commit: a line is `sending` only once it is about to leave."""
    delay = at - time.monotonic()
    if delay > 0:
        await asyncio.sleep(delay)
    return await mark()


async def _after_commit(
    commit: asyncio.Future[frozenset[int] | None],
    again: Callable[[], Awaitable[frozenset[int] | None] | None],
) -> frozenset[int] | None:
    """Wait for one of the worker's commits to end (a failed one raises here), then decide again."""
    await asyncio.shield(commit)
    decided = again()
    return None if decided is None else await decided


async def _after_pause(
    journal: SharedCampaignJournal, rate: float | None, mark: Callable[[], Awaitable[frozenset[int] | None]]
) -> frozenset[int] | None:
    """Mark a line once the sending number's pause (as this worker knows it) is over; with a shared `rate`,
    at a new slot, taken after the pause: the lines it held must not all leave at once when it ends."""
    while (pause := journal.paused_for()) > 0:
        await asyncio.sleep(pause)
        if rate:
            delay = journal.reserve_slots(1, rate) - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
    return await mark()


def _claimed_lines(
    journal: SharedCampaignJournal,
    states: tuple[str, ...],
    own_tokens: set[int],
    accepted_meanwhile: Callable[[int], None],
    rate: float | None = None,
    premarked: set[int] | None = None,
) -> Iterator[NumberedMessage]:
    """The lines the journal claims for this worker, as `_lines_to_send` gives them: a line sent before is
    checked for a status first, and a line gets its d360 token unless it brings its own data.

    With no shared rate, each batch is marked `sending` by the commit that claims it (its lines' numbers go
    to `premarked`): the claim found no status for them, in that same statement. With a rate, lines leave
    at their slots, spread over the batch's seconds: each is marked on its own when its slot comes."""
    if not rate and premarked is not None:
        for batch in journal.claimed_marked_lines(states):
            # Every line of the batch is marked now, before the first of them is handed out.
            premarked.update(line_number for line_number, _, _, marked in batch if marked)
            for line_number, message, attempts, marked in batch:
                if not marked and attempts and journal.has_status(line_number):
                    accepted_meanwhile(line_number)
                    continue
                if message is None:
                    raise JournalError(f"line {line_number} has no message in the journal: run with its input FILE")
                yield _with_token(journal, line_number, message, own_tokens)
        return
    for line_number, message, attempts in journal.claimed_lines(states, rate=rate):
        if attempts and journal.has_status(line_number):
            accepted_meanwhile(line_number)
            continue
        if message is None:
            raise JournalError(f"line {line_number} has no message in the journal: run with its input FILE")
        yield _with_token(journal, line_number, message, own_tokens)


def _with_token(
    journal: CampaignJournal, line_number: int, message: dict[str, Any], own_tokens: set[int]
) -> NumberedMessage:
    if "biz_opaque_callback_data" not in message:
        # Ties the line's status webhooks back to it (`d360 webhook listen --journal`).
        message = {**message, "biz_opaque_callback_data": journal.callback_token(line_number)}
    else:  # its statuses will carry the line's own data: they find it by its message id
        own_tokens.add(line_number)
    return NumberedMessage(line_number, message)


@attrs.frozen
class Settlement:
    """What waiting for status webhooks did to the lines of unknown fate."""

    unknown: int
    """Lines unknown when the wait began."""
    settled: int
    """Those a status showed upstream accepted: now accepted, never sent again."""
    resent: int
    """Those the statuses prove upstream never accepted: back to pending, to be sent again."""
    kept: int
    """Those nothing proves either way: still unknown."""
    without_token: int
    """Of those kept, lines sent without a d360 token (they brought their own `biz_opaque_callback_data`,
    so their statuses cannot find them without the message id their lost answer held), or by a d360 that
    did not record whether they carried one: they can never be proved (`Journal.unknown_without_token`)."""
    statuses_recorded: bool
    """Whether any status at all has reached the journal."""


async def settle_unknown(
    journal: CampaignJournal, seconds: float, *, stop: asyncio.Event | None = None, poll: float = 0.2
) -> Settlement:
    """Give status webhooks up to `seconds` to speak for the unknown lines (those they speak for are
    accepted), then send back to pending only the lines the statuses prove upstream never accepted (see
    `Journal.resend_unknown_with_evidence`); the others stay unknown. Set `stop` to end the wait early:
    then nothing is sent back, as the wait did not elapse. The wait ends early too once no line left can
    be settled by a status (`Journal.unknown_no_status_can_settle`): none of those is ever sent back."""
    loop = asyncio.get_running_loop()
    unknown = left = journal.counts()[UNKNOWN]
    deadline = loop.time() + seconds
    while True:
        journal.settle_by_status()
        left = journal.counts()[UNKNOWN]
        remaining = deadline - loop.time()
        if (
            not left
            or left <= journal.unknown_no_status_can_settle()
            or remaining <= 0
            or (stop is not None and stop.is_set())
        ):
            break
        await asyncio.sleep(min(poll, remaining))
    stopped = stop is not None and stop.is_set()
    resent = 0 if stopped or not left else journal.resend_unknown_with_evidence()
    return Settlement(
        unknown=unknown,
        settled=unknown - left,
        resent=resent,
        kept=left - resent,
        without_token=journal.unknown_without_token() if left else 0,
        statuses_recorded=journal.statuses_recorded(),
    )


def _advance(progress: Progress | None, *, sent: int = 0, failed: int = 0, unknown: int = 0) -> None:
    if progress is not None:
        progress.update(sent=sent, failed=failed, unknown=unknown)


def _describe(error: D360Error) -> str:
    return f"{type(error).__name__}: {error}"
