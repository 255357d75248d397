"""The grid of a ruled PDF table: wrapped sub-rows joined, split header columns collapsed.

Word draws some tables with a ruled box per visual line in one column while the other cells
span the whole row (a task's title cut into one box a line, its number, lead and deadline in
merged cells beside it). pdfplumber then gives one grid row per line; read as they are, each
line would be a task. Consecutive rows are one row when every cell they do not share is the
wrap of the one above it (`join_wrapped_rows`; the same test as inside a cell:
`store.importing.readers.pdf_tables.wrapped_breaks`). A column header merged over columns
that split the body (``Nhiệm vụ`` over three boxes, the text in any of them) is one column
(`collapse_split_columns`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Box = tuple[float, float, float, float]


@dataclass(slots=True)
class Cell:
    """A grid position's text and the box it comes from (several boxes once rows join)."""

    text: str
    box: Box
    last: Box  # the box of the last joined row (a spanning cell's is the same in each row)


def union(a: Box, b: Box) -> Box:
    """The box around two boxes."""
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def join_wrapped_rows(rows: list[list[Cell | None]], wraps: Any) -> list[list[Cell | None]]:
    """Rows joined where a row only goes on with the cells of the one above.

    `wraps(upper, lower)` tells whether the text in box `lower` is the wrap of the text in box
    `upper` (same column). A row joins the one above when the cells they do not share are
    either empty below or wraps of the cells above, with at least one wrap; a cell that is
    empty above and filled below starts a new row."""
    out: list[list[Cell | None]] = []
    for row in rows:
        if out and _goes_on(out[-1], row, wraps):
            for column, cell in enumerate(row):
                above = out[-1][column]
                if cell is None or above is None or cell.box == above.last:
                    continue
                if cell.text.strip():
                    above.text = f"{above.text}\n{cell.text}" if above.text.strip() else cell.text
                above.box, above.last = union(above.box, cell.box), cell.box
            continue
        out.append([None if c is None else Cell(c.text, c.box, c.box) for c in row])
    return out


def _goes_on(above: list[Cell | None], row: list[Cell | None], wraps: Any) -> bool:
    first, top = (row[0], above[0]) if row and above else (None, None)
    if first is not None and top is not None and first.box != top.last and first.text.strip():
        return False  # a number of its own (``2``, ``A``, ``IV``) opens a row
    wrapped = False
    for upper, lower in zip(above, row, strict=False):
        if upper is None or lower is None or lower.box == upper.last:
            continue
        if not lower.text.strip():
            continue
        same_column = (
            abs(upper.last[0] - lower.box[0]) < 2 and abs(upper.last[2] - lower.box[2]) < 2
        )
        if not same_column or not upper.text.strip() or not wraps(upper.box, lower.box):
            return False  # (a box merged over other columns is a row of its own: a group)
        wrapped = True
    return wrapped


def collapse_split_columns(rows: list[list[str]]) -> list[list[str]]:
    """Neighbouring columns under one header text, never holding two different texts in a
    row of the body (and holding some), made one."""
    if len(rows) < 2 or len(rows[0]) < 2:
        return rows  # a header alone (its body on the next page) shows no split
    keep: list[list[int]] = [[0]]
    for column in range(1, len(rows[0])):
        group = keep[-1]
        header = rows[0][column].strip()
        same = header and header == rows[0][group[0]].strip()
        cells = [
            {row[c].strip() for c in [*group, column] if c < len(row)} - {""} for row in rows[1:]
        ]
        if same and all(len(found) <= 1 for found in cells) and any(cells):
            group.append(column)
        else:
            keep.append([column])
    if len(keep) == len(rows[0]):
        return rows
    return [
        [next((row[c] for c in group if c < len(row) and row[c].strip()), "") for group in keep]
        for row in rows
    ]
