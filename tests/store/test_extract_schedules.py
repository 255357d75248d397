"""Inspection schedules, closing deadline items, received-document openings and shaded PDF
paragraphs (synthetic documents written for the test, in the shapes of provincial inspection
plans, ministry guidance letters and signed PDF notices)."""

from __future__ import annotations

from store.importing import extract, read_document
from store.importing.cleanup import drop_signature_stamps
from tests.store import import_samples as samples

_INSPECTION = """\
UBND TỈNH LÂM ĐỒNG
Số: 12/KH-UBND
Lâm Đồng, ngày 09 tháng 01 năm 2026
KẾ HOẠCH
Kiểm tra công tác cải cách hành chính năm 2026
I. NỘI DUNG KIỂM TRA
1. Thời gian kiểm tra tại các cơ quan, địa phương: Theo Phụ lục I kèm theo Kế hoạch này.
II. TỔ CHỨC THỰC HIỆN
1. Giao Sở Nội vụ chủ trì, phối hợp với các ngành có liên quan tổ chức kiểm tra tại các cơ quan, địa phương.
2. Các cơ quan, đơn vị được kiểm tra
a) Chuẩn bị báo cáo theo đề cương kiểm tra, phối hợp với Sở Nội vụ thực hiện tốt kế hoạch.

Phụ lục I
THỜI GIAN, ĐƠN VỊ ĐƯỢC KIỂM TRA

| STT | Đơn vị được kiểm tra | Thời gian kiểm tra |
| I | Cơ quan chuyên môn cấp tỉnh |  |
| 1 | Sở Xây dựng | Tháng 7/2026 |
| 2 | Sở Y tế | Tháng 8/2026 |
| II | Ủy ban nhân dân cấp xã |  |
| 1 | Xã Đắk Song | Tháng 3/2026 |
"""  # noqa: E501


def test_each_row_of_an_inspection_schedule_is_work_of_the_inspecting_body():
    tasks = {t.title: t for t in extract(_INSPECTION.encode(), "kiem-tra.md").tasks}
    rows = {title: tasks[title] for title in ("Sở Xây dựng", "Sở Y tế", "Xã Đắk Song")}
    assert {t.ref for t in rows.values()} == {"T1:I.1", "T1:I.2", "T1:II.1"}
    assert all(t.lead == ["Sở Nội vụ"] for t in rows.values())
    assert all(t.cooperating == ["các ngành có liên quan"] for t in rows.values())
    assert rows["Sở Y tế"].deadline_text == "Tháng 8/2026"
    assert all("lead_from_heading" in t.flags for t in rows.values())


def test_the_inspected_units_are_a_lead_of_their_own_not_cut_at_kiem_tra():
    tasks = extract(_INSPECTION.encode(), "kiem-tra.md").tasks
    prepare = next(t for t in tasks if t.title.startswith("Chuẩn bị báo cáo"))
    assert prepare.lead == ["Các cơ quan, đơn vị được kiểm tra"]


def test_a_schedule_without_an_inspecting_body_gives_no_rows():
    text = _INSPECTION.replace(
        "1. Giao Sở Nội vụ chủ trì, phối hợp với các ngành có liên quan tổ chức kiểm tra tại "
        "các cơ quan, địa phương.",
        "1. Kinh phí thực hiện theo dự toán được giao.",
    )
    titles = {t.title for t in extract(text.encode(), "kiem-tra.md").tasks}
    assert "Sở Xây dựng" not in titles


_GUIDANCE = """\
BỘ NỘI VỤ
Số: 120/BNV-CCHC
Hà Nội, ngày 15 tháng 12 năm 2025
Kính gửi: Các bộ, cơ quan ngang bộ; UBND các tỉnh, thành phố.
1. Về tự đánh giá, chấm điểm
a) Các bộ, tỉnh triển khai công tác tự đánh giá, chấm điểm đối với từng tiêu chí.
b) Các bộ, tỉnh nhập dữ liệu kết quả tự đánh giá vào phần mềm.
c) Thời hạn thực hiện tự đánh giá: các bộ, tỉnh hoàn thành việc tự đánh giá chậm nhất là ngày 23 tháng 01 năm 2026.
2. Về điều tra xã hội học
a) Thời hạn gửi danh sách: Các bộ, tỉnh gửi danh sách đối tượng điều tra trước ngày 30/12/2025.
b) Các bộ, tỉnh theo dõi, đôn đốc tiến độ trả lời phiếu.
"""  # noqa: E501


def test_a_deadline_item_closing_its_section_dates_the_section_and_is_no_task():
    tasks = {t.ref: t for t in extract(_GUIDANCE.encode(), "cong-van.txt").tasks}
    assert "1.c" not in tasks
    assert tasks["1.a"].deadline_text == tasks["1.b"].deadline_text
    assert "23 tháng 01 năm 2026" in tasks["1.a"].deadline_text
    assert "deadline_inherited" in tasks["1.a"].flags


