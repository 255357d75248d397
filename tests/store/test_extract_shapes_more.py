"""Shapes met in directives added to the corpus later (synthetic inputs written for the test).

A repeated table header without its number column, a performer named in the paragraph under
the item, a city addressed by its kind in the sentence that introduces the list, and things
that read like bodies but are not (``Các cơ sở dữ liệu ... gồm có``, ``Các ngành, lĩnh vực``).
"""

from __future__ import annotations

from store.importing import extract
from store.importing.clauses import find_subject, unit_heading
from store.importing.subjects import addressed
from tests.store.corpus_score import CORPUS
from tests.store.extract_support import outline_tasks


def _flat_table(*rows: list[str]) -> str:
    """A table copied one cell per line, each cell after a ``|`` line."""
    out = []
    for row in rows:
        out += [f"|\n{cell}" for cell in row]
        out.append("|")
    return "\n".join(out)


def test_a_header_repeated_without_its_number_column_keeps_the_columns_in_place() -> None:
    header = ["Nội dung", "Đơn vị thực hiện", "Đơn vị phối hợp", "Thời gian thực hiện"]
    table = _flat_table(
        ["**B**", "**PHÁT TRIỂN KINH TẾ SỐ NGÀNH, LĨNH VỰC**"],
        ["**I**", "**Nông nghiệp và môi trường**"],
        header,
        ["1.1", "Xây dựng kế hoạch kinh tế số trong nông nghiệp", "Sở Nông nghiệp và Môi trường",
         "Các sở, ban, ngành", "2026 - 2030"],
        ["1.2", "Triển khai nền tảng dữ liệu số nông nghiệp", "Sở Nông nghiệp và Môi trường",
         "UBND các phường, xã", "Năm 2026"],
    )  # fmt: skip
    text = "\n".join(
        ["ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI", "Số: 179/KH-UBND", "KẾ HOẠCH", "PHỤ LỤC", table]
    )
    tasks = {task.title: task for task in extract(text.encode(), "kh.md").tasks}
    first = tasks["Xây dựng kế hoạch kinh tế số trong nông nghiệp"]
    assert first.lead == ["Sở Nông nghiệp và Môi trường"]
    assert first.deadline_text == "2026 - 2030"
    assert tasks["Triển khai nền tảng dữ liệu số nông nghiệp"].deadline_text == "Năm 2026"


def test_the_performer_in_the_paragraph_under_a_noun_item_leads_it() -> None:
    # Shaped after the programme 22-CTr/ĐU of the Công Hải commune Party committee (corpus).
    lines = (CORPUS / "conghai-ctr22-2025.md").read_text(encoding="utf-8").splitlines()
    body = lines[lines.index("II. CÁC NỘI DUNG CỤ THỂ KHÁC") : lines.index("3. Năm 2028")]
    text = "\n".join(["ĐẢNG UỶ XÃ CÔNG HẢI", "Số 22-CTr/ĐU", "CHƯƠNG TRÌNH", *body])
    tasks = extract(text.encode(), "ctr.txt").tasks
    first = next(t for t in tasks if t.title.startswith("Nghị quyết về phát triển kinh tế"))
    assert first.lead == ["Đảng uỷ UBND xã"]
    assert first.deadline_text == "trong tháng 01/2026"
    assert len(tasks) == 7 and all(t.lead == ["Đảng uỷ UBND xã"] for t in tasks)


def test_a_paragraph_that_does_not_open_with_a_body_names_no_performer_below() -> None:
    text = "\n".join(
        [
            "2. Tóm tắt nội dung",
            "về cuộc họp ngày 13/10/2025, Thường trực Đảng uỷ họp nghe báo cáo công tác.",
        ]
    )
    assert outline_tasks(text) == []


def test_a_city_addressed_by_its_kind_leads_the_list_its_sentence_introduces() -> None:
    sentence = (
        "Để tiếp tục vận hành chính quyền địa phương 02 cấp hiệu quả, thành phố Đà Nẵng "
        "cần tập trung thực hiện tốt một số nhiệm vụ, giải pháp sau đây:"
    )
    assert addressed(sentence, subject=True) == ["thành phố Đà Nẵng"]


