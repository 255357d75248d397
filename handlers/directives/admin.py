"""Admin work in the chat: importing a directive by sending its file, and invites.

A directive file becomes a draft that the admin reviews and confirms
(handlers.directives.import_review).
"""

from __future__ import annotations

import logging

from handlers.context import Context
from handlers.directives import import_review
from handlers.directives.import_review_render import IMPORT_TYPES, import_error_text
from handlers.i18n import _
from handlers.markup import bold
from handlers.parsing.intents import Intent
from handlers.people.onboarding import set_language
from store.actions import CHAT, Actor
from store.actions.invites import UnitNotFound, issue_invite
from store.conversations import clear_flow
from store.models import UserRole

logger = logging.getLogger(__name__)


async def handle_import_help(ctx: Context, intent: Intent) -> None:
    """Triggered by /import: explain how admins import a directive; list drafts to review."""
    if not ctx.is_admin:
        ctx.reply(_("Only admins can import directives."))
        return
    ctx.reply(
        _(
            "Send the directive as a file (.docx, .pdf, .xlsx, .csv or .txt): I will read its "
            "tasks into a draft that you check and confirm before anyone sees them."
        )
    )
    await import_review.list_drafts(ctx)


async def on_file(ctx: Context) -> None:
    """A file outside a guided report: admins import it as a directive (in a private chat)."""
    file = ctx.incoming.file
    if file is None:
        return
    if not ctx.incoming.address.is_private:
        return  # people share files in groups all the time; they are not meant for the bot
    if not ctx.is_admin:
        ctx.reply(
            _(
                "Only admins can import directives. To attach evidence, start a report with "
                "“report”."
            )
        )
        return
    if not file.name.lower().endswith(IMPORT_TYPES):
        ctx.reply(import_error_text("unsupported"))
        return
    if (file.size or 0) > ctx.options.max_upload_bytes:
        ctx.reply(import_error_text("too_large"))
        return
    try:
        if file.fetch is None:
            raise LookupError("this channel cannot download files")
        data = await file.fetch()
    except Exception as exc:  # a channel error or a network failure: nothing was imported
        logger.warning("directive download failed: %s", type(exc).__name__)
        ctx.reply(_("I could not download the file. Please send it again."))
        return
    if len(data) > ctx.options.max_upload_bytes:
        ctx.reply(import_error_text("too_large"))
        return
    await import_review.on_directive_file(ctx, data, file.name)


async def handle_invite(ctx: Context, intent: Intent) -> None:
    """Triggered by /invite <unit> [officer|head|admin]: admins create an invite code."""
    if not ctx.is_admin:
        ctx.reply(_("Only admins can create invites."))
        return
    if not ctx.incoming.address.is_private:
        # Anyone in the group could redeem a code posted there.
        ctx.reply(_("Please create invites in a private chat with me."))
        return
    words = intent.argument.split()
    role = UserRole.OFFICER
    if words and words[-1].lower() in {r.value for r in UserRole}:
        role = UserRole(words.pop().lower())
    name = " ".join(words)
    if not name:
        ctx.reply(_("Usage: /invite UNIT NAME [officer|head|admin]"))
        return
    actor = Actor(ctx.user.id if ctx.user else None, CHAT)
    invite = await issue_invite(ctx.session, actor=actor, unit=name, role=role, now=ctx.now)
    if isinstance(invite, UnitNotFound):
        options = ", ".join(invite.candidates[:3]) or "—"
        ctx.reply(
            _("No unit matches “{name}”. Closest: {options}").format(name=name, options=options)
        )
        return
    text = _("Invite for {unit} ({role}): {code}").format(
        unit=invite.unit_name, role=role.value, code=bold(invite.code)
    )
    if ctx.options.bot_username:
        text += f"\nhttps://t.me/{ctx.options.bot_username}?start={invite.code}"
    ctx.reply(text)


async def on_language_button(ctx: Context, code: str, args: list[str]) -> None:
    """Button l:vi / l:en from /lang."""
    if ctx.user is None or not args or args[0] not in ("vi", "en"):
        ctx.reply(_("That button is not valid. Send /help to see what I can do."))
        return
    await set_language(ctx, args[0])


async def on_cancel_button(ctx: Context, code: str, args: list[str]) -> None:
    """Button x: cancel whatever flow is running."""
    await clear_flow(ctx.session, ctx.flow_key)
    ctx.reply(_("Cancelled."))
