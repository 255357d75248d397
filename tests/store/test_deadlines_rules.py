"""Deadline normalisation (ARCHITECTURE §4): the rules, and each phrase of sample directives."""

from __future__ import annotations

from datetime import date

import pytest

from store.deadlines import month_end, normalise_deadline, quarter_end
from tests.store.deadline_support import ANNUAL, ISSUED, ONCE, RECURRING, UNSPECIFIED

# --- helpers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [
        (2025, 1, date(2025, 1, 31)),
        (2024, 2, date(2024, 2, 29)),
        (2025, 2, date(2025, 2, 28)),
        (2000, 2, date(2000, 2, 29)),
        (1900, 2, date(1900, 2, 28)),
        (2025, 4, date(2025, 4, 30)),
        (2025, 12, date(2025, 12, 31)),
    ],
)
def test_month_end_gives_the_last_day_including_leap_years(year, month, expected):
    assert month_end(year, month) == expected


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        (1, date(2025, 3, 31)),
        (2, date(2025, 6, 30)),
        (3, date(2025, 9, 30)),
        (4, date(2025, 12, 31)),
    ],
)
def test_quarter_end_gives_the_last_day_of_the_quarter(q, expected):
    assert quarter_end(2025, q) == expected


@pytest.mark.parametrize("month", [0, 13])
def test_month_end_rejects_an_impossible_month(month):
    with pytest.raises(ValueError):
        month_end(2025, month)


@pytest.mark.parametrize("q", [0, 5, -1])
def test_quarter_end_rejects_an_impossible_quarter(q):
    with pytest.raises(ValueError):
        quarter_end(2025, q)


# --- the rules of §4 ---------------------------------------------------------------------------

