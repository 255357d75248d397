"""What reads like an item of a directive but gives no unit work (labelling rules: "Not tasks").

* sections on purposes, requirements, targets, assessments (`not_task_section`);
* the closing articles of a decision (`CLOSING`), work given to a person, the closing clause on
  difficulties, a list of the appendices (`NOT_A_TASK`);
* background that reports past events (`reported`), what a meeting did (`MEETING`);
* a closing appeal to carry the document out (`is_appeal`);
* a bullet of the list of addressees (`is_addressee`).
"""

from __future__ import annotations

import re

from store.importing.clauses import find_subject
from store.importing.outline import Item
from store.importing.phrases import sentences
from store.text import fold

_SECTIONS = (
    "muc dich", "yeu cau", "quan diem", "muc tieu", "can cu", "tinh hinh", "ket qua",
    "danh gia", "boi canh", "noi dung chu yeu", "chi tieu", "ton tai", "han che", "nguyen nhan",
    "thuc trang", "nhung ket qua", "mot so ket qua",
    # a plan's fields on who attends, where and for whom (``1. Đối tượng:``, ``Thành phần:``)
    "doi tuong", "thanh phan", "dia diem",
    # an award plan's quotas and criteria (``IV. SỐ LƯỢNG KHEN THƯỞNG``, ``3. Tiêu chuẩn``)
    "so luong", "tieu chuan", "tieu chi",
    # the fields of an administrative procedure (``2. Thành phần hồ sơ``, ``4. Trình tự thực
    # hiện: a) Tổ chức nộp hồ sơ ... b) Cơ quan có thẩm quyền tiếp nhận ...``): steps, not work
    "trinh tu", "thoi gian giai quyet", "thoi han giai quyet", "le phi", "phi, le phi",
    "can cu phap ly", "yeu cau, dieu kien", "dieu kien thuc hien", "ket qua thuc hien",
    "co quan giai quyet", "doi tuong thuc hien", "mau don",
)  # fmt: skip
#: Headings, alone on their line, of a plan's fields on when and how it takes place: what they
#: list (``- Hội nghị 1: ... Thời gian: ...``, ``- Điểm cầu tại các tỉnh: ...``) is its schedule.
_FIELD_HEADINGS = frozenset(
    {"thoi gian", "cach thuc thuc hien", "cach thuc to chuc", "hinh thuc to chuc", "hinh thuc"}
)
#: A heading that also names the tasks (``MỤC TIÊU VÀ NHIỆM VỤ``, ``Chỉ tiêu, giải pháp``).
_GIVES_TASKS = re.compile(r"\b(?:nhiem vu|giai phap|to chuc thuc hien|phan cong)\b")
CLOSING = re.compile(
    r"chịu trách nhiệm thi hành|có hiệu lực|ban hành kèm theo|thay thế Quyết định", re.IGNORECASE
)
#: Work given to a person (``Giao Phó Thủ tướng ...``) is no unit's task; nor is the closing
#: clause on difficulties (``Trong quá trình thực hiện, nếu có khó khăn, vướng mắc ...``).
NOT_A_TASK = re.compile(
    r"^(?:(?:Giao|Đề nghị|Yêu cầu|Phân công)\s+(?:các\s+)?(?:đồng chí\s+)?(?:Phó\s+)?Thủ tướng"
    r"|Trong quá trình (?:tổ chức |triển khai )*thực hiện[^,]{0,40},? nếu có"
    # "Trên đây là Kế hoạch ...": the closing paragraph that sums the document up (unless it
    # asks for something by a date: "..., đề nghị ... báo cáo ... trước ngày 03/12/2025")
    r"|Trên đây là\b(?![^.]{0,400}\b(?:trước|chậm nhất)\b)"
    # "Ủy quyền cho Lãnh đạo Bộ X ký ...": an authorisation, like a permission
    r"|[ỦU][ỷy] quyền cho\b"
    # "Thực hiện các nhiệm vụ khác theo yêu cầu ...": a catch-all, no task of its own
    r"|Thực hiện (?:các )?nhiệm vụ khác\b"
    # fields of a plan that say who attends, how or for whom, not what to do
    r"|(?:Thành phần(?: đoàn)?|Phương pháp|Khách mời|Đối tượng[^:]{0,80}|Địa điểm|Hình thức)\s*:"
    # "Việc sắp xếp thôn ... phải bảo đảm ...": a requirement on how work is done, no one's task
    r"|Việc\s[^.;:]{0,200}?\s(?:phải|cần)\s(?:bảo đảm|đảm bảo|tuân thủ|phù hợp|gắn với)\b"
    # funding rules, accountability under the law, and the closing clause in any item
    r"|Kinh phí (?:triển khai|thực hiện|bảo đảm)\b"
    r"|Chịu trách nhiệm theo quy định về\b"
    r"|(?=[^.]{0,300}\bchịu trách nhiệm thi hành (?:Nghị quyết|Quyết định|Chỉ thị) này)"
    r"|Phụ lục(?: số)? \w+\s*:"
    # "Đây là nhiệm vụ rất quan trọng, cấp bách, ... đề nghị các đồng chí ...": the closing
    # exhortation that characterises the whole document (even when it is numbered).
    r"|Đây là (?:một )?(?:nhiệm vụ|công việc|việc làm)\b"
    # Permissions and encouragements give no work (``Được phép ...``, ``Khuyến khích ...``).
    r"|Được phép\b|Khuyến khích\b"
    # a reply letter's opening and closing formulas (``Cục Thuế nhận được công văn số ... của
    # Thuế tỉnh X ...``, ``Cục Thuế trả lời để Thuế tỉnh X biết.``)
    r"|[^.;:]{0,80}\bnhận được (?:công văn|văn bản|tờ trình|báo cáo|đơn|hướng dẫn|kế hoạch"
    r"|quyết định|thông báo|chỉ thị|công điện|nghị quyết|kết luận|thông tư|nghị định|phiếu"
    r"|ý kiến|kiến nghị|phản ánh)\b"
    r"|[^.;:]{0,80}\b(?:trả lời|thông báo|hướng dẫn) để [^.;:]{0,120}\bbiết"
    r"[\s,./]*(?:và thực hiện[\s./]*)?$"
    # questions and answers, worked examples (an appendix of frequent cases)
    r"|(?:Câu hỏi|Trả lời|Ví dụ(?: \d+)?|Tình huống(?: \d+)?)\s*:"
    # who to call for details (``Mọi thông tin chi tiết xin liên hệ: Ông ...``)
    r"|(?:Mọi |Các )?(?:thông tin|chi tiết|vướng mắc)[^.:]{0,40}(?:xin |vui lòng )?liên hệ\b"
    # A procedure's standing steps (corpus README, normative decisions): a limit counted from
    # each request received, with no calendar date (``Trong thời hạn 06 ngày làm việc kể từ
    # ngày nhận đủ hồ sơ hợp lệ, ...``; not one counted from the document's entry into force),
    # and a rule for an applicant's case (``Trường hợp hồ sơ hợp lệ thì ...``, ``Đối với các
    # trường hợp quy định tại khoản 7 Điều 16 ... thì ...``).
    r"|Trong (?:thời hạn|vòng|thời gian)(?: tối đa| không quá)? \d+ (?:ngày|giờ|tháng)"
    r"(?: làm việc)?,? (?:kể từ|sau khi|từ)(?: ngày| khi| thời điểm)? (?:nhận|tiếp nhận)\b"
    r"(?![^.]{0,300}\d{1,2}/\d{1,2}/\d{4})"
    r"|(?:Đối với (?:các )?trường hợp (?:quy định|nêu) tại|Trường hợp (?:hồ sơ|người|tổ chức"
    r"|cá nhân|doanh nghiệp|cơ quan, tổ chức))\s[^.;:]{0,300}?\sthì\s"
    # a bare "carry this document out" item (``a) Tổ chức thi hành Nghị quyết này.``)
    r"|(?:Chịu trách nhiệm\s+)?(?:tổ chức\s+)?(?:triển khai\s+)?(?:thi hành|thực hiện)\s+(?:Nghị"
    r" quyết|Quyết định|Chỉ thị|Nghị định|Thông tư|Kế hoạch)\s+này[\s.;/]*$"
    # who may allow what (``Thống đốc ... xem xét cho phép sử dụng thẻ đối với ...``): a power
    r"|[^.;:]{0,160}\bxem xét(?:,)? (?:cho phép|quyết định (?:việc )?cho phép)\b"
    # a form's blank fields (``Họ và tên: …………``)
    r"|[^.:]{0,80}:\s*(?:…|\.{3,}){2,})",
    re.IGNORECASE,
)
#: The closing clauses of a resolution (``Giao Ủy ban nhân dân tỉnh tổ chức thực hiện Nghị
#: quyết này.``, ``Thường trực ..., các đại biểu ... giám sát việc thực hiện Nghị quyết.``):
#: what the performers are given is only to carry the document out or watch over it.
_CARRY_OUT_TAIL = (
    r"(?:tổ chức\s+|triển khai\s+)?"
    r"(?:thực hiện|thi hành|giám sát(?: việc)?(?: thực hiện| triển khai thực hiện)?)"
    r"\s+(?:Nghị quyết|Quyết định|Chỉ thị)(?:\s+này)?[\s.;/]*$"
)
_CARRY_OUT = re.compile(r"^(?:có trách nhiệm\s+)?" + _CARRY_OUT_TAIL, re.IGNORECASE)
#: ``..., trong phạm vi nhiệm vụ, quyền hạn của mình có trách nhiệm thực hiện Nghị quyết này.``
_ANSWERS_TO_CARRY_OUT = re.compile(r"có trách nhiệm\s+" + _CARRY_OUT_TAIL, re.IGNORECASE)


