"""Task lists a page at a time, with a button per task, and the full card of one task.

Button data stays short and ASCII (Telegram allows 64 bytes): `pg:<kind>:<page>` for open (`l`)
and overdue (`o`) work, `pg:d:<page>:<yyyymmdd>:<yyyymmdd>` for work due in a period, and
`t:<assignment id>` for a task's card. Every press is checked against what the chat may see
now, so an old button never shows another unit's work.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Sequence
from datetime import date

from handlers.context import Context
from handlers.i18n import _
from handlers.markup import bold
from handlers.render import (
    fmt_date,
    fmt_month,
    task_button_label,
    task_line,
)
from handlers.scope import visible_unit_ids, visible_units_or_explain
from handlers.tasks.task_card import task_card
from handlers.types import Button
from store import assignments as q
from store.assignments import AssignmentView
from store.models import Role
from store.status import Status
from store.units import unit_names

OPEN, OVERDUE, DUE = "l", "o", "d"
KINDS = (OPEN, OVERDUE, DUE)
_UNDATED = (Status.RECURRING, Status.NO_DEADLINE)
_DONE = (Status.DONE_ON_TIME, Status.DONE_LATE)


def page_button(kind: str, page: int, period: tuple[date, date] | None = None) -> str:
    """The callback data of one page of a list."""
    data = f"pg:{kind}:{page}"
    if kind == DUE and period is not None:
        data += f":{period[0]:%Y%m%d}:{period[1]:%Y%m%d}"
    return data


def more_button(kind: str, total: int, period: tuple[date, date] | None = None) -> Button:
    """A "show all" button under a summary that had to leave tasks out."""
    return Button(_("📄 Show all {n}").format(n=total), page_button(kind, 1, period))


def _period_text(start: date, end: date) -> str:
    last = calendar.monthrange(start.year, start.month)[1]
    if start.day == 1 and end == start.replace(day=last):
        return fmt_month(start.year, start.month)
    if start == end:
        return fmt_date(start)
    return _("{start} to {end}").format(start=fmt_date(start), end=fmt_date(end))


def _who(names: dict[int, str], unit_ids: Sequence[int]) -> str:
    shown = [names[u] for u in unit_ids[:3] if u in names]
    label = ", ".join(shown)
    if len(unit_ids) > len(shown):
        label += " " + _("and {n} more").format(n=len(unit_ids) - len(shown))
    return label


async def _views(
    ctx: Context, kind: str, unit_ids: list[int], period: tuple[date, date] | None
) -> tuple[str, list[AssignmentView]]:
    if kind == OVERDUE:
        return _("Overdue"), await q.overdue(ctx.session, unit_ids, ctx.today)
    if kind == DUE and period is not None:
        views = await q.due_between(ctx.session, unit_ids, period[0], period[1], ctx.today)
        # Lead work first, as the summary lists it; stable, so due-date order is kept.
        views.sort(key=lambda v: v.role != Role.LEAD)
        title = _("Due {period}").format(period=_period_text(*period))
        return title, views
    return _("Open tasks"), await q.open_assignments(ctx.session, unit_ids, ctx.today)


def _section(kind: str, view: AssignmentView) -> str:
    if kind == DUE:
        return _("Lead") if view.role == Role.LEAD else _("Supporting")
    if kind == OPEN:
        if view.status in _UNDATED:
            return _("Recurring or without a fixed deadline")
        return _("With a deadline")
    return ""


async def show_page(
    ctx: Context, kind: str, page: int, period: tuple[date, date] | None = None
) -> None:
    """Reply with one page of a task list: the tasks, a button per task, and page buttons."""
    unit_ids = await visible_units_or_explain(ctx)
    if unit_ids is None:
        return
    title, views = await _views(ctx, kind, unit_ids, period)
    names = await unit_names(ctx.session, unit_ids)
    who = _who(names, unit_ids)
    if not views:
        empty = {
            OPEN: _("{unit} has no open tasks.").format(unit=who),
            OVERDUE: _("No overdue tasks for {unit}. Well done!").format(unit=who),
            DUE: _("Nothing is due in this period."),
        }
        ctx.reply(bold(f"{title} — {who}") + "\n" + empty[kind])
        return
    size = max(1, ctx.options.page_size)
    pages = math.ceil(len(views) / size)
    page = min(max(1, page), pages)  # tasks may have been closed since the button was sent
    shown = views[(page - 1) * size : page * size]
    header = bold(f"{title} — {who}")
    if pages > 1:
        header += " " + _("(page {page} of {pages}, {total} tasks)").format(
            page=page, pages=pages, total=len(views)
        )
    lines = [header]
    section = None
    for view in shown:
        if (heading := _section(kind, view)) and heading != section:
            lines.append(bold(heading))
            section = heading
        line = task_line(view, ctx.today)
        if len(unit_ids) > 1:
            line += " · " + names.get(view.unit_id, "?")
        lines.append(line)
    lines.append(_("Press a task to see it in full."))
    if kind == OPEN and ctx.incoming.address.is_private:
        lines.append(_("To report, send for example: task {seq} 50%").format(seq=shown[0].seq))
    rows = [[Button(task_button_label(v), f"t:{v.id}")] for v in shown]
    nav = []
    if page > 1:
        nav.append(Button(_("◀ Previous"), page_button(kind, page - 1, period)))
    if page < pages:
        nav.append(Button(_("Next ▶"), page_button(kind, page + 1, period)))
    if nav:
        rows.append(nav)
    ctx.reply("\n".join(lines), rows)


async def on_page_button(ctx: Context, code: str, args: list[str]) -> None:
    """Buttons pg:<kind>:<page>[:<start>:<end>]: another page of a list."""
    parsed = _parse_page(args)
    if parsed is None:
        ctx.reply(_("That button is not valid. Send /help to see what I can do."))
        return
    await show_page(ctx, *parsed)


def _parse_page(args: list[str]) -> tuple[str, int, tuple[date, date] | None] | None:
    if len(args) < 2 or args[0] not in KINDS or not args[1].isdigit() or len(args[1]) > 4:
        return None
    kind, page = args[0], int(args[1])
    if kind != DUE:
        return (kind, page, None) if len(args) == 2 else None
    if len(args) != 4 or not all(len(a) == 8 and a.isdigit() for a in args[2:]):
        return None
    try:
        start = date(int(args[2][:4]), int(args[2][4:6]), int(args[2][6:]))
        end = date(int(args[3][:4]), int(args[3][4:6]), int(args[3][6:]))
    except ValueError:
        return None
    if not start <= end:
        return None
    return kind, page, (start, end)


async def on_task_button(ctx: Context, code: str, args: list[str]) -> None:
    """Button t:<assignment id>: the full card of one task, with report buttons."""
    assignment_id = _parse_id(args)
    if assignment_id is None:
        ctx.reply(_("That button is not valid. Send /help to see what I can do."))
        return
    view = await q.get_view(ctx.session, assignment_id, ctx.today)
    # The same answer whether the task is gone or belongs to a unit this chat cannot see.
    if view is None or view.unit_id not in await visible_unit_ids(ctx):
        ctx.reply(_("That task is not available here. Send /list to see your tasks."))
        return
    ctx.reply(*await task_card(ctx, view))


def _parse_id(args: list[str]) -> int | None:
    if len(args) != 1 or not args[0].isdigit() or len(args[0]) > 10:
        return None
    value = int(args[0])
    return value if value <= 2**31 - 1 else None
