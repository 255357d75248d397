"""/score in the chat: the scores of the units a chat sees, for a period (this month by default).

The figures come from handlers.summaries.score, the text from handlers.summaries.pushes (the
same as the scheduler's monthly scoreboard).
"""

from __future__ import annotations

from handlers.context import Context
from handlers.i18n import _
from handlers.parsing.intents import Intent
from handlers.parsing.periods import parse_period
from handlers.scope import visible_units_or_explain
from handlers.summaries.pushes import score_text
from handlers.summaries.score import compute_scores


async def answer_score(ctx: Context, intent: Intent) -> None:
    """Triggered by /score [period] or "bảng xếp hạng tháng 9": scores of the units seen here."""
    unit_ids = await visible_units_or_explain(ctx)
    if unit_ids is None:
        return
    period = intent.period or parse_period("tháng này", ctx.today)
    assert period is not None
    if period.start > ctx.today:
        ctx.reply(_("That period has not started yet, so there is nothing to score."))
        return
    scores = await compute_scores(
        ctx.session,
        unit_ids,
        start=period.start,
        end=period.end,
        now=ctx.now,
        tz=ctx.options.tz,
        rules=ctx.options.reporting,
    )
    ctx.reply(score_text(scores, period, ctx.options.reporting, ctx.today))
