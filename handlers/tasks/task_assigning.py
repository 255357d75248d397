"""Handing a task to officials of the unit: `/giao NV 7`, `giao NV 7 cho Lan`, the card's button.

Only the unit's head (or a head above it, or an admin) hands work out. The picker lists the
unit's linked officials; pressing one hands the task to them (or takes it back), each change
audited by store.task_assignees. The person is told at once, with the task card.

Buttons: `ao:<assignment>` opens the picker, `as:<assignment>:<user>` hands out or takes back.
"""

from __future__ import annotations

import logging
import re

from handlers.context import Context
from handlers.i18n import _, use_locale
from handlers.markup import bold, clean_user_text
from handlers.render import shorten, task_button_label
from handlers.scope import visible_unit_ids, visible_units_or_explain
from handlers.tasks.assign_button import OPEN, TOGGLE, assignee_line, may_assign
from handlers.tasks.task_card import task_card
from handlers.types import Address, Button
from store import assignments as q
from store.assignments import AssignmentView
from store.extensions import identities_of
from store.task_assignees import (
    OfficialRow,
    add_assignee,
    assignees_of,
    match_officials,
    remove_assignee,
    unit_officials,
)
from store.text import fold
from store.users import get_user

logger = logging.getLogger(__name__)

BUTTON_CODES = (OPEN, TOGGLE)

# `giao nv 7`, `giao nhiệm vụ 7 cho Lan`, `/giao 7 cho chị Lan`, `assign task 7 to Lan` (folded).
_ASSIGN = re.compile(
    r"^\s*/?(?:giao(?:\s+viec)?|assign)\s+(?:(?:nv|nhiem\s+vu|task)\s*)?(?:so\s+)?"
    r"(?P<ref>[0-9a-z.]{1,24})(?:\s+(?:cho|to)\s+(?P<name>.+?))?\s*$"
)
# Forms of address before a name: `chị Lan`, `đồng chí Tuấn`, `đ/c Minh`.
_POLITE = frozenset({"anh", "chi", "em", "ong", "ba", "d/c", "dc", "a", "c"})


def parse_assign(text: str) -> tuple[str, str] | None:
    """The task reference and the name as typed (possibly empty) of an assign command, or None."""
    m = _ASSIGN.match(fold(text))
    if m is None:
        return None
    if not m.group("name"):
        return m.group("ref"), ""
    # The name as typed (with its diacritics): the words after the last `cho`/`to`.
    words = text.split()
    folded = [fold(w) for w in words]
    at = max(i for i, w in enumerate(folded) if w in ("cho", "to"))
    name = words[at + 1 :]
    while len(name) > 1:
        if len(name) > 2 and fold(" ".join(name[:2])) == "dong chi":
            name = name[2:]
        elif fold(name[0]) in _POLITE:
            name = name[1:]
        else:
            break
    return m.group("ref"), " ".join(name)


def is_assign_text(text: str) -> bool:
    """Whether a free text is an assign command (`giao NV 7 cho Lan`)."""
    return parse_assign(text) is not None


async def handle_assign(ctx: Context, args: str) -> None:
    """Triggered by /giao NV 7 [cho NAME] (or the same typed without the slash)."""
    parsed = parse_assign("giao " + args) if args.strip() else None
    if parsed is None:
        ctx.reply(_("Which task? Send for example: /giao NV 7, or: giao NV 7 cho Lan"))
        return
    await _assign(ctx, *parsed)


async def handle_assign_text(ctx: Context) -> None:
    """Triggered by free text `giao NV 7 cho Lan`."""
    parsed = parse_assign(ctx.incoming.text)
    assert parsed is not None
    await _assign(ctx, *parsed)


async def _assign(ctx: Context, ref: str, name: str) -> None:
    if not may_assign(ctx):
        ctx.reply(_("Only the head of the unit can hand tasks to officials."))
        return
    unit_ids = await visible_units_or_explain(ctx)
    if unit_ids is None:
        return
    matches = await q.find_for_units(ctx.session, unit_ids, ref, ctx.today)
    if not matches:
        ctx.reply(
            _(
                "There is no task {ref} here. Send /list to see the tasks and their numbers."
            ).format(ref=clean_user_text(ref)[:40])
        )
        return
    # A head reads "NV 7" as their own unit's first; a sub-unit's NV 7 is reached from its card.
    own = [v for v in matches if ctx.user is not None and v.unit_id == ctx.user.unit_id]
    matches = own or matches
    if len(matches) > 1:
        rows = [[Button(task_button_label(v), f"{OPEN}:{v.id}")] for v in matches[:8]]
        ctx.reply(
            _("Several tasks have the number {ref}. Which one to hand out?").format(ref=ref), rows
        )
        return
    view = matches[0]
    officials = await unit_officials(ctx.session, view.unit_id)
    if not name:
        await _show_picker(ctx, view, officials)
        return
    found = match_officials(officials, name)
    if len(found) == 1:
        await _hand(ctx, view, found[0])
        await _show_picker(ctx, view, officials, header=False)
        return
    if not found:
        ctx.reply(
            _("Nobody called “{name}” is linked to this unit. Pick from the list:").format(
                name=clean_user_text(name)[:60]
            )
        )
        await _show_picker(ctx, view, officials)
        return
    ctx.reply(_("Several officials match “{name}”. Which one?").format(name=name[:60]))
    await _show_picker(ctx, view, found)


