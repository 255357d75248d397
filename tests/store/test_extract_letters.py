"""Letters, notices and plans of ministries and provinces (synthetic inputs, each written for
the test in the shape of a real document): event letters and their fields, reply formulas,
the 2025 names of units, headings wrapped by a capture, sections of targets and tasks, award
plans, time limits, co-leads and what an appendix after the signature inherits.
"""

from __future__ import annotations

from store.importing import extract
from store.importing.cleanup import paragraphs
from store.importing.items import parse_outline
from store.importing.phrases import find_deadline


def test_an_event_letter_lists_its_fields_and_the_request_after_them_is_the_task() -> None:
    # Shaped like a ministry's letter announcing training sessions (written for the test).
    tasks, _, _ = parse_outline(
        [
            "Bộ Tài chính tổ chức 02 hội nghị tập huấn nghiệp vụ. Thông tin cụ thể như sau:",
            "1. Đối tượng:",
            "- Lãnh đạo, chuyên viên các đơn vị thuộc cấp xã;",
            "- Công chức thuộc Thuế tỉnh.",
            "2. Thời gian:",
            "- Hội nghị 1: Gồm các tỉnh Hà Nội, Ninh Bình. Thời gian: sáng ngày 26/11/2025.",
            "- Hội nghị 2: Gồm các tỉnh Huế, Đà Nẵng. Thời gian: chiều ngày 26/11/2025.",
            "3. Cách thức thực hiện:",
            "- Điểm cầu tại các tỉnh: Tham gia hội nghị tại các điểm cầu của cơ quan Thuế.",
            "Bộ Tài chính đề nghị Ủy ban nhân dân các tỉnh chỉ đạo các xã cử cán bộ tham dự,"
            " gửi danh sách trước ngày 24/11/2025.",
            "Mọi thông tin chi tiết xin liên hệ: Ông Nguyễn Văn A, Trường Bồi dưỡng cán bộ.",
        ]
    )
    assert [(t.lead, t.deadline_text) for t in tasks] == [
        (["Ủy ban nhân dân các tỉnh"], "trước ngày 24/11/2025")
    ]


def test_a_province_press_and_broadcaster_heads_its_items() -> None:
    tasks, _, _ = parse_outline(
        [
            "6. Báo và Phát thanh, Truyền hình tỉnh",
            "a) Xây dựng kịch bản chương trình đối thoại hằng tháng.",
            "b) Kịp thời đưa tin, biểu dương người tốt, việc tốt.",
        ]
    )
    assert [(t.ref, t.lead) for t in tasks] == [
        ("6.a", ["Báo và Phát thanh, Truyền hình tỉnh"]),
        ("6.b", ["Báo và Phát thanh, Truyền hình tỉnh"]),
    ]


def test_a_tax_department_letter_to_the_provincial_tax_offices() -> None:
    # Shaped like a Cục Thuế letter (written for the test): the request in the last sentence
    # of the paragraph, the 2025 names of the provincial tax offices, a Q&A appendix.
    text = "\n".join(
        [
            "CỤC THUẾ",
            "Số: 5435/CT-NVT",
            "Hà Nội, ngày 20 tháng 11 năm 2025",
            "Kính gửi: Thuế các tỉnh, thành phố.",
            "Cục Thuế nhận được công văn số 2094/TNI-CNTK của Thuế tỉnh Tây Ninh về thuế.",
            "Căn cứ Luật Quản lý thuế. Cục Thuế đề nghị các Thuế tỉnh, thành phố, Chi Cục"
            " trưởng Chi cục Thuế doanh nghiệp lớn triển khai thực hiện:",
            "1. Tiếp tục tuyên truyền, hướng dẫn các tổ chức chi trả thu nhập.",
            "2. Nắm bắt, xử lý kịp thời các vướng mắc phát sinh.",
            "Cục Thuế trả lời để Thuế tỉnh Tây Ninh biết./.",
            "PHỤ LỤC 1",
            "1. Câu hỏi: Doanh nghiệp có phải lập danh sách chi tiết không?",
            "2. Câu hỏi: Doanh nghiệp nộp thuế qua Kho bạc thì làm thế nào?",
        ]
    )
    tasks = extract(text.encode(), "cv.txt").tasks
    assert [(t.ref, t.lead) for t in tasks] == [
        ("1", ["các Thuế tỉnh, thành phố", "Chi cục Thuế doanh nghiệp lớn"]),
        ("2", ["các Thuế tỉnh, thành phố", "Chi cục Thuế doanh nghiệp lớn"]),
    ]


