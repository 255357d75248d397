"""Taking back a report: only by its own button or command, and only after a confirmation.

No typed number ever undoes anything (handlers.choices leaves the Undo button unnumbered), so
a stray `1` after a report changes nothing.
"""

from __future__ import annotations

from handlers.context import Context
from handlers.i18n import _
from handlers.parsing.intents import Intent
from handlers.reporting.report_save import require_reporter
from handlers.types import Button
from store import assignments as q
from store.reports import latest_by_author, undo_report

BUTTON_CODES = ("uy",)


async def handle_undo(ctx: Context, intent: Intent) -> None:
    """Triggered by /undo or "hoàn tác": ask before removing the writer's last report."""
    if await require_reporter(ctx) is None:
        return
    await ask_undo(ctx, None)


async def ask_undo(ctx: Context, report_id: int | None) -> None:
    """Show what would be removed, with "Yes, undo" / "Keep it"."""
    user = ctx.user
    assert user is not None
    latest = await latest_by_author(ctx.session, user.id, ctx.now - ctx.options.undo_window)
    if latest is None or (report_id is not None and latest.id != report_id):
        ctx.reply(_("There is no recent report of yours to undo (the undo window has passed)."))
        return
    view = await q.get_view(ctx.session, latest.assignment_id, ctx.today)
    seq = view.seq if view else "?"
    what = f"{latest.percent}%" if latest.percent is not None else _("an update")
    ctx.reply(
        _("Remove your report on task {seq} ({what})?").format(seq=seq, what=what),
        [[Button(_("Yes, undo"), f"uy:{latest.id}"), Button(_("Keep it"), "x")]],
    )


async def on_button(ctx: Context, code: str, args: list[str]) -> None:
    """Button uy:<report id>: the confirmed undo of the writer's newest report."""
    if await require_reporter(ctx) is None:
        return
    if len(args) != 1 or not args[0].isdigit() or len(args[0]) > 10:
        ctx.reply(_("That button is not valid. Send /help to see what I can do."))
        return
    user = ctx.user
    assert user is not None
    latest = await latest_by_author(ctx.session, user.id, ctx.now - ctx.options.undo_window)
    if latest is None or latest.id != int(args[0]):
        ctx.reply(_("There is no recent report of yours to undo (the undo window has passed)."))
        return
    assignment_id = latest.assignment_id
    await undo_report(ctx.session, latest, now=ctx.now)
    view = await q.get_view(ctx.session, assignment_id, ctx.today)
    seq = view.seq if view else "?"
    ctx.reply(_("Undone: your report on task {seq} was removed.").format(seq=seq))
