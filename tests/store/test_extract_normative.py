"""Normative documents and decisions publishing administrative procedures: only the duties of
public bodies are tasks, not the standing steps of a procedure (synthetic text in the shapes of
a Prime Minister's normative decision, 2026, and of a provincial decision publishing
procedures, 2025)."""

from __future__ import annotations

from store.importing import extract
from store.importing.rows import column_of

_NORMATIVE = """\
THỦ TƯỚNG CHÍNH PHỦ
Số: 28/2026/QĐ-TTg
Hà Nội, ngày 29 tháng 5 năm 2026
QUYẾT ĐỊNH
Về việc cấp và quản lý thẻ đi lại của doanh nhân APEC
Điều 14. Trình tự xét duyệt
1. Trường hợp hồ sơ hợp lệ thì Cục Quản lý xuất nhập cảnh, Bộ Công an tiếp nhận, xử lý.
2. Trong thời hạn 03 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ, Cục Quản lý xuất nhập cảnh có văn bản trả lời.
3. Đối với các trường hợp quy định tại khoản 7 Điều 16 Quyết định này thì Bộ Tư pháp có trách nhiệm thông báo.
Điều 15. Trách nhiệm của các bộ, ngành
1. Bộ Công an chủ trì xây dựng cơ sở dữ liệu về thẻ ABTC, hoàn thành trước ngày 31 tháng 12 năm 2026.
2. Trong thời hạn 03 tháng kể từ ngày Quyết định này có hiệu lực, Bộ Ngoại giao hướng dẫn các cơ quan đại diện.
3. Bộ Tài chính định kỳ hằng năm báo cáo tình hình sử dụng thẻ.
4. Thống đốc Ngân hàng Nhà nước Việt Nam xem xét cho phép sử dụng thẻ đối với các trường hợp quy định tại Điều 9.
Mẫu số 01
1. Họ và tên: ……………………………………
2. Ngày, tháng, năm sinh: ……………………
"""  # noqa: E501


def test_a_procedures_standing_steps_are_no_tasks():
    tasks = {t.ref: t for t in extract(_NORMATIVE.encode(), "qd28.txt").tasks}
    assert not any(ref.startswith("Đ14") for ref in tasks)
    assert tasks["Đ15.1"].lead == ["Bộ Công an"]
    # a limit counted from the decision's entry into force is a task's deadline, not a step's
    assert tasks["Đ15.2"].lead == ["Bộ Ngoại giao"]
    assert tasks["Đ15.3"].lead == ["Bộ Tài chính"]
    assert not any("Họ và tên" in t.title for t in tasks.values())  # a form's blank fields
    assert "Đ15.4" not in tasks  # who may allow what: a power, not work


_PUBLISHING = """\
ỦY BAN NHÂN DÂN TỈNH LAI CHÂU
Số: 2926/QĐ-UBND
Lai Châu, ngày 20 tháng 11 năm 2025
QUYẾT ĐỊNH
Công bố danh mục thủ tục hành chính lĩnh vực dược
Điều 1. Công bố kèm theo Quyết định này danh mục thủ tục hành chính lĩnh vực dược.
Điều 2. Giao Văn phòng UBND tỉnh chủ trì, phối hợp với Sở Y tế thiết lập quy trình điện tử trên Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh.
Nơi nhận:
- Như Điều 3;
PHỤ LỤC
DANH MỤC THỦ TỤC HÀNH CHÍNH LĨNH VỰC DƯỢC
1. Sở Y tế tiếp nhận hồ sơ đề nghị cấp phép nhập khẩu thuốc.
2. Sở Y tế cấp phép xuất khẩu thuốc thuộc hành lý cá nhân.
NỘI DUNG CỤ THỂ CỦA TỪNG THỦ TỤC HÀNH CHÍNH
1. Trình tự thực hiện:
a) Cơ sở nộp hồ sơ về Sở Y tế.
b) Sở Y tế thẩm định hồ sơ và cấp phép.
2. Thành phần hồ sơ:
a) Đơn đề nghị theo mẫu.
"""  # noqa: E501


def test_a_decision_publishing_procedures_gives_only_its_assignments():
    tasks = extract(_PUBLISHING.encode(), "qd2926.txt").tasks
    assert [t.lead for t in tasks] == [["Văn phòng UBND tỉnh"]]


