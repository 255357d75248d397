"""The extraction helpers one by one: units, deadlines, cleanup, glue, metadata, shapes."""

from __future__ import annotations

from datetime import date

import pytest

from store.importing import extract
from store.importing.clauses import find_subject
from store.importing.cleanup import clean_lines, drop_repeated_passages, paragraphs
from store.importing.cooperation import cooperating_units
from store.importing.glue import fix_glued
from store.importing.items import parse_outline
from store.importing.meta import extract_meta
from store.importing.phrases import find_deadline, make_title
from store.importing.prose import parse_prose
from store.importing.rows import column_of, rows_to_tasks
from store.importing.units import split_units


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("Bộ Khoa học và Công nghệ, Bộ Công an", ["Bộ Khoa học và Công nghệ", "Bộ Công an"]),
        ("Các bộ, ngành, địa phương", ["Các bộ, ngành, địa phương"]),
        # A list under one head word is written out per unit (corpus labelling rules).
        (
            "Các Bộ: Xây dựng, Tài chính, Thanh tra Chính phủ, Tư pháp, Y tế",
            ["Bộ Xây dựng", "Bộ Tài chính", "Thanh tra Chính phủ", "Bộ Tư pháp", "Bộ Y tế"],
        ),
        (
            "Bộ trưởng các Bộ: Xây dựng, Văn hóa, Thể thao và Du lịch, Nông nghiệp và Môi trường",
            ["Bộ Xây dựng", "Bộ Văn hóa, Thể thao và Du lịch", "Bộ Nông nghiệp và Môi trường"],
        ),
        (
            "Bộ trưởng các Bộ, Thủ trưởng cơ quan ngang bộ, Chủ tịch UBND các tỉnh, thành phố",
            ["các Bộ", "cơ quan ngang bộ", "UBND các tỉnh, thành phố"],
        ),
        (
            "Các đơn vị thuộc VPCP, Bộ Công an, Các bộ, ngành, địa phương",
            ["Các đơn vị thuộc VPCP", "Bộ Công an", "Các bộ, ngành, địa phương"],
        ),
        (
            "Cục Kiểm soát TTHC; các bộ, ngành, địa phương.",
            ["Cục Kiểm soát TTHC", "các bộ, ngành, địa phương"],
        ),
        (
            "Tổng Công ty Cảng hàng không Việt Nam (ACV) và các hãng hàng không",
            ["Tổng Công ty Cảng hàng không Việt Nam (ACV)", "các hãng hàng không"],
        ),
        (
            "Bộ Tài chính (Bảo hiểm xã hội Việt Nam), Văn phòng Chính phủ",
            # the body's part that does the work, in brackets, is no part of its name
            ["Bộ Tài chính", "Văn phòng Chính phủ"],
        ),
        ("Các tỉnh, Thành ủy", ["Các tỉnh, Thành ủy"]),
        ("Các Vụ, Cục, đơn vị thuộc VPCP", ["Các Vụ, Cục, đơn vị thuộc VPCP"]),
        ("Bộ trưởng Công an", ["Bộ Công an"]),
        ("Bộ trưởng Bộ Y tế", ["Bộ Y tế"]),
        ("Tổng Thanh tra Chính phủ", ["Thanh tra Chính phủ"]),
        ("Chủ tịch UBND các tỉnh, thành phố", ["UBND các tỉnh, thành phố"]),
        ("Sở Nội vụ\nVăn phòng UBND tỉnh", ["Sở Nội vụ", "Văn phòng UBND tỉnh"]),
    ],
)
def test_split_units(text: str, units: list[str]) -> None:
    assert split_units(text) == units


def test_table_cells_keep_office_titles() -> None:
    assert split_units("Thủ trưởng các đơn vị thuộc VPCP", titles=False) == [
        "Thủ trưởng các đơn vị thuộc VPCP"
    ]


@pytest.mark.parametrize(
    ("sentence", "lead"),
    [
        ("Bộ Tư pháp bảo đảm việc cập nhật dữ liệu.", ["Bộ Tư pháp"]),
        ("Bộ Công an chủtrì, phối hợp với các cơ quan liên quan.", ["Bộ Công an"]),
        (
            "Giao Nhóm công tác số 2 và số 3 của Tổ Giúp việc rà soát tiến độ.",
            ["Nhóm công tác số 2 và số 3 của Tổ Giúp việc"],
        ),
        (
            "Trên cơ sở đề xuất của các bộ, Bộ Khoa học và Công nghệ rà soát.",
            ["Bộ Khoa học và Công nghệ"],
        ),
        (
            "Ban chỉ đạo của Chính phủ giao Tổng Thanh tra Chính phủ chỉ đạo hoàn thiện phần mềm.",
            ["Thanh tra Chính phủ"],
        ),
        (
            "Các Nhóm công tác của Tổ Giúp việc, đặc biệt là Nhóm số 2, 3 tổ chức kiểm tra.",
            ["Các Nhóm công tác của Tổ Giúp việc"],
        ),
        ("Văn phòng Chính phủ vừa có Thông báo số 56/TB-VPCP.", None),
        ("Ban chỉ đạo của Chính phủ xác định 6 phương châm.", None),
        (
            "Để bảo đảm khách quan, Cơ quan Thường trực được quyền yêu cầu các cơ quan chủ trì.",
            None,
        ),
        ("Duy trì chế độ giao ban hằng tuần với các bộ, địa phương.", None),
        ("Thủ tướng Chính phủ ban hành Quyết định số 598/QĐ-TTg.", None),
        (
            "Đến ngày 30/6, tất cả lãnh đạo, cán bộ, công chức các bộ, ngành, địa phương (cấp "
            "tỉnh, huyện, xã) phải xử lý hồ sơ trên môi trường mạng.",
            ["các bộ, ngành, địa phương"],
        ),
        (
            "Tổng Công ty Cảng hàng không Việt Nam (ACV) chủ trì.",
            ["Tổng Công ty Cảng hàng không Việt Nam (ACV)"],
        ),
    ],
)
def test_find_subject(sentence: str, lead: list[str] | None) -> None:
    found = find_subject(sentence)
    assert (found[0] if found else None) == lead


