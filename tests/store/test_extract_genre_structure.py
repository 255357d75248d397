"""Genre rules of Vietnamese administrative documents: where the body ends and what it holds.

Each test builds a small document in the shape Nghị định 30/2020/NĐ-CP and the usual captures
give, and checks one mechanism: where the body ends, what a website adds before it, which time
phrases are deadlines, which sentences give no work.
"""

from __future__ import annotations

from store.importing.cleanup import drop_page_summary, paragraphs
from store.importing.not_tasks import answers_for, is_appeal
from store.importing.phrases import find_deadline
from store.importing.subjects import intro_deadline
from tests.store.extract_support import outline_tasks as _outline


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


def test_an_article_quoting_the_text_before_xem_chi_tiet_keeps_it() -> None:
    """A Q&A page quotes the directive's items, then points to the text it does not carry:
    the quoted items are the directive's, not a summary to drop; the site's other answers
    after the marker are no part of it."""
    lines = [
        "# Toàn văn Công điện 108/CĐ-TTg về công tác đặc xá ra sao?",
        "Thủ tướng Chính phủ đã yêu cầu các đơn vị thực hiện các nhiệm vụ như sau:",
        "(1) Bộ Công an làm tốt chức năng chủ trì tham mưu cho Chính phủ.",
        "Xem chi tiết thêm tại Công điện 108/CĐ-TTg năm 2025 ban hành ngày 16/7/2025.",
        "**Thực hiện đặc xá tuân theo nguyên tắc nào?**",
        "Căn cứ theo Điều 4 Luật Đặc xá 2018 quy định như sau:",
    ]
    assert drop_page_summary(lines) == lines[:3]


def test_answers_after_the_marker_that_quote_the_same_document_stay() -> None:
    lines = [
        "# Toàn văn Công điện 159/CĐ-TTg 2025 ra sao?",
        "(1) Bộ Tài chính đẩy mạnh thu ngân sách nhà nước.",
        "**Xem chi tiết tại TẢI VỀ Công điện 159/CĐ-TTg 2025**",
        "**Nội dung chỉ đạo về chính sách tiền tệ theo Công điện 159?**",
        "(1) Ngân hàng Nhà nước Việt Nam chủ trì điều hành lãi suất.",
        "**Có mấy công cụ thực hiện chính sách tiền tệ quốc gia?**",
        "(1) Tái cấp vốn.",
    ]
    assert drop_page_summary(lines) == lines[:2] + lines[3:5]


def test_lines_that_are_paragraphs_already_are_not_joined_between_blank_lines() -> None:
    """An OCR or PDF reader gives a paragraph a line: blank lines between pages do not make
    the lines between them one paragraph."""
    long = "Ủy ban nhân dân tỉnh yêu cầu các sở, ngành khẩn trương rà soát, báo cáo kết quả " * 3
    lines = ["Kính gửi: Các sở, ngành", "", *[f"{n}. {long}" for n in range(1, 7)], ""]
    lines += [f"Sở Tài chính tổng hợp việc số {n}, {long}" for n in range(6)] + [""]
    got = paragraphs(lines)
    assert got[0] == "Kính gửi: Các sở, ngành"
    assert len(got) == 13


def test_an_address_line_starts_a_paragraph_of_its_own() -> None:
    lines = ["BỘ CÔNG AN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Số: 5240/BCA-V01", "Kính gửi:"]
    assert paragraphs(lines) == lines
