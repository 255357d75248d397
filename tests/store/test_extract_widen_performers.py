"""Rules that widen what the importer recognises in the genre (synthetic inputs).

A performer doing work the verb list did not know, several performers in one item, bullets
run into one line, collectives of Party and local bodies, topic headings over their
paragraph, sub-rows under a merged number cell.

Each text here is written for the test.
"""

from __future__ import annotations

import ast
from pathlib import Path

from store.importing.appendix import parse_appendix
from store.importing.clauses import find_subject
from store.importing.extract import from_the_document
from store.importing.items import parse_outline
from store.importing.outline import explode_inline, split_marker
from store.importing.phrases import find_deadline
from store.importing.unit_lists import name_prefix
from store.importing.units import is_unit_start
from tests.store.extract_support import notice_tasks as _tasks

IMPORTING = Path(__file__).resolve().parents[2] / "store" / "importing"


def _imports(module: str) -> set[str]:
    tree = ast.parse((IMPORTING / f"{module}.py").read_text(encoding="utf-8"))
    return {
        node.module or ""
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("store.")
    }


def test_table_readers_share_their_model_without_a_cycle() -> None:
    assert "store.importing.tables" not in _imports("bare_tables")
    assert "store.importing.table_model" in _imports("bare_tables")
    assert "store.importing.bare_tables" in _imports("tables")


def test_subject_line_v_v_is_no_roman_part() -> None:
    assert split_marker("V/v tăng cường phòng, chống dịch bệnh")[0] == "text"
    assert split_marker("V. TỔ CHỨC THỰC HIỆN")[:2] == ("roman", "V")


def test_wider_work_verbs_end_the_subject() -> None:
    found = find_subject("Công an tỉnh giữ vững an ninh mạng; phối hợp với Sở Y tế xử lý sự cố.")
    assert found is not None and found[0] == ["Công an tỉnh"]
    found = find_subject("Sở Lao động hỗ trợ người lao động mất việc làm trong tháng 12.")
    assert found is not None and found[0] == ["Sở Lao động"]
    found = find_subject("Đảng ủy phường lãnh đạo chính quyền hoàn thành thu ngân sách.")
    assert found is not None and found[0] == ["Đảng ủy phường"]


def test_a_wider_verb_after_duoc_qualifies_the_unit() -> None:
    found = find_subject(
        "Các phòng, đơn vị được phân công nhiệm vụ có trách nhiệm báo cáo kết quả."
    )
    assert found is not None
    assert "được phân công nhiệm vụ" in " ".join(found[0])
    found = find_subject("Các cơ quan quản lý nhà nước chủ trì kiểm tra việc chấp hành.")
    assert found is not None and found[0] == ["Các cơ quan quản lý nhà nước"]


def test_a_name_read_from_its_words_when_no_verb_is_known() -> None:
    assert name_prefix("Trung tâm Y tế huyện tiêm chủng cho trẻ em dưới 5 tuổi.") == (
        "Trung tâm Y tế huyện"
    )
    found = find_subject("Trung tâm Y tế huyện tiêm chủng cho trẻ em dưới 5 tuổi.")
    assert found is not None and found[0] == ["Trung tâm Y tế huyện"]
    assert found[1].startswith("tiêm chủng")


def test_no_name_read_from_its_words_for_lists_headings_or_after_an_opening_clause() -> None:
    # A heading: no sentence follows the name.
    assert find_subject("Sở Văn hóa và Thể thao") is None
    # Names listed on: the words after the first name are no clause.
    assert (
        find_subject("Các cơ quan chuyên môn, phòng ban; các đoàn thể chính trị - xã hội.") is None
    )
    # After an opening clause, a name without a known verb is the clause's object.
    assert (
        find_subject("Căn cứ kết quả, các doanh nghiệp vận tải chở hàng quá tải trên quốc lộ.")
        is None
    )


def test_collectives_of_party_and_local_bodies() -> None:
    assert is_unit_start("Các chi bộ tổ chức sinh hoạt chuyên đề")
    assert is_unit_start("các lực lượng chức năng tăng cường tuần tra")
    assert is_unit_start("Các thôn, tổ dân phố vận động nhân dân")
    assert not is_unit_start("Các chi phí phát sinh được thanh toán")
    assert not is_unit_start("Các phong trào thi đua được phát động")
    found = find_subject("Các chi bộ tổ chức sinh hoạt chuyên đề quý IV.")
    assert found is not None and found[0] == ["Các chi bộ"]


