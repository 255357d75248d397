"""Task tables whose cells lost their boundaries, in any column order (synthetic text shaped
like ``pdftotext`` output of an official gazette's appendix: written for the test)."""

from __future__ import annotations

from store.importing import extract
from store.importing.loose_tables import loose_tables

_FOOTNOTE = (
    "1 Nghị quyết số 66-NQ/TW ngày 30/4/2025 của Bộ Chính trị về đổi mới công tác xây dựng "
    "và thi hành pháp luật."
)
_TABLE = f"""\
Phụ lục
DANH MỤC NHIỆM VỤ
TT
Tên nhiệm vụ
Cơ quan
chủ trì
Cơ quan
phối hợp
Kết quả
Thời gian
hoàn thành
1
Thực hiện nghiêm quy định các bộ, cơ
quan ngang bộ cơ cấu ít nhất một lãnh
đạo có chuyên môn pháp luật
Các bộ,
cơ quan ngang bộ Bộ Nội vụ
Báo cáo
hằng năm
2026 và
hằng năm
2  Nghiên cứu, thể chế hóa các định hướng
của Nghị quyết số 71-NQ/TW của
Bộ Chính trị về giáo dục
Bộ Giáo dục và
Đào tạo
Bộ Tư pháp
Nghị định
Tháng 5/2026
{_FOOTNOTE}
CÔNG BÁO/Số 238/Ngày 21-04-2026
95
TT
Tên nhiệm vụ
Cơ quan
chủ trì
Cơ quan
phối hợp
Kết quả
Thời gian
hoàn thành
3
Tổ chức tập huấn cho cán bộ làm công tác
pháp chế của các bộ, ngành và
Ủy ban nhân dân cấp tỉnh
Bộ Tư pháp
Các bộ, ngành
Hội nghị
tập huấn
Thường
xuyên
"""


def test_rows_are_split_into_the_columns_the_header_names() -> None:
    (table,) = loose_tables(_TABLE.splitlines())
    rows = {row[0]: row for row in table.rows[1:]}
    assert table.rows[0][1:] == [
        "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Kết quả",
        "Thời gian hoàn thành",
    ]  # fmt: skip
    assert rows["1"][2:] == ["Các bộ, cơ quan ngang bộ", "Bộ Nội vụ", "Báo cáo hằng năm",
                             "2026 và hằng năm"]  # fmt: skip
    # A title line ending on "của" goes on: "Bộ Chính trị" there is no lead.
    assert rows["2"][1].endswith("của Bộ Chính trị về giáo dục")
    assert rows["2"][2:] == ["Bộ Giáo dục và Đào tạo", "Bộ Tư pháp", "Nghị định", "Tháng 5/2026"]
    # Past the footnote, the running head, the page number and the header again.
    assert rows["3"][2] == "Bộ Tư pháp" and rows["3"][5] == "Thường xuyên"
    assert rows["3"][1].endswith("Ủy ban nhân dân cấp tỉnh")


def test_the_importer_reads_such_a_table_into_tasks() -> None:
    text = "CHÍNH PHỦ\nSố: 97/NQ-CP\nHà Nội, ngày 06 tháng 4 năm 2026\nNGHỊ QUYẾT\n" + _TABLE
    tasks = extract(text.encode(), "nq.txt").tasks
    by_lead = {tuple(task.lead): task for task in tasks}
    assert ("Bộ Tư pháp",) in by_lead and by_lead[("Bộ Tư pháp",)].deadline_text == "Thường xuyên"
    assert by_lead[("Bộ Giáo dục và Đào tạo",)].cooperating == ["Bộ Tư pháp"]
    assert len(tasks) == 3


def test_a_header_without_a_unit_column_is_no_task_table() -> None:
    text = "TT\nChỉ tiêu\nĐơn vị tính\nNăm 2026\n1\nTỷ lệ người dân dùng dịch vụ công\n%\n80"
    assert loose_tables(text.splitlines()) == []


def test_a_unit_cell_that_ends_a_line_on_a_comma_goes_on_below() -> None:
    text = "\n".join(
        [
            "TT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian",
            "1", "Lồng ghép yêu cầu phòng, chống thiên tai vào quy hoạch",
            "Bộ Tài chính,", "Bộ Xây dựng", "Bộ Tư pháp", "Năm 2026",
        ]
    )  # fmt: skip
    (table,) = loose_tables(text.splitlines())
    assert table.rows[1][2:] == ["Bộ Tài chính, Bộ Xây dựng", "Bộ Tư pháp", "Năm 2026"]


