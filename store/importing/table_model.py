"""What every table reader shares: the table found in the text, and how its cells look.

`store.importing.tables` (pipe rows, one cell per line) and `store.importing.bare_tables`
(cells that lost every boundary) both build `Table`; keeping it here lets the first use the
second without either importing the other back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TT = re.compile(r"^(?:[IVXLC]{1,5}|\d{1,3}(?:\.\d{1,3})*|[a-zđ])[.)]?$")


@dataclass
class Table:
    """A table found in the text: its rows (cell texts) and the lines it spans."""

    rows: list[list[str]]
    start: int
    end: int  # one past its last line


def is_tt(value: str) -> bool:
    """Whether a cell looks like a row number (``1``, ``II``, ``1.2``, ``a``, ``3.``)."""
    return bool(_TT.match(value.strip()))


def is_pipe_row(line: str) -> bool:
    """``| a | b |``: a table row written on one line."""
    return line.startswith("|") and line.count("|") >= 3 and len(line) > 3


def is_cell_end(line: str) -> bool:
    """A bare ``|`` or a line ending in `` |``: the end of a flattened cell."""
    return line == "|" or line.endswith(" |")


def pipe_cells(line: str) -> list[str]:
    """The cells of a one-line row (outer pipes dropped, cells trimmed)."""
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    return [cell.strip() for cell in inner.split("|")]
