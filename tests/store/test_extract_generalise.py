"""Shared extraction mechanisms added while raising the corpus figure (synthetic inputs)."""

from __future__ import annotations

from datetime import date

from store.deadlines import normalise_deadline
from store.importing.appendix import parse_appendix
from store.importing.clauses import find_subject
from store.importing.cooperation import cooperating_units
from store.importing.items import parse_outline
from store.importing.phrases import find_deadline
from store.importing.tables import find_tables
from store.importing.units import split_units
from store.models import TaskKind

ISSUED = date(2025, 11, 10)


def test_span_into_the_start_of_next_year_ends_with_that_year() -> None:
    text = "Sở Xây dựng hoàn thiện hồ sơ trong 02 tháng cuối năm 2025 và những tháng đầu năm 2026."
    phrase = find_deadline(text)
    assert phrase == "trong 02 tháng cuối năm 2025 và những tháng đầu năm 2026"
    read = normalise_deadline(phrase, ISSUED)
    assert (read.due, read.kind, read.span) == (date(2026, 12, 31), TaskKind.ONCE, True)
    assert normalise_deadline("cuối năm 2025 và đầu năm 2026", ISSUED).due == date(2026, 12, 31)
    # Two separate years stay milestones: the first one counts.
    assert normalise_deadline("năm 2025 và 2026", ISSUED).due == date(2025, 12, 31)


def test_quarters_joined_by_va_with_the_year_after_the_last() -> None:
    phrase = find_deadline("Giữ ổn định giá dịch vụ trong Quý I và Quý II năm 2026 đối với")
    assert phrase == "trong Quý I và Quý II năm 2026"
    assert normalise_deadline(phrase, ISSUED).due == date(2026, 6, 30)


def test_recurring_work_with_a_completion_date_is_due_then() -> None:
    read = normalise_deadline("Thường xuyên; hoàn thành trước ngày 31/12/2026", ISSUED)
    assert (read.due, read.kind) == (date(2026, 12, 30), TaskKind.ONCE)
    # A date for another part of the work ("riêng ...") leaves the task recurring.
    other = normalise_deadline(
        "Thực hiện thường xuyên, riêng việc tập huấn hoàn thành trong quý II/2026", ISSUED
    )
    assert (other.due, other.kind) == (None, TaskKind.RECURRING)
    assert normalise_deadline("hằng tháng, trước ngày 20", ISSUED).kind == TaskKind.RECURRING


def test_subject_ends_before_a_subordinate_clause() -> None:
    found = find_subject("Các Cục Hải quan khi tiến hành kiểm tra cần bảo đảm đúng quy trình.")
    assert found is not None and found[0] == ["Các Cục Hải quan"]
    found = find_subject(
        "Sở Kế hoạch, trên cơ sở đề xuất của các sở, ngành, chủ trì tổng hợp nhu cầu vốn."
    )
    assert found is not None and found[0] == ["Sở Kế hoạch"]
    found = find_subject("Ban Tuyên giáo để bảo đảm tiến độ, bám sát kế hoạch của Tỉnh ủy.")
    assert found is not None and found[0] == ["Ban Tuyên giáo"]
    found = find_subject("Cục Hải quan nơi đi nếu chấp nhận thì hướng dẫn doanh nghiệp khai báo.")
    assert found is not None and found[0] == ["Cục Hải quan nơi đi"]


def test_province_list_applies_to_every_head_before_it() -> None:
    units = split_units("Bí thư tỉnh ủy và Chủ tịch Ủy ban nhân dân các tỉnh: Gia Lai và Sơn La")
    assert units == [
        "Tỉnh ủy Gia Lai",
        "Tỉnh ủy Sơn La",
        "Ủy ban nhân dân tỉnh Gia Lai",
        "Ủy ban nhân dân tỉnh Sơn La",
    ]
    # A ministry before a province list lost its comma: it has no branch per province.
    assert split_units("Bộ Xây dựng, Bộ Quốc phòng các tỉnh Gia Lai, Sơn La") == [
        "Bộ Xây dựng",
        "Bộ Quốc phòng",
        "tỉnh Gia Lai",
        "tỉnh Sơn La",
    ]
    assert split_units("Sở Tài chính các tỉnh: Gia Lai, Sơn La") == [
        "Sở Tài chính tỉnh Gia Lai",
        "Sở Tài chính tỉnh Sơn La",
    ]
    # A unit that names its own place is left alone.
    assert split_units("Bộ Công an và UBND các tỉnh: Gia Lai, Sơn La") == [
        "Bộ Công an",
        "UBND tỉnh Gia Lai",
        "UBND tỉnh Sơn La",
    ]