def test_contents_and_fields_of_activity_are_not_bodies() -> None:
    assert find_subject("Các cơ sở dữ liệu chuyên ngành du lịch gồm có: Dữ liệu lưu trú.") is None
    assert unit_heading("7. Các ngành, lĩnh vực khác") is None
    assert find_subject("Các ngành, lĩnh vực khác xây dựng kế hoạch hành động.") is None
    assert find_subject("Các sở, ngành khác xây dựng kế hoạch hành động.") is not None


def test_three_glued_syllables_are_three_words() -> None:
    from store.importing.glue import fix_glued

    assert fix_glued("Uỷ ban Kiểm tra Đảng uỷchủtrì tham mưu") == (
        "Uỷ ban Kiểm tra Đảng uỷ chủ trì tham mưu"
    )
    assert fix_glued("video email nghiên cứu") == "video email nghiên cứu"


def test_what_a_body_is_to_decide_on_is_the_contents_of_one_task() -> None:
    text = "\n".join(
        [
            "1. Sở Tài chính:",
            "a) Tham mưu Ủy ban nhân dân tỉnh trình Hội đồng nhân dân cấp tỉnh quyết định:",
            "- Phương án phân bổ vốn kế hoạch đầu tư công trung hạn;",
            "- Mức vốn đối ứng từ ngân sách địa phương;",
            "b) Tổ chức triển khai các dự án do Bộ Công an chủ trì:",
            "- Dự án 1: Phòng ngừa, đấu tranh tội phạm về ma túy;",
            "- Tiểu dự án 2 (Dự án 7): Nâng cao hiệu quả truyền thông.",
        ]
    )
    refs = [task.ref for task in outline_tasks(text)]
    assert refs == ["1.a", "1.b"]


def test_a_paragraph_between_two_items_of_a_list_is_no_lost_section() -> None:
    text = "\n".join(
        [
            "CHÍNH PHỦ",
            "Số: 641/TB-VPCP",
            "THÔNG BÁO",
            "I. ĐÁNH GIÁ CHUNG",
            "Thời gian qua, thành phố đã đạt nhiều kết quả quan trọng.",
            "Để tiếp tục vận hành chính quyền địa phương 02 cấp hiệu quả, thành phố Đà Nẵng "
            "cần tập trung thực hiện tốt một số nhiệm vụ, giải pháp sau đây:",
            "1. Cấp ủy, chính quyền Thành phố phải xác định việc vận hành chính quyền hai cấp "
            "là nhiệm vụ hết sức quan trọng.",
            "Ủy ban nhân dân Thành phố chỉ đạo các sở, ngành tăng cường bồi dưỡng cán bộ.",
            "2. Tập trung rà soát, đánh giá việc phân cấp, phân quyền.",
            "3. Chuẩn bị các điều kiện cần thiết cho mùa mưa bão.",
            "II. VỀ CÁC KIẾN NGHỊ",
            "1. Bộ Nội vụ hướng dẫn việc sắp xếp đơn vị sự nghiệp.",
        ]
    )
    tasks = {task.ref: task for task in extract(text.encode(), "tb.txt").tasks}
    assert set(tasks) == {"I.1", "I.2", "I.3", "II.1"}
    assert tasks["I.2"].lead == ["thành phố Đà Nẵng"]
    assert "Ủy ban nhân dân Thành phố chỉ đạo" in tasks["I.1"].body


def test_closings_authorisations_and_accountability_are_no_tasks() -> None:
    from store.importing.not_tasks import NOT_A_TASK, answers_for

    assert NOT_A_TASK.match("Trên đây là Kế hoạch truyền thông về giảm nghèo của Ủy ban nhân dân.")
    assert not NOT_A_TASK.match(
        "Trên đây là một số nội dung trọng tâm, Ban Chỉ đạo đề nghị các Bộ trưởng báo cáo kết "
        "quả trước ngày 03/12/2025."
    )
    assert NOT_A_TASK.match(
        "Trong quá trình thực hiện nếu có khó khăn, vướng mắc đề nghị báo cáo."
    )
    assert NOT_A_TASK.match("Ủy quyền cho Lãnh đạo Bộ Xây dựng ký Hiệp định.")
    assert answers_for("Bộ Y tế chịu trách nhiệm về tính chính xác của số liệu.")
    assert not answers_for("Bộ Y tế chịu trách nhiệm tổng hợp số liệu, báo cáo Chính phủ.")
    assert find_subject("Các thông số: Thuốc bảo vệ thực vật quan trắc 2 lần/năm.") is None