def test_a_lead_cell_pointing_to_another_document_names_no_performer() -> None:
    text = "\n".join(
        [
            "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG",
            "Số: 12/KH-UBND",
            "Lâm Đồng, ngày 05 tháng 01 năm 2026",
            "| TT | Nhiệm vụ | Cơ quan chủ trì | Thời gian |",
            "| 1 | Công bố chỉ số cải cách hành chính | Sở Nội vụ | Trước ngày 05 của tháng"
            " liền kề |",
            "| 2 | Tiếp tục thực hiện Quyết định số 1441/QĐ-UBND | Theo phân công tại Quyết"
            " định số 1441/QĐ-UBND | Theo các mốc thời gian tại Quyết định |",
        ]
    )
    tasks = extract(text.encode(), "kh.txt").tasks
    assert [(t.ref, t.lead) for t in tasks] == [("1", ["Sở Nội vụ"])]


def test_a_body_named_as_the_focal_point_is_the_lead_without_its_role() -> None:
    tasks, _, _ = parse_outline(
        [
            "1. Giao Sở Nông nghiệp và Môi trường là cơ quan đầu mối, tổ chức thực hiện các"
            " nhiệm vụ sau:",
            "- Điều phối chung, đôn đốc việc triển khai Kế hoạch.",
        ]
    )
    assert [t.lead for t in tasks] == [["Sở Nông nghiệp và Môi trường"]]


def test_a_co_lead_is_a_second_lead() -> None:
    tasks, _, _ = parse_outline(
        [
            "2. Bộ Ngoại giao:",
            "a) Đồng chủ trì với Bộ Khoa học và Công nghệ, phối hợp với các cơ quan liên quan"
            " đẩy mạnh hợp tác quốc tế.",
        ]
    )
    assert [(t.lead, t.cooperating) for t in tasks] == [
        (["Bộ Ngoại giao", "Bộ Khoa học và Công nghệ"], ["các cơ quan liên quan"])
    ]


def test_a_bold_heading_wrapped_by_the_capture_is_one_heading() -> None:
    from store.importing.cleanup import clean_lines, join_bold_wraps

    lines = [
        "**2. Cục",
        "Xuất bản, In và Phát hành**",
        "- Triển khai sửa đổi Luật Xuất bản.",
        "*1.1. Đối với 355 nhiệm vụ cần ban hành văn bản",
        "để hướng dẫn thực hiện** (danh mục theo Báo cáo số 11296/BC-BNV",
        "ngày 27/11/2025), các Bộ khẩn trương rà soát.",
        "**CỘNG HÒA XÃ HỘI",
        "CHỦ NGHĨA VIỆT NAM**",
    ]
    assert join_bold_wraps(lines) == [
        "**2. Cục Xuất bản, In và Phát hành**",
        *lines[2:],  # a closing ``**`` opens nothing; a header is no item
    ]
    text = "\n".join(["Bộ trưởng giao:", *lines[:3]])
    tasks, _, _ = parse_outline(paragraphs(clean_lines(text.splitlines())))
    assert [(t.ref, t.lead) for t in tasks] == [("2.1", ["Cục Xuất bản, In và Phát hành"])]


def test_a_section_of_targets_and_tasks_gives_its_tasks() -> None:
    tasks, _, _ = parse_outline(
        [
            "II. CHỈ TIÊU, NHIỆM VỤ",
            "1. Cải cách thể chế",
            "a) Mục tiêu",
            "- 100% văn bản quy phạm pháp luật được cập nhật kịp thời.",
            "b) Nhiệm vụ",
            "- Sở Tư pháp tham mưu Ủy ban nhân dân tỉnh triển khai ứng dụng AI. Năm 2026.",
        ]
    )
    assert [(t.ref, t.lead) for t in tasks] == [("II.1.b.1", ["Sở Tư pháp"])]