def test_a_row_cut_by_a_page_break_goes_on_after_the_repeated_header() -> None:
    header = ["TT", "Tên nhiệm vụ", "Cơ quan", "chủ trì", "Kết quả", "Thời gian"]
    text = "\n".join(
        [
            *header,
            "1", "Thể chế hóa các chủ trương phát triển kinh tế có",
            "Bộ Tài chính", "Báo cáo chuyên đề", "Tháng 5/2026",
            "CÔNG BÁO/Số 238/Ngày 21-04-2026", "98",
            *header,
            "vốn đầu tư nước ngoài", "Bộ Tài chính", "Báo cáo kết quả", "Tháng 11/2026",
            "2", "Xây dựng cơ sở dữ liệu", "Bộ Tư pháp", "Cơ sở dữ liệu", "2026",
        ]
    )  # fmt: skip
    (table,) = loose_tables(text.splitlines())
    first = table.rows[1]
    assert first[1].endswith("kinh tế có vốn đầu tư nước ngoài")
    assert first[2] == "Bộ Tài chính"
    assert first[4] == "Tháng 5/2026; Tháng 11/2026"
    assert table.rows[2][2] == "Bộ Tư pháp"


def test_a_cell_cut_after_its_first_word_still_opens_where_it_should() -> None:
    text = "\n".join(
        [
            "TT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn",
            "1", "Tổ chức tuyên truyền, phổ biến Chỉ thị số 49-CT/TW",
            "Bộ Ngoại", "giao", "Các", "Bộ,", "ngành,", "địa", "phương", "Thực", "hiện",
            "thường", "xuyên",
        ]
    )  # fmt: skip
    (table,) = loose_tables(text.splitlines())
    assert table.rows[1][2:] == [
        "Bộ Ngoại giao",
        "Các Bộ, ngành, địa phương",
        "Thực hiện thường xuyên",
    ]


def test_rows_numbered_under_numbered_groups() -> None:
    text = "\n".join(
        [
            "TT", "Nhiệm vụ, giải pháp", "Cơ quan", "chủ trì", "Cơ quan", "phối hợp",
            "Thời gian", "thực hiện",
            "1.", "Rà soát, hoàn thiện thể chế",
            "1.1", "Nghiên cứu, rà soát các quy định về đầu tư.", "Bộ Tài chính",
            "Bộ Khoa học và", "Công nghệ", "Nhiệm vụ thường", "xuyên",
            "1.2", "Xây dựng cơ chế tài chính, tín dụng.", "Bộ Tài chính", "Bộ Tư pháp",
            "Quý IV/2026",
            "2.", "Phát triển thị trường",
            "2.1", "Xúc tiến thương mại cho doanh nghiệp.", "Bộ Công Thương", "Bộ Ngoại giao",
            "Năm 2027",
        ]
    )  # fmt: skip
    (table,) = loose_tables(text.splitlines())
    rows = {row[0]: row for row in table.rows[1:] if row[2]}
    assert set(rows) == {"1.1", "1.2", "2.1"}
    assert rows["1.1"][2:] == ["Bộ Tài chính", "Bộ Khoa học và Công nghệ", "Nhiệm vụ thường xuyên"]
    assert rows["2.1"][2] == "Bộ Công Thương"


def test_a_title_ends_at_its_short_last_line() -> None:
    # The title's lines run to its column's width; the short line under them is its last, and
    # the lines after it are the narrow unit cells, however lower-case they are.
    text = "\n".join(
        [
            "TT", "Tên nhiệm vụ", "Cơ quan", "chủ trì", "Cơ", "quan", "phối hợp", "Thời", "hạn",
            "1.", "Tổ chức tuyên truyền, phổ biến, quán triệt thường",
            "xuyên, sâu rộng về nội dung Chỉ thị số 49-CT/TW",
            "và các chủ trương, chính sách của Đảng.",
            "Bộ Ngoại", "giao", "Các", "Bộ,", "ngành,", "địa", "phương, Ủy", "ban Công tác",
            "về", "các", "tổ", "chức", "PCPNN", "Thực", "hiện", "thường", "xuyên",
        ]
    )  # fmt: skip
    (table,) = loose_tables(text.splitlines())
    row = table.rows[1]
    assert row[1].endswith("chính sách của Đảng.")
    assert row[2] == "Bộ Ngoại giao"
    assert row[3].startswith("Các Bộ, ngành, địa phương, Ủy ban Công tác")


def test_a_unit_list_under_its_head_word_is_not_cut_at_the_head() -> None:
    text = "\n".join(
        [
            "TT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian",
            "1", "Ưu tiên bố trí vốn để khắc phục sự cố đê điều, hồ chứa nước",
            "xung yếu, hạ tầng giao thông.", "Các Bộ:", "NN&MT,", "Xây dựng,", "Y tế",
            "Bộ Tài chính,", "các bộ, cơ quan", "Năm 2026",
        ]
    )  # fmt: skip
    (table,) = loose_tables(text.splitlines())
    assert table.rows[1][2] == "Các Bộ: NN&MT, Xây dựng, Y tế"
    assert table.rows[1][3] == "Bộ Tài chính, các bộ, cơ quan"


