"""Render a corpus document (text / Markdown capture) as the files officials receive.

Used by `tests.bench.bench_import_formats`. The text is first cut into blocks as a reader of
the page would see them (`blocks`):

* every line is a paragraph (in a capture whose lines are wrapped, with blank lines between
  paragraphs, the wrapped lines of a paragraph are joined again), its Markdown markup
  (``**``, ``#``, ``*`` bullets) removed the way the importer removes it
  (`store.importing.cleanup.strip_markup`);
* a legal website's summary placed before the text is dropped (as the importer drops it);
* task tables, as `store.importing.tables.find_tables` finds them (Markdown pipe rows, cells
  captured one per line with or without bars), and other Markdown pipe tables become ruled
  tables; other tables captured one cell per line between bare ``|`` lines become tables too,
  ruled when they have three rows and columns or more, else without rules (the header's two
  columns, the signature block).

Then `to_docx` writes a Word file; `tests.bench.format_pdf` writes the PDF and the scan.

`to_docx`: a Word file (python-docx: one paragraph per line, tables with the ``Table
Grid`` style, identical cells of the first column merged down), `to_pdf` a text-layer PDF
(fpdf2, A4, DejaVu Serif 13 pt, justified paragraphs with a first-line indent that wrap at
the right margin, ruled tables set in 10.5 pt -- smaller, or on landscape pages, when wide
-- whose rows split across pages as Word lets them, the page number at the top centre of each
page), and `to_scan` an image-only PDF of that PDF's pages at
300 dpi (what a scanner gives), so the OCR path runs.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from store.importing.cleanup import LIST_MARKER, drop_page_summary, strip_markup
from store.importing.table_model import is_cell_end, is_pipe_row, is_tt, pipe_cells
from store.importing.tables import find_tables

FONTS = Path("/usr/share/fonts/truetype/dejavu")
#: A line that ends like this goes on in the next one (``Sở Văn hóa, Thể thao và``).
_RUNS_ON = re.compile(r"(?:,|\b(?:và|của|với|các|về|cho|trong|tại|theo|để))$")
_MAX_CELL_LINES = 30  # a longer run between two bars is text, not a cell
_LAYOUT_CELL_LINES = 4


@dataclass
class Block:
    """A paragraph (`text`) or a table (`rows`)."""

    text: str = ""
    rows: list[list[str]] = field(default_factory=list)
    ruled: bool = True  # a task table has rules; a layout table (the header) has none
    heading: bool = False  # a Markdown heading (``#``): a paragraph of its own
    runs_on: bool = False  # its line leaves ``**`` or ``*`` open: the paragraph goes on

    @property
    def is_table(self) -> bool:
        """Whether this block is a table."""
        return bool(self.rows)


def _clean(line: str) -> str:
    line = line.strip()
    if line.endswith(" |"):
        line = line[:-2]
    return strip_markup(line)


def _square(rows: list[list[str]]) -> list[list[str]]:
    rows = [[_clean(cell) for cell in row] for row in rows]
    rows = [row for row in rows if any(row)]
    width = max((len(row) for row in rows), default=0)
    return [row + [""] * (width - len(row)) for row in rows]


def blocks(text: str) -> list[Block]:
    """The document as a reader of the page sees it: paragraphs and tables, in order."""
    # A legal website's summary of the document is no part of the file an official receives.
    lines = drop_page_summary(text.replace("\r\n", "\n").split("\n"))
    # Every task table the importer finds, whatever the capture left of it (pipe rows, one
    # cell per line with or without bars), was a table in the document.
    tables = {table.start: table for table in find_tables(lines)}
    out: list[Block] = []
    index = 0
    while index < len(lines):
        table = tables.get(index)
        raw = lines[index].strip()
        if table is not None and table.end > index:
            rows, index = _square(_recut(table.rows)), table.end
        elif is_pipe_row(raw):
            rows, index = _pipe_rows(lines, index)
        elif is_cell_end(raw):
            rows, index = _layout(lines, index, set(tables))
            if len(rows) == 1 and len(rows[0]) == 1:  # one cell: a paragraph
                out.append(Block(text=rows[0][0]))
                continue
            if rows:  # a data table (three columns and rows or more) has rules
                out.append(Block(rows=rows, ruled=len(rows) >= 3 and len(rows[0]) >= 3))
            continue
        else:
            out.append(Block(text=_clean(raw), heading=raw.startswith("#"), runs_on=_open(raw)))
            index += 1
            continue
        if rows:
            out.append(Block(rows=rows))
    return _markdown_paragraphs(out) if _hard_wrapped(out) else out


def _open(raw: str) -> bool:
    """Whether a Markdown line leaves emphasis open (``**4. Đề nghị Ủy ban`` ...)."""
    strong = raw.count("**")
    return strong % 2 == 1 or (raw.count("*") - 2 * strong) % 2 == 1


def _hard_wrapped(doc: list[Block]) -> bool:
    """Whether blank lines separate paragraphs whose lines the capture wrapped (the test of
    `store.importing.cleanup.paragraphs`)."""
    text = [i for i, block in enumerate(doc) if block.text]
    if len(text) < 10:
        return False
    followed = sum(1 for i in text if i + 1 < len(doc) and doc[i + 1].text)
    return len(doc) - len(text) >= len(text) * 0.1 and followed >= len(text) * 0.3


def _markdown_paragraphs(doc: list[Block]) -> list[Block]:
    """Lines the capture wrapped joined again into their paragraph: a line goes on with the
    one before when that one is near the wrap width, ends in a comma or a connecting word or
    inside emphasis, or when it starts in lower case; never a list item, a heading, a rule
    (``---``) or front matter."""
    lengths = sorted(len(block.text) for block in doc if len(block.text) > 20)
    width = lengths[int(len(lengths) * 0.9)] if lengths else 0
    out: list[Block] = []
    front = bool(doc) and doc[0].text == "---"  # YAML front matter, up to the next ``---``
    for block in doc:
        previous = out[-1] if out else None
        rule = not block.text.strip("-_*= ")
        if (
            not front
            and previous is not None
            and previous.text
            and block.text
            and not rule
            and previous.text.strip("-_*= ")
            and not previous.heading
            and not block.heading
            and not LIST_MARKER.match(block.text)
            and (
                previous.runs_on
                or len(previous.text) >= 0.6 * width
                or block.text[:1].islower()
                or _RUNS_ON.search(previous.text) is not None
            )
        ):
            previous.text = f"{previous.text} {block.text}"
            previous.runs_on = previous.runs_on != block.runs_on
        else:
            out.append(block)
            if rule and out[0] is not block:
                front = False
    return out


def _recut(rows: list[list[str]]) -> list[list[str]]:
    """Rows of a table captured one cell per line, cut again where the importer's guess ran
    two rows together: a row longer than the header goes on, after an empty cell, with a row
    number (``I``, ``1.1``), where the next row starts."""
    width = len(rows[0]) if rows else 0
    out: list[list[str]] = []
    for row in rows:
        current: list[str] = []
        for position, cell in enumerate(row):
            opens = (
                len(row) > width
                and current
                and position > 0
                and not _clean(row[position - 1])
                and is_tt(_clean(cell))
            )
            if opens:
                out.append(current)
                current = []
            current.append(cell)
        out.append(current)
    return out


def _pipe_rows(lines: list[str], index: int) -> tuple[list[list[str]], int]:
    """A Markdown pipe table that is not a task table, and the line after it."""
    rows = []
    while index < len(lines) and is_pipe_row(lines[index].strip()):
        line = lines[index].strip()
        if line.strip("|-: "):  # (not the ``|---|---|`` separator)
            rows.append(pipe_cells(line))
        index += 1
    return _square(rows), index


def _layout(lines: list[str], index: int, stops: set[int]) -> tuple[list[list[str]], int]:
    """A layout table captured one cell per line (the header's two columns, a recipient
    list, the signature block), and the line after it.

    Every cell is closed by a bare ``|`` (or a line ending in `` |``) and a row opens with an
    empty cell (see `store.importing.tables`). The table ends where the text after a bar is
    not closed by another bar within a few lines (`_LAYOUT_CELL_LINES`; `_MAX_CELL_LINES` in
    a table of three columns or more) without a blank line.
    """
    cells: list[str] = []
    first = lines[index].strip()
    cells.append(_cell([first[:-1]] if first != "|" else []))
    index += 1
    above = current = 0  # cells in the row above, and in this one so far
    while index < len(lines):
        # A data table's cells may be long; a layout table holds a few lines a cell, so a
        # longer run there is the text of the document (as `store.importing.tables` reads it).
        limit = _MAX_CELL_LINES if max(above, current) >= 3 else _LAYOUT_CELL_LINES
        end = index
        while (
            end < len(lines)
            and end - index < limit
            and lines[end].strip()
            and not is_cell_end(lines[end].strip())
            and not is_pipe_row(lines[end].strip())
            and end not in stops
        ):
            end += 1
        if end >= len(lines) or not is_cell_end(lines[end].strip()) or end in stops:
            break
        last = lines[end].strip()
        cells.append(_cell([*lines[index:end], *([last[:-1]] if last != "|" else [])]))
        if cells[-1]:
            current += 1
        else:  # an empty cell opens a row
            above, current = current, 0
        index = end + 1
    rows: list[list[str]] = []
    for cell in cells:
        if not cell or not rows:
            rows.append([])
        if cell:
            rows[-1].append(cell)
    return _square(rows), index


def _cell(lines: list[str]) -> str:
    """A captured cell's lines as its text: the capture's wraps joined with a space, a rule
    (``-----``) or a bullet on a paragraph of its own."""
    out: list[str] = []
    for line in (_clean(x) for x in lines):
        if not line:
            continue
        if out and not line.startswith(("-", "+", "_")) and out[-1].strip("-_ ") != "":
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return "\n".join(out)


def to_docx(doc: list[Block]) -> bytes:
    """A Word file: one paragraph per line, tables as Word tables."""
    from docx import Document
    from docx.shared import Pt

    word = Document()
    style = word.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    for block in doc:
        if not block.is_table:
            word.add_paragraph(block.text)
            continue
        width = len(block.rows[0])
        grid = word.add_table(rows=len(block.rows), cols=width)
        if block.ruled:
            grid.style = "Table Grid"
        for r, row in enumerate(block.rows):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
        if block.ruled:
            _merge_first_column(grid, block.rows)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _merge_first_column(grid: Any, rows: list[list[str]]) -> None:
    """Merge identical, non-empty first-column cells of adjacent rows (a group's number)."""
    start = 0
    for r in range(1, len(rows) + 1):
        if r < len(rows) and rows[r][0] and rows[r][0] == rows[start][0]:
            continue
        if r - 1 > start:
            top, bottom = grid.cell(start, 0), grid.cell(r - 1, 0)
            merged = top.merge(bottom)
            merged.text = rows[start][0]
        start = r
