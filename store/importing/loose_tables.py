"""Task tables whose cells lost their boundaries, in any column order.

The text layer of a PDF table without ruling (``pdftotext``, copying out of a viewer) gives a
row's cells one after the other, each wrapped over lines of its own, sometimes two short cells
on one line; the page's running head and footnotes fall in between::

    TT                              <- the header, a few words a line
    Tên nhiệm vụ
    Cơ quan
    chủ trì
    Cơ quan
    phối hợp
    Kết quả
    Thời gian
    hoàn thành
    1                               <- a row opens with its number alone on a line
    Thực hiện nghiêm quy định các bộ, cơ
    quan ngang bộ cơ cấu ít nhất một lãnh
    đạo có chuyên môn pháp luật
    Các bộ,
    cơ quan ngang bộ Bộ Nội vụ      <- the end of the lead cell and the cooperating cell
    Báo cáo
    hằng năm
    2026 và
    hằng năm

The header gives the columns and their order. Each row's lines (cut where a unit's name
starts inside a line) are then split into consecutive cells, one per column in that order,
by the split that fits best: a task's text opens the row, a unit cell opens with a unit's
name, a deadline cell with a period, a cell never opens in lower case (`_segment`).
`store.importing.bare_tables` keeps the older, narrower shape (task, deadline, unit).
"""

from __future__ import annotations

import re

from store.importing.cell_kinds import DEADLINE_START, continue_score, start_score
from store.importing.table_model import Table
from store.importing.units import is_unit_start
from store.text import fold

_REF_HEADER = {"tt", "stt", "so tt"}
_MAX_HEADER = 40
_MAX_CELL_LINE = 80  # a longer line is a footnote or prose, not a cell's line
_WIDE_TITLE = 30  # a title whose first line is this long is wrapped at its column's width
_SHORT_LINE = 0.55  # ... and a line under this share of that width ends it
_TITLE_KEYS = (
    "ten nhiem vu|nhiem vu|noi dung|ten de an|cong viec|giai phap|van ban can|cac van ban"
    "|danh sach cac|vbqppl"
)
#: Header words of each column, looked for in this order (``thoi gian thuc hien`` is a time
#: column before ``thuc hien`` can make it a unit column).
_COLUMNS = (
    ("deadline", ("thoi gian", "thoi han", "tien do", "han hoan thanh")),
    ("cooperating", ("phoi hop",)),
    ("lead", ("chu tri", "don vi thuc hien", "co quan thuc hien", "don vi thuc", "trach nhiem")),
    ("product", ("ket qua", "san pham", "hinh thuc")),
    ("basis", ("can cu",)),
    ("approval", ("cap phe duyet", "cap trinh", "cap ban hanh")),
    ("note", ("ghi chu",)),
    # "Điều, khoản, điểm cần sửa đổi" beside "Các văn bản cần sửa đổi": a text's provisions
    ("clauses", ("dieu, khoan", "dieu khoan")),
    ("title", tuple(_TITLE_KEYS.split("|"))),
)
_HEADS = {
    "title": "Nội dung nhiệm vụ",
    "lead": "Cơ quan chủ trì",
    "cooperating": "Cơ quan phối hợp",
    "product": "Kết quả",
    "deadline": "Thời gian hoàn thành",
    "basis": "Căn cứ",
    "approval": "Cấp phê duyệt",
    "note": "Ghi chú",
    "clauses": "Điều, khoản cần sửa đổi",
}
_OPTIONAL = {"cooperating", "product", "basis", "approval", "note", "deadline", "clauses"}
_ROW_NUMBER = re.compile(r"^(\d{1,3}(?:\.\d{1,2})?)\.?(?:\s+([A-ZĐÀ-Ỹ\"“].*))?$")
#: Words a title's line ends on when the next line goes on with it (``... Nghị quyết số
#: 71-NQ/TW của`` / ``Bộ Chính trị``): a unit's name there is no lead cell.
_CONNECTOR = re.compile(r"\b(?:của|với|cho|và|tại|theo|về|đến|trên|thuộc|các|giữa|khóa|khoá|thứ)$")
_GROUP = re.compile(r"^([IVXLC]{1,5}|[A-H])\.?(?:\s+(\S.*))?$")
_FURNITURE = re.compile(r"^(?:CÔNG BÁO/|Ký bởi:|Cơ quan: [A-ZĐ ]+$|Ngày ký:|_{3,}|-{3,})")
_END = re.compile(r"^(?:PHỤ LỤC|Phụ lục\b|Nơi nhận|Điều \d+\.\s)")
#: Where a line holds the end of one cell and the start of the next: a unit's name opening
#: after a lower-case word (``cơ quan ngang bộ Bộ Tư pháp``), except after its own head word
#: (``Các Bộ: Xây dựng, ...``).
_UNIT_INSIDE = re.compile(
    r"(?<=[a-zà-ỹđ,.])(?<![Cc]ác) (?=(?:Bộ|Sở|Ủy ban|Uỷ ban|UBND|Ban|Văn phòng|Cục|Tổng cục"
    r"|Thanh tra|Ngân hàng|Kiểm toán|Các bộ|Các cơ quan|Các địa phương|Hội đồng|Đài|Thông tấn)\b)"
)


