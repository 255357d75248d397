"""Closing clauses, performers and tables near the end of a document (synthetic inputs written
for the test): year-end dates, a resolution's closing clause, lists of units and addressees.
"""

from __future__ import annotations

from datetime import date

from store.deadlines import normalise_deadline
from store.importing.bare_tables import bare_tables
from store.importing.clauses import find_subject
from store.importing.items import parse_outline
from store.importing.not_tasks import is_appeal, resolution_closing
from store.importing.parts import without_scoring_parts
from store.importing.phrases import find_deadline
from store.importing.subjects import addressed, handed_over
from store.importing.units import split_units
from store.models import TaskKind
from tests.store.extract_support import TELEGRAM_HEADER as _HEADER
from tests.store.extract_support import telegram_tasks as _tasks


def test_the_last_months_of_a_year_date_work_only_after_trong() -> None:
    # "nhiệm vụ 3 tháng cuối năm 2025" names the work; the deadline is the date after it.
    assert (
        find_deadline(
            "Văn phòng xây dựng chương trình triển khai nhiệm vụ 3 tháng cuối năm 2025; trình"
            " Thường trực cho ý kiến trước ngày 10/9/2025."
        )
        == "trước ngày 10/9/2025"
    )
    assert (
        find_deadline(
            "Tập trung lãnh đạo trong 02 tháng cuối năm 2025 và những tháng đầu năm 2026."
        )
        == "trong 02 tháng cuối năm 2025 và những tháng đầu năm 2026"
    )
    assert (
        find_deadline("Tổ chức tổng kết, hoàn thành cuối năm 2025.") == "hoàn thành cuối năm 2025"
    )


def test_a_resolution_s_closing_clause_is_no_task_even_with_a_qualifier() -> None:
    assert resolution_closing(
        "Ủy ban nhân dân, Chủ tịch và các thành viên Ủy ban nhân dân tỉnh, các Sở, ban, ngành"
        " trong phạm vi nhiệm vụ, quyền hạn của mình có trách nhiệm thực hiện Nghị quyết này."
    )
    assert not resolution_closing(
        "Sở Tài chính có trách nhiệm thực hiện Nghị quyết này và báo cáo trước ngày 30/6/2025."
    )


def test_a_table_of_criteria_gives_no_task() -> None:
    lines = [
        "1. Sở Giáo dục và Đào tạo hướng dẫn đánh giá các trung tâm học tập cộng đồng.",
        "BẢNG TIÊU CHÍ ĐÁNH GIÁ, XẾP LOẠI",
        "TRUNG TÂM HỌC TẬP CỘNG ĐỒNG",
        "|",
        "Mức điểm",
        "|",
        "CÁC MINH CHỨNG",
        "5.3. Huy động các nguồn lực: Trung tâm Giáo dục nghề nghiệp. Các trường phổ thông.",
        "HƯỚNG DẪN ĐÁNH GIÁ",
        "Ủy ban nhân dân phường quyết định thành lập đoàn kiểm tra.",
        "PHỤ LỤC II",
        "1. Sở Tài chính bố trí kinh phí.",
    ]
    assert without_scoring_parts(lines) == [lines[0], *lines[-2:]]


def test_a_last_day_each_year_is_an_annual_deadline() -> None:
    text = "Đề nghị Ủy ban nhân dân phường gửi kết quả về Sở, hạn cuối ngày 15 tháng 12 hàng năm."
    phrase = find_deadline(text)
    assert phrase == "hạn cuối ngày 15 tháng 12 hàng năm"
    read = normalise_deadline(phrase, date(2025, 10, 1))
    assert (read.due, read.kind) == (date(2025, 12, 15), TaskKind.ANNUAL)


def test_a_closing_summary_to_the_same_performers_is_a_task_of_its_own() -> None:
    text = _HEADER.replace("CÔNG ĐIỆN", "CÔNG VĂN") + (
        "1. Bộ Nội vụ:\n"
        "a) Rà soát các kiến nghị của địa phương về tổ chức bộ máy.\n"
        "b) Hướng dẫn các địa phương sắp xếp đơn vị sự nghiệp công lập.\n"
        "Trên đây là một số nội dung trọng tâm cần thực hiện ngay, Ban Chỉ đạo đề nghị Bộ"
        " Nội vụ báo cáo kết quả thực hiện trước Thứ Tư ngày 03/12/2025./.\n"
        "Nơi nhận:\n"
        "- Như trên;\n"
    )
    tasks = _tasks(text)
    assert tasks["1.b+1"][1:] == (["Bộ Nội vụ"], "trước Thứ Tư ngày 03/12/2025")
    assert tasks["1.b"][2] == ""


