"""The phrases a deadline is made of: calendar periods, periodic and deferring markers.

`store.deadlines` finds every match of `RULES` in a folded phrase and reads the first one; each
rule's handler turns its match into a `Period` (built once its year is known) or a `TaskKind`.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import holidays

from store.kinds import TaskKind

MIN_YEAR = 1990
MAX_YEAR = 2100
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def month_end(year: int, month: int) -> date:
    """Return the last day of a month (leap years included).

    Raises:
        ValueError: if the month is not 1–12 or the year is out of `date`'s range.
    """
    return date(year, month, calendar.monthrange(year, month)[1])


def quarter_end(year: int, q: int) -> date:
    """Return the last day of quarter `q` (1–4) of `year`.

    Raises:
        ValueError: if `q` is not 1–4.
    """
    if not 1 <= q <= 4:
        raise ValueError(f"quarter must be 1-4, not {q}")
    return month_end(year, 3 * q)


@dataclass(frozen=True, slots=True)
class Period:
    """A calendar period named by the phrase, built once its year is known."""

    build: Callable[[int], tuple[date, date]]  # year -> (first day, last day); may raise
    year: int | None  # None when the phrase leaves the year out
    before: bool  # `trước`: due the day before the period starts


Hit = Period | TaskKind
_Handler = Callable[[re.Match[str], date | None], Hit | None]


def rx(pattern: str) -> re.Pattern[str]:
    # ASCII: the text is folded already, and `\d` must not accept other scripts' digits.
    return re.compile(pattern, re.ASCII)


# Words that may precede a period. Only `trước` changes the meaning (strictly before); the others
# (`trong`, `đến`, `hết`, `vào`, `cuối`, `hạn`, `ngày`, `chậm nhất`) just say "by". At most three:
# an unbounded run would be re-scanned from every word and make long inputs quadratic.
# A weekday (`trước Thứ Tư, ngày 03/12/2025`) is a lead word too.
_LEAD = (
    r"\b(?:(?P<before>truoc)\s+)?(?:(?:trong|den|het|vao|cuoi|han|ngay|cham nhat"
    r"|thu (?:hai|ba|tu|nam|sau|bay)|chu nhat),?\s+){0,3}"
)
_YEAR_TAIL = r"(?:\s*(?:/|-|\.|nam)\s*(?P<y>\d{4})|(?P<this>\s+(?:nam\s+)?nay))?"

_RE_DAY = rx(
    _LEAD + r"(?<![\d/.-])(?P<d>\d{1,2})(?P<sep>[/.-])(?P<m>\d{1,2})"
    r"(?:(?P=sep)(?P<y>\d{4}))?(?!\d|[/.-]\d)"
)
_RE_ISO = rx(_LEAD + r"(?<![\d/.-])(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)")
_RE_DAY_WORDS = rx(
    _LEAD + r"(?<![\d/])(?P<d>\d{1,2})\s+thang\s+(?P<m>\d{1,2})"
    r"(?:\s*(?:/|nam)\s*(?P<y>\d{4}))?(?![\d/])"
)
_QNUM = r"(?:iv|i{1,3}|[1-4])"
# `Quý III, IV/2026`, `quý I - II năm 2026`: one span ending with the last quarter.
RE_QUARTERS = rx(
    _LEAD
    + rf"qu[yi]\s+(?P<q>{_QNUM})(?P<more>(?:\s*(?:,|-|–|va|den)\s*(?:qu[yi]\s+)?{_QNUM}\b)+)"
    + _YEAR_TAIL
    + r"(?![\d/])"
)
# `tháng 9-10/2025`, `tháng 11, 12/2025`: one span ending with the last month.
RE_MONTHS = rx(
    _LEAD
    + r"thang\s+(?P<m>\d{1,2})(?P<more>(?:\s*(?:,|-|–|va|den)\s*(?:thang\s+)?\d{1,2}\b)+)"
    + _YEAR_TAIL
    + r"(?![\d/])"
)
_RE_MONTH = rx(_LEAD + r"thang\s+(?:(?P<m>\d{1,2})" + _YEAR_TAIL + r"|(?P<cur>nay))(?![\d/])")
_RE_QUARTER = rx(
    _LEAD + r"qu[yi]\s+(?:(?P<q>iv|i{1,3}|\d{1,2})\b" + _YEAR_TAIL + r"|(?P<cur>nay))(?![\d/])"
)
# `6 tháng đầu năm 2025`, `sáu tháng cuối năm`, `nửa đầu năm`, also `9 tháng đầu năm`.
_RE_PART = rx(
    _LEAD + r"(?:(?P<n>\d{1,2}|sau)\s+thang|nua)\s+(?P<h>dau|cuoi)\s+nam"
    r"(?:\s+(?P<y>\d{4})|(?P<this>\s+nay))?(?![\d/])"
)
_RE_YEAR = rx(
    _LEAD + r"(?:(?P<word>nam|giai doan)\s+)?(?<![\d/.-])(?P<y>\d{4})"
    r"(?:\s*[-–—]\s*(?P<y2>\d{4}))?(?!\d|/|[.-]\d)"
)
# `Tết Nguyên đán Bính Ngọ 2026`, `Tết nguyên đán năm 2026`, `Tết Dương lịch`.
_RE_TET = rx(
    _LEAD + r"tet\s+(?P<kind>nguyen dan|am lich|co truyen|duong lich)"
    r"(?:\s+(?:giap|at|binh|dinh|mau|ky|canh|tan|nham|quy)"
    r"\s+(?:ty|suu|dan|mao|thin|ti|ngo|mui|than|dau|tuat|hoi))?"
    r"(?:\s*(?:nam\s+)?(?P<y>\d{4}))?(?![\d/])"
)
# `năm nay`; `cuối năm` with no year after it is the end of the issue year too.
_RE_YEAR_THIS = rx(_LEAD + r"nam\s+nay\b|\bcuoi nam\b(?!\s*(?:\d|nay))")
# `định kỳ hằng năm` is annual: it starts where `định kỳ` does and is longer, so it wins.
_RE_ANNUAL = rx(r"\b(?:dinh ky\s+)?(?:hang|moi) nam\b")
# `06 tháng/lần`: a period the work recurs at (the longer match beats `6 tháng`, deferred).
_RE_RECURRING = rx(
    r"\b(?:thuong xuyen|lien tuc|dinh ky|(?:hang|moi) (?:ngay|tuan|thang|quy))\b"
    r"|\b\d{1,2}\s+(?:ngay|tuan|thang)\s*/\s*lan\b"
    # `trước ngày 05 của tháng liền kề`: a day of every next month or quarter
    r"|\bngay\s+\d{1,2}\s+(?:cua\s+)?(?:thang|quy)\s+(?:lien ke|ke tiep)\b"
)
# The deadline is set elsewhere: by another document, a roadmap, or relative to an event.
_RE_DEFERRED = rx(
    r"\btheo\s+(?:lo trinh|quy dinh|ke hoach|tien do|yeu cau|chi dao|huong dan|nghi quyet"
    r"|nghi dinh|quyet dinh|chuong trinh|thoi han|thong bao|van ban)\b"
    r"|\b(?:ke tu|sau khi|ngay sau|truoc khi|khi co|khi duoc|bat dau)\b"
    # `Từ năm 2026`, `từ tháng 6/2025`: when the work starts, with no end after it.
    r"|\btu\s+(?:ngay|thang|quy|nam)\b(?![^;]*\b(?:den|toi)\b)(?![^;]*[-–]\s*(?:thang\s+|quy\s+|nam\s+)?\d)"
    # `trong 07 ngày`, `sau 15 ngày`, `3 tháng`; not `31 tháng 3` nor `6 tháng đầu năm`,
    # nor an hour (`trước 15:00 ngày thứ Sáu`).
    r"|(?<!:)\b\d+\s+(?:ngay|tuan|thang|nam)\b(?!\s*\d)(?!\s+(?:dau|cuoi)\b)"
)


def _day(m: re.Match[str], issued_on: date | None) -> Hit | None:
    y = m["y"]
    # A yearless `24/7` is as likely "around the clock" as 24 July: count it only after a lead
    # word (`ngày 24/7`, `trước 24/7`, `đến 30/6`) and only with a slash. (ISO always has a year.)
    if y is None and (m["sep"] != "/" or m.start("d") == m.start()):
        return None
    d, mo = int(m["d"]), int(m["m"])
    return Period(lambda yr: (date(yr, mo, d),) * 2, _int(y), bool(m["before"]))


def _day_words(m: re.Match[str], issued_on: date | None) -> Hit | None:
    d, mo = int(m["d"]), int(m["m"])
    return Period(lambda yr: (date(yr, mo, d),) * 2, _int(m["y"]), bool(m["before"]))


def _month(m: re.Match[str], issued_on: date | None) -> Hit | None:
    # `tháng này` is the issue month; without an issue date _this_or gives up before mo is used.
    mo = int(m["m"]) if m["m"] else issued_on.month if issued_on else 0
    return _this_or(m, issued_on, lambda yr: (date(yr, mo, 1), month_end(yr, mo)))


def _months(m: re.Match[str], issued_on: date | None) -> Hit | None:
    mo = int(re.findall(r"\d{1,2}", m["more"])[-1])
    return _this_or(m, issued_on, lambda yr: (date(yr, mo, 1), month_end(yr, mo)))


def _quarter(m: re.Match[str], issued_on: date | None) -> Hit | None:
    raw = m["q"]
    if raw is None:  # `quý này`; without an issue date _this_or gives up before q is used
        q = (issued_on.month - 1) // 3 + 1 if issued_on else 0
    else:  # 0 or > 4 makes the build raise, hence `unspecified`
        q = int(raw) if raw.isdigit() else _ROMAN[raw]
    return _this_or(m, issued_on, lambda yr: (date(yr, 3 * q - 2, 1), quarter_end(yr, q)))


def _quarters(m: re.Match[str], issued_on: date | None) -> Hit | None:
    last = re.findall(_QNUM + r"\b", m["more"])[-1]
    q = int(last) if last.isdigit() else _ROMAN[last]
    return _this_or(m, issued_on, lambda yr: (date(yr, 3 * q - 2, 1), quarter_end(yr, q)))


def _part(m: re.Match[str], issued_on: date | None) -> Hit | None:
    n = 6 if m["n"] in (None, "sau") else int(m["n"])
    if m["h"] == "dau":  # the first n months
        return _this_or(m, issued_on, lambda yr: (date(yr, 1, 1), month_end(yr, n)))
    return _this_or(m, issued_on, lambda yr: (date(yr, 13 - n, 1), date(yr, 12, 31)))


def _year(m: re.Match[str], issued_on: date | None) -> Hit | None:
    y, y2 = int(m["y"]), _int(m["y2"])
    # A bare four-digit number is a year only if it looks like one; `năm 1890` is a bad year.
    if m["word"] is None and not MIN_YEAR <= y <= MAX_YEAR:
        return None
    last = y if y2 is None else y2
    if not MIN_YEAR <= last <= MAX_YEAR or last < y:
        return TaskKind.UNSPECIFIED
    return Period(lambda yr: (date(yr, 1, 1), date(last, 12, 31)), y, bool(m["before"]))


def _year_this(m: re.Match[str], issued_on: date | None) -> Hit | None:
    if issued_on is None:
        return TaskKind.UNSPECIFIED
    return Period(lambda yr: (date(yr, 1, 1), date(yr, 12, 31)), issued_on.year, bool(m["before"]))


@lru_cache(maxsize=64)
def _lunar_new_year(year: int) -> date:
    """The first day of Tết in `year` (Vietnamese lunar calendar, from `holidays`)."""
    vn = holidays.country_holidays("VN", years=year, language="en_US")
    return next(d for d, name in vn.items() if name == "Lunar New Year")


def _tet(m: re.Match[str], issued_on: date | None) -> Hit | None:
    lunar = m["kind"] != "duong lich"

    def day(yr: int) -> tuple[date, date]:
        first = _lunar_new_year(yr) if lunar else date(yr, 1, 1)
        return first, first

    year = _int(m["y"])
    if year is None and issued_on is not None:  # the next Tết after the issue date
        year = issued_on.year + (day(issued_on.year)[0] <= issued_on)
    if year is None or not MIN_YEAR <= year <= MAX_YEAR:
        return TaskKind.UNSPECIFIED
    return Period(day, year, bool(m["before"]))


def _int(text: str | None) -> int | None:
    return None if text is None else int(text)


def _this_or(
    m: re.Match[str], issued_on: date | None, build: Callable[[int], tuple[date, date]]
) -> Hit:
    """A period whose year is written, or is the issue year by `này` (no rollover)."""
    before = bool(m["before"])
    groups = m.groupdict()
    if groups["this"] or groups.get("cur"):
        if issued_on is None:
            return TaskKind.UNSPECIFIED
        return Period(build, issued_on.year, before)
    return Period(build, _int(m["y"]), before)


def _kind(kind: TaskKind) -> _Handler:
    return lambda m, issued_on: kind


# Order breaks ties between matches of equal start and length: earlier entries win.
RULES: tuple[tuple[re.Pattern[str], _Handler], ...] = (
    (_RE_DEFERRED, _kind(TaskKind.UNSPECIFIED)),
    (_RE_ANNUAL, _kind(TaskKind.ANNUAL)),
    (_RE_RECURRING, _kind(TaskKind.RECURRING)),
    (_RE_ISO, _day),
    (_RE_DAY, _day),
    (_RE_DAY_WORDS, _day_words),
    (_RE_PART, _part),
    (_RE_TET, _tet),
    (RE_QUARTERS, _quarters),
    (_RE_QUARTER, _quarter),
    (RE_MONTHS, _months),
    (_RE_MONTH, _month),
    (_RE_YEAR_THIS, _year_this),
    (_RE_YEAR, _year),
)
