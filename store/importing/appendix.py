"""Task tables of a document (``DANH MỤC NHIỆM VỤ``, ``Phụ lục``): their rows become tasks.

Any table (`store.importing.tables` finds them in every form) whose header names a task column
and a lead column (`store.importing.rows.column_of`: ``Nhiệm vụ``, ``Nội dung``, ``Tên nhiệm
vụ`` ...; ``Đơn vị chủ trì``, ``Cơ quan thực hiện`` ...) is a task table, whatever the order or
the number of its columns. A header split over two rows (``Cơ quan thực hiện`` over ``Chủ trì |
Phối hợp``, merged cells repeated) is read as one. Tables of figures or targets (``Chỉ tiêu``,
``Tổng số``) name no task column and are not read.

Rows follow `store.importing.rows`: roman rows head groups, numbers restart per group, letters
are sub-rows. A second task table prefixes its refs with ``T2:`` (``T3:`` ...).
"""

from __future__ import annotations

import re

from store.importing.inspections import schedule_columns
from store.importing.parsed import ParsedTask
from store.importing.rows import REQUIRED, column_of, header_columns, rows_to_tasks
from store.importing.table_model import Table, is_tt
from store.importing.tables import find_tables
from store.text import fold

_BODY_HEADING = re.compile(r"^(\d{1,2})\.\s+(\S.*)$")
_LETTERED = re.compile(r"^[a-zđ]\)\s")
_MAX_HEADER_ROW = 4
_GROUP_CELL = re.compile(r"^([IVXLC]{1,5}|\d{1,2})[.)]\s+(\S.*)$")
#: Columns of a progress report (what was done about tasks assigned elsewhere), not a plan.
_REPORT_COLUMNS = ("van ban giao", "tinh hinh thuc hien", "ket qua trien khai", "ket qua da")


def _is_report(header: list[str]) -> bool:
    """A table of progress (``Văn bản giao nhiệm vụ``, ``Tình hình thực hiện``, or a ``Tiến độ``
    column beside the deadline column) reports on tasks assigned elsewhere."""
    keys = [fold(cell) for cell in header]
    deadlines = [key for key in keys if column_of(key) == "deadline"]
    progress = len(deadlines) > 1 and any(key.startswith("tien do") for key in deadlines)
    return progress or any(key.startswith(_REPORT_COLUMNS) for key in keys)


def _header(table: Table) -> tuple[int, dict[str, int], int] | None:
    """(header row index, column map, rows the header takes) of a task table, else None."""
    for index, row in enumerate(table.rows[:_MAX_HEADER_ROW]):
        if _is_report(row):
            return None
        columns = header_columns(row)
        if not all(field in columns for field in REQUIRED):
            # ``Cơ quan thực hiện`` over ``Chủ trì | Phối hợp``: read the two rows as one.
            if index + 1 < len(table.rows) and len(table.rows[index + 1]) == len(row):
                merged = [
                    a if a == b else f"{a} {b}".strip()
                    for a, b in zip(row, table.rows[index + 1], strict=True)
                ]
                columns = header_columns(merged)
                if all(field in columns for field in REQUIRED):
                    return index, columns, 2
            continue
        following = table.rows[index + 1] if index + 1 < len(table.rows) else []
        if _is_sub_header(following):
            merged = [
                f"{a} {b}".strip() if b and b != a else a
                for a, b in zip(row, following + [""] * (len(row) - len(following)), strict=False)
            ]
            return index, header_columns(merged), 2
        return index, columns, 1
    return None


def _is_sub_header(cells: list[str]) -> bool:
    """``| | | Chủ trì | Phối hợp | |`` under ``Cơ quan thực hiện``: names, no row number."""
    named = [cell for cell in cells if cell]
    return (
        bool(named)
        and not is_tt(cells[0])
        and all(len(cell) <= 40 and column_of(cell) is not None for cell in named)
    )


def _numbered_without_header(table: Table, found: tuple[int, dict[str, int], int]) -> bool:
    """``| Nội dung | Đơn vị thực hiện | ... |`` over ``| 1.1 | Xây dựng ... | Sở Y tế | ... |``:
    a header repeated without its number column (the number cell was merged with a group row
    above it), over rows one cell wider whose first cell is a number."""
    index, columns, height = found
    if "ref" in columns:
        return False
    width = len(table.rows[index])
    body = [cells for cells in table.rows[index + height :] if sum(map(bool, cells)) > 2]
    wider = [cells for cells in body if len(cells) == width + 1 and is_tt(cells[0])]
    return bool(body) and len(wider) * 2 > len(body)


