"""More shapes of real directives, one mechanism at a time: records, unit lists with a verb
inside a name, recipients and repeated text, sub-items, hand-overs, glued words, products."""

from __future__ import annotations

from store.importing import extract
from store.importing.clauses import find_subject, unit_heading
from store.importing.cleanup import paragraphs
from store.importing.items import parse_outline
from store.importing.unit_lists import expand_colon_list


def _tasks(lines: list[str]) -> list[tuple[str, list[str], str]]:
    tasks, _, _ = parse_outline(paragraphs(lines))
    return [(t.ref, t.lead, t.deadline_text) for t in tasks]


# --- more shapes --------------------------------------------------------------------------------


def test_a_record_with_a_task_field_and_grouped_fields() -> None:
    tasks, _, _ = parse_outline(
        [
            "1.1. Xây dựng các Chiến lược:",
            "a) Nhiệm vụ: Tham mưu rà soát Chiến lược dữ liệu.",
            "b) Cơ quan thực hiện:",
            "- Đơn vị chủ trì: Sở Khoa học và Công nghệ.",
            "- Đơn vị phối hợp: Các Sở, ban, ngành.",
            "c) Thời gian thực hiện: Hoàn thành trong năm 2025.",
        ]
    )
    assert [(t.ref, t.title, t.lead, t.cooperating, t.deadline_text) for t in tasks] == [
        (
            "1.1.a",
            "Tham mưu rà soát Chiến lược dữ liệu",
            ["Sở Khoa học và Công nghệ"],
            ["Các Sở, ban, ngành"],
            "Hoàn thành trong năm 2025",
        )
    ]


def test_province_lists_and_names_with_a_verb_inside() -> None:
    assert expand_colon_list("Ủy ban nhân dân các tỉnh, thành phố: Đồng Nai, Hồ Chí Minh") == [
        "Ủy ban nhân dân tỉnh Đồng Nai",
        "Ủy ban nhân dân thành phố Hồ Chí Minh",
    ]
    assert expand_colon_list("Các tỉnh Nghệ An, Quảng Ngãi") == ["tỉnh Nghệ An", "tỉnh Quảng Ngãi"]
    found = find_subject("Bộ Ngoại giao chủ trì, phối hợp với Bộ Công Thương làm việc.")
    assert found is not None and found[0] == ["Bộ Ngoại giao"]
    assert unit_heading("Vụ Các vấn đề chung về xây dựng pháp luật") == [
        "Vụ Các vấn đề chung về xây dựng pháp luật"
    ]
    assert unit_heading("6. Đề nghị: Hiệp hội Doanh nghiệp tỉnh, Hội Nông dân tỉnh"[3:]) == [
        "Hiệp hội Doanh nghiệp tỉnh",
        "Hội Nông dân tỉnh",
    ]


def test_recipients_and_repeated_text_give_no_tasks() -> None:
    text = "\n".join(
        [
            "Số: 12/CĐ-TTg",
            "THỦ TƯỚNG CHÍNH PHỦ điện:",
            "- Bộ trưởng Bộ Công an;",
            "- Chủ tịch Ủy ban nhân dân các tỉnh.",
            "Hồi 16h ngày 26/11/2025, bão số 15 đổ bộ.",
            "1. Bộ Công an chủ trì triển khai lực lượng cứu hộ.",
            "2. Ủy ban nhân dân các tỉnh khẩn trương sơ tán dân cư, hoàn thành trước ngày "
            "28/11/2025.",
            "3. Bộ Quốc phòng chủ động bố trí lực lượng.",
            "1. Bộ Công an chủ trì triển khai lực lượng cứu hộ.",
            "2. Ủy ban nhân dân các tỉnh khẩn trương sơ tán dân cư, hoàn thành trước ngày "
            "28/11/2025.",
            "3. Bộ Quốc phòng chủ động bố trí lực lượng.",
            "Nơi nhận:",
            "- Như trên;",
            "- Lưu: VT.",
        ]
    )
    directive = extract(text.encode("utf-8"), "cd.txt")
    # The page carried its text twice: the second copy gives no tasks.
    assert [(t.ref, t.lead) for t in directive.tasks] == [
        ("1", ["Bộ Công an"]),
        ("2", ["Ủy ban nhân dân các tỉnh"]),
        ("3", ["Bộ Quốc phòng"]),
    ]


def test_sub_bullets_that_are_sentences_are_tasks_of_their_own() -> None:
    tasks, _, _ = parse_outline(
        [
            "1/ Các Cục Thuế rà soát lại kế hoạch thanh tra, hoàn thành trong năm 2016.",
            "- Trên cơ sở kế hoạch đã phê duyệt, tập trung thanh tra các doanh nghiệp lớn.",
            "- Cẩm nang nghiệp vụ",
            "2/ Giao Phó Thủ tướng Lê Minh Khái chỉ đạo thực hiện Công điện này.",
            "3/ Trong quá trình thực hiện, nếu có vướng mắc, các Cục Thuế báo cáo Tổng cục.",
            "1.1. Cục Thuế Hà Nội kiểm tra hồ sơ hoàn thuế.",
        ]
    )
    assert [(t.ref, t.lead) for t in tasks] == [
        ("1", ["Các Cục Thuế"]),
        ("1.1", ["Các Cục Thuế"]),
        ("3.1.1", ["Cục Thuế Hà Nội"]),
    ]
    assert "Cẩm nang nghiệp vụ" in tasks[0].body
    # A task's deadline is its own: only a heading or introducing sentence dates a list.
    assert [t.deadline_text for t in tasks] == ["hoàn thành trong năm 2016", "", ""]


def test_words_a_pdf_capture_glued_are_read_apart() -> None:
    from store.importing.glue import fix_glued

    assert fix_glued("ĐềnghịUỷban MTTQVN, Đảng uỷUBND xã, MobiFone") == (
        "Đề nghị Uỷ ban MTTQVN, Đảng uỷ UBND xã, MobiFone"
    )
    found = find_subject(fix_glued("ĐềnghịBan Thường trực Uỷban MTTQVN xã tiếp tục rà soát."))
    assert found is not None and found[0] == ["Ban Thường trực Uỷ ban MTTQVN xã"]


def test_work_handed_over_after_the_opening_of_an_item() -> None:
    found = _tasks(
        [
            "1. Về công tác chuẩn bị Đại hội: Thường trực Đảng uỷ cơ bản nhất trí với dự thảo; "
            "giao Ban Xây dựng Đảng tham mưu hoàn thiện Kế hoạch, hoàn thành trong tháng 9/2025.",
            "2. Về kiểm tra: Ủy ban Kiểm tra được quyền yêu cầu các chi bộ báo cáo.",
        ]
    )
    assert found == [("1", ["Ban Xây dựng Đảng"], "hoàn thành trong tháng 9/2025")]


def test_documents_to_draw_up_are_the_task_not_tasks_of_their_own() -> None:
    found = _tasks(
        [
            "3. Văn phòng Đảng uỷ phối hợp các cơ quan tham mưu ban hành các Nghị quyết sau:",
            "- Nghị quyết về cơ cấu lại ngành nông nghiệp giai đoạn 2026 - 2030",
            "- Nghị quyết xây dựng nông thôn mới giai đoạn 2026 - 2030",
            "Nơi nhận:",
            "- Lưu VPĐU",
        ]
    )
    assert found == [("3", ["Văn phòng Đảng uỷ"], "")]