def resolution_closing(text: str) -> bool:
    """Whether an item only gives the document to carry out or to watch over."""
    if len(text) >= 400:
        return False
    if _ANSWERS_TO_CARRY_OUT.search(text):
        return True
    found = find_subject(text)
    return found is not None and _CARRY_OUT.match(found[1]) is not None


#: Background that reports what was done (``Ngày 28 tháng 10 năm 2025, Chủ tịch ... đã ban
#: hành ...``, ``Sau khi nghe ...``, ``Xét báo cáo ...``): no work is given by it.
REPORTING_OPENER = re.compile(
    r"^(?:Ngày \d{1,2}|Sau khi|Xét |Thời gian qua|Vừa qua|Qua \d)", re.IGNORECASE
)
_PAST = re.compile(r"(?<!\w)(?:đã|vừa)\s")
#: What a meeting did (``Hội nghị ... đã thảo luận, nhất trí thông qua ...``): a report.
MEETING = re.compile(r"(?<!\w)(?:họp|thảo luận|cho ý kiến|nhất trí|thông qua|kết luận)(?!\w)")
_HANDS_OVER = re.compile(r"(?<!\w)(?:giao|đề nghị|yêu cầu)\s", re.IGNORECASE)


#: What a closing appeal asks for: nothing but to carry the document out (``Đề nghị các cơ
#: quan, đơn vị khẩn trương triển khai, thực hiện./.``, ``... trả lời các đơn vị được biết,
#: thực hiện.``).
_APPEAL = re.compile(
    r"^(?:(?:khẩn trương|nghiêm túc|kịp thời|chủ động|tổ chức|triển khai|thực hiện|được biết"
    r"|biết|và|có hiệu quả|hiệu quả|các nội dung|nội dung|Kế hoạch|Công văn|văn bản|Thông báo"
    r"|Chỉ thị|Nghị quyết|Kết luận|Chương trình"
    r"|này|trên|tập trung|nguồn lực|bảo đảm|đảm bảo|tiến độ|được giao|nhiệm vụ|đúng|chất lượng"
    # "... thực hiện đầy đủ các nội dung chỉ đạo nêu trên theo thẩm quyền và quy định pháp luật"
    r"|đầy đủ|chỉ đạo|nêu trên|theo thẩm quyền|theo|quy định(?: của)?|pháp lu[aâậ]t"
    # "căn cứ chức năng, nhiệm vụ được giao khẩn trương triển khai hiệu quả các nhiệm vụ"
    r"|căn cứ|chức năng|quyền hạn|của mình|các nhiệm vụ)"
    r"[\s,;]*)+[./!]*"
)