def test_cooperating_units_end_at_the_verb() -> None:
    text = "Chủ trì, phối hợp với Bộ Công an, Bộ Tài chính và các địa phương trên cơ sở kết quả"
    assert cooperating_units(text) == ["Bộ Công an", "Bộ Tài chính", "các địa phương"]
    assert cooperating_units("phối hợp Bộ Công an tham mưu cơ chế") == ["Bộ Công an"]


@pytest.mark.parametrize(
    ("text", "deadline"),
    [
        ("Rà soát giải pháp. Hoàn thành trước ngày 25/7/2025.", "Hoàn thành trước ngày 25/7/2025"),
        ("Rà soát giải pháp. Nhiệm vụ thường xuyên.", "Nhiệm vụ thường xuyên"),
        ("Theo Kế hoạch số 02-KH/BCĐTW ngày 19/6/2025 của Ban Chỉ đạo.", ""),
        # A period of recurrence anywhere in the text is its deadline (corpus labels).
        ("Duy trì chế độ báo cáo trước 16 giờ hàng ngày.", "hàng ngày"),
        ("Văn phòng Chính phủ báo cáo các cấp hàng ngày theo quy định", "hàng ngày"),
        ("Định kỳ hằng quý, hằng năm công bố kết quả", "Định kỳ hằng quý"),
        ("Kiểm tra, cập nhật thường xuyên, liên tục diễn biến", ""),
        ("Hoàn thành trong Quý III, IV/2026 và báo cáo", "Hoàn thành trong Quý III, IV/2026"),
        (
            "Số hóa dữ liệu, hoàn thành trước ngày30 tháng 6 năm 2025.",
            "hoàn thành trước ngày30 tháng 6 năm 2025",
        ),
        ("Báo cáo Thủ tướng kết quả trong Quý II/2025.", "trong Quý II/2025"),
        (
            "Triển khai cấp giấy khai sinh, hoàn thành trong tháng 10 này.",
            "hoàn thành trong tháng 10 này",
        ),
        ("Đưa Trung tâm đi vào hoạt động vào ngày 19/8/2025.", "vào ngày 19/8/2025"),
        ("Đến ngày 30/6, mọi hồ sơ xử lý trên môi trường mạng.", "Đến ngày 30/6"),
    ],
)
def test_find_deadline(text: str, deadline: str) -> None:
    assert find_deadline(text) == deadline


def test_make_title_cuts_long_sentences_at_a_word() -> None:
    title = make_title("Rà soát " + "dữ liệu " * 80 + "xong. Câu sau.")
    assert title.endswith("…") and len(title) <= 301 and "Câu sau" not in title
    assert make_title("Ngắn gọn. Câu sau.") == "Ngắn gọn"


def test_repeated_passages_are_dropped_but_short_table_cells_are_not() -> None:
    passage = [f"Đoạn văn thứ {n} " + "dài " * 20 for n in range(4)]
    lines = ["Tiêu đề", *passage, "Thường xuyên |", "|", *passage, "Tiếp theo", "Thường xuyên |"]
    assert drop_repeated_passages(lines) == [
        "Tiêu đề",
        *passage,
        "Thường xuyên |",
        "|",
        "Tiếp theo",
        "Thường xuyên |",
    ]


def test_cleanup_cuts_the_site_tail_footnotes_and_captions() -> None:
    lines = clean_lines(
        ["Bộ Công an chủ trì[1] rà soát.", "Ảnh minh họa", "[1] Chú thích.", "Tin bài khác", "X"]
    )
    assert lines == ["Bộ Công an chủ trì rà soát."]


def test_wrapped_lines_are_rejoined_but_list_items_are_not() -> None:
    assert paragraphs(["2. Về cung cấp dịch vụ", "a) Bộ Công an", "- Rà soát hệ", "thống."]) == [
        "2. Về cung cấp dịch vụ",
        "a) Bộ Công an",
        "- Rà soát hệ thống.",
    ]


