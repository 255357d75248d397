"""What an item is to the items around it: a detail of its parent, a document to draw up,
the contents of a report, a paragraph that starts a task of its own.

* ``+`` lines and short lines that are no sentence detail the task above them (`is_detail`);
* ``- Nghị quyết về ...`` under ``... ban hành các Nghị quyết sau:`` names a document the task
  produces (`is_product`);
* ``(1) Số hộ dân có nhà bị sập ...`` under ``... báo cáo về một số nội dung sau:`` is what the
  report holds, not work of its own (`asks_contents`);
* an unmarked paragraph after a section's items that names performers other than the items'
  it stands under starts a task whose marker was lost (`is_loose`);
* a paragraph after the last item that dates "the contents above" (``Các nội dung trình
  Thường trực trước ngày 01/10/2025.``) is the deadline of every task without one
  (`closing_deadline`); so is a letter's closing request to send back what its items produce
  by a date (``Số liệu ... đề nghị gửi về Bộ Nội vụ trước ngày 10 tháng 8 năm 2025``,
  `reports_back`).
"""

from __future__ import annotations

import re

from store.importing.clauses import find_subject, unit_heading
from store.importing.not_tasks import REQUEST, answers_for
from store.importing.outline import Item
from store.importing.phrases import find_deadline, sentences
from store.importing.records import field_of
from store.text import fold

#: ``... có ý kiến chỉ đạo như sau:``, ``... trong đó:``: a sentence that introduces what
#: follows, even when what follows was not read as its sub-items.
INTRODUCES = re.compile(r"(?:như sau|sau đây|cụ thể|trong đó|gồm|bao gồm)\s*:\s*$", re.IGNORECASE)
_PRODUCTS = re.compile(
    r"^(?:Nghị quyết|Nghị định|Quyết định|Kế hoạch|Chương trình|Đề án|Báo cáo|Thông tư|Chỉ thị"
    r"|Quy chế|Quy định|Luật|Dự án|Tiểu dự án|Hợp phần|Tiểu hợp phần|Phương án|Danh mục|Đề cương"
    r"|Dự thảo|Tờ trình|Hướng dẫn về|Cẩm nang|Sổ tay|Tài liệu)\b"
)


#: ``- Nghị định số 126/2024/NĐ-CP ngày 08/10/2024 của Chính phủ ...``, ``- Luật Luật sư năm
#: 2006 ...``: a document cited by number, date or year.
_CITATION = re.compile(
    r"^(?:Hiến pháp|Bộ luật|Luật|Pháp lệnh|Nghị định|Nghị quyết|Thông tư(?: liên tịch)?|Quyết định"
    r"|Chỉ thị|Công văn|Văn bản|Hướng dẫn|Điều lệ|Kế hoạch|Thông báo|Kết luận|Công điện)\b"
    r".{0,80}?(?:\bsố\s*:?\s*\d|\bngày\s+\d{1,2}\s*[/-]|\bnăm\s+\d{4})"
)


def cites_bases(item: Item) -> bool:
    """``Đề nghị các Ban Chủ nhiệm ..., căn cứ quy định tại:`` over ``- Luật ... năm 2006;``,
    ``- Nghị định số ...``: every sub-item cites a legal basis; none is work of its own."""
    return bool(item.children) and all(
        not child.children and _CITATION.match(child.text) and not find_subject(child.text)
        for child in item.children
    )


def is_product(child: Item) -> bool:
    """``- Nghị quyết về cơ cấu lại ngành nông nghiệp giai đoạn 2026 - 2030``: a document to
    draw up, named under the task that produces it."""
    return not child.children and bool(_PRODUCTS.match(child.text)) and len(child.text) < 600


#: ``... tổng hợp báo cáo cụ thể về một số nội dung sau:``: what follows is what the report
#: holds (``(1) Số hộ dân có nhà bị sập ...``), not work of its own.
_CONTENTS = re.compile(
    r"(?:(?:báo cáo|thống kê|tổng hợp|cung cấp)\b[^:]{0,80}\b(?:nội dung|thông tin|số liệu)"
    r"(?:\s+(?:sau|như sau|sau đây|chủ yếu|cụ thể))?"
    # "... trình Hội đồng nhân dân cấp tỉnh quyết định:": what the body is to decide on
    r"|\btrình\b[^:]{0,120}\b(?:quyết định|phê duyệt|thông qua|xem xét, quyết định)"
    r"(?:\s+(?:các\s+)?(?:nội dung\s+)?(?:sau|như sau|sau đây))?)\s*:\s*$",
    re.IGNORECASE,
)


def asks_contents(item: Item) -> bool:
    """An item asking for a report whose sub-items list its contents: none of them names a
    performer or has sub-items of its own."""
    return bool(_CONTENTS.search(item.text)) and not any(
        child.children or find_subject(child.text) for child in item.children
    )


#: ``- Khiếu nại ... về việc lập danh sách cử tri thì chuyển đến ...``: a rule (if this, then
#: that), in its first sentence.
_RULE = re.compile(r"^[^.;:]{0,300}?\sthì\s")


