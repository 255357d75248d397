"""Time periods named in chat: `tháng này`, `tuan sau`, `Quý III/2025`, `in April`, `25/7`.

Everything here is pure: the caller passes `today`, so the same text always gives the same period.
Matching runs on folded text (no diacritics, lower case), so `tuần sau` and `tuan sau` are one.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

import holidays

from store.text import fold


@dataclass(frozen=True, slots=True)
class Period:
    """A closed range of days with a machine label (`this_month`, `quarter`, `date`, ...)."""

    start: date
    end: date  # inclusive
    label: str


# Years outside this window are typos ("năm 20255"), not periods anyone tracks work in.
_MIN_YEAR, _MAX_YEAR = 1990, 2199

_B = r"(?<![a-z0-9])"  # word start; `\b` would not separate "t" from "9" in "t9"
_E = r"(?![a-z0-9])"

# `tháng 9/2025`, `tháng 9 năm 2025`, `Sept 2025`, `quý 3 năm sau`: the year part shared by
# months and quarters. Two-digit years are accepted only after a slash (`12/25`), where they
# cannot be confused with a day or a count.
_YEAR = (
    r"(?:\s*[/\-]\s*(?P<y>\d{4}|\d{2})(?!\d)"
    r"|\s*,?\s+(?:nam\s+|year\s+)?(?P<y4>\d{4})(?!\d)"
    r"|\s+nam\s+(?P<rel>nay|sau|toi|truoc|ngoai))?"
)
_REL_YEAR = {"nay": 0, "sau": 1, "toi": 1, "truoc": -1, "ngoai": -1}

_MONTH_NAMES = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
)
# Hard-coded rather than `calendar.month_abbr`, which follows the process locale.
_MONTH_NUM = {
    name: i
    for i, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
# English names that are also folded Vietnamese words: "mấy" (how many) and "máy" fold to
# "may", "sếp" (boss) to "sep". They count as months only with a preposition or a year.
_AMBIGUOUS_MONTHS = {"may", "sep"}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def month_period(year: int, month: int, label: str = "month") -> Period:
    """Return the whole calendar month `month` of `year`."""
    last = calendar.monthrange(year, month)[1]
    return Period(date(year, month, 1), date(year, month, last), label)


def quarter_period(year: int, quarter: int, label: str = "quarter") -> Period:
    """Return quarter 1–4 of `year` (Q1 = January–March)."""
    first = 3 * (quarter - 1) + 1
    return Period(date(year, first, 1), month_period(year, first + 2).end, label)


def week_period(day: date, label: str) -> Period:
    """Return the Monday–Sunday week that contains `day`."""
    monday = day - timedelta(days=day.weekday())
    return Period(monday, monday + timedelta(days=6), label)


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    """Move `delta` months from (`year`, `month`), rolling over year ends both ways."""
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _year_of(m: re.Match[str], today: date) -> int:
    """Read the optional `_YEAR` suffix of a match; no year means the current year."""
    groups = m.groupdict()
    if groups.get("y"):
        text = groups["y"]
        return 2000 + int(text) if len(text) == 2 else int(text)
    if groups.get("y4"):
        return int(groups["y4"])
    if groups.get("rel"):
        return today.year + _REL_YEAR[groups["rel"]]
    return today.year


def _checked(period: Period) -> Period | None:
    return period if _MIN_YEAR <= period.start.year <= _MAX_YEAR else None


def _english_month(name: str) -> int:
    return _MONTH_NUM[name[:3]]  # "september", "sept" and "sep" all start with "sep"


# --- explicit dates -------------------------------------------------------------------------


def _date(year: int, month: int, day: int) -> Period | None:
    try:
        return _checked(Period(date(year, month, day), date(year, month, day), "date"))
    except ValueError:  # 31/2, month 13: not a date, so not a period
        return None


def _iso(m: re.Match[str], today: date) -> Period | None:
    return _date(int(m["y"]), int(m["m"]), int(m["d"]))


def _dmy(m: re.Match[str], today: date) -> Period | None:
    found = _date(_year_of(m, today), int(m["m"]), int(m["d"]))
    # A requested date (a new deadline) without a year is the next such day.
    if found is not None and not _has_year(m) and _ROLL.get() > 0 and found.end < today:
        found = _date(today.year + 1, int(m["m"]), int(m["d"]))
    return found


def _day_of_month(m: re.Match[str], today: date) -> Period | None:
    # `hạn ngày 25` names a day of the current month.
    return _date(today.year, today.month, int(m["d"]))


def _english_date(m: re.Match[str], today: date) -> Period | None:
    return _date(_year_of(m, today), _english_month(m["name"]), int(m["d"]))


# --- months, quarters, years ----------------------------------------------------------------


# How a month or quarter written without a year is placed (ARCHITECTURE §5): +1 its next
# occurrence (a `due` question: the current one counts), -1 its latest (a `score` question),
# 0 the current year. Set per call of `match_period`, read by the builders below.
_ROLL: ContextVar[int] = ContextVar("period_roll", default=0)


def _has_year(m: re.Match[str]) -> bool:
    groups = m.groupdict()
    return bool(groups.get("y") or groups.get("y4") or groups.get("rel"))


def _rolled(m: re.Match[str], today: date, build: Callable[[int], Period]) -> Period | None:
    """Build the period in its written year, or place a yearless one by the current roll."""
    period = build(_year_of(m, today))
    roll = _ROLL.get()
    if not _has_year(m) and roll > 0 and period.end < today:
        period = build(today.year + 1)
    elif not _has_year(m) and roll < 0 and period.start > today:
        period = build(today.year - 1)
    return _checked(period)


def _numbered_month(m: re.Match[str], today: date) -> Period | None:
    month = int(m["m"])
    if not 1 <= month <= 12:
        return None
    return _rolled(m, today, lambda year: month_period(year, month))


def _named_month(m: re.Match[str], today: date) -> Period | None:
    name = m["name"]
    if name in _AMBIGUOUS_MONTHS and not (m["prep"] or m["y4"] or m["y"]):
        return None
    return _rolled(m, today, lambda year: month_period(year, _english_month(name)))


def _numbered_quarter(m: re.Match[str], today: date) -> Period | None:
    raw = m["q"]
    quarter = _ROMAN.get(raw) or (int(raw) if raw.isdigit() else 0)
    if not 1 <= quarter <= 4:
        return None
    return _rolled(m, today, lambda year: quarter_period(year, quarter))


_SPAN_DAYS = {"ngay": 1, "day": 1, "days": 1, "tuan": 7, "week": 7, "weeks": 7}


def _next_days(m: re.Match[str], today: date) -> Period | None:
    """`7 ngày tới`, `trong 2 tuần tới`, `next 10 days`: from today to N days ahead."""
    count = int(m["n"]) * _SPAN_DAYS[m["unit"]]
    if not 1 <= count <= 3660:
        return None
    return Period(today, today + timedelta(days=count), "next_days")


@lru_cache(maxsize=64)
def lunar_new_year(year: int) -> date:
    """The first day of Tết in `year` (Vietnamese lunar calendar, from `holidays`)."""
    vn = holidays.country_holidays("VN", years=year, language="en_US")
    return next(d for d, name in vn.items() if name == "Lunar New Year")


def _before_tet(m: re.Match[str], today: date) -> Period | None:
    """`trước Tết`: from today to the eve of the next Lunar New Year."""
    eve = lunar_new_year(today.year) - timedelta(days=1)
    if eve < today:
        eve = lunar_new_year(today.year + 1) - timedelta(days=1)
    return Period(today, eve, "before_tet")


def _explicit_year(m: re.Match[str], today: date) -> Period | None:
    year = int(m["y4"])
    return _checked(Period(date(year, 1, 1), date(year, 12, 31), "year"))


# --- relative periods -----------------------------------------------------------------------


def _relative(kind: str, step: int, label: str) -> Callable[[re.Match[str], date], Period]:
    """Build a matcher for `this/next/last <kind>` with a fixed label."""

    def build(m: re.Match[str], today: date) -> Period:
        if kind == "day":
            day = today + timedelta(days=step)
            return Period(day, day, label)
        if kind == "week":
            return week_period(today + timedelta(weeks=step), label)
        if kind == "month":
            return month_period(*shift_month(today.year, today.month, step), label)
        if kind == "quarter":
            year, month = shift_month(today.year, today.month, 3 * step)
            return quarter_period(year, (month - 1) // 3 + 1, label)
        year = today.year + step
        return Period(date(year, 1, 1), date(year, 12, 31), label)

    return build


_Matcher = Callable[[re.Match[str], date], "Period | None"]
_NEXT = r"(?:sau|toi|ke\s+tiep|tiep\s+theo)"
_LAST = r"(?:truoc|roi|vua\s+qua)"

# Most specific first: a full date beats the month it lies in, and `tháng 9 năm nay` must be
# read as September before `năm nay` alone is read as the whole year.
_MATCHERS: tuple[tuple[re.Pattern[str], _Matcher], ...] = tuple(
    (re.compile(pattern), build)
    for pattern, build in (
        (_B + r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)", _iso),
        (r"(?<![\d/.])(?P<d>\d{1,2})[.\-](?P<m>\d{1,2})[.\-](?P<y4>\d{4})(?!\d)", _dmy),
        # Slash only for short dates: `2.5` is a task ref and `7-8` a range.
        (r"(?<![\d/.])(?P<d>\d{1,2})/(?P<m>\d{1,2})(?:/(?P<y>\d{4}|\d{2}))?(?![\d/])", _dmy),
        (_B + r"ngay\s+(?P<d>\d{1,2})\s+thang\s+(?P<m>\d{1,2})(?!\d)" + _YEAR, _dmy),
        (
            _B + rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<name>{_MONTH_NAMES})"
            r"\.?(?:\s*,?\s*(?P<y4>\d{4}))?" + _E,
            _english_date,
        ),
        (
            _B + rf"(?P<name>{_MONTH_NAMES})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)"
            r"(?:\s*,?\s*(?P<y4>\d{4}))?" + _E,
            _english_date,
        ),
        (_B + r"ngay\s+(?P<d>\d{1,2})(?![\d/%]|\.\d)", _day_of_month),
        (
            _B + r"(?:(?:trong|next|in\s+the\s+next)\s+)?(?P<n>\d{1,3})\s+(?P<unit>ngay|tuan|days?"
            r"|weeks?)(?:\s+(?:toi|sap\s+toi|ke\s+tiep|tiep\s+theo|nua|ahead|to\s+come))" + _E,
            _next_days,
        ),
        (
            _B + r"(?:next|coming)\s+(?P<n>\d{1,3})\s+(?P<unit>days?|weeks?)" + _E,
            _next_days,
        ),
        (  # `trong 7 ngày` alone looks ahead; `trong 7 ngày làm việc kể từ` is a rule.
            _B + r"(?:trong|within)\s+(?P<n>\d{1,3})\s+(?P<unit>ngay|tuan|days?|weeks?)"
            r"(?!\s*(?:lam\s+viec|ke\s+tu|working|qua|truoc|vua|roi))" + _E,
            _next_days,
        ),
        (_B + r"(?:truoc|den|toi|before|until)\s+(?:ky\s+nghi\s+)?tet" + _E, _before_tet),
        (
            _B + r"(?:(?:thang|thg|th)\s*|t)(?P<m>\d{1,2})(?![\d%]|\.\d)" + _YEAR + r"(?!\d)",
            _numbered_month,
        ),
        (r"(?<![\d/.])(?P<m>\d{1,2})/(?P<y4>\d{4})(?!\d)", _numbered_month),
        (
            _B + rf"(?:(?P<prep>in|of|for|during|by|until|before|through)\s+)?"
            rf"(?P<name>{_MONTH_NAMES})" + _E + r"\.?(?:\s*,?\s*(?P<y4>\d{4})|/(?P<y>\d{4}))?",
            _named_month,
        ),
        (
            _B + r"(?:quy|quarter|q)\s*(?P<q>[1-4]|iv|iii|ii|i)" + _E + _YEAR,
            _numbered_quarter,
        ),
        (_B + r"(?:hom\s+nay|hnay|bua\s+nay|today)" + _E, _relative("day", 0, "today")),
        (
            _B + r"(?:ngay\s+mai|mai|tomorrow|tmrw?)" + _E,
            _relative("day", 1, "tomorrow"),
        ),
        (_B + r"(?:hom\s+qua|hqua|yesterday)" + _E, _relative("day", -1, "yesterday")),
        (_B + rf"(?:tuan\s+{_NEXT}|next\s+week)" + _E, _relative("week", 1, "next_week")),
        (_B + rf"(?:tuan\s+{_LAST}|last\s+week)" + _E, _relative("week", -1, "last_week")),
        (
            _B + r"(?:tuan\s+nay|trong\s+tuan|this\s+week)" + _E,
            _relative("week", 0, "this_week"),
        ),
        (
            _B + rf"(?:thang\s+{_NEXT}|next\s+month)" + _E,
            _relative("month", 1, "next_month"),
        ),
        (
            _B + rf"(?:thang\s+{_LAST}|last\s+month|previous\s+month)" + _E,
            _relative("month", -1, "last_month"),
        ),
        (
            _B + r"(?:thang\s+nay|trong\s+thang|this\s+month)" + _E,
            _relative("month", 0, "this_month"),
        ),
        (_B + rf"(?:quy\s+{_NEXT}|next\s+quarter)" + _E, _relative("quarter", 1, "quarter")),
        (_B + rf"(?:quy\s+{_LAST}|last\s+quarter)" + _E, _relative("quarter", -1, "quarter")),
        (_B + r"(?:quy\s+nay|this\s+quarter)" + _E, _relative("quarter", 0, "quarter")),
        (_B + r"(?:nam|in|year)\s+(?P<y4>\d{4})(?!\d)", _explicit_year),
        (_B + rf"(?:nam\s+{_NEXT}|next\s+year)" + _E, _relative("year", 1, "year")),
        (
            _B + rf"(?:nam\s+(?:{_LAST}|ngoai)|last\s+year)" + _E,
            _relative("year", -1, "year"),
        ),
        (
            _B + r"(?:nam\s+nay|trong\s+nam|this\s+year)" + _E,
            _relative("year", 0, "this_year"),
        ),
    )
)


def match_period(folded: str, today: date, roll: int = 0) -> tuple[Period, int, int] | None:
    """Find the most specific period in already folded text.

    Args:
        folded: Text passed through `fold()` or an equivalent (lower case, no diacritics);
            runs of spaces are allowed, so a position-preserving fold works too.
        today: The day relative periods count from.
        roll: For a month or quarter written without a year: +1 its next occurrence (the
            current one counts; also a yearless date), -1 its latest, 0 the current year.

    Returns:
        The period and the [start, end) span it was read from, or None.
    """
    token = _ROLL.set(roll)
    try:
        return _first_match(folded, today)
    finally:
        _ROLL.reset(token)


def as_day(period: Period) -> Period:
    """A period as one requested day: its last day (`tháng 3/2027` → 31/3/2027)."""
    return replace(period, start=period.end, label="date")


def _first_match(folded: str, today: date) -> tuple[Period, int, int] | None:
    for pattern, build in _MATCHERS:
        for m in pattern.finditer(folded):
            try:
                period = build(m, today)
            except (ValueError, OverflowError):  # dates near year 1 or 9999
                period = None
            if period is not None:
                return period, m.start(), m.end()
    return None


def parse_period(text: str, today: date, roll: int = 0) -> Period | None:
    """Read a period such as `tháng này`, `tuan sau`, `Q3`, `Sept 2025` or `25/7` from text.

    A month, quarter or date written without a year is taken in `today`'s year. Weeks run
    Monday to Sunday. Labels: today, tomorrow, yesterday, this_week, next_week, last_week,
    this_month, next_month, last_month, month, quarter, this_year, year, date.

    Args:
        text: What the user wrote, in Vietnamese (with or without diacritics) or English.
        today: The day relative periods count from.

    Returns:
        The first, most specific period found, or None when the text names none.
    """
    found = match_period(fold(text), today, roll)
    return found[0] if found else None
