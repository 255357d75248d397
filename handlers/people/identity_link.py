"""One person across channels: personal link codes, merging accounts, where reminders go.

An official linked on one app sends /me there and gets a short personal code (valid 15
minutes); sending `/start CODE` from their account on another app (Telegram, Zalo Bot, Zalo OA)
makes both accounts one `User`: same unit, role, language and reports, so each reminder is sent
once. Codes live in the flow-state table (`Conversation`) and expire like a flow.

Where reminders go (`User.preferred_channel`): the first app a person used; after linking a
second account they are asked; `/kenh zalo` (or `/channel telegram`) changes it; and when the
preferred account can no longer be reached (blocked, or Zalo's messaging window closed) the
app they write from becomes the preferred one, and they are told.
"""

from __future__ import annotations

from datetime import timedelta

from handlers.context import Context
from handlers.i18n import _
from handlers.markup import bold
from handlers.types import Button
from store.audit import audit
from store.conversations import clear_flow, get_flow, set_flow
from store.identities import is_reachable, merge_users, user_with_identities
from store.invites import new_code
from store.models import User
from store.text import fold

CODE_TTL_MINUTES = 15
_CODE_TTL = timedelta(minutes=CODE_TTL_MINUTES)
_FLOW = "link_code"
_CHANNELS = {"telegram": "Telegram", "zalo": "Zalo", "zalo_oa": "Zalo OA", "console": "Console"}
# What people type after /kenh; folded (no diacritics, lower case).
_CHANNEL_WORDS = {
    "telegram": "telegram",
    "tele": "telegram",
    "tg": "telegram",
    "zalo": "zalo",
    "zalo bot": "zalo",
    "zalo oa": "zalo_oa",
    "oa": "zalo_oa",
    "zalo_oa": "zalo_oa",
}


def channel_label(name: str) -> str:
    """How a channel is named to people."""
    return _CHANNELS.get(name, name)


def _code_key(code: str) -> str:
    return f"linkcode:{code}"


def _owner_key(user_id: int) -> str:
    return f"linkcode-user:{user_id}"


# -- codes ----------------------------------------------------------------------------------------


async def issue_code(ctx: Context) -> str:
    """The writer's personal link code (the same one while it is valid)."""
    user = ctx.user
    assert user is not None
    current = await get_flow(ctx.session, _owner_key(user.id), ctx.now)
    if current is not None and await get_flow(ctx.session, _code_key(current[1]["code"]), ctx.now):
        return str(current[1]["code"])
    code = new_code()
    await set_flow(ctx.session, _code_key(code), _FLOW, {"user": user.id}, ctx.now, _CODE_TTL)
    await set_flow(ctx.session, _owner_key(user.id), _FLOW, {"code": code}, ctx.now, _CODE_TTL)
    return code


async def me_lines(ctx: Context) -> list[str]:
    """What /me adds: the person's accounts, where reminders go, and their link code."""
    user = ctx.user
    if user is None:
        return []
    full = await user_with_identities(ctx.session, user.id)
    assert full is not None
    lines = [_("Your accounts: {accounts}.").format(accounts=_accounts(full))]
    if not ctx.incoming.address.is_private:
        return lines  # a personal code is never shown in a group
    code = await issue_code(ctx)
    lines.append(
        _(
            "To use the bot from another app (Telegram or Zalo), send this there within "
            "{minutes} minutes: /start {code}"
        ).format(minutes=CODE_TTL_MINUTES, code=bold(code))
    )
    return lines


def _accounts(user: User) -> str:
    names = []
    for channel in sorted({i.channel for i in user.identities}):
        label = channel_label(channel)
        if channel == user.preferred_channel:
            label += " " + _("(reminders)")
        names.append(label)
    return ", ".join(names)


# -- linking --------------------------------------------------------------------------------------


