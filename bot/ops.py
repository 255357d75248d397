"""The operator's one-shot commands: jobs run by hand, the export and the scores.

`nhacviec remind|digest [--now ISO]` and `nhacviec score --send` run a job for a moment through
the same path as the scheduler (claim the run, queue deliveries in the outbox) and then drain
the outbox once with the configured channels. Running one twice, or while `nhacviec run` is up,
sends nothing twice: the claim and the delivery keys see to it, and the dispatchers of both
processes only ever send rows they hold a lease on.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import open_app, report_rules_from
from bot.config import ConfigError, Settings
from bot.push_runtime import drain, job_config, sending_channels
from handlers.i18n import _, use_locale
from handlers.periods import Period, month_period
from handlers.types import Channel
from scheduler.jobs import Job, JobResult, run_job
from scheduler.outbox_send import Clock
from store.models import Delivery, DeliveryStatus, Unit
from store.registry import UnitRegistry

_STATUS_ORDER = (
    DeliveryStatus.SENT,
    DeliveryStatus.PENDING,
    DeliveryStatus.SENDING,
    DeliveryStatus.UNREACHABLE,
    DeliveryStatus.FAILED,
)


def parse_now(value: str | None, settings: Settings) -> datetime:
    """`--now`: an ISO date-time, local (NHACVIEC_TIMEZONE) when it names no offset."""
    if not value:
        return datetime.now(settings.tz)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"--now: not an ISO date-time: {value!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=settings.tz)


async def delivery_counts(
    sessionmaker: async_sessionmaker[AsyncSession], prefix: str
) -> dict[str, int]:
    """Deliveries whose key starts with `prefix`, counted by status."""
    async with sessionmaker() as s:
        rows = await s.execute(
            select(Delivery.status, func.count())
            .where(Delivery.key.startswith(prefix, autoescape=True))
            .group_by(Delivery.status)
        )
        return {status.value: n for status, n in rows.all()}


async def run_and_send(
    settings: Settings,
    job: Job,
    now: datetime,
    prefix: str,
    *,
    channels: Mapping[str, Channel] | None = None,
    clock: Clock | None = None,
) -> tuple[JobResult, dict[str, int], list[str]]:
    """Run `job` for `now`, then drain the outbox once with the configured channels.

    Returns:
        The run's result, its deliveries by status, and the channels used.
    """
    async with open_app(settings) as app:
        chans = (
            dict(channels)
            if channels is not None
            else sending_channels(settings, app.sessionmaker)
        )
        try:
            result = await run_job(app.sessionmaker, job, now, job_config(settings))
            if chans:
                await drain(app.sessionmaker, chans, prefix, clock=clock)
            counts = await delivery_counts(app.sessionmaker, prefix)
        finally:
            for channel in chans.values():
                await channel.stop()
    return result, counts, sorted(chans)


def print_run(
    result: JobResult, counts: dict[str, int], channels: list[str], *, as_json: bool
) -> None:
    """Print what a one-shot run did (a summary line, or JSON)."""
    if as_json:
        data = {
            "job": result.job,
            "day": result.day.isoformat(),
            "status": result.status,
            "counts": dict(result.counts),
            "deliveries": counts,
            "channels": channels,
        }
        print(json.dumps(data, ensure_ascii=False))
        return
    print(result.summary())
    if not channels:
        queued = counts.get(DeliveryStatus.PENDING.value, 0)
        print(
            f"no channel configured (set TELEGRAM_BOT_TOKEN or ZALO_*): {queued} deliveries stay "
            "queued for `nhacviec run` to send"
        )
        return
    order = [s.value for s in _STATUS_ORDER]
    summary = ", ".join(f"{counts[s]} {s}" for s in order if counts.get(s)) or "none"
    print(f"deliveries via {', '.join(channels)}: {summary}")


async def remind(settings: Settings, args: argparse.Namespace) -> int:
    """`nhacviec remind [--now ISO] [--nudge] [--json]`: the 16:00 reminder (or nudge) now."""
    from scheduler.reminders import NUDGE, REMINDER

    job = NUDGE if args.nudge else REMINDER
    if args.nudge and not settings.nudge_enabled:
        print("nhacviec: the nudge is switched off (NHACVIEC_NUDGE_ENABLED)", file=sys.stderr)
        return 1
    now = parse_now(args.now, settings)
    day = now.astimezone(settings.tz).date()
    result, counts, used = await run_and_send(settings, job, now, f"{job.name}:{day}:")
    print_run(result, counts, used, as_json=args.json)
    return 0


async def digest(settings: Settings, args: argparse.Namespace) -> int:
    """`nhacviec digest [--now ISO] [--json]`: the group digest now."""
    from scheduler.digest import DIGEST

    now = parse_now(args.now, settings)
    day = now.astimezone(settings.tz).date()
    result, counts, used = await run_and_send(settings, DIGEST, now, f"digest:{day}:")
    print_run(result, counts, used, as_json=args.json)
    return 0


async def find_unit(session: AsyncSession, name: str) -> Unit | None:
    """A unit by code, or by name/abbreviation as the importer matches them; None if unsure."""
    unit = await session.scalar(select(Unit).where(Unit.code == name))
    if unit is not None:
        return unit
    registry = await UnitRegistry.load(session)
    match = registry.match(name)
    if match.unit is None or match.unit.id is None:
        names = "; ".join(c.name for c, _s in match.candidates[:5]) or "-"
        print(f"nhacviec: no unit matches {name!r}; nearest: {names}", file=sys.stderr)
        return None
    return await session.get(Unit, match.unit.id)


async def export(settings: Settings, args: argparse.Namespace) -> int:
    """`nhacviec export --unit NAME --out FILE.xlsx [--lang vi|en]`."""
    from bot.export import write_unit_workbook

    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        print("nhacviec: --out must name an .xlsx file", file=sys.stderr)
        return 1
    if not out.parent.is_dir():
        print(f"nhacviec: no such directory: {out.parent}", file=sys.stderr)
        return 1
    async with open_app(settings) as app, app.sessionmaker() as session:
        unit = await find_unit(session, args.unit)
        if unit is None:
            return 1
        with use_locale(args.lang):
            summary = await write_unit_workbook(
                session, unit, out, today=datetime.now(settings.tz).date(), tz=settings.tz
            )
    print(
        f"wrote {summary.path}: {summary.assignments} tasks and {summary.reports} reports "
        f"of {summary.unit}"
    )
    return 0


async def print_scores(settings: Settings, args: argparse.Namespace, period: Period) -> int:
    """Print a month's scores (all units with work, or one unit and its sub-units)."""
    from handlers.markup import to_plain
    from handlers.pushes import score_text
    from handlers.score import compute_scores
    from scheduler.chart import Bar, scoreboard_png
    from store.models import Assignment
    from store.units import descendant_ids

    now = datetime.now(settings.tz)
    rules = report_rules_from(settings)
    async with open_app(settings) as app, app.sessionmaker() as session:
        if args.unit:
            unit = await find_unit(session, args.unit)
            if unit is None:
                return 1
            ids = {unit.id} | await descendant_ids(session, unit.id)
        else:
            ids = set(await session.scalars(select(Assignment.unit_id).distinct()))
        scores = await compute_scores(
            session, ids, start=period.start, end=period.end, now=now, tz=settings.tz, rules=rules
        )
    if args.json:
        rows = [
            {
                "rank": s.rank,
                "unit": s.name,
                "score": s.score,
                "completion": s.completion,
                "discipline": s.discipline,
                "due": s.due,
                "on_time": s.on_time,
                "late": s.late,
                "required_days": s.required_days,
                "reported_days": s.reported_days,
            }
            for s in scores
        ]
        month = f"{period.start.year}-{period.start.month:02d}"
        print(json.dumps({"month": month, "scores": rows}, ensure_ascii=False))
    else:
        with use_locale(args.lang):
            print(to_plain(score_text(scores, period, rules, now.date())))
    if args.chart:
        bars = [Bar(s.name, s.score) for s in scores if s.score is not None]
        with use_locale(args.lang):
            png = scoreboard_png(
                bars,
                title=_("Scores for {month}").format(month=f"{period.start:%m/%Y}"),
                xlabel=_("Score (out of 100)"),
            )
        await asyncio.to_thread(Path(args.chart).write_bytes, png)
    return 0


def _month(value: str | None, settings: Settings) -> Period:
    if value is None:
        from scheduler.scoreboard import previous_month

        return previous_month(datetime.now(settings.tz).date())
    try:
        year, month = (int(p) for p in value.split("-"))
        return month_period(year, month, "month")
    except ValueError:
        raise ConfigError(f"--month: expected YYYY-MM, got {value!r}") from None


async def score(settings: Settings, args: argparse.Namespace) -> int:
    """`nhacviec score [--month YYYY-MM] [--unit NAME] [--chart FILE.png] [--send] [--json]`."""
    from scheduler.scoreboard import scoreboard_for

    period = _month(args.month, settings)
    status = await print_scores(settings, args, period)
    if status or not args.send:
        return status
    now = datetime.now(settings.tz)
    label = f"{period.start.year}-{period.start.month:02d}"
    result, counts, used = await run_and_send(
        settings, scoreboard_for(period), now, f"scoreboard:{label}:"
    )
    print_run(result, counts, used, as_json=args.json)
    return 0
