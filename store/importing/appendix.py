"""The appendix task table of a decision (``DANH MỤC NHIỆM VỤ``), as captures flatten it.

In ``qd230-vpcp-2025.txt`` (and in what `store.importing.readers` makes of a .docx table) a table
is one cell per line: each row opens with a bare ``|`` line, then each cell's text follows with
`` |`` at the end of its last line (a cell that wraps spans several lines, only the last one ending
in ``|``; an empty cell is a bare ``|``)::

    |
    TT |
    Tên nhiệm vụ |
    Đơn vị chủ trì |
    Cơ quan, đơn vị phối hợp |
    Thời gian hoàn thành |
    Sản phẩm dự kiến hoàn thành |
    |
    1 |
    Thủ trưởng các đơn vị phối hợp chặt chẽ ... |
    ...

Since an empty cell looks like a row marker, rows are cut by counting: the header row gives the
number of columns, and each row is its marker plus that many cells. A row that does not start
with a marker and a ``TT`` value re-synchronises on the next one that does.
"""

from __future__ import annotations

import re

from store.importing.parsed import ParsedTask
from store.importing.rows import REQUIRED, header_columns, rows_to_tasks
from store.text import fold

#: Lines a wrapped cell may span before we decide we have left the table.
_MAX_WRAP = 8
_TT = re.compile(r"^(?:[IVXLC]+|\d{1,4}(?:\.\d{1,3})*|[a-zđ])[.)]?$")
_BODY_HEADING = re.compile(r"^(\d{1,2})\.\s+(\S.*)$")
_LETTERED = re.compile(r"^[a-zđ]\)\s")


def _cells(lines: list[str], start: int, limit: int | None = None) -> list[str]:
    """Cell texts from `start` on, joining wrapped lines, until the table ends (or `limit`)."""
    cells: list[str] = []
    pending: list[str] = []
    for index in range(start, len(lines)):
        line = lines[index]
        if line == "|" or line.endswith(" |"):
            pending.append(line[:-1].strip())
            cells.append(" ".join(part for part in pending if part))
            pending = []
            if limit is not None and len(cells) >= limit:
                break
        elif line.strip():
            pending.append(line.strip())
            if len(pending) > _MAX_WRAP:
                break
    return cells


def _is_tt(value: str) -> bool:
    return bool(_TT.match(value.strip()))


def _header_at(lines: list[str], index: int) -> tuple[list[str], dict[str, int]] | None:
    """The header row starting at a row marker, if it names the task columns."""
    cells = _cells(lines, index + 1, limit=12)
    header: list[str] = []
    for cell in cells:
        if not cell:
            break
        header.append(cell)
    columns = header_columns(header)
    if all(field in columns for field in REQUIRED):
        return header, columns
    return None


def find_tables(lines: list[str]) -> list[tuple[int, list[str], dict[str, int]]]:
    """Every task table in the text: (marker line index, header cells, column map)."""
    found = []
    for index, line in enumerate(lines):
        # Cheap filter first: a data row's marker is followed by its TT value ("1 |").
        if line == "|" and index + 1 < len(lines) and not _is_tt(lines[index + 1].rstrip(" |")):
            header = _header_at(lines, index)
            if header:
                found.append((index, *header))
    return found


def _table_rows(
    lines: list[str], index: int, header: list[str], columns: dict[str, int]
) -> list[dict[str, str]]:
    width = len(header) + 1  # the row marker, then one cell per column
    folded = [fold(h) for h in header]
    cells = _cells(lines, index)[width:]
    rows: list[dict[str, str]] = []
    pos = 0
    while pos + 2 <= len(cells):
        if cells[pos] != "" or not _is_tt(cells[pos + 1]):
            pos = _resync(cells, pos + 1)
            if pos < 0:
                break
            continue
        chunk = cells[pos + 1 : pos + width]
        chunk += [""] * (len(header) - len(chunk))
        pos += width
        if chunk[0].lower() == header[0].lower() and [fold(c) for c in chunk] == folded:
            continue  # a header repeated at a page break
        rows.append({field: chunk[col] for field, col in columns.items()})
    return rows


def _resync(cells: list[str], start: int) -> int:
    for pos in range(start, len(cells) - 2):
        if cells[pos] == "" and _is_tt(cells[pos + 1]) and cells[pos + 2]:
            return pos
    return -1


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


def parse_appendix(lines: list[str]) -> tuple[list[ParsedTask], list[str]] | None:
    """Tasks from the document's task tables, or None when it has none.

    Args:
        lines: Cleaned lines (`store.importing.cleanup.clean_lines`).
    """
    tables = find_tables(lines)
    if not tables:
        return None
    tasks: list[ParsedTask] = []
    warnings: list[str] = []
    titles = body_group_titles(lines)
    for number, (index, header, columns) in enumerate(tables, start=1):
        rows = _table_rows(lines, index, header, columns)
        found, notes = rows_to_tasks(rows, titles)
        if len(tables) > 1:  # keep refs unique across tables: "T2:I.1"
            for task in found:
                task.ref = f"T{number}:{task.ref}" if number > 1 else task.ref
        tasks.extend(found)
        warnings.extend(notes)
    return tasks, warnings
