"""The delivery report of a broadcast and the recipients' acknowledgements.

`/broadcast status [N]` and the Refresh button (bs:<id>) show where the deliveries stand;
bn:<id> lists everyone who has not acknowledged; ack:<id> is the recipients' button. The
conversation that prepares a broadcast is handlers.directives.broadcast.
"""

from __future__ import annotations

from handlers.context import Context
from handlers.directives.broadcast_render import report
from handlers.i18n import _
from handlers.markup import bold
from handlers.render import shorten
from store import broadcasts as store
from store.audit import audit


async def show_status(ctx: Context, which: str | None) -> None:
    """The delivery report of broadcast `which` (a number), or of the latest one."""
    if which is not None and not which.lstrip("#").isdigit():
        ctx.reply(_("Usage: /broadcast status [NUMBER]"))
        return
    if which is None:
        broadcast = await store.latest_broadcast(ctx.session)
    else:
        broadcast = await store.get_broadcast(ctx.session, int(which.lstrip("#")))
    if broadcast is None:
        ctx.reply(_("There is no such broadcast."))
        return
    stats = await store.broadcast_stats(ctx.session, broadcast.id, names=10)
    unacked = await store.count_unacknowledged(ctx.session, broadcast.id)
    out = report(broadcast, stats, ctx.options.tz, unacked_total=unacked)
    ctx.reply(out.text, out.buttons)


async def list_unacked(ctx: Context, broadcast_id: int) -> None:
    """Everyone who got broadcast `broadcast_id` and has not acknowledged it (button bn:<id>)."""
    names = await store.unacknowledged(ctx.session, broadcast_id, limit=200)
    if not names:
        ctx.reply(
            _("Everyone who received broadcast #{id} has acknowledged it.").format(id=broadcast_id)
        )
        return
    lines = [bold(_("Not yet acknowledged (broadcast #{id}):").format(id=broadcast_id))]
    lines += [f"• {shorten(name, 80)}" for name in names]
    ctx.reply("\n".join(lines))


async def acknowledge(ctx: Context, args: list[str]) -> None:
    """Triggered by a recipient's Acknowledge button `ack:<broadcast id>` (anyone may press)."""
    if len(args) != 1 or not args[0].isdigit():
        ctx.reply(_("That button is not valid. Send /help to see what I can do."))
        return
    a = ctx.incoming.address
    done = await store.acknowledge(
        ctx.session,
        int(args[0]),
        user_id=ctx.user.id if ctx.user else None,
        channel=a.channel,
        chat_id=a.chat_id,
        now=ctx.now,
    )
    if done is None:
        ctx.reply(_("This announcement was not sent to you."))
        return
    if not done:
        if a.is_private:
            ctx.reply(_("You have already acknowledged this announcement."))
        else:
            ctx.reply(_("This group has already acknowledged this announcement."))
        return
    audit(
        ctx.session,
        actor_id=ctx.user.id if ctx.user else None,
        action="broadcast_ack",
        target=f"broadcast:{args[0]}",
        detail={"chat": a.chat_id},
        now=ctx.now,
    )
    ctx.reply(_("Thank you: your acknowledgement is recorded."))
