"""Messages the bot pushes on its own: the reminder, the nudge, the group digest, the scores.

Each function renders in the current locale (the caller wraps it in `use_locale` for each
recipient) and returns neutral markup; report buttons carry `r:<assignment id>`, which the
report flow (handlers.reporting.reports) opens as "how far along is it?".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from babel.numbers import format_decimal

from handlers.i18n import _, current_locale, ngettext
from handlers.markup import bold, clean_user_text
from handlers.parsing.periods import Period
from handlers.render import fmt_date, shorten, task_line
from handlers.tasks.daily import ReportRules
from handlers.tasks.queries import period_label
from handlers.types import Button, Outgoing
from store.assignments import AssignmentView

if TYPE_CHECKING:
    from handlers.summaries.score import UnitScore

# Longest lists in one push: a message stays readable and within one Telegram message.
REMINDER_TASKS = 10
REMINDER_BUTTONS = 8
DIGEST_OVERDUE = 8
DIGEST_UNREPORTED = 15
# An oversight group linked to hundreds of units reads about the units most behind.
DIGEST_UNITS = 15
DIGEST_NAMES = 30
SCORE_ROWS = 40


def _more(hidden: int) -> str:
    return ngettext("…and {n} more task", "…and {n} more tasks", hidden).format(n=hidden)


def _buttons(views: Sequence[AssignmentView]) -> list[list[Button]]:
    buttons = [
        Button(_("Report on task {seq}").format(seq=v.seq), f"r:{v.id}")
        for v in views[:REMINDER_BUTTONS]
    ]
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def reminder_message(
    pending: Sequence[AssignmentView],
    today: date,
    *,
    unit_name: str,
    cutoff: time,
    nudge: bool = False,
) -> Outgoing:
    """The private reminder: the unit's tasks nobody has reported on today, with buttons.

    Args:
        pending: The unreported assignments (overdue and soonest due first).
        today: The local day.
        unit_name: The recipient's unit.
        cutoff: When reports are due (16:00).
        nudge: The earlier, softer message sent before the cut-off.
    """
    at = cutoff.strftime("%H:%M")
    if nudge:
        head = _("Reports are due by {time} today — {unit}").format(time=at, unit=unit_name)
        intro = ngettext(
            "Nobody in your unit has reported yet today on this task:",
            "Nobody in your unit has reported yet today on these {n} tasks:",
            len(pending),
        )
    else:
        head = _("Reminder: report today's progress — {unit}").format(unit=unit_name)
        intro = ngettext(
            "It is {time}: your unit has not reported today on this task:",
            "It is {time}: your unit has not reported today on these {n} tasks:",
            len(pending),
        )
    lines = [bold(clean_user_text(head)), intro.format(n=len(pending), time=at)]
    lines += [task_line(v, today) for v in pending[:REMINDER_TASKS]]
    if len(pending) > REMINDER_TASKS:
        lines.append(_more(len(pending) - REMINDER_TASKS))
    lines.append(
        _("Press a button below, or send for example: task {seq} 50%").format(seq=pending[0].seq)
    )
    return Outgoing("\n".join(lines), _buttons(pending))


@dataclass(frozen=True, slots=True)
class OverdueItem:
    """An overdue assignment and its newest report, for the digest."""

    view: AssignmentView
    last_report_at: datetime | None
    last_percent: int | None


@dataclass(frozen=True, slots=True)
class DigestSection:
    """One linked unit in a group's digest."""

    unit_name: str
    overdue: Sequence[OverdueItem]  # the first ones, as many as a digest lists
    unreported: Sequence[int]  # numbers (`seq`) of the tasks nobody reported on today
    overdue_total: int | None = None  # all overdue work, when more than `overdue` holds


def _overdue_line(item: OverdueItem, today: date, local_day: date | None) -> str:
    v = item.view
    days = (today - v.due).days if v.due else 0
    head = bold(_("Task {seq}").format(seq=v.seq)) + " · " + shorten(v.title, 80)
    late = ngettext("{days} day overdue", "{days} days overdue", days).format(days=days)
    if local_day is None:
        last = _("no report yet")
    elif item.last_percent is not None:
        last = _("last report {date} ({percent}%)").format(
            date=fmt_date(local_day), percent=item.last_percent
        )
    else:
        last = _("last report {date}").format(date=fmt_date(local_day))
    return f"• {head}\n   {late} · {last}"


