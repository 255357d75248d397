"""`việc của tôi` (`/cuatoi`): the work handed to me, and the unit's work nobody was handed.

A task a head handed to officials (store.task_assignees) is theirs to report on; a task without
assignees stays with the whole unit, so it is on everyone's list. Heads also read how much of
their units' open work has nobody, so they can hand it out with `/giao`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import date

from handlers.context import Context
from handlers.i18n import _, ngettext
from handlers.markup import bold, clean_user_text
from handlers.render import task_line
from handlers.scope import not_linked_text, visible_unit_ids
from handlers.types import Button, Outgoing
from store.assignments import AssignmentView
from store.models import UserRole
from store.task_assignees import assigned_to, unassigned_counts, unassigned_open
from store.text import fold

logger = logging.getLogger(__name__)

#: Tasks listed per section; the rest are counted.
SHOWN = 10
BUTTONS = 8

_MINE = re.compile(
    r"^\s*(?:cac\s+)?(?:viec|nhiem vu|nv)\s+(?:cua\s+)?(?:toi|minh|em|anh|chi)\s*\??$"
)
_MINE_EN = re.compile(r"^\s*my\s+(?:tasks|work)\s*\??$")


def is_my_tasks_text(text: str) -> bool:
    """Whether a free text asks for one's own work (`việc của tôi`, `viec cua toi`, `my tasks`)."""
    folded = fold(text)
    return bool(_MINE.match(folded) or _MINE_EN.match(folded))


def unassigned_note(count: int) -> str:
    """The line heads read at 16:00 about open work nobody was handed."""
    if count == 0:
        return _("Every open task of your unit is handed to someone.")
    return ngettext(
        "{n} open task of your unit has nobody assigned: hand it out with /giao NV <number>.",
        "{n} open tasks of your unit have nobody assigned: hand them out with /giao NV <number>.",
        count,
    ).format(n=count)


def with_unassigned_note(message: Outgoing, count: int) -> Outgoing:
    """A reminder for a head: the same message with the line about work nobody was handed."""
    return Outgoing(message.text + "\n" + unassigned_note(count), message.buttons)


def _section(title: str, views: Sequence[AssignmentView], today: date) -> list[str]:
    lines = ["", bold(title)]
    lines += [task_line(v, today) for v in views[:SHOWN]]
    if len(views) > SHOWN:
        hidden = len(views) - SHOWN
        lines.append(
            ngettext("…and {n} more task", "…and {n} more tasks", hidden).format(n=hidden)
        )
    return lines


async def answer_my_tasks(ctx: Context, _args: str = "") -> None:
    """Triggered by /cuatoi, /mytasks or `việc của tôi`: the writer's own work."""
    user = ctx.user
    if user is None or user.unit_id is None:
        ctx.reply(not_linked_text())
        return
    mine = await assigned_to(ctx.session, user.id, ctx.today)
    shared = await unassigned_open(ctx.session, user.unit_id, ctx.today)
    unit = ctx.unit.short_name or ctx.unit.name if ctx.unit else ""
    lines = [bold(_("My work — {unit}").format(unit=clean_user_text(unit)))]
    if mine:
        lines += _section(_("Handed to you ({n}):").format(n=len(mine)), mine, ctx.today)
    if shared:
        title = _("Your unit's work nobody was handed ({n}):").format(n=len(shared))
        lines += _section(title, shared, ctx.today)
    if not mine and not shared:
        lines.append(_("Nothing is handed to you, and your unit has no open work without one."))
    if user.role in (UserRole.HEAD, UserRole.ADMIN):
        counts = await unassigned_counts(ctx.session, await visible_unit_ids(ctx))
        lines += ["", unassigned_note(sum(counts.values()))]
    reportable = (mine + shared)[:BUTTONS]
    buttons = [
        Button(_("Report on task {seq}").format(seq=v.seq), f"r:{v.id}") for v in reportable
    ]
    ctx.reply("\n".join(lines), [buttons[i : i + 2] for i in range(0, len(buttons), 2)])
