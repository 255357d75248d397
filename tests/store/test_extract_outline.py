"""The general readers of directive structure, one mechanism at a time, on small snippets.

Outline (numbered, lettered, bulleted items), the assignment-clause reader over it (headings
that name units, introducing sentences, topic lines, field blocks), tables in every form,
unit lists under one head word, metadata a capture hides, and the review flags.
"""

from __future__ import annotations

from datetime import date

from store.importing import extract
from store.importing.appendix import parse_appendix
from store.importing.clauses import find_subject, unit_heading
from store.importing.cleanup import clean_lines, paragraphs
from store.importing.items import parse_outline
from store.importing.meta import extract_meta
from store.importing.outline import build_outline, explode_inline
from store.importing.tables import find_tables
from store.importing.unit_lists import expand_colon_list


def _tasks(lines: list[str]) -> list[tuple[str, list[str], str]]:
    tasks, _, _ = parse_outline(paragraphs(lines))
    return [(t.ref, t.lead, t.deadline_text) for t in tasks]


# --- outline ------------------------------------------------------------------------------------


def test_markers_nest_in_the_order_the_document_uses_them() -> None:
    root, preamble = build_outline(
        ["Căn cứ ...", "I. NHIỆM VỤ", "1. Về A", "a) Bộ X làm A.", "- chi tiết", "2. Về B"]
    )
    assert preamble == ["Căn cứ ..."]
    part = root.children[0]
    assert (part.kind, part.label) == ("roman", "I")
    assert [c.label for c in part.children] == ["1", "2"]
    letter = part.children[0].children[0]
    assert (letter.kind, letter.label, letter.children[0].kind) == ("letter", "a", "dash")


def test_a_section_number_closes_the_letters_before_it() -> None:
    root, _ = build_outline(["a) Bộ X làm A.", "b) Bộ Y làm B.", "2. Về C", "a) Bộ Z làm C."])
    # The letters at the top had lost their section heading: it is put back as section 1.
    assert [(c.label, c.synthetic) for c in root.children] == [("1", True), ("2", False)]
    assert [c.label for c in root.children[1].children] == ["a"]


def test_letters_restarting_put_back_the_lost_section() -> None:
    root, _ = build_outline(["1. Về A", "a) Bộ X.", "b) Bộ Y.", "a) Bộ Z.", "b) Bộ W."])
    assert [(c.label, c.synthetic) for c in root.children] == [("1", False), ("2", True)]
    assert [c.label for c in root.children[1].children] == ["a", "b"]


def test_inline_enumerations_become_items() -> None:
    assert explode_inline("Bộ Y tế: (1) làm A; (2) làm B; (3) làm C.") == [
        "Bộ Y tế:",
        "(1) làm A;",
        "(2) làm B;",
        "(3) làm C.",
    ]
    assert explode_inline("theo Điều (2) và (1) của Luật") == ["theo Điều (2) và (1) của Luật"]


def test_wrapped_lines_blank_separated_paragraphs_and_glued_numbers() -> None:
    wrapped = [
        "1. Bộ trưởng các Bộ, Thủ trưởng cơ quan ngang bộ,",
        "Chủ tịch Ủy ban nhân dân các tỉnh",
        "Khẩn trương rà soát các quy định, hoàn thành trong",
        "năm 2025.",
    ]
    assert paragraphs(wrapped) == [
        "1. Bộ trưởng các Bộ, Thủ trưởng cơ quan ngang bộ, Chủ tịch Ủy ban nhân dân các tỉnh",
        "Khẩn trương rà soát các quy định, hoàn thành trong năm 2025.",
    ]
    blocks = ["**1. Sở", "Tài chính**", "", "- Chủ trì xây dựng", "Kế hoạch.", ""] * 4
    assert paragraphs(clean_lines(blocks))[:2] == [
        "1. Sở Tài chính",
        "- Chủ trì xây dựng Kế hoạch.",
    ]
    assert paragraphs(["Tuyên truyền pháp luật 1.1.", "Tổ chức nghiên cứu."]) == [
        "Tuyên truyền pháp luật",
        "1.1. Tổ chức nghiên cứu.",
    ]


# --- assignments over the outline -------------------------------------------------------------


def test_a_heading_naming_units_leads_the_items_under_it() -> None:
    found = _tasks(
        [
            "1. Bộ trưởng các Bộ, Thủ trưởng cơ quan ngang bộ",
            "a) Tập trung triển khai các nhiệm vụ.",
            "b) Bộ Tài chính làm việc cụ thể với các địa phương.",
            "2. Sở Tài chính (cơ quan chủ trì)",
            "Chủ trì xây dựng kế hoạch, hoàn thành trong tháng 9/2025.",
        ]
    )
    assert found == [
        ("1.a", ["các Bộ", "cơ quan ngang bộ"], ""),
        ("1.b", ["Bộ Tài chính"], ""),
        ("2", ["Sở Tài chính"], "hoàn thành trong tháng 9/2025"),
    ]