def test_background_that_reports_past_events_is_no_task() -> None:
    tasks, _, _ = parse_outline(
        [
            "Đề nghị Ủy ban nhân dân các xã thực hiện các nội dung sau:",
            "1. Ngày 03 tháng 9 năm 2025, Sở Nội vụ đã ban hành Công văn số 12/SNV-CCVC về"
            " cập nhật dữ liệu; tiến độ cập nhật còn chậm.",
            "2. Hoàn thành việc cập nhật dữ liệu cán bộ trước ngày 15/12/2025.",
        ]
    )
    assert [(t.ref, t.lead) for t in tasks] == [("2", ["Ủy ban nhân dân các xã"])]


def test_paragraph_closing_one_list_introduces_the_next() -> None:
    tasks, _, _ = parse_outline(
        [
            "Qua kiểm tra cho thấy:",
            "- Một số đơn vị chưa cập nhật đầy đủ dữ liệu trên hệ thống.",
            "- Tỷ lệ hồ sơ xử lý đúng hạn còn thấp ở nhiều nơi.",
            "Để khắc phục, Bộ Nội vụ yêu cầu Sở Nội vụ các tỉnh, thành phố thực hiện các giải"
            " pháp sau:",
            "1/ Rà soát, cập nhật dữ liệu cán bộ trong năm 2025.",
            "2/ Báo cáo kết quả thực hiện về Bộ Nội vụ.",
        ]
    )
    assert [(t.ref, t.lead, t.deadline_text) for t in tasks] == [
        ("1", ["Sở Nội vụ các tỉnh, thành phố"], "trong năm 2025"),
        ("2", ["Sở Nội vụ các tỉnh, thành phố"], ""),
    ]


def test_a_note_in_parentheses_is_no_part_of_a_name() -> None:
    assert split_units("Chi cục Hải quan nơi làm thủ tục (nơi đến)") == [
        "Chi cục Hải quan nơi làm thủ tục"
    ]
    assert split_units("Các đơn vị thuộc khối (Đảng, HĐND, UBND)") == ["Các đơn vị thuộc khối"]
    # An abbreviation in parentheses names the unit and stays.
    assert split_units("Tổng công ty Cảng hàng không Việt Nam (ACV)") == [
        "Tổng công ty Cảng hàng không Việt Nam (ACV)"
    ]


def test_offices_of_party_committees_are_a_collective() -> None:
    assert split_units("Văn phòng Tỉnh ủy và các văn phòng huyện ủy") == [
        "Văn phòng Tỉnh ủy",
        "các văn phòng huyện ủy",
    ]


def test_introducing_sentence_with_an_opening_clause_names_the_lead() -> None:
    tasks, _, _ = parse_outline(
        [
            "3. Về nhiệm vụ từ nay đến tháng 6/2027",
            "Tình hình còn nhiều khó khăn. Bám sát chỉ đạo của cấp trên; căn cứ vào mục tiêu"
            " của Kế hoạch, Sở Nội vụ và các sở, ngành cụ thể hoá để tổ chức thực hiện các"
            " nhiệm vụ sau:",
            "(1) Nâng cao chất lượng công tác tham mưu, tổng hợp.",
            "(2) Đẩy mạnh ứng dụng công nghệ thông tin trong các cơ quan.",
        ]
    )
    assert [(t.ref, t.lead, t.deadline_text) for t in tasks] == [
        ("3.1", ["Sở Nội vụ", "các sở, ngành"], "đến tháng 6/2027"),
        ("3.2", ["Sở Nội vụ", "các sở, ngành"], "đến tháng 6/2027"),
    ]
    # A meeting's report of what it did names no performer.
    tasks, _, _ = parse_outline(
        [
            "2. Về các dự thảo",
            "Qua thảo luận, Hội đồng nhân dân xã thống nhất thông qua các nội dung:",
            "- Chương trình làm việc toàn khoá của Hội đồng nhân dân xã.",
        ]
    )
    assert tasks == []


