"""Deadline spans, annual deadlines with a day and milestones (revised ARCHITECTURE §4)."""

from __future__ import annotations

from datetime import date

import pytest

from store.deadlines import normalise_deadline
from store.models import TaskKind

ISSUED = date(2025, 5, 14)


@pytest.mark.parametrize(
    ("text", "issued_on", "due", "kind"),
    [
        # A span is one piece of work, due at the end of its last period.
        ("2024 - 2025", None, date(2025, 12, 31), TaskKind.ONCE),
        ("Quý III, IV/2026", None, date(2026, 12, 31), TaskKind.ONCE),
        ("Quí IV-2025", None, date(2025, 12, 31), TaskKind.ONCE),
        ("Quý I - II năm 2026", None, date(2026, 6, 30), TaskKind.ONCE),
        ("Quý IV/2026, 2027", None, date(2027, 12, 31), TaskKind.ONCE),
        ("từ tháng 6 đến tháng 9/2025", None, date(2025, 9, 30), TaskKind.ONCE),
        ("từ ngày 01/6 đến ngày 30/9/2025", None, date(2025, 9, 30), TaskKind.ONCE),
        ("Năm 2025, 2026", None, date(2026, 12, 31), TaskKind.ONCE),
        ("Quý II/2025 - Quý I/2026", None, date(2026, 3, 31), TaskKind.ONCE),
        # ...but `và` joins milestones, and the first one counts.
        ("năm 2025 và 2026", None, date(2025, 12, 31), TaskKind.ONCE),
        # Annual with a day: the next such day after the issue date (strict `trước`).
        ("trước ngày 30 tháng 6 hằng năm", ISSUED, date(2025, 6, 29), TaskKind.ANNUAL),
        ("trước ngày 30 tháng 6 hằng năm", date(2025, 7, 1), date(2026, 6, 29), TaskKind.ANNUAL),
        ("ngày 15/1 hằng năm", ISSUED, date(2026, 1, 15), TaskKind.ANNUAL),
        ("Quý IV hằng năm", ISSUED, date(2025, 12, 31), TaskKind.ANNUAL),
        ("Hằng năm, trước ngày 15/12", ISSUED, date(2025, 12, 14), TaskKind.ANNUAL),
        ("trước ngày 30 tháng 6 hằng năm", None, None, TaskKind.ANNUAL),
        ("Hằng năm", ISSUED, None, TaskKind.ANNUAL),
    ],
)
def test_spans_and_annual_days(text, issued_on, due, kind):
    result = normalise_deadline(text, issued_on)
    assert (result.due, result.kind) == (due, kind)


@pytest.mark.parametrize(
    ("text", "span", "milestone"),
    [
        ("2024 - 2025", True, False),
        ("Quý III, IV/2026", True, False),
        ("Quý IV/2026, 2027", True, False),
        ("từ tháng 6 đến tháng 9/2025", True, False),
        ("Tháng 9/2025", False, False),
        ("Tháng 9/2025 xong thí điểm; phát triển 2025 và những năm tiếp theo", False, True),
        ("Quý III/2025 trình; Tháng 12/2025 ban hành", False, True),
    ],
)
def test_spans_and_milestones_are_reported(text, span, milestone):
    result = normalise_deadline(text, ISSUED)
    assert (result.span, result.milestone) == (span, milestone)


@pytest.mark.parametrize(
    ("text", "due", "kind"),
    [
        ("Từ tháng 11/2025 đến khi kết thúc Tổng kiểm kê", None, TaskKind.UNSPECIFIED),
        ("từ quý IV/2025 đến khi kết thúc bầu cử", None, TaskKind.UNSPECIFIED),
        ("Từ tháng 12/2025 đến tháng 3/2026", date(2026, 3, 31), TaskKind.ONCE),
        ("đến khi hoàn thành, trước 30/6/2026", date(2026, 6, 29), TaskKind.ONCE),
    ],
)
def test_a_span_that_ends_at_an_event_has_no_due_date(text, due, kind):
    result = normalise_deadline(text, ISSUED)
    assert (result.due, result.kind) == (due, kind)
