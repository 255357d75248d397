"""The daily digest to linked group chats: per unit, overdue work and who has not reported.

Each active group with digests on gets one message about the units it is linked to, and only
those (an oversight group linked to many units gets all of them). A group whose units have
nothing overdue and nothing unreported gets nothing that day.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.daily import duty_today
from handlers.i18n import DEFAULT_LOCALE, use_locale
from handlers.pushes import DigestSection, OverdueItem, digest_message
from handlers.types import Address
from scheduler.jobs import Job, JobConfig, JobResult, Push, count_queued, enqueue_many, names_of
from store import assignments as q
from store.models import Chat, ChatUnit, Report, Unit

logger = logging.getLogger(__name__)


async def linked_chats(
    session: AsyncSession, *, oversight_only: bool = False
) -> list[tuple[Chat, list[int]]]:
    """Active group chats with their linked unit ids (digests on, or oversight groups).

    Args:
        session: The caller's session.
        oversight_only: Only oversight groups (for the scoreboard); otherwise every group
            with digests switched on.
    """
    stmt = (
        select(Chat, ChatUnit.unit_id)
        .join(ChatUnit, ChatUnit.chat_pk == Chat.id)
        .join(Unit, Unit.id == ChatUnit.unit_id)
        .where(Chat.active.is_(True), Unit.active.is_(True))
        .order_by(Chat.id, ChatUnit.unit_id)
    )
    if oversight_only:
        stmt = stmt.where(Chat.oversight.is_(True))
    else:
        stmt = stmt.where(Chat.digest_enabled.is_(True))
    chats: dict[int, Chat] = {}
    units: defaultdict[int, list[int]] = defaultdict(list)
    for chat, unit_id in (await session.execute(stmt)).all():
        chats[chat.id] = chat
        units[chat.id].append(unit_id)
    return [(chat, units[pk]) for pk, chat in chats.items()]


async def last_reports(
    session: AsyncSession, assignment_ids: Iterable[int]
) -> dict[int, tuple[datetime, int | None]]:
    """Time and percent of the newest report on each assignment that has one."""
    ids = list(assignment_ids)
    if not ids:
        return {}
    ranked = (
        select(
            Report.assignment_id,
            Report.created_at,
            Report.percent,
            func.row_number()
            .over(
                partition_by=Report.assignment_id,
                order_by=(Report.created_at.desc(), Report.id.desc()),
            )
            .label("n"),
        )
        .where(Report.assignment_id.in_(ids))
        .subquery()
    )
    rows = await session.execute(
        select(ranked.c.assignment_id, ranked.c.created_at, ranked.c.percent).where(
            ranked.c.n == 1
        )
    )
    return {aid: (at, percent) for aid, at, percent in rows.all()}


async def _digest(session: AsyncSession, now: datetime, cfg: JobConfig, r: JobResult) -> None:
    """Queue today's digest for every linked group that has something to read."""
    today = now.astimezone(cfg.tz).date()
    chats = await linked_chats(session)
    unit_ids = sorted({u for _chat, units in chats for u in units})
    duties = await duty_today(session, unit_ids, now=now, tz=cfg.tz, rules=cfg.rules)
    overdue: defaultdict[int, list] = defaultdict(list)
    for view in await q.overdue(session, unit_ids, today) if unit_ids else []:
        overdue[view.unit_id].append(view)
    latest = await last_reports(session, (v.id for vs in overdue.values() for v in vs))
    names = names_of(
        (
            await session.execute(
                select(Unit.id, Unit.name, Unit.short_name).where(Unit.id.in_(unit_ids))
            )
        ).all()
    )
    pushes: list[Push] = []
    for chat, units in chats:
        if cfg.channels is not None and chat.channel not in cfg.channels:
            r.counts["skipped_channel_unavailable"] += 1
            continue
        sections = []
        for uid in units:
            items = [OverdueItem(v, *latest.get(v.id, (None, None))) for v in overdue.get(uid, [])]
            pending = duties[uid].pending if uid in duties else []
            if items or pending:
                sections.append(DigestSection(names.get(uid, "?"), items, pending))
        if not sections:
            r.counts["skipped_nothing_to_report"] += 1
            continue
        days = {
            i.view.id: i.last_report_at.astimezone(cfg.tz).date()
            for s in sections
            for i in s.overdue
            if i.last_report_at is not None
        }
        # Groups have no language setting; they read the default (Vietnamese).
        with use_locale(DEFAULT_LOCALE):
            message = digest_message(sections, today, local_days=days, linked_units=len(units))
        key = f"digest:{today.isoformat()}:chat{chat.id}"
        pushes.append(Push(key, "digest", Address(chat.channel, chat.chat_id), message))
    count_queued(r, pushes, await enqueue_many(session, pushes, now))


DIGEST = Job("digest", at=lambda cfg: cfg.digest_time, body=_digest)