RULES = [
    # Month → last day of the month.
    ("Tháng 9/2025", None, date(2025, 9, 30), ONCE),
    ("Tháng M/YYYY: Tháng 12/2025", None, date(2025, 12, 31), ONCE),
    ("trong tháng 6/2025", None, date(2025, 6, 30), ONCE),
    ("tháng 7 năm 2025", None, date(2025, 7, 31), ONCE),
    ("Tháng 2/2024", None, date(2024, 2, 29), ONCE),
    ("Tháng 2/2025", None, date(2025, 2, 28), ONCE),
    ("tháng 9-2025", None, date(2025, 9, 30), ONCE),
    ("cuối tháng 11/2025", None, date(2025, 11, 30), ONCE),
    # a day of every next month: a monthly report; `tháng sau` alone may be a one-off
    ("Trước ngày 05 của tháng liền kề", None, None, RECURRING),
    ("trước ngày 10 tháng sau", None, None, UNSPECIFIED),
    # `trước` is strict: the day before.
    ("trước ngày 25/7/2025", None, date(2025, 7, 24), ONCE),
    ("Hoàn thành trước ngày 25/7/2025", None, date(2025, 7, 24), ONCE),
    ("Hoàn thành xong trước 15/7/2025", None, date(2025, 7, 14), ONCE),
    ("trước 31 tháng 3 năm 2025", None, date(2025, 3, 30), ONCE),
    ("hoàn thành trước ngày 31 tháng 3 năm 2025", None, date(2025, 3, 30), ONCE),
    ("trước ngày 1/1/2026", None, date(2025, 12, 31), ONCE),
    ("trước ngày 1/3/2024", None, date(2024, 2, 29), ONCE),
    ("trước ngày 1/5/2025", None, date(2025, 4, 30), ONCE),
    ("trước tháng 9/2025", None, date(2025, 8, 31), ONCE),
    ("trước tháng 1/2026", None, date(2025, 12, 31), ONCE),
    ("trước tháng 3/2024", None, date(2024, 2, 29), ONCE),
    ("trước Quý III/2025", None, date(2025, 6, 30), ONCE),
    ("trước năm 2026", None, date(2025, 12, 31), ONCE),
    # A day → that day.
    ("ngày 30/6/2025", None, date(2025, 6, 30), ONCE),
    ("đến ngày 30/6/2025", None, date(2025, 6, 30), ONCE),
    ("Đến ngày 30/6", ISSUED, date(2025, 6, 30), ONCE),
    ("31 tháng 12 năm 2025", None, date(2025, 12, 31), ONCE),
    ("ngày 15 tháng 8 năm 2025", None, date(2025, 8, 15), ONCE),
    ("30/6/2025", None, date(2025, 6, 30), ONCE),
    ("30-6-2025", None, date(2025, 6, 30), ONCE),
    ("30.6.2025", None, date(2025, 6, 30), ONCE),
    ("05/09/2025", None, date(2025, 9, 5), ONCE),
    ("29/2/2024", None, date(2024, 2, 29), ONCE),
    ("2025-07-15", None, date(2025, 7, 15), ONCE),
    ("chậm nhất ngày 15/8/2025", None, date(2025, 8, 15), ONCE),
    # Quarters and halves.
    ("Quý II/2025", None, date(2025, 6, 30), ONCE),
    ("quý 2 năm 2025", None, date(2025, 6, 30), ONCE),
    ("Quý I/2026", None, date(2026, 3, 31), ONCE),
    ("Quý IV/2025", None, date(2025, 12, 31), ONCE),
    ("quý 4/2025", None, date(2025, 12, 31), ONCE),
    ("trong quý III năm 2025", None, date(2025, 9, 30), ONCE),
    ("trong Quý II/2025", None, date(2025, 6, 30), ONCE),
    ("6 tháng đầu năm 2025", None, date(2025, 6, 30), ONCE),
    ("sáu tháng đầu năm 2025", None, date(2025, 6, 30), ONCE),
    ("nửa đầu năm 2025", None, date(2025, 6, 30), ONCE),
    ("9 tháng đầu năm 2025", None, date(2025, 9, 30), ONCE),
    ("6 tháng cuối năm", ISSUED, date(2025, 12, 31), ONCE),
    ("6 tháng cuối năm 2026", None, date(2026, 12, 31), ONCE),
    ("trước 6 tháng cuối năm 2025", None, date(2025, 6, 30), ONCE),
    # Years.
    ("trong năm 2025", None, date(2025, 12, 31), ONCE),
    ("năm 2026", None, date(2026, 12, 31), ONCE),
    ("Năm 2025", None, date(2025, 12, 31), ONCE),
    ("cuối năm 2025", None, date(2025, 12, 31), ONCE),
    # Periodic.
    ("Thường xuyên", None, None, RECURRING),
    ("Nhiệm vụ thường xuyên", None, None, RECURRING),
    ("thường xuyên, liên tục", None, None, RECURRING),
    ("Thường xuyên, hằng năm", None, None, RECURRING),
    ("Hằng năm", None, None, ANNUAL),
    ("Hàng năm", None, None, ANNUAL),
    ("hàng năm", None, None, ANNUAL),
    ("định kỳ hằng năm", None, None, ANNUAL),
    ("Hằng năm, trước ngày 15/12", ISSUED, date(2025, 12, 14), ANNUAL),
    ("hằng quý", None, None, RECURRING),
    ("định kỳ hằng tháng", None, None, RECURRING),
    # Set elsewhere.
    ("Theo lộ trình xây dựng, phát triển Trung tâm dữ liệu quốc gia", None, None, UNSPECIFIED),
    ("Theo quy định tại Nghị quyết 71/NQ-CP", None, None, UNSPECIFIED),
    ("Theo kế hoạch", None, None, UNSPECIFIED),
    ("Theo Kế hoạch số 02-KH/BCĐTW ngày 19/6/2025", None, None, UNSPECIFIED),
    ("trong 07 ngày làm việc kể từ ngày nhận được văn bản", None, None, UNSPECIFIED),
    ("trong 07 ngày làm việc kể từ ngày 19/6/2025", None, None, UNSPECIFIED),
    ("ngay sau khi Nghị định được ban hành", None, None, UNSPECIFIED),
    ("sau 30 ngày", None, None, UNSPECIFIED),
    ("", None, None, UNSPECIFIED),
    ("   ", None, None, UNSPECIFIED),
    ("Sớm nhất có thể", None, None, UNSPECIFIED),
    ("n/a", None, None, UNSPECIFIED),
    # Several milestones: the first dated one.
    (
        "Tháng 9/2025 xong thí điểm; phát triển 2025 và những năm tiếp theo",
        None,
        date(2025, 9, 30),
        ONCE,
    ),
    ("Năm 2025 và các năm tiếp theo", None, date(2025, 12, 31), ONCE),
    ("Quý III/2025 trình; Tháng 12/2025 ban hành", None, date(2025, 9, 30), ONCE),
    ("ngày 15/7/2025 (báo cáo), tháng 9/2025 (hoàn thành)", None, date(2025, 7, 15), ONCE),
    ("năm 2025 và 2026", None, date(2025, 12, 31), ONCE),
    # A period range is one milestone ending with its last year.
    ("2025-2030", None, date(2030, 12, 31), ONCE),
    ("2025 - 2030", None, date(2030, 12, 31), ONCE),
    ("giai đoạn 2025-2030", None, date(2030, 12, 31), ONCE),
    ("Giai đoạn 2026 – 2030", None, date(2030, 12, 31), ONCE),
]


@pytest.mark.parametrize(("text", "issued_on", "due", "kind"), RULES)
def test_normalise_deadline_follows_the_rules(text, issued_on, due, kind):
    result = normalise_deadline(text, issued_on)
    assert (result.due, result.kind) == (due, kind)
    assert result.text == text.strip()


# --- every deadline phrase in /work/shared/directives ------------------------------------------

QD230 = date(2025, 5, 14)
TB35 = date(2025, 7, 11)
TB56 = date(2025, 2, 23)
TB171 = date(2025, 4, 11)
PHIEN4 = date(2025, 10, 13)

