"""Genre rules of Vietnamese administrative documents: sentences that give work or none.

Each test builds a small document in the shape Nghị định 30/2020/NĐ-CP and the usual captures
give, and checks which sentences give no work, which time phrases are deadlines and how
bodies are named.
"""

from __future__ import annotations

from store.importing.cleanup import paragraphs
from store.importing.phrases import find_deadline
from tests.store.extract_support import outline_tasks as _outline


def test_permissions_encouragements_and_agreements_give_no_task() -> None:
    tasks = _outline(
        "1. Các bộ, cơ quan trung ương, địa phương:\n"
        "a) Được phép thực hiện các giải pháp cắt giảm thủ tục hành chính.\n"
        "b) Khuyến khích các địa phương bố trí ngân sách để hỗ trợ.\n"
        "c) Rà soát, báo cáo kết quả trước ngày 15/12/2025.\n"
        "2. Ban Thường vụ Đảng uỷ thống nhất việc điều chỉnh phân công nhiệm vụ.\n"
        "3. Ban Thường vụ Đảng uỷ thống nhất chủ trương; giao Văn phòng Đảng uỷ hoàn thiện hồ sơ."
    )
    assert [t.ref for t in tasks] == ["1.c", "3"]
    assert tasks[1].lead == ["Văn phòng Đảng uỷ"]


def test_running_text_skips_reports_agreements_passives_and_appeals() -> None:
    from store.importing.prose import parse_prose

    tasks, _ = parse_prose(
        [
            "Sau khi nghe Văn phòng Đảng uỷ báo cáo, Ban Thường vụ Đảng uỷ kết luận như sau.",
            "Ban Thường vụ Đảng uỷ thống nhất điều chỉnh phân công nhiệm vụ Uỷ viên.",
            "Các chính sách an sinh xã hội được triển khai đầy đủ, kịp thời.",
            "Giao Ban Xây dựng Đảng tham mưu thực hiện các quy trình theo quy định.",
            "Đề nghị các cơ quan liên quan nghiêm túc triển khai thực hiện./.",
        ]
    )
    assert [t.lead for t in tasks] == [["Ban Xây dựng Đảng"]]


def test_a_time_in_a_cited_documents_title_is_no_deadline() -> None:
    cited = (
        "Hoàn thiện Kế hoạch theo chỉ đạo tại Nghị quyết số 86/NQ-CP ngày 04 tháng 11 năm 2025"
        " về triển khai nhiệm vụ trọng tâm những tháng cuối năm 2025; báo cáo Phó Thủ tướng"
        " trước ngày 30 tháng 11 năm 2025."
    )
    assert find_deadline(cited) == "trước ngày 30 tháng 11 năm 2025"
    # After the title (a comma), the item's own time counts again.
    own = (
        "Sửa đổi Nghị định số 118/2025/NĐ-CP về thực hiện thủ tục hành chính, hoàn thành trong"
        " tháng 12 năm 2025."
    )
    assert find_deadline(own) == "hoàn thành trong tháng 12 năm 2025"
    # "khi đã có ...": a condition, not a past event.
    assert find_deadline(
        "Tránh phiền hà khi đã có dữ liệu, hoàn thành trong tháng 11 năm 2025."
    ) == ("hoàn thành trong tháng 11 năm 2025")


def test_an_item_that_opens_with_can_cu_but_gives_work_is_a_task() -> None:
    from store.importing.not_tasks import not_task_section

    assert not_task_section("I. CĂN CỨ XÂY DỰNG KẾ HOẠCH")
    assert not_task_section("2. Kết quả đạt được")
    assert not not_task_section(
        "Căn cứ vào các nhiệm vụ chủ trì, xây dựng dự toán kinh phí và tổ chức thực hiện."
    )
    tasks = _outline(
        "1. Vụ Pháp chế:\n"
        "a) Triển khai thực hiện các nội dung của Kế hoạch.\n"
        "b) Căn cứ vào các nhiệm vụ chủ trì, xây dựng dự toán kinh phí và tổ chức thực hiện."
    )
    assert [t.ref for t in tasks] == ["1.a", "1.b"]


