"""Periods named in chat, in Vietnamese with and without diacritics and in English."""

from __future__ import annotations

import random
from datetime import date

import pytest

from handlers.parsing.periods import Period, match_period, parse_period, shift_month

TODAY = date(2025, 3, 10)  # a Monday


def d(text: str) -> date:
    return date.fromisoformat(text)


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        # today / tomorrow / yesterday
        ("hôm nay", "2025-03-10", "2025-03-10", "today"),
        ("hom nay", "2025-03-10", "2025-03-10", "today"),
        ("today", "2025-03-10", "2025-03-10", "today"),
        ("ngày mai", "2025-03-11", "2025-03-11", "tomorrow"),
        ("ngay mai", "2025-03-11", "2025-03-11", "tomorrow"),
        ("mai", "2025-03-11", "2025-03-11", "tomorrow"),
        ("Tomorrow", "2025-03-11", "2025-03-11", "tomorrow"),
        ("hôm qua", "2025-03-09", "2025-03-09", "yesterday"),
        # weeks run Monday to Sunday
        ("tuần này", "2025-03-10", "2025-03-16", "this_week"),
        ("tuan nay", "2025-03-10", "2025-03-16", "this_week"),
        ("this week", "2025-03-10", "2025-03-16", "this_week"),
        ("tuần sau", "2025-03-17", "2025-03-23", "next_week"),
        ("tuần tới", "2025-03-17", "2025-03-23", "next_week"),
        ("tuan toi", "2025-03-17", "2025-03-23", "next_week"),
        ("next week", "2025-03-17", "2025-03-23", "next_week"),
        ("tuần trước", "2025-03-03", "2025-03-09", "last_week"),
        # months
        ("tháng này", "2025-03-01", "2025-03-31", "this_month"),
        ("thang nay", "2025-03-01", "2025-03-31", "this_month"),
        ("this month", "2025-03-01", "2025-03-31", "this_month"),
        ("tháng sau", "2025-04-01", "2025-04-30", "next_month"),
        ("tháng tới", "2025-04-01", "2025-04-30", "next_month"),
        ("next month", "2025-04-01", "2025-04-30", "next_month"),
        ("tháng trước", "2025-02-01", "2025-02-28", "last_month"),
        ("thang truoc", "2025-02-01", "2025-02-28", "last_month"),
        ("last month", "2025-02-01", "2025-02-28", "last_month"),
        # named months
        ("tháng 9", "2025-09-01", "2025-09-30", "month"),
        ("thang 9", "2025-09-01", "2025-09-30", "month"),
        ("thang 12/2025", "2025-12-01", "2025-12-31", "month"),
        ("tháng 12/2026", "2026-12-01", "2026-12-31", "month"),
        ("tháng 2/2024", "2024-02-01", "2024-02-29", "month"),
        ("T9", "2025-09-01", "2025-09-30", "month"),
        ("t10/2025", "2025-10-01", "2025-10-31", "month"),
        ("tháng 9 năm 2025", "2025-09-01", "2025-09-30", "month"),
        ("thang 9 nam 2026", "2026-09-01", "2026-09-30", "month"),
        ("tháng 9 năm sau", "2026-09-01", "2026-09-30", "month"),
        ("April", "2025-04-01", "2025-04-30", "month"),
        ("in April", "2025-04-01", "2025-04-30", "month"),
        ("Sept 2025", "2025-09-01", "2025-09-30", "month"),
        ("september", "2025-09-01", "2025-09-30", "month"),
        ("in may", "2025-05-01", "2025-05-31", "month"),
        ("Dec 2024", "2024-12-01", "2024-12-31", "month"),
        # quarters
        ("quý 3", "2025-07-01", "2025-09-30", "quarter"),
        ("quy 3", "2025-07-01", "2025-09-30", "quarter"),
        ("Quý III/2025", "2025-07-01", "2025-09-30", "quarter"),
        ("quy iv nam 2026", "2026-10-01", "2026-12-31", "quarter"),
        ("Q3", "2025-07-01", "2025-09-30", "quarter"),
        ("quarter 3", "2025-07-01", "2025-09-30", "quarter"),
        ("this quarter", "2025-01-01", "2025-03-31", "quarter"),
        ("quý này", "2025-01-01", "2025-03-31", "quarter"),
        ("quý sau", "2025-04-01", "2025-06-30", "quarter"),
        ("quý trước", "2024-10-01", "2024-12-31", "quarter"),
        # years
        ("năm nay", "2025-01-01", "2025-12-31", "this_year"),
        ("nam nay", "2025-01-01", "2025-12-31", "this_year"),
        ("this year", "2025-01-01", "2025-12-31", "this_year"),
        ("năm 2025", "2025-01-01", "2025-12-31", "year"),
        ("năm sau", "2026-01-01", "2026-12-31", "year"),
        # explicit dates
        ("25/7", "2025-07-25", "2025-07-25", "date"),
        ("25/7/2025", "2025-07-25", "2025-07-25", "date"),
        ("trước 31/12/26", "2026-12-31", "2026-12-31", "date"),
        ("ngày 5 tháng 9", "2025-09-05", "2025-09-05", "date"),
        ("ngày 25", "2025-03-25", "2025-03-25", "date"),
        ("2025-07-25", "2025-07-25", "2025-07-25", "date"),
        ("25.7.2025", "2025-07-25", "2025-07-25", "date"),
        ("April 25, 2025", "2025-04-25", "2025-04-25", "date"),
        ("5th of May", "2025-05-05", "2025-05-05", "date"),
    ],
)
def test_parse_period_reads_each_form(text: str, start: str, end: str, label: str) -> None:
    assert parse_period(text, TODAY) == Period(d(start), d(end), label)


