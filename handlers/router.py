"""One ordered registry from message to handler."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable

from handlers import flow_exit, smalltalk
from handlers.context import Context
from handlers.directives import admin, broadcast, import_review
from handlers.i18n import _
from handlers.parsing.intents import Intent, IntentName, parse_intent
from handlers.people import groups, identity_link, join, onboarding, web_link
from handlers.reporting import extensions, report_confirm, reports, undo
from handlers.summaries import daily_report_chat, score_chat
from handlers.tasks import my_tasks, paging, queries, task_assigning, task_card
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
    IntentName.UNDO: undo.handle_undo,
    IntentName.TASK: task_card.answer_task,
    IntentName.UNREPORTED: queries.answer_unreported,
    IntentName.EXTEND: extensions.handle_extend,
    IntentName.THANKS: smalltalk.answer_thanks,
    IntentName.INVITE: admin.handle_invite,
    IntentName.IMPORT: admin.handle_import_help,
    IntentName.SCORE: score_chat.answer_score,
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
    "web": web_link.handle_web,
    # Inside a unit (issue 13): hand a task out, my own work, the compiled daily report.
    "giao": task_assigning.handle_assign,
    "assign": task_assigning.handle_assign,
    "cuatoi": my_tasks.answer_my_tasks,
    "mytasks": my_tasks.answer_my_tasks,
    "baocao": daily_report_chat.answer_daily_report,
    "dailyreport": daily_report_chat.answer_daily_report,
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
    **dict.fromkeys(extensions.BUTTON_CODES, extensions.on_button),
    **dict.fromkeys(report_confirm.BUTTON_CODES, report_confirm.on_button),
    **dict.fromkeys(undo.BUTTON_CODES, undo.on_button),
    import_review.CODE: import_review.on_button,
    **dict.fromkeys(broadcast.BUTTON_CODES, broadcast.on_button),
    **dict.fromkeys(task_assigning.BUTTON_CODES, task_assigning.on_button),
}

_PAYLOAD = re.compile(r"^[a-z]{1,3}(:[A-Za-z0-9_.\-]{1,24}){0,4}$")
_SLASH = re.compile(r"^\s*/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]*)?(?:\s+(.*))?$", re.S)


async def route(ctx: Context) -> None:
    """Send one message to the handler that owns it.

    Order matters: events first, then buttons, then "cancel", then a running guided flow (a
    report or extension flow is left, with a one-line notice, by a message that reads
    confidently as something else: see handlers.flow_exit), then files, then the exact
    COMMANDS, then the parsed intent (group chatter not meant for the bot is left unanswered).
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
    # A message that reads confidently as something else leaves a report or extension flow
    # (saying so in one line) and is answered below; anything else continues the flow.
    if state is not None and state[0] in flow_exit.FLOWS:
        if not flow_exit.leaves(state[0], inc, intent, is_command):
            await flow_exit.CONTINUE[state[0]](ctx, *state)
            return
        await clear_flow(ctx.session, ctx.flow_key)
        ctx.reply(flow_exit.left_text(state[0]))
        state = None
    # Before files: the document of a broadcast being prepared is not a directive to import.
    if state is not None and not is_command and state[0] in broadcast.FLOWS:
        await broadcast.continue_flow(ctx, *state)
        return
    # An import draft under review takes typed fixes; a new file is a new import.
    reviewing = state is not None and state[0] in import_review.FLOWS
    typed = reviewing and not is_command and inc.kind != Kind.FILE
    if typed and await import_review.continue_flow(ctx, *state):
        return
    if inc.kind == Kind.FILE:
        await admin.on_file(ctx)
        return
    slash = _SLASH.match(inc.text) if is_command else None
    if slash is not None and slash.group(1).lower() in COMMANDS:
        await COMMANDS[slash.group(1).lower()](ctx, slash.group(2) or "")
        return
    # `giao NV 7 cho Lan` and `việc của tôi` typed without a slash (private chats only).
    if inc.address.is_private and task_assigning.is_assign_text(inc.text):
        await task_assigning.handle_assign_text(ctx)
        return
    if inc.address.is_private and my_tasks.is_my_tasks_text(inc.text):
        await my_tasks.answer_my_tasks(ctx)
        return
    if groups.should_ignore(ctx, intent, is_command):
        return  # group chatter not meant for the bot
    handler = INTENTS.get(intent.name, smalltalk.answer_unknown)
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
