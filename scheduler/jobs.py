"""Running a scheduled job: decide its pushes, queue them in short transactions, then claim.

A job body never sends or writes anything itself: it reads the database and returns the
pushes it wants, and the dispatcher sends the `Delivery` rows they become, keyed like
`reminder:2025-07-15:user42`. The run is recorded by a `JobRun` claim row unique per
(job, day):

- a run already claimed is not even computed (a restart, `nhacviec remind --now`, a second
  replica);
- the rows are written in batches, each in its own short transaction (on SQLite the
  database-wide write lock is held for milliseconds at a time, so chat messages, which also
  write, are not kept waiting for the whole fan-out), and the claim comes last, with the audit
  row, once every row is in;
- a run that crashes half-way has no claim, so the catch-up at the next start runs it again:
  the delivery keys (INSERT ... ON CONFLICT DO NOTHING) make the rows it already wrote stay
  single, and it writes the rest;
- two runs at once both write (harmlessly, by key) and only one of them claims.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import islice
from typing import Protocol
from zoneinfo import ZoneInfo

from handlers.tasks.daily import ReportRules
from handlers.types import Address, Outgoing
from scheduler.calendar import WorkCalendar
from scheduler.collector import job_pace
from scheduler.outbox.enqueue import BATCH, delivery_row, enqueue_rows
from store.db import Session, SessionMaker
from store.job_runs import claim_run, is_claimed, mark_finished
from store.outbox import require_aware

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class JobConfig:
    """What the jobs need to know (built by the app from its settings).

    Attributes:
        tz: Local zone of the times below and of "today".
        calendar: Working days (weekends, public holidays, swapped days).
        rules: Reporting rules: cut-off (the reminder time), horizon, score weights.
        nudge_time: The earlier nudge, or None when it is switched off.
        digest_time: The group digest.
        scoreboard_time: The monthly scoreboard, on the first working day.
        channels: Channels pushes may use; None means any (an identity on a channel that is
            not configured here would never be delivered to).
        quiet_after: A job caught up late (the process was down at its time) does not start
            at or after this local time: nobody wants the 16:00 reminder at 23:00. None lets
            the catch-up run until midnight.
    """

    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Ho_Chi_Minh"))
    calendar: WorkCalendar = field(default_factory=WorkCalendar)
    rules: ReportRules = field(default_factory=ReportRules)
    nudge_time: time | None = time(15, 0)
    digest_time: time = time(16, 30)
    scoreboard_time: time = time(8, 30)
    channels: frozenset[str] | None = None
    quiet_after: time | None = time(21, 0)

    @property
    def reminder_time(self) -> time:
        """The daily reminder goes out at the reporting cut-off."""
        return self.rules.cutoff


@dataclass(slots=True)
class JobResult:
    """What one run did: `status` is `done`, `already_ran`, `not_workday` or `not_due`."""

    job: str
    day: date
    status: str
    counts: Counter[str] = field(default_factory=Counter)
    keys: list[str] = field(default_factory=list)

    @property
    def queued(self) -> int:
        """Deliveries written by this run."""
        return self.counts["queued"]

    def summary(self) -> str:
        """One line for logs and the CLI."""
        counts = ", ".join(f"{k} {v}" for k, v in sorted(self.counts.items()) if v)
        return f"{self.job} {self.day.isoformat()}: {self.status}" + (
            f" ({counts})" if counts else ""
        )


#: A job's body: reads what it needs (never writes) and returns the pushes to queue, as a list
#: or as an iterator that renders them lazily from what was read (it may not use the session).
Body = Callable[[Session, datetime, JobConfig, JobResult], Awaitable[Iterable["Push"]]]


@dataclass(frozen=True, slots=True)
class Job:
    """A scheduled job: its name, when it runs, which day a run is claimed for, its body.

    `claim_day` maps the local day of the run to the day the claim is for (the monthly
    scoreboard claims its month); `skip` may decline a day before anything is claimed;
    `until` is the local time after which a late (caught-up) run no longer makes sense;
    `any_day` runs on weekends and holidays too (a manual run an operator asked for).
    """

    name: str
    at: Callable[[JobConfig], time | None]
    body: Body
    claim_day: Callable[[date], date] = lambda day: day
    skip: Callable[[date, JobConfig], str | None] = lambda day, cfg: None
    until: Callable[[JobConfig], time | None] = lambda cfg: None
    any_day: bool = False


@dataclass(frozen=True, slots=True)
class Push:
    """One delivery a job wants queued."""

    key: str
    kind: str
    address: Address
    outgoing: Outgoing
    user_id: int | None = None


async def enqueue_many(
    session: Session, pushes: Sequence[Push], now: datetime, *, batch: int = BATCH
) -> set[str]:
    """Queue a job's pushes in bulk, skipping keys already queued (see `enqueue_rows`).

    Args:
        session: The job's session (not committed here).
        pushes: The deliveries.
        now: Current time (timezone-aware); the rows are due at once.
        batch: Rows per statement.

    Returns:
        The keys inserted by this call.
    """
    require_aware(now)
    rows = [
        delivery_row(
            key=p.key,
            kind=p.kind,
            address=p.address,
            payload=p.outgoing.to_payload(),
            user_id=p.user_id,
            now=now,
        )
        for p in pushes
    ]
    return await enqueue_rows(session, rows, batch=batch)


def count_queued(result: JobResult, keys: Sequence[str], inserted: set[str]) -> None:
    """Add queued / already_queued counts and the keys to a job's result."""
    for key in keys:
        result.counts["queued" if key in inserted else "already_queued"] += 1
        result.keys.append(key)


