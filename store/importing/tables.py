"""Tables in a directive's text, in each form captures and readers give them.

* **pipe rows**, one line per row (Markdown tables, and what the document readers make of Word,
  PDF and HTML tables; merged cells repeated): ``| 1 | Xây dựng ... | Bộ Công an | ... |``;
  a Markdown separator row (``|---|---|``) is skipped;
* **one cell per line**, as copying a table out of a web page or a PDF gives it: every cell is
  closed by a line that is a bare ``|`` or ends in `` |`` (a cell that wraps spans several
  lines), and a row opens with an empty cell::

      |            |             |
      TT |         TT            <- the same row in the two captures seen so far
      Tên nhiệm vụ |   |
      ...          Tên nhiệm vụ
                   |

  Since an empty cell looks like a row opening, rows are cut where an empty cell is followed
  by a row number (``1``, ``II``, ``1.2``, ``a``), or by counting the header's cells.

A table is a list of rows of cell texts; which rows are tasks is `store.importing.rows`' job.
"""

from __future__ import annotations

import re

from store.importing.bare_tables import bare_tables
from store.importing.loose_tables import loose_tables
from store.importing.rows import REQUIRED, column_of
from store.importing.table_model import Table, is_cell_end, is_pipe_row, is_tt, pipe_cells
from store.importing.units import is_unit_start

#: Lines a wrapped cell may span before we decide we have left the table.
_MAX_WRAP = 30
_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$")


def _pipe_tables(lines: list[str]) -> list[Table]:
    tables: list[Table] = []
    index = 0
    while index < len(lines):
        if not is_pipe_row(lines[index]):
            index += 1
            continue
        start = index
        rows = []
        while index < len(lines) and (is_pipe_row(lines[index]) or not lines[index].strip()):
            line = lines[index]
            if line.strip() and not _SEPARATOR.match(line):
                rows.append(pipe_cells(line))
            index += 1
        tables.append(Table(rows, start, index))
    return tables


_BREAK = None  # a run of text too long to be a cell: no table goes across it


def _tokens(lines: list[str]) -> list[tuple[str | None, int]]:
    """The flattened cells of the whole text, with the line each ends on (see the docstring)."""
    tokens: list[tuple[str | None, int]] = []
    pending: list[str] = []
    for index, raw in enumerate(lines):
        line = raw.strip()
        if is_pipe_row(line):
            pending = []
            tokens.append((_BREAK, index))
        elif is_cell_end(line):
            pending.append(line[:-1].strip())
            tokens.append((_join_cell(pending), index))
            pending = []
        elif line:
            pending.append(line)
            if len(pending) == _MAX_WRAP:
                tokens.append((_BREAK, index))
    return tokens


def _join_cell(parts: list[str]) -> str:
    """A cell's lines as one text: a wrapped line goes on with a space; a line that starts a
    new unit name after one that ends without a comma is the next entry of a list (``UBND
    xã, phường, đặc khu`` / ``Sở Tài chính``), joined with ``;``."""
    out = ""
    for part in filter(None, parts):
        if out and is_unit_start(part) and not out.endswith((",", ";", "và", "với")):
            out = f"{out}; {part}"
        else:
            out = f"{out} {part}".strip()
    return out


def _header_at(tokens: list[tuple[str | None, int]], start: int) -> int:
    """How many header cells start at `start` (0 when no task header starts there)."""
    if tokens[start][0] is None or column_of(tokens[start][0] or "") is None:
        return 0
    width = 0
    while start + width < len(tokens) and tokens[start + width][0]:
        width += 1
    names = {column_of(cell or "") for cell, _ in tokens[start : start + width]}
    return width if all(field in names for field in REQUIRED) else 0


def _follows(row: list[str], tt: str) -> bool:
    """Whether `tt` numbers the row after `row` (``3`` after ``2``): a row may miss cells that
    are merged with the row above, so the next number shows where it ends."""
    mine, theirs = (row[0] if row else "").strip(" ."), tt.strip(" .")
    return mine.isdigit() and theirs.isdigit() and int(theirs) == int(mine) + 1


def _rows(cells: list[str], width: int) -> list[list[str]]:
    """Cut a flattened cell stream (after the header) into rows of about `width` cells."""
    rows: list[list[str]] = []
    current: list[str] | None = None
    for position, cell in enumerate(cells):
        nxt = cells[position + 1] if position + 1 < len(cells) else ""
        opens = cell == "" and (
            current is None
            or (is_tt(nxt) and (len(current) >= width or sum(map(bool, current)) <= 2))
            or (_follows(current, nxt) and len(current) >= width - 2)
            or len(current) >= width
        )
        if opens:
            current = []
            rows.append(current)
        elif current is not None:
            current.append(cell)
    return [row for row in rows if any(row)]


def _flat_tables(lines: list[str]) -> list[Table]:
    tokens = _tokens(lines)
    tables: list[Table] = []
    index = 0
    while index < len(tokens):
        width = _header_at(tokens, index)
        if not width:
            index += 1
            continue
        header = [cell or "" for cell, _ in tokens[index : index + width]]
        end = index + width
        while end < len(tokens) and tokens[end][0] is not None and not _header_at(tokens, end):
            end += 1
        cells = [cell or "" for cell, _ in tokens[index + width : end]]
        first_line = tokens[index - 1][1] if index else tokens[index][1]
        last_line = tokens[end - 1][1] + 1
        tables.append(Table([header, *_rows(cells, width)], first_line, last_line))
        index = end
    return tables


def find_tables(lines: list[str]) -> list[Table]:
    """Every table in the text, in document order (pipe rows and flattened cells)."""
    tables = _pipe_tables(lines) + _flat_tables(lines)
    taken = {index for table in tables for index in range(table.start, table.end)}
    tables += [table for table in bare_tables(lines) if table.start not in taken]
    taken = {index for table in tables for index in range(table.start, table.end)}
    tables += [table for table in loose_tables(lines) if table.start not in taken]
    return sorted(tables, key=lambda table: table.start)


def table_lines(lines: list[str]) -> set[int]:
    """Indexes of the lines that belong to tables (for the paragraph reader to skip)."""
    inside: set[int] = set()
    for index, line in enumerate(lines):
        if is_pipe_row(line) or is_cell_end(line.strip()):
            inside.add(index)
    # Lines of a flattened cell: between two bare bars, a few lines apart.
    last_bar = -100
    for index, line in enumerate(lines):
        if line.strip() == "|":
            if 0 < index - last_bar <= 4:
                inside.update(range(last_bar + 1, index))
            last_bar = index
    return inside
