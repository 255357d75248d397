"""`/baocao [DD/MM[/YYYY]]`: the head's compiled daily report of their unit, at any time.

The same document the cut-off job files with the oversight group
(handlers.summaries.daily_report_build): asked for a past day, or for today after the cut-off, it
is identical; asked for today before the cut-off, it holds the reports received so far and says up
to when.
"""

from __future__ import annotations

import asyncio
import logging
import re
from datetime import date

from handlers.context import Context
from handlers.i18n import _
from handlers.render import fmt_date
from handlers.scope import not_linked_text
from handlers.summaries.daily_report_build import compile_days, report_files, unit_summary
from store.models import UserRole

logger = logging.getLogger(__name__)

_DMY = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}))?\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")


def parse_day(text: str, today: date) -> date | None:
    """`05/12`, `5/12/2025` or `2025-12-05`; a day without a year is its latest occurrence.

    Returns None when the text is not a valid date.
    """
    if not text.strip():
        return today
    iso = _ISO.match(text)
    try:
        if iso is not None:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        m = _DMY.match(text)
        if m is None:
            return None
        day, month = int(m[1]), int(m[2])
        if m[3]:
            return date(int(m[3]), month, day)
        found = date(today.year, month, day)
        return found if found <= today else date(today.year - 1, month, day)
    except ValueError:
        return None


async def answer_daily_report(ctx: Context, args: str = "") -> None:
    """Triggered by /baocao [day]: the unit's compiled report as .docx and .xlsx."""
    user = ctx.user
    if user is None or user.unit_id is None:
        ctx.reply(not_linked_text())
        return
    if not (ctx.is_admin or user.role == UserRole.HEAD):
        ctx.reply(_("Only the head of the unit can ask for the compiled daily report."))
        return
    day = parse_day(args, ctx.today)
    if day is None:
        ctx.reply(_("Which day? Send for example: /baocao (today) or /baocao 05/12"))
        return
    if day > ctx.today:
        ctx.reply(_("That day has not come yet."))
        return
    opts = ctx.options
    reports = await compile_days(
        ctx.session, [user.unit_id], day=day, now=ctx.now, tz=opts.tz, rules=opts.reporting
    )
    report = reports.get(user.unit_id)
    if report is None:
        ctx.reply(_("Nothing of your unit needed a report on {date}.").format(date=fmt_date(day)))
        return
    # Building a document of a thousand rows takes a moment: not on the event loop.
    files = await asyncio.to_thread(report_files, report, opts.tz)
    text = unit_summary(report, opts.tz)
    if day == ctx.today and ctx.now.astimezone(opts.tz).time() < opts.reporting.cutoff:
        text += "\n" + _("Reports are due by {time}: this is the picture so far.").format(
            time=opts.reporting.cutoff.strftime("%H:%M")
        )
    ctx.reply(text, attachments=files)
