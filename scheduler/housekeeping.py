"""The daily housekeeping job: old processed-message marks, expired flows and expired web
sign-in links and sessions are purged.

Every handled update leaves a `ProcessedMessage` mark (so a platform's redelivery is not
handled twice) and every guided flow a `Conversation` row; left alone, both tables grow with
every message ever received. Once a day (03:00 local by default) the leader claims the day's
run like any job and deletes what is older than the configured ages in batches, one short
transaction per batch, yielding to chat messages between them.

The claim comes first here, unlike the push jobs (scheduler.jobs): housekeeping writes as it
goes, and a run that stops half-way leaves nothing wrong behind — the next day's run deletes
the rest.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from scheduler.jobs import JobConfig, JobResult, claim_run, finish_run
from store.db import Session, SessionMaker
from store.housekeeping import purge_conversations, purge_processed
from store.outbox import require_aware
from store.web_sessions import purge_expired

logger = logging.getLogger(__name__)

Purge = Callable[[Session, datetime, int], Awaitable[int]]


@dataclass(frozen=True, slots=True)
class Housekeeping:
    """The housekeeping job and its settings (NHACVIEC_HOUSEKEEPING_TIME and the ages).

    Attributes:
        at_time: Local time of the daily run.
        processed_age: Processed-message marks older than this are deleted.
        conversation_age: Flows that expired longer ago than this are deleted.
        batch: Rows per delete statement (and per transaction).
        name: The job's name (its claim and audit rows).
    """

    at_time: time = time(3, 0)
    processed_age: timedelta = timedelta(days=7)
    conversation_age: timedelta = timedelta(days=2)
    batch: int = 1000
    name: str = "housekeeping"

    def at(self, cfg: JobConfig) -> time | None:
        """When it runs each day (every day: weekends and holidays too)."""
        return self.at_time

    def until(self, cfg: JobConfig) -> time | None:
        """A late run is as good as an on-time one."""
        return None

    async def run(self, sessionmaker: SessionMaker, now: datetime, cfg: JobConfig) -> JobResult:
        """Claim today's run, then purge in batches; counts are `processed` and `flows`."""
        require_aware(now)
        today = now.astimezone(cfg.tz).date()
        result = JobResult(self.name, today, "done")
        async with sessionmaker() as session, session.begin():
            if not await claim_run(session, self.name, today, now):
                result.status = "already_ran"
                return result
        result.counts["processed"] = await purge_all(
            sessionmaker, purge_processed, now - self.processed_age, self.batch
        )
        result.counts["flows"] = await purge_all(
            sessionmaker, purge_conversations, now - self.conversation_age, self.batch
        )
        # Web sign-in links and sessions past their expiry (a handful a day).
        async with sessionmaker() as session, session.begin():
            if web := await purge_expired(session, now):
                result.counts["web_sessions"] = web
        async with sessionmaker() as session, session.begin():
            await finish_run(session, self.name, today, result, now)
        logger.info("%s", result.summary())
        return result


async def purge_all(sessionmaker: SessionMaker, purge: Purge, before: datetime, batch: int) -> int:
    """Run `purge` in its own short transactions until a batch comes back short."""
    total = 0
    while True:
        async with sessionmaker() as session, session.begin():
            deleted = await purge(session, before, batch)
        total += deleted
        if deleted < batch:
            return total
        await asyncio.sleep(0)  # let a waiting chat message take the write lock


HOUSEKEEPING = Housekeeping()