#: ``Các Bộ, cơ quan thống nhất ...``, ``Ban Thường vụ thống nhất ...``: what a meeting agreed,
#: said of its subject; no work unless the item hands some over further on.
AGREES = re.compile(r"^(?:cơ bản\s+)?(?:thống nhất|nhất trí|đồng ý|ghi nhận)\b")
#: ``Các Bộ trưởng ... chịu trách nhiệm toàn diện trước Chính phủ về kết quả ...``: who answers
#: for results, not work to do.
ANSWERS_FOR = re.compile(
    r"chịu trách nhiệm(?: toàn diện| hoàn toàn)?\s+"
    # "... về tính chính xác của số liệu", "... về nội dung Hiệp định": accountability for what
    # is already done, no work to do
    r"(?:trước\b|về (?:tính chính xác|nội dung|số liệu|việc tổng hợp số liệu)\b)"
)
#: ``Tổng cục Thuế yêu cầu các đồng chí Cục trưởng ...``: the issuer addressing the performers.
#: Where the recipients block starts, also as OCR reads it (``Noi nhận:``).
_RECIPIENTS = re.compile(r"N[ơo]i nh[ậa]n\s*:", re.IGNORECASE)
_ASKS = re.compile(r"^(?:đề nghị|yêu cầu)\s+", re.IGNORECASE)
#: ``Đề nghị ...``, ``Kính đề nghị ...``, ``Yêu cầu ...``: a paragraph that asks its
#: addressees to act.
REQUEST = re.compile(r"^\W*(?:Kính\s+)?(?:Đề nghị|Yêu cầu)\s", re.IGNORECASE)
#: The closing clause on difficulties met while carrying the document out.
_DIFFICULTIES = re.compile(
    r"^(?:Trường hợp|Trong quá trình[^,]{0,60},\s*(?:nếu|trường hợp))\s[^.]{0,40}"
    r"(?:khó khăn|vướng mắc|phát sinh)",
    re.IGNORECASE,
)


