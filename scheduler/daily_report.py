"""The compiled daily report at the cut-off, and the weekly and monthly roll-ups (issue 13).

At the reporting cut-off (16:00, `NHACVIEC_REMINDER_TIME`), each unit that had work needing a
report gets one document (.docx, and the same data as .xlsx;
handlers.summaries.daily_report_build), sent through the outbox to the unit's oversight group(s)
and to the admins: per recipient, one summary message naming every unit of theirs, then each unit's
two files. On the first working day of a week (and of a month) the same job sends each oversight
group the roll-up of the week (month) before: text, chart, .docx and .xlsx.

Once per unit and day: the job's run is claimed per day (scheduler.jobs), and every delivery
key names the day (or period), the unit and the recipient, so a catch-up or a second run
queues nothing twice.

How the files travel: inline in the outbox row, as every attachment does (`Outgoing` payload,
base64). A unit's day is bounded by construction (notes cut, a few KB per task: 1,000 tasks
make about a few hundred KB, see tests/bench/bench_daily_report.py), so this stays far below
the platforms' upload limits; a file over `INLINE_LIMIT` is not queued, and the recipient is
told to ask for it with /baocao or `nhacviec daily-report` instead (a reply is sent directly,
never stored).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from handlers.i18n import DEFAULT_LOCALE, _, use_locale
from handlers.parsing.periods import Period, week_period
from handlers.summaries.daily_report_build import (
    DOCX,
    XLSX,
    compile_days,
    report_files,
    summary_message,
)
from handlers.summaries.documents.rollup_docs import (
    period_title,
    rollup_docx,
    rollup_text,
    rollup_xlsx,
)
from handlers.summaries.rollup import Rollup, compute_rollup, for_units, period_key
from handlers.types import Address, Attachment, Outgoing
from scheduler.chart import Bar, scoreboard_png
from scheduler.digest import linked_chats
from scheduler.jobs import Job, JobConfig, JobResult, Push, pick_identity
from scheduler.scoreboard import previous_month
from store.batching import chunks
from store.daily_report import UnitDayReport, admin_officials, units_needing_report

if TYPE_CHECKING:  # the session is only passed through to store functions
    from store.db import Session

logger = logging.getLogger(__name__)

#: Largest file queued inline in an outbox row.
INLINE_LIMIT = 8_000_000
#: Units compiled at a time (their documents are held until queued).
UNIT_CHUNK = 200

Target = tuple[str, Address, int | None]  # key part (`chat3`, `user7`), where, user id


async def _targets(
    session: Session, cfg: JobConfig, result: JobResult
) -> tuple[dict[int, list[Target]], list[Target]]:
    """Oversight groups by linked unit, and the admins' chats."""
    by_unit: dict[int, list[Target]] = {}
    for chat, units in await linked_chats(session, oversight_only=True):
        if cfg.channels is not None and chat.channel not in cfg.channels:
            result.counts["skipped_channel_unavailable"] += 1
            continue
        target = (f"chat{chat.id}", Address(chat.channel, chat.chat_id), None)
        for unit_id in units:
            by_unit.setdefault(unit_id, []).append(target)
    admins: list[Target] = []
    for person in await admin_officials(session):
        identity = pick_identity(person, cfg.channels)
        if identity is None:
            result.counts["skipped_admin_unreachable"] += 1
            continue
        address = Address(identity.channel, identity.chat_id, identity.external_id)
        admins.append((f"user{person.id}", address, person.id))
    return by_unit, admins


def _file_pushes(
    key: str, report: UnitDayReport, files: list[Attachment], targets: list[Target]
) -> list[Push]:
    pushes = []
    for tag, address, user_id in targets:
        for file in files:
            suffix = file.name.rsplit(".", 1)[-1]
            if len(file.content) > INLINE_LIMIT:
                text = _(
                    "The report of {unit} is too large to send here: ask for it with /baocao "
                    "or `nhacviec daily-report`."
                ).format(unit=report.unit_name)
                outgoing = Outgoing(text)
            else:
                outgoing = Outgoing("", attachments=[file])
            pushes.append(
                Push(
                    f"{key}:unit{report.unit_id}:{tag}:{suffix}",
                    "daily_report",
                    address,
                    outgoing,
                    user_id,
                )
            )
    return pushes