async def try_link(ctx: Context, code: str) -> bool:
    """Triggered by /start CODE: link this account to the person whose code it is.

    Returns:
        False when CODE is not a personal link code (it may be an invite); True when handled.
    """
    code = code.strip().upper()
    state = await get_flow(ctx.session, _code_key(code), ctx.now)
    if state is None or state[0] != _FLOW or ctx.user is None:
        return False
    owner = await user_with_identities(ctx.session, int(state[1]["user"]))
    writer = await user_with_identities(ctx.session, ctx.user.id)
    assert writer is not None
    if owner is None:
        ctx.reply(
            _("This link code is no longer valid. Send /me on your other app for a new one.")
        )
        return True
    if owner.id == writer.id:
        ctx.reply(
            _("This account is already linked to you. Your accounts: {accounts}.").format(
                accounts=_accounts(owner)
            )
        )
        return True
    problem = _conflict(owner, writer)
    if problem is not None:
        ctx.reply(problem)
        return True
    keep = owner if owner.unit_id is not None or writer.unit_id is None else writer
    drop = writer if keep is owner else owner
    await merge_users(ctx.session, keep, drop)
    await clear_flow(ctx.session, _code_key(code))
    await clear_flow(ctx.session, _owner_key(owner.id))
    audit(
        ctx.session,
        actor_id=keep.id,
        action="link_account",
        target=f"user:{keep.id}",
        detail={"merged_user": drop.id, "channel": ctx.incoming.address.channel},
        now=ctx.now,
    )
    unit = keep.unit.name if keep.unit is not None else _("no unit yet")
    ctx.reply(
        bold(_("Accounts linked."))
        + "\n"
        + _("You are {name} ({unit}). Your accounts: {accounts}.").format(
            name=keep.name or _("(no name)"), unit=unit, accounts=_accounts(keep)
        )
        + "\n\n"
        + _("Where should reminders go? Each reminder is sent once, to one app."),
        [_channel_buttons(keep)],
    )
    return True


def _channel_buttons(user: User) -> list[Button]:
    return [
        Button(channel_label(c), f"ch:{c}") for c in sorted({i.channel for i in user.identities})
    ]


def _conflict(owner: User, writer: User) -> str | None:
    if None not in (owner.unit_id, writer.unit_id) and owner.unit_id != writer.unit_id:
        return _(
            "These two accounts are linked to different units ({first} and {second}). "
            "Ask your steering office to sort it out."
        ).format(
            first=owner.unit.name if owner.unit else "?",
            second=writer.unit.name if writer.unit else "?",
        )
    shared = {i.channel for i in owner.identities} & {i.channel for i in writer.identities}
    if shared:
        return _(
            "You already have a {app} account linked; one account per app can be linked."
        ).format(app=", ".join(channel_label(c) for c in sorted(shared)))
    return None


# -- where reminders go ---------------------------------------------------------------------------


async def handle_channel(ctx: Context, args: str) -> None:
    """Triggered by /kenh [telegram|zalo] (or /channel): choose the app reminders go to."""
    user = ctx.user
    if user is None:
        return
    if not ctx.incoming.address.is_private:
        ctx.reply(_("Please send /kenh to me in a private chat."))
        return
    full = await user_with_identities(ctx.session, user.id)
    assert full is not None
    channels = sorted({i.channel for i in full.identities})
    arg = " ".join(fold(args).split())
    wanted = _CHANNEL_WORDS.get(arg, arg)
    if wanted == "zalo" and "zalo" not in channels and "zalo_oa" in channels:
        wanted = "zalo_oa"  # people say "Zalo" whichever Zalo account they have
    if wanted in channels:
        await _set_preferred(ctx, full, wanted)
        return
    text = _("Reminders go to: {app}. Your accounts: {accounts}.").format(
        app=channel_label(full.preferred_channel or "?"), accounts=_accounts(full)
    )
    if arg:
        text = _("You have no {app} account linked.").format(app=args.strip()[:30]) + "\n" + text
    if len(channels) < 2:
        text += "\n" + _("To add another app, send /me and follow the instructions.")
    ctx.reply(text, [_channel_buttons(full)])


async def on_channel_button(ctx: Context, code: str, args: list[str]) -> None:
    """Button ch:<channel> after linking or from /kenh."""
    user = ctx.user
    full = await user_with_identities(ctx.session, user.id) if user is not None else None
    channels = {i.channel for i in full.identities} if full is not None else set()
    if full is None or len(args) != 1 or args[0] not in channels:
        ctx.reply(_("That button is not valid. Send /help to see what I can do."))
        return
    await _set_preferred(ctx, full, args[0])


async def _set_preferred(ctx: Context, user: User, channel: str) -> None:
    user.preferred_channel = channel
    ctx.reply(_("Reminders will be sent to {app}.").format(app=channel_label(channel)))


async def follow_reachable(ctx: Context) -> None:
    """After a private message: if reminders go to an app that cannot reach the person any
    more, send them to the app they are writing from, and say so."""
    identity, user = ctx.identity, ctx.user
    if identity is None or user is None or not ctx.incoming.address.is_private:
        return
    preferred = user.preferred_channel
    if preferred == identity.channel:
        return
    reachable = await is_reachable(ctx.session, user.id, preferred or "")
    if reachable:
        return
    user.preferred_channel = identity.channel
    if preferred is not None and reachable is not None:
        ctx.reply(
            _("{old} cannot reach you at the moment, so reminders will come here ({new}).").format(
                old=channel_label(preferred), new=channel_label(identity.channel)
            )
        )
