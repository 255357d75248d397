"""The admin's /broadcast conversation, and the routing of every broadcast button.

Flow (private chat, admins only): the message text and/or a document → who receives it (all
linked officials, chosen units — fuzzy names —, or every linked group) → a preview showing the
copy recipients get and how many they are → Send. A directive document can have its tasks
imported in the same step. Send records a queued `Broadcast`; the scheduler fans it out into
the outbox (scheduler.broadcasts), so a 10,000-recipient broadcast never holds up this chat.

Then `/broadcast status [N]` (or the Refresh button) shows delivered / still sending /
blocked / failed and who has not acknowledged (handlers.directives.broadcast_status); the author
also gets the report when sending has finished. Recipients press `ack:<id>` to acknowledge.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from handlers.context import Context
from handlers.directives import broadcast_status as status
from handlers.directives import import_review
from handlers.directives.broadcast_render import (
    ACK,
    STATUS,
    TEXT_LIMIT,
    UNACKED,
    announcement,
    file_ref,
    targets_label,
)
from handlers.directives.import_errors import refusal_detail
from handlers.directives.import_review_render import IMPORT_TYPES, import_error_text
from handlers.i18n import _
from handlers.markup import bold, clean_user_text
from handlers.parsing.intents import Intent
from handlers.render import shorten
from handlers.types import Button
from store.actions import CHAT, Actor
from store.actions.broadcasts import DirectiveFile, preview_reach, record_broadcast
from store.actions.directives import ImportFormatError, ParsedDirective, read_file, source_hash
from store.broadcasts import Reach
from store.conversations import clear_flow, get_flow, set_flow
from store.import_drafts import parsed_from_dict
from store.models import Broadcast
from store.registry import UnitRegistry
from store.text import fold
from store.units import full_names, get_unit

logger = logging.getLogger(__name__)

FLOW_COMPOSE = "bc_compose"
FLOW_TARGET = "bc_target"
FLOW_UNITS = "bc_units"
FLOW_CONFIRM = "bc_confirm"
FLOWS = (FLOW_COMPOSE, FLOW_TARGET, FLOW_UNITS, FLOW_CONFIRM)

TARGET = "bt"  # bt:all | bt:units | bt:groups
UNIT = "bu"  # bu:<unit id>, a candidate for a name that matched no unit for sure
IMPORT = "bi"  # switch importing the document's tasks on or off
SEND = "bok"
BUTTON_CODES = (TARGET, UNIT, IMPORT, SEND, STATUS, UNACKED, ACK)
_STATUS_WORDS = frozenset({"status", "trangthai", "tinhtrang", "ketqua"})
_NAME_SPLIT = re.compile(r"[,;\n]+")
MAX_UNITS = 200


def _cancel() -> list[Button]:
    return [Button(_("Cancel"), "x")]


async def handle_broadcast(ctx: Context, intent: Intent) -> None:
    """Triggered by /broadcast [text] (/thongbao), or /broadcast status [N]: admins only."""
    if not ctx.is_admin:
        ctx.reply(_("Only admins can send broadcasts."))
        return
    argument = intent.argument.strip()
    words = argument.split()
    if words and fold(words[0]) in _STATUS_WORDS:
        await status.show_status(ctx, words[1] if len(words) > 1 else None)
        return
    if not ctx.incoming.address.is_private:
        ctx.reply(_("Please prepare broadcasts in a private chat with me."))
        return
    if not argument:
        await set_flow(ctx.session, ctx.flow_key, FLOW_COMPOSE, {}, ctx.now)
        ctx.reply(
            _(
                "Send the message to broadcast: its text, a document (for example the new "
                "directive), or both."
            ),
            [_cancel()],
        )
        return
    if _too_long(ctx, argument):
        return
    await _ask_target(ctx, {"t": argument})


def _too_long(ctx: Context, text: str) -> bool:
    if len(text) <= TEXT_LIMIT:
        return False
    ctx.reply(
        _(
            "The message is too long ({length} characters; at most {limit}). Please shorten "
            "it and send it again."
        ).format(length=len(text), limit=TEXT_LIMIT),
        [_cancel()],
    )
    return True


async def continue_flow(ctx: Context, flow: str, data: dict[str, Any]) -> None:
    """A text or document sent while an admin prepares a broadcast."""
    if not ctx.is_admin:
        await clear_flow(ctx.session, ctx.flow_key)
        ctx.reply(_("Only admins can send broadcasts."))
        return
    text = clean_user_text(ctx.incoming.text).strip()
    if ctx.incoming.file is not None and flow in (FLOW_COMPOSE, FLOW_TARGET):
        taken = await _take_file(ctx, data)
        if taken is not None:
            await _ask_target(ctx, taken)
        return
    if flow == FLOW_COMPOSE or (flow == FLOW_TARGET and not data.get("t")):
        if not text:
            ctx.reply(_("Please send the text or the document to broadcast."), [_cancel()])
            return
        if not _too_long(ctx, text):
            await _ask_target(ctx, {**data, "t": text})
        return
    picking = flow in (FLOW_TARGET, FLOW_UNITS) or data.get("tg") == "units"
    if picking and text:
        await _pick_units(ctx, data, text)
        return
    ctx.reply(_("Press Send to broadcast it, or Cancel."))


async def _take_file(ctx: Context, data: dict[str, Any]) -> dict[str, Any] | None:
    """Attach the document just sent; read its tasks when it looks like a directive."""
    file = ctx.incoming.file
    assert file is not None
    if (file.size or 0) > ctx.options.max_upload_bytes:
        ctx.reply(import_error_text("too_large"), [_cancel()])
        return None
    data = {k: v for k, v in data.items() if k not in ("f", "d", "h", "imp")}
    caption = clean_user_text(ctx.incoming.text).strip()
    if caption and not data.get("t"):
        if _too_long(ctx, caption):
            return None
        data["t"] = caption
    if file.ref:
        data["f"] = {"ref": file_ref(ctx.incoming.address.channel, file.ref), "name": file.name}
    if file.name.lower().endswith(IMPORT_TYPES) and file.fetch is not None:
        try:
            content = await file.fetch()
        except Exception as exc:  # a download failure must not lose the broadcast
            logger.warning("broadcast document download failed: %s", type(exc).__name__)
            ctx.reply(_("I could not download the file to read its tasks."))
        else:
            ctx.reply(_("Reading {name}…").format(name=clean_user_text(file.name)))
            ctx.defer(*_reader(ctx, data, content, file.name))
            return None
    if not data.get("t") and "f" not in data:
        ctx.reply(_("Please send the text or the document to broadcast."), [_cancel()])
        return None
    return data


def _reader(ctx: Context, data: dict[str, Any], content: bytes, name: str) -> tuple[Any, Any]:
    """The deferred read of a broadcast document (see handlers.later): the import worker,
    then, if the broadcast is still being prepared, its tasks attached and the target asked."""
    max_bytes = ctx.options.max_upload_bytes

    async def read() -> ParsedDirective | ImportFormatError:
        return await read_file(content, name, max_bytes=max_bytes)

    async def then(later: Context, parsed: ParsedDirective | ImportFormatError) -> None:
        state = await get_flow(later.session, later.flow_key, later.now)
        if state is None or state[0] not in (FLOW_COMPOSE, FLOW_TARGET):
            return  # cancelled (or sent) while the file was read
        if isinstance(parsed, ImportFormatError):
            reason = " ".join(
                filter(None, [import_error_text(parsed.code), refusal_detail(parsed)])
            )
            later.reply(_("Its tasks cannot be imported: {reason}").format(reason=reason))
        else:  # any readable directive, numbered or not (the draft names the unnumbered)
            data.update(d=parsed.to_dict(), h=source_hash(content), imp=True)
        if not data.get("t") and "f" not in data:
            later.reply(_("Please send the text or the document to broadcast."), [_cancel()])
            return
        await _ask_target(later, data)

    return read, then


async def _ask_target(ctx: Context, data: dict[str, Any]) -> None:
    await set_flow(ctx.session, ctx.flow_key, FLOW_TARGET, data, ctx.now)
    lines = [bold(_("Who should receive it?"))]
    if data.get("t"):
        lines.append(_("Message: {text}").format(text=shorten(data["t"], 200)))
    if data.get("f"):
        lines.append(_("Document: {name}").format(name=shorten(data["f"]["name"], 80)))
    else:
        lines.append(_("You can still send a document to attach."))
    lines.append(_("Or type the names of the units, separated by commas."))
    ctx.reply(
        "\n".join(lines),
        [
            [Button(_("All linked officials"), f"{TARGET}:all")],
            [Button(_("Choose units…"), f"{TARGET}:units")],
            [Button(_("All linked groups"), f"{TARGET}:groups")],
            _cancel(),
        ],
    )


async def _pick_units(ctx: Context, data: dict[str, Any], text: str) -> None:
    """Match typed unit names (abbreviations and typos allowed); ask about unclear ones."""
    registry = await UnitRegistry.load(ctx.session)
    chosen = list(data.get("u", []))
    missing: list[list[Any]] = []
    for name in [n.strip() for n in _NAME_SPLIT.split(text) if n.strip()][:30]:
        match = registry.match(name)
        if match.unit is not None and match.unit.id is not None:
            if match.unit.id not in chosen:
                chosen.append(match.unit.id)
            continue
        options = [[c.id, c.name] for c, _score in match.candidates[:3] if c.id is not None]
        missing.append([name[:60], options])
    await _preview(ctx, {**data, "tg": "units", "u": chosen[:MAX_UNITS], "miss": missing})


def _targets(data: dict[str, Any]) -> dict[str, Any] | None:
    kind = data.get("tg")
    if kind in ("all", "groups"):
        return {kind: True}
    if kind == "units" and data.get("u"):
        return {"units": list(data["u"])}
    return None


async def _preview(ctx: Context, data: dict[str, Any]) -> None:
    """Show who gets what, and how many they are, with Send / import / Cancel."""
    kind = data.get("tg", "")
    targets = _targets(data)
    names = await full_names(ctx.session, data.get("u", []))
    reach = await preview_reach(ctx.session, targets) if targets else Reach(0, 0)
    lines = [bold(_("Preview of the broadcast"))]
    if kind != "units" or names:
        lines.append(_("To: {who}").format(who=targets_label(kind, names)))
    else:
        lines.append(_("No unit chosen yet: type the names of the units."))
    if targets:
        lines.append(_("Recipients: {n}").format(n=reach.total))
        if reach.reachable < reach.total:
            lines.append(
                _("{n} of them cannot be reached (they blocked the bot).").format(
                    n=reach.total - reach.reachable
                )
            )
    parsed = data.get("d")
    if parsed:
        state = _("yes") if data.get("imp") else _("no")
        lines.append(
            _("Import the {tasks} tasks of {number}: {state}").format(
                tasks=len(parsed["tasks"]), number=parsed["number"] or "—", state=state
            )
        )
    rows: list[list[Button]] = []
    for name, options in data.get("miss", []):
        if options:
            lines.append(_("“{name}” is not clear; did you mean:").format(name=name))
            rows += [[Button(shorten(label, 60), f"{UNIT}:{uid}")] for uid, label in options]
        else:
            lines.append(_("No unit matches “{name}”.").format(name=name))
    file = data.get("f") or {}
    draft = Broadcast(
        id=0, text=data.get("t", ""), file_name=file.get("name"), file_ref=file.get("ref")
    )
    copy = announcement(draft, channel=ctx.incoming.address.channel)
    lines += ["", _("Recipients will read:"), "———", copy.text]
    if reach.total:
        rows.append([Button(_("📤 Send"), SEND)])
    elif targets:
        lines.append(_("Nobody would receive it: no official or group is linked there yet."))
    if parsed:
        label = _("Do not import the tasks") if data.get("imp") else _("Import the tasks too")
        rows.append([Button(label, IMPORT)])
    rows.append(_cancel())
    data = {k: v for k, v in data.items() if k != "miss"}
    await set_flow(ctx.session, ctx.flow_key, FLOW_CONFIRM, data, ctx.now)
    ctx.reply("\n".join(lines), rows)


async def _send(ctx: Context, data: dict[str, Any]) -> None:
    """Confirmed: queue the broadcast (its tasks drafted if asked), answer with its number."""
    targets = _targets(data)
    file = data.get("f") or {}
    directive = None
    if data.get("imp") and data.get("d"):
        # Its tasks are a draft like any chat import: nothing reaches officials before review.
        parsed = parsed_from_dict(data["d"])
        directive = DirectiveFile(parsed, file.get("name"), data.get("h"))
    done = None
    if targets:
        done = await record_broadcast(
            ctx.session,
            actor=Actor(ctx.user.id if ctx.user else None, CHAT),
            text=data.get("t", ""),
            targets=targets,
            now=ctx.now,
            file_ref=file.get("ref"),
            file_name=file.get("name"),
            directive=directive,
        )
    if done is None or done.broadcast_id is None:
        ctx.reply(_("Nobody would receive it: no official or group is linked there yet."))
        return
    await clear_flow(ctx.session, ctx.flow_key)
    lines = [
        bold(
            _("Broadcast #{id} is on its way to {n} recipients.").format(
                id=done.broadcast_id, n=done.recipients
            )
        ),
        _(
            "I will send you the delivery report when it has gone out; press Refresh for the "
            "numbers so far, or send /broadcast status {id}."
        ).format(id=done.broadcast_id),
    ]
    ctx.reply("\n".join(lines), [[Button(_("🔄 Refresh"), f"{STATUS}:{done.broadcast_id}")]])
    if done.draft is not None:
        await import_review.start_review(ctx, done.draft)


async def on_button(ctx: Context, code: str, args: list[str]) -> None:
    """Buttons of broadcasts: ack:<id> (any recipient); bt, bu, bi, bok while preparing one;
    bs:<id> refresh the report, bn:<id> who has not acknowledged (admins)."""
    if code == ACK:
        await status.acknowledge(ctx, args)
        return
    if not ctx.is_admin:
        ctx.reply(_("Only admins can send broadcasts."))
        return
    if code in (STATUS, UNACKED):
        if len(args) != 1 or not args[0].isdigit():
            ctx.reply(_("That button is not valid. Send /help to see what I can do."))
        elif code == STATUS:
            await status.show_status(ctx, args[0])
        else:
            await status.list_unacked(ctx, int(args[0]))
        return
    state = await get_flow(ctx.session, ctx.flow_key, ctx.now)
    if state is None or state[0] not in FLOWS:
        ctx.reply(_("That button has expired. Send /broadcast to start again."))
        return
    flow, data = state
    if code == TARGET and args and args[0] == "units":
        await set_flow(ctx.session, ctx.flow_key, FLOW_UNITS, {**data, "tg": "units"}, ctx.now)
        ctx.reply(
            _(
                "Type the names of the units, separated by commas (abbreviations such as BCA "
                "or Bộ KH&CN work)."
            ),
            [_cancel()],
        )
    elif code == TARGET and args and args[0] in ("all", "groups"):
        await _preview(ctx, {**data, "tg": args[0]})
    elif code == UNIT and len(args) == 1 and args[0].isdigit():
        unit = await get_unit(ctx.session, int(args[0]))
        chosen = list(data.get("u", []))
        if unit is not None and unit.active and unit.id not in chosen:
            chosen.append(unit.id)
        await _preview(ctx, {**data, "tg": "units", "u": chosen[:MAX_UNITS]})
    elif code == IMPORT and data.get("d") and flow == FLOW_CONFIRM:
        await _preview(ctx, {**data, "imp": not data.get("imp")})
    elif code == SEND and flow == FLOW_CONFIRM:
        await _send(ctx, data)
    else:
        ctx.reply(_("That button has expired. Send /broadcast to start again."))
