"""Parts of a letter that are no tasks of their own, and the date a letter's closing request
sets (synthetic text in the shapes of a provincial department's letter, 2025, and of a
commune Front's election guidance)."""

from __future__ import annotations

from store.importing import extract

_HEADER = """\
SỞ TƯ PHÁP TỈNH LÂM ĐỒNG
Số: 223/STP-BTTP
Lâm Đồng, ngày 31 tháng 7 năm 2025
V/v hợp nhất tổ chức xã hội - nghề nghiệp
"""

_BASES = (
    _HEADER
    + """\
Sở Tư pháp đề nghị:
1. Đối với việc hợp nhất Ban Chủ nhiệm Đoàn Luật sư
Đề nghị các Ban Chủ nhiệm các Đoàn Luật sư (Lâm Đồng, Đắk Nông, Bình Thuận cũ), căn cứ quy định tại:
- Luật Luật sư năm 2006, được sửa đổi, bổ sung năm 2012;
- Nghị định số 126/2024/NĐ-CP ngày 08/10/2024 của Chính phủ tổ chức, hoạt động và quản lý hội;
- Công văn số 358/LĐLSVN-BTV ngày 16/7/2025 của Liên Đoàn Luật sư Việt Nam về việc hướng dẫn các Đoàn Luật sư thực hiện hợp nhất.
xây dựng Đề án hợp nhất, gửi về Sở Tư pháp trước ngày 15/8/2025.
2. Giao Phòng Bổ trợ tư pháp theo dõi, đôn đốc việc thực hiện.
Nơi nhận:
- Như trên;
"""  # noqa: E501
)


def test_legal_bases_cited_under_a_request_are_no_tasks():
    tasks = extract(_BASES.encode(), "cv223.txt").tasks
    assert [t.ref for t in tasks] == ["1", "2"]
    first = tasks[0]
    assert first.lead == ["các Ban Chủ nhiệm các Đoàn Luật sư"]
    assert first.deadline_text == "trước ngày 15/8/2025"  # after the last basis cited
    assert "Nghị định số 126/2024/NĐ-CP" in first.body  # the bases stay in its body
    assert tasks[1].lead == ["Phòng Bổ trợ tư pháp"]


_RULES = """\
ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM XÃ LƯƠNG MINH
Số: 12/HD-MTTQ
Lương Minh, ngày 20 tháng 11 năm 2025
HƯỚNG DẪN
Mặt trận tham gia công tác bầu cử
1. Ban Thường trực Ủy ban MTTQ Việt Nam xã tiếp nhận, phân loại, xử lý các đơn, thư khiếu nại, tố cáo liên quan đến công tác bầu cử theo quy trình cụ thể sau đây:
- Khiếu nại, tố cáo về việc thành lập các tổ chức bầu cử ở địa phương thì chuyển đến Ủy ban nhân dân cấp ra quyết định thành lập các tổ chức bầu cử đó giải quyết.
- Khiếu nại về việc lập danh sách cử tri thì chuyển đến cơ quan lập danh sách cử tri giải quyết.
- Khiếu nại liên quan đến việc tổ chức hội nghị cử tri thì chuyển đến Ban Thường trực Ủy ban MTTQ Việt Nam cấp tổ chức hội nghị giải quyết.
2. Ban Công tác Mặt trận các thôn tuyên truyền về cuộc bầu cử.
"""  # noqa: E501


def test_rules_under_an_item_say_how_its_work_is_done():
    tasks = extract(_RULES.encode(), "hd.txt").tasks
    assert [t.ref for t in tasks] == ["1", "2"]
    assert tasks[0].lead == ["Ban Thường trực Ủy ban MTTQ Việt Nam xã"]
    assert "thì chuyển đến cơ quan lập danh sách" in tasks[0].body


