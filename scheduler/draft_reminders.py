"""The morning draft reminder: an import draft must not expire without its admin knowing.

Every working morning the admin who made an open import draft hears about it when it expires
within the next two working days (so a draft expiring on Monday is announced from Thursday),
once a day, with the review's buttons; and once more, once, after it expired unconfirmed.

Single messages, across replicas and restarts, come from the job runner (one claimed run per
day) and from the outbox keys: ``draft_reminder:<day>:draft<id>`` (one a day) and
``draft_expired:draft<id>`` (one ever). Expired drafts are looked for over the last
`LAPSED_WINDOW`, long enough to span Tết (the job only runs on working days), short enough
that drafts that expired long before this job existed are not announced.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

from handlers.directives.draft_reminders import expiring_message, lapsed_message
from handlers.i18n import resolve_locale, use_locale
from handlers.types import Address, Outgoing
from scheduler.jobs import Job, JobConfig, JobResult, Push, pick_identity
from store.db import Session
from store.import_draft_reminders import draft_authors, drafts_expiring, drafts_lapsed
from store.import_drafts import DraftView, view_draft
from store.models import User
from store.registry import UnitRegistry

logger = logging.getLogger(__name__)

#: Local time of the daily run: the start of the working morning.
DRAFT_REMINDER_TIME = time(8, 0)
#: A run caught up later than this (the process was down) waits for the next working day.
DRAFT_REMINDER_UNTIL = time(17, 0)
#: How many working days ahead an expiry is announced.
AHEAD_WORKDAYS = 2
#: How far back an expiry is still announced.
LAPSED_WINDOW = timedelta(days=14)


def announce_before(today: date, cfg: JobConfig) -> datetime:
    """Drafts expiring before this moment are announced today (the end of the last day)."""
    last = today
    for _ in range(AHEAD_WORKDAYS):
        last = cfg.calendar.next_workday(last)
    return datetime.combine(last + timedelta(days=1), time(0), cfg.tz)


async def draft_pushes(
    session: Session, now: datetime, cfg: JobConfig, result: JobResult
) -> list[Push]:
    """Today's reminders of drafts about to expire, and the notices of drafts that expired.

    Args:
        session: The job's (read-only) session.
        now: The moment the job runs for.
        cfg: Job settings (zone, calendar, channels).
        result: Counters to fill: expiring, expired and skipped_<reason>.

    Returns:
        One push per draft to tell its admin about.
    """
    today = now.astimezone(cfg.tz).date()
    expiring = await drafts_expiring(session, now, announce_before(today, cfg))
    lapsed = await drafts_lapsed(session, now, now - LAPSED_WINDOW)
    if not expiring and not lapsed:
        return []
    authors = await draft_authors(
        session, {d.created_by for d in (*expiring, *lapsed) if d.created_by is not None}
    )
    registry = await UnitRegistry.load(session)
    pushes: list[Push] = []
    for drafts, kind in ((expiring, "draft_reminder"), (lapsed, "draft_expired")):
        for draft in drafts:
            author = authors.get(draft.created_by) if draft.created_by is not None else None
            address = _address(author, cfg, result)
            if author is None or address is None:
                continue
            view = await view_draft(session, draft, registry)
            with use_locale(resolve_locale(author.locale)):
                message = _message(view, kind, cfg, today)
            key = (
                f"draft_reminder:{today.isoformat()}:draft{draft.id}"
                if kind == "draft_reminder"
                else f"draft_expired:draft{draft.id}"
            )
            pushes.append(Push(key, kind, address, message, user_id=author.id))
            result.counts["expiring" if kind == "draft_reminder" else "expired"] += 1
    return pushes


def _address(author: User | None, cfg: JobConfig, result: JobResult) -> Address | None:
    """Where the draft's admin is reached, or None after counting why they cannot be."""
    if author is None:
        result.counts["skipped_no_author"] += 1  # made from the command line, or user removed
        return None
    if not author.active:
        result.counts["skipped_inactive"] += 1
        return None
    identity = pick_identity(author, cfg.channels)
    if identity is None:
        result.counts["skipped_unreachable"] += 1
        logger.info("draft reminder: user %s has no reachable identity", author.id)
        return None
    return Address(identity.channel, identity.chat_id, identity.external_id)


def _message(view: DraftView, kind: str, cfg: JobConfig, today: date) -> Outgoing:
    if kind == "draft_reminder":
        return expiring_message(view, cfg.tz, today)
    return lapsed_message(view, cfg.tz)


DRAFT_REMINDER = Job(
    "draft_reminder",
    at=lambda cfg: DRAFT_REMINDER_TIME,
    body=draft_pushes,
    until=lambda cfg: DRAFT_REMINDER_UNTIL,
)
