"""Closing paragraphs, purpose clauses and named days (synthetic inputs written for the test).

A paragraph after the last item that names another performer is a task ``<item>+<n>``; a
closing appeal is not; a purpose clause before ``... yêu cầu:`` dates nothing; a weekday before
a date and a named Tết are read as ARCHITECTURE §4 and the corpus README say.
"""

from __future__ import annotations

from datetime import date

import pytest

from store.deadlines import normalise_deadline
from store.importing.bare_tables import bare_tables
from store.importing.clauses import find_subject
from store.importing.cleanup import drop_repeated_passages
from store.importing.extract import extract
from store.importing.items import parse_outline
from store.importing.not_tasks import is_appeal, resolution_closing
from store.importing.outline import without_scoring_parts
from store.importing.phrases import find_deadline
from store.importing.subjects import addressed, handed_over, intro_deadline
from store.importing.units import split_units
from store.models import TaskKind


def _tasks(text: str) -> dict[str, tuple[str, list[str], str]]:
    directive = extract(text.encode(), "cong-dien.txt")
    return {task.ref: (task.title, task.lead, task.deadline_text) for task in directive.tasks}


_HEADER = """THỦ TƯỚNG CHÍNH PHỦ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 999/CĐ-TTg
Hà Nội, ngày 20 tháng 11 năm 2025
CÔNG ĐIỆN
"""


def test_paragraph_after_the_last_item_with_its_own_performer_is_a_task() -> None:
    text = _HEADER + (
        "Để bảo đảm chỗ ở cho Nhân dân trước Tết nguyên đán năm 2026, Thủ tướng Chính phủ"
        " yêu cầu:\n"
        "1. Bộ Xây dựng hướng dẫn các địa phương sửa chữa nhà ở cho người dân.\n"
        "2. Bộ Quốc phòng chỉ đạo các đơn vị hỗ trợ người dân dựng lại nhà cửa.\n"
        "Văn phòng Chính phủ theo dõi, đôn đốc các Bộ thực hiện Công điện này, báo cáo"
        " Thủ tướng Chính phủ.\n"
    )
    tasks = _tasks(text)
    assert tasks["2+1"][1] == ["Văn phòng Chính phủ"]
    assert tasks["2"][1] == ["Bộ Quốc phòng"]
    assert "Văn phòng" not in tasks["2"][0]
    # The purpose clause before "yêu cầu:" dates none of the items.
    assert tasks["1"][2] == "" and tasks["2"][2] == ""


def test_paragraph_after_an_item_that_is_not_the_last_stays_with_it() -> None:
    text = _HEADER + (
        "Thủ tướng Chính phủ yêu cầu:\n"
        "1. Bộ Xây dựng hướng dẫn các địa phương sửa chữa nhà ở cho người dân.\n"
        "Bộ Tài chính bố trí kinh phí cho việc sửa chữa nhà ở.\n"
        "2. Bộ Quốc phòng chỉ đạo các đơn vị hỗ trợ người dân dựng lại nhà cửa.\n"
    )
    tasks = _tasks(text)
    assert set(tasks) == {"1", "2"}


def test_closing_appeal_and_the_issuer_itself_give_no_task() -> None:
    text = _HEADER + (
        "Thủ tướng Chính phủ yêu cầu:\n"
        "1. Bộ Xây dựng hướng dẫn các địa phương sửa chữa nhà ở cho người dân.\n"
        "2. Bộ Quốc phòng chỉ đạo các đơn vị hỗ trợ người dân dựng lại nhà cửa.\n"
        "Thành phố đánh giá, xem xét trách nhiệm người đứng đầu các cơ quan chậm trễ.\n"
        "Thành phố đề nghị các cơ quan, đơn vị khẩn trương, nghiêm túc triển khai thực hiện"
        " đầy đủ các nội dung chỉ đạo nêu trên theo thẩm quyền và quy định pháp luật.\n"
    )
    assert set(_tasks(text)) == {"1", "2"}


def test_appeal_to_carry_out_under_the_law_is_an_appeal() -> None:
    assert is_appeal(
        "Đề nghị các cơ quan, đơn vị nghiêm túc triển khai thực hiện đầy đủ các nội dung chỉ"
        " đạo nêu trên theo thẩm quyền và quy định pháp luât."
    )
    assert not is_appeal("Đề nghị Sở Tài chính theo quy định rà soát kinh phí hỗ trợ.")


def test_purpose_clause_before_the_request_sets_no_deadline() -> None:
    assert intro_deadline("Để bảo đảm an toàn trước ngày 30/6/2025, Bộ trưởng yêu cầu:") == ""
    assert intro_deadline("Trước ngày 30/6/2025, Bộ trưởng yêu cầu:") == "Trước ngày 30/6/2025"


@pytest.mark.parametrize(
    ("text", "issued_on", "due", "kind"),
    [
        ("trước Thứ Tư ngày 03/12/2025", None, date(2025, 12, 2), TaskKind.ONCE),
        ("trước thứ Sáu, ngày 28/11/2025", None, date(2025, 11, 27), TaskKind.ONCE),
        ("vào Chủ nhật, ngày 30/11/2025", None, date(2025, 11, 30), TaskKind.ONCE),
        # The strict `trước` bears on the hour, not the day.
        ("trước 17 giờ ngày 27/11/2025", None, date(2025, 11, 27), TaskKind.ONCE),
        ("trước 15:00 ngày thứ Sáu hàng tuần", None, None, TaskKind.RECURRING),
        # Tết is the lunar new year of the year named (2026-02-17), strict before it.
        ("trước Tết nguyên đán năm 2026", None, date(2026, 2, 16), TaskKind.ONCE),
        ("Tết Nguyên đán Bính Ngọ 2026", None, date(2026, 2, 17), TaskKind.ONCE),
        ("trước Tết Nguyên đán", date(2025, 11, 20), date(2026, 2, 16), TaskKind.ONCE),
        ("trước Tết Nguyên đán", date(2025, 1, 10), date(2025, 1, 28), TaskKind.ONCE),
        ("trước Tết Dương lịch 2026", None, date(2025, 12, 31), TaskKind.ONCE),
        ("trước Tết Nguyên đán", None, None, TaskKind.UNSPECIFIED),
    ],
)
def test_weekdays_and_named_holidays(text, issued_on, due, kind) -> None:
    read = normalise_deadline(text, issued_on)
    assert (read.due, read.kind) == (due, kind)


