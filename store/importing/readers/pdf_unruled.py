"""Task tables without vertical rules: columns read from the white space between words.

Appendix tables are often drawn with horizontal rules only, or none, so no ruled-table finder
sees them and their cells would be read as running text. A page is searched for one only when
its text names the columns of a task table; then:

* the **header** is one to three visual rows that together name at least three columns of a
  task table (``TT``/``STT``, ``Nội dung``/``Nhiệm vụ``, ``... chủ trì``, ``Thời gian``/``Thời
  hạn``, ``Sản phẩm``, ``phối hợp``), among them the content and the lead or the time;
* the **body** runs from the header down to the first vertical gap wider than
  `_END_GAP` line heights (or the page's end); trailing running text (two rows across the
  columns) is left out;
* **columns** are the stretches of x that most rows cover, split by gutters only a few rows
  (group titles across the table) cross;
* a **row** starts where the ``TT`` column has text (or, without one, after a gap wider than a
  line), and at a row that spans columns (a group title, repeated over the columns it spans
  as a merged cell is); other visual rows continue the cells above them.

The rows come out as the pipe rows every table gives (`tables`).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from statistics import median
from typing import Any

from store.importing.readers.limits import Tally
from store.importing.readers.pdf_lines import rows_by_top
from store.importing.readers.pdf_tables import unwrap
from store.importing.readers.tables import one_line, table_lines
from store.text import fold, nfc

_GATE = re.compile(r"chủ\s+trì|thời\s+(?:gian|hạn)|nội\s+dung|nhiệm\s+vụ", re.IGNORECASE)
_CONTENT = re.compile(r"nội\s+dung|nhiệm\s+vụ|công\s+việc|đề\s+án", re.IGNORECASE)
_LEAD_OR_TIME = re.compile(r"chủ\s+trì|thời\s+(?:gian|hạn)|tiến\s+độ", re.IGNORECASE)
_ROW_GATE = re.compile(rf"{_GATE.pattern}|\bS?TT\b|công\s+việc|sản\s+phẩm", re.IGNORECASE)
_HEADS = {
    "tt": re.compile(r"\bs?tt\b"),
    "content": re.compile(r"\b(?:noi dung|nhiem vu|cong viec|de an)\b"),
    "lead": re.compile(r"\bchu tri\b"),
    "time": re.compile(r"\bthoi (?:gian|han)\b|\btien do\b"),
    "product": re.compile(r"\bsan pham\b|\bket qua\b"),
    "cooperating": re.compile(r"\bphoi hop\b"),
}
#: Lines of one cell are closer than this many line heights; rows are further apart.
_CELL_GAP = 0.45
_NUMBER = re.compile(r"^(?:\d{1,3}|[IVXLC]{1,6})[.)]?$")
_PAGE_NUMBER = re.compile(r"^[-–\s]*\d{1,4}[-–\s]*$|^Trang\s+\d", re.IGNORECASE)
#: A vertical gap this many line heights wide ends the table.
_END_GAP = 3.0
#: Words closer than this (in line heights) are one run of text (a space is about 0.25).
_RUN_GAP = 0.35

Run = tuple[float, float, str]


@dataclass(frozen=True)
class Columns:
    """A table's column boundaries, its ``TT`` column and its horizontal extent."""

    bounds: list[float]
    tt: int | None
    left: float
    right: float


