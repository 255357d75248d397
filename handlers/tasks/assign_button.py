"""What the task card shows about handing a task out: who has it, and the picker's button.

Kept apart from the assign conversation (handlers.tasks.task_assigning), which renders the card
itself when it tells the person: the card imports this module, never the conversation.
"""

from __future__ import annotations

from handlers.context import Context
from handlers.i18n import _
from handlers.markup import clean_user_text
from handlers.scope import visible_unit_ids
from handlers.types import Button
from store.assignments import AssignmentView
from store.models import UserRole
from store.task_assignees import assignees_of

OPEN = "ao"  # ao:<assignment>: open the picker
TOGGLE = "as"  # as:<assignment>:<user>: hand the task to them, or take it back


def may_assign(ctx: Context) -> bool:
    """Heads and admins hand work out; officers do not."""
    user = ctx.user
    return ctx.is_admin or (user is not None and user.role == UserRole.HEAD)


def assign_button(view: AssignmentView) -> Button:
    """The task card's button that opens the picker (for heads and admins)."""
    return Button(_("👤 Hand to an official"), f"{OPEN}:{view.id}")


async def assign_rows(ctx: Context, view: AssignmentView) -> list[list[Button]]:
    """The card's row with `assign_button`, when the reader may hand this task out."""
    if not ctx.incoming.address.is_private or not may_assign(ctx):
        return []
    if view.unit_id not in await visible_unit_ids(ctx):
        return []
    return [[assign_button(view)]]


async def assignee_line(ctx: Context, view: AssignmentView) -> str:
    """The card's line saying who the task is handed to (or that it is the whole unit's)."""
    people = await assignees_of(ctx.session, view.id)
    if not people:
        return _("Handed to: nobody yet (the whole unit)")
    names = ", ".join(clean_user_text(p.name) or _("(no name)") for p in people)
    return _("Handed to: {names}").format(names=names)
