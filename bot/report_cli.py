"""`nhacviec daily-report` and `nhacviec rollup`: the compiled documents written to files.

They parse arguments and print; the data and the documents come from the same functions the
cut-off job and `/baocao` use (handlers.summaries.daily_report_build, handlers.summaries.rollup).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.config import Settings

# `bot.cli` builds its parser from this module on every start: everything else is imported
# when a command runs (start-up stays fast).


def add_report_commands(sub: argparse._SubParsersAction, t: Callable[[str], str] = str) -> None:
    """The parsers of `daily-report` and `rollup`; `t` translates the help texts."""
    lang = "language of the documents (default: NHACVIEC_LANG, else vi)"
    daily = sub.add_parser("daily-report", help=t("write a unit's compiled daily report (.docx)"))
    daily.add_argument("--unit", required=True, help=t("unit name, abbreviation or code"))
    daily.add_argument(
        "--day", type=date.fromisoformat, default=None, help=t("YYYY-MM-DD (today)")
    )
    daily.add_argument("--out", required=True, type=Path, help=t("the .docx file to write"))
    daily.add_argument("--xlsx", type=Path, help=t("also write the same data as .xlsx"))
    daily.add_argument("--json", action="store_true", help=t("print the data as JSON"))
    daily.add_argument("--lang", choices=("vi", "en"), default=None, help=t(lang))
    roll = sub.add_parser("rollup", help=t("write the weekly or monthly roll-up (.docx)"))
    roll.add_argument("--period", required=True, help=t("YYYY-MM (a month) or YYYY-Www (a week)"))
    roll.add_argument(
        "--unit", help=t("one unit and its sub-units (default: every unit with work)")
    )
    roll.add_argument("--out", required=True, type=Path, help=t("the .docx file to write"))
    roll.add_argument("--xlsx", type=Path, help=t("also write it as .xlsx"))
    roll.add_argument("--chart", type=Path, help=t("also write the chart as .png"))
    roll.add_argument("--json", action="store_true", help=t("print the figures as JSON"))
    roll.add_argument("--lang", choices=("vi", "en"), default=None, help=t(lang))


def _check_out(args: argparse.Namespace) -> None:
    from bot.config import ConfigError
    from handlers.i18n import _

    for path, suffix in ((args.out, ".docx"), (args.xlsx, ".xlsx")):
        if path is None:
            continue
        if path.suffix.lower() != suffix:
            raise ConfigError(
                _("{path} must name a {suffix} file").format(path=path, suffix=suffix)
            )
        if not path.parent.is_dir():
            raise ConfigError(_("no such directory: {path}").format(path=path.parent))


async def daily_report(settings: Settings, args: argparse.Namespace) -> int:
    """`nhacviec daily-report --unit NAME --day YYYY-MM-DD --out FILE.docx [--xlsx] [--json]`."""
    from bot.app import open_app, report_rules_from
    from bot.ops import cli_lang, find_unit
    from handlers.i18n import _, use_locale
    from handlers.summaries.daily_report_build import compile_days, report_files
    from handlers.summaries.documents.daily_xlsx import daily_json
    from store.daily_report import UnitDayReport

    now = datetime.now(settings.tz)
    day = args.day or now.date()
    rules = report_rules_from(settings)
    with use_locale(cli_lang(settings, args)):
        _check_out(args)
        async with open_app(settings) as app, app.sessionmaker() as session:
            unit = await find_unit(session, args.unit)
            if unit is None:
                return 1
            found = await compile_days(
                session, [unit.id], day=day, now=now, tz=settings.tz, rules=rules
            )
        report = found.get(unit.id) or UnitDayReport(
            unit.id, unit.short_name or unit.name, unit.name, "", day, now
        )
        docx, xlsx = await asyncio.to_thread(report_files, report, settings.tz)
        await asyncio.to_thread(args.out.write_bytes, docx.content)
        if args.xlsx:
            await asyncio.to_thread(args.xlsx.write_bytes, xlsx.content)
        if args.json:
            print(json.dumps(daily_json(report, settings.tz), ensure_ascii=False))
        else:
            print(
                _(
                    "Wrote {path}: {tasks} tasks, {unreported} not reported, {overdue} overdue"
                ).format(
                    path=args.out,
                    tasks=len(report.items),
                    unreported=len(report.unreported),
                    overdue=len(report.overdue),
                )
            )
    return 0


async def rollup(settings: Settings, args: argparse.Namespace) -> int:
    """`nhacviec rollup --period 2025-12 [--unit NAME] --out FILE.docx [--xlsx] [--json]`."""
    from bot.app import open_app, report_rules_from
    from bot.ops import cli_lang, find_unit
    from handlers.i18n import _, use_locale
    from handlers.summaries.documents.rollup_docs import period_title, rollup_docx, rollup_xlsx
    from handlers.summaries.rollup import compute_rollup, parse_rollup_period
    from scheduler.chart import Bar, scoreboard_png
    from store.daily_report_rollup import units_with_work
    from store.units import descendant_ids

    now = datetime.now(settings.tz)
    with use_locale(cli_lang(settings, args)):
        _check_out(args)
        period = parse_rollup_period(args.period)
        if period is None:
            message = _("--period: expected YYYY-MM or YYYY-Www, got {value}")
            print("nhacviec: " + message.format(value=repr(args.period)), file=sys.stderr)
            return 2
        async with open_app(settings) as app, app.sessionmaker() as session:
            body = "Nhắc việc"
            if args.unit:
                unit = await find_unit(session, args.unit)
                if unit is None:
                    return 1
                ids = sorted({unit.id} | await descendant_ids(session, unit.id))
                body = unit.name
            else:
                ids = await units_with_work(session)
            result = await compute_rollup(
                session, ids, period, now=now, tz=settings.tz, rules=report_rules_from(settings)
            )
        bars = [Bar(r.score.name, r.score.score) for r in result.rows]
        png = None
        if any(b.score is not None for b in bars):
            png = scoreboard_png(bars, title=period_title(result), xlabel=_("Score (out of 100)"))
        docx = await asyncio.to_thread(rollup_docx, result, body=body, chart_png=png)
        await asyncio.to_thread(args.out.write_bytes, docx)
        if args.xlsx:
            await asyncio.to_thread(args.xlsx.write_bytes, rollup_xlsx(result))
        if args.chart and png:
            await asyncio.to_thread(args.chart.write_bytes, png)
        if args.json:
            print(json.dumps(_rollup_json(result), ensure_ascii=False))
        else:
            print(_("Wrote {path}: {units} units").format(path=args.out, units=len(result.rows)))
    return 0


def _rollup_json(result: object) -> dict[str, object]:
    from handlers.summaries.rollup import Rollup, period_key

    assert isinstance(result, Rollup)
    return {
        "period": period_key(result.period),
        "units": [
            {
                "rank": r.score.rank,
                "unit": r.score.name,
                "on_time": r.score.on_time,
                "late": r.score.late,
                "overdue": r.overdue,
                "reported_days": r.score.reported_days,
                "required_days": r.score.required_days,
                "score": r.score.score,
                "previous_score": r.previous.score if r.previous else None,
                "change": r.change,
            }
            for r in result.rows
        ],
    }