_GROUPED = """\
Phụ lục III
PHÂN CÔNG TRIỂN KHAI CÁC NHIỆM VỤ TRỌNG TÂM NĂM 2026
TT
NHIỆM VỤ
THỜI HẠN
HOÀN THÀNH
CƠ QUAN CHỦ TRÌ
CƠ QUAN PHỐI HỢP
I
Nhóm nhiệm vụ về hoàn thiện thể chế
1
Tổng rà soát hệ thống pháp luật Việt Nam
Tháng 12/2026
Bộ Tư pháp
Các bộ, cơ quan, địa
phương
2
Thể chế hoá các cơ chế, chính sách đặc thù tại một số địa phương
Năm 2026
1. Bộ Tài chính tổng kết, đánh
giá cơ chế, chính sách đặc thù.
2. Bộ Tư pháp, các bộ, cơ quan
tham mưu, đề xuất
Các địa phương
II
Nhóm nhiệm vụ về phát triển khoa học, công nghệ
3 Xây dựng Đề án phát triển một số trung tâm y tế chuyên sâu
2026
Bộ Y tế
Các bộ, cơ quan, địa
phương
4 Hoàn thiện pháp luật về quản lý đất hiếm
Quý II/2026
Bộ Nông nghiệp và Môi trường
Các bộ, cơ quan, địa
phương
"""


def test_a_numbered_list_inside_a_cell_is_no_row_and_numbers_go_on_across_groups():
    (table,) = loose_tables(_GROUPED.splitlines())
    assert [row[0] for row in table.rows[1:]] == ["I", "1", "2", "II", "3", "4"]
    second = table.rows[3]
    assert "Bộ Tài chính tổng kết" in " ".join(second)  # the cell's own list stays in the row
    assert table.rows[6][1].startswith("Hoàn thiện pháp luật về quản lý đất hiếm")
    assert table.rows[6][2:4] == ["Quý II/2026", "Bộ Nông nghiệp và Môi trường"]


_TO_AMEND = """\
Phụ lục I
C. DANH MỤC VĂN BẢN QUY PHẠM PHÁP LUẬT ĐƯỢC ĐỀ XUẤT SỬA ĐỔI, BỔ SUNG
STT
Các văn bản cần
sửa đổi, bổ sung
Điều, khoản,
điểm cần sửa
đổi, bổ sung
Điều, khoản,
điểm cần bãi bỏ
Cơ quan chủ
trì soạn thảo
I
LUẬT
1
Luật Trồng trọt số
31/2018/QH14 được
sửa đổi, bổ sung bởi
Luật số 146/2025/QH15
Điều 17;
Điều 21;
Khoản 2 Điều
36
Bộ Nông nghiệp và Môi trường
II
NGHỊ ĐỊNH
1
Nghị định số 66/2016/NĐ-CP
ngày 01/7/2016 của Chính phủ
Điều 5
Khoản 3 Điều 9
Bộ Nông nghiệp và Môi trường
2
Nghị định số 84/2019/NĐ-CP
ngày 14/11/2019 của Chính phủ
Điều 12
Bộ Nông nghiệp và Môi trường
"""


def test_a_list_of_texts_to_amend_keeps_its_rows_past_their_articles():
    (table,) = loose_tables(_TO_AMEND.splitlines())
    rows = [row for row in table.rows[1:] if row[0] not in ("I", "II")]
    assert len(rows) == 3  # not cut at "Điều 17;", a cell's line
    assert rows[0][1].startswith("Luật Trồng trọt số 31/2018/QH14")
    assert all(row[-1] == "Bộ Nông nghiệp và Môi trường" for row in rows)
    assert "Điều 17" in rows[0][2] and "Điều 17" not in rows[0][1]


_MERGED_DRAFTER = """\
Phụ lục III
CÁC VĂN BẢN QUY PHẠM PHÁP LUẬT THỰC HIỆN SỬA ĐỔI, BỔ SUNG
STT
Danh sách các VBQPPL
sửa đổi, bổ sung
Điều, khoản, điểm cần
sửa đổi, bổ sung, bãi bỏ
Cơ quan
chủ trì
soạn thảo
1.
Nghị định số 17/2023/NĐ-CP
- Điều 5
- Khoản 2, 6 Điều 99
Bộ Văn hóa,
Thể thao và
Du lịch
2.
Nghị định số 144/2020/NĐ-CP
Khoản 1 Điều 10
Điều 19
3.
Nghị định số 06/2016/NĐ-CP
Khoản 5, 6 Điều 15
"""


def test_texts_to_amend_under_a_merged_drafting_body_cell_take_that_body():
    (table,) = loose_tables(_MERGED_DRAFTER.splitlines())
    rows = table.rows[1:]
    assert [row[0] for row in rows] == ["1", "2", "3"]
    assert [row[1] for row in rows] == [
        "Nghị định số 17/2023/NĐ-CP",
        "Nghị định số 144/2020/NĐ-CP",
        "Nghị định số 06/2016/NĐ-CP",
    ]
    assert {row[-1] for row in rows} == {"Bộ Văn hóa, Thể thao và Du lịch"}
