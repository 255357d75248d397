"""One task's card: asked in free text (`nv 8 xong chưa`, `hạn của nhiệm vụ 9`) or with `/nv 5`.

The card answers every question about one task at once: the deadline as written and as a date
(with every extension), the lead and supporting units, status and progress, the last reports
with their notes and evidence, the directive and the task's position in it, and buttons to
report or to ask for more time.
"""

from __future__ import annotations

import logging

from handlers.context import Context
from handlers.i18n import _
from handlers.markup import bold, clean_user_text
from handlers.parsing.intents import Intent
from handlers.render import fmt_date, shorten, status_label, task_button_label
from handlers.scope import reportable_unit_ids, visible_units_or_explain
from handlers.tasks.assign_button import assign_rows, assignee_line
from handlers.types import Button
from store import assignments as q
from store.assignments import AssignmentView
from store.extensions import history
from store.models import Extension, ExtensionState, Role, TaskKind
from store.status import Status
from store.task_info import recent_reports, task_facts

logger = logging.getLogger(__name__)

_DONE = (Status.DONE_ON_TIME, Status.DONE_LATE)


async def answer_task(ctx: Context, intent: Intent) -> None:
    """Triggered by a question about one task (`nv 8 xong chưa vậy`) or `/nv 5`."""
    unit_ids = await visible_units_or_explain(ctx)
    if unit_ids is None:
        return
    if intent.task_ref is None:
        ctx.reply(_("Which task? Send its number, for example: /nv 5"))
        return
    matches = await q.find_for_units(ctx.session, unit_ids, intent.task_ref, ctx.today)
    if not matches:
        ctx.reply(
            _(
                "There is no task {ref} here. Send /list to see the tasks and their numbers."
            ).format(ref=clean_user_text(intent.task_ref)[:40])
        )
        return
    if len(matches) > 1:
        rows = [[Button(task_button_label(v), f"t:{v.id}")] for v in matches[:8]]
        ctx.reply(_("Several tasks match {ref}. Which one?").format(ref=intent.task_ref), rows)
        return
    ctx.reply(*await task_card(ctx, matches[0]))


def _deadline_lines(view: AssignmentView, original: object, changes: list[Extension]) -> list[str]:
    deadline = shorten(view.deadline_text, 200) if view.deadline_text else "—"
    approved = [e for e in changes if e.state == ExtensionState.APPROVED]
    if view.due is not None:
        deadline += " → " + fmt_date(view.due)
    lines = [_("Deadline: {deadline}").format(deadline=deadline)]
    if approved:
        lines[0] += " " + _("(extended)")
        if original is not None:
            lines.append(_("Original deadline: {date}").format(date=fmt_date(original)))
    for e in changes:
        states = {
            ExtensionState.PENDING: _("waiting for a decision"),
            ExtensionState.APPROVED: _("granted"),
            ExtensionState.REFUSED: _("refused"),
            ExtensionState.WITHDRAWN: _("replaced"),
        }
        line = _("• {when}: asked to move to {new} — {state}").format(
            when=fmt_date(e.created_at.date()), new=fmt_date(e.new_due), state=states[e.state]
        )
        if e.reason:
            line += " · " + _("reason: {reason}").format(reason=shorten(e.reason, 200))
        lines.append(line)
    if changes:
        lines.insert(1, _("Deadline changes:"))
    return lines


async def task_card(ctx: Context, view: AssignmentView) -> tuple[str, list[list[Button]]]:
    """The text and buttons of one task's card."""
    facts = await task_facts(ctx.session, view.id)
    assert facts is not None
    role = _("lead") if view.role == Role.LEAD else _("supporting")
    lines = [
        bold(_("Task {seq}").format(seq=view.seq))
        + " · "
        + _("{number}, item {ref}").format(number=view.directive_number, ref=view.ref),
        clean_user_text(view.title),
    ]
    if facts.directive.title:
        lines.append(
            _("Directive: {number} — {title}").format(
                number=facts.directive.number, title=shorten(facts.directive.title, 160)
            )
        )
    lines.append(_("Your unit's role: {role}").format(role=role))
    lead = ", ".join(facts.lead) or shorten(facts.task.lead_text, 300) or "—"
    lines.append(_("Lead: {units}").format(units=lead))
    support = ", ".join(facts.support) or shorten(facts.task.support_text, 300)
    if support:
        lines.append(_("Supporting: {units}").format(units=support))
    changes = await history(ctx.session, view.id)
    lines += _deadline_lines(view, facts.task.due, changes)
    if view.product:
        lines.append(_("Expected product: {product}").format(product=shorten(view.product, 300)))
    state = status_label(view.status)
    if view.status not in _DONE and view.kind not in (TaskKind.RECURRING, TaskKind.ANNUAL):
        state += f", {view.progress}%"
    lines.append(_("Status: {status}").format(status=state))
    lines.append(await assignee_line(ctx, view))  # who the head handed it to (issue 13)
    reports = await recent_reports(ctx.session, view.id)
    if reports:
        lines.append(_("Last reports:"))
    for r in reports:
        local = r.created_at.astimezone(ctx.options.tz)
        line = "• " + fmt_date(local.date()) + local.strftime(" %H:%M")
        line += " · " + (r.author or _("(no name)"))
        if r.percent is not None:
            line += f" · {r.percent}%"
        if r.text:
            line += ": " + shorten(r.text, 300)
        if r.attachment:
            line += " " + _("(with evidence file)")
        lines.append(line)
    if not reports:
        lines.append(_("No report yet."))
    buttons = await _card_buttons(ctx, view, changes) + await assign_rows(ctx, view)
    return "\n".join(lines), buttons


async def _card_buttons(
    ctx: Context, view: AssignmentView, changes: list[Extension]
) -> list[list[Button]]:
    if view.unit_id not in await reportable_unit_ids(ctx) or not ctx.incoming.address.is_private:
        return []
    buttons = [Button(_("📝 Report progress"), f"r:{view.id}")]
    once = view.kind not in (TaskKind.RECURRING, TaskKind.ANNUAL)
    if view.status not in _DONE and once:
        buttons.append(Button(_("Done ✅"), f"p:{view.id}:100"))
    rows = [buttons]
    pending = any(e.state == ExtensionState.PENDING for e in changes)
    if once and view.due is not None and view.status not in _DONE and not pending:
        rows.append([Button(_("⏳ Ask for more time"), f"e:{view.id}")])
    return rows
