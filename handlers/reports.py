"""Progress reports: one-line reports ("NV 7 đạt 50%"), the guided flow, and undo."""

from __future__ import annotations

import re
from typing import Any

from handlers.context import Context
from handlers.evidence import attachment_ref, take_evidence
from handlers.i18n import _
from handlers.intents import Intent
from handlers.markup import bold, clean_user_text
from handlers.render import shorten, status_label, task_button_label, task_line
from handlers.scope import not_linked_text, reportable_unit_ids
from handlers.types import Button
from store import assignments as q
from store.assignments import AssignmentView
from store.conversations import clear_flow, get_flow, set_flow
from store.models import Assignment
from store.reports import latest_by_author, record_report, undo_report
from store.status import Status
from store.text import fold

FLOW_PICK = "report_pick"
FLOW_PROGRESS = "report_progress"
FLOW_NOTE = "report_note"
FLOW_FILE = "report_file"
FLOW_CONFIRM = "report_confirm"
FLOWS = (FLOW_PICK, FLOW_PROGRESS, FLOW_NOTE, FLOW_FILE, FLOW_CONFIRM)

# A note is stored whole; past this it is refused with an explanation rather than cut. Chat apps
# split long texts (Telegram at 4,096 characters), so the guided flow appends the parts.
NOTE_LIMIT = 20_000
# Typed instead of pressing Skip at the note or file step (folded: no case, no diacritics).
_SKIP_WORDS = frozenset({"bo qua", "skip", "khong", "khong co", "ko", "k", "no", "none", "-"})
_PERCENT = re.compile(r"^\s*(\d{1,3})\s*(%|phan tram|phần trăm)?\s*$", re.I)


def _cancel_row() -> list[Button]:
    return [Button(_("Cancel"), "x")]


async def _require_reporter(ctx: Context) -> list[int] | None:
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


def _source_key(ctx: Context) -> str | None:
    inc = ctx.incoming
    if inc.message_id is None:
        return None
    return f"{inc.address.channel}:{inc.address.chat_id}:{inc.message_id}"


async def _load_own(
    ctx: Context, assignment_id: int, unit_ids: list[int]
) -> AssignmentView | None:
    view = await q.get_view(ctx.session, assignment_id, ctx.today)
    if view is None:
        ctx.reply(_("That task no longer exists. Send /list to see your tasks."))
        return None
    if view.unit_id not in unit_ids:
        ctx.reply(_("You can only report on your own unit's tasks."))
        return None
    return view


