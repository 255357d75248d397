"""One ordered registry from message to handler."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable

from handlers import (
    admin,
    broadcast,
    groups,
    identity_link,
    join,
    onboarding,
    paging,
    queries,
    reports,
    score,
)
from handlers.context import Context
from handlers.i18n import _
from handlers.intents import Intent, IntentName, parse_intent
from handlers.types import Kind
from store.conversations import clear_flow, get_flow

logger = logging.getLogger(__name__)

IntentHandler = Callable[[Context, Intent], Awaitable[None]]
ButtonHandler = Callable[[Context, str, list[str]], Awaitable[None]]
CommandHandler = Callable[[Context, str], Awaitable[None]]

# Intents anyone may use, linked or not; everything else needs a linked unit (each handler
# checks scope itself, so a group linked to units can query without a linked person).
INTENTS: dict[IntentName, IntentHandler] = {
    IntentName.START: onboarding.handle_start,
    IntentName.HELP: onboarding.handle_help,
    IntentName.LANG: onboarding.handle_lang,
    IntentName.ME: onboarding.handle_me,
    IntentName.DUE: queries.answer_due,
    IntentName.OVERDUE: queries.answer_overdue,
    IntentName.LIST: queries.answer_list,
    IntentName.REPORT: reports.handle_report,
    IntentName.UNDO: reports.handle_undo,
    IntentName.INVITE: admin.handle_invite,
    IntentName.IMPORT: admin.handle_import_help,
    IntentName.SCORE: score.answer_score,
    IntentName.LINK: groups.handle_link,
    IntentName.BROADCAST: broadcast.handle_broadcast,
}

# Slash commands the intent parser does not know, matched exactly (Vietnamese aliases without
# spaces, as Telegram commands cannot contain them); the handler gets the text after the command.
COMMANDS: dict[str, CommandHandler] = {
    "unlink": groups.handle_unlink,
    "huylienket": groups.handle_unlink,
    "join": join.handle_join,
    "thamgia": join.handle_join,
    "xinthamgia": join.handle_join,
    "requests": join.handle_requests,
    "yeucau": join.handle_requests,
    "kenh": identity_link.handle_channel,
    "channel": identity_link.handle_channel,
}

# Button codes (the part of the payload before the first ":"); short because Telegram
# allows 64 bytes of callback data.
BUTTONS: dict[str, ButtonHandler] = {
    "r": reports.on_button,
    "p": reports.on_button,
    "n": reports.on_button,
    "f": reports.on_button,
    "c": reports.on_button,
    "u": reports.on_button,
    "l": admin.on_language_button,
    "x": admin.on_cancel_button,
    "g": groups.on_link_button,
    "gu": groups.on_unlink_button,
    "j": join.on_join_button,
    "ja": join.on_decide_button,
    "jr": join.on_decide_button,
    "pg": paging.on_page_button,
    "t": paging.on_task_button,
    "ch": identity_link.on_channel_button,
    **dict.fromkeys(broadcast.BUTTON_CODES, broadcast.on_button),
}

_PAYLOAD = re.compile(r"^[a-z]{1,3}(:[A-Za-z0-9_.\-]{1,24}){0,4}$")
_SLASH = re.compile(r"^\s*/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]*)?(?:\s+(.*))?$", re.S)


async def route(ctx: Context) -> None:
    """Send one message to the handler that owns it.

    Order matters: events first, then buttons, then a running guided flow (unless the user
    typed a command or "cancel"), then files, then the exact COMMANDS, then the parsed intent
    (group chatter that is not meant for the bot is left unanswered).
    """
    inc = ctx.incoming
    if inc.kind == Kind.EVENT:
        await groups.on_event(ctx)
        return
    if inc.kind == Kind.BUTTON:
        await _route_button(ctx)
        return
    intent = parse_intent(inc.text, ctx.today)
    if intent.name == IntentName.CANCEL:
        await clear_flow(ctx.session, ctx.flow_key)
        ctx.reply(_("Cancelled."))
        return
    is_command = inc.kind == Kind.COMMAND or inc.text.lstrip().startswith("/")
    state = await get_flow(ctx.session, ctx.flow_key, ctx.now)
    if state is not None and not is_command and state[0] in reports.FLOWS:
        await reports.continue_flow(ctx, *state)
        return
    # Before files: the document of a broadcast being prepared is not a directive to import.
    if state is not None and not is_command and state[0] in broadcast.FLOWS:
        await broadcast.continue_flow(ctx, *state)
        return
    if inc.kind == Kind.FILE:
        await admin.on_file(ctx)
        return
    slash = _SLASH.match(inc.text) if is_command else None
    if slash is not None and slash.group(1).lower() in COMMANDS:
        await COMMANDS[slash.group(1).lower()](ctx, slash.group(2) or "")
        return
    if groups.should_ignore(ctx, intent, is_command):
        return  # group chatter not meant for the bot
    handler = INTENTS.get(intent.name, onboarding.handle_unknown)
    await handler(ctx, intent)


async def _route_button(ctx: Context) -> None:
    payload = ctx.incoming.payload
    if not _PAYLOAD.match(payload):
        logger.info("malformed button payload rejected")
        ctx.reply(_("That button is not valid. Send /help to see what I can do."))
        return
    code, *args = payload.split(":")
    handler = BUTTONS.get(code)
    if handler is None:
        ctx.reply(_("That button is not valid. Send /help to see what I can do."))
        return
    await handler(ctx, code, args)