def test_procedure_fields_in_the_body_are_no_tasks():
    text = _NORMATIVE.replace(
        "Điều 14. Trình tự xét duyệt\n",
        "Điều 14. Thủ tục cấp thẻ\n4. Trình tự thực hiện:\n"
        "a) Doanh nhân nộp hồ sơ tại Cục Quản lý xuất nhập cảnh.\n"
        "b) Cục Quản lý xuất nhập cảnh tiếp nhận, kiểm tra hồ sơ.\n",
    )
    refs = {t.ref for t in extract(text.encode(), "qd28.txt").tasks}
    assert not any(ref.startswith("Đ14") for ref in refs)


def test_a_column_naming_the_group_of_a_row_is_not_its_task():
    assert column_of("Thuộc nhóm nhiệm vụ, hành động") is None
    assert column_of("Nội dung nhiệm vụ") == "title"


def test_a_bare_carry_out_item_is_no_task():
    text = """\
CHÍNH PHỦ
Số: 22/2026/NQ-CP
Hà Nội, ngày 29 tháng 4 năm 2026
NGHỊ QUYẾT
Điều 4. Tổ chức thực hiện
1. Bộ Công an có trách nhiệm:
a) Tổ chức thi hành Nghị quyết này.
b) Soạn thảo, trình ban hành các văn bản sửa đổi trước ngày 01 tháng 3 năm 2027.
"""
    tasks = extract(text.encode(), "nq22.txt").tasks
    assert [t.title[:9] for t in tasks] == ["Soạn thảo"]


_DECENTRALISING = """\
CHÍNH PHỦ
Số: 66.19/2026/NQ-CP
Hà Nội, ngày 18 tháng 5 năm 2026
NGHỊ QUYẾT
Điều 4. Tổ chức thực hiện
1. Bộ Nông nghiệp và Môi trường soạn thảo, trình ban hành các văn bản sửa đổi tại Phụ lục trước ngày 01 tháng 3 năm 2027.
Nơi nhận:
- Như trên;
Phụ lục I
PHÂN CẤP THỦ TỤC HÀNH CHÍNH LĨNH VỰC TRỒNG TRỌT
A. Thủ tục cấp giấy chứng nhận
1. Ủy ban nhân dân cấp tỉnh xét tính hợp lệ của hồ sơ theo quy định.
2. Sở Nông nghiệp và Môi trường thẩm định hồ sơ và trình cấp giấy chứng nhận.
C. DANH MỤC VĂN BẢN QUY PHẠM PHÁP LUẬT ĐƯỢC ĐỀ XUẤT SỬA ĐỔI
1. Bộ Nông nghiệp và Môi trường chủ trì sửa đổi Nghị định số 66/2016/NĐ-CP.
"""  # noqa: E501


def test_an_appendix_setting_out_decentralised_procedures_gives_no_tasks():
    tasks = extract(_DECENTRALISING.encode(), "nq6619.txt").tasks
    titles = [t.title for t in tasks]
    assert not any("xét tính hợp lệ" in title or "thẩm định hồ sơ" in title for title in titles)
    amend = "Bộ Nông nghiệp và Môi trường chủ trì sửa đổi"
    assert any(title.startswith(amend) for title in titles)


def test_a_lettered_list_of_procedures_in_an_appendix_gives_no_tasks():
    text = _PUBLISHING.replace(
        "DANH MỤC THỦ TỤC HÀNH CHÍNH LĨNH VỰC DƯỢC\n",
        "DANH MỤC\nTHỦ TỤC HÀNH CHÍNH LĨNH VỰC DƯỢC\n(Kèm theo Quyết định số 2926/QĐ-UBND)\n"
        "A. DANH MỤC THỦ TỤC HÀNH CHÍNH ĐƯỢC SỬA ĐỔI\n",
    )
    tasks = extract(text.encode(), "qd2637.txt").tasks
    assert [t.lead for t in tasks] == [["Văn phòng UBND tỉnh"]]


def test_an_appendix_after_a_procedures_appendix_is_read_again():
    text = _DECENTRALISING.replace(
        "C. DANH MỤC VĂN BẢN QUY PHẠM PHÁP LUẬT ĐƯỢC ĐỀ XUẤT SỬA ĐỔI\n",
        "Hồ sơ gồm các giấy tờ tại Phụ lục này;\n"
        "3. Sở Nông nghiệp và Môi trường cấp giấy chứng nhận.\n"
        "Phụ lục II\nCÁC VĂN BẢN THỰC HIỆN SỬA ĐỔI, BỔ SUNG\n",
    )
    titles = [t.title for t in extract(text.encode(), "nq18.txt").tasks]
    assert not any("cấp giấy chứng nhận" in title for title in titles)  # "Phụ lục này;"
    assert any(
        title.startswith("Bộ Nông nghiệp và Môi trường chủ trì sửa đổi") for title in titles
    )
