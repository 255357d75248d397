"""Formatting of tasks, dates and periods for replies (neutral markup, localized)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from handlers.i18n import _, current_locale
from handlers.markup import bold, clean_user_text
from store.assignments import AssignmentView
from store.status import Status

TITLE_LIMIT = 160


def fmt_date(d: date) -> str:
    """A date as officials write it: 30/09/2025 (Vietnamese) or 30 Sep 2025 (English)."""
    if current_locale() == "en":
        return d.strftime("%d %b %Y")
    return d.strftime("%d/%m/%Y")


def fmt_month(year: int, month: int) -> str:
    """A month: `tháng 9/2025` / `September 2025`."""
    if current_locale() == "en":
        return date(year, month, 1).strftime("%B %Y")
    return _("month {month}/{year}").format(month=month, year=year)


def status_label(status: Status) -> str:
    """The Government Office's name for a status."""
    labels = {
        Status.DONE_ON_TIME: _("done on time"),
        Status.DONE_LATE: _("done late"),
        Status.IN_PROGRESS: _("in progress, on time"),
        Status.OVERDUE: _("overdue"),
        Status.RECURRING: _("recurring"),
        Status.NO_DEADLINE: _("no fixed deadline"),
    }
    return labels[status]


@lru_cache(maxsize=4096)
def shorten(text: str, limit: int = TITLE_LIMIT) -> str:
    """Cut long titles on a word boundary with an ellipsis (cached: a daily job shortens the
    same task titles once per unit they are assigned to)."""
    text = " ".join(clean_user_text(text).split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + "…"


def task_button_label(view: AssignmentView) -> str:
    """A short label for a button that picks a task."""
    return _("Task {seq}").format(seq=view.seq) + " · " + shorten(view.title, 40)


def task_line(view: AssignmentView, today: date, *, with_status: bool = True) -> str:
    """Two lines about one assignment: number and title, then deadline and progress."""
    number = bold(_("Task {seq}").format(seq=view.seq))
    head = f"{number} · {shorten(view.title)}"
    bits: list[str] = []
    if view.due is not None:
        bits.append(_("due {date}").format(date=fmt_date(view.due)))
        if view.status == Status.OVERDUE:
            days = (today - view.due).days
            bits.append(_("{days} days overdue").format(days=days))
    elif view.deadline_text:
        bits.append(shorten(view.deadline_text, 60))
    if with_status:
        if view.progress and view.status not in (Status.DONE_ON_TIME, Status.DONE_LATE):
            bits.append(f"{view.progress}%")
        # "N days overdue" already says it; don't repeat "overdue".
        if view.status != Status.OVERDUE:
            bits.append(status_label(view.status))
    bits.append(view.directive_number)
    return f"{head}\n   " + " · ".join(bits)