def _header(lines: list[str], start: int) -> tuple[list[str], int, int] | None:
    """(columns in order, index of the first row's line, the header's lines) of a header at
    `start`, else None."""
    if fold(lines[start].strip(" .|*")) not in _REF_HEADER:
        return None
    words: list[str] = []
    for end in range(start + 1, min(start + _MAX_HEADER, len(lines))):
        line = lines[end].strip(" |*")
        if not line:
            continue
        if _ROW_NUMBER.match(line) or _GROUP.match(line):
            return _columns(" ".join(words)), end, len(words)
        if len(line) > 45:
            return None
        words.append(fold(line))
    return None


def _columns(header: str) -> list[str]:
    """The columns a header's words name, in their order (title and lead required)."""
    found: dict[str, int] = {}
    taken: list[tuple[int, int]] = []
    for field, keys in _COLUMNS:
        for key in keys:
            at = next(
                (
                    m.start()
                    for m in re.finditer(re.escape(key), header)
                    if not any(a <= m.start() < b for a, b in taken)
                ),
                -1,
            )
            if at >= 0:
                found[field] = at
                taken.append((at, at + len(key)))
                break
    if "title" not in found or "lead" not in found:
        return []
    return sorted(found, key=found.__getitem__)


class _Tokens(list[str]):
    """A row's lines cut where a unit's name starts inside a line; `widths` holds, for each
    token, the length of the line it ends (None for a part the rest of its line follows)."""

    widths: list[int | None]


def _tokens(lines: list[str]) -> _Tokens:
    """A row's lines, cut where a unit's name starts inside a line."""
    out = _Tokens()
    out.widths = []
    for line in lines:
        parts = [part.strip() for part in _UNIT_INSIDE.split(line) if part.strip()]
        out += parts
        out.widths += [None] * (len(parts) - 1) + [len(line.strip())] * bool(parts)
    return out


