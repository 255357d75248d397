"""Review before tasks go live: an admin's directive import from the chat is a draft.

Flow (admins only, private chat): the admin sends a directive file → a draft is stored and
the summary shown (N tasks, K to check) with the first flagged task → the admin fixes tasks
with buttons or short messages (`handlers.directives.import_review_commands`) → `xác nhận` /
Confirm makes the tasks live (`store.import_drafts.confirm_draft`, audited). Until then no official
sees anything of the draft. `hủy nháp` / Discard throws it away; `hủy` only leaves the review
(the draft stays open and `/import` lists it). Drafts expire after `DRAFT_TTL`.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from handlers.context import Context
from handlers.directives import import_review_commands as cmd
from handlers.directives import import_review_render as render
from handlers.directives.import_errors import refusal_detail
from handlers.directives.import_review_render import import_error_text
from handlers.i18n import _
from handlers.markup import bold, clean_user_text
from handlers.parsing.intents import IntentName, parse_intent
from handlers.types import Button
from store.actions import CHAT, Actor
from store.actions.directives import (
    ImportFormatError,
    ParsedDirective,
    draft_directive,
    read_file,
    source_hash,
)
from store.conversations import clear_flow, set_flow
from store.import_drafts import (
    OPEN,
    DraftItem,
    DraftView,
    cancel_draft,
    confirm_draft,
    edit_task,
    get_draft,
    open_drafts,
    set_deadline,
    view_draft,
)
from store.models import ImportDraft
from store.registry import UnitRegistry

logger = logging.getLogger(__name__)

FLOW = "imp_review"
FLOWS = (FLOW,)
CODE = render.CODE
FLOW_TTL = timedelta(days=1)


def _refuse(ctx: Context) -> bool:
    """Answer a non-admin and return True; admins pass."""
    if ctx.is_admin:
        return False
    ctx.reply(_("Only admins can import directives or review their drafts."))
    return True


def _actor(ctx: Context) -> int | None:
    return ctx.user.id if ctx.user else None


async def on_directive_file(ctx: Context, data: bytes, name: str) -> None:
    """A directive file an admin sent: read it in the import worker, then draft and review it.

    The admin hears "reading…" at once; the file is read after this message's transaction, in
    the sandbox, and the draft is made in a new one (see handlers.later).
    """
    ctx.reply(_("Reading {name}…").format(name=clean_user_text(name)))
    max_bytes = ctx.options.max_upload_bytes

    async def read() -> ParsedDirective | ImportFormatError:
        return await read_file(data, name, max_bytes=max_bytes)

    async def then(later: Context, parsed: ParsedDirective | ImportFormatError) -> None:
        await _draft_read_file(later, parsed, data, name)

    ctx.defer(read, then)


async def _draft_read_file(
    ctx: Context, parsed: ParsedDirective | ImportFormatError, data: bytes, name: str
) -> None:
    """The file was read: refuse with the reason, or store the draft and start its review."""
    if isinstance(parsed, ImportFormatError):
        detail = refusal_detail(parsed)
        ctx.reply(" ".join(filter(None, [import_error_text(parsed.code), detail])))
        return
    draft = await draft_directive(
        ctx.session,
        actor=Actor(_actor(ctx), CHAT),
        parsed=parsed,
        now=ctx.now,
        source_name=name,
        digest=source_hash(data),
    )
    await start_review(ctx, draft)


async def start_review(ctx: Context, draft: ImportDraft) -> None:
    """Show a draft's summary and its first flagged task; typed fixes go to this draft."""
    await set_flow(ctx.session, ctx.flow_key, FLOW, {"d": draft.id}, ctx.now, FLOW_TTL)
    view = await _view(ctx, draft)
    ctx.reply(render.summary_text(view, ctx.options.tz, ctx.now), render.summary_buttons(view))
    if view.to_check:
        _card(ctx, view, view.to_check[0])


async def list_drafts(ctx: Context) -> None:
    """Drafts waiting for review, each with a button to open it (part of /import)."""
    drafts = await open_drafts(ctx.session, ctx.now)
    if not drafts:
        return
    lines = [bold(_("Drafts waiting for review:"))]
    rows: list[list[Button]] = []
    for draft in drafts[:10]:
        expires = render.fmt_date(draft.expires_at.astimezone(ctx.options.tz).date())
        lines.append(
            _("{number} ({name}), expires {date}").format(
                number=draft.number, name=render.clip(draft.source_name or "", 60), date=expires
            )
        )
        rows.append(
            [Button(_("Review {number}").format(number=draft.number[:40]), f"{CODE}:{draft.id}:s")]
        )
    ctx.reply("\n".join(lines), rows)


async def _view(ctx: Context, draft: ImportDraft) -> DraftView:
    registry = await UnitRegistry.load(ctx.session)
    return await view_draft(ctx.session, draft, registry)