def test_named_holiday_is_a_deadline_phrase() -> None:
    assert (
        find_deadline("Bộ Tài chính đề xuất hỗ trợ nhà ở trước Tết nguyên đán năm 2026.")
        == "trước Tết nguyên đán năm 2026"
    )
    assert (
        find_deadline("Hoàn thành trước Tết Nguyên đán Bính Ngọ 2026.")
        == "Hoàn thành trước Tết Nguyên đán Bính Ngọ 2026"
    )
    assert find_deadline("Bảo đảm an ninh trong dịp Tết Nguyên đán.") == ""


def test_a_record_under_a_heading_does_not_hide_its_siblings_records() -> None:
    text = _HEADER.replace("CÔNG ĐIỆN", "KẾ HOẠCH") + (
        "II. NHIỆM VỤ\n"
        "1. Về dữ liệu\n"
        "1.1. Xây dựng chiến lược dữ liệu của tỉnh:\n"
        "a) Nhiệm vụ: Tham mưu UBND tỉnh ban hành chiến lược dữ liệu.\n"
        "b) Cơ quan thực hiện:\n"
        "- Đơn vị chủ trì: Sở Khoa học và Công nghệ.\n"
        "- Đơn vị phối hợp: Các sở, ngành.\n"
        "c) Thời gian thực hiện: Hoàn thành trong năm 2025.\n"
        "1.2. Phát triển dữ liệu:\n"
        "a) Nhiệm vụ:\n"
        "- Rà soát, chuẩn hóa cơ sở dữ liệu của đơn vị.\n"
        "- Số hóa các cơ sở dữ liệu chuyên ngành.\n"
        "b) Cơ quan thực hiện:\n"
        "- Đơn vị chủ trì: Các sở, ngành.\n"
        "- Đơn vị phối hợp: Sở Khoa học và Công nghệ.\n"
        "c) Thời gian thực hiện: Quý IV/2025.\n"
    )
    tasks = _tasks(text)
    assert tasks["II.1.1.a"][1] == ["Sở Khoa học và Công nghệ"]
    assert tasks["II.1.2.a.1"][1:] == (["Các sở, ngành"], "Quý IV/2025")
    assert tasks["II.1.2.a.2"][1] == ["Các sở, ngành"]


def test_the_same_item_listed_under_two_headings_is_kept_twice() -> None:
    record = [
        "",
        "a) Nghị định quy định chi tiết",
        "thi hành một số điều của Luật Tiêu chuẩn và quy chuẩn kỹ thuật và Luật sửa đổi,",
        "bổ sung một số điều của Luật Tiêu chuẩn và quy chuẩn kỹ thuật.",
        "",
        "- Cơ quan chủ trì: Sở Khoa học và Công nghệ; cơ quan phối hợp: các sở, ngành.",
        "",
    ]
    lines = [
        "3.1. Tham gia góp ý kiến vào dự thảo các văn bản quy định chi tiết",
        *record,
        "3.2. Tổ chức triển khai các văn bản hướng dẫn thi hành Luật",
        *record,
    ]
    assert drop_repeated_passages(lines) == lines
    # A page that carries its opening twice still loses the second copy.
    opening = [
        "Thực hiện Nghị quyết số 01/NQ-CP ngày 08/01/2025 của Chính phủ về nhiệm vụ chủ yếu,",
        "Ủy ban nhân dân tỉnh ban hành Kế hoạch thực hiện với các nội dung sau đây nhằm bảo",
        "đảm hoàn thành các mục tiêu, chỉ tiêu kinh tế - xã hội được giao trong năm 2025.",
    ]
    assert drop_repeated_passages([*opening, "1. Nội dung", *opening]) == [
        *opening,
        "1. Nội dung",
    ]


def test_addressees_listed_as_bullets_give_no_task() -> None:
    # "Kính gửi:" was lost (read as a table cell): the bullets naming one unit each and closed
    # by ";" are the addressees, and the background after them is no task of the last one.
    tasks, _, _ = parse_outline(
        [
            "- Sở Tài chính;",
            "- Sở Xây dựng;",
            "- Viện Nghiên cứu phát triển.",
            "Thủ tướng Chính phủ đã ban hành Chỉ thị số 33/CT-TTg ngày 06/11/2025 về đẩy mạnh"
            " thực hiện các nhiệm vụ được giao.",
            "1. Sở Tài chính rà soát, tổng hợp các nhiệm vụ chậm tiến độ.",
            "2. Sở Xây dựng hoàn thành thủ tục đầu tư các dự án trọng điểm.",
        ]
    )
    assert [task.ref for task in tasks] == ["1", "2"]
    # A unit heading over its own paragraph is still a task.
    tasks, _, _ = parse_outline(["1. Nhiệm vụ", "- Sở Tài chính:", "Rà soát kinh phí."])
    assert [(task.ref, task.lead) for task in tasks] == [("1.1", ["Sở Tài chính"])]


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
