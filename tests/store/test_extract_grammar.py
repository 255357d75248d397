"""Rules of Vietnamese administrative grammar for leads and deadlines (synthetic inputs).

Each test checks one rule on a sentence written the way directives write it: who performs
(person titles, modals before the verb, the level after a national body's name) and which
time phrase is the deadline (a yearly period with a day, a period given a day).
"""

from __future__ import annotations

import datetime as dt

from store.deadlines import normalise_deadline
from store.importing.clauses import find_subject
from store.importing.phrases import find_deadline
from store.importing.subjects import other_performers
from store.importing.units import split_units

ISSUED = dt.date(2025, 3, 1)


def _lead(sentence: str) -> list[str]:
    found = find_subject(sentence)
    return found[0] if found else []


def _due(text: str) -> tuple[str | None, str]:
    deadline = normalise_deadline(find_deadline(text), ISSUED)
    return (deadline.due.isoformat() if deadline.due else None), deadline.kind.value


def test_a_day_after_a_yearly_period_recurs_every_year() -> None:
    text = (
        "Các sở, ngành định kỳ hằng năm gửi báo cáo Sở Kế hoạch và Đầu tư trước ngày 15 "
        "tháng 12 để tổng hợp."
    )
    assert _due(text) == ("2025-12-14", "annual")
    assert _due("Gửi báo cáo định kỳ hàng năm (trước ngày 15/11) về Sở Nội vụ.") == (
        "2025-11-14",
        "annual",
    )


def test_a_dated_day_or_another_clause_keeps_a_single_deadline() -> None:
    # a year on the day: one date; the period in another clause: not the day's.
    assert _due("Hằng năm tổng kết, báo cáo trước ngày 15/11/2025.") == ("2025-11-14", "once")
    assert _due("Xây dựng kế hoạch hằng năm. Gửi Sở Tài chính trước ngày 15/11.") == (
        "2025-11-14",
        "once",
    )


def test_a_period_given_a_day_is_a_schedule_not_a_plan_name() -> None:
    text = "Báo cáo tình hình thực hiện Chương trình hành động hàng quý trước ngày 15 của tháng."
    assert _due(text) == (None, "recurring")
    # without a day the period names the programme: no deadline
    assert _due("Xây dựng Chương trình công tác hằng quý của Sở.") == (None, "unspecified")


def test_the_level_after_a_national_body_stays_in_the_name() -> None:
    sentence = "Giao Ban Xây dựng Đảng, Uỷ ban MTTQ Việt Nam xã chỉ đạo các cơ quan thực hiện."
    assert _lead(sentence) == ["Ban Xây dựng Đảng", "Uỷ ban MTTQ Việt Nam xã"]


def test_a_comrade_title_inside_a_list_starts_a_new_addressee() -> None:
    sentence = (
        "Yêu cầu các đồng chí bí thư tỉnh uỷ, thành uỷ, các đồng chí bộ trưởng, thủ trưởng "
        "cơ quan ngang bộ khẩn trương rà soát."
    )
    assert _lead(sentence) == ["tỉnh uỷ, thành uỷ", "các Bộ", "cơ quan ngang bộ"]


def test_a_modal_before_the_verb_is_not_part_of_the_name() -> None:
    assert _lead("Các bộ, ngành cần rà soát các quy định chồng chéo.") == ["Các bộ, ngành"]
    # a capture that lost the diacritics
    assert _lead("Các sở, ngành can rà soát các quy định chồng chéo.") == ["Các sở, ngành"]


def test_the_performer_follows_a_preposed_time_or_condition() -> None:
    sentence = "Trong thời gian giữa hai kỳ họp, Thường trực Hội đồng nhân dân tỉnh xem xét."
    assert _lead(sentence) == ["Thường trực Hội đồng nhân dân tỉnh"]
    sentence = "Trường hợp không khí bị ô nhiễm nặng, các đơn vị, trường học chủ động tạm dừng."
    assert _lead(sentence) == ["các đơn vị, trường học"]


def test_closing_and_background_openers_name_no_performer() -> None:
    closing = "Trong quá trình thực hiện, Ban Chấp hành Đảng bộ xã quyết định việc điều chỉnh."
    assert _lead(closing) == []
    background = "Trong thời gian qua, Tổng cục Thuế nhận được công văn của các Cục Thuế."
    assert _lead(background) == []


