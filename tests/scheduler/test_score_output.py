"""What an admin reads of the scores: the formula names only what was measured, units without
data are counted rather than listed, and the chart keeps to measured units and two ends."""

from __future__ import annotations

import io
from datetime import date

from PIL import Image

from handlers.i18n import use_locale
from handlers.markup import to_plain
from handlers.parsing.periods import month_period
from handlers.summaries.pushes import formula_line, score_text
from handlers.summaries.score import UnitScore, rank
from handlers.tasks.daily import ReportRules
from scheduler.chart import EACH_END, Bar, chart_rows, scoreboard_png

JULY = month_period(2025, 7, "month")
RULES = ReportRules()


def _score(name: str, completion: float | None, discipline: float | None) -> UnitScore:
    parts = [(0.6, completion), (0.4, discipline)]
    measured = [(w, v) for w, v in parts if v is not None]
    score = (
        round(100 * sum(w * v for w, v in measured) / sum(w for w, _ in measured), 1)
        if measured
        else None
    )
    return UnitScore(
        unit_id=hash(name) % 10_000,
        name=name,
        due=2 if completion is not None else 0,
        on_time=2 if completion else 0,
        late=0,
        required_days=4 if discipline is not None else 0,
        reported_days=4 if discipline else 0,
        completion=completion,
        discipline=discipline,
        score=score,
    )


def _text(scores: list[UnitScore]) -> str:
    return to_plain(score_text(rank(scores), JULY, RULES, date(2025, 8, 1)))


def test_formula_names_both_parts_when_both_were_measured():
    with use_locale("vi"):
        text = _text([_score("Bộ A", 1.0, 0.5), _score("Bộ B", 0.5, None)])
    assert "Điểm = 60% hoàn thành đúng hạn (hoàn thành quá hạn được tính 50%) + 40%" in text


def test_formula_leaves_out_daily_reports_when_none_were_required():
    with use_locale("vi"):
        text = _text([_score("Bộ A", 1.0, None), _score("Bộ B", 0.5, None)])
    assert "Điểm = tỷ lệ hoàn thành đúng hạn (hoàn thành quá hạn được tính 50%); kỳ này" in text
    assert "báo cáo hằng ngày trước" not in text and "60%" not in text


def test_formula_leaves_out_completion_when_nothing_was_due():
    with use_locale("en"):
        text = _text([_score("Bộ A", None, 1.0)])
    assert text.endswith(
        "Score = daily reports before 16:00 on working days; no work was due in this period."
    )


def test_a_weight_of_zero_is_not_named():
    rules = ReportRules(weight_completion=1, weight_discipline=0)
    with use_locale("en"):
        line = formula_line(rules, completion=True, discipline=True)
    assert line.startswith("Score = on-time completion") and "daily report" in line
    assert "%" not in line.split("(")[0]


def test_units_without_data_are_counted_not_listed():
    communes = [_score(f"Xã {n}", None, None) for n in range(40)]
    with use_locale("vi"):
        text = _text([_score("Bộ A", 1.0, 1.0), *communes])
    assert "40 đơn vị khác chưa có số liệu chấm điểm" in text
    assert "Xã 1" not in text
    with use_locale("en"):
        assert "40 more units had nothing to score" in _text([_score("Bộ A", 1, 1), *communes])
        assert "1 more unit had nothing to score" in _text([_score("Bộ A", 1, 1), communes[0]])


def test_chart_leaves_out_units_with_nothing_measured():
    bars = [Bar("Bộ A", 90.0), Bar("Xã không số liệu", None), Bar("Bộ B", 0.0)]
    shown, left_out = chart_rows(bars)
    assert [b.label for b in shown] == ["Bộ A", "Bộ B"]  # a measured zero stays
    assert left_out == 0


def test_chart_of_a_long_ranking_shows_its_two_ends():
    bars = [Bar(f"Xã {n:03d}", 100 - n * 0.5) for n in range(120)]
    shown, left_out = chart_rows(bars)
    assert len(shown) == 2 * EACH_END and left_out == 120 - 2 * EACH_END
    assert [b.label for b in shown[:2]] == ["Xã 000", "Xã 001"]
    assert [b.label for b in shown[-2:]] == ["Xã 118", "Xã 119"]
    short = [Bar(f"Bộ {n}", 50.0) for n in range(2 * EACH_END)]
    assert chart_rows(short) == (short, 0)


def test_chart_png_stays_readable_for_thousands_of_communes():
    bars = [Bar(f"Xã {n}", (n * 37) % 100) for n in range(3321)]
    with use_locale("vi"):
        png = scoreboard_png(bars, title="Tháng 7/2025", xlabel="Điểm")
    image = Image.open(io.BytesIO(png))
    # 30 bars and a gap: about as tall as for 30 units, not 3,321.
    assert image.format == "PNG" and image.height < 1600
    few = Image.open(io.BytesIO(scoreboard_png(bars[:30], title="t", xlabel="x")))
    assert image.height <= few.height + 60
