"""Genre rules of Vietnamese administrative documents the extraction follows (synthetic inputs).

Each test builds a small document in the shape Nghị định 30/2020/NĐ-CP and the usual captures
give, and checks one mechanism: where the body ends, what a website adds before it, which time
phrases are deadlines, which sentences give no work.
"""

from __future__ import annotations

from store.importing.cleanup import clean_lines, drop_page_summary, paragraphs
from store.importing.items import parse_outline
from store.importing.not_tasks import answers_for, is_appeal
from store.importing.phrases import find_deadline
from store.importing.subjects import intro_deadline


def _outline(text: str) -> list:
    tasks, _, _ = parse_outline(paragraphs(clean_lines(text.splitlines())))
    return tasks


def test_body_end_mark_and_recipients_always_break_a_wrapped_paragraph() -> None:
    lines = [
        "1. Sở Tài chính chủ trì rà soát các khoản chi thường xuyên của các đơn vị",
        "",
        "2. Sở Xây dựng hoàn thiện hồ sơ dự án và báo cáo Ủy ban nhân dân tỉnh",
        "",
        "Đề nghị các cơ quan, đơn vị khẩn trương triển khai thực hiện./.",
        "Nơi nhận:",
        "- Như trên;",
        "- Các phòng chuyên môn UBND xã,",
        "- Lưu VT.",
    ] * 3
    out = paragraphs(lines)
    assert "Nơi nhận:" in out
    assert not any(p.endswith("./. Nơi nhận:") for p in out)
    assert all("./." not in p[:-4] for p in out)


def test_recipient_lines_after_the_body_are_no_tasks() -> None:
    text = "\n".join(
        [
            "1. Giao Văn phòng Đảng uỷ tham mưu tổ chức hội nghị sơ kết trước ngày 20/12/2025.",
            "2. Giao Ban Xây dựng Đảng hướng dẫn các chi bộ kiểm điểm cuối năm.",
            "Đề nghị các cơ quan, đơn vị liên quan khẩn trương triển khai thực hiện./.",
            "Nơi nhận:",
            "- Các đ/c UVTV Đảng uỷ,",
            "- Các phòng chuyên môn UBND xã,",
            "- Lưu VPĐU.",
        ]
    )
    tasks = _outline(text)
    assert [t.ref for t in tasks] == ["1", "2"]


def test_long_document_names_under_a_task_are_its_products() -> None:
    name = "Nghị quyết về tăng cường sự lãnh đạo của Đảng trong công tác quản lý đất đai, " * 3
    text = "\n".join(
        [
            "1. Về các nghị quyết chuyên đề:",
            "- Giao Văn phòng Đảng uỷ tham mưu ban hành các Nghị quyết chuyên đề, cụ thể:",
            f"+ {name.strip()}.",
            "+ Nghị quyết về cơ cấu lại ngành nông nghiệp giai đoạn 2026 – 2030.",
        ]
    )
    assert len(name) > 200
    tasks = _outline(text)
    assert len(tasks) == 1
    assert tasks[0].lead == ["Văn phòng Đảng uỷ"]


def test_a_websites_summary_before_the_document_is_dropped() -> None:
    lines = [
        "**Tình trạng:**",
        "|",
        "Đã biết",
        "|",
        "## Hỗ trợ Nhân dân sửa nhà trước ngày 30/11/2025",
        "Theo đó, Thủ tướng yêu cầu Chủ tịch UBND các tỉnh:",
        "- Huy động các lực lượng hỗ trợ Nhân dân.",
        "Xem chi tiết nội dung tại Công điện 227/CĐ-TTg ngày 23/11/2025.",
        "THỦ TƯỚNG CHÍNH PHỦ",
        "1. Chủ tịch Ủy ban nhân dân các tỉnh huy động các lực lượng hỗ trợ Nhân dân.",
    ]
    kept = drop_page_summary(lines)
    assert kept[:4] == lines[:4]
    assert kept[4:] == lines[8:]
    # No summary marker: nothing is dropped.
    assert drop_page_summary(lines[:7]) == lines[:7]


