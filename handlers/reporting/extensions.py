"""Deadline extensions in chat: an official asks, an admin or the unit's head decides.

`xin gia hạn NV 7 đến 15/1/2027 vì ...` (or the card's button) records a request with its
reason; the admins and the unit's heads get it with Approve / Refuse buttons (`ea:<id>`,
`er:<id>`); the requester is told either way. What is missing (the date, the reason) is asked
for in a short flow (`e:<assignment id>` starts it from the card).
"""

from __future__ import annotations

import calendar
import logging
import re
from datetime import date, timedelta
from typing import Any

from handlers.context import Context
from handlers.i18n import _, use_locale
from handlers.markup import bold, clean_user_text
from handlers.parsing.intents import Intent
from handlers.parsing.periods import as_day, parse_period, shift_month
from handlers.render import fmt_date, shorten
from handlers.scope import reportable_unit_ids
from handlers.types import Address, Button
from store import assignments as q
from store.assignments import AssignmentView
from store.conversations import clear_flow, set_flow
from store.extensions import (
    decide_extension,
    deciders,
    get_extension,
    identities_of,
    request_extension,
)
from store.models import Extension, TaskKind, Unit, UserRole
from store.status import Status
from store.text import fold
from store.units import get_unit
from store.users import find_identity

logger = logging.getLogger(__name__)

FLOW_DATE = "extend_date"
FLOW_REASON = "extend_reason"
FLOWS = (FLOW_DATE, FLOW_REASON)
BUTTON_CODES = ("e", "ea", "er")
REASON_LIMIT = 2000


async def handle_extend(ctx: Context, intent: Intent) -> None:
    """Triggered by `xin gia hạn NV 7 đến 15/1/2027 vì ...` or /giahan."""
    unit_ids = await reportable_unit_ids(ctx)
    if not unit_ids:
        ctx.reply(_("Only officials linked to the task's unit can ask for more time."))
        return
    if intent.task_ref is None:
        ctx.reply(_("Which task? For example: “xin gia hạn NV 7 đến 15/1/2027 vì chờ số liệu”."))
        return
    matches = await q.find_for_units(ctx.session, unit_ids, intent.task_ref, ctx.today)
    if len(matches) != 1:
        ctx.reply(
            _(
                "Your unit has no task {ref}. Send /list to see your tasks and their numbers."
            ).format(ref=clean_user_text(intent.task_ref)[:40])
        )
        return
    view = matches[0]
    if not _can_extend(ctx, view):
        return
    data: dict[str, Any] = {"a": view.id, "r": intent.note.strip()[:REASON_LIMIT]}
    if intent.period is not None:
        data["d"] = intent.period.end.isoformat()
    elif (moved := added_time(ctx.incoming.text, view.due)) is not None:
        data["d"] = moved.isoformat()
    await _next_step(ctx, view, data)


_ADDED = re.compile(
    r"(?<![a-z])(?:(?:them|keo dai|lui|extra)\s+(\d{1,3})|(\d{1,3})\s+(?:more|extra))\s+"
    r"(ngay|tuan|thang|days?|weeks?|months?)(?![a-z])"
)


def added_time(text: str, due: date | None) -> date | None:
    """`thêm 10 ngày`, `lùi 2 tuần`, `1 more month`: the current deadline moved by that much."""
    m = _ADDED.search(fold(text))
    if m is None or due is None:
        return None
    n, unit = int(m.group(1) or m.group(2)), m.group(3)
    if unit.startswith(("thang", "month")):
        year, month = shift_month(due.year, due.month, n)
        return date(year, month, min(due.day, calendar.monthrange(year, month)[1]))
    return due + timedelta(days=n * (7 if unit.startswith(("tuan", "week")) else 1))


def _can_extend(ctx: Context, view: AssignmentView) -> bool:
    if view.kind in (TaskKind.RECURRING, TaskKind.ANNUAL) or view.due is None:
        ctx.reply(
            _("Task {seq} has no fixed deadline to move (it is recurring or open-ended).").format(
                seq=view.seq
            )
        )
        return False
    if view.status in (Status.DONE_ON_TIME, Status.DONE_LATE):
        ctx.reply(
            _("Task {seq} is already done; there is nothing to extend.").format(seq=view.seq)
        )
        return False
    return True