@dataclass
class UnruledTable:
    """A table found by its white space: its box and its rows of cell texts."""

    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom (like pdfplumber's)
    rows: list[list[str]] = field(default_factory=list)
    columns: Columns | None = None

    def lines(self, tally: Tally) -> list[str]:
        """The table as pipe rows."""
        for row in self.rows:
            tally.row(len(row))
        return table_lines(self.rows)


class UnruledFinder:
    """Finds unruled task tables page by page.

    A table that runs to the end of its page goes on at the top of the next one without its
    header: rows there that fit its columns are read as its rows (and join it, since only
    blank lines separate the two blocks of pipe rows).
    """

    def __init__(self) -> None:
        self.carry: Columns | None = None

    def find(self, words: list[dict[str, Any]]) -> tuple[list[UnruledTable], list[dict[str, Any]]]:
        """Unruled task tables among a page's words, and the words outside them."""
        carry, self.carry = self.carry, None
        gated = bool(words) and bool(_GATE.search(nfc(" ".join(w["text"] for w in words))))
        if not words or not (gated or carry):
            return [], words
        rows = _rows(words)
        texts = [nfc(" ".join(w["text"] for w in row)) for row in rows]
        tables: list[UnruledTable] = []
        spans: list[tuple[int, int]] = []
        i = 0
        if carry is not None:
            table, start, taken = _continued(rows, texts, carry)
            if table is not None:
                tables.append(table)
                spans.append((start, start + taken))
                i = start + taken
        # Only a row naming a column can start a header (the search folds text: keep it rare).
        while gated and i < len(rows):
            header = _header(rows, texts, i) if _ROW_GATE.search(texts[i]) else 0
            table, taken = (
                _table(rows[i : _body_end(rows, i + header)], header) if header else (None, 0)
            )
            if table is None:
                i += 1
                continue
            tables.append(table)
            spans.append((i, i + taken))
            i += taken
        if not tables:
            return [], words
        if all(_PAGE_NUMBER.match(text) for text in texts[spans[-1][1] :]):
            self.carry = tables[-1].columns  # the last table runs to the page's end
        used = {id(word) for start, end in spans for row in rows[start:end] for word in row}
        return tables, [word for word in words if id(word) not in used]


def _continued(
    rows: list[list[dict[str, Any]]], texts: list[str], columns: Columns
) -> tuple[UnruledTable | None, int, int]:
    """The rows at the top of a page that go on with the table of the page before."""
    start = 0
    while start < len(rows) and _PAGE_NUMBER.match(texts[start]):
        start += 1  # a page number above the table
    if start >= len(rows):
        return None, start, 0
    region = rows[start : _body_end(rows, start + 1)]
    layout = _layout(region, columns.bounds)
    margin = 2 * _height(region[0])
    inside = all(
        columns.left - margin <= x0 and x1 <= columns.right + margin
        for x0, x1, _text in layout.runs[0]
    )
    # A row number early on tells table rows from what follows a table (a signature block).
    numbered = columns.tt is None or any(
        a == columns.tt and _NUMBER.match(text)
        for k in range(min(3, len(region)))
        for (_x0, _x1, text), (a, _b) in zip(layout.runs[k], layout.spans[k], strict=True)
    )
    if layout.crossing[0] or not inside or not numbered:
        return None, start, 0
    taken = _taken(layout, 0)
    body = _body(layout, range(taken), columns.tt, len(columns.bounds) + 1)
    if not any(sum(1 for cell in row if cell) >= 2 for row in body):
        return None, start, 0
    return UnruledTable(_bbox(region[:taken]), body, columns), start, taken


def _rows(words: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    return rows_by_top(words)


def _height(row: list[dict[str, Any]]) -> float:
    return max(1.0, median(w["bottom"] - w["top"] for w in row))


def _gap(rows: list[list[dict[str, Any]]], k: int) -> float:
    """White space between visual row `k` and the lowest text of the row before it."""
    return rows[k][0]["top"] - max(w["bottom"] for w in rows[k - 1])


def _header(rows: list[list[dict[str, Any]]], texts: list[str], start: int) -> int:
    """How many rows from `start` make a task table's header (0: none).

    A header names at least three columns of a task table within three visual rows; rows set
    tight below it with no row number (``Thời gian`` / ``hoàn thành``) are its own too.
    """
    raw = ""
    for k in range(start, min(start + 3, len(rows))):
        if k > start and _gap(rows, k) > _CELL_GAP * _height(rows[k]):
            break
        raw += " " + texts[k]
        if not (_CONTENT.search(raw) and _LEAD_OR_TIME.search(raw)):
            continue  # (cheap test first: folding every row of a page costs)
        text = fold(raw)
        hits = {name for name, pattern in _HEADS.items() if pattern.search(text)}
        if len(hits) >= 3 and "content" in hits and hits & {"lead", "time"}:
            end = k + 1
            while (
                end < len(rows)
                and _gap(rows, end) <= _CELL_GAP * _height(rows[end])
                and not any(_NUMBER.match(w["text"]) for w in rows[end])
            ):
                end += 1
            return end - start
    return 0


def _body_end(rows: list[list[dict[str, Any]]], start: int) -> int:
    end = start
    while end < len(rows):
        gap = rows[end][0]["top"] - rows[end - 1][-1]["bottom"]
        if gap > _END_GAP * _height(rows[end - 1]):
            break
        end += 1
    return end


def _runs(row: list[dict[str, Any]]) -> list[Run]:
    """The row's words joined into runs of text (x0, x1, text): a space apart is one run."""
    gap = _RUN_GAP * _height(row)
    runs: list[list[Any]] = []
    for word in row:
        if runs and word["x0"] - runs[-1][1] <= gap:
            runs[-1][1] = max(runs[-1][1], word["x1"])
            runs[-1][2] += " " + word["text"]
        else:
            runs.append([word["x0"], word["x1"], word["text"]])
    return [(x0, x1, text) for x0, x1, text in runs]


def _bounds(header: list[Run], body: list[list[Run]]) -> list[float]:
    """Column boundaries: between two header cells, where fewest body runs cross."""
    anchors: list[list[float]] = []
    for x0, x1, _text in sorted(header):
        if anchors and x0 < anchors[-1][1] + 1.0:
            anchors[-1][1] = max(anchors[-1][1], x1)
        else:
            anchors.append([x0, x1])
    if len(anchors) < 3:
        return []
    left = int(min([a[0] for a in anchors] + [r[0] for row in body for r in row]))
    right = int(max([a[1] for a in anchors] + [r[1] for row in body for r in row])) + 2
    delta = [0] * (right - left + 2)
    for row in body:
        for x0, x1, _text in row:
            delta[int(x0) - left] += 1
            delta[int(x1) - left + 1] -= 1
    cover, count = [], 0
    for step in delta:
        count += step
        cover.append(count)
    bounds: list[float] = []
    for (_a0, a1), (b0, _b1) in itertools.pairwise(anchors):
        lo, hi = int(a1) - left + 1, int(b0) - left
        if hi <= lo:
            return []
        least = min(cover[lo:hi])
        best, run_start, best_len = lo, None, -1
        for x in range(lo, hi + 1):
            if x < hi and cover[x] == least:
                run_start = x if run_start is None else run_start
                continue
            if run_start is not None and x - run_start > best_len:
                best, best_len = (run_start + x) // 2, x - run_start
            run_start = None
        bounds.append(float(left + best))
    return bounds


def _column(bounds: list[float], x: float) -> int:
    return sum(1 for b in bounds if b < x)


@dataclass
class _Layout:
    """One candidate table's visual rows, their runs, and the columns each run covers."""

    rows: list[list[dict[str, Any]]]
    runs: list[list[Run]]
    spans: list[list[tuple[int, int]]]
    crossing: list[bool]  # whether a row has a run across a column boundary


def _layout(rows: list[list[dict[str, Any]]], bounds: list[float]) -> _Layout:
    runs = [_runs(row) for row in rows]
    spans = [[(_column(bounds, r[0] + 1), _column(bounds, r[1] - 1)) for r in row] for row in runs]
    return _Layout(rows, runs, spans, [any(a != b for a, b in row) for row in spans])


def _taken(layout: _Layout, first: int) -> int:
    """Rows the table takes: up to running text after it (two rows across the columns)."""
    for k in range(first, len(layout.rows) - 1):
        if layout.crossing[k] and layout.crossing[k + 1]:
            return k
    return len(layout.rows)


def _bbox(rows: list[list[dict[str, Any]]]) -> tuple[float, float, float, float]:
    words = [w for row in rows for w in row]
    return (
        min(w["x0"] for w in words),
        min(w["top"] for w in words),
        max(w["x1"] for w in words),
        max(w["bottom"] for w in words),
    )


def _table(rows: list[list[dict[str, Any]]], header: int) -> tuple[UnruledTable | None, int]:
    """The table read from `rows` (its first `header` rows the header), and rows it took."""
    runs = [_runs(row) for row in rows]
    bounds = _bounds([r for row in runs[:header] for r in row], runs[header:])
    if not bounds:
        return None, 0
    layout = _layout(rows, bounds)
    taken = _taken(layout, header)
    width = len(bounds) + 1
    head = [""] * width
    for row in layout.runs[:header]:
        for x0, x1, text in row:
            col = _column(bounds, (x0 + x1) / 2)
            head[col] = f"{head[col]} {text}".strip()
    folded = [fold(text) for text in head]
    named = sum(1 for text in folded if any(p.search(text) for p in _HEADS.values()))
    if named < 3 or taken <= header:  # running text with wide spaces, or a header alone
        return None, 0
    tt = next((c for c, text in enumerate(folded) if _HEADS["tt"].fullmatch(text)), None)
    body = _body(layout, range(header, taken), tt, width)
    if not any(sum(1 for cell in row if cell) >= 2 for row in body):
        return None, 0
    box = _bbox(rows[:taken])
    return UnruledTable(box, [head, *body], Columns(bounds, tt, box[0], box[2])), taken


def _body(layout: _Layout, rows: range, tt: int | None, width: int) -> list[list[str]]:
    """Visual rows gathered into table rows.

    Rows are apart by more white space than the lines of a cell (`_CELL_GAP`); a block of
    lines without a row number continues the row above (a cell's paragraphs), a second row
    number within one block starts a row (tables set without space between rows), and a row
    across columns (a group title) stands alone, repeated over the columns it spans.
    """
    cells: list[dict[int, list[str]]] = []
    merged: list[dict[int, int]] = []
    contents: dict[int, tuple[dict[int, str], dict[int, int]]] = {}
    for k in rows:
        row_cells: dict[int, str] = {}
        row_spans: dict[int, int] = {}
        for (_x0, _x1, text), (a, b) in zip(layout.runs[k], layout.spans[k], strict=True):
            row_cells[a] = f"{row_cells.get(a, '')} {text}".strip()
            if b > a:
                row_spans[a] = b
        contents[k] = (row_cells, row_spans)
    numbers = {k for k in rows if tt is not None and tt in contents[k][0]}
    block_numbered: dict[int, bool] = {}  # block start -> whether the block has a row number
    start = rows.start
    for k in rows:
        if k > rows.start and _gap(layout.rows, k) > _CELL_GAP * _height(layout.rows[k]):
            start = k
        block_numbered[start] = block_numbered.get(start, False) or k in numbers
    numbered = False  # whether the current block's row number was seen
    for k in rows:
        row_cells, row_spans = contents[k]
        if k in block_numbered:  # a block of lines starts here
            starts = tt is None or block_numbered[k]
            numbered = k in numbers
        else:
            starts = k in numbers and numbered
            numbered = numbered or k in numbers
        crossing = layout.crossing[k] or (k > rows.start and layout.crossing[k - 1])
        if starts or crossing or not cells:
            cells.append({})
            merged.append({})
        for col, text in row_cells.items():
            cells[-1].setdefault(col, []).append(text)
        merged[-1].update(row_spans)
    out: list[list[str]] = []
    for row_cells_, row_spans_ in zip(cells, merged, strict=True):
        row = [one_line(unwrap("\n".join(row_cells_.get(c, [])))) for c in range(width)]
        for a, b in row_spans_.items():
            for c in range(a + 1, b + 1):
                row[c] = row[c] or row[a]
        out.append(row)
    return out
