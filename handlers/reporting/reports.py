"""Progress reports: one-line reports ("NV 7 đạt 50%") and the guided flow."""

from __future__ import annotations

import re
from typing import Any

from handlers.context import Context
from handlers.i18n import _
from handlers.markup import bold, clean_user_text
from handlers.parsing.intents import Intent
from handlers.parsing.report_parse import parse_report
from handlers.parsing.scan import Scan
from handlers.render import shorten, task_button_label, task_line
from handlers.reporting.evidence import attachment_ref, take_evidence
from handlers.reporting.report_confirm import ask_to_confirm, report_several
from handlers.reporting.report_save import (
    find_one,
    load_own,
    note_too_long,
    require_reporter,
    save_report,
)
from handlers.reporting.undo import ask_undo
from handlers.types import Button
from store import assignments as q
from store.assignments import AssignmentView
from store.conversations import get_flow, set_flow
from store.status import Status
from store.text import fold

FLOW_PICK = "report_pick"
FLOW_PROGRESS = "report_progress"
FLOW_NOTE = "report_note"
FLOW_FILE = "report_file"
FLOW_CONFIRM = "report_confirm"
FLOWS = (FLOW_PICK, FLOW_PROGRESS, FLOW_NOTE, FLOW_FILE, FLOW_CONFIRM)

# Typed instead of pressing Skip at the note or file step (folded: no case, no diacritics).
_SKIP_WORDS = frozenset({"bo qua", "skip", "khong", "khong co", "ko", "k", "no", "none", "-"})
_DONE_ANSWERS = frozenset({"xong", "da xong", "xong roi", "hoan thanh", "done", "finished"})
_PERCENT = re.compile(r"^\s*(\d{1,3})\s*(%|phan tram|phần trăm)?\s*$", re.I)


def _cancel_row() -> list[Button]:
    return [Button(_("Cancel"), "x")]


async def handle_report(ctx: Context, intent: Intent) -> None:
    """Triggered by "NV 7 đạt 50%", "xong nhiệm vụ số 5" or just "báo cáo" (guided flow)."""
    unit_ids = await require_reporter(ctx)
    if unit_ids is None:
        return
    if intent.parts:
        await report_several(ctx, intent, unit_ids)
        return
    if intent.bad_percent or (intent.percent is not None and not 0 <= intent.percent <= 100):
        ctx.reply(_("Progress must be between 0% and 100%. For example: task 7 50%"))
        return
    if intent.task_ref is None:
        await start_guided(ctx, unit_ids)
        return
    view = await find_one(ctx, unit_ids, intent.task_ref)
    if view is None:
        return
    done = intent.status == "done"
    note = intent.note.strip()
    if intent.percent is None and not done and not note and intent.status is None:
        await _ask_progress(ctx, view)
        return
    if note_too_long(ctx, note):
        return
    if intent.uncertain:
        await ask_to_confirm(ctx, view, intent)
        return
    await save_report(ctx, view, percent=intent.percent, done=done, note=note)


def _db_id(text: str) -> int | None:
    """A database id from button data, or None (digits only, within a 32-bit integer)."""
    if not text.isdigit() or len(text) > 10 or int(text) > 2**31 - 1:
        return None
    return int(text)


async def start_guided(ctx: Context, unit_ids: list[int]) -> None:
    """First step of the guided flow: pick one of the unit's open tasks."""
    views = await q.open_assignments(ctx.session, unit_ids, ctx.today)
    if not views:
        ctx.reply(_("Your unit has no open tasks to report on."))
        return
    # Overdue and soon-due work first: that is what the 16:00 deadline is about.
    views.sort(key=lambda v: (v.status != Status.OVERDUE, v.due is None, v.due or ctx.today))
    shown = views[:8]
    rows = [[Button(task_button_label(v), f"r:{v.id}")] for v in shown]
    rows.append(_cancel_row())
    if ctx.numbered:
        # Positions are shown here, so a bare number is a position; `NV 45` is task 45.
        text = _("Which task are you reporting on? Type its position in the list, or «NV 45».")
    else:
        text = _("Which task are you reporting on? Pick one or type its number.")
    if len(views) > len(shown):
        text += "\n" + _("(Showing {shown} of {total}; send /list for all.)").format(
            shown=len(shown), total=len(views)
        )
    await set_flow(ctx.session, ctx.flow_key, FLOW_PICK, {}, ctx.now)
    ctx.reply(text, rows)


async def _ask_progress(ctx: Context, view: AssignmentView) -> None:
    await set_flow(ctx.session, ctx.flow_key, FLOW_PROGRESS, {"a": view.id}, ctx.now)
    rows = [
        [Button(f"{p}%", f"p:{view.id}:{p}") for p in (25, 50, 75)],
        [Button(_("Done ✅"), f"p:{view.id}:100")],
        _cancel_row(),
    ]
    ctx.reply(
        task_line(view, ctx.today)
        + "\n\n"
        + _("How far along is it? Pick a value or type a percentage (0–100)."),
        rows,
    )


async def _ask_note(ctx: Context, data: dict[str, Any]) -> None:
    await set_flow(ctx.session, ctx.flow_key, FLOW_NOTE, data, ctx.now)
    ctx.reply(
        _("Add a short note on what was done, or press Skip."),
        [[Button(_("Skip"), "n")], _cancel_row()],
    )


async def _ask_file(ctx: Context, data: dict[str, Any]) -> None:
    await set_flow(ctx.session, ctx.flow_key, FLOW_FILE, data, ctx.now)
    ctx.reply(
        _("Send a file or photo as evidence of the product, or press Skip."),
        [[Button(_("Skip"), "f")], _cancel_row()],
    )


