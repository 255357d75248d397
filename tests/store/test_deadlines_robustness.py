"""Deadline normalisation (ARCHITECTURE §4): spelling variants, missing years, impossible and
random input.
"""

from __future__ import annotations

import dataclasses
import random
import unicodedata
from datetime import date

import pytest

from store.deadlines import Deadline, normalise_deadline
from store.models import TaskKind
from tests.store.deadline_support import ANNUAL, ISSUED, ONCE, RECURRING, UNSPECIFIED

# Every due date lies here: years 1990–2100, and `trước ngày 1/1/1990` is the day before.
MIN_DATE, MAX_DATE = date(1989, 12, 31), date(2100, 12, 31)


# --- spelling variants -------------------------------------------------------------------------


def _variants(text: str) -> list[str]:
    without = "".join(
        ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn"
    ).replace("đ", "d")
    return [
        text,
        text.upper(),
        text.lower(),
        unicodedata.normalize("NFD", text),
        unicodedata.normalize("NFC", text),
        without,
        without.upper(),
        "  " + text.replace(" ", "   ") + "\n",
        text.replace(" ", "\u00a0"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Hoàn thành trước ngày 25/7/2025",
        "trong Quý III năm 2025",
        "Tháng 9/2025",
        "6 tháng đầu năm 2025",
        "Thường xuyên, hằng năm",
        "Hằng năm",
        "Đến ngày 30/6",
        "Theo lộ trình",
        "hoàn thành trong tháng 10 này",
    ],
)
def test_spelling_variants_normalise_alike(text):
    expected = normalise_deadline(text, ISSUED)
    for variant in _variants(text):
        result = normalise_deadline(variant, ISSUED)
        assert (result.due, result.kind) == (expected.due, expected.kind), variant


def test_text_is_kept_verbatim_but_stripped():
    raw = "  Hoàn thành  trước ngày 25/7/2025.\n"
    assert normalise_deadline(raw).text == "Hoàn thành  trước ngày 25/7/2025."
    nfd = unicodedata.normalize("NFD", "Quý II/2025")
    assert normalise_deadline(nfd).text == nfd


def test_deadline_is_frozen():
    deadline = normalise_deadline("Tháng 9/2025")
    assert deadline == Deadline("Tháng 9/2025", date(2025, 9, 30), ONCE)
    with pytest.raises(dataclasses.FrozenInstanceError):
        deadline.due = None  # type: ignore[misc]


# --- years left out ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "trong tháng 10 này",
        "trước ngày 25/11",
        "Đến ngày 30/6",
        "6 tháng cuối năm",
        "tháng này",
        "quý này",
        "năm nay",
        "ngày 15 tháng 8",
    ],
)
def test_a_yearless_deadline_without_issue_date_is_unspecified(text):
    assert normalise_deadline(text) == Deadline(text, None, UNSPECIFIED)


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("tháng này", date(2025, 5, 31)),
        ("quý này", date(2025, 6, 30)),
        ("năm nay", date(2025, 12, 31)),
        ("tháng 12 năm nay", date(2025, 12, 31)),
        ("ngày 15 tháng 8", date(2025, 8, 15)),
        ("trước tháng 6", date(2025, 5, 31)),
    ],
)
def test_a_yearless_deadline_takes_the_issue_year(text, due):
    assert normalise_deadline(text, ISSUED).due == due


@pytest.mark.parametrize(
    ("text", "issued_on", "due"),
    [
        # Late December: January means the coming year.
        ("trước ngày 15/1", date(2025, 12, 26), date(2026, 1, 14)),
        ("trong tháng 2", date(2025, 11, 20), date(2026, 2, 28)),
        ("trong tháng 2", date(2023, 11, 20), date(2024, 2, 29)),
        ("6 tháng đầu năm", date(2025, 11, 1), date(2026, 6, 30)),
        # Slightly past stays in the issue year: it is overdue, not a year away.
        ("Đến ngày 30/6", date(2025, 7, 15), date(2025, 6, 30)),
        ("trước ngày 14/5", date(2025, 5, 14), date(2025, 5, 13)),
        # `này` pins the issue year and never rolls.
        ("tháng 1 năm nay", date(2025, 12, 26), date(2025, 1, 31)),
    ],
)
def test_a_yearless_deadline_long_past_at_issue_means_next_year(text, issued_on, due):
    assert normalise_deadline(text, issued_on).due == due


def test_a_written_year_never_rolls_over():
    assert normalise_deadline("Tháng 1/2025", date(2025, 12, 26)).due == date(2025, 1, 31)


def test_a_yearless_date_beside_a_periodic_marker_recurs():
    assert normalise_deadline("trước ngày 15/12 hằng năm", ISSUED).kind == ANNUAL
    assert normalise_deadline("ngày 25 hằng tháng").kind == RECURRING
    # A written year is a one-off milestone, even if the work goes on afterwards.
    result = normalise_deadline("Tháng 9/2025, sau đó thực hiện thường xuyên")
    assert (result.due, result.kind) == (date(2025, 9, 30), ONCE)