async def daily_report_pushes(
    session: Session, now: datetime, cfg: JobConfig, result: JobResult
) -> list[Push]:
    """Each unit's compiled day to its oversight groups and the admins (see the module)."""
    day = now.astimezone(cfg.tz).date()
    key = f"daily_report:{day.isoformat()}"
    by_unit, admins = await _targets(session, cfg, result)
    units = await units_needing_report(session, day=day, horizon_days=cfg.rules.horizon_days)
    summaries: dict[str, tuple[Target, list[UnitDayReport]]] = {}
    files: list[Push] = []
    for part in chunks(units, UNIT_CHUNK):
        reports = await compile_days(session, part, day=day, now=now, tz=cfg.tz, rules=cfg.rules)
        for unit_id, report in reports.items():
            targets = by_unit.get(unit_id, []) + admins
            if not targets:
                result.counts["skipped_no_recipient"] += 1
                continue
            # Documents are filed in the default language (Vietnamese); a thread builds them.
            with use_locale(DEFAULT_LOCALE):
                attachments = await asyncio.to_thread(report_files, report, cfg.tz)
            result.counts["units"] += 1
            files += _file_pushes(key, report, attachments, targets)
            for target in targets:
                summaries.setdefault(target[0], (target, []))[1].append(_light(report))
    texts = []
    with use_locale(DEFAULT_LOCALE):
        for (tag, address, user_id), reports in summaries.values():
            text = summary_message(reports, day, cfg.tz)
            texts.append(Push(f"{key}:{tag}", "daily_report", address, Outgoing(text), user_id))
    # The summaries come first (lower row ids), so each recipient reads them before the files.
    return texts + files + await _rollup_pushes(session, now, cfg, result)


def _light(report: UnitDayReport) -> UnitDayReport:
    """The report without its notes (a summary only counts): memory stays per unit small."""
    for item in report.items:
        if item.notes:
            item.notes = item.notes[-1:]
    return report


def rollup_periods(day: date, cfg: JobConfig) -> list[Period]:
    """The roll-ups due on `day`: last week's on the week's first working day, last month's
    on the month's first working day."""
    due = []
    monday = day - timedelta(days=day.weekday())
    if cfg.calendar.next_workday(monday, inclusive=True) == day:
        due.append(week_period(monday - timedelta(days=7), "week"))
    if cfg.calendar.first_workday_of_month(day.year, day.month) == day:
        month = previous_month(day)
        due.append(Period(month.start, month.end, "month"))
    return due


async def _rollup_pushes(
    session: Session, now: datetime, cfg: JobConfig, result: JobResult
) -> list[Push]:
    periods = rollup_periods(now.astimezone(cfg.tz).date(), cfg)
    if not periods:
        return []
    chats = await linked_chats(session, oversight_only=True)
    unit_ids = sorted({u for _chat, units in chats for u in units})
    pushes: list[Push] = []
    for period in periods:
        everyone = await compute_rollup(
            session, unit_ids, period, now=now, tz=cfg.tz, rules=cfg.rules
        )
        for chat, units in chats:
            if cfg.channels is not None and chat.channel not in cfg.channels:
                continue
            rollup = for_units(everyone, units)
            if not rollup.rows:
                continue
            with use_locale(DEFAULT_LOCALE):
                messages = await asyncio.to_thread(_rollup_messages, rollup, chat.title)
            key = f"rollup:{period_key(period)}:chat{chat.id}"
            address = Address(chat.channel, chat.chat_id)
            for part, message in messages:
                pushes.append(Push(key + part, "rollup", address, message))
            result.counts["rollups"] += 1
    return pushes


def _rollup_messages(rollup: Rollup, body: str) -> list[tuple[str, Outgoing]]:
    """Text, chart, .docx and .xlsx of one group's roll-up, with their key suffixes
    (CPU-bound: run in a worker thread)."""
    stem = f"tong-hop-{period_key(rollup.period)}"
    bars = [Bar(r.score.name, r.score.score) for r in rollup.rows]
    messages = [("", Outgoing(rollup_text(rollup)))]
    png = None
    if any(b.score is not None for b in bars):
        png = scoreboard_png(bars, title=period_title(rollup), xlabel=_("Score (out of 100)"))
        chart = Attachment(stem + ".png", png, "image/png")
        messages.append((":chart", Outgoing("", attachments=[chart])))
    docx = rollup_docx(rollup, body=body or _("Oversight group"), chart_png=png)
    xlsx = rollup_xlsx(rollup)
    messages.append((":docx", Outgoing("", attachments=[Attachment(stem + ".docx", docx, DOCX)])))
    messages.append((":xlsx", Outgoing("", attachments=[Attachment(stem + ".xlsx", xlsx, XLSX)])))
    return messages


async def _daily(session: Session, now: datetime, cfg: JobConfig, r: JobResult) -> list[Push]:
    return await daily_report_pushes(session, now, cfg, r)


DAILY_REPORT = Job("daily_report", at=lambda cfg: cfg.reminder_time, body=_daily)
