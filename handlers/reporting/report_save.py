"""Saving a progress report, shared by the one-line report, the guided flow and confirmations.

Every accepted report is recorded (store.actions.reports: persisted and audited) before the
bot says "received".
"""

from __future__ import annotations

from handlers.context import Context
from handlers.i18n import _
from handlers.markup import bold, clean_user_text
from handlers.render import shorten, status_label, task_button_label
from handlers.scope import not_linked_text, reportable_unit_ids
from handlers.types import Button
from store import assignments as q
from store.actions import CHAT, Actor
from store.actions.reports import record_report
from store.assignments import AssignmentView
from store.conversations import clear_flow
from store.status import Status

# A note is stored whole; past this it is refused with an explanation rather than cut. Chat apps
# split long texts (Telegram at 4,096 characters), so the guided flow appends the parts.
NOTE_LIMIT = 20_000


async def require_reporter(ctx: Context) -> list[int] | None:
    """The units the writer may report for here, or None after saying why there are none."""
    unit_ids = await reportable_unit_ids(ctx)
    if not unit_ids:
        if ctx.unit is not None and not ctx.incoming.address.is_private:
            ctx.reply(
                _(
                    "This group is not linked to your unit. Please report in a private chat "
                    "with me."
                )
            )
            return None
        ctx.reply(not_linked_text())
        return None
    return unit_ids


def source_key(ctx: Context) -> str | None:
    """The key that makes a report of one chat message unique (redelivery saves it once)."""
    inc = ctx.incoming
    if inc.message_id is None:
        return None
    return f"{inc.address.channel}:{inc.address.chat_id}:{inc.message_id}"


async def save_report(
    ctx: Context,
    view: AssignmentView,
    *,
    percent: int | None,
    done: bool,
    note: str,
    attachment: str | None = None,
    original: str | None = None,
    part: int = 0,
) -> None:
    """Persist the report, then (and only then) queue the "received" answer.

    Recurring and annual work is never closed: `xong` or 100 % records today's report (so
    today counts as reported) and the task stays open for the next ones.
    """
    key = source_key(ctx)
    recorded = await record_report(
        ctx.session,
        actor=Actor(ctx.user.id if ctx.user else None, CHAT),
        assignment_id=view.id,
        percent=percent,
        done=done,
        note=note,
        now=ctx.now,
        local_day=ctx.today,
        attachment=attachment,
        # One message may report on several tasks: each part has its own key.
        source_key=f"{key}#{part}" if part and key else key,
        original=original if original is not None else ctx.incoming.text or None,
    )
    recurring = recorded.recurring
    await clear_flow(ctx.session, ctx.flow_key)
    fresh = await q.get_view(ctx.session, view.id, ctx.today)
    assert fresh is not None
    if recurring:
        text = _("Received: today's report on task {seq} (recurring; it stays open).").format(
            seq=fresh.seq
        )
    else:
        if fresh.status in (Status.DONE_ON_TIME, Status.DONE_LATE):
            progress = status_label(fresh.status)
        else:
            progress = f"{fresh.progress}%"
        text = _("Received: task {seq} — {progress}.").format(seq=fresh.seq, progress=progress)
    text = bold(text) + "\n" + shorten(fresh.title)
    if note:
        text += "\n" + _("Note: {note}").format(note=shorten(note, 300))
    if percent is None and not done and not recurring:
        text += "\n" + _("Progress unchanged (no percentage given).")
    if attachment:
        text += "\n" + _("Evidence file attached.")
    minutes = int(ctx.options.undo_window.total_seconds() // 60)
    text += "\n" + _("Made a mistake? Send /undo within {minutes} minutes.").format(
        minutes=minutes
    )
    # The Undo button is never numbered (handlers.choices): a stray number cannot press it.
    ctx.reply(text, [[Button(_("Undo"), f"u:{recorded.report_id}")]])


async def find_one(ctx: Context, unit_ids: list[int], ref: str) -> AssignmentView | None:
    """The unit's one task `ref`, or None after saying why (none, or several to pick from)."""
    matches = await q.find_for_units(ctx.session, unit_ids, ref, ctx.today)
    if not matches:
        ctx.reply(
            _(
                "Your unit has no task {ref}. Send /list to see your tasks and their numbers."
            ).format(ref=clean_user_text(ref)[:40])
        )
        return None
    if len(matches) > 1:
        rows = [[Button(task_button_label(v), f"r:{v.id}")] for v in matches[:8]]
        ctx.reply(_("Several tasks match {ref}. Which one?").format(ref=ref), rows)
        return None
    return matches[0]


def note_too_long(ctx: Context, note: str) -> bool:
    """Refuse (and say why) a note over NOTE_LIMIT; nothing is cut silently."""
    if len(note) <= NOTE_LIMIT:
        return False
    ctx.reply(
        _(
            "Your note is {length} characters long; the limit is {limit}. Please shorten it "
            "or attach the details as a file. Nothing was saved."
        ).format(length=len(note), limit=NOTE_LIMIT)
    )
    return True


async def load_own(ctx: Context, assignment_id: int, unit_ids: list[int]) -> AssignmentView | None:
    """The assignment if it exists and belongs to one of `unit_ids`; else None, said why."""
    view = await q.get_view(ctx.session, assignment_id, ctx.today)
    if view is None:
        ctx.reply(_("That task no longer exists. Send /list to see your tasks."))
        return None
    if view.unit_id not in unit_ids:
        ctx.reply(_("You can only report on your own unit's tasks."))
        return None
    return view
