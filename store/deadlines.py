"""Deadline normalisation: turn a Vietnamese deadline phrase into a due date and a task kind.

Directives write deadlines as free text (`Tháng 9/2025`, `Hoàn thành trước ngày 25/7/2025`,
`Quý II/2025`, `Thường xuyên`, `Theo lộ trình ...`). The phrase is kept verbatim on the task;
this module derives `due` and `kind` from it (ARCHITECTURE §4). It is pure: no IO, no clock.

How a phrase is read:
- The phrase is folded (`store.text.fold`), so diacritics, case, NFC/NFD and spacing do not matter.
- Every recognised *milestone* is located: a calendar period (a day, month, quarter, half or year),
  a periodic marker (`thường xuyên`, `hằng năm`), or a marker that puts the deadline elsewhere
  (`theo lộ trình/quy định/kế hoạch ...`, relative ones such as `trong 07 ngày làm việc kể từ`).
  The first one in reading order decides; at equal positions the longer match wins.
- A period gives its last day; preceded by `trước` ("before", strict) it gives the day before its
  first day, so `trước ngày 1/1/2026` is 2025-12-31 and `trước tháng 9/2025` is 2025-08-31.
- A span is one piece of work, due at the end of its last period: a year range (`2025-2030`,
  `giai đoạn 2025 - 2030`), a list of quarters sharing a year (`Quý III, IV/2026`), periods
  joined by a comma, a dash or `đến` (`Quý IV/2026, 2027`, `từ tháng 6 đến tháng 9/2025`; the
  earlier ones borrow the year of the last). `Năm 2025 và các năm tiếp theo` or `năm 2025 và
  2026` are milestones, not spans: the first one is due (2025-12-31).
  `cuối năm 2025 và (những tháng) đầu năm 2026` runs into the next year: a span, 2026-12-31.
- Several milestones (`Tháng 9/2025 xong thí điểm; phát triển 2025 ...`): the first one.
- `Thường xuyên; hoàn thành trước ngày 31/12/2026`: recurring work with an end is due then.
- `cuối năm` with no year is the end of the issue year; a start (`bắt đầu triển khai từ năm
  2026`) sets no due date.
- A period without a year takes the year of `issued_on`. If that literal reading falls more than
  90 days before the issue date, the next year is meant (a directive of late December saying
  `trước ngày 15/1` means January of the coming year). `tháng này`, `quý này`, `năm nay` always
  mean the issue date's own month, quarter or year.
- A yearless `D/M` counts only after a lead word (`ngày 30/6`, `trước 25/11`, `đến 30/6`): a bare
  `24/7` more often means "around the clock". Years must be four digits (`30/6/25` is not read).
- A yearless period next to a periodic marker is the periodic kind; an annual one with a day
  (`trước ngày 30 tháng 6 hằng năm`) is due on the next such day after the issue date (strict
  `trước` as above), others have no due date.
- Anything else, an impossible date (`31/2/2025`, `tháng 13/2025`) or a year outside 1990–2100
  gives `unspecified` with no due date; the function never raises on a `str`.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from store.kinds import TaskKind
from store.text import fold

__all__ = ["Deadline", "month_end", "normalise_deadline", "quarter_end"]

MIN_YEAR = 1990
MAX_YEAR = 2100
# How far before the issue date a yearless deadline may fall before we read it as next year's.
_ROLLOVER_GRACE = timedelta(days=90)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


@dataclass(frozen=True, slots=True)
class Deadline:
    """A deadline as written, with the due date and kind derived from it."""

    text: str
    due: date | None
    kind: TaskKind
    #: The phrase is a span (`2024 - 2025`, `Quý III, IV/2026`): due at the end of its last period.
    span: bool = False
    #: The phrase names several milestones; the first one was taken.
    milestone: bool = False


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
class _Period:
    """A calendar period named by the phrase, built once its year is known."""

    build: Callable[[int], tuple[date, date]]  # year -> (first day, last day); may raise
    year: int | None  # None when the phrase leaves the year out
    before: bool  # `trước`: due the day before the period starts


_Hit = _Period | TaskKind
_Handler = Callable[[re.Match[str], date | None], _Hit | None]


def _rx(pattern: str) -> re.Pattern[str]:
    # ASCII: the text is folded already, and `\d` must not accept other scripts' digits.
    return re.compile(pattern, re.ASCII)


# Words that may precede a period. Only `trước` changes the meaning (strictly before); the others
# (`trong`, `đến`, `hết`, `vào`, `cuối`, `hạn`, `ngày`, `chậm nhất`) just say "by". At most three:
# an unbounded run would be re-scanned from every word and make long inputs quadratic.
_LEAD = r"\b(?:(?P<before>truoc)\s+)?(?:(?:trong|den|het|vao|cuoi|han|ngay|cham nhat)\s+){0,3}"
_YEAR_TAIL = r"(?:\s*(?:/|-|\.|nam)\s*(?P<y>\d{4})|(?P<this>\s+(?:nam\s+)?nay))?"

_RE_DAY = _rx(
    _LEAD + r"(?<![\d/.-])(?P<d>\d{1,2})(?P<sep>[/.-])(?P<m>\d{1,2})"
    r"(?:(?P=sep)(?P<y>\d{4}))?(?!\d|[/.-]\d)"
)
_RE_ISO = _rx(_LEAD + r"(?<![\d/.-])(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)")
_RE_DAY_WORDS = _rx(
    _LEAD + r"(?<![\d/])(?P<d>\d{1,2})\s+thang\s+(?P<m>\d{1,2})"
    r"(?:\s*(?:/|nam)\s*(?P<y>\d{4}))?(?![\d/])"
)
_QNUM = r"(?:iv|i{1,3}|[1-4])"
# `Quý III, IV/2026`, `quý I - II năm 2026`: one span ending with the last quarter.
_RE_QUARTERS = _rx(
    _LEAD
    + rf"qu[yi]\s+(?P<q>{_QNUM})(?P<more>(?:\s*(?:,|-|–|va|den)\s*(?:qu[yi]\s+)?{_QNUM}\b)+)"
    + _YEAR_TAIL
    + r"(?![\d/])"
)
_RE_MONTH = _rx(_LEAD + r"thang\s+(?:(?P<m>\d{1,2})" + _YEAR_TAIL + r"|(?P<cur>nay))(?![\d/])")
_RE_QUARTER = _rx(
    _LEAD + r"qu[yi]\s+(?:(?P<q>iv|i{1,3}|\d{1,2})\b" + _YEAR_TAIL + r"|(?P<cur>nay))(?![\d/])"
)
# `6 tháng đầu năm 2025`, `sáu tháng cuối năm`, `nửa đầu năm`, also `9 tháng đầu năm`.
_RE_PART = _rx(
    _LEAD + r"(?:(?P<n>\d{1,2}|sau)\s+thang|nua)\s+(?P<h>dau|cuoi)\s+nam"
    r"(?:\s+(?P<y>\d{4})|(?P<this>\s+nay))?(?![\d/])"
)
_RE_YEAR = _rx(
    _LEAD + r"(?:(?P<word>nam|giai doan)\s+)?(?<![\d/.-])(?P<y>\d{4})"
    r"(?:\s*[-–—]\s*(?P<y2>\d{4}))?(?!\d|/|[.-]\d)"
)
# `năm nay`; `cuối năm` with no year after it is the end of the issue year too.
_RE_YEAR_THIS = _rx(_LEAD + r"nam\s+nay\b|\bcuoi nam\b(?!\s*(?:\d|nay))")
# `định kỳ hằng năm` is annual: it starts where `định kỳ` does and is longer, so it wins.
_RE_ANNUAL = _rx(r"\b(?:dinh ky\s+)?(?:hang|moi) nam\b")
_RE_RECURRING = _rx(r"\b(?:thuong xuyen|lien tuc|dinh ky|(?:hang|moi) (?:ngay|tuan|thang|quy))\b")
# The deadline is set elsewhere: by another document, a roadmap, or relative to an event.
_RE_DEFERRED = _rx(
    r"\btheo\s+(?:lo trinh|quy dinh|ke hoach|tien do|yeu cau|chi dao|huong dan|nghi quyet"
    r"|nghi dinh|quyet dinh|chuong trinh|thoi han|thong bao|van ban)\b"
    r"|\b(?:ke tu|sau khi|ngay sau|truoc khi|khi co|khi duoc|bat dau)\b"
    # `trong 07 ngày`, `sau 15 ngày`, `3 tháng`; not `31 tháng 3` nor `6 tháng đầu năm`.
    r"|\b\d+\s+(?:ngay|tuan|thang|nam)\b(?!\s*\d)(?!\s+(?:dau|cuoi)\b)"
)


def _day(m: re.Match[str], issued_on: date | None) -> _Hit | None:
    y = m["y"]
    # A yearless `24/7` is as likely "around the clock" as 24 July: count it only after a lead
    # word (`ngày 24/7`, `trước 24/7`, `đến 30/6`) and only with a slash. (ISO always has a year.)
    if y is None and (m["sep"] != "/" or m.start("d") == m.start()):
        return None
    d, mo = int(m["d"]), int(m["m"])
    return _Period(lambda yr: (date(yr, mo, d),) * 2, _int(y), bool(m["before"]))


def _day_words(m: re.Match[str], issued_on: date | None) -> _Hit | None:
    d, mo = int(m["d"]), int(m["m"])
    return _Period(lambda yr: (date(yr, mo, d),) * 2, _int(m["y"]), bool(m["before"]))


def _month(m: re.Match[str], issued_on: date | None) -> _Hit | None:
    # `tháng này` is the issue month; without an issue date _this_or gives up before mo is used.
    mo = int(m["m"]) if m["m"] else issued_on.month if issued_on else 0
    return _this_or(m, issued_on, lambda yr: (date(yr, mo, 1), month_end(yr, mo)))


def _quarter(m: re.Match[str], issued_on: date | None) -> _Hit | None:
    raw = m["q"]
    if raw is None:  # `quý này`; without an issue date _this_or gives up before q is used
        q = (issued_on.month - 1) // 3 + 1 if issued_on else 0
    else:  # 0 or > 4 makes the build raise, hence `unspecified`
        q = int(raw) if raw.isdigit() else _ROMAN[raw]
    return _this_or(m, issued_on, lambda yr: (date(yr, 3 * q - 2, 1), quarter_end(yr, q)))


def _quarters(m: re.Match[str], issued_on: date | None) -> _Hit | None:
    last = re.findall(_QNUM + r"\b", m["more"])[-1]
    q = int(last) if last.isdigit() else _ROMAN[last]
    return _this_or(m, issued_on, lambda yr: (date(yr, 3 * q - 2, 1), quarter_end(yr, q)))


def _part(m: re.Match[str], issued_on: date | None) -> _Hit | None:
    n = 6 if m["n"] in (None, "sau") else int(m["n"])
    if m["h"] == "dau":  # the first n months
        return _this_or(m, issued_on, lambda yr: (date(yr, 1, 1), month_end(yr, n)))
    return _this_or(m, issued_on, lambda yr: (date(yr, 13 - n, 1), date(yr, 12, 31)))


def _year(m: re.Match[str], issued_on: date | None) -> _Hit | None:
    y, y2 = int(m["y"]), _int(m["y2"])
    # A bare four-digit number is a year only if it looks like one; `năm 1890` is a bad year.
    if m["word"] is None and not MIN_YEAR <= y <= MAX_YEAR:
        return None
    last = y if y2 is None else y2
    if not MIN_YEAR <= last <= MAX_YEAR or last < y:
        return TaskKind.UNSPECIFIED
    return _Period(lambda yr: (date(yr, 1, 1), date(last, 12, 31)), y, bool(m["before"]))


def _year_this(m: re.Match[str], issued_on: date | None) -> _Hit | None:
    if issued_on is None:
        return TaskKind.UNSPECIFIED
    return _Period(
        lambda yr: (date(yr, 1, 1), date(yr, 12, 31)), issued_on.year, bool(m["before"])
    )


def _int(text: str | None) -> int | None:
    return None if text is None else int(text)


def _this_or(
    m: re.Match[str], issued_on: date | None, build: Callable[[int], tuple[date, date]]
) -> _Hit:
    """A period whose year is written, or is the issue year by `này` (no rollover)."""
    before = bool(m["before"])
    groups = m.groupdict()
    if groups["this"] or groups.get("cur"):
        if issued_on is None:
            return TaskKind.UNSPECIFIED
        return _Period(build, issued_on.year, before)
    return _Period(build, _int(m["y"]), before)


def _kind(kind: TaskKind) -> _Handler:
    return lambda m, issued_on: kind


# Order breaks ties between matches of equal start and length: earlier entries win.
_RULES: tuple[tuple[re.Pattern[str], _Handler], ...] = (
    (_RE_DEFERRED, _kind(TaskKind.UNSPECIFIED)),
    (_RE_ANNUAL, _kind(TaskKind.ANNUAL)),
    (_RE_RECURRING, _kind(TaskKind.RECURRING)),
    (_RE_ISO, _day),
    (_RE_DAY, _day),
    (_RE_DAY_WORDS, _day_words),
    (_RE_PART, _part),
    (_RE_QUARTERS, _quarters),
    (_RE_QUARTER, _quarter),
    (_RE_MONTH, _month),
    (_RE_YEAR_THIS, _year_this),
    (_RE_YEAR, _year),
)


def _due(period: _Period, issued_on: date | None) -> date | None:
    """The due date of a period, or None when its year is unknown or the date impossible."""
    year = period.year
    if year is None:
        if issued_on is None or not MIN_YEAR <= issued_on.year <= MAX_YEAR:
            return None
        year = issued_on.year
    for candidate in (year, year + 1):
        if not MIN_YEAR <= candidate <= MAX_YEAR:
            return None
        try:
            start, end = period.build(candidate)
        except ValueError:  # 31/2, tháng 13, quý 5, ...
            return None
        due = start - timedelta(days=1) if period.before else end
        # Only a year we inferred may roll over; a written year is taken at its word.
        if period.year is not None or issued_on is None or due >= issued_on - _ROLLOVER_GRACE:
            return due
    return None


# What may stand between the periods of a span: `Quý IV/2026, 2027`, `tháng 6 đến tháng 9/2025`.
# `cuối năm 2025 và (những tháng) đầu năm 2026` runs into the next year: a span as well.
_SPAN_GAP = _rx(r"^[\s,–—-]*(?:(?:den|toi)\s*)?$|^\s*va\s+(?:(?:nhung|cac)\s+thang\s+)?dau\s*$")


def _collect(folded: str, issued_on: date | None) -> list[tuple[int, int, int, _Hit]]:
    """Every milestone hit as (start, end, rule rank, hit), in reading order."""
    hits = []
    for rank, (pattern, handler) in enumerate(_RULES):
        for m in pattern.finditer(folded):
            hit = handler(m, issued_on)
            if hit is not None:
                hits.append((m.start(), m.end(), rank, hit))
    hits.sort(key=lambda h: (h[0], h[0] - h[1], h[2]))
    # Drop hits inside an earlier, longer one (`quý III` inside `quý III, IV/2026`).
    kept: list[tuple[int, int, int, _Hit]] = []
    for hit in hits:
        if not kept or hit[0] >= kept[-1][1]:
            kept.append(hit)
    return kept


def _span_end(hits: list[tuple[int, int, int, _Hit]], folded: str) -> int:
    """How many periods from the first one form one span (1 when it stands alone)."""
    count = 1
    while count < len(hits):
        prev, nxt = hits[count - 1], hits[count]
        if not isinstance(nxt[3], _Period) or not _SPAN_GAP.match(folded[prev[1] : nxt[0]]):
            break
        count += 1
    return count


def _annual_due(period: _Period, issued_on: date | None) -> date | None:
    """The next occurrence of a yearly period's deadline after the issue date."""
    if issued_on is None:
        return None
    for year in (issued_on.year, issued_on.year + 1):
        due = _due(_Period(period.build, year, period.before), None)
        if due is not None and due > issued_on:
            return due
    return None


