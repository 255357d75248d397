"""Closing paragraphs, appeals, purpose clauses and named days (synthetic inputs written for the
test).

A paragraph after the last item that names another performer is a task ``<item>+<n>``; a
closing appeal is not; a purpose clause before ``... yêu cầu:`` dates nothing; a weekday before
a date and a named Tết are read as ARCHITECTURE §4 and the corpus README say.
"""

from __future__ import annotations

from datetime import date

import pytest

from store.deadlines import normalise_deadline
from store.importing.cleanup import drop_repeated_passages
from store.importing.items import parse_outline
from store.importing.not_tasks import is_appeal
from store.importing.phrases import find_deadline
from store.importing.subjects import intro_deadline
from store.models import TaskKind
from tests.store.extract_support import TELEGRAM_HEADER as _HEADER
from tests.store.extract_support import telegram_tasks as _tasks


def test_paragraph_after_the_last_item_with_its_own_performer_is_a_task() -> None:
    text = _HEADER + (
        "Để bảo đảm chỗ ở cho Nhân dân trước Tết nguyên đán năm 2026, Thủ tướng Chính phủ"
        " yêu cầu:\n"
        "1. Bộ Xây dựng hướng dẫn các địa phương sửa chữa nhà ở cho người dân.\n"
        "2. Bộ Quốc phòng chỉ đạo các đơn vị hỗ trợ người dân dựng lại nhà cửa.\n"
        "Văn phòng Chính phủ theo dõi, đôn đốc các Bộ thực hiện Công điện này, báo cáo"
        " Thủ tướng Chính phủ.\n"
    )
    tasks = _tasks(text)
    assert tasks["2+1"][1] == ["Văn phòng Chính phủ"]
    assert tasks["2"][1] == ["Bộ Quốc phòng"]
    assert "Văn phòng" not in tasks["2"][0]
    # The purpose clause before "yêu cầu:" dates none of the items.
    assert tasks["1"][2] == "" and tasks["2"][2] == ""


def test_paragraph_after_an_item_that_is_not_the_last_stays_with_it() -> None:
    text = _HEADER + (
        "Thủ tướng Chính phủ yêu cầu:\n"
        "1. Bộ Xây dựng hướng dẫn các địa phương sửa chữa nhà ở cho người dân.\n"
        "Bộ Tài chính bố trí kinh phí cho việc sửa chữa nhà ở.\n"
        "2. Bộ Quốc phòng chỉ đạo các đơn vị hỗ trợ người dân dựng lại nhà cửa.\n"
    )
    tasks = _tasks(text)
    assert set(tasks) == {"1", "2"}


def test_closing_appeal_and_the_issuer_itself_give_no_task() -> None:
    text = _HEADER + (
        "Thủ tướng Chính phủ yêu cầu:\n"
        "1. Bộ Xây dựng hướng dẫn các địa phương sửa chữa nhà ở cho người dân.\n"
        "2. Bộ Quốc phòng chỉ đạo các đơn vị hỗ trợ người dân dựng lại nhà cửa.\n"
        "Thành phố đánh giá, xem xét trách nhiệm người đứng đầu các cơ quan chậm trễ.\n"
        "Thành phố đề nghị các cơ quan, đơn vị khẩn trương, nghiêm túc triển khai thực hiện"
        " đầy đủ các nội dung chỉ đạo nêu trên theo thẩm quyền và quy định pháp luật.\n"
    )
    assert set(_tasks(text)) == {"1", "2"}


def test_appeal_to_carry_out_under_the_law_is_an_appeal() -> None:
    assert is_appeal(
        "Đề nghị các cơ quan, đơn vị nghiêm túc triển khai thực hiện đầy đủ các nội dung chỉ"
        " đạo nêu trên theo thẩm quyền và quy định pháp luât."
    )
    assert not is_appeal("Đề nghị Sở Tài chính theo quy định rà soát kinh phí hỗ trợ.")


def test_purpose_clause_before_the_request_sets_no_deadline() -> None:
    assert intro_deadline("Để bảo đảm an toàn trước ngày 30/6/2025, Bộ trưởng yêu cầu:") == ""
    assert intro_deadline("Trước ngày 30/6/2025, Bộ trưởng yêu cầu:") == "Trước ngày 30/6/2025"


@pytest.mark.parametrize(
    ("text", "issued_on", "due", "kind"),
    [
        ("trước Thứ Tư ngày 03/12/2025", None, date(2025, 12, 2), TaskKind.ONCE),
        ("trước thứ Sáu, ngày 28/11/2025", None, date(2025, 11, 27), TaskKind.ONCE),
        ("vào Chủ nhật, ngày 30/11/2025", None, date(2025, 11, 30), TaskKind.ONCE),
        # The strict `trước` bears on the hour, not the day.
        ("trước 17 giờ ngày 27/11/2025", None, date(2025, 11, 27), TaskKind.ONCE),
        ("trước 15:00 ngày thứ Sáu hàng tuần", None, None, TaskKind.RECURRING),
        # Tết is the lunar new year of the year named (2026-02-17), strict before it.
        ("trước Tết nguyên đán năm 2026", None, date(2026, 2, 16), TaskKind.ONCE),
        ("Tết Nguyên đán Bính Ngọ 2026", None, date(2026, 2, 17), TaskKind.ONCE),
        ("trước Tết Nguyên đán", date(2025, 11, 20), date(2026, 2, 16), TaskKind.ONCE),
        ("trước Tết Nguyên đán", date(2025, 1, 10), date(2025, 1, 28), TaskKind.ONCE),
        ("trước Tết Dương lịch 2026", None, date(2025, 12, 31), TaskKind.ONCE),
        ("trước Tết Nguyên đán", None, None, TaskKind.UNSPECIFIED),
    ],
)
def test_weekdays_and_named_holidays(text, issued_on, due, kind) -> None:
    read = normalise_deadline(text, issued_on)
    assert (read.due, read.kind) == (due, kind)