async def _save(
    ctx: Context,
    view: AssignmentView,
    *,
    percent: int | None,
    done: bool,
    note: str,
    attachment: str | None = None,
) -> None:
    """Persist the report, then (and only then) queue the "received" answer."""
    assignment = await ctx.session.get(Assignment, view.id)
    assert assignment is not None
    report = await record_report(
        ctx.session,
        assignment=assignment,
        author_id=ctx.user.id if ctx.user else None,
        percent=percent,
        done=done,
        text=note,
        now=ctx.now,
        local_day=ctx.today,
        attachment=attachment,
        source_key=_source_key(ctx),
    )
    await clear_flow(ctx.session, ctx.flow_key)
    fresh = await q.get_view(ctx.session, view.id, ctx.today)
    assert fresh is not None
    if fresh.status in (Status.DONE_ON_TIME, Status.DONE_LATE):
        progress = status_label(fresh.status)
    else:
        progress = f"{fresh.progress}%"
    text = _("Received: task {seq} — {progress}.").format(seq=fresh.seq, progress=progress)
    text = bold(text) + "\n" + shorten(fresh.title)
    if note:
        text += "\n" + _("Note: {note}").format(note=shorten(note, 300))
    if attachment:
        text += "\n" + _("Evidence file attached.")
    minutes = int(ctx.options.undo_window.total_seconds() // 60)
    text += "\n" + _("Made a mistake? Press Undo within {minutes} minutes.").format(
        minutes=minutes
    )
    ctx.reply(text, [[Button(_("Undo"), f"u:{report.id}")]])


async def handle_report(ctx: Context, intent: Intent) -> None:
    """Triggered by "NV 7 đạt 50%", "xong nhiệm vụ số 5" or just "báo cáo" (guided flow)."""
    unit_ids = await _require_reporter(ctx)
    if unit_ids is None:
        return
    if intent.percent is not None and not 0 <= intent.percent <= 100:
        ctx.reply(_("Progress must be between 0% and 100%. For example: task 7 50%"))
        return
    if intent.task_ref is None:
        await start_guided(ctx, unit_ids)
        return
    matches = await q.find_for_units(ctx.session, unit_ids, intent.task_ref, ctx.today)
    if not matches:
        ctx.reply(
            _(
                "Your unit has no task {ref}. Send /list to see your tasks and their numbers."
            ).format(ref=clean_user_text(intent.task_ref)[:40])
        )
        return
    if len(matches) > 1:
        rows = [[Button(task_button_label(v), f"r:{v.id}")] for v in matches[:8]]
        ctx.reply(_("Several tasks match {ref}. Which one?").format(ref=intent.task_ref), rows)
        return
    view = matches[0]
    done = intent.status == "done"
    if intent.percent is None and not done:
        await _ask_progress(ctx, view)
        return
    note = intent.note.strip()
    if _note_too_long(ctx, note):
        return
    await _save(ctx, view, percent=intent.percent, done=done, note=note)


def _note_too_long(ctx: Context, note: str) -> bool:
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
    unit_ids = await _require_reporter(ctx)
    if unit_ids is None:
        return
    text = clean_user_text(ctx.incoming.text).strip()
    if flow == FLOW_PICK:
        matches = await q.find_for_units(ctx.session, unit_ids, text.removeprefix("#"), ctx.today)
        if len(matches) != 1:
            ctx.reply(_("Please pick a task from the list or type its number."), [_cancel_row()])
            return
        await _ask_progress(ctx, matches[0])
    elif flow == FLOW_PROGRESS:
        m = _PERCENT.match(text)
        if m is None or int(m.group(1)) > 100:
            ctx.reply(_("Please type a number from 0 to 100, for example 60."), [_cancel_row()])
            return
        await _ask_note(ctx, {**data, "p": int(m.group(1))})
    elif flow == FLOW_NOTE:
        if ctx.incoming.file is None and fold(text) in _SKIP_WORDS:
            await _ask_file(ctx, {**data, "n": ""})
            return
        if _note_too_long(ctx, text):
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
            if _note_too_long(ctx, note):
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
    unit_ids = await _require_reporter(ctx)
    if unit_ids is None:
        return
    state = await get_flow(ctx.session, ctx.flow_key, ctx.now)
    flow, data = state if state else ("", {})
    ids = [_db_id(a) for a in args]
    if code == "r" and len(args) == 1 and ids[0] is not None:
        view = await _load_own(ctx, ids[0], unit_ids)
        if view is not None:
            await _ask_progress(ctx, view)
    elif code == "p" and len(args) == 2 and ids[0] is not None and (ids[1] or 0) <= 100:
        view = await _load_own(ctx, ids[0], unit_ids)
        if view is not None:
            await _ask_note(ctx, {"a": view.id, "p": ids[1]})
    elif code == "n" and flow == FLOW_NOTE:
        await _ask_file(ctx, {**data, "n": ""})
    elif code == "f" and flow == FLOW_FILE:
        await _ask_confirm(ctx, data)
    elif code == "c" and flow == FLOW_CONFIRM:
        view = await _load_own(ctx, data["a"], unit_ids)
        if view is not None:
            attachment = attachment_ref(ctx, data)
            pct = data["p"]
            await _save(
                ctx,
                view,
                percent=pct,
                done=pct == 100,
                note=data.get("n", ""),
                attachment=attachment,
            )
    elif code == "u" and len(args) == 1 and ids[0] is not None:
        await _undo(ctx, ids[0])
    else:
        ctx.reply(_("That button has expired. Send “report” to start a new report."))


async def handle_undo(ctx: Context, intent: Intent) -> None:
    """Triggered by /undo or "hoàn tác": remove the writer's last report if it is recent."""
    if await _require_reporter(ctx) is None:
        return
    await _undo(ctx, None)


async def _undo(ctx: Context, report_id: int | None) -> None:
    """Undo the writer's newest report, if it is recent (and is the one the button names)."""
    user = ctx.user
    assert user is not None
    latest = await latest_by_author(ctx.session, user.id, ctx.now - ctx.options.undo_window)
    if latest is None or (report_id is not None and latest.id != report_id):
        ctx.reply(_("There is no recent report of yours to undo (the undo window has passed)."))
        return
    assignment_id = latest.assignment_id
    await undo_report(ctx.session, latest, now=ctx.now)
    view = await q.get_view(ctx.session, assignment_id, ctx.today)
    seq = view.seq if view else "?"
    ctx.reply(_("Undone: your report on task {seq} was removed.").format(seq=seq))
