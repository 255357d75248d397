"""Ruled tables found by pdfplumber, as pipe rows with merged cells repeated.

pdfplumber gives each cell's box; a merged cell is one box over several grid positions. The grid
is rebuilt from the boxes' edges and every position a box covers gets its text (`tables`).
"""

from __future__ import annotations

import re
from typing import Any

from store.importing.readers.limits import Tally
from store.importing.readers.tables import Grid, one_line

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


def table_lines(table: Any, tally: Tally) -> list[str]:
    """A pdfplumber table as pipe rows; merged cells repeated over the grid they cover."""
    extracted = table.extract()
    xs = _edges([c[0] for c in table.cells] + [c[2] for c in table.cells])
    ys = _edges([c[1] for c in table.cells] + [c[3] for c in table.cells])
    grid = Grid()
    placed: dict[tuple[int, int], str] = {}
    for row, texts in zip(table.rows, extracted, strict=False):
        for box, text in zip(row.cells, texts, strict=False):
            if box is None:
                continue
            c0, c1 = _index(xs, box[0]), _index(xs, box[2])
            r0, r1 = _index(ys, box[1]), _index(ys, box[3])
            value = one_line(unwrap(text or ""))
            for r in range(r0, max(r1, r0 + 1)):
                for c in range(c0, max(c1, c0 + 1)):
                    placed[(r, c)] = value
    rows = sorted({r for r, _c in placed})
    cols = sorted({c for _r, c in placed})
    for r in rows:
        tally.row(len(cols))
        for c in cols:
            grid.add(rows.index(r), placed.get((r, c), ""))
    return grid.lines()