# --- impossible input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "31/2/2025",
        "29/2/2025",
        "ngày 31/4/2025",
        "trước ngày 32/1/2025",
        "0/1/2025",
        "tháng 13/2025",
        "Tháng 0/2025",
        "quý 5 năm 2025",
        "Quý V/2025",
        "quý 0/2025",
        "Tháng 9/1890",
        "năm 1890",
        "ngày 1/1/2101",
        "năm 9999",
        "Năm 0000",
        "2030 - 2025",
        "giai đoạn 2025-2999",
        "30/6/25",
        "tháng 9/25",
        "31 tháng 2 năm 2025",
    ],
)
def test_impossible_dates_and_years_are_unspecified(text):
    assert normalise_deadline(text, ISSUED) == Deadline(text, None, UNSPECIFIED)


@pytest.mark.parametrize(
    "text",
    [
        "vận hành thông suốt 24/7",
        "Nghị định số 61/2018/NĐ-CP",
        "Thông tư số 01/2020/TT-VPCP",
        "20 hồ sơ/ngày",
        "tỷ lệ 1.5",
        "1500 hồ sơ",
        "quỹ đầu tư",
    ],
)
def test_numbers_that_are_not_dates_are_ignored(text):
    assert normalise_deadline(text, ISSUED).kind == UNSPECIFIED


@pytest.mark.parametrize(
    "issued_on", [date(1, 1, 1), date(9999, 12, 31), date(1989, 12, 31), date(2100, 12, 31)]
)
def test_extreme_issue_dates_never_raise(issued_on):
    for text in ("trước ngày 1/1", "Đến ngày 31/12", "tháng này", "quý này", "năm nay", "Quý I"):
        result = normalise_deadline(text, issued_on)
        assert result.due is None or MIN_DATE <= result.due <= MAX_DATE


# --- property-style: anything in, a well-formed Deadline out -----------------------------------

_TOKENS = [
    "trước", "ngày", "tháng", "quý", "năm", "này", "nay", "trong", "đến", "hằng", "hàng",
    "thường xuyên", "theo", "kể từ", "đầu", "cuối", "6", "II", "IV", "iii", "0", "1", "12",
    "13", "31", "29", "2024", "2025", "2100", "2101", "1989", "99999", "/", "-", ".", "–",
    ";", ",", " ", "  ", "\n", "\t", "Đ", "ư", "\u0301", "\u0300", "\u00a0", "\ufeff",
]  # fmt: skip


def _well_formed(result: Deadline, text: str) -> None:
    assert isinstance(result, Deadline)
    assert result.text == text.strip()
    assert isinstance(result.kind, TaskKind)
    # A due date exists exactly for one-off tasks, and lies in the accepted years.
    assert (result.due is not None) == (result.kind is ONCE)
    if result.due is not None:
        assert MIN_DATE <= result.due <= MAX_DATE


def test_random_token_soup_never_raises():
    rng = random.Random(20250514)
    for _ in range(3000):
        text = "".join(rng.choice(_TOKENS) for _ in range(rng.randint(0, 12)))
        issued_on = rng.choice([None, ISSUED, date(2025, 12, 26), date(1, 1, 1)])
        _well_formed(normalise_deadline(text, issued_on), text)


def test_random_unicode_never_raises():
    rng = random.Random(71)
    for _ in range(2000):
        text = "".join(chr(rng.randrange(0x110000)) for _ in range(rng.randint(0, 40)))
        _well_formed(normalise_deadline(text, ISSUED), text)


def test_random_garbage_without_digits_is_unspecified():
    rng = random.Random(57)
    alphabet = "abcdeghiklmnopqrstuvxyàáạảãâầấậăắặđêềếệôồốộơờớợưừứựỳýỷ ,.;:!?/-()[]\"'…\n\t😀中"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        assert normalise_deadline(text) == Deadline(text.strip(), None, UNSPECIFIED), text


def test_a_very_long_phrase_is_handled():
    text = "Hoàn thành " + "rất sớm, " * 20000 + "trước ngày 25/7/2025"
    assert normalise_deadline(text).due == date(2025, 7, 24)


@pytest.mark.parametrize(
    "unit", ["trước ngày trong đến ", "1/", "tháng ", "quý ", "6 tháng đầu ", "2025-", "hằng "]
)
def test_long_repetitive_input_is_handled(unit):
    # Regex backtracking that re-scans the rest of the text from every word would make this
    # take minutes; its time is measured in tests/bench/bench_parsing.py, not asserted here.
    text = unit * 20000
    _well_formed(normalise_deadline(text, ISSUED), text)
