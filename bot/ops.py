"""The operator's one-shot commands: jobs run by hand, the export and the scores.

`nhacviec remind|digest [--now ISO]` and `nhacviec score --send` run a job for a moment through
the same path as the scheduler (claim the run, queue deliveries in the outbox) and then drain
the outbox once with the configured channels. Running one twice, or while `nhacviec run` is up,
sends nothing twice: the claim and the delivery keys see to it, and the dispatchers of both
processes only ever send rows they hold a lease on.

Output is in the CLI's language (`--lang`, else NHACVIEC_LANG; Vietnamese by default) and is
worded by bot.ops_output; `--show` prints the messages a run queued.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path

from bot.app import App, open_app, report_rules_from
from bot.config import ConfigError, Settings
from bot.ops_output import collect_messages, print_messages, print_run
from bot.push_runtime import drain, job_config, sending_channels
from handlers.i18n import _, use_locale
from handlers.parsing.periods import Period, month_period
from handlers.types import Channel
from scheduler.jobs import Job, JobResult, run_job
from scheduler.outbox.send import Clock
from store.db import Session, SessionMaker
from store.delivery_report import count_by_status, linked_group_count, linked_official_count
from store.models import Unit
from store.registry import UnitRegistry
from store.units import find_by_code, get_unit


def cli_lang(settings: Settings, args: argparse.Namespace) -> str:
    """The language of a command's output: `--lang`, else NHACVIEC_LANG (Vietnamese)."""
    return getattr(args, "lang", None) or settings.cli_lang


def parse_now(value: str | None, settings: Settings) -> datetime:
    """`--now`: an ISO date-time, local (NHACVIEC_TIMEZONE) when it names no offset."""
    if not value:
        return datetime.now(settings.tz)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ConfigError(
            _("--now: not an ISO date-time: {value}").format(value=repr(value))
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=settings.tz)


async def delivery_counts(sessionmaker: SessionMaker, prefix: str) -> dict[str, int]:
    """Deliveries whose key starts with `prefix`, counted by status."""
    async with sessionmaker() as s:
        return await count_by_status(s, prefix)


async def run_and_send(
    settings: Settings,
    job: Job,
    now: datetime,
    prefix: str,
    *,
    channels: Mapping[str, Channel] | None = None,
    clock: Clock | None = None,
    show: bool = False,
) -> tuple[JobResult, dict[str, int], list[str], list[dict] | None]:
    """Run `job` for `now`, then drain the outbox once with the configured channels.

    Returns:
        The run's result, its deliveries by status, the channels used, and (with `show`)
        the messages queued under `prefix`.
    """
    async with open_app(settings) as app:
        return await run_in_app(app, job, now, prefix, channels=channels, clock=clock, show=show)


async def run_in_app(
    app: App,
    job: Job,
    now: datetime,
    prefix: str,
    *,
    channels: Mapping[str, Channel] | None = None,
    clock: Clock | None = None,
    show: bool = False,
) -> tuple[JobResult, dict[str, int], list[str], list[dict] | None]:
    """`run_and_send` in an app that is already open."""
    settings = app.settings
    chans = (
        dict(channels) if channels is not None else sending_channels(settings, app.sessionmaker)
    )
    try:
        result = await run_job(app.sessionmaker, job, now, job_config(settings))
        if chans:
            await drain(app.sessionmaker, chans, prefix, clock=clock)
        counts = await delivery_counts(app.sessionmaker, prefix)
        messages = await collect_messages(app.sessionmaker, prefix) if show else None
    finally:
        for channel in chans.values():
            await channel.stop()
    return result, counts, sorted(chans), messages


async def _nobody_to_tell(app: App, job: str) -> bool:
    """Say so plainly when no official (reminder) or no group (digest) is linked at all."""
    async with app.sessionmaker() as session:
        if job == "digest":
            if await linked_group_count(session):
                return False
            print(
                _(
                    "No group chat is linked to a unit, so there is no digest to send. To link "
                    "one, add the bot to the unit's group and send /link UNIT NAME there."
                )
            )
            return True
        if await linked_official_count(session):
            return False
        print(
            _(
                "No official is linked to a unit yet, so there is nobody to remind. Create an "
                "invite with `nhacviec invite --unit UNIT` and send the code to the officials."
            )
        )
        return True