DIRECTIVE_PHRASES = [
    # qd230-vpcp-2025.txt, every distinct cell of the `Thời gian hoàn thành` column
    ("Thường xuyên", QD230, None, RECURRING),
    ("Hàng năm", QD230, None, ANNUAL),
    ("Tháng 5/2025", QD230, date(2025, 5, 31), ONCE),
    ("Tháng 6/2025", QD230, date(2025, 6, 30), ONCE),
    ("Tháng 9/2025", QD230, date(2025, 9, 30), ONCE),
    ("Tháng 12/2025", QD230, date(2025, 12, 31), ONCE),
    ("Theo quy định tại Nghị quyết 71/NQ-CP", QD230, None, UNSPECIFIED),
    ("Theo lộ trình xây dựng, phát triển Trung tâm dữ liệu quốc gia", QD230, None, UNSPECIFIED),
    (
        "Tháng 9/2025 xong thí điểm; phát triển 2025 và những năm tiếp theo",
        QD230,
        date(2025, 9, 30),
        ONCE,
    ),
    # tb35-tgv-2025.txt, the closing sentence of each bullet
    ("Nhiệm vụ thường xuyên.", TB35, None, RECURRING),
    ("Hoàn thành trước ngày 25/7/2025.", TB35, date(2025, 7, 24), ONCE),
    ("Hoàn thành trong tháng 7/2025.", TB35, date(2025, 7, 31), ONCE),
    ("Hoàn thành trong tháng 7 năm 2025.", TB35, date(2025, 7, 31), ONCE),
    ("Hoàn thành trong tháng 8/2025.", TB35, date(2025, 8, 31), ONCE),
    ("Hoàn thành trong tháng 12/2025.", TB35, date(2025, 12, 31), ONCE),
    (
        "Hoàn thành việc rà soát và gửi Ban Cơ yếu Chính phủ trước ngày 15/7/2025.",
        TB35,
        date(2025, 7, 14),
        ONCE,
    ),
    ("Hoàn thành trước ngày 20/7/2025.", TB35, date(2025, 7, 19), ONCE),
    ("Hoàn thành trước ngày 10/7/2025.", TB35, date(2025, 7, 9), ONCE),
    ("Hoàn thành trước ngày 01/01/2026.", TB35, date(2025, 12, 31), ONCE),
    ("Hoàn thành xong trước 15/7/2025.", TB35, date(2025, 7, 14), ONCE),
    (
        "Hoàn thành thí điểm và báo cáo kết quả trong tháng 8/2025.",
        TB35,
        date(2025, 8, 31),
        ONCE,
    ),
    ("Hoàn thành theo lộ trình Kế hoạch số 380/KHPH-BCA-BXD-BTC.", TB35, None, UNSPECIFIED),
    ("6 tháng đầu năm 2025", TB35, date(2025, 6, 30), ONCE),
    # tb56-vpcp-2025.txt
    ("hoàn thành trước ngày 31 tháng 3 năm 2025", TB56, date(2025, 3, 30), ONCE),
    ("Đến ngày 30/6", TB56, date(2025, 6, 30), ONCE),
    ("Đến 30/6/2025", TB56, date(2025, 6, 30), ONCE),
    ("trong tháng 02 năm 2025", TB56, date(2025, 2, 28), ONCE),
    # tb171-vpcp-2025.txt
    ("hoàn thành trong tháng 4/2025", TB171, date(2025, 4, 30), ONCE),
    ("hoàn thành trong tháng 5/2025", TB171, date(2025, 5, 31), ONCE),
    ("hoàn thành trong tháng 6/2025", TB171, date(2025, 6, 30), ONCE),
    ("hoàn thành trong tháng 9/2025", TB171, date(2025, 9, 30), ONCE),
    ("hoàn thành trong Quý II/2025", TB171, date(2025, 6, 30), ONCE),
    ("hoàn thành trước ngày 30/6/2025", TB171, date(2025, 6, 29), ONCE),
    # tb-bcdcp-phien4-2025.txt: years left out
    ("hoàn thành trong tháng 10", PHIEN4, date(2025, 10, 31), ONCE),
    ("hoàn thành trong tháng 10 này", PHIEN4, date(2025, 10, 31), ONCE),
    ("trước ngày 25/11", PHIEN4, date(2025, 11, 24), ONCE),
    ("trước ngày 15/12", PHIEN4, date(2025, 12, 14), ONCE),
    ("hoàn thành trong năm 2025…", PHIEN4, date(2025, 12, 31), ONCE),
]


@pytest.mark.parametrize(("text", "issued_on", "due", "kind"), DIRECTIVE_PHRASES)
def test_normalise_deadline_reads_the_sample_directives(text, issued_on, due, kind):
    result = normalise_deadline(text, issued_on)
    assert (result.due, result.kind) == (due, kind)