@pytest.mark.parametrize(
    ("glued", "fixed"),
    [
        ("BộThông tin vàTruyền thông chủtrì", "Bộ Thông tin và Truyền thông chủ trì"),
        ("Chủ tịch Ủy bannhân dân cấp tỉnh", "Chủ tịch Ủy ban nhân dân cấp tỉnh"),
        ("trước ngày30 tháng 6 năm2025, kếtquả", "trước ngày 30 tháng 6 năm 2025, kết quả"),
        ("nghiên cứu,tham mưu", "nghiên cứu, tham mưu"),
        (
            "VNeID, MobiFone, video, email, 5G, e-Cabinet",
            "VNeID, MobiFone, video, email, 5G, e-Cabinet",
        ),
    ],
)
def test_fix_glued(glued: str, fixed: str) -> None:
    assert fix_glued(glued) == fixed


def test_meta_from_a_document_header_without_a_property_table() -> None:
    meta = extract_meta(
        [
            "|",
            "BỘ CÔNG AN |",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |",
            "|",
            "Số: 15/CT-BCA |",
            "Hà Nội, ngày 3 tháng 9 năm 2025 |",
            "CHỈ THỊ",
            "Về tăng cường chuyển đổi số",
        ]
    )
    assert (meta.number, meta.doc_type, meta.issued_on) == (
        "15/CT-BCA",
        "Chỉ thị",
        date(2025, 9, 3),
    )
    assert meta.issuer == "Bộ Công an"
    assert meta.title == "Chỉ thị Về tăng cường chuyển đổi số"


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("TT", "ref"),
        ("Tên nhiệm vụ", "title"),
        ("ten nhiem vu", "title"),
        ("Đơn vị chủ trì", "lead"),
        ("Cơ quan, đơn vị phối hợp", "cooperating"),
        ("Thời gian hoàn thành", "deadline"),
        ("Sản phẩm dự kiến hoàn thành", "product"),
        ("Deadline", "deadline"),
        ("Ghi chú", None),
    ],
)
def test_column_of(header: str, field: str | None) -> None:
    assert column_of(header) == field


def test_a_single_run_of_row_numbers_is_not_grouped() -> None:
    rows = [
        {"ref": "1", "title": "Việc A", "lead": "Bộ Y tế"},
        {"ref": "2", "title": "Việc B", "lead": ""},
        {"ref": "a", "title": "Việc B.a", "lead": "Bộ Công an"},
    ]
    tasks, warnings = rows_to_tasks(rows)
    assert [t.ref for t in tasks] == ["1", "2.a"]
    assert warnings == []


def test_plus_items_under_a_task_bullet_belong_to_it() -> None:
    text = [
        "1. Về hạ tầng số",
        "a) Bộ Công an",
        "- Chủ trì triển khai các nội dung sau:",
        "+ Nâng cấp hệ thống.",
        "+ Báo cáo kết quả. Hoàn thành trong tháng 9/2025.",
        "- Tiếp tục tổ chức kiểm tra. Nhiệm vụ thường xuyên.",
    ]
    tasks, warnings, items = parse_outline(text)
    # The bullet introduces its sub-items (it ends with ':'): they are the tasks (corpus rules).
    assert [(t.ref, t.lead, t.deadline_text) for t in tasks] == [
        ("1.a.1.1", ["Bộ Công an"], ""),
        ("1.a.1.2", ["Bộ Công an"], "Hoàn thành trong tháng 9/2025"),
        ("1.a.2", ["Bộ Công an"], "Nhiệm vụ thường xuyên"),
    ]
    assert items == 6 and warnings == []


def test_prose_enumeration_becomes_one_task_per_item() -> None:
    tasks, _ = parse_prose(
        [
            "Bộ Y tế được giao xây dựng: (1) Đề án A, hoàn thành trong tháng 5/2025; "
            "(2) Đề án B, hoàn thành trong tháng 9/2025."
        ]
    )
    assert [(t.ref, t.lead, t.deadline_text) for t in tasks] == [
        ("1.1", ["Bộ Y tế"], "hoàn thành trong tháng 5/2025"),
        ("1.2", ["Bộ Y tế"], "hoàn thành trong tháng 9/2025"),
    ]


def test_plain_text_in_the_headings_shape_end_to_end() -> None:
    text = "\n".join(
        [
            "Số: 7/TB-VPCP",
            "a) Bộ Tài chính chủ trì, phối hợp với Bộ Nội vụ rà soát trụ sở. "
            "Hoàn thành trong tháng 7/2025.",
            "b) Ban Cơ yếu Chính phủ",
            "- Cung cấp chữ ký số. Hoàn thành trước ngày 25/7/2025.",
        ]
    )
    directive = extract(text.encode("utf-8"), "note.txt")
    assert directive.number == "7/TB-VPCP"
    assert [(t.ref, t.lead, t.cooperating) for t in directive.tasks] == [
        ("1.a", ["Bộ Tài chính"], ["Bộ Nội vụ"]),
        ("1.b.1", ["Ban Cơ yếu Chính phủ"], []),
    ]