def test_performers_of_later_semicolon_clauses_join_the_leads() -> None:
    tasks, _, _ = parse_outline(
        [
            "Đề nghị các cơ quan thực hiện các nội dung sau:",
            "1. Sở Nội vụ tham mưu đưa kết quả vào tiêu chí thi đua; Văn phòng UBND tỉnh"
            " hỗ trợ vận hành hệ thống một cửa điện tử.",
            "2. Sở Tài chính bố trí kinh phí; các sở, ngành liên quan phối hợp thực hiện.",
        ]
    )
    leads = {task.ref: task.lead for task in tasks}
    assert leads["1"] == ["Sở Nội vụ", "Văn phòng UBND tỉnh"]
    assert leads["2"] == ["Sở Tài chính"]  # who only joins in is no lead


def test_bullets_run_into_one_line_after_a_colon() -> None:
    line = (
        "3. UBND các xã: - Lập danh sách hộ nghèo trước ngày 15/3/2026; - Bố trí cán bộ theo dõi."
    )
    assert explode_inline(line) == [
        "3. UBND các xã:",
        "- Lập danh sách hộ nghèo trước ngày 15/3/2026;",
        "- Bố trí cán bộ theo dõi.",
    ]
    # A dash inside a phrase follows no punctuation: nothing splits.
    phrase = "Phát triển kinh tế - xã hội; giữ vững quốc phòng - an ninh giai đoạn 2026 - 2030."
    assert explode_inline(phrase) == [phrase]
    tasks, _, _ = parse_outline(["Giao nhiệm vụ như sau:", line])
    assert [(t.ref, t.lead, t.deadline_text) for t in tasks] == [
        ("3.1", ["UBND các xã"], "trước ngày 15/3/2026"),
        ("3.2", ["UBND các xã"], ""),
    ]


_NOTICE = """VĂN PHÒNG CHÍNH PHỦ
Số: 999/TB-VPCP
Hà Nội, ngày 12 tháng 5 năm 2025
THÔNG BÁO
Kết luận tại cuộc họp về dự án đường ven biển
I. ĐÁNH GIÁ CHUNG
Các cơ quan đã tích cực triển khai, đạt kết quả bước đầu.
II. NHIỆM VỤ THỜI GIAN TỚI
1. Về mặt bằng: Ủy ban nhân dân tỉnh Ninh Bình bàn giao mặt bằng trước ngày 30/6/2025.
2. Về nguồn vật liệu
Bộ Nông nghiệp và Môi trường hướng dẫn thủ tục cấp phép mỏ; các địa phương cấp phép khai \
thác trong tháng 6 năm 2025.
3. Bộ Tài chính bố trí đủ vốn cho dự án năm 2025.
"""


def test_topic_heading_waits_for_its_paragraph() -> None:
    tasks = _tasks(_NOTICE)
    assert set(tasks) == {"II.1", "II.2", "II.3"}  # the paragraph is no lost section "III"
    assert tasks["II.2"][1] == ["Bộ Nông nghiệp và Môi trường", "các địa phương"]


_PLAN = """ỦY BAN NHÂN DÂN TỈNH D
Số: 77/KH-UBND
KẾ HOẠCH
Ứng dụng công nghệ số năm 2026
I. TỔ CHỨC THỰC HIỆN
1. Sở Khoa học và Công nghệ chủ trì theo dõi việc thực hiện Kế hoạch.
2. Các sở, ban, ngành tỉnh, Ủy ban nhân dân các xã, phường
Trên cơ sở Kế hoạch này, các sở, ban, ngành tỉnh tổ chức thực hiện nhiệm vụ được giao; \
Ủy ban nhân dân các xã, phường xây dựng kế hoạch cụ thể để triển khai.
"""


def test_paragraph_under_a_unit_heading_keeps_all_its_performers() -> None:
    tasks = _tasks(_PLAN)
    assert tasks["I.2"][1] == ["các sở, ban, ngành tỉnh", "Ủy ban nhân dân các xã, phường"]


