"""Rules that widen what the importer recognises in the genre (synthetic inputs).

Bodies and their titles, colon lists, labelled phrases, list markers, closing sentences and
appeals, delegates of a council, articles of a resolution.

Each text here is written for the test.
"""

from __future__ import annotations

from store.importing.appendix import parse_appendix
from store.importing.clauses import find_subject
from store.importing.cleanup import paragraphs
from store.importing.items import parse_outline
from store.importing.outline import split_marker
from store.importing.phrases import find_deadline
from tests.store.extract_support import notice_tasks as _tasks


def test_bodies_named_co_quan_with_lower_case_words() -> None:
    found = find_subject("Cơ quan thanh tra khẩn trương ban hành kết luận thanh tra.")
    assert found is not None and found[0] == ["Cơ quan thanh tra"]


def test_a_power_to_ask_is_no_work_handed_over() -> None:
    assert (
        find_subject("Về kiểm tra: Ủy ban Kiểm tra được quyền yêu cầu các chi bộ báo cáo.") is None
    )


def test_a_short_heading_wrapped_before_its_colon_is_one_paragraph() -> None:
    lines = ["Điều 2. Giao nhiệm vụ:", "1. Thường trực", "Hội đồng nhân dân tỉnh:", "a) Giám sát."]
    assert paragraphs(lines)[1] == "1. Thường trực Hội đồng nhân dân tỉnh:"


def test_a_colon_list_of_bodies_ends_where_their_work_starts() -> None:
    from store.importing.clauses import unit_heading

    heading = "Các Bộ: Quốc phòng, Công an chỉ đạo lực lượng đóng quân trên địa bàn:"
    assert unit_heading(heading) == ["Bộ Quốc phòng", "Bộ Công an"]
    # A lower-case verb that ends a name ("Kinh tế xây dựng") cuts nothing.
    assert unit_heading("Các Cục: Quản lý nhà, Kinh tế xây dựng") == [
        "Cục Quản lý nhà",
        "Cục Kinh tế xây dựng",
    ]


def test_performers_and_times_written_as_labelled_phrases() -> None:
    tasks, _, _ = parse_outline(
        [
            "II. NHIỆM VỤ",
            "1. Cải cách thể chế",
            "a) Rà soát các quyết định do tỉnh ban hành (Sở Tư pháp chủ trì, thực hiện trong"
            " Quý II/2026).",
            "b) Theo dõi thi hành pháp luật. Cơ quan thực hiện: Sở Tư pháp; phối hợp: các sở,"
            " ngành; thời gian: Quý III/2026.",
            "c) Công bố danh mục thủ tục hành chính mới. Trách nhiệm: Văn phòng UBND tỉnh.",
        ]
    )
    found = [(t.ref, t.lead, t.cooperating, t.deadline_text) for t in tasks]
    assert found == [
        ("II.1.a", ["Sở Tư pháp"], [], "trong Quý II/2026"),
        ("II.1.b", ["Sở Tư pháp"], ["các sở, ngành"], "Quý III/2026"),
        ("II.1.c", ["Văn phòng UBND tỉnh"], [], ""),
    ]
    # A field is never a performer of its own.
    assert find_subject("Cơ quan thực hiện: Sở Tư pháp; thời gian: Quý III/2026.") is None


def test_a_sentence_announcing_the_list_with_a_full_stop_introduces_it() -> None:
    tasks, _, _ = parse_outline(
        [
            "Chủ tịch Ủy ban nhân dân tỉnh yêu cầu Thủ trưởng các sở, ban, ngành tỉnh thực hiện"
            " tốt các nội dung sau đây.",
            "1. Tổ chức chiến dịch vệ sinh môi trường tại khu dân cư.",
            "2. Sở Y tế hướng dẫn các cơ sở khám chữa bệnh điều trị.",
        ]
    )
    assert [(t.ref, t.lead) for t in tasks] == [
        ("1", ["các sở, ban, ngành tỉnh"]),
        ("2", ["Sở Y tế"]),
    ]


def test_a_pipe_row_with_an_empty_number_cell_is_a_sub_row() -> None:
    lines = [
        "| TT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian |",
        "| 1 | Xây dựng quy chế quản lý dữ liệu dùng chung | Sở A | Sở B | Quý I/2026 |",
        "| | Ban hành hướng dẫn kỹ thuật kết nối dữ liệu | Sở A | | |",
        "| 2 | Rà soát thủ tục hành chính nội bộ | Văn phòng C | Các sở | Quý II/2026 |",
    ]
    tasks, _, _ = parse_appendix(lines)
    assert [(t.ref, t.lead, t.deadline_text) for t in tasks] == [
        ("1", ["Sở A"], "Quý I/2026"),
        ("1.2", ["Sở A"], "Quý I/2026"),
        ("2", ["Văn phòng C"], "Quý II/2026"),
    ]