def _as_rows(table: Table, found: tuple[int, dict[str, int], int]) -> list[dict[str, str]]:
    index, columns, height = found
    header = [fold(c) for c in table.rows[index]]
    if _numbered_without_header(table, found):
        header = ["stt", *header]
        columns = {"ref": 0} | {field: col + 1 for field, col in columns.items()}
    rows: list[dict[str, str]] = []
    numbered: dict[str, str] | None = None  # the last row with a number of its own
    subs = 0
    for cells in table.rows[index + height :]:
        if [fold(c) for c in cells] == header:
            continue  # a header repeated at a page break
        merged = _GROUP_CELL.match(cells[0]) if sum(map(bool, cells)) == 1 else None
        spanning = {cell for cell in cells[1:] if cell}
        if merged:  # ``I. NÂNG CAO NHẬN THỨC`` -- number and title in one merged cell
            row = {"ref": merged.group(1), "title": merged.group(2)}
        elif len(cells) > 2 and len(spanning) == 1 and cells.count(next(iter(spanning))) > 1:
            # ``| I | Nhóm nhiệm vụ I | Nhóm nhiệm vụ I | ...``: a title merged across the row.
            row = {"ref": cells[0], "title": next(iter(spanning))}
        elif len(cells) < len(header) and cells and is_tt(cells[0]) and sum(map(bool, cells)) <= 2:
            # A group row whose title cell spans the row: ``I | Hoàn thiện thể chế``.
            row = {"ref": cells[0], "title": " ".join(c for c in cells[1:] if c)}
        elif numbered is not None and (_is_sub_row(cells, header) or _unnumbered(cells, header)):
            # A row under a merged number cell: its cells start at the task column (or its
            # number cell is empty), and the cells it lacks are merged with the numbered row's.
            subs += 1
            shifted = (
                cells if len(cells) >= len(header) else [""] * columns.get("title", 1) + cells
            )
            row = {field: _cell(shifted, header, col) for field, col in columns.items()}
            row = {field: row.get(field) or numbered.get(field, "") for field in numbered}
            row["ref"] = f"{numbered['ref'].rstrip('.')}.{subs + 1}"
        else:
            row = {field: _cell(cells, header, col) for field, col in columns.items()}
            if row.get("ref") and row.get("lead"):
                numbered, subs = row, 0
        row["source"] = "| " + " | ".join(cells) + " |"  # the row as the document has it
        rows.append(row)
    return rows


def _is_sub_row(cells: list[str], header: list[str]) -> bool:
    """``| Xây dựng hạ tầng ... | Trung tâm X |`` after a numbered row, in a table copied one
    cell per line: fewer cells than the header, no number, a task's text first."""
    filled = [cell for cell in cells if cell]
    return (
        len(cells) < len(header)
        and len(filled) >= 2
        and not is_tt(cells[0])
        and len(cells[0]) >= 30
    )


def _unnumbered(cells: list[str], header: list[str]) -> bool:
    """``| | Ban hành hướng dẫn ... | Sở X | | |``: a full row whose number cell is empty
    (merged with the row above), with a task's text and more than the text."""
    filled = [cell for cell in cells[1:] if cell]
    return len(cells) >= len(header) and not cells[0] and len(filled) >= 2 and len(cells[1]) >= 15


def _cell(cells: list[str], header: list[str], col: int) -> str:
    """A row's cell in a column, or, when it is empty, the first filled cell of the columns
    merged under the same header (``Cấp trình và thời gian trình`` over three columns)."""
    for index in range(col, len(cells)):
        if index > col and (index >= len(header) or header[index]):
            break  # the next column has a header of its own
        if cells[index]:
            return cells[index]
    return ""


def body_group_titles(lines: list[str]) -> list[str]:
    """Numbered body headings that have lettered items: the appendix groups' titles.

    In 230/QĐ-VPCP the body's ``1. Nâng cao nhận thức ...`` to ``5. Đẩy mạnh chuyển đổi số ...``
    announce the appendix's five groups, whose roman-numeral rows the capture lost.
    """
    titles: list[str] = []
    for index, line in enumerate(lines[:-1]):
        match = _BODY_HEADING.match(line)
        if match and _LETTERED.match(lines[index + 1]):
            titles.append(match.group(2).rstrip(" .:"))
    return titles


def parse_appendix(lines: list[str]) -> tuple[list[ParsedTask], list[str], list[Table]]:
    """Tasks from the document's task tables.

    Args:
        lines: Cleaned lines (`store.importing.cleanup.clean_lines`).

    Returns:
        The tasks, warnings about rows skipped, and the tables whose lines are not text: the
        task tables read and the progress tables left out (in order).
    """
    tasks: list[ParsedTask] = []
    warnings: list[str] = []
    used: list[Table] = []
    read = 0
    titles = body_group_titles(lines)
    for table in find_tables(lines):
        found = _header(table)
        if found is None:
            if _is_report(table.rows[0]) or schedule_columns(table):
                # not read here (an inspection schedule is read once the text named its
                # inspector), but its cells are no text to read either
                used.append(table)
            continue
        used.append(table)
        read += 1
        rows, notes = rows_to_tasks(_as_rows(table, found), titles)
        for task in rows:
            if read > 1:  # keep refs unique across tables: "T2:I.1"
                task.ref = f"T{read}:{task.ref}"
        tasks.extend(rows)
        warnings.extend(notes)
    return tasks, warnings, used
