"""Tables whose cells lost every boundary: the text layer of a PDF table without ruling.

Copying such a table out of a PDF gives its cells one after the other, every cell's words
wrapped over lines of their own, with no ``|`` and often no row number::

    Stt                         <- the header, one word group a line
    Nội dung
    Thời gian trình
    Cơ quan
    chủ trì
    I                           <- a group row: a roman numeral, then its title
    Lĩnh vực kinh tế
    Nghị quyết về phát triển    <- a row: its task, wrapped ...
    nông nghiệp giai đoạn
    2026 – 2030.
    Quý I/2026                  <- ... its deadline cell(s) ...
    Quý I/2026
    Đảng uỷ                     <- ... and the unit in charge
    UBND xã

The rows are cut at their anchors: a deadline cell ends the task's text, and a line that opens
a task (a document to draw up, a work verb) after the unit ends the row. Words after
``chủ trì`` in the unit cell name the cooperating units. The header must name a task column, a
deadline column and a unit column, in that order; other tables are left to
`store.importing.tables`.
"""

from __future__ import annotations

import re

from store.importing.table_model import Table
from store.importing.verbs import TASK_VERBS
from store.text import fold

_MAX_HEADER = 16
_MAX_LINE = 60  # longer lines are body text: the table has ended
#: A deadline cell that stops on one of these words goes on (``Thực hiện theo chỉ đạo của`` /
#: ``Tỉnh uỷ``).
_OPEN_END = re.compile(r"\b(?:cua|theo|chi|va|den|tai)$")
_WRAPPED = 28  # a longer line is a task's text, not a unit name's
_ROMAN = re.compile(r"^[IVXLC]{1,5}\.?$")
_REF_HEADER = {"tt", "stt", "so tt"}
#: A deadline cell's first line (folded): a quarter, a month, a period of recurrence, a span of
#: years, a year, or a deadline set elsewhere. A line ending in ``.`` is the end of a task's text.
_DEADLINE = re.compile(
    r"^(?:(?:truoc|trong|den|het)\s+)?(?:quy\s+(?:[ivx]+|\d)\b.*|thang\s+\d{1,2}\b.*"
    r"|(?:hang|hang|dinh ky)\s+(?:quy|thang|nam|tuan|ngay)\b.*|thuong xuyen.*"
    r"|(?:nam\s+)?\d{4}(?:\s*[-–]\s*\d{4})?"
    r"|(?:thuc hien\s+)?theo(?:\s+(?:chi\b|ke hoach|lo trinh).*)?)$"
)
_PRODUCT = re.compile(
    r"^(?:Nghị quyết|Nghị$|Kế hoạch|Chương trình|Đề án|Báo cáo|Quy chế|Quy định|Chỉ thị"
    r"|Kết luận|Hướng dẫn|Lãnh đạo|Sơ kết|Tổng kết)"
)
_STARTS = tuple(verb[:1].upper() + verb[1:] for verb in TASK_VERBS if " " in verb)


def _is_deadline(line: str) -> bool:
    return not line.rstrip().endswith(".") and bool(_DEADLINE.match(fold(line).strip(" ,;")))


def _opens_task(line: str) -> bool:
    """Whether a line can be the first line of a task's text (not of a unit's name)."""
    return bool(_PRODUCT.match(line)) or line.startswith(_STARTS)


def _header_end(lines: list[str], start: int) -> int:
    """Where the rows start, when a boundless task table's header starts at `start`; else 0."""
    if fold(lines[start].strip(" .")) not in _REF_HEADER:
        return 0
    for end in range(start + 1, min(start + _MAX_HEADER, len(lines))):
        line = lines[end].strip()
        if _ROMAN.match(line) or line.isdigit():
            text = fold(" ".join(lines[start + 1 : end]))
            order = [
                text.find(word)
                for word in ("noi dung", "thoi gian", "chu tri")
                if text.find(word) >= 0
            ]
            return end if len(order) == 3 and order == sorted(order) else 0
        if not line or len(line) > 40 or _is_deadline(line):
            return 0
    return 0


def _split_unit(cell: str) -> tuple[str, str]:
    """``Đảng uỷ UBND xã chủ trì, phối hợp Quân sự xã``: the lead and the cooperating units."""
    lead, _, rest = cell.partition(" chủ trì")
    if not rest:
        lead, _, rest = cell.partition(" phối hợp")
    partners = re.sub(r"^[\s,]*(?:phối hợp(?:\s+với)?)?\s*", "", rest)
    return lead.strip(" ,;"), partners.strip(" ,;")


def _rows(lines: list[str], start: int) -> tuple[list[list[str]], int]:
    """Rows (TT, task, deadline, lead, cooperating) from `start`, and where the table ends."""
    rows: list[list[str]] = []
    title: list[str] = []
    deadline: list[str] = []
    unit: list[str] = []
    merged: list[str] = []  # the unit cell of the row above, for a row whose cell is merged
    ordinal = 0

    def close() -> None:
        nonlocal ordinal
        if title and deadline and unit:
            ordinal += 1
            rows.append([str(ordinal), " ".join(title), deadline[0], *_split_unit(" ".join(unit))])
            merged[:] = [" ".join(unit)]
        for cell in (title, deadline, unit):
            cell.clear()

    index = start
    while index < len(lines):
        line = lines[index].strip()
        index += 1
        if not line or line.startswith("---"):
            continue
        if len(line) > _MAX_LINE or line.startswith("```"):
            break
        if _ROMAN.match(line) and index < len(lines):
            close()
            ordinal = 0
            merged.clear()
            group = lines[index].strip()
            index += 1
            while index < len(lines) and lines[index].strip()[:1].islower():
                group = f"{group} {lines[index].strip()}"  # "Công tác xây dựng Đảng" / "và ..."
                index += 1
            rows.append([line.rstrip("."), group, "", "", ""])
        elif (unit or (deadline and merged)) and _opens_task(line):
            # A task's first line right after a deadline: this row's unit cell is merged with
            # the one above (one cell over several rows), so it is that unit.
            unit[:] = unit or merged
            close()
            title.append(line)
        elif unit and line[:1].islower() and (line.endswith(".") or len(line) > _WRAPPED):
            title.append(line)  # the task's text goes on below its unit cell
        elif unit or (
            deadline
            and not _is_deadline(line)
            and not line[:1].islower()
            and not _OPEN_END.search(fold(deadline[-1]))
        ):
            unit.append(line)
        elif _is_deadline(line):
            if not deadline or fold(line) != fold(deadline[0]):  # BTV and BCH columns alike
                deadline.append(line)
        elif deadline:
            deadline[-1] = f"{deadline[-1]} {line}"  # "Quý IV hàng" / "năm"
        else:
            title.append(line)
    close()
    return rows, index


def bare_tables(lines: list[str]) -> list[Table]:
    """Every boundless task table in the text (see the module docstring)."""
    tables: list[Table] = []
    index = 0
    while index < len(lines):
        end = _header_end(lines, index) if lines[index].strip() else 0
        if not end:
            index += 1
            continue
        rows, stop = _rows(lines, end)
        if any(row[3] for row in rows):
            header = ["TT", "Nội dung", "Thời gian", "Cơ quan chủ trì", "Cơ quan phối hợp"]
            tables.append(Table([header, *rows], index, stop))
        index = max(stop, index + 1)
    return tables