def test_the_governments_categories_of_bodies_are_one_entry_each() -> None:
    from store.importing.units import split_units

    assert split_units("các Bộ, cơ quan ngang Bộ, cơ quan thuộc Chính phủ, UBND các tỉnh") == [
        "các Bộ",
        "cơ quan ngang Bộ",
        "cơ quan thuộc Chính phủ",
        "UBND các tỉnh",
    ]
    assert split_units("các Bộ, cơ quan liên quan") == ["các Bộ, cơ quan liên quan"]


def test_a_year_after_a_passive_participle_describes_a_state() -> None:
    status = "Báo cáo phân loại: đã xử lý xong; tiếp tục được xử lý trong năm 2025 và sau đó."
    assert find_deadline(status) == ""
    assert find_deadline("Các văn bản cần được hoàn thành trong năm 2025.") == (
        "hoàn thành trong năm 2025"
    )


def test_two_days_every_year_are_one_annual_deadline() -> None:
    from datetime import date

    from store.deadlines import normalise_deadline
    from store.models import TaskKind

    phrase = find_deadline("định kỳ trước ngày 01/6 và 15/11 hằng năm báo cáo kết quả thực hiện")
    assert phrase == "trước ngày 01/6 và 15/11 hằng năm"
    read = normalise_deadline(phrase, date(2025, 12, 1))
    assert (read.due, read.kind) == (date(2026, 5, 31), TaskKind.ANNUAL)


def test_recipients_as_ocr_reads_them_are_no_tasks() -> None:
    text = "\n".join(
        [
            "Tổng cục Thuế yêu cầu Cục Thuế các tỉnh, thành phố thực hiện các nội dung sau:",
            "- Tăng cường công tác tuyên truyền, hướng dẫn người nộp thuế.",
            "- Thực hiện khen thưởng theo quy định đối với các công chức có thành tích.",
            "Noi nhận: TL. TONG CUC TRUONG",
            "- Phó Tổng cục trưởng (để biết);",
            "- Luu: VT, TTKT (3b).",
        ]
    )
    assert [t.ref for t in _outline(text)] == ["1", "2"]


def test_a_heading_listing_bodies_under_one_head_word_names_them_all() -> None:
    from store.importing.clauses import unit_heading

    heading = "Các Cục: Quản lý xây dựng, Kinh tế xây dựng"
    assert unit_heading(heading) == ["Cục Quản lý xây dựng", "Cục Kinh tế xây dựng"]
    assert unit_heading("Các Bộ: Công an, Quốc phòng chủ động triển khai lực lượng.") is None
    tasks = _outline(f"1. {heading}\nTheo dõi, hướng dẫn các địa phương thực hiện.")
    assert [t.lead for t in tasks] == [["Cục Quản lý xây dựng", "Cục Kinh tế xây dựng"]]


def test_a_period_line_dates_the_items_after_it() -> None:
    for mark in ("* ", "*", ""):
        close = "*" if mark == "*" else ""
        text = "\n".join(
            [
                "II. NỘI DUNG",
                f"{mark}Năm 2026{close}",
                "- Về kiểm tra:",
                "+ Ban Thường vụ Đảng uỷ kiểm tra việc thực hiện nghị quyết tại 02 chi bộ.",
                f"{mark}Năm 2027{close}",
                "- Về giám sát:",
                "+ Uỷ ban kiểm tra Đảng uỷ giám sát việc thực hiện quy định về nêu gương.",
            ]
        )
        tasks = _outline(text)
        assert [(t.lead, t.deadline_text) for t in tasks] == [
            (["Ban Thường vụ Đảng uỷ"], "Năm 2026"),
            (["Uỷ ban kiểm tra Đảng uỷ"], "Năm 2027"),
        ], mark