def _card(ctx: Context, view: DraftView, item: DraftItem) -> None:
    ctx.reply(render.card_text(view, item), render.card_buttons(view, item))


async def _open(ctx: Context, draft_id: int) -> ImportDraft | None:
    """The draft if it is still open; otherwise say what became of it."""
    draft = await get_draft(ctx.session, draft_id, ctx.now)
    if draft is None:
        ctx.reply(_("That draft does not exist. Send /import to see the open drafts."))
        return None
    if draft.status != OPEN:
        states = {
            "confirmed": _("it was confirmed"),
            "cancelled": _("it was discarded"),
            "replaced": _("the document was sent again: a newer draft replaced it"),
            "expired": _("it expired"),
        }
        ctx.reply(
            _("Draft {number} is closed: {state}.").format(
                number=draft.number, state=states.get(draft.status, draft.status)
            )
        )
        return None
    return draft


async def continue_flow(ctx: Context, flow: str, data: dict[str, Any]) -> bool:
    """A message typed while an admin reviews a draft; False lets the router answer it.

    Review commands act on the draft; a message that reads as an ordinary question or report
    (and does not start with a task number) is answered as usual and the review stays open.
    """
    if not ctx.is_admin:
        await clear_flow(ctx.session, ctx.flow_key)
        return False
    draft = await get_draft(ctx.session, int(data.get("d", 0)), ctx.now)
    if draft is None or draft.status != OPEN:
        await clear_flow(ctx.session, ctx.flow_key)
        return False
    typed = clean_user_text(ctx.incoming.text)
    command = cmd.parse_review(typed)
    if command is None:
        numbered = typed.strip()[:1].isdigit()
        if not numbered and parse_intent(typed, ctx.today).name != IntentName.UNKNOWN:
            return False
        ctx.reply(render.help_text())
        return True
    await _act(ctx, draft, command)
    return True


async def on_button(ctx: Context, code: str, args: list[str]) -> None:
    """Buttons ir:<draft>:<s|n|c|z|k|x|u>[:<position>[:<phrase>.<unit>]] of a review."""
    if _refuse(ctx):
        return
    if len(args) < 2 or not args[0].isdigit():
        ctx.reply(_("That button is not valid. Send /help to see what I can do."))
        return
    draft = await _open(ctx, int(args[0]))
    if draft is None:
        return
    await set_flow(ctx.session, ctx.flow_key, FLOW, {"d": draft.id}, ctx.now, FLOW_TTL)
    action, rest = args[1], args[2:]
    position = int(rest[0]) if rest and rest[0].isdigit() else None
    simple = {
        "s": cmd.SUMMARY,
        "n": cmd.NEXT,
        "c": cmd.CONFIRM,
        "z": cmd.DISCARD,
        "k": cmd.KEEP,
        "x": cmd.DROP,
    }
    if action in simple:
        await _act(ctx, draft, cmd.ReviewCommand(simple[action], position))
    elif action == "u" and position is not None and len(rest) == 2:
        await _pick_candidate(ctx, draft, position, rest[1])
    else:
        ctx.reply(_("That button is not valid. Send /help to see what I can do."))


async def _act(ctx: Context, draft: ImportDraft, command: cmd.ReviewCommand) -> None:
    """Carry out one review command on an open draft."""
    if command.action == cmd.CONFIRM:
        await _confirm(ctx, draft)
        return
    if command.action == cmd.DISCARD:
        cancel_draft(ctx.session, draft, now=ctx.now, actor_id=_actor(ctx))
        await clear_flow(ctx.session, ctx.flow_key)
        ctx.reply(_("Draft {number} discarded: nothing was imported.").format(number=draft.number))
        return
    view = await _view(ctx, draft)
    if command.action == cmd.SUMMARY:
        ctx.reply(render.summary_text(view, ctx.options.tz, ctx.now), render.summary_buttons(view))
        return
    if command.action == cmd.NEXT:
        await _next(ctx, view, command.position or 0)
        return
    item = view.item(command.position or 0)
    if item is None:
        ctx.reply(
            _("There is no task {pos}: this draft has tasks 1 to {n}.").format(
                pos=command.position, n=len(view.items)
            )
        )
        return
    if command.action == cmd.SHOW:
        _card(ctx, view, item)
        return
    await _edit(ctx, draft, item, command)


