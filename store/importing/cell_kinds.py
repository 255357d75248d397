"""How a line of a task table whose cells lost their boundaries opens, or goes on with, a cell
of each column (`store.importing.loose_tables` splits a row's lines by these scores): a task's
text opens the row, a unit cell opens with a unit's name, a deadline cell with a period, a
product with a document's kind, a cell of provisions with ``Điều``/``Khoản``; a cell never
opens in lower case."""

from __future__ import annotations

import re

from store.importing.units import is_unit_start
from store.text import fold

DEADLINE_START = re.compile(
    r"^(?:thuong|quy\b|thang\b|nam\b|hang\b|hang nam|dinh ky|truoc|trong\b|den\b|tu\b"
    r"|ky hop|theo\b|\d{4}\b|\d{1,2}/\d{4}|sau khi|giai doan|hoan thanh|da hoan thanh|ngay\b"
    r"|thuc hien\b|thuc$|nhiem vu thuong)"  # "Thực hiện thường xuyên", cut after its first word
)
_PRODUCT_START = re.compile(
    r"^(?:Báo cáo|Quyết định|Nghị định|Nghị quyết|Thông tư|Đề án|Văn bản|Các văn bản|Kế hoạch"
    r"|Chương trình|Tờ trình|Hồ sơ|Luật|Dự thảo|Hướng dẫn|Các đề|Các hoạt động|Các chỉ tiêu"
    r"|Danh mục|Chỉ thị|Công văn|Hệ thống|Cơ sở dữ liệu|Nền tảng|Tài liệu)"
)
_CLAUSE_START = re.compile(
    r"^(?:[-–]\s*)?(?:Điều|Khoản|Điểm|Mục|Phụ lục|Chương|Toàn bộ|Bãi bỏ|Mẫu)\b"
)
_BASIS_START = re.compile(
    r"^(?:Nghị quyết|Kết luận|Chương trình|Chỉ thị|Quyết định|Luật|Nghị định|Thông báo|Công văn"
    r"|Kế hoạch|Điều|Khoản|Mục)\b"
)


def start_score(token: str, column: str) -> float:
    """How well `token` opens a cell of `column`."""
    lower = token[:1].islower()
    key = fold(token)
    if column == "title":
        return 1.0 if not lower else -4.0
    if lower:
        return -5.0
    if column in ("lead", "cooperating"):
        if is_unit_start(token):
            return 3.0
        # "Các" / "bộ ở Trung ương,": a name cut after its first word or two
        return 0.5 if len(token.split()) <= 2 and not token[-1:].isdigit() else -1.0
    if column == "deadline":
        return 4.0 if DEADLINE_START.match(key) else -2.0
    if column == "product":
        return 1.5 if _PRODUCT_START.match(token) else 0.0
    if column == "basis":
        return 2.0 if _BASIS_START.match(token) else -1.0
    if column == "clauses":
        return 3.0 if _CLAUSE_START.match(token) else -2.0
    return 0.0


def continue_score(token: str, column: str) -> float:
    """How well `token` goes on with a cell of `column` (a wrapped line)."""
    lower = token[:1].islower()
    if column == "title":
        if _CLAUSE_START.match(token) and len(token) <= 25:
            return -0.5  # "Điều 17;": the provisions' cell, not the text's name wrapping
        return 1.0 if lower or len(token) > 25 else 0.2
    if column in ("lead", "cooperating"):
        if fold(token) in ("cac", "nhung"):
            return -3.0  # a name never ends on "Các": the next cell starts there
        if any(ch.isdigit() for ch in token):
            return -1.0  # "72-NQ/TW của Bộ Chính trị": a title's text, not a unit's name
        if lower:
            return 0.8 if len(token) <= 25 else -1.0
        return 1.0 if is_unit_start(token) else 0.0
    if column == "deadline":
        return 1.0 if lower or DEADLINE_START.match(fold(token)) else -1.0
    return 0.5 if lower else 0.0
