"""Join requests: someone without an invite code asks to be linked to a unit, and an admin
approves or rejects it with a button, from inside the chat app.

Requests always ask for the officer role: heads and admins are made with invites. Admins are
told at once (those in NHACVIEC_ADMINS and those invited as admin); `/requests` lists what is
still waiting, in case a notice could not be delivered.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from handlers.context import Context
from handlers.i18n import _, use_locale
from handlers.markup import bold, clean_user_text
from handlers.types import Address, Button
from store.audit import audit
from store.identities import (
    identity_with_user,
    reachable_admin_identities,
    user_with_identities,
)
from store.join_requests import (
    APPROVED,
    REJECTED,
    WITHDRAWN,
    add_request,
    count_requests_since,
    decide_request,
    get_request,
    pending_request,
    waiting_requests,
)
from store.models import JoinRequest, Unit, User
from store.registry import UnitRegistry
from store.units import get_unit
from store.users import get_user, link_user

logger = logging.getLogger(__name__)

MAX_REQUESTS_PER_DAY = 3
LIST_LIMIT = 10


async def handle_join(ctx: Context, argument: str) -> None:
    """Triggered by /join UNIT: find the unit and ask the person to confirm the request."""
    if not ctx.incoming.address.is_private:
        ctx.reply(_("Please send /join to me in a private chat."))
        return
    if ctx.unit is not None:
        ctx.reply(
            _("You are already linked to {unit}.").format(unit=ctx.unit.name)
            + " "
            + _("If you have moved to another unit, ask an admin for a new invite code.")
        )
        return
    name = clean_user_text(argument).strip()
    if not name:
        ctx.reply(
            _("Send /join followed by the name of your unit, for example: /join Bộ Tài chính")
            + "\n"
            + _("An admin will check and approve your request.")
        )
        return
    registry = await UnitRegistry.load(ctx.session)
    match = registry.match(name[:200])
    if match.unit is not None and match.unit.id is not None:
        ctx.reply(
            _("Ask the admins to link you to {unit}?").format(unit=bold(match.unit.name)),
            [[Button(_("Send request"), f"j:{match.unit.id}"), Button(_("Cancel"), "x")]],
        )
        return
    options = [ref for ref, _score in match.candidates if ref.id is not None][:5]
    if not options:
        ctx.reply(
            _(
                "No unit matches “{name}”. Try its full name, for example: /join Bộ Tài chính"
            ).format(name=name[:80])
        )
        return
    rows = [[Button(ref.name[:60], f"j:{ref.id}")] for ref in options]
    rows.append([Button(_("Cancel"), "x")])
    ctx.reply(_("Which unit do you mean?"), rows)


async def on_join_button(ctx: Context, code: str, args: list[str]) -> None:
    """Button j:<unit id>: record the request and tell the admins."""
    unit_id = _parse_id(args)
    user = ctx.user
    if not ctx.incoming.address.is_private or unit_id is None or user is None:
        ctx.reply(_("That button is not valid. Send /help to see what I can do."))
        return
    if user.unit_id is not None:
        ctx.reply(_("You are already linked to a unit. Send /me to see which one."))
        return
    unit = await get_unit(ctx.session, unit_id)
    if unit is None or not unit.active:
        ctx.reply(_("That unit no longer exists."))
        return
    pending = await pending_request(ctx.session, user.id)
    if pending is not None and pending.unit_id == unit_id:
        ctx.reply(_("Your request is already waiting for an admin."))
        return
    recent = await count_requests_since(ctx.session, user.id, ctx.now - timedelta(days=1))
    if recent >= MAX_REQUESTS_PER_DAY:
        ctx.reply(_("You have sent several requests today. Please wait for an admin to answer."))
        return
    replaced = None
    if pending is not None:
        pending.status = WITHDRAWN  # one open request per person: the newest choice counts
        pending.decided_at = ctx.now
        replaced = pending.id
    request = await add_request(ctx.session, user_id=user.id, unit_id=unit_id, now=ctx.now)
    audit(
        ctx.session,
        actor_id=user.id,
        action="join_request",
        target=f"unit:{unit_id}",
        detail={"request": request.id, "replaces": replaced},
        now=ctx.now,
    )
    admins = await _admin_addresses(ctx)
    for address, locale in admins:
        with use_locale(locale):
            ctx.push(address, _request_text(request, user, unit), _decision_buttons(request.id))
    if not admins:
        logger.warning("join request %s: no admin to notify", request.id)
    ctx.reply(
        _("Your request to join {unit} was sent to the admins.").format(unit=unit.name)
        + "\n"
        + _("I will tell you as soon as it is decided.")
    )


async def handle_requests(ctx: Context, argument: str) -> None:
    """Triggered by /requests: admins see the join requests still waiting, with buttons."""
    if not ctx.is_admin:
        ctx.reply(_("Only admins can approve join requests."))
        return
    if not ctx.incoming.address.is_private:
        ctx.reply(_("Please manage join requests in a private chat with me."))
        return
    rows = await waiting_requests(ctx.session, LIST_LIMIT + 1)
    if not rows:
        ctx.reply(_("No join requests are waiting."))
        return
    for request in rows[:LIST_LIMIT]:
        user = await get_user(ctx.session, request.user_id)
        unit = await get_unit(ctx.session, request.unit_id)
        if user is None or unit is None:
            continue
        ctx.reply(_request_text(request, user, unit), _decision_buttons(request.id))
    if len(rows) > LIST_LIMIT:
        ctx.reply(_("More requests are waiting; decide these first, then send /requests again."))


async def on_decide_button(ctx: Context, code: str, args: list[str]) -> None:
    """Buttons ja:<id> (approve) and jr:<id> (reject): an admin decides a join request."""
    request_id = _parse_id(args)
    if request_id is None:
        ctx.reply(_("That button is not valid. Send /help to see what I can do."))
        return
    if not ctx.is_admin:
        ctx.reply(_("Only admins can approve join requests."))
        return
    request = await get_request(ctx.session, request_id)
    if request is None:
        ctx.reply(_("That join request no longer exists."))
        return
    approve = code == "ja"
    # Conditional update: two admins pressing at once cannot both decide.
    decided = await decide_request(
        ctx.session,
        request,
        approve=approve,
        decided_by=ctx.user.id if ctx.user else None,
        now=ctx.now,
    )
    if not decided:
        states = {
            APPROVED: _("approved"),
            REJECTED: _("rejected"),
            WITHDRAWN: _("withdrawn"),
        }
        ctx.reply(
            _("Request #{id} was already {state}.").format(
                id=request.id, state=states.get(request.status, request.status)
            )
        )
        return
    user = await user_with_identities(ctx.session, request.user_id)
    unit = await get_unit(ctx.session, request.unit_id)
    assert user is not None and unit is not None
    if approve:
        await link_user(ctx.session, user, unit, request.role)
    audit(
        ctx.session,
        actor_id=ctx.user.id if ctx.user else None,
        action="join_approve" if approve else "join_reject",
        target=f"user:{user.id}",
        detail={"request": request.id, "unit": unit.id, "role": request.role.value},
        now=ctx.now,
    )
    for identity in user.identities:
        if not identity.reachable:
            continue
        address = Address(identity.channel, identity.chat_id, identity.external_id)
        with use_locale(user.locale or "vi"):
            ctx.push(address, _decision_text(approve, unit))
    name = user.name or _("(no name)")
    if approve:
        ctx.reply(_("Approved: {name} is now linked to {unit}.").format(name=name, unit=unit.name))
    else:
        ctx.reply(
            _("Rejected: {name} was not linked to {unit}.").format(name=name, unit=unit.name)
        )


def _request_text(request: JoinRequest, user: User, unit: Unit) -> str:
    return (
        bold(_("Join request #{id}").format(id=request.id))
        + "\n"
        + _("{name} asks to be linked to {unit} as an officer.").format(
            name=user.name or _("(no name)"), unit=unit.name
        )
    )


def _decision_buttons(request_id: int) -> list[list[Button]]:
    return [[Button(_("Approve"), f"ja:{request_id}"), Button(_("Reject"), f"jr:{request_id}")]]


def _decision_text(approve: bool, unit: Unit) -> str:
    if approve:
        return (
            bold(_("Linked to {unit}.").format(unit=unit.name))
            + "\n"
            + _("An admin approved your request. Send /help to see what I can do.")
        )
    return _(
        "Your request to join {unit} was not approved. If this is a mistake, ask your steering "
        "office for an invite code."
    ).format(unit=unit.name)


async def _admin_addresses(ctx: Context) -> list[tuple[Address, str]]:
    """Where to tell admins about a request, each with the admin's language."""
    found: dict[tuple[str, str], tuple[Address, str]] = {}
    me = ctx.incoming.address
    for channel, external_id in sorted(ctx.options.admins):
        identity = await identity_with_user(ctx.session, channel, external_id)
        if identity is not None and not identity.reachable:
            continue
        # On Telegram and Zalo a person's private chat id is their user id.
        chat_id = identity.chat_id if identity is not None else external_id
        locale = (identity.user.locale if identity is not None else None) or "vi"
        found[(channel, chat_id)] = (Address(channel, chat_id, external_id), locale)
    for identity in await reachable_admin_identities(ctx.session):
        address = Address(identity.channel, identity.chat_id, identity.external_id)
        found.setdefault(
            (identity.channel, identity.chat_id), (address, identity.user.locale or "vi")
        )
    found.pop((me.channel, me.chat_id), None)
    return list(found.values())


def _parse_id(args: list[str]) -> int | None:
    if len(args) != 1 or not args[0].isdigit() or len(args[0]) > 10:
        return None
    value = int(args[0])
    return value if value <= 2**31 - 1 else None
