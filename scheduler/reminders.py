"""The 16:00 reminder and the earlier nudge: one private message per official who needs it.

An official gets one when their unit has work needing a report today that nobody in the unit
has reported on yet (handlers.daily). Nothing goes to officials who are inactive, not linked
to a unit, or reachable on no channel; each skip is counted with its reason (the counters end
up in the job's audit row and the log).
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from handlers.daily import duty_today
from handlers.i18n import resolve_locale, use_locale
from handlers.pushes import reminder_message
from handlers.types import Address, Outgoing
from scheduler.jobs import (
    Job,
    JobConfig,
    JobResult,
    Push,
    count_queued,
    enqueue_many,
    names_of,
    pick_identity,
)
from store.models import Unit, User

logger = logging.getLogger(__name__)


async def _officials(session: AsyncSession) -> list[User]:
    return list(
        await session.scalars(
            select(User).options(selectinload(User.identities)).order_by(User.id)
        )
    )


async def queue_reminders(
    session: AsyncSession, now: datetime, cfg: JobConfig, result: JobResult, *, kind: str
) -> None:
    """Queue today's reminder (or nudge) for every official whose unit has unreported work.

    Args:
        session: The job's session (its transaction holds the claim).
        now: The moment the job runs for; reports up to it count as today's.
        cfg: Job settings.
        result: Counters to fill: queued, already_queued and skipped_<reason>.
        kind: `reminder` or `nudge` (the delivery kind and key prefix).
    """
    today = now.astimezone(cfg.tz).date()
    users = await _officials(session)
    linked = [u for u in users if u.active and u.unit_id is not None]
    unit_ids = {u.unit_id for u in linked if u.unit_id is not None}
    duties = await duty_today(session, unit_ids, now=now, tz=cfg.tz, rules=cfg.rules)
    names = names_of(
        (
            await session.execute(
                select(Unit.id, Unit.name, Unit.short_name).where(Unit.id.in_(list(duties)))
            )
        ).all()
    )
    pushes: list[Push] = []
    # Everyone in a unit reads the same list: render it once per unit and language.
    rendered: dict[tuple[int, str], Outgoing] = {}
    for user in users:
        if not user.active:
            result.counts["skipped_inactive"] += 1
            continue
        if user.unit_id is None:
            result.counts["skipped_unlinked"] += 1
            continue
        duty = duties.get(user.unit_id)
        if duty is None:
            result.counts["skipped_no_open_work"] += 1
            continue
        if not duty.pending:
            result.counts["skipped_reported"] += 1
            continue
        identity = pick_identity(user, cfg.channels)
        if identity is None:
            result.counts["skipped_unreachable"] += 1
            logger.info("%s: user %s has no reachable identity", kind, user.id)
            continue
        locale = resolve_locale(user.locale)
        message = rendered.get((user.unit_id, locale))
        if message is None:
            with use_locale(locale):
                message = reminder_message(
                    duty.pending,
                    today,
                    unit_name=names.get(user.unit_id, ""),
                    cutoff=cfg.reminder_time,
                    nudge=kind == "nudge",
                )
            rendered[(user.unit_id, locale)] = message
        pushes.append(
            Push(
                key=f"{kind}:{today.isoformat()}:user{user.id}",
                kind=kind,
                address=Address(identity.channel, identity.chat_id, identity.external_id),
                outgoing=message,
                user_id=user.id,
            )
        )
    count_queued(result, pushes, await enqueue_many(session, pushes, now))


async def _reminder(session: AsyncSession, now: datetime, cfg: JobConfig, r: JobResult) -> None:
    await queue_reminders(session, now, cfg, r, kind="reminder")


async def _nudge(session: AsyncSession, now: datetime, cfg: JobConfig, r: JobResult) -> None:
    await queue_reminders(session, now, cfg, r, kind="nudge")


REMINDER = Job("reminder", at=lambda cfg: cfg.reminder_time, body=_reminder)
NUDGE = Job(
    "nudge",
    at=lambda cfg: cfg.nudge_time,
    body=_nudge,
    skip=lambda day, cfg: "disabled" if cfg.nudge_time is None else None,
    # Caught up late, a nudge at or after the reminder time would only repeat the reminder.
    until=lambda cfg: cfg.reminder_time,
)