async def _edit(
    ctx: Context, draft: ImportDraft, item: DraftItem, command: cmd.ReviewCommand
) -> None:
    """Keep, drop or correct one task, then show what follows."""
    ref, pos = item.task.ref, item.position
    if command.action == cmd.DROP:
        edit_task(draft, ref, drop=True)
        ctx.reply(_("Task {pos} will be left out.").format(pos=pos))
        await _next(ctx, await _view(ctx, draft), pos)
        return
    if command.action == cmd.KEEP:
        # `drop=False` only undoes a drop (this review's or a saved one); else just checked.
        edit_task(draft, ref, **({"drop": False, "ok": True} if item.dropped else {"ok": True}))
        ctx.reply(_("Task {pos} will be imported as shown.").format(pos=pos))
        await _next(ctx, await _view(ctx, draft), pos)
        return
    if command.action in (cmd.LEAD, cmd.SUPPORT):
        names = await _units(ctx, cmd.split_names(command.value))
        if names is None:
            return
        edit_task(draft, ref, **{"lead" if command.action == cmd.LEAD else "cooperating": names})
    elif command.action == cmd.DEADLINE:
        accepted = set_deadline(draft, ref, command.value)  # records it when readable
        if not accepted:
            ctx.reply(
                _(
                    "I could not read “{text}” as a deadline. Write it as 30/9/2025, "
                    "Quý III/2025, tháng 10/2025 or thường xuyên."
                ).format(text=render.clip(command.value, 80))
            )
            return
    view = await _view(ctx, draft)
    updated = view.item(pos)
    assert updated is not None
    ctx.reply(_("Task {pos} corrected.").format(pos=pos))
    _card(ctx, view, updated)


async def _units(ctx: Context, names: list[str]) -> list[str] | None:
    """Typed unit names matched to units (canonical names), or None after saying which failed."""
    if not names:
        ctx.reply(_("Please name at least one unit."))
        return None
    registry = await UnitRegistry.load(ctx.session)
    out: list[str] = []
    for name in names[:30]:
        match = registry.match(name)
        if match.unit is None:
            options = ", ".join(c.name for c, _score in match.candidates[:3]) or "—"
            ctx.reply(
                _("No unit matches “{name}”. Closest: {options}").format(
                    name=render.clip(name, 80), options=options
                )
            )
            return None
        if match.unit.name not in out:
            out.append(match.unit.name)
    return out


async def _pick_candidate(ctx: Context, draft: ImportDraft, position: int, arg: str) -> None:
    """Button: replace an unresolved phrase of a task by the candidate unit chosen."""
    index, _dot, uid = arg.partition(".")
    view = await _view(ctx, draft)
    item = view.item(position)
    if item is None or not index.isdigit() or not uid.isdigit():
        ctx.reply(_("That button has expired. Send /import to see the open drafts."))
        return
    parts = item.task.unresolved
    if int(index) >= len(parts) or int(uid) not in parts[int(index)].candidate_ids:
        ctx.reply(_("That button has expired. Send /import to see the open drafts."))
        return
    part = parts[int(index)]
    name = part.candidates[part.candidate_ids.index(int(uid))]
    written = item.task.lead if part.role == "lead" else item.task.cooperating
    replaced = [p.replace(part.text, name) for p in written]
    if replaced == written:
        replaced = [p for p in written if p.strip() != part.text] + [name]
    edit_task(draft, item.task.ref, **{"lead" if part.role == "lead" else "cooperating": replaced})
    view = await _view(ctx, draft)
    updated = view.item(position)
    assert updated is not None
    ctx.reply(_("Task {pos} corrected.").format(pos=position))
    _card(ctx, view, updated)


async def _next(ctx: Context, view: DraftView, after: int) -> None:
    """The next flagged task after a position (wrapping), or the summary when none is left."""
    pending = view.to_check
    following = [i for i in pending if i.position > after] or pending
    if following:
        _card(ctx, view, following[0])
        return
    ctx.reply(
        _("Nothing left to check: {n} tasks are ready. Confirm to publish them.").format(
            n=len(view.kept)
        ),
        render.summary_buttons(view),
    )


async def _confirm(ctx: Context, draft: ImportDraft) -> None:
    """Publish the draft: tasks and assignments go live, corrections are saved."""
    locked = await get_draft(ctx.session, draft.id, ctx.now, lock=True)
    if locked is None or locked.status != OPEN:
        ctx.reply(_("This draft was already handled."))
        return
    registry = await UnitRegistry.load(ctx.session)
    result = await confirm_draft(
        ctx.session, locked, registry=registry, now=ctx.now, actor_id=_actor(ctx)
    )
    await clear_flow(ctx.session, ctx.flow_key)
    lines = [
        bold(_("{number} is live.").format(number=locked.number)),
        _("{tasks} tasks ({new} new, {updated} updated), {assignments} unit assignments.").format(
            tasks=len(result.tasks),
            new=result.created_tasks,
            updated=result.updated_tasks,
            assignments=result.assignments,
        ),
    ]
    if result.dropped:
        lines.append(_("{d} left out.").format(d=len(result.dropped)))
    if locked.edits:
        lines.append(_("Your corrections are kept for the next import of this directive."))
    ctx.reply("\n".join(lines))
