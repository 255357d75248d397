"""Working-day facts for Vietnamese officials, 2025–2026."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from scheduler.calendar import WorkCalendar


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar()


def test_weekends_are_not_workdays(cal: WorkCalendar) -> None:
    assert not cal.is_workday(date(2025, 7, 12))  # Saturday
    assert not cal.is_workday(date(2025, 7, 13))  # Sunday
    assert cal.is_workday(date(2025, 7, 14))  # Monday
    assert cal.is_workday(date(2025, 7, 18))  # Friday


def test_tet_2025_is_off_from_25_january_to_2_february(cal: WorkCalendar) -> None:
    # Tết Ất Tỵ: nine days off for officials, Saturday 25/1 to Sunday 2/2/2025.
    assert cal.is_workday(date(2025, 1, 24))
    assert not any(cal.is_workday(d) for d in _days(date(2025, 1, 25), date(2025, 2, 2)))
    assert cal.is_workday(date(2025, 2, 3))
    assert cal.next_workday(date(2025, 1, 24)) == date(2025, 2, 3)


def test_tet_2026_is_off_from_14_to_22_february(cal: WorkCalendar) -> None:
    # Tết Bính Ngọ: Lunar New Year's Day is Tuesday 17/2/2026; with the weekends, 14–22/2.
    assert cal.is_workday(date(2026, 2, 13))
    assert not any(cal.is_workday(d) for d in _days(date(2026, 2, 14), date(2026, 2, 22)))
    assert cal.is_workday(date(2026, 2, 23))
    assert cal.workdays_between(date(2026, 2, 9), date(2026, 2, 27)) == 10


def test_reunification_and_labour_day_2025_with_the_swapped_saturday(cal: WorkCalendar) -> None:
    # 30/4 and 1/5 by law; Friday 2/5 off in exchange for working Saturday 26/4/2025.
    for d in (date(2025, 4, 30), date(2025, 5, 1), date(2025, 5, 2)):
        assert not cal.is_workday(d)
    assert cal.is_workday(date(2025, 4, 26))
    assert cal.is_workday(date(2025, 4, 29))
    assert cal.next_workday(date(2025, 4, 29)) == date(2025, 5, 5)


def test_reunification_and_labour_day_2026(cal: WorkCalendar) -> None:
    assert not cal.is_workday(date(2026, 4, 30))  # Thursday
    assert not cal.is_workday(date(2026, 5, 1))  # Friday
    assert cal.is_workday(date(2026, 4, 29))
    assert cal.is_workday(date(2026, 5, 4))


def test_national_day_includes_1_september_since_2025(cal: WorkCalendar) -> None:
    assert not cal.is_workday(date(2025, 9, 1))
    assert not cal.is_workday(date(2025, 9, 2))
    assert cal.is_workday(date(2025, 9, 3))
    assert not cal.is_workday(date(2026, 9, 1))
    assert not cal.is_workday(date(2026, 9, 2))


def test_hung_kings_day_and_its_compensatory_day(cal: WorkCalendar) -> None:
    assert not cal.is_workday(date(2025, 4, 7))  # 10/3 lunar, a Monday
    # 2026: 10/3 lunar is Sunday 26/4; Điều 112 khoản 3 gives Monday 27/4 off instead.
    assert not cal.is_workday(date(2026, 4, 27))
    assert cal.is_workday(date(2026, 4, 28))


def test_new_year_moves_the_first_workday_of_january(cal: WorkCalendar) -> None:
    assert cal.first_workday_of_month(2026, 1) == date(2026, 1, 2)
    assert cal.first_workday_of_month(2025, 2) == date(2025, 2, 3)  # after Tết
    assert cal.first_workday_of_month(2025, 6) == date(2025, 6, 2)  # 1/6 is a Sunday
    assert cal.first_workday_of_month(2025, 7) == date(2025, 7, 1)


def test_workdays_between_counts_both_ends(cal: WorkCalendar) -> None:
    assert cal.workdays_between(date(2025, 7, 1), date(2025, 7, 31)) == 23
    assert cal.workdays_between(date(2025, 7, 14), date(2025, 7, 14)) == 1
    assert cal.workdays_between(date(2025, 7, 14), date(2025, 7, 13)) == 0


def test_next_workday_inclusive(cal: WorkCalendar) -> None:
    assert cal.next_workday(date(2025, 7, 14), inclusive=True) == date(2025, 7, 14)
    assert cal.next_workday(date(2025, 7, 14)) == date(2025, 7, 15)
    assert cal.next_workday(date(2025, 7, 11)) == date(2025, 7, 14)


def test_swapped_days_from_settings_override_the_package() -> None:
    saturday, bridge = date(2026, 1, 10), date(2026, 1, 2)
    cal = WorkCalendar(extra_holidays=[bridge], extra_workdays=[saturday])
    assert cal.is_workday(saturday)
    assert not cal.is_workday(bridge)
    assert cal.first_workday_of_month(2026, 1) == date(2026, 1, 5)
    assert cal.holiday_name(bridge)
    assert cal.holiday_name(date(2026, 1, 6)) is None


def test_a_day_cannot_be_both_holiday_and_workday() -> None:
    with pytest.raises(ValueError, match="2026-01-10"):
        WorkCalendar(extra_holidays=[date(2026, 1, 10)], extra_workdays=[date(2026, 1, 10)])


def test_holiday_names_come_from_the_package(cal: WorkCalendar) -> None:
    assert cal.holiday_name(date(2025, 9, 2)) == "Quốc khánh"
    assert cal.holiday_name(date(2025, 7, 15)) is None
