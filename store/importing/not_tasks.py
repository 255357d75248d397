"""What reads like an item of a directive but gives no unit work (labelling rules: "Not tasks").

* sections on purposes, requirements, targets, assessments (`not_task_section`);
* the closing articles of a decision (`CLOSING`), work given to a person, the closing clause on
  difficulties, a list of the appendices (`NOT_A_TASK`);
* background that reports past events (`reported`), what a meeting did (`MEETING`);
* a closing appeal to carry the document out (`is_appeal`).
"""

from __future__ import annotations

import re

from store.importing.clauses import find_subject
from store.importing.phrases import sentences
from store.text import fold

_SECTIONS = (
    "muc dich", "yeu cau", "quan diem", "muc tieu", "can cu", "tinh hinh", "ket qua",
    "danh gia", "boi canh", "noi dung chu yeu", "chi tieu", "ton tai", "han che", "nguyen nhan",
    "thuc trang", "nhung ket qua", "mot so ket qua",
)  # fmt: skip
CLOSING = re.compile(
    r"chịu trách nhiệm thi hành|có hiệu lực|ban hành kèm theo|thay thế Quyết định", re.IGNORECASE
)
#: Work given to a person (``Giao Phó Thủ tướng ...``) is no unit's task; nor is the closing
#: clause on difficulties (``Trong quá trình thực hiện, nếu có khó khăn, vướng mắc ...``).
NOT_A_TASK = re.compile(
    r"^(?:(?:Giao|Đề nghị|Yêu cầu)\s+(?:các\s+)?(?:đồng chí\s+)?(?:Phó\s+)?Thủ tướng"
    r"|Trong quá trình (?:tổ chức |triển khai )*thực hiện[^,]{0,40}, nếu có"
    r"|Phụ lục(?: số)? \w+\s*:"
    # "Đây là nhiệm vụ rất quan trọng, cấp bách, ... đề nghị các đồng chí ...": the closing
    # exhortation that characterises the whole document (even when it is numbered).
    r"|Đây là (?:một )?(?:nhiệm vụ|công việc|việc làm)\b"
    # Permissions and encouragements give no work (``Được phép ...``, ``Khuyến khích ...``).
    r"|Được phép\b|Khuyến khích\b)",
    re.IGNORECASE,
)
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
    r"|này|trên|tập trung|nguồn lực|bảo đảm|đảm bảo|tiến độ|được giao|nhiệm vụ|đúng|chất lượng)"
    r"[\s,;]*)+[./!]*"
)


#: ``Các Bộ, cơ quan thống nhất ...``, ``Ban Thường vụ thống nhất ...``: what a meeting agreed,
#: said of its subject; no work unless the item hands some over further on.
AGREES = re.compile(r"^(?:cơ bản\s+)?(?:thống nhất|nhất trí|đồng ý|ghi nhận)\b")
#: ``Các Bộ trưởng ... chịu trách nhiệm toàn diện trước Chính phủ về kết quả ...``: who answers
#: for results, not work to do.
ANSWERS_FOR = re.compile(r"chịu trách nhiệm(?: toàn diện| hoàn toàn)?\s+trước\b")
#: ``Tổng cục Thuế yêu cầu các đồng chí Cục trưởng ...``: the issuer addressing the performers.
#: Where the recipients block starts, also as OCR reads it (``Noi nhận:``).
_RECIPIENTS = re.compile(r"N[ơo]i nh[ậa]n\s*:", re.IGNORECASE)
_ASKS = re.compile(r"^(?:đề nghị|yêu cầu)\s+", re.IGNORECASE)


def is_appeal(text: str) -> bool:
    """Whether an item is a closing appeal to carry the document out (no work of its own),
    possibly voiced by the issuer (``Tổng cục Thuế yêu cầu các đồng chí ... nghiêm túc triển
    khai thực hiện.``)."""
    found = find_subject(_RECIPIENTS.split(text, maxsplit=1)[0])
    if found is not None and _ASKS.match(found[1]):
        found = find_subject(_ASKS.sub("", found[1])) or found
    if found is None:
        return False
    match = _APPEAL.match(found[1])
    return match is not None and len(found[1][match.end() :].strip()) <= 8


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


def not_task_section(text: str) -> bool:
    """Whether a heading opens a section that gives no tasks (``II. MỤC ĐÍCH, YÊU CẦU``)."""
    key = re.sub(r"^(?:ve|i+|\d+)[ .)]+", "", fold(text).lstrip(" ."))
    if text.rstrip().endswith((".", ";")) and "," in text:
        return False  # a sentence that gives work (``Căn cứ vào ..., xây dựng dự toán ...``)
    return key.startswith(_SECTIONS) and len(text) < 160
