"""Vietnamese working days: weekends, public holidays and the Government's swapped days.

Public holidays follow Bộ luật Lao động 2019 (Labour Code, Law 45/2019/QH14), Điều 112 khoản 1:
Tết Dương lịch (1/1), Tết Âm lịch (5 days), Ngày Chiến thắng (30/4), Quốc tế Lao động (1/5),
Quốc khánh (2/9 and one adjacent day, e.g. 1/9–2/9 in 2025 and 2026) and Giỗ Tổ Hùng Vương
(10/3 lunar). Khoản 3 gives a compensatory day off on the next working day when a holiday falls
on the weekly rest day (Hùng Kings 2026 is a Sunday, so Monday 27/4 is off). From 2026 Ngày Văn
hóa Việt Nam (24/11, Nghị quyết 80-NQ/TW) is a day off as well.

The `holidays` package (Vietnam calendar) computes all of these, the lunar dates included, and
knows the swaps announced for officials in past years, e.g. for 2025 Tết Ất Tỵ from Saturday
25/1 to Sunday 2/2 (Thông báo 6150/TB-BLĐTBXH, 2024) and the 30/4 swap (work on Saturday 26/4,
rest on Friday 2/5). Swaps announced after the package release go in the settings:
`NHACVIEC_EXTRA_WORKDAYS` (a Saturday made a working day) and `NHACVIEC_EXTRA_HOLIDAYS` (a bridge
day off); they override the package.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, timedelta

import holidays

logger = logging.getLogger(__name__)

_ONE_DAY = timedelta(days=1)
# A sanity bound for the "next working day" search: the longest break (Tết plus weekends and
# swaps) is about ten days, so a month without a working day means the settings are wrong.
_MAX_SEARCH_DAYS = 31


class WorkCalendar:
    """Answers "is this a working day?" for officials in Vietnam.

    Args:
        extra_holidays: Extra days off announced by the Government (bridge days).
        extra_workdays: Weekend days announced as working days (the swapped Saturday).

    Raises:
        ValueError: If a date is both an extra holiday and an extra working day.
    """

    def __init__(
        self, extra_holidays: Iterable[date] = (), extra_workdays: Iterable[date] = ()
    ) -> None:
        self._extra_holidays = frozenset(extra_holidays)
        self._extra_workdays = frozenset(extra_workdays)
        both = self._extra_holidays & self._extra_workdays
        if both:
            listed = ", ".join(d.isoformat() for d in sorted(both))
            raise ValueError(f"dates both extra holidays and extra workdays: {listed}")
        # `expand=True` (the default) fills in each year on first lookup; swapped Saturdays are
        # kept in `weekend_workdays`, which the package consults in `is_working_day`.
        self._holidays = holidays.country_holidays("VN", language="vi")

    def is_workday(self, d: date) -> bool:
        """Tell whether officials work on `d`.

        Args:
            d: The day to check.

        Returns:
            True on a working day; False on weekends and holidays (after the swaps).
        """
        if d in self._extra_workdays:
            return True
        if d in self._extra_holidays:
            return False
        return self._holidays.is_working_day(d)

    def holiday_name(self, d: date) -> str | None:
        """Name of the public holiday on `d` (Vietnamese), or None on an ordinary day."""
        if d in self._extra_holidays:
            return self._holidays.get(d) or "Ngày nghỉ"
        return self._holidays.get(d)

    def next_workday(self, d: date, *, inclusive: bool = False) -> date:
        """Find the first working day after `d` (or on it, when `inclusive`).

        Args:
            d: The starting day.
            inclusive: Return `d` itself when it is a working day.

        Returns:
            The working day found.

        Raises:
            ValueError: If no working day follows within a month (bad settings).
        """
        day = d if inclusive else d + _ONE_DAY
        for _ in range(_MAX_SEARCH_DAYS):
            if self.is_workday(day):
                return day
            day += _ONE_DAY
        raise ValueError(f"no working day within {_MAX_SEARCH_DAYS} days after {d.isoformat()}")

    def first_workday_of_month(self, year: int, month: int) -> date:
        """Find the first working day of a month (1 January is a holiday, so not always the 1st).

        Args:
            year: The year.
            month: The month, 1–12.

        Returns:
            The first working day of that month.
        """
        return self.next_workday(date(year, month, 1), inclusive=True)

    def workdays_between(self, start: date, end: date) -> int:
        """Count the working days from `start` to `end`, both included.

        Args:
            start: The first day of the range.
            end: The last day of the range.

        Returns:
            The number of working days; 0 when `end` is before `start`.
        """
        count = 0
        day = start
        while day <= end:
            count += self.is_workday(day)
            day += _ONE_DAY
        return count