async def _next_step(ctx: Context, view: AssignmentView, data: dict[str, Any]) -> None:
    """Ask for what is missing, or send the request."""
    if "d" not in data:
        await set_flow(ctx.session, ctx.flow_key, FLOW_DATE, data, ctx.now)
        ctx.reply(
            _(
                "Task {seq} is due {due}. Until which date do you need? For example: 15/1/2027"
            ).format(seq=view.seq, due=fmt_date(view.due) if view.due else "—"),
            [[Button(_("Cancel"), "x")]],
        )
        return
    new_due = date.fromisoformat(data["d"])
    if view.due is not None and new_due <= view.due:
        data.pop("d")
        await set_flow(ctx.session, ctx.flow_key, FLOW_DATE, data, ctx.now)
        ctx.reply(
            _("The new date must be later than the current deadline, {due}. Which date?").format(
                due=fmt_date(view.due)
            ),
            [[Button(_("Cancel"), "x")]],
        )
        return
    if not data.get("r"):
        await set_flow(ctx.session, ctx.flow_key, FLOW_REASON, data, ctx.now)
        ctx.reply(
            _("Why is more time needed? One or two lines for the person who decides."),
            [[Button(_("Cancel"), "x")]],
        )
        return
    await clear_flow(ctx.session, ctx.flow_key)
    await _send_request(ctx, view, new_due, data["r"])


async def continue_flow(ctx: Context, flow: str, data: dict[str, Any]) -> None:
    """A typed answer inside the extension flow: the date, then the reason."""
    unit_ids = await reportable_unit_ids(ctx)
    view = await q.get_view(ctx.session, int(data.get("a", 0)), ctx.today)
    if view is None or view.unit_id not in unit_ids:
        await clear_flow(ctx.session, ctx.flow_key)
        ctx.reply(_("That task is not available here. Send /list to see your tasks."))
        return
    text = clean_user_text(ctx.incoming.text).strip()
    if flow == FLOW_DATE:
        period = parse_period(text, ctx.today, roll=1)
        if period is None and (moved := added_time(text, view.due)) is not None:
            await _next_step(ctx, view, {**data, "d": moved.isoformat()})
            return
        if period is None:
            ctx.reply(
                _("Please type a date, for example 15/1/2027."), [[Button(_("Cancel"), "x")]]
            )
            return
        await _next_step(ctx, view, {**data, "d": as_day(period).end.isoformat()})
        return
    if not text:
        ctx.reply(_("Please type the reason in one or two lines."), [[Button(_("Cancel"), "x")]])
        return
    await _next_step(ctx, view, {**data, "r": text[:REASON_LIMIT]})


async def _send_request(ctx: Context, view: AssignmentView, new_due: date, reason: str) -> None:
    assignment = await q.get_assignment(ctx.session, view.id)
    unit = await get_unit(ctx.session, view.unit_id)
    assert assignment is not None and unit is not None
    ext = await request_extension(
        ctx.session,
        assignment=assignment,
        requested_by=ctx.user.id if ctx.user else None,
        new_due=new_due,
        reason=reason,
        now=ctx.now,
    )
    who = (ctx.user.name if ctx.user else "") or _("(no name)")
    sent = 0
    for address, locale in await _decider_addresses(ctx, view.unit_id):
        with use_locale(locale):
            ctx.push(address, _request_text(ext, view, unit, who), _decision_buttons(ext.id))
        sent += 1
    if not sent:
        logger.warning("extension %s: nobody to decide it", ext.id)
    ctx.reply(
        bold(_("Request sent: task {seq} to {new} (now {old}).")).format(
            seq=view.seq, new=fmt_date(new_due), old=fmt_date(view.due) if view.due else "—"
        )
        + "\n"
        + _("The admins and your unit's head will decide; I will tell you the answer.")
    )


def _request_text(ext: Extension, view: AssignmentView, unit: Unit, who: str) -> str:
    return "\n".join(
        [
            bold(_("Extension request #{id}").format(id=ext.id)),
            _("{name} ({unit}) asks to move task {seq} from {old} to {new}.").format(
                name=clean_user_text(who),
                unit=unit.name,
                seq=view.seq,
                old=fmt_date(ext.old_due) if ext.old_due else "—",
                new=fmt_date(ext.new_due),
            ),
            shorten(view.title, 200) + f" ({view.directive_number}, {view.ref})",
            _("Reason: {reason}").format(reason=shorten(ext.reason, 500)),
        ]
    )