def test_a_colon_list_without_cac_and_a_body_that_makes_contact() -> None:
    from store.importing.unit_lists import expand_colon_list

    assert expand_colon_list("Bộ: NN&MT, Xây dựng, Y tế") == ["Bộ NN&MT", "Bộ Xây dựng", "Bộ Y tế"]
    found = find_subject("Văn phòng Đảng uỷ liên hệ Viễn thông Khánh Hoà lắp đặt đường truyền.")
    assert found is not None and found[0] == ["Văn phòng Đảng uỷ"]


def test_a_shared_level() -> None:
    from store.importing.units import split_units

    assert split_units("HĐND, UBND xã, các cơ quan tham mưu") == [
        "HĐND xã", "UBND xã", "các cơ quan tham mưu",
    ]  # fmt: skip
    assert split_units("Sở Tài chính, UBND xã") == ["Sở Tài chính", "UBND xã"]


def test_officers_by_portfolio_blanks_of_a_form_and_catch_alls() -> None:
    from store.importing.not_tasks import NOT_A_TASK

    assert unit_heading("Cán bộ phụ trách lĩnh vực giám sát và phản biện xã hội:") == [
        "Cán bộ phụ trách lĩnh vực giám sát và phản biện xã hội"
    ]
    found = find_subject("Đồng chí Phó Chủ tịch Thường trực Ủy ban MTTQ xã trực tiếp tham mưu.")
    assert found is not None and found[0] == ["Thường trực Ủy ban MTTQ xã"]
    assert NOT_A_TASK.match("Thực hiện các nhiệm vụ khác theo yêu cầu của Ban Thường trực.")
    text = "\n".join(
        [
            "ỦY BAN MTTQ VIỆT NAM XÃ LƯƠNG MINH",
            "KẾ HOẠCH",
            "1. Ban công tác Mặt trận các thôn rà soát danh sách cử tri.",
            "2. ……………………… Chức vụ ………………………: ghi rõ nhiệm kỳ của HĐND cấp xã.",
        ]
    )
    tasks = extract(text.encode(), "kh.txt").tasks
    assert [task.ref for task in tasks] == ["1"]


def test_fields_funding_and_the_closing_clause_are_no_tasks() -> None:
    from store.importing.not_tasks import NOT_A_TASK

    for text in (
        "Thành phần đoàn: Trưởng đoàn là đại diện Lãnh đạo Ban Thường trực.",
        "Phương pháp: Kết hợp nghe báo cáo trực tiếp và nghiên cứu hồ sơ.",
        "Khách mời: Chủ tịch HĐND xã, người ứng cử đại biểu Hội đồng nhân dân.",
        "Đối tượng làm công tác đối ngoại không thường xuyên: cán bộ, công chức các cơ quan.",
        "Kinh phí triển khai các nhiệm vụ thực hiện theo quy định hiện hành.",
        "Bộ trưởng Bộ Công Thương và Thủ trưởng các cơ quan có liên quan chịu trách nhiệm thi "
        "hành Nghị quyết này.",
    ):
        assert NOT_A_TASK.match(text), text
    assert not NOT_A_TASK.match("Chịu trách nhiệm toàn diện trước Bộ trưởng về tiến độ.")


def test_a_requirement_on_how_work_is_done_is_no_task() -> None:
    from store.importing.not_tasks import NOT_A_TASK

    assert NOT_A_TASK.match(
        "Việc sắp xếp thôn, tổ dân phố phải bảo đảm phù hợp với tiêu chí, điều kiện theo quy định."
    )
    assert not NOT_A_TASK.match(
        "Việc bàn giao tài sản do Sở Tài chính chủ trì, xong trong tháng 6."
    )
