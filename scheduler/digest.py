"""The daily digest to linked group chats: per unit, overdue work and who has not reported.

Each active group with digests on gets one message about the units it is linked to, and only
those (an oversight group linked to many units gets all of them). A group whose units have
nothing overdue and nothing unreported gets nothing that day.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.i18n import DEFAULT_LOCALE, use_locale
from handlers.summaries.pushes import DIGEST_OVERDUE, DigestSection, OverdueItem, digest_message
from handlers.tasks.daily import day_bounds
from handlers.types import Address
from scheduler.jobs import Job, JobConfig, JobResult, Push
from store import assignments as q
from store.duty import pending_numbers
from store.models import Chat, ChatUnit, Unit
from store.reports import last_reports, overdue_clauses, overdue_of
from store.units import unit_names

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


def digest_units() -> Select[tuple[int]]:
    """A select of the units linked to an active group with digests on (a subquery)."""
    return (
        select(ChatUnit.unit_id)
        .join(Chat, Chat.id == ChatUnit.chat_pk)
        .join(Unit, Unit.id == ChatUnit.unit_id)
        .where(Chat.active.is_(True), Chat.digest_enabled.is_(True), Unit.active.is_(True))
        .distinct()
    )


async def _digest(
    session: AsyncSession, now: datetime, cfg: JobConfig, r: JobResult
) -> list[Push]:
    """Today's digest for every linked group that has something to read."""
    today = now.astimezone(cfg.tz).date()
    chats = await linked_chats(session)
    units = digest_units()
    start, _end = day_bounds(today, cfg.tz)
    pending = await pending_numbers(
        session,
        units,
        day=today,
        horizon_days=cfg.rules.horizon_days,
        reported_in=(start, now + timedelta(microseconds=1)),
    )
    overdue, overdue_totals = await q.top_per_unit(
        session, units, overdue_clauses(today), DIGEST_OVERDUE, today
    )
    latest = await last_reports(session, overdue_of(units, today))
    names = await unit_names(session, units)
    pushes: list[Push] = []
    for chat, linked in chats:
        if cfg.channels is not None and chat.channel not in cfg.channels:
            r.counts["skipped_channel_unavailable"] += 1
            continue
        sections = []
        for uid in linked:
            items = [OverdueItem(v, *latest.get(v.id, (None, None))) for v in overdue.get(uid, [])]
            numbers = pending.get(uid, [])
            if items or numbers:
                name = names.get(uid, "?")
                total = overdue_totals.get(uid, 0)
                sections.append(DigestSection(name, items, numbers, total))
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
            message = digest_message(sections, today, local_days=days, linked_units=len(linked))
        key = f"digest:{today.isoformat()}:chat{chat.id}"
        pushes.append(Push(key, "digest", Address(chat.channel, chat.chat_id), message))
    return pushes


DIGEST = Job("digest", at=lambda cfg: cfg.digest_time, body=_digest)