def test_closing_appeals_and_appendix_lists_are_no_tasks() -> None:
    tasks, _, _ = parse_outline(
        [
            "1. Sở Y tế chủ trì rà soát danh mục thuốc thiết yếu, hoàn thành trong tháng 12/2025.",
            "2. Các tài liệu kèm theo:",
            "- Phụ lục số 01: Danh mục thuốc cần rà soát",
            "- Phụ lục số 02: Danh sách cơ sở khám chữa bệnh",
            "3. Ủy ban nhân dân tỉnh yêu cầu các sở, ngành nghiêm túc triển khai thực hiện./.",
        ]
    )
    assert [(t.ref, t.lead) for t in tasks] == [("1", ["Sở Y tế"])]
    # Work named after the appeal's verb is a task.
    tasks, _, _ = parse_outline(
        ["1. Đề nghị các sở, ngành triển khai thực hiện việc số hóa hồ sơ trong năm 2026."]
    )
    assert [(t.ref, t.lead) for t in tasks] == [("1", ["các sở, ngành"])]


def test_table_without_cell_boundaries_from_a_pdf_text_layer() -> None:
    lines = [
        "PHỤ LỤC",
        "Stt",
        "Nội dung",
        "Thời gian",
        "thực hiện",
        "Cơ quan",
        "chủ trì",
        "I",
        "Lĩnh vực giáo dục",
        "Kế hoạch nâng cao chất lượng",
        "dạy học ngoại ngữ.",
        "Quý I/2026",
        "Quý I/2026",
        "Phòng Văn hoá",
        "- Xã hội",
        "Rà soát, sắp xếp mạng lưới",
        "trường lớp",
        "Quý IV hàng",
        "năm",
        "UBND xã chủ trì,",
        "phối hợp Công an",
        "xã",
        "II",
        "Lĩnh vực quốc phòng",
        "Nghị quyết về công tác",
        "quân sự địa phương.",
        "Thực hiện theo",
        "chỉ đạo của",
        "Tỉnh uỷ",
        "Ban Chỉ huy",
        "Quân sự xã",
    ]
    tables = find_tables(lines)
    assert len(tables) == 1 and tables[0].start == 1
    rows = tables[0].rows[1:]
    assert rows == [
        ["I", "Lĩnh vực giáo dục", "", "", ""],
        ["1", "Kế hoạch nâng cao chất lượng dạy học ngoại ngữ.", "Quý I/2026",
         "Phòng Văn hoá - Xã hội", ""],
        ["2", "Rà soát, sắp xếp mạng lưới trường lớp", "Quý IV hàng năm", "UBND xã",
         "Công an xã"],
        ["II", "Lĩnh vực quốc phòng", "", "", ""],
        ["1", "Nghị quyết về công tác quân sự địa phương.",
         "Thực hiện theo chỉ đạo của Tỉnh uỷ", "Ban Chỉ huy Quân sự xã", ""],
    ]  # fmt: skip
    tasks, _, _ = parse_appendix(lines)
    assert [(t.ref, t.lead, t.deadline_text) for t in tasks] == [
        ("I.1", ["Phòng Văn hoá - Xã hội"], "Quý I/2026"),
        ("I.2", ["UBND xã"], "Quý IV hàng năm"),
        ("II.1", ["Ban Chỉ huy Quân sự xã"], "Thực hiện theo chỉ đạo của Tỉnh uỷ"),
    ]
    # A row number alone ("TT.") inside text is no table header.
    assert find_tables(["Ông", "TT.", "HĐND xã", "Quý I/2026", "Đảng uỷ"]) == []