def test_a_time_limit_after_a_cited_decree_is_the_deadline() -> None:
    text = (
        "Giao Sở Y tế gửi hồ sơ theo quy định tại Nghị định số 116/2021/NĐ-CP ngày 21/12/2021"
        " của Chính phủ quy định chi tiết về Công an tỉnh trước ngày 05/11/2025."
    )
    assert find_deadline(text) == "trước ngày 05/11/2025"
    # A period inside a cited document's title still is no deadline.
    title = "Thực hiện Nghị quyết số 86/NQ-CP về nhiệm vụ những tháng cuối năm 2025."
    assert find_deadline(title) == ""


def test_a_completion_in_a_year_and_an_event_time_of_day_are_deadlines() -> None:
    text = "Khẩn trương hoàn thành theo đúng lộ trình được giao hoàn thành trong năm 2025."
    assert find_deadline(text) == "hoàn thành trong năm 2025"
    assert find_deadline("Các nhiệm vụ được giao trong năm 2025 cần rà soát lại.") == ""
    assert find_deadline("Dự hội nghị vào sáng ngày 03/10/2025 tại Hội trường.") == (
        "vào sáng ngày 03/10/2025"
    )


def test_the_body_intro_does_not_reach_past_the_signature_into_an_appendix() -> None:
    tasks, _, _ = parse_outline(
        [
            "Bộ Tài chính đề nghị Ủy ban nhân dân các tỉnh thực hiện các nội dung sau:",
            "1. Chỉ đạo các xã cử cán bộ tham dự hội nghị.",
            "2. Gửi danh sách đăng ký trước ngày 24/11/2025.",
            "Nơi nhận:",
            "- Như trên;",
            "- Lưu: VT.",
            "PHỤ LỤC 1",
            "1. Danh sách đăng ký tham gia",
            "2. Câu hỏi, vướng mắc",
        ]
    )
    assert [(t.ref, t.lead) for t in tasks] == [
        ("1", ["Ủy ban nhân dân các tỉnh"]),
        ("2", ["Ủy ban nhân dân các tỉnh"]),
    ]


def test_an_award_plans_quotas_are_no_tasks_but_work_handed_over_in_its_criteria_is() -> None:
    tasks, _, _ = parse_outline(
        [
            "III. TIÊU CHÍ ĐÁNH GIÁ",
            "a) Trên cơ sở kết quả thực hiện các chỉ tiêu, giao Sở Y tế thành lập đoàn kiểm tra,"
            " đánh giá kết quả thực hiện.",
            "b) Trên cơ sở kết quả họp xét của Hội đồng thi đua.",
            "IV. SỐ LƯỢNG KHEN THƯỞNG",
            "1. Bằng khen của Chủ tịch UBND tỉnh:",
            "- Ban Chỉ đạo bầu cử của tỉnh: Không quá 05 cá nhân.",
            "- Ủy ban bầu cử của tỉnh: Không quá 05 cá nhân.",
        ]
    )
    assert [(t.ref, t.lead) for t in tasks] == [("III.a", ["Sở Y tế"])]


def test_communes_listed_under_one_head_are_written_out() -> None:
    from store.importing.unit_lists import expand_colon_list

    assert expand_colon_list("Ủy ban nhân dân các xã: Gia Thuận, Tân Điền và Gò Công Đông") == [
        "Ủy ban nhân dân xã Gia Thuận",
        "Ủy ban nhân dân xã Tân Điền",
        "Ủy ban nhân dân xã Gò Công Đông",
    ]
    assert expand_colon_list("UBND các xã: thực hiện tốt các nội dung") is None


def test_a_scope_or_means_after_the_subject_is_no_part_of_its_name() -> None:
    from store.importing.clauses import find_subject

    cases = {
        "Ủy ban nhân dân các xã, phường nơi đơn vị đặt trụ sở có văn bản chấp thuận.": [
            "Ủy ban nhân dân các xã, phường"
        ],
        "Thuế tỉnh Tây Ninh trong quá trình thực hiện báo cáo Cục Thuế.": ["Thuế tỉnh Tây Ninh"],
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh bằng nhiều hình thức tuyên truyền.": [
            "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"
        ],
        "Các Bộ, cơ quan, địa phương dự họp đúng thành phần được mời.": [
            "Các Bộ, cơ quan, địa phương"
        ],
    }
    for sentence, units in cases.items():
        found = find_subject(sentence)
        assert found is not None and found[0] == units, sentence