def test_ocr_dashes_and_a_subject_after_a_purpose_clause() -> None:
    text = "\n".join(
        [
            "1. Hoan nghênh các bộ, cơ quan đã chuẩn bị tài liệu báo cáo phục vụ cuộc họp.",
            "Để thúc đẩy kết nối dữ liệu, thời gian tới, các bộ, ngành cần tập trung triển khai"
            " các nhiệm vụ trọng tâm sau đây:",
            "a) Tăng cường số hóa, làm giàu cơ sở dữ liệu của mỗi bộ, ngành.",
            "b) Bộ Thông tin và Truyền thông:",
            "_ Tiếp tục nâng cấp nền tảng tích hợp, chia sẻ dữ liệu.",
            "~ Chủ trì rà soát, đề xuất nâng cao chất lượng nguồn nhân lực.",
        ]
    )
    tasks = _outline(text)
    assert [(t.ref, t.lead) for t in tasks] == [
        ("1.a", ["các bộ, ngành"]),
        ("1.b.1", ["Bộ Thông tin và Truyền thông"]),
        ("1.b.2", ["Bộ Thông tin và Truyền thông"]),
    ]


def test_a_deputy_with_a_portfolio_is_the_body_he_belongs_to() -> None:
    from store.importing.clauses import find_subject

    found = find_subject(
        "Đồng chí Bộ trưởng Bộ Y tế, Thứ trưởng Bộ Y tế phụ trách lĩnh vực tiếp tục bám sát"
        " tình hình, báo cáo hằng tuần."
    )
    assert found is not None and found[0] == ["Bộ Y tế"]
    found = find_subject("Phó Chủ tịch UBND tỉnh phụ trách lĩnh vực chỉ đạo Sở Y tế rà soát.")
    assert found is not None and found[0] == ["UBND tỉnh"]


def test_an_apposition_naming_who_among_the_units_is_no_unit() -> None:
    from store.importing.units import split_units

    assert split_units("các ban, ngành, mặt trận, đoàn thể, trước hết là người đứng đầu") == [
        "các ban, ngành, mặt trận, đoàn thể"
    ]
    assert split_units("Các sở, ngành, nhất là Sở Tài chính") == ["Các sở, ngành"]


def test_what_a_unit_is_gives_it_no_task() -> None:
    tasks = _outline(
        "II. NHIỆM VỤ\n"
        "1. Thành phố Hà Nội là đơn vị đi đầu trong triển khai Nghị quyết số 214/NQ-CP.\n"
        "2. Sở Khoa học và Công nghệ theo dõi, đôn đốc việc thực hiện Kế hoạch."
    )
    assert [t.lead for t in tasks] == [["Sở Khoa học và Công nghệ"]]


def test_a_line_ending_with_the_dash_of_a_name_goes_on() -> None:
    lines = [
        "1. Tập đoàn Bưu chính Viễn thông Việt Nam, Tập đoàn Công nghiệp -",
        "Viễn thông Quân đội hoàn thành phủ sóng các thôn trong tháng 12 năm 2025.",
    ]
    assert paragraphs(lines) == [" ".join(lines)]


def test_a_sentence_that_introduces_what_follows_is_no_task() -> None:
    text = "\n".join(
        [
            "Xét đề xuất của Sở Xây dựng tại Công văn số 15972/SXD-QLN ngày 14 tháng 11 năm 2025;"
            " Chủ tịch Ủy ban nhân dân Thành phố giao Sở Xây dựng thực hiện như sau:",
            "1. Về việc rà soát dữ liệu số nhà",
            "1.1. Giao Sở Nông nghiệp và Môi trường chủ trì rà soát cơ sở dữ liệu đất đai.",
            "2. Sở Tư pháp có ý kiến về các nội dung sau:",
        ]
    )
    tasks = _outline(text)
    assert [t.lead for t in tasks] == [["Sở Nông nghiệp và Môi trường"]]