def is_appeal(text: str) -> bool:
    """Whether an item is a closing appeal to carry the document out (no work of its own),
    possibly voiced by the issuer (``Tổng cục Thuế yêu cầu các đồng chí ... nghiêm túc triển
    khai thực hiện.``), and followed at most by the clause on difficulties (``Trường hợp có
    khó khăn, vướng mắc ..., đề nghị ... báo cáo ...``)."""
    text = _RECIPIENTS.split(text, maxsplit=1)[0]
    parts = sentences(text)
    if len(parts) > 1 and all(_DIFFICULTIES.match(part) for part in parts[1:]):
        text = parts[0]
    found = find_subject(text)
    if found is not None and _ASKS.match(found[1]):
        found = find_subject(_ASKS.sub("", found[1])) or found
    if found is None:
        return False
    match = _APPEAL.match(found[1])
    if match is None:
        return False
    # "..., chịu trách nhiệm toàn diện trước Thủ tướng ...": who answers for it, no more work.
    rest = found[1][match.end() :].strip(" ,;")
    return len(rest) <= 8 or ANSWERS_FOR.match(rest) is not None


def gives_no_work(text: str) -> bool:
    """Whether a paragraph of running text gives no work: a meeting's agreement, a report of
    what happened (``Sau khi nghe ...``), a closing appeal, or a passive subject (``các chính
    sách ... được triển khai``)."""
    first = sentences(text)[0] if text.strip() else ""
    found = find_subject(first)
    if found and (AGREES.match(found[1]) or any(u.endswith(" được") for u in found[0])):
        return not _HANDS_OVER.search(found[1])
    if REPORTING_OPENER.match(first) and not _HANDS_OVER.search(first):
        return True
    if NOT_A_TASK.match(text) and not _HANDS_OVER.search(first):
        return True  # "Cục Thuế nhận được công văn số ...", "... trả lời để ... biết."
    return reported(text) or is_appeal(text)


