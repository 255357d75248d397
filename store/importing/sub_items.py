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
  (`closing_deadline`).
"""

from __future__ import annotations

import re

from store.importing.clauses import find_subject, unit_heading
from store.importing.not_tasks import answers_for
from store.importing.outline import Item
from store.importing.phrases import find_deadline, sentences
from store.text import fold

#: ``... có ý kiến chỉ đạo như sau:``, ``... trong đó:``: a sentence that introduces what
#: follows, even when what follows was not read as its sub-items.
INTRODUCES = re.compile(r"(?:như sau|sau đây|cụ thể|trong đó|gồm|bao gồm)\s*:\s*$", re.IGNORECASE)
_PRODUCTS = re.compile(
    r"^(?:Nghị quyết|Nghị định|Quyết định|Kế hoạch|Chương trình|Đề án|Báo cáo|Thông tư|Chỉ thị"
    r"|Quy chế|Quy định|Luật|Dự án|Tiểu dự án|Hợp phần|Tiểu hợp phần|Phương án|Danh mục|Đề cương"
    r"|Dự thảo|Tờ trình|Hướng dẫn về|Cẩm nang|Sổ tay|Tài liệu)\b"
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


def closing_deadline(last: Item | None) -> str:
    """The deadline a paragraph after the last item (or a closing sentence run into it) sets
    for the whole list, or ""."""
    if last is None:
        return ""
    own = sentences(last.text)
    for paragraph in [*own[1:], *last.extra]:
        first = re.split(r"(?<=[.;])\s+", paragraph, maxsplit=1)[0]
        if _WHOLE_LIST.match(first) and len(first) <= 200 and not find_subject(first):
            return find_deadline(first)
    return ""
