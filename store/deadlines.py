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
- A weekday before the date changes nothing (`trước Thứ Tư ngày 03/12/2025` is 2025-12-02).
  `Tết Nguyên đán (Bính Ngọ) (năm) 2026` is that year's lunar new year (from `holidays`),
  `Tết Dương lịch` the 1st of January; without a year, the next one after the issue date.
- Anything else, an impossible date (`31/2/2025`, `tháng 13/2025`) or a year outside 1990–2100
  gives `unspecified` with no due date; the function never raises on a `str`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from store.deadline_rules import (
    MAX_YEAR,
    MIN_YEAR,
    RE_MONTHS,
    RE_QUARTERS,
    RULES,
    Hit,
    Period,
    month_end,
    quarter_end,
    rx,
)
from store.kinds import TaskKind
from store.text import fold

__all__ = ["Deadline", "month_end", "normalise_deadline", "quarter_end"]

# How far before the issue date a yearless deadline may fall before we read it as next year's.
_ROLLOVER_GRACE = timedelta(days=90)


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


def _due(period: Period, issued_on: date | None) -> date | None:
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
_SPAN_GAP = rx(r"^[\s,–—-]*(?:(?:den|toi)\s*)?$|^\s*va\s+(?:(?:nhung|cac)\s+thang\s+)?dau\s*$")


def _collect(folded: str, issued_on: date | None) -> list[tuple[int, int, int, Hit]]:
    """Every milestone hit as (start, end, rule rank, hit), in reading order."""
    hits = []
    for rank, (pattern, handler) in enumerate(RULES):
        for m in pattern.finditer(folded):
            hit = handler(m, issued_on)
            if hit is not None:
                hits.append((m.start(), m.end(), rank, hit))
    hits.sort(key=lambda h: (h[0], h[0] - h[1], h[2]))
    # Drop hits inside an earlier, longer one (`quý III` inside `quý III, IV/2026`).
    kept: list[tuple[int, int, int, Hit]] = []
    for hit in hits:
        if not kept or hit[0] >= kept[-1][1]:
            kept.append(hit)
    return kept


def _span_end(hits: list[tuple[int, int, int, Hit]], folded: str) -> int:
    """How many periods from the first one form one span (1 when it stands alone)."""
    count = 1
    while count < len(hits):
        prev, nxt = hits[count - 1], hits[count]
        if not isinstance(nxt[3], Period) or not _SPAN_GAP.match(folded[prev[1] : nxt[0]]):
            break
        count += 1
    return count


def _annual_due(period: Period, issued_on: date | None) -> date | None:
    """The next occurrence of a yearly period's deadline after the issue date."""
    if issued_on is None:
        return None
    for year in (issued_on.year, issued_on.year + 1):
        due = _due(Period(period.build, year, period.before), None)
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
        day = next((h[3] for h in hits if isinstance(h[3], Period) and h[3].year is None), None)
        return Deadline(kept, _annual_due(day, issued_on) if day else None, first)
    if first == TaskKind.RECURRING:  # `Thường xuyên; hoàn thành trước ngày 31/12/2026`
        hits = _completion(hits, folded) or hits
        first = hits[0][3]
    if first == TaskKind.UNSPECIFIED and any(h[3] == TaskKind.RECURRING for h in hits):
        return Deadline(kept, None, TaskKind.RECURRING)  # `Từ tháng 5/2026, thường xuyên`
    if isinstance(first, TaskKind):
        return Deadline(kept, None, first)
    if _UNTIL_EVENT.search(folded[: hits[0][0]]) is None and _until_event(hits, folded):
        # `Từ tháng 11/2025 đến khi kết thúc Tổng kiểm kê`: a start, and an end that is an
        # event, not a date.
        return Deadline(kept, None, TaskKind.UNSPECIFIED)
    if first.year is None:
        periodic = [h[3] for h in hits if h[3] in (TaskKind.RECURRING, TaskKind.ANNUAL)]
        if periodic:  # `trước ngày 30/6 hằng năm`: the date recurs, it is not a one-off
            kind = periodic[0]
            due = _annual_due(first, issued_on) if kind == TaskKind.ANNUAL else None
            return Deadline(kept, due, kind)
    length = _span_end(hits, folded)
    periods = [h[3] for h in hits[:length] if isinstance(h[3], Period)]
    last = periods[-1]
    span = length > 1 or _is_range(hits[0], folded)
    if length > 1:  # the earlier periods borrow the last one's year when they have none
        year = last.year if last.year is not None else first.year
        period = Period(last.build, year, last.before)
    else:
        period = first
    milestone = any(isinstance(h[3], Period) for h in hits[length:])
    due = _due(period, issued_on)
    kind = TaskKind.UNSPECIFIED if due is None else TaskKind.ONCE
    return Deadline(kept, due, kind, span=span, milestone=milestone)


_UNTIL_EVENT = rx(r"\bden khi\b")
_FROM = rx(r"(?:^|\s)tu\s*$")


def _until_event(hits: list[tuple[int, int, int, Hit]], folded: str) -> bool:
    """Whether the phrase starts at its first period (`từ ...`) and ends at an event (`đến
    khi ...`) with no period after it."""
    until = _UNTIL_EVENT.search(folded)
    return (
        until is not None
        and _FROM.search(folded[: hits[0][0]]) is not None
        and all(hit[1] <= until.start() for hit in hits)
    )


# Between `thường xuyên` and the date: nothing but a separator and `hoàn thành (xong)`.
_COMPLETE = rx(r"^\s*[;,.]?\s*(?:hoan thanh(?:\s+xong)?)?\s*$")


def _completion(
    hits: list[tuple[int, int, int, Hit]], folded: str
) -> list[tuple[int, int, int, Hit]] | None:
    """The hits from a dated completion after a recurring marker: the work also has an end."""
    for index, hit in enumerate(hits[1:], start=1):
        period = hit[3]
        if isinstance(period, Period) and period.year is not None:
            if _COMPLETE.match(folded[hits[index - 1][1] : hit[0]]):
                return hits[index:]
            return None
    return None


def _is_range(hit: tuple[int, int, int, Hit], folded: str) -> bool:
    """A single match that is a span itself: `2024 - 2030`, `Quý III, IV/2026`."""
    piece = folded[hit[0] : hit[1]]
    return (
        bool(re.search(r"\d{4}\s*[-–—]\s*\d{4}", piece))
        or RE_QUARTERS.search(piece) is not None
        or RE_MONTHS.search(piece) is not None
    )