async def _run_daily(settings: Settings, args: argparse.Namespace, job: Job) -> int:
    """Run a daily job now (unless nobody could receive it) and print what it did."""
    now = parse_now(args.now, settings)
    day: date = now.astimezone(settings.tz).date()
    name = "digest" if job.name == "digest" else "reminder"
    prefix = f"{job.name}:{day}:"
    async with open_app(settings) as app:
        if not args.json and await _nobody_to_tell(app, name):
            return 0
        result, counts, used, messages = await run_in_app(app, job, now, prefix, show=args.show)
    print_run(result, counts, used, as_json=args.json, messages=messages)
    if messages is not None and not args.json:
        print()
        print_messages(messages, day, sys.stdout)
    return 0


async def remind(settings: Settings, args: argparse.Namespace) -> int:
    """`nhacviec remind [--now ISO] [--nudge] [--show] [--json]`: the 16:00 reminder now."""
    from scheduler.reminders import NUDGE, REMINDER

    with use_locale(cli_lang(settings, args)):
        if args.nudge and not settings.nudge_enabled:
            print(
                "nhacviec: " + _("the nudge is switched off (NHACVIEC_NUDGE_ENABLED)"),
                file=sys.stderr,
            )
            return 1
        return await _run_daily(settings, args, NUDGE if args.nudge else REMINDER)


async def digest(settings: Settings, args: argparse.Namespace) -> int:
    """`nhacviec digest [--now ISO] [--show] [--json]`: the group digest now."""
    from scheduler.digest import DIGEST

    with use_locale(cli_lang(settings, args)):
        return await _run_daily(settings, args, DIGEST)


async def find_unit(session: Session, name: str) -> Unit | None:
    """A unit by code, or by name/abbreviation as the importer matches them; None if unsure."""
    unit = await find_by_code(session, name)
    if unit is not None:
        return unit
    registry = await UnitRegistry.load(session)
    match = registry.match(name)
    if match.unit is None or match.unit.id is None:
        names = "; ".join(c.name for c, _s in match.candidates[:5]) or "-"
        message = _("no unit matches {name}; nearest: {names}").format(
            name=repr(name), names=names
        )
        print("nhacviec: " + message, file=sys.stderr)
        return None
    return await get_unit(session, match.unit.id)


async def export(settings: Settings, args: argparse.Namespace) -> int:
    """`nhacviec export --unit NAME --out FILE.xlsx [--lang vi|en]`."""
    from bot.export import write_unit_workbook

    out = Path(args.out)
    with use_locale(cli_lang(settings, args)):
        if out.suffix.lower() != ".xlsx":
            print("nhacviec: " + _("--out must name an .xlsx file"), file=sys.stderr)
            return 1
        if not out.parent.is_dir():
            message = _("no such directory: {path}").format(path=out.parent)
            print("nhacviec: " + message, file=sys.stderr)
            return 1
        async with open_app(settings) as app, app.sessionmaker() as session:
            unit = await find_unit(session, args.unit)
            if unit is None:
                return 1
            summary = await write_unit_workbook(
                session, unit, out, today=datetime.now(settings.tz).date(), tz=settings.tz
            )
        print(
            _("Wrote {path}: {tasks} tasks and {reports} reports of {unit}").format(
                path=summary.path,
                tasks=summary.assignments,
                reports=summary.reports,
                unit=summary.unit,
            )
        )
    return 0


async def print_scores(settings: Settings, args: argparse.Namespace, period: Period) -> int:
    """Print a month's scores (all units with work, or one unit and its sub-units)."""
    from handlers.markup import to_plain
    from handlers.summaries.pushes import score_text
    from handlers.summaries.score import compute_scores
    from scheduler.chart import Bar, scoreboard_png
    from store.daily_report_rollup import units_with_work
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
            ids = set(await units_with_work(session))
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
        print(to_plain(score_text(scores, period, rules, now.date())))
    if args.chart:
        # Units with nothing measured get no bar; a long ranking shows its two ends.
        png = scoreboard_png(
            [Bar(s.name, s.score) for s in scores],
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
        raise ConfigError(
            _("--month: expected YYYY-MM, got {value}").format(value=repr(value))
        ) from None


async def score(settings: Settings, args: argparse.Namespace) -> int:
    """`nhacviec score [--month YYYY-MM] [--unit NAME] [--chart FILE.png] [--send] [--json]`."""
    from scheduler.scoreboard import scoreboard_for

    with use_locale(cli_lang(settings, args)):
        period = _month(args.month, settings)
        status = await print_scores(settings, args, period)
        if status or not args.send:
            return status
        now = datetime.now(settings.tz)
        label = f"{period.start.year}-{period.start.month:02d}"
        result, counts, used, _m = await run_and_send(
            settings, scoreboard_for(period), now, f"scoreboard:{label}:"
        )
        print_run(result, counts, used, as_json=args.json)
    return 0
