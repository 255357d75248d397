"""Ruled tables found by pdfplumber, as pipe rows with merged cells repeated.

pdfplumber gives each cell's box; a merged cell is one box over several grid positions. The grid
is rebuilt from the boxes' edges and every position a box covers gets its text (`tables`). A
cell's visual lines are joined where the line was wrapped, told by the glyphs' positions
(`wrapped_breaks`): ``Sở`` / ``KH&CN`` in a narrow column is one unit, not two.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

from store.importing.readers.limits import Tally
from store.importing.readers.pdf_grid import (
    Box,
    Cell,
    collapse_split_columns,
    join_wrapped_rows,
    union,
)
from store.importing.readers.pdf_lines import rows_by_top
from store.importing.readers.tables import one_line
from store.importing.readers.tables import table_lines as pipe_table

#: A cell line ending in one of these words runs on into the next (``Sở Khoa học và`` /
#: ``Công nghệ`` is one unit).
_RUNS_ON = re.compile(r"(?:\b(?:và|với|của|về|các|cho|trong|tại|hoặc)|[,&-])$", re.IGNORECASE)


def unwrap(text: str) -> str:
    """Join a cell's visual lines where the next one continues a word run (lowercase, digit,
    or after a word that cannot end a name such as ``và``)."""
    out = ""
    for line in (part.strip() for part in text.splitlines()):
        if not line:
            continue
        if out and (
            line[0].islower() or line[0].isdigit() or line[0] in "(/-,.;:" or _RUNS_ON.search(out)
        ):
            out = f"{out} {line}"
        else:
            out = f"{out}\n{line}" if out else line
    return out


def _edges(values: list[float]) -> list[float]:
    edges: list[float] = []
    for value in sorted(values):
        if not edges or value - edges[-1] > 2.0:
            edges.append(value)
    return edges


def _index(edges: list[float], value: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))


def _first_word(line: list[dict[str, Any]]) -> float:
    """The width of a visual line's first word."""
    end = line[0]["x1"]
    for previous, char in pairwise(line):
        if char["x0"] - previous["x1"] > 0.15 * char["size"]:
            break
        end = char["x1"]
    return end - line[0]["x0"]


def _inside(box: Box, chars: list[dict[str, Any]]) -> list[Any]:
    return [
        c
        for c in chars
        if c["text"].strip()
        and box[0] <= (c["x0"] + c["x1"]) / 2 <= box[2]
        and box[1] <= (c["top"] + c["bottom"]) / 2 <= box[3]
    ]


def wrapped_breaks(
    box: tuple[float, float, float, float], chars: list[dict[str, Any]]
) -> list[bool]:
    """For each break between a cell's visual lines, whether it is a wrap.

    A word processor moves a word to the next line only when it does not fit on the line
    before, so a break is a wrap when the previous line, a space and the next line's first word
    are wider than the cell's text width (its width less the padding seen on its left). Left,
    centred and justified cells alike.
    """
    inside = _inside(box, chars)
    lines = rows_by_top(inside)
    if len(lines) < 2:
        return []
    pad = max(min(line[0]["x0"] for line in lines) - box[0], 0.0)
    room = box[2] - box[0] - 2 * pad
    breaks = []
    for previous, line in pairwise(lines):
        space = 0.25 * line[0]["size"]
        needed = previous[-1]["x1"] - previous[0]["x0"] + space + _first_word(line)
        breaks.append(needed > room - 1.0)
    return breaks


def _cell_text(text: str, box: tuple[float, float, float, float], chars: list[Any]) -> str:
    """A cell's text on one line: wraps joined by geometry, then by `unwrap`'s rules."""
    parts = [part.strip() for part in text.splitlines()]
    breaks = wrapped_breaks(box, chars)
    if len(breaks) == len(parts) - 1:  # (else the lines are not the ones seen: rules only)
        joined = parts[:1]
        for wrap, part in zip(breaks, parts[1:], strict=True):
            if wrap and joined[-1] and part:
                joined[-1] = f"{joined[-1]} {part}"
            else:
                joined.append(part)
        text = "\n".join(joined)
    return one_line(unwrap(text))


def table_lines(table: Any, tally: Tally) -> list[str]:
    """A pdfplumber table as pipe rows; merged cells repeated over the grid they cover, rows
    that only wrap the cells above joined to them (`pdf_grid`). A table of one column is a
    framed paragraph: its lines are text."""
    extracted = table.extract()
    chars = table.page.crop(table.bbox, strict=False).chars if hasattr(table, "page") else []
    xs = _edges([c[0] for c in table.cells] + [c[2] for c in table.cells])
    ys = _edges([c[1] for c in table.cells] + [c[3] for c in table.cells])
    placed: dict[tuple[int, int], Cell] = {}
    for row, texts in zip(table.rows, extracted, strict=False):
        for box, text in zip(row.cells, texts, strict=False):
            if box is None:
                continue
            c0, c1 = _index(xs, box[0]), _index(xs, box[2])
            r0, r1 = _index(ys, box[1]), _index(ys, box[3])
            for r in range(r0, max(r1, r0 + 1)):
                for c in range(c0, max(c1, c0 + 1)):
                    placed[(r, c)] = Cell(text or "", box, box)
    rows = sorted({r for r, _c in placed})
    cols = sorted({c for _r, c in placed})

    def wraps(upper: Box, lower: Box) -> bool:
        above = len(rows_by_top(_inside(upper, chars)))
        breaks = wrapped_breaks(union(upper, lower), chars)
        return 0 < above <= len(breaks) and breaks[above - 1]

    grid = join_wrapped_rows([[placed.get((r, c)) for c in cols] for r in rows], wraps)
    texts = [[_cell_text(c.text, c.box, chars) if c else "" for c in row] for row in grid]
    for row in texts:
        tally.row(len(row))
    if len(cols) == 1:
        return ["", *(row[0] for row in texts if row[0]), ""]
    return pipe_table(collapse_split_columns(texts))