def test_an_introducing_sentence_leads_and_dates_its_items() -> None:
    found = _tasks(
        [
            "Đề nghị Ủy ban nhân dân các tỉnh, thành phố:",
            "1. Về hạ tầng",
            "a) Rà soát hạ tầng số.",
            "b) Các Bộ: Tài chính, Y tế khẩn trương khắc phục lỗi, hoàn thành trong tháng "
            "11 năm 2025, cụ thể:",
            "(1) Bộ Tài chính kết nối hệ thống thuế.",
            "(2) Bộ Y tế nâng cấp hệ thống cấp phép.",
        ]
    )
    assert found == [
        ("1.a", ["Ủy ban nhân dân các tỉnh, thành phố"], ""),
        ("1.b.1", ["Bộ Tài chính"], "hoàn thành trong tháng 11 năm 2025"),
        ("1.b.2", ["Bộ Y tế"], "hoàn thành trong tháng 11 năm 2025"),
    ]


def test_topic_lines_and_purpose_sections() -> None:
    found = _tasks(
        [
            "I. MỤC ĐÍCH, YÊU CẦU",
            "1. Các sở, ngành phải bám sát mục tiêu.",
            "II. NHIỆM VỤ",
            "1. Quyết liệt trong chỉ đạo: Các bộ, ngành khẩn trương rà soát, hoàn thành "
            "trước ngày 25 tháng 11 năm 2025.",
            "2. Xây dựng chiến lược dữ liệu:",
            "Bộ Công an chủ trì, phối hợp với Bộ Tài chính xây dựng chiến lược.",
        ]
    )
    assert found == [
        ("II.1", ["Các bộ, ngành"], "hoàn thành trước ngày 25 tháng 11 năm 2025"),
        ("II.2", ["Bộ Công an"], ""),
    ]


def test_field_blocks_give_lead_cooperating_and_deadline() -> None:
    tasks, _, _ = parse_outline(
        [
            "1. Về tuyên truyền",
            "1.1. Tổ chức phổ biến Chỉ thị.",
            "1.2. Nâng cao vai trò của các cấp ủy.",
            "- Cơ quan thực hiện: Sở Nội vụ chủ trì, phối hợp với Sở Tư pháp; Sở Y tế.",
            "- Thời gian thực hiện: Quý II/2020.",
        ]
    )
    assert [(t.ref, t.lead, t.cooperating, t.deadline_text) for t in tasks] == [
        ("1.1", ["Sở Nội vụ"], ["Sở Tư pháp", "Sở Y tế"], "Quý II/2020"),
        ("1.2", ["Sở Nội vụ"], ["Sở Tư pháp", "Sở Y tế"], "Quý II/2020"),
    ]


def test_sub_items_without_a_unit_detail_the_task_above_them() -> None:
    tasks, _, _ = parse_outline(
        [
            "1. Về hạ tầng số",
            "a) Bộ Công an",
            "- Chủ trì nâng cấp hệ thống định danh. Nhiệm vụ thường xuyên.",
            "+ Nâng cấp máy chủ.",
            "+ Báo cáo kết quả.",
            "- Chủ trì triển khai các nội dung sau:",
            "+ Kết nối dữ liệu dân cư.",
            "+ Báo cáo kết quả. Hoàn thành trong tháng 9/2025.",
        ]
    )
    assert [(t.ref, t.lead, t.deadline_text) for t in tasks] == [
        ("1.a.1", ["Bộ Công an"], "Nhiệm vụ thường xuyên"),
        ("1.a.2.1", ["Bộ Công an"], ""),
        ("1.a.2.2", ["Bộ Công an"], "Hoàn thành trong tháng 9/2025"),
    ]
    assert "+ Nâng cấp máy chủ." in tasks[0].body
    assert tasks[1].flags == ["lead_from_heading"]


def test_closing_articles_and_recipients_are_not_tasks() -> None:
    found = _tasks(
        [
            "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch triển khai.",
            "Điều 2. Chánh Văn phòng, Giám đốc các Sở chịu trách nhiệm thi hành Quyết định này.",
            "I. NHIỆM VỤ",
            "1. Sở Y tế chủ trì kiểm tra các cơ sở, hoàn thành trong tháng 6/2025.",
        ]
    )
    assert found == [("I.1", ["Sở Y tế"], "hoàn thành trong tháng 6/2025")]


# --- tables ------------------------------------------------------------------------------------

