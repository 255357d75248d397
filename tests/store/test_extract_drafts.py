"""Unsigned drafts and schedule tables (synthetic text shaped like a provincial draft plan whose
date line is left blank for the signature: written for the test)."""

from __future__ import annotations

from datetime import date

from store.deadlines import normalise_deadline
from store.importing.extract import extract
from store.importing.parsed import ParsedDirective
from store.importing.units import split_units

_DRAFT = """\
| ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |
| Số: /KH-UBND | Lâm Đồng, ngày      tháng 01 năm 2026 |

KẾ HOẠCH
Tuyên truyền cải cách hành chính năm 2026

Căn cứ Quyết định số 1234/QĐ-UBND ngày 15/7/2021 của UBND tỉnh;

III. HOẠT ĐỘNG TRỌNG TÂM
1. Báo và Phát thanh, Truyền hình tỉnh chủ trì tổ chức chương trình đối thoại, gồm:

| TT | Nội dung | Trách nhiệm; thực hiện | Thời gian; (Năm 2026) |
| 1 | Giải đáp kiến nghị về thủ tục thuộc thẩm quyền của Sở Công Thương | Lãnh đạo Sở Công Thương | Từ 20 giờ 15 phút - 20 giờ 45 phút ngày 23 tháng 1 |
| 2 | Giải đáp kiến nghị về thủ tục thuộc thẩm quyền của Sở Y tế | Lãnh đạo; Sở Y tế | Từ 20 giờ 15 phút - 20 giờ 45 phút ngày 13 tháng 3 |
"""  # noqa: E501


def _draft() -> ParsedDirective:
    return extract(_DRAFT.encode(), "du-thao.md")


def test_a_draft_has_no_issue_date_but_its_month_dates_the_year_less_deadlines():
    parsed = _draft()
    assert parsed.issued_on is None  # the cited 15/7/2021 is not the draft's date
    assert parsed.reference_on == date(2026, 1, 1)
    rows = {t.ref: t for t in parsed.tasks if t.ref in {"1", "2"}}
    due = {ref: normalise_deadline(t.deadline_text, parsed.dated).due for ref, t in rows.items()}
    assert due == {"1": date(2026, 1, 23), "2": date(2026, 3, 13)}


def test_a_schedule_row_is_a_task_of_the_body_its_responsibility_column_names():
    rows = {t.ref: t.lead for t in _draft().tasks if t.ref in {"1", "2"}}
    assert rows == {"1": ["Sở Công Thương"], "2": ["Sở Y tế"]}


def test_the_reference_date_survives_the_json_round_trip():
    parsed = _draft()
    again = ParsedDirective.from_dict(parsed.to_dict())
    assert (again.issued_on, again.reference_on) == (None, date(2026, 1, 1))
    assert [t.ref for t in again.tasks] == [t.ref for t in parsed.tasks]


def test_a_signed_document_keeps_its_date_and_no_reference():
    signed = _DRAFT.replace("ngày      tháng 01 năm 2026", "ngày 09 tháng 01 năm 2026")
    parsed = extract(signed.encode(), "ke-hoach.md")
    assert (parsed.issued_on, parsed.reference_on) == (date(2026, 1, 9), None)


def test_leaders_of_a_body_are_the_body_and_lanh_dao_as_a_verb_is_no_unit():
    assert split_units("Lãnh đạo Sở Y tế", titles=False) == ["Sở Y tế"]
    assert split_units("Lãnh đạo; UBND xã Đức Trọng", titles=False) == ["UBND xã Đức Trọng"]
    assert split_units("Lãnh đạo, chỉ đạo các sở") == ["Lãnh đạo, chỉ đạo các sở"]


def test_the_dry_run_says_the_draft_has_no_issue_date():
    assert any("no issue date" in w and "01/2026" in w for w in _draft().warnings)
