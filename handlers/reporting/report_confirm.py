"""Reports the bot is not sure of: it asks with buttons instead of guessing.

A message that reads as a report but also holds a question word (`nv 1 xong, ai ký?`) is
confirmed first ("Ghi nhận NV 1 đã hoàn thành?"); several tasks in one message give one report
each, or a question when it is unclear what each one reached. The pending report waits in the
participant's conversation row (`FLOW`), so the answer works after a restart and on any replica.
"""

from __future__ import annotations

from typing import Any

from handlers.context import Context
from handlers.i18n import _
from handlers.markup import bold
from handlers.parsing.intents import Intent
from handlers.render import shorten
from handlers.reporting.report_save import find_one, load_own, require_reporter, save_report
from handlers.types import Button
from store.conversations import get_flow, set_flow

FLOW = "report_check"
BUTTON_CODES = ("k",)


def _what(seq: int, percent: int | None, done: bool) -> str:
    if done:
        return _("Record task {seq} as done?").format(seq=seq)
    if percent is not None:
        return _("Record task {seq} at {percent}%?").format(seq=seq, percent=percent)
    return _("Record this update on task {seq}?").format(seq=seq)


async def ask_to_confirm(ctx: Context, view: Any, intent: Intent) -> None:
    """Keep the report aside and ask "Ghi nhận NV 1 đã hoàn thành?" with Yes / No."""
    done = intent.status == "done"
    data = {
        "a": view.id,
        "p": intent.percent,
        "d": done,
        "n": intent.note,
        "o": ctx.incoming.text,
    }
    await set_flow(ctx.session, ctx.flow_key, FLOW, data, ctx.now)
    lines = [bold(_what(view.seq, intent.percent, done)), shorten(view.title)]
    if intent.note:
        lines.append(_("Note: {note}").format(note=shorten(intent.note, 300)))
    lines.append(_("Your message may also be a question, so nothing is saved yet."))
    ctx.reply(
        "\n".join(lines),
        [
            [Button(_("Yes, record it"), "k"), Button(_("No"), "x")],
            [Button(_("See the task"), f"t:{view.id}")],
        ],
    )


async def on_button(ctx: Context, code: str, args: list[str]) -> None:
    """Button k: the official confirms the report kept aside."""
    unit_ids = await require_reporter(ctx)
    if unit_ids is None:
        return
    state = await get_flow(ctx.session, ctx.flow_key, ctx.now)
    if state is None or state[0] != FLOW:
        ctx.reply(_("That button has expired. Send “report” to start a new report."))
        return
    data = state[1]
    view = await load_own(ctx, int(data["a"]), unit_ids)
    if view is None:
        return
    await save_report(
        ctx,
        view,
        percent=data.get("p"),
        done=bool(data.get("d")),
        note=data.get("n") or "",
        original=data.get("o"),
    )


async def report_several(ctx: Context, intent: Intent, unit_ids: list[int]) -> None:
    """`nv 2 và nv 7 đều đạt 80%`: one report per task, or a question when unclear."""
    parts = intent.parts
    unclear = [p for p in parts if p.status is None and p.percent is None]
    bad = [p for p in parts if p.bad_percent or not 0 <= (p.percent or 0) <= 100]
    if bad:
        ctx.reply(_("Progress must be between 0% and 100%. For example: task 7 50%"))
        return
    views = []
    for part in parts:
        assert part.task_ref is not None
        view = await find_one(ctx, unit_ids, part.task_ref)
        if view is None:
            return  # nothing saved: the official fixes the message and sends it again
        views.append(view)
    if unclear or intent.uncertain:
        refs = ", ".join(_("task {seq}").format(seq=v.seq) for v in views)
        ctx.reply(
            _(
                "I read several tasks ({refs}) but not what to record for each. Please send "
                "one line per task, for example: task {seq} 80%"
            ).format(refs=refs, seq=views[0].seq),
            [[Button(_("Report on task {seq}").format(seq=v.seq), f"r:{v.id}")] for v in views],
        )
        return
    for index, (part, view) in enumerate(zip(parts, views, strict=True)):
        await save_report(
            ctx,
            view,
            percent=part.percent,
            done=part.status == "done",
            note=part.note.strip(),
            part=index,
        )
