"""Lines wrapped inside a name, topics with long heads, appeals that end a letter (synthetic).

Text copied out of a PDF breaks lines wherever the page ends them: inside a unit's name, at the
dash of ``Tập đoàn Công nghiệp - Viễn thông Quân đội``, right after an item's marker. Each text
here is written for the test.
"""

from __future__ import annotations

from store.importing.cleanup import clean_lines, paragraphs
from store.importing.not_tasks import is_appeal
from tests.store.extract_support import outline_tasks


def _paragraphs(text: str) -> list[str]:
    return paragraphs(clean_lines(text.splitlines()))


def test_a_name_wrapped_at_its_dash_is_not_a_bullet() -> None:
    text = "\n".join(
        [
            "1. Đề nghị các Tập đoàn: Bưu chính Viễn thông Việt Nam, Công nghiệp - Viễn thông",
            "Quân đội hỗ trợ phủ sóng các thôn, bản.",
            "2. Các Bộ, cơ quan liên quan và các Tập đoàn: Điện lực Việt Nam, Công nghiệp",
            "- Viễn thông Quân đội theo chức năng, nhiệm vụ, phối hợp với Tỉnh xử lý kiến nghị.",
        ]
    )
    second = _paragraphs(text)[1]
    assert second.startswith("2. Các Bộ") and "Công nghiệp - Viễn thông Quân đội theo" in second


def test_a_dash_after_a_finished_line_stays_a_bullet() -> None:
    text = "\n".join(
        [
            "1. Các Tập đoàn: Công nghiệp - Viễn thông Quân đội, Điện lực Việt Nam thực hiện:",
            "- Viễn thông Quân đội bảo đảm thông tin liên lạc.",
        ]
    )
    assert len(_paragraphs(text)) == 2


def test_a_unit_name_wrapped_after_the_items_marker_is_joined_again() -> None:
    text = "\n".join(
        [
            "4.5. Các cấp uỷ tổ chức quán triệt Kết luận.",
            "4.6. Văn phòng",
            "Trung ương Đảng phối hợp theo dõi, đôn đốc việc thực hiện.",
            "Văn phòng Trung ương Đảng xin thông báo để các cơ quan biết.",
        ]
    )
    tasks = {task.ref: task for task in outline_tasks(text)}
    assert tasks["4.6"].lead == ["Văn phòng Trung ương Đảng"]


def test_a_heading_line_is_not_joined_to_the_sentence_under_it() -> None:
    text = "\n".join(["1. Mục đích", "Tổ chức quán triệt Kế hoạch.", "Mục đích của Kế hoạch."])
    assert _paragraphs(text)[:2] == ["1. Mục đích", "Tổ chức quán triệt Kế hoạch."]


def test_a_role_opens_the_sentence_after_a_topic() -> None:
    text = "\n".join(
        [
            "1. Về đầu tư kho dầu thô dự trữ quốc gia: với vai trò là chủ đầu tư, Tập đoàn "
            "Điện lực Việt Nam chủ động làm việc với các đối tác, hoàn thành trong tháng 12 "
            "năm 2025.",
        ]
    )
    assert outline_tasks(text)[0].lead == ["Tập đoàn Điện lực Việt Nam"]


def test_a_long_topic_head_still_hands_its_work_to_the_unit_after_the_colon() -> None:
    head = (
        "2. Về điều chuyển số vốn dư, không có khả năng giải ngân trong năm 2025 (khoảng 1.500 "
        "tỷ đồng) từ nguồn vốn hỗ trợ theo chính sách đặc thù quy định tại Nghị quyết số "
        "37/2021/QH15 ngày 13 tháng 11 năm 2021 của Quốc hội cho tỉnh Thanh Hóa"
    )
    text = f"{head}: Ủy ban nhân dân tỉnh Thanh Hóa rà soát và báo cáo trong Quý I năm 2026."
    assert len(head) > 200
    assert outline_tasks(text)[0].lead == ["Ủy ban nhân dân tỉnh Thanh Hóa"]


def test_an_appeal_followed_by_the_clause_on_difficulties_is_no_task() -> None:
    assert is_appeal(
        "Chủ tịch Ủy ban nhân dân Thành phố đề nghị các cơ quan, đơn vị khẩn trương, nghiêm túc "
        "triển khai thực hiện đầy đủ các nội dung chỉ đạo nêu trên theo thẩm quyền. Trường hợp "
        "có khó khăn, vướng mắc trong quá trình thực hiện, đề nghị các cơ quan báo cáo Sở Xây "
        "dựng để tổng hợp."
    )
    assert not is_appeal(
        "Đề nghị các cơ quan, đơn vị khẩn trương triển khai thực hiện. Sở Xây dựng tổng hợp "
        "kết quả, báo cáo trước ngày 20/12/2025."
    )


def test_a_document_to_draw_up_is_not_joined_to_the_line_naming_who_drafts_it() -> None:
    lines = [
        "1.1. Nghị quyết về đẩy mạnh công tác phát triển đảng viên nhiệm kỳ 2026 -2030 gồm",
        "các nội dung trọng tâm của toàn Đảng bộ xã Công Hải trong giai đoạn tới",
        "Ban Xây dựng Đảng chủ trì, phối hợp tham mưu, trình trong tháng 11/2025",
        "1.2. Sở Tài chính chủ trì rà soát các nguồn vốn đầu tư công trung hạn của",
        "Ban Quản lý dự án tỉnh trong năm 2026.",
    ]
    got = _paragraphs("\n".join(lines))
    assert got[1] == lines[2]
    assert got[2].endswith("Ban Quản lý dự án tỉnh trong năm 2026.")