def test_named_holiday_is_a_deadline_phrase() -> None:
    assert (
        find_deadline("Bộ Tài chính đề xuất hỗ trợ nhà ở trước Tết nguyên đán năm 2026.")
        == "trước Tết nguyên đán năm 2026"
    )
    assert (
        find_deadline("Hoàn thành trước Tết Nguyên đán Bính Ngọ 2026.")
        == "Hoàn thành trước Tết Nguyên đán Bính Ngọ 2026"
    )
    assert find_deadline("Bảo đảm an ninh trong dịp Tết Nguyên đán.") == ""


def test_a_record_under_a_heading_does_not_hide_its_siblings_records() -> None:
    text = _HEADER.replace("CÔNG ĐIỆN", "KẾ HOẠCH") + (
        "II. NHIỆM VỤ\n"
        "1. Về dữ liệu\n"
        "1.1. Xây dựng chiến lược dữ liệu của tỉnh:\n"
        "a) Nhiệm vụ: Tham mưu UBND tỉnh ban hành chiến lược dữ liệu.\n"
        "b) Cơ quan thực hiện:\n"
        "- Đơn vị chủ trì: Sở Khoa học và Công nghệ.\n"
        "- Đơn vị phối hợp: Các sở, ngành.\n"
        "c) Thời gian thực hiện: Hoàn thành trong năm 2025.\n"
        "1.2. Phát triển dữ liệu:\n"
        "a) Nhiệm vụ:\n"
        "- Rà soát, chuẩn hóa cơ sở dữ liệu của đơn vị.\n"
        "- Số hóa các cơ sở dữ liệu chuyên ngành.\n"
        "b) Cơ quan thực hiện:\n"
        "- Đơn vị chủ trì: Các sở, ngành.\n"
        "- Đơn vị phối hợp: Sở Khoa học và Công nghệ.\n"
        "c) Thời gian thực hiện: Quý IV/2025.\n"
    )
    tasks = _tasks(text)
    assert tasks["II.1.1.a"][1] == ["Sở Khoa học và Công nghệ"]
    assert tasks["II.1.2.a.1"][1:] == (["Các sở, ngành"], "Quý IV/2025")
    assert tasks["II.1.2.a.2"][1] == ["Các sở, ngành"]


def test_the_same_item_listed_under_two_headings_is_kept_twice() -> None:
    record = [
        "",
        "a) Nghị định quy định chi tiết",
        "thi hành một số điều của Luật Tiêu chuẩn và quy chuẩn kỹ thuật và Luật sửa đổi,",
        "bổ sung một số điều của Luật Tiêu chuẩn và quy chuẩn kỹ thuật.",
        "",
        "- Cơ quan chủ trì: Sở Khoa học và Công nghệ; cơ quan phối hợp: các sở, ngành.",
        "",
    ]
    lines = [
        "3.1. Tham gia góp ý kiến vào dự thảo các văn bản quy định chi tiết",
        *record,
        "3.2. Tổ chức triển khai các văn bản hướng dẫn thi hành Luật",
        *record,
    ]
    assert drop_repeated_passages(lines) == lines
    # A page that carries its opening twice still loses the second copy.
    opening = [
        "Thực hiện Nghị quyết số 01/NQ-CP ngày 08/01/2025 của Chính phủ về nhiệm vụ chủ yếu,",
        "Ủy ban nhân dân tỉnh ban hành Kế hoạch thực hiện với các nội dung sau đây nhằm bảo",
        "đảm hoàn thành các mục tiêu, chỉ tiêu kinh tế - xã hội được giao trong năm 2025.",
    ]
    assert drop_repeated_passages([*opening, "1. Nội dung", *opening]) == [
        *opening,
        "1. Nội dung",
    ]


def test_addressees_listed_as_bullets_give_no_task() -> None:
    # "Kính gửi:" was lost (read as a table cell): the bullets naming one unit each and closed
    # by ";" are the addressees, and the background after them is no task of the last one.
    tasks, _, _ = parse_outline(
        [
            "- Sở Tài chính;",
            "- Sở Xây dựng;",
            "- Viện Nghiên cứu phát triển.",
            "Thủ tướng Chính phủ đã ban hành Chỉ thị số 33/CT-TTg ngày 06/11/2025 về đẩy mạnh"
            " thực hiện các nhiệm vụ được giao.",
            "1. Sở Tài chính rà soát, tổng hợp các nhiệm vụ chậm tiến độ.",
            "2. Sở Xây dựng hoàn thành thủ tục đầu tư các dự án trọng điểm.",
        ]
    )
    assert [task.ref for task in tasks] == ["1", "2"]
    # A unit heading over its own paragraph is still a task.
    tasks, _, _ = parse_outline(["1. Nhiệm vụ", "- Sở Tài chính:", "Rà soát kinh phí."])
    assert [(task.ref, task.lead) for task in tasks] == [("1.1", ["Sở Tài chính"])]
