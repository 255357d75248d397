"""Performers as letters and plans write them: a colon before work in capitals, names under one
head word without its colon, the part of a body in brackets, a scope after the name, and data
entry verbs (synthetic sentences written for the test)."""

from __future__ import annotations

from store.importing import extract
from store.importing.units import split_units

_LETTER = """\
BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH
Số: 6316/BVHTTDL-VP
Hà Nội, ngày 21 tháng 11 năm 2025
Kính gửi: Các đơn vị thuộc Bộ
1. Cục Văn hóa các dân tộc Việt Nam: Chủ trì, phối hợp với các đơn vị tổ chức ngày hội.
2. Các Bộ Quốc phòng, Công an: Chỉ đạo các đơn vị trực thuộc sẵn sàng lực lượng.
3. Các Bộ Xây dựng và Công an: Phối hợp bảo đảm giao thông.
4. Văn phòng Ủy ban nhân dân tỉnh (Trung tâm Phục vụ hành chính công tỉnh) chủ trì hướng dẫn.
5. Bộ trưởng các Bộ: Xây dựng, Công Thương, Y tế: theo chức năng chỉ đạo khắc phục hậu quả.
6. Các bộ, tỉnh nhập dữ liệu kết quả tự đánh giá vào phần mềm.
7. Các chủ đầu tư lập và trình hồ sơ dự án.
8. Các cơ quan, địa phương liệt kê các văn bản, tài liệu kiểm chứng.
"""


def _leads() -> dict[str, list[str]]:
    return {t.ref: t.lead for t in extract(_LETTER.encode(), "cong-van.txt").tasks}


def test_a_colon_closes_the_units_when_the_work_after_it_opens_in_capitals():
    leads = _leads()
    assert leads["1"] == ["Cục Văn hóa các dân tộc Việt Nam"]
    assert leads["2"] == ["Bộ Quốc phòng", "Bộ Công an"]
    assert leads["3"] == ["Bộ Xây dựng", "Bộ Công an"]


def test_names_after_a_colon_are_no_work_even_when_one_reads_like_a_verb():
    assert _leads()["5"] == ["Bộ Xây dựng", "Bộ Công Thương", "Bộ Y tế"]


def test_the_part_of_a_body_in_brackets_is_no_part_of_its_name():
    assert _leads()["4"] == ["Văn phòng Ủy ban nhân dân tỉnh"]
    cell = "Văn phòng UBND tỉnh (Trung tâm Thông tin); Tổng công ty Cảng hàng không (ACV)"
    assert split_units(cell, titles=False) == [
        "Văn phòng UBND tỉnh",
        "Tổng công ty Cảng hàng không (ACV)",  # a short name in capitals names the body
    ]
    assert split_units("Bộ Tài chính (Cục Thuế), Bộ Tư pháp") == ["Bộ Tài chính", "Bộ Tư pháp"]


def test_a_scope_after_the_name_is_dropped():
    cell = "các sở, ban, ngành Thành phố trong phạm vi chức năng, nhiệm vụ của mình"
    assert split_units(cell, titles=False) == ["các sở, ban, ngành Thành phố"]


def test_data_entry_and_filing_verbs_end_the_subject():
    leads = _leads()
    assert leads["6"] == ["Các bộ, tỉnh"]
    assert leads["7"] == ["Các chủ đầu tư"]
    assert leads["8"] == ["Các cơ quan, địa phương"]


def test_a_body_named_with_several_levels_is_the_body_at_each_level():
    assert split_units("Ban Chỉ huy Phòng thủ dân sự cấp tỉnh, cấp xã") == [
        "Ban Chỉ huy Phòng thủ dân sự cấp tỉnh",
        "Ban Chỉ huy Phòng thủ dân sự cấp xã",
    ]
    assert split_units("UBND cấp tỉnh và cấp xã") == ["UBND cấp tỉnh", "UBND cấp xã"]
    assert split_units("HĐND, UBND xã") == ["HĐND xã", "UBND xã"]


def test_a_body_helping_another_is_the_performer():
    from store.importing.clauses import find_subject

    found = find_subject("Bộ Nội vụ giúp Ban Thường vụ Đảng ủy Chính phủ tổng hợp báo cáo.")
    assert found is not None and found[0] == ["Bộ Nội vụ"]
    named = find_subject("Các cơ quan tham mưu, giúp việc Đảng uỷ chuẩn bị báo cáo.")
    assert named is not None and named[0] == ["Các cơ quan tham mưu, giúp việc Đảng uỷ"]