def test_sub_row_under_a_merged_number_cell_inherits_the_row() -> None:
    lines = [
        "| TT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành |",
        "| I | Hạ tầng số |",
        "| 1 | Nâng cấp trung tâm dữ liệu của tỉnh bảo đảm an toàn cấp độ 3 | Sở A | Sở B"
        " | Quý IV/2026 |",
        "| Xây dựng hệ thống sao lưu dự phòng cho trung tâm dữ liệu của tỉnh | Trung tâm C |",
        "| 2 | Triển khai mạng truyền số liệu chuyên dùng đến cấp xã | Sở A | Sở D | Năm 2026 |",
    ]
    tasks, _, _ = parse_appendix(lines)
    rows = {task.ref: (task.lead, task.cooperating, task.deadline_text) for task in tasks}
    assert rows["I.1.2"] == (["Trung tâm C"], ["Sở B"], "Quý IV/2026")
    assert rows["I.2"] == (["Sở A"], ["Sở D"], "Năm 2026")


def test_an_hour_of_the_day_before_the_date_is_part_of_the_deadline() -> None:
    text = "Các tỉnh gửi báo cáo về Bộ Nội vụ trước 16 giờ ngày 20/11/2025 để tổng hợp."
    assert find_deadline(text) == "trước 16 giờ ngày 20/11/2025"
    assert find_deadline("Nộp hồ sơ trước 9h30 ngày 05/12/2025.") == "trước 9h30 ngày 05/12/2025"


def test_a_report_whose_sub_items_are_its_contents_is_one_task() -> None:
    tasks, _, _ = parse_outline(
        [
            "Bộ trưởng yêu cầu:",
            "1. Sở Nông nghiệp tỉnh A khẩn trương thống kê, báo cáo về các nội dung sau:",
            "(1) Diện tích lúa bị ngập úng cần gieo cấy lại.",
            "(2) Số lượng giống cây trồng cần hỗ trợ cho nông dân trong vụ tới.",
            "Sở Nông nghiệp tỉnh A gửi báo cáo về Bộ trước 17 giờ ngày 28/11/2025.",
            "2. Cục Trồng trọt hướng dẫn khôi phục sản xuất sau lũ.",
        ]
    )
    found = [(t.ref, t.lead, t.deadline_text) for t in tasks]
    assert found == [
        ("1", ["Sở Nông nghiệp tỉnh A"], "trước 17 giờ ngày 28/11/2025"),
        ("2", ["Cục Trồng trọt"], ""),
    ]


def test_a_summary_that_retells_the_tasks_before_the_header_is_left_out() -> None:
    lines = [
        "Tin tức: Thủ tướng yêu cầu khắc phục hậu quả mưa lũ",
        "(1) Bộ Xây dựng hỗ trợ các địa phương sửa chữa nhà ở.",
        "(2) Bộ Tài chính bảo đảm kinh phí.",
        "THỦ TƯỚNG CHÍNH PHỦ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "1. Bộ Xây dựng chủ trì hướng dẫn sửa chữa nhà ở cho người dân.",
    ]
    assert from_the_document(lines) == lines[-1:]
    # A page whose header comes first is read whole; so is one with an appendix's header.
    assert from_the_document(lines[3:]) == lines[3:]
    appendix = ["1. Sở A chủ trì thực hiện.", "Nơi nhận:", "- Như trên;", *lines[3:]]
    assert from_the_document(appendix) == appendix


def test_a_paragraph_with_the_items_performers_goes_on_with_the_item() -> None:
    tasks, _, _ = parse_outline(
        [
            "Thủ tướng yêu cầu:",
            "1. Ủy ban nhân dân tỉnh B rà soát các hộ có nhà bị hư hỏng:",
            "a) Hộ có nhà bị sập cần dựng lại nhà mới hoàn toàn trong năm nay;",
            "b) Hộ có nhà hư hỏng nặng cần sửa chữa lớn ngay sau lũ;",
            "Ủy ban nhân dân tỉnh B gửi kết quả rà soát về Bộ Xây dựng trước ngày 5/12/2025.",
            "2. Bộ Xây dựng hướng dẫn thiết kế nhà ở an toàn.",
        ]
    )
    # No lost section "2" is made of the closing paragraph: the real item 2 keeps its ref.
    assert [(t.ref, t.lead) for t in tasks if t.ref.startswith("2")] == [("2", ["Bộ Xây dựng"])]
