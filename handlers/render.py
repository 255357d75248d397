"""Formatting of tasks, dates and periods for replies (neutral markup, localized)."""

from __future__ import annotations

from datetime import date
from functools import cache, lru_cache

from handlers.i18n import _, current_locale
from handlers.markup import bold, clean_user_text
from store.assignments import AssignmentView
from store.status import Status

TITLE_LIMIT = 160


def fmt_date(d: date) -> str:
    """A date as officials write it: 30/09/2025 (Vietnamese) or 30 Sep 2025 (English)."""
    return _fmt_date(d, current_locale() == "en")


@lru_cache(maxsize=4096)
def _fmt_date(d: date, english: bool) -> str:
    # Cached: a daily job formats the same few hundred deadlines tens of thousands of times.
    return d.strftime("%d %b %Y") if english else d.strftime("%d/%m/%Y")


def fmt_month(year: int, month: int) -> str:
    """A month: `tháng 9/2025` / `September 2025`."""
    if current_locale() == "en":
        return date(year, month, 1).strftime("%B %Y")
    return _("month {month}/{year}").format(month=month, year=year)


def status_label(status: Status) -> str:
    """The Government Office's name for a status."""
    return _status_labels(current_locale())[status]


@cache
def _status_labels(locale: str) -> dict[Status, str]:
    # Translated once per locale (the caller's current one, which is `locale`).
    return {
        Status.DONE_ON_TIME: _("done on time"),
        Status.DONE_LATE: _("done late"),
        Status.IN_PROGRESS: _("in progress, on time"),
        Status.OVERDUE: _("overdue"),
        Status.RECURRING: _("recurring"),
        Status.NO_DEADLINE: _("no fixed deadline"),
    }


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


@cache
def _line_texts(locale: str) -> tuple[str, str, str]:
    # The templates of a task line, translated once per locale (the caller's current one).
    return _("Task {seq}"), _("due {date}"), _("{days} days overdue")


def task_line(view: AssignmentView, today: date, *, with_status: bool = True) -> str:
    """Two lines about one assignment: number and title, then deadline and progress."""
    locale = current_locale()
    task, due, overdue = _line_texts(locale)
    number = bold(task.format(seq=view.seq))
    head = f"{number} · {shorten(view.title)}"
    bits: list[str] = []
    if view.due is not None:
        bits.append(due.format(date=_fmt_date(view.due, locale == "en")))
        if view.status == Status.OVERDUE:
            days = (today - view.due).days
            bits.append(overdue.format(days=days))
    elif view.deadline_text:
        bits.append(shorten(view.deadline_text, 60))
    if with_status:
        if view.progress and view.status not in (Status.DONE_ON_TIME, Status.DONE_LATE):
            bits.append(f"{view.progress}%")
        # "N days overdue" already says it; don't repeat "overdue".
        if view.status != Status.OVERDUE:
            bits.append(_status_labels(locale)[view.status])
    bits.append(view.directive_number)
    return f"{head}\n   " + " · ".join(bits)
