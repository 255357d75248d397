"""The 16:00 reminder and the earlier nudge: one private message per official who needs it.

An official gets one when their unit has work needing a report today that nobody in the unit
has reported on yet (handlers.tasks.daily). Nothing goes to officials who are inactive, not linked
to a unit, or reachable on no channel; each skip is counted with its reason (the counters end
up in the job's audit row and the log).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from handlers.i18n import resolve_locale, use_locale
from handlers.summaries.pushes import reminder_message
from handlers.tasks.daily import UnitDuty, day_bounds, duty_today
from handlers.tasks.my_tasks import with_unassigned_note
from handlers.types import Address, Outgoing
from scheduler.jobs import Job, JobConfig, JobResult, Push, pick_identity
from store.assignments import AssignmentView
from store.batching import UnitsArg
from store.db import Session
from store.duty import units_all_reported
from store.recipients import Official, linked_units, officials
from store.task_assignees import head_ids, open_assignees, own_share, unassigned_counts
from store.units import unit_names

logger = logging.getLogger(__name__)


async def reminder_pushes(
    session: Session, now: datetime, cfg: JobConfig, result: JobResult, *, kind: str
) -> list[Push]:
    """Today's reminder (or nudge) for every official whose unit has unreported work.

    Args:
        session: The job's (read-only) session.
        now: The moment the job runs for; reports up to it count as today's.
        cfg: Job settings.
        result: Counters to fill: skipped_<reason>.
        kind: `reminder` or `nudge` (the delivery kind and key prefix).

    Returns:
        One push per official to remind.
    """
    return list(await reminder_plan(session, now, cfg, result, kind=kind))


async def reminder_plan(
    session: Session, now: datetime, cfg: JobConfig, result: JobResult, *, kind: str
) -> Iterator[Push]:
    """Read what today's reminder needs; the pushes are then rendered as they are consumed.

    The job runner queues them in batches as they come, so ten thousand rendered messages
    with their buttons are never alive at once (see `reminder_pushes` for the arguments).
    The counters in `result` are complete once the pushes have all been consumed.
    """
    today = now.astimezone(cfg.tz).date()
    people = await officials(session)
    # Only units somebody active is linked to: the database picks them (no id list is bound).
    units = linked_units()
    duties = await duty_today(
        session, units, now=now, tz=cfg.tz, rules=cfg.rules, pending_only=True
    )
    start, _end = day_bounds(today, cfg.tz)
    reported = await units_all_reported(
        session,
        units,
        day=today,
        horizon_days=cfg.rules.horizon_days,
        reported_in=(start, now + timedelta(microseconds=1)),
    )
    names = await unit_names(session, units)
    shares = await _Shares.read(session, units, cfg, kind)
    return _pushes(people, duties, reported, names, shares, today, result)


def _pushes(
    people: list[Official],
    duties: dict[int, UnitDuty],
    reported: set[int],
    names: dict[int, str],
    shares: _Shares,
    today: date,
    result: JobResult,
) -> Iterator[Push]:
    """One push per official to remind, rendered as they are asked for; counts the skips."""
    kind = shares.kind
    # Unit by unit, so that a unit's rendered messages can be dropped when the next begins.
    for user in sorted(people, key=lambda u: u.unit_id or 0):
        if not user.active:
            result.counts["skipped_inactive"] += 1
            continue
        if user.unit_id is None:
            result.counts["skipped_unlinked"] += 1
            continue
        duty = duties.get(user.unit_id)
        if duty is None or not duty.pending:
            reason = "reported" if user.unit_id in reported else "no_open_work"
            result.counts[f"skipped_{reason}"] += 1
            continue
        pending = own_share(duty.pending, shares.handed, user.id)
        if not pending:
            result.counts["skipped_handed_to_others"] += 1
            continue
        identity = pick_identity(user, shares.cfg.channels)
        if identity is None:
            result.counts["skipped_unreachable"] += 1
            logger.info("%s: user %s has no reachable identity", kind, user.id)
            continue
        message = shares.message(user.id, user.unit_id, user.locale, pending, names, today)
        yield Push(
            key=f"{kind}:{today.isoformat()}:user{user.id}",
            kind=kind,
            address=Address(identity.channel, identity.chat_id, identity.external_id),
            outgoing=message,
            user_id=user.id,
        )


@dataclass(frozen=True, slots=True)
class _Shares:
    """Work a head handed out (assignment → officials), who the heads are, and per unit how
    much open work has nobody (told to heads at 16:00): see store.task_assignees."""

    handed: dict[int, set[int]]
    heads: set[int]
    nobody: dict[int, int]
    cfg: JobConfig
    kind: str
    # Everyone in a unit reads the same list: rendered once per unit and language (and per
    # share of work handed out, and once more for heads).
    rendered: dict[tuple[int, str, frozenset[int], bool], Outgoing] = field(default_factory=dict)

    def message(
        self,
        user_id: int,
        unit_id: int,
        locale: str | None,
        pending: list[AssignmentView],
        names: dict[int, str],
        today: date,
    ) -> Outgoing:
        """One official's reminder: their share of the unit's unreported work."""
        lang = resolve_locale(locale)
        head = user_id in self.heads
        mine = frozenset(v.id for v in pending if v.id in self.handed)
        key = (unit_id, lang, mine, head)
        if key not in self.rendered:
            if any(k[0] != unit_id for k in self.rendered):
                self.rendered.clear()  # the officials come unit by unit (see `_pushes`)
            with use_locale(lang):
                message = reminder_message(
                    pending,
                    today,
                    unit_name=names.get(unit_id, ""),
                    cutoff=self.cfg.reminder_time,
                    nudge=self.kind == "nudge",
                )
                if head and self.kind == "reminder":
                    message = with_unassigned_note(message, self.nobody.get(unit_id, 0))
            self.rendered[key] = message
        return self.rendered[key]

    @classmethod
    async def read(
        cls,
        session: Session,
        units: UnitsArg,
        cfg: JobConfig,
        kind: str,
    ) -> _Shares:
        # Every open handed-out assignment: only the unreported ones are looked up in it.
        handed = await open_assignees(session, units)
        heads = await head_ids(session, units)
        nobody = await unassigned_counts(session, units) if kind == "reminder" else {}
        return cls(handed, heads, nobody, cfg, kind)


async def _reminder(
    session: Session, now: datetime, cfg: JobConfig, r: JobResult
) -> Iterator[Push]:
    return await reminder_plan(session, now, cfg, r, kind="reminder")


async def _nudge(session: Session, now: datetime, cfg: JobConfig, r: JobResult) -> Iterator[Push]:
    return await reminder_plan(session, now, cfg, r, kind="nudge")


REMINDER = Job("reminder", at=lambda cfg: cfg.reminder_time, body=_reminder)
NUDGE = Job(
    "nudge",
    at=lambda cfg: cfg.nudge_time,
    body=_nudge,
    skip=lambda day, cfg: "disabled" if cfg.nudge_time is None else None,
    # Caught up late, a nudge at or after the reminder time would only repeat the reminder.
    until=lambda cfg: cfg.reminder_time,
)