def _segment(
    tokens: _Tokens, columns: list[str], *, goes_on: bool = False
) -> dict[str, str] | None:
    """The best split of a row's tokens into consecutive cells, one per column in order
    (optional columns may be empty). With `goes_on`, the tokens are the rest of a row a page
    break cut: they may start in any column, going on with its cell."""
    if not tokens:
        return None
    n, m = len(tokens), len(columns)
    neg = float("-inf")
    # The title column is the widest: its wrapped lines run to its width and only its last
    # line is short, so a title does not go on after a short line (``Bộ Ngoại`` / ``giao``
    # after a title's full lines is the lead cell).
    widths = tokens.widths
    width = 0 if goes_on else widths[0] or 0
    best = [[neg] * m for _ in range(n)]
    back: list[list[int]] = [[-1] * m for _ in range(n)]
    for j in range(m):
        if goes_on:
            best[0][j] = max(
                start_score(tokens[0], columns[j]), continue_score(tokens[0], columns[j])
            )
        elif all(c in _OPTIONAL for c in columns[:j]):
            best[0][j] = start_score(tokens[0], columns[j]) - 0.3 * j
    for i in range(1, n):
        # A line ending on "của", "và" ... goes on in the next one: no cell starts there.
        # ... and one ending on a comma lists on (``Bộ Tài chính,`` / ``Bộ Xây dựng``).
        joined = -4.0 if _CONNECTOR.search(tokens[i - 1]) or tokens[i - 1].endswith(",") else 0.0
        ended = width >= _WIDE_TITLE and (widths[i - 1] or width) < _SHORT_LINE * width
        for j in range(m):
            stay = best[i - 1][j] + continue_score(tokens[i], columns[j])
            if ended and columns[j] == "title":
                stay -= 2.5
            choice, origin = stay, j
            for k in range(j - 1, -1, -1):
                if best[i - 1][k] > neg:
                    start = start_score(tokens[i], columns[j]) + joined
                    moved = best[i - 1][k] + start - 0.3 * (j - k - 1)
                    if moved > choice:
                        choice, origin = moved, k
                if columns[k] not in _OPTIONAL:
                    break  # a required column cannot be left empty
            best[i][j], back[i][j] = choice, origin
    ends = [j for j in range(m) if all(c in _OPTIONAL for c in columns[j + 1 :])]
    last = max(ends, key=lambda j: best[n - 1][j], default=-1)
    if last < 0 or best[n - 1][last] == neg:
        return None
    cells: dict[str, list[str]] = {}
    j = last
    for i in range(n - 1, -1, -1):
        cells.setdefault(columns[j], []).insert(0, tokens[i])
        j = back[i][j] if i else j
    out = {column: " ".join(parts) for column, parts in cells.items()}
    if len(cells.get("deadline", [])) > 1:
        # "Tháng 5/2026" / "Tháng 11/2026": two times of two results in one cell, not a span.
        out["deadline"] = _milestones(cells["deadline"])
    return out


def _merge(cells: dict[str, str], rest: dict[str, str]) -> dict[str, str]:
    """A row's cells and the rest of them after a page break (a second time is a milestone)."""
    out = dict(cells)
    for column, text in rest.items():
        if not out.get(column):
            out[column] = text
        elif column in ("lead", "cooperating", "basis") and fold(text) in fold(out[column]):
            continue  # the sub-row repeats the row's unit (or basis)
        else:
            out[column] = f"{out[column]}{'; ' if column == 'deadline' else ' '}{text}"
    return out


def _milestones(parts: list[str]) -> str:
    """A deadline cell's lines, with ``; `` where a line opens another time in capitals."""
    text = parts[0]
    for part in parts[1:]:
        opens = part[:1].isupper() and DEADLINE_START.match(fold(part))
        text = f"{text}; {part}" if opens else f"{text} {part}"
    return text


def _is_furniture(lines: list[str], index: int) -> bool:
    """A running head, the page number under it, a signature stamp, a footnote."""
    line = lines[index].strip()
    if _FURNITURE.match(line) or len(line) > _MAX_CELL_LINE:
        return True
    previous = next((p.strip() for p in reversed(lines[:index]) if p.strip()), "")
    return line.isdigit() and previous.startswith("CÔNG BÁO/")