def test_a_time_inside_a_preposed_topic_is_not_the_deadline() -> None:
    text = "Đối với các nhiệm vụ triển khai trong năm 2025, các sở, ngành chủ động rà soát."
    assert _due(text) == (None, "unspecified")
    # a topic heading with no performer after it: its time is the list's
    assert _due("Về nhiệm vụ trọng tâm từ nay đến tháng 6/2027") == ("2027-06-30", "once")
    assert _due("Đối với Sở Tài chính: hoàn thành trong năm 2025.") == ("2025-12-31", "once")


def test_a_time_field_inside_the_item_is_its_deadline() -> None:
    work = "Sở Xây dựng rà soát các quy định về quản lý chất lượng công trình"
    assert _due(f"{work}. Thời gian thực hiện: tháng 10/2025.") == ("2025-10-31", "once")
    assert _due(f"{work}; tiến độ: Quý III/2025.") == ("2025-09-30", "once")
    assert _due(f"{work}. Hạn hoàn thành: 31/12/2025.") == ("2025-12-31", "once")
    assert _due(f"{work}. Thời gian: 2025 - 2030.") == ("2030-12-31", "once")
    # a field that holds no time is no deadline
    assert _due(f"{work}. Thời gian: theo tiến độ dự án.") == (None, "unspecified")


def test_districts_and_their_party_committees_are_collective_performers() -> None:
    assert _lead("Các huyện, thị xã, thành phố tổ chức tuyên truyền.") == [
        "Các huyện, thị xã, thành phố"
    ]
    assert _lead("Các huyện ủy, thành ủy trực thuộc Tỉnh ủy lãnh đạo, chỉ đạo.") == [
        "Các huyện ủy, thành ủy trực thuộc Tỉnh ủy"
    ]


def test_a_youth_union_named_by_its_level_is_a_unit_of_its_own() -> None:
    assert _lead("Hội Liên hiệp Phụ nữ tỉnh, Tỉnh đoàn tổ chức các hoạt động.") == [
        "Hội Liên hiệp Phụ nữ tỉnh",
        "Tỉnh đoàn",
    ]
    assert _lead("Huyện ủy chỉ đạo các chi bộ thực hiện.") == ["Huyện ủy"]
    # a city party committee after a collective of provinces completes it
    assert _lead("Các tỉnh, Thành ủy tổ chức thực hiện.") == ["Các tỉnh, Thành ủy"]


def test_a_semicolon_list_keeps_the_commas_of_its_names() -> None:
    names = split_units(
        "Các Cục: Bản quyền tác giả; Xuất bản, In và Phát hành; Báo chí. Vụ Kế hoạch, Tài chính"
    )
    assert names == [
        "Cục Bản quyền tác giả",
        "Cục Xuất bản, In và Phát hành",
        "Cục Báo chí",
        "Vụ Kế hoạch, Tài chính",
    ]
    assert split_units("Các Bộ: Công Thương, Xây dựng, Tài chính") == [
        "Bộ Công Thương",
        "Bộ Xây dựng",
        "Bộ Tài chính",
    ]
    # an abbreviation's full stop ends no list
    assert split_units("UBND TP. Hồ Chí Minh, UBND tỉnh Bình Dương") == [
        "UBND TP. Hồ Chí Minh",
        "UBND tỉnh Bình Dương",
    ]


def test_a_performer_after_an_opening_clause_in_a_later_sentence_performs_too() -> None:
    text = (
        "Sở Công Thương hoàn thiện Kế hoạch cao điểm chống buôn lậu. Trên cơ sở đó, Ban Chỉ "
        "đạo 389 các huyện xây dựng kế hoạch, tổ chức triển khai."
    )
    assert other_performers(text) == ["Ban Chỉ đạo 389 các huyện"]


def test_a_closing_appeal_adds_no_performer() -> None:
    text = (
        "Giao Ủy ban kiểm tra Đảng uỷ rà soát nội dung kiểm tra. Căn cứ kết luận này, đề nghị "
        "các cơ quan, đơn vị liên quan khẩn trương triển khai thực hiện./."
    )
    assert other_performers(text) == []


def test_a_verb_after_the_area_of_a_body_ends_its_name() -> None:
    sentence = "Các doanh nghiệp trên địa bàn tạo điều kiện cho người lao động nghỉ Tết."
    assert _lead(sentence) == ["Các doanh nghiệp trên địa bàn"]
    sentence = "Ngân hàng Nhà nước chi nhánh tỉnh chỉ đạo các tổ chức tín dụng giảm lãi suất."
    assert _lead(sentence) == ["Ngân hàng Nhà nước chi nhánh tỉnh"]


