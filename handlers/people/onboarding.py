"""Linking an official to a unit, language, "who am I", help and the fallback answer."""

from __future__ import annotations

from handlers.context import Context
from handlers.i18n import _, use_locale
from handlers.markup import bold
from handlers.parsing.intents import GREETING, Intent, IntentName
from handlers.people import identity_link
from handlers.scope import not_linked_text
from handlers.types import Button
from store.audit import audit
from store.invites import InviteError, redeem_invite
from store.units import get_unit
from store.users import link_user


def examples() -> dict[IntentName, str]:
    """An example message per intent, in the current locale, for suggestions."""
    return {
        IntentName.DUE: _("what is due this month?"),
        IntentName.OVERDUE: _("overdue"),
        IntentName.LIST: "/list",
        IntentName.REPORT: _("task 7 50%"),
        IntentName.HELP: "/help",
    }


def help_text() -> str:
    """The help message, in the current locale."""
    lines = [
        bold(_("Nhắc việc helps your unit keep up with the tasks directives assign to it.")),
        _("Ask in your own words, with or without diacritics:"),
        "• " + _("“what is due this month?” — also: next week, in April, Q3"),
        "• " + _("“overdue” — overdue tasks"),
        "• " + _("“list” or /list — all open tasks with their numbers"),
        "• " + _("“task 7 50%” — report progress; “done task 5” — report a task done"),
        "• " + _("“report” — a guided report, step by step"),
        "• " + _("/undo — take back your last report; /cancel — stop a guided report"),
        "• " + _("/me — your unit; /lang en or /lang vi — language"),
        "• " + _("/score — your unit's score this month; also /score tháng 9, /score quý 3"),
        "• " + _("/nv 5 — one task in full; “xin gia hạn NV 5 đến 15/1 vì …” — ask for more time"),
        "• " + _("/cuatoi — tasks handed to you; heads: /giao NV 7, /baocao — the day's report"),
        "• " + _("/web — a one-time link to the dashboard"),
        "• " + _("/join UNIT — no invite code? ask an admin to link you to your unit"),
        "• " + _("/link UNIT — in a group chat: show that unit's tasks there (admins, heads)"),
        _("Reports are due before 16:00 every working day."),
    ]
    return "\n".join(lines)


async def handle_help(ctx: Context, intent: Intent) -> None:
    """Triggered by /help, "giúp", "hướng dẫn" or a greeting (answered briefly)."""
    if intent.argument == GREETING:
        ctx.reply(
            _(
                "Hello! Ask me for example “what is due this month?”, report with “task 7 50%”, "
                "or send /help to see everything I can do."
            )
        )
        return
    ctx.reply(help_text())


async def handle_start(ctx: Context, intent: Intent) -> None:
    """Triggered by /start [CODE]: link the writer to the invite's unit."""
    code = intent.argument.strip()
    if not ctx.incoming.address.is_private:
        ctx.reply(_("Please send /start to me in a private chat."))
        return
    if not code:
        if ctx.unit is not None:
            ctx.reply(
                _("You are linked to {unit}.").format(unit=ctx.unit.name) + "\n\n" + help_text()
            )
            return
        ctx.reply(
            _(
                "Welcome to Nhắc việc! To receive reminders and report for your unit, ask your "
                "steering office for an invite code and send: /start CODE"
            )
            + "\n"
            + _("No code? Send /join and the name of your unit; an admin will approve it.")
        )
        return
    # A personal link code from /me on another app joins this account to that person.
    if await identity_link.try_link(ctx, code):
        return
    result = await redeem_invite(ctx.session, code, ctx.now)
    if isinstance(result, InviteError):
        messages = {
            InviteError.NOT_FOUND: _("This invite code is not valid. Please check it and retry."),
            InviteError.EXPIRED: _("This invite code has expired. Ask for a new one."),
            InviteError.USED_UP: _("This invite code has already been used. Ask for a new one."),
        }
        ctx.reply(messages[result])
        return
    user = ctx.user
    assert user is not None
    unit = result.unit
    await link_user(ctx.session, user, unit, result.role)
    audit(
        ctx.session,
        actor_id=user.id,
        action="link",
        target=f"unit:{unit.id}",
        detail={"invite": result.id, "role": result.role.value},
        now=ctx.now,
    )
    ctx.reply(
        bold(_("Linked to {unit}.").format(unit=unit.name))
        + "\n"
        + _("You will get a reminder at 16:00 on working days when your unit has not reported.")
        + "\n\n"
        + help_text()
    )


async def handle_lang(ctx: Context, intent: Intent) -> None:
    """Triggered by /lang [vi|en]: choose the language of replies."""
    choice = intent.argument.strip().lower()[:2]
    user = ctx.user
    if choice not in ("vi", "en") or user is None:
        ctx.reply(
            _("Choose a language:"),
            [[Button("Tiếng Việt", "l:vi"), Button("English", "l:en")]],
        )
        return
    await set_language(ctx, choice)


async def set_language(ctx: Context, choice: str) -> None:
    """Store the language choice and confirm in that language."""
    user = ctx.user
    assert user is not None
    if user.locale != choice:
        audit(
            ctx.session,
            actor_id=user.id,
            action="language",
            target=f"user:{user.id}",
            detail={"from": user.locale, "to": choice},
            now=ctx.now,
        )
    user.locale = choice
    ctx.locale = choice
    with use_locale(choice):
        ctx.reply(_("Language set to English."))


async def handle_me(ctx: Context, intent: Intent) -> None:
    """Triggered by /me: show which unit and role the writer is linked to."""
    user = ctx.user
    if user is None or user.unit_id is None:
        ctx.reply(not_linked_text())
        return
    unit = await get_unit(ctx.session, user.unit_id)
    roles = {"officer": _("officer"), "head": _("head of unit"), "admin": _("admin")}
    ctx.reply(
        "\n".join(
            [
                _("You are {name}, {role} of {unit}.").format(
                    name=user.name or _("(no name)"),
                    role=roles[user.role.value],
                    unit=unit.name if unit else "?",
                ),
                *await identity_link.me_lines(ctx),  # accounts, reminders, link code
            ]
        )
    )


async def handle_unknown(ctx: Context, intent: Intent) -> None:
    """Anything not understood: say so and offer the closest things the bot can do."""
    lines = [_("Sorry, I did not understand that.")]
    known = examples()
    suggestions = [IntentName(s) for s in intent.suggestions if s in known][:3]
    if suggestions:
        lines.append(_("Did you mean:"))
        lines += [f"• {known[s]}" for s in suggestions]
    else:
        lines.append(_("Try: “what is due this month?”, “overdue” or “task 7 50%”."))
    lines.append(_("Send /help for everything I can do."))
    ctx.reply("\n".join(lines))