def test_a_standalone_request_inside_a_list_is_a_task_of_its_own() -> None:
    text = _HEADER.replace("CÔNG ĐIỆN", "KẾT LUẬN") + (
        "Bộ Chính trị kết luận như sau:\n"
        "1. Yêu cầu các cấp uỷ, tổ chức đảng nghiêm túc triển khai các kết luận.\n"
        "Yêu cầu các đồng chí bí thư tỉnh uỷ, thành uỷ trực tiếp chỉ đạo các nhiệm vụ được"
        " phân công, bảo đảm đúng tiến độ.\n"
        "2. Giao Ban Tổ chức Trung ương đánh giá kết quả hoạt động của bộ máy, báo cáo Bộ"
        " Chính trị.\n"
        "3. Giao Đảng uỷ Chính phủ chỉ đạo rà soát văn bản quy phạm pháp luật.\n"
    )
    tasks = _tasks(text)
    assert tasks["1+1"][1] == ["các cấp uỷ, tổ chức đảng"]
    assert tasks["1+2"][0].startswith("Yêu cầu các đồng chí bí thư")
    assert tasks["2"][1] == ["Ban Tổ chức Trung ương"]


def test_an_appeal_to_carry_out_the_above_is_an_appeal_whoever_answers_for_it() -> None:
    assert is_appeal(
        "Các bộ, cơ quan ngang bộ và các cơ quan thanh tra căn cứ chức năng, nhiệm vụ được"
        " giao khẩn trương triển khai hiệu quả các nhiệm vụ nêu trên, chịu trách nhiệm toàn"
        " diện trước Thủ tướng Chính phủ về việc chậm trễ triển khai."
    )
    assert not is_appeal(
        "Sở Tài chính căn cứ chức năng, nhiệm vụ được giao rà soát kinh phí hỗ trợ các địa phương."
    )


def test_the_whole_of_a_collective_is_a_unit_of_its_own_in_a_list() -> None:
    assert split_units("Thông tấn xã Việt Nam và hệ thống các cơ quan báo chí") == [
        "Thông tấn xã Việt Nam",
        "hệ thống các cơ quan báo chí",
    ]
    assert split_units("Bộ Tư pháp và hệ thống các văn bản") == [
        "Bộ Tư pháp và hệ thống các văn bản"
    ]


def test_a_station_named_in_lower_case_is_a_performer() -> None:
    found = find_subject(
        "Đài truyền hình Việt Nam chủ trì, phối hợp với các bộ xây dựng kịch bản."
    )
    assert found is not None and found[0] == ["Đài truyền hình Việt Nam"]


def test_addressees_whose_line_wrapped_give_no_task() -> None:
    tasks, _, _ = parse_outline(
        [
            "- Bộ trưởng, Thủ trưởng cơ quan ngang bộ, cơ quan thuộc",
            "Chính phủ;",
            "- Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương.",
            "1. Bộ Xây dựng hướng dẫn các địa phương sửa chữa nhà ở.",
        ]
    )
    assert [task.ref for task in tasks] == ["1"]


def test_what_a_unit_works_on_is_not_part_of_its_name() -> None:
    assert split_units("Bộ Khoa học và Công nghệ với các tiêu chuẩn áp dụng chung toàn quốc") == [
        "Bộ Khoa học và Công nghệ"
    ]
    assert split_units("Hội Liên lạc với người Việt Nam ở nước ngoài") == [
        "Hội Liên lạc với người Việt Nam ở nước ngoài"
    ]


def test_a_congress_schedule_line_is_the_body_s_task_with_its_dates() -> None:
    tasks, _, _ = parse_outline(
        [
            "1. Lịch tổ chức Đại hội các tổ chức chính trị - xã hội xã:",
            "- Đại hội MTTQVN xã: Từ ngày 29/10 – 30/10/2025.",
            "- Đại hội Hội Nông dân xã: Ngày 07/11/2025.",
        ]
    )
    assert [(t.lead, t.deadline_text) for t in tasks] == [
        (["MTTQVN xã"], "Từ ngày 29/10 – 30/10/2025"),
        (["Hội Nông dân xã"], "Ngày 07/11/2025"),
    ]
    assert normalise_deadline("Từ ngày 29/10 – 30/10/2025").due == date(2025, 10, 30)
    # A date after a colon inside running text is not a schedule.
    assert find_deadline("Căn cứ Kế hoạch số 12/KH-UBND: ngày 07/11/2025 xã ban hành.") == ""


