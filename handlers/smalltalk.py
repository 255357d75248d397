"""Small talk and limits: thanks get a short, polite answer; things the bot cannot do get a
plain "not yet" and what it can do instead. Officials are addressed as "anh/chị"."""

from __future__ import annotations

from handlers.context import Context
from handlers.i18n import _
from handlers.parsing.intents import NOT_YET, Intent
from handlers.people.onboarding import handle_unknown


async def answer_thanks(ctx: Context, intent: Intent) -> None:
    """Triggered by `cảm ơn`, `ok`, `thank you`, 👍: a short answer, nothing else."""
    ctx.reply(_("You're welcome! Write to me any time you need something."))


async def answer_unknown(ctx: Context, intent: Intent) -> None:
    """Anything not understood; a request the bot cannot fulfil yet is told so plainly."""
    if intent.argument != NOT_YET:
        await handle_unknown(ctx, intent)
        return
    ctx.reply(
        "\n".join(
            [
                _("Sorry, I cannot do that yet."),
                _(
                    "I can: tell you what is due (“việc gì đến hạn tháng này”), show one task "
                    "(“nv 7”), record a report (“nv 7 đạt 50%”), list what is not reported today "
                    "(“chưa báo cáo”) and pass on a request for more time (“xin gia hạn nv 7 "
                    "đến 15/1 vì …”)."
                ),
                _("The daily reminder comes by itself at the reporting cut-off."),
            ]
        )
    )