async def _ask_confirm(ctx: Context, data: dict[str, Any]) -> None:
    await set_flow(ctx.session, ctx.flow_key, FLOW_CONFIRM, data, ctx.now)
    view = await q.get_view(ctx.session, data["a"], ctx.today)
    assert view is not None
    pct = data["p"]
    progress = _("done") if pct == 100 else f"{pct}%"
    lines = [bold(_("Send this report?")), task_line(view, ctx.today, with_status=False)]
    lines.append(_("Progress: {progress}").format(progress=progress))
    if data.get("n"):
        # The whole note, as it will be stored: the official confirms exactly what is sent.
        lines.append(_("Note: {note}").format(note=clean_user_text(data["n"])))
    if data.get("fn"):
        lines.append(_("File: {name}").format(name=shorten(data["fn"], 80)))
    ctx.reply("\n".join(lines), [[Button(_("Send"), "c"), Button(_("Cancel"), "x")]])


async def continue_flow(ctx: Context, flow: str, data: dict[str, Any]) -> None:
    """A free-text answer (or file) inside the guided flow."""
    unit_ids = await require_reporter(ctx)
    if unit_ids is None:
        return
    text = clean_user_text(ctx.incoming.text).strip()
    if flow == FLOW_PICK:
        ref = parse_report(Scan(text)).ref or text.removeprefix("#")
        matches = await q.find_for_units(ctx.session, unit_ids, ref, ctx.today)
        if len(matches) != 1:
            ctx.reply(_("Please pick a task from the list or type its number."), [_cancel_row()])
            return
        await _ask_progress(ctx, matches[0])
    elif flow == FLOW_PROGRESS:
        if fold(text) in _DONE_ANSWERS:
            text = "100"
        m = _PERCENT.match(text)
        if m is None or int(m.group(1)) > 100:
            ctx.reply(_("Please type a number from 0 to 100, for example 60."), [_cancel_row()])
            return
        await _ask_note(ctx, {**data, "p": int(m.group(1))})
    elif flow == FLOW_NOTE:
        if ctx.incoming.file is None and fold(text) in _SKIP_WORDS:
            await _ask_file(ctx, {**data, "n": ""})
            return
        if note_too_long(ctx, text):
            return
        file = ctx.incoming.file
        if file is not None:
            # A file with a caption at the note step: the caption is the note, the file the
            # evidence.
            evidence = await take_evidence(ctx, file)
            if evidence is not None:
                await _ask_confirm(ctx, {**data, "n": text, **evidence})
            return
        await _ask_file(ctx, {**data, "n": text})
    elif flow == FLOW_FILE:
        file = ctx.incoming.file
        if file is None:
            if fold(text) in _SKIP_WORDS:
                await _ask_confirm(ctx, data)
                return
            if not text:
                ctx.reply(
                    _("Please send a file or photo, or press Skip."), [[Button(_("Skip"), "f")]]
                )
                return
            # Chat apps split a long note into several messages: the next parts arrive here.
            note = (data.get("n") or "") + ("\n" if data.get("n") else "") + text
            if note_too_long(ctx, note):
                return
            await set_flow(ctx.session, ctx.flow_key, FLOW_FILE, {**data, "n": note}, ctx.now)
            ctx.reply(
                _("Added to your note. Now send a file or photo as evidence, or press Skip."),
                [[Button(_("Skip"), "f")], _cancel_row()],
            )
            return
        evidence = await take_evidence(ctx, file)
        if evidence is not None:
            await _ask_confirm(ctx, {**data, **evidence})
    elif flow == FLOW_CONFIRM:
        ctx.reply(_("Press Send to submit the report, or Cancel."))


async def on_button(ctx: Context, code: str, args: list[str]) -> None:
    """Buttons of the report flow: r:<id> pick, p:<id>:<pct>, n skip note, f skip file, c send,
    u:<report id> undo. Anything malformed or stale gets a clear answer."""
    unit_ids = await require_reporter(ctx)
    if unit_ids is None:
        return
    state = await get_flow(ctx.session, ctx.flow_key, ctx.now)
    flow, data = state if state else ("", {})
    ids = [_db_id(a) for a in args]
    if code == "r" and len(args) == 1 and ids[0] is not None:
        view = await load_own(ctx, ids[0], unit_ids)
        if view is not None:
            await _ask_progress(ctx, view)
    elif code == "p" and len(args) == 2 and ids[0] is not None and (ids[1] or 0) <= 100:
        view = await load_own(ctx, ids[0], unit_ids)
        if view is not None:
            await _ask_note(ctx, {"a": view.id, "p": ids[1]})
    elif code == "n" and flow == FLOW_NOTE:
        await _ask_file(ctx, {**data, "n": ""})
    elif code == "f" and flow == FLOW_FILE:
        await _ask_confirm(ctx, data)
    elif code == "c" and flow == FLOW_CONFIRM:
        view = await load_own(ctx, data["a"], unit_ids)
        if view is not None:
            attachment = attachment_ref(ctx, data)
            pct = data["p"]
            await save_report(
                ctx,
                view,
                percent=pct,
                done=pct == 100,
                note=data.get("n", ""),
                attachment=attachment,
            )
    elif code == "u" and len(args) == 1 and ids[0] is not None:
        await ask_undo(ctx, ids[0])
    else:
        ctx.reply(_("That button has expired. Send “report” to start a new report."))
