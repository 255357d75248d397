"""The daily digest to linked group chats: per unit, overdue work and who has not reported.

Each active group with digests on gets one message about the units it is linked to, and only
those (an oversight group linked to many units gets all of them). A group whose units have
nothing overdue and nothing unreported gets nothing that day.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from handlers.i18n import DEFAULT_LOCALE, use_locale
from handlers.summaries.pushes import DIGEST_OVERDUE, DigestSection, OverdueItem, digest_message
from handlers.tasks.daily import day_bounds
from handlers.types import Address
from scheduler.jobs import Job, JobConfig, JobResult, Push
from store import assignments as q
from store.db import Session
from store.duty import pending_numbers
from store.recipients import digest_units, linked_chats
from store.reports import last_reports, overdue_clauses, overdue_of
from store.units import unit_names

logger = logging.getLogger(__name__)


async def _digest(session: Session, now: datetime, cfg: JobConfig, r: JobResult) -> list[Push]:
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
    for n, (chat, linked) in enumerate(chats):
        if n % 10 == 9:
            await asyncio.sleep(0)  # let chat messages in between: this loop is CPU-bound
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