def test_a_closing_sentence_dates_every_item_without_a_deadline() -> None:
    tasks, _, _ = parse_outline(
        [
            "Thường trực Đảng ủy giao nhiệm vụ như sau:",
            "1. Ban Tuyên giáo chuẩn bị đề cương tuyên truyền Đại hội.",
            "2. Văn phòng Đảng ủy chuẩn bị tài liệu, hoàn thành trước ngày 20/9/2025.",
            "3. Ủy ban Kiểm tra rà soát hồ sơ nhân sự.",
            "Các nội dung trên trình Thường trực Đảng ủy trước ngày 01/10/2025.",
        ]
    )
    assert [(t.ref, t.deadline_text) for t in tasks] == [
        ("1", "trước ngày 01/10/2025"),
        ("2", "hoàn thành trước ngày 20/9/2025"),
        ("3", "trước ngày 01/10/2025"),
    ]
    assert "deadline_inherited" in tasks[0].flags


def test_titles_of_the_persons_heading_bodies_are_dropped() -> None:
    from store.importing.units import split_units

    assert split_units(
        "Chủ tịch Hội đồng thành viên, Tổng giám đốc các tập đoàn, tổng công ty nhà nước"
    ) == ["các tập đoàn, tổng công ty nhà nước"]
    found = find_subject("Các cơ quan chịu sự giám sát có trách nhiệm báo cáo đầy đủ.")
    assert found is not None and found[0] == ["Các cơ quan chịu sự giám sát"]


def test_list_markers_as_other_captures_write_them() -> None:
    assert split_marker("a. Rà soát văn bản")[:2] == ("letter", "a")
    assert split_marker("đ/ Kiểm tra định kỳ")[:2] == ("letter", "đ")
    assert split_marker("2- Sở Y tế:")[:2] == ("arabic", "2")
    assert split_marker("III- TỔ CHỨC THỰC HIỆN")[:2] == ("roman", "III")
    assert split_marker("B. NHIỆM VỤ CỤ THỂ")[:2] == ("part", "B")
    assert split_marker("* Đối với Sở Xây dựng:")[0] == "star"
    assert split_marker("+) Tổ chức tập huấn")[2] == "Tổ chức tập huấn"
    assert split_marker("v.v. các việc khác")[0] == "text"
    tasks, _, _ = parse_outline(
        [
            "Yêu cầu các đơn vị thực hiện:",
            "1- Sở Y tế:",
            "a. Giám sát dịch bệnh tại cộng đồng.",
            "b. Bảo đảm thuốc, vật tư y tế.",
            "2- Sở Tài chính bố trí kinh phí phòng, chống dịch.",
        ]
    )
    assert [(t.ref, t.lead) for t in tasks] == [
        ("1.a", ["Sở Y tế"]),
        ("1.b", ["Sở Y tế"]),
        ("2", ["Sở Tài chính"]),
    ]


def test_lines_opening_with_these_markers_start_paragraphs() -> None:
    lines = ["1- Sở Y tế:", "a. Giám sát dịch bệnh tại cộng đồng", "b. Bảo đảm thuốc."]
    assert paragraphs(lines) == lines


def test_weekdays_and_the_first_months_of_a_year_are_deadlines() -> None:
    assert find_deadline("Gửi về Sở trước thứ Sáu, ngày 28/11/2025.") == (
        "trước thứ Sáu, ngày 28/11/2025"
    )
    assert find_deadline("Hoàn thành trong 6 tháng đầu năm 2026.") == (
        "Hoàn thành trong 6 tháng đầu năm 2026"
    )


def test_an_item_that_limits_something_is_no_section_of_shortcomings() -> None:
    tasks, _, _ = parse_outline(
        [
            "Sở Giáo dục đề nghị các trường học thực hiện nghiêm túc các nội dung sau:",
            "- Theo dõi chỉ số chất lượng không khí hằng ngày trên trang tin của Thành phố.",
            "- Hạn chế các hoạt động ngoài trời của học sinh trong những ngày ô nhiễm nặng.",
        ]
    )
    assert [t.ref for t in tasks] == ["1", "2"]