async def _show_picker(
    ctx: Context, view: AssignmentView, officials: list[OfficialRow], *, header: bool = True
) -> None:
    """The unit's officials as buttons; those already handed the task are ticked."""
    if not officials:
        ctx.reply(
            _(
                "Nobody is linked to this unit yet: invite its officials first (/invite), "
                "then hand them the task."
            )
        )
        return
    current = {p.id for p in await assignees_of(ctx.session, view.id)}
    rows = [
        [
            Button(
                ("✓ " if o.id in current else "") + (shorten(o.name, 40) or _("(no name)")),
                f"{TOGGLE}:{view.id}:{o.id}",
            )
        ]
        for o in officials
    ]
    title = bold(_("Task {seq}").format(seq=view.seq)) + " · " + shorten(view.title, 80)
    text = title + "\n" + await assignee_line(ctx, view)
    if header:
        text += "\n" + _(
            "Press a name to hand the task to them; press a ticked name to take it back."
        )
    ctx.reply(text, rows)


async def on_button(ctx: Context, code: str, args: list[str]) -> None:
    """Triggered by the picker's buttons (`ao:<assignment>`, `as:<assignment>:<user>`)."""
    ids = [int(a) for a in args if a.isdigit()]
    if not may_assign(ctx):
        ctx.reply(_("Only the head of the unit can hand tasks to officials."))
        return
    view = await q.get_view(ctx.session, ids[0], ctx.today) if ids else None
    if view is None or view.unit_id not in await visible_unit_ids(ctx):
        ctx.reply(_("That task is no longer available."))
        return
    officials = await unit_officials(ctx.session, view.unit_id)
    if code == OPEN:
        await _show_picker(ctx, view, officials)
        return
    person = await get_user(ctx.session, ids[1]) if len(ids) > 1 else None
    if person is None or person.unit_id != view.unit_id or not person.active:
        ctx.reply(_("That official is no longer linked to this unit."))
        return
    row = OfficialRow(person.id, person.name, person.role, person.unit_id)
    if any(p.id == person.id for p in await assignees_of(ctx.session, view.id)):
        await remove_assignee(
            ctx.session,
            assignment_id=view.id,
            user_id=person.id,
            actor_id=ctx.user.id if ctx.user else None,
            now=ctx.now,
        )
        ctx.reply(
            _("Task {seq} is no longer handed to {name}.").format(
                seq=view.seq, name=clean_user_text(person.name)
            )
        )
    else:
        await _hand(ctx, view, row)
    await _show_picker(ctx, view, officials, header=False)


async def _hand(ctx: Context, view: AssignmentView, person: OfficialRow) -> None:
    """Hand the task to one official, confirm, and tell them with the task card."""
    actor = ctx.user
    added = await add_assignee(
        ctx.session,
        assignment_id=view.id,
        user_id=person.id,
        actor_id=actor.id if actor else None,
        now=ctx.now,
    )
    name = clean_user_text(person.name) or _("(no name)")
    if not added:
        ctx.reply(_("Task {seq} is already handed to {name}.").format(seq=view.seq, name=name))
        return
    ctx.reply(_("Task {seq} is now handed to {name}.").format(seq=view.seq, name=name))
    await _tell(ctx, view, person.id, actor.name if actor else "")


async def _tell(ctx: Context, view: AssignmentView, user_id: int, by: str) -> None:
    """Push the task card to the official it was handed to (their preferred reachable chat)."""
    identities = await identities_of(ctx.session, user_id)
    if not identities:
        ctx.reply(_("They cannot be reached on any chat yet; they will see it in /cuatoi."))
        return
    user = identities[0].user
    preferred = [i for i in identities if i.channel == user.preferred_channel]
    target = max(
        preferred or identities,
        key=lambda i: (i.last_seen_at is not None, i.last_seen_at or ctx.now, i.id),
    )
    with use_locale(user.locale or ctx.locale):
        text, _buttons = await task_card(ctx, view)
        intro = _("{name} handed you this task:").format(
            name=clean_user_text(by) or _("Your head")
        )
        buttons = [[Button(_("📝 Report progress"), f"r:{view.id}")]]
        ctx.push(
            Address(target.channel, target.chat_id, target.external_id),
            intro + "\n" + text,
            buttons,
        )
