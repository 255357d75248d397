"""Compiling a unit's day: the window of reports, the files, and the message that carries them.

Shared by the cut-off job (scheduler.daily_report), `/baocao` and `nhacviec daily-report`, so the
document filed at 16:00 and the one asked for later are built the same way from the same data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from handlers.i18n import _, ngettext
from handlers.markup import bold, clean_user_text
from handlers.render import fmt_date
from handlers.summaries.documents.daily_docx import daily_docx, summary_line
from handlers.summaries.documents.daily_xlsx import daily_xlsx
from handlers.tasks.daily import ReportRules, day_bounds
from handlers.types import Attachment
from store.daily_report import UnitDayReport, unit_day_reports
from store.db import Session
from store.text import fold

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Units a summary message names one by one; the rest are counted.
SUMMARY_UNITS = 30


def report_until(day: date, now: datetime, tz: ZoneInfo, rules: ReportRules) -> datetime:
    """The last moment whose reports count for `day`: its cut-off, or `now` if earlier."""
    cutoff = datetime.combine(day, rules.cutoff, tz)
    return min(now, cutoff)


async def compile_days(
    session: Session,
    units: Iterable[int],
    *,
    day: date,
    now: datetime,
    tz: ZoneInfo,
    rules: ReportRules,
) -> dict[int, UnitDayReport]:
    """The compiled day of each unit that had work needing a report (or got one)."""
    start, _end = day_bounds(day, tz)
    return await unit_day_reports(
        session,
        units,
        day=day,
        day_start=start,
        until=report_until(day, now, tz, rules),
        horizon_days=rules.horizon_days,
    )


def file_stem(report: UnitDayReport) -> str:
    """`bao-cao-ngay-2025-12-05-cuc-kiem-soat-tthc`: ASCII, safe on every platform."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(report.unit_name)).strip("-")[:40] or "don-vi"
    return f"bao-cao-ngay-{report.day.isoformat()}-{slug}"


def report_files(report: UnitDayReport, tz: ZoneInfo) -> list[Attachment]:
    """The .docx and the .xlsx of one unit's day (CPU-bound: run it in a worker thread)."""
    stem = file_stem(report)
    return [
        Attachment(stem + ".docx", daily_docx(report, tz), DOCX),
        Attachment(stem + ".xlsx", daily_xlsx(report, tz), XLSX),
    ]


def unit_summary(report: UnitDayReport, tz: ZoneInfo) -> str:
    """One unit's day in a few lines of chat text."""
    return bold(clean_user_text(report.unit_name)) + "\n" + summary_line(report, tz)


def summary_message(reports: Sequence[UnitDayReport], day: date, tz: ZoneInfo) -> str:
    """The message before the files: the day of each unit, fewest reports first."""
    lines = [bold(_("Compiled daily reports — {date}").format(date=fmt_date(day)))]
    lines.append(
        ngettext(
            "{n} unit had work to report on; its report follows as .docx and .xlsx.",
            "{n} units had work to report on; their reports follow as .docx and .xlsx.",
            len(reports),
        ).format(n=len(reports))
    )
    ordered = sorted(reports, key=lambda r: (-len(r.unreported), -len(r.overdue), r.unit_name))
    for report in ordered[:SUMMARY_UNITS]:
        lines += ["", unit_summary(report, tz)]
    if len(ordered) > SUMMARY_UNITS:
        lines.append("")
        lines.append(_("…and {n} more units.").format(n=len(ordered) - SUMMARY_UNITS))
    return "\n".join(lines)