def test_an_appeal_that_closes_the_body_is_no_task_whatever_the_page_adds() -> None:
    tasks, _, _ = parse_outline(
        [
            "Ủy ban nhân dân Thành phố yêu cầu:",
            "1. Sở Nội vụ hướng dẫn cập nhật cơ sở dữ liệu cán bộ, công chức.",
            "2. Sở Tài chính bảo đảm kinh phí cập nhật cơ sở dữ liệu.",
            "Đề nghị các cơ quan, đơn vị khẩn trương triển khai, thực hiện./.",
            "Công văn 999/UBND-VX năm 2025 do Ủy ban nhân dân Thành phố ban hành, cập nhật ngày.",
        ]
    )
    assert [t.ref for t in tasks] == ["1", "2"]


def test_delegates_of_a_council_are_performers_of_their_own() -> None:
    from store.importing.units import split_units

    assert split_units("các Ban Hội đồng nhân dân tỉnh và đại biểu Hội đồng nhân dân tỉnh") == [
        "các Ban Hội đồng nhân dân tỉnh",
        "đại biểu Hội đồng nhân dân tỉnh",
    ]


def test_a_purpose_clause_before_the_performer() -> None:
    found = find_subject("Nhằm đơn giản hóa thủ tục, Công an tỉnh nghiên cứu cắt giảm giấy tờ.")
    assert found is not None and found[0] == ["Công an tỉnh"]


def test_a_topic_whose_meeting_agreed_hands_the_work_over_further_on() -> None:
    tasks, _, _ = parse_outline(
        [
            "Thường trực Đảng ủy kết luận như sau:",
            "3. Về công tác chuẩn bị Lễ khai giảng và phân công Ban Thường vụ dự lễ: Thường trực"
            " Đảng ủy cơ bản nhất trí với kế hoạch của UBND xã. Giao UBND xã chỉ đạo hoàn thiện"
            " kế hoạch; trong đó lưu ý:",
            "- Tổ chức lễ khai giảng trang trọng, an toàn, tiết kiệm.",
            "- Tăng cường tuyên truyền về năm học mới trên các phương tiện.",
        ]
    )
    assert [(t.ref, t.lead) for t in tasks] == [("3.1", ["UBND xã"]), ("3.2", ["UBND xã"])]


def test_a_heading_line_that_took_the_next_items_number_gives_it_back() -> None:
    lines = [
        "III. TỔ CHỨC THỰC HIỆN 1.",
        "Các sở, ngành chủ động xây dựng kế hoạch triển khai thực hiện.",
        "2. Giao Sở Nội vụ theo dõi, tổng hợp.",
    ]
    assert paragraphs(lines)[:2] == [
        "III. TỔ CHỨC THỰC HIỆN",
        "1. Các sở, ngành chủ động xây dựng kế hoạch triển khai thực hiện.",
    ]
    # A sentence that ends with a number keeps it.
    assert paragraphs(["Thực hiện theo quy định tại Điều 5."]) == [
        "Thực hiện theo quy định tại Điều 5."
    ]


def test_continuing_education_centres_are_named_not_working() -> None:
    from store.importing.clauses import unit_heading

    assert unit_heading("Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên") == [
        "Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên"
    ]


_RESOLUTION = """HỘI ĐỒNG NHÂN DÂN TỈNH K
Số: 20/NQ-HĐND
NGHỊ QUYẾT
Về kết quả giám sát đất đai
Điều 1. Tán thành báo cáo kết quả giám sát. Đề nghị Ủy ban nhân dân tỉnh:
1. Chỉ đạo rà soát, hoàn thiện quy hoạch sử dụng đất trong năm 2026.
2. Kiểm tra, xử lý các dự án chậm tiến độ, báo cáo tại kỳ họp cuối năm 2026.
Điều 2. Tổ chức thực hiện
1. Giao Ủy ban nhân dân tỉnh tổ chức thực hiện Nghị quyết này.
2. Thường trực Hội đồng nhân dân tỉnh, các Ban và đại biểu Hội đồng nhân dân tỉnh giám sát \
việc thực hiện Nghị quyết.
3. Ủy ban Kiểm tra phối hợp với Công an tỉnh đưa vào chương trình kiểm tra, giám sát việc \
thực hiện Nghị quyết.
"""


def test_articles_that_carry_the_tasks_are_a_ref_level_and_closing_clauses_no_tasks() -> None:
    tasks = _tasks(_RESOLUTION)
    assert [(ref, lead) for ref, (_, lead, _) in tasks.items()] == [
        ("Đ1.1", ["Ủy ban nhân dân tỉnh"]),
        ("Đ1.2", ["Ủy ban nhân dân tỉnh"]),
        ("Đ2.3", ["Ủy ban Kiểm tra"]),
    ]
