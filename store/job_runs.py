"""A scheduled job's run, claimed once per (job, day) by a `JobRun` row (see `scheduler.jobs`).

Functions that write take the session first and never commit: the job runner owns the
transactions (the claim is written last, in a short one).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update

from store.audit import audit
from store.db import Session, dialect_insert
from store.models import JobRun


async def claim_run(session: Session, job: str, run_on: date, now: datetime) -> bool:
    """Claim a job's run for a day; False if it was claimed before (or is being run now).

    INSERT ... ON CONFLICT DO NOTHING on the unique (job, run_on): a concurrent claimer waits
    for the first transaction and then inserts nothing.
    """
    if now.tzinfo is None:
        raise ValueError("naive datetime given for a job run")
    stmt = (
        dialect_insert(session)(JobRun)
        .values(job=job, run_on=run_on, started_at=now)
        .on_conflict_do_nothing(index_elements=["job", "run_on"])
        .returning(JobRun.id)
    )
    return (await session.execute(stmt)).scalar_one_or_none() is not None


async def is_claimed(session: Session, job: str, run_on: date) -> bool:
    """Whether a job's run for a day was claimed already (a read; `claim_run` decides)."""
    found = await session.scalar(
        select(JobRun.id).where(JobRun.job == job, JobRun.run_on == run_on)
    )
    return found is not None


async def mark_finished(
    session: Session, job: str, run_on: date, counts: dict[str, Any], end: datetime
) -> None:
    """Record a claimed run as finished, with its counters in the audit log.

    The counters (who was skipped and why, what was purged) stay there for the operators.
    """
    await session.execute(
        update(JobRun).where(JobRun.job == job, JobRun.run_on == run_on).values(finished_at=end)
    )
    audit(
        session,
        actor_id=None,
        action=f"job:{job}",
        target=run_on.isoformat(),
        detail=counts,
        now=end,
    )