def digest_message(
    sections: Sequence[DigestSection],
    today: date,
    *,
    local_days: dict[int, date],
    linked_units: int,
) -> Outgoing:
    """The group digest: per unit, overdue work and what nobody has reported on today.

    Args:
        sections: One per linked unit with something to say (units with nothing overdue and
            nothing unreported are left out).
        today: The local day.
        local_days: Local day of each overdue item's last report, by assignment id.
        linked_units: How many units the group is linked to.
    """
    lines = [bold(_("Daily digest — {date}").format(date=fmt_date(today)))]
    behind = [s.unit_name for s in sections if s.unreported]
    if linked_units > 1 and behind:
        names = ", ".join(behind[:DIGEST_NAMES]) + (", …" if len(behind) > DIGEST_NAMES else "")
        lines.append(
            _("Not yet reported today ({n} of {total} units): {units}").format(
                n=len(behind), total=linked_units, units=names
            )
        )
    # Most overdue first, then most unreported; the rest are counted, not listed.
    ordered = sorted(sections, key=lambda s: (-_overdue_count(s), -len(s.unreported)))
    for section in ordered[:DIGEST_UNITS]:
        lines.append("")
        lines.append(bold(section.unit_name))
        if section.overdue:
            total = _overdue_count(section)
            lines.append(_("Overdue ({n}):").format(n=total))
            for item in section.overdue[:DIGEST_OVERDUE]:
                lines.append(_overdue_line(item, today, local_days.get(item.view.id)))
            if total > DIGEST_OVERDUE:
                lines.append(_more(total - DIGEST_OVERDUE))
        if section.unreported:
            seqs = ", ".join(str(seq) for seq in section.unreported[:DIGEST_UNREPORTED])
            if len(section.unreported) > DIGEST_UNREPORTED:
                seqs += ", …"
            lines.append(
                _("Not reported today ({n}): tasks {seqs}").format(
                    n=len(section.unreported), seqs=seqs
                )
            )
        else:
            lines.append(_("Everything due for a report today has been reported."))
    if len(ordered) > DIGEST_UNITS:
        lines.append("")
        lines.append(
            _("…and {n} more units with overdue or unreported work.").format(
                n=len(ordered) - DIGEST_UNITS
            )
        )
    return Outgoing("\n".join(lines))


def _overdue_count(section: DigestSection) -> int:
    if section.overdue_total is None:
        return len(section.overdue)
    return section.overdue_total


def _num(value: float) -> str:
    return format_decimal(value, format="#,##0.#", locale=current_locale())


def _pct(value: float) -> str:
    return _num(round(100 * value, 1)) + "%"


def formula_line(rules: ReportRules, *, completion: bool = True, discipline: bool = True) -> str:
    """The scoring formula in one sentence, naming only the parts that were measured.

    Args:
        rules: The weights, the late credit and the cut-off.
        completion: Whether any work was due in the period (a completion rate exists).
        discipline: Whether any daily report was required (a reporting rate exists).
    """
    completion = completion and rules.weight_completion > 0
    discipline = discipline and rules.weight_discipline > 0
    if completion and not discipline:
        return _(
            "Score = on-time completion (work done late counts {late}); no daily report was "
            "required in this period."
        ).format(late=_pct(rules.late_credit))
    if discipline and not completion:
        return _(
            "Score = daily reports before {time} on working days; no work was due in this period."
        ).format(time=rules.cutoff.strftime("%H:%M"))
    total = rules.weight_completion + rules.weight_discipline
    return _(
        "Score = {wc}% on-time completion (work done late counts {late}) + {wd}% daily "
        "reports before {time} on working days."
    ).format(
        wc=_num(round(100 * rules.weight_completion / total, 1)),
        wd=_num(round(100 * rules.weight_discipline / total, 1)),
        late=_pct(rules.late_credit),
        time=rules.cutoff.strftime("%H:%M"),
    )


def _score_row(s: UnitScore) -> str:
    head = _("{rank}. {unit} — {score} points").format(
        rank=s.rank, unit=s.name, score=_num(s.score or 0)
    )
    bits = []
    if s.completion is not None:
        bits.append(
            _("completion {pct}: {on_time} on time, {late} late, {missed} missed of {due}").format(
                pct=_pct(s.completion),
                on_time=s.on_time,
                late=s.late,
                missed=s.missed,
                due=s.due,
            )
        )
    if s.discipline is not None:
        bits.append(
            _("reports {pct}: {reported} of {required} days").format(
                pct=_pct(s.discipline), reported=s.reported_days, required=s.required_days
            )
        )
    return head + "\n   " + "; ".join(bits)


def score_text(
    scores: Sequence[UnitScore], period: Period, rules: ReportRules, today: date
) -> str:
    """The scoreboard as text: ranking with each component, then the formula.

    Args:
        scores: Ranked scores (handlers.summaries.score.compute_scores).
        period: The period scored.
        rules: The weights and cut-off, to state the formula.
        today: The local day (a period still running is marked "so far").
    """
    title = _("Scoreboard — {period}").format(period=period_label(period))
    if period.end >= today:
        title += " " + _("(so far)")
    lines = [bold(title)]
    ranked = [s for s in scores if s.score is not None]
    if not ranked:
        lines.append(_("Nothing to score in this period yet: no work was due or to report on."))
        return "\n".join(lines)
    lines += [_score_row(s) for s in ranked[:SCORE_ROWS]]
    if len(ranked) > SCORE_ROWS:
        lines.append(_("…and {n} more units").format(n=len(ranked) - SCORE_ROWS))
    idle = sum(1 for s in scores if s.score is None)
    if idle:
        lines.append(
            ngettext(
                "{n} more unit had nothing to score (no work due, no report required).",
                "{n} more units had nothing to score (no work due, no report required).",
                idle,
            ).format(n=idle)
        )
    lines.append("")
    lines.append(
        formula_line(
            rules,
            completion=any(s.completion is not None for s in ranked),
            discipline=any(s.discipline is not None for s in ranked),
        )
    )
    return "\n".join(lines)