async def run_job(
    sessionmaker: SessionMaker,
    job: Job,
    now: datetime,
    cfg: JobConfig,
    *,
    finished: Callable[[], datetime] | None = None,
) -> JobResult:
    """Run a job for the moment `now`: skip non-working days, compute, queue and claim.

    Args:
        sessionmaker: Session factory: one read-only session for the body, then short
            transactions for the deliveries and, last, the claim.
        job: The job to run.
        now: The moment the run stands for (timezone-aware): its local day and time decide
            what is due and who has reported.
        cfg: Job settings.
        finished: Clock for the end time recorded on the claim (defaults to `now`).

    Returns:
        What happened, with counters (queued, already queued, skipped and why).
    """
    require_aware(now)
    today = now.astimezone(cfg.tz).date()
    result = JobResult(job.name, today, "done")
    if not job.any_day and not cfg.calendar.is_workday(today):
        result.status = "not_workday"
        logger.info("%s", result.summary())
        return result
    reason = job.skip(today, cfg)
    if reason is not None:
        result.status = reason
        logger.info("%s", result.summary())
        return result
    run_on = job.claim_day(today)
    with job_pace():
        async with sessionmaker() as session:
            if await is_claimed(session, job.name, run_on):
                return _already_ran(result)
            pushes = await job.body(session, now, cfg, result)
        keys, inserted = await _queue(sessionmaker, pushes, now)
    async with sessionmaker() as session, session.begin():
        if not await claim_run(session, job.name, run_on, now):
            return _already_ran(result)
        count_queued(result, keys, inserted)
        await finish_run(session, job.name, run_on, result, finished() if finished else now)
    logger.info("%s", result.summary())
    return result


async def _queue(
    sessionmaker: SessionMaker, pushes: Iterable[Push], now: datetime
) -> tuple[list[str], set[str]]:
    """Write a job's pushes in batches, each batch in its own transaction, in order.

    The pushes are consumed as they come (a body may render them lazily): ten thousand
    reminders with their buttons are a few hundred thousand objects, which need not all be
    alive at once.

    Returns:
        Every push's key, in order, and the keys this run inserted.
    """
    keys: list[str] = []
    inserted: set[str] = set()
    pending = iter(pushes)
    while batch := list(islice(pending, BATCH)):
        keys += [p.key for p in batch]
        async with sessionmaker() as session, session.begin():
            inserted |= await enqueue_many(session, batch, now)
    return keys, inserted


async def finish_run(
    session: Session, job: str, run_on: date, result: JobResult, end: datetime
) -> None:
    """Record a claimed run as finished, with its counters in the audit log."""
    await mark_finished(session, job, run_on, dict(result.counts), end)


def _already_ran(result: JobResult) -> JobResult:
    result.status = "already_ran"
    result.counts.clear()
    logger.info("%s", result.summary())
    return result


class Reachable(Protocol):
    """What `pick_identity` reads of an identity (an ORM `Identity` or a `store.recipients`
    row)."""

    id: int
    channel: str
    chat_id: str
    reachable: bool
    last_seen_at: datetime | None


class Person(Protocol):
    """What `pick_identity` reads of an official."""

    preferred_channel: str | None

    @property
    def identities(self) -> Sequence[Reachable]: ...


def pick_identity(user: Person, channels: Collection[str] | None = None) -> Reachable | None:
    """The identity to push to: the preferred channel's, else the most recently seen one.

    Only reachable identities count (the outbox marks a blocked one unreachable), and, when
    `channels` is given, only those on a channel this deployment can send on.

    Args:
        user: The official, with `identities` loaded.
        channels: Channel names available, or None for any.

    Returns:
        The identity, or None when the official cannot be reached.
    """
    usable = [
        i
        for i in user.identities
        if i.reachable and i.chat_id and (channels is None or i.channel in channels)
    ]
    if not usable:
        return None

    def recency(i: Reachable) -> tuple[bool, float, int]:
        seen = i.last_seen_at
        return (seen is not None, seen.timestamp() if seen else 0.0, i.id)

    preferred = [i for i in usable if i.channel == user.preferred_channel]
    return max(preferred or usable, key=recency)


def names_of(units: Iterable[tuple[int, str, str | None]]) -> dict[int, str]:
    """Display names by unit id from (id, name, short name) rows: the short name if any."""
    return {uid: short or name for uid, name, short in units}