def answers_for(text: str) -> bool:
    """Whether a sentence only says who answers for results (``X chịu trách nhiệm trước ...``)."""
    found = find_subject(text, delegation=False)
    return found is not None and ANSWERS_FOR.match(found[1]) is not None


def reported(text: str) -> bool:
    """Whether an item only reports past events: it opens with a reporting clause in the past
    tense, and hands no work over anywhere."""
    first = sentences(text)[0] if text.strip() else ""
    opener = REPORTING_OPENER.match(first) is not None
    return opener and _PAST.search(first) is not None and not _HANDS_OVER.search(text)


def _section_key(text: str) -> str:
    """A heading folded, without its marker (``II.``, ``3)``) or a leading ``Về``."""
    return re.sub(r"^(?:ve|i+|\d+)[ .)]+", "", fold(text).lstrip(" ."))


def not_task_section(text: str) -> bool:
    """Whether a heading opens a section that gives no tasks (``II. MỤC ĐÍCH, YÊU CẦU``)."""
    key = _section_key(text)
    if text.rstrip().endswith((".", ";")) and ("," in text or len(text.split()) >= 8):
        # A sentence that gives work (``Căn cứ vào ..., xây dựng dự toán ...``, ``Hạn chế các
        # hoạt động ngoài trời ...``), not a heading.
        return False
    if key.rstrip(" :.*") in _FIELD_HEADINGS:
        return True
    if _GIVES_TASKS.search(key):
        return False  # "II. CHỈ TIÊU, NHIỆM VỤ": targets, then the tasks
    return key.startswith(_SECTIONS) and len(text) < 160


def roster_section(text: str) -> bool:
    """A heading over who attends, for whom or where (``II. THÀNH PHẦN HỘI NGHỊ``): even when a
    sentence under it names a performer (``Ban Thường trực ... triệu tập và chủ trì hội nghị
    gồm:``), what it lists is people and places, not work."""
    roster = ("thanh phan", "doi tuong", "dia diem")
    return not_task_section(text) and _section_key(text).startswith(roster)


def is_addressee(item: Item) -> bool:
    """A bullet naming only a unit and closed by ``;`` (or by ``.`` after such bullets): an
    entry of the list of addressees, not a heading over work."""
    if item.kind not in ("dash", "plus", "star") or item.parent is None:
        return False
    # "- Bộ trưởng, Thủ trưởng cơ quan ngang bộ, cơ quan thuộc" then "Chính phủ;": wrapped.
    wrapped = all(len(extra) < 60 for extra in item.extra)
    text = (item.full_text if wrapped else item.text).rstrip()
    if text.endswith(";"):
        return True
    before = item.parent.children[: item.parent.children.index(item)]
    return text.endswith(".") and bool(before) and before[-1].text.rstrip().endswith(";")


def is_title(text: str) -> bool:
    """A heading written in capitals (``1. TINH THẦN CHỈ ĐẠO HÀNH ĐỘNG``): a section's title."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 6 and text == text.upper() and len(text) < 160
