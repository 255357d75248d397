"""The periods the overview filters by, and the months its trend charts show."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from handlers.i18n import gettext as _

PERIODS = ("all", "month", "last_month", "quarter", "year")


def period_label(key: str) -> str:
    """A period's name in the request's language."""
    return {
        "all": _("All deadlines"),
        "month": _("Due this month"),
        "last_month": _("Due last month"),
        "quarter": _("Due this quarter"),
        "year": _("Due this year"),
    }[key]


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def period_range(key: str, today: date) -> tuple[date, date] | None:
    """The due-date range of a period (None: all deadlines)."""
    if key == "month":
        return today.replace(day=1), month_end(today.year, today.month)
    if key == "last_month":
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    if key == "quarter":
        first = 3 * ((today.month - 1) // 3) + 1
        return date(today.year, first, 1), month_end(today.year, first + 2)
    if key == "year":
        return date(today.year, 1, 1), date(today.year, 12, 31)
    return None


def score_range(key: str, today: date) -> tuple[date, date]:
    """The period scores are computed over: the chosen one, else this month."""
    return period_range(key, today) or (today.replace(day=1), month_end(today.year, today.month))


def last_months(today: date, n: int = 6) -> list[tuple[date, date]]:
    """The first and last day of the last `n` months, oldest first (this month ends today)."""
    out = []
    year, month = today.year, today.month
    for _i in range(n):
        out.append((date(year, month, 1), min(month_end(year, month), today)))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]