_ROSTER = """\
ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM XÃ LƯƠNG MINH
Số: 20/KH-MTTQ
Lương Minh, ngày 20 tháng 01 năm 2026
KẾ HOẠCH
Tổ chức hội nghị hiệp thương lần thứ hai
I. THÀNH PHẦN HỘI NGHỊ
Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam xã triệu tập và chủ trì hội nghị gồm:
1. Đại biểu khách mời:
- Đại diện Ủy ban bầu cử xã;
- Đại diện Thường trực Ủy ban nhân dân xã.
II. TỔ CHỨC THỰC HIỆN
1. Văn phòng Ủy ban MTTQ xã chuẩn bị tài liệu hội nghị trước ngày 01/02/2026.
"""


def test_who_attends_is_no_work_even_under_a_sentence_naming_the_host():
    tasks = extract(_ROSTER.encode(), "kh.txt").tasks
    assert [t.ref for t in tasks] == ["II.1"]


_ASSESSMENT = """\
VĂN PHÒNG CHÍNH PHỦ
Số: 641/TB-VPCP
Hà Nội, ngày 25 tháng 11 năm 2025
THÔNG BÁO
I. ĐÁNH GIÁ CHUNG
Thành phố đã đạt nhiều kết quả quan trọng.
Để tiếp tục vận hành hiệu quả chính quyền địa phương hai cấp, thành phố Đà Nẵng cần tập trung thực hiện các nhiệm vụ sau đây:
1. Rà soát, đánh giá việc phân cấp, phân quyền.
2. Đẩy mạnh chuyển đổi số.
"""  # noqa: E501


def test_an_assessment_that_hands_its_items_out_still_gives_tasks():
    tasks = extract(_ASSESSMENT.encode(), "tb.txt").tasks
    assert [t.ref for t in tasks] == ["I.1", "I.2"]
    assert tasks[0].lead == ["thành phố Đà Nẵng"]


_SEND_BACK = """\
BỘ NỘI VỤ
Số: 5816/BNV-TCBC
Hà Nội, ngày 30 tháng 7 năm 2025
V/v cập nhật số liệu
Kính gửi: Các bộ, cơ quan ngang bộ.
Trên cơ sở đó, Bộ Nội vụ đề nghị các bộ, cơ quan ngang bộ cập nhật, bổ sung số liệu theo các phụ lục được gửi kèm Công văn này.
Số liệu của các bộ, ngành đề nghị gửi về Bộ Nội vụ trước ngày 10 tháng 8 năm 2025 để tổng hợp theo quy định.
Nơi nhận:
- Như trên;
"""  # noqa: E501

_SEND_BACK_LIST = """\
BỘ TÀI CHÍNH
Số: 17809/BTC-TK
Hà Nội, ngày 10 tháng 11 năm 2025
Kính gửi: Ủy ban nhân dân các tỉnh, thành phố.
Bộ Tài chính đề nghị Ủy ban nhân dân các tỉnh, thành phố:
1. Chỉ đạo các Sở, ngành đánh giá thuận lợi, khó khăn trên địa bàn.
2. Giao Thống kê tỉnh rà soát, cập nhật số liệu của các ngành.
Để bảo đảm thời gian tổng hợp, đề nghị gửi báo cáo đánh giá về Bộ Tài chính (Cục Thống kê) chậm nhất ngày 22/11/2025.
Nơi nhận:
- Như trên;
"""  # noqa: E501


def test_a_closing_request_to_send_the_work_back_dates_it():
    (task,) = extract(_SEND_BACK.encode(), "cv.txt").tasks
    assert task.deadline_text == "trước ngày 10 tháng 8 năm 2025"
    tasks = extract(_SEND_BACK_LIST.encode(), "cv.txt").tasks
    assert [t.deadline_text for t in tasks] == ["chậm nhất ngày 22/11/2025"] * 2


def test_a_periodic_report_back_dates_nothing():
    text = _SEND_BACK_LIST.replace("chậm nhất ngày 22/11/2025", "định kỳ trước ngày 20 hằng tháng")
    tasks = extract(text.encode(), "cv.txt").tasks
    assert tasks[0].deadline_text == ""  # (the paragraph goes on with the last item only)