def _decision_buttons(ext_id: int) -> list[list[Button]]:
    return [[Button(_("Approve"), f"ea:{ext_id}"), Button(_("Refuse"), f"er:{ext_id}")]]


async def _decider_addresses(ctx: Context, unit_id: int) -> list[tuple[Address, str]]:
    """Admins (configured and invited) and the unit's heads, each with their language."""
    found: dict[tuple[str, str], tuple[Address, str]] = {}
    for channel, external_id in sorted(ctx.options.admins):
        identity = await find_identity(ctx.session, channel, external_id)
        if identity is not None and not identity.reachable:
            continue
        chat_id = identity.chat_id if identity is not None else external_id
        locale = (identity.user.locale if identity is not None else None) or "vi"
        found[(channel, chat_id)] = (Address(channel, chat_id, external_id), locale)
    for identity in await deciders(ctx.session, unit_id):
        address = Address(identity.channel, identity.chat_id, identity.external_id)
        found.setdefault(
            (identity.channel, identity.chat_id), (address, identity.user.locale or "vi")
        )
    me = ctx.incoming.address
    found.pop((me.channel, me.chat_id), None)
    return list(found.values())


async def on_button(ctx: Context, code: str, args: list[str]) -> None:
    """Buttons e:<assignment id> (ask for more time), ea:/er:<request id> (decide)."""
    if len(args) != 1 or not args[0].isdigit() or len(args[0]) > 9:
        ctx.reply(_("That button is not valid. Send /help to see what I can do."))
        return
    if code == "e":
        view = await q.get_view(ctx.session, int(args[0]), ctx.today)
        if view is None or view.unit_id not in await reportable_unit_ids(ctx):
            ctx.reply(_("That task is not available here. Send /list to see your tasks."))
            return
        if _can_extend(ctx, view):
            await _next_step(ctx, view, {"a": view.id, "r": ""})
        return
    await _decide(ctx, int(args[0]), approve=code == "ea")


async def _decide(ctx: Context, ext_id: int, approve: bool) -> None:
    ext = await get_extension(ctx.session, ext_id)
    if ext is None:
        ctx.reply(_("That extension request no longer exists."))
        return
    assignment = await q.get_assignment(ctx.session, ext.assignment_id)
    assert assignment is not None
    head = (
        ctx.user is not None
        and ctx.user.role == UserRole.HEAD
        and ctx.user.unit_id == assignment.unit_id
    )
    if not (ctx.is_admin or head):
        ctx.reply(_("Only admins and the unit's head can decide extension requests."))
        return
    decided = await decide_extension(
        ctx.session,
        ext_id,
        approve=approve,
        decided_by=ctx.user.id if ctx.user else None,
        now=ctx.now,
    )
    if decided is None:
        ctx.reply(_("Request #{id} was already decided.").format(id=ext_id))
        return
    view = await q.get_view(ctx.session, assignment.id, ctx.today)
    assert view is not None
    if approve:
        ctx.reply(
            _("Approved: task {seq} is now due {new}.").format(
                seq=view.seq, new=fmt_date(decided.new_due)
            )
        )
    else:
        ctx.reply(_("Refused: task {seq} stays due {old}.").format(seq=view.seq, old=_due(view)))
    if decided.requested_by is None:
        return
    for identity in await identities_of(ctx.session, decided.requested_by):
        address = Address(identity.channel, identity.chat_id, identity.external_id)
        with use_locale(identity.user.locale or "vi"):
            if approve:
                text = _("Your request was approved: task {seq} is now due {new}.").format(
                    seq=view.seq, new=fmt_date(decided.new_due)
                )
            else:
                text = _(
                    "Your request to move task {seq} to {new} was refused; it stays due {old}."
                ).format(seq=view.seq, new=fmt_date(decided.new_due), old=_due(view))
            ctx.push(address, text, [[Button(_("See the task"), f"t:{view.id}")]])


def _due(view: AssignmentView) -> str:
    return fmt_date(view.due) if view.due else "—"