def test_a_deadline_item_opening_its_section_is_a_task_of_its_own():
    tasks = {t.ref: t for t in extract(_GUIDANCE.encode(), "cong-van.txt").tasks}
    assert tasks["2.a"].title.startswith("Thời hạn gửi danh sách")
    assert tasks["2.b"].deadline_text == ""


def test_a_letter_opening_with_the_document_it_received_gives_no_task():
    text = """\
UBND TỈNH LÂM ĐỒNG
Số: 45/UBND-NC
Lâm Đồng, ngày 10 tháng 12 năm 2025
Kính gửi: Công an tỉnh
Ủy ban nhân dân tỉnh nhận được Hướng dẫn số 46/HD-BCA-C04 ngày 05/12/2025 của Bộ Công an về việc hướng dẫn công tác theo dõi, đánh giá.
Chủ tịch Ủy ban nhân dân tỉnh giao Công an tỉnh nghiên cứu các nội dung tại Hướng dẫn để tham mưu, đề xuất Ủy ban nhân dân tỉnh./.
"""  # noqa: E501
    tasks = extract(text.encode(), "cong-van.txt").tasks
    assert [t.lead for t in tasks] == [["Công an tỉnh"]]


def test_the_fields_of_a_signature_stamp_are_no_text_of_the_document():
    lines = [
        "Điều 1. Đối tượng được hỗ trợ",
        "Người ký: Cổng Thông tin điện tử Chính phủ",
        "Email: thongtinchinhphu@chinhphu.vn",
        "Cơ quan: Văn phòng Chính phủ",
        "Thời gian ký: 12.10.2021 14:52:05 +07:00",
        "1. Người lao động đang tham gia bảo hiểm thất nghiệp.",
        "Cơ quan: Sở Tài chính",  # a lone field of a letter stays
    ]
    assert drop_signature_stamps(lines) == [lines[0], lines[5], lines[6]]


_NEXT = {"new_x": "LMARGIN", "new_y": "NEXT"}


def _shaded_notice() -> bytes:
    """A notice whose introducing paragraph Word shaded line by line: a filled box a line, and
    boxes of their own under some runs of words (as its PDF export draws them)."""
    pdf = samples.pdf_page(11)
    pdf.multi_cell(0, 6, "Số: 254/TB-PCTT\nThừa Thiên Huế, ngày 06 tháng 9 năm 2022", **_NEXT)
    intro = (
        "Để chủ động ứng phó với diễn biến xấu của thời tiết, Văn phòng đề nghị Ban Chỉ huy "
        "PCTT và TKCN các huyện; các sở, ban ngành trong tỉnh triển khai các nội dung sau:"
    )
    lines = pdf.multi_cell(0, 6, intro, dry_run=True, output="LINES")
    pdf.set_fill_color(255, 255, 204)
    for index, line in enumerate(lines):
        x, y, width = pdf.l_margin, pdf.get_y(), pdf.epw
        pdf.rect(x, y, width, 6, style="F")
        if index % 2 == 0:  # a run of words shaded on its own
            pdf.rect(x + 10, y, width / 3, 6, style="F")
            pdf.rect(x + width / 2, y, width / 3, 6, style="F")
        pdf.cell(0, 6, line, **_NEXT)
    for item in (
        "1. Thường xuyên theo dõi diễn biến thời tiết để báo cho nhân dân.",
        "2. Các địa phương chỉ đạo nhân dân khẩn trương thu hoạch lúa.",
    ):
        pdf.multi_cell(0, 6, item, **_NEXT)
    return bytes(pdf.output())


def test_a_shaded_paragraph_of_a_pdf_is_text_not_a_table():
    lines = read_document(_shaded_notice(), "thong-bao.pdf").lines
    assert not any(line.startswith("|") for line in lines)
    assert any(line.startswith("Để chủ động ứng phó") and line.endswith("sau:") for line in lines)


def test_letters_go_on_past_h_through_i_k_l():
    """Vietnamese lists run ``h)``, ``i)``, ``k)``: ``i)`` is the ninth letter, not a roman
    first item opening a list of its own (every item after ``h)`` was lost)."""
    letters = ["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m"]
    items = "\n".join(f"{x}) Rà soát, báo cáo việc số {n}." for n, x in enumerate(letters, 1))
    text = (
        "BỘ TÀI CHÍNH\nSố: 12/BTC-VP\nHà Nội, ngày 10 tháng 5 năm 2026\nKính gửi: Các bộ\n"
        f"1. Bộ Tài chính chủ trì, phối hợp với các cơ quan, địa phương:\n{items}\n"
        "2. Bộ Công Thương theo dõi sát diễn biến thị trường.\n"
    )
    tasks = extract(text.encode(), "cong-van.txt").tasks
    assert [t.ref for t in tasks] == [f"1.{x}" for x in letters] + ["2"]
    assert all(t.lead == ["Bộ Tài chính"] for t in tasks[:-1])