def test_provinces_merged_in_2025_are_still_written_out_one_per_province() -> None:
    assert split_units("Chủ tịch Ủy ban nhân dân các tỉnh: Lào Cai, Yên Bái, Hà Giang") == [
        "Ủy ban nhân dân tỉnh Lào Cai",
        "Ủy ban nhân dân tỉnh Yên Bái",
        "Ủy ban nhân dân tỉnh Hà Giang",
    ]


def test_an_occasion_with_its_date_is_a_deadline_but_a_session_is_not() -> None:
    text = "Thực hiện chi trả gộp lương hưu vào kỳ chi trả tháng 12 năm 2025 cho người dân."
    assert _due(text) == ("2025-12-31", "once")
    assert _due("Tổ chức lễ khánh thành vào dịp 19 tháng 12 năm 2025.") == ("2025-12-19", "once")
    assert _due("Báo cáo Hội đồng nhân dân tỉnh vào kỳ họp tháng 12 năm 2025.") == (
        None,
        "unspecified",
    )


def _normal(text: str) -> tuple[str | None, str]:
    deadline = normalise_deadline(text, ISSUED)
    return (deadline.due.isoformat() if deadline.due else None), deadline.kind.value


def test_a_run_of_months_ends_with_its_last_month() -> None:
    assert _normal("Tháng 9-10/2025") == ("2025-10-31", "once")
    assert _normal("tháng 11, 12/2025") == ("2025-12-31", "once")
    assert _normal("tháng 11 và 12 năm 2025") == ("2025-12-31", "once")
    assert normalise_deadline("Tháng 9-10/2025", ISSUED).span


def test_a_start_without_an_end_is_no_deadline() -> None:
    assert _normal("Từ năm 2026") == (None, "unspecified")
    assert _normal("Từ tháng 6/2025") == (None, "unspecified")
    # with its end it is a span
    assert _normal("Từ tháng 6 - tháng 9/2025") == ("2025-09-30", "once")
    assert _normal("từ ngày 01/10/2025 đến hết ngày 31/12/2025") == ("2025-12-31", "once")


def test_a_count_per_time_is_a_recurrence() -> None:
    assert _normal("06 tháng/lần") == (None, "recurring")
    assert _normal("trong 6 tháng") == (None, "unspecified")


def test_project_owners_asked_by_the_chair_perform() -> None:
    sentence = (
        "Đồng chí Chủ tịch UBND tỉnh yêu cầu các chủ đầu tư khẩn trương hoàn thiện hồ sơ, "
        "giải ngân hết kế hoạch vốn."
    )
    assert _lead(sentence) == ["các chủ đầu tư"]
    assert _lead("Các nhà thầu huy động thêm máy móc, nhân lực.") == ["Các nhà thầu"]


def test_a_party_caucus_leads_the_body_it_sits_in() -> None:
    sentence = "Đảng đoàn HĐND tỉnh lãnh đạo HĐND tỉnh ban hành các nghị quyết."
    assert _lead(sentence) == ["Đảng đoàn HĐND tỉnh"]


def test_the_labour_confederation_is_a_performer_whatever_its_case() -> None:
    sentence = "Đề nghị Tổng Liên đoàn lao động Việt Nam theo thẩm quyền xem xét, hướng dẫn."
    assert _lead(sentence) == ["Tổng Liên đoàn lao động Việt Nam"]


def test_central_unions_and_border_guards_are_performers() -> None:
    sentence = (
        "Đề nghị Trung ương Đoàn Thanh niên Cộng sản Hồ Chí Minh, Trung ương Hội Liên hiệp Phụ "
        "nữ Việt Nam tổ chức các hoạt động tình nguyện."
    )
    assert _lead(sentence) == [
        "Trung ương Đoàn Thanh niên Cộng sản Hồ Chí Minh",
        "Trung ương Hội Liên hiệp Phụ nữ Việt Nam",
    ]
    assert _lead("Bộ đội Biên phòng tỉnh phối hợp tuần tra biên giới.") == [
        "Bộ đội Biên phòng tỉnh"
    ]


def test_a_date_the_work_serves_yields_to_the_work_s_own_date() -> None:
    text = (
        "Để kịp báo cáo Thủ tướng Chính phủ trước ngày 30/11/2025, đề nghị các Bộ gửi ý kiến "
        "về Bộ Tư pháp trước ngày 20/11/2025."
    )
    assert _due(text) == ("2025-11-19", "once")
    # with no date of its own in the same sentence, the purpose's date stands
    text = "Để xong trước 31/12/2025, Sở Xây dựng đẩy nhanh tiến độ; báo cáo trước 15/12/2025."
    assert _due(text) == ("2025-12-30", "once")