def test_a_known_name_ends_where_lower_case_words_not_of_it_begin() -> None:
    # "đây mạnh" is an OCR-garbled "đẩy mạnh": no verb we know, but the registry knows the unit.
    found = find_subject("Bộ Tài chính đây mạnh triển khai các giải pháp hỗ trợ doanh nghiệp.")
    assert found is not None and found[0] == ["Bộ Tài chính"]
    found = find_subject("Sở Tài chính các tỉnh rà soát dự toán năm 2026.")
    assert found is not None and found[0] == ["Sở Tài chính các tỉnh"]


def test_a_notice_to_a_province_names_it_by_its_kind() -> None:
    found = find_subject("Trong thời gian tới, Tỉnh tổ chức thực hiện nghiêm túc nhiệm vụ.")
    assert found is not None and found[0] == ["Tỉnh"]
    found = find_subject("Thành phố Hải Phòng, tỉnh Ninh Bình đẩy nhanh tiến độ giải ngân.")
    assert found is not None and found[0] == ["Thành phố Hải Phòng", "tỉnh Ninh Bình"]
    assert find_subject("Tỉnh uỷ, HĐND, UBND tỉnh đã tổ chức hội nghị.") is None


def test_end_of_year_and_start_phrases() -> None:
    assert find_deadline("Kết thúc năm 2026, tổng kết công tác kiểm tra trên địa bàn.") == (
        "Kết thúc năm 2026"
    )
    assert normalise_deadline("Kết thúc năm 2026", ISSUED).due == date(2026, 12, 31)
    assert find_deadline("Cuối năm, báo cáo kết quả về Bộ Tư pháp.") == "Cuối năm"
    assert normalise_deadline("Cuối năm", ISSUED).due == date(2025, 12, 31)
    # "cuối năm" describing the work is no deadline; a start is no due date.
    assert find_deadline("Đánh giá tình hình kinh tế cuối năm.") == ""
    start = normalise_deadline("Bắt đầu triển khai từ năm 2026", ISSUED)
    assert (start.due, start.kind) == (None, TaskKind.UNSPECIFIED)


def test_first_of_milestones_for_different_deliverables_counts() -> None:
    text = (
        "Vận hành cổng dịch vụ công, nhiệm vụ thường xuyên; xây dựng kho dữ liệu dùng chung,"
        " hoàn thành trước ngày 15 tháng 12 năm 2025."
    )
    assert find_deadline(text) == "nhiệm vụ thường xuyên"
    # A date and a period of the same work: the date.
    assert find_deadline("Báo cáo hằng tháng, hoàn thành trước ngày 15/12/2025.") == (
        "hoàn thành trước ngày 15/12/2025"
    )


def test_a_second_performer_in_the_same_item_is_a_lead_too() -> None:
    tasks, _, _ = parse_outline(
        [
            "1. Sở Y tế rà soát nhu cầu thuốc dự trữ. Sở Tài chính bố trí kinh phí mua sắm,"
            " hoàn thành trong tháng 12/2025.",
            "2. Sở Nội vụ hướng dẫn thủ tục. Giao Sở Tư pháp thẩm định văn bản.",
        ]
    )
    assert [(t.ref, t.lead) for t in tasks] == [
        ("1", ["Sở Y tế", "Sở Tài chính"]),
        ("2", ["Sở Nội vụ", "Sở Tư pháp"]),
    ]


def test_tham_muu_is_a_verb_after_lien_quan_and_a_noun_after_co_quan() -> None:
    text = "Bộ Công an phối hợp với Bộ Xây dựng và các cơ quan liên quan tham mưu Chính phủ."
    assert cooperating_units(text) == ["Bộ Xây dựng", "các cơ quan liên quan"]
    found = find_subject("Các cơ quan tham mưu, giúp việc Đảng uỷ rà soát quy chế làm việc.")
    assert found is not None and found[0] == ["Các cơ quan tham mưu, giúp việc Đảng uỷ"]


def test_a_glued_de_nghi_still_hands_the_work_over() -> None:
    found = find_subject("Đềnghịcác sở, ngành tăng cường công tác tuyên truyền.")
    assert found is not None and found[0] == ["các sở, ngành"]