_ITEMS_THEN_REQUEST = """\
SỞ NỘI VỤ TỈNH LÂM ĐỒNG
Số: 963/SNV-CCHC
Lâm Đồng, ngày 21 tháng 8 năm 2025
V/v lấy ý kiến góp ý dự thảo
Sở Nội vụ xây dựng các dự thảo gửi lấy ý kiến các cơ quan có liên quan như sau:
1. Góp ý dự thảo các Quyết định thành lập Tổ giúp việc về cải cách hành chính.
2. Cử công chức là lãnh đạo phòng chuyên môn tham gia Tổ giúp việc.
Đề nghị Văn phòng UBND tỉnh, Sở Tư pháp, Sở Tài chính quan tâm, có văn bản góp ý dự thảo và cử người gửi về Sở Nội vụ chậm nhất ngày 27/8/2025 để tổng hợp./.
Nơi nhận:
- Như trên;
"""  # noqa: E501


def test_a_closing_request_names_who_does_the_items_above_it():
    tasks = extract(_ITEMS_THEN_REQUEST.encode(), "cv963.txt").tasks
    assert [t.ref for t in tasks] == ["1", "2"]
    for task in tasks:
        assert task.lead == ["Văn phòng UBND tỉnh", "Sở Tư pháp", "Sở Tài chính"]
        assert task.deadline_text == "chậm nhất ngày 27/8/2025"


def test_a_closing_appeal_names_no_performer_for_the_items():
    text = _ITEMS_THEN_REQUEST.replace(
        "Đề nghị Văn phòng UBND tỉnh, Sở Tư pháp, Sở Tài chính quan tâm, có văn bản góp ý dự thảo"
        " và cử người gửi về Sở Nội vụ chậm nhất ngày 27/8/2025 để tổng hợp./.",
        "Yêu cầu Giám đốc các sở, ban, ngành triển khai thực hiện nghiêm túc Chỉ thị này./.",
    )
    tasks = extract(text.encode(), "cv963.txt").tasks
    assert not any("các sở, ban, ngành" in t.lead for t in tasks)
    assert not any(t.ref in ("1", "2") and t.title.startswith("Góp ý") for t in tasks)


_INSPECTION_TOPICS = """\
ỦY BAN MTTQ VIỆT NAM PHƯỜNG BẮC CAM RANH
Số: 15/KH-MTTQ
Bắc Cam Ranh, ngày 20 tháng 11 năm 2025
KẾ HOẠCH
Kiểm tra, giám sát công tác bầu cử
III. NỘI DUNG KIỂM TRA, GIÁM SÁT
1. Giám sát việc thành lập và hoạt động của các tổ chức phụ trách bầu cử của phường
- Ban Thường trực Ủy ban MTTQ phường giám sát việc thành lập và hoạt động của các tổ chức phụ trách bầu cử ở địa phương. Cụ thể:
- Cơ cấu, thành phần, số lượng thành viên Tổ bầu cử, Ban bầu cử;
- Việc ban hành các văn bản liên quan đến công tác bầu cử.
* Thời gian thực hiện: từ ngày 01/12/2025 đến ngày 14/12/2025.
2. Sở Nội vụ tổng hợp kết quả.
"""  # noqa: E501


def test_an_inspection_topic_with_its_time_field_is_one_task():
    tasks = extract(_INSPECTION_TOPICS.encode(), "kh.txt").tasks
    first = tasks[0]
    assert first.ref == "III.1" and first.title.startswith("Giám sát việc thành lập")
    assert first.lead == ["Ban Thường trực Ủy ban MTTQ phường"]
    assert first.deadline_text == "từ ngày 01/12/2025 đến ngày 14/12/2025"
    assert "Cơ cấu, thành phần" in first.body  # the details stay in its body
    assert [t.ref for t in tasks] == ["III.1", "III.2"]