def test_a_unit_cell_merged_over_two_rows_of_a_boundless_table_leads_both() -> None:
    lines = [
        "Stt",
        "Nội dung",
        "Thời gian trình",
        "Cơ quan",
        "chủ trì",
        "I",
        "Công tác xây dựng Đảng",
        "Hướng dẫn thực hiện Đề án đổi",
        "mới công tác dân vận",
        "Thực hiện theo",
        "chỉ đạo của",
        "Tỉnh uỷ",
        "Ban Xây",
        "dựng Đảng",
        "Hướng dẫn thực hiện Đề án nâng",
        "cao chất lượng công tác tuyên giáo",
        "Quý I/2026",
        "Nghị quyết về phát triển đảng",
        "viên nhiệm kỳ 2025 - 2030",
        "Tháng 12/2025",
        "Văn phòng",
        "Đảng uỷ",
    ]
    (table,) = bare_tables(lines)
    rows = [(row[1][:30], row[2], row[3]) for row in table.rows[1:] if row[3]]
    assert rows == [
        (
            "Hướng dẫn thực hiện Đề án đổi ",
            "Thực hiện theo chỉ đạo của Tỉnh uỷ",
            "Ban Xây dựng Đảng",
        ),
        ("Hướng dẫn thực hiện Đề án nâng", "Quý I/2026", "Ban Xây dựng Đảng"),
        ("Nghị quyết về phát triển đảng ", "Tháng 12/2025", "Văn phòng Đảng uỷ"),
    ]


def test_the_name_given_to_the_addressees_is_their_lead() -> None:
    assert addressed(
        "Thủ tướng Chính phủ yêu cầu các Bộ trưởng, Thủ trưởng cơ quan ngang Bộ, Chủ tịch Ủy"
        " ban nhân dân các tỉnh (sau đây gọi tắt là các bộ, cơ quan trung ương và địa phương)"
        " và đề nghị cộng đồng doanh nghiệp:"
    ) == ["các bộ, cơ quan trung ương và địa phương"]


def test_a_section_title_in_capitals_is_no_task() -> None:
    tasks, _, _ = parse_outline(
        [
            "Thủ tướng Chính phủ yêu cầu các Bộ, ngành:",
            "1. TINH THẦN CHỈ ĐẠO HÀNH ĐỘNG",
            "1. Quán triệt sâu sắc tinh thần chỉ đạo của Ban Bí thư.",
            "2. BỘ TÀI CHÍNH",
            "Bố trí kinh phí phòng, chống dịch.",
        ]
    )
    # A title over a paragraph of its own still gives that paragraph's task.
    assert [(task.ref, task.lead) for task in tasks] == [
        ("1", ["các Bộ, ngành"]),
        ("2", ["các Bộ, ngành"]),
    ]
    assert tasks[0].title.startswith("Quán triệt")


def test_a_field_run_into_the_line_of_another_is_read() -> None:
    tasks, _, _ = parse_outline(
        [
            "1. Tổ chức các hoạt động văn hóa, thể thao cho công nhân lao động.",
            "- Cơ quan thực hiện: Sở Văn hóa - Thể thao và Du lịch chủ trì, phối hợp với các sở,"
            " ngành và địa phương -Thời gian thực hiện: Thực hiện thường xuyên hằng năm.",
        ]
    )
    assert [(t.lead, t.deadline_text) for t in tasks] == [
        (["Sở Văn hóa - Thể thao và Du lịch"], "Thực hiện thường xuyên hằng năm")
    ]


def test_a_request_of_someone_is_a_noun_not_work_handed_over() -> None:
    assert (
        handed_over("Triển khai theo đúng yêu cầu của Ban Bí thư và Ban Tổ chức Trung ương.")
        is None
    )
    assert handed_over("Thường trực nhất trí; yêu cầu Ban Tổ chức tham mưu.") == (
        ["Ban Tổ chức"],
        "tham mưu.",
    )