def states_rules(item: Item) -> bool:
    """``... tiếp nhận, phân loại, xử lý ... đơn thư ... theo quy trình cụ thể sau đây:`` over
    rules of the form ``A thì chuyển đến B``: the sub-items say how the item's work is done."""
    return len(item.children) >= 2 and all(
        not child.children and _RULE.match(child.text) and not find_subject(child.text)
        for child in item.children
    )


def timed_topic(item: Item) -> tuple[list[str], str] | None:
    """``1. Giám sát việc thành lập ... Ủy ban bầu cử`` over ``- Ban Thường trực ... giám sát
    ... Cụ thể:``, ``- Cơ cấu ...``, ``* Thời gian thực hiện: Từ khi thành lập ...``: a topic of
    an inspection plan whose sub-items detail one piece of work and give its time as a field.
    Returns (the lead its first sub-item names, or [], the time), or None."""
    text = item.text.rstrip()
    if not text or text.endswith((".", ";", ":", ",")) or len(text) > 250:
        return None
    if len(item.children) < 2 or find_subject(text):
        return None
    fields = [(c, field_of(c)) for c in item.children if c.kind != "plus"]
    times = [(c, value) for c, (kind, value) in fields if kind == "deadline"]
    if len(times) != 1 or any(find_subject(c.text) for c in item.children[1:]):
        return None
    field, value = times[0]
    value = value or " ".join(c.text for c in field.children[:1])
    first = find_subject(item.children[0].text)
    return (first[0] if first else [], value.rstrip(" .;")) if value else None


def is_detail(child: Item) -> bool:
    """A sub-item that details the task above it rather than being a task of its own: a ``+``
    line, or a short line that is no sentence (a list of products, of recipients)."""
    if child.children or find_subject(child.text):
        return False
    sentence = len(child.text) >= 40 and child.full_text.rstrip().endswith((".", ";"))
    return child.kind == "plus" or not sentence


def is_loose(paragraph: str, above: list[str]) -> bool:
    """A paragraph after a section's items that assigns work of its own (its marker was lost);
    one whose performers are those of an item it stands under goes on with that item."""
    found = find_subject(paragraph, delegation=False)
    if found is None or answers_for(paragraph):
        return False
    mine = {fold(unit) for unit in found[0]}
    for text in above:
        theirs = unit_heading(text) or (find_subject(text) or ([], ""))[0]
        if mine == {fold(unit) for unit in theirs}:
            return False
    return True


#: ``Các nội dung trên hoàn thành ...``, ``Thời gian hoàn thành: ...``: a sentence about the
#: whole list, not about one of its items.
_WHOLE_LIST = re.compile(
    r"^(?:(?:Các|Những|Toàn bộ)\s+(?:nội dung|nhiệm vụ|công việc|việc|văn bản|báo cáo)\b"
    r"|(?:Thời gian|Thời hạn)(?:\s+(?:hoàn thành|thực hiện|trình))?\s*:)"
)

#: ``... gửi (báo cáo, kết quả ...) về Bộ Tài chính ...``: a request to send something back.
_SENDS_BACK = re.compile(r"\bgửi\b(?:\s+\S+){0,14}?\s+(?:về|đến|tới)\s", re.IGNORECASE)
#: A calendar date (``10 tháng 8 năm 2025``, ``22/11/2025``), not a period or a cycle.
_A_DAY = re.compile(r"\d{1,2}\s*(?:/\s*\d{1,2}|tháng\s+\d{1,2})", re.IGNORECASE)


def reports_back(paragraph: str) -> str:
    """The date by which a subjectless closing request (``Số liệu ... đề nghị gửi về Bộ Nội vụ
    trước ngày 10 tháng 8 năm 2025 để tổng hợp``, ``Để bảo đảm ..., đề nghị Quý Ủy ban gửi báo
    cáo ... về Bộ Tài chính ... chậm nhất ngày 22/11/2025``) asks for the work back, or ""."""
    first = re.split(r"(?<=[.;])\s+", paragraph.strip(), maxsplit=1)[0]
    if not _SENDS_BACK.search(first) or (find_subject(first) and not REQUEST.match(first)):
        return ""
    deadline = find_deadline(first)
    cycle = {"hang", "hangnam", "dinh"} & set(fold(deadline).split())
    return deadline if _A_DAY.search(deadline) and not cycle else ""


def closing_deadline(last: Item | None, body_last: Item | None = None) -> str:
    """The deadline a paragraph after the last item (or a closing sentence run into it) sets
    for the whole list, or "": a sentence on the whole list after the document's last item,
    or a closing request to send the work back (`reports_back`) after the body's last item
    (`body_last`: the last before the signature, an appendix may follow)."""
    whole = _whole_list(last) if last is not None else ""
    if whole or body_last is None:
        return whole
    tail = body_last.extra[-1] if body_last.extra else (sentences(body_last.text) or [""])[-1]
    return reports_back(tail)


def _whole_list(last: Item) -> str:
    own = sentences(last.text)
    for paragraph in [*own[1:], *last.extra]:
        first = re.split(r"(?<=[.;])\s+", paragraph, maxsplit=1)[0]
        if _WHOLE_LIST.match(first) and len(first) <= 200 and not find_subject(first):
            return find_deadline(first)
    return ""