def _table(
    lines: list[str], start: int, columns: list[str], first: int, height: int
) -> tuple[Table, int]:
    rows: list[list[str]] = [["TT", *(_HEADS[c] for c in columns)]]
    pending: tuple[str, list[list[str]]] | None = None  # number, lines of each page
    last = ""  # the last row number: rows go 1, 2, 3 ... (or 1.1, 1.2, 2.1; again in a group)
    carried = ""  # ... or on across groups (29, then ``II``, then 30)

    def close() -> None:
        if pending is None:
            return
        cells = _segment(_tokens(pending[1][0]), columns)
        for more in pending[1][1:]:  # the row goes on after a page break
            rest = _segment(_tokens(more), columns, goes_on=True) or {}
            cells = _merge(cells or {}, rest)
        if "clauses" in columns and cells and not is_unit_start(cells.get("lead", "")):
            # a text to amend under the merged cell of the body drafting it: that body
            cells = _segment(_tokens(pending[1][0]), [c for c in columns if c != "lead"])
            at = columns.index("lead") + 1  # (rows start with their number)
            cells = cells and {**cells, "lead": next((r[at] for r in rows[::-1] if r[at]), "")}
        if cells and cells.get("lead"):
            rows.append([pending[0], *(cells.get(c, "") for c in columns)])

    index = first
    while index < len(lines):
        line = lines[index].strip(" |*")
        if not line or _is_furniture(lines, index):
            index += 1
            continue
        if _END.match(line):
            break
        if fold(line.strip(" .")) in _REF_HEADER:  # the header again, on the next page
            index = _skip_lines(lines, index + 1, height)
            if pending is not None and pending[1][-1]:
                pending[1].append([])
            continue
        number = _ROW_NUMBER.match(line)
        if number and not (_follows(last, number.group(1)) or _goes_on(carried, last, number)):
            number = None  # "12" inside a cell, not the next row
        elif number and number.group(2) and last and _restarts(last, number.group(1)):
            # "1. Bộ Tài chính tổng kết ..." then "2. Bộ Tư pháp ..." in a lead cell: a list
            # inside the cell (a row that starts a group again stands alone, "1")
            number = None
        previous = pending[1][-1][-1] if pending and pending[1][-1] else ""
        group = None if number or _CONNECTOR.search(previous) else _GROUP.match(line)
        if number or group:
            close()
            pending = None
            if number:
                last = number.group(1)
                pending = (number.group(1), [[number.group(2)] if number.group(2) else []])
            else:
                assert group is not None
                rows.append([group.group(1), group.group(2) or "", *([""] * (len(columns) - 1))])
                carried, last = last or carried, ""
            index += 1
            continue
        if pending is not None:
            pending[1][-1].append(line)
        elif len(rows) > 1 and not any(rows[-1][2:]):
            rows[-1][1] = f"{rows[-1][1]} {line}".strip()  # a group title over two lines
        index += 1
    close()
    return Table(rows, start, index), index


def _follows(last: str, label: str) -> bool:
    """Whether `label` numbers the row after the row `last` (``3`` after ``2``, ``1.2`` after
    ``1.1``, ``2.1`` after ``1.3`` or after the group row ``2``, any first row)."""
    major, _, minor = label.partition(".")
    before, _, before_minor = last.partition(".")
    if not minor:
        return major == "1" or (last != "" and major == str(int(before) + 1))
    if minor == "1":
        return major == "1" or last == "" or major in (before, str(int(before) + 1))
    return major == before and before_minor != "" and int(minor) == int(before_minor) + 1


def _goes_on(carried: str, last: str, number: re.Match[str]) -> bool:
    """Whether a row number goes on from the group before (``30`` after ``29`` and the group
    row ``II``)."""
    return not last and bool(carried) and _follows(carried, number.group(1))


def _restarts(last: str, label: str) -> bool:
    """Whether `label` starts the numbering again (``1`` after ``4``) rather than going on."""
    return label.partition(".")[0] == "1" and last.partition(".")[0] not in ("", "0")


def _skip_lines(lines: list[str], index: int, count: int) -> int:
    """The index after `count` more non-empty lines (a header repeated on a new page)."""
    while count and index < len(lines):
        count -= bool(lines[index].strip())
        index += 1
    return index


def loose_tables(lines: list[str]) -> list[Table]:
    """Every task table whose cells lost their boundaries (see the module docstring)."""
    tables: list[Table] = []
    index = 0
    while index < len(lines):
        found = _header(lines, index) if lines[index].strip() else None
        if not found or not found[0]:
            index += 1
            continue
        table, stop = _table(lines, index, *found)
        if any(row[0].replace(".", "").isdigit() for row in table.rows[1:]):
            tables.append(table)
        index = max(stop, index + 1)
    return tables
