"""Notices whose items name no performer: the body their closing sentence notifies carries
them out (synthetic text in the shape of a Government Office conclusion on a province)."""

from __future__ import annotations

from store.importing import extract
from store.importing.notices import notified

_NOTICE = """\
VĂN PHÒNG CHÍNH PHỦ
Số: 636/TB-VPCP
Hà Nội, ngày 20 tháng 11 năm 2025
THÔNG BÁO
Kết luận của Phó Thủ tướng tại buổi làm việc với tỉnh Phú Thọ
I. ĐÁNH GIÁ CHUNG
Tỉnh đã đạt nhiều kết quả quan trọng.
II. MỘT SỐ NHIỆM VỤ TRONG THỜI GIAN TỚI
1. Ghi nhận, đánh giá cao sự nỗ lực của tỉnh trong thời gian qua.
2. Rà soát, điều chỉnh quy hoạch phát triển của Tỉnh sau khi hợp nhất.
3. Đẩy nhanh tiến độ, triển khai các dự án trọng điểm của địa phương.
4. Bộ Nội vụ khẩn trương nghiên cứu, xử lý kiến nghị của tỉnh trong tháng 11 năm 2025.
Văn phòng Chính phủ thông báo để Ủy ban nhân dân tỉnh Phú Thọ và các Bộ, cơ quan liên quan biết, thực hiện./.
"""  # noqa: E501


def test_items_naming_no_performer_are_the_notified_bodys():
    tasks = {t.ref: t for t in extract(_NOTICE.encode(), "thong-bao.txt").tasks}
    assert tasks["II.2"].lead == ["Ủy ban nhân dân tỉnh Phú Thọ"]
    assert tasks["II.3"].lead == ["Ủy ban nhân dân tỉnh Phú Thọ"]
    assert "lead_from_heading" in tasks["II.2"].flags
    assert tasks["II.4"].lead == ["Bộ Nội vụ"]  # an item's own performer wins


def test_praise_and_headings_are_no_work_of_the_notified_body():
    refs = {t.ref for t in extract(_NOTICE.encode(), "thong-bao.txt").tasks}
    assert "II.1" not in refs and "II" not in refs


def test_a_notice_to_a_person_names_no_body():
    assert (
        notified(
            ["Văn phòng Chính phủ thông báo để đồng chí Bộ trưởng biết, chỉ đạo thực hiện./."]
        )
        == []
    )
    assert notified(["Tổng cục Thuế thông báo để các Cục Thuế biết và triển khai thực hiện."]) == [
        "các Cục Thuế"
    ]
    assert notified(["Đề nghị các đơn vị thực hiện."]) == []
