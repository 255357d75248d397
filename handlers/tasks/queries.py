"""Questions about work: what is due in a period, what is overdue, everything open."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from handlers.context import Context
from handlers.i18n import _, ngettext
from handlers.markup import bold
from handlers.parsing.intents import Intent
from handlers.parsing.periods import Period, parse_period
from handlers.render import fmt_date, fmt_month, task_line
from handlers.scope import visible_units_or_explain
from handlers.tasks.daily import duty_today
from handlers.tasks.paging import DUE, OPEN, OVERDUE, more_button, show_page
from handlers.types import Button
from store import assignments as q
from store.assignments import AssignmentView
from store.models import Role, TaskKind
from store.status import Status
from store.units import get_unit


def period_label(period: Period) -> str:
    """How a period is named in a reply header."""
    if period.label in ("this_month", "next_month", "last_month", "month") and (
        period.start.day == 1 and period.start.month == period.end.month
    ):
        return fmt_month(period.start.year, period.start.month)
    if period.start == period.end:
        return fmt_date(period.start)
    return _("{start} to {end}").format(start=fmt_date(period.start), end=fmt_date(period.end))


async def _unit_names(ctx: Context, unit_ids: Sequence[int]) -> str:
    names = []
    for uid in unit_ids[:3]:
        unit = await get_unit(ctx.session, uid)
        if unit is not None:
            names.append(unit.short_name or unit.name)
    more = len(unit_ids) - len(names)
    label = ", ".join(names)
    if more > 0:
        label += " " + _("and {n} more").format(n=more)
    return label


def _section(title: str, views: Sequence[AssignmentView], today: date, limit: int) -> list[str]:
    if not views:
        return []
    lines = [bold(f"{title} ({len(views)})")]
    lines += [task_line(v, today) for v in views[:limit]]
    if len(views) > limit:
        hidden = len(views) - limit
        lines.append(
            ngettext("…and {n} more task", "…and {n} more tasks", hidden).format(n=hidden)
        )
    return lines


def _report_buttons(views: Sequence[AssignmentView], limit: int) -> list[list[Button]]:
    open_views = [v for v in views if v.status not in (Status.DONE_ON_TIME, Status.DONE_LATE)]
    return [
        [Button(_("Report on task {seq}").format(seq=v.seq), f"r:{v.id}")]
        for v in open_views[: min(limit, 5)]
    ]


async def answer_due(ctx: Context, intent: Intent) -> None:
    """Triggered by "what is due this month?" and /due [period]: lead and support separately."""
    unit_ids = await visible_units_or_explain(ctx)
    if unit_ids is None:
        return
    period = intent.period or parse_period("tháng này", ctx.today)
    assert period is not None
    views = await q.due_between(ctx.session, unit_ids, period.start, period.end, ctx.today)
    recurring = await q.recurring(ctx.session, unit_ids, ctx.today)
    who = await _unit_names(ctx, unit_ids)
    header = bold(_("Due {period} — {unit}").format(period=period_label(period), unit=who))
    lines = [header]
    if not views:
        lines.append(_("Nothing is due in this period."))
    limit = ctx.options.page_size
    lines += _section(_("Lead"), [v for v in views if v.role == Role.LEAD], ctx.today, limit)
    lines += _section(
        _("Supporting"), [v for v in views if v.role == Role.SUPPORT], ctx.today, limit
    )
    done = sum(1 for v in views if v.status in (Status.DONE_ON_TIME, Status.DONE_LATE))
    if done:
        lines.append(
            ngettext("{n} of them is done.", "{n} of them are done.", done).format(n=done)
        )
    if recurring:
        annual = sum(1 for v in recurring if v.kind == TaskKind.ANNUAL)
        lines.append(
            _(
                "Also {n} recurring tasks ({annual} annual) to report on regularly; send /list."
            ).format(n=len(recurring), annual=annual)
        )
    overdue = await q.overdue(ctx.session, unit_ids, ctx.today)
    if overdue:
        lines.append(
            ngettext(
                "⚠ {n} task is overdue: send /overdue.",
                "⚠ {n} tasks are overdue: send /overdue.",
                len(overdue),
            ).format(n=len(overdue))
        )
    buttons = _report_buttons(views, limit) if ctx.incoming.address.is_private else []
    if len(views) > limit:
        buttons.append([more_button(DUE, len(views), (period.start, period.end))])
    ctx.reply("\n".join(lines), buttons)


async def answer_overdue(ctx: Context, intent: Intent) -> None:
    """Triggered by "quá hạn" and /overdue: open work past its due date, oldest first."""
    unit_ids = await visible_units_or_explain(ctx)
    if unit_ids is None:
        return
    views = await q.overdue(ctx.session, unit_ids, ctx.today)
    who = await _unit_names(ctx, unit_ids)
    if not views:
        ctx.reply(_("No overdue tasks for {unit}. Well done!").format(unit=who))
        return
    lines = [bold(_("Overdue — {unit}").format(unit=who))]
    limit = ctx.options.page_size
    lines += _section(_("Lead"), [v for v in views if v.role == Role.LEAD], ctx.today, limit)
    lines += _section(
        _("Supporting"), [v for v in views if v.role == Role.SUPPORT], ctx.today, limit
    )
    buttons = _report_buttons(views, limit) if ctx.incoming.address.is_private else []
    if len(views) > limit:
        buttons.append([more_button(OVERDUE, len(views))])
    ctx.reply("\n".join(lines), buttons)


async def answer_list(ctx: Context, intent: Intent) -> None:
    """Triggered by "danh sách nhiệm vụ" and /list: every open task, recurring ones last,
    a page at a time with a button per task (see handlers.tasks.paging)."""
    await show_page(ctx, OPEN, 1)


async def answer_unreported(ctx: Context, intent: Intent) -> None:
    """Triggered by "nhiệm vụ nào chưa báo cáo hôm nay": today's work nobody reported on yet,
    the same list the 16:00 reminder sends."""
    unit_ids = await visible_units_or_explain(ctx)
    if unit_ids is None:
        return
    duties = await duty_today(
        ctx.session, unit_ids, now=ctx.now, tz=ctx.options.tz, rules=ctx.options.reporting
    )
    pending = [v for d in duties.values() for v in d.pending]
    needed = sum(len(d.needed) for d in duties.values())
    who = await _unit_names(ctx, unit_ids)
    cutoff = ctx.options.reporting.cutoff.strftime("%H:%M")
    if not needed:
        ctx.reply(_("Nothing of {unit} needs a report today.").format(unit=who))
        return
    if not pending:
        ctx.reply(
            _(
                "Everything of {unit} that needs a report today has one ({n} tasks). Thank you!"
            ).format(unit=who, n=needed)
        )
        return
    header = _("Not reported today — {unit}: {n} of {total} tasks (before {time})").format(
        unit=who, n=len(pending), total=needed, time=cutoff
    )
    limit = ctx.options.page_size
    lines = [bold(header)] + [task_line(v, ctx.today) for v in pending[:limit]]
    if len(pending) > limit:
        hidden = len(pending) - limit
        lines.append(
            ngettext("…and {n} more task", "…and {n} more tasks", hidden).format(n=hidden)
        )
    lines.append(_("To report, send for example: task {seq} 50%").format(seq=pending[0].seq))
    buttons = _report_buttons(pending, limit) if ctx.incoming.address.is_private else []
    ctx.reply("\n".join(lines), buttons)