def normalise_deadline(text: str, issued_on: date | None = None) -> Deadline:
    """Derive the due date and kind of a deadline phrase (see the module docstring for rules).

    Args:
        text: the deadline as written, e.g. `Hoàn thành trước ngày 25/7/2025`.
        issued_on: the directive's issue date, which supplies the year when the phrase omits it.

    Returns:
        A `Deadline` keeping `text` verbatim (stripped). `due` is set for `once` and for an
        `annual` deadline with a day; `span`/`milestone` say how the phrase was read.
    """
    kept = text.strip()
    folded = fold(kept)
    hits = _collect(folded, issued_on)
    if not hits:
        return Deadline(kept, None, TaskKind.UNSPECIFIED)
    first = hits[0][3]
    if first == TaskKind.ANNUAL:  # `Hằng năm, trước ngày 15/12`
        day = next((h[3] for h in hits if isinstance(h[3], _Period) and h[3].year is None), None)
        return Deadline(kept, _annual_due(day, issued_on) if day else None, first)
    if first == TaskKind.RECURRING:  # `Thường xuyên; hoàn thành trước ngày 31/12/2026`
        hits = _completion(hits, folded) or hits
        first = hits[0][3]
    if isinstance(first, TaskKind):
        return Deadline(kept, None, first)
    if first.year is None:
        periodic = [h[3] for h in hits if h[3] in (TaskKind.RECURRING, TaskKind.ANNUAL)]
        if periodic:  # `trước ngày 30/6 hằng năm`: the date recurs, it is not a one-off
            kind = periodic[0]
            due = _annual_due(first, issued_on) if kind == TaskKind.ANNUAL else None
            return Deadline(kept, due, kind)
    length = _span_end(hits, folded)
    periods = [h[3] for h in hits[:length] if isinstance(h[3], _Period)]
    last = periods[-1]
    span = length > 1 or _is_range(hits[0], folded)
    if length > 1:  # the earlier periods borrow the last one's year when they have none
        year = last.year if last.year is not None else first.year
        period = _Period(last.build, year, last.before)
    else:
        period = first
    milestone = any(isinstance(h[3], _Period) for h in hits[length:])
    due = _due(period, issued_on)
    kind = TaskKind.UNSPECIFIED if due is None else TaskKind.ONCE
    return Deadline(kept, due, kind, span=span, milestone=milestone)


# Between `thường xuyên` and the date: nothing but a separator and `hoàn thành (xong)`.
_COMPLETE = _rx(r"^\s*[;,.]?\s*(?:hoan thanh(?:\s+xong)?)?\s*$")


def _completion(
    hits: list[tuple[int, int, int, _Hit]], folded: str
) -> list[tuple[int, int, int, _Hit]] | None:
    """The hits from a dated completion after a recurring marker: the work also has an end."""
    for index, hit in enumerate(hits[1:], start=1):
        period = hit[3]
        if isinstance(period, _Period) and period.year is not None:
            if _COMPLETE.match(folded[hits[index - 1][1] : hit[0]]):
                return hits[index:]
            return None
    return None


def _is_range(hit: tuple[int, int, int, _Hit], folded: str) -> bool:
    """A single match that is a span itself: `2024 - 2030`, `Quý III, IV/2026`."""
    piece = folded[hit[0] : hit[1]]
    return (
        bool(re.search(r"\d{4}\s*[-–—]\s*\d{4}", piece)) or _RE_QUARTERS.search(piece) is not None
    )
