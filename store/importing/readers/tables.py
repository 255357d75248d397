"""Tables as pipe rows, the one shape every reader (.docx, .pdf, .html) gives the extractors.

A table becomes one line per row, ``| cell | cell | cell |``, with a blank line before and after
it. A merged cell's text is repeated in every grid position it spans, across and down, so every
row has the table's full column count and a column means the same thing in every row. A cell's
paragraphs are joined on its line (see `one_line`); a ``|`` inside a cell becomes ``/`` so it
cannot be read as a column break.
"""

from __future__ import annotations

from store.text import nfc


def one_line(text: str) -> str:
    """A cell's paragraphs on one line: a break without punctuation separates list items.

    ``Sở Nội vụ`` / ``Văn phòng UBND tỉnh`` in one cell are two units, so they are joined with
    ``;`` (the unit separator); paragraphs that end a sentence or a clause are joined with a
    space.
    """
    out = ""
    for part in (" ".join(p.split()) for p in text.splitlines()):
        if not part:
            continue
        if not out:
            out = part
        elif out.endswith((".", ";", ":", ",")):
            out = f"{out} {part}"
        else:
            out = f"{out}; {part}"
    return out.replace("|", "/")


def split_row_rest(last: str, first: str) -> str | None:
    """The row `last` with `first` joined to it when `first` is the rest of it, else None.

    A table row that does not fit at the bottom of a page goes on at the top of the next
    (Word's default), where the reader sees a row of its own: no row number (its first cell
    is empty), and text that goes on mid-sentence (a cell opening in lower case) or in fewer
    cells than the row has (only its longest cells run over). Both rows are pipe rows of as
    many cells; their cells are joined one by one.
    """
    old, rest = _cells(last), _cells(first)
    if old is None or rest is None or len(old) != len(rest) or rest[0] or not any(rest):
        return None
    if not old[0]:
        return None
    # (A row of its own under a merged number fills as many cells as the row above.)
    sparser = sum(map(bool, rest[1:])) < sum(map(bool, old[1:]))
    if not sparser and not any(cell[:1].islower() for cell in rest if cell):
        return None
    return pipe_row([f"{a} {b}".strip() for a, b in zip(old, rest, strict=True)])


def _cells(line: str) -> list[str] | None:
    if not line.startswith("| ") or not line.endswith(" |"):
        return None
    return [cell.strip() for cell in line[1:-1].split(" | ")]


def pipe_row(cells: list[str]) -> str:
    """One row as ``| a | b |`` (cells already on one line each)."""
    return "| " + " | ".join(nfc(cell) for cell in cells) + " |"


def table_lines(rows: list[list[str]]) -> list[str]:
    """A whole table as lines: blank, one pipe row per row, blank. Rows are padded square."""
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        return []
    width = max(len(row) for row in rows)
    return ["", *(pipe_row(row + [""] * (width - len(row))) for row in rows), ""]


class Grid:
    """Builds a table row by row from cells with spans, repeating merged text where it spans.

    `add(row, text, colspan, rowspan)` places a cell at the first free column of `row`; a cell
    that spans down occupies those columns of the rows below, which later cells skip.
    """

    def __init__(self) -> None:
        self.rows: list[dict[int, str]] = []
        self._last = -1  # the last row a cell was placed in (spans past it are dropped)

    def _row(self, index: int) -> dict[int, str]:
        while len(self.rows) <= index:
            self.rows.append({})
        return self.rows[index]

    def add(self, row: int, text: str, colspan: int = 1, rowspan: int = 1) -> int:
        """Place a cell; return the column it starts at."""
        cells = self._row(row)
        self._last = max(self._last, row)
        col = 0
        while col in cells:
            col += 1
        for r in range(row, row + max(1, rowspan)):
            target = self._row(r)
            for c in range(col, col + max(1, colspan)):
                target.setdefault(c, text)
        return col

    def lines(self) -> list[str]:
        """The table as pipe-row lines (see `table_lines`)."""
        rows = self.rows[: self._last + 1]
        width = max((max(cells) + 1 for cells in rows if cells), default=0)
        return table_lines([[cells.get(c, "") for c in range(width)] for cells in rows])