@pytest.mark.parametrize(
    ("text", "today", "start", "end"),
    [
        ("tháng sau", "2025-12-05", "2026-01-01", "2026-01-31"),
        ("next month", "2025-12-31", "2026-01-01", "2026-01-31"),
        ("tháng trước", "2026-01-03", "2025-12-01", "2025-12-31"),
        ("tuần sau", "2025-12-29", "2026-01-05", "2026-01-11"),
        ("tuần sau", "2025-12-25", "2025-12-29", "2026-01-04"),  # the week spans two years
        ("tuần này", "2026-01-01", "2025-12-29", "2026-01-04"),
        ("last week", "2026-01-02", "2025-12-22", "2025-12-28"),
        ("quý sau", "2025-11-01", "2026-01-01", "2026-03-31"),
        ("quý trước", "2026-02-01", "2025-10-01", "2025-12-31"),
        ("ngày mai", "2025-12-31", "2026-01-01", "2026-01-01"),
        ("hôm qua", "2026-01-01", "2025-12-31", "2025-12-31"),
        ("tháng này", "2024-02-10", "2024-02-01", "2024-02-29"),
    ],
)
def test_relative_periods_roll_over_year_ends(text: str, today: str, start: str, end: str) -> None:
    period = parse_period(text, d(today))
    assert period is not None
    assert (period.start, period.end) == (d(start), d(end))


def test_named_month_without_year_takes_the_current_year() -> None:
    # Documented choice: `tháng 1` in December is the January just gone, not the next one.
    assert parse_period("tháng 1", date(2025, 12, 15)) == Period(
        date(2025, 1, 1), date(2025, 1, 31), "month"
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "asdkjh",
        "nv 3 dat 40%",
        "NV II.5.a đạt 30%",
        "nv 2.5 xong",
        "co may viec den han",  # "mấy" folds to "may" but is not May
        "sep giao viec gi",  # "sếp" folds to "sep" but is not September
        "tháng 13",
        "31/2",
        "quý 5",
        "năm 99999",
        "9999-12-31",
        "😀" * 50,
    ],
)
def test_parse_period_finds_nothing_where_no_period_is_named(text: str) -> None:
    assert parse_period(text, TODAY) is None


def test_more_specific_period_wins_over_relative_one() -> None:
    period = parse_period("tháng 9 năm nay", TODAY)
    assert period == Period(date(2025, 9, 1), date(2025, 9, 30), "month")
    period = parse_period("hạn 25/7 tháng này", TODAY)
    assert period == Period(date(2025, 7, 25), date(2025, 7, 25), "date")


def test_match_period_reports_the_span_it_read() -> None:
    text = "viec gi den han tuan sau"
    found = match_period(text, TODAY)
    assert found is not None
    period, start, end = found
    assert text[start:end] == "tuan sau"
    assert period.label == "next_week"


@pytest.mark.parametrize(
    ("year", "month", "delta", "expected"),
    [(2025, 12, 1, (2026, 1)), (2025, 1, -1, (2024, 12)), (2025, 3, 24, (2027, 3))],
)
def test_shift_month_rolls_over_years(
    year: int, month: int, delta: int, expected: tuple[int, int]
) -> None:
    assert shift_month(year, month, delta) == expected


def test_parse_period_never_raises_on_random_text() -> None:
    rng = random.Random(20250310)
    alphabet = "0123456789/.-% tqTQnămythángquýIVXđạ😀\n"
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        period = parse_period(text, TODAY)
        assert period is None or period.start <= period.end