_PIPE = [
    "PHỤ LỤC",
    "| STT | Nội dung công việc | Cơ quan thực hiện | Cơ quan thực hiện | Thời hạn |",
    "|---|---|---|---|---|",
    "| | | Chủ trì | Phối hợp | |",
    "| I | Thể chế | | | |",
    "| 1 | Ban hành quy chế | Sở Nội vụ | Sở Tư pháp; Sở Y tế | Quý III, IV/2026 |",
    "| 2 | Rà soát thủ tục | Sở Tư pháp | | Tháng 9/2025 |",
]
_FLAT = ["|", "**TT**", "|", "**Nhiệm vụ**", "|", "**Đơn vị chủ trì**", "|", "**Thời gian**"]
_FLAT += ["|", "|", "**I. THỂ CHẾ**", "|", "|", "1", "|", "Ban hành quy chế", "làm việc.", "|"]
_FLAT += ["Sở Nội vụ", "|", "2024 - 2025", "|", "|", "2", "|", "Rà soát", "|", "Sở Y tế", "|"]


def test_pipe_tables_with_a_two_row_header() -> None:
    tasks, _, tables = parse_appendix(_PIPE)
    assert len(tables) == 1
    assert [(t.ref, t.lead, t.cooperating, t.deadline_text) for t in tasks] == [
        ("I.1", ["Sở Nội vụ"], ["Sở Tư pháp", "Sở Y tế"], "Quý III, IV/2026"),
        ("I.2", ["Sở Tư pháp"], [], "Tháng 9/2025"),
    ]


def test_flattened_tables_one_cell_per_line() -> None:
    tasks, _, _ = parse_appendix(clean_lines(_FLAT))
    assert [(t.ref, t.title, t.lead, t.deadline_text) for t in tasks] == [
        ("I.1", "Ban hành quy chế làm việc", ["Sở Nội vụ"], "2024 - 2025"),
        ("I.2", "Rà soát", ["Sở Y tế"], ""),
    ]


def test_progress_report_tables_are_not_task_lists() -> None:
    report = ["| STT | Nhiệm vụ | Văn bản giao nhiệm vụ | Cơ quan chủ trì | Thời hạn |"]
    report += ["| 1 | Rà soát | Nghị quyết 71/NQ-CP | Bộ Tài chính | 30/6/2025 |"]
    assert len(find_tables(report)) == 1
    assert parse_appendix(report)[0] == []


# --- units and metadata ------------------------------------------------------------------------


def test_unit_lists_headings_and_verbless_leads() -> None:
    assert expand_colon_list("các Bộ: Quốc phòng, Văn hóa, Thể thao và Du lịch, Y tế") == [
        "Bộ Quốc phòng",
        "Bộ Văn hóa, Thể thao và Du lịch",
        "Bộ Y tế",
    ]
    assert expand_colon_list("Các nhiệm vụ: rà soát, báo cáo") is None
    assert unit_heading("Đề nghị UBND các tỉnh, thành phố:") == ["UBND các tỉnh, thành phố"]
    assert unit_heading("Về cung cấp dịch vụ công") is None
    assert find_subject("Bộ Tài chính làm việc cụ thể với Ngân hàng Nhà nước.") is not None
    found = find_subject("Bộ Xây dựng: Khẩn trương thành lập đoàn công tác.")
    assert found is not None and found[0] == ["Bộ Xây dựng"]


def test_a_number_written_with_spaces_or_below_its_label_is_found() -> None:
    assert extract_meta(["UBND TỈNH X", "Số: 9387 /UBND-KT", "X, ngày 2 tháng 3 năm 2025"]).number
    meta = extract_meta(
        ["Số hiệu:", "|", "220/CĐ-TTg", "|", "Hà Nội, ngày 18", "tháng 11 năm 2025"]
    )
    assert (meta.number, meta.doc_type, meta.issued_on) == (
        "220/CĐ-TTg",
        "Công điện",
        date(2025, 11, 18),
    )
    assert extract_meta(["Số: 9387 /UBND-KT"]).number == "9387/UBND-KT"


def test_a_directive_without_a_number_is_read_and_says_so() -> None:
    text = (
        "Hà Nội, ngày 5 tháng 3 năm 2025\n1. Sở Y tế chủ trì kiểm tra, hoàn thành trong năm 2025."
    )
    directive = extract(text.encode("utf-8"), "note.txt")
    assert directive.number is None
    assert directive.issued_on == date(2025, 3, 5)
    assert any("no directive number" in warning for warning in directive.warnings)
    task = directive.tasks[0]
    assert task.source == ["Sở Y tế chủ trì kiểm tra, hoàn thành trong năm 2025."]


def test_review_flags() -> None:
    tasks, _, _ = parse_outline(
        [
            "1. Bộ Công an, hoàn thành trong Quý III, IV/2026:",
            "a) Rà soát hệ thống.",
            "b) Bộ Y tế thí điểm, hoàn thành tháng 9/2025; mở rộng trong năm 2026.",
            "c) Bộ Nội vụ nghiên cứu chính sách.",
        ]
    )
    from store.importing.flags import deadline_flags

    for task in tasks:
        deadline_flags(task)
    flags = {t.ref: t.flags for t in tasks}
    assert flags["1.a"] == ["lead_from_heading", "deadline_inherited", "deadline_span"]
    assert "deadline_milestone" in flags["1.b"]
    assert flags["1.c"] == ["deadline_inherited", "deadline_span"]