def test_an_accountability_sentence_adds_no_performer_and_starts_no_task() -> None:
    sentence = (
        "Các Bộ trưởng, Chủ tịch Ủy ban nhân dân cấp tỉnh chịu trách nhiệm toàn diện trước"
        " Chính phủ về kết quả công tác phòng, chống bão."
    )
    assert answers_for(sentence)
    assert not answers_for("Bộ Tài chính chịu trách nhiệm hướng dẫn các địa phương.")
    text = "\n".join(
        [
            "1. Bộ Quốc phòng, Bộ Công an theo dõi sát diễn biến của bão, chủ động ứng phó.",
            sentence,
            "2. Bộ Y tế bảo đảm thuốc men cho vùng bị ảnh hưởng.",
        ]
    )
    tasks = _outline(text)
    assert [t.ref for t in tasks] == ["1", "2"]
    assert tasks[0].lead == ["Bộ Quốc phòng", "Bộ Công an"]


def test_closing_exhortation_and_an_issuers_appeal_are_no_tasks() -> None:
    assert is_appeal(
        "Tổng cục Thuế yêu cầu các đồng chí Cục trưởng Cục Thuế các tỉnh, thành phố trực thuộc"
        " Trung ương nghiêm túc triển khai thực hiện. gaa!\nNoi nhận:} - KT. TỔNG CỤC TRƯỞNG"
    )
    assert not is_appeal("Tổng cục Thuế yêu cầu Cục Thuế các tỉnh rà soát hồ sơ hoàn thuế.")
    assert is_appeal(
        "Bộ Văn hóa, Thể thao và Du lịch yêu cầu Thủ trưởng các cơ quan, đơn vị được giao"
        " nhiệm vụ tập trung nguồn lực, đảm bảo tiến độ được giao./."
    )
    assert not is_appeal("Bộ Tài chính tập trung rà soát nhiệm vụ chi.")
    text = "\n".join(
        [
            "1. Bộ Tài chính hướng dẫn các địa phương giải ngân vốn đầu tư công.",
            "2. Đây là nhiệm vụ rất quan trọng, cấp bách, Thủ tướng Chính phủ đề nghị các đồng"
            " chí Bộ trưởng, Chủ tịch Ủy ban nhân dân các tỉnh quan tâm, lãnh đạo, chỉ đạo.",
        ]
    )
    assert [t.ref for t in _outline(text)] == ["1"]


def test_time_phrases_that_do_not_time_the_work() -> None:
    # A past event.
    assert find_deadline("Đến nay 100% hồ chứa đã được kết nối, cung cấp dữ liệu hàng ngày.") == ""
    # A period that names a plan.
    assert find_deadline("Cụ thể hoá xây dựng Chương trình công tác toàn khóa, hằng tháng.") == ""
    # A year that delimits a noun: what was given, is not to be done, is evaluated in it.
    assert find_deadline("Đối với các nhiệm vụ được giao trong năm 2025, tiếp tục rà soát.") == ""
    assert find_deadline("Xem xét không tổ chức kiểm tra định kỳ trong năm 2020 đối với") == ""
    assert (
        find_deadline("Đánh giá, xếp loại tập thể, nhất là người đứng đầu trong năm 2025.") == ""
    )
    # What still counts: the work's own time, also after a participle of a noun.
    approved = "Sửa các văn bản đã được phê duyệt, trong đó ưu tiên sửa đổi trong năm 2025."
    assert find_deadline(approved) == "trong năm 2025"
    assert find_deadline("Hoàn thành việc sửa đổi, bổ sung trong năm 2025.") == "trong năm 2025"
    assert find_deadline("Báo cáo kết quả thực hiện hằng tháng.") == "hằng tháng"
    # A period that names a plan or a budget, even a few words after it.
    assert (
        find_deadline("Cụ thể hóa trong các kế hoạch chuyển đổi số trung hạn và hàng năm.") == ""
    )
    assert find_deadline("Sử dụng dự toán chi còn lại của ngân sách địa phương hằng năm.") == ""
    # ... but not a ministry's name nor a report.
    assert find_deadline("Gửi Bộ Kế hoạch và Đầu tư trước ngày 20 hàng tháng.") == (
        "trước ngày 20 hàng tháng"
    )
    assert find_deadline("Xây dựng kế hoạch, báo cáo kết quả hằng quý.") == "hằng quý"


def test_an_introducing_sentence_dates_its_items_only_in_its_handing_over_clause() -> None:
    background = (
        "Từ nay đến hết năm 2025 chỉ còn gần 2 tháng, khối lượng công việc lớn; do vậy, yêu cầu"
        " các bộ, ngành, địa phương:"
    )
    assert intro_deadline(background) == ""
    dated = (
        "Đề nghị Thường trực Tỉnh ủy tập trung thực hiện các nhiệm vụ trong 02 tháng cuối năm"
        " 2025; trong đó lưu ý một số nội dung sau:"
    )
    assert intro_deadline(dated) == "trong 02 tháng cuối năm 2025"
    purpose = (
        "Để đảm bảo tiến độ, phấn đấu hoàn thành xây dựng trước ngày 30 tháng 11 năm 2025,"
        " đề nghị Bộ Y tế, Bộ Xây dựng tiếp tục thực hiện một số nội dung sau:"
    )
    assert intro_deadline(purpose) == ""


def test_a_wrap_inside_a_place_name_is_joined() -> None:
    lines = [
        "II. MỘT SỐ KIẾN NGHỊ CỦA TỈNH",
        "1. Về hỗ trợ kinh phí cho tỉnh Điện Biên: Giao Bộ Tài chính chủ trì xem xét.",
        "2. Về việc lồng ghép các kiến nghị của tỉnh Điện",
        "Biên vào các Chương trình mục tiêu quốc gia: Giao Bộ Giáo dục và Đào tạo, Bộ Y tế"
        " nghiên cứu, trả lời tỉnh trước ngày 15 tháng 12 năm 2025.",
        "3. Văn phòng Chính phủ",
        "Theo dõi, đôn đốc việc thực hiện.",
    ]
    out = paragraphs(lines)
    assert out[2].startswith("2. Về việc lồng ghép các kiến nghị của tỉnh Điện Biên vào")
    assert out[3:] == ["3. Văn phòng Chính phủ", "Theo dõi, đôn đốc việc thực hiện."]


def test_the_performers_of_a_topic_item_follow_its_colon() -> None:
    tasks = _outline(
        "1. Về việc lồng ghép các kiến nghị của tỉnh với Bộ Xây dựng: Giao Bộ Giáo dục và Đào"
        " tạo, Bộ Y tế nghiên cứu, trả lời tỉnh.\n"
        "2. Về việc phê duyệt Chương trình: Các Bộ, cơ quan thống nhất chỉ có một cơ quan chủ"
        " trì; giao Bộ Nông nghiệp và Môi trường hoàn thiện hồ sơ."
    )
    assert tasks[0].lead == ["Bộ Giáo dục và Đào tạo", "Bộ Y tế"]
    assert tasks[1].lead == ["Bộ Nông nghiệp và Môi trường"]


def test_a_list_under_two_kinds_of_body_is_written_out() -> None:
    from store.importing.unit_lists import expand_colon_list

    assert expand_colon_list(
        "Các Bộ, cơ quan: Tài chính, Văn hóa, Thể thao và Du lịch, Tập đoàn Điện lực Việt Nam"
    ) == ["Bộ Tài chính", "Bộ Văn hóa, Thể thao và Du lịch", "Tập đoàn Điện lực Việt Nam"]
    assert expand_colon_list("Các Bộ: Tư pháp, Thông tin và Truyền thông") == [
        "Bộ Tư pháp",
        "Bộ Thông tin và Truyền thông",
    ]


def test_inline_list_of_reports_under_a_task_is_its_products() -> None:
    tasks = _outline(
        "1. Các Bộ, cơ quan ngang Bộ:\n"
        "- Khẩn trương hoàn thiện các báo cáo: (i) Báo cáo tình hình triển khai Nghị quyết;"
        " (ii) Báo cáo xử lý các khó khăn, vướng mắc; (iii) Báo cáo về cắt giảm thủ tục hành"
        " chính, gửi Bộ Tư pháp trước ngày 05 tháng 12 năm 2025."
    )
    assert len(tasks) == 1
    assert tasks[0].title.startswith("Khẩn trương hoàn thiện các báo cáo")
    assert tasks[0].deadline_text == "trước ngày 05 tháng 12 năm 2025"


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
